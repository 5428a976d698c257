/* test_real_validate.c: the whole of issue 12's "done when", on this
 * machine: `accelsim real calibrate --emulate -o local.ini` then `accelsim
 * real validate --model local.ini --emulate --plot DIR` complete, the
 * model file loads, validation prints a table with every figure's error
 * and a verdict, and the plots are there.  About a minute; run by `make
 * check-slow` (CI runs it as root), not by `make check`.  Needs root and
 * network namespaces, else it skips (exit 77) saying why.  The figures are
 * printed for the record; how close the model gets is not asserted here
 * (docs/validation.md discusses it), only that it is measured and said.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "config/model.h"
#include "real/netns.h"

static char *dir;

static int run(const char *const *args, char **out)
{
	g_autofree char *bin = g_build_filename(ABS_TOP_BUILDDIR, "accelsim", NULL);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree char *err = NULL;
	GError *e = NULL;
	int status;

	g_ptr_array_add(argv, bin);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err,
			  &status, &e))
		fail_msg("cannot run %s: %s", bin, e->message);
	/* whole, for the record: print_message() cuts long text */
	fputs(*out, stdout);
	fputs(err, stdout);
	fflush(stdout);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static bool file_starts_with(const char *path, const char *magic, size_t n)
{
	g_autofree char *text = NULL;
	gsize len;

	return g_file_get_contents(path, &text, &len, NULL) && len > 1000 && len >= n &&
	       !memcmp(text, magic, n);
}

static void test_calibrate_then_validate(void **state)
{
	g_autofree char *model_path = g_build_filename(dir, "local.ini", NULL);
	g_autofree char *plots = g_build_filename(dir, "out", NULL);
	g_autofree char *png = g_build_filename(plots, "latency-vs-load.png", NULL);
	g_autofree char *svg = g_build_filename(plots, "conditions.svg", NULL);
	g_autofree char *cal = NULL, *val = NULL, *svg_text = NULL;
	const char *calibrate[] = { "real", "calibrate", "--emulate", "-o", model_path, NULL };
	const char *validate[] = { "real", "validate", "--model", model_path, "--emulate", "--plot",
				   plots, NULL };
	g_autoptr(model) m = NULL;
	GError *err = NULL;
	int status;

	assert_int_equal(run(calibrate, &cal), 0);
	assert_non_null(strstr(cal, "per nftables rule"));
	m = model_load(model_path, NULL, 0, &err);
	if (!m)
		fail_msg("the calibrated model does not load: %s", err->message);

	status = run(validate, &val);
	/* 0: every judged figure within its limit; 1: some not (the verdict says) */
	assert_true(status == 0 || status == 1);
	assert_non_null(strstr(val, status ? "verdict: FAIL" : "verdict: PASS"));
	for (const char *const *f = (const char *const[]){ "p50 us", "p99 us", "jitter us",
							   "saturation pps", "cpu cycles", NULL };
	     *f; f++)
		if (!strstr(val, *f))
			fail_msg("no '%s' row in the validation table", *f);
	assert_non_null(strstr(val, "at 80 % load"));
	assert_true(file_starts_with(png, "\x89PNG", 4));
	/* the curve drawn as `accelsim plot` draws a sweep: the measured
	 * points and the model's lines on the same axes, at every load */
	g_autofree char *dat = NULL;
	g_autofree char *dat_path = g_build_filename(plots, "latency-vs-load.dat", NULL);
	assert_true(g_file_get_contents(dat_path, &dat, NULL, NULL));
	for (const char *const *b = (const char *const[]){ "normal p50 measured",
							   "normal p50 model",
							   "accelerated p99 measured",
							   "accelerated p99 model", NULL };
	     *b; b++) {
		g_autofree char *head = g_strdup_printf("# %s\n# x x_text latency_us ci95\n20 ", *b);
		const char *block = strstr(dat, head);

		if (!block)
			fail_msg("latency-vs-load.dat has no block '%s' from 20 %% load:\n%s", *b,
				 dat);
		const char *end = strstr(block + 2, "\n\n");
		const char *at80 = strstr(block, "\n80 \"80\" ");
		if (!at80 || (end && at80 > end))
			fail_msg("block '%s' has no point at 80 %% load", *b);
	}
	assert_true(g_file_get_contents(svg, &svg_text, NULL, NULL));
	assert_non_null(strstr(svg_text, "<svg"));
	assert_non_null(strstr(svg_text, "</svg>"));
}

static void remove_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *e;

	while (d && (e = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(path, e, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			remove_tree(p);
		else
			g_unlink(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calibrate_then_validate),
	};
	g_autofree char *gnuplot = g_find_program_in_path("gnuplot");
	GError *err = NULL;
	int rc;

	if (!netns_supported(&err)) {
		printf("skipping calibrate and validate: %s\n", err->message);
		g_error_free(err);
		return 77;
	}
	if (!gnuplot) {
		printf("skipping calibrate and validate: no gnuplot for --plot (Debian package "
		       "gnuplot-nox)\n");
		return 77;
	}
	dir = g_dir_make_tmp("accelsim-validate-XXXXXX", NULL);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree(dir);
	g_free(dir);
	return rc;
}
