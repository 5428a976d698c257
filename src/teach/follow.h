/* follow.h: follow a few packets through both paths, from the engine's
 * tracer hook (engine/trace.h).
 *
 * A follower picks, on each path, the first `packets` packets of the
 * measured VM's traffic born at or after `at_s` (with `flow`: the first
 * packets of the first flow that starts then), and keeps what happened to
 * each: every stage it left (arrival, queue, wake-up, service, delay after
 * service, batch, server, cycles), a drop, a diversion, its turn into a
 * response, its delivery.  It keeps records for those packets only:
 * memory does not grow with the run.  Once every followed packet is
 * delivered or dropped on both paths, and no packet born earlier can
 * still turn up, it sets its stop flag, which `engine_opts.stop` reads:
 * the run ends there.
 *
 * Both paths replay the same arrivals, so with open-loop traffic the i-th
 * packet followed on each path is the same packet.  In a closed loop (a
 * pool of connections, each sending its next request when the last is
 * answered) births depend on the path, and the i-th packets may differ:
 * each record carries its own id (source, number).
 *
 * Time base: double seconds of model time.  Names in records are interned
 * (g_intern_string): they outlive the engine's pipelines.
 */
#ifndef ACCELSIM_TEACH_FOLLOW_H
#define ACCELSIM_TEACH_FOLLOW_H

#include <glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/scenario.h"
#include "engine/trace.h"
#include "pipeline/pipeline.h"
#include "report/result.h"

/* What happened to a packet at one point of its way. */
enum follow_kind {
	FOLLOW_STAGE,	/* it left a stage (TRACE_DEPART) */
	FOLLOW_DROP,	/* the stage's queue refused it, at arrive */
	FOLLOW_DIVERT,	/* a component sent it from route to to_route, at end */
	FOLLOW_RESPOND,	/* it reached the server application and continues
			 * as the response, on to_route, at end */
};

struct follow_step {
	enum follow_kind kind;
	const char *stage;	/* interned stage name ("vswitch") */
	const char *runs_on;	/* "host cores", "vCPUs", "NIC", "link", "meter" */
	const char *route, *to_route; /* FOLLOW_DIVERT, FOLLOW_RESPOND */
	unsigned route_index, hop; /* FOLLOW_STAGE: where on its routes it was */
	unsigned server;	/* which of the stage's servers served it */
	unsigned batch;		/* packets in its batch */
	uint16_t flags;		/* the packet's flags then (PKT_SYN, PKT_RESPONSE ...) */
	/* FOLLOW_STAGE: arrive <= ready <= start <= end; it queued from
	 * arrive to ready, waited for a wake-up from ready to start, was
	 * served from start to end, and reached the next stage at end +
	 * delay.  FOLLOW_DROP: arrive only; DIVERT, RESPOND: end only. */
	double arrive, ready, start, end, delay;
	double cycles;		/* its own service: CPU cycles; 0 on hardware */
};

enum follow_fate {
	FOLLOW_IN_FLIGHT,	/* not delivered or dropped when the run ended */
	FOLLOW_DELIVERED,
	FOLLOW_DROPPED,
};

struct follow_pkt {
	uint32_t source;	/* traffic source index (the scenario's order) */
	uint64_t seq;		/* its number in the source */
	uint32_t flow;
	uint32_t size;		/* frame bytes at birth */
	uint16_t flags;		/* PKT_FIRST, PKT_SYN ... at birth */
	double born;
	enum follow_fate fate;
	double done;		/* delivered or dropped at */
	double latency;		/* DELIVERED: its latency, ending at done */
	double t0;		/* DELIVERED: when its latency began: done - latency,
				 * as the instant it reached the stage there */
	bool counted;		/* DELIVERED: born in the measured time */
	GArray *steps;		/* struct follow_step, in the order they happened */
};

struct follow_opts {
	unsigned packets;	/* how many to follow on each path, >= 1 */
	double at_s;		/* born at or after this */
	bool flow;		/* the first packets of one new flow instead */
	const char *vm;		/* the VM whose traffic is followed, a name of the
				 * scenario's VMs (follow_vm_find()); NULL: the
				 * first compared one (scenario.primary) */
};

struct follow;

/* A follower for a run of s (which must outlive it). */
struct follow *follow_new(const struct scenario *s, const struct follow_opts *o);
void follow_free(struct follow *f);
typedef struct follow follow;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(follow, follow_free)

/* The tracer to pass in engine_opts.tracer, and the flag for
 * engine_opts.stop: set once the followed packets are done. */
const struct engine_tracer *follow_tracer(struct follow *f);
volatile sig_atomic_t *follow_stop_flag(struct follow *f);

/* Packets followed on path p (at most opts.packets), in birth order, and
 * the i-th of them; valid until follow_free(). */
unsigned follow_count(const struct follow *f, enum path_id p);
const struct follow_pkt *follow_get(const struct follow *f, enum path_id p, unsigned i);

/* The options it was made with. */
const struct follow_opts *follow_options(const struct follow *f);

/* The start of a delivered packet's latency (fp->t0). */
double follow_t0(const struct follow_pkt *fp);

/* How long step s of fp counts in fp's latency: the parts of its queue,
 * wake-up, service and delay that fall between the start of the latency
 * and the delivery (a stage before the latency begins, or the
 * application's work after its recv() takes the packet, count 0).  Only
 * for FOLLOW_STAGE steps of delivered packets. */
struct follow_parts {
	double queue, wake, service, delay;
};
void follow_counted_parts(const struct follow_pkt *fp, const struct follow_step *s,
			  struct follow_parts *out);

/* The latency budget of the delivered packets followed on path p, as the
 * engine's (struct budget_row, report/result.h): per stage of pl (that
 * path's pipeline), in its order, the mean time they spent there, and a
 * row of its own for the delay after service ("nic.rx: DMA write"); the
 * rows add up to their mean latency.  Empty when none was delivered.  The
 * caller frees the array (its rows' names go with it). */
GArray *follow_budget(const struct follow *f, enum path_id p, const struct pipeline *pl);

/* The index in s->vms of the VM the follower follows. */
unsigned follow_vm(const struct follow *f);

/* The index in s->vms of the VM called name into *out (name NULL: the
 * first compared one).  FALSE and an ACCELSIM_ERROR_INPUT error, which
 * names the VMs there are (or a near one), when s has no such VM; opt is
 * the option the name came from ("--vm"), for the message. */
bool follow_vm_find(const struct scenario *s, const char *name, const char *opt, unsigned *out,
		    GError **error);

/* "VM quiet (accelerated networking: compare), one of the host's 3 VMs"
 * (or "the host's only VM"): which VM of s a trace shows, in words; NULL
 * when s places no VMs of its own (its one VM is the run's).  Caller
 * frees. */
char *follow_vm_words(const struct scenario *s, unsigned vm);

/* Whether the VF of VM vm of scenario s is removed at time t (a
 * vf_remove event for it, or for every VM, on the accelerated path and no
 * vf_add since). */
bool follow_vf_removed(const struct scenario *s, unsigned vm, double t);

#endif
