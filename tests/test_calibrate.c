/* test_calibrate.c: the pieces of `real calibrate` and `real validate`
 * that need no root: the least-squares fit against closed forms, the
 * model file it writes (loaded back by the config layer), and the
 * scenarios that mirror a measurement.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <string.h>

#include "calibrate/lsq.h"

/* Points on a line: the fit is the line, with no error. */
static void test_lsq_exact_line(void **state)
{
	struct lsq s;
	struct lsq_fit f;
	GError *err = NULL;

	lsq_init(&s, 2);
	for (int x = 0; x < 5; x++)
		lsq_add(&s, (double[]){ 1, x }, 3 + 2.0 * x, 1);
	assert_true(lsq_solve(&s, &f, &err));
	assert_true(fabs(f.b[0] - 3) < 1e-12);
	assert_true(fabs(f.b[1] - 2) < 1e-12);
	assert_true(f.se[0] < 1e-9 && f.se[1] < 1e-9);
	assert_true(f.rms < 1e-12);
	lsq_clear(&s);
}

/* Simple regression against its textbook closed form: slope Sxy/Sxx,
 * intercept ybar - slope xbar, se(slope) = sqrt(s^2 / Sxx) with
 * s^2 = RSS / (n - 2). */
static void test_lsq_matches_simple_regression(void **state)
{
	const double x[] = { 64, 128, 256, 512, 1024, 1400, 200, 900 };
	const double y[] = { 2500, 2540, 2600, 2770, 2990, 3180, 2560, 2950 };
	const int n = G_N_ELEMENTS(x);
	double xbar = 0, ybar = 0, sxx = 0, sxy = 0, rss = 0;
	struct lsq s;
	struct lsq_fit f;

	lsq_init(&s, 2);
	for (int i = 0; i < n; i++) {
		lsq_add(&s, (double[]){ 1, x[i] }, y[i], 1);
		xbar += x[i] / n;
		ybar += y[i] / n;
	}
	for (int i = 0; i < n; i++) {
		sxx += (x[i] - xbar) * (x[i] - xbar);
		sxy += (x[i] - xbar) * (y[i] - ybar);
	}
	double slope = sxy / sxx, icpt = ybar - slope * xbar;
	for (int i = 0; i < n; i++)
		rss += pow(y[i] - icpt - slope * x[i], 2);
	double se_slope = sqrt(rss / (n - 2) / sxx);
	double se_icpt = sqrt(rss / (n - 2) * (1.0 / n + xbar * xbar / sxx));

	assert_true(lsq_solve(&s, &f, NULL));
	assert_true(fabs(f.b[1] - slope) < 1e-9 * fabs(slope));
	assert_true(fabs(f.b[0] - icpt) < 1e-9 * fabs(icpt));
	assert_true(fabs(f.se[1] - se_slope) < 1e-9 * se_slope);
	assert_true(fabs(f.se[0] - se_icpt) < 1e-9 * se_icpt);
	assert_true(fabs(f.rss - rss) < 1e-9 * rss);
	lsq_clear(&s);
}

/* Weights: a constant fitted to two groups is their weighted mean. */
static void test_lsq_weights(void **state)
{
	struct lsq s;
	struct lsq_fit f;

	lsq_init(&s, 1);
	lsq_add(&s, (double[]){ 1 }, 10, 3);
	lsq_add(&s, (double[]){ 1 }, 20, 1);
	assert_true(lsq_solve(&s, &f, NULL));
	assert_true(fabs(f.b[0] - 12.5) < 1e-12);
	lsq_clear(&s);
}

/* Three parameters, one of them a rule count that varies alone. */
static void test_lsq_three_parameters(void **state)
{
	struct lsq s;
	struct lsq_fit f;

	lsq_init(&s, 3);
	for (int size = 64; size <= 1472; size += 352)
		for (int rules = 0; rules <= 2000; rules += 1000)
			lsq_add(&s, (double[]){ 1, size, rules },
				2000 + 0.5 * size + 14 * rules, 1);
	assert_true(lsq_solve(&s, &f, NULL));
	assert_true(fabs(f.b[0] - 2000) < 1e-6);
	assert_true(fabs(f.b[1] - 0.5) < 1e-9);
	assert_true(fabs(f.b[2] - 14) < 1e-9);
	lsq_clear(&s);
}

/* Parameters the data cannot separate, and too few observations. */
static void test_lsq_refuses_what_it_cannot_fit(void **state)
{
	struct lsq s;
	struct lsq_fit f;
	GError *err = NULL;

	lsq_init(&s, 2);
	for (int i = 0; i < 4; i++)
		lsq_add(&s, (double[]){ 1, 64 }, 100 + i, 1);	/* one size only */
	assert_false(lsq_solve(&s, &f, &err));
	assert_non_null(strstr(err->message, "parameter 2 cannot be told apart"));
	g_clear_error(&err);
	lsq_clear(&s);

	lsq_init(&s, 3);
	lsq_add(&s, (double[]){ 1, 2, 3 }, 1, 1);
	assert_false(lsq_solve(&s, &f, &err));
	assert_non_null(strstr(err->message, "1 observations for 3 parameters"));
	g_clear_error(&err);
	lsq_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lsq_exact_line),
		cmocka_unit_test(test_lsq_matches_simple_regression),
		cmocka_unit_test(test_lsq_weights),
		cmocka_unit_test(test_lsq_three_parameters),
		cmocka_unit_test(test_lsq_refuses_what_it_cannot_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
