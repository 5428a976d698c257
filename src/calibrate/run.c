/* run.c: measurements and simulations as child processes (see run.h). */
#include "calibrate/run.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "core/msg.h"

static const int guarded[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[G_N_ELEMENTS(guarded)];
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

void run_guard_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(guarded); i++)
		sigaction(guarded[i], &sa, &saved[i]);
}

void run_guard_restore(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(guarded); i++)
		sigaction(guarded[i], &saved[i], NULL);
}

bool run_interrupted(void)
{
	return caught != 0;
}

/* The last non-empty line of text (for a child's error), copied. */
static char *last_line(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	const char *last = "";

	for (char **l = lines; *l; l++)
		if (**l)
			last = *l;
	return g_strdup(last);
}

static bool run_self(GPtrArray *args, const char *what, GError **error)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *err_text = NULL;
	GError *err = NULL;
	int status;

	if (run_interrupted()) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "interrupted by signal %d before %s", (int)caught, what);
		return false;
	}
	g_ptr_array_insert(args, 0, self ? self : "/proc/self/exe");
	g_ptr_array_add(args, NULL);
	if (!g_spawn_sync(NULL, (char **)args->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
			  NULL, NULL, &err_text, &status, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot run %s: %s",
			    what, err->message);
		g_error_free(err);
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !run_interrupted())
		return true;
	g_autofree char *why = last_line(err_text);
	const char *msg = g_str_has_prefix(why, "accelsim: error: ") ?
				  why + strlen("accelsim: error: ") : why;
	if (run_interrupted())
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "interrupted by signal %d during %s", (int)caught, what);
	else
		g_set_error(error, ACCELSIM_ERROR,
			    WIFEXITED(status) && WEXITSTATUS(status) == 2 ?
			    ACCELSIM_ERROR_UNSUPPORTED : ACCELSIM_ERROR_RUNTIME,
			    "%s failed: %s", what, *msg ? msg : "no message");
	return false;
}

bool run_measure(const struct calib_target *t, const char *const *extra, const char *dir,
		 GError **error)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();

	g_ptr_array_add(args, "real");
	g_ptr_array_add(args, "measure");
	if (t->emulate) {
		g_ptr_array_add(args, "--emulate");
	} else {
		g_ptr_array_add(args, "--vf");
		g_ptr_array_add(args, (char *)t->vf);
		g_ptr_array_add(args, "--via");
		g_ptr_array_add(args, (char *)t->via);
		g_ptr_array_add(args, "--peer");
		g_ptr_array_add(args, (char *)t->peer);
	}
	for (const char *const *a = extra; *a; a++)
		g_ptr_array_add(args, (char *)*a);
	g_ptr_array_add(args, "-o");
	g_ptr_array_add(args, (char *)dir);
	return run_self(args, "a measurement", error);
}

bool run_simulate(const char *scenario, const char *dir, GError **error)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();

	g_ptr_array_add(args, "run");
	g_ptr_array_add(args, (char *)scenario);
	g_ptr_array_add(args, "--quiet");
	g_ptr_array_add(args, "-o");
	g_ptr_array_add(args, (char *)dir);
	return run_self(args, "a simulation", error);
}

char *run_workdir(const char *keep, GError **error)
{
	GError *err = NULL;
	char *dir;

	if (keep) {
		if (g_mkdir_with_parents(keep, 0755) != 0) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "cannot create '%s': %s", keep, g_strerror(errno));
			return NULL;
		}
		return g_strdup(keep);
	}
	dir = g_dir_make_tmp("accelsim-calibrate-XXXXXX", &err);
	if (!dir) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot create a working directory: %s", err->message);
		g_error_free(err);
	}
	return dir;
}

/* Remove dir and what it holds (our own files, a few levels deep). */
static void remove_tree(const char *dir, int depth)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *e;

	while (d && (e = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, e, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK)) {
			if (depth > 0)
				remove_tree(p, depth - 1);
		} else {
			g_unlink(p);
		}
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
}

void run_workdir_done(const char *dir, const char *keep)
{
	if (dir && !keep)
		remove_tree(dir, 3);
}
