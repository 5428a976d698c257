/* table.c: the side-by-side text report, normal | accelerated | ratio.
 *
 * The ratio column is normal / accelerated: how many times the normal path's
 * figure is the accelerated one's (2.9x latency means the normal path is 2.9
 * times slower).  Below the summary comes one block per path with its stages
 * in pipeline order.  Output depends only on the result, so equal runs print
 * equal bytes.
 */
#include <math.h>
#include <string.h>

#include "report/report.h"

enum fig_kind {
	FIG_COUNT,	/* packets */
	FIG_RATE,	/* per second, scaled with k/M/G */
	FIG_US,		/* microseconds */
	FIG_CORES,	/* cores or vCPUs busy */
	FIG_CYCLES,
};

struct fig {
	const char *label;
	const char *unit;
	enum fig_kind kind;
	double v[PATH_COUNT];
	bool ratio;		/* print normal / accelerated */
};

static double us_at(const struct path_result *p, double pct)
{
	return stats_hist_percentile(p->latency, pct) / 1e3;
}

static void format_value(char *buf, size_t len, double v, enum fig_kind kind)
{
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	switch (kind) {
	case FIG_COUNT:
		snprintf(buf, len, "%.0f", v);
		break;
	case FIG_RATE:
		if (v >= 1e9)
			snprintf(buf, len, "%.3fG", v / 1e9);
		else if (v >= 1e6)
			snprintf(buf, len, "%.3fM", v / 1e6);
		else if (v >= 1e3)
			snprintf(buf, len, "%.3fk", v / 1e3);
		else
			snprintf(buf, len, "%.1f", v);
		break;
	case FIG_US:
		if (v >= 1000)
			snprintf(buf, len, "%.0f", v);
		else if (v >= 100)
			snprintf(buf, len, "%.1f", v);
		else
			snprintf(buf, len, "%.2f", v);
		break;
	case FIG_CORES:
		snprintf(buf, len, "%.3f", v);
		break;
	case FIG_CYCLES:
		snprintf(buf, len, "%.0f", v);
		break;
	}
}

static void print_fig(FILE *f, const struct fig *g)
{
	char a[32], b[32], r[32] = "";

	format_value(a, sizeof(a), g->v[PATH_NORMAL], g->kind);
	format_value(b, sizeof(b), g->v[PATH_ACCEL], g->kind);
	if (g->ratio && g->v[PATH_ACCEL] > 0 && !isnan(g->v[PATH_NORMAL]))
		snprintf(r, sizeof(r), "%.2fx", g->v[PATH_NORMAL] / g->v[PATH_ACCEL]);
	fprintf(f, "  %-22s %-6s %14s %14s %9s\n", g->label, g->unit, a, b, r);
}

static double or_nan(const struct path_result *p, double v)
{
	return p->delivered_packets ? v : NAN;
}

void report_table(FILE *f, const struct run_result *r)
{
	const struct path_result *n = &r->paths[PATH_NORMAL], *a = &r->paths[PATH_ACCEL];
	const struct path_result *ps[PATH_COUNT] = { n, a };
	struct fig figs[24];
	size_t nf = 0;

#define FIG(lbl, u, k, rat, expr)                                                           \
	do {                                                                                \
		struct fig *g_ = &figs[nf++];                                               \
		g_->label = lbl;                                                            \
		g_->unit = u;                                                               \
		g_->kind = k;                                                               \
		g_->ratio = rat;                                                            \
		for (int i_ = 0; i_ < PATH_COUNT; i_++) {                                   \
			const struct path_result *p = ps[i_];                               \
			g_->v[i_] = (expr);                                                 \
		}                                                                           \
	} while (0)

	FIG("offered", "pps", FIG_RATE, false, p->offered_pps);
	FIG("delivered", "pps", FIG_RATE, true, p->delivered_pps);
	FIG("delivered", "bit/s", FIG_RATE, true, p->delivered_bps);
	FIG("packets offered", "pkts", FIG_COUNT, false, (double)p->offered_packets);
	FIG("packets delivered", "pkts", FIG_COUNT, false, (double)p->delivered_packets);
	FIG("packets dropped", "pkts", FIG_COUNT, false, (double)p->dropped_packets);
	FIG("packets in flight", "pkts", FIG_COUNT, false, (double)p->in_flight_packets);
	FIG("latency mean", "us", FIG_US, true, or_nan(p, p->latency_w.mean * 1e6));
	FIG("latency p50", "us", FIG_US, true, or_nan(p, us_at(p, 50)));
	FIG("latency p90", "us", FIG_US, true, or_nan(p, us_at(p, 90)));
	FIG("latency p99", "us", FIG_US, true, or_nan(p, us_at(p, 99)));
	FIG("latency p99.9", "us", FIG_US, true, or_nan(p, us_at(p, 99.9)));
	FIG("latency p99.99", "us", FIG_US, true, or_nan(p, us_at(p, 99.99)));
	FIG("latency max", "us", FIG_US, true, or_nan(p, us_at(p, 100)));
	FIG("jitter (RFC 3550)", "us", FIG_US, true,
	    or_nan(p, stats_jitter_value(&p->jitter) * 1e6));
	FIG("jitter stddev", "us", FIG_US, true,
	    or_nan(p, stats_welford_stddev(&p->latency_w) * 1e6));
	FIG("jitter p99-p50", "us", FIG_US, true, or_nan(p, us_at(p, 99) - us_at(p, 50)));
	FIG("host CPU", "cores", FIG_CORES, true, p->host_cpu_cores);
	FIG("host cycles/packet", "cycles", FIG_CYCLES, true, p->host_cycles_per_packet);
	FIG("guest CPU", "vCPUs", FIG_CORES, true, p->guest_cpu_vcpus);
#undef FIG

	fprintf(f, "accelsim %s: %s", r->source ? r->source : "run",
		r->scenario ? r->scenario : "-");
	if (r->model)
		fprintf(f, ", model %s", r->model);
	fprintf(f, ", seed %" G_GUINT64_FORMAT ", %.6g s measured%s\n\n", r->seed, r->duration_s,
		r->partial ? " (PARTIAL: interrupted)" : "");
	fprintf(f, "  %-22s %-6s %14s %14s %9s\n", "", "", "normal", "accelerated", "ratio");
	for (size_t i = 0; i < nf; i++)
		print_fig(f, &figs[i]);

	for (int pi = 0; pi < PATH_COUNT; pi++) {
		const struct path_result *p = ps[pi];

		if (!p->stages->len)
			continue;
		fprintf(f, "\n  %s path, per stage\n", path_name(pi));
		fprintf(f, "  %-14s %-12s %12s %8s %12s %10s %12s\n", "stage", "runs on", "mean us",
			"util", "packets", "drops", "cycles/pkt");
		for (guint i = 0; i < p->stages->len; i++) {
			const struct stage_result *s =
				&g_array_index(p->stages, struct stage_result, i);
			char mean[32], cyc[32] = "-";

			format_value(mean, sizeof(mean), s->mean_s * 1e6, FIG_US);
			if (s->cycles > 0 && s->packets)
				snprintf(cyc, sizeof(cyc), "%.0f", s->cycles / (double)s->packets);
			fprintf(f, "  %-14s %-12s %12s %7.1f%% %12" G_GUINT64_FORMAT
				   " %10" G_GUINT64_FORMAT " %12s\n",
				s->name, s->where ? s->where : "", mean, s->utilisation * 100.0,
				s->packets, s->drops, cyc);
		}
	}
	if (r->note_keys->len) {
		fputc('\n', f);
		for (guint i = 0; i < r->note_keys->len; i++)
			fprintf(f, "  %s: %s\n", (char *)r->note_keys->pdata[i],
				(char *)r->note_values->pdata[i]);
	}
}

void report_write(FILE *f, const struct run_result *r, enum report_format fmt)
{
	switch (fmt) {
	case REPORT_TABLE:
		report_table(f, r);
		break;
	case REPORT_JSON:
		report_json(f, r);
		break;
	case REPORT_CSV:
		report_csv(f, r);
		break;
	}
}
