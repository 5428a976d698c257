/* cmd_sweep.c: `accelsim sweep`: a scenario over a range of loads or key
 * values, each point its own process (src/sweep/sweep.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cmd.h"
#include "core/msg.h"
#include "plot/plot.h"
#include "report/report.h"
#include "sweep/pool.h"
#include "sweep/sweep.h"

#define SWEEP_USAGE "accelsim sweep [--load=<range>] [--vary=<section.key=values>]... " \
	"[--seeds=<n>] [--seed=<n>] [--jobs=<n>] [--model=<file>] [--set=<section.key=value>]... " \
	"[--interval=<t>] [--core-price=<usd>] [-o <dir>] [--plot=<dir>] " \
	"[--emit-jobs=<file> [--slurm]] [-q] <scenario>"

/* A sweep of one thing: how each path's p99 and jitter move across it, in
 * a sentence (of the VM shown, on a host of several). */
static void print_trend(const struct sweep_results *sr)
{
	if (!sr->keys[0] || sr->keys[1] || sr->points->len < 2)
		return;
	g_autofree const struct run_result **rs = g_new(const struct run_result *, sr->points->len);
	const struct sweep_point *a = sr->points->pdata[0];
	const struct sweep_point *b = sr->points->pdata[sr->points->len - 1];

	for (guint i = 0; i < sr->points->len; i++)
		rs[i] = ((struct sweep_point *)sr->points->pdata[i])->pooled;
	g_autofree char *from = sweep_value_shown(a, 0), *to = sweep_value_shown(b, 0);
	g_autofree char *t = report_trend(rs, sr->points->len, sr->keys[0], from, to);

	if (t)
		printf("\n  %s\n", t);
}

int cmd_sweep(int argc, char **argv)
{
	g_autofree char *load = NULL, *model = NULL, *outdir = NULL, *interval = NULL,
			*price = NULL, *emit = NULL, *plotdir = NULL;
	g_auto(GStrv) vary = NULL;
	g_auto(GStrv) sets = NULL;
	gint64 seed = -1, seeds = 1, jobs = 0;
	gboolean slurm = FALSE, quiet = FALSE;
	GOptionEntry entries[] = {
		{ "load", 'l', 0, G_OPTION_ARG_STRING, &load,
		  "Offered loads: a range such as 10%..120%/10% (percent of where the normal "
		  "path's drops begin) or 100kpps..2Mpps/*1.5, or a list 50%,90%",
		  "RANGE" },
		{ "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vary,
		  "Vary a model or scenario key: vswitch.cores=1,2,4,8 or traffic.size=64B..1500B/*2 "
		  "(twice: a grid)",
		  "KEY=VALUES" },
		{ "seeds", 0, 0, G_OPTION_ARG_INT64, &seeds,
		  "Run each point with N seeds: means and 95% intervals", "N" },
		{ "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "The first seed (default: the scenario's)",
		  "N" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT64, &jobs,
		  "Run N points at once (default: the number of cores)", "N" },
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
		  "Use this model (a file, or a shipped model's name) instead of the scenario's",
		  "FILE" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "Override a model or scenario key in every point (repeatable)",
		  "SECTION.KEY=VALUE" },
		{ "interval", 0, 0, G_OPTION_ARG_STRING, &interval,
		  "Give every run a time series with intervals of this length", "T" },
		{ "core-price", 0, 0, G_OPTION_ARG_STRING, &price,
		  "US dollars one host core costs a year (default 900)", "USD" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir,
		  "Write each point's results and sweep.json, sweep.csv into DIR (default: the "
		  "--plot folder, or SCENARIO-sweep)",
		  "DIR" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plotdir,
		  "Then draw the plots into DIR (needs gnuplot)", "DIR" },
		{ "emit-jobs", 0, 0, G_OPTION_ARG_FILENAME, &emit,
		  "Run nothing: write one command line per run into FILE, for GNU parallel",
		  "FILE" },
		{ "slurm", 0, 0, G_OPTION_ARG_NONE, &slurm,
		  "With --emit-jobs: write a Slurm array job (an sbatch script) instead", NULL },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO");
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Run SCENARIO over a range of offered loads (by default 10% to 120% of\n"
		     "where the normal path's drops begin, found by simulation) or of model or\n"
		     "scenario keys, each run its own process, and merge the results into\n"
		     "DIR/sweep.json and DIR/sweep.csv.  A failed point is reported and the\n"
		     "others still run (exit 1); Ctrl-C stops the workers and merges what\n"
		     "finished, marked partial.");
	g_option_context_set_description(
		ctx, "Examples:\n  accelsim sweep web-server --seeds 3 --plot out/\n"
		     "  accelsim sweep quickstart --load 100kpps..2Mpps/*1.5 -o q\n"
		     "  accelsim sweep quickstart --vary vswitch.cores=1,2,4,8 -o cores\n"
		     "  accelsim sweep quickstart --emit-jobs jobs.txt -o q && parallel < jobs.txt\n"
		     "    && accelsim merge q -o q\n");
	if (!cli_parse(ctx, &argc, &argv, SWEEP_USAGE) ||
	    !cli_one_scenario(argc, argv, CLI_SCENARIO_FILE, SWEEP_USAGE))
		return EXIT_INPUT;
	if (slurm && !emit) {
		msg_error("--slurm: only with --emit-jobs FILE");
		msg_usage("%s", SWEEP_USAGE);
		return EXIT_INPUT;
	}
	if (emit && plotdir) {
		msg_conflict("--emit-jobs", "--plot");
		return EXIT_INPUT;
	}
	if (!cli_seeds_ok(seeds) || !cli_seed_ok(seed))
		return EXIT_INPUT;
	if (jobs < 0 || jobs > 1024) {
		msg_error("--jobs: expected a number of workers from 1 to 1024, got %" G_GINT64_FORMAT,
			  jobs);
		return EXIT_INPUT;
	}

	g_autofree char *name = g_path_get_basename(argv[1]);
	if (g_str_has_suffix(name, ".ini"))
		name[strlen(name) - 4] = '\0';
	g_autofree char *dir = g_strdup(outdir ? outdir
					: plotdir ? plotdir
						  : NULL);
	if (!dir)
		dir = g_strconcat(name, "-sweep", NULL);
	const struct sweep_opts o = {
		.scenario = argv[1],
		.model = model,
		.sets = sets,
		.load = load,
		.vary = vary,
		.seeds = (unsigned)seeds,
		.seed = seed,
		.jobs = jobs ? (unsigned)jobs : sweep_default_jobs(),
		.outdir = dir,
		.interval = interval,
		.core_price = price,
		.emit = emit,
		.slurm = slurm,
		.progress = !quiet && isatty(STDERR_FILENO),
	};
	struct sweep_outcome out;
	if (!sweep_run(&o, &out, &err))
		return msg_fail(g_steal_pointer(&err));

	int status = out.failed || out.interrupted ? EXIT_RUNTIME : EXIT_OK;
	if (emit) {
		printf("%u runs written to %s; each writes its results under %s/.\n"
		       "Run them with '%s %s', then 'accelsim merge %s -o %s'.\n",
		       out.jobs, emit, dir, slurm ? "sbatch --wait" : "parallel <", emit, dir, dir);
	} else if (out.results) {
		g_autofree char *json = g_build_filename(dir, "sweep.json", NULL);
		g_autofree char *csv = g_build_filename(dir, "sweep.csv", NULL);
		g_autofree char *points = g_build_filename(dir, "point-*", NULL);

		sweep_results_write_table(stdout, out.results);
		print_trend(out.results);
		printf("\nresults: %s, %s, %s/\n", json, csv, points);
		fflush(stdout);
		if (out.interrupted)
			msg_error("interrupted: %s holds the points that finished, marked partial",
				  dir);
		if (plotdir) {
			g_autoptr(GPtrArray) plots = plot_write(out.results, plotdir, &err);

			if (!plots) {
				msg_report_error(err);
				status = EXIT_RUNTIME;
			} else {
				g_autofree char *pd = g_build_filename(plotdir, "/", NULL);

				printf("plots: %u in %s\n", plots->len, pd);
			}
		}
	} else {
		msg_error("%s", out.interrupted ? "interrupted before any point finished"
						: "no point finished");
		status = EXIT_RUNTIME;
	}
	sweep_outcome_clear(&out);
	return status;
}
