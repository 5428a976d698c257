/* emit.c: jobs for GNU parallel or a Slurm array (see emit.h). */
#include "sweep/emit.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msg.h"
#include "sweep/pool.h"

char *sweep_shell_line(const char *const *argv)
{
	GString *s = g_string_new(NULL);

	for (const char *const *a = argv; *a; a++) {
		if (a != argv)
			g_string_append_c(s, ' ');
		/* words of safe characters as they are, the rest in single quotes */
		if (**a && strspn(*a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789-_./=:,+%@") == strlen(*a)) {
			g_string_append(s, *a);
			continue;
		}
		g_string_append_c(s, '\'');
		for (const char *c = *a; *c; c++) {
			if (*c == '\'')
				g_string_append(s, "'\\''");
			else
				g_string_append_c(s, *c);
		}
		g_string_append_c(s, '\'');
	}
	return g_string_free(s, FALSE);
}

static void write_parallel(FILE *f, GPtrArray *jobs)
{
	for (guint i = 0; i < jobs->len; i++) {
		const struct sweep_job *j = jobs->pdata[i];
		g_autofree char *line = sweep_shell_line((const char *const *)j->argv->pdata);

		/* the table a run prints is in its result.txt already */
		fprintf(f, "%s >/dev/null\n", line);
	}
}

static void write_slurm(FILE *f, GPtrArray *jobs, const char *file, const char *logdir,
			const char *what)
{
	g_autofree char *log = g_build_filename(logdir, "slurm-%A_%a.out", NULL);
	const char *const logv[] = { log, NULL };
	g_autofree char *qlog = sweep_shell_line(logv);

	fprintf(f, "#!/bin/sh\n"
		   "# %s: one Slurm array task per run; task N runs job N.\n"
		   "# Submit with: sbatch %s   (or sbatch --wait to wait for them all)\n"
		   "#SBATCH --job-name=accelsim-sweep\n"
		   "#SBATCH --array=1-%u\n"
		   "#SBATCH --ntasks=1\n"
		   "#SBATCH --cpus-per-task=1\n"
		   "#SBATCH --output=%s\n"
		   "set -eu\n"
		   "case \"${SLURM_ARRAY_TASK_ID:?run this with sbatch: it is an array job}\" in\n",
		what, file, jobs->len, qlog);
	for (guint i = 0; i < jobs->len; i++) {
		const struct sweep_job *j = jobs->pdata[i];
		g_autofree char *line = sweep_shell_line((const char *const *)j->argv->pdata);

		fprintf(f, "%u) exec %s ;;\n", i + 1, line);
	}
	fprintf(f, "*) echo \"no job $SLURM_ARRAY_TASK_ID: the array is 1-%u\" >&2; exit 2 ;;\n"
		   "esac\n",
		jobs->len);
}

bool sweep_emit(const char *file, GPtrArray *jobs, bool slurm, const char *logdir,
		const char *what, GError **error)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	g_autoptr(GError) e = NULL;

	if (!f) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    file, g_strerror(errno));
		return false;
	}
	if (slurm)
		write_slurm(f, jobs, file, logdir, what);
	else
		write_parallel(f, jobs);
	bool ok = fclose(f) == 0 && g_file_set_contents(file, text, (gssize)len, &e);
	free(text);
	if (!ok) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s",
			    file, e ? e->message : g_strerror(errno));
		return false;
	}
	if (slurm && g_chmod(file, 0755) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot chmod '%s': %s",
			    file, g_strerror(errno));
		return false;
	}
	return true;
}
