/* queue.c: growth of the packet pool and rings (see queue.h). */
#include "engine/queue.h"

void pool_init(struct pool *p, unsigned nvisit_max, bool refunds)
{
	memset(p, 0, sizeof(*p));
	p->chunks = g_ptr_array_new_with_free_func(g_free);
	p->visit_chunks = g_ptr_array_new_with_free_func(g_free);
	if (refunds)
		p->refund_chunks = g_ptr_array_new_with_free_func(g_free);
	p->nvisit_max = MAX(nvisit_max, 1);
}

void pool_grow(struct pool *p)
{
	struct pkt *chunk = g_new0(struct pkt, POOL_CHUNK);

	for (size_t i = 0; i < POOL_CHUNK; i++)
		chunk[i].slot = (uint32_t)(p->cap + i);
	g_ptr_array_add(p->chunks, chunk);
	g_ptr_array_add(p->visit_chunks, g_new(struct visit, (size_t)POOL_CHUNK * p->nvisit_max));
	if (p->refund_chunks)
		g_ptr_array_add(p->refund_chunks, g_new0(struct refund, POOL_CHUNK));
	p->cap += POOL_CHUNK;
	p->free_list = g_renew(struct pkt *, p->free_list, p->cap);
	/* hand out the chunk's packets in address order */
	for (size_t i = POOL_CHUNK; i-- > 0;)
		p->free_list[p->nfree++] = &chunk[i];
}

void pool_clear(struct pool *p)
{
	if (p->chunks)
		g_ptr_array_unref(p->chunks);
	if (p->visit_chunks)
		g_ptr_array_unref(p->visit_chunks);
	if (p->refund_chunks)
		g_ptr_array_unref(p->refund_chunks);
	g_free(p->free_list);
	memset(p, 0, sizeof(*p));
}

void pring_init(struct pring *r, unsigned cap)
{
	unsigned c = 16;

	while (c < cap)
		c <<= 1;
	r->buf = g_new(struct pkt *, c);
	r->cap = c;
	r->head = 0;
	r->len = 0;
}

void pring_grow(struct pring *r)
{
	struct pkt **nb = g_new(struct pkt *, r->cap * 2);

	for (unsigned i = 0; i < r->len; i++)
		nb[i] = pring_at(r, i);
	g_free(r->buf);
	r->buf = nb;
	r->head = 0;
	r->cap *= 2;
}

void pring_clear(struct pring *r)
{
	g_clear_pointer(&r->buf, g_free);
	r->cap = r->len = r->head = 0;
}
