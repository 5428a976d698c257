/* testutil.c: helpers the tests of the built program share (see
 * testutil.h). */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config.h"

char *tu_bin(void)
{
	return g_build_filename(ABS_TOP_BUILDDIR, "accelsim", NULL);
}

bool tu_bin_built(void)
{
	g_autofree char *bin = tu_bin();

	if (g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE))
		return true;
	print_message("skipped: %s is not built\n", bin);
	return false;
}

int tu_run(const char *cwd, char **env, const char *const *args, char **out, char **err)
{
	g_autofree char *bin = tu_bin();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) e = NULL;
	int status;

	g_ptr_array_add(argv, bin);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(cwd, (char **)argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, out, err,
			  &status, &e))
		fail_msg("cannot run %s: %s", bin, e->message);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

void tu_remove_tree(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			tu_remove_tree(p);
		else
			g_unlink(p);
	}
	g_rmdir(dir);
}

int tu_tmpdir_setup(char **dir, const char *tmpl)
{
	*dir = g_dir_make_tmp(tmpl, NULL);
	return *dir ? 0 : -1;
}

int tu_tmpdir_teardown(char **dir)
{
	tu_remove_tree(*dir);
	g_clear_pointer(dir, g_free);
	return 0;
}

int tu_time_factor(void)
{
	const char *f = getenv("TEST_TIME_FACTOR");
	const int n = f ? atoi(f) : 1;

	return n > 1 ? n : 1;
}

const char *tu_datadir(void)
{
	const char *d = getenv("TEST_DATADIR");

	return d && *d ? d : ABS_TOP_SRCDIR "/tests/data";
}

char *tu_read(const char *dir, const char *name)
{
	g_autofree char *p = name ? g_build_filename(dir, name, NULL) : g_strdup(dir);
	char *text = NULL;

	return g_file_get_contents(p, &text, NULL, NULL) ? text : NULL;
}
