/* series.c: figures per interval of the measured time (run --interval).
 *
 * The measured time [warm-up, duration) is cut into intervals of equal
 * length; per path and interval the engine counts the measured VM's
 * deliveries and drops, the bits delivered, and the host and guest cycles
 * its stages spent there (a batch's cycles spread over the intervals it
 * spans, as the path figures are over the measured time).  Latency
 * percentiles need a histogram per interval: one is kept only for the
 * intervals still open, those the engine may still deliver into, and an
 * interval closes once every stage is past its end (series_close()).
 * Memory: the rows themselves, plus a few open histograms.
 */
#include <math.h>

#include "engine/internal.h"

struct series_path {
	struct interval_row *rows;
	double *host, *guest;		/* cycles per interval */
	/* latency histograms of the open intervals base .. base + cap - 1,
	 * interval k in slot k % cap; NULL: none yet */
	struct stats_hist **open;
	unsigned cap;
	uint64_t base;
};

void series_init(struct sim *sim, double len)
{
	const double measured = sim->duration - sim->warmup;

	if (!(len > 0) || !(measured > 0))
		return;
	sim->series_len = len;
	sim->series_n = (uint64_t)ceil(measured / len - 1e-9);
	for (int p = 0; p < PATH_COUNT; p++) {
		struct series_path *s = g_new0(struct series_path, 1);

		s->rows = g_new0(struct interval_row, sim->series_n);
		s->host = g_new0(double, sim->series_n);
		s->guest = g_new0(double, sim->series_n);
		s->cap = 8;
		s->open = g_new0(struct stats_hist *, s->cap);
		sim->paths[p].series = s;
	}
}

/* The interval t falls in, or -1 outside the measured time. */
static inline int64_t interval_of(const struct sim *sim, double t)
{
	if (t < sim->warmup || t >= sim->duration)
		return -1;
	uint64_t k = (uint64_t)((t - sim->warmup) / sim->series_len);

	return (int64_t)MIN(k, sim->series_n - 1);
}

/* Interval k's open histogram, made room for. */
static struct stats_hist *open_hist(struct series_path *s, uint64_t k)
{
	if (k < s->base)
		return NULL; /* closed already: cannot happen, see series_close */
	if (k - s->base >= s->cap) {
		/* more intervals open at once than slots: double them */
		unsigned cap = s->cap * 2;

		while (k - s->base >= cap)
			cap *= 2;
		struct stats_hist **open = g_new0(struct stats_hist *, cap);

		for (uint64_t j = s->base; j < s->base + s->cap; j++)
			open[j % cap] = s->open[j % s->cap];
		g_free(s->open);
		s->open = open;
		s->cap = cap;
	}
	struct stats_hist **h = &s->open[k % s->cap];

	if (!*h)
		*h = stats_hist_new();
	return *h;
}

void series_deliver(struct epath *ep, double t, double latency, uint32_t bytes)
{
	int64_t k = interval_of(ep->sim, t);

	if (k < 0)
		return;
	struct series_path *s = ep->series;
	struct stats_hist *h = open_hist(s, (uint64_t)k);

	s->rows[k].delivered++;
	s->rows[k].delivered_bps += bytes * 8.0;
	if (h)
		stats_hist_record(h, (int64_t)llround(latency * 1e9));
}

void series_drop(struct epath *ep, double t)
{
	int64_t k = interval_of(ep->sim, t);

	if (k >= 0)
		ep->series->rows[k].dropped++;
}

void series_cpu(struct epath *ep, bool host, double start, double end, double cycles)
{
	const struct sim *sim = ep->sim;
	double *to = host ? ep->series->host : ep->series->guest;

	if (!(end > start)) {
		int64_t k = interval_of(sim, start);

		if (k >= 0)
			to[k] += cycles;
		return;
	}
	double a = MAX(start, sim->warmup), until = MIN(end, sim->duration);
	int64_t k = interval_of(sim, a);

	if (k < 0 || !(until > a))
		return;
	/* step by interval, not by the boundary's time: a boundary computed
	 * as warmup + (k + 1) x length can round to a itself */
	for (; a < until && (uint64_t)k < sim->series_n; k++) {
		double b = (uint64_t)k + 1 == sim->series_n ?
				   until :
				   MIN(until, sim->warmup + (double)(k + 1) * sim->series_len);

		if (b > a) {
			to[k] += cycles * (b - a) / (end - start);
			a = b;
		}
	}
}

/* Interval k's latency percentiles, from its histogram, which goes. */
static void close_interval(struct series_path *s, uint64_t k)
{
	struct stats_hist **h = &s->open[k % s->cap];
	struct interval_row *row = &s->rows[k];

	row->latency_p50_s = row->latency_p99_s = NAN;
	if (*h && stats_hist_count(*h)) {
		row->latency_p50_s = stats_hist_percentile(*h, 50) * 1e-9;
		row->latency_p99_s = stats_hist_percentile(*h, 99) * 1e-9;
	}
	if (*h)
		stats_hist_reset(*h);
}

void series_close(struct sim *sim, double reached)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		struct series_path *s = sim->paths[p].series;

		if (!s)
			continue;
		while (s->base < sim->series_n &&
		       sim->warmup + (s->base + 1) * sim->series_len <= reached)
			close_interval(s, s->base++);
	}
}

void series_collect(struct sim *sim, double end, struct path_result *out, enum path_id p)
{
	struct series_path *s = sim->paths[p].series;
	const double freq = sim->sc->model->host.freq_hz;

	if (!s)
		return;
	for (uint64_t k = 0; k < sim->series_n; k++) {
		struct interval_row row = s->rows[k];
		const double t0 = sim->warmup + k * sim->series_len;
		const double t1 = MIN(t0 + sim->series_len, sim->duration);
		const double len = MIN(t1, end) - t0;

		if (!(len > 0))
			break; /* stopped before it */
		if (k >= s->base)
			close_interval(s, k);
		row = s->rows[k];
		row.t0_s = t0 - sim->warmup;
		row.t1_s = t0 + len - sim->warmup;
		row.delivered_bps /= len;
		row.host_cpu_cores = s->host[k] / freq / len;
		row.guest_cpu_vcpus = s->guest[k] / freq / len;
		g_array_append_val(out->series, row);
	}
}

void series_free(struct sim *sim)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		struct series_path *s = sim->paths[p].series;

		if (!s)
			continue;
		for (unsigned i = 0; i < s->cap; i++)
			stats_hist_free(s->open[i]);
		g_free(s->open);
		g_free(s->rows);
		g_free(s->host);
		g_free(s->guest);
		g_free(s);
		sim->paths[p].series = NULL;
	}
}
