/* plot.c: the plots, their data and the gnuplot run (see plot.h).
 *
 * Each plot is built as lines (a title, a style and points x, y, and the
 * half-width of y's 95 % interval), written to NAME.dat as one gnuplot
 * block per line; NAME.gp gets the settings (titles, labels from the
 * metric table, styles) as gnuplot variables and arrays, then the
 * template's text.  Styles keep the paths apart without colour too: the
 * Okabe-Ito palette (vermillion for the normal path, blue for the
 * accelerated one), and per line a dash pattern and a point shape.
 */
#include "plot/plot.h"

#include <errno.h>
#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/datadir.h"
#include "core/msg.h"
#include "core/outdir.h"
#include "core/units.h"
#include "report/metrics.h"

/* Okabe & Ito (2008), "Color Universal Design": distinct for the common
 * colour-vision deficiencies, and of distinct lightness in greyscale. */
static const char *const path_color[PATH_COUNT] = { "#D55E00", "#0072B2" };
static const char *const group_colors[] = { "#000000", "#E69F00", "#56B4E9", "#009E73",
					    "#CC79A7", "#0072B2", "#D55E00" };
/* a hollow circle larger than the accelerated path's filled square, so
 * that where the paths' figures coincide both still show */
static const int path_point[PATH_COUNT] = { 6, 5 };
static const double path_point_size[PATH_COUNT] = { 2.2, 1.5 };

/* ---- lines ---- */

struct line {
	char *title;
	const char *color;
	int dt, pt;
	double ps;		/* point size */
	GArray *x, *y, *ci;	/* double */
	GPtrArray *xl;		/* char *: x as text */
};

static void line_free(struct line *l)
{
	g_free(l->title);
	g_array_unref(l->x);
	g_array_unref(l->y);
	g_array_unref(l->ci);
	g_ptr_array_unref(l->xl);
	g_free(l);
}

static struct line *line_new(GPtrArray *lines, const char *color, int dt, int pt,
			     const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static struct line *line_new(GPtrArray *lines, const char *color, int dt, int pt,
			     const char *fmt, ...)
{
	struct line *l = g_new0(struct line, 1);
	va_list ap;

	va_start(ap, fmt);
	l->title = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	l->color = color;
	l->dt = dt;
	l->pt = pt;
	l->ps = pt == path_point[PATH_NORMAL] ? path_point_size[PATH_NORMAL] : 1.6;
	l->x = g_array_new(FALSE, FALSE, sizeof(double));
	l->y = g_array_new(FALSE, FALSE, sizeof(double));
	l->ci = g_array_new(FALSE, FALSE, sizeof(double));
	l->xl = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(lines, l);
	return l;
}

static void line_add(struct line *l, double x, const char *xl, double y, double ci)
{
	double c = isfinite(ci) ? ci : 0;

	g_array_append_val(l->x, x);
	g_array_append_val(l->y, y);
	g_array_append_val(l->ci, c);
	g_ptr_array_add(l->xl, g_strdup(xl));
}

/* ---- writing files ---- */

static void num(GString *s, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (!isfinite(v))
		g_string_append(s, "NaN");
	else
		g_string_append(s, g_ascii_formatd(buf, sizeof(buf), "%.10g", v));
}

/* A gnuplot string: single quotes, a quote inside doubled. */
static void gp_string(GString *s, const char *t)
{
	g_string_append_c(s, '\'');
	for (; t && *t; t++) {
		if (*t == '\'')
			g_string_append_c(s, '\'');
		g_string_append_c(s, *t);
	}
	g_string_append_c(s, '\'');
}

/* A data-file word: double quotes (gnuplot reads "a b" as one column). */
static void dat_string(GString *s, const char *t)
{
	g_string_append_c(s, '"');
	for (; t && *t; t++)
		if (*t != '"' && *t != '\n')
			g_string_append_c(s, *t);
	g_string_append_c(s, '"');
}

static void set_str(GString *v, const char *name, const char *value)
{
	g_string_append_printf(v, "%s = ", name);
	gp_string(v, value);
	g_string_append_c(v, '\n');
}

static void set_num(GString *v, const char *name, double value)
{
	g_string_append_printf(v, "%s = ", name);
	num(v, value);
	g_string_append_c(v, '\n');
}

/* The arrays of n, titles, colors, dts and pts for lines. */
static void set_lines(GString *v, GPtrArray *lines)
{
	const guint n = lines->len;

	g_string_append_printf(v, "n = %u\narray titles[%u]\narray colors[%u]\narray dts[%u]\n"
				  "array pts[%u]\narray psz[%u]\n", n, MAX(n, 1), MAX(n, 1), MAX(n, 1),
			       MAX(n, 1), MAX(n, 1));
	for (guint i = 0; i < n; i++) {
		const struct line *l = lines->pdata[i];

		g_string_append_printf(v, "titles[%u] = ", i + 1);
		gp_string(v, l->title);
		g_string_append_printf(v, "; colors[%u] = '%s'; dts[%u] = %d; pts[%u] = %d; psz[%u] = ",
				       i + 1, l->color, i + 1, l->dt, i + 1, l->pt, i + 1);
		num(v, l->ps);
		g_string_append_c(v, '\n');
	}
}

/* Lines as gnuplot blocks: x, x as text, y, half-width. */
static void dat_lines(GString *d, GPtrArray *lines, const char *ycol)
{
	for (guint i = 0; i < lines->len; i++) {
		const struct line *l = lines->pdata[i];

		g_string_append_printf(d, "%s# %s\n# x x_text %s ci95\n", i ? "\n\n" : "", l->title,
				       ycol);
		for (guint j = 0; j < l->x->len; j++) {
			num(d, g_array_index(l->x, double, j));
			g_string_append_c(d, ' ');
			dat_string(d, l->xl->pdata[j]);
			g_string_append_c(d, ' ');
			num(d, g_array_index(l->y, double, j));
			g_string_append_c(d, ' ');
			num(d, g_array_index(l->ci, double, j));
			g_string_append_c(d, '\n');
		}
	}
}

static bool write_file(const char *dir, const char *name, const GString *text, GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);

	return outdir_write_file(path, text->str, (gssize)text->len, error);
}

/* NAME.dat, and NAME.gp: the settings, then the template plots/NAME.gp. */
static bool write_plot(const char *dir, const char *name, const GString *vars, const GString *dat,
		       GError **error)
{
	g_autofree char *tpath = datadir_find("plots", name, ".gp");
	g_autofree char *tmpl = NULL;
	g_autoptr(GError) e = NULL;

	if (!tpath || !g_file_get_contents(tpath, &tmpl, NULL, &e)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot read the plot template %s.gp in %s/plots: %s", name,
			    datadir_get(), e ? e->message : g_strerror(ENOENT));
		return false;
	}
	g_autoptr(GString) gp = g_string_new(NULL);
	g_autofree char *dname = g_strconcat(name, ".dat", NULL);
	g_autofree char *gname = g_strconcat(name, ".gp", NULL);

	g_string_append_printf(gp, "# %s.gp: written by accelsim plot.  The settings it chose,\n"
				   "# then the template %s; run 'gnuplot %s.gp' here to draw\n"
				   "# %s.png and %s.svg again.\n"
				   "reset session\n",
			       name, tpath, name, name, name);
	set_str(gp, "datafile", dname);
	set_str(gp, "out", name);
	g_string_append(gp, vars->str);
	g_string_append_printf(gp, "\n# ---- the template, %s ----\n", tpath);
	g_string_append(gp, tmpl);
	return write_file(dir, dname, dat, error) && write_file(dir, gname, gp, error);
}

/* ---- labels through the metric table ---- */

/* The unit as a plot shows it: µs for us. */
static const char *shown_unit(const char *u)
{
	return !strcmp(u, "us") ? "µs" : u;
}

/* "latency p99 (µs)" */
static char *metric_axis(const char *name, const struct run_result *r)
{
	const struct metric *m = metric_find(&metric_path, name);

	return g_strdup_printf("%s (%s)", metric_label(m, r), shown_unit(metric_unit(m, r)));
}

/* ---- what a sweep varies, on the x axis ---- */

struct xaxis {
	guint key;		/* the key on x */
	int group;		/* the key whose values are separate lines, -1: none */
	bool text;		/* x values are words: ticks from the text */
	bool log;		/* a geometric range: log x */
	double knee;		/* x where the normal path's drops begin, NAN */
	const char *kneelabel;	/* what the knee is, in words */
	char *label;		/* the axis label */
	const char *what;	/* what is on x, for titles: "offered load" */
};

/* Does key k take more than one value at one value of key x? Then the
 * points are a grid and k its other axis. */
static bool independent(const struct sweep_results *sr, guint x, guint k)
{
	for (guint i = 0; i < sr->points->len; i++)
		for (guint j = i + 1; j < sr->points->len; j++) {
			const struct sweep_point *a = sr->points->pdata[i], *b = sr->points->pdata[j];

			if (!strcmp(a->values[x], b->values[x]) && strcmp(a->values[k], b->values[k]))
				return true;
		}
	return false;
}

static void xaxis_init(const struct sweep_results *sr, struct xaxis *xa)
{
	const struct sweep_point *p0 = sr->points->pdata[0];
	const char *key = sr->keys[0];
	double lo = INFINITY, hi = -INFINITY;

	memset(xa, 0, sizeof(*xa));
	xa->group = -1;
	xa->knee = NAN;
	xa->kneelabel = "normal path's drops begin";
	for (guint k = g_strv_length(sr->keys); k-- > 1;)
		if (xa->group < 0 && independent(sr, 0, k))
			xa->group = (int)k;
	for (guint i = 0; i < sr->points->len; i++) {
		double v = sweep_point_number(sr->points->pdata[i], 0);

		xa->text = xa->text || !isfinite(v);
		lo = MIN(lo, v);
		hi = MAX(hi, v);
	}
	xa->log = !xa->text && lo > 0 && hi / lo >= 20;
	if (!strcmp(key, "load_pct")) {
		/* 100 % from a point's own rate: rate / (percent / 100) */
		const double pct = sweep_point_number(p0, 0);
		const double rate = sr->keys[1] ? sweep_point_number(p0, 1) : NAN;
		const char *unit = sr->keys[1] && !strcmp(sr->keys[1], "rate_rps") ? "requests/s"
											: "packets/s";
		char sat[32];

		metric_format(METRIC_FMT_RATE, rate / (pct / 100), false, sat, sizeof(sat));
		/* real mode's 100 % is the slower path's windowed-flood rate
		 * (real measure --rates), not a search for the drops */
		if (!g_strcmp0(p0->pooled->source, "measurement")) {
			xa->label = g_strdup_printf("offered load (%% of the slower path's saturation: "
						    "%s %s)", sat, unit);
			xa->kneelabel = "the slower path's saturation";
		} else {
			xa->label = g_strdup_printf("offered load (%% of where the normal path's drops "
						    "begin: %s %s)", sat, unit);
		}
		if (lo <= 100 && hi >= 100)
			xa->knee = 100;
		xa->what = "offered load";
	} else if (!strcmp(key, "rate_pps")) {
		xa->label = g_strdup("offered load (packets/s)");
		xa->what = "offered load";
	} else if (!strcmp(key, "rate_rps")) {
		xa->label = g_strdup("offered load (requests/s)");
		xa->what = "offered load";
	} else if (!strcmp(key, "rate_bps")) {
		xa->label = g_strdup("offered load (bit/s)");
		xa->what = "offered load";
	} else {
		xa->what = key;
		g_autofree char *ukey = g_strconcat(SWEEP_NOTE_UNIT, key, NULL);
		const char *unit = sweep_note(p0->runs->pdata[0], ukey);

		xa->label = unit && *unit ? g_strdup_printf("%s (%s)", key, unit) : g_strdup(key);
	}
}

/* A point in words for titles: "90 % load", "vswitch.cores=4"; rates
 * that only restate a percentage are left out. */
char *plot_point_name(const struct sweep_results *sr, const struct sweep_point *pt)
{
	GString *s = g_string_new(NULL);
	const bool pct = sr->keys[0] && !strcmp(sr->keys[0], "load_pct");

	if (!sweep_results_is_sweep(sr)) {
		g_string_append(s, pt->label);
		return g_string_free(s, FALSE);
	}
	for (guint k = 0; sr->keys[k]; k++) {
		const char *key = sr->keys[k];
		const double v = sweep_point_number(pt, k);
		char buf[32];

		if (s->len)
			g_string_append(s, ", ");
		if (!strcmp(key, "load_pct")) {
			g_string_append_printf(s, "%g %% load", v);
		} else if (g_str_has_prefix(key, "rate_")) {
			if (pct) {
				g_string_truncate(s, s->len - 2);
				continue;
			}
			metric_format(METRIC_FMT_RATE, v, false, buf, sizeof(buf));
			g_string_append_printf(s, "%s %s", buf,
					       !strcmp(key, "rate_rps")   ? "requests/s"
					       : !strcmp(key, "rate_bps") ? "bit/s"
									  : "packets/s");
		} else {
			g_string_append_printf(s, "%s=%s", key, pt->values[k]);
		}
	}
	return g_string_free(s, FALSE);
}

/* The points of a line: those with group value gv (all when no group). */
static bool in_group(const struct xaxis *xa, const struct sweep_point *pt, const char *gv)
{
	return xa->group < 0 || !strcmp(pt->values[xa->group], gv);
}

/* The distinct values of the group key, in order of appearance. */
static GPtrArray *group_values(const struct sweep_results *sr, const struct xaxis *xa)
{
	GPtrArray *out = g_ptr_array_new();

	if (xa->group < 0) {
		g_ptr_array_add(out, (gpointer) "");
		return out;
	}
	for (guint i = 0; i < sr->points->len; i++) {
		const char *v = ((struct sweep_point *)sr->points->pdata[i])->values[xa->group];
		bool seen = false;

		for (guint j = 0; j < out->len && !seen; j++)
			seen = !strcmp(out->pdata[j], v);
		if (!seen)
			g_ptr_array_add(out, (gpointer)v);
	}
	return out;
}

static double point_x(const struct xaxis *xa, const struct sweep_point *pt, guint i)
{
	return xa->text ? (double)i : sweep_point_number(pt, xa->key);
}

/* Common settings of an x-y plot. */
static void set_xy(GString *v, const struct xaxis *xa, const char *title, const char *ylab,
		   bool errorbars)
{
	set_str(v, "plottitle", title);
	set_str(v, "xlab", xa->label);
	set_str(v, "ylab", ylab);
	set_num(v, "errorbars", errorbars);
	set_num(v, "xlog", xa->log);
	set_num(v, "xtext", xa->text);
	set_num(v, "knee", xa->knee);
	set_str(v, "kneelabel", xa->kneelabel);
}

/* Line styles of path p in group g: colour by path, or with groups by
 * group and the path by dash and point. */
static const char *style_color(const struct xaxis *xa, int p, guint g)
{
	return xa->group < 0 ? path_color[p] : group_colors[g % G_N_ELEMENTS(group_colors)];
}

static char *line_title(const struct sweep_results *sr, const struct xaxis *xa, int p,
			const char *gv, const char *what)
{
	if (xa->group < 0)
		return g_strdup_printf("%s%s%s", path_name(p), *what ? " " : "", what);
	return g_strdup_printf("%s%s%s, %s=%s", path_name(p), *what ? " " : "", what,
			       sr->keys[xa->group], gv);
}

/* One line per path (and group) of figure name: its mean with the 95 %
 * interval. */
static void metric_lines(GPtrArray *lines, const struct sweep_results *sr,
			 const struct xaxis *xa, const char *name, const char *what, int dt,
			 int pt)
{
	const struct metric *m = metric_find(&metric_path, name);
	const size_t k = merge_metric_index(m);
	g_autoptr(GPtrArray) groups = group_values(sr, xa);

	for (guint g = 0; g < groups->len; g++)
		for (int p = 0; p < PATH_COUNT; p++) {
			g_autofree char *t = line_title(sr, xa, p, groups->pdata[g], what);
			/* the normal path's points hollow and larger (gnuplot's
			 * hollow shape is the filled one's number less one) */
			struct line *l = line_new(lines, style_color(xa, p, g),
						  xa->group < 0 ? dt : (p ? 1 : 2),
						  pt ? (p == PATH_NORMAL ? pt - 1 : pt) : path_point[p],
						  "%s", t);

			l->ps = path_point_size[p];

			for (guint i = 0; i < sr->points->len; i++) {
				const struct sweep_point *pt_ = sr->points->pdata[i];

				if (in_group(xa, pt_, groups->pdata[g]))
					line_add(l, point_x(xa, pt_, i), pt_->values[xa->key],
						 pt_->stats->mean[p][k], pt_->stats->half[p][k]);
			}
		}
}

static bool errorbars(const struct sweep_results *sr)
{
	for (guint i = 0; i < sr->points->len; i++)
		if (((struct sweep_point *)sr->points->pdata[i])->stats->n > 1)
			return true;
	return false;
}

/* A round step near x: 1, 2 or 5 times a power of ten. */
static double nice_step(double x)
{
	const double p = pow(10, floor(log10(x)));
	const double m = x / p;

	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* ---- the plots ---- */

static struct plot_made *made(GPtrArray *out, const char *name, const char *title,
			      const char *caption)
{
	struct plot_made *m = g_new0(struct plot_made, 1);

	m->name = g_strdup(name);
	m->title = g_strdup(title);
	m->caption = g_strdup(caption);
	g_ptr_array_add(out, m);
	return m;
}

static void made_free(struct plot_made *m)
{
	g_free(m->name);
	g_free(m->title);
	g_free(m->caption);
	g_free(m);
}

/* The y (or x) axis label of latencies measured as r says: "latency,
 * one-way rx (µs, log scale)".  Caller frees. */
static char *latency_axis(const struct run_result *r)
{
	const enum latency_kind kind = r->provenance ? r->provenance->latency : LATENCY_UNKNOWN;

	return g_strdup_printf("latency, %s (µs, log scale)", latency_kind_name(kind));
}

/* Move every line of from to the end of to (from is left empty). */
static void lines_take(GPtrArray *to, GPtrArray *from)
{
	for (guint i = 0; i < from->len; i++) {
		g_ptr_array_add(to, from->pdata[i]);
		from->pdata[i] = NULL;
	}
	g_ptr_array_set_free_func(from, NULL);
}

/* Plot name of lines against xa, titled title, with y axis ylab (error
 * bars when bars) and the lines' y values in data column ycol: its
 * variables and data into dir, and its entry into out with caption. */
static bool draw_xy(GPtrArray *lines, const struct xaxis *xa, const char *title,
		    const char *ylab, bool bars, const char *ycol, const char *dir,
		    const char *name, const char *caption, GPtrArray *out, GError **error)
{
	g_autoptr(GString) vars = g_string_new(NULL);
	g_autoptr(GString) dat = g_string_new(NULL);

	set_xy(vars, xa, title, ylab, bars);
	set_lines(vars, lines);
	dat_lines(dat, lines, ycol);
	if (!write_plot(dir, name, vars, dat, error))
		return false;
	made(out, name, title, caption);
	return true;
}

/* The point a sweep's CDF shows: the busiest one the normal path still
 * carries (at most 100 % load, or no drops), else the first. */
bool plot_point_carried(const struct sweep_results *sr, const struct sweep_point *pt)
{
	const struct path_result *n = &pt->pooled->paths[PATH_NORMAL];

	/* at 100 % itself the normal path's queues are filling */
	if (sr->keys[0] && !strcmp(sr->keys[0], "load_pct"))
		return sweep_point_number(pt, 0) < 100;
	return (double)n->dropped_packets <= 0.001 * (double)n->offered_packets;
}

const struct sweep_point *plot_reference_point(const struct sweep_results *sr)
{
	const struct sweep_point *best = sr->points->pdata[0];

	if (!sweep_results_is_sweep(sr))
		return best;
	for (guint i = 0; i < sr->points->len; i++)
		if (plot_point_carried(sr, sr->points->pdata[i]))
			best = sr->points->pdata[i];
	return best;
}

/* The percentiles a CDF shows, nines apart: from 0.5 % to 99.999 %,
 * finer in the tail. */
static GArray *cdf_percentiles(uint64_t n)
{
	GArray *ps = g_array_new(FALSE, FALSE, sizeof(double));

	for (double nines = 0.002; nines < 5.0001; nines += 0.02) {
		double p = 100 * (1 - pow(10, -nines));

		/* no rank beyond the packets there are */
		if (n && (1 - p / 100) * (double)n < 0.5)
			break;
		g_array_append_val(ps, p);
	}
	return ps;
}

static bool plot_cdf(const struct sweep_results *sr, const char *dir, GPtrArray *out,
		     GError **error)
{
	const struct sweep_point *ref = plot_reference_point(sr);
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);
	g_autoptr(GString) marks = g_string_new("# marks: latency_us nines label\n");
	g_autoptr(GString) vars = g_string_new(NULL);
	g_autoptr(GString) dat = g_string_new(NULL);
	const bool many = !sweep_results_is_sweep(sr) && sr->points->len > 1;
	g_autoptr(GString) caption = g_string_new(NULL);

	for (guint i = 0; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];

		if (pt != ref && !many)
			continue;
		for (int p = 0; p < PATH_COUNT; p++) {
			const struct path_result *pr = &pt->pooled->paths[p];
			const uint64_t n = stats_hist_count(pr->latency);
			g_autoptr(GArray) ps = cdf_percentiles(n);
			struct line *l = line_new(lines,
						  many ? group_colors[i % G_N_ELEMENTS(group_colors)]
						       : path_color[p],
						  p ? 1 : 2, path_point[p], "%s%s%s",
						  path_name(p), many ? ", " : "", many ? pt->label : "");

			if (!n)
				continue;
			for (guint j = 0; j < ps->len; j++) {
				double q = g_array_index(ps, double, j);

				line_add(l, stats_hist_percentile(pr->latency, q) / 1e3, "",
					 -log10(1 - q / 100), 0);
			}
			for (METRIC_EACH(m, &metric_path)) {
				if (m->pct != 50 && m->pct != 99 && m->pct != 99.9)
					continue;
				double v = metric_value(m, pr);
				char buf[32];

				if (!isfinite(v) || (1 - m->pct / 100) * (double)n < 1)
					continue;
				num(marks, v);
				g_string_append_c(marks, ' ');
				num(marks, -log10(1 - m->pct / 100));
				metric_format(m->fmt, v, false, buf, sizeof(buf));
				g_string_append_printf(marks, " \"%s %s µs\" %d\n",
						       strchr(m->label, 'p'), buf, p);
				if (!many)
					g_string_append_printf(caption, "%s%s %s %s µs", caption->len ? ", " : "",
							       path_name(p), strchr(m->label, 'p'), buf);
			}
		}
	}
	g_autofree char *where = plot_point_name(sr, ref);
	g_autofree char *title = sweep_results_is_sweep(sr)
					 ? g_strdup_printf("Latency distribution at %s", where)
					 : g_strdup("Latency distribution");
	g_autofree char *xlab = latency_axis(ref->pooled);
	set_str(vars, "plottitle", title);
	set_str(vars, "xlab", xlab);
	set_str(vars, "ylab", "percentile (packets at or below)");
	set_lines(vars, lines);
	/* marks follow the lines' blocks */
	set_num(vars, "marks", lines->len);
	dat_lines(dat, lines, "nines");
	g_string_append_printf(dat, "\n\n%s", marks->str);
	if (!write_plot(dir, "latency-cdf", vars, dat, error))
		return false;
	g_autofree char *cap = g_strdup_printf(
		"The share of packets delivered within each latency, for both paths; the y axis "
		"is spaced by nines, so the tail shows.%s%s%s",
		caption->len ? " Marked: " : "", caption->str, caption->len ? "." : "");
	made(out, "latency-cdf", title, cap);
	return true;
}

static bool plot_latency(const struct sweep_results *sr, const struct xaxis *xa, const char *dir,
			 GPtrArray *out, GError **error)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);
	static const struct {
		const char *name, *what;
		int dt, pt;
	} pcts[] = { { "latency_p50", "p50", 1, 7 }, { "latency_p99", "p99", 2, 5 },
		     { "latency_p999", "p99.9", 4, 9 } };
	const struct run_result *r = ((struct sweep_point *)sr->points->pdata[0])->pooled;

	for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++) {
		if (xa->group >= 0 && i != 1)
			continue;	/* a grid: p99 alone, or the lines crowd out */
		g_autoptr(GPtrArray) these = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);

		metric_lines(these, sr, xa, pcts[i].name, pcts[i].what, pcts[i].dt, pcts[i].pt);
		lines_take(lines, these);
	}
	g_autofree char *ylab = latency_axis(r);
	g_autofree char *title = g_strdup_printf("Latency percentiles against %s", xa->what);
	return draw_xy(lines, xa, title, ylab, errorbars(sr), "latency_us", dir,
		       "latency-vs-load",
		       "p50 (solid), p99 (dashed) and p99.9 (dash-dot) of each path, with the "
		       "95 % interval over the seeds as error bars where there are several.  "
		       "Where a queue saturates, its path's percentiles turn upwards: the knee.",
		       out, error);
}

/* The measured curve's p50 and p99 (points, as plot_latency() draws
 * them) and the prediction at each of its points (thin dashed lines). */
static bool plot_versus(const struct sweep_results *sr, struct run_result *const *predicted,
			const struct xaxis *xa, const char *dir, GPtrArray *out, GError **error)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);
	static const struct {
		const char *name, *what;
		int pt;
	} pcts[] = { { "latency_p50", "p50", 7 }, { "latency_p99", "p99", 5 } };
	const struct run_result *r = ((struct sweep_point *)sr->points->pdata[0])->pooled;

	for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++) {
		const struct metric *m = metric_find(&metric_path, pcts[i].name);
		g_autofree char *what = g_strdup_printf("%s measured", pcts[i].what);

		metric_lines(lines, sr, xa, pcts[i].name, what, 1, pcts[i].pt);
		for (int p = 0; p < PATH_COUNT; p++) {
			/* a dot (point type 0): the line is the prediction */
			struct line *l = line_new(lines, path_color[p], 2 + 2 * (int)i, 0,
						  "%s %s model", path_name(p), pcts[i].what);

			l->ps = 0.5;
			for (guint j = 0; j < sr->points->len; j++) {
				const struct sweep_point *pt = sr->points->pdata[j];

				line_add(l, point_x(xa, pt, j), pt->values[xa->key],
					 metric_value(m, &predicted[j]->paths[p]), NAN);
			}
		}
	}
	g_autofree char *ylab = latency_axis(r);
	g_autofree char *title = g_strdup_printf("Measured and predicted latency against %s",
						 xa->what);
	return draw_xy(lines, xa, title, ylab, false, "latency_us", dir, "latency-vs-load",
		       "p50 and p99 of each path as measured (solid, with points) and as the model "
		       "predicts them for the same traffic (dashed): where the lines leave the "
		       "points, the model is off.",
		       out, error);
}

static bool plot_throughput(const struct sweep_results *sr, const struct xaxis *xa,
			    const char *dir, GPtrArray *out, GError **error)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);
	g_autoptr(GPtrArray) drops = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);
	g_autoptr(GString) vars = g_string_new(NULL);
	g_autoptr(GString) dat = g_string_new(NULL);
	const struct metric *off = metric_find(&metric_path, "offered_pps");
	const struct run_result *r = ((struct sweep_point *)sr->points->pdata[0])->pooled;
	g_autoptr(GPtrArray) groups = group_values(sr, xa);

	for (guint g = 0; g < groups->len; g++) {
		g_autofree char *t = xa->group >= 0 ? g_strdup_printf("offered, %s=%s",
								      sr->keys[xa->group],
								      (char *)groups->pdata[g])
						    : g_strdup("offered");
		struct line *l = line_new(lines, "#555555", 3, 0, "%s", t);

		for (guint i = 0; i < sr->points->len; i++) {
			const struct sweep_point *pt = sr->points->pdata[i];

			if (in_group(xa, pt, groups->pdata[g]))
				line_add(l, point_x(xa, pt, i), pt->values[xa->key],
					 pt->stats->mean[PATH_NORMAL][merge_metric_index(off)], 0);
		}
	}
	metric_lines(lines, sr, xa, "delivered_pps", "delivered", 1, 0);
	for (guint g = 0; g < groups->len; g++)
		for (int p = 0; p < PATH_COUNT; p++) {
			g_autofree char *t = line_title(sr, xa, p, groups->pdata[g], "dropped");
			struct line *l = line_new(drops, style_color(xa, p, g), 2, p ? 9 : 8, "%s", t);

			l->ps = path_point_size[p];

			for (guint i = 0; i < sr->points->len; i++) {
				const struct sweep_point *pt = sr->points->pdata[i];
				const struct path_result *pr = &pt->pooled->paths[p];

				if (in_group(xa, pt, groups->pdata[g]))
					line_add(l, point_x(xa, pt, i), pt->values[xa->key],
						 pr->offered_packets
							 ? 100.0 * (double)pr->dropped_packets /
								   (double)pr->offered_packets
							 : NAN,
						 0);
			}
		}
	g_autofree char *ylab2 = g_strdup_printf("delivered (%s)", metric_unit(off, r));
	g_autofree char *title = g_strdup_printf("Delivered and dropped against %s", xa->what);
	set_xy(vars, xa, title, ylab2, errorbars(sr));
	set_str(vars, "y2lab", "dropped (% of offered)");
	set_num(vars, "ndrops", drops->len);
	lines_take(lines, drops);
	set_lines(vars, lines);
	dat_lines(dat, lines, "packets_per_s");
	if (!write_plot(dir, "throughput", vars, dat, error))
		return false;
	made(out, "throughput", title,
	     "Packets (or requests) per second each path delivers, against the load offered "
	     "(grey); the dashed lines with hollow points, on the right axis, are the share "
	     "of what was offered that each path dropped.");
	return true;
}

static bool plot_cpu(const struct sweep_results *sr, const struct xaxis *xa, const char *dir,
		     GPtrArray *out, GError **error)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);
	g_autoptr(GString) vars = g_string_new(NULL);
	g_autoptr(GString) dat = g_string_new(NULL);
	const struct metric *m = metric_find(&metric_path, "host_cpu_cores");
	const size_t k = merge_metric_index(m);
	const struct sweep_point *ref = plot_reference_point(sr);
	const struct run_result *r = ref->pooled;
	const double price = r->core_year_usd;

	metric_lines(lines, sr, xa, "host_cpu_cores", "", 1, 0);
	g_autofree char *ylab = metric_axis("host_cpu_cores", r);
	const struct metric_savings sv = metric_savings(r);
	g_autofree char *where = plot_point_name(sr, ref);
	g_autofree char *title =
		isfinite(sv.usd_per_year)
			? g_strdup_printf("Host CPU: %.3g cores saved at %s ($%.0f a year)", sv.cores,
					  where, sv.usd_per_year)
			: g_strdup_printf("Host CPU: %.3g cores saved at %s", sv.cores, where);
	set_xy(vars, xa, title, ylab, errorbars(sr));
	set_num(vars, "price", isfinite(price) ? price : NAN);
	/* dollar ticks at a round step: about five up the normal path's most */
	double most = 0;
	for (guint i = 0; i < sr->points->len; i++)
		most = MAX(most, ((struct sweep_point *)sr->points->pdata[i])->stats->mean[PATH_NORMAL][k]);
	set_num(vars, "y2step", isfinite(price) && most > 0 ? nice_step(most * price / 5) : NAN);
	set_lines(vars, lines);
	dat_lines(dat, lines, "cores");
	/* the band between the paths: the cores saved (no groups: one band) */
	if (xa->group < 0) {
		g_string_append(dat, "\n\n# cores saved: x x_text normal accelerated\n");
		for (guint i = 0; i < sr->points->len; i++) {
			const struct sweep_point *pt = sr->points->pdata[i];

			num(dat, point_x(xa, pt, i));
			g_string_append_c(dat, ' ');
			dat_string(dat, pt->values[xa->key]);
			g_string_append_c(dat, ' ');
			num(dat, pt->stats->mean[PATH_NORMAL][k]);
			g_string_append_c(dat, ' ');
			num(dat, pt->stats->mean[PATH_ACCEL][k]);
			g_string_append_c(dat, '\n');
		}
		set_num(vars, "band", 1);
	} else {
		set_num(vars, "band", 0);
	}
	if (!write_plot(dir, "host-cpu", vars, dat, error))
		return false;
	g_autofree char *cap = g_strdup_printf(
		"Host cores busy on networking (the vSwitch and the synthetic vNIC's copies) on "
		"each path; the shaded band between them is what accelerated networking saves%s.",
		isfinite(price) ? ", and the right axis what those cores are worth per host a "
				  "year"
				: "");
	made(out, "host-cpu", title, cap);
	return true;
}

static bool plot_jitter(const struct sweep_results *sr, const struct xaxis *xa, const char *dir,
			GPtrArray *out, GError **error)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)line_free);
	const struct run_result *r = ((struct sweep_point *)sr->points->pdata[0])->pooled;
	const struct metric *j1 = metric_find(&metric_path, "jitter_rfc3550");

	metric_lines(lines, sr, xa, "jitter_rfc3550", "RFC 3550 J", 1, 7);
	if (xa->group < 0)
		metric_lines(lines, sr, xa, "jitter_p99_minus_p50", "p99 - p50", 2, 9);
	g_autofree char *ylab = g_strdup_printf("jitter (%s, log scale)",
						shown_unit(metric_unit(j1, r)));
	g_autofree char *title = g_strdup_printf("Jitter against %s", xa->what);
	return draw_xy(lines, xa, title, ylab, errorbars(sr), "jitter_us", dir, "jitter",
		       "RFC 3550 interarrival jitter (the mean of its running estimate J over the "
		       "run; solid) and the spread between p99 and p50 latency (dashed, hollow "
		       "points) of each path.",
		       out, error);
}

/* A budget row's category: the stage it belongs to ("nic.rx: DMA write"
 * and "nic.tx" are both "nic"). */
static char *budget_category(const char *row)
{
	size_t n = strcspn(row, ".:");

	return g_strndup(row, n);
}

/* Stages in the order a received packet meets them, each with its own
 * colour in every budget plot (Okabe-Ito, and grey for the wire): the
 * vSwitch in the normal path's vermillion, the VF in the accelerated
 * path's blue. */
static const struct {
	const char *stage, *color;
} stage_colors[] = {
	{ "wire", "#999999" },	  { "nic", "#E69F00" },	  { "vf", "#0072B2" },
	{ "vswitch", "#D55E00" }, { "vnic", "#CC79A7" },  { "shaper", "#000000" },
	{ "guest", "#009E73" },	  { "app", "#56B4E9" },
};

static int stage_rank(const char *c)
{
	for (size_t i = 0; i < G_N_ELEMENTS(stage_colors); i++)
		if (!strcmp(stage_colors[i].stage, c))
			return (int)i;
	return (int)G_N_ELEMENTS(stage_colors);
}

static int compare_stage(gconstpointer a, gconstpointer b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int d = stage_rank(x) - stage_rank(y);

	return d ? d : strcmp(x, y);
}

/* Does the normal path of pt carry what it is offered (drops at most
 * 0.1 %)? */
static bool carries(const struct sweep_point *pt)
{
	const struct path_result *n = &pt->pooled->paths[PATH_NORMAL];

	return (double)n->dropped_packets <= 0.001 * (double)n->offered_packets;
}

static bool plot_budget(const struct sweep_results *sr, const char *dir, GPtrArray *out,
			GError **error)
{
	g_autoptr(GPtrArray) cats = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) vars = g_string_new(NULL);
	g_autoptr(GString) dat = g_string_new(NULL);
	const bool sweep = sweep_results_is_sweep(sr);
	const struct metric *total = metric_find(&metric_budget, "total");
	double top_all = 0, top_carried = 0;

	for (int p = 0; p < PATH_COUNT; p++)
		for (guint i = 0; i < sr->points->len; i++) {
			const GArray *b = ((struct sweep_point *)sr->points->pdata[i])
						  ->pooled->paths[p].budget;

			for (guint j = 0; j < b->len; j++) {
				g_autofree char *c =
					budget_category(g_array_index(b, struct budget_row, j).name);
				bool seen = false;

				for (guint k = 0; k < cats->len && !seen; k++)
					seen = !strcmp(cats->pdata[k], c);
				if (!seen)
					g_ptr_array_add(cats, g_steal_pointer(&c));
			}
		}
	if (!cats->len)
		return true;	/* no budget (a measurement): no plot */
	g_ptr_array_sort(cats, compare_stage);
	for (int p = 0; p < PATH_COUNT; p++) {
		g_string_append_printf(dat, "%s# %s: bar label, the mean us per packet in each of:",
				       p ? "\n\n" : "", path_name(p));
		for (guint k = 0; k < cats->len; k++)
			g_string_append_printf(dat, " %s", (char *)cats->pdata[k]);
		g_string_append(dat, ", and their total (the mean latency)\n");
		for (guint i = 0; i < sr->points->len; i++) {
			const struct sweep_point *pt = sr->points->pdata[i];
			const GArray *b = pt->pooled->paths[p].budget;
			g_autofree double *sum = g_new0(double, cats->len);
			double all = 0;

			for (guint j = 0; j < b->len; j++) {
				const struct budget_row *row = &g_array_index(b, struct budget_row, j);
				g_autofree char *c = budget_category(row->name);

				for (guint k = 0; k < cats->len; k++)
					if (!strcmp(cats->pdata[k], c))
						sum[k] += metric_value(total, row);
			}
			for (guint k = 0; k < cats->len; k++)
				all += sum[k];
			top_all = MAX(top_all, all);
			if (carries(pt))
				top_carried = MAX(top_carried, all);
			dat_string(dat, sweep ? pt->values[0]
					      : sr->points->len > 1 ? pt->label : path_name(p));
			for (guint k = 0; k < cats->len; k++) {
				g_string_append_c(dat, ' ');
				num(dat, sum[k]);
			}
			g_string_append_c(dat, ' ');
			num(dat, all);
			g_string_append_c(dat, '\n');
		}
	}
	g_string_append_printf(vars, "ncat = %u\narray cats[%u]\narray catcolors[%u]\n", cats->len,
			       cats->len, cats->len);
	for (guint k = 0; k < cats->len; k++) {
		int r = stage_rank(cats->pdata[k]);

		g_string_append_printf(vars, "cats[%u] = ", k + 1);
		gp_string(vars, cats->pdata[k]);
		g_string_append_printf(vars, "; catcolors[%u] = '%s'\n", k + 1,
				       r < (int)G_N_ELEMENTS(stage_colors) ? stage_colors[r].color
									  : "#F0E442");
	}
	const struct run_result *r = ((struct sweep_point *)sr->points->pdata[0])->pooled;
	const enum latency_kind kind = r->provenance ? r->provenance->latency : LATENCY_UNKNOWN;
	g_autofree char *ylab = g_strdup_printf("mean latency, %s (µs)", latency_kind_name(kind));
	struct xaxis xa = { 0 };
	if (sweep)
		xaxis_init(sr, &xa);
	set_str(vars, "plottitle", "Where the latency goes");
	set_str(vars, "ylab", ylab);
	set_str(vars, "xlab", sweep ? xa.label : "");
	g_free(xa.label);
	set_num(vars, "nbars", sr->points->len);
	/* bars of saturated points can dwarf the rest: clip them (their
	 * totals are written on top) at 1.3 times the tallest bar of a point
	 * the normal path carries */
	set_num(vars, "ymax", sweep && top_carried > 0 && top_all > 2 * top_carried
				      ? 1.3 * top_carried
				      : NAN);
	if (!write_plot(dir, "latency-budget", vars, dat, error))
		return false;
	made(out, "latency-budget", "Where the latency goes",
	     "The mean latency of each path split by the stage where packets spent it (queue "
	     "wait, wake-up and service, and the delays after service, such as DMA and "
	     "propagation); each bar adds up to its path's mean latency, written on top.  A "
	     "bar cut off at the top is taller than the axis: its total says by how much.");
	return true;
}

/* Timed events of r's scenario, from its effective configuration
 * ("event NAME.at", "event NAME.action"), as gnuplot arrays. */
static void set_events(GString *v, const struct run_result *r)
{
	const struct provenance *pv = r->provenance;
	g_autoptr(GString) at = g_string_new(NULL);
	g_autoptr(GString) names = g_string_new(NULL);
	guint n = 0;

	for (guint i = 0; pv && i < pv->keys->len; i++) {
		const char *k = pv->keys->pdata[i];
		double t;

		if (!g_str_has_prefix(k, "event ") || !g_str_has_suffix(k, ".at") ||
		    !units_parse_kind(pv->values->pdata[i], UNIT_TIME, &t, NULL))
			continue;
		g_autofree char *group = g_strndup(k, strlen(k) - 3);
		g_autofree char *akey = g_strconcat(group, ".action", NULL);
		const char *action = NULL;

		for (guint j = 0; j < pv->keys->len; j++)
			if (!strcmp(pv->keys->pdata[j], akey))
				action = pv->values->pdata[j];
		n++;
		g_string_append_printf(at, "evt[%u] = ", n);
		num(at, t);
		g_string_append_c(at, '\n');
		g_string_append_printf(names, "evname[%u] = ", n);
		gp_string(names, action ? action : group + 6);
		g_string_append_c(names, '\n');
	}
	g_string_append_printf(v, "nev = %u\narray evt[%u]\narray evname[%u]\n%s%s", n, MAX(n, 1),
			       MAX(n, 1), at->str, names->str);
}

/* The figures of each interval the time series draws, in its columns
 * after the time: throughput, the latency percentiles, host CPU. */
static const char *const series_cols[] = { "delivered_pps", "latency_p50", "latency_p99",
					   "host_cpu_cores" };

static bool plot_series(const struct sweep_results *sr, const char *dir, GPtrArray *out,
			GError **error)
{
	const struct sweep_point *ref = plot_reference_point(sr);
	const struct run_result *r = ref->pooled;
	g_autoptr(GString) vars = g_string_new(NULL);
	g_autoptr(GString) dat = g_string_new(NULL);
	const struct metric *m[G_N_ELEMENTS(series_cols)];
	double warm = NAN;

	if (!r->paths[PATH_NORMAL].series->len && !r->paths[PATH_ACCEL].series->len)
		return true;
	for (size_t c = 0; c < G_N_ELEMENTS(series_cols); c++)
		m[c] = metric_find(&metric_interval, series_cols[c]);
	/* series times count from the end of the warm-up; events from the start */
	for (guint i = 0; r->provenance && i < r->provenance->keys->len; i++)
		if (!strcmp(r->provenance->keys->pdata[i], "scenario.warmup"))
			units_parse_kind(r->provenance->values->pdata[i], UNIT_TIME, &warm, NULL);
	for (int p = 0; p < PATH_COUNT; p++) {
		const GArray *se = r->paths[p].series;

		g_string_append_printf(dat, "%s# %s: t_s (mid-interval, from the start)",
				       p ? "\n\n" : "", path_name(p));
		for (size_t c = 0; c < G_N_ELEMENTS(series_cols); c++)
			g_string_append_printf(dat, " %s", m[c]->name);
		g_string_append_c(dat, '\n');
		for (guint i = 0; i < se->len; i++) {
			const struct interval_row *iv = &g_array_index(se, struct interval_row, i);

			num(dat, (iv->t0_s + iv->t1_s) / 2 + (isfinite(warm) ? warm : 0));
			for (size_t c = 0; c < G_N_ELEMENTS(series_cols); c++) {
				g_string_append_c(dat, ' ');
				num(dat, metric_value(m[c], iv));
			}
			g_string_append_c(dat, '\n');
		}
	}
	g_autofree char *where = plot_point_name(sr, ref);
	char len[32] = "";
	if (r->interval_s > 0)
		units_format(r->interval_s, UNIT_TIME, len, sizeof(len));
	g_autofree char *each = *len ? g_strdup_printf(", per %s", len) : g_strdup("");
	g_autofree char *title = sweep_results_is_sweep(sr)
					 ? g_strdup_printf("Over time at %s%s", where, each)
					 : g_strdup_printf("Over time%s", each);
	g_autofree char *y1 = g_strdup_printf("delivered (%s)", metric_unit(m[0], r));
	g_autofree char *y2 = g_strdup_printf("latency (%s, log scale)",
					      shown_unit(metric_unit(m[2], r)));
	g_autofree char *y3 = g_strdup_printf("%s (%s)", metric_label(m[3], r),
					      metric_unit(m[3], r));
	set_str(vars, "plottitle", title);
	set_str(vars, "ylab1", y1);
	set_str(vars, "ylab2", y2);
	set_str(vars, "ylab3", y3);
	set_events(vars, r);
	if (!write_plot(dir, "time-series", vars, dat, error))
		return false;
	made(out, "time-series", title,
	     "Each interval of the run, both paths: delivered throughput (top), latency p50 "
	     "(thin) and p99 (thick, log scale), and the host cores busy on networking "
	     "(bottom).  The scenario's timed events are marked: from a vf_remove until "
	     "vf_add the accelerated path's traffic goes through the vSwitch, and its "
	     "latency and host CPU rise to the normal path's.");
	return true;
}

/* ---- running gnuplot ---- */

char *plot_gnuplot_path(void)
{
	const char *env = g_getenv("GNUPLOT");

	if (env && *env)
		return g_find_program_in_path(env);
	return g_find_program_in_path("gnuplot");
}

static bool run_gnuplot(const char *dir, GPtrArray *plots, GError **error)
{
	g_autofree char *gp = plot_gnuplot_path();
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GSubprocessLauncher) l = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autofree char *err_text = NULL;
	g_autoptr(GError) e = NULL;

	if (!gp) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "cannot run gnuplot: %s is not in PATH; install the Debian package "
			    "gnuplot-nox (or gnuplot), or set GNUPLOT to the program",
			    g_getenv("GNUPLOT") ? g_getenv("GNUPLOT") : "gnuplot");
		return false;
	}
	g_ptr_array_add(argv, g_strdup(gp));
	for (guint i = 0; i < plots->len; i++)
		g_ptr_array_add(argv,
				g_strconcat(((struct plot_made *)plots->pdata[i])->name, ".gp", NULL));
	g_ptr_array_add(argv, NULL);
	l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
				      G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_cwd(l, dir);
	proc = g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &e);
	if (!proc || !g_subprocess_communicate_utf8(proc, NULL, NULL, NULL, &err_text, &e)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot run gnuplot: %s",
			    e->message);
		return false;
	}
	if (!g_subprocess_get_if_exited(proc) || g_subprocess_get_exit_status(proc) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "gnuplot failed in %s: %s",
			    dir, err_text && *err_text ? g_strstrip(err_text) : "no message");
		return false;
	}
	return true;
}

/* dir made if need be, and a gnuplot there to draw into it; FALSE and
 * run_gnuplot()'s error when there is none. */
static bool dir_ready(const char *dir, GPtrArray *out, GError **error)
{
	if (g_mkdir_with_parents(dir, 0777) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s",
			    dir, g_strerror(errno));
		return false;
	}
	g_autofree char *gp = plot_gnuplot_path();
	if (!gp) {
		run_gnuplot(dir, out, error);
		return false;
	}
	return true;
}

GPtrArray *plot_write_versus(const struct sweep_results *sr, struct run_result *const *predicted,
			     const char *dir, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)made_free);
	struct xaxis xa;
	bool ok;

	g_assert(sweep_results_is_sweep(sr));
	if (!dir_ready(dir, out, error))
		return NULL;
	xaxis_init(sr, &xa);
	ok = plot_versus(sr, predicted, &xa, dir, out, error);
	g_free(xa.label);
	if (!ok || !run_gnuplot(dir, out, error))
		return NULL;
	return g_steal_pointer(&out);
}

GPtrArray *plot_write(const struct sweep_results *sr, const char *dir, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)made_free);

	/* before writing anything: is there a gnuplot at all? */
	if (!dir_ready(dir, out, error))
		return NULL;
	if (!plot_cdf(sr, dir, out, error))
		return NULL;
	if (sweep_results_is_sweep(sr) && sr->points->len > 1) {
		struct xaxis xa;
		bool ok;

		xaxis_init(sr, &xa);
		ok = plot_latency(sr, &xa, dir, out, error) && plot_throughput(sr, &xa, dir, out, error) &&
		     plot_cpu(sr, &xa, dir, out, error) && plot_jitter(sr, &xa, dir, out, error);
		g_free(xa.label);
		if (!ok)
			return NULL;
	}
	if (!plot_budget(sr, dir, out, error) || !plot_series(sr, dir, out, error))
		return NULL;
	if (!run_gnuplot(dir, out, error))
		return NULL;
	return g_steal_pointer(&out);
}
