/* explain.h: `accelsim explain`: the two paths drawn in the terminal, what
 * each stage costs in the model, and the ideas behind them in plain words.
 *
 * Everything fits 80 columns and is plain text; bold headings only when
 * the caller asks for colour.  The costs are the model's own: each stage's
 * components are asked what serving a packet costs (their process op, the
 * way the engine asks), averaged over many packets of one established
 * flow, so a distribution's mean and a flow table's hits are what shows.
 */
#ifndef ACCELSIM_TEACH_EXPLAIN_H
#define ACCELSIM_TEACH_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "config/scenario.h"
#include "pipeline/pipeline.h"
#include "report/result.h"

/* The paths of the first traffic source of s's VM vm (an index in
 * s->vms) drawn as boxes and arrows, each stage's mean cost, and where
 * host CPU is spent.  pl: both pipelines of s (their components' state is
 * used and changed: build them for this). */
void explain_paths(FILE *out, const struct scenario *s, unsigned vm,
		   struct pipeline *const pl[PATH_COUNT], bool colour);

/* SR-IOV, the vSwitch detour, the first-packet exception, why the setting
 * is fixed on a running VM, and how to check it inside a VM. */
void explain_ideas(FILE *out, bool colour);

/* What r, a run of s, shows (of VM r->focus, on a host of several:
 * run_result_focus(); else of the first compared VM): latency, where the difference comes from,
 * host CPU, drops, and whether accelerated networking matters here. */
void explain_result(FILE *out, const struct scenario *s, const struct run_result *r,
		    bool colour);

#endif
