/* mermaid.h: the two paths as Mermaid diagrams with the simulated numbers,
 * for `trace --mermaid` and `run --mermaid`.
 *
 * The output is Markdown: a heading and a fenced ```mermaid block per
 * diagram, which GitHub, GitLab and mermaid-cli (`mmdc -i FILE.md`) render
 * as they are.  Per path, a sequenceDiagram with the stages as
 * participants: for a trace, one packet's hops, each message carrying the
 * time it reached the next stage and a note the time it spent at each; for
 * a run, the latency budget's mean times.  Then one flowchart LR with
 * both pipelines (every route the scenario's traffic can take, diversions
 * dashed), each stage annotated with its share of the latency budget.
 * Only syntax of stock Mermaid (10 and later); no theme or plug-in.
 */
#ifndef ACCELSIM_TEACH_MERMAID_H
#define ACCELSIM_TEACH_MERMAID_H

#include <stdio.h>

#include "config/scenario.h"
#include "pipeline/pipeline.h"
#include "report/result.h"
#include "teach/follow.h"

/* The diagrams of a trace: the first packet followed on each path, and the
 * budget of the delivered packets followed.  pl: each path's pipeline. */
void mermaid_trace(FILE *out, const struct follow *f, const struct scenario *s,
		   const struct pipeline *const pl[PATH_COUNT]);

/* The diagrams of a run's result r (its latency budget). */
void mermaid_run(FILE *out, const struct run_result *r, const struct scenario *s,
		 const struct pipeline *const pl[PATH_COUNT]);

#endif
