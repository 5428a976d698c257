/* run.h: this binary run as a child, for calibration and validation:
 * `accelsim real measure ... -o DIR` and `accelsim run SCENARIO -o DIR`,
 * and the working directory their results go to.
 *
 * SIGINT, SIGTERM and SIGHUP reach the child too (same process group): it
 * removes what it built and exits 1; the parent, which only sets a flag
 * while children run, then stops and reports it.
 */
#ifndef ACCELSIM_CALIBRATE_RUN_H
#define ACCELSIM_CALIBRATE_RUN_H

#include <glib.h>
#include <stdbool.h>

#include "calibrate/calibrate.h"

/* Install the flag handlers (run_guard_restore puts the old ones back). */
void run_guard_install(void);
void run_guard_restore(void);
/* A signal came since run_guard_install(). */
bool run_interrupted(void);

/* Run `accelsim real measure` on target with extra arguments (NULL-
 * terminated), results into dir.  RUNTIME error quoting the child's last
 * error line when it fails or is interrupted; UNSUPPORTED or INPUT as the
 * child's exit status 2 says. */
bool run_measure(const struct calib_target *t, const char *const *extra, const char *dir,
		 GError **error);

/* Run `accelsim run scenario -o dir`. */
bool run_simulate(const char *scenario, const char *dir, GError **error);

/* keep (created if missing), or a new temporary directory; NULL and a
 * RUNTIME error when neither can be made.  run_workdir_done() removes a
 * temporary one with what it holds. */
char *run_workdir(const char *keep, GError **error);
void run_workdir_done(const char *dir, const char *keep);

#endif
