/* plan.c: lists and ranges of values (see plan.h). */
#include "sweep/plan.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"

void sweep_axis_free(struct sweep_axis *a)
{
	if (!a)
		return;
	g_free(a->key);
	g_ptr_array_unref(a->texts);
	g_array_unref(a->values);
	g_free(a);
}

const char *sweep_base_unit(enum unit_kind kind)
{
	switch (kind) {
	case UNIT_TIME:
		return "s";
	case UNIT_BITRATE:
		return "bps";
	case UNIT_PKTRATE:
		return "pps";
	case UNIT_REQRATE:
		return "rps";
	case UNIT_SIZE:
		return "B";
	case UNIT_BYTERATE:
		return "B/s";
	case UNIT_FREQ:
		return "Hz";
	case UNIT_CYCLES:
		return "cycles";
	case UNIT_PERCENT:
		return "%";
	case UNIT_COUNT:
		break;
	}
	return "";
}

char *sweep_value_text(double v, enum unit_kind kind)
{
	char num[G_ASCII_DTOSTR_BUF_SIZE];

	/* %.10g: as many digits as the sweep's files print */
	g_ascii_formatd(num, sizeof(num), "%.10g", v);
	return g_strconcat(num, sweep_base_unit(kind), NULL);
}

/* A value in the axis's number form: a percentage in percent. */
static double axis_number(const struct quantity *q)
{
	return q->kind == UNIT_PERCENT ? q->value * 100 : q->value;
}

static void axis_add(struct sweep_axis *a, char *text, double v)
{
	g_ptr_array_add(a->texts, text);
	g_array_append_val(a->values, v);
}

static struct sweep_axis *axis_new(const char *key)
{
	struct sweep_axis *a = g_new0(struct sweep_axis, 1);

	a->key = g_strdup(key);
	a->texts = g_ptr_array_new_with_free_func(g_free);
	a->values = g_array_new(FALSE, FALSE, sizeof(double));
	return a;
}

/* What the option is called in messages. */
static char *option_name(const char *key)
{
	return key ? g_strdup_printf("--vary %s", key) : g_strdup("--load");
}

static bool fail(GError **error, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool fail(GError **error, const char *key, const char *fmt, ...)
{
	g_autofree char *opt = option_name(key);
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "%s: %s", opt, m);
	return false;
}

/* The items of a list, split at commas outside parentheses
 * ("exp(1us),lognormal(4us, 1us)" is two). */
static GPtrArray *split_list(const char *spec)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	int depth = 0;
	const char *start = spec;

	for (const char *p = spec;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		if (*p == '\0' || (*p == ',' && depth == 0)) {
			g_ptr_array_add(out, g_strstrip(g_strndup(start, p - start)));
			if (!*p)
				break;
			start = p + 1;
		}
	}
	return out;
}

static bool parse_list(struct sweep_axis *a, const char *spec, unsigned kinds, bool text_ok,
		       GError **error)
{
	g_autoptr(GPtrArray) items = split_list(spec);
	bool text = false;

	for (guint i = 0; i < items->len; i++) {
		const char *it = items->pdata[i];
		struct quantity q;
		g_autoptr(GError) e = NULL;

		if (!*it)
			return fail(error, a->key, "expected a list of values such as 1,2,4, got "
				    "an empty item in '%s'", spec);
		if (units_parse(it, kinds, &q, &e)) {
			if (text || (a->texts->len && q.kind != a->kind))
				return fail(error, a->key, "expected values of one kind, got '%s' "
					    "after '%s'", it, (char *)a->texts->pdata[0]);
			a->kind = q.kind;
			axis_add(a, g_strdup(it), axis_number(&q));
		} else if (text_ok) {
			if (a->kind)
				return fail(error, a->key, "expected values of one kind, got '%s' "
					    "after '%s'", it, (char *)a->texts->pdata[0]);
			text = true;
			axis_add(a, g_strdup(it), NAN);
		} else {
			return fail(error, a->key, "%s", e->message);
		}
	}
	if (a->texts->len > SWEEP_MAX_VALUES)
		return fail(error, a->key, "expected at most %d values, got %u",
			    SWEEP_MAX_VALUES, a->texts->len);
	return true;
}

static bool parse_range(struct sweep_axis *a, const char *spec, unsigned kinds, GError **error)
{
	const char *dots = strstr(spec, "..");
	const char *slash = strchr(dots + 2, '/');
	struct quantity from, to, step = { 0 };
	g_autoptr(GError) e = NULL;

	if (!slash)
		return fail(error, a->key, "expected a range FROM..TO/STEP or FROM..TO/*FACTOR "
			    "(e.g. 10%%..120%%/10%%), got '%s'", spec);
	g_autofree char *a_text = g_strstrip(g_strndup(spec, dots - spec));
	g_autofree char *b_text = g_strstrip(g_strndup(dots + 2, slash - dots - 2));
	g_autofree char *s_text = g_strstrip(g_strdup(slash + 1));
	const bool geometric = s_text[0] == '*';

	if (!units_parse(a_text, kinds, &from, &e) || !units_parse(b_text, kinds, &to, &e))
		return fail(error, a->key, "%s", e->message);
	if (from.kind != to.kind)
		return fail(error, a->key, "expected both ends of one kind, got '%s' and '%s'",
			    a_text, b_text);
	if (geometric) {
		char *end;

		step.value = g_ascii_strtod(s_text + 1, &end);
		if (end == s_text + 1 || *end || !(step.value > 1) || !isfinite(step.value))
			return fail(error, a->key, "expected a factor above 1 after '/*', got "
				    "'%s'", s_text + 1);
		if (!(from.value > 0))
			return fail(error, a->key, "expected a geometric range to start above 0, "
				    "got '%s'", a_text);
	} else {
		if (!units_parse(s_text, from.kind, &step, &e))
			return fail(error, a->key, "step: %s", e->message);
		if (!(step.value > 0))
			return fail(error, a->key, "expected a step above 0, got '%s'", s_text);
	}
	if (to.value < from.value)
		return fail(error, a->key, "expected the range to run upwards, got '%s' to '%s'",
			    a_text, b_text);

	const double lo = axis_number(&from), hi = axis_number(&to);
	const double d = geometric ? step.value : axis_number(&step);
	a->kind = from.kind;
	for (unsigned i = 0;; i++) {
		double v = geometric ? lo * pow(d, i) : lo + i * d;

		/* stop short of the end within rounding; the end comes last */
		if (v >= hi - fabs(hi) * 1e-9)
			break;
		if (a->texts->len >= SWEEP_MAX_VALUES)
			return fail(error, a->key, "expected at most %d values, got more from "
				    "'%s'", SWEEP_MAX_VALUES, spec);
		axis_add(a, sweep_value_text(v, a->kind), v);
	}
	axis_add(a, sweep_value_text(hi, a->kind), hi);
	return true;
}

struct sweep_axis *sweep_axis_parse(const char *key, const char *spec, unsigned kinds,
				    bool text_ok, GError **error)
{
	g_autoptr(sweep_axis) a = axis_new(key);
	g_autofree char *s = g_strstrip(g_strdup(spec ? spec : ""));

	if (!*s) {
		fail(error, key, "expected a list (1,2,4) or a range (10%%..120%%/10%%), got "
		     "nothing");
		return NULL;
	}
	if (strstr(s, "..") && !strchr(s, '(')) {
		if (!parse_range(a, s, kinds, error))
			return NULL;
	} else if (!parse_list(a, s, kinds, text_ok, error)) {
		return NULL;
	}
	return g_steal_pointer(&a);
}
