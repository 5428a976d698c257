/* rng.h: deterministic pseudo-random numbers (splitmix64), in streams and
 * keyed.
 *
 * A stream is seeded from (seed, stream id): adding a consumer never shifts
 * another's numbers.  Draws that belong to a packet are keyed instead: the
 * numbers a packet gets at a component depend only on (seed, its source,
 * its sequence number, the component, the direction), never on the order
 * in which the engine happens to serve packets, so the two paths, and two
 * values of a parameter, see the same dice (common random numbers).  A
 * keyed stream is one multiply and one mix to set up; splitmix64 is a
 * counter-based generator (each number is a hash of the state plus a
 * multiple of the golden ratio), which is what makes that cheap.
 * Header-only: the generators sit on the per-packet path. */
#ifndef ACCELSIM_RNG_H
#define ACCELSIM_RNG_H

#include <math.h>
#include <stdint.h>

struct rng {
	uint64_t s;
	double spare;	/* second normal deviate of a pair */
	int has_spare;
};

/* splitmix64's finaliser: a bijective 64-bit mix. */
static inline uint64_t rng_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A key from two parts (a key and a number): distinct pairs give
 * unrelated keys. */
static inline uint64_t rng_hash(uint64_t key, uint64_t n)
{
	return rng_mix64(key ^ (n * UINT64_C(0xd1b54a32d192ed03) + UINT64_C(0x9e3779b97f4a7c15)));
}

/* Start r at key (from rng_hash). */
static inline void rng_key(struct rng *r, uint64_t key)
{
	r->s = key;
	r->has_spare = 0;
	r->spare = 0;
}

/* Seed stream number stream of seed. */
static inline void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	rng_key(r, rng_hash(rng_mix64(seed), stream));
}

static inline uint64_t rng_next(struct rng *r)
{
	return rng_mix64(r->s += UINT64_C(0x9e3779b97f4a7c15));
}

/* Uniform in [0, 1), 53 random bits. */
static inline double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply-shift, negligible bias
 * for the n we use). */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* Exponential with the given mean. */
static inline double rng_exp(struct rng *r, double mean)
{
	return -mean * log1p(-rng_uniform(r));
}

/* Standard normal (Marsaglia polar method, keeps the spare deviate). */
static inline double rng_normal(struct rng *r)
{
	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	double u, v, q;
	do {
		u = 2.0 * rng_uniform(r) - 1.0;
		v = 2.0 * rng_uniform(r) - 1.0;
		q = u * u + v * v;
	} while (q >= 1.0 || q == 0.0);
	double f = sqrt(-2.0 * log(q) / q);
	r->spare = v * f;
	r->has_spare = 1;
	return u * f;
}

#endif
