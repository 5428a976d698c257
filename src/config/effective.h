/* effective.h: the configuration a run will use, key by key, with where
 * each value comes from.
 *
 * Built from the key tables (core/keyspec.h) and the layers a scenario is
 * loaded through (--set, the scenario file, the model file; keyfile.h):
 * every key of every section, its value written back in file form (units
 * included, exact: it reads back to the same bits), its origin (built-in
 * default, FILE:LINE, --set, --model, or the VM size table) and whether it
 * differs from the built-in default.  `accelsim config` prints it as a
 * scenario file that runs as it is; provenance stores it; `accelsim help
 * model` shows a model's values beside the defaults.
 */
#ifndef ACCELSIM_EFFECTIVE_H
#define ACCELSIM_EFFECTIVE_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "config/keyfile.h"
#include "config/scenario.h"

/* Where a value comes from. */
enum eff_source {
	EFF_DEFAULT,	/* the key table's built-in default */
	EFF_MODEL,	/* the model file */
	EFF_SCENARIO,	/* the scenario file */
	EFF_SET,	/* --set */
	EFF_OPTION,	/* another command-line option: --model, --seed */
	EFF_DERIVED,	/* computed from another key (vm.vcpus from vm.size) */
};

struct eff_key {
	char *group;			/* "vswitch", "traffic web" */
	const struct key_spec *spec;
	char *value;			/* file form, exact; files as absolute paths */
	char *written;			/* as its origin wrote it (the default's text for
					 * EFF_DEFAULT) */
	char *origin;			/* "default", "models/default.ini:14", "--set",
					 * "--model", "vm.size Standard_D3_v2 (models/sizes.ini)" */
	enum eff_source source;
	bool model;			/* a model section's key */
	bool changed;			/* differs from the built-in default (always for a
					 * key without one) */
};

struct effective {
	char *scenario_path;		/* NULL for a model alone */
	char *model_path;
	char *model_name;
	GPtrArray *keys;		/* struct eff_key *: scenario sections first (file
					 * order), then model sections (help order) */
};

/* The effective configuration of s, a scenario loaded with scenario_load()
 * from the same model_override and sets (either may be NULL).  NULL and an
 * error if a file cannot be read again. */
struct effective *effective_new(const struct scenario *s, const char *model_override,
				const struct kf *sets, GError **error);
/* The same for a model file alone (model sections only). */
struct effective *effective_new_model(const struct model *m, GError **error);
void effective_free(struct effective *e);
typedef struct effective effective;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(effective, effective_free)

/* The key group.key, or NULL. */
const struct eff_key *effective_find(const struct effective *e, const char *group,
				     const char *key);

/* Replace group.key's value with text as an option set it (e.g. --seed):
 * origin names the option.  The value must parse for the key's spec;
 * FALSE and an error otherwise. */
bool effective_override(struct effective *e, const char *group, const char *key,
			const char *text, const char *origin, GError **error);

/* Print e as a scenario file with each value's origin as a comment, so it
 * can be saved and run; changed_only: only keys that differ from the
 * built-in defaults (every scenario section is kept, so that each traffic
 * source, event and load still exists). */
void effective_print(FILE *f, const struct effective *e, bool changed_only);

/* Print the model keys' help with two values each: the built-in default
 * and e's (a model from effective_new_model()), marking where they differ. */
void effective_print_model_help(FILE *f, const struct effective *e);

/* A parsed value (field, of a struct described by ks) back in file form,
 * exact, units included.  An empirical distribution's file cannot be
 * recovered from the parsed table, so text, the value as written, gives it
 * (relative paths resolved from dir, which may be NULL).  Caller frees. */
char *effective_value_text(const struct key_spec *ks, const void *field, const char *text,
			   const char *dir);

/* True if two parsed values of ks are the same value (bit for bit for
 * numbers, the same table for an empirical distribution). */
bool effective_value_equal(const struct key_spec *ks, const void *a, const void *b);

/* A quantity of kind in file form: the unit units_format() picks (a binary
 * one for sizes that are whole multiples of it), with the fewest digits
 * that read back to exactly value.  Caller frees. */
char *effective_quantity_text(double value, enum unit_kind kind);

#endif
