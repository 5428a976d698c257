/* trace.h: replay recorded traffic: a CSV file or a pcap capture.
 *
 * CSV: one packet per line, "time,size,flow" (a header line naming the
 * columns is allowed; '#' starts a comment).  time is seconds from the
 * start of the trace, or a value with a time unit; size is frame bytes or a
 * size with a unit; flow is any whole number naming the flow.
 * pcap (read with libpcap): times are the capture's, from its first packet;
 * a frame's size is its length on the wire plus the 4-byte FCS that
 * captures leave out; flows are the IPv4/IPv6 5-tuples (VLAN tags skipped;
 * all other frames share one flow), numbered in order of appearance.
 *
 * trace_open() reads the whole file once to check it, so a bad line is
 * reported before the run starts, with file and line; the run then streams
 * it.  Times must not go backwards. */
#ifndef ACCELSIM_TRACE_H
#define ACCELSIM_TRACE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct trace_rec {
	double t;		/* seconds from the trace's start */
	double size;		/* frame bytes */
	uint32_t flow;		/* dense flow number */
	bool first;		/* first packet of its flow */
};

struct trace;

struct trace *trace_open(const char *path, GError **error);
void trace_close(struct trace *t);

/* Next record: 1, 0 at the end, -1 and error on a read failure. */
int trace_next(struct trace *t, struct trace_rec *out, GError **error);

/* Packets in the trace (counted by trace_open). */
uint64_t trace_count(const struct trace *t);

#endif
