/* test_calibrate.c: the pieces of `real calibrate` and `real validate`
 * that need no root: the least-squares fit against closed forms, the
 * model file it writes (loaded back by the config layer), and the
 * scenarios that mirror a measurement.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "calibrate/calibrate.h"
#include "calibrate/lsq.h"
#include "calibrate/measurement.h"
#include "calibrate/mirror.h"
#include "calibrate/modelfile.h"
#include "config/scenario.h"
#include "core/msg.h"
#include "engine/engine.h"

/* Points on a line: the fit is the line, with no error. */
static void test_lsq_exact_line(void **state)
{
	struct lsq s;
	struct lsq_fit f;
	GError *err = NULL;

	lsq_init(&s, 2);
	for (int x = 0; x < 5; x++)
		lsq_add(&s, (double[]){ 1, x }, 3 + 2.0 * x, 1);
	assert_true(lsq_solve(&s, &f, &err));
	assert_true(fabs(f.b[0] - 3) < 1e-12);
	assert_true(fabs(f.b[1] - 2) < 1e-12);
	assert_true(f.se[0] < 1e-9 && f.se[1] < 1e-9);
	assert_true(f.rms < 1e-12);
	lsq_clear(&s);
}

/* Simple regression against its textbook closed form: slope Sxy/Sxx,
 * intercept ybar - slope xbar, se(slope) = sqrt(s^2 / Sxx) with
 * s^2 = RSS / (n - 2). */
static void test_lsq_matches_simple_regression(void **state)
{
	const double x[] = { 64, 128, 256, 512, 1024, 1400, 200, 900 };
	const double y[] = { 2500, 2540, 2600, 2770, 2990, 3180, 2560, 2950 };
	const int n = G_N_ELEMENTS(x);
	double xbar = 0, ybar = 0, sxx = 0, sxy = 0, rss = 0;
	struct lsq s;
	struct lsq_fit f;

	lsq_init(&s, 2);
	for (int i = 0; i < n; i++) {
		lsq_add(&s, (double[]){ 1, x[i] }, y[i], 1);
		xbar += x[i] / n;
		ybar += y[i] / n;
	}
	for (int i = 0; i < n; i++) {
		sxx += (x[i] - xbar) * (x[i] - xbar);
		sxy += (x[i] - xbar) * (y[i] - ybar);
	}
	double slope = sxy / sxx, icpt = ybar - slope * xbar;
	for (int i = 0; i < n; i++)
		rss += pow(y[i] - icpt - slope * x[i], 2);
	double se_slope = sqrt(rss / (n - 2) / sxx);
	double se_icpt = sqrt(rss / (n - 2) * (1.0 / n + xbar * xbar / sxx));

	assert_true(lsq_solve(&s, &f, NULL));
	assert_true(fabs(f.b[1] - slope) < 1e-9 * fabs(slope));
	assert_true(fabs(f.b[0] - icpt) < 1e-9 * fabs(icpt));
	assert_true(fabs(f.se[1] - se_slope) < 1e-9 * se_slope);
	assert_true(fabs(f.se[0] - se_icpt) < 1e-9 * se_icpt);
	assert_true(fabs(f.rss - rss) < 1e-9 * rss);
	lsq_clear(&s);
}

/* Weights: a constant fitted to two groups is their weighted mean. */
static void test_lsq_weights(void **state)
{
	struct lsq s;
	struct lsq_fit f;

	lsq_init(&s, 1);
	lsq_add(&s, (double[]){ 1 }, 10, 3);
	lsq_add(&s, (double[]){ 1 }, 20, 1);
	assert_true(lsq_solve(&s, &f, NULL));
	assert_true(fabs(f.b[0] - 12.5) < 1e-12);
	lsq_clear(&s);
}

/* Three parameters, one of them a rule count that varies alone. */
static void test_lsq_three_parameters(void **state)
{
	struct lsq s;
	struct lsq_fit f;

	lsq_init(&s, 3);
	for (int size = 64; size <= 1472; size += 352)
		for (int rules = 0; rules <= 2000; rules += 1000)
			lsq_add(&s, (double[]){ 1, size, rules },
				2000 + 0.5 * size + 14 * rules, 1);
	assert_true(lsq_solve(&s, &f, NULL));
	assert_true(fabs(f.b[0] - 2000) < 1e-6);
	assert_true(fabs(f.b[1] - 0.5) < 1e-9);
	assert_true(fabs(f.b[2] - 14) < 1e-9);
	lsq_clear(&s);
}

/* Parameters the data cannot separate, and too few observations. */
static void test_lsq_refuses_what_it_cannot_fit(void **state)
{
	struct lsq s;
	struct lsq_fit f;
	GError *err = NULL;

	lsq_init(&s, 2);
	for (int i = 0; i < 4; i++)
		lsq_add(&s, (double[]){ 1, 64 }, 100 + i, 1);	/* one size only */
	assert_false(lsq_solve(&s, &f, &err));
	assert_non_null(strstr(err->message, "parameter 2 cannot be told apart"));
	g_clear_error(&err);
	lsq_clear(&s);

	lsq_init(&s, 3);
	lsq_add(&s, (double[]){ 1, 2, 3 }, 1, 1);
	assert_false(lsq_solve(&s, &f, &err));
	assert_non_null(strstr(err->message, "1 observations for 3 parameters"));
	g_clear_error(&err);
	lsq_clear(&s);
}

/* A stand-in model with round numbers and a constant wake-up. */
static void fake_standin(struct standin *m)
{
	double one = 1, w = 4e-6;

	memset(m, 0, sizeof(*m));
	m->name = g_strdup("fake");
	m->hz = 2e9;
	m->cores = 2;
	m->host_packet = (struct fitted_value){ 3000, 100 };
	m->host_byte = (struct fitted_value){ 0, 0.1 };
	m->host_rule = (struct fitted_value){ 25, 1 };
	m->guest_packet = (struct fitted_value){ 6000, 200 };
	m->guest_byte = (struct fitted_value){ 0, 0.1 };
	m->wake_s = (struct fitted_value){ 4e-6, 0.5e-6 };
	m->wake_values = g_array_new(FALSE, FALSE, sizeof(double));
	m->wake_weights = g_array_new(FALSE, FALSE, sizeof(double));
	g_array_append_val(m->wake_values, w);
	g_array_append_val(m->wake_weights, one);
	m->app_queue = 200;
	m->provenance = g_strdup("# made up for a test\n");
}

static char *tmpdir;

static int make_tmpdir(void **state)
{
	tmpdir = g_dir_make_tmp("accelsim-calib-XXXXXX", NULL);
	return tmpdir ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	GDir *d = g_dir_open(tmpdir, 0, NULL);
	const char *e;

	while (d && (e = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(tmpdir, e, NULL);
		g_unlink(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return 0;
}

static char *write_fake_model(void)
{
	struct standin m;
	char *path = g_build_filename(tmpdir, "fake.ini", NULL);
	GError *err = NULL;

	fake_standin(&m);
	if (!standin_write(path, &m, &err))
		fail_msg("standin_write: %s", err->message);
	standin_clear(&m);
	return path;
}

/* The model calibration writes is one the config layer loads, and its
 * fitted block reads back. */
static void test_written_model_loads_and_reads_back(void **state)
{
	g_autofree char *path = write_fake_model();
	g_autofree char *wake = g_build_filename(tmpdir, "fake.wakeup.txt", NULL);
	g_autoptr(model) m = NULL;
	GError *err = NULL;
	double v = 0;

	m = model_load(path, NULL, 0, &err);
	if (!m)
		fail_msg("model_load: %s", err->message);
	assert_string_equal(m->name, "fake");
	assert_true(fabs(m->host.freq_hz - 2e9) < 1);
	assert_int_equal(m->vm.vcpus, 1);
	assert_true(g_file_test(wake, G_FILE_TEST_IS_REGULAR));
	assert_true(modelfile_fitted(path, "vswitch.rule_cycles", &v, &err));
	assert_true(fabs(v - 25) < 1e-9);
	assert_true(modelfile_fitted(path, "guest.cycles_per_packet", &v, &err));
	assert_true(fabs(v - 6000) < 1e-9);
	assert_false(modelfile_fitted(path, "no.such_key", &v, &err));
	assert_null(err);
}

static struct conditions conds(int size, int rules, bool one_way, double rate)
{
	return (struct conditions){ .emulate = true, .size = size, .rules = rules, .batch = 32,
				    .window = one_way ? 0 : 64, .rate_pps = rate, .client_cpu = 1,
				    .server_cpu = 1, .hz = 2e9, .one_way = one_way };
}

/* Simulate the mirror at path; the result. */
static struct run_result *simulate(const char *path)
{
	g_autoptr(scenario) sc = NULL;
	struct run_result *r = run_result_new();
	struct engine_opts eo = { .quiet_simgrid = true };
	GError *err = NULL;

	sc = scenario_load(path, NULL, NULL, &err);
	if (!sc)
		fail_msg("scenario_load %s: %s", path, err->message);
	if (!engine_run_forked(sc, &eo, r, &err))
		fail_msg("engine_run_forked: %s", err->message);
	return r;
}

/* The round-trip mirror predicts, with a constant wake-up w, exactly the
 * closed form of the model's mapping: 2 G / hz + 2 w accelerated, 2 H / hz
 * more on the normal path, H being the base plus the rules' cost. */
static void test_round_trip_mirror_matches_closed_form(void **state)
{
	g_autofree char *model_path = write_fake_model();
	g_autofree char *scen = g_build_filename(tmpdir, "rt.ini", NULL);
	struct conditions c = conds(64, 100, false, 0);
	g_autoptr(run_result) r = NULL;
	GError *err = NULL;
	double accel, normal, host = (3000 + 100 * 25) / 2e9;

	if (!mirror_write(scen, model_path, &c, MIRROR_ROUND_TRIP, 0, &err))
		fail_msg("mirror_write: %s", err->message);
	r = simulate(scen);
	accel = stats_hist_percentile(r->paths[PATH_ACCEL].latency, 50) / 1e9;
	normal = stats_hist_percentile(r->paths[PATH_NORMAL].latency, 50) / 1e9;
	print_message("round trip: accelerated %.3f us, normal %.3f us\n", accel * 1e6,
		      normal * 1e6);
	/* 1 % covers the histogram's 0.4 % and the frames' serialisation */
	assert_true(fabs(accel - (2 * 6000 / 2e9 + 2 * 4e-6)) < 0.01 * accel);
	assert_true(fabs(normal - accel - 2 * host) < 0.01 * normal);
}

/* A stream mirror replays the bursts; a saturation mirror delivers what
 * one core carries at G + H cycles per packet on the normal path and G on
 * the accelerated one, the others' share taken off the clock. */
static void test_stream_and_saturation_mirrors(void **state)
{
	g_autofree char *model_path = write_fake_model();
	g_autofree char *stream = g_build_filename(tmpdir, "stream.ini", NULL);
	g_autofree char *trace = g_build_filename(tmpdir, "stream.ini.trace.csv", NULL);
	g_autofree char *sat = g_build_filename(tmpdir, "sat.ini", NULL);
	g_autofree char *text = NULL;
	struct conditions c = conds(64, 0, true, 64000);
	g_autoptr(run_result) r = NULL;
	GError *err = NULL;
	g_auto(GStrv) lines = NULL;

	assert_true(mirror_write(stream, model_path, &c, MIRROR_STREAM, 64000, &err));
	assert_true(g_file_get_contents(trace, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	/* header, 0.25 s of 2000 bursts a second of 32, "" */
	assert_int_equal(g_strv_length(lines), 1 + 500 * 32 + 1);
	assert_string_equal(lines[1], "0.000000000,110,1");
	assert_string_equal(lines[32], "0.000000000,110,1");
	assert_string_equal(lines[33], "0.000500000,110,1");

	c = conds(64, 0, false, 0);
	c.others = 0.25;
	assert_true(mirror_write(sat, model_path, &c, MIRROR_SATURATION, 2e6, &err));
	r = simulate(sat);
	double accel = r->paths[PATH_ACCEL].delivered_pps;
	double normal = r->paths[PATH_NORMAL].delivered_pps;
	print_message("saturation: accelerated %.0f pps, normal %.0f pps\n", accel, normal);
	assert_true(fabs(accel - 0.75 * 2e9 / 6000) < 0.05 * accel);
	assert_true(fabs(normal - 0.75 * 2e9 / 9000) < 0.10 * normal);
}

/* A model without a fitted per-rule cost cannot mirror a run with rules. */
static void test_mirror_with_rules_needs_a_fitted_model(void **state)
{
	g_autofree char *scen = g_build_filename(tmpdir, "x.ini", NULL);
	struct conditions c = conds(64, 10, false, 0);
	GError *err = NULL;

	assert_false(mirror_write(scen, "default", &c, MIRROR_ROUND_TRIP, 0, &err));
	assert_int_equal(err->code, ACCELSIM_ERROR_INPUT);
	assert_non_null(strstr(err->message, "vswitch.rule_cycles"));
	g_error_free(err);
}

static void test_conditions_from_notes(void **state)
{
	g_autoptr(run_result) r = run_result_new();
	struct conditions c;
	GError *err = NULL;

	assert_false(conditions_from_result(r, &c, &err));
	assert_non_null(strstr(err->message, "expected a real-mode measurement"));
	g_clear_error(&err);
	run_result_note(r, "conditions", "mode=emulate size=600 rules=500 batch=32 window=64 "
			"rate_pps=0 client_cpu=1 server_cpu=1 busy_poll_us=0 hz=2.096e+09 "
			"others=0.250");
	run_result_note(r, "latency kind", "round trip");
	assert_true(conditions_from_result(r, &c, &err));
	assert_true(c.emulate);
	assert_int_equal(c.size, 600);
	assert_int_equal(c.rules, 500);
	assert_false(c.one_way);
	assert_true(fabs(c.hz - 2.096e9) < 1);
	assert_true(fabs(c.others - 0.25) < 1e-9);
}

static void test_max_error_option(void **state)
{
	static const struct {
		const char *arg;
		bool ok;
		double p50, p99, cpu;
		const char *fragment;
	} rows[] = {
		{ "20%", true, 0.2, 0.2, 0, NULL },
		{ "cpu=50%", true, 0.15, 0.3, 0.5, NULL },
		{ "p99=off", true, 0.15, -1, 0, NULL },
		{ "p50", false, 0, 0, 0, "expected a percentage such as 15%" },
		{ "lat=5%", false, 0, 0, 0, "expected p50, p99, jitter, saturation or cpu" },
		{ "p50=-3%", false, 0, 0, 0, "got '-3%'" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct validate_opts o;
		GError *err = NULL;

		validate_opts_init(&o);
		if (validate_parse_max_error(&o, rows[i].arg, &err) != rows[i].ok)
			fail_msg("row %zu ('%s'): expected %s", i, rows[i].arg,
				 rows[i].ok ? "success" : "an error");
		if (!rows[i].ok) {
			assert_non_null(strstr(err->message, rows[i].fragment));
			g_error_free(err);
			continue;
		}
		assert_true(fabs(o.max_error[VFIG_P50] - rows[i].p50) < 1e-9);
		assert_true(fabs(o.max_error[VFIG_P99] - rows[i].p99) < 1e-9);
		assert_true(fabs(o.max_error[VFIG_CPU] - rows[i].cpu) < 1e-9);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lsq_exact_line),
		cmocka_unit_test(test_lsq_matches_simple_regression),
		cmocka_unit_test(test_lsq_weights),
		cmocka_unit_test(test_lsq_three_parameters),
		cmocka_unit_test(test_lsq_refuses_what_it_cannot_fit),
		cmocka_unit_test(test_written_model_loads_and_reads_back),
		cmocka_unit_test(test_round_trip_mirror_matches_closed_form),
		cmocka_unit_test(test_stream_and_saturation_mirrors),
		cmocka_unit_test(test_mirror_with_rules_needs_a_fitted_model),
		cmocka_unit_test(test_conditions_from_notes),
		cmocka_unit_test(test_max_error_option),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
