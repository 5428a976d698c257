/* accelsim.c: the command-line entry.  It picks the subcommand and nothing
 * else: each command parses its own options (cmd.h). */
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cmd.h"
#include "config/keyfile.h"
#include "core/msg.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "simulate a scenario through both paths, side by side" },
	{ "config", cmd_config, "print the configuration a run would use, and each value's origin" },
	{ "sweep", cmd_sweep, "run a scenario over a range of loads or key values" },
	{ "merge", cmd_merge, "combine results of points run elsewhere" },
	{ "plot", cmd_plot, "draw comparison plots with gnuplot" },
	{ "report", cmd_report, "write one self-contained HTML page" },
	{ "trace", cmd_trace, "follow packets through every stage of both paths" },
	{ "explain", cmd_explain, "draw and explain the two paths" },
	{ "models", cmd_models, "list shipped models (--sizes: VM sizes)" },
	{ "scenarios", cmd_scenarios, "list shipped scenarios, by group" },
	{ "check-size", cmd_check_size, "does a VM size support accelerated networking?" },
	{ "real", cmd_real, "measure real paths: check, measure, calibrate, validate, cleanup" },
	{ "help", cmd_help, "help on a command, or on model and scenario keys" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: accelsim [--version] [--help] <command> [<args>]\n\n"
		   "Simulate a VM's normal (vSwitch) and accelerated (SR-IOV) network paths\n"
		   "side by side.  Commands:\n\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
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

/* Topics of `help` besides the commands: the keys of the two file kinds. */
static const struct {
	const char *name;
	const char *summary;
} topics[] = {
	{ "model", "every key of model files, with default, unit and meaning" },
	{ "scenario", "every key of scenario files" },
};

#define HELP_USAGE "accelsim help [<command> | model [<section>] | scenario [<section>]]"

static void help_usage(FILE *f)
{
	fprintf(f, "usage: " HELP_USAGE "\n\n"
		   "Help on a command (as 'accelsim <command> --help' gives it), or on the\n"
		   "keys of model and scenario files, all of them or one section's:\n\n");
	for (size_t i = 0; i < G_N_ELEMENTS(topics); i++)
		fprintf(f, "  %-11s %s\n", topics[i].name, topics[i].summary);
	fprintf(f, "\nExample: 'accelsim help model vswitch' lists the vSwitch's keys.\n");
}

/* "'x' is not ...": a did-you-mean over the commands, and the help topics
 * when topics is set. */
static void unknown_name(const char *what, const char *name, bool with_topics)
{
	const char *names[G_N_ELEMENTS(commands) + G_N_ELEMENTS(topics)];
	size_t n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		names[n++] = commands[i].name;
	for (size_t i = 0; with_topics && i < G_N_ELEMENTS(topics); i++)
		names[n++] = topics[i].name;
	const char *near = kf_nearest(name, names, n);

	if (near)
		msg_error("'%s' is not %s (did you mean '%s'?)", name, what, near);
	else
		msg_error("'%s' is not %s; see 'accelsim %s'", name, what,
			  with_topics ? "help --help" : "--help");
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help_usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(topics); i++)
		if (!strcmp(argv[1], topics[i].name)) {
			g_autofree char *prg = g_strdup_printf("accelsim help %s", argv[1]);

			g_set_prgname(prg);
			return cmd_help_topic(argc - 1, argv + 1);
		}
	const struct command *c = find(argv[1]);
	if (!c) {
		unknown_name("a command or help topic", argv[1], true);
		return EXIT_INPUT;
	}
	if (argc > 2) {
		msg_error("unexpected argument '%s'", argv[2]);
		msg_usage("%s", HELP_USAGE);
		return EXIT_INPUT;
	}
	/* the help's "Usage:" line names the command, not help */
	g_autofree char *prg = g_strdup_printf("accelsim %s", c->name);
	g_set_prgname(prg);
	char *args[] = { argv[1], (char *)"--help", NULL };
	return c->fn(2, args);
}

/* accelsim --list=WHAT (hidden): names for shell completion. */
static int list(const char *what)
{
	if (strcmp(what, "commands"))
		return cmd_list(what);
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (commands[i].fn)
			printf("%s\n", commands[i].name);
	return EXIT_OK;
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
	if (!strcmp(argv[1], "--list") || g_str_has_prefix(argv[1], "--list=")) {
		const bool joined = argv[1][6] == '=';
		const char *what = joined ? argv[1] + 7 : argc > 2 ? argv[2] : "";

		if (argc > (joined ? 2 : 3)) {
			msg_error("--list: unexpected argument '%s'", argv[joined ? 2 : 3]);
			return EXIT_INPUT;
		}
		return list(what);
	}
	const struct command *c = find(argv[1]);
	if (!c) {
		unknown_name("an accelsim command", argv[1], false);
		return EXIT_INPUT;
	}
	/* GOptionContext's "Usage:" line names the program: "accelsim run" */
	g_autofree char *prg = g_strdup_printf("accelsim %s", c->name);
	g_set_prgname(prg);
	return c->fn(argc - 1, argv + 1);
}
