/* brief.c: `run --brief`: the figures a person looks at first, in at most
 * 80 columns and 20 lines, for a projector or a narrow terminal.
 *
 * The rows are names in the metric table (metrics.c), printed with its
 * labels, units, formats and comparisons, as the full table prints them;
 * then one sentence on what accelerated networking saves.  The heading,
 * the VM shown (on a host of several), a size's note and that sentence
 * wrap at 78 columns; when together they would pass 20 lines, blank
 * lines and the --vm hint go (brief_lines()).  Output depends only on
 * the result.
 */
#include <math.h>
#include <string.h>

#include "report/metrics.h"
#include "report/report.h"

#define LABEL_W 32
#define WIDTH 78
#define BRIEF_LINES 20

/* The figures, in order. */
static const char *const brief_rows[] = {
	"latency_p50",	  "latency_p99",      "latency_p999",		"jitter_rfc3550",
	"delivered_pps",  "dropped_packets",  "host_cpu_cores",		"host_cycles_per_packet",
	"guest_cpu_vcpus",
};

/* text wrapped at WIDTH into lines (char *, appended): its first line
 * after first spaces, the others after two. */
static void wrap_into(GPtrArray *lines, const char *text, int first)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	GString *l = g_string_new(NULL);
	int col = 0;
	bool later = false;	/* past the first line */

	for (char **w = words; *w; w++) {
		const int len = (int)g_utf8_strlen(*w, -1);

		if (!len)
			continue;
		if (col && col + 1 + len > WIDTH) {
			g_ptr_array_add(lines, g_string_free(l, FALSE));
			l = g_string_new(NULL);
			col = 0;
			later = true;
		}
		if (col) {
			g_string_append_c(l, ' ');
			col++;
		} else {
			const int indent = later ? 2 : first;

			g_string_append_printf(l, "%*s", indent, "");
			col = indent;
		}
		g_string_append(l, *w);
		col += len;
	}
	g_ptr_array_add(lines, g_string_free(l, FALSE));
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
static void saves(GPtrArray *lines, const struct run_result *r)
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
	wrap_into(lines, text, 2);
}

/* Ways to save a line, tried in this order until the page fits 20 lines
 * (a long scenario name, a host of several VMs and a size's note can
 * together pass it). */
enum {
	TIGHT_NOTE_GAP = 1,	/* no blank line between the note and the table */
	TIGHT_VM_HINT = 2,	/* the VM line without "--vm NAME shows another" */
	TIGHT_SAVES_GAP = 4,	/* no blank line before the closing sentence */
};

/* The page's lines (caller frees), made as tight says. */
static GPtrArray *brief_lines(const struct run_result *r, unsigned tight)
{
	const struct provenance *pv = r->provenance;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *head = g_strdup_printf(
		"%s (model %s, seed %" G_GUINT64_FORMAT "): %s%s, %.6g s measured%s",
		r->scenario ? r->scenario : "-", r->model ? r->model : "-", r->seed,
		pv && pv->latency != LATENCY_UNKNOWN ? latency_kind_name(pv->latency) : "",
		pv && pv->latency != LATENCY_UNKNOWN ? " latency" : "latency", r->duration_s,
		r->partial ? " (PARTIAL)" : "");

	/* a long scenario name wraps too: 80 columns whatever it is */
	wrap_into(lines, head, 0);
	/* several VMs on the host: whose figures these are */
	const struct vm_result *shown = report_shown_vm(r);
	if (r->focus || shown) {
		g_autofree char *of = r->host_vms == 1
					      ? g_strdup("the host's only VM")
					      : g_strdup_printf("one of the host's %u", r->host_vms);
		g_autofree char *who = g_strdup_printf(
			"VM %s, %s (accelerated networking: %s)%s",
			r->focus ? r->focus : shown->name, of,
			r->focus ? (r->focus_an ? r->focus_an : "?") : shown->an,
			tight & TIGHT_VM_HINT || r->host_vms == 1 ? "" : "; --vm NAME shows another");

		wrap_into(lines, who, 2);
	}
	if (report_note(r, REPORT_NOTE_SIZE)) {
		g_autofree char *note = g_strdup_printf("note: %s", report_note(r, REPORT_NOTE_SIZE));

		wrap_into(lines, note, 2);
		if (!(tight & TIGHT_NOTE_GAP))
			g_ptr_array_add(lines, g_strdup(""));
	} else {
		g_ptr_array_add(lines, g_strdup(""));
	}
	g_ptr_array_add(lines, g_strdup_printf("  %-*s %-7s %12s %12s %10s", LABEL_W, "", "",
					       "normal", "accelerated", "ratio|diff"));
	if (r->paths[PATH_NORMAL].hypothetical || r->paths[PATH_ACCEL].hypothetical)
		g_ptr_array_add(lines, g_strdup_printf(
					       "  %-*s %-7s %12s %12s", LABEL_W, "", "",
					       r->paths[PATH_NORMAL].hypothetical ? "hypothetical" : "",
					       r->paths[PATH_ACCEL].hypothetical ? "hypothetical" : ""));
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
		g_ptr_array_add(lines, g_strdup_printf("  %-*s %-7s %12s %12s %10s", LABEL_W,
						       metric_label(m, r), metric_unit(m, r), a, b,
						       c));
	}
	if (!(tight & TIGHT_SAVES_GAP))
		g_ptr_array_add(lines, g_strdup(""));
	saves(lines, r);
	return lines;
}

void report_brief(FILE *f, const struct run_result *r)
{
	static const unsigned tighter[] = { 0, TIGHT_NOTE_GAP, TIGHT_NOTE_GAP | TIGHT_VM_HINT,
					    TIGHT_NOTE_GAP | TIGHT_VM_HINT | TIGHT_SAVES_GAP };
	g_autoptr(GPtrArray) lines = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(tighter); i++) {
		g_clear_pointer(&lines, g_ptr_array_unref);
		lines = brief_lines(r, tighter[i]);
		if (lines->len <= BRIEF_LINES)
			break;
	}
	for (guint i = 0; i < lines->len; i++)
		fprintf(f, "%s\n", g_strchomp(lines->pdata[i]));
}
