/* measurement.c: real-mode results read back, with their conditions (see
 * measurement.h). */
#include "calibrate/measurement.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"

const char *result_note(const struct run_result *r, const char *key)
{
	for (guint i = 0; i < r->note_keys->len; i++)
		if (!strcmp(g_ptr_array_index(r->note_keys, i), key))
			return g_ptr_array_index(r->note_values, i);
	return NULL;
}

/* key=value in a space-separated list, as a double. */
static bool pair(char **pairs, const char *key, double *out)
{
	size_t n = strlen(key);

	for (char **p = pairs; *p; p++) {
		if (!strncmp(*p, key, n) && (*p)[n] == '=') {
			char *end;

			errno = 0;
			*out = g_ascii_strtod(*p + n + 1, &end);
			return !errno && end != *p + n + 1 && !*end;
		}
	}
	return false;
}

bool conditions_from_result(const struct run_result *r, struct conditions *c, GError **error)
{
	static const char *const keys[] = { "size", "rules", "batch", "window", "rate_pps",
					    "client_cpu", "server_cpu", "busy_poll_us", "hz",
					    "others" };
	const char *text = result_note(r, "conditions");
	const char *kind = result_note(r, "latency kind");
	double v[G_N_ELEMENTS(keys)];
	g_auto(GStrv) pairs = NULL;

	if (!text || !kind) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected a real-mode measurement (notes 'conditions' and 'latency "
			    "kind'), got a result without them (source '%s')",
			    r->source ? r->source : "");
		return false;
	}
	pairs = g_strsplit(text, " ", -1);
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (!pair(pairs, keys[i], &v[i])) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "conditions: expected %s=<number>, got '%s'", keys[i], text);
			return false;
		}
	}
	*c = (struct conditions){
		.emulate = strstr(text, "mode=emulate") != NULL,
		.size = (int)v[0],
		.rules = (int)v[1],
		.batch = (int)v[2],
		.window = (int)v[3],
		.rate_pps = v[4],
		.client_cpu = (int)v[5],
		.server_cpu = (int)v[6],
		.busy_poll_us = (int)v[7],
		.hz = v[8],
		.others = v[9],
		.one_way = !strcmp(kind, "one-way"),
	};
	return true;
}

struct run_result *result_load_dir(const char *dir, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "result.ini", NULL);
	g_autoptr(GKeyFile) k = g_key_file_new();
	g_autoptr(run_result) r = run_result_new();
	GError *err = NULL;

	if (!g_key_file_load_from_file(k, path, G_KEY_FILE_NONE, &err)) {
		g_set_error(error, ACCELSIM_ERROR,
			    err->domain == G_FILE_ERROR ? ACCELSIM_ERROR_RUNTIME :
			    ACCELSIM_ERROR_INPUT, "cannot read '%s': %s", path, err->message);
		g_error_free(err);
		return NULL;
	}
	if (!run_result_from_keyfile(k, r, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s: %s", path,
			    err->message);
		g_error_free(err);
		return NULL;
	}
	return g_steal_pointer(&r);
}
