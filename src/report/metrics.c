/* metrics.c: the tables of figures (see metrics.h) and what every output
 * shares: values, labels, comparison, number format, lossless storage.
 *
 * Definitions of the figures are in docs/metrics.md; a row here and a line
 * there go together.
 */
#include "report/metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- path figures ---- */

static double lat_us(const struct path_result *p, double pct)
{
	if (!p->delivered_packets)
		return NAN;
	return stats_hist_percentile(p->latency, pct) / 1e3;
}

static double get_latency_mean(const void *row)
{
	const struct path_result *p = row;

	return p->delivered_packets ? p->latency_w.mean * 1e6 : NAN;
}

#define PCT_GETTER(fn_, pct_)                                                                 \
	static double fn_(const void *row)                                                    \
	{                                                                                     \
		return lat_us(row, pct_);                                                     \
	}
PCT_GETTER(get_latency_p50, 50)
PCT_GETTER(get_latency_p90, 90)
PCT_GETTER(get_latency_p99, 99)
PCT_GETTER(get_latency_p999, 99.9)
PCT_GETTER(get_latency_p9999, 99.99)
PCT_GETTER(get_latency_max, 100)
#undef PCT_GETTER

static double get_jitter_rfc3550(const void *row)
{
	const struct path_result *p = row;

	return p->delivered_packets ? stats_jitter_value(&p->jitter) * 1e6 : NAN;
}

static double get_jitter_stddev(const void *row)
{
	const struct path_result *p = row;

	return p->delivered_packets ? stats_welford_stddev(&p->latency_w) * 1e6 : NAN;
}

static double get_jitter_p99_minus_p50(const void *row)
{
	return lat_us(row, 99) - lat_us(row, 50);
}

#define PATH_U64(f_) .field = #f_, .offset = offsetof(struct path_result, f_), \
		     .type = METRIC_FIELD_U64, .scale = 1
#define PATH_DBL(f_) .field = #f_, .offset = offsetof(struct path_result, f_), \
		     .type = METRIC_FIELD_DOUBLE, .scale = 1
#define LATENCY(nm_, lbl_, get_)                                                              \
	{ .name = nm_, .label = lbl_, .unit = "us", .better = METRIC_LOWER,                   \
	  .cmp = METRIC_CMP_RATIO, .fmt = METRIC_FMT_US, .get = get_ }
#define PERCENTILE(nm_, lbl_, get_, pct_)                                                     \
	{ .name = nm_, .label = lbl_, .unit = "us", .better = METRIC_LOWER,                   \
	  .cmp = METRIC_CMP_RATIO, .fmt = METRIC_FMT_US, .get = get_, .pct = pct_ }

static const struct metric path_rows[] = {
	{ .name = "offered_pps", .label = "offered", .label_rr = "offered requests",
	  .unit = "pps", .unit_rr = "req/s", .cmp = METRIC_CMP_NONE, .fmt = METRIC_FMT_RATE,
	  PATH_DBL(offered_pps) },
	{ .name = "offered_bps", .label = "offered", .label_rr = "offered (requests)",
	  .unit = "bit/s", .cmp = METRIC_CMP_NONE, .fmt = METRIC_FMT_RATE, PATH_DBL(offered_bps) },
	{ .name = "delivered_pps", .label = "delivered", .label_rr = "completed requests",
	  .unit = "pps", .unit_rr = "req/s", .better = METRIC_HIGHER, .cmp = METRIC_CMP_RATIO,
	  .fmt = METRIC_FMT_RATE, PATH_DBL(delivered_pps) },
	{ .name = "delivered_bps", .label = "delivered", .label_rr = "delivered (responses)",
	  .unit = "bit/s", .better = METRIC_HIGHER, .cmp = METRIC_CMP_RATIO,
	  .fmt = METRIC_FMT_RATE, PATH_DBL(delivered_bps) },
	{ .name = "offered_packets", .label = "packets offered", .label_rr = "requests offered",
	  .unit = "packets", .unit_rr = "requests", .cmp = METRIC_CMP_NONE,
	  .fmt = METRIC_FMT_COUNT, PATH_U64(offered_packets) },
	{ .name = "delivered_packets", .label = "packets delivered",
	  .label_rr = "requests completed", .unit = "packets", .unit_rr = "requests",
	  .better = METRIC_HIGHER, .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_COUNT,
	  PATH_U64(delivered_packets) },
	{ .name = "dropped_packets", .label = "packets dropped", .label_rr = "requests dropped",
	  .unit = "packets", .unit_rr = "requests", .better = METRIC_LOWER,
	  .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_COUNT, PATH_U64(dropped_packets) },
	{ .name = "in_flight_packets", .label = "packets in flight",
	  .label_rr = "requests in flight", .unit = "packets", .unit_rr = "requests",
	  .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_COUNT, PATH_U64(in_flight_packets) },
	LATENCY("latency_mean", "latency mean", get_latency_mean),
	PERCENTILE("latency_p50", "latency p50", get_latency_p50, 50),
	PERCENTILE("latency_p90", "latency p90", get_latency_p90, 90),
	PERCENTILE("latency_p99", "latency p99", get_latency_p99, 99),
	PERCENTILE("latency_p999", "latency p99.9", get_latency_p999, 99.9),
	PERCENTILE("latency_p9999", "latency p99.99", get_latency_p9999, 99.99),
	PERCENTILE("latency_max", "latency max", get_latency_max, 100),
	LATENCY("jitter_rfc3550", "jitter: mean RFC 3550 J", get_jitter_rfc3550),
	LATENCY("jitter_stddev", "jitter: latency stddev", get_jitter_stddev),
	LATENCY("jitter_p99_minus_p50", "jitter: p99 - p50", get_jitter_p99_minus_p50),
	/* The accelerated path spends host cycles only on exceptions (a new
	 * flow's first packets, SYNs, a removed VF): its figure is near 0, so
	 * a ratio measures how rare those were, not the cost.  Differences. */
	{ .name = "host_cpu_cores", .label = "host CPU", .unit = "cores",
	  .better = METRIC_LOWER, .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_CORES,
	  .flags = METRIC_HINT, PATH_DBL(host_cpu_cores) },
	{ .name = "host_cycles_per_processed", .label = "host cycles per processed packet",
	  .unit = "cycles", .better = METRIC_LOWER, .cmp = METRIC_CMP_DIFF,
	  .fmt = METRIC_FMT_COUNT, .flags = METRIC_HINT, PATH_DBL(host_cycles_per_processed) },
	{ .name = "host_cycles_per_packet", .label = "host cycles per delivered packet",
	  .label_rr = "host cycles per request", .unit = "cycles", .better = METRIC_LOWER,
	  .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_COUNT, .flags = METRIC_HINT,
	  PATH_DBL(host_cycles_per_packet) },
	{ .name = "guest_cpu_vcpus", .label = "guest CPU", .unit = "vCPUs",
	  .better = METRIC_LOWER, .cmp = METRIC_CMP_RATIO, .fmt = METRIC_FMT_CORES,
	  .flags = METRIC_HINT, PATH_DBL(guest_cpu_vcpus) },
};
#undef PATH_U64
#undef PATH_DBL
#undef LATENCY
#undef PERCENTILE

const struct metric_table metric_path = { "path", path_rows, G_N_ELEMENTS(path_rows) };

/* ---- per-stage load ---- */

static double get_stage_mean(const void *row)
{
	const struct stage_result *s = row;

	return s->packets ? s->mean_s * 1e6 : NAN;
}

static double get_stage_cycles_per_packet(const void *row)
{
	const struct stage_result *s = row;

	return s->cycles > 0 && s->packets ? s->cycles / (double)s->packets : NAN;
}

#define STAGE(f_, t_, sc_) .field = #f_, .offset = offsetof(struct stage_result, f_), \
			   .type = t_, .scale = sc_

static const struct metric stage_rows[] = {
	{ .name = "mean", .label = "mean us", .unit = "us", .better = METRIC_LOWER,
	  .fmt = METRIC_FMT_US, STAGE(mean_s, METRIC_FIELD_DOUBLE, 1e6), .get = get_stage_mean },
	{ .name = "utilisation", .label = "util", .unit = "fraction", .fmt = METRIC_FMT_PERCENT,
	  STAGE(utilisation, METRIC_FIELD_DOUBLE, 1) },
	{ .name = "packets", .label = "packets", .unit = "packets", .fmt = METRIC_FMT_COUNT,
	  STAGE(packets, METRIC_FIELD_U64, 1) },
	{ .name = "drops", .label = "drops", .unit = "packets", .better = METRIC_LOWER,
	  .fmt = METRIC_FMT_COUNT, STAGE(drops, METRIC_FIELD_U64, 1) },
	{ .name = "cycles", .label = "cycles", .unit = "cycles", .fmt = METRIC_FMT_COUNT,
	  .flags = METRIC_NO_TABLE, STAGE(cycles, METRIC_FIELD_DOUBLE, 1) },
	{ .name = "cycles_per_packet", .label = "cycles/pkt", .unit = "cycles",
	  .fmt = METRIC_FMT_COUNT, .get = get_stage_cycles_per_packet },
	{ .name = "occupancy", .label = "occupancy", .unit = "packets", .fmt = METRIC_FMT_CORES,
	  .flags = METRIC_NO_TABLE, STAGE(occupancy, METRIC_FIELD_DOUBLE, 1) },
};
#undef STAGE

const struct metric_table metric_stage = { "stage", stage_rows, G_N_ELEMENTS(stage_rows) };

/* ---- latency budget ---- */

static double get_budget_total(const void *row)
{
	const struct budget_row *b = row;

	return (b->wait_s + b->wake_s + b->service_s + b->delay_s) * 1e6;
}

#define BUDGET(nm_, lbl_, f_)                                                                 \
	{ .name = nm_, .label = lbl_, .unit = "us", .better = METRIC_LOWER,                   \
	  .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_US, .field = #f_,                         \
	  .offset = offsetof(struct budget_row, f_), .type = METRIC_FIELD_DOUBLE, .scale = 1e6 }

static const struct metric budget_rows[] = {
	BUDGET("wait", "wait", wait_s),
	BUDGET("wake", "wake-up", wake_s),
	BUDGET("service", "service", service_s),
	BUDGET("delay", "delay", delay_s),
	{ .name = "total", .label = "total", .unit = "us", .better = METRIC_LOWER,
	  .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_US, .get = get_budget_total },
};
#undef BUDGET

const struct metric_table metric_budget = { "budget", budget_rows, G_N_ELEMENTS(budget_rows) };

/* ---- time series ---- */

static double get_interval_pps(const void *row)
{
	const struct interval_row *iv = row;
	double len = iv->t1_s - iv->t0_s;

	return len > 0 ? iv->delivered / len : NAN;
}

#define IV(f_, t_, sc_) .field = #f_, .offset = offsetof(struct interval_row, f_), \
			.type = t_, .scale = sc_

static const struct metric interval_rows[] = {
	{ .name = "t0", .label = "from", .unit = "s", .fmt = METRIC_FMT_SECONDS,
	  IV(t0_s, METRIC_FIELD_DOUBLE, 1) },
	{ .name = "t1", .label = "to", .unit = "s", .fmt = METRIC_FMT_SECONDS,
	  IV(t1_s, METRIC_FIELD_DOUBLE, 1) },
	{ .name = "delivered", .label = "delivered", .unit = "packets", .better = METRIC_HIGHER,
	  .fmt = METRIC_FMT_COUNT, IV(delivered, METRIC_FIELD_U64, 1) },
	{ .name = "dropped", .label = "dropped", .unit = "packets", .better = METRIC_LOWER,
	  .fmt = METRIC_FMT_COUNT, IV(dropped, METRIC_FIELD_U64, 1) },
	{ .name = "delivered_pps", .label = "delivered", .unit = "pps", .better = METRIC_HIGHER,
	  .fmt = METRIC_FMT_RATE, .get = get_interval_pps },
	{ .name = "delivered_bps", .label = "delivered", .unit = "bit/s", .better = METRIC_HIGHER,
	  .fmt = METRIC_FMT_RATE, IV(delivered_bps, METRIC_FIELD_DOUBLE, 1) },
	{ .name = "latency_p50", .label = "latency p50", .unit = "us", .better = METRIC_LOWER,
	  .fmt = METRIC_FMT_US, IV(latency_p50_s, METRIC_FIELD_DOUBLE, 1e6) },
	{ .name = "latency_p99", .label = "latency p99", .unit = "us", .better = METRIC_LOWER,
	  .fmt = METRIC_FMT_US, IV(latency_p99_s, METRIC_FIELD_DOUBLE, 1e6) },
	{ .name = "host_cpu_cores", .label = "host CPU", .unit = "cores", .better = METRIC_LOWER,
	  .fmt = METRIC_FMT_CORES, IV(host_cpu_cores, METRIC_FIELD_DOUBLE, 1) },
	{ .name = "guest_cpu_vcpus", .label = "guest CPU", .unit = "vCPUs",
	  .better = METRIC_LOWER, .fmt = METRIC_FMT_CORES,
	  IV(guest_cpu_vcpus, METRIC_FIELD_DOUBLE, 1) },
};
#undef IV

const struct metric_table metric_interval = { "interval", interval_rows,
					      G_N_ELEMENTS(interval_rows) };

/* ---- a host of several VMs: its own figures ---- */

#define HO(f_) .field = #f_, .offset = offsetof(struct host_result, f_), \
	       .type = METRIC_FIELD_DOUBLE, .scale = 1

static const struct metric host_rows[] = {
	{ .name = "host_cpu_cores", .label = "host CPU, all VMs", .unit = "cores",
	  .better = METRIC_LOWER, .cmp = METRIC_CMP_DIFF, .fmt = METRIC_FMT_CORES,
	  .flags = METRIC_HINT, HO(host_cpu_cores) },
	{ .name = "host_cycles_per_processed", .label = "host cycles per processed packet",
	  .unit = "cycles", .better = METRIC_LOWER, .cmp = METRIC_CMP_DIFF,
	  .fmt = METRIC_FMT_COUNT, HO(host_cycles_per_processed) },
};
#undef HO

const struct metric_table metric_host = { "host", host_rows, G_N_ELEMENTS(host_rows) };

/* ---- what every output shares ---- */

const struct metric *metric_find(const struct metric_table *t, const char *name)
{
	for (METRIC_EACH(m, t))
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static double field_value(const struct metric *m, const void *row)
{
	const char *f = (const char *)row + m->offset;

	switch (m->type) {
	case METRIC_FIELD_U64:
		return (double)*(const uint64_t *)f;
	case METRIC_FIELD_DOUBLE:
		return *(const double *)f;
	case METRIC_FIELD_NONE:
		break;
	}
	g_assert_not_reached();
}

double metric_value(const struct metric *m, const void *row)
{
	if (m->get)
		return m->get(row);
	return field_value(m, row) * m->scale;
}

void metric_path_values(const struct metric *m, const struct run_result *r,
			double v[PATH_COUNT])
{
	for (int p = 0; p < PATH_COUNT; p++)
		v[p] = metric_value(m, &r->paths[p]);
}

bool metric_counts_requests(const struct run_result *r)
{
	return r->provenance && r->provenance->requests;
}

const char *metric_label(const struct metric *m, const struct run_result *r)
{
	return m->label_rr && metric_counts_requests(r) ? m->label_rr : m->label;
}

const char *metric_unit(const struct metric *m, const struct run_result *r)
{
	return m->unit_rr && metric_counts_requests(r) ? m->unit_rr : m->unit;
}

const char *metric_better_name(enum metric_better b)
{
	switch (b) {
	case METRIC_LOWER:
		return "lower";
	case METRIC_HIGHER:
		return "higher";
	case METRIC_NEITHER:
		break;
	}
	return "neither";
}

struct metric_comparison metric_compare(const struct metric *m, double normal, double accel)
{
	struct metric_comparison c = { METRIC_SHOW_NOTHING, NAN };

	if (m->cmp == METRIC_CMP_NONE || !isfinite(normal) || !isfinite(accel))
		return c;
	if (m->cmp == METRIC_CMP_RATIO && normal > 0 && accel > 0) {
		c.kind = METRIC_SHOW_RATIO;
		c.value = normal / accel;
	} else {
		c.kind = METRIC_SHOW_DIFF;
		c.value = normal - accel;
	}
	return c;
}

uint64_t metric_beyond(const struct path_result *p, double pct)
{
	uint64_t n = stats_hist_count(p->latency);
	/* the rank stats_hist_percentile returns, ceil(pct/100 * n), with its
	 * allowance for 99.9 * n landing a hair above a whole number */
	long double x = (long double)pct * (long double)n / 100;
	long double rank = ceill(x - x * 1e-15L);

	return (long double)n > rank ? n - (uint64_t)rank : 0;
}

struct metric_savings metric_savings(const struct run_result *r)
{
	const struct metric *m = metric_find(&metric_path, "host_cpu_cores");
	double v[PATH_COUNT];
	struct metric_savings s;

	metric_path_values(m, r, v);
	s.cores = v[PATH_NORMAL] - v[PATH_ACCEL];
	s.usd_per_year = isfinite(r->core_year_usd) ? s.cores * r->core_year_usd : NAN;
	return s;
}

char *metric_format(enum metric_fmt fmt, double v, bool sign, char *buf, size_t len)
{
	const char *plus = sign && v >= 0 ? "+" : "";
	double a = fabs(v);

	if (isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	switch (fmt) {
	case METRIC_FMT_COUNT:
		snprintf(buf, len, "%s%.0f", plus, v);
		break;
	case METRIC_FMT_RATE:
		if (a >= 1e9)
			snprintf(buf, len, "%s%.3fG", plus, v / 1e9);
		else if (a >= 1e6)
			snprintf(buf, len, "%s%.3fM", plus, v / 1e6);
		else if (a >= 1e3)
			snprintf(buf, len, "%s%.3fk", plus, v / 1e3);
		else
			snprintf(buf, len, "%s%.1f", plus, v);
		break;
	case METRIC_FMT_US:
		if (a >= 1000)
			snprintf(buf, len, "%s%.0f", plus, v);
		else if (a >= 100)
			snprintf(buf, len, "%s%.1f", plus, v);
		else
			snprintf(buf, len, "%s%.2f", plus, v);
		break;
	case METRIC_FMT_CORES:
		snprintf(buf, len, "%s%.3f", plus, v);
		break;
	case METRIC_FMT_PERCENT:
		snprintf(buf, len, "%s%.1f%%", plus, v * 100.0);
		break;
	case METRIC_FMT_SECONDS:
		snprintf(buf, len, "%s%.6g", plus, v);
		break;
	}
	return buf;
}

void metric_store(GKeyFile *k, const char *group, const struct metric_table *t, const void *row)
{
	for (METRIC_EACH(m, t)) {
		const char *f = (const char *)row + m->offset;

		if (m->type == METRIC_FIELD_U64)
			g_key_file_set_uint64(k, group, m->field, *(const uint64_t *)f);
		else if (m->type == METRIC_FIELD_DOUBLE)
			g_key_file_set_double(k, group, m->field, *(const double *)f);
	}
}

bool metric_load(GKeyFile *k, const char *group, const struct metric_table *t, void *row,
		 GError **error)
{
	for (METRIC_EACH(m, t)) {
		char *f = (char *)row + m->offset;
		GError *e = NULL;

		if (m->type == METRIC_FIELD_U64)
			*(uint64_t *)f = g_key_file_get_uint64(k, group, m->field, &e);
		else if (m->type == METRIC_FIELD_DOUBLE)
			*(double *)f = g_key_file_get_double(k, group, m->field, &e);
		if (e) {
			g_propagate_error(error, e);
			return false;
		}
	}
	return true;
}
