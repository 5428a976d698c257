/* flood.c: the sendmmsg/recvmmsg stream, paced, windowed or unbounded (see
 * flood.h). */
#define _GNU_SOURCE
#include "real/flood.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/msg.h"
#include "real/cpu.h"

#define FLOOD_QUIET_MS 20
#define FLOOD_MAX_SIZE 1472
#define FLOOD_MAGIC 0x666c6f64u	/* "flod" */
/* A windowed sender that sees no progress for this long writes the
 * window off as lost (a drop the receiver will never report) and goes on. */
#define FLOOD_STALL_NS (20 * 1000000LL)
/* A windowed sender blocks for at most this long at a time. */
#define FLOOD_WAIT_NS (2 * 1000000LL)

struct fl_msg {
	uint32_t magic;
	uint32_t run;		/* which flood_run: stragglers of another are ignored */
	uint64_t seq;
	int64_t sent_ns;
};

struct fl_server {
	int fd;
	const struct traffic_opts *o;
	uint32_t run;
	struct path_result *latency;
	atomic_int done;		/* the client has stopped sending */
	atomic_uint_fast64_t received;	/* read by a windowed client */
	/* Bumped after every batch received; a windowed client that must wait
	 * sleeps on it (futex) instead of spinning, so CPU per packet counts
	 * the path's work, not the waiting. */
	_Atomic uint32_t progress;
	atomic_int waiting;		/* the client sleeps on progress */
	uint64_t bytes;
	int64_t last_ns;
	double cpu_s;
	int err;
};

static void *fl_server_main(void *arg)
{
	struct fl_server *s = arg;
	const struct traffic_opts *o = s->o;
	g_autofree char *bufs = g_malloc(FLOOD_MAX_BATCH * (size_t)FLOOD_MAX_SIZE);
	struct iovec iov[FLOOD_MAX_BATCH];
	struct mmsghdr m[FLOOD_MAX_BATCH];
	uint64_t received = 0;
	double cpu0;

	cpu_pin_self(o->server_cpu, NULL);
	cpu0 = cpu_thread_seconds();
	for (;;) {
		int64_t now = cpu_now_ns();
		int r;

		for (int i = 0; i < FLOOD_MAX_BATCH; i++) {
			iov[i] = (struct iovec){ bufs + (size_t)i * FLOOD_MAX_SIZE,
						 FLOOD_MAX_SIZE };
			m[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i],
							      .msg_iovlen = 1 } };
		}
		r = traffic_recv(s->fd, m, FLOOD_MAX_BATCH, o,
				 now + FLOOD_QUIET_MS * 1000000LL);
		if (r < 0) {
			s->err = errno;
			break;
		}
		if (r == 0) {
			/* quiet: done once the client is, or when bounds say so */
			if (atomic_load(&s->done) || (o->stop && *o->stop) ||
			    cpu_now_ns() >= o->deadline_ns)
				break;
			continue;
		}
		now = cpu_now_ns();
		for (int i = 0; i < r; i++) {
			struct fl_msg msg;

			if (m[i].msg_len < sizeof(msg))
				continue;
			memcpy(&msg, iov[i].iov_base, sizeof(msg));
			if (msg.magic != FLOOD_MAGIC || msg.run != s->run)
				continue;
			received++;
			s->bytes += m[i].msg_len;
			if (s->latency)
				path_result_record_latency(s->latency,
							   (double)(now - msg.sent_ns) / 1e9);
		}
		s->last_ns = now;
		atomic_store(&s->received, received);
		atomic_fetch_add(&s->progress, 1);
		if (atomic_load(&s->waiting))
			syscall(SYS_futex, &s->progress, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	atomic_fetch_add(&s->progress, 1);
	syscall(SYS_futex, &s->progress, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	s->cpu_s = cpu_thread_seconds() - cpu0;
	return NULL;
}

uint64_t flood_core_mask(const struct traffic_opts *o)
{
	uint64_t mask = 0;

	if (o->client_cpu >= 0 && o->client_cpu < 64)
		mask |= UINT64_C(1) << o->client_cpu;
	if (o->server_cpu >= 0 && o->server_cpu < 64)
		mask |= UINT64_C(1) << o->server_cpu;
	return mask;
}

static bool stopped(const struct traffic_opts *o)
{
	return o->stop && *o->stop;
}

/* Paced: sleep until the batch's departure time.  No spinning: it would
 * be counted as the path's CPU (and steal a shared core from the
 * receiver); with the timer slack at 1 ns the wake-up is a few
 * microseconds late at most, and the next batch's time does not move. */
static void pace_until(int64_t when)
{
	struct timespec ts = { .tv_sec = when / 1000000000, .tv_nsec = when % 1000000000 };

	if (when > cpu_now_ns())
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
}

/* Windowed: sleep until fewer than window packets are in flight; after
 * FLOOD_STALL_NS without progress, write them off. */
static void wait_window(struct fl_server *srv, struct flood_stats *st, int window,
			const struct traffic_opts *o)
{
	uint64_t seen = atomic_load(&srv->received);
	int64_t since = cpu_now_ns();

	while (st->sent - st->written_off - atomic_load(&srv->received) >= (uint64_t)window) {
		uint32_t gen = atomic_load(&srv->progress);
		uint64_t now_seen = atomic_load(&srv->received);
		int64_t now = cpu_now_ns();
		struct timespec ts = { 0, FLOOD_WAIT_NS };

		if (stopped(o) || now >= o->deadline_ns)
			return;
		if (now_seen != seen) {
			seen = now_seen;
			since = now;
		} else if (now - since > FLOOD_STALL_NS) {
			st->written_off = st->sent - now_seen;
			return;
		}
		atomic_store(&srv->waiting, 1);
		if (st->sent - st->written_off - atomic_load(&srv->received) >= (uint64_t)window)
			syscall(SYS_futex, &srv->progress, FUTEX_WAIT_PRIVATE, gen, &ts, NULL, 0);
		atomic_store(&srv->waiting, 0);
	}
}

bool flood_run(int client_fd, int server_fd, const struct traffic_opts *o,
	       const struct flood_opts *fo, struct flood_stats *st, GError **error)
{
	static atomic_uint runs;
	struct fl_server *srv = g_new0(struct fl_server, 1);
	size_t size = CLAMP(o->size, FLOOD_MIN_SIZE, FLOOD_MAX_SIZE);
	int batch = CLAMP(fo->batch, 1, FLOOD_MAX_BATCH);
	g_autofree char *payload = g_malloc0((size_t)batch * size);
	struct iovec iov[FLOOD_MAX_BATCH];
	struct mmsghdr m[FLOOD_MAX_BATCH];
	struct cpu_snapshot *c0 = g_new(struct cpu_snapshot, 1);
	struct cpu_snapshot *c1 = g_new(struct cpu_snapshot, 1);
	uint64_t mask = flood_core_mask(o);
	struct fl_msg msg = { .magic = FLOOD_MAGIC, .run = atomic_fetch_add(&runs, 1) + 1 };
	int64_t start, end, last = 0;
	double cpu0, softirqd0;
	int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	bool have_cpu;
	pthread_t th;
	int err = 0;

	for (int i = 0; i < batch; i++) {
		iov[i] = (struct iovec){ payload + (size_t)i * size, size };
		m[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	srv->fd = server_fd;
	srv->o = o;
	srv->run = msg.run;
	srv->latency = fo->latency;
	if (!traffic_socket_setup(server_fd, o, FLOOD_QUIET_MS, error) ||
	    !traffic_thread_start(&th, fl_server_main, srv, error)) {
		g_free(srv);
		g_free(c0);
		g_free(c1);
		return false;
	}
	/* the default 50 us timer slack would blur the pacing */
	if (fo->rate_pps > 0)
		prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);

	have_cpu = cpu_snapshot_take(c0, NULL);
	softirqd0 = cpu_softirqd_seconds(mask);
	cpu0 = cpu_thread_seconds();
	start = cpu_now_ns();
	end = start + (int64_t)(fo->duration_s * 1e9);
	if (end > o->deadline_ns)
		end = o->deadline_ns;
	for (uint64_t k = 0; st->sent < fo->count && !stopped(o); k++) {
		unsigned int n = (unsigned int)MIN((uint64_t)batch, fo->count - st->sent);
		int r;

		if (fo->rate_pps > 0)
			pace_until(start + (int64_t)((double)k * batch * 1e9 / fo->rate_pps));
		else if (fo->window > 0)
			wait_window(srv, st, fo->window, o);
		last = cpu_now_ns();
		if (last >= end || stopped(o)) {
			st->cut = stopped(o) || last >= o->deadline_ns;
			break;
		}
		msg.sent_ns = last;
		for (unsigned int i = 0; i < n; i++) {
			msg.seq = st->sent + i;
			memcpy(iov[i].iov_base, &msg, sizeof(msg));
		}
		r = sendmmsg(client_fd, m, n, 0);
		if (r < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			err = errno;
			break;
		}
		st->sent += (uint64_t)r;
		st->sent_bytes += (uint64_t)r * size;
	}
	if (stopped(o))
		st->cut = true;
	st->send_s = (double)(last - start) / 1e9;
	st->client_cpu_s = cpu_thread_seconds() - cpu0;
	if (fo->rate_pps > 0)
		prctl(PR_SET_TIMERSLACK, slack > 0 ? slack : 0, 0, 0, 0);
	atomic_store(&srv->done, 1);
	pthread_join(th, NULL);
	st->softirqd_cpu_s = cpu_softirqd_seconds(mask) - softirqd0;
	if (have_cpu && cpu_snapshot_take(c1, NULL))
		cpu_snapshot_delta(c0, c1, mask, &st->cores_busy_s, &st->cores_softirq_s);

	st->received = atomic_load(&srv->received);
	st->received_bytes = srv->bytes;
	st->recv_s = srv->last_ns > start ? (double)(srv->last_ns - start) / 1e9 : 0;
	st->server_cpu_s = srv->cpu_s;
	if (!err)
		err = srv->err;
	g_free(srv);
	g_free(c0);
	g_free(c1);
	if (err) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "flood: UDP send or receive failed: %s", g_strerror(err));
		return false;
	}
	return true;
}
