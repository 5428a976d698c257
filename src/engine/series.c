/* series.c: figures per interval of the measured time: the time series of
 * `run --interval` and the phases between events.
 *
 * The measured time [warm-up, duration) is cut into intervals: of equal
 * length for the series, at each event's time for the phases (servicing
 * takes the VF away at t1: the interval from t1 is the one on the
 * synthetic path).  Per path, VM and interval the engine counts the VM's
 * deliveries and drops, the bits delivered, and the host and guest cycles
 * its share of the stages spent there (a batch's cycles spread over the
 * intervals it spans, as the path figures are over the measured time).
 * Latency percentiles need a histogram per interval: the series keeps one
 * only for the intervals still open, those the engine may still deliver
 * into, and an interval closes once every stage is past its end
 * (series_close()); the phases, which are few, keep one each.
 *
 * A phase boundary known only during the run (a migration's end, which
 * SimGrid computes) is marked when it happens; the engine has by then
 * recorded nothing after it, but for deliveries whose last delay (a
 * propagation, a few microseconds) ends past it.
 * Memory: the rows themselves, plus the histograms.
 */
#include <math.h>
#include <string.h>

#include "engine/internal.h"

/* How the measured time is cut. */
struct series_def {
	bool uniform;
	double len;		/* uniform: interval length */
	uint64_t n;		/* intervals */
	GArray *bounds;		/* phases: each one's start, increasing */
};

struct series_path {
	const struct series_def *def;
	GArray *rows;		/* struct interval_row */
	GArray *host, *guest;	/* double: cycles per interval */
	/* uniform: latency histograms of the open intervals base .. base +
	 * cap - 1, interval k in slot k % cap; phases: one per phase */
	struct stats_hist **open;
	unsigned cap;
	uint64_t base;
};

static struct series_path *path_new(const struct series_def *def, uint64_t n)
{
	struct series_path *s = g_new0(struct series_path, 1);
	const struct interval_row zero = { 0 };
	const double dz = 0;

	s->def = def;
	s->rows = g_array_new(FALSE, TRUE, sizeof(struct interval_row));
	s->host = g_array_new(FALSE, TRUE, sizeof(double));
	s->guest = g_array_new(FALSE, TRUE, sizeof(double));
	for (uint64_t k = 0; k < n; k++) {
		g_array_append_val(s->rows, zero);
		g_array_append_val(s->host, dz);
		g_array_append_val(s->guest, dz);
	}
	s->cap = def->uniform ? 8 : MAX(8u, (unsigned)n);
	s->open = g_new0(struct stats_hist *, s->cap);
	return s;
}

static void path_free(struct series_path *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->cap; i++)
		stats_hist_free(s->open[i]);
	g_free(s->open);
	g_array_unref(s->rows);
	g_array_unref(s->host);
	g_array_unref(s->guest);
	g_free(s);
}

void series_init(struct sim *sim, double len)
{
	const double measured = sim->duration - sim->warmup;

	if (!(len > 0) || !(measured > 0))
		return;
	struct series_def *def = g_new0(struct series_def, 1);

	def->uniform = true;
	def->len = len;
	def->n = (uint64_t)ceil(measured / len - 1e-9);
	sim->series_def = def;
	sim->series_len = len;
	sim->series_n = def->n;
	sim->tracking = true;
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned v = 0; v < sim->paths[p].nvms; v++)
			sim->paths[p].vms[v].series = path_new(def, def->n);
}

void phases_init(struct sim *sim, const double *bounds, unsigned n)
{
	if (!(sim->duration > sim->warmup))
		return;
	struct series_def *def = g_new0(struct series_def, 1);
	const double w = sim->warmup;

	def->bounds = g_array_new(FALSE, FALSE, sizeof(double));
	g_array_append_val(def->bounds, w);
	for (unsigned i = 0; i < n; i++)
		if (bounds[i] > g_array_index(def->bounds, double, def->bounds->len - 1) &&
		    bounds[i] < sim->duration)
			g_array_append_val(def->bounds, bounds[i]);
	def->n = def->bounds->len;
	sim->phase_def = def;
	sim->tracking = true;
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned v = 0; v < sim->paths[p].nvms; v++)
			sim->paths[p].vms[v].phases = path_new(def, def->n);
}

void phases_mark(struct sim *sim, double t)
{
	struct series_def *def = sim->phase_def;
	guint k = 0;

	if (!def || !(t > sim->warmup) || !(t < sim->duration))
		return;
	/* where it goes: after every boundary before it; none twice */
	while (k < def->n && g_array_index(def->bounds, double, k) < t)
		k++;
	if (k < def->n && g_array_index(def->bounds, double, k) == t)
		return;
	g_array_insert_val(def->bounds, k, t);
	def->n++;
	/* the phase it splits has recorded nothing after t yet: the new one
	 * starts empty */
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned v = 0; v < sim->paths[p].nvms; v++) {
			struct series_path *s = sim->paths[p].vms[v].phases;
			const struct interval_row zero = { 0 };
			const double dz = 0;

			g_array_insert_val(s->rows, k, zero);
			g_array_insert_val(s->host, k, dz);
			g_array_insert_val(s->guest, k, dz);
			if (def->n > s->cap) {
				s->open = g_renew(struct stats_hist *, s->open, s->cap * 2);
				for (unsigned i = s->cap; i < s->cap * 2; i++)
					s->open[i] = NULL;
				s->cap *= 2;
			}
			memmove(&s->open[k + 1], &s->open[k], (def->n - 1 - k) * sizeof(s->open[0]));
			s->open[k] = NULL;
		}
}

/* The interval t falls in, or -1 outside the measured time. */
static inline int64_t interval_of(const struct sim *sim, const struct series_def *def, double t)
{
	if (t < sim->warmup || t >= sim->duration)
		return -1;
	if (def->uniform) {
		uint64_t k = (uint64_t)((t - sim->warmup) / def->len);

		return (int64_t)MIN(k, def->n - 1);
	}
	/* phases are few, and most of what is recorded falls in the last */
	int64_t k = (int64_t)def->n - 1;

	while (k > 0 && g_array_index(def->bounds, double, k) > t)
		k--;
	return k;
}

/* The start of interval k (uniform: as run --interval has always cut it,
 * to the bit). */
static double interval_start(const struct sim *sim, const struct series_def *def, uint64_t k)
{
	if (def->uniform)
		return sim->warmup + k * def->len;
	return g_array_index(def->bounds, double, k);
}

/* The end of interval k. */
static double interval_end(const struct sim *sim, const struct series_def *def, uint64_t k)
{
	if (def->uniform)
		return MIN(interval_start(sim, def, k) + def->len, sim->duration);
	return k + 1 < def->n ? g_array_index(def->bounds, double, k + 1) : sim->duration;
}

/* Interval k's histogram, made room for. */
static struct stats_hist *open_hist(struct series_path *s, uint64_t k)
{
	if (!s->def->uniform) {
		if (!s->open[k])
			s->open[k] = stats_hist_new();
		return s->open[k];
	}
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

static void deliver(const struct sim *sim, struct series_path *s, double t, double latency,
		    uint32_t bytes)
{
	int64_t k;

	if (!s || (k = interval_of(sim, s->def, t)) < 0)
		return;
	struct interval_row *row = &g_array_index(s->rows, struct interval_row, k);
	struct stats_hist *h = open_hist(s, (uint64_t)k);

	row->delivered++;
	row->delivered_bps += bytes * 8.0;
	if (h)
		stats_hist_record(h, (int64_t)llround(latency * 1e9));
}

void series_deliver(struct sim *sim, struct evm *vm, double t, double latency, uint32_t bytes)
{
	deliver(sim, vm->series, t, latency, bytes);
	deliver(sim, vm->phases, t, latency, bytes);
}

static void drop(const struct sim *sim, struct series_path *s, double t)
{
	int64_t k;

	if (s && (k = interval_of(sim, s->def, t)) >= 0)
		g_array_index(s->rows, struct interval_row, k).dropped++;
}

void series_drop(struct sim *sim, struct evm *vm, double t)
{
	drop(sim, vm->series, t);
	drop(sim, vm->phases, t);
}

static void cpu(const struct sim *sim, struct series_path *s, bool host, double start, double end,
		double cycles)
{
	if (!s)
		return;
	GArray *to = host ? s->host : s->guest;

	if (!(end > start)) {
		int64_t k = interval_of(sim, s->def, start);

		if (k >= 0)
			g_array_index(to, double, k) += cycles;
		return;
	}
	double from = MAX(start, sim->warmup), until = MIN(end, sim->duration);

	if (!(from < until))
		return;
	/* interval by interval: recomputing the interval from a boundary
	 * rounded down would find the same one again, for ever */
	for (uint64_t k = (uint64_t)interval_of(sim, s->def, from); from < until; k++) {
		double b = k + 1 >= s->def->n ? until
			   : MIN(until, s->def->uniform ? sim->warmup + (k + 1) * s->def->len
						      : interval_end(sim, s->def, k));

		if (b > from)
			g_array_index(to, double, k) += cycles * (b - from) / (end - start);
		from = MAX(from, b);
	}
}

void series_cpu(struct sim *sim, struct evm *vm, bool host, double start, double end,
		double cycles)
{
	cpu(sim, vm->series, host, start, end, cycles);
	cpu(sim, vm->phases, host, start, end, cycles);
}

/* Interval k's latency percentiles, from its histogram, which goes. */
static void close_interval(struct series_path *s, uint64_t k)
{
	struct stats_hist **h = &s->open[s->def->uniform ? k % s->cap : k];
	struct interval_row *row = &g_array_index(s->rows, struct interval_row, k);

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
	if (!sim->series_def)
		return;
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned v = 0; v < sim->paths[p].nvms; v++) {
			struct series_path *s = sim->paths[p].vms[v].series;

			while (s->base < sim->series_def->n &&
			       sim->warmup + (s->base + 1) * sim->series_len <= reached)
				close_interval(s, s->base++);
		}
}

/* s's rows up to end (the run's end, or where it stopped) into out. */
static void collect(struct sim *sim, struct series_path *s, double end, GArray *out)
{
	const double freq = sim->sc->model->host.freq_hz;

	if (!s)
		return;
	for (uint64_t k = 0; k < s->def->n; k++) {
		const double t0 = interval_start(sim, s->def, k);
		const double t1 = interval_end(sim, s->def, k);
		const double len = MIN(t1, end) - t0;

		if (!(len > 0))
			break; /* stopped before it */
		if (!s->def->uniform || k >= s->base)
			close_interval(s, k);
		struct interval_row row = g_array_index(s->rows, struct interval_row, k);

		row.t0_s = t0 - sim->warmup;
		row.t1_s = t0 + len - sim->warmup;
		row.delivered_bps /= len;
		row.host_cpu_cores = g_array_index(s->host, double, k) / freq / len;
		row.guest_cpu_vcpus = g_array_index(s->guest, double, k) / freq / len;
		g_array_append_val(out, row);
	}
}

void series_collect(struct sim *sim, double end, struct evm *vm)
{
	collect(sim, vm->series, end, vm->out->series);
	if (vm->phases)
		collect(sim, vm->phases, end, vm->out->phases);
}

void series_free(struct sim *sim)
{
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned v = 0; sim->paths[p].vms && v < sim->paths[p].nvms; v++) {
			struct evm *vm = &sim->paths[p].vms[v];

			path_free(vm->series);
			path_free(vm->phases);
			vm->series = vm->phases = NULL;
		}
	if (sim->series_def)
		g_free(sim->series_def);
	if (sim->phase_def) {
		g_array_unref(sim->phase_def->bounds);
		g_free(sim->phase_def);
	}
	sim->series_def = sim->phase_def = NULL;
}
