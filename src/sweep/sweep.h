/* sweep.h: `accelsim sweep`: run a scenario over a range, each run its
 * own process, and merge what they wrote.
 *
 * A sweep builds its points from its axes (plan.h): the load (load.h; a
 * percentage is of the saturation search.h finds), and up to two keys
 * in all.  Each point runs once per seed, as `accelsim run ... -q -o
 * DIR/point-NN/seed-S` with notes that say which point it is
 * (results.h), --jobs at a time (pool.h) or written out as jobs for GNU
 * parallel or Slurm (emit.h).  Then DIR's results are read back and
 * merged into DIR/sweep.json and DIR/sweep.csv.
 */
#ifndef ACCELSIM_SWEEP_SWEEP_H
#define ACCELSIM_SWEEP_SWEEP_H

#include <glib.h>
#include <stdbool.h>

#include "sweep/results.h"

struct sweep_opts {
	const char *scenario;	/* a file or a shipped scenario's name */
	const char *model;	/* --model, or NULL */
	char **sets;		/* --set, NULL-terminated, or NULL */
	const char *load;	/* --load, or NULL (the default: 10%..120%/10% when
				 * nothing is varied) */
	char **vary;		/* --vary KEY=VALUES, or NULL */
	unsigned seeds;		/* replications per point, >= 1 */
	gint64 seed;		/* the first seed; -1: the scenario's */
	unsigned jobs;		/* workers at once, >= 1 */
	const char *outdir;	/* where the results go */
	const char *interval;	/* --interval for every run, or NULL */
	const char *core_price;	/* --core-price for every run, or NULL */
	const char *emit;	/* --emit-jobs FILE: write the jobs, run none */
	bool slurm;		/* --emit-jobs as an sbatch script */
	bool progress;		/* a progress bar on stderr */
};

/* The outcome of sweep_run. */
struct sweep_outcome {
	struct sweep_results *results;	/* what finished, merged; NULL when nothing did
					 * or the jobs were only emitted */
	guint jobs;			/* runs planned */
	guint failed;			/* runs that failed (their errors were printed) */
	bool interrupted;		/* Ctrl-C or SIGTERM stopped it */
	char *saturation;		/* what 100 % load is, in words, or NULL */
};

/* Plan, run (or emit) and merge a sweep.  FALSE and an error when the
 * sweep cannot start (bad input: ACCELSIM_ERROR_INPUT, before any run) or
 * its files cannot be written; a failed run is reported on stderr and
 * counted in out->failed, the other runs still go on. */
bool sweep_run(const struct sweep_opts *o, struct sweep_outcome *out, GError **error);

/* Free what an outcome holds. */
void sweep_outcome_clear(struct sweep_outcome *out);

#endif
