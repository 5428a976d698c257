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

#include "report/metrics.h"
#include "report/report.h"

#define LABEL_W 32

static void print_figures(FILE *f, const struct run_result *r)
{
	g_autoptr(GString) line = g_string_new(NULL);

	fprintf(f, "  %-*s %-7s %13s %13s %11s  %s\n", LABEL_W, "", "", "normal", "accelerated",
		"ratio|diff", "better");
	for (METRIC_EACH(m, &metric_path)) {
		double v[PATH_COUNT];
		char a[32], b[32], c[32] = "";

		if (m->flags & METRIC_NO_TABLE)
			continue;
		metric_path_values(m, r, v);
		metric_format(m->fmt, v[PATH_NORMAL], false, a, sizeof(a));
		metric_format(m->fmt, v[PATH_ACCEL], false, b, sizeof(b));
		struct metric_comparison cmp = metric_compare(m, v[PATH_NORMAL], v[PATH_ACCEL]);
		if (cmp.kind == METRIC_SHOW_RATIO)
			snprintf(c, sizeof(c), "%.2fx", cmp.value);
		else if (cmp.kind == METRIC_SHOW_DIFF)
			metric_format(m->fmt, cmp.value, true, c, sizeof(c));
		g_string_printf(line, "  %-*s %-7s %13s %13s %11s  %s", LABEL_W,
				metric_label(m, r), metric_unit(m, r), a, b, c,
				m->flags & METRIC_HINT ? metric_better_name(m->better) : "");
		fprintf(f, "%s\n", g_strchomp(line->str));
	}
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

static void print_header(FILE *f, const struct run_result *r)
{
	const struct provenance *pv = r->provenance;

	fprintf(f, "accelsim %s: %s", r->source ? r->source : "run", r->scenario ? r->scenario : "-");
	if (r->model)
		fprintf(f, ", model %s", r->model);
	fprintf(f, ", seed %" G_GUINT64_FORMAT ", %.6g s measured%s\n", r->seed, r->duration_s,
		r->partial ? " (PARTIAL: interrupted)" : "");
	if (pv && pv->latency != LATENCY_UNKNOWN)
		fprintf(f, "latency: %s (%s)%s\n", latency_kind_name(pv->latency),
			latency_kind_span(pv->latency),
			pv->requests ? "; counts and rates are of requests" : "");
	fputc('\n', f);
}

static void print_provenance(FILE *f, const struct run_result *r)
{
	const struct provenance *pv = r->provenance;

	fprintf(f, "\n  ratio|diff: normal / accelerated, or normal - accelerated where a ratio "
		   "means nothing\n");
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

void report_table(FILE *f, const struct run_result *r)
{
	print_header(f, r);
	print_figures(f, r);
	print_budget(f, r);
	for (int p = 0; p < PATH_COUNT; p++)
		print_stages(f, &r->paths[p], p);
	if (r->note_keys->len) {
		fputc('\n', f);
		for (guint i = 0; i < r->note_keys->len; i++)
			fprintf(f, "  %s: %s\n", (char *)r->note_keys->pdata[i],
				(char *)r->note_values->pdata[i]);
	}
	print_provenance(f, r);
}

void report_write(FILE *f, const struct run_result *r, enum report_format fmt)
{
	switch (fmt) {
	case REPORT_TABLE:
		report_table(f, r);
		break;
	case REPORT_JSON:
		report_json(f, r);
		break;
	case REPORT_CSV:
		report_csv(f, r);
		break;
	}
}
