/* traffic.h: what the ping-pong and the flood share: where their threads
 * run, how they wait for a datagram, and the bounds on a run.
 *
 * Busy polling, when asked for, is done twice over as latency tools do: the
 * kernel's SO_BUSY_POLL on each socket, and a user-space spin on
 * non-blocking receives instead of sleeping in recv(); when client and
 * server share a core the spin yields the core on every empty poll, or the
 * peer it waits for could not run.
 *
 * The calling thread is the client: pin it to client_cpu before a run.
 */
#ifndef ACCELSIM_REAL_TRAFFIC_H
#define ACCELSIM_REAL_TRAFFIC_H

#include <glib.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmsghdr;

struct traffic_opts {
	int client_cpu, server_cpu;	/* -1: not pinned */
	int busy_poll_us;		/* 0: blocking receive */
	size_t size;			/* UDP payload, bytes */
	int64_t deadline_ns;		/* CLOCK_MONOTONIC bound on the whole run */
	volatile const sig_atomic_t *stop; /* set by a signal handler */
};

/* Set SO_BUSY_POLL (when o->busy_poll_us > 0) and a receive timeout of
 * timeout_ms on fd. */
bool traffic_socket_setup(int fd, const struct traffic_opts *o, int timeout_ms,
			  GError **error);

/* Wait for a datagram as o asks: a blocking recv, or with busy polling a
 * spin on non-blocking recv (yielding the core when the peer shares it).
 * Returns recvmmsg's result: > 0 messages, 0 on timeout/deadline, -1 on error. */
int traffic_recv(int fd, struct mmsghdr *msgs, unsigned int n, const struct traffic_opts *o,
		 int64_t until_ns);

/* Start fn(arg) on a new thread that blocks every signal, so SIGINT and
 * SIGTERM reach the main thread, whose loops check the stop flag. */
bool traffic_thread_start(pthread_t *th, void *(*fn)(void *), void *arg, GError **error);

#endif
