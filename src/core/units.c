/* units.c: parse quantities with units ("1.5us", "25Gbps", "3000cycles").
 *
 * The suffixes are a table, as in wrk's units.c: adding a unit is one row.
 * Numbers are parsed by hand up to the unit so that "inf", "nan", hex floats
 * and trailing garbage are refused, then converted with g_ascii_strtod (C
 * locale, whatever the user's LC_NUMERIC).
 */
#include "core/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/msg.h"
#include "core/nearest.h"

struct unit_row {
	const char *suffix;
	enum unit_kind kind;
	double scale;		/* to base units */
	int exp10;		/* decimal units: scale is 10^exp10; binary and base: 0 */
};

static const struct unit_row unit_table[] = {
	{ "ns", UNIT_TIME, 1e-9, -9 },
	{ "us", UNIT_TIME, 1e-6, -6 },
	{ "µs", UNIT_TIME, 1e-6, -6 },
	{ "ms", UNIT_TIME, 1e-3, -3 },
	{ "s", UNIT_TIME, 1.0, 0 },
	{ "bps", UNIT_BITRATE, 1.0, 0 },
	{ "kbps", UNIT_BITRATE, 1e3, 3 },
	{ "Mbps", UNIT_BITRATE, 1e6, 6 },
	{ "Gbps", UNIT_BITRATE, 1e9, 9 },
	{ "Tbps", UNIT_BITRATE, 1e12, 12 },
	{ "pps", UNIT_PKTRATE, 1.0, 0 },
	{ "kpps", UNIT_PKTRATE, 1e3, 3 },
	{ "Mpps", UNIT_PKTRATE, 1e6, 6 },
	{ "rps", UNIT_REQRATE, 1.0, 0 },
	{ "krps", UNIT_REQRATE, 1e3, 3 },
	{ "Mrps", UNIT_REQRATE, 1e6, 6 },
	{ "B", UNIT_SIZE, 1.0, 0 },
	{ "KB", UNIT_SIZE, 1e3, 3 },
	{ "kB", UNIT_SIZE, 1e3, 3 },
	{ "KiB", UNIT_SIZE, 1024.0, 0 },
	{ "MB", UNIT_SIZE, 1e6, 6 },
	{ "MiB", UNIT_SIZE, 1048576.0, 0 },
	{ "GB", UNIT_SIZE, 1e9, 9 },
	{ "GiB", UNIT_SIZE, 1073741824.0, 0 },
	{ "B/s", UNIT_BYTERATE, 1.0, 0 },
	{ "KB/s", UNIT_BYTERATE, 1e3, 3 },
	{ "kB/s", UNIT_BYTERATE, 1e3, 3 },
	{ "KiB/s", UNIT_BYTERATE, 1024.0, 0 },
	{ "MB/s", UNIT_BYTERATE, 1e6, 6 },
	{ "MiB/s", UNIT_BYTERATE, 1048576.0, 0 },
	{ "GB/s", UNIT_BYTERATE, 1e9, 9 },
	{ "GiB/s", UNIT_BYTERATE, 1073741824.0, 0 },
	{ "Hz", UNIT_FREQ, 1.0, 0 },
	{ "kHz", UNIT_FREQ, 1e3, 3 },
	{ "MHz", UNIT_FREQ, 1e6, 6 },
	{ "GHz", UNIT_FREQ, 1e9, 9 },
	{ "cycles", UNIT_CYCLES, 1.0, 0 },
	{ "cycle", UNIT_CYCLES, 1.0, 0 },
	{ "kcycles", UNIT_CYCLES, 1e3, 3 },
	{ "%", UNIT_PERCENT, 0.01, -2 },
};

/* lo..hi: where a value of the kind is plausible for a network of VMs, so
 * that "150k" suggests kpps (150 thousand packets/s) before kbps (150
 * kbit/s, slower than a modem); 0..0: any value is. */
struct kind_row {
	enum unit_kind kind;
	const char *what;	/* "a time" */
	const char *example;	/* "1.5us" */
	const char *units;	/* "ns, us, µs, ms, s" */
	double lo, hi;		/* plausible values, base units */
};

static const struct kind_row kind_table[] = {
	{ UNIT_TIME, "a time", "1.5us", "ns, us, µs, ms, s", 0, 0 },
	{ UNIT_BITRATE, "a bit rate", "25Gbps", "bps, kbps, Mbps, Gbps, Tbps", 1e6, 1e13 },
	{ UNIT_PKTRATE, "a packet rate", "100kpps", "pps, kpps, Mpps", 1, 1e10 },
	{ UNIT_REQRATE, "a request rate", "20krps", "rps, krps, Mrps", 1, 1e10 },
	{ UNIT_SIZE, "a size", "1500B", "B, KB, KiB, MB, MiB, GB, GiB", 0, 0 },
	{ UNIT_BYTERATE, "a byte rate", "8GB/s", "B/s, KB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s", 0, 0 },
	{ UNIT_FREQ, "a frequency", "2.6GHz", "Hz, kHz, MHz, GHz", 0, 0 },
	{ UNIT_CYCLES, "a cycle count", "2200cycles", "cycles, kcycles", 0, 0 },
	{ UNIT_PERCENT, "a percentage", "30%", "%", 0, 0 },
	{ UNIT_COUNT, "a number", "64", "no unit", 0, 0 },
};

static const struct kind_row *kind_row(enum unit_kind kind)
{
	for (size_t i = 0; i < G_N_ELEMENTS(kind_table); i++)
		if (kind_table[i].kind == kind)
			return &kind_table[i];
	g_assert_not_reached();
}

char *units_describe_dup(unsigned kinds)
{
	GString *s = g_string_new(NULL);
	size_t n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(kind_table); i++) {
		const struct kind_row *k = &kind_table[i];

		if (!(kinds & k->kind))
			continue;
		if (n++)
			g_string_append(s, " or ");
		g_string_append_printf(s, "%s such as %s (%s)", k->what, k->example, k->units);
	}
	return g_string_free(s, FALSE);
}

/* Length of a plain decimal number at the start of s ("-1.5e3"), 0 if none.
 * Refuses inf, nan and hex, which strtod would take. */
static size_t number_span(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '+' || s[i] == '-')
		i++;
	while (g_ascii_isdigit(s[i])) {
		i++;
		digits++;
	}
	if (s[i] == '.') {
		i++;
		while (g_ascii_isdigit(s[i])) {
			i++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;

		if (s[j] == '+' || s[j] == '-')
			j++;
		if (g_ascii_isdigit(s[j])) {
			while (g_ascii_isdigit(s[j]))
				j++;
			i = j;
		}
	}
	return i;
}

/* num * 10^exp10, rounded once: "100us" is read as 100e-6, the double
 * nearest 1e-4 (as "0.1ms" is), where 100 * 1e-6 lands one ulp off and
 * values written at a key's bound would fall outside it.  num is a number
 * as number_span accepts it.  Binary and base units multiply, which is
 * exact. */
static double shift_decimal(const char *num, int exp10)
{
	const char *e = strpbrk(num, "eE");
	gint64 x = e ? g_ascii_strtoll(e + 1, NULL, 10) : 0;
	int mantissa = e ? (int)(e - num) : (int)strlen(num);

	x = CLAMP(x, -100000, 100000) + exp10;
	g_autofree char *t = g_strdup_printf("%.*se%" G_GINT64_FORMAT, mantissa, num, x);
	return g_ascii_strtod(t, NULL);
}

/* One unit per kind that text may have meant, for "did you mean": a unit
 * that differs in case only wins outright; otherwise, per kind, a unit text
 * begins ("k" for "kpps") or the nearest by edit distance.  Of those, the
 * closest; of those, the ones whose value (num in that unit) is plausible
 * for the kind, unless none is.  Writes up to max suffixes to out, plausible
 * first, and returns how many. */
static size_t suggest_units(const char *text, const char *num, unsigned kinds, const char **out,
			    size_t max)
{
	struct hint {
		const char *suffix;
		size_t score;	/* 0: text begins it; else the edit distance */
		bool plausible;
	} hints[G_N_ELEMENTS(kind_table)];
	size_t n = 0, best = SIZE_MAX, shown = 0;
	double v = g_ascii_strtod(num, NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(unit_table); i++)
		if ((kinds & unit_table[i].kind) && !g_ascii_strcasecmp(unit_table[i].suffix, text)) {
			out[0] = unit_table[i].suffix;
			return 1;
		}
	for (size_t k = 0; k < G_N_ELEMENTS(kind_table); k++) {
		const struct kind_row *kr = &kind_table[k];
		const char *known[G_N_ELEMENTS(unit_table)];
		const struct unit_row *rows[G_N_ELEMENTS(unit_table)];
		size_t nk = 0;
		const struct unit_row *pick = NULL;

		if (!(kinds & kr->kind))
			continue;
		for (size_t i = 0; i < G_N_ELEMENTS(unit_table); i++)
			if (unit_table[i].kind == kr->kind) {
				rows[nk] = &unit_table[i];
				known[nk++] = unit_table[i].suffix;
			}
		for (size_t i = 0; i < nk && *text && !pick; i++)
			if (g_str_has_prefix(known[i], text))
				pick = rows[i];
		const char *near = pick ? NULL : nearest_word(text, known, nk);
		for (size_t i = 0; i < nk && near && !pick; i++)
			if (known[i] == near)
				pick = rows[i];
		if (!pick)
			continue;
		double x = v * pick->scale;
		hints[n] = (struct hint){
			.suffix = pick->suffix,
			.score = g_str_has_prefix(pick->suffix, text) ? 0
								      : nearest_distance(text, pick->suffix),
			.plausible = kr->lo == kr->hi || (x >= kr->lo && x <= kr->hi),
		};
		best = MIN(best, hints[n].score);
		n++;
	}
	bool any_plausible = false;
	for (size_t i = 0; i < n; i++)
		any_plausible |= hints[i].score == best && hints[i].plausible;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && shown < max; i++)
			if (hints[i].score == best && hints[i].plausible == (pass == 0) &&
			    (hints[i].plausible || !any_plausible))
				out[shown++] = hints[i].suffix;
	return shown;
}

/* "'a'", "'a' or 'b'", "'a', 'b' or 'c'" */
static char *quote_choices(const char *const *words, size_t n)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < n; i++)
		g_string_append_printf(s, "%s'%s'", i == 0 ? "" : i + 1 == n ? " or " : ", ",
				       words[i]);
	return g_string_free(s, FALSE);
}

static bool fail_expected(unsigned kinds, const char *s, const char *why, GError **error)
{
	g_autofree char *want = units_describe_dup(kinds);

	if (why)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "expected %s, got '%s' (%s)",
			    want, s, why);
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "expected %s, got '%s'",
			    want, s);
	return false;
}

bool units_parse(const char *s, unsigned kinds, struct quantity *out, GError **error)
{
	g_autofree char *text = g_strstrip(g_strdup(s ? s : ""));
	size_t n = number_span(text);

	if (n == 0)
		return fail_expected(kinds, text, NULL, error);

	g_autofree char *num = g_strndup(text, n);
	double v = g_ascii_strtod(num, NULL);
	const char *unit = text + n;

	while (*unit == ' ' || *unit == '\t')
		unit++;

	if (!isfinite(v))
		return fail_expected(kinds, text, "not a finite number", error);
	if (v < 0 || (v == 0 && num[0] == '-'))
		return fail_expected(kinds, text, "negative", error);

	if (!*unit) {
		if (kinds & UNIT_COUNT) {
			out->value = v;
			out->kind = UNIT_COUNT;
			return true;
		}
		return fail_expected(kinds, text, "no unit", error);
	}

	for (size_t i = 0; i < G_N_ELEMENTS(unit_table); i++) {
		const struct unit_row *u = &unit_table[i];

		if (strcmp(unit, u->suffix) != 0)
			continue;
		if (!(kinds & u->kind)) {
			g_autofree char *want = units_describe_dup(kinds);

			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "expected %s, got '%s' (%s is %s unit)", want, text, u->suffix,
				    kind_row(u->kind)->what);
			return false;
		}
		double r = u->exp10 ? shift_decimal(num, u->exp10) : v * u->scale;
		if (!isfinite(r))
			return fail_expected(kinds, text, "out of range", error);
		out->value = r;
		out->kind = u->kind;
		return true;
	}

	const char *near[3];
	size_t nnear = suggest_units(unit, num, kinds, near, G_N_ELEMENTS(near));
	g_autofree char *want = units_describe_dup(kinds);
	if (nnear) {
		g_autofree char *choices = quote_choices(near, nnear);

		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected %s, got '%s' (unknown unit '%s'; did you mean %s?)", want,
			    text, unit, choices);
	}
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected %s, got '%s' (unknown unit '%s')", want, text, unit);
	return false;
}

bool units_parse_kind(const char *s, enum unit_kind kind, double *out, GError **error)
{
	struct quantity q;

	if (!units_parse(s, kind, &q, error))
		return false;
	*out = q.value;
	return true;
}

bool units_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, GError **error)
{
	g_autofree char *text = g_strstrip(g_strdup(s ? s : ""));
	const char *p = text;
	bool overflow = false;

	if (!*p)
		goto bad;
	for (; *p; p++)
		if (!g_ascii_isdigit(*p))
			goto bad;
	errno = 0;
	guint64 v = g_ascii_strtoull(text, NULL, 10);
	overflow = errno == ERANGE;
	if (overflow || v < min || v > max)
		goto range;
	*out = v;
	return true;

bad:
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
		    "expected a whole number without unit, got '%s'", text);
	return false;
range:
	if (max == UINT64_MAX && !overflow)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected a whole number of at least %" G_GUINT64_FORMAT ", got '%s'",
			    min, text);
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "expected a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
			    ", got '%s'",
			    min, max, text);
	return false;
}

/* Pick the largest unit of the kind that leaves a value of at least 1;
 * binary sizes and alternative spellings are never chosen. */
char *units_format(double value, enum unit_kind kind, char *buf, size_t len)
{
	const struct unit_row *best = NULL, *smallest = NULL;

	if (kind == UNIT_COUNT) {
		snprintf(buf, len, "%.6g", value);
		return buf;
	}
	if (kind == UNIT_PERCENT) {
		snprintf(buf, len, "%.6g%%", value * 100.0);
		return buf;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(unit_table); i++) {
		const struct unit_row *u = &unit_table[i];

		if (u->kind != kind || strstr(u->suffix, "i") || !strcmp(u->suffix, "µs") ||
		    !strcmp(u->suffix, "cycle") || (u->suffix[0] == 'k' && u->suffix[1] == 'B'))
			continue;
		if (!smallest || u->scale < smallest->scale)
			smallest = u;
		if (value >= u->scale && (!best || u->scale > best->scale))
			best = u;
	}
	if (!best)
		best = smallest;
	snprintf(buf, len, "%.6g%s", value / best->scale, best->suffix);
	return buf;
}
