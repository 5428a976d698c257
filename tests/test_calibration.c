/* test_calibration.c: every calibration target, on shorter runs, must stay
 * within its band: a change to a component that moves a calibrated figure
 * out of tolerance fails here (docs/calibration.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "calibration.h"
#include "light.h"

static void test_calibration_targets_within_tolerance(void **state)
{
	SKIP_IF_LIGHT();
	g_autoptr(GError) err = NULL;
	GArray *rows = calibration_run(true, &err);
	unsigned failed = 0;

	if (!rows)
		fail_msg("calibration run: %s", err->message);
	for (guint i = 0; i < rows->len; i++) {
		const struct calib_row *r = &g_array_index(rows, struct calib_row, i);

		print_message("  %-4s %-62s %10.4g %-8s [%g, %g] %s\n", r->id, r->what, r->got, r->unit,
			      r->lo, r->hi, r->pass ? "ok" : "OUT OF TOLERANCE");
		failed += !r->pass;
	}
	g_array_unref(rows);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calibration_targets_within_tolerance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
