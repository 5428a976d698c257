/* pingpong.c: the UDP ping-pong (see pingpong.h).  The server echoes every
 * message to its sender until it gets a STOP message or the run's bounds
 * end it; it runs on a thread of its own, pinned as the options say. */
#define _GNU_SOURCE
#include "real/pingpong.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>

#include "core/msg.h"
#include "real/cpu.h"

#define PP_MAGIC 0x61636373u	/* "accs" */
#define PP_DATA 1u
#define PP_STOP 2u
#define PP_TIMEOUT_MS 100	/* a reply later than this is lost */

struct pp_msg {
	uint32_t magic;
	uint32_t kind;
	uint32_t run;		/* which pingpong_run: a late message of another is ignored */
	uint32_t pad;
	uint64_t seq;
	int64_t sent_ns;
};

struct pp_server {
	int fd;
	const struct traffic_opts *o;
	uint32_t run;
	uint64_t warmup;
	struct stats_hist *oneway;
	atomic_int done;	/* the client has finished */
	double cpu_s;
	int err;		/* errno of a failed send or receive, 0 if none */
	char buf[PINGPONG_MAX_SIZE];
};

static void *pp_server_main(void *arg)
{
	struct pp_server *s = arg;
	const struct traffic_opts *o = s->o;
	double cpu0;

	cpu_pin_self(o->server_cpu, NULL);
	cpu0 = cpu_thread_seconds();
	for (;;) {
		struct sockaddr_storage from;
		struct iovec iov = { s->buf, sizeof(s->buf) };
		struct mmsghdr m = { .msg_hdr = { .msg_name = &from,
						  .msg_namelen = sizeof(from),
						  .msg_iov = &iov, .msg_iovlen = 1 } };
		int64_t now;
		int r;

		if ((o->stop && *o->stop) || cpu_now_ns() >= o->deadline_ns)
			break;
		r = traffic_recv(s->fd, &m, 1, o, cpu_now_ns() + PP_TIMEOUT_MS * 1000000LL);
		if (r < 0) {
			s->err = errno;
			break;
		}
		/* the client's STOP ends the run; done covers a STOP lost */
		if (r == 0) {
			if (atomic_load(&s->done))
				break;
			continue;
		}
		now = cpu_now_ns();

		struct pp_msg msg;
		if (m.msg_len < sizeof(msg))
			continue;
		memcpy(&msg, s->buf, sizeof(msg));
		if (msg.magic != PP_MAGIC || msg.run != s->run)
			continue;
		if (msg.kind == PP_STOP)
			break;
		if (msg.seq >= s->warmup)
			stats_hist_record(s->oneway, now - msg.sent_ns);
		if (sendto(s->fd, s->buf, m.msg_len, 0, (struct sockaddr *)&from,
			   m.msg_hdr.msg_namelen) < 0 && errno != EINTR) {
			s->err = errno;
			break;
		}
	}
	s->cpu_s = cpu_thread_seconds() - cpu0;
	return NULL;
}

/* Wait for the echo of seq; 1 got it, 0 lost or stopped, -1 error. */
static int pp_wait_reply(int fd, const struct traffic_opts *o, uint32_t run, uint64_t seq,
			 char *buf)
{
	int64_t until = cpu_now_ns() + PP_TIMEOUT_MS * 1000000LL;

	if (until > o->deadline_ns)
		until = o->deadline_ns;
	for (;;) {
		struct iovec iov = { buf, PINGPONG_MAX_SIZE };
		struct mmsghdr m = { .msg_hdr = { .msg_iov = &iov, .msg_iovlen = 1 } };
		struct pp_msg reply;
		int r = traffic_recv(fd, &m, 1, o, until);

		if (r <= 0)
			return r;
		if (m.msg_len < sizeof(reply))
			continue;
		memcpy(&reply, buf, sizeof(reply));
		if (reply.magic == PP_MAGIC && reply.run == run && reply.seq == seq)
			return 1;
		/* a late echo of a message already counted lost, or of another run */
		if (cpu_now_ns() >= until || (o->stop && *o->stop))
			return 0;
	}
}

bool pingpong_run(int client_fd, int server_fd, const struct traffic_opts *o,
		  uint64_t warmup, uint64_t count, struct path_result *p,
		  struct pingpong_stats *st, GError **error)
{
	struct pp_server *srv = g_new0(struct pp_server, 1);
	g_autofree char *buf = g_malloc0(PINGPONG_MAX_SIZE);
	static atomic_uint runs;
	struct pp_msg msg = { .magic = PP_MAGIC, .kind = PP_DATA,
			      .run = atomic_fetch_add(&runs, 1) + 1 };
	size_t size = CLAMP(o->size, PINGPONG_MIN_SIZE, PINGPONG_MAX_SIZE);
	int64_t first_ns = 0, last_ns = 0;
	double cpu0;
	pthread_t th;
	int err = 0;

	g_assert(st->oneway);
	srv->fd = server_fd;
	srv->o = o;
	srv->run = msg.run;
	srv->warmup = warmup;
	srv->oneway = st->oneway;
	if (!traffic_socket_setup(client_fd, o, PP_TIMEOUT_MS, error) ||
	    !traffic_socket_setup(server_fd, o, PP_TIMEOUT_MS, error) ||
	    !traffic_thread_start(&th, pp_server_main, srv, error)) {
		g_free(srv);
		return false;
	}
	cpu0 = cpu_thread_seconds();

	for (uint64_t seq = 0; seq < warmup + count; seq++) {
		int64_t t0, t1;
		int r;

		if ((o->stop && *o->stop) || cpu_now_ns() >= o->deadline_ns)
			break;
		msg.seq = seq;
		t0 = cpu_now_ns();
		msg.sent_ns = t0;
		memcpy(buf, &msg, sizeof(msg));
		if (send(client_fd, buf, size, 0) < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		st->sent++;
		r = pp_wait_reply(client_fd, o, msg.run, seq, buf);
		t1 = cpu_now_ns();
		if (r < 0) {
			err = errno;
			break;
		}
		if (r == 0) {
			if (!(o->stop && *o->stop) && t1 < o->deadline_ns)
				st->lost++;
			continue;
		}
		if (seq < warmup)
			continue;
		if (!first_ns)
			first_ns = t0;
		last_ns = t1;
		st->measured++;
		path_result_record_latency(p, (double)(t1 - t0) / 1e9);
	}

	st->client_cpu_s += cpu_thread_seconds() - cpu0;
	st->wall_s += (double)(last_ns - first_ns) / 1e9;
	atomic_store(&srv->done, 1);
	msg.kind = PP_STOP;
	memcpy(buf, &msg, sizeof(msg));
	send(client_fd, buf, size, 0);
	pthread_join(th, NULL);
	st->server_cpu_s += srv->cpu_s;
	if (!err)
		err = srv->err;
	g_free(srv);
	if (err) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "ping-pong: UDP send or receive failed: %s", g_strerror(err));
		return false;
	}
	return true;
}
