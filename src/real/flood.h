/* flood.h: a sendmmsg/recvmmsg UDP flood over one path, for packets per
 * second, drops and CPU cost per packet.
 *
 * The client (the calling thread) sends batches as fast as the path takes
 * them for `duration_s` or `count` packets, whichever ends first; the server
 * thread receives in batches and keeps counting until the path has been
 * quiet for 20 ms after the client stopped.  Packets sent but never
 * received are drops (on veth they are the receiver's full socket buffer).
 */
#ifndef ACCELSIM_REAL_FLOOD_H
#define ACCELSIM_REAL_FLOOD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "real/traffic.h"

#define FLOOD_MAX_BATCH 256

struct flood_stats {
	uint64_t sent, received;
	uint64_t sent_bytes, received_bytes;
	double send_s;			/* first to last send */
	double recv_s;			/* first send to last receive */
	double client_cpu_s, server_cpu_s;
	double cores_busy_s, cores_softirq_s;	/* /proc/stat over the pinned cores */
};

/* Flood from the connected client_fd to the bound server_fd. batch is
 * clamped to 1..FLOOD_MAX_BATCH.  FALSE and error on a socket failure. */
bool flood_run(int client_fd, int server_fd, const struct traffic_opts *o,
	       double duration_s, uint64_t count, int batch, struct flood_stats *st,
	       GError **error);

#endif
