/* cmd_plot.c: `accelsim plot`: gnuplot PNG and SVG of results read back
 * (src/plot/plot.h). */
#include <stdio.h>

#include "cli/cli.h"
#include "cmd.h"
#include "core/msg.h"
#include "plot/plot.h"
#include "sweep/results.h"

#define PLOT_USAGE "accelsim plot -o <dir> <results>..."

int cmd_plot(int argc, char **argv)
{
	g_autofree char *outdir = NULL;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir,
		  "Write the plots into DIR (required): NAME.png, .svg, .dat and .gp each", "DIR" },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("RESULTS...");
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Draw comparison plots of RESULTS (a sweep's folder, 'accelsim run -o'\n"
		     "folders, or result.ini files) with gnuplot: the latency CDF and where the\n"
		     "latency goes; for a sweep also latency percentiles, throughput, host CPU\n"
		     "and jitter against what it varies; the time series of a run with\n"
		     "--interval.  Each plot's data (.dat) and script (.gp) are written beside\n"
		     "it: 'gnuplot NAME.gp' in DIR draws it again.");
	g_option_context_set_description(
		ctx, "Examples:\n  accelsim plot out -o out\n  accelsim plot run1 run2 -o compare\n");
	if (!cli_parse(ctx, &argc, &argv, PLOT_USAGE))
		return EXIT_INPUT;
	if (argc < 2) {
		msg_error("expected results to plot (folders or result.ini files), got none");
		msg_usage("%s", PLOT_USAGE);
		return EXIT_INPUT;
	}
	if (!outdir) {
		msg_error("expected -o DIR: where the plots go");
		msg_usage("%s", PLOT_USAGE);
		return EXIT_INPUT;
	}
	g_autoptr(sweep_results) sr = sweep_results_load((const char *const *)argv + 1, &err);
	if (!sr)
		return msg_fail(g_steal_pointer(&err));
	g_autoptr(GPtrArray) plots = plot_write(sr, outdir, &err);
	if (!plots)
		return msg_fail(g_steal_pointer(&err));
	for (guint i = 0; i < plots->len; i++) {
		const struct plot_made *m = plots->pdata[i];

		printf("%s/%s.png  %s\n", outdir, m->name, m->title);
	}
	return EXIT_OK;
}
