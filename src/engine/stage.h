/* stage.h: the FIFO-server rules both engine modes share.
 *
 * A stage (struct estage, internal.h) is a group of servers with one or
 * more input lanes: one lane shared by all servers (first come, first
 * served: M/M/c), or one lane per server with flows hashed to lanes (RSS).
 * Window mode (window.c) and exact mode (exact.c) both serve a batch the
 * same way:
 *
 *   start = when the server is free, or lane_wake_time() if it was idle
 *   lane_take(start)             the batch: admitted arrivals by start
 *   estage_cost()                seconds of service, per-packet latency
 *   lane_commit(end)             the batch's departures hold queue places
 *   estage_account(start, end)   busy time and cycles within measured time
 *   estage_depart(end)           each packet on to its next hop, or its end
 *
 * Time base: double seconds of model time.  Nothing here allocates.
 */
#ifndef ACCELSIM_ENGINE_STAGE_H
#define ACCELSIM_ENGINE_STAGE_H

#include "engine/internal.h"

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

/* Drop p at es at its arrival time: counted at the stage (within measured
 * time) and in the path (measured packets), its source told, p recycled. */
void estage_drop(struct estage *es, struct pkt *p);

/* What serving b from start costs: the components of each
 * packet's hop fill service, latency and reroute.  Returns the batch's
 * service in seconds; lat[i] is packet i's latency after service; *units
 * the batch's service units (cycles for CPU stages, seconds for hardware);
 * *own the measured VM's share of them (neighbours' packets excluded). */
double estage_cost(struct estage *es, struct pkt_batch *b, double start,
		   double *lat, double *units, double *own);

/* The n packets of b leave es at end (served from start): each moves to
 * its next hop (or its diversion) at end + lat[i], or ends its route:
 * delivered (latency recorded), turned into a response, or recycled. */
void estage_depart(struct estage *es, struct pkt_batch *b, const double *lat, double start,
		   double end);

/* Charge a batch served from start to end (units of service, own of them
 * the measured VM's) to the stage's and path's figures, within the
 * measured time only; in window mode also to its host's pending SimGrid
 * charge. */
void estage_account(struct estage *es, double start, double end, double units, double own);

#endif
