/* vswitch.c: the host's virtual switch (Hyper-V's VFP, Open vSwitch).
 *
 * It runs on dedicated host cores and, per packet, matches the flow in its
 * unified flow table and applies the cached actions (cycles, drawn from a
 * distribution: policy, encapsulation and metering vary per packet).  The
 * first packet of a flow, or one whose entry timed out, misses and runs the
 * full rule evaluation (flow_miss_cycles) that installs the entry, as VFP's
 * UFT does.  It takes packets from its input in bursts (batch), paying
 * batch_cycles once per burst (the poll).  With several cores, flows are
 * spread over per-core queues (RSS/VMQ), or all cores share one queue.
 *
 * Two things make a packet dearer as the switch gets busier, both off by
 * default:
 *   - contention: cores that switch at once fight over shared cache lines
 *     (flow statistics, locks, the other hyperthread of a core).  Each core's
 *     cycles per packet grow with the number n of busy cores as in Gunther's
 *     universal scalability law with its coherence term left out,
 *     cost(n) = cost(1) x (1 + contention x (n - 1)).  n is the mean number
 *     of the switch's cores busy in the epoch (1 ms) before last: a busy
 *     count from the recent past, known whatever order the cores' batches
 *     are served in;
 *   - an exact-match cache (OVS's EMC, emc_entries) in front of the flow
 *     table (OVS's megaflow table, VFP's UFT): a packet whose flow is not
 *     in it pays emc_miss_cycles (the masked lookup of the table behind);
 *     a flow the table misses too pays flow_miss_cycles on top (an upcall,
 *     or VFP's rule evaluation).  Both tables are direct-mapped on the flow
 *     number, so more flows than entries evict each other.
 * The kernel datapath handles one packet at a time (batch_cycles 0: no
 * per-burst amortisation); a poll-mode switch (OVS-DPDK) takes bursts.
 * With poll set, the cores spin on their input rings (DPDK's poll-mode
 * drivers, and vhost-user rings with the guest's notifications turned
 * off), so nothing handed to the switch waits for an interrupt or a
 * notification.  Their spinning is not counted as busy time: host CPU
 * figures show the cycles packets cost, not the whole cores a PMD holds.
 *
 * Two things take a switching core from its packets now and then, both off
 * by default (model/preempt.h): host housekeeping (timer ticks, RCU
 * callbacks, kworkers: housekeeping_period, housekeeping), and, for a
 * switch that runs in the kernel's softirq (OVS's kernel datapath), a
 * softirq budget after which the rest of a run waits for ksoftirqd. */
#include <stddef.h>

#include "model/component.h"
#include "model/flowcache.h"
#include "model/preempt.h"
#include "model/vswitch.h"

static const char *const dispatch_choices[] = { "rss", "shared", NULL };

static const struct key_spec vswitch_keys[] = {
	KS_UINT(struct vswitch_params, cores, "cores", "2", 1, 1024,
		"host cores dedicated to the vSwitch"),
	KS_DIST(struct vswitch_params, cycles, "cycles_per_packet", UNIT_CYCLES, "2200cycles", 0,
		"cycles per packet on a flow-table hit (may be a distribution)"),
	KS_QTY(struct vswitch_params, batch_cycles, "batch_cycles", UNIT_CYCLES, "0cycles", 0, 0,
	       "cycles per burst: poll and bookkeeping, shared by the burst's packets"),
	KS_QTY(struct vswitch_params, flow_miss_cycles, "flow_miss_cycles", UNIT_CYCLES,
	       "25000cycles", 0, 0, "extra cycles for a flow-table miss: full policy evaluation"),
	KS_UINT(struct vswitch_params, flow_table, "flow_table", "65536", 1, 1u << 26,
		"entries in the flow table"),
	KS_QTY(struct vswitch_params, flow_timeout_s, "flow_timeout", UNIT_TIME, "30s", 0, 0,
	       "an entry idle this long is evicted"),
	KS_UINT(struct vswitch_params, batch, "batch", "32", 1, BATCH_MAX,
		"most packets taken from the input per burst"),
	KS_ENUM(struct vswitch_params, dispatch, "dispatch", dispatch_choices, "rss",
		"rss: flows hashed to per-core queues; shared: one queue for all cores"),
	KS_QTY(struct vswitch_params, contention, "contention", UNIT_PERCENT, "0%", 0, 10,
	       "extra cycles per packet for each further busy core (cache-line and lock "
	       "contention; 0%: none)"),
	KS_UINT(struct vswitch_params, emc_entries, "emc_entries", "0", 0, 1u << 24,
		"entries of an exact-match cache in front of the flow table (OVS EMC; 0: none)"),
	KS_QTY(struct vswitch_params, emc_miss_cycles, "emc_miss_cycles", UNIT_CYCLES, "0cycles",
	       0, 0, "extra cycles when the exact-match cache misses and the flow table hits"),
	KS_BOOL(struct vswitch_params, poll, "poll", "false",
		"poll-mode cores (OVS-DPDK): they spin on the NIC and vNIC rings, so no "
		"interrupt or notification wakes them"),
	KS_QTY(struct vswitch_params, housekeeping_period, "housekeeping_period", UNIT_TIME, "0s",
	       0, 0,
	       "each core is taken by host housekeeping (timer tick, RCU, kworkers) once per "
	       "period, at a phase of its own; 0s: never"),
	KS_DIST(struct vswitch_params, housekeeping, "housekeeping", UNIT_TIME, "0s", 0,
		"how long housekeeping holds the core each time (a distribution, capped at "
		"the period); packets due then wait"),
	KS_UINT(struct vswitch_params, softirq_budget, "softirq_budget", "0", 0, 1u << 30,
		"packets a softirq run switches before it defers the rest to ksoftirqd "
		"(Linux: netdev_budget 300 per round, up to 10 rounds in 2 ms); 0: never"),
	KS_DIST(struct vswitch_params, ksoftirqd_latency, "ksoftirqd_latency", UNIT_TIME, "5us", 0,
		"from a deferral to ksoftirqd running (a distribution: longer when other "
		"threads want the core)"),
};

/* Busy cores are counted over epochs of this many seconds. */
#define LOAD_EPOCH 1e-3
#define LOAD_SLOTS 4

struct vswitch_state {
	struct flowcache flows;
	struct flowcache emc;
	/* contention: busy seconds of the switch's cores in recent epochs */
	double busy[LOAD_SLOTS];
	int64_t epoch[LOAD_SLOTS];
	struct outage housekeeping;
	struct softirq softirq;
};

static bool vswitch_init(struct component *c, GError **error)
{
	const struct vswitch_params *v = c->params;
	struct vswitch_state *s = g_new0(struct vswitch_state, 1);

	flowcache_init(&s->flows, v->flow_table, v->flow_timeout_s);
	if (v->emc_entries)
		flowcache_init(&s->emc, v->emc_entries, v->flow_timeout_s);
	for (unsigned i = 0; i < LOAD_SLOTS; i++)
		s->epoch[i] = -1;
	outage_init(&s->housekeeping, v->housekeeping_period, &v->housekeeping,
		    rng_hash(c->key, 1));
	softirq_init(&s->softirq, v->softirq_budget, &v->ksoftirqd_latency, rng_hash(c->key, 2),
		     v->cores);
	c->state = s;
	return true;
}

/* The slot of epoch e, emptied if it held an older one. */
static double *busy_slot(struct vswitch_state *s, int64_t e)
{
	unsigned i = (unsigned)(e % LOAD_SLOTS);

	if (s->epoch[i] != e) {
		s->epoch[i] = e;
		s->busy[i] = 0;
	}
	return &s->busy[i];
}

double vswitch_contention_factor(const struct component *c, double now)
{
	const struct vswitch_params *v = c->params;
	struct vswitch_state *s = c->state;

	if (v->contention <= 0)
		return 1;
	const int64_t e = (int64_t)(now / LOAD_EPOCH);
	if (e < 2)
		return 1;
	unsigned i = (unsigned)((e - 2) % LOAD_SLOTS);
	double n = s->epoch[i] == e - 2 ? s->busy[i] / LOAD_EPOCH : 0;

	return 1 + v->contention * MAX(0.0, n - 1);
}

static void vswitch_process(struct component *c, enum comp_dir dir, struct pkt_batch *b,
			    double now)
{
	const struct vswitch_params *v = c->params;
	struct vswitch_state *s = c->state;

	const double k = vswitch_contention_factor(c, now);
	double total = v->batch_cycles;

	softirq_count(&s->softirq, b->server, b->busy, b->n, now);
	for (unsigned i = 0; i < b->n; i++) {
		struct rng r;
		const uint32_t flow = b->p[i]->flow;

		comp_rng(&r, c, b->p[i], dir);
		double cyc = dist_sample(&v->cycles, &r);

		if (v->emc_entries && !flowcache_lookup(&s->emc, flow, now, 0))
			cyc += v->emc_miss_cycles;
		if (!flowcache_lookup(&s->flows, flow, now, 0))
			cyc += v->flow_miss_cycles;
		b->service[i] = cyc * k;
		b->latency[i] = 0;
		total += cyc * k;
	}
	b->batch_service = v->batch_cycles;
	if (v->contention > 0)
		*busy_slot(s, (int64_t)(now / LOAD_EPOCH)) += total / c->freq_hz;
}

static void vswitch_serving(const struct component *c, struct serving *out)
{
	const struct vswitch_params *v = c->params;
	const struct vswitch_state *s = c->state;

	*out = (struct serving){ .servers = v->cores,
				 .shared_queue = v->dispatch == DISPATCH_SHARED,
				 .batch = v->batch,
				 .polls = v->poll,
				 .breaks = outage_on(&s->housekeeping) || softirq_on(&s->softirq) };
}

/* ksoftirqd's delay first, then the end of housekeeping if it holds the
 * core by then */
static double vswitch_resume(const struct component *c, unsigned server, double t, bool busy)
{
	const struct vswitch_state *s = c->state;

	return outage_resume(&s->housekeeping, server,
			     softirq_resume(&s->softirq, server, t, busy));
}

static void vswitch_cleanup(struct component *c)
{
	struct vswitch_state *s = c->state;

	if (!s)
		return;
	flowcache_clear(&s->flows);
	flowcache_clear(&s->emc);
	softirq_clear(&s->softirq);
	g_free(s);
	c->state = NULL;
}

static void vswitch_bounds(const struct component *c, enum comp_dir dir, double size,
			   struct cost_bounds *out)
{
	const struct vswitch_params *v = c->params;

	*out = (struct cost_bounds){ .mean = dist_mean(&v->cycles),
				     .min = dist_min(&v->cycles),
				     .batch = v->batch_cycles };
}

const struct component_ops vswitch_ops = {
	.kind = "vswitch",
	.place = PLACE_HOST,
	.runs_on = "host cores",
	.summary = "host virtual switch: flow-table lookup and actions on host cores",
	.keys = vswitch_keys,
	.nkeys = G_N_ELEMENTS(vswitch_keys),
	.params_size = sizeof(struct vswitch_params),
	.init = vswitch_init,
	.bounds = vswitch_bounds,
	.process = vswitch_process,
	.serving = vswitch_serving,
	.resume = vswitch_resume,
	.cleanup = vswitch_cleanup,
};
