/* model.h: a model file, loaded and checked.
 *
 * A model describes the hardware and software of one host and its VM:
 * [host] and [vm], and one section per component (see model/component.h and
 * `accelsim help model`).  Sections a file leaves out take their defaults.
 * The scenario may override any model key by repeating its section, and
 * the command line by --set section.key=value; each value is read from the
 * topmost layer that sets it, and errors point there. */
#ifndef ACCELSIM_MODEL_H
#define ACCELSIM_MODEL_H

#include <glib.h>
#include <stdbool.h>

#include "config/keyfile.h"
#include "model/component.h"

struct host_params {
	unsigned cores;
	double freq_hz;
	double migration_bps;	/* the link a live migration copies memory over */
	double vf_detach_s;	/* from a migration's start until the VF is gone */
	double vf_attach_s;	/* from its end until a VF is there on the new host */
};

struct vm_params {
	char *size;
	unsigned vcpus;
	double bandwidth_bps;	/* the size's network allowance, 0: unlimited */
	double failover_s;	/* from a VF's return until the guest's bond uses it */
	double memory_bytes;	/* what a live migration copies */
	double dirty_bps;	/* bytes written per second of vCPU work (pre-copy) */
};

/* One component section of the model. */
struct model_section {
	char *name;
	const struct component_ops *ops;
	void *params;
};

struct model {
	char *path;		/* file it came from */
	char *sha256;		/* of its text as read */
	char *name;		/* [model] name, or the file's base name */
	char *description;
	struct host_params host;
	struct vm_params vm;
	GPtrArray *sections;	/* struct model_section *, registry order */
};

/* Groups every model has besides its components. */
extern const char *const model_fixed_groups[];

/* Load the model at path_or_name (a path, or the name of a shipped model),
 * with overrides: up to three kf layers above the model file, topmost first
 * (NULL entries are skipped); their groups that are not model sections are
 * ignored here.  All errors are collected. */
struct model *model_load(const char *path_or_name, const struct kf *const *overrides,
			 int noverrides, GError **error);
void model_free(struct model *m);
typedef struct model model;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(model, model_free)

/* The section of component kind, or NULL. */
const struct model_section *model_section(const struct model *m, const char *kind);
/* Its params (asserts the section exists). */
const void *model_params(const struct model *m, const char *kind);

/* Resolve a model reference: a path (relative to base_dir when relative)
 * or a shipped model's name. Caller frees; NULL and error if none. */
char *model_resolve(const char *ref, const char *base_dir, GError **error);

/* True if group is a model section name (fixed or a component kind). */
bool model_is_section(const char *group);

/* The key table of model section group (fixed or a component's), its
 * length in *n; NULL if group is no model section. */
const struct key_spec *model_section_keys(const char *group, size_t *n);

/* Print every section's keys (help text) or the Markdown reference. */
void model_print_help(FILE *f, bool markdown);

/* VM sizes (models/sizes.ini). */
struct vm_size {
	char *name;
	unsigned vcpus;
	double bandwidth_bps;	/* 0 when not published */
	bool hyperthreaded;
	int accelerated;	/* 1 supported, 0 not, -1 required, 2 by the vCPU rule */
	char *source;
	char *note;
};

/* Load the shipped sizes table; returns an array of struct vm_size. */
GArray *vm_sizes_load(GError **error);
const struct vm_size *vm_sizes_find(GArray *sizes, const char *name);
/* Whether accelerated networking can be enabled on size, with the reason. */
bool vm_size_supports_an(const struct vm_size *s, const char **why);

#endif
