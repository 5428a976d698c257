/* mirror.c: scenarios that mirror real-mode measurements (see mirror.h). */
#include "calibrate/mirror.h"

#include <errno.h>
#include <string.h>

#include "calibrate/modelfile.h"
#include "config/model.h"
#include "core/msg.h"
#include "core/outdir.h"

/* Simulated time of a mirror: long enough for tens of thousands of
 * round trips or stream packets, short enough to keep validation quick. */
#define MIRROR_DURATION_S 0.25
#define MIRROR_WARMUP_S 0.02

enum mirror_kind mirror_kind_of(const struct conditions *c)
{
	return c->one_way ? MIRROR_STREAM : MIRROR_ROUND_TRIP;
}

/* The vSwitch cost of a run with rules nftables rules under model. */
static bool rules_override(GString *s, const char *model_path, int rules, GError **error)
{
	double base, per_rule;
	GError *err = NULL;

	if (rules <= 0)
		return true;
	if (!modelfile_fitted(model_path, "vswitch.cycles_per_packet", &base, &err) ||
	    !modelfile_fitted(model_path, "vswitch.rule_cycles", &per_rule, &err)) {
		if (err) {
			g_propagate_error(error, err);
			return false;
		}
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s: expected a fitted vswitch.cycles_per_packet and "
			    "vswitch.rule_cycles in its header (a model `real calibrate` wrote), "
			    "to mirror a run with %d nftables rules", model_path, rules);
		return false;
	}
	g_string_append_printf(s, "\n[vswitch]\n# the model's %.0f cycles plus %d rules of "
			       "%.4g cycles each\ncycles_per_packet = %.0fcycles\n", base, rules,
			       per_rule, base + rules * per_rule);
	return true;
}

/* The cores a flood runs on are not the simulator's: it gives the vSwitch
 * cores of its own, while on the stand-in the bridge work, both endpoints
 * and whatever else the machine runs share the pinned core.
 *   - Other processes took a share u of the core (the measurement says):
 *     the cores run at (1 - u) of their clock ([host] freq).
 *   - The bridge takes H / (G + H) of what is left from the endpoints at
 *     saturation (H, G: the model's host hop and endpoint cycles per
 *     packet).  The engine's background load shares a core fairly with a
 *     busy stage, so a load of utilisation H / G takes that share: on the
 *     normal path's vCPU only. */
static bool saturation_loads(GString *s, const char *model_path, const struct conditions *c,
			     GError **error)
{
	double h0, hb = 0, hr = 0, g0, gb = 0, frame = c->size + FRAME_EXTRA;
	GError *err = NULL;

	if (c->others > 0.005 && c->others < 0.95)
		g_string_append_printf(s, "\n[host]\n# other processes kept %.0f %% of the pinned "
				       "core busy during the flood\nfreq = %.6gMHz\n",
				       c->others * 100, (1 - c->others) * c->hz / 1e6);
	if (c->client_cpu != c->server_cpu || c->client_cpu < 0)
		return true;
	if (!modelfile_fitted(model_path, "vswitch.cycles_per_packet", &h0, &err) ||
	    !modelfile_fitted(model_path, "guest.cycles_per_packet", &g0, &err)) {
		if (err) {
			g_propagate_error(error, err);
			return false;
		}
		g_string_append(s, "\n# no fitted costs in the model's header: the bridge's share "
				   "of the one core\n# is not mirrored\n");
		return true;
	}
	modelfile_fitted(model_path, "vswitch.byte_cycles", &hb, NULL);
	modelfile_fitted(model_path, "vswitch.rule_cycles", &hr, NULL);
	modelfile_fitted(model_path, "guest.byte_cycles", &gb, NULL);
	double h = h0 + MAX(hb, 0) * frame + hr * c->rules, g = g0 + MAX(gb, 0) * frame;
	if (h > 0 && g > 0)
		g_string_append_printf(s, "\n[load bridge]\n# the bridge's share of the one core "
				       "at saturation, %.0f / (%.0f + %.0f) cycles\n# (at most "
				       "half: a fair share against the busy endpoints)\non = vm\n"
				       "utilisation = %.1f%%\npath = normal\n", h, g, h,
				       MIN(h / g, 1.0) * 100);
	return true;
}

/* Bursts of c->batch frames every batch / rate_pps seconds for dur_s. */
static bool write_trace(const char *path, const struct conditions *c, double rate_pps,
			double dur_s, GError **error)
{
	g_autoptr(GString) t = g_string_new("time,size,flow\n");
	int batch = MAX(c->batch, 1);
	double gap = batch / rate_pps;

	for (long k = 0; k * gap < dur_s; k++)
		for (int i = 0; i < batch; i++)
			g_string_append_printf(t, "%.9f,%d,1\n", k * gap, c->size + FRAME_EXTRA);
	return outdir_write_file(path, t->str, (gssize)t->len, error);
}

bool mirror_write(const char *path, const char *model_name, const struct conditions *c,
		  enum mirror_kind kind, double rate_pps, GError **error)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_autofree char *model_path = model_resolve(model_name, NULL, error);
	g_autofree char *model_ref = NULL;
	int frame = c->size + FRAME_EXTRA;

	if (!model_path)
		return false;
	model_ref = strchr(model_name, '/') || g_str_has_suffix(model_name, ".ini") ?
			    g_canonicalize_filename(model_path, NULL) : g_strdup(model_name);
	g_string_append_printf(s, "# Mirrors `accelsim real measure %s` with %d-byte datagrams, "
			       "%d nftables rules,\n# batches of %d%s (docs/validation.md).  "
			       "Written by accelsim.\n", c->emulate ? "--emulate" : "(hardware)",
			       c->size, c->rules, c->batch,
			       c->client_cpu == c->server_cpu ? ", client and server on one core" :
			       ", client and server on two cores");
	g_string_append_printf(s, "[scenario]\ndescription = mirror of a real-mode %s, %d-byte "
			       "datagrams, %d rules\nmodel = %s\nduration = %gms\nwarmup = %gms\n"
			       "seed = 1\n\n",
			       kind == MIRROR_ROUND_TRIP ? "ping-pong" :
			       kind == MIRROR_STREAM ? "stream" : "flood", c->size, c->rules,
			       model_ref, MIRROR_DURATION_S * 1e3, MIRROR_WARMUP_S * 1e3);
	switch (kind) {
	case MIRROR_ROUND_TRIP:
		g_string_append_printf(s, "[traffic]\n# one request at a time, as the ping-pong "
				       "sends\npattern = reqresp\npeer = external\nconcurrency = 1\n"
				       "size = %dB\nresponse_size = %dB\n\n[vm]\n# two vCPUs: the "
				       "engine cannot yet combine a loop with shared cores, and\n"
				       "# one request at a time never contends for them\nvcpus = 2\n",
				       frame, frame);
		break;
	case MIRROR_STREAM: {
		g_autofree char *trace = g_strdup_printf("%s.trace.csv", path);
		g_autofree char *base = g_path_get_basename(trace);

		if (!(rate_pps > 0)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "a stream mirror needs a rate above 0, got %g", rate_pps);
			return false;
		}
		if (!write_trace(trace, c, rate_pps, MIRROR_DURATION_S, error))
			return false;
		g_string_append_printf(s, "[traffic]\n# bursts of %d frames %.4g us apart, as "
				       "sendmmsg() sent them at %.6g packets/s\npattern = trace\n"
				       "trace = %s\ndirection = rx\n", c->batch,
				       MAX(c->batch, 1) / rate_pps * 1e6, rate_pps, base);
		break;
	}
	case MIRROR_SATURATION:
		g_string_append_printf(s, "[traffic]\n# far more than either path carries: what "
				       "is delivered is the capacity\npattern = constant\n"
				       "direction = rx\nrate = %.0fpps\nsize = %dB\n", rate_pps, frame);
		if (!saturation_loads(s, model_path, c, error))
			return false;
		break;
	}
	if (!rules_override(s, model_path, c->rules, error))
		return false;
	return outdir_write_file(path, s->str, (gssize)s->len, error);
}
