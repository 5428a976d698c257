/* wire.c: the Ethernet link into (rx) or out of (tx) the host.
 *
 * A frame occupies the link for its bits plus the preamble, start delimiter
 * and inter-frame gap (framing, 20 bytes on Ethernet), at the line rate; then
 * it propagates.  The queue in front is the upstream switch port's buffer.
 *
 * With an mtu, a packet larger than it is a segment the host handles as
 * one unit (TSO/GSO on transmit, GRO on receive) and the link carries as
 * several frames: ceil((size - header) / (mtu - header)) of them, each
 * repeating the headers (header bytes: Ethernet, IP, TCP, FCS) and paying
 * the framing.  A 4000-byte response on a 1518-byte MTU is three frames on
 * the wire and one packet through the switch and the vNIC.  Off by
 * default: every packet is one frame, whatever its size. */
#include <math.h>
#include <stddef.h>

#include "model/component.h"
#include "model/wire.h"

static const struct key_spec wire_keys[] = {
	KS_QTY(struct wire_params, rate_bps, "rate", UNIT_BITRATE, "25Gbps", 1e3, 0,
	       "line rate of the link"),
	KS_QTY(struct wire_params, propagation_s, "propagation", UNIT_TIME, "1us", 0, 1,
	       "propagation and switching delay between the hosts"),
	KS_QTY(struct wire_params, framing_bytes, "framing", UNIT_SIZE, "20B", 0, 1e4,
	       "bytes on the wire besides the frame: preamble, start delimiter, inter-frame gap"),
	KS_UINT(struct wire_params, queue, "queue", "4096", 1, 1u << 24,
		"frames the upstream switch port buffers before dropping"),
	KS_QTY(struct wire_params, mtu_bytes, "mtu", UNIT_SIZE, "0B", 0, 1e6,
	       "largest frame, FCS included: a larger packet (a TSO segment, a long message) "
	       "crosses the link as several frames (0B: every packet is one frame)"),
	KS_QTY(struct wire_params, header_bytes, "header", UNIT_SIZE, "70B", 0, 1e4,
	       "headers each further frame of a segment repeats: Ethernet, IPv4, TCP with "
	       "timestamps, FCS"),
};

/* Bytes the link carries for a packet of size bytes. */
static double wire_bytes(const struct wire_params *w, double size)
{
	double frames = 1;

	if (w->mtu_bytes > w->header_bytes && size > w->mtu_bytes)
		frames = ceil((size - w->header_bytes) / (w->mtu_bytes - w->header_bytes));
	return size + (frames - 1) * w->header_bytes + frames * w->framing_bytes;
}

static void wire_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct wire_params *w = c->params;
	const double per_byte = 8.0 / w->rate_bps;

	for (unsigned i = 0; i < b->n; i++) {
		b->service[i] = wire_bytes(w, b->p[i]->size) * per_byte;
		b->latency[i] = w->propagation_s;
	}
	b->batch_service = 0;
}

static void wire_serving(const struct component *c, struct serving *out)
{
	const struct wire_params *w = c->params;

	*out = (struct serving){ .servers = 1, .batch = 1, .queue = w->queue };
}

static void wire_bounds(const struct component *c, enum comp_dir dir, double size,
			struct cost_bounds *out)
{
	const struct wire_params *w = c->params;
	double s = wire_bytes(w, size) * 8.0 / w->rate_bps;

	*out = (struct cost_bounds){ .mean = s, .min = s, .latency_min = w->propagation_s };
}

const struct component_ops wire_ops = {
	.kind = "wire",
	.place = PLACE_HW,
	.runs_on = "link",
	.delay = "propagation",
	.summary = "Ethernet link: serialisation at line rate with framing, then propagation",
	.keys = wire_keys,
	.nkeys = G_N_ELEMENTS(wire_keys),
	.params_size = sizeof(struct wire_params),
	.bounds = wire_bounds,
	.process = wire_process,
	.serving = wire_serving,
};
