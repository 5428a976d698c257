/* preempt.h: when a CPU stage's server has to wait for its own CPU.
 *
 * Shared by the components that lead a stage on host cores or vCPUs
 * (vswitch.c, guest.c), through component_ops.resume.  Two mechanisms:
 *
 *   - outages: each server loses its CPU for one stretch per period, at
 *     a phase of its own (drawn once per server), for a length drawn per
 *     stretch and capped at the period.  Stretch i of server k covers
 *     [phase_k + i period, phase_k + i period + length_ki); one that
 *     fills its period runs into the next (the length's least value must
 *     be below the period, or the server never runs).  A vCPU
 *     preempted by another on an oversubscribed host is one (a stretch
 *     is the other's time slice), host housekeeping (timers, RCU
 *     callbacks, kworkers on a switching core) another.  A batch due
 *     inside a stretch starts at its end; a batch already in service
 *     runs on (batches last microseconds, slices milliseconds).  For
 *     arrivals independent of the phase, the mean wait this adds is
 *     E[length^2] / (2 period) when no stretch fills its period (the
 *     residual of the stretch an arrival lands in, weighted by how often
 *     it lands in one).
 *   - a softirq budget: a server that has served budget packets without
 *     a break (one softirq run, NAPI polls included) defers what is
 *     left to ksoftirqd, a thread that runs after a scheduling delay,
 *     as Linux's __do_softirq() does once net_rx_action() has used its
 *     budget and its restarts.  The count starts again after a break
 *     or a deferral.  Saturated, a server that serves a packet in s
 *     forwards budget / (budget s + E[delay]) packets a second.
 *
 * Times in seconds.  Draws are keyed by (component, server, stretch or
 * deferral number): the same whatever order batches are served in. */
#ifndef ACCELSIM_PREEMPT_H
#define ACCELSIM_PREEMPT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/dist.h"

struct outage {
	double period;			/* from one stretch to the next; 0: none */
	const struct dist *length;	/* each stretch's length */
	uint64_t key;
};

/* An outage every period seconds, of length (owned by the caller, kept),
 * keyed by key; period 0 or a length that is always 0: none. */
void outage_init(struct outage *o, double period, const struct dist *length, uint64_t key);

static inline bool outage_on(const struct outage *o)
{
	return o->period > 0;
}

/* When server, ready at t, has its CPU: the end of the stretch t falls
 * in, or t. */
double outage_resume(const struct outage *o, unsigned server, double t);

struct softirq {
	unsigned budget;		/* packets a run serves before deferring; 0: never */
	const struct dist *delay;	/* from a deferral to ksoftirqd running */
	uint64_t key;
	unsigned nservers;
	struct softirq_run {
		unsigned served;	/* packets in the current run */
		uint64_t deferrals;	/* numbers the deferrals' draws */
		double at;		/* start of the batch last counted */
	} *run;
};

/* A softirq budget for nservers servers; budget 0: off (nothing is
 * allocated).  delay is the caller's, kept. */
void softirq_init(struct softirq *s, unsigned budget, const struct dist *delay, uint64_t key,
		  unsigned nservers);
void softirq_clear(struct softirq *s);

static inline bool softirq_on(const struct softirq *s)
{
	return s->budget > 0;
}

/* When server, ready at t (busy: without a break), may start: after
 * ksoftirqd's delay if its run has used the budget, else t.  Changes
 * nothing. */
double softirq_resume(const struct softirq *s, unsigned server, double t, bool busy);

/* server starts a batch of n packets at now (busy: without a break, as
 * the batch's busy says): a break starts a new run, and so does
 * ksoftirqd after a deferral.  Calls for one batch (its packets on
 * different hops: one call per hop) add up; so do batches that start at
 * one instant. */
void softirq_count_run(struct softirq *s, unsigned server, bool busy, unsigned n, double now);

static inline void softirq_count(struct softirq *s, unsigned server, bool busy, unsigned n,
				 double now)
{
	if (s->budget)	/* inline: called per batch, and mostly off */
		softirq_count_run(s, server, busy, n, now);
}

#endif
