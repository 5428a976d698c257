/* cmd_real.c: `accelsim real check|measure|cleanup|calibrate|validate`, the
 * command line of real mode: options in, real.h calls, reports out.
 * argv[0] is "real"; each sub-subcommand has its own GOptionContext and
 * --help.  Exit status: 0 ok, 1 the measurement failed, 2 bad usage or not
 * possible here (no root, no network namespaces). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate/calibrate.h"
#include "calibrate/measurement.h"
#include "calibrate/mirror.h"
#include "cli/cli.h"
#include "cmd.h"
#include "core/msg.h"
#include "core/units.h"
#include "real/real.h"
#include "report/report.h"
#include "sweep/results.h"

#define USAGE_CHECK "accelsim real check [--dev=<if>] [--sysfs=<dir>] [--replies=<dir>] " \
	"[--save-replies=<dir>]"
#define USAGE_MEASURE "accelsim real measure (--emulate [--vswitch-rules=<n>] | " \
	"--vf=<if> --via=<if> --peer=<if>) [--rate=<r> | --rates=<from>..<to>/<step>] " \
	"[<options>] [--json|--csv] [-o <dir>]"
#define USAGE_CLEANUP "accelsim real cleanup"
#define USAGE_CALIBRATE "accelsim real calibrate (--emulate | --vf=<if> --via=<if> " \
	"--peer=<if>) -o <model.ini> [--keep=<dir>]"
#define USAGE_VALIDATE "accelsim real validate [--model=<file>] (--emulate | --vf=<if> " \
	"--via=<if> --peer=<if>) [--max-error=[<figure>=]<pct>]... [--plot=<dir>] [--keep=<dir>]"
#define USAGE_REAL "accelsim real (check|measure|cleanup|calibrate|validate) [<options>]"

/* Standard output must be open before anything is measured: a report
 * with nowhere to go loses the measurement.  A closed descriptor 1 is
 * also filled with /dev/null, so no socket or namespace file opened later
 * lands on it and receives the report. */
static bool stdout_usable(GError **error)
{
	if (fcntl(STDOUT_FILENO, F_GETFL) >= 0)
		return true;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd >= 0 && fd != STDOUT_FILENO)
		close(fd);
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
		    "cannot write the report: standard output is closed");
	return false;
}

/* Flush stdout and make sure everything written got there.  errno must
 * have been cleared before the writing began: a write that failed in the
 * middle of it set errno then, and a later fflush() may not set it again. */
static bool flush_stdout(GError **error)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot write the report: %s",
			    g_strerror(errno ? errno : EIO));
		return false;
	}
	return true;
}

static bool write_report(const struct run_result *r, enum report_format fmt, GError **error)
{
	errno = 0;
	report_write(stdout, r, fmt);
	return flush_stdout(error);
}

/* --rate R: packets per second, or a share of the saturation rate. */
static bool parse_rate(const char *text, struct real_measure_opts *o, GError **error)
{
	struct quantity q;
	GError *err = NULL;

	if (!units_parse(text, UNIT_PKTRATE | UNIT_PERCENT, &q, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "--rate: %s", err->message);
		g_error_free(err);
		return false;
	}
	if (!(q.value > 0)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "--rate: expected a rate above 0, got '%s'", text);
		return false;
	}
	if (q.kind == UNIT_PERCENT)
		o->rate_frac = q.value;
	else
		o->rate_pps = q.value;
	return true;
}

/* result.txt, .json, .csv and .ini of r into dir, as `run -o` writes them;
 * each file whole or not at all. */
static bool write_result_dir(const char *dir, const struct run_result *r, GError **error)
{
	static const struct {
		const char *file;
		enum report_format fmt;
	} outs[] = { { "result.txt", REPORT_TABLE },
		     { "result.json", REPORT_JSON },
		     { "result.csv", REPORT_CSV } };

	if (g_mkdir_with_parents(dir, 0777) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s",
			    dir, g_strerror(errno));
		return false;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(outs); i++) {
		g_autofree char *path = g_build_filename(dir, outs[i].file, NULL);
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		GError *err = NULL;
		bool ok;

		report_write(f, r, outs[i].fmt);
		fclose(f);
		ok = g_file_set_contents(path, text, (gssize)len, &err);
		free(text);
		if (!ok) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "cannot write '%s': %s", path, err->message);
			g_error_free(err);
			return false;
		}
	}
	g_autoptr(GKeyFile) k = run_result_to_keyfile(r);
	g_autofree char *ini = g_build_filename(dir, "result.ini", NULL);
	GError *err = NULL;

	if (!g_key_file_save_to_file(k, ini, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    ini, err->message);
		g_error_free(err);
		return false;
	}
	return true;
}

/* sweep.json and sweep.csv into dir, and each point's run into
 * dir/point-NN (numbered as `accelsim sweep` numbers them), so that
 * `accelsim plot` and `merge` read the curve back as they read a sweep. */
static bool write_sweep(const char *dir, const struct sweep_results *sr, GError **error)
{
	if (!sweep_results_save(dir, sr, error))
		return false;
	for (guint i = 0; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];
		g_autofree char *name = sweep_point_dirname(pt->index, sr->points_expected);
		g_autofree char *sub = g_build_filename(dir, name, NULL);

		if (!write_result_dir(sub, pt->runs->pdata[0], error))
			return false;
	}
	return true;
}

/* The scenario mirroring r, naming model (default: the shipped stand-in). */
static bool write_mirror(const char *path, const char *model, const struct run_result *r,
			 GError **error)
{
	struct conditions c;

	if (!conditions_from_result(r, &c, error))
		return false;
	return mirror_write(path, model ? model : "netns-standin", &c, mirror_kind_of(&c),
			    c.rate_pps, error);
}

/* Parse argv with entries; on failure print the error and usage, and
 * return FALSE with *code set. */
static bool parse(int *argc, char ***argv, const char *summary, const char *usage,
		  const GOptionEntry *entries, int *code)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);

	g_option_context_set_summary(ctx, summary);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse(ctx, argc, argv, usage)) {
		*code = EXIT_INPUT;
		return false;
	}
	if (*argc > 1) {
		msg_error("unexpected argument '%s'", (*argv)[1]);
		msg_usage("%s", usage);
		*code = EXIT_INPUT;
		return false;
	}
	return true;
}

static int real_check_cmd(int argc, char **argv)
{
	struct real_check_opts o = { 0 };
	g_autofree char *dev = NULL, *sysfs = NULL, *replies = NULL, *save = NULL;
	GError *err = NULL;
	int code;
	const GOptionEntry entries[] = {
		{ "dev", 0, 0, G_OPTION_ARG_STRING, &dev,
		  "Report only this device, with its driver and vf_* counters", "IF" },
		{ "sysfs", 0, 0, G_OPTION_ARG_FILENAME, &sysfs,
		  "Read this copy of sysfs instead of /sys", "DIR" },
		{ "replies", 0, 0, G_OPTION_ARG_FILENAME, &replies,
		  "Read recorded ethtool replies (IF.drvinfo, IF.gstrings, IF.gstats) "
		  "instead of asking the kernel", "DIR" },
		{ "save-replies", 0, 0, G_OPTION_ARG_FILENAME, &save,
		  "Also write the ethtool replies read, to replay them elsewhere", "DIR" },
		G_OPTION_ENTRY_NULL,
	};

	if (!parse(&argc, &argv, "What this machine offers: SR-IOV devices and their VFs, "
		   "synthetic devices with a VF\nbeneath them, and whether accelerated "
		   "networking carries traffic. Reads only.", USAGE_CHECK, entries, &code))
		return code;
	o.dev = dev;
	o.sysfs = sysfs;
	o.replies = replies;
	o.save = save;
	errno = 0;
	if (!real_check(stdout, &o, &err) || !flush_stdout(&err))
		return msg_fail(err);
	return EXIT_OK;
}

static int real_measure_cmd(int argc, char **argv)
{
	/* the command line as given, before option parsing takes it apart */
	g_autofree char *args = provenance_command(argc, argv);
	g_autofree char *command = g_strdup_printf("accelsim real %s", args);
	struct real_measure_opts o;
	g_autofree char *vf = NULL, *via = NULL, *peer = NULL;
	g_autofree char *rate = NULL, *rates = NULL, *outdir = NULL;
	g_autofree char *scenario_out = NULL, *mirror_model = NULL;
	gboolean emulate = FALSE, json = FALSE, csv = FALSE, separate = FALSE, no_pin = FALSE;
	gint64 count, warmup, flood_count;
	struct real_rates range;
	int size;
	GError *err = NULL;
	int code;

	real_measure_opts_init(&o);
	count = (gint64)o.count;
	warmup = (gint64)o.warmup;
	flood_count = (gint64)o.flood_count;
	size = (int)o.size;
	const GOptionEntry entries[] = {
		{ "emulate", 0, 0, G_OPTION_ARG_NONE, &emulate,
		  "Measure a stand-in built from network namespaces (needs root)", NULL },
		{ "vswitch-rules", 0, 0, G_OPTION_ARG_INT, &o.vswitch_rules,
		  "With --emulate: nftables rules on the bridge (default 0)", "N" },
		{ "vf", 0, 0, G_OPTION_ARG_STRING, &vf,
		  "Accelerated path: this spare VF netdev (moved into a namespace for the run)", "IF" },
		{ "via", 0, 0, G_OPTION_ARG_STRING, &via,
		  "Normal path: this spare interface behind the host's bridge or Open vSwitch", "IF" },
		{ "peer", 0, 0, G_OPTION_ARG_STRING, &peer,
		  "Server end reached by both paths (e.g. another VF of the same device)", "IF" },
		{ "count", 'n', 0, G_OPTION_ARG_INT64, &count,
		  "Measured ping-pong messages per path (default 20000)", "N" },
		{ "warmup", 0, 0, G_OPTION_ARG_INT64, &warmup,
		  "Messages exchanged before measuring (default 2000)", "N" },
		{ "rounds", 0, 0, G_OPTION_ARG_INT, &o.rounds,
		  "Alternate the paths this many times (default 10)", "N" },
		{ "size", 's', 0, G_OPTION_ARG_INT, &size,
		  "UDP payload in bytes, 32 to 1472 (default 64)", "BYTES" },
		{ "flood-time", 0, 0, G_OPTION_ARG_DOUBLE, &o.flood_s,
		  "Flood length per path in seconds (default 1)", "S" },
		{ "flood-count", 0, 0, G_OPTION_ARG_INT64, &flood_count,
		  "Flood at most this many packets per path (default 10000000)", "N" },
		{ "batch", 0, 0, G_OPTION_ARG_INT, &o.batch,
		  "sendmmsg/recvmmsg batch, 1 to 256 (default 32)", "N" },
		{ "window", 0, 0, G_OPTION_ARG_INT, &o.window,
		  "Flood: at most N packets sent and not yet received (default 64; 0: unbounded)",
		  "N" },
		{ "rate", 0, 0, G_OPTION_ARG_STRING, &rate,
		  "Latency under load: a stream paced at R (e.g. 50kpps, or 50% of the slower "
		  "path's saturation rate, measured first) instead of ping-pong and flood", "R" },
		{ "rates", 0, 0, G_OPTION_ARG_STRING, &rates,
		  "A latency-vs-load curve: --rate at each load of FROM..TO/STEP (e.g. "
		  "10%..100%/10%), written as sweep.json and sweep.csv", "RANGE" },
		{ "cpu", 0, 0, G_OPTION_ARG_INT, &o.cpu,
		  "Client core (default: the highest allowed)", "N" },
		{ "separate-cores", 0, 0, G_OPTION_ARG_NONE, &separate,
		  "Put the server on another core than the client", NULL },
		{ "no-pin", 0, 0, G_OPTION_ARG_NONE, &no_pin,
		  "Let the scheduler place client and server", NULL },
		{ "busy-poll", 0, 0, G_OPTION_ARG_INT, &o.busy_poll_us,
		  "Busy-poll receives: SO_BUSY_POLL of this many us and spinning (default 0: off)", "US" },
		{ "time-limit", 0, 0, G_OPTION_ARG_DOUBLE, &o.time_limit_s,
		  "Stop measuring after this many seconds (default 60)", "S" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV", NULL },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir,
		  "Also write the results into DIR, as 'run -o' does (with --rates: "
		  "sweep.json, sweep.csv and a directory per point)", "DIR" },
		{ "scenario-out", 0, 0, G_OPTION_ARG_FILENAME, &scenario_out,
		  "Also write a scenario that mirrors this run, for 'accelsim run' (not with "
		  "--rates)", "FILE" },
		{ "mirror-model", 0, 0, G_OPTION_ARG_FILENAME, &mirror_model,
		  "The model that scenario names (default netns-standin)", "FILE" },
		G_OPTION_ENTRY_NULL,
	};

	if (!parse(&argc, &argv, "Measure latency, jitter, packets per second and CPU over "
		   "the normal and the accelerated\npath, and print them as the simulator "
		   "does. Everything it builds is removed at the end.", USAGE_MEASURE,
		   entries, &code))
		return code;
	if (json && csv) {
		msg_conflict("--json", "--csv");
		msg_usage("%s", USAGE_MEASURE);
		return EXIT_INPUT;
	}
	if (rate && rates) {
		msg_error("--rate and --rates: expected one of them, got both");
		msg_usage("%s", USAGE_MEASURE);
		return EXIT_INPUT;
	}
	if (rate && !parse_rate(rate, &o, &err))
		return msg_fail(err);
	if (scenario_out && rates) {
		msg_error("--scenario-out: expected a run without --rates (one scenario mirrors "
			  "one run), got both");
		return EXIT_INPUT;
	}
	if (rates && !real_rates_parse(rates, &range, &err))
		return msg_fail(err);
	if (count < 1 || warmup < 0 || flood_count < 1 || size < 0) {
		msg_error("%s: expected a positive number, got '%" G_GINT64_FORMAT "'",
			  count < 1 ? "--count" : warmup < 0 ? "--warmup" :
			  flood_count < 1 ? "--flood-count" : "--size",
			  count < 1 ? count : warmup < 0 ? warmup :
			  flood_count < 1 ? flood_count : (gint64)size);
		return EXIT_INPUT;
	}
	o.emulate = emulate;
	o.vf = vf;
	o.via = via;
	o.peer = peer;
	o.count = (uint64_t)count;
	o.warmup = (uint64_t)warmup;
	o.flood_count = (uint64_t)flood_count;
	o.size = (size_t)size;
	o.separate_cores = separate;
	o.no_pin = no_pin;

	if (!stdout_usable(&err))
		return msg_fail(err);
	if (rates) {
		g_autoptr(sweep_results) sr = real_measure_sweep(&o, &range, &err);

		if (!sr)
			return msg_fail(err);
		/* each point's own run is what its folder keeps */
		for (guint i = 0; i < sr->points->len; i++) {
			struct sweep_point *pt = sr->points->pdata[i];
			struct run_result *r = pt->runs->pdata[0];

			r->provenance->command = g_strdup(command);
		}
		errno = 0;
		if (json)
			sweep_results_write_json(stdout, sr);
		else if (csv)
			sweep_results_write_csv(stdout, sr);
		else
			sweep_results_write_table(stdout, sr);
		if (!flush_stdout(&err) || (outdir && !write_sweep(outdir, sr, &err)))
			return msg_fail(err);
		return sr->partial ? EXIT_RUNTIME : EXIT_OK;
	}
	g_autoptr(run_result) r = real_measure(&o, &err);
	if (!r)
		return msg_fail(err);
	r->provenance->command = g_strdup(command);
	if (!write_report(r, json ? REPORT_JSON : csv ? REPORT_CSV : REPORT_TABLE, &err) ||
	    (outdir && !write_result_dir(outdir, r, &err)) ||
	    (scenario_out && !write_mirror(scenario_out, mirror_model, r, &err)))
		return msg_fail(err);
	/* cut short by --time-limit or a signal: the figures so far, exit 1 */
	return r->partial ? EXIT_RUNTIME : EXIT_OK;
}

/* The target options calibrate and validate share; TRUE if usable. */
static bool target_from(struct calib_target *t, gboolean emulate, const char *vf, const char *via,
			const char *peer, const char *usage)
{
	t->emulate = emulate;
	t->vf = vf;
	t->via = via;
	t->peer = peer;
	if (emulate ? (vf || via || peer) : !(vf && via && peer)) {
		msg_error("%s", emulate ? "--emulate: expected without --vf, --via and --peer" :
			  "expected --emulate, or all of --vf, --via and --peer");
		msg_usage("%s", usage);
		return false;
	}
	return true;
}

static int real_calibrate_cmd(int argc, char **argv)
{
	struct calibrate_opts o = { 0 };
	g_autofree char *vf = NULL, *via = NULL, *peer = NULL, *out = NULL, *keep = NULL;
	gboolean emulate = FALSE, quick = FALSE;
	GError *err = NULL;
	int code;
	const GOptionEntry entries[] = {
		{ "emulate", 0, 0, G_OPTION_ARG_NONE, &emulate,
		  "Calibrate against the stand-in built from network namespaces (needs root)", NULL },
		{ "vf", 0, 0, G_OPTION_ARG_STRING, &vf, "Hardware: the spare VF (see measure)", "IF" },
		{ "via", 0, 0, G_OPTION_ARG_STRING, &via, "Hardware: the normal path's interface",
		  "IF" },
		{ "peer", 0, 0, G_OPTION_ARG_STRING, &peer, "Hardware: the server end", "IF" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		  "The model file to write (its wake-up table goes beside it)", "FILE" },
		{ "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
		  "Keep the measurements' result files in DIR", "DIR" },
		{ "quick", 0, 0, G_OPTION_ARG_NONE, &quick,
		  "Shorter measurements (less precise; for tests)", NULL },
		G_OPTION_ENTRY_NULL,
	};

	if (!parse(&argc, &argv, "Measure the paths at a few sizes, rule counts and batch sizes "
		   "(about a minute),\nfit the model's parameters by least squares, and write a "
		   "model file whose\nheader says what was measured and each value's "
		   "uncertainty.", USAGE_CALIBRATE, entries, &code))
		return code;
	if (!target_from(&o.target, emulate, vf, via, peer, USAGE_CALIBRATE))
		return EXIT_INPUT;
	if (!out) {
		msg_error("-o: expected the model file to write, got none");
		msg_usage("%s", USAGE_CALIBRATE);
		return EXIT_INPUT;
	}
	o.out = out;
	o.keep = keep;
	o.quick = quick;
	errno = 0;
	if (!real_calibrate(&o, stdout, &err) || !flush_stdout(&err))
		return msg_fail(err);
	return EXIT_OK;
}

static int real_validate_cmd(int argc, char **argv)
{
	struct validate_opts o;
	g_autofree char *vf = NULL, *via = NULL, *peer = NULL, *model = NULL, *plot = NULL;
	g_autofree char *keep = NULL;
	g_auto(GStrv) max_error = NULL;
	gboolean emulate = FALSE, quick = FALSE;
	GError *err = NULL;
	bool passed;
	int code;
	const GOptionEntry entries[] = {
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
		  "The model to check (a file, or a shipped model's name; default netns-standin)",
		  "FILE" },
		{ "emulate", 0, 0, G_OPTION_ARG_NONE, &emulate,
		  "Measure the stand-in built from network namespaces (needs root)", NULL },
		{ "vf", 0, 0, G_OPTION_ARG_STRING, &vf, "Hardware: the spare VF (see measure)", "IF" },
		{ "via", 0, 0, G_OPTION_ARG_STRING, &via, "Hardware: the normal path's interface",
		  "IF" },
		{ "peer", 0, 0, G_OPTION_ARG_STRING, &peer, "Hardware: the server end", "IF" },
		{ "max-error", 0, 0, G_OPTION_ARG_STRING_ARRAY, &max_error,
		  "Threshold: PCT for every judged figure, or FIGURE=PCT (p50, p99, jitter, "
		  "saturation, cpu; 'off' to only report); repeatable", "[FIGURE=]PCT" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot,
		  "Draw measured and predicted latency against load, and per condition, into DIR "
		  "(gnuplot: PNG and SVG)", "DIR" },
		{ "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
		  "Keep measurements, mirroring scenarios and simulations in DIR", "DIR" },
		{ "quick", 0, 0, G_OPTION_ARG_NONE, &quick,
		  "Shorter measurements (less precise; for tests)", NULL },
		G_OPTION_ENTRY_NULL,
	};

	validate_opts_init(&o);
	if (!parse(&argc, &argv, "Measure at conditions calibration did not use, run the "
		   "simulator on scenarios that\nmirror them, and print predicted against "
		   "measured with each relative error and a\nverdict.  Exit 0 when every judged "
		   "figure is within its limit, 1 when one is not.", USAGE_VALIDATE, entries,
		   &code))
		return code;
	if (!target_from(&o.target, emulate, vf, via, peer, USAGE_VALIDATE))
		return EXIT_INPUT;
	for (char **m = max_error; m && *m; m++)
		if (!validate_parse_max_error(&o, *m, &err))
			return msg_fail(err);
	if (model)
		o.model = model;
	o.plot_dir = plot;
	o.keep = keep;
	o.quick = quick;
	errno = 0;
	if (!real_validate(&o, stdout, &passed, &err) || !flush_stdout(&err))
		return msg_fail(err);
	return passed ? EXIT_OK : EXIT_RUNTIME;
}

static int real_cleanup_cmd(int argc, char **argv)
{
	g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func(g_free);
	GError *err = NULL;
	int code;
	const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };

	if (!parse(&argc, &argv, "Remove the network namespaces left by accelsim runs whose "
		   "process is gone (killed with SIGKILL),\ngiving back any interface a "
		   "hardware run had moved.", USAGE_CLEANUP, entries, &code))
		return code;
	real_cleanup_stale(removed, &err);
	for (guint i = 0; i < removed->len; i++)
		printf("removed %s\n", (const char *)g_ptr_array_index(removed, i));
	if (!err && !removed->len)
		printf("nothing to remove: no namespace of a dead accelsim run\n");
	if (!flush_stdout(err ? NULL : &err) || err)
		return msg_fail(err);
	return EXIT_OK;
}

int cmd_real(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub) {
		msg_error("real: expected a subcommand, got none");
		msg_usage("%s", USAGE_REAL);
		return EXIT_INPUT;
	}
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
		printf("usage: %s\n\n"
		       "  check      what this machine offers (SR-IOV, VFs, accelerated networking)\n"
		       "  measure    measure the normal and the accelerated path\n"
		       "  cleanup    remove namespaces left by killed runs\n"
		       "  calibrate  measure, fit the model's parameters, write a model file\n"
		       "  validate   compare a model's predictions with new measurements\n\n"
		       "'accelsim real <subcommand> --help' describes each.\n", USAGE_REAL);
		return EXIT_OK;
	}
	/* their help's "Usage:" line names the subcommand */
	g_autofree char *prg = g_strdup_printf("accelsim real %s", sub);
	g_set_prgname(prg);
	if (!strcmp(sub, "check"))
		return real_check_cmd(argc - 1, argv + 1);
	if (!strcmp(sub, "measure"))
		return real_measure_cmd(argc - 1, argv + 1);
	if (!strcmp(sub, "cleanup"))
		return real_cleanup_cmd(argc - 1, argv + 1);
	if (!strcmp(sub, "calibrate"))
		return real_calibrate_cmd(argc - 1, argv + 1);
	if (!strcmp(sub, "validate"))
		return real_validate_cmd(argc - 1, argv + 1);
	msg_error("real: expected check, measure, cleanup, calibrate or validate, got '%s'", sub);
	msg_usage("%s", USAGE_REAL);
	return EXIT_INPUT;
}
