/* test_engine.c: the engine's rules that are not queueing formulas: stage
 * order, queue bounds shared by several servers, what a response carries,
 * keyed random draws, loops in exact mode, the tracer and the latency
 * budget.  Each runs in a child process (one SimGrid engine per process).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <unistd.h>

#include "config/scenario.h"
#include "engine/engine.h"
#include "engine/trace.h"
#include "report/report.h"
#include "simrun.h"
#include "testutil.h"
#include "light.h"

static char *tmpdir;

#define run(...) simrun_printf(tmpdir, __VA_ARGS__)

/* Transmit-only traffic never loops back: the guest comes before the
 * vSwitch in its stage order, so the engine needs no extra sweeps, and it
 * runs in exact mode (background load on the VM, more guest queues than
 * vCPUs, mode = exact) as receive traffic does. */
static void test_transmit_only_is_not_a_loop(void **state)
{
	const char *m = "[guest]\ntx_cycles_per_packet = exp(800cycles)\n"
			"[vswitch]\ncycles_per_packet = exp(600cycles)\n";
#define SCEN "duration = 0.1s\nwarmup = 0.01s\nseed = 31\n%s" \
	     "[traffic]\npattern = poisson\nrate = 300kpps\nflows = 16\ndirection = tx\n"
	g_autoptr(run_result) w = run(m, SCEN, "");
	assert_int_equal(engine_last_stats()->sweeps, 0);
	assert_int_equal(engine_last_stats()->exact_stages, 0);
	sim_check_conservation(w);

	g_autoptr(run_result) x = run(m, SCEN, "mode = exact\n");
	assert_true(engine_last_stats()->exact_stages > 0);
	sim_check_conservation(x);

	g_autoptr(run_result) l = run(m, SCEN, "[load]\non = vm\nutilisation = 30%\n");
	assert_true(engine_last_stats()->exact_stages > 0);
	sim_check_conservation(l);

	g_autoptr(run_result) q = run("[vm]\nvcpus = 1\n[guest]\nqueues = 2\n"
				      "tx_cycles_per_packet = exp(800cycles)\n", SCEN, "");
	assert_true(engine_last_stats()->exact_stages > 0);
	sim_check_conservation(q);
#undef SCEN
	for (int p = 0; p < PATH_COUNT; p++)
		assert_true(x->paths[p].delivered_packets > 0 && l->paths[p].delivered_packets > 0 &&
			    q->paths[p].delivered_packets > 0);
}

/* A response is a packet of its own.  VM to VM, request/response with
 * SYNs and no flow offload: an inbound SYN request takes our synthetic
 * path, but its response must neither be diverted at the peer's VF as a
 * SYN nor be charged the synthetic driver's cycles when it arrives through
 * the VF.  Every other guest cost is zero, so the peer's guest spends
 * exactly vf_cycles per packet (requests sent and responses received). */
static void test_response_carries_no_syn_or_synthetic_flag(void **state)
{
	g_autoptr(run_result) r = run("[wire]\nrate = 10Gbps\npropagation = 1us\n"
				      "[vf]\nflow_offload = none\n"
				      "[guest]\nsynthetic_cycles = 1500cycles\nvf_cycles = 600cycles\n"
				      "[app]\nservice = 1us\n",
				      "duration = 0.5s\nwarmup = 0s\nseed = 37\n"
				      "[traffic]\npattern = reqresp\nrate = 20kpps\nflows = 1000\n"
				      "peer = vm\nsyn = true\n");
	const struct stage_result *ours = sim_stage(r, PATH_ACCEL, "vswitch");
	const struct stage_result *peer = sim_stage(r, PATH_ACCEL, "peer.guest");

	/* the SYN requests do cross our vSwitch: the rule is in force */
	assert_true(ours->packets > 500);
	assert_int_equal(sim_stage(r, PATH_ACCEL, "peer.vswitch")->packets, 0);
	sim_assert_within(peer->cycles / peer->packets, 600, 1e-3,
			  "peer guest cycles per packet, all through its VF");
}

/* Erlang B: 4 application threads sharing one queue bounded at 4 packets
 * (so no packet waits: a loss system), exponential service of 1 us,
 * Poisson arrivals of 3.8 Erlang.  The share of arrivals refused is
 * B(4, 3.8) = 0.2910, in both modes: a batch in service holds its place
 * while another server forms the next.  Over 0.2 s (760,000 arrivals) the
 * estimate's standard error is about 0.1 %; 2 % is twenty of them. */
static double erlang_b(unsigned c, double a)
{
	double b = 1;

	for (unsigned k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return b;
}

static void test_erlang_b_loss_in_both_modes(void **state)
{
	SKIP_IF_LIGHT();
	const char *m = "[app]\nservice = exp(1us)\nthreads = 4\ndispatch = shared\nqueue = 4\n";
	const char *modes[] = { "auto", "exact" };

	for (int i = 0; i < 2; i++) {
		g_autoptr(run_result) r = run(m,
					      "duration = 0.2s\nwarmup = 0.01s\nseed = 41\nmode = %s\n"
					      "[traffic]\npattern = poisson\nrate = 3.8Mpps\nflows = 64\n",
					      modes[i]);

		for (int p = 0; p < PATH_COUNT; p++) {
			double lost = (double)sim_stage(r, p, "app")->drops /
				      r->paths[p].offered_packets;

			sim_assert_within(lost, erlang_b(4, 3.8), 0.02,
					  i ? "exact mode: share refused, Erlang B"
					    : "window mode: share refused, Erlang B");
		}
	}
}

/* A shipped scenario with --set overrides, in a child process. */
static struct run_result *run_shipped(const char *name, const char *const *sets)
{
	return simrun_shipped(name, (char *const *)sets);
}

/* The lossless key-file form of one path's figures. */
static char *path_text(const struct run_result *r, enum path_id p)
{
	g_autoptr(GKeyFile) k = run_result_to_keyfile(r);
	g_auto(GStrv) groups = g_key_file_get_groups(k, NULL);
	g_autoptr(GString) out = g_string_new(NULL);

	for (char **g = groups; *g; g++) {
		if (!g_str_has_prefix(*g, path_name(p)))
			continue;
		g_auto(GStrv) keys = g_key_file_get_keys(k, *g, NULL, NULL);

		for (char **kk = keys; *kk; kk++) {
			g_autofree char *v = g_key_file_get_value(k, *g, *kk, NULL);

			g_string_append_printf(out, "%s.%s=%s\n", *g, *kk, v);
		}
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Fail unless a and b have the same figures on both paths, byte for byte,
 * but for the marks of exact-mode stages ('*') and occupancy, which exact
 * stages do not sample and window mode samples once per window.  With
 * counts_only, only the packet counts and the latency histograms (whole
 * nanoseconds): the engine adds its sums up in extended precision, so that
 * they round alike whatever order two runs add them in, and memcheck
 * computes long double at double precision. */
static void assert_same_figures(const struct run_result *a, const struct run_result *b,
				const char *what, bool counts_only)
{
	g_autoptr(GRegex) skip = g_regex_new(counts_only ? "^(?!.*(_packets=|\\.latency=)).*\\n"
							  : "\\*|occupancy=[^\\n]*",
					     G_REGEX_MULTILINE, 0, NULL);

	for (int p = 0; p < PATH_COUNT; p++) {
		g_autofree char *ta = path_text(a, p), *tb = path_text(b, p);
		g_autofree char *ua = g_regex_replace_literal(skip, ta, -1, 0, "", 0, NULL);
		g_autofree char *ub = g_regex_replace_literal(skip, tb, -1, 0, "", 0, NULL);

		print_message("  %s, %s: %s\n", what, path_name(p), strcmp(ua, ub) ? "differ" : "identical");
		assert_true(strlen(ua) > 1000);
		assert_string_equal(ua, ub);
	}
}

/* A light run (ACCELSIM_TEST_LIGHT): under memcheck, or another slow
 * checker (light.h). */
static bool light_run(void)
{
	const char *l = getenv("ACCELSIM_TEST_LIGHT");

	return l && *l;
}

/* Common random numbers survive a one-parameter change: on quickstart no
 * counted packet of the accelerated path crosses the vNIC (only flows'
 * first packets do, in the warm-up), so changing the vNIC's copy cost
 * must leave every accelerated figure byte-identical, while the normal
 * path's figures move.  Draws consumed in service order broke this: the
 * accelerated p99 moved from 42.9 to 47.2 us. */
static void test_keyed_draws_keep_untouched_path_identical(void **state)
{
	const char *base[] = { "scenario.duration=100ms", NULL };
	const char *changed[] = { "scenario.duration=100ms", "vnic.copy_cycles=20000cycles", NULL };
	g_autoptr(run_result) a = run_shipped("quickstart", base);
	g_autoptr(run_result) b = run_shipped("quickstart", changed);
	g_autofree char *a_acc = path_text(a, PATH_ACCEL), *b_acc = path_text(b, PATH_ACCEL);
	g_autofree char *a_nor = path_text(a, PATH_NORMAL), *b_nor = path_text(b, PATH_NORMAL);

	assert_int_equal(sim_stage(a, PATH_ACCEL, "vswitch")->packets, 0);
	assert_true(strlen(a_acc) > 1000);
	assert_string_equal(a_acc, b_acc);
	assert_string_not_equal(a_nor, b_nor);
}

/* The tracer, in the simulating child: every DEPART and DELIVER as a line
 * "kind path source seq a b c d" on a file descriptor. */
static void trace_to_fd(void *data, const struct trace_event *ev)
{
	char line[256];
	int n = 0;

	if (ev->kind == TRACE_DEPART)
		n = snprintf(line, sizeof(line), "D %d %u %llu %a %a %a\n", ev->path,
			     ev->pkt->source, (unsigned long long)ev->pkt->seq, ev->arrive, ev->end,
			     ev->delay);
	else if (ev->kind == TRACE_DELIVER && ev->counted)
		n = snprintf(line, sizeof(line), "L %d %u %llu %a %a\n", ev->path, ev->pkt->source,
			     (unsigned long long)ev->pkt->seq, ev->t, ev->latency);
	if (n > 0 && write(*(int *)data, line, (size_t)n) != n)
		abort();
}

/* A packet's stage times from the trace: the intervals [arrive, end +
 * delay] follow each other without a gap, and clipped to [delivery -
 * latency, delivery] they add up to its latency exactly (to rounding). */
static void check_trace(const char *name, const char *const *sets)
{
	g_autofree char *file = g_build_filename(tmpdir, "trace.txt", NULL);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct engine_tracer tr = { trace_to_fd, &fd };
	struct engine_opts o = { .tracer = &tr };
	g_autoptr(GError) err = NULL;
	g_autoptr(kf) k = scenario_sets_from_args((char **)sets, &err);

	assert_true(fd >= 0);
	g_autoptr(scenario) s = scenario_load(name, NULL, k, &err);
	assert_non_null(s);
	g_autoptr(run_result) r = run_result_new();
	if (!engine_run_forked(s, &o, r, &err))
		fail_msg("%s", err->message);
	close(fd);

	g_autofree char *text = NULL;
	assert_true(g_file_get_contents(file, &text, NULL, NULL));
	g_unlink(file);
	/* per packet, its hops in order: a, end + delay */
	g_autoptr(GHashTable) hops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							   (GDestroyNotify)g_array_unref);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	uint64_t checked[PATH_COUNT] = { 0 };
	double worst = 0;

	for (char **l = lines; *l && **l; l++) {
		char kind;
		int path;
		unsigned src;
		unsigned long long seq;
		double x, y, z = 0;

		assert_true(sscanf(*l, "%c %d %u %llu %la %la %la", &kind, &path, &src, &seq, &x, &y,
				   &z) >= 6);
		g_autofree char *id = g_strdup_printf("%d %u %llu", path, src, seq);
		GArray *h = g_hash_table_lookup(hops, id);

		if (kind == 'D') {
			double iv[2] = { x, y + z };

			if (!h) {
				h = g_array_new(FALSE, FALSE, sizeof(double[2]));
				g_hash_table_insert(hops, g_strdup(id), h);
			} else if (g_array_index(h, double, h->len * 2 - 1) != x) {
				fail_msg("%s packet %s: arrives at %a, the last stage handed it on at %a",
					 name, id, x, g_array_index(h, double, h->len * 2 - 1));
			}
			g_array_append_val(h, iv);
			continue;
		}
		/* delivered at x with latency y */
		assert_non_null(h);
		double t0 = x - y, sum = 0;

		for (guint i = 0; i < h->len; i++) {
			double a = MAX(g_array_index(h, double, 2 * i), t0);
			double b = MIN(g_array_index(h, double, 2 * i + 1), x);

			sum += MAX(0, b - a);
		}
		worst = MAX(worst, fabs(sum - y) / y);
		checked[path]++;
		g_hash_table_remove(hops, id);
	}
	print_message("  %s: %" G_GUINT64_FORMAT " + %" G_GUINT64_FORMAT
		      " packets traced, worst relative difference %.2g\n",
		      name, checked[0], checked[1], worst);
	assert_int_equal(checked[PATH_NORMAL], r->paths[PATH_NORMAL].delivered_packets);
	assert_int_equal(checked[PATH_ACCEL], r->paths[PATH_ACCEL].delivered_packets);
	assert_true(worst < 1e-9);
}

static void test_trace_times_add_up_to_each_latency(void **state)
{
	const char *rx[] = { "scenario.duration=40ms", "scenario.warmup=5ms", NULL };
	const char *rr[] = { "scenario.duration=60ms", "scenario.warmup=10ms", NULL };
	const char *vm[] = { "scenario.duration=2s", "scenario.warmup=100ms", NULL };

	check_trace("quickstart", rx);
	check_trace("web-server", rr);
	check_trace("calibration/vm-latency", vm);
	check_trace("calibration/first-packet", vm);
}

/* Request/response where cores are shared (exact mode), so loops run
 * through actors and window-mode stages together.  Two application
 * threads, each with its own queue, share one vCPU with the guest stack
 * (which costs nothing here): Poisson requests, exponential service, a
 * work-conserving shared core; the application stage is then an M/M/1
 * queue in total, each request's mean time there 1/(mu - lambda), while
 * its response loops back through the guest and the vSwitch (or the
 * VF).  The vSwitch and the guest cost a little so that the loop takes
 * time (the guest's 2 cycles a packet load the vCPU by 0.2 %). */
static void test_exact_mode_loops_match_processor_sharing(void **state)
{
	SKIP_IF_LIGHT();
	const double mu = 1e6, lambda = 0.5e6;
	g_autoptr(run_result) r = run("[vm]\nvcpus = 1\n"
				      "[vswitch]\ncycles_per_packet = 100cycles\n"
				      "[guest]\ncycles_per_packet = 2cycles\ntx_cycles_per_packet = 2cycles\n"
				      "[app]\nservice = exp(1us)\nthreads = 2\ndispatch = rss\n",
				      "duration = 0.3s\nwarmup = 0.02s\nseed = 43\n"
				      "[traffic]\npattern = reqresp\nrate = %gpps\nflows = 2\n", lambda);

	assert_true(engine_last_stats()->exact_stages > 0);
	for (int p = 0; p < PATH_COUNT; p++) {
		sim_assert_within(sim_stage(r, p, "app")->mean_s, 1 / (mu - lambda), 0.03,
				  "request/response on a shared core: app mean sojourn (PS)");
		sim_check_conservation(r);
	}
}

/* Where no core is shared, exact mode (every CPU stage an actor) and
 * window mode give the same figures, loops included: request/response
 * with one application thread, a closed loop, and request/response
 * through a queue that 3 application threads share (web-server): its
 * actors take the head in turn, as window mode does (docs/engine.md). */
static void test_exact_mode_equals_window_mode_with_loops(void **state)
{
	SKIP_IF_LIGHT();
	const char *cases[][3] = {
		{ "web-server", "app.threads=1", "150ms" },
		{ "quickstart", "app.threads=1", "150ms" },
		{ "gaming", "app.threads=1", "150ms" },
		{ "web-server", "app.threads=3", "300ms" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *d = g_strdup_printf("scenario.duration=%s", cases[i][2]);
		const char *w[] = { d, "scenario.warmup=20ms", "scenario.mode=auto", cases[i][1], NULL };
		const char *x[] = { d, "scenario.warmup=20ms", "scenario.mode=exact", cases[i][1],
				    NULL };
		g_autoptr(run_result) a = run_shipped(cases[i][0], w);
		g_autoptr(run_result) b = run_shipped(cases[i][0], x);
		g_autofree char *what = g_strdup_printf("%s %s", cases[i][0], cases[i][1]);

		assert_true(engine_last_stats()->exact_stages > 0);
		assert_same_figures(a, b, what, false);
	}
	/* a closed loop of 8 connections */
	const char *cm = "[wire]\nrate = 10Gbps\npropagation = 1us\n"
			 "[vswitch]\ncycles_per_packet = lognormal(600cycles, 200cycles)\n"
			 "[guest]\ncycles_per_packet = lognormal(500cycles, 200cycles)\n"
			 "tx_cycles_per_packet = 50cycles\n"
			 "[app]\nservice = lognormal(2us, 1us)\n";
#define CLOSED "duration = 0.1s\nwarmup = 0.01s\nseed = 47\nmode = %s\n" \
	"[traffic]\npattern = reqresp\nconcurrency = 8\nthink = exp(5us)\n"
	g_autoptr(run_result) ca = run(cm, CLOSED, "auto");
	g_autoptr(run_result) cb = run(cm, CLOSED, "exact");
#undef CLOSED
	assert_same_figures(ca, cb, "closed loop", false);
}

/* Window mode's figures do not depend on the window's length (the
 * engine's contract, docs/engine.md), and exact mode gives them too.
 * database: 16 connections in a closed loop with no think time, VM to
 * VM, through 3 application threads sharing one queue at each end.  Each
 * idle thread waits for its own wake-up, keyed by the packet at the head
 * of the queue, so a later packet's batch could start before the head's;
 * the stage was then computed up to a time before which it still started
 * a batch, and the next requests, made when that batch started (recv()),
 * came after the stages that should have taken them had gone past: the
 * full run completed 94,111, 93,629 and 94,037 requests/s on the normal
 * path with windows of 20, 50 and 100 us.  Occupancy is sampled once per
 * window, so it is the one figure left out.  A light run compares the
 * counts and latencies of two windows (assert_same_figures()). */
static void test_window_length_changes_nothing_on_a_shared_queue(void **state)
{
	const bool light = light_run();
	const char *windows[] = { "50us", "20us", "100us" };
	const size_t n = light ? 2 : G_N_ELEMENTS(windows);
	struct run_result *r[G_N_ELEMENTS(windows)] = { NULL };

	for (size_t i = 0; i < n; i++) {
		g_autofree char *w = g_strdup_printf("scenario.window=%s", windows[i]);
		const char *sets[] = { "scenario.duration=20ms", "scenario.warmup=2ms", w, NULL };

		r[i] = run_shipped("database", sets);
		assert_int_equal(engine_last_stats()->exact_stages, 0);
		sim_check_conservation(r[i]);
	}
	for (size_t i = 1; i < n; i++) {
		g_autofree char *what = g_strdup_printf("database, window %s vs %s", windows[i],
							windows[0]);

		assert_same_figures(r[0], r[i], what, light);
	}
	if (!light) {
		const char *x[] = { "scenario.duration=20ms", "scenario.warmup=2ms",
				    "scenario.mode=exact", NULL };
		g_autoptr(run_result) e = run_shipped("database", x);

		assert_true(engine_last_stats()->exact_stages > 0);
		sim_check_conservation(e);
		assert_same_figures(r[0], e, "database, exact vs window mode", false);
	}
	for (size_t i = 0; i < n; i++)
		run_result_free(r[i]);
}

/* run --interval: the series adds up to the run's figures (deliveries,
 * drops, host and guest CPU), shows a VF removed for a while as host CPU
 * and synthetic-path latency on the accelerated path in exactly those
 * intervals, and its percentiles are those of each interval's packets
 * (the run's own percentiles lie within the intervals' range). */
static void test_series_adds_up_and_shows_the_fallback(void **state)
{
	const char *sets[] = { "scenario.duration=6s", "event return.at=4s", NULL };
	g_autoptr(GError) err = NULL;
	g_autoptr(kf) k = scenario_sets_from_args((char **)sets, &err);
	g_autoptr(scenario) sc = scenario_load("calibration/servicing", NULL, k, &err);
	struct engine_opts o = { .interval_s = 0.5 };
	g_autoptr(run_result) r = run_result_new();

	assert_non_null(sc);
	if (!engine_run_forked(sc, &o, r, &err))
		fail_msg("%s", err->message);
	assert_true(r->interval_s == 0.5);
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];
		double delivered = 0, host = 0, guest = 0;

		assert_int_equal(pr->series->len, 10); /* 5 s measured */
		for (guint i = 0; i < pr->series->len; i++) {
			const struct interval_row *v = &g_array_index(pr->series, struct interval_row, i);

			assert_true(fabs(v->t0_s - i * 0.5) < 1e-12 && fabs(v->t1_s - (i + 1) * 0.5) < 1e-12);
			delivered += v->delivered;
			host += v->host_cpu_cores * 0.5;
			guest += v->guest_cpu_vcpus * 0.5;
			/* the VF is away from 1 s to 4 s: measured time 0 to 3 s */
			if (p == PATH_ACCEL)
				assert_true((v->host_cpu_cores > 0) == (v->t1_s <= 3.0));
		}
		sim_assert_within(delivered, pr->delivered_pps * r->duration_s, 1e-12,
				  "series: deliveries add up");
		sim_assert_within(host, pr->host_cpu_cores * r->duration_s, 1e-9,
				  "series: host CPU adds up");
		sim_assert_within(guest, pr->guest_cpu_vcpus * r->duration_s, 1e-9,
				  "series: guest CPU adds up");
	}
	const struct interval_row *away = &g_array_index(r->paths[PATH_ACCEL].series,
							 struct interval_row, 2);
	const struct interval_row *back = &g_array_index(r->paths[PATH_ACCEL].series,
							 struct interval_row, 8);
	print_message("  accelerated p50: %.2f us with the VF away, %.2f us with it back\n",
		      away->latency_p50_s * 1e6, back->latency_p50_s * 1e6);
	assert_true(back->latency_p50_s * 2 < away->latency_p50_s);
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-test-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transmit_only_is_not_a_loop),
		cmocka_unit_test(test_response_carries_no_syn_or_synthetic_flag),
		cmocka_unit_test(test_erlang_b_loss_in_both_modes),
		cmocka_unit_test(test_keyed_draws_keep_untouched_path_identical),
		cmocka_unit_test(test_trace_times_add_up_to_each_latency),
		cmocka_unit_test(test_exact_mode_loops_match_processor_sharing),
		cmocka_unit_test(test_exact_mode_equals_window_mode_with_loops),
		cmocka_unit_test(test_window_length_changes_nothing_on_a_shared_queue),
		cmocka_unit_test(test_series_adds_up_and_shows_the_fallback),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
