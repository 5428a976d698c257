/* traffic.h: traffic sources, one per [traffic] section and path.
 *
 * A source hands out packets in birth order: its time, frame size, flow and
 * flags.  Open-loop sources (constant, poisson, onoff, trace, and reqresp
 * at a rate) do not depend on the path, and each path gets its own source
 * seeded alike, so both pipelines see the same arrivals (common random
 * numbers).  A closed-loop request/response source keeps concurrency
 * connections, each sending its next request think time after its response
 * arrived (or rto after it was lost); a connection is one flow, opened by
 * its first request.
 *
 * Flows: flows are active at once; a flow ends after a number of packets
 * drawn from flow_size (rounded, at least one; flow_size 0: never) and a
 * new one (a new flow number) takes its place.
 * A tcp source is a closed loop too: flows connections, each keeping
 * a window of segments in flight (traffic.c says how it moves).
 * Packets come in trains of train packets of one flow (a TCP sender's TSO
 * bursts), each train from a flow picked at random.  A flow's first packet
 * carries PKT_FIRST, and PKT_SYN too when the spec says syn (trace replay
 * included).
 * Times in seconds, sizes in bytes. */
#ifndef ACCELSIM_TRAFFIC_H
#define ACCELSIM_TRAFFIC_H

#include <glib.h>
#include <stdbool.h>

#include "config/scenario.h"
#include "model/component.h"

struct source;

/* A source for spec t (the index-th of the scenario, below
 * TRAFFIC_MAX_SOURCES), producing births in [t->start, stop).  capacity_pps
 * converts a rate in % (of the normal path's capacity); stop is the
 * scenario's duration unless t->stop is set.  Trace files are read here:
 * errors name the file and line. */
struct source *source_new(const struct traffic_spec *t, unsigned index, uint64_t seed,
			  double capacity_pps, double duration, GError **error);
void source_free(struct source *s);

/* Birth time of the next packet, INFINITY when there is none (yet). */
double source_peek(const struct source *s);

/* Fill p (born, size, flow, flags, conn, seq, key) with the next packet.
 * seq numbers a source's packets in birth order, or, in a closed loop, by
 * connection and request (conn << 32 | request number); key derives from
 * (seed, source, seq) and keys every random draw that belongs to p. */
void source_next(struct source *s, struct pkt *p);

/* The size of the response to request (a draw keyed by the request). */
uint32_t source_response_size(const struct source *s, const struct pkt *request);

/* Closed loop: the response to p (or p itself, lost: delivered = false)
 * came back at t, so p's connection sends its next request after a think
 * time keyed by p, or after rto. */
void source_on_done(struct source *s, const struct pkt *p, double t, bool delivered);

/* Whether the source's data travels in its requests, its responses being
 * acknowledgements (tcp): the bytes delivered are the requests'. */
bool source_data_in_requests(const struct source *s);

/* tcp: connection conn's congestion window now, in segments (0 for
 * other sources); for tests. */
double source_tcp_window(const struct source *s, unsigned conn);

/* Mean packet rate offered (packets per second), for reports. */
double source_rate_pps(const struct source *s);

/* Least time between a response and the next request (closed loop), for
 * the engine's lookahead; INFINITY for open-loop sources. */
double source_feedback_min(const struct source *s);

/* Flow numbers: each source draws from its own range so flows of different
 * sources never collide (scenario.h: hence TRAFFIC_MAX_SOURCES). */
#define SOURCE_FLOW_SPAN (1u << TRAFFIC_FLOW_BITS)

#endif
