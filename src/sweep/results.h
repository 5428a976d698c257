/* results.h: results read back from their files, grouped into points.
 *
 * Sweeps, merge, plot and report never re-run anything: they read the
 * result.ini files runs wrote (result.h's lossless form, provenance
 * included) and group them.  A run that is one point of a sweep says so
 * in its notes (written by the sweep's worker command line):
 *
 *   sweep.point        = 3/12        this run's point, of how many
 *   sweep.varied       = load_pct, rate_rps   what the sweep varies
 *   sweep.value.KEY    = 50          this point's value of each
 *   sweep.unit.KEY     = B           a --vary key's unit (its base unit)
 *   sweep.seeds        = 3           replications per point
 *   sweep.saturation   = ...         what 100 % load means (percent loads)
 *
 * so a point's results can be run anywhere (GNU parallel, a Slurm array)
 * and merged later.  The runs of one point are its replications (seeds);
 * they must be one configuration (merge_check).  Results that are not a
 * sweep's are grouped by configuration, seeds aside: each group is one
 * point named after its folder.
 *
 * Everything written from here is a pure function of the results read:
 * what differs between two runs of the same inputs (start time, wall
 * time, the command line and its -o folder) is left out, so a sweep's
 * files are byte-identical whatever --jobs was, and whether its points
 * ran here or on a cluster.
 */
#ifndef ACCELSIM_SWEEP_RESULTS_H
#define ACCELSIM_SWEEP_RESULTS_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "report/merge.h"
#include "report/result.h"

/* Note keys of a sweep's point. */
#define SWEEP_NOTE_POINT "sweep.point"
#define SWEEP_NOTE_VARIED "sweep.varied"
#define SWEEP_NOTE_VALUE "sweep.value."
#define SWEEP_NOTE_SEEDS "sweep.seeds"
#define SWEEP_NOTE_UNIT "sweep.unit."
#define SWEEP_NOTE_SATURATION "sweep.saturation"
/* A saturation search's probe: read by nothing but a person checking. */
#define SWEEP_NOTE_PROBE "sweep.probe"

struct sweep_point {
	guint index;		/* 1-based, in the sweep's order; 0: not a sweep's */
	char **values;		/* one per varied key, as text; owned */
	char *label;		/* "load_pct=50, rate_rps=37450", or the folder */
	GPtrArray *runs;	/* struct run_result *, by seed; owned */
	GPtrArray *dirs;	/* char *: where each run was read from */
	struct run_result *pooled;	/* merge_pool() of runs */
	struct merge_stats *stats;	/* merge_stats_new() of runs */
};

struct sweep_results {
	char **keys;		/* the varied keys (NULL-terminated; empty: not a sweep) */
	GPtrArray *points;	/* struct sweep_point *, by index (or folder) */
	guint points_expected;	/* a sweep's point count; 0: not a sweep */
	guint seeds_expected;	/* replications per point it asked for */
	bool partial;		/* a point or seed missing, or a run cut short */
	GPtrArray *missing;	/* char *: each missing point and seed, said in words */
	GPtrArray *note_keys;	/* the sweep's own notes (sweep.saturation ...), */
	GPtrArray *note_values;	/* without the "sweep." prefix */
};

typedef struct sweep_results sweep_results;
void sweep_results_free(struct sweep_results *sr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep_results, sweep_results_free)

/* Read every result under paths (result.ini files, folders holding one,
 * or folders searched for them, in name order; probes skipped) and group
 * them.  NULL and an ACCELSIM_ERROR_INPUT error naming the file when none
 * is found, one cannot be read, or they do not fit together (points of
 * different sweeps, a seed twice, replications of different
 * configurations). */
struct sweep_results *sweep_results_load(const char *const *paths, GError **error);

/* Group runs already in memory (run --seeds): one point of n runs, taken
 * over; they must be one configuration. */
struct sweep_results *sweep_results_from_runs(struct run_result **runs, guint n,
					      GError **error);

/* Mark r as point index (1-based) of total of a sweep varying keys
 * (NULL-terminated, in order), with this point's values (one per key,
 * as text) and seeds replications per point: the notes above, which a
 * sweep's worker command line gives its runs, for runs made in memory
 * (real mode's latency-vs-load curve).  A fact about the whole sweep is
 * a note "sweep.NAME" on every point (SWEEP_NOTE_SATURATION). */
void sweep_mark_point(struct run_result *r, guint index, guint total, const char *const *keys,
		      const char *const *values, guint seeds);

/* The folder of point index of total in a sweep's folder: "point-03",
 * two digits at least, as many as total has (caller frees). */
char *sweep_point_dirname(guint index, guint total);

/* Group runs in memory that sweep_mark_point() marked (taken over, in
 * any order) into the sweep they are points of, as sweep_results_load()
 * groups files: points in index order, those not among runs listed as
 * missing (the sweep is then partial).  Each run needs a provenance, as
 * one read from a file has.  Errors call a run by the folder a sweep
 * keeps it in (sweep_point_dirname()).  NULL and an ACCELSIM_ERROR_INPUT
 * error when a run is not marked or they do not fit together (as
 * sweep_results_load()); the runs are freed then too. */
struct sweep_results *sweep_results_from_points(struct run_result **runs, guint n,
						GError **error);

/* The value of point pt for varied key k as a number (NAN when it is
 * text). */
double sweep_point_number(const struct sweep_point *pt, guint k);

/* The value of point pt for key k as a table shows it: a number with six
 * significant digits ("275674"), text as it is (caller frees). */
char *sweep_value_shown(const struct sweep_point *pt, guint k);

/* True when the results are a sweep's (they vary something). */
bool sweep_results_is_sweep(const struct sweep_results *sr);

/* sweep.json (docs/file-formats.md, "Sweep results"). */
void sweep_results_write_json(FILE *f, const struct sweep_results *sr);
/* sweep.csv: one row per point and path: the varied keys, path, seeds,
 * then every figure of the path table (its pooled value), its mean over
 * the seeds and the half-width of the mean's 95 % interval. */
void sweep_results_write_csv(FILE *f, const struct sweep_results *sr);
/* A compact table for a terminal: per point, per path, delivered, drops,
 * p50, p99 and host cores. */
void sweep_results_write_table(FILE *f, const struct sweep_results *sr);

/* Write dir/sweep.json and dir/sweep.csv, each whole (a temporary file
 * renamed into place).  FALSE and an ACCELSIM_ERROR_RUNTIME error naming
 * the file when one cannot be written. */
bool sweep_results_save(const char *dir, const struct sweep_results *sr, GError **error);

/* The note value of r called key, or NULL. */
const char *sweep_note(const struct run_result *r, const char *key);

#endif
