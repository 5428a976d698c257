/* sweep.c: a sweep's points as sweep.json and sweep.csv (see sweep.h).
 *
 * Each path's object is report_json_path()'s, and each CSV row has a
 * column per row of the metric table (metrics.h), so a sweep carries the
 * figures a run's result.json and result.csv carry, with the same names
 * and units, and a plot reads a measured curve and a simulated one alike.
 * Numbers use %.10g, and a figure that is not finite is empty in CSV, as
 * in csv.c.
 */
#include "report/sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"
#include "report/metrics.h"
#include "report/report.h"

struct sweep *sweep_new(const char *const *keys, const char *source, const char *scenario,
			const char *model)
{
	struct sweep *sw = g_new0(struct sweep, 1);

	sw->keys = g_strdupv((char **)keys);
	sw->source = g_strdup(source ? source : "");
	sw->scenario = g_strdup(scenario ? scenario : "");
	sw->model = g_strdup(model ? model : "");
	sw->points = g_ptr_array_new();
	sw->note_keys = g_ptr_array_new_with_free_func(g_free);
	sw->note_values = g_ptr_array_new_with_free_func(g_free);
	return sw;
}

void sweep_free(struct sweep *sw)
{
	if (!sw)
		return;
	for (guint i = 0; i < sw->points->len; i++) {
		struct sweep_point *pt = sw->points->pdata[i];

		g_strfreev(pt->values);
		run_result_free(pt->result);
		g_free(pt);
	}
	g_ptr_array_unref(sw->points);
	g_ptr_array_unref(sw->note_keys);
	g_ptr_array_unref(sw->note_values);
	g_strfreev(sw->keys);
	g_free(sw->source);
	g_free(sw->scenario);
	g_free(sw->model);
	g_free(sw);
}

void sweep_add(struct sweep *sw, const char *const *values, struct run_result *r)
{
	struct sweep_point *pt = g_new0(struct sweep_point, 1);

	g_assert(g_strv_length((char **)values) == g_strv_length(sw->keys));
	pt->values = g_strdupv((char **)values);
	pt->result = r;
	g_ptr_array_add(sw->points, pt);
}

void sweep_add_note(struct sweep *sw, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(sw->note_keys, g_strdup(key));
	g_ptr_array_add(sw->note_values, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.10g", v);
	else
		fputs("null", f);
}

/* A value written as text: a number when all of it reads as a finite one. */
static void json_value(FILE *f, const char *v)
{
	char *end;
	double d;

	errno = 0;
	d = g_ascii_strtod(v, &end);
	if (*v && !*end && !errno && isfinite(d) && !g_ascii_isspace(*v))
		fputs(v, f);
	else
		json_string(f, v);
}

static void json_notes(FILE *f, GPtrArray *keys, GPtrArray *values)
{
	fputs("{", f);
	for (guint i = 0; i < keys->len; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, keys->pdata[i]);
		fputs(": ", f);
		json_string(f, values->pdata[i]);
	}
	fputs("}", f);
}

void sweep_write_json(FILE *f, const struct sweep *sw)
{
	fputs("{\"source\": ", f);
	json_string(f, sw->source);
	fputs(", \"scenario\": ", f);
	json_string(f, sw->scenario);
	fputs(", \"model\": ", f);
	json_string(f, sw->model);
	fprintf(f, ", \"partial\": %s, \"varied\": [", sw->partial ? "true" : "false");
	for (char **k = sw->keys; *k; k++) {
		if (k != sw->keys)
			fputs(", ", f);
		json_string(f, *k);
	}
	fputs("],\n \"points\": [", f);
	for (guint i = 0; i < sw->points->len; i++) {
		const struct sweep_point *pt = sw->points->pdata[i];
		const struct run_result *r = pt->result;

		fputs(i ? ",\n  {" : "\n  {", f);
		for (int k = 0; sw->keys[k]; k++) {
			json_string(f, sw->keys[k]);
			fputs(": ", f);
			json_value(f, pt->values[k]);
			fputs(", ", f);
		}
		fprintf(f, "\"partial\": %s, \"duration_s\": ", r->partial ? "true" : "false");
		json_num(f, r->duration_s);
		fputs(", \"paths\": {", f);
		for (int p = 0; p < PATH_COUNT; p++) {
			fputs(p ? ",\n   " : "\n   ", f);
			json_string(f, path_name(p));
			fputs(": ", f);
			report_json_path(f, &r->paths[p]);
		}
		fputs("}, \"notes\": ", f);
		json_notes(f, r->note_keys, r->note_values);
		fputs("}", f);
	}
	fputs("],\n \"notes\": ", f);
	json_notes(f, sw->note_keys, sw->note_values);
	fputs("}\n", f);
}

void sweep_write_csv(FILE *f, const struct sweep *sw)
{
	for (char **k = sw->keys; *k; k++)
		fprintf(f, "%s,", *k);
	fputs("path", f);
	for (METRIC_EACH(m, &metric_path))
		fprintf(f, ",%s", m->name);
	fputc('\n', f);
	for (guint i = 0; i < sw->points->len; i++) {
		const struct sweep_point *pt = sw->points->pdata[i];

		for (int p = 0; p < PATH_COUNT; p++) {
			for (int k = 0; sw->keys[k]; k++)
				fprintf(f, "%s,", pt->values[k]);
			fputs(path_name(p), f);
			for (METRIC_EACH(m, &metric_path)) {
				double v = metric_value(m, &pt->result->paths[p]);

				if (isfinite(v))
					fprintf(f, ",%.10g", v);
				else
					fputc(',', f);
			}
			fputc('\n', f);
		}
	}
}

void sweep_write_table(FILE *f, const struct sweep *sw)
{
	fprintf(f, "accelsim sweep: %s, model %s, %u points%s\n\n", sw->scenario, sw->model,
		sw->points->len, sw->partial ? " (PARTIAL: interrupted)" : "");
	for (char **k = sw->keys; *k; k++)
		fprintf(f, "%12s ", *k);
	for (int p = 0; p < PATH_COUNT; p++)
		fprintf(f, "| %-12s %11s %9s %9s %9s %9s ", path_name(p), "deliv. pps", "dropped",
			"p50 us", "p99 us", "jitter us");
	fputc('\n', f);
	for (guint i = 0; i < sw->points->len; i++) {
		const struct sweep_point *pt = sw->points->pdata[i];

		for (int k = 0; sw->keys[k]; k++)
			fprintf(f, "%12s ", pt->values[k]);
		for (int p = 0; p < PATH_COUNT; p++) {
			const struct path_result *pr = &pt->result->paths[p];
			bool any = pr->delivered_packets > 0;

			fprintf(f, "| %-12s %11.6g %9" PRIu64 " %9.4g %9.4g %9.3g ", "",
				pr->delivered_pps, pr->dropped_packets,
				any ? stats_hist_percentile(pr->latency, 50) / 1e3 : NAN,
				any ? stats_hist_percentile(pr->latency, 99) / 1e3 : NAN,
				any ? stats_jitter_value(&pr->jitter) * 1e6 : NAN);
		}
		fputc('\n', f);
	}
	if (sw->note_keys->len)
		fputc('\n', f);
	for (guint i = 0; i < sw->note_keys->len; i++)
		fprintf(f, "  %s: %s\n", (const char *)sw->note_keys->pdata[i],
			(const char *)sw->note_values->pdata[i]);
}

/* Write one file whole: built in memory, then replaced in one rename. */
static bool save_one(const char *dir, const char *name, const struct sweep *sw,
		     void (*write)(FILE *, const struct sweep *), GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	GError *err = NULL;
	bool ok;

	if (!f) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    path, g_strerror(errno));
		return false;
	}
	write(f, sw);
	ok = fclose(f) == 0;
	if (ok && !g_file_set_contents(path, text, (gssize)len, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    path, err->message);
		g_error_free(err);
		ok = false;
	} else if (!ok) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    path, g_strerror(errno));
	}
	free(text);
	return ok;
}

bool sweep_save(const char *dir, const struct sweep *sw, GError **error)
{
	if (g_mkdir_with_parents(dir, 0777) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s",
			    dir, g_strerror(errno));
		return false;
	}
	return save_one(dir, "sweep.json", sw, sweep_write_json, error) &&
	       save_one(dir, "sweep.csv", sw, sweep_write_csv, error);
}
