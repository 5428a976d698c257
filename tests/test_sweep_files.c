/* test_sweep_files.c: sweep.json and sweep.csv from hand-made points: the
 * shape docs/file-formats.md gives, the figures of each point where they
 * belong (under the metric table's names), numbers as numbers and text as
 * text, and byte-identical output for equal sweeps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/sweep.h"

/* A point whose normal path delivered `pps` with every latency lat_us and
 * the accelerated path half of both. */
static struct run_result *point(double pps, double lat_us)
{
	struct run_result *r = run_result_new();

	r->source = g_strdup("measurement");
	r->duration_s = 1;
	for (int p = 0; p < PATH_COUNT; p++) {
		struct path_result *pr = &r->paths[p];
		double k = p == PATH_NORMAL ? 1 : 0.5;

		pr->offered_packets = pr->delivered_packets = (uint64_t)(pps * k);
		pr->offered_pps = pr->delivered_pps = pps * k;
		for (int i = 0; i < 100; i++)
			path_result_record_latency(pr, lat_us * k * 1e-6);
	}
	return r;
}

/* not inlined: gcc 12 takes the memstream pointer for a dangling local */
static G_GNUC_NO_INLINE char *to_text(void (*write)(FILE *, const struct sweep *), const struct sweep *sw)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	write(f, sw);
	fclose(f);
	return text;
}

static struct sweep *two_points(void)
{
	const char *keys[] = { "load_pct", "rate_pps", "note", NULL };
	const char *v1[] = { "10", "1000", "low", NULL };
	const char *v2[] = { "50", "5000", "high load", NULL };
	struct sweep *sw = sweep_new(keys, "measurement", "real measure --emulate", "stand-in");

	sweep_add(sw, v1, point(1000, 20));
	sweep_add(sw, v2, point(5000, 40));
	sweep_add_note(sw, "saturation", "10000 pps");
	return sw;
}

static void test_json_has_points_with_values_and_paths(void **state)
{
	g_autoptr(sweep) sw = two_points();
	char *j = to_text(sweep_write_json, sw);

	assert_non_null(strstr(j, "\"varied\": [\"load_pct\", \"rate_pps\", \"note\"]"));
	/* numbers unquoted, text quoted */
	assert_non_null(strstr(j, "{\"load_pct\": 10, \"rate_pps\": 1000, \"note\": \"low\""));
	assert_non_null(strstr(j, "{\"load_pct\": 50, \"rate_pps\": 5000, \"note\": \"high load\""));
	/* the second point's figures: 5000 pps normal, 2500 accelerated, p50 40 and 20 us */
	const char *second = strstr(j, "\"load_pct\": 50");
	const char *normal = strstr(second, "\"normal\": {");
	const char *accel = strstr(second, "\"accelerated\": {");
	assert_non_null(normal);
	assert_non_null(accel);
	assert_non_null(strstr(normal, "\"delivered_pps\": 5000"));
	assert_true(strstr(normal, "\"latency_p50\": 40") < accel);
	assert_non_null(strstr(accel, "\"delivered_pps\": 2500"));
	assert_non_null(strstr(accel, "\"latency_p50\": 20"));
	assert_non_null(strstr(j, "\"notes\": {\"saturation\": \"10000 pps\"}}"));
	free(j);
}

static void test_csv_row_per_point_and_path(void **state)
{
	g_autoptr(sweep) sw = two_points();
	g_autofree char *c = to_text(sweep_write_csv, sw);
	g_auto(GStrv) lines = g_strsplit(c, "\n", -1);
	g_auto(GStrv) head = g_strsplit(lines[0], ",", -1);
	g_auto(GStrv) row = g_strsplit(lines[3], ",", -1);
	int p50 = -1, pps = -1;

	assert_int_equal(g_strv_length(lines), 6);	/* header, 4 rows, "" */
	assert_string_equal(head[0], "load_pct");
	assert_string_equal(head[3], "path");
	for (int i = 0; head[i]; i++) {
		if (!strcmp(head[i], "latency_p50"))
			p50 = i;
		if (!strcmp(head[i], "delivered_pps"))
			pps = i;
	}
	assert_true(p50 > 3 && pps > 3);
	assert_int_equal(g_strv_length(row), g_strv_length(head));
	/* row 3: second point, normal path */
	assert_string_equal(row[0], "50");
	assert_string_equal(row[3], "normal");
	assert_true(fabs(atof(row[pps]) - 5000) < 1e-6);
	assert_true(fabs(atof(row[p50]) - 40) < 40 * 0.004);
	assert_non_null(strstr(lines[4], ",accelerated,"));
}

static void test_output_is_byte_identical(void **state)
{
	g_autoptr(sweep) a = two_points();
	g_autoptr(sweep) b = two_points();
	g_autofree char *ja = to_text(sweep_write_json, a), *jb = to_text(sweep_write_json, b);
	g_autofree char *ca = to_text(sweep_write_csv, a), *cb = to_text(sweep_write_csv, b);

	assert_string_equal(ja, jb);
	assert_string_equal(ca, cb);
}

static void test_save_writes_both_files(void **state)
{
	g_autoptr(sweep) sw = two_points();
	g_autofree char *dir = g_dir_make_tmp("accelsim-sweep-XXXXXX", NULL);
	g_autofree char *json = g_build_filename(dir, "sweep.json", NULL);
	g_autofree char *csv = g_build_filename(dir, "sweep.csv", NULL);
	g_autofree char *text = NULL, *expect = to_text(sweep_write_json, sw);
	GError *err = NULL;

	assert_true(sweep_save(dir, sw, &err));
	assert_true(g_file_get_contents(json, &text, NULL, NULL));
	assert_string_equal(text, expect);
	assert_true(g_file_test(csv, G_FILE_TEST_IS_REGULAR));
	g_unlink(json);
	g_unlink(csv);
	g_rmdir(dir);
	/* a directory that cannot be made is an error naming it */
	assert_false(sweep_save("/proc/no/such/dir", sw, &err));
	assert_non_null(strstr(err->message, "/proc/no/such/dir"));
	g_error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_has_points_with_values_and_paths),
		cmocka_unit_test(test_csv_row_per_point_and_path),
		cmocka_unit_test(test_output_is_byte_identical),
		cmocka_unit_test(test_save_writes_both_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
