/* measure.c: real-mode measurements, from building the paths to the
 * filled run_result or sweep results (see real.h).
 *
 * A plain measurement runs the ping-pong in rounds that alternate the two
 * paths (normal first in even rounds, accelerated first in odd ones), so a
 * neighbour's load or a change of CPU frequency during the run falls on
 * both paths alike rather than on whichever ran second; the windowed flood
 * follows, one path after the other.  Latency (round trip) comes from the
 * ping-pong; packet rates, drops and CPU from the flood.
 *
 * Under load (--rate, --rates), each point is a paced stream over each
 * path, the order alternating from point to point; every figure of the
 * point comes from it, latency one-way.  A fraction of saturation is of the
 * slower path's windowed-flood rate, measured first.
 *
 * CPU per packet is the exact runtime of the client and server threads and
 * of the ksoftirqd threads of their cores, divided by packets received.
 * Host CPU is the normal path's extra: its CPU per packet minus the
 * accelerated path's for the same traffic, i.e. the bridge, nftables and
 * two more veth hops that the direct path does not have; guest CPU is the
 * rest, the endpoints' own stacks (docs/real-mode.md, docs/metrics.md).
 */
#define _GNU_SOURCE
#include "real/real.h"

#include "config.h"

#include <errno.h>
#include <math.h>
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
		.window = 64,
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
	else if (o->window < 0 || o->window > 65536)
		bad = "--window: expected 0 (unbounded) to 65536 packets",
		got = g_strdup_printf("%d", o->window);
	else if (o->rate_pps < 0 || o->rate_pps > 1e8)
		bad = "--rate: expected at most 100Mpps", got = g_strdup_printf("%g", o->rate_pps);
	else if (o->rate_frac < 0 || o->rate_frac > 10)
		bad = "--rate: expected at most 1000%", got = g_strdup_printf("%g%%",
									   o->rate_frac * 100);
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

struct session {
	const struct real_measure_opts *o;
	struct traffic_opts t;
	struct socks s;
	struct topology *topo;
	GPtrArray *swept;	/* names of dead runs' namespaces removed first */
	cpu_set_t saved_affinity;
	double hz;
	char started[40];	/* when it started, UTC, ISO 8601 */
	int64_t started_ns;
	double others;		/* share of the cores used that other processes
				 * kept busy during the streams, 0..1 */
	bool cut_short;		/* a signal or the time limit ended it early */
};

static bool out_of_time(struct session *ss)
{
	if (*guard_flag() || cpu_now_ns() >= ss->t.deadline_ns)
		ss->cut_short = true;
	return ss->cut_short;
}

/* Check, sweep dead runs, build the paths and open the sockets.  On
 * failure everything is undone and FALSE returned. */
static bool session_open(struct session *ss, const struct real_measure_opts *o, GError **error)
{
	GError *err = NULL;

	*ss = (struct session){ .o = o, .started_ns = cpu_now_ns() };
	g_autofree char *now = provenance_now();
	g_strlcpy(ss->started, now, sizeof(ss->started));
	for (int p = 0; p < PATH_COUNT; p++)
		ss->s.client[p] = ss->s.server[p] = -1;
	if (!check_opts(o, error) || !netns_supported(error))
		return false;
	if (!cpu_pick(o->no_pin ? -1 : o->cpu, o->separate_cores, &ss->t.client_cpu,
		      &ss->t.server_cpu, error))
		return false;
	if (o->no_pin)
		ss->t.client_cpu = ss->t.server_cpu = -1;
	ss->t.busy_poll_us = o->busy_poll_us;
	ss->t.size = o->size;
	ss->t.stop = guard_flag();
	ss->hz = cpu_hz();

	/* refuse unusable interfaces before changing anything, the sweep included */
	if (!o->emulate && !topology_hardware_usable(o->vf, o->via, o->peer, error))
		return false;
	ss->swept = g_ptr_array_new_with_free_func(g_free);
	real_cleanup_stale(ss->swept, &err);
	if (err) {
		msg_warning("cleanup of dead runs: %s", err->message);
		g_clear_error(&err);
	}

	guard_install();
	pthread_getaffinity_np(pthread_self(), sizeof(ss->saved_affinity), &ss->saved_affinity);
	if (o->emulate)
		ss->topo = topology_new_emulated(o->vswitch_rules, guard_flag(), error);
	else
		ss->topo = topology_new_hardware(o->vf, o->via, o->peer, guard_flag(), error);
	if (!ss->topo)
		goto undo;
	for (int p = 0; p < PATH_COUNT; p++) {
		if ((ss->s.client[p] = topology_socket(ss->topo, p, false, error)) < 0 ||
		    (ss->s.server[p] = topology_socket(ss->topo, p, true, error)) < 0)
			goto undo;
	}
	if (!cpu_pin_self(ss->t.client_cpu, error))
		goto undo;
	ss->t.deadline_ns = cpu_now_ns() + (int64_t)(o->time_limit_s * 1e9);
	return true;
undo:
	socks_close(&ss->s);
	pthread_setaffinity_np(pthread_self(), sizeof(ss->saved_affinity), &ss->saved_affinity);
	g_clear_pointer(&ss->topo, topology_free);
	guard_restore();
	g_clear_pointer(&ss->swept, g_ptr_array_unref);
	return false;
}

/* Close the sockets, remove everything built, put the handlers back.
 * FALSE and error when the teardown failed (whatever it could remove is
 * removed). */
static bool session_close(struct session *ss, GError **error)
{
	bool ok = true;

	socks_close(&ss->s);
	pthread_setaffinity_np(pthread_self(), sizeof(ss->saved_affinity), &ss->saved_affinity);
	if (ss->topo) {
		ok = topology_teardown(ss->topo, error);
		g_clear_pointer(&ss->topo, topology_free);
	}
	guard_restore();
	g_clear_pointer(&ss->swept, g_ptr_array_unref);
	return ok;
}

/* Why a run stopped early, for its note; NULL if it did not. */
static char *cut_reason(const struct session *ss)
{
	if (guard_signal())
		return g_strdup_printf("signal %d (%s) ended the run early: figures so far",
				       guard_signal(), g_strsignal(guard_signal()));
	if (ss->cut_short)
		return g_strdup_printf("--time-limit %g s ended the run early: figures so far",
				       ss->o->time_limit_s);
	return NULL;
}

static bool run_pingpong(struct session *ss, struct run_result *r, struct pingpong_stats pp[],
			 GError **error)
{
	const struct real_measure_opts *o = ss->o;
	uint64_t per_round = o->count / (uint64_t)o->rounds;

	for (int round = 0; round < o->rounds; round++) {
		uint64_t n = per_round + (round == o->rounds - 1 ? o->count % (uint64_t)o->rounds : 0);

		for (int k = 0; k < PATH_COUNT; k++) {
			enum path_id p = (round % 2 == 0) == (k == 0) ? PATH_NORMAL : PATH_ACCEL;
			uint64_t warm = round == 0 ? o->warmup : MIN(o->warmup, ROUND_WARMUP);

			if (!pingpong_run(ss->s.client[p], ss->s.server[p], &ss->t, warm, n,
					  &r->paths[p], &pp[p], error))
				return false;
			if (out_of_time(ss))
				return true;
		}
	}
	return true;
}

/* One stream per path, normal first unless accel_first.  rate_pps 0: the
 * windowed (or, with window 0, unbounded) flood; > 0: paced.  Latency is
 * recorded into r's paths when r is given. */
static bool run_streams(struct session *ss, double rate_pps, bool accel_first,
			struct run_result *r, struct flood_stats fl[], GError **error)
{
	const struct real_measure_opts *o = ss->o;

	for (int k = 0; k < PATH_COUNT; k++) {
		enum path_id p = (k == 0) != accel_first ? PATH_NORMAL : PATH_ACCEL;
		struct flood_opts fo = {
			.duration_s = o->flood_s,
			.count = o->flood_count,
			.batch = o->batch,
			.rate_pps = rate_pps,
			.window = rate_pps > 0 ? 0 : o->window,
			.latency = r ? &r->paths[p] : NULL,
		};

		if (out_of_time(ss))
			return true;
		if (!flood_run(ss->s.client[p], ss->s.server[p], &ss->t, &fo, &fl[p], error))
			return false;
		if (fl[p].cut)
			ss->cut_short = true;
	}
	return true;
}

/* CPU seconds per received packet on one path: both threads and the
 * ksoftirqd of their cores; NAN with nothing received. */
static double cpu_per_packet(const struct flood_stats *f)
{
	if (!f->received)
		return NAN;
	return (f->client_cpu_s + f->server_cpu_s + f->softirqd_cpu_s) / (double)f->received;
}

/* Rates, drops and CPU of both paths from their streams. */
static void fill_from_streams(struct session *ss, struct run_result *r,
			      const struct flood_stats fl[])
{
	double frame_bits = (double)(ss->o->size + FRAME_OVERHEAD) * 8;
	double c[PATH_COUNT], host;

	for (int p = 0; p < PATH_COUNT; p++) {
		struct path_result *pr = &r->paths[p];
		const struct flood_stats *f = &fl[p];

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
		}
		c[p] = cpu_per_packet(f);
	}
	/* what else ran on the cores: their busy time less ours */
	ss->others = 0;
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct flood_stats *f = &fl[p];
		uint64_t mask = flood_core_mask(&ss->t);
		int ncores = mask ? __builtin_popcountll(mask) : (int)sysconf(_SC_NPROCESSORS_ONLN);
		double ours = f->client_cpu_s + f->server_cpu_s + f->softirqd_cpu_s;

		if (f->recv_s > 0)
			ss->others += CLAMP((f->cores_busy_s - ours) / (ncores * f->recv_s), 0, 1) /
				      PATH_COUNT;
	}
	/* the normal path's extra over the direct one is the host's work; a
	 * difference below zero is noise (a busy machine, a slowed process):
	 * the host's share was not resolved, and the result says so */
	host = c[PATH_NORMAL] - c[PATH_ACCEL];
	if (host < 0) {
		run_result_note(r, "host_cpu",
				"not resolved: the bridged path cost %.3g us of CPU per packet, "
				"the direct path %.3g us; counted as 0",
				c[PATH_NORMAL] * 1e6, c[PATH_ACCEL] * 1e6);
		host = 0;
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		struct path_result *pr = &r->paths[p];
		double h = p == PATH_NORMAL ? host : 0;

		if (!isfinite(c[p]))
			continue;
		pr->guest_cpu_vcpus = (c[p] - (isfinite(h) ? h : 0)) * pr->delivered_pps;
		if (!isfinite(h))
			continue;
		pr->host_cpu_cores = h * pr->delivered_pps;
		pr->host_cycles_per_packet = h * ss->hz;
		if (fl[p].sent)
			pr->host_cycles_per_processed = h * ss->hz * (double)fl[p].received /
							(double)fl[p].sent;
	}
	if (isfinite(c[PATH_NORMAL]) && isfinite(c[PATH_ACCEL])) {
		double k[PATH_COUNT][3];

		for (int p = 0; p < PATH_COUNT; p++) {
			double per = ss->hz / (double)fl[p].received;

			k[p][0] = fl[p].client_cpu_s * per;
			k[p][1] = fl[p].server_cpu_s * per;
			k[p][2] = fl[p].softirqd_cpu_s * per;
		}
		run_result_note(r, "cpu per packet", "normal %.0f cycles (client %.0f, server %.0f, "
				"ksoftirqd %.0f), accelerated %.0f cycles (%.0f, %.0f, %.0f): the "
				"threads' and their cores' ksoftirqd's exact runtime per packet "
				"received; host = the difference, guest = the rest",
				c[PATH_NORMAL] * ss->hz, k[0][0], k[0][1], k[0][2],
				c[PATH_ACCEL] * ss->hz, k[1][0], k[1][1], k[1][2]);
	}
}

static void note_common(struct session *ss, struct run_result *r, enum latency_kind kind,
			double rate_pps)
{
	const struct real_measure_opts *o = ss->o;
	const char *latency_kind = kind == LATENCY_ROUND_TRIP ? "round trip" : "one-way";
	struct utsname u;

	/* what the latency figures mean, as every report says it */
	if (!r->provenance)
		r->provenance = provenance_new();
	r->provenance->latency = kind;

	run_result_note(r, "normal path", "%s", topology_describe(ss->topo, PATH_NORMAL));
	run_result_note(r, "accelerated path", "%s", topology_describe(ss->topo, PATH_ACCEL));
	if (o->no_pin)
		run_result_note(r, "pinning", "none: the scheduler placed client and server");
	else if (ss->t.client_cpu == ss->t.server_cpu)
		run_result_note(r, "pinning", "client and server threads on one core (cpu %d)",
				ss->t.client_cpu);
	else
		run_result_note(r, "pinning", "client on cpu %d, server on cpu %d",
				ss->t.client_cpu, ss->t.server_cpu);
	if (o->busy_poll_us)
		run_result_note(r, "busy-polling", "SO_BUSY_POLL %d us and spinning receives",
				o->busy_poll_us);
	else
		run_result_note(r, "busy-polling", "off (blocking receives)");
	run_result_note(r, "latency kind", "%s", latency_kind);
	/* machine-readable, for calibration and the mirroring scenario */
	run_result_note(r, "conditions", "mode=%s size=%zu rules=%d batch=%d window=%d "
			"rate_pps=%.6g client_cpu=%d server_cpu=%d busy_poll_us=%d hz=%.6g "
			"others=%.3f", o->emulate ? "emulate" : "hardware", o->size,
			o->vswitch_rules, o->batch, rate_pps > 0 ? 0 : o->window, rate_pps,
			ss->t.client_cpu, ss->t.server_cpu, o->busy_poll_us, ss->hz, ss->others);
	run_result_note(r, "other processes", "kept %.0f %% of the measuring cores busy "
			"during the streams (/proc/stat, tick-sampled, less this run's threads)",
			ss->others * 100);
	if (uname(&u) == 0)
		run_result_note(r, "kernel", "%s %s", u.sysname, u.release);
	if (ss->swept && ss->swept->len) {
		g_autofree char *names = NULL;

		g_ptr_array_add(ss->swept, NULL);
		names = g_strjoinv(", ", (char **)ss->swept->pdata);
		g_ptr_array_remove_index(ss->swept, ss->swept->len - 1);
		run_result_note(r, "cleanup", "removed leftovers of dead runs: %s", names);
	}
}

static void name_result(struct session *ss, struct run_result *r)
{
	const struct real_measure_opts *o = ss->o;

	if (!r->provenance)
		r->provenance = provenance_new();
	r->provenance->version = g_strdup(PACKAGE_VERSION);
	r->provenance->started = g_strdup(ss->started);
	r->provenance->wall_s = (double)(cpu_now_ns() - ss->started_ns) / 1e9;

	r->source = g_strdup("measurement");
	r->scenario = g_strdup(o->emulate ? "real measure --emulate" : "real measure --vf");
	r->model = g_strdup(o->emulate ? "namespace stand-in (veth, bridge)" :
			    "hardware (SR-IOV VF against host switch)");
}

/* The plain measurement: ping-pong, then the flood. */
static bool measure_plain(struct session *ss, struct run_result *r, GError **error)
{
	const struct real_measure_opts *o = ss->o;
	struct pingpong_stats pp[PATH_COUNT] = { 0 };
	struct flood_stats fl[PATH_COUNT] = { 0 };
	g_autoptr(GPtrArray) oneway = g_ptr_array_new_with_free_func((GDestroyNotify)stats_hist_free);
	double measured = 0;
	bool any = false;

	for (int p = 0; p < PATH_COUNT; p++) {
		pp[p].oneway = stats_hist_new();
		g_ptr_array_add(oneway, pp[p].oneway);
	}
	if (!run_pingpong(ss, r, pp, error) ||
	    (!ss->cut_short && !run_streams(ss, 0, false, NULL, fl, error)))
		return false;
	fill_from_streams(ss, r, fl);
	for (int p = 0; p < PATH_COUNT; p++) {
		measured += pp[p].wall_s + fl[p].recv_s;
		any = any || pp[p].measured || fl[p].sent;
	}
	if (!any)
		return true;
	r->duration_s = measured;
	note_common(ss, r, LATENCY_ROUND_TRIP, 0);
	run_result_note(r, "latency", "round trip of a %zu-byte UDP ping-pong, %d rounds "
			"alternating the paths, first %" G_GUINT64_FORMAT " messages of each "
			"path (then %d per round) excluded as warm-up", o->size, o->rounds,
			o->warmup, (int)MIN(o->warmup, ROUND_WARMUP));
	run_result_note(r, "one-way request p50", "normal %.2f us, accelerated %.2f us",
			(double)stats_hist_percentile(pp[PATH_NORMAL].oneway, 50) / 1e3,
			(double)stats_hist_percentile(pp[PATH_ACCEL].oneway, 50) / 1e3);
	if (o->window)
		run_result_note(r, "throughput", "sendmmsg/recvmmsg flood of %zu-byte datagrams "
				"in batches of %d, at most %d in flight (no loss at the receiver's "
				"socket), %.3g s per path; bits/s count %d bytes of headers",
				o->size, o->batch, o->window, o->flood_s, FRAME_OVERHEAD);
	else
		run_result_note(r, "throughput", "sendmmsg/recvmmsg flood of %zu-byte datagrams "
				"in batches of %d, unbounded (the receiver keeps what the "
				"scheduler lets it), %.3g s per path; bits/s count %d bytes of "
				"headers", o->size, o->batch, o->flood_s, FRAME_OVERHEAD);
	if (pp[PATH_NORMAL].sent && pp[PATH_ACCEL].sent)
		run_result_note(r, "ping-pong cpu", "per round trip: normal %.0f cycles, "
				"accelerated %.0f cycles (client and server threads)",
				(pp[PATH_NORMAL].client_cpu_s + pp[PATH_NORMAL].server_cpu_s) *
				ss->hz / (double)pp[PATH_NORMAL].sent,
				(pp[PATH_ACCEL].client_cpu_s + pp[PATH_ACCEL].server_cpu_s) *
				ss->hz / (double)pp[PATH_ACCEL].sent);
	for (int p = 0; p < PATH_COUNT; p++) {
		if (pp[p].lost)
			run_result_note(r, "lost", "%s path: %" G_GUINT64_FORMAT " ping-pong "
					"replies missing after 100 ms", path_name(p), pp[p].lost);
		if (fl[p].written_off)
			run_result_note(r, "flood loss", "%s path: %" G_GUINT64_FORMAT " packets "
					"never arrived", path_name(p), fl[p].written_off);
	}
	return true;
}

/* One point under load: a paced stream over each path. */
static bool measure_point(struct session *ss, double rate_pps, bool accel_first,
			  struct run_result *r, GError **error)
{
	const struct real_measure_opts *o = ss->o;
	struct flood_stats fl[PATH_COUNT] = { 0 };

	if (!run_streams(ss, rate_pps, accel_first, r, fl, error))
		return false;
	fill_from_streams(ss, r, fl);
	r->duration_s = fl[PATH_NORMAL].recv_s + fl[PATH_ACCEL].recv_s;
	if (!fl[PATH_NORMAL].sent && !fl[PATH_ACCEL].sent)
		return true;
	note_common(ss, r, LATENCY_ONE_WAY_APP, rate_pps);
	run_result_note(r, "latency", "one-way, from each datagram's sendmmsg() to the "
			"recvmmsg() that took it, every datagram of a %zu-byte UDP stream paced "
			"at %.6g packets/s in batches of %d, %.3g s per path", o->size, rate_pps,
			o->batch, o->flood_s);
	return true;
}

/* Saturation: the windowed flood over each path; the slower path's rate. */
static bool measure_saturation(struct session *ss, double sat_pps[], GError **error)
{
	struct flood_stats fl[PATH_COUNT] = { 0 };

	if (!run_streams(ss, 0, false, NULL, fl, error))
		return false;
	for (int p = 0; p < PATH_COUNT; p++)
		sat_pps[p] = fl[p].recv_s > 0 ? (double)fl[p].received / fl[p].recv_s : 0;
	return true;
}

static bool nothing_measured(struct session *ss, GError **error)
{
	if (guard_signal())
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "interrupted by signal %d (%s) before anything was measured: "
			    "removed the namespaces it made", guard_signal(),
			    g_strsignal(guard_signal()));
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "measured nothing: --time-limit %g s ended the run before its "
			    "first message", ss->o->time_limit_s);
	return false;
}

struct run_result *real_measure(const struct real_measure_opts *o, GError **error)
{
	g_autoptr(run_result) r = run_result_new();
	struct session ss;
	GError *err = NULL;
	bool ok;

	if (!session_open(&ss, o, error))
		return NULL;
	if (o->rate_pps > 0 || o->rate_frac > 0) {
		double rate = o->rate_pps, sat[PATH_COUNT] = { 0 };

		ok = true;
		if (o->rate_frac > 0) {
			ok = measure_saturation(&ss, sat, &err);
			rate = o->rate_frac * MIN(sat[PATH_NORMAL], sat[PATH_ACCEL]);
		}
		if (ok && !ss.cut_short && rate > 0)
			ok = measure_point(&ss, rate, false, r, &err);
		if (ok && o->rate_frac > 0 && r->note_keys->len)
			run_result_note(r, "load", "%g %% of the slower path's saturation rate "
					"(normal %.6g, accelerated %.6g packets/s, windowed flood)",
					o->rate_frac * 100, sat[PATH_NORMAL], sat[PATH_ACCEL]);
	} else {
		ok = measure_plain(&ss, r, &err);
	}
	if (!session_close(&ss, ok ? &err : NULL))
		ok = false;
	if (ok && !r->note_keys->len)
		ok = nothing_measured(&ss, &err);
	if (!ok) {
		g_propagate_error(error, err);
		return NULL;
	}
	g_autofree char *why = cut_reason(&ss);
	r->partial = why != NULL;
	if (why)
		run_result_note(r, "partial", "%s", why);
	name_result(&ss, r);
	return g_steal_pointer(&r);
}

struct sweep_results *real_measure_sweep(const struct real_measure_opts *o,
					 const struct real_rates *rates, GError **error)
{
	static const char *const keys[] = { "load_pct", "rate_pps", NULL };
	g_autoptr(GArray) loads = real_rates_points(rates);
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_result_free);
	g_autofree char *saturation = NULL;
	double sat[PATH_COUNT] = { 0 }, slower;
	struct session ss;
	GError *err = NULL;
	bool ok;

	if (!session_open(&ss, o, error))
		return NULL;
	ok = measure_saturation(&ss, sat, &err);
	slower = MIN(sat[PATH_NORMAL], sat[PATH_ACCEL]);
	for (guint i = 0; ok && i < loads->len && !ss.cut_short && slower > 0; i++) {
		double load = g_array_index(loads, double, i);
		double rate = rates->of_saturation ? load * slower : load;
		g_autoptr(run_result) r = run_result_new();
		g_autofree char *pct = g_strdup_printf("%.6g", rate / slower * 100);
		g_autofree char *pps = g_strdup_printf("%.6g", rate);
		const char *values[] = { pct, pps, NULL };

		ok = measure_point(&ss, rate, i % 2 == 1, r, &err);
		if (!ok || !r->note_keys->len)
			break;
		if (ss.cut_short) {
			g_autofree char *why = cut_reason(&ss);

			r->partial = true;
			run_result_note(r, "partial", "%s", why);
		}
		name_result(&ss, r);
		/* the point of a sweep, as `accelsim sweep` marks its runs */
		sweep_mark_point(r, i + 1, loads->len, keys, values, 1);
		g_ptr_array_add(runs, g_steal_pointer(&r));
	}
	if (ok)
		saturation = g_strdup_printf("normal %.6g, accelerated %.6g packets/s (windowed "
					     "flood, %zu-byte datagrams, batches of %d, at most %d "
					     "in flight, %.3g s per path); load_pct is of the "
					     "slower, %.6g packets/s", sat[PATH_NORMAL],
					     sat[PATH_ACCEL], o->size, o->batch, o->window,
					     o->flood_s, slower);
	if (!session_close(&ss, ok ? &err : NULL))
		ok = false;
	if (ok && !runs->len)
		ok = nothing_measured(&ss, &err);
	if (!ok) {
		g_propagate_error(error, err);
		return NULL;
	}
	/* facts about the whole sweep go on every point (results.h) */
	g_autofree char *why = cut_reason(&ss);
	struct run_result *last = runs->pdata[runs->len - 1];
	if (why && runs->len == loads->len && !last->partial) {
		/* a signal after the last point: cut short all the same, as
		 * real_measure() says of a single run (with a point missing,
		 * the sweep is partial already) */
		last->partial = true;
		run_result_note(last, "partial", "%s", why);
	}
	for (guint i = 0; i < runs->len; i++) {
		run_result_note(runs->pdata[i], SWEEP_NOTE_SATURATION, "%s", saturation);
		if (why)
			run_result_note(runs->pdata[i], "sweep.partial", "%s", why);
	}
	guint n = runs->len;
	g_ptr_array_set_free_func(runs, NULL);
	return sweep_results_from_points((struct run_result **)runs->pdata, n, error);
}
