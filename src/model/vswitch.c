/* vswitch.c: the host's virtual switch (Hyper-V's VFP, Open vSwitch).
 *
 * It runs on dedicated host cores and, per packet, matches the flow in its
 * unified flow table and applies the cached actions (cycles, drawn from a
 * distribution: policy, encapsulation and metering vary per packet).  The
 * first packet of a flow, or one whose entry timed out, misses and runs the
 * full rule evaluation (flow_miss_cycles) that installs the entry, as VFP's
 * UFT does.  It takes packets from its input in bursts (batch), paying
 * batch_cycles once per burst (the poll).  With several cores, flows are
 * spread over per-core queues (RSS/VMQ), or all cores share one queue. */
#include <stddef.h>

#include "model/component.h"
#include "model/flowcache.h"
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
};

struct vswitch_state {
	struct flowcache flows;
};

static bool vswitch_init(struct component *c, GError **error)
{
	const struct vswitch_params *v = c->params;
	struct vswitch_state *s = g_new0(struct vswitch_state, 1);

	flowcache_init(&s->flows, v->flow_table, v->flow_timeout_s);
	c->state = s;
	return true;
}

static void vswitch_process(struct component *c, enum comp_dir dir, struct pkt_batch *b,
			    double now)
{
	const struct vswitch_params *v = c->params;
	struct vswitch_state *s = c->state;

	for (unsigned i = 0; i < b->n; i++) {
		struct rng r;

		comp_rng(&r, c, b->p[i], dir);
		double cyc = dist_sample(&v->cycles, &r);

		if (!flowcache_lookup(&s->flows, b->p[i]->flow, now, 0))
			cyc += v->flow_miss_cycles;
		b->service[i] = cyc;
		b->latency[i] = 0;
	}
	b->batch_service = v->batch_cycles;
}

static void vswitch_serving(const struct component *c, struct serving *out)
{
	const struct vswitch_params *v = c->params;

	*out = (struct serving){ .servers = v->cores,
				 .shared_queue = v->dispatch == DISPATCH_SHARED,
				 .batch = v->batch };
}

static void vswitch_cleanup(struct component *c)
{
	struct vswitch_state *s = c->state;

	if (!s)
		return;
	flowcache_clear(&s->flows);
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
	.cleanup = vswitch_cleanup,
};
