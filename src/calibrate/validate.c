/* validate.c: `accelsim real validate`: measure where calibration did not,
 * simulate the mirrors with the model, compare (see calibrate.h).
 *
 * Conditions (emulated; hardware runs leave out the rules): payload 256
 * bytes at 0 rules, 64 bytes at 1000 rules, 1000 bytes at 300 rules (each
 * a ping-pong and a windowed flood), and a latency-vs-load curve of
 * 200-byte datagrams at 20, 40, 60 and 80 % of the slower path's
 * saturation.  Compared per path: round-trip p50, p99 and RFC 3550 jitter
 * (one-way on the curve), saturation packets per second, and the host's
 * cycles per packet on the normal path.  The relative error is
 * (predicted - measured) / measured.
 */
#include "calibrate/calibrate.h"

#include <errno.h>
#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calibrate/measurement.h"
#include "calibrate/mirror.h"
#include "calibrate/run.h"
#include "config/model.h"
#include "core/msg.h"
#include "core/outdir.h"
#include "plot/plot.h"
#include "sweep/results.h"

const char *const vfig_names[VFIG_COUNT] = { "p50", "p99", "jitter", "saturation", "cpu" };
static const char *const vfig_units[VFIG_COUNT] = { "us", "us", "us", "pps", "cycles" };

struct val_cond {
	int size, rules;
	const char *rates;	/* a curve; NULL: ping-pong and flood */
};

static const struct val_cond emulated_conds[] = {
	{ 256, 0, NULL }, { 64, 1000, NULL }, { 1000, 300, NULL }, { 200, 0, "20%..80%/20%" },
};
static const struct val_cond hardware_conds[] = {
	{ 256, 0, NULL }, { 1000, 0, NULL }, { 200, 0, "20%..80%/20%" },
};

/* The saturation mirror offers this many times the faster measured rate. */
#define SATURATION_OVERLOAD 3

void validate_opts_init(struct validate_opts *o)
{
	*o = (struct validate_opts){ .model = "netns-standin" };
	o->max_error[VFIG_P50] = 0.15;
	o->max_error[VFIG_SATURATION] = 0.15;
	o->max_error[VFIG_P99] = 0.30;
}

bool validate_parse_max_error(struct validate_opts *o, const char *text, GError **error)
{
	const char *eq = strchr(text, '=');
	const char *val = eq ? eq + 1 : text;
	double v = -1;
	int which = -1;

	if (eq) {
		for (int f = 0; f < VFIG_COUNT; f++)
			if (strlen(vfig_names[f]) == (size_t)(eq - text) &&
			    !strncmp(text, vfig_names[f], (size_t)(eq - text)))
				which = f;
		if (which < 0) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--max-error: expected p50, p99, jitter, saturation or cpu "
				    "before '=', got '%.*s'", (int)(eq - text), text);
			return false;
		}
	}
	if (strcmp(val, "off")) {
		char *end;

		errno = 0;
		v = g_ascii_strtod(val, &end);
		if (errno || end == val || strcmp(end, "%") || !(v > 0) || v > 1000) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--max-error: expected a percentage such as 15%% (or 'off'), "
				    "got '%s'", val);
			return false;
		}
		v /= 100;
	}
	/* a bare percentage changes the limits in force; "off" lifts them all */
	for (int f = 0; f < VFIG_COUNT; f++)
		if (f == which || (which < 0 && (o->max_error[f] > 0 || v < 0)))
			o->max_error[f] = v;
	return true;
}

/* One comparison: a figure of a path under a condition. */
struct cmp {
	char *cond;		/* "256 B, 0 rules" or "200 B at 40 %" */
	enum path_id path;
	enum vfig fig;
	double measured, predicted;
};

static void cmp_free(gpointer p)
{
	struct cmp *c = p;

	g_free(c->cond);
	g_free(c);
}

static void add_cmp(GPtrArray *cmps, const char *cond, enum path_id p, enum vfig f, double m,
		    double pr)
{
	struct cmp *c = g_new0(struct cmp, 1);

	c->cond = g_strdup(cond);
	c->path = p;
	c->fig = f;
	c->measured = m;
	c->predicted = pr;
	g_ptr_array_add(cmps, c);
}

static double rel_error(const struct cmp *c)
{
	return (c->predicted - c->measured) / c->measured;
}

static double p_us(const struct path_result *p, double pct)
{
	return stats_hist_count(p->latency) ? stats_hist_percentile(p->latency, pct) / 1e3 : NAN;
}

/* Latency figures of both paths. */
static void compare_latency(GPtrArray *cmps, const char *cond, const struct run_result *m,
			    const struct run_result *s)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		add_cmp(cmps, cond, p, VFIG_P50, p_us(&m->paths[p], 50), p_us(&s->paths[p], 50));
		add_cmp(cmps, cond, p, VFIG_P99, p_us(&m->paths[p], 99), p_us(&s->paths[p], 99));
		add_cmp(cmps, cond, p, VFIG_JITTER, stats_jitter_value(&m->paths[p].jitter) * 1e6,
			stats_jitter_value(&s->paths[p].jitter) * 1e6);
	}
}

/* Simulate the mirror of kind for conditions c at rate into dir/NAME;
 * the simulated result. */
static struct run_result *simulate(const char *work, const char *name, const char *model_ref,
				   const struct conditions *c, enum mirror_kind kind, double rate,
				   GError **error)
{
	g_autofree char *scen_name = g_strdup_printf("%s.ini", name);
	g_autofree char *scen = g_build_filename(work, scen_name, NULL);
	g_autofree char *dir = g_build_filename(work, name, NULL);

	if (!mirror_write(scen, model_ref, c, kind, rate, error) || !run_simulate(scen, dir, error))
		return NULL;
	return result_load_dir(dir, error);
}

/* A ping-pong and flood condition: measure, simulate its round trip and
 * its saturation, compare. */
static bool validate_plain(const struct validate_opts *o, const char *work, int i,
			   const struct val_cond *vc, GPtrArray *cmps, GError **error)
{
	g_autofree char *name = g_strdup_printf("val-%d-%dB-%drules", i, vc->size, vc->rules);
	g_autofree char *dir = g_build_filename(work, name, NULL);
	g_autofree char *size = g_strdup_printf("%d", vc->size);
	g_autofree char *rules = g_strdup_printf("%d", vc->rules);
	g_autofree char *cond = g_strdup_printf("%d B, %d rules", vc->size, vc->rules);
	const char *args[] = { "--size", size, "--vswitch-rules", rules, "--count",
			       o->quick ? "3000" : "10000", "--warmup", o->quick ? "500" : "1000",
			       "--rounds", "4", "--flood-time", o->quick ? "0.2" : "0.5", NULL };
	const char *hw_args[] = { "--size", size, "--count", o->quick ? "3000" : "10000",
				  "--warmup", o->quick ? "500" : "1000", "--rounds", "4",
				  "--flood-time", o->quick ? "0.2" : "0.5", NULL };
	g_autoptr(run_result) m = NULL;
	g_autoptr(run_result) rt = NULL;
	g_autoptr(run_result) sat = NULL;
	g_autofree char *rt_name = g_strdup_printf("%s.sim-round-trip", name);
	g_autofree char *sat_name = g_strdup_printf("%s.sim-saturation", name);
	struct conditions c;
	double offered;

	fprintf(stderr, "accelsim: validating: %s\n", cond);
	if (!run_measure(&o->target, o->target.emulate ? args : hw_args, dir, error) ||
	    !(m = result_load_dir(dir, error)) || !conditions_from_result(m, &c, error))
		return false;
	offered = SATURATION_OVERLOAD * MAX(m->paths[PATH_NORMAL].delivered_pps,
					    m->paths[PATH_ACCEL].delivered_pps);
	if (!(rt = simulate(work, rt_name, o->model, &c, MIRROR_ROUND_TRIP, 0, error)) ||
	    !(sat = simulate(work, sat_name, o->model, &c, MIRROR_SATURATION, offered, error)))
		return false;
	compare_latency(cmps, cond, m, rt);
	for (int p = 0; p < PATH_COUNT; p++)
		add_cmp(cmps, cond, p, VFIG_SATURATION, m->paths[p].delivered_pps,
			sat->paths[p].delivered_pps);
	add_cmp(cmps, cond, PATH_NORMAL, VFIG_CPU, m->paths[PATH_NORMAL].host_cycles_per_packet,
		sat->paths[PATH_NORMAL].host_cycles_per_packet);
	return true;
}

/* The load curve as measured, read back as the sweep it is, and the
 * model's run of each of its points (in the sweep's order), for the
 * plot; the first curve when there are several. */
struct curve {
	struct sweep_results *measured;
	GPtrArray *predicted;	/* struct run_result * */
};

static void curve_clear(struct curve *cv)
{
	g_clear_pointer(&cv->measured, sweep_results_free);
	g_clear_pointer(&cv->predicted, g_ptr_array_unref);
}

/* The load curve: measure it, simulate each point's stream, compare.
 * The measurement is real mode's sweep folder, read as `accelsim plot`
 * reads it. */
static bool validate_curve(const struct validate_opts *o, const char *work, int i,
			   const struct val_cond *vc, GPtrArray *cmps, struct curve *cv,
			   GError **error)
{
	g_autofree char *name = g_strdup_printf("val-%d-%dB-curve", i, vc->size);
	g_autofree char *dir = g_build_filename(work, name, NULL);
	g_autofree char *size = g_strdup_printf("%d", vc->size);
	const char *args[] = { "--size", size, "--rates", vc->rates, "--flood-time",
			       o->quick ? "0.2" : "0.5", NULL };
	const char *paths[] = { dir, NULL };
	g_autoptr(sweep_results) sr = NULL;
	g_autoptr(GPtrArray) predicted =
		g_ptr_array_new_with_free_func((GDestroyNotify)run_result_free);

	fprintf(stderr, "accelsim: validating: %d B, load %s of saturation\n", vc->size,
		vc->rates);
	if (!run_measure(&o->target, args, dir, error) ||
	    !(sr = sweep_results_load(paths, error)))
		return false;
	if (!sweep_results_is_sweep(sr) || g_strcmp0(sr->keys[0], "load_pct")) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "%s: expected the points of a curve over load_pct, got other results",
			    dir);
		return false;
	}
	for (guint k = 0; k < sr->points->len; k++) {
		const struct sweep_point *pt = sr->points->pdata[k];
		const struct run_result *m = pt->runs->pdata[0];
		g_autofree char *pname = sweep_point_dirname(pt->index, sr->points_expected);
		g_autofree char *sname = g_strdup_printf("%s.sim-%s", name, pname);
		struct run_result *s;
		struct conditions c;

		if (!conditions_from_result(m, &c, error) ||
		    !(s = simulate(work, sname, o->model, &c, MIRROR_STREAM, c.rate_pps, error)))
			return false;
		g_ptr_array_add(predicted, s);
		/* "40 %": the load's share of the slower path's saturation */
		g_autofree char *cond = g_strdup_printf("%d B at %.0f %% load", vc->size,
							sweep_point_number(pt, 0));
		compare_latency(cmps, cond, m, s);
	}
	if (!cv->measured) {
		cv->measured = g_steal_pointer(&sr);
		cv->predicted = g_steal_pointer(&predicted);
	}
	return true;
}

static void print_table(FILE *out, const struct validate_opts *o, GPtrArray *cmps, bool *passed)
{
	int judged = 0, failed = 0;

	fprintf(out, "%-22s %-12s %-10s %12s %12s %9s %9s\n", "condition", "path", "figure",
		"measured", "predicted", "error", "limit");
	for (guint i = 0; i < cmps->len; i++) {
		const struct cmp *c = cmps->pdata[i];
		double e = rel_error(c), lim = o->max_error[c->fig];
		bool ok = !(lim > 0) || (isfinite(e) && fabs(e) <= lim);
		g_autofree char *fig = g_strdup_printf("%s %s", vfig_names[c->fig],
						       vfig_units[c->fig]);
		g_autofree char *limit = lim > 0 ? g_strdup_printf("%.0f%%", lim * 100) :
						   g_strdup("-");

		if (lim > 0) {
			judged++;
			failed += !ok;
		}
		fprintf(out, "%-22s %-12s %-10s %12.5g %12.5g %+8.1f%% %9s%s\n", c->cond,
			path_name(c->path), fig, c->measured, c->predicted, e * 100, limit,
			ok ? "" : "  FAIL");
	}
	*passed = failed == 0;
	fprintf(out, "\nverdict: %s: %d of %d judged figures within their limits (p50 %.0f%%, "
		"p99 %.0f%%, saturation %.0f%%; jitter and cpu %s)\n", failed ? "FAIL" : "PASS",
		judged - failed, judged, o->max_error[VFIG_P50] * 100, o->max_error[VFIG_P99] * 100,
		o->max_error[VFIG_SATURATION] * 100,
		o->max_error[VFIG_JITTER] > 0 || o->max_error[VFIG_CPU] > 0 ? "as set" :
		"reported only");
}

/* Per-figure summary: mean absolute error over the comparisons. */
static void print_summary(FILE *out, GPtrArray *cmps)
{
	fprintf(out, "mean |error| by figure:");
	for (int f = 0; f < VFIG_COUNT; f++) {
		double sum = 0;
		int n = 0;

		for (guint i = 0; i < cmps->len; i++) {
			const struct cmp *c = cmps->pdata[i];

			if (c->fig == (enum vfig)f && isfinite(rel_error(c))) {
				sum += fabs(rel_error(c));
				n++;
			}
		}
		if (n)
			fprintf(out, " %s %.0f%%", vfig_names[f], sum / n * 100);
	}
	fputc('\n', out);
}

/* Run gnuplot on script in dir. */
static bool draw(const char *dir, const char *script, GError **error)
{
	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) gpp = NULL;
	g_autofree char *gnuplot = plot_gnuplot_path();
	g_autofree char *err_text = NULL;
	GError *err = NULL;

	g_subprocess_launcher_set_cwd(l, dir);
	if (gnuplot)
		gpp = g_subprocess_launcher_spawn(l, &err, gnuplot, script, NULL);
	if (!gpp) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "--plot: cannot run gnuplot (Debian package gnuplot-nox): %s",
			    err ? err->message : "not in PATH");
		g_clear_error(&err);
		return false;
	}
	if (!g_subprocess_communicate_utf8(gpp, NULL, NULL, NULL, &err_text, &err) ||
	    !g_subprocess_get_if_exited(gpp) || g_subprocess_get_exit_status(gpp) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "--plot: gnuplot failed: %s",
			    err ? err->message : err_text ? g_strstrip(err_text) : "");
		g_clear_error(&err);
		return false;
	}
	return true;
}

/* conditions.{dat,gp,png,svg}: the round trip of each condition, measured
 * and predicted together, drawn by gnuplot; and latency-vs-load, the
 * curve, drawn as `accelsim plot` draws a sweep (plot_write_versus). */
static bool plot(const char *dir, const struct curve *cv, GPtrArray *cmps, GError **error)
{
	g_autoptr(GString) cdat = g_string_new("# condition  measured normal_p50 accel_p50  "
					       "predicted normal_p50 accel_p50 (us)\n");
	static const char cgp[] =
		"# Round-trip p50 per validation condition, measured and predicted; run\n"
		"# `gnuplot conditions.gp` in this directory to redraw.\n"
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.9 border -1\nset boxwidth 0.9\n"
		"set ylabel 'round trip p50 (us)' font ',14'\nset yrange [0:*]\n"
		"set title 'Stand-in: measured and predicted round trip' font ',16'\n"
		"set key top left font ',12'\nset grid ytics\nset xtics font ',12'\n"
		"do for [t in 'pngcairo svg'] {\n"
		"  set terminal t size 1000,650 font ',12'\n"
		"  set output 'conditions.'.(t eq 'svg' ? 'svg' : 'png')\n"
		"  plot 'conditions.dat' u 2:xtic(1) lc rgb '#E69F00' t 'normal measured',\\\n"
		"       '' u 4 lc rgb '#F0E442' t 'normal model',\\\n"
		"       '' u 3 lc rgb '#0072B2' t 'accelerated measured',\\\n"
		"       '' u 5 lc rgb '#56B4E9' t 'accelerated model'\n"
		"}\n";
	const char *const files[][2] = { { "conditions.dat", NULL }, { "conditions.gp", cgp } };

	for (guint i = 0; i + 1 < cmps->len; i++) {
		const struct cmp *n = cmps->pdata[i];

		/* round-trip conditions: their p50 rows, normal then accelerated */
		if (n->fig != VFIG_P50 || n->path != PATH_NORMAL || strstr(n->cond, "load"))
			continue;
		for (guint j = i + 1; j < cmps->len; j++) {
			const struct cmp *a = cmps->pdata[j];

			if (a->fig == VFIG_P50 && a->path == PATH_ACCEL && !strcmp(a->cond, n->cond)) {
				g_string_append_printf(cdat, "\"%s\" %g %g %g %g\n", n->cond,
						       n->measured, a->measured, n->predicted,
						       a->predicted);
				break;
			}
		}
	}
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s",
			    dir, g_strerror(errno));
		return false;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = g_build_filename(dir, files[i][0], NULL);
		const char *text = files[i][1] ? files[i][1] : cdat->str;

		if (!outdir_write_file(path, text, -1, error))
			return false;
	}
	if (!draw(dir, "conditions.gp", error))
		return false;
	if (cv->measured) {
		g_autoptr(GPtrArray) made = plot_write_versus(
			cv->measured, (struct run_result *const *)cv->predicted->pdata, dir, error);

		if (!made)
			return false;
	}
	return true;
}

bool real_validate(const struct validate_opts *o, FILE *out, bool *passed, GError **error)
{
	const struct val_cond *conds = o->target.emulate ? emulated_conds : hardware_conds;
	size_t n = o->target.emulate ? G_N_ELEMENTS(emulated_conds) : G_N_ELEMENTS(hardware_conds);
	g_autoptr(GPtrArray) cmps = g_ptr_array_new_with_free_func(cmp_free);
	struct curve cv = { 0 };
	g_autofree char *model_path = model_resolve(o->model, NULL, error);
	g_autofree char *work = NULL;
	bool ok = true;

	*passed = false;
	if (!model_path)
		return false;
	if (!(work = run_workdir(o->keep, error)))
		return false;
	run_guard_install();
	for (size_t i = 0; ok && i < n; i++)
		ok = conds[i].rates ?
			     validate_curve(o, work, (int)i + 1, &conds[i], cmps, &cv, error) :
			     validate_plain(o, work, (int)i + 1, &conds[i], cmps, error);
	run_guard_restore();
	if (ok) {
		fprintf(out, "model %s against measurements it was not fitted to (round trip "
			"p50/p99/jitter; one-way on the load curve):\n\n", model_path);
		print_table(out, o, cmps, passed);
		print_summary(out, cmps);
		if (o->keep)
			fprintf(out, "measurements, mirroring scenarios and simulations kept in %s\n",
				o->keep);
	}
	if (ok && o->plot_dir) {
		ok = plot(o->plot_dir, &cv, cmps, error);
		if (ok) {
			g_autofree char *a = g_build_filename(o->plot_dir, "latency-vs-load", NULL);
			g_autofree char *b = g_build_filename(o->plot_dir, "conditions", NULL);

			fprintf(out, "plots: %s.{png,svg}, %s.{png,svg}\n", a, b);
		}
	}
	curve_clear(&cv);
	run_workdir_done(work, o->keep);
	return ok;
}
