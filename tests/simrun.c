/* simrun.c: see simrun.h. */
#include "simrun.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config/scenario.h"

struct run_result *simrun(const char *dir, const char *base_model, const char *model_extra,
			  const struct engine_opts *o, const char *scenario)
{
	g_autofree char *model_path = g_build_filename(dir, "model.ini", NULL);
	g_autofree char *scen_path = g_build_filename(dir, "scenario.ini", NULL);
	g_autoptr(GError) err = NULL;
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
	g_autofree char *model_text = g_key_file_to_data(k, NULL, NULL);
	assert_true(g_file_set_contents(model_path, model_text, -1, NULL));
	g_autofree char *full = g_strdup_printf("[scenario]\nmodel = model.ini\n%s", scenario);
	assert_true(g_file_set_contents(scen_path, full, -1, NULL));

	g_autoptr(scenario) s = scenario_load(scen_path, NULL, NULL, &err);
	if (!s)
		fail_msg("scenario: %s", err->message);
	struct run_result *r = run_result_new();
	if (!engine_run_forked(s, o, r, &err))
		fail_msg("run: %s", err->message);
	return r;
}

void simrun_cleanup(const char *dir)
{
	g_autofree char *m = g_build_filename(dir, "model.ini", NULL);
	g_autofree char *s = g_build_filename(dir, "scenario.ini", NULL);

	g_unlink(m);
	g_unlink(s);
	g_rmdir(dir);
}
