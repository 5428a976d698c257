/* measure.c: one real-mode measurement, from building the paths to the
 * filled run_result (see real.h).
 *
 * The ping-pong runs in rounds that alternate the two paths (normal first
 * in even rounds, accelerated first in odd ones), so a neighbour's load or
 * a change of CPU frequency during the run falls on both paths alike rather
 * than on whichever ran second.  The flood follows, one path after the
 * other.  Latency figures come from the ping-pong, packet rates, drops and
 * CPU from the flood.
 */
#define _GNU_SOURCE
#include "real/real.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/msg.h"
#include "real/cpu.h"
#include "real/flood.h"
#include "real/guard.h"
#include "real/netns.h"
#include "real/pingpong.h"
#include "real/topology.h"

/* Ethernet + IPv4 + UDP headers, counted into bits per second. */
#define FRAME_OVERHEAD 42
/* Warm-up of every round after a path's first: caches, not the cold start. */
#define ROUND_WARMUP 100

void real_measure_opts_init(struct real_measure_opts *o)
{
	*o = (struct real_measure_opts){
		.count = 20000,
		.warmup = 2000,
		.rounds = 10,
		.size = 64,
		.flood_s = 1.0,
		.flood_count = 10000000,
		.batch = 32,
		.cpu = -1,
		.time_limit_s = 60,
	};
}

static bool check_opts(const struct real_measure_opts *o, GError **error)
{
	const char *bad = NULL;
	g_autofree char *got = NULL;

	if (o->count < 1)
		bad = "--count: expected at least 1 message", got = g_strdup("0");
	else if (o->rounds < 1 || (uint64_t)o->rounds > o->count)
		bad = "--rounds: expected 1 to --count", got = g_strdup_printf("%d", o->rounds);
	else if (o->size < PINGPONG_MIN_SIZE || o->size > PINGPONG_MAX_SIZE)
		bad = "--size: expected 32 to 1472 bytes of UDP payload",
		got = g_strdup_printf("%zu", o->size);
	else if (!(o->flood_s > 0 && o->flood_s <= 3600))
		bad = "--flood-time: expected more than 0 and at most 3600 seconds",
		got = g_strdup_printf("%g", o->flood_s);
	else if (o->batch < 1 || o->batch > FLOOD_MAX_BATCH)
		bad = "--batch: expected 1 to 256", got = g_strdup_printf("%d", o->batch);
	else if (o->vswitch_rules < 0 || o->vswitch_rules > 100000)
		bad = "--vswitch-rules: expected 0 to 100000",
		got = g_strdup_printf("%d", o->vswitch_rules);
	else if (o->busy_poll_us < 0 || o->busy_poll_us > 1000000)
		bad = "--busy-poll: expected 0 to 1000000 microseconds",
		got = g_strdup_printf("%d", o->busy_poll_us);
	else if (!(o->time_limit_s > 0 && o->time_limit_s <= 86400))
		bad = "--time-limit: expected more than 0 and at most 86400 seconds",
		got = g_strdup_printf("%g", o->time_limit_s);
	else if (o->no_pin && (o->separate_cores || o->cpu >= 0))
		bad = "--no-pin: expected without --cpu and --separate-cores",
		got = g_strdup("both");
	if (bad) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s, got '%s'", bad, got);
		return false;
	}
	if (!o->emulate && (!o->vf || !o->via || !o->peer)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected --emulate, or all of --vf, --via and --peer");
		return false;
	}
	if (!o->emulate && (!g_strcmp0(o->vf, o->via) || !g_strcmp0(o->vf, o->peer) ||
			    !g_strcmp0(o->via, o->peer))) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--vf, --via and --peer: expected three different interfaces, "
			    "got '%s', '%s' and '%s'", o->vf, o->via, o->peer);
		return false;
	}
	if (o->emulate && (o->vf || o->via || o->peer)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--emulate: expected without --vf, --via and --peer");
		return false;
	}
	if (!o->emulate && o->vswitch_rules) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--vswitch-rules: expected only with --emulate");
		return false;
	}
	return true;
}

guint real_cleanup_stale(GPtrArray *removed, GError **error)
{
	return topology_sweep_stale(removed, error);
}

struct socks {
	int client[PATH_COUNT], server[PATH_COUNT];
};

static void socks_close(struct socks *s)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		if (s->client[p] >= 0)
			close(s->client[p]);
		if (s->server[p] >= 0)
			close(s->server[p]);
		s->client[p] = s->server[p] = -1;
	}
}

struct measure {
	const struct real_measure_opts *o;
	struct traffic_opts t;
	struct socks s;
	struct run_result *r;
	struct stats_hist *oneway[PATH_COUNT];
	struct pingpong_stats pp[PATH_COUNT];
	struct flood_stats fl[PATH_COUNT];
	bool cut_short;		/* the time limit ended it before its counts */
};

static bool run_pingpong(struct measure *m, GError **error)
{
	const struct real_measure_opts *o = m->o;
	uint64_t per_round = o->count / (uint64_t)o->rounds;

	for (int round = 0; round < o->rounds; round++) {
		uint64_t n = per_round + (round == o->rounds - 1 ? o->count % (uint64_t)o->rounds : 0);

		for (int k = 0; k < PATH_COUNT; k++) {
			enum path_id p = (round % 2 == 0) == (k == 0) ? PATH_NORMAL : PATH_ACCEL;
			uint64_t warm = round == 0 ? o->warmup : MIN(o->warmup, ROUND_WARMUP);

			if (!pingpong_run(m->s.client[p], m->s.server[p], &m->t, warm, n,
					  &m->r->paths[p], &m->pp[p], error))
				return false;
			if (*guard_flag() || cpu_now_ns() >= m->t.deadline_ns) {
				m->cut_short = true;
				return true;
			}
		}
	}
	return true;
}

static bool run_flood(struct measure *m, GError **error)
{
	const struct real_measure_opts *o = m->o;

	for (int p = 0; p < PATH_COUNT; p++) {
		if (*guard_flag() || cpu_now_ns() >= m->t.deadline_ns) {
			m->cut_short = true;
			return true;
		}
		if (!flood_run(m->s.client[p], m->s.server[p], &m->t, o->flood_s,
			       o->flood_count, o->batch, &m->fl[p], error))
			return false;
	}
	return true;
}

static void fill_path(struct measure *m, enum path_id p, double hz)
{
	struct path_result *pr = &m->r->paths[p];
	const struct flood_stats *f = &m->fl[p];
	double frame_bits = (double)(m->o->size + FRAME_OVERHEAD) * 8;

	pr->offered_packets = f->sent;
	pr->delivered_packets = f->received;
	pr->dropped_packets = f->sent > f->received ? f->sent - f->received : 0;
	if (f->send_s > 0) {
		pr->offered_pps = (double)f->sent / f->send_s;
		pr->offered_bps = pr->offered_pps * frame_bits;
	}
	if (f->recv_s > 0) {
		pr->delivered_pps = (double)f->received / f->recv_s;
		pr->delivered_bps = pr->delivered_pps * frame_bits;
		pr->guest_cpu_vcpus = (f->client_cpu_s + f->server_cpu_s) / f->recv_s;
		pr->host_cpu_cores = f->cores_softirq_s / f->recv_s;
	}
	if (f->received && hz > 0)
		pr->host_cycles_per_packet = f->cores_softirq_s * hz / (double)f->received;
}

static void add_notes(struct measure *m, struct topology *t, GPtrArray *swept)
{
	const struct real_measure_opts *o = m->o;
	struct run_result *r = m->r;
	struct utsname u;

	run_result_note(r, "normal path", "%s", topology_describe(t, PATH_NORMAL));
	run_result_note(r, "accelerated path", "%s", topology_describe(t, PATH_ACCEL));
	if (o->no_pin)
		run_result_note(r, "pinning", "none: the scheduler placed client and server");
	else if (m->t.client_cpu == m->t.server_cpu)
		run_result_note(r, "pinning", "client and server threads on one core (cpu %d)",
				m->t.client_cpu);
	else
		run_result_note(r, "pinning", "client on cpu %d, server on cpu %d",
				m->t.client_cpu, m->t.server_cpu);
	if (o->busy_poll_us)
		run_result_note(r, "busy-polling", "SO_BUSY_POLL %d us and spinning receives",
				o->busy_poll_us);
	else
		run_result_note(r, "busy-polling", "off (blocking receives)");
	run_result_note(r, "latency", "round trip of a %zu-byte UDP ping-pong, %d rounds "
			"alternating the paths, first %" G_GUINT64_FORMAT " messages of each "
			"path (then %d per round) excluded as warm-up", o->size, o->rounds,
			o->warmup, (int)MIN(o->warmup, ROUND_WARMUP));
	run_result_note(r, "one-way request p50", "normal %.2f us, accelerated %.2f us",
			(double)stats_hist_percentile(m->oneway[PATH_NORMAL], 50) / 1e3,
			(double)stats_hist_percentile(m->oneway[PATH_ACCEL], 50) / 1e3);
	run_result_note(r, "throughput", "sendmmsg/recvmmsg flood of %zu-byte datagrams in "
			"batches of %d, %.3g s per path; bits/s count %d bytes of headers",
			o->size, o->batch, o->flood_s, FRAME_OVERHEAD);
	run_result_note(r, "cpu", "guest = client and server threads (getrusage), "
			"host = softirq time on their cores (/proc/stat, tick-sampled)");
	for (int p = 0; p < PATH_COUNT; p++)
		if (m->pp[p].lost)
			run_result_note(r, "lost", "%s path: %" G_GUINT64_FORMAT " ping-pong "
					"replies missing after 100 ms", path_name(p), m->pp[p].lost);
	if (uname(&u) == 0)
		run_result_note(r, "kernel", "%s %s", u.sysname, u.release);
	if (swept && swept->len) {
		g_autofree char *names = NULL;

		g_ptr_array_add(swept, NULL);
		names = g_strjoinv(", ", (char **)swept->pdata);
		g_ptr_array_remove_index(swept, swept->len - 1);
		run_result_note(r, "cleanup", "removed leftovers of dead runs: %s", names);
	}
}

static bool measure_paths(struct measure *m, struct topology *t, GError **error)
{
	const struct real_measure_opts *o = m->o;

	for (int p = 0; p < PATH_COUNT; p++) {
		if ((m->s.client[p] = topology_socket(t, p, false, error)) < 0 ||
		    (m->s.server[p] = topology_socket(t, p, true, error)) < 0)
			return false;
	}
	if (!cpu_pin_self(m->t.client_cpu, error))
		return false;
	m->t.deadline_ns = cpu_now_ns() + (int64_t)(o->time_limit_s * 1e9);
	if (!run_pingpong(m, error) || !run_flood(m, error))
		return false;
	if (*guard_flag())
		m->cut_short = true;
	return true;
}

/* Anything measured at all: a round trip or a flood packet on either path. */
static bool measured_any(const struct measure *m)
{
	for (int p = 0; p < PATH_COUNT; p++)
		if (m->pp[p].measured || m->fl[p].sent)
			return true;
	return false;
}

struct run_result *real_measure(const struct real_measure_opts *o, GError **error)
{
	g_autoptr(run_result) r = NULL;
	g_autoptr(topology) t = NULL;
	g_autoptr(GPtrArray) swept = g_ptr_array_new_with_free_func(g_free);
	struct measure m = { .o = o };
	GError *err = NULL;
	cpu_set_t saved_affinity;
	bool ok;

	if (!check_opts(o, error) || !netns_supported(error))
		return NULL;
	if (!cpu_pick(o->no_pin ? -1 : o->cpu, o->separate_cores, &m.t.client_cpu,
		      &m.t.server_cpu, error))
		return NULL;
	if (o->no_pin)
		m.t.client_cpu = m.t.server_cpu = -1;
	m.t.busy_poll_us = o->busy_poll_us;
	m.t.size = o->size;
	m.t.stop = guard_flag();

	/* refuse unusable interfaces before changing anything, the sweep included */
	if (!o->emulate && !topology_hardware_usable(o->vf, o->via, o->peer, error))
		return NULL;
	for (int p = 0; p < PATH_COUNT; p++) {
		m.s.client[p] = m.s.server[p] = -1;
		m.oneway[p] = stats_hist_new();
		m.pp[p].oneway = m.oneway[p];
	}
	real_cleanup_stale(swept, &err);
	if (err) {
		msg_warning("cleanup of dead runs: %s", err->message);
		g_clear_error(&err);
	}

	guard_install();
	pthread_getaffinity_np(pthread_self(), sizeof(saved_affinity), &saved_affinity);
	if (o->emulate)
		t = topology_new_emulated(o->vswitch_rules, guard_flag(), &err);
	else
		t = topology_new_hardware(o->vf, o->via, o->peer, guard_flag(), &err);
	ok = t != NULL;
	if (ok) {
		r = run_result_new();
		m.r = r;
		ok = measure_paths(&m, t, &err);
	}
	socks_close(&m.s);
	pthread_setaffinity_np(pthread_self(), sizeof(saved_affinity), &saved_affinity);
	if (t) {
		GError *down = NULL;

		if (ok)
			add_notes(&m, t, swept);
		if (!topology_teardown(t, &down)) {
			if (ok)
				g_propagate_error(&err, down);
			else
				g_error_free(down);
			ok = false;
		}
	}
	guard_restore();
	for (int p = 0; p < PATH_COUNT; p++)
		stats_hist_free(m.oneway[p]);
	if (ok && !measured_any(&m)) {
		if (guard_signal())
			g_set_error(&err, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "interrupted by signal %d (%s) before anything was measured: "
				    "removed the namespaces it made", guard_signal(),
				    g_strsignal(guard_signal()));
		else
			g_set_error(&err, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "measured nothing: --time-limit %g s ended the run before its "
				    "first message", o->time_limit_s);
		ok = false;
	}
	if (!ok) {
		g_propagate_error(error, err);
		return NULL;
	}

	double hz = cpu_hz(), measured = 0;
	for (int p = 0; p < PATH_COUNT; p++) {
		fill_path(&m, p, hz);
		measured += m.pp[p].wall_s + m.fl[p].recv_s;
	}
	r->partial = m.cut_short;
	if (guard_signal())
		run_result_note(r, "partial", "signal %d (%s) ended the run early: figures so far",
				guard_signal(), g_strsignal(guard_signal()));
	else if (r->partial)
		run_result_note(r, "partial", "--time-limit %g s ended the run early: figures so far",
				o->time_limit_s);
	r->duration_s = measured;
	r->source = g_strdup("measurement");
	r->scenario = g_strdup(o->emulate ? "real measure --emulate" : "real measure --vf");
	r->model = g_strdup(o->emulate ? "namespace stand-in (veth, bridge)" :
			    "hardware (SR-IOV VF against host switch)");
	return g_steal_pointer(&r);
}
