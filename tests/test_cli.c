/* test_cli.c: the command line as a user meets it, run as a program from a
 * scratch directory (so nothing works only from the source tree): every
 * shipped scenario is reachable by name, `scenarios` lists them by group,
 * bad usage exits 2 with a message that names what is wrong (a table, as
 * STYLE.md §6 asks), `help CMD` is `CMD --help`, `run -` reads standard
 * input, and a request rate is a packet rate of requests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <stdbool.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config/scenario.h"
#include "core/datadir.h"
#include "core/msg.h"
#include "testutil.h"

static char *scratch;	/* working directory of every run */

/* Run accelsim with args (NULL-terminated) in the scratch directory, input
 * on its standard input (NULL: none); return its exit status. */
static int run_in(const char *const *args, const char *input, char **out, char **err)
{
	g_autofree char *bin = tu_bin();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
		G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GError) e = NULL;

	g_ptr_array_add(argv, bin);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	g_subprocess_launcher_set_cwd(l, scratch);
	g_autoptr(GSubprocess) p =
		g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &e);
	if (!p || !g_subprocess_communicate_utf8(p, input ? input : "", NULL, out, err, &e))
		fail_msg("cannot run %s: %s", bin, e->message);
	assert_true(g_subprocess_get_if_exited(p));
	return g_subprocess_get_exit_status(p);
}


static int setup(void **state)
{
	return tu_bin_built() ? tu_tmpdir_setup(&scratch, "accelsim-cli-XXXXXX") : -1;
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&scratch);
}

/* ---- shipped files by name ---- */

static void test_datadir_names_files_one_folder_down(void **state)
{
	static const char *const good[] = { "quickstart", "quickstart.ini",
					    "calibration/servicing", "calibration/servicing.ini" };
	/* nothing outside datadir/scenarios, however it is spelt */
	static const char *const bad[] = {
		"",
		"calibration",
		"../models/default",
		"calibration/../quickstart",
		"./quickstart",
		"calibration//servicing",
		"/etc/passwd",
		"nosuch/servicing",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *p = datadir_find("scenarios", good[i], ".ini");

		if (!p || !g_str_has_suffix(p, ".ini") || !g_file_test(p, G_FILE_TEST_IS_REGULAR))
			fail_msg("'%s': expected a shipped file, got %s", good[i], p ? p : "NULL");
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *p = datadir_find("scenarios", bad[i], ".ini");

		if (p)
			fail_msg("'%s': expected no file, got '%s'", bad[i], p);
	}
}

/* datadir_list_all names each .ini file under scenarios/, one folder deep,
 * as datadir_find takes it: the top ones first, then each folder's. */
static void test_datadir_lists_every_scenario_by_group(void **state)
{
	g_autoptr(GPtrArray) names = datadir_list_all("scenarios", ".ini");
	g_autofree char *top = g_build_filename(datadir_get(), "scenarios", NULL);
	g_autoptr(GDir) d = g_dir_open(top, 0, NULL);
	guint files = 0;
	const char *e;

	assert_non_null(d);
	while ((e = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(top, e, NULL);
		g_autoptr(GDir) sub = g_dir_open(path, 0, NULL);
		const char *f;

		files += g_str_has_suffix(e, ".ini");
		while (sub && (f = g_dir_read_name(sub)))
			files += g_str_has_suffix(f, ".ini");
	}
	assert_int_equal(names->len, files);
	bool grouped = false;
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		g_autofree char *p = datadir_find("scenarios", n, ".ini");

		if (!p)
			fail_msg("'%s' is listed but not found by name", n);
		if (grouped && !strchr(n, '/'))
			fail_msg("'%s' is listed after a group's files", n);
		grouped |= strchr(n, '/') != NULL;
	}
	assert_true(grouped);
}

/* Each shipped scenario loads by the name `accelsim scenarios` shows, from
 * a directory that is not the source tree. */
static void test_every_shipped_scenario_loads_by_name_from_elsewhere(void **state)
{
	g_autoptr(GPtrArray) names = datadir_list_all("scenarios", ".ini");
	g_autofree char *here = g_get_current_dir();

	assert_int_equal(g_chdir(scratch), 0);
	for (guint i = 0; i < names->len; i++) {
		g_autoptr(GError) e = NULL;
		g_autoptr(scenario) s = scenario_load(names->pdata[i], NULL, NULL, &e);

		if (!s)
			fail_msg("%s: %s", (char *)names->pdata[i], e->message);
	}
	assert_int_equal(g_chdir(here), 0);
}

static void test_scenarios_lists_each_under_its_group(void **state)
{
	g_autoptr(GPtrArray) names = datadir_list_all("scenarios", ".ini");
	g_autofree char *out = NULL, *err = NULL;

	assert_int_equal(run_in(ARGS("scenarios"), NULL, &out, &err), 0);
	const char *heading = strstr(out, "\ncalibration/\n");
	assert_non_null(heading);
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		g_autofree char *row = g_strdup_printf("\n  %s ", n);
		const char *at = strstr(out, row);

		if (!at)
			fail_msg("'%s' is not listed in:\n%s", n, out);
		if ((at > heading) != (strchr(n, '/') != NULL))
			fail_msg("'%s' is listed on the wrong side of the calibration/ heading", n);
	}
}

/* The calibration scenarios run by name from anywhere (docs/calibration.md
 * gives its commands so). */
static void test_calibration_scenario_runs_by_name(void **state)
{
	g_autofree char *out = NULL, *err = NULL;
	int status = run_in(ARGS("run", "calibration/vm-latency", "-q", "--csv", "--set",
				 "scenario.duration=20ms", "--set", "scenario.warmup=0s"),
			    NULL, &out, &err);

	if (status != 0)
		fail_msg("exit %d: %s", status, err);
	assert_non_null(strstr(out, "path,metric,value,unit"));
}

/* ---- bad usage: exit 2, and say what is wrong ---- */

static const struct {
	const char *const *args;
	const char *fragment;	/* in stderr, after "accelsim: error: " */
} bad_usage[] = {
	{ ARGS("rnu"), "'rnu' is not an accelsim command (did you mean 'run'?)" },
	{ ARGS("--list=bogus"), "--list: expected commands, scenarios, models, sizes" },
	{ ARGS("--list"), "--list: expected commands, scenarios, models, sizes, keys or "
			  "sections, got ''" },
	{ ARGS("--list", "keys", "x"), "--list: unexpected argument 'x'" },
	/* run */
	{ ARGS("run"), "expected a scenario (a file, a shipped scenario's name or - for "
		       "standard input), got none" },
	{ ARGS("run", "a", "b"), "expected one scenario, got 'a' and 'b'" },
	{ ARGS("run", "--bogus", "quickstart"), "unknown option --bogus" },
	{ ARGS("run", "quickstart", "--json", "--csv"),
	  "options '--json' and '--csv' cannot be used together" },
	{ ARGS("run", "quickstart", "--set", "vswitch.cores", "4"),
	  "--set: expected section.key=value, got 'vswitch.cores' (did you mean --set "
	  "vswitch.cores=4?)" },
	{ ARGS("run", "quickstart", "--set", "vswitch.cores"),
	  "--set: expected section.key=value, got 'vswitch.cores'" },
	{ ARGS("run", "quickstart", "--set", "vswtich.cores=4"),
	  "--set [vswtich]: no such section in the scenario or the model (did you mean "
	  "[vswitch]?)" },
	{ ARGS("run", "calibration/nosuch"), "cannot find scenario 'calibration/nosuch'" },
	{ ARGS("run", "calibration/servicng"), "cannot find scenario 'calibration/servicng' (did "
					       "you mean 'calibration/servicing'?)" },
	{ ARGS("run", "../scenarios/quickstart"), "cannot find scenario" },
	{ ARGS("run", "quickstart", "--seed", "-5"), "--seed: expected a number from 0" },
	/* help */
	{ ARGS("help", "modl"), "'modl' is not a command or help topic (did you mean "
				"'model'?)" },
	{ ARGS("help", "rnu"), "(did you mean 'run'?)" },
	{ ARGS("help", "run", "x"), "unexpected argument 'x'" },
	{ ARGS("help", "model", "vswtich"), "no model section 'vswtich' (did you mean "
					    "'vswitch'?)" },
	{ ARGS("help", "scenario", "trafic"), "no scenario section 'trafic' (did you mean "
					      "'traffic'?)" },
	{ ARGS("help", "model", "zzzzzzzz"), "no model section 'zzzzzzzz'; model sections: "
					     "model, host, vm, " },
	{ ARGS("help", "model", "wire", "nic"), "unexpected argument 'nic'" },
	/* the information commands */
	{ ARGS("models", "--markdown"), "unknown option --markdown" },
	{ ARGS("models", "x"), "unexpected argument 'x'" },
	{ ARGS("scenarios", "x"), "unexpected argument 'x'" },
	{ ARGS("check-size"), "expected a VM size such as Standard_D2s_v3, got none" },
	{ ARGS("check-size", "a", "b"), "unexpected argument 'b'" },
};

static void test_bad_usage_exits_2_and_names_the_fault(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bad_usage); i++) {
		g_autofree char *out = NULL, *err = NULL;
		int status = run_in(bad_usage[i].args, NULL, &out, &err);

		if (status != 2 || !strstr(err, bad_usage[i].fragment))
			fail_msg("row %zu (%s): expected exit 2 and\n  %s\ngot exit %d and\n  %s", i,
				 bad_usage[i].args[0], bad_usage[i].fragment, status, err);
		if (!g_str_has_prefix(err, "accelsim: error: "))
			fail_msg("row %zu: expected an 'accelsim: error: ' prefix, got '%s'", i, err);
	}
}

/* ---- help ---- */

/* `help CMD` prints what `CMD --help` prints, usage line included. */
static void test_help_cmd_is_cmd_help(void **state)
{
	g_autofree char *list = NULL, *lerr = NULL;

	assert_int_equal(run_in(ARGS("--list=commands"), NULL, &list, &lerr), 0);
	g_auto(GStrv) cmds = g_strsplit(g_strstrip(list), "\n", -1);
	assert_true(g_strv_length(cmds) >= 5);
	for (char **c = cmds; *c; c++) {
		g_autofree char *a = NULL, *b = NULL, *ea = NULL, *eb = NULL;
		g_autofree char *usage = g_strdup_printf("accelsim %s", *c);

		if (!strcmp(*c, "help"))
			continue;
		assert_int_equal(run_in(ARGS("help", *c), NULL, &a, &ea), 0);
		assert_int_equal(run_in(ARGS(*c, "--help"), NULL, &b, &eb), 0);
		assert_string_equal(a, b);
		if (!strstr(a, usage) || strstr(a, "accelsim help"))
			fail_msg("help %s: expected a usage line naming '%s', got\n%s", *c, usage, a);
	}
}

static void test_help_help_exits_0(void **state)
{
	static const char *const forms[] = { "--help", "-h" };

	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
		g_autofree char *out = NULL, *err = NULL;

		assert_int_equal(run_in(ARGS("help", forms[i]), NULL, &out, &err), 0);
		assert_true(g_str_has_prefix(out, "usage: accelsim help "));
		assert_non_null(strstr(out, "\n  model "));
		assert_non_null(strstr(out, "\n  scenario "));
	}
}

/* `models --help` offers only what `models` takes; --markdown belongs to
 * `help model`, and one section prints alone. */
static void test_help_options_belong_to_their_command(void **state)
{
	g_autofree char *models = NULL, *topic = NULL, *all = NULL, *one = NULL, *err = NULL;

	assert_int_equal(run_in(ARGS("models", "--help"), NULL, &models, &err), 0);
	assert_null(strstr(models, "--markdown"));
	g_clear_pointer(&err, g_free);
	assert_int_equal(run_in(ARGS("help", "model", "--help"), NULL, &topic, &err), 0);
	assert_non_null(strstr(topic, "--markdown"));
	assert_non_null(strstr(topic, "accelsim help model"));
	g_clear_pointer(&err, g_free);
	assert_int_equal(run_in(ARGS("help", "model"), NULL, &all, &err), 0);
	g_clear_pointer(&err, g_free);
	assert_int_equal(run_in(ARGS("help", "model", "vswitch"), NULL, &one, &err), 0);
	assert_true(g_str_has_prefix(one, "# vswitch, on "));
	/* each key with its built-in default beside the shipped model's value */
	assert_non_null(strstr(one, "\n[vswitch]"));
	assert_non_null(strstr(one, "\n  cores "));
	assert_null(strstr(one, "[nic]"));
	/* the section as it stands in the whole reference */
	assert_non_null(strstr(all, one));
}

/* ---- run - ---- */

/* A scenario read from standard input runs as the same file would, and
 * errors in it are located in "<stdin>". */
static void test_run_dash_reads_standard_input(void **state)
{
	g_autofree char *path = datadir_find("scenarios", "quickstart", ".ini");
	g_autofree char *text = NULL, *a = NULL, *b = NULL, *ea = NULL, *eb = NULL;
	const char *const sets[] = { "--set", "scenario.duration=20ms", "--set",
				     "scenario.warmup=0s", "--json", "-q" };

	assert_true(g_file_get_contents(path, &text, NULL, NULL));
	assert_int_equal(run_in(ARGS("run", "quickstart", sets[0], sets[1], sets[2], sets[3],
				     sets[4], sets[5]), NULL, &a, &ea), 0);
	assert_int_equal(run_in(ARGS("run", "-", sets[0], sets[1], sets[2], sets[3], sets[4],
				     sets[5]), text, &b, &eb), 0);
	/* the same figures; only the scenario's name differs */
	g_autofree char *named = g_strdup_printf("\"scenario\": \"%s\"", "quickstart");
	assert_non_null(strstr(a, named));
	assert_non_null(strstr(b, "\"scenario\": \"stdin\""));
	/* the figures, after the provenance (which names the command) */
	assert_non_null(strstr(a, "\"paths\""));
	assert_non_null(strstr(b, "\"paths\""));
	assert_string_equal(strstr(a, "\"paths\""), strstr(b, "\"paths\""));

	g_autofree char *out = NULL, *err = NULL;
	assert_int_equal(run_in(ARGS("run", "-"), "[scenario]\nduration = 1ms\n\n[traffic]\n"
						  "rate = 150k\n", &out, &err), 2);
	if (!g_str_has_prefix(err, "<stdin>:5: traffic.rate: ") ||
	    !strstr(err, "did you mean 'kpps'?"))
		fail_msg("expected '<stdin>:5: traffic.rate: ...', got '%s'", err);
}

/* ---- request rates ---- */

static struct scenario *load_text(const char *text, GError **error)
{
	g_autofree char *path = g_build_filename(scratch, "q.ini", NULL);

	assert_true(g_file_set_contents(path, text, -1, NULL));
	return scenario_load(path, NULL, NULL, error);
}

/* reqresp takes its rate in requests/s: a request is one packet, so 20krps
 * is 20kpps of requests; other patterns refuse rps and say why. */
static void test_request_rate_is_a_packet_rate_of_requests(void **state)
{
	static const char *const forms[] = { "20krps", "20kpps", "20000rps", "0.02Mrps" };

	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
		g_autoptr(GError) e = NULL;
		g_autofree char *text = g_strdup_printf(
			"[scenario]\nduration = 1ms\n\n[traffic]\npattern = reqresp\nrate = %s\n",
			forms[i]);
		g_autoptr(scenario) s = load_text(text, &e);

		if (!s)
			fail_msg("%s: %s", forms[i], e->message);
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, 0);
		assert_int_equal(t->rate.kind, UNIT_PKTRATE);
		assert_true(t->rate.value == 20e3);
	}
	g_autoptr(GError) e = NULL;
	g_autoptr(scenario) s = load_text("[scenario]\nduration = 1ms\n\n[traffic]\n"
					  "pattern = poisson\nrate = 20krps\n", &e);
	assert_null(s);
	if (!strstr(e->message, "q.ini:6: traffic.rate: expected a packet rate, a bit rate or "
				"a percentage for pattern 'poisson', got '20krps' (requests/s are "
				"for pattern = reqresp)"))
		fail_msg("got '%s'", e->message);
	g_clear_error(&e);
	g_autoptr(scenario) m = load_text("[scenario]\nduration = 1ms\n\n[traffic]\n"
					  "pattern = reqresp\n", &e);
	assert_null(m);
	assert_non_null(strstr(e->message, "pattern 'reqresp' needs a rate (e.g. 20krps"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datadir_names_files_one_folder_down),
		cmocka_unit_test(test_datadir_lists_every_scenario_by_group),
		cmocka_unit_test(test_every_shipped_scenario_loads_by_name_from_elsewhere),
		cmocka_unit_test(test_scenarios_lists_each_under_its_group),
		cmocka_unit_test(test_calibration_scenario_runs_by_name),
		cmocka_unit_test(test_bad_usage_exits_2_and_names_the_fault),
		cmocka_unit_test(test_help_cmd_is_cmd_help),
		cmocka_unit_test(test_help_help_exits_0),
		cmocka_unit_test(test_help_options_belong_to_their_command),
		cmocka_unit_test(test_run_dash_reads_standard_input),
		cmocka_unit_test(test_request_rate_is_a_packet_rate_of_requests),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
