/* fork.c: engine_run() in a child process, so one process may simulate
 * many times (SimGrid allows one simulation per process).  The child hands
 * back the run_result's lossless key-file form and the engine's own
 * figures through a pipe.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/msg.h"
#include "engine/internal.h"

/* The engine's own figures, each once: what the child hands back. */
#define STAT(t_, f_) { #f_, t_, offsetof(struct engine_stats, f_) }
#define STATN(n_, t_, f_) { n_, t_, offsetof(struct engine_stats, f_) }
static const struct {
	const char *key;
	char type;	/* 'd' double, 'u' uint64_t, 'i' unsigned, 'z' size_t */
	size_t offset;
} stat_keys[] = {
	STAT('d', window_s),	     STAT('u', windows),	  STAT('u', sweeps),
	STAT('u', packets),	     STAT('u', activities),
	STATN("flops_normal", 'd', simgrid_flops[0]),
	STATN("flops_accelerated", 'd', simgrid_flops[1]),
	STATN("cycles_normal", 'd', cycles[0]),
	STATN("cycles_accelerated", 'd', cycles[1]),
	STAT('i', exact_stages),     STAT('z', peak_packets),
};
#undef STAT
#undef STATN

static void put_stats(GKeyFile *k, const struct engine_stats *st)
{
	for (size_t i = 0; i < G_N_ELEMENTS(stat_keys); i++) {
		const char *f = (const char *)st + stat_keys[i].offset;

		switch (stat_keys[i].type) {
		case 'd':
			g_key_file_set_double(k, "engine", stat_keys[i].key, *(const double *)f);
			break;
		case 'u':
			g_key_file_set_uint64(k, "engine", stat_keys[i].key, *(const uint64_t *)f);
			break;
		case 'i':
			g_key_file_set_uint64(k, "engine", stat_keys[i].key, *(const unsigned *)f);
			break;
		case 'z':
			g_key_file_set_uint64(k, "engine", stat_keys[i].key, *(const size_t *)f);
			break;
		}
	}
}

static void get_stats(GKeyFile *k, struct engine_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < G_N_ELEMENTS(stat_keys); i++) {
		char *f = (char *)st + stat_keys[i].offset;
		const char *key = stat_keys[i].key;

		switch (stat_keys[i].type) {
		case 'd':
			*(double *)f = g_key_file_get_double(k, "engine", key, NULL);
			break;
		case 'u':
			*(uint64_t *)f = g_key_file_get_uint64(k, "engine", key, NULL);
			break;
		case 'i':
			*(unsigned *)f = (unsigned)g_key_file_get_uint64(k, "engine", key, NULL);
			break;
		case 'z':
			*(size_t *)f = g_key_file_get_uint64(k, "engine", key, NULL);
			break;
		}
	}
}

/* The child's part: run, hand back the result or the error on fd.
 * Returns the child's exit status. */
static int child_run(int fd, const struct scenario *s, const struct engine_opts *o)
{
	GError *err = NULL;
	struct run_result *r = run_result_new();
	bool ok = engine_run(s, o, r, &err);
	char *data;
	int status = ok ? 0 : 1;

	if (ok) {
		GKeyFile *k = run_result_to_keyfile(r);

		put_stats(k, engine_last_stats());
		data = g_key_file_to_data(k, NULL, NULL);
		g_key_file_unref(k);
	} else {
		data = g_strdup_printf("error %d\n%s", err->code, err->message);
		g_error_free(err);
	}
	run_result_free(r);
	for (size_t len = strlen(data), done = 0; done < len;) {
		ssize_t n = write(fd, data + done, len - done);

		if (n <= 0) {
			status = 3;
			break;
		}
		done += (size_t)n;
	}
	g_free(data);
	close(fd);
	return status;
}

bool engine_run_forked(const struct scenario *s, const struct engine_opts *o,
		       struct run_result *out, GError **error)
{
	int fd[2];

	if (pipe(fd) < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "pipe: %s",
			    g_strerror(errno));
		return false;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "fork: %s",
			    g_strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return false;
	}
	if (pid == 0) {
		close(fd[0]);
		/* _exit skips every cleanup: free what the child made first */
		_exit(child_run(fd[1], s, o));
	}
	close(fd[1]);
	g_autoptr(GString) buf = g_string_new(NULL);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd[0], chunk, sizeof(chunk))) > 0)
		g_string_append_len(buf, chunk, n);
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (g_str_has_prefix(buf->str, "error ")) {
		char *nl = strchr(buf->str, '\n');
		int code = atoi(buf->str + 6);

		g_set_error_literal(error, ACCELSIM_ERROR, code, nl ? nl + 1 : "simulation failed");
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "the simulation process failed (status %d)", status);
		return false;
	}
	g_autoptr(GKeyFile) k = g_key_file_new();
	GError *e = NULL;

	if (!g_key_file_load_from_data(k, buf->str, buf->len, G_KEY_FILE_NONE, &e)) {
		g_propagate_prefixed_error(error, e, "reading the simulation's results: ");
		return false;
	}
	if (!run_result_from_keyfile(k, out, error))
		return false;
	get_stats(k, &engine_stats_last);
	return true;
}

