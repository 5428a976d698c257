/* follow.c: keep the story of a few packets from the engine's tracer
 * (see follow.h).
 *
 * Per path, the followed packets are a short list sorted by birth.  A
 * packet's birth is its arrival at the first stage of the route its source
 * starts on; the engine creates packets source by source, a window at a
 * time, so a packet born earlier may still turn up after a later one:
 * it then takes the place of the latest in the list, whose records go.
 * The choice is final once every source has been seen to give birth past
 * the last packet in the list.
 */
#include "teach/follow.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"
#include "model/component.h"

struct fpath {
	GPtrArray *pkts;	/* struct follow_pkt *, by birth */
	bool flow_chosen;	/* flow mode: a flow's first packet is in pkts */
	uint32_t flow;
	double *max_born;	/* per source: the latest birth seen */
};

struct follow {
	const struct scenario *sc;
	struct follow_opts o;
	struct engine_tracer tr;
	volatile sig_atomic_t stop;
	unsigned nsources;
	unsigned vm;		/* the VM followed, an index in sc->vms */
	bool *followable;	/* per source: the followed VM's own */
	struct fpath p[PATH_COUNT];
};

static void pkt_free(gpointer data)
{
	struct follow_pkt *fp = data;

	g_array_unref(fp->steps);
	g_free(fp);
}

static struct follow_pkt *find(const struct fpath *fp, const struct pkt *p)
{
	for (guint i = 0; i < fp->pkts->len; i++) {
		struct follow_pkt *k = fp->pkts->pdata[i];

		if (k->seq == p->seq && k->source == p->source)
			return k;
	}
	return NULL;
}

/* Insert a record of p, born now, in birth order; the latest goes if the
 * list is then longer than wanted. */
static void insert(struct follow *f, struct fpath *fp, const struct pkt *p)
{
	struct follow_pkt *k = g_new0(struct follow_pkt, 1);
	guint at = fp->pkts->len;

	k->source = p->source;
	k->seq = p->seq;
	k->flow = p->flow;
	k->size = p->size;
	k->flags = p->flags;
	k->born = p->born;
	k->steps = g_array_new(FALSE, TRUE, sizeof(struct follow_step));
	while (at > 0) {
		const struct follow_pkt *prev = fp->pkts->pdata[at - 1];

		if (prev->born < k->born || (prev->born == k->born && prev->source < k->source))
			break;
		at--;
	}
	g_ptr_array_insert(fp->pkts, (gint)at, k);
	if (fp->pkts->len > f->o.packets)
		g_ptr_array_remove_index(fp->pkts, fp->pkts->len - 1);
}

static void on_birth(struct follow *f, struct fpath *fp, const struct pkt *p)
{
	fp->max_born[p->source] = MAX(fp->max_born[p->source], p->born);
	if (p->born < f->o.at_s)
		return;
	if (!f->o.flow) {
		if (fp->pkts->len < f->o.packets ||
		    p->born < ((struct follow_pkt *)fp->pkts->pdata[fp->pkts->len - 1])->born)
			insert(f, fp, p);
		return;
	}
	if (p->flags & PKT_FIRST) {
		const struct follow_pkt *first = fp->flow_chosen ? fp->pkts->pdata[0] : NULL;

		/* an earlier new flow replaces the one chosen */
		if (!first || p->born < first->born) {
			g_ptr_array_set_size(fp->pkts, 0);
			fp->flow_chosen = true;
			fp->flow = p->flow;
			insert(f, fp, p);
		}
		return;
	}
	if (fp->flow_chosen && p->flow == fp->flow && fp->pkts->len < f->o.packets)
		insert(f, fp, p);
}

/* Whether path fp's followed packets are all final and done. */
static bool path_done(const struct follow *f, const struct fpath *fp)
{
	if (fp->pkts->len < f->o.packets)
		return false;
	const struct follow_pkt *last = fp->pkts->pdata[fp->pkts->len - 1];

	for (guint i = 0; i < fp->pkts->len; i++)
		if (((const struct follow_pkt *)fp->pkts->pdata[i])->fate == FOLLOW_IN_FLIGHT)
			return false;
	/* no source can still give birth before the last one followed */
	for (unsigned s = 0; s < f->nsources; s++)
		if (f->followable[s] && !(fp->max_born[s] > last->born))
			return false;
	return true;
}

static void add_step(struct follow_pkt *k, const struct trace_event *ev, enum follow_kind kind)
{
	struct follow_step s = {
		.kind = kind,
		.stage = g_intern_string(ev->stage),
		.runs_on = g_intern_string(ev->runs_on),
		.route = g_intern_string(ev->route),
		.to_route = g_intern_string(ev->to_route),
		.route_index = ev->pkt->route,
		.hop = ev->pkt->hop,
		.server = ev->server,
		.batch = ev->batch,
		.flags = ev->pkt->flags,
		.arrive = ev->arrive,
		.ready = ev->ready,
		.start = ev->start,
		.end = ev->end,
		.delay = ev->delay,
	};

	switch (kind) {
	case FOLLOW_STAGE:
		/* the engine reports hardware service in seconds: no cycles */
		s.cycles = !strcmp(ev->runs_on, "host cores") || !strcmp(ev->runs_on, "vCPUs")
				   ? ev->cycles
				   : 0;
		break;
	case FOLLOW_DROP:
		s.arrive = s.ready = s.start = s.end = ev->t;
		break;
	case FOLLOW_DIVERT:
	case FOLLOW_RESPOND:
		s.arrive = s.ready = s.start = s.end = ev->t;
		break;
	}
	g_array_append_val(k->steps, s);
}

/* When k's latency began: done - latency, which the engine computed from
 * the instant the packet reached a stage; that instant itself, so that
 * the stage before it counts nothing, not a rounding error's worth. */
static double latency_start(const struct follow_pkt *k)
{
	const double t0 = k->done - k->latency;

	for (guint i = 0; i < k->steps->len; i++) {
		const struct follow_step *s = &g_array_index(k->steps, struct follow_step, i);

		if (s->kind == FOLLOW_STAGE && fabs(s->arrive - t0) <= 1e-12 * MAX(1, fabs(t0)))
			return s->arrive;
	}
	return t0;
}

static void on_event(void *data, const struct trace_event *ev)
{
	struct follow *f = data;
	const struct pkt *p = ev->pkt;

	if ((p->flags & PKT_NEIGHBOUR) || p->source >= f->nsources || !f->followable[p->source])
		return;
	struct fpath *fp = &f->p[ev->path];

	if (ev->kind == TRACE_ARRIVE) {
		/* born: at the first stage of its source's route, not as a
		 * response nor diverted (a diversion continues after hop 0) */
		if (p->hop != 0 || (p->flags & PKT_RESPONSE) || ev->t != p->born || find(fp, p))
			return;
		on_birth(f, fp, p);
		/* a later birth may be what makes the choice final */
		if (!f->stop && path_done(f, &f->p[PATH_NORMAL]) && path_done(f, &f->p[PATH_ACCEL]))
			f->stop = 1;
		return;
	}
	struct follow_pkt *k = find(fp, p);

	if (!k)
		return;
	switch (ev->kind) {
	case TRACE_DEPART:
		add_step(k, ev, FOLLOW_STAGE);
		return;
	case TRACE_DIVERT:
		add_step(k, ev, FOLLOW_DIVERT);
		return;
	case TRACE_RESPOND:
		add_step(k, ev, FOLLOW_RESPOND);
		return;
	case TRACE_DROP:
		add_step(k, ev, FOLLOW_DROP);
		k->fate = FOLLOW_DROPPED;
		k->done = ev->t;
		break;
	case TRACE_DELIVER:
		k->fate = FOLLOW_DELIVERED;
		k->done = ev->t;
		k->latency = ev->latency;
		k->counted = ev->counted;
		k->t0 = latency_start(k);
		break;
	default:
		return;
	}
	if (path_done(f, &f->p[PATH_NORMAL]) && path_done(f, &f->p[PATH_ACCEL]))
		f->stop = 1;
}

struct follow *follow_new(const struct scenario *s, const struct follow_opts *o)
{
	struct follow *f = g_new0(struct follow, 1);

	g_assert(o->packets >= 1);
	f->sc = s;
	f->o = *o;
	f->o.vm = NULL;		/* the caller's string need not outlive f */
	f->tr = (struct engine_tracer){ on_event, f };
	f->nsources = s->traffic->len;
	/* the caller checked the name (follow_vm_find) */
	if (!follow_vm_find(s, o->vm, "vm", &f->vm, NULL))
		g_assert_not_reached();
	f->followable = g_new0(bool, f->nsources);
	for (unsigned i = 0; i < f->nsources; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);

		f->followable[i] = t->vm == TVM_SELF && t->vm_index == f->vm;
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		f->p[p].pkts = g_ptr_array_new_with_free_func(pkt_free);
		f->p[p].max_born = g_new(double, MAX(f->nsources, 1));
		for (unsigned i = 0; i < f->nsources; i++)
			f->p[p].max_born[i] = -INFINITY;
	}
	return f;
}

void follow_free(struct follow *f)
{
	if (!f)
		return;
	for (int p = 0; p < PATH_COUNT; p++) {
		g_ptr_array_unref(f->p[p].pkts);
		g_free(f->p[p].max_born);
	}
	g_free(f->followable);
	g_free(f);
}

const struct engine_tracer *follow_tracer(struct follow *f)
{
	return &f->tr;
}

volatile sig_atomic_t *follow_stop_flag(struct follow *f)
{
	return &f->stop;
}

unsigned follow_count(const struct follow *f, enum path_id p)
{
	return f->p[p].pkts->len;
}

const struct follow_pkt *follow_get(const struct follow *f, enum path_id p, unsigned i)
{
	g_assert(i < f->p[p].pkts->len);
	return f->p[p].pkts->pdata[i];
}

const struct follow_opts *follow_options(const struct follow *f)
{
	return &f->o;
}

unsigned follow_vm(const struct follow *f)
{
	return f->vm;
}

bool follow_vm_find(const struct scenario *s, const char *name, const char *opt, unsigned *out,
		    GError **error)
{
	if (!name) {
		*out = s->primary;
		return true;
	}
	const int i = scenario_vm_index(s, name);

	if (i >= 0) {
		*out = (unsigned)i;
		return true;
	}
	if (!s->named_vms) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s: %s places no VMs of its own ([vm NAME]): its one VM is the one "
			    "shown, got '%s'",
			    opt, s->name, name);
		return false;
	}
	const char *near;
	g_autofree char *all = scenario_vm_names(s, name, &near);

	if (near)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s: expected one of the VMs %s places (%s), got '%s' (did you mean "
			    "'%s'?)",
			    opt, s->name, all, name, near);
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s: expected one of the VMs %s places (%s), got '%s'", opt, s->name, all,
			    name);
	return false;
}

char *follow_vm_words(const struct scenario *s, unsigned vm)
{
	const struct vm_spec *v = &g_array_index(s->vms, struct vm_spec, vm);

	if (!s->named_vms)
		return NULL;
	if (s->vms->len == 1)
		return g_strdup_printf("VM %s (accelerated networking: %s), the host's only VM",
				       v->name, an_mode_names[v->an]);
	return g_strdup_printf("VM %s (accelerated networking: %s), one of the host's %u VMs",
			       v->name, an_mode_names[v->an], s->vms->len);
}

double follow_t0(const struct follow_pkt *fp)
{
	return fp->t0;
}

/* The length of [a, b] inside [lo, hi]. */
static double clip(double a, double b, double lo, double hi)
{
	return MAX(0, MIN(b, hi) - MAX(a, lo));
}

void follow_counted_parts(const struct follow_pkt *fp, const struct follow_step *s,
			  struct follow_parts *out)
{
	const double lo = follow_t0(fp), hi = fp->done;

	g_assert(fp->fate == FOLLOW_DELIVERED && s->kind == FOLLOW_STAGE);
	out->queue = clip(s->arrive, s->ready, lo, hi);
	out->wake = clip(s->ready, s->start, lo, hi);
	out->service = clip(s->start, s->end, lo, hi);
	out->delay = clip(s->end, s->end + s->delay, lo, hi);
}

bool follow_vf_removed(const struct scenario *s, unsigned vm, double t)
{
	bool removed = false;

	for (guint i = 0; i < s->events->len; i++) {
		const struct event_spec *e = &g_array_index(s->events, struct event_spec, i);

		if (e->at > t)
			break;
		if (e->path == PATHSEL_NORMAL || (e->vm >= 0 && (unsigned)e->vm != vm))
			continue;
		if (e->action == EV_VF_REMOVE)
			removed = true;
		else if (e->action == EV_VF_ADD)
			removed = false;
	}
	return removed;
}

static void budget_row_clear(gpointer data)
{
	struct budget_row *b = data;

	g_free(b->name);
	g_free(b->where);
}

GArray *follow_budget(const struct follow *f, enum path_id p, const struct pipeline *pl)
{
	const guint ns = pl->stages->len;
	g_autofree struct follow_parts *sum = g_new0(struct follow_parts, ns);
	GArray *out = g_array_new(FALSE, TRUE, sizeof(struct budget_row));
	unsigned n = 0;

	g_array_set_clear_func(out, budget_row_clear);
	for (unsigned i = 0; i < follow_count(f, p); i++) {
		const struct follow_pkt *fp = follow_get(f, p, i);

		if (fp->fate != FOLLOW_DELIVERED)
			continue;
		n++;
		for (guint k = 0; k < fp->steps->len; k++) {
			const struct follow_step *st = &g_array_index(fp->steps, struct follow_step, k);
			struct follow_parts x;
			guint s = 0;

			if (st->kind != FOLLOW_STAGE)
				continue;
			while (s < ns && strcmp(((struct stage *)pl->stages->pdata[s])->name, st->stage))
				s++;
			g_assert(s < ns);
			follow_counted_parts(fp, st, &x);
			sum[s].queue += x.queue;
			sum[s].wake += x.wake;
			sum[s].service += x.service;
			sum[s].delay += x.delay;
		}
	}
	for (guint s = 0; n && s < ns; s++) {
		const struct stage *st = pl->stages->pdata[s];

		if (sum[s].queue + sum[s].wake + sum[s].service > 0) {
			struct budget_row b = { .name = g_strdup(st->name),
						.where = g_strdup(st->runs_on),
						.wait_s = sum[s].queue / n,
						.wake_s = sum[s].wake / n,
						.service_s = sum[s].service / n };

			g_array_append_val(out, b);
		}
		if (sum[s].delay > 0) {
			const char *what = st->lead->ops->delay ? st->lead->ops->delay : "delay";
			struct budget_row b = { .name = g_strdup_printf("%s: %s", st->name, what),
						.where = g_strdup(st->runs_on),
						.delay_s = sum[s].delay / n };

			g_array_append_val(out, b);
		}
	}
	return out;
}
