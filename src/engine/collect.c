/* collect.c: the figures of a finished (or stopped) run, from the
 * engine's counters into a run_result.
 */
#include <stdio.h>

#include "engine/internal.h"

/* The latency budget: per stage, the mean over counted, delivered packets
 * of the time they spent there (queue, wake-up, service), and the delay
 * after its service as a row of its own; the rows add up to the mean
 * latency. */
static void collect_budget(const struct epath *ep, struct path_result *pr)
{
	const double n = (double)ep->budget_n;

	if (!ep->budget_n)
		return;
	for (unsigned s = 0; s < ep->nstages; s++) {
		const struct budget_acc *a = &ep->budget[s];
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

void collect_results(struct sim *sim, struct run_result *out)
{
	const struct scenario *sc = sim->sc;
	double end = sim->stopped ? sim->stopped_at : sim->duration;
	double T = MAX(end - sim->warmup, 1e-12);

	/* stopped in the warm-up: nothing was measured */
	out->duration_s = MAX(end - sim->warmup, 0);
	out->partial = sim->stopped;
	out->interval_s = sim->series_len;
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];
		struct path_result *pr = &out->paths[p];
		uint64_t in_flight = 0;

		/* count what is still inside, independently of the counters */
		for (unsigned s = 0; s < ep->nstages; s++)
			for (unsigned l = 0; l < ep->stages[s].nlanes; l++) {
				const struct lane *ln = &ep->stages[s].lanes[l];

				for (unsigned i = 0; i < ln->in.len; i++)
					in_flight += (pring_at(&ln->in, i)->flags & PKT_MEASURED) != 0;
			}
		in_flight += exact_in_flight(sim, p);

		pr->offered_packets = ep->offered;
		pr->delivered_packets = ep->delivered;
		pr->dropped_packets = ep->dropped;
		pr->in_flight_packets = in_flight;
		pr->offered_pps = ep->offered / T;
		pr->offered_bps = ep->offered_bytes * 8 / T;
		pr->delivered_pps = ep->delivered_in / T;
		pr->delivered_bps = ep->delivered_in_bytes * 8 / T;
		const double host_cycles = (double)ep->host_cycles, guest_cycles = (double)ep->guest_cycles;

		pr->host_cpu_cores = host_cycles / sc->model->host.freq_hz / T;
		pr->host_cycles_per_packet = ep->delivered_in ? host_cycles / ep->delivered_in : 0;
		/* per packet a host stage served, whatever became of it: a
		 * request and its response are two */
		uint64_t processed = 0;
		for (unsigned s = 0; s < ep->nstages; s++)
			if (ep->stages[s].st->measured && ep->stages[s].st->place == PLACE_HOST)
				processed += ep->stages[s].own_packets;
		pr->host_cycles_per_processed = processed ? host_cycles / processed : 0;
		pr->guest_cpu_vcpus = guest_cycles / sc->model->host.freq_hz / T;
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
		}
		collect_budget(ep, pr);
		series_collect(sim, end, pr, p);
		sim->stats.cycles[p] = host_cycles + guest_cycles;
		sim->stats.peak_packets += ep->pool.peak;
	}
	if (sim->any_exact)
		run_result_note(out, "exact mode", "stages marked * ran as SimGrid actors (shared cores)");
}

