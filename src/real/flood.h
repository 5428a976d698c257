/* flood.h: a sendmmsg/recvmmsg UDP stream over one path, for packets per
 * second, drops, one-way latency under load and CPU cost per packet.
 *
 * The client (the calling thread) sends batches of `batch` datagrams for
 * `duration_s` or `count` packets, whichever ends first, in one of three
 * ways:
 *   - paced (rate_pps > 0): batch k leaves at start + k * batch / rate_pps,
 *     the flood's batching at a fixed offered rate, as sockperf's under-load
 *     mode and MoonGen's load-latency scripts send; a sender that falls
 *     behind sends at once and the offered rate it reached is reported;
 *   - windowed (window > 0): as fast as the path takes them, but never more
 *     than `window` packets sent and not yet received, so the receiver's
 *     socket buffer never overflows and the rate is the most the path and
 *     its cores carry without loss (the throughput of RFC 2544);
 *   - unbounded (both 0): as fast as sendmmsg returns, whatever the
 *     receiver keeps up with; on a shared core that measures the
 *     scheduler more than the path (docs/real-mode.md).
 * Every datagram carries its sequence number and the CLOCK_MONOTONIC time
 * just before the sendmmsg() that sent it; the server thread takes the
 * time just after each recvmmsg() returns, so each received datagram gives
 * its one-way latency from the application's send to the application's
 * receive (exact: both ends are on this machine).  The server keeps
 * counting until the path has been quiet for 20 ms after the client
 * stopped.  Packets sent but never received are drops.
 */
#ifndef ACCELSIM_REAL_FLOOD_H
#define ACCELSIM_REAL_FLOOD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "real/traffic.h"
#include "report/result.h"

#define FLOOD_MAX_BATCH 256
#define FLOOD_MIN_SIZE 24	/* magic, run, sequence, send time */

struct flood_opts {
	double duration_s;	/* sending time, seconds */
	uint64_t count;		/* at most this many packets */
	int batch;		/* datagrams per sendmmsg, 1..FLOOD_MAX_BATCH */
	double rate_pps;	/* > 0: paced at this offered rate */
	int window;		/* > 0 (unpaced): bound on packets in flight */
	struct path_result *latency; /* each packet's one-way latency, or NULL */
};

struct flood_stats {
	uint64_t sent, received;
	uint64_t sent_bytes, received_bytes;
	uint64_t written_off;		/* windowed: given up waiting for (lost) */
	bool cut;			/* the stop flag or the deadline ended it early */
	double send_s;			/* first to last send */
	double recv_s;			/* first send to last receive */
	double client_cpu_s, server_cpu_s; /* the two threads (CPU clocks) */
	double softirqd_cpu_s;		/* ksoftirqd of the cores used */
	double cores_busy_s, cores_softirq_s;	/* /proc/stat over those cores */
};

/* Stream from the connected client_fd to the bound server_fd as fo says.
 * FALSE and error on a socket failure; the stop flag and the deadline in o
 * only end it early. */
bool flood_run(int client_fd, int server_fd, const struct traffic_opts *o,
	       const struct flood_opts *fo, struct flood_stats *st, GError **error);

/* The cores a run with o uses, as a mask for cpu_snapshot_delta() and
 * cpu_softirqd_seconds() (0: all, when nothing is pinned). */
uint64_t flood_core_mask(const struct traffic_opts *o);

#endif
