/* simrun.h: run a simulation from text, for the simulator's tests.
 *
 * Writes base_model with model_extra's keys laid over it, and a scenario
 * naming that model, into dir; loads and runs it in a child process (one
 * SimGrid engine per process).  Fails the calling cmocka test on any
 * error.  The caller frees the result. */
#ifndef ACCELSIM_SIMRUN_H
#define ACCELSIM_SIMRUN_H

#include "engine/engine.h"
#include "report/result.h"

struct run_result *simrun(const char *dir, const char *base_model, const char *model_extra,
			  const struct engine_opts *o, const char *scenario);

/* Remove what simrun wrote into dir, and dir. */
void simrun_cleanup(const char *dir);

#endif
