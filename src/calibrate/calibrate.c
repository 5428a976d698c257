/* calibrate.c: `accelsim real calibrate`: measure the stand-in at a few
 * sizes, rule counts and batch sizes, fit the model's parameters by linear
 * least squares, write the model file (see calibrate.h, modelfile.h).
 *
 * Conditions (emulated; hardware runs leave out the rules):
 *   payload 64, 600 and 1400 bytes at 0 rules; 500 and 2000 rules at 64
 *   bytes.  Each is a ping-pong (idle round trips) and a windowed flood
 *   (the loss-free saturation, and CPU per packet at it).  Sizes 256, 200
 *   and 1000 bytes, rules 300 and 1000 and every paced load are left for
 *   validation.
 *
 * The fit, in cycles, f being the frame bytes (payload + 46), N the rules:
 *   host hop   h0 + hb f + hr N  =  host cycles per packet in the flood
 *                                =  (normal - accelerated round trip) / 2
 *   endpoints  g0 + gb f         =  accelerated CPU per packet in the flood
 *              2 g0 + gb f + 2 w =  accelerated round trip
 * (w the median wake-up: the server's, and the client's that the model
 * puts in wire.propagation; the per-batch costs of the flood, system
 * calls and wake-ups shared by 32 datagrams, are in g0).  Both are linear
 * in their parameters, so the weighted least-squares solution is a closed
 * form (lsq.h), with standard errors; each observation weighs 1 / its
 * variance (weight_rtt, weight_cpu).  The host hop is one cost per packet
 * in the model, but measured twice: at idle (round trips, precise) and
 * under a flood (CPU, noisy where other processes share the core); where
 * the two disagree the fit leans to the round trips and the residual says
 * by how much.  The wake-up
 * distribution is the accelerated round trips' quantiles minus the fitted
 * work, averaged over the conditions.
 */
#include "calibrate/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "calibrate/lsq.h"
#include "calibrate/measurement.h"
#include "calibrate/modelfile.h"
#include "calibrate/run.h"
#include "core/msg.h"

struct cal_cond {
	int size, rules, batch;
};

static const struct cal_cond emulated_conds[] = {
	{ 64, 0, 32 }, { 600, 0, 32 }, { 1400, 0, 32 },
	{ 64, 500, 32 }, { 64, 2000, 32 },
};
static const struct cal_cond hardware_conds[] = {
	{ 64, 0, 32 }, { 600, 0, 32 }, { 1400, 0, 32 },
};

/* Quantiles the wake-up table is built from, percent. */
static const double wake_q[] = { 0.5, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5,
				 99.9 };

struct obs {
	struct conditions c;
	double frame;		/* bytes */
	double host_cpu;	/* normal path's host cycles per packet (flood) */
	double accel_cpu;	/* accelerated CPU cycles per packet (flood) */
	double rtt_a, rtt_n;	/* round trip p50, seconds */
	double q_a[G_N_ELEMENTS(wake_q)]; /* accelerated round-trip quantiles, s */
};

/* The arguments of one calibration measurement. */
static GPtrArray *measure_args(const struct cal_cond *c, bool quick)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(a, g_strdup("--size"));
	g_ptr_array_add(a, g_strdup_printf("%d", c->size));
	if (c->rules) {
		g_ptr_array_add(a, g_strdup("--vswitch-rules"));
		g_ptr_array_add(a, g_strdup_printf("%d", c->rules));
	}
	g_ptr_array_add(a, g_strdup("--batch"));
	g_ptr_array_add(a, g_strdup_printf("%d", c->batch));
	g_ptr_array_add(a, g_strdup("--count"));
	g_ptr_array_add(a, g_strdup(quick ? "3000" : "10000"));
	g_ptr_array_add(a, g_strdup("--warmup"));
	g_ptr_array_add(a, g_strdup(quick ? "500" : "1000"));
	g_ptr_array_add(a, g_strdup("--rounds"));
	g_ptr_array_add(a, g_strdup("4"));
	g_ptr_array_add(a, g_strdup("--flood-time"));
	g_ptr_array_add(a, g_strdup(quick ? "0.2" : "0.5"));
	g_ptr_array_add(a, NULL);
	return a;
}

static bool observe(const char *dir, struct obs *o, GError **error)
{
	g_autoptr(run_result) r = result_load_dir(dir, error);
	const struct path_result *n, *a;

	if (!r || !conditions_from_result(r, &o->c, error))
		return false;
	n = &r->paths[PATH_NORMAL];
	a = &r->paths[PATH_ACCEL];
	if (!stats_hist_count(a->latency) || !stats_hist_count(n->latency) ||
	    !(a->delivered_pps > 0) || !(n->delivered_pps > 0)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "%s: the measurement has no round trips or no flood", dir);
		return false;
	}
	o->frame = o->c.size + FRAME_EXTRA;
	o->host_cpu = n->host_cycles_per_packet;
	o->accel_cpu = a->guest_cpu_vcpus * o->c.hz / a->delivered_pps;
	o->rtt_a = stats_hist_percentile(a->latency, 50) / 1e9;
	o->rtt_n = stats_hist_percentile(n->latency, 50) / 1e9;
	for (size_t i = 0; i < G_N_ELEMENTS(wake_q); i++)
		o->q_a[i] = stats_hist_percentile(a->latency, wake_q[i]) / 1e9;
	return true;
}

/* Weights are 1 / variance, from how well each kind of figure repeats
 * (docs/real-mode.md, docs/validation.md): a round trip's p50 within about
 * 2 %, a flood's CPU per packet within about 20 % on a machine others
 * share.  Each is of the total the figure was derived from (a difference
 * of two round trips is as uncertain as the round trips). */
static double weight_rtt(double total_cycles)
{
	double sd = MAX(0.02 * total_cycles, 100);

	return 1 / (sd * sd);
}

static double weight_cpu(double total_cycles)
{
	double sd = MAX(0.20 * total_cycles, 100);

	return 1 / (sd * sd);
}

static struct fitted_value fv(const struct lsq_fit *f, int i, double scale)
{
	return (struct fitted_value){ f->b[i] * scale, f->se[i] * scale };
}

/* The host hop: h0, hb, (hr). */
static bool fit_host(GArray *obs, bool rules, struct standin *m, GError **error)
{
	struct lsq s;
	struct lsq_fit f;
	bool ok;

	lsq_init(&s, rules ? 3 : 2);
	for (guint i = 0; i < obs->len; i++) {
		const struct obs *o = &g_array_index(obs, struct obs, i);
		double x[3] = { 1, o->frame, o->c.rules };

		lsq_add(&s, x, o->host_cpu, weight_cpu(o->host_cpu + o->accel_cpu));
		lsq_add(&s, x, (o->rtt_n - o->rtt_a) / 2 * o->c.hz,
			weight_rtt((o->rtt_n + o->rtt_a) / 2 * o->c.hz));
	}
	ok = lsq_solve(&s, &f, error);
	lsq_clear(&s);
	if (!ok) {
		g_prefix_error(error, "fitting the host hop: ");
		return false;
	}
	m->host_packet = fv(&f, 0, 1);
	m->host_byte = fv(&f, 1, 1);
	m->host_rule = rules ? fv(&f, 2, 1) : (struct fitted_value){ 0, 0 };
	m->host_rms = f.rms;
	m->host_n = f.n;
	return true;
}

/* The endpoints: g0, gb, w. */
static bool fit_guest(GArray *obs, struct standin *m, GError **error)
{
	struct lsq s;
	struct lsq_fit f;
	bool ok;

	lsq_init(&s, 3);
	for (guint i = 0; i < obs->len; i++) {
		const struct obs *o = &g_array_index(obs, struct obs, i);

		lsq_add(&s, (double[]){ 1, o->frame, 0 }, o->accel_cpu, weight_cpu(o->accel_cpu));
		/* the rules do not touch the accelerated path: its round trip counts */
		lsq_add(&s, (double[]){ 2, o->frame, 2 }, o->rtt_a * o->c.hz,
			weight_rtt(o->rtt_a * o->c.hz));
	}
	ok = lsq_solve(&s, &f, error);
	lsq_clear(&s);
	if (!ok) {
		g_prefix_error(error, "fitting the endpoints: ");
		return false;
	}
	m->guest_packet = fv(&f, 0, 1);
	m->guest_byte = fv(&f, 1, 1);
	m->wake_s = fv(&f, 2, 1 / m->hz);
	if (m->wake_s.value < 0)
		msg_warning("the fitted median wake-up is negative (%.2f us): the flood's CPU per "
			    "packet exceeds what the idle round trips hold (a loaded machine?); "
			    "the model uses 0", m->wake_s.value * 1e6);
	m->guest_rms = f.rms;
	m->guest_n = f.n;
	return true;
}

/* The server's wake-up carries the spread: each round-trip quantile minus
 * the fitted work and the client's median wake-up, the median over the
 * conditions (one condition preempted by another process for milliseconds
 * should not set everyone's tail). */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void fit_wake(GArray *obs, struct standin *m)
{
	size_t nq = G_N_ELEMENTS(wake_q);

	m->wake_values = g_array_new(FALSE, FALSE, sizeof(double));
	m->wake_weights = g_array_new(FALSE, FALSE, sizeof(double));
	for (size_t k = 0; k < nq; k++) {
		double v, lo = k ? (wake_q[k - 1] + wake_q[k]) / 2 : 0;
		double hi = k + 1 < nq ? (wake_q[k] + wake_q[k + 1]) / 2 : 100;
		g_autofree double *each = g_new(double, obs->len);

		for (guint i = 0; i < obs->len; i++) {
			const struct obs *o = &g_array_index(obs, struct obs, i);
			double work = (2 * m->guest_packet.value + m->guest_byte.value * o->frame) /
				      m->hz;

			each[i] = o->q_a[k] - work - MAX(m->wake_s.value, 0);
		}
		qsort(each, obs->len, sizeof(double), cmp_double);
		v = obs->len % 2 ? each[obs->len / 2] :
				   (each[obs->len / 2 - 1] + each[obs->len / 2]) / 2;
		v = MAX(v, 0);
		/* quantiles never go down; noise between conditions could */
		if (k && v < g_array_index(m->wake_values, double, k - 1))
			v = g_array_index(m->wake_values, double, k - 1);
		g_array_append_val(m->wake_values, v);
		double w = hi - lo;
		g_array_append_val(m->wake_weights, w);
	}
}

static char *cpu_model(void)
{
	g_autofree char *text = NULL;
	const char *p;

	if (!g_file_get_contents("/proc/cpuinfo", &text, NULL, NULL) ||
	    !(p = strstr(text, "model name")) || !(p = strchr(p, ':')))
		return g_strdup("unknown CPU");
	return g_strstrip(g_strndup(p + 1, strcspn(p + 1, "\n")));
}

static char *describe_measurements(const struct calibrate_opts *o, GArray *obs, const char *load)
{
	GString *s = g_string_new(NULL);
	g_autofree char *cpu = cpu_model();
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *when = g_date_time_format_iso8601(now);
	g_autofree char *host = g_strdup(g_get_host_name());
	struct utsname u;

	uname(&u);
	g_string_append_printf(s, "# Measured %s on %s: %s %s, %s, %ld cores online, %.0f MHz.\n",
			       when, host, u.sysname, u.release, cpu, sysconf(_SC_NPROCESSORS_ONLN),
			       g_array_index(obs, struct obs, 0).c.hz / 1e6);
	g_string_append_printf(s, "# Load average when it started: %s", load);
	g_string_append_printf(s, "# %s paths, client and server pinned to cpu %d; each "
			       "condition a ping-pong\n# (%s round trips per path) and a windowed "
			       "flood (%s s per path):\n",
			       o->target.emulate ? "Emulated" : "Hardware",
			       g_array_index(obs, struct obs, 0).c.client_cpu,
			       o->quick ? "3000" : "10000", o->quick ? "0.2" : "0.5");
	for (guint i = 0; i < obs->len; i++) {
		const struct obs *b = &g_array_index(obs, struct obs, i);

		g_string_append_printf(s, "#   %4d-byte datagrams, %4d rules, batches of %2d: round "
				       "trip p50 %.2f / %.2f us (normal / accelerated), CPU per "
				       "packet %.0f host, %.0f accelerated\n", b->c.size, b->c.rules,
				       b->c.batch, b->rtt_n * 1e6, b->rtt_a * 1e6, b->host_cpu,
				       b->accel_cpu);
	}
	return g_string_free(s, FALSE);
}

static void print_fit(FILE *out, const struct standin *m)
{
	fprintf(out, "fitted (value ± standard error):\n"
		     "  host hop per packet        %8.0f ± %.0f cycles\n"
		     "  host hop per frame byte    %8.3f ± %.3f cycles\n"
		     "  per nftables rule          %8.2f ± %.2f cycles\n"
		     "  endpoints per packet       %8.0f ± %.0f cycles\n"
		     "  endpoints per frame byte   %8.3f ± %.3f cycles\n"
		     "  wake-up, median            %8.2f ± %.2f us\n"
		     "  residuals: host %.0f cycles rms (%d observations), endpoints %.0f cycles "
		     "rms (%d)\n",
		m->host_packet.value, m->host_packet.se, m->host_byte.value, m->host_byte.se,
		m->host_rule.value, m->host_rule.se, m->guest_packet.value, m->guest_packet.se,
		m->guest_byte.value, m->guest_byte.se,
		m->wake_s.value * 1e6, m->wake_s.se * 1e6, m->host_rms, m->host_n, m->guest_rms,
		m->guest_n);
}

bool real_calibrate(const struct calibrate_opts *o, FILE *out, GError **error)
{
	const struct cal_cond *conds = o->target.emulate ? emulated_conds : hardware_conds;
	size_t n = o->target.emulate ? G_N_ELEMENTS(emulated_conds) : G_N_ELEMENTS(hardware_conds);
	g_autoptr(GArray) obs = g_array_new(FALSE, TRUE, sizeof(struct obs));
	g_autofree char *work = NULL, *load = NULL, *stem = NULL;
	struct standin m = { 0 };
	bool ok = true;

	if (!o->out || !g_str_has_suffix(o->out, ".ini")) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "-o: expected a model file name ending in .ini, got '%s'",
			    o->out ? o->out : "");
		return false;
	}
	if (!(work = run_workdir(o->keep, error)))
		return false;
	g_file_get_contents("/proc/loadavg", &load, NULL, NULL);
	run_guard_install();
	for (size_t i = 0; ok && i < n; i++) {
		g_autoptr(GPtrArray) args = measure_args(&conds[i], o->quick);
		g_autofree char *name = g_strdup_printf("cal-%zu-%dB-%drules-batch%d", i + 1,
							conds[i].size, conds[i].rules,
							conds[i].batch);
		g_autofree char *dir = g_build_filename(work, name, NULL);
		struct obs b = { 0 };

		fprintf(stderr, "accelsim: calibrating %zu/%zu: %d-byte datagrams, %d rules, "
			"batches of %d\n", i + 1, n, conds[i].size, conds[i].rules, conds[i].batch);
		ok = run_measure(&o->target, (const char *const *)args->pdata, dir, error) &&
		     observe(dir, &b, error);
		if (ok)
			g_array_append_val(obs, b);
	}
	run_guard_restore();
	if (ok) {
		m.name = g_path_get_basename(o->out);
		*strrchr(m.name, '.') = '\0';
		m.hz = g_array_index(obs, struct obs, 0).c.hz;
		m.cores = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
		/* the receive buffer (rmem_default) in datagrams of about 1 KiB of
		 * kernel memory each (a small datagram's skb) */
		g_autofree char *rmem = NULL;
		m.app_queue = 208;
		if (g_file_get_contents("/proc/sys/net/core/rmem_default", &rmem, NULL, NULL))
			m.app_queue = MAX((unsigned)(g_ascii_strtod(rmem, NULL) / 1024), 16u);
		ok = fit_host(obs, o->target.emulate, &m, error) && fit_guest(obs, &m, error);
	}
	if (ok) {
		fit_wake(obs, &m);
		m.provenance = describe_measurements(o, obs, load ? load : "unknown\n");
		ok = standin_write(o->out, &m, error);
	}
	if (ok) {
		print_fit(out, &m);
		fprintf(out, "wrote %s (and its wake-up table beside it)\n", o->out);
		if (o->keep)
			fprintf(out, "measurements kept in %s\n", o->keep);
	}
	standin_clear(&m);
	run_workdir_done(work, o->keep);
	return ok;
}
