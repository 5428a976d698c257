/* test_report_walk.c: the report page's packet walk, and its other
 * additions: the sweep's sentence, and scripts allowed by hash.
 *
 * The report follows packets again from what the results record: the
 * walk's packets must be the ones `accelsim trace` follows in the same
 * configuration (their latencies as printed), at the points the page
 * names (the lowest load, and the first point past the knee).  Where the record cannot be
 * run again (the scenario or the model changed or gone, a key that now
 * differs) the page says so and the report still succeeds.  The page's
 * Content-Security-Policy must list exactly the hashes of the scripts it
 * holds, computed here independently.  In Chromium (`test_report_walk
 * --slow`, in make check-slow: the browser takes half a minute): no
 * console message, two moments of the walk that differ, the script run
 * (it marks its section), and a page whose hash is wrong refused with a
 * CSP error, so that the check can fail; screenshots at 1280 and 800
 * pixels are left in tests/report-shots/ to be looked at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/result.h"
#include "testutil.h"

static char *tmpdir;

#define SHORT "--set", "scenario.duration=100ms", "--set", "scenario.warmup=10ms"

/* Run accelsim with args in tmpdir, standard input from stdin_path (or
 * none); its exit status, what it printed. */
static int run_in(const char *const *args, const char *stdin_path, char **out, char **err)
{
	g_autofree char *bin = tu_bin();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GError) e = NULL;

	g_ptr_array_add(argv, bin);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	g_subprocess_launcher_set_cwd(l, tmpdir);
	if (stdin_path)
		g_subprocess_launcher_set_stdin_file_path(l, stdin_path);
	g_autoptr(GSubprocess) p =
		g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &e);
	if (!p || !g_subprocess_communicate_utf8(p, NULL, NULL, out, err, &e))
		fail_msg("cannot run %s: %s", bin, e->message);
	assert_true(g_subprocess_get_if_exited(p));
	return g_subprocess_get_exit_status(p);
}

static int run(const char *const *args, char **out, char **err)
{
	return run_in(args, NULL, out, err);
}

static char *in_tmp(const char *name)
{
	return g_build_filename(tmpdir, name, NULL);
}

static char *read_text(const char *path)
{
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		fail_msg("cannot read %s", path);
	return text;
}

/* accelsim report RESULTS -o NAME (in tmpdir) with more options; the
 * page's text. */
static char *report(const char *results, const char *name, const char *const *more)
{
	g_autofree char *page = in_tmp(name);
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_autofree char *out = NULL, *err = NULL;

	g_ptr_array_add(args, "report");
	g_ptr_array_add(args, (char *)results);
	g_ptr_array_add(args, "-o");
	g_ptr_array_add(args, page);
	for (const char *const *m = more; m && *m; m++)
		g_ptr_array_add(args, (char *)*m);
	g_ptr_array_add(args, NULL);
	int st = run((const char *const *)args->pdata, &out, &err);
	if (st != 0)
		fail_msg("report %s: exit %d: %s", results, st, err);
	return read_text(page);
}

/* The sweep the tests share: quickstart at 50, 300 and 650 kpps (rates,
 * not percentages: no search for the knee first); the normal path
 * carries about 550 kpps, so the last point is past its knee. */
static void make_sweep(void)
{
	g_autofree char *out = NULL, *err = NULL;
	g_autofree char *dir = in_tmp("sweep");

	if (g_file_test(dir, G_FILE_TEST_IS_DIR))
		return;
	if (run(ARGS("sweep", "quickstart", "--load", "50kpps,300kpps,650kpps", SHORT, "-q", "-o",
		     "sweep"), &out, &err) != 0)
		fail_msg("sweep: %s", err);
}

/* ---- the page's scripts and its policy ---- */

/* The script-src sources of the page's policy, in order (caller frees). */
static GPtrArray *policy_sources(const char *html)
{
	GPtrArray *srcs = g_ptr_array_new_with_free_func(g_free);
	const char *csp = strstr(html, "http-equiv=\"Content-Security-Policy\" content=\"");

	assert_non_null(csp);
	csp += strlen("http-equiv=\"Content-Security-Policy\" content=\"");
	g_autofree char *policy = g_strndup(csp, strcspn(csp, "\""));
	g_auto(GStrv) parts = g_strsplit(policy, ";", -1);
	for (char **p = parts; *p; p++) {
		g_auto(GStrv) words = g_strsplit(g_strstrip(*p), " ", -1);

		if (!words[0] || strcmp(words[0], "script-src"))
			continue;
		for (char **w = words + 1; *w; w++)
			if (**w)
				g_ptr_array_add(srcs, g_strdup(*w));
	}
	return srcs;
}

/* 'sha256-BASE64' of each executable inline script (a <script> element
 * with no type), as a browser hashes its text. */
static GPtrArray *script_hashes(const char *html)
{
	GPtrArray *h = g_ptr_array_new_with_free_func(g_free);

	for (const char *p = html; (p = strstr(p, "<script"));) {
		const char *gt = strchr(p, '>');
		const char *end = strstr(gt, "</script>");
		g_autofree char *attrs = g_strndup(p + 7, gt - p - 7);

		assert_non_null(end);
		p = end;
		if (strstr(attrs, "type=\"application/json\""))
			continue;	/* a data block: not run, not hashed */
		if (strstr(attrs, "src"))
			fail_msg("a script from elsewhere: <script%s>", attrs);
		g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA256);
		guint8 d[32];
		gsize n = sizeof(d);

		g_checksum_update(c, (const guchar *)gt + 1, end - gt - 1);
		g_checksum_get_digest(c, d, &n);
		g_autofree char *b64 = g_base64_encode(d, n);
		g_ptr_array_add(h, g_strdup_printf("'sha256-%s'", b64));
	}
	return h;
}

static void test_policy_allows_exactly_the_page_s_scripts(void **state)
{
	make_sweep();
	g_autofree char *html = report("sweep", "hash.html", NULL);
	g_autoptr(GPtrArray) srcs = policy_sources(html);
	g_autoptr(GPtrArray) hashes = script_hashes(html);

	assert_non_null(strstr(html, "content=\"default-src 'none'; style-src 'unsafe-inline'; "
				     "img-src data:; script-src 'sha256-"));
	if (hashes->len != 2)
		fail_msg("%u scripts in the page, expected the two walks'", hashes->len);
	if (srcs->len != hashes->len)
		fail_msg("%u sources in script-src, %u scripts", srcs->len, hashes->len);
	for (guint i = 0; i < hashes->len; i++)
		if (strcmp(srcs->pdata[i], hashes->pdata[i]))
			fail_msg("script %u hashes to %s, the policy allows %s", i + 1,
				 (char *)hashes->pdata[i], (char *)srcs->pdata[i]);
	/* ids stay unique with two walks on the page */
	g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (const char *p = html; (p = strstr(p, " id=\"")); p += 5) {
		char *id = g_strndup(p + 5, strcspn(p + 5, "\""));

		if (!g_hash_table_add(ids, id))
			fail_msg("id '%s' twice in the page", id);
	}

	/* no walk: no script, and none allowed */
	g_autofree char *none = report("sweep", "none.html", ARGS("--trace-packets", "0"));
	g_autoptr(GPtrArray) nsrcs = policy_sources(none);
	assert_int_equal(nsrcs->len, 0);
	assert_null(strstr(none, "<script"));
	assert_null(strstr(none, "Packets, followed through both paths"));
	assert_non_null(strstr(none, "Where these results came from"));
}

/* ---- the walks: where, and which packets ---- */

/* The latencies of a walk's summary table (prefix's), "26.40" each, or
 * "dropped": normal, accelerated, normal, ... */
static GPtrArray *walk_latencies(const char *html, const char *prefix)
{
	g_autofree char *open = g_strdup_printf("<table class=\"%s-summary\">", prefix);
	const char *t = strstr(html, open);
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);

	if (!t)
		fail_msg("no walk %s in the page", prefix);
	const char *end = strstr(t, "</table>");
	g_autofree char *table = g_strndup(t, end - t);
	g_autoptr(GRegex) re = g_regex_new("<td>([0-9.]+) &micro;s</td>|<td>(dropped)</td>", 0, 0,
					   NULL);
	g_autoptr(GMatchInfo) mi = NULL;

	for (g_regex_match(re, table, 0, &mi); g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
		char *x = g_match_info_fetch(mi, 1);

		if (!*x) {
			g_free(x);
			x = g_match_info_fetch(mi, 2);
		}
		g_ptr_array_add(v, x);
	}
	return v;
}

/* The same from `accelsim trace`'s side-by-side lines. */
static GPtrArray *trace_latencies(const char *out)
{
	const char *side = strstr(out, "side by side:");
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);

	assert_non_null(side);
	g_auto(GStrv) lines = g_strsplit(side, "\n", -1);
	for (char **l = lines + 2; *l && **l; l++) {
		g_auto(GStrv) w = g_strsplit_set(g_strstrip(*l), " ", -1);
		g_autoptr(GPtrArray) words = g_ptr_array_new();

		for (char **x = w; *x; x++)
			if (**x)
				g_ptr_array_add(words, *x);
		/* packet born "ms" size "B" normal cycles accelerated cycles */
		if (words->len < 9)
			fail_msg("a side-by-side line of another form: %s", *l);
		g_ptr_array_add(v, g_strdup(words->pdata[5]));
		g_ptr_array_add(v, g_strdup(words->pdata[7]));
	}
	return v;
}

/* The provenance of a point's run (caller frees). */
static struct run_result *point_run(const char *point)
{
	g_autofree char *ini = g_build_filename(tmpdir, "sweep", point, "seed-1", "result.ini", NULL);
	g_autoptr(GKeyFile) k = g_key_file_new();
	g_autoptr(GError) e = NULL;
	struct run_result *r = run_result_new();

	if (!g_key_file_load_from_file(k, ini, G_KEY_FILE_NONE, &e) ||
	    !run_result_from_keyfile(k, r, &e))
		fail_msg("%s: %s", ini, e->message);
	return r;
}

static void test_walks_at_the_lowest_load_and_the_knee_are_the_run_s_packets(void **state)
{
	static const struct {
		const char *prefix, *point, *heading;
	} walks[] = {
		{ "walk1", "point-01", "At the lowest load: 50.000k packets/s, seed 1" },
		{ "walk2", "point-03", "Past the knee, where queues fill: 650.000k packets/s, seed 1" },
	};

	make_sweep();
	g_autofree char *html = report("sweep", "walks.html", ARGS("--trace-packets", "4"));

	assert_non_null(strstr(html, "<h2>Packets, followed through both paths</h2>"));
	if (strstr(html, "Not followed"))
		fail_msg("a walk was not followed:\n%s", strstr(html, "Not followed"));
	for (size_t i = 0; i < G_N_ELEMENTS(walks); i++) {
		g_autofree char *h3 = g_strdup_printf("<h3>%s</h3>", walks[i].heading);
		g_autofree char *dir = g_strdup_printf("%s", walks[i].point);
		g_autoptr(run_result) r = point_run(dir);
		g_autoptr(GPtrArray) args = g_ptr_array_new();
		g_autofree char *out = NULL, *err = NULL;

		if (!strstr(html, h3))
			fail_msg("no walk headed '%s'", walks[i].heading);
		/* accelsim trace, as the point ran: its --set list and seed */
		g_ptr_array_add(args, "trace");
		g_ptr_array_add(args, "quickstart");
		for (guint k = 0; k < r->provenance->sets->len; k++) {
			g_ptr_array_add(args, "--set");
			g_ptr_array_add(args, r->provenance->sets->pdata[k]);
		}
		g_ptr_array_add(args, "--seed");
		g_ptr_array_add(args, "1");
		g_ptr_array_add(args, "--packets");
		g_ptr_array_add(args, "4");
		/* born halfway through the measured time: SHORT's 10 to 100 ms */
		g_ptr_array_add(args, "--at");
		g_ptr_array_add(args, "55ms");
		g_ptr_array_add(args, NULL);
		if (run((const char *const *)args->pdata, &out, &err) != 0)
			fail_msg("trace: %s", err);
		g_autoptr(GPtrArray) page = walk_latencies(html, walks[i].prefix);
		g_autoptr(GPtrArray) term = trace_latencies(out);

		if (page->len != 8 || term->len != 8)
			fail_msg("%s: %u latencies on the page, %u from trace", walks[i].prefix,
				 page->len, term->len);
		for (guint k = 0; k < page->len; k++)
			if (strcmp(page->pdata[k], term->pdata[k]))
				fail_msg("%s: packet %u's %s latency is %s us on the page, %s us in "
					 "trace", walks[i].prefix, k / 2 + 1,
					 k % 2 ? "accelerated" : "normal", (char *)page->pdata[k],
					 (char *)term->pdata[k]);
	}
	assert_null(strstr(html, "walk3"));
}

/* Rewrite group.key of dir/result.ini. */
static void set_in_result(const char *dir, const char *group, const char *key, const char *value)
{
	g_autofree char *ini = g_build_filename(tmpdir, dir, "result.ini", NULL);
	g_autoptr(GKeyFile) k = g_key_file_new();

	assert_true(g_key_file_load_from_file(k, ini, G_KEY_FILE_KEEP_COMMENTS, NULL));
	assert_true(g_key_file_has_key(k, group, key, NULL));
	g_key_file_set_string(k, group, key, value);
	assert_true(g_key_file_save_to_file(k, ini, NULL));
}

/* A run whose scenario was read from standard input ("-") is followed
 * from the effective configuration it recorded, as a scenario's text: a
 * result that says so, and whose key changes the packets, shows it. */
static void test_a_scenario_from_standard_input_is_walked_from_its_record(void **state)
{
	g_autofree char *out = NULL, *err = NULL;

	if (run(ARGS("run", "quickstart", SHORT, "-q", "-o", "text-run"), &out, &err) != 0)
		fail_msg("run: %s", err);
	g_autofree char *file = report("text-run", "file.html", ARGS("--trace-packets", "2"));
	set_in_result("text-run", "provenance", "scenario_path", "-");
	g_autofree char *text = report("text-run", "text.html", ARGS("--trace-packets", "2"));

	if (strstr(text, "Not followed"))
		fail_msg("not followed:\n%s", strstr(text, "Not followed"));
	assert_non_null(strstr(text, "<h3>text-run, seed 1</h3>"));
	/* one walk: no knee in results that are not a sweep */
	assert_null(strstr(text, "walk2"));
	g_autoptr(GPtrArray) a = walk_latencies(file, "walk1");
	g_autoptr(GPtrArray) b = walk_latencies(text, "walk1");
	assert_int_equal(a->len, 4);
	assert_int_equal(b->len, 4);
	for (guint i = 0; i < a->len; i++)
		if (strcmp(a->pdata[i], b->pdata[i]))
			fail_msg("latency %u: %s us from the file, %s us from the record", i,
				 (char *)a->pdata[i], (char *)b->pdata[i]);

	/* the record is what runs: a recorded key changed changes the walk
	 * (a host clock a quarter as fast: every CPU stage slower) */
	set_in_result("text-run", "effective", "host.freq", "600MHz");
	g_autofree char *slow = report("text-run", "slow.html", ARGS("--trace-packets", "2"));
	g_autoptr(GPtrArray) c = walk_latencies(slow, "walk1");
	assert_int_equal(c->len, 4);
	for (guint i = 0; i < c->len; i++)
		if (!(g_ascii_strtod(c->pdata[i], NULL) > g_ascii_strtod(a->pdata[i], NULL)))
			fail_msg("latency %u: %s us at 600 MHz, %s us at the model's clock", i,
				 (char *)c->pdata[i], (char *)a->pdata[i]);
}

static void test_a_record_that_cannot_be_run_again_is_said_in_words(void **state)
{
	g_autofree char *src = g_build_filename(ABS_TOP_SRCDIR, "scenarios", "quickstart.ini", NULL);
	g_autofree char *msrc = g_build_filename(ABS_TOP_SRCDIR, "models", "default.ini", NULL);
	g_autofree char *text = read_text(src), *mtext = read_text(msrc);
	g_autofree char *mine = in_tmp("mine.ini"), *model = in_tmp("mymodel.ini");
	g_autofree char *out = NULL, *err = NULL;

	g_autofree char *data = g_build_filename(ABS_TOP_SRCDIR, "models", "data", NULL);
	g_autofree char *link = in_tmp("data");

	assert_true(g_file_set_contents(mine, text, -1, NULL));
	/* the model's empirical tables are beside it, in data/ */
	assert_true(g_file_set_contents(model, mtext, -1, NULL));
	assert_int_equal(symlink(data, link), 0);
	const char *const dirs[] = { "changed", "gone", "model", "key" };
	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_free(out);
		g_free(err);
		/* the model by its absolute path: a relative one records its
		 * tables as "empirical((null))" (config/effective.c) */
		if (run(ARGS("run", "mine.ini", "--model", model, SHORT, "-q", "-o", dirs[i]),
			&out, &err) != 0)
			fail_msg("run: %s", err);
	}
	/* each record is walked as it stands... */
	g_autofree char *ok = report("key", "ok.html", ARGS("--trace-packets", "1"));
	if (strstr(ok, "Not followed"))
		fail_msg("not followed:\n%s", strstr(ok, "Not followed"));

	/* ...and not once it differs from what is there now */
	set_in_result("key", "effective", "vswitch.cores", "5");
	g_autofree char *k = report("key", "key.html", ARGS("--trace-packets", "1"));
	g_autofree char *mfile = g_canonicalize_filename(model, NULL);
	g_autofree char *sfile = g_canonicalize_filename(mine, NULL);
	g_autofree char *changed_text = g_strconcat(mtext, "\n# changed\n", NULL);
	assert_true(g_file_set_contents(model, changed_text, -1, NULL));
	g_autofree char *m = report("model", "model.html", ARGS("--trace-packets", "1"));
	g_autofree char *changed = g_strconcat(text, "\n# changed\n", NULL);
	assert_true(g_file_set_contents(mine, changed, -1, NULL));
	g_autofree char *c = report("changed", "changed.html", ARGS("--trace-packets", "1"));
	assert_int_equal(g_unlink(mine), 0);
	g_autofree char *g = report("gone", "gone.html", ARGS("--trace-packets", "1"));

	const struct {
		const char *page, *what;
		char *want;
	} cases[] = {
		{ k, "a key", g_strdup("Not followed: its configuration is not the one recorded: "
				       "vswitch.cores is now &apos;8&apos;, was &apos;5&apos;.") },
		{ m, "the model", g_strdup_printf("Not followed: the model file %s has changed since "
						  "(its SHA-256 differs from the one recorded).",
						  mfile) },
		{ c, "the scenario", g_strdup_printf("Not followed: the scenario file %s has changed "
						     "since (its SHA-256 differs from the one "
						     "recorded).", sfile) },
		{ g, "no scenario", g_strdup_printf("Not followed: the scenario file %s is gone.",
						    sfile) },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (!strstr(cases[i].page, cases[i].want))
			fail_msg("%s: no '%s' in the page", cases[i].what, cases[i].want);
		/* the rest of the page stands */
		if (!strstr(cases[i].page, "Side by side") || strstr(cases[i].page, "<script>"))
			fail_msg("%s: the page is not whole, or holds a script", cases[i].what);
		g_free(cases[i].want);
	}
}

static void test_trace_packets_out_of_range_is_bad_usage(void **state)
{
	static const struct {
		const char *n, *want;
	} rows[] = {
		{ "-1", "--trace-packets: expected a number from 0 to 1000, got -1" },
		{ "1001", "--trace-packets: expected a number from 0 to 1000, got 1001" },
		{ "many", "--trace-packets" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *out = NULL, *err = NULL;
		int st = run(ARGS("report", "nowhere", "-o", "x.html", "--trace-packets", rows[i].n),
			     &out, &err);

		if (st != 2 || !strstr(err, rows[i].want))
			fail_msg("--trace-packets %s: exit %d, '%s'", rows[i].n, st, err);
	}
}

/* ---- the sweep's sentence, and a host of several VMs ---- */

static void test_a_noisy_neighbour_sweep_s_page_says_the_sweep_s_sentence(void **state)
{
	g_autofree char *out = NULL, *err = NULL;

	if (run(ARGS("sweep", "noisy-neighbour", "--vary", "traffic noisy.rate=1Mpps,4.5Mpps",
		     "--set", "scenario.duration=100ms", "-o", "nn"), &out, &err) != 0)
		fail_msg("sweep: %s", err);
	const char *said = strstr(out, "VM quiet: as traffic noisy.rate goes from");
	assert_non_null(said);
	g_autofree char *sentence = g_strndup(said, strcspn(said, "\n"));
	g_autofree char *html = report("nn", "nn.html", ARGS("--trace-packets", "2"));
	/* escaped as the page escapes text: & < > " */
	g_autoptr(GString) esc = g_string_new(sentence);
	g_string_replace(esc, "&", "&amp;", 0);
	g_string_replace(esc, "<", "&lt;", 0);
	g_string_replace(esc, ">", "&gt;", 0);
	g_string_replace(esc, "\"", "&quot;", 0);
	g_autofree char *p = g_strdup_printf("<p class=\"trend\">%s</p>", esc->str);

	if (!strstr(html, p))
		fail_msg("the page lacks the sweep's sentence '%s'", sentence);
	/* the walk follows the VM the page's figures are of, and says so */
	assert_non_null(strstr(html, "The packets of VM quiet (accelerated networking: compare), "
				     "one of the host's 3 VMs."));
}

/* ---- in Chromium ---- */

static char *chromium(void)
{
	char *p = g_find_program_in_path("chromium");

	return p ? p : g_find_program_in_path("chromium-browser");
}

static bool renderers_required(void)
{
	const char *r = g_getenv("ACCELSIM_REQUIRE_RENDERERS");

	return r && *r && strcmp(r, "0");
}

/* In the child, before exec: a session of its own, so that a browser
 * ending its process group does not end make's other tests. */
static void own_session(gpointer data)
{
	setsid();
}

/* Load url in headless Chromium: a screenshot of width x height into shot,
 * or (shot NULL) the DOM after load into *dom; its console and network
 * errors, one a line. */
static char *browse(const char *url, int width, int height, const char *shot, char **dom)
{
	g_autofree char *bin = chromium();
	g_autofree char *size = g_strdup_printf("--window-size=%d,%d", width, height);
	g_autofree char *shotarg = shot ? g_strconcat("--screenshot=", shot, NULL) : NULL;
	g_autofree char *profile = in_tmp("chromium-profile");
	g_autofree char *profarg = g_strconcat("--user-data-dir=", profile, NULL);
	char *argv[] = { bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			 "--enable-logging=stderr", "--v=0", "--no-first-run", profarg,
			 "--blink-settings=preferredColorScheme=1", size,
			 shot ? shotarg : "--dump-dom", (char *)url, NULL };
	g_autofree char *out = NULL, *err = NULL;
	GString *console = g_string_new(NULL);
	int status;

	if (!g_spawn_sync(tmpdir, argv, NULL, G_SPAWN_DEFAULT, own_session, NULL, &out, &err,
			  &status, NULL))
		fail_msg("cannot run %s", bin);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("chromium: status %d: %s", status, err);
	g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
	for (char **l = lines; *l; l++)
		if (strstr(*l, ":CONSOLE") || strstr(*l, "net::ERR_"))
			g_string_append_printf(console, "%s\n", *l);
	if (dom)
		*dom = g_steal_pointer(&out);
	return g_string_free(console, FALSE);
}

static void test_walk_runs_in_chromium_under_its_policy(void **state)
{
	g_autofree char *bin = chromium();

	if (!bin) {
		if (renderers_required())
			fail_msg("chromium missing, and ACCELSIM_REQUIRE_RENDERERS is set");
		print_message("skipped: chromium not installed (Debian package chromium)\n");
		skip();
	}
	make_sweep();
	g_autofree char *html = report("sweep", "browse.html", NULL);
	g_autofree char *page = in_tmp("browse.html");
	g_autofree char *url = g_strconcat("file://", page, NULL);

	/* the scripts run: each walk marks its section when it has drawn */
	g_autofree char *dom = NULL;
	g_autofree char *console = browse(url, 1280, 1000, NULL, &dom);
	if (*console)
		fail_msg("the browser said:\n%s", console);
	for (int w = 1; w <= 2; w++) {
		g_autofree char *mark = g_strdup_printf("id=\"walk%d\" class=\"accelsim-walk\" "
							"data-ready=\"yes\"", w);

		if (!strstr(dom, mark))
			fail_msg("walk %d's script did not run", w);
	}

	/* the check can fail: one hash wrong, and the browser refuses that
	 * script and says so */
	g_autoptr(GPtrArray) srcs = policy_sources(html);
	assert_true(srcs->len == 2);
	g_autoptr(GString) bad = g_string_new(html);
	g_string_replace(bad, srcs->pdata[0], "'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='",
			 1);
	g_autofree char *badpage = in_tmp("bad-hash.html");
	g_autofree char *badurl = g_strconcat("file://", badpage, NULL);
	assert_true(g_file_set_contents(badpage, bad->str, (gssize)bad->len, NULL));
	g_autofree char *baddom = NULL;
	g_autofree char *refused = browse(badurl, 1280, 1000, NULL, &baddom);
	if (!strstr(refused, "Content Security Policy"))
		fail_msg("a script whose hash is not allowed went unnoticed: '%s'", refused);
	if (strstr(baddom, "id=\"walk1\" class=\"accelsim-walk\" data-ready"))
		fail_msg("a script whose hash is not allowed ran");

	/* two moments of the walk look different, at both widths; the
	 * screenshots stay to be looked at */
	g_autofree char *shots = g_build_filename(ABS_TOP_BUILDDIR, "tests", "report-shots", NULL);
	assert_int_equal(g_mkdir_with_parents(shots, 0777), 0);
	/* the whole page: the walks are at its end */
	static const struct {
		int width, height;
		const char *at;
	} views[] = { { 1280, 12000, "0" }, { 1280, 12000, "0.5" }, { 800, 15000, "0.5" } };
	char *png[G_N_ELEMENTS(views)] = { NULL };
	gsize len[G_N_ELEMENTS(views)] = { 0 };
	for (size_t i = 0; i < G_N_ELEMENTS(views); i++) {
		g_autofree char *name = g_strdup_printf("walk-%d-t%s.png", views[i].width, views[i].at);
		g_autofree char *shot = g_build_filename(shots, name, NULL);
		g_autofree char *at = g_strdup_printf("%s#t=%s", url, views[i].at);
		g_autofree char *said = browse(at, views[i].width, views[i].height, shot, NULL);

		if (*said)
			fail_msg("%s: the browser said:\n%s", name, said);
		if (!g_file_get_contents(shot, &png[i], &len[i], NULL) || len[i] < 10000)
			fail_msg("no screenshot %s", shot);
		print_message("screenshot: %s\n", shot);
	}
	const bool same = len[0] == len[1] && !memcmp(png[0], png[1], len[0]);
	for (size_t i = 0; i < G_N_ELEMENTS(views); i++)
		g_free(png[i]);
	if (same)
		fail_msg("the page at t=0 and halfway through the walks looks the same");
}

/* ---- set-up ---- */

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-walk-test-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

/* make check runs the tests but the browser's; `test_report_walk --slow`
 * (make check-slow) runs that one. */
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_allows_exactly_the_page_s_scripts),
		cmocka_unit_test(test_walks_at_the_lowest_load_and_the_knee_are_the_run_s_packets),
		cmocka_unit_test(test_a_scenario_from_standard_input_is_walked_from_its_record),
		cmocka_unit_test(test_a_record_that_cannot_be_run_again_is_said_in_words),
		cmocka_unit_test(test_trace_packets_out_of_range_is_bad_usage),
		cmocka_unit_test(test_a_noisy_neighbour_sweep_s_page_says_the_sweep_s_sentence),
	};
	const struct CMUnitTest slow[] = {
		cmocka_unit_test(test_walk_runs_in_chromium_under_its_policy),
	};

	if (argc > 1 && !strcmp(argv[1], "--slow"))
		return cmocka_run_group_tests_name("slow", slow, setup, teardown);
	return cmocka_run_group_tests(tests, setup, teardown);
}
