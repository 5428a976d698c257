/* tracetext.h: `accelsim trace` in the terminal: each followed packet's
 * way through both paths, stage by stage, in at most 80 columns.
 *
 * Per packet, a table per path: when it reached each stage (microseconds
 * from the start of its latency), how long it queued, waited for a
 * wake-up, was served (in a batch of how many), its delay after service,
 * on which resource, and the CPU cycles it cost there; a drop, a
 * diversion to the vSwitch or a fallback to the synthetic path in words;
 * then its total, which is its latency.  Times are printed to 10 ns, and
 * rounded where they begin and end, not one by one, so the printed parts
 * add up to the printed total exactly.  Last, the packets side by side.
 */
#ifndef ACCELSIM_TEACH_TRACETEXT_H
#define ACCELSIM_TEACH_TRACETEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "config/scenario.h"
#include "teach/follow.h"

/* Print what f followed in a run of s, note (or NULL) under the heading.
 * colour: ANSI colours and bold (the caller decides: a terminal, and
 * NO_COLOR unset). */
void trace_text_print(FILE *out, const struct follow *f, const struct scenario *s,
		      const char *note, bool colour);

/* A time as the trace prints it: t - origin in units of 10 ns, rounded. */
long long trace_ticks(double t, double origin);

/* Why a packet was diverted (a sentence without a full stop): the VF is
 * removed, an inbound SYN, or no flow entry in the NIC yet. */
const char *trace_divert_reason(const struct scenario *s, const struct follow_pkt *fp,
				const struct follow_step *st);

/* "host core 3", "vCPU 0", "thread 1", "NIC", "link": where step st ran. */
void trace_resource(const struct follow_step *st, char *buf, size_t len);

#endif
