/* test_limits.c: input that would hang the loader or make it grow without
 * bound is refused, quickly and in little memory.
 *
 * Each case that once hung or ran away (a FIFO or /dev/zero as an
 * empirical table, a 1 GiB table) runs in a child process with an alarm of
 * 20 s (TEST_TIME_FACTOR times that under valgrind), and the parent checks
 * the child's time and peak memory (wait4):
 * before the fixes, the child is killed by the alarm or grows to gigabytes.
 * Then the tables that are read: a NUL byte names its line, and sorting is
 * O(n log n), measured as the time of a table in descending order against
 * the same table in ascending order (an insertion sort is linear on one and
 * quadratic on the other; timing against a baseline of the same program
 * holds on a slow or loaded machine, or under valgrind).
 */
#include <errno.h>
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

#include "core/dist.h"
#include "core/msg.h"
#include "testutil.h"

/* The limits the issue set for any case: 20 s and 2 GiB. */
#define LIMIT_S 20
#define LIMIT_KIB (2L << 20)

static char *tmpdir;

/* LIMIT_S, stretched by TEST_TIME_FACTOR where the program runs slower
 * than it does (make check-valgrind sets it). */
static unsigned limit_s(void)
{
	return LIMIT_S * (unsigned)tu_time_factor();
}

/* Parse "empirical(path)" as sizes; return the error message, or NULL
 * when it parsed. */
static char *parse_error(const char *path)
{
	g_autofree char *spec = g_strdup_printf("empirical(%s)", path);
	g_autoptr(GError) e = NULL;
	struct dist d = { 0 };

	if (dist_parse(spec, UNIT_SIZE, NULL, &d, &e)) {
		dist_clear(&d);
		return NULL;
	}
	return g_strdup(e->message);
}

/* In a child with an alarm of LIMIT_S: parse path, which must be refused
 * with a message starting with want.  The child's time and peak memory
 * must stay within the limits. */
static void refused_within_limits(const char *path, const char *want)
{
	gint64 t0 = g_get_monotonic_time();
	struct rusage ru;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(limit_s());
		g_autofree char *msg = parse_error(path);

		if (!msg || !g_str_has_prefix(msg, want)) {
			fprintf(stderr, "%s: got\n  %s\nwant\n  %s...\n", path, msg ? msg : "(parsed)",
				want);
			_exit(3);
		}
		_exit(0);
	}
	assert_int_equal(wait4(pid, &status, 0, &ru), pid);
	double wall = (g_get_monotonic_time() - t0) / 1e6;

	print_message("  %-40s %.2f s, peak %ld KiB\n", path, wall, ru.ru_maxrss);
	if (WIFSIGNALED(status))
		fail_msg("%s: killed by signal %d (%s) after %.1f s", path, WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? "over the time limit" : "crashed", wall);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(wall < limit_s());
	assert_true(ru.ru_maxrss < LIMIT_KIB);
}

/* A FIFO blocked open() for ever; /dev/zero and /dev/urandom were read
 * without end (6 GB in 12 s); a directory is no table either. */
static void test_empirical_refuses_what_is_not_a_regular_file(void **state)
{
	g_autofree char *fifo = g_build_filename(tmpdir, "fifo.txt", NULL);
	g_autofree char *want_fifo = NULL;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	want_fifo = g_strdup_printf("cannot read empirical table '%s': a FIFO, expected a regular file",
				    fifo);
	refused_within_limits(fifo, want_fifo);
	refused_within_limits("/dev/zero", "cannot read empirical table '/dev/zero': a character "
					   "device, expected a regular file");
	refused_within_limits("/dev/urandom", "cannot read empirical table '/dev/urandom': a "
					      "character device, expected a regular file");
	g_autofree char *want_dir =
		g_strdup_printf("cannot read empirical table '%s': a directory", tmpdir);
	refused_within_limits(tmpdir, want_dir);
	g_unlink(fifo);
}

/* A 1 GiB table once took 9.5 GB: a table is read whole, so its size and
 * lines are capped, and what is over the cap is refused before it is read
 * (the 1 GiB file here is sparse: it takes no disk). */
static void test_empirical_size_and_lines_are_capped(void **state)
{
	g_autofree char *big = g_build_filename(tmpdir, "big.txt", NULL);
	g_autofree char *lines = g_build_filename(tmpdir, "lines.txt", NULL);
	FILE *f = fopen(big, "w");

	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 1L << 30), 0);
	fclose(f);
	g_autofree char *want_big = g_strdup_printf(
		"empirical table '%s' holds 1073741824 bytes, expected at most 16777216 (16 MiB): "
		"a table is read whole into memory",
		big);
	refused_within_limits(big, want_big);

	/* one line more than the limit, each a value */
	g_autoptr(GString) text = g_string_sized_new(5 * (DIST_TABLE_MAX_LINES + 1));
	for (int i = 0; i <= DIST_TABLE_MAX_LINES; i++)
		g_string_append(text, "64B\n");
	assert_true(g_file_set_contents(lines, text->str, text->len, NULL));
	g_autofree char *want_lines = g_strdup_printf(
		"empirical table '%s' has 1048577 lines, expected at most 1048576", lines);
	refused_within_limits(lines, want_lines);
	g_unlink(big);
	g_unlink(lines);
}

/* "64B\n\0\n1518B 100\n" read as 64 B alone: 51 Mbit/s instead of 1.19
 * Gbit/s at the same packet rate, and no word. */
static void test_empirical_nul_byte_names_its_line(void **state)
{
	g_autofree char *path = g_build_filename(tu_datadir(), "empirical-nul-byte.txt", NULL);
	g_autofree char *msg = parse_error(path);
	g_autofree char *want = g_strdup_printf("%s:2: contains a NUL byte: not a text file", path);

	assert_non_null(msg);
	assert_string_equal(msg, want);

	g_autofree char *latin1 = g_build_filename(tmpdir, "latin1.txt", NULL);
	assert_true(g_file_set_contents(latin1, "64B\n# caf\xe9\n1518B\n", -1, NULL));
	g_autofree char *msg2 = parse_error(latin1);
	g_autofree char *want2 = g_strdup_printf("%s:2: not valid UTF-8 text", latin1);
	assert_non_null(msg2);
	assert_string_equal(msg2, want2);
	g_unlink(latin1);
}

/* Seconds to parse path, the least of three tries. */
static double parse_seconds(const char *path, struct dist *out)
{
	g_autofree char *spec = g_strdup_printf("empirical(%s)", path);
	double best = INFINITY;

	for (int i = 0; i < 3; i++) {
		g_autoptr(GError) e = NULL;
		gint64 t0 = g_get_monotonic_time();

		dist_clear(out);
		if (!dist_parse(spec, UNIT_SIZE, NULL, out, &e))
			fail_msg("%s", e->message);
		best = MIN(best, (g_get_monotonic_time() - t0) / 1e6);
	}
	return best;
}

/* An insertion sort took 31 s on 80,000 lines.  50,000 distinct values in
 * descending order cost an insertion sort 1.25e9 moves, against 50,000 in
 * ascending order; an O(n log n) sort costs about the same for both, so
 * descending must take less than four times as long as ascending (parsing
 * the lines, the same for both, is most of either).  The table must come
 * out sorted with the right weights either way. */
static void test_empirical_sort_is_n_log_n(void **state)
{
	enum { N = 50000 };
	g_autofree char *up = g_build_filename(tmpdir, "up.txt", NULL);
	g_autofree char *down = g_build_filename(tmpdir, "down.txt", NULL);
	g_autoptr(GString) a = g_string_new(NULL), b = g_string_new(NULL);

	/* value 64 + i/8 bytes, weight 1 + i % 3 */
	for (int i = 0; i < N; i++)
		g_string_append_printf(a, "%.3fB %d\n", 64 + i / 8.0, 1 + i % 3);
	for (int i = N - 1; i >= 0; i--)
		g_string_append_printf(b, "%.3fB %d\n", 64 + i / 8.0, 1 + i % 3);
	assert_true(g_file_set_contents(up, a->str, a->len, NULL));
	assert_true(g_file_set_contents(down, b->str, b->len, NULL));

	struct dist du = { 0 }, dd = { 0 };
	double tu = parse_seconds(up, &du), td = parse_seconds(down, &dd);

	print_message("  %d values: ascending %.3f s, descending %.3f s\n", N, tu, td);
	assert_int_equal(du.n, N);
	assert_int_equal(dd.n, N);
	for (size_t i = 0; i < N; i++) {
		assert_true(du.values[i] == 64 + i / 8.0);
		assert_true(dd.values[i] == du.values[i]);
		assert_true(dd.cdf[i] == du.cdf[i]);
	}
	dist_clear(&du);
	dist_clear(&dd);
	if (!(td < 4 * tu + 0.05))
		fail_msg("descending %.3f s against ascending %.3f s: the sort is not O(n log n)", td,
			 tu);
	g_unlink(up);
	g_unlink(down);
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-limits-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empirical_refuses_what_is_not_a_regular_file),
		cmocka_unit_test(test_empirical_size_and_lines_are_capped),
		cmocka_unit_test(test_empirical_nul_byte_names_its_line),
		cmocka_unit_test(test_empirical_sort_is_n_log_n),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
