/* report.h: print a run_result as a side-by-side table, JSON or CSV.
 * Output is a pure function of the result: byte-identical for equal inputs. */
#ifndef ACCELSIM_REPORT_H
#define ACCELSIM_REPORT_H

#include <stdio.h>

#include "report/result.h"

enum report_format {
	REPORT_TABLE,
	REPORT_JSON,
	REPORT_CSV,
};

/* The side-by-side table: normal | accelerated | ratio, then per stage. */
void report_table(FILE *f, const struct run_result *r);
/* JSON in the shape documented in docs/file-formats.md (results). */
void report_json(FILE *f, const struct run_result *r);
/* One path's object of report_json()'s "paths", alone (sweep.c writes one
 * per point and path). */
void report_json_path(FILE *f, const struct path_result *p);
/* CSV rows: path,metric,value,unit; stages as path,stage.NAME.metric,... */
void report_csv(FILE *f, const struct run_result *r);

void report_write(FILE *f, const struct run_result *r, enum report_format fmt);

#endif
