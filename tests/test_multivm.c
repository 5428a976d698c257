/* test_multivm.c: a host of several VMs ([vm NAME] sections).
 *
 * The VMs' normal-path work shares the host's vSwitch cores, each VF is
 * its own VM's: the vSwitch's utilisation is the sum of the VMs' shares
 * and at saturation identical VMs get equal parts of the bound; a VM with
 * accelerated networking off loads the vSwitch in both worlds and one
 * with it on in neither; each VM's packets are conserved; and the run's
 * paths are the first compared VM's figures.  Runs are short (tens of
 * milliseconds, a few hundred thousand packets), each in a child process. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "light.h"
#include "report/metrics.h"
#include "simrun.h"
#include "testutil.h"

static char *tmpdir;

/* The free model's vSwitch made to cost: 2 cores at 1 GHz, 2000 cycles a
 * packet, one queue for both (so that identical VMs are served alike
 * whatever their flows hash to): a bound of 1 Mpps. */
static const char vswitch_model[] = "[vswitch]\ncores = 2\ncycles_per_packet = 2000cycles\n"
				    "dispatch = shared\n[nic]\nrx_ring = 1024\n";
#define BOUND_PPS 1e6
#define NVMS 4

/* NVMS VMs of 2 vCPUs with the accelerated networking an[i], each with
 * Poisson traffic at pps of its own. */
static struct run_result *run_vms(const char *const an[NVMS], double pps, double duration)
{
	g_autoptr(GString) s = g_string_new(NULL);

	g_string_append_printf(s, "duration = %gs\nwarmup = 0.01s\nseed = 5\n", duration);
	for (int i = 0; i < NVMS; i++)
		g_string_append_printf(s,
				       "[vm v%d]\nvcpus = 2\naccelerated_networking = %s\n"
				       "[traffic t%d]\nvm = v%d\nrate = %gpps\nflows = 64\n",
				       i, an[i], i, i, pps);
	return simrun(tmpdir, sim_free_model, vswitch_model, NULL, s->str);
}

static const struct vm_result *vm_of(const struct run_result *r, int i)
{
	g_autofree char *name = g_strdup_printf("v%d", i);
	const struct vm_result *v = run_result_vm(r, name);

	assert_non_null(v);
	return v;
}

static const struct stage_result *stage_of(const struct path_result *p, const char *name)
{
	for (guint i = 0; i < p->stages->len; i++)
		if (!strcmp(g_array_index(p->stages, struct stage_result, i).name, name))
			return &g_array_index(p->stages, struct stage_result, i);
	fail_msg("no stage %s", name);
	return NULL;
}

static void check_vm_conservation(const struct run_result *r)
{
	for (guint i = 0; i < r->vms->len; i++)
		for (int p = 0; p < PATH_COUNT; p++) {
			const struct path_result *pr = &((struct vm_result *)r->vms->pdata[i])->paths[p];

			assert_int_equal(pr->offered_packets, pr->delivered_packets +
								      pr->dropped_packets +
								      pr->in_flight_packets);
		}
}

/* Four identical VMs, 100 kpps each on the normal path: the vSwitch is
 * 40 % busy, and that is the sum of the four VMs' shares of it (to
 * rounding: each is its packets' part of every batch).  The load itself
 * is within 2 %: 0.05 s of 400 kpps is 20,000 packets, a relative
 * standard error of 0.7 %. */
static void test_vswitch_utilisation_is_the_sum_of_the_vms(void **state)
{
	static const char *const an[NVMS] = { "compare", "compare", "compare", "compare" };
	g_autoptr(run_result) r = run_vms(an, 100e3, 0.06);
	const double host = stage_of(&r->paths[PATH_NORMAL], "vswitch")->utilisation;
	double sum = 0;

	assert_int_equal(r->vms->len, NVMS);
	for (int i = 0; i < NVMS; i++)
		sum += stage_of(&vm_of(r, i)->paths[PATH_NORMAL], "vswitch")->utilisation;
	sim_assert_within(sum, host, 1e-9, "sum of the VMs' vSwitch utilisation");
	sim_assert_within(host, NVMS * 100e3 / BOUND_PPS, 0.02, "vSwitch utilisation");
	/* the accelerated world's VFs leave the vSwitch idle */
	assert_true(stage_of(&r->paths[PATH_ACCEL], "vswitch")->packets <= 64 * NVMS);
	check_vm_conservation(r);
	sim_check_conservation(r);
}

/* Twice the bound offered by four identical VMs: each gets a quarter of
 * it.  0.05 s at the bound is 50,000 departures, 12,500 each: a binomial
 * share's standard error is 0.8 % of it, so 5 % is six of them. */
static void test_saturated_vswitch_shares_the_bound_equally(void **state)
{
	static const char *const an[NVMS] = { "compare", "compare", "compare", "compare" };
	SKIP_IF_LIGHT();
	g_autoptr(run_result) r = run_vms(an, 2 * BOUND_PPS / NVMS, 0.06);
	double total = 0;

	for (int i = 0; i < NVMS; i++) {
		const struct path_result *n = &vm_of(r, i)->paths[PATH_NORMAL];

		sim_assert_within(n->delivered_pps, BOUND_PPS / NVMS, 0.05,
				  "a VM's part of the saturated vSwitch");
		assert_true(n->dropped_packets > 0);
		total += n->delivered_pps;
		/* its VF carries what it is offered */
		sim_assert_within(vm_of(r, i)->paths[PATH_ACCEL].delivered_pps,
				  vm_of(r, i)->paths[PATH_ACCEL].offered_pps, 0.02,
				  "a VM's VF carries its load");
	}
	sim_assert_within(total, BOUND_PPS, 0.02, "the VMs together at the bound");
	check_vm_conservation(r);
}

/* Accelerated networking fixed per VM: off loads the vSwitch in both
 * worlds, on in neither, compare in the normal world only.  The run's
 * paths are the first compared VM's (v1 here, not v0). */
static void test_accelerated_networking_per_vm(void **state)
{
	static const char *const an[NVMS] = { "off", "compare", "on", "compare" };
	g_autoptr(run_result) r = run_vms(an, 50e3, 0.03);

	for (int i = 0; i < NVMS; i++) {
		for (int p = 0; p < PATH_COUNT; p++) {
			const struct path_result *pr = &vm_of(r, i)->paths[p];
			const bool soft = !strcmp(an[i], "off") ||
					  (!strcmp(an[i], "compare") && p == PATH_NORMAL);
			/* first packets of each flow take the vSwitch on the VF too */
			const uint64_t through = stage_of(pr, "vswitch")->packets;
			g_autofree char *vf = g_strdup_printf("v%d.vf", i);
			bool has_vf = false;

			for (guint k = 0; k < pr->stages->len; k++)
				has_vf |= !strcmp(g_array_index(pr->stages, struct stage_result, k).name,
						  vf);
			print_message("  v%d (%s) %s: %" G_GUINT64_FORMAT " packets through the "
				      "vSwitch, %s\n",
				      i, an[i], path_name(p), through, has_vf ? "a VF" : "no VF");
			assert_true(soft ? through > 500 : through <= 64);
			assert_true(has_vf == !soft);
		}
	}
	const struct vm_result *first = vm_of(r, 1);

	for (int p = 0; p < PATH_COUNT; p++) {
		assert_int_equal(r->paths[p].offered_packets, first->paths[p].offered_packets);
		assert_int_equal(r->paths[p].delivered_packets, first->paths[p].delivered_packets);
		assert_true(r->paths[p].latency_w.mean == first->paths[p].latency_w.mean);
	}
	/* the host's cores: every VM's vSwitch work */
	assert_true(r->host[PATH_NORMAL].host_cpu_cores > r->host[PATH_ACCEL].host_cpu_cores);
	check_vm_conservation(r);
}

/* A quiet VM (50 kpps, compared) beside a noisy one without accelerated
 * networking whose traffic bursts (on 200 us, off 800 us on average) at
 * rate during its bursts.  The vSwitch (2 cores, 1 us a packet: 2 Mpps)
 * is the only stage with a cost besides the link at 40 Gbit/s; the VMs'
 * own stages cost nothing but the application's 1 us. */
static struct run_result *run_noisy(double rate)
{
	g_autofree char *scen = g_strdup_printf(
		"duration = 0.3s\nwarmup = 0.02s\nseed = 11\n"
		"[vm quiet]\nvcpus = 2\n[vm noisy]\nvcpus = 4\naccelerated_networking = off\n"
		"[traffic quiet]\nvm = quiet\nrate = 50kpps\nflows = 4\n"
		"[traffic noisy]\nvm = noisy\npattern = onoff\nrate = %gpps\non = exp(200us)\n"
		"off = exp(800us)\nflows = 256\n",
		rate);

	return simrun(tmpdir, sim_free_model,
		      "[vswitch]\ncores = 2\ncycles_per_packet = 1000cycles\ndispatch = shared\n"
		      "[nic]\nrx_ring = 4096\n[wire]\nrate = 40Gbps\nframing = 20B\n",
		      NULL, scen);
}

/* The noisy neighbour: as the neighbour's bursts grow from a quarter of
 * the vSwitch's capacity to nearly all of it, the quiet VM's normal-path
 * p99 grows at every step (its packets queue behind the bursts at the
 * shared vSwitch), and so does its jitter.  Its accelerated path shares
 * only the link with the neighbour: a 64-byte frame is 16.8 ns of it at
 * 40 Gbit/s, and the neighbour keeps the link at most 3.2 % busy (1.9
 * Mpps in its bursts), where more than a few frames ahead of a quiet
 * packet are rare: its p99 moves by less than 0.1 us, six frames' time. */
static void test_noisy_neighbour_moves_the_normal_path_only(void **state)
{
	const double rates[] = { 0.5e6, 1.0e6, 1.5e6, 1.9e6 };
	double p99[PATH_COUNT][4], jit[4];

	SKIP_IF_LIGHT();
	for (int i = 0; i < 4; i++) {
		g_autoptr(run_result) r = run_noisy(rates[i]);
		const struct vm_result *q = run_result_vm(r, "quiet");

		assert_non_null(q);
		for (int p = 0; p < PATH_COUNT; p++)
			p99[p][i] = stats_hist_percentile(q->paths[p].latency, 99) / 1e3;
		jit[i] = stats_jitter_value(&q->paths[PATH_NORMAL].jitter) * 1e6;
		print_message("  neighbour bursts at %.1f Mpps: quiet p99 normal %.3f us, accelerated "
			      "%.3f us; normal jitter %.3f us\n",
			      rates[i] / 1e6, p99[PATH_NORMAL][i], p99[PATH_ACCEL][i], jit[i]);
		check_vm_conservation(r);
	}
	for (int i = 1; i < 4; i++) {
		if (!(p99[PATH_NORMAL][i] > p99[PATH_NORMAL][i - 1]))
			fail_msg("normal-path p99 did not grow from %.1f to %.1f Mpps",
				 rates[i - 1] / 1e6, rates[i] / 1e6);
		if (!(jit[i] > jit[i - 1]))
			fail_msg("normal-path jitter did not grow from %.1f to %.1f Mpps",
				 rates[i - 1] / 1e6, rates[i] / 1e6);
		if (!(fabs(p99[PATH_ACCEL][i] - p99[PATH_ACCEL][0]) < 0.1))
			fail_msg("accelerated-path p99 moved by %.3f us", p99[PATH_ACCEL][i] - p99[PATH_ACCEL][0]);
	}
}

/* ---------------------------------------------------------------- events */

static uint64_t drops_at(const struct path_result *p, const char **where)
{
	uint64_t n = 0;

	*where = NULL;
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);

		if (s->drops) {
			n += s->drops;
			*where = s->name;
		}
	}
	return n;
}

/* Host servicing: a packet every 50 us, the VF removed at t1 = 40.01 ms
 * and back at t2 = 70.01 ms, the guest's bond using it again failover =
 * 10 ms later.  The packets born from t1 to t2 + failover (800 of 2000)
 * take the synthetic path: the accelerated path's vSwitch serves them and
 * the flow's first packet (its NIC flow entry), no more; without the
 * failover, 600.  The phase on the synthetic path costs what the normal
 * path costs, the phases before and after no host CPU.  With a vSwitch
 * too slow for the traffic (100 us a packet) and a short ring, the
 * fall-back loses packets: every one is counted, at the vSwitch, and
 * offered = delivered + dropped + in flight still holds. */
static struct run_result *run_servicing(const char *failover, const char *cycles)
{
	g_autofree char *m = g_strdup_printf("[vm]\nfailover = %s\n[vswitch]\ncores = 1\n"
					     "cycles_per_packet = %s\n[nic]\nrx_ring = 64\n",
					     failover, cycles);

	return simrun(tmpdir, sim_free_model, m, NULL,
		      "duration = 100ms\nseed = 3\n"
		      "[traffic]\npattern = constant\nrate = 20kpps\nsize = 1000B\nflows = 1\n"
		      "[event removal]\nat = 40.01ms\naction = vf_remove\n"
		      "[event return]\nat = 70.01ms\naction = vf_add\n");
}

static void test_servicing_falls_back_until_vf_add_and_failover(void **state)
{
	g_autoptr(run_result) r = run_servicing("10ms", "1000cycles");
	g_autoptr(run_result) now = run_servicing("0s", "1000cycles");
	const struct path_result *a = &r->paths[PATH_ACCEL], *n = &r->paths[PATH_NORMAL];

	assert_int_equal(a->delivered_packets, 2000);
	assert_int_equal(sim_stage(r, PATH_ACCEL, "vswitch")->packets, 800 + 1);
	assert_int_equal(sim_stage(now, PATH_ACCEL, "vswitch")->packets, 600 + 1);
	/* the phases: before, on the synthetic path, after */
	assert_int_equal(a->phases->len, 3);
	const struct interval_row *ph = (const struct interval_row *)(void *)a->phases->data;
	const struct interval_row *nph = (const struct interval_row *)(void *)n->phases->data;

	sim_assert_within(ph[1].t0_s, 40.01e-3, 1e-12, "fall-back phase starts at vf_remove");
	sim_assert_within(ph[1].t1_s, 80.01e-3, 1e-12, "... ends at vf_add + failover");
	assert_int_equal(ph[1].delivered, 800);
	sim_assert_within(ph[1].host_cpu_cores, nph[1].host_cpu_cores, 1e-9,
			  "fall-back: host CPU of the normal path");
	assert_true(ph[2].host_cpu_cores == 0);
	assert_true(ph[1].latency_p50_s == nph[1].latency_p50_s);
	sim_check_conservation(r);

	g_autoptr(run_result) slow = run_servicing("10ms", "100000cycles");
	const char *where;
	const uint64_t lost = drops_at(&slow->paths[PATH_ACCEL], &where);

	print_message("  slow vSwitch: %" G_GUINT64_FORMAT " lost at %s\n", lost, where);
	assert_true(lost > 0);
	assert_string_equal(where, "vswitch");
	assert_int_equal(lost, slow->paths[PATH_ACCEL].dropped_packets);
	sim_check_conservation(slow);
}

/* The host's link down from 30.01 to 50.01 ms under a packet every 50 us:
 * the 400 packets that reach it meanwhile are dropped there, on both
 * paths, and the phase between the two events delivers nothing. */
static void test_link_down_drops_at_the_link(void **state)
{
	g_autoptr(run_result) r = simrun(tmpdir, sim_free_model, "", NULL,
					 "duration = 100ms\nseed = 3\n"
					 "[traffic]\npattern = constant\nrate = 20kpps\nflows = 1\n"
					 "[event cut]\nat = 30.01ms\naction = link_down\n"
					 "[event mend]\nat = 50.01ms\naction = link_up\n");

	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];
		const char *where;

		assert_int_equal(drops_at(pr, &where), 400);
		assert_string_equal(where, "wire.rx");
		assert_int_equal(pr->dropped_packets, 400);
		assert_int_equal(pr->phases->len, 3);
		assert_int_equal(g_array_index(pr->phases, struct interval_row, 1).delivered, 0);
		assert_int_equal(g_array_index(pr->phases, struct interval_row, 1).dropped, 400);
	}
	sim_check_conservation(r);
}

/* Other host work on the vSwitch's one core, 60 % of it from 30 to 60 ms:
 * the vSwitch runs in exact mode, and the normal path's p99 in that phase
 * is well above the phases before and after (its packets wait for the
 * core).  The accelerated path does not cross the vSwitch (but for the
 * flow's first packet, at the start): its figures are those of a run
 * without the load, to the bit. */
static struct run_result *run_host_load(bool busy)
{
	g_autofree char *scen = g_strdup_printf(
		"duration = 90ms\nseed = 3\n[traffic]\nrate = 150kpps\nflows = 1\n%s",
		busy ? "[event busy]\nat = 30ms\naction = host_load\nuntil = 60ms\n"
		       "utilisation = 60%\njob = exp(50us)\n"
		     : "");

	return simrun(tmpdir, sim_free_model, "[vswitch]\ncores = 1\ncycles_per_packet = 2000cycles\n",
		      NULL, scen);
}

static void test_host_load_slows_the_normal_path_for_its_phase(void **state)
{
	g_autoptr(run_result) r = run_host_load(true);
	g_autoptr(run_result) calm = run_host_load(false);
	double p99[3];

	assert_non_null(strchr(sim_stage(r, PATH_NORMAL, "vswitch")->where, '*'));
	assert_int_equal(r->paths[PATH_NORMAL].phases->len, 3);
	for (int k = 0; k < 3; k++)
		p99[k] = g_array_index(r->paths[PATH_NORMAL].phases, struct interval_row, k).latency_p99_s;
	print_message("  normal p99 per phase: %.2f %.2f %.2f us\n", p99[0] * 1e6, p99[1] * 1e6,
		      p99[2] * 1e6);
	assert_true(p99[1] > 1.5 * p99[0] && p99[1] > 1.5 * p99[2]);
	assert_true(r->paths[PATH_ACCEL].latency_w.mean == calm->paths[PATH_ACCEL].latency_w.mean);
	assert_int_equal(stats_hist_percentile(r->paths[PATH_ACCEL].latency, 99),
			 stats_hist_percentile(calm->paths[PATH_ACCEL].latency, 99));
	sim_check_conservation(r);
}

/* --------------------------------------------------------- live migration */

/* A VM of 64 MiB whose stack spends 20 us of a vCPU per packet (0.4 vCPU
 * busy at 20 kpps) migrates at 0.1 s over a 1 Gbit/s link: its VF is
 * detached 50 ms later the copy starts, attached on the new host 70 ms
 * after it ends, and used 30 ms after that.  SimGrid's pre-copy sends the
 * 64 MiB (0.54 s at 125 MB/s) and then, round by round, what the VM
 * wrote meanwhile: dirty_rate bytes per second of its vCPUs' work. */
struct migration_times {
	double at, start, end, copy, vf_on, fallback;
};

static struct run_result *run_migration(const char *dirty, struct migration_times *t)
{
	g_autofree char *m = g_strdup_printf(
		"[vm]\nmemory = 64MiB\ndirty_rate = %s\nfailover = 30ms\n"
		"[host]\nmigration_rate = 1Gbps\nvf_detach = 50ms\nvf_attach = 70ms\n"
		"[guest]\ncycles_per_packet = 20000cycles\n[vswitch]\ncycles_per_packet = 2000cycles\n",
		dirty);
	struct run_result *r = simrun(tmpdir, sim_free_model, m, NULL,
				      "duration = 1.5s\nseed = 3\n"
				      "[traffic]\nrate = 20kpps\nflows = 4\n"
				      "[event move]\nat = 0.1s\naction = migrate\n");
	const char *note = NULL;

	for (guint i = 0; i < r->note_keys->len; i++)
		if (!strcmp(r->note_keys->pdata[i], "migration vm accelerated"))
			note = r->note_values->pdata[i];
	assert_non_null(note);
	print_message("  dirty_rate %s: %s\n", dirty, note);
	if (sscanf(note,
		   "VF detached at %lf s; memory copied from %lf s to %lf s (SimGrid: %lf s); VF in "
		   "use from %lf s: %lf s on the synthetic path",
		   &t->at, &t->start, &t->end, &t->copy, &t->vf_on, &t->fallback) != 6)
		fail_msg("cannot read the migration's times: %s", note);
	return r;
}

/* The fall-back interval is SimGrid's migration time plus the detach,
 * attach and failover delays, and the phases show it: the accelerated
 * path spends host CPU on the VM's traffic from the detach until the VF is
 * in use on the new host, and its packets cross the new host's vSwitch
 * meanwhile.  A VM that writes twice as much per second of work migrates
 * for longer (more to send again), and neither beats the bare copy. */
static void test_migration_falls_back_for_simgrid_time_plus_delays(void **state)
{
	struct migration_times lo, hi;
	g_autoptr(run_result) a = run_migration("100MB/s", &lo);
	g_autoptr(run_result) b = run_migration("200MB/s", &hi);

	sim_assert_within(lo.start, 0.1 + 0.05, 1e-12, "the copy starts after the detach");
	/* the note gives 9 digits: 1e-7 is a tenth of a microsecond here */
	sim_assert_within(lo.fallback, lo.copy + 0.05 + 0.07 + 0.03, 1e-7,
			  "fall-back = migration + detach + attach + failover");
	sim_assert_within(lo.vf_on - lo.at, lo.fallback, 1e-7, "VF back after the fall-back");
	assert_true(lo.copy > 64.0 * 1048576 / 125e6);
	print_message("  copy %.4f s at 100 MB/s of work, %.4f s at 200 MB/s\n", lo.copy, hi.copy);
	assert_true(hi.copy > lo.copy * 1.05);

	const GArray *ph = a->paths[PATH_ACCEL].phases;
	const struct interval_row *first = &g_array_index(ph, struct interval_row, 0);
	const struct interval_row *last = &g_array_index(ph, struct interval_row, ph->len - 1);

	assert_true(ph->len >= 3);
	sim_assert_within(first->t1_s, lo.at, 1e-7, "a phase ends at the detach");
	sim_assert_within(last->t0_s, lo.vf_on, 1e-7, "the last phase starts with the VF in use");
	/* before and after, only each flow's first packet crosses a vSwitch
	 * (its NIC flow entry, on each host) */
	const double fallback_cpu = g_array_index(ph, struct interval_row, 1).host_cpu_cores;

	for (guint k = 1; k + 1 < ph->len; k++)
		assert_true(g_array_index(ph, struct interval_row, k).host_cpu_cores > 0);
	assert_true(first->host_cpu_cores < 0.01 * fallback_cpu);
	assert_true(last->host_cpu_cores < 0.01 * fallback_cpu);
	assert_true(sim_stage(a, PATH_ACCEL, "dst.vswitch")->packets > 0);
	sim_check_conservation(a);
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
		cmocka_unit_test(test_vswitch_utilisation_is_the_sum_of_the_vms),
		cmocka_unit_test(test_saturated_vswitch_shares_the_bound_equally),
		cmocka_unit_test(test_accelerated_networking_per_vm),
		cmocka_unit_test(test_noisy_neighbour_moves_the_normal_path_only),
		cmocka_unit_test(test_servicing_falls_back_until_vf_add_and_failover),
		cmocka_unit_test(test_link_down_drops_at_the_link),
		cmocka_unit_test(test_host_load_slows_the_normal_path_for_its_phase),
		cmocka_unit_test(test_migration_falls_back_for_simgrid_time_plus_delays),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
