/* test_plot.c: accelsim plot and report, run as the built program, with
 * the real gnuplot and headless Chromium.
 *
 * Every plot: a PNG (its signature, not a token size), an SVG that parses
 * as XML, and data with the blocks, rows and columns the plot draws;
 * `gnuplot NAME.gp` draws it again by hand.  A missing gnuplot names the
 * package to install.  The time series is drawn from a result made by
 * hand (with a vf_remove event) and from a run with --interval, whose
 * series shows the vf_remove's fallback.  The report page fetches nothing and
 * loads in Chromium without a console message (its Content-Security-Policy
 * turns any fetch into one; a page with an external image checks that the
 * check can fail); screenshots at 1280 and 390 pixels, light and dark, are
 * left in tests/report-shots/ to be looked at.  The browser's part takes
 * a minute: `test_plot --slow`, in make check-slow. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config.h"
#include "report/result.h"
#include "testutil.h"

static char *tmpdir;

static int run_env(char **env, const char *const *args, char **out, char **err)
{
	return tu_run(tmpdir, env, args, out, err);
}

static int run(const char *const *args, char **out, char **err)
{
	return run_env(NULL, args, out, err);
}

#define SHORT "--set", "scenario.duration=100ms", "--set", "scenario.warmup=10ms"

static char *in_tmp(const char *a, const char *b)
{
	return g_build_filename(tmpdir, a, b, NULL);
}

/* ---- the files of a plot ---- */

static void check_png(const char *path)
{
	g_autofree char *data = NULL;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, NULL))
		fail_msg("no %s", path);
	if (len < 8 || memcmp(data, "\x89PNG\r\n\x1a\n", 8))
		fail_msg("%s: not a PNG", path);
	/* a 1600x1000 plot with axes, text and lines: tens of kB */
	if (len < 20000)
		fail_msg("%s: %zu bytes, too small to hold a plot", path, (size_t)len);
}

static void svg_start(GMarkupParseContext *c, const char *name, const char **an,
		      const char **av, gpointer data, GError **e)
{
	int *depth = data;

	if (*depth == 0 && strcmp(name, "svg"))
		g_set_error(e, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
			    "root element <%s>, expected <svg>", name);
	++*depth;
}

static void check_svg(const char *path)
{
	g_autofree char *data = NULL;
	gsize len;
	int depth = 0;
	GMarkupParser p = { .start_element = svg_start };
	g_autoptr(GError) e = NULL;

	if (!g_file_get_contents(path, &data, &len, NULL))
		fail_msg("no %s", path);
	GMarkupParseContext *c = g_markup_parse_context_new(&p, 0, &depth, NULL);
	bool ok = g_markup_parse_context_parse(c, data, (gssize)len, &e) &&
		  g_markup_parse_context_end_parse(c, &e);
	g_markup_parse_context_free(c);
	if (!ok)
		fail_msg("%s: not XML: %s", path, e->message);
	assert_true(depth > 10);
}

/* The data blocks of a .dat (separated by two blank lines): rows of each,
 * and the columns of their rows (one count when they agree, else -1). */
struct blocks {
	guint n;
	guint rows[16];
	int cols[16];
};

/* Columns of a data line: words, a "double quoted" one counting once. */
static int columns(const char *l)
{
	int n = 0;

	while (*l) {
		while (*l == ' ')
			l++;
		if (!*l)
			break;
		n++;
		if (*l == '"') {
			l = strchr(l + 1, '"');
			assert_non_null(l);
			l++;
		} else {
			while (*l && *l != ' ')
				l++;
		}
	}
	return n;
}

static void read_blocks(const char *path, struct blocks *b)
{
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		fail_msg("no %s", path);
	g_auto(GStrv) parts = g_strsplit(text, "\n\n\n", -1);
	memset(b, 0, sizeof(*b));
	for (char **p = parts; *p && b->n < 16; p++, b->n++) {
		g_auto(GStrv) lines = g_strsplit(*p, "\n", -1);

		b->cols[b->n] = 0;
		for (char **l = lines; *l; l++) {
			if (!**l || **l == '#')
				continue;
			int c = columns(*l);

			b->cols[b->n] = b->rows[b->n] && c != b->cols[b->n] ? -1 : c;
			b->rows[b->n]++;
		}
	}
}

static void expect_blocks(const char *dir, const char *name, guint n, guint rows, int cols)
{
	g_autofree char *file = g_strconcat(name, ".dat", NULL);
	g_autofree char *path = g_build_filename(dir, file, NULL);
	struct blocks b;

	read_blocks(path, &b);
	if (b.n < n)
		fail_msg("%s: %u blocks, expected %u", path, b.n, n);
	for (guint i = 0; i < n; i++)
		if ((rows && b.rows[i] != rows) || b.cols[i] != cols)
			fail_msg("%s block %u: %u rows of %d columns, expected %u of %d", path, i,
				 b.rows[i], b.cols[i], rows, cols);
}

static void check_plot(const char *dir, const char *name)
{
	g_autofree char *png = g_strdup_printf("%s/%s.png", dir, name);
	g_autofree char *svg = g_strdup_printf("%s/%s.svg", dir, name);
	g_autofree char *gp = g_strdup_printf("%s/%s.gp", dir, name);

	check_png(png);
	check_svg(svg);
	assert_true(g_file_test(gp, G_FILE_TEST_EXISTS));
}

/* Draw name again by hand, as its .gp file says: gnuplot NAME.gp. */
static void redraw_by_hand(const char *dir, const char *name)
{
	g_autofree char *png = g_strdup_printf("%s/%s.png", dir, name);
	g_autofree char *gp = g_strconcat(name, ".gp", NULL);
	char *argv[] = { "gnuplot", gp, NULL };
	g_autofree char *err = NULL;
	int status;

	assert_int_equal(g_unlink(png), 0);
	assert_true(g_spawn_sync(dir, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
				 NULL, NULL, NULL, &err, &status, NULL));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("gnuplot %s: %s", gp, err);
	check_png(png);
}

/* ---- a sweep's plots ---- */

/* The sweep the plots and the report page are made of, into
 * tmpdir/sweep with its plots; what it printed (caller frees). */
static char *make_sweep(void)
{
	g_autofree char *dir = g_build_filename(tmpdir, "sweep", NULL);
	g_autofree char *err = NULL;
	char *out = NULL;
	int st = run(ARGS("sweep", "quickstart", "--load", "50%..130%/20%", "--seeds", "2", SHORT,
			  "-q", "--plot", dir),
		     &out, &err);

	if (st != 0)
		fail_msg("exit %d: %s", st, err);
	return out;
}

static void test_sweep_plots_every_file_and_column(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "sweep", NULL);
	static const char *const names[] = { "latency-cdf", "latency-vs-load", "throughput",
					     "host-cpu", "jitter", "latency-budget" };
	g_autofree char *out = make_sweep();

	assert_non_null(strstr(out, "plots: 6 in "));
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		check_plot(dir, names[i]);
	/* five points; blocks of x, x as text, y, half-width */
	expect_blocks(dir, "latency-vs-load", 6, 5, 4);	/* p50 p99 p99.9, two paths */
	expect_blocks(dir, "throughput", 5, 5, 4);	/* offered, delivered x2, drops x2 */
	expect_blocks(dir, "host-cpu", 3, 5, 4);	/* two paths, the cores saved */
	expect_blocks(dir, "jitter", 4, 5, 4);		/* RFC 3550 J and p99 - p50 */
	expect_blocks(dir, "latency-cdf", 2, 0, 4);	/* latency, text, nines, 0 */

	/* the budget: per path a bar per point of a label, a column per
	 * stage and the total */
	g_autofree char *bp = in_tmp("sweep", "latency-budget.dat");
	g_autofree char *bt = NULL;
	struct blocks b;
	assert_true(g_file_get_contents(bp, &bt, NULL, NULL));
	const char *of = strstr(bt, "each of: ");
	assert_non_null(of);
	g_autofree char *stages = g_strndup(of + 9, strcspn(of + 9, ","));
	g_auto(GStrv) words = g_strsplit(stages, " ", -1);
	read_blocks(bp, &b);
	assert_int_equal(b.n, 2);
	for (guint i = 0; i < 2; i++) {
		assert_int_equal(b.rows[i], 5);
		assert_int_equal(b.cols[i], (int)g_strv_length(words) + 2);
	}
	/* the CDF's marks: p50, p99 and p99.9 of each path */
	g_autofree char *cp = in_tmp("sweep", "latency-cdf.dat");
	read_blocks(cp, &b);
	assert_int_equal(b.n, 3);
	assert_int_equal(b.rows[2], 6);
	assert_int_equal(b.cols[2], 4);
	assert_true(b.rows[0] > 100);
	/* with seeds, error bars */
	g_autofree char *gp = in_tmp("sweep", "latency-vs-load.gp");
	g_autofree char *gt = NULL;
	assert_true(g_file_get_contents(gp, &gt, NULL, NULL));
	assert_non_null(strstr(gt, "errorbars = 1\n"));
	assert_non_null(strstr(gt, "knee = 100\n"));
	redraw_by_hand(dir, "latency-vs-load");
	redraw_by_hand(dir, "latency-budget");
}

/* ---- a run's plots; no gnuplot ---- */

static void test_run_plots_cdf_and_budget(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "run", NULL);
	g_autofree char *pdir = g_build_filename(tmpdir, "run-plots", NULL);
	g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

	int st = run(ARGS("run", "quickstart", SHORT, "-q", "-o", dir, "--plot", dir), &out, &err);
	if (st != 0)
		fail_msg("exit %d: %s", st, err);
	check_plot(dir, "latency-cdf");
	check_plot(dir, "latency-budget");
	g_autofree char *vs = in_tmp("run", "latency-vs-load.png");
	assert_false(g_file_test(vs, G_FILE_TEST_EXISTS));
	/* plot reads the result back and draws the same data */
	st = run(ARGS("plot", dir, "-o", pdir), &out2, &err2);
	if (st != 0)
		fail_msg("exit %d: %s", st, err2);
	for (int i = 0; i < 2; i++) {
		const char *n = i ? "latency-budget.dat" : "latency-cdf.dat";
		g_autofree char *a = NULL, *b = NULL;
		g_autofree char *pa = in_tmp("run", n), *pb = in_tmp("run-plots", n);

		assert_true(g_file_get_contents(pa, &a, NULL, NULL));
		assert_true(g_file_get_contents(pb, &b, NULL, NULL));
		assert_string_equal(a, b);
	}
}

static void test_missing_gnuplot_names_the_package(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "run", NULL);
	g_autofree char *pdir = g_build_filename(tmpdir, "nognuplot", NULL);
	g_autofree char *out = NULL, *err = NULL;
	g_auto(GStrv) env = g_get_environ();

	env = g_environ_setenv(env, "GNUPLOT", "accelsim-no-such-gnuplot", TRUE);
	int st = run_env(env, ARGS("plot", dir, "-o", pdir), &out, &err);
	assert_int_equal(st, 2);
	assert_non_null(strstr(err, "accelsim: error: cannot run gnuplot: "));
	assert_non_null(strstr(err, "install the Debian package gnuplot-nox"));
}

/* ---- the time series ---- */

/* Row i of block b of a .dat as numbers, into v[0..n-1]. */
static void dat_row(const char *path, guint b, guint i, double *v, guint n)
{
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		fail_msg("no %s", path);
	g_auto(GStrv) blocks = g_strsplit(text, "\n\n\n", -1);
	if (b >= g_strv_length(blocks))
		fail_msg("%s: no block %u", path, b);
	g_auto(GStrv) lines = g_strsplit(blocks[b], "\n", -1);
	guint row = 0;
	for (char **l = lines; *l; l++) {
		if (!**l || **l == '#' || row++ != i)
			continue;
		g_auto(GStrv) w = g_strsplit(*l, " ", -1);

		if (g_strv_length(w) < n)
			fail_msg("%s block %u row %u: '%s', expected %u columns", path, b, i, *l, n);
		for (guint c = 0; c < n; c++)
			v[c] = g_ascii_strtod(w[c], NULL);
		return;
	}
	fail_msg("%s block %u: no row %u", path, b, i);
}

/* A result made by hand, read back as `accelsim plot` reads one. */
static void test_time_series_marks_events(void **state)
{
	g_autofree char *dir = g_build_filename(tmpdir, "series", NULL);
	g_autofree char *pdir = g_build_filename(tmpdir, "series-plots", NULL);
	g_autofree char *ini = g_build_filename(dir, "result.ini", NULL);
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(run_result) r = run_result_new();

	r->scenario = g_strdup("hand");
	r->model = g_strdup("hand");
	r->source = g_strdup("simulation");
	r->duration_s = 1;
	r->interval_s = 0.1;
	r->provenance = provenance_new();
	provenance_add_key(r->provenance, "scenario.warmup", "100ms");
	provenance_add_key(r->provenance, "event removal.at", "500ms");
	provenance_add_key(r->provenance, "event removal.action", "vf_remove");
	for (int p = 0; p < PATH_COUNT; p++) {
		for (int i = 0; i < 10; i++) {
			struct interval_row iv = { .t0_s = i * 0.1, .t1_s = (i + 1) * 0.1,
						   .delivered = 1000, .delivered_bps = 8e6,
						   .latency_p50_s = 10e-6, .latency_p99_s = 40e-6,
						   .host_cpu_cores = p == PATH_ACCEL ? 0 : 0.25 };

			/* from the removal on, the accelerated path takes the vSwitch */
			if (p == PATH_ACCEL && i >= 4) {
				iv.latency_p99_s = 90e-6;
				iv.host_cpu_cores = 0.25;
			}
			g_array_append_val(r->paths[p].series, iv);
		}
		for (int i = 0; i < 1000; i++)
			path_result_record_latency(&r->paths[p], (p ? 10 : 30) * 1e-6);
		r->paths[p].delivered_packets = 1000;
	}
	g_autoptr(GKeyFile) k = run_result_to_keyfile(r);
	assert_int_equal(g_mkdir_with_parents(dir, 0777), 0);
	assert_true(g_key_file_save_to_file(k, ini, NULL));

	int st = run(ARGS("plot", dir, "-o", pdir), &out, &err);
	if (st != 0)
		fail_msg("exit %d: %s", st, err);
	check_plot(pdir, "time-series");
	/* per path, a row per interval: time, pps, p50, p99, host cores */
	expect_blocks(pdir, "time-series", 2, 10, 5);
	g_autofree char *gp = in_tmp("series-plots", "time-series.gp");
	g_autofree char *text = NULL;
	assert_true(g_file_get_contents(gp, &text, NULL, NULL));
	assert_non_null(strstr(text, "evt[1] = 0.5\n"));
	assert_non_null(strstr(text, "evname[1] = 'vf_remove'\n"));
	assert_non_null(strstr(text, "plottitle = 'Over time, per 100ms'\n"));
	assert_non_null(strstr(text, "ylab2 = 'latency (µs, log scale)'\n"));
	assert_non_null(strstr(text, "ylab3 = 'host CPU (cores)'\n"));
	/* times count from the start, as events do: warm-up plus mid-interval;
	 * 1000 packets in 0.1 s are 10,000 a second */
	g_autofree char *dp = in_tmp("series-plots", "time-series.dat");
	g_autofree char *dt = NULL;
	assert_true(g_file_get_contents(dp, &dt, NULL, NULL));
	if (!strstr(dt, "\n0.15 10000 10 40 0.25\n") || !strstr(dt, "\n0.65 10000 10 90 0.25\n") ||
	    !strstr(dt, "\n0.45 10000 10 40 0\n"))
		fail_msg("time-series.dat:\n%s", dt);
	redraw_by_hand(pdir, "time-series");
}

/* run --interval, then plot: the series the engine wrote into result.ini
 * is drawn, and shows the fallback of a vf_remove (the accelerated
 * path's p50 and host CPU rise to the normal path's until vf_add).  No
 * warm-up: series times are then the run's, and the events' intervals
 * known. */
static void test_run_interval_plots_its_series(void **state)
{
	g_autofree char *scen = g_build_filename(tmpdir, "servicing.ini", NULL);
	g_autofree char *dir = g_build_filename(tmpdir, "interval", NULL);
	g_autofree char *pdir = g_build_filename(tmpdir, "interval-plots", NULL);
	g_autofree char *dp = in_tmp("interval-plots", "time-series.dat");
	g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

	assert_true(g_file_set_contents(scen, "[scenario]\nmodel = default\nduration = 100ms\n"
					      "warmup = 0s\nseed = 3\n[traffic]\npattern = poisson\n"
					      "rate = 100kpps\nsize = 64B\nflows = 4\n"
					      "[event removal]\nat = 40ms\naction = vf_remove\n"
					      "[event return]\nat = 70ms\naction = vf_add\n",
					-1, NULL));
	int st = run(ARGS("run", scen, "--interval", "10ms", "-q", "-o", dir), &out, &err);
	if (st != 0)
		fail_msg("run: exit %d: %s", st, err);
	st = run(ARGS("plot", dir, "-o", pdir), &out2, &err2);
	if (st != 0)
		fail_msg("plot: exit %d: %s", st, err2);
	assert_non_null(strstr(out2, "time-series.png  Over time, per 10ms\n"));
	check_plot(pdir, "time-series");
	expect_blocks(pdir, "time-series", 2, 10, 5);
	for (guint i = 0; i < 10; i++) {
		double n[5], a[5];

		dat_row(dp, 0, i, n, 5);
		dat_row(dp, 1, i, a, 5);
		assert_true(fabs(n[0] - (i + 0.5) * 0.01) < 1e-9 && fabs(a[0] - n[0]) < 1e-9);
		/* 100 kpps offered, carried by both paths in every interval */
		if (fabs(n[1] - 1e5) > 1.5e4 || fabs(a[1] - 1e5) > 1.5e4)
			fail_msg("interval %u: delivered %g and %g pps, offered 1e5", i, n[1], a[1]);
		bool removed = i >= 4 && i <= 6;	/* 40 to 70 ms */

		if (i == 7)
			continue;	/* vf_add inside it */
		if (removed ? fabs(a[4] - n[4]) > 0.1 * n[4] || fabs(a[2] - n[2]) > 0.1 * n[2]
			    : a[4] > 0.1 * n[4] || a[2] > 0.6 * n[2])
			fail_msg("interval %u (VF %s): p50 %g and %g us, host cores %g and %g", i,
				 removed ? "removed" : "present", n[2], a[2], n[4], a[4]);
	}
}

/* ---- the report page ---- */

/* chromium, or NULL when it is not installed */
static char *chromium(void)
{
	char *p = g_find_program_in_path("chromium");

	return p ? p : g_find_program_in_path("chromium-browser");
}

/* Load page in headless Chromium (a screenshot of width x height into
 * shot, in dark or light); its console messages, one a line. */
static char *load_in_chromium(const char *page, int width, int height, bool dark,
			      const char *shot)
{
	g_autofree char *bin = chromium();
	g_autofree char *url = g_strconcat("file://", page, NULL);
	g_autofree char *size = g_strdup_printf("--window-size=%d,%d", width, height);
	g_autofree char *shotarg = g_strconcat("--screenshot=", shot, NULL);
	g_autofree char *profile = g_build_filename(tmpdir, "chromium-profile", NULL);
	g_autofree char *profarg = g_strconcat("--user-data-dir=", profile, NULL);
	char *argv[] = { bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			 "--enable-logging=stderr", "--v=0", profarg,
			 dark ? "--blink-settings=preferredColorScheme=0"
			      : "--blink-settings=preferredColorScheme=1",
			 size, shotarg, url, NULL };
	g_autofree char *err = NULL;
	GString *console = g_string_new(NULL);
	int status;

	if (!g_spawn_sync(tmpdir, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
			  &status, NULL))
		fail_msg("cannot run %s", bin);
	g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
	for (char **l = lines; *l; l++)
		if (strstr(*l, ":CONSOLE") || strstr(*l, "net::ERR_"))
			g_string_append_printf(console, "%s\n", *l);
	return g_string_free(console, FALSE);
}

/* The report page of the sweep, tmpdir/report.html; its path (caller
 * frees). */
static char *make_report(void)
{
	g_autofree char *sweep = g_build_filename(tmpdir, "sweep", NULL);
	char *page = g_build_filename(tmpdir, "report.html", NULL);
	g_autofree char *out = NULL, *err = NULL;

	int st = run(ARGS("report", sweep, "-o", page), &out, &err);
	if (st != 0)
		fail_msg("exit %d: %s", st, err);
	return page;
}

static void test_report_fetches_nothing(void **state)
{
	g_autofree char *page = make_report();
	g_autofree char *html = NULL;

	assert_true(g_file_get_contents(page, &html, NULL, NULL));
	assert_non_null(strstr(html, "Content-Security-Policy\" content=\"default-src 'none'"));
	/* nothing to fetch: no script from elsewhere, link, src or remote
	 * url (the walk's inline scripts: test_report_walk) */
	static const char *const banned[] = { "<script src", "<link", " src=", "@import",
					      "url(http" };
	for (size_t i = 0; i < G_N_ELEMENTS(banned); i++)
		if (strstr(html, banned[i]))
			fail_msg("the page holds '%s'", banned[i]);
	/* every plot inline, ids unique across them */
	static const char *const names[] = { "latency-cdf", "latency-vs-load", "throughput",
					     "host-cpu", "jitter", "latency-budget" };
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *fig = g_strdup_printf("<figure id=\"%s\">", names[i]);

		assert_non_null(strstr(html, fig));
	}
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	for (const char *p = html; (p = strstr(p, " id=")); p += 4) {
		const char q = p[4];
		const char *end = strchr(p + 5, q);
		char *id = g_strndup(p + 5, end - p - 5);

		g_ptr_array_add(keep, id);
		if (!g_hash_table_add(ids, id))
			fail_msg("id '%s' twice in the page", id);
	}
	assert_true(g_hash_table_size(ids) > 50);
	/* the savings, the table, the sweep, the provenance */
	assert_non_null(strstr(html, "What accelerated networking saves at 90 % load"));
	assert_non_null(strstr(html, "host cores saved"));
	assert_non_null(strstr(html, "per host a year, at $900 per host core-year"));
	assert_non_null(strstr(html, "The sweep, point by point"));
	assert_non_null(strstr(html, "Means over 2 seeds; ± is the half-width"));
	assert_non_null(strstr(html, "<td>vswitch.cores</td>"));
}

static void test_report_loads_clean_in_chromium(void **state)
{
	g_autofree char *bin = chromium();
	g_autofree char *page = g_build_filename(tmpdir, "report.html", NULL);
	g_autofree char *bad = g_build_filename(tmpdir, "bad.html", NULL);
	g_autofree char *shots = g_build_filename(ABS_TOP_BUILDDIR, "tests", "report-shots", NULL);
	g_autofree char *bad_shot = g_build_filename(tmpdir, "bad.png", NULL);

	if (!bin) {
		print_message("chromium is not installed (Debian package chromium): the page "
			      "is not loaded in a browser\n");
		skip();
	}
	/* the check can fail: an external image under the same policy */
	assert_true(g_file_set_contents(bad, "<!DOCTYPE html><html><head><meta "
					     "http-equiv=\"Content-Security-Policy\" "
					     "content=\"default-src 'none'\"></head><body><img "
					     "src=\"http://198.18.0.1/x.png\"></body></html>",
					-1, NULL));
	g_autofree char *bad_console = load_in_chromium(bad, 400, 300, false, bad_shot);
	if (!strstr(bad_console, "198.18.0.1"))
		fail_msg("an external image went unnoticed: '%s'", bad_console);

	assert_int_equal(g_mkdir_with_parents(shots, 0777), 0);
	static const struct {
		int width, height;
		bool dark;
		const char *name;
	} views[] = {
		{ 1280, 9000, false, "1280-light.png" }, { 1280, 9000, true, "1280-dark.png" },
		{ 390, 16000, false, "390-light.png" },	 { 390, 16000, true, "390-dark.png" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(views); i++) {
		g_autofree char *shot = g_build_filename(shots, views[i].name, NULL);
		g_autofree char *console = load_in_chromium(page, views[i].width, views[i].height,
							    views[i].dark, shot);

		if (*console)
			fail_msg("%s: the browser said:\n%s", views[i].name, console);
		check_png(shot);
		print_message("screenshot: %s\n", shot);
	}
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-plot-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

/* The browser's test alone needs the sweep and its page first. */
static int setup_slow(void **state)
{
	if (setup(state))
		return -1;
	g_autofree char *out = make_sweep();
	g_autofree char *page = make_report();

	return 0;
}

/* make check runs the tests but the browser's; `test_plot --slow` (make
 * check-slow) runs that one: five loads of headless Chromium take a
 * minute here. */
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_plots_every_file_and_column),
		cmocka_unit_test(test_run_plots_cdf_and_budget),
		cmocka_unit_test(test_missing_gnuplot_names_the_package),
		cmocka_unit_test(test_time_series_marks_events),
		cmocka_unit_test(test_run_interval_plots_its_series),
		cmocka_unit_test(test_report_fetches_nothing),
	};
	const struct CMUnitTest slow[] = {
		cmocka_unit_test(test_report_loads_clean_in_chromium),
	};

	if (argc > 1 && !strcmp(argv[1], "--slow"))
		return cmocka_run_group_tests_name("slow", slow, setup_slow, teardown);
	return cmocka_run_group_tests(tests, setup, teardown);
}
