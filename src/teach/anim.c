/* anim.c: the animated packet walk (see anim.h).
 *
 * The C side lays out the boxes and writes the SVG that does not move,
 * with a tooltip per stage listing each followed packet's times there;
 * the packets' steps go into a JSON block in microseconds from the first
 * birth, and a short script places each packet for the time on the
 * slider: in front of a box while it queues (hollow while it waits for
 * its wake-up), inside while it is served, on the arrow during the delay
 * after service, in the tray at the end once delivered, a cross where it
 * was dropped.
 *
 * Layout: per path, the boxes of the route the traffic starts on (and of
 * its response) in a row, left to right; stages only other routes visit
 * (the vSwitch a diverted packet goes through) in a second row below,
 * under the box they branch from.  A box is a stage in one direction: on
 * a request/response path the guest has a box for the request and one
 * for the response.  Colours: Okabe-Ito, as the Mermaid diagrams;
 * packets dark with a white number, so they show on every box colour.
 */
#include "teach/anim.h"

#include <math.h>
#include <string.h>

#include "model/component.h"
#include "teach/tracetext.h"

#define BOX_W 112.0
#define BOX_H 60.0
#define COL_W 156.0
#define COL_W_WIDE 140.0	/* ... in a drawing of more than WIDE_COLS columns */
#define WIDE_COLS 7
#define ROW_H 118.0
#define MARGIN 40.0
#define PATH_H 320.0	/* height of a path's drawing with a second row */
#define PATH_H1 214.0	/* ... with one row */
#define TRAY_W 200.0	/* the delivered tray after the last column */
#define TRAY_W_WIDE 176.0

struct abox {
	unsigned stage;
	enum comp_dir dir;
	double col;
	int row;
	double x, y;		/* top left, in the page's SVG coordinates */
};

struct aarrow {
	int from, to;		/* box indexes */
	bool dashed;		/* not on the route traffic starts on */
	bool divert;
};

struct apath {
	enum path_id path;
	const struct pipeline *pl;
	GArray *boxes;		/* struct abox */
	GArray *arrows;		/* struct aarrow */
	double top;		/* y of its drawing */
	double width, height;
	double cols;		/* columns of its widest row */
	/* A drawing of many columns (a request and its response) shrinks to
	 * the page's width: its columns closer, its tray narrower and its
	 * small type larger keep it readable on a projector. */
	bool wide;
};

static double col_w(const struct apath *ap)
{
	return ap->wide ? COL_W_WIDE : COL_W;
}

static double tray_w(const struct apath *ap)
{
	return ap->wide ? TRAY_W_WIDE : TRAY_W;
}

static int box_find(const struct apath *ap, unsigned stage, enum comp_dir dir)
{
	for (guint i = 0; i < ap->boxes->len; i++) {
		const struct abox *b = &g_array_index(ap->boxes, struct abox, i);

		if (b->stage == stage && b->dir == dir)
			return (int)i;
	}
	return -1;
}

static bool box_taken(const struct apath *ap, int row, double col)
{
	for (guint i = 0; i < ap->boxes->len; i++) {
		const struct abox *b = &g_array_index(ap->boxes, struct abox, i);

		if (b->row == row && fabs(b->col - col) < 0.75)
			return true;
	}
	return false;
}

static int box_add(struct apath *ap, unsigned stage, enum comp_dir dir, int row, double col)
{
	int i = box_find(ap, stage, dir);

	if (i >= 0)
		return i;
	while (box_taken(ap, row, col))
		col += 1;
	struct abox b = { stage, dir, col, row, 0, 0 };

	g_array_append_val(ap->boxes, b);
	return (int)ap->boxes->len - 1;
}

static void arrow_add(struct apath *ap, int from, int to, bool dashed, bool divert)
{
	if (from < 0 || to < 0 || from == to)
		return;
	for (guint i = 0; i < ap->arrows->len; i++) {
		struct aarrow *a = &g_array_index(ap->arrows, struct aarrow, i);

		if (a->from == from && a->to == to) {
			a->dashed &= dashed;
			a->divert |= divert;
			return;
		}
	}
	struct aarrow a = { from, to, dashed, divert };

	g_array_append_val(ap->arrows, a);
}

/* The main row: route ri's hops and its response's, left to right. */
static void lay_main(struct apath *ap, int ri)
{
	double col = 0;

	while (ri >= 0) {
		const struct route *r = ap->pl->routes->pdata[ri];

		for (unsigned h = 0; h < r->n; h++)
			if (box_find(ap, r->hops[h].stage, r->hops[h].dir) < 0)
				box_add(ap, r->hops[h].stage, r->hops[h].dir, 0, col++);
		ri = r->end == END_RESPOND ? r->next_route : -1;
	}
}

/* Boxes and arrows of route ri and of every route it may continue on;
 * main: ri is on the main row. */
static void lay_route(struct apath *ap, int ri, bool main, bool *seen)
{
	if (ri < 0 || seen[ri])
		return;
	seen[ri] = true;
	const struct route *r = ap->pl->routes->pdata[ri];
	int prev = -1;

	for (unsigned h = 0; h < r->n; h++) {
		int b = box_find(ap, r->hops[h].stage, r->hops[h].dir);

		if (b < 0) {
			const struct abox *pb = prev >= 0 ? &g_array_index(ap->boxes, struct abox, prev)
							  : NULL;
			double col = pb ? pb->col + (pb->row ? 1 : 0.5) : 0;

			b = box_add(ap, r->hops[h].stage, r->hops[h].dir, 1, col);
		}
		arrow_add(ap, prev, b, !main, false);
		prev = b;
	}
	/* the response first: on the main row, its arrows solid, before a
	 * diversion's route reaches it too */
	if (r->end == END_RESPOND) {
		const struct route *nr = ap->pl->routes->pdata[r->next_route];

		lay_route(ap, r->next_route, main, seen);
		arrow_add(ap, box_find(ap, r->hops[r->n - 1].stage, r->hops[r->n - 1].dir),
			  box_find(ap, nr->hops[0].stage, nr->hops[0].dir), !main, false);
	}
	for (unsigned h = 0; h < r->n; h++) {
		const struct hop *hp = &r->hops[h];

		if (hp->alt_route < 0)
			continue;
		lay_route(ap, hp->alt_route, false, seen);
		const struct route *ra = ap->pl->routes->pdata[hp->alt_route];
		if (hp->alt_hop < ra->n)
			arrow_add(ap, box_find(ap, hp->stage, hp->dir),
				  box_find(ap, ra->hops[hp->alt_hop].stage, ra->hops[hp->alt_hop].dir),
				  true, true);
	}
}

/* The boxes of the routes VM vm's traffic takes. */
static void lay_out(struct apath *ap, const struct scenario *s, unsigned vm)
{
	g_autofree bool *seen = g_new0(bool, ap->pl->routes->len);
	bool first = true;

	ap->boxes = g_array_new(FALSE, FALSE, sizeof(struct abox));
	ap->arrows = g_array_new(FALSE, FALSE, sizeof(struct aarrow));
	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);
		int ri = pipeline_vm_route(ap->pl, traffic_route_kind(t), vm);

		if (t->vm != TVM_SELF || t->vm_index != vm || ri < 0)
			continue;
		if (first)
			lay_main(ap, ri);
		lay_route(ap, ri, first, seen);
		first = false;
	}
	ap->cols = 0;
	ap->height = PATH_H1;
	for (guint i = 0; i < ap->boxes->len; i++) {
		const struct abox *b = &g_array_index(ap->boxes, struct abox, i);

		ap->cols = MAX(ap->cols, b->col + 1);
		if (b->row > 0)
			ap->height = PATH_H;
	}
}

/* The boxes' places, once top and wide are known. */
static void place(struct apath *ap)
{
	for (guint i = 0; i < ap->boxes->len; i++) {
		struct abox *b = &g_array_index(ap->boxes, struct abox, i);

		b->x = MARGIN + 40 + b->col * col_w(ap);
		b->y = ap->top + 72 + b->row * ROW_H;
	}
	ap->width = MARGIN + 40 + (ap->cols - 1) * col_w(ap) + BOX_W + tray_w(ap);
}

static void apath_clear(struct apath *ap)
{
	if (ap->boxes)
		g_array_unref(ap->boxes);
	if (ap->arrows)
		g_array_unref(ap->arrows);
}

/* The box of a step: its stage in the direction of its hop. */
static int step_box(const struct apath *ap, const struct follow_step *st)
{
	const struct route *r = ap->pl->routes->pdata[st->route_index];
	const struct hop *h = &r->hops[MIN(st->hop, r->n - 1)];
	int b = box_find(ap, h->stage, h->dir);

	/* a route the layout did not reach: any box of the stage */
	for (guint i = 0; b < 0 && i < ap->boxes->len; i++)
		if (g_array_index(ap->boxes, struct abox, i).stage == h->stage)
			b = (int)i;
	return b;
}

/* ---- output helpers ---- */

/* s with the characters HTML (and a JSON string inside <script>) must not
 * hold raw escaped. */
static void put_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static void put_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* ticks of 10 ns as "12.34" */
static const char *us(long long t, char *buf, size_t len)
{
	long long a = t < 0 ? -t : t;

	snprintf(buf, len, "%s%lld.%02lld", t < 0 ? "-" : "", a / 100, a % 100);
	return buf;
}

static const char *box_class(const struct stage *st)
{
	return st->place == PLACE_HOST ? "host" : st->place == PLACE_GUEST ? "guest" : "hw";
}

/* ---- the static drawing ---- */

/* Where the line between the centres of a and b leaves a. */
static void border_point(const struct abox *a, const struct abox *b, double *x, double *y)
{
	double cx = a->x + BOX_W / 2, cy = a->y + BOX_H / 2;
	double dx = b->x + BOX_W / 2 - cx, dy = b->y + BOX_H / 2 - cy;
	double sx = dx != 0 ? (BOX_W / 2) / fabs(dx) : INFINITY;
	double sy = dy != 0 ? (BOX_H / 2) / fabs(dy) : INFINITY;
	double s = MIN(sx, sy);

	*x = cx + dx * s;
	*y = cy + dy * s;
}

/* The tooltip of a box: each followed packet's times there. */
static void box_tooltip(FILE *f, const struct apath *ap, int bi, const struct follow *fl)
{
	const struct abox *b = &g_array_index(ap->boxes, struct abox, bi);
	const struct stage *st = ap->pl->stages->pdata[b->stage];
	char q[32], w[32], s[32], d[32], on[32];

	fprintf(f, "<title>%s (%s, %s)", st->name, b->dir == DIR_RX ? "receive" : "send",
		st->runs_on);
	for (unsigned i = 0; i < follow_count(fl, ap->path); i++) {
		const struct follow_pkt *fp = follow_get(fl, ap->path, i);

		for (guint k = 0; k < fp->steps->len; k++) {
			const struct follow_step *x = &g_array_index(fp->steps, struct follow_step, k);

			if (step_box(ap, x) != bi)
				continue;
			if (x->kind == FOLLOW_DROP) {
				fprintf(f, "\npacket %u: dropped, its queue was full", i + 1);
				continue;
			}
			if (x->kind != FOLLOW_STAGE)
				continue;
			trace_resource(x, on, sizeof(on));
			fprintf(f, "\npacket %u: queue %s, wake-up %s, service %s, delay %s \u00b5s; %s", i + 1,
				us(trace_ticks(x->ready, x->arrive), q, sizeof(q)),
				us(trace_ticks(x->start, x->ready), w, sizeof(w)),
				us(trace_ticks(x->end, x->start), s, sizeof(s)),
				us(trace_ticks(x->end + x->delay, x->end), d, sizeof(d)), on);
			if (x->batch > 1)
				fprintf(f, ", batch of %u", x->batch);
			if (x->cycles > 0)
				fprintf(f, ", %.0f cycles", x->cycles);
		}
	}
	fputs("</title>", f);
}

static void draw_path(FILE *f, const struct apath *ap, const struct follow *fl, const char *px)
{
	const char *title = ap->path == PATH_NORMAL
				    ? "normal path: every packet through the host's vSwitch"
				    : "accelerated path: SR-IOV VF, straight into the VM";

	fprintf(f, "<g class=\"%s-path %s-%s\">\n", px, px, path_name(ap->path));
	fprintf(f, "<rect class=\"%s-band\" x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" rx=\"10\"/>\n",
		px, MARGIN / 2, ap->top, ap->width - MARGIN / 2, ap->height - 16);
	fprintf(f, "<text class=\"%s-ptitle\" x=\"%g\" y=\"%g\">", px, MARGIN, ap->top + 30);
	put_text(f, title);
	fputs("</text>\n", f);
	for (guint i = 0; i < ap->arrows->len; i++) {
		const struct aarrow *a = &g_array_index(ap->arrows, struct aarrow, i);
		const struct abox *fa = &g_array_index(ap->boxes, struct abox, a->from);
		const struct abox *ta = &g_array_index(ap->boxes, struct abox, a->to);
		double x1, y1, x2, y2;

		border_point(fa, ta, &x1, &y1);
		border_point(ta, fa, &x2, &y2);
		fprintf(f, "<line class=\"%s-arrow%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			   "y2=\"%.1f\" marker-end=\"url(#%s-head)\"/>\n",
			px, a->dashed ? " dashed" : "", x1, y1, x2, y2, px);
		if (a->divert)
			fprintf(f, "<text class=\"%s-note\" x=\"%.1f\" y=\"%.1f\">detour</text>\n", px,
				(x1 + x2) / 2 + 6, (y1 + y2) / 2);
	}
	for (guint i = 0; i < ap->boxes->len; i++) {
		const struct abox *b = &g_array_index(ap->boxes, struct abox, i);
		const struct stage *st = ap->pl->stages->pdata[b->stage];

		fprintf(f, "<g class=\"%s-box %s\">", px, box_class(st));
		box_tooltip(f, ap, (int)i, fl);
		fprintf(f, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" rx=\"6\"/>", b->x, b->y,
			BOX_W, BOX_H);
		fprintf(f, "<text x=\"%g\" y=\"%g\">", b->x + BOX_W / 2, b->y + 24);
		put_text(f, st->name);
		fprintf(f, "</text><text class=\"%s-sub\" x=\"%g\" y=\"%g\">", px, b->x + BOX_W / 2,
			b->y + 46);
		put_text(f, st->runs_on);
		fputs("</text></g>\n", f);
	}
	fprintf(f, "<text class=\"%s-note\" x=\"%g\" y=\"%g\">delivered</text>\n", px,
		ap->width - tray_w(ap) + 30, ap->top + 50);
	fprintf(f, "<text class=\"%s-count\" id=\"%s-count-%d\" x=\"%g\" y=\"%g\"></text>\n", px,
		px, ap->path, ap->width - tray_w(ap) + 30, ap->top + ap->height - 36);
	fputs("</g>\n", f);
}

/* Model time to animation time: a packet's walk plays at the same pace
 * as any other's, but a long quiet spell between walks (a flow's packets
 * a hundred milliseconds apart) would leave the page still for most of
 * its run; such a gap plays in a short pause instead.  Knots (animation
 * position, model time), both in us from the first birth, piecewise
 * linear between them. */
struct knot {
	double u, t;
};

static gint by_start(gconstpointer a, gconstpointer b)
{
	const double *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static GArray *time_knots(const struct follow *fl, double t0, double t1)
{
	g_autoptr(GArray) iv = g_array_new(FALSE, FALSE, sizeof(double[2]));
	GArray *k = g_array_new(FALSE, FALSE, sizeof(struct knot));
	double busy = 0, pause, u = 0, prev_end;

	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned i = 0; i < follow_count(fl, p); i++) {
			const struct follow_pkt *fp = follow_get(fl, p, i);
			double x[2] = { (fp->born - t0) * 1e6, (fp->born - t0) * 1e6 };

			for (guint s = 0; s < fp->steps->len; s++) {
				const struct follow_step *st =
					&g_array_index(fp->steps, struct follow_step, s);

				x[1] = MAX(x[1], (st->end + st->delay - t0) * 1e6);
			}
			if (fp->fate != FOLLOW_IN_FLIGHT)
				x[1] = MAX(x[1], (fp->done - t0) * 1e6);
			g_array_append_val(iv, x);
		}
	g_array_sort(iv, by_start);
	/* merge, and measure the time something moves */
	g_autoptr(GArray) m = g_array_new(FALSE, FALSE, sizeof(double[2]));
	for (guint i = 0; i < iv->len; i++) {
		double *x = &g_array_index(iv, double, 2 * i);

		if (m->len && x[0] <= g_array_index(m, double, 2 * m->len - 1)) {
			double *e = &g_array_index(m, double, 2 * m->len - 1);

			*e = MAX(*e, x[1]);
		} else {
			g_array_append_vals(m, x, 1);
		}
	}
	for (guint i = 0; i < m->len; i++)
		busy += g_array_index(m, double, 2 * i + 1) - g_array_index(m, double, 2 * i);
	pause = MAX(busy * 0.05, 0.5);
	struct knot first = { 0, 0 };
	g_array_append_val(k, first);
	prev_end = m->len ? g_array_index(m, double, 0) : 0;
	for (guint i = 0; i < m->len; i++) {
		const double a = g_array_index(m, double, 2 * i), b = g_array_index(m, double, 2 * i + 1);

		if (a - prev_end > pause) {
			struct knot k0 = { u + 0, prev_end }, k1 = { u + pause, a };

			if (k0.u > 0)
				g_array_append_val(k, k0);
			g_array_append_val(k, k1);
			u += pause;
		} else {
			u += a - prev_end;
		}
		u += b - a;
		prev_end = b;
	}
	struct knot last = { u + ((t1 - t0) * 1e6 - prev_end), (t1 - t0) * 1e6 };
	if (last.u <= g_array_index(k, struct knot, k->len - 1).u)
		last.u = g_array_index(k, struct knot, k->len - 1).u + 1e-3;
	g_array_append_val(k, last);
	return k;
}

/* ---- the data the script reads ---- */

static void put_steps(FILE *f, const struct apath *ap, const struct follow_pkt *fp, double t0)
{
	bool first = true;

	fputs("[", f);
	for (guint k = 0; k < fp->steps->len; k++) {
		const struct follow_step *x = &g_array_index(fp->steps, struct follow_step, k);

		if (x->kind != FOLLOW_STAGE && x->kind != FOLLOW_DROP)
			continue;
		fprintf(f, "%s[%d,%.4f,%.4f,%.4f,%.4f,%.4f]", first ? "" : ",", step_box(ap, x),
			(x->arrive - t0) * 1e6, (x->ready - t0) * 1e6, (x->start - t0) * 1e6,
			(x->end - t0) * 1e6, (x->end + x->delay - t0) * 1e6);
		first = false;
	}
	fputs("]", f);
}

/* Events the page lists as they happen: diversions, responses, drops,
 * deliveries. */
static void put_events(FILE *f, const struct apath *ap, const struct follow_pkt *fp, unsigned n,
		       double t0, const struct scenario *s, bool *first)
{
	char buf[32];

	for (guint k = 0; k < fp->steps->len; k++) {
		const struct follow_step *x = &g_array_index(fp->steps, struct follow_step, k);
		g_autofree char *text = NULL;

		if (x->kind == FOLLOW_DIVERT)
			text = g_strdup_printf("%s packet %u diverted to %s: %s", path_name(ap->path), n,
					       g_str_has_suffix(x->to_route, ".synthetic")
						       ? "the synthetic vNIC" : "the vSwitch",
					       trace_divert_reason(s, fp, x));
		else if (x->kind == FOLLOW_RESPOND)
			text = g_strdup_printf("%s packet %u reached the application: the response "
					       "goes back", path_name(ap->path), n);
		else if (x->kind == FOLLOW_DROP)
			text = g_strdup_printf("%s packet %u DROPPED at %s: its queue was full",
					       path_name(ap->path), n, x->stage);
		else
			continue;
		fprintf(f, "%s[%.4f,", *first ? "" : ",", (x->end - t0) * 1e6);
		put_json_string(f, text);
		fputs("]", f);
		*first = false;
	}
	if (fp->fate == FOLLOW_DELIVERED) {
		g_autofree char *text = g_strdup_printf(
			"%s packet %u delivered: latency %s \u00b5s", path_name(ap->path), n,
			us(trace_ticks(fp->done, follow_t0(fp)), buf, sizeof(buf)));

		fprintf(f, "%s[%.4f,", *first ? "" : ",", (fp->done - t0) * 1e6);
		put_json_string(f, text);
		fputs("]", f);
		*first = false;
	}
}

static void put_data(FILE *f, const struct apath ap[PATH_COUNT], const struct follow *fl,
		     const struct scenario *s, double t0, double t1)
{
	char buf[32];
	bool first_ev = true;

	g_autoptr(GArray) knots = time_knots(fl, t0, t1);

	fprintf(f, "{\"span\":%.4f,\"knots\":[", (t1 - t0) * 1e6);
	for (guint i = 0; i < knots->len; i++)
		fprintf(f, "%s[%.4f,%.4f]", i ? "," : "", g_array_index(knots, struct knot, i).u,
			g_array_index(knots, struct knot, i).t);
	fputs("],\"boxes\":[", f);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(p ? ",[" : "[", f);
		for (guint i = 0; i < ap[p].boxes->len; i++) {
			const struct abox *b = &g_array_index(ap[p].boxes, struct abox, i);

			fprintf(f, "%s[%g,%g,%g,%g]", i ? "," : "", b->x, b->y, BOX_W, BOX_H);
		}
		fputs("]", f);
	}
	fputs("],\"tray\":[", f);
	for (int p = 0; p < PATH_COUNT; p++)
		fprintf(f, "%s[%g,%g]", p ? "," : "", ap[p].width - tray_w(&ap[p]) + 30,
			ap[p].top + 86);
	fputs("],\"packets\":[", f);
	for (int p = 0; p < PATH_COUNT; p++) {
		fputs(p ? ",[" : "[", f);
		for (unsigned i = 0; i < follow_count(fl, p); i++) {
			const struct follow_pkt *fp = follow_get(fl, p, i);
			g_autofree char *tip = NULL;

			if (fp->fate == FOLLOW_DELIVERED)
				tip = g_strdup_printf("packet %u, %s path: %u B, latency %s \u00b5s", i + 1,
						      path_name(p), fp->size,
						      us(trace_ticks(fp->done, follow_t0(fp)), buf,
							 sizeof(buf)));
			else
				tip = g_strdup_printf("packet %u, %s path: %u B, %s", i + 1,
						      path_name(p), fp->size,
						      fp->fate == FOLLOW_DROPPED ? "dropped"
										 : "still on its way");
			fprintf(f, "%s{\"n\":%u,\"born\":%.4f,\"done\":%.4f,\"fate\":\"%s\",\"tip\":",
				i ? "," : "", i + 1, (fp->born - t0) * 1e6,
				fp->fate == FOLLOW_IN_FLIGHT ? -1.0 : (fp->done - t0) * 1e6,
				fp->fate == FOLLOW_DELIVERED ? "delivered"
				: fp->fate == FOLLOW_DROPPED ? "dropped" : "flight");
			put_json_string(f, tip);
			fputs(",\"steps\":", f);
			put_steps(f, &ap[p], fp, t0);
			fputs("}", f);
		}
		fputs("]", f);
	}
	fputs("],\"events\":[", f);
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned i = 0; i < follow_count(fl, p); i++)
			put_events(f, &ap[p], follow_get(fl, p, i), i + 1, t0, s, &first_ev);
	fputs("]}", f);
}

/* The model-time span of the walk: first birth to last event. */
static void walk_span(const struct follow *fl, double *t0, double *t1)
{
	*t0 = INFINITY;
	*t1 = -INFINITY;
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned i = 0; i < follow_count(fl, p); i++) {
			const struct follow_pkt *fp = follow_get(fl, p, i);

			*t0 = MIN(*t0, fp->born);
			*t1 = MAX(*t1, fp->fate == FOLLOW_IN_FLIGHT ? fp->born : fp->done);
			for (guint k = 0; k < fp->steps->len; k++) {
				const struct follow_step *x =
					&g_array_index(fp->steps, struct follow_step, k);

				*t1 = MAX(*t1, x->end + x->delay);
			}
		}
	if (!isfinite(*t0))
		*t0 = *t1 = 0;
	if (*t1 <= *t0)
		*t1 = *t0 + 1e-6;
}

/* ---- the page ---- */

/* The styles, every selector under the fragment's prefix (@ stands for
 * it).  Large type for a projector; Okabe-Ito colours. */
static const char css[] =
	"#@{font-family:system-ui,sans-serif;color:#111;max-width:100%}\n"
	"#@ h2,#@ h3{font-size:1.5em;margin:.4em 0;border:0;padding:0}\n"
	"#@ .@-controls{display:flex;flex-wrap:wrap;gap:.6em 1em;align-items:center;"
	"font-size:1.15em;margin:.5em 0}\n"
	"#@ .@-controls label{white-space:nowrap}\n"
	"#@ .@-controls button{font-size:1em;padding:.3em 1.2em;min-width:6em}\n"
	"#@ .@-controls input{flex:1}\n"
	"#@ .@-controls select{font-size:1em}\n"
	"#@ .@-clock{font-variant-numeric:tabular-nums;min-width:14em}\n"
	/* narrow: the slider keeps a usable length, the clock its words */
	"@media (max-width:900px){#@ .@-clock{min-width:0}#@ .@-controls input{min-width:12em}}\n"
	"#@ svg{width:100%;height:auto;background:#fff}\n"
	"#@ .@-band{fill:#f4f4f4;stroke:#bbb}\n"
	"#@ .@-ptitle{font-size:22px;font-weight:bold;fill:#111}\n"
	"#@ .@-box rect{stroke:#222;stroke-width:2}\n"
	"#@ .@-box text{font-size:19px;text-anchor:middle;fill:#000;font-weight:bold}\n"
	"#@ .@-box text.@-sub{font-size:15px;font-weight:normal}\n"
	"#@ .@-box.host rect{fill:#E69F00}\n"
	"#@ .@-box.hw rect{fill:#56B4E9}\n"
	"#@ .@-box.guest rect{fill:#7FCBB5}\n"
	"#@ .@-arrow{stroke:#333;stroke-width:2.5}\n"
	"#@ .@-arrow.dashed{stroke-dasharray:8 6}\n"
	"#@ .@-note{font-size:16px;fill:#333;font-style:italic}\n"
	"#@ .@-count{font-size:17px;fill:#111}\n"
	"#@ .@-pkt circle{fill:#1a1a1a;stroke:#fff;stroke-width:2}\n"
	"#@ .@-pkt text{font-size:12px;fill:#fff;text-anchor:middle;font-weight:bold}\n"
	"#@ .@-badge{font-size:16px;font-weight:bold;fill:#111}\n"
	"#@ .@-pkt.wake circle{fill:#fff;stroke:#1a1a1a;stroke-width:3}\n"
	"#@ .@-pkt.wake text{fill:#1a1a1a}\n"
	"#@ .@-pkt.dropped circle{fill:#D55E00}\n"
	"#@ .@-log{font-size:1.1em;min-height:5.5em;margin:.4em 0;padding-left:0;list-style:none}\n"
	"#@ table{border-collapse:collapse;font-size:1.05em}\n"
	"#@ td,#@ th{padding:.2em .8em;text-align:right;border-bottom:1px solid #ccc}\n"
	"#@ .@-legend{font-size:1em;color:#333}\n"
	/* a wide drawing shrinks more: its small type a size larger */
	"#@ .@-wide .@-box text.@-sub{font-size:16px}\n"
	"#@ .@-wide .@-note{font-size:17px}\n"
	"#@ .@-wide .@-pkt text{font-size:13px}\n"
	"#@ .@-wide .@-badge{font-size:17px}\n";

/* The script: @ stands for the prefix. */
static const char js[] =
	"(function () {\n"
	"  'use strict';\n"
	"  var P = '@';\n"
	"  var NS = 'http://www.w3.org/2000/svg';\n"
	"  var root = document.getElementById(P);\n"
	"  var data = JSON.parse(document.getElementById(P + '-data').textContent);\n"
	"  var layer = document.getElementById(P + '-pkts');\n"
	"  var slider = document.getElementById(P + '-time');\n"
	"  var play = document.getElementById(P + '-play');\n"
	"  var clock = document.getElementById(P + '-clock');\n"
	"  var speed = document.getElementById(P + '-speed');\n"
	"  var log = document.getElementById(P + '-log');\n"
	"  var WALL = 15000; /* ms for the whole walk at speed 1 */\n"
	"  var K = data.knots, U = K[K.length - 1][0];\n"
	"  var u = 0, t = 0, playing = false, last = null;\n"
	"  /* model time at animation position u; and whether a quiet spell is\n"
	"   * being skipped there */\n"
	"  function model(u) {\n"
	"    for (var i = 1; i < K.length; i++)\n"
	"      if (u <= K[i][0]) {\n"
	"        var a = K[i - 1], b = K[i];\n"
	"        return b[0] > a[0] ? a[1] + (u - a[0]) * (b[1] - a[1]) / (b[0] - a[0]) : b[1];\n"
	"      }\n"
	"    return K[K.length - 1][1];\n"
	"  }\n"
	"  function skipping(u) {\n"
	"    for (var i = 1; i < K.length; i++)\n"
	"      if (u <= K[i][0]) return K[i][1] - K[i - 1][1] > (K[i][0] - K[i - 1][0]) * 1.001;\n"
	"    return false;\n"
	"  }\n"
	"  var pkts = [], badges = {};\n"
	"  /* how many packets each place shows; the rest are counted */\n"
	"  var CAP = { queue: 3, wake: 3, serve: 4, dropped: 4, done: 15, move: 1000 };\n"
	"  function badge(key, x, y, text, anchor) {\n"
	"    var el = badges[key];\n"
	"    if (!el) {\n"
	"      el = document.createElementNS(NS, 'text');\n"
	"      el.setAttribute('class', P + '-badge');\n"
	"      layer.appendChild(el);\n"
	"      badges[key] = el;\n"
	"    }\n"
	"    el.setAttribute('x', x.toFixed(1));\n"
	"    el.setAttribute('y', y.toFixed(1));\n"
	"    el.setAttribute('text-anchor', anchor);\n"
	"    el.textContent = text;\n"
	"    el.style.display = '';\n"
	"  }\n"
	"  data.packets.forEach(function (list, path) {\n"
	"    list.forEach(function (pk) {\n"
	"      var g = document.createElementNS(NS, 'g');\n"
	"      var c = document.createElementNS(NS, 'circle');\n"
	"      var tx = document.createElementNS(NS, 'text');\n"
	"      var ti = document.createElementNS(NS, 'title');\n"
	"      c.setAttribute('r', '10');\n"
	"      tx.setAttribute('y', '4');\n"
	"      tx.textContent = String(pk.n);\n"
	"      ti.textContent = pk.tip;\n"
	"      g.appendChild(c); g.appendChild(tx); g.appendChild(ti);\n"
	"      layer.appendChild(g);\n"
	"      pkts.push({ path: path, pk: pk, el: g });\n"
	"    });\n"
	"  });\n"
	"  function centre(b) { return [b[0] + b[2] / 2, b[1] + b[3] / 2]; }\n"
	"  /* where the line from the centre of a towards b leaves a */\n"
	"  function edge(a, b) {\n"
	"    var ca = centre(a), cb = centre(b), dx = cb[0] - ca[0], dy = cb[1] - ca[1];\n"
	"    var sx = dx ? a[2] / 2 / Math.abs(dx) : Infinity;\n"
	"    var sy = dy ? a[3] / 2 / Math.abs(dy) : Infinity;\n"
	"    var s = Math.min(sx, sy);\n"
	"    return [ca[0] + dx * s, ca[1] + dy * s];\n"
	"  }\n"
	"  /* a packet's state at time t */\n"
	"  function state(pk, t) {\n"
	"    if (t < pk.born) return null;\n"
	"    if (pk.fate === 'delivered' && t >= pk.done) return { kind: 'done', since: pk.done };\n"
	"    var st = pk.steps;\n"
	"    for (var i = 0; i < st.length; i++) {\n"
	"      var s = st[i];\n"
	"      if (i + 1 === st.length && pk.fate === 'dropped') {\n"
	"        return t < s[1] ? { box: s[0], kind: 'queue', since: s[1] }\n"
	"                        : { box: s[0], kind: 'dropped', since: s[1] };\n"
	"      }\n"
	"      if (t < s[1]) return { box: s[0], kind: 'queue', since: s[1] };\n"
	"      if (t < s[2]) return { box: s[0], kind: 'queue', since: s[1] };\n"
	"      if (t < s[3]) return { box: s[0], kind: 'wake', since: s[1] };\n"
	"      if (t < s[4]) return { box: s[0], kind: 'serve', since: s[3] };\n"
	"      if (t < s[5] && i + 1 < st.length)\n"
	"        return { kind: 'move', from: s[0], to: st[i + 1][0], f: (t - s[4]) / (s[5] - s[4]) };\n"
	"    }\n"
	"    var l = st[st.length - 1];\n"
	"    return l ? { box: l[0], kind: 'serve', since: l[3] } : null;\n"
	"  }\n"
	"  function place(el, x, y, cls) {\n"
	"    el.setAttribute('transform', 'translate(' + x.toFixed(1) + ',' + y.toFixed(1) + ')');\n"
	"    el.setAttribute('class', P + '-pkt' + (cls ? ' ' + cls : ''));\n"
	"    el.style.display = '';\n"
	"  }\n"
	"  /* a time: in ms from 10 ms on, where microseconds grow unreadable */\n"
	"  function fmt(us) {\n"
	"    return Math.abs(us) >= 10000 ? (us / 1000).toFixed(3) + ' ms' : us.toFixed(2) + ' \\u00b5s';\n"
	"  }\n"
	"  function update() {\n"
	"    var lanes = {}, done = [0, 0], total = [0, 0];\n"
	"    t = model(u);\n"
	"    pkts.forEach(function (q) {\n"
	"      total[q.path]++;\n"
	"      var s = state(q.pk, t);\n"
	"      q.s = s;\n"
	"      if (!s) { q.el.style.display = 'none'; return; }\n"
	"      if (s.kind === 'done') done[q.path]++;\n"
	"      var key = q.path + ':' + (s.kind === 'done' ? 'tray' : s.kind === 'move' ? 'm' : s.box + ':' +\n"
	"                (s.kind === 'serve' ? 'in' : s.kind === 'dropped' ? 'x' : 'q'));\n"
	"      (lanes[key] = lanes[key] || []).push(q);\n"
	"    });\n"
	"    Object.keys(badges).forEach(function (k) { badges[k].style.display = 'none'; });\n"
	"    Object.keys(lanes).forEach(function (key) {\n"
	"      var list = lanes[key], q0 = list[0], cap = CAP[q0.s.kind], b = null;\n"
	"      list.sort(function (a, b) { return a.s.since - b.s.since || a.pk.n - b.pk.n; });\n"
	"      list.forEach(function (q, k) {\n"
	"        var s = q.s, boxes = data.boxes[q.path];\n"
	"        b = boxes[s.box];\n"
	"        if (k >= cap) { q.el.style.display = 'none'; return; }\n"
	"        if (s.kind === 'move') {\n"
	"          var a = boxes[s.from], c = boxes[s.to];\n"
	"          var p0 = edge(a, c), p1 = edge(c, a);\n"
	"          place(q.el, p0[0] + (p1[0] - p0[0]) * s.f, p0[1] + (p1[1] - p0[1]) * s.f - 14, '');\n"
	"        } else if (s.kind === 'done') {\n"
	"          var tr = data.tray[q.path];\n"
	"          place(q.el, tr[0] + 12 + (k % 5) * 26, tr[1] + Math.floor(k / 5) * 26, '');\n"
	"        } else if (s.kind === 'serve') {\n"
	"          place(q.el, b[0] + 13 + k * 25, b[1] + b[3] + 16, '');\n"
	"        } else if (s.kind === 'dropped') {\n"
	"          place(q.el, b[0] + b[2] - 12 - k * 25, b[1] - 16, 'dropped');\n"
	"        } else {\n"
	"          /* the queue: in front of the box, the oldest at the bottom */\n"
	"          place(q.el, b[0] - 21, b[1] + b[3] - 10 - k * 20, s.kind === 'wake' ? 'wake' : '');\n"
	"        }\n"
	"      });\n"
	"      var k = q0.s.kind, n = list.length;\n"
	"      /* a drop is said in words; a place that holds more than it shows, counted */\n"
	"      if (k === 'dropped')\n"
	"        badge(key, b[0] + b[2] - 12 - Math.min(n, cap) * 25 - 2, b[1] - 10, n + ' dropped', 'end');\n"
	"      else if (n > cap && (k === 'queue' || k === 'wake'))\n"
	"        badge(key, b[0] - 21, b[1] - 8, n + ' queued', 'middle');\n"
	"      else if (n > cap && k === 'serve')\n"
	"        badge(key, b[0] + 13 + cap * 25 - 8, b[1] + b[3] + 22, '+' + (n - cap), 'start');\n"
	"      else if (n > cap && k === 'done')\n"
	"        badge(key, data.tray[q0.path][0], data.tray[q0.path][1] + 88, '+' + (n - cap) + ' more',\n"
	"              'start');\n"
	"    });\n"
	"    for (var p = 0; p < 2; p++) {\n"
	"      var c = document.getElementById(P + '-count-' + p);\n"
	"      if (c) c.textContent = done[p] + ' of ' + total[p] + ' delivered';\n"
	"    }\n"
	"    clock.textContent = 't = ' + fmt(t) + ' of ' + fmt(data.span) +\n"
	"      (skipping(u) ? ' (quiet: skipping ahead)' : '');\n"
	"    slider.value = String(Math.round(u / U * 1000));\n"
	"    var seen = data.events.filter(function (e) { return e[0] <= t; });\n"
	"    seen.sort(function (a, b) { return a[0] - b[0]; });\n"
	"    while (log.firstChild) log.removeChild(log.firstChild);\n"
	"    seen.slice(-4).forEach(function (e) {\n"
	"      var li = document.createElement('li');\n"
	"      li.textContent = fmt(e[0]) + ': ' + e[1];\n"
	"      log.appendChild(li);\n"
	"    });\n"
	"  }\n"
	"  function frame(now) {\n"
	"    if (!playing) { last = null; return; }\n"
	"    if (last !== null) u += (now - last) * U / WALL * parseFloat(speed.value);\n"
	"    last = now;\n"
	"    if (u >= U) { u = U; setPlaying(false); }\n"
	"    update();\n"
	"    if (playing) window.requestAnimationFrame(frame);\n"
	"  }\n"
	"  function setPlaying(on) {\n"
	"    playing = on;\n"
	"    play.textContent = on ? 'Pause' : 'Play';\n"
	"    if (on) { if (u >= U) u = 0; last = null; window.requestAnimationFrame(frame); }\n"
	"  }\n"
	"  play.addEventListener('click', function () { setPlaying(!playing); });\n"
	"  slider.addEventListener('input', function () {\n"
	"    setPlaying(false);\n"
	"    u = parseInt(slider.value, 10) / 1000 * U;\n"
	"    update();\n"
	"  });\n"
	"  var m = /[#&]t=([0-9.]+)/.exec(window.location.hash);\n"
	"  if (m) u = Math.min(1, parseFloat(m[1])) * U;\n"
	"  update();\n"
	"  root.setAttribute('data-ready', 'yes');\n"
	"})();\n";

/* Write text with every '@' replaced by prefix. */
static void put_prefixed(FILE *f, const char *text, const char *prefix)
{
	for (const char *c = text; *c; c++) {
		if (*c == '@')
			fputs(prefix, f);
		else
			fputc(*c, f);
	}
}

static void summary_table(FILE *f, const struct follow *fl, const char *px)
{
	char buf[32];
	unsigned n = MAX(follow_count(fl, PATH_NORMAL), follow_count(fl, PATH_ACCEL));

	fprintf(f, "<table class=\"%s-summary\"><tr><th>packet</th><th>normal latency</th>"
		   "<th>accelerated latency</th></tr>\n", px);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "<tr><td>%u</td>", i + 1);
		for (int p = 0; p < PATH_COUNT; p++) {
			const struct follow_pkt *fp = i < follow_count(fl, p) ? follow_get(fl, p, i) : NULL;

			if (fp && fp->fate == FOLLOW_DELIVERED)
				fprintf(f, "<td>%s &micro;s</td>",
					us(trace_ticks(fp->done, follow_t0(fp)), buf, sizeof(buf)));
			else
				fprintf(f, "<td>%s</td>", !fp ? "-" : fp->fate == FOLLOW_DROPPED
									  ? "dropped" : "on its way");
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

void anim_write_fragment(FILE *f, const struct follow *fl, const struct scenario *s,
			 const struct pipeline *const pl[PATH_COUNT], const char *px,
			 const char *title)
{
	struct apath ap[PATH_COUNT] = { { 0 } };
	double t0, t1, width = 0, height = MARGIN / 2;
	bool wide = false;

	for (int p = 0; p < PATH_COUNT; p++) {
		ap[p].path = p;
		ap[p].pl = pl[p];
		lay_out(&ap[p], s, follow_vm(fl));
		wide = wide || ap[p].cols > WIDE_COLS;
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		ap[p].wide = wide;
		ap[p].top = height;
		place(&ap[p]);
		width = MAX(width, ap[p].width + MARGIN / 2);
		height += ap[p].height;
	}
	walk_span(fl, &t0, &t1);

	fprintf(f, "<section id=\"%s\" class=\"accelsim-walk\">\n<style>\n", px);
	put_prefixed(f, css, px);
	fputs("</style>\n", f);
	if (title) {
		fputs("<h3>", f);
		put_text(f, title);
		fputs("</h3>\n", f);
	} else {
		fprintf(f, "<h2>A packet walk: ");
		put_text(f, s->name);
		fprintf(f, ", %u packet%s on each path</h2>\n",
			MAX(follow_count(fl, PATH_NORMAL), follow_count(fl, PATH_ACCEL)),
			MAX(follow_count(fl, PATH_NORMAL), follow_count(fl, PATH_ACCEL)) == 1 ? ""
											     : "s");
	}
	g_autofree char *vm = follow_vm_words(s, follow_vm(fl));
	if (vm) {
		fprintf(f, "<p class=\"%s-legend\">The packets of ", px);
		put_text(f, vm);
		fputs(".</p>\n", f);
	}
	fprintf(f, "<p class=\"%s-legend\">Both paths get the same packets at the same "
		   "instants.  In front of a box a packet queues (a hollow one waits for its "
		   "wake-up: an interrupt or a notification); under the box it is served; on an "
		   "arrow it is on its way.  Orange boxes run on host cores, blue ones are "
		   "hardware, green ones the VM's vCPUs.  Hover over a stage for each packet's "
		   "times there.</p>\n", px);
	fprintf(f, "<div class=\"%s-controls\"><button id=\"%s-play\" type=\"button\">Play</button>"
		   "<input id=\"%s-time\" type=\"range\" min=\"0\" max=\"1000\" value=\"0\" "
		   "aria-label=\"model time\"><span class=\"%s-clock\" id=\"%s-clock\"></span>"
		   "<label>speed <select id=\"%s-speed\"><option value=\"0.25\">1/4</option>"
		   "<option value=\"0.5\">1/2</option><option value=\"1\" selected>1</option>"
		   "<option value=\"2\">2</option><option value=\"4\">4</option></select></label>"
		   "</div>\n",
		px, px, px, px, px, px);
	fprintf(f, "<svg id=\"%s-svg\" class=\"%s-%s\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
		   "aria-label=\"the two paths and the packets on them\">\n", px, px,
		wide ? "wide" : "narrow", width, height);
	fprintf(f, "<defs><marker id=\"%s-head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
		   "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
		   "fill=\"#333\"/></marker></defs>\n", px);
	for (int p = 0; p < PATH_COUNT; p++)
		draw_path(f, &ap[p], fl, px);
	fprintf(f, "<g id=\"%s-pkts\"></g>\n</svg>\n", px);
	fprintf(f, "<ul class=\"%s-log\" id=\"%s-log\" aria-live=\"polite\"></ul>\n", px, px);
	summary_table(f, fl, px);
	fprintf(f, "<script type=\"application/json\" id=\"%s-data\">", px);
	put_data(f, ap, fl, s, t0, t1);
	fputs("</script>\n<script>\n", f);
	put_prefixed(f, js, px);
	fputs("</script>\n<noscript>The animation needs JavaScript; the table above has the "
	      "latencies.</noscript>\n</section>\n", f);
	for (int p = 0; p < PATH_COUNT; p++)
		apath_clear(&ap[p]);
}

void anim_write_page(FILE *f, const struct follow *fl, const struct scenario *s,
		     const struct pipeline *const pl[PATH_COUNT])
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>accelsim trace: ", f);
	put_text(f, s->name);
	fputs("</title>\n<style>body{margin:1em 2em;background:#fff}</style>\n</head>\n<body>\n", f);
	anim_write_fragment(f, fl, s, pl, "walk", NULL);
	fputs("</body>\n</html>\n", f);
}
