/* dist.h: random distributions written in accelsim's files.
 *
 *   constant(x)          always x
 *   exp(mean)            exponential
 *   lognormal(mean, sd)  log-normal with that mean and standard deviation,
 *                        never below its 10^-6 quantile (no cost is zero,
 *                        and the engine needs a least value: dist_min)
 *   uniform(a, b)        uniform on [a, b]
 *   imix                 packet sizes only: simple IMIX, Ethernet frames of
 *                        64 B, 594 B and 1518 B in the ratio 7:4:1
 *   empirical(file)      values drawn with the weights in file: one
 *                        "value [weight]" per line, '#' starts a comment;
 *                        a relative path is taken from base_dir; a regular
 *                        file of at most DIST_TABLE_MAX_BYTES and
 *                        DIST_TABLE_MAX_LINES lines
 *   x                    a bare quantity means constant(x)
 *
 * Every parameter carries a unit of the distribution's kind (see units.h),
 * so sampled values are in base units (seconds, bytes, cycles ...).
 */
#ifndef ACCELSIM_DIST_H
#define ACCELSIM_DIST_H

#include <glib.h>
#include <stdbool.h>

#include "core/rng.h"
#include "core/units.h"

/* Limits on an empirical table, which is read whole into memory (its
 * text, then 24 bytes a value while it is built and 16 once built): 16 MiB
 * of text and 2^20 lines keep one below 100 MB. */
#define DIST_TABLE_MAX_BYTES (16 << 20)
#define DIST_TABLE_MAX_LINES (1 << 20)

enum dist_kind {
	DIST_CONSTANT,
	DIST_EXP,
	DIST_LOGNORMAL,
	DIST_UNIFORM,
	DIST_IMIX,
	DIST_EMPIRICAL,
};

struct dist {
	enum dist_kind kind;
	enum unit_kind unit;
	double a, b;	    /* constant: a; exp: a = mean; uniform: [a, b];
			     * lognormal: a = mean, b = sd */
	double mu, sigma;   /* lognormal: parameters of the underlying normal */
	double floor;	    /* lognormal: its 10^-6 quantile, the least draw */
	double *values;	    /* empirical and imix: values, ascending */
	double *cdf;	    /* cumulative probability, last = 1 */
	size_t n;
};

/* Parse s as a distribution of kind unit. base_dir resolves empirical(file);
 * it may be NULL for the current directory. On failure out is untouched. */
bool dist_parse(const char *s, enum unit_kind unit, const char *base_dir, struct dist *out,
		GError **error);

/* Release what dist_parse allocated (empirical tables); d itself is the
 * caller's. Safe on a zeroed struct. */
void dist_clear(struct dist *d);

/* Deep copy. */
void dist_copy(struct dist *dst, const struct dist *src);

/* Draw one value, in base units. */
double dist_sample(const struct dist *d, struct rng *r);

/* Exact mean and standard deviation of the distribution. */
double dist_mean(const struct dist *d);
double dist_stddev(const struct dist *d);

/* Smallest value the distribution can take. */
double dist_min(const struct dist *d);

/* Largest value the distribution can take; INFINITY for exp and
 * lognormal, which have none. */
double dist_max(const struct dist *d);

/* Write the distribution back as text ("lognormal(4us, 1us)") into a newly
 * allocated string. */
char *dist_to_string(const struct dist *d);

#endif
