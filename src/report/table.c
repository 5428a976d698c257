/* table.c: the side-by-side text report, normal | accelerated | comparison.
 *
 * Figures come from metrics.c's tables, in their order.  The comparison
 * column is normal / accelerated ("2.90x": the normal path's figure is 2.9
 * times the accelerated one's) where that means something, and otherwise
 * the signed difference normal - accelerated (metric_compare()).  Then
 * where the latency goes (the latency budget, both paths side by side),
 * the load of each stage per path, notes, and where the result came from.
 * Output depends only on the result, so equal results print equal bytes.
 */
#include <math.h>
#include <string.h>

#include "report/merge.h"
#include "report/metrics.h"
#include "report/report.h"

#define LABEL_W 32

/* Difference and ratio of m's two values into d and q ("" where there is
 * none): the difference wherever the paths are compared, the ratio where
 * metric_compare() finds one meaningful. */
static void comparison_cells(const struct metric *m, const double v[PATH_COUNT], char *d,
			     char *q, size_t len)
{
	struct metric_comparison c = metric_compare(m, v[PATH_NORMAL], v[PATH_ACCEL]);

	d[0] = q[0] = '\0';
	if (c.kind == METRIC_SHOW_NOTHING)
		return;
	metric_format(m->fmt, v[PATH_NORMAL] - v[PATH_ACCEL], true, d, len);
	if (c.kind == METRIC_SHOW_RATIO)
		snprintf(q, len, "%.2fx", c.value);
}

/* A percentile value, with '~' where fewer than METRIC_FEW_BEYOND packets
 * lie beyond it. */
static void percentile_cell(const struct metric *m, const struct path_result *p, double v,
			    char *buf, size_t len)
{
	metric_format(m->fmt, v, false, buf, len);
	if (isfinite(v) && m->pct > 50 && m->pct < 100 &&
	    metric_beyond(p, m->pct) < METRIC_FEW_BEYOND)
		g_strlcat(buf, "~", len);
}

/* How many packets each tail percentile rests on: the packets beyond it. */
static void print_tails(FILE *f, const struct run_result *r, bool marked)
{
	g_autoptr(GString) line = g_string_new("\n  packets beyond");
	bool any = false;

	for (METRIC_EACH(m, &metric_path))
		if (m->pct > 50 && m->pct < 100)
			g_string_append_printf(line, " %s", strchr(m->label, 'p'));
	g_string_append_c(line, ':');
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];

		if (!stats_hist_count(pr->latency))
			continue;
		g_string_append_printf(line, "%s %s", any ? ";" : "", path_name(p));
		any = true;
		for (METRIC_EACH(m, &metric_path))
			if (m->pct > 50 && m->pct < 100)
				g_string_append_printf(line, " %" G_GUINT64_FORMAT,
						       metric_beyond(pr, m->pct));
	}
	if (any)
		fprintf(f, "%s\n", line->str);
	if (marked)
		fprintf(f, "  ~: fewer than %d packets beyond it: another seed may move it a "
			   "lot\n", METRIC_FEW_BEYOND);
}

/* What accelerated networking saves: host cores at this load, and their
 * price per year. */
static void print_savings(FILE *f, const struct run_result *r)
{
	struct metric_savings s = metric_savings(r);
	char c[32];

	if (!isfinite(s.cores))
		return;
	metric_format(METRIC_FMT_CORES, s.cores, false, c, sizeof(c));
	fprintf(f, "  accelerated networking saves %s host cores at this load", c);
	if (isfinite(s.usd_per_year))
		fprintf(f, ": $%.0f per host per year at $%.0f per core-year", s.usd_per_year,
			r->core_year_usd);
	fputc('\n', f);
}

/* One path's cell: the value, or with replications the mean and the
 * half-width of its 95 % interval ("100.5 ±1.2"). */
static void value_cell(const struct metric *m, const struct run_result *r,
		       const struct merge_stats *st, int p, double v, char *buf, size_t len)
{
	if (!st) {
		percentile_cell(m, &r->paths[p], v, buf, len);
		return;
	}
	char h[32];
	double half = st->half[p][merge_metric_index(m)];

	metric_format(m->fmt, v, false, buf, len);
	if (isfinite(v) && isfinite(half)) {
		g_strlcat(buf, " ±", len);
		g_strlcat(buf, metric_format(m->fmt, half, false, h, sizeof(h)), len);
	}
}

/* The figures, one row each; with st, the means over replications and
 * their 95 % intervals. */
static void print_figures(FILE *f, const struct run_result *r, const struct merge_stats *st)
{
	g_autoptr(GString) line = g_string_new(NULL);
	const int w = st ? 20 : 13;
	bool marked = false;

	fprintf(f, "  %-*s %-7s %*s %*s %11s %7s  %s\n", LABEL_W, "", "", w, "normal", w,
		"accelerated", "difference", "ratio", "better");
	if (r->paths[PATH_NORMAL].hypothetical || r->paths[PATH_ACCEL].hypothetical) {
		g_string_printf(line, "  %-*s %-7s %*s %*s", LABEL_W, "", "", w,
				r->paths[PATH_NORMAL].hypothetical ? "hypothetical" : "", w,
				r->paths[PATH_ACCEL].hypothetical ? "hypothetical" : "");
		fprintf(f, "%s\n", g_strchomp(line->str));
	}
	for (METRIC_EACH(m, &metric_path)) {
		double v[PATH_COUNT];
		char a[48], b[48], d[32], q[32];

		if (m->flags & METRIC_NO_TABLE)
			continue;
		if (st) {
			for (int p = 0; p < PATH_COUNT; p++)
				v[p] = st->mean[p][merge_metric_index(m)];
		} else {
			metric_path_values(m, r, v);
		}
		value_cell(m, r, st, PATH_NORMAL, v[PATH_NORMAL], a, sizeof(a));
		value_cell(m, r, st, PATH_ACCEL, v[PATH_ACCEL], b, sizeof(b));
		marked = marked || strchr(a, '~') || strchr(b, '~');
		comparison_cells(m, v, d, q, sizeof(d));
		g_string_printf(line, "  %-*s %-7s %*s %*s %11s %7s  %s", LABEL_W,
				metric_label(m, r), metric_unit(m, r), w, a, w, b, d, q,
				m->cmp != METRIC_CMP_NONE && m->better != METRIC_NEITHER
					? metric_better_name(m->better)
					: "");
		fprintf(f, "%s\n", g_strchomp(line->str));
	}
	if (st) {
		fprintf(f, "\n  mean over %u seeds (", st->n);
		for (guint i = 0; i < st->n; i++)
			fprintf(f, "%s%" G_GUINT64_FORMAT, i ? ", " : "", st->seeds[i]);
		fprintf(f, "); ±: half-width of the 95 %% confidence interval (Student t, %u "
			   "degrees of freedom)\n", st->n - 1);
	}
	print_tails(f, r, marked);
	print_savings(f, r);
}

/* ---- where the latency goes ---- */

/* Index of the budget row called name in p at or after from, or -1. */
static int budget_find(const struct path_result *p, const char *name, guint from)
{
	for (guint i = from; i < p->budget->len; i++)
		if (!strcmp(g_array_index(p->budget, struct budget_row, i).name, name))
			return (int)i;
	return -1;
}

/* A line of the budget: the row's index in each path, -1 for none. */
struct row_pair {
	int i[PATH_COUNT];
};

static void pair_add(GArray *out, int n, int a)
{
	struct row_pair pair = { { n, a } };

	g_array_append_val(out, pair);
}

/* The rows of both paths in one order, as pairs of indexes (-1: the path
 * has no such row): each path's order is kept, a row both have is one
 * line, a row of one path alone comes where it falls in that path. */
static GArray *budget_merge(const struct path_result *n, const struct path_result *a)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct row_pair));
	guint ni = 0;

	for (guint ai = 0; ai < a->budget->len; ai++) {
		int at = budget_find(n, g_array_index(a->budget, struct budget_row, ai).name, ni);

		if (at < 0) {
			pair_add(out, -1, (int)ai);
			continue;
		}
		for (; ni < (guint)at; ni++)
			pair_add(out, (int)ni, -1);
		pair_add(out, at, (int)ai);
		ni = (guint)at + 1;
	}
	for (; ni < n->budget->len; ni++)
		pair_add(out, (int)ni, -1);
	return out;
}

/* One path's five cells of a budget row (blank where the row has no such
 * part), into line. */
static void budget_cells(GString *line, const struct budget_row *b)
{
	for (METRIC_EACH(m, &metric_budget)) {
		char v[32] = "";
		double x = b ? metric_value(m, b) : NAN;

		if (b && (x != 0 || !strcmp(m->name, "total")))
			metric_format(m->fmt, x, false, v, sizeof(v));
		g_string_append_printf(line, " %7s", v);
	}
}

static void print_budget(FILE *f, const struct run_result *r)
{
	const struct path_result *n = &r->paths[PATH_NORMAL], *a = &r->paths[PATH_ACCEL];
	const struct path_result *ps[PATH_COUNT] = { n, a };
	struct budget_row sum[PATH_COUNT] = { { 0 } };
	g_autoptr(GArray) rows = NULL;
	g_autoptr(GString) line = g_string_new(NULL);
	const enum latency_kind kind = r->provenance ? r->provenance->latency : LATENCY_UNKNOWN;

	if (!n->budget->len && !a->budget->len)
		return;
	rows = budget_merge(n, a);
	fprintf(f, "\n  where the latency goes: mean us per delivered packet%s%s\n",
		kind != LATENCY_UNKNOWN ? ", " : "",
		kind != LATENCY_UNKNOWN ? latency_kind_name(kind) : "");
	g_string_printf(line, "  %-17s", "");
	for (int p = 0; p < PATH_COUNT; p++)
		g_string_append_printf(line, " %-39s", path_name(p));
	fprintf(f, "%s\n", g_strchomp(line->str));
	g_string_printf(line, "  %-17s", "stage");
	for (int p = 0; p < PATH_COUNT; p++)
		for (METRIC_EACH(m, &metric_budget))
			g_string_append_printf(line, " %7s", m->name);
	fprintf(f, "%s %10s\n", line->str, "diff");

	for (guint i = 0; i < rows->len; i++) {
		const int *pair = g_array_index(rows, struct row_pair, i).i;
		const struct budget_row *b[PATH_COUNT] = { NULL, NULL };
		double t[PATH_COUNT] = { 0, 0 };
		char d[32] = "";

		for (int p = 0; p < PATH_COUNT; p++) {
			if (pair[p] < 0)
				continue;
			b[p] = &g_array_index(ps[p]->budget, struct budget_row, pair[p]);
			t[p] = metric_value(metric_find(&metric_budget, "total"), b[p]);
			sum[p].wait_s += b[p]->wait_s;
			sum[p].wake_s += b[p]->wake_s;
			sum[p].service_s += b[p]->service_s;
			sum[p].delay_s += b[p]->delay_s;
		}
		metric_format(METRIC_FMT_US, t[PATH_NORMAL] - t[PATH_ACCEL], true, d, sizeof(d));
		g_string_printf(line, "  %-17s", b[0] ? b[0]->name : b[1]->name);
		for (int p = 0; p < PATH_COUNT; p++)
			budget_cells(line, b[p]);
		fprintf(f, "%s %10s\n", line->str, d);
	}
	const struct metric *total = metric_find(&metric_budget, "total");
	char d[32];

	metric_format(METRIC_FMT_US, metric_value(total, &sum[0]) - metric_value(total, &sum[1]),
		      true, d, sizeof(d));
	g_string_printf(line, "  %-17s", "total");
	for (int p = 0; p < PATH_COUNT; p++) {
		for (METRIC_EACH(m, &metric_budget)) {
			char v[32];

			g_string_append_printf(line, " %7s",
					       metric_format(m->fmt, metric_value(m, &sum[p]), false,
							     v, sizeof(v)));
		}
	}
	fprintf(f, "%s %10s\n", line->str, d);
}

/* ---- per stage ---- */

static void print_stages(FILE *f, const struct path_result *p, enum path_id pi)
{
	g_autoptr(GString) line = g_string_new(NULL);

	if (!p->stages->len)
		return;
	fprintf(f, "\n  %s path, load per stage (every packet that left it, any traffic)\n",
		path_name(pi));
	g_string_printf(line, "  %-14s %-12s", "stage", "runs on");
	for (METRIC_EACH(m, &metric_stage))
		if (!(m->flags & METRIC_NO_TABLE))
			g_string_append_printf(line, " %11s", m->label);
	fprintf(f, "%s\n", line->str);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);

		g_string_printf(line, "  %-14s %-12s", s->name, s->where ? s->where : "");
		for (METRIC_EACH(m, &metric_stage)) {
			char v[32];

			if (m->flags & METRIC_NO_TABLE)
				continue;
			g_string_append_printf(line, " %11s",
					       metric_format(m->fmt, metric_value(m, s), false, v,
							     sizeof(v)));
		}
		fprintf(f, "%s\n", line->str);
	}
}

/* ---- header and footer ---- */

const char *report_note(const struct run_result *r, const char *key)
{
	for (guint i = 0; i < r->note_keys->len; i++)
		if (!strcmp(r->note_keys->pdata[i], key))
			return r->note_values->pdata[i];
	return NULL;
}

static void print_header(FILE *f, const struct run_result *r, const struct merge_stats *st)
{
	const struct provenance *pv = r->provenance;

	fprintf(f, "accelsim %s: %s", r->source ? r->source : "run", r->scenario ? r->scenario : "-");
	if (r->model)
		fprintf(f, ", model %s", r->model);
	if (st)
		fprintf(f, ", %u seeds from %" G_GUINT64_FORMAT ", %.6g s measured in all%s\n",
			st->n, r->seed, r->duration_s, r->partial ? " (PARTIAL: interrupted)" : "");
	else
		fprintf(f, ", seed %" G_GUINT64_FORMAT ", %.6g s measured%s\n", r->seed,
			r->duration_s, r->partial ? " (PARTIAL: interrupted)" : "");
	if (pv && pv->latency != LATENCY_UNKNOWN)
		fprintf(f, "latency: %s (%s)%s\n", latency_kind_name(pv->latency),
			latency_kind_span(pv->latency),
			pv->requests ? "; counts and rates are of requests" : "");
	/* a path the VM's size cannot have is said first */
	if (report_note(r, REPORT_NOTE_SIZE))
		fprintf(f, "note: %s\n", report_note(r, REPORT_NOTE_SIZE));
	fputc('\n', f);
}

static void print_provenance(FILE *f, const struct run_result *r)
{
	const struct provenance *pv = r->provenance;

	fprintf(f, "\n  difference: normal - accelerated; ratio: normal / accelerated, where a "
		   "ratio means something\n");
	if (!pv)
		return;
	if (!pv->scenario_path) {
		/* a measurement: no scenario or model went into it */
		fprintf(f, "  accelsim %s; measured, started %s, %.3f s wall\n",
			pv->version ? pv->version : "?", pv->started ? pv->started : "?", pv->wall_s);
		if (pv->command)
			fprintf(f, "  run again: %s\n", pv->command);
		return;
	}
	fprintf(f, "  accelsim %s; scenario %s (sha256 %.12s); model %s (sha256 %.12s)\n",
		pv->version ? pv->version : "?", pv->scenario_path ? pv->scenario_path : "?",
		pv->scenario_sha256 ? pv->scenario_sha256 : "?",
		pv->model_path ? pv->model_path : "?", pv->model_sha256 ? pv->model_sha256 : "?");
	fprintf(f, "  seed %" G_GUINT64_FORMAT ", mode %s (%u stages exact)", r->seed,
		pv->mode ? pv->mode : "?", pv->exact_stages);
	for (guint i = 0; i < pv->sets->len; i++)
		fprintf(f, "%s--set %s", i ? " " : ", ", (char *)pv->sets->pdata[i]);
	fprintf(f, "; started %s, %.3f s wall\n", pv->started ? pv->started : "?", pv->wall_s);
	if (pv->command)
		fprintf(f, "  run again: %s\n", pv->command);
}

/* ---- between events ---- */

/* The figures of each phase, the measured time cut at every event: where
 * the accelerated path fell back to the vSwitch and came back, how much a
 * host_load or a link down cost. */
static void print_phases(FILE *f, const struct run_result *r)
{
	static const char *const shown[] = { "delivered_pps", "dropped", "latency_p50",
					     "latency_p99", "host_cpu_cores" };
	static const char *const head[] = { "deliv. pps", "dropped", "p50 us", "p99 us",
					    "host cores" };
	const GArray *ph[PATH_COUNT] = { r->paths[PATH_NORMAL].phases, r->paths[PATH_ACCEL].phases };
	g_autoptr(GString) line = g_string_new(NULL);

	if (!ph[0]->len && !ph[1]->len)
		return;
	fprintf(f, "\n  between events: each phase of the measured time (s from its start)\n");
	g_string_printf(line, "  %9s %9s", "", "");
	for (int p = 0; p < PATH_COUNT; p++)
		g_string_append_printf(line, "  %-*s", 11 * (int)G_N_ELEMENTS(shown), path_name(p));
	fprintf(f, "%s\n", g_strchomp(line->str));
	g_string_printf(line, "  %9s %9s", "from", "to");
	for (int p = 0; p < PATH_COUNT; p++) {
		g_string_append(line, " ");
		for (size_t k = 0; k < G_N_ELEMENTS(head); k++)
			g_string_append_printf(line, " %10s", head[k]);
	}
	fprintf(f, "%s\n", line->str);
	for (guint i = 0; i < MAX(ph[0]->len, ph[1]->len); i++) {
		const struct interval_row *any = &g_array_index(ph[i < ph[0]->len ? 0 : 1],
								struct interval_row, i);

		g_string_printf(line, "  %9.6g %9.6g", any->t0_s, any->t1_s);
		for (int p = 0; p < PATH_COUNT; p++) {
			g_string_append(line, " ");
			for (size_t k = 0; k < G_N_ELEMENTS(shown); k++) {
				const struct metric *m = metric_find(&metric_interval, shown[k]);
				char v[32] = "";

				if (i < ph[p]->len)
					metric_format(m->fmt,
						      metric_value(m, &g_array_index(ph[p], struct interval_row, i)),
						      false, v, sizeof(v));
				g_string_append_printf(line, " %10s", v);
			}
		}
		fprintf(f, "%s\n", line->str);
	}
}

/* ---- a host of several VMs ---- */

/* The VM whose figures are r's paths: the first compared one. */
const struct vm_result *report_shown_vm(const struct run_result *r)
{
	for (guint i = 0; i < r->vms->len; i++)
		if (!strcmp(((struct vm_result *)r->vms->pdata[i])->an, "compare"))
			return r->vms->pdata[i];
	return r->vms->len ? r->vms->pdata[0] : NULL;
}

/* Which VM the figures above are, and the host's own figures. */
static void print_vm_header(FILE *f, const struct run_result *r)
{
	const struct vm_result *v = report_shown_vm(r);
	g_autofree char *of = r->host_vms == 1 ? g_strdup("the host's only VM")
					       : g_strdup_printf("one of the host's %u VMs", r->host_vms);

	if (r->focus)
		fprintf(f, "  VM %s (accelerated networking: %s), %s: its own figures, and its "
			   "share of each stage\n\n",
			r->focus, r->focus_an ? r->focus_an : "?", of);
	else if (v && r->host_vms == 1)
		fprintf(f, "  VM %s (accelerated networking: %s), the host's only VM; its figures "
			   "and the host's follow\n\n",
			v->name, v->an);
	else if (v)
		fprintf(f, "  VM %s (accelerated networking: %s), the first compared of the host's "
			   "%u VMs; each VM follows, and `run --vm NAME` shows one alone\n\n",
			v->name, v->an, r->host_vms);
}

/* The host's own figures, every VM's and neighbour's work together. */
static void print_host(FILE *f, const struct run_result *r)
{
	if (!r->vms->len && !r->focus)
		return;
	fprintf(f, "\n  the host, all %u VMs:\n", r->host_vms);
	for (METRIC_EACH(m, &metric_host)) {
		double v[PATH_COUNT];
		char a[32], b[32], d[32], q[32];

		for (int p = 0; p < PATH_COUNT; p++)
			v[p] = metric_value(m, &r->host[p]);
		metric_format(m->fmt, v[PATH_NORMAL], false, a, sizeof(a));
		metric_format(m->fmt, v[PATH_ACCEL], false, b, sizeof(b));
		comparison_cells(m, v, d, q, sizeof(d));
		fprintf(f, "  %-*s %-7s %13s %13s %11s %7s  %s\n", LABEL_W, m->label, m->unit, a, b,
			d, q, metric_better_name(m->better));
	}
}

/* Every VM but the one above: its own figures. */
static void print_vms(FILE *f, const struct run_result *r)
{
	const struct vm_result *shown = report_shown_vm(r);

	for (guint i = 0; i < r->vms->len; i++) {
		const struct vm_result *v = r->vms->pdata[i];
		struct run_result view = *r;

		if (v == shown)
			continue;
		for (int p = 0; p < PATH_COUNT; p++)
			view.paths[p] = v->paths[p];
		fprintf(f, "\n  VM %s (accelerated networking: %s)\n", v->name, v->an);
		print_figures(f, &view, NULL);
	}
}

/* "rises from 94.46 to 993.3 us (10.52x)", "stays at 22.08 us (+0.0 %)" */
static void trend_words(GString *s, double a, double b)
{
	char x[32], y[32];

	metric_format(METRIC_FMT_US, a, false, x, sizeof(x));
	metric_format(METRIC_FMT_US, b, false, y, sizeof(y));
	if (b > a * 1.05)
		g_string_append_printf(s, "rises from %s to %s us (%.2fx)", x, y, b / a);
	else if (b < a * 0.95)
		g_string_append_printf(s, "falls from %s to %s us (%.2fx)", x, y, b / a);
	else {
		double pct = (b - a) / a * 100;

		/* no "-0.0 %" */
		g_string_append_printf(s, "stays at %s us (%+.1f %%)", x, fabs(pct) < 0.05 ? 0 : pct);
	}
}

char *report_trend(const struct run_result *const *r, size_t n, const char *varied,
		   const char *from, const char *to)
{
	if (n < 2)
		return NULL;
	const struct run_result *a = r[0], *b = r[n - 1];
	const struct vm_result *v = report_shown_vm(a);
	GString *s = g_string_new(NULL);

	for (int p = 0; p < PATH_COUNT; p++)
		if (!a->paths[p].delivered_packets || !b->paths[p].delivered_packets) {
			g_string_free(s, TRUE);
			return NULL;
		}
	if (v)
		g_string_append_printf(s, "VM %s: ", v->name);
	g_string_append_printf(s, "as %s goes from %s to %s", varied, from, to);
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *x = &a->paths[p], *y = &b->paths[p];

		g_string_append_printf(s, "%s %s path's p99 ", p ? ";" : ",",
				       v ? (p ? "its accelerated" : "its normal")
					 : (p ? "the accelerated" : "the normal"));
		trend_words(s, stats_hist_percentile(x->latency, 99) / 1e3,
			    stats_hist_percentile(y->latency, 99) / 1e3);
		g_string_append(s, " and its jitter ");
		trend_words(s, stats_jitter_value(&x->jitter) * 1e6,
			    stats_jitter_value(&y->jitter) * 1e6);
	}
	g_string_append_c(s, '.');
	return g_string_free(s, FALSE);
}

void report_table(FILE *f, const struct run_result *r)
{
	report_table_stats(f, r, NULL);
}

void report_table_stats(FILE *f, const struct run_result *r, const struct merge_stats *st)
{
	print_header(f, r, st);
	print_vm_header(f, r);
	print_figures(f, r, st);
	print_host(f, r);
	print_vms(f, r);
	print_phases(f, r);
	print_budget(f, r);
	for (int p = 0; p < PATH_COUNT; p++)
		print_stages(f, &r->paths[p], p);
	if (r->note_keys->len > (report_note(r, REPORT_NOTE_SIZE) ? 1u : 0u)) {
		fputc('\n', f);
		for (guint i = 0; i < r->note_keys->len; i++)
			if (strcmp(r->note_keys->pdata[i], REPORT_NOTE_SIZE))
				fprintf(f, "  %s: %s\n", (char *)r->note_keys->pdata[i],
					(char *)r->note_values->pdata[i]);
	}
	print_provenance(f, r);
}

void report_write(FILE *f, const struct run_result *r, enum report_format fmt)
{
	report_write_stats(f, r, NULL, fmt);
}

void report_write_stats(FILE *f, const struct run_result *r, const struct merge_stats *st,
			enum report_format fmt)
{
	switch (fmt) {
	case REPORT_TABLE:
		report_table_stats(f, r, st);
		break;
	case REPORT_JSON:
		report_json_stats(f, r, st);
		break;
	case REPORT_CSV:
		report_csv_stats(f, r, st);
		break;
	case REPORT_BRIEF:
		report_brief(f, r);
		break;
	}
}
