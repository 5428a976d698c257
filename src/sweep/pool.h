/* pool.h: run worker processes, a few at a time.
 *
 * Each job is one `accelsim run` (SimGrid has one engine per process),
 * started with GSubprocess in a process group of its own, so that a
 * terminal's Ctrl-C reaches the pool alone: the pool then stops its
 * workers (SIGTERM), waits for every one of them, and removes the
 * directories of those that had not finished.  A worker also dies with
 * the pool (PR_SET_PDEATHSIG), so none outlives it.  A failed job is
 * kept with its error; the others still run.
 */
#ifndef ACCELSIM_SWEEP_POOL_H
#define ACCELSIM_SWEEP_POOL_H

#include <glib.h>
#include <stdbool.h>

enum sweep_job_state {
	JOB_PENDING,
	JOB_RUNNING,
	JOB_DONE,
	JOB_FAILED,	/* exited with an error: error says which */
	JOB_STOPPED,	/* stopped by an interrupt before it finished */
};

struct sweep_job {
	GPtrArray *argv;	/* char *, NULL-terminated: the command line */
	char *dir;		/* the result directory it writes; NULL: none */
	char *label;		/* "point 3/12 (load_pct=30), seed 2", for messages */
	enum sweep_job_state state;
	char *error;		/* a failed job's message (its stderr's error lines) */
	void *proc;		/* GSubprocess while running */
};

typedef struct sweep_job sweep_job;
/* A job running argv (copied; the first element is the program) that
 * writes dir (copied, may be NULL); free with sweep_job_free(). */
struct sweep_job *sweep_job_new(const char *const *argv, const char *dir, const char *label);
void sweep_job_free(struct sweep_job *j);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep_job, sweep_job_free)

struct sweep_pool_opts {
	unsigned jobs;		/* at most this many at once (>= 1) */
	bool progress;		/* a progress bar on stderr */
	const char *what;	/* what the bar counts: "runs" */
};

/* Run jobs (struct sweep_job *), at most o->jobs at a time, until all have
 * finished or an interrupt (SIGINT, SIGTERM) stopped them; returns TRUE
 * when an interrupt did.  A job that fails (a worker that cannot even
 * start included) is JOB_FAILED with its error and does not stop the
 * others; a job an interrupt stopped is JOB_STOPPED, one it kept from
 * starting JOB_PENDING. */
bool sweep_pool_run(GPtrArray *jobs, const struct sweep_pool_opts *o);

/* The accelsim binary running now (an absolute path; caller frees), for
 * the workers' command lines. */
char *sweep_self_path(void);

/* The number of cores this process may run on (sched_getaffinity), at
 * least 1: the default --jobs. */
unsigned sweep_default_jobs(void);

#endif
