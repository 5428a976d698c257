/* cmd_merge.c: `accelsim merge`: combine results run elsewhere (a sweep's
 * jobs under GNU parallel or Slurm) into sweep.json and sweep.csv. */
#include <stdio.h>

#include "cli/cli.h"
#include "cmd.h"
#include "core/msg.h"
#include "sweep/results.h"

#define MERGE_USAGE "accelsim merge -o <dir> <results>..."

int cmd_merge(int argc, char **argv)
{
	g_autofree char *outdir = NULL;
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir,
		  "Write sweep.json and sweep.csv into DIR (required)", "DIR" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print no table", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("RESULTS...");
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Read the results under RESULTS (folders searched for result.ini, as\n"
		     "'accelsim run -o' and a sweep's jobs write them) and merge them into\n"
		     "DIR/sweep.json and DIR/sweep.csv: the files a local sweep writes, byte\n"
		     "for byte.  Replications of a point merge exactly (histograms add).\n"
		     "Missing points or seeds are listed, and the merge is marked partial.");
	g_option_context_set_description(
		ctx, "Examples:\n  accelsim merge q -o q\n"
		     "  accelsim merge node1/q node2/q -o all\n");
	if (!cli_parse(ctx, &argc, &argv, MERGE_USAGE))
		return EXIT_INPUT;
	if (argc < 2) {
		msg_error("expected results to merge (folders or result.ini files), got none");
		msg_usage("%s", MERGE_USAGE);
		return EXIT_INPUT;
	}
	if (!outdir) {
		msg_error("expected -o DIR: where sweep.json and sweep.csv go");
		msg_usage("%s", MERGE_USAGE);
		return EXIT_INPUT;
	}
	g_autoptr(sweep_results) sr = sweep_results_load((const char *const *)argv + 1, &err);
	if (!sr || !sweep_results_save(outdir, sr, &err))
		return msg_fail(g_steal_pointer(&err));
	if (!quiet)
		sweep_results_write_table(stdout, sr);
	for (guint i = 0; i < sr->missing->len; i++)
		msg_warning("missing %s", (char *)sr->missing->pdata[i]);
	return sr->partial ? EXIT_RUNTIME : EXIT_OK;
}
