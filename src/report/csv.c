/* csv.c: the run_result as CSV, one figure per row: path,metric,value,unit.
 * Stage rows use the metric "stage.NAME.FIGURE".  RFC 4180 quoting is not
 * needed: names are identifiers and values numbers. */
#include <inttypes.h>
#include <math.h>

#include "report/report.h"

static void row(FILE *f, const char *path, const char *metric, double v, const char *unit)
{
	if (isfinite(v))
		fprintf(f, "%s,%s,%.10g,%s\n", path, metric, v, unit);
	else
		fprintf(f, "%s,%s,,%s\n", path, metric, unit);
}

void report_csv(FILE *f, const struct run_result *r)
{
	struct {
		const char *key;
		double pct;
	} pcts[] = { { "latency_p50", 50 },	  { "latency_p90", 90 },
		     { "latency_p99", 99 },	  { "latency_p999", 99.9 },
		     { "latency_p9999", 99.99 }, { "latency_max", 100 } };

	fprintf(f, "path,metric,value,unit\n");
	fprintf(f, "run,seed,%" PRIu64 ",\n", r->seed);
	row(f, "run", "duration", r->duration_s, "s");
	fprintf(f, "run,partial,%d,\n", r->partial ? 1 : 0);
	for (int pi = 0; pi < PATH_COUNT; pi++) {
		const struct path_result *p = &r->paths[pi];
		const char *n = path_name(pi);
		const double any = p->delivered_packets ? 1.0 : NAN;

		row(f, n, "offered_packets", (double)p->offered_packets, "packets");
		row(f, n, "delivered_packets", (double)p->delivered_packets, "packets");
		row(f, n, "dropped_packets", (double)p->dropped_packets, "packets");
		row(f, n, "in_flight_packets", (double)p->in_flight_packets, "packets");
		row(f, n, "offered_pps", p->offered_pps, "pps");
		row(f, n, "offered_bps", p->offered_bps, "bps");
		row(f, n, "delivered_pps", p->delivered_pps, "pps");
		row(f, n, "delivered_bps", p->delivered_bps, "bps");
		row(f, n, "latency_mean", any * p->latency_w.mean * 1e6, "us");
		for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++)
			row(f, n, pcts[i].key,
			    any * stats_hist_percentile(p->latency, pcts[i].pct) / 1e3, "us");
		row(f, n, "jitter_rfc3550", any * stats_jitter_value(&p->jitter) * 1e6, "us");
		row(f, n, "jitter_stddev", any * stats_welford_stddev(&p->latency_w) * 1e6, "us");
		row(f, n, "jitter_p99_minus_p50",
		    any * (stats_hist_percentile(p->latency, 99) - stats_hist_percentile(p->latency, 50)) /
			    1e3,
		    "us");
		row(f, n, "host_cpu_cores", p->host_cpu_cores, "cores");
		row(f, n, "host_cycles_per_packet", p->host_cycles_per_packet, "cycles");
		row(f, n, "guest_cpu_vcpus", p->guest_cpu_vcpus, "vcpus");
		for (guint i = 0; i < p->stages->len; i++) {
			const struct stage_result *s =
				&g_array_index(p->stages, struct stage_result, i);
			g_autofree char *m = g_strdup_printf("stage.%s.mean", s->name);
			g_autofree char *u = g_strdup_printf("stage.%s.utilisation", s->name);
			g_autofree char *k = g_strdup_printf("stage.%s.packets", s->name);
			g_autofree char *d = g_strdup_printf("stage.%s.drops", s->name);
			g_autofree char *c = g_strdup_printf("stage.%s.cycles", s->name);

			row(f, n, m, s->packets ? s->mean_s * 1e6 : NAN, "us");
			row(f, n, u, s->utilisation, "fraction");
			row(f, n, k, (double)s->packets, "packets");
			row(f, n, d, (double)s->drops, "packets");
			row(f, n, c, s->cycles, "cycles");
		}
	}
}
