/* datadir.c: locate shipped data (see datadir.h). */
#include "core/datadir.h"

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

char *datadir_find(const char *subdir, const char *name, const char *ext)
{
	g_autofree char *file = g_str_has_suffix(name, ext) ? g_strdup(name)
							    : g_strconcat(name, ext, NULL);
	char *path = g_build_filename(datadir_get(), subdir, file, NULL);

	if (strchr(name, '/') || !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_free(path);
		return NULL;
	}
	return path;
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *datadir_list(const char *subdir, const char *ext)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *dir = g_build_filename(datadir_get(), subdir, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *e;

	while (d && (e = g_dir_read_name(d)))
		if (g_str_has_suffix(e, ext))
			g_ptr_array_add(names, g_strndup(e, strlen(e) - strlen(ext)));
	g_ptr_array_sort(names, compare_names);
	return names;
}
