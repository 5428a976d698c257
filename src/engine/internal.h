/* internal.h: the engine's run-time state, shared by its files.
 *
 * Time base: double seconds of model time, which is SimGrid's time. */
#ifndef ACCELSIM_ENGINE_INTERNAL_H
#define ACCELSIM_ENGINE_INTERNAL_H

#include <simgrid/actor.h>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>

#include "config/scenario.h"
#include "engine/engine.h"
#include "engine/queue.h"
#include "engine/trace.h"
#include "pipeline/pipeline.h"
#include "report/result.h"
#include "traffic/traffic.h"

struct epath;

/* Something that can send a stage (or a closed-loop source) packets, and
 * the least time they take on the way: la after it has worked up to its
 * horizon, nothing more can arrive from it (docs/engine.md). */
struct in_edge {
	int from;		/* stage index, or -1 - source index */
	double la;		/* lookahead: least time from it to here */
	bool at_start;		/* it brings what a batch's start makes (a
				 * delivery when recv() takes a packet): from an
				 * exact-mode stage, its next start bounds it */
};

/* A queue of a stage with its server(s): an RSS lane has one server, a
 * shared lane all of the stage's. */
struct lane {
	struct pring in;	/* arrivals, sorted by time */
	double free;		/* single server: when it is next free */
	double last_start;	/* when its last batch started: a shared lane's
				 * batches start in the order they are formed */
	/* departures of the last `capacity` accepted packets, oldest first;
	 * a packet is dropped when the oldest of them has not left yet (the
	 * queue then holds capacity packets) */
	double *dep;
	unsigned dep_head, dep_len;
	unsigned in_service;	/* packets taken and not yet committed */
	double ewma_gap;	/* adaptive moderation: mean gap between arrivals */
	uint64_t key;		/* keys its wake-up delays (rng.h) */
	double wake_draw;	/* this idle spell's wake-up delay, once drawn */
	uint64_t drawn;		/* ... for this head (wake_key()); 0: none yet */
	double last_arrival;
	/* exact mode */
	sg_sem_t sem;
	int waiters;
	double planned;		/* when a waiting server means to wake (model time) */
	bool wake_queued;	/* a wake-up is queued for it */
	unsigned starved;	/* servers waiting for the driver: their inputs
				 * are not known far enough ahead */
};

/* A CPU resource: a SimGrid host (the vSwitch's cores) or VM. */
struct eres {
	sg_host_t host;
	unsigned cores;
	double freq;
	bool exact;		/* executes would share cores: stages are actors */
	double pending;		/* window mode: busy seconds not yet charged */
	bool has_loads;
	unsigned servers;	/* stage servers placed here */
};

/* One VM's share of a stage, over the measured time: its packets' departures
 * and sojourn, its drops, and its share of the busy time and cycles (its
 * packets' costs and its part of each batch's own). */
struct evm_stage {
	uint64_t packets, drops;
	double sojourn, busy, cycles;	/* double: reports only, per VM */
};

struct estage {
	const struct stage *st;
	struct epath *ep;
	struct eres *res;	/* NULL for hardware */
	unsigned nlanes;
	struct lane *lanes;
	bool shared;		/* one lane for all servers (FCFS) */
	unsigned nservers;
	double *free;		/* shared lane: each server's free time */
	double *dheap;		/* shared lane: departures of packets in the stage */
	unsigned dheap_len;
	unsigned capacity;
	double sec_per_unit;	/* seconds per service unit: 1 or 1/freq */
	bool cpu;
	bool exact;
	bool link;		/* the host's link: down drops what arrives */
	bool delivers_at_start;	/* a route ends here when its batch starts (recv) */
	bool ring_fed;		/* the stage before it on a route copies into its
				 * ring (epath.ring_copy) */
	double done;		/* window mode: batches starting before this are served */
	double known;		/* window mode: no batch not yet formed starts
				 * before this (>= done; window.c keeps it) */
	double next_sample;	/* window mode: next occupancy sample */
	/* exact mode */
	double min_svc;		/* least service of any of its hops */
	bool exact_fed;		/* an exact-mode stage feeds it */
	double progress;	/* no batch not yet finished starts before this
				 * (for what it feeds; window.c keeps it) */
	double start_progress;	/* ... and no batch not yet started */
	/* relax() (window.c): what bounds known or progress whatever the
	 * stage's inputs: a window-mode stage's first waiting packet; an
	 * exact one's earliest start on its lanes' heads, if a server is idle
	 * (rx_idle), and the bounds of its batches in service */
	double rx_own, rx_busy, rx_busy_start;
	bool rx_idle;
	double *busy_end;	/* per server: the earliest its batch in service can
				 * end (its service at full speed); INFINITY: idle */
	double *busy_start;	/* ... and when that batch started */
	struct in_edge *in;	/* who feeds it */
	unsigned nin;
	unsigned order;
	/* figures over the measured time: departures within it (packets,
	 * sojourn), busy time and cycles within it; drops of measured packets */
	uint64_t packets, drops;
	struct evm_stage *vm;	/* [the path's nvms]: each VM's share */
	/* sums in extended precision: the two modes add them up in other
	 * orders, and must still round to the same double */
	long double sojourn, busy, cycles;
	double occupancy_sum;	/* sum over samples of packets in the stage */
	uint64_t occupancy_n;
};

struct esource {
	struct source *src;
	double done;		/* births before this are generated */
	double known;		/* no birth still to come is before this */
	double rx_own;		/* relax(): its next birth */
	struct in_edge *in;	/* closed loop: the stage that delivers responses */
	unsigned nin;
	int route;		/* route it starts on */
	bool sink;		/* a neighbour's: not measured */
	int vm;			/* the VM it belongs to, -1: a neighbour's */
	int dst_route;		/* its route once its VM has migrated, -1: none */
	const struct traffic_spec *spec;
};

/* Sums over counted, delivered packets of the seconds they spent at one
 * stage since their latency began (the latency budget). */
struct budget_acc {
	double wait, wake, service, delay;
};

/* One VM's figures on one path: counts of its measured packets (born after
 * the warm-up), its deliveries within the measured time, its CPU, latency
 * budget and time series; out receives them. */
struct evm {
	uint64_t offered, delivered, dropped;
	double offered_bytes;
	uint64_t delivered_in;
	double delivered_in_bytes;
	long double host_cycles, guest_cycles;
	struct budget_acc *budget;	/* [nstages] */
	uint64_t budget_n;		/* packets in it */
	struct series_path *series;	/* run --interval; NULL: none */
	struct series_path *phases;	/* between events; NULL: none */
	struct path_result *out;
	bool *crosses;			/* [nstages]: stages its routes cross */
};

/* A change of state on the engine's timeline (events.c). */
enum tl_kind {
	TL_VF_OFF,	/* the VF leaves: traffic takes the synthetic path */
	TL_VF_ON,	/* the VF is in use again */
	TL_MOVE,	/* a migrated VM's traffic crosses its new host */
};

struct tl_event {
	double t;
	enum tl_kind kind;
	int vm;			/* -1: every VM */
	int path;		/* enum path_sel */
	bool mark;		/* it starts a phase */
	uint64_t seq;		/* order among changes at one time */
};

struct epath {
	enum path_id path;
	struct sim *sim;
	struct pipeline *pl;
	struct estage *stages;
	unsigned nstages;
	struct esource *sources;
	unsigned nsources;
	struct pool pool;
	struct eres res[RES_COUNT];	/* RES_VM unused: vmres */
	struct eres *vmres;		/* [nvms]: each VM's vCPUs */
	sg_host_t dst_pm;		/* the host a VM migrates to; NULL: none */
	struct evm *vms;		/* [nvms] */
	unsigned nvms;
	bool vm_shares;			/* keep each VM's share of every stage:
					 * a host of [vm NAME] sections */
	/* the host's link is down in [down[2i], down[2i + 1]) (events.c) */
	double *down;
	unsigned ndown;
	/* [route][hop]: the component whose per-packet work there is a copy
	 * into the next stage's ring (the vNIC's, on receive), taken back if
	 * the ring refuses the frame; -1: none.  NULL: no route has one. */
	int8_t **ring_copy;
	/* scratch for splitting a batch's cost among VMs (stage.c) */
	double *vm_acc;
	unsigned *vm_cnt, *vm_touched;
};

/* The VM packet p belongs to, -1 for a neighbour's. */
static inline int pkt_vm(const struct epath *ep, const struct pkt *p)
{
	if (ep->nvms == 1)
		return (p->flags & PKT_NEIGHBOUR) ? -1 : 0;
	return ep->sources[p->source].vm;
}

struct sim {
	const struct scenario *sc;
	const struct engine_opts *opts;
	const struct engine_tracer *tracer;	/* opts' tracer, or NULL */
	struct epath paths[PATH_COUNT];
	double window;
	double warmup, duration;
	bool any_exact;
	double series_len;	/* run --interval: length of an interval; 0: none */
	uint64_t series_n;	/* intervals in the measured time */
	struct series_def *series_def, *phase_def;	/* series.c */
	bool tracking;		/* a series or phases are kept */
	struct estage **exact;	/* every exact-mode stage, both paths */
	unsigned nexact;
	sg_sem_t driver_sem;	/* the driver waits here for an exact batch to end */
	uint64_t exact_events;	/* batches exact servers started or ended */
	bool driver_waiting;
	unsigned yielding;	/* exact servers in sg_actor_yield(): about to look
				 * at their lanes again at this instant */
	bool stopped;
	double stopped_at;
	struct engine_stats stats;
	GArray *timeline;	/* struct tl_event, in time order (events.c) */
	double horizon;		/* everything is computed up to here, births
				 * and departures: a change must come later */
	guint tl_next;		/* the first not yet applied */
	uint64_t tl_seq;
	bool stuck;		/* a loop with no lookahead: cannot advance */
	gint64 wall_start;	/* monotonic µs when the run began (progress) */
	bool announced;		/* a long run's estimate was printed */
	/* CPU charged to SimGrid every charge_period of model time */
	double charge_period, last_charge;
	sg_exec_t execs[4 * RES_COUNT * PATH_COUNT * 64];
	unsigned nexecs;
};

/* engine.c: the last run's engine figures (fork.c restores a child's). */
extern struct engine_stats engine_stats_last;

/* build.c */
bool build_path(struct sim *sim, struct epath *ep, enum path_id p, struct run_result *out,
		GError **error);
void build_edges(struct sim *sim, struct epath *ep);
bool build_check(struct sim *sim, GError **error);
void build_teardown(struct sim *sim);

/* window.c: the driver actor's body (its data: the struct sim) */
void window_driver_main(int argc, char **argv);
/* How far the inputs of exact stage es are known from window-mode stages
 * and sources: nothing not yet pushed arrives before it.  Its exact-mode
 * feeders are not counted: SimGrid runs them in time order. */
double window_horizon(const struct estage *es);

/* exact.c: one actor per server of every exact-mode stage */
void exact_start(struct sim *sim);
/* Measured packets of VM vm in the batches path's exact-mode servers hold. */
uint64_t exact_in_flight(const struct sim *sim, int path, int vm);
void exact_free(void);

/* load.c: background load threads */
void loads_start(struct sim *sim);
void loads_free(void);

/* series.c: figures per interval of the measured time: the time series
 * (run --interval, intervals of length len) and the phases between events
 * (starting at the times in bounds, and at each phases_mark()). */
struct series_path;
struct series_def;
void series_init(struct sim *sim, double len);
void phases_init(struct sim *sim, const double *bounds, unsigned n);
/* A phase starts at t: nothing after t is recorded yet. */
void phases_mark(struct sim *sim, double t);
/* A delivery of VM vm's at t of a packet of bytes, latency seconds. */
void series_deliver(struct sim *sim, struct evm *vm, double t, double latency, uint32_t bytes);
/* A measured packet of vm dropped at t. */
void series_drop(struct sim *sim, struct evm *vm, double t);
/* cycles vm's share of a stage spent from start to end, on the host or not. */
void series_cpu(struct sim *sim, struct evm *vm, bool host, double start, double end,
		double cycles);
/* Every stage is past reached: intervals ending by then are final. */
void series_close(struct sim *sim, double reached);
/* vm's rows up to end (the run's end, or where it stopped), into vm->out. */
void series_collect(struct sim *sim, double end, struct evm *vm);
void series_free(struct sim *sim);

/* events.c: the scenario's events as changes of state in time order */
void events_init(struct sim *sim);
/* Add a change at t (t at or after every change already applied); mark:
 * it starts a phase of the figures. */
void events_insert(struct sim *sim, double t, enum tl_kind kind, int vm, int path, bool mark);
/* When the next change is due; INFINITY: none. */
double events_next(const struct sim *sim);
/* Apply every change due by now, in order. */
void events_apply_due(struct sim *sim, double now);
/* Whether the host's link is down at t on path ep. */
bool events_link_down(const struct epath *ep, double t);
void events_free(struct sim *sim);
gint tl_cmp_double(gconstpointer a, gconstpointer b);

/* migrate.c: live migrations */
void migrations_start(struct sim *sim);
void migrate_move(struct sim *sim, const struct tl_event *e);
/* Each migration's times, as notes of out. */
void migrations_report(struct sim *sim, struct run_result *out);
void migrations_free(void);

/* collect.c */
void collect_results(struct sim *sim, struct run_result *out);

static inline const struct route *pkt_route(const struct epath *ep, const struct pkt *p)
{
	return ep->pl->routes->pdata[p->route];
}

static inline const struct hop *pkt_hop(const struct epath *ep, const struct pkt *p)
{
	return &pkt_route(ep, p)->hops[p->hop];
}

#endif
