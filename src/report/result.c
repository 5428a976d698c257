/* result.c: construction of run_result (see result.h). */
#include "report/result.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "core/msg.h"
#include "report/metrics.h"

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

static void path_result_init(struct path_result *p)
{
	p->latency = stats_hist_new();
	p->stages = g_array_new(FALSE, TRUE, sizeof(struct stage_result));
	g_array_set_clear_func(p->stages, stage_result_clear);
	p->budget = g_array_new(FALSE, TRUE, sizeof(struct budget_row));
	g_array_set_clear_func(p->budget, budget_row_clear);
	p->series = g_array_new(FALSE, TRUE, sizeof(struct interval_row));
	p->phases = g_array_new(FALSE, TRUE, sizeof(struct interval_row));
}

static void path_result_clear(struct path_result *p)
{
	stats_hist_free(p->latency);
	g_array_unref(p->stages);
	g_array_unref(p->budget);
	g_array_unref(p->series);
	g_array_unref(p->phases);
}

static void vm_result_free(gpointer data)
{
	struct vm_result *v = data;

	for (int p = 0; p < PATH_COUNT; p++)
		path_result_clear(&v->paths[p]);
	g_free(v->name);
	g_free(v->an);
	g_free(v);
}

struct vm_result *run_result_add_vm(struct run_result *r, const char *name, const char *an)
{
	struct vm_result *v = g_new0(struct vm_result, 1);

	v->name = g_strdup(name);
	v->an = g_strdup(an);
	for (int p = 0; p < PATH_COUNT; p++)
		path_result_init(&v->paths[p]);
	g_ptr_array_add(r->vms, v);
	return v;
}

const struct vm_result *run_result_vm(const struct run_result *r, const char *name)
{
	for (guint i = 0; i < r->vms->len; i++) {
		const struct vm_result *v = r->vms->pdata[i];

		if (!strcmp(v->name, name))
			return v;
	}
	return NULL;
}

struct run_result *run_result_new(void)
{
	struct run_result *r = g_new0(struct run_result, 1);

	for (int p = 0; p < PATH_COUNT; p++)
		path_result_init(&r->paths[p]);
	r->vms = g_ptr_array_new_with_free_func(vm_result_free);
	r->note_keys = g_ptr_array_new_with_free_func(g_free);
	r->note_values = g_ptr_array_new_with_free_func(g_free);
	r->core_year_usd = NAN;
	return r;
}

void run_result_free(struct run_result *r)
{
	if (!r)
		return;
	for (int p = 0; p < PATH_COUNT; p++)
		path_result_clear(&r->paths[p]);
	g_ptr_array_unref(r->vms);
	g_ptr_array_unref(r->note_keys);
	g_ptr_array_unref(r->note_values);
	g_free(r->scenario);
	g_free(r->model);
	g_free(r->source);
	g_free(r->focus);
	g_free(r->focus_an);
	provenance_free(r->provenance);
	g_free(r);
}

struct run_result *run_result_copy(const struct run_result *r)
{
	g_autoptr(GKeyFile) k = run_result_to_keyfile(r);
	g_autoptr(GError) e = NULL;
	struct run_result *c = run_result_new();

	/* its own form always reads back */
	if (!run_result_from_keyfile(k, c, &e))
		g_error("run_result_copy: %s", e->message);
	return c;
}

struct run_result *run_result_focus(const struct run_result *r, const char *name,
				    GError **error)
{
	if (!run_result_vm(r, name)) {
		g_autoptr(GPtrArray) names = g_ptr_array_new();

		for (guint i = 0; i < r->vms->len; i++)
			g_ptr_array_add(names, ((struct vm_result *)r->vms->pdata[i])->name);
		g_ptr_array_add(names, NULL);
		g_autofree char *all = g_strjoinv(", ", (char **)names->pdata);

		if (r->vms->len)
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--vm: expected one of the host's VMs (%s), got '%s'", all, name);
		else
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--vm: the scenario places no VMs of its own ([vm NAME]): its one "
				    "VM's figures are the run's, got '%s'",
				    name);
		return NULL;
	}
	struct run_result *c = run_result_copy(r);

	for (guint i = 0; i < c->vms->len; i++) {
		struct vm_result *v = c->vms->pdata[i];

		if (strcmp(v->name, name))
			continue;
		for (int p = 0; p < PATH_COUNT; p++) {
			struct path_result t = c->paths[p];

			c->paths[p] = v->paths[p];
			v->paths[p] = t;
		}
		c->focus = g_strdup(v->name);
		c->focus_an = g_strdup(v->an);
		break;
	}
	c->host_vms = r->vms->len;
	g_ptr_array_set_size(c->vms, 0);
	return c;
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

/* ---- serialisation: a key file, lossless (doubles round-trip) ----
 *
 * [run], then per path [PATH] with its figures (metric_path's stored
 * fields) and the latency state, [PATH stage N], [PATH budget N] and
 * [PATH interval N] with the fields of metric_stage, metric_budget and
 * metric_interval, and the provenance's groups. */

static void put_name(GKeyFile *k, const char *g, const char *name, const char *where)
{
	g_key_file_set_string(k, g, "name", name ? name : "");
	g_key_file_set_string(k, g, "where", where ? where : "");
}

static void put_path(GKeyFile *k, const char *g, const struct path_result *p)
{
	g_autofree char *hist = stats_hist_encode(p->latency);

	metric_store(k, g, &metric_path, p);
	g_key_file_set_string(k, g, "latency", hist);
	g_key_file_set_uint64(k, g, "w_n", p->latency_w.n);
	g_key_file_set_double(k, g, "w_mean", p->latency_w.mean);
	g_key_file_set_double(k, g, "w_m2", p->latency_w.m2);
	g_key_file_set_double(k, g, "jitter", p->jitter.j);
	g_key_file_set_double(k, g, "jitter_prev", p->jitter.prev);
	g_key_file_set_boolean(k, g, "jitter_primed", p->jitter.primed);
	g_key_file_set_double(k, g, "jitter_sum", p->jitter.sum);
	g_key_file_set_uint64(k, g, "jitter_n", p->jitter.n);
	g_key_file_set_boolean(k, g, "hypothetical", p->hypothetical);
	g_key_file_set_integer(k, g, "stage_rows", (gint)p->stages->len);
	for (guint i = 0; i < p->stages->len; i++) {
		const struct stage_result *s = &g_array_index(p->stages, struct stage_result, i);
		g_autofree char *sg = g_strdup_printf("%s stage %u", g, i);

		put_name(k, sg, s->name, s->where);
		metric_store(k, sg, &metric_stage, s);
	}
	g_key_file_set_integer(k, g, "budget_rows", (gint)p->budget->len);
	for (guint i = 0; i < p->budget->len; i++) {
		const struct budget_row *b = &g_array_index(p->budget, struct budget_row, i);
		g_autofree char *sg = g_strdup_printf("%s budget %u", g, i);

		put_name(k, sg, b->name, b->where);
		metric_store(k, sg, &metric_budget, b);
	}
	g_key_file_set_integer(k, g, "interval_rows", (gint)p->series->len);
	for (guint i = 0; i < p->series->len; i++) {
		g_autofree char *sg = g_strdup_printf("%s interval %u", g, i);

		metric_store(k, sg, &metric_interval,
			     &g_array_index(p->series, struct interval_row, i));
	}
	if (!p->phases->len)
		return;
	g_key_file_set_integer(k, g, "phase_rows", (gint)p->phases->len);
	for (guint i = 0; i < p->phases->len; i++) {
		g_autofree char *sg = g_strdup_printf("%s phase %u", g, i);

		metric_store(k, sg, &metric_interval,
			     &g_array_index(p->phases, struct interval_row, i));
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
	g_key_file_set_double(k, "run", "interval_s", r->interval_s);
	if (isfinite(r->core_year_usd))
		g_key_file_set_double(k, "run", "core_year_usd", r->core_year_usd);
	g_key_file_set_string_list(k, "run", "note_keys",
				   (const char *const *)r->note_keys->pdata, r->note_keys->len);
	g_key_file_set_string_list(k, "run", "note_values",
				   (const char *const *)r->note_values->pdata, r->note_values->len);
	for (int p = 0; p < PATH_COUNT; p++)
		put_path(k, path_name(p), &r->paths[p]);
	if (r->vms->len || r->focus) {
		g_autoptr(GPtrArray) names = g_ptr_array_new();
		g_autoptr(GPtrArray) ans = g_ptr_array_new();

		for (guint i = 0; i < r->vms->len; i++) {
			const struct vm_result *v = r->vms->pdata[i];

			g_ptr_array_add(names, v->name);
			g_ptr_array_add(ans, v->an);
			for (int p = 0; p < PATH_COUNT; p++) {
				g_autofree char *g = g_strdup_printf("vm %s %s", v->name, path_name(p));

				put_path(k, g, &v->paths[p]);
			}
		}
		g_key_file_set_string_list(k, "run", "vms", (const char *const *)names->pdata,
					   names->len);
		g_key_file_set_string_list(k, "run", "vm_accelerated_networking",
					   (const char *const *)ans->pdata, ans->len);
		g_key_file_set_integer(k, "run", "host_vms", (gint)r->host_vms);
		if (r->focus) {
			g_key_file_set_string(k, "run", "focus", r->focus);
			g_key_file_set_string(k, "run", "focus_accelerated_networking",
					      r->focus_an ? r->focus_an : "");
		}
		for (int p = 0; p < PATH_COUNT; p++) {
			g_autofree char *g = g_strdup_printf("host %s", path_name(p));

			metric_store(k, g, &metric_host, &r->host[p]);
		}
	}
	if (r->provenance)
		provenance_store(k, r->provenance);
	return k;
}

/* The number of [g kind N] groups, from g's kind_rows. */
static int row_count(GKeyFile *k, const char *g, const char *kind, GError **e)
{
	g_autofree char *key = g_strdup_printf("%s_rows", kind);
	int n = g_key_file_get_integer(k, g, key, e);

	if (!*e && n < 0)
		g_set_error(e, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s: expected a count of at least 0, got %d", key, n);
	return *e ? -1 : n;
}

/* name and where of group sg, or FALSE. */
static bool get_name(GKeyFile *k, const char *sg, char **name, char **where, GError **e)
{
	*name = g_key_file_get_string(k, sg, "name", e);
	*where = *name ? g_key_file_get_string(k, sg, "where", e) : NULL;
	return *where != NULL;
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
	if (!metric_load(k, g, &metric_path, p, &e))
		goto fail;
#define U64(f, key) p->f = g_key_file_get_uint64(k, g, key, &e); if (e) goto fail
#define DBL(f, key) p->f = g_key_file_get_double(k, g, key, &e); if (e) goto fail
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
#undef U64
#undef DBL
	/* absent in results written before it existed: not hypothetical */
	p->hypothetical = g_key_file_get_boolean(k, g, "hypothetical", NULL);
	int n = row_count(k, g, "stage", &e);
	for (int i = 0; i < n; i++) {
		g_autofree char *sg = g_strdup_printf("%s stage %d", g, i);
		g_autofree char *name = NULL, *where = NULL;

		if (!get_name(k, sg, &name, &where, &e) ||
		    !metric_load(k, sg, &metric_stage, path_result_add_stage(p, name, where), &e))
			goto fail;
	}
	if (e || (n = row_count(k, g, "budget", &e)) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		g_autofree char *sg = g_strdup_printf("%s budget %d", g, i);
		g_autofree char *name = NULL, *where = NULL;

		if (!get_name(k, sg, &name, &where, &e) ||
		    !metric_load(k, sg, &metric_budget, path_result_add_budget(p, name, where), &e))
			goto fail;
	}
	if ((n = row_count(k, g, "interval", &e)) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		g_autofree char *sg = g_strdup_printf("%s interval %d", g, i);
		struct interval_row iv = { 0 };

		if (!metric_load(k, sg, &metric_interval, &iv, &e))
			goto fail;
		g_array_append_val(p->series, iv);
	}
	/* results without events have no phases */
	n = g_key_file_has_key(k, g, "phase_rows", NULL) ? row_count(k, g, "phase", &e) : 0;
	if (n < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		g_autofree char *sg = g_strdup_printf("%s phase %d", g, i);
		struct interval_row iv = { 0 };

		if (!metric_load(k, sg, &metric_interval, &iv, &e))
			goto fail;
		g_array_append_val(p->phases, iv);
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
	r->interval_s = g_key_file_get_double(k, "run", "interval_s", &e);
	if (e)
		goto fail;
	/* optional: a result may not be priced */
	if (g_key_file_has_key(k, "run", "core_year_usd", NULL)) {
		r->core_year_usd = g_key_file_get_double(k, "run", "core_year_usd", &e);
		if (e)
			goto fail;
	}
	nk = g_key_file_get_string_list(k, "run", "note_keys", NULL, NULL);
	nv = g_key_file_get_string_list(k, "run", "note_values", NULL, NULL);
	for (guint i = 0; nk && nv && nk[i] && nv[i]; i++)
		run_result_note(r, nk[i], "%s", nv[i]);
	for (int p = 0; p < PATH_COUNT; p++)
		if (!get_path(k, path_name(p), &r->paths[p], error))
			return false;
	/* a host of several VMs ([vm NAME]): each VM's paths, and the host's */
	if (g_key_file_has_key(k, "run", "vms", NULL)) {
		g_auto(GStrv) names = g_key_file_get_string_list(k, "run", "vms", NULL, NULL);
		g_auto(GStrv) ans =
			g_key_file_get_string_list(k, "run", "vm_accelerated_networking", NULL, NULL);

		for (guint i = 0; names && names[i]; i++) {
			struct vm_result *v =
				run_result_add_vm(r, names[i], ans && i < g_strv_length(ans) ? ans[i] : "");

			for (int p = 0; p < PATH_COUNT; p++) {
				g_autofree char *g = g_strdup_printf("vm %s %s", names[i], path_name(p));

				if (!get_path(k, g, &v->paths[p], error))
					return false;
			}
		}
		r->host_vms = (unsigned)g_key_file_get_integer(k, "run", "host_vms", NULL);
		r->focus = g_key_file_get_string(k, "run", "focus", NULL);
		r->focus_an = g_key_file_get_string(k, "run", "focus_accelerated_networking", NULL);
		for (int p = 0; p < PATH_COUNT; p++) {
			g_autofree char *g = g_strdup_printf("host %s", path_name(p));

			if (!metric_load(k, g, &metric_host, &r->host[p], &e))
				goto fail;
		}
	}
	provenance_free(r->provenance);
	return provenance_load(k, &r->provenance, error);
fail:
	g_propagate_prefixed_error(error, e, "results: ");
	return false;
}
