/* json.c: the run_result as JSON (shape documented in docs/file-formats.md).
 *
 * Written by hand rather than through a JSON library: output only, a fixed
 * shape, and the key order and number format must be stable for
 * byte-identical reports.  Numbers use %.10g; a value that is not finite
 * (a mean of nothing) is written null.
 */
#include <inttypes.h>
#include <math.h>

#include "report/report.h"

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.10g", v);
	else
		fputs("null", f);
}

static void json_path(FILE *f, const struct path_result *p)
{
	const bool any = p->delivered_packets > 0;
	const double nan = NAN;
	struct {
		const char *key;
		double pct;
	} pcts[] = { { "p50", 50 }, { "p90", 90 }, { "p99", 99 }, { "p999", 99.9 },
		     { "p9999", 99.99 }, { "max", 100 } };

	fprintf(f, "{\"offered_packets\": %" PRIu64 ", \"delivered_packets\": %" PRIu64
		   ", \"dropped_packets\": %" PRIu64 ", \"in_flight_packets\": %" PRIu64,
		p->offered_packets, p->delivered_packets, p->dropped_packets,
		p->in_flight_packets);
	fputs(", \"offered_pps\": ", f);
	json_num(f, p->offered_pps);
	fputs(", \"offered_bps\": ", f);
	json_num(f, p->offered_bps);
	fputs(", \"delivered_pps\": ", f);
	json_num(f, p->delivered_pps);
	fputs(", \"delivered_bps\": ", f);
	json_num(f, p->delivered_bps);

	fputs(", \"drops\": {", f);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);

		if (i)
			fputs(", ", f);
		json_string(f, s->name);
		fprintf(f, ": %" PRIu64, s->drops);
	}
	fputs("}", f);

	fputs(", \"latency_us\": {\"mean\": ", f);
	json_num(f, any ? p->latency_w.mean * 1e6 : nan);
	for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++) {
		fprintf(f, ", \"%s\": ", pcts[i].key);
		json_num(f, any ? stats_hist_percentile(p->latency, pcts[i].pct) / 1e3 : nan);
	}
	fputs("}", f);

	fputs(", \"jitter_us\": {\"rfc3550\": ", f);
	json_num(f, any ? stats_jitter_value(&p->jitter) * 1e6 : nan);
	fputs(", \"stddev\": ", f);
	json_num(f, any ? stats_welford_stddev(&p->latency_w) * 1e6 : nan);
	fputs(", \"p99_minus_p50\": ", f);
	json_num(f, any ? (stats_hist_percentile(p->latency, 99) -
			   stats_hist_percentile(p->latency, 50)) / 1e3
			: nan);
	fputs("}", f);

	fputs(", \"host_cpu_cores\": ", f);
	json_num(f, p->host_cpu_cores);
	fputs(", \"host_cycles_per_packet\": ", f);
	json_num(f, p->host_cycles_per_packet);
	fputs(", \"guest_cpu_vcpus\": ", f);
	json_num(f, p->guest_cpu_vcpus);

	fputs(", \"stages\": [", f);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);

		fputs(i ? ", {\"name\": " : "{\"name\": ", f);
		json_string(f, s->name);
		fputs(", \"runs_on\": ", f);
		json_string(f, s->where);
		fputs(", \"mean_us\": ", f);
		json_num(f, s->packets ? s->mean_s * 1e6 : nan);
		fputs(", \"utilisation\": ", f);
		json_num(f, s->utilisation);
		fprintf(f, ", \"packets\": %" PRIu64 ", \"drops\": %" PRIu64, s->packets, s->drops);
		fputs(", \"cycles\": ", f);
		json_num(f, s->cycles);
		fputs("}", f);
	}
	fputs("]", f);

	g_autofree char *hist = stats_hist_encode(p->latency);
	fputs(", \"latency_histogram_ns\": ", f);
	json_string(f, hist);
	fputs("}", f);
}

void report_json(FILE *f, const struct run_result *r)
{
	fputs("{\"scenario\": ", f);
	json_string(f, r->scenario);
	fputs(", \"model\": ", f);
	json_string(f, r->model);
	fprintf(f, ", \"seed\": %" PRIu64 ", \"duration_s\": ", r->seed);
	json_num(f, r->duration_s);
	fputs(", \"source\": ", f);
	json_string(f, r->source);
	fprintf(f, ", \"partial\": %s", r->partial ? "true" : "false");
	fputs(",\n \"paths\": {", f);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(p ? ",\n  " : "\n  ", f);
		json_string(f, path_name(p));
		fputs(": ", f);
		json_path(f, &r->paths[p]);
	}
	fputs("},\n \"notes\": {", f);
	for (guint i = 0; i < r->note_keys->len; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, r->note_keys->pdata[i]);
		fputs(": ", f);
		json_string(f, r->note_values->pdata[i]);
	}
	fputs("}}\n", f);
}
