/* test_real_cli.c: the `accelsim real` command line, run as a program: bad
 * usage and unsupported conditions exit 2 with a message that names what
 * was expected (calibrate's and validate's options too), and --help exits
 * 0.  As root, the no-root case runs the program as
 * user nobody.  Nothing here builds a namespace or sends a packet.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <grp.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define NOBODY 65534

/* Runs between fork and exec: drop to nobody, or exit 126 if we cannot. */
static void become_nobody(gpointer data)
{
	if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
		_exit(126);
}

/* Run accelsim with args (NULL-terminated); return its exit status. */
static int run(const char *const *args, bool as_nobody, char **out, char **err)
{
	g_autofree char *bin = tu_bin();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	GError *e = NULL;
	int status;

	g_ptr_array_add(argv, bin);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT,
			  as_nobody ? become_nobody : NULL, NULL, out, err, &status, &e))
		fail_msg("cannot run %s: %s", bin, e->message);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int setup(void **state)
{
	return tu_bin_built() ? 0 : -1;
}


static const struct {
	const char *const *args;
	int status;
	const char *fragment;	/* in stderr */
} rows[] = {
	{ ARGS("real"), 2, "real: expected a subcommand, got none" },
	{ ARGS("real", "frobnicate"), 2, "expected check, measure, cleanup, calibrate or "
	  "validate, got 'frobnicate'" },
	{ ARGS("real", "calibrate"), 2, "expected --emulate, or all of --vf, --via and --peer" },
	{ ARGS("real", "calibrate", "--emulate"), 2,
	  "-o: expected the model file to write, got none" },
	{ ARGS("real", "calibrate", "--emulate", "--vf", "x0", "-o", "m.ini"), 2,
	  "--emulate: expected without --vf, --via and --peer" },
	{ ARGS("real", "calibrate", "--emulate", "-o", "model.txt"), 2,
	  "-o: expected a model file name ending in .ini, got 'model.txt'" },
	{ ARGS("real", "validate", "x"), 2, "unexpected argument 'x'" },
	{ ARGS("real", "validate", "--emulate", "--max-error", "p50"), 2,
	  "--max-error: expected a percentage such as 15% (or 'off'), got 'p50'" },
	{ ARGS("real", "validate", "--emulate", "--max-error", "lat=3%"), 2,
	  "--max-error: expected p50, p99, jitter, saturation or cpu before '=', got 'lat'" },
	{ ARGS("real", "validate", "--emulate", "--model", "nosuchmodel"), 2,
	  "no shipped model called 'nosuchmodel'" },
	{ ARGS("real", "measure", "--emulate", "--rate", "fast"), 2, "--rate: " },
	{ ARGS("real", "measure", "--emulate", "--rate", "0pps"), 2,
	  "--rate: expected a rate above 0, got '0pps'" },
	{ ARGS("real", "measure", "--emulate", "--rates", "10%..50%"), 2,
	  "--rates: expected FROM..TO/STEP such as 10%..100%/10% or "
	  "10kpps..200kpps/10kpps, got '10%..50%'" },
	{ ARGS("real", "measure", "--emulate", "--rates", "10%..50kpps/10%"), 2,
	  "--rates: expected FROM, TO and STEP all in % or all in packets/s" },
	{ ARGS("real", "measure", "--emulate", "--rates", "50%..10%/10%"), 2,
	  "--rates: expected 0 < FROM <= TO and a STEP > 0" },
	{ ARGS("real", "measure", "--emulate", "--rate", "5kpps", "--rates", "1%..2%/1%"), 2,
	  "--rate and --rates: expected one of them, got both" },
	{ ARGS("real", "measure", "--emulate", "--rates", "10%..20%/10%", "--scenario-out",
	       "x.ini"), 2, "--scenario-out: expected a run without --rates" },
	{ ARGS("real", "measure", "--emulate", "--window", "-1"), 2,
	  "--window: expected 0 (unbounded) to 65536 packets, got '-1'" },
	{ ARGS("real", "check", "--bogus"), 2, "unknown option --bogus" },
	{ ARGS("real", "check", "extra"), 2, "unexpected argument 'extra'" },
	{ ARGS("real", "check", "--sysfs", "/nonexistent"), 2,
	  "--sysfs: expected a copy of sysfs (a directory with class/net in it), got "
	  "'/nonexistent'" },
	{ ARGS("real", "measure"), 2, "expected --emulate, or all of --vf, --via and --peer" },
	{ ARGS("real", "measure", "--emulate", "--json", "--csv"), 2,
	  "options '--json' and '--csv' cannot be used together" },
	{ ARGS("real", "measure", "--emulate", "--size", "10"), 2,
	  "--size: expected 32 to 1472 bytes of UDP payload, got '10'" },
	{ ARGS("real", "measure", "--emulate", "--rounds", "0"), 2,
	  "--rounds: expected 1 to --count, got '0'" },
	{ ARGS("real", "measure", "--emulate", "--count", "-5"), 2,
	  "--count: expected a positive number, got '-5'" },
	{ ARGS("real", "measure", "--emulate", "--vf", "x0"), 2,
	  "--emulate: expected without --vf, --via and --peer" },
	{ ARGS("real", "measure", "--vf", "a0", "--via", "a0", "--peer", "b0"), 2,
	  "--vf, --via and --peer: expected three different interfaces, got 'a0', 'a0' "
	  "and 'b0'" },
	{ ARGS("real", "measure", "--vf", "a0", "--via", "b0", "--peer", "c0",
	       "--vswitch-rules", "3"), 2, "--vswitch-rules: expected only with --emulate" },
	{ ARGS("real", "measure", "--emulate", "--no-pin", "--separate-cores"), 2,
	  "--no-pin: expected without --cpu and --separate-cores" },
};

static void test_bad_usage_exits_2_with_reason(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *out = NULL, *err = NULL;
		int status = run(rows[i].args, false, &out, &err);

		if (status != rows[i].status || !strstr(err, rows[i].fragment))
			fail_msg("row %zu: expected status %d and '%s', got %d and '%s'", i,
				 rows[i].status, rows[i].fragment, status, err);
		if (!g_str_has_prefix(err, "accelsim: error: "))
			fail_msg("row %zu: expected an 'accelsim: error: ' prefix, got '%s'", i, err);
	}
}

static void test_help_exits_0(void **state)
{
	static const char *const subs[] = { "check", "measure", "cleanup", "calibrate",
					    "validate" };

	for (size_t i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *out = NULL, *err = NULL;

		assert_int_equal(run(ARGS("real", subs[i], "--help"), false, &out, &err), 0);
		assert_non_null(strstr(out, "Usage:"));
	}
	g_autofree char *out = NULL, *err = NULL;
	assert_int_equal(run(ARGS("real", "--help"), false, &out, &err), 0);
	assert_non_null(strstr(out, "calibrate  measure, fit the model's parameters"));
}

/* Without root, measuring the stand-in is unsupported here: exit 2 and say
 * why, having built nothing. */
/* Whether user nobody can run bin: the build tree may sit in a directory
 * only root may enter (a 0700 home or temporary directory). */
static bool nobody_can_run(const char *bin)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		become_nobody(NULL);
		_exit(access(bin, X_OK) == 0 ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static void test_emulate_without_root_exits_2(void **state)
{
	g_autofree char *out = NULL, *err = NULL;
	g_autofree char *bin = tu_bin();
	bool as_nobody = geteuid() == 0;

	if (as_nobody && !nobody_can_run(bin)) {
		print_message("skipped: user nobody cannot reach %s (a directory on the way is "
			      "closed to others), so the run without root cannot be tried\n",
			      bin);
		skip();
	}
	int status = run(ARGS("real", "measure", "--emulate"), as_nobody, &out, &err);

	if (status == 126)
		fail_msg("could not drop to uid %d to run without root", NOBODY);
	assert_int_equal(status, 2);
	if (!strstr(err, "network namespaces need root (running as uid"))
		fail_msg("expected the reason in '%s'", err);
}

/* Hardware mode refuses an interface in use before creating anything. */
static void test_hardware_refuses_interface_in_use(void **state)
{
	g_autofree char *out = NULL, *err = NULL;
	int status;

	if (geteuid() != 0) {
		print_message("skipped: hardware mode checks need root\n");
		skip();
	}
	status = run(ARGS("real", "measure", "--vf", "lo", "--via", "nosuch1", "--peer",
			  "nosuch2"), false, &out, &err);
	assert_int_equal(status, 2);
	if (!strstr(err, "interface 'lo' is in use") || !strstr(err, "refusing to move it"))
		fail_msg("expected a refusal naming 'lo', got '%s'", err);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	status = run(ARGS("real", "measure", "--vf", "nosuch0", "--via", "nosuch1", "--peer",
			  "nosuch2"), false, &out, &err);
	assert_int_equal(status, 2);
	if (!strstr(err, "no interface 'nosuch0'"))
		fail_msg("expected 'no interface', got '%s'", err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_usage_exits_2_with_reason),
		cmocka_unit_test(test_help_exits_0),
		cmocka_unit_test(test_emulate_without_root_exits_2),
		cmocka_unit_test(test_hardware_refuses_interface_in_use),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
