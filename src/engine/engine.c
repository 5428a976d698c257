/* engine.c: push both paths' packets through their stages, window by window.
 *
 * One driver actor advances model time in windows.  Each window it creates
 * the packets born in it and lets every stage, in the pipeline's order,
 * serve the arrivals before the window's end (its horizon): a FIFO server
 * by Lindley's recursion, taking batches (up to the stage's batch size, of
 * what has arrived when service starts), woken through the handoff of the
 * ring it reads (interrupt moderation, notifications) when idle, with
 * several servers sharing one queue or each its own (RSS).  Departures are
 * known exactly when they are computed, so nothing here is approximate.
 * CPU time is charged to SimGrid once per window per host, and stages on
 * hosts where executes would share cores run as actors instead (exact.c).
 * docs/engine.md explains why each part is exact and what it costs.
 */
#include "engine/engine.h"

#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/vm.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/log.h>

#include "core/msg.h"
#include "engine/internal.h"
#include "pipeline/platform.h"

static struct engine_stats last_stats;

/* SIGINT: ask the driver to stop; a second one ends the process. */
static volatile sig_atomic_t *stop_flag;

static void on_sigint(int sig)
{
	if (stop_flag)
		*stop_flag = 1;
	signal(sig, SIG_DFL);
}

const struct engine_stats *engine_last_stats(void)
{
	return &last_stats;
}

/* ---------------------------------------------------------------- lanes */

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
		to_wake[i]->wake_queued = false;
		sg_sem_release(to_wake[i]->sem);
	}
	nwake = 0;
}

void estage_push(struct estage *es, struct pkt *p)
{
	struct lane *l = &es->lanes[lane_of(es, p)];

	pring_insert(&l->in, p);
	/* wake a waiting server only if this packet changes its plan */
	if (es->exact && l->waiters > 0 && p->t < l->planned && !l->wake_queued) {
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
	if (in_batch >= q)
		return false;
	if (es->dheap) {
		while (es->dheap_len && es->dheap[0] <= p->t)
			dheap_pop(es);
		return es->dheap_len + in_batch < q;
	}
	unsigned need = q - in_batch;

	if (l->dep_len < need)
		return true;
	return l->dep[(l->dep_head + l->dep_len - need) % q] <= p->t;
}

/* Record that n accepted packets leave at end. */
void lane_commit(struct estage *es, struct lane *l, unsigned n, double end)
{
	const unsigned q = es->capacity;

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
	/* one draw per wake-up, however often the start is asked for */
	if (!l->drawn) {
		l->wake_draw = dist_sample(ho->latency, &l->rng);
		l->drawn = true;
	}
	return t + l->wake_draw;
}

void estage_drop(struct estage *es, struct pkt *p)
{
	struct epath *ep = es->ep;

	/* the stage's count: every drop within the measured time, as its
	 * packets count every departure; the path's: measured packets, for
	 * conservation */
	if (p->t >= ep->sim->warmup && p->t < ep->sim->duration)
		es->drops++;
	if (p->flags & PKT_MEASURED)
		ep->dropped++;
	struct esource *src = &ep->sources[p->source];
	source_on_done(src->src, p->conn, p->t, false);
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
		if (!lane_admit(es, l, p, b->n)) {
			estage_drop(es, p);
			continue;
		}
		if (l->last_arrival > 0)
			l->ewma_gap += (p->t - l->last_arrival - l->ewma_gap) / 8;
		l->last_arrival = p->t;
		b->p[b->n++] = p;
	}
}

/* ----------------------------------------------------------------- cost */

static void call_components(struct estage *es, unsigned server, const struct hop *h,
			    struct pkt_batch *b, double start, double *acc, double *lat,
			    double *batch_units, const unsigned *idx)
{
	for (unsigned c = 0; c < h->ncomp; c++) {
		struct component *comp = h->comp[c];
		unsigned k = 0;

		while (es->comps[k] != comp)
			k++;
		/* lend the component this server's stream */
		struct rng *mine = &es->rngs[server * es->ncomps + k];
		struct rng saved = comp->rng;

		comp->rng = *mine;
		comp->ops->process(comp, h->dir, b, start);
		*mine = comp->rng;
		comp->rng = saved;
		for (unsigned i = 0; i < b->n; i++) {
			unsigned j = idx ? idx[i] : i;

			acc[j] += b->service[i];
			lat[j] += b->latency[i];
		}
		*batch_units += b->batch_service;
	}
}

/* What serving b from start costs: returns seconds, fills each packet's
 * latency after service and units (cycles for CPU stages). */
double estage_cost(struct estage *es, unsigned server, struct pkt_batch *b, double start,
		   double *lat, double *units, double *own)
{
	struct epath *ep = es->ep;
	double acc[BATCH_MAX];
	double batch_units = 0;
	const struct hop *h0 = pkt_hop(ep, b->p[0]);
	bool same = true;

	for (unsigned i = 0; i < b->n; i++) {
		acc[i] = 0;
		lat[i] = 0;
		b->reroute[i] = 0;
		if (pkt_hop(ep, b->p[i]) != h0)
			same = false;
	}
	if (same) {
		call_components(es, server, h0, b, start, acc, lat, &batch_units, NULL);
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
			for (unsigned j = i; j < b->n; j++)
				if (!done[j] && pkt_hop(ep, b->p[j]) == h) {
					sub.p[sub.n] = b->p[j];
					sub.reroute[sub.n] = 0;
					idx[sub.n++] = j;
					done[j] = true;
				}
			call_components(es, server, h, &sub, start, acc, lat, &batch_units, idx);
			for (unsigned k = 0; k < sub.n; k++)
				b->reroute[idx[k]] = sub.reroute[k];
		}
	}
	double total = batch_units, mine = 0;
	unsigned nmine = 0;

	for (unsigned i = 0; i < b->n; i++) {
		total += acc[i];
		if (!(b->p[i]->flags & PKT_NEIGHBOUR)) {
			mine += acc[i];
			nmine++;
		}
	}
	*units = total;
	/* the measured VM's share: its packets and its part of the batch */
	*own = mine + batch_units * nmine / b->n;
	return total * es->sec_per_unit;
}

/* ----------------------------------------------------------- departures */

static void route_end(struct epath *ep, struct pkt *p, const struct route *r, double start,
		      double end, double next_t)
{
	struct esource *src = &ep->sources[p->source];

	switch (r->end) {
	case END_DELIVER:
	case END_DELIVER_AFTER: {
		/* received by the application when its recv() takes the packet;
		 * sent when its last bit leaves; at a remote client on arrival */
		double t = r->end == END_DELIVER_AFTER ? next_t : r->deliver_at_start ? start : end;

		if (p->flags & PKT_MEASURED) {
			ep->delivered++;
			path_result_record_latency(ep->out, t - p->t0);
		}
		if (t >= ep->sim->warmup && t < ep->sim->duration && !(p->flags & PKT_NEIGHBOUR)) {
			ep->delivered_in++;
			ep->delivered_in_bytes += p->size;
		}
		source_on_done(src->src, p->conn, t, true);
		pool_put(&ep->pool, p);
		return;
	}
	case END_RESPOND: {
		const struct route *nr = ep->pl->routes->pdata[r->next_route];

		p->flags |= PKT_RESPONSE;
		p->size = source_response_size(src->src);
		p->route = (uint16_t)r->next_route;
		p->hop = 0;
		p->t = end;
		estage_push(&ep->stages[nr->hops[0].stage], p);
		return;
	}
	case END_SINK:
		pool_put(&ep->pool, p);
		return;
	}
}

/* The n packets of b leave the stage at end (served from start); each
 * moves to its next hop after its latency. */
void estage_depart(struct estage *es, struct pkt_batch *b, const double *lat, double start,
		   double end)
{
	struct epath *ep = es->ep;
	const bool in = end >= ep->sim->warmup && end < ep->sim->duration;

	for (unsigned i = 0; i < b->n; i++) {
		struct pkt *p = b->p[i];
		const struct route *r = pkt_route(ep, p);
		const struct hop *h = &r->hops[p->hop];
		double next_t = end + lat[i];

		if (in) {
			es->packets++;
			es->sojourn += end - p->t;
		}
		if (b->reroute[i] && h->alt_route >= 0) {
			p->route = (uint16_t)h->alt_route;
			p->hop = (uint16_t)h->alt_hop;
			r = pkt_route(ep, p);
		} else {
			p->hop++;
		}
		/* latency from an external sender starts at the NIC */
		if (p->hop == r->latency_from)
			p->t0 = next_t;
		if (p->hop < r->n) {
			p->t = next_t;
			estage_push(&ep->stages[r->hops[p->hop].stage], p);
		} else {
			route_end(ep, p, r, start, end, next_t);
		}
	}
}

/* Charge a batch served from start to end (units of service, own of them
 * the measured VM's) to the stage's and path's figures, within the
 * measured time only; and, in window mode, to its host's SimGrid charge. */
void estage_account(struct estage *es, double start, double end, double units, double own)
{
	struct sim *sim = es->ep->sim;
	double from = MAX(start, sim->warmup), to = MIN(end, sim->duration);
	double share = end > start ? MAX(0, to - from) / (end - start)
				   : (start >= sim->warmup && start < sim->duration);

	es->busy += MAX(0, to - from);
	if (!es->cpu)
		return;
	es->cycles += units * share;
	/* host and guest CPU are the measured VM's and its host's: a VM
	 * peer's stages have figures of their own but count in neither */
	if (es->st->measured) {
		if (es->st->place == PLACE_HOST)
			es->ep->host_cycles += own * share;
		else
			es->ep->guest_cycles += own * share;
	}
	if (!es->exact && es->res)
		es->res->pending += units / es->res->freq;
}

/* --------------------------------------------------------- window mode */

static struct pkt_batch window_batch;

/* Serve what arrives at es before horizon h. */
static void stage_run(struct estage *es, double h)
{
	struct pkt_batch *b = &window_batch;
	double lat[BATCH_MAX];

	for (unsigned li = 0; li < es->nlanes; li++) {
		struct lane *l = &es->lanes[li];

		while (l->in.len) {
			double a0 = pring_head(&l->in)->t;

			if (a0 >= h)
				break;
			double *freep = &l->free;
			unsigned server = li;

			if (es->free) {
				unsigned k = 0;

				for (unsigned s = 1; s < es->nservers; s++)
					if (es->free[s] < es->free[k])
						k = s;
				freep = &es->free[k];
				server = k;
			}
			double start = *freep;
			if (start <= a0) {
				bool known;

				start = lane_wake_time(es, l, a0, &known, h);
				if (!known)
					break;
			}
			if (start >= h)
				break;

			lane_take(es, l, start, b);
			if (!b->n)
				continue;
			l->drawn = false;
			double units, own;
			double end = start + estage_cost(es, server, b, start, lat, &units, &own);

			*freep = end;
			lane_commit(es, l, b->n, end);
			estage_account(es, start, end, units, own);
			estage_depart(es, b, lat, start, end);
		}
	}
}

/* Packets in es at time t: waiting (arrived before t) plus accepted and
 * not yet left. */
static unsigned occupancy(const struct estage *es, double t)
{
	unsigned n = 0;

	for (unsigned li = 0; li < es->nlanes; li++) {
		const struct lane *l = &es->lanes[li];
		unsigned lo = 0, hi = l->in.len;

		/* arrived before t: a prefix of the sorted ring */
		while (lo < hi) {
			unsigned mid = (lo + hi) / 2;

			if (pring_at(&l->in, mid)->t < t)
				lo = mid + 1;
			else
				hi = mid;
		}
		n += lo;
		if (!es->capacity || es->dheap)
			continue;
		/* departures are in order: those after t are a suffix */
		lo = 0;
		hi = l->dep_len;
		while (lo < hi) {
			unsigned mid = (lo + hi) / 2;

			if (l->dep[(l->dep_head + mid) % es->capacity] > t)
				hi = mid;
			else
				lo = mid + 1;
		}
		n += l->dep_len - lo;
	}
	for (unsigned i = 0; es->dheap && i < es->dheap_len; i++)
		n += es->dheap[i] > t;
	return n;
}

/* Create source i's packets born before h. */
static void generate(struct epath *ep, unsigned i, double h)
{
	struct sim *sim = ep->sim;
	struct esource *s = &ep->sources[i];
	const struct route *r = ep->pl->routes->pdata[s->route];
	struct estage *first = &ep->stages[r->hops[0].stage];

	while (source_peek(s->src) < h) {
		struct pkt *p = pool_get(&ep->pool);

		source_next(s->src, p);
		p->path = ep->path;
		p->route = (uint16_t)s->route;
		p->hop = 0;
		p->source = i;
		if (s->sink) {
			p->flags |= PKT_NEIGHBOUR;
		} else if (p->born >= sim->warmup) {
			p->flags |= PKT_MEASURED;
			ep->offered++;
			ep->offered_bytes += p->size;
		}
		sim->stats.packets++;
		estage_push(first, p);
	}
}

static bool idle(const struct sim *sim)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		if (sim->paths[p].pool.in_use)
			return false;
		for (int r = 0; r < RES_COUNT; r++)
			if (sim->paths[p].res[r].pending > 0)
				return false;
	}
	return true;
}

static double next_birth(const struct sim *sim)
{
	double t = INFINITY;

	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned i = 0; i < sim->paths[p].nsources; i++)
			t = MIN(t, source_peek(sim->paths[p].sources[i].src));
	return t;
}

/* Charge the CPU time of window-mode stages to SimGrid: every
 * charge_period of model time, per host, at most its cores' worth of the
 * time since the last charge, the rest carried over.  The executes run
 * while the driver sleeps and are collected at the next charge, so they
 * cost two activities per host per period, not per window. */
static void charge(struct sim *sim, double h, bool last)
{
	if (!last && h - sim->last_charge < sim->charge_period)
		return;
	for (unsigned i = 0; i < sim->nexecs; i++) {
		sg_exec_wait(sim->execs[i]);
		sim->stats.activities++;
	}
	sim->nexecs = 0;
	double span = h - sim->last_charge;

	sim->last_charge = h;
	if (last)
		return;
	for (int p = 0; p < PATH_COUNT; p++)
		for (int r = 0; r < RES_COUNT; r++) {
			struct eres *res = &sim->paths[p].res[r];

			if (!res->host || res->exact || res->pending <= 0)
				continue;
			double c = MIN(res->pending, res->cores * span);
			unsigned k = (unsigned)ceil(c / span - 1e-9);

			if (k == 0)
				k = 1;
			res->pending -= c;
			if (res->pending < 1e-15)
				res->pending = 0;
			for (unsigned i = 0; i < k && sim->nexecs < G_N_ELEMENTS(sim->execs); i++) {
				sg_exec_t x = sg_actor_exec_init(c / k * res->freq);

				sg_exec_set_host(x, res->host);
				sg_exec_start(x);
				sim->execs[sim->nexecs++] = x;
				sim->stats.activities++;
				sim->stats.simgrid_flops[p] += c / k * res->freq;
			}
		}
}

static void progress(struct sim *sim, double t, gint64 *last)
{
	gint64 now = g_get_monotonic_time();

	if (!sim->opts || !sim->opts->progress || now - *last < 250000)
		return;
	*last = now;
	fprintf(stderr, "\r  %.1f%% simulated (%.4g of %.4g s), %.3g M packets  ",
		100.0 * MIN(t, sim->duration) / sim->duration, MIN(t, sim->duration), sim->duration,
		sim->stats.packets / 1e6);
}

/* Apply the scenario's event ev to every component of the pipelines it
 * names that understands it (vf_remove: the VF and the bonded guest
 * driver). */
static void apply_event(struct sim *sim, const struct event_spec *ev)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		if (ev->path != PATHSEL_BOTH && (ev->path == PATHSEL_NORMAL) != (p == PATH_NORMAL))
			continue;
		/* the normal path's VM has no VF to remove or add */
		if (p == PATH_NORMAL && (ev->action == EV_VF_REMOVE || ev->action == EV_VF_ADD))
			continue;
		GPtrArray *comps = sim->paths[p].pl->components;

		for (guint i = 0; i < comps->len; i++) {
			struct component *c = comps->pdata[i];

			/* a peer VM's devices are not the measured VM's */
			if (c->ops->event && !g_str_has_prefix(c->name, "peer."))
				c->ops->event(c, event_action_names[ev->action], ev->at);
		}
	}
}

static double done_of(const struct epath *ep, int from)
{
	if (from < 0)
		return ep->sources[-1 - from].done;
	/* an exact stage feeds through lags, not lookahead */
	return ep->stages[from].exact ? INFINITY : ep->stages[from].done;
}

static double safe_time(const struct epath *ep, const struct in_edge *in, unsigned nin, double t)
{
	for (unsigned i = 0; i < nin; i++)
		t = MIN(t, done_of(ep, in[i].from) + in[i].la);
	return t;
}

/* Bring every window-mode stage and source up to horizon h.  Each may go as
 * far as nothing can still reach it from before: the least, over what feeds
 * it, of how far that has gone plus the least time on the way.  Without
 * loops one sweep in pipeline order gets everything to h; a loop advances
 * by its least turnaround each sweep.  FALSE if a loop cannot advance. */
static bool advance(struct sim *sim, double h)
{
	for (;;) {
		bool progress = false, all = true;

		for (int p = 0; p < PATH_COUNT; p++) {
			struct epath *ep = &sim->paths[p];
			const double target_src = MIN(h, sim->duration);

			for (unsigned i = 0; i < ep->nsources; i++) {
				struct esource *s = &ep->sources[i];
				double safe = safe_time(ep, s->in, s->nin, target_src);

				if (safe > s->done) {
					generate(ep, i, safe);
					s->done = safe;
					progress = true;
				}
				all &= s->done >= target_src;
			}
			for (unsigned k = 0; k < ep->nstages; k++) {
				struct estage *es = &ep->stages[k];
				const double target = MIN(h - es->lag, sim->duration);

				if (es->exact)
					continue;
				double safe = safe_time(ep, es->in, es->nin, target);

				if (safe > es->done) {
					stage_run(es, safe);
					es->done = safe;
					progress = true;
				}
				all &= es->done >= target;
			}
		}
		if (all)
			return true;
		if (!progress)
			return false;
		sim->stats.sweeps++;
	}
}

static void driver_main(int argc, char **argv)
{
	struct sim *sim = sg_actor_self_get_data();
	const double w = sim->window, end = sim->duration + sim->end_lag;
	double tau = 0;
	gint64 last = g_get_monotonic_time();

	while (tau < end) {
		double h = tau + w;
		const GArray *evs = sim->sc->events;
		const struct event_spec *ev = sim->next_event < evs->len
			? &g_array_index(evs, struct event_spec, sim->next_event) : NULL;

		/* a window ends at the next event: batches that start before it
		 * are served in the old state, later ones in the new */
		if (ev && ev->at < h)
			h = MAX(ev->at, tau);

		if (!advance(sim, h)) {
			sim->stuck = true;
			break;
		}
		for (int p = 0; p < PATH_COUNT; p++) {
			struct epath *ep = &sim->paths[p];

			for (unsigned s = 0; s < ep->nstages; s++) {
				struct estage *es = &ep->stages[s];
				double hs = MIN(h - es->lag, sim->duration);

				if (!es->exact && hs > sim->warmup && hs <= sim->duration &&
				    hs > h - es->lag - w) {
					es->occupancy_sum += occupancy(es, hs);
					es->occupancy_n++;
				}
			}
		}
		estage_wake_flush();
		while (ev && ev->at <= h) {
			apply_event(sim, ev);
			sim->next_event++;
			ev = sim->next_event < evs->len
				? &g_array_index(evs, struct event_spec, sim->next_event) : NULL;
		}
		charge(sim, h, false);
		sim->stats.windows++;
		progress(sim, h, &last);
		if (sim->opts && sim->opts->stop && *sim->opts->stop) {
			sim->stopped = true;
			sim->stopped_at = MIN(h, sim->duration);
			break;
		}
		tau = h;
		if (sim->nexecs == 0 && !sim->any_exact && idle(sim)) {
			double nb = next_birth(sim);

			if (sim->next_event < evs->len)
				nb = MIN(nb, g_array_index(evs, struct event_spec, sim->next_event).at);
			tau = isfinite(nb) ? MAX(tau, nb) : end;
			/* nothing is in flight: nothing can arrive anywhere
			 * before the next birth */
			for (int p = 0; p < PATH_COUNT; p++) {
				for (unsigned s = 0; s < sim->paths[p].nstages; s++)
					sim->paths[p].stages[s].done = MAX(sim->paths[p].stages[s].done, tau);
				for (unsigned i = 0; i < sim->paths[p].nsources; i++)
					sim->paths[p].sources[i].done = MAX(sim->paths[p].sources[i].done, tau);
			}
		}
		if (tau < end) {
			sg_actor_sleep_until(MIN(tau, end));
			sim->stats.activities++;
		}
	}
	charge(sim, tau, true);
	if (sim->opts && sim->opts->progress)
		fprintf(stderr, "\r%60s\r", "");
}

/* ---------------------------------------------------------------- setup */

static void add_edge(struct in_edge **in, unsigned *nin, int from, double la)
{
	for (unsigned i = 0; i < *nin; i++)
		if ((*in)[i].from == from) {
			(*in)[i].la = MIN((*in)[i].la, la);
			return;
		}
	*in = g_renew(struct in_edge, *in, *nin + 1);
	(*in)[(*nin)++] = (struct in_edge){ from, la };
}

/* Who feeds whom, with the least time on the way (a packet of the least
 * size at full speed); and whether anything loops back. */
static void build_edges(struct sim *sim, struct epath *ep)
{
	const struct pipeline *pl = ep->pl;

	for (guint ri = 0; ri < pl->routes->len; ri++) {
		const struct route *r = pl->routes->pdata[ri];

		for (unsigned h = 0; h < r->n; h++) {
			unsigned from = r->hops[h].stage;
			const struct route *nr = NULL;
			unsigned to;

			if (h + 1 < r->n) {
				to = r->hops[h + 1].stage;
			} else if (r->end == END_RESPOND) {
				nr = pl->routes->pdata[r->next_route];
				to = nr->hops[0].stage;
			} else {
				continue;
			}
			struct estage *es = &ep->stages[to];
			add_edge(&es->in, &es->nin, (int)from, pipeline_hop_min_time(pl, r, h, 64));
			if (from >= to)
				sim->loops = true;
		}
	}
	for (unsigned i = 0; i < ep->nsources; i++) {
		struct esource *s = &ep->sources[i];
		const struct route *r = pl->routes->pdata[s->route];
		struct estage *first = &ep->stages[r->hops[0].stage];
		double fb = source_feedback_min(s->src);

		add_edge(&first->in, &first->nin, -1 - (int)i, 0);
		if (!isfinite(fb))
			continue;
		/* closed loop: delivering a response makes the next request */
		while (r->end == END_RESPOND)
			r = pl->routes->pdata[r->next_route];
		add_edge(&s->in, &s->nin, (int)r->hops[r->n - 1].stage,
			 pipeline_hop_min_time(pl, r, r->n - 1, 64) + fb);
		sim->loops = true;
	}
}

static bool setup_path(struct sim *sim, struct epath *ep, enum path_id p, struct run_result *out,
		       GError **error)
{
	const struct scenario *sc = sim->sc;

	ep->path = p;
	ep->sim = sim;
	ep->out = &out->paths[p];
	ep->pl = pipeline_build(sc, p, error);
	if (!ep->pl)
		return false;
	pool_init(&ep->pool);

	/* resources */
	const struct model *m = sc->model;
	for (int r = 0; r < RES_COUNT; r++) {
		ep->res[r].freq = m->host.freq_hz;
		ep->res[r].cores = r == RES_VM || r == RES_PEER_VM ? m->vm.vcpus : ep->pl->vswitch_cores;
	}

	/* sources */
	ep->nsources = sc->traffic->len;
	ep->sources = g_new0(struct esource, ep->nsources);
	for (unsigned i = 0; i < ep->nsources; i++) {
		const struct traffic_spec *t = &g_array_index(sc->traffic, struct traffic_spec, i);
		enum route_kind k = traffic_route_kind(t);
		double cap = t->rate.kind == UNIT_PERCENT
				     ? pipeline_capacity_pps(sc, dist_mean(&t->size), k)
				     : 0;

		ep->sources[i].spec = t;
		ep->sources[i].route = pipeline_route(ep->pl, k);
		ep->sources[i].sink = t->vm == TVM_NEIGHBOUR;
		ep->sources[i].src = source_new(t, i, sc->seed, cap, sc->duration_s, error);
		if (!ep->sources[i].src)
			return false;
	}

	/* stages */
	ep->nstages = ep->pl->stages->len;
	ep->stages = g_new0(struct estage, ep->nstages);
	for (unsigned s = 0; s < ep->nstages; s++) {
		struct estage *es = &ep->stages[s];
		const struct stage *st = ep->pl->stages->pdata[s];

		es->st = st;
		es->ep = ep;
		es->order = s;
		es->cpu = st->place != PLACE_HW;
		es->res = st->res != RES_HW ? &ep->res[st->res] : NULL;
		es->sec_per_unit = es->cpu ? 1.0 / m->host.freq_hz : 1.0;
		es->nservers = st->serving.servers;
		es->shared = st->serving.shared_queue || es->nservers == 1;
		es->nlanes = es->shared ? 1 : es->nservers;
		es->capacity = st->capacity;
		es->lanes = g_new0(struct lane, es->nlanes);
		for (unsigned l = 0; l < es->nlanes; l++) {
			pring_init(&es->lanes[l].in, 64);
			/* by stage name, not path: both paths draw alike */
			rng_seed(&es->lanes[l].rng, sc->seed,
				 g_str_hash(st->name) * 0x100000001b3ull + 0xa11u + l);
			if (es->capacity && !(es->shared && es->nservers > 1))
				es->lanes[l].dep = g_new0(double, es->capacity);
		}
		if (es->shared && es->nservers > 1) {
			es->free = g_new0(double, es->nservers);
			if (es->capacity)
				es->dheap = g_new(double, es->capacity + BATCH_MAX);
		}
		if (es->res)
			es->res->servers += es->nservers;
		for (guint ri = 0; ri < ep->pl->routes->len; ri++) {
			const struct route *r = ep->pl->routes->pdata[ri];

			for (unsigned h = 0; h < r->n; h++) {
				if (r->hops[h].stage != s)
					continue;
				for (unsigned c = 0; c < r->hops[h].ncomp; c++) {
					unsigned k = 0;

					while (k < es->ncomps && es->comps[k] != r->hops[h].comp[c])
						k++;
					if (k == es->ncomps)
						es->comps[es->ncomps++] = r->hops[h].comp[c];
				}
			}
		}
		es->rngs = g_new(struct rng, es->nservers * es->ncomps);
		for (unsigned v = 0; v < es->nservers; v++)
			for (unsigned k = 0; k < es->ncomps; k++) {
				/* server 0 keeps the component's own stream */
				es->rngs[v * es->ncomps + k] = es->comps[k]->rng;
				if (v)
					rng_seed(&es->rngs[v * es->ncomps + k], sc->seed,
						 rng_next(&es->comps[k]->rng) ^ v);
			}
	}
	/* background load makes its host's cores contended */
	for (guint i = 0; i < sc->loads->len; i++) {
		const struct load_spec *l = &g_array_index(sc->loads, struct load_spec, i);

		if (l->path == PATHSEL_BOTH || (l->path == PATHSEL_NORMAL) == (p == PATH_NORMAL))
			ep->res[l->where == LOAD_VSWITCH ? RES_VSWITCH : RES_VM].has_loads = true;
	}
	for (int r = 0; r < RES_COUNT; r++) {
		struct eres *res = &ep->res[r];

		res->exact = res->servers > 0 &&
			     (sc->force_exact || res->has_loads || res->servers > res->cores);
	}
	for (unsigned s = 0; s < ep->nstages; s++) {
		struct estage *es = &ep->stages[s];

		es->exact = es->res && es->res->exact;
		if (es->exact) {
			sim->any_exact = true;
			sim->stats.exact_stages++;
			for (unsigned l = 0; l < es->nlanes; l++)
				es->lanes[l].sem = sg_sem_init(0);
		}
	}
	return true;
}

/* Lags and shifts (docs/engine.md).  A window-mode stage fed by an exact
 * one works a window behind it (its inputs for a window are complete only
 * when the actors have run through it); an exact host runs as far behind
 * as the window-mode stages feeding it; actors feed actors directly, in
 * SimGrid time order, and need no extra lag. */
static bool setup_lags(struct sim *sim, GError **error)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];
		if (sim->loops && sim->any_exact) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "the engine cannot yet combine traffic that loops back (transmit "
				    "and receive through the same stages, or request/response) with "
				    "cores shared by background load or more threads than cores; "
				    "see docs/engine.md");
			return false;
		}
		/* stages are in a topological order (no back edges here), so
		 * one pass in order settles every lag and shift; a shift is
		 * raised only before any of its host's stages is read */
		for (unsigned s = 0; s < ep->nstages; s++) {
			struct estage *es = &ep->stages[s];
			double lag = 0;

			for (guint ri = 0; ri < ep->pl->routes->len; ri++) {
				const struct route *r = ep->pl->routes->pdata[ri];

				for (unsigned h = 1; h < r->n; h++) {
					if (r->hops[h].stage != s)
						continue;
					const struct estage *pre = &ep->stages[r->hops[h - 1].stage];

					if (pre->exact)
						lag = MAX(lag, pre->res->shift + (es->exact ? 0 : sim->window));
					else
						lag = MAX(lag, pre->lag);
				}
			}
			if (es->exact)
				es->res->shift = MAX(es->res->shift, lag);
			else
				es->lag = lag;
			sim->end_lag = MAX(sim->end_lag, es->exact ? es->res->shift : es->lag);
		}
	}
	return true;
}

static void fill_results(struct sim *sim, struct run_result *out)
{
	const struct scenario *sc = sim->sc;
	double end = sim->stopped ? sim->stopped_at : sim->duration;
	double T = MAX(end - sim->warmup, 1e-12);

	/* stopped in the warm-up: nothing was measured */
	out->duration_s = MAX(end - sim->warmup, 0);
	out->partial = sim->stopped;
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];
		struct path_result *pr = &out->paths[p];
		uint64_t in_flight = 0;

		/* count what is still inside, independently of the counters */
		for (unsigned s = 0; s < ep->nstages; s++)
			for (unsigned l = 0; l < ep->stages[s].nlanes; l++) {
				const struct lane *ln = &ep->stages[s].lanes[l];

				for (unsigned i = 0; i < ln->in.len; i++)
					in_flight += (pring_at(&ln->in, i)->flags & PKT_MEASURED) != 0;
			}
		in_flight += exact_in_flight(sim, p);

		pr->offered_packets = ep->offered;
		pr->delivered_packets = ep->delivered;
		pr->dropped_packets = ep->dropped;
		pr->in_flight_packets = in_flight;
		pr->offered_pps = ep->offered / T;
		pr->offered_bps = ep->offered_bytes * 8 / T;
		pr->delivered_pps = ep->delivered_in / T;
		pr->delivered_bps = ep->delivered_in_bytes * 8 / T;
		pr->host_cpu_cores = ep->host_cycles / sc->model->host.freq_hz / T;
		pr->host_cycles_per_packet = ep->delivered_in ? ep->host_cycles / ep->delivered_in : 0;
		pr->guest_cpu_vcpus = ep->guest_cycles / sc->model->host.freq_hz / T;
		for (unsigned s = 0; s < ep->nstages; s++) {
			const struct estage *es = &ep->stages[s];
			char where[64];

			snprintf(where, sizeof(where), "%s%s", es->st->runs_on, es->exact ? "*" : "");
			struct stage_result *sr = path_result_add_stage(pr, es->st->name, where);
			sr->packets = es->packets;
			sr->drops = es->drops;
			sr->mean_s = es->packets ? es->sojourn / es->packets : 0;
			sr->utilisation = es->busy / (es->nservers * T);
			sr->cycles = es->cycles;
			sr->occupancy = es->occupancy_n ? es->occupancy_sum / es->occupancy_n : 0;
		}
		sim->stats.cycles[p] = ep->host_cycles + ep->guest_cycles;
		sim->stats.peak_packets += ep->pool.peak;
	}
	if (sim->any_exact)
		run_result_note(out, "exact mode", "stages marked * ran as SimGrid actors (shared cores)");
}

static void teardown(struct sim *sim)
{
	exact_free();
	loads_free();
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		for (unsigned s = 0; s < ep->nstages; s++) {
			struct estage *es = &ep->stages[s];

			for (unsigned l = 0; l < es->nlanes; l++) {
				pring_clear(&es->lanes[l].in);
				g_free(es->lanes[l].dep);
			}
			g_free(es->lanes);
			g_free(es->in);
			g_free(es->rngs);
			g_free(es->free);
			g_free(es->dheap);
		}
		g_free(ep->stages);
		for (unsigned i = 0; i < ep->nsources; i++) {
			source_free(ep->sources[i].src);
			g_free(ep->sources[i].in);
		}
		g_free(ep->sources);
		pool_clear(&ep->pool);
		pipeline_free(ep->pl);
	}
}

bool engine_run(const struct scenario *s, const struct engine_opts *o, struct run_result *out,
		GError **error)
{
	static bool used;
	struct sim *sim = g_new0(struct sim, 1);
	bool ok = false;

	if (used) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "one simulation per process: use engine_run_forked()");
		g_free(sim);
		return false;
	}
	used = true;
	sim->sc = s;
	sim->opts = o;
	sim->warmup = s->warmup_s;
	sim->duration = s->duration_s;
	sim->window = s->window_s;
	sim->charge_period = 1e-3;

	int argc = 1;
	char *argv[] = { (char *)"accelsim", NULL };
	simgrid_init(&argc, argv);
	xbt_log_control_set("root.thres:critical");
	/* SimGrid installs its own SIGINT handler, which ends the process:
	 * put ours back, so Ctrl-C stops the run and keeps the figures */
	if (o && o->stop) {
		struct sigaction sa = { .sa_handler = on_sigint };

		stop_flag = o->stop;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
	}

	for (int p = 0; p < PATH_COUNT; p++)
		if (!setup_path(sim, &sim->paths[p], p, out, error))
			goto out;

	for (int p = 0; p < PATH_COUNT; p++)
		build_edges(sim, &sim->paths[p]);
	sim->stats.window_s = sim->window;
	if (!setup_lags(sim, error))
		goto out;

	sg_host_t hosts[PATH_COUNT][RES_COUNT];
	if (!platform_load(s, (const struct pipeline *[]){ sim->paths[0].pl, sim->paths[1].pl },
			   hosts, error))
		goto out;
	for (int p = 0; p < PATH_COUNT; p++)
		for (int r = 0; r < RES_COUNT; r++)
			sim->paths[p].res[r].host = hosts[p][r];

	sg_actor_t driver = sg_actor_init("driver", sg_host_by_name("control"));
	sg_actor_set_data(driver, sim);
	sg_actor_start(driver, driver_main, 0, NULL);
	if (sim->any_exact)
		exact_start(sim);
	loads_start(sim);
	simgrid_run();
	if (sim->stuck) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "traffic loops back through stages that can take no time at all, so "
			    "the engine cannot advance (see docs/engine.md): give one of them a "
			    "positive least cost");
		goto out;
	}

	fill_results(sim, out);
	out->seed = s->seed;
	g_free(out->scenario);
	out->scenario = g_strdup(s->name);
	g_free(out->model);
	out->model = g_strdup(s->model->name);
	g_free(out->source);
	out->source = g_strdup("simulation");
	ok = true;
out:
	last_stats = sim->stats;
	teardown(sim);
	g_free(sim);
	return ok;
}

bool engine_run_forked(const struct scenario *s, const struct engine_opts *o,
		       struct run_result *out, GError **error)
{
	int fd[2];

	if (pipe(fd) < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "pipe: %s",
			    g_strerror(errno));
		return false;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "fork: %s",
			    g_strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return false;
	}
	if (pid == 0) {
		g_autoptr(GError) err = NULL;
		g_autoptr(run_result) r = run_result_new();
		close(fd[0]);
		bool ok = engine_run(s, o, r, &err);
		g_autofree char *data = NULL;

		if (ok) {
			g_autoptr(GKeyFile) k = run_result_to_keyfile(r);
			const struct engine_stats *st = engine_last_stats();

			g_key_file_set_double(k, "engine", "window_s", st->window_s);
			g_key_file_set_uint64(k, "engine", "windows", st->windows);
			g_key_file_set_uint64(k, "engine", "packets", st->packets);
			g_key_file_set_uint64(k, "engine", "activities", st->activities);
			g_key_file_set_double(k, "engine", "flops_normal", st->simgrid_flops[0]);
			g_key_file_set_double(k, "engine", "flops_accelerated", st->simgrid_flops[1]);
			g_key_file_set_double(k, "engine", "cycles_normal", st->cycles[0]);
			g_key_file_set_double(k, "engine", "cycles_accelerated", st->cycles[1]);
			g_key_file_set_uint64(k, "engine", "exact_stages", st->exact_stages);
			g_key_file_set_uint64(k, "engine", "peak_packets", st->peak_packets);
			data = g_key_file_to_data(k, NULL, NULL);
		} else {
			data = g_strdup_printf("error %d\n%s", err->code, err->message);
		}
		size_t len = strlen(data), done = 0;
		while (done < len) {
			ssize_t n = write(fd[1], data + done, len - done);

			if (n <= 0)
				_exit(3);
			done += (size_t)n;
		}
		_exit(ok ? 0 : 1);
	}
	close(fd[1]);
	g_autoptr(GString) buf = g_string_new(NULL);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd[0], chunk, sizeof(chunk))) > 0)
		g_string_append_len(buf, chunk, n);
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (g_str_has_prefix(buf->str, "error ")) {
		char *nl = strchr(buf->str, '\n');
		int code = atoi(buf->str + 6);

		g_set_error_literal(error, ACCELSIM_ERROR, code, nl ? nl + 1 : "simulation failed");
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "the simulation process failed (status %d)", status);
		return false;
	}
	g_autoptr(GKeyFile) k = g_key_file_new();
	GError *e = NULL;

	if (!g_key_file_load_from_data(k, buf->str, buf->len, G_KEY_FILE_NONE, &e)) {
		g_propagate_prefixed_error(error, e, "reading the simulation's results: ");
		return false;
	}
	if (!run_result_from_keyfile(k, out, error))
		return false;
	memset(&last_stats, 0, sizeof(last_stats));
	last_stats.window_s = g_key_file_get_double(k, "engine", "window_s", NULL);
	last_stats.windows = g_key_file_get_uint64(k, "engine", "windows", NULL);
	last_stats.packets = g_key_file_get_uint64(k, "engine", "packets", NULL);
	last_stats.activities = g_key_file_get_uint64(k, "engine", "activities", NULL);
	last_stats.simgrid_flops[0] = g_key_file_get_double(k, "engine", "flops_normal", NULL);
	last_stats.simgrid_flops[1] = g_key_file_get_double(k, "engine", "flops_accelerated", NULL);
	last_stats.cycles[0] = g_key_file_get_double(k, "engine", "cycles_normal", NULL);
	last_stats.cycles[1] = g_key_file_get_double(k, "engine", "cycles_accelerated", NULL);
	last_stats.exact_stages = g_key_file_get_uint64(k, "engine", "exact_stages", NULL);
	last_stats.peak_packets = g_key_file_get_uint64(k, "engine", "peak_packets", NULL);
	return true;
}
