/* test_workshop.c: docs/workshop.md runs, and says what the model gives.
 *
 * Every ```sh block of the page is preceded by <!-- check: NAME -->; this
 * test runs the blocks in order (with the built accelsim first in PATH,
 * /tmp/accelsim-demo made a scratch folder), each must exit 0, and the
 * check called NAME asserts what the page says its output shows: the
 * relations it states (the accelerated p99 is lower, the normal path
 * drops first, a part adds up), computed from the output at test time,
 * never a figure pinned here.  A block without a check, or a check no
 * block uses, fails the test: a new command on the page needs its
 * answer checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static char *scratch;

/* The output of every block run so far, by check name. */
static GHashTable *outputs;

/* ---- reading outputs ---- */

/* A figure as the tables print it: "12.5k" is 12500, "-" is NAN. */
static double figure(const char *s)
{
	char *end;
	double v = g_ascii_strtod(s, &end);

	if (end == s)
		return NAN;
	switch (*end) {
	case 'k':
		return v * 1e3;
	case 'M':
		return v * 1e6;
	case 'G':
		return v * 1e9;
	case 'x':
	case '\0':
		return v;
	}
	return NAN;
}

/* The line of text that starts with prefix (after leading blanks), or
 * a failed test. */
static char *line_of(const char *text, const char *prefix, const char *what)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		if (g_str_has_prefix(g_strchug(*l), prefix))
			return g_strdup(*l);
	fail_msg("%s: no line starting '%s' in\n%s", what, prefix, text);
	return NULL;
}

/* The normal and accelerated figures of a row of run --brief: label,
 * unit, then the two values (report/brief.c's columns). */
static void brief_row(const char *text, const char *label, double v[2])
{
	g_autofree char *l = line_of(text, label, "run --brief");
	g_autofree char *rest = g_strstrip(g_strdup(l + strlen(label)));
	g_auto(GStrv) tok = g_strsplit_set(rest, " ", -1);
	g_autoptr(GPtrArray) t = g_ptr_array_new();

	for (char **x = tok; *x; x++)
		if (**x)
			g_ptr_array_add(t, *x);
	if (t->len < 3)
		fail_msg("brief row '%s': %s", label, l);
	v[0] = figure(t->pdata[1]);
	v[1] = figure(t->pdata[2]);
}

/* A trace's side-by-side summary: per packet, the latency (NAN when
 * dropped) and host cycles of each path. */
struct summary_row {
	double lat[2], cycles[2];
};

static GArray *trace_summary(const char *text)
{
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct summary_row));
	const char *s = strstr(text, "side by side:");
	g_auto(GStrv) lines = NULL;

	if (!s)
		fail_msg("no summary in the trace:\n%s", text);
	lines = g_strsplit(s, "\n", -1);
	for (char **l = lines + 2; *l && **l; l++) {
		g_auto(GStrv) tok = g_strsplit_set(g_strstrip(*l), " ", -1);
		g_autoptr(GPtrArray) t = g_ptr_array_new();
		struct summary_row r;

		for (char **x = tok; *x; x++)
			if (**x)
				g_ptr_array_add(t, *x);
		if (t->len < 9)
			fail_msg("summary row: %s", *l);
		/* packet, born (2), size (2), normal, cycles, accelerated, cycles */
		for (int p = 0; p < 2; p++) {
			r.lat[p] = figure(t->pdata[5 + 2 * p]);
			r.cycles[p] = figure(t->pdata[6 + 2 * p]);
		}
		g_array_append_val(rows, r);
	}
	return rows;
}

/* A budget row of the run table (report/table.c: the name in 17 columns,
 * then five cells of 8 per path; blank cells are 0): {wait, wake,
 * service, delay, total} for each path. */
static bool budget_row(const char *text, const char *name, double v[2][5])
{
	const char *s = strstr(text, "where the latency goes");
	g_auto(GStrv) lines = NULL;

	if (!s)
		fail_msg("no latency budget in\n%s", text);
	lines = g_strsplit(s, "\n", -1);
	for (char **l = lines; *l && **l; l++) {
		g_autofree char *n = g_strndup(*l + 2, 17);

		if (strlen(*l) < 19 || strcmp(g_strstrip(n), name))
			continue;
		for (int c = 0; c < 10; c++) {
			size_t at = 19 + (size_t)c * 8;
			g_autofree char *cell = strlen(*l) > at ? g_strndup(*l + at, 8) : g_strdup("");
			double x = figure(g_strstrip(cell));

			v[c / 5][c % 5] = isnan(x) ? 0 : x;
		}
		return true;
	}
	return false;
}

static const char *output_of(const char *name)
{
	const char *o = g_hash_table_lookup(outputs, name);

	if (!o)
		fail_msg("the check needs the output of block '%s', which has not run", name);
	return o;
}

#define CHECK(cond_, ...)                                                                     \
	do {                                                                                  \
		if (!(cond_))                                                                 \
			fail_msg(__VA_ARGS__);                                                \
	} while (0)

/* ---- the checks, one per block ---- */

static void check_setup(const char *out, const char *demo)
{
	CHECK(g_file_test(demo, G_FILE_TEST_IS_DIR), "%s not made", demo);
}

/* part 1: both paths drawn, the ideas said */
static void check_explain(const char *out, const char *demo)
{
	static const char *const say[] = {
		"normal path", "accelerated path", "+----------+", "host cores", "GFT",
		"deallocated", "ethtool -S eth0 | grep vf_", "accelsim real check", "host cycles",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(say); i++)
		CHECK(strstr(out, say[i]), "explain: no '%s'", say[i]);
}

/* part 2: the accelerated path several times faster at the median and
 * more in the tail; the normal path a fraction of a host core, the
 * accelerated none */
static void check_first_run(const char *out, const char *demo)
{
	double p50[2], p99[2], cores[2];

	brief_row(out, "latency p50", p50);
	brief_row(out, "latency p99 ", p99);
	brief_row(out, "host CPU", cores);
	CHECK(p50[0] / p50[1] >= 2, "p50 %g against %g: not several times", p50[0], p50[1]);
	CHECK(p99[0] / p99[1] > p50[0] / p50[1], "the tail gains less than the median");
	CHECK(cores[0] > 0 && cores[0] < 1 && cores[1] == 0, "host cores %g and %g", cores[0],
	      cores[1]);
}

/* part 3: the parts add up (test_teach checks that); the normal path's
 * two long wake-ups, vswitch and guest; the accelerated packet first */
static void check_trace_one(const char *out, const char *demo)
{
	g_autoptr(GArray) s = trace_summary(out);
	const char *normal = strstr(out, "  normal ");
	const char *accel = normal ? strstr(normal, "  accelerated ") : NULL;

	CHECK(s->len == 1, "%u packets", s->len);
	const struct summary_row *r = &g_array_index(s, struct summary_row, 0);
	CHECK(r->lat[1] < r->lat[0], "accelerated %g, normal %g", r->lat[1], r->lat[0]);
	CHECK(normal && accel, "no path tables");
	g_autofree char *ntab = g_strndup(normal, (gsize)(accel - normal));
	const char *stages[] = { "vswitch", "guest" };
	for (size_t i = 0; i < G_N_ELEMENTS(stages); i++) {
		g_autofree char *row = line_of(ntab, stages[i], "trace");
		g_auto(GStrv) tok = g_strsplit_set(row, " ", -1);
		g_autoptr(GPtrArray) t = g_ptr_array_new();

		for (char **x = tok; *x; x++)
			if (**x)
				g_ptr_array_add(t, *x);
		/* stage, at, queue, wake ... */
		CHECK(t->len > 3 && figure(t->pdata[3]) > 0, "no wake-up at %s: %s", stages[i], row);
	}
}

static void check_trace_html(const char *out, const char *demo)
{
	g_autofree char *page = g_build_filename(demo, "walk.html", NULL);
	g_autofree char *html = NULL;

	CHECK(g_file_get_contents(page, &html, NULL, NULL), "no %s", page);
	CHECK(strstr(html, "<svg") && strstr(html, "<script>") && strstr(html, "detour"),
	      "%s is not the animated walk", page);
	g_autoptr(GArray) s = trace_summary(out);

	CHECK(s->len == 5, "%u packets, not 5", s->len);
}

static void check_trace_mermaid(const char *out, const char *demo)
{
	g_autofree char *md = g_build_filename(demo, "walk.md", NULL);
	g_autofree char *text = NULL;

	CHECK(g_file_get_contents(md, &text, NULL, NULL), "no %s", md);
	CHECK(strstr(text, "```mermaid\nsequenceDiagram") &&
	      strstr(text, "```mermaid\nflowchart LR"), "%s lacks the diagrams:\n%s", md, text);
}

/* part 4: a vswitch row on the normal path only; the difference mostly
 * wake-ups, not service */
static void check_budget(const char *out, const char *demo)
{
	double v[2][5], total[2][5];

	CHECK(budget_row(out, "vswitch", v) && v[0][4] > 0 && v[1][4] == 0,
	      "the vswitch row is not the normal path's alone");
	CHECK(budget_row(out, "total", total), "no total row");
	CHECK(total[0][1] - total[1][1] > total[0][2] - total[1][2],
	      "the wake-ups differ by %g, the services by %g", total[0][1] - total[1][1],
	      total[0][2] - total[1][2]);
}

/* The sweep's loads and, per path, its first load with drops, the most
 * it delivered and its p99 at the highest load, from the sweep.csv in
 * dir (sweep.c's columns, found by name in its header). */
struct knee {
	double first_drop[2], most[2], last_p99[2];
};

static struct knee sweep_knee(const char *dir)
{
	struct knee k = { { INFINITY, INFINITY }, { 0, 0 }, { 0, 0 } };
	g_autofree char *csv = g_build_filename(dir, "sweep.csv", NULL);
	g_autofree char *text = NULL;
	const char *cols[] = { "load_pct", "path", "dropped_packets", "delivered_pps",
			       "latency_p99" };
	int at[G_N_ELEMENTS(cols)];
	unsigned rows = 0;

	CHECK(g_file_get_contents(csv, &text, NULL, NULL), "no %s", csv);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_auto(GStrv) head = g_strsplit(lines[0], ",", -1);
	for (size_t c = 0; c < G_N_ELEMENTS(cols); c++) {
		at[c] = -1;
		for (int i = 0; head[i]; i++)
			if (!strcmp(head[i], cols[c]))
				at[c] = i;
		CHECK(at[c] >= 0, "%s: no column %s", csv, cols[c]);
	}
	double last_load = -1;
	for (char **l = lines + 1; *l && **l; l++) {
		g_auto(GStrv) v = g_strsplit(*l, ",", -1);
		guint n = g_strv_length(v);

		for (size_t c = 0; c < G_N_ELEMENTS(cols); c++)
			CHECK((guint)at[c] < n, "%s: a short row: %s", csv, *l);
		double load = g_ascii_strtod(v[at[0]], NULL);
		int p = !strcmp(v[at[1]], "normal") ? 0 : !strcmp(v[at[1]], "accelerated") ? 1 : -1;

		CHECK(p >= 0, "%s: path '%s'", csv, v[at[1]]);
		CHECK(load >= last_load, "%s: loads out of order", csv);
		last_load = load;
		rows++;
		if (g_ascii_strtod(v[at[2]], NULL) > 0)
			k.first_drop[p] = MIN(k.first_drop[p], load);
		k.most[p] = MAX(k.most[p], g_ascii_strtod(v[at[3]], NULL));
		k.last_p99[p] = g_ascii_strtod(v[at[4]], NULL);
	}
	CHECK(rows == 10, "%u rows in %s, not 5 loads of 2 paths", rows, csv);
	return k;
}

/* part 5: the normal path's knee first; its p99 in milliseconds past it;
 * the accelerated path carries more; what 100 % is said; the plots the
 * page names drawn */
static void check_sweep(const char *out, const char *demo)
{
	g_autofree char *dir = g_build_filename(demo, "load", NULL);
	struct knee k = sweep_knee(dir);
	const char *plots[] = { "latency-vs-load.png", "throughput.png", "host-cpu.png" };

	CHECK(k.first_drop[0] < k.first_drop[1], "the normal path drops from %g%%, the "
	      "accelerated from %g%%", k.first_drop[0], k.first_drop[1]);
	CHECK(k.last_p99[0] > 1000, "the normal p99 at the highest load is %g us", k.last_p99[0]);
	CHECK(k.most[1] > k.most[0], "most delivered: %g and %g pps", k.most[0], k.most[1]);
	CHECK(strstr(out, "100 % load is") && strstr(out, "where the normal path's drops begin"),
	      "the sweep does not say what 100 %% load is:\n%s", out);
	for (size_t i = 0; i < G_N_ELEMENTS(plots); i++) {
		g_autofree char *png = g_build_filename(dir, plots[i], NULL);

		CHECK(g_file_test(png, G_FILE_TEST_EXISTS), "no %s", png);
	}
}

/* part 5's page: the sweep's two walks, at the lowest load and the
 * first point past the knee, both followed; their scripts allowed by
 * hash, no other */
static void check_report(const char *out, const char *demo)
{
	g_autofree char *page = g_build_filename(demo, "load", "report.html", NULL);
	g_autofree char *html = NULL;

	CHECK(g_file_get_contents(page, &html, NULL, NULL), "no %s", page);
	CHECK(strstr(html, "<h3>At the lowest load: 50 % load, seed 1</h3>"),
	      "no walk at the lowest load");
	CHECK(strstr(html, "<h3>Past the knee, where queues fill: 100 % load, seed 1</h3>"),
	      "no walk past the knee");
	CHECK(!strstr(html, "Not followed"), "a walk not followed: %s", strstr(html, "Not followed"));
	CHECK(strstr(html, "; script-src 'sha256-"),
	      "the page's policy does not allow its scripts by hash");
	CHECK(!strstr(html, "script-src 'unsafe-inline'"), "scripts allowed inline");
}

/* inside the knee: normal packets dropped, none accelerated; every
 * accelerated packet faster than the normal one delivered */
static void check_trace_load(const char *out, const char *demo)
{
	g_autoptr(GArray) s = trace_summary(out);
	unsigned dropped = 0;

	CHECK(s->len == 20, "%u packets", s->len);
	for (guint i = 0; i < s->len; i++) {
		const struct summary_row *r = &g_array_index(s, struct summary_row, i);

		CHECK(!isnan(r->lat[1]), "accelerated packet %u dropped", i + 1);
		if (isnan(r->lat[0]))
			dropped++;
		else
			CHECK(r->lat[1] < r->lat[0], "packet %u: accelerated %g, normal %g", i + 1,
			      r->lat[1], r->lat[0]);
	}
	CHECK(dropped > 0, "no normal packet dropped");
	g_autofree char *page = g_build_filename(demo, "load.html", NULL);
	CHECK(g_file_test(page, G_FILE_TEST_EXISTS), "no %s", page);
}

/* part 6: well over a host core for one VM, none accelerated; the 8
 * vSwitch cores carry only a handful of such VMs; the normal column is
 * hypothetical on this size */
static void check_host_cpu(const char *out, const char *demo)
{
	double cores[2];

	brief_row(out, "host CPU", cores);
	CHECK(cores[0] > 1 && cores[1] == 0, "host cores %g and %g", cores[0], cores[1]);
	CHECK(8 / cores[0] < 8, "%g VMs fill the vSwitch's cores", 8 / cores[0]);
	/* priced: the cores saved at $900 a core-year (the sentence wraps;
	 * the cores printed are rounded to 0.001) */
	g_autoptr(GRegex) re = g_regex_new("worth\\s+\\$([0-9]+)\\s+a\\s+year\\s+at\\s+\\$900\\s+"
					   "per\\s+core-year", 0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;
	CHECK(g_regex_match(re, out, 0, &mi), "the cores saved are not priced:\n%s", out);
	g_autofree char *usd = g_match_info_fetch(mi, 1);
	CHECK(fabs(g_ascii_strtod(usd, NULL) - (cores[0] - cores[1]) * 900) <= 1,
	      "$%s a year for %g cores", usd, cores[0] - cores[1]);
	/* the note wraps: its words, and the column's mark */
	CHECK(strstr(out, "requires accelerated networking") && strstr(out, "hypothetical\n"),
	      "no hypothetical normal column");
}

/* during the removal the accelerated packet takes the vSwitch: the same
 * host cycles as on the normal path */
static void check_servicing_trace(const char *out, const char *demo)
{
	g_autoptr(GArray) s = trace_summary(out);

	CHECK(strstr(out, "-> diverted to the vSwitch: the VF is removed (host servicing)"),
	      "no fallback said");
	CHECK(s->len == 1, "%u packets", s->len);
	const struct summary_row *r = &g_array_index(s, struct summary_row, 0);
	CHECK(r->cycles[0] > 0 && r->cycles[1] == r->cycles[0], "host cycles %g and %g",
	      r->cycles[0], r->cycles[1]);
}

/* the whole removal: the same host CPU per packet, the p99 alike */
static void check_servicing_run(const char *out, const char *demo)
{
	double p99[2], cyc[2];

	brief_row(out, "latency p99 ", p99);
	brief_row(out, "host cycles per delivered packet", cyc);
	CHECK(fabs(cyc[0] - cyc[1]) <= 0.01 * cyc[0] && cyc[0] > 0, "host cycles %g and %g",
	      cyc[0], cyc[1]);
	CHECK(p99[0] / p99[1] > 0.9 && p99[0] / p99[1] < 1.1, "p99 %g and %g during the removal",
	      p99[0], p99[1]);
	CHECK(strstr(out, "saves no host CPU here"), "not said that it saves no host CPU");
}

/* part 7: the quiet VM's normal path queues behind its neighbours at the
 * shared vSwitch; its VF does not */
static void check_noisy_neighbour(const char *out, const char *demo)
{
	double p99[2], cores[2];

	CHECK(strstr(out, "VM quiet"), "the VM shown is not named");
	brief_row(out, "latency p99 ", p99);
	brief_row(out, "host CPU", cores);
	CHECK(p99[0] > 2 * p99[1], "normal p99 %g against accelerated %g: not several times",
	      p99[0], p99[1]);
	CHECK(cores[0] > 0 && cores[1] == 0, "host cores %g and %g", cores[0], cores[1]);
}

/* the quiet VM's normal p99 grows with the bursts, its accelerated one
 * does not: the sweep says so, and draws it */
static void check_noisy_sweep(const char *out, const char *demo)
{
	g_autofree char *png = g_build_filename(demo, "nn", "latency-vs-load.png", NULL);

	CHECK(strstr(out, "VM quiet: as traffic noisy.rate goes from") &&
	      strstr(out, "its normal path's p99 rises") &&
	      strstr(out, "its accelerated path's p99 stays"),
	      "the sweep does not say how the quiet VM's p99 moves:\n%s", out);
	CHECK(g_file_test(png, G_FILE_TEST_EXISTS), "no %s", png);
}

/* servicing over time: the removal and the return are in the series */
static void check_servicing_series(const char *out, const char *demo)
{
	g_autofree char *png = g_build_filename(demo, "servicing", "time-series.png", NULL);

	CHECK(strstr(out, "between events"), "no phases between the events:\n%s", out);
	CHECK(g_file_test(png, G_FILE_TEST_EXISTS), "no %s", png);
}

/* --vm steady: said; its packet through the vSwitch in both worlds, at
 * the same host cycles */
static void check_noisy_trace(const char *out, const char *demo)
{
	g_autoptr(GArray) s = trace_summary(out);

	CHECK(strstr(out, "VM steady (accelerated networking: off)"), "the VM shown not said");
	CHECK(strstr(out, "steady.guest") && !strstr(out, "quiet.guest"),
	      "not the steady VM's stages:\n%s", out);
	CHECK(s->len == 1, "%u packets", s->len);
	const struct summary_row *r = &g_array_index(s, struct summary_row, 0);
	CHECK(r->cycles[0] > 0 && r->cycles[1] == r->cycles[0], "host cycles %g and %g",
	      r->cycles[0], r->cycles[1]);
}

/* part 8: a few percent; negligible host CPU */
static void check_small_app(const char *out, const char *demo)
{
	double p50[2], cores[2];

	brief_row(out, "latency p50", p50);
	brief_row(out, "host CPU", cores);
	CHECK(p50[0] / p50[1] < 1.1, "p50 %g against %g: more than a few percent", p50[0],
	      p50[1]);
	CHECK(cores[0] < 0.01, "%g host cores: not negligible", cores[0]);
}

static void check_small_app_explain(const char *out, const char *demo)
{
	CHECK(strstr(out, "this scenario: small-app") && strstr(out, "brings little"),
	      "no verdict that it brings little");
}

/* exercise 1, from part 4's table: the guest adds the most to the normal
 * path, and mostly as its wake-up */
static void check_exercise_1(void)
{
	const char *out = output_of("budget");
	const char *rows[] = { "nic.rx", "vswitch", "guest", "app" };
	double guest[2][5];

	CHECK(budget_row(out, "guest", guest), "no guest row");
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		double v[2][5];

		if (budget_row(out, rows[i], v))
			CHECK(v[0][4] <= guest[0][4], "%s adds %g us, the guest %g", rows[i], v[0][4],
			      guest[0][4]);
	}
	CHECK(guest[0][1] > guest[0][2] && guest[0][1] > guest[0][0],
	      "the guest's wake-up %g is not its largest part", guest[0][1]);
}

/* exercise 2: static moderation raises the accelerated median, not the
 * normal one */
static void check_moderation(const char *out, const char *demo)
{
	double base[2], now[2];

	brief_row(output_of("first-run"), "latency p50", base);
	brief_row(out, "latency p50", now);
	CHECK(now[1] > base[1] * 1.2, "accelerated p50 %g, was %g", now[1], base[1]);
	CHECK(now[0] == base[0], "normal p50 %g, was %g", now[0], base[0]);
}

/* exercise 3: two vSwitch cores: the normal median moves less than a tenth */
static void check_cores(const char *out, const char *demo)
{
	double base[2], now[2];

	brief_row(output_of("first-run"), "latency p50", base);
	brief_row(out, "latency p50", now);
	CHECK(fabs(now[0] - base[0]) < 0.1 * base[0], "normal p50 %g, was %g", now[0], base[0]);
}

/* exercise 4: the first packet costs the accelerated path about what it
 * costs the normal one, host cycles included */
static void check_first_packet(const char *out, const char *demo)
{
	g_autoptr(GArray) s = trace_summary(out);
	const struct summary_row *r = &g_array_index(s, struct summary_row, 0);

	CHECK(strstr(out, "a TCP SYN") && strstr(out, "-> diverted to the vSwitch"),
	      "the first packet is not a diverted SYN");
	CHECK(r->cycles[1] > 0.5 * r->cycles[0] && r->cycles[1] < 2 * r->cycles[0],
	      "host cycles %g and %g", r->cycles[0], r->cycles[1]);
	CHECK(r->lat[1] > 0.5 * r->lat[0] && r->lat[1] < 2 * r->lat[0], "latency %g and %g",
	      r->lat[0], r->lat[1]);
}

static void check_size(const char *out, const char *demo)
{
	CHECK(strstr(out, "required, and on by default"), "D8s_v5 not required");
}

static void check_no_an(const char *out, const char *demo)
{
	const char *note = strstr(out, "does not offer accelerated networking");
	const char *table = strstr(out, "latency p50");

	CHECK(note && table && note < table, "no note above the table");
	CHECK(strstr(out, "hypothetical"), "the accelerated column not marked");
}

/* exercise 7, from part 5 */
static void check_exercise_7(const char *demo)
{
	g_autofree char *dir = g_build_filename(demo, "load", NULL);
	struct knee k = sweep_knee(dir);

	CHECK(k.first_drop[0] < k.first_drop[1], "the normal path does not drop first");
}

static const struct {
	const char *name;
	void (*check)(const char *out, const char *demo);
} checks[] = {
	{ "setup", check_setup },
	{ "explain", check_explain },
	{ "first-run", check_first_run },
	{ "trace-one", check_trace_one },
	{ "trace-html", check_trace_html },
	{ "trace-mermaid", check_trace_mermaid },
	{ "budget", check_budget },
	{ "sweep", check_sweep },
	{ "report", check_report },
	{ "trace-load", check_trace_load },
	{ "host-cpu", check_host_cpu },
	{ "servicing-trace", check_servicing_trace },
	{ "servicing-run", check_servicing_run },
	{ "noisy-neighbour", check_noisy_neighbour },
	{ "noisy-trace", check_noisy_trace },
	{ "noisy-sweep", check_noisy_sweep },
	{ "servicing-series", check_servicing_series },
	{ "small-app", check_small_app },
	{ "small-app-explain", check_small_app_explain },
	{ "exercise-moderation", check_moderation },
	{ "exercise-cores", check_cores },
	{ "exercise-first-packet", check_first_packet },
	{ "exercise-size", check_size },
	{ "exercise-no-an", check_no_an },
};

/* ---- the page ---- */

struct block {
	char *check;	/* the name in the marker before it, or NULL */
	char *script;
	unsigned line;
};

static void block_free(gpointer data)
{
	struct block *b = data;

	g_free(b->check);
	g_free(b->script);
	g_free(b);
}

/* The ```sh blocks of text with the marker each follows. */
static GPtrArray *sh_blocks(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(block_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *prev = NULL;

	for (unsigned i = 0; lines[i]; i++) {
		if (strcmp(lines[i], "```sh")) {
			if (*lines[i]) {
				g_free(prev);
				prev = g_strdup(lines[i]);
			}
			continue;
		}
		struct block *b = g_new0(struct block, 1);
		GString *s = g_string_new(NULL);

		b->line = i + 1;
		if (prev && g_str_has_prefix(prev, "<!-- check: ") && g_str_has_suffix(prev, " -->"))
			b->check = g_strndup(prev + 12, strlen(prev) - 12 - 4);
		for (i++; lines[i] && strcmp(lines[i], "```"); i++)
			g_string_append_printf(s, "%s\n", lines[i]);
		b->script = g_string_free(s, FALSE);
		g_ptr_array_add(out, b);
		g_free(prev);
		prev = NULL;
		if (!lines[i])
			break;
	}
	return out;
}

static void test_every_workshop_command_runs_and_its_answer_holds(void **state)
{
	g_autofree char *page = g_build_filename(ABS_TOP_SRCDIR, "docs", "workshop.md", NULL);
	g_autofree char *text = NULL;
	g_autofree char *demo = g_build_filename(scratch, "demo", NULL);
	g_autofree char *path = g_strdup_printf("%s:%s", ABS_TOP_BUILDDIR, g_getenv("PATH"));
	bool used[G_N_ELEMENTS(checks)] = { false };

	assert_true(g_file_get_contents(page, &text, NULL, NULL));
	g_autoptr(GPtrArray) blocks = sh_blocks(text);
	assert_true(blocks->len >= 10);
	for (guint i = 0; i < blocks->len; i++) {
		const struct block *b = blocks->pdata[i];
		size_t c = 0;

		if (!b->check)
			fail_msg("docs/workshop.md:%u: a command without <!-- check: NAME --> before it",
				 b->line);
		while (c < G_N_ELEMENTS(checks) && strcmp(checks[c].name, b->check))
			c++;
		if (c == G_N_ELEMENTS(checks))
			fail_msg("docs/workshop.md:%u: no check called '%s' in this test", b->line,
				 b->check);
		used[c] = true;

		g_autoptr(GRegex) re = g_regex_new("/tmp/accelsim-demo", 0, 0, NULL);
		g_autofree char *script = g_regex_replace_literal(re, b->script, -1, 0, demo, 0, NULL);
		g_autofree char *out = NULL, *err = NULL;
		g_autoptr(GError) e = NULL;
		const char *argv[] = { "bash", "-e", "-o", "pipefail", "-c", script, NULL };
		g_auto(GStrv) env = g_environ_setenv(g_get_environ(), "PATH", path, TRUE);
		int status;

		env = g_environ_unsetenv(env, "NO_COLOR");
		if (!g_spawn_sync(scratch, (char **)argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
				  &err, &status, &e))
			fail_msg("cannot run bash: %s", e->message);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("docs/workshop.md:%u (%s): exit %d\n%s%s", b->line, b->check,
				 WEXITSTATUS(status), out, err);
		/* what the page shows is standard output: standard error may
		 * hold a sanitizer's warnings */
		checks[c].check(out, demo);
		g_hash_table_insert(outputs, g_strdup(b->check), g_steal_pointer(&out));
		print_message("  docs/workshop.md:%u: %s: ok\n", b->line, b->check);
	}
	for (size_t c = 0; c < G_N_ELEMENTS(checks); c++)
		if (!used[c])
			fail_msg("check '%s' belongs to no command of docs/workshop.md", checks[c].name);
	/* the answers that read earlier commands' output */
	CHECK(strstr(text, "*Answer: the guest stage, and mostly waiting"), "exercise 1 changed");
	check_exercise_1();
	CHECK(strstr(text, "*Answer: the normal path at a lower load than the accelerated path.*"),
	      "exercise 7 changed");
	check_exercise_7(demo);
}

static int setup(void **state)
{
	g_autoptr(GError) e = NULL;

	scratch = g_dir_make_tmp("accelsim-workshop-XXXXXX", &e);
	outputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return scratch ? 0 : -1;
}

static int teardown(void **state)
{
	g_autofree char *o = NULL, *er = NULL;
	const char *argv[] = { "rm", "-rf", scratch, NULL };

	g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &o, &er, NULL,
		     NULL);
	g_hash_table_unref(outputs);
	g_free(scratch);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_workshop_command_runs_and_its_answer_holds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
