/* fuzz_scenario.c: the scenario loader on arbitrary text, with --set.
 *
 * The text is written as scenario.ini next to a valid model m.ini (so
 * "model = m.ini" loads and the model's own checks run with the
 * scenario's overrides); lines after a line "--" are --set arguments.
 * Properties besides the sanitizers': a scenario or an error, never both;
 * a loaded scenario has its model, at least one traffic source, events in
 * time order within the duration; every error line names a file (the
 * scenario, its model, or --set).
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "config/scenario.h"

static const char model_text[] = "[model]\nname = m\n[host]\ncores = 4\n[vswitch]\ncores = 2\n";

static void check_scenario(const struct scenario *s, const GError *e, const char *path)
{
	const char *const files[] = { path, "--set", NULL };

	FUZZ_CHECK(!s != !e, "scenario %p and error %p", (void *)s, (void *)e);
	if (e) {
		fuzz_check_error(e, files, true);
		return;
	}
	FUZZ_CHECK(s->model && s->traffic && s->traffic->len >= 1, "%s", "scenario half loaded");
	FUZZ_CHECK(s->duration_s > 0 && s->warmup_s < s->duration_s, "duration %g warmup %g",
		   s->duration_s, s->warmup_s);
	for (guint i = 0; i < s->events->len; i++) {
		const struct event_spec *ev = &g_array_index(s->events, struct event_spec, i);

		FUZZ_CHECK(ev->at <= s->duration_s, "event at %g after %g", ev->at, s->duration_s);
		if (i)
			FUZZ_CHECK(ev[-1].at <= ev->at, "%s", "events out of order");
	}
	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);

		FUZZ_CHECK(isfinite(t->rate.value) && t->rate.value >= 0, "rate %g", t->rate.value);
	}
}

int fuzz_scenario_one(const uint8_t *data, size_t size)
{
	static bool model_written;
	g_autofree char *text = g_strndup((const char *)data, size);
	char *sep = strstr(text, "\n--\n");
	g_autoptr(GError) e = NULL;
	g_autoptr(kf) sets = NULL;

	if (!model_written) {
		g_free(fuzz_write("m.ini", model_text, sizeof(model_text) - 1));
		model_written = true;
	}
	if (sep) {
		g_auto(GStrv) args = g_strsplit(sep + 4, "\n", 16);

		*sep = '\0';
		sets = scenario_sets_from_args(args, &e);
		if (!sets) {
			fuzz_check_error(e, (const char *const[]){ "--set", NULL }, false);
			return 0;
		}
	}
	g_autofree char *path = fuzz_write("scenario.ini", data, sep ? (size_t)(sep - text) + 1 : size);
	g_autoptr(scenario) s = scenario_load(path, NULL, sets, &e);

	check_scenario(s, e, path);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_scenario_one(data, size);
}
#endif
