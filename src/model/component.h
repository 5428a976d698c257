/* component.h: the interface every data-path component implements.
 *
 * A component is one piece of the path (wire, NIC, vSwitch, ...) with a
 * parameter section in the model file.  It knows nothing of the pipeline it
 * sits in: the engine hands it a batch of packets that a server of the stage
 * is about to serve, and the component says what serving them costs:
 *   - service: time the server is occupied (hardware), or cycles on the CPU
 *     that runs the stage (CPU components: the engine turns cycles into time
 *     on a core of the host or VM, through SimGrid when the core is shared);
 *   - latency: a pipelined delay after service that occupies nothing
 *     (propagation, a DMA completion, an interrupt's delivery).
 * It may also divert a packet to another route (a flow-table miss sends the
 * packet through the software path).
 *
 * Time base: double seconds, as SimGrid.  Sizes in bytes.  Like fio's
 * ioengine_ops, the table of operations is the whole contract; optional
 * slots are NULL.  A component file ends with its const component_ops and
 * one line in model/registry.c lists it.
 */
#ifndef ACCELSIM_COMPONENT_H
#define ACCELSIM_COMPONENT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/keyspec.h"
#include "core/dist.h"
#include "core/rng.h"

/* Packet flags. */
enum {
	PKT_FIRST = 1u << 0,	 /* first packet of its flow */
	PKT_SYN = 1u << 1,	 /* a TCP SYN: handled on the synthetic path */
	PKT_SYNTHETIC = 1u << 2, /* arrived through the synthetic vNIC */
	PKT_RESPONSE = 1u << 3,	 /* a response of request/response traffic */
	PKT_MEASURED = 1u << 4,	 /* born after warm-up: counts in the figures */
	PKT_NEIGHBOUR = 1u << 5, /* another VM's packet: loads shared stages only */
};

/* One packet in flight.  Preallocated in a pool; never allocated per packet. */
struct pkt {
	uint64_t seq;		/* its number in its source (birth order, or the
				 * connection and its request's number) */
	uint64_t key;		/* from (seed, source, seq): keys its random draws */
	double born;		/* when its latency starts (see docs/metrics.md) */
	double t;		/* arrival time at its current stage */
	double t0;		/* start of the current round trip (request/response) */
	uint32_t size;		/* frame bytes, FCS included, preamble/IFG not */
	uint32_t flow;		/* dense flow number */
	uint32_t source;	/* traffic source index */
	uint32_t conn;		/* connection (closed-loop request/response) */
	uint16_t route;		/* route index in the pipeline */
	uint16_t hop;		/* position on the route */
	uint16_t flags;
	uint16_t path;		/* enum path_id */
	uint32_t slot;		/* its place in the engine's pool */
	uint8_t nvisits;	/* stages it has left (the engine's budget) */
	uint8_t visit_t0;	/* ... of them, those before its latency began */
};

/* Where a stage's work happens. */
enum comp_place {
	PLACE_HW,	/* hardware: time computed directly */
	PLACE_HOST,	/* host cores: cycles, charged as host CPU */
	PLACE_GUEST,	/* VM vCPUs: cycles, charged as guest CPU */
};

#define BATCH_MAX 256

/* The packets a server takes at once and what they cost. */
struct pkt_batch {
	unsigned n;
	unsigned server;		/* which of the stage's servers serves it */
	bool busy;			/* that server went on from its previous batch
					 * without a break (no wake-up): the same
					 * softirq run, the same poll loop */
	struct pkt *p[BATCH_MAX];
	double service[BATCH_MAX];	/* seconds (PLACE_HW) or cycles */
	double latency[BATCH_MAX];	/* seconds after the batch is served */
	double batch_service;		/* per-batch overhead, same unit as service */
	int reroute[BATCH_MAX];		/* -1, or the route to continue on */
};

struct component;

/* Steady-state cost of one packet (flow-table hits), in the component's
 * service unit (seconds for hardware, cycles for CPU work). */
struct cost_bounds {
	double mean;		/* mean service */
	double min;		/* least service */
	double batch;		/* per-batch overhead */
	double latency_min;	/* least latency after service */
};

/* How a stage's servers share the work (the dispatch key). */
enum { DISPATCH_RSS, DISPATCH_SHARED };

/* How a stage is served. */
struct serving {
	unsigned servers;	/* cores or threads working in parallel */
	bool shared_queue;	/* one FCFS queue for all (M/M/c), or one queue per
				 * server with flows hashed to queues (RSS) */
	unsigned batch;		/* most packets taken at once (NAPI budget, burst) */
	unsigned queue;		/* its own input bound when the upstream hands over
				 * no ring (a switch port, a socket); 0: unbounded */
	bool polls;		/* its servers spin on their input (a poll-mode
				 * driver): what is handed to it needs no interrupt
				 * or notification, so the pipeline drops the
				 * hand-off's moderation and wake-up delay */
	bool breaks;		/* its servers' CPU is now and then not theirs
				 * (a preempted vCPU, host housekeeping, work
				 * deferred to a thread): the engine asks the
				 * lead component's resume() before each batch */
};

enum comp_dir {
	DIR_RX,		/* towards the application */
	DIR_TX,		/* from the application to the wire */
};

/* How a component hands packets to the stage after it: through a ring of
 * descriptors (its length bounds that stage's queue) and by waking an idle
 * consumer with an interrupt or notification.  A busy consumer polls and
 * needs no wake-up (NAPI), so the wake-up delay applies only when the
 * consumer's server is idle.  Filled by the upstream component's handoff op. */
struct handoff {
	unsigned ring;		/* queue bound for the consumer, 0: its own */
	const struct dist *latency; /* from the wake-up event to service start,
				     * drawn once per wake-up; NULL: none */
	double usecs;		/* coalescing timer from the first pending packet, 0: none */
	unsigned frames;	/* ... or this many pending packets, 0: none */
	bool adaptive;		/* DIM-style moderation: timer follows the rate */
};

struct component_ops {
	const char *kind;		/* its [section] name in model files */
	enum comp_place place;		/* where its work is charged by default */
	const char *runs_on;		/* "NIC", "host cores", "vCPUs": for reports */
	const char *summary;		/* one line, for `accelsim explain` and help */
	const char *delay;		/* what its latency after service is
					 * ("propagation"), for the latency
					 * budget; NULL if it has none */
	const struct key_spec *keys;	/* its parameters */
	size_t nkeys;
	size_t params_size;		/* bytes of its params struct */

	/* Check values against each other and precompute; optional. */
	bool (*init)(struct component *c, GError **error);
	/* Fill b->service, b->latency, b->batch_service and b->reroute for the
	 * n packets of b, which a server starts serving at time now. */
	void (*process)(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now);
	/* Cost of a packet of size bytes in direction dir (for capacity and
	 * the engine's lookahead). */
	void (*bounds)(const struct component *c, enum comp_dir dir, double size,
		       struct cost_bounds *out);
	/* How this component hands packets on in direction dir to a stage
	 * that runs at consumer; FALSE if it hands nothing to such a stage
	 * (the VF delivers to the guest only: a packet it diverts reaches the
	 * host through the NIC's queue).  Optional (NULL: at once, into the
	 * consumer's own queue). */
	bool (*handoff)(const struct component *c, enum comp_dir dir, enum comp_place consumer,
			struct handoff *out);
	/* How packets reach the stage this component leads when no component
	 * upstream hands them over: its own input queue and the wake-up of an
	 * idle server (a host thread of its own, as the vNIC's workers are).
	 * Optional (NULL: at once, into the stage's own queue). */
	bool (*intake)(const struct component *c, enum comp_dir dir, struct handoff *out);
	/* How the stage this component leads is served; optional (NULL: one
	 * server, batches of one, unbounded queue). */
	void (*serving)(const struct component *c, struct serving *out);
	/* When server of the stage this component leads, ready to start a
	 * batch at t (busy: it has served without a break up to t), can
	 * start it: t, or later while its CPU is taken.  The wait counts as
	 * the batch's wake-up, not as busy time or cycles.  Called only
	 * when its serving() set breaks; must not change the component's
	 * state (it may be asked again for the same t): process() sees the
	 * batch that does start.  Optional. */
	double (*resume)(const struct component *c, unsigned server, double t, bool busy);
	/* Apply a timed scenario event ("vf_remove"); optional. Returns FALSE
	 * for an event it does not know. */
	bool (*event)(struct component *c, const char *what, double now);
	/* Release what init allocated; optional. */
	void (*cleanup)(struct component *c);
};

/* Figures every stage keeps in common with the component's own state. */
struct component {
	const struct component_ops *ops;
	char *name;		/* section name: "vswitch", or "app2" for a second app */
	void *params;		/* the parsed section, ops->params_size bytes */
	void *state;		/* the component's own run-time state */
	uint64_t key;		/* keys its random draws (comp_rng()) */
	double freq_hz;		/* clock of the CPU that runs it (cycles -> time) */
};

/* The random numbers packet p gets at component c in direction dir: they
 * depend on (seed, p's source and number, c, dir) alone, whatever order
 * packets are served in (common random numbers across paths and across
 * values of a parameter).  Draw a packet's numbers from r in a fixed order. */
static inline void comp_rng(struct rng *r, const struct component *c, const struct pkt *p,
			    enum comp_dir dir)
{
	rng_key(r, rng_hash(c->key, p->key ^ (uint64_t)dir));
}

/* The registry (model/registry.c). */
extern const struct component_ops *const component_registry[];
extern const size_t component_registry_len;
const struct component_ops *component_find(const char *kind);

#endif
