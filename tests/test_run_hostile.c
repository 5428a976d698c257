/* test_run_hostile.c: `accelsim run` as a program, on input that once crashed
 * it, hung it, grew it without bound, or wrote its results half.
 *
 * Every run is bounded: the test watches the child's resident memory in
 * /proc and its time, and kills it past 2 GiB or 20 s (the limits the issue
 * set; TEST_TIME_FACTOR times that under valgrind), so a regression fails
 * the test rather than the machine.  wait4()
 * gives the child's peak memory, as /usr/bin/time -v reports it.  Cases:
 * exit status and message for input that once crashed (an empty model
 * name) or was taken silently (--seed -1, a malformed --set); memory and
 * time for input that once ran away; -o written whole, once, never through
 * a link, with the directory checked before the run; a closed stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "core/outdir.h"
#include "testutil.h"

#define LIMIT_S 20
#define LIMIT_KIB (2L << 20)

static char *tmpdir;

/* LIMIT_S, stretched by TEST_TIME_FACTOR where the program runs slower
 * than it does (make check-valgrind sets it). */
static unsigned limit_s(void)
{
	return LIMIT_S * (unsigned)tu_time_factor();
}

struct run {
	int status;		/* as from waitpid */
	double wall;		/* seconds */
	long peak_kib;		/* peak resident memory (wait4) */
	bool killed;		/* over a limit: killed by the test */
	char *out, *err;	/* what it printed */
};

static void run_clear(struct run *r)
{
	g_free(r->out);
	g_free(r->err);
}

static long rss_kib(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%ld/statm", (long)pid);
	g_autofree char *text = NULL;
	long size, resident;

	if (!g_file_get_contents(path, &text, NULL, NULL) ||
	    sscanf(text, "%ld %ld", &size, &resident) != 2)
		return 0;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Run accelsim with args (NULL-terminated), stdout to out_fd (or captured
 * when -1), within LIMIT_S and LIMIT_KIB; send it sig (0: none) after
 * `after` seconds. */
static void run_signalled(const char *const *args, int out_fd, int sig, double after,
			  struct run *r)
{
	g_autofree char *bin = tu_bin();
	g_autofree char *opath = NULL, *epath = NULL;
	int ofd = g_file_open_tmp("accelsim-out-XXXXXX", &opath, NULL);
	int efd = g_file_open_tmp("accelsim-err-XXXXXX", &epath, NULL);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	gint64 t0 = g_get_monotonic_time();
	struct rusage ru;

	memset(r, 0, sizeof(*r));
	assert_true(ofd >= 0 && efd >= 0);
	g_ptr_array_add(argv, bin);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);

		dup2(in, 0);
		dup2(out_fd >= 0 ? out_fd : ofd, 1);
		dup2(efd, 2);
		execv(bin, (char **)argv->pdata);
		_exit(127);
	}
	for (;;) {
		pid_t w = wait4(pid, &r->status, WNOHANG, &ru);

		assert_true(w >= 0);
		if (w == pid)
			break;
		double wall = (g_get_monotonic_time() - t0) / 1e6;
		if (sig && wall > after) {
			kill(pid, sig);
			sig = 0;
		}
		if (!r->killed && (rss_kib(pid) > LIMIT_KIB || wall > limit_s())) {
			kill(pid, SIGKILL);
			r->killed = true;
		}
		g_usleep(10000);
	}
	r->wall = (g_get_monotonic_time() - t0) / 1e6;
	r->peak_kib = ru.ru_maxrss;
	close(ofd);
	close(efd);
	assert_true(g_file_get_contents(opath, &r->out, NULL, NULL));
	assert_true(g_file_get_contents(epath, &r->err, NULL, NULL));
	g_unlink(opath);
	g_unlink(epath);
}

static void run_bounded(const char *const *args, int out_fd, struct run *r)
{
	run_signalled(args, out_fd, 0, 0, r);
}

/* Exit status, or 128 + signal. */
static int code(const struct run *r)
{
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128 + WTERMSIG(r->status);
}

#define SHORT "--set", "scenario.duration=20ms", "--set", "scenario.warmup=5ms", "-q"

/* What the user gets, run as a program: status and the first line of
 * stderr.  An empty model name died of SIGSEGV; --seed -1 meant "no seed";
 * a bad --set printed "--set:1:" without accelsim's prefix, and a byte
 * that is not UTF-8 GLib's "Invalid byte sequence in conversion input". */
static void test_run_bad_input_exits_2_with_a_message(void **state)
{
	const struct {
		const char *const *args;
		const char *err;	/* stderr starts with it */
	} rows[] = {
		{ ARGS("run", "quickstart", "--model", ""),
		  "accelsim: error: --model: expected a model file or the name of a shipped model, "
		  "got ''\n" },
		{ ARGS("run", "quickstart", "--set", "scenario.model="),
		  "accelsim: error: --set scenario.model: expected a model file or the name of a "
		  "shipped model, got ''\n" },
		{ ARGS("run", "quickstart", "--seed", "-1"),
		  "accelsim: error: --seed: expected a number from 0 to 4294967295, got '-1'\n" },
		{ ARGS("run", "quickstart", "--set", "a]b.c=1"),
		  "accelsim: error: --set: expected a section name without '[', ']' or control "
		  "characters, got 'a]b' in 'a]b.c=1'\n" },
		{ ARGS("run", "quickstart", "--set", "vswitch.co res=1"),
		  "accelsim: error: --set: expected a key of letters, digits and '_', got 'co res' in "
		  "'vswitch.co res=1'\n" },
		{ ARGS("run", "quickstart", "--set", "vswitch.cores=\xff"),
		  "accelsim: error: --set: expected UTF-8 text, got 'vswitch.cores=\\377'\n" },
		{ ARGS("run", "quickstart", "--max-memory", "lots"),
		  "accelsim: error: --max-memory: expected a size such as 1500B" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct run r;

		run_bounded(rows[i].args, -1, &r);
		if (code(&r) != 2 || !g_str_has_prefix(r.err, rows[i].err))
			fail_msg("%s %s: status %d, stderr\n%s\nwant 2 and\n%s", rows[i].args[2],
				 rows[i].args[3], code(&r), r.err, rows[i].err);
		assert_string_equal(r.out, "");
		run_clear(&r);
	}
	/* a valid seed is taken */
	struct run r;
	run_bounded(ARGS("run", "quickstart", SHORT, "--seed", "4294967295", "--csv"), -1, &r);
	assert_int_equal(code(&r), 0);
	assert_non_null(strstr(r.out, "run,seed,4294967295,"));
	run_clear(&r);
}

/* Each of these once ran away (12.8 GB and growing; 6 GB in 12 s; 9.5 GB;
 * 15 GB) or hung: each must finish or be refused within 20 s and 2 GiB. */
static void test_run_runaway_input_is_refused_quickly(void **state)
{
	g_autofree char *fifo = g_build_filename(tmpdir, "fifo.txt", NULL);
	g_autofree char *big = g_build_filename(tmpdir, "big.txt", NULL);
	g_autofree char *flows =
		g_build_filename(tu_datadir(), "bad", "scenario-flow-state-above-limit.ini", NULL);
	g_autofree char *set_fifo = g_strdup_printf("traffic.size=empirical(%s)", fifo);
	g_autofree char *set_big = g_strdup_printf("traffic.size=empirical(%s)", big);
	FILE *f = fopen(big, "w");

	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 1L << 30), 0);
	fclose(f);
	assert_int_equal(mkfifo(fifo, 0600), 0);

	const struct {
		const char *what;
		const char *const *args;
		const char *err;	/* in stderr */
	} rows[] = {
		{ "1000000Mpps", ARGS("run", "quickstart", "-q", "--set", "scenario.duration=10ms",
				      "--set", "scenario.warmup=1ms", "--set",
				      "traffic.rate=1000000Mpps"),
		  "above the memory limit of 2.0 GiB" },
		{ "/dev/zero", ARGS("run", "quickstart", SHORT, "--set",
				    "traffic.size=empirical(/dev/zero)"),
		  "a character device, expected a regular file" },
		{ "/dev/urandom", ARGS("run", "quickstart", SHORT, "--set",
				       "traffic.size=empirical(/dev/urandom)"),
		  "a character device, expected a regular file" },
		{ "a FIFO", ARGS("run", "quickstart", SHORT, "--set", set_fifo),
		  "a FIFO, expected a regular file" },
		{ "1 GiB table", ARGS("run", "quickstart", SHORT, "--set", set_big),
		  "holds 1073741824 bytes, expected at most 16777216" },
		{ "40 x 2^24 flows", ARGS("run", flows, "-q"),
		  "flow state, 15.0 GiB in all, is the largest part" },
		{ "on = off = 1e-300s",
		  ARGS("run", "quickstart", SHORT, "--set", "traffic.pattern=onoff", "--set",
		       "traffic.on=1e-300s", "--set", "traffic.off=1e-300s"),
		  "shorter ones cannot be told apart" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct run r;

		run_bounded(rows[i].args, -1, &r);
		print_message("  %-20s status %d in %.2f s, peak %ld KiB\n", rows[i].what, code(&r),
			      r.wall, r.peak_kib);
		if (r.killed)
			fail_msg("%s: over %u s or %ld KiB: killed", rows[i].what, limit_s(), LIMIT_KIB);
		if (code(&r) != 0 && code(&r) != 2)
			fail_msg("%s: status %d: %s", rows[i].what, code(&r), r.err);
		if (code(&r) == 2 && !strstr(r.err, rows[i].err))
			fail_msg("%s: refused with\n%s\nwant\n%s", rows[i].what, r.err, rows[i].err);
		assert_true(r.wall < limit_s() && r.peak_kib < LIMIT_KIB);
		run_clear(&r);
	}
	g_unlink(fifo);
	g_unlink(big);
}

/* The four files and the marker, the JSON whole. */
static void assert_complete(const char *dir)
{
	static const char *const files[] = { "result.txt", "result.json", "result.csv",
					     "result.ini", OUTDIR_MARKER };

	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *t = tu_read(dir, files[i]);

		if (!t || !*t)
			fail_msg("%s/%s: missing or empty", dir, files[i]);
	}
	g_autofree char *json = tu_read(dir, "result.json");
	g_autofree char *tail = g_strchomp(g_strdup(json));
	assert_true(json[0] == '{' && tail[strlen(tail) - 1] == '}');
}

/* -o: a link in the directory is replaced, not followed (as root it once
 * overwrote its target); a FIFO named result.json once hung the run after
 * the simulation; a second writer is refused while the directory is taken
 * (two runs once interleaved their files); a directory holding someone
 * else's files is refused unless --force; and -o /proc/nope fails before
 * the run, with nothing on stdout. */
static void test_run_output_directory_is_written_whole(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "out", NULL);
	g_autofree char *precious = g_build_filename(tmpdir, "precious.txt", NULL);
	g_autofree char *link = g_build_filename(dir, "result.txt", NULL);
	g_autofree char *fifo = g_build_filename(dir, "result.json", NULL);
	struct run r;

	assert_int_equal(g_mkdir(dir, 0700), 0);
	assert_true(g_file_set_contents(precious, "precious", -1, NULL));
	assert_int_equal(symlink(precious, link), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	run_bounded(ARGS("run", "quickstart", SHORT, "-o", dir), -1, &r);
	if (r.killed || code(&r) != 0)
		fail_msg("status %d%s: %s", code(&r), r.killed ? " (killed: hung)" : "", r.err);
	run_clear(&r);
	g_autofree char *p = tu_read(tmpdir, "precious.txt");
	assert_string_equal(p, "precious");
	assert_complete(dir);

	/* another writer holds it: refused, naming it, and nothing written */
	g_autoptr(GError) e = NULL;
	const char *const names[] = { "result.txt", NULL };
	g_autoptr(outdir) held = outdir_open(dir, names, false, &e);
	assert_non_null(held);
	g_autofree char *before = tu_read(dir, "result.json");
	run_bounded(ARGS("run", "quickstart", SHORT, "--seed", "2", "-o", dir), -1, &r);
	g_autofree char *want = g_strdup_printf("accelsim: error: cannot write '%s': another "
						"accelsim (process %ld) is writing it",
						dir, (long)getpid());
	assert_int_equal(code(&r), 1);
	if (!g_str_has_prefix(r.err, want))
		fail_msg("stderr\n%s\nwant\n%s...", r.err, want);
	assert_string_equal(r.out, "");
	run_clear(&r);
	g_clear_pointer(&held, outdir_close);
	g_autofree char *after = tu_read(dir, "result.json");
	assert_string_equal(after, before);
	tu_remove_tree(dir);

	/* someone else's directory */
	g_autofree char *theirs = g_build_filename(tmpdir, "theirs", NULL);
	g_autofree char *photo = g_build_filename(theirs, "photo.jpg", NULL);
	assert_int_equal(g_mkdir(theirs, 0700), 0);
	assert_true(g_file_set_contents(photo, "jpeg", -1, NULL));
	run_bounded(ARGS("run", "quickstart", SHORT, "-o", theirs), -1, &r);
	assert_int_equal(code(&r), 2);
	assert_non_null(strstr(r.err, "is not empty and was not written by accelsim"));
	assert_string_equal(r.out, "");
	run_clear(&r);
	run_bounded(ARGS("run", "quickstart", SHORT, "-o", theirs, "--force"), -1, &r);
	assert_int_equal(code(&r), 0);
	run_clear(&r);
	assert_complete(theirs);
	tu_remove_tree(theirs);

	/* checked before the run: no figures on stdout */
	run_bounded(ARGS("run", "quickstart", SHORT, "-o", "/proc/nope"), -1, &r);
	assert_int_equal(code(&r), 1);
	assert_string_equal(r.err, "accelsim: error: cannot create '/proc/nope': No such file or "
				   "directory\n");
	assert_string_equal(r.out, "");
	run_clear(&r);
}

/* run --json -o DIR | head -c1 died of SIGPIPE before writing DIR in 2 of
 * 3 tries.  A reader that is gone before the first byte makes the failure
 * certain: the run still ends as documented (status 0) with DIR whole. */
static void test_run_closed_stdout_still_writes_the_directory(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "piped", NULL);
	int fds[2];
	struct run r;

	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	run_bounded(ARGS("run", "quickstart", SHORT, "--json", "-o", dir), fds[1], &r);
	close(fds[1]);
	if (WIFSIGNALED(r.status))
		fail_msg("killed by signal %d", WTERMSIG(r.status));
	assert_int_equal(code(&r), 0);
	/* no message of accelsim's (a sanitizer may warn about SimGrid's
	 * stacks there) */
	if (strstr(r.err, "accelsim:"))
		fail_msg("stderr: %s", r.err);
	run_clear(&r);
	assert_complete(dir);
	tu_remove_tree(dir);
}

/* SIGTERM and SIGHUP end a run as Ctrl-C does: the figures so far, marked
 * partial, exit 1, and -o written whole (they once killed the run with
 * nothing written). */
static void test_run_stopped_by_a_signal_reports_partial_figures(void **state)
{
	const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	const char *names[] = { "SIGINT", "SIGTERM", "SIGHUP" };

	for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
		g_autofree char *dir = g_strdup_printf("%s/stopped-%zu", tmpdir, i);
		struct run r;

		run_signalled(ARGS("run", "quickstart", "--set", "scenario.duration=1000s", "-q",
				   "-o", dir),
			      -1, sigs[i], 1.5, &r);
		print_message("  %s: exit %d after %.2f s\n", names[i], code(&r), r.wall);
		assert_false(r.killed);
		assert_int_equal(code(&r), 1);
		assert_non_null(strstr(r.out, "(PARTIAL: interrupted)"));
		run_clear(&r);
		assert_complete(dir);
		g_autofree char *json = tu_read(dir, "result.json");
		assert_non_null(strstr(json, "\"partial\": true"));
		tu_remove_tree(dir);
	}
}

/* run --interval once looped for ever: a CPU charge that ends on an
 * interval's boundary was split by the boundary's time, warmup + (k + 1) x
 * length, which rounds to the charge's own start (quickstart, 10 ms).  A
 * run with intervals ends as one without does. */
static void test_run_with_intervals_ends(void **state)
{
	const char *lengths[] = { "10ms", "3ms", "7ms", "1ms" };

	for (size_t i = 0; i < G_N_ELEMENTS(lengths); i++) {
		struct run r;

		run_bounded(ARGS("run", "quickstart", "-q", "--set", "scenario.duration=60ms",
				 "--interval", lengths[i]),
			    -1, &r);
		if (r.killed)
			fail_msg("--interval %s: still running after %u s: killed", lengths[i],
				 limit_s());
		assert_int_equal(code(&r), 0);
		run_clear(&r);
	}
}

/* A run that will take long says so, on a terminal: once its rate is
 * known, how long it will take, and an estimate of the time left on the
 * progress line.  script(1) gives it a terminal. */
static void test_long_run_says_how_long_on_a_terminal(void **state)
{
	g_autofree char *bin = tu_bin();
	g_autofree char *cmd = g_strdup_printf("%s run quickstart --set scenario.duration=100000s", bin);
	g_autofree char *opath = NULL, *text = NULL;
	int ofd = g_file_open_tmp("accelsim-tty-XXXXXX", &opath, NULL);
	int status;

	if (!g_file_test("/usr/bin/script", G_FILE_TEST_IS_EXECUTABLE)) {
		print_message("  skipped: no /usr/bin/script (util-linux) to give accelsim a terminal\n");
		skip();
	}
	assert_true(ofd >= 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);

		dup2(in, 0);
		dup2(ofd, 1);
		dup2(ofd, 2);
		execl("/usr/bin/script", "script", "-qec", cmd, "/dev/null", (char *)NULL);
		_exit(127);
	}
	g_usleep(5 * G_USEC_PER_SEC);
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(ofd);
	assert_true(g_file_get_contents(opath, &text, NULL, NULL));
	g_unlink(opath);
	if (!strstr(text, "accelsim: this run will take about ") || !strstr(text, " left"))
		fail_msg("no estimate on the terminal in:\n%.2000s", text);
}

static int setup(void **state)
{
	return tu_bin_built() ? tu_tmpdir_setup(&tmpdir, "accelsim-run-hostile-XXXXXX") : -1;
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_bad_input_exits_2_with_a_message),
		cmocka_unit_test(test_run_runaway_input_is_refused_quickly),
		cmocka_unit_test(test_run_output_directory_is_written_whole),
		cmocka_unit_test(test_run_closed_stdout_still_writes_the_directory),
		cmocka_unit_test(test_run_stopped_by_a_signal_reports_partial_figures),
		cmocka_unit_test(test_run_with_intervals_ends),
		cmocka_unit_test(test_long_run_says_how_long_on_a_terminal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
