/* stats.h: latency histogram, Welford mean/variance, RFC 3550 jitter.
 *
 * Time base: the histogram records int64 nanoseconds; Welford and jitter take
 * doubles in whatever unit the caller uses (the simulator passes seconds).
 *
 * The histogram is log-linear (HdrHistogram's layout): values below 2^SUB_BITS
 * are counted exactly; above, each power of two is split into 2^(SUB_BITS-1)
 * equal buckets, so a bucket is at most 1/2^(SUB_BITS-1) of its value wide.
 * With STATS_HIST_SUB_BITS = 8 a reported percentile (the bucket's midpoint,
 * clamped to the observed min and max) is within 1/256 (0.4 %) of the exact
 * sample percentile.  Memory is fixed (7296 64-bit counters, 57 KiB) whatever
 * the number of samples, and two histograms merge by adding counts, so sweep
 * workers combine exactly.
 */
#ifndef ACCELSIM_STATS_H
#define ACCELSIM_STATS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define STATS_HIST_SUB_BITS 8

/* Opaque; the typedef is what g_autoptr(stats_hist) needs. */
typedef struct stats_hist stats_hist;

/* A zeroed histogram covering [0, INT64_MAX] ns. Never fails (aborts on OOM
 * as GLib does). Free with stats_hist_free(). */
struct stats_hist *stats_hist_new(void);
void stats_hist_free(struct stats_hist *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(stats_hist, stats_hist_free)
void stats_hist_reset(struct stats_hist *h);

/* Record one value (negative values are recorded as 0). */
void stats_hist_record(struct stats_hist *h, int64_t value_ns);
/* Record value count times. */
void stats_hist_record_n(struct stats_hist *h, int64_t value_ns, uint64_t count);

/* dst += src. */
void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src);

uint64_t stats_hist_count(const struct stats_hist *h);
int64_t stats_hist_min(const struct stats_hist *h);	/* 0 when empty */
int64_t stats_hist_max(const struct stats_hist *h);	/* 0 when empty */
/* Exact mean of the recorded values (kept as a running sum), 0 when empty. */
double stats_hist_mean(const struct stats_hist *h);

/* The value at percentile p (0 < p <= 100): the sample of rank ceil(p/100*n)
 * in sorted order, to within the histogram's resolution. 0 when empty;
 * p = 100 (rank n) gives the exact max, and rank 1 the exact min. */
int64_t stats_hist_percentile(const struct stats_hist *h, double p);

/* Text form of the non-empty buckets, for results files that are merged
 * later: "n=..;min=..;max=..;sum=..;b=idx:count,idx:count,..." with decimal
 * integers, buckets in increasing index order, sum the exact total in ns.
 * Newly allocated; the caller frees it with g_free(). */
char *stats_hist_encode(const struct stats_hist *h);
/* Inverse of stats_hist_encode: a new histogram the caller frees with
 * stats_hist_free(), or NULL and an ACCELSIM_ERROR_INPUT error when text is
 * malformed or inconsistent (counts not adding up to n, min or max outside
 * their buckets, sum impossible for the buckets). */
struct stats_hist *stats_hist_decode(const char *text, GError **error);

/* Welford's running mean and variance. Zero-initialise to start. */
struct stats_welford {
	uint64_t n;
	double mean;
	double m2;
};

void stats_welford_add(struct stats_welford *w, double x);
/* Chan et al.'s pairwise combination: dst becomes the stats of both. */
void stats_welford_merge(struct stats_welford *dst, const struct stats_welford *src);
/* Sample standard deviation and variance (n - 1 in the denominator); 0 when
 * n < 2. */
double stats_welford_stddev(const struct stats_welford *w);
double stats_welford_variance(const struct stats_welford *w);

/* RFC 3550 interarrival jitter, section 6.4.1: with D = transit_i -
 * transit_{i-1}, the difference of consecutive transit times,
 * J += (|D| - J) / 16.  Feed the one-way transit (latency) of each packet in
 * the order packets are delivered; the first packet only primes.
 *
 * J is a moving average over about the last 30 packets, so its final value
 * describes the end of a run, not the run: change a run's length by a few
 * microseconds and it moves by a factor of two.  The figure reported is
 * therefore the mean of J over every packet after the first (the estimator
 * RFC 3550 defines, averaged over the run); the last J is kept as well.
 * Zero-initialise to start. */
struct stats_jitter {
	double j;		/* current estimator J */
	double prev;		/* previous transit */
	bool primed;		/* prev is set */
	double sum;		/* sum of J after each packet but the first */
	uint64_t n;		/* packets in sum */
};

void stats_jitter_add(struct stats_jitter *jt, double transit);
/* The run's jitter: mean of J over every packet after the first; 0 before
 * the second packet. */
double stats_jitter_value(const struct stats_jitter *jt);
/* J after the last packet (RFC 3550's running value). */
double stats_jitter_last(const struct stats_jitter *jt);

/* Student's t distribution: the quantile t such that P(T <= t) = p for T
 * with df degrees of freedom (0 < p < 1, df >= 1), to about 1e-9
 * relative; NAN for df 0 or p outside (0, 1).  stats_t_quantile(0.975, 9)
 * is 2.262..., the factor of a two-sided 95 % interval over 10 samples. */
double stats_t_quantile(double p, unsigned df);

/* The two-sided 95 % confidence interval of the mean of n samples with
 * sample standard deviation sd, as a half-width: t(0.975, n - 1) * sd /
 * sqrt(n) (Student).  NAN when n < 2: one sample says nothing of the
 * spread. */
double stats_ci95_half(uint64_t n, double sd);

#endif
