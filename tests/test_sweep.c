/* test_sweep.c: accelsim sweep and run --seeds, run as the built program.
 *
 * What a sweep must get right: its ranges, the load it calls 100 % (where
 * the normal path's drops begin), curves that behave (offered rising,
 * delivered within offered, the normal path's p99 turning up past the
 * knee), merged files that do not depend on --jobs, a failed point that
 * does not stop the others, Ctrl-C that leaves no worker and no
 * half-written point behind, bad input refused before anything runs; and
 * (`test_sweep --slow`, make check-slow) replications whose 95 % interval
 * holds the M/M/1 closed form.
 *
 * Sweeps use quickstart cut to 100 ms (about 50,000 packets a point near
 * saturation), which keeps the file under 20 seconds on two cores. */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config.h"
#include "simrun.h"
#include "sweep/plan.h"
#include "testutil.h"

static char *tmpdir;

static int run(const char *const *args, char **out, char **err)
{
	return tu_run(tmpdir, NULL, args, out, err);
}

#define SHORT "--set", "scenario.duration=100ms", "--set", "scenario.warmup=10ms"

static char *path_in(const char *a, const char *b)
{
	return g_build_filename(tmpdir, a, b, NULL);
}

/* ---- CSV: a header and rows, values by column name ---- */

struct csv {
	char **head;
	GPtrArray *rows;	/* char ** */
};

static void csv_free(struct csv *c)
{
	g_strfreev(c->head);
	g_ptr_array_unref(c->rows);
}

/* sweep.csv has no quoted fields in these sweeps: split at commas. */
static void csv_read(const char *path, struct csv *c)
{
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		fail_msg("cannot read %s", path);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	c->head = g_strsplit(lines[0], ",", -1);
	c->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	for (char **l = lines + 1; *l; l++)
		if (**l)
			g_ptr_array_add(c->rows, g_strsplit(*l, ",", -1));
}

static const char *csv_get(const struct csv *c, guint row, const char *col)
{
	char **r = c->rows->pdata[row];

	for (guint i = 0; c->head[i]; i++)
		if (!strcmp(c->head[i], col))
			return r[i];
	fail_msg("sweep.csv has no column %s", col);
	return NULL;
}

static double csv_num(const struct csv *c, guint row, const char *col)
{
	const char *v = csv_get(c, row, col);

	return *v ? g_ascii_strtod(v, NULL) : NAN;
}

/* ---- ranges ---- */

static void test_ranges_end_on_their_end(void **state)
{
	static const struct {
		const char *spec;
		unsigned kinds;
		guint n;
		double first, second, last;
		const char *second_text;
	} rows[] = {
		{ "10%..120%/10%", UNIT_PERCENT, 12, 10, 20, 120, "20%" },
		{ "64B..1500B/*2", UNIT_SIZE, 6, 64, 128, 1500, "128B" },
		{ "100kpps..2Mpps/*1.5", UNIT_PKTRATE, 9, 1e5, 1.5e5, 2e6, "150000pps" },
		{ "1,2,4,8", UNIT_COUNT, 4, 1, 2, 8, "2" },
		{ "50%", UNIT_PERCENT, 1, 50, 50, 50, "50%" },
		{ "0.1ms..0.3ms/0.1ms", UNIT_TIME, 3, 1e-4, 2e-4, 3e-4, "0.0002s" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) e = NULL;
		g_autoptr(sweep_axis) a = sweep_axis_parse("k.k", rows[i].spec, rows[i].kinds, false, &e);

		if (!a)
			fail_msg("%s: %s", rows[i].spec, e->message);
		GArray *v = a->values;
		if (v->len != rows[i].n || fabs(g_array_index(v, double, 0) - rows[i].first) > 1e-9 ||
		    fabs(g_array_index(v, double, v->len - 1) - rows[i].last) > 1e-9 ||
		    (v->len > 1 &&
		     fabs(g_array_index(v, double, 1) - rows[i].second) > 1e-9 * rows[i].second))
			fail_msg("%s: %u values from %g to %g", rows[i].spec, v->len,
				 g_array_index(v, double, 0), g_array_index(v, double, v->len - 1));
		if (v->len > 1 && strcmp(a->texts->pdata[1], rows[i].second_text) &&
		    strcmp(rows[i].spec, "1,2,4,8"))
			fail_msg("%s: second value written '%s', expected '%s'", rows[i].spec,
				 (char *)a->texts->pdata[1], rows[i].second_text);
	}
	/* a list of distributions: commas inside parentheses do not split */
	g_autoptr(sweep_axis) d = sweep_axis_parse("app.service", "exp(1us),lognormal(4us, 1us)",
						   UNIT_TIME, true, NULL);
	assert_non_null(d);
	assert_int_equal(d->texts->len, 2);
	assert_string_equal(d->texts->pdata[1], "lognormal(4us, 1us)");
	assert_true(isnan(g_array_index(d->values, double, 1)));
}

static void test_bad_ranges_say_what_is_wrong(void **state)
{
	static const struct {
		const char *spec;
		const char *fragment;
	} rows[] = {
		{ "120%..10%/10%", "run upwards" },
		{ "10%..120%/0%", "step above 0" },
		{ "10%..120%", "FROM..TO/STEP" },
		{ "100kpps..2Mpps/*1", "factor above 1" },
		{ "10%..1Mpps/10%", "both ends of one kind" },
		{ "1%..100%/0.001%", "at most 1000 values" },
		{ "10%,,20%", "empty item" },
		{ "", "got nothing" },
		{ "40Gbs", "did you mean 'Gbps'" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(GError) e = NULL;
		g_autoptr(sweep_axis) a = sweep_axis_parse(NULL, rows[i].spec,
							   UNIT_PERCENT | UNIT_PKTRATE | UNIT_BITRATE,
							   false, &e);

		if (a)
			fail_msg("'%s' was accepted", rows[i].spec);
		if (!strstr(e->message, rows[i].fragment) || !g_str_has_prefix(e->message, "--load: "))
			fail_msg("'%s': '%s' lacks '%s'", rows[i].spec, e->message, rows[i].fragment);
	}
}

/* ---- a load sweep ---- */

/* Five loads around 100 %: the curves behave, and 100 % is where the
 * normal path's drops begin (none past 0.1 % at 90 %, more at 110 %: the
 * point called 100 % is within 10 % of the onset). */
static void test_load_sweep_finds_the_knee(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "load", NULL);
	g_autofree char *csvp = path_in("load", "sweep.csv");
	g_autofree char *out = NULL, *err = NULL;
	struct csv c;
	int st = run(ARGS("sweep", "quickstart", "--load", "50%..130%/20%", SHORT, "-q", "-o", dir),
		     &out, &err);

	if (st != 0)
		fail_msg("exit %d: %s", st, err);
	assert_non_null(strstr(out, "100 % load is "));
	csv_read(csvp, &c);
	assert_int_equal(c.rows->len, 10);	/* 5 points, 2 paths */
	for (int path = 0; path < 2; path++) {
		double last_offered = 0, last_p99 = 0;

		for (guint i = path; i < c.rows->len; i += 2) {
			const double pct = csv_num(&c, i, "load_pct");
			const double offered = csv_num(&c, i, "offered_pps");
			const double p99 = csv_num(&c, i, "latency_p99");

			assert_string_equal(csv_get(&c, i, "path"), path ? "accelerated" : "normal");
			if (!(offered > last_offered))
				fail_msg("offered load not rising at %g %%: %g after %g", pct, offered,
					 last_offered);
			last_offered = offered;
			if (csv_num(&c, i, "delivered_packets") > csv_num(&c, i, "offered_packets"))
				fail_msg("%s path delivers more than offered at %g %%",
					 csv_get(&c, i, "path"), pct);
			if (path == 0 && pct > 100 && p99 < last_p99)
				fail_msg("normal p99 falls past the knee: %g us at %g %% after %g", p99,
					 pct, last_p99);
			if (path == 0 && pct > 100 && pct < 120 && !(p99 > 2 * last_p99))
				fail_msg("no knee: normal p99 %g us at %g %%, %g us below 100 %%", p99,
					 pct, last_p99);
			last_p99 = p99;
			const double share = csv_num(&c, i, "dropped_packets") /
					     csv_num(&c, i, "offered_packets");
			if (path == 0 && pct == 90 && share > 0.001)
				fail_msg("the normal path drops %.3g %% at 90 %% load", share * 100);
			if (path == 0 && pct == 110 && !(share > 0.001))
				fail_msg("the normal path drops only %.3g %% at 110 %% load", share * 100);
		}
	}
	csv_free(&c);
	/* each point's result, with the provenance of a run */
	g_autofree char *ini = g_build_filename(dir, "point-3", "seed-1", "result.ini", NULL);
	g_autofree char *ini2 = g_build_filename(dir, "point-03", "seed-1", "result.ini", NULL);
	assert_false(g_file_test(ini, G_FILE_TEST_EXISTS));
	assert_true(g_file_test(ini2, G_FILE_TEST_EXISTS));
	g_autofree char *json = NULL;
	g_autofree char *jp = path_in("load", "sweep.json");
	assert_true(g_file_get_contents(jp, &json, NULL, NULL));
	assert_non_null(strstr(json, "\"varied\": [\"load_pct\", \"rate_pps\"]"));
	assert_non_null(strstr(json, "\"scenario_sha256\": "));
	assert_non_null(strstr(json, "\"saturation\": \"100 % load is "));
}

/* ---- the merged files do not depend on --jobs ---- */

static void test_jobs_1_equals_jobs_2_byte_for_byte(void **state)
{
	const char *names[] = { "j1", "j2" };
	const char *jobs[] = { "1", "2" };
	char *text[2][2] = { { NULL } };

	for (int i = 0; i < 2; i++) {
		g_autofree char *dir = g_build_filename(tmpdir, names[i], NULL);
		g_autofree char *out = NULL, *err = NULL;
		int st = run(ARGS("sweep", "quickstart", "--load", "200kpps,500kpps,800kpps", "--seeds",
				  "2", "--jobs", jobs[i], SHORT, "-q", "-o", dir),
			     &out, &err);

		if (st != 0)
			fail_msg("--jobs %s: exit %d: %s", jobs[i], st, err);
		for (int f = 0; f < 2; f++) {
			g_autofree char *p = path_in(names[i], f ? "sweep.csv" : "sweep.json");

			assert_true(g_file_get_contents(p, &text[i][f], NULL, NULL));
		}
	}
	assert_string_equal(text[0][0], text[1][0]);
	assert_string_equal(text[0][1], text[1][1]);
	/* replications: each figure's mean and interval */
	assert_non_null(strstr(text[0][0], "\"seeds\": [1, 2]"));
	assert_non_null(strstr(text[0][0], "\"ci95\": "));
	for (int i = 0; i < 4; i++)
		g_free(text[i / 2][i % 2]);
}

/* ---- a failed point ---- */

/* --interval 50ms is longer than the 20 ms point's measured time: that
 * run fails (its own check, at run time); the other completes, the sweep
 * says which failed and why, exits 1, and merges what it has, marked
 * partial. */
static void test_failed_point_reported_others_complete(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "fail", NULL);
	g_autofree char *out = NULL, *err = NULL, *json = NULL;
	g_autofree char *jp = path_in("fail", "sweep.json");
	int st = run(ARGS("sweep", "quickstart", "--vary", "scenario.duration=20ms,200ms",
			  "--set", "scenario.warmup=5ms", "--interval", "50ms", "-q", "-o", dir),
		     &out, &err);

	assert_int_equal(st, 1);
	assert_non_null(strstr(err, "point 1/2 (scenario.duration=0.02), seed 1: --interval"));
	assert_null(strstr(err, "point 2/2"));
	assert_true(g_file_get_contents(jp, &json, NULL, NULL));
	assert_non_null(strstr(json, "\"partial\": true"));
	assert_non_null(strstr(json, "\"missing\": [\"point 1 of 2\"]"));
	assert_non_null(strstr(json, "\"scenario.duration\": 0.2"));
}

/* ---- Ctrl-C ---- */

/* Processes whose command line mentions needle. */
static guint processes_with(const char *needle)
{
	g_autoptr(GDir) d = g_dir_open("/proc", 0, NULL);
	const char *name;
	guint n = 0;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename("/proc", name, "cmdline", NULL);
		g_autofree char *text = NULL;
		gsize len;

		if (!g_ascii_isdigit(name[0]) || !g_file_get_contents(p, &text, &len, NULL))
			continue;
		for (gsize i = 0; i + 1 < len; i++)
			if (!text[i])
				text[i] = ' ';
		n += strstr(text, needle) != NULL;
	}
	return n;
}

static guint finished_runs(const char *dir, guint *half)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	guint n = 0;

	*half = 0;
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *pd = g_build_filename(dir, name, NULL);
		g_autoptr(GDir) s = g_str_has_prefix(name, "point-") ? g_dir_open(pd, 0, NULL) : NULL;
		const char *seed;

		while (s && (seed = g_dir_read_name(s))) {
			g_autofree char *ini = g_build_filename(pd, seed, "result.ini", NULL);

			if (g_file_test(ini, G_FILE_TEST_EXISTS))
				n++;
			else
				(*half)++;
		}
	}
	return n;
}

static void test_interrupt_stops_workers_and_keeps_what_finished(void **state)
{
	g_autofree char *bin = tu_bin();
	g_autofree char *dir = g_build_filename(tmpdir, "int", NULL);
	char *argv[] = { bin, "sweep", "quickstart", "--load", "100kpps..1.2Mpps/100kpps",
			 "--seeds", "2", "--jobs", "2", "--set", "scenario.duration=400ms",
			 "-q", "-o", dir, NULL };
	GPid pid;
	int status, err_fd;
	guint half;
	g_autoptr(GError) e = NULL;

	if (!g_spawn_async_with_pipes(tmpdir, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
				      G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, NULL, NULL,
				      &err_fd, &e))
		fail_msg("cannot run %s: %s", bin, e->message);
	/* wait for four runs to write their results (a minute, TEST_TIME_FACTOR
	 * times that where everything runs slower), then interrupt as a
	 * terminal would, also when they did not: no sweep is left running.
	 * A run stopped between writing its result and exiting counts as
	 * unfinished (its folder goes): with two workers, at most two of the
	 * four */
	const int tries = 1200 * tu_time_factor();
	guint before = 0;

	for (int i = 0; i < tries && (before = finished_runs(dir, &half)) < 4; i++)
		g_usleep(50000);
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	g_spawn_close_pid(pid);
	close(err_fd);
	if (before < 4)
		fail_msg("%u runs finished in %d s, expected 4", before, tries / 20);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	/* no worker left, no point half written */
	assert_int_equal(processes_with(dir), 0);
	guint done = finished_runs(dir, &half);
	assert_int_equal(half, 0);
	assert_true(done >= 2 && done < 24);
	g_autofree char *json = NULL;
	g_autofree char *jp = path_in("int", "sweep.json");
	assert_true(g_file_get_contents(jp, &json, NULL, NULL));
	assert_non_null(strstr(json, "{\"source\": \"simulation\", \"scenario\": \"quickstart\", "
				     "\"model\": \"default\", \"partial\": true"));
}

/* ---- bad input, refused before anything runs ---- */

static void test_bad_input_exits_2_before_running(void **state)
{
	static const struct {
		const char *args[8];
		const char *fragment;
	} rows[] = {
		{ { "--load", "120%..10%/10%" }, "--load: expected the range to run upwards" },
		{ { "--vary", "cores=1,2" }, "--vary: expected section.key=values" },
		{ { "--vary", "vswitch.cores=1,0" }, "vswitch.cores" },
		{ { "--vary", "vswitch.corez=1,2" }, "corez" },
		{ { "--load", "10%", "--vary", "traffic.rate=1kpps" }, "cannot be used together" },
		{ { "--vary", "vswitch.cores=1,2", "--vary", "vswitch.batch=8,16", "--load", "10%" },
		  "at most two things varied" },
		{ { "--slurm" }, "--slurm: only with --emit-jobs" },
		{ { "--seeds", "0" }, "--seeds: expected" },
		{ { "--load", "5krps" }, "expected a packet or bit rate" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *dir = g_strdup_printf("%s/bad%zu", tmpdir, i);
		const char *args[16] = { "sweep", "quickstart", "-q", "-o", dir };
		size_t n = 5;
		g_autofree char *out = NULL, *err = NULL;

		for (const char *const *a = rows[i].args; *a; a++)
			args[n++] = *a;
		int st = run(args, &out, &err);

		if (st != 2 || !strstr(err, rows[i].fragment))
			fail_msg("row %zu: exit %d, '%s' lacks '%s'", i, st, g_strchomp(err),
				 rows[i].fragment);
		if (g_file_test(dir, G_FILE_TEST_EXISTS))
			fail_msg("row %zu: %s was created", i, dir);
	}
	g_autofree char *out = NULL, *err = NULL;
	assert_int_equal(run(ARGS("sweep", "-", "-o", "x"), &out, &err), 2);
	assert_non_null(strstr(err, "cannot read standard input"));
}

/* ---- replications ---- */

/* The free model (simrun.c) but the guest's exponential service. */
static const char mm1_extra[] = "[guest]\ncycles_per_packet = exp(1000cycles)\n"
				"[app]\nservice = 0s\n";

/* M/M/1 in the guest stage: exponential service of mean 1 us (1000
 * cycles at 1 GHz), Poisson arrivals, every other stage free, so the
 * latency (which ends when the app takes the packet) is the guest's
 * sojourn.  rho 0.5, 20 seeds of 30 ms (15,000 packets each): the 95 %
 * interval of the mean sojourn holds 1/(mu - lambda) = 2 us.  It must
 * also say something: it is narrower than 5 % of the mean, so the
 * service time alone (1 us) is far outside it. */
static void test_mm1_interval_over_20_seeds_holds_closed_form(void **state)
{
	g_autofree char *model_path = g_build_filename(tmpdir, "mm1-model.ini", NULL);
	g_autofree char *scen = g_build_filename(tmpdir, "mm1.ini", NULL);
	g_autofree char *out = NULL, *err = NULL;
	g_autofree char *mm1_model = sim_model_text(sim_free_model, mm1_extra);
	const double want = 1 / (1e6 - 0.5e6) * 1e6;

	assert_true(g_file_set_contents(model_path, mm1_model, -1, NULL));
	assert_true(g_file_set_contents(scen, "[scenario]\nmodel = mm1-model.ini\nduration = 32ms\n"
					      "warmup = 2ms\nseed = 11\n[traffic]\npattern = poisson\n"
					      "rate = 500kpps\nflows = 1\n", -1, NULL));
	int st = run(ARGS("run", scen, "--seeds", "20", "--csv", "-q"), &out, &err);
	if (st != 0)
		fail_msg("exit %d: %s", st, err);
	for (int p = 0; p < 2; p++) {
		const char *name = p ? "accelerated" : "normal";
		g_autofree char *mk = g_strdup_printf("\n%s,mean.latency_mean,", name);
		g_autofree char *ck = g_strdup_printf("\n%s,ci95.latency_mean,", name);
		const char *m = strstr(out, mk), *c = strstr(out, ck);

		assert_non_null(m);
		assert_non_null(c);
		double mean = g_ascii_strtod(m + strlen(mk), NULL);
		double half = g_ascii_strtod(c + strlen(ck), NULL);

		print_message("%s: mean sojourn %.4f us +- %.4f (closed form %.4f)\n", name, mean,
			      half, want);
		if (!(fabs(mean - want) <= half))
			fail_msg("%s: %.4f +- %.4f us does not hold %.4f", name, mean, half, want);
		if (!(half > 0 && half < 0.05 * mean))
			fail_msg("%s: half-width %.4f us says nothing", name, half);
	}
	assert_non_null(strstr(out, "\nrun,replication_seed,30,"));
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-sweep-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

/* make check runs the tests but the statistical oracle; `test_sweep
 * --slow` (make check-slow) runs that one: 20 replications. */
int main(int argc, char **argv)
{
	const struct CMUnitTest slow[] = {
		cmocka_unit_test(test_mm1_interval_over_20_seeds_holds_closed_form),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges_end_on_their_end),
		cmocka_unit_test(test_bad_ranges_say_what_is_wrong),
		cmocka_unit_test(test_bad_input_exits_2_before_running),
		cmocka_unit_test(test_load_sweep_finds_the_knee),
		cmocka_unit_test(test_jobs_1_equals_jobs_2_byte_for_byte),
		cmocka_unit_test(test_failed_point_reported_others_complete),
		cmocka_unit_test(test_interrupt_stops_workers_and_keeps_what_finished),
	};

	if (argc > 1 && !strcmp(argv[1], "--slow"))
		return cmocka_run_group_tests_name("slow", slow, setup, teardown);
	return cmocka_run_group_tests(tests, setup, teardown);
}
