/* accelsim.c: the command-line entry.  It picks the subcommand and nothing
 * else: each command parses its own options (cmd.h). */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmd.h"
#include "config/keyfile.h"
#include "core/msg.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);	/* NULL: not built yet */
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "simulate a scenario through both paths, side by side" },
	{ "config", cmd_config, "print the configuration a run would use, and each value's origin" },
	{ "sweep", NULL, "run a scenario over a range of loads" },
	{ "merge", NULL, "combine results of points run elsewhere" },
	{ "plot", NULL, "draw comparison plots with gnuplot" },
	{ "report", NULL, "write one self-contained HTML page" },
	{ "trace", NULL, "follow packets through every stage of both paths" },
	{ "explain", NULL, "draw and explain the two paths" },
	{ "models", cmd_models, "list shipped models (--sizes: VM sizes)" },
	{ "scenarios", cmd_scenarios, "list shipped scenarios" },
	{ "check-size", cmd_check_size, "does a VM size support accelerated networking?" },
	{ "real", cmd_real, "measure real paths: check, measure" },
	{ "help", cmd_help, "help on a command, or on model and scenario keys" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: accelsim [--version] [--help] <command> [<args>]\n\n"
		   "Simulate a VM's normal (vSwitch) and accelerated (SR-IOV) network paths\n"
		   "side by side.  Commands:\n\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-11s %s%s\n", commands[i].name, commands[i].summary,
			commands[i].fn ? "" : " (not built yet)");
	fprintf(f, "\n'accelsim <command> --help' tells more; 'accelsim help model' lists every\n"
		   "model key.  Exit status: 0 ok, 1 the run failed, 2 bad usage or input.\n");
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "model") || !strcmp(argv[1], "scenario"))
		return cmd_models(argc, argv);
	const struct command *c = find(argv[1]);
	if (!c) {
		msg_error("no command or topic '%s'; try 'accelsim help'", argv[1]);
		return EXIT_INPUT;
	}
	if (!c->fn) {
		msg_error("'%s' is not built yet", c->name);
		return EXIT_INPUT;
	}
	char *args[] = { argv[1], (char *)"--help", NULL };
	return c->fn(2, args);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2) {
		usage(stderr);
		return EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("accelsim %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	const struct command *c = find(argv[1]);
	if (!c) {
		const char *names[G_N_ELEMENTS(commands)];

		for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
			names[i] = commands[i].name;
		const char *near = kf_nearest(argv[1], names, G_N_ELEMENTS(commands));

		if (near)
			msg_error("'%s' is not an accelsim command (did you mean '%s'?)", argv[1],
				  near);
		else
			msg_error("'%s' is not an accelsim command; see 'accelsim --help'", argv[1]);
		return EXIT_INPUT;
	}
	if (!c->fn) {
		msg_error("'accelsim %s' is not built yet", c->name);
		return EXIT_INPUT;
	}
	/* GOptionContext's "Usage:" line names the program: "accelsim run" */
	g_autofree char *prg = g_strdup_printf("accelsim %s", c->name);
	g_set_prgname(prg);
	return c->fn(argc - 1, argv + 1);
}
