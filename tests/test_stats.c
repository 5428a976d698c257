/* test_stats.c: the log-linear histogram against exact sample percentiles,
 * merge and text round trip, Welford against a two-pass computation, and
 * RFC 3550 jitter against a hand-computed sequence.
 *
 * Exact percentiles come from sorting the same samples and taking the sample
 * of rank ceil(p/100 * n), computed here in integer parts per million so the
 * oracle has no floating-point rounding of its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"
#include "core/rng.h"
#include "core/stats.h"

/* The percentiles the report prints, as doubles for the API and in parts per
 * million for the oracle. */
static const struct {
	double p;
	uint64_t ppm;
} pcts[] = {
	{ 50, 500000 }, { 90, 900000 }, { 99, 990000 },
	{ 99.9, 999000 }, { 99.99, 999900 },
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The sample of rank ceil(ppm * n / 10^6) in sorted, which holds n values. */
static int64_t exact_percentile(const int64_t *sorted, size_t n, uint64_t ppm)
{
	uint64_t rank = (ppm * n + 999999) / 1000000;

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static struct stats_hist *hist_of(const int64_t *v, size_t n)
{
	struct stats_hist *h = stats_hist_new();

	for (size_t i = 0; i < n; i++)
		stats_hist_record(h, v[i]);
	return h;
}

/* Check count, min, max, mean and every reported percentile of h, recorded
 * from v[0..n), against the sorted samples: each percentile within
 * tolerance * exact, max exact. */
static void check_against_samples(const struct stats_hist *h, int64_t *v, size_t n,
				  double tolerance)
{
	long double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof(*v), cmp_i64);

	assert_int_equal(stats_hist_count(h), n);
	assert_int_equal(stats_hist_min(h), v[0]);
	assert_int_equal(stats_hist_max(h), v[n - 1]);
	assert_true(fabs(stats_hist_mean(h) - (double)(sum / n)) <= 1e-9 * (double)(sum / n));
	for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++) {
		int64_t exact = exact_percentile(v, n, pcts[i].ppm);
		int64_t got = stats_hist_percentile(h, pcts[i].p);
		double err = fabs((double)got - (double)exact);

		if (err > tolerance * (double)exact)
			fail_msg("p%g: got %" PRId64 ", exact %" PRId64 " (error %.3g %%)",
				 pcts[i].p, got, exact, 100 * err / (double)exact);
	}
	assert_int_equal(stats_hist_percentile(h, 100), v[n - 1]);
	assert_int_equal(stats_hist_percentile(h, 1e-9), v[0]);	/* rank 1 */
}

enum { NSAMPLES = 200000 };

static void test_uniform_percentiles_within_1pct_of_sorted_samples(void **state G_GNUC_UNUSED)
{
	int64_t *v = g_new(int64_t, NSAMPLES);
	struct rng r;

	rng_seed(&r, 42, 1);
	for (size_t i = 0; i < NSAMPLES; i++)
		v[i] = (int64_t)rng_below(&r, 10000000);	/* 0 .. 10 ms */
	g_autoptr(stats_hist) h = hist_of(v, NSAMPLES);
	check_against_samples(h, v, NSAMPLES, 0.01);
	g_free(v);
}

static void test_exponential_percentiles_within_1pct_of_sorted_samples(void **state G_GNUC_UNUSED)
{
	int64_t *v = g_new(int64_t, NSAMPLES);
	struct rng r;

	rng_seed(&r, 7, 3);
	for (size_t i = 0; i < NSAMPLES; i++)
		v[i] = (int64_t)llround(rng_exp(&r, 50000.0));	/* mean 50 us */
	g_autoptr(stats_hist) h = hist_of(v, NSAMPLES);
	check_against_samples(h, v, NSAMPLES, 0.01);
	g_free(v);
}

/* min = max clamps every bucket midpoint, so a constant is reported exactly. */
static void test_constant_percentiles_are_exact(void **state G_GNUC_UNUSED)
{
	enum { N = 1000 };
	int64_t v[N];

	for (size_t i = 0; i < N; i++)
		v[i] = 123457;
	g_autoptr(stats_hist) h = hist_of(v, N);
	check_against_samples(h, v, N, 0.0);
	assert_true(stats_hist_mean(h) == 123457.0);
}

/* HdrHistogram_c's classic: 10000 values of 1000 ns and one of 100 ms.  Every
 * percentile up to p99.99 (rank ceil(0.9999 * 10001) = 10000) is a 1000, and
 * only the max sees the outlier; the mean is (10^7 + 10^8) / 10001. */
static void test_identical_values_plus_outlier_percentiles(void **state G_GNUC_UNUSED)
{
	enum { N = 10001 };
	int64_t *v = g_new(int64_t, N);

	for (size_t i = 0; i < N - 1; i++)
		v[i] = 1000;
	v[N - 1] = 100000000;
	g_autoptr(stats_hist) h = hist_of(v, N);
	assert_true(stats_hist_mean(h) == 110000000.0 / 10001);
	check_against_samples(h, v, N, 0.01);
	for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++)
		assert_true(stats_hist_percentile(h, pcts[i].p) < 1010);
	assert_int_equal(stats_hist_percentile(h, 100), 100000000);
	g_free(v);
}

/* p50 of {0, v, INT64_MAX}: rank 2, so the answer is v's bucket midpoint with
 * neither the min nor the max clamp acting on it. */
static int64_t middle_of_three(int64_t v)
{
	g_autoptr(stats_hist) h = stats_hist_new();

	stats_hist_record(h, 0);
	stats_hist_record(h, v);
	stats_hist_record(h, INT64_MAX);
	return stats_hist_percentile(h, 50);
}

/* Below 256 each value is its own bucket; at and above, a value is reported
 * within 1/256 of itself, at every power of two and on either side of it, up
 * to INT64_MAX. */
static void test_values_near_bucket_boundaries_within_1_256(void **state G_GNUC_UNUSED)
{
	for (int64_t v = 0; v < 600; v++) {
		int64_t got = middle_of_three(v);
		if (v < 256)
			assert_int_equal(got, v);
		else
			assert_true(llabs(got - v) * 256 <= v);
	}
	for (int e = 8; e <= 62; e++) {
		int64_t p = INT64_C(1) << e;
		int64_t width = INT64_C(1) << (e - 7);
		int64_t cases[] = { p - 1, p, p + 1, p + width - 1, p + width,
				    p + (p - width), p + (p - 1) };
		for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
			int64_t got = middle_of_three(cases[i]);
			if ((double)llabs(got - cases[i]) * 256 > (double)cases[i])
				fail_msg("%" PRId64 " reported as %" PRId64, cases[i], got);
		}
	}
	int64_t top = middle_of_three(INT64_MAX);
	assert_true((double)(INT64_MAX - top) * 256 <= (double)INT64_MAX);

	/* The layout itself: 255 | 256 257 | 258 259 | ... and at 512 width 4. */
	assert_int_not_equal(middle_of_three(255), middle_of_three(256));
	assert_int_equal(middle_of_three(256), middle_of_three(257));
	assert_int_not_equal(middle_of_three(257), middle_of_three(258));
	assert_int_equal(middle_of_three(511), middle_of_three(510));
	assert_int_equal(middle_of_three(512), middle_of_three(515));
	assert_int_not_equal(middle_of_three(515), middle_of_three(516));
}

/* 0..255 once each: every rank is its own exact value, so the percentile
 * that lands on rank r must be r - 1 exactly (tests the rank rounding too). */
static void test_values_near_zero_are_exact(void **state G_GNUC_UNUSED)
{
	g_autoptr(stats_hist) h = stats_hist_new();

	for (int64_t v = 0; v < 256; v++)
		stats_hist_record(h, v);
	for (int r = 1; r <= 256; r++)
		assert_int_equal(stats_hist_percentile(h, r * 100.0 / 256), r - 1);
	assert_int_equal(stats_hist_percentile(h, 0.01), 0);
	assert_true(stats_hist_mean(h) == 127.5);
}

/* Rank ceil(p/100 * n) for every p on a 0.01 grid.  Small n: 0..n-1 once
 * each, exact below 256, so every rank shows.  Large n (with the factors of 5
 * that make p/100 * n land on an integer for decimal p): r ones then 200s, so
 * rank r must give 1 and rank r + 1 would give 200; and with r - 1 ones, 200.
 * Decimals such as 99.9 are inexact in binary, and 99.9 % of 1000 must not
 * come out as 999.0000000000001 and round up to rank 1000. */
static void test_percentile_rank_is_ceil_of_decimal_product(void **state G_GNUC_UNUSED)
{
	const uint64_t small[] = { 1, 2, 3, 7, 10, 100, 128, 200, 255, 256 };
	const uint64_t large[] = { 1000, 10000, 100000, 1000000 };
	g_autoptr(stats_hist) h = stats_hist_new();

	for (size_t s = 0; s < G_N_ELEMENTS(small); s++) {
		uint64_t n = small[s];
		stats_hist_reset(h);
		for (uint64_t v = 0; v < n; v++)
			stats_hist_record(h, (int64_t)v);
		for (uint64_t k = 1; k <= 10000; k++) {
			uint64_t rank = (k * n + 9999) / 10000;
			int64_t got = stats_hist_percentile(h, (double)k / 100);
			if (got != (int64_t)rank - 1)
				fail_msg("n=%" PRIu64 " p%g: got %" PRId64 ", expected rank %" PRIu64,
					 n, (double)k / 100, got, rank);
		}
	}
	for (size_t s = 0; s < G_N_ELEMENTS(large); s++) {
		uint64_t n = large[s];
		for (uint64_t k = 1; k < 10000; k++) {
			uint64_t rank = (k * n + 9999) / 10000;
			double p = (double)k / 100;
			stats_hist_reset(h);
			stats_hist_record_n(h, 1, rank);
			stats_hist_record_n(h, 200, n - rank);
			if (stats_hist_percentile(h, p) != 1)
				fail_msg("n=%" PRIu64 " p%g: rank above %" PRIu64, n, p, rank);
			stats_hist_reset(h);
			stats_hist_record_n(h, 1, rank - 1);
			stats_hist_record_n(h, 200, n - rank + 1);
			if (stats_hist_percentile(h, p) != 200)
				fail_msg("n=%" PRIu64 " p%g: rank below %" PRIu64, n, p, rank);
		}
	}
}

static void test_negative_values_record_as_zero(void **state G_GNUC_UNUSED)
{
	g_autoptr(stats_hist) h = stats_hist_new();

	stats_hist_record(h, -5);
	stats_hist_record_n(h, INT64_MIN, 2);
	assert_int_equal(stats_hist_count(h), 3);
	assert_int_equal(stats_hist_min(h), 0);
	assert_int_equal(stats_hist_max(h), 0);
	assert_int_equal(stats_hist_percentile(h, 50), 0);
	assert_true(stats_hist_mean(h) == 0.0);
}

static void test_empty_histogram_reports_zero(void **state G_GNUC_UNUSED)
{
	g_autoptr(stats_hist) h = stats_hist_new();

	stats_hist_record_n(h, 77, 0);
	assert_int_equal(stats_hist_count(h), 0);
	assert_int_equal(stats_hist_min(h), 0);
	assert_int_equal(stats_hist_max(h), 0);
	assert_true(stats_hist_mean(h) == 0.0);
	assert_int_equal(stats_hist_percentile(h, 50), 0);
	assert_int_equal(stats_hist_percentile(h, 100), 0);

	stats_hist_record(h, 5000);
	stats_hist_reset(h);
	assert_int_equal(stats_hist_count(h), 0);
	assert_int_equal(stats_hist_min(h), 0);
	assert_int_equal(stats_hist_max(h), 0);
	stats_hist_record(h, 9000);
	assert_int_equal(stats_hist_min(h), 9000);
}

static void test_record_n_equals_repeated_record(void **state G_GNUC_UNUSED)
{
	g_autoptr(stats_hist) a = stats_hist_new();
	g_autoptr(stats_hist) b = stats_hist_new();
	const int64_t vals[] = { 3, 300, 3000, 3000000, 3000000000 };

	for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
		stats_hist_record_n(a, vals[i], i + 1);
		for (size_t k = 0; k <= i; k++)
			stats_hist_record(b, vals[i]);
	}
	g_autofree char *ea = stats_hist_encode(a);
	g_autofree char *eb = stats_hist_encode(b);
	assert_string_equal(ea, eb);
}

/* Everything a caller can observe is identical: count, min, max, mean, the
 * encoded buckets and the percentile at every 0.01 % step. */
static void assert_hist_identical(const struct stats_hist *a, const struct stats_hist *b)
{
	g_autofree char *ea = stats_hist_encode(a);
	g_autofree char *eb = stats_hist_encode(b);

	assert_string_equal(ea, eb);
	assert_int_equal(stats_hist_count(a), stats_hist_count(b));
	assert_int_equal(stats_hist_min(a), stats_hist_min(b));
	assert_int_equal(stats_hist_max(a), stats_hist_max(b));
	assert_true(stats_hist_mean(a) == stats_hist_mean(b));
	for (int i = 1; i <= 10000; i++)
		assert_int_equal(stats_hist_percentile(a, i / 100.0),
				 stats_hist_percentile(b, i / 100.0));
}

static void test_merge_equals_histogram_of_union(void **state G_GNUC_UNUSED)
{
	g_autoptr(stats_hist) a = stats_hist_new();
	g_autoptr(stats_hist) b = stats_hist_new();
	g_autoptr(stats_hist) all = stats_hist_new();
	g_autoptr(stats_hist) empty = stats_hist_new();
	struct rng r;

	rng_seed(&r, 11, 0);
	for (int i = 0; i < 50000; i++) {
		int64_t x = (int64_t)llround(rng_exp(&r, 20000.0));
		stats_hist_record(a, x);
		stats_hist_record(all, x);
	}
	for (int i = 0; i < 30000; i++) {
		int64_t x = 5000000 + (int64_t)rng_below(&r, 1000000);
		stats_hist_record(b, x);
		stats_hist_record(all, x);
	}
	/* Merging into an empty histogram copies; merging an empty one is a no-op. */
	stats_hist_merge(empty, a);
	assert_hist_identical(empty, a);
	stats_hist_reset(empty);
	stats_hist_merge(a, empty);
	stats_hist_merge(a, b);
	assert_hist_identical(a, all);
	assert_int_equal(stats_hist_count(a), 80000);
}

static struct stats_hist *round_trip(const struct stats_hist *h)
{
	g_autofree char *text = stats_hist_encode(h);
	GError *err = NULL;
	struct stats_hist *back = stats_hist_decode(text, &err);

	if (!back)
		fail_msg("decode of '%s' failed: %s", text, err->message);
	return back;
}

static void test_encode_decode_round_trip_is_identical(void **state G_GNUC_UNUSED)
{
	g_autoptr(stats_hist) h = stats_hist_new();
	struct rng r;

	g_autoptr(stats_hist) e = round_trip(h);
	assert_hist_identical(e, h);
	g_autofree char *text = stats_hist_encode(h);
	assert_string_equal(text, "n=0;min=0;max=0;sum=0;b=");
	/* A decoded empty histogram keeps recording like a new one. */
	stats_hist_record(e, 500);
	assert_int_equal(stats_hist_min(e), 500);

	rng_seed(&r, 5, 9);
	for (int i = 0; i < 20000; i++)
		stats_hist_record(h, (int64_t)llround(rng_exp(&r, 1e6)));
	g_autoptr(stats_hist) back = round_trip(h);
	assert_hist_identical(back, h);

	/* Extremes: a sum past 2^64 must survive the text form exactly. */
	g_autoptr(stats_hist) big = stats_hist_new();
	stats_hist_record_n(big, INT64_MAX, UINT64_C(1) << 40);
	stats_hist_record_n(big, 1, 3);
	g_autoptr(stats_hist) big_back = round_trip(big);
	assert_hist_identical(big_back, big);

	g_autoptr(stats_hist) small = stats_hist_new();
	stats_hist_record(small, 300);
	stats_hist_record(small, 5);
	g_autofree char *stext = stats_hist_encode(small);
	assert_string_equal(stext, "n=2;min=5;max=300;sum=305;b=5:1,278:1");
}

/* Every kind of bad text, with a fragment of the message it must give. */
static const struct {
	const char *text;
	const char *fragment;
} bad_texts[] = {
	{ "", "expected 'n=', got end of text" },
	{ " n=1;min=5;max=5;sum=5;b=5:1", "expected 'n=', got ' n=1" },
	{ "n=;min=5;max=5;sum=5;b=5:1", "expected n as a non-negative integer, got ';min=5" },
	{ "n=-1;min=5;max=5;sum=5;b=5:1", "expected n as a non-negative integer, got '-1" },
	{ "n=+1;min=5;max=5;sum=5;b=5:1", "expected n as a non-negative integer, got '+1" },
	{ "n=18446744073709551616;min=5;max=5;sum=5;b=5:1",
	  "expected n at most 18446744073709551615, got '18446744073709551616'" },
	{ "n=1;max=5;min=5;sum=5;b=5:1", "expected ';min=', got ';max=5" },
	{ "n=1;min=9223372036854775808;max=5;sum=5;b=5:1",
	  "expected min at most 9223372036854775807, got '9223372036854775808'" },
	{ "n=1;min=5;max=x;sum=5;b=5:1", "expected max as a non-negative integer, got 'x;sum" },
	{ "n=1;min=5;max=5;sum=5", "expected ';b=', got end of text" },
	{ "n=1;min=5;max=5;sum=5;b=5;1", "expected ':', got ';1'" },
	{ "n=1;min=5;max=5;sum=5;b=5:",
	  "expected a bucket count as a non-negative integer, got end of text" },
	{ "n=1;min=5;max=5;sum=5;b=5:1;", "expected ',' or end of text after bucket 5, got ';'" },
	{ "n=1;min=5;max=5;sum=5;b=5:1 ", "expected ',' or end of text after bucket 5, got ' '" },
	{ "n=1;min=5;max=5;sum=5;b=5:1\n", "expected ',' or end of text after bucket 5" },
	{ "n=1;min=5;max=5;sum=5;b=5:1,", "expected a bucket index after ',', got end of text" },
	{ "n=1;min=5;max=5;sum=5;b=7296:1", "expected a bucket index at most 7295, got '7296'" },
	{ "n=1;min=5;max=5;sum=5;b=4:0,5:1", "expected a positive count for bucket 4, got 0" },
	{ "n=2;min=5;max=6;sum=11;b=6:1,5:1",
	  "expected bucket indices in increasing order, got 5 after 6" },
	{ "n=2;min=5;max=5;sum=10;b=5:1,5:1",
	  "expected bucket indices in increasing order, got 5 after 5" },
	{ "n=2;min=5;max=5;sum=10;b=5:1", "expected bucket counts adding up to n=2, got 1" },
	{ "n=1;min=5;max=5;sum=5;b=", "expected bucket counts adding up to n=1, got 0" },
	{ "n=0;min=0;max=0;sum=0;b=3:1", "expected bucket counts adding up to n=0, got 1" },
	{ "n=0;min=1;max=0;sum=0;b=",
	  "expected min=0, max=0 and sum=0 when n=0, got min=1 max=0 sum=0" },
	{ "n=1;min=6;max=5;sum=5;b=5:1", "expected min <= max, got min=6 max=5" },
	{ "n=1;min=4;max=5;sum=5;b=5:1",
	  "expected min in the lowest non-empty bucket (5), got min=4 (bucket 4)" },
	{ "n=1;min=5;max=6;sum=5;b=5:1",
	  "expected max in the highest non-empty bucket (5), got max=6 (bucket 6)" },
	{ "n=1;min=5;max=5;sum=6;b=5:1", "expected sum between 5 and 5 for these buckets, got 6" },
	{ "n=2;min=256;max=300;sum=600;b=256:1,278:1",
	  "expected sum between 556 and 557 for these buckets, got 600" },
};

static void test_decode_rejects_malformed_text(void **state G_GNUC_UNUSED)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bad_texts); i++) {
		GError *err = NULL;
		struct stats_hist *h = stats_hist_decode(bad_texts[i].text, &err);

		if (h || !err)
			fail_msg("'%s' was accepted", bad_texts[i].text);
		assert_true(err->domain == ACCELSIM_ERROR);
		assert_int_equal(err->code, ACCELSIM_ERROR_INPUT);
		if (!strstr(err->message, bad_texts[i].fragment))
			fail_msg("'%s': message '%s' lacks '%s'", bad_texts[i].text, err->message,
				 bad_texts[i].fragment);
		assert_true(g_str_has_prefix(err->message, "histogram: expected "));
		assert_false(g_str_has_suffix(err->message, "."));
		g_error_free(err);
	}
}

/* The near-misses of the bad table are accepted, so the table tests the
 * checks and not a decoder that rejects everything. */
static void test_decode_accepts_consistent_text(void **state G_GNUC_UNUSED)
{
	static const char *good[] = {
		"n=0;min=0;max=0;sum=0;b=",
		"n=1;min=5;max=5;sum=5;b=5:1",
		"n=2;min=5;max=6;sum=11;b=5:1,6:1",
		"n=2;min=256;max=300;sum=557;b=256:1,278:1",
		"n=2;min=257;max=300;sum=557;b=256:1,278:1",
		"n=3;min=0;max=9223372036854775807;sum=9223372036854775808;b=0:1,1:1,7295:1",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		GError *err = NULL;
		g_autoptr(stats_hist) h = stats_hist_decode(good[i], &err);

		if (!h)
			fail_msg("'%s' was rejected: %s", good[i], err->message);
		g_autofree char *again = stats_hist_encode(h);
		assert_string_equal(again, good[i]);
	}
}

/* Two-pass sample mean and variance, the textbook definition. */
static void two_pass(const double *x, size_t n, double *mean, double *var)
{
	long double s = 0, ss = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	long double m = s / n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	*mean = (double)m;
	*var = (double)(ss / (n - 1));
}

static void test_welford_matches_two_pass(void **state G_GNUC_UNUSED)
{
	enum { N = 100000 };
	double *x = g_new(double, N);
	struct stats_welford w = { 0 };
	struct rng r;
	double mean, var;

	/* A large offset over a small spread is where a one-pass sum of squares
	 * loses every digit and Welford must not. */
	rng_seed(&r, 3, 0);
	for (size_t i = 0; i < N; i++) {
		x[i] = 1e9 + 25.0 * rng_normal(&r);
		stats_welford_add(&w, x[i]);
	}
	two_pass(x, N, &mean, &var);
	assert_int_equal(w.n, N);
	assert_true(fabs(w.mean - mean) <= 1e-12 * mean);
	assert_true(fabs(stats_welford_variance(&w) - var) <= 1e-6 * var);
	assert_true(fabs(stats_welford_stddev(&w) - sqrt(var)) <= 1e-6 * sqrt(var));
	g_free(x);

	/* By hand: {2, 4, 4, 4, 5, 5, 7, 9} has mean 5 and squared deviations
	 * 9+1+1+1+0+0+4+16 = 32, so the sample variance is 32/7. */
	struct stats_welford s = { 0 };
	const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	for (size_t i = 0; i < G_N_ELEMENTS(v); i++)
		stats_welford_add(&s, v[i]);
	assert_true(s.mean == 5.0);
	assert_true(fabs(stats_welford_variance(&s) - 32.0 / 7) <= 1e-15);

	struct stats_welford one = { 0 };
	assert_true(stats_welford_stddev(&one) == 0.0);
	stats_welford_add(&one, 42);
	assert_true(stats_welford_stddev(&one) == 0.0);
	assert_true(stats_welford_variance(&one) == 0.0);
	assert_true(one.mean == 42.0);
}

static void test_welford_merge_equals_union(void **state G_GNUC_UNUSED)
{
	enum { N = 20000 };
	double *x = g_new(double, N);
	struct rng r;
	struct stats_welford all = { 0 };
	const size_t splits[] = { 0, 1, 137, N / 2, N - 1, N };

	rng_seed(&r, 8, 2);
	for (size_t i = 0; i < N; i++) {
		/* Two populations so that the means of the halves differ. */
		x[i] = i < N / 3 ? rng_exp(&r, 3.0) : 100.0 + rng_normal(&r);
		stats_welford_add(&all, x[i]);
	}
	for (size_t s = 0; s < G_N_ELEMENTS(splits); s++) {
		struct stats_welford a = { 0 }, b = { 0 };
		for (size_t i = 0; i < N; i++)
			stats_welford_add(i < splits[s] ? &a : &b, x[i]);
		stats_welford_merge(&a, &b);
		assert_int_equal(a.n, all.n);
		assert_true(fabs(a.mean - all.mean) <= 1e-12 * fabs(all.mean));
		assert_true(fabs(stats_welford_variance(&a) - stats_welford_variance(&all)) <=
			    1e-10 * stats_welford_variance(&all));
	}
	g_free(x);
}

/* Transits 10, 12, 11, 15, 15, 9 (any unit):
 *   10  first packet, primes only              J = 0
 *   12  D =  2  J = 0        + (2 - 0)/16        = 0.125
 *   11  D = -1  J = 0.125    + (1 - 0.125)/16    = 0.1796875
 *   15  D =  4  J = 0.1796875 + (4 - 0.1796875)/16 = 0.41845703125
 *   15  D =  0  J = 0.41845703125 - 0.41845703125/16 = 0.392303466796875
 *    9  D = -6  J = 0.392303466796875 + (6 - 0.392303466796875)/16
 *                                                 = 0.7427845001220703125
 * Every step is a dyadic fraction, so a double holds it exactly. */
static void test_jitter_matches_rfc3550_hand_computation(void **state G_GNUC_UNUSED)
{
	const double transit[] = { 10, 12, 11, 15, 15, 9 };
	const double expect[] = { 0, 0.125, 0.1796875, 0.41845703125, 0.392303466796875,
				  0.7427845001220703125 };
	struct stats_jitter jt = { 0 };

	double sum = 0;

	assert_true(stats_jitter_value(&jt) == 0.0);
	for (size_t i = 0; i < G_N_ELEMENTS(transit); i++) {
		stats_jitter_add(&jt, transit[i]);
		if (stats_jitter_last(&jt) != expect[i])
			fail_msg("after transit %zu: J = %.17g, expected %.17g", i,
				 stats_jitter_last(&jt), expect[i]);
		sum += expect[i];
	}
	/* The reported figure is J averaged over every packet after the first. */
	assert_true(fabs(stats_jitter_value(&jt) - sum / 5) < 1e-15);

	/* A constant offset (clock skew) and a constant transit give no jitter. */
	struct stats_jitter c = { 0 };
	for (int i = 0; i < 100; i++)
		stats_jitter_add(&c, 1e6 + 3e-6);
	assert_true(stats_jitter_value(&c) == 0.0);
}

/* Published two-sided 95 % factors t(0.975, df) (any statistics table;
 * to 9 digits) and the limit 1.959963985 (the normal quantile). */
static void test_t_quantile_matches_published_table(void **state G_GNUC_UNUSED)
{
	static const struct {
		unsigned df;
		double t;
	} rows[] = {
		{ 1, 12.70620474 }, { 2, 4.302652730 }, { 3, 3.182446305 }, { 4, 2.776445105 },
		{ 5, 2.570581836 }, { 9, 2.262157163 }, { 19, 2.093024054 }, { 29, 2.045229642 },
		{ 30, 2.042272456 }, { 100, 1.983971519 }, { 1000000, 1.959966 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		double got = stats_t_quantile(0.975, rows[i].df);

		if (fabs(got - rows[i].t) > 2e-6 * rows[i].t)
			fail_msg("t(0.975, %u) = %.10g, expected %.10g", rows[i].df, got, rows[i].t);
	}
	/* symmetric, and the median is 0 */
	assert_true(fabs(stats_t_quantile(0.025, 9) + 2.262157163) < 1e-6);
	assert_true(fabs(stats_t_quantile(0.5, 4)) < 1e-9);
	assert_true(isnan(stats_t_quantile(0.975, 0)));
	assert_true(isnan(stats_t_quantile(1.0, 3)));
}

/* 10 samples 1..10: mean 5.5, sd sqrt(110/12) = 3.0277; half-width
 * 2.262157 * 3.0277 / sqrt(10) = 2.16585.  One sample: no interval. */
static void test_ci95_half_of_hand_computed_samples(void **state G_GNUC_UNUSED)
{
	struct stats_welford w = { 0 };

	for (int i = 1; i <= 10; i++)
		stats_welford_add(&w, i);
	double half = stats_ci95_half(w.n, stats_welford_stddev(&w));
	if (fabs(half - 2.165852) > 1e-5)
		fail_msg("half-width %.7g, expected 2.165852", half);
	assert_true(isnan(stats_ci95_half(1, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uniform_percentiles_within_1pct_of_sorted_samples),
		cmocka_unit_test(test_exponential_percentiles_within_1pct_of_sorted_samples),
		cmocka_unit_test(test_constant_percentiles_are_exact),
		cmocka_unit_test(test_identical_values_plus_outlier_percentiles),
		cmocka_unit_test(test_values_near_bucket_boundaries_within_1_256),
		cmocka_unit_test(test_values_near_zero_are_exact),
		cmocka_unit_test(test_percentile_rank_is_ceil_of_decimal_product),
		cmocka_unit_test(test_negative_values_record_as_zero),
		cmocka_unit_test(test_empty_histogram_reports_zero),
		cmocka_unit_test(test_record_n_equals_repeated_record),
		cmocka_unit_test(test_merge_equals_histogram_of_union),
		cmocka_unit_test(test_encode_decode_round_trip_is_identical),
		cmocka_unit_test(test_decode_rejects_malformed_text),
		cmocka_unit_test(test_decode_accepts_consistent_text),
		cmocka_unit_test(test_welford_matches_two_pass),
		cmocka_unit_test(test_welford_merge_equals_union),
		cmocka_unit_test(test_jitter_matches_rfc3550_hand_computation),
		cmocka_unit_test(test_t_quantile_matches_published_table),
		cmocka_unit_test(test_ci95_half_of_hand_computed_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
