/* simrun.c: see simrun.h. */
#include "simrun.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "config/scenario.h"

/* A model where every stage is free: links and DMA at 10 Pbit/s with no
 * latency, no CPU cost, no wake-up delays, no shaper. */
const char sim_free_model[] =
	"[host]\ncores = 16\nfreq = 1GHz\n"
	"[vm]\nsize = custom\nvcpus = 8\nbandwidth = 0bps\n"
	"[wire]\nrate = 10000000Gbps\npropagation = 0s\nframing = 0B\nqueue = 1000000\n"
	"[nic]\nlatency = 0s\npcie_rate = 10000000Gbps\npcie_latency = 0s\nbuffer = 1000000\n"
	"rx_ring = 1000000\ntx_ring = 1000000\nirq_coalesce = 0s\nirq_frames = 0\nirq_latency = 0s\n"
	"[vswitch]\ncores = 2\ncycles_per_packet = 0cycles\nflow_miss_cycles = 0cycles\n"
	"[vnic]\ncopy_rate = 1000000GB/s\ncopy_cycles = 0cycles\nnotify_latency = 0s\n"
	"ring = 1000000\n"
	"[vf]\niommu_latency = 0s\niotlb_miss = 0s\nflow_install = 0s\nrx_usecs = 0s\n"
	"rx_frames = 0\nirq_latency = 0s\nring = 1000000\n"
	"[guest]\ncycles_per_packet = 0cycles\ntx_cycles_per_packet = 0cycles\n"
	"synthetic_cycles = 0cycles\nvf_cycles = 0cycles\nnapi_budget = 1\nwakeup_latency = 0s\n"
	"[app]\nqueue = 1000000\ncopy_rate = 1000000GB/s\n";

char *sim_model_text(const char *base_model, const char *model_extra)
{
	g_autoptr(GKeyFile) k = g_key_file_new();
	g_autoptr(GKeyFile) x = g_key_file_new();

	/* model_extra's keys replace base_model's */
	assert_true(g_key_file_load_from_data(k, base_model, -1, G_KEY_FILE_NONE, NULL));
	assert_true(g_key_file_load_from_data(x, model_extra, -1, G_KEY_FILE_NONE, NULL));
	g_auto(GStrv) groups = g_key_file_get_groups(x, NULL);
	for (char **g = groups; *g; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(x, *g, NULL, NULL);

		for (char **kk = keys; *kk; kk++) {
			g_autofree char *v = g_key_file_get_value(x, *g, *kk, NULL);

			g_key_file_set_value(k, *g, *kk, v);
		}
	}
	return g_key_file_to_data(k, NULL, NULL);
}

struct run_result *simrun(const char *dir, const char *base_model, const char *model_extra,
			  const struct engine_opts *o, const char *scenario_text)
{
	g_autofree char *model_path = g_build_filename(dir, "model.ini", NULL);
	g_autofree char *scen_path = g_build_filename(dir, "scenario.ini", NULL);
	g_autoptr(GError) err = NULL;
	g_autofree char *model_text = sim_model_text(base_model, model_extra);

	assert_true(g_file_set_contents(model_path, model_text, -1, NULL));
	g_autofree char *full = g_strdup_printf("[scenario]\nmodel = model.ini\n%s", scenario_text);
	assert_true(g_file_set_contents(scen_path, full, -1, NULL));

	g_autoptr(scenario) s = scenario_load(scen_path, NULL, NULL, &err);
	if (!s)
		fail_msg("scenario: %s", err->message);
	struct run_result *r = run_result_new();
	if (!engine_run_forked(s, o, r, &err))
		fail_msg("run: %s", err->message);
	return r;
}

struct run_result *simrun_printf(const char *dir, const char *model_extra, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *scen = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return simrun(dir, sim_free_model, model_extra, NULL, scen);
}

struct run_result *simrun_shipped(const char *name, char *const *sets)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(kf) k = scenario_sets_from_args((char **)sets, &err);

	assert_non_null(k);
	g_autoptr(scenario) s = scenario_load(name, NULL, k, &err);
	if (!s)
		fail_msg("%s: %s", name, err->message);
	struct run_result *r = run_result_new();
	if (!engine_run_forked(s, NULL, r, &err))
		fail_msg("%s: %s", name, err->message);
	return r;
}

const struct stage_result *sim_stage_or_null(const struct run_result *r, enum path_id p,
					     const char *name)
{
	const GArray *st = r->paths[p].stages;

	for (guint i = 0; i < st->len; i++)
		if (!strcmp(g_array_index(st, struct stage_result, i).name, name))
			return &g_array_index(st, struct stage_result, i);
	return NULL;
}

const struct stage_result *sim_stage(const struct run_result *r, enum path_id p,
				     const char *name)
{
	const struct stage_result *s = sim_stage_or_null(r, p, name);

	if (!s)
		fail_msg("the %s path has no stage %s", path_name(p), name);
	return s;
}

void sim_assert_within(double got, double want, double tol, const char *what)
{
	double rel = want != 0 ? fabs(got - want) / fabs(want) : fabs(got);

	print_message("  %-50s got %.9g, want %.9g (%.3f%%, limit %.3f%%)\n", what, got, want,
		      rel * 100, tol * 100);
	if (!(rel <= tol))
		fail_msg("%s: %.9g is %.3f%% from %.9g (limit %.3f%%)", what, got, rel * 100, want,
			 tol * 100);
}

void sim_check_conservation(const struct run_result *r)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];

		print_message("  %s: offered %" G_GUINT64_FORMAT " = delivered %" G_GUINT64_FORMAT
			      " + dropped %" G_GUINT64_FORMAT " + in flight %" G_GUINT64_FORMAT "\n",
			      path_name(p), pr->offered_packets, pr->delivered_packets,
			      pr->dropped_packets, pr->in_flight_packets);
		assert_int_equal(pr->offered_packets,
				 pr->delivered_packets + pr->dropped_packets + pr->in_flight_packets);
	}
}
