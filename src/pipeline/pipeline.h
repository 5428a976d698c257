/* pipeline.h: the two pipelines as data: stages, and the routes packets take.
 *
 * A stage is a server group bound to one resource: a link, the NIC, the
 * host's vSwitch cores, the VM's vCPUs.  A route is the list of hops a packet
 * makes; each hop names its stage, the components that run there for it
 * (run to completion: the vSwitch and the vNIC copy share one host core), the
 * direction, and where to continue if a component diverts the packet (a flow
 * miss in the NIC sends it through the vSwitch).  A stage may be visited by
 * several routes (rx and tx traffic share the vSwitch's cores).
 *
 * pipeline.c builds both pipelines from the model; nothing else decides what
 * a path is made of. */
#ifndef ACCELSIM_PIPELINE_H
#define ACCELSIM_PIPELINE_H

#include <glib.h>
#include <stdbool.h>

#include "config/model.h"
#include "config/scenario.h"
#include "model/component.h"
#include "report/result.h"

#define HOP_MAX_COMPS 3

/* Which SimGrid host a stage's CPU work runs on. */
enum resource {
	RES_HW,		/* no CPU: link, NIC */
	RES_VSWITCH,	/* the host's vSwitch cores */
	RES_VM,		/* the VM's vCPUs */
	RES_PEER_VSWITCH,
	RES_PEER_VM,
	RES_DST_VSWITCH,	/* the vSwitch of the host a VM migrates to */
	RES_COUNT,
};

struct stage {
	unsigned id;
	char *name;		/* "vswitch", "peer.guest" */
	enum resource res;
	enum comp_place place;
	struct component *lead;	/* the component whose serving() applies */
	struct serving serving;
	unsigned capacity;	/* queue bound (0: unbounded) */
	const char *runs_on;
	bool measured;		/* belongs to the measured VM's host (reports) */
	int vm;			/* the VM whose own stage it is (its vCPUs, VF,
				 * meter), -1: the host's, shared (or the peer's) */
	unsigned rank;		/* its place in the fixed order (pipeline.c) */
	bool dst;		/* on the host a VM migrates to ("dst.") */
};

/* What happens to a packet after the last hop of its route. */
enum route_end {
	END_DELIVER,		/* delivered: latency ends at the last stage's departure */
	END_DELIVER_AFTER,	/* ... after the last hop's latency too (arrival at a remote client) */
	END_RESPOND,		/* a request reached the server app: continue as its response */
	END_SINK,		/* not measured (a neighbour's packet): recycle */
};

struct hop {
	unsigned stage;
	enum comp_dir dir;
	unsigned ncomp;
	struct component *comp[HOP_MAX_COMPS];
	struct handoff in;	/* how packets reach this stage on this hop */
	int alt_route;		/* route to continue on if diverted here, -1: none */
	unsigned alt_hop;	/* ... at this hop of it */
};

struct route {
	char *name;
	struct hop *hops;
	unsigned n;
	enum route_end end;
	int next_route;		/* END_RESPOND: the response's route */
	unsigned latency_from;	/* latency starts on arriving at this hop (0: at birth) */
	bool deliver_at_start;	/* delivered when the last stage starts on it (recv) */
	bool respond_after;	/* END_RESPOND: the response starts after the last
				 * hop's latency too (the link's propagation, a
				 * remote end's wake-up), not at its service's end */
};

/* Route kinds a traffic source starts on. */
enum route_kind {
	RK_RX,		/* external sender -> app */
	RK_TX,		/* app -> wire */
	RK_RX_FROM_PEER,	/* peer VM's app -> app */
	RK_TX_TO_PEER,	/* app -> peer VM's app */
	RK_RR,		/* external client -> app -> client */
	RK_RR_PEER,	/* peer VM client -> app -> peer VM */
	RK_NEIGHBOUR_RX,	/* another VM's traffic through shared stages */
	RK_NEIGHBOUR_TX,
	RK_TCP_TX,	/* app -> external receiver, its ACKs -> guest */
	RK_TCP_TX_PEER,	/* app -> peer VM's app, its ACKs -> guest */
	RK_COUNT,
};

/* One path's pipeline. */
struct pipeline {
	enum path_id path;
	GPtrArray *components;	/* struct component *, owned */
	GPtrArray *stages;	/* struct stage *, owned, in processing order */
	GPtrArray *routes;	/* struct route *, owned */
	double freq_hz;		/* clock of host cores and vCPUs */
	unsigned vm_vcpus;
	unsigned host_cores;
	unsigned vswitch_cores;
	bool has_peer;		/* some traffic has a VM peer: peer stages exist */
	unsigned nvms;		/* the scenario's VMs */
	unsigned primary;	/* the first compared one (scenario.h) */
	/* route each kind of traffic of VM v starts on, kind_route[v * RK_COUNT
	 * + kind], -1: none (a neighbour's kinds under every v) */
	int *kind_route;
	bool *vm_vf;		/* VM v has a VF in this world (accelerated routes) */
	/* a VM that migrates: the routes it takes on the host it moves to,
	 * as kind_route (-1: none); has_dst: there are some */
	int *dst_route;
	bool has_dst;
	GArray *comp_vm;	/* int per component: the VM it belongs to, -1: none */
	GPtrArray *owned;	/* params copies components point to (a shaper's
				 * with its rate resolved), g_free'd */
};



/* Build the pipeline of path p for scenario s (whose model it reads).
 * seed streams each component's random numbers: equal seeds give both
 * paths' shared components the same numbers.  NULL and error if a
 * component's init fails. */
struct pipeline *pipeline_build(const struct scenario *s, enum path_id p, GError **error);
void pipeline_free(struct pipeline *pl);

/* The kind of route traffic t starts on. */
enum route_kind traffic_route_kind(const struct traffic_spec *t);

/* Index of the route a source of kind k starts on, -1 if none: of the
 * scenario's first compared VM (its one VM, without [vm NAME] sections). */
int pipeline_route(const struct pipeline *pl, enum route_kind k);
/* The same for a source of VM vm (a neighbour's kinds: any vm). */
int pipeline_vm_route(const struct pipeline *pl, enum route_kind k, unsigned vm);
/* The same on the host VM vm migrates to, -1 if it does not. */
int pipeline_dst_route(const struct pipeline *pl, enum route_kind k, unsigned vm);

/* The most stages a packet can leave on its way (diversions and a
 * response included): what the engine keeps per packet for the budget. */
unsigned pipeline_max_visits(const struct pipeline *pl);

/* Lower bounds used by the engine: the least time a packet of size bytes
 * can spend from arriving at hop h of route r to arriving at the next stage
 * (service at full speed plus latency). */
double pipeline_hop_min_time(const struct pipeline *pl, const struct route *r, unsigned h,
			     double size);
/* The same split: the least service at hop h (its batch's own cost spread
 * over a full batch), and the least latency after it. */
double pipeline_hop_min_service(const struct pipeline *pl, const struct route *r, unsigned h,
				double size);
double pipeline_hop_min_latency(const struct pipeline *pl, const struct route *r, unsigned h,
				double size);

/* The packets per second the normal path can carry for frames of mean
 * size bytes: the least of every stage's servers / mean service on the
 * rx route (what "rate = 50%" is a share of). */
double pipeline_capacity_pps(const struct scenario *s, double size, enum route_kind k);
/* The same for the traffic of VM vm of the scenario. */
double pipeline_capacity_pps_vm(const struct scenario *s, double size, enum route_kind k,
				unsigned vm);

#endif
