/* search.h: where the normal path's drops begin, found by simulation.
 *
 * A sweep's "100 %" load is the normal path's saturation for the
 * scenario's own traffic: the lowest load at which it drops more than
 * SWEEP_DROP_SHARE of the packets offered, within the scenario's duration
 * and with its first seed, so batching, RSS, flow misses and every other
 * effect the model has are in it (the capacity formula behind a
 * scenario's "rate = 50%" leaves them out).  The search runs the scenario
 * itself: it brackets that load by doubling or halving from the formula's
 * guess, then narrows the bracket, --jobs loads at a time, until its ends
 * are within SWEEP_SATURATION_PRECISION of each other, and takes their
 * geometric mean.  Every run it made stays in the sweep's saturation/
 * folder, so the figure can be checked.
 */
#ifndef ACCELSIM_SWEEP_SEARCH_H
#define ACCELSIM_SWEEP_SEARCH_H

#include <glib.h>
#include <stdbool.h>

#include "sweep/load.h"

/* Drops begin where more than this share of the offered packets is
 * dropped (0.1 %): a bounded queue drops a few packets of a burst well
 * below saturation, and none of that is "the path cannot carry it". */
#define SWEEP_DROP_SHARE 0.001
/* The bracket's ends at the end: within 4 % of each other. */
#define SWEEP_SATURATION_PRECISION 1.04

struct sweep_saturation {
	double factor;		/* load factor where drops begin (sweep_load_sets) */
	double lo, hi;		/* the last bracket: no drops at lo, drops at hi */
	double pps;		/* the offered load there (load.h's nominal rate) */
	unsigned runs;		/* runs made */
};

/* Run the search.  base (char *, not NULL-terminated) is the command line
 * every run shares (accelsim run SCENARIO and the user's options); each
 * probe adds its rates, --seed seed and -o dir/probe-NN.  jobs at a time,
 * a progress bar when progress.  FALSE and an error when a probe fails or
 * no load in range (the formula's guess times 2^-12 to 2^12) brackets the
 * onset; *interrupted when an interrupt stopped it. */
bool sweep_find_saturation(const GPtrArray *base, const struct sweep_load *l, double guess,
			   guint64 seed, const char *dir, unsigned jobs, bool progress,
			   struct sweep_saturation *out, bool *interrupted, GError **error);

#endif
