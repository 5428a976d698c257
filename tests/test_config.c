/* test_config.c: the model and scenario loaders against broken and good files.
 *
 * Broken files (tests/data/bad/) are a table: each row names the loader, the
 * exact "file:line: group.key: " the first message must start with, and a
 * fragment of what it must say.  Every broken file must give NULL and an
 * error, never a half-loaded struct (run under ASan or valgrind, a leak on
 * an error path fails too).  Good files (tests/data/good/) check that
 * overrides land with the right precedence: --set over the scenario over
 * the model file over the defaults.  Then the shipped files, the VM size
 * table's calibration constants, and the inputs the fuzzers once broke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/keyfile.h"
#include "config/model.h"
#include "config/scenario.h"
#include "core/datadir.h"
#include "core/msg.h"
#include "fuzz/fuzz.h"
#include "model/nic.h"
#include "model/vswitch.h"
#include "model/wire.h"
#include "testutil.h"

static char *data_path(const char *sub, const char *name)
{
	return g_build_filename(tu_datadir(), sub, name, NULL);
}

static unsigned count_lines(const char *s)
{
	unsigned n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- broken files ---- */

enum loader { MODEL, SCENARIO };

struct bad_file {
	const char *file;	/* in tests/data/bad */
	enum loader loader;
	const char *where;	/* what follows the path: ":3: wire.rate: " */
	const char *msg;	/* a fragment of the rest */
};

static const struct bad_file bad_files[] = {
	/* syntax */
	{ "model-not-key-value.ini", MODEL, ":4: ",
	  "expected 'key = value', '[group]' or a '#' comment, got 'freq 2.6GHz'" },
	{ "model-key-before-group.ini", MODEL, ":2: ", "key 'cores' comes before any [group]" },
	{ "model-bad-group-header.ini", MODEL, ":4: ",
	  "expected a group name such as [vswitch], got '[vswitch'" },
	{ "model-group-trailing-text.ini", MODEL, ":2: ",
	  "expected a group name such as [vswitch], got '[vswitch] cores = 2'" },
	{ "model-empty-group.ini", MODEL, ":3: ", "expected a group name such as [vswitch], got '[]'" },
	{ "model-semicolon-comment.ini", MODEL, ":3: ",
	  "expected 'key = value', '[group]' or a '#' comment, got '; sixteen cores'" },
	{ "model-group-control-char.ini", MODEL, ":2: ",
	  "expected a group name such as [vswitch], got '[traffic\tbursts]'" },
	{ "model-not-utf8.ini", MODEL, ":3: ", "not valid UTF-8 text" },
	{ "model-nul-byte.ini", MODEL, ":4: ", "contains a NUL byte: not a text file" },
	/* an invisible character is named, not quoted */
	{ "scenario-byte-order-mark.ini", SCENARIO, ":1: ",
	  "starts with a byte order mark (U+FEFF, invisible): save the file as UTF-8 without one" },
	{ "model-byte-order-mark-inside.ini", MODEL, ":4: ", "holds a byte order mark (U+FEFF" },
	{ "model-key-twice.ini", MODEL, ":5: vswitch.cores: ", "set twice (first on line 3)" },
	{ "model-key-twice-split.ini", MODEL, ":7: vswitch.cores: ", "set twice (first on line 3)" },
	{ "scenario-key-twice.ini", SCENARIO, ":4: scenario.duration: ",
	  "set twice (first on line 3)" },
	/* unknown sections and keys */
	{ "model-unknown-section-suggest.ini", MODEL, ":2: [vswich]: ",
	  "unknown section (did you mean [vswitch]?)" },
	{ "model-unknown-section.ini", MODEL, ":4: [frobnicator]: ",
	  "unknown section; a model has: model, host, vm, wire, nic, " },
	{ "model-unknown-key.ini", MODEL, ":4: vswitch.cycles_per_pkt: ",
	  "unknown key (did you mean 'cycles_per_packet'?)" },
	{ "model-unknown-key-no-suggestion.ini", MODEL, ":3: wire.zzzzzzzzzzzz: ",
	  "unknown key; [wire] takes: rate, propagation, framing, queue" },
	{ "scenario-unknown-section-suggest.ini", SCENARIO, ":4: [trafic]: ",
	  "unknown section (did you mean [traffic]?)" },
	{ "scenario-unknown-section.ini", SCENARIO, ":6: [zzzzzzzz]: ",
	  "unknown section: expected [scenario], [traffic NAME], [event NAME], [load NAME], [vm "
	  "NAME] or a model section to override" },
	{ "scenario-unknown-key.ini", SCENARIO, ":5: traffic.rat: ",
	  "unknown key (did you mean 'rate'?)" },
	{ "scenario-override-unknown-key.ini", SCENARIO, ":7: vswitch.corez: ",
	  "unknown key (did you mean 'cores'?)" },
	/* quantities */
	{ "model-bad-unit.ini", MODEL, ":3: wire.rate: ",
	  "expected a bit rate such as 25Gbps (bps, kbps, Mbps, Gbps, Tbps), got '25Gbit' "
	  "(unknown unit 'Gbit'; did you mean 'Gbps'?)" },
	{ "model-unit-suggest.ini", MODEL, ":4: host.freq: ",
	  "got '2.6ghz' (unknown unit 'ghz'; did you mean 'GHz'?)" },
	{ "model-unit-wrong-kind.ini", MODEL, ":3: host.freq: ",
	  "expected a frequency such as 2.6GHz (Hz, kHz, MHz, GHz), got '2.6Gbps' (Gbps is a bit "
	  "rate unit)" },
	{ "model-no-unit.ini", MODEL, ":3: vnic.notify_latency: ", "got '4' (no unit)" },
	{ "model-negative.ini", MODEL, ":3: wire.propagation: ", "got '-1us' (negative)" },
	{ "model-qty-out-of-range.ini", MODEL, ":3: host.freq: ",
	  "expected a value from 1MHz to 100GHz, got '500kHz'" },
	{ "model-qty-below-min.ini", MODEL, ":3: wire.rate: ", "expected at least 1kbps, got '1bps'" },
	{ "scenario-duration-zero.ini", SCENARIO, ":3: scenario.duration: ",
	  "expected a value above zero and at most 1e+06s, got '0s'" },
	{ "scenario-bad-rate.ini", SCENARIO, ":5: traffic.rate: ",
	  "or a percentage such as 30% (%), got '10Gbs' (unknown unit 'Gbs'; did you mean 'Gbps'?)" },
	/* whole numbers */
	{ "model-uint-out-of-range.ini", MODEL, ":3: host.cores: ",
	  "expected a whole number from 1 to 4096, got '0'" },
	{ "model-uint-with-unit.ini", MODEL, ":3: vswitch.batch: ",
	  "expected a whole number without unit, got '32 packets'" },
	{ "scenario-override-bad-value.ini", SCENARIO, ":7: vswitch.cores: ",
	  "expected a whole number from 1 to 1024, got '0'" },
	/* enums and booleans */
	{ "model-bad-enum-suggest.ini", MODEL, ":3: vf.flow_offload: ",
	  "expected one of gft, none, got 'gtf' (did you mean 'gft'?)" },
	{ "model-bad-enum.ini", MODEL, ":3: vf.irq_mode: ",
	  "expected one of static, cqe, adaptive, got 'sometimes'" },
	{ "scenario-bad-enum.ini", SCENARIO, ":5: traffic.pattern: ",
	  "expected one of constant, poisson, onoff, reqresp, trace, tcp, got 'poison' (did you mean "
	  "'poisson'?)" },
	{ "scenario-bad-bool.ini", SCENARIO, ":6: traffic.syn: ", "expected true or false, got 'maybe'" },
	/* distributions */
	{ "model-bad-dist.ini", MODEL, ":3: vswitch.cycles_per_packet: ",
	  "in 'exp(0cycles)': expected a positive mean" },
	{ "model-bad-dist-name.ini", MODEL, ":3: app.service: ",
	  "expected a distribution: constant(x), exp(mean), lognormal(mean, sd), uniform(a, b), "
	  "empirical(file) or a plain value, got 'normal(4us, 1us)'" },
	{ "model-empirical-missing.ini", MODEL, ":3: app.service: ",
	  "/bad/no-such-table.txt': No such file or directory" },
	{ "scenario-bad-size-dist.ini", SCENARIO, ":6: traffic.size: ",
	  "in 'uniform(1us, 2us)': expected a size such as 1500B (B, KB, KiB, MB, MiB, GB, GiB), "
	  "got '1us' (us is a time unit)" },
	{ "scenario-load-bad-job.ini", SCENARIO, ":8: load noisy.job: ",
	  "in 'exp(20Gbps)': expected a time such as 1.5us (ns, us, µs, ms, s), got '20Gbps' (Gbps "
	  "is a bit rate unit)" },
	/* strings naming things that do not exist */
	{ "model-unknown-vm-size.ini", MODEL, ":3: vm.size: ",
	  "unknown VM size 'Standard_D3_v3' (did you mean 'Standard_D3_v2'?)" },
	{ "scenario-trace-missing.ini", SCENARIO, ":6: traffic.trace: ",
	  "cannot read trace file '" },
	/* required keys and sections */
	{ "scenario-missing-duration.ini", SCENARIO, ":2: scenario.duration: ",
	  "missing: this key is required (simulated time, warm-up included)" },
	{ "scenario-event-missing-action.ini", SCENARIO, ":6: event servicing.action: ",
	  "missing: this key is required" },
	{ "scenario-rate-missing.ini", SCENARIO, ":4: traffic.rate: ",
	  "missing: pattern 'poisson' needs a rate (e.g. 100kpps, 10Gbps or 50%)" },
	{ "scenario-tcp-window-below-segment.ini", SCENARIO, ":7: traffic.window: ",
	  "expected at least one segment (size, 1500 B on average), got '1000 B'" },
	{ "scenario-no-scenario-section.ini", SCENARIO, ": ",
	  "expected a [scenario] section (with at least duration = ...)" },
	{ "scenario-no-traffic.ini", SCENARIO, ": ", "expected at least one [traffic] section" },
	/* values that contradict others */
	{ "model-vswitch-cores-above-host.ini", MODEL, ":6: vswitch.cores: ",
	  "expected fewer than host.cores (1): the host's other cores run the VM, got '8'" },
	{ "model-host-cores-at-vswitch.ini", MODEL, ":4: host.cores: ",
	  "expected more than vswitch.cores (2): the host's other cores run the VM, got '2'" },
	{ "model-housekeeping-fills-period.ini", MODEL, ":6: vswitch.housekeeping: ",
	  "expected less than housekeeping_period (1ms) at its least: the core would never "
	  "switch, got 'uniform(1ms, 2ms)'" },
	{ "scenario-vf-remove-normal.ini", SCENARIO, ":10: event servicing.path: ",
	  "vf_remove acts on the VF, which only the accelerated path has: expected accelerated "
	  "or both, got 'normal'" },
	{ "scenario-response-above-frame.ini", SCENARIO, ":9: traffic.response_size: ",
	  "expected at most 9216 B, the largest frame: a larger packet is a TSO segment, which "
	  "needs the model's wire.mtu (the frames the link carries it as), got '16KB'" },
	{ "scenario-segment-above-64k.ini", SCENARIO, ":8: traffic.size: ",
	  "expected values of at most 65.536KB, got '100KB'" },
	{ "scenario-traffic-name-space.ini", SCENARIO, ":8: [traffic ]: ",
	  "expected [traffic] or [traffic NAME], with a name that neither starts nor ends with a "
	  "space, got '[traffic ]'" },
	{ "scenario-onoff-unresolvable.ini", SCENARIO, ":9: traffic.on: ",
	  "expected on and off periods of 9.09e-15s or more together, got 2e-300s on average: "
	  "shorter ones cannot be told apart in a run of 10ms" },
	{ "scenario-onoff-too-many-periods.ini", SCENARIO, ":9: traffic.on: ",
	  "on and off periods of 2ns on average make 5e+08 of them in 1s, expected at most 1e+07 "
	  "(or one per packet): each costs the simulator work, sent packets or not; make them "
	  "longer" },
	/* memory: refused up front, at the key behind the largest part */
	{ "scenario-flow-state-above-limit.ini", SCENARIO, ":8: traffic s1.flows: ",
	  "16777216 flows at once, 12 bytes each on each path: flow state, 15.0 GiB in all, is the "
	  "largest part of an estimated 15.1 GiB for this run, above the memory limit of 2.0 GiB: "
	  "make it smaller, or raise the limit with --max-memory" },
	{ "scenario-257-sources.ini", SCENARIO, ":774: [traffic s256]: ",
	  "expected at most 256 traffic sources, got 257: each numbers its flows in a range of its "
	  "own, 2^24 wide, of a 32-bit flow number" },
	{ "scenario-warmup-too-long.ini", SCENARIO, ":4: scenario.warmup: ",
	  "expected less than the duration (0.1s)" },
	{ "scenario-event-after-end.ini", SCENARIO, ":7: event servicing.at: ",
	  "expected a time within the duration, got 2s" },
	/* the model a scenario names */
	{ "scenario-model-missing-file.ini", SCENARIO, ":3: scenario.model: ",
	  "cannot find model file 'no-such-model.ini'" },
	{ "scenario-model-misspelt.ini", SCENARIO, ":4: scenario.model: ",
	  "no shipped model called 'defualt' (did you mean 'default'?)" },
	{ "scenario-model-empty.ini", SCENARIO, ":4: scenario.model: ",
	  "expected a model file or the name of a shipped model, got ''" },
	/* the VMs a scenario places on the host */
	{ "scenario-vm-unknown.ini", SCENARIO, ":8: traffic.vm: ",
	  "no [vm dbb] section (did you mean 'db'?)" },
	{ "scenario-vm-self.ini", SCENARIO, ":7: traffic.vm: ",
	  "expected the NAME of a [vm NAME] section (web) or neighbour: this scenario places its "
	  "own VMs, so a source names the one it belongs to" },
	{ "scenario-vm-without-vms.ini", SCENARIO, ":5: traffic.vm: ",
	  "expected self or neighbour, got 'web' (no [vm web] section places such a VM on the "
	  "host)" },
	{ "scenario-vm-bad-name.ini", SCENARIO, ":4: [vm peer]: ",
	  "expected [vm NAME] with a NAME of at most 32 letters, digits, '_' or '-', other than "
	  "self, neighbour, peer, host and vm, got '[vm peer]'" },
	{ "scenario-vm-no-room.ini", SCENARIO, ":16: [vm c]: ",
	  "the VMs' vCPUs up to this one (12) do not fit on the 8 host cores beside the vSwitch "
	  "(host.cores 16 - vswitch.cores 8)" },
	{ "scenario-vm-an-not-offered.ini", SCENARIO, ":4: vm small.accelerated_networking: ",
	  "size Standard_A2_v2 does not offer accelerated networking (" },
	{ "scenario-vm-an-required.ini", SCENARIO, ":6: vm new.accelerated_networking: ",
	  "size Standard_D2_v5 requires accelerated networking: expected compare or on, got "
	  "'off'" },
	{ "scenario-vm-bad-an.ini", SCENARIO, ":6: vm web.accelerated_networking: ",
	  "expected one of compare, on, off, got 'sometimes'" },
	/* events: accelerated networking is fixed when the NIC is created */
	{ "scenario-event-an-toggle.ini", SCENARIO, ":9: event off.action: ",
	  "accelerated networking is fixed when a VM's NIC is created: a running VM cannot turn "
	  "it on or off (only the platform takes a VF away and gives it back: vf_remove, "
	  "vf_add); set accelerated_networking in its [vm NAME] section instead, got "
	  "'accelerated_networking_off'" },
	{ "scenario-event-an-key.ini", SCENARIO, ":15: event off.accelerated_networking: ",
	  "accelerated networking is fixed when a VM's NIC is created" },
	{ "scenario-event-vf-of-vm-off.ini", SCENARIO, ":15: event servicing.vm: ",
	  "vf_remove acts on a VM's VF, and vm web has accelerated networking off: it has none" },
	{ "scenario-event-host-load-until.ini", SCENARIO, ":7: event busy.until: ",
	  "expected a time after at (0.5s), got 0s" },
	{ "scenario-event-until-not-host-load.ini", SCENARIO, ":10: event servicing.until: ",
	  "only used by action host_load, not vf_remove" },
	{ "scenario-event-migrate-twice.ini", SCENARIO, ":13: event back.action: ",
	  "a VM migrates at most once in a run (event there moves it already)" },
};

/* Load path with loader; must fail with an input error and return NULL. */
static char *load_must_fail(const char *path, enum loader loader)
{
	g_autoptr(GError) e = NULL;

	if (loader == MODEL) {
		g_autoptr(model) m = model_load(path, NULL, 0, &e);

		if (m)
			fail_msg("%s: loaded as a model", path);
	} else {
		g_autoptr(scenario) s = scenario_load(path, NULL, NULL, &e);

		if (s)
			fail_msg("%s: loaded as a scenario", path);
	}
	assert_non_null(e);
	assert_true(g_error_matches(e, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT));
	assert_int_equal(msg_exit_code(e), EXIT_INPUT);
	return g_strdup(e->message);
}

static void test_config_bad_files_name_file_line_and_key(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bad_files); i++) {
		const struct bad_file *b = &bad_files[i];
		g_autofree char *path = data_path("bad", b->file);
		g_autofree char *msg = load_must_fail(path, b->loader);
		g_autofree char *prefix = g_strconcat(path, b->where, NULL);

		if (!g_str_has_prefix(msg, prefix) || !strstr(msg + strlen(prefix), b->msg))
			fail_msg("%s: message\n  %s\nwant\n  %s...%s", b->file, msg, prefix, b->msg);
		/* one error each: a cascade would bury it */
		if (count_lines(msg) != 1)
			fail_msg("%s: %u lines:\n%s", b->file, count_lines(msg), msg);
	}
}

/* Every file in tests/data/bad/ has a row (or is listed below), so a new
 * broken file cannot be forgotten. */
static void test_config_every_bad_file_is_tested(void **state)
{
	static const char *const elsewhere[] = { "model-many-errors.ini",
						 "scenario-many-errors.ini",
						 "scenario-model-with-errors.ini" };
	g_autofree char *dir = g_build_filename(tu_datadir(), "bad", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	unsigned n = 0;

	assert_non_null(d);
	while ((name = g_dir_read_name(d))) {
		bool found = false;

		for (size_t i = 0; i < G_N_ELEMENTS(bad_files) && !found; i++)
			found = !strcmp(bad_files[i].file, name);
		for (size_t i = 0; i < G_N_ELEMENTS(elsewhere) && !found; i++)
			found = !strcmp(elsewhere[i], name);
		if (!found)
			fail_msg("tests/data/bad/%s has no row in bad_files[]", name);
		n++;
	}
	assert_int_equal(n, G_N_ELEMENTS(bad_files) + G_N_ELEMENTS(elsewhere));
}

struct located {
	const char *where;	/* after the path */
	const char *msg;	/* fragment */
};

static void check_each_line(const char *msg, const char *path, const struct located *want,
			    size_t n)
{
	g_auto(GStrv) lines = g_strsplit(msg, "\n", -1);

	if (g_strv_length(lines) != n)
		fail_msg("%u lines, want %zu:\n%s", g_strv_length(lines), n, msg);
	for (size_t i = 0; i < n; i++) {
		g_autofree char *prefix = g_strconcat(path, want[i].where, NULL);

		if (!g_str_has_prefix(lines[i], prefix) || !strstr(lines[i], want[i].msg))
			fail_msg("line %zu:\n  %s\nwant\n  %s...%s", i + 1, lines[i], prefix,
				 want[i].msg);
	}
}

/* Validation goes on after the first error: every one is reported, each
 * with its own file:line, one per line. */
static void test_config_every_error_in_a_file_is_reported(void **state)
{
	static const struct located model_errors[] = {
		{ ":10: [vswich]: ", "unknown section (did you mean [vswitch]?)" },
		{ ":3: host.cores: ", "expected a whole number from 1 to 4096, got '0'" },
		{ ":4: host.freq: ", "got '2.6' (no unit)" },
		{ ":8: wire.propagation: ", "got '1 lightyear' (unknown unit 'lightyear')" },
		{ ":14: vf.flow_offload: ", "(did you mean 'gft'?)" },
	};
	static const struct located scenario_errors[] = {
		{ ":4: scenario.seed: ", "expected a whole number without unit, got '-1'" },
		{ ":7: traffic.pattern: ", "(did you mean 'poisson'?)" },
		{ ":8: traffic.size: ", "got '64' (no unit)" },
		{ ":11: traffic tx.direction: ", "expected one of rx, tx, got 'sideways'" },
	};
	g_autofree char *mpath = data_path("bad", "model-many-errors.ini");
	g_autofree char *spath = data_path("bad", "scenario-many-errors.ini");
	g_autofree char *mmsg = load_must_fail(mpath, MODEL);
	g_autofree char *smsg = load_must_fail(spath, SCENARIO);

	check_each_line(mmsg, mpath, model_errors, G_N_ELEMENTS(model_errors));
	check_each_line(smsg, spath, scenario_errors, G_N_ELEMENTS(scenario_errors));
}

/* An error in the model a scenario names points into the model file. */
static void test_config_model_errors_point_into_the_model(void **state)
{
	g_autofree char *path = data_path("bad", "scenario-model-with-errors.ini");
	g_autofree char *model_path = data_path("bad", "model-bad-unit.ini");
	g_autofree char *msg = load_must_fail(path, SCENARIO);
	const struct located want[] = { { ":3: wire.rate: ", "got '25Gbit' (unknown unit 'Gbit'; did you mean 'Gbps'?)" } };

	check_each_line(msg, model_path, want, 1);
}

static void test_config_missing_files_are_named(void **state)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(model) m = model_load("defualt", NULL, 0, &e);
	assert_null(m);
	assert_string_equal(e->message, "no shipped model called 'defualt' (did you mean 'default'?)");
	g_clear_error(&e);

	m = model_load("/nonexistent/model.ini", NULL, 0, &e);
	assert_null(m);
	assert_string_equal(e->message, "cannot find model file '/nonexistent/model.ini'");
	g_clear_error(&e);

	g_autoptr(scenario) s = scenario_load("quickstrat", NULL, NULL, &e);
	assert_null(s);
	assert_string_equal(e->message, "cannot find scenario 'quickstrat' (did you mean 'quickstart'?)");
	g_clear_error(&e);

	s = scenario_load("/nonexistent/scenario.ini", NULL, NULL, &e);
	assert_null(s);
	assert_true(g_str_has_prefix(e->message, "cannot find scenario '/nonexistent/scenario.ini': "));
	g_clear_error(&e);

	/* --model that does not exist */
	g_autofree char *good = data_path("good", "scenario-shipped-model.ini");
	s = scenario_load(good, "no-such-model", NULL, &e);
	assert_null(s);
	/* the list names every shipped model, whatever ships */
	assert_true(g_str_has_prefix(e->message, "--model: no shipped model called 'no-such-model'; "
						  "shipped models: default, kvm-ovs, kvm-ovs-dpdk"));
	g_clear_error(&e);

	/* an empty name is refused, not skipped (it once left no model) */
	s = scenario_load(good, "", NULL, &e);
	assert_null(s);
	assert_string_equal(e->message,
			    "--model: expected a model file or the name of a shipped model, got ''");
}

/* --set: its own syntax errors, then errors in what it sets, located at
 * "--set" and the key (the lines of the text it builds mean nothing to
 * the user). */
static void test_config_set_errors_name_the_option_and_key(void **state)
{
	static const struct {
		const char *arg;
		const char *msg;	/* exact */
	} syntax[] = {
		{ "novalue", "--set: expected section.key=value, got 'novalue'" },
		{ "vswitch=4", "--set: expected section.key=value, got 'vswitch=4'" },
		{ ".cores=4", "--set: expected section.key=value, got '.cores=4'" },
		{ "vswitch.=4", "--set: expected section.key=value, got 'vswitch.=4'" },
		{ "", "--set: expected section.key=value, got ''" },
		{ "vswitch.cores=4\n[host]\ncores=1",
		  "--set: expected section.key=value on one line, got "
		  "'vswitch.cores=4\\n[host]\\ncores=1'" },
		/* each names the argument, not a line of the text built from them */
		{ "a]b.c=1", "--set: expected a section name without '[', ']' or control characters, "
			     "got 'a]b' in 'a]b.c=1'" },
		{ "vswitch.co res=1",
		  "--set: expected a key of letters, digits and '_', got 'co res' in 'vswitch.co res=1'" },
		{ "vswitch.cores=\xff", "--set: expected UTF-8 text, got 'vswitch.cores=\\377'" },
	};
	static const struct {
		const char *arg;
		const char *msg;	/* exact */
	} values[] = {
		{ "vswitch.cores=0", "--set vswitch.cores: expected a whole number from 1 to 1024, got '0'" },
		{ "vswitch.corez=4", "--set vswitch.corez: unknown key (did you mean 'cores'?)" },
		{ "nosuch.key=1", "--set [nosuch]: no such section in the scenario or the model" },
		{ "traffic.rate=1Gbit",
		  "--set traffic.rate: expected a bit rate such as 25Gbps (bps, kbps, Mbps, Gbps, "
		  "Tbps) or a packet rate such as 100kpps (pps, kpps, Mpps) or a percentage such as "
		  "30% (%), got '1Gbit' (unknown unit 'Gbit'; did you mean 'Gbps'?)" },
		{ "scenario.duration=0s",
		  "--set scenario.duration: expected a value above zero and at most 1e+06s, got '0s'" },
		{ "scenario.warmup=1s", "--set scenario.warmup: expected less than the duration (0.1s)" },
		{ "scenario.model=defualt",
		  "--set scenario.model: no shipped model called 'defualt' (did you mean 'default'?)" },
		{ "scenario.model=",
		  "--set scenario.model: expected a model file or the name of a shipped model, got ''" },
		{ "vf.flow_offload=gtf",
		  "--set vf.flow_offload: expected one of gft, none, got 'gtf' (did you mean 'gft'?)" },
	};
	g_autofree char *path = data_path("good", "scenario-override.ini");

	for (size_t i = 0; i < G_N_ELEMENTS(syntax); i++) {
		char *args[] = { (char *)syntax[i].arg, NULL };
		g_autoptr(GError) e = NULL;
		g_autoptr(kf) k = scenario_sets_from_args(args, &e);

		assert_null(k);
		assert_string_equal(e->message, syntax[i].msg);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
		char *args[] = { (char *)values[i].arg, NULL };
		g_autoptr(GError) e = NULL;
		g_autoptr(kf) k = scenario_sets_from_args(args, &e);

		if (!k)
			fail_msg("%s: %s", values[i].arg, e->message);
		g_autoptr(scenario) s = scenario_load(path, NULL, k, &e);
		assert_null(s);
		if (strcmp(e->message, values[i].msg))
			fail_msg("%s:\n  %s\nwant\n  %s", values[i].arg, e->message, values[i].msg);
	}
	/* NULL or an empty list sets nothing */
	g_autoptr(GError) e = NULL;
	g_autoptr(kf) none = scenario_sets_from_args(NULL, &e);
	assert_non_null(none);
	g_auto(GStrv) groups = g_key_file_get_groups(none->keys, NULL);
	assert_null(groups[0]);
}

/* The memory estimate adds up what the input decides, and the limit
 * refuses at the key behind the largest part: 40 sources of 2^24 flows
 * (each within range) once took 15 GB; 1000000Mpps was born 5e7 packets a
 * window at a time.  A raised limit lets them load (they are not run). */
static void test_config_memory_estimate_and_limit(void **state)
{
	g_autofree char *flows = data_path("bad", "scenario-flow-state-above-limit.ini");
	g_autofree char *small = data_path("good", "scenario-shipped-model.ini");
	g_autoptr(GError) e = NULL;
	g_autoptr(scenario) s = scenario_load_limited(flows, NULL, NULL, UINT64_C(32) << 30, &e);

	if (!s)
		fail_msg("%s", e->message);
	g_autoptr(GString) parts = g_string_new(NULL);
	uint64_t est = scenario_memory_estimate(s, parts);
	print_message("  40 x 2^24 flows: %s\n", parts->str);
	/* 24 bytes a flow (12 on each path) */
	assert_true(est >= 40.0 * 16777216 * 24 && est < 40.0 * 16777216 * 24 + (200 << 20));
	assert_non_null(strstr(parts->str, "flow state 15.0 GiB"));

	/* a small scenario: well below the limit, and a limit below it refuses */
	g_autoptr(scenario) q = scenario_load(small, NULL, NULL, &e);
	if (!q)
		fail_msg("%s", e->message);
	uint64_t small_est = scenario_memory_estimate(q, NULL);
	assert_true(small_est > (32 << 20) && small_est < (256 << 20));
	g_autoptr(scenario) none = scenario_load_limited(small, NULL, NULL, small_est - 1, &e);
	assert_null(none);
	assert_non_null(strstr(e->message, "above the memory limit of"));
	g_clear_error(&e);

	/* packets born per window: rate x window, on each path */
	char *sets[] = { "traffic.rate=1000000Mpps", NULL };
	g_autoptr(kf) k = scenario_sets_from_args(sets, &e);
	assert_non_null(k);
	g_autoptr(scenario) fast = scenario_load(small, NULL, k, &e);
	assert_null(fast);
	assert_true(g_str_has_prefix(e->message, "--set traffic.rate: 5e+07 packets born per "
						 "engine window of 50us, "));
	assert_non_null(strstr(e->message, "above the memory limit of 2.0 GiB"));
}

/* ---- good files ---- */

static struct model *load_model(const char *path)
{
	g_autoptr(GError) e = NULL;
	struct model *m = model_load(path, NULL, 0, &e);

	if (!m)
		fail_msg("%s", e->message);
	return m;
}

static struct scenario *load_scenario(const char *path, const char *model_ref, char **sets)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(kf) k = NULL;

	if (sets) {
		k = scenario_sets_from_args(sets, &e);
		if (!k)
			fail_msg("%s", e->message);
	}
	struct scenario *s = scenario_load(path, model_ref, k, &e);
	if (!s)
		fail_msg("%s", e->message);
	return s;
}

static void test_config_model_overrides_keys_and_defaults_the_rest(void **state)
{
	g_autofree char *path = data_path("good", "model-override.ini");
	g_autoptr(model) m = load_model(path);
	const struct vswitch_params *vs = model_params(m, "vswitch");
	const struct wire_params *w = model_params(m, "wire");
	const struct nic_params *nic = model_params(m, "nic");

	assert_string_equal(m->path, path);
	assert_string_equal(m->name, "override");
	assert_string_equal(m->description, "a few keys changed from the defaults");
	/* set in the file (with trailing comments) */
	assert_int_equal(m->host.cores, 8);
	assert_true(m->host.freq_hz == 3e9);
	assert_int_equal(vs->cores, 4);
	assert_int_equal(vs->cycles.kind, DIST_LOGNORMAL);
	assert_true(vs->cycles.a == 3000 && vs->cycles.b == 500);
	assert_true(w->rate_bps == 100e9);
	/* defaults */
	assert_int_equal(vs->batch, 32);
	assert_true(vs->flow_miss_cycles > 0);
	assert_true(w->propagation_s == 1e-6);
	assert_true(w->framing_bytes == 20);
	assert_int_equal(nic->rx_ring, 1024);
	assert_true(nic->irq_coalesce_s == 8e-6);
	/* the VM size fills vcpus and bandwidth: Standard_D3_v2 */
	assert_string_equal(m->vm.size, "Standard_D3_v2");
	assert_int_equal(m->vm.vcpus, 4);
	assert_true(m->vm.bandwidth_bps == 3000e6);
	/* every component has its section, in registry order */
	assert_int_equal(m->sections->len, component_registry_len);
	for (size_t i = 0; i < component_registry_len; i++)
		assert_ptr_equal(model_section(m, component_registry[i]->kind)->ops,
				 component_registry[i]);
	assert_null(model_section(m, "no-such-component"));
}

/* vswitch.cores: default 2, model file 4, scenario 6, --set 12; each layer
 * wins over those below it, and keys a layer leaves alone fall through. */
static void test_config_overrides_take_precedence_in_order(void **state)
{
	g_autofree char *path = data_path("good", "scenario-override.ini");
	g_autoptr(scenario) s = load_scenario(path, NULL, NULL);
	const struct vswitch_params *vs = model_params(s->model, "vswitch");

	assert_string_equal(s->model->name, "override");
	assert_int_equal(vs->cores, 6);			/* the scenario's */
	assert_true(vs->cycles.a == 3000);		/* the model file's */
	assert_int_equal(vs->batch, 32);		/* the default */
	assert_int_equal(s->model->host.cores, 8);	/* the model file's */

	char *sets[] = { "vswitch.cores=12", "host.cores=20", "vswitch.batch=64",
			 "scenario.seed=99", NULL };
	g_autoptr(scenario) o = load_scenario(path, NULL, sets);
	vs = model_params(o->model, "vswitch");
	assert_int_equal(vs->cores, 12);		/* --set over the scenario */
	assert_int_equal(o->model->host.cores, 20);	/* --set over the model file */
	assert_int_equal(vs->batch, 64);		/* --set over the default */
	assert_true(vs->cycles.a == 3000);		/* the model file's still */
	assert_int_equal(o->seed, 99);			/* --set reaches [scenario] */
	assert_int_equal(s->seed, 7);

	/* --model replaces the scenario's model; its overrides still apply */
	g_autoptr(scenario) d = load_scenario(path, "default", NULL);
	assert_string_equal(d->model->name, "default");
	assert_int_equal(((const struct vswitch_params *)model_params(d->model, "vswitch"))->cores, 6);
	assert_int_equal(d->model->host.cores, 16);
	assert_string_equal(d->model_ref, "default");
}

static void test_config_scenario_names_its_model_by_path_or_name(void **state)
{
	g_autofree char *by_name = data_path("good", "scenario-shipped-model.ini");
	g_autofree char *by_path = data_path("good", "scenario-relative-path.ini");
	g_autofree char *relative = data_path("good", "scenario-override.ini");
	g_autofree char *shipped = datadir_find("models", "default", ".ini");
	g_autofree char *local = data_path("good", "model-override.ini");
	g_autoptr(scenario) a = load_scenario(by_name, NULL, NULL);
	g_autoptr(scenario) b = load_scenario(by_path, NULL, NULL);
	g_autoptr(scenario) c = load_scenario(relative, NULL, NULL);

	assert_non_null(shipped);
	assert_string_equal(a->model_ref, "default");
	assert_string_equal(a->model->path, shipped);
	assert_string_equal(b->model_ref, "../../../models/default.ini");
	assert_string_equal(a->model->name, b->model->name);
	assert_int_equal(a->model->host.cores, b->model->host.cores);
	assert_string_equal(c->model->path, local);
	/* the rate keeps its kind */
	assert_int_equal(a->traffic->len, 1);
	struct traffic_spec *t = &g_array_index(a->traffic, struct traffic_spec, 0);
	assert_int_equal(t->rate.kind, UNIT_BITRATE);
	assert_true(t->rate.value == 1e9);
	t = &g_array_index(b->traffic, struct traffic_spec, 0);
	assert_int_equal(t->rate.kind, UNIT_PERCENT);
	assert_true(t->rate.value == 0.1);
}

static void test_config_full_scenario_loads_every_section(void **state)
{
	g_autofree char *path = data_path("good", "scenario-full.ini");
	g_autoptr(scenario) s = load_scenario(path, NULL, NULL);

	assert_string_equal(s->name, "scenario-full");
	assert_string_equal(s->description, "every section a scenario can have");
	assert_true(s->duration_s == 1 && s->warmup_s == 0.1 && s->window_s == 1e-4);
	assert_int_equal(s->seed, 42);

	assert_int_equal(s->traffic->len, 3);
	struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, 0);
	assert_string_equal(t->name, "traffic");
	assert_int_equal(t->pattern, PAT_POISSON);
	assert_int_equal(t->rate.kind, UNIT_PKTRATE);
	assert_true(t->rate.value == 1e5);
	assert_int_equal(t->size.kind, DIST_EMPIRICAL);
	assert_int_equal(t->size.n, 4);
	assert_int_equal(t->flows, 64);
	assert_int_equal(t->flow_size.kind, DIST_EXP);
	assert_true(t->flow_size.a == 100);
	assert_true(t->syn);

	t = &g_array_index(s->traffic, struct traffic_spec, 1);
	assert_string_equal(t->name, "traffic bursts");
	assert_int_equal(t->pattern, PAT_ONOFF);
	assert_int_equal(t->size.kind, DIST_UNIFORM);
	assert_true(t->size.a == 64 && t->size.b == 1518);
	assert_int_equal(t->off.kind, DIST_LOGNORMAL);
	assert_false(t->syn);

	t = &g_array_index(s->traffic, struct traffic_spec, 2);
	assert_string_equal(t->name, "traffic rpc");
	assert_int_equal(t->pattern, PAT_REQRESP);
	assert_int_equal(t->concurrency, 8);
	assert_true(t->think.kind == DIST_CONSTANT && t->think.a == 5e-6);
	assert_true(t->response_size.a == 1024);
	/* defaults of an unset size */
	assert_true(t->size.kind == DIST_CONSTANT && t->size.a == 64);

	/* events in time order, whatever the file's order */
	assert_int_equal(s->events->len, 2);
	struct event_spec *ev = &g_array_index(s->events, struct event_spec, 0);
	assert_string_equal(ev->name, "event servicing");
	assert_true(ev->at == 0.3);
	assert_int_equal(ev->action, EV_VF_REMOVE);
	assert_int_equal(ev->path, PATHSEL_BOTH);
	ev = &g_array_index(s->events, struct event_spec, 1);
	assert_true(ev->at == 0.6);
	assert_int_equal(ev->action, EV_VF_ADD);

	assert_int_equal(s->loads->len, 1);
	struct load_spec *l = &g_array_index(s->loads, struct load_spec, 0);
	assert_string_equal(l->name, "load noisy");
	assert_int_equal(l->where, LOAD_VSWITCH);
	assert_true(l->utilisation == 0.3);
	assert_true(l->job.kind == DIST_EXP && l->job.a == 20e-6);
	assert_int_equal(l->path, PATHSEL_BOTH);
}

/* Everything that ships loads: every model but the size table, and every
 * scenario, by name as a user would give them. */
static void test_config_shipped_models_and_scenarios_load(void **state)
{
	g_autoptr(GPtrArray) models = datadir_list("models", ".ini");
	g_autoptr(GPtrArray) scenarios = datadir_list("scenarios", ".ini");
	unsigned nm = 0;

	for (guint i = 0; i < models->len; i++) {
		const char *name = models->pdata[i];

		if (!strcmp(name, "sizes"))
			continue;
		g_autoptr(GError) e = NULL;
		g_autoptr(model) m = model_load(name, NULL, 0, &e);
		if (!m)
			fail_msg("models/%s.ini: %s", name, e->message);
		assert_true(m->vm.vcpus >= 1);
		nm++;
	}
	assert_true(nm >= 1);
	assert_true(scenarios->len >= 1);
	for (guint i = 0; i < scenarios->len; i++) {
		g_autoptr(GError) e = NULL;
		g_autoptr(scenario) s = scenario_load(scenarios->pdata[i], NULL, NULL, &e);

		if (!s)
			fail_msg("scenarios/%s.ini: %s", (char *)scenarios->pdata[i], e->message);
		assert_true(s->traffic->len >= 1);
	}
}

/* ---- VM sizes ---- */

/* The bandwidths the model is calibrated with (models/sizes.ini, from the
 * published tables): exact, in bit/s. */
static void test_config_vm_sizes_keep_their_calibration_constants(void **state)
{
	static const struct {
		const char *name;
		unsigned vcpus;
		double bps;
	} sizes[] = {
		{ "Standard_D3_v2", 4, 3000e6 },     { "Standard_D2_v5", 2, 12500e6 },
		{ "Standard_D4_v5", 4, 12500e6 },    { "Standard_D8_v5", 8, 12500e6 },
		{ "Standard_D16_v5", 16, 12500e6 },  { "Standard_D96_v5", 96, 35000e6 },
		{ "Standard_A1_v2", 1, 250e6 },
	};
	g_autoptr(GError) e = NULL;
	g_autoptr(GArray) table = vm_sizes_load(&e);

	if (!table)
		fail_msg("%s", e->message);
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		const struct vm_size *s = vm_sizes_find(table, sizes[i].name);

		if (!s)
			fail_msg("%s missing", sizes[i].name);
		assert_int_equal(s->vcpus, sizes[i].vcpus);
		if (s->bandwidth_bps != sizes[i].bps)
			fail_msg("%s: %.17g bit/s, want %.17g", sizes[i].name, s->bandwidth_bps,
				 sizes[i].bps);
	}
	/* names match whatever their case; unknown ones are NULL */
	assert_non_null(vm_sizes_find(table, "standard_d3_V2"));
	assert_null(vm_sizes_find(table, "Standard_D3_v3"));
}

static void test_config_vm_size_supports_an(void **state)
{
	static const struct {
		const char *name;
		bool ok;
		const char *why;	/* fragment */
	} an[] = {
		/* hyperthreaded with 2 vCPUs: the rule wants 4 */
		{ "Standard_D2s_v3", false, "hyperthreading need at least 4 vCPUs" },
		{ "Standard_D4_v3", true, "hyperthreaded with at least 4 vCPUs" },
		{ "Standard_D3_v2", true, "at least 2 vCPUs" },
		{ "Standard_A1_v2", false, "the Av2 series lists no accelerated networking" },
		{ "Standard_D2_v5", true, "required" },
		{ "Standard_D1_v2", true, "single NIC" },
	};
	g_autoptr(GError) e = NULL;
	g_autoptr(GArray) table = vm_sizes_load(&e);

	assert_non_null(table);
	for (size_t i = 0; i < G_N_ELEMENTS(an); i++) {
		const struct vm_size *s = vm_sizes_find(table, an[i].name);
		const char *why = NULL;

		assert_non_null(s);
		if (vm_size_supports_an(s, &why) != an[i].ok)
			fail_msg("%s: %s (%s)", an[i].name, an[i].ok ? "refused" : "allowed", why);
		assert_non_null(why);
		if (!strstr(why, an[i].why))
			fail_msg("%s: '%s' lacks '%s'", an[i].name, why, an[i].why);
	}
	/* the D2_v5 has it on by default: that is what "required" means */
	assert_int_equal(vm_sizes_find(table, "Standard_D2_v5")->accelerated, -1);
}

/* ---- the key-file layer ---- */

static void test_config_kf_indexes_groups_and_keys(void **state)
{
	static const char text[] = "# comment\n"
				   "[host]\n"
				   "cores = 16\n"
				   "\n"
				   "   # also a comment\n"
				   "  freq=2.6GHz  \n"
				   "[traffic bursts]\n"
				   "rate = 1kpps\n";
	g_autoptr(GError) e = NULL;
	g_autoptr(kf) k = kf_load_data("dir/text.ini", text, &e);

	assert_non_null(k);
	assert_string_equal(k->path, "dir/text.ini");
	assert_string_equal(k->dir, "dir");
	assert_int_equal(kf_line(k, "host", NULL), 2);
	assert_int_equal(kf_line(k, "host", "cores"), 3);
	assert_int_equal(kf_line(k, "host", "freq"), 6);
	assert_int_equal(kf_line(k, "traffic bursts", NULL), 7);
	assert_int_equal(kf_line(k, "traffic bursts", "rate"), 8);
	assert_int_equal(kf_line(k, "host", "rate"), 0);
	assert_int_equal(kf_line(k, "nosuch", NULL), 0);
}

/* Whitespace GKeyFile would read differently (CR line ends, a form feed
 * after a header, tabs around '=') is read as the line index read it. */
static void test_config_kf_parses_what_it_indexed(void **state)
{
	static const char text[] = "[host]\r\n"
				   "cores\t=\t16\r\n"
				   "[vswitch]\f\n"
				   "  cores=2 \f\n";
	g_autoptr(GError) e = NULL;
	g_autoptr(kf) k = kf_load_data("ws.ini", text, &e);

	if (!k)
		fail_msg("%s", e->message);
	g_autofree char *hc = g_key_file_get_value(k->keys, "host", "cores", NULL);
	g_autofree char *vc = g_key_file_get_value(k->keys, "vswitch", "cores", NULL);
	assert_string_equal(hc, "16");
	assert_string_equal(vc, "2");
	assert_int_equal(kf_line(k, "vswitch", "cores"), 4);
}

static void test_config_kf_nearest_suggests_close_names(void **state)
{
	static const char *const keys[] = { "cores", "cycles_per_packet", "batch_cycles",
					    "flow_miss_cycles", "batch" };
	static const struct {
		const char *word;
		const char *want;	/* NULL: no suggestion */
	} s[] = {
		{ "cycles_per_pkt", "cycles_per_packet" },
		{ "cycle_per_packet", "cycles_per_packet" },
		{ "Cores", "cores" },
		{ "corez", "cores" },
		{ "batchh", "batch" },
		{ "flow_miss", "flow_miss_cycles" },
		{ "zzzzzzzz", NULL },
		{ "x", NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(s); i++) {
		const char *got = kf_nearest(s[i].word, keys, G_N_ELEMENTS(keys));

		if (g_strcmp0(got, s[i].want))
			fail_msg("'%s': got %s, want %s", s[i].word, got ? got : "NULL",
				 s[i].want ? s[i].want : "NULL");
	}
}

/* Help is printed from the same tables that parse: every key appears. */
static void test_config_help_lists_every_section(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	model_print_help(f, true);
	scenario_print_help(f, false);
	fclose(f);
	for (size_t i = 0; i < component_registry_len; i++) {
		const struct component_ops *ops = component_registry[i];

		for (size_t k = 0; k < ops->nkeys; k++) {
			g_autofree char *row = g_strdup_printf("| `%s` |", ops->keys[k].name);

			if (!strstr(buf, row))
				fail_msg("help lacks %s.%s", ops->kind, ops->keys[k].name);
		}
	}
	assert_non_null(strstr(buf, "[traffic NAME]"));
	assert_non_null(strstr(buf, "cycles_per_packet"));
	free(buf);
}

/* ---- fuzz regressions ---- */

static unsigned replay(const char *target, int (*one)(const uint8_t *, size_t))
{
	g_autofree char *dir = g_build_filename(tu_datadir(), "fuzz-regressions", target, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	unsigned n = 0;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *data = NULL;
		gsize len;

		assert_true(g_file_get_contents(path, &data, &len, NULL));
		assert_int_equal(one((const uint8_t *)data, len), 0);
		n++;
	}
	return n;
}

/* Every input fuzz_model or fuzz_scenario once failed on passes their checks
 * now; the shipped files, as fuzz inputs, pass them too. */
static void test_config_fuzz_regressions_pass(void **state)
{
	replay("model", fuzz_model_one);
	replay("scenario", fuzz_scenario_one);

	g_autofree char *mpath = datadir_find("models", "default", ".ini");
	g_autofree char *scen = datadir_find("scenarios", "quickstart", ".ini");
	g_autofree char *mtext = NULL, *stext = NULL;
	gsize mlen, slen;

	assert_true(g_file_get_contents(mpath, &mtext, &mlen, NULL));
	assert_true(g_file_get_contents(scen, &stext, &slen, NULL));
	assert_int_equal(fuzz_model_one((const uint8_t *)mtext, mlen), 0);
	assert_int_equal(fuzz_scenario_one((const uint8_t *)stext, slen), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_bad_files_name_file_line_and_key),
		cmocka_unit_test(test_config_every_bad_file_is_tested),
		cmocka_unit_test(test_config_every_error_in_a_file_is_reported),
		cmocka_unit_test(test_config_model_errors_point_into_the_model),
		cmocka_unit_test(test_config_missing_files_are_named),
		cmocka_unit_test(test_config_set_errors_name_the_option_and_key),
		cmocka_unit_test(test_config_memory_estimate_and_limit),
		cmocka_unit_test(test_config_model_overrides_keys_and_defaults_the_rest),
		cmocka_unit_test(test_config_overrides_take_precedence_in_order),
		cmocka_unit_test(test_config_scenario_names_its_model_by_path_or_name),
		cmocka_unit_test(test_config_full_scenario_loads_every_section),
		cmocka_unit_test(test_config_shipped_models_and_scenarios_load),
		cmocka_unit_test(test_config_vm_sizes_keep_their_calibration_constants),
		cmocka_unit_test(test_config_vm_size_supports_an),
		cmocka_unit_test(test_config_kf_indexes_groups_and_keys),
		cmocka_unit_test(test_config_kf_parses_what_it_indexed),
		cmocka_unit_test(test_config_kf_nearest_suggests_close_names),
		cmocka_unit_test(test_config_help_lists_every_section),
		cmocka_unit_test(test_config_fuzz_regressions_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
