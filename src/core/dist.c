/* dist.c: parse and sample the distributions of dist.h.
 *
 * Empirical tables are drawn by inverse CDF with a binary search; IMIX is an
 * empirical table built in.  The simple IMIX (7:4:1 of 64, 594 and 1518-byte
 * frames) is the common test-equipment mix: 40, 576 and 1500-byte IP packets
 * with their Ethernet headers and FCS.
 */
#include "core/dist.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/msg.h"

static const double imix_sizes[] = { 64, 594, 1518 };
static const double imix_weights[] = { 7, 4, 1 };

struct dist_row {
	const char *name;
	enum dist_kind kind;
	int nargs;
	const char *usage;
};

static const struct dist_row dist_table[] = {
	{ "constant", DIST_CONSTANT, 1, "constant(x)" },
	{ "exp", DIST_EXP, 1, "exp(mean)" },
	{ "lognormal", DIST_LOGNORMAL, 2, "lognormal(mean, sd)" },
	{ "uniform", DIST_UNIFORM, 2, "uniform(a, b)" },
	{ "imix", DIST_IMIX, 0, "imix" },
	{ "empirical", DIST_EMPIRICAL, 1, "empirical(file)" },
};

static bool fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool fail(GError **error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, m);
	return false;
}

/* A table row while the table is built: the line order breaks ties, so
 * that equal values keep their file order whatever qsort does. */
struct row {
	double value, weight;
	size_t line;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/* Turn rows into a cumulative distribution, sorting them by value (in
 * O(n log n): an insertion sort once took 31 s on 80,000 lines). */
static void build_table(struct dist *d, struct row *rows, size_t n)
{
	double total = 0;

	qsort(rows, n, sizeof(*rows), row_cmp);
	/* sum in the order the cdf accumulates, so that every partial sum is
	 * at most the total and the cdf never passes 1: summed in file order,
	 * rounding could put acc above total before the last value and give
	 * it a negative probability */
	for (size_t i = 0; i < n; i++)
		total += rows[i].weight;
	d->values = g_new(double, n);
	d->cdf = g_new(double, n);
	d->n = n;
	double acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc += rows[i].weight;
		d->values[i] = rows[i].value;
		d->cdf[i] = acc / total;
	}
	d->cdf[n - 1] = 1.0;
}

static bool ends_in_digit(const char *s)
{
	size_t n = strlen(s);

	return n && (g_ascii_isdigit(s[n - 1]) || s[n - 1] == '.');
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* Read the table at path whole into *text (NUL-terminated, *len bytes):
 * only a regular file (a FIFO would block in open, /dev/zero never end),
 * of at most DIST_TABLE_MAX_BYTES, checked again while reading (the file
 * may grow). */
static bool read_table(const char *path, char **text, size_t *len, GError **error)
{
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return fail(error, "cannot read empirical table '%s': %s", path, g_strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return fail(error, "cannot read empirical table '%s': %s", path, g_strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(error, "cannot read empirical table '%s': %s, expected a regular file",
			    path, file_kind(st.st_mode));
	}
	if (st.st_size > DIST_TABLE_MAX_BYTES) {
		close(fd);
		return fail(error,
			    "empirical table '%s' holds %jd bytes, expected at most %d (16 MiB): "
			    "a table is read whole into memory",
			    path, (intmax_t)st.st_size, DIST_TABLE_MAX_BYTES);
	}
	g_autofree char *buf = g_malloc((size_t)st.st_size + 1);
	size_t have = 0, cap = (size_t)st.st_size + 1;

	for (;;) {
		ssize_t r = read(fd, buf + have, cap - have);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			return fail(error, "cannot read empirical table '%s': %s", path,
				    g_strerror(e));
		}
		if (r == 0)
			break;
		have += (size_t)r;
		if (have == cap) {
			if (cap > DIST_TABLE_MAX_BYTES) {
				close(fd);
				return fail(error,
					    "empirical table '%s' holds more than %d bytes (16 MiB), "
					    "the most a table may: it is read whole into memory",
					    path, DIST_TABLE_MAX_BYTES);
			}
			cap = MIN(cap * 2, (size_t)DIST_TABLE_MAX_BYTES + 1);
			buf = g_realloc(buf, cap + 1);
		}
	}
	close(fd);
	buf[have] = '\0';
	*text = g_steal_pointer(&buf);
	*len = have;
	return true;
}

/* The number of the line at p in text. */
static size_t line_of(const char *text, const char *p)
{
	size_t line = 1;

	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

/* Parse one line of a table into rows; false with error on a bad line.
 * line is modified. */
static bool table_line(struct dist *d, const char *path, size_t no, char *line, GArray *rows,
		       GError **error)
{
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	g_strstrip(line);
	if (!*line)
		return true;

	g_auto(GStrv) f = g_strsplit_set(line, " \t,", -1);
	g_autoptr(GPtrArray) fields = g_ptr_array_new();
	for (char **p = f; *p; p++)
		if (**p)
			g_ptr_array_add(fields, *p);
	/* a value may be written "64 B": join a bare number and a lone unit
	 * (a unit starts with neither a digit nor a sign) */
	g_autofree char *joined = NULL;
	if (fields->len >= 2 && ends_in_digit(fields->pdata[0]) &&
	    !strchr("0123456789.+-", ((char *)fields->pdata[1])[0])) {
		joined = g_strconcat(fields->pdata[0], fields->pdata[1], NULL);
		fields->pdata[1] = joined;
		g_ptr_array_remove_index(fields, 0);
	}
	if (fields->len == 0 || fields->len > 2)
		return fail(error, "%s:%zu: expected 'value [weight]', got '%s'", path, no, line);
	struct quantity q;
	g_autoptr(GError) e = NULL;
	if (!units_parse(fields->pdata[0], d->unit, &q, &e))
		return fail(error, "%s:%zu: %s", path, no, e->message);
	struct row r = { .value = q.value, .weight = 1.0, .line = no };
	if (fields->len == 2 && !units_parse_kind(fields->pdata[1], UNIT_COUNT, &r.weight, &e))
		return fail(error, "%s:%zu: weight: %s", path, no, e->message);
	g_array_append_val(rows, r);
	return true;
}

static bool load_empirical(struct dist *d, const char *file, const char *base_dir,
			   GError **error)
{
	g_autofree char *path = g_path_is_absolute(file) || !base_dir
					? g_strdup(file)
					: g_build_filename(base_dir, file, NULL);
	g_autofree char *text = NULL;
	size_t len = 0;
	const char *bad;

	if (!read_table(path, &text, &len, error))
		return false;
	/* a NUL would end the text early, silently: 64B\n\0\n1518B once
	 * read as a table of 64 B alone */
	const char *nul = memchr(text, '\0', len);
	if (nul)
		return fail(error, "%s:%zu: contains a NUL byte: not a text file", path,
			    line_of(text, nul));
	if (!g_utf8_validate(text, len, &bad))
		return fail(error, "%s:%zu: not valid UTF-8 text", path, line_of(text, bad));
	size_t lines = line_of(text, text + len) - (len && text[len - 1] == '\n');
	if (lines > DIST_TABLE_MAX_LINES)
		return fail(error, "empirical table '%s' has %zu lines, expected at most %d", path,
			    lines, DIST_TABLE_MAX_LINES);

	g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(struct row));
	size_t no = 1;
	for (char *line = text; line; no++) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (!table_line(d, path, no, line, rows, error))
			return false;
		line = nl ? nl + 1 : NULL;
	}
	if (rows->len == 0)
		return fail(error, "empirical table '%s' has no values", path);
	double total = 0;
	for (guint i = 0; i < rows->len; i++)
		total += g_array_index(rows, struct row, i).weight;
	if (!(total > 0))
		return fail(error, "empirical table '%s': weights add up to zero", path);
	/* an infinite total would make every cumulative probability 0 or NaN */
	if (!isfinite(total))
		return fail(error, "empirical table '%s': weights add up to more than %g", path,
			    G_MAXDOUBLE);
	build_table(d, (struct row *)rows->data, rows->len);
	return true;
}

/* Split "a, b" into trimmed arguments. */
static GStrv split_args(const char *inner)
{
	GStrv args = g_strsplit(inner, ",", -1);

	for (char **p = args; *p; p++)
		g_strstrip(*p);
	if (args[0] && !args[0][0] && !args[1]) {
		g_strfreev(args);
		return g_new0(char *, 1);
	}
	return args;
}

bool dist_parse(const char *s, enum unit_kind unit, const char *base_dir, struct dist *out,
		GError **error)
{
	g_autofree char *text = g_strstrip(g_strdup(s ? s : ""));
	struct dist d = { .unit = unit };
	const struct dist_row *row = NULL;
	g_autofree char *inner = NULL;
	g_autoptr(GError) e = NULL;

	char *paren = strchr(text, '(');
	size_t name_len = paren ? (size_t)(paren - text) : strlen(text);
	while (name_len && text[name_len - 1] == ' ')
		name_len--;
	for (size_t i = 0; i < G_N_ELEMENTS(dist_table); i++)
		if (strlen(dist_table[i].name) == name_len &&
		    !strncmp(text, dist_table[i].name, name_len))
			row = &dist_table[i];

	if (!row) {
		if (paren || (text[0] && !g_ascii_isdigit(text[0]) && text[0] != '.' &&
			      text[0] != '-' && text[0] != '+'))
			return fail(error,
				    "expected a distribution: constant(x), exp(mean), lognormal(mean, "
				    "sd), uniform(a, b), %sempirical(file) or a plain value, got '%s'",
				    unit == UNIT_SIZE ? "imix, " : "", text);
		/* a bare quantity */
		struct quantity q;
		if (!units_parse(text, unit, &q, error))
			return false;
		d.kind = DIST_CONSTANT;
		d.a = q.value;
		*out = d;
		return true;
	}

	d.kind = row->kind;
	if (row->kind == DIST_IMIX) {
		if (unit != UNIT_SIZE) {
			g_autofree char *want = units_describe_dup(unit);

			return fail(error, "expected %s, got 'imix' (a mix of packet sizes)", want);
		}
		if (paren)
			return fail(error, "expected 'imix' without arguments, got '%s'", text);
		struct row rows[G_N_ELEMENTS(imix_sizes)];

		for (size_t i = 0; i < G_N_ELEMENTS(imix_sizes); i++)
			rows[i] = (struct row){ imix_sizes[i], imix_weights[i], i };
		build_table(&d, rows, G_N_ELEMENTS(rows));
		*out = d;
		return true;
	}
	if (!paren || text[strlen(text) - 1] != ')')
		return fail(error, "expected %s, got '%s'", row->usage, text);

	inner = g_strndup(paren + 1, strlen(paren + 1) - 1);
	if (row->kind == DIST_EMPIRICAL) {
		g_strstrip(inner);
		if (!*inner)
			return fail(error, "expected %s, got '%s'", row->usage, text);
		if (!load_empirical(&d, inner, base_dir, error))
			return false;
		*out = d;
		return true;
	}

	g_auto(GStrv) args = split_args(inner);
	if ((int)g_strv_length(args) != row->nargs)
		return fail(error, "expected %s, got '%s' (%u argument%s)", row->usage, text,
			    g_strv_length(args), g_strv_length(args) == 1 ? "" : "s");
	double v[2] = { 0, 0 };
	for (int i = 0; i < row->nargs; i++) {
		struct quantity q;

		if (!units_parse(args[i], unit, &q, &e))
			return fail(error, "in '%s': %s", text, e->message);
		v[i] = q.value;
	}
	d.a = v[0];
	d.b = v[1];
	switch (row->kind) {
	case DIST_EXP:
		if (!(d.a > 0))
			return fail(error, "in '%s': expected a positive mean", text);
		break;
	case DIST_UNIFORM:
		if (d.b < d.a)
			return fail(error, "in '%s': expected a <= b", text);
		break;
	case DIST_LOGNORMAL:
		if (!(d.a > 0))
			return fail(error, "in '%s': expected a positive mean", text);
		/* parameters of the underlying normal from the mean m and sd s:
		 * sigma^2 = ln(1 + s^2/m^2), mu = ln(m) - sigma^2/2; past
		 * s/m = 1e150, where the square overflows, ln(1 + r^2) is
		 * 2 ln r to double precision */
		{
			double r = d.b / d.a;
			double s2 = r < 1e150 ? log1p(r * r) : 2 * (log(d.b) - log(d.a));

			d.sigma = sqrt(s2);
			d.mu = log(d.a) - s2 / 2;
			/* Phi^-1(1e-6) = -4.753424: draws below this quantile
			 * (one in a million) are raised to it */
			d.floor = exp(d.mu - 4.753424 * d.sigma);
		}
		break;
	default:
		break;
	}
	*out = d;
	return true;
}

void dist_clear(struct dist *d)
{
	g_clear_pointer(&d->values, g_free);
	g_clear_pointer(&d->cdf, g_free);
	d->n = 0;
}

void dist_copy(struct dist *dst, const struct dist *src)
{
	*dst = *src;
	if (src->n) {
		dst->values = g_memdup2(src->values, src->n * sizeof(double));
		dst->cdf = g_memdup2(src->cdf, src->n * sizeof(double));
	}
}

static double table_sample(const struct dist *d, double u)
{
	size_t lo = 0, hi = d->n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (d->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return d->values[lo];
}

double dist_sample(const struct dist *d, struct rng *r)
{
	switch (d->kind) {
	case DIST_CONSTANT:
		return d->a;
	case DIST_EXP:
		return rng_exp(r, d->a);
	case DIST_UNIFORM:
		return d->a + (d->b - d->a) * rng_uniform(r);
	case DIST_LOGNORMAL: {
		/* not MAX(): it would draw twice */
		double x = exp(d->mu + d->sigma * rng_normal(r));

		return x > d->floor ? x : d->floor;
	}
	case DIST_IMIX:
	case DIST_EMPIRICAL:
		return table_sample(d, rng_uniform(r));
	}
	g_assert_not_reached();
}

double dist_mean(const struct dist *d)
{
	switch (d->kind) {
	case DIST_CONSTANT:
	case DIST_EXP:
	case DIST_LOGNORMAL:
		return d->a;
	case DIST_UNIFORM:
		return (d->a + d->b) / 2;
	case DIST_IMIX:
	case DIST_EMPIRICAL: {
		double m = 0, prev = 0;

		for (size_t i = 0; i < d->n; i++) {
			m += d->values[i] * (d->cdf[i] - prev);
			prev = d->cdf[i];
		}
		return m;
	}
	}
	g_assert_not_reached();
}

double dist_stddev(const struct dist *d)
{
	switch (d->kind) {
	case DIST_CONSTANT:
		return 0;
	case DIST_EXP:
		return d->a;
	case DIST_LOGNORMAL:
		return d->b;
	case DIST_UNIFORM:
		return (d->b - d->a) / sqrt(12.0);
	case DIST_IMIX:
	case DIST_EMPIRICAL: {
		double m = dist_mean(d), v = 0, prev = 0;

		/* a value whose weight vanished in the total has probability 0
		 * and adds nothing, even when its square deviation overflows
		 * (inf * 0 would make the result NaN) */
		for (size_t i = 0; i < d->n; i++) {
			double p = d->cdf[i] - prev;

			if (p > 0)
				v += (d->values[i] - m) * (d->values[i] - m) * p;
			prev = d->cdf[i];
		}
		return sqrt(v);
	}
	}
	g_assert_not_reached();
}

double dist_min(const struct dist *d)
{
	switch (d->kind) {
	case DIST_CONSTANT:
	case DIST_UNIFORM:
		return d->a;
	case DIST_EXP:
		return 0;
	case DIST_LOGNORMAL:
		return d->floor;
	case DIST_IMIX:
	case DIST_EMPIRICAL:
		return d->values[0];
	}
	g_assert_not_reached();
}

double dist_max(const struct dist *d)
{
	switch (d->kind) {
	case DIST_CONSTANT:
		return d->a;
	case DIST_UNIFORM:
		return d->b;
	case DIST_EXP:
	case DIST_LOGNORMAL:
		return INFINITY;
	case DIST_IMIX:
	case DIST_EMPIRICAL:
		return d->values[d->n - 1];
	}
	g_assert_not_reached();
}

char *dist_to_string(const struct dist *d)
{
	char a[32], b[32];

	switch (d->kind) {
	case DIST_CONSTANT:
		return g_strdup_printf("constant(%s)", units_format(d->a, d->unit, a, sizeof(a)));
	case DIST_EXP:
		return g_strdup_printf("exp(%s)", units_format(d->a, d->unit, a, sizeof(a)));
	case DIST_LOGNORMAL:
		return g_strdup_printf("lognormal(%s, %s)", units_format(d->a, d->unit, a, sizeof(a)),
				       units_format(d->b, d->unit, b, sizeof(b)));
	case DIST_UNIFORM:
		return g_strdup_printf("uniform(%s, %s)", units_format(d->a, d->unit, a, sizeof(a)),
				       units_format(d->b, d->unit, b, sizeof(b)));
	case DIST_IMIX:
		return g_strdup("imix");
	case DIST_EMPIRICAL:
		return g_strdup_printf("empirical(%zu values, mean %s)", d->n,
				       units_format(dist_mean(d), d->unit, a, sizeof(a)));
	}
	g_assert_not_reached();
}
