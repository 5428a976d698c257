/* nic.c: the physical NIC: its packet pipeline and its PCIe DMA.
 *
 * A frame crosses the NIC's pipeline (parsing, steering: latency, pipelined)
 * and is written to host memory over PCIe (the link is occupied for the
 * frame's bytes at pcie_rate, then the write completes after pcie_latency).
 * A DMA costs the link more than its data: TLP headers and framing, the
 * descriptor and completion it goes with (pcie_overhead bytes each), and
 * a device issues at most so many DMAs a second (pcie_dma_rate), which
 * is what holds small transfers far below the link's rate: pcie-bench
 * measured PCIe 3.0 x8 DMA writes of 64 / 128 / 256 / 512 B at 24.3 /
 * 42.4 / 50.5 / 54.4 Gbit/s (Neugebauer et al., SIGCOMM'18; data in
 * github.com/pcie-bench/data, NFP6000 on a Xeon E5-2630 v4).  Both are
 * off by default: the link carries the frame's bytes alone.
 * Received frames go into the rx ring of whoever consumes them: the host's
 * driver (normal path), which the NIC wakes with a moderated interrupt
 * (static, or adaptive as Linux's DIM moderates mlx5 and others); a VF
 * has its own ring (vf.c).  On transmit the NIC reads frames that the host
 * or the VF posted to its tx ring. */
#include <stddef.h>

#include "model/component.h"
#include "model/nic.h"

static const struct key_spec nic_keys[] = {
	KS_QTY(struct nic_params, latency_s, "latency", UNIT_TIME, "1us", 0, 1,
	       "frame processing in the NIC pipeline (parse, steer, checksum)"),
	KS_QTY(struct nic_params, pcie_rate_bps, "pcie_rate", UNIT_BITRATE, "63Gbps", 1e6, 0,
	       "usable PCIe bandwidth for DMA (PCIe 3.0 x8 is about 63 Gbit/s)"),
	KS_QTY(struct nic_params, pcie_latency_s, "pcie_latency", UNIT_TIME, "0.5us", 0, 1,
	       "time for a DMA write to complete in host memory"),
	KS_QTY(struct nic_params, pcie_overhead_bytes, "pcie_overhead", UNIT_SIZE, "0B", 0, 1e6,
	       "link bytes each DMA costs beyond its data: TLP headers, descriptor, completion"),
	KS_QTY(struct nic_params, pcie_dma_rate, "pcie_dma_rate", UNIT_PKTRATE, "0pps", 0, 0,
	       "most DMA transfers the device issues per second (0pps: no limit)"),
	KS_UINT(struct nic_params, buffer, "buffer", "2048", 1, 1u << 24,
		"frames the NIC's on-board buffer holds before it drops"),
	KS_UINT(struct nic_params, rx_ring, "rx_ring", "1024", 1, 1u << 20,
		"host rx ring descriptors: frames waiting for the host to poll"),
	KS_UINT(struct nic_params, tx_ring, "tx_ring", "1024", 1, 1u << 20,
		"tx ring descriptors: frames waiting for the NIC to send"),
	KS_QTY(struct nic_params, irq_coalesce_s, "irq_coalesce", UNIT_TIME, "8us", 0, 0.1,
	       "host interrupt moderation: delay from the first pending frame"),
	KS_UINT(struct nic_params, irq_frames, "irq_frames", "32", 0, 65535,
		"host interrupt moderation: interrupt after this many frames (0: timer only)"),
	KS_DIST(struct nic_params, irq_latency, "irq_latency", UNIT_TIME, "2us", 0,
		"from the interrupt to the host driver's poll (interrupt, DPC or softirq; "
		"a distribution)"),
	KS_BOOL(struct nic_params, irq_adaptive, "irq_adaptive", "false",
		"adaptive moderation (DIM): below irq_frames per irq_coalesce, the timer "
		"shrinks in proportion to the packet rate"),
};

/* Seconds the PCIe link is busy with one DMA of size bytes. */
static double nic_dma_time(const struct nic_params *n, double size)
{
	double t = (size + n->pcie_overhead_bytes) * 8.0 / n->pcie_rate_bps;

	return n->pcie_dma_rate > 0 ? MAX(t, 1 / n->pcie_dma_rate) : t;
}

static void nic_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct nic_params *n = c->params;

	for (unsigned i = 0; i < b->n; i++) {
		b->service[i] = nic_dma_time(n, b->p[i]->size);
		b->latency[i] = n->latency_s + n->pcie_latency_s;
	}
	b->batch_service = 0;
}

static bool nic_handoff(const struct component *c, enum comp_dir dir, enum comp_place consumer,
                        struct handoff *out)
{
	const struct nic_params *n = c->params;

	if (dir == DIR_RX)
		*out = (struct handoff){ .ring = n->rx_ring,
					 .latency = &n->irq_latency,
					 .usecs = n->irq_coalesce_s,
					 .frames = n->irq_frames,
					 .adaptive = n->irq_adaptive };
	else
		*out = (struct handoff){ .ring = n->tx_ring };
	return true;
}

static void nic_serving(const struct component *c, struct serving *out)
{
	const struct nic_params *n = c->params;

	*out = (struct serving){ .servers = 1, .batch = 1, .queue = n->buffer };
}

static void nic_bounds(const struct component *c, enum comp_dir dir, double size,
		       struct cost_bounds *out)
{
	const struct nic_params *n = c->params;
	double s = nic_dma_time(n, size);

	*out = (struct cost_bounds){ .mean = s, .min = s,
				     .latency_min = n->latency_s + n->pcie_latency_s };
}

const struct component_ops nic_ops = {
	.kind = "nic",
	.place = PLACE_HW,
	.runs_on = "NIC",
	.delay = "DMA write",
	.summary = "physical NIC: frame pipeline, then DMA over PCIe into host or guest memory",
	.keys = nic_keys,
	.nkeys = G_N_ELEMENTS(nic_keys),
	.params_size = sizeof(struct nic_params),
	.bounds = nic_bounds,
	.process = nic_process,
	.handoff = nic_handoff,
	.serving = nic_serving,
};
