/* sweep.h: the results of a sweep, one point per value of what was varied,
 * written as sweep.json and sweep.csv.
 *
 * A point is a whole run_result (both paths) plus the values of the varied
 * keys that produced it ("load_pct" = "50", "rate_pps" = "81250", or a
 * model key such as "vswitch.cores" = "4"), so the simulator's sweep and
 * real mode's latency-vs-load curve (`real measure --rates`) write the same
 * shape and one plot can draw both.  The shape is documented in
 * docs/file-formats.md ("Sweep results"); each path's object is the one a
 * run's result.json holds under "paths".  Output is a pure function of the
 * sweep: byte-identical for equal inputs, points in the order added.
 */
#ifndef ACCELSIM_SWEEP_H
#define ACCELSIM_SWEEP_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "report/result.h"

struct sweep_point {
	char **values;			/* one per varied key, as text; owned */
	struct run_result *result;	/* owned */
};

struct sweep {
	char *source;		/* "measurement" or "simulation" */
	char *scenario;		/* what was swept, as in a run's result */
	char *model;
	char **keys;		/* the varied keys, NULL-terminated; owned */
	GPtrArray *points;	/* struct sweep_point *, owned */
	bool partial;		/* cut short: the points so far */
	GPtrArray *note_keys;	/* facts about the whole sweep, as a run's notes */
	GPtrArray *note_values;
};

/* A sweep varying keys (NULL-terminated, copied), with no point yet.
 * source, scenario and model are copied (NULL: empty). */
typedef struct sweep sweep;
struct sweep *sweep_new(const char *const *keys, const char *source, const char *scenario,
			const char *model);
void sweep_free(struct sweep *sw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep, sweep_free)

/* Append a point: values (one per key, copied) and r, which the sweep
 * takes over. */
void sweep_add(struct sweep *sw, const char *const *values, struct run_result *r);

/* Add a note (copied). */
void sweep_add_note(struct sweep *sw, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* sweep.json: {"source", "scenario", "model", "partial", "varied": [keys],
 * "points": [{KEY: value..., "partial", "duration_s", "paths": {...}}],
 * "notes": {...}}.  A value that is a plain number is written as one. */
void sweep_write_json(FILE *f, const struct sweep *sw);

/* sweep.csv: a header, then one row per point and path: the varied keys,
 * "path", then one column per figure of the metric table (metrics.h:
 * metric_path), named and scaled as there. */
void sweep_write_csv(FILE *f, const struct sweep *sw);

/* A compact table for a terminal: per point, the varied keys, then per
 * path delivered pps, drops, latency p50 and p99 and RFC 3550 jitter. */
void sweep_write_table(FILE *f, const struct sweep *sw);

/* Write DIR/sweep.json and DIR/sweep.csv (DIR is created if missing).
 * FALSE and an ACCELSIM_ERROR_RUNTIME error naming the file if a write
 * fails. */
bool sweep_save(const char *dir, const struct sweep *sw, GError **error);

#endif
