/* html.c: the report page (see html.h).
 *
 * Built as one string: a fixed style sheet, then sections in the order a
 * reader wants them (the headline savings, the side-by-side table, a
 * sweep's points, the plots, where the latency goes, extra sections, and
 * where the results came from).  Every text from the results is escaped;
 * SVGs are inlined with their ids prefixed per plot, so that two plots'
 * "gpPt5" do not collide in one document.
 */
#include "plot/html.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"
#include "plot/plot.h"
#include "report/metrics.h"
#include "report/report.h"

static void esc(GString *s, const char *t)
{
	for (; t && *t; t++) {
		switch (*t) {
		case '&':
			g_string_append(s, "&amp;");
			break;
		case '<':
			g_string_append(s, "&lt;");
			break;
		case '>':
			g_string_append(s, "&gt;");
			break;
		case '"':
			g_string_append(s, "&quot;");
			break;
		default:
			g_string_append_c(s, *t);
		}
	}
}

static void tag_text(GString *s, const char *tag, const char *cls, const char *text)
{
	g_string_append_printf(s, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "",
			       cls ? "\"" : "");
	esc(s, text);
	g_string_append_printf(s, "</%s>", tag);
}

/* ---- the style sheet: light and dark, projector and phone ---- */

static const char style[] =
	":root{--bg:#ffffff;--fg:#1a1a1a;--muted:#555;--line:#d0d0d0;--head:#f2f2f2;"
	"--normal:#B34700;--accel:#005A8C;--good:#006B4F;--card:#ffffff}"
	"@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#ececec;--muted:#a8a8a8;"
	"--line:#3a3d42;--head:#23262b;--normal:#FF9A5C;--accel:#6CC4FF;--good:#5FE0B5;"
	"--card:#ffffff}}"
	"*{box-sizing:border-box}"
	"html{font-size:18px}"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"line-height:1.45}"
	"main{max-width:1200px;margin:0 auto;padding:1.5rem 1.2rem 3rem}"
	"h1{font-size:2rem;margin:.2rem 0 .4rem}"
	"h2{font-size:1.45rem;margin:2.2rem 0 .6rem;border-bottom:2px solid var(--line);"
	"padding-bottom:.2rem}"
	"p.lead{color:var(--muted);margin:.2rem 0 1rem}"
	"p.trend{font-size:1.1rem;border-left:4px solid var(--accel);padding:.3rem .8rem;"
	"margin:1rem 0}"
	".savings{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem}"
	".stat{border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem}"
	".stat .v{font-size:2rem;font-weight:700;color:var(--good)}"
	".stat .k{color:var(--muted)}"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
	"table{border-collapse:collapse;font-variant-numeric:tabular-nums;min-width:100%}"
	"th,td{padding:.3rem .6rem;border-bottom:1px solid var(--line);text-align:right;"
	"white-space:nowrap}"
	"th{background:var(--head)}"
	"th:first-child,td:first-child{text-align:left}"
	"td.l,th.l{text-align:left}"
	".normal{color:var(--normal)}.accel{color:var(--accel)}"
	"figure{margin:1.2rem 0 2rem}"
	"figure .card{background:var(--card);border-radius:.5rem;padding:.3rem;"
	"border:1px solid var(--line)}"
	"figure svg{display:block;width:100%;height:auto}"
	"figcaption{color:var(--muted);margin-top:.4rem}"
	"details{margin:.6rem 0}"
	"summary{cursor:pointer;font-weight:600}"
	"code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em;"
	"word-break:break-all}"
	".warn{border-left:4px solid var(--normal);padding:.4rem .8rem;background:var(--head)}"
	"@media (max-width:700px){html{font-size:16px}main{padding:1rem .7rem 2rem}"
	"h1{font-size:1.5rem}.stat .v{font-size:1.6rem}th,td{padding:.25rem .4rem}"
	/* a plot shrunk to a phone's width has unreadable text: keep it wide
	 * enough to read, and let it scroll */
	"figure .card{overflow-x:auto}figure svg{min-width:760px}"
	/* the figures table: no unit or better column, the unit beside the
	 * label, the label kept in view while the values scroll */
	"td.unit,th.unit,td.better,th.better{display:none}span.u{display:inline}"
	"td:first-child,th:first-child{position:sticky;left:0;background:var(--bg);z-index:1;"
	"white-space:normal;max-width:9.5rem}"
	"th:first-child{background:var(--head)}}"
	"span.u{display:none;color:var(--muted);font-size:.85em}";

/* ---- sections ---- */

static const struct run_result *first_run(const struct sweep_point *pt)
{
	return pt->runs->pdata[0];
}

static void header(GString *s, const struct sweep_results *sr, const struct sweep_point *ref)
{
	const struct run_result *r = ref->pooled;
	const struct provenance *pv = r->provenance;
	g_autofree char *title = g_strdup_printf("accelsim: %s", r->scenario);
	g_autoptr(GString) lead = g_string_new(NULL);

	tag_text(s, "h1", NULL, title);
	g_string_append_printf(lead, "%s of %s with model %s", r->source, r->scenario, r->model);
	if (sweep_results_is_sweep(sr))
		g_string_append_printf(lead, "; a sweep of %u points", sr->points->len);
	if (ref->stats->n > 1)
		g_string_append_printf(lead, ", %u seeds each", ref->stats->n);
	if (pv && pv->latency != LATENCY_UNKNOWN)
		g_string_append_printf(lead, ". Latency is %s: %s", latency_kind_name(pv->latency),
				       latency_kind_span(pv->latency));
	g_string_append(lead, ".");
	tag_text(s, "p", "lead", lead->str);
	if (sr->partial) {
		g_string_append(s, "<p class=\"warn\">Partial: ");
		if (sr->missing->len)
			for (guint i = 0; i < sr->missing->len; i++) {
				esc(s, sr->missing->pdata[i]);
				g_string_append(s, i + 1 < sr->missing->len ? "; " : ". ");
			}
		g_string_append(s, "Some figures are of runs cut short or points missing.</p>");
	}
}

static void stat_box(GString *s, const char *value, const char *what)
{
	g_string_append(s, "<div class=\"stat\"><div class=\"v\">");
	esc(s, value);
	g_string_append(s, "</div><div class=\"k\">");
	esc(s, what);
	g_string_append(s, "</div></div>");
}

static void savings(GString *s, const struct sweep_results *sr, const struct sweep_point *ref)
{
	const struct run_result *r = ref->pooled;
	const struct metric_savings sv = metric_savings(r);
	g_autofree char *where = plot_point_name(sr, ref);
	char buf[64];

	g_string_append(s, "<section><h2>What accelerated networking saves");
	if (sweep_results_is_sweep(sr)) {
		g_string_append(s, " at ");
		esc(s, where);
	}
	g_string_append(s, "</h2><div class=\"savings\">");
	snprintf(buf, sizeof(buf), "%.3f", sv.cores);
	stat_box(s, buf, "host cores saved (normal minus accelerated)");
	if (isfinite(sv.usd_per_year)) {
		g_autofree char *what = g_strdup_printf("per host a year, at $%.0f per host "
							"core-year",
							r->core_year_usd);

		snprintf(buf, sizeof(buf), "$%.0f", sv.usd_per_year);
		stat_box(s, buf, what);
	}
	static const char *const ratios[] = { "latency_p50", "latency_p99", "latency_p999" };
	for (size_t i = 0; i < G_N_ELEMENTS(ratios); i++) {
		const struct metric *m = metric_find(&metric_path, ratios[i]);
		const size_t k = merge_metric_index(m);
		double n = ref->stats->mean[PATH_NORMAL][k], a = ref->stats->mean[PATH_ACCEL][k];
		struct metric_comparison c = metric_compare(m, n, a);

		if (c.kind != METRIC_SHOW_RATIO)
			continue;
		g_autofree char *what = g_strdup_printf("lower %s on the accelerated path "
							"(%.4g against %.4g µs)",
							metric_label(m, r), a, n);

		snprintf(buf, sizeof(buf), "%.2f×", c.value);
		stat_box(s, buf, what);
	}
	g_string_append(s, "</div></section>");
}

static void cell_value(GString *s, const struct metric *m, double v, double half)
{
	char a[32], b[32];

	g_string_append(s, "<td>");
	esc(s, metric_format(m->fmt, v, false, a, sizeof(a)));
	if (isfinite(v) && isfinite(half)) {
		g_string_append(s, " ±");
		esc(s, metric_format(m->fmt, half, false, b, sizeof(b)));
	}
	g_string_append(s, "</td>");
}

/* The side-by-side table of one point: every figure of the path table. */
static void figures(GString *s, const struct sweep_point *pt)
{
	const struct run_result *r = pt->pooled;
	const struct merge_stats *st = pt->stats;

	g_string_append(s, "<div class=\"scroll\"><table><thead><tr><th>figure</th>"
			   "<th class=\"l unit\">unit</th><th class=\"normal\">normal</th>"
			   "<th class=\"accel\">accelerated</th><th>difference</th><th>ratio</th>"
			   "<th class=\"l better\">better</th></tr></thead><tbody>");
	for (METRIC_EACH(m, &metric_path)) {
		const size_t k = merge_metric_index(m);
		const double n = st->mean[PATH_NORMAL][k], a = st->mean[PATH_ACCEL][k];
		struct metric_comparison c = metric_compare(m, n, a);
		char d[32] = "", q[32] = "";

		if (m->flags & METRIC_NO_TABLE)
			continue;
		if (c.kind != METRIC_SHOW_NOTHING)
			metric_format(m->fmt, n - a, true, d, sizeof(d));
		if (c.kind == METRIC_SHOW_RATIO)
			snprintf(q, sizeof(q), "%.2f×", c.value);
		const char *unit = !strcmp(metric_unit(m, r), "us") ? "µs" : metric_unit(m, r);

		g_string_append(s, "<tr><td>");
		esc(s, metric_label(m, r));
		g_string_append(s, " <span class=\"u\">");
		esc(s, unit);
		g_string_append(s, "</span></td><td class=\"l unit\">");
		esc(s, unit);
		g_string_append(s, "</td>");
		cell_value(s, m, n, st->half[PATH_NORMAL][k]);
		cell_value(s, m, a, st->half[PATH_ACCEL][k]);
		g_string_append(s, "<td>");
		esc(s, d);
		g_string_append(s, "</td><td>");
		esc(s, q);
		g_string_append(s, "</td><td class=\"l better\">");
		if (m->cmp != METRIC_CMP_NONE && m->better != METRIC_NEITHER)
			esc(s, metric_better_name(m->better));
		g_string_append(s, "</td></tr>");
	}
	g_string_append(s, "</tbody></table></div>");
	if (st->n > 1)
		g_string_append_printf(s, "<p class=\"lead\">Means over %u seeds; ± is the half-width "
					  "of the 95 %% confidence interval (Student t).</p>",
				       st->n);
}

static void table_section(GString *s, const struct sweep_results *sr,
			  const struct sweep_point *ref)
{
	if (sweep_results_is_sweep(sr)) {
		g_autofree char *where = plot_point_name(sr, ref);

		g_string_append(s, "<section><h2>Side by side at ");
		esc(s, where);
		g_string_append(s, "</h2>");
		figures(s, ref);
		g_string_append(s, "</section>");
		return;
	}
	for (guint i = 0; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];

		g_string_append(s, "<section><h2>Side by side");
		if (sr->points->len > 1) {
			g_string_append(s, ": ");
			esc(s, pt->label);
		}
		g_string_append(s, "</h2>");
		figures(s, pt);
		g_string_append(s, "</section>");
	}
}

/* A sweep of one thing: how each path's p99 and jitter move across it,
 * in the sentence `accelsim sweep` ends with (report_trend()). */
static void trend(GString *s, const struct sweep_results *sr)
{
	const guint n = sr->points->len;

	if (!sr->keys[0] || sr->keys[1] || n < 2)
		return;
	g_autofree const struct run_result **rs = g_new(const struct run_result *, n);
	for (guint i = 0; i < n; i++)
		rs[i] = ((const struct sweep_point *)sr->points->pdata[i])->pooled;
	g_autofree char *from = sweep_value_shown(sr->points->pdata[0], 0);
	g_autofree char *to = sweep_value_shown(sr->points->pdata[n - 1], 0);
	g_autofree char *t = report_trend(rs, n, sr->keys[0], from, to);

	if (t)
		tag_text(s, "p", "trend", t);
}

static void sweep_section(GString *s, const struct sweep_results *sr)
{
	static const char *const figs[] = { "offered_pps", "delivered_pps", "dropped_packets",
					    "latency_p50", "latency_p99", "latency_p999",
					    "host_cpu_cores" };
	const struct sweep_point *p0 = sr->points->pdata[0];
	const struct run_result *r0 = p0->pooled;

	if (!sweep_results_is_sweep(sr))
		return;
	g_string_append(s, "<section><h2>The sweep, point by point</h2>"
			   "<div class=\"scroll\"><table><thead><tr>");
	for (guint k = 0; sr->keys[k]; k++)
		tag_text(s, "th", NULL, sr->keys[k]);
	g_string_append(s, "<th>path</th>");
	for (size_t i = 0; i < G_N_ELEMENTS(figs); i++) {
		const struct metric *m = metric_find(&metric_path, figs[i]);
		const char *u = metric_unit(m, r0);
		g_autofree char *h = g_strdup_printf("%s (%s)", metric_label(m, r0),
						     !strcmp(u, "us") ? "µs" : u);

		tag_text(s, "th", NULL, h);
	}
	g_string_append(s, "</tr></thead><tbody>");
	for (guint i = 0; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];

		for (int p = 0; p < PATH_COUNT; p++) {
			g_string_append(s, "<tr>");
			for (guint k = 0; sr->keys[k]; k++) {
				g_autofree char *v = sweep_value_shown(pt, k);

				tag_text(s, "td", NULL, p ? "" : v);
			}
			tag_text(s, "td", p ? "l accel" : "l normal", path_name(p));
			for (size_t j = 0; j < G_N_ELEMENTS(figs); j++) {
				const struct metric *m = metric_find(&metric_path, figs[j]);
				const size_t k = merge_metric_index(m);

				/* means alone: the intervals are in the plots */
				cell_value(s, m, pt->stats->mean[p][k], NAN);
			}
			g_string_append(s, "</tr>");
		}
	}
	g_string_append(s, "</tbody></table></div>");
	if (p0->stats->n > 1)
		g_string_append_printf(s, "<p class=\"lead\">Means over %u seeds; the plots draw their "
					  "95 %% intervals, and sweep.json holds them.</p>",
				       p0->stats->n);
	trend(s, sr);
	for (guint i = 0; i < sr->note_keys->len; i++) {
		g_string_append(s, "<p class=\"lead\">");
		esc(s, sr->note_keys->pdata[i]);
		g_string_append(s, ": ");
		esc(s, sr->note_values->pdata[i]);
		g_string_append(s, "</p>");
	}
	g_string_append(s, "</section>");
}

/* svg with every id and reference to one prefixed by prefix, so that
 * plots do not share ids in one page; an id gnuplot gives twice in one
 * drawing (the groups of a plot and of its key) gets a number after the
 * first, as nothing refers to those. */
static char *prefix_ids(const char *svg, const char *prefix)
{
	static const char *const marks[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GString *out = g_string_new(NULL);

	for (const char *p = svg; *p;) {
		size_t hit = 0, i;

		for (i = 0; i < G_N_ELEMENTS(marks) && !hit; i++)
			if (g_str_has_prefix(p, marks[i]))
				hit = strlen(marks[i]);
		if (!hit) {
			g_string_append_c(out, *p++);
			continue;
		}
		g_string_append_len(out, p, (gssize)hit);
		g_string_append(out, prefix);
		p += hit;
		if (i <= 2) {	/* an id: is it new? */
			const char q = p[-1];
			const char *end = strchr(p, q);
			g_autofree char *id = end ? g_strndup(p, end - p) : NULL;
			guint n = 1;

			if (!id)
				continue;
			while (g_hash_table_contains(seen, id)) {
				g_free(id);
				id = g_strdup_printf("%.*s-%u", (int)(end - p), p, ++n);
			}
			g_string_append(out, id);
			g_hash_table_add(seen, g_steal_pointer(&id));
			p = end;
		}
	}
	return g_string_free(out, FALSE);
}

static bool plots_section(GString *s, GPtrArray *plots, const char *dir, GError **error)
{
	g_string_append(s, "<section><h2>Plots</h2>");
	for (guint i = 0; i < plots->len; i++) {
		const struct plot_made *m = plots->pdata[i];
		g_autofree char *file = g_strconcat(m->name, ".svg", NULL);
		g_autofree char *path = g_build_filename(dir, file, NULL);
		g_autofree char *svg = NULL;
		g_autoptr(GError) e = NULL;

		if (!g_file_get_contents(path, &svg, NULL, &e)) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "cannot read the plot '%s': %s", path, e->message);
			return false;
		}
		const char *start = strstr(svg, "<svg");
		if (!start) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "%s: expected an SVG drawing, found no <svg>", path);
			return false;
		}
		g_autofree char *prefix = g_strdup_printf("p%u-", i + 1);
		g_autofree char *body = prefix_ids(start, prefix);

		g_string_append_printf(s, "<figure id=\"%s\"><div class=\"card\" role=\"img\" "
					  "aria-label=\"",
				       m->name);
		esc(s, m->title);
		g_string_append(s, "\">");
		g_string_append(s, body);
		g_string_append(s, "</div><figcaption><strong>");
		esc(s, m->title);
		g_string_append(s, ".</strong> ");
		esc(s, m->caption);
		g_string_append(s, "</figcaption></figure>");
	}
	g_string_append(s, "</section>");
	return true;
}

static void budget_section(GString *s, const struct sweep_results *sr,
			   const struct sweep_point *ref)
{
	const struct run_result *r = ref->pooled;
	g_autofree char *where = plot_point_name(sr, ref);

	if (!r->paths[PATH_NORMAL].budget->len && !r->paths[PATH_ACCEL].budget->len)
		return;
	g_string_append(s, "<section><h2>Where the latency goes");
	if (sweep_results_is_sweep(sr)) {
		g_string_append(s, " at ");
		esc(s, where);
	}
	g_string_append(s, "</h2><p class=\"lead\">Mean µs per delivered packet, stage by stage; "
			   "each path's rows add up to its mean latency.</p>");
	for (int p = 0; p < PATH_COUNT; p++) {
		const GArray *b = r->paths[p].budget;
		struct budget_row sum = { 0 };

		g_string_append_printf(s, "<h3 class=\"%s\">%s path</h3><div class=\"scroll\"><table>"
					  "<thead><tr><th>stage</th><th class=\"l\">runs on</th>",
				       p ? "accel" : "normal", path_name(p));
		for (METRIC_EACH(m, &metric_budget))
			tag_text(s, "th", NULL, m->label);
		g_string_append(s, "</tr></thead><tbody>");
		for (guint i = 0; i < b->len; i++) {
			const struct budget_row *row = &g_array_index(b, struct budget_row, i);

			g_string_append(s, "<tr>");
			tag_text(s, "td", NULL, row->name);
			tag_text(s, "td", "l", row->where);
			for (METRIC_EACH(m, &metric_budget))
				cell_value(s, m, metric_value(m, row), NAN);
			g_string_append(s, "</tr>");
			sum.wait_s += row->wait_s;
			sum.wake_s += row->wake_s;
			sum.service_s += row->service_s;
			sum.delay_s += row->delay_s;
		}
		g_string_append(s, "<tr><th>total</th><th></th>");
		for (METRIC_EACH(m, &metric_budget)) {
			char v[32];

			tag_text(s, "th", NULL, metric_format(m->fmt, metric_value(m, &sum), false, v,
							      sizeof(v)));
		}
		g_string_append(s, "</tr></tbody></table></div>");
	}
	g_string_append(s, "</section>");
}

static void provenance_section(GString *s, const struct sweep_results *sr,
			       const struct sweep_point *ref)
{
	const struct provenance *pv = first_run(ref)->provenance;

	g_string_append(s, "<section><h2>Where these results came from</h2>");
	if (!pv) {
		g_string_append(s, "<p>The results do not say (made by hand).</p></section>");
		return;
	}
	g_string_append(s, "<div class=\"scroll\"><table><tbody>");
	const char *rows[][2] = {
		{ "accelsim", pv->version },	     { "scenario", pv->scenario_path },
		{ "scenario SHA-256", pv->scenario_sha256 }, { "model", pv->model_path },
		{ "model SHA-256", pv->model_sha256 }, { "mode", pv->mode },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_string_append(s, "<tr>");
		tag_text(s, "td", NULL, rows[i][0]);
		g_string_append(s, "<td class=\"l\"><code>");
		esc(s, rows[i][1] ? rows[i][1] : "?");
		g_string_append(s, "</code></td></tr>");
	}
	g_string_append(s, "<tr><td>seeds</td><td class=\"l\"><code>");
	for (guint i = 0; i < ref->stats->n; i++)
		g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? ", " : "", ref->stats->seeds[i]);
	g_string_append(s, "</code></td></tr>");
	if (pv->sets->len) {
		g_string_append(s, "<tr><td>--set</td><td class=\"l\"><code>");
		for (guint i = 0; i < pv->sets->len; i++) {
			esc(s, pv->sets->pdata[i]);
			g_string_append(s, i + 1 < pv->sets->len ? "<br>" : "");
		}
		g_string_append(s, "</code></td></tr>");
	}
	if (pv->command) {
		g_string_append(s, "<tr><td>run again</td><td class=\"l\"><code>");
		esc(s, pv->command);
		g_string_append(s, "</code></td></tr>");
	}
	g_string_append(s, "</tbody></table></div>");
	g_string_append_printf(s, "<details><summary>The effective scenario and model (%u keys",
			       pv->keys->len);
	if (sweep_results_is_sweep(sr))
		g_string_append(s, ", as the point above ran them");
	g_string_append(s, ")</summary><div class=\"scroll\"><table><thead><tr><th>key</th>"
			   "<th>value</th></tr></thead><tbody>");
	for (guint i = 0; i < pv->keys->len; i++) {
		g_string_append(s, "<tr>");
		tag_text(s, "td", NULL, pv->keys->pdata[i]);
		g_string_append(s, "<td class=\"l\"><code>");
		esc(s, pv->values->pdata[i]);
		g_string_append(s, "</code></td></tr>");
	}
	g_string_append(s, "</tbody></table></div></details></section>");
}

#define SCRIPT_OPEN "<script>"
#define SCRIPT_CLOSE "</script>"

char *html_script_hashes(const char *html)
{
	GString *out = g_string_new(NULL);

	for (const char *p = html; (p = strstr(p, SCRIPT_OPEN));) {
		const char *text = p + strlen(SCRIPT_OPEN);
		const char *end = strstr(text, SCRIPT_CLOSE);
		g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
		guint8 digest[32];
		gsize len = sizeof(digest);

		g_assert(end);	/* a caller's script is whole */
		g_checksum_update(sum, (const guchar *)text, end - text);
		g_checksum_get_digest(sum, digest, &len);
		g_autofree char *b64 = g_base64_encode(digest, len);

		g_string_append_printf(out, "%s'sha256-%s'", out->len ? " " : "", b64);
		p = end + strlen(SCRIPT_CLOSE);
	}
	return g_string_free(out, FALSE);
}

char *html_report(const struct sweep_results *sr, GPtrArray *plots, const char *plotdir,
		  const char *extra, GError **error)
{
	const struct sweep_point *ref = plot_reference_point(sr);
	const struct run_result *r = ref->pooled;
	g_autoptr(GString) body = g_string_new(NULL);
	g_autoptr(GString) s = g_string_new(NULL);

	header(body, sr, ref);
	savings(body, sr, ref);
	table_section(body, sr, ref);
	sweep_section(body, sr);
	if (!plots_section(body, plots, plotdir, error))
		return NULL;
	budget_section(body, sr, ref);
	if (extra)
		g_string_append(body, extra);
	provenance_section(body, sr, ref);

	/* the policy allows the scripts the page holds, by their hashes,
	 * and nothing else: no fetch, no other script */
	g_autofree char *hashes = html_script_hashes(body->str);
	g_string_append(s, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
			   "<meta name=\"color-scheme\" content=\"light dark\">"
			   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
			   "'none'; style-src 'unsafe-inline'; img-src data:");
	if (*hashes)
		g_string_append_printf(s, "; script-src %s", hashes);
	g_string_append(s, "\"><title>accelsim: ");
	esc(s, r->scenario);
	g_string_append(s, "</title><style>");
	g_string_append(s, style);
	g_string_append(s, "</style></head><body><main>");
	g_string_append_len(s, body->str, body->len);
	g_string_append(s, "</main></body></html>\n");
	return g_string_free(g_steal_pointer(&s), FALSE);
}
