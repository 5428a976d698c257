/* cmd_config.c: `accelsim config`: the effective configuration of a run,
 * every key with its value and where it comes from, as a scenario file
 * that runs as it is. */
#include <errno.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cmd.h"
#include "config/effective.h"
#include "config/scenario.h"
#include "core/msg.h"

#define USAGE "accelsim config [--model=<file>] [--set=<s.k=v>]... [--changed] <scenario>"

int cmd_config(int argc, char **argv)
{
	g_autofree char *model_arg = NULL;
	g_auto(GStrv) sets = NULL;
	gboolean changed = FALSE;
	GOptionEntry entries[] = {
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "Use this model (a file, or a shipped model's name) instead of the scenario's",
		  "FILE" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "Override a model or scenario key, as run does (repeatable)", "SECTION.KEY=VALUE" },
		{ "changed", 'c', 0, G_OPTION_ARG_NONE, &changed,
		  "Only the keys that differ from the built-in defaults", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO");
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Print the configuration 'accelsim run' would use for SCENARIO with the same\n"
		     "options: every scenario and model key, its value, and where the value comes\n"
		     "from (built-in default, FILE:LINE, --set, --model, the VM size table).  The\n"
		     "output is a scenario file: save it, edit it, run it.");
	g_option_context_set_description(ctx, "Examples:\n  accelsim config quickstart\n"
					      "  accelsim config web-server --set vswitch.cores=4 "
					      "--changed\n"
					      "  accelsim config trading > mine.ini && accelsim run "
					      "mine.ini\n");
	/* errors as run words them: config takes what run takes */
	if (!cli_parse(ctx, &argc, &argv, USAGE) ||
	    !cli_sets_ok(sets, argc == 3 ? argv[2] : NULL, USAGE) ||
	    !cli_one_scenario(argc, argv, CLI_SCENARIO_OR_STDIN, USAGE))
		return EXIT_INPUT;

	g_autoptr(kf) setkf = NULL;
	if (sets && !(setkf = scenario_sets_from_args(sets, &err)))
		return msg_fail(g_steal_pointer(&err));
	g_autoptr(scenario) sc = scenario_load(argv[1], model_arg, setkf, &err);
	if (!sc)
		return msg_fail(g_steal_pointer(&err));
	g_autoptr(effective) e = effective_new(sc, model_arg, setkf, &err);
	if (!e)
		return msg_fail(g_steal_pointer(&err));
	effective_print(stdout, e, changed);
	if (fflush(stdout) != 0) {
		msg_error("cannot write the configuration: %s", g_strerror(errno));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
