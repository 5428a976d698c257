/* build.c: the engine's stages, lanes, sources and resources, built from
 * the two pipelines; who feeds whom (lookahead); which resources run in
 * exact mode; and their release at the end.
 */
#include <math.h>
#include <simgrid/semaphore.h>
#include <string.h>

#include "core/msg.h"
#include "engine/internal.h"

static void add_edge(struct in_edge **in, unsigned *nin, int from, double la, bool at_start)
{
	for (unsigned i = 0; i < *nin; i++)
		if ((*in)[i].from == from && (*in)[i].at_start == at_start) {
			(*in)[i].la = MIN((*in)[i].la, la);
			return;
		}
	*in = g_renew(struct in_edge, *in, *nin + 1);
	(*in)[(*nin)++] = (struct in_edge){ from, la, at_start };
}

/* A closed-loop source s on route r: delivering a response makes its next
 * request, fb at least after it. */
static void feedback_edge(struct epath *ep, struct esource *s, const struct route *r, double fb)
{
	const struct pipeline *pl = ep->pl;

	while (r->end == END_RESPOND)
		r = pl->routes->pdata[r->next_route];
	const unsigned last = r->hops[r->n - 1].stage;
	const struct estage *f = &ep->stages[last];
	/* delivered when the last stage starts on it (recv), after its
	 * service, or after its latency too */
	double la = r->deliver_at_start	 ? 0
		    : r->end == END_DELIVER ? (f->exact ? f->min_svc
							: pipeline_hop_min_service(pl, r, r->n - 1, 64))
		    : f->exact		    ? f->min_svc + pipeline_hop_min_latency(pl, r, r->n - 1, 64)
					    : pipeline_hop_min_time(pl, r, r->n - 1, 64);

	add_edge(&s->in, &s->nin, (int)last, la + fb,
		 r->deliver_at_start && r->end == END_DELIVER);
}

/* Who feeds whom, with the least time on the way (a packet of the least
 * size at full speed).  From a window-mode stage, its hop's least service
 * and latency; from an exact-mode one, whose progress bounds the start of
 * a batch perhaps already in service, the least service of any of its
 * hops and the hop's least latency (docs/engine.md). */
void build_edges(struct sim *sim, struct epath *ep)
{
	const struct pipeline *pl = ep->pl;

	for (unsigned k = 0; k < ep->nstages; k++)
		ep->stages[k].min_svc = INFINITY;
	for (guint ri = 0; ri < pl->routes->len; ri++) {
		const struct route *r = pl->routes->pdata[ri];

		for (unsigned h = 0; h < r->n; h++) {
			struct estage *es = &ep->stages[r->hops[h].stage];

			es->min_svc = MIN(es->min_svc, pipeline_hop_min_service(pl, r, h, 64));
		}
		if (r->end == END_DELIVER && r->deliver_at_start)
			ep->stages[r->hops[r->n - 1].stage].delivers_at_start = true;
		for (unsigned h = 0; ep->ring_copy && h + 1 < r->n; h++)
			if (ep->ring_copy[ri][h] >= 0)
				ep->stages[r->hops[h + 1].stage].ring_fed = true;
	}
	for (guint ri = 0; ri < pl->routes->len; ri++) {
		const struct route *r = pl->routes->pdata[ri];

		for (unsigned h = 0; h < r->n; h++) {
			unsigned from = r->hops[h].stage;
			unsigned to;

			if (h + 1 < r->n)
				to = r->hops[h + 1].stage;
			else if (r->end == END_RESPOND)
				to = ((const struct route *)pl->routes->pdata[r->next_route])->hops[0].stage;
			else
				continue;
			const struct estage *f = &ep->stages[from];
			double la = f->exact ? f->min_svc + pipeline_hop_min_latency(pl, r, h, 64)
					     : pipeline_hop_min_time(pl, r, h, 64);
			struct estage *es = &ep->stages[to];

			add_edge(&es->in, &es->nin, (int)from, la, false);
			es->exact_fed |= f->exact;
		}
	}
	for (unsigned i = 0; i < ep->nsources; i++) {
		struct esource *s = &ep->sources[i];
		const struct route *r = pl->routes->pdata[s->route];
		struct estage *first = &ep->stages[r->hops[0].stage];
		double fb = source_feedback_min(s->src);

		add_edge(&first->in, &first->nin, -1 - (int)i, 0, false);
		if (isfinite(fb))
			feedback_edge(ep, s, r, fb);
		/* after a migration it sends through the new host */
		if (s->dst_route >= 0) {
			const struct route *d = pl->routes->pdata[s->dst_route];
			struct estage *df = &ep->stages[d->hops[0].stage];

			add_edge(&df->in, &df->nin, -1 - (int)i, 0, false);
			if (isfinite(fb))
				feedback_edge(ep, s, d, fb);
		}
	}
}

/* Mark in crosses the stages route ri crosses from hop h on, its
 * diversions and its response included. */
static void mark_crossed(const struct pipeline *pl, int ri, bool *crosses, unsigned depth)
{
	const struct route *r = pl->routes->pdata[ri];

	g_assert(depth < 16);
	for (unsigned i = 0; i < r->n; i++) {
		crosses[r->hops[i].stage] = true;
		if (r->hops[i].alt_route >= 0)
			mark_crossed(pl, r->hops[i].alt_route, crosses, depth + 1);
	}
	if (r->end == END_RESPOND)
		mark_crossed(pl, r->next_route, crosses, depth + 1);
}

/* Which component of each hop copies frames into the next stage's ring,
 * as a real host copies into the guest's channel only once it has a free
 * slot there: a CPU stage's receive hop whose next hop is fed through a
 * ring that one of its components owns (set_handoffs() in pipeline.c
 * finds the same one).  The switch's own work, and a guest stack's before
 * its socket refuses a packet, are spent whatever comes next. */
static int8_t **ring_copies(const struct pipeline *pl)
{
	int8_t **rc = g_new0(int8_t *, pl->routes->len);
	bool any = false;

	for (guint ri = 0; ri < pl->routes->len; ri++) {
		const struct route *r = pl->routes->pdata[ri];

		rc[ri] = g_new(int8_t, r->n);
		for (unsigned i = 0; i < r->n; i++) {
			const struct hop *h = &r->hops[i], *next = &r->hops[i + 1];
			const struct stage *st = pl->stages->pdata[h->stage];

			rc[ri][i] = -1;
			if (i + 1 >= r->n || st->place == PLACE_HW || h->dir != DIR_RX ||
			    next->dir != DIR_RX || !next->in.ring)
				continue;
			const enum comp_place at = ((const struct stage *)pl->stages->pdata[next->stage])->place;

			for (unsigned c = h->ncomp; c-- > 0;) {
				struct handoff ho;

				if (h->comp[c]->ops->handoff &&
				    h->comp[c]->ops->handoff(h->comp[c], DIR_RX, at, &ho) &&
				    ho.ring == next->in.ring) {
					rc[ri][i] = (int8_t)c;
					any = true;
					break;
				}
			}
		}
	}
	if (!any) {
		for (guint ri = 0; ri < pl->routes->len; ri++)
			g_free(rc[ri]);
		g_clear_pointer(&rc, g_free);
	}
	return rc;
}

bool build_path(struct sim *sim, struct epath *ep, enum path_id p, struct run_result *out,
		       GError **error)
{
	const struct scenario *sc = sim->sc;

	ep->path = p;
	ep->sim = sim;
	ep->pl = pipeline_build(sc, p, error);
	if (!ep->pl)
		return false;
	ep->ring_copy = ring_copies(ep->pl);
	pool_init(&ep->pool, pipeline_max_visits(ep->pl), ep->ring_copy != NULL);

	/* resources: the host's, and each VM's vCPUs */
	const struct model *m = sc->model;
	for (int r = 0; r < RES_COUNT; r++) {
		ep->res[r].freq = m->host.freq_hz;
		ep->res[r].cores = r == RES_VM || r == RES_PEER_VM ? m->vm.vcpus : ep->pl->vswitch_cores;
	}
	ep->nvms = sc->vms->len;
	ep->vm_shares = sc->named_vms;
	ep->vmres = g_new0(struct eres, ep->nvms);
	ep->vms = g_new0(struct evm, ep->nvms);
	ep->vm_acc = g_new0(double, ep->nvms);
	ep->vm_cnt = g_new0(unsigned, ep->nvms);
	ep->vm_touched = g_new0(unsigned, ep->nvms);
	for (unsigned v = 0; v < ep->nvms; v++) {
		const struct vm_spec *vs = &g_array_index(sc->vms, struct vm_spec, v);

		ep->vmres[v].freq = m->host.freq_hz;
		ep->vmres[v].cores = vs->vcpus;
		/* a scenario of one VM reports it as the run's paths; with
		 * [vm NAME] sections each VM has its own, and the paths are
		 * the first compared VM's (collect.c) */
		if (sc->named_vms) {
			if (p == 0)
				run_result_add_vm(out, vs->name, an_mode_names[vs->an]);
			ep->vms[v].out = &((struct vm_result *)out->vms->pdata[v])->paths[p];
		} else {
			ep->vms[v].out = &out->paths[p];
		}
	}

	/* sources */
	ep->nsources = sc->traffic->len;
	ep->sources = g_new0(struct esource, ep->nsources);
	for (unsigned i = 0; i < ep->nsources; i++) {
		const struct traffic_spec *t = &g_array_index(sc->traffic, struct traffic_spec, i);
		enum route_kind k = traffic_route_kind(t);
		double cap = t->rate.kind == UNIT_PERCENT
				     ? pipeline_capacity_pps_vm(sc, dist_mean(&t->size), k,
								t->vm == TVM_SELF ? t->vm_index : sc->primary)
				     : 0;

		ep->sources[i].spec = t;
		ep->sources[i].route = pipeline_vm_route(ep->pl, k, t->vm_index);
		ep->sources[i].sink = t->vm == TVM_NEIGHBOUR;
		ep->sources[i].vm = t->vm == TVM_NEIGHBOUR ? -1 : (int)t->vm_index;
		ep->sources[i].dst_route = pipeline_dst_route(ep->pl, k, t->vm_index);
		ep->sources[i].src = source_new(t, i, sc->seed, cap, sc->duration_s, error);
		if (!ep->sources[i].src)
			return false;
	}

	/* stages */
	ep->nstages = ep->pl->stages->len;
	ep->stages = g_new0(struct estage, ep->nstages);
	for (unsigned v = 0; v < ep->nvms; v++) {
		ep->vms[v].budget = g_new0(struct budget_acc, ep->nstages);
		ep->vms[v].crosses = g_new0(bool, ep->nstages);
		for (int k = 0; k < RK_COUNT; k++) {
			int r = pipeline_vm_route(ep->pl, k, v);

			if (r >= 0 && k != RK_NEIGHBOUR_RX && k != RK_NEIGHBOUR_TX)
				mark_crossed(ep->pl, r, ep->vms[v].crosses, 0);
			r = pipeline_dst_route(ep->pl, k, v);
			if (r >= 0)
				mark_crossed(ep->pl, r, ep->vms[v].crosses, 0);
		}
	}
	for (unsigned s = 0; s < ep->nstages; s++) {
		struct estage *es = &ep->stages[s];
		const struct stage *st = ep->pl->stages->pdata[s];

		es->st = st;
		es->ep = ep;
		es->order = s;
		es->cpu = st->place != PLACE_HW;
		es->res = st->res == RES_HW   ? NULL
			  : st->res == RES_VM ? &ep->vmres[st->vm]
					      : &ep->res[st->res];
		es->vm = g_new0(struct evm_stage, ep->nvms);
		es->link = !strcmp(st->name, "wire.rx") || !strcmp(st->name, "wire.tx");
		es->sec_per_unit = es->cpu ? 1.0 / m->host.freq_hz : 1.0;
		es->nservers = st->serving.servers;
		es->shared = st->serving.shared_queue || es->nservers == 1;
		es->nlanes = es->shared ? 1 : es->nservers;
		es->capacity = st->capacity;
		es->lanes = g_new0(struct lane, es->nlanes);
		for (unsigned l = 0; l < es->nlanes; l++) {
			pring_init(&es->lanes[l].in, 64);
			/* by stage name, not path: both paths draw alike */
			es->lanes[l].key = rng_hash(rng_mix64(sc->seed),
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
	}
	/* background load makes its host's cores contended */
	for (guint i = 0; i < sc->loads->len; i++) {
		const struct load_spec *l = &g_array_index(sc->loads, struct load_spec, i);

		if (l->path == PATHSEL_BOTH || (l->path == PATHSEL_NORMAL) == (p == PATH_NORMAL))
			(l->where == LOAD_VSWITCH ? &ep->res[RES_VSWITCH] : &ep->vmres[sc->primary])
				->has_loads = true;
	}
	/* so does other host work for a while (an event: host_load) */
	for (guint i = 0; i < sc->events->len; i++) {
		const struct event_spec *e = &g_array_index(sc->events, struct event_spec, i);

		if (e->action == EV_HOST_LOAD &&
		    (e->path == PATHSEL_BOTH || (e->path == PATHSEL_NORMAL) == (p == PATH_NORMAL)))
			ep->res[RES_VSWITCH].has_loads = true;
	}
	for (int r = 0; r < RES_COUNT + (int)ep->nvms; r++) {
		struct eres *res = r < RES_COUNT ? &ep->res[r] : &ep->vmres[r - RES_COUNT];

		res->exact = res->servers > 0 &&
			     (sc->force_exact || res->has_loads || res->servers > res->cores);
	}
	for (unsigned s = 0; s < ep->nstages; s++) {
		struct estage *es = &ep->stages[s];

		es->exact = es->res && es->res->exact;
		es->next_sample = sim->warmup;
		if (es->exact) {
			sim->any_exact = true;
			sim->stats.exact_stages++;
			sim->exact = g_renew(struct estage *, sim->exact, sim->nexact + 1);
			sim->exact[sim->nexact++] = es;
			es->busy_end = g_new(double, es->nservers);
			es->busy_start = g_new0(double, es->nservers);
			for (unsigned k = 0; k < es->nservers; k++)
				es->busy_end[k] = INFINITY;
			for (unsigned l = 0; l < es->nlanes; l++)
				es->lanes[l].sem = sg_sem_init(0);
		}
	}
	return true;
}

/* Nodes of a path's feed graph: its stages, then its sources. */
static double *feed_distances(const struct epath *ep, unsigned *n_out)
{
	const unsigned n = ep->nstages + ep->nsources;
	double *d = g_new(double, (size_t)n * n);

	for (unsigned i = 0; i < n * n; i++)
		d[i] = INFINITY;
	for (unsigned k = 0; k < ep->nstages; k++)
		for (unsigned e = 0; e < ep->stages[k].nin; e++) {
			const struct in_edge *in = &ep->stages[k].in[e];
			unsigned from = in->from >= 0 ? (unsigned)in->from : ep->nstages + (unsigned)(-1 - in->from);

			d[from * n + k] = MIN(d[from * n + k], in->la);
		}
	for (unsigned i = 0; i < ep->nsources; i++)
		for (unsigned e = 0; e < ep->sources[i].nin; e++) {
			const struct in_edge *in = &ep->sources[i].in[e];
			unsigned to = ep->nstages + i;

			d[(unsigned)in->from * n + to] = MIN(d[(unsigned)in->from * n + to], in->la);
		}
	/* Floyd-Warshall: the least time from each node to each */
	for (unsigned m = 0; m < n; m++)
		for (unsigned i = 0; i < n; i++)
			for (unsigned j = 0; j < n; j++)
				d[i * n + j] = MIN(d[i * n + j], d[i * n + m] + d[m * n + j]);
	*n_out = n;
	return d;
}

/* Whatever goes round through a window-mode stage or a closed-loop source
 * must take some time on the way: the driver advances such a loop by its
 * least time round, and one of a picosecond would never finish.  The
 * exact-mode actors need no such thing (SimGrid orders them in time). */
bool build_check(struct sim *sim, GError **error)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct epath *ep = &sim->paths[p];
		unsigned n;
		g_autofree double *d = feed_distances(ep, &n);

		for (unsigned i = 0; i < n; i++) {
			if (i < ep->nstages && ep->stages[i].exact)
				continue;
			if (d[i * n + i] < 1e-9) {
				g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
					    "traffic loops back through %s, and the least time round "
					    "is %.3g s: give one of the stages on the way a positive "
					    "least cost (at least 1 ns; see docs/engine.md)",
					    i < ep->nstages ? ep->stages[i].st->name : "a closed loop",
					    d[i * n + i]);
				return false;
			}
		}
	}
	return true;
}

void build_teardown(struct sim *sim)
{
	exact_free();
	loads_free();
	migrations_free();
	/* the series live in the VMs' figures, freed below */
	series_free(sim);
	events_free(sim);
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		for (unsigned s = 0; s < ep->nstages; s++) {
			struct estage *es = &ep->stages[s];

			for (unsigned l = 0; l < es->nlanes; l++) {
				pring_clear(&es->lanes[l].in);
				g_free(es->lanes[l].dep);
				if (es->lanes[l].sem)
					sg_sem_destroy(es->lanes[l].sem);
			}
			g_free(es->lanes);
			g_free(es->in);
			g_free(es->free);
			g_free(es->busy_end);
			g_free(es->busy_start);
			g_free(es->dheap);
			g_free(es->vm);
		}
		g_free(ep->stages);
		for (unsigned v = 0; v < ep->nvms; v++) {
			g_free(ep->vms[v].budget);
			g_free(ep->vms[v].crosses);
		}
		g_free(ep->vms);
		g_free(ep->vmres);
		g_free(ep->vm_acc);
		g_free(ep->vm_cnt);
		g_free(ep->vm_touched);
		for (unsigned i = 0; i < ep->nsources; i++) {
			source_free(ep->sources[i].src);
			g_free(ep->sources[i].in);
		}
		g_free(ep->sources);
		for (guint ri = 0; ep->ring_copy && ri < ep->pl->routes->len; ri++)
			g_free(ep->ring_copy[ri]);
		g_free(ep->ring_copy);
		pool_clear(&ep->pool);
		pipeline_free(ep->pl);
	}
	g_free(sim->exact);
}

