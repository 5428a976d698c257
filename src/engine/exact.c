/* exact.c: stages on shared cores, served by SimGrid actors.
 *
 * Where several executes could run on one host's cores at once (background
 * load, more threads than vCPUs), a stage's time depends on how the cores
 * are shared, which is what SimGrid's CPU model computes.  There each server
 * of the stage is an actor: it waits (a semaphore, posted only when it
 * sleeps) for an arrival, is woken as the ring's handoff says, takes a
 * batch of what has arrived, runs one execute for the batch's cycles on its
 * host, and hands the batch on.  One execute and at most one wait per batch.
 *
 * Actors live in SimGrid's time, which is model time.  A server starts a
 * batch at t only once the window-mode stages and sources feeding it are
 * known past t (window_horizon()); until then it waits for the driver
 * (window.c), which runs whenever such inputs run out.  docs/engine.md,
 * "Exact mode and the driver", says why this is exact and always advances.
 */
#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/vm.h>

#include "engine/internal.h"
#include "engine/stage.h"

struct server {
	struct estage *es;
	unsigned index;		/* which of the stage's servers */
	struct lane *lane;
	double *free;		/* its free time (lane's or the shared server's) */
	struct pkt_batch b;	/* its own: an actor yields in the middle */
	struct batch_cost x;
	bool yielded;		/* it let same-instant actors go first */
};

static GPtrArray *servers;	/* struct server *, for the end-of-run count */

/* SimGrid computes times to about a nanosecond (surf/precision, 1e-9 s):
 * model times within twice that of SimGrid's clock are the same instant. */
#define SG_TIME_TOLERANCE 2e-9

/* Wait until time t, or until a push of a packet arriving before t wakes
 * the lane up. */
static void wait_lane(struct estage *es, struct lane *l, double t)
{
	l->waiters++;
	l->planned = t;
	if (isfinite(t))
		sg_sem_acquire_timeout(l->sem, MAX(t - simgrid_get_clock(), 0));
	else
		sg_sem_acquire(l->sem);
	l->waiters--;
	/* the plan was one server's: another still waiting plans its own
	 * wake-up, so a push must wake it until it has planned again */
	if (l->waiters > 0)
		l->planned = INFINITY;
	es->ep->sim->stats.activities++;
}

/* Wait for the driver: what feeds the lane is not known far enough. */
static void wait_driver(struct estage *es, struct lane *l)
{
	l->starved++;
	wait_lane(es, l, INFINITY);
}

/* The driver waits for a batch to start or end (window.c): it has. */
static void wake_driver(struct sim *sim)
{
	if (sim->driver_waiting) {
		sim->driver_waiting = false;
		sg_sem_release(sim->driver_sem);
	}
}

static void server_main(int argc, char **argv)
{
	struct server *sv = sg_actor_self_get_data();
	struct estage *es = sv->es;
	struct lane *l = sv->lane;
	struct sim *sim = es->ep->sim;

	for (;;) {
		const double now = simgrid_get_clock();
		const double horizon = window_horizon(es);

		if (now >= sim->duration)
			break;
		if (!l->in.len) {
			if (horizon <= now)
				wait_driver(es, l);
			else
				wait_lane(es, l, INFINITY);
			continue;
		}
		const double a0 = pring_head(&l->in)->t;

		if (!(a0 < horizon)) {
			/* an earlier packet may still come: wait for it or the driver */
			if (horizon > now)
				wait_lane(es, l, horizon);
			else
				wait_driver(es, l);
			continue;
		}
		/* model times as window mode computes them: busy when the head
		 * came, the server starts when free; idle, after its wake-up */
		double start = *sv->free, ready = start;
		const bool busy = start > a0;

		if (!busy) {
			bool known;

			ready = a0;
			start = lane_wake_time(es, l, a0, &known, horizon);
			if (!known) {
				/* a frame count: what arrives before the horizon */
				if (horizon > now)
					wait_lane(es, l, horizon);
				else
					wait_driver(es, l);
				continue;
			}
		}
		/* the servers of a shared lane take its head in turn: no batch
		 * starts before the one taken before it (window.c); then its CPU
		 * may be taken */
		start = estage_resume(es, sv->index, MAX(start, l->last_start), busy);
		if (start > now + SG_TIME_TOLERANCE) {
			wait_lane(es, l, start);
			continue;
		}
		/* woken late (it waited for the driver at a tie): it starts now */
		if (start < now - SG_TIME_TOLERANCE)
			start = now;
		ready = MIN(ready, start);
		/* a batch takes what has arrived by its start: that must be known */
		if (!(horizon > start)) {
			wait_driver(es, l);
			continue;
		}
		/* exact feeders whose batches end at this very instant hand
		 * their packets on first, as window mode would have them */
		if (es->exact_fed && !sv->yielded) {
			sv->yielded = true;
			sim->yielding++;
			sg_actor_yield();
			sim->yielding--;
			continue;
		}
		sv->yielded = false;
		struct pkt_batch *b = &sv->b;

		/* before another server of the lane looks (a simcall below) */
		l->last_start = start;
		lane_take(es, l, start, b);
		/* another server of a shared lane may take what is left; it is
		 * told once this batch is whole (a simcall lets others run, the
		 * driver among them, which must not see half a batch) */
		const bool more = l->in.len && l->waiters > 0;

		if (!b->n) {
			if (more)
				sg_sem_release(l->sem);
			continue;
		}
		l->drawn = 0;
		double svc = estage_begin(es, sv->index, b, ready, start, busy, &sv->x);

		/* the batch is in service: keep the server busy for others */
		*sv->free = INFINITY;
		es->busy_end[sv->index] = start + svc;
		es->busy_start[sv->index] = start;
		sim->exact_events++;
		if (more)
			sg_sem_release(l->sem);
		/* a delivery at the batch's start may have made a closed loop's
		 * next request: the driver brings it into being now */
		wake_driver(sim);
		const double sg_start = simgrid_get_clock();
		if (svc > 0) {
			sg_actor_execute(sv->x.units);
			sim->stats.activities++;
		}
		const double sg_end = simgrid_get_clock();
		/* SimGrid ends an execute to within its precision; one that no
		 * other work slowed down ends, in model time, exactly as window
		 * mode computes it, so both modes agree where cores are not
		 * shared.  A slowed one ends when SimGrid says. */
		double end = start + svc;

		if (fabs((sg_end - sg_start) - svc) > SG_TIME_TOLERANCE)
			end = sg_end;

		*sv->free = end;
		es->busy_end[sv->index] = INFINITY;
		sim->exact_events++;
		sim->stats.simgrid_flops[es->ep->path] += sv->x.units;
		estage_finish(es, l, sv->index, b, &sv->x, ready, start, end);
		estage_wake_flush();
		b->n = 0;
		wake_driver(sim);
	}
}

void exact_start(struct sim *sim)
{
	servers = g_ptr_array_new_with_free_func(g_free);
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		for (unsigned s = 0; s < ep->nstages; s++) {
			struct estage *es = &ep->stages[s];

			if (!es->exact)
				continue;
			for (unsigned k = 0; k < es->nservers; k++) {
				struct server *sv = g_new0(struct server, 1);
				g_autofree char *name = g_strdup_printf("%s.%s#%u", path_name(p),
									es->st->name, k);

				sv->es = es;
				sv->index = k;
				sv->lane = &es->lanes[es->nlanes == 1 ? 0 : k];
				sv->free = es->free ? &es->free[k] : &sv->lane->free;
				g_ptr_array_add(servers, sv);
				sg_actor_t a = sg_actor_init(name, es->res->host);
				sg_actor_set_data(a, sv);
				sg_actor_start(a, server_main, 0, NULL);
				sg_actor_daemonize(a);
			}
		}
	}
}

uint64_t exact_in_flight(const struct sim *sim, int path, int vm)
{
	uint64_t n = 0;

	for (guint i = 0; servers && i < servers->len; i++) {
		const struct server *sv = servers->pdata[i];
		const struct epath *ep = sv->es->ep;

		if ((int)ep->path != path)
			continue;
		/* a packet recv() took when the batch started is delivered */
		for (unsigned k = 0; k < sv->b.n; k++)
			n += (sv->b.p[k]->flags & PKT_MEASURED) && pkt_vm(ep, sv->b.p[k]) == vm &&
			     !estage_delivered_at_start(sv->es, &sv->b, k);
	}
	return n;
}

void exact_free(void)
{
	if (servers)
		g_ptr_array_unref(servers);
	servers = NULL;
}
