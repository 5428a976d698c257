/* test_fidelity.c: the mechanisms real paths have (issue 13), each against
 * a closed form or a published figure, and each switched off by its
 * default.
 *
 * The simulations lay the mechanism under test over sim_free_model (every
 * other stage free), so what a figure shows is the mechanism alone.  Each
 * runs in a child process (simrun.h).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "simrun.h"

static char *tmpdir;

static struct run_result *run(const char *model_extra, const char *scen)
{
	return simrun(tmpdir, sim_free_model, model_extra, NULL, scen);
}

/* Cycles per packet the vSwitch stage spent on the normal path. */
static double vswitch_cycles_per_packet(const struct run_result *r)
{
	const struct stage_result *s = sim_stage(r, PATH_NORMAL, "vswitch");

	assert_true(s->packets > 0);
	return s->cycles / s->packets;
}

/* --------------------------------------------------- vSwitch: contention */

/* n cores, all saturated, from one shared queue: each core's cycles per
 * packet are cost(1) x (1 + sigma (n - 1)), so the switch forwards
 * n f / (cost(1) (1 + sigma (n - 1))) packets a second. */
static double switch_rate(unsigned cores, const char *contention)
{
	g_autofree char *m = g_strdup_printf(
		"[vswitch]\ncores = %u\ncycles_per_packet = 1000cycles\ndispatch = shared\n"
		"contention = %s\nbatch = 8\n[app]\nservice = 0s\n",
		cores, contention);
	g_autoptr(run_result) r = run(m, "duration = 40ms\nwarmup = 10ms\n"
					     "[traffic]\npattern = constant\nrate = 8Mpps\nsize = 64B\n"
					     "flows = 64\n");

	sim_check_conservation(r);
	return r->paths[PATH_NORMAL].delivered_pps;
}

static void test_contention_follows_scalability_law(void **state)
{
	/* 1 GHz, 1000 cycles: 1 Mpps per core without contention */
	sim_assert_within(switch_rate(4, "0%"), 4e6, 0.01, "4 cores, no contention");
	sim_assert_within(switch_rate(4, "10%"), 4e6 / 1.3, 0.01, "4 cores, 10 % per core");
	sim_assert_within(switch_rate(1, "10%"), 1e6, 0.01, "1 core: nothing to contend with");
}

/* ------------------------------------------- vSwitch: exact-match cache */

/* flows flows, a random one per packet, over a direct-mapped cache of
 * entries slots: slot k holds the flows k, k + entries, ..., and a packet
 * hits when the slot's last packet was of its own flow, 1 in
 * flows/entries.  Mean cycles = base + miss rate x emc_miss_cycles. */
static double emc_cycles(unsigned flows, unsigned entries)
{
	g_autofree char *m = g_strdup_printf(
		"[vswitch]\ncores = 1\ncycles_per_packet = 1000cycles\nemc_entries = %u\n"
		"emc_miss_cycles = 500cycles\nflow_table = 65536\n",
		entries);
	g_autofree char *scen = g_strdup_printf(
		"duration = 200ms\nwarmup = 50ms\n"
		"[traffic]\npattern = poisson\nrate = 200kpps\nsize = 64B\nflows = %u\n", flows);
	g_autoptr(run_result) r = run(m, scen);

	return vswitch_cycles_per_packet(r);
}

static void test_emc_miss_rate_follows_working_set(void **state)
{
	sim_assert_within(emc_cycles(64, 64), 1000, 0.005, "flows fit: every packet hits");
	sim_assert_within(emc_cycles(128, 64), 1000 + 500 * 0.5, 0.01, "2 flows per entry");
	sim_assert_within(emc_cycles(256, 64), 1000 + 500 * 0.75, 0.01, "4 flows per entry");
	/* no cache: the flow table alone */
	sim_assert_within(emc_cycles(256, 0), 1000, 0.005, "emc_entries = 0: off");
}

static int setup(void **state)
{
	tmpdir = g_dir_make_tmp("accelsim-fidelity-XXXXXX", NULL);
	return tmpdir ? 0 : -1;
}

static int teardown(void **state)
{
	simrun_cleanup(tmpdir);
	g_free(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contention_follows_scalability_law),
		cmocka_unit_test(test_emc_miss_rate_follows_working_set),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
