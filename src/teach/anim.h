/* anim.h: the animated packet walk: both pipelines drawn as boxes, and the
 * followed packets moving through them in scaled model time.
 *
 * Self-contained HTML: inline SVG, a little plain JavaScript and the
 * packets' times as JSON; no network, no framework.  A slider moves
 * through model time, a button plays and pauses; hovering a stage shows
 * each followed packet's queue, wake-up, service and delay there, and
 * hovering a packet its latency.  Packets wait in front of a stage while
 * they queue (so a queue fills visibly under load), sit in the box while
 * served, travel the arrow during the delay after service, and a diverted
 * packet takes the dashed detour.  The page's address can say where to
 * start: FILE.html#t=0.5 shows the moment halfway through, paused.
 */
#ifndef ACCELSIM_TEACH_ANIM_H
#define ACCELSIM_TEACH_ANIM_H

#include <stdio.h>

#include "config/scenario.h"
#include "pipeline/pipeline.h"
#include "teach/follow.h"

/* The whole page: a document with the fragment in its body. */
void anim_write_page(FILE *out, const struct follow *f, const struct scenario *s,
		     const struct pipeline *const pl[PATH_COUNT]);

/* The fragment alone, for a page of someone else's (the HTML report): one
 * <section> with its own styles and script, every id and class under
 * prefix (letters, digits and '-'), so that several can share a page.
 * title (or NULL) heads it as an <h3>, under the page's own heading;
 * NULL: an <h2> of its own ("A packet walk: SCENARIO, ...").  Its one
 * executable script is written "<script>...</script>", with no
 * attribute, for a page that allows it by hash (plot/html.h). */
void anim_write_fragment(FILE *out, const struct follow *f, const struct scenario *s,
			 const struct pipeline *const pl[PATH_COUNT], const char *prefix,
			 const char *title);

#endif
