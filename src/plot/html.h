/* html.h: one self-contained HTML page of results.
 *
 * The page holds everything it shows: the side-by-side table (with 95 %
 * intervals for replications), what accelerated networking saves, a
 * sweep's points, every plot as inline SVG, where the latency goes, and
 * the scenario and effective model the runs used.  It fetches nothing: no
 * external script, style, font or image, and a Content-Security-Policy
 * that forbids any, so a browser reports one as an error; the only script
 * that runs is one a section brings inline (the packet walk's), allowed
 * by its hash.  One layout
 * serves a projector and a phone (it reflows below 700 px; wide tables
 * scroll), light and dark (prefers-color-scheme; plots keep their white
 * card).
 */
#ifndef ACCELSIM_HTML_H
#define ACCELSIM_HTML_H

#include <glib.h>
#include <stdbool.h>

#include "sweep/results.h"

/* The page for sr, with the plots plots (struct plot_made *, from
 * plot_write) whose SVGs are in plotdir, and extra (or NULL): sections
 * other parts of accelsim add (the packet walk, teach/reportwalk.h), as
 * HTML, placed after "where the latency goes".  An executable script in
 * them is written "<script>...</script>", with no attribute; the page's
 * policy allows each by its SHA-256 (html_script_hashes()).  A new string
 * the caller frees, or NULL and an ACCELSIM_ERROR_RUNTIME error when an
 * SVG cannot be read. */
char *html_report(const struct sweep_results *sr, GPtrArray *plots, const char *plotdir,
		  const char *extra, GError **error);

/* The Content-Security-Policy sources that allow the inline scripts of
 * html (each "<script>" to the next "</script>") and no other:
 * "'sha256-BASE64' ...", the SHA-256 of each script's text as the
 * browser hashes it (its bytes, UTF-8), base64; "" for none.  Caller
 * frees. */
char *html_script_hashes(const char *html);

#endif
