/* datadir.c: locate shipped data (see datadir.h). */
#include "core/datadir.h"

#include <stdbool.h>
#include <string.h>

static gpointer find_datadir(gpointer unused)
{
	const char *env = g_getenv("ACCELSIM_DATADIR");

	if (env && *env)
		return g_strdup(env);

	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *prefix = g_strconcat(ABS_TOP_BUILDDIR, "/", NULL);
	if (exe && g_str_has_prefix(exe, prefix)) {
		g_autofree char *models = g_build_filename(ABS_TOP_SRCDIR, "models", NULL);

		if (g_file_test(models, G_FILE_TEST_IS_DIR))
			return g_strdup(ABS_TOP_SRCDIR);
	}
	return g_strdup(PKGDATADIR);
}

const char *datadir_get(void)
{
	static GOnce once = G_ONCE_INIT;

	return g_once(&once, find_datadir, NULL);
}

/* A name stays inside the data directory: relative, and no component
 * empty, "." or "..". */
static bool name_is_inside(const char *name)
{
	if (!*name || g_path_is_absolute(name))
		return false;
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);

	for (char **p = parts; *p; p++)
		if (!**p || !strcmp(*p, ".") || !strcmp(*p, ".."))
			return false;
	return true;
}

char *datadir_find(const char *subdir, const char *name, const char *ext)
{
	if (!name_is_inside(name))
		return NULL;
	g_autofree char *file = g_str_has_suffix(name, ext) ? g_strdup(name)
							    : g_strconcat(name, ext, NULL);
	char *path = g_build_filename(datadir_get(), subdir, file, NULL);

	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_free(path);
		return NULL;
	}
	return path;
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append to names the files of datadir/subdir[/group] ending in ext, as
 * "name" or "group/name", sorted; with groups, also the folders' names. */
static void list_dir(GPtrArray *names, GPtrArray *groups, const char *subdir, const char *group,
		     const char *ext)
{
	g_autofree char *dir = g_build_filename(datadir_get(), subdir, group, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	const char *e;

	while (d && (e = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, e, NULL);

		if (g_str_has_suffix(e, ext) && g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
			g_autofree char *base = g_strndup(e, strlen(e) - strlen(ext));

			g_ptr_array_add(found, group ? g_strconcat(group, "/", base, NULL)
						     : g_steal_pointer(&base));
		} else if (groups && e[0] != '.' && g_file_test(path, G_FILE_TEST_IS_DIR)) {
			g_ptr_array_add(groups, g_strdup(e));
		}
	}
	g_ptr_array_sort(found, compare_names);
	for (guint i = 0; i < found->len; i++)
		g_ptr_array_add(names, g_steal_pointer(&found->pdata[i]));
}

GPtrArray *datadir_list(const char *subdir, const char *ext)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	list_dir(names, NULL, subdir, NULL, ext);
	return names;
}

GPtrArray *datadir_list_all(const char *subdir, const char *ext)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func(g_free);

	list_dir(names, groups, subdir, NULL, ext);
	g_ptr_array_sort(groups, compare_names);
	for (guint i = 0; i < groups->len; i++)
		list_dir(names, NULL, subdir, groups->pdata[i], ext);
	return names;
}
