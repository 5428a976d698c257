/* engine.h: run a scenario through both pipelines in one SimGrid simulation.
 *
 * How the engine spends SimGrid activities, and why each mode is exact
 * where it claims to be, is in docs/engine.md.  One engine per process:
 * SimGrid allows one simulation per process, so engine_run() may be called
 * once; tests and sweeps run each simulation in its own process
 * (engine_run_forked()). */
#ifndef ACCELSIM_ENGINE_H
#define ACCELSIM_ENGINE_H

#include <glib.h>
#include <signal.h>
#include <stdbool.h>

#include "config/scenario.h"
#include "report/result.h"

struct engine_tracer;

struct engine_opts {
	bool progress;			/* a progress line on stderr */
	/* every packet's every event (engine/trace.h); NULL: none.  Called in
	 * the simulating process: engine_run(), not engine_run_forked(),
	 * unless the callback leaves its record where the parent finds it */
	const struct engine_tracer *tracer;
	volatile sig_atomic_t *stop;	/* set to stop early: figures so far, partial */
	bool quiet_simgrid;		/* keep SimGrid's own log quiet */
	double interval_s;		/* run --interval: length of one interval of the
					 * time series, seconds; 0: no series */
};

/* Simulate s and fill out (which must be empty: run_result_new()).
 * FALSE and error if the scenario cannot be simulated (exit 2 material,
 * e.g. an unsupported combination) or the simulation failed. */
bool engine_run(const struct scenario *s, const struct engine_opts *o, struct run_result *out,
		GError **error);

/* The same in a child process, so a process may simulate many times
 * (tests, sweeps). */
bool engine_run_forked(const struct scenario *s, const struct engine_opts *o,
		       struct run_result *out, GError **error);

/* Engine figures beyond the report, for tests and the benchmark. */
struct engine_stats {
	double window_s;	/* window used */
	uint64_t windows;	/* passes made */
	uint64_t sweeps;	/* extra sweeps loops needed within windows */
	uint64_t packets;	/* packets simulated, both paths */
	uint64_t activities;	/* SimGrid activities started by the engine */
	double simgrid_flops[2];/* flops SimGrid computed on each path's hosts */
	double cycles[2];	/* cycles the stages spent, each path */
	unsigned exact_stages;	/* stages run by actors in exact mode */
	size_t peak_packets;	/* pool high-water mark */
};

/* Figures of the last engine_run in this process. */
const struct engine_stats *engine_last_stats(void);

#endif
