/* emit.h: a sweep's runs as jobs for an existing engine.
 *
 * accelsim grows no scheduler of its own: past one machine, a sweep
 * writes one self-contained command line per run (each writing its own
 * result folder), for GNU parallel (one command a line: `parallel <
 * FILE`, `parallel --sshloginfile HOSTS < FILE`) or as a Slurm array job
 * (an sbatch script whose task SLURM_ARRAY_TASK_ID runs line
 * SLURM_ARRAY_TASK_ID).  `accelsim merge` reads what they wrote.
 */
#ifndef ACCELSIM_SWEEP_EMIT_H
#define ACCELSIM_SWEEP_EMIT_H

#include <glib.h>
#include <stdbool.h>

/* argv (NULL-terminated) quoted for a POSIX shell; caller frees. */
char *sweep_shell_line(const char *const *argv);

/* Write the jobs (struct sweep_job *) to file: one command line each, or
 * with slurm an sbatch script for an array of them whose logs go to
 * logdir.  what says what the jobs are, for the file's header comment.
 * FALSE and an ACCELSIM_ERROR_RUNTIME error when file cannot be written. */
bool sweep_emit(const char *file, GPtrArray *jobs, bool slurm, const char *logdir,
		const char *what, GError **error);

#endif
