/* window.c: the driver of window mode: Lindley's recursion, a window at a
 * time.
 *
 * One driver actor advances model time in windows.  Each window it creates
 * the packets born in it and lets every window-mode stage, in the
 * pipeline's order, serve the arrivals before the window's end (its
 * horizon) by the rules of stage.c.  Departures are known exactly when they
 * are computed, so nothing here is approximate.  CPU time is charged to
 * SimGrid once per charge period per host.  docs/engine.md explains why
 * each part is exact and what it costs.
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/exec.h>
#include <stdio.h>

#include "engine/internal.h"
#include "engine/stage.h"

static struct pkt_batch window_batch;

/* Serve what arrives at es before horizon h. */
static void stage_run(struct estage *es, double h)
{
	struct pkt_batch *b = &window_batch;
	static struct batch_cost x;

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
			double start = *freep, ready = start;
			if (start <= a0) {
				bool known;

				ready = a0;
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
			double end = start + estage_begin(es, server, b, ready, start, &x);

			*freep = end;
			estage_finish(es, l, server, b, &x, ready, start, end);
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
		p->nvisits = 0;
		p->visit_t0 = 0;
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

void window_driver_main(int argc, char **argv)
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

