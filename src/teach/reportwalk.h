/* reportwalk.h: the animated packet walk as a section of the report page.
 *
 * The report reads results and never re-derives a figure from anything
 * else; this section is the one exception, and says so: to show packets
 * moving through both paths it follows a few packets again, in a run of
 * its own, of the configuration a result records in its provenance (the
 * scenario file, or the effective configuration's text when the scenario
 * came from standard input; the model; every --set; the seed).  The
 * configuration is loaded again and checked against the one recorded,
 * key by key, so the packets shown are packets of the run reported.
 * Where that cannot be done (the scenario file is gone or has changed
 * since, a key now has another value) the section says so in words and
 * the rest of the page is unaffected.
 *
 * Which points: for a sweep, the point with the lowest offered load, and
 * the first point past the knee (whose normal path no longer carries its
 * load: plot_point_carried()), where its queues fill, when the sweep has
 * one; for results that are not a sweep, the first point.  The packets
 * followed are born halfway through the measured time, when queues have
 * formed.  Each walk runs the engine in a child process (SimGrid allows
 * one simulation per process, and a page may show two walks) and stops
 * as soon as its packets are done.
 */
#ifndef ACCELSIM_TEACH_REPORTWALK_H
#define ACCELSIM_TEACH_REPORTWALK_H

#include "sweep/results.h"

/* The walk section of the report of sr, packets packets on each path (at
 * least 1), as HTML for html_report()'s extra sections.  Never fails: a
 * point that cannot be followed again gets its reason in words.  Caller
 * frees. */
char *reportwalk_section(const struct sweep_results *sr, unsigned packets);

#endif
