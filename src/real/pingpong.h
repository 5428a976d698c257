/* pingpong.h: UDP ping-pong over one path, for latency and jitter.
 *
 * The client (the calling thread) sends one message, waits for its echo and
 * only then sends the next, so each round trip is measured alone.  Each
 * message carries its sequence number and its send time; the client takes
 * the round trip from CLOCK_MONOTONIC just before send() and just after
 * recv(), the server (a thread of its own) the one-way request time from the
 * same clock, which is exact because both ends are on this machine.  The
 * first `warmup` messages are exchanged but not recorded.  Bounded by count,
 * by an absolute deadline and by the stop flag; a reply missing for 100 ms
 * counts as lost.
 */
#ifndef ACCELSIM_REAL_PINGPONG_H
#define ACCELSIM_REAL_PINGPONG_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/stats.h"
#include "real/traffic.h"
#include "report/result.h"

#define PINGPONG_MIN_SIZE 32	/* magic, kind, run, sequence, send time */
#define PINGPONG_MAX_SIZE 1472	/* one 1500-byte frame */

struct pingpong_stats {
	uint64_t sent, measured, lost;
	double wall_s;				/* measured messages only */
	double client_cpu_s, server_cpu_s;	/* whole call */
	struct stats_hist *oneway;		/* request leg, ns; owned by caller */
};

/* Exchange warmup + count messages over the connected client_fd and the
 * bound server_fd, recording each measured round trip into p
 * (path_result_record_latency) and each one-way request time into
 * st->oneway.  FALSE and error on a socket failure; a deadline or stop only
 * ends it early (st->measured says how far it got). */
bool pingpong_run(int client_fd, int server_fd, const struct traffic_opts *o,
		  uint64_t warmup, uint64_t count, struct path_result *p,
		  struct pingpong_stats *st, GError **error);

#endif
