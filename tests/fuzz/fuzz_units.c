/* fuzz_units.c: units_parse, units_parse_uint and dist_parse on arbitrary
 * text (see fuzz.h for the input layout).
 *
 * Besides not crashing, leaking or invoking undefined behaviour, a parsed
 * quantity must be finite, non-negative, of a kind that was asked for, and
 * survive units_format and a second parse within the 6 significant digits
 * units_format prints; a parsed distribution must give a mean, standard
 * deviation and samples that are numbers (not NaN), and survive
 * dist_to_string and a second parse.  Every error starts "expected" or
 * names what could not be read, lowercase, as STYLE.md §3 asks.
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "core/dist.h"
#include "core/rng.h"
#include "core/units.h"

#define ALL_KINDS 0x1ffu

static void check_message(const GError *e)
{
	FUZZ_CHECK(e && e->message && *e->message, "%s", "error without message");
	FUZZ_CHECK(!strchr(e->message, '\n'), "multi-line message: %s", e->message);
	FUZZ_CHECK(!g_ascii_isupper(e->message[0]), "capitalised message: %s", e->message);
}

/* a and b agree to the 6 significant digits units_format keeps. */
static bool close_enough(double a, double b)
{
	return fabs(a - b) <= 1e-5 * fmax(fabs(a), fabs(b));
}

static void check_quantity(const char *s, unsigned kinds)
{
	struct quantity q;
	g_autoptr(GError) e = NULL;

	if (!units_parse(s, kinds, &q, &e)) {
		check_message(e);
		FUZZ_CHECK(g_str_has_prefix(e->message, "expected "), "%s", e->message);
		return;
	}
	FUZZ_CHECK(isfinite(q.value) && q.value >= 0, "'%s' -> %g", s, q.value);
	FUZZ_CHECK((q.kind & kinds) && !(q.kind & (q.kind - 1)), "'%s': kind %d not in %#x", s,
		   q.kind, kinds);

	/* below 1e-280 the value is subnormal after scaling: digits are lost */
	if (q.value < 1e-280 && q.value > 0)
		return;
	char buf[64];
	struct quantity again;
	g_autoptr(GError) e2 = NULL;

	units_format(q.value, q.kind, buf, sizeof(buf));
	FUZZ_CHECK(units_parse(buf, q.kind, &again, &e2), "'%s' -> '%s': %s", s, buf,
		   e2 ? e2->message : "");
	FUZZ_CHECK(close_enough(q.value, again.value), "'%s' -> %.17g -> '%s' -> %.17g", s,
		   q.value, buf, again.value);
}

static void check_uint(const char *s)
{
	uint64_t v;
	g_autoptr(GError) e = NULL;

	if (!units_parse_uint(s, 0, UINT64_MAX, &v, &e)) {
		check_message(e);
		return;
	}
	g_autofree char *t = g_strstrip(g_strdup(s));
	const char *p = t;

	while (*p == '0' && p[1])
		p++;
	g_autofree char *back = g_strdup_printf("%" G_GUINT64_FORMAT, v);
	FUZZ_CHECK(!strcmp(p, back), "'%s' -> %s", s, back);
}

static void check_dist(const char *s, enum unit_kind unit)
{
	struct dist d;
	g_autoptr(GError) e = NULL;

	if (!dist_parse(s, unit, fuzz_tmpdir(), &d, &e)) {
		check_message(e);
		return;
	}
	double mean = dist_mean(&d), sd = dist_stddev(&d), lo = dist_min(&d);

	FUZZ_CHECK(!isnan(mean) && !isnan(sd) && !isnan(lo), "'%s': mean %g sd %g min %g", s,
		   mean, sd, lo);
	FUZZ_CHECK(lo >= 0 && sd >= 0, "'%s': min %g sd %g", s, lo, sd);
	FUZZ_CHECK(mean >= lo * (1 - 1e-12), "'%s': mean %g below min %g", s, mean, lo);

	struct rng r;
	rng_seed(&r, 1, 0);
	for (int i = 0; i < 16; i++) {
		double x = dist_sample(&d, &r);

		FUZZ_CHECK(!isnan(x) && x >= 0, "'%s': sample %g", s, x);
	}

	struct dist copy;
	dist_copy(&copy, &d);
	g_autofree char *text = dist_to_string(&copy);
	FUZZ_CHECK(text && *text, "'%s': empty dist_to_string", s);
	if (d.kind != DIST_EMPIRICAL && !(d.a > 0 && d.a < 1e-280) && !(d.b > 0 && d.b < 1e-280)) {
		struct dist again;
		g_autoptr(GError) e2 = NULL;

		FUZZ_CHECK(dist_parse(text, unit, NULL, &again, &e2), "'%s' -> '%s': %s", s, text,
			   e2 ? e2->message : "");
		FUZZ_CHECK(again.kind == d.kind && close_enough(again.a, d.a) &&
				   close_enough(again.b, d.b),
			   "'%s' -> '%s' differs", s, text);
		dist_clear(&again);
	}
	dist_clear(&copy);
	dist_clear(&d);
}

int fuzz_units_one(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned kinds = (data[0] | (unsigned)data[1] << 8) & ALL_KINDS;
	if (!kinds)
		kinds = ALL_KINDS;
	data += 2;
	size -= 2;

	const uint8_t *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - data) : size;
	g_autofree char *s = g_strndup((const char *)data, len);

	if (nl) {
		g_free(fuzz_write("t.txt", nl + 1, size - len - 1));
	}

	check_quantity(s, kinds);
	check_uint(s);
	/* dist_parse takes one kind: the lowest asked for */
	check_dist(s, (enum unit_kind)(kinds & -kinds));
	if (nl)
		check_dist("empirical(t.txt)", (enum unit_kind)(kinds & -kinds));
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_units_one(data, size);
}
#endif
