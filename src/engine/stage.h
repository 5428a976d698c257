/* stage.h: the FIFO-server rules both engine modes share.
 *
 * A stage (struct estage, internal.h) is a group of servers with one or
 * more input lanes: one lane shared by all servers (first come, first
 * served: M/M/c), or one lane per server with flows hashed to lanes (RSS).
 * Window mode (window.c) and exact mode (exact.c) both serve a batch the
 * same way:
 *
 *   start = when the server is free, or lane_wake_time() if it was idle,
 *           then estage_resume() (its CPU may be taken then)
 *   lane_take(start)             the batch: admitted arrivals by start
 *   estage_begin(start)          seconds of service, per-packet latency
 *   (window mode: end = start + service; exact mode: one execute)
 *   estage_finish(end)           queue places released, busy time and
 *                                cycles counted, each packet handed on
 *
 * Time base: double seconds of model time.  Nothing here allocates.
 */
#ifndef ACCELSIM_ENGINE_STAGE_H
#define ACCELSIM_ENGINE_STAGE_H

#include "engine/internal.h"
#include "engine/trace.h"

/* Queue p (whose p->t is its arrival time) on the lane of es its flow
 * hashes to.  In exact mode, a server waiting on that lane is woken if p
 * arrives before the server planned to wake; the wake-up is posted by the
 * next estage_wake_flush(), so a producer hands on its whole batch first. */
void estage_push(struct estage *es, struct pkt *p);

/* Post the wake-ups estage_push() queued (SimGrid semaphore releases).
 * Call after a batch's departures, and after each window. */
void estage_wake_flush(void);

/* Whether p may join lane l: a bounded queue (es->capacity places) refuses
 * p when it already holds capacity packets at p->t, counting the in_batch
 * packets of the batch being formed and batches in service.  Always TRUE
 * for an unbounded stage. */
bool lane_admit(struct estage *es, struct lane *l, struct pkt *p, unsigned in_batch);

/* Fill b with the packets of l that have arrived by start, oldest first,
 * up to the stage's batch size; those lane_admit() refuses are dropped
 * (estage_drop()).  b->n may be 0 when all were refused.  The batch holds
 * its queue places until lane_commit().  Feeds the gap between arrivals
 * to adaptive moderation. */
void lane_take(struct estage *es, struct lane *l, double start, struct pkt_batch *b);

/* Record that the n packets of the batch taken from l leave at end: they
 * hold queue places until then. */
void lane_commit(struct estage *es, struct lane *l, unsigned n, double end);

/* When an idle server can start on the head of l, which arrived at a0:
 * after the ring's wake-up (moderation timer or frame count, then its
 * drawn delay, one draw per wake-up).  *known is FALSE when the answer
 * depends on arrivals at or after horizon (frame counts); the result is
 * then a bound the caller must not act on. */
double lane_wake_time(struct estage *es, struct lane *l, double a0, bool *known, double horizon);

/* When server of es, ready at t (busy: it served up to t without a
 * break), can start a batch: t, unless the stage's lead component says
 * its CPU is taken then (component_ops.resume).  Inline: asked before
 * every batch, and most stages take no breaks. */
static inline double estage_resume(const struct estage *es, unsigned server, double t, bool busy)
{
	const struct component *lead = es->st->lead;

	if (G_LIKELY(!es->st->serving.breaks))
		return t;
	return lead->ops->resume(lead, server, t, busy);
}

/* Drop p at es at its arrival time: counted at the stage (within measured
 * time) and in the path (measured packets), its source told, p recycled.
 * A copy into es's ring that p's last stage charged is taken back. */
void estage_drop(struct estage *es, struct pkt *p);

/* What serving a batch costs: each packet's latency after service and its
 * own service units, and the batch's units (cycles for CPU stages,
 * seconds for hardware; the batch's own cost included) and of them its own
 * cost (a poll's, a burst's), which its VMs share by their packets. */
struct batch_cost {
	double lat[BATCH_MAX];
	double units_pp[BATCH_MAX];
	double copy[BATCH_MAX];	/* of units_pp, a copy into the next stage's
				 * ring (epath.ring_copy), else 0 */
	double units, batch_units;
};

/* Server server of es starts serving b (from lane_take()) at start; it
 * was ready at ready (== start if it needed no wake-up, else the head's
 * arrival: it waited for the ring's wake-up from then, or for its CPU);
 * busy: it went on from its previous batch without a break.  The
 * components of each packet's hop fill x and b->reroute; returns the
 * batch's service in seconds.  Traces the wake-up and the batch.  A
 * packet whose route ends when the batch starts (recv()) is delivered
 * here, in SimGrid's time too in exact mode; it leaves the stage with the
 * batch. */
double estage_begin(struct estage *es, unsigned server, struct pkt_batch *b, double ready,
		    double start, bool busy, struct batch_cost *x);

/* Whether packet i of batch b, which es has begun (estage_begin()), was
 * delivered when the batch started: the application's recv() took it. */
bool estage_delivered_at_start(const struct estage *es, const struct pkt_batch *b, unsigned i);

/* The batch ends at end: its queue places are released at end
 * (lane_commit()), its busy time and cycles counted within the measured
 * time (and, in window mode, charged to its host), and each packet moves
 * on at end + its latency to its next hop (or a diversion's), or ends its
 * route: delivered (latency and budget recorded, at the start for what
 * recv() took), turned into a response, or recycled.  A copy into the
 * next stage's ring is remembered with the packet, to be taken back if
 * the ring refuses it (estage_drop()). */
void estage_finish(struct estage *es, struct lane *l, unsigned server, struct pkt_batch *b,
		   const struct batch_cost *x, double ready, double start, double end);

#endif
