/* flood.c: the sendmmsg/recvmmsg flood (see flood.h). */
#define _GNU_SOURCE
#include "real/flood.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>

#include "core/msg.h"
#include "real/cpu.h"

#define FLOOD_QUIET_MS 20
#define FLOOD_MAX_SIZE 1472

struct fl_server {
	int fd;
	const struct traffic_opts *o;
	atomic_int done;	/* the client has stopped sending */
	uint64_t received, bytes;
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
		s->last_ns = cpu_now_ns();
		s->received += (uint64_t)r;
		for (int i = 0; i < r; i++)
			s->bytes += m[i].msg_len;
	}
	s->cpu_s = cpu_thread_seconds() - cpu0;
	return NULL;
}

static uint64_t core_mask(const struct traffic_opts *o)
{
	uint64_t mask = 0;

	if (o->client_cpu >= 0 && o->client_cpu < 64)
		mask |= UINT64_C(1) << o->client_cpu;
	if (o->server_cpu >= 0 && o->server_cpu < 64)
		mask |= UINT64_C(1) << o->server_cpu;
	return mask;
}

bool flood_run(int client_fd, int server_fd, const struct traffic_opts *o,
	       double duration_s, uint64_t count, int batch, struct flood_stats *st,
	       GError **error)
{
	struct fl_server *srv = g_new0(struct fl_server, 1);
	size_t size = CLAMP(o->size, 1, FLOOD_MAX_SIZE);
	g_autofree char *payload = g_malloc0(size);
	struct iovec iov = { payload, size };
	struct mmsghdr m[FLOOD_MAX_BATCH];
	struct cpu_snapshot *c0 = g_new(struct cpu_snapshot, 1);
	struct cpu_snapshot *c1 = g_new(struct cpu_snapshot, 1);
	int64_t start, end, last = 0;
	bool have_cpu;
	double cpu0;
	pthread_t th;
	int err = 0;

	batch = CLAMP(batch, 1, FLOOD_MAX_BATCH);
	for (int i = 0; i < batch; i++)
		m[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov, .msg_iovlen = 1 } };
	srv->fd = server_fd;
	srv->o = o;
	if (!traffic_socket_setup(server_fd, o, FLOOD_QUIET_MS, error) ||
	    !traffic_thread_start(&th, fl_server_main, srv, error)) {
		g_free(srv);
		g_free(c0);
		g_free(c1);
		return false;
	}

	have_cpu = cpu_snapshot_take(c0, NULL);
	cpu0 = cpu_thread_seconds();
	start = cpu_now_ns();
	end = start + (int64_t)(duration_s * 1e9);
	if (end > o->deadline_ns)
		end = o->deadline_ns;
	while (st->sent < count && !(o->stop && *o->stop)) {
		unsigned int n = (unsigned int)MIN((uint64_t)batch, count - st->sent);
		int r;

		last = cpu_now_ns();
		if (last >= end)
			break;
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
	st->send_s = (double)(last - start) / 1e9;
	st->client_cpu_s = cpu_thread_seconds() - cpu0;
	atomic_store(&srv->done, 1);
	pthread_join(th, NULL);
	if (have_cpu && cpu_snapshot_take(c1, NULL))
		cpu_snapshot_delta(c0, c1, core_mask(o), &st->cores_busy_s,
				   &st->cores_softirq_s);

	st->received = srv->received;
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
