/* stats.c: latency histogram, Welford mean/variance, RFC 3550 jitter.
 *
 * The histogram is HdrHistogram's log-linear layout with SUB = 8 bits of
 * precision, addressed by one flat counter array:
 *
 *   index 0 .. 255       values 0 .. 255, one value per bucket (exact)
 *   then, for k = 1..55  values [2^(k+7), 2^(k+8)) in 128 buckets of width 2^k
 *
 * A value v lands in bucket (k << 7) + (v >> k) with k = 56 - clz(v | 255):
 * two bit operations and no branch, so recording is cheap enough for the
 * per-packet path.  The last bucket ends at INT64_MAX, so the whole int64
 * range is covered by (55 + 2) * 128 = 7296 counters (57 KiB), whatever the
 * number of samples.
 *
 * Error bound: a bucket at or above 256 is 2^k wide and starts at or above
 * 128 * 2^k, so its midpoint is within 2^(k-1) / (128 * 2^k) = 1/256 (0.4 %)
 * of any value in it; below 256 values are exact.  A percentile is the
 * midpoint of the bucket holding the sample of that rank, clamped to the
 * observed [min, max], so it is within 1/256 of the exact sample percentile;
 * ranks 1 and n give the exact min and max.
 *
 * The sum is an exact 128-bit integer (n < 2^64 values below 2^63), so the
 * mean is exact to double rounding and merging is exactly associative: a
 * merged histogram is identical to one fed the union, bucket for bucket.
 */
#include "core/stats.h"

#include <limits.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "core/msg.h"

#define SUB	STATS_HIST_SUB_BITS
#define HALF	(1u << (SUB - 1))		/* buckets per power of two */
#define NBUCKETS ((64 - SUB + 1) * HALF)	/* 7296 for SUB = 8 */

typedef unsigned __int128 u128;

struct stats_hist {
	uint64_t count;
	int64_t min;		/* INT64_MAX while empty */
	int64_t max;		/* 0 while empty */
	u128 sum;
	uint64_t counts[NBUCKETS];
};

static inline unsigned int bucket_of(uint64_t v)
{
	unsigned int k = (64 - SUB) - (unsigned int)__builtin_clzll(v | ((1u << SUB) - 1));

	return (k << (SUB - 1)) + (unsigned int)(v >> k);
}

/* First value of bucket i and its width. */
static void bucket_range(unsigned int i, uint64_t *lo, uint64_t *width)
{
	if (i < (1u << SUB)) {
		*lo = i;
		*width = 1;
		return;
	}
	unsigned int k = (i >> (SUB - 1)) - 1;

	*lo = (uint64_t)(i - (k << (SUB - 1))) << k;
	*width = UINT64_C(1) << k;
}

struct stats_hist *stats_hist_new(void)
{
	struct stats_hist *h = g_new(struct stats_hist, 1);

	stats_hist_reset(h);
	return h;
}

void stats_hist_free(struct stats_hist *h)
{
	g_free(h);
}

void stats_hist_reset(struct stats_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = INT64_MAX;
}

void stats_hist_record(struct stats_hist *h, int64_t value_ns)
{
	if (value_ns < 0)
		value_ns = 0;
	h->counts[bucket_of((uint64_t)value_ns)]++;
	h->count++;
	h->sum += (uint64_t)value_ns;
	if (value_ns < h->min)
		h->min = value_ns;
	if (value_ns > h->max)
		h->max = value_ns;
}

void stats_hist_record_n(struct stats_hist *h, int64_t value_ns, uint64_t count)
{
	if (count == 0)
		return;
	if (value_ns < 0)
		value_ns = 0;
	h->counts[bucket_of((uint64_t)value_ns)] += count;
	h->count += count;
	h->sum += (u128)(uint64_t)value_ns * count;
	if (value_ns < h->min)
		h->min = value_ns;
	if (value_ns > h->max)
		h->max = value_ns;
}

void stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src)
{
	if (src->count == 0)
		return;
	for (unsigned int i = 0; i < NBUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t stats_hist_count(const struct stats_hist *h)
{
	return h->count;
}

int64_t stats_hist_min(const struct stats_hist *h)
{
	return h->count ? h->min : 0;
}

int64_t stats_hist_max(const struct stats_hist *h)
{
	return h->max;
}

double stats_hist_mean(const struct stats_hist *h)
{
	if (!h->count)
		return 0;
	return (double)((long double)h->sum / (long double)h->count);
}

/* ceil(p/100 * n) in [1, n].  p is a decimal such as 99.9 that a double holds
 * only approximately; without the 1e-15 slack, 99.9 % of 1000 could come out
 * as 999.0000000000001 and round up to rank 1000. */
static uint64_t rank_of(double p, uint64_t n)
{
	if (!(p > 0))
		return 1;
	if (p >= 100)
		return n;
	long double x = (long double)p * (long double)n / 100;
	long double r = ceill(x - x * 1e-15L);

	if (r < 1)
		return 1;
	if (r >= (long double)n)
		return n;
	return (uint64_t)r;
}

int64_t stats_hist_percentile(const struct stats_hist *h, double p)
{
	if (!h->count)
		return 0;
	uint64_t rank = rank_of(p, h->count);

	if (rank == h->count)
		return h->max;
	if (rank == 1)
		return h->min;
	uint64_t seen = 0;
	for (unsigned int i = 0; i < NBUCKETS; i++) {
		seen += h->counts[i];
		if (seen < rank)
			continue;
		uint64_t lo, width;
		bucket_range(i, &lo, &width);
		int64_t mid = (int64_t)(lo + width / 2);
		return CLAMP(mid, h->min, h->max);
	}
	return h->max;	/* not reached: the counts add up to count */
}

/* Decimal digits of v into buf (at least 40 bytes); returns buf. */
static char *u128_str(u128 v, char *buf)
{
	char tmp[40];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

char *stats_hist_encode(const struct stats_hist *h)
{
	GString *s = g_string_sized_new(64);
	char sum[40];
	bool first = true;

	g_string_append_printf(s, "n=%" PRIu64 ";min=%" PRId64 ";max=%" PRId64 ";sum=%s;b=",
			       h->count, stats_hist_min(h), h->max, u128_str(h->sum, sum));
	for (unsigned int i = 0; i < NBUCKETS; i++) {
		if (!h->counts[i])
			continue;
		g_string_append_printf(s, "%s%u:%" PRIu64, first ? "" : ",", i, h->counts[i]);
		first = false;
	}
	return g_string_free(s, FALSE);
}

/* Decoding: a cursor over the text and the error to set. */
struct cursor {
	const char *p;
	GError **error;
};

/* What the cursor sees, for "got ...": a quoted excerpt or "end of text". */
static char *found(const char *p)
{
	if (!*p)
		return g_strdup("end of text");
	if (strlen(p) > 24)
		return g_strdup_printf("'%.24s...'", p);
	return g_strdup_printf("'%s'", p);
}

static bool expect(struct cursor *c, const char *lit)
{
	size_t len = strlen(lit);

	if (strncmp(c->p, lit, len) == 0) {
		c->p += len;
		return true;
	}
	g_autofree char *got = found(c->p);
	g_set_error(c->error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
		    "histogram: expected '%s', got %s", lit, got);
	return false;
}

/* A decimal integer no larger than limit; what names it in messages. */
static bool number(struct cursor *c, const char *what, u128 limit, u128 *out)
{
	const char *start = c->p;
	u128 v = 0;
	bool over = false;

	while (g_ascii_isdigit(*c->p)) {
		unsigned int d = (unsigned int)(*c->p++ - '0');
		if (v > (limit - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (c->p == start) {
		g_autofree char *got = found(start);
		g_set_error(c->error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected %s as a non-negative integer, got %s", what, got);
		return false;
	}
	if (over) {
		char lim[40];
		int len = (int)MIN(c->p - start, 48);
		g_set_error(c->error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected %s at most %s, got '%.*s'", what,
			    u128_str(limit, lim), len, start);
		return false;
	}
	*out = v;
	return true;
}

/* Check that the header agrees with the buckets: counts add up to n, min and
 * max lie in the outermost non-empty buckets, and sum is reachable. */
static bool check_consistent(const struct stats_hist *h, u128 n, GError **error)
{
	char a[40], b[40], c[40];
	u128 total = 0, lo_sum = 0, hi_sum = 0;
	unsigned int first = NBUCKETS, last = 0;

	for (unsigned int i = 0; i < NBUCKETS; i++) {
		if (!h->counts[i])
			continue;
		uint64_t lo, width;
		bucket_range(i, &lo, &width);
		uint64_t vlo = MAX(lo, (uint64_t)h->min);
		uint64_t vhi = MIN(lo + width - 1, (uint64_t)h->max);
		total += h->counts[i];
		lo_sum += (u128)vlo * h->counts[i];
		hi_sum += (u128)vhi * h->counts[i];
		if (first == NBUCKETS)
			first = i;
		last = i;
	}
	if (total != n) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected bucket counts adding up to n=%s, got %s",
			    u128_str(n, a), u128_str(total, b));
		return false;
	}
	if (n == 0) {
		if (h->min == 0 && h->max == 0 && h->sum == 0)
			return true;
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected min=0, max=0 and sum=0 when n=0, got min=%" PRId64
			    " max=%" PRId64 " sum=%s", h->min, h->max, u128_str(h->sum, a));
		return false;
	}
	if (h->min > h->max) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected min <= max, got min=%" PRId64 " max=%" PRId64,
			    h->min, h->max);
		return false;
	}
	if (bucket_of((uint64_t)h->min) != first) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected min in the lowest non-empty bucket (%u), got min=%"
			    PRId64 " (bucket %u)", first, h->min, bucket_of((uint64_t)h->min));
		return false;
	}
	if (bucket_of((uint64_t)h->max) != last) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected max in the highest non-empty bucket (%u), got max=%"
			    PRId64 " (bucket %u)", last, h->max, bucket_of((uint64_t)h->max));
		return false;
	}
	if (h->sum < lo_sum || h->sum > hi_sum) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "histogram: expected sum between %s and %s for these buckets, got %s",
			    u128_str(lo_sum, a), u128_str(hi_sum, b), u128_str(h->sum, c));
		return false;
	}
	return true;
}

struct stats_hist *stats_hist_decode(const char *text, GError **error)
{
	g_return_val_if_fail(text != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	g_autoptr(stats_hist) h = stats_hist_new();
	struct cursor c = { text, error };
	u128 n, min, max, idx, count;
	bool have_prev = false;
	unsigned int prev = 0;

	if (!expect(&c, "n=") || !number(&c, "n", UINT64_MAX, &n) ||
	    !expect(&c, ";min=") || !number(&c, "min", INT64_MAX, &min) ||
	    !expect(&c, ";max=") || !number(&c, "max", INT64_MAX, &max) ||
	    !expect(&c, ";sum=") || !number(&c, "sum", ~(u128)0, &h->sum) ||
	    !expect(&c, ";b="))
		return NULL;
	while (*c.p) {
		if (!number(&c, "a bucket index", NBUCKETS - 1, &idx))
			return NULL;
		if (have_prev && (unsigned int)idx <= prev) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "histogram: expected bucket indices in increasing order, got %u after %u",
				    (unsigned int)idx, prev);
			return NULL;
		}
		if (!expect(&c, ":") || !number(&c, "a bucket count", UINT64_MAX, &count))
			return NULL;
		if (count == 0) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "histogram: expected a positive count for bucket %u, got 0",
				    (unsigned int)idx);
			return NULL;
		}
		h->counts[idx] = (uint64_t)count;
		prev = (unsigned int)idx;
		have_prev = true;
		if (!*c.p)
			break;
		if (*c.p != ',') {
			g_autofree char *got = found(c.p);
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "histogram: expected ',' or end of text after bucket %u, got %s",
				    prev, got);
			return NULL;
		}
		c.p++;
		if (!*c.p) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "histogram: expected a bucket index after ',', got end of text");
			return NULL;
		}
	}
	h->count = (uint64_t)n;
	h->min = (int64_t)min;
	h->max = (int64_t)max;
	if (!check_consistent(h, n, error))
		return NULL;
	if (n == 0)
		h->min = INT64_MAX;
	return g_steal_pointer(&h);
}

void stats_welford_add(struct stats_welford *w, double x)
{
	double d = x - w->mean;

	w->n++;
	w->mean += d / (double)w->n;
	w->m2 += d * (x - w->mean);
}

void stats_welford_merge(struct stats_welford *dst, const struct stats_welford *src)
{
	if (src->n == 0)
		return;
	if (dst->n == 0) {
		*dst = *src;
		return;
	}
	double na = (double)dst->n, nb = (double)src->n, n = na + nb;
	double d = src->mean - dst->mean;

	dst->mean += d * nb / n;
	dst->m2 += src->m2 + d * d * na * nb / n;
	dst->n += src->n;
}

double stats_welford_variance(const struct stats_welford *w)
{
	if (w->n < 2)
		return 0;
	return w->m2 / (double)(w->n - 1);
}

double stats_welford_stddev(const struct stats_welford *w)
{
	return sqrt(stats_welford_variance(w));
}

void stats_jitter_add(struct stats_jitter *jt, double transit)
{
	if (!jt->primed) {
		jt->prev = transit;
		jt->primed = true;
		return;
	}
	double d = transit - jt->prev;

	jt->prev = transit;
	jt->j += (fabs(d) - jt->j) / 16;
	jt->sum += jt->j;
	jt->n++;
}

double stats_jitter_value(const struct stats_jitter *jt)
{
	return jt->n ? jt->sum / (double)jt->n : 0;
}

double stats_jitter_last(const struct stats_jitter *jt)
{
	return jt->j;
}

/* ---- Student's t, for confidence intervals over replications ----
 *
 * The t CDF through the regularised incomplete beta function:
 * P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t^2).  I_x(a, b) is
 * evaluated by its continued fraction (modified Lentz), which converges
 * fast for x < (a + 1) / (a + b + 2), and through I_x(a, b) = 1 -
 * I_{1-x}(b, a) otherwise.  The quantile is found by bisection on t: the
 * CDF is monotonic, and 200 halvings of [0, 1e6] are far more than
 * double precision needs. */

static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1);

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m;
		/* even step */
		double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		/* odd step */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		c = fabs(c) < tiny ? tiny : c;
		double del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

/* I_x(a, b), the regularised incomplete beta function, 0 <= x <= 1. */
static double beta_reg(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));

	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

/* P(T <= t), T Student with df degrees of freedom. */
static double t_cdf(double t, double df)
{
	double tail = 0.5 * beta_reg(df / 2, 0.5, df / (df + t * t));

	return t >= 0 ? 1 - tail : tail;
}

double stats_t_quantile(double p, unsigned df)
{
	if (df == 0 || !(p > 0 && p < 1))
		return NAN;
	if (p < 0.5)
		return -stats_t_quantile(1 - p, df);
	double lo = 0, hi = 1e6;

	for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

double stats_ci95_half(uint64_t n, double sd)
{
	if (n < 2)
		return NAN;
	return stats_t_quantile(0.975, (unsigned)MIN(n - 1, (uint64_t)UINT_MAX)) * sd / sqrt((double)n);
}
