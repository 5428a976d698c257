/* test_effective.c: the effective configuration (config/effective.h) and
 * `accelsim config`.
 *
 *   - quantities print back exactly: every value, read again, is the same
 *     double, for hand-picked and for a million random values;
 *   - every shipped scenario and model, printed and loaded again, gives
 *     the same value for every key; so does the --changed form;
 *   - each value's origin: default, model FILE:LINE, scenario FILE:LINE,
 *     --set, --model, the size table;
 *   - `accelsim config` and `help model` from the command line.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "config/effective.h"
#include "core/datadir.h"
#include "testutil.h"

static char *tmpdir;

/* ---- quantities ---- */

static void assert_reads_back(double v, enum unit_kind kind)
{
	g_autofree char *t = effective_quantity_text(v, kind);
	g_autoptr(GError) err = NULL;
	struct quantity q;

	if (!units_parse(t, kind, &q, &err))
		fail_msg("%.17g printed as '%s', which does not parse: %s", v, t, err->message);
	if (memcmp(&q.value, &v, sizeof(v)))
		fail_msg("%.17g printed as '%s' reads back as %.17g", v, t, q.value);
}

static void test_quantities_print_as_people_write_them(void **state)
{
	const struct {
		double v;
		enum unit_kind kind;
		const char *text;
	} rows[] = {
		{ 2.6e9, UNIT_FREQ, "2.6GHz" },
		{ 2.4e9, UNIT_FREQ, "2.4GHz" },
		{ 1.5e-6, UNIT_TIME, "1.5us" },
		{ 1e-4, UNIT_TIME, "100us" },
		{ 5e-7, UNIT_TIME, "500ns" },
		{ 0, UNIT_TIME, "0s" },
		{ 0.2, UNIT_TIME, "200ms" },
		{ 30, UNIT_TIME, "30s" },
		{ 40e9, UNIT_BITRATE, "40Gbps" },
		{ 0, UNIT_BITRATE, "0bps" },
		{ 1e5, UNIT_PKTRATE, "100kpps" },
		{ 64, UNIT_SIZE, "64B" },
		{ 4096, UNIT_SIZE, "4KiB" },
		{ 65536, UNIT_SIZE, "64KiB" },
		{ 1500, UNIT_SIZE, "1.5KB" },
		{ 8e9, UNIT_BYTERATE, "8GB/s" },
		{ 2097152, UNIT_BYTERATE, "2MiB/s" },
		{ 4200, UNIT_CYCLES, "4200cycles" },
		{ 0.3, UNIT_PERCENT, "30%" },
		{ 0.055, UNIT_PERCENT, "5.5%" },
		{ 0, UNIT_COUNT, "0" },
		{ 12, UNIT_COUNT, "12" },
		{ 1e-12, UNIT_TIME, "0.001ns" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *t = effective_quantity_text(rows[i].v, rows[i].kind);

		if (strcmp(t, rows[i].text))
			fail_msg("%.17g: '%s', expected '%s'", rows[i].v, t, rows[i].text);
		assert_reads_back(rows[i].v, rows[i].kind);
	}
}

static void test_quantities_read_back_to_the_same_bits(void **state)
{
	static const enum unit_kind kinds[] = { UNIT_TIME, UNIT_BITRATE, UNIT_PKTRATE,
						UNIT_SIZE, UNIT_BYTERATE, UNIT_FREQ,
						UNIT_CYCLES, UNIT_PERCENT, UNIT_COUNT };
	static const double awkward[] = { 0.1 + 0.2, 1.0 / 3.0, 1e-300, 5e-324, 1e300,
					  DBL_MAX, 9007199254740993.0, 123456789.123456789,
					  2.5e-7, 7.0 / 3.0 * 1e9 };
	g_autoptr(GRand) rnd = g_rand_new_with_seed(7);

	for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
		for (size_t i = 0; i < G_N_ELEMENTS(awkward); i++)
			/* DBL_MAX is no percentage: x100 overflows */
			if (kinds[k] != UNIT_PERCENT || awkward[i] < 1e300)
				assert_reads_back(awkward[i], kinds[k]);
		/* random mantissas over 40 decades */
		for (int i = 0; i < 20000; i++)
			assert_reads_back(g_rand_double(rnd) * pow(10, g_rand_int_range(rnd, -20, 20)),
					  kinds[k]);
	}
}

/* ---- every key of what ships ---- */

/* Two parsed sections described by keys hold the same values. */
static void assert_same_section(const char *what, const char *group, const struct key_spec *keys,
				size_t n, const void *a, const void *b)
{
	for (size_t i = 0; i < n; i++)
		if (!effective_value_equal(&keys[i], (const char *)a + keys[i].offset,
					   (const char *)b + keys[i].offset))
			fail_msg("%s: %s.%s differs after printing and loading again", what, group,
				 keys[i].name);
}

static void assert_same_model(const char *what, const struct model *a, const struct model *b)
{
	size_t n;
	const struct key_spec *keys = model_section_keys("host", &n);

	assert_same_section(what, "host", keys, n, &a->host, &b->host);
	keys = model_section_keys("vm", &n);
	assert_same_section(what, "vm", keys, n, &a->vm, &b->vm);
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->sections->len, b->sections->len);
	for (guint i = 0; i < a->sections->len; i++) {
		const struct model_section *x = a->sections->pdata[i], *y = b->sections->pdata[i];

		assert_string_equal(x->name, y->name);
		assert_same_section(what, x->name, x->ops->keys, x->ops->nkeys, x->params, y->params);
	}
}

/* The key spec of a scenario key, for comparing a field of a spec struct
 * that has no table of its own. */
static const struct key_spec *spec(const char *group, const char *key)
{
	size_t n;
	const struct key_spec *keys = scenario_section_keys(group, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i].name, key))
			return &keys[i];
	fail_msg("no key %s.%s", group, key);
	return NULL;
}

#define SAME_DIST(x_, y_, f_)                                                                  \
	do {                                                                                   \
		if (!effective_value_equal(spec("traffic", #f_), &(x_)->f_, &(y_)->f_))        \
			fail_msg("%s: %s.%s differs", what, (x_)->name, #f_);                    \
	} while (0)

static void assert_same_scenario(const char *what, const struct scenario *a,
				 const struct scenario *b)
{
	assert_true(a->duration_s == b->duration_s && a->warmup_s == b->warmup_s);
	assert_true(a->seed == b->seed && a->window_s == b->window_s);
	assert_true(a->force_exact == b->force_exact);
	assert_string_equal(a->description, b->description);
	assert_int_equal(a->traffic->len, b->traffic->len);
	for (guint i = 0; i < a->traffic->len; i++) {
		const struct traffic_spec *x = &g_array_index(a->traffic, struct traffic_spec, i);
		const struct traffic_spec *y = &g_array_index(b->traffic, struct traffic_spec, i);

		assert_string_equal(x->name, y->name);
		assert_true(x->pattern == y->pattern && x->direction == y->direction);
		assert_true(x->peer == y->peer && x->vm == y->vm);
		assert_true(x->rate.value == y->rate.value && x->rate.kind == y->rate.kind);
		assert_true(x->flows == y->flows && x->train == y->train && x->syn == y->syn);
		assert_true(x->concurrency == y->concurrency && x->rto_s == y->rto_s);
		assert_true(x->start == y->start && x->stop == y->stop);
		assert_string_equal(x->trace ? x->trace : "", y->trace ? y->trace : "");
		SAME_DIST(x, y, size);
		SAME_DIST(x, y, response_size);
		SAME_DIST(x, y, flow_size);
		SAME_DIST(x, y, on);
		SAME_DIST(x, y, off);
		SAME_DIST(x, y, think);
	}
	assert_int_equal(a->events->len, b->events->len);
	for (guint i = 0; i < a->events->len; i++) {
		const struct event_spec *x = &g_array_index(a->events, struct event_spec, i);
		const struct event_spec *y = &g_array_index(b->events, struct event_spec, i);

		assert_string_equal(x->name, y->name);
		assert_true(x->at == y->at && x->action == y->action && x->path == y->path);
	}
	assert_int_equal(a->loads->len, b->loads->len);
	for (guint i = 0; i < a->loads->len; i++) {
		const struct load_spec *x = &g_array_index(a->loads, struct load_spec, i);
		const struct load_spec *y = &g_array_index(b->loads, struct load_spec, i);

		assert_string_equal(x->name, y->name);
		assert_true(x->where == y->where && x->utilisation == y->utilisation);
		assert_true(x->path == y->path);
		assert_true(effective_value_equal(spec("load x", "job"), &x->job, &y->job));
	}
	assert_same_model(what, a->model, b->model);
}

/* Print e into a file in tmpdir; returns its path. */
static char *print_to_file(const struct effective *e, bool changed, const char *name)
{
	char *path = g_build_filename(tmpdir, name, NULL);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	effective_print(f, e, changed);
	assert_int_equal(fclose(f), 0);
	return path;
}

static struct scenario *load(const char *ref, const char *model_ref, const struct kf *sets)
{
	g_autoptr(GError) err = NULL;
	struct scenario *s = scenario_load(ref, model_ref, sets, &err);

	if (!s)
		fail_msg("%s: %s", ref, err->message);
	return s;
}

/* Every shipped scenario (calibration ones too), whole and --changed. */
static GPtrArray *shipped_scenarios(void)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	const char *const dirs[] = { "scenarios", "scenarios/calibration" };

	for (size_t d = 0; d < G_N_ELEMENTS(dirs); d++) {
		g_autofree char *dir = g_build_filename(datadir_get(), dirs[d], NULL);
		g_autoptr(GDir) h = g_dir_open(dir, 0, NULL);
		const char *n;

		assert_non_null(h);
		while ((n = g_dir_read_name(h)))
			if (g_str_has_suffix(n, ".ini"))
				g_ptr_array_add(all, g_build_filename(dir, n, NULL));
	}
	assert_true(all->len >= 10);
	return all;
}

static void test_shipped_scenarios_print_and_load_again_the_same(void **state)
{
	g_autoptr(GPtrArray) all = shipped_scenarios();

	for (guint i = 0; i < all->len; i++) {
		const char *path = all->pdata[i];
		g_autoptr(scenario) a = load(path, NULL, NULL);
		g_autoptr(GError) err = NULL;
		g_autoptr(effective) e = effective_new(a, NULL, NULL, &err);

		if (!e)
			fail_msg("%s: %s", path, err->message);
		for (int changed = 0; changed <= 1; changed++) {
			g_autofree char *out = print_to_file(e, changed, "dump.ini");
			g_autoptr(scenario) b = load(out, NULL, NULL);
			g_autofree char *what = g_strdup_printf("%s%s", path,
								changed ? " --changed" : "");

			assert_same_scenario(what, a, b);
		}
	}
}

static void test_shipped_models_print_and_load_again_the_same(void **state)
{
	const char *const names[] = { "default", "kvm-ovs", "kvm-ovs-dpdk" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(model) a = model_load(names[i], NULL, 0, &err);
		g_autoptr(effective) e = a ? effective_new_model(a, &err) : NULL;

		if (!e)
			fail_msg("%s: %s", names[i], err->message);
		g_autofree char *out = print_to_file(e, false, "model.ini");
		g_autoptr(model) b = model_load(out, NULL, 0, &err);

		if (!b)
			fail_msg("%s printed: %s", names[i], err->message);
		assert_same_model(names[i], a, b);
	}
}

/* ---- origins ---- */

static void write_file(const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(tmpdir, name, NULL);

	assert_true(g_file_set_contents(path, text, -1, NULL));
}

static const struct eff_key *key(const struct effective *e, const char *group, const char *k)
{
	const struct eff_key *x = effective_find(e, group, k);

	if (!x)
		fail_msg("no key %s.%s", group, k);
	return x;
}

static void assert_origin(const struct effective *e, const char *group, const char *k,
			  enum eff_source source, const char *suffix, const char *value)
{
	const struct eff_key *x = key(e, group, k);

	if (x->source != source || !g_str_has_suffix(x->origin, suffix) || strcmp(x->value, value))
		fail_msg("%s.%s: '%s' from %d '%s', expected '%s' from %d '...%s'", group, k,
			 x->value, x->source, x->origin, value, source, suffix);
}

static void test_each_value_says_where_it_comes_from(void **state)
{
	write_file("m.ini", "[model]\nname = mine\n[host]\nfreq = 2000MHz\n"
			    "[vm]\nsize = Standard_D3_v2\n[vswitch]\ncores = 3\nbatch = 32\n");
	write_file("s.ini", "[scenario]\nmodel = m.ini\nduration = 10ms\n\n"
			    "[traffic web]\nrate = 1kpps\n\n[vswitch]\ncores = 5\n");
	g_autofree char *path = g_build_filename(tmpdir, "s.ini", NULL);
	char *sets_args[] = { (char *)"guest.napi_budget=16", NULL };
	g_autoptr(GError) err = NULL;
	g_autoptr(kf) sets = scenario_sets_from_args(sets_args, &err);
	g_autoptr(scenario) s = load(path, NULL, sets);
	g_autoptr(effective) e = effective_new(s, NULL, sets, &err);

	assert_non_null(e);
	assert_origin(e, "scenario", "duration", EFF_SCENARIO, "s.ini:3", "10ms");
	assert_origin(e, "traffic web", "rate", EFF_SCENARIO, "s.ini:6", "1kpps");
	assert_origin(e, "traffic web", "flows", EFF_DEFAULT, "default", "1");
	/* the model file's path, absolute: the dump runs from anywhere */
	g_autofree char *mpath = g_build_filename(tmpdir, "m.ini", NULL);
	g_autofree char *mabs = g_canonicalize_filename(mpath, NULL);
	assert_origin(e, "scenario", "model", EFF_SCENARIO, "s.ini:2", mabs);
	assert_origin(e, "host", "freq", EFF_MODEL, "m.ini:4", "2GHz");
	assert_origin(e, "vswitch", "cores", EFF_SCENARIO, "s.ini:9", "5");
	assert_origin(e, "guest", "napi_budget", EFF_SET, "--set", "16");
	assert_origin(e, "vm", "vcpus", EFF_DERIVED, "(models/sizes.ini)", "4");
	assert_origin(e, "host", "cores", EFF_DEFAULT, "default", "16");
	/* changed: against the built-in default, not against the file */
	assert_true(key(e, "host", "freq")->changed && !key(e, "host", "cores")->changed);
	assert_false(key(e, "vswitch", "batch")->changed); /* set, to its default */
	assert_true(key(e, "scenario", "duration")->changed); /* required: no default */
	assert_false(key(e, "vm", "vcpus")->changed); /* the size's, as by default */

	/* --model and --seed */
	g_autoptr(scenario) s2 = load(path, "kvm-ovs", NULL);
	g_autoptr(effective) e2 = effective_new(s2, "kvm-ovs", NULL, &err);
	assert_non_null(e2);
	assert_origin(e2, "scenario", "model", EFF_OPTION, "--model", "kvm-ovs");
	assert_true(effective_override(e2, "scenario", "seed", "77", "--seed", &err));
	assert_origin(e2, "scenario", "seed", EFF_OPTION, "--seed", "77");
	assert_false(effective_override(e2, "scenario", "seed", "-1", "--seed", &err));
	assert_non_null(strstr(err->message, "seed"));
}

static void test_changed_keeps_every_scenario_section(void **state)
{
	write_file("c.ini", "[scenario]\nduration = 10ms\n\n[traffic a]\nrate = 1kpps\n\n"
			    "[traffic b]\npattern = reqresp\nconcurrency = 1\n\n"
			    "[event e]\nat = 5ms\naction = vf_remove\n");
	g_autofree char *path = g_build_filename(tmpdir, "c.ini", NULL);
	g_autoptr(scenario) s = load(path, NULL, NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(effective) e = effective_new(s, NULL, NULL, &err);
	g_autofree char *out = print_to_file(e, true, "changed.ini");
	g_autofree char *text = NULL;

	assert_true(g_file_get_contents(out, &text, NULL, NULL));
	assert_non_null(strstr(text, "\n[traffic a]\nrate = 1kpps "));
	assert_non_null(strstr(text, "\n[traffic b]\npattern = reqresp "));
	assert_non_null(strstr(text, "\n[event e]\n"));
	/* defaults are left out, scenario or model */
	assert_null(strstr(text, "\nflows = "));
	assert_null(strstr(text, "\n[shaper]"));
	/* changed model keys stay: the shipped model's 2.4GHz */
	assert_non_null(strstr(text, "\nfreq = 2.4GHz "));
}

/* ---- the command line ---- */

static int run(const char *const *args, char **out, char **err)
{
	return tu_run(tmpdir, NULL, args, out, err);
}


static void test_config_command_exit_codes_and_messages(void **state)
{
	const struct {
		const char *const *args;
		int status;
		const char *fragment;	/* in stdout for 0, stderr otherwise */
	} rows[] = {
		{ ARGS("config", "quickstart"), 0, "\n[vswitch]\ncores = 8 " },
		{ ARGS("config", "quickstart", "--set", "vswitch.cores=3"), 0,
		  "\ncores = 3                                # --set\n" },
		{ ARGS("config", "quickstart", "--changed"), 0, "\n[traffic]\n" },
		{ ARGS("config", "quickstart", "--model", "kvm-ovs"), 0, "# --model\n" },
		{ ARGS("config"), 2, "expected a scenario (a file, a shipped scenario's name or - for "
				     "standard input), got none\nusage: accelsim config" },
		{ ARGS("config", "a", "b"), 2,
		  "expected one scenario, got 'a' and 'b'\nusage: accelsim config" },
		{ ARGS("config", "quickstart", "--set", "vswitch.cores", "4"), 2,
		  "--set: expected section.key=value, got 'vswitch.cores' (did you mean --set "
		  "vswitch.cores=4?)" },
		{ ARGS("config", "nosuch"), 2, "cannot find scenario 'nosuch'" },
		{ ARGS("config", "quickstart", "--set", "vswitch.cores=0"), 2,
		  "--set vswitch.cores: expected a whole number from 1" },
		{ ARGS("config", "--bogus", "quickstart"), 2, "error: unknown option --bogus" },
		{ ARGS("help", "model"), 0, "  freq                 2.6GHz             * 2.4GHz" },
		{ ARGS("help", "model", "--model", "kvm-ovs"), 0, "value in model 'kvm-ovs'" },
		{ ARGS("help", "model", "--model", "nosuch"), 2, "no shipped model called 'nosuch'" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *out = NULL, *err = NULL;
		int st = run(rows[i].args, &out, &err);
		const char *where = rows[i].status ? err : out;

		if (st != rows[i].status || !strstr(where, rows[i].fragment))
			fail_msg("row %zu: exit %d (expected %d); expected '%s' in:\n%s", i, st,
				 rows[i].status, rows[i].fragment, where);
	}
}

/* A model named relative to the working directory: its tables resolve
 * from there (they printed as "empirical((null))", with a GLib critical) */
static void test_relative_model_resolves_its_tables(void **state)
{
	const char *files[] = { "netns-standin.ini", "netns-standin.wakeup.txt" };

	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *from = g_build_filename(ABS_TOP_SRCDIR, "models", files[i], NULL);
		g_autofree char *to = g_build_filename(tmpdir, files[i], NULL);
		g_autofree char *text = NULL;
		gsize len;

		assert_true(g_file_get_contents(from, &text, &len, NULL));
		assert_true(g_file_set_contents(to, text, (gssize)len, NULL));
	}
	g_autofree char *out = NULL, *err = NULL;
	g_autofree char *want = g_strdup_printf("empirical(%s/netns-standin.wakeup.txt)", tmpdir);

	assert_int_equal(run(ARGS("config", "quickstart", "--model", "netns-standin.ini"), &out,
			     &err),
			 0);
	if (!strstr(out, want) || strstr(err, "CRITICAL"))
		fail_msg("expected '%s' and a quiet stderr; stderr:\n%s", want, err);
}

/* A scenario on standard input: the configuration printed (and a run's
 * provenance) is the scenario read, though stdin can be read only once */
static void test_scenario_from_stdin_is_recorded_whole(void **state)
{
	g_autofree char *bin = tu_bin();
	g_autofree char *ini = g_build_filename(ABS_TOP_SRCDIR, "scenarios", "quickstart.ini", NULL);
	g_autofree char *cmd = g_strdup_printf("'%s' config - < '%s'", bin, ini);
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) e = NULL;
	int status;

	assert_true(g_spawn_sync(tmpdir, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
				 &err, &status, &e));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!strstr(out, "\n[traffic]\n") || !strstr(out, "# <stdin>:") ||
	    !strstr(out, "configuration of\n#   the scenario on standard input\n"))
		fail_msg("the scenario from stdin is not in the configuration:\n%s%s", out, err);
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-effective-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantities_print_as_people_write_them),
		cmocka_unit_test(test_quantities_read_back_to_the_same_bits),
		cmocka_unit_test(test_shipped_scenarios_print_and_load_again_the_same),
		cmocka_unit_test(test_shipped_models_print_and_load_again_the_same),
		cmocka_unit_test(test_each_value_says_where_it_comes_from),
		cmocka_unit_test(test_changed_keeps_every_scenario_section),
		cmocka_unit_test(test_config_command_exit_codes_and_messages),
		cmocka_unit_test(test_relative_model_resolves_its_tables),
		cmocka_unit_test(test_scenario_from_stdin_is_recorded_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
