/* load.c: scaling a scenario's offered load (see load.h). */
#include "sweep/load.h"

#include <math.h>

#include "core/msg.h"
#include "pipeline/pipeline.h"
#include "sweep/plan.h"

void sweep_load_free(struct sweep_load *l)
{
	if (!l)
		return;
	g_ptr_array_unref(l->groups);
	g_array_unref(l->rates);
	g_free(l);
}

struct sweep_load *sweep_load_new(const struct scenario *s, GError **error)
{
	g_autoptr(sweep_load) l = g_new0(struct sweep_load, 1);
	unsigned rr = 0;

	l->groups = g_ptr_array_new_with_free_func(g_free);
	l->rates = g_array_new(FALSE, FALSE, sizeof(struct quantity));
	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);
		const double size = dist_mean(&t->size);
		double pps;

		if (t->vm != TVM_SELF || t->pattern == PAT_TRACE || t->pattern == PAT_TCP ||
		    (t->pattern == PAT_REQRESP && t->concurrency > 0))
			continue;
		switch (t->rate.kind) {
		case UNIT_BITRATE:
			pps = t->rate.value / (8 * size);
			break;
		case UNIT_PERCENT:
			pps = t->rate.value * pipeline_capacity_pps(s, size, traffic_route_kind(t));
			break;
		default:
			pps = t->rate.value;
			break;
		}
		if (!isfinite(pps))
			continue;
		g_ptr_array_add(l->groups, g_strdup(t->name));
		g_array_append_val(l->rates, t->rate);
		l->base_pps += pps;
		l->base_bps += pps * 8 * size;
		rr += t->pattern == PAT_REQRESP;
	}
	if (!l->groups->len) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--load: %s has no traffic of its own with a rate to scale (trace "
			    "replays, closed-loop request/response and a neighbour's traffic keep "
			    "theirs); vary a key instead, e.g. --vary traffic.concurrency=1,4,16",
			    s->name);
		return NULL;
	}
	l->requests = rr == l->groups->len;
	return g_steal_pointer(&l);
}

double sweep_load_factor(const struct sweep_load *l, double value, enum unit_kind kind,
			 GError **error)
{
	if (kind == UNIT_REQRATE && !l->requests) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--load: expected a packet or bit rate (the traffic is not all "
			    "request/response), got requests/s");
		return NAN;
	}
	return kind == UNIT_BITRATE ? value / l->base_bps : value / l->base_pps;
}

GPtrArray *sweep_load_sets(const struct sweep_load *l, double factor)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < l->groups->len; i++) {
		const struct quantity *q = &g_array_index(l->rates, struct quantity, i);
		double v = q->value * factor;
		g_autofree char *text = sweep_value_text(q->kind == UNIT_PERCENT ? v * 100 : v,
							 q->kind);

		g_ptr_array_add(out, g_strdup_printf("%s.rate=%s", (char *)l->groups->pdata[i],
						     text));
	}
	return out;
}

const char *sweep_load_column(const struct sweep_load *l, enum unit_kind kind)
{
	if (kind == UNIT_BITRATE)
		return "rate_bps";
	return l->requests ? "rate_rps" : "rate_pps";
}
