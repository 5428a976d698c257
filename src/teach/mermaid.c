/* mermaid.c: Mermaid diagrams of the two paths with simulated numbers
 * (see mermaid.h).
 *
 * Mermaid ids may not hold dots, so a stage's id is its name with '.'
 * made '_' and a letter for its path in front ("n_nic_rx").  Labels avoid
 * the characters Mermaid treats as syntax inside text (';', '#', quotes).
 * Colours are the Okabe-Ito palette, which colour-blind readers tell
 * apart: orange for host cores (the normal path's cost), sky blue for
 * hardware, bluish green for the VM's vCPUs.
 */
#include "teach/mermaid.h"

#include <string.h>

#include "model/component.h"
#include "report/metrics.h"
#include "teach/tracetext.h"

static void stage_id(char *buf, size_t len, enum path_id p, const char *stage)
{
	snprintf(buf, len, "%c_%s", p == PATH_NORMAL ? 'n' : 'a', stage);
	for (char *c = buf; *c; c++)
		if (!g_ascii_isalnum(*c))
			*c = '_';
}

/* ticks (10 ns) as "12.34" */
static const char *us(long long t, char *buf, size_t len)
{
	long long a = t < 0 ? -t : t;

	snprintf(buf, len, "%s%lld.%02lld", t < 0 ? "-" : "", a / 100, a % 100);
	return buf;
}

/* seconds as "12.34" us */
static const char *us_s(double s, char *buf, size_t len)
{
	return us(llround(s * 1e8), buf, len);
}

static const struct stage *find_stage(const struct pipeline *pl, const char *name)
{
	for (guint i = 0; i < pl->stages->len; i++) {
		const struct stage *st = pl->stages->pdata[i];

		if (!strcmp(st->name, name))
			return st;
	}
	return NULL;
}

static const char *delay_label(const struct pipeline *pl, const char *stage)
{
	const struct stage *st = find_stage(pl, stage);

	return st && st->lead->ops->delay ? st->lead->ops->delay : "delay";
}

static void fence_open(FILE *f, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void fence_open(FILE *f, const char *fmt, ...)
{
	va_list ap;

	fputs("## ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputs("\n\n```mermaid\n", f);
}

static void fence_close(FILE *f)
{
	fputs("```\n\n", f);
}

/* ---- a followed packet, hop by hop ---- */

/* Declare each stage fp visits once, in the order of its first visit. */
static void participants(FILE *f, enum path_id p, const struct follow_pkt *fp)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new();

	for (guint i = 0; i < fp->steps->len; i++) {
		const struct follow_step *st = &g_array_index(fp->steps, struct follow_step, i);
		char id[64];

		if (st->kind != FOLLOW_STAGE && st->kind != FOLLOW_DROP)
			continue;
		if (g_ptr_array_find(seen, st->stage, NULL))
			continue;
		g_ptr_array_add(seen, (gpointer)st->stage);
		stage_id(id, sizeof(id), p, st->stage);
		fprintf(f, "    participant %s as %s (%s)\n", id, st->stage, st->runs_on);
	}
}

/* The note over a stage: the parts of its time (counted ones only when
 * the packet was delivered), where it ran and what it cost. */
static void stage_note(FILE *f, const char *id, const struct follow_pkt *fp,
		       const struct follow_step *st)
{
	const double o = fp->fate == FOLLOW_DELIVERED ? follow_t0(fp) : fp->born;
	const char *names[4] = { "queue", "wake-up", "service", "delay" };
	const double edge[5] = { st->arrive, st->ready, st->start, st->end, st->end + st->delay };
	g_autoptr(GString) note = g_string_new(NULL);
	char buf[32], on[32];
	struct follow_parts x = { 0, 0, 0, 0 };

	if (fp->fate == FOLLOW_DELIVERED)
		follow_counted_parts(fp, st, &x);
	const double counted[4] = { x.queue, x.wake, x.service, x.delay };
	for (int i = 0; i < 3; i++) {
		long long v = trace_ticks(edge[i + 1], o) - trace_ticks(edge[i], o);

		if (v == 0)
			continue;
		g_string_append_printf(note, "%s%s %s us%s", note->len ? ", " : "", names[i],
				       us(v, buf, sizeof(buf)),
				       fp->fate == FOLLOW_DELIVERED && counted[i] == 0
					       ? " (not in the latency)" : "");
	}
	trace_resource(st, on, sizeof(on));
	g_string_append_printf(note, "%son %s", note->len ? ", " : "", on);
	if (st->batch > 1)
		g_string_append_printf(note, " in a batch of %u", st->batch);
	if (st->cycles > 0)
		g_string_append_printf(note, ", %.0f cycles", st->cycles);
	fprintf(f, "    Note over %s: %s\n", id, note->str);
}

static void sequence_packet(FILE *f, enum path_id p, const struct follow_pkt *fp,
			    const struct scenario *s, const struct pipeline *pl)
{
	const double o = fp->fate == FOLLOW_DELIVERED ? follow_t0(fp) : fp->born;
	const struct follow_step *prev = NULL;
	char buf[32], id[64], pid[64];

	fputs("sequenceDiagram\n", f);
	participants(f, p, fp);
	for (guint i = 0; i < fp->steps->len; i++) {
		const struct follow_step *st = &g_array_index(fp->steps, struct follow_step, i);

		stage_id(id, sizeof(id), p, st->stage ? st->stage : "");
		switch (st->kind) {
		case FOLLOW_STAGE:
		case FOLLOW_DROP:
			if (prev) {
				stage_id(pid, sizeof(pid), p, prev->stage);
				fprintf(f, "    %s->>%s: ", pid, id);
				if (prev->delay > 0)
					fprintf(f, "%s %s us, ", delay_label(pl, prev->stage),
						us(trace_ticks(prev->end + prev->delay, o) -
							   trace_ticks(prev->end, o),
						   buf, sizeof(buf)));
				fprintf(f, "reaches it at %s us\n",
					us(trace_ticks(st->arrive, o), buf, sizeof(buf)));
			} else {
				fprintf(f, "    Note left of %s: arrives at %s us%s\n", id,
					us(trace_ticks(st->arrive, o), buf, sizeof(buf)),
					fp->fate == FOLLOW_DELIVERED && st->arrive < o
						? ", before its latency starts" : "");
			}
			if (st->kind == FOLLOW_DROP) {
				fprintf(f, "    Note over %s: DROPPED, its queue was full\n", id);
				break;
			}
			stage_note(f, id, fp, st);
			prev = st;
			break;
		case FOLLOW_DIVERT:
			fprintf(f, "    Note over %s: diverted, %s\n", id,
				trace_divert_reason(s, fp, st));
			break;
		case FOLLOW_RESPOND:
			fprintf(f, "    Note over %s: the application answers, the response goes "
				   "back\n", id);
			break;
		}
	}
	if (fp->fate == FOLLOW_DELIVERED && prev) {
		stage_id(id, sizeof(id), p, prev->stage);
		fprintf(f, "    Note right of %s: delivered, latency %s us\n", id,
			us(trace_ticks(fp->done, o), buf, sizeof(buf)));
	}
}

/* ---- the latency budget ---- */

/* The stage a budget row is about: "nic.rx" of "nic.rx: DMA write". */
static char *row_stage(const struct budget_row *b)
{
	const char *c = strstr(b->name, ": ");

	return c ? g_strndup(b->name, (gsize)(c - b->name)) : g_strdup(b->name);
}

static void sequence_budget(FILE *f, enum path_id p, const GArray *budget)
{
	g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
	char buf[32], id[64], pid[64];
	double t = 0;

	fputs("sequenceDiagram\n", f);
	for (guint i = 0; i < budget->len; i++) {
		const struct budget_row *b = &g_array_index(budget, struct budget_row, i);
		char *st = row_stage(b);
		guint k;

		if (g_ptr_array_find_with_equal_func(order, st, g_str_equal, &k)) {
			g_free(st);
			continue;
		}
		g_ptr_array_add(order, st);
		stage_id(id, sizeof(id), p, st);
		fprintf(f, "    participant %s as %s (%s)\n", id, st, b->where);
	}
	g_autofree char *prev = NULL;
	for (guint i = 0; i < budget->len; i++) {
		const struct budget_row *b = &g_array_index(budget, struct budget_row, i);
		char *st = row_stage(b);

		stage_id(id, sizeof(id), p, st);
		if (prev && strcmp(prev, st)) {
			stage_id(pid, sizeof(pid), p, prev);
			fprintf(f, "    %s->>%s: reaches it at %s us on average\n", pid, id,
				us_s(t, buf, sizeof(buf)));
		}
		g_free(prev);
		prev = st;
		if (b->delay_s > 0) {
			fprintf(f, "    Note over %s: then %s %s us\n", id, strstr(b->name, ": ") + 2,
				us_s(b->delay_s, buf, sizeof(buf)));
		} else {
			g_autoptr(GString) note = g_string_new(NULL);
			const double part[3] = { b->wait_s, b->wake_s, b->service_s };
			const char *names[3] = { "queue", "wake-up", "service" };

			for (int k = 0; k < 3; k++)
				if (part[k] > 0)
					g_string_append_printf(note, "%s%s %s us", note->len ? ", " : "",
							       names[k], us_s(part[k], buf, sizeof(buf)));
			fprintf(f, "    Note over %s: %s\n", id, note->len ? note->str : "no wait");
		}
		t += b->wait_s + b->wake_s + b->service_s + b->delay_s;
	}
	if (prev) {
		stage_id(id, sizeof(id), p, prev);
		fprintf(f, "    Note right of %s: mean latency %s us\n", id, us_s(t, buf, sizeof(buf)));
	}
}

/* ---- both pipelines ---- */

struct edge {
	unsigned from, to;
	bool primary;		/* on a route traffic starts on (or its response) */
	bool divert;		/* a component's diversion */
	const char *why;
};

static void edge_add(GArray *edges, unsigned from, unsigned to, bool primary, bool divert,
		     const char *why)
{
	for (guint i = 0; i < edges->len; i++) {
		struct edge *e = &g_array_index(edges, struct edge, i);

		/* one arrow per pair of stages: a diversion's, dashed, wins */
		if (e->from == from && e->to == to) {
			e->primary |= primary;
			if (divert && !e->divert) {
				e->divert = true;
				e->why = why;
			}
			return;
		}
	}
	struct edge e = { from, to, primary, divert, why };

	g_array_append_val(edges, e);
}

/* Why a packet takes the diversion to route name. */
static const char *divert_why(const char *to)
{
	if (g_str_has_suffix(to, ".synthetic"))
		return "VF removed";
	if (g_str_has_prefix(to, "tx") || strstr(to, ".response."))
		return "new flow";
	return "new flow, SYN, VF removed";
}

/* The edges of route ri and every route it may continue on. */
static void route_edges(const struct pipeline *pl, int ri, bool primary, GArray *edges,
			bool *seen)
{
	if (ri < 0 || seen[ri])
		return;
	seen[ri] = true;
	const struct route *r = pl->routes->pdata[ri];

	for (unsigned h = 0; h + 1 < r->n; h++)
		edge_add(edges, r->hops[h].stage, r->hops[h + 1].stage, primary, false, NULL);
	for (unsigned h = 0; h < r->n; h++) {
		const struct hop *hp = &r->hops[h];

		if (hp->alt_route < 0)
			continue;
		const struct route *ra = pl->routes->pdata[hp->alt_route];

		if (hp->alt_hop < ra->n)
			edge_add(edges, hp->stage, ra->hops[hp->alt_hop].stage, false, true,
				 divert_why(ra->name));
		route_edges(pl, hp->alt_route, false, edges, seen);
	}
	if (r->end == END_RESPOND) {
		const struct route *nr = pl->routes->pdata[r->next_route];

		edge_add(edges, r->hops[r->n - 1].stage, nr->hops[0].stage, primary, false, NULL);
		route_edges(pl, r->next_route, primary, edges, seen);
	}
}

static const struct budget_row *budget_find(const GArray *b, const char *name)
{
	for (guint i = 0; b && i < b->len; i++)
		if (!strcmp(g_array_index(b, struct budget_row, i).name, name))
			return &g_array_index(b, struct budget_row, i);
	return NULL;
}

/* The delay row of stage name ("nic.rx: ..."), or NULL. */
static const struct budget_row *budget_delay(const GArray *b, const char *name)
{
	size_t n = strlen(name);

	for (guint i = 0; b && i < b->len; i++) {
		const struct budget_row *r = &g_array_index(b, struct budget_row, i);

		if (!strncmp(r->name, name, n) && !strncmp(r->name + n, ": ", 2))
			return r;
	}
	return NULL;
}

static double budget_total(const GArray *b)
{
	double t = 0;

	for (guint i = 0; b && i < b->len; i++) {
		const struct budget_row *r = &g_array_index(b, struct budget_row, i);

		t += r->wait_s + r->wake_s + r->service_s + r->delay_s;
	}
	return t;
}

/* Path p's pipeline pl for the traffic of VM vm of s. */
static void flowchart_path(FILE *f, enum path_id p, const struct scenario *s, unsigned vm,
			   const struct pipeline *pl, const GArray *budget)
{
	g_autoptr(GArray) edges = g_array_new(FALSE, FALSE, sizeof(struct edge));
	g_autofree bool *seen = g_new0(bool, pl->routes->len);
	g_autofree bool *used = g_new0(bool, pl->stages->len);
	char buf[32], id[64], to[64];

	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);

		if (t->vm == TVM_SELF && t->vm_index == vm)
			route_edges(pl, pipeline_vm_route(pl, traffic_route_kind(t), vm), true, edges,
				    seen);
	}
	for (guint i = 0; i < edges->len; i++) {
		used[g_array_index(edges, struct edge, i).from] = true;
		used[g_array_index(edges, struct edge, i).to] = true;
	}
	fprintf(f, "    subgraph %s[\"%s path, mean latency %s us\"]\n",
		p == PATH_NORMAL ? "normal" : "accelerated", path_name(p),
		us_s(budget_total(budget), buf, sizeof(buf)));
	fputs("        direction LR\n", f);
	for (guint i = 0; i < pl->stages->len; i++) {
		const struct stage *st = pl->stages->pdata[i];
		const struct budget_row *b = budget_find(budget, st->name);

		if (!used[i])
			continue;
		stage_id(id, sizeof(id), p, st->name);
		fprintf(f, "        %s[\"%s<br/>%s", id, st->name, st->runs_on);
		if (b)
			fprintf(f, "<br/>%s us", us_s(b->wait_s + b->wake_s + b->service_s, buf,
						      sizeof(buf)));
		fprintf(f, "\"]:::%s\n", st->place == PLACE_HOST    ? "host"
					 : st->place == PLACE_GUEST ? "guest"
								    : "hw");
	}
	for (guint i = 0; i < edges->len; i++) {
		const struct edge *e = &g_array_index(edges, struct edge, i);
		const struct stage *a = pl->stages->pdata[e->from];
		const struct stage *b = pl->stages->pdata[e->to];
		const struct budget_row *d = budget_delay(budget, a->name);

		stage_id(id, sizeof(id), p, a->name);
		stage_id(to, sizeof(to), p, b->name);
		if (e->divert)
			fprintf(f, "        %s -.->|\"%s\"| %s\n", id, e->why, to);
		else if (d && e->primary)
			fprintf(f, "        %s -->|\"%s %s us\"| %s\n", id, strstr(d->name, ": ") + 2,
				us_s(d->delay_s, buf, sizeof(buf)), to);
		else
			fprintf(f, "        %s %s %s\n", id, e->primary ? "-->" : "-.->", to);
	}
	fputs("    end\n", f);
}

static void flowchart(FILE *f, const struct scenario *s, unsigned vm,
		      const struct pipeline *const pl[PATH_COUNT],
		      const GArray *const budget[PATH_COUNT])
{
	fputs("flowchart LR\n", f);
	/* Mermaid's layout stacks the subgraph declared last on top: the
	 * accelerated path first, so that the normal one is drawn above it,
	 * as everywhere else */
	for (int p = PATH_COUNT - 1; p >= 0; p--)
		flowchart_path(f, p, s, vm, pl[p], budget[p]);
	/* Okabe-Ito: orange, sky blue, bluish green; black text on each */
	fputs("    classDef host fill:#E69F00,stroke:#333,color:#000\n"
	      "    classDef hw fill:#56B4E9,stroke:#333,color:#000\n"
	      "    classDef guest fill:#009E73,stroke:#333,color:#000\n", f);
}

static void legend(FILE *f)
{
	fputs("Times in microseconds.  Stage colours: orange runs on host cores, sky blue "
	      "on hardware (link, NIC), green on the VM's vCPUs; dashed arrows are "
	      "diversions to the software path.\n\n", f);
}

void mermaid_trace(FILE *out, const struct follow *f, const struct scenario *s,
		   const struct pipeline *const pl[PATH_COUNT])
{
	unsigned n = MIN(follow_count(f, PATH_NORMAL), follow_count(f, PATH_ACCEL));
	g_autofree char *vm = follow_vm_words(s, follow_vm(f));

	fprintf(out, "# accelsim trace: %s, model %s, seed %" G_GUINT64_FORMAT "\n\n", s->name,
		s->model->name, s->seed);
	if (vm)
		fprintf(out, "The packets of %s.\n\n", vm);
	if (!n) {
		fputs("No packet of the followed VM's traffic was followed.\n", out);
		return;
	}
	legend(out);
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct follow_pkt *fp = follow_get(f, p, 0);

		fence_open(out, "%s path: packet %u/%" G_GUINT64_FORMAT " (%u B, born at %.4f ms)",
			   path_name(p), fp->source, fp->seq, fp->size, fp->born * 1e3);
		sequence_packet(out, p, fp, s, pl[p]);
		fence_close(out);
	}
	GArray *budget[PATH_COUNT];
	for (int p = 0; p < PATH_COUNT; p++)
		budget[p] = follow_budget(f, p, pl[p]);
	fence_open(out, "both paths: mean of the %u packet%s followed", n, n == 1 ? "" : "s");
	flowchart(out, s, follow_vm(f), pl, (const GArray *const *)budget);
	fence_close(out);
	for (int p = 0; p < PATH_COUNT; p++)
		g_array_unref(budget[p]);
}

void mermaid_run(FILE *out, const struct run_result *r, const struct scenario *s,
		 const struct pipeline *const pl[PATH_COUNT])
{
	const GArray *budget[PATH_COUNT];

	fprintf(out, "# accelsim run: %s, model %s, seed %" G_GUINT64_FORMAT "\n\n",
		r->scenario ? r->scenario : s->name, r->model ? r->model : s->model->name, r->seed);
	legend(out);
	for (int p = 0; p < PATH_COUNT; p++) {
		budget[p] = r->paths[p].budget;
		if (!budget[p]->len)
			continue;
		fence_open(out, "%s path: where the latency goes (mean over %" G_GUINT64_FORMAT
			   " packets)", path_name(p), r->paths[p].delivered_packets);
		sequence_budget(out, p, budget[p]);
		fence_close(out);
	}
	fence_open(out, "both paths: the latency budget");
	flowchart(out, s, s->primary, pl, budget);
	fence_close(out);
}
