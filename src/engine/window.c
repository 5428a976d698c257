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
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <stdio.h>

#include "engine/internal.h"
#include "engine/stage.h"

static struct pkt_batch window_batch;

/* The next batch of a lane shared by several servers, whose head arrived
 * at a0: the server that can start on it first takes it, a busy one when
 * it is free, an idle one after the ring's wake-up, each then when its
 * CPU is its own (estage_resume()); and no batch starts before the one
 * formed before it, as the exact-mode actors of the lane take its head in
 * turn.  A later packet's own wake-up may be shorter than the head's:
 * without that rule its batch would start before one formed earlier, and
 * a stage served up to some time could still start a batch before it
 * (docs/engine.md).  A wake-up that depends on arrivals at or after h (a
 * frame count) is taken as h: a start at h or later is not acted on. */
static void shared_start(struct estage *es, struct lane *l, double a0, double h,
			 unsigned *server, double *ready, double *start, bool *busy)
{
	double wake = NAN, best = INFINITY;
	unsigned k = 0;

	for (unsigned s = 0; s < es->nservers; s++) {
		const bool b = es->free[s] > a0;
		double t = es->free[s];

		if (!b) {
			if (isnan(wake)) {
				bool known;

				wake = lane_wake_time(es, l, a0, &known, h);
				if (!known)
					wake = h;
			}
			t = wake;
		}
		t = estage_resume(es, s, MAX(t, l->last_start), b);
		if (t < best) {
			best = t;
			k = s;
		}
	}
	*server = k;
	*busy = es->free[k] > a0;
	*ready = *busy ? es->free[k] : a0;
	*start = best;
}

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
			double start, ready;
			bool busy;

			if (es->free) {
				shared_start(es, l, a0, h, &server, &ready, &start, &busy);
				freep = &es->free[server];
			} else {
				start = ready = *freep;
				busy = start > a0;
				if (!busy) {
					bool known;

					ready = a0;
					start = lane_wake_time(es, l, a0, &known, h);
					if (!known)
						break;
				}
				start = estage_resume(es, server, start, busy);
			}
			if (start >= h)
				break;

			l->last_start = start;
			lane_take(es, l, start, b);
			if (!b->n)
				continue;
			l->drawn = 0;
			double end = start + estage_begin(es, server, b, ready, start, busy, &x);

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
/* Packets one source may bring into being in one step: memory stays
 * bounded by design whatever the rate (a step ends early and the stages
 * catch up before the next). */
#define BIRTHS_PER_STEP 16384

/* Create source i's packets born before h, at most BIRTHS_PER_STEP of
 * them; returns the time up to which all are born. */
static double generate(struct epath *ep, unsigned i, double h)
{
	struct sim *sim = ep->sim;
	struct esource *s = &ep->sources[i];
	const struct route *r = ep->pl->routes->pdata[s->route];
	struct estage *first = &ep->stages[r->hops[0].stage];

	for (unsigned n = 0; source_peek(s->src) < h; n++) {
		if (n == BIRTHS_PER_STEP)
			return source_peek(s->src);
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
			ep->vms[s->vm].offered++;
			ep->vms[s->vm].offered_bytes += p->size;
		}
		sim->stats.packets++;
		estage_push(first, p);
	}
	return h;
}

/* Resource r of path ep: the host's first, then each VM's vCPUs. */
static inline struct eres *res_at(const struct epath *ep, unsigned r)
{
	return r < RES_COUNT ? (struct eres *)&ep->res[r] : &ep->vmres[r - RES_COUNT];
}

static bool idle(const struct sim *sim)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct epath *ep = &sim->paths[p];

		if (ep->pool.in_use)
			return false;
		for (unsigned r = 0; r < RES_COUNT + ep->nvms; r++)
			if (res_at(ep, r)->pending > 0)
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
		for (unsigned r = 0; r < RES_COUNT + sim->paths[p].nvms; r++) {
			struct eres *res = res_at(&sim->paths[p], r);

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

/* "3 min 20 s" */
static void format_wall(double s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%.0f s", s);
	else if (s < 3600)
		snprintf(buf, len, "%.0f min %02.0f s", floor(s / 60), fmod(s, 60));
	else
		snprintf(buf, len, "%.0f h %02.0f min", floor(s / 3600), fmod(s, 3600) / 60);
}

/* The progress line on a terminal: how far, and the time left at the rate
 * so far.  Once the rate is known (after 2 s), a run that will take more
 * than a minute says so on a line of its own. */
static void progress(struct sim *sim, double t, gint64 *last)
{
	gint64 now = g_get_monotonic_time();
	const double done = MIN(t, sim->duration) / sim->duration;
	char left[64] = "", total[32];

	if (!sim->opts || !sim->opts->progress || now - *last < 250000)
		return;
	*last = now;
	const double wall = (now - sim->wall_start) / 1e6;
	if (wall > 2 && done > 0) {
		const double rest = wall * (1 - done) / done;

		if (!sim->announced && wall + rest > 60) {
			format_wall(wall + rest, total, sizeof(total));
			fprintf(stderr, "\r%70s\raccelsim: this run will take about %s here "
				"(%.3g M packets simulated per wall second); Ctrl-C stops it with the "
				"figures so far\n", "", total, sim->stats.packets / wall / 1e6);
			sim->announced = true;
		}
		format_wall(rest, total, sizeof(total));
		snprintf(left, sizeof(left), ", about %s left", total);
	}
	fprintf(stderr, "\r  %.1f%% simulated (%.4g of %.4g s), %.3g M packets%s  ", 100.0 * done,
		MIN(t, sim->duration), sim->duration, sim->stats.packets / 1e6, left);
}

/* How far what comes by edge e is known: a source's births, a window-mode
 * stage's batches, an exact-mode stage's progress (or, for what its
 * batches' starts make, its next start). */
static double done_of(const struct epath *ep, const struct in_edge *e)
{
	if (e->from < 0)
		return ep->sources[-1 - e->from].known;
	const struct estage *es = &ep->stages[e->from];

	if (!es->exact)
		return es->known;
	return e->at_start ? es->start_progress : es->progress;
}

static double inputs_known(const struct epath *ep, const struct in_edge *in, unsigned nin)
{
	double t = INFINITY;

	for (unsigned i = 0; i < nin; i++)
		t = MIN(t, done_of(ep, &in[i]) + in[i].la);
	return t;
}

/* One round of relax(): how far each window-mode stage and source is
 * known beyond what it has done.  A batch not yet formed starts no earlier
 * than its lane's first waiting packet (rx_own, set by relax()) or the
 * first its inputs can still bring, and a birth still to come is no
 * earlier than the source's next (rx_own) or the first response its inputs
 * can bring.  TRUE if a bound came down. */
static bool known_round(struct epath *ep)
{
	bool changed = false;

	for (unsigned i = 0; i < ep->nsources; i++) {
		struct esource *s = &ep->sources[i];
		double t = MIN(s->rx_own, inputs_known(ep, s->in, s->nin));

		t = MAX(t, s->done);
		if (t < s->known) {
			s->known = t;
			changed = true;
		}
	}
	for (unsigned k = 0; k < ep->nstages; k++) {
		struct estage *es = &ep->stages[k];

		if (es->exact)
			continue;
		double t = MIN(es->rx_own, inputs_known(ep, es->in, es->nin));

		t = MAX(t, es->done);
		if (t < es->known) {
			es->known = t;
			changed = true;
		}
	}
	return changed;
}

static double safe_time(const struct epath *ep, const struct in_edge *in, unsigned nin, double t)
{
	for (unsigned i = 0; i < nin; i++)
		t = MIN(t, done_of(ep, &in[i]) + in[i].la);
	return t;
}

double window_horizon(const struct estage *es)
{
	const struct epath *ep = es->ep;
	double t = INFINITY;

	for (unsigned i = 0; i < es->nin; i++) {
		const int from = es->in[i].from;

		if (from >= 0 && ep->stages[from].exact)
			continue;
		t = MIN(t, done_of(ep, &es->in[i]) + es->in[i].la);
	}
	return t;
}

/* The earliest idle server k of exact stage es can start on the head of
 * its lane l, arrived at a0, if nothing arrives before it: when it is
 * free, or, idle when the head came, after the ring's wake-up (the draw
 * the server will make: it is keyed by the head).  A wake-up that waits
 * for a frame count is no earlier than the count's frames can arrive,
 * after what is known: the caller takes the least with that. */
static double idle_start(struct estage *es, struct lane *l, unsigned k)
{
	const double a0 = pring_head(&l->in)->t;
	const double free = es->free ? es->free[k] : l->free;
	bool known;

	if (free > a0)
		return MAX(free, l->last_start);
	return MAX(lane_wake_time(es, l, a0, &known, INFINITY), l->last_start);
}

/* What relax() needs of exact-mode stage es at SimGrid time now that
 * does not depend on the bounds it relaxes: the least end, at full speed,
 * less the least service, of a batch in service (rx_busy), the least end
 * (rx_busy_start); and the earliest an idle server could start on its
 * lane's head (rx_own; INFINITY: no head), if one is idle (rx_idle). */
static void progress_fixed(struct sim *sim, struct estage *es, double now)
{
	es->rx_busy = es->rx_busy_start = es->rx_own = INFINITY;
	es->rx_idle = false;
	for (unsigned k = 0; k < es->nservers; k++) {
		struct lane *l = &es->lanes[es->nlanes == 1 ? 0 : k];

		if (isfinite(es->busy_end[k])) {
			es->rx_busy = MIN(es->rx_busy, MAX(es->busy_end[k], now) - es->min_svc);
			es->rx_busy_start = MIN(es->rx_busy_start, MAX(es->busy_end[k], now));
			continue;
		}
		if (now >= sim->duration)
			continue; /* starts nothing more */
		es->rx_idle = true;
		if (l->in.len)
			es->rx_own = MIN(es->rx_own, idle_start(es, l, k));
	}
}

/* One round of relax() for the exact-mode stages: each one's progress at
 * SimGrid time now, none of its departures still to come leaving before
 * progress + its least service (docs/engine.md, "Exact mode and the
 * driver").  A server in service ends its batch at now or later, and not
 * before busy_end (the batch at full speed); an idle one starts its next
 * batch at now or later, and not before the earliest it could start on
 * its lane's head or the first packet its inputs can still bring.  TRUE if
 * a bound came down. */
static bool progress_round(struct sim *sim, double now)
{
	bool changed = false;

	for (unsigned i = 0; i < sim->nexact; i++) {
		struct estage *es = sim->exact[i];
		const double in = inputs_known(es->ep, es->in, es->nin);
		const double idle = es->rx_idle ? MAX(MIN(es->rx_own, in), now) : INFINITY;
		const double p = MIN(es->rx_busy, idle), ps = MIN(es->rx_busy_start, idle);

		if (p < es->progress || ps < es->start_progress) {
			es->progress = MIN(es->progress, p);
			es->start_progress = MIN(es->start_progress, ps);
			changed = true;
		}
	}
	return changed;
}

/* How far everything is known: window-mode stages and sources beyond
 * what they have done, exact-mode stages' progress.  Each bound depends on
 * those of what feeds it, loops included (a response, a closed loop's next
 * request, through stages of either mode), so they are relaxed together
 * from above to their greatest fixed point, like shortest paths: at most
 * one round per stage and source.  A loop with nothing in it is then known
 * up to what its sources can next bring into it, so the driver crosses an
 * idle spell in one sweep rather than a loop's least turnaround at a time
 * (docs/engine.md). */
static void relax(struct sim *sim, double now)
{
	unsigned nodes = 0;

	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		for (unsigned k = 0; k < ep->nstages; k++) {
			struct estage *es = &ep->stages[k];

			es->known = es->progress = es->start_progress = INFINITY;
			if (es->exact) {
				progress_fixed(sim, es, now);
				continue;
			}
			es->rx_own = INFINITY;
			for (unsigned l = 0; l < es->nlanes; l++)
				if (es->lanes[l].in.len)
					es->rx_own = MIN(es->rx_own, pring_head(&es->lanes[l].in)->t);
		}
		for (unsigned i = 0; i < ep->nsources; i++) {
			ep->sources[i].known = INFINITY;
			ep->sources[i].rx_own = source_peek(ep->sources[i].src);
		}
		nodes += ep->nstages + ep->nsources;
	}
	for (unsigned round = 0; round <= nodes; round++) {
		bool changed = false;

		for (int p = 0; p < PATH_COUNT; p++)
			changed |= known_round(&sim->paths[p]);
		changed |= progress_round(sim, now);
		if (!changed)
			break;
	}
}

/* Serve es up to t, stopping at each window boundary on the way to sample
 * its occupancy there (Little's law: the time-average number in the
 * stage).  At its horizon exactly, every packet a batch has taken arrived
 * before it, which occupancy() relies on. */
static void run_to(struct sim *sim, struct estage *es, double t)
{
	while (es->next_sample <= t && es->next_sample < sim->duration) {
		if (es->next_sample > es->done) {
			stage_run(es, es->next_sample);
			es->done = es->next_sample;
		}
		if (es->next_sample > sim->warmup) {
			es->occupancy_sum += occupancy(es, es->next_sample);
			es->occupancy_n++;
		}
		es->next_sample += sim->window;
	}
	if (t > es->done) {
		stage_run(es, t);
		es->done = t;
	}
}

/* Bring every window-mode stage and source as far towards horizon h as
 * what feeds it allows: the least, over its feeders, of how far each has
 * gone plus the least time on the way.  Without loops one sweep in
 * pipeline order gets everything to h; a loop advances by its least
 * turnaround each sweep; a stage fed by an exact-mode stage may have to
 * wait for SimGrid's clock.  Returns TRUE if everything reached h. */
static bool advance(struct sim *sim, double h, double now)
{
	for (;;) {
		bool progress = false, all = true;

		relax(sim, now);
		for (int p = 0; p < PATH_COUNT; p++) {
			struct epath *ep = &sim->paths[p];
			const double target = MIN(h, sim->duration);

			for (unsigned i = 0; i < ep->nsources; i++) {
				struct esource *s = &ep->sources[i];
				double safe = safe_time(ep, s->in, s->nin, target);

				if (safe > s->done) {
					s->done = generate(ep, i, safe);
					s->known = MAX(s->known, s->done);
					progress = true;
				}
				all &= s->done >= target;
			}
			for (unsigned k = 0; k < ep->nstages; k++) {
				struct estage *es = &ep->stages[k];

				if (es->exact)
					continue;
				double safe = safe_time(ep, es->in, es->nin, target);

				if (safe > es->done) {
					run_to(sim, es, safe);
					es->known = MAX(es->known, es->done);
					progress = true;
				}
				all &= es->done >= target;
			}
		}
		if (all || !progress)
			return all;
		sim->stats.sweeps++;
	}
}

/* Exact-mode servers waiting for inputs: the driver has moved on. */
static void wake_starved(struct sim *sim)
{
	for (unsigned i = 0; i < sim->nexact; i++) {
		struct estage *es = sim->exact[i];

		for (unsigned l = 0; l < es->nlanes; l++) {
			/* a woken server may starve again while we release: count
			 * only those waiting now */
			const unsigned n = es->lanes[l].starved;

			es->lanes[l].starved = 0;
			for (unsigned k = 0; k < n; k++) {
				sg_sem_release(es->lanes[l].sem);
				sim->stats.activities++;
			}
		}
	}
}

/* How far every figure is computed: what window-mode stages and sources
 * have reached, and, with exact-mode stages, SimGrid's clock. */
static double reached(const struct sim *sim, double now)
{
	double t = sim->any_exact ? now : INFINITY;

	/* a batch in service delivers no earlier than its start */
	for (unsigned i = 0; i < sim->nexact; i++)
		for (unsigned k = 0; k < sim->exact[i]->nservers; k++)
			if (isfinite(sim->exact[i]->busy_end[k]))
				t = MIN(t, sim->exact[i]->busy_start[k]);

	for (int p = 0; p < PATH_COUNT; p++) {
		const struct epath *ep = &sim->paths[p];

		for (unsigned k = 0; k < ep->nstages; k++)
			if (!ep->stages[k].exact)
				t = MIN(t, ep->stages[k].done);
		for (unsigned i = 0; i < ep->nsources; i++)
			t = MIN(t, ep->sources[i].done);
	}
	return t;
}

/* Nothing is in flight: nothing can arrive anywhere before the next birth
 * or event.  Jump there (the windows skipped count as empty samples);
 * returns when to wake. */
static double skip_idle(struct sim *sim, double t, double *grid)
{
	const double w = sim->window;
	double nb = next_birth(sim);

	nb = MIN(nb, events_next(sim));
	nb = MIN(nb, sim->duration);
	if (!(nb > t))
		return t;
	*grid = floor(nb / w) * w;
	sim->horizon = MAX(sim->horizon, nb);
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		for (unsigned k = 0; k < ep->nstages; k++) {
			struct estage *es = &ep->stages[k];

			es->done = MAX(es->done, nb);
			/* the stage is empty at every boundary skipped */
			for (; es->next_sample < nb && es->next_sample < sim->duration;
			     es->next_sample += w)
				es->occupancy_n += es->next_sample > sim->warmup;
		}
		for (unsigned i = 0; i < ep->nsources; i++)
			ep->sources[i].done = MAX(ep->sources[i].done, nb);
	}
	return nb;
}

/* When the driver must run next: at the next window boundary h, or
 * earlier, when an exact-mode stage's inputs run out. */
static double next_wake(const struct sim *sim, double h)
{
	double t = h;

	for (unsigned i = 0; i < sim->nexact; i++)
		t = MIN(t, window_horizon(sim->exact[i]));
	return t;
}

static bool exact_busy(const struct sim *sim)
{
	for (unsigned i = 0; i < sim->nexact; i++)
		for (unsigned k = 0; k < sim->exact[i]->nservers; k++)
			if (isfinite(sim->exact[i]->busy_end[k]))
				return true;
	return false;
}

void window_driver_main(int argc, char **argv)
{
	struct sim *sim = sg_actor_self_get_data();
	const double w = sim->window;
	double grid = 0;	/* the current window ends at grid + w */
	gint64 last = g_get_monotonic_time();

	for (;;) {
		const double now = simgrid_get_clock();
		const uint64_t events = sim->exact_events;

		/* events at now: batches that start from now on see them */
		events_apply_due(sim, now);
		while (grid + w <= now)
			grid += w;
		double h = grid + w;

		/* a window ends at the next event: batches that start before
		 * it are served in the old state, later ones in the new */
		h = MIN(h, events_next(sim));
		bool all = advance(sim, h, now);

		sim->horizon = MAX(sim->horizon, MIN(h, sim->duration));
		estage_wake_flush();
		wake_starved(sim);
		if (sim->series_len > 0)
			series_close(sim, reached(sim, now));
		charge(sim, now, false);
		sim->stats.windows++;
		progress(sim, now, &last);
		if (sim->opts && sim->opts->stop && *sim->opts->stop) {
			sim->stopped = true;
			sim->stopped_at = MIN(reached(sim, now), sim->duration);
			break;
		}
		if (all && h >= sim->duration &&
		    (!sim->any_exact || (now >= sim->duration && !exact_busy(sim))))
			break;

		double t = next_wake(sim, h);

		if (all && !sim->any_exact && sim->nexecs == 0 && idle(sim))
			t = skip_idle(sim, t, &grid);
		if (now >= sim->duration)
			t = MAX(t, now + w); /* waiting for batches still in service */
		if (t > now) {
			sg_actor_sleep_until(t);
		} else if (sim->exact_events != events) {
			continue; /* actors moved while we worked: look again */
		} else if (exact_busy(sim)) {
			/* a stage fed by an exact one waits for its batch to end */
			sim->driver_waiting = true;
			sg_sem_acquire_timeout(sim->driver_sem, h - now);
			sim->driver_waiting = false;
		} else {
			/* exact servers about to start at now (stages that may
			 * take no time): let them, then look again */
			sg_actor_yield();
			if (sim->exact_events == events && !sim->yielding) {
				/* the inputs of an exact stage cannot be known
				 * past now, and nothing else moves */
				sim->stuck = true;
				break;
			}
		}
		sim->stats.activities++;
	}
	charge(sim, simgrid_get_clock(), true);
	if (sim->opts && sim->opts->progress)
		fprintf(stderr, "\r%60s\r", "");
}
