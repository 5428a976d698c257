/* explain.c: the two paths explained in the terminal (see explain.h).
 *
 * A stage's cost is measured, not read off its parameters: each packet of
 * a sample walks the route, and at every hop the hop's components are
 * asked what serving it costs (their process op, as the engine asks).
 * The sample is one flow's packets a millisecond apart, so caches behave
 * as in steady state; its first packet, which finds no flow entry, is
 * kept apart as what a new flow costs.
 */
#include "teach/explain.h"

#include <math.h>
#include <string.h>

#include "core/rng.h"
#include "model/component.h"
#include "report/metrics.h"
#include "teach/follow.h"

#define WIDTH 78
#define SAMPLES 400
#define MAX_DRAW 16

/* ---- output ---- */

struct out {
	FILE *f;
	bool colour;
};

static void heading(const struct out *o, const char *text)
{
	if (o->colour)
		fprintf(o->f, "\n\033[1m%s\033[0m\n", text);
	else
		fprintf(o->f, "\n%s\n", text);
}

/* text, wrapped at WIDTH, its first line after first spaces, the others
 * after indent. */
static void para_hang(const struct out *o, int first, int indent, const char *text)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	int col = 0, lead = first;

	for (char **w = words; *w; w++) {
		int len = (int)g_utf8_strlen(*w, -1);

		if (!len)
			continue;
		if (col && col + 1 + len > WIDTH) {
			fputc('\n', o->f);
			col = 0;
			lead = indent;
		}
		if (!col) {
			fprintf(o->f, "%*s%s", lead, "", *w);
			col = lead + len;
		} else {
			fprintf(o->f, " %s", *w);
			col += 1 + len;
		}
	}
	fputc('\n', o->f);
}

/* text, wrapped at WIDTH, each line after indent spaces. */
static void para(const struct out *o, int indent, const char *text)
{
	para_hang(o, indent, indent, text);
}

static void paraf(const struct out *o, int indent, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void paraf(const struct out *o, int indent, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *t = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	para(o, indent, t);
}

/* ---- what each stage costs ---- */

struct hop_cost {
	const struct stage *st;
	const struct hop *hop;
	double service_s;		/* mean service, seconds */
	double cycles;			/* ... in cycles (CPU stages), the batch's share in */
	double comp_cycles[HOP_MAX_COMPS];
	double delay_s;			/* mean delay after service */
	double wake_timer_s;		/* moderation timer of the hand-off into it */
	double wake_mean_s;		/* mean delay of its interrupt or notification */
};

/* Serve packet p at hop h at time now: its service (in the hop's unit),
 * delay after service and per-component service; TRUE if a component
 * diverts it. */
static bool serve(const struct hop *h, struct pkt *p, double now, double *svc, double *lat,
		  double comp[HOP_MAX_COMPS], double *batch)
{
	static struct pkt_batch b;
	bool diverted = false;

	*svc = *lat = *batch = 0;
	for (unsigned c = 0; c < h->ncomp; c++) {
		b.n = 1;
		b.p[0] = p;
		b.reroute[0] = 0;
		h->comp[c]->ops->process(h->comp[c], h->dir, &b, now);
		comp[c] = b.service[0];
		*svc += b.service[0];
		*lat += b.latency[0];
		*batch += b.batch_service;
		diverted |= b.reroute[0] != 0;
	}
	return diverted;
}

/* The mean cost of each hop of route ri for frames of size bytes, over
 * SAMPLES packets of one flow after its first.  Returns the hops. */
static unsigned route_costs(const struct pipeline *pl, int ri, double size, uint32_t flow,
			    struct hop_cost *hc)
{
	const struct route *r = pl->routes->pdata[ri];
	const unsigned n = MIN(r->n, MAX_DRAW);

	memset(hc, 0, sizeof(*hc) * n);
	for (unsigned i = 0; i <= SAMPLES; i++) {
		struct pkt p = { .seq = i, .key = rng_mix64(0x5eed0000u + i), .size = (uint32_t)size,
				 .flow = flow, .flags = i ? 0 : PKT_FIRST };

		for (unsigned h = 0; h < n; h++) {
			const struct stage *st = pl->stages->pdata[r->hops[h].stage];
			double svc, lat, batch, comp[HOP_MAX_COMPS] = { 0 };

			serve(&r->hops[h], &p, i * 1e-3, &svc, &lat, comp, &batch);
			if (!i)
				continue;
			hc[h].cycles += st->place != PLACE_HW ? svc + batch / st->serving.batch : 0;
			hc[h].service_s += st->place != PLACE_HW ? 0 : svc;
			hc[h].delay_s += lat;
			for (unsigned c = 0; c < r->hops[h].ncomp; c++)
				hc[h].comp_cycles[c] += st->place != PLACE_HW ? comp[c] : 0;
		}
	}
	for (unsigned h = 0; h < n; h++) {
		const struct hop *hp = &r->hops[h];

		hc[h].st = pl->stages->pdata[hp->stage];
		hc[h].hop = hp;
		hc[h].cycles /= SAMPLES;
		for (unsigned c = 0; c < hp->ncomp; c++)
			hc[h].comp_cycles[c] /= SAMPLES;
		hc[h].service_s = hc[h].st->place != PLACE_HW ? hc[h].cycles / pl->freq_hz
							       : hc[h].service_s / SAMPLES;
		hc[h].delay_s /= SAMPLES;
		hc[h].wake_timer_s = hp->in.usecs;
		hc[h].wake_mean_s = hp->in.latency ? dist_mean(hp->in.latency) : 0;
	}
	return n;
}

/* Host cycles a new flow's first packet costs on route ri, following its
 * diversions; *via gets the first host stage it crosses (or NULL). */
static double first_packet_host_cycles(const struct pipeline *pl, int ri, double size,
				       uint32_t flow, const char **via)
{
	struct pkt p = { .seq = 0, .key = rng_mix64(0xf1f0u), .size = (uint32_t)size, .flow = flow,
			 .flags = PKT_FIRST };
	double host = 0;
	unsigned h = 0, guard = 0;

	*via = NULL;
	while (ri >= 0 && guard++ < 64) {
		const struct route *r = pl->routes->pdata[ri];

		if (h >= r->n)
			break;
		const struct stage *st = pl->stages->pdata[r->hops[h].stage];
		double svc, lat, batch, comp[HOP_MAX_COMPS];
		bool div = serve(&r->hops[h], &p, 0, &svc, &lat, comp, &batch);

		if (st->place == PLACE_HOST) {
			host += svc;
			if (!*via)
				*via = st->name;
		}
		if (div && r->hops[h].alt_route >= 0) {
			unsigned next = r->hops[h].alt_hop;

			ri = r->hops[h].alt_route;
			h = next;
		} else {
			h++;
		}
	}
	return host;
}

/* ---- the drawing ---- */

#define BOX_IN 10	/* characters inside a box */
#define BOXES_PER_ROW 5

/* src cut to what fits in a box */
static void cut(char *dst, const char *src)
{
	size_t n = MIN(strlen(src), (size_t)BOX_IN);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void fmt_us(double s, char *buf, size_t len)
{
	double us = s * 1e6;

	snprintf(buf, len, us >= 100 ? "%.0f us" : us >= 10 ? "%.1f us" : "%.2f us", us);
}

/* One row of up to BOXES_PER_ROW boxes, hc[from .. to). */
static void draw_row(const struct out *o, const struct hop_cost *hc, unsigned from, unsigned to,
		     bool cont)
{
	char lines[3][BOXES_PER_ROW][BOX_IN + 1];
	g_autoptr(GString) l = g_string_new(NULL);

	for (unsigned i = from; i < to; i++) {
		char t[32];

		/* the peer VM's stages: "peer" goes on the second line */
		if (g_str_has_prefix(hc[i].st->name, "peer.")) {
			g_autofree char *w = g_strdup_printf(
				"peer %s", !strcmp(hc[i].st->runs_on, "host cores") ? "host"
										  : hc[i].st->runs_on);

			cut(lines[0][i - from], hc[i].st->name + 5);
			cut(lines[1][i - from], w);
		} else {
			cut(lines[0][i - from], hc[i].st->name);
			cut(lines[1][i - from], hc[i].st->runs_on);
		}
		fmt_us(hc[i].service_s, t, sizeof(t));
		cut(lines[2][i - from], t);
	}
	/* top border, three lines of text (arrows on the first), bottom */
	for (int row = -1; row <= 3; row++) {
		g_string_assign(l, row == 0 && cont ? "->" : "  ");
		for (unsigned i = from; i < to; i++) {
			if (row == -1 || row == 3)
				g_string_append(l, "+----------+");
			else
				g_string_append_printf(l, "|%-*s|", BOX_IN, lines[row][i - from]);
			if (i + 1 < to)
				g_string_append(l, row == 0 ? "--->" : "    ");
		}
		fprintf(o->f, "%s\n", g_strchomp(l->str));
	}
}

/* Under box k of its row: the diversion to stage to, in words. */
static void draw_detour(const struct out *o, unsigned k, const char *to, const char *runs_on,
			const char *why)
{
	const int col = 2 + (int)(k % BOXES_PER_ROW) * 16 + 5;
	char name[BOX_IN + 1], where[BOX_IN + 1];

	cut(name, to);
	cut(where, runs_on);
	fprintf(o->f, "%*s:  %s\n", col, "", why);
	fprintf(o->f, "%*sv\n", col, "");
	fprintf(o->f, "%*s+----------+\n", col - 5, "");
	fprintf(o->f, "%*s|%-*s|---> on as the normal path\n", col - 5, "", BOX_IN, name);
	fprintf(o->f, "%*s|%-*s|\n", col - 5, "", BOX_IN, where);
	fprintf(o->f, "%*s+----------+\n", col - 5, "");
}

/* Why a packet takes the diversion of hop h to route alt. */
static const char *detour_words(const struct hop *h, const struct route *alt)
{
	if (g_str_has_suffix(alt->name, ".synthetic"))
		return "VF removed: the synthetic path";
	return h->dir == DIR_TX ? "new flow, VF removed" : "new flow, inbound SYN, VF removed";
}

/* The boxes of route r (hc: their costs, n of them), BOXES_PER_ROW a row,
 * each row followed by the detour of one of its hops if any has one (a
 * flow-table miss's rather than a fallback's). */
static void draw_route(const struct out *o, const struct pipeline *pl, const struct route *r,
		       const struct hop_cost *hc, unsigned n)
{
	for (unsigned i = 0; i < n; i += BOXES_PER_ROW) {
		const unsigned end = MIN(n, i + BOXES_PER_ROW);
		int pick = -1;

		draw_row(o, hc, i, end, i > 0);
		for (unsigned h = i; h < end; h++) {
			const struct hop *hp = &r->hops[h];

			if (hp->alt_route < 0)
				continue;
			const struct route *alt = pl->routes->pdata[hp->alt_route];

			if (pick < 0 || !g_str_has_suffix(alt->name, ".synthetic"))
				pick = (int)h;
			if (!g_str_has_suffix(alt->name, ".synthetic"))
				break;
		}
		if (pick < 0)
			continue;
		const struct hop *hp = &r->hops[pick];
		const struct route *alt = pl->routes->pdata[hp->alt_route];
		const struct stage *to = pl->stages->pdata[alt->hops[MIN(hp->alt_hop, alt->n - 1)].stage];

		draw_detour(o, (unsigned)pick, to->name, to->runs_on, detour_words(hp, alt));
	}
}

/* ---- the stage table ---- */

static void stage_table(const struct out *o, const struct hop_cost *hc, unsigned n)
{
	fprintf(o->f, "  %-10s %-11s %9s %7s %12s  %s\n", "stage", "runs on", "service", "cycles",
		"wake-up", "then");
	for (unsigned i = 0; i < n; i++) {
		char svc[32], cyc[32] = "", wake[32] = "", then[48] = "";
		const char *dl = hc[i].st->lead->ops->delay;

		fmt_us(hc[i].service_s, svc, sizeof(svc));
		if (hc[i].st->place != PLACE_HW)
			snprintf(cyc, sizeof(cyc), "%.0f", hc[i].cycles);
		/* hardware starts at once: only an idle CPU needs waking */
		if (hc[i].st->place == PLACE_HW)
			;
		else if (hc[i].wake_timer_s > 0 && hc[i].wake_mean_s > 0)
			snprintf(wake, sizeof(wake), "%.1f+%.1f us", hc[i].wake_timer_s * 1e6,
				 hc[i].wake_mean_s * 1e6);
		else if (hc[i].wake_timer_s > 0 || hc[i].wake_mean_s > 0)
			snprintf(wake, sizeof(wake), "%.1f us",
				 (hc[i].wake_timer_s + hc[i].wake_mean_s) * 1e6);
		if (hc[i].delay_s > 0) {
			char d[32];

			fmt_us(hc[i].delay_s, d, sizeof(d));
			snprintf(then, sizeof(then), "%s %s", dl ? dl : "delay", d);
		}
		g_autofree char *line = g_strdup_printf("  %-10.10s %-11s %9s %7s %12s  %s",
							hc[i].st->name, hc[i].st->runs_on, svc, cyc,
							wake, then);
		fprintf(o->f, "%s\n", g_strchomp(line));
	}
}

/* "vswitch 4200 + vnic 1330" for the host stages of a route. */
static double host_cycles(const struct hop_cost *hc, unsigned n, GString *parts)
{
	double sum = 0;

	for (unsigned i = 0; i < n; i++) {
		if (hc[i].st->place != PLACE_HOST)
			continue;
		for (unsigned c = 0; c < hc[i].hop->ncomp; c++) {
			g_string_append_printf(parts, "%s%s %.0f", parts->len ? " + " : "",
					       hc[i].hop->comp[c]->name, hc[i].comp_cycles[c]);
		}
		/* and the hop's share of the per-batch cost */
		sum += hc[i].cycles;
	}
	return sum;
}

static double guest_cycles(const struct hop_cost *hc, unsigned n)
{
	double sum = 0;

	for (unsigned i = 0; i < n; i++)
		if (hc[i].st->place == PLACE_GUEST)
			sum += hc[i].cycles;
	return sum;
}

/* The first source of s's VM vm, or NULL. */
static const struct traffic_spec *first_source(const struct scenario *s, unsigned vm)
{
	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);

		if (t->vm == TVM_SELF && t->vm_index == vm)
			return t;
	}
	return NULL;
}

static const char *route_words(enum route_kind k)
{
	switch (k) {
	case RK_RX:
		return "a frame received from another host";
	case RK_TX:
		return "a frame sent to another host";
	case RK_RX_FROM_PEER:
		return "a frame from a VM on another host (its path out, then this one's in)";
	case RK_TX_TO_PEER:
		return "a frame to a VM on another host (this path out, then the peer's in)";
	case RK_RR:
	case RK_RR_PEER:
		return "a request from a client (the response goes back the same way)";
	case RK_TCP_TX:
	case RK_TCP_TX_PEER:
		return "a TCP segment sent (its ACK comes back the same way)";
	default:
		return "a frame";
	}
}

void explain_paths(FILE *f, const struct scenario *s, unsigned vm,
		   struct pipeline *const pl[PATH_COUNT], bool colour)
{
	const struct out o = { f, colour };
	const struct traffic_spec *t = first_source(s, vm);
	g_autofree char *which = follow_vm_words(s, vm);
	int route[PATH_COUNT];
	struct hop_cost hc[PATH_COUNT][MAX_DRAW];
	unsigned n[PATH_COUNT];
	const double size = t ? dist_mean(&t->size) : 64;
	const enum route_kind k = t ? traffic_route_kind(t) : RK_RX;
	const uint32_t flow = 7;

	if (colour)
		fprintf(f, "\033[1m");
	fprintf(f, "accelsim explain: model %s", s->model->name);
	fprintf(f, colour ? "\033[0m\n" : "\n");
	if (s->model->description && *s->model->description)
		paraf(&o, 2, "%s", s->model->description);
	fputc('\n', f);
	if (which)
		paraf(&o, 0, "The paths of %s; --vm NAME explains another.", which);
	for (int p = 0; p < PATH_COUNT; p++) {
		route[p] = pipeline_vm_route(pl[p], k, vm);
		if (route[p] < 0) {
			para(&o, 0, "This VM has no traffic of its own in the scenario: there is no "
				    "path to draw.");
			return;
		}
		n[p] = route_costs(pl[p], route[p], size, flow, hc[p]);
	}
	if (g_array_index(s->vms, struct vm_spec, vm).an != AN_COMPARE)
		paraf(&o, 0, "Its accelerated networking is %s: it takes %s in both worlds, so "
			     "the two drawings show the same path.",
		      an_mode_names[g_array_index(s->vms, struct vm_spec, vm).an],
		      g_array_index(s->vms, struct vm_spec, vm).an == AN_ON ? "its VF"
									      : "the normal path");
	paraf(&o, 0, "The two paths of %s, %.0f bytes, as this model has them.  In each box: "
		     "the stage, what it runs on, and its mean service per packet.",
	      route_words(k), size);

	const int an = g_array_index(s->vms, struct vm_spec, vm).an;

	heading(&o, an == AN_ON ? "normal world: this VM keeps its VF"
				: "normal path: every packet crosses the host");
	draw_route(&o, pl[PATH_NORMAL], pl[PATH_NORMAL]->routes->pdata[route[PATH_NORMAL]],
		   hc[PATH_NORMAL], n[PATH_NORMAL]);
	heading(&o, an == AN_OFF			? "accelerated world: this VM has no VF"
		    : k == RK_TX || k == RK_TX_TO_PEER || k == RK_TCP_TX || k == RK_TCP_TX_PEER
			    ? "accelerated path: the VM hands frames straight to the VF"
			    : "accelerated path: the VF hands frames straight to the VM");
	draw_route(&o, pl[PATH_ACCEL], pl[PATH_ACCEL]->routes->pdata[route[PATH_ACCEL]],
		   hc[PATH_ACCEL], n[PATH_ACCEL]);

	heading(&o, "what each stage costs (means of this model)");
	for (int p = 0; p < PATH_COUNT; p++) {
		fprintf(f, "%s%s\n", p ? "\n" : "", path_name(p));
		stage_table(&o, hc[p], n[p]);
	}
	fputc('\n', f);
	para(&o, 2, "service: time a server is busy with the packet (cycles on host cores or "
		    "vCPUs, at the model's clock); wake-up: paid when the stage is idle, the "
		    "interrupt moderation timer (at most) plus the mean delay of the interrupt or "
		    "notification; then: the delay after service before the next stage.");

	heading(&o, "where host CPU goes");
	for (int p = 0; p < PATH_COUNT; p++) {
		g_autoptr(GString) parts = g_string_new(NULL);
		double hcyc = host_cycles(hc[p], n[p], parts);
		const char *via;
		double first = first_packet_host_cycles(pl[p], route[p], size,
							flow + 1000, &via);

		if (hcyc > 0)
			paraf(&o, 2, "%s: %.0f host cycles per packet (%s), %.2f us of a host core at "
				     "%.1f GHz; a new flow's first packet %.0f (rule evaluation).",
			      path_name(p), hcyc, parts->str, hcyc / pl[p]->freq_hz * 1e6,
			      pl[p]->freq_hz / 1e9, first);
		else
			paraf(&o, 2, "%s: no host cycles per packet; a new flow's first packet %.0f "
				     "(it goes through the %s, which installs the flow in the NIC).",
			      path_name(p), first, via ? via : "host");
		paraf(&o, 4, "and on the VM's vCPUs (stack and application): %.0f cycles.",
		      guest_cycles(hc[p], n[p]));
	}
}

void explain_ideas(FILE *f, bool colour)
{
	const struct out o = { f, colour };

	heading(&o, "SR-IOV and the virtual function");
	para(&o, 2, "SR-IOV lets one physical NIC appear as several PCIe devices: a physical "
		    "function that the host's driver owns, and light virtual functions (VFs) that "
		    "the hypervisor assigns to VMs.  A VM with a VF has its own queues on the NIC: "
		    "the NIC writes received frames straight into the VM's memory by DMA, its "
		    "addresses translated by the IOMMU, and interrupts the VM's vCPU.  No host core "
		    "touches those packets.  Azure calls this accelerated networking.");
	heading(&o, "the vSwitch detour");
	para(&o, 2, "Without a VF, every frame goes through the host.  The NIC interrupts a host "
		    "core; the host's virtual switch (VFP on Azure, Open vSwitch on KVM) finds the "
		    "flow and applies its rules (access lists, address translation, "
		    "encapsulation, metering); the synthetic vNIC copies the frame into the VM's "
		    "memory and signals the VM (a VMBus interrupt).  Each step costs host cycles, "
		    "and each hand-off adds a delay that varies from packet to packet: the normal "
		    "path's extra latency, jitter and host CPU come from there.");
	heading(&o, "the first packet of a flow (GFT)");
	para(&o, 2, "Azure's NIC forwards a flow in hardware only once its flow table (GFT) "
		    "has an entry for it.  A new flow's first packet, and every inbound TCP SYN, go "
		    "through the vSwitch as on the normal path; the vSwitch evaluates the rules and "
		    "writes the flow's entry into the NIC, and the flow's later packets take the "
		    "VF.  So even with accelerated networking a workload of many short "
		    "connections spends some host CPU.  See it with 'accelsim trace web-server "
		    "--flow'.");
	heading(&o, "why it cannot be switched on a running VM");
	para(&o, 2, "Accelerated networking is a property of the VM's network interface, set "
		    "when the interface is created.  It cannot be turned on or off while the VM "
		    "runs: an existing interface can be changed only with the VM stopped "
		    "(deallocated).  Some sizes require it and some do not offer it ('accelsim "
		    "check-size NAME').  What the platform does to a running VM is remove its VF "
		    "and add it back, during host servicing: the guest's network driver keeps "
		    "the traffic on the synthetic path meanwhile, and the VM works on, slower.  "
		    "'accelsim run calibration/servicing' simulates that.");
	heading(&o, "how to check it inside a VM");
	para(&o, 2, "On Linux, 'ethtool -S eth0 | grep vf_' shows the counters of the traffic "
		    "that went through the VF (vf_rx_packets, vf_tx_packets ...): if they grow, "
		    "accelerated networking is on and in use.  'accelsim real check' reads the "
		    "same counters, and the SR-IOV devices, for you.");
	heading(&o, "when it does not matter");
	para(&o, 2, "A small application with little traffic, whose own work takes far longer "
		    "than the network, sees a difference of a few percent at most: 'accelsim run "
		    "small-app --brief'.");
}

/* ---- a run explained ---- */

static double fig(const struct run_result *r, const char *name, enum path_id p)
{
	const struct metric *m = metric_find(&metric_path, name);

	g_assert(m);
	return metric_value(m, &r->paths[p]);
}

static double row_total(const struct budget_row *b)
{
	return b->wait_s + b->wake_s + b->service_s + b->delay_s;
}

static const struct budget_row *budget_row_named(const struct path_result *p, const char *name)
{
	for (guint i = 0; i < p->budget->len; i++)
		if (!strcmp(g_array_index(p->budget, struct budget_row, i).name, name))
			return &g_array_index(p->budget, struct budget_row, i);
	return NULL;
}

/* The biggest part of a budget row, in words. */
static void row_words(const struct budget_row *b, char *buf, size_t len)
{
	const double part[4] = { b->wait_s, b->wake_s, b->service_s, b->delay_s };
	const char *what[4] = { "queueing behind other packets",
				"waiting for an interrupt or notification to wake it",
				"being processed", "the delay after it" };
	int k = 0;

	for (int i = 1; i < 4; i++)
		if (part[i] > part[k])
			k = i;
	if (strstr(b->name, ": "))
		snprintf(buf, len, "a delay after service");
	else
		snprintf(buf, len, "%.2f us of it %s", part[k] * 1e6, what[k]);
}

static void bullet(const struct out *o, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void bullet(const struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *t = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	para_hang(o, 4, 6, t);
}

struct diff_row {
	const char *name;
	double diff;
	const struct budget_row *n, *a;
};

static gint by_diff(gconstpointer x, gconstpointer y)
{
	const struct diff_row *a = x, *b = y;

	return fabs(b->diff) > fabs(a->diff) ? 1 : fabs(b->diff) < fabs(a->diff) ? -1 : 0;
}

void explain_result(FILE *f, const struct scenario *s, const struct run_result *r, bool colour)
{
	const struct out o = { f, colour };
	const bool rr = metric_counts_requests(r);
	const char *kind = r->provenance ? latency_kind_name(r->provenance->latency) : "";
	g_autofree char *title = g_strdup_printf("this scenario: %s", s->name);

	heading(&o, title);
	if (s->description && *s->description)
		paraf(&o, 2, "%s.", s->description);
	unsigned vm = s->primary;
	if (r->focus && !follow_vm_find(s, r->focus, "vm", &vm, NULL))
		g_assert_not_reached();
	g_autofree char *which = follow_vm_words(s, vm);
	if (which)
		paraf(&o, 2, "The figures of %s.", which);
	for (guint i = 0; i < r->note_keys->len; i++)
		if (!strcmp(r->note_keys->pdata[i], "vm size"))
			paraf(&o, 2, "Note: %s.", (const char *)r->note_values->pdata[i]);
	if (!r->paths[PATH_NORMAL].delivered_packets || !r->paths[PATH_ACCEL].delivered_packets) {
		para(&o, 2, "One of the paths delivered nothing in the measured time: see 'accelsim "
			    "run' for its drops.");
		return;
	}
	const double p50[2] = { fig(r, "latency_p50", 0), fig(r, "latency_p50", 1) };
	const double p99[2] = { fig(r, "latency_p99", 0), fig(r, "latency_p99", 1) };
	const double jit[2] = { fig(r, "jitter_rfc3550", 0), fig(r, "jitter_rfc3550", 1) };

	paraf(&o, 2, "Latency (%s): the median %s takes %.2f us on the normal path and %.2f us "
		     "on the accelerated one (%.2f times); one in a hundred takes more than %.2f us "
		     "and %.2f us (p99, %.2f times).  The RFC 3550 jitter is %.2f us against %.2f us.",
	      kind, rr ? "request's round trip" : "packet", p50[0], p50[1], p50[0] / p50[1], p99[0], p99[1], p99[0] / p99[1], jit[0],
	      jit[1]);

	/* the budget rows that differ most */
	g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(struct diff_row));
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *pr = &r->paths[p];

		for (guint i = 0; i < pr->budget->len; i++) {
			const struct budget_row *b = &g_array_index(pr->budget, struct budget_row, i);
			bool seen = false;

			for (guint k = 0; k < rows->len; k++)
				seen |= !strcmp(g_array_index(rows, struct diff_row, k).name, b->name);
			if (seen)
				continue;
			struct diff_row d = { b->name, 0, budget_row_named(&r->paths[0], b->name),
					      budget_row_named(&r->paths[1], b->name) };

			d.diff = (d.n ? row_total(d.n) : 0) - (d.a ? row_total(d.a) : 0);
			g_array_append_val(rows, d);
		}
	}
	g_array_sort(rows, by_diff);
	para(&o, 2, "Where the difference comes from (mean per packet, from the latency "
		    "budget):");
	for (guint i = 0; i < MIN(rows->len, 3); i++) {
		const struct diff_row *d = &g_array_index(rows, struct diff_row, i);
		char w[96];

		if (fabs(d->diff) < 0.005e-6)
			break;
		if (d->n && d->a) {
			row_words(d->diff > 0 ? d->n : d->a, w, sizeof(w));
			bullet(&o, "- %s: %.2f us normal, %.2f us accelerated (%s%.2f us; on the %s "
				     "path %s).", d->name, row_total(d->n) * 1e6, row_total(d->a) * 1e6,
			      d->diff > 0 ? "+" : "", d->diff * 1e6,
			      d->diff > 0 ? "normal" : "accelerated", w);
		} else {
			row_words(d->n ? d->n : d->a, w, sizeof(w));
			bullet(&o, "- %s: on the %s path only, %.2f us (%s).", d->name,
			      d->n ? "normal" : "accelerated", row_total(d->n ? d->n : d->a) * 1e6, w);
		}
	}

	const double cores[2] = { fig(r, "host_cpu_cores", 0), fig(r, "host_cpu_cores", 1) };
	const double cyc[2] = { fig(r, "host_cycles_per_packet", 0),
				fig(r, "host_cycles_per_packet", 1) };
	paraf(&o, 2, "Host CPU: the normal path keeps %.3f host cores busy (%.0f cycles per %s), "
		     "the accelerated path %.3f (%.0f cycles)%s.  Accelerated networking gives back "
		     "%.3f host cores here.",
	      cores[0], cyc[0], rr ? "request" : "delivered packet", cores[1], cyc[1],
	      cores[1] > 0 ? ": the first packets of new flows, SYNs or a removed VF still "
			     "go through the vSwitch"
			   : "",
	      cores[0] - cores[1]);

	const double pps[2] = { fig(r, "delivered_pps", 0), fig(r, "delivered_pps", 1) };
	const double drop[2] = { fig(r, "dropped_packets", 0), fig(r, "dropped_packets", 1) };
	paraf(&o, 2, "Throughput: %.0f %s delivered per second on the normal path, %.0f on the "
		     "accelerated one; dropped: %.0f and %.0f%s.",
	      pps[0], rr ? "requests" : "packets", pps[1], drop[0], drop[1],
	      drop[0] + drop[1] > 0 ? " ('accelsim run' lists the drops per stage)" : "");

	const int an = g_array_index(s->vms, struct vm_spec, vm).an;

	if (an != AN_COMPARE)
		paraf(&o, 2, "Verdict: this VM's accelerated networking is %s in both worlds; what "
			     "differs between them is the path the compared VMs take, and what "
			     "that does to the host it shares with them.",
		      an_mode_names[an]);
	else if (p50[0] / p50[1] < 1.1 && cores[0] - cores[1] < 0.05)
		para(&o, 2, "Verdict: the paths differ by less than a tenth and the host CPU at "
			    "stake is small: for this workload accelerated networking brings little.");
	else
		paraf(&o, 2, "Verdict: accelerated networking cuts the median latency %.1f times "
			     "and the p99 %.1f times here, and frees %.3f host cores.",
		      p50[0] / p50[1], p99[0] / p99[1], cores[0] - cores[1]);
}
