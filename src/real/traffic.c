/* traffic.c: socket options and the receive wait shared by the ping-pong
 * and the flood (see traffic.h). */
#define _GNU_SOURCE
#include "real/traffic.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "core/msg.h"
#include "real/cpu.h"

bool traffic_socket_setup(int fd, const struct traffic_opts *o, int timeout_ms,
			  GError **error)
{
	struct timeval tv = { .tv_sec = timeout_ms / 1000,
			      .tv_usec = (timeout_ms % 1000) * 1000 };
	int bp = o->busy_poll_us;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    (bp > 0 && setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &bp, sizeof(bp)) != 0)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot set %s on UDP socket: %s",
			    bp > 0 ? "SO_BUSY_POLL or SO_RCVTIMEO" : "SO_RCVTIMEO",
			    g_strerror(errno));
		return false;
	}
	return true;
}

int traffic_recv(int fd, struct mmsghdr *msgs, unsigned int n, const struct traffic_opts *o,
		 int64_t until_ns)
{
	bool shared = o->client_cpu >= 0 && o->client_cpu == o->server_cpu;
	unsigned int polls = 0;
	int r;

	if (o->busy_poll_us <= 0) {
		r = recvmmsg(fd, msgs, n, MSG_WAITFORONE, NULL);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return 0;
		return r;
	}
	for (;;) {
		r = recvmmsg(fd, msgs, n, MSG_DONTWAIT, NULL);
		if (r > 0)
			return r;
		if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (shared)
			sched_yield();
		if (++polls % 64 == 0 &&
		    ((o->stop && *o->stop) || cpu_now_ns() >= until_ns))
			return 0;
	}
}

bool traffic_thread_start(pthread_t *th, void *(*fn)(void *), void *arg, GError **error)
{
	sigset_t all, old;
	int e;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(th, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot start server thread: %s", g_strerror(e));
		return false;
	}
	return true;
}
