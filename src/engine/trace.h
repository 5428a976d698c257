/* trace.h: the per-packet tracer hook.
 *
 * A caller that passes a tracer in engine_opts sees every event of every
 * packet on both paths, in the order the engine computes them (not in time
 * order: window mode computes a stage a window ahead of the next), but
 * that a packet's delivery always follows its last departure, also when
 * recv() took it at its batch's start (TRACE_DELIVER's t).  With
 * no tracer the engine tests one pointer per event and does nothing else.
 * `accelsim trace` and the animation are built on it; the latency budget
 * is computed by the engine itself from the same times.
 *
 * Time base: double seconds of model time.  Pointers in an event are valid
 * only during the call.
 */
#ifndef ACCELSIM_ENGINE_TRACE_H
#define ACCELSIM_ENGINE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/component.h"
#include "report/result.h"

enum trace_kind {
	TRACE_ARRIVE,	/* the packet reached a stage's queue at t */
	TRACE_WAKE,	/* an idle server is woken for the packet (the head of
			 * its lane): it became ready at ready and can start at
			 * t, after the ring's interrupt or notification */
	TRACE_BATCH,	/* a server starts a batch of batch packets at t; pkt is
			 * its first */
	TRACE_DEPART,	/* the packet leaves a stage at t = end: arrive, ready,
			 * start, end, delay and cycles say how it spent it */
	TRACE_DROP,	/* the stage's queue refused the packet, arrived at t */
	TRACE_DIVERT,	/* a component sent the packet from route to to_route
			 * (a flow-table miss, an inbound SYN, no VF) at t */
	TRACE_DELIVER,	/* the packet's route ended at t: delivered, a latency
			 * of latency if it is counted */
	TRACE_RESPOND,	/* a request reached the server application at t: it
			 * continues as the response, on to_route */
};

struct trace_event {
	enum trace_kind kind;
	enum path_id path;
	const struct pkt *pkt;	/* source and seq identify it; flags, route, hop */
	const char *stage;	/* the stage's name ("vswitch"); NULL for DELIVER */
	unsigned stage_index;	/* its index in the path's pipeline */
	const char *runs_on;	/* "host cores", "vCPUs", "NIC", "link" */
	unsigned server;	/* which of the stage's servers (core, vCPU, queue) */
	double t;
	/* TRACE_DEPART (and TRACE_WAKE: ready, t) */
	double arrive;		/* when it reached the stage */
	double ready;		/* when a server could have started on it, had it
				 * not waited for a wake-up; queued before that */
	double start, end;	/* its batch's service */
	double delay;		/* pipelined delay after service (propagation, DMA
				 * completion, IOMMU) before the next stage */
	double cycles;		/* its own service: CPU cycles, or seconds on
				 * hardware; the batch's own cost not included */
	unsigned batch;		/* TRACE_BATCH, TRACE_DEPART: packets in the batch */
	/* TRACE_DIVERT, TRACE_RESPOND */
	const char *route, *to_route;
	/* TRACE_DELIVER */
	bool counted;		/* born after the warm-up: in the figures */
	double latency;		/* the latency it adds to the figures */
};

struct engine_tracer {
	void (*event)(void *data, const struct trace_event *ev);
	void *data;
};

#endif
