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

struct run_result *run_result_new(void)
{
	struct run_result *r = g_new0(struct run_result, 1);

	for (int p = 0; p < PATH_COUNT; p++) {
		r->paths[p].latency = stats_hist_new();
		r->paths[p].stages = g_array_new(FALSE, TRUE, sizeof(struct stage_result));
		g_array_set_clear_func(r->paths[p].stages, stage_result_clear);
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
