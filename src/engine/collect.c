/* collect.c: the figures of a finished (or stopped) run, from the
 * engine's counters into a run_result.
 */
#include <stdio.h>

#include "engine/internal.h"

/* The latency budget: per stage, the mean over VM vm's counted, delivered
 * packets of the time they spent there (queue, wake-up, service), and the
 * delay after its service as a row of its own; the rows add up to the
 * mean latency. */
static void collect_budget(const struct epath *ep, const struct evm *vm, struct path_result *pr)
{
	const double n = (double)vm->budget_n;

	if (!vm->budget_n)
		return;
	for (unsigned s = 0; s < ep->nstages; s++) {
		const struct budget_acc *a = &vm->budget[s];
		const struct stage *st = ep->stages[s].st;

		if (a->wait + a->wake + a->service > 0) {
			struct budget_row *b = path_result_add_budget(pr, st->name, st->runs_on);

			b->wait_s = a->wait / n;
			b->wake_s = a->wake / n;
			b->service_s = a->service / n;
		}
		if (a->delay > 0) {
			const char *what = st->lead->ops->delay ? st->lead->ops->delay : "delay";
			g_autofree char *name = g_strdup_printf("%s: %s", st->name, what);

			path_result_add_budget(pr, name, st->runs_on)->delay_s = a->delay / n;
		}
	}
}

/* Measured packets of VM v still inside path ep: in every stage's input
 * queue and the batches exact-mode servers hold. */
static uint64_t in_flight(const struct sim *sim, const struct epath *ep, int v)
{
	uint64_t n = 0;

	for (unsigned s = 0; s < ep->nstages; s++)
		for (unsigned l = 0; l < ep->stages[s].nlanes; l++) {
			const struct lane *ln = &ep->stages[s].lanes[l];

			for (unsigned i = 0; i < ln->in.len; i++) {
				const struct pkt *p = pring_at(&ln->in, i);

				n += (p->flags & PKT_MEASURED) && pkt_vm(ep, p) == v;
			}
		}
	return n + exact_in_flight(sim, ep->path, v);
}

/* VM v's figures on path ep into vm->out: its counts, rates, CPU and
 * latency budget, and, with several VMs, its share of every stage its
 * routes cross. */
static void collect_vm(struct sim *sim, struct epath *ep, unsigned v, double end, double T)
{
	const struct scenario *sc = sim->sc;
	struct evm *vm = &ep->vms[v];
	struct path_result *pr = vm->out;

	pr->offered_packets = vm->offered;
	pr->delivered_packets = vm->delivered;
	pr->dropped_packets = vm->dropped;
	pr->in_flight_packets = in_flight(sim, ep, (int)v);
	pr->offered_pps = vm->offered / T;
	pr->offered_bps = vm->offered_bytes * 8 / T;
	pr->delivered_pps = vm->delivered_in / T;
	pr->delivered_bps = vm->delivered_in_bytes * 8 / T;
	const double host_cycles = (double)vm->host_cycles, guest_cycles = (double)vm->guest_cycles;

	pr->host_cpu_cores = host_cycles / sc->model->host.freq_hz / T;
	pr->host_cycles_per_packet = vm->delivered_in ? host_cycles / vm->delivered_in : 0;
	/* per packet a host stage served, whatever became of it: a request
	 * and its response are two */
	uint64_t processed = 0;
	for (unsigned s = 0; s < ep->nstages; s++)
		if (ep->stages[s].st->measured && ep->stages[s].st->place == PLACE_HOST)
			processed += ep->stages[s].vm[v].packets;
	pr->host_cycles_per_processed = processed ? host_cycles / processed : 0;
	pr->guest_cpu_vcpus = guest_cycles / sc->model->host.freq_hz / T;
	if (sc->named_vms)
		for (unsigned s = 0; s < ep->nstages; s++) {
			const struct estage *es = &ep->stages[s];
			const struct evm_stage *vs = &es->vm[v];
			char where[64];

			if (!vm->crosses[s])
				continue;
			snprintf(where, sizeof(where), "%s%s", es->st->runs_on, es->exact ? "*" : "");
			struct stage_result *sr = path_result_add_stage(pr, es->st->name, where);
			sr->packets = vs->packets;
			sr->drops = vs->drops;
			sr->mean_s = vs->packets ? (double)vs->sojourn / vs->packets : 0;
			sr->utilisation = (double)vs->busy / (es->nservers * T);
			sr->cycles = (double)vs->cycles;
		}
	collect_budget(ep, vm, pr);
	series_collect(sim, end, vm);
	sim->stats.cycles[ep->path] += host_cycles + guest_cycles;
}

/* The figures of src into dst (an empty path_result) but its stages: the
 * run's paths are its first compared VM's, beside every stage. */
static void copy_figures(struct path_result *dst, const struct path_result *src)
{
	GArray *stages = dst->stages;
	struct stats_hist *h = dst->latency;

	*dst = *src;
	dst->stages = stages;
	dst->latency = h;
	stats_hist_merge(dst->latency, src->latency);
	dst->budget = g_array_ref(src->budget);
	dst->series = g_array_ref(src->series);
	dst->phases = g_array_ref(src->phases);
}

void collect_results(struct sim *sim, struct run_result *out)
{
	const struct scenario *sc = sim->sc;
	double end = sim->stopped ? sim->stopped_at : sim->duration;
	double T = MAX(end - sim->warmup, 1e-12);

	/* stopped in the warm-up: nothing was measured */
	out->duration_s = MAX(end - sim->warmup, 0);
	out->partial = sim->stopped;
	out->interval_s = sim->series_len;
	out->host_vms = sc->vms->len;
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];
		struct path_result *pr = &out->paths[p];
		long double host_cycles = 0;
		uint64_t processed = 0;

		for (unsigned v = 0; v < ep->nvms; v++)
			collect_vm(sim, ep, v, end, T);
		if (sc->named_vms) {
			GArray *b = pr->budget, *sr = pr->series, *ph = pr->phases;

			copy_figures(pr, ep->vms[sc->primary].out);
			g_array_unref(b);
			g_array_unref(sr);
			g_array_unref(ph);
		}
		for (unsigned s = 0; s < ep->nstages; s++) {
			const struct estage *es = &ep->stages[s];
			char where[64];

			snprintf(where, sizeof(where), "%s%s", es->st->runs_on, es->exact ? "*" : "");
			struct stage_result *sr = path_result_add_stage(pr, es->st->name, where);
			sr->packets = es->packets;
			sr->drops = es->drops;
			sr->mean_s = es->packets ? (double)es->sojourn / es->packets : 0;
			sr->utilisation = (double)es->busy / (es->nservers * T);
			sr->cycles = (double)es->cycles;
			sr->occupancy = es->occupancy_n ? es->occupancy_sum / es->occupancy_n : 0;
			/* the host's own: not the one a VM migrated to */
			if (es->st->measured && es->st->place == PLACE_HOST && !es->st->dst) {
				host_cycles += es->cycles;
				processed += es->packets;
			}
		}
		/* the host's own: every VM's and neighbour's work on its cores */
		out->host[p].host_cpu_cores = (double)host_cycles / sc->model->host.freq_hz / T;
		out->host[p].host_cycles_per_processed = processed ? (double)host_cycles / processed : 0;
		sim->stats.peak_packets += ep->pool.peak;
	}
	if (sim->any_exact)
		run_result_note(out, "exact mode", "stages marked * ran as SimGrid actors (shared cores)");
}
