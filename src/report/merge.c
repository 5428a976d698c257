/* merge.c: pooling replications and their statistics (see merge.h). */
#include "report/merge.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"

/* ---- one configuration? ---- */

static const char *prov_value(const struct provenance *p, const char *key)
{
	for (guint i = 0; p && i < p->keys->len; i++)
		if (!strcmp(p->keys->pdata[i], key))
			return p->values->pdata[i];
	return NULL;
}

static bool differ(const char *a, const char *b)
{
	return g_strcmp0(a, b) != 0;
}

bool merge_check(const struct run_result *a, const char *what_a, const struct run_result *b,
		 const char *what_b, GError **error)
{
	const struct provenance *pa = a->provenance, *pb = b->provenance;
	g_autofree char *why = NULL;

	if (differ(a->source, b->source))
		why = g_strdup_printf("one is a %s, the other a %s", a->source, b->source);
	else if (!pa || !pb)
		why = g_strdup("a result without provenance cannot be matched to another");
	else if (differ(pa->scenario_sha256, pb->scenario_sha256))
		why = g_strdup("their scenario files differ (SHA-256)");
	else if (differ(pa->model_sha256, pb->model_sha256))
		why = g_strdup("their model files differ (SHA-256)");
	else if (differ(pa->version, pb->version))
		why = g_strdup_printf("accelsim %s and %s made them", pa->version, pb->version);
	if (!why && pa) {
		for (guint i = 0; i < pa->keys->len && !why; i++) {
			const char *k = pa->keys->pdata[i];

			if (!strcmp(k, "scenario.seed"))
				continue;
			if (differ(pa->values->pdata[i], prov_value(pb, k)))
				why = g_strdup_printf("%s is '%s' in one and '%s' in the other", k,
						      (char *)pa->values->pdata[i],
						      prov_value(pb, k) ? prov_value(pb, k) : "unset");
		}
		for (guint i = 0; i < pb->keys->len && !why; i++)
			if (!prov_value(pa, pb->keys->pdata[i]))
				why = g_strdup_printf("%s is set in one only",
						      (char *)pb->keys->pdata[i]);
	}
	for (int p = 0; p < PATH_COUNT && !why; p++) {
		/* (budget rows may differ: a row no packet of a run spent time
		 * in is left out of it) */
		const GArray *sa = a->paths[p].stages, *sb = b->paths[p].stages;

		if (sa->len != sb->len)
			why = g_strdup_printf("their %s paths have different stages", path_name(p));
		for (guint i = 0; i < sa->len && !why; i++)
			if (differ(g_array_index(sa, struct stage_result, i).name,
				   g_array_index(sb, struct stage_result, i).name))
				why = g_strdup_printf("their %s paths have different stages",
						      path_name(p));
	}
	if (!why)
		return true;
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
		    "%s and %s are not runs of one configuration: %s", what_a, what_b, why);
	return false;
}

/* ---- the pooled result ---- */

/* Sum of w over the runs, and of w * x. */
struct wsum {
	double w, wx;
};

static void wadd(struct wsum *s, double w, double x)
{
	if (!isfinite(x) || !(w > 0))
		return;
	s->w += w;
	s->wx += w * x;
}

static double wmean(const struct wsum *s)
{
	return s->w > 0 ? s->wx / s->w : 0;
}

static void pool_intervals(GArray *out, struct run_result *const *rs, guint n, int p,
			   bool phases);

static void pool_path(struct path_result *out, struct run_result *const *rs, guint n, int p)
{
	struct wsum opps = { 0 }, obps = { 0 }, dpps = { 0 }, dbps = { 0 }, host = { 0 },
		    guest = { 0 }, per_deliv = { 0 }, per_proc = { 0 };
	const struct path_result *first = &rs[0]->paths[p];

	for (guint i = 0; i < n; i++) {
		const struct path_result *x = &rs[i]->paths[p];
		const double d = rs[i]->duration_s;

		out->offered_packets += x->offered_packets;
		out->delivered_packets += x->delivered_packets;
		out->dropped_packets += x->dropped_packets;
		out->in_flight_packets += x->in_flight_packets;
		wadd(&opps, d, x->offered_pps);
		wadd(&obps, d, x->offered_bps);
		wadd(&dpps, d, x->delivered_pps);
		wadd(&dbps, d, x->delivered_bps);
		wadd(&host, d, x->host_cpu_cores);
		wadd(&guest, d, x->guest_cpu_vcpus);
		/* per delivered packet: weighted by the packets it divides */
		wadd(&per_deliv, (double)x->delivered_packets, x->host_cycles_per_packet);
		/* per processed packet: weighted by the packets processed, which
		 * are the host cycles spent over the cycles per packet */
		if (x->host_cycles_per_processed > 0)
			wadd(&per_proc, x->host_cpu_cores * d / x->host_cycles_per_processed,
			     x->host_cycles_per_processed);
		stats_hist_merge(out->latency, x->latency);
		stats_welford_merge(&out->latency_w, &x->latency_w);
		out->jitter.sum += x->jitter.sum;
		out->jitter.n += x->jitter.n;
		out->jitter.j = x->jitter.j;
		out->jitter.prev = x->jitter.prev;
		out->jitter.primed = out->jitter.primed || x->jitter.primed;
	}
	out->offered_pps = wmean(&opps);
	out->offered_bps = wmean(&obps);
	out->delivered_pps = wmean(&dpps);
	out->delivered_bps = wmean(&dbps);
	out->host_cpu_cores = wmean(&host);
	out->guest_cpu_vcpus = wmean(&guest);
	out->host_cycles_per_packet = wmean(&per_deliv);
	out->host_cycles_per_processed = wmean(&per_proc);

	for (guint s = 0; s < first->stages->len; s++) {
		const struct stage_result *f = &g_array_index(first->stages, struct stage_result, s);
		struct stage_result *o = path_result_add_stage(out, f->name, f->where);
		struct wsum mean = { 0 }, util = { 0 }, occ = { 0 };

		for (guint i = 0; i < n; i++) {
			const struct stage_result *x =
				&g_array_index(rs[i]->paths[p].stages, struct stage_result, s);

			o->packets += x->packets;
			o->drops += x->drops;
			o->cycles += x->cycles;
			wadd(&mean, (double)x->packets, x->mean_s);
			wadd(&util, rs[i]->duration_s, x->utilisation);
			wadd(&occ, rs[i]->duration_s, x->occupancy);
		}
		o->mean_s = wmean(&mean);
		o->utilisation = wmean(&util);
		o->occupancy = wmean(&occ);
	}

	/* budget rows are means over the counted, delivered packets; a run
	 * without a row spent no time there.  The rows are every run's, each
	 * after the row it follows in its run. */
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		const GArray *b = rs[i]->paths[p].budget;
		guint at = 0;

		for (guint j = 0; j < b->len; j++) {
			const char *nm = g_array_index(b, struct budget_row, j).name;
			guint k = 0;

			while (k < names->len && strcmp(names->pdata[k], nm))
				k++;
			if (k == names->len) {
				g_ptr_array_insert(names, (gint)at, (gpointer)nm);
				k = at;
			}
			at = k + 1;
		}
	}
	for (guint r = 0; r < names->len; r++) {
		struct budget_row *o = NULL;
		struct wsum wait = { 0 }, wake = { 0 }, svc = { 0 }, delay = { 0 };

		for (guint i = 0; i < n; i++) {
			const GArray *b = rs[i]->paths[p].budget;
			const double w = (double)rs[i]->paths[p].latency_w.n;
			const struct budget_row *x = NULL;

			for (guint j = 0; j < b->len && !x; j++)
				if (!strcmp(g_array_index(b, struct budget_row, j).name, names->pdata[r]))
					x = &g_array_index(b, struct budget_row, j);
			if (x && !o)
				o = path_result_add_budget(out, x->name, x->where);
			wadd(&wait, w, x ? x->wait_s : 0);
			wadd(&wake, w, x ? x->wake_s : 0);
			wadd(&svc, w, x ? x->service_s : 0);
			wadd(&delay, w, x ? x->delay_s : 0);
		}
		o->wait_s = wmean(&wait);
		o->wake_s = wmean(&wake);
		o->service_s = wmean(&svc);
		o->delay_s = wmean(&delay);
	}

	pool_intervals(out->series, rs, n, p, false);
	pool_intervals(out->phases, rs, n, p, true);
}

/* The time series (or the phases): interval by interval, the mean of the
 * runs that have that interval. */
static void pool_intervals(GArray *out, struct run_result *const *rs, guint n, int p, bool phases)
{
	guint len = 0;
	for (guint i = 0; i < n; i++)
		len = MAX(len, (phases ? rs[i]->paths[p].phases : rs[i]->paths[p].series)->len);
	for (guint t = 0; t < len; t++) {
		struct interval_row o = { 0 };
		struct wsum f[6] = { { 0 } };
		guint have = 0;

		for (guint i = 0; i < n; i++) {
			const GArray *se = phases ? rs[i]->paths[p].phases : rs[i]->paths[p].series;

			if (t >= se->len)
				continue;
			const struct interval_row *x = &g_array_index(se, struct interval_row, t);
			if (!have) {
				o.t0_s = x->t0_s;
				o.t1_s = x->t1_s;
			}
			have++;
			wadd(&f[0], 1, (double)x->delivered);
			wadd(&f[1], 1, (double)x->dropped);
			wadd(&f[2], 1, x->delivered_bps);
			wadd(&f[3], 1, x->latency_p50_s);
			wadd(&f[4], 1, x->latency_p99_s);
			wadd(&f[5], 1, x->host_cpu_cores);
			o.guest_cpu_vcpus += x->guest_cpu_vcpus;
		}
		o.delivered = (uint64_t)llround(wmean(&f[0]));
		o.dropped = (uint64_t)llround(wmean(&f[1]));
		o.delivered_bps = wmean(&f[2]);
		o.latency_p50_s = f[3].w > 0 ? wmean(&f[3]) : NAN;
		o.latency_p99_s = f[4].w > 0 ? wmean(&f[4]) : NAN;
		o.host_cpu_cores = wmean(&f[5]);
		o.guest_cpu_vcpus /= have;
		g_array_append_val(out, o);
	}
}

/* A host of several VMs: each VM's paths pooled as the run's are, and the
 * host's figures (rates: weighted by each run's measured time).  Runs of
 * one configuration have the same VMs. */
static void pool_vms(struct run_result *out, struct run_result *const *rs, guint n)
{
	const struct run_result *first = rs[0];
	g_autofree struct run_result *views = g_new(struct run_result, n);
	g_autofree struct run_result **vp = g_new(struct run_result *, n);

	out->host_vms = first->host_vms;
	out->focus = g_strdup(first->focus);
	out->focus_an = g_strdup(first->focus_an);
	for (int p = 0; p < PATH_COUNT; p++) {
		struct wsum cores = { 0 }, cyc = { 0 };

		for (guint i = 0; i < n; i++) {
			wadd(&cores, rs[i]->duration_s, rs[i]->host[p].host_cpu_cores);
			wadd(&cyc, rs[i]->duration_s, rs[i]->host[p].host_cycles_per_processed);
		}
		out->host[p].host_cpu_cores = wmean(&cores);
		out->host[p].host_cycles_per_processed = wmean(&cyc);
	}
	for (guint v = 0; v < first->vms->len; v++) {
		const struct vm_result *fv = first->vms->pdata[v];
		struct vm_result *ov = run_result_add_vm(out, fv->name, fv->an);

		/* each run seen through VM v: its paths are the VM's */
		for (guint i = 0; i < n; i++) {
			const struct vm_result *x = v < rs[i]->vms->len ? rs[i]->vms->pdata[v] : NULL;

			views[i] = *rs[i];
			for (int p = 0; x && p < PATH_COUNT; p++)
				views[i].paths[p] = x->paths[p];
			vp[i] = &views[i];
		}
		for (int p = 0; p < PATH_COUNT; p++)
			pool_path(&ov->paths[p], vp, n, p);
	}
}

struct run_result *merge_pool(struct run_result *const *rs, guint n)
{
	struct run_result *out = run_result_new();
	const struct run_result *first = rs[0];

	g_assert(n >= 1);
	out->scenario = g_strdup(first->scenario);
	out->model = g_strdup(first->model);
	out->source = g_strdup(first->source);
	out->seed = first->seed;
	out->interval_s = first->interval_s;
	out->core_year_usd = first->core_year_usd;
	for (guint i = 0; i < n; i++) {
		out->duration_s += rs[i]->duration_s;
		out->partial = out->partial || rs[i]->partial;
	}
	for (int p = 0; p < PATH_COUNT; p++)
		pool_path(&out->paths[p], rs, n, p);
	pool_vms(out, rs, n);
	for (guint i = 0; i < first->note_keys->len; i++)
		run_result_note(out, first->note_keys->pdata[i], "%s",
				(char *)first->note_values->pdata[i]);
	if (first->provenance) {
		out->provenance = provenance_copy(first->provenance);
		for (guint i = 1; i < n; i++)
			if (rs[i]->provenance)
				out->provenance->wall_s += rs[i]->provenance->wall_s;
	}
	return out;
}

/* ---- replication statistics ---- */

size_t merge_metric_index(const struct metric *m)
{
	g_assert(m >= metric_path.rows && m < metric_path.rows + metric_path.n);
	return (size_t)(m - metric_path.rows);
}

struct merge_stats *merge_stats_new(struct run_result *const *rs, guint n)
{
	struct merge_stats *st = g_new0(struct merge_stats, 1);

	st->n = n;
	st->seeds = g_new(uint64_t, n);
	for (guint i = 0; i < n; i++)
		st->seeds[i] = rs[i]->seed;
	for (int p = 0; p < PATH_COUNT; p++) {
		st->mean[p] = g_new(double, metric_path.n);
		st->half[p] = g_new(double, metric_path.n);
		for (METRIC_EACH(m, &metric_path)) {
			struct stats_welford w = { 0 };
			bool all = n > 0;

			for (guint i = 0; i < n; i++) {
				double v = metric_value(m, &rs[i]->paths[p]);

				if (!isfinite(v))
					all = false;
				else
					stats_welford_add(&w, v);
			}
			size_t k = merge_metric_index(m);
			st->mean[p][k] = all ? w.mean : NAN;
			st->half[p][k] = all ? stats_ci95_half(w.n, stats_welford_stddev(&w)) : NAN;
		}
	}
	return st;
}

void merge_stats_free(struct merge_stats *st)
{
	if (!st)
		return;
	for (int p = 0; p < PATH_COUNT; p++) {
		g_free(st->mean[p]);
		g_free(st->half[p]);
	}
	g_free(st->seeds);
	g_free(st);
}
