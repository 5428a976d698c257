/* cpu.h: where the measuring threads run and what CPU they cost.
 *
 * Pinning: a ping-pong's two threads on one core is the default, because on
 * a small VM waking a peer on another core costs about 20 us one-way and
 * swamps a path difference of 1-3 us; separate cores on request.
 *
 * CPU cost comes from two sources: getrusage(RUSAGE_THREAD) for the client
 * and server threads (user + system time, which includes packet processing
 * the kernel does in their context), and /proc/stat for the cores involved
 * (the softirq column is where veth, bridge and nftables work is charged
 * when it runs outside a thread's system call).  Both are tick-sampled on
 * kernels without IRQ time accounting: at HZ=250 one tick is 4 ms, so runs
 * shorter than a second give coarse figures.
 */
#ifndef ACCELSIM_REAL_CPU_H
#define ACCELSIM_REAL_CPU_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define CPU_MAX 1024

/* Cumulative /proc/stat times, in seconds, per core. */
struct cpu_snapshot {
	int ncpu;		/* cores listed in /proc/stat */
	double busy_s[CPU_MAX];	/* user+nice+system+irq+softirq+steal */
	double softirq_s[CPU_MAX];
};

bool cpu_snapshot_take(struct cpu_snapshot *s, GError **error);

/* b - a over the cores in mask (all cores when mask is 0), busy and softirq. */
void cpu_snapshot_delta(const struct cpu_snapshot *a, const struct cpu_snapshot *b,
			uint64_t mask, double *busy_s, double *softirq_s);

/* This thread's CPU time so far (CLOCK_THREAD_CPUTIME_ID: the scheduler's
 * exact runtime, not tick-sampled), seconds.  It includes softirq work the
 * kernel does at the end of this thread's own system calls. */
double cpu_thread_seconds(void);

/* CPU time so far of the ksoftirqd threads of the cores in mask (all cores
 * when mask is 0), from /proc/PID/schedstat (exact runtime), seconds: the
 * softirq work deferred out of other threads' system calls.  0 where
 * schedstat is missing. */
double cpu_softirqd_seconds(uint64_t mask);

/* CLOCK_MONOTONIC, ns. */
int64_t cpu_now_ns(void);

/* Pin the calling thread to core cpu (no-op for cpu < 0). */
bool cpu_pin_self(int cpu, GError **error);

/* Choose cores from this process's affinity mask: the highest allowed core
 * for the client (away from core 0, where most devices interrupt), and for
 * the server the same one, or with separate, the next lower allowed core.
 * ACCELSIM_ERROR_UNSUPPORTED when separate cores are asked for and only one
 * is allowed.  want_cpu >= 0 picks the client's core instead (it must be
 * allowed: ACCELSIM_ERROR_INPUT otherwise). */
bool cpu_pick(int want_cpu, bool separate, int *client, int *server, GError **error);

/* Nominal core clock from /proc/cpuinfo ("cpu MHz"), Hz; 0 when unknown. */
double cpu_hz(void);

#endif
