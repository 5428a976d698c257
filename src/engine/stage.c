/* stage.c: the FIFO-server rules both engine modes share.
 *
 * A stage's servers take batches from their lanes (admission against the
 * queue bound, wake-up through the ring's hand-off, batching), ask the
 * components what a batch costs, account for it, and hand the packets on.
 * Window mode (window.c) and exact mode (exact.c) differ only in who
 * decides when a server starts and how its time passes; every rule about
 * what happens to packets is here, once.  Contracts: stage.h.
 */
#include "engine/stage.h"

#include <math.h>

/* A trace event of packet p at es, kind and time t (the rest zero). */
static inline struct trace_event trace_at(const struct estage *es, enum trace_kind kind,
					  const struct pkt *p, double t)
{
	return (struct trace_event){ .kind = kind,
				     .path = es->ep->path,
				     .pkt = p,
				     .stage = es->st->name,
				     .stage_index = es->order,
				     .runs_on = es->st->runs_on,
				     .t = t };
}

static inline unsigned lane_of(const struct estage *es, const struct pkt *p)
{
	if (es->nlanes == 1)
		return 0;
	/* RSS spreads flows with a hash of their 5-tuple: a multiplicative
	 * hash of the flow number stands in for it */
	uint32_t h = p->flow * 0x9e3779b1u;
	return (h >> 16) % es->nlanes;
}

/* Lanes whose waiting server a push concerns.  Wake-ups wait until the
 * producer has handed on its whole batch (or the driver its whole window):
 * sg_sem_release() is a simcall, so the woken server would otherwise run
 * before the rest of the burst is there, where the real consumer's poll
 * sees the burst at once. */
static struct lane *to_wake[64];
static unsigned nwake;

void estage_wake_flush(void)
{
	for (unsigned i = 0; i < nwake; i++) {
		/* every server waiting on a shared lane plans again */
		for (int k = 0; k < MAX(to_wake[i]->waiters, 1); k++)
			sg_sem_release(to_wake[i]->sem);
		to_wake[i]->wake_queued = false;
	}
	nwake = 0;
}

void estage_push(struct estage *es, struct pkt *p)
{
	struct lane *l = &es->lanes[lane_of(es, p)];
	const struct engine_tracer *tr = es->ep->sim->tracer;

	if (G_UNLIKELY(tr)) {
		struct trace_event ev = trace_at(es, TRACE_ARRIVE, p, p->t);

		tr->event(tr->data, &ev);
	}
	pring_insert(&l->in, p);
	/* wake a waiting server only if this packet changes its plan (several
	 * servers on one lane plan apart: wake one, which passes it on) */
	if (es->exact && l->waiters > 0 && (p->t < l->planned || l->waiters > 1) &&
	    !l->wake_queued) {
		if (nwake == G_N_ELEMENTS(to_wake))
			estage_wake_flush();
		l->wake_queued = true;
		to_wake[nwake++] = l;
	}
}

static void dheap_push(struct estage *es, double d)
{
	unsigned i = es->dheap_len++;

	while (i > 0 && es->dheap[(i - 1) / 2] > d) {
		es->dheap[i] = es->dheap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	es->dheap[i] = d;
}

static void dheap_pop(struct estage *es)
{
	double last = es->dheap[--es->dheap_len];
	unsigned i = 0;

	for (;;) {
		unsigned c = 2 * i + 1;

		if (c >= es->dheap_len)
			break;
		if (c + 1 < es->dheap_len && es->dheap[c + 1] < es->dheap[c])
			c++;
		if (last <= es->dheap[c])
			break;
		es->dheap[i] = es->dheap[c];
		i = c;
	}
	es->dheap[i] = last;
}

/* Whether p may join the queue: a bounded queue drops a packet when the
 * capacity-th packet accepted before it has not left yet.  in_batch packets
 * of the batch being formed are accepted and have not left. */
bool lane_admit(struct estage *es, struct lane *l, struct pkt *p, unsigned in_batch)
{
	const unsigned q = es->capacity;

	if (!q)
		return true;
	/* packets of batches in service hold places too (exact mode: another
	 * server may form a batch while one is being served) */
	const unsigned held = in_batch + l->in_service;

	if (held >= q)
		return false;
	if (es->dheap) {
		while (es->dheap_len && es->dheap[0] <= p->t)
			dheap_pop(es);
		return es->dheap_len + held < q;
	}
	unsigned need = q - held;

	if (l->dep_len < need)
		return true;
	return l->dep[(l->dep_head + l->dep_len - need) % q] <= p->t;
}

/* Record that n accepted packets leave at end. */
void lane_commit(struct estage *es, struct lane *l, unsigned n, double end)
{
	const unsigned q = es->capacity;

	l->in_service -= n;
	if (!q)
		return;
	if (es->dheap) {
		for (unsigned i = 0; i < n; i++)
			dheap_push(es, end);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		if (l->dep_len == q) {
			l->dep[l->dep_head] = end;
			l->dep_head = (l->dep_head + 1) % q;
		} else {
			l->dep[(l->dep_head + l->dep_len) % q] = end;
			l->dep_len++;
		}
	}
}

/* When service can start for the packet at the head of l, arrived at a0
 * while the server was idle: after the wake-up of the ring it came by
 * (an interrupt at the moderation timer or frame count, then its latency).
 * known is FALSE when that depends on arrivals past horizon. */
double lane_wake_time(struct estage *es, struct lane *l, double a0, bool *known, double horizon)
{
	const struct hop *h = pkt_hop(es->ep, pring_head(&l->in));
	const struct handoff *ho = &h->in;

	*known = true;
	if (!es->cpu)
		return a0;
	double usecs = ho->usecs;

	if (ho->adaptive && ho->frames > 0 && l->ewma_gap > 0) {
		/* like DIM: full moderation once frames packets arrive within
		 * the timer, proportionally less below that rate */
		double fill = usecs / (l->ewma_gap * ho->frames);

		if (fill < 1)
			usecs *= fill;
	}
	double t = INFINITY;

	if (usecs > 0)
		t = a0 + usecs;
	if (ho->frames > 1) {
		if (l->in.len >= ho->frames)
			t = MIN(t, pring_at(&l->in, ho->frames - 1)->t);
	} else if (ho->frames == 1 || usecs <= 0) {
		t = a0;
	}
	if (!(t < horizon))
		*known = false;
	if (!ho->latency)
		return t;
	/* one draw per wake-up, however often the start is asked for, keyed
	 * by the packet that causes it */
	const struct pkt *head = pring_head(&l->in);
	/* the lane, the packet, and where it is on its way: a request and
	 * its response at one stage are woken apart */
	const uint64_t key = rng_hash(rng_hash(l->key, head->key), (uint64_t)head->route << 16 | head->hop) | 1;

	if (l->drawn != key) {
		struct rng r;

		rng_key(&r, key);
		l->wake_draw = dist_sample(ho->latency, &r);
		l->drawn = key;
	}
	return t + l->wake_draw;
}

/* The share of a batch served from start to end that falls within the
 * measured time (one instant: 1 within it, else 0). */
static double measured_share(const struct sim *sim, double start, double end)
{
	const double from = MAX(start, sim->warmup), to = MIN(end, sim->duration);

	return end > start ? MAX(0, to - from) / (end - start)
			   : (start >= sim->warmup && start < sim->duration);
}

/* VM v's cycles at CPU stage es: own of a batch served from start to end,
 * share of it within the measured time. */
static void vm_cycles(struct estage *es, int v, double own, double share, double start,
		      double end)
{
	struct epath *ep = es->ep;

	if (ep->vm_shares)
		es->vm[v].cycles += own * share;
	/* host and guest CPU are each VM's own and its host's: a VM peer's
	 * stages have figures of their own but count in neither */
	if (es->st->measured) {
		if (es->st->place == PLACE_HOST)
			ep->vms[v].host_cycles += own * share;
		else
			ep->vms[v].guest_cycles += own * share;
		if (G_UNLIKELY(ep->sim->tracking))
			series_cpu(ep->sim, &ep->vms[v], es->st->place == PLACE_HOST, start, end, own);
	}
}

/* es's ring refused p: the copy into it that the stage before charged
 * (struct refund) did not happen.  Its cycles are taken back from that
 * stage's figures, as its accounting charged them; its busy time stays
 * (docs/metrics.md, "CPU"). */
static void refund_copy(struct estage *es, const struct pkt *p)
{
	struct epath *ep = es->ep;
	struct refund *rf = pool_refund(&ep->pool, p);

	if (rf->units == 0)
		return;
	struct estage *by = &ep->stages[pkt_route(ep, p)->hops[p->hop - 1].stage];
	const double start = p->t - rf->since_start, end = p->t - rf->since_end;
	const double share = measured_share(ep->sim, start, end);
	const int v = pkt_vm(ep, p);

	by->cycles -= rf->units * share;
	if (v >= 0)
		vm_cycles(by, v, -rf->units, share, start, end);
	rf->units = 0;
}

void estage_drop(struct estage *es, struct pkt *p)
{
	struct epath *ep = es->ep;
	const int v = pkt_vm(ep, p);

	if (G_UNLIKELY(es->ring_fed))
		refund_copy(es, p);

	/* the stage's count: every drop within the measured time, as its
	 * packets count every departure; the path's: measured packets, for
	 * conservation */
	if (p->t >= ep->sim->warmup && p->t < ep->sim->duration) {
		es->drops++;
		if (v >= 0)
			es->vm[v].drops++;
	}
	if (p->flags & PKT_MEASURED)
		ep->vms[v].dropped++;
	if (G_UNLIKELY(ep->sim->tracking) && v >= 0)
		series_drop(ep->sim, &ep->vms[v], p->t);
	if (G_UNLIKELY(ep->sim->tracer)) {
		struct trace_event ev = trace_at(es, TRACE_DROP, p, p->t);

		ep->sim->tracer->event(ep->sim->tracer->data, &ev);
	}
	struct esource *src = &ep->sources[p->source];
	source_on_done(src->src, p, p->t, false);
	pool_put(&ep->pool, p);
}

/* Take into b the packets of l that have arrived by start, up to the
 * stage's batch, dropping those its queue refuses; the gaps between them
 * feed adaptive moderation.  Both modes form their batches here. */
void lane_take(struct estage *es, struct lane *l, double start, struct pkt_batch *b)
{
	const unsigned max = es->st->serving.batch;

	b->n = 0;
	while (l->in.len && b->n < max) {
		struct pkt *p = pring_head(&l->in);

		if (p->t > start)
			break;
		pring_pop(&l->in);
		/* nothing crosses a link that is down (link_down) */
		if (!lane_admit(es, l, p, b->n) ||
		    (G_UNLIKELY(es->link && es->ep->ndown) && events_link_down(es->ep, p->t))) {
			estage_drop(es, p);
			continue;
		}
		/* the copy into the ring happened */
		if (G_UNLIKELY(es->ring_fed))
			pool_refund(&es->ep->pool, p)->units = 0;
		if (l->last_arrival > 0)
			l->ewma_gap += (p->t - l->last_arrival - l->ewma_gap) / 8;
		l->last_arrival = p->t;
		b->p[b->n++] = p;
	}
	l->in_service += b->n;
}

/* ----------------------------------------------------------------- cost */

/* Component copy_c of hop h (-1: none) copies into the next stage's
 * ring: its per-packet units go to copy as well. */
static void call_components(const struct hop *h, int copy_c, struct pkt_batch *b, double start,
			    struct batch_cost *x, double *batch_units, const unsigned *idx)
{
	for (unsigned c = 0; c < h->ncomp; c++) {
		struct component *comp = h->comp[c];

		comp->ops->process(comp, h->dir, b, start);
		for (unsigned i = 0; i < b->n; i++) {
			unsigned j = idx ? idx[i] : i;

			x->units_pp[j] += b->service[i];
			x->lat[j] += b->latency[i];
			if ((int)c == copy_c)
				x->copy[j] = b->service[i];
		}
		*batch_units += b->batch_service;
	}
}

/* The component of p's hop that copies into the next stage's ring, -1:
 * none. */
static inline int ring_copy_of(const struct epath *ep, const struct pkt *p)
{
	return ep->ring_copy ? ep->ring_copy[p->route][p->hop] : -1;
}

/* What serving b from start costs: fills x's per-packet latency and
 * units, its totals, and b->reroute; returns seconds. */
static double estage_cost(struct estage *es, struct pkt_batch *b, double start,
			  struct batch_cost *x)
{
	struct epath *ep = es->ep;
	double batch_units = 0;
	const struct hop *h0 = pkt_hop(ep, b->p[0]);
	bool same = true;

	for (unsigned i = 0; i < b->n; i++) {
		x->units_pp[i] = 0;
		x->lat[i] = 0;
		x->copy[i] = 0;
		b->reroute[i] = 0;
		if (pkt_hop(ep, b->p[i]) != h0)
			same = false;
	}
	if (same) {
		call_components(h0, ring_copy_of(ep, b->p[0]), b, start, x, &batch_units, NULL);
	} else {
		/* packets on different hops (rx and tx through one vSwitch):
		 * each group through its own components */
		static struct pkt_batch sub;
		static unsigned idx[BATCH_MAX];
		bool done[BATCH_MAX] = { false };

		for (unsigned i = 0; i < b->n; i++) {
			if (done[i])
				continue;
			const struct hop *h = pkt_hop(ep, b->p[i]);

			sub.n = 0;
			sub.server = b->server;
			sub.busy = b->busy;
			for (unsigned j = i; j < b->n; j++)
				if (!done[j] && pkt_hop(ep, b->p[j]) == h) {
					sub.p[sub.n] = b->p[j];
					sub.reroute[sub.n] = 0;
					idx[sub.n++] = j;
					done[j] = true;
				}
			call_components(h, ring_copy_of(ep, b->p[i]), &sub, start, x, &batch_units, idx);
			for (unsigned k = 0; k < sub.n; k++)
				b->reroute[idx[k]] = sub.reroute[k];
		}
	}
	double total = batch_units;

	for (unsigned i = 0; i < b->n; i++)
		total += x->units_pp[i];
	x->units = total;
	x->batch_units = batch_units;
	return total * es->sec_per_unit;
}

/* ----------------------------------------------------------- departures */

/* p, counted and delivered at t on route r, adds the times it spent at
 * each stage since its latency began to the path's budget.  The last
 * stage counts up to t: its queue and wake-up when the application takes
 * it (recv), its service too when it ends there, its delay too when it
 * ends on arrival at a remote end. */
static void budget_add(struct epath *ep, struct evm *vm, const struct pkt *p,
		       const struct route *r)
{
	const struct visit *v = pool_visits(&ep->pool, p);
	const unsigned last = p->nvisits - 1u;

	for (unsigned i = p->visit_t0; i <= last; i++) {
		struct budget_acc *a = &vm->budget[v[i].stage];

		a->wait += v[i].wait;
		a->wake += v[i].wake;
		if (i < last || !r->deliver_at_start)
			a->service += v[i].service;
		if (i < last || r->end == END_DELIVER_AFTER)
			a->delay += v[i].delay;
	}
	vm->budget_n++;
}

/* Whether p, at the last hop of its route (not diverted there), is
 * delivered when its batch starts: the application's recv() takes it. */
static inline bool ends_at_start(const struct epath *ep, const struct pkt *p, bool diverted)
{
	const struct route *r = pkt_route(ep, p);

	return r->end == END_DELIVER && r->deliver_at_start && p->hop + 1u == r->n &&
	       !(diverted && r->hops[p->hop].alt_route >= 0);
}

bool estage_delivered_at_start(const struct estage *es, const struct pkt_batch *b, unsigned i)
{
	return es->delivers_at_start && ends_at_start(es->ep, b->p[i], b->reroute[i]);
}

/* p's route ends at t: its latency, budget and delivery counted, its
 * source told (a closed loop's next request follows from t). */
static void deliver(struct estage *es, struct pkt *p, const struct route *r, double t)
{
	struct epath *ep = es->ep;
	struct esource *src = &ep->sources[p->source];
	const int v = pkt_vm(ep, p);

	if (p->flags & PKT_MEASURED) {
		struct evm *vm = &ep->vms[v];

		vm->delivered++;
		path_result_record_latency(vm->out, t - p->t0);
		budget_add(ep, vm, p, r);
	}
	if (t >= ep->sim->warmup && t < ep->sim->duration && v >= 0) {
		struct evm *vm = &ep->vms[v];

		vm->delivered_in++;
		if (!source_data_in_requests(src->src))
			vm->delivered_in_bytes += p->size;
		if (G_UNLIKELY(ep->sim->tracking))
			series_deliver(ep->sim, vm, t, t - p->t0, p->size);
	}
	source_on_done(src->src, p, t, true);
}

/* The delivery of p at t, counted already, to the tracer; p recycled. */
static void delivered(struct estage *es, struct pkt *p, const struct route *r, double t)
{
	struct epath *ep = es->ep;
	const struct engine_tracer *tr = ep->sim->tracer;

	if (G_UNLIKELY(tr)) {
		struct trace_event ev = trace_at(es, TRACE_DELIVER, p, t);

		ev.counted = (p->flags & PKT_MEASURED) != 0;
		ev.latency = t - p->t0;
		ev.route = r->name;
		tr->event(tr->data, &ev);
	}
	pool_put(&ep->pool, p);
}

/* The stage's visit of p, for the latency budget: queued from its arrival
 * until a server was ready, then waiting for the wake-up if the server had
 * been idle, then served, then its delay after service. */
static inline void visit_add(struct epath *ep, struct estage *es, struct pkt *p, double ready,
		      double start, double end, double delay)
{
	const double w0 = MAX(p->t, ready);
	struct visit *v = &pool_visits(&ep->pool, p)[p->nvisits++];

	g_assert(p->nvisits <= ep->pool.nvisit_max);
	*v = (struct visit){ .stage = es->order,
			     .wait = (float)(w0 - p->t),
			     .wake = (float)(start - w0),
			     .service = (float)(end - start),
			     .delay = (float)delay };
}

static void route_end(struct estage *es, struct pkt *p, const struct route *r, double start,
		      double end, double next_t)
{
	struct epath *ep = es->ep;
	struct esource *src = &ep->sources[p->source];
	const struct engine_tracer *tr = ep->sim->tracer;

	switch (r->end) {
	case END_DELIVER:
	case END_DELIVER_AFTER: {
		/* sent when its last bit leaves; at a remote client on arrival
		 * (received when recv() takes it: delivered at the batch's
		 * start, estage_begin()) */
		double t = r->end == END_DELIVER_AFTER ? next_t : end;

		deliver(es, p, r, t);
		delivered(es, p, r, t);
		return;
	}
	case END_RESPOND: {
		const struct route *nr = ep->pl->routes->pdata[r->next_route];

		/* a response is a packet of its own: it opens no connection
		 * (SYN) and has not come through the synthetic vNIC; it keeps
		 * its flow, counting and ownership flags */
		p->flags = (uint16_t)((p->flags | PKT_RESPONSE) & ~(PKT_SYN | PKT_SYNTHETIC));
		/* tcp: the data is the request's, its response an ACK */
		if (source_data_in_requests(src->src) && end >= ep->sim->warmup &&
		    end < ep->sim->duration && pkt_vm(ep, p) >= 0)
			ep->vms[pkt_vm(ep, p)].delivered_in_bytes += p->size;
		p->size = source_response_size(src->src, p);
		p->route = (uint16_t)r->next_route;
		p->hop = 0;
		p->t = r->respond_after ? next_t : end;
		if (G_UNLIKELY(tr)) {
			struct trace_event ev = trace_at(es, TRACE_RESPOND, p, end);

			ev.route = r->name;
			ev.to_route = nr->name;
			tr->event(tr->data, &ev);
		}
		estage_push(&ep->stages[nr->hops[0].stage], p);
		return;
	}
	case END_SINK:
		pool_put(&ep->pool, p);
		return;
	}
}

double estage_begin(struct estage *es, unsigned server, struct pkt_batch *b, double ready,
		    double start, bool busy, struct batch_cost *x)
{
	const struct engine_tracer *tr = es->ep->sim->tracer;

	b->server = server;
	b->busy = busy;

	if (G_UNLIKELY(tr)) {
		struct trace_event ev = trace_at(es, TRACE_WAKE, b->p[0], start);

		ev.server = server;
		ev.ready = ready;
		ev.arrive = b->p[0]->t;
		if (ready < start)
			tr->event(tr->data, &ev);
		ev.kind = TRACE_BATCH;
		ev.batch = b->n;
		tr->event(tr->data, &ev);
	}
	const double svc = estage_cost(es, b, start, x);
	struct epath *ep = es->ep;

	/* the application's recv() takes a packet when its batch starts: the
	 * packet is delivered then, and a closed loop's next request follows
	 * from then, in exact mode too, where the batch ends later in
	 * SimGrid's time */
	for (unsigned i = 0; es->delivers_at_start && i < b->n; i++) {
		struct pkt *p = b->p[i];

		if (!ends_at_start(ep, p, b->reroute[i]))
			continue;
		if (p->flags & PKT_MEASURED)
			visit_add(ep, es, p, ready, start, start, x->lat[i]);
		deliver(es, p, pkt_route(ep, p), start);
	}
	return svc;
}

/* The n packets of b leave the stage at end (served from start); each
 * moves to its next hop after its latency. */
static void estage_depart(struct estage *es, unsigned server, struct pkt_batch *b,
			  const struct batch_cost *x, double ready, double start, double end)
{
	struct epath *ep = es->ep;
	const struct engine_tracer *tr = ep->sim->tracer;
	const bool in = end >= ep->sim->warmup && end < ep->sim->duration;

	for (unsigned i = 0; i < b->n; i++) {
		struct pkt *p = b->p[i];
		const struct route *r = pkt_route(ep, p);
		const struct hop *h = &r->hops[p->hop];
		const double next_t = end + x->lat[i];
		/* it queued until a server was ready, then waited for the
		 * wake-up if the server had been idle */
		const double w0 = MAX(p->t, ready);

		if (in) {
			es->packets++;
			es->sojourn += end - p->t;
			if (ep->vm_shares || es->st->place == PLACE_HOST) {
				const int v = pkt_vm(ep, p);

				if (v >= 0) {
					es->vm[v].packets++;
					if (ep->vm_shares)
						es->vm[v].sojourn += end - p->t;
				}
			}
		}
		const bool at_start = es->delivers_at_start && ends_at_start(ep, p, b->reroute[i]);

		if ((p->flags & PKT_MEASURED) && !at_start)
			visit_add(ep, es, p, ready, start, end, x->lat[i]);
		if (G_UNLIKELY(tr)) {
			struct trace_event ev = trace_at(es, TRACE_DEPART, p, end);

			ev.server = server;
			ev.arrive = p->t;
			ev.ready = w0;
			ev.start = start;
			ev.end = end;
			ev.delay = x->lat[i];
			ev.cycles = x->units_pp[i];
			ev.batch = b->n;
			tr->event(tr->data, &ev);
		}
		if (at_start) {
			/* delivered when the batch started (estage_begin()) */
			delivered(es, p, r, start);
			continue;
		}
		if (b->reroute[i] && h->alt_route >= 0) {
			if (G_UNLIKELY(tr)) {
				struct trace_event ev = trace_at(es, TRACE_DIVERT, p, end);

				ev.route = r->name;
				ev.to_route = ((const struct route *)ep->pl->routes->pdata[h->alt_route])->name;
				tr->event(tr->data, &ev);
			}
			p->route = (uint16_t)h->alt_route;
			p->hop = (uint16_t)h->alt_hop;
			r = pkt_route(ep, p);
		} else {
			/* a copy into the next stage's ring is taken back if the
			 * ring refuses the frame */
			if (x->copy[i] > 0)
				*pool_refund(&ep->pool, p) = (struct refund){
					.units = x->copy[i],
					.since_start = (float)(next_t - start),
					.since_end = (float)(next_t - end),
				};
			p->hop++;
		}
		/* latency from an external sender starts at the NIC */
		if (p->hop == r->latency_from) {
			p->t0 = next_t;
			p->visit_t0 = p->nvisits;
		}
		if (p->hop < r->n) {
			p->t = next_t;
			estage_push(&ep->stages[r->hops[p->hop].stage], p);
		} else {
			route_end(es, p, r, start, end, next_t);
		}
	}
}

/* VM v's part of batch b: its packets' units and its share of the
 * batch's own (neighbours' packets are no VM's). */
static void vm_part(struct estage *es, int v, double own, double busy, double share,
		    const struct batch_cost *x, double start, double end)
{
	struct epath *ep = es->ep;

	if (ep->vm_shares && x->units > 0)
		es->vm[v].busy += busy * (own / x->units);
	if (es->cpu)
		vm_cycles(es, v, own, share, start, end);
}

/* Charge batch b, served from start to end, to the stage's, its VMs' and
 * their paths' figures, within the measured time only; and, in window
 * mode, to its host's SimGrid charge. */
static void estage_account(struct estage *es, const struct pkt_batch *b,
			   const struct batch_cost *x, double start, double end)
{
	struct epath *ep = es->ep;
	struct sim *sim = ep->sim;
	const double share = measured_share(sim, start, end);
	const double busy = MAX(0, MIN(end, sim->duration) - MAX(start, sim->warmup));
	unsigned nt = 0;

	es->busy += busy;
	if (ep->nvms == 1) {
		/* the one VM: its packets' units, a neighbour's aside */
		double mine = 0;
		unsigned nmine = 0;

		for (unsigned i = 0; i < b->n; i++)
			if (!(b->p[i]->flags & PKT_NEIGHBOUR)) {
				mine += x->units_pp[i];
				nmine++;
			}
		if (nmine)
			vm_part(es, 0, mine + x->batch_units * nmine / b->n, busy, share, x, start,
				end);
		goto charge;
	}
	/* the VMs in the batch (mostly one), without clearing a table of
	 * every VM per batch */
	for (unsigned i = 0; i < b->n; i++) {
		const int v = pkt_vm(ep, b->p[i]);

		if (v < 0)
			continue;
		if (!ep->vm_cnt[v]++)
			ep->vm_touched[nt++] = (unsigned)v;
		ep->vm_acc[v] += x->units_pp[i];
	}
	for (unsigned j = 0; j < nt; j++) {
		const unsigned v = ep->vm_touched[j];
		const double own = ep->vm_acc[v] + x->batch_units * ep->vm_cnt[v] / b->n;

		ep->vm_acc[v] = 0;
		ep->vm_cnt[v] = 0;
		vm_part(es, (int)v, own, busy, share, x, start, end);
	}
charge:
	if (!es->cpu)
		return;
	es->cycles += x->units * share;
	if (!es->exact && es->res)
		es->res->pending += x->units / es->res->freq;
}

void estage_finish(struct estage *es, struct lane *l, unsigned server, struct pkt_batch *b,
		   const struct batch_cost *x, double ready, double start, double end)
{
	lane_commit(es, l, b->n, end);
	estage_account(es, b, x, start, end);
	estage_depart(es, server, b, x, ready, start, end);
}
