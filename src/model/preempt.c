/* preempt.c: outages and softirq budgets (see preempt.h). */
#include "model/preempt.h"

#include <glib.h>
#include <math.h>

#include "core/rng.h"

void outage_init(struct outage *o, double period, const struct dist *length, uint64_t key)
{
	const bool on = period > 0 && dist_max(length) > 0;

	*o = (struct outage){ .period = on ? period : 0, .length = length, .key = key };
}

double outage_resume(const struct outage *o, unsigned server, double t)
{
	if (!outage_on(o))
		return t;
	const uint64_t k = rng_hash(o->key, server);
	struct rng r;

	rng_key(&r, k);
	const double phase = rng_uniform(&r) * o->period;

	/* a stretch as long as its period runs into the next one */
	for (;;) {
		double i = floor((t - phase) / o->period);
		double from = phase + i * o->period;

		/* rounding: t belongs to the stretch that starts at or before it */
		if (from > t) {
			i -= 1;
			from -= o->period;
		}
		rng_key(&r, rng_hash(k, (uint64_t)(int64_t)i));
		/* not MIN(): it would draw twice */
		const double len = dist_sample(o->length, &r);
		const double until = from + (len < o->period ? len : o->period);

		if (t >= until)
			return t;
		t = until;
	}
}

void softirq_init(struct softirq *s, unsigned budget, const struct dist *delay, uint64_t key,
		  unsigned nservers)
{
	*s = (struct softirq){ .budget = budget, .delay = delay, .key = key, .nservers = nservers };
	if (!budget)
		return;
	s->run = g_new0(struct softirq_run, nservers);
	for (unsigned i = 0; i < nservers; i++)
		s->run[i].at = -INFINITY;
}

void softirq_clear(struct softirq *s)
{
	g_clear_pointer(&s->run, g_free);
}

double softirq_resume(const struct softirq *s, unsigned server, double t, bool busy)
{
	if (!softirq_on(s) || !busy)
		return t;
	g_assert(server < s->nservers);
	const struct softirq_run *run = &s->run[server];

	if (run->served < s->budget)
		return t;
	struct rng r;

	rng_key(&r, rng_hash(rng_hash(s->key, server), run->deferrals));
	return t + dist_sample(s->delay, &r);
}

void softirq_count_run(struct softirq *s, unsigned server, bool busy, unsigned n, double now)
{
	g_assert(server < s->nservers);
	struct softirq_run *run = &s->run[server];

	if (now != run->at) {
		if (busy && run->served >= s->budget)
			run->deferrals++;	/* this batch is ksoftirqd's */
		if (!busy || run->served >= s->budget)
			run->served = 0;
		run->at = now;
	}
	run->served += n;
}
