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
 * The host's actors live shifted in SimGrid time (model time + shift) so
 * their inputs, computed by the driver window by window, are always known
 * before they are needed; see docs/engine.md.
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
};

static GPtrArray *servers;	/* struct server *, for the end-of-run count */

static double model_now(const struct estage *es)
{
	return simgrid_get_clock() - es->res->shift;
}

/* Wait until model time t, or a push of a packet arriving before t wakes
 * the lane up. */
static void wait_lane(struct estage *es, struct lane *l, double t)
{
	l->waiters++;
	l->planned = t;
	if (isfinite(t))
		sg_sem_acquire_timeout(l->sem, MAX(t - model_now(es), 0));
	else
		sg_sem_acquire(l->sem);
	l->waiters--;
	es->ep->sim->stats.activities++;
}

static void server_main(int argc, char **argv)
{
	struct server *sv = sg_actor_self_get_data();
	struct estage *es = sv->es;
	struct lane *l = sv->lane;
	struct sim *sim = es->ep->sim;

	for (;;) {
		double now = model_now(es);

		if (now >= sim->duration)
			break;
		if (!l->in.len) {
			wait_lane(es, l, INFINITY);
			continue;
		}
		double a0 = pring_head(&l->in)->t;
		double start = a0, ready = a0;

		if (*sv->free <= a0) {
			/* idle when it comes: its wake-up decides the start; a
			 * packet pushed meanwhile may bring it forward (frames) */
			bool known;

			start = lane_wake_time(es, l, a0, &known, INFINITY);
		}
		if (start > now + 1e-12) {
			wait_lane(es, l, start);
			continue;
		}
		/* start is now, give or take the rounding of the time shift;
		 * it is never before the head's arrival, so the head is taken */
		start = MAX(start, now);
		if (*sv->free > a0)
			ready = start;
		struct pkt_batch *b = &sv->b;

		lane_take(es, l, start, b);
		if (!b->n)
			continue;
		l->drawn = false;
		double svc = estage_begin(es, sv->index, b, ready, start, &sv->x);

		/* the batch is in service: keep the server busy for others */
		*sv->free = INFINITY;
		if (svc > 0) {
			sg_actor_execute(sv->x.units);
			sim->stats.activities++;
		}
		double end = model_now(es);

		*sv->free = end;
		sim->stats.simgrid_flops[es->ep->path] += sv->x.units;
		estage_finish(es, l, sv->index, b, &sv->x, ready, start, end);
		estage_wake_flush();
		b->n = 0;
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

uint64_t exact_in_flight(const struct sim *sim, int path)
{
	uint64_t n = 0;

	for (guint i = 0; servers && i < servers->len; i++) {
		const struct server *sv = servers->pdata[i];

		if ((int)sv->es->ep->path != path)
			continue;
		for (unsigned k = 0; k < sv->b.n; k++)
			n += (sv->b.p[k]->flags & PKT_MEASURED) != 0;
	}
	return n;
}

void exact_free(void)
{
	if (servers)
		g_ptr_array_unref(servers);
	servers = NULL;
}
