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

/* A point of the curve, for the plot. */
struct curve_point {
	double load_pct;
	double m[PATH_COUNT][2], s[PATH_COUNT][2];	/* p50, p99 us */
};

/* The load curve: measure it, simulate each point's stream, compare. */
static bool validate_curve(const struct validate_opts *o, const char *work, int i,
			   const struct val_cond *vc, GPtrArray *cmps, GArray *curve,
			   GError **error)
{
	g_autofree char *name = g_strdup_printf("val-%d-%dB-curve", i, vc->size);
	g_autofree char *dir = g_build_filename(work, name, NULL);
	g_autofree char *size = g_strdup_printf("%d", vc->size);
	const char *args[] = { "--size", size, "--rates", vc->rates, "--flood-time",
			       o->quick ? "0.2" : "0.5", NULL };

	fprintf(stderr, "accelsim: validating: %d B, load %s of saturation\n", vc->size,
		vc->rates);
	if (!run_measure(&o->target, args, dir, error))
		return false;
	for (int k = 1;; k++) {
		g_autofree char *pname = g_strdup_printf("point-%02d", k);
		g_autofree char *pdir = g_build_filename(dir, pname, NULL);
		g_autofree char *sname = g_strdup_printf("%s.sim-%s", name, pname);
		g_autoptr(run_result) m = NULL;
		g_autoptr(run_result) s = NULL;
		struct conditions c;
		struct curve_point cp = { 0 };

		if (!g_file_test(pdir, G_FILE_TEST_IS_DIR))
			break;
		if (!(m = result_load_dir(pdir, error)) || !conditions_from_result(m, &c, error) ||
		    !(s = simulate(work, sname, o->model, &c, MIRROR_STREAM, c.rate_pps, error)))
			return false;
		/* "40 %": the load's share of the slower path's saturation */
		const char *load = result_note(m, "load pct");
		cp.load_pct = load ? g_ascii_strtod(load, NULL) : k * 20;
		g_autofree char *cond = g_strdup_printf("%d B at %.0f %% load", vc->size,
							cp.load_pct);
		compare_latency(cmps, cond, m, s);
		for (int p = 0; p < PATH_COUNT; p++) {
			cp.m[p][0] = p_us(&m->paths[p], 50);
			cp.m[p][1] = p_us(&m->paths[p], 99);
			cp.s[p][0] = p_us(&s->paths[p], 50);
			cp.s[p][1] = p_us(&s->paths[p], 99);
		}
		g_array_append_val(curve, cp);
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

static bool write_file(const char *path, const char *text, GError **error)
{
	GError *err = NULL;

	if (!g_file_set_contents(path, text, -1, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    path, err->message);
		g_error_free(err);
		return false;
	}
	return true;
}

/* latency-vs-load.{dat,gp,png,svg} and conditions.{dat,gp,png,svg}: measured
 * and predicted together, drawn by gnuplot. */
static bool plot(const char *dir, GArray *curve, GPtrArray *cmps, GError **error)
{
	g_autoptr(GString) dat = g_string_new("# load_pct  measured: normal_p50 normal_p99 "
					      "accel_p50 accel_p99  predicted: the same (us)\n");
	g_autoptr(GString) cdat = g_string_new("# condition  measured normal_p50 accel_p50  "
					       "predicted normal_p50 accel_p50 (us)\n");
	static const char gp[] =
		"# Measured and predicted one-way latency against load; edit and run\n"
		"# `gnuplot latency-vs-load.gp` in this directory to redraw.\n"
		"set datafile commentschars '#'\n"
		"set xlabel 'offered load (% of the slower path saturation)' font ',14'\n"
		"set ylabel 'one-way latency (us)' font ',14'\n"
		"set title 'Stand-in: measured (points) and model (lines)' font ',16'\n"
		"set key below center horizontal maxrows 2 font ',12'\nset grid\nset logscale y\n"
		"do for [t in 'pngcairo svg'] {\n"
		"  set terminal t size 1000,650 font ',12'\n"
		"  set output 'latency-vs-load.'.(t eq 'svg' ? 'svg' : 'png')\n"
		"  plot 'latency-vs-load.dat' u 1:2 w p pt 7 ps 1.5 lc rgb '#E69F00' t 'normal p50 measured',\\\n"
		"       '' u 1:6 w l lw 2 lc rgb '#E69F00' t 'normal p50 model',\\\n"
		"       '' u 1:3 w p pt 5 ps 1.5 lc rgb '#D55E00' t 'normal p99 measured',\\\n"
		"       '' u 1:7 w l lw 2 dt 2 lc rgb '#D55E00' t 'normal p99 model',\\\n"
		"       '' u 1:4 w p pt 9 ps 1.5 lc rgb '#0072B2' t 'accelerated p50 measured',\\\n"
		"       '' u 1:8 w l lw 2 lc rgb '#0072B2' t 'accelerated p50 model',\\\n"
		"       '' u 1:5 w p pt 11 ps 1.5 lc rgb '#56B4E9' t 'accelerated p99 measured',\\\n"
		"       '' u 1:9 w l lw 2 dt 2 lc rgb '#56B4E9' t 'accelerated p99 model'\n"
		"}\n";
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
	const char *const files[][2] = { { "latency-vs-load.dat", NULL },
					 { "latency-vs-load.gp", gp },
					 { "conditions.dat", NULL },
					 { "conditions.gp", cgp } };

	for (guint i = 0; i < curve->len; i++) {
		const struct curve_point *p = &g_array_index(curve, struct curve_point, i);

		g_string_append_printf(dat, "%g  %g %g %g %g  %g %g %g %g\n", p->load_pct,
				       p->m[0][0], p->m[0][1], p->m[1][0], p->m[1][1], p->s[0][0],
				       p->s[0][1], p->s[1][0], p->s[1][1]);
	}
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
		const char *text = files[i][1] ? files[i][1] : i == 0 ? dat->str : cdat->str;

		if (!write_file(path, text, error))
			return false;
	}
	for (int k = 0; k < 2; k++) {
		g_autoptr(GSubprocessLauncher) l =
			g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_PIPE);
		g_autoptr(GSubprocess) gpp = NULL;
		g_autofree char *err_text = NULL;
		GError *err = NULL;

		g_subprocess_launcher_set_cwd(l, dir);
		gpp = g_subprocess_launcher_spawn(l, &err, "gnuplot",
						  k ? "conditions.gp" : "latency-vs-load.gp", NULL);
		if (!gpp) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "--plot: cannot run gnuplot (Debian package gnuplot-nox): %s",
				    err->message);
			g_error_free(err);
			return false;
		}
		if (!g_subprocess_communicate_utf8(gpp, NULL, NULL, NULL, &err_text, &err) ||
		    !g_subprocess_get_if_exited(gpp) || g_subprocess_get_exit_status(gpp) != 0) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "--plot: gnuplot failed: %s",
				    err ? err->message : err_text ? g_strstrip(err_text) : "");
			g_clear_error(&err);
			return false;
		}
	}
	return true;
}

bool real_validate(const struct validate_opts *o, FILE *out, bool *passed, GError **error)
{
	const struct val_cond *conds = o->target.emulate ? emulated_conds : hardware_conds;
	size_t n = o->target.emulate ? G_N_ELEMENTS(emulated_conds) : G_N_ELEMENTS(hardware_conds);
	g_autoptr(GPtrArray) cmps = g_ptr_array_new_with_free_func(cmp_free);
	g_autoptr(GArray) curve = g_array_new(FALSE, TRUE, sizeof(struct curve_point));
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
			     validate_curve(o, work, (int)i + 1, &conds[i], cmps, curve, error) :
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
		ok = plot(o->plot_dir, curve, cmps, error);
		if (ok) {
			g_autofree char *a = g_build_filename(o->plot_dir, "latency-vs-load", NULL);
			g_autofree char *b = g_build_filename(o->plot_dir, "conditions", NULL);

			fprintf(out, "plots: %s.{png,svg}, %s.{png,svg}\n", a, b);
		}
	}
	run_workdir_done(work, o->keep);
	return ok;
}
