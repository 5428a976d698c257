/* keyfile.c: .ini loading with a line index, table-driven sections, and
 * collected errors (see keyfile.h). */
#include "config/keyfile.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/msg.h"
#include "core/nearest.h"

static char *line_key(const char *group, const char *key)
{
	return key ? g_strconcat(group, "\n", key, NULL) : g_strdup(group);
}

int kf_line(const struct kf *k, const char *group, const char *key)
{
	g_autofree char *lk = line_key(group, key);

	return GPOINTER_TO_INT(g_hash_table_lookup(k->lines, lk));
}

void kf_free(struct kf *k)
{
	if (!k)
		return;
	g_free(k->path);
	g_free(k->dir);
	g_free(k->sha256);
	if (k->keys)
		g_key_file_unref(k->keys);
	if (k->lines)
		g_hash_table_unref(k->lines);
	g_free(k);
}

static bool syntax_error(GError **error, const char *name, int line, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static bool syntax_error(GError **error, const char *name, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s:%d: %s", name, line, m);
	return false;
}

/* GKeyFile refuses group names with control characters (tabs included). */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if (g_ascii_iscntrl(*s))
			return true;
	return false;
}

/* Index the lines of text, and refuse what GKeyFile would refuse, with a
 * line number: GKeyFile's own messages have none.  What it accepts goes to
 * clean, line for line, in the one form GKeyFile surely reads as we did
 * ("[group]", "key=value", or empty), so that the two cannot disagree on
 * whitespace or comments. */
static bool index_lines(struct kf *k, const char *text, gsize len, GString *clean,
			GError **error)
{
	const char *end;

	if (!g_utf8_validate(text, len, &end)) {
		int line = 1;

		for (const char *p = text; p < end; p++)
			line += *p == '\n';
		return syntax_error(error, k->path, line, "not valid UTF-8 text");
	}
	if (memchr(text, '\0', len))
		return syntax_error(error, k->path, 1, "contains a NUL byte: not a text file");
	/* U+FEFF is invisible: quoted in a message, the line would look fine */
	const char *bom = strstr(text, "\xef\xbb\xbf");
	if (bom) {
		int line = 1;

		for (const char *p = text; p < bom; p++)
			line += *p == '\n';
		return syntax_error(error, k->path, line,
				    "%s a byte order mark (U+FEFF, invisible): save the file as "
				    "UTF-8 without one",
				    bom == text ? "starts with" : "holds");
	}

	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *group = NULL;

	for (int i = 0; lines[i]; i++) {
		int no = i + 1;
		char *l = g_strstrip(lines[i]);

		/* GKeyFile's comments start with '#' only: a ';' line falls
		 * through to a located error rather than GKeyFile's unlocated one */
		if (!*l || *l == '#') {
			g_string_append_c(clean, '\n');
			continue;
		}
		if (*l == '[') {
			char *close = strchr(l, ']');

			if (!close || close[1] != '\0' || close == l + 1)
				return syntax_error(error, k->path, no,
						    "expected a group name such as [vswitch], got '%s'",
						    l);
			g_free(group);
			group = g_strndup(l + 1, close - l - 1);
			if (strchr(group, '[') || strchr(group, ']') || has_control(group))
				return syntax_error(error, k->path, no,
						    "expected a group name such as [vswitch], got '%s'",
						    l);
			if (!g_hash_table_contains(k->lines, group))
				g_hash_table_insert(k->lines, g_strdup(group), GINT_TO_POINTER(no));
			g_string_append_printf(clean, "%s\n", l);
			continue;
		}
		char *eq = strchr(l, '=');
		if (!eq)
			return syntax_error(error, k->path, no,
					    "expected 'key = value', '[group]' or a '#' comment, got '%s'",
					    l);
		g_autofree char *key = g_strstrip(g_strndup(l, eq - l));
		if (!*key)
			return syntax_error(error, k->path, no, "expected a key before '=', got '%s'", l);
		if (!group)
			return syntax_error(error, k->path, no,
					    "key '%s' comes before any [group]", key);
		for (const char *p = key; *p; p++)
			if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
				return syntax_error(error, k->path, no,
						    "expected a key of letters, digits and '_', got '%s'",
						    key);
		g_autofree char *lk = line_key(group, key);
		if (g_hash_table_contains(k->lines, lk))
			return syntax_error(error, k->path, no,
					    "%s.%s: set twice (first on line %d)", group, key,
					    GPOINTER_TO_INT(g_hash_table_lookup(k->lines, lk)));
		g_hash_table_insert(k->lines, g_steal_pointer(&lk), GINT_TO_POINTER(no));
		g_string_append_printf(clean, "%s=%s\n", key, g_strstrip(eq + 1));
	}
	return true;
}

struct kf *kf_load_data(const char *name, const char *text, GError **error)
{
	struct kf *k = g_new0(struct kf, 1);
	g_autoptr(GError) e = NULL;
	gsize len = strlen(text);

	k->path = g_strdup(name);
	k->dir = g_path_get_dirname(name);
	k->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	k->keys = g_key_file_new();
	k->sha256 = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, (gssize)len);
	g_autoptr(GString) clean = g_string_sized_new(len + 1);

	if (!index_lines(k, text, len, clean, error))
		goto fail;
	if (!g_key_file_load_from_data(k->keys, clean->str, clean->len, G_KEY_FILE_NONE, &e)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s: %s", name, e->message);
		goto fail;
	}
	return k;
fail:
	kf_free(k);
	return NULL;
}

/* All of standard input, as raw bytes. */
/* Standard input, read once: a second load of "-" (the effective
 * configuration, after the scenario) gets the same text, not an empty
 * stream.  Kept until the process ends. */
static bool read_stdin(char **text, gsize *len, GError **error)
{
	static char *once;
	static gsize once_len;

	if (!once) {
		g_autoptr(GIOChannel) ch = g_io_channel_unix_new(STDIN_FILENO);

		if (!g_io_channel_set_encoding(ch, NULL, error) ||
		    g_io_channel_read_to_end(ch, &once, &once_len, error) != G_IO_STATUS_NORMAL) {
			g_clear_pointer(&once, g_free);
			return false;
		}
	}
	*text = g_memdup2(once, once_len + 1);
	*len = once_len;
	return true;
}

struct kf *kf_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	gsize len;
	g_autoptr(GError) e = NULL;
	const bool in = !strcmp(path, "-");

	if (in)
		path = "<stdin>";
	if (!(in ? read_stdin(&text, &len, &e) : g_file_get_contents(path, &text, &len, &e))) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "cannot read '%s': %s", path,
			    e->message);
		return NULL;
	}
	gsize nul = strlen(text);
	if (nul != len) {
		int line = 1;

		for (gsize i = 0; i < nul; i++)
			line += text[i] == '\n';
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "%s:%d: contains a NUL byte: not a text file", path, line);
		return NULL;
	}
	return kf_load_data(path, text, error);
}

void diag_init(struct diag *d)
{
	d->text = g_string_new(NULL);
	d->count = 0;
}

void diag_clear(struct diag *d)
{
	if (d->text)
		g_string_free(d->text, TRUE);
	d->text = NULL;
	d->count = 0;
}

void diag_add(struct diag *d, const struct kf *k, const char *group, const char *key,
	      const char *fmt, ...)
{
	va_list ap;
	int line = k && group ? kf_line(k, group, key) : 0;

	if (line == 0 && k && group && key)
		line = kf_line(k, group, NULL);
	if (d->count++)
		g_string_append_c(d->text, '\n');
	/* --set has no file: its lines mean nothing to the user */
	if (k && !strcmp(k->path, "--set"))
		g_string_append(d->text, "--set ");
	else if (k && line)
		g_string_append_printf(d->text, "%s:%d: ", k->path, line);
	else if (k)
		g_string_append_printf(d->text, "%s: ", k->path);
	if (group && key)
		g_string_append_printf(d->text, "%s.%s: ", group, key);
	else if (group)
		g_string_append_printf(d->text, "[%s]: ", group);
	va_start(ap, fmt);
	g_string_append_vprintf(d->text, fmt, ap);
	va_end(ap);
}

bool diag_finish(struct diag *d, GError **error)
{
	if (!d->count)
		return true;
	g_set_error_literal(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, d->text->str);
	return false;
}

const char *kf_nearest(const char *word, const char *const *known, size_t n)
{
	return nearest_word(word, known, n);
}

/* The value of group.key in the topmost layer that has it. */
static const struct kf *lookup(const struct kf_stack *s, const char *group, const char *key,
			       char **value)
{
	for (int i = 0; i < s->n; i++) {
		const struct kf *k = s->layer[i];

		if (k && g_key_file_has_key(k->keys, group, key, NULL)) {
			*value = g_key_file_get_value(k->keys, group, key, NULL);
			return k;
		}
	}
	*value = NULL;
	return NULL;
}

/* Drop a trailing " # comment": GKeyFile keeps it as part of the value. */
static void strip_comment(char *v)
{
	for (char *p = v; *p; p++)
		if ((*p == '#' || *p == ';') && p > v && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	g_strstrip(v);
}

char *kf_stack_value(const struct kf_stack *s, const char *group, const char *key,
		     const struct kf **from)
{
	char *value;

	*from = lookup(s, group, key, &value);
	if (value)
		strip_comment(value);
	return value;
}

static const char *const bool_true[] = { "true", "yes", "on", "1", NULL };
static const char *const bool_false[] = { "false", "no", "off", "0", NULL };

static bool in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (!g_ascii_strcasecmp(v, *list))
			return true;
	return false;
}

/* Parse text for spec into field; message in err on failure. */
static bool parse_value(const struct key_spec *ks, const char *text, const char *dir, void *field,
			GError **err)
{
	switch (ks->type) {
	case KEY_UINT: {
		uint64_t v;

		if (!units_parse_uint(text, (uint64_t)ks->min,
				      ks->max > 0 ? (uint64_t)ks->max : UINT32_MAX, &v, err))
			return false;
		*(unsigned *)field = (unsigned)v;
		return true;
	}
	case KEY_QTY: {
		struct quantity q;

		if (!units_parse(text, ks->units, &q, err))
			return false;
		if (q.value < ks->min || (ks->max > 0 && q.value > ks->max)) {
			char lo[32], hi[32];
			enum unit_kind kind = q.kind;
			/* KS_ABOVE_ZERO is a bound to name, not a number to print */
			bool above_zero = ks->min > 0 && ks->min < 1e-12;

			units_format(ks->min, kind, lo, sizeof(lo));
			units_format(ks->max, kind, hi, sizeof(hi));
			if (above_zero && ks->max > 0)
				g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
					    "expected a value above zero and at most %s, got '%s'", hi,
					    text);
			else if (ks->max > 0)
				g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
					    "expected a value from %s to %s, got '%s'", lo, hi, text);
			else if (above_zero)
				g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
					    "expected a value above zero, got '%s'", text);
			else
				g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
					    "expected at least %s, got '%s'", lo, text);
			return false;
		}
		*(double *)field = q.value;
		return true;
	}
	case KEY_DIST: {
		struct dist d;

		if (!dist_parse(text, ks->units, dir, &d, err))
			return false;
		if (dist_min(&d) < ks->min) {
			char lo[32];

			if (ks->min > KS_ABOVE_ZERO)
				g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
					    "expected values of at least %s, got '%s' (it can draw %g)",
					    units_format(ks->min, ks->units, lo, sizeof(lo)), text,
					    dist_min(&d));
			else
				g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
					    "expected values above zero, got '%s'", text);
			dist_clear(&d);
			return false;
		}
		if (ks->max > 0 && isfinite(dist_max(&d)) && dist_max(&d) > ks->max) {
			char hi[32], top[32];
			bool constant = d.kind == DIST_CONSTANT;

			units_format(dist_max(&d), ks->units, top, sizeof(top));
			g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "expected values of at most %s, got '%s'%s%s%s",
				    units_format(ks->max, ks->units, hi, sizeof(hi)), text,
				    constant ? "" : " (it can draw ", constant ? "" : top,
				    constant ? "" : ")");
			dist_clear(&d);
			return false;
		}
		*(struct dist *)field = d;
		return true;
	}
	case KEY_STRING:
		*(char **)field = g_strdup(text);
		return true;
	case KEY_ENUM:
		for (int i = 0; ks->choices[i]; i++)
			if (!strcmp(text, ks->choices[i])) {
				*(int *)field = i;
				return true;
			}
		{
			g_autofree char *all = g_strjoinv(", ", (char **)ks->choices);
			const char *near = kf_nearest(text, ks->choices,
						      g_strv_length((char **)ks->choices));

			g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "expected one of %s, got '%s'%s%s%s", all, text,
				    near ? " (did you mean '" : "", near ? near : "",
				    near ? "'?)" : "");
		}
		return false;
	case KEY_BOOL:
		if (in_list(text, bool_true) || in_list(text, bool_false)) {
			*(bool *)field = in_list(text, bool_true);
			return true;
		}
		g_set_error(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected true or false, got '%s'", text);
		return false;
	}
	g_assert_not_reached();
}

bool kf_parse_section(const struct kf_stack *s, const char *group, const struct key_spec *keys,
		      size_t nkeys, void *out, struct diag *d)
{
	unsigned before = d->count;
	g_autofree const char **names = g_new0(const char *, nkeys + 1);

	for (size_t i = 0; i < nkeys; i++)
		names[i] = keys[i].name;
	g_autofree char *all_names = g_strjoinv(", ", (char **)names);

	/* unknown keys, in every layer */
	for (int li = 0; li < s->n; li++) {
		const struct kf *k = s->layer[li];
		g_auto(GStrv) present = k ? g_key_file_get_keys(k->keys, group, NULL, NULL) : NULL;

		for (char **p = present; p && *p; p++) {
			bool known = false;

			for (size_t i = 0; i < nkeys && !known; i++)
				known = !strcmp(*p, keys[i].name);
			if (known)
				continue;
			const char *near = kf_nearest(*p, names, nkeys);
			if (near)
				diag_add(d, k, group, *p, "unknown key (did you mean '%s'?)", near);
			else
				diag_add(d, k, group, *p, "unknown key; [%s] takes: %s", group,
					 all_names);
		}
	}

	for (size_t i = 0; i < nkeys; i++) {
		const struct key_spec *ks = &keys[i];
		void *field = (char *)out + ks->offset;
		g_autofree char *value = NULL;
		g_autoptr(GError) err = NULL;
		const struct kf *from = lookup(s, group, ks->name, &value);

		if (from) {
			strip_comment(value);
			if (!parse_value(ks, value, from->dir, field, &err))
				diag_add(d, from, group, ks->name, "%s", err->message);
			continue;
		}
		if (!ks->def) {
			const struct kf *where = NULL;

			for (int li = s->n - 1; li >= 0; li--)
				if (s->layer[li] && g_key_file_has_group(s->layer[li]->keys, group))
					where = s->layer[li];
			if (!where)
				where = s->layer[s->n - 1];
			diag_add(d, where, group, ks->name, "missing: this key is required (%s)",
				 ks->help);
			continue;
		}
		if (!parse_value(ks, ks->def, NULL, field, &err))
			g_error("default of %s.%s does not parse: %s", group, ks->name, err->message);
	}
	return d->count == before;
}

void kf_clear_section(const struct key_spec *keys, size_t nkeys, void *out)
{
	for (size_t i = 0; i < nkeys; i++) {
		void *field = (char *)out + keys[i].offset;

		if (keys[i].type == KEY_STRING)
			g_clear_pointer((char **)field, g_free);
		else if (keys[i].type == KEY_DIST)
			dist_clear(field);
	}
}

const char *kf_key_unit(const struct key_spec *ks, const char *sep, char *buf, size_t len)
{
	switch (ks->type) {
	case KEY_UINT:
		return "count";
	case KEY_STRING:
		return "text";
	case KEY_BOOL:
		return "true/false";
	case KEY_ENUM: {
		g_autofree char *all = g_strjoinv(sep, (char **)ks->choices);

		g_strlcpy(buf, all, len);
		return buf;
	}
	case KEY_QTY:
	case KEY_DIST: {
		g_autofree char *want = units_describe_dup(ks->units);
		char *paren = strchr(want, '(');

		/* "a time such as 1.5us (ns, us...)" -> "ns, us, ..." */
		if (paren) {
			g_strlcpy(buf, paren + 1, len);
			char *close = strchr(buf, ')');
			if (close)
				*close = '\0';
		} else {
			g_strlcpy(buf, want, len);
		}
		if (ks->type == KEY_DIST) {
			g_autofree char *t = g_strdup_printf("distribution of %s", buf);
			g_strlcpy(buf, t, len);
		}
		return buf;
	}
	}
	return "";
}

void kf_print_help(FILE *f, const char *group, const struct key_spec *keys, size_t nkeys)
{
	fprintf(f, "[%s]\n", group);
	for (size_t i = 0; i < nkeys; i++) {
		char buf[160];

		fprintf(f, "  %-20s %-16s %s [%s]\n", keys[i].name,
			keys[i].def ? (*keys[i].def ? keys[i].def : "\"\"") : "(required)",
			keys[i].help, kf_key_unit(&keys[i], "|", buf, sizeof(buf)));
	}
}

void kf_print_markdown(FILE *f, const char *group, const struct key_spec *keys, size_t nkeys)
{
	fprintf(f, "### [%s]\n\n| key | default | unit | meaning |\n| --- | --- | --- | --- |\n",
		group);
	for (size_t i = 0; i < nkeys; i++) {
		char buf[160];

		fprintf(f, "| `%s` | %s | %s | %s |\n", keys[i].name,
			keys[i].def ? keys[i].def : "required", kf_key_unit(&keys[i], ", ", buf, sizeof(buf)),
			keys[i].help);
	}
	fputc('\n', f);
}
