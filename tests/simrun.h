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

/* A model where every stage is free: links and DMA at 10 Pbit/s with no
 * latency, no CPU cost, no wake-up delays, no shaper.  Tests lay the
 * stage under test over it. */
extern const char sim_free_model[];

struct run_result *simrun(const char *dir, const char *base_model, const char *model_extra,
			  const struct engine_opts *o, const char *scenario);

/* simrun() of sim_free_model with model_extra, the scenario's text made
 * by printf from fmt, and no engine options. */
struct run_result *simrun_printf(const char *dir, const char *model_extra, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

/* The text of base_model with model_extra's keys laid over it, as simrun
 * writes it.  Caller frees. */
char *sim_model_text(const char *base_model, const char *model_extra);

/* The shipped scenario name with the --set overrides sets (NULL-terminated,
 * or NULL), run in a child process.  The caller frees the result. */
struct run_result *simrun_shipped(const char *name, char *const *sets);

/* Stage name of path p in r: NULL when the path has none (the _or_null
 * form), a failed test otherwise. */
const struct stage_result *sim_stage_or_null(const struct run_result *r, enum path_id p,
					     const char *name);
const struct stage_result *sim_stage(const struct run_result *r, enum path_id p,
				     const char *name);

/* Fail the test unless got is within tol (relative) of want; prints both. */
void sim_assert_within(double got, double want, double tol, const char *what);

/* Fail unless offered = delivered + dropped + in flight on both paths. */
void sim_check_conservation(const struct run_result *r);

#endif
