/* json.c: the run_result as JSON (shape documented in docs/file-formats.md).
 *
 * Written by hand rather than through a JSON library: output only, a fixed
 * shape, and the key order and number format must be stable for
 * byte-identical reports.  Every figure comes from metrics.c's tables, under
 * its name; "metrics" says each one's label, unit, better direction and
 * comparison, so a reader needs nothing else.  Numbers use %.10g, stored
 * counts are integers; a value that is not finite (a mean of nothing) is
 * written null.
 */
#include <inttypes.h>
#include <math.h>

#include "report/merge.h"
#include "report/metrics.h"
#include "report/report.h"

void report_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* A string, or null. */
static void json_string_or_null(FILE *f, const char *s)
{
	if (s)
		report_json_string(f, s);
	else
		fputs("null", f);
}

void report_json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.10g", v);
	else
		fputs("null", f);
}

/* "name": value for every row of t over row; first: no leading comma. */
static void json_figures(FILE *f, const struct metric_table *t, const void *row, bool first)
{
	for (METRIC_EACH(m, t)) {
		if (!first)
			fputs(", ", f);
		first = false;
		report_json_string(f, m->name);
		fputs(": ", f);
		if (m->type == METRIC_FIELD_U64 && !m->get)
			fprintf(f, "%" PRIu64, *(const uint64_t *)((const char *)row + m->offset));
		else
			report_json_num(f, metric_value(m, row));
	}
}

void report_json_path(FILE *f, const struct path_result *p)
{
	fputc('{', f);
	json_figures(f, &metric_path, p, true);
	fprintf(f, ", \"hypothetical\": %s", p->hypothetical ? "true" : "false");

	fputs(", \"drops\": {", f);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);

		if (i)
			fputs(", ", f);
		report_json_string(f, s->name);
		fprintf(f, ": %" PRIu64, s->drops);
	}
	fputs("}", f);

	fputs(", \"stages\": [", f);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);

		fputs(i ? ", {\"name\": " : "{\"name\": ", f);
		report_json_string(f, s->name);
		fputs(", \"runs_on\": ", f);
		report_json_string(f, s->where);
		json_figures(f, &metric_stage, s, false);
		fputs("}", f);
	}
	fputs("]", f);

	struct budget_row total = { 0 };
	fputs(", \"budget\": [", f);
	for (guint i = 0; i < p->budget->len; i++) {
		const struct budget_row *b = &g_array_index(p->budget, struct budget_row, i);

		fputs(i ? ", {\"name\": " : "{\"name\": ", f);
		report_json_string(f, b->name);
		fputs(", \"runs_on\": ", f);
		report_json_string(f, b->where);
		json_figures(f, &metric_budget, b, false);
		fputs("}", f);
		total.wait_s += b->wait_s;
		total.wake_s += b->wake_s;
		total.service_s += b->service_s;
		total.delay_s += b->delay_s;
	}
	fputs("], \"budget_total\": ", f);
	if (p->budget->len) {
		fputc('{', f);
		json_figures(f, &metric_budget, &total, true);
		fputc('}', f);
	} else {
		fputs("null", f);
	}

	fputs(", \"series\": [", f);
	for (guint i = 0; i < p->series->len; i++) {
		fputs(i ? ", {" : "{", f);
		json_figures(f, &metric_interval, &g_array_index(p->series, struct interval_row, i),
			     true);
		fputs("}", f);
	}
	fputs("]", f);
	/* the measured time cut at each event: only a run with events has it */
	if (p->phases->len) {
		fputs(", \"phases\": [", f);
		for (guint i = 0; i < p->phases->len; i++) {
			fputs(i ? ", {" : "{", f);
			json_figures(f, &metric_interval,
				     &g_array_index(p->phases, struct interval_row, i), true);
			fputs("}", f);
		}
		fputs("]", f);
	}

	g_autofree char *hist = stats_hist_encode(p->latency);
	fputs(", \"latency_histogram_ns\": ", f);
	report_json_string(f, hist);
	fputs("}", f);
}

/* "metrics": what each figure is, table by table. */
static void json_metrics(FILE *f, const struct run_result *r)
{
	const struct metric_table *tables[] = { &metric_path, &metric_stage, &metric_budget,
						&metric_interval, &metric_host };
	/* the host's own figures exist with several VMs only */
	const size_t ntables = G_N_ELEMENTS(tables) - !(r->vms->len || r->focus);

	fputs(",\n \"metrics\": {", f);
	for (size_t t = 0; t < ntables; t++) {
		fputs(t ? ",\n  " : "\n  ", f);
		report_json_string(f, tables[t]->what);
		fputs(": {", f);
		for (METRIC_EACH(m, tables[t])) {
			static const char *const cmp[] = { "none", "ratio", "difference" };

			if (m != tables[t]->rows)
				fputs(", ", f);
			report_json_string(f, m->name);
			fputs(": {\"label\": ", f);
			report_json_string(f, metric_label(m, r));
			fputs(", \"unit\": ", f);
			report_json_string(f, metric_unit(m, r));
			fputs(", \"better\": ", f);
			report_json_string(f, metric_better_name(m->better));
			fputs(", \"compare\": ", f);
			report_json_string(f, cmp[m->cmp]);
			fputs("}", f);
		}
		fputs("}", f);
	}
	fputs("}", f);
}

/* A host of several VMs ([vm NAME]): "vms", each VM's own figures per
 * path, and "host", the host's own; with run --vm, "vm", the one shown as
 * the paths. */
static void json_vms(FILE *f, const struct run_result *r)
{
	if (!r->vms->len && !r->focus)
		return;
	if (r->focus) {
		fputs(",\n \"vm\": {\"name\": ", f);
		report_json_string(f, r->focus);
		fputs(", \"accelerated_networking\": ", f);
		report_json_string(f, r->focus_an);
		fputs("}", f);
	}
	fprintf(f, ",\n \"host\": {\"vms\": %u", r->host_vms);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(", ", f);
		report_json_string(f, path_name(p));
		fputs(": {", f);
		json_figures(f, &metric_host, &r->host[p], true);
		fputs("}", f);
	}
	fputs("}", f);
	if (!r->vms->len)
		return;
	fputs(",\n \"vms\": {", f);
	for (guint i = 0; i < r->vms->len; i++) {
		const struct vm_result *v = r->vms->pdata[i];

		fputs(i ? ",\n  " : "\n  ", f);
		report_json_string(f, v->name);
		fputs(": {\"accelerated_networking\": ", f);
		report_json_string(f, v->an);
		for (int p = 0; p < PATH_COUNT; p++) {
			fputs(",\n   ", f);
			report_json_string(f, path_name(p));
			fputs(": ", f);
			report_json_path(f, &v->paths[p]);
		}
		fputs("}", f);
	}
	fputs("}", f);
}

/* "comparison": normal against accelerated, figure by figure: the
 * difference wherever the paths are compared, the ratio where it means
 * something, and which direction is better. */
static void json_comparison(FILE *f, const struct run_result *r)
{
	bool first = true;

	fputs(",\n \"comparison\": {", f);
	for (METRIC_EACH(m, &metric_path)) {
		double v[PATH_COUNT];

		metric_path_values(m, r, v);
		struct metric_comparison c = metric_compare(m, v[PATH_NORMAL], v[PATH_ACCEL]);

		if (c.kind == METRIC_SHOW_NOTHING)
			continue;
		fputs(first ? "" : ", ", f);
		first = false;
		report_json_string(f, m->name);
		fputs(": {\"difference\": ", f);
		report_json_num(f, v[PATH_NORMAL] - v[PATH_ACCEL]);
		if (c.kind == METRIC_SHOW_RATIO) {
			fputs(", \"ratio\": ", f);
			report_json_num(f, c.value);
		}
		fputs(", \"better\": ", f);
		report_json_string(f, metric_better_name(m->better));
		fputs("}", f);
	}
	fputs("}", f);
}

/* "savings": host cores saved, and their price per host per year. */
static void json_savings(FILE *f, const struct run_result *r)
{
	struct metric_savings s = metric_savings(r);

	fputs(",\n \"savings\": {\"host_cpu_cores\": ", f);
	report_json_num(f, s.cores);
	fputs(", \"core_year_usd\": ", f);
	report_json_num(f, r->core_year_usd);
	fputs(", \"usd_per_host_year\": ", f);
	report_json_num(f, s.usd_per_year);
	fputs("}", f);
}

static void json_provenance(FILE *f, const struct provenance *p)
{
	fputs(",\n \"provenance\": ", f);
	if (!p) {
		fputs("null", f);
		return;
	}
	fputs("{\"version\": ", f);
	json_string_or_null(f, p->version);
	fputs(", \"command\": ", f);
	json_string_or_null(f, p->command);
	fputs(", \"scenario_path\": ", f);
	json_string_or_null(f, p->scenario_path);
	fputs(", \"scenario_sha256\": ", f);
	json_string_or_null(f, p->scenario_sha256);
	fputs(", \"model_path\": ", f);
	json_string_or_null(f, p->model_path);
	fputs(", \"model_sha256\": ", f);
	json_string_or_null(f, p->model_sha256);
	fputs(", \"mode\": ", f);
	json_string_or_null(f, p->mode);
	fprintf(f, ", \"exact_stages\": %u, \"started\": ", p->exact_stages);
	json_string_or_null(f, p->started);
	fputs(", \"wall_s\": ", f);
	report_json_num(f, p->wall_s);
	fputs(", \"latency\": ", f);
	report_json_string(f, latency_kind_name(p->latency));
	fprintf(f, ", \"requests\": %s, \"sets\": [", p->requests ? "true" : "false");
	for (guint i = 0; i < p->sets->len; i++) {
		if (i)
			fputs(", ", f);
		report_json_string(f, p->sets->pdata[i]);
	}
	fputs("],\n  \"effective\": {", f);
	for (guint i = 0; i < p->keys->len; i++) {
		if (i)
			fputs(", ", f);
		report_json_string(f, p->keys->pdata[i]);
		fputs(": ", f);
		report_json_string(f, p->values->pdata[i]);
	}
	fputs("}}", f);
}

/* "replications": the seeds, and per path each figure's mean and 95 %
 * half-width over them. */
static void json_replications(FILE *f, const struct merge_stats *st)
{
	fputs(",\n \"replications\": {\"seeds\": [", f);
	for (guint i = 0; i < st->n; i++)
		fprintf(f, "%s%" PRIu64, i ? ", " : "", st->seeds[i]);
	fputs("]", f);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(",\n  ", f);
		report_json_string(f, path_name(p));
		fputs(": {", f);
		for (METRIC_EACH(m, &metric_path)) {
			size_t k = merge_metric_index(m);

			if (k)
				fputs(", ", f);
			report_json_string(f, m->name);
			fputs(": {\"mean\": ", f);
			report_json_num(f, st->mean[p][k]);
			fputs(", \"ci95\": ", f);
			report_json_num(f, st->half[p][k]);
			fputs("}", f);
		}
		fputs("}", f);
	}
	fputs("}", f);
}

void report_json(FILE *f, const struct run_result *r)
{
	report_json_stats(f, r, NULL);
}

void report_json_stats(FILE *f, const struct run_result *r, const struct merge_stats *st)
{
	fputs("{\"scenario\": ", f);
	report_json_string(f, r->scenario);
	fputs(", \"model\": ", f);
	report_json_string(f, r->model);
	fprintf(f, ", \"seed\": %" PRIu64 ", \"duration_s\": ", r->seed);
	report_json_num(f, r->duration_s);
	fputs(", \"source\": ", f);
	report_json_string(f, r->source);
	fprintf(f, ", \"partial\": %s, \"interval_s\": ", r->partial ? "true" : "false");
	report_json_num(f, r->interval_s);
	fputs(", \"core_year_usd\": ", f);
	report_json_num(f, r->core_year_usd);
	fputs(", \"latency\": ", f);
	report_json_string(f, latency_kind_name(r->provenance ? r->provenance->latency : LATENCY_UNKNOWN));
	json_provenance(f, r->provenance);
	json_metrics(f, r);
	fputs(",\n \"paths\": {", f);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(p ? ",\n  " : "\n  ", f);
		report_json_string(f, path_name(p));
		fputs(": ", f);
		report_json_path(f, &r->paths[p]);
	}
	fputs("}", f);
	json_vms(f, r);
	json_comparison(f, r);
	json_savings(f, r);
	if (st)
		json_replications(f, st);
	fputs(",\n \"notes\": {", f);
	for (guint i = 0; i < r->note_keys->len; i++) {
		if (i)
			fputs(", ", f);
		report_json_string(f, r->note_keys->pdata[i]);
		fputs(": ", f);
		report_json_string(f, r->note_values->pdata[i]);
	}
	fputs("}}\n", f);
}
