/* csv.c: the run_result as CSV, one figure per row: path,metric,value,unit.
 *
 * Figures come from metrics.c's tables.  path is "run" (the run and its
 * provenance), "normal" or "accelerated" (their figures; stages as
 * stage.NAME.FIGURE, the latency budget as budget.NAME.PART, the time
 * series as series.N.FIGURE), or "ratio" / "difference" (how the two paths
 * compare, figure by figure).  Fields are quoted as RFC 4180 says where they
 * hold a comma, a quote or a line break (paths, --set values).
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/merge.h"
#include "report/metrics.h"
#include "report/report.h"

void report_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void text_row(FILE *f, const char *path, const char *metric, const char *value,
		     const char *unit)
{
	report_csv_field(f, path);
	fputc(',', f);
	report_csv_field(f, metric);
	fputc(',', f);
	report_csv_field(f, value ? value : "");
	fputc(',', f);
	report_csv_field(f, unit);
	fputc('\n', f);
}

static void num_row(FILE *f, const char *path, const char *metric, double v, const char *unit)
{
	char buf[64] = "";

	if (isfinite(v))
		snprintf(buf, sizeof(buf), "%.10g", v);
	text_row(f, path, metric, buf, unit);
}

/* Every figure of t over row, metric names prefixed with prefix. */
static void figures(FILE *f, const char *path, const char *prefix, const struct metric_table *t,
		    const void *row, const struct run_result *r)
{
	for (METRIC_EACH(m, t)) {
		g_autofree char *name = g_strconcat(prefix, m->name, NULL);

		if (m->type == METRIC_FIELD_U64 && !m->get) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%" PRIu64,
				 *(const uint64_t *)((const char *)row + m->offset));
			text_row(f, path, name, buf, metric_unit(m, r));
		} else {
			num_row(f, path, name, metric_value(m, row), metric_unit(m, r));
		}
	}
}

static void provenance_rows(FILE *f, const struct provenance *p)
{
	char buf[32];

	if (!p)
		return;
	text_row(f, "run", "version", p->version, "");
	text_row(f, "run", "command", p->command, "");
	text_row(f, "run", "scenario_path", p->scenario_path, "");
	text_row(f, "run", "scenario_sha256", p->scenario_sha256, "");
	text_row(f, "run", "model_path", p->model_path, "");
	text_row(f, "run", "model_sha256", p->model_sha256, "");
	text_row(f, "run", "mode", p->mode, "");
	snprintf(buf, sizeof(buf), "%u", p->exact_stages);
	text_row(f, "run", "exact_stages", buf, "stages");
	text_row(f, "run", "started", p->started, "");
	num_row(f, "run", "wall", p->wall_s, "s");
	text_row(f, "run", "requests", p->requests ? "1" : "0", "");
	for (guint i = 0; i < p->sets->len; i++)
		text_row(f, "run", "set", p->sets->pdata[i], "");
	for (guint i = 0; i < p->keys->len; i++) {
		g_autofree char *k = g_strconcat("effective.", (char *)p->keys->pdata[i], NULL);

		text_row(f, "run", k, p->values->pdata[i], "");
	}
}

/* Path pi's rows of p, each metric's name led by vm ("" for the run's
 * paths, "vm.NAME." for a VM of several). */
static void path_rows(FILE *f, const struct run_result *r, const struct path_result *p,
		      enum path_id pi, const char *vm)
{
	const char *n = path_name(pi);
	struct budget_row total = { 0 };

	figures(f, n, vm, &metric_path, p, r);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);
		g_autofree char *prefix = g_strdup_printf("%sstage.%s.", vm, s->name);

		figures(f, n, prefix, &metric_stage, s, r);
	}
	for (guint i = 0; i < p->budget->len; i++) {
		const struct budget_row *b = &g_array_index(p->budget, struct budget_row, i);
		g_autofree char *prefix = g_strdup_printf("%sbudget.%s.", vm, b->name);

		figures(f, n, prefix, &metric_budget, b, r);
		total.wait_s += b->wait_s;
		total.wake_s += b->wake_s;
		total.service_s += b->service_s;
		total.delay_s += b->delay_s;
	}
	if (p->budget->len) {
		g_autofree char *prefix = g_strdup_printf("%sbudget_total.", vm);

		figures(f, n, prefix, &metric_budget, &total, r);
	}
	for (guint i = 0; i < p->series->len; i++) {
		g_autofree char *prefix = g_strdup_printf("%sseries.%u.", vm, i);

		figures(f, n, prefix, &metric_interval,
			&g_array_index(p->series, struct interval_row, i), r);
	}
	for (guint i = 0; i < p->phases->len; i++) {
		g_autofree char *prefix = g_strdup_printf("%sphase.%u.", vm, i);

		figures(f, n, prefix, &metric_interval,
			&g_array_index(p->phases, struct interval_row, i), r);
	}
}

/* A host of several VMs: the host's figures, then each VM's. */
static void vm_rows(FILE *f, const struct run_result *r)
{
	char buf[32];

	if (!r->vms->len && !r->focus)
		return;
	if (r->focus) {
		text_row(f, "run", "vm", r->focus, "");
		text_row(f, "run", "vm_accelerated_networking", r->focus_an, "");
	}
	snprintf(buf, sizeof(buf), "%u", r->host_vms);
	text_row(f, "run", "host_vms", buf, "VMs");
	for (int pi = 0; pi < PATH_COUNT; pi++)
		figures(f, path_name(pi), "host.", &metric_host, &r->host[pi], r);
	for (guint i = 0; i < r->vms->len; i++) {
		const struct vm_result *v = r->vms->pdata[i];
		g_autofree char *prefix = g_strdup_printf("vm.%s.", v->name);
		g_autofree char *key = g_strdup_printf("vm.%s.accelerated_networking", v->name);

		text_row(f, "run", key, v->an, "");
		for (int pi = 0; pi < PATH_COUNT; pi++)
			path_rows(f, r, &v->paths[pi], pi, prefix);
	}
}

void report_csv(FILE *f, const struct run_result *r)
{
	report_csv_stats(f, r, NULL);
}

void report_csv_stats(FILE *f, const struct run_result *r, const struct merge_stats *st)
{
	char buf[32];

	fprintf(f, "path,metric,value,unit\n");
	text_row(f, "run", "scenario", r->scenario, "");
	text_row(f, "run", "model", r->model, "");
	snprintf(buf, sizeof(buf), "%" PRIu64, r->seed);
	text_row(f, "run", "seed", buf, "");
	num_row(f, "run", "duration", r->duration_s, "s");
	text_row(f, "run", "source", r->source, "");
	text_row(f, "run", "partial", r->partial ? "1" : "0", "");
	num_row(f, "run", "interval", r->interval_s, "s");
	num_row(f, "run", "core_year_usd", r->core_year_usd, "USD");
	text_row(f, "run", "latency",
		 latency_kind_name(r->provenance ? r->provenance->latency : LATENCY_UNKNOWN), "");
	provenance_rows(f, r->provenance);
	for (int pi = 0; pi < PATH_COUNT; pi++)
		path_rows(f, r, &r->paths[pi], pi, "");
	vm_rows(f, r);
	for (int pi = 0; st && pi < PATH_COUNT; pi++) {
		for (METRIC_EACH(m, &metric_path)) {
			size_t k = merge_metric_index(m);
			g_autofree char *mean = g_strconcat("mean.", m->name, NULL);
			g_autofree char *ci = g_strconcat("ci95.", m->name, NULL);

			num_row(f, path_name(pi), mean, st->mean[pi][k], metric_unit(m, r));
			num_row(f, path_name(pi), ci, st->half[pi][k], metric_unit(m, r));
		}
	}
	if (st) {
		for (guint i = 0; i < st->n; i++) {
			snprintf(buf, sizeof(buf), "%" PRIu64, st->seeds[i]);
			text_row(f, "run", "replication_seed", buf, "");
		}
	}
	for (METRIC_EACH(m, &metric_path)) {
		double v[PATH_COUNT];

		metric_path_values(m, r, v);
		struct metric_comparison c = metric_compare(m, v[PATH_NORMAL], v[PATH_ACCEL]);

		if (c.kind == METRIC_SHOW_NOTHING)
			continue;
		num_row(f, "difference", m->name, v[PATH_NORMAL] - v[PATH_ACCEL],
			metric_unit(m, r));
		if (c.kind == METRIC_SHOW_RATIO)
			num_row(f, "ratio", m->name, c.value, "");
	}
	struct metric_savings sv = metric_savings(r);
	num_row(f, "savings", "host_cpu_cores", sv.cores, "cores");
	num_row(f, "savings", "core_year_usd", r->core_year_usd, "USD");
	num_row(f, "savings", "usd_per_host_year", sv.usd_per_year, "USD");
	for (guint i = 0; i < r->note_keys->len; i++) {
		g_autofree char *k = g_strconcat("note.", (char *)r->note_keys->pdata[i], NULL);

		text_row(f, "run", k, r->note_values->pdata[i], "");
	}
}
