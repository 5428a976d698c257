/* cmd_trace.c: `accelsim trace`: follow a few packets through both paths,
 * stage by stage, in the terminal, as an animated page, or as Mermaid
 * diagrams.  One simulation in this process (the tracer runs where the
 * engine does), stopped as soon as the followed packets are done. */
#include <errno.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cmd.h"
#include "config/scenario.h"
#include "core/msg.h"
#include "engine/engine.h"
#include "report/report.h"
#include "teach/anim.h"
#include "teach/follow.h"
#include "teach/mermaid.h"
#include "teach/tracetext.h"

#define TRACE_USAGE "accelsim trace [--model=<file>] [--seed=<n>] [--set=<s.k=v>]... " \
	"[--packets=<n>] [--at=<t>] [--flow] [--html=<file>] [--mermaid] " \
	"[--mermaid-file=<file>] [--vm=<name>] <scenario>"

#define PACKETS_MAX 1000

/* Write into path what write_fn writes; FALSE and a message on failure. */
static bool write_file(const char *path, void (*write_fn)(FILE *, const void *), const void *data)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		msg_error("cannot write '%s': %s", path, g_strerror(errno));
		return false;
	}
	write_fn(f, data);
	if (fclose(f) != 0) {
		msg_error("cannot write '%s': %s", path, g_strerror(errno));
		return false;
	}
	return true;
}

struct trace_out {
	const struct follow *f;
	const struct scenario *s;
	struct pipeline *pl[PATH_COUNT];
};

static void write_html(FILE *f, const void *data)
{
	const struct trace_out *t = data;

	anim_write_page(f, t->f, t->s, (const struct pipeline *const *)t->pl);
}

static void write_mermaid(FILE *f, const void *data)
{
	const struct trace_out *t = data;

	mermaid_trace(f, t->f, t->s, (const struct pipeline *const *)t->pl);
}

int cmd_trace(int argc, char **argv)
{
	g_autofree char *model_arg = NULL, *at_arg = NULL, *html = NULL, *mermaid_file = NULL;
	g_autofree char *vm_arg = NULL;
	g_auto(GStrv) sets = NULL;
	gint64 seed = -1;
	gint packets = 3;
	gboolean flow = FALSE, mermaid = FALSE;
	GOptionEntry entries[] = {
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "Use this model (a file, or a shipped model's name) instead of the scenario's",
		  "FILE" },
		{ "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Override the scenario's seed", "N" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "Override a model or scenario key, as run does (repeatable)",
		  "SECTION.KEY=VALUE" },
		{ "packets", 'n', 0, G_OPTION_ARG_INT, &packets,
		  "Follow N packets on each path (default 3, at most 1000)", "N" },
		{ "at", 0, 0, G_OPTION_ARG_STRING, &at_arg,
		  "Follow packets born at or after T, e.g. 150ms (default: the end of the "
		  "warm-up; with --flow, 0)",
		  "T" },
		{ "flow", 0, 0, G_OPTION_ARG_NONE, &flow,
		  "Follow the first packets of the first flow that starts at or after --at", NULL },
		{ "html", 0, 0, G_OPTION_ARG_FILENAME, &html,
		  "Also write an animated page of the packets' walk to FILE", "FILE" },
		{ "mermaid", 0, 0, G_OPTION_ARG_NONE, &mermaid,
		  "Print Mermaid diagrams (Markdown) instead of the tables", NULL },
		{ "mermaid-file", 0, 0, G_OPTION_ARG_FILENAME, &mermaid_file,
		  "Also write the Mermaid diagrams to FILE (Markdown)", "FILE" },
		{ "vm", 0, 0, G_OPTION_ARG_STRING, &vm_arg,
		  "On a host of several VMs, follow VM NAME's packets (default: the first "
		  "compared VM's)",
		  "NAME" },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO");
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Follow packets of SCENARIO through the normal and the accelerated path: per\n"
		     "stage, when each arrived, how long it queued, waited for a wake-up and was\n"
		     "served, on which resource, and the CPU cycles it cost; a drop, a diversion\n"
		     "to the vSwitch and a fallback in words; its latency as their sum.\n"
		     "Colour on a terminal, none with NO_COLOR set or when piped.");
	g_option_context_set_description(
		ctx, "Examples:\n  accelsim trace quickstart\n"
		     "  accelsim trace quickstart --at 150ms --packets 5 --set traffic.rate=1Mpps\n"
		     "  accelsim trace web-server --flow\n"
		     "  accelsim trace quickstart --html walk.html\n"
		     "  accelsim trace quickstart --packets 1 --mermaid-file walk.md\n"
		     "  accelsim trace noisy-neighbour --vm steady\n");
	if (!cli_parse(ctx, &argc, &argv, TRACE_USAGE) ||
	    !cli_one_scenario(argc, argv, CLI_SCENARIO_OR_STDIN, TRACE_USAGE))
		return EXIT_INPUT;
	if (packets < 1 || packets > PACKETS_MAX) {
		msg_error("--packets: expected a number from 1 to %d, got %d", PACKETS_MAX, packets);
		return EXIT_INPUT;
	}
	if (!cli_seed_ok(seed) || !cli_sets_ok(sets, NULL, TRACE_USAGE))
		return EXIT_INPUT;

	g_autoptr(kf) setkf = NULL;
	if (sets && !(setkf = scenario_sets_from_args(sets, &err)))
		return msg_fail(g_steal_pointer(&err));
	g_autoptr(scenario) sc = scenario_load(argv[1], model_arg, setkf, &err);
	if (!sc)
		return msg_fail(g_steal_pointer(&err));
	if (seed >= 0)
		sc->seed = (uint64_t)seed;

	unsigned vm;
	if (!follow_vm_find(sc, vm_arg, "--vm", &vm, &err))
		return msg_fail(g_steal_pointer(&err));
	struct follow_opts fo = { .packets = (unsigned)packets,
				  .at_s = flow ? 0 : sc->warmup_s,
				  .flow = flow,
				  .vm = vm_arg };
	if (at_arg) {
		char end[32];

		if (!units_parse_kind(at_arg, UNIT_TIME, &fo.at_s, &err)) {
			msg_error("--at: %s", err->message);
			return EXIT_INPUT;
		}
		units_format(sc->duration_s, UNIT_TIME, end, sizeof(end));
		if (fo.at_s < 0 || fo.at_s >= sc->duration_s) {
			msg_error("--at: expected a time from 0 to before the scenario's end (%s), "
				  "got '%s'", end, at_arg);
			return EXIT_INPUT;
		}
	}

	g_autoptr(follow) f = follow_new(sc, &fo);
	struct engine_opts opts = {
		.tracer = follow_tracer(f),
		.stop = follow_stop_flag(f),
		.quiet_simgrid = true,
	};
	g_autoptr(run_result) r = run_result_new();
	if (!engine_run(sc, &opts, r, &err))
		return msg_fail(g_steal_pointer(&err));
	run_size_note(sc, r);

	struct trace_out t = { .f = f, .s = sc };
	int rc = EXIT_OK;

	for (int p = 0; p < PATH_COUNT && rc == EXIT_OK; p++)
		if (!(t.pl[p] = pipeline_build(sc, p, &err)))
			rc = msg_fail(g_steal_pointer(&err));
	if (rc == EXIT_OK && mermaid)
		mermaid_trace(stdout, f, sc, (const struct pipeline *const *)t.pl);
	else if (rc == EXIT_OK)
		trace_text_print(stdout, f, sc, report_note(r, REPORT_NOTE_SIZE), cli_want_colour());
	if (rc == EXIT_OK && fflush(stdout) != 0) {
		msg_error("cannot write the trace: %s", g_strerror(errno));
		rc = EXIT_RUNTIME;
	}
	if (rc == EXIT_OK && html && !write_file(html, write_html, &t))
		rc = EXIT_RUNTIME;
	if (rc == EXIT_OK && mermaid_file && !write_file(mermaid_file, write_mermaid, &t))
		rc = EXIT_RUNTIME;
	for (int p = 0; p < PATH_COUNT; p++)
		pipeline_free(t.pl[p]);
	return rc;
}
