/* model.c: load and check model files (see model.h). */
#include "config/model.h"

#include <stddef.h>
#include <string.h>

#include "core/datadir.h"
#include "core/msg.h"
#include "model/vswitch.h"

const char *const model_fixed_groups[] = { "model", "host", "vm", NULL };

struct model_info {
	char *name;
	char *description;
};

static const struct key_spec model_keys[] = {
	KS_STR(struct model_info, name, "name", "", "name shown in reports (default: file name)"),
	KS_STR(struct model_info, description, "description", "", "what this model describes"),
};

static const struct key_spec host_keys[] = {
	KS_UINT(struct host_params, cores, "cores", "16", 1, 4096, "physical cores of the host"),
	KS_QTY(struct host_params, freq_hz, "freq", UNIT_FREQ, "2.6GHz", 1e6, 1e11,
	       "clock of host cores and vCPUs: converts cycles to time"),
	KS_QTY(struct host_params, migration_bps, "migration_rate", UNIT_BITRATE, "10Gbps", 1e6, 0,
	       "link a live migration copies the VM's memory over, to a host like this one"),
	KS_QTY(struct host_params, vf_detach_s, "vf_detach", UNIT_TIME, "1s", 0, 600,
	       "live migration: from its start until the VF is gone and the copy begins"),
	KS_QTY(struct host_params, vf_attach_s, "vf_attach", UNIT_TIME, "1s", 0, 600,
	       "live migration: from the VM's arrival until a VF is attached on the new host"),
};

static const struct key_spec vm_keys[] = {
	KS_STR(struct vm_params, size, "size", "Standard_D3_v2",
	       "VM size (see `accelsim models --sizes`): gives vcpus and bandwidth"),
	KS_UINT(struct vm_params, vcpus, "vcpus", "0", 0, 4096, "vCPUs of the VM (0: the size's)"),
	KS_QTY(struct vm_params, bandwidth_bps, "bandwidth", UNIT_BITRATE, "0bps", 0, 0,
	       "network allowance of the VM (0bps: the size's, if published)"),
	KS_QTY(struct vm_params, failover_s, "failover", UNIT_TIME, "0s", 0, 600,
	       "from a VF's return (vf_add) until the guest's bond of synthetic and VF "
	       "interfaces sends through it again"),
	KS_QTY(struct vm_params, memory_bytes, "memory", UNIT_SIZE, "8GiB", 1 << 20, 0,
	       "memory of the VM: what a live migration copies"),
	KS_QTY(struct vm_params, dirty_bps, "dirty_rate", UNIT_BYTERATE, "1GB/s", 0, 0,
	       "bytes the VM writes per second of its vCPUs' work: what a live migration's "
	       "pre-copy must send again"),
};

bool model_is_section(const char *group)
{
	return g_strv_contains(model_fixed_groups, group) || component_find(group);
}

static void section_free(gpointer data)
{
	struct model_section *s = data;

	if (s->params)
		kf_clear_section(s->ops->keys, s->ops->nkeys, s->params);
	g_free(s->params);
	g_free(s->name);
	g_free(s);
}

void model_free(struct model *m)
{
	if (!m)
		return;
	g_free(m->path);
	g_free(m->sha256);
	g_free(m->name);
	g_free(m->description);
	g_free(m->vm.size);
	if (m->sections)
		g_ptr_array_unref(m->sections);
	g_free(m);
}

char *model_resolve(const char *ref, const char *base_dir, GError **error)
{
	if (!ref || !*ref) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected a model file or the name of a shipped model, got ''");
		return NULL;
	}
	if (strchr(ref, '/') || g_str_has_suffix(ref, ".ini")) {
		char *path = g_path_is_absolute(ref) || !base_dir
				     ? g_strdup(ref)
				     : g_build_filename(base_dir, ref, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			return path;
		g_free(path);
		char *shipped = datadir_find("models", ref, ".ini");
		if (shipped)
			return shipped;
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "cannot find model file '%s'", ref);
		return NULL;
	}
	char *shipped = datadir_find("models", ref, ".ini");
	if (shipped)
		return shipped;

	g_autoptr(GPtrArray) names = datadir_list("models", ".ini");
	for (guint i = 0; i < names->len; i++)
		if (!strcmp(names->pdata[i], "sizes"))
			g_ptr_array_remove_index(names, i--);
	g_ptr_array_add(names, NULL);
	const char *near = kf_nearest(ref, (const char *const *)names->pdata, names->len - 1);
	g_autofree char *all = g_strjoinv(", ", (char **)names->pdata);
	if (near)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "no shipped model called '%s' (did you mean '%s'?)", ref, near);
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "no shipped model called '%s'; shipped models: %s", ref, all);
	return NULL;
}

static void check_groups(const struct kf *k, struct diag *d)
{
	g_auto(GStrv) groups = g_key_file_get_groups(k->keys, NULL);
	g_autoptr(GPtrArray) known = g_ptr_array_new();

	for (const char *const *g = model_fixed_groups; *g; g++)
		g_ptr_array_add(known, (gpointer)*g);
	for (size_t i = 0; i < component_registry_len; i++)
		g_ptr_array_add(known, (gpointer)component_registry[i]->kind);

	for (char **g = groups; *g; g++) {
		if (model_is_section(*g))
			continue;
		const char *near = kf_nearest(*g, (const char *const *)known->pdata, known->len);

		g_ptr_array_add(known, NULL);
		g_autofree char *all = g_strjoinv(", ", (char **)known->pdata);
		g_ptr_array_remove_index(known, known->len - 1);
		if (near)
			diag_add(d, k, *g, NULL, "unknown section (did you mean [%s]?)", near);
		else
			diag_add(d, k, *g, NULL, "unknown section; a model has: %s", all);
	}
}

/* Fill vcpus and bandwidth from the size table where the file leaves them. */
static void apply_size(struct model *m, const struct kf_stack *st, struct diag *d)
{
	g_autoptr(GError) err = NULL;
	GArray *sizes = vm_sizes_load(&err);

	if (!sizes) {
		diag_add(d, NULL, NULL, NULL, "%s", err->message);
		return;
	}
	const struct vm_size *s = vm_sizes_find(sizes, m->vm.size);
	if (!s) {
		const struct kf *where = st->layer[st->n - 1];

		for (int i = 0; i < st->n; i++)
			if (st->layer[i] && g_key_file_has_key(st->layer[i]->keys, "vm", "size", NULL)) {
				where = st->layer[i];
				break;
			}
		g_autoptr(GPtrArray) names = g_ptr_array_new();
		for (guint i = 0; i < sizes->len; i++)
			g_ptr_array_add(names, g_array_index(sizes, struct vm_size, i).name);
		const char *near = kf_nearest(m->vm.size, (const char *const *)names->pdata,
					      names->len);
		if (m->vm.vcpus == 0)
			diag_add(d, where, "vm", "size",
				 "unknown VM size '%s'%s%s%s; give vcpus and bandwidth yourself, or "
				 "see `accelsim models --sizes`",
				 m->vm.size, near ? " (did you mean '" : "", near ? near : "",
				 near ? "'?)" : "");
	} else {
		if (m->vm.vcpus == 0)
			m->vm.vcpus = s->vcpus;
		if (m->vm.bandwidth_bps == 0)
			m->vm.bandwidth_bps = s->bandwidth_bps;
	}
	g_array_unref(sizes);
}

/* The topmost layer of st that sets group.key, or NULL. */
static const struct kf *setter(const struct kf_stack *st, const char *group, const char *key)
{
	for (int i = 0; i < st->n; i++)
		if (st->layer[i] && g_key_file_has_key(st->layer[i]->keys, group, key, NULL))
			return st->layer[i];
	return NULL;
}

/* The vSwitch's cores are the host's, and the VM runs on the others
 * (pipeline/platform.c): a vSwitch as large as the host leaves the VM
 * nothing.  Reported at vswitch.cores when a file sets it, else at
 * host.cores (the vSwitch's default, 2, needs a host of 3 or more). */
static void check_cores(const struct model *m, const struct kf_stack *st, struct diag *d)
{
	const struct vswitch_params *vs = model_params(m, "vswitch");
	const struct kf *at = setter(st, "vswitch", "cores");

	if (vs->cores < m->host.cores)
		return;
	if (at || !setter(st, "host", "cores"))
		diag_add(d, at ? at : st->layer[st->n - 1], "vswitch", "cores",
			 "expected fewer than host.cores (%u): the host's other cores run the VM, "
			 "got '%u'",
			 m->host.cores, vs->cores);
	else
		diag_add(d, setter(st, "host", "cores"), "host", "cores",
			 "expected more than vswitch.cores (%u): the host's other cores run the "
			 "VM, got '%u'",
			 vs->cores, m->host.cores);
}

/* Housekeeping that holds a switching core for its whole period, every
 * period, leaves the switch nothing (model/preempt.h): its least length
 * must be below the period.  Reported at vswitch.housekeeping. */
static void check_housekeeping(const struct model *m, const struct kf_stack *st, struct diag *d)
{
	const struct vswitch_params *vs = model_params(m, "vswitch");
	const struct kf *at = setter(st, "vswitch", "housekeeping");

	if (!(vs->housekeeping_period > 0) || dist_min(&vs->housekeeping) < vs->housekeeping_period)
		return;
	g_autofree char *len = dist_to_string(&vs->housekeeping);
	char per[64];

	units_format(vs->housekeeping_period, UNIT_TIME, per, sizeof(per));

	diag_add(d, at ? at : st->layer[st->n - 1], "vswitch", "housekeeping",
		 "expected less than housekeeping_period (%s) at its least: the core would never "
		 "switch, got '%s'",
		 per, len);
}

struct model *model_load(const char *path_or_name, const struct kf *const *overrides,
			 int noverrides, GError **error)
{
	g_autofree char *path = model_resolve(path_or_name, NULL, error);
	g_autoptr(kf) file = NULL;
	g_autoptr(model) m = NULL;
	struct kf_stack st = { .n = 0 };
	struct diag d;
	struct model_info info = { 0 };

	if (!path)
		return NULL;
	file = kf_load(path, error);
	if (!file)
		return NULL;

	for (int i = 0; i < noverrides && st.n < 3; i++)
		if (overrides[i])
			st.layer[st.n++] = overrides[i];
	st.layer[st.n++] = file;

	m = g_new0(struct model, 1);
	m->path = g_strdup(path);
	m->sha256 = g_strdup(file->sha256);
	m->sections = g_ptr_array_new_with_free_func(section_free);

	diag_init(&d);
	check_groups(file, &d);
	kf_parse_section(&st, "model", model_keys, G_N_ELEMENTS(model_keys), &info, &d);
	kf_parse_section(&st, "host", host_keys, G_N_ELEMENTS(host_keys), &m->host, &d);
	kf_parse_section(&st, "vm", vm_keys, G_N_ELEMENTS(vm_keys), &m->vm, &d);

	for (size_t i = 0; i < component_registry_len; i++) {
		const struct component_ops *ops = component_registry[i];
		struct model_section *s = g_new0(struct model_section, 1);

		s->name = g_strdup(ops->kind);
		s->ops = ops;
		s->params = g_malloc0(ops->params_size ? ops->params_size : 1);
		g_ptr_array_add(m->sections, s);
		if (ops->nkeys)
			kf_parse_section(&st, ops->kind, ops->keys, ops->nkeys, s->params, &d);
	}

	if (d.count == 0)
		apply_size(m, &st, &d);
	if (d.count == 0)
		check_cores(m, &st, &d);
	if (d.count == 0)
		check_housekeeping(m, &st, &d);

	if (info.name && *info.name) {
		m->name = g_steal_pointer(&info.name);
	} else {
		g_autofree char *base = g_path_get_basename(path);
		m->name = g_strndup(base, g_str_has_suffix(base, ".ini") ? strlen(base) - 4
									  : strlen(base));
	}
	m->description = g_steal_pointer(&info.description);
	kf_clear_section(model_keys, G_N_ELEMENTS(model_keys), &info);

	if (!diag_finish(&d, error)) {
		diag_clear(&d);
		return NULL;
	}
	diag_clear(&d);
	return g_steal_pointer(&m);
}

const struct model_section *model_section(const struct model *m, const char *kind)
{
	for (guint i = 0; i < m->sections->len; i++) {
		const struct model_section *s = m->sections->pdata[i];

		if (!strcmp(s->name, kind))
			return s;
	}
	return NULL;
}

const void *model_params(const struct model *m, const char *kind)
{
	const struct model_section *s = model_section(m, kind);

	g_assert(s);
	return s->params;
}

const struct key_spec *model_section_keys(const char *group, size_t *n)
{
	const struct component_ops *ops = component_find(group);

	if (!strcmp(group, "model")) {
		*n = G_N_ELEMENTS(model_keys);
		return model_keys;
	}
	if (!strcmp(group, "host")) {
		*n = G_N_ELEMENTS(host_keys);
		return host_keys;
	}
	if (!strcmp(group, "vm")) {
		*n = G_N_ELEMENTS(vm_keys);
		return vm_keys;
	}
	*n = ops ? ops->nkeys : 0;
	return ops ? ops->keys : NULL;
}

void model_print_help(FILE *f, bool markdown)
{
	void (*print)(FILE *, const char *, const struct key_spec *, size_t) =
		markdown ? kf_print_markdown : kf_print_help;

	print(f, "model", model_keys, G_N_ELEMENTS(model_keys));
	print(f, "host", host_keys, G_N_ELEMENTS(host_keys));
	print(f, "vm", vm_keys, G_N_ELEMENTS(vm_keys));
	for (size_t i = 0; i < component_registry_len; i++) {
		const struct component_ops *ops = component_registry[i];

		if (!ops->nkeys)
			continue;
		if (markdown)
			fprintf(f, "%s: %s.\n\n", ops->kind, ops->summary);
		else
			fprintf(f, "\n# %s, on %s: %s\n", ops->kind, ops->runs_on, ops->summary);
		print(f, ops->kind, ops->keys, ops->nkeys);
	}
}

/* ---- VM sizes ---- */

struct size_row {
	unsigned vcpus;
	double bandwidth_bps;
	bool hyperthreaded;
	int accelerated;
	char *source;
	char *note;
};

/* "rule": the documented rule decides (at least 2 vCPUs, at least 4 on
 * hyperthreaded sizes); the others are the platform's word for the size. */
static const char *const an_choices[] = { "no", "yes", "required", "rule", NULL };

static const struct key_spec size_keys[] = {
	KS_UINT(struct size_row, vcpus, "vcpus", NULL, 1, 4096, "vCPUs"),
	KS_QTY(struct size_row, bandwidth_bps, "bandwidth", UNIT_BITRATE, "0bps", 0, 0,
	       "expected network bandwidth (0bps: not published)"),
	KS_BOOL(struct size_row, hyperthreaded, "hyperthreaded", "false",
		"vCPUs are hyperthreads"),
	KS_ENUM(struct size_row, accelerated, "accelerated_networking", an_choices, "rule",
		"whether the size supports accelerated networking (rule: by its vCPUs)"),
	KS_STR(struct size_row, source, "source", "", "where the figures come from"),
	KS_STR(struct size_row, note, "note", "", "remark"),
};

static void vm_size_clear(gpointer data)
{
	struct vm_size *s = data;

	g_free(s->name);
	g_free(s->source);
	g_free(s->note);
}

GArray *vm_sizes_load(GError **error)
{
	g_autofree char *path = datadir_find("models", "sizes", ".ini");
	g_autoptr(kf) k = NULL;
	struct diag d;

	if (!path) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot find the VM size table models/sizes.ini under '%s'",
			    datadir_get());
		return NULL;
	}
	k = kf_load(path, error);
	if (!k)
		return NULL;

	GArray *sizes = g_array_new(FALSE, TRUE, sizeof(struct vm_size));
	g_array_set_clear_func(sizes, vm_size_clear);
	g_auto(GStrv) groups = g_key_file_get_groups(k->keys, NULL);
	struct kf_stack st = { .layer = { k }, .n = 1 };

	diag_init(&d);
	for (char **g = groups; *g; g++) {
		struct size_row row = { 0 };

		if (!kf_parse_section(&st, *g, size_keys, G_N_ELEMENTS(size_keys), &row, &d)) {
			kf_clear_section(size_keys, G_N_ELEMENTS(size_keys), &row);
			continue;
		}
		struct vm_size s = {
			.name = g_strdup(*g),
			.vcpus = row.vcpus,
			.bandwidth_bps = row.bandwidth_bps,
			.hyperthreaded = row.hyperthreaded,
			.accelerated = row.accelerated == 2 ? -1 : row.accelerated == 3 ? 2 : row.accelerated,
			.source = g_steal_pointer(&row.source),
			.note = g_steal_pointer(&row.note),
		};
		g_array_append_val(sizes, s);
	}
	if (!diag_finish(&d, error)) {
		diag_clear(&d);
		g_array_unref(sizes);
		return NULL;
	}
	diag_clear(&d);
	return sizes;
}

const struct vm_size *vm_sizes_find(GArray *sizes, const char *name)
{
	for (guint i = 0; i < sizes->len; i++) {
		const struct vm_size *s = &g_array_index(sizes, struct vm_size, i);

		if (!g_ascii_strcasecmp(s->name, name))
			return s;
	}
	return NULL;
}

bool vm_size_supports_an(const struct vm_size *s, const char **why)
{
	switch (s->accelerated) {
	case 0:
		*why = s->note && *s->note ? s->note : "not offered for this size";
		return false;
	case 1:
		*why = s->note && *s->note ? s->note : "supported";
		return true;
	case -1:
		*why = "required, and on by default for this size";
		return true;
	}
	if (s->hyperthreaded && s->vcpus < 4) {
		*why = "sizes with hyperthreading need at least 4 vCPUs";
		return false;
	}
	if (s->vcpus < 2) {
		*why = "sizes need at least 2 vCPUs";
		return false;
	}
	*why = s->hyperthreaded ? "supported: hyperthreaded with at least 4 vCPUs"
				: "supported: at least 2 vCPUs";
	return true;
}
