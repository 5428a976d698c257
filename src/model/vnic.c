/* vnic.c: the synthetic vNIC channel between host and guest (Hyper-V's
 * VMBus with netvsc, or virtio-net with vhost).
 *
 * Its host side runs to completion with the vSwitch, on the same host core:
 * each frame is copied between host and guest memory (copy_rate per core,
 * plus copy_cycles of descriptor work), which is host CPU spent per packet
 * and the main reason the normal path costs host cores.  The frames go into
 * a shared ring (ring) and the other side is signalled (notify_latency: a
 * VMBus interrupt or an eventfd/irqfd) when it is not already polling.
 * The guest driver's own work is charged by the guest stage. */
#include <stddef.h>

#include "model/component.h"

struct vnic_params {
	double copy_rate_Bps;
	double copy_cycles;
	struct dist notify_latency;
	unsigned ring;
};

static const struct key_spec vnic_keys[] = {
	KS_QTY(struct vnic_params, copy_rate_Bps, "copy_rate", UNIT_BYTERATE, "8GB/s", 1e6, 0,
	       "bytes per second one host core copies between host and guest memory"),
	KS_QTY(struct vnic_params, copy_cycles, "copy_cycles", UNIT_CYCLES, "1000cycles", 0, 0,
	       "host cycles per packet for the channel's descriptors and bookkeeping"),
	KS_DIST(struct vnic_params, notify_latency, "notify_latency", UNIT_TIME, "4us", 0,
		"from the host's signal to the guest driver's poll, or back on transmit (a "
		"distribution: the signal crosses the hypervisor)"),
	KS_UINT(struct vnic_params, ring, "ring", "1024", 1, 1u << 20,
		"slots in the channel's ring between host and guest"),
};

static void vnic_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct vnic_params *v = c->params;
	const double cycles_per_byte = c->freq_hz / v->copy_rate_Bps;

	for (unsigned i = 0; i < b->n; i++) {
		b->service[i] = v->copy_cycles + b->p[i]->size * cycles_per_byte;
		b->latency[i] = 0;
		b->p[i]->flags |= PKT_SYNTHETIC;
	}
	b->batch_service = 0;
}

static bool vnic_handoff(const struct component *c, enum comp_dir dir, enum comp_place consumer,
                         struct handoff *out)
{
	const struct vnic_params *v = c->params;

	*out = (struct handoff){ .ring = v->ring, .latency = &v->notify_latency };
	return true;
}

static void vnic_bounds(const struct component *c, enum comp_dir dir, double size,
			struct cost_bounds *out)
{
	const struct vnic_params *v = c->params;
	double s = v->copy_cycles + size * c->freq_hz / v->copy_rate_Bps;

	*out = (struct cost_bounds){ .mean = s, .min = s };
}

const struct component_ops vnic_ops = {
	.kind = "vnic",
	.place = PLACE_HOST,
	.runs_on = "host cores",
	.summary = "synthetic vNIC channel: host copies each frame into the guest and signals it",
	.keys = vnic_keys,
	.nkeys = G_N_ELEMENTS(vnic_keys),
	.params_size = sizeof(struct vnic_params),
	.bounds = vnic_bounds,
	.process = vnic_process,
	.handoff = vnic_handoff,
};
