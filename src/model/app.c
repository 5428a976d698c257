/* app.c: the application that receives the packets (and, for request/
 * response traffic, answers them).
 *
 * Each packet costs a service time drawn from a distribution (service),
 * plus the copy of its bytes from the socket (copy_rate), spent on a vCPU.  threads serve in parallel, from one shared queue (a
 * thread pool on one socket: M/M/c) or each from its own (SO_REUSEPORT,
 * flows hashed to threads).  queue bounds the socket's receive buffer in
 * packets; past it, packets are dropped as a full socket drops them. */
#include <stddef.h>

#include "model/component.h"

struct app_params {
	struct dist service;
	double copy_rate_Bps;
	unsigned threads;
	int dispatch;
	unsigned queue;
};

static const char *const dispatch_choices[] = { "rss", "shared", NULL };

static const struct key_spec app_keys[] = {
	KS_DIST(struct app_params, service, "service", UNIT_TIME, "1us", 0,
		"time the application spends per packet on a vCPU (a distribution)"),
	KS_QTY(struct app_params, copy_rate_Bps, "copy_rate", UNIT_BYTERATE, "10GB/s", 1e6, 0,
	       "bytes per second recv() copies from the socket to the application"),
	KS_UINT(struct app_params, threads, "threads", "1", 1, 1024,
		"application threads serving in parallel"),
	KS_ENUM(struct app_params, dispatch, "dispatch", dispatch_choices, "shared",
		"shared: threads take from one queue; rss: flows hashed to per-thread queues"),
	KS_UINT(struct app_params, queue, "queue", "4096", 1, 1u << 24,
		"packets the socket receive buffer holds"),
};

static void app_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	const struct app_params *a = c->params;

	for (unsigned i = 0; i < b->n; i++) {
		struct rng r;

		comp_rng(&r, c, b->p[i], dir);
		b->service[i] = dist_sample(&a->service, &r) * c->freq_hz +
				b->p[i]->size * c->freq_hz / a->copy_rate_Bps;
		b->latency[i] = 0;
	}
	b->batch_service = 0;
}

static void app_serving(const struct component *c, struct serving *out)
{
	const struct app_params *a = c->params;

	*out = (struct serving){ .servers = a->threads,
				 .shared_queue = a->dispatch == DISPATCH_SHARED,
				 .batch = 1,
				 .queue = a->queue };
}

static void app_bounds(const struct component *c, enum comp_dir dir, double size,
		       struct cost_bounds *out)
{
	const struct app_params *a = c->params;

	double copy = size * c->freq_hz / a->copy_rate_Bps;

	*out = (struct cost_bounds){ .mean = dist_mean(&a->service) * c->freq_hz + copy,
				     .min = dist_min(&a->service) * c->freq_hz + copy };
}

const struct component_ops app_ops = {
	.kind = "app",
	.place = PLACE_GUEST,
	.runs_on = "vCPUs",
	.summary = "application: a service time per packet on vCPUs, answering requests",
	.keys = app_keys,
	.nkeys = G_N_ELEMENTS(app_keys),
	.params_size = sizeof(struct app_params),
	.bounds = app_bounds,
	.process = app_process,
	.serving = app_serving,
};
