/* bench/calibration.c: `make calibration-report`: run every calibration
 * scenario at full length and print the table of docs/calibration.md
 * (`make calibration-doc` writes it there).  An argument, accelnet or
 * ovs, runs that group of targets only. */
#include <stdio.h>
#include <string.h>

#include "calibration.h"
#include "core/msg.h"

int main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	enum calib_group group = CALIB_ALL;

	if (argc > 1 && !strcmp(argv[1], "accelnet"))
		group = CALIB_ACCELNET;
	else if (argc > 1 && !strcmp(argv[1], "ovs"))
		group = CALIB_OVS;
	else if (argc > 1) {
		fprintf(stderr, "usage: calibration [accelnet|ovs]\n");
		return 2;
	}
	GArray *rows = calibration_run(false, group, &err);

	if (!rows)
		return msg_fail(g_steal_pointer(&err));
	calibration_print(stdout, rows);
	guint failed = 0;
	for (guint i = 0; i < rows->len; i++)
		failed += !g_array_index(rows, struct calib_row, i).pass;
	g_array_unref(rows);
	return failed ? 1 : 0;
}
