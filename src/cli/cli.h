/* cli.h: what the subcommands' command lines share: parsing options, the
 * one-scenario argument, --set, --seed, --seeds, colour.  Each check that
 * fails has already printed its one-line error (and, given a usage line,
 * the usage) through core/msg.h; the caller returns EXIT_INPUT. */
#ifndef ACCELSIM_CLI_H
#define ACCELSIM_CLI_H

#include <glib.h>
#include <stdbool.h>

/* What run and trace take as a scenario, and sweep (whose points are each
 * their own process: no standard input). */
#define CLI_SCENARIO_OR_STDIN "a file, a shipped scenario's name or - for standard input"
#define CLI_SCENARIO_FILE "a file or a shipped scenario's name"

/* Parse the command line (argc and argv, by pointer) with ctx.  On a bad
 * option print GLib's message as ours ("accelsim: error: ", lowercase
 * start) and, when usage is not NULL, "usage: <usage>"; FALSE then. */
bool cli_parse(GOptionContext *ctx, int *argc, char ***argv, const char *usage);

/* After parsing, argv[1] is the one scenario (argc == 2).  Otherwise print
 * "expected a scenario (<what>), got none" or "expected one scenario, got
 * 'A' and 'B'", then usage; FALSE. */
bool cli_one_scenario(int argc, char *const *argv, const char *what, const char *usage);

/* Every --set in sets (NULL: none) reads section.key=value.  Otherwise
 * print the first that does not, then usage; FALSE.  value (or NULL) is the
 * argument that followed the command's one scenario, the value of a
 * "--set section.key value": the message then suggests --set K=value. */
bool cli_sets_ok(char *const *sets, const char *value, const char *usage);

/* --seed as a number option: -1 (not given) or 0 to UINT32_MAX. */
bool cli_seed_ok(gint64 seed);

/* --seeds: a number of runs from 1 to 10000. */
bool cli_seeds_ok(gint64 seeds);

/* Colour on standard output: only on a terminal, never with NO_COLOR set
 * (no-color.org) or TERM=dumb. */
bool cli_want_colour(void);

#endif
