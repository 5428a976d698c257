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
	REPORT_BRIEF,
};

struct merge_stats;

/* The note that says a path is hypothetical for the VM's size (path_result
 * .hypothetical): the table and the brief print it above the figures. */
#define REPORT_NOTE_SIZE "vm size"

/* The value of r's note key, or NULL. */
const char *report_note(const struct run_result *r, const char *key);

/* The side-by-side table: normal | accelerated | difference | ratio, then
 * where the latency goes and per stage. */
void report_table(FILE *f, const struct run_result *r);
/* The same for replications (run --seeds): r is the pooled result
 * (merge.h), the figures are st's means with their 95 % intervals. */
void report_table_stats(FILE *f, const struct run_result *r, const struct merge_stats *st);
/* JSON in the shape documented in docs/file-formats.md (results). */
void report_json(FILE *f, const struct run_result *r);
/* The same with "replications": st's seeds, and each figure's mean and
 * 95 % half-width per path (st NULL: report_json). */
void report_json_stats(FILE *f, const struct run_result *r, const struct merge_stats *st);
/* One path's object, as "paths" holds it (sweep files reuse it). */
void report_json_path(FILE *f, const struct path_result *p);
/* A JSON string (escaped; NULL as ""), and a number (%.10g, null when not
 * finite). */
void report_json_string(FILE *f, const char *s);
void report_json_num(FILE *f, double v);
/* CSV rows: path,metric,value,unit; stages as path,stage.NAME.metric,... */
void report_csv(FILE *f, const struct run_result *r);
/* The same with rows PATH,mean.FIGURE and PATH,ci95.FIGURE from st. */
void report_csv_stats(FILE *f, const struct run_result *r, const struct merge_stats *st);
/* A CSV field: s as it is, or in double quotes (each quote doubled) when
 * it holds a comma, a quote or a line break (RFC 4180). */
void report_csv_field(FILE *f, const char *s);
/* The figures a person looks at first, for a projector or a narrow
 * terminal: at most 80 columns and 20 lines (brief.c). */
void report_brief(FILE *f, const struct run_result *r);
/* On a host of several VMs, the VM whose figures r's paths are (the
 * first compared one); NULL for a run of one VM or one --vm shown alone. */
const struct vm_result *report_shown_vm(const struct run_result *r);

/* One sentence on how each path's p99 and jitter move across the n
 * results r (a sweep's points, in order) as varied goes from from to to;
 * for a host of several VMs, of the VM whose figures are the paths ("VM
 * quiet: as traffic noisy.rate goes from 1e+06 to 4e+06, its normal
 * path's p99 rises ...").  NULL when n < 2 or a path delivered nothing at
 * either end.  Caller frees. */
char *report_trend(const struct run_result *const *r, size_t n, const char *varied,
		   const char *from, const char *to);

void report_write(FILE *f, const struct run_result *r, enum report_format fmt);
/* r in fmt, with st's replication statistics when st is not NULL. */
void report_write_stats(FILE *f, const struct run_result *r, const struct merge_stats *st,
			enum report_format fmt);

#endif
