/* cmd_run.c: `accelsim run`: simulate a scenario through both paths and
 * print the figures side by side. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "cli/cli.h"
#include "cmd.h"
#include "config/effective.h"
#include "config/scenario.h"
#include "core/msg.h"
#include "core/outdir.h"
#include "engine/engine.h"
#include "pipeline/pipeline.h"
#include "plot/plot.h"
#include "report/merge.h"
#include "report/metrics.h"
#include "report/report.h"
#include "teach/mermaid.h"

#define RUN_USAGE "accelsim run [--model=<file>] [--seed=<n>] [--seeds=<n>] " \
	"[--set=<section.key=value>]... [--interval=<t>] [--core-price=<usd>] " \
	"[--json|--csv|--brief|--mermaid] [--mermaid-file=<file>] [--vm=<name>] " \
	"[-o <dir> [--force]] [--plot=<dir>] [-q] <scenario>"

/* Set by the engine's SIGINT handler: Ctrl-C stops the run early. */
static volatile sig_atomic_t stop_requested;

/* The files -o writes: every format, the result key file, and
 * effective.ini, the configuration the run used as a scenario that runs
 * again. */
static const char *const out_names[] = { "result.txt", "result.json", "result.csv",
					 "result.ini", "effective.ini", NULL };

/* With --seeds, -o's top directory holds the pooled figures with their
 * intervals (each seed's own result is in its seed-N folder; no
 * result.ini here, so that plot and merge read the seeds themselves). */
static const char *const summary_names[] = { "result.txt", "result.json", "result.csv", NULL };

struct out_report {
	const struct run_result *r;
	const struct merge_stats *st;	/* NULL: one run */
	enum report_format fmt;
};

static bool write_report(FILE *f, const void *data, GError **error)
{
	const struct out_report *o = data;

	report_write_stats(f, o->r, o->st, o->fmt);
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
	const struct out_report txt = { r, NULL, REPORT_TABLE }, json = { r, NULL, REPORT_JSON },
				csv = { r, NULL, REPORT_CSV };
	const struct outdir_file files[] = {
		{ out_names[0], write_report, &txt },	  { out_names[1], write_report, &json },
		{ out_names[2], write_report, &csv },	  { out_names[3], write_ini, r },
		{ out_names[4], write_effective, e },
	};

	return outdir_commit(od, files, G_N_ELEMENTS(files), error);
}

/* The pooled figures of --seeds into the top directory, as one set. */
static bool write_summary(struct outdir *od, const struct run_result *r,
			  const struct merge_stats *st, GError **error)
{
	const struct out_report txt = { r, st, REPORT_TABLE }, json = { r, st, REPORT_JSON },
				csv = { r, st, REPORT_CSV };
	const struct outdir_file files[] = {
		{ summary_names[0], write_report, &txt },
		{ summary_names[1], write_report, &json },
		{ summary_names[2], write_report, &csv },
	};

	return outdir_commit(od, files, G_N_ELEMENTS(files), error);
}

/* --core-price: US dollars, a number at least 0. */
static bool parse_price(const char *text, double *out)
{
	char *end;
	const char *t = text[0] == '$' ? text + 1 : text;

	*out = g_ascii_strtod(t, &end);
	if (end == t || *end || !isfinite(*out) || *out < 0) {
		msg_error("--core-price: expected US dollars per host core-year, such as 900, "
			  "got '%s'", text);
		return false;
	}
	return true;
}

/* What the latency figures of s measure, from its counted sources (the
 * measured VM's); *requests when every one of them is request/response. */
enum latency_kind run_latency_kind(const struct scenario *s, bool *requests)
{
	enum latency_kind kind = LATENCY_UNKNOWN;
	unsigned counted = 0, rr = 0;

	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);
		enum latency_kind k = t->pattern == PAT_REQRESP || t->pattern == PAT_TCP
					      ? LATENCY_ROUND_TRIP
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

void run_size_note(const struct scenario *s, struct run_result *r)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) sizes = vm_sizes_load(&err);
	const struct vm_size *z = sizes ? vm_sizes_find(sizes, s->model->vm.size) : NULL;
	const char *why;

	if (!z)
		return;
	if (!vm_size_supports_an(z, &why)) {
		r->paths[PATH_ACCEL].hypothetical = true;
		run_result_note(r, REPORT_NOTE_SIZE, "%s does not offer accelerated networking (%s): "
				"the accelerated column is hypothetical", z->name, why);
	} else if (z->accelerated == -1) {
		r->paths[PATH_NORMAL].hypothetical = true;
		run_result_note(r, REPORT_NOTE_SIZE, "%s requires accelerated networking: the normal "
				"column is hypothetical (the same VM without it)", z->name);
	}
}

/* The Mermaid diagrams of r (a run of s) into f. */
static bool write_mermaid(FILE *f, const struct scenario *s, const struct run_result *r,
			  GError **error)
{
	struct pipeline *pl[PATH_COUNT] = { NULL, NULL };
	bool ok = true;

	for (int p = 0; p < PATH_COUNT && ok; p++)
		ok = (pl[p] = pipeline_build(s, p, error)) != NULL;
	if (ok)
		mermaid_run(f, r, s, (const struct pipeline *const *)pl);
	for (int p = 0; p < PATH_COUNT; p++)
		pipeline_free(pl[p]);
	return ok;
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
	p->latency = run_latency_kind(s, &p->requests);
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

/* --vm NAME: one of the VMs the scenario places on the host. */
static bool check_vm(const char *name, const struct scenario *s)
{
	if (scenario_vm_index(s, name) >= 0)
		return true;
	if (!s->named_vms) {
		msg_error("--vm: %s places no VMs of its own ([vm NAME]): its one VM's figures are "
			  "the run's, got '%s'",
			  s->name, name);
		return false;
	}
	const char *near;
	g_autofree char *all = scenario_vm_names(s, name, &near);

	/* worded as trace and explain word it */
	if (near)
		msg_error("--vm: expected one of the VMs %s places (%s), got '%s' (did you mean "
			  "'%s'?)", s->name, all, name, near);
	else
		msg_error("--vm: expected one of the VMs %s places (%s), got '%s'", s->name, all,
			  name);
	return false;
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
	g_autofree char *mem_arg = NULL, *mermaid_file = NULL, *vm_arg = NULL;
	g_auto(GStrv) sets = NULL;
	/* the command as given, before option parsing takes argv apart */
	g_autofree char *args = provenance_command(argc, argv);
	g_autofree char *command = g_strconcat("accelsim ", args, NULL);
	g_autofree char *started = provenance_now();
	gint64 seeds = 1;
	g_autofree char *price_arg = NULL, *plotdir = NULL;
	g_auto(GStrv) notes = NULL;
	gboolean json = FALSE, csv = FALSE, quiet = FALSE, engine_stats = FALSE, force = FALSE;
	gboolean brief = FALSE, mermaid = FALSE;
	GOptionEntry entries[] = {
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "Use this model (a file, or a shipped model's name) instead of the scenario's",
		  "FILE" },
		/* text, not a number: no number can stand for "not given" (-1
		 * once did); as bytes, not converted from the locale's charset,
		 * so that whatever it holds, the message names the option */
		{ "seed", 's', 0, G_OPTION_ARG_FILENAME, &seed_arg, "Override the scenario's seed", "N" },
		{ "seeds", 0, 0, G_OPTION_ARG_INT64, &seeds,
		  "Run N times, with seeds SEED to SEED+N-1: each figure's mean and 95% interval",
		  "N" },
		/* bytes as given, not converted from the locale's charset:
		 * scenario_sets_from_args checks them and names the option */
		{ "set", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &sets,
		  "Override a model or scenario key, e.g. --set vswitch.cores=4 (repeatable)",
		  "SECTION.KEY=VALUE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of the table", NULL },
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV rows instead of the table", NULL },
		{ "brief", 0, 0, G_OPTION_ARG_NONE, &brief,
		  "Print the main figures only, in 80 columns and 20 lines", NULL },
		{ "mermaid", 0, 0, G_OPTION_ARG_NONE, &mermaid,
		  "Print Mermaid diagrams of the paths and their latency budget (Markdown)", NULL },
		{ "mermaid-file", 0, 0, G_OPTION_ARG_FILENAME, &mermaid_file,
		  "Also write the Mermaid diagrams to FILE (Markdown)", "FILE" },
		{ "interval", 0, 0, G_OPTION_ARG_STRING, &interval_arg,
		  "Add a time series to JSON and CSV: figures per interval of this length, e.g. "
		  "10ms",
		  "T" },
		{ "vm", 0, 0, G_OPTION_ARG_STRING, &vm_arg,
		  "Print VM NAME's figures alone (a host of several VMs); -o keeps every VM's",
		  "NAME" },
		{ "core-price", 0, 0, G_OPTION_ARG_STRING, &price_arg,
		  "US dollars one host core costs a year, for what the cores saved are worth "
		  "(default 900)",
		  "USD" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plotdir,
		  "Also draw the plots into DIR with gnuplot (as accelsim plot)", "DIR" },
		{ "note", 0, 0, G_OPTION_ARG_STRING_ARRAY, &notes,
		  "Add a note to the result, e.g. --note host=lab-3 (repeatable)", "KEY=TEXT" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_arg,
		  "Also write result.txt, .json, .csv, .ini and effective.ini into DIR, whole or "
		  "not at all (with --seeds: one seed-N folder each, the pooled figures in DIR)",
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
	if (!cli_parse(ctx, &argc, &argv, RUN_USAGE))
		return EXIT_INPUT;
	{
		/* one format on standard output */
		const char *fmt[] = { "--json", "--csv", "--brief", "--mermaid" };
		const gboolean on[] = { json, csv, brief, mermaid };
		int first = -1;

		for (int i = 0; i < 4; i++) {
			if (!on[i])
				continue;
			if (first >= 0) {
				msg_conflict(fmt[first], fmt[i]);
				msg_usage("%s", RUN_USAGE);
				return EXIT_INPUT;
			}
			first = i;
		}
	}
	/* "--set vswitch.cores 4": the value became an argument of its own */
	if (!cli_sets_ok(sets, argc == 3 ? argv[2] : NULL, RUN_USAGE) ||
	    !cli_one_scenario(argc, argv, CLI_SCENARIO_OR_STDIN, RUN_USAGE))
		return EXIT_INPUT;
	guint64 seed = 0;
	if (seed_arg && !g_ascii_string_to_unsigned(seed_arg, 10, 0, UINT32_MAX, &seed, NULL)) {
		msg_error("--seed: expected a number from 0 to %u, got '%s'", UINT32_MAX,
			  seed_arg);
		return EXIT_INPUT;
	}
	if (!cli_seeds_ok(seeds))
		return EXIT_INPUT;
	double price = METRIC_CORE_YEAR_USD;
	if (price_arg && !parse_price(price_arg, &price))
		return EXIT_INPUT;
	for (char **n = notes; n && *n; n++)
		if (!strchr(*n, '=') || **n == '=') {
			msg_error("--note: expected key=text, got '%s'", *n);
			msg_usage("%s", RUN_USAGE);
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
	if (sc->seed + (uint64_t)seeds - 1 > UINT32_MAX) {
		msg_error("--seeds: seeds %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
			  " go past %u", sc->seed, sc->seed + (uint64_t)seeds - 1, UINT32_MAX);
		return EXIT_INPUT;
	}

	double interval_s = 0;
	if (interval_arg && !parse_interval(interval_arg, sc, &interval_s))
		return EXIT_INPUT;
	if (vm_arg && !check_vm(vm_arg, sc))
		return EXIT_INPUT;
	g_autoptr(effective) e = effective_new(sc, model_arg, setkf, &err);
	if (!e)
		return msg_fail(g_steal_pointer(&err));
	/* before the run: a directory that cannot be written fails now */
	g_autoptr(outdir) od = NULL;
	if (out_arg && !(od = outdir_open(out_arg, seeds > 1 ? summary_names : out_names, force,
					  &err)))
		return msg_fail(g_steal_pointer(&err));

	struct engine_opts opts = {
		.progress = !quiet && isatty(STDERR_FILENO),
		.stop = &stop_requested,
		.interval_s = interval_s,
	};
	const uint64_t first_seed = sc->seed;
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func((GDestroyNotify)run_result_free);
	for (gint64 i = 0; i < seeds && !stop_requested; i++) {
		sc->seed = first_seed + (uint64_t)i;
		if (seed_arg || i > 0) {
			g_autofree char *text = g_strdup_printf("%" G_GUINT64_FORMAT, sc->seed);

			if (!effective_override(e, "scenario", "seed", text,
						seed_arg ? "--seed" : "--seeds", &err))
				return msg_fail(g_steal_pointer(&err));
		}
		g_autoptr(provenance) prov = provenance_of(sc, e, sets, command, &err);
		if (!prov)
			return msg_fail(g_steal_pointer(&err));
		prov->started = i ? provenance_now() : g_steal_pointer(&started);

		g_autoptr(run_result) r = run_result_new();
		gint64 t0 = g_get_monotonic_time();
		/* one engine per process: a single run simulates here, and
		 * replications each in a child */
		if (!(seeds == 1 ? engine_run(sc, &opts, r, &err)
				 : engine_run_forked(sc, &opts, r, &err)))
			return msg_fail(g_steal_pointer(&err));
		double wall = (g_get_monotonic_time() - t0) / 1e6;
		if (engine_stats)
			print_engine_stats(sc, wall);
		r->interval_s = opts.interval_s;
		r->core_year_usd = price;
		for (char **n = notes; n && *n; n++) {
			g_autofree char *key = g_strndup(*n, strchr(*n, '=') - *n);

			run_result_note(r, key, "%s", strchr(*n, '=') + 1);
		}
		prov->wall_s = wall;
		prov->exact_stages = engine_last_stats()->exact_stages;
		r->provenance = g_steal_pointer(&prov);
		run_size_note(sc, r);
		if (od && seeds == 1 && !write_outputs(od, r, e, &err))
			return msg_fail(g_steal_pointer(&err));
		if (od && seeds > 1) {
			g_autofree char *sub = g_strdup_printf("%s/seed-%" G_GUINT64_FORMAT, out_arg,
							       sc->seed);
			g_autoptr(outdir) sod = outdir_open(sub, out_names, force, &err);

			if (!sod || !write_outputs(sod, r, e, &err))
				return msg_fail(g_steal_pointer(&err));
		}
		bool partial = r->partial;
		g_ptr_array_add(runs, g_steal_pointer(&r));
		if (partial)
			break;
	}
	if (!runs->len) {
		msg_error("interrupted before the first run finished");
		return EXIT_RUNTIME;
	}

	const enum report_format fmt = json ? REPORT_JSON : csv ? REPORT_CSV
				     : brief ? REPORT_BRIEF : REPORT_TABLE;
	struct run_result *const *rs = (struct run_result *const *)runs->pdata;
	g_autoptr(run_result) pooled = NULL;
	g_autoptr(merge_stats) st = NULL;
	const struct run_result *shown = rs[0];
	if (seeds > 1) {
		pooled = merge_pool(rs, runs->len);
		st = merge_stats_new(rs, runs->len);
		/* fewer runs than asked for: cut short */
		pooled->partial = pooled->partial || runs->len < (guint)seeds;
		for (int p = 0; p < PATH_COUNT; p++)
			pooled->paths[p].hypothetical = rs[0]->paths[p].hypothetical;
		shown = pooled;
	}
	/* a reader that went away (| head) ends the output, nothing more:
	 * -o is still written and the exit status is the run's */
	g_autoptr(run_result) focused = NULL;
	if (vm_arg) {
		focused = run_result_focus(shown, vm_arg, &err);
		if (!focused)
			return msg_fail(g_steal_pointer(&err));
	}
	errno = 0;
	if (mermaid && !write_mermaid(stdout, sc, shown, &err))
		return msg_fail(g_steal_pointer(&err));
	if (!mermaid)
		report_write_stats(stdout, focused ? focused : shown, st, fmt);
	int out_err = fflush(stdout) != 0 || ferror(stdout) ? (errno ? errno : EIO) : 0;
	if (out_err && out_err != EPIPE)
		msg_error("cannot write the report: %s", g_strerror(out_err));
	if (od && st && !write_summary(od, shown, st, &err))
		return msg_fail(g_steal_pointer(&err));
	if (mermaid_file) {
		FILE *f = fopen(mermaid_file, "w");
		bool ok = f && write_mermaid(f, sc, shown, &err);

		if ((f && fclose(f) != 0) || !f) {
			ok = false;
			if (!err)
				g_set_error(&err, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
					    "cannot write '%s': %s", mermaid_file, g_strerror(errno));
		}
		if (!ok)
			return msg_fail(g_steal_pointer(&err));
	}
	const bool partial = shown->partial;
	if (plotdir) {
		/* the runs go to the plots: they are read no more here */
		const guint n = runs->len;
		g_autofree struct run_result **taken = (struct run_result **)g_ptr_array_steal(runs, NULL);
		g_clear_pointer(&pooled, run_result_free);
		g_autoptr(sweep_results) sr = sweep_results_from_runs(taken, n, &err);
		g_autoptr(GPtrArray) plots = sr ? plot_write(sr, plotdir, &err) : NULL;

		if (!plots)
			return msg_fail(g_steal_pointer(&err));
	}
	return partial || (out_err && out_err != EPIPE) ? EXIT_RUNTIME : EXIT_OK;
}
