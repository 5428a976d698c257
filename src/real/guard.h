/* guard.h: turn SIGINT, SIGTERM and SIGHUP into a flag while real mode has
 * something to clean up.
 *
 * The handlers only set the flag; the measuring loops check it (their
 * receives time out or return EINTR) and return through the ordinary
 * cleanup path, which removes the namespaces.  The command then prints the
 * figures measured so far, marked partial, and exits 1, as `run` does
 * when Ctrl-C stops it.
 */
#ifndef ACCELSIM_REAL_GUARD_H
#define ACCELSIM_REAL_GUARD_H

#include <signal.h>

/* Install the handlers (saving the previous ones) and clear the flag. */
void guard_install(void);
/* Put back the handlers guard_install() replaced; the flag stays. */
void guard_restore(void);

/* The flag the loops watch: non-zero once a signal came. */
volatile const sig_atomic_t *guard_flag(void);
/* The signal that set it, 0 if none. */
int guard_signal(void);

#endif
