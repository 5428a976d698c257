/* test_sim.c: the simulator against closed forms and invariants.
 *
 * Each test writes a model in which every stage but the one under test
 * costs (nearly) nothing, runs it (in a child process: one SimGrid engine
 * per process) and compares with queueing theory: M/M/1, M/D/1, M/M/c
 * (Erlang C), a Jackson tandem, processor sharing of one core, the
 * vSwitch's saturation bound; then conservation, Little's law and
 * determinism.  Tolerances are stated per test with the run length that
 * justifies them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config/scenario.h"
#include "engine/engine.h"
#include "report/report.h"
#include "simrun.h"
#include "testutil.h"
#include "light.h"

static char *tmpdir;

/* Run free_model with the extra model lines, and the scenario text;
 * returns the result (freed by the caller). */
#define run(...) simrun_printf(tmpdir, __VA_ARGS__)

/* Erlang C: probability an arrival waits in M/M/c with offered load a. */
static double erlang_c(unsigned c, double a)
{
	double term = 1, sum = 1;

	for (unsigned k = 1; k < c; k++) {
		term *= a / k;
		sum += term;
	}
	double last = term * a / c / (1 - a / c);
	return last / (sum + last);
}

/* M/M/1 through the app stage: service exp(1us), Poisson arrivals.
 * Mean sojourn 1/(mu - lambda).  Run length: the relative standard error
 * of a mean sojourn over n packets is about sqrt(2(1+rho)/(n(1-rho)^2));
 * at rho 0.9 and 4 M packets that is 0.33 %, so 3 % is nine of them. */
static void mm1(double rho, double duration)
{
	const double mu = 1e6, lambda = rho * mu;
	g_autoptr(run_result) r = run("[app]\nservice = exp(1us)\n",
				      "duration = %gs\nwarmup = 0.05s\nseed = 3\n"
				      "[traffic]\npattern = poisson\nrate = %gpps\nflows = 1\n",
				      duration, lambda);

	for (int p = 0; p < PATH_COUNT; p++)
		sim_assert_within(sim_stage(r, p, "app")->mean_s, 1 / (mu - lambda), 0.03,
			      rho > 0.7 ? "M/M/1 rho 0.9 mean sojourn" : "M/M/1 rho 0.5 mean sojourn");
}

static void test_mm1_sojourn_matches_closed_form(void **state)
{
	SKIP_IF_LIGHT();
	mm1(0.5, 0.5);
	mm1(0.9, 4.5);
}

/* M/D/1: 1/mu + rho/(2 mu (1 - rho)). */
static void test_md1_sojourn_matches_closed_form(void **state)
{
	SKIP_IF_LIGHT();
	const double mu = 1e6;
	const double rhos[] = { 0.5, 0.9 }, durations[] = { 0.5, 3 };

	for (int i = 0; i < 2; i++) {
		double lambda = rhos[i] * mu;
		g_autoptr(run_result) r = run("[app]\nservice = constant(1us)\n",
					      "duration = %gs\nwarmup = 0.05s\nseed = 5\n"
					      "[traffic]\npattern = poisson\nrate = %gpps\n",
					      durations[i], lambda);
		double want = 1 / mu + rhos[i] / (2 * mu * (1 - rhos[i]));

		sim_assert_within(sim_stage(r, PATH_NORMAL, "app")->mean_s, want, 0.03,
			      "M/D/1 mean sojourn");
	}
}

/* M/M/c with one shared queue: Erlang C wait plus service. */
static void test_mmc_matches_erlang_c(void **state)
{
	SKIP_IF_LIGHT();
	const unsigned cs[] = { 2, 4 };
	const double mu = 1e6, rho = 0.8;

	for (int i = 0; i < 2; i++) {
		unsigned c = cs[i];
		double lambda = rho * c * mu, a = lambda / mu;
		g_autofree char *m = g_strdup_printf(
			"[app]\nservice = exp(1us)\nthreads = %u\ndispatch = shared\n", c);
		g_autoptr(run_result) r = run(m,
					      "duration = 1s\nwarmup = 0.05s\nseed = 9\n"
					      "[traffic]\npattern = poisson\nrate = %gpps\n",
					      lambda);
		double want = erlang_c(c, a) / (c * mu - lambda) + 1 / mu;

		sim_assert_within(sim_stage(r, PATH_NORMAL, "app")->mean_s, want, 0.03,
			      c == 2 ? "M/M/2 mean sojourn (Erlang C)" : "M/M/4 mean sojourn (Erlang C)");
	}
}

/* Two M/M/1 stages in tandem (guest then app): by Jackson's theorem the
 * mean end-to-end sojourn is 1/(mu1 - lambda) + 1/(mu2 - lambda). */
static void test_tandem_matches_jackson_product_form(void **state)
{
	SKIP_IF_LIGHT();
	const double mu1 = 1 / 0.8e-6, mu2 = 1e6, lambda = 0.6e6;
	g_autoptr(run_result) r = run("[guest]\ncycles_per_packet = exp(800cycles)\n"
				      "[app]\nservice = exp(1us)\n",
				      "duration = 1s\nwarmup = 0.05s\nseed = 11\n"
				      "[traffic]\npattern = poisson\nrate = %gpps\n",
				      lambda);
	double got = sim_stage(r, PATH_NORMAL, "guest")->mean_s + sim_stage(r, PATH_NORMAL, "app")->mean_s;

	sim_assert_within(got, 1 / (mu1 - lambda) + 1 / (mu2 - lambda), 0.03,
		      "tandem end-to-end sojourn");
	/* and the latency, which ends when the app takes the packet, is that
	 * sum less the app's own service (every other stage is free) */
	sim_assert_within(r->paths[PATH_NORMAL].latency_w.mean,
		      1 / (mu1 - lambda) + 1 / (mu2 - lambda) - 1 / mu2, 0.03, "tandem latency");
}

/* Two application threads, each with its own queue, on one vCPU: SimGrid
 * shares the core between them (exact mode).  Exponential service and a
 * work-conserving shared core make the total an M/M/1 queue: each packet's
 * mean sojourn is 1/(mu - lambda_total). */
static void test_shared_core_matches_processor_sharing(void **state)
{
	SKIP_IF_LIGHT();
	const double mu = 1e6, lambda = 0.5e6;
	g_autoptr(run_result) r = run("[vm]\nvcpus = 1\n"
				      "[app]\nservice = exp(1us)\nthreads = 2\ndispatch = rss\n",
				      "duration = 0.4s\nwarmup = 0.02s\nseed = 13\n"
				      "[traffic]\npattern = poisson\nrate = %gpps\nflows = 2\n",
				      lambda);
	const struct engine_stats *st = engine_last_stats();

	assert_true(st->exact_stages > 0);
	sim_assert_within(sim_stage(r, PATH_NORMAL, "app")->mean_s, 1 / (mu - lambda), 0.03,
		      "two threads on one core, mean sojourn");
}

/* Overload: the normal path delivers what the vSwitch's cores can serve,
 * cores * freq / cycles per packet (vSwitch plus vNIC copy). */
static void test_saturation_equals_vswitch_bound(void **state)
{
	SKIP_IF_LIGHT();
	const double freq = 2.6e9, cyc = 2000, copy = 500;
	g_autoptr(run_result) r = run("[host]\nfreq = 2.6GHz\n"
				      "[vswitch]\ncores = 2\ncycles_per_packet = 2000cycles\n"
				      "[vnic]\ncopy_cycles = 500cycles\n[nic]\nrx_ring = 1024\n"
				      "[app]\nservice = 0.1us\n",
				      "duration = 0.2s\nwarmup = 0.02s\nseed = 17\n"
				      "[traffic]\npattern = poisson\nrate = 4Mpps\nflows = 256\n");

	sim_assert_within(r->paths[PATH_NORMAL].delivered_pps, 2 * freq / (cyc + copy), 0.02,
		      "normal path delivered pps at overload");
	assert_true(r->paths[PATH_NORMAL].dropped_packets > 0);
	/* the accelerated path does not cross the vSwitch: it keeps up */
	sim_assert_within(r->paths[PATH_ACCEL].delivered_pps, r->paths[PATH_ACCEL].offered_pps, 0.02,
		      "accelerated path carries the offered load");
}

/* The vNIC copies a frame into the guest's channel only once the ring has
 * a slot for it: a frame the ring refuses costs the host the vSwitch's
 * work, not the copy.  line-rate-64b overflows the ring, with the
 * vSwitch at a constant 4,200 cycles and the copy at 800 + 64 B x 2.4 GHz
 * / 8 GB/s = 819.2 cycles: the host's cycles are 4,200 per frame
 * processed plus 819.2 per frame the ring admitted (processed less those
 * it refused).  The traffic stops halfway and everything has drained by
 * the end, with no warm-up: no batch straddles the measured time's ends
 * and no frame's fate is still open.  When every processed frame paid
 * for its copy, it was 5,019.2 per processed frame whatever the ring did. */
static void test_vnic_copy_charged_only_for_admitted_frames(void **state)
{
	const char *sets[] = { "scenario.duration=16ms", "scenario.warmup=0s", "traffic.stop=8ms",
			       "host.freq=2.4GHz",
			       "vswitch.cycles_per_packet=4200cycles", "vswitch.flow_miss_cycles=0cycles",
			       "vswitch.batch_cycles=0cycles", "vnic.copy_cycles=800cycles",
			       "vnic.copy_rate=8GB/s", "vnic.exit_cycles=0cycles", NULL };
	const double vs = 4200, copy = 800 + 64 * 2.4e9 / 8e9;
	g_autoptr(GError) err = NULL;
	g_autoptr(kf) k = scenario_sets_from_args((char **)sets, &err);
	g_autoptr(scenario) sc = scenario_load("line-rate-64b", NULL, k, &err);
	g_autoptr(run_result) r = run_result_new();

	assert_non_null(sc);
	if (!engine_run_forked(sc, NULL, r, &err))
		fail_msg("%s", err->message);
	const struct path_result *n = &r->paths[PATH_NORMAL];
	const double processed = sim_stage(r, PATH_NORMAL, "vswitch")->packets;
	const double refused = sim_stage(r, PATH_NORMAL, "guest")->drops;
	const double host = vs * processed + copy * (processed - refused);

	print_message("  %.0f frames processed by the vSwitch, %.0f refused by the guest's ring\n",
		      processed, refused);
	assert_true(refused > processed / 2);
	assert_int_equal(n->in_flight_packets, 0);
	sim_assert_within(n->host_cycles_per_processed, host / processed, 1e-9,
			  "host cycles per processed frame");
	sim_assert_within(n->host_cycles_per_packet * n->delivered_pps * r->duration_s, host, 1e-9,
			  "host cycles per delivered frame x delivered");
	sim_check_conservation(r);
}

/* Every packet offered is delivered, dropped, or still inside (counted by
 * walking the queues at the end): under light load, overload with drops,
 * and in exact mode. */
static void test_conservation_offered_equals_delivered_dropped_in_flight(void **state)
{
	g_autoptr(run_result) a = run("[app]\nservice = exp(1us)\n",
				      "duration = 0.1s\nwarmup = 0.01s\n[traffic]\nrate = 300kpps\n");
	sim_check_conservation(a);
	g_autoptr(run_result) b = run("[vswitch]\ncycles_per_packet = 2000cycles\n"
				      "[nic]\nrx_ring = 64\n[app]\nservice = 0.5us\n",
				      "duration = 0.05s\nwarmup = 0.01s\n"
				      "[traffic]\nrate = 3Mpps\nflows = 64\n");
	sim_check_conservation(b);
	assert_true(b->paths[PATH_NORMAL].dropped_packets > 0);
	g_autoptr(run_result) c = run("[vm]\nvcpus = 1\n[app]\nservice = exp(1us)\nthreads = 2\n"
				      "dispatch = rss\nqueue = 8\n",
				      "duration = 0.05s\nwarmup = 0.01s\n"
				      "[traffic]\nrate = 900kpps\nflows = 8\n");
	sim_check_conservation(c);
	assert_true(c->paths[PATH_NORMAL].dropped_packets > 0);
}

/* Little's law per stage: the time-average number in the stage (sampled at
 * every window's end) equals throughput times mean sojourn. */
static void test_littles_law_per_stage(void **state)
{
	SKIP_IF_LIGHT();
	g_autoptr(run_result) r = run("[guest]\ncycles_per_packet = exp(600cycles)\n"
				      "[app]\nservice = exp(1us)\n",
				      "duration = 2s\nwarmup = 0.05s\nseed = 19\n"
				      "[traffic]\npattern = poisson\nrate = 700kpps\n");

	for (int p = 0; p < PATH_COUNT; p++) {
		const char *names[] = { "guest", "app" };

		for (int i = 0; i < 2; i++) {
			const struct stage_result *s = sim_stage(r, p, names[i]);
			double lambda = s->packets / r->duration_s;

			sim_assert_within(s->occupancy, lambda * s->mean_s, 0.02, "Little's law L = lambda W");
		}
	}
}

/* Where no core is shared, exact mode (every CPU stage an actor, SimGrid
 * timing each batch) and window mode (Lindley's recursion) must give the
 * same figures: two implementations of the same queues, drawing the same
 * random numbers.  They agree to a few parts per million: SimGrid computes
 * an execute's end to about a nanosecond, which now and then moves a
 * packet across a batch boundary; 0.1 % leaves room for that and none for
 * a modelling difference (batch hand-over, wake-ups, order of draws). */
static void test_exact_mode_agrees_with_window_mode(void **state)
{
	SKIP_IF_LIGHT();
	const char *m = "[host]\nfreq = 2GHz\n[vswitch]\ncycles_per_packet = exp(1500cycles)\n"
			"batch = 8\n[nic]\nirq_coalesce = 5us\nirq_frames = 4\nirq_latency = 1us\n"
			"[guest]\ncycles_per_packet = lognormal(1500cycles, 800cycles)\n"
			"napi_budget = 16\n[app]\nservice = exp(1us)\n";
#define SCEN "duration = 0.1s\nwarmup = 0.01s\nseed = 23\nmode = %s\n" \
	     "[traffic]\npattern = poisson\nrate = 400kpps\nflows = 64\n"
	g_autoptr(run_result) w = run(m, SCEN, "auto");
	assert_int_equal(engine_last_stats()->exact_stages, 0);
	g_autoptr(run_result) x = run(m, SCEN, "exact");
	assert_true(engine_last_stats()->exact_stages > 0);
#undef SCEN
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *a = &w->paths[p], *b = &x->paths[p];

		sim_assert_within(b->delivered_packets, a->delivered_packets, 1e-4,
			      "exact vs window: delivered");
		sim_assert_within(b->latency_w.mean, a->latency_w.mean, 1e-3, "exact vs window: mean latency");
		sim_assert_within(stats_hist_percentile(b->latency, 99), stats_hist_percentile(a->latency, 99),
			      0.005, "exact vs window: p99 latency");
		for (guint i = 0; i < a->stages->len; i++) {
			const struct stage_result *sa = &g_array_index(a->stages, struct stage_result, i);
			const struct stage_result *sb = &g_array_index(b->stages, struct stage_result, i);

			if (sa->packets)
				sim_assert_within(sb->mean_s + 1e-12, sa->mean_s + 1e-12, 1e-3, sa->name);
		}
	}
}

/* Adaptive interrupt moderation reads the recent gap between arrivals;
 * both modes must keep it (exact mode once did not, and waited the full
 * timer at every wake-up: 21.9 us where window mode gave 10.5). */
static void test_exact_mode_keeps_adaptive_moderation(void **state)
{
	const char *m = "[vf]\nirq_mode = adaptive\nrx_usecs = 16us\nrx_frames = 32\n"
			"[guest]\ncycles_per_packet = 1500cycles\n[app]\nservice = 1us\n";
#define SCEN "duration = 0.1s\nwarmup = 0.01s\nseed = 29\nmode = %s\n" \
	     "[traffic]\npattern = poisson\nrate = 50kpps\n"
	g_autoptr(run_result) w = run(m, SCEN, "auto");
	g_autoptr(run_result) x = run(m, SCEN, "exact");
#undef SCEN

	sim_assert_within(x->paths[PATH_ACCEL].latency_w.mean, w->paths[PATH_ACCEL].latency_w.mean, 1e-3,
		      "adaptive moderation: exact vs window mean latency");
}

static char *json_of(const struct run_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_json(f, r);
	fclose(f);
	return buf;
}

/* Same scenario and seed: the same bytes; another seed: other figures. */
static void test_same_seed_same_bytes_other_seed_differs(void **state)
{
	const char *m = "[app]\nservice = lognormal(2us, 1us)\n[vswitch]\ncycles_per_packet = "
			"exp(1500cycles)\n";
#define SCEN "duration = 0.05s\nwarmup = 0.01s\nseed = %d\n" \
	     "[traffic]\npattern = poisson\nrate = 200kpps\nflows = 32\n"
	g_autoptr(run_result) a = run(m, SCEN, 1);
	g_autoptr(run_result) b = run(m, SCEN, 1);
	g_autoptr(run_result) c = run(m, SCEN, 2);
#undef SCEN
	g_autofree char *ja = json_of(a), *jb = json_of(b), *jc = json_of(c);

	assert_string_equal(ja, jb);
	assert_string_not_equal(ja, jc);
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
		cmocka_unit_test(test_mm1_sojourn_matches_closed_form),
		cmocka_unit_test(test_md1_sojourn_matches_closed_form),
		cmocka_unit_test(test_mmc_matches_erlang_c),
		cmocka_unit_test(test_tandem_matches_jackson_product_form),
		cmocka_unit_test(test_shared_core_matches_processor_sharing),
		cmocka_unit_test(test_exact_mode_agrees_with_window_mode),
		cmocka_unit_test(test_exact_mode_keeps_adaptive_moderation),
		cmocka_unit_test(test_saturation_equals_vswitch_bound),
		cmocka_unit_test(test_vnic_copy_charged_only_for_admitted_frames),
		cmocka_unit_test(test_conservation_offered_equals_delivered_dropped_in_flight),
		cmocka_unit_test(test_littles_law_per_stage),
		cmocka_unit_test(test_same_seed_same_bytes_other_seed_differs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
