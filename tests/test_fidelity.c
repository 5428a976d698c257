/* test_fidelity.c: the mechanisms real paths have (issue 13), each against
 * a closed form or a published figure, and each switched off by its
 * default.
 *
 * The simulations lay the mechanism under test over sim_free_model (every
 * other stage free), so what a figure shows is the mechanism alone.  Each
 * runs in a child process (simrun.h).  Under memcheck (tests/light.h) the
 * saturation runs, hundreds of thousands of packets each, skip; the rest
 * still take each mechanism's code through memcheck.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "light.h"
#include "simrun.h"
#include "testutil.h"
#include "traffic/traffic.h"

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
	SKIP_IF_LIGHT();
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

/* ------------------------------------------------------ vNIC workers */

/* 1 GHz; the switch and the copy cost 1000 cycles each per packet. */
static const char workers_model[] =
	"[vswitch]\ncores = %u\ncycles_per_packet = 1000cycles\nbatch = 8\n"
	"[vnic]\ncopy_cycles = 1000cycles\nworkers = %u\nworker_cores = %s\n"
	"worker_wakeup = %s\n[app]\nservice = 0s\n";

static struct run_result *workers_run(unsigned cores, unsigned workers, const char *placement,
				      const char *wakeup, const char *traffic)
{
	g_autofree char *m = g_strdup_printf(workers_model, cores, workers, placement, wakeup);
	g_autofree char *scen =
		g_strdup_printf("duration = 30ms\nwarmup = 5ms\n[traffic]\nsize = 64B\n%s", traffic);

	return run(m, scen);
}

static double workers_rate(unsigned cores, unsigned workers, const char *placement,
			   unsigned flows)
{
	g_autofree char *t = g_strdup_printf("pattern = constant\nrate = 6Mpps\nflows = %u\n", flows);
	g_autoptr(run_result) r = workers_run(cores, workers, placement, "0s", t);

	sim_check_conservation(r);
	return r->paths[PATH_NORMAL].delivered_pps;
}

static void test_vnic_workers_take_the_copy_off_the_switch_core(void **state)
{
	SKIP_IF_LIGHT();
	/* on the switch's core: 2000 cycles a packet, 0.5 Mpps */
	sim_assert_within(workers_rate(1, 0, "pinned", 1), 0.5e6, 0.01, "copy on the switch core");
	/* a pinned worker of its own: each stage 1 Mpps */
	sim_assert_within(workers_rate(1, 1, "pinned", 1), 1e6, 0.01, "pinned worker");
	/* a floating worker shares the switch's one core: 0.5 Mpps again */
	sim_assert_within(workers_rate(1, 1, "floating", 1), 0.5e6, 0.02, "floating worker");
}

static void test_more_flows_do_not_speed_up_one_worker(void **state)
{
	SKIP_IF_LIGHT();
	/* four switch cores and 64 flows: the copy on the switch's cores
	 * scales with them (RSS), one worker does not */
	double fused = workers_rate(4, 0, "pinned", 64), one = workers_rate(4, 1, "pinned", 64);

	assert_true(fused > 1.5e6);
	sim_assert_within(one, 1e6, 0.01, "one worker, 64 flows");
}

static void test_worker_wakeup_adds_to_idle_latency(void **state)
{
	const char *t = "pattern = constant\nrate = 10kpps\nflows = 1\n";
	g_autoptr(run_result) off = workers_run(1, 1, "pinned", "0s", t);
	g_autoptr(run_result) on = workers_run(1, 1, "pinned", "5us", t);
	const struct path_result *a = &off->paths[PATH_NORMAL], *b = &on->paths[PATH_NORMAL];

	/* idle: every packet finds the worker asleep */
	sim_assert_within(b->latency_w.mean - a->latency_w.mean, 5e-6, 0.001, "worker wake-up");
	/* its cycles are host CPU: switch + copy per packet */
	sim_assert_within(b->host_cycles_per_packet, 2000, 0.001, "host cycles per packet");
	assert_non_null(sim_stage_or_null(on, PATH_NORMAL, "vnic"));
}

static double tx_latency(unsigned workers)
{
	g_autofree char *m = g_strdup_printf("[vnic]\nworkers = %u\nworker_wakeup = 5us\n"
					     "notify_latency = 3us\n[app]\nservice = 0s\n",
					     workers);
	g_autoptr(run_result) r = run(m, "duration = 30ms\nwarmup = 5ms\n[traffic]\n"
					 "direction = tx\npattern = constant\nrate = 10kpps\n"
					 "size = 64B\n");

	return r->paths[PATH_NORMAL].latency_w.mean;
}

static void test_guest_kick_wakes_the_worker(void **state)
{
	/* transmit: the guest's doorbell wakes the worker (5 us); without
	 * workers, the host's side is signalled (3 us) */
	sim_assert_within(tx_latency(1), 5e-6, 0.001, "kick: the worker's wake-up");
	sim_assert_within(tx_latency(0), 3e-6, 0.001, "kick: the notification");
}

/* -------------------------------------------- NIC moderation, polling */

static double idle_rx_latency(const char *model_extra, const char *rate)
{
	g_autofree char *scen = g_strdup_printf("duration = 50ms\nwarmup = 5ms\n[traffic]\n"
						"pattern = constant\nrate = %s\nsize = 64B\n",
						rate);
	g_autoptr(run_result) r = run(model_extra, scen);

	return r->paths[PATH_NORMAL].latency_w.mean;
}

static void test_adaptive_moderation_shrinks_with_the_rate(void **state)
{
	const char *st = "[nic]\nirq_coalesce = 8us\nirq_frames = 32\n";
	const char *ad = "[nic]\nirq_coalesce = 8us\nirq_frames = 32\nirq_adaptive = true\n";

	/* static: every lone frame waits for the timer */
	sim_assert_within(idle_rx_latency(st, "10kpps"), 8e-6, 0.001, "static timer");
	/* adaptive: the timer scaled by the fill, 8 us / (100 us x 32) */
	sim_assert_within(idle_rx_latency(ad, "10kpps"), 8e-6 * 8.0 / (100 * 32), 0.02,
			  "adaptive, 10 kpps");
	sim_assert_within(idle_rx_latency(ad, "100kpps"), 8e-6 * 8.0 / (10 * 32), 0.02,
			  "adaptive, 100 kpps");
}

static void test_polling_switch_needs_no_wakeup(void **state)
{
	const char *base = "[nic]\nirq_coalesce = 8us\nirq_frames = 32\nirq_latency = 2us\n"
			   "[vnic]\nnotify_latency = 3us\n";
	g_autofree char *polls = g_strconcat(base, "[vswitch]\npoll = true\n", NULL);

	/* receive: interrupt (8 + 2 us), then the guest's notification (3) */
	sim_assert_within(idle_rx_latency(base, "10kpps"), 13e-6, 0.001, "interrupt-driven");
	/* a polling switch sees the frame at once; the guest is still
	 * notified */
	sim_assert_within(idle_rx_latency(polls, "10kpps"), 3e-6, 0.001, "poll mode");
}

/* ---------------------------------------------- halt polling, VM exits */

static double halt_latency(const char *poll, const char *extra)
{
	g_autofree char *m = g_strdup_printf("[vnic]\nhalt_poll = %s\nhalt_wakeup = 10us\n%s", poll,
					     extra);
	g_autoptr(run_result) r = run(m, "duration = 50ms\nwarmup = 5ms\n"
					"[traffic]\npattern = constant\nrate = 10kpps\nsize = 64B\n");

	return r->paths[PATH_NORMAL].latency_w.mean;
}

static void test_halted_vcpu_costs_a_wakeup_beyond_halt_poll(void **state)
{
	/* a packet every 100 us: a vCPU polling for 50 us has halted, one
	 * polling for 200 us has not */
	sim_assert_within(halt_latency("50us", ""), 10e-6, 0.001, "halted: IPI and VM entry");
	assert_true(halt_latency("200us", "") < 1e-9);
	assert_true(halt_latency("50us", "halt_wakeup = 0s\n") < 1e-9);
}

static double notification_cycles(const char *direction)
{
	g_autofree char *scen = g_strdup_printf("duration = 50ms\nwarmup = 5ms\n[traffic]\n"
						"direction = %s\npattern = constant\n"
						"rate = 10kpps\nsize = 64B\n",
						direction);
	g_autoptr(run_result) r = run("[vnic]\nexit_cycles = 1500cycles\nkick_cycles = 700cycles\n"
				      "[vswitch]\ncycles_per_packet = 1000cycles\n",
				      scen);

	assert_true(r->paths[PATH_ACCEL].host_cycles_per_packet < 1e-9);
	return r->paths[PATH_NORMAL].host_cycles_per_packet;
}

static void test_exit_cycles_are_host_cycles_per_notification(void **state)
{
	/* one packet per batch at this rate: one notification each, an
	 * interrupt into the guest on receive, a kick on transmit */
	sim_assert_within(notification_cycles("rx"), 2500, 0.001, "switch + injection");
	sim_assert_within(notification_cycles("tx"), 1700, 0.001, "switch + kick");
}

/* ------------------------------------------------------------------ TCP */

/* One connection into the VM over a link of 50 us each way; every stage
 * but the switch and the guest's stack (100 ns each way) free. */
static const char tcp_model[] = "[wire]\npropagation = 50us\n"
				"[vswitch]\ncores = 1\ncycles_per_packet = %s\n"
				"[guest]\ncycles_per_packet = 100cycles\n"
				"tx_cycles_per_packet = 100cycles\n";

static struct run_result *tcp_run(const char *switch_cycles, const char *traffic)
{
	g_autofree char *m = g_strdup_printf(tcp_model, switch_cycles);
	g_autofree char *scen = g_strdup_printf("duration = 40ms\nwarmup = 10ms\n[traffic]\n"
						"pattern = tcp\nsize = 1000B\n%s",
						traffic);

	return run(m, scen);
}

static void test_tcp_window_over_round_trip(void **state)
{
	/* 10 segments of 1000 B in flight, a round trip of about 100 us:
	 * window / RTT, the RTT measured; into the VM and out of it, from
	 * and to an external host or a VM on another host of the model */
	for (int d = 0; d < 4; d++) {
		g_autofree char *t = g_strdup_printf("direction = %s\npeer = %s\nwindow = 10000B\n"
						     "congestion = fixed\n",
						     d & 1 ? "tx" : "rx", d & 2 ? "vm" : "external");
		g_autoptr(run_result) r = tcp_run("100cycles", t);

		for (int p = 0; p < PATH_COUNT; p++) {
			const struct path_result *x = &r->paths[p];

			sim_assert_within(x->delivered_bps, 10000 * 8 / x->latency_w.mean, 0.02,
					  "window / round trip");
			/* the link both ways, and a little queueing in the switch
			 * (and the peer's, and its application's 0.5 us) */
			assert_true(x->latency_w.mean > 100e-6 && x->latency_w.mean < 103e-6);
		}
		/* a VM peer's stack sends the ACKs */
		if (d & 2)
			assert_non_null(sim_stage_or_null(r, PATH_NORMAL, "peer.guest"));
	}
}

static void test_tcp_bound_by_the_slowest_stage(void **state)
{
	/* a window of 50 segments could carry 4 Gbit/s over a 100 us round
	 * trip; one switch core at 4 us a packet, a segment and its ACK,
	 * carries 125k segments a second.  (The window goes round the loop
	 * in bunches, every 50 x 8 us: the run holds many of them.) */
	g_autoptr(run_result) r = tcp_run("4000cycles", "window = 50000B\ncongestion = fixed\n");

	sim_assert_within(r->paths[PATH_NORMAL].delivered_pps, 1e6 / 8, 0.01, "the switch's rate");
	/* the bits delivered are the segments', not the ACKs' */
	sim_assert_within(r->paths[PATH_NORMAL].delivered_bps, 1e9, 0.01, "its bits");
}

/* A Reno connection's window, driven by hand through the source. */
static void test_tcp_a_loss_halves_the_window(void **state)
{
	struct traffic_spec t = { .name = "traffic", .pattern = PAT_TCP, .flows = 1,
				  .window_bytes = 100000, .congestion = TCP_RENO,
				  .init_window = 10 };
	g_autoptr(GError) err = NULL;
	struct pkt p[64];

	assert_true(dist_parse("1000B", UNIT_SIZE, NULL, &t.size, &err));
	assert_true(dist_parse("64B", UNIT_SIZE, NULL, &t.response_size, &err));
	assert_true(dist_parse("0s", UNIT_TIME, NULL, &t.think, &err));
	struct source *s = source_new(&t, 0, 1, 0, 1, &err);

	assert_non_null(s);
	/* the first window: 10 segments at once */
	for (int i = 0; i < 10; i++) {
		assert_true(source_peek(s) < 1e-6);
		source_next(s, &p[i]);
	}
	assert_true(isinf(source_peek(s)));
	/* slow start: each ACK lets two go; 10 ACKs make 20 */
	for (int i = 0; i < 10; i++)
		source_on_done(s, &p[i], 1e-3, true);
	assert_float_equal(source_tcp_window(s, 0), 20, 1e-9);
	for (int i = 0; i < 20; i++)
		source_next(s, &p[10 + i]);
	/* a loss halves it (segment 10), once for the whole window: a
	 * second loss of a segment sent before it (11) does not */
	source_on_done(s, &p[10], 2e-3, false);
	assert_float_equal(source_tcp_window(s, 0), 10, 1e-9);
	source_on_done(s, &p[11], 2e-3, false);
	assert_float_equal(source_tcp_window(s, 0), 10, 1e-9);
	/* congestion avoidance from here: 1 / cwnd per ACK */
	source_on_done(s, &p[12], 3e-3, true);
	assert_float_equal(source_tcp_window(s, 0), 10.1, 1e-9);
	source_free(s);
	dist_clear(&t.size);
	dist_clear(&t.response_size);
	dist_clear(&t.think);
}

/* ---------------------------------------------- allowance: token bucket */

/* A VM sending 1000-byte frames at twice its 1 Gbit/s allowance from a
 * full bucket of burst bytes: frames leave as the tokens allow, burst
 * bytes at once and then rate.  Frame n (from 1) leaves at
 * (n frame - burst) / rate, so a run of T has passed the n below
 * (burst + rate T) / frame. */
static uint64_t shaped_frames(const char *burst, const char *duration)
{
	g_autofree char *m = g_strdup_printf("[shaper]\nrate = 1Gbps\nburst = %s\nqueue = 100000\n",
					     burst);
	g_autofree char *scen = g_strdup_printf("duration = %s\nwarmup = 0s\n[traffic]\n"
						"direction = tx\npattern = constant\n"
						"rate = 250kpps\nsize = 1000B\n",
						duration);
	g_autoptr(run_result) r = run(m, scen);

	sim_check_conservation(r);
	return r->paths[PATH_NORMAL].delivered_packets;
}

static void test_allowance_is_a_token_bucket(void **state)
{
	/* 20 ms: 2.5 MB at 1 Gbit/s, plus the bucket; the last frame
	 * leaves at 20 ms, not before */
	assert_int_equal(shaped_frames("1000B", "20ms"), 2501 - 1);
	assert_int_equal(shaped_frames("64000B", "20ms"), 2564 - 1);
	/* the long run is the allowance whatever the burst */
	SKIP_IF_LIGHT();
	sim_assert_within(shaped_frames("64000B", "400ms") / 0.4 * 8000, 1e9, 0.002,
			  "long-run rate");
}

/* -------------------------------------------- segments above the MTU */

/* The link as the bottleneck for packets of size at 1 Gbit/s (offered
 * at 40 kpps, more than it carries); each crosses the switch once. */
static double wire_pps(const char *mtu, const char *size)
{
	g_autofree char *m = g_strdup_printf("[wire]\nrate = 1Gbps\nframing = 20B\nmtu = %s\n"
					     "header = 70B\n[app]\nservice = 0s\n",
					     mtu);
	g_autofree char *scen = g_strdup_printf("duration = 30ms\nwarmup = 5ms\n[traffic]\n"
						"pattern = constant\nrate = 40kpps\nsize = %s\n",
						size);
	g_autoptr(run_result) r = run(m, scen);
	const struct stage_result *sw = sim_stage(r, PATH_NORMAL, "vswitch");

	assert_int_equal(sw->packets, sim_stage(r, PATH_NORMAL, "wire.rx")->packets);
	return r->paths[PATH_NORMAL].delivered_pps;
}

static void test_segments_above_the_mtu_are_frames_on_the_wire(void **state)
{
	/* one 4000-byte frame: 4020 bytes with its framing */
	sim_assert_within(wire_pps("0B", "4000B"), 1e9 / 8 / 4020, 0.002, "no mtu: one jumbo frame");
	/* 1518-byte frames of 1448 bytes past the headers: 3 frames,
	 * 4000 + 2 x 70 bytes of repeated headers + 3 x 20 of framing */
	sim_assert_within(wire_pps("1518B", "4000B"), 1e9 / 8 / 4200, 0.002, "three frames");
	/* a 64 KiB TSO segment (what GRO builds on receive): 46 frames,
	 * 65536 + 45 x 70 + 46 x 20 bytes, one packet through the host */
	sim_assert_within(wire_pps("1518B", "64KiB"), 1e9 / 8 / 69606, 0.005, "a 64 KiB segment");
}

/* ------------------------------------------------------- PCIe, IOMMU */

/* The NIC's DMA as the bottleneck: frames of size bytes offered faster
 * than its link takes them.  Returns the bits of data it writes a
 * second. */
static double dma_gbps(unsigned size, double capacity_pps)
{
	/* the pcie-bench fit (docs/calibration.md): 58.9 Gbit/s of link,
	 * 42.6 bytes a DMA, at most 47.4 M DMAs a second */
	const char *m = "[nic]\npcie_rate = 58.9Gbps\npcie_overhead = 42.6B\n"
			"pcie_dma_rate = 47.4Mpps\n[app]\nservice = 0s\n";
	g_autofree char *scen = g_strdup_printf("duration = 4ms\nwarmup = 1ms\n[traffic]\n"
						"pattern = constant\nrate = %gpps\n"
						"size = %uB\n",
						1.2 * capacity_pps, size);
	g_autoptr(run_result) r = run(m, scen);

	return r->paths[PATH_NORMAL].delivered_bps / 1e9;
}

static void test_pcie_throughput_follows_transfer_size(void **state)
{
	SKIP_IF_LIGHT();
	/* pcie-bench, PCIe 3.0 x8 DMA writes (Neugebauer et al. 2018;
	 * pcie-bench/data, NFP6000 + Xeon E5-2630 v4, bw_dma_sz_sweep) */
	static const struct {
		unsigned size;
		double gbps;
	} bench[] = { { 64, 24.269 }, { 128, 42.355 }, { 256, 50.488 }, { 512, 54.382 },
		      { 1024, 54.382 } };

	for (size_t i = 0; i < G_N_ELEMENTS(bench); i++) {
		const double sz = bench[i].size;
		/* the closed form: the longer of the link's time and the
		 * DMA rate's */
		const double t = MAX((sz + 42.6) * 8 / 58.9e9, 1 / 47.4e6);
		const double got = dma_gbps(bench[i].size, 1 / t);

		sim_assert_within(got, sz * 8 / t / 1e9, 0.005, "closed form");
		sim_assert_within(got, bench[i].gbps, 0.05, "pcie-bench");
	}
}

/* The VF's IOMMU delay per received frame: rx buffers of 2 KiB in a
 * ring, pages of page, a 64-entry IOTLB (direct-mapped): 200 ns a
 * translation, 500 ns more a miss. */
static double iommu_us(unsigned ring, const char *page)
{
	g_autofree char *m = g_strdup_printf("[vf]\nring = %u\nbuffer = 2KiB\npage = %s\n"
					     "iotlb_entries = 64\niommu_latency = 200ns\n"
					     "iotlb_miss = 500ns\nflow_offload = none\n",
					     ring, page);
	g_autoptr(run_result) r = run(m, "duration = 20ms\nwarmup = 5ms\n[traffic]\n"
					 "pattern = constant\nrate = 200kpps\nsize = 64B\n");

	return r->paths[PATH_ACCEL].latency_w.mean * 1e6;
}

static void test_iotlb_misses_follow_the_working_set(void **state)
{
	/* 64 buffers: 32 pages, within the IOTLB: every translation hits */
	sim_assert_within(iommu_us(64, "4KiB"), 0.2, 0.001, "working set in the IOTLB");
	/* 1024 buffers: 512 pages stream through 64 entries: one miss per
	 * page, every second buffer */
	sim_assert_within(iommu_us(1024, "4KiB"), 0.2 + 0.5 / 2, 0.001, "beyond it, 4 KiB pages");
	/* 2 MiB pages: the whole ring is one page */
	sim_assert_within(iommu_us(1024, "2MiB"), 0.2, 0.001, "2 MiB pages");
}

/* -------------------------------------------------------- the other end */

static struct run_result *rr_run(const char *remote)
{
	/* the link's propagation keeps the closed loop's least time round
	 * positive (docs/engine.md) */
	g_autofree char *m = g_strdup_printf("[wire]\npropagation = 1us\n[guest]\ncycles_per_packet = 1000cycles\n"
					     "tx_cycles_per_packet = 1000cycles\n"
					     "[vswitch]\ncycles_per_packet = 1000cycles\n%s", remote);

	return run(m, "duration = 50ms\nwarmup = 5ms\n"
			   "[traffic]\npattern = reqresp\nconcurrency = 1\nsize = 64B\n"
			   "response_size = 64B\n");
}

static void test_round_trip_includes_the_remote_end(void **state)
{
	/* 2.4 GHz: sending 1 us, receiving 2 us, waking its thread 3 us,
	 * its NIC 0.5 us each way */
	g_autoptr(run_result) off = rr_run("");
	g_autoptr(run_result) on = rr_run("[remote]\ntx_cycles = 2400cycles\nrx_cycles = 4800cycles\n"
					  "freq = 2.4GHz\nwakeup_latency = 3us\n"
					  "nic_latency = 0.5us\n");

	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *a = &off->paths[p], *b = &on->paths[p];

		sim_assert_within(b->latency_w.mean - a->latency_w.mean, 7e-6, 0.001,
				  "round trip: + both ends of the client");
		/* one request in flight: requests/s = 1 / round trip */
		sim_assert_within(b->delivered_pps * b->latency_w.mean, 1, 0.01, "Little's law");
		/* the client's CPU is not the measured host's */
		sim_assert_within(b->host_cycles_per_packet, a->host_cycles_per_packet, 0.005,
				  "host cycles per request");
	}
	/* zero cost: no stages at all */
	assert_null(sim_stage_or_null(off, PATH_NORMAL, "remote.tx"));
	assert_non_null(sim_stage_or_null(on, PATH_NORMAL, "remote.rx"));
}

/* ------------------------------------- tails: steal, housekeeping, ksoftirqd */

/* Poisson arrivals into an otherwise free path at 100 kpps: the mean
 * latency is what the mechanism adds. */
static double lone_latency(const char *model_extra, enum path_id p, const char *duration)
{
	g_autofree char *m = g_strdup_printf("[app]\nservice = 0s\n%s", model_extra);
	g_autofree char *scen = g_strdup_printf("duration = %s\nwarmup = 10ms\n[traffic]\n"
						"pattern = poisson\nrate = 100kpps\nsize = 64B\n",
						duration);
	g_autoptr(run_result) r = run(m, scen);

	sim_check_conservation(r);
	return r->paths[p].latency_w.mean;
}

/* A vCPU off one slice s in every s / steal waits, for a packet that
 * comes at a time independent of the slices, E[s^2] / (2 period): the
 * share of arrivals that find it off (steal) times the mean rest of the
 * slice they find (E[s^2] / (2 E[s])).  Both paths cross the guest.
 * 2 s at 100 kpps, 8000 slices: the mean is within 1 % of the closed
 * form over seeds (a slice's arrivals wait together). */
static void test_steal_wait_follows_the_slice(void **state)
{
	const char *on = "[guest]\nsteal = 20%\nsteal_slice = 50us\n";

	assert_true(lone_latency("[guest]\nsteal_slice = 50us\n", PATH_NORMAL, "50ms") < 1e-12);
	assert_true(lone_latency(on, PATH_ACCEL, "50ms") > 1e-6);
	SKIP_IF_LIGHT();
	for (int p = 0; p < PATH_COUNT; p++) {
		/* constant slices: steal x s / 2 */
		sim_assert_within(lone_latency(on, p, "2s"), 0.2 * 50e-6 / 2, 0.025,
				  "steal x slice / 2");
		/* uniform(0, 100 us): E[s^2] = (100 us)^2 / 3 over a period of
		 * 50 us / 20 % */
		sim_assert_within(lone_latency("[guest]\nsteal = 20%\n"
					       "steal_slice = uniform(0us, 100us)\n",
					       p, "2s"),
				  100e-6 * 100e-6 / 3 / (2 * 250e-6), 0.025, "E[s^2] / (2 period)");
	}
}

/* Housekeeping takes each switching core for 20 us in every 100 us: a
 * packet finds it busy a fifth of the time and waits 10 us on average
 * then, D^2 / (2 P) = 2 us.  The accelerated path does not cross the
 * switch.  Both engine modes give the same figures. */
static void test_housekeeping_holds_the_switch_core(void **state)
{
	const char *on = "[vswitch]\nhousekeeping_period = 100us\nhousekeeping = 20us\n";

	assert_true(lone_latency("[vswitch]\nhousekeeping = 20us\n", PATH_NORMAL, "50ms") <
		    1e-12);
	const double w = lone_latency(on, PATH_NORMAL, "50ms");

	assert_true(w > 1e-7);
	assert_true(lone_latency(on, PATH_ACCEL, "50ms") < 1e-12);
	{
		g_autoptr(run_result) x = run(on, "duration = 50ms\nwarmup = 10ms\nmode = exact\n"
						  "[traffic]\npattern = poisson\nrate = 100kpps\n"
						  "size = 64B\n");
		g_autoptr(run_result) y = run(on, "duration = 50ms\nwarmup = 10ms\n"
						  "[traffic]\npattern = poisson\nrate = 100kpps\n"
						  "size = 64B\n");

		assert_float_equal(x->paths[PATH_NORMAL].latency_w.mean,
				   y->paths[PATH_NORMAL].latency_w.mean, 1e-12);
	}
	SKIP_IF_LIGHT();
	sim_assert_within(lone_latency(on, PATH_NORMAL, "2s"), 20e-6 * 20e-6 / (2 * 100e-6), 0.025,
			  "D^2 / (2 P)");
}

/* One core switching 1 us a packet, in bursts of 32, offered more than
 * it can take (1.2 Mpps).  After 320 packets without a break it waits
 * 80 us for ksoftirqd: 320 / (320 x 1 us + 80 us) = 0.8 Mpps.  The same
 * budget in the guest (its stack the bottleneck) holds both paths to
 * that rate. */
static double softirq_rate(const char *model_extra, enum path_id p)
{
	g_autofree char *m = g_strdup_printf("[nic]\nrx_ring = 4096\n[vnic]\nring = 4096\n"
					     "[vf]\nring = 4096\n[app]\nservice = 0s\n%s",
					     model_extra);
	g_autoptr(run_result) r = run(m, "duration = 25ms\nwarmup = 5ms\n"
					 "[traffic]\npattern = constant\nrate = 1.2Mpps\nsize = 64B\n");

	sim_check_conservation(r);
	return r->paths[p].delivered_pps;
}

#define SOFTIRQ_SWITCH                                                                     \
	"[vswitch]\ncores = 1\ncycles_per_packet = 1000cycles\nbatch = 32\n"                 \
	"ksoftirqd_latency = 80us\n"
#define SOFTIRQ_GUEST                                                                      \
	"[guest]\ncycles_per_packet = 1000cycles\nnapi_budget = 32\ngro = 0B\n"              \
	"ksoftirqd_latency = 80us\n"

static void test_softirq_budget_defers_to_ksoftirqd(void **state)
{
	const char *sw = SOFTIRQ_SWITCH;
	const char *sw_on = SOFTIRQ_SWITCH "softirq_budget = 320\n";

	sim_assert_within(softirq_rate(sw, PATH_NORMAL), 1e6, 0.001, "no budget: the core's rate");
	sim_assert_within(softirq_rate(sw_on, PATH_NORMAL), 320 / 400e-6, 0.001,
			  "host: budget / (budget s + delay)");
	/* at a tenth of the core's rate no run reaches the budget */
	assert_float_equal(lone_latency(sw_on, PATH_NORMAL, "50ms"),
			   lone_latency(sw, PATH_NORMAL, "50ms"), 1e-15);
	SKIP_IF_LIGHT();
	/* a budget that is not a whole number of bursts ends with the
	 * burst that uses it up, as net_rx_action()'s last poll */
	sim_assert_within(softirq_rate(SOFTIRQ_SWITCH "softirq_budget = 300\n", PATH_NORMAL),
			  320 / 400e-6, 0.001, "ten bursts of 32");
	for (int p = 0; p < PATH_COUNT; p++)
		sim_assert_within(softirq_rate(SOFTIRQ_GUEST "softirq_budget = 320\n", p),
				  320 / 400e-6, 0.001, "guest: budget / (budget s + delay)");
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-fidelity-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contention_follows_scalability_law),
		cmocka_unit_test(test_emc_miss_rate_follows_working_set),
		cmocka_unit_test(test_vnic_workers_take_the_copy_off_the_switch_core),
		cmocka_unit_test(test_more_flows_do_not_speed_up_one_worker),
		cmocka_unit_test(test_worker_wakeup_adds_to_idle_latency),
		cmocka_unit_test(test_guest_kick_wakes_the_worker),
		cmocka_unit_test(test_adaptive_moderation_shrinks_with_the_rate),
		cmocka_unit_test(test_polling_switch_needs_no_wakeup),
		cmocka_unit_test(test_halted_vcpu_costs_a_wakeup_beyond_halt_poll),
		cmocka_unit_test(test_exit_cycles_are_host_cycles_per_notification),
		cmocka_unit_test(test_tcp_window_over_round_trip),
		cmocka_unit_test(test_tcp_bound_by_the_slowest_stage),
		cmocka_unit_test(test_tcp_a_loss_halves_the_window),
		cmocka_unit_test(test_allowance_is_a_token_bucket),
		cmocka_unit_test(test_segments_above_the_mtu_are_frames_on_the_wire),
		cmocka_unit_test(test_pcie_throughput_follows_transfer_size),
		cmocka_unit_test(test_iotlb_misses_follow_the_working_set),
		cmocka_unit_test(test_round_trip_includes_the_remote_end),
		cmocka_unit_test(test_steal_wait_follows_the_slice),
		cmocka_unit_test(test_housekeeping_holds_the_switch_core),
		cmocka_unit_test(test_softirq_budget_defers_to_ksoftirqd),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
