/* merge.h: results of several runs of one configuration, combined.
 *
 * Replications (run and sweep --seeds N) run one configuration with N
 * seeds.  Two things come of them:
 *
 * - the pooled result: one run_result as if the runs were one long run.
 *   Counts add, the latency histograms, Welford states and the RFC 3550
 *   jitter sums merge exactly (the jitter figure is the mean of J over
 *   every packet of every run, each run's first packet only priming), so a
 *   pooled percentile is the percentile of all the packets.  Rates, CPU
 *   and stage utilisation are averages weighted by each run's measured
 *   time, stage mean times and the latency budget averages weighted by the
 *   packets they cover; the time series is the mean, interval by interval,
 *   of the runs' series.  The last RFC 3550 J of a run (its running value)
 *   does not merge: the pooled one is the last run's.
 * - the replication statistics: for every figure of the path table
 *   (metrics.h), the mean over the runs and the half-width of its
 *   two-sided 95 % confidence interval (Student t with n - 1 degrees of
 *   freedom), so a reader sees how much a figure moves with the seed.
 *
 * Results are combined only when they come from one configuration: the
 * same scenario and model (by SHA-256), the same effective keys but the
 * seed, and the same stages; merge_check() says which differs.
 */
#ifndef ACCELSIM_MERGE_H
#define ACCELSIM_MERGE_H

#include <glib.h>
#include <stdbool.h>

#include "report/metrics.h"
#include "report/result.h"

/* FALSE and an ACCELSIM_ERROR_INPUT error naming what differs when a and b
 * are not runs of one configuration (seeds aside).  what_a and what_b name
 * them in the message (their directories). */
bool merge_check(const struct run_result *a, const char *what_a, const struct run_result *b,
		 const char *what_b, GError **error);

/* The pooled result of rs[0..n-1] (n >= 1), which merge_check() accepts
 * pairwise; a new run_result the caller frees.  Its seed, notes and
 * provenance are rs[0]'s (the provenance's wall time the sum of all). */
struct run_result *merge_pool(struct run_result *const *rs, guint n);

/* Mean and 95 % half-width of every figure of metric_path, per path, over
 * n runs. */
struct merge_stats {
	guint n;			/* runs */
	uint64_t *seeds;		/* their seeds, in the order given */
	double *mean[PATH_COUNT];	/* metric_path.n each; NAN where a figure is
					 * missing from any run */
	double *half[PATH_COUNT];	/* NAN with fewer than 2 runs */
};

typedef struct merge_stats merge_stats;
/* The statistics of rs[0..n-1]; free with merge_stats_free(). */
struct merge_stats *merge_stats_new(struct run_result *const *rs, guint n);
void merge_stats_free(struct merge_stats *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(merge_stats, merge_stats_free)

/* The index of m in metric_path, for merge_stats' arrays. */
size_t merge_metric_index(const struct metric *m);

#endif
