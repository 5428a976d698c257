/* keyfile.h: .ini files with line numbers, key tables, and error collection.
 *
 * GKeyFile parses; it keeps no line numbers, so kf_load() indexes where each
 * [group] and key sits while loading, and every message about a value leads
 * with "file:line: group.key: ".  A section is described by a table of
 * key_spec rows (name, type, unit, offset into a struct, default, range,
 * help), as fio's options table drives parsing, validation and help.
 *
 * Values are looked up through a stack of layers (command line --set, then
 * the scenario, then the model file), so a scenario or the command line can
 * override one model parameter and errors still point at the right place.
 * Loading collects every error in a diag before failing.
 */
#ifndef ACCELSIM_KEYFILE_H
#define ACCELSIM_KEYFILE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/dist.h"
#include "core/keyspec.h"

/* One loaded .ini file. */
struct kf {
	char *path;		/* as given, used in messages */
	char *dir;		/* directory of path, for relative references */
	GKeyFile *keys;
	GHashTable *lines;	/* "group" and "group\nkey" -> line number */
	char *sha256;		/* of the text as read (provenance) */
};

/* Load path ("-": standard input, named "<stdin>" in messages, whose
 * relative references are relative to the working directory).  On a syntax
 * error, the message is "path:line: ...". */
typedef struct kf kf;
struct kf *kf_load(const char *path, GError **error);
/* Parse text as if read from a file called name (for tests and --set). */
struct kf *kf_load_data(const char *name, const char *text, GError **error);
void kf_free(struct kf *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(kf, kf_free)

/* Line of group (key NULL) or of group.key; 0 when unknown. */
int kf_line(const struct kf *k, const char *group, const char *key);

/* Collected error messages, one per line. */
struct diag {
	GString *text;
	unsigned count;
};

void diag_init(struct diag *d);
void diag_clear(struct diag *d);
/* Add "path:line: group.key: message" (parts that are NULL are left out). */
void diag_add(struct diag *d, const struct kf *k, const char *group, const char *key,
	      const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* If anything was collected, set error (ACCELSIM_ERROR_INPUT) to all of it
 * and return FALSE. */
bool diag_finish(struct diag *d, GError **error);

/* A stack of files to look keys up in, first match wins. */
struct kf_stack {
	const struct kf *layer[4];
	int n;
};

/* Parse one section group of the stack into out (a struct described by
 * keys[0..nkeys)), with defaults for keys no layer sets. Unknown keys in the
 * group of any layer are errors with a "did you mean" suggestion. Errors go
 * to d; returns FALSE if any. */
bool kf_parse_section(const struct kf_stack *s, const char *group, const struct key_spec *keys,
		      size_t nkeys, void *out, struct diag *d);

/* The text of group.key in the topmost layer of s that sets it, a trailing
 * comment removed, as kf_parse_section reads it; *from is that layer.
 * NULL (and *from NULL) when no layer sets it.  Caller frees. */
char *kf_stack_value(const struct kf_stack *s, const char *group, const char *key,
		     const struct kf **from);

/* Free what kf_parse_section allocated in out (strings, dist tables). */
void kf_clear_section(const struct key_spec *keys, size_t nkeys, void *out);

/* The known name closest to word (Levenshtein distance at most 3 and less
 * than its length), or NULL. */
const char *kf_nearest(const char *word, const char *const *known, size_t n);

/* What a key takes, for help: "count", "text", "true/false", its choices
 * joined by sep, or its units ("ns, us, µs, ms, s"); written into buf when
 * it has to be built.  Returns the text. */
const char *kf_key_unit(const struct key_spec *ks, const char *sep, char *buf, size_t len);

/* Print a section's table as help text: key, default, unit, description. */
void kf_print_help(FILE *f, const char *group, const struct key_spec *keys, size_t nkeys);
/* The same as a Markdown table (for docs/file-formats.md). */
void kf_print_markdown(FILE *f, const char *group, const struct key_spec *keys, size_t nkeys);

#endif
