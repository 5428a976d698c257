/* events.c: the scenario's events as the engine's timeline.
 *
 * A scenario's [event] sections become timed changes of state, in time
 * order: a VF leaves (vf_remove) or comes back into use (vf_add, after the
 * VM's failover: the guest's bond switches its data path back only once
 * the VF is up again), the host's link goes down or up, a migration
 * starts.  The driver (window.c) ends a window at each, so batches that
 * start before it are served in the old state, later ones in the new.
 *
 * Some events are states over an interval, known in advance, and need no
 * change at all: other host work on the vSwitch's cores (host_load) runs
 * as load threads from its start to its end (load.c), and a link that is
 * down drops what arrives at it meanwhile (events_link_down()).  Every
 * change, and both ends of those intervals, starts a phase: the figures
 * between events (series.c).
 */
#include <math.h>

#include "engine/internal.h"

static gint tl_cmp(gconstpointer a, gconstpointer b)
{
	const struct tl_event *x = a, *y = b;

	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

void events_insert(struct sim *sim, double t, enum tl_kind kind, int vm, int path, bool mark)
{
	struct tl_event e = { .t = t, .kind = kind, .vm = vm, .path = path, .mark = mark,
			      .seq = sim->tl_seq++ };
	guint i = sim->timeline->len;

	/* after every change at or before t, so that changes keep their order */
	while (i > sim->tl_next && g_array_index(sim->timeline, struct tl_event, i - 1).t > t)
		i--;
	g_array_insert_val(sim->timeline, i, e);
}

void events_init(struct sim *sim)
{
	const struct scenario *sc = sim->sc;
	const double failover = sc->model->vm.failover_s;
	g_autoptr(GArray) bounds = g_array_new(FALSE, FALSE, sizeof(double));

	sim->timeline = g_array_new(FALSE, FALSE, sizeof(struct tl_event));
	for (guint i = 0; i < sc->events->len; i++) {
		const struct event_spec *ev = &g_array_index(sc->events, struct event_spec, i);
		double t = ev->at;

		switch (ev->action) {
		case EV_VF_REMOVE:
			events_insert(sim, t, TL_VF_OFF, ev->vm, ev->path, true);
			break;
		case EV_VF_ADD:
			/* the VF is back at t; traffic uses it once the guest's
			 * bond has failed over to it */
			t += failover;
			events_insert(sim, t, TL_VF_ON, ev->vm, ev->path, true);
			break;
		case EV_LINK_DOWN:
		case EV_LINK_UP:
			for (int p = 0; p < PATH_COUNT; p++) {
				struct epath *ep = &sim->paths[p];

				if (ev->path != PATHSEL_BOTH && (ev->path == PATHSEL_NORMAL) != (p == PATH_NORMAL))
					continue;
				/* the link's states: down from each link_down to the
				 * next link_up (events are in time order) */
				if (ev->action == EV_LINK_DOWN && !(ep->ndown % 2)) {
					ep->down = g_renew(double, ep->down, ep->ndown + 2);
					ep->down[ep->ndown++] = t;
					ep->down[ep->ndown] = INFINITY;
				} else if (ev->action == EV_LINK_UP && ep->ndown % 2) {
					ep->down[ep->ndown++] = t;
				}
			}
			break;
		case EV_HOST_LOAD:
			g_array_append_val(bounds, ev->until);
			break;
		case EV_MIGRATE:
			/* the VF goes first; the rest when SimGrid is done */
			events_insert(sim, t, TL_VF_OFF, ev->vm, PATHSEL_BOTH, true);
			break;
		default:
			break;
		}
		g_array_append_val(bounds, t);
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		/* a link still down at the end */
		if (ep->ndown % 2)
			ep->ndown++;
	}
	g_array_sort(sim->timeline, tl_cmp);
	if (sc->events->len) {
		g_array_sort(bounds, (GCompareFunc)tl_cmp_double);
		phases_init(sim, (const double *)(void *)bounds->data, bounds->len);
	}
}

gint tl_cmp_double(gconstpointer a, gconstpointer b)
{
	const double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double events_next(const struct sim *sim)
{
	return sim->tl_next < sim->timeline->len
		       ? g_array_index(sim->timeline, struct tl_event, sim->tl_next).t
		       : INFINITY;
}

/* Tell the components of VM v on path ep that its VF left or is back in
 * use (the VF itself, and the guest's bonded driver). */
static void vf_event(struct epath *ep, int v, const char *what, double t)
{
	GPtrArray *comps = ep->pl->components;

	for (guint i = 0; i < comps->len; i++) {
		struct component *c = comps->pdata[i];

		if (c->ops->event && g_array_index(ep->pl->comp_vm, int, i) == v)
			c->ops->event(c, what, t);
	}
}

/* Apply the change e on every path and VM it names.  A VM without a VF in
 * a world (the normal path's, or one with accelerated networking off) has
 * none to remove or add there. */
static void apply(struct sim *sim, const struct tl_event *e)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		if (e->path != PATHSEL_BOTH && (e->path == PATHSEL_NORMAL) != (p == PATH_NORMAL))
			continue;
		for (unsigned v = 0; v < ep->nvms; v++) {
			if ((e->vm >= 0 && (unsigned)e->vm != v) || !ep->pl->vm_vf[v])
				continue;
			switch (e->kind) {
			case TL_VF_OFF:
				vf_event(ep, (int)v, "vf_remove", e->t);
				break;
			case TL_VF_ON:
				vf_event(ep, (int)v, "vf_add", e->t);
				break;
			default:
				break;
			}
		}
	}
	if (e->kind == TL_MOVE)
		migrate_move(sim, e);
}

void events_apply_due(struct sim *sim, double now)
{
	while (sim->tl_next < sim->timeline->len) {
		const struct tl_event e = g_array_index(sim->timeline, struct tl_event, sim->tl_next);

		if (e.t > now)
			break;
		sim->tl_next++;
		if (e.mark)
			phases_mark(sim, e.t);
		apply(sim, &e);
	}
}

bool events_link_down(const struct epath *ep, double t)
{
	for (unsigned i = 0; i + 1 < ep->ndown; i += 2)
		if (t >= ep->down[i] && t < ep->down[i + 1])
			return true;
	return false;
}

void events_free(struct sim *sim)
{
	if (sim->timeline)
		g_array_unref(sim->timeline);
	sim->timeline = NULL;
	for (int p = 0; p < PATH_COUNT; p++) {
		g_free(sim->paths[p].down);
		sim->paths[p].down = NULL;
	}
}
