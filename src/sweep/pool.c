/* pool.c: worker processes, a few at a time (see pool.h).
 *
 * One GMainContext drives everything: each worker's end arrives as the
 * completion of g_subprocess_communicate_utf8_async (its standard error,
 * kept for the message of a failed point), SIGINT and SIGTERM as GLib
 * unix signal sources, and the progress bar as a timeout.  Nothing blocks
 * but the context's iteration.
 */
#define _GNU_SOURCE
#include "sweep/pool.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "core/msg.h"

struct sweep_job *sweep_job_new(const char *const *argv, const char *dir, const char *label)
{
	struct sweep_job *j = g_new0(struct sweep_job, 1);

	j->argv = g_ptr_array_new_with_free_func(g_free);
	for (const char *const *a = argv; *a; a++)
		g_ptr_array_add(j->argv, g_strdup(*a));
	g_ptr_array_add(j->argv, NULL);
	j->dir = g_strdup(dir);
	j->label = g_strdup(label);
	return j;
}

void sweep_job_free(struct sweep_job *j)
{
	if (!j)
		return;
	g_assert(!j->proc);
	g_ptr_array_unref(j->argv);
	g_free(j->dir);
	g_free(j->label);
	g_free(j->error);
	g_free(j);
}

char *sweep_self_path(void)
{
	char *p = g_file_read_link("/proc/self/exe", NULL);

	return p ? p : g_strdup("accelsim");
}

unsigned sweep_default_jobs(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* Remove dir and everything in it (a stopped or failed worker's
 * half-written result); errors are ignored: nothing else depends on it. */
static void remove_tree(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			remove_tree(p);
		else
			g_unlink(p);
	}
	g_rmdir(dir);
}

struct pool {
	GPtrArray *jobs;
	const struct sweep_pool_opts *o;
	GSubprocessLauncher *launcher;
	guint next, running, finished;
	bool stopping;
	unsigned signals;	/* interrupts received */
	gint64 t0;
};

/* In the child, before exec: a process group of its own (the terminal's
 * Ctrl-C goes to the pool alone), and death with the pool. */
static void child_setup(gpointer data G_GNUC_UNUSED)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static void draw_progress(struct pool *pl)
{
	const guint n = pl->jobs->len, done = pl->finished;
	const double el = (g_get_monotonic_time() - pl->t0) / 1e6;
	const int width = 30;
	char bar[64], left[32] = "";
	int fill = n ? (int)((double)done * width / n) : width;

	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(width - fill));
	bar[width] = '\0';
	if (done && done < n) {
		double eta = el / done * (n - done);

		snprintf(left, sizeof(left), ", ~%d:%02d left", (int)eta / 60, (int)eta % 60);
	}
	fprintf(stderr, "\r\033[K[%s] %u/%u %s, %d:%02d elapsed%s%s", bar, done, n, pl->o->what,
		(int)el / 60, (int)el % 60, left, pl->stopping ? ", stopping" : "");
	fflush(stderr);
}

static gboolean on_tick(gpointer data)
{
	draw_progress(data);
	return G_SOURCE_CONTINUE;
}

/* The error lines of a worker's standard error ("accelsim: error: ..."
 * or "file:line: ..."), or its last line when none says "error". */
static char *error_of(const char *err)
{
	g_auto(GStrv) lines = g_strsplit(err ? err : "", "\n", -1);
	g_autoptr(GString) out = g_string_new(NULL);
	const char *last = NULL;

	for (char **l = lines; *l; l++) {
		const char *e = strstr(*l, "error: ");

		if (!**l)
			continue;
		last = *l;
		if (!e)
			continue;
		if (out->len)
			g_string_append(out, "; ");
		/* "accelsim: error: x" -> "x"; a located message stays whole */
		g_string_append(out, g_str_has_prefix(*l, "accelsim: error: ") ? e + 7 : *l);
	}
	if (!out->len)
		g_string_append(out, last ? last : "no message");
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void start_next(struct pool *pl);

static void on_done(GObject *src, GAsyncResult *res, gpointer data)
{
	struct pool *pl = data;
	GSubprocess *proc = G_SUBPROCESS(src);
	struct sweep_job *j = NULL;
	g_autofree char *err_text = NULL;
	g_autoptr(GError) e = NULL;

	for (guint i = 0; i < pl->jobs->len && !j; i++)
		if (((struct sweep_job *)pl->jobs->pdata[i])->proc == proc)
			j = pl->jobs->pdata[i];
	g_assert(j);
	g_subprocess_communicate_utf8_finish(proc, res, NULL, &err_text, &e);
	if (g_subprocess_get_if_exited(proc) && g_subprocess_get_exit_status(proc) == 0) {
		j->state = JOB_DONE;
	} else if (pl->stopping) {
		j->state = JOB_STOPPED;
	} else {
		j->state = JOB_FAILED;
		if (g_subprocess_get_if_signaled(proc))
			j->error = g_strdup_printf("killed by signal %d (%s)",
						   g_subprocess_get_term_sig(proc),
						   g_strsignal(g_subprocess_get_term_sig(proc)));
		else
			j->error = error_of(e ? e->message : err_text);
	}
	if (j->state != JOB_DONE && j->dir)
		remove_tree(j->dir);
	j->proc = NULL;
	g_object_unref(proc);
	pl->running--;
	pl->finished++;
	if (pl->o->progress)
		draw_progress(pl);
	start_next(pl);
}

static void start_next(struct pool *pl)
{
	while (!pl->stopping && pl->running < pl->o->jobs && pl->next < pl->jobs->len) {
		struct sweep_job *j = pl->jobs->pdata[pl->next++];
		g_autoptr(GError) e = NULL;
		GSubprocess *proc = g_subprocess_launcher_spawnv(
			pl->launcher, (const char *const *)j->argv->pdata, &e);

		if (!proc) {
			j->state = JOB_FAILED;
			j->error = g_strdup_printf("cannot start '%s': %s",
						   (char *)j->argv->pdata[0], e->message);
			pl->finished++;
			continue;
		}
		j->proc = proc;
		j->state = JOB_RUNNING;
		pl->running++;
		g_subprocess_communicate_utf8_async(proc, NULL, NULL, on_done, pl);
	}
}

static gboolean on_signal(gpointer data)
{
	struct pool *pl = data;
	/* a second interrupt: do not wait for the workers to stop politely */
	const int sig = pl->signals++ ? SIGKILL : SIGTERM;

	pl->stopping = true;
	for (guint i = 0; i < pl->jobs->len; i++) {
		struct sweep_job *j = pl->jobs->pdata[i];

		if (j->proc)
			g_subprocess_send_signal(j->proc, sig);
	}
	return G_SOURCE_CONTINUE;
}

bool sweep_pool_run(GPtrArray *jobs, const struct sweep_pool_opts *o)
{
	struct pool pl = { .jobs = jobs, .o = o, .t0 = g_get_monotonic_time() };
	g_autoptr(GMainContext) ctx = g_main_context_new();

	g_assert(o->jobs >= 1);
	g_main_context_push_thread_default(ctx);
	pl.launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
						G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_child_setup(pl.launcher, child_setup, NULL, NULL);

	GSource *sig_int = g_unix_signal_source_new(SIGINT);
	GSource *sig_term = g_unix_signal_source_new(SIGTERM);
	g_source_set_callback(sig_int, on_signal, &pl, NULL);
	g_source_set_callback(sig_term, on_signal, &pl, NULL);
	g_source_attach(sig_int, ctx);
	g_source_attach(sig_term, ctx);
	GSource *tick = NULL;
	if (o->progress) {
		tick = g_timeout_source_new(500);
		g_source_set_callback(tick, on_tick, &pl, NULL);
		g_source_attach(tick, ctx);
		draw_progress(&pl);
	}

	start_next(&pl);
	while (pl.running > 0 || (!pl.stopping && pl.next < jobs->len)) {
		g_main_context_iteration(ctx, TRUE);
		start_next(&pl);
	}

	if (tick) {
		g_source_destroy(tick);
		g_source_unref(tick);
	}
	g_source_destroy(sig_int);
	g_source_destroy(sig_term);
	g_source_unref(sig_int);
	g_source_unref(sig_term);
	if (o->progress) {
		/* the bar's last state stays on the terminal */
		draw_progress(&pl);
		fputc('\n', stderr);
	}
	g_object_unref(pl.launcher);
	g_main_context_pop_thread_default(ctx);
	return pl.stopping;
}
