/* rng.h: deterministic pseudo-random streams (xoshiro256**, seeded by
 * splitmix64).  Each consumer gets its own stream from (seed, stream id), so
 * adding a consumer never shifts another's numbers, and the same seed replays
 * the same arrivals into both pipelines (common random numbers).
 * Header-only: the generators sit on the per-packet path. */
#ifndef ACCELSIM_RNG_H
#define ACCELSIM_RNG_H

#include <math.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
	double spare;	/* second normal deviate of a Box-Muller pair */
	int has_spare;
};

static inline uint64_t rng_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Seed stream number stream of seed. */
static inline void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));

	for (int i = 0; i < 4; i++)
		r->s[i] = rng_splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0;
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
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
