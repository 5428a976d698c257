/* metrics.h: the one table of figures every output reads.
 *
 * A figure is a row: its name (the key in JSON, CSV and result.ini), its
 * label in the side-by-side table, its unit, which direction is better, how
 * the two paths compare, and where its value comes from (a stored field of
 * the result, or a getter that derives it).  The table, JSON, CSV and the
 * lossless result.ini loop over these rows; plots and the HTML report will
 * too.  A new figure is a new row.
 *
 * Four tables, one per kind of row a result holds: a path (struct
 * path_result), a stage of the per-stage load table (struct stage_result),
 * a latency-budget row (struct budget_row) and an interval of the time
 * series (struct interval_row).  Values are in the figure's unit (latency in
 * microseconds, as reports print it); stored fields are kept in result.ini
 * under their own name and unit, so that they read back to the same bits.
 */
#ifndef ACCELSIM_METRICS_H
#define ACCELSIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "report/result.h"

/* Which way a figure is better. */
enum metric_better {
	METRIC_NEITHER,		/* a count or an input: no direction */
	METRIC_LOWER,
	METRIC_HIGHER,
};

/* How the two paths' figures are compared (the table's last column). */
enum metric_cmp {
	METRIC_CMP_NONE,	/* not compared: the same input on both paths */
	METRIC_CMP_RATIO,	/* normal / accelerated; the difference when either is 0 */
	METRIC_CMP_DIFF,	/* normal - accelerated: a ratio would mean nothing */
};

/* How the table prints a value. */
enum metric_fmt {
	METRIC_FMT_COUNT,	/* whole number */
	METRIC_FMT_RATE,	/* scaled with k, M, G */
	METRIC_FMT_US,		/* microseconds: 2, 1 or 0 decimals */
	METRIC_FMT_CORES,	/* 3 decimals */
	METRIC_FMT_PERCENT,	/* a fraction shown as % with 1 decimal */
	METRIC_FMT_SECONDS,	/* %.6g */
};

/* Type of a stored field. */
enum metric_field {
	METRIC_FIELD_NONE,	/* derived: get() computes it */
	METRIC_FIELD_U64,
	METRIC_FIELD_DOUBLE,
};

/* Flags. */
enum {
	METRIC_HINT = 1u << 0,	  /* the table says which direction is better */
	METRIC_NO_TABLE = 1u << 1, /* JSON, CSV and result.ini only */
};

struct metric {
	const char *name;	/* JSON/CSV key: "latency_p99" */
	const char *label;	/* table label: "latency p99" */
	const char *label_rr;	/* label when the figure counts requests (request/
				 * response traffic), NULL: label */
	const char *unit;	/* "us", "pps", "packets" ... */
	const char *unit_rr;	/* unit then, NULL: unit */
	enum metric_better better;
	enum metric_cmp cmp;
	enum metric_fmt fmt;
	unsigned flags;
	/* A stored field: key in result.ini, offset in the row, type, and the
	 * factor from its unit to the figure's (1e6: seconds to us). */
	const char *field;
	size_t offset;
	enum metric_field type;
	double scale;
	/* A derived figure (field NULL); NAN where it does not exist. */
	double (*get)(const void *row);
	/* A latency percentile: its p (50, 99, 99.9 ...; 100 for the max);
	 * 0 for any other figure.  Plots mark these, the table says how many
	 * packets lie beyond each. */
	double pct;
};

struct metric_table {
	const char *what;	/* "path", "stage", "budget", "interval" */
	const struct metric *rows;
	size_t n;
};

/* Rows over struct path_result, in table order. */
extern const struct metric_table metric_path;
/* Rows over struct stage_result (per-stage load). */
extern const struct metric_table metric_stage;
/* Rows over struct budget_row, split and total. */
extern const struct metric_table metric_budget;
/* Rows over struct interval_row (the time series). */
extern const struct metric_table metric_interval;
/* Rows over struct host_result (a host of several VMs: its own figures). */
extern const struct metric_table metric_host;

/* Iterate over the rows of a table: for (METRIC_EACH(m, &metric_path)). */
#define METRIC_EACH(m_, t_) const struct metric *m_ = (t_)->rows; m_ < (t_)->rows + (t_)->n; m_++

/* The row of table t called name, or NULL. */
const struct metric *metric_find(const struct metric_table *t, const char *name);

/* The figure of one row (a path_result, stage_result ... as the table says),
 * in the figure's unit; NAN where it does not exist (latency of a path that
 * delivered nothing, mean time of a stage no packet left). */
double metric_value(const struct metric *m, const void *row);

/* The figure for both paths of r: v[PATH_NORMAL], v[PATH_ACCEL]. */
void metric_path_values(const struct metric *m, const struct run_result *r,
			double v[PATH_COUNT]);

/* True when r's figures count requests rather than packets (all its counted
 * traffic is request/response, as its provenance says). */
bool metric_counts_requests(const struct run_result *r);

/* Label and unit of m for r (request/response wording where it applies). */
const char *metric_label(const struct metric *m, const struct run_result *r);
const char *metric_unit(const struct metric *m, const struct run_result *r);

/* "lower", "higher" or "neither". */
const char *metric_better_name(enum metric_better b);

/* How normal and accelerated compare for m. */
enum metric_cmp_kind {
	METRIC_SHOW_NOTHING,	/* not compared, or a figure does not exist */
	METRIC_SHOW_RATIO,	/* value = normal / accelerated */
	METRIC_SHOW_DIFF,	/* value = normal - accelerated */
};
struct metric_comparison {
	enum metric_cmp_kind kind;
	double value;
};
/* A ratio only where m compares by ratio and both figures are above zero;
 * the difference where a ratio would be meaningless (either is 0, or m
 * compares by difference); nothing where a figure is NAN or m is not
 * compared. */
struct metric_comparison metric_compare(const struct metric *m, double normal, double accel);

/* Packets of p that lie beyond percentile pct of its latency histogram
 * (above the rank that percentile returns): how many samples a tail
 * percentile rests on.  0 when nothing was delivered. */
uint64_t metric_beyond(const struct path_result *p, double pct);

/* Fewer samples than this beyond a tail percentile, and the table marks
 * it as resting on too few packets to repeat under another seed. */
#define METRIC_FEW_BEYOND 100

/* The default price of a host core for a year: about $900, from Firestone
 * et al., "Azure Accelerated Networking: SmartNICs in the Public Cloud",
 * NSDI 2018, section 2 (a physical core, two hyperthreads, sells for about
 * $0.10-0.11 an hour).  run and sweep --core-price change it. */
#define METRIC_CORE_YEAR_USD 900.0

/* What accelerated networking saves in r: host cores (the normal path's
 * host_cpu_cores minus the accelerated path's, at the scenario's load) and
 * what they are worth per host per year at r->core_year_usd (NAN when r is
 * not priced or a figure is missing). */
struct metric_savings {
	double cores;
	double usd_per_year;
};
struct metric_savings metric_savings(const struct run_result *r);

/* The value as the table prints it ("12.5k", "32.03", "-" for NAN) into
 * buf; with sign, a leading '+' for values >= 0 (differences).  Returns buf. */
char *metric_format(enum metric_fmt fmt, double v, bool sign, char *buf, size_t len);

/* Stored fields of row (those with a field) into group of k, under their
 * field names, losslessly. */
void metric_store(GKeyFile *k, const char *group, const struct metric_table *t, const void *row);
/* Read them back into row; FALSE and error if one is missing or malformed. */
bool metric_load(GKeyFile *k, const char *group, const struct metric_table *t, void *row,
		 GError **error);

#endif
