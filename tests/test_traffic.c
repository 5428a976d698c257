/* test_traffic.c: the traffic generators and trace replay, without an engine.
 *
 * Each test builds a traffic spec by hand, draws packets from a source and
 * compares what comes out with what the spec promises: exact birth times for
 * constant traffic; for random processes the sample mean and variance of
 * the gaps against the closed form, within five standard errors of the
 * estimate at the sample size used (the runs are seeded, so a test either
 * always passes or always fails; five standard errors leave no room for a
 * real modelling error of the size we care about, 1 % or more, and keep a
 * correct generator clear of the bound for any seed but a freak one).
 * Then flows, request/response bookkeeping, rates in bps and %, start and
 * stop, seeding; then CSV traces (tests/data/traces/) and pcap captures the
 * test writes itself with libpcap.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>

#include "config/scenario.h"
#include "core/dist.h"
#include "core/msg.h"
#include "traffic/trace.h"
#include "traffic/traffic.h"
#include "testutil.h"

static char *tmpdir;

/* ------------------------------------------------------------- helpers */

static void set_dist(struct dist *d, const char *text, enum unit_kind unit)
{
	g_autoptr(GError) err = NULL;

	dist_clear(d);
	memset(d, 0, sizeof(*d));
	if (!dist_parse(text, unit, NULL, d, &err))
		fail_msg("dist '%s': %s", text, err->message);
}

static void set_rate(struct traffic_spec *t, const char *text)
{
	g_autoptr(GError) err = NULL;

	if (!units_parse(text, UNIT_PKTRATE | UNIT_BITRATE | UNIT_PERCENT, &t->rate, &err))
		fail_msg("rate '%s': %s", text, err->message);
}

/* A spec with the scenario loader's defaults. */
static void spec_init(struct traffic_spec *t, int pattern, const char *rate)
{
	memset(t, 0, sizeof(*t));
	t->name = g_strdup("traffic");
	t->pattern = pattern;
	t->flows = 1;
	t->train = 1;
	t->rto_s = 0.2;
	set_dist(&t->size, "64B", UNIT_SIZE);
	set_dist(&t->response_size, "64B", UNIT_SIZE);
	set_dist(&t->flow_size, "0", UNIT_COUNT);
	set_dist(&t->on, "exp(1ms)", UNIT_TIME);
	set_dist(&t->off, "exp(1ms)", UNIT_TIME);
	set_dist(&t->think, "0s", UNIT_TIME);
	if (rate)
		set_rate(t, rate);
}

static struct source *source_ok(const struct traffic_spec *t, unsigned index, uint64_t seed,
				double capacity_pps, double duration)
{
	g_autoptr(GError) err = NULL;
	struct source *s = source_new(t, index, seed, capacity_pps, duration, &err);

	if (!s)
		fail_msg("source_new: %s", err->message);
	return s;
}

/* Every packet the source gives, in birth order. */
static GArray *drain(struct source *s)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct pkt));

	while (isfinite(source_peek(s))) {
		struct pkt p;

		memset(&p, 0, sizeof(p));
		double peek = source_peek(s);
		source_next(s, &p);
		assert_true(p.born == peek);
		g_array_append_val(a, p);
	}
	return a;
}

static GArray *packets_of(const struct traffic_spec *t, unsigned index, uint64_t seed,
			  double capacity_pps, double duration)
{
	struct source *s = source_ok(t, index, seed, capacity_pps, duration);
	GArray *a = drain(s);

	source_free(s);
	return a;
}

#define PKT(a, i) (&g_array_index((a), struct pkt, (i)))

/* |got - want| within tol (absolute), with a line in the test's output. */
static void assert_near(double got, double want, double tol, const char *what)
{
	print_message("  %-48s got %.9g, want %.9g +- %.3g\n", what, got, want, tol);
	if (!(fabs(got - want) <= tol))
		fail_msg("%s: got %.12g, want %.12g (limit +- %.3g)", what, got, want, tol);
}

struct moments {
	uint64_t n;
	double mean, var;
};

/* Sample mean and (n - 1) variance of the gaps between births. */
static struct moments gap_moments(const GArray *a)
{
	struct moments m = { 0 };
	double m2 = 0;

	for (guint i = 1; i < a->len; i++) {
		double x = PKT(a, i)->born - PKT(a, i - 1)->born;
		double d = x - m.mean;

		m.n++;
		m.mean += d / m.n;
		m2 += d * (x - m.mean);
	}
	m.var = m.n > 1 ? m2 / (m.n - 1) : 0;
	return m;
}

/* ---------------------------------------------------- arrival processes */

/* Constant traffic: birth k at start + k / rate, exactly, and rate x
 * duration packets in the duration (a run summing 1/rate drifts: ten gaps
 * of 0.1 s add up to 0.9999999999999999 s and let an eleventh packet in). */
static void test_constant_births_every_period_exactly(void **state)
{
	struct traffic_spec t;

	spec_init(&t, PAT_CONSTANT, "10pps");
	g_autoptr(GArray) a = packets_of(&t, 0, 1, 0, 1.0);
	assert_int_equal(a->len, 10);
	for (guint k = 0; k < a->len; k++)
		assert_true(fabs(PKT(a, k)->born - k / 10.0) <= 1e-15);

	set_rate(&t, "1Mpps");
	g_autoptr(GArray) b = packets_of(&t, 0, 1, 0, 0.01);
	assert_int_equal(b->len, 10000);
	for (guint k = 0; k < b->len; k++)
		if (fabs(PKT(b, k)->born - k * 1e-6) > 1e-15)
			fail_msg("packet %u born at %.17g, want %.17g", k, PKT(b, k)->born, k * 1e-6);
	struct moments m = gap_moments(b);
	assert_near(m.var, 0, 1e-24, "constant: variance of the gaps");

	/* from start to stop: 0.25, 0.35, ... 0.65 (0.75 is the stop) */
	set_rate(&t, "10pps");
	t.start = 0.25;
	t.stop = 0.75;
	g_autoptr(GArray) c = packets_of(&t, 0, 1, 0, 1.0);
	assert_int_equal(c->len, 5);
	for (guint k = 0; k < c->len; k++)
		assert_true(fabs(PKT(c, k)->born - (0.25 + k / 10.0)) <= 1e-15);
	traffic_spec_clear(&t);
}

/* Poisson traffic at lambda = 100 kpps for 2 s: about n = 200,000 gaps.
 * Exponential gaps: mean 1/lambda with standard error (1/lambda)/sqrt(n);
 * variance 1/lambda^2, whose estimate has standard error
 * sqrt((mu4 - sigma^4)/n) = sigma^2 sqrt(8/n); P(gap > mean) = 1/e, a
 * binomial proportion; the count is Poisson(lambda T). */
static void test_poisson_gaps_are_exponential(void **state)
{
	const double lambda = 1e5, T = 2.0;
	struct traffic_spec t;

	spec_init(&t, PAT_POISSON, "100kpps");
	g_autoptr(GArray) a = packets_of(&t, 0, 7, 0, T);
	struct moments m = gap_moments(a);
	double n = m.n, mean = 1 / lambda;

	assert_near(a->len, lambda * T, 5 * sqrt(lambda * T), "poisson: packets in T");
	assert_near(m.mean, mean, 5 * mean / sqrt(n), "poisson: mean gap");
	assert_near(m.var, mean * mean, 5 * mean * mean * sqrt(8 / n), "poisson: variance of gaps");
	unsigned long longer = 0;
	for (guint i = 1; i < a->len; i++)
		longer += PKT(a, i)->born - PKT(a, i - 1)->born > mean;
	double p = exp(-1);
	assert_near(longer / n, p, 5 * sqrt(p * (1 - p) / n), "poisson: P(gap > mean)");
	for (guint i = 0; i < a->len; i++)
		assert_true(PKT(a, i)->born >= 0 && PKT(a, i)->born < T);
	traffic_spec_clear(&t);
}

/* On/off: silent in the off periods; Poisson at rate in the on periods.
 * Constant 1 ms on, 3 ms off at 1 Mpps for 1 s: every birth in the first
 * millisecond of each 4 ms, and Poisson(250,000) packets.  Exponential on
 * and off (1 ms each) at 100 kpps for 20 s: the mean rate is rate x
 * E[on] / (E[on] + E[off]) = 50 kpps; the on time in T of an alternating
 * renewal process with exponential periods a, b has variance
 * 2 a^2 b^2 T / (a + b)^3 (here 0.0707 s of 10 s, so 0.71 % of the count,
 * plus the Poisson part), so 5 standard errors are 3.6 %. */
static void test_onoff_silent_when_off_and_mean_rate(void **state)
{
	struct traffic_spec t;

	spec_init(&t, PAT_ONOFF, "1Mpps");
	set_dist(&t.on, "1ms", UNIT_TIME);
	set_dist(&t.off, "3ms", UNIT_TIME);
	g_autoptr(GArray) a = packets_of(&t, 0, 3, 0, 1.0);
	GHashTable *bursts = g_hash_table_new(g_direct_hash, g_direct_equal);

	assert_near(a->len, 250000, 5 * 500, "onoff 1ms/3ms: packets in 1 s");
	for (guint i = 0; i < a->len; i++) {
		double b = PKT(a, i)->born;
		double k = floor(b / 4e-3 + 1e-9);

		if (b - k * 4e-3 >= 1e-3 + 1e-12)
			fail_msg("packet %u born at %.9g s, in an off period", i, b);
		g_hash_table_add(bursts, GINT_TO_POINTER((int)k + 1));
	}
	assert_int_equal(g_hash_table_size(bursts), 250);
	g_hash_table_unref(bursts);

	const double rate = 1e5, T = 20, on = 1e-3, off = 1e-3;
	set_rate(&t, "100kpps");
	set_dist(&t.on, "exp(1ms)", UNIT_TIME);
	set_dist(&t.off, "exp(1ms)", UNIT_TIME);
	g_autoptr(GArray) b = packets_of(&t, 0, 5, 0, T);
	double frac_sd = sqrt(2 * on * on * off * off * T / pow(on + off, 3)) / T;
	double want = rate * T * on / (on + off);
	double sd = sqrt(want + pow(rate * T * frac_sd, 2));
	assert_near(b->len, want, 5 * sd, "onoff exp(1ms)/exp(1ms): packets in 20 s");

	/* a burst that never lasts is refused, not spun on forever */
	set_dist(&t.on, "0s", UNIT_TIME);
	set_dist(&t.off, "0s", UNIT_TIME);
	g_autoptr(GError) err = NULL;
	assert_null(source_new(&t, 0, 1, 0, 1.0, &err));
	assert_non_null(err);
	assert_non_null(strstr(err->message, "on"));
	traffic_spec_clear(&t);
}

/* A rate in bit/s counts frame bits: pps = bps / (8 x mean frame size); a
 * rate in % is a share of the capacity the engine passes in. */
static void test_rate_in_bps_and_percent(void **state)
{
	struct traffic_spec t;

	spec_init(&t, PAT_CONSTANT, "1Gbps");
	set_dist(&t.size, "125B", UNIT_SIZE);
	struct source *s = source_ok(&t, 0, 1, 0, 1e-3);
	assert_near(source_rate_pps(s), 1e6, 1e-6, "1Gbps of 125-byte frames (pps)");
	g_autoptr(GArray) a = drain(s);
	source_free(s);
	assert_int_equal(a->len, 1000);
	double bits = 0;
	for (guint i = 0; i < a->len; i++)
		bits += PKT(a, i)->size * 8.0;
	assert_near(bits / 1e-3, 1e9, 1e-3, "1Gbps of 125-byte frames (bit/s)");

	/* imix: 7 x 64 + 4 x 594 + 1 x 1518 bytes in 12 frames */
	set_dist(&t.size, "imix", UNIT_SIZE);
	s = source_ok(&t, 0, 1, 0, 1.0);
	assert_near(source_rate_pps(s), 1e9 / (8 * (7 * 64 + 4 * 594 + 1518) / 12.0), 1e-6,
		    "1Gbps of imix (pps)");
	source_free(s);

	set_rate(&t, "50%");
	s = source_ok(&t, 0, 1, 2e6, 1.0);
	assert_near(source_rate_pps(s), 1e6, 1e-6, "50% of 2 Mpps");
	source_free(s);

	set_rate(&t, "250kpps");
	s = source_ok(&t, 0, 1, 0, 1.0);
	assert_near(source_rate_pps(s), 250e3, 1e-9, "250kpps");
	source_free(s);
	traffic_spec_clear(&t);
}

/* Births lie in [start, stop), and stop is capped by the duration. */
static void test_start_and_stop_bound_births(void **state)
{
	struct traffic_spec t;

	spec_init(&t, PAT_POISSON, "100kpps");
	t.start = 0.2;
	t.stop = 0.5;
	g_autoptr(GArray) a = packets_of(&t, 0, 9, 0, 1.0);
	assert_near(a->len, 30000, 5 * sqrt(30000), "poisson in [0.2, 0.5): packets");
	for (guint i = 0; i < a->len; i++)
		assert_true(PKT(a, i)->born > 0.2 && PKT(a, i)->born < 0.5);

	t.stop = 5;
	g_autoptr(GArray) b = packets_of(&t, 0, 9, 0, 1.0);
	assert_true(PKT(b, b->len - 1)->born < 1.0);
	assert_true(PKT(b, b->len - 1)->born > 0.99);
	traffic_spec_clear(&t);
}

static bool same_packets(const GArray *a, const GArray *b)
{
	if (a->len != b->len)
		return false;
	for (guint i = 0; i < a->len; i++) {
		const struct pkt *x = PKT(a, i), *y = PKT(b, i);

		if (x->born != y->born || x->size != y->size || x->flow != y->flow ||
		    x->flags != y->flags || x->conn != y->conn)
			return false;
	}
	return true;
}

/* Same seed and index: the same packets.  Another seed: others.  Another
 * source index: its own flow range and arrivals uncorrelated with the
 * first's (sample correlation of n gap pairs within 5/sqrt(n) of 0).  The
 * size stream is not the time stream: another size law leaves the times. */
static void test_seed_and_index_give_replayable_independent_streams(void **state)
{
	struct traffic_spec t;

	spec_init(&t, PAT_POISSON, "100kpps");
	set_dist(&t.size, "imix", UNIT_SIZE);
	t.flows = 16;
	set_dist(&t.flow_size, "exp(5)", UNIT_COUNT);
	g_autoptr(GArray) a = packets_of(&t, 0, 42, 0, 0.2);
	g_autoptr(GArray) b = packets_of(&t, 0, 42, 0, 0.2);
	g_autoptr(GArray) c = packets_of(&t, 0, 43, 0, 0.2);
	g_autoptr(GArray) d = packets_of(&t, 1, 42, 0, 0.2);

	assert_true(same_packets(a, b));
	assert_false(same_packets(a, c));
	assert_false(same_packets(a, d));
	for (guint i = 0; i < a->len; i++)
		assert_true(PKT(a, i)->flow < SOURCE_FLOW_SPAN && PKT(a, i)->source == 0);
	for (guint i = 0; i < d->len; i++)
		assert_true(PKT(d, i)->flow >= SOURCE_FLOW_SPAN &&
			    PKT(d, i)->flow < 2 * SOURCE_FLOW_SPAN && PKT(d, i)->source == 1);

	guint n = MIN(a->len, d->len) - 1;
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	for (guint i = 1; i <= n; i++) {
		double x = PKT(a, i)->born - PKT(a, i - 1)->born;
		double y = PKT(d, i)->born - PKT(d, i - 1)->born;

		sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
	}
	double r = (n * sxy - sx * sy) / sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
	assert_near(r, 0, 5 / sqrt(n), "index 0 vs 1: correlation of gaps");

	set_dist(&t.size, "1500B", UNIT_SIZE);
	g_autoptr(GArray) e = packets_of(&t, 0, 42, 0, 0.2);
	assert_int_equal(e->len, a->len);
	for (guint i = 0; i < a->len; i++)
		assert_true(PKT(e, i)->born == PKT(a, i)->born && PKT(e, i)->flow == PKT(a, i)->flow);
	traffic_spec_clear(&t);
}

/* --------------------------------------------------------------- flows */

struct flow_count {
	unsigned packets;
	unsigned firsts;
	bool first_was_first;	/* its first packet carried PKT_FIRST */
};

/* Count packets per flow; check PKT_FIRST marks exactly each flow's first
 * packet, SYN only with FIRST and only when syn, and that a new flow takes
 * the next number.  Returns flow -> struct flow_count (owned). */
static GHashTable *check_flows(const GArray *a, const struct traffic_spec *t, unsigned index)
{
	GHashTable *h = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	uint32_t next = index * SOURCE_FLOW_SPAN + t->flows;

	for (guint i = 0; i < a->len; i++) {
		const struct pkt *p = PKT(a, i);
		struct flow_count *fc = g_hash_table_lookup(h, GUINT_TO_POINTER(p->flow));
		bool first = p->flags & PKT_FIRST;

		if (!fc) {
			fc = g_new0(struct flow_count, 1);
			fc->first_was_first = first;
			g_hash_table_insert(h, GUINT_TO_POINTER(p->flow), fc);
			if (p->flow >= index * SOURCE_FLOW_SPAN + t->flows) {
				/* a flow that took a slot: the next number */
				if (p->flow != next)
					fail_msg("packet %u opens flow %u, want %u", i, p->flow, next);
				next++;
			}
		}
		fc->packets++;
		fc->firsts += first;
		if (!!(p->flags & PKT_SYN) != (t->syn && first))
			fail_msg("packet %u: SYN %d, FIRST %d, syn = %d", i, !!(p->flags & PKT_SYN),
				 first, t->syn);
	}
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct flow_count *fc = v;

		if (!fc->first_was_first || fc->firsts != 1)
			fail_msg("flow %u: first packet FIRST %d, %u packets with FIRST",
				 GPOINTER_TO_UINT(k), fc->first_was_first, fc->firsts);
	}
	return h;
}

/* flows = 4 at once, each of flow_size packets; PKT_FIRST exactly on a
 * flow's first packet, new flows numbered on from 4; SYN only with syn. */
static void test_flows_first_packet_and_new_numbers(void **state)
{
	struct traffic_spec t;

	spec_init(&t, PAT_POISSON, "1Mpps");
	t.flows = 4;
	set_dist(&t.flow_size, "5", UNIT_COUNT);
	for (int syn = 0; syn < 2; syn++) {
		t.syn = syn;
		g_autoptr(GArray) a = packets_of(&t, 2, 11, 0, 0.01);
		GHashTable *h = check_flows(a, &t, 2);
		GHashTableIter it;
		gpointer k, v;
		unsigned short_flows = 0;

		g_hash_table_iter_init(&it, h);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			const struct flow_count *fc = v;

			assert_true(fc->packets <= 5);
			short_flows += fc->packets < 5;
		}
		/* only the flows still open at the end are short */
		assert_true(short_flows <= 4);
		g_hash_table_unref(h);
	}

	/* flow_size 0: flows never end, four first packets in all */
	set_dist(&t.flow_size, "0", UNIT_COUNT);
	t.syn = true;
	g_autoptr(GArray) b = packets_of(&t, 0, 11, 0, 0.01);
	GHashTable *hb = check_flows(b, &t, 0);
	assert_int_equal(g_hash_table_size(hb), 4);
	g_hash_table_unref(hb);

	/* trains: train consecutive packets of one flow (a TSO burst) */
	t.flows = 8;
	t.train = 4;
	g_autoptr(GArray) tr = packets_of(&t, 0, 11, 0, 0.01);
	GHashTable *ht = check_flows(tr, &t, 0);
	assert_int_equal(g_hash_table_size(ht), 8);
	g_hash_table_unref(ht);
	unsigned switches = 0;
	for (guint i = 1; i < tr->len; i++)
		if (PKT(tr, i)->flow != PKT(tr, i - 1)->flow) {
			if (i % 4)
				fail_msg("packet %u changes flow inside a train", i);
			switches++;
		}
	/* a train picks one of 8 flows: 7 in 8 change flow */
	assert_near(switches, (tr->len / 4 - 1) * 7.0 / 8, 5 * sqrt(tr->len / 4 * 7.0 / 64),
		    "trains of 4: flow changes");
	t.flows = 4;
	t.train = 1;

	/* a draw below one packet is a flow of one packet, not an endless one */
	set_dist(&t.flow_size, "uniform(0.1, 0.4)", UNIT_COUNT);
	g_autoptr(GArray) c = packets_of(&t, 0, 11, 0, 0.001);
	GHashTable *hc = check_flows(c, &t, 0);
	assert_true(c->len > 500);
	assert_int_equal(g_hash_table_size(hc), c->len);
	g_hash_table_unref(hc);

	/* exp(m) packets per flow, rounded, at least one: the mean is
	 * 1 + e^(-1.5/m) / (1 - e^(-1/m)) (4.107 for m = 4); per-flow standard
	 * deviation about m, so 5 standard errors are 5 m / sqrt(flows) */
	const double m = 4;
	set_dist(&t.flow_size, "exp(4)", UNIT_COUNT);
	t.flows = 1;
	g_autoptr(GArray) d = packets_of(&t, 0, 13, 0, 0.1);
	GHashTable *hd = check_flows(d, &t, 0);
	double flows = g_hash_table_size(hd) - 1; /* the last may be cut short */
	double want = 1 + exp(-1.5 / m) / (1 - exp(-1 / m));
	assert_near((d->len - 1.0) / flows, want, 5 * m / sqrt(flows), "exp(4) packets per flow");
	g_hash_table_unref(hd);
	traffic_spec_clear(&t);
}

/* Flow numbers are 32 bits and each source has 2^24 of them: the 256
 * sources that fit number their flows apart, and a 257th is refused (its
 * numbers would have wrapped onto source 0's: 257 single-flow sources once
 * showed 256 first packets). */
static void test_sources_that_fit_number_their_flows_apart(void **state)
{
	struct traffic_spec t;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);

	spec_init(&t, PAT_CONSTANT, "10kpps");
	for (unsigned i = 0; i < TRAFFIC_MAX_SOURCES; i++) {
		g_autoptr(GArray) a = packets_of(&t, i, 1, 0, 0.001);

		assert_true(a->len > 0);
		assert_true(PKT(a, 0)->flags & PKT_FIRST);
		if (!g_hash_table_add(seen, GUINT_TO_POINTER(PKT(a, 0)->flow)))
			fail_msg("source %u reuses flow %u", i, PKT(a, 0)->flow);
	}
	assert_int_equal(g_hash_table_size(seen), 256);

	g_autoptr(GError) err = NULL;
	struct source *s = source_new(&t, TRAFFIC_MAX_SOURCES, 1, 0, 0.001, &err);
	assert_null(s);
	assert_string_equal(err->message,
			    "[traffic]: expected at most 256 traffic sources, this is number 257");
	traffic_spec_clear(&t);
}

/* ------------------------------------------------------ request/response */

/* Closed loop: concurrency connections, one request outstanding each; a
 * response at t sends the next request at t + think, a loss at t + rto.
 * A connection is a flow: its first request opens it (FIRST, and SYN when
 * syn), later ones do not. */
static void test_closed_loop_one_request_per_connection(void **state)
{
	struct traffic_spec t;

	spec_init(&t, PAT_REQRESP, NULL);
	t.concurrency = 3;
	t.syn = true;
	t.rto_s = 1e-3;
	t.start = 0.5;
	set_dist(&t.think, "10us", UNIT_TIME);
	set_dist(&t.size, "100B", UNIT_SIZE);
	set_dist(&t.response_size, "1000B", UNIT_SIZE);
	struct source *s = source_ok(&t, 1, 5, 0, 1.0);

	assert_near(source_feedback_min(s), 10e-6, 1e-15, "feedback lookahead = least think");
	struct pkt p[3];
	for (unsigned c = 0; c < 3; c++) {
		assert_true(source_peek(s) >= 0.5 && source_peek(s) < 0.5 + 1e-6);
		source_next(s, &p[c]);
		assert_int_equal(p[c].conn, c);
		assert_int_equal(p[c].flow, SOURCE_FLOW_SPAN + c);
		assert_int_equal(p[c].size, 100);
		assert_int_equal(p[c].flags, PKT_FIRST | PKT_SYN);
	}
	assert_true(p[0].born < p[1].born && p[1].born < p[2].born);
	/* all three outstanding: nothing to send */
	assert_true(isinf(source_peek(s)));
	assert_int_equal(source_response_size(s, &p[0]), 1000);

	source_on_done(s, &p[1], 0.6, true);
	source_on_done(s, &p[0], 0.6, false);
	assert_near(source_peek(s), 0.6 + 10e-6, 1e-15, "next request: response + think");
	struct pkt q;
	source_next(s, &q);
	assert_int_equal(q.conn, 1);
	assert_int_equal(q.flow, SOURCE_FLOW_SPAN + 1);
	assert_int_equal(q.flags, 0);
	assert_near(source_peek(s), 0.6 + 1e-3, 1e-15, "resent request: loss + rto");
	source_next(s, &q);
	assert_int_equal(q.conn, 0);
	assert_int_equal(q.flags, 0);
	assert_true(isinf(source_peek(s)));

	/* a request due after the stop is not sent */
	source_on_done(s, &p[2], 0.99999, true);
	assert_true(isinf(source_peek(s)));
	source_free(s);

	/* open loop (concurrency 0): Poisson requests at rate; responses
	 * change nothing */
	traffic_spec_clear(&t);
	spec_init(&t, PAT_REQRESP, "10kpps");
	s = source_ok(&t, 0, 5, 0, 1.0);
	assert_true(isinf(source_feedback_min(s)));
	double first = source_peek(s);
	source_on_done(s, &p[0], 0, true);
	assert_true(source_peek(s) == first);
	g_autoptr(GArray) a = drain(s);
	source_free(s);
	assert_near(a->len, 10000, 500, "open-loop requests in 1 s");
	traffic_spec_clear(&t);
}

/* ----------------------------------------------------------- CSV traces */

static char *data_file(const char *name)
{
	return g_build_filename(tu_datadir(), "traces", name, NULL);
}

/* tests/data/traces/good.csv: a header after comments, units and bare
 * numbers, flows named 100, 7, 100, 42, 7 (dense: 0, 1, 0, 2, 1). */
static void test_csv_trace_times_sizes_and_dense_flows(void **state)
{
	g_autofree char *path = data_file("good.csv");
	g_autoptr(GError) err = NULL;
	struct trace *tr = trace_open(path, &err);

	if (!tr)
		fail_msg("%s", err->message);
	assert_int_equal(trace_count(tr), 5);

	const struct trace_rec want[] = {
		{ 0, 64, 0, true },	      { 1.5e-6, 1500, 1, true }, { 3e-6, 1024, 0, false },
		{ 3e-6, 40, 2, true },	      { 1e-5, 9000, 1, false },
	};
	struct trace_rec r;
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		assert_int_equal(trace_next(tr, &r, &err), 1);
		assert_true(fabs(r.t - want[i].t) < 1e-15);
		assert_true(r.size == want[i].size);
		assert_int_equal(r.flow, want[i].flow);
		assert_int_equal(r.first, want[i].first);
	}
	assert_int_equal(trace_next(tr, &r, &err), 0);
	trace_close(tr);

	/* through a source: shifted by start, flows in the source's range,
	 * frame sizes clamped to 64..9216, SYN with syn */
	struct traffic_spec t;
	spec_init(&t, PAT_TRACE, NULL);
	t.trace = g_strdup(path);
	t.start = 0.5;
	t.syn = true;
	g_autoptr(GArray) a = packets_of(&t, 2, 1, 0, 1.0);
	const uint32_t sizes[] = { 64, 1500, 1024, 64, 9000 };
	assert_int_equal(a->len, 5);
	for (guint i = 0; i < a->len; i++) {
		const struct pkt *p = PKT(a, i);

		assert_true(fabs(p->born - (0.5 + want[i].t)) < 1e-15);
		assert_int_equal(p->size, sizes[i]);
		assert_int_equal(p->flow, 2 * SOURCE_FLOW_SPAN + want[i].flow);
		assert_int_equal(p->flags, want[i].first ? PKT_FIRST | PKT_SYN : 0);
	}
	/* a stop inside the trace cuts it */
	t.stop = 0.5 + 2e-6;
	g_autoptr(GArray) b = packets_of(&t, 0, 1, 0, 1.0);
	assert_int_equal(b->len, 2);
	traffic_spec_clear(&t);
}

/* Bad traces: each row a file in tests/data/traces, the location the
 * message must start with, and what it must say. */
static void test_csv_trace_bad_lines_name_file_and_line(void **state)
{
	static const struct {
		const char *file;
		const char *where;	/* after the path */
		const char *says;
	} rows[] = {
		{ "bad-backwards.csv", ":4: ", "time goes backwards" },
		{ "bad-fields.csv", ":3: ", "expected 'time,size,flow', got '2us,64'" },
		{ "bad-time.csv", ":2: ", "time: " },
		{ "bad-time-unit.csv", ":2: ", "time: " },
		{ "bad-size.csv", ":3: ", "size: " },
		{ "bad-size-zero.csv", ":2: ", "size: expected at least 1 byte, got '0'" },
		/* once cut to 9216 B without a word */
		{ "bad-size-above-frame.csv", ":4: ",
		  "size: expected at most 9216 bytes, the largest frame, got '16000'" },
		{ "bad-flow.csv", ":2: ", "flow: " },
		{ "bad-negative-first.csv", ":2: ", "time: " },
		{ "bad-late-header.csv", ":3: ", "time: " },
		{ "empty.csv", ": ", "the trace holds no packets" },
		{ "no-such-file.csv", ": ", "cannot open" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *path = data_file(rows[i].file);
		g_autofree char *prefix = g_strconcat(path, rows[i].where, NULL);
		g_autoptr(GError) err = NULL;
		struct trace *tr = trace_open(path, &err);

		if (tr) {
			trace_close(tr);
			fail_msg("%s: accepted", rows[i].file);
		}
		assert_non_null(err);
		print_message("  %s\n", err->message);
		assert_true(g_error_matches(err, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT));
		if (!g_str_has_prefix(err->message, prefix) || !strstr(err->message, rows[i].says))
			fail_msg("%s: got '%s', want '%s...%s'", rows[i].file, err->message, prefix,
				 rows[i].says);
	}
}

/* ---------------------------------------------------------- pcap traces */

struct frame {
	double dt;		/* seconds after the first frame */
	unsigned wire_len;	/* on the wire (0: as captured) */
	size_t len;
	u_char data[128];
};

static void put16(u_char *p, unsigned v)
{
	p[0] = (u_char)(v >> 8);
	p[1] = (u_char)v;
}

/* An Ethernet frame with optional VLAN tags (tpids), carrying an IPv4 or
 * IPv6 packet of protocol proto between the given ports. */
static struct frame eth_ip(double dt, const unsigned *tpids, int ntags, int version, int proto,
			   unsigned src, unsigned dst, unsigned sport, unsigned dport)
{
	struct frame f = { .dt = dt };
	u_char *p = f.data;

	memset(p, 0, sizeof(f.data));
	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	p += 12;
	for (int i = 0; i < ntags; i++, p += 4) {
		put16(p, tpids[i]);
		put16(p + 2, 100 + i);
	}
	put16(p, version == 4 ? 0x0800 : 0x86dd);
	p += 2;
	if (version == 4) {
		p[0] = 0x45;
		put16(p + 2, 40);
		p[8] = 64;
		p[9] = (u_char)proto;
		p[12] = 10, p[15] = (u_char)src;
		p[16] = 10, p[19] = (u_char)dst;
		p += 20;
	} else {
		p[0] = 0x60;
		put16(p + 4, 20);
		p[6] = (u_char)proto;
		p[7] = 64;
		p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8, p[23] = (u_char)src;
		p[24] = 0x20, p[25] = 0x01, p[26] = 0x0d, p[27] = 0xb8, p[39] = (u_char)dst;
		p += 40;
	}
	put16(p, sport);
	put16(p + 2, dport);
	if (proto == 6)
		p[13] = 0x02; /* SYN */
	p += 20;
	f.len = (size_t)(p - f.data);
	if (f.len < 60)
		f.len = 60;
	return f;
}

static struct frame arp(double dt)
{
	struct frame f = { .dt = dt, .len = 60 };

	memset(f.data, 0, sizeof(f.data));
	memset(f.data, 0xff, 6);
	put16(f.data + 12, 0x0806);
	return f;
}

/* Write frames to path as a pcap capture whose first frame is at t0_sec
 * (plus t0_usec microseconds). */
static void write_pcap(const char *path, int linktype, const struct frame *f, size_t n,
		       long t0_sec, long t0_usec)
{
	pcap_t *pd = pcap_open_dead(linktype, 65535);
	pcap_dumper_t *d = pcap_dump_open(pd, path);

	if (!d)
		fail_msg("pcap_dump_open %s: %s", path, pcap_geterr(pd));
	for (size_t i = 0; i < n; i++) {
		long us = t0_usec + lround(f[i].dt * 1e6);
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)f[i].len,
					 .len = (bpf_u_int32)(f[i].wire_len ? f[i].wire_len : f[i].len) };

		h.ts.tv_sec = t0_sec + us / 1000000;
		h.ts.tv_usec = us % 1000000;
		pcap_dump((u_char *)d, &h, f[i].data);
	}
	pcap_dump_close(d);
	pcap_close(pd);
}

/* Ethernet frames, IPv4 and IPv6, TCP and UDP, VLAN and QinQ tags, ARP:
 * times from the first packet (to the microsecond, at a 2023 epoch where a
 * double holding the absolute time keeps only 0.24 us), frame size = wire
 * length + 4 (FCS), flows by directed 5-tuple numbered in order of
 * appearance, tags ignored, non-IP frames sharing one flow. */
static void test_pcap_trace_times_sizes_and_five_tuples(void **state)
{
	static const unsigned vlan[] = { 0x8100 }, qinq[] = { 0x88a8, 0x8100 };
	struct frame f[] = {
		eth_ip(0, NULL, 0, 4, 6, 1, 2, 1000, 80),     /* flow 0 */
		eth_ip(1e-6, NULL, 0, 4, 17, 1, 2, 1000, 80), /* 1: UDP, not TCP */
		eth_ip(2e-6, vlan, 1, 4, 6, 1, 2, 1000, 80),  /* 0 again, tagged */
		eth_ip(3e-6, NULL, 0, 6, 17, 1, 2, 5000, 53), /* 2: IPv6 UDP */
		eth_ip(4e-6, NULL, 0, 4, 6, 2, 1, 80, 1000),  /* 3: the other way */
		arp(10e-6),				      /* 4: not IP */
		eth_ip(11e-6, NULL, 0, 4, 6, 1, 2, 1001, 80), /* 5: another port */
		arp(12e-6),				      /* 4 */
		eth_ip(1.000001, qinq, 2, 6, 17, 1, 2, 5000, 53), /* 2, double-tagged */
		eth_ip(1.000002, qinq, 2, 6, 6, 1, 2, 5000, 53),  /* 6: IPv6 TCP */
	};
	f[2].wire_len = 1514; /* captured with a snap length of 64 */
	f[2].len = 64;
	const uint32_t flow[] = { 0, 1, 0, 2, 3, 4, 5, 4, 2, 6 };
	const bool first[] = { 1, 1, 0, 1, 1, 1, 1, 0, 0, 1 };
	g_autofree char *path = g_build_filename(tmpdir, "t.pcap", NULL);

	write_pcap(path, DLT_EN10MB, f, G_N_ELEMENTS(f), 1700000000, 999999);

	g_autoptr(GError) err = NULL;
	struct trace *tr = trace_open(path, &err);
	if (!tr)
		fail_msg("%s", err->message);
	assert_int_equal(trace_count(tr), G_N_ELEMENTS(f));
	for (size_t i = 0; i < G_N_ELEMENTS(f); i++) {
		struct trace_rec r;

		assert_int_equal(trace_next(tr, &r, &err), 1);
		if (fabs(r.t - f[i].dt) > 1e-12)
			fail_msg("frame %zu at %.12g s, want %.12g s", i, r.t, f[i].dt);
		assert_true(r.size == (f[i].wire_len ? f[i].wire_len : f[i].len) + 4);
		if (r.flow != flow[i] || r.first != first[i])
			fail_msg("frame %zu: flow %u first %d, want flow %u first %d", i, r.flow,
				 r.first, flow[i], first[i]);
	}
	trace_close(tr);

	/* raw IP captures (no link header) key the same way */
	struct frame raw[2];
	for (int i = 0; i < 2; i++) {
		struct frame e = eth_ip(i * 1e-3, NULL, 0, 4, 17, 1, 2 + i, 9, 9);

		raw[i] = e;
		memmove(raw[i].data, e.data + 14, e.len - 14);
		raw[i].len = e.len - 14;
	}
	write_pcap(path, DLT_RAW, raw, 2, 0, 0);
	tr = trace_open(path, &err);
	assert_non_null(tr);
	struct trace_rec r0, r1;
	assert_int_equal(trace_next(tr, &r0, &err), 1);
	assert_int_equal(trace_next(tr, &r1, &err), 1);
	assert_int_equal(r0.flow, 0);
	assert_int_equal(r1.flow, 1);
	assert_true(fabs(r1.t - 1e-3) < 1e-12);
	trace_close(tr);

	/* a capture whose clock steps back is refused, naming the packet */
	struct frame back[] = { arp(0), arp(5e-6), arp(4e-6) };
	write_pcap(path, DLT_EN10MB, back, 3, 1700000000, 0);
	g_clear_error(&err);
	assert_null(trace_open(path, &err));
	g_autofree char *want = g_strconcat(path, ": packet 3: time goes backwards: "
					  "1700000000.000004000 s after 1700000000.000005000 s", NULL);
	assert_string_equal(err->message, want);
	g_unlink(path);
}

/* ---- captures with headers no capture can have ---- */

struct rec {
	uint32_t sec, frac, incl, orig;
};

/* Write a classic pcap by hand (libpcap's writer would not write these
 * headers), little-endian, Ethernet; every record carries the same 60-byte
 * UDP frame, cut to incl bytes. */
static void write_raw_pcap(const char *path, uint32_t magic, const struct rec *r, size_t n)
{
	struct frame f = eth_ip(0, NULL, 0, 4, 17, 1, 2, 1000, 9);
	FILE *out = fopen(path, "wb");
	const uint32_t hdr[] = { magic, 2 | 4u << 16, 0, 0, 65535, DLT_EN10MB };

	assert_non_null(out);
	fwrite(hdr, sizeof(hdr), 1, out);
	for (size_t i = 0; i < n; i++) {
		const uint32_t ph[] = { r[i].sec, r[i].frac, r[i].incl, r[i].orig };

		fwrite(ph, sizeof(ph), 1, out);
		fwrite(f.data, 1, MIN(r[i].incl, (uint32_t)f.len), out);
		for (uint32_t k = f.len; k < r[i].incl; k++)
			fputc(0, out);
	}
	assert_int_equal(fclose(out), 0);
}

/* Each was accepted and its frame size silently clamped, or refused with a
 * message about something else ("time goes backwards", a bad magic number
 * read as CSV); each now says what is wrong in the capture's own terms. */
static void test_pcap_bad_headers_are_named_in_pcap_terms(void **state)
{
	static const struct {
		const char *what;
		uint32_t magic;
		struct rec r[2];
		const char *msg;	/* after "path: " */
	} bad[] = {
		{ "fraction of a second", 0xa1b2c3d4, { { 100, 0, 60, 60 }, { 100, 1000000, 60, 60 } },
		  "packet 2: ts_usec is 1000000, expected less than 1000000 (one second)" },
		{ "fraction, nanoseconds", 0xa1b23c4d,
		  { { 100, 0, 60, 60 }, { 100, 1000000000, 60, 60 } },
		  "packet 2: ts_nsec is 1000000000, expected less than 1000000000 (one second)" },
		{ "more captured than sent", 0xa1b2c3d4, { { 100, 0, 60, 60 }, { 100, 5, 60, 50 } },
		  "packet 2: incl_len 60 is more than orig_len 50: a capture holds at most the frame" },
		{ "no frame", 0xa1b2c3d4, { { 100, 0, 60, 60 }, { 100, 5, 0, 0 } },
		  "packet 2: orig_len is 0, expected a frame's length" },
		{ "frame of 4 GiB", 0xa1b2c3d4, { { 100, 0, 60, 60 }, { 100, 5, 60, 0xffffffff } },
		  "packet 2: orig_len 4294967295 is more than 9212 bytes, the largest frame without "
		  "its FCS (a capture taken above segmentation offload, GRO or TSO, holds segments "
		  "no wire carries)" },
		{ "ts_sec after 2038", 0xa1b2c3d4, { { 0xffffffff, 0, 60, 60 }, { 100, 5, 60, 60 } },
		  "packet 2: time goes backwards: 100.000005000 s after 4294967295.000000000 s" },
	};
	g_autofree char *path = g_build_filename(tmpdir, "bad.pcap", NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) err = NULL;
		g_autofree char *want = g_strdup_printf("%s: %s", path, bad[i].msg);

		write_raw_pcap(path, bad[i].magic, bad[i].r, 2);
		struct trace *tr = trace_open(path, &err);
		if (tr)
			fail_msg("%s: accepted", bad[i].what);
		if (strcmp(err->message, want))
			fail_msg("%s:\n  %s\nwant\n  %s", bad[i].what, err->message, want);
	}

	/* a ts_sec of 0xffffffff is 2106, not 1969 (libpcap reads it signed):
	 * after 100 s it is a forward step */
	const struct rec late[] = { { 100, 0, 60, 60 }, { 0xffffffff, 5, 60, 60 } };
	g_autoptr(GError) err = NULL;
	write_raw_pcap(path, 0xa1b2c3d4, late, 2);
	struct trace *tr = trace_open(path, &err);
	if (!tr)
		fail_msg("%s", err->message);
	struct trace_rec r0, r1;
	assert_int_equal(trace_next(tr, &r0, &err), 1);
	assert_int_equal(trace_next(tr, &r1, &err), 1);
	assert_true(r1.t == 4294967195.000005);
	trace_close(tr);

	/* nanosecond captures keep their nanoseconds */
	const struct rec ns[] = { { 100, 0, 60, 60 }, { 100, 999999999, 60, 60 } };
	write_raw_pcap(path, 0xa1b23c4d, ns, 2);
	tr = trace_open(path, &err);
	assert_non_null(tr);
	assert_int_equal(trace_next(tr, &r0, &err), 1);
	assert_int_equal(trace_next(tr, &r1, &err), 1);
	assert_true(fabs(r1.t - 0.999999999) < 1e-15);
	trace_close(tr);

	/* binary that is no capture: said so, not read as CSV */
	assert_true(g_file_set_contents(path, "\xef\xbe\xad\xde\x02\0\x04\0", 8, NULL));
	g_clear_error(&err);
	assert_null(trace_open(path, &err));
	g_autofree char *want = g_strdup_printf(
		"%s: expected a pcap or pcapng capture or CSV text, got neither: its first bytes, ef "
		"be ad de, are no capture's magic number (pcap: a1 b2 c3 d4 or a1 b2 3c 4d, or "
		"reversed; pcapng: 0a 0d 0d 0a), and it is not text",
		path);
	assert_string_equal(err->message, want);
	g_unlink(path);
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-traffic-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constant_births_every_period_exactly),
		cmocka_unit_test(test_poisson_gaps_are_exponential),
		cmocka_unit_test(test_onoff_silent_when_off_and_mean_rate),
		cmocka_unit_test(test_rate_in_bps_and_percent),
		cmocka_unit_test(test_start_and_stop_bound_births),
		cmocka_unit_test(test_seed_and_index_give_replayable_independent_streams),
		cmocka_unit_test(test_flows_first_packet_and_new_numbers),
		cmocka_unit_test(test_sources_that_fit_number_their_flows_apart),
		cmocka_unit_test(test_closed_loop_one_request_per_connection),
		cmocka_unit_test(test_csv_trace_times_sizes_and_dense_flows),
		cmocka_unit_test(test_csv_trace_bad_lines_name_file_and_line),
		cmocka_unit_test(test_pcap_trace_times_sizes_and_five_tuples),
		cmocka_unit_test(test_pcap_bad_headers_are_named_in_pcap_terms),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
