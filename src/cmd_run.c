/* cmd_run.c: `accelsim run`: simulate a scenario through both paths and
 * print the figures side by side. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "cmd.h"
#include "config/effective.h"
#include "config/scenario.h"
#include "core/msg.h"
#include "core/outdir.h"
#include "engine/engine.h"
#include "report/report.h"

#define RUN_USAGE "accelsim run [--model=<file>] [--seed=<n>] [--set=<section.key=value>]... " \
	"[--interval=<t>] [--json|--csv] [-o <dir>] [-q] <scenario>"

/* Set by the engine's SIGINT handler: Ctrl-C stops the run early. */
static volatile sig_atomic_t stop_requested;

/* The files -o writes: every format, the result key file, and
 * effective.ini, the configuration the run used as a scenario that runs
 * again. */
static const char *const out_names[] = { "result.txt", "result.json", "result.csv",
					 "result.ini", "effective.ini", NULL };

struct out_report {
	const struct run_result *r;
	enum report_format fmt;
};

static bool write_report(FILE *f, const void *data, GError **error)
{
	const struct out_report *o = data;

	report_write(f, o->r, o->fmt);
	return true;
}

static bool write_ini(FILE *f, const void *data, GError **error)
{
	g_autoptr(GKeyFile) k = run_result_to_keyfile(data);
	gsize len;
	g_autofree char *text = g_key_file_to_data(k, &len, NULL);

	fwrite(text, 1, len, f);
	return true;
}

static bool write_effective(FILE *f, const void *data, GError **error)
{
	effective_print(f, data, false);
	return true;
}

/* Write r and e into the directory taken before the run, as one set. */
static bool write_outputs(struct outdir *od, const struct run_result *r, const struct effective *e,
			  GError **error)
{
	const struct out_report txt = { r, REPORT_TABLE }, json = { r, REPORT_JSON },
				csv = { r, REPORT_CSV };
	const struct outdir_file files[] = {
		{ out_names[0], write_report, &txt },	  { out_names[1], write_report, &json },
		{ out_names[2], write_report, &csv },	  { out_names[3], write_ini, r },
		{ out_names[4], write_effective, e },
	};

	return outdir_commit(od, files, G_N_ELEMENTS(files), error);
}

/* What the latency figures of s measure, from its counted sources (the
 * measured VM's); *requests when every one of them is request/response. */
static enum latency_kind latency_of(const struct scenario *s, bool *requests)
{
	enum latency_kind kind = LATENCY_UNKNOWN;
	unsigned counted = 0, rr = 0;

	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);
		enum latency_kind k = t->pattern == PAT_REQRESP ? LATENCY_ROUND_TRIP
				      : t->direction == TDIR_TX ? LATENCY_ONE_WAY_TX
								: LATENCY_ONE_WAY_RX;

		if (t->vm != TVM_SELF)
			continue;
		counted++;
		rr += t->pattern == PAT_REQRESP;
		kind = counted == 1 || kind == k ? k : LATENCY_MIXED;
	}
	*requests = counted && rr == counted;
	return kind;
}

/* Where r came from: the provenance every output prints. */
static struct provenance *provenance_of(const struct scenario *s, const struct effective *e,
					char **sets, const char *command, GError **error)
{
	g_autoptr(provenance) p = provenance_new();

	p->version = g_strdup(PACKAGE_VERSION);
	p->command = g_strdup(command);
	p->scenario_path = g_strdup(e->scenario_path);
	p->model_path = g_strdup(e->model_path);
	p->scenario_sha256 = g_strdup(s->sha256);
	p->model_sha256 = g_strdup(s->model->sha256);
	p->mode = g_strdup(s->force_exact ? "exact" : "auto");
	p->latency = latency_of(s, &p->requests);
	for (char **a = sets; a && *a; a++)
		g_ptr_array_add(p->sets, g_strdup(*a));
	for (guint i = 0; i < e->keys->len; i++) {
		const struct eff_key *k = e->keys->pdata[i];
		g_autofree char *key = g_strdup_printf("%s.%s", k->group, k->spec->name);

		provenance_add_key(p, key, k->value);
	}
	return g_steal_pointer(&p);
}

static void print_engine_stats(const struct scenario *sc, double wall)
{
	const struct engine_stats *st = engine_last_stats();
	g_autoptr(GString) parts = g_string_new(NULL);
	uint64_t estimate = scenario_memory_estimate(sc, parts);
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "memory: estimated %" G_GUINT64_FORMAT " KiB before the run (%s)\n",
		estimate >> 10, parts->str);
	fprintf(stderr,
		"engine: %" G_GUINT64_FORMAT " packets in %.3f s wall: %.0f packets/s; "
		"%" G_GUINT64_FORMAT " SimGrid activities (%.3f per packet), %" G_GUINT64_FORMAT
		" windows of %.3g us (%" G_GUINT64_FORMAT " extra sweeps for loops), %u stages in "
		"exact mode; peak %zu packets in flight, "
		"peak RSS %ld KiB\n",
		st->packets, wall, wall > 0 ? st->packets / wall : 0, st->activities,
		st->packets ? (double)st->activities / st->packets : 0, st->windows,
		st->window_s * 1e6, st->sweeps, st->exact_stages, st->peak_packets, ru.ru_maxrss);
}

/* --interval: a time above zero, at most the measured time, and not so
 * short that the series would outgrow any use (a million intervals). */
static bool parse_interval(const char *text, const struct scenario *s, double *out)
{
	g_autoptr(GError) err = NULL;
	const double measured = s->duration_s - s->warmup_s;
	char m[32];

	if (!units_parse_kind(text, UNIT_TIME, out, &err)) {
		msg_error("--interval: %s", err->message);
		return false;
	}
	units_format(measured, UNIT_TIME, m, sizeof(m));
	if (!(*out > 0)) {
		msg_error("--interval: expected a time above zero, got '%s'", text);
		return false;
	}
	if (*out > measured) {
		msg_error("--interval: expected at most the measured time (%s: duration minus "
			  "warm-up), got '%s'", m, text);
		return false;
	}
	if (measured / *out > 1e6) {
		msg_error("--interval: expected at least a millionth of the measured time (%s), "
			  "got '%s'", m, text);
		return false;
	}
	return true;
}

int cmd_run(int argc, char **argv)
{
	g_autofree char *model_arg = NULL, *out_arg = NULL, *interval_arg = NULL, *seed_arg = NULL;
	g_autofree char *mem_arg = NULL;
	g_auto(GStrv) sets = NULL;
	/* the command as given, before option parsing takes argv apart */
	g_autofree char *args = provenance_command(argc, argv);
	g_autofree char *command = g_strconcat("accelsim ", args, NULL);
	g_autofree char *started = provenance_now();
	gboolean json = FALSE, csv = FALSE, quiet = FALSE, engine_stats = FALSE, force = FALSE;
	GOptionEntry entries[] = {
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "Use this model (a file, or a shipped model's name) instead of the scenario's",
		  "FILE" },
		/* text, not a number: no number can stand for "not given" (-1
		 * once did); as bytes, not converted from the locale's charset,
		 * so that whatever it holds, the message names the option */
		{ "seed", 's', 0, G_OPTION_ARG_FILENAME, &seed_arg, "Override the scenario's seed", "N" },
		/* bytes as given, not converted from the locale's charset:
		 * scenario_sets_from_args checks them and names the option */
		{ "set", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &sets,
		  "Override a model or scenario key, e.g. --set vswitch.cores=4 (repeatable)",
		  "SECTION.KEY=VALUE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of the table", NULL },
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV rows instead of the table", NULL },
		{ "interval", 0, 0, G_OPTION_ARG_STRING, &interval_arg,
		  "Add a time series to JSON and CSV: figures per interval of this length, e.g. "
		  "10ms",
		  "T" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_arg,
		  "Also write result.txt, .json, .csv, .ini and effective.ini into DIR, whole or "
		  "not at all",
		  "DIR" },
		{ "force", 0, 0, G_OPTION_ARG_NONE, &force,
		  "Write into DIR even if it holds files accelsim did not write", NULL },
		{ "max-memory", 0, 0, G_OPTION_ARG_FILENAME, &mem_arg,
		  "Refuse a run estimated to need more memory than SIZE (default 2GiB)", "SIZE" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line", NULL },
		{ "engine-stats", 0, 0, G_OPTION_ARG_NONE, &engine_stats,
		  "Print the engine's own figures on stderr: speed, activities, memory", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO");
	g_autoptr(GError) err = NULL;

	/* EPIPE instead of death by SIGPIPE: see the end of the run */
	signal(SIGPIPE, SIG_IGN);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Simulate SCENARIO (a file, a shipped scenario's name, or - to read it from\n"
		     "standard input) through the normal and the accelerated path, and print\n"
		     "their figures side by side.\n"
		     "Ctrl-C stops early and prints the figures so far, marked partial.");
	g_option_context_set_description(
		ctx, "Examples:\n  accelsim run quickstart\n"
		     "  accelsim run trading --seed 7 --json\n"
		     "  accelsim run web-server --set vswitch.cores=4 -o out/web\n"
		     "  accelsim run calibration/servicing\n"
		     "  accelsim run - < mine.ini\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		/* GLib capitalises its messages; ours start lowercase */
		err->message[0] = g_ascii_tolower(err->message[0]);
		msg_error("%s", err->message);
		msg_usage("%s", RUN_USAGE);
		return EXIT_INPUT;
	}
	if (json && csv) {
		msg_conflict("--json", "--csv");
		msg_usage("%s", RUN_USAGE);
		return EXIT_INPUT;
	}
	/* "--set vswitch.cores 4": the value became an argument of its own */
	for (char **p = sets; p && *p; p++)
		if (!strchr(*p, '=')) {
			if (argc == 3)
				msg_error("--set: expected section.key=value, got '%s' (did you "
					  "mean --set %s=%s?)", *p, *p, argv[2]);
			else
				msg_error("--set: expected section.key=value, got '%s'", *p);
			msg_usage("%s", RUN_USAGE);
			return EXIT_INPUT;
		}
	if (argc != 2) {
		if (argc < 2)
			msg_error("expected a scenario (a file, a shipped scenario's name or - "
				  "for standard input), got none");
		else
			msg_error("expected one scenario, got '%s' and '%s'", argv[1], argv[2]);
		msg_usage("%s", RUN_USAGE);
		return EXIT_INPUT;
	}
	guint64 seed = 0;
	if (seed_arg && !g_ascii_string_to_unsigned(seed_arg, 10, 0, UINT32_MAX, &seed, NULL)) {
		msg_error("--seed: expected a number from 0 to %u, got '%s'", UINT32_MAX,
			  seed_arg);
		return EXIT_INPUT;
	}

	uint64_t max_memory = SCENARIO_MAX_MEMORY;
	if (mem_arg) {
		struct quantity q;
		g_autoptr(GError) e = NULL;

		if (!units_parse(mem_arg, UNIT_SIZE, &q, &e) || !(q.value >= 1) ||
		    !(q.value < 0x1p64)) {
			msg_error("--max-memory: %s", e ? e->message : "expected a size of at least 1B");
			return EXIT_INPUT;
		}
		max_memory = (uint64_t)q.value;
	}

	g_autoptr(kf) setkf = NULL;
	if (sets && !(setkf = scenario_sets_from_args(sets, &err)))
		return msg_fail(g_steal_pointer(&err));
	g_autoptr(scenario) sc = scenario_load_limited(argv[1], model_arg, setkf, max_memory, &err);
	if (!sc)
		return msg_fail(g_steal_pointer(&err));
	if (seed_arg)
		sc->seed = seed;

	double interval_s = 0;
	if (interval_arg && !parse_interval(interval_arg, sc, &interval_s))
		return EXIT_INPUT;
	g_autoptr(effective) e = effective_new(sc, model_arg, setkf, &err);
	if (!e)
		return msg_fail(g_steal_pointer(&err));
	if (seed_arg) {
		g_autofree char *text = g_strdup_printf("%" G_GUINT64_FORMAT, seed);

		if (!effective_override(e, "scenario", "seed", text, "--seed", &err))
			return msg_fail(g_steal_pointer(&err));
	}
	g_autoptr(provenance) prov = provenance_of(sc, e, sets, command, &err);
	if (!prov)
		return msg_fail(g_steal_pointer(&err));
	prov->started = g_steal_pointer(&started);

	/* before the run: a directory that cannot be written fails now */
	g_autoptr(outdir) od = NULL;
	if (out_arg && !(od = outdir_open(out_arg, out_names, force, &err)))
		return msg_fail(g_steal_pointer(&err));

	struct engine_opts opts = {
		.progress = !quiet && isatty(STDERR_FILENO),
		.stop = &stop_requested,
		.interval_s = interval_s,
	};
	g_autoptr(run_result) r = run_result_new();
	gint64 t0 = g_get_monotonic_time();
	if (!engine_run(sc, &opts, r, &err))
		return msg_fail(g_steal_pointer(&err));
	double wall = (g_get_monotonic_time() - t0) / 1e6;
	if (engine_stats)
		print_engine_stats(sc, wall);
	r->interval_s = opts.interval_s;
	prov->wall_s = wall;
	prov->exact_stages = engine_last_stats()->exact_stages;
	r->provenance = g_steal_pointer(&prov);

	/* a reader that went away (| head) ends the output, nothing more:
	 * -o is still written and the exit status is the run's */
	errno = 0;
	report_write(stdout, r, json ? REPORT_JSON : csv ? REPORT_CSV : REPORT_TABLE);
	int out_err = fflush(stdout) != 0 || ferror(stdout) ? (errno ? errno : EIO) : 0;
	if (out_err && out_err != EPIPE)
		msg_error("cannot write the report: %s", g_strerror(out_err));
	if (od && !write_outputs(od, r, e, &err))
		return msg_fail(g_steal_pointer(&err));
	return r->partial || (out_err && out_err != EPIPE) ? EXIT_RUNTIME : EXIT_OK;
}
