/* cmd.h: the subcommands of accelsim.  Each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the exit status: 0 ok,
 * 1 runtime failure, 2 usage or input error. */
#ifndef ACCELSIM_CMD_H
#define ACCELSIM_CMD_H

#include <stdbool.h>

#include "report/provenance.h"

int cmd_run(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);
int cmd_check_size(int argc, char **argv);
int cmd_help(int argc, char **argv);
/* `help model|scenario [SECTION]`: argv[0] is the topic. */
int cmd_help_topic(int argc, char **argv);
/* `accelsim --list=WHAT`: one name a line, for shell completion: commands
 * (in accelsim.c), scenarios, models, sizes, keys (section.key), sections
 * ("model vswitch", "scenario traffic"). */
int cmd_list(const char *what);
int cmd_real(int argc, char **argv);	/* src/real/cmd_real.c */

struct scenario;
/* What the latency figures of s measure, from its counted sources (the
 * measured VM's); *requests when every one of them is request/response
 * (cmd_run.c; run and explain say it alike). */
enum latency_kind run_latency_kind(const struct scenario *s, bool *requests);

struct run_result;
/* When s's VM size does not offer accelerated networking, or requires it,
 * mark that path of r hypothetical and say why in r's note "vm size"
 * (cmd_run.c; trace and explain say it too). */
void run_size_note(const struct scenario *s, struct run_result *r);

#endif
