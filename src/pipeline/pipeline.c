/* pipeline.c: build the normal and accelerated pipelines from the model.
 *
 * The routes are data: each is a list of hops "stage:components:direction",
 * with ">route" where a component may divert the packet to another route
 * (which continues after the same stage there).  Stages are created when a
 * route in use names them, so a scenario's report lists only what its
 * packets cross.  Components are instantiated per host side: the measured
 * VM's host ("") and, for VM-to-VM traffic, the peer's ("peer.").
 */
#include "pipeline/pipeline.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"
#include "model/remote.h"
#include "model/vnic.h"

#define MAX_HOPS 16

struct route_tpl {
	const char *name;
	enum route_end end;
	const char *next;	/* END_RESPOND: the response's route */
	const char *hops[MAX_HOPS];
};

/* Normal path: every packet crosses the host's vSwitch and the synthetic
 * vNIC, whose copy runs on the vSwitch's core. */
static const struct route_tpl normal_routes[] = {
	{ "rx", END_DELIVER, NULL,
	  { "wire.rx:wire:rx", "nic.rx:nic:rx", "vswitch:vswitch+vnic:rx",
	    "guest:guest:rx", "app:app:rx" } },
	{ "tx", END_DELIVER, NULL,
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx" } },
	{ "rx.peer", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx", "peer.vswitch:peer.vnic+peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx", "app:app:rx" } },
	{ "tx.peer", END_DELIVER, NULL,
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx", "peer.vswitch:peer.vswitch+peer.vnic:rx",
	    "peer.guest:peer.guest:rx", "peer.app:peer.app:rx" } },
	{ "rr", END_RESPOND, "rr.response",
	  { "remote.tx:remote:tx", "wire.rx:wire:rx", "nic.rx:nic:rx", "vswitch:vswitch+vnic:rx",
	    "guest:guest:rx", "app:app:rx" } },
	{ "rr.response", END_DELIVER_AFTER, NULL,
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx",
	    "remote.rx:remote:rx" } },
	{ "rr.peer", END_RESPOND, "tx.peer",
	  { "peer.guest:peer.guest:tx", "peer.vswitch:peer.vnic+peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx", "app:app:rx" } },
	{ "tcp.tx", END_RESPOND, "tcp.tx.ack",
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx", "remote.rx:remote:rx" } },
	{ "tcp.tx.ack", END_DELIVER, NULL,
	  { "remote.tx:remote:tx", "wire.rx:wire:rx", "nic.rx:nic:rx", "vswitch:vswitch+vnic:rx",
	    "guest:guest:rx" } },
	{ "tcp.tx.peer", END_RESPOND, "tcp.tx.peer.ack",
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx", "peer.vswitch:peer.vswitch+peer.vnic:rx",
	    "peer.guest:peer.guest:rx", "peer.app:peer.app:rx" } },
	{ "tcp.tx.peer.ack", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx", "peer.vswitch:peer.vnic+peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx" } },
	{ "neighbour.rx", END_SINK, NULL,
	  { "wire.rx:wire:rx", "nic.rx:nic:rx", "vswitch:vswitch+vnic:rx" } },
	{ "neighbour.tx", END_SINK, NULL,
	  { "vswitch:vnic+vswitch:tx", "nic.tx:nic:tx", "wire.tx:wire:tx" } },
};

/* Accelerated path: frames go between the NIC and the guest through the VF;
 * a flow the NIC has no entry for, an inbound SYN, or any frame while the VF
 * is removed takes the synthetic path (".soft" routes). */
static const struct route_tpl accel_routes[] = {
	{ "rx", END_DELIVER, NULL,
	  { "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx>rx.soft",
	    "guest:guest:rx", "app:app:rx" } },
	{ "rx.soft", END_DELIVER, NULL,
	  { "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx", "app:app:rx" } },
	{ "tx", END_DELIVER, NULL,
	  { "guest:guest:tx>tx.synthetic", "vf:vf:tx>tx.soft", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx" } },
	{ "tx.synthetic", END_DELIVER, NULL,
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx" } },
	{ "tx.soft", END_DELIVER, NULL,
	  { "guest:guest:tx", "vf:vf:tx", "vswitch:vswitch:tx", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx" } },
	{ "rx.peer", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx>rx.peer.synthetic", "peer.vf:peer.vf:tx>rx.peer.soft",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>rx.peer.rxsoft", "guest:guest:rx", "app:app:rx" } },
	{ "rx.peer.synthetic", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx", "peer.vswitch:peer.vnic+peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>rx.peer.rxsoft", "guest:guest:rx", "app:app:rx" } },
	{ "rx.peer.soft", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx", "peer.vf:peer.vf:tx", "peer.vswitch:peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>rx.peer.rxsoft", "guest:guest:rx", "app:app:rx" } },
	{ "rx.peer.rxsoft", END_DELIVER, NULL,
	  { "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx", "app:app:rx" } },
	{ "tx.peer", END_DELIVER, NULL,
	  { "guest:guest:tx>tx.peer.synthetic", "vf:vf:tx>tx.peer.soft", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx",
	    "peer.vf:peer.vf:rx>tx.peer.rxsoft", "peer.guest:peer.guest:rx",
	    "peer.app:peer.app:rx" } },
	{ "tx.peer.synthetic", END_DELIVER, NULL,
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx", "peer.vf:peer.vf:rx>tx.peer.rxsoft",
	    "peer.guest:peer.guest:rx", "peer.app:peer.app:rx" } },
	{ "tx.peer.soft", END_DELIVER, NULL,
	  { "guest:guest:tx", "vf:vf:tx", "vswitch:vswitch:tx", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx",
	    "peer.vf:peer.vf:rx>tx.peer.rxsoft", "peer.guest:peer.guest:rx",
	    "peer.app:peer.app:rx" } },
	{ "tx.peer.rxsoft", END_DELIVER, NULL,
	  { "peer.nic.rx:peer.nic:rx", "peer.vf:peer.vf:rx",
	    "peer.vswitch:peer.vswitch+peer.vnic:rx", "peer.guest:peer.guest:rx",
	    "peer.app:peer.app:rx" } },
	{ "rr", END_RESPOND, "rr.response",
	  { "remote.tx:remote:tx", "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx>rr.soft",
	    "guest:guest:rx", "app:app:rx" } },
	{ "rr.soft", END_RESPOND, "rr.response",
	  { "remote.tx:remote:tx", "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx", "app:app:rx" } },
	{ "rr.response", END_DELIVER_AFTER, NULL,
	  { "guest:guest:tx>rr.response.synthetic", "vf:vf:tx>rr.response.soft",
	    "shaper.tx:shaper:tx", "nic.tx:nic:tx", "wire.tx:wire:tx",
	    "remote.rx:remote:rx" } },
	{ "rr.response.synthetic", END_DELIVER_AFTER, NULL,
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx",
	    "remote.rx:remote:rx" } },
	{ "rr.response.soft", END_DELIVER_AFTER, NULL,
	  { "guest:guest:tx", "vf:vf:tx", "vswitch:vswitch:tx", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx",
	    "remote.rx:remote:rx" } },
	{ "rr.peer", END_RESPOND, "tx.peer",
	  { "peer.guest:peer.guest:tx>rr.peer.synthetic", "peer.vf:peer.vf:tx>rr.peer.soft",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>rr.peer.rxsoft", "guest:guest:rx", "app:app:rx" } },
	{ "rr.peer.synthetic", END_RESPOND, "tx.peer",
	  { "peer.guest:peer.guest:tx", "peer.vswitch:peer.vnic+peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>rr.peer.rxsoft", "guest:guest:rx", "app:app:rx" } },
	{ "rr.peer.soft", END_RESPOND, "tx.peer",
	  { "peer.guest:peer.guest:tx", "peer.vf:peer.vf:tx", "peer.vswitch:peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>rr.peer.rxsoft", "guest:guest:rx", "app:app:rx" } },
	{ "rr.peer.rxsoft", END_RESPOND, "tx.peer",
	  { "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx", "app:app:rx" } },
	{ "tcp.tx", END_RESPOND, "tcp.tx.ack",
	  { "guest:guest:tx>tcp.tx.synthetic", "vf:vf:tx>tcp.tx.soft", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx", "remote.rx:remote:rx" } },
	{ "tcp.tx.synthetic", END_RESPOND, "tcp.tx.ack",
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx", "remote.rx:remote:rx" } },
	{ "tcp.tx.soft", END_RESPOND, "tcp.tx.ack",
	  { "guest:guest:tx", "vf:vf:tx", "vswitch:vswitch:tx", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx", "remote.rx:remote:rx" } },
	{ "tcp.tx.ack", END_DELIVER, NULL,
	  { "remote.tx:remote:tx", "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx>tcp.tx.ack.soft",
	    "guest:guest:rx" } },
	{ "tcp.tx.ack.soft", END_DELIVER, NULL,
	  { "remote.tx:remote:tx", "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx",
	    "vswitch:vswitch+vnic:rx", "guest:guest:rx" } },
	{ "tcp.tx.peer", END_RESPOND, "tcp.tx.peer.ack",
	  { "guest:guest:tx>tcp.tx.peer.synthetic", "vf:vf:tx>tcp.tx.peer.soft", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx",
	    "peer.vf:peer.vf:rx>tcp.tx.peer.rxsoft", "peer.guest:peer.guest:rx",
	    "peer.app:peer.app:rx" } },
	{ "tcp.tx.peer.synthetic", END_RESPOND, "tcp.tx.peer.ack",
	  { "guest:guest:tx", "vswitch:vnic+vswitch:tx", "shaper.tx:shaper:tx", "nic.tx:nic:tx",
	    "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx", "peer.vf:peer.vf:rx>tcp.tx.peer.rxsoft",
	    "peer.guest:peer.guest:rx", "peer.app:peer.app:rx" } },
	{ "tcp.tx.peer.soft", END_RESPOND, "tcp.tx.peer.ack",
	  { "guest:guest:tx", "vf:vf:tx", "vswitch:vswitch:tx", "shaper.tx:shaper:tx",
	    "nic.tx:nic:tx", "wire.tx:wire:tx", "peer.nic.rx:peer.nic:rx",
	    "peer.vf:peer.vf:rx>tcp.tx.peer.rxsoft", "peer.guest:peer.guest:rx",
	    "peer.app:peer.app:rx" } },
	{ "tcp.tx.peer.rxsoft", END_RESPOND, "tcp.tx.peer.ack",
	  { "peer.nic.rx:peer.nic:rx", "peer.vf:peer.vf:rx",
	    "peer.vswitch:peer.vswitch+peer.vnic:rx", "peer.guest:peer.guest:rx",
	    "peer.app:peer.app:rx" } },
	{ "tcp.tx.peer.ack", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx>tcp.tx.peer.ack.synthetic",
	    "peer.vf:peer.vf:tx>tcp.tx.peer.ack.soft", "peer.shaper.tx:peer.shaper:tx",
	    "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>tcp.tx.peer.ack.rxsoft", "guest:guest:rx" } },
	{ "tcp.tx.peer.ack.synthetic", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx", "peer.vswitch:peer.vnic+peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>tcp.tx.peer.ack.rxsoft", "guest:guest:rx" } },
	{ "tcp.tx.peer.ack.soft", END_DELIVER, NULL,
	  { "peer.guest:peer.guest:tx", "peer.vf:peer.vf:tx", "peer.vswitch:peer.vswitch:tx",
	    "peer.shaper.tx:peer.shaper:tx", "peer.nic.tx:peer.nic:tx", "wire.rx:wire:rx", "nic.rx:nic:rx",
	    "vf:vf:rx>tcp.tx.peer.ack.rxsoft", "guest:guest:rx" } },
	{ "tcp.tx.peer.ack.rxsoft", END_DELIVER, NULL,
	  { "wire.rx:wire:rx", "nic.rx:nic:rx", "vf:vf:rx", "vswitch:vswitch+vnic:rx",
	    "guest:guest:rx" } },
	{ "neighbour.rx", END_SINK, NULL, { "wire.rx:wire:rx", "nic.rx:nic:rx" } },
	{ "neighbour.tx", END_SINK, NULL, { "nic.tx:nic:tx", "wire.tx:wire:tx" } },
};

/* The route each kind of traffic starts on. */
static const char *const kind_route[RK_COUNT] = {
	[RK_RX] = "rx",		 [RK_TX] = "tx",	    [RK_RX_FROM_PEER] = "rx.peer",
	[RK_TX_TO_PEER] = "tx.peer", [RK_RR] = "rr",	    [RK_RR_PEER] = "rr.peer",
	[RK_NEIGHBOUR_RX] = "neighbour.rx",		    [RK_NEIGHBOUR_TX] = "neighbour.tx",
	[RK_TCP_TX] = "tcp.tx",	 [RK_TCP_TX_PEER] = "tcp.tx.peer",
};

/* Stages in processing order: a topological order of every route above
 * that is acyclic on its own; the engine finds the back edges of what a
 * scenario combines (docs/engine.md). */
static const char *const stage_order[] = {
	"remote.tx",  "peer.guest", "peer.vf", "peer.vnic", "peer.vswitch", "peer.shaper.tx", "peer.nic.tx",
	"wire.rx",    "nic.rx",	 "vf",	      "vswitch",      "vnic",		"guest",
	"app",	      "shaper.tx", "nic.tx",  "wire.tx",      "peer.nic.rx",	"peer.app",
	"remote.rx",
};

/* What each VM of the host has of its own: the stages of its vCPUs, its
 * VF and its egress meter; and those components, with its synthetic vNIC
 * channel (whose copy runs on the host's shared vSwitch cores).  In a
 * scenario with [vm NAME] sections they are named "NAME.guest"; the rest
 * (link, NIC, vSwitch, and the peer VM's) is the host's, shared by all. */
static const char *const vm_stages[] = { "vf", "guest", "app", "shaper.tx", NULL };
static const char *const vm_components[] = { "vf", "guest", "app", "vnic", "shaper", NULL };

static void component_free(gpointer data)
{
	struct component *c = data;

	if (c->ops->cleanup)
		c->ops->cleanup(c);
	g_free(c->name);
	g_free(c);
}

static void stage_free(gpointer data)
{
	struct stage *s = data;

	g_free(s->name);
	g_free(s);
}

static void route_free(gpointer data)
{
	struct route *r = data;

	g_free(r->name);
	g_free(r->hops);
	g_free(r);
}

void pipeline_free(struct pipeline *pl)
{
	if (!pl)
		return;
	/* stages and routes point into components: free those last */
	g_ptr_array_unref(pl->routes);
	g_ptr_array_unref(pl->stages);
	g_ptr_array_unref(pl->components);
	g_ptr_array_unref(pl->owned);
	if (pl->comp_vm)
		g_array_unref(pl->comp_vm);
	g_free(pl->kind_route);
	g_free(pl->dst_route);
	g_free(pl->vm_vf);
	g_free(pl);
}

/* Stream number for a component's random numbers: the same in both
 * pipelines, so shared components draw the same numbers (common random
 * numbers), and different for the peer's instance. */
static uint64_t stream_of(const char *name)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static struct component *find_component(struct pipeline *pl, const char *name)
{
	for (guint i = 0; i < pl->components->len; i++) {
		struct component *c = pl->components->pdata[i];

		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

/* A component of VM vm (-1: the host's, a neighbour's or the peer's),
 * created the first time a route names it. */
static struct component *get_component(struct pipeline *pl, const struct scenario *s,
				       const char *name, int vm, GError **error)
{
	struct component *c = find_component(pl, name);

	if (c)
		return c;
	/* "peer.guest", "web.guest": the kind is the last part */
	const char *dot = strrchr(name, '.');
	const char *kind = dot ? dot + 1 : name;
	const struct model_section *sec = model_section(s->model, kind);

	g_assert(sec);
	c = g_new0(struct component, 1);
	c->ops = sec->ops;
	c->name = g_strdup(name);
	c->params = sec->params;
	c->freq_hz = pl->freq_hz;
	c->key = rng_hash(rng_mix64(s->seed), stream_of(name));
	if (!strcmp(kind, "shaper")) {
		/* the allowance defaults to the VM size's bandwidth */
		double *rate = g_memdup2(sec->params, sec->ops->params_size);

		g_ptr_array_add(pl->owned, rate);
		if (*rate == 0) /* rate_bps is the first field */
			*rate = vm >= 0 ? g_array_index(s->vms, struct vm_spec, vm).bandwidth_bps
					: s->model->vm.bandwidth_bps;
		c->params = rate;
	}
	g_ptr_array_add(pl->components, c);
	g_array_append_val(pl->comp_vm, vm);
	if (c->ops->init && !c->ops->init(c, error)) {
		g_prefix_error(error, "%s: ", name);
		return NULL;
	}
	/* a VM on the normal path has no VF: the guest's bonded driver sends
	 * through the synthetic vNIC from the start, as after a vf_remove */
	if (!(vm >= 0 ? pl->vm_vf[vm] : pl->path == PATH_ACCEL) && c->ops->event)
		c->ops->event(c, "vf_remove", 0);
	return c;
}

static enum resource resource_of(const char *stage, enum comp_place place)
{
	bool peer = g_str_has_prefix(stage, "peer.");

	if (place == PLACE_HOST)
		return peer ? RES_PEER_VSWITCH
		       : g_str_has_prefix(stage, "dst.") ? RES_DST_VSWITCH
							 : RES_VSWITCH;
	if (place == PLACE_GUEST)
		return peer ? RES_PEER_VM : RES_VM;
	return RES_HW;
}

static bool shaper_enabled(const struct pipeline *pl, const struct scenario *s, int vm)
{
	const struct model_section *sec = model_section(s->model, "shaper");
	const double *rate = sec->params;

	return *rate > 0 || (vm >= 0 ? g_array_index(s->vms, struct vm_spec, vm).bandwidth_bps
				     : s->model->vm.bandwidth_bps) > 0;
}

static int stage_rank(const char *name);

/* The stage called name (its template's name base: "guest" for
 * "web.guest"), led by lead, VM vm's own or (-1) the host's. */
static struct stage *get_stage(struct pipeline *pl, const char *name, const char *base,
			       struct component *lead, int vm)
{
	for (guint i = 0; i < pl->stages->len; i++) {
		struct stage *st = pl->stages->pdata[i];

		if (!strcmp(st->name, name))
			return st;
	}
	struct stage *st = g_new0(struct stage, 1);

	st->name = g_strdup(name);
	st->lead = lead;
	st->place = lead->ops->place;
	st->res = resource_of(name, st->place);
	st->runs_on = lead->ops->runs_on;
	st->measured = !g_str_has_prefix(name, "peer.");
	st->dst = g_str_has_prefix(name, "dst.");
	st->vm = vm;
	/* processing order: by kind of stage, then by VM */
	st->rank = (unsigned)stage_rank(base) * (SCENARIO_MAX_VMS + 1) + (unsigned)(vm + 1);
	if (lead->ops->serving)
		lead->ops->serving(lead, &st->serving);
	else
		st->serving = (struct serving){ .servers = 1, .batch = 1 };
	if (st->serving.servers == 0)
		st->serving.servers = 1;
	if (st->serving.batch == 0)
		st->serving.batch = 1;
	st->id = pl->stages->len;
	g_ptr_array_add(pl->stages, st);
	return st;
}

static const struct route_tpl *find_tpl(const struct route_tpl *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static int find_route(const struct pipeline *pl, const char *name)
{
	for (guint i = 0; i < pl->routes->len; i++)
		if (!strcmp(((struct route *)pl->routes->pdata[i])->name, name))
			return (int)i;
	return -1;
}

/* Whether the model runs the vNIC's copy on workers of its own. */
static bool vnic_workers(const struct scenario *s)
{
	const struct vnic_params *v = model_section(s->model, "vnic")->params;

	return v->workers > 0;
}

/* Whose routes build_route() makes: VM vm's, its stages and components
 * named with prefix ("web." for [vm web], "" for the model's one VM), or
 * (vm -1) a neighbour's, through the host's stages only. */
struct owner {
	const char *prefix;
	int vm;
	bool dst;	/* on the host it migrates to: that host's link, NIC,
			 * vSwitch and VF ("dst.vswitch", "dst.web.vf") */
};

/* name as owner o has it: its own ("web.guest") where name is of a kind in
 * list (vm_stages, vm_components) and o is a VM; *vm says whose it is.
 * After a migration the VM is the same, the host and the VF new. */
static char *own_name(const struct owner *o, const char *name, const char *const *list, int *vm)
{
	const bool peer = g_str_has_prefix(name, "peer.");

	if (o->vm >= 0 && g_strv_contains(list, name)) {
		*vm = o->vm;
		return o->dst && !strcmp(name, "vf") ? g_strconcat("dst.", o->prefix, name, NULL)
						     : g_strconcat(o->prefix, name, NULL);
	}
	*vm = -1;
	return o->dst && !peer ? g_strconcat("dst.", name, NULL) : g_strdup(name);
}

/* Append to r owner o's hop "stage:comps:dir" (comps joined by '+'),
 * diverting to route alt (owned, may be NULL) if a component says so. */
static bool add_hop(struct pipeline *pl, const struct scenario *s, const struct owner *o,
		    struct route *r, const char *stage, const char *comps, const char *dir,
		    GPtrArray *alts, char *alt, GError **error)
{
	struct hop *h = &r->hops[r->n];
	g_auto(GStrv) names = g_strsplit(comps, "+", HOP_MAX_COMPS);
	int svm;
	g_autofree char *sname = own_name(o, stage, vm_stages, &svm);

	g_assert(r->n < MAX_HOPS);
	g_ptr_array_add(alts, alt);
	for (char **c = names; *c; c++) {
		int cvm;
		g_autofree char *cname = own_name(o, *c, vm_components, &cvm);
		struct component *comp = get_component(pl, s, cname, cvm, error);

		if (!comp)
			return false;
		h->comp[h->ncomp++] = comp;
	}
	h->dir = !strcmp(dir, "rx") ? DIR_RX : DIR_TX;
	/* the stage is led (served as) by the component it is named
	 * after: "vswitch" on a "vnic+vswitch" hop is the vSwitch's */
	struct component *lead = h->comp[0];
	for (unsigned c = 0; c < h->ncomp; c++)
		if (g_str_has_prefix(sname, h->comp[c]->name) &&
		    (sname[strlen(h->comp[c]->name)] == '\0' ||
		     sname[strlen(h->comp[c]->name)] == '.'))
			lead = h->comp[c];
	h->stage = get_stage(pl, sname, stage, lead, svm)->id;
	h->alt_route = -1;
	r->n++;
	return true;
}

/* Build o's route from template name (and what it diverts to, recursively). */
static int build_route(struct pipeline *pl, const struct scenario *s, const struct route_tpl *tpls,
		       size_t ntpl, const struct owner *o, const char *name, GError **error)
{
	g_autofree char *rname = g_strconcat(o->dst ? "dst." : "", o->prefix, name, NULL);
	int idx = find_route(pl, rname);

	if (idx >= 0)
		return idx;
	const struct route_tpl *t = find_tpl(tpls, ntpl, name);
	g_assert(t);

	struct route *r = g_new0(struct route, 1);
	r->name = g_steal_pointer(&rname);
	r->end = t->end;
	r->next_route = -1;
	r->hops = g_new0(struct hop, MAX_HOPS);
	g_ptr_array_add(pl->routes, r);
	idx = (int)pl->routes->len - 1;

	g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < MAX_HOPS && t->hops[i]; i++) {
		g_auto(GStrv) f = g_strsplit(t->hops[i], ":", 3);
		g_autofree char *alt = NULL;
		char *gt = strchr(f[2], '>');

		if (gt) {
			alt = g_strdup(gt + 1);
			*gt = '\0';
		}
		if (strstr(f[0], "shaper") && !shaper_enabled(pl, s, g_str_has_prefix(f[0], "peer.") ? -1 : o->vm))
			continue;
		if (g_str_has_prefix(f[0], "remote.") &&
		    !remote_enabled(model_section(s->model, "remote")->params))
			continue;

		/* vNIC workers: the vNIC's part of a vSwitch hop becomes a
		 * stage of its own ("vnic", "peer.vnic"), after the switch on
		 * receive and before it on transmit */
		g_auto(GStrv) comps = g_strsplit(f[1], "+", HOP_MAX_COMPS);
		if (vnic_workers(s) && g_strv_length(comps) == 2 && strstr(f[1], "vnic")) {
			const bool first = strstr(comps[0], "vnic") != NULL;
			const char *wc = first ? comps[0] : comps[1], *sc = first ? comps[1] : comps[0];
			g_autofree char *ws =
				g_strconcat(g_str_has_prefix(f[0], "peer.") ? "peer." : "", "vnic", NULL);

			if (first && !add_hop(pl, s, o, r, ws, wc, f[2], alts, NULL, error))
				return -1;
			if (!add_hop(pl, s, o, r, f[0], sc, f[2], alts, g_steal_pointer(&alt), error))
				return -1;
			if (!first && !add_hop(pl, s, o, r, ws, wc, f[2], alts, NULL, error))
				return -1;
		} else if (!add_hop(pl, s, o, r, f[0], f[1], f[2], alts, g_steal_pointer(&alt), error)) {
			return -1;
		}
	}

	/* one-way latency from an external sender starts at the frame's
	 * arrival at the NIC (after the link), and ends when the application
	 * receives it (its recv() takes it), not when it is done with it */
	if (r->n > 1 && r->end == END_DELIVER && strstr(t->hops[0], "wire.rx:") == t->hops[0])
		r->latency_from = 1;
	if (r->end == END_DELIVER && r->n > 0 && !strcmp(r->hops[r->n - 1].comp[0]->ops->kind, "app"))
		r->deliver_at_start = true;
	/* a request that ends at hardware (the wire to an external receiver,
	 * or the remote end) is answered once it has arrived there */
	if (r->end == END_RESPOND && r->n > 0 && r->hops[r->n - 1].comp[0]->ops->place == PLACE_HW)
		r->respond_after = true;

	/* divert targets, and the response route */
	for (unsigned i = 0; i < r->n; i++) {
		const char *alt = alts->pdata[i];

		if (!alt)
			continue;
		int a = build_route(pl, s, tpls, ntpl, o, alt, error);
		if (a < 0)
			return -1;
		/* re-fetch: the array may have grown */
		struct route *ra = pl->routes->pdata[a];
		struct route *rr = pl->routes->pdata[idx];
		unsigned j = 0;

		while (j < ra->n && ra->hops[j].stage != rr->hops[i].stage)
			j++;
		g_assert(j < ra->n);
		rr->hops[i].alt_route = a;
		rr->hops[i].alt_hop = j + 1;
	}
	if (t->next) {
		int nx = build_route(pl, s, tpls, ntpl, o, t->next, error);

		if (nx < 0)
			return -1;
		((struct route *)pl->routes->pdata[idx])->next_route = nx;
	}
	return idx;
}

/* How packets reach each hop's stage: on receive, through the ring the
 * upstream component owns (NIC rx ring, vNIC channel, VF ring) and its
 * interrupt; on transmit, through the ring of the device posted to. */
static void set_handoffs(struct pipeline *pl)
{
	for (guint ri = 0; ri < pl->routes->len; ri++) {
		struct route *r = pl->routes->pdata[ri];

		for (unsigned i = 0; i < r->n; i++) {
			struct hop *h = &r->hops[i];
			const struct component *from = NULL;

			const enum comp_place at = ((struct stage *)pl->stages->pdata[h->stage])->place;

			h->in = (struct handoff){ 0 };
			if (h->dir == DIR_RX) {
				/* the nearest upstream component that hands packets
				 * to a stage of this kind, across hardware hops */
				for (unsigned j = i; j-- > 0 && !from && r->hops[j].dir == DIR_RX;) {
					const struct hop *u = &r->hops[j];

					for (unsigned c = u->ncomp; c-- > 0 && !from;)
						if (u->comp[c]->ops->handoff &&
						    u->comp[c]->ops->handoff(u->comp[c], DIR_RX, at, &h->in))
							from = u->comp[c];
					if (((struct stage *)pl->stages->pdata[u->stage])->place != PLACE_HW)
						break;
				}
			} else {
				for (unsigned c = 0; c < h->ncomp && !from; c++)
					if (h->comp[c]->ops->handoff &&
					    h->comp[c]->ops->handoff(h->comp[c], DIR_TX, at, &h->in))
						from = h->comp[c];
			}
			if (!from)
				h->in = (struct handoff){ 0 };
			/* nothing upstream hands over: the stage's own intake (a
			 * worker thread's queue and wake-up) */
			const struct component *lead = ((struct stage *)pl->stages->pdata[h->stage])->lead;
			if (!from && lead->ops->intake && !lead->ops->intake(lead, h->dir, &h->in))
				h->in = (struct handoff){ 0 };
			/* a polling consumer sees what is handed to it without
			 * an interrupt or a notification: the ring stays */
			if (((struct stage *)pl->stages->pdata[h->stage])->serving.polls)
				h->in = (struct handoff){ .ring = h->in.ring };
		}
	}
	/* a stage's queue bound: the ring of the first route reaching it,
	 * else its own buffer */
	for (guint si = 0; si < pl->stages->len; si++) {
		struct stage *st = pl->stages->pdata[si];

		st->capacity = st->serving.queue;
		for (guint ri = 0; ri < pl->routes->len && st->capacity == st->serving.queue; ri++) {
			struct route *r = pl->routes->pdata[ri];

			for (unsigned i = 0; i < r->n; i++)
				if (r->hops[i].stage == st->id && r->hops[i].in.ring) {
					st->capacity = r->hops[i].in.ring;
					break;
				}
		}
	}
}

static int stage_rank(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(stage_order); i++)
		if (!strcmp(stage_order[i], name))
			return (int)i;
	g_assert_not_reached();
}

/* Order the stages so that packets move forward through them wherever the
 * routes in use allow it: a topological order of the hops (and of a
 * request's last hop to its response's first), ties and cycles broken by
 * stage_order.  Transmit-only traffic then runs guest before vSwitch, with
 * no back edge; only routes that really form a cycle (receive and transmit
 * through the same vSwitch, request/response) leave back edges for the
 * engine's loop handling. */
static void order_stages(struct pipeline *pl)
{
	const guint n = pl->stages->len;
	g_autofree unsigned *indeg = g_new0(unsigned, n);
	g_autofree bool *edge = g_new0(bool, (size_t)n * n);
	g_autofree bool *placed = g_new0(bool, n);
	g_autoptr(GPtrArray) order = g_ptr_array_sized_new(n);

	for (guint ri = 0; ri < pl->routes->len; ri++) {
		const struct route *r = pl->routes->pdata[ri];

		for (unsigned h = 0; h < r->n; h++) {
			unsigned from = r->hops[h].stage, to;

			if (h + 1 < r->n)
				to = r->hops[h + 1].stage;
			else if (r->end == END_RESPOND)
				to = ((struct route *)pl->routes->pdata[r->next_route])->hops[0].stage;
			else
				continue;
			if (from != to && !edge[from * n + to]) {
				edge[from * n + to] = true;
				indeg[to]++;
			}
		}
	}
	for (guint k = 0; k < n; k++) {
		int best = -1, best_free = -1;

		for (guint i = 0; i < n; i++) {
			if (placed[i])
				continue;
			unsigned rank = ((struct stage *)pl->stages->pdata[i])->rank;

			if (best < 0 || rank < ((struct stage *)pl->stages->pdata[best])->rank)
				best = (int)i;
			if (!indeg[i] && (best_free < 0 ||
					  rank < ((struct stage *)pl->stages->pdata[best_free])->rank))
				best_free = (int)i;
		}
		/* a cycle: take the earliest of what is left by the fixed order */
		unsigned pick = best_free >= 0 ? (unsigned)best_free : (unsigned)best;

		placed[pick] = true;
		g_ptr_array_add(order, pl->stages->pdata[pick]);
		for (guint j = 0; j < n; j++)
			if (edge[pick * n + j] && !placed[j])
				indeg[j]--;
	}
	/* the stages change places, not owners */
	g_ptr_array_set_free_func(pl->stages, NULL);
	for (guint i = 0; i < n; i++)
		pl->stages->pdata[i] = order->pdata[i];
	g_ptr_array_set_free_func(pl->stages, stage_free);
}

enum route_kind traffic_route_kind(const struct traffic_spec *t)
{
	if (t->vm == TVM_NEIGHBOUR)
		return t->direction == TDIR_RX ? RK_NEIGHBOUR_RX : RK_NEIGHBOUR_TX;
	/* tcp: segments and their ACKs, as requests and responses: in, the
	 * VM's ACKs go out; out, the receiver's come back to the VM's stack */
	if (t->pattern == PAT_TCP && t->direction == TDIR_TX)
		return t->peer == PEER_VM ? RK_TCP_TX_PEER : RK_TCP_TX;
	if (t->pattern == PAT_REQRESP || t->pattern == PAT_TCP)
		return t->peer == PEER_VM ? RK_RR_PEER : RK_RR;
	if (t->direction == TDIR_RX)
		return t->peer == PEER_VM ? RK_RX_FROM_PEER : RK_RX;
	return t->peer == PEER_VM ? RK_TX_TO_PEER : RK_TX;
}

static bool is_neighbour_kind(int k)
{
	return k == RK_NEIGHBOUR_RX || k == RK_NEIGHBOUR_TX;
}

/* Kinds whose other end is the peer VM (its stages: "peer.") */
static bool is_peer_kind(int k)
{
	return k == RK_RX_FROM_PEER || k == RK_TX_TO_PEER || k == RK_RR_PEER || k == RK_TCP_TX_PEER;
}

/* Build path p with, for each VM v, the routes of the kinds in masks[v]
 * (bit k: route kind k; a neighbour's kinds in masks[0]).  A VM takes the
 * accelerated routes where it has a VF in this world: with accelerated
 * networking compared, in the accelerated world; on, in both; off, in
 * neither (or, with all_normal, never: the normal path's capacity). */
static struct pipeline *build(const struct scenario *s, enum path_id p, const unsigned *masks,
			      bool all_normal, GError **error)
{
	struct pipeline *pl = g_new0(struct pipeline, 1);

	pl->path = p;
	pl->components = g_ptr_array_new_with_free_func(component_free);
	pl->stages = g_ptr_array_new_with_free_func(stage_free);
	pl->routes = g_ptr_array_new_with_free_func(route_free);
	pl->owned = g_ptr_array_new_with_free_func(g_free);
	pl->freq_hz = s->model->host.freq_hz;
	pl->vm_vcpus = s->model->vm.vcpus;
	pl->host_cores = s->model->host.cores;
	pl->nvms = s->vms->len;
	pl->primary = s->primary;
	pl->kind_route = g_new(int, pl->nvms * RK_COUNT);
	for (unsigned i = 0; i < pl->nvms * RK_COUNT; i++)
		pl->kind_route[i] = -1;
	pl->vm_vf = g_new0(bool, pl->nvms);
	pl->comp_vm = g_array_new(FALSE, FALSE, sizeof(int));

	/* every VM's routes, then the neighbours' (through shared stages) */
	for (unsigned v = 0; v <= pl->nvms; v++) {
		const bool nb = v == pl->nvms;
		const struct vm_spec *vs = nb ? NULL : &g_array_index(s->vms, struct vm_spec, v);
		const bool vf = nb ? p == PATH_ACCEL
				   : !all_normal && (vs->an == AN_ON || (vs->an == AN_COMPARE && p == PATH_ACCEL));
		g_autofree char *prefix = nb ? g_strdup("") : scenario_vm_prefix(s, v);
		const struct owner o = { .prefix = prefix, .vm = nb ? -1 : (int)v };
		const struct route_tpl *tpls = vf ? accel_routes : normal_routes;
		size_t ntpl = vf ? G_N_ELEMENTS(accel_routes) : G_N_ELEMENTS(normal_routes);

		if (!nb)
			pl->vm_vf[v] = vf;
		for (int k = 0; k < RK_COUNT; k++) {
			if (!(masks[nb ? 0 : v] & (1u << k)) || is_neighbour_kind(k) != nb)
				continue;
			if (is_peer_kind(k))
				pl->has_peer = true;
			int *slot = &pl->kind_route[(nb ? 0 : v) * RK_COUNT + k];

			*slot = build_route(pl, s, tpls, ntpl, &o, kind_route[k], error);
			if (*slot < 0) {
				pipeline_free(pl);
				return NULL;
			}
		}
	}
	/* the routes of a VM on the host it migrates to */
	pl->dst_route = g_new(int, pl->nvms * RK_COUNT);
	for (unsigned i = 0; i < pl->nvms * RK_COUNT; i++)
		pl->dst_route[i] = -1;
	for (guint e = 0; !all_normal && e < s->events->len; e++) {
		const struct event_spec *ev = &g_array_index(s->events, struct event_spec, e);
		const unsigned v = (unsigned)ev->vm;

		if (ev->action != EV_MIGRATE)
			continue;
		g_autofree char *prefix = scenario_vm_prefix(s, v);
		const struct owner o = { .prefix = prefix, .vm = (int)v, .dst = true };
		const struct route_tpl *tpls = pl->vm_vf[v] ? accel_routes : normal_routes;
		size_t ntpl = pl->vm_vf[v] ? G_N_ELEMENTS(accel_routes) : G_N_ELEMENTS(normal_routes);

		for (int k = 0; k < RK_COUNT; k++) {
			if (!(masks[v] & (1u << k)) || is_neighbour_kind(k) || is_peer_kind(k))
				continue;
			int *slot = &pl->dst_route[v * RK_COUNT + k];

			pl->has_dst = true;
			*slot = build_route(pl, s, tpls, ntpl, &o, kind_route[k], error);
			if (*slot < 0) {
				pipeline_free(pl);
				return NULL;
			}
		}
	}

	/* processing order; ids follow it */
	order_stages(pl);
	g_autofree unsigned *newid = g_new(unsigned, pl->stages->len);
	for (guint i = 0; i < pl->stages->len; i++) {
		struct stage *st = pl->stages->pdata[i];

		newid[st->id] = i;
	}
	/* ids were assigned in creation order: fix them and the hops */
	for (guint i = 0; i < pl->stages->len; i++)
		((struct stage *)pl->stages->pdata[i])->id = i;
	for (guint ri = 0; ri < pl->routes->len; ri++) {
		struct route *r = pl->routes->pdata[ri];

		for (unsigned h = 0; h < r->n; h++)
			r->hops[h].stage = newid[r->hops[h].stage];
	}
	set_handoffs(pl);

	const struct serving *vs = NULL;
	for (guint i = 0; i < pl->stages->len; i++) {
		const struct stage *st = pl->stages->pdata[i];

		if (!strcmp(st->name, "vswitch"))
			vs = &st->serving;
	}
	pl->vswitch_cores = vs ? vs->servers : 0;
	/* pinned vNIC workers bring host cores of their own; floating ones
	 * share the vSwitch's (then more servers than cores: exact mode) */
	const struct vnic_params *vn = model_section(s->model, "vnic")->params;
	if (vn->workers && vn->worker_cores == VNIC_PINNED)
		for (guint i = 0; i < pl->stages->len; i++)
			if (!strcmp(((struct stage *)pl->stages->pdata[i])->name, "vnic"))
				pl->vswitch_cores += vn->workers;
	return pl;
}

struct pipeline *pipeline_build(const struct scenario *s, enum path_id p, GError **error)
{
	g_autofree unsigned *masks = g_new0(unsigned, s->vms->len);

	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);

		masks[t->vm == TVM_SELF ? t->vm_index : 0] |= 1u << traffic_route_kind(t);
	}
	return build(s, p, masks, false, error);
}

/* Stages a packet on route r from hop h can still leave, diversions and
 * the response included. */
static unsigned visits_from(const struct pipeline *pl, int ri, unsigned h, unsigned depth)
{
	const struct route *r = pl->routes->pdata[ri];
	unsigned most = r->n - h;

	g_assert(depth < 16);
	if (r->end == END_RESPOND)
		most += visits_from(pl, r->next_route, 0, depth + 1);
	for (unsigned i = h; i < r->n; i++)
		if (r->hops[i].alt_route >= 0)
			most = MAX(most, i - h + 1 +
					 visits_from(pl, r->hops[i].alt_route, r->hops[i].alt_hop,
						     depth + 1));
	return most;
}

unsigned pipeline_max_visits(const struct pipeline *pl)
{
	unsigned most = 0;

	for (unsigned k = 0; k < pl->nvms * RK_COUNT; k++) {
		if (pl->kind_route[k] >= 0)
			most = MAX(most, visits_from(pl, pl->kind_route[k], 0, 0));
		if (pl->dst_route[k] >= 0)
			most = MAX(most, visits_from(pl, pl->dst_route[k], 0, 0));
	}
	return most;
}

int pipeline_vm_route(const struct pipeline *pl, enum route_kind k, unsigned vm)
{
	return pl->kind_route[(is_neighbour_kind(k) ? 0 : vm) * RK_COUNT + k];
}

int pipeline_route(const struct pipeline *pl, enum route_kind k)
{
	return pipeline_vm_route(pl, k, pl->primary);
}

int pipeline_dst_route(const struct pipeline *pl, enum route_kind k, unsigned vm)
{
	return is_neighbour_kind(k) ? -1 : pl->dst_route[vm * RK_COUNT + k];
}

/* Time at hop h of r for a size-byte frame at full speed: (mean or) least
 * service, and least latency after it. */
static void hop_times(const struct pipeline *pl, const struct route *r, unsigned h, double size,
		      bool mean, const struct stage *st, double *svc_out, double *lat_out)
{
	double svc = 0, lat = 0, batch = 0;

	for (unsigned c = 0; c < r->hops[h].ncomp; c++) {
		const struct component *comp = r->hops[h].comp[c];
		struct cost_bounds b = { 0 };

		if (comp->ops->bounds)
			comp->ops->bounds(comp, r->hops[h].dir, size, &b);
		svc += mean ? b.mean : b.min;
		batch += b.batch;
		lat += b.latency_min;
	}
	if (st->place != PLACE_HW) {
		svc /= pl->freq_hz;
		batch /= pl->freq_hz;
	}
	/* the per-batch cost spread over a full batch: a lower bound */
	*svc_out = svc + batch / st->serving.batch;
	*lat_out = lat;
}

double pipeline_hop_min_service(const struct pipeline *pl, const struct route *r, unsigned h,
				double size)
{
	double svc, lat;

	hop_times(pl, r, h, size, false, pl->stages->pdata[r->hops[h].stage], &svc, &lat);
	return svc;
}

double pipeline_hop_min_latency(const struct pipeline *pl, const struct route *r, unsigned h,
				double size)
{
	double svc, lat;

	hop_times(pl, r, h, size, false, pl->stages->pdata[r->hops[h].stage], &svc, &lat);
	return lat;
}

double pipeline_hop_min_time(const struct pipeline *pl, const struct route *r, unsigned h,
			     double size)
{
	return pipeline_hop_min_service(pl, r, h, size) + pipeline_hop_min_latency(pl, r, h, size);
}

double pipeline_capacity_pps(const struct scenario *s, double size, enum route_kind k)
{
	return pipeline_capacity_pps_vm(s, size, k, s->primary);
}

double pipeline_capacity_pps_vm(const struct scenario *s, double size, enum route_kind k,
				unsigned vm)
{
	g_autoptr(GError) err = NULL;
	g_autofree unsigned *masks = g_new0(unsigned, s->vms->len);

	masks[is_neighbour_kind(k) ? 0 : vm] = 1u << k;
	struct pipeline *pl = build(s, PATH_NORMAL, masks, true, &err);
	double cap = INFINITY;

	if (!pl)
		return NAN;
	const struct route *r = pl->routes->pdata[pipeline_vm_route(pl, k, vm)];
	for (unsigned h = 0; h < r->n; h++) {
		const struct stage *st = pl->stages->pdata[r->hops[h].stage];
		double t, lat;

		hop_times(pl, r, h, size, true, st, &t, &lat);

		if (t > 0)
			cap = MIN(cap, st->serving.servers / t);
	}
	pipeline_free(pl);
	return cap;
}
