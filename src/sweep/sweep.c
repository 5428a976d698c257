/* sweep.c: plan, run or emit, and merge a sweep (see sweep.h). */
#include "sweep/sweep.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "config/scenario.h"
#include "core/msg.h"
#include "pipeline/pipeline.h"
#include "sweep/emit.h"
#include "sweep/load.h"
#include "sweep/plan.h"
#include "sweep/pool.h"
#include "sweep/search.h"

#define DEFAULT_LOAD "10%..120%/10%"

/* One axis of the grid, ready to run: the columns it fills and, per value,
 * their values and the --set arguments that make it. */
struct axis {
	GPtrArray *names;	/* char *: varied columns ("load_pct", "rate_rps") */
	char *unit;		/* a --vary key's base unit ("B"), or NULL */
	GPtrArray *values;	/* GPtrArray * of char * per value: one per column */
	GPtrArray *sets;	/* GPtrArray * of char * per value: "--set" arguments */
};

static void axis_clear(struct axis *a)
{
	g_free(a->unit);
	if (a->names)
		g_ptr_array_unref(a->names);
	if (a->values)
		g_ptr_array_unref(a->values);
	if (a->sets)
		g_ptr_array_unref(a->sets);
	memset(a, 0, sizeof(*a));
}

static void axis_init(struct axis *a)
{
	a->names = g_ptr_array_new_with_free_func(g_free);
	a->values = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	a->sets = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
}

static GPtrArray *strings(void)
{
	return g_ptr_array_new_with_free_func(g_free);
}

/* A number as the sweep's files write it. */
static char *number_text(double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	return g_strdup(g_ascii_formatd(buf, sizeof(buf), "%.10g", v));
}

void sweep_outcome_clear(struct sweep_outcome *out)
{
	sweep_results_free(out->results);
	g_free(out->saturation);
	memset(out, 0, sizeof(*out));
}

/* ---- the axes ---- */

static bool vary_axis(const char *arg, struct axis *ax, GError **error)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !memchr(arg, '.', eq - arg)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--vary: expected section.key=values (e.g. vswitch.cores=1,2,4), got '%s'",
			    arg);
		return false;
	}
	g_autofree char *key = g_strndup(arg, eq - arg);
	const unsigned all = UNIT_TIME | UNIT_BITRATE | UNIT_PKTRATE | UNIT_SIZE | UNIT_BYTERATE |
			     UNIT_FREQ | UNIT_CYCLES | UNIT_PERCENT | UNIT_COUNT | UNIT_REQRATE;
	g_autoptr(sweep_axis) a = sweep_axis_parse(key, eq + 1, all, true, error);

	if (!a)
		return false;
	axis_init(ax);
	g_ptr_array_add(ax->names, g_strdup(key));
	if (a->kind && *sweep_base_unit(a->kind))
		ax->unit = g_strdup(sweep_base_unit(a->kind));
	for (guint i = 0; i < a->texts->len; i++) {
		GPtrArray *vals = strings(), *sets = strings();
		double v = g_array_index(a->values, double, i);

		g_ptr_array_add(vals, isfinite(v) ? number_text(v) : g_strdup(a->texts->pdata[i]));
		g_ptr_array_add(sets, g_strdup_printf("%s=%s", key, (char *)a->texts->pdata[i]));
		g_ptr_array_add(ax->values, vals);
		g_ptr_array_add(ax->sets, sets);
	}
	return true;
}

/* The load axis.  For percentages, sat is the factor of 100 %. */
static void load_axis(const struct sweep_axis *a, const struct sweep_load *l, double sat,
		      struct axis *ax)
{
	const bool pct = a->kind == UNIT_PERCENT;
	const char *col = sweep_load_column(l, pct ? UNIT_PKTRATE : a->kind);

	axis_init(ax);
	if (pct)
		g_ptr_array_add(ax->names, g_strdup("load_pct"));
	g_ptr_array_add(ax->names, g_strdup(col));
	for (guint i = 0; i < a->texts->len; i++) {
		double v = g_array_index(a->values, double, i);
		double f = pct ? v / 100 * sat : sweep_load_factor(l, v, a->kind, NULL);
		GPtrArray *vals = strings();

		if (pct)
			g_ptr_array_add(vals, number_text(v));
		g_ptr_array_add(vals, number_text(a->kind == UNIT_BITRATE ? f * l->base_bps
									  : f * l->base_pps));
		g_ptr_array_add(ax->values, vals);
		g_ptr_array_add(ax->sets, sweep_load_sets(l, f));
	}
}

/* ---- the command lines ---- */

/* A path the workers can use from any folder: absolute when it names a
 * file here, as given otherwise (a shipped name). */
static char *absolute(const char *p)
{
	if (g_file_test(p, G_FILE_TEST_EXISTS))
		return g_canonicalize_filename(p, NULL);
	return g_strdup(p);
}

static GPtrArray *base_command(const struct sweep_opts *o, const char *scenario_path)
{
	GPtrArray *argv = strings();

	g_ptr_array_add(argv, sweep_self_path());
	g_ptr_array_add(argv, g_strdup("run"));
	g_ptr_array_add(argv, g_strdup(scenario_path));
	if (o->model) {
		g_ptr_array_add(argv, g_strdup("--model"));
		g_ptr_array_add(argv, absolute(o->model));
	}
	for (char **s = o->sets; s && *s; s++) {
		g_ptr_array_add(argv, g_strdup("--set"));
		g_ptr_array_add(argv, g_strdup(*s));
	}
	if (o->interval) {
		g_ptr_array_add(argv, g_strdup("--interval"));
		g_ptr_array_add(argv, g_strdup(o->interval));
	}
	if (o->core_price) {
		g_ptr_array_add(argv, g_strdup("--core-price"));
		g_ptr_array_add(argv, g_strdup(o->core_price));
	}
	return argv;
}

static void add_note(GPtrArray *argv, const char *key, const char *value)
{
	g_ptr_array_add(argv, g_strdup("--note"));
	g_ptr_array_add(argv, g_strdup_printf("%s=%s", key, value));
}

/* ---- checking the points before running them ---- */

/* Load the scenario with every --set a point has: a bad value fails here,
 * before any run, with the config layer's own message. */
static bool check_point(const struct sweep_opts *o, const char *path, GPtrArray *sets,
			GError **error)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new();

	for (char **s = o->sets; s && *s; s++)
		g_ptr_array_add(all, *s);
	for (guint i = 0; i < sets->len; i++)
		g_ptr_array_add(all, sets->pdata[i]);
	g_ptr_array_add(all, NULL);
	g_autoptr(kf) k = scenario_sets_from_args((char **)all->pdata, error);
	if (!k)
		return false;
	g_autoptr(scenario) sc = scenario_load(path, o->model, k, error);
	return sc != NULL;
}

/* A folder a sweep may write: new, or without a sweep in it. */
static bool check_outdir(const char *dir, GError **error)
{
	g_autofree char *json = g_build_filename(dir, "sweep.json", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	bool taken = g_file_test(json, G_FILE_TEST_EXISTS);

	while (!taken && d && (name = g_dir_read_name(d)))
		taken = g_str_has_prefix(name, "point-") || !strcmp(name, "saturation");
	if (taken) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "-o %s: expected a new folder, got one that holds a sweep already; "
			    "remove it or choose another", dir);
		return false;
	}
	if (g_mkdir_with_parents(dir, 0777) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s",
			    dir, g_strerror(errno));
		return false;
	}
	return true;
}

/* ---- the sweep ---- */

static char *saturation_words(const struct sweep_saturation *s, const struct sweep_load *l)
{
	const char *unit = l->requests ? "requests/s" : "packets/s";

	return g_strdup_printf("100 %% load is %.6g %s offered: where the normal path's drops "
			       "begin (more than %g %% of what is offered dropped), between %.6g "
			       "and %.6g, found by %u runs (saturation/)",
			       s->pps, unit, SWEEP_DROP_SHARE * 100, s->lo * l->base_pps,
			       s->hi * l->base_pps, s->runs);
}

/* The capacity formula's load factor: where the search starts. */
static double formula_guess(const struct scenario *sc, const struct sweep_load *l)
{
	double cap = INFINITY;

	for (guint i = 0; i < sc->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(sc->traffic, struct traffic_spec, i);

		if (t->vm == TVM_SELF)
			cap = MIN(cap, pipeline_capacity_pps(sc, dist_mean(&t->size),
							     traffic_route_kind(t)));
	}
	return isfinite(cap) && cap > 0 ? cap / l->base_pps : 1;
}

/* Everything a sweep decides before it runs anything. */
struct plan {
	char *path;		/* the scenario file, absolute */
	struct scenario *sc;	/* as the user's --set leave it */
	guint64 seed0;		/* the first seed */
	struct sweep_axis *load;/* --load, or NULL */
	struct sweep_load *sl;	/* the sources it scales */
	struct axis axes[2];	/* the load axis first, when there is one */
	unsigned naxes;
	guint npoints;
};

static void plan_clear(struct plan *pl)
{
	g_free(pl->path);
	scenario_free(pl->sc);
	sweep_axis_free(pl->load);
	sweep_load_free(pl->sl);
	for (unsigned a = 0; a < 2; a++)
		axis_clear(&pl->axes[a]);
	memset(pl, 0, sizeof(*pl));
}

/* Read the scenario and the axes, and check every point's --set values:
 * all bad input fails here, before anything runs. */
static bool plan_build(const struct sweep_opts *o, struct plan *pl, GError **error)
{
	if (!strcmp(o->scenario, "-")) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected a scenario file or name, got - (a sweep's workers cannot "
			    "read standard input)");
		return false;
	}
	g_autofree char *resolved = scenario_resolve(o->scenario, error);
	if (!resolved)
		return false;
	pl->path = g_canonicalize_filename(resolved, NULL);
	g_autoptr(kf) setkf = NULL;
	if (o->sets && !(setkf = scenario_sets_from_args(o->sets, error)))
		return false;
	if (!(pl->sc = scenario_load(pl->path, o->model, setkf, error)))
		return false;
	pl->seed0 = o->seed >= 0 ? (guint64)o->seed : pl->sc->seed;
	if (pl->seed0 + o->seeds - 1 > G_MAXUINT32) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--seeds: seeds %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
			    " go past %u", pl->seed0, pl->seed0 + o->seeds - 1, G_MAXUINT32);
		return false;
	}

	const guint nvary = o->vary ? g_strv_length(o->vary) : 0;
	if (o->load || !nvary) {
		pl->load = sweep_axis_parse(NULL, o->load ? o->load : DEFAULT_LOAD,
					    UNIT_PERCENT | UNIT_PKTRATE | UNIT_REQRATE |
						    UNIT_BITRATE,
					    false, error);
		if (!pl->load || !(pl->sl = sweep_load_new(pl->sc, error)))
			return false;
		if (pl->load->kind == UNIT_REQRATE && !pl->sl->requests) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--load: expected a packet or bit rate (%s's traffic is not all "
				    "request/response), got requests/s", pl->sc->name);
			return false;
		}
	}
	const unsigned first = pl->load ? 1 : 0;
	if (nvary + first > 2) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected at most two things varied at once (--load and --vary "
			    "together), got %u", nvary + first);
		return false;
	}
	for (guint i = 0; i < nvary; i++) {
		if (pl->load && g_str_has_prefix(o->vary[i], "traffic") &&
		    strstr(o->vary[i], ".rate=")) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "options '--load' and '--vary %.*s' cannot be used together: "
				    "both set the rate",
				    (int)(strchr(o->vary[i], '=') - o->vary[i]), o->vary[i]);
			return false;
		}
		if (!vary_axis(o->vary[i], &pl->axes[first + i], error))
			return false;
	}
	pl->naxes = nvary + first;

	/* every --vary value, and with two of them every pair */
	for (unsigned a = first; a < pl->naxes; a++)
		for (guint v = 0; v < pl->axes[a].sets->len; v++)
			if (!check_point(o, pl->path, pl->axes[a].sets->pdata[v], error))
				return false;
	if (nvary == 2)
		for (guint v = 0; v < pl->axes[0].sets->len; v++)
			for (guint w = 0; w < pl->axes[1].sets->len; w++) {
				g_autoptr(GPtrArray) both = g_ptr_array_new();

				g_ptr_array_extend(both, pl->axes[0].sets->pdata[v], NULL, NULL);
				g_ptr_array_extend(both, pl->axes[1].sets->pdata[w], NULL, NULL);
				if (!check_point(o, pl->path, both, error))
					return false;
			}
	pl->npoints = pl->load ? pl->load->texts->len : 1;
	for (unsigned a = first; a < pl->naxes; a++)
		pl->npoints *= pl->axes[a].sets->len;
	if (pl->npoints > SWEEP_MAX_VALUES) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected at most %d points, got %u", SWEEP_MAX_VALUES, pl->npoints);
		return false;
	}
	return true;
}

/* The runs: points in grid order (the first axis slowest), each seed of
 * a point after the other. */
static GPtrArray *plan_jobs(const struct sweep_opts *o, const struct plan *pl,
			    const GPtrArray *base, const char *outdir, const char *saturation)
{
	GPtrArray *jobs = g_ptr_array_new_with_free_func((GDestroyNotify)sweep_job_free);
	g_autoptr(GString) varied = g_string_new(NULL);
	const guint n1 = pl->naxes > 1 ? pl->axes[1].sets->len : 1;
	const int width = pl->npoints >= 100 ? (pl->npoints >= 1000 ? 4 : 3) : 2;
	g_autofree char *seeds = g_strdup_printf("%u", o->seeds);

	for (unsigned a = 0; a < pl->naxes; a++)
		for (guint c = 0; c < pl->axes[a].names->len; c++)
			g_string_append_printf(varied, "%s%s", varied->len ? ", " : "",
					       (char *)pl->axes[a].names->pdata[c]);
	for (guint p = 0; p < pl->npoints; p++) {
		const guint vi[2] = { p / n1, p % n1 };
		g_autofree char *id = g_strdup_printf("%u/%u", p + 1, pl->npoints);
		g_autofree char *pdir_name = g_strdup_printf("point-%0*u", width, p + 1);
		g_autofree char *pdir = g_build_filename(outdir, pdir_name, NULL);
		g_autoptr(GString) label = g_string_new(NULL);

		for (unsigned a = 0; a < pl->naxes; a++) {
			GPtrArray *vals = pl->axes[a].values->pdata[vi[a]];

			for (guint c = 0; c < vals->len; c++)
				g_string_append_printf(label, "%s%s=%s", label->len ? ", " : "",
						       (char *)pl->axes[a].names->pdata[c],
						       (char *)vals->pdata[c]);
		}
		for (unsigned s = 0; s < o->seeds; s++) {
			g_autoptr(GPtrArray) argv = strings();
			const guint64 seed = pl->seed0 + s;
			g_autofree char *sdir_name = g_strdup_printf("seed-%" G_GUINT64_FORMAT, seed);
			g_autofree char *sdir = g_build_filename(pdir, sdir_name, NULL);
			g_autofree char *jl = g_strdup_printf("point %s (%s), seed %" G_GUINT64_FORMAT,
							      id, label->str, seed);

			for (guint i = 0; i < base->len; i++)
				g_ptr_array_add(argv, g_strdup(base->pdata[i]));
			for (unsigned a = 0; a < pl->naxes; a++) {
				GPtrArray *sets = pl->axes[a].sets->pdata[vi[a]];

				for (guint i = 0; i < sets->len; i++) {
					g_ptr_array_add(argv, g_strdup("--set"));
					g_ptr_array_add(argv, g_strdup(sets->pdata[i]));
				}
			}
			g_ptr_array_add(argv, g_strdup("--seed"));
			g_ptr_array_add(argv, g_strdup_printf("%" G_GUINT64_FORMAT, seed));
			add_note(argv, SWEEP_NOTE_POINT, id);
			add_note(argv, SWEEP_NOTE_VARIED, varied->str);
			for (unsigned a = 0; a < pl->naxes; a++) {
				GPtrArray *vals = pl->axes[a].values->pdata[vi[a]];

				for (guint c = 0; c < vals->len; c++) {
					g_autofree char *k = g_strconcat(
						SWEEP_NOTE_VALUE, (char *)pl->axes[a].names->pdata[c],
						NULL);

					add_note(argv, k, vals->pdata[c]);
				}
			}
			for (unsigned a = 0; a < pl->naxes; a++)
				if (pl->axes[a].unit) {
					g_autofree char *k = g_strconcat(
						SWEEP_NOTE_UNIT, (char *)pl->axes[a].names->pdata[0], NULL);

					add_note(argv, k, pl->axes[a].unit);
				}
			add_note(argv, SWEEP_NOTE_SEEDS, seeds);
			if (saturation)
				add_note(argv, SWEEP_NOTE_SATURATION, saturation);
			g_ptr_array_add(argv, g_strdup("-q"));
			g_ptr_array_add(argv, g_strdup("-o"));
			g_ptr_array_add(argv, g_strdup(sdir));
			g_ptr_array_add(argv, NULL);
			g_ptr_array_add(jobs, sweep_job_new((const char *const *)argv->pdata, sdir, jl));
		}
	}
	return jobs;
}

/* Find 100 % (percent loads), fill the load axis, and run or emit. */
static bool plan_run(const struct sweep_opts *o, struct plan *pl, struct sweep_outcome *out,
		     GError **error)
{
	g_autoptr(GPtrArray) base = base_command(o, pl->path);
	/* absolute: an emitted job may start in another folder */
	g_autofree char *outdir = g_canonicalize_filename(o->outdir, NULL);
	double sat = 1;

	if (pl->load && pl->load->kind == UNIT_PERCENT) {
		struct sweep_saturation s;
		g_autofree char *dir = g_build_filename(outdir, "saturation", NULL);

		if (!sweep_find_saturation(base, pl->sl, formula_guess(pl->sc, pl->sl), pl->seed0,
					   dir, o->jobs, o->progress, &s, &out->interrupted,
					   error)) {
			if (!out->interrupted)
				return false;
			g_clear_error(error);
			return true;
		}
		sat = s.factor;
		out->saturation = saturation_words(&s, pl->sl);
	}
	if (pl->load)
		load_axis(pl->load, pl->sl, sat, &pl->axes[0]);

	g_autoptr(GPtrArray) jobs = plan_jobs(o, pl, base, outdir, out->saturation);
	out->jobs = jobs->len;
	if (o->emit) {
		g_autofree char *what = g_strdup_printf("accelsim sweep of %s: %u points x %u "
							"seeds", pl->sc->name, pl->npoints, o->seeds);

		return sweep_emit(o->emit, jobs, o->slurm, outdir, what, error);
	}

	const struct sweep_pool_opts po = { .jobs = o->jobs, .progress = o->progress,
					    .what = "runs" };
	out->interrupted = sweep_pool_run(jobs, &po);
	guint done = 0;
	for (guint i = 0; i < jobs->len; i++) {
		const struct sweep_job *j = jobs->pdata[i];

		done += j->state == JOB_DONE;
		if (j->state == JOB_FAILED) {
			out->failed++;
			msg_error("%s: %s", j->label, j->error);
		}
	}
	if (!done)
		return true;
	const char *const dirs[] = { o->outdir, NULL };
	out->results = sweep_results_load(dirs, error);
	return out->results && sweep_results_save(o->outdir, out->results, error);
}

bool sweep_run(const struct sweep_opts *o, struct sweep_outcome *out, GError **error)
{
	struct plan pl = { 0 };
	bool ok;

	memset(out, 0, sizeof(*out));
	ok = plan_build(o, &pl, error) && check_outdir(o->outdir, error) &&
	     plan_run(o, &pl, out, error);
	plan_clear(&pl);
	return ok;
}
