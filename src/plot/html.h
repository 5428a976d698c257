/* html.h: one self-contained HTML page of results.
 *
 * The page holds everything it shows: the side-by-side table (with 95 %
 * intervals for replications), what accelerated networking saves, a
 * sweep's points, every plot as inline SVG, where the latency goes, and
 * the scenario and effective model the runs used.  It fetches nothing: no
 * script, no external style, font or image, and a Content-Security-Policy
 * that forbids any, so a browser reports one as an error.  One layout
 * serves a projector and a phone (it reflows below 700 px; wide tables
 * scroll), light and dark (prefers-color-scheme; plots keep their white
 * card).
 */
#ifndef ACCELSIM_HTML_H
#define ACCELSIM_HTML_H

#include <glib.h>
#include <stdbool.h>

#include "sweep/results.h"

/* A section other parts of accelsim add to the page (the teaching
 * animation): the HTML of one <section>, or NULL for none (caller
 * frees). */
typedef char *(*html_section_fn)(const struct sweep_results *sr);

/* The page for sr, with the plots plots (struct plot_made *, from
 * plot_write) whose SVGs are in plotdir.  A new string the caller frees,
 * or NULL and an ACCELSIM_ERROR_RUNTIME error when an SVG cannot be
 * read. */
char *html_report(const struct sweep_results *sr, GPtrArray *plots, const char *plotdir,
		  GError **error);

#endif
