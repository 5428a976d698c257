/* test_sweep_files.c: sweep.json and sweep.csv of a sweep made in memory,
 * as real mode's latency-vs-load curve makes one (sweep_mark_point,
 * sweep_results_from_points): the shape docs/file-formats.md gives, the
 * figures of each point where they belong (under the metric table's
 * names), numbers as numbers and text as text, byte-identical output for
 * equal sweeps, points in order with the missing ones listed, and the
 * same files from the runs read back from their folders as from memory
 * (what `accelsim plot` and `merge` read).
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

#include "core/msg.h"
#include "sweep/results.h"

static const char *const keys[] = { "load_pct", "rate_pps", "note", NULL };

/* Point index of total whose normal path delivered `pps` with every
 * latency lat_us and the accelerated path half of both, marked as a
 * point of a sweep over keys with the values given. */
static struct run_result *point(guint index, guint total, const char *const *values, double pps,
				double lat_us)
{
	struct run_result *r = run_result_new();

	r->source = g_strdup("measurement");
	r->scenario = g_strdup("real measure --emulate");
	r->model = g_strdup("stand-in");
	r->duration_s = 1;
	r->provenance = provenance_new();
	r->provenance->latency = LATENCY_ONE_WAY_APP;
	for (int p = 0; p < PATH_COUNT; p++) {
		struct path_result *pr = &r->paths[p];
		double k = p == PATH_NORMAL ? 1 : 0.5;

		pr->offered_packets = pr->delivered_packets = (uint64_t)(pps * k);
		pr->offered_pps = pr->delivered_pps = pps * k;
		for (int i = 0; i < 100; i++)
			path_result_record_latency(pr, lat_us * k * 1e-6);
	}
	run_result_note(r, "pinning", "one core");
	sweep_mark_point(r, index, total, keys, values, 1);
	run_result_note(r, SWEEP_NOTE_SATURATION, "10000 pps");
	return r;
}

static struct sweep_results *from(struct run_result **rs, guint n)
{
	GError *err = NULL;
	struct sweep_results *sr = sweep_results_from_points(rs, n, &err);

	if (!sr)
		fail_msg("sweep_results_from_points: %s", err->message);
	return sr;
}

/* Points 1 and 2 of 2, given in the reverse order. */
static struct sweep_results *two_points(void)
{
	const char *v1[] = { "10", "1000", "low", NULL };
	const char *v2[] = { "50", "5000", "high load", NULL };
	struct run_result *rs[] = { point(2, 2, v2, 5000, 40), point(1, 2, v1, 1000, 20) };

	return from(rs, 2);
}

/* not inlined: gcc 12 takes the memstream pointer for a dangling local */
static G_GNUC_NO_INLINE char *to_text(void (*write)(FILE *, const struct sweep_results *),
				      const struct sweep_results *sr)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	write(f, sr);
	fclose(f);
	return text;
}

static void test_json_has_points_with_values_and_paths(void **state)
{
	g_autoptr(sweep_results) sr = two_points();
	g_autofree char *j = to_text(sweep_results_write_json, sr);

	assert_non_null(strstr(j, "{\"source\": \"measurement\", \"scenario\": "
				  "\"real measure --emulate\", \"model\": \"stand-in\", "
				  "\"partial\": false"));
	assert_non_null(strstr(j, "\"varied\": [\"load_pct\", \"rate_pps\", \"note\"], "
				  "\"points_expected\": 2, \"seeds\": 1, \"missing\": []"));
	/* numbers unquoted, text quoted, points in their order */
	const char *first = strstr(j, "{\"load_pct\": 10, \"rate_pps\": 1000, \"note\": \"low\"");
	const char *second = strstr(j, "{\"load_pct\": 50, \"rate_pps\": 5000, "
				       "\"note\": \"high load\"");
	assert_non_null(first);
	assert_non_null(second);
	assert_true(first < second);
	/* the second point's figures: 5000 pps normal, 2500 accelerated, p50 40 and 20 us */
	const char *normal = strstr(second, "\"normal\": {");
	const char *accel = strstr(second, "\"accelerated\": {");
	assert_non_null(normal);
	assert_non_null(accel);
	assert_non_null(strstr(normal, "\"delivered_pps\": 5000"));
	assert_true(strstr(normal, "\"latency_p50\": 40") < accel);
	assert_non_null(strstr(accel, "\"delivered_pps\": 2500"));
	assert_non_null(strstr(accel, "\"latency_p50\": 20"));
	/* a point's own notes without the sweep's; the sweep's at the end */
	assert_non_null(strstr(second, "\"notes\": {\"pinning\": \"one core\"}}"));
	assert_non_null(strstr(j, "\"notes\": {\"saturation\": \"10000 pps\"}}\n"));
}

static void test_csv_row_per_point_and_path(void **state)
{
	g_autoptr(sweep_results) sr = two_points();
	g_autofree char *c = to_text(sweep_results_write_csv, sr);
	g_auto(GStrv) lines = g_strsplit(c, "\n", -1);
	g_auto(GStrv) head = g_strsplit(lines[0], ",", -1);
	g_auto(GStrv) row = g_strsplit(lines[3], ",", -1);
	int p50 = -1, pps = -1;

	assert_int_equal(g_strv_length(lines), 6);	/* header, 4 rows, "" */
	assert_string_equal(head[0], "load_pct");
	assert_string_equal(head[2], "note");
	assert_string_equal(head[3], "path");
	assert_string_equal(head[4], "seeds");
	for (int i = 0; head[i]; i++) {
		if (!strcmp(head[i], "latency_p50"))
			p50 = i;
		if (!strcmp(head[i], "delivered_pps"))
			pps = i;
	}
	assert_true(p50 > 4 && pps > 4);
	assert_int_equal(g_strv_length(row), g_strv_length(head));
	/* row 3: second point, normal path */
	assert_string_equal(row[0], "50");
	assert_string_equal(row[2], "high load");
	assert_string_equal(row[3], "normal");
	assert_true(fabs(atof(row[pps]) - 5000) < 1e-6);
	assert_true(fabs(atof(row[p50]) - 40) < 40 * 0.004);
	assert_non_null(strstr(lines[4], ",accelerated,"));
}

static void test_output_is_byte_identical(void **state)
{
	g_autoptr(sweep_results) a = two_points();
	g_autoptr(sweep_results) b = two_points();
	g_autofree char *ja = to_text(sweep_results_write_json, a);
	g_autofree char *jb = to_text(sweep_results_write_json, b);
	g_autofree char *ca = to_text(sweep_results_write_csv, a);
	g_autofree char *cb = to_text(sweep_results_write_csv, b);

	assert_string_equal(ja, jb);
	assert_string_equal(ca, cb);
}

/* A curve cut short: point 2 of 3 never measured. */
static void test_missing_point_listed_and_partial(void **state)
{
	const char *v1[] = { "20", "2000", "a", NULL };
	const char *v3[] = { "60", "6000", "c", NULL };
	struct run_result *rs[] = { point(1, 3, v1, 2000, 20), point(3, 3, v3, 6000, 30) };
	g_autoptr(sweep_results) sr = from(rs, 2);
	g_autofree char *j = to_text(sweep_results_write_json, sr);

	assert_true(sr->partial);
	assert_int_equal(sr->points->len, 2);
	assert_int_equal(((struct sweep_point *)sr->points->pdata[1])->index, 3);
	assert_non_null(strstr(j, "\"partial\": true"));
	assert_non_null(strstr(j, "\"points_expected\": 3, \"seeds\": 1, "
				  "\"missing\": [\"point 2 of 3\"]"));
}

/* Table-driven: runs that are not points of one sweep are refused,
 * naming why. */
static void test_runs_that_do_not_fit_are_refused(void **state)
{
	const char *v1[] = { "10", "1000", "a", NULL };
	const char *v2[] = { "50", "5000", "b", NULL };
	static const struct {
		guint i1, n1, i2, n2;
		bool mark2;
		const char *message;
	} rows[] = {
		{ 1, 2, 2, 3, true, "point-01/result.ini and point-02/result.ini are points of different sweeps" },
		{ 1, 2, 1, 2, true, "point-01 and point-01 both say they are point 1, with load_pct '10' and '50'" },
		{ 1, 2, 0, 0, false, "run 2: expected a point of a sweep (sweep_mark_point), "
				     "got a run of its own" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct run_result *rs[2] = { point(rows[i].i1, rows[i].n1, v1, 1000, 10), NULL };
		GError *err = NULL;

		if (rows[i].mark2) {
			rs[1] = point(rows[i].i2, rows[i].n2, v2, 5000, 40);
		} else {
			rs[1] = run_result_new();
			rs[1]->provenance = provenance_new();
		}
		assert_null(sweep_results_from_points(rs, 2, &err));
		assert_non_null(err);
		assert_int_equal(err->code, ACCELSIM_ERROR_INPUT);
		if (!strstr(err->message, rows[i].message))
			fail_msg("row %zu: expected '%s' in '%s'", i, rows[i].message, err->message);
		g_error_free(err);
	}
}

/* Each point's run written as point-NN/result.ini, read back as `accelsim
 * plot DIR` reads it: the same sweep, byte for byte. */
static void test_read_back_equals_memory(void **state)
{
	g_autoptr(sweep_results) sr = two_points();
	g_autofree char *dir = g_dir_make_tmp("accelsim-sweep-XXXXXX", NULL);
	g_autofree char *mem = to_text(sweep_results_write_json, sr);
	g_autofree char *mem_csv = to_text(sweep_results_write_csv, sr);
	GError *err = NULL;

	for (guint i = 0; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];
		g_autofree char *name = sweep_point_dirname(pt->index, 2);
		g_autofree char *sub = g_build_filename(dir, name, NULL);
		g_autofree char *ini = g_build_filename(sub, "result.ini", NULL);
		g_autoptr(GKeyFile) k = run_result_to_keyfile(pt->runs->pdata[0]);

		assert_int_equal(g_mkdir(sub, 0700), 0);
		assert_true(g_key_file_save_to_file(k, ini, NULL));
	}
	const char *paths[] = { dir, NULL };
	g_autoptr(sweep_results) back = sweep_results_load(paths, &err);
	if (!back)
		fail_msg("sweep_results_load: %s", err->message);
	assert_true(sweep_results_is_sweep(back));
	g_autofree char *disk = to_text(sweep_results_write_json, back);
	g_autofree char *disk_csv = to_text(sweep_results_write_csv, back);
	assert_string_equal(disk, mem);
	assert_string_equal(disk_csv, mem_csv);
	for (guint i = 0; i < sr->points->len; i++) {
		g_autofree char *name = g_strdup_printf("point-%02u", i + 1);
		g_autofree char *ini = g_build_filename(dir, name, "result.ini", NULL);
		g_autofree char *sub = g_build_filename(dir, name, NULL);

		g_unlink(ini);
		g_rmdir(sub);
	}
	g_rmdir(dir);
}

static void test_save_writes_both_files(void **state)
{
	g_autoptr(sweep_results) sr = two_points();
	g_autofree char *dir = g_dir_make_tmp("accelsim-sweep-XXXXXX", NULL);
	g_autofree char *json = g_build_filename(dir, "sweep.json", NULL);
	g_autofree char *csv = g_build_filename(dir, "sweep.csv", NULL);
	g_autofree char *text = NULL, *expect = to_text(sweep_results_write_json, sr);
	g_autofree char *ctext = NULL, *cexpect = to_text(sweep_results_write_csv, sr);
	GError *err = NULL;

	assert_true(sweep_results_save(dir, sr, &err));
	assert_true(g_file_get_contents(json, &text, NULL, NULL));
	assert_string_equal(text, expect);
	assert_true(g_file_get_contents(csv, &ctext, NULL, NULL));
	assert_string_equal(ctext, cexpect);
	g_unlink(json);
	g_unlink(csv);
	g_rmdir(dir);
	/* a directory that cannot be made is an error naming it */
	assert_false(sweep_results_save("/proc/no/such/dir", sr, &err));
	assert_int_equal(err->code, ACCELSIM_ERROR_RUNTIME);
	assert_non_null(strstr(err->message, "/proc/no/such/dir"));
	g_error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_has_points_with_values_and_paths),
		cmocka_unit_test(test_csv_row_per_point_and_path),
		cmocka_unit_test(test_output_is_byte_identical),
		cmocka_unit_test(test_missing_point_listed_and_partial),
		cmocka_unit_test(test_runs_that_do_not_fit_are_refused),
		cmocka_unit_test(test_read_back_equals_memory),
		cmocka_unit_test(test_save_writes_both_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
