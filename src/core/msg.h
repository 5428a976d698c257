/* msg.h: the one place accelsim reports errors, warnings and usage.
 *
 * Errors travel as GError in the ACCELSIM_ERROR domain; the code says which
 * exit status they lead to (ACCELSIM_ERROR_INPUT: 2, ACCELSIM_ERROR_RUNTIME: 1).
 * A message that is located in a file already starts with "file:line: ";
 * msg_report_error() prints it as is, and prefixes anything else with
 * "accelsim: error: ", as git's usage.c does.
 */
#ifndef ACCELSIM_MSG_H
#define ACCELSIM_MSG_H

#include <glib.h>
#include <stdbool.h>

#define ACCELSIM_ERROR (accelsim_error_quark())
GQuark accelsim_error_quark(void);

enum accelsim_error_code {
	ACCELSIM_ERROR_INPUT,	/* bad usage or invalid input: exit 2 */
	ACCELSIM_ERROR_RUNTIME,	/* the run failed (I/O, simulation, measurement): exit 1 */
	ACCELSIM_ERROR_UNSUPPORTED, /* not available here (no root, no netns): exit 2 */
};

enum accelsim_exit {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,
	EXIT_INPUT = 2,
};

/* Exit status for an error: 2 for input and unsupported, 1 otherwise. */
int msg_exit_code(const GError *error);

/* Print error to stderr (every line of a multi-line message), located
 * messages as they are and the rest after "accelsim: error: ". */
void msg_report_error(const GError *error);

/* Print "accelsim: error: ..." / "accelsim: warning: ..." / "usage: ...". */
void msg_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void msg_warning(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void msg_usage(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Print "accelsim: error: options 'a' and 'b' cannot be used together", as
 * git does: the usage error of two options that exclude each other. */
void msg_conflict(const char *a, const char *b);

/* Report error, free it and return its exit code: the tail of a command. */
int msg_fail(GError *error);

#endif
