/* cmd_report.c: `accelsim report`: one self-contained HTML page of
 * results read back (src/plot/html.h), with a few packets followed again
 * for its animated walk (src/teach/reportwalk.h). */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cmd.h"
#include "core/msg.h"
#include "plot/html.h"
#include "plot/plot.h"
#include "sweep/results.h"
#include "teach/reportwalk.h"

#define REPORT_USAGE "accelsim report -o <file.html> [--plots=<dir>] [--trace-packets=<n>] " \
	"<results>..."

#define PACKETS_MAX 1000

/* Remove the files plot_write wrote into dir, and dir. */
static void remove_plots(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);

		g_unlink(p);
	}
	g_rmdir(dir);
}

int cmd_report(int argc, char **argv)
{
	g_autofree char *out = NULL, *plotdir = NULL;
	gint packets = 3;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
		  "Write the page to FILE (required)", "FILE" },
		{ "plots", 0, 0, G_OPTION_ARG_FILENAME, &plotdir,
		  "Keep the plots drawn for the page in DIR (PNG, SVG, .dat, .gp)", "DIR" },
		{ "trace-packets", 0, 0, G_OPTION_ARG_INT, &packets,
		  "Follow N packets on each path again for the page's animated walk (default 3, "
		  "at most 1000; 0: no walk)",
		  "N" },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("RESULTS...");
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
		ctx, "Write one self-contained HTML page of RESULTS (a sweep's folder, 'accelsim\n"
		     "run -o' folders, or result.ini files): what accelerated networking saves,\n"
		     "the side-by-side table, a sweep's points, every plot (inline SVG, drawn\n"
		     "with gnuplot), where the latency goes, a few packets followed through both\n"
		     "paths again and animated (at the lowest load, and near the knee of a\n"
		     "sweep), and the scenario and model used.  It fetches nothing, and reads\n"
		     "well on a projector, a phone, light or dark.");
	g_option_context_set_description(
		ctx, "Examples:\n  accelsim report out -o out/report.html\n"
		     "  accelsim report run1 -o run1.html --plots run1/plots\n"
		     "  accelsim report out -o out/report.html --trace-packets 0\n");
	if (!cli_parse(ctx, &argc, &argv, REPORT_USAGE))
		return EXIT_INPUT;
	if (argc < 2) {
		msg_error("expected results to report (folders or result.ini files), got none");
		msg_usage("%s", REPORT_USAGE);
		return EXIT_INPUT;
	}
	if (!out) {
		msg_error("expected -o FILE: where the page goes");
		msg_usage("%s", REPORT_USAGE);
		return EXIT_INPUT;
	}
	if (packets < 0 || packets > PACKETS_MAX) {
		msg_error("--trace-packets: expected a number from 0 to %d, got %d", PACKETS_MAX,
			  packets);
		return EXIT_INPUT;
	}
	g_autoptr(sweep_results) sr = sweep_results_load((const char *const *)argv + 1, &err);
	if (!sr)
		return msg_fail(g_steal_pointer(&err));

	/* the walks first: each forks, and a fork should copy a process of
	 * one thread (gnuplot's GSubprocess leaves GLib's worker threads) */
	g_autofree char *walk = packets ? reportwalk_section(sr, (unsigned)packets) : NULL;
	g_autofree char *tmp = NULL;
	if (!plotdir && !(tmp = g_dir_make_tmp("accelsim-report-XXXXXX", &err))) {
		msg_error("cannot make a folder for the plots: %s", err->message);
		return EXIT_RUNTIME;
	}
	const char *dir = plotdir ? plotdir : tmp;
	g_autoptr(GPtrArray) plots = plot_write(sr, dir, &err);
	g_autofree char *page = plots ? html_report(sr, plots, dir, walk, &err) : NULL;
	if (tmp)
		remove_plots(tmp);
	if (!page)
		return msg_fail(g_steal_pointer(&err));
	if (!g_file_set_contents(out, page, -1, &err)) {
		msg_error("cannot write '%s': %s", out, err->message);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
