/* bench/calibration.c: `make calibration-report`: run every calibration
 * scenario at full length and print the table of docs/calibration.md
 * (`make calibration-doc` writes it there). */
#include <stdio.h>

#include "calibration.h"
#include "core/msg.h"

int main(void)
{
	g_autoptr(GError) err = NULL;
	GArray *rows = calibration_run(false, &err);

	if (!rows)
		return msg_fail(g_steal_pointer(&err));
	calibration_print(stdout, rows);
	guint failed = 0;
	for (guint i = 0; i < rows->len; i++)
		failed += !g_array_index(rows, struct calib_row, i).pass;
	g_array_unref(rows);
	return failed ? 1 : 0;
}
