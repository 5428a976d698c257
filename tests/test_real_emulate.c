/* test_real_emulate.c: `real measure --emulate` on this machine's kernel.
 *
 * Needs root and network namespaces; without them the whole program skips
 * (exit 77) and prints why.  Every test snapshots `ip netns list` and the
 * link names of `ip -o link` first and asserts that nothing was added when
 * it ends: after a clean run, after SIGTERM midway and during setup, and
 * after a SIGKILL followed by a second run (which must remove the killed
 * run's namespaces).  Runs are short (a few thousand messages, 0.2 s
 * floods): the figures asserted are orderings and sanity, which hold at that
 * length; the repeatability test allows 10 %, wider than the 1 % measured
 * with full-length runs (docs/real-mode.md), and three tries, because CI
 * shares its two cores with the tests running beside this one.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <glib.h>
#include <math.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/msg.h"
#include "real/netns.h"
#include "real/real.h"
#include "testutil.h"

struct snapshot {
	char *netns;	/* `ip netns list` */
	GPtrArray *links;	/* link names from `ip -o link` */
};

/* This run's scratch folder: other runs of these tests on the same
 * machine (other checkouts, CI) use other ones, so that none removes or
 * overwrites the files another reads. */
static char *scratch;

static char *scratch_path(const char *name)
{
	return g_build_filename(scratch, name, NULL);
}

static char *run_ip(const char *cmd)
{
	char *out = NULL;
	GError *err = NULL;
	int status;

	if (!g_spawn_command_line_sync(cmd, &out, NULL, &status, &err))
		fail_msg("cannot run '%s': %s", cmd, err->message);
	assert_true(g_spawn_check_wait_status(status, NULL));
	return out;
}

static gint name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void snapshot_take(struct snapshot *s)
{
	g_autofree char *links = run_ip("ip -o link show");
	g_auto(GStrv) lines = g_strsplit(links, "\n", -1);

	s->netns = run_ip("ip netns list");
	s->links = g_ptr_array_new_with_free_func(g_free);
	for (char **l = lines; *l; l++) {
		/* "2: eth0: <...>" or "5: veth0@if4: <...>" */
		g_auto(GStrv) f = g_strsplit(*l, ": ", 3);

		if (f[0] && f[1])
			g_ptr_array_add(s->links, g_strdup(f[1]));
	}
	g_ptr_array_sort(s->links, name_cmp);
}

static void snapshot_free(struct snapshot *s)
{
	g_free(s->netns);
	g_ptr_array_unref(s->links);
}

/* Processes whose namespaces this test is about: itself and the runs it
 * started.  Other accelsim runs (another build's tests on a shared
 * machine) may add and remove their own namespaces meanwhile. */
static GArray *our_pids;

static void note_pid(pid_t pid)
{
	if (!our_pids)
		our_pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	g_array_append_val(our_pids, pid);
}

/* Whether a namespace name ("accelsim-<pid>-...", first field of a line
 * of `ip netns list`) is of one of our processes. */
static bool ours(const char *line)
{
	long pid;

	if (!g_str_has_prefix(line, NETNS_PREFIX))
		return false;
	pid = atol(line + strlen(NETNS_PREFIX));
	if (pid == getpid())
		return true;
	for (guint i = 0; our_pids && i < our_pids->len; i++)
		if (pid == g_array_index(our_pids, pid_t, i))
			return true;
	return false;
}

/* Nothing of ours added since before: no new namespace of this test's
 * processes, no new link in the machine's namespace. */
static void assert_unchanged(const struct snapshot *before)
{
	struct snapshot after;
	g_auto(GStrv) was = g_strsplit(before->netns, "\n", -1);
	g_auto(GStrv) now = NULL;

	snapshot_take(&after);
	now = g_strsplit(after.netns, "\n", -1);
	for (char **n = now; *n; n++) {
		g_auto(GStrv) f = g_strsplit(*n, " ", 2);

		if (**n && ours(f[0]) && !g_strv_contains((const char *const *)was, *n))
			fail_msg("ip netns list gained '%s':\nbefore:\n%s\nafter:\n%s", f[0],
				 before->netns, after.netns);
	}
	for (guint i = 0; i < after.links->len; i++) {
		const char *name = g_ptr_array_index(after.links, i);
		bool known = false;

		for (guint j = 0; j < before->links->len && !known; j++)
			known = !strcmp(name, g_ptr_array_index(before->links, j));
		if (!known)
			fail_msg("link '%s' appeared in the machine's namespace", name);
	}
	snapshot_free(&after);
}

/* Namespaces in /run/netns owned by pid. */
static int count_ns(pid_t pid)
{
	g_autofree char *prefix = g_strdup_printf(NETNS_PREFIX "%ld-", (long)pid);
	GDir *d = g_dir_open(NETNS_RUN_DIR, 0, NULL);
	const char *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = g_dir_read_name(d)))
		n += g_str_has_prefix(e, prefix);
	g_dir_close(d);
	return n;
}

static char *accelsim_bin(void)
{
	if (!tu_bin_built())
		skip();
	return tu_bin();
}

static void short_opts(struct real_measure_opts *o)
{
	real_measure_opts_init(o);
	o->emulate = true;
	o->count = 4000;
	o->warmup = 500;
	o->rounds = 4;
	o->flood_s = 0.2;
	o->time_limit_s = 30;
}

static struct run_result *measure(const struct real_measure_opts *o)
{
	GError *err = NULL;
	struct run_result *r = real_measure(o, &err);

	if (!r)
		fail_msg("real_measure: %s", err->message);
	return r;
}

static double p50_us(const struct run_result *r, enum path_id p)
{
	return (double)stats_hist_percentile(r->paths[p].latency, 50) / 1e3;
}

static const char *note(const struct run_result *r, const char *key)
{
	for (guint i = 0; i < r->note_keys->len; i++)
		if (!strcmp(g_ptr_array_index(r->note_keys, i), key))
			return g_ptr_array_index(r->note_values, i);
	return NULL;
}

static double plain_gap_us;	/* normal - accelerated p50 without rules */

static void test_bridged_path_slower_and_figures_sane(void **state)
{
	struct real_measure_opts o;
	struct snapshot before;
	struct run_result *r;

	snapshot_take(&before);
	short_opts(&o);
	r = measure(&o);
	assert_string_equal(r->source, "measurement");
	assert_false(r->partial);
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];
		int64_t p50 = stats_hist_percentile(pr->latency, 50);
		int64_t p99 = stats_hist_percentile(pr->latency, 99);
		int64_t max = stats_hist_max(pr->latency);

		assert_int_equal(stats_hist_count(pr->latency), o.count);
		assert_true(p50 > 0);
		assert_true(p50 <= p99);
		assert_true(p99 <= max);
		assert_true(pr->delivered_pps > 0);
		assert_true(pr->delivered_packets > 0);
		assert_true(pr->delivered_packets <= pr->offered_packets);
		assert_int_equal(pr->dropped_packets,
				 pr->offered_packets - pr->delivered_packets);
		assert_true(pr->guest_cpu_vcpus > 0);
		assert_true(pr->host_cpu_cores >= 0);
		assert_true(stats_jitter_value(&pr->jitter) >= 0);
	}
	print_message("p50 normal %.2f us, accelerated %.2f us\n", p50_us(r, PATH_NORMAL),
		      p50_us(r, PATH_ACCEL));
	assert_true(p50_us(r, PATH_NORMAL) > p50_us(r, PATH_ACCEL));
	plain_gap_us = p50_us(r, PATH_NORMAL) - p50_us(r, PATH_ACCEL);
	/* every report says the latency is the round trip */
	assert_non_null(r->provenance);
	assert_int_equal(r->provenance->latency, LATENCY_ROUND_TRIP);
	assert_non_null(note(r, "pinning"));
	assert_non_null(strstr(note(r, "pinning"), "on one core"));
	assert_non_null(note(r, "busy-polling"));
	run_result_free(r);
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* 1000 nftables rules on the bridge cost the normal path, not the direct one. */
static void test_vswitch_rules_slow_the_normal_path(void **state)
{
	struct real_measure_opts o;
	struct snapshot before;
	struct run_result *r;
	double gap;

	g_autofree char *nft = g_find_program_in_path("nft");

	if (!nft && !g_file_test("/usr/sbin/nft", G_FILE_TEST_EXISTS)) {
		print_message("skipped: no nft program (Debian package nftables)\n");
		skip();
	}
	snapshot_take(&before);
	short_opts(&o);
	o.count = 2000;
	o.vswitch_rules = 1000;
	r = measure(&o);
	gap = p50_us(r, PATH_NORMAL) - p50_us(r, PATH_ACCEL);
	print_message("p50 gap with 1000 rules %.2f us, without %.2f us\n", gap, plain_gap_us);
	assert_true(gap > plain_gap_us + 5);
	assert_non_null(strstr(note(r, "normal path"), "(1000 nftables rules)"));
	run_result_free(r);
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* A pair of runs agrees when each path's p50 moves by less than 10 %. */
static bool pair_agrees(void)
{
	struct real_measure_opts o;
	struct run_result *a, *b;
	bool ok = true;

	short_opts(&o);
	o.flood_s = 0.05;
	a = measure(&o);
	b = measure(&o);
	for (int p = 0; p < PATH_COUNT; p++) {
		double x = p50_us(a, p), y = p50_us(b, p);

		print_message("%s p50: %.2f us then %.2f us (%+.1f %%)\n", path_name(p), x, y,
			      (y - x) / x * 100);
		ok = ok && y > 0.9 * x && y < 1.1 * x;
	}
	run_result_free(a);
	run_result_free(b);
	return ok;
}

/* Other tests running beside this one (make -j) can load the pinned core
 * during one run of a pair and not the other: up to three pairs, one must
 * agree. */
static void test_two_runs_repeat_within_10_percent(void **state)
{
	for (int attempt = 0; attempt < 3; attempt++)
		if (pair_agrees())
			return;
	fail_msg("three pairs of runs differed by 10 %% or more in p50");
}

/* Start `accelsim real measure --emulate ARGS...` for long; stdout into
 * out_path, stderr into err_path. */
static pid_t spawn_run(const char *out_path, const char *err_path, const char *const *args)
{
	g_autofree char *bin = tu_bin();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	pid_t pid;

	if (!tu_bin_built())
		skip();
	g_ptr_array_add(argv, bin);
	g_ptr_array_add(argv, "real");
	g_ptr_array_add(argv, "measure");
	g_ptr_array_add(argv, "--emulate");
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	pid = fork();
	assert_true(pid >= 0);
	note_pid(pid);
	if (pid == 0) {
		int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(out, 1);
		dup2(err, 2);
		execv(bin, (char **)argv->pdata);
		_exit(127);
	}
	return pid;
}

static pid_t spawn_long_run(const char *err_path)
{
	g_autofree char *limit = g_strdup_printf("%d", 20 * tu_time_factor());
	const char *args[] = { "--count", "10000000", "--flood-time", "0.2", "--time-limit", limit,
			       NULL };

	return spawn_run(NULL, err_path, args);
}

/* Wait until pid owns n namespaces (or 10 s pass, stretched). */
static void wait_for_ns(pid_t pid, int n)
{
	for (int i = 0; i < 10000 * tu_time_factor() && count_ns(pid) < n; i++)
		g_usleep(1000);
	assert_true(count_ns(pid) >= n);
}

/* waitpid with a bound of s seconds: a run that ignores its signal fails
 * the test. */
static int wait_bounded_s(pid_t pid, int s)
{
	int status;

	for (int i = 0; i < s * 100; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		g_usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("accelsim did not end within %d s", s);
	return status;
}

static int wait_bounded(pid_t pid)
{
	return wait_bounded_s(pid, 10 * tu_time_factor());
}

/* SIGTERM once pid has made `namespaces` namespaces and then_us more have
 * passed: exit 1, everything removed; measuring by then, the figures so
 * far are printed, marked partial. */
static void sigterm_at(int namespaces, useconds_t then_us, bool measuring)
{
	g_autofree char *out_path = scratch_path("accelsim-term.out");
	g_autofree char *err_path = scratch_path("accelsim-term.err");
	g_autofree char *out_text = NULL, *err_text = NULL;
	g_autofree char *limit = g_strdup_printf("%d", 20 * tu_time_factor());
	const char *args[] = { "--count", "10000000", "--flood-time", "0.2", "--time-limit", limit,
			       NULL };
	struct snapshot before;
	pid_t pid;
	int status;

	snapshot_take(&before);
	pid = spawn_run(out_path, err_path, args);
	wait_for_ns(pid, namespaces);
	g_usleep(then_us);
	kill(pid, SIGTERM);
	status = wait_bounded(pid);
	g_file_get_contents(out_path, &out_text, NULL, NULL);
	g_file_get_contents(err_path, &err_text, NULL, NULL);
	g_unlink(out_path);
	g_unlink(err_path);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
		fail_msg("expected exit 1, got status 0x%x; stderr: %s", status,
			 err_text ? err_text : "");
	assert_non_null(out_text);
	assert_non_null(err_text);
	if (measuring) {
		assert_non_null(strstr(out_text, "partial"));
		assert_non_null(strstr(out_text, "signal 15"));
		assert_non_null(strstr(out_text, "latency p50"));
	} else if (!strstr(out_text, "partial")) {
		/* usually still building; a slow start may have measured a little */
		assert_non_null(strstr(err_text, "interrupted"));
	}
	assert_true(kill(pid, 0) != 0);
	assert_int_equal(count_ns(pid), 0);
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* Run accelsim real measure --emulate ARGS to completion, stdout to
 * out_path (NULL: closed); its exit status, stdout and stderr. */
static int run_to_end(const char *out_path, const char *const *args, char **out, char **err)
{
	g_autofree char *err_path = scratch_path("accelsim-end.err");
	g_autofree char *tmp_out = scratch_path("accelsim-end.out");
	g_autofree char *bin = accelsim_bin();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	pid_t pid;
	int status;

	g_ptr_array_add(argv, bin);
	g_ptr_array_add(argv, "real");
	g_ptr_array_add(argv, "measure");
	g_ptr_array_add(argv, "--emulate");
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	pid = fork();
	assert_true(pid >= 0);
	note_pid(pid);
	if (pid == 0) {
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (out_path) {
			int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			dup2(o, 1);
			close(o);
		} else {
			close(1);
		}
		dup2(e, 2);
		close(e);
		execv(bin, (char **)argv->pdata);
		_exit(127);
	}
	status = wait_bounded_s(pid, 60);
	*err = NULL;
	*out = NULL;
	g_file_get_contents(err_path, err, NULL, NULL);
	if (out_path && strcmp(out_path, "/dev/full"))
		g_file_get_contents(out_path, out, NULL, NULL);
	g_unlink(err_path);
	g_unlink(tmp_out);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* A report that cannot be written is a failed run: exit 1 and say so,
 * whether stdout is full or closed; nothing is left behind either way. */
static void test_unwritable_stdout_fails(void **state)
{
	const char *args[] = { "--count", "500", "--warmup", "100", "--rounds", "1",
			       "--flood-time", "0.05", NULL };
	g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
	struct snapshot before;

	snapshot_take(&before);
	assert_int_equal(run_to_end("/dev/full", args, &out, &err), 1);
	print_message("stdout /dev/full: %s", err);
	assert_non_null(strstr(err, "cannot write the report: No space left on device"));
	assert_int_equal(run_to_end(NULL, args, &out2, &err2), 1);
	print_message("stdout closed: %s", err2);
	assert_non_null(strstr(err2, "standard output is closed"));
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* --time-limit cuts a run short: exit 1 with the figures so far, marked
 * partial; one too short to measure anything says so. */
static void test_time_limit_exits_1(void **state)
{
	g_autofree char *out_path = scratch_path("accelsim-limit.out");
	g_autofree char *limit = g_strdup_printf("%g", 0.3 * tu_time_factor());
	g_autofree char *ended = g_strdup_printf("--time-limit %s s ended the run early", limit);
	const char *cut[] = { "--count", "10000000", "--time-limit", limit, NULL };
	const char *none[] = { "--time-limit", "1e-9", NULL };
	g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
	struct snapshot before;

	snapshot_take(&before);
	assert_int_equal(run_to_end(out_path, cut, &out, &err), 1);
	g_unlink(out_path);
	assert_non_null(strstr(out, "PARTIAL"));
	assert_non_null(strstr(out, ended));
	assert_non_null(strstr(out, "latency p50"));
	assert_int_equal(run_to_end(out_path, none, &out2, &err2), 1);
	g_unlink(out_path);
	print_message("%s", err2);
	assert_non_null(strstr(err2, "measured nothing"));
	assert_unchanged(&before);
	snapshot_free(&before);
}

static void test_sigterm_midway_prints_partial_figures(void **state)
{
	sigterm_at(3, 300000 * tu_time_factor(), true);	/* measuring by then */
}

static void test_sigterm_during_setup_removes_everything(void **state)
{
	sigterm_at(1, 0, false);	/* the first namespace has just appeared */
}

static void test_sigkill_then_rerun_removes_leftovers(void **state)
{
	g_autofree char *err_path = scratch_path("accelsim-kill.err");
	g_autofree char *dead = NULL;
	struct real_measure_opts o;
	struct snapshot before;
	struct run_result *r;
	pid_t pid;

	snapshot_take(&before);
	pid = spawn_long_run(err_path);
	wait_for_ns(pid, 3);
	g_usleep(100000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	g_unlink(err_path);
	/* a killed run cannot clean up: its namespaces are still there */
	assert_int_equal(count_ns(pid), 3);

	short_opts(&o);
	o.count = 1000;
	o.flood_s = 0.05;
	r = measure(&o);
	dead = g_strdup_printf(NETNS_PREFIX "%ld-", (long)pid);
	assert_non_null(note(r, "cleanup"));
	assert_non_null(strstr(note(r, "cleanup"), dead));
	run_result_free(r);
	assert_int_equal(count_ns(pid), 0);
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* Run argv; its stdout in *out.  Asserts it exits 0. */
static void run_ok(const char *const *argv, char **out)
{
	GError *err = NULL;
	int status;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, NULL,
			  &status, &err))
		fail_msg("cannot run %s: %s", argv[0], err->message);
	if (!g_spawn_check_wait_status(status, NULL))
		fail_msg("%s exited with status 0x%x; stdout: %s", argv[0], status, *out);
}

/* A dead run: its lock file exists and nobody holds it. */
static struct netns_run *dead_run(void)
{
	GError *err = NULL;
	struct netns_run *run = netns_run_begin(&err);
	g_autofree char *lock = NULL;

	if (!run)
		fail_msg("netns_run_begin: %s", err->message);
	close(run->lock_fd);	/* what the kernel does when a run is killed */
	run->lock_fd = -1;
	lock = g_strdup_printf(NETNS_LOCK_DIR "/%s.lock", run->id);
	assert_true(g_file_test(lock, G_FILE_TEST_EXISTS));
	return run;
}

static bool ns_exists(const char *name)
{
	g_autofree char *path = g_build_filename(NETNS_RUN_DIR, name, NULL);

	return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* A latency-vs-load curve: points in order, each path's delivered rate
 * rising with the offered one until drops begin (saturation), latency
 * one-way; the points marked as a sweep's, as `accelsim sweep` marks its
 * runs. */
static void test_rates_curve_rises_until_saturation(void **state)
{
	struct real_measure_opts o;
	struct real_rates rates;
	struct snapshot before;
	g_autoptr(sweep_results) sr = NULL;
	GError *err = NULL;

	snapshot_take(&before);
	short_opts(&o);
	o.flood_s = 0.2;
	assert_true(real_rates_parse("20%..100%/20%", &rates, &err));
	sr = real_measure_sweep(&o, &rates, &err);
	if (!sr)
		fail_msg("real_measure_sweep: %s", err->message);
	assert_int_equal(sr->points->len, 5);
	assert_int_equal(sr->points_expected, 5);
	assert_false(sr->partial);
	assert_string_equal(sr->keys[0], "load_pct");
	assert_string_equal(sr->keys[1], "rate_pps");
	for (int p = 0; p < PATH_COUNT; p++) {
		double prev = 0;

		for (guint i = 0; i < sr->points->len; i++) {
			const struct sweep_point *pt = sr->points->pdata[i];
			const struct run_result *r = pt->runs->pdata[0];
			const struct path_result *pr = &r->paths[p];

			print_message("%s %s%%: offered %.0f, delivered %.0f pps, dropped %"
				      G_GUINT64_FORMAT ", p50 %.1f us\n", path_name(p),
				      pt->values[0], pr->offered_pps, pr->delivered_pps,
				      pr->dropped_packets,
				      stats_hist_percentile(pr->latency, 50) / 1e3);
			assert_int_equal(pt->index, i + 1);
			assert_int_equal(pt->runs->len, 1);
			/* 20, 40, ... % of the slower path's saturation */
			assert_true(fabs(sweep_point_number(pt, 0) - 20.0 * (i + 1)) < 1e-3);
			assert_string_equal(note(r, "latency kind"), "one-way");
			assert_int_equal(r->provenance->latency, LATENCY_ONE_WAY_APP);
			if (pr->dropped_packets > pr->offered_packets / 100)
				break;	/* saturated: no promise beyond */
			/* 3 %: a point's rate is measured over 0.2 s on a shared core */
			assert_true(pr->delivered_pps > prev * 0.97);
			prev = pr->delivered_pps;
		}
	}
	assert_string_equal(sr->note_keys->pdata[0], "saturation");
	assert_non_null(strstr(g_ptr_array_index(sr->note_values, 0), "packets/s"));
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* `--rates -o DIR` writes a folder that reads back as a sweep, the one
 * shape `accelsim sweep` writes, and `accelsim plot DIR` draws its
 * measured curve against the load. */
static void test_rates_folder_reads_back_and_plots(void **state)
{
	g_autofree char *dir = g_dir_make_tmp("accelsim-curve-XXXXXX", NULL);
	g_autofree char *curve = g_build_filename(dir, "curve", NULL);
	g_autofree char *plots = g_build_filename(dir, "plots", NULL);
	g_autofree char *out_path = g_build_filename(dir, "stdout", NULL);
	g_autofree char *out = NULL, *err_text = NULL, *json = NULL, *dat = NULL;
	const char *args[] = { "--rates", "20%..60%/20%", "--flood-time", "0.1", "--json", "-o",
			       curve, NULL };
	const char *paths[] = { curve, NULL };
	GError *err = NULL;

	if (run_to_end(out_path, args, &out, &err_text) != 0)
		fail_msg("real measure --rates: %s", err_text);
	g_autoptr(sweep_results) sr = sweep_results_load(paths, &err);
	if (!sr)
		fail_msg("sweep_results_load: %s", err->message);
	assert_true(sweep_results_is_sweep(sr));
	assert_int_equal(sr->points->len, 3);
	assert_false(sr->partial);
	/* what it printed is what it wrote */
	g_autofree char *jpath = g_build_filename(curve, "sweep.json", NULL);
	assert_true(g_file_get_contents(jpath, &json, NULL, NULL));
	assert_string_equal(out, json);
	assert_non_null(strstr(json, "\"varied\": [\"load_pct\", \"rate_pps\"], "
				     "\"points_expected\": 3"));

	g_autofree char *gnuplot = g_find_program_in_path("gnuplot");
	if (gnuplot) {
		g_autofree char *bin = accelsim_bin();
		g_autofree char *printed = NULL;
		const char *plot[] = { bin, "plot", curve, "-o", plots, NULL };
		g_autofree char *dpath = g_build_filename(plots, "latency-vs-load.dat", NULL);
		g_autofree char *png = g_build_filename(plots, "latency-vs-load.png", NULL);

		run_ok(plot, &printed);
		assert_true(g_file_test(png, G_FILE_TEST_IS_REGULAR));
		assert_true(g_file_get_contents(dpath, &dat, NULL, NULL));
		/* the normal path's p50 at each measured load */
		assert_non_null(strstr(dat, "# normal p50\n# x x_text latency_us ci95\n20 \"20\" "));
		assert_non_null(strstr(dat, "\n40 \"40\" "));
		assert_non_null(strstr(dat, "\n60 \"60\" "));
		/* 100 % is the slower path's saturation, not where drops begin */
		g_autofree char *gp = NULL;
		g_autofree char *gpath = g_build_filename(plots, "latency-vs-load.gp", NULL);
		assert_true(g_file_get_contents(gpath, &gp, NULL, NULL));
		assert_non_null(strstr(gp, "xlab = 'offered load (% of the slower path''s "
					   "saturation: "));
	} else {
		print_message("not plotted: no gnuplot (Debian package gnuplot-nox)\n");
	}
	g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
	g_spawn_command_line_sync(rm, NULL, NULL, NULL, NULL);
}

/* --scenario-out writes a scenario that `accelsim run` runs with the
 * shipped stand-in model. */
static void test_scenario_out_runs(void **state)
{
	g_autofree char *scen = scratch_path("accelsim-mirror.ini");
	g_autofree char *out_path = scratch_path("accelsim-mirror.out");
	g_autofree char *bin = accelsim_bin();
	g_autofree char *out = NULL, *err = NULL, *sim = NULL;
	const char *args[] = { "--count", "1000", "--warmup", "100", "--rounds", "2",
			       "--flood-time", "0.05", "--scenario-out", scen, NULL };
	const char *run[] = { bin, "run", scen, "--quiet", NULL };

	assert_int_equal(run_to_end(out_path, args, &out, &err), 0);
	g_unlink(out_path);
	assert_non_null(strstr(out, "latency: round trip (request sent to response received"));
	run_ok(run, &sim);
	print_message("%s", sim);
	assert_non_null(strstr(sim, "model netns-standin"));
	assert_non_null(strstr(sim, "latency p50"));
	g_unlink(scen);
}

/* A child of pid called comm, or 0 (from /proc/PID/task/TID/children). */
static pid_t child_named(pid_t pid, const char *comm)
{
	g_autofree char *task = g_strdup_printf("/proc/%ld/task", (long)pid);
	GDir *d = g_dir_open(task, 0, NULL);
	const char *tid;
	pid_t found = 0;

	while (d && !found && (tid = g_dir_read_name(d))) {
		g_autofree char *path = g_strdup_printf("%s/%s/children", task, tid);
		g_autofree char *text = NULL;
		g_auto(GStrv) kids = NULL;

		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		kids = g_strsplit(g_strstrip(text), " ", -1);
		for (char **k = kids; *k && **k && !found; k++) {
			g_autofree char *cpath = g_strdup_printf("/proc/%s/comm", *k);
			g_autofree char *c = NULL;

			if (g_file_get_contents(cpath, &c, NULL, NULL) &&
			    !strcmp(g_strstrip(c), comm))
				found = (pid_t)atol(*k);
		}
	}
	if (d)
		g_dir_close(d);
	return found;
}

/* SIGKILL while nft loads a large rule set: nft dies with accelsim
 * (PR_SET_PDEATHSIG) instead of running on as an orphan, and the next
 * cleanup removes the namespaces. */
static void test_sigkill_during_rule_load_leaves_no_nft(void **state)
{
	g_autofree char *err_path = scratch_path("accelsim-nft.err");
	g_autofree char *bin = accelsim_bin();
	g_autofree char *out = NULL;
	const char *args[] = { "--vswitch-rules", "100000", "--time-limit", "30", NULL };
	const char *cleanup[] = { bin, "real", "cleanup", NULL };
	struct snapshot before;
	pid_t pid, nft = 0;
	int i;

	if (!g_file_test("/usr/sbin/nft", G_FILE_TEST_IS_EXECUTABLE)) {
		print_message("skipped: no /usr/sbin/nft (Debian package nftables)\n");
		skip();
	}
	snapshot_take(&before);
	pid = spawn_run(NULL, err_path, args);
	for (i = 0; i < 20000 && !(nft = child_named(pid, "nft")); i++)
		g_usleep(500);
	if (!nft) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_msg("no nft child appeared within 10 s");
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (i = 0; i < 200 && kill(nft, 0) == 0; i++)
		g_usleep(10000);
	if (kill(nft, 0) == 0) {
		kill(nft, SIGKILL);
		fail_msg("nft (pid %ld) outlived the killed accelsim by 2 s", (long)nft);
	}
	g_unlink(err_path);
	run_ok(cleanup, &out);
	assert_int_equal(count_ns(pid), 0);
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* `real cleanup` removes a dead run's namespace and its lock file, and
 * leaves alone a live run's, a name without a lock file, and an older
 * accelsim's pid-only name. */
static void test_cleanup_spares_live_runs(void **state)
{
	g_autofree char *bin = accelsim_bin();
	g_autofree char *out = NULL, *expect = NULL, *dead_lock = NULL;
	g_autofree char *dead_name = NULL, *live_name = NULL, *nolock_name = NULL;
	/* an older accelsim's name, of a live pid (ours): such a build's own
	 * tests, running beside these on a shared machine, spare it too */
	g_autofree char *legacy_name = g_strdup_printf(NETNS_PREFIX "%ld-srv", (long)getpid());
	const char *argv[] = { bin, "real", "cleanup", NULL };
	struct netns_run *dead = dead_run();
	g_autoptr(netns_run) live = netns_run_begin(NULL);
	struct snapshot before;
	struct netns *ns[4];
	GError *err = NULL;

	snapshot_take(&before);
	assert_non_null(live);
	dead_name = netns_name(dead->id, "srv");
	live_name = netns_name(live->id, "cli");
	/* pid 1 lives; the tag is random, so that one left by a test that
	 * failed, or made by one running beside this, is not this one's */
	g_autofree char *nolock_id = g_strdup_printf("1-%08x", g_random_int());
	nolock_name = netns_name(nolock_id, "cli");
	dead_lock = g_strdup_printf(NETNS_LOCK_DIR "/%s.lock", dead->id);
	const char *names[4] = { dead_name, live_name, nolock_name, legacy_name };
	for (int i = 0; i < 4; i++) {
		ns[i] = netns_create(names[i], &err);
		if (!ns[i])
			fail_msg("netns_create %s: %s", names[i], err->message);
		netns_free(ns[i]);
	}

	run_ok(argv, &out);
	expect = g_strdup_printf("removed %s\n", dead_name);
	/* on a shared machine another run's `real cleanup`, beside this one,
	 * may take it first: gone it must be, whoever removed it */
	if (!strstr(out, expect))
		print_message("%s was gone before this cleanup: removed by another run's?\n",
			      dead_name);
	assert_false(ns_exists(dead_name));
	assert_false(g_file_test(dead_lock, G_FILE_TEST_EXISTS));
	for (int i = 1; i < 4; i++) {
		if (!ns_exists(names[i]))
			fail_msg("real cleanup removed %s, which is not a dead run's", names[i]);
		assert_null(strstr(out, names[i]));
		assert_true(netns_delete(names[i], NULL));
	}
	netns_run_end(dead);
	assert_unchanged(&before);
	snapshot_free(&before);
}

/* In another PID namespace every pid of this one looks dead; the lock
 * still says the run is alive: its namespaces survive
 * `unshare --pid --fork accelsim real cleanup` while it measures. */
static void test_cleanup_in_pid_namespace_spares_live_run(void **state)
{
	g_autofree char *bin = accelsim_bin();
	g_autofree char *unshare = g_find_program_in_path("unshare");
	g_autofree char *err_path = scratch_path("accelsim-pidns.err");
	g_autofree char *out = NULL;
	struct snapshot before;
	pid_t pid;
	int status;

	if (!unshare) {
		print_message("skipped: no unshare program (Debian package util-linux)\n");
		skip();
	}
	const char *argv[] = { unshare, "--pid", "--fork", bin, "real", "cleanup",
			       NULL };

	snapshot_take(&before);
	pid = spawn_long_run(err_path);
	wait_for_ns(pid, 3);
	run_ok(argv, &out);
	print_message("%s", out);
	assert_int_equal(count_ns(pid), 3);
	assert_true(kill(pid, 0) == 0);
	kill(pid, SIGTERM);
	status = wait_bounded(pid);
	g_unlink(err_path);
	assert_true(WIFEXITED(status));
	assert_int_equal(count_ns(pid), 0);
	assert_unchanged(&before);
	snapshot_free(&before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bridged_path_slower_and_figures_sane),
		cmocka_unit_test(test_vswitch_rules_slow_the_normal_path),
		cmocka_unit_test(test_two_runs_repeat_within_10_percent),
		cmocka_unit_test(test_sigterm_midway_prints_partial_figures),
		cmocka_unit_test(test_sigterm_during_setup_removes_everything),
		cmocka_unit_test(test_sigkill_then_rerun_removes_leftovers),
		cmocka_unit_test(test_unwritable_stdout_fails),
		cmocka_unit_test(test_time_limit_exits_1),
		cmocka_unit_test(test_cleanup_spares_live_runs),
		cmocka_unit_test(test_cleanup_in_pid_namespace_spares_live_run),
		cmocka_unit_test(test_sigkill_during_rule_load_leaves_no_nft),
		cmocka_unit_test(test_rates_curve_rises_until_saturation),
		cmocka_unit_test(test_rates_folder_reads_back_and_plots),
		cmocka_unit_test(test_scenario_out_runs),
	};
	GError *err = NULL;

	if (!netns_supported(&err)) {
		printf("skipping the namespace tests: %s\n", err->message);
		g_error_free(err);
		return 77;	/* automake: SKIP */
	}
	g_autofree char *ip = g_find_program_in_path("ip");

	if (!ip) {
		printf("skipping the namespace tests: no ip program to check what is left "
		       "(Debian package iproute2)\n");
		return 77;
	}
	scratch = g_dir_make_tmp("accelsim-emulate-XXXXXX", &err);
	if (!scratch) {
		printf("cannot make a scratch folder: %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	g_autofree char *rm = g_strdup_printf("rm -rf '%s'", scratch);

	g_spawn_command_line_sync(rm, NULL, NULL, NULL, NULL);
	g_free(scratch);
	return failed;
}
