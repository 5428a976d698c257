/* test_report.c: the report layer on results filled by hand.
 *
 * No simulation: every figure here is made up, so the tests pin the shape
 * of the outputs and their round trips, never a simulated figure.
 *   - result.ini keeps every field of a run_result to the bit, budget,
 *     series and provenance included, and every field of the structs is
 *     kept by some table (a tripwire for fields added later);
 *   - the metric tables are consistent, and JSON and CSV carry every row;
 *   - the comparison column: a ratio only where it means something;
 *   - JSON is well-formed, CSV has four fields a line, quoted where needed;
 *   - the table: where the latency goes (both paths, merged rows, total),
 *     request/response labels, latency kind and provenance.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "report/metrics.h"
#include "report/report.h"

/* ---- a result filled by hand ---- */

/* A value for field number i that no other field has and that does not
 * print exactly in few digits. */
static double odd_value(unsigned i)
{
	return 1000.0 + i + 1.0 / 7.0;
}

/* Set every stored field of t in row to a distinct value (seed + i). */
static void fill_fields(const struct metric_table *t, void *row, unsigned seed)
{
	unsigned i = 0;

	for (METRIC_EACH(m, t)) {
		char *f = (char *)row + m->offset;

		if (m->type == METRIC_FIELD_U64)
			*(uint64_t *)f = seed + i;
		else if (m->type == METRIC_FIELD_DOUBLE)
			*(double *)f = odd_value(seed + i);
		i++;
	}
}

static const char *const normal_budget[] = { "wire.rx", "wire.rx delay", "vswitch", "guest",
					     "app", NULL };
static const char *const accel_budget[] = { "wire.rx", "wire.rx delay", "vf", "vf delay",
					    "guest", "app", NULL };

static struct provenance *hand_provenance(void)
{
	struct provenance *p = provenance_new();

	p->version = g_strdup("9.9.9");
	p->command = g_strdup("accelsim run 'my scenario.ini' --set 'traffic.rate=1,5kpps'");
	p->scenario_path = g_strdup("/tmp/my scenario.ini");
	p->scenario_sha256 = g_strdup("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	p->model_path = g_strdup("/tmp/model, with comma.ini");
	p->model_sha256 = g_strdup("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
	p->mode = g_strdup("auto");
	p->exact_stages = 2;
	p->started = g_strdup("2026-12-01T08:31:18Z");
	p->wall_s = 1.0 / 3.0;
	p->latency = LATENCY_ROUND_TRIP;
	p->requests = true;
	g_ptr_array_add(p->sets, g_strdup("vswitch.cores=4"));
	g_ptr_array_add(p->sets, g_strdup("traffic.rate=1,5kpps"));
	provenance_add_key(p, "scenario.duration", "200ms");
	provenance_add_key(p, "traffic web.rate", "10kpps");
	provenance_add_key(p, "vnic.notify_latency", "empirical(/a b/c;d.txt)");
	return p;
}

/* A result with every field set, budget rows that differ between paths,
 * a series with an interval that delivered nothing, and a provenance. */
static struct run_result *hand_result(bool with_provenance)
{
	struct run_result *r = run_result_new();

	r->scenario = g_strdup("hand \"made\"");
	r->model = g_strdup("model\twith tab");
	r->seed = 42;
	r->duration_s = 0.1 + 1e-17;
	r->source = g_strdup("simulation");
	r->interval_s = 0.01;
	run_result_note(r, "exact mode", "stages; marked *");
	for (int p = 0; p < PATH_COUNT; p++) {
		struct path_result *pr = &r->paths[p];
		const char *const *names = p == PATH_NORMAL ? normal_budget : accel_budget;

		fill_fields(&metric_path, pr, 100 * (p + 1));
		for (int i = 0; i < 200; i++)
			path_result_record_latency(pr, (10.0 + p) * 1e-6 + i * 1.7e-9);
		for (int s = 0; s < 3; s++) {
			g_autofree char *n = g_strdup_printf("stage%d", s);

			fill_fields(&metric_stage, path_result_add_stage(pr, n, "host cores"),
				    300 + 10 * s + p);
		}
		for (int b = 0; names[b]; b++) {
			struct budget_row *row = path_result_add_budget(pr, names[b], "somewhere");

			/* a stage row or a delay row, as the engine fills them */
			if (g_str_has_suffix(names[b], "delay")) {
				row->delay_s = (b + 1) * 1e-6 / 3;
			} else {
				row->wait_s = (b + 1) * 1e-7 / 3;
				row->wake_s = p * 1e-7 / 7;
				row->service_s = (b + 2) * 1e-6 / 9;
			}
		}
		for (int i = 0; i < 3; i++) {
			struct interval_row iv;

			fill_fields(&metric_interval, &iv, 500 + 20 * i + p);
			iv.t0_s = i * 0.01;
			iv.t1_s = (i + 1) * 0.01;
			if (i == 1) {
				iv.delivered = 0;
				iv.latency_p50_s = iv.latency_p99_s = NAN;
			}
			g_array_append_val(pr->series, iv);
		}
	}
	if (with_provenance)
		r->provenance = hand_provenance();
	return r;
}

static char *capture(const struct run_result *r, enum report_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_write(f, r, fmt);
	fclose(f);
	return buf;
}

static char *ini_text(const struct run_result *r)
{
	g_autoptr(GKeyFile) k = run_result_to_keyfile(r);

	return g_key_file_to_data(k, NULL, NULL);
}

static struct run_result *ini_reload(const char *text)
{
	g_autoptr(GKeyFile) k = g_key_file_new();
	g_autoptr(GError) err = NULL;
	struct run_result *r = run_result_new();

	assert_true(g_key_file_load_from_data(k, text, strlen(text), G_KEY_FILE_NONE, &err));
	if (!run_result_from_keyfile(k, r, &err))
		fail_msg("run_result_from_keyfile: %s", err->message);
	return r;
}

/* ---- round trips ---- */

/* Stored fields of t equal bit for bit in a and b. */
static void assert_fields_identical(const struct metric_table *t, const void *a, const void *b,
				    const char *where)
{
	for (METRIC_EACH(m, t)) {
		size_t n = m->type == METRIC_FIELD_U64 ? sizeof(uint64_t) : sizeof(double);

		if (m->type == METRIC_FIELD_NONE)
			continue;
		if (memcmp((const char *)a + m->offset, (const char *)b + m->offset, n))
			fail_msg("%s: %s differs after the round trip", where, m->field);
	}
}

static void test_result_ini_keeps_every_field_to_the_bit(void **state)
{
	g_autoptr(run_result) a = hand_result(true);
	g_autofree char *text = ini_text(a);
	g_autoptr(run_result) b = ini_reload(text);
	g_autofree char *again = ini_text(b);

	/* %.17g-exact doubles: equal text is equal bits */
	assert_string_equal(text, again);
	assert_string_equal(a->scenario, b->scenario);
	assert_string_equal(a->model, b->model);
	assert_true(a->seed == b->seed && a->duration_s == b->duration_s);
	assert_true(a->interval_s == b->interval_s && a->partial == b->partial);
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct path_result *x = &a->paths[p], *y = &b->paths[p];
		g_autofree char *hx = stats_hist_encode(x->latency);
		g_autofree char *hy = stats_hist_encode(y->latency);

		assert_fields_identical(&metric_path, x, y, path_name(p));
		assert_string_equal(hx, hy);
		assert_memory_equal(&x->latency_w, &y->latency_w, sizeof(x->latency_w));
		assert_true(x->jitter.j == y->jitter.j && x->jitter.prev == y->jitter.prev &&
			    x->jitter.primed == y->jitter.primed && x->jitter.sum == y->jitter.sum &&
			    x->jitter.n == y->jitter.n);
		assert_int_equal(x->stages->len, y->stages->len);
		for (guint i = 0; i < x->stages->len; i++) {
			const struct stage_result *s = &g_array_index(x->stages, struct stage_result, i);
			const struct stage_result *t = &g_array_index(y->stages, struct stage_result, i);

			assert_string_equal(s->name, t->name);
			assert_string_equal(s->where, t->where);
			assert_fields_identical(&metric_stage, s, t, s->name);
		}
		assert_int_equal(x->budget->len, y->budget->len);
		for (guint i = 0; i < x->budget->len; i++) {
			const struct budget_row *s = &g_array_index(x->budget, struct budget_row, i);
			const struct budget_row *t = &g_array_index(y->budget, struct budget_row, i);

			assert_string_equal(s->name, t->name);
			assert_string_equal(s->where, t->where);
			assert_fields_identical(&metric_budget, s, t, s->name);
		}
		assert_int_equal(x->series->len, y->series->len);
		for (guint i = 0; i < x->series->len; i++) {
			const struct interval_row *s = &g_array_index(x->series, struct interval_row, i);
			const struct interval_row *t = &g_array_index(y->series, struct interval_row, i);

			/* NAN != NAN: compare bits */
			assert_memory_equal(s, t, sizeof(*s));
		}
	}
	assert_non_null(b->provenance);
	assert_string_equal(a->provenance->command, b->provenance->command);
	assert_int_equal(b->provenance->sets->len, 2);
	assert_string_equal(b->provenance->sets->pdata[1], "traffic.rate=1,5kpps");
	assert_int_equal(b->provenance->keys->len, 3);
	assert_string_equal(b->provenance->keys->pdata[1], "traffic web.rate");
	assert_string_equal(b->provenance->values->pdata[2], "empirical(/a b/c;d.txt)");
	assert_int_equal(b->provenance->latency, LATENCY_ROUND_TRIP);
	assert_true(b->provenance->requests && b->provenance->exact_stages == 2);

	/* what every output prints is the same after the trip */
	for (int fmt = REPORT_TABLE; fmt <= REPORT_CSV; fmt++) {
		g_autofree char *x = capture(a, fmt), *y = capture(b, fmt);

		assert_string_equal(x, y);
	}
}

static void test_result_ini_without_provenance_reads_back_without(void **state)
{
	g_autoptr(run_result) a = hand_result(false);
	g_autofree char *text = ini_text(a);
	g_autoptr(run_result) b = ini_reload(text);

	assert_null(b->provenance);
	assert_null(strstr(text, "[provenance]"));
}

/* Mark the bytes [off, off + len) of a struct as kept. */
static void cover(bool *kept, size_t off, size_t len)
{
	for (size_t i = off; i < off + len; i++)
		kept[i] = true;
}

static void cover_table(bool *kept, const struct metric_table *t)
{
	for (METRIC_EACH(m, t))
		if (m->type != METRIC_FIELD_NONE)
			cover(kept, m->offset,
			      m->type == METRIC_FIELD_U64 ? sizeof(uint64_t) : sizeof(double));
}

/* Every byte of a struct of size n is kept, or is padding: a run of
 * unkept bytes shorter than a double.  A field added to one of these
 * structs without a table row (and so without a place in result.ini, JSON
 * and CSV) leaves a run of at least 8. */
static void assert_all_kept(const bool *kept, size_t n, const char *what)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && !kept[j])
			j++;
		if (j - i >= sizeof(double))
			fail_msg("struct %s: bytes %zu to %zu are kept by no table: a new field "
				 "needs a row in report/metrics.c",
				 what, i, j - 1);
		i = j == i ? i + 1 : j;
	}
}

#define COVER(kept_, st_, f_) cover(kept_, offsetof(st_, f_), sizeof(((st_ *)0)->f_))

static void test_every_field_of_the_result_structs_is_kept(void **state)
{
	bool path[sizeof(struct path_result)] = { false };
	bool stage[sizeof(struct stage_result)] = { false };
	bool budget[sizeof(struct budget_row)] = { false };
	bool interval[sizeof(struct interval_row)] = { false };

	/* kept by result.c outside the tables: latency state and row lists */
	COVER(path, struct path_result, latency);
	COVER(path, struct path_result, latency_w);
	COVER(path, struct path_result, jitter);
	COVER(path, struct path_result, stages);
	COVER(path, struct path_result, budget);
	COVER(path, struct path_result, series);
	COVER(path, struct path_result, hypothetical);
	COVER(path, struct path_result, phases);
	cover_table(path, &metric_path);
	assert_all_kept(path, sizeof(path), "path_result");
	COVER(stage, struct stage_result, name);
	COVER(stage, struct stage_result, where);
	cover_table(stage, &metric_stage);
	assert_all_kept(stage, sizeof(stage), "stage_result");
	COVER(budget, struct budget_row, name);
	COVER(budget, struct budget_row, where);
	cover_table(budget, &metric_budget);
	assert_all_kept(budget, sizeof(budget), "budget_row");
	cover_table(interval, &metric_interval);
	assert_all_kept(interval, sizeof(interval), "interval_row");
	bool host[sizeof(struct host_result)] = { false };

	cover_table(host, &metric_host);
	assert_all_kept(host, sizeof(host), "host_result");
}

/* A host of several VMs: each VM's paths, the host's figures and the
 * phases between events come back to the bit, every output prints the
 * same after the trip, and a focus on one VM shows its figures as the
 * paths. */
static void test_result_ini_keeps_vms_host_and_phases(void **state)
{
	g_autoptr(run_result) a = hand_result(true);
	g_autoptr(run_result) donor = hand_result(false);

	for (int v = 0; v < 2; v++) {
		struct vm_result *vm = run_result_add_vm(a, v ? "db" : "web", v ? "off" : "compare");

		for (int p = 0; p < PATH_COUNT; p++) {
			struct path_result *pr = &vm->paths[p];

			fill_fields(&metric_path, pr, 700 + 50 * v + p);
			path_result_record_latency(pr, (20.0 + v) * 1e-6);
			fill_fields(&metric_stage, path_result_add_stage(pr, "vswitch", "host cores"),
				    800 + v);
			for (int i = 0; i < 2; i++) {
				struct interval_row iv;

				fill_fields(&metric_interval, &iv, 900 + 10 * i + v);
				g_array_append_val(pr->phases, iv);
			}
		}
	}
	a->host_vms = 2;
	for (int p = 0; p < PATH_COUNT; p++)
		fill_fields(&metric_host, &a->host[p], 1000 + p);
	g_autofree char *text = ini_text(a);
	g_autoptr(run_result) b = ini_reload(text);
	g_autofree char *again = ini_text(b);

	assert_string_equal(text, again);
	assert_int_equal(b->vms->len, 2);
	assert_int_equal(b->host_vms, 2);
	for (int p = 0; p < PATH_COUNT; p++)
		assert_fields_identical(&metric_host, &a->host[p], &b->host[p], "host");
	for (int fmt = REPORT_TABLE; fmt <= REPORT_CSV; fmt++) {
		g_autofree char *x = capture(a, fmt), *y = capture(b, fmt);

		assert_string_equal(x, y);
	}
	g_autoptr(GError) err = NULL;
	g_autoptr(run_result) f = run_result_focus(a, "db", &err);
	const struct vm_result *db = run_result_vm(a, "db");

	assert_non_null(f);
	assert_string_equal(f->focus, "db");
	assert_string_equal(f->focus_an, "off");
	assert_int_equal(f->vms->len, 0);
	for (int p = 0; p < PATH_COUNT; p++) {
		assert_fields_identical(&metric_path, &db->paths[p], &f->paths[p], "focus");
		assert_int_equal(f->paths[p].phases->len, 2);
	}
	g_autofree char *json = capture(f, REPORT_JSON);
	assert_non_null(strstr(json, "\"vm\": {\"name\": \"db\", \"accelerated_networking\": \"off\"}"));
	assert_null(run_result_focus(a, "dbb", &err) ? (void *)1 : NULL);
	assert_non_null(strstr(err->message, "web, db"));
	/* a result of one VM has no VMs to focus on */
	g_clear_error(&err);
	assert_null(run_result_focus(donor, "web", &err));
}

/* ---- the tables ---- */

static void test_metric_tables_are_consistent(void **state)
{
	const struct metric_table *tables[] = { &metric_path, &metric_stage, &metric_budget,
						&metric_interval, &metric_host };

	for (size_t t = 0; t < G_N_ELEMENTS(tables); t++) {
		for (METRIC_EACH(m, tables[t])) {
			assert_true(m->name && *m->name && m->label && *m->label);
			assert_true(m->unit && *m->unit);
			/* a key in CSV's dotted names: no dots, commas, spaces */
			assert_null(strpbrk(m->name, ".,\" "));
			/* a value comes from somewhere */
			assert_true(m->get || (m->type != METRIC_FIELD_NONE && m->field && m->scale > 0));
			assert_true(metric_find(tables[t], m->name) == m);
		}
	}
}

static void test_json_and_csv_carry_every_figure(void **state)
{
	g_autoptr(run_result) r = hand_result(true);
	g_autofree char *json = capture(r, REPORT_JSON);
	g_autofree char *csv = capture(r, REPORT_CSV);

	for (METRIC_EACH(m, &metric_path)) {
		for (int p = 0; p < PATH_COUNT; p++) {
			g_autofree char *row = g_strdup_printf("\n%s,%s,", path_name(p), m->name);

			assert_non_null(strstr(csv, row));
		}
		g_autofree char *key = g_strdup_printf("\"%s\": ", m->name);
		assert_non_null(strstr(json, key));
	}
	for (METRIC_EACH(m, &metric_budget)) {
		g_autofree char *row = g_strdup_printf("\naccelerated,budget.vf delay.%s,", m->name);
		g_autofree char *total = g_strdup_printf("\nnormal,budget_total.%s,", m->name);

		assert_non_null(strstr(csv, row));
		assert_non_null(strstr(csv, total));
	}
	for (METRIC_EACH(m, &metric_interval)) {
		g_autofree char *row = g_strdup_printf("\nnormal,series.2.%s,", m->name);

		assert_non_null(strstr(csv, row));
	}
	for (METRIC_EACH(m, &metric_stage)) {
		g_autofree char *row = g_strdup_printf("\nnormal,stage.stage1.%s,", m->name);

		assert_non_null(strstr(csv, row));
	}
}

/* ---- comparison ---- */

static void test_ratio_only_where_it_means_something(void **state)
{
	const struct {
		const char *metric;
		double normal, accel;
		enum metric_cmp_kind kind;
		double value;
	} rows[] = {
		{ "latency_p99", 30, 10, METRIC_SHOW_RATIO, 3 },
		/* one side 0: the difference, not a blank */
		{ "latency_p99", 30, 0, METRIC_SHOW_DIFF, 30 },
		{ "delivered_pps", 0, 5, METRIC_SHOW_DIFF, -5 },
		/* a figure that does not exist: nothing */
		{ "latency_p99", NAN, 10, METRIC_SHOW_NOTHING, 0 },
		/* host CPU from 2 diverted packets: never 20,533x */
		{ "host_cpu_cores", 0.2097, 0.0000102, METRIC_SHOW_DIFF, 0.2097 - 0.0000102 },
		{ "host_cycles_per_packet", 5024, 0.2447, METRIC_SHOW_DIFF, 5024 - 0.2447 },
		{ "dropped_packets", 12, 3, METRIC_SHOW_DIFF, 9 },
		/* the same offered load on both paths: not compared */
		{ "offered_pps", 100, 100, METRIC_SHOW_NOTHING, 0 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		const struct metric *m = metric_find(&metric_path, rows[i].metric);
		struct metric_comparison c = metric_compare(m, rows[i].normal, rows[i].accel);

		assert_non_null(m);
		if (c.kind != rows[i].kind)
			fail_msg("row %zu (%s): kind %d, expected %d", i, rows[i].metric, c.kind,
				 rows[i].kind);
		if (c.kind != METRIC_SHOW_NOTHING && fabs(c.value - rows[i].value) > 1e-12)
			fail_msg("row %zu (%s): %g, expected %g", i, rows[i].metric, c.value,
				 rows[i].value);
	}
}

/* ---- JSON and CSV syntax ---- */

/* A small JSON checker: returns the position after one value, or NULL. */
static const char *json_value(const char *p);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_str(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p && *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!g_ascii_isxdigit(p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_number(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (!g_ascii_isdigit(*p))
		return NULL;
	while (g_ascii_isdigit(*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' ||
	       *p == '-')
		p++;
	/* strtod agrees on where it ends: no "1.2.3" */
	char *end;
	g_ascii_strtod(s, &end);
	return end == p ? p : NULL;
}

static const char *json_container(const char *p, char close, bool object)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			p = json_str(json_ws(p));
			if (!p || *(p = json_ws(p)) != ':')
				return NULL;
			p++;
		}
		p = json_value(p);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p++;
	}
}

static const char *json_value(const char *p)
{
	p = json_ws(p);
	switch (*p) {
	case '{':
		return json_container(p, '}', true);
	case '[':
		return json_container(p, ']', false);
	case '"':
		return json_str(p);
	case 't':
		return g_str_has_prefix(p, "true") ? p + 4 : NULL;
	case 'f':
		return g_str_has_prefix(p, "false") ? p + 5 : NULL;
	case 'n':
		return g_str_has_prefix(p, "null") ? p + 4 : NULL;
	default:
		return json_number(p);
	}
}

static void assert_json(const char *text)
{
	const char *end = json_value(text);

	if (!end || *json_ws(end))
		fail_msg("not one JSON value; it goes wrong at offset %td: '%.40s'",
			 end ? end - text : (ptrdiff_t)-1, end ? end : "");
}

static void test_json_checker_refuses_what_it_should(void **state)
{
	const char *const bad[] = { "{\"a\": 1,}", "{\"a\" 1}", "[1 2]", "{\"a\": nan}",
				    "\"tab\there\"", "{\"a\": 1.2.3}", "[1] [2]" };

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		const char *end = json_value(bad[i]);

		assert_true(!end || *json_ws(end));
	}
	assert_json("{\"a\": [1, -2.5e-3, null, true, \"x\\\"y\"]}");
}

static void test_json_is_well_formed(void **state)
{
	g_autoptr(run_result) full = hand_result(true);
	g_autoptr(run_result) bare = run_result_new();
	g_autofree char *a = capture(full, REPORT_JSON);
	g_autofree char *b = capture(bare, REPORT_JSON);

	assert_json(a);
	assert_json(b);
	/* an interval without deliveries has no latency: null, not nan */
	assert_non_null(strstr(a, "\"latency_p50\": null"));
	assert_non_null(strstr(b, "\"provenance\": null"));
	assert_non_null(strstr(b, "\"budget_total\": null"));
}

/* Split one CSV line into fields as RFC 4180 reads it. */
static GPtrArray *csv_fields(const char *line)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	GString *cur = g_string_new(NULL);
	bool quoted = false;

	for (const char *p = line; *p; p++) {
		if (quoted) {
			if (*p == '"' && p[1] == '"')
				g_string_append_c(cur, *p++);
			else if (*p == '"')
				quoted = false;
			else
				g_string_append_c(cur, *p);
		} else if (*p == '"') {
			quoted = true;
		} else if (*p == ',') {
			g_ptr_array_add(out, g_string_free(cur, FALSE));
			cur = g_string_new(NULL);
		} else {
			g_string_append_c(cur, *p);
		}
	}
	g_ptr_array_add(out, g_string_free(cur, FALSE));
	return out;
}

static void test_csv_has_four_fields_a_line_quoted_where_needed(void **state)
{
	g_autoptr(run_result) r = hand_result(true);
	g_autofree char *csv = capture(r, REPORT_CSV);
	g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
	bool saw_set = false, saw_model = false;

	assert_string_equal(lines[0], "path,metric,value,unit");
	for (int i = 0; lines[i] && *lines[i]; i++) {
		g_autoptr(GPtrArray) f = csv_fields(lines[i]);

		if (f->len != 4)
			fail_msg("line %d has %u fields: %s", i + 1, f->len, lines[i]);
		saw_set |= !strcmp(f->pdata[1], "set") && !strcmp(f->pdata[2], "traffic.rate=1,5kpps");
		saw_model |= !strcmp(f->pdata[1], "model_path") &&
			     !strcmp(f->pdata[2], "/tmp/model, with comma.ini");
	}
	assert_true(saw_set && saw_model);
}

/* ---- the table ---- */

/* The line of text that starts with prefix, or fail. */
static char *line_starting(const char *text, const char *prefix)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i]; i++)
		if (g_str_has_prefix(lines[i], prefix))
			return g_strdup(lines[i]);
	fail_msg("no line starts with '%s' in:\n%s", prefix, text);
	return NULL;
}

/* Index of the line starting with prefix. */
static int line_index(const char *text, const char *prefix)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i]; i++)
		if (g_str_has_prefix(lines[i], prefix))
			return i;
	return -1;
}

/* The cell of a budget line: path p, part j (wait, wake, service, delay,
 * total), or the difference for p = PATH_COUNT; "" when blank. */
static char *budget_cell(const char *line, int p, int j)
{
	size_t at = p == PATH_COUNT ? 2 + 17 + 10 * 8 : 2 + 17 + (size_t)(p * 5 + j) * 8;
	size_t w = p == PATH_COUNT ? 11 : 8;

	if (strlen(line) <= at)
		return g_strdup("");
	return g_strstrip(g_strndup(line + at, w));
}

static double sum_total(const struct path_result *p)
{
	double s = 0;

	for (guint i = 0; i < p->budget->len; i++)
		s += metric_value(metric_find(&metric_budget, "total"),
				  &g_array_index(p->budget, struct budget_row, i));
	return s;
}

static void test_table_shows_where_the_latency_goes(void **state)
{
	g_autoptr(run_result) r = hand_result(true);
	g_autofree char *t = capture(r, REPORT_TABLE);
	char want[32];

	assert_non_null(strstr(t, "where the latency goes"));
	/* rows of both paths in one order: vswitch (normal only) and vf (accel
	 * only) after the shared delay row and before guest */
	int delay = line_index(t, "  wire.rx delay "), vs = line_index(t, "  vswitch    ");
	int vf = line_index(t, "  vf    "), guest = line_index(t, "  guest    ");
	assert_true(delay >= 0 && vs > delay && vf > delay && guest > vs && guest > vf);

	/* vf: the normal path's cells are blank, the accelerated path's service
	 * and total are printed, its wait is blank (0) */
	g_autofree char *vfl = line_starting(t, "  vf    ");
	for (int j = 0; j < 5; j++) {
		g_autofree char *c = budget_cell(vfl, PATH_NORMAL, j);

		assert_string_equal(c, "");
	}
	g_autofree char *vf_total = budget_cell(vfl, PATH_ACCEL, 4);
	const struct budget_row *vfrow = &g_array_index(r->paths[PATH_ACCEL].budget,
							struct budget_row, 2);
	assert_string_equal(vf_total,
			    metric_format(METRIC_FMT_US, vfrow->service_s * 1e6 + vfrow->wait_s * 1e6
						+ vfrow->wake_s * 1e6, false, want, sizeof(want)));

	/* the total row adds up each path, and the difference is theirs */
	g_autofree char *tot = line_starting(t, "  total    ");
	for (int p = 0; p < PATH_COUNT; p++) {
		g_autofree char *c = budget_cell(tot, p, 4);

		assert_string_equal(c, metric_format(METRIC_FMT_US, sum_total(&r->paths[p]), false,
						     want, sizeof(want)));
	}
	g_autofree char *d = budget_cell(tot, PATH_COUNT, 0);
	assert_string_equal(d, metric_format(METRIC_FMT_US,
					     sum_total(&r->paths[PATH_NORMAL]) -
						     sum_total(&r->paths[PATH_ACCEL]),
					     true, want, sizeof(want)));
}

static void test_table_without_budget_prints_no_section(void **state)
{
	g_autoptr(run_result) r = hand_result(false);
	g_autofree char *t = NULL;

	for (int p = 0; p < PATH_COUNT; p++)
		g_array_set_size(r->paths[p].budget, 0);
	t = capture(r, REPORT_TABLE);
	assert_null(strstr(t, "where the latency goes"));
}

static void test_table_labels_say_what_figures_count(void **state)
{
	g_autoptr(run_result) rr = hand_result(true);
	g_autoptr(run_result) rx = hand_result(true);
	g_autoptr(run_result) none = hand_result(false);

	rx->provenance->latency = LATENCY_ONE_WAY_RX;
	rx->provenance->requests = false;
	g_autofree char *a = capture(rr, REPORT_TABLE);
	g_autofree char *b = capture(rx, REPORT_TABLE);
	g_autofree char *c = capture(none, REPORT_TABLE);

	/* request/response: round trip, and counts of requests */
	assert_non_null(strstr(a, "\nlatency: round trip ("));
	assert_non_null(strstr(a, "  offered requests "));
	assert_non_null(strstr(a, "  host cycles per request "));
	assert_non_null(strstr(a, "  host cycles per processed packet "));
	assert_null(strstr(a, "  packets offered "));
	/* rx: one-way, packets */
	assert_non_null(strstr(b, "\nlatency: one-way rx ("));
	assert_non_null(strstr(b, "  host cycles per delivered packet "));
	assert_non_null(strstr(b, "  packets offered "));
	/* a result that does not say: no claim */
	assert_null(strstr(c, "\nlatency: "));
	/* jitter says which estimator; host CPU says lower is better */
	g_autofree char *j = line_starting(b, "  jitter: mean RFC 3550 J ");
	g_autofree char *h = line_starting(b, "  host CPU ");
	assert_non_null(j);
	assert_true(g_str_has_suffix(h, "lower"));
}

static void test_table_footer_tells_where_the_result_came_from(void **state)
{
	g_autoptr(run_result) r = hand_result(true);
	g_autofree char *t = capture(r, REPORT_TABLE);

	assert_non_null(strstr(t, "accelsim 9.9.9; scenario /tmp/my scenario.ini (sha256 "
				  "0123456789ab); model /tmp/model, with comma.ini (sha256 "
				  "fedcba987654)"));
	assert_non_null(strstr(t, "--set vswitch.cores=4 --set traffic.rate=1,5kpps"));
	assert_non_null(strstr(t, "started 2026-12-01T08:31:18Z"));
	assert_non_null(strstr(t, "run again: accelsim run 'my scenario.ini'"));
}

static void test_provenance_quotes_the_command_for_a_shell(void **state)
{
	char *argv[] = { (char *)"accelsim", (char *)"run", (char *)"my file.ini",
			 (char *)"--set", (char *)"app.service=lognormal(4us, 1us)",
			 (char *)"it's", (char *)"-o", (char *)"out/q" };
	g_autofree char *c = provenance_command(G_N_ELEMENTS(argv), argv);
	g_auto(GStrv) back = NULL;
	int n;

	assert_true(g_shell_parse_argv(c, &n, &back, NULL));
	assert_int_equal(n, G_N_ELEMENTS(argv));
	for (int i = 0; i < n; i++)
		assert_string_equal(back[i], argv[i]);
	assert_true(g_str_has_prefix(c, "accelsim run "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_ini_keeps_every_field_to_the_bit),
		cmocka_unit_test(test_result_ini_without_provenance_reads_back_without),
		cmocka_unit_test(test_every_field_of_the_result_structs_is_kept),
		cmocka_unit_test(test_result_ini_keeps_vms_host_and_phases),
		cmocka_unit_test(test_metric_tables_are_consistent),
		cmocka_unit_test(test_json_and_csv_carry_every_figure),
		cmocka_unit_test(test_ratio_only_where_it_means_something),
		cmocka_unit_test(test_json_checker_refuses_what_it_should),
		cmocka_unit_test(test_json_is_well_formed),
		cmocka_unit_test(test_csv_has_four_fields_a_line_quoted_where_needed),
		cmocka_unit_test(test_table_shows_where_the_latency_goes),
		cmocka_unit_test(test_table_without_budget_prints_no_section),
		cmocka_unit_test(test_table_labels_say_what_figures_count),
		cmocka_unit_test(test_table_footer_tells_where_the_result_came_from),
		cmocka_unit_test(test_provenance_quotes_the_command_for_a_shell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
