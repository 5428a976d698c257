/* cmd_run.c: `accelsim run`: simulate a scenario through both paths and
 * print the figures side by side. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cmd.h"
#include "config/scenario.h"
#include "core/msg.h"
#include "engine/engine.h"
#include "report/report.h"

#define RUN_USAGE "accelsim run [--model=<file>] [--seed=<n>] [--set=<section.key=value>]... " \
	"[--json|--csv] [-o <dir>] [-q] <scenario>"

/* Set by the engine's SIGINT handler: Ctrl-C stops the run early. */
static volatile sig_atomic_t stop_requested;

/* Write r in every format into dir. */
static bool write_outputs(const char *dir, const struct run_result *r, GError **error)
{
	static const struct {
		const char *file;
		enum report_format fmt;
	} outs[] = { { "result.txt", REPORT_TABLE },
		     { "result.json", REPORT_JSON },
		     { "result.csv", REPORT_CSV } };

	if (g_mkdir_with_parents(dir, 0777) < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s",
			    dir, g_strerror(errno));
		return false;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(outs); i++) {
		g_autofree char *path = g_build_filename(dir, outs[i].file, NULL);
		FILE *f = fopen(path, "w");

		if (!f) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "cannot write '%s': %s", path, g_strerror(errno));
			return false;
		}
		report_write(f, r, outs[i].fmt);
		if (fclose(f) != 0) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "cannot write '%s': %s", path, g_strerror(errno));
			return false;
		}
	}
	g_autoptr(GKeyFile) k = run_result_to_keyfile(r);
	g_autofree char *ini = g_build_filename(dir, "result.ini", NULL);
	return g_key_file_save_to_file(k, ini, error);
}

static void print_engine_stats(double wall)
{
	const struct engine_stats *st = engine_last_stats();
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
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

int cmd_run(int argc, char **argv)
{
	g_autofree char *model_arg = NULL, *outdir = NULL;
	g_auto(GStrv) sets = NULL;
	gint64 seed = -1;
	gboolean json = FALSE, csv = FALSE, quiet = FALSE, engine_stats = FALSE;
	GOptionEntry entries[] = {
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "Use this model (a file, or a shipped model's name) instead of the scenario's",
		  "FILE" },
		{ "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Override the scenario's seed", "N" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "Override a model or scenario key, e.g. --set vswitch.cores=4 (repeatable)",
		  "SECTION.KEY=VALUE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of the table", NULL },
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV rows instead of the table", NULL },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir,
		  "Also write result.txt, .json, .csv and .ini into DIR", "DIR" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line", NULL },
		{ "engine-stats", 0, 0, G_OPTION_ARG_NONE, &engine_stats,
		  "Print the engine's own figures on stderr: speed, activities, memory", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO");
	g_autoptr(GError) err = NULL;

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
	if (seed < -1 || seed > (gint64)UINT32_MAX) {
		msg_error("--seed: expected a number from 0 to %u, got %" G_GINT64_FORMAT,
			  UINT32_MAX, seed);
		return EXIT_INPUT;
	}

	g_autoptr(kf) setkf = NULL;
	if (sets && !(setkf = scenario_sets_from_args(sets, &err)))
		return msg_fail(g_steal_pointer(&err));
	g_autoptr(scenario) sc = scenario_load(argv[1], model_arg, setkf, &err);
	if (!sc)
		return msg_fail(g_steal_pointer(&err));
	if (seed >= 0)
		sc->seed = (uint64_t)seed;

	struct engine_opts opts = {
		.progress = !quiet && isatty(STDERR_FILENO),
		.stop = &stop_requested,
	};
	g_autoptr(run_result) r = run_result_new();
	gint64 t0 = g_get_monotonic_time();
	if (!engine_run(sc, &opts, r, &err))
		return msg_fail(g_steal_pointer(&err));
	double wall = (g_get_monotonic_time() - t0) / 1e6;
	if (engine_stats)
		print_engine_stats(wall);

	report_write(stdout, r, json ? REPORT_JSON : csv ? REPORT_CSV : REPORT_TABLE);
	if (fflush(stdout) != 0) {
		msg_error("cannot write the report: %s", g_strerror(errno));
		return EXIT_RUNTIME;
	}
	if (outdir && !write_outputs(outdir, r, &err))
		return msg_fail(g_steal_pointer(&err));
	return r->partial ? EXIT_RUNTIME : EXIT_OK;
}
