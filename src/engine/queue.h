/* queue.h: the engine's packet pool and its time-sorted queues.
 *
 * Packets live in a pool allocated in chunks that never move; a run takes
 * and returns packets through a free list, so the per-packet path allocates
 * nothing (the pool grows by a chunk only when more packets are in flight
 * than ever before).
 *
 * A stage's input is a ring of packets sorted by arrival time.  Arrivals
 * come nearly in order (a FIFO upstream emits in order; only merges and
 * varying latencies shuffle them), so an insertion walks back from the tail
 * and usually stops at once.  Rings grow by doubling, also rarely. */
#ifndef ACCELSIM_QUEUE_H
#define ACCELSIM_QUEUE_H

#include <glib.h>
#include <string.h>

#include "model/component.h"

#define POOL_CHUNK 4096

/* What a packet did at one stage it left, for the latency budget: the
 * stage, and the seconds it spent queued, waiting for the wake-up,
 * served (its batch's service), and in the delay after service. */
struct visit {
	uint32_t stage;
	float wait, wake, service, delay;
};

/* A copy into the next stage's ring that the ring may still refuse (the
 * vNIC's host-side copy into the guest's channel): its cycles (units),
 * charged by the stage before on the packet's route for a batch that
 * started and ended since_start and since_end seconds before the packet
 * reached the ring's stage, are taken back if the ring refuses the frame.
 * units 0: nothing pending.  Small: one is written per frame copied. */
struct refund {
	double units;
	float since_start, since_end;
};

struct pool {
	GPtrArray *chunks;	/* struct pkt[POOL_CHUNK] each */
	GPtrArray *visit_chunks;/* struct visit[POOL_CHUNK][nvisit_max] each */
	GPtrArray *refund_chunks;/* struct refund[POOL_CHUNK] each; NULL: none */
	unsigned nvisit_max;	/* most stages a packet can leave */
	struct pkt **free_list;	/* stack of free packets */
	size_t nfree, cap;
	size_t in_use, peak;
};

/* An empty pool whose packets each have room for nvisit_max visits, and
 * for a pending refund if refunds. */
void pool_init(struct pool *p, unsigned nvisit_max, bool refunds);
void pool_clear(struct pool *p);
void pool_grow(struct pool *p);

static inline struct pkt *pool_get(struct pool *p)
{
	if (G_UNLIKELY(p->nfree == 0))
		pool_grow(p);
	p->in_use++;
	if (p->in_use > p->peak)
		p->peak = p->in_use;
	return p->free_list[--p->nfree];
}

/* The visits of packet k (room for p->nvisit_max). */
static inline struct visit *pool_visits(const struct pool *p, const struct pkt *k)
{
	struct visit *chunk = p->visit_chunks->pdata[k->slot / POOL_CHUNK];

	return chunk + (size_t)(k->slot % POOL_CHUNK) * p->nvisit_max;
}

/* The pending refund of packet k (the pool must keep refunds). */
static inline struct refund *pool_refund(const struct pool *p, const struct pkt *k)
{
	struct refund *chunk = p->refund_chunks->pdata[k->slot / POOL_CHUNK];

	return &chunk[k->slot % POOL_CHUNK];
}

static inline void pool_put(struct pool *p, struct pkt *k)
{
	p->in_use--;
	p->free_list[p->nfree++] = k;
}

struct pring {
	struct pkt **buf;
	unsigned cap;		/* power of two */
	unsigned head;
	unsigned len;
};

void pring_init(struct pring *r, unsigned cap);
void pring_clear(struct pring *r);
void pring_grow(struct pring *r);

static inline struct pkt *pring_at(const struct pring *r, unsigned i)
{
	return r->buf[(r->head + i) & (r->cap - 1)];
}

static inline struct pkt *pring_head(const struct pring *r)
{
	return r->buf[r->head];
}

static inline struct pkt *pring_pop(struct pring *r)
{
	struct pkt *k = r->buf[r->head];

	r->head = (r->head + 1) & (r->cap - 1);
	r->len--;
	return k;
}

/* Insert k keeping the ring sorted by k->t; equal times are ordered by
 * the packets' keys, so ties come out the same whatever order the engine
 * computed them in (window and exact mode alike). */
static inline void pring_insert(struct pring *r, struct pkt *k)
{
	if (G_UNLIKELY(r->len == r->cap))
		pring_grow(r);
	unsigned mask = r->cap - 1;
	unsigned i = r->len;

	while (i > 0) {
		struct pkt *prev = r->buf[(r->head + i - 1) & mask];

		if (prev->t < k->t || (prev->t == k->t && prev->key <= k->key))
			break;
		r->buf[(r->head + i) & mask] = prev;
		i--;
	}
	r->buf[(r->head + i) & mask] = k;
	r->len++;
}

#endif
