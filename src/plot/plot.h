/* plot.h: comparison plots with gnuplot, from results read back.
 *
 * Each plot is three files in the output folder: NAME.dat, the data
 * (gnuplot blocks, one per line drawn, columns named in a comment), NAME.gp,
 * the script that draws it (the settings accelsim chose, then the template
 * plots/NAME.gp as shipped, which users may edit), and the drawings
 * NAME.png (pngcairo) and NAME.svg.  `gnuplot NAME.gp` in that folder draws
 * them again by hand.  Every figure is read through the metric table
 * (metrics.h): its label and unit are the table's.
 *
 * Which plots: the latency CDF and the latency budget always; for a sweep
 * also latency percentiles, throughput, host CPU (with the cores saved)
 * and jitter against what was varied; the time series when the results
 * have one.  gnuplot runs as one subprocess (GSubprocess) over every
 * script.
 */
#ifndef ACCELSIM_PLOT_H
#define ACCELSIM_PLOT_H

#include <glib.h>
#include <stdbool.h>

#include "sweep/results.h"

/* A plot that was drawn. */
struct plot_made {
	char *name;	/* "latency-cdf": NAME.png, NAME.svg, NAME.dat, NAME.gp */
	char *title;	/* its title */
	char *caption;	/* what it shows, a sentence or two for the report */
};

/* Draw every plot that fits sr into dir (created if missing).  Returns the
 * plots drawn (struct plot_made *, in report order; caller frees with
 * g_ptr_array_unref), or NULL and an error: ACCELSIM_ERROR_UNSUPPORTED
 * naming the Debian package when gnuplot is missing, ACCELSIM_ERROR_RUNTIME
 * with gnuplot's message when it fails or a file cannot be written. */
GPtrArray *plot_write(const struct sweep_results *sr, const char *dir, GError **error);

/* Measured against predicted: latency-vs-load of the sweep sr (real
 * measure --rates, read back) with, on the same axes, predicted[i] (the
 * model's run of point i's traffic, one per point of sr) as lines: p50
 * and p99 of both paths.  The files and errors of plot_write(); returns
 * the one plot made (caller frees). */
GPtrArray *plot_write_versus(const struct sweep_results *sr, struct run_result *const *predicted,
			     const char *dir, GError **error);

/* The point a sweep's single-point plots (CDF, host CPU title, time
 * series) and the report's table show: the busiest point whose normal
 * path still carries its load (at most 100 % load, or drops of at most
 * 0.1 %); the first point of results that are not a sweep. */
const struct sweep_point *plot_reference_point(const struct sweep_results *sr);

/* Whether point pt of sweep sr is below its knee: its normal path still
 * carries the load (below 100 % load in a sweep of load_pct; else drops
 * of at most 0.1 % of what it offered). */
bool plot_point_carried(const struct sweep_results *sr, const struct sweep_point *pt);

/* A point in words: "90 % load", "vswitch.cores=4" (caller frees). */
char *plot_point_name(const struct sweep_results *sr, const struct sweep_point *pt);

/* The gnuplot program to run: $GNUPLOT if set, else gnuplot from PATH;
 * NULL when there is none (caller frees). */
char *plot_gnuplot_path(void);

#endif
