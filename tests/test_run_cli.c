/* test_run_cli.c: what `accelsim run` adds to its result from the command
 * line: provenance in every output, effective.ini in -o, --interval.
 *
 * Runs the built binary on short runs of a shipped scenario.  Figures are
 * never pinned: the checks are on provenance, on files, and on a re-run of
 * effective.ini giving the same figures as the run it came from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config.h"
#include "report/report.h"
#include "testutil.h"

static char *tmpdir;

static int run(const char *const *args, char **out, char **err)
{
	return tu_run(tmpdir, NULL, args, out, err);
}


static struct run_result *load_result(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "result.ini", NULL);
	g_autoptr(GKeyFile) k = g_key_file_new();
	g_autoptr(GError) err = NULL;
	struct run_result *r = run_result_new();

	if (!g_key_file_load_from_file(k, path, G_KEY_FILE_NONE, &err) ||
	    !run_result_from_keyfile(k, r, &err))
		fail_msg("%s: %s", path, err->message);
	return r;
}

static char *sha256_of(const char *path)
{
	g_autofree char *text = NULL;
	gsize len;

	assert_true(g_file_get_contents(path, &text, &len, NULL));
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
}

/* The "paths" object of a JSON report: the figures, without provenance. */
static char *paths_of(const char *json)
{
	const char *a = strstr(json, "\n \"paths\": {");
	const char *b = a ? strstr(a, "\n \"comparison\": ") : NULL;

	assert_non_null(b);
	return g_strndup(a, b - a);
}

static void test_result_carries_provenance_and_runs_again(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "out", NULL);
	g_autofree char *out = NULL, *err = NULL, *again = NULL, *err2 = NULL;
	int st = run(ARGS("run", "quickstart", "-q", "--json", "--seed", "5", "--set",
			  "scenario.duration=30ms", "--set", "vswitch.cores=3", "--interval", "5ms",
			  "-o", dir),
		     &out, &err);

	if (st != 0)
		fail_msg("run: exit %d: %s", st, err);
	g_autoptr(run_result) r = load_result(dir);
	const struct provenance *p = r->provenance;
	g_autofree char *scen = g_build_filename(ABS_TOP_SRCDIR, "scenarios", "quickstart.ini", NULL);
	g_autofree char *scen_abs = g_canonicalize_filename(scen, NULL);
	g_autofree char *want = sha256_of(scen);

	assert_non_null(p);
	assert_string_equal(p->version, PACKAGE_VERSION);
	assert_string_equal(p->scenario_path, scen_abs);
	assert_string_equal(p->scenario_sha256, want);
	assert_true(g_str_has_suffix(p->model_path, "/models/default.ini"));
	assert_int_equal(strlen(p->model_sha256), 64);
	assert_string_equal(p->mode, "auto");
	assert_int_equal(p->latency, LATENCY_ONE_WAY_RX);
	assert_false(p->requests);
	assert_true(p->wall_s > 0 && g_str_has_suffix(p->started, "Z"));
	assert_int_equal(p->sets->len, 2);
	assert_string_equal(p->sets->pdata[1], "vswitch.cores=3");
	assert_true(g_str_has_prefix(p->command, "accelsim run quickstart -q --json --seed 5"));
	assert_true(r->interval_s == 0.005 && r->seed == 5);
	/* the effective configuration: every key, after --set and --seed */
	const char *want_keys[][2] = { { "scenario.seed", "5" }, { "scenario.duration", "30ms" },
				       { "vswitch.cores", "3" }, { "host.freq", "2.4GHz" } };
	for (size_t i = 0; i < G_N_ELEMENTS(want_keys); i++) {
		bool found = false;

		for (guint j = 0; j < p->keys->len; j++)
			if (!strcmp(p->keys->pdata[j], want_keys[i][0])) {
				assert_string_equal(p->values->pdata[j], want_keys[i][1]);
				found = true;
			}
		if (!found)
			fail_msg("no effective key %s", want_keys[i][0]);
	}
	/* every output says it: JSON and CSV in full, the table in short */
	g_autofree char *shortsum = g_strdup_printf("(sha256 %.12s)", want);
	const char *const files[][2] = { { "result.json", want }, { "result.csv", want },
					 { "result.txt", shortsum } };
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = g_build_filename(dir, files[i][0], NULL);
		g_autofree char *text = NULL;

		assert_true(g_file_get_contents(path, &text, NULL, NULL));
		if (!strstr(text, files[i][1]))
			fail_msg("%s does not carry the scenario's hash", files[i][0]);
	}
	assert_non_null(strstr(out, "\"effective\": {\"scenario.description\": "));

	/* effective.ini runs again, alone, to the same figures (the series
	 * too, given the same --interval, a run option and no key) */
	g_autofree char *eff = g_build_filename(dir, "effective.ini", NULL);
	st = run(ARGS("run", eff, "-q", "--json", "--interval", "5ms"), &again, &err2);
	if (st != 0)
		fail_msg("run effective.ini: exit %d: %s", st, err2);
	g_autofree char *pa = paths_of(out), *pb = paths_of(again);
	assert_string_equal(pa, pb);
}

static void test_request_response_result_says_round_trip(void **state)
{
	g_autofree char *out = NULL, *err = NULL;
	int st = run(ARGS("run", "web-server", "-q", "--set", "scenario.duration=20ms", "--set",
			  "scenario.warmup=2ms"),
		     &out, &err);

	if (st != 0)
		fail_msg("run: exit %d: %s", st, err);
	assert_non_null(strstr(out, "\nlatency: round trip ("));
	assert_non_null(strstr(out, "\n  host cycles per request "));
	assert_non_null(strstr(out, "\n  offered requests "));
}

static void test_interval_option_refuses_what_it_cannot_use(void **state)
{
	const struct {
		const char *value;
		const char *fragment;
	} rows[] = {
		{ "0s", "--interval: expected a time above zero, got '0s'" },
		{ "1s", "--interval: expected at most the measured time (180ms" },
		{ "10ns", "--interval: expected at least a millionth of the measured time" },
		{ "10mss", "--interval: expected a time such as 1.5us" },
		{ "10", "--interval: expected a time such as 1.5us (ns, us, µs, ms, s), got '10' "
			"(no unit)" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *out = NULL, *err = NULL;
		int st = run(ARGS("run", "quickstart", "-q", "--interval", rows[i].value), &out, &err);

		if (st != 2 || !strstr(err, rows[i].fragment))
			fail_msg("--interval %s: exit %d, expected 2 and '%s' in: %s", rows[i].value,
				 st, rows[i].fragment, err);
	}
}

static int setup(void **state)
{
	return tu_bin_built() ? tu_tmpdir_setup(&tmpdir, "accelsim-run-XXXXXX") : -1;
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_carries_provenance_and_runs_again),
		cmocka_unit_test(test_request_response_result_says_round_trip),
		cmocka_unit_test(test_interval_option_refuses_what_it_cannot_use),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
