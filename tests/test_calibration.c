/* test_calibration.c: every calibration target, on shorter runs, must stay
 * within its band: a change to a component that moves a calibrated figure
 * out of tolerance fails here (docs/calibration.md).  Built twice, so that
 * make check runs the two halves side by side: test_calibration (the
 * AccelNet targets of the default model) and, with CALIB_GROUP_OVS defined,
 * test_calibration_ovs (the software switch's, the KVM + OVS models). */
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
#ifdef CALIB_GROUP_OVS
	GArray *rows = calibration_run(true, CALIB_OVS, &err);
#else
	GArray *rows = calibration_run(true, CALIB_ACCELNET, &err);
#endif
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
