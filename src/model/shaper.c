/* shaper.c: the VM's network allowance, enforced as a token bucket on the
 * VM's egress.
 *
 * Azure sizes come with an expected bandwidth (Standard_D3_v2: 3000 Mbit/s)
 * that is metered on what the VM sends: "outbound throughput is limited;
 * ingress isn't metered or limited directly" (Microsoft Learn, "Virtual
 * machine network bandwidth").  The host's meter (VFP on the normal path,
 * the NIC's flow table on the accelerated one) sits on the transmit routes
 * only, the sender's in VM-to-VM traffic.  Frames pass at once while the
 * bucket (burst bytes, refilled at rate) holds their size, and wait for
 * tokens otherwise, in order; the queue bounds the frames waiting.
 * rate = 0bps takes the VM size's bandwidth; with none, the shaper is left
 * out of the pipeline. */
#include <stddef.h>

#include "model/component.h"

struct shaper_params {
	double rate_bps;
	double burst_bytes;
	unsigned queue;
};

static const struct key_spec shaper_keys[] = {
	KS_QTY(struct shaper_params, rate_bps, "rate", UNIT_BITRATE, "0bps", 0, 0,
	       "allowance on the VM's egress (0bps: the VM size's bandwidth; if the size has "
	       "none either, no shaper)"),
	KS_QTY(struct shaper_params, burst_bytes, "burst", UNIT_SIZE, "64KiB", 0, 1e9,
	       "bytes that may pass at once after a quiet spell (bucket depth)"),
	KS_UINT(struct shaper_params, queue, "queue", "1024", 1, 1u << 24,
		"frames waiting for tokens before the shaper drops"),
};

struct shaper_state {
	double tokens;		/* bytes */
	double last;		/* when tokens were last updated */
};

static bool shaper_init(struct component *c, GError **error)
{
	const struct shaper_params *sp = c->params;
	struct shaper_state *s = g_new0(struct shaper_state, 1);

	s->tokens = sp->burst_bytes;
	c->state = s;
	return true;
}

static void shaper_process(struct component *c, enum comp_dir dir, struct pkt_batch *b,
			   double now)
{
	const struct shaper_params *sp = c->params;
	struct shaper_state *s = c->state;
	const double bytes_per_s = sp->rate_bps / 8.0;
	double t = now;

	for (unsigned i = 0; i < b->n; i++) {
		double tok = MIN(sp->burst_bytes, s->tokens + (t - s->last) * bytes_per_s);
		double need = b->p[i]->size;
		double wait = need > tok ? (need - tok) / bytes_per_s : 0;

		b->service[i] = wait;
		b->latency[i] = 0;
		t += wait;
		s->tokens = tok + wait * bytes_per_s - need;
		s->last = t;
	}
	b->batch_service = 0;
}

static void shaper_bounds(const struct component *c, enum comp_dir dir, double size,
			  struct cost_bounds *out)
{
	const struct shaper_params *sp = c->params;

	*out = (struct cost_bounds){ .mean = sp->rate_bps > 0 ? size * 8.0 / sp->rate_bps : 0 };
}

static void shaper_serving(const struct component *c, struct serving *out)
{
	const struct shaper_params *sp = c->params;

	*out = (struct serving){ .servers = 1, .batch = 1, .queue = sp->queue };
}

static void shaper_cleanup(struct component *c)
{
	g_clear_pointer(&c->state, g_free);
}

const struct component_ops shaper_ops = {
	.kind = "shaper",
	.place = PLACE_HW,
	.runs_on = "meter",
	.summary = "the VM's bandwidth allowance: a token bucket on its egress",
	.keys = shaper_keys,
	.nkeys = G_N_ELEMENTS(shaper_keys),
	.params_size = sizeof(struct shaper_params),
	.init = shaper_init,
	.bounds = shaper_bounds,
	.process = shaper_process,
	.serving = shaper_serving,
	.cleanup = shaper_cleanup,
};
