/* brief.c: `run --brief`: the figures a person looks at first, in at most
 * 80 columns and 20 lines, for a projector or a narrow terminal.
 *
 * The rows are names in the metric table (metrics.c), printed with its
 * labels, units, formats and comparisons, as the full table prints them;
 * then one sentence on what accelerated networking saves.  Output depends
 * only on the result.
 */
#include <math.h>
#include <string.h>

#include "report/metrics.h"
#include "report/report.h"

#define LABEL_W 32
#define WIDTH 78

/* The figures, in order. */
static const char *const brief_rows[] = {
	"latency_p50",	  "latency_p99",      "latency_p999",		"jitter_rfc3550",
	"delivered_pps",  "dropped_packets",  "host_cpu_cores",		"host_cycles_per_packet",
	"guest_cpu_vcpus",
};

/* text wrapped at WIDTH after two spaces. */
static void wrapped(FILE *f, const char *text)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	int col = 0;

	for (char **w = words; *w; w++) {
		int len = (int)g_utf8_strlen(*w, -1);

		if (!len)
			continue;
		if (col && col + 1 + len > WIDTH) {
			fputc('\n', f);
			col = 0;
		}
		fprintf(f, col ? " %s" : "  %s", *w);
		col += (col ? 1 : 2) + len;
	}
	fputc('\n', f);
}

static double value(const struct run_result *r, const char *name, enum path_id p)
{
	const struct metric *m = metric_find(&metric_path, name);

	g_assert(m);
	return metric_value(m, &r->paths[p]);
}

/* What accelerated networking saves, in one sentence: host cores and
 * what they are worth (metric_savings(), at r's price of a core-year),
 * and the p99.  The cycles per packet are in the row above it. */
static void saves(FILE *f, const struct run_result *r)
{
	const struct metric_savings sv = metric_savings(r);
	const double n99 = value(r, "latency_p99", PATH_NORMAL);
	const double a99 = value(r, "latency_p99", PATH_ACCEL);
	/* the accelerated path is what the VM cannot have: it would save */
	const bool hyp = r->paths[PATH_ACCEL].hypothetical;
	char nb[32], ab[32];
	g_autofree char *text = NULL, *worth = NULL;

	if (isfinite(sv.usd_per_year) && sv.cores >= 0.0005)
		worth = g_strdup_printf(", worth $%.0f a year at $%.0f per core-year",
					sv.usd_per_year, r->core_year_usd);
	g_autofree char *host = !(fabs(sv.cores) >= 0.0005)
		? g_strdup(hyp ? "would save no host CPU here" : "saves no host CPU here")
		: g_strdup_printf("%s %.3f host cores%s", hyp ? "would save" : "saves", sv.cores,
				  worth ? worth : "");

	if (!isfinite(n99) || !isfinite(a99) || !(a99 > 0)) {
		text = g_strdup_printf("accelerated networking %s; a path delivered nothing, so "
				       "its latency cannot be compared", host);
	} else {
		metric_format(METRIC_FMT_US, n99, false, nb, sizeof(nb));
		metric_format(METRIC_FMT_US, a99, false, ab, sizeof(ab));
		text = g_strdup_printf("accelerated networking %s, and %s the p99 latency from %s us "
				       "to %s us (%.2fx)", host, hyp ? "would take" : "takes", nb, ab,
				       n99 / a99);
	}
	wrapped(f, text);
}

void report_brief(FILE *f, const struct run_result *r)
{
	const struct provenance *pv = r->provenance;
	g_autofree char *head = g_strdup_printf(
		"%s (model %s, seed %" G_GUINT64_FORMAT "): %s%s, %.6g s measured%s",
		r->scenario ? r->scenario : "-", r->model ? r->model : "-", r->seed,
		pv && pv->latency != LATENCY_UNKNOWN ? latency_kind_name(pv->latency) : "",
		pv && pv->latency != LATENCY_UNKNOWN ? " latency" : "latency", r->duration_s,
		r->partial ? " (PARTIAL)" : "");

	fprintf(f, "%s\n", head);
	/* several VMs on the host: whose figures these are */
	const struct vm_result *shown = report_shown_vm(r);
	if (r->focus || shown) {
		g_autofree char *who = g_strdup_printf(
			"VM %s of the host's %u (accelerated networking: %s); --vm NAME shows "
			"another",
			r->focus ? r->focus : shown->name, r->host_vms,
			r->focus ? (r->focus_an ? r->focus_an : "?") : shown->an);

		wrapped(f, who);
	}
	if (report_note(r, REPORT_NOTE_SIZE)) {
		g_autofree char *note = g_strdup_printf("note: %s", report_note(r, REPORT_NOTE_SIZE));

		wrapped(f, note);
	}
	fputc('\n', f);
	fprintf(f, "  %-*s %-7s %12s %12s %10s\n", LABEL_W, "", "", "normal", "accelerated",
		"ratio|diff");
	if (r->paths[PATH_NORMAL].hypothetical || r->paths[PATH_ACCEL].hypothetical) {
		g_autofree char *line = g_strdup_printf(
			"  %-*s %-7s %12s %12s", LABEL_W, "", "",
			r->paths[PATH_NORMAL].hypothetical ? "hypothetical" : "",
			r->paths[PATH_ACCEL].hypothetical ? "hypothetical" : "");

		fprintf(f, "%s\n", g_strchomp(line));
	}
	for (size_t i = 0; i < G_N_ELEMENTS(brief_rows); i++) {
		const struct metric *m = metric_find(&metric_path, brief_rows[i]);
		double v[PATH_COUNT];
		char a[32], b[32], c[32] = "";

		g_assert(m);
		metric_path_values(m, r, v);
		metric_format(m->fmt, v[PATH_NORMAL], false, a, sizeof(a));
		metric_format(m->fmt, v[PATH_ACCEL], false, b, sizeof(b));
		struct metric_comparison cmp = metric_compare(m, v[PATH_NORMAL], v[PATH_ACCEL]);
		if (cmp.kind == METRIC_SHOW_RATIO)
			snprintf(c, sizeof(c), "%.2fx", cmp.value);
		else if (cmp.kind == METRIC_SHOW_DIFF)
			metric_format(m->fmt, cmp.value, true, c, sizeof(c));
		g_autofree char *line = g_strdup_printf("  %-*s %-7s %12s %12s %10s", LABEL_W,
							metric_label(m, r), metric_unit(m, r), a, b, c);
		fprintf(f, "%s\n", g_strchomp(line));
	}
	fputc('\n', f);
	saves(f, r);
}
