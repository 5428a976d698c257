/* vnic.c: the synthetic vNIC channel between host and guest (Hyper-V's
 * VMBus with netvsc, or virtio-net with vhost).
 *
 * Its host side runs to completion with the vSwitch, on the same host core:
 * each frame is copied between host and guest memory (copy_rate per core,
 * plus copy_cycles of descriptor work), which is host CPU spent per packet
 * and the main reason the normal path costs host cores.  The frames go into
 * a shared ring (ring) and the other side is signalled (notify_latency: a
 * VMBus interrupt or an eventfd/irqfd) when it is not already polling.
 * The guest driver's own work is charged by the guest stage.
 *
 * Host-side workers (workers > 0): the copy and the notification run on
 * host threads of their own, one per queue, as vhost-net runs a worker
 * thread per virtqueue and Hyper-V processes each VMBus channel on its
 * own, instead of on the vSwitch core that switched the frame.  The
 * pipeline then gives the vNIC a stage of its own on host cores
 * (pipeline.c), fed by the vSwitch through the worker's queue
 * (worker_queue frames: the tap device's queue) and woken after
 * worker_wakeup when idle (on transmit, the guest's kick wakes it: the
 * same wake-up); flows are hashed to workers.  Pinned workers
 * have host cores of their own; floating ones share the vSwitch's, which
 * SimGrid then shares out (exact mode).  Its cycles are host CPU.
 *
 * Virtualisation costs of the synthetic device (all off by default):
 * each interrupt into the guest costs the host exit_cycles (KVM
 * injecting it through an irqfd, on receive), each of the guest's kicks
 * kick_cycles (its doorbell exit, on transmit; none where the host polls
 * the ring with the guest's notifications turned off, as vhost-user's
 * PMD does); and a guest whose vCPU has been idle longer than
 * halt_poll when a frame arrives has halted (KVM's halt polling gave up)
 * and is woken by an IPI and a VM entry: halt_wakeup more.  Idle is
 * measured from the channel's last frame to the guest.  The VF path
 * needs neither: its interrupts are posted (Intel VT-d posted interrupts
 * deliver into a running vCPU without an exit; vf.c), and its doorbell is
 * a write to the VF's own registers mapped into the guest. */
#include <math.h>
#include <stddef.h>

#include "model/component.h"
#include "model/vnic.h"

static const char *const worker_cores_choices[] = { "pinned", "floating", NULL };

static const struct key_spec vnic_keys[] = {
	KS_QTY(struct vnic_params, copy_rate_Bps, "copy_rate", UNIT_BYTERATE, "8GB/s", 1e6, 0,
	       "bytes per second one host core copies between host and guest memory"),
	KS_QTY(struct vnic_params, copy_cycles, "copy_cycles", UNIT_CYCLES, "1000cycles", 0, 0,
	       "host cycles per packet for the channel's descriptors and bookkeeping"),
	KS_DIST(struct vnic_params, notify_latency, "notify_latency", UNIT_TIME, "4us", 0,
		"from the host's signal to the guest driver's poll, or back on transmit (a "
		"distribution: the signal crosses the hypervisor); with workers, receive only"),
	KS_UINT(struct vnic_params, ring, "ring", "1024", 1, 1u << 20,
		"slots in the channel's ring between host and guest"),
	KS_UINT(struct vnic_params, workers, "workers", "0", 0, 1024,
		"host threads that copy and notify, one per queue (vhost-net workers); 0: the "
		"copy runs on the vSwitch core that switched the frame"),
	KS_ENUM(struct vnic_params, worker_cores, "worker_cores", worker_cores_choices, "pinned",
		"pinned: each worker has a host core of its own; floating: workers share the "
		"vSwitch's cores"),
	KS_DIST(struct vnic_params, worker_wakeup, "worker_wakeup", UNIT_TIME, "0s", 0,
		"from a frame queued for an idle worker (or the guest's kick) to the worker "
		"running (a distribution)"),
	KS_UINT(struct vnic_params, worker_queue, "worker_queue", "1024", 1, 1u << 20,
		"frames queued for a worker before the vSwitch drops (the tap device's queue)"),
	KS_UINT(struct vnic_params, worker_batch, "worker_batch", "64", 1, BATCH_MAX,
		"most frames a worker takes per run"),
	KS_QTY(struct vnic_params, exit_cycles, "exit_cycles", UNIT_CYCLES, "0cycles", 0, 0,
	       "host cycles per interrupt into the guest (receive): irqfd, injection"),
	KS_QTY(struct vnic_params, kick_cycles, "kick_cycles", UNIT_CYCLES, "0cycles", 0, 0,
	       "host cycles per kick of the guest (transmit): its doorbell exit"),
	KS_QTY(struct vnic_params, halt_poll_s, "halt_poll", UNIT_TIME, "0s", 0, 1,
	       "an idle vCPU polls this long before halting (KVM halt_poll_ns)"),
	KS_DIST(struct vnic_params, halt_wakeup, "halt_wakeup", UNIT_TIME, "0s", 0,
		"waking a halted vCPU: IPI, scheduling its thread, VM entry (0s: off)"),
};

struct vnic_state {
	double last_rx;		/* the last frame handed to the guest */
	bool halt_on;		/* halt_wakeup is not constant 0 */
};

static bool vnic_init(struct component *c, GError **error)
{
	struct vnic_state *s = g_new0(struct vnic_state, 1);

	const struct vnic_params *v = c->params;

	s->last_rx = -INFINITY;
	s->halt_on = dist_max(&v->halt_wakeup) > 0;
	c->state = s;
	return true;
}

static void vnic_cleanup(struct component *c)
{
	g_clear_pointer(&c->state, g_free);
}

static void vnic_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct vnic_params *v = c->params;
	struct vnic_state *s = c->state;
	const double cycles_per_byte = c->freq_hz / v->copy_rate_Bps;
	double halt = 0;

	/* the guest's vCPU halted if nothing came for longer than it polls:
	 * one wake-up for the batch, keyed by its first frame */
	if (dir == DIR_RX && s->halt_on && now - s->last_rx > v->halt_poll_s) {
		struct rng r;

		comp_rng(&r, c, b->p[0], dir);
		halt = dist_sample(&v->halt_wakeup, &r);
	}
	for (unsigned i = 0; i < b->n; i++) {
		b->service[i] = v->copy_cycles + b->p[i]->size * cycles_per_byte;
		b->latency[i] = halt;
		b->p[i]->flags |= PKT_SYNTHETIC;
	}
	if (dir == DIR_RX)
		s->last_rx = now;
	b->batch_service = dir == DIR_RX ? v->exit_cycles : v->kick_cycles;
}

static bool vnic_handoff(const struct component *c, enum comp_dir dir, enum comp_place consumer,
                         struct handoff *out)
{
	const struct vnic_params *v = c->params;

	/* with workers, the guest's kick on transmit is a doorbell exit that
	 * signals the worker's eventfd: what it waits for is the worker's
	 * wake-up; notify_latency is the interrupt into the guest */
	*out = (struct handoff){ .ring = v->ring,
				 .latency = dir == DIR_TX && v->workers ? &v->worker_wakeup
									: &v->notify_latency };
	return true;
}

static bool vnic_intake(const struct component *c, enum comp_dir dir, struct handoff *out)
{
	const struct vnic_params *v = c->params;

	*out = (struct handoff){ .ring = v->worker_queue, .latency = &v->worker_wakeup };
	return true;
}

static void vnic_serving(const struct component *c, struct serving *out)
{
	const struct vnic_params *v = c->params;

	*out = (struct serving){ .servers = MAX(v->workers, 1u), .batch = v->worker_batch };
}

static void vnic_bounds(const struct component *c, enum comp_dir dir, double size,
			struct cost_bounds *out)
{
	const struct vnic_params *v = c->params;
	double s = v->copy_cycles + size * c->freq_hz / v->copy_rate_Bps;

	*out = (struct cost_bounds){ .mean = s, .min = s, .batch = dir == DIR_RX ? v->exit_cycles : v->kick_cycles };
}

const struct component_ops vnic_ops = {
	.kind = "vnic",
	.place = PLACE_HOST,
	.runs_on = "host cores",
	.summary = "synthetic vNIC channel: host copies each frame into the guest and signals it",
	.keys = vnic_keys,
	.nkeys = G_N_ELEMENTS(vnic_keys),
	.params_size = sizeof(struct vnic_params),
	.delay = "halt wake-up",
	.init = vnic_init,
	.bounds = vnic_bounds,
	.process = vnic_process,
	.handoff = vnic_handoff,
	.intake = vnic_intake,
	.serving = vnic_serving,
	.cleanup = vnic_cleanup,
};
