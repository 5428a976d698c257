/* cpu.c: core pinning and CPU time accounting for real mode (see cpu.h). */
#define _GNU_SOURCE
#include "real/cpu.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/msg.h"

bool cpu_snapshot_take(struct cpu_snapshot *s, GError **error)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	double tick = (double)sysconf(_SC_CLK_TCK);
	GError *err = NULL;

	memset(s, 0, sizeof(*s));
	if (!g_file_get_contents("/proc/stat", &text, NULL, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot read /proc/stat: %s", err->message);
		g_error_free(err);
		return false;
	}
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		unsigned long long v[8] = { 0 };
		int cpu;

		/* cpuN user nice system idle iowait irq softirq steal ... */
		if (sscanf(*l, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9)
			continue;
		if (cpu < 0 || cpu >= CPU_MAX)
			continue;
		s->busy_s[cpu] = (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / tick;
		s->softirq_s[cpu] = (double)v[6] / tick;
		if (cpu + 1 > s->ncpu)
			s->ncpu = cpu + 1;
	}
	if (!s->ncpu) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "/proc/stat: expected per-core 'cpuN' lines, found none");
		return false;
	}
	return true;
}

void cpu_snapshot_delta(const struct cpu_snapshot *a, const struct cpu_snapshot *b,
			uint64_t mask, double *busy_s, double *softirq_s)
{
	double busy = 0, soft = 0;

	for (int c = 0; c < b->ncpu && c < CPU_MAX; c++) {
		if (mask && (c >= 64 || !(mask & (UINT64_C(1) << c))))
			continue;
		busy += b->busy_s[c] - a->busy_s[c];
		soft += b->softirq_s[c] - a->softirq_s[c];
	}
	*busy_s = busy;
	*softirq_s = soft;
}

double cpu_thread_seconds(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* pids of ksoftirqd/N, by core; found once */
static pid_t softirqd_pid[CPU_MAX];
static GOnce softirqd_once = G_ONCE_INIT;

static gpointer find_softirqd(gpointer unused)
{
	GDir *d = g_dir_open("/proc", 0, NULL);
	const char *e;

	while (d && (e = g_dir_read_name(d))) {
		g_autofree char *path = NULL, *comm = NULL;
		int cpu;

		if (!g_ascii_isdigit(e[0]))
			continue;
		path = g_strdup_printf("/proc/%s/comm", e);
		if (g_file_get_contents(path, &comm, NULL, NULL) &&
		    sscanf(comm, "ksoftirqd/%d", &cpu) == 1 && cpu >= 0 && cpu < CPU_MAX)
			softirqd_pid[cpu] = (pid_t)atol(e);
	}
	if (d)
		g_dir_close(d);
	return NULL;
}

double cpu_softirqd_seconds(uint64_t mask)
{
	double s = 0;

	g_once(&softirqd_once, find_softirqd, NULL);
	for (int c = 0; c < CPU_MAX; c++) {
		g_autofree char *path = NULL, *text = NULL;
		unsigned long long ns;

		if (!softirqd_pid[c] || (mask && (c >= 64 || !(mask & (UINT64_C(1) << c)))))
			continue;
		path = g_strdup_printf("/proc/%ld/schedstat", (long)softirqd_pid[c]);
		if (g_file_get_contents(path, &text, NULL, NULL) && sscanf(text, "%llu", &ns) == 1)
			s += (double)ns / 1e9;
	}
	return s;
}

int64_t cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool cpu_pin_self(int cpu, GError **error)
{
	cpu_set_t set;
	int e;

	if (cpu < 0)
		return true;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	e = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (e) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot pin thread to cpu %d: %s", cpu, g_strerror(e));
		return false;
	}
	return true;
}

bool cpu_pick(int want_cpu, bool separate, int *client, int *server, GError **error)
{
	cpu_set_t set;
	int hi = -1, lo = -1;

	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot read cpu affinity: %s", g_strerror(errno));
		return false;
	}
	if (want_cpu >= 0) {
		if (want_cpu >= CPU_SETSIZE || !CPU_ISSET(want_cpu, &set)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--cpu: expected a core this process may run on "
				    "(0..%d), got '%d'", CPU_COUNT(&set) - 1, want_cpu);
			return false;
		}
		hi = want_cpu;
	} else {
		for (int c = CPU_SETSIZE - 1; c >= 0 && hi < 0; c--)
			if (CPU_ISSET(c, &set))
				hi = c;
	}
	for (int c = CPU_SETSIZE - 1; c >= 0 && lo < 0; c--)
		if (c != hi && CPU_ISSET(c, &set))
			lo = c;
	if (separate && lo < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "--separate-cores: expected at least two usable cores, found one");
		return false;
	}
	*client = hi;
	*server = separate ? lo : hi;
	return true;
}

double cpu_hz(void)
{
	g_autofree char *text = NULL;
	const char *p;
	double mhz;

	if (!g_file_get_contents("/proc/cpuinfo", &text, NULL, NULL))
		return 0;
	p = strstr(text, "cpu MHz");
	if (!p || !(p = strchr(p, ':')) || sscanf(p + 1, "%lf", &mhz) != 1)
		return 0;
	return mhz * 1e6;
}
