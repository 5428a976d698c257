/* test_merge.c: pooling replications and their statistics (report/merge.h)
 * on results made by hand, where every pooled figure can be worked out. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "report/merge.h"
#include "report/metrics.h"

/* A run of seed s: n packets of latency lat_us each on both paths, over
 * dur seconds, host cores cores, a stage, and a budget with or without a
 * "vf" row. */
static struct run_result *make_run(uint64_t s, int n, double lat_us, double dur, double cores,
				   bool vf_row)
{
	struct run_result *r = run_result_new();

	r->scenario = g_strdup("hand");
	r->model = g_strdup("hand");
	r->source = g_strdup("simulation");
	r->seed = s;
	r->duration_s = dur;
	r->core_year_usd = 900;
	r->provenance = provenance_new();
	r->provenance->scenario_sha256 = g_strdup("aaaa");
	r->provenance->model_sha256 = g_strdup("bbbb");
	g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, s);
	provenance_add_key(r->provenance, "scenario.seed", seed);
	provenance_add_key(r->provenance, "vswitch.cores", "2");
	for (int p = 0; p < PATH_COUNT; p++) {
		struct path_result *x = &r->paths[p];

		for (int i = 0; i < n; i++)
			path_result_record_latency(x, lat_us * 1e-6);
		x->offered_packets = x->delivered_packets = (uint64_t)n;
		x->offered_pps = x->delivered_pps = n / dur;
		x->host_cpu_cores = p == PATH_NORMAL ? cores : 0;
		x->host_cycles_per_packet = p == PATH_NORMAL ? cores * dur * 1e9 / n : 0;
		struct stage_result *st = path_result_add_stage(x, "guest", "vCPUs");
		st->packets = (uint64_t)n;
		st->mean_s = lat_us * 1e-6;
		st->utilisation = 0.5;
		struct budget_row *b = path_result_add_budget(x, "guest", "vCPUs");
		b->service_s = lat_us * 1e-6 * (vf_row ? 0.5 : 1);
		if (vf_row) {
			b = path_result_add_budget(x, "vf", "NIC");
			b->delay_s = lat_us * 1e-6 * 0.5;
		}
	}
	return r;
}

static double fig(const struct run_result *r, int p, const char *name)
{
	return metric_value(metric_find(&metric_path, name), &r->paths[p]);
}

static void test_pool_adds_counts_and_merges_histograms(void **state)
{
	struct run_result *rs[2] = { make_run(1, 1000, 10, 1, 0.2, true),
				     make_run(2, 3000, 30, 2, 0.5, false) };
	g_autoptr(run_result) pool = merge_pool(rs, 2);

	for (int p = 0; p < PATH_COUNT; p++) {
		assert_int_equal(pool->paths[p].delivered_packets, 4000);
		/* the histogram of all 4000: a quarter at 10 us, the rest at 30 */
		assert_true(fabs(fig(pool, p, "latency_p50") - 30) < 0.2);
		assert_true(fabs(fig(pool, p, "latency_p90") - 30) < 0.2);
		assert_true(fabs(fig(pool, p, "latency_mean") - 25) < 1e-9);
		/* rates weighted by measured time: (1000 + 3000) / 3 s */
		assert_true(fabs(pool->paths[p].delivered_pps - 4000 / 3.0) < 1e-9);
		/* the stage: packets add, mean time weighted by packets */
		const struct stage_result *st = &g_array_index(pool->paths[p].stages,
							       struct stage_result, 0);
		assert_int_equal(st->packets, 4000);
		assert_true(fabs(st->mean_s - 25e-6) < 1e-15);
	}
	assert_true(fabs(pool->duration_s - 3) < 1e-12);
	/* host cores by time: (0.2 x 1 + 0.5 x 2) / 3 */
	assert_true(fabs(pool->paths[PATH_NORMAL].host_cpu_cores - 0.4) < 1e-12);
	/* cycles per delivered packet: all cycles over all packets */
	const double cycles = 0.2 * 1 * 1e9 + 0.5 * 2 * 1e9;
	assert_true(fabs(pool->paths[PATH_NORMAL].host_cycles_per_packet - cycles / 4000) < 1e-6);
	run_result_free(rs[0]);
	run_result_free(rs[1]);
}

/* The first run's budget has a "vf" row, the second's not: the pooled
 * budget has it, the second counting zero there, and still adds up to
 * the pooled mean latency. */
static void test_pool_budget_rows_of_every_run(void **state)
{
	struct run_result *rs[2] = { make_run(1, 1000, 10, 1, 0.2, true),
				     make_run(2, 3000, 30, 2, 0.5, false) };
	g_autoptr(run_result) pool = merge_pool(rs, 2);
	const struct metric *total = metric_find(&metric_budget, "total");

	for (int p = 0; p < PATH_COUNT; p++) {
		const GArray *b = pool->paths[p].budget;
		double sum = 0;

		assert_int_equal(b->len, 2);
		assert_string_equal(g_array_index(b, struct budget_row, 0).name, "guest");
		assert_string_equal(g_array_index(b, struct budget_row, 1).name, "vf");
		/* vf: 5 us in 1000 packets of 4000, 0 in the rest */
		assert_true(fabs(g_array_index(b, struct budget_row, 1).delay_s - 1.25e-6) < 1e-15);
		for (guint i = 0; i < b->len; i++)
			sum += metric_value(total, &g_array_index(b, struct budget_row, i));
		assert_true(fabs(sum - fig(pool, p, "latency_mean")) < 1e-9);
	}
	run_result_free(rs[0]);
	run_result_free(rs[1]);
}

/* Three runs with host cores 0.2, 0.3, 0.4: mean 0.3, sd 0.1, half-width
 * t(0.975, 2) x 0.1 / sqrt(3) = 4.302653 x 0.057735 = 0.248414. */
static void test_stats_mean_and_interval_by_hand(void **state)
{
	struct run_result *rs[3] = { make_run(1, 100, 10, 1, 0.2, false),
				     make_run(2, 100, 10, 1, 0.3, false),
				     make_run(3, 100, 10, 1, 0.4, false) };
	g_autoptr(merge_stats) st = merge_stats_new(rs, 3);
	const size_t k = merge_metric_index(metric_find(&metric_path, "host_cpu_cores"));

	assert_int_equal(st->n, 3);
	assert_int_equal(st->seeds[2], 3);
	assert_true(fabs(st->mean[PATH_NORMAL][k] - 0.3) < 1e-12);
	assert_true(fabs(st->half[PATH_NORMAL][k] - 0.248414) < 1e-6);
	/* the same on every run: no spread */
	assert_true(st->half[PATH_ACCEL][k] == 0);
	g_autoptr(merge_stats) one = merge_stats_new(rs, 1);
	assert_true(isnan(one->half[PATH_NORMAL][k]));
	for (int i = 0; i < 3; i++)
		run_result_free(rs[i]);
}

static void test_check_tells_configurations_apart(void **state)
{
	g_autoptr(run_result) a = make_run(1, 10, 10, 1, 0.2, false);
	g_autoptr(run_result) b = make_run(2, 10, 10, 1, 0.2, true);
	g_autoptr(GError) e = NULL;

	/* seeds and budget rows may differ */
	assert_true(merge_check(a, "A", b, "B", NULL));
	g_free(b->provenance->values->pdata[1]);
	b->provenance->values->pdata[1] = g_strdup("4");
	assert_false(merge_check(a, "A", b, "B", &e));
	assert_string_equal(e->message, "A and B are not runs of one configuration: "
					"vswitch.cores is '2' in one and '4' in the other");
	g_clear_error(&e);
	g_free(b->provenance->values->pdata[1]);
	b->provenance->values->pdata[1] = g_strdup("2");
	g_free(b->provenance->model_sha256);
	b->provenance->model_sha256 = g_strdup("cccc");
	assert_false(merge_check(a, "A", b, "B", &e));
	assert_non_null(strstr(e->message, "model files differ"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_adds_counts_and_merges_histograms),
		cmocka_unit_test(test_pool_budget_rows_of_every_run),
		cmocka_unit_test(test_stats_mean_and_interval_by_hand),
		cmocka_unit_test(test_check_tells_configurations_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
