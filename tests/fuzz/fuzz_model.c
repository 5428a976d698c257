/* fuzz_model.c: the key-file reader and the model loader on arbitrary text.
 *
 * Properties besides the sanitizers': kf_load_data indexes a line for every
 * group and key GKeyFile accepted, and refuses nothing without a line
 * number; model_load returns a model or an error, never both, never
 * neither; every line of an error starts "file:line: " with the file it is
 * about (STYLE.md §3); the same text loaded as a
 * file and used as an override of the shipped default model gives no
 * crash or leak either.
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "config/keyfile.h"
#include "config/model.h"
#include "core/datadir.h"

/* Every group and key GKeyFile kept has a line in the index. */
static void check_lines(const struct kf *k)
{
	g_auto(GStrv) groups = g_key_file_get_groups(k->keys, NULL);

	for (char **g = groups; *g; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(k->keys, *g, NULL, NULL);

		FUZZ_CHECK(kf_line(k, *g, NULL) > 0, "group '%s' has no line", *g);
		for (char **key = keys; key && *key; key++)
			FUZZ_CHECK(kf_line(k, *g, *key) > 0, "key '%s.%s' has no line", *g, *key);
	}
}

/* Every line of e starts "file:LINE: " with file one of files: an error
 * about a model file always has a line to point at. */
static void check_located(const GError *e, const char *const *files)
{
	g_auto(GStrv) lines = g_strsplit(e->message, "\n", -1);

	fuzz_check_error(e, files, false);
	for (char **l = lines; *l; l++) {
		const char *p = strchr(*l, ':');

		FUZZ_CHECK(p && g_ascii_isdigit(p[1]), "no line number: '%s'", *l);
		p++;
		while (g_ascii_isdigit(*p))
			p++;
		FUZZ_CHECK(p[0] == ':' && p[1] == ' ', "no line number: '%s'", *l);
	}
}

static void check_model(const struct model *m, const GError *e, const char *const *files)
{
	FUZZ_CHECK(!m != !e, "model %p and error %p", (void *)m, (void *)e);
	if (e) {
		check_located(e, files);
		return;
	}
	FUZZ_CHECK(m->name && m->path && m->sections, "%s", "model half loaded");
	FUZZ_CHECK(m->sections->len == component_registry_len, "%u sections", m->sections->len);
	FUZZ_CHECK(m->host.cores >= 1 && isfinite(m->host.freq_hz) && m->host.freq_hz > 0,
		   "host %u cores at %g Hz", m->host.cores, m->host.freq_hz);
	for (size_t i = 0; i < component_registry_len; i++)
		FUZZ_CHECK(model_section(m, component_registry[i]->kind), "no [%s]",
			   component_registry[i]->kind);
}

int fuzz_model_one(const uint8_t *data, size_t size)
{
	g_autofree char *path = fuzz_write("model.ini", data, size);
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autofree char *shipped = datadir_find("models", "default", ".ini");
	g_autoptr(GError) e = NULL;

	/* the text as a string: stops at a NUL, as kf_load_data's contract says */
	g_autoptr(kf) k = kf_load_data("fuzz.ini", text, &e);
	FUZZ_CHECK(!k != !e, "%s", "kf and error");
	if (k)
		check_lines(k);
	else
		check_located(e, (const char *const[]){ "fuzz.ini", NULL });
	g_clear_error(&e);

	/* the bytes as a file, NULs and all */
	const char *const files[] = { path, NULL };
	g_autoptr(model) m = model_load(path, NULL, 0, &e);
	check_model(m, e, files);
	g_clear_error(&e);

	/* the text as an override of a shipped model */
	if (k && shipped) {
		const struct kf *layers[] = { k };
		const char *const both[] = { "fuzz.ini", shipped, NULL };
		g_autoptr(model) o = model_load(shipped, layers, 1, &e);

		check_model(o, e, both);
	}
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_model_one(data, size);
}
#endif
