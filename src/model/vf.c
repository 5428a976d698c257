/* vf.c: the SR-IOV virtual function that Accelerated Networking hands to the
 * VM, with the NIC's hardware flow table in front of it.
 *
 * The NIC has already DMA'd the frame (nic.c); here the write goes through
 * the IOMMU: a translation costs iommu_latency, plus iotlb_miss when the
 * page of the ring buffer is not in the IOTLB (direct-mapped, iotlb_entries
 * pages; the driver walks its ring, so pages stream through it).  The guest
 * is woken by the VF's moderated interrupt (mlx5: 16 us / 32 frames static,
 * 3 us CQE-based, or adaptive).  No host CPU is spent.
 *
 * With flow_offload = gft the NIC forwards only flows it has an entry for,
 * as Azure's GFT does: a new flow's first packet (and any until the entry is
 * live, flow_install later) takes the software path through the host's
 * vSwitch, which installs the entry.  TCP SYNs always take the synthetic
 * path, and while the VF is removed (host servicing) everything does. */
#include <stddef.h>

#include "model/component.h"
#include "model/flowcache.h"

enum { OFFLOAD_GFT, OFFLOAD_NONE };
enum { IRQ_STATIC, IRQ_CQE, IRQ_ADAPTIVE };

struct vf_params {
	unsigned ring;
	unsigned tx_ring;
	double iommu_latency_s;
	double iotlb_miss_s;
	unsigned iotlb_entries;
	double page_bytes;
	double buffer_bytes;
	int flow_offload;
	unsigned flow_table;
	double flow_timeout_s;
	double flow_install_s;
	int irq_mode;
	double rx_usecs_s;
	unsigned rx_frames;
	double cqe_usecs_s;
	struct dist irq_latency;
};

static const char *const offload_choices[] = { "gft", "none", NULL };
static const char *const irq_choices[] = { "static", "cqe", "adaptive", NULL };

static const struct key_spec vf_keys[] = {
	KS_UINT(struct vf_params, ring, "ring", "1024", 1, 1u << 20,
		"VF rx ring descriptors: frames waiting for the guest driver"),
	KS_UINT(struct vf_params, tx_ring, "tx_ring", "1024", 1, 1u << 20,
		"VF tx ring descriptors"),
	KS_QTY(struct vf_params, iommu_latency_s, "iommu_latency", UNIT_TIME, "0.2us", 0, 0.1,
	       "IOMMU translation of a DMA address on an IOTLB hit"),
	KS_QTY(struct vf_params, iotlb_miss_s, "iotlb_miss", UNIT_TIME, "1.5us", 0, 0.1,
	       "extra time of a page-table walk on an IOTLB miss"),
	KS_UINT(struct vf_params, iotlb_entries, "iotlb_entries", "64", 1, 1u << 20,
		"pages the IOTLB holds"),
	KS_QTY(struct vf_params, page_bytes, "page", UNIT_SIZE, "4KiB", 1, 1u << 30,
		"IOMMU page size of the ring buffers (4KiB, or 2MiB with huge pages)"),
	KS_QTY(struct vf_params, buffer_bytes, "buffer", UNIT_SIZE, "2KiB", 64, 1u << 20,
	       "bytes of one rx buffer in the ring"),
	KS_ENUM(struct vf_params, flow_offload, "flow_offload", offload_choices, "gft",
		"gft: the NIC forwards only flows in its table, new flows go through the vSwitch; "
		"none: plain SR-IOV, every packet goes straight to the VF"),
	KS_UINT(struct vf_params, flow_table, "flow_table", "1048576", 1, 1u << 26,
		"entries in the NIC's flow table"),
	KS_QTY(struct vf_params, flow_timeout_s, "flow_timeout", UNIT_TIME, "30s", 0, 0,
	       "a flow idle this long is evicted from the NIC's table"),
	KS_QTY(struct vf_params, flow_install_s, "flow_install", UNIT_TIME, "50us", 0, 10,
	       "from a flow's first packet until the NIC's entry for it is live"),
	KS_ENUM(struct vf_params, irq_mode, "irq_mode", irq_choices, "static",
		"guest interrupt moderation: static timer/frames, CQE-based, or adaptive"),
	KS_QTY(struct vf_params, rx_usecs_s, "rx_usecs", UNIT_TIME, "16us", 0, 0.1,
	       "moderation timer, started by the first pending frame (mlx5: 16us)"),
	KS_UINT(struct vf_params, rx_frames, "rx_frames", "32", 0, 65535,
		"interrupt after this many pending frames (mlx5: 32; 0: timer only)"),
	KS_QTY(struct vf_params, cqe_usecs_s, "cqe_usecs", UNIT_TIME, "3us", 0, 0.1,
	       "moderation timer in CQE-based mode (mlx5: 3us)"),
	KS_DIST(struct vf_params, irq_latency, "irq_latency", UNIT_TIME, "1us", 0,
		"from the VF's interrupt to the guest driver's poll (posted interrupt, softirq; "
		"a distribution)"),
};

struct vf_state {
	struct flowcache flows;
	uint32_t *iotlb;	/* page + 1 per slot; 0: empty */
	uint64_t slot;		/* next rx buffer of the ring */
	bool present;
};

static bool vf_init(struct component *c, GError **error)
{
	const struct vf_params *v = c->params;
	struct vf_state *s = g_new0(struct vf_state, 1);

	flowcache_init(&s->flows, v->flow_table, v->flow_timeout_s);
	s->iotlb = g_new0(uint32_t, v->iotlb_entries);
	s->present = true;
	c->state = s;
	return true;
}

/* Translate the DMA address of the next ring buffer. */
static double vf_translate(const struct vf_params *v, struct vf_state *s)
{
	uint32_t page = (uint32_t)((double)(s->slot++ % v->ring) * v->buffer_bytes / v->page_bytes);
	uint32_t i = page % v->iotlb_entries;

	if (s->iotlb[i] == page + 1)
		return v->iommu_latency_s;
	s->iotlb[i] = page + 1;
	return v->iommu_latency_s + v->iotlb_miss_s;
}

static void vf_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct vf_params *v = c->params;
	struct vf_state *s = c->state;

	for (unsigned i = 0; i < b->n; i++) {
		struct pkt *p = b->p[i];
		bool soft = !s->present || (dir == DIR_RX && (p->flags & PKT_SYN));

		if (!soft && v->flow_offload == OFFLOAD_GFT)
			soft = !flowcache_lookup(&s->flows, p->flow, now, v->flow_install_s);
		b->service[i] = 0;
		if (soft) {
			b->latency[i] = 0;
			b->reroute[i] = 1;
		} else {
			b->latency[i] = vf_translate(v, s);
		}
	}
	b->batch_service = 0;
}

static bool vf_handoff(const struct component *c, enum comp_dir dir, enum comp_place consumer,
                       struct handoff *out)
{
	const struct vf_params *v = c->params;

	if (dir == DIR_TX) {
		*out = (struct handoff){ .ring = v->tx_ring };
		return true;
	}
	/* a packet the NIC diverts to the host goes through the NIC's own
	 * host queue and interrupt, not the VF's */
	if (consumer != PLACE_GUEST)
		return false;
	*out = (struct handoff){ .ring = v->ring, .latency = &v->irq_latency };
	switch (v->irq_mode) {
	case IRQ_STATIC:
		out->usecs = v->rx_usecs_s;
		out->frames = v->rx_frames;
		break;
	case IRQ_CQE:
		out->usecs = v->cqe_usecs_s;
		out->frames = v->rx_frames;
		break;
	case IRQ_ADAPTIVE:
		out->usecs = v->rx_usecs_s;
		out->frames = v->rx_frames;
		out->adaptive = true;
		break;
	}
	return true;
}

static bool vf_event(struct component *c, const char *what, double now)
{
	struct vf_state *s = c->state;

	if (!g_strcmp0(what, "vf_remove"))
		s->present = false;
	else if (!g_strcmp0(what, "vf_add"))
		s->present = true;
	else
		return false;
	return true;
}

static void vf_cleanup(struct component *c)
{
	struct vf_state *s = c->state;

	if (!s)
		return;
	flowcache_clear(&s->flows);
	g_free(s->iotlb);
	g_free(s);
	c->state = NULL;
}

static void vf_bounds(const struct component *c, enum comp_dir dir, double size,
		      struct cost_bounds *out)
{
	/* a packet the VF diverts to the vSwitch (a flow miss, a SYN, no VF)
	 * leaves at once, without the IOMMU's latency: the least is none */
	*out = (struct cost_bounds){ .latency_min = 0 };
}

const struct component_ops vf_ops = {
	.kind = "vf",
	.place = PLACE_HW,
	.runs_on = "NIC",
	.delay = "IOMMU",
	.summary = "SR-IOV virtual function: DMA straight into guest memory through the IOMMU",
	.keys = vf_keys,
	.nkeys = G_N_ELEMENTS(vf_keys),
	.params_size = sizeof(struct vf_params),
	.init = vf_init,
	.bounds = vf_bounds,
	.process = vf_process,
	.handoff = vf_handoff,
	.event = vf_event,
	.cleanup = vf_cleanup,
};
