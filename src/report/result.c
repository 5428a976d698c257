/* result.c: construction of run_result (see result.h). */
#include "report/result.h"

#include <math.h>
#include <stdarg.h>

const char *path_name(enum path_id p)
{
	static const char *const names[PATH_COUNT] = { "normal", "accelerated" };

	g_assert(p < PATH_COUNT);
	return names[p];
}

static void stage_result_clear(gpointer data)
{
	struct stage_result *s = data;

	g_free(s->name);
	g_free(s->where);
}

static void budget_row_clear(gpointer data)
{
	struct budget_row *b = data;

	g_free(b->name);
	g_free(b->where);
}

struct run_result *run_result_new(void)
{
	struct run_result *r = g_new0(struct run_result, 1);

	for (int p = 0; p < PATH_COUNT; p++) {
		r->paths[p].latency = stats_hist_new();
		r->paths[p].stages = g_array_new(FALSE, TRUE, sizeof(struct stage_result));
		g_array_set_clear_func(r->paths[p].stages, stage_result_clear);
		r->paths[p].budget = g_array_new(FALSE, TRUE, sizeof(struct budget_row));
		g_array_set_clear_func(r->paths[p].budget, budget_row_clear);
		r->paths[p].series = g_array_new(FALSE, TRUE, sizeof(struct interval_row));
	}
	r->note_keys = g_ptr_array_new_with_free_func(g_free);
	r->note_values = g_ptr_array_new_with_free_func(g_free);
	return r;
}

void run_result_free(struct run_result *r)
{
	if (!r)
		return;
	for (int p = 0; p < PATH_COUNT; p++) {
		stats_hist_free(r->paths[p].latency);
		g_array_unref(r->paths[p].stages);
		g_array_unref(r->paths[p].budget);
		g_array_unref(r->paths[p].series);
	}
	g_ptr_array_unref(r->note_keys);
	g_ptr_array_unref(r->note_values);
	g_free(r->scenario);
	g_free(r->model);
	g_free(r->source);
	g_free(r);
}

struct stage_result *path_result_add_stage(struct path_result *p, const char *name,
					   const char *where)
{
	struct stage_result s = { .name = g_strdup(name), .where = g_strdup(where) };

	g_array_append_val(p->stages, s);
	return &g_array_index(p->stages, struct stage_result, p->stages->len - 1);
}

struct budget_row *path_result_add_budget(struct path_result *p, const char *name,
					  const char *where)
{
	struct budget_row b = { .name = g_strdup(name), .where = g_strdup(where) };

	g_array_append_val(p->budget, b);
	return &g_array_index(p->budget, struct budget_row, p->budget->len - 1);
}

void run_result_note(struct run_result *r, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(r->note_keys, g_strdup(key));
	g_ptr_array_add(r->note_values, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

void path_result_record_latency(struct path_result *p, double latency_s)
{
	stats_hist_record(p->latency, (int64_t)llround(latency_s * 1e9));
	stats_welford_add(&p->latency_w, latency_s);
	stats_jitter_add(&p->jitter, latency_s);
}

/* ---- serialisation: a key file, lossless (doubles round-trip) ---- */

static void put_path(GKeyFile *k, const char *g, const struct path_result *p)
{
	g_autofree char *hist = stats_hist_encode(p->latency);

	g_key_file_set_uint64(k, g, "offered", p->offered_packets);
	g_key_file_set_uint64(k, g, "delivered", p->delivered_packets);
	g_key_file_set_uint64(k, g, "dropped", p->dropped_packets);
	g_key_file_set_uint64(k, g, "in_flight", p->in_flight_packets);
	g_key_file_set_double(k, g, "offered_pps", p->offered_pps);
	g_key_file_set_double(k, g, "offered_bps", p->offered_bps);
	g_key_file_set_double(k, g, "delivered_pps", p->delivered_pps);
	g_key_file_set_double(k, g, "delivered_bps", p->delivered_bps);
	g_key_file_set_string(k, g, "latency", hist);
	g_key_file_set_uint64(k, g, "w_n", p->latency_w.n);
	g_key_file_set_double(k, g, "w_mean", p->latency_w.mean);
	g_key_file_set_double(k, g, "w_m2", p->latency_w.m2);
	g_key_file_set_double(k, g, "jitter", p->jitter.j);
	g_key_file_set_double(k, g, "jitter_prev", p->jitter.prev);
	g_key_file_set_boolean(k, g, "jitter_primed", p->jitter.primed);
	g_key_file_set_double(k, g, "jitter_sum", p->jitter.sum);
	g_key_file_set_uint64(k, g, "jitter_n", p->jitter.n);
	g_key_file_set_double(k, g, "host_cpu_cores", p->host_cpu_cores);
	g_key_file_set_double(k, g, "host_cycles_per_packet", p->host_cycles_per_packet);
	g_key_file_set_double(k, g, "guest_cpu_vcpus", p->guest_cpu_vcpus);
	g_key_file_set_integer(k, g, "stages", (gint)p->stages->len);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);
		g_autofree char *sg = g_strdup_printf("%s stage %u", g, i);

		g_key_file_set_string(k, sg, "name", s->name);
		g_key_file_set_string(k, sg, "where", s->where ? s->where : "");
		g_key_file_set_uint64(k, sg, "packets", s->packets);
		g_key_file_set_uint64(k, sg, "drops", s->drops);
		g_key_file_set_double(k, sg, "mean_s", s->mean_s);
		g_key_file_set_double(k, sg, "utilisation", s->utilisation);
		g_key_file_set_double(k, sg, "cycles", s->cycles);
		g_key_file_set_double(k, sg, "occupancy", s->occupancy);
	}
}

GKeyFile *run_result_to_keyfile(const struct run_result *r)
{
	GKeyFile *k = g_key_file_new();

	g_key_file_set_string(k, "run", "scenario", r->scenario ? r->scenario : "");
	g_key_file_set_string(k, "run", "model", r->model ? r->model : "");
	g_key_file_set_uint64(k, "run", "seed", r->seed);
	g_key_file_set_double(k, "run", "duration_s", r->duration_s);
	g_key_file_set_string(k, "run", "source", r->source ? r->source : "");
	g_key_file_set_boolean(k, "run", "partial", r->partial);
	g_key_file_set_string_list(k, "run", "note_keys",
				   (const char *const *)r->note_keys->pdata, r->note_keys->len);
	g_key_file_set_string_list(k, "run", "note_values",
				   (const char *const *)r->note_values->pdata, r->note_values->len);
	for (int p = 0; p < PATH_COUNT; p++)
		put_path(k, path_name(p), &r->paths[p]);
	return k;
}

static bool get_path(GKeyFile *k, const char *g, struct path_result *p, GError **error)
{
	GError *e = NULL;
	g_autofree char *hist = g_key_file_get_string(k, g, "latency", &e);

	if (!hist)
		goto fail;
	struct stats_hist *h = stats_hist_decode(hist, &e);
	if (!h)
		goto fail;
	stats_hist_free(p->latency);
	p->latency = h;
#define U64(f, key) p->f = g_key_file_get_uint64(k, g, key, &e); if (e) goto fail
#define DBL(f, key) p->f = g_key_file_get_double(k, g, key, &e); if (e) goto fail
	U64(offered_packets, "offered");
	U64(delivered_packets, "delivered");
	U64(dropped_packets, "dropped");
	U64(in_flight_packets, "in_flight");
	DBL(offered_pps, "offered_pps");
	DBL(offered_bps, "offered_bps");
	DBL(delivered_pps, "delivered_pps");
	DBL(delivered_bps, "delivered_bps");
	U64(latency_w.n, "w_n");
	DBL(latency_w.mean, "w_mean");
	DBL(latency_w.m2, "w_m2");
	DBL(jitter.j, "jitter");
	DBL(jitter.prev, "jitter_prev");
	p->jitter.primed = g_key_file_get_boolean(k, g, "jitter_primed", &e);
	if (e)
		goto fail;
	DBL(jitter.sum, "jitter_sum");
	U64(jitter.n, "jitter_n");
	DBL(host_cpu_cores, "host_cpu_cores");
	DBL(host_cycles_per_packet, "host_cycles_per_packet");
	DBL(guest_cpu_vcpus, "guest_cpu_vcpus");
#undef U64
#undef DBL
	int n = g_key_file_get_integer(k, g, "stages", &e);
	if (e)
		goto fail;
	for (int i = 0; i < n; i++) {
		g_autofree char *sg = g_strdup_printf("%s stage %d", g, i);
		g_autofree char *name = g_key_file_get_string(k, sg, "name", &e);
		g_autofree char *where = name ? g_key_file_get_string(k, sg, "where", &e) : NULL;

		if (!where)
			goto fail;
		struct stage_result *s = path_result_add_stage(p, name, where);
		s->packets = g_key_file_get_uint64(k, sg, "packets", &e);
		s->drops = e ? 0 : g_key_file_get_uint64(k, sg, "drops", &e);
		s->mean_s = e ? 0 : g_key_file_get_double(k, sg, "mean_s", &e);
		s->utilisation = e ? 0 : g_key_file_get_double(k, sg, "utilisation", &e);
		s->cycles = e ? 0 : g_key_file_get_double(k, sg, "cycles", &e);
		s->occupancy = e ? 0 : g_key_file_get_double(k, sg, "occupancy", &e);
		if (e)
			goto fail;
	}
	return true;
fail:
	g_propagate_prefixed_error(error, e, "results [%s]: ", g);
	return false;
}

bool run_result_from_keyfile(GKeyFile *k, struct run_result *r, GError **error)
{
	GError *e = NULL;
	g_auto(GStrv) nk = NULL;
	g_auto(GStrv) nv = NULL;

	g_free(r->scenario);
	g_free(r->model);
	g_free(r->source);
	r->scenario = g_key_file_get_string(k, "run", "scenario", &e);
	if (e)
		goto fail;
	r->model = g_key_file_get_string(k, "run", "model", &e);
	if (e)
		goto fail;
	r->source = g_key_file_get_string(k, "run", "source", &e);
	if (e)
		goto fail;
	r->seed = g_key_file_get_uint64(k, "run", "seed", &e);
	if (e)
		goto fail;
	r->duration_s = g_key_file_get_double(k, "run", "duration_s", &e);
	if (e)
		goto fail;
	r->partial = g_key_file_get_boolean(k, "run", "partial", &e);
	if (e)
		goto fail;
	nk = g_key_file_get_string_list(k, "run", "note_keys", NULL, NULL);
	nv = g_key_file_get_string_list(k, "run", "note_values", NULL, NULL);
	for (guint i = 0; nk && nv && nk[i] && nv[i]; i++)
		run_result_note(r, nk[i], "%s", nv[i]);
	for (int p = 0; p < PATH_COUNT; p++)
		if (!get_path(k, path_name(p), &r->paths[p], error))
			return false;
	return true;
fail:
	g_propagate_prefixed_error(error, e, "results: ");
	return false;
}
