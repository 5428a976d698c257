/* provenance.c: where a result came from (see provenance.h). */
#include "report/provenance.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/msg.h"

static const char *const kind_names[LATENCY_KIND_COUNT] = {
	[LATENCY_UNKNOWN] = "unknown",
	[LATENCY_ONE_WAY_RX] = "one-way rx",
	[LATENCY_ONE_WAY_TX] = "one-way tx",
	[LATENCY_ROUND_TRIP] = "round trip",
	[LATENCY_MIXED] = "mixed",
	[LATENCY_ONE_WAY_APP] = "one-way",
};

static const char *const kind_spans[LATENCY_KIND_COUNT] = {
	[LATENCY_UNKNOWN] = "",
	[LATENCY_ONE_WAY_RX] = "wire arrival at the NIC to the application",
	[LATENCY_ONE_WAY_TX] = "application send to the last bit on the wire",
	[LATENCY_ROUND_TRIP] = "request sent to response received, as the client sees it",
	[LATENCY_MIXED] = "one-way and round-trip sources in one figure",
	[LATENCY_ONE_WAY_APP] = "application send to the receiving application",
};

const char *latency_kind_name(enum latency_kind k)
{
	return k < LATENCY_KIND_COUNT ? kind_names[k] : kind_names[LATENCY_UNKNOWN];
}

const char *latency_kind_span(enum latency_kind k)
{
	return k < LATENCY_KIND_COUNT ? kind_spans[k] : kind_spans[LATENCY_UNKNOWN];
}

struct provenance *provenance_new(void)
{
	struct provenance *p = g_new0(struct provenance, 1);

	p->sets = g_ptr_array_new_with_free_func(g_free);
	p->keys = g_ptr_array_new_with_free_func(g_free);
	p->values = g_ptr_array_new_with_free_func(g_free);
	return p;
}

void provenance_free(struct provenance *p)
{
	if (!p)
		return;
	g_free(p->version);
	g_free(p->command);
	g_free(p->scenario_path);
	g_free(p->scenario_sha256);
	g_free(p->model_path);
	g_free(p->model_sha256);
	g_free(p->mode);
	g_free(p->started);
	g_ptr_array_unref(p->sets);
	g_ptr_array_unref(p->keys);
	g_ptr_array_unref(p->values);
	g_free(p);
}

static void copy_strings(GPtrArray *dst, const GPtrArray *src)
{
	for (guint i = 0; i < src->len; i++)
		g_ptr_array_add(dst, g_strdup(src->pdata[i]));
}

struct provenance *provenance_copy(const struct provenance *p)
{
	struct provenance *c = provenance_new();

	c->version = g_strdup(p->version);
	c->command = g_strdup(p->command);
	c->scenario_path = g_strdup(p->scenario_path);
	c->scenario_sha256 = g_strdup(p->scenario_sha256);
	c->model_path = g_strdup(p->model_path);
	c->model_sha256 = g_strdup(p->model_sha256);
	c->mode = g_strdup(p->mode);
	c->exact_stages = p->exact_stages;
	c->started = g_strdup(p->started);
	c->wall_s = p->wall_s;
	c->latency = p->latency;
	c->requests = p->requests;
	copy_strings(c->sets, p->sets);
	copy_strings(c->keys, p->keys);
	copy_strings(c->values, p->values);
	return c;
}

void provenance_add_key(struct provenance *p, const char *key, const char *value)
{
	g_ptr_array_add(p->keys, g_strdup(key));
	g_ptr_array_add(p->values, g_strdup(value));
}

char *provenance_now(void)
{
	g_autoptr(GDateTime) t = g_date_time_new_now_utc();

	return g_date_time_format(t, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* Words a POSIX shell reads as they are. */
static bool shell_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && !strchr("_-./=:,+@%", *s))
			return false;
	return true;
}

char *provenance_command(int argc, char *const *argv)
{
	GString *s = g_string_new(NULL);

	for (int i = 0; i < argc; i++) {
		g_autofree char *q = shell_plain(argv[i]) ? g_strdup(argv[i]) : g_shell_quote(argv[i]);

		if (i)
			g_string_append_c(s, ' ');
		g_string_append(s, q);
	}
	return g_string_free(s, FALSE);
}

#define GROUP "provenance"
#define EFFECTIVE "effective"

static void put(GKeyFile *k, const char *key, const char *v)
{
	if (v)
		g_key_file_set_string(k, GROUP, key, v);
}

void provenance_store(GKeyFile *k, const struct provenance *p)
{
	put(k, "version", p->version);
	put(k, "command", p->command);
	put(k, "scenario_path", p->scenario_path);
	put(k, "scenario_sha256", p->scenario_sha256);
	put(k, "model_path", p->model_path);
	put(k, "model_sha256", p->model_sha256);
	put(k, "mode", p->mode);
	g_key_file_set_uint64(k, GROUP, "exact_stages", p->exact_stages);
	put(k, "started", p->started);
	g_key_file_set_double(k, GROUP, "wall_s", p->wall_s);
	put(k, "latency", latency_kind_name(p->latency));
	g_key_file_set_boolean(k, GROUP, "requests", p->requests);
	g_key_file_set_string_list(k, GROUP, "sets", (const char *const *)p->sets->pdata,
				   p->sets->len);
	for (guint i = 0; i < p->keys->len; i++)
		g_key_file_set_string(k, EFFECTIVE, p->keys->pdata[i], p->values->pdata[i]);
}

static char *get(GKeyFile *k, const char *key, GError **e)
{
	if (!g_key_file_has_key(k, GROUP, key, NULL))
		return NULL;
	return g_key_file_get_string(k, GROUP, key, e);
}

bool provenance_load(GKeyFile *k, struct provenance **out, GError **error)
{
	g_autoptr(provenance) p = NULL;
	g_autofree char *kind = NULL;
	g_auto(GStrv) sets = NULL;
	g_auto(GStrv) keys = NULL;
	GError *e = NULL;

	*out = NULL;
	if (!g_key_file_has_group(k, GROUP))
		return true;
	p = provenance_new();
	p->version = get(k, "version", &e);
	p->command = e ? NULL : get(k, "command", &e);
	p->scenario_path = e ? NULL : get(k, "scenario_path", &e);
	p->scenario_sha256 = e ? NULL : get(k, "scenario_sha256", &e);
	p->model_path = e ? NULL : get(k, "model_path", &e);
	p->model_sha256 = e ? NULL : get(k, "model_sha256", &e);
	p->mode = e ? NULL : get(k, "mode", &e);
	p->started = e ? NULL : get(k, "started", &e);
	if (e)
		goto fail;
	p->exact_stages = (unsigned)g_key_file_get_uint64(k, GROUP, "exact_stages", &e);
	if (e)
		goto fail;
	p->wall_s = g_key_file_get_double(k, GROUP, "wall_s", &e);
	if (e)
		goto fail;
	p->requests = g_key_file_get_boolean(k, GROUP, "requests", &e);
	if (e)
		goto fail;
	kind = g_key_file_get_string(k, GROUP, "latency", &e);
	if (e)
		goto fail;
	p->latency = LATENCY_KIND_COUNT;
	for (int i = 0; i < LATENCY_KIND_COUNT; i++)
		if (!strcmp(kind, kind_names[i]))
			p->latency = i;
	if (p->latency == LATENCY_KIND_COUNT) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "results [" GROUP "]: latency: expected one of one-way rx, one-way tx, "
			    "round trip, mixed, one-way, unknown, got '%s'",
			    kind);
		return false;
	}
	sets = g_key_file_get_string_list(k, GROUP, "sets", NULL, NULL);
	for (char **s = sets; s && *s; s++)
		g_ptr_array_add(p->sets, g_strdup(*s));
	keys = g_key_file_get_keys(k, EFFECTIVE, NULL, NULL);
	for (char **key = keys; key && *key; key++) {
		g_autofree char *v = g_key_file_get_string(k, EFFECTIVE, *key, &e);

		if (e) {
			g_propagate_prefixed_error(error, e, "results [" EFFECTIVE "]: ");
			return false;
		}
		provenance_add_key(p, *key, v);
	}
	*out = g_steal_pointer(&p);
	return true;
fail:
	g_propagate_prefixed_error(error, e, "results [" GROUP "]: ");
	return false;
}
