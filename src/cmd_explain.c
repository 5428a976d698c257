/* cmd_explain.c: `accelsim explain`: the two paths drawn and explained in
 * the terminal; given a scenario, its figures too (one simulation in this
 * process). */
#include <errno.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cmd.h"
#include "config/scenario.h"
#include "core/msg.h"
#include "engine/engine.h"
#include "pipeline/pipeline.h"
#include "teach/explain.h"
#include "teach/follow.h"

#define EXPLAIN_USAGE "accelsim explain [--model=<file>] [--set=<s.k=v>]... [--vm=<name>] " \
	"[<scenario>]"

/* The scenario the paths are drawn for when none is given: 64-byte frames
 * received from the network, as shipped. */
#define DEFAULT_SCENARIO "quickstart"

int cmd_explain(int argc, char **argv)
{
	g_autofree char *model_arg = NULL, *vm_arg = NULL;
	g_auto(GStrv) sets = NULL;
	GOptionEntry entries[] = {
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "Explain this model (a file, or a shipped model's name) instead of the "
		  "scenario's",
		  "FILE" },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "Override a model or scenario key, as run does (repeatable)",
		  "SECTION.KEY=VALUE" },
		{ "vm", 0, 0, G_OPTION_ARG_STRING, &vm_arg,
		  "On a host of several VMs, explain VM NAME's paths and figures (default: the "
		  "first compared VM's)",
		  "NAME" },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("[SCENARIO]");
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Draw the normal and the accelerated path as the model has them, with each\n"
		     "stage's mean cost and where host CPU goes, and explain SR-IOV, the vSwitch\n"
		     "detour, the first packet of a flow, why the setting is fixed on a running\n"
		     "VM, and how to check it inside one.  Given SCENARIO, run it and explain its\n"
		     "figures too.  Without one, the paths of 64-byte frames received from the\n"
		     "network (the shipped scenario quickstart).");
	g_option_context_set_description(ctx, "Examples:\n  accelsim explain\n"
					      "  accelsim explain --model kvm-ovs\n"
					      "  accelsim explain web-server\n"
					      "  accelsim explain noisy-neighbour --vm steady\n");
	if (!cli_parse(ctx, &argc, &argv, EXPLAIN_USAGE))
		return EXIT_INPUT;
	if (argc > 2) {
		msg_error("expected at most one scenario, got '%s' and '%s'", argv[1], argv[2]);
		msg_usage("%s", EXPLAIN_USAGE);
		return EXIT_INPUT;
	}
	if (!cli_sets_ok(sets, NULL, EXPLAIN_USAGE))
		return EXIT_INPUT;

	g_autoptr(kf) setkf = NULL;
	if (sets && !(setkf = scenario_sets_from_args(sets, &err)))
		return msg_fail(g_steal_pointer(&err));
	g_autoptr(scenario) sc = scenario_load(argc == 2 ? argv[1] : DEFAULT_SCENARIO, model_arg,
					       setkf, &err);
	if (!sc)
		return msg_fail(g_steal_pointer(&err));
	unsigned vm;
	if (!follow_vm_find(sc, vm_arg, "--vm", &vm, &err))
		return msg_fail(g_steal_pointer(&err));
	const bool colour = cli_want_colour();
	struct pipeline *pl[PATH_COUNT] = { NULL, NULL };
	int rc = EXIT_OK;

	for (int p = 0; p < PATH_COUNT && rc == EXIT_OK; p++)
		if (!(pl[p] = pipeline_build(sc, p, &err)))
			rc = msg_fail(g_steal_pointer(&err));
	if (rc == EXIT_OK) {
		explain_paths(stdout, sc, vm, pl, colour);
		explain_ideas(stdout, colour);
	}
	for (int p = 0; p < PATH_COUNT; p++)
		pipeline_free(pl[p]);
	if (rc == EXIT_OK && argc == 2) {
		struct engine_opts opts = { .quiet_simgrid = true };
		g_autoptr(run_result) r = run_result_new();

		/* the latency's kind and the request counting, as run says them */
		r->provenance = provenance_new();
		r->provenance->latency = run_latency_kind(sc, &r->provenance->requests);
		fflush(stdout);
		if (!engine_run(sc, &opts, r, &err))
			return msg_fail(g_steal_pointer(&err));
		run_size_note(sc, r);
		g_autoptr(run_result) focused = NULL;
		if (vm_arg && !(focused = run_result_focus(r, vm_arg, &err)))
			return msg_fail(g_steal_pointer(&err));
		explain_result(stdout, sc, focused ? focused : r, colour);
	}
	if (fflush(stdout) != 0) {
		msg_error("cannot write the explanation: %s", g_strerror(errno));
		return EXIT_RUNTIME;
	}
	return rc;
}
