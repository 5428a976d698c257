/* test_paths.c: what each path does, end to end, against hand-computed values.
 *
 * The tests run a deterministic model (det_model: constant costs, static
 * interrupt moderation, no GRO, no shaper) at rates low enough that no
 * packet ever waits for another, so a packet's latency is exactly the sum
 * of what its route costs, computed below from the model's own numbers
 * (struct det).  Then each path feature must show in the figures: the GFT
 * exception path for a flow's first packet, inbound SYNs on the synthetic
 * path, a VF removed and added back, the VM size's bandwidth cap,
 * another VM's traffic on the shared vSwitch, request/response round trips
 * and the closed loop's Little's law, VM-to-VM latency, and a run stopped
 * half-way.  Each simulation runs in a child process (one SimGrid engine
 * per process), as in test_sim.c.
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config/scenario.h"
#include "engine/engine.h"
#include "simrun.h"
#include "testutil.h"
#include "traffic/traffic.h"

static char *tmpdir;

/* Every cost constant, so that a route's time is a sum of known terms; no
 * two stages cost the same, so a packet on the wrong route shows. */
static const char det_model[] =
	"[host]\ncores = 16\nfreq = 1GHz\n"
	"[vm]\nsize = custom\nvcpus = 8\nbandwidth = 0bps\n"
	"[wire]\nrate = 10Gbps\npropagation = 1us\nframing = 20B\nqueue = 100000\n"
	"[nic]\nlatency = 1us\npcie_rate = 80Gbps\npcie_latency = 0.5us\nbuffer = 100000\n"
	"rx_ring = 100000\ntx_ring = 100000\nirq_coalesce = 3us\nirq_frames = 0\n"
	"irq_latency = 2us\n"
	"[shaper]\nrate = 0bps\n"
	"[vswitch]\ncores = 2\ncycles_per_packet = 1000cycles\nbatch_cycles = 0cycles\n"
	"flow_miss_cycles = 5000cycles\n"
	"[vnic]\ncopy_rate = 10GB/s\ncopy_cycles = 500cycles\nnotify_latency = 4us\n"
	"ring = 100000\n"
	"[vf]\nring = 100000\ntx_ring = 100000\niommu_latency = 0.2us\niotlb_miss = 0s\n"
	"flow_offload = gft\nflow_install = 0s\nirq_mode = static\nrx_usecs = 7us\n"
	"rx_frames = 0\nirq_latency = 1us\n"
	"[guest]\ncycles_per_packet = 2000cycles\ntx_cycles_per_packet = 2500cycles\n"
	"synthetic_cycles = 1500cycles\nvf_cycles = 600cycles\npoll_cycles = 0cycles\n"
	"napi_budget = 64\nqueues = 1\ngro = 0B\nwakeup_latency = 0.5us\n"
	"[app]\nservice = 1us\ncopy_rate = 10GB/s\nthreads = 1\nqueue = 100000\n";

/* det_model's numbers, in seconds, bytes and cycles. */
static const struct det {
	double f;			/* Hz */
	double wire_bps, framing, prop;
	double nic_lat, pcie_bps, nic_wake;	/* latency + pcie_latency; coalesce + irq */
	double vs, miss, copy_cycles, copy_Bps, notify;
	double iommu, vf_wake;			/* rx_usecs + irq_latency */
	double g_rx, g_tx, synth, vfc, wakeup;
	double app, app_Bps;
} D = {
	.f = 1e9,
	.wire_bps = 10e9, .framing = 20, .prop = 1e-6,
	.nic_lat = 1.5e-6, .pcie_bps = 80e9, .nic_wake = 5e-6,
	.vs = 1000, .miss = 5000, .copy_cycles = 500, .copy_Bps = 10e9, .notify = 4e-6,
	.iommu = 0.2e-6, .vf_wake = 8e-6,
	.g_rx = 2000, .g_tx = 2500, .synth = 1500, .vfc = 600, .wakeup = 0.5e-6,
	.app = 1e-6, .app_Bps = 10e9,
};

/* Time on each kind of stage for a frame of sz bytes. */
static double wire_s(double sz) { return (sz + D.framing) * 8 / D.wire_bps; }
static double nic_s(double sz) { return sz * 8 / D.pcie_bps + D.nic_lat; }
/* vSwitch + vNIC copy on a host core (hit), in cycles */
static double host_cycles(double sz) { return D.vs + D.copy_cycles + sz * D.f / D.copy_Bps; }
static double app_s(double sz) { return D.app + sz / D.app_Bps; }

/* Receive latency: from the frame's arrival at the NIC to the app's recv()
 * taking it (docs/metrics.md). */
static double rx_normal(double sz, bool first)
{
	return nic_s(sz) + D.nic_wake + (host_cycles(sz) + (first ? D.miss : 0)) / D.f + D.notify +
	       (D.g_rx + D.synth) / D.f + D.wakeup;
}

static double rx_accel(double sz)
{
	return nic_s(sz) + D.iommu + D.vf_wake + (D.g_rx + D.vfc) / D.f + D.wakeup;
}

/* The whole receive route of a request: the link before the NIC, and the
 * app's work after it takes the request. */
static double rx_route(double rx, double sz)
{
	return wire_s(sz) + D.prop + rx + app_s(sz);
}

/* Transmit: from the app's send to the last bit on the wire.  The normal
 * path's guest sends through netvsc (synthetic), the accelerated one's
 * through the VF driver; the vSwitch is woken by the vNIC's signal. */
static double tx_normal(double sz)
{
	return (D.g_tx + D.synth) / D.f + D.notify + host_cycles(sz) / D.f + nic_s(sz) +
	       wire_s(sz);
}

static double tx_accel(double sz)
{
	return (D.g_tx + D.vfc) / D.f + D.iommu + nic_s(sz) + wire_s(sz);
}

/* ------------------------------------------------------------- running */

/* Run det_model with model_extra's keys over it, and the scenario, with
 * options o (or none).  Returns the result (freed by the caller). */
static struct run_result *run_opts(const struct engine_opts *o, const char *model_extra,
				   const char *scenario_fmt, ...) G_GNUC_PRINTF(3, 4);

static struct run_result *run_opts(const struct engine_opts *o, const char *model_extra,
				   const char *scenario_fmt, ...)
{
	va_list ap;

	va_start(ap, scenario_fmt);
	g_autofree char *scen = g_strdup_vprintf(scenario_fmt, ap);
	va_end(ap);
	return simrun(tmpdir, det_model, model_extra, o, scen);
}

#define run(...) run_opts(NULL, __VA_ARGS__)

/* Packets through the stage (0 if the path has no such stage). */
static uint64_t stage_packets(const struct run_result *r, enum path_id p, const char *name)
{
	const struct stage_result *s = sim_stage_or_null(r, p, name);

	return s ? s->packets : 0;
}

/* Host cycles the path spent: every stage on host cores. */
static double path_host_cycles(const struct run_result *r, enum path_id p)
{
	const GArray *st = r->paths[p].stages;
	double c = 0;

	for (guint i = 0; i < st->len; i++) {
		const struct stage_result *s = &g_array_index(st, struct stage_result, i);

		if (g_str_has_prefix(s->where, "host cores"))
			c += s->cycles;
	}
	return c;
}

/* Latencies to a nanosecond (the histogram rounds to ns). */
static void assert_us(double got_s, double want_s, const char *what)
{
	print_message("  %-50s got %.4f us, want %.4f us\n", what, got_s * 1e6, want_s * 1e6);
	if (!(fabs(got_s - want_s) <= 1e-9))
		fail_msg("%s: %.4f us, want %.4f us", what, got_s * 1e6, want_s * 1e6);
}

static double lat_min(const struct run_result *r, enum path_id p)
{
	return stats_hist_min(r->paths[p].latency) * 1e-9;
}

static double lat_max(const struct run_result *r, enum path_id p)
{
	return stats_hist_max(r->paths[p].latency) * 1e-9;
}

/* First packets a scenario's source 0 sends in [from, to): the engine's
 * own generator, replayed here with the scenario's spec and seed. */
static unsigned count_first(const char *scen_text, double from, double to)
{
	g_autofree char *scen_path = g_build_filename(tmpdir, "count.ini", NULL);
	g_autofree char *model_path = g_build_filename(tmpdir, "model.ini", NULL);
	g_autofree char *full = g_strdup_printf("[scenario]\nmodel = model.ini\n%s", scen_text);
	g_autoptr(GError) err = NULL;

	assert_true(g_file_set_contents(model_path, det_model, -1, NULL));
	assert_true(g_file_set_contents(scen_path, full, -1, NULL));
	g_autoptr(scenario) s = scenario_load(scen_path, NULL, NULL, &err);
	if (!s)
		fail_msg("scenario: %s", err->message);
	const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, 0);
	struct source *src = source_new(t, 0, s->seed, 0, s->duration_s, &err);
	unsigned n = 0;

	assert_non_null(src);
	while (source_peek(src) < to) {
		struct pkt p;

		source_next(src, &p);
		n += p.born >= from && (p.flags & PKT_FIRST);
	}
	source_free(src);
	g_unlink(scen_path);
	return n;
}

/* ------------------------------------------------- GFT and the SYN path */

/* 20 kpps (a packet every 50 us, twice the slowest route) for 0.1 s: 2000
 * packets in flows of 10, four open at a time. */
#define GFT_SCEN                                                                      \
	"duration = 0.1s\nseed = 3\n[traffic]\npattern = constant\nrate = 20kpps\n" \
	"size = 1000B\nflows = 4\nflow_size = 10\n"

/* With flow_offload = gft the NIC has no entry for a new flow, so its first
 * packet goes through the host's vSwitch, whose flow-table miss it pays as
 * the normal path's first packet does: the same latency to the
 * nanosecond.  Later packets take the VF and are faster.  The accelerated
 * path's host cycles are those first packets' and nothing else. */
static void test_gft_sends_first_packet_of_each_flow_through_vswitch(void **state)
{
	const double sz = 1000;
	unsigned first = count_first(GFT_SCEN, 0, 0.1);
	g_autoptr(run_result) r = run("", GFT_SCEN);
	const struct path_result *n = &r->paths[PATH_NORMAL], *a = &r->paths[PATH_ACCEL];
	const double N = 2000;

	print_message("  %u first packets in %.0f\n", first, N);
	assert_true(first >= N / 10 && first <= N / 10 + 4);
	assert_int_equal(n->delivered_packets, 2000);
	assert_int_equal(a->delivered_packets, 2000);

	/* normal: every packet through the vSwitch, first ones miss */
	assert_us(lat_min(r, PATH_NORMAL), rx_normal(sz, false), "normal: later packets");
	assert_us(lat_max(r, PATH_NORMAL), rx_normal(sz, true), "normal: first packets");
	assert_us(n->latency_w.mean,
		  (first * rx_normal(sz, true) + (N - first) * rx_normal(sz, false)) / N,
		  "normal: mean");
	/* accelerated: first packets as on the normal path, the rest faster */
	assert_us(lat_max(r, PATH_ACCEL), rx_normal(sz, true), "accelerated: first packets");
	assert_us(lat_min(r, PATH_ACCEL), rx_accel(sz), "accelerated: later packets (VF)");
	assert_true(rx_accel(sz) < rx_normal(sz, false));
	assert_us(a->latency_w.mean, (first * rx_normal(sz, true) + (N - first) * rx_accel(sz)) / N,
		  "accelerated: mean");
	/* host cycles: the first packets' only */
	assert_int_equal(stage_packets(r, PATH_ACCEL, "vswitch"), first);
	sim_assert_within(path_host_cycles(r, PATH_ACCEL), first * (host_cycles(sz) + D.miss), 1e-9,
		      "accelerated: host cycles = first packets'");
	sim_assert_within(path_host_cycles(r, PATH_NORMAL), N * host_cycles(sz) + first * D.miss,
		      1e-9, "normal: host cycles");
	sim_assert_within(a->host_cpu_cores * D.f * r->duration_s, path_host_cycles(r, PATH_ACCEL),
		      1e-9, "accelerated: host CPU = cycles / freq / time");

	/* plain SR-IOV: nothing crosses the vSwitch */
	g_autoptr(run_result) s = run("[vf]\nflow_offload = none\n", GFT_SCEN);
	assert_int_equal(stage_packets(s, PATH_ACCEL, "vswitch"), 0);
	assert_true(path_host_cycles(s, PATH_ACCEL) == 0);
	assert_true(s->paths[PATH_ACCEL].host_cpu_cores == 0);
	assert_us(lat_max(s, PATH_ACCEL), rx_accel(sz), "flow_offload none: every packet");
	assert_us(lat_min(s, PATH_ACCEL), rx_accel(sz), "flow_offload none: every packet");
}

/* An inbound TCP SYN takes the synthetic path whatever the NIC's table
 * says: with flow_offload = none only the SYNs (the flows' first packets)
 * cross the vSwitch, at the normal path's first-packet latency; without
 * syn, none does. */
static void test_inbound_syn_takes_synthetic_path(void **state)
{
	const double sz = 1000;
	unsigned first = count_first(GFT_SCEN, 0, 0.1);
	g_autoptr(run_result) r = run("[vf]\nflow_offload = none\n", GFT_SCEN "syn = true\n");

	assert_int_equal(stage_packets(r, PATH_ACCEL, "vswitch"), first);
	sim_assert_within(path_host_cycles(r, PATH_ACCEL), first * (host_cycles(sz) + D.miss), 1e-9,
		      "accelerated: host cycles = the SYNs'");
	assert_us(lat_max(r, PATH_ACCEL), rx_normal(sz, true), "accelerated: SYN latency");
	assert_us(lat_min(r, PATH_ACCEL), rx_accel(sz), "accelerated: other packets");
	/* the normal path is the same with or without SYNs */
	assert_us(r->paths[PATH_NORMAL].latency_w.mean,
		  (first * rx_normal(sz, true) + (2000 - first) * rx_normal(sz, false)) / 2000,
		  "normal: mean");

	/* outbound SYNs leave by the VF: they are not inbound */
	g_autoptr(run_result) t = run("[vf]\nflow_offload = none\n",
				      GFT_SCEN "syn = true\ndirection = tx\n");
	assert_int_equal(stage_packets(t, PATH_ACCEL, "vswitch"), 0);
}

/* ------------------------------------------------ VF removal and return */

/* The VF is removed at 40 ms and added back at 70 ms, under a packet every
 * 50 us.  Over the whole run, the packets that reach the VF in between
 * (born 40 ms to 70 ms: 600 of 2000) take the synthetic path, at the
 * normal path's latency and host cycles, as does the flow's very first
 * packet (GFT); the rest take the VF.  Then per window: a run's figures
 * cover [warmup, duration), so runs of the same traffic and events measure
 * before, during and after the removal.  During it the accelerated path is
 * the normal path to the nanosecond and the cycle; before and after, the
 * VF's, with no host CPU. */
#define VF_TRAFFIC \
	"seed = 5\n[traffic]\npattern = constant\nrate = 20kpps\nsize = 1000B\nflows = 1\n"
#define VF_REMOVE "[event removal]\nat = 40ms\naction = vf_remove\n"
#define VF_ADD "[event return]\nat = 70ms\naction = vf_add\n"

static void test_vf_removal_falls_back_to_normal_path_until_added(void **state)
{
	const double sz = 1000, N = 2000, soft = 600;
	g_autoptr(run_result) whole = run("", "duration = 100ms\n" VF_TRAFFIC VF_REMOVE VF_ADD);
	const struct path_result *w = &whole->paths[PATH_ACCEL];

	assert_int_equal(w->delivered_packets, N);
	assert_int_equal(stage_packets(whole, PATH_ACCEL, "vswitch"), soft + 1);
	sim_assert_within(path_host_cycles(whole, PATH_ACCEL), (soft + 1) * host_cycles(sz) + D.miss,
		      1e-9, "whole run: accelerated host cycles");
	assert_us(w->latency_w.mean,
		  (rx_normal(sz, true) + soft * rx_normal(sz, false) + (N - 1 - soft) * rx_accel(sz)) /
			  N,
		  "whole run: accelerated mean latency");

	g_autoptr(run_result) before = run("", "warmup = 10ms\nduration = 40ms\n" VF_TRAFFIC VF_REMOVE);
	g_autoptr(run_result) during =
		run("", "warmup = 45ms\nduration = 70ms\n" VF_TRAFFIC VF_REMOVE VF_ADD);
	g_autoptr(run_result) after =
		run("", "warmup = 75ms\nduration = 100ms\n" VF_TRAFFIC VF_REMOVE VF_ADD);

	/* before: the VF's latency, no host CPU */
	assert_us(lat_max(before, PATH_ACCEL), rx_accel(sz), "before removal: accelerated max");
	assert_us(lat_min(before, PATH_ACCEL), rx_accel(sz), "before removal: accelerated min");
	assert_true(before->paths[PATH_ACCEL].host_cpu_cores == 0);

	/* during: the normal path's, packet for packet */
	const struct path_result *n = &during->paths[PATH_NORMAL], *a = &during->paths[PATH_ACCEL];
	assert_int_equal(a->delivered_packets, n->delivered_packets);
	assert_us(lat_min(during, PATH_ACCEL), rx_normal(sz, false), "removed: accelerated min");
	assert_us(lat_max(during, PATH_ACCEL), rx_normal(sz, false), "removed: accelerated max");
	assert_us(a->latency_w.mean, n->latency_w.mean, "removed: accelerated = normal mean");
	sim_assert_within(a->host_cpu_cores, n->host_cpu_cores, 1e-9, "removed: host CPU equal");
	sim_assert_within(a->host_cycles_per_packet, host_cycles(sz), 1e-9,
		      "removed: host cycles per packet");
	sim_assert_within(a->guest_cpu_vcpus, n->guest_cpu_vcpus, 1e-9, "removed: guest CPU equal");

	/* after: the VF again */
	assert_us(lat_max(after, PATH_ACCEL), rx_accel(sz), "after return: accelerated max");
	assert_us(lat_min(after, PATH_ACCEL), rx_accel(sz), "after return: accelerated min");
	assert_true(after->paths[PATH_ACCEL].host_cpu_cores == 0);
	assert_true(after->paths[PATH_NORMAL].host_cpu_cores > 0);
}

/* --------------------------------------------------------------- shaper */

/* A Standard_D3_v2 VM may send 3000 Mbit/s; what it receives is not
 * metered (Azure meters the allowance on egress only).  Offered 4.8 Gbit/s
 * (400 kpps of 1500-byte frames) each way, each path receives all 4.8 and
 * sends 3 Gbit/s within 1 %, the rest dropped at the transmit meter; in
 * VM-to-VM traffic the sender's meter holds it.  The host is made ten
 * times faster so that nothing but the meter binds. */
static void test_shaper_meters_egress_only(void **state)
{
	const char *m = "[host]\nfreq = 10GHz\n[vm]\nsize = Standard_D3_v2\nbandwidth = 0bps\n";
#define SHAPER_SCEN "duration = 0.1s\nwarmup = 0.01s\nseed = 7\n" \
	"[traffic]\npattern = poisson\nrate = 400kpps\nsize = 1500B\nflows = 8\n"
	g_autoptr(run_result) rx = run(m, SHAPER_SCEN);
	g_autoptr(run_result) both = run(m, SHAPER_SCEN "[traffic out]\npattern = poisson\n"
						    "rate = 400kpps\nsize = 1500B\nflows = 8\n"
						    "direction = tx\n");
	g_autoptr(run_result) vm = run(m, SHAPER_SCEN "peer = vm\n");
#undef SHAPER_SCEN
	for (int p = 0; p < PATH_COUNT; p++) {
		sim_assert_within(rx->paths[p].offered_bps, 4.8e9, 0.02, "offered (rx)");
		sim_assert_within(rx->paths[p].delivered_bps, rx->paths[p].offered_bps, 0.001,
			      p == PATH_NORMAL ? "normal: delivered rx" : "accelerated: delivered rx");
		for (guint i = 0; i < rx->paths[p].stages->len; i++)
			if (strstr(g_array_index(rx->paths[p].stages, struct stage_result, i).name,
				   "shaper"))
				fail_msg("receive-only traffic crosses a meter");
		sim_assert_within(both->paths[p].delivered_bps, both->paths[p].offered_bps / 2 + 3e9,
			      0.01,
			      p == PATH_NORMAL ? "normal: delivered rx + tx"
					       : "accelerated: delivered rx + tx");
		assert_true(sim_stage(both, p, "shaper.tx")->drops > 0);
		sim_check_conservation(both);
		/* VM to VM: the sending peer's meter holds the flow to 3 Gbit/s */
		sim_assert_within(vm->paths[p].delivered_bps, 3e9, 0.01,
			      p == PATH_NORMAL ? "normal: VM to VM" : "accelerated: VM to VM");
		assert_true(sim_stage(vm, p, "peer.shaper.tx")->drops > 0);
		sim_check_conservation(vm);
	}
}

/* ------------------------------------------------------------ neighbour */

/* Another VM's 300 kpps through the host's one vSwitch core (vm =
 * neighbour) adds its own load to that core: utilisation rises by
 * 300 kpps x (host cycles per packet) / freq, within 2 % (the neighbour's
 * count is exact: constant traffic), and our packets wait behind its.  The
 * accelerated path does not cross the vSwitch: its latency and guest
 * figures do not move at all.  The wire and NIC are made fast so that the
 * vSwitch is the only stage the two VMs share, and the host's interrupt
 * immediate: a vSwitch kept busy polls and skips the interrupt delay an
 * idle one waits for, which would hide the queueing. */
static void test_neighbour_loads_vswitch_not_accelerated_guest(void **state)
{
	const double sz = 1000, lambda_n = 300e3;
	const char *m = "[vswitch]\ncores = 1\n[wire]\nrate = 10000Gbps\n"
			"[nic]\npcie_rate = 10000Gbps\nirq_coalesce = 0s\nirq_latency = 0s\n";
#define NB_SCEN "duration = 0.2s\nwarmup = 0.02s\nseed = 11\n" \
	"[traffic]\npattern = poisson\nrate = 100kpps\nsize = 1000B\nflows = 1\n"
	g_autoptr(run_result) alone = run(m, NB_SCEN);
	g_autoptr(run_result) shared = run(m, NB_SCEN "[traffic other]\npattern = constant\n"
						      "rate = 300kpps\nsize = 1000B\nflows = 1\n"
						      "vm = neighbour\n");
#undef NB_SCEN
	double u0 = sim_stage(alone, PATH_NORMAL, "vswitch")->utilisation;
	double u1 = sim_stage(shared, PATH_NORMAL, "vswitch")->utilisation;

	sim_assert_within(u1 - u0, lambda_n * host_cycles(sz) / D.f, 0.02,
		      "normal: vSwitch utilisation added by the neighbour");
	print_message("  normal: mean latency %.3f us alone, %.3f us shared\n",
		      alone->paths[PATH_NORMAL].latency_w.mean * 1e6,
		      shared->paths[PATH_NORMAL].latency_w.mean * 1e6);
	/* a Poisson packet finds the core busy with the neighbour's (constant)
	 * packets a share rho_n of the time and waits out the residual S/2;
	 * waits behind our own packets that waited change that by a term of
	 * order rho_self x rho_n, well inside 10 % */
	double S = host_cycles(sz) / D.f, rho_n = lambda_n * S;
	sim_assert_within(shared->paths[PATH_NORMAL].latency_w.mean -
			      alone->paths[PATH_NORMAL].latency_w.mean,
		      rho_n * S / 2, 0.1, "normal: latency added by the neighbour");
	/* the neighbour's packets are not ours */
	assert_int_equal(shared->paths[PATH_NORMAL].offered_packets,
			 alone->paths[PATH_NORMAL].offered_packets);

	const struct path_result *a0 = &alone->paths[PATH_ACCEL], *a1 = &shared->paths[PATH_ACCEL];
	assert_int_equal(a1->delivered_packets, a0->delivered_packets);
	/* the neighbour's frames still cross the wire and NIC, for 0.8 ns
	 * each at these rates: that much may move, no more */
	sim_assert_within(a1->latency_w.mean, a0->latency_w.mean, 1e-4, "accelerated: mean latency");
	sim_assert_within(a1->guest_cpu_vcpus, a0->guest_cpu_vcpus, 1e-6, "accelerated: guest CPU");
	sim_assert_within(sim_stage(shared, PATH_ACCEL, "guest")->mean_s,
		      sim_stage(alone, PATH_ACCEL, "guest")->mean_s, 1e-4,
		      "accelerated: time in the guest stack");
	sim_assert_within(sim_stage(shared, PATH_ACCEL, "guest")->utilisation,
		      sim_stage(alone, PATH_ACCEL, "guest")->utilisation, 1e-6,
		      "accelerated: guest stack utilisation");
	assert_true(a1->host_cpu_cores == a0->host_cpu_cores);
}

/* ---------------------------------------------------- request/response */

/* A request of 200 B in, a response of 1000 B out.  At 20 requests/s no
 * request meets another, so each round trip is the request's receive
 * route, the response's transmit route and the way back over the wire,
 * to the nanosecond (the flow's first request, which pays the flow setup,
 * is in the warm-up). */
static void test_reqresp_round_trip_is_sum_of_stage_times(void **state)
{
	const double q = 200, s = 1000;
	const double want[PATH_COUNT] = {
		[PATH_NORMAL] = rx_route(rx_normal(q, false), q) + tx_normal(s) + D.prop,
		[PATH_ACCEL] = rx_route(rx_accel(q), q) + tx_accel(s) + D.prop,
	};
	g_autoptr(run_result) r = run("", "duration = 2s\nwarmup = 0.2s\nseed = 13\n"
					  "[traffic]\npattern = reqresp\nrate = 20pps\n"
					  "size = 200B\nresponse_size = 1000B\n");

	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];

		assert_true(pr->delivered_packets > 25);
		assert_us(pr->latency_w.mean, want[p],
			  p == PATH_NORMAL ? "normal: mean round trip" : "accelerated: mean round trip");
		assert_us(lat_max(r, p), want[p], "max round trip");
		assert_us(lat_min(r, p), want[p], "min round trip");
	}

	/* one connection, 1 ms between a response and the next request: the
	 * same round trip for every request */
	g_autoptr(run_result) c = run("", "duration = 0.1s\nwarmup = 0.01s\nseed = 13\n"
					  "[traffic]\npattern = reqresp\nconcurrency = 1\n"
					  "think = 1ms\nsize = 200B\nresponse_size = 1000B\n");
	for (int p = 0; p < PATH_COUNT; p++) {
		assert_us(c->paths[p].latency_w.mean, want[p], "closed loop, one connection");
		assert_us(lat_max(c, p), want[p], "closed loop, one connection: max");
	}
}

/* A closed loop of N connections without think time is a closed queueing
 * network: Little's law gives throughput X = N / R, R the mean round trip,
 * whatever the queueing inside.  Over 0.2 s (tens of thousands of round
 * trips) the edges of the measured window move X and R by well under
 * 0.1 %; 2 % leaves room for nothing else. */
static void test_closed_loop_throughput_is_concurrency_over_rtt(void **state)
{
	const unsigned ns[] = { 1, 4, 16 };

	for (size_t i = 0; i < G_N_ELEMENTS(ns); i++) {
		g_autoptr(run_result) r = run("", "duration = 0.2s\nwarmup = 0.02s\nseed = 17\n"
						  "[traffic]\npattern = reqresp\nconcurrency = %u\n"
						  "think = 0s\nsize = 200B\nresponse_size = 1000B\n",
					      ns[i]);

		for (int p = 0; p < PATH_COUNT; p++) {
			const struct path_result *pr = &r->paths[p];
			char what[80];

			snprintf(what, sizeof(what), "%s, N = %u: X = N / R", path_name(p), ns[i]);
			sim_assert_within(pr->delivered_pps, ns[i] / pr->latency_w.mean, 0.02, what);
			assert_int_equal(pr->dropped_packets, 0);
		}
	}
}

/* ------------------------------------------------------------ VM to VM */

/* VM to VM (peer = vm): the sender's transmit path, the wire's propagation,
 * then the receiver's receive path after the wire.  Measured three ways:
 * transmit to an external host (app to the last bit on the wire), receive
 * from one (arrival at the NIC to the app's recv), and VM to VM; the last
 * is the first, the propagation, and the second; and each is its sum of
 * stage times. */
static void test_vm_to_vm_is_sender_tx_plus_wire_plus_receiver_rx(void **state)
{
	const double sz = 1000;
#define VM_SCEN "duration = 0.1s\nwarmup = 0.01s\nseed = 19\n" \
	"[traffic]\npattern = constant\nrate = 20kpps\nsize = 1000B\nflows = 1\n"
	g_autoptr(run_result) tx = run("", VM_SCEN "direction = tx\n");
	g_autoptr(run_result) rx = run("", VM_SCEN "direction = rx\n");
	g_autoptr(run_result) vm = run("", VM_SCEN "direction = tx\npeer = vm\n");
#undef VM_SCEN
	const double want_tx[] = { tx_normal(sz), tx_accel(sz) };
	const double want_rx[] = { rx_normal(sz, false), rx_accel(sz) };

	for (int p = 0; p < PATH_COUNT; p++) {
		double ltx = tx->paths[p].latency_w.mean, lrx = rx->paths[p].latency_w.mean;
		double lvm = vm->paths[p].latency_w.mean;

		print_message("  %s:\n", path_name(p));
		assert_us(ltx, want_tx[p], "transmit to an external host");
		assert_us(lrx, want_rx[p], "receive from an external host");
		assert_us(lvm, ltx + D.prop + lrx, "VM to VM = tx + propagation + rx");
		assert_us(lvm, want_tx[p] + D.prop + want_rx[p], "VM to VM, from the model");
		assert_us(lat_max(vm, p), lat_min(vm, p), "VM to VM: every packet alike");
	}
}

/* --------------------------------------------------------- stopped run */

struct stopper {
	volatile sig_atomic_t *flag;
	unsigned delay_ms;
};

static void *stop_later(void *arg)
{
	struct stopper *s = arg;

	g_usleep(s->delay_ms * 1000);
	*s->flag = 1;
	return NULL;
}

/* Stop a run of 10 s (several seconds of work) after 0.5 s of wall time,
 * through a flag in memory shared with the simulating child, as Ctrl-C
 * does: the result is marked partial, covers the time simulated so far
 * (offered rate: Poisson, within 5 standard errors of the count), and every
 * packet offered is delivered, dropped or still inside (the app, 1.006 us
 * a packet at 1 Mpps, is just overloaded: thousands are).  Stopped in the
 * warm-up, nothing is measured and the measured time is 0, not negative. */
static void test_stop_gives_partial_result_that_conserves_packets(void **state)
{
	volatile sig_atomic_t *flag = mmap(NULL, sizeof(*flag), PROT_READ | PROT_WRITE,
					   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const char *m = "[host]\nfreq = 10GHz\n";

	assert_true(flag != MAP_FAILED);
	for (int warm = 0; warm < 2; warm++) {
		struct engine_opts o = { .stop = flag, .quiet_simgrid = true };
		struct stopper st = { flag, 500 };
		pthread_t th;

		*flag = 0;
		assert_int_equal(pthread_create(&th, NULL, stop_later, &st), 0);
		g_autoptr(run_result) r = run_opts(&o, m,
						   "duration = 10s\nwarmup = %s\nseed = 23\n"
						   "[traffic]\npattern = poisson\nrate = 1Mpps\n"
						   "flows = 64\n",
						   warm ? "9s" : "0s");
		pthread_join(th, NULL);
		print_message("  stopped after %.4f s measured (warm-up %s)\n", r->duration_s,
			      warm ? "9 s" : "none");
		assert_true(r->partial);
		sim_check_conservation(r);
		if (warm) {
			assert_true(r->duration_s == 0);
			for (int p = 0; p < PATH_COUNT; p++)
				assert_int_equal(r->paths[p].offered_packets, 0);
		} else {
			assert_true(r->duration_s > 0 && r->duration_s < 9.99);
			for (int p = 0; p < PATH_COUNT; p++) {
				assert_true(r->paths[p].delivered_packets > 0);
				sim_assert_within(r->paths[p].offered_pps, 1e6,
					      5 / sqrt(r->paths[p].offered_packets),
					      "offered pps so far");
			}
		}
	}
	munmap((void *)flag, sizeof(*flag));
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-paths-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gft_sends_first_packet_of_each_flow_through_vswitch),
		cmocka_unit_test(test_inbound_syn_takes_synthetic_path),
		cmocka_unit_test(test_vf_removal_falls_back_to_normal_path_until_added),
		cmocka_unit_test(test_shaper_meters_egress_only),
		cmocka_unit_test(test_neighbour_loads_vswitch_not_accelerated_guest),
		cmocka_unit_test(test_reqresp_round_trip_is_sum_of_stage_times),
		cmocka_unit_test(test_closed_loop_throughput_is_concurrency_over_rtt),
		cmocka_unit_test(test_vm_to_vm_is_sender_tx_plus_wire_plus_receiver_rx),
		cmocka_unit_test(test_stop_gives_partial_result_that_conserves_packets),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
