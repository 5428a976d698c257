/* results.c: reading results back, grouping them, and the sweep's files
 * (see results.h). */
#include "sweep/results.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"
#include "report/metrics.h"
#include "report/report.h"

const char *sweep_note(const struct run_result *r, const char *key)
{
	for (guint i = 0; i < r->note_keys->len; i++)
		if (!strcmp(r->note_keys->pdata[i], key))
			return r->note_values->pdata[i];
	return NULL;
}

static void point_free(struct sweep_point *pt)
{
	if (!pt)
		return;
	g_strfreev(pt->values);
	g_free(pt->label);
	g_ptr_array_unref(pt->runs);
	g_ptr_array_unref(pt->dirs);
	run_result_free(pt->pooled);
	merge_stats_free(pt->stats);
	g_free(pt);
}

static struct sweep_point *point_new(void)
{
	struct sweep_point *pt = g_new0(struct sweep_point, 1);

	pt->runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_result_free);
	pt->dirs = g_ptr_array_new_with_free_func(g_free);
	return pt;
}

void sweep_results_free(struct sweep_results *sr)
{
	if (!sr)
		return;
	g_strfreev(sr->keys);
	g_ptr_array_unref(sr->points);
	g_ptr_array_unref(sr->missing);
	g_ptr_array_unref(sr->note_keys);
	g_ptr_array_unref(sr->note_values);
	g_free(sr);
}

static struct sweep_results *results_new(void)
{
	struct sweep_results *sr = g_new0(struct sweep_results, 1);

	sr->keys = g_new0(char *, 1);
	sr->points = g_ptr_array_new_with_free_func((GDestroyNotify)point_free);
	sr->missing = g_ptr_array_new_with_free_func(g_free);
	sr->note_keys = g_ptr_array_new_with_free_func(g_free);
	sr->note_values = g_ptr_array_new_with_free_func(g_free);
	return sr;
}

bool sweep_results_is_sweep(const struct sweep_results *sr)
{
	return sr->keys[0] != NULL;
}

double sweep_point_number(const struct sweep_point *pt, guint k)
{
	char *end;
	const char *v = pt->values[k];
	double d = g_ascii_strtod(v, &end);

	return *v && !*end && isfinite(d) ? d : NAN;
}

char *sweep_value_shown(const struct sweep_point *pt, guint k)
{
	double v = sweep_point_number(pt, k);
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	return isfinite(v) ? g_strdup(g_ascii_formatd(buf, sizeof(buf), "%.6g", v))
			   : g_strdup(pt->values[k]);
}

/* ---- finding and reading result files ---- */

static int compare_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every result.ini under dir, depth first, in name order. */
static void find_results(const char *dir, GPtrArray *out)
{
	g_autofree char *ini = g_build_filename(dir, "result.ini", NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) d = NULL;
	const char *name;

	if (g_file_test(ini, G_FILE_TEST_IS_REGULAR)) {
		g_ptr_array_add(out, g_steal_pointer(&ini));
		return;
	}
	d = g_dir_open(dir, 0, NULL);
	while (d && (name = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, compare_str);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *p = g_build_filename(dir, names->pdata[i], NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			find_results(p, out);
	}
}

static struct run_result *read_result(const char *file, GError **error)
{
	g_autoptr(GKeyFile) k = g_key_file_new();
	g_autoptr(run_result) r = run_result_new();
	g_autoptr(GError) e = NULL;

	if (!g_key_file_load_from_file(k, file, G_KEY_FILE_NONE, &e) ||
	    !run_result_from_keyfile(k, r, &e)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s: expected a result file as 'accelsim run -o' writes it: %s", file,
			    e->message);
		return NULL;
	}
	return g_steal_pointer(&r);
}

/* ---- grouping ---- */

static int compare_seed(gconstpointer a, gconstpointer b)
{
	const struct run_result *x = *(struct run_result *const *)a;
	const struct run_result *y = *(struct run_result *const *)b;

	return x->seed < y->seed ? -1 : x->seed > y->seed;
}

/* Sort a point's runs by seed, keeping dirs in step. */
static void sort_runs(struct sweep_point *pt)
{
	const guint n = pt->runs->len;
	g_autofree guint *order = g_new(guint, n);
	g_autoptr(GPtrArray) runs = g_ptr_array_new();
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();

	for (guint i = 0; i < n; i++) {
		order[i] = i;
		for (guint j = i; j > 0; j--) {
			if (compare_seed(&pt->runs->pdata[order[j - 1]], &pt->runs->pdata[order[j]]) <= 0)
				break;
			guint t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	}
	for (guint i = 0; i < n; i++) {
		g_ptr_array_add(runs, pt->runs->pdata[order[i]]);
		g_ptr_array_add(dirs, pt->dirs->pdata[order[i]]);
	}
	for (guint i = 0; i < n; i++) {
		pt->runs->pdata[i] = runs->pdata[i];
		pt->dirs->pdata[i] = dirs->pdata[i];
	}
}

/* Check the replications of pt and compute its pooled result and
 * statistics. */
static bool finish_point(struct sweep_point *pt, GError **error)
{
	struct run_result **rs = (struct run_result **)pt->runs->pdata;

	sort_runs(pt);
	for (guint i = 1; i < pt->runs->len; i++) {
		if (rs[i]->seed == rs[i - 1]->seed) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "%s and %s: the same run twice (%s, seed %" PRIu64 ")",
				    (char *)pt->dirs->pdata[i - 1], (char *)pt->dirs->pdata[i],
				    pt->label, rs[i]->seed);
			return false;
		}
		if (!merge_check(rs[0], pt->dirs->pdata[0], rs[i], pt->dirs->pdata[i], error))
			return false;
	}
	pt->pooled = merge_pool(rs, pt->runs->len);
	pt->stats = merge_stats_new(rs, pt->runs->len);
	return true;
}

static bool parse_point_id(const char *text, guint *index, guint *total)
{
	char *end;
	guint64 i = g_ascii_strtoull(text, &end, 10);

	if (end == text || *end != '/')
		return false;
	const char *t = end + 1;
	guint64 n = g_ascii_strtoull(t, &end, 10);
	if (end == t || *end || i < 1 || i > n || n > 1000000)
		return false;
	*index = (guint)i;
	*total = (guint)n;
	return true;
}

static bool group_sweep(struct sweep_results *sr, GPtrArray *runs, GPtrArray *files,
			GError **error)
{
	const struct run_result *r0 = runs->pdata[0];
	const char *varied = sweep_note(r0, SWEEP_NOTE_VARIED);
	const char *seeds = sweep_note(r0, SWEEP_NOTE_SEEDS);
	guint i0, total = 0;

	parse_point_id(sweep_note(r0, SWEEP_NOTE_POINT), &i0, &total);
	g_strfreev(sr->keys);
	sr->keys = varied && *varied ? g_strsplit(varied, ", ", -1) : g_new0(char *, 1);
	sr->points_expected = total;
	sr->seeds_expected = seeds ? (guint)g_ascii_strtoull(seeds, NULL, 10) : 1;
	const guint nkeys = g_strv_length(sr->keys);
	g_autofree struct sweep_point **by_index = g_new0(struct sweep_point *, total + 1);

	for (guint i = 0; i < runs->len; i++) {
		struct run_result *r = runs->pdata[i];
		const char *file = files->pdata[i];
		guint idx, n;
		const char *id = sweep_note(r, SWEEP_NOTE_POINT);
		g_autofree char *dir = g_path_get_dirname(file);

		if (!id || !parse_point_id(id, &idx, &n)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "%s: expected a point of the sweep %s is a point of, got %s",
				    file, (char *)files->pdata[0],
				    id ? "a malformed sweep.point note" : "a run of its own");
			return false;
		}
		if (n != total || g_strcmp0(sweep_note(r, SWEEP_NOTE_VARIED), varied) ||
		    g_strcmp0(sweep_note(r, SWEEP_NOTE_SEEDS), seeds) ||
		    !r->provenance || !r0->provenance ||
		    g_strcmp0(r->provenance->scenario_sha256, r0->provenance->scenario_sha256) ||
		    g_strcmp0(r->provenance->model_sha256, r0->provenance->model_sha256)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "%s and %s are points of different sweeps (what they vary, "
				    "their point count, seeds, scenario or model differ)",
				    (char *)files->pdata[0], file);
			return false;
		}
		g_auto(GStrv) values = g_new0(char *, nkeys + 1);
		for (guint k = 0; k < nkeys; k++) {
			g_autofree char *key = g_strconcat(SWEEP_NOTE_VALUE, sr->keys[k], NULL);
			const char *v = sweep_note(r, key);

			values[k] = g_strdup(v ? v : "");
		}
		struct sweep_point *pt = by_index[idx];
		if (!pt) {
			GString *label = g_string_new(NULL);

			pt = by_index[idx] = point_new();
			/* owned by sr from here, in index order below */
			g_ptr_array_add(sr->points, pt);
			pt->index = idx;
			pt->values = g_strdupv(values);
			for (guint k = 0; k < nkeys; k++)
				g_string_append_printf(label, "%s%s=%s", k ? ", " : "", sr->keys[k],
						       values[k]);
			pt->label = g_string_free(label, FALSE);
		} else {
			for (guint k = 0; k < nkeys; k++)
				if (strcmp(values[k], pt->values[k])) {
					g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
						    "%s and %s both say they are point %u, with %s "
						    "'%s' and '%s'",
						    (char *)pt->dirs->pdata[0], dir, idx, sr->keys[k],
						    pt->values[k], values[k]);
					return false;
				}
		}
		g_ptr_array_add(pt->runs, runs->pdata[i]);
		runs->pdata[i] = NULL;
		g_ptr_array_add(pt->dirs, g_steal_pointer(&dir));
	}
	/* the same points again, in index order */
	g_ptr_array_set_free_func(sr->points, NULL);
	g_ptr_array_set_size(sr->points, 0);
	for (guint idx = 1; idx <= total; idx++)
		if (by_index[idx])
			g_ptr_array_add(sr->points, by_index[idx]);
	g_ptr_array_set_free_func(sr->points, (GDestroyNotify)point_free);
	for (guint idx = 1; idx <= total; idx++) {
		struct sweep_point *pt = by_index[idx];

		if (!pt) {
			g_ptr_array_add(sr->missing, g_strdup_printf("point %u of %u", idx, total));
			continue;
		}
		if (!finish_point(pt, error))
			return false;
		if (pt->runs->len < sr->seeds_expected)
			g_ptr_array_add(sr->missing,
					g_strdup_printf("point %u (%s): %u of %u seeds", idx,
							pt->label, pt->runs->len,
							sr->seeds_expected));
	}
	return true;
}

/* The deepest folder holding every dir of pt (for a group's label). */
static char *common_dir(GPtrArray *dirs)
{
	g_autofree char *c = g_strdup(dirs->pdata[0]);

	for (guint i = 1; i < dirs->len; i++) {
		const char *d = dirs->pdata[i];
		size_t n = 0;

		while (c[n] && c[n] == d[n])
			n++;
		if (c[n] || (d[n] && d[n] != '/')) {
			/* back to a whole folder name */
			while (n > 0 && c[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
		}
		c[n] = '\0';
	}
	return *c ? g_steal_pointer(&c) : g_strdup(".");
}

static bool group_plain(struct sweep_results *sr, GPtrArray *runs, GPtrArray *files,
			GError **error)
{
	for (guint i = 0; i < runs->len; i++) {
		struct run_result *r = runs->pdata[i];
		struct sweep_point *pt = NULL;

		for (guint p = 0; p < sr->points->len && !pt; p++) {
			struct sweep_point *q = sr->points->pdata[p];

			if (merge_check(q->runs->pdata[0], "", r, "", NULL))
				pt = q;
		}
		if (!pt) {
			pt = point_new();
			pt->values = g_new0(char *, 1);
			g_ptr_array_add(sr->points, pt);
		}
		g_ptr_array_add(pt->runs, r);
		runs->pdata[i] = NULL;
		g_ptr_array_add(pt->dirs, g_path_get_dirname(files->pdata[i]));
	}
	for (guint p = 0; p < sr->points->len; p++) {
		struct sweep_point *pt = sr->points->pdata[p];

		pt->label = common_dir(pt->dirs);
		if (!finish_point(pt, error))
			return false;
	}
	return true;
}

static void take_notes(struct sweep_results *sr)
{
	const struct sweep_point *pt = sr->points->len ? sr->points->pdata[0] : NULL;
	const struct run_result *r = pt ? pt->runs->pdata[0] : NULL;

	for (guint i = 0; r && i < r->note_keys->len; i++) {
		const char *k = r->note_keys->pdata[i];

		if (!g_str_has_prefix(k, "sweep.") || !strcmp(k, SWEEP_NOTE_POINT) ||
		    !strcmp(k, SWEEP_NOTE_VARIED) || !strcmp(k, SWEEP_NOTE_SEEDS) ||
		    g_str_has_prefix(k, SWEEP_NOTE_VALUE) || g_str_has_prefix(k, SWEEP_NOTE_UNIT))
			continue;
		g_ptr_array_add(sr->note_keys, g_strdup(k + strlen("sweep.")));
		g_ptr_array_add(sr->note_values, g_strdup(r->note_values->pdata[i]));
	}
}

static bool group(struct sweep_results *sr, GPtrArray *runs, GPtrArray *files, GError **error)
{
	guint marked = 0;

	for (guint i = 0; i < runs->len; i++)
		marked += sweep_note(runs->pdata[i], SWEEP_NOTE_POINT) != NULL;
	if (marked && marked < runs->len) {
		guint a = 0, b = 0;

		while (!sweep_note(runs->pdata[a], SWEEP_NOTE_POINT))
			a++;
		while (sweep_note(runs->pdata[b], SWEEP_NOTE_POINT))
			b++;
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s is a point of a sweep and %s is not: read them separately",
			    (char *)files->pdata[a], (char *)files->pdata[b]);
		return false;
	}
	if (!(marked ? group_sweep(sr, runs, files, error) : group_plain(sr, runs, files, error)))
		return false;
	take_notes(sr);
	sr->partial = sr->missing->len > 0;
	for (guint p = 0; p < sr->points->len; p++)
		sr->partial = sr->partial ||
			      ((struct sweep_point *)sr->points->pdata[p])->pooled->partial;
	return true;
}

struct sweep_results *sweep_results_load(const char *const *paths, GError **error)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_result_free);
	g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(sweep_results) sr = results_new();

	for (const char *const *p = paths; *p; p++) {
		guint before = files->len;

		if (g_file_test(*p, G_FILE_TEST_IS_DIR))
			find_results(*p, files);
		else if (g_file_test(*p, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add(files, g_strdup(*p));
		else {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "cannot read results from '%s': %s", *p, g_strerror(ENOENT));
			return NULL;
		}
		if (files->len == before) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "%s: expected results ('accelsim run -o' or 'accelsim sweep' "
				    "writes them), found no result.ini",
				    *p);
			return NULL;
		}
	}
	for (guint i = 0; i < files->len; i++) {
		struct run_result *r = read_result(files->pdata[i], error);

		if (!r)
			return NULL;
		if (sweep_note(r, SWEEP_NOTE_PROBE)) {
			run_result_free(r);
			continue;
		}
		g_ptr_array_add(runs, r);
		g_ptr_array_add(kept, g_strdup(files->pdata[i]));
	}
	if (!runs->len) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s: expected results, found only a saturation search's probes",
			    paths[0]);
		return NULL;
	}
	if (!group(sr, runs, kept, error))
		return NULL;
	return g_steal_pointer(&sr);
}

struct sweep_results *sweep_results_from_runs(struct run_result **rs, guint n, GError **error)
{
	g_autoptr(sweep_results) sr = results_new();
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_result_free);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < n; i++) {
		g_ptr_array_add(runs, rs[i]);
		g_ptr_array_add(files, g_strdup_printf("run %u/result.ini", i + 1));
	}
	if (!group(sr, runs, files, error))
		return NULL;
	for (guint p = 0; p < sr->points->len; p++) {
		struct sweep_point *pt = sr->points->pdata[p];

		g_free(pt->label);
		pt->label = g_strdup(pt->runs->len > 1 ? "replications" : "run");
	}
	return g_steal_pointer(&sr);
}

char *sweep_point_dirname(guint index, guint total)
{
	return g_strdup_printf("point-%0*u", total >= 100 ? (total >= 1000 ? 4 : 3) : 2, index);
}

void sweep_mark_point(struct run_result *r, guint index, guint total, const char *const *keys,
		      const char *const *values, guint seeds)
{
	g_autofree char *varied = g_strjoinv(", ", (char **)keys);

	g_assert(index >= 1 && index <= total && seeds >= 1);
	g_assert(g_strv_length((char **)values) == g_strv_length((char **)keys));
	run_result_note(r, SWEEP_NOTE_POINT, "%u/%u", index, total);
	run_result_note(r, SWEEP_NOTE_VARIED, "%s", varied);
	for (guint k = 0; keys[k]; k++) {
		g_autofree char *key = g_strconcat(SWEEP_NOTE_VALUE, keys[k], NULL);

		run_result_note(r, key, "%s", values[k]);
	}
	run_result_note(r, SWEEP_NOTE_SEEDS, "%u", seeds);
}

struct sweep_results *sweep_results_from_points(struct run_result **rs, guint n, GError **error)
{
	g_autoptr(sweep_results) sr = results_new();
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_result_free);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);

	g_assert(n >= 1);
	for (guint i = 0; i < n; i++) {
		const char *id = sweep_note(rs[i], SWEEP_NOTE_POINT);
		guint idx = 0, total = 0;

		g_ptr_array_add(runs, rs[i]);
		/* named as if read from where a sweep's folder keeps it */
		if (id && parse_point_id(id, &idx, &total)) {
			g_autofree char *dir = sweep_point_dirname(idx, total);

			g_ptr_array_add(files, g_build_filename(dir, "result.ini", NULL));
		} else {
			g_ptr_array_add(files, g_strdup_printf("run %u/result.ini", i + 1));
		}
	}
	for (guint i = 0; i < n; i++)
		if (!sweep_note(rs[i], SWEEP_NOTE_POINT)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "run %u: expected a point of a sweep (sweep_mark_point), got a "
				    "run of its own", i + 1);
			return NULL;
		}
	if (!group(sr, runs, files, error))
		return NULL;
	return g_steal_pointer(&sr);
}

/* ---- sweep.json ---- */

/* A value that reads whole as a finite number is written as one. */
static void json_value(FILE *f, const char *v)
{
	char *end;
	double d = g_ascii_strtod(v, &end);

	if (*v && !*end && isfinite(d) && !g_ascii_isspace(*v) && *v != '+' &&
	    strspn(v, "0123456789.-eE") == strlen(v))
		fputs(v, f);
	else
		report_json_string(f, v);
}

static const char *prov_value(const struct provenance *p, const char *key)
{
	for (guint i = 0; p && i < p->keys->len; i++)
		if (!strcmp(p->keys->pdata[i], key))
			return p->values->pdata[i];
	return NULL;
}

/* True when every run of sr has key set to value (in its effective
 * configuration). */
static bool everywhere(const struct sweep_results *sr, const char *key, const char *value)
{
	for (guint p = 0; p < sr->points->len; p++) {
		const struct sweep_point *pt = sr->points->pdata[p];

		for (guint i = 0; i < pt->runs->len; i++)
			if (g_strcmp0(prov_value(((struct run_result *)pt->runs->pdata[i])->provenance,
						 key),
				      value))
				return false;
	}
	return true;
}

static bool set_everywhere(const struct sweep_results *sr, const char *set)
{
	for (guint p = 0; p < sr->points->len; p++) {
		const struct sweep_point *pt = sr->points->pdata[p];

		for (guint i = 0; i < pt->runs->len; i++) {
			const struct provenance *pv =
				((struct run_result *)pt->runs->pdata[i])->provenance;
			bool found = false;

			for (guint s = 0; pv && s < pv->sets->len && !found; s++)
				found = !strcmp(pv->sets->pdata[s], set);
			if (!found)
				return false;
		}
	}
	return true;
}

/* The provenance the whole sweep shares: what made it, from what, and the
 * configuration every point has (what the sweep varies and the seeds are
 * in the points). */
static void json_provenance(FILE *f, const struct sweep_results *sr)
{
	const struct sweep_point *pt = sr->points->pdata[0];
	const struct provenance *p = ((struct run_result *)pt->runs->pdata[0])->provenance;
	bool first = true;

	fputs(",\n \"provenance\": ", f);
	if (!p) {
		fputs("null", f);
		return;
	}
	fputs("{\"version\": ", f);
	report_json_string(f, p->version);
	fputs(", \"scenario_path\": ", f);
	report_json_string(f, p->scenario_path);
	fputs(", \"scenario_sha256\": ", f);
	report_json_string(f, p->scenario_sha256);
	fputs(", \"model_path\": ", f);
	report_json_string(f, p->model_path);
	fputs(", \"model_sha256\": ", f);
	report_json_string(f, p->model_sha256);
	fputs(", \"mode\": ", f);
	report_json_string(f, p->mode);
	fputs(", \"latency\": ", f);
	report_json_string(f, latency_kind_name(p->latency));
	fprintf(f, ", \"requests\": %s, \"sets\": [", p->requests ? "true" : "false");
	for (guint i = 0; i < p->sets->len; i++) {
		if (!set_everywhere(sr, p->sets->pdata[i]))
			continue;
		fputs(first ? "" : ", ", f);
		first = false;
		report_json_string(f, p->sets->pdata[i]);
	}
	fputs("],\n  \"effective\": {", f);
	first = true;
	for (guint i = 0; i < p->keys->len; i++) {
		if (!everywhere(sr, p->keys->pdata[i], p->values->pdata[i]))
			continue;
		fputs(first ? "" : ", ", f);
		first = false;
		report_json_string(f, p->keys->pdata[i]);
		fputs(": ", f);
		report_json_string(f, p->values->pdata[i]);
	}
	fputs("}}", f);
}

static void json_notes(FILE *f, GPtrArray *keys, GPtrArray *values, bool skip_sweep)
{
	bool first = true;

	fputs("{", f);
	for (guint i = 0; i < keys->len; i++) {
		if (skip_sweep && g_str_has_prefix(keys->pdata[i], "sweep."))
			continue;
		fputs(first ? "" : ", ", f);
		first = false;
		report_json_string(f, keys->pdata[i]);
		fputs(": ", f);
		report_json_string(f, values->pdata[i]);
	}
	fputs("}", f);
}

static void json_point(FILE *f, const struct sweep_results *sr, const struct sweep_point *pt)
{
	const struct run_result *r = pt->pooled;
	const struct merge_stats *st = pt->stats;

	fputs("{", f);
	for (guint k = 0; sr->keys[k]; k++) {
		report_json_string(f, sr->keys[k]);
		fputs(": ", f);
		json_value(f, pt->values[k]);
		fputs(", ", f);
	}
	if (!sweep_results_is_sweep(sr)) {
		fputs("\"label\": ", f);
		report_json_string(f, pt->label);
		fputs(", ", f);
	}
	fputs("\"seeds\": [", f);
	for (guint i = 0; i < st->n; i++)
		fprintf(f, "%s%" PRIu64, i ? ", " : "", st->seeds[i]);
	fprintf(f, "], \"partial\": %s, \"duration_s\": ", r->partial ? "true" : "false");
	report_json_num(f, r->duration_s);
	fputs(", \"paths\": {", f);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(p ? ",\n   " : "\n   ", f);
		report_json_string(f, path_name(p));
		fputs(": ", f);
		report_json_path(f, &r->paths[p]);
	}
	fputs("},\n  \"replications\": {", f);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(p ? ",\n   " : "\n   ", f);
		report_json_string(f, path_name(p));
		fputs(": {", f);
		for (METRIC_EACH(m, &metric_path)) {
			size_t k = merge_metric_index(m);

			fputs(k ? ", " : "", f);
			report_json_string(f, m->name);
			fputs(": {\"mean\": ", f);
			report_json_num(f, st->mean[p][k]);
			fputs(", \"ci95\": ", f);
			report_json_num(f, st->half[p][k]);
			fputs("}", f);
		}
		fputs("}", f);
	}
	struct metric_savings sv = metric_savings(r);
	fputs("},\n  \"savings\": {\"host_cpu_cores\": ", f);
	report_json_num(f, sv.cores);
	fputs(", \"core_year_usd\": ", f);
	report_json_num(f, r->core_year_usd);
	fputs(", \"usd_per_host_year\": ", f);
	report_json_num(f, sv.usd_per_year);
	fputs("}, \"notes\": ", f);
	json_notes(f, r->note_keys, r->note_values, true);
	fputs("}", f);
}

void sweep_results_write_json(FILE *f, const struct sweep_results *sr)
{
	const struct sweep_point *p0 = sr->points->pdata[0];
	const struct run_result *r0 = p0->pooled;

	fputs("{\"source\": ", f);
	report_json_string(f, r0->source);
	fputs(", \"scenario\": ", f);
	report_json_string(f, r0->scenario);
	fputs(", \"model\": ", f);
	report_json_string(f, r0->model);
	fprintf(f, ", \"partial\": %s", sr->partial ? "true" : "false");
	json_provenance(f, sr);
	fputs(",\n \"varied\": [", f);
	for (guint k = 0; sr->keys[k]; k++) {
		fputs(k ? ", " : "", f);
		report_json_string(f, sr->keys[k]);
	}
	fprintf(f, "], \"points_expected\": %u, \"seeds\": %u, \"missing\": [",
		sr->points_expected ? sr->points_expected : sr->points->len,
		sr->seeds_expected ? sr->seeds_expected : 1);
	for (guint i = 0; i < sr->missing->len; i++) {
		fputs(i ? ", " : "", f);
		report_json_string(f, sr->missing->pdata[i]);
	}
	fputs("],\n \"points\": [", f);
	for (guint i = 0; i < sr->points->len; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		json_point(f, sr, sr->points->pdata[i]);
	}
	fputs("],\n \"notes\": ", f);
	json_notes(f, sr->note_keys, sr->note_values, false);
	fputs("}\n", f);
}

/* ---- sweep.csv ---- */

static void csv_num(FILE *f, double v)
{
	fputc(',', f);
	if (isfinite(v))
		fprintf(f, "%.10g", v);
}

void sweep_results_write_csv(FILE *f, const struct sweep_results *sr)
{
	const bool sweep = sweep_results_is_sweep(sr);

	for (guint k = 0; sr->keys[k]; k++) {
		report_csv_field(f, sr->keys[k]);
		fputc(',', f);
	}
	if (!sweep)
		fputs("label,", f);
	fputs("path,seeds", f);
	for (METRIC_EACH(m, &metric_path))
		fprintf(f, ",%s,%s_mean,%s_ci95", m->name, m->name, m->name);
	fputc('\n', f);
	for (guint i = 0; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];

		for (int p = 0; p < PATH_COUNT; p++) {
			for (guint k = 0; sr->keys[k]; k++) {
				report_csv_field(f, pt->values[k]);
				fputc(',', f);
			}
			if (!sweep) {
				report_csv_field(f, pt->label);
				fputc(',', f);
			}
			fprintf(f, "%s,%u", path_name(p), pt->stats->n);
			for (METRIC_EACH(m, &metric_path)) {
				size_t k = merge_metric_index(m);

				csv_num(f, metric_value(m, &pt->pooled->paths[p]));
				csv_num(f, pt->stats->mean[p][k]);
				csv_num(f, pt->stats->half[p][k]);
			}
			fputc('\n', f);
		}
	}
}

/* ---- the terminal's table ---- */

void sweep_results_write_table(FILE *f, const struct sweep_results *sr)
{
	static const char *const figs[] = { "delivered_pps", "dropped_packets", "latency_p50",
					    "latency_p99", "host_cpu_cores" };
	const struct sweep_point *p0 = sr->points->pdata[0];
	const struct run_result *r0 = p0->pooled;
	g_autoptr(GString) line = g_string_new(NULL);

	fprintf(f, "accelsim sweep: %s, model %s, %u of %u points, %u seed%s each%s\n",
		r0->scenario, r0->model, sr->points->len,
		sr->points_expected ? sr->points_expected : sr->points->len,
		sr->seeds_expected ? sr->seeds_expected : 1, sr->seeds_expected > 1 ? "s" : "",
		sr->partial ? " (PARTIAL)" : "");
	g_string_assign(line, " ");
	for (guint k = 0; sr->keys[k]; k++)
		g_string_append_printf(line, " %14s", sr->keys[k]);
	if (!sweep_results_is_sweep(sr))
		g_string_append_printf(line, " %-20s", "results");
	g_string_append_printf(line, " %-11s", "path");
	for (size_t i = 0; i < G_N_ELEMENTS(figs); i++) {
		const struct metric *m = metric_find(&metric_path, figs[i]);
		g_autofree char *h = g_strdup_printf("%s %s", metric_label(m, r0),
						     metric_unit(m, r0));

		g_string_append_printf(line, " %*s", i == 0 ? 20 : 16,
				       strlen(h) > 16 && i ? strchr(h, ' ') + 1 : h);
	}
	fprintf(f, "%s\n", line->str);
	for (guint i = 0; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];

		for (int p = 0; p < PATH_COUNT; p++) {
			g_string_assign(line, " ");
			for (guint k = 0; sr->keys[k]; k++) {
				g_autofree char *v = sweep_value_shown(pt, k);

				g_string_append_printf(line, " %14s", p ? "" : v);
			}
			if (!sweep_results_is_sweep(sr))
				g_string_append_printf(line, " %-20s", p ? "" : pt->label);
			g_string_append_printf(line, " %-11s", path_name(p));
			for (size_t j = 0; j < G_N_ELEMENTS(figs); j++) {
				const struct metric *m = metric_find(&metric_path, figs[j]);
				char v[32];
				double mean = pt->stats->mean[p][merge_metric_index(m)];

				metric_format(m->fmt, mean, false, v, sizeof(v));
				g_string_append_printf(line, " %*s", j == 0 ? 20 : 16, v);
			}
			fprintf(f, "%s\n", g_strchomp(line->str));
		}
	}
	for (guint i = 0; i < sr->missing->len; i++)
		fprintf(f, "  missing: %s\n", (char *)sr->missing->pdata[i]);
	for (guint i = 0; i < sr->note_keys->len; i++)
		fprintf(f, "  %s: %s\n", (char *)sr->note_keys->pdata[i],
			(char *)sr->note_values->pdata[i]);
}

/* ---- saving ---- */

static bool save_one(const char *dir, const char *name, const struct sweep_results *sr,
		     void (*write)(FILE *, const struct sweep_results *), GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	g_autoptr(GError) e = NULL;

	if (!f) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    path, g_strerror(errno));
		return false;
	}
	write(f, sr);
	bool ok = fclose(f) == 0 && g_file_set_contents(path, text, (gssize)len, &e);
	free(text);
	if (!ok)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    path, e ? e->message : g_strerror(errno));
	return ok;
}

bool sweep_results_save(const char *dir, const struct sweep_results *sr, GError **error)
{
	if (g_mkdir_with_parents(dir, 0777) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s",
			    dir, g_strerror(errno));
		return false;
	}
	return save_one(dir, "sweep.json", sr, sweep_results_write_json, error) &&
	       save_one(dir, "sweep.csv", sr, sweep_results_write_csv, error);
}
