/* test_scenarios.c: what every shipped scenario must show.
 *
 * On each, the accelerated path beats the normal path on p50 and p99
 * latency and spends less host CPU; and on small-app, whose own work
 * dwarfs the network, the mean latency differs by less than 10 %.  On
 * every shipped scenario, calibration ones included, the latency budget
 * adds up to the mean latency.  Runs are shortened; a scenario shipped
 * without a row here fails the test. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config/scenario.h"
#include "core/datadir.h"
#include "engine/engine.h"
#include "light.h"
#include "simrun.h"

static const struct {
	const char *name;
	const char *duration, *warmup;	/* shortened run */
} shipped[] = {
	{ "quickstart", "100ms", "20ms" },  { "line-rate-64b", "60ms", "20ms" },
	{ "web-server", "500ms", "100ms" }, { "trading", "3s", "200ms" },
	{ "database", "400ms", "100ms" },   { "big-data", "60ms", "20ms" },
	{ "gaming", "2s", "200ms" },	    { "small-app", "4s", "500ms" },
	{ "noisy-neighbour", "150ms", "30ms" },
	/* their events: in full */
	{ "servicing", "40s", "1s" },	    { "migration", "20s", "500ms" },
};

/* The calibration scenarios, shortened too. */
static const struct {
	const char *name;
	const char *duration, *warmup;
} calibration[] = {
	{ "calibration/first-packet", "5s", "100ms" },
	{ "calibration/servicing", "32s", "1s" },
	{ "calibration/switch-64b", "30ms", "10ms" },
	{ "calibration/throughput", "200ms", "20ms" },
	{ "calibration/vm-latency", "20s", "100ms" },
};

static struct run_result *run(const char *name, const char *duration, const char *warmup)
{
	g_autofree char *d = g_strdup_printf("scenario.duration=%s", duration);
	g_autofree char *w = g_strdup_printf("scenario.warmup=%s", warmup);
	char *sets[] = { d, w, NULL };

	return simrun_shipped(name, sets);
}

static double pct(const struct path_result *p, double q)
{
	return stats_hist_percentile(p->latency, q) / 1e3;
}

static void test_every_scenario_has_a_row(void **state)
{
	g_autoptr(GPtrArray) names = datadir_list("scenarios", ".ini");

	assert_true(names->len > 0);
	for (guint i = 0; i < names->len; i++) {
		bool found = false;

		for (size_t k = 0; k < G_N_ELEMENTS(shipped); k++)
			found |= !strcmp(shipped[k].name, names->pdata[i]);
		if (!found)
			fail_msg("scenarios/%s.ini has no row in tests/test_scenarios.c",
				 (char *)names->pdata[i]);
	}
}

static void test_accelerated_beats_normal_on_every_scenario(void **state)
{
	SKIP_IF_LIGHT();
	for (size_t k = 0; k < G_N_ELEMENTS(shipped); k++) {
		g_autoptr(run_result) r = run(shipped[k].name, shipped[k].duration, shipped[k].warmup);
		const struct path_result *n = &r->paths[PATH_NORMAL], *a = &r->paths[PATH_ACCEL];

		print_message("  %-14s p50 %8.1f / %8.1f us  p99 %8.1f / %8.1f us  host cores %.3f / %.3f\n",
			      shipped[k].name, pct(n, 50), pct(a, 50), pct(n, 99), pct(a, 99),
			      n->host_cpu_cores, a->host_cpu_cores);
		assert_true(a->delivered_packets > 0);
		if (!(pct(a, 50) < pct(n, 50) && pct(a, 99) < pct(n, 99)))
			fail_msg("%s: the accelerated path is not faster", shipped[k].name);
		if (!(a->host_cpu_cores < n->host_cpu_cores))
			fail_msg("%s: the accelerated path spends no less host CPU", shipped[k].name);
	}
}

/* The explainer: a small app with low traffic may see no noticeable gain. */
static void test_small_app_gains_under_ten_percent(void **state)
{
	g_autoptr(run_result) r = run("small-app", "4s", "500ms");
	double n = r->paths[PATH_NORMAL].latency_w.mean, a = r->paths[PATH_ACCEL].latency_w.mean;

	print_message("  small-app mean latency: normal %.1f us, accelerated %.1f us (%.1f %%)\n",
		      n * 1e6, a * 1e6, (n - a) / n * 100);
	assert_true(a < n);
	assert_true((n - a) / n < 0.10);
}

/* Jitter describes the run: a run up to 5 ms longer (at most 150 more
 * packets on top of 54,000) reports the same figure to within 1 %.  The
 * final value of RFC 3550's moving average moved by a factor of two here. */
static void test_jitter_describes_the_whole_run(void **state)
{
	SKIP_IF_LIGHT();
	double lo[PATH_COUNT] = { INFINITY, INFINITY }, hi[PATH_COUNT] = { 0, 0 };

	for (int ms = 0; ms <= 5; ms++) {
		g_autofree char *d = g_strdup_printf("%.3fs", 2.0 + ms * 1e-3);
		g_autoptr(run_result) r = run("gaming", d, "200ms");

		for (int p = 0; p < PATH_COUNT; p++) {
			double j = stats_jitter_value(&r->paths[p].jitter) * 1e6;

			print_message("  gaming %s: %s jitter %.3f us\n", d, path_name(p), j);
			lo[p] = MIN(lo[p], j);
			hi[p] = MAX(hi[p], j);
		}
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		assert_true(lo[p] > 0);
		if (hi[p] / lo[p] > 1.01)
			fail_msg("%s jitter moves from %.3f to %.3f us with the run's length",
				 path_name(p), lo[p], hi[p]);
	}
}

/* Where the latency goes adds up: on every shipped scenario and both
 * paths, the budget's rows (each stage's queue, wake-up and service, and
 * the delays after service) sum to the mean latency within 0.01 %. */
static void check_budget(const char *name, const struct run_result *r)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];
		double sum = 0;

		for (guint i = 0; i < pr->budget->len; i++) {
			const struct budget_row *b = &g_array_index(pr->budget, struct budget_row, i);

			sum += b->wait_s + b->wake_s + b->service_s + b->delay_s;
		}
		print_message("  %-26s %-11s budget %9.3f us, mean latency %9.3f us\n", name,
			      path_name(p), sum * 1e6, pr->latency_w.mean * 1e6);
		assert_true(pr->latency_w.n > 0);
		if (!(fabs(sum - pr->latency_w.mean) <= 1e-4 * pr->latency_w.mean))
			fail_msg("%s, %s: the budget adds up to %.6f us, the mean latency is %.6f us",
				 name, path_name(p), sum * 1e6, pr->latency_w.mean * 1e6);
	}
}

static void test_budget_adds_up_to_mean_latency(void **state)
{
	SKIP_IF_LIGHT();
	for (size_t k = 0; k < G_N_ELEMENTS(shipped); k++) {
		g_autoptr(run_result) r = run(shipped[k].name, shipped[k].duration, shipped[k].warmup);

		check_budget(shipped[k].name, r);
	}
	for (size_t k = 0; k < G_N_ELEMENTS(calibration); k++) {
		g_autoptr(run_result) r =
			run(calibration[k].name, calibration[k].duration, calibration[k].warmup);

		check_budget(calibration[k].name, r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scenario_has_a_row),
		cmocka_unit_test(test_accelerated_beats_normal_on_every_scenario),
		cmocka_unit_test(test_small_app_gains_under_ten_percent),
		cmocka_unit_test(test_jitter_describes_the_whole_run),
		cmocka_unit_test(test_budget_adds_up_to_mean_latency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
