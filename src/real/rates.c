/* rates.c: the load range of `real measure --rates`, "FROM..TO/STEP" (see
 * real.h), in percent of saturation or in packets per second. */
#include "real/real.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"
#include "core/units.h"

#define RATES_MAX_POINTS 1000

bool real_rates_parse(const char *text, struct real_rates *out, GError **error)
{
	const char *dots = strstr(text, "..");
	const char *slash = dots ? strchr(dots + 2, '/') : NULL;
	g_autofree char *from = NULL, *to = NULL;
	struct quantity q[3];
	const char *part[3];
	GError *err = NULL;

	if (!dots || !slash) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--rates: expected FROM..TO/STEP such as 10%%..100%%/10%% or "
			    "10kpps..200kpps/10kpps, got '%s'", text);
		return false;
	}
	from = g_strndup(text, (gsize)(dots - text));
	to = g_strndup(dots + 2, (gsize)(slash - dots - 2));
	part[0] = from;
	part[1] = to;
	part[2] = slash + 1;
	for (int i = 0; i < 3; i++) {
		if (!units_parse(part[i], UNIT_PERCENT | UNIT_PKTRATE, &q[i], &err)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "--rates: %s",
				    err->message);
			g_error_free(err);
			return false;
		}
	}
	if (q[0].kind != q[1].kind || q[1].kind != q[2].kind) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--rates: expected FROM, TO and STEP all in %% or all in packets/s, "
			    "got '%s'", text);
		return false;
	}
	if (!(q[0].value > 0) || q[1].value < q[0].value || !(q[2].value > 0) ||
	    (q[1].value - q[0].value) / q[2].value >= RATES_MAX_POINTS) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--rates: expected 0 < FROM <= TO and a STEP > 0 giving at most %d "
			    "points, got '%s'", RATES_MAX_POINTS, text);
		return false;
	}
	if (q[0].kind == UNIT_PERCENT && q[1].value > 10) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--rates: expected at most 1000%% of saturation, got '%s'", text);
		return false;
	}
	out->from = q[0].value;
	out->to = q[1].value;
	out->step = q[2].value;
	out->of_saturation = q[0].kind == UNIT_PERCENT;
	return true;
}

GArray *real_rates_points(const struct real_rates *rates)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(double));

	/* by index, not by adding steps: 10%..100%/10% ends at 100 % exactly */
	for (int i = 0; i < RATES_MAX_POINTS; i++) {
		double v = rates->from + i * rates->step;

		if (v > rates->to * (1 + 1e-9))
			break;
		g_array_append_val(a, v);
	}
	return a;
}
