/* sriov.c: network devices, SR-IOV functions and bonded VFs from sysfs
 * (see sriov.h).  Only reads files and links. */
#define _GNU_SOURCE
#include "real/sriov.h"

#include <stdlib.h>
#include <string.h>

#include "core/msg.h"

static void sriov_vf_clear(gpointer data)
{
	struct sriov_vf *vf = data;

	g_free(vf->bus);
	g_strfreev(vf->netdevs);
}

static void sriov_dev_free(gpointer data)
{
	struct sriov_dev *d = data;

	g_free(d->name);
	g_free(d->driver);
	g_free(d->bus);
	if (d->vfs)
		g_array_unref(d->vfs);
	g_free(d->pf_bus);
	g_strfreev(d->lowers);
	g_free(d);
}

/* Basename of a symlink's target, or of the path itself when it is not a
 * link (a copied tree may hold directories); NULL when absent. */
static char *link_base(const char *path)
{
	g_autofree char *target = g_file_read_link(path, NULL);

	if (target)
		return g_path_get_basename(target);
	if (g_file_test(path, G_FILE_TEST_EXISTS))
		return g_path_get_basename(path);
	return NULL;
}

static bool read_int(const char *path, int *out)
{
	g_autofree char *text = NULL;
	char *end;
	long v;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return false;
	v = strtol(g_strstrip(text), &end, 10);
	if (*end || v < 0 || v > 65535)
		return false;
	*out = (int)v;
	return true;
}

/* Names of the entries of dir, sorted; prefix filters and is stripped. */
static char **list_dir(const char *dir, const char *prefix)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;

	if (d) {
		while ((e = g_dir_read_name(d)))
			if (!prefix || g_str_has_prefix(e, prefix))
				g_ptr_array_add(names, g_strdup(e + (prefix ? strlen(prefix) : 0)));
		g_dir_close(d);
	}
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

static int by_vf_index(gconstpointer a, gconstpointer b)
{
	return ((const struct sriov_vf *)a)->index - ((const struct sriov_vf *)b)->index;
}

static void scan_vfs(struct sriov_dev *d, const char *devdir)
{
	g_auto(GStrv) entries = list_dir(devdir, "virtfn");

	d->vfs = g_array_new(FALSE, TRUE, sizeof(struct sriov_vf));
	g_array_set_clear_func(d->vfs, sriov_vf_clear);
	for (char **e = entries; *e; e++) {
		g_autofree char *path = g_strdup_printf("%s/virtfn%s", devdir, *e);
		g_autofree char *net = g_build_filename(path, "net", NULL);
		struct sriov_vf vf = { 0 };
		char *end;

		vf.index = (int)strtol(*e, &end, 10);
		if (*end || end == *e)
			continue;
		vf.bus = link_base(path);
		vf.netdevs = list_dir(net, NULL);
		g_array_append_val(d->vfs, vf);
	}
	g_array_sort(d->vfs, by_vf_index);
}

static struct sriov_dev *scan_one(const char *netdir, const char *name)
{
	g_autofree char *dir = g_build_filename(netdir, name, NULL);
	g_autofree char *devdir = g_build_filename(dir, "device", NULL);
	g_autofree char *drv = g_build_filename(devdir, "driver", NULL);
	g_autofree char *total = g_build_filename(devdir, "sriov_totalvfs", NULL);
	g_autofree char *numvfs = g_build_filename(devdir, "sriov_numvfs", NULL);
	g_autofree char *physfn = g_build_filename(devdir, "physfn", NULL);
	struct sriov_dev *d;

	if (!g_file_test(devdir, G_FILE_TEST_EXISTS))
		return NULL;	/* virtual: lo, veth, bridge, ... */
	d = g_new0(struct sriov_dev, 1);
	d->name = g_strdup(name);
	d->bus = link_base(devdir);
	d->driver = link_base(drv);
	if (!d->driver)
		d->driver = g_strdup("");
	if (read_int(total, &d->total_vfs) && d->total_vfs > 0) {
		d->is_pf = true;
		read_int(numvfs, &d->num_vfs);
		scan_vfs(d, devdir);
	}
	d->pf_bus = link_base(physfn);
	d->is_vf = d->pf_bus != NULL;
	d->lowers = list_dir(dir, "lower_");
	return d;
}

static int by_name(gconstpointer a, gconstpointer b)
{
	const struct sriov_dev *x = *(const struct sriov_dev *const *)a;
	const struct sriov_dev *y = *(const struct sriov_dev *const *)b;

	return strcmp(x->name, y->name);
}

GPtrArray *sriov_scan(const char *sysfs_root, GError **error)
{
	g_autofree char *netdir = g_build_filename(sysfs_root, "class", "net", NULL);
	GPtrArray *devs;
	GError *err = NULL;
	GDir *d = g_dir_open(netdir, 0, &err);
	const char *name;

	if (!d) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot list network devices: %s", err->message);
		g_error_free(err);
		return NULL;
	}
	devs = g_ptr_array_new_with_free_func(sriov_dev_free);
	while ((name = g_dir_read_name(d))) {
		struct sriov_dev *dev = scan_one(netdir, name);

		if (dev)
			g_ptr_array_add(devs, dev);
	}
	g_dir_close(d);
	g_ptr_array_sort(devs, by_name);
	return devs;
}

const struct sriov_dev *sriov_find(const GPtrArray *devs, const char *name)
{
	for (guint i = 0; i < devs->len; i++) {
		const struct sriov_dev *d = g_ptr_array_index(devs, i);

		if (!strcmp(d->name, name))
			return d;
	}
	return NULL;
}
