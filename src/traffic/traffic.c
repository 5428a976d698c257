/* traffic.c: the arrival processes of traffic.h.
 *
 * Every source draws from its own random streams (one for times, one for
 * sizes, one for flows), seeded from the scenario seed and the source's
 * index, so adding a source leaves the others' arrivals alone and the same
 * seed replays the same arrivals into both pipelines.
 *
 *   constant  births every 1/rate
 *   poisson   exponential gaps of mean 1/rate
 *   onoff     poisson at rate during on periods, silent during off periods
 *   reqresp   open loop: poisson requests at rate; closed loop: concurrency
 *             connections, each with one request outstanding
 *   trace     times, sizes and flows from a CSV or pcap file (trace.c)
 *   tcp       flows connections, each a window of segments in flight:
 *             every segment delivered (its ACK sent back) lets the next
 *             one go, so a connection's rate is its window over its round
 *             trip, or its slowest stage's
 *
 * TCP, simplified from Reno (RFC 5681) with NewReno's one halving per
 * window of losses (RFC 6582): a connection starts with init_window
 * segments, grows by one segment per ACK below ssthresh (slow start) and
 * by one per window above it (congestion avoidance), up to window bytes;
 * a lost segment halves it (ssthresh = cwnd / 2, at least 2), once for all
 * the losses of the segments sent before the first of them, and is sent
 * again in its place.  The loss is seen when the segment is dropped, not
 * three duplicate ACKs later, and there are no timeouts: a connection
 * always has a segment in flight.  congestion = fixed keeps the whole
 * window in flight.  A segment is a "request" of the closed loop, its ACK
 * the "response"; each ACK carries one segment's worth (no delayed ACKs).
 */
#include "traffic/traffic.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"
#include "core/rng.h"
#include "traffic/trace.h"

struct conn_ev {
	double t;
	uint32_t conn;
};

struct tcp_conn {
	double cwnd, ssthresh;
	unsigned inflight;	/* sent, not yet ACKed nor lost */
	uint32_t recover;	/* losses of segments below this were halved for */
};

struct source {
	const struct traffic_spec *spec;
	unsigned index;
	struct rng r_time, r_size, r_flow;
	uint64_t key;		/* keys its packets (pkt.key) and their draws */
	uint64_t count;		/* packets handed out (open loop, trace) */
	uint32_t *requests;	/* closed loop: requests each connection sent */
	double rate;		/* packets per second (open loop) */
	double next;		/* next birth, INFINITY when done */
	uint64_t born;		/* constant: births so far (next = start + born/rate) */
	double stop;
	double max_size;	/* the largest packet (spec's, resolved) */
	/* on/off */
	double on_until;
	/* flows */
	uint32_t *flow_of;	/* flow number of each active slot */
	double *flow_left;	/* packets left in each slot's flow */
	uint32_t next_flow;
	unsigned slot;		/* current slot of a train */
	unsigned train_left;	/* packets left in the train */
	/* closed loop: a min-heap of connections waiting to send */
	struct conn_ev *heap;
	unsigned nheap;
	/* tcp: per connection, in segments */
	struct tcp_conn *tcp;
	unsigned wmax;		/* the window */
	/* trace replay */
	struct trace *trace;
	struct trace_rec rec;
};

/* Runts are padded to the least frame, as a NIC pads them; above the
 * largest packet (a frame, or a segment when the model segments) only exp
 * and lognormal sizes can draw (the loader refuses other distributions
 * and trace frames that reach there): they are cut. */
static uint32_t clamp_size(double s, double max)
{
	if (s < TRAFFIC_MIN_FRAME)
		return TRAFFIC_MIN_FRAME;
	if (s > max)
		return (uint32_t)max;
	return (uint32_t)lround(s);
}

static void heap_push(struct source *s, double t, uint32_t conn)
{
	unsigned i = s->nheap++;

	while (i > 0) {
		unsigned up = (i - 1) / 2;

		if (s->heap[up].t < t || (s->heap[up].t == t && s->heap[up].conn < conn))
			break;
		s->heap[i] = s->heap[up];
		i = up;
	}
	s->heap[i] = (struct conn_ev){ t, conn };
}

static struct conn_ev heap_pop(struct source *s)
{
	struct conn_ev top = s->heap[0], last = s->heap[--s->nheap];
	unsigned i = 0;

	for (;;) {
		unsigned l = 2 * i + 1, m = l + 1, c = l;

		if (l >= s->nheap)
			break;
		if (m < s->nheap && (s->heap[m].t < s->heap[l].t ||
				     (s->heap[m].t == s->heap[l].t && s->heap[m].conn < s->heap[l].conn)))
			c = m;
		if (last.t < s->heap[c].t || (last.t == s->heap[c].t && last.conn < s->heap[c].conn))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	s->heap[i] = last;
	return top;
}

static bool closed_loop(const struct source *s)
{
	return (s->spec->pattern == PAT_REQRESP && s->spec->concurrency > 0) ||
	       s->spec->pattern == PAT_TCP;
}

/* Gap to the next birth of an open-loop source. */
static double gap(struct source *s)
{
	if (s->spec->pattern == PAT_CONSTANT)
		return 1.0 / s->rate;
	return rng_exp(&s->r_time, 1.0 / s->rate);
}

/* Move an on/off source's next birth out of silent periods. */
static void onoff_skip(struct source *s)
{
	while (s->next >= s->on_until && s->next < s->stop) {
		double off = dist_sample(&s->spec->off, &s->r_time);
		double on = dist_sample(&s->spec->on, &s->r_time);
		double start = s->on_until + off;

		/* memoryless gaps: restart the process at the burst's start */
		s->on_until = start + on;
		s->next = start + gap(s);
	}
}

static void advance(struct source *s)
{
	if (s->trace) {
		g_autoptr(GError) err = NULL;

		if (trace_next(s->trace, &s->rec, &err) > 0)
			s->next = s->spec->start + s->rec.t;
		else
			s->next = INFINITY;
	} else if (s->spec->pattern == PAT_CONSTANT) {
		/* from the start, not by adding up gaps: ten gaps of 0.1 s sum
		 * to 0.9999999999999999 s and would let an eleventh birth in */
		s->next = s->spec->start + ++s->born / s->rate;
	} else if (!closed_loop(s)) {
		s->next += gap(s);
		if (s->spec->pattern == PAT_ONOFF)
			onoff_skip(s);
	}
	if (s->next >= s->stop)
		s->next = INFINITY;
}

struct source *source_new(const struct traffic_spec *t, unsigned index, uint64_t seed,
			  double capacity_pps, double duration, GError **error)
{
	if (index >= TRAFFIC_MAX_SOURCES) {
		/* the scenario loader refuses more; index * SOURCE_FLOW_SPAN
		 * would wrap and share flow numbers with source index - 256 */
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "[%s]: expected at most %u traffic sources, this is number %u", t->name,
			    TRAFFIC_MAX_SOURCES, index + 1);
		return NULL;
	}
	struct source *s = g_new0(struct source, 1);
	uint64_t base = (uint64_t)(index + 1) << 8;

	s->spec = t;
	s->max_size = t->max_size ? t->max_size : TRAFFIC_MAX_FRAME;
	s->index = index;
	rng_seed(&s->r_time, seed, base + 1);
	rng_seed(&s->r_size, seed, base + 2);
	rng_seed(&s->r_flow, seed, base + 3);
	s->key = rng_hash(rng_mix64(seed), base + 4);
	s->stop = t->stop > 0 ? MIN(t->stop, duration) : duration;
	s->flow_of = g_new(uint32_t, t->flows);
	s->flow_left = g_new(double, t->flows);
	for (unsigned i = 0; i < t->flows; i++) {
		s->flow_of[i] = i;
		s->flow_left[i] = -1;	/* drawn on first use */
	}
	s->next_flow = t->flows;

	if (t->pattern == PAT_TRACE) {
		s->trace = trace_open(t->trace, error);
		if (!s->trace) {
			source_free(s);
			return NULL;
		}
		s->next = 0;
		advance(s);
		return s;
	}
	if (t->pattern == PAT_TCP) {
		const double seg = dist_mean(&t->size);

		s->wmax = (unsigned)MAX(1.0, floor(t->window_bytes / seg));
		s->heap = g_new(struct conn_ev, (size_t)t->flows * s->wmax);
		s->requests = g_new0(uint32_t, t->flows);
		s->tcp = g_new0(struct tcp_conn, t->flows);
		/* each connection sends its first window at once, connections
		 * spread over the first microsecond */
		for (unsigned c = 0; c < t->flows; c++) {
			struct tcp_conn *k = &s->tcp[c];

			k->cwnd = t->congestion == TCP_FIXED ? s->wmax : MIN(t->init_window, s->wmax);
			k->ssthresh = s->wmax;
			for (k->inflight = 0; k->inflight < (unsigned)k->cwnd; k->inflight++)
				heap_push(s, t->start + 1e-6 * c / t->flows, c);
		}
		s->next = s->heap[0].t;
		return s;
	}
	if (closed_loop(s)) {
		s->heap = g_new(struct conn_ev, t->concurrency);
		s->requests = g_new0(uint32_t, t->concurrency);
		/* connections start spread over the first microsecond, in order */
		for (unsigned c = 0; c < t->concurrency; c++)
			heap_push(s, t->start + 1e-6 * c / t->concurrency, c);
		s->next = s->heap[0].t;
		return s;
	}
	if (t->rate.kind == UNIT_PKTRATE)
		s->rate = t->rate.value;
	else if (t->rate.kind == UNIT_BITRATE)
		s->rate = t->rate.value / (8.0 * dist_mean(&t->size));
	else
		s->rate = t->rate.value * capacity_pps;
	if (!(s->rate > 0) || !isfinite(s->rate)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "[%s] rate: comes to %g packets/s, expected a positive rate", t->name,
			    s->rate);
		source_free(s);
		return NULL;
	}
	if (t->pattern == PAT_ONOFF && !(dist_mean(&t->on) > 0)) {
		/* bursts of no length would be skipped for ever */
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "[%s] on: expected bursts longer than 0s", t->name);
		source_free(s);
		return NULL;
	}
	s->next = t->start + (t->pattern == PAT_CONSTANT ? 0 : gap(s));
	if (t->pattern == PAT_ONOFF) {
		s->on_until = t->start + dist_sample(&t->on, &s->r_time);
		onoff_skip(s);
	}
	if (s->next >= s->stop)
		s->next = INFINITY;
	return s;
}

void source_free(struct source *s)
{
	if (!s)
		return;
	trace_close(s->trace);
	g_free(s->flow_of);
	g_free(s->flow_left);
	g_free(s->heap);
	g_free(s->requests);
	g_free(s->tcp);
	g_free(s);
}

double source_peek(const struct source *s)
{
	if (closed_loop(s))
		return s->nheap && s->heap[0].t < s->stop ? s->heap[0].t : INFINITY;
	return s->next;
}

/* Packets in a new flow: a flow_size draw rounded to whole packets, at
 * least one (a draw below one packet is a flow of one packet, not an
 * endless one); INFINITY when flow_size is 0: flows never end. */
static double flow_packets(struct source *s)
{
	const struct dist *d = &s->spec->flow_size;

	if (d->kind == DIST_CONSTANT && d->a == 0)
		return INFINITY;
	double n = round(dist_sample(d, &s->r_flow));

	return MAX(1.0, n);
}

/* Pick the flow of the next packet: a random active slot; a slot whose flow
 * has sent all its packets starts a new flow. */
static uint32_t next_flow(struct source *s, uint16_t *flags)
{
	const struct traffic_spec *t = s->spec;
	unsigned slot = s->slot;

	if (s->train_left == 0) {
		slot = t->flows > 1 ? (unsigned)rng_below(&s->r_flow, t->flows) : 0;
		s->slot = slot;
		s->train_left = t->train;
	}
	s->train_left--;

	if (s->flow_left[slot] < 0) {
		s->flow_left[slot] = flow_packets(s);
		*flags |= PKT_FIRST;
	} else if (--s->flow_left[slot] < 1) {
		/* the flow is done: a new one takes the slot */
		s->flow_of[slot] = s->next_flow++ % SOURCE_FLOW_SPAN;
		s->flow_left[slot] = flow_packets(s);
		*flags |= PKT_FIRST;
	}
	return s->index * SOURCE_FLOW_SPAN + s->flow_of[slot];
}

void source_next(struct source *s, struct pkt *p)
{
	uint16_t flags = 0;

	p->conn = 0;
	if (s->trace) {
		p->seq = s->count++;
		p->born = s->next;
		p->size = clamp_size(s->rec.size, s->max_size);
		p->flow = s->index * SOURCE_FLOW_SPAN + s->rec.flow % SOURCE_FLOW_SPAN;
		if (s->rec.first)
			flags |= PKT_FIRST;
		advance(s);
	} else if (closed_loop(s)) {
		struct conn_ev ev = heap_pop(s);
		struct rng r;

		/* a request's number and size depend on its connection and its
		 * place there, not on the order responses came back in */
		p->seq = (uint64_t)ev.conn << 32 | s->requests[ev.conn];
		p->born = ev.t;
		p->conn = ev.conn;
		rng_key(&r, rng_hash(s->key, p->seq));
		p->size = clamp_size(dist_sample(&s->spec->size, &r), s->max_size);
		/* one flow per connection, opened by its first request */
		p->flow = s->index * SOURCE_FLOW_SPAN + ev.conn % SOURCE_FLOW_SPAN;
		if (!s->requests[ev.conn]++)
			flags |= PKT_FIRST;
	} else {
		p->seq = s->count++;
		p->born = s->next;
		p->size = clamp_size(dist_sample(&s->spec->size, &s->r_size), s->max_size);
		p->flow = next_flow(s, &flags);
		advance(s);
	}
	if (flags & PKT_FIRST && s->spec->syn)
		flags |= PKT_SYN;
	p->key = rng_hash(s->key, p->seq);
	p->t = p->born;
	p->t0 = p->born;
	p->flags = flags;
	p->source = s->index;
}

/* Tags that keep a packet's own draws apart. */
enum { DRAW_RESPONSE = 1, DRAW_THINK = 2 };

uint32_t source_response_size(const struct source *s, const struct pkt *request)
{
	struct rng r;

	rng_key(&r, rng_hash(request->key, DRAW_RESPONSE));
	return clamp_size(dist_sample(&s->spec->response_size, &r), s->max_size);
}

/* A segment of connection c came back ACKed (delivered) or was lost at
 * t: move the window, and send what it lets go. */
static void tcp_on_done(struct source *s, const struct pkt *p, double t, bool delivered)
{
	struct tcp_conn *k = &s->tcp[p->conn];
	const uint32_t segment = (uint32_t)p->seq;

	k->inflight--;
	if (s->spec->congestion == TCP_RENO) {
		if (delivered) {
			k->cwnd += k->cwnd < k->ssthresh ? 1 : 1 / k->cwnd;
			k->cwnd = MIN(k->cwnd, s->wmax);
		} else if (segment >= k->recover) {
			k->ssthresh = MAX(k->cwnd / 2, 2.0);
			k->cwnd = k->ssthresh;
			k->recover = s->requests[p->conn];
		}
	}
	/* the lost segment goes again as the window's next */
	while (k->inflight < (unsigned)(k->cwnd + 1e-9)) {
		heap_push(s, t, p->conn);
		k->inflight++;
	}
}

double source_tcp_window(const struct source *s, unsigned conn)
{
	return s->tcp && conn < s->spec->flows ? s->tcp[conn].cwnd : 0;
}

bool source_data_in_requests(const struct source *s)
{
	return s->spec->pattern == PAT_TCP;
}

void source_on_done(struct source *s, const struct pkt *p, double t, bool delivered)
{
	if (s->tcp) {
		tcp_on_done(s, p, t, delivered);
		return;
	}
	if (!closed_loop(s))
		return;
	struct rng r;

	rng_key(&r, rng_hash(p->key, DRAW_THINK));
	double wait = delivered ? dist_sample(&s->spec->think, &r) : s->spec->rto_s;

	heap_push(s, t + wait, p->conn);
}

double source_rate_pps(const struct source *s)
{
	return s->rate;
}

double source_feedback_min(const struct source *s)
{
	return closed_loop(s) ? dist_min(&s->spec->think) : INFINITY;
}
