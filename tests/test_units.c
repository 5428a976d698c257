/* test_units.c: the units parser and the distributions against exact values.
 *
 * Every unit of every kind is parsed to the double nearest the decimal
 * written (compared with ==: "100us" must equal the C literal 1e-4); every
 * malformed form is a row of a table with the message it must give.
 * Distributions: each form's parameters, exact means and standard
 * deviations, and sample moments from a fixed seed within a tolerance
 * derived from the sample size (see check_sample_moments).  Finally the
 * inputs fuzz_units once crashed on are replayed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dist.h"
#include "core/msg.h"
#include "core/rng.h"
#include "core/units.h"
#include "fuzz/fuzz.h"
#include "testutil.h"

#define ALL_KINDS                                                                          \
	(UNIT_TIME | UNIT_BITRATE | UNIT_PKTRATE | UNIT_SIZE | UNIT_BYTERATE | UNIT_FREQ |   \
	 UNIT_CYCLES | UNIT_PERCENT | UNIT_COUNT | UNIT_REQRATE)

/* what a reqresp source's rate takes (src/config/scenario.c) */
#define RATE_KINDS (UNIT_PKTRATE | UNIT_BITRATE | UNIT_PERCENT)
#define REQRESP_RATE_KINDS (RATE_KINDS | UNIT_REQRATE)

/* ---- quantities ---- */

struct unit_case {
	const char *in;
	unsigned kinds;
	double want;
	enum unit_kind kind;
};

/* Each unit once, some twice at values where multiplying by the scale
 * would round differently from the decimal written. */
static const struct unit_case every_unit[] = {
	/* time -> seconds */
	{ "1ns", UNIT_TIME, 1e-9, UNIT_TIME },
	{ "250ns", UNIT_TIME, 250e-9, UNIT_TIME },
	{ "1us", UNIT_TIME, 1e-6, UNIT_TIME },
	{ "1.5us", UNIT_TIME, 1.5e-6, UNIT_TIME },
	{ "100us", UNIT_TIME, 1e-4, UNIT_TIME },
	{ "3µs", UNIT_TIME, 3e-6, UNIT_TIME },
	{ "5µs", UNIT_TIME, 5e-6, UNIT_TIME },
	{ "1ms", UNIT_TIME, 1e-3, UNIT_TIME },
	{ "0.1ms", UNIT_TIME, 1e-4, UNIT_TIME },
	{ "200ms", UNIT_TIME, 0.2, UNIT_TIME },
	{ "1s", UNIT_TIME, 1.0, UNIT_TIME },
	{ "2.5s", UNIT_TIME, 2.5, UNIT_TIME },
	/* bit rates -> bit/s */
	{ "1bps", UNIT_BITRATE, 1.0, UNIT_BITRATE },
	{ "750kbps", UNIT_BITRATE, 750e3, UNIT_BITRATE },
	{ "3000Mbps", UNIT_BITRATE, 3e9, UNIT_BITRATE },
	{ "12500Mbps", UNIT_BITRATE, 12.5e9, UNIT_BITRATE },
	{ "25Gbps", UNIT_BITRATE, 25e9, UNIT_BITRATE },
	{ "1.6Tbps", UNIT_BITRATE, 1.6e12, UNIT_BITRATE },
	/* packet rates -> packets/s */
	{ "1pps", UNIT_PKTRATE, 1.0, UNIT_PKTRATE },
	{ "100kpps", UNIT_PKTRATE, 1e5, UNIT_PKTRATE },
	{ "14.88Mpps", UNIT_PKTRATE, 14.88e6, UNIT_PKTRATE },
	/* request rates -> requests/s */
	{ "1rps", UNIT_REQRATE, 1.0, UNIT_REQRATE },
	{ "150krps", UNIT_REQRATE, 150e3, UNIT_REQRATE },
	{ "1.2Mrps", UNIT_REQRATE, 1.2e6, UNIT_REQRATE },
	/* sizes -> bytes */
	{ "64B", UNIT_SIZE, 64.0, UNIT_SIZE },
	{ "1KB", UNIT_SIZE, 1e3, UNIT_SIZE },
	{ "1kB", UNIT_SIZE, 1e3, UNIT_SIZE },
	{ "1KiB", UNIT_SIZE, 1024.0, UNIT_SIZE },
	{ "4KiB", UNIT_SIZE, 4096.0, UNIT_SIZE },
	{ "1.5MB", UNIT_SIZE, 1.5e6, UNIT_SIZE },
	{ "2MiB", UNIT_SIZE, 2097152.0, UNIT_SIZE },
	{ "1GB", UNIT_SIZE, 1e9, UNIT_SIZE },
	{ "1GiB", UNIT_SIZE, 1073741824.0, UNIT_SIZE },
	/* byte rates -> bytes/s */
	{ "1B/s", UNIT_BYTERATE, 1.0, UNIT_BYTERATE },
	{ "1KB/s", UNIT_BYTERATE, 1e3, UNIT_BYTERATE },
	{ "1kB/s", UNIT_BYTERATE, 1e3, UNIT_BYTERATE },
	{ "1KiB/s", UNIT_BYTERATE, 1024.0, UNIT_BYTERATE },
	{ "1MB/s", UNIT_BYTERATE, 1e6, UNIT_BYTERATE },
	{ "1MiB/s", UNIT_BYTERATE, 1048576.0, UNIT_BYTERATE },
	{ "8GB/s", UNIT_BYTERATE, 8e9, UNIT_BYTERATE },
	{ "1GiB/s", UNIT_BYTERATE, 1073741824.0, UNIT_BYTERATE },
	/* frequencies -> Hz */
	{ "50Hz", UNIT_FREQ, 50.0, UNIT_FREQ },
	{ "10kHz", UNIT_FREQ, 1e4, UNIT_FREQ },
	{ "100MHz", UNIT_FREQ, 1e8, UNIT_FREQ },
	{ "2.6GHz", UNIT_FREQ, 2.6e9, UNIT_FREQ },
	/* cycles */
	{ "1cycle", UNIT_CYCLES, 1.0, UNIT_CYCLES },
	{ "2200cycles", UNIT_CYCLES, 2200.0, UNIT_CYCLES },
	{ "25kcycles", UNIT_CYCLES, 25e3, UNIT_CYCLES },
	/* percentages -> fractions */
	{ "50%", UNIT_PERCENT, 0.5, UNIT_PERCENT },
	{ "70%", UNIT_PERCENT, 0.7, UNIT_PERCENT },
	{ "0.5%", UNIT_PERCENT, 0.005, UNIT_PERCENT },
	{ "1000%", UNIT_PERCENT, 10.0, UNIT_PERCENT },
	/* bare counts, where allowed */
	{ "64", UNIT_COUNT, 64.0, UNIT_COUNT },
	{ "1.5", UNIT_COUNT, 1.5, UNIT_COUNT },
	{ "0", UNIT_COUNT, 0.0, UNIT_COUNT },
	/* several kinds allowed: the unit decides */
	{ "100kpps", UNIT_PKTRATE | UNIT_BITRATE | UNIT_PERCENT, 1e5, UNIT_PKTRATE },
	{ "10Gbps", UNIT_PKTRATE | UNIT_BITRATE | UNIT_PERCENT, 10e9, UNIT_BITRATE },
	{ "30%", UNIT_PKTRATE | UNIT_BITRATE | UNIT_PERCENT, 0.3, UNIT_PERCENT },
	{ "20krps", REQRESP_RATE_KINDS, 20e3, UNIT_REQRATE },
	{ "20kpps", REQRESP_RATE_KINDS, 20e3, UNIT_PKTRATE },
	{ "3000", UNIT_CYCLES | UNIT_COUNT, 3000.0, UNIT_COUNT },
	{ "3000cycles", UNIT_CYCLES | UNIT_COUNT, 3000.0, UNIT_CYCLES },
	/* number forms */
	{ "+5s", UNIT_TIME, 5.0, UNIT_TIME },
	{ "5.s", UNIT_TIME, 5.0, UNIT_TIME },
	{ ".5s", UNIT_TIME, 0.5, UNIT_TIME },
	{ "1e3us", UNIT_TIME, 1e-3, UNIT_TIME },
	{ "1.5E+3ns", UNIT_TIME, 1.5e-6, UNIT_TIME },
	{ "2500e-3Gbps", UNIT_BITRATE, 2.5e9, UNIT_BITRATE },
	{ "0s", UNIT_TIME, 0.0, UNIT_TIME },
	{ "0.0e0ms", UNIT_TIME, 0.0, UNIT_TIME },
};

static void check_case(const struct unit_case *c, const char *in)
{
	struct quantity q = { -1, 0 };
	g_autoptr(GError) e = NULL;

	if (!units_parse(in, c->kinds, &q, &e))
		fail_msg("'%s': %s", in, e->message);
	if (q.value != c->want || q.kind != c->kind)
		fail_msg("'%s': got %.17g (kind %d), want %.17g (kind %d)", in, q.value, q.kind,
			 c->want, c->kind);
}

static void test_units_every_unit_parses_to_its_base_value(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(every_unit); i++)
		check_case(&every_unit[i], every_unit[i].in);
}

/* Spaces and tabs around the number and between number and unit. */
static void test_units_spaces_between_number_and_unit(void **state)
{
	/* before the number, between it and the unit, after the unit */
	static const char *const forms[][3] = {
		{ "", " ", "" },     { "", "\t", "" },	     { "  ", "", "  " },
		{ "", "   ", "" },   { "\t", " \t", "\n" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(every_unit); i++) {
		const struct unit_case *c = &every_unit[i];
		size_t n = strspn(c->in, "+-.0123456789eE");

		/* "1e3us": the e belongs to the number; counts have no unit */
		if (c->kind == UNIT_COUNT)
			continue;
		for (size_t f = 0; f < G_N_ELEMENTS(forms); f++) {
			g_autofree char *num = g_strndup(c->in, n);
			g_autofree char *in = g_strconcat(forms[f][0], num, forms[f][1], c->in + n,
							  forms[f][2], NULL);

			check_case(c, in);
		}
	}
}

/* Lowercase where it is written so: "b" is not a byte, "mb" not "MB". */
static void test_units_are_case_sensitive(void **state)
{
	static const struct {
		const char *in;
		unsigned kinds;
	} wrong_case[] = {
		{ "1mb", UNIT_SIZE }, { "1S", UNIT_TIME },    { "1gbps", UNIT_BITRATE },
		{ "1Ghz", UNIT_FREQ }, { "1MPPS", UNIT_PKTRATE }, { "1Cycles", UNIT_CYCLES },
		{ "1b", UNIT_SIZE },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(wrong_case); i++) {
		struct quantity q;
		g_autoptr(GError) e = NULL;

		if (units_parse(wrong_case[i].in, wrong_case[i].kinds, &q, &e))
			fail_msg("'%s' parsed as %g", wrong_case[i].in, q.value);
		assert_non_null(strstr(e->message, "did you mean"));
	}
}

struct bad_case {
	const char *in;
	unsigned kinds;
	const char *msg;	/* a fragment of the message */
};

#define TIME_WANT "expected a time such as 1.5us (ns, us, µs, ms, s), got "

static const struct bad_case malformed[] = {
	/* nothing there */
	{ "", UNIT_TIME, TIME_WANT "''" },
	{ "   ", UNIT_TIME, TIME_WANT "''" },
	{ "\t\n", UNIT_COUNT, "expected a number such as 64 (no unit), got ''" },
	/* no number */
	{ "us", UNIT_TIME, TIME_WANT "'us'" },
	{ "s5", UNIT_TIME, TIME_WANT "'s5'" },
	{ ".", UNIT_TIME, TIME_WANT "'.'" },
	{ "-", UNIT_TIME, TIME_WANT "'-'" },
	{ "- 1s", UNIT_TIME, TIME_WANT "'- 1s'" },
	{ "++5s", UNIT_TIME, TIME_WANT "'++5s'" },
	{ "e5s", UNIT_TIME, TIME_WANT "'e5s'" },
	/* no unit where one is needed */
	{ "5", UNIT_TIME, TIME_WANT "'5' (no unit)" },
	{ "64", UNIT_SIZE,
	  "expected a size such as 1500B (B, KB, KiB, MB, MiB, GB, GiB), got '64' (no unit)" },
	{ "2200", UNIT_CYCLES, "expected a cycle count such as 2200cycles (cycles, kcycles), "
			       "got '2200' (no unit)" },
	{ "5", UNIT_TIME | UNIT_CYCLES,
	  "expected a time such as 1.5us (ns, us, µs, ms, s) or a cycle count such as "
	  "2200cycles (cycles, kcycles), got '5' (no unit)" },
	{ "50", UNIT_BITRATE | UNIT_PKTRATE | UNIT_PERCENT,
	  "expected a bit rate such as 25Gbps (bps, kbps, Mbps, Gbps, Tbps) or a packet rate "
	  "such as 100kpps (pps, kpps, Mpps) or a percentage such as 30% (%), got '50' (no unit)" },
	/* unknown unit (a suggestion may follow) */
	{ "5 xs", UNIT_TIME, TIME_WANT "'5 xs' (unknown unit 'xs'" },
	{ "5sec", UNIT_TIME, "(unknown unit 'sec'" },
	{ "5 mss", UNIT_TIME, "(unknown unit 'mss'" },
	{ "1 furlong", UNIT_SIZE, "(unknown unit 'furlong'" },
	/* unknown unit, with "did you mean" */
	{ "5 u", UNIT_TIME, TIME_WANT "'5 u' (unknown unit 'u'; did you mean 'us'?)" },
	{ "5MS", UNIT_TIME, "(unknown unit 'MS'; did you mean 'ms'?)" },
	{ "25gbps", UNIT_BITRATE, "(unknown unit 'gbps'; did you mean 'Gbps'?)" },
	{ "1mb", UNIT_SIZE, "(unknown unit 'mb'; did you mean 'MB'?)" },
	{ "1 kib", UNIT_SIZE, "did you mean 'KiB'?" },
	{ "3GHZ", UNIT_FREQ, "did you mean 'GHz'?" },
	{ "100kcycle", UNIT_CYCLES, "did you mean 'kcycles'?" },
	{ "5 M", UNIT_PKTRATE, "did you mean 'Mpps'?" },
	/* several kinds: the closest unit of each kind in which the number is
	 * plausible (150 kbit/s is not a rate for a VM's network; 2 Mbit/s is) */
	{ "150k", RATE_KINDS, "(unknown unit 'k'; did you mean 'kpps'?)" },
	{ "150k", REQRESP_RATE_KINDS, "(unknown unit 'k'; did you mean 'kpps' or 'krps'?)" },
	{ "2M", RATE_KINDS, "(unknown unit 'M'; did you mean 'Mbps' or 'Mpps'?)" },
	{ "2M", REQRESP_RATE_KINDS, "did you mean 'Mbps', 'Mpps' or 'Mrps'?)" },
	{ "40Gbs", RATE_KINDS, "(unknown unit 'Gbs'; did you mean 'Gbps'?)" },
	{ "40Gbs", REQRESP_RATE_KINDS, "(unknown unit 'Gbs'; did you mean 'Gbps'?)" },
	{ "5kbs", RATE_KINDS, "(unknown unit 'kbs'; did you mean 'kbps'?)" },
	{ "150KRPS", REQRESP_RATE_KINDS, "(unknown unit 'KRPS'; did you mean 'krps'?)" },
	{ "150krp", REQRESP_RATE_KINDS, "(unknown unit 'krp'; did you mean 'krps'?)" },
	{ "1k", UNIT_TIME | UNIT_SIZE, "(unknown unit 'k'; did you mean 'kB'?)" },
	/* a unit of the wrong kind */
	{ "5 Gbps", UNIT_TIME, TIME_WANT "'5 Gbps' (Gbps is a bit rate unit)" },
	{ "64B", UNIT_BITRATE, "(B is a size unit)" },
	{ "8GB/s", UNIT_BITRATE, "(GB/s is a byte rate unit)" },
	{ "10Gbps", UNIT_BYTERATE, "(Gbps is a bit rate unit)" },
	{ "100kpps", UNIT_BITRATE, "(kpps is a packet rate unit)" },
	{ "150krps", RATE_KINDS, "(krps is a request rate unit)" },
	{ "2.6GHz", UNIT_CYCLES, "(GHz is a frequency unit)" },
	{ "2200cycles", UNIT_TIME, "(cycles is a cycle count unit)" },
	{ "1us", UNIT_CYCLES, "(us is a time unit)" },
	{ "50%", UNIT_COUNT, "(% is a percentage unit)" },
	{ "5s", UNIT_COUNT, "expected a number such as 64 (no unit), got '5s' (s is a time unit)" },
	/* negative, and negative zero */
	{ "-1s", UNIT_TIME, TIME_WANT "'-1s' (negative)" },
	{ "-0.5us", UNIT_TIME, "(negative)" },
	{ "-0s", UNIT_TIME, TIME_WANT "'-0s' (negative)" },
	{ "-0", UNIT_COUNT, "got '-0' (negative)" },
	{ "-0.0e5", UNIT_COUNT, "(negative)" },
	{ "-1e-400s", UNIT_TIME, "(negative)" },
	/* not finite, not decimal */
	{ "inf", UNIT_COUNT, "got 'inf'" },
	{ "INF", UNIT_COUNT, "got 'INF'" },
	{ "infinity", UNIT_COUNT, "got 'infinity'" },
	{ "inf s", UNIT_TIME, TIME_WANT "'inf s'" },
	{ "-inf s", UNIT_TIME, TIME_WANT "'-inf s'" },
	{ "nan", UNIT_COUNT, "got 'nan'" },
	{ "NaN s", UNIT_TIME, TIME_WANT "'NaN s'" },
	{ "0x10", UNIT_COUNT, "got '0x10' (unknown unit 'x10'" },
	{ "0x10s", UNIT_TIME, "got '0x10s' (unknown unit 'x10s'" },
	{ "0x1p4s", UNIT_TIME, "got '0x1p4s'" },
	/* trailing junk */
	{ "1sx", UNIT_TIME, "(unknown unit 'sx'" },
	{ "1.2.3s", UNIT_TIME, "(unknown unit '.3s'" },
	{ "1e s", UNIT_TIME, "(unknown unit 'e s'" },
	{ "5 s s", UNIT_TIME, "(unknown unit 's s'" },
	{ "5us,", UNIT_TIME, "(unknown unit 'us,'" },
	{ "1,5us", UNIT_TIME, "(unknown unit ',5us'" },
	{ "64 B 2", UNIT_SIZE, "(unknown unit 'B 2'" },
	{ "5 1", UNIT_COUNT, "(unknown unit '1'" },
	/* overflow */
	{ "1e400s", UNIT_TIME, TIME_WANT "'1e400s' (not a finite number)" },
	{ "1e309", UNIT_COUNT, "(not a finite number)" },
	{ "1.8e308bps", UNIT_BITRATE, "(not a finite number)" },
	{ "1e300Tbps", UNIT_BITRATE, "got '1e300Tbps' (out of range)" },
	{ "1.8e296Tbps", UNIT_BITRATE, "(out of range)" },
	{ "1e300GiB", UNIT_SIZE, "(out of range)" },
	{ "1e99999999999999999999us", UNIT_TIME, "(not a finite number)" },
};

static void test_units_malformed_inputs_say_what_was_expected(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(malformed); i++) {
		const struct bad_case *c = &malformed[i];
		struct quantity q = { 42, UNIT_COUNT };
		g_autoptr(GError) e = NULL;

		if (units_parse(c->in, c->kinds, &q, &e))
			fail_msg("'%s' parsed as %.17g (kind %d)", c->in, q.value, q.kind);
		assert_true(g_error_matches(e, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT));
		if (!strstr(e->message, c->msg))
			fail_msg("'%s': message\n  %s\nlacks\n  %s", c->in, e->message, c->msg);
		/* STYLE.md §3: one line, lowercase, starts with what was expected */
		assert_true(g_str_has_prefix(e->message, "expected "));
		assert_null(strchr(e->message, '\n'));
		/* out untouched on failure */
		assert_true(q.value == 42 && q.kind == UNIT_COUNT);
	}
}

static void test_units_null_is_empty(void **state)
{
	struct quantity q;
	g_autoptr(GError) e = NULL;

	assert_false(units_parse(NULL, UNIT_TIME, &q, &e));
	assert_string_equal(e->message, TIME_WANT "''");
}

/* The ends of the double range, and what lies past them. */
static void test_units_boundaries(void **state)
{
	static const struct unit_case edges[] = {
		{ "1.7976931348623157e308bps", UNIT_BITRATE, DBL_MAX, UNIT_BITRATE },
		{ "1.7976931348623157e296Tbps", UNIT_BITRATE, DBL_MAX, UNIT_BITRATE },
		{ "1.7976931348623157e308", UNIT_COUNT, DBL_MAX, UNIT_COUNT },
		{ "1e308s", UNIT_TIME, 1e308, UNIT_TIME },
		{ "2.2250738585072014e-308s", UNIT_TIME, DBL_MIN, UNIT_TIME },
		{ "2.2250738585072014e-299ns", UNIT_TIME, DBL_MIN, UNIT_TIME },
		{ "4.9406564584124654e-324s", UNIT_TIME, 4.9406564584124654e-324, UNIT_TIME },
		{ "1e-300%", UNIT_PERCENT, 1e-302, UNIT_PERCENT },
		{ "0%", UNIT_PERCENT, 0, UNIT_PERCENT },
		{ "0B", UNIT_SIZE, 0, UNIT_SIZE },
		{ "1.6e299GiB", UNIT_SIZE, 1.6e299 * 1073741824.0, UNIT_SIZE },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(edges); i++)
		check_case(&edges[i], edges[i].in);
}

static void test_units_parse_kind_is_parse_with_one_kind(void **state)
{
	double v = -1;
	g_autoptr(GError) e = NULL;

	assert_true(units_parse_kind("25Gbps", UNIT_BITRATE, &v, NULL));
	assert_true(v == 25e9);
	assert_false(units_parse_kind("25Gbps", UNIT_TIME, &v, &e));
	assert_true(v == 25e9);
	assert_non_null(strstr(e->message, "(Gbps is a bit rate unit)"));
}

struct uint_case {
	const char *in;
	uint64_t min, max;
	bool ok;
	uint64_t want;		/* ok: the value; else unused */
	const char *msg;	/* !ok: the whole message */
};

static const struct uint_case uint_cases[] = {
	{ "0", 0, 10, true, 0, NULL },
	{ "10", 0, 10, true, 10, NULL },
	{ " 42 ", 0, 100, true, 42, NULL },
	{ "007", 0, 100, true, 7, NULL },
	{ "00000000000000000000042", 0, 100, true, 42, NULL },
	{ "4294967295", 0, UINT32_MAX, true, UINT32_MAX, NULL },
	{ "18446744073709551615", 0, UINT64_MAX, true, UINT64_MAX, NULL },
	{ "10000000000000000000", 0, UINT64_MAX, true, UINT64_C(10000000000000000000), NULL },
	{ "11", 0, 10, false, 0, "expected a whole number from 0 to 10, got '11'" },
	{ "0", 1, 10, false, 0, "expected a whole number from 1 to 10, got '0'" },
	{ "4294967296", 0, UINT32_MAX, false, 0,
	  "expected a whole number from 0 to 4294967295, got '4294967296'" },
	{ "0", 1, UINT64_MAX, false, 0, "expected a whole number of at least 1, got '0'" },
	{ "18446744073709551616", 0, UINT64_MAX, false, 0,
	  "expected a whole number from 0 to 18446744073709551615, got '18446744073709551616'" },
	{ "99999999999999999999999", 1, UINT64_MAX, false, 0,
	  "expected a whole number from 1 to 18446744073709551615, got '99999999999999999999999'" },
	{ "", 0, 10, false, 0, "expected a whole number without unit, got ''" },
	{ "  ", 0, 10, false, 0, "expected a whole number without unit, got ''" },
	{ "-1", 0, 10, false, 0, "expected a whole number without unit, got '-1'" },
	{ "+1", 0, 10, false, 0, "expected a whole number without unit, got '+1'" },
	{ "1.0", 0, 10, false, 0, "expected a whole number without unit, got '1.0'" },
	{ "1e3", 0, 10000, false, 0, "expected a whole number without unit, got '1e3'" },
	{ "64B", 0, 100, false, 0, "expected a whole number without unit, got '64B'" },
	{ "0x10", 0, 100, false, 0, "expected a whole number without unit, got '0x10'" },
	{ "1 000", 0, 10000, false, 0, "expected a whole number without unit, got '1 000'" },
};

static void test_units_parse_uint_boundaries(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(uint_cases); i++) {
		const struct uint_case *c = &uint_cases[i];
		uint64_t v = 12345;
		g_autoptr(GError) e = NULL;
		bool ok = units_parse_uint(c->in, c->min, c->max, &v, &e);

		if (ok != c->ok)
			fail_msg("'%s' in [%" PRIu64 ", %" PRIu64 "]: %s", c->in, c->min, c->max,
				 ok ? "accepted" : e->message);
		if (ok && v != c->want)
			fail_msg("'%s': got %" PRIu64 ", want %" PRIu64, c->in, v, c->want);
		if (!ok) {
			assert_string_equal(e->message, c->msg);
			assert_true(v == 12345);
		}
	}
	uint64_t v;
	assert_false(units_parse_uint(NULL, 0, 1, &v, NULL));
}

static void test_units_describe_names_every_unit(void **state)
{
	static const struct {
		unsigned kinds;
		const char *want;
	} d[] = {
		{ UNIT_TIME, "a time such as 1.5us (ns, us, µs, ms, s)" },
		{ UNIT_BITRATE, "a bit rate such as 25Gbps (bps, kbps, Mbps, Gbps, Tbps)" },
		{ UNIT_PKTRATE, "a packet rate such as 100kpps (pps, kpps, Mpps)" },
		{ UNIT_REQRATE, "a request rate such as 20krps (rps, krps, Mrps)" },
		{ UNIT_SIZE, "a size such as 1500B (B, KB, KiB, MB, MiB, GB, GiB)" },
		{ UNIT_BYTERATE,
		  "a byte rate such as 8GB/s (B/s, KB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s)" },
		{ UNIT_FREQ, "a frequency such as 2.6GHz (Hz, kHz, MHz, GHz)" },
		{ UNIT_CYCLES, "a cycle count such as 2200cycles (cycles, kcycles)" },
		{ UNIT_PERCENT, "a percentage such as 30% (%)" },
		{ UNIT_COUNT, "a number such as 64 (no unit)" },
		{ UNIT_SIZE | UNIT_COUNT,
		  "a size such as 1500B (B, KB, KiB, MB, MiB, GB, GiB) or a number such as 64 "
		  "(no unit)" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(d); i++) {
		g_autofree char *s = units_describe_dup(d[i].kinds);

		assert_string_equal(s, d[i].want);
	}
}

static void test_units_format_picks_a_readable_unit(void **state)
{
	static const struct {
		double v;
		enum unit_kind kind;
		const char *want;
	} f[] = {
		{ 12.5e-6, UNIT_TIME, "12.5us" },   { 0, UNIT_TIME, "0ns" },
		{ 0.2, UNIT_TIME, "200ms" },	    { 3, UNIT_TIME, "3s" },
		{ 25e9, UNIT_BITRATE, "25Gbps" },   { 1500, UNIT_SIZE, "1.5KB" },
		{ 64, UNIT_SIZE, "64B" },	    { 8e9, UNIT_BYTERATE, "8GB/s" },
		{ 2.6e9, UNIT_FREQ, "2.6GHz" },	    { 2200, UNIT_CYCLES, "2.2kcycles" },
		{ 0.5, UNIT_PERCENT, "50%" },	    { 64, UNIT_COUNT, "64" },
		{ 1e5, UNIT_PKTRATE, "100kpps" },
	};
	char buf[32];

	for (size_t i = 0; i < G_N_ELEMENTS(f); i++)
		assert_string_equal(units_format(f[i].v, f[i].kind, buf, sizeof(buf)), f[i].want);
}

/* What units_format writes parses back to the value, to its 6 digits. */
static void test_units_format_round_trips(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(every_unit); i++) {
		const struct unit_case *c = &every_unit[i];
		char buf[32];
		double back;

		units_format(c->want, c->kind, buf, sizeof(buf));
		if (!units_parse_kind(buf, c->kind, &back, NULL))
			fail_msg("'%s' formatted as '%s', which does not parse", c->in, buf);
		/* 6 significant digits: off by at most half a unit of the 6th */
		if (fabs(back - c->want) > 5e-6 * c->want)
			fail_msg("'%s' -> '%s' -> %.17g", c->in, buf, back);
	}
}

/* ---- distributions ---- */

static void parse_ok(const char *s, enum unit_kind unit, struct dist *d)
{
	g_autoptr(GError) e = NULL;

	if (!dist_parse(s, unit, tu_datadir(), d, &e))
		fail_msg("'%s': %s", s, e->message);
}

static void assert_exact(double got, double want, const char *what)
{
	if (got != want)
		fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/* Within rel of want, for values computed by a different route. */
static void assert_close(double got, double want, double rel, const char *what)
{
	if (!(fabs(got - want) <= rel * fabs(want)))
		fail_msg("%s: got %.17g, want %.17g (relative tolerance %g)", what, got, want, rel);
}

static void test_dist_each_form_parses_to_its_parameters(void **state)
{
	struct dist d;

	parse_ok("constant(3us)", UNIT_TIME, &d);
	assert_int_equal(d.kind, DIST_CONSTANT);
	assert_int_equal(d.unit, UNIT_TIME);
	assert_exact(d.a, 3e-6, "constant a");

	parse_ok("exp(20us)", UNIT_TIME, &d);
	assert_int_equal(d.kind, DIST_EXP);
	assert_exact(d.a, 20e-6, "exp mean");

	parse_ok("lognormal(4us, 1us)", UNIT_TIME, &d);
	assert_int_equal(d.kind, DIST_LOGNORMAL);
	assert_exact(d.a, 4e-6, "lognormal mean");
	assert_exact(d.b, 1e-6, "lognormal sd");
	/* sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2 */
	assert_close(d.sigma, sqrt(log(1 + 1.0 / 16)), 1e-15, "lognormal sigma");
	assert_close(d.mu, log(4e-6) - log(1 + 1.0 / 16) / 2, 1e-15, "lognormal mu");

	parse_ok("uniform(1us, 3us)", UNIT_TIME, &d);
	assert_int_equal(d.kind, DIST_UNIFORM);
	assert_exact(d.a, 1e-6, "uniform a");
	assert_exact(d.b, 3e-6, "uniform b");

	parse_ok("uniform(2us, 2us)", UNIT_TIME, &d);
	assert_exact(d.a, d.b, "uniform a = b");

	parse_ok("2200cycles", UNIT_CYCLES, &d);
	assert_int_equal(d.kind, DIST_CONSTANT);
	assert_exact(d.a, 2200, "bare value is constant");

	parse_ok("0", UNIT_COUNT, &d);
	assert_int_equal(d.kind, DIST_CONSTANT);
	assert_exact(d.a, 0, "bare count");

	parse_ok("  exp ( 20 us )  ", UNIT_TIME, &d);
	assert_int_equal(d.kind, DIST_EXP);
	assert_exact(d.a, 20e-6, "spaced exp");

	parse_ok("lognormal(4 us,1 us)", UNIT_TIME, &d);
	assert_exact(d.b, 1e-6, "spaced lognormal");

	parse_ok("imix", UNIT_SIZE, &d);
	assert_int_equal(d.kind, DIST_IMIX);
	assert_int_equal(d.n, 3);
	assert_exact(d.values[0], 64, "imix 64");
	assert_exact(d.values[1], 594, "imix 594");
	assert_exact(d.values[2], 1518, "imix 1518");
	assert_close(d.cdf[0], 7.0 / 12, 1e-15, "imix cdf 64");
	assert_close(d.cdf[1], 11.0 / 12, 1e-15, "imix cdf 594");
	assert_exact(d.cdf[2], 1, "imix cdf 1518");
	dist_clear(&d);
	assert_null(d.values);

	/* empirical-sizes.txt: 1518 B x1, 64 B x6, 594 B x4, 1024 B x1 */
	parse_ok("empirical(empirical-sizes.txt)", UNIT_SIZE, &d);
	assert_int_equal(d.kind, DIST_EMPIRICAL);
	assert_int_equal(d.n, 4);
	static const double v[] = { 64, 594, 1024, 1518 }, cdf[] = { 6, 10, 11, 12 };
	for (size_t i = 0; i < 4; i++) {
		assert_exact(d.values[i], v[i], "empirical value");
		assert_close(d.cdf[i], cdf[i] / 12, 1e-15, "empirical cdf");
	}
	dist_clear(&d);
}

/* empirical(file): relative to base_dir, or absolute with no base. */
static void test_dist_empirical_path_is_relative_to_base_dir(void **state)
{
	g_autofree char *abs = g_build_filename(tu_datadir(), "empirical-sizes.txt", NULL);
	g_autofree char *spec = g_strdup_printf("empirical(%s)", abs);
	g_autoptr(GError) e = NULL;
	struct dist d;

	assert_true(dist_parse(spec, UNIT_SIZE, NULL, &d, &e));
	assert_int_equal(d.n, 4);
	dist_clear(&d);
	assert_true(dist_parse(spec, UNIT_SIZE, "/nonexistent", &d, &e));
	dist_clear(&d);

	assert_false(dist_parse("empirical(empirical-sizes.txt)", UNIT_SIZE, "/nonexistent", &d,
				&e));
	assert_non_null(strstr(e->message,
			       "cannot read empirical table '/nonexistent/empirical-sizes.txt': "));
}

static void test_dist_copy_is_deep_and_clear_is_idempotent(void **state)
{
	struct dist d, c;

	parse_ok("imix", UNIT_SIZE, &d);
	dist_copy(&c, &d);
	assert_ptr_not_equal(c.values, d.values);
	assert_ptr_not_equal(c.cdf, d.cdf);
	dist_clear(&d);
	assert_exact(c.values[2], 1518, "copy survives the original");
	dist_clear(&c);
	dist_clear(&c);

	struct dist zero = { 0 };
	dist_clear(&zero);
	parse_ok("exp(1ms)", UNIT_TIME, &d);
	dist_copy(&c, &d);
	assert_null(c.values);
	assert_exact(c.a, 1e-3, "copied mean");
}

static void test_dist_to_string_writes_it_back(void **state)
{
	static const struct {
		const char *in;
		enum unit_kind unit;
		const char *want;
	} w[] = {
		{ "constant(3us)", UNIT_TIME, "constant(3us)" },
		{ "3us", UNIT_TIME, "constant(3us)" },
		{ "exp(20us)", UNIT_TIME, "exp(20us)" },
		{ "lognormal(4us, 1us)", UNIT_TIME, "lognormal(4us, 1us)" },
		{ "uniform(1us,3us)", UNIT_TIME, "uniform(1us, 3us)" },
		{ "imix", UNIT_SIZE, "imix" },
		{ "constant(64)", UNIT_COUNT, "constant(64)" },
		{ "empirical(empirical-sizes.txt)", UNIT_SIZE, "empirical(4 values, mean 441.833B)" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(w); i++) {
		struct dist d;

		parse_ok(w[i].in, w[i].unit, &d);
		g_autofree char *s = dist_to_string(&d);
		assert_string_equal(s, w[i].want);
		dist_clear(&d);
	}
}

static const struct bad_case bad_dists[] = {
	/* not a distribution */
	{ "", UNIT_TIME, TIME_WANT "''" },
	{ "foo(1us)", UNIT_TIME,
	  "expected a distribution: constant(x), exp(mean), lognormal(mean, sd), uniform(a, b), "
	  "empirical(file) or a plain value, got 'foo(1us)'" },
	{ "normal(1us, 2us)", UNIT_SIZE,
	  "expected a distribution: constant(x), exp(mean), lognormal(mean, sd), uniform(a, b), "
	  "imix, empirical(file) or a plain value, got 'normal(1us, 2us)'" },
	{ "exp 1us", UNIT_TIME, "expected a distribution: " },
	{ "Exp(1us)", UNIT_TIME, "expected a distribution: " },
	/* parentheses */
	{ "exp", UNIT_TIME, "expected exp(mean), got 'exp'" },
	{ "exp(1us", UNIT_TIME, "expected exp(mean), got 'exp(1us'" },
	{ "exp(1us))", UNIT_TIME, "in 'exp(1us))': expected a time such as 1.5us " },
	{ "exp(1us) x", UNIT_TIME, "expected exp(mean), got 'exp(1us) x'" },
	/* wrong arity */
	{ "exp()", UNIT_TIME, "expected exp(mean), got 'exp()' (0 arguments)" },
	{ "constant( )", UNIT_TIME, "expected constant(x), got 'constant( )' (0 arguments)" },
	{ "exp(1us, 2us)", UNIT_TIME, "expected exp(mean), got 'exp(1us, 2us)' (2 arguments)" },
	{ "uniform(1us)", UNIT_TIME, "expected uniform(a, b), got 'uniform(1us)' (1 argument)" },
	{ "lognormal(4us)", UNIT_TIME, "expected lognormal(mean, sd), got 'lognormal(4us)' (1 argument)" },
	{ "lognormal(4us, 1us, 1us)", UNIT_TIME, "(3 arguments)" },
	{ "uniform(1us,)", UNIT_TIME, "in 'uniform(1us,)': expected a time such as 1.5us (ns, us, µs, "
				      "ms, s), got ''" },
	/* wrong units */
	{ "exp(20)", UNIT_TIME, "in 'exp(20)': " TIME_WANT "'20' (no unit)" },
	{ "exp(20Gbps)", UNIT_TIME, "in 'exp(20Gbps)': " TIME_WANT "'20Gbps' (Gbps is a bit rate unit)" },
	{ "lognormal(4us, 1)", UNIT_TIME, "in 'lognormal(4us, 1)': " TIME_WANT "'1' (no unit)" },
	{ "uniform(64B, 1us)", UNIT_SIZE, "in 'uniform(64B, 1us)': expected a size such as 1500B" },
	{ "20us", UNIT_CYCLES, "(us is a time unit)" },
	{ "constant(5)", UNIT_SIZE, "(no unit)" },
	/* values out of their domain */
	{ "exp(0us)", UNIT_TIME, "in 'exp(0us)': expected a positive mean" },
	{ "exp(-1us)", UNIT_TIME, "in 'exp(-1us)': " TIME_WANT "'-1us' (negative)" },
	{ "lognormal(0us, 1us)", UNIT_TIME, "in 'lognormal(0us, 1us)': expected a positive mean" },
	{ "uniform(3us, 1us)", UNIT_TIME, "in 'uniform(3us, 1us)': expected a <= b" },
	{ "-5us", UNIT_TIME, "(negative)" },
	/* imix is for sizes only, and has no arguments */
	{ "imix", UNIT_TIME, TIME_WANT "'imix' (a mix of packet sizes)" },
	{ "imix", UNIT_COUNT, "expected a number such as 64 (no unit), got 'imix' (a mix of packet sizes)" },
	{ "imix()", UNIT_SIZE, "expected 'imix' without arguments, got 'imix()'" },
	{ "imix(64B)", UNIT_SIZE, "expected 'imix' without arguments, got 'imix(64B)'" },
	/* empirical */
	{ "empirical()", UNIT_SIZE, "expected empirical(file), got 'empirical()'" },
	{ "empirical", UNIT_SIZE, "expected empirical(file), got 'empirical'" },
	{ "empirical(missing.txt)", UNIT_SIZE,
	  "/missing.txt': No such file or directory" },
	{ "empirical(.)", UNIT_SIZE, "cannot read empirical table '" },
};

static void test_dist_errors_say_what_was_expected(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bad_dists); i++) {
		const struct bad_case *c = &bad_dists[i];
		struct dist d = { .kind = DIST_EXP, .a = 42 };
		g_autoptr(GError) e = NULL;

		if (dist_parse(c->in, c->kinds, tu_datadir(), &d, &e))
			fail_msg("'%s' parsed", c->in);
		assert_true(g_error_matches(e, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT));
		if (!strstr(e->message, c->msg))
			fail_msg("'%s': message\n  %s\nlacks\n  %s", c->in, e->message, c->msg);
		assert_null(strchr(e->message, '\n'));
		/* on failure out is untouched */
		assert_true(d.kind == DIST_EXP && d.a == 42 && d.values == NULL);
	}
}

/* A broken empirical table names file:line, or the file for the table as a
 * whole. */
static void test_dist_bad_empirical_tables_name_file_and_line(void **state)
{
	static const struct {
		const char *file;
		int line;	/* 0: the message names the file without a line */
		const char *msg;
	} t[] = {
		{ "empirical-bad-value.txt", 4,
		  "expected a size such as 1500B (B, KB, KiB, MB, MiB, GB, GiB), got '64Gbps' "
		  "(Gbps is a bit rate unit)" },
		{ "empirical-bad-weight.txt", 3,
		  "weight: expected a number such as 64 (no unit), got 'heavy'" },
		{ "empirical-negative-weight.txt", 2,
		  "weight: expected a number such as 64 (no unit), got '-1' (negative)" },
		{ "empirical-three-fields.txt", 3, "expected 'value [weight]', got '64 B 1 2'" },
		{ "empirical-separators.txt", 3, "expected 'value [weight]', got ','" },
		{ "empirical-empty.txt", 0, "has no values" },
		{ "empirical-zero-weights.txt", 0, "weights add up to zero" },
		{ "empirical-huge-weights.txt", 0, "weights add up to more than 1.79769e+308" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *spec = g_strdup_printf("empirical(%s)", t[i].file);
		g_autofree char *path = g_build_filename(tu_datadir(), t[i].file, NULL);
		g_autofree char *where = t[i].line ? g_strdup_printf("%s:%d: ", path, t[i].line)
						   : g_strdup_printf("empirical table '%s'", path);
		g_autoptr(GError) e = NULL;
		struct dist d;

		if (dist_parse(spec, UNIT_SIZE, tu_datadir(), &d, &e))
			fail_msg("%s parsed", t[i].file);
		if (!g_str_has_prefix(e->message, where) || !strstr(e->message, t[i].msg))
			fail_msg("%s: message\n  %s\nwant\n  %s...%s", t[i].file, e->message, where,
				 t[i].msg);
	}
}

static void test_dist_mean_and_stddev_are_exact(void **state)
{
	struct dist d;

	parse_ok("constant(3us)", UNIT_TIME, &d);
	assert_exact(dist_mean(&d), 3e-6, "constant mean");
	assert_exact(dist_stddev(&d), 0, "constant sd");
	assert_exact(dist_min(&d), 3e-6, "constant min");

	parse_ok("exp(20us)", UNIT_TIME, &d);
	assert_exact(dist_mean(&d), 20e-6, "exp mean");
	assert_exact(dist_stddev(&d), 20e-6, "exp sd");
	assert_exact(dist_min(&d), 0, "exp min");

	parse_ok("lognormal(4us, 1us)", UNIT_TIME, &d);
	assert_exact(dist_mean(&d), 4e-6, "lognormal mean");
	assert_exact(dist_stddev(&d), 1e-6, "lognormal sd");
	/* and the underlying normal gives them back: E = exp(mu + sigma^2/2),
	 * Var = (exp(sigma^2) - 1) E^2 */
	assert_close(exp(d.mu + d.sigma * d.sigma / 2), 4e-6, 1e-14, "lognormal E from mu, sigma");
	assert_close(sqrt(expm1(d.sigma * d.sigma)) * 4e-6, 1e-6, 1e-14,
		     "lognormal sd from sigma");

	parse_ok("uniform(1us, 3us)", UNIT_TIME, &d);
	assert_exact(dist_mean(&d), 2e-6, "uniform mean");
	assert_close(dist_stddev(&d), 2e-6 / sqrt(12.0), 1e-15, "uniform sd");
	assert_exact(dist_min(&d), 1e-6, "uniform min");

	/* imix: 7:4:1 of 64, 594, 1518: mean 4342/12, E[x^2] 3744340/12 */
	parse_ok("imix", UNIT_SIZE, &d);
	assert_close(dist_mean(&d), 4342.0 / 12, 1e-14, "imix mean");
	assert_close(dist_stddev(&d), sqrt(3744340.0 / 12 - (4342.0 / 12) * (4342.0 / 12)), 1e-13,
		     "imix sd");
	assert_exact(dist_min(&d), 64, "imix min");
	dist_clear(&d);

	/* empirical-sizes.txt: 6x64, 4x594, 1x1024, 1x1518: mean 5302/12 */
	parse_ok("empirical(empirical-sizes.txt)", UNIT_SIZE, &d);
	double ex2 = (6 * 64.0 * 64 + 4 * 594.0 * 594 + 1024.0 * 1024 + 1518.0 * 1518) / 12;
	assert_close(dist_mean(&d), 5302.0 / 12, 1e-14, "empirical mean");
	assert_close(dist_stddev(&d), sqrt(ex2 - (5302.0 / 12) * (5302.0 / 12)), 1e-13,
		     "empirical sd");
	dist_clear(&d);
}

/* Central moments of d for the tolerance of the sample variance: the
 * fourth, mu4, from the raw moments where there is a closed form. */
static double fourth_central_moment(const struct dist *d)
{
	double m = dist_mean(d), s = dist_stddev(d);

	switch (d->kind) {
	case DIST_EXP:
		return 9 * pow(s, 4);
	case DIST_UNIFORM:
		return pow(d->b - d->a, 4) / 80;
	case DIST_LOGNORMAL: {
		/* E[X^k] = exp(k mu + k^2 sigma^2 / 2) */
		double e[5];
		for (int k = 1; k <= 4; k++)
			e[k] = exp(k * d->mu + k * k * d->sigma * d->sigma / 2);
		return e[4] - 4 * m * e[3] + 6 * m * m * e[2] - 3 * pow(m, 4);
	}
	case DIST_IMIX:
	case DIST_EMPIRICAL: {
		double r = 0, prev = 0;
		for (size_t i = 0; i < d->n; i++) {
			r += pow(d->values[i] - m, 4) * (d->cdf[i] - prev);
			prev = d->cdf[i];
		}
		return r;
	}
	default:
		return 0;
	}
}

/* Sample mean and variance of N draws from a fixed seed, against the exact
 * ones.  Tolerance: 5 standard errors, sd/sqrt(N) for the mean and
 * sqrt((mu4 - sd^4)/N) for the variance; with N = 400000 that is 0.8 % of
 * the sd for the mean.  A correct sampler lands outside with probability
 * about 6e-7 per check (normal tails), and the seed is fixed, so the test
 * never flakes; a wrong parameterisation (sd for variance, rate for mean,
 * a mis-sorted table) misses by far more. */
static void check_sample_moments(const char *spec, enum unit_kind unit, uint64_t seed)
{
	const size_t n = 400000;
	struct dist d;
	struct rng r;
	double sum = 0, sum2 = 0, lo = INFINITY;

	parse_ok(spec, unit, &d);
	rng_seed(&r, seed, 7);
	double m = dist_mean(&d), sd = dist_stddev(&d);
	for (size_t i = 0; i < n; i++) {
		double x = dist_sample(&d, &r);

		sum += x - m;
		sum2 += (x - m) * (x - m);
		lo = fmin(lo, x);
	}
	double mean = m + sum / n;
	double var = (sum2 - sum * sum / n) / (n - 1);
	double tol_mean = 5 * sd / sqrt((double)n);
	double tol_var = 5 * sqrt((fourth_central_moment(&d) - pow(sd, 4)) / n);

	if (fabs(mean - m) > tol_mean)
		fail_msg("%s: sample mean %.9g, exact %.9g, tolerance %.3g", spec, mean, m, tol_mean);
	if (fabs(var - sd * sd) > tol_var)
		fail_msg("%s: sample variance %.9g, exact %.9g, tolerance %.3g", spec, var, sd * sd,
			 tol_var);
	if (lo < dist_min(&d))
		fail_msg("%s: sample %.9g below the minimum %.9g", spec, lo, dist_min(&d));
	dist_clear(&d);
}

static void test_dist_sample_moments_match_exact_ones(void **state)
{
	check_sample_moments("exp(20us)", UNIT_TIME, 1);
	check_sample_moments("lognormal(4us, 1us)", UNIT_TIME, 2);
	check_sample_moments("lognormal(10us, 20us)", UNIT_TIME, 3);
	check_sample_moments("uniform(1us, 3us)", UNIT_TIME, 4);
	check_sample_moments("imix", UNIT_SIZE, 5);
	check_sample_moments("empirical(empirical-sizes.txt)", UNIT_SIZE, 6);
}

/* Each value of a table is drawn with its probability: counts within 5
 * binomial standard errors, sqrt(N p (1 - p)). */
static void test_dist_table_frequencies_match_weights(void **state)
{
	const size_t n = 120000;
	struct dist d;
	struct rng r;
	size_t count[4] = { 0 };

	parse_ok("empirical(empirical-sizes.txt)", UNIT_SIZE, &d);
	rng_seed(&r, 11, 0);
	for (size_t i = 0; i < n; i++) {
		double x = dist_sample(&d, &r);
		size_t k = 0;

		while (k < d.n && d.values[k] != x)
			k++;
		assert_true(k < d.n);
		count[k]++;
	}
	static const double p[] = { 6.0 / 12, 4.0 / 12, 1.0 / 12, 1.0 / 12 };
	for (size_t k = 0; k < 4; k++) {
		double want = n * p[k], tol = 5 * sqrt(n * p[k] * (1 - p[k]));

		if (fabs(count[k] - want) > tol)
			fail_msg("value %g drawn %zu times, want %.0f +- %.0f", d.values[k], count[k],
				 want, tol);
	}
	dist_clear(&d);
}

/* The same seed and stream give the same draws. */
static void test_dist_sampling_is_deterministic(void **state)
{
	struct dist d;
	struct rng a, b;

	parse_ok("lognormal(4us, 1us)", UNIT_TIME, &d);
	rng_seed(&a, 42, 3);
	rng_seed(&b, 42, 3);
	for (int i = 0; i < 1000; i++)
		assert_true(dist_sample(&d, &a) == dist_sample(&d, &b));
	rng_seed(&b, 43, 3);
	int same = 0;
	for (int i = 0; i < 1000; i++)
		same += dist_sample(&d, &a) == dist_sample(&d, &b);
	assert_true(same < 10);
}

/* ---- fuzz regressions ---- */

/* Replay every input fuzz_units once failed on; each must now pass the
 * target's checks (which abort) and the sanitizers, if built with them. */
static void test_units_fuzz_regressions_pass(void **state)
{
	g_autofree char *dir = g_build_filename(tu_datadir(), "fuzz-regressions", "units", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	unsigned n = 0;

	assert_non_null(d);
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *data = NULL;
		gsize len;

		assert_true(g_file_get_contents(path, &data, &len, NULL));
		assert_int_equal(fuzz_units_one((const uint8_t *)data, len), 0);
		n++;
	}
	assert_true(n >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_every_unit_parses_to_its_base_value),
		cmocka_unit_test(test_units_spaces_between_number_and_unit),
		cmocka_unit_test(test_units_are_case_sensitive),
		cmocka_unit_test(test_units_malformed_inputs_say_what_was_expected),
		cmocka_unit_test(test_units_null_is_empty),
		cmocka_unit_test(test_units_boundaries),
		cmocka_unit_test(test_units_parse_kind_is_parse_with_one_kind),
		cmocka_unit_test(test_units_parse_uint_boundaries),
		cmocka_unit_test(test_units_describe_names_every_unit),
		cmocka_unit_test(test_units_format_picks_a_readable_unit),
		cmocka_unit_test(test_units_format_round_trips),
		cmocka_unit_test(test_dist_each_form_parses_to_its_parameters),
		cmocka_unit_test(test_dist_empirical_path_is_relative_to_base_dir),
		cmocka_unit_test(test_dist_copy_is_deep_and_clear_is_idempotent),
		cmocka_unit_test(test_dist_to_string_writes_it_back),
		cmocka_unit_test(test_dist_errors_say_what_was_expected),
		cmocka_unit_test(test_dist_bad_empirical_tables_name_file_and_line),
		cmocka_unit_test(test_dist_mean_and_stddev_are_exact),
		cmocka_unit_test(test_dist_sample_moments_match_exact_ones),
		cmocka_unit_test(test_dist_table_frequencies_match_weights),
		cmocka_unit_test(test_dist_sampling_is_deterministic),
		cmocka_unit_test(test_units_fuzz_regressions_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
