/* tracetext.c: the followed packets in the terminal (see tracetext.h).
 *
 * Every figure of a stage row is the difference of two instants rounded
 * to 10 ns (trace_ticks), and consecutive parts share their instants
 * (the engine hands a packet on at end + delay, which is the next stage's
 * arrival), so a packet's printed parts add up to its printed latency
 * with no rounding drift.  Colours follow the Okabe-Ito pairing that
 * colour-blind readers tell apart (orange and blue: the terminal's yellow
 * and cyan), and every state that colour marks is also said in words.
 */
#include "teach/tracetext.h"

#include <math.h>
#include <string.h>

#include "model/component.h"

#define ROW "  %-14s %7s %6s %6s %6s %6s %5s %-11s %6s"

enum colour { C_NONE, C_NORMAL, C_ACCEL, C_DIM, C_BOLD, C_DROP };

static const char *const sgr[] = {
	[C_NONE] = "", [C_NORMAL] = "\033[1;33m", [C_ACCEL] = "\033[1;36m",
	[C_DIM] = "\033[2m", [C_BOLD] = "\033[1m", [C_DROP] = "\033[1;31m",
};

struct out {
	FILE *f;
	bool colour;
};

/* Print one line (no newline in text) in colour c. */
static void line(const struct out *o, enum colour c, const char *text)
{
	g_autofree char *t = g_strdup(text);

	g_strchomp(t);
	if (o->colour && c != C_NONE)
		fprintf(o->f, "%s%s\033[0m\n", sgr[c], t);
	else
		fprintf(o->f, "%s\n", t);
}

static void linef(const struct out *o, enum colour c, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void linef(const struct out *o, enum colour c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *t = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	line(o, c, t);
}

long long trace_ticks(double t, double origin)
{
	return llround((t - origin) * 1e8);
}

/* ticks as microseconds with two decimals; "-" for 0 when dash; in
 * parentheses when paren. */
static char *fmt_ticks(long long v, bool dash, bool paren, char *buf, size_t len)
{
	long long a = v < 0 ? -v : v;

	if (v == 0 && dash)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s%s%lld.%02lld%s", paren ? "(" : "", v < 0 ? "-" : "", a / 100,
			 a % 100, paren ? ")" : "");
	return buf;
}

/* cycles in at most 6 characters: 4200, 16200, 240k, 2.40M */
static char *fmt_cycles(double c, char *buf, size_t len)
{
	if (c >= 1e6)
		snprintf(buf, len, "%.2fM", c / 1e6);
	else if (c >= 1e5)
		snprintf(buf, len, "%.0fk", c / 1e3);
	else
		snprintf(buf, len, "%.0f", c);
	return buf;
}

void trace_resource(const struct follow_step *st, char *buf, size_t len)
{
	const char *r = st->runs_on ? st->runs_on : "";

	if (!strcmp(r, "host cores"))
		snprintf(buf, len, "host core %u", st->server);
	else if (!strcmp(r, "vCPUs") && g_str_has_suffix(st->stage, "app"))
		snprintf(buf, len, "thread %u", st->server);
	else if (!strcmp(r, "vCPUs"))
		snprintf(buf, len, "vCPU %u", st->server);
	else
		snprintf(buf, len, "%s", r);
}

const char *trace_divert_reason(const struct scenario *s, const struct follow_pkt *fp,
				const struct follow_step *st)
{
	const unsigned vm = g_array_index(s->traffic, struct traffic_spec, fp->source).vm_index;

	if (follow_vf_removed(s, vm, st->end))
		return "the VF is removed (host servicing), a fallback";
	if (g_str_has_suffix(st->to_route ? st->to_route : "", ".synthetic"))
		return "the guest has no VF, a fallback";
	if (st->flags & PKT_SYN)
		return "an inbound SYN takes the synthetic path";
	return "a new flow, the NIC has no entry for it yet";
}

static bool cpu_step(const struct follow_step *st)
{
	return st->runs_on &&
	       (!strcmp(st->runs_on, "host cores") || !strcmp(st->runs_on, "vCPUs"));
}

/* What a packet's path table adds up to. */
struct totals {
	long long part[4];	/* queue, wake, service, delay: counted ticks */
	double host_cycles, guest_cycles;
};

/* One stage row.  origin: the start of the latency (delivered) or the
 * birth; the four parts in ticks, counted ones plain, the rest in
 * parentheses. */
static void stage_row(const struct out *o, const struct follow_pkt *fp,
		      const struct follow_step *st, double origin, struct totals *tot)
{
	const double edge[5] = { st->arrive, st->ready, st->start, st->end, st->end + st->delay };
	const bool delivered = fp->fate == FOLLOW_DELIVERED;
	const double lo = delivered ? follow_t0(fp) : -INFINITY;
	const double hi = delivered ? fp->done : INFINITY;
	char at[32], part[4][32], batch[16], on[32], cyc[32];
	bool any_counted = false;

	for (int i = 0; i < 4; i++) {
		/* the part of [edge i, edge i+1] inside [lo, hi] */
		double a = MAX(edge[i], lo), b = MIN(edge[i + 1], hi);
		bool counted = b > a;
		long long v = counted ? trace_ticks(b, origin) - trace_ticks(a, origin)
				      : trace_ticks(edge[i + 1], origin) - trace_ticks(edge[i], origin);

		if (counted) {
			tot->part[i] += v;
			any_counted = true;
		}
		fmt_ticks(v, true, !counted && v != 0, part[i], sizeof(part[i]));
	}
	fmt_ticks(trace_ticks(st->arrive, origin), false, delivered && st->arrive < lo, at,
		  sizeof(at));
	snprintf(batch, sizeof(batch), "%u", st->batch);
	trace_resource(st, on, sizeof(on));
	if (cpu_step(st))
		fmt_cycles(st->cycles, cyc, sizeof(cyc));
	else
		snprintf(cyc, sizeof(cyc), "-");
	if (st->runs_on && !strcmp(st->runs_on, "host cores"))
		tot->host_cycles += st->cycles;
	else if (cpu_step(st))
		tot->guest_cycles += st->cycles;
	linef(o, any_counted || !delivered ? C_NONE : C_DIM, ROW, st->stage, at, part[0], part[1],
	      part[2], part[3], batch, on, cyc);
}

/* A path's table for packet fp. */
static void path_table(const struct out *o, const struct scenario *s, enum path_id p,
		       const struct follow_pkt *fp, const struct follow_pkt *ref)
{
	const double origin = fp->fate == FOLLOW_DELIVERED ? follow_t0(fp) : fp->born;
	struct totals tot = { { 0 }, 0, 0 };
	g_autofree char *title = NULL;
	char buf[32];

	if (fp->source != ref->source || fp->seq != ref->seq)
		title = g_strdup_printf("%s (%u/%" G_GUINT64_FORMAT ")", path_name(p), fp->source,
					fp->seq);
	else
		title = g_strdup(path_name(p));
	linef(o, p == PATH_NORMAL ? C_NORMAL : C_ACCEL, ROW, title, "at", "queue", "wake",
	      "serve", "delay", "batch", "on", "cycles");
	for (guint i = 0; i < fp->steps->len; i++) {
		const struct follow_step *st = &g_array_index(fp->steps, struct follow_step, i);

		switch (st->kind) {
		case FOLLOW_STAGE:
			stage_row(o, fp, st, origin, &tot);
			break;
		case FOLLOW_DIVERT:
			linef(o, C_BOLD, "    -> diverted to %s: %s",
			      g_str_has_suffix(st->to_route, ".synthetic") ? "the synthetic vNIC"
									    : "the vSwitch",
			      trace_divert_reason(s, fp, st));
			break;
		case FOLLOW_RESPOND:
			line(o, C_BOLD, "    -> the application answers: the response goes back");
			break;
		case FOLLOW_DROP:
			linef(o, C_DROP, "  %-14s %7s  DROPPED: its queue was full", st->stage,
			      fmt_ticks(trace_ticks(st->arrive, origin), false, false, buf,
					sizeof(buf)));
			break;
		}
	}
	switch (fp->fate) {
	case FOLLOW_DELIVERED: {
		char t[32], q[4][32], hc[32];
		long long sum = 0;

		for (int i = 0; i < 4; i++) {
			sum += tot.part[i];
			fmt_ticks(tot.part[i], true, false, q[i], sizeof(q[i]));
		}
		fmt_ticks(sum, false, false, t, sizeof(t));
		fmt_cycles(tot.host_cycles, hc, sizeof(hc));
		linef(o, C_BOLD, ROW, "total", t, q[0], q[1], q[2], q[3], "", "host cycles", hc);
		/* the printed parts add up; say so if the latency itself differs */
		if (sum != trace_ticks(fp->done, origin))
			linef(o, C_NONE, "    (its recorded latency: %s us)",
			      fmt_ticks(trace_ticks(fp->done, origin), false, false, t, sizeof(t)));
		break;
	}
	case FOLLOW_DROPPED:
		linef(o, C_DROP, "    dropped: never delivered (host cycles spent: %.0f)",
		      tot.host_cycles);
		break;
	case FOLLOW_IN_FLIGHT:
		line(o, C_BOLD, "    still on its way when the run ended");
		break;
	}
}

/* A birth time to 0.1 us: "100.0003 ms". */
static char *fmt_born(double t, char *buf, size_t len)
{
	snprintf(buf, len, "%.4f ms", t * 1e3);
	return buf;
}

static void packet_header(const struct out *o, unsigned i, unsigned n, const struct follow_pkt *fp)
{
	char born[32];

	fmt_born(fp->born, born, sizeof(born));
	linef(o, C_BOLD, "packet %u of %u: source %u, number %" G_GUINT64_FORMAT ", %u B, "
	      "born at %s%s", i + 1, n, fp->source, fp->seq, fp->size, born,
	      (fp->flags & PKT_SYN) ? ", a TCP SYN"
	      : (fp->flags & PKT_FIRST) ? ", its flow's first" : "");
}

/* The latency as the summary prints it: "32.78", "dropped", "-". */
static void summary_cell(const struct follow_pkt *fp, char *lat, size_t llen, char *hc,
			 size_t hlen)
{
	double host = 0;

	for (guint i = 0; i < fp->steps->len; i++) {
		const struct follow_step *st = &g_array_index(fp->steps, struct follow_step, i);

		if (st->kind == FOLLOW_STAGE && st->runs_on && !strcmp(st->runs_on, "host cores"))
			host += st->cycles;
	}
	if (fp->fate == FOLLOW_DELIVERED)
		fmt_ticks(trace_ticks(fp->done, follow_t0(fp)), false, false, lat, llen);
	else
		snprintf(lat, llen, "%s", fp->fate == FOLLOW_DROPPED ? "dropped" : "-");
	fmt_cycles(host, hc, hlen);
}

static void summary(const struct out *o, const struct follow *f, unsigned n)
{
	line(o, C_NONE, "");
	linef(o, C_BOLD, "side by side: latency in us, host CPU cycles per packet");
	linef(o, C_NONE, "  %6s  %-12s %-6s  %9s %11s  %11s %11s", "packet", "born", "size",
	      "normal", "host cycles", "accelerated", "host cycles");
	for (unsigned i = 0; i < n; i++) {
		const struct follow_pkt *a = follow_get(f, PATH_NORMAL, i);
		const struct follow_pkt *b = follow_get(f, PATH_ACCEL, i);
		char born[32], size[16], la[32], ha[32], lb[32], hb[32];

		fmt_born(a->born, born, sizeof(born));
		snprintf(size, sizeof(size), "%u B", a->size);
		summary_cell(a, la, sizeof(la), ha, sizeof(ha));
		summary_cell(b, lb, sizeof(lb), hb, sizeof(hb));
		linef(o, C_NONE, "  %6u  %-12s %-6s  %9s %11s  %11s %11s", i + 1, born, size, la, ha,
		      lb, hb);
	}
}

/* text wrapped at 78 columns, its later lines indented by two, in
 * colour c. */
static void wrapped(const struct out *o, enum colour c, const char *text)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	g_autoptr(GString) l = g_string_new(NULL);

	for (char **w = words; *w; w++) {
		if (!**w)
			continue;
		if (l->len && l->len + 1 + g_utf8_strlen(*w, -1) > 78) {
			line(o, c, l->str);
			g_string_assign(l, "  ");
		}
		g_string_append_printf(l, "%s%s", l->len && l->str[l->len - 1] != ' ' ? " " : "", *w);
	}
	line(o, c, l->str);
}

void trace_text_print(FILE *out, const struct follow *f, const struct scenario *s,
		      const char *note, bool colour)
{
	const struct out o = { out, colour };
	const struct follow_opts *fo = follow_options(f);
	unsigned n = MIN(follow_count(f, PATH_NORMAL), follow_count(f, PATH_ACCEL));
	char at[32];

	units_format(fo->at_s, UNIT_TIME, at, sizeof(at));
	g_autofree char *head = g_strdup_printf("accelsim trace: %s, model %s, seed %" G_GUINT64_FORMAT,
						s->name, s->model->name, s->seed);
	g_autofree char *vm = follow_vm_words(s, follow_vm(f));
	wrapped(&o, C_BOLD, head);
	if (vm) {
		g_autofree char *which = g_strdup_printf(
			"%s%s", vm, s->vms->len > 1 ? "; --vm NAME follows another" : "");

		wrapped(&o, C_NONE, which);
	}
	if (note) {
		g_autofree char *all = g_strdup_printf("note: %s", note);

		wrapped(&o, C_BOLD, all);
	}
	g_autofree char *first = fo->packets == 1 ? g_strdup("the first packet")
						  : g_strdup_printf("the first %u packets", fo->packets);
	if (fo->flow && fo->at_s == 0)
		linef(&o, C_NONE, "%s of the run's first flow", first);
	else if (fo->flow)
		linef(&o, C_NONE, "%s of the first flow that starts at or after %s", first, at);
	else
		linef(&o, C_NONE, "%u packet%s born at or after %s%s", fo->packets,
		      fo->packets == 1 ? "" : "s", at,
		      fo->at_s == s->warmup_s && fo->at_s > 0 ? " (the end of the warm-up)" : "");
	if (n == 0) {
		linef(&o, C_NONE, "no packet of the %s VM's traffic was born then: try an "
		      "earlier --at", s->named_vms ? "followed" : "measured");
		return;
	}
	if (n < fo->packets)
		linef(&o, C_NONE, "only %u of them were born before the run ended", n);
	line(&o, C_NONE, "times in us: at = when it reached the stage, from the start of its");
	line(&o, C_NONE, "latency; then how long it queued, waited for a wake-up, was served");
	line(&o, C_NONE, "(with batch - 1 others) and its delay after service.  (x): not in the");
	line(&o, C_NONE, "latency: before it begins, or the application's work after recv().");
	for (unsigned i = 0; i < n; i++) {
		const struct follow_pkt *ref = follow_get(f, PATH_NORMAL, i);

		line(&o, C_NONE, "");
		packet_header(&o, i, n, ref);
		for (int p = 0; p < PATH_COUNT; p++)
			path_table(&o, s, p, follow_get(f, p, i), ref);
	}
	summary(&o, f, n);
}
