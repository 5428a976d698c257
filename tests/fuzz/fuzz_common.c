/* fuzz_common.c: the temporary directory and checks the fuzz targets share
 * (see fuzz.h). */
#include "fuzz.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *tmpdir;

static void remove_tmpdir(void)
{
	g_autoptr(GDir) d = tmpdir ? g_dir_open(tmpdir, 0, NULL) : NULL;
	const char *e;

	while (d && (e = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(tmpdir, e, NULL);

		unlink(p);
	}
	if (tmpdir)
		rmdir(tmpdir);
	g_clear_pointer(&tmpdir, g_free);
}

const char *fuzz_tmpdir(void)
{
	if (!tmpdir) {
		g_autoptr(GError) e = NULL;

		tmpdir = g_dir_make_tmp("accelsim-fuzz-XXXXXX", &e);
		if (!tmpdir)
			fuzz_fail(__FILE__, __LINE__, "tmpdir", "%s", e->message);
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

char *fuzz_write(const char *name, const void *data, size_t size)
{
	char *path = g_build_filename(fuzz_tmpdir(), name, NULL);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fuzz_fail(__FILE__, __LINE__, "write", "%s: %s", path, g_strerror(errno));
	return path;
}

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: fuzz property broken: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* The file a message line starts with ("path:12: ..." or "path: ..."). */
static bool names_existing_file(const char *line)
{
	const char *colon = strchr(line, ':');
	g_autofree char *path = colon ? g_strndup(line, colon - line) : NULL;

	return path && *path && g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

void fuzz_check_error(const GError *error, const char *const *prefixes, bool any_file)
{
	FUZZ_CHECK(error && error->message && *error->message, "%s", "empty error");
	g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);

	for (char **l = lines; *l; l++) {
		bool located = false;

		FUZZ_CHECK(**l, "empty line in error:\n%s", error->message);
		/* "file:..." or, for the option, "--set: ..." and "--set KEY: ..." */
		for (const char *const *p = prefixes; *p && !located; p++)
			located = g_str_has_prefix(*l, *p) &&
				  ((*l)[strlen(*p)] == ':' ||
				   (**p == '-' && (*l)[strlen(*p)] == ' ' && strchr(*l, ':')));
		if (!located && any_file)
			located = names_existing_file(*l);
		FUZZ_CHECK(located, "line names no file: '%s' in:\n%s", *l, error->message);
	}
}
