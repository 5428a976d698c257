/* wire.c: the Ethernet link into (rx) or out of (tx) the host.
 *
 * A frame occupies the link for its bits plus the preamble, start delimiter
 * and inter-frame gap (framing, 20 bytes on Ethernet), at the line rate; then
 * it propagates.  The queue in front is the upstream switch port's buffer. */
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
};

static void wire_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct wire_params *w = c->params;
	const double per_byte = 8.0 / w->rate_bps;

	for (unsigned i = 0; i < b->n; i++) {
		b->service[i] = (b->p[i]->size + w->framing_bytes) * per_byte;
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
	double s = (size + w->framing_bytes) * 8.0 / w->rate_bps;

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
