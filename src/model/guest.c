/* guest.c: the guest's network stack on the VM's vCPUs.
 *
 * Receive: the driver's poll (NAPI) takes up to napi_budget frames per poll,
 * paying poll_cycles once per poll and, per frame, the driver's cycles
 * (netvsc for frames from the synthetic vNIC, the VF driver for the rest)
 * plus the stack's (IP, UDP/TCP, socket).  An idle application thread is
 * woken after wakeup_latency.  Transmit: the stack's cycles plus the driver
 * of the device the frame leaves by; the bonded netvsc driver sends through
 * the VF while there is one and through the synthetic vNIC otherwise.
 * With several queues (RSS), flows are hashed to per-vCPU NAPI contexts.
 *
 * GRO (and GSO/TSO on transmit): within one poll, frames of a flow are
 * merged into segments of up to gro bytes, with up to 8 flows open at once
 * (Linux's MAX_GRO_SKBS), and the stack's cycles are spent once per segment
 * while the driver's are spent per frame.  This
 * is what lets one TCP flow reach tens of Gbit/s on one vCPU; request/
 * response traffic rarely has two frames of a flow in one poll, so it pays
 * the stack per frame.
 *
 * Two mechanisms make a vCPU wait for its CPU (model/preempt.h), both off
 * by default: steal, a vCPU that shares its host core with another and is
 * off for one slice in every slice / steal (a batch due then waits for
 * the vCPU's next turn); and a softirq budget, after which the rest of a
 * NAPI run waits for ksoftirqd.  The wait is the batch's wake-up: no
 * vCPU time is charged for it. */
#include <stddef.h>
#include <string.h>

#include "model/component.h"
#include "model/preempt.h"

#define GRO_FLOWS 8

struct guest_params {
	struct dist rx_cycles;
	struct dist tx_cycles;
	double synthetic_cycles;
	double vf_cycles;
	double poll_cycles;
	unsigned napi_budget;
	unsigned queues;
	double gro_bytes;
	struct dist wakeup_latency;
	double steal;
	struct dist steal_slice;
	unsigned softirq_budget;
	struct dist ksoftirqd_latency;
};

static const struct key_spec guest_keys[] = {
	KS_DIST(struct guest_params, rx_cycles, "cycles_per_packet", UNIT_CYCLES, "3500cycles", 0,
		"stack cycles per received packet: IP, UDP/TCP, socket (may be a distribution)"),
	KS_DIST(struct guest_params, tx_cycles, "tx_cycles_per_packet", UNIT_CYCLES, "3000cycles",
		0, "stack cycles per sent packet, system call included"),
	KS_QTY(struct guest_params, synthetic_cycles, "synthetic_cycles", UNIT_CYCLES,
	       "2000cycles", 0, 0, "synthetic vNIC driver (netvsc, virtio-net) cycles per packet"),
	KS_QTY(struct guest_params, vf_cycles, "vf_cycles", UNIT_CYCLES, "600cycles", 0, 0,
	       "VF driver (mlx5) cycles per packet"),
	KS_QTY(struct guest_params, poll_cycles, "poll_cycles", UNIT_CYCLES, "0cycles", 0, 0,
	       "cycles per NAPI poll, shared by the packets it takes"),
	KS_UINT(struct guest_params, napi_budget, "napi_budget", "64", 1, BATCH_MAX,
		"most packets one poll takes"),
	KS_UINT(struct guest_params, queues, "queues", "1", 1, 1024,
		"receive queues, each with its NAPI context on its own vCPU"),
	KS_QTY(struct guest_params, gro_bytes, "gro", UNIT_SIZE, "64KiB", 0, 1e7,
	       "GRO/GSO: a flow's consecutive frames in one poll are one segment of up to "
	       "this many bytes for the stack (0B: off)"),
	KS_DIST(struct guest_params, wakeup_latency, "wakeup_latency", UNIT_TIME, "2us", 0,
		"from a packet queued on a socket to the blocked application thread running "
		"(a distribution: scheduling delays have a tail)"),
	KS_QTY(struct guest_params, steal, "steal", UNIT_PERCENT, "0%", 0, 0.99,
	       "share of the time each vCPU is off its host core (an oversubscribed host: "
	       "another vCPU's slice); 0%: never"),
	KS_DIST(struct guest_params, steal_slice, "steal_slice", UNIT_TIME, "3ms", 0,
		"how long a vCPU stays off when it is (the other's time slice; a "
		"distribution); it is off once every steal_slice / steal"),
	KS_UINT(struct guest_params, softirq_budget, "softirq_budget", "0", 0, 1u << 30,
		"received packets a softirq run handles before it defers the rest to "
		"ksoftirqd (Linux: netdev_budget 300 per round, up to 10 rounds in 2 ms); "
		"0: never"),
	KS_DIST(struct guest_params, ksoftirqd_latency, "ksoftirqd_latency", UNIT_TIME, "5us", 0,
		"from a deferral to ksoftirqd running (a distribution: longer when other "
		"threads want the vCPU)"),
};

struct guest_state {
	bool vf_present;
	struct outage steal;
	struct softirq softirq;
};

static bool guest_init(struct component *c, GError **error)
{
	const struct guest_params *g = c->params;
	struct guest_state *s = g_new0(struct guest_state, 1);

	s->vf_present = true;
	/* off one slice in every slice / steal: off steal of the time */
	outage_init(&s->steal, g->steal > 0 ? dist_mean(&g->steal_slice) / g->steal : 0,
		    &g->steal_slice, rng_hash(c->key, 1));
	softirq_init(&s->softirq, g->softirq_budget, &g->ksoftirqd_latency, rng_hash(c->key, 2),
		     g->queues);
	c->state = s;
	return true;
}

static void guest_process(struct component *c, enum comp_dir dir, struct pkt_batch *b,
			  double now)
{
	const struct guest_params *g = c->params;
	struct guest_state *s = c->state;

	/* the softirq's run counts received packets: sending is the
	 * application's system call */
	softirq_count(&s->softirq, b->server, b->busy, dir == DIR_RX ? b->n : 0, now);
	/* the poll's open GRO segments: flow and bytes, oldest first */
	uint32_t seg_flow[GRO_FLOWS];
	double seg_bytes[GRO_FLOWS];
	unsigned nseg = 0;

	for (unsigned i = 0; i < b->n; i++) {
		struct pkt *p = b->p[i];
		double cyc = 0;
		unsigned k = 0;

		while (k < nseg && seg_flow[k] != p->flow)
			k++;
		if (g->gro_bytes > 0 && k < nseg && seg_bytes[k] + p->size <= g->gro_bytes) {
			seg_bytes[k] += p->size; /* merged: the stack runs once per segment */
		} else {
			struct rng r;

			comp_rng(&r, c, p, dir);
			cyc = dist_sample(dir == DIR_RX ? &g->rx_cycles : &g->tx_cycles, &r);
			if (k == nseg && nseg == GRO_FLOWS) {
				/* a ninth flow flushes the oldest segment */
				memmove(seg_flow, seg_flow + 1, (GRO_FLOWS - 1) * sizeof(seg_flow[0]));
				memmove(seg_bytes, seg_bytes + 1, (GRO_FLOWS - 1) * sizeof(seg_bytes[0]));
				k = --nseg;
			} else if (k == nseg) {
				nseg++;
			}
			seg_flow[k] = p->flow;
			seg_bytes[k] = p->size;
		}
		if (dir == DIR_RX) {
			cyc += (p->flags & PKT_SYNTHETIC) ? g->synthetic_cycles : g->vf_cycles;
		} else {
			if (s->vf_present) {
				cyc += g->vf_cycles;
			} else {
				cyc += g->synthetic_cycles;
				b->reroute[i] = 1;
			}
		}
		b->service[i] = cyc;
		b->latency[i] = 0;
	}
	b->batch_service = g->poll_cycles;
}

static bool guest_handoff(const struct component *c, enum comp_dir dir, enum comp_place consumer,
                          struct handoff *out)
{
	const struct guest_params *g = c->params;

	*out = (struct handoff){ .latency = dir == DIR_RX ? &g->wakeup_latency : NULL };
	return true;
}

static void guest_serving(const struct component *c, struct serving *out)
{
	const struct guest_params *g = c->params;
	const struct guest_state *s = c->state;

	*out = (struct serving){ .servers = g->queues,
				 .batch = g->napi_budget,
				 .breaks = outage_on(&s->steal) || softirq_on(&s->softirq) };
}

/* ksoftirqd's delay first, then the vCPU's turn if it is off by then */
static double guest_resume(const struct component *c, unsigned server, double t, bool busy)
{
	const struct guest_state *s = c->state;

	return outage_resume(&s->steal, server, softirq_resume(&s->softirq, server, t, busy));
}

static bool guest_event(struct component *c, const char *what, double now)
{
	struct guest_state *s = c->state;

	if (!g_strcmp0(what, "vf_remove"))
		s->vf_present = false;
	else if (!g_strcmp0(what, "vf_add"))
		s->vf_present = true;
	else
		return false;
	return true;
}

static void guest_cleanup(struct component *c)
{
	struct guest_state *s = c->state;

	if (s)
		softirq_clear(&s->softirq);
	g_clear_pointer(&c->state, g_free);
}

static void guest_bounds(const struct component *c, enum comp_dir dir, double size,
			 struct cost_bounds *out)
{
	const struct guest_params *g = c->params;
	const struct dist *d = dir == DIR_RX ? &g->rx_cycles : &g->tx_cycles;
	/* the mean with the synthetic driver: capacity is asked of the normal path */
	*out = (struct cost_bounds){ .mean = dist_mean(d) + g->synthetic_cycles,
				     .min = dist_min(d) + MIN(g->synthetic_cycles, g->vf_cycles),
				     .batch = g->poll_cycles };
}

const struct component_ops guest_ops = {
	.kind = "guest",
	.place = PLACE_GUEST,
	.runs_on = "vCPUs",
	.summary = "guest network stack: vNIC or VF driver, IP, UDP/TCP and socket on vCPUs",
	.keys = guest_keys,
	.nkeys = G_N_ELEMENTS(guest_keys),
	.params_size = sizeof(struct guest_params),
	.init = guest_init,
	.bounds = guest_bounds,
	.process = guest_process,
	.handoff = guest_handoff,
	.serving = guest_serving,
	.resume = guest_resume,
	.event = guest_event,
	.cleanup = guest_cleanup,
};
