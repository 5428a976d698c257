/* outdir.c: result files written whole, into a locked directory (see
 * outdir.h).
 *
 * Every file operation is relative to a descriptor of the directory
 * (openat, renameat, unlinkat), so the directory is the one that was
 * checked even if its path changes meanwhile, and no name in it is
 * followed: files are created with O_EXCL (which refuses a symbolic link
 * as an existing name) and renamed over what was there.  The lock is
 * flock() on OUTDIR_LOCK, which the kernel drops when the holder exits,
 * however it exits: no stale lock to clean up.
 */
#include "core/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/msg.h"

struct outdir {
	char *path;
	int dfd;		/* the directory */
	int lock_fd;		/* OUTDIR_LOCK, flock()ed */
	char **names;		/* the files of a set */
};

static bool fail(GError **error, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool fail(GError **error, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, ACCELSIM_ERROR, code, m);
	return false;
}

void outdir_close(struct outdir *od)
{
	if (!od)
		return;
	if (od->lock_fd >= 0)
		close(od->lock_fd);
	if (od->dfd >= 0)
		close(od->dfd);
	g_strfreev(od->names);
	g_free(od->path);
	g_free(od);
}

/* The marker's name without its leading dot: temporary files are
 * ".NAME.tmp-XXXXXX". */
#define MARKER_NAME (&OUTDIR_MARKER[1])

static bool is_temp_of(const char *entry, const char *name)
{
	size_t len = strlen(name);

	return entry[0] == '.' && !strncmp(entry + 1, name, len) &&
	       g_str_has_prefix(entry + 1 + len, ".tmp-") &&
	       strlen(entry + 1 + len) == strlen(".tmp-XXXXXX");
}

/* Is entry a temporary file of ours, for a file of the set or the marker? */
static bool is_temp(const struct outdir *od, const char *entry)
{
	if (is_temp_of(entry, MARKER_NAME))
		return true;
	for (char **n = od->names; *n; n++)
		if (is_temp_of(entry, *n))
			return true;
	return false;
}

/* Create a new temporary file for name: its descriptor, its name in *tmp. */
static int create_temp(struct outdir *od, const char *name, char **tmp)
{
	for (int tries = 0; tries < 100; tries++) {
		g_autofree char *t =
			g_strdup_printf(".%s.tmp-%06x", name, g_random_int() & 0xffffffu);
		int fd = openat(od->dfd, t, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				0666);

		if (fd >= 0) {
			*tmp = g_steal_pointer(&t);
			return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* The first entry of the directory that is neither in the set nor
 * accelsim's own, or NULL; stale temporary files are removed on the way
 * (the caller holds the lock: no other writer owns them). */
static char *scan(struct outdir *od, GError **error)
{
	int fd = dup(od->dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	char *foreign = NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		fail(error, ACCELSIM_ERROR_RUNTIME, "cannot read '%s': %s", od->path,
		     g_strerror(errno));
		return NULL;
	}
	rewinddir(d);
	while ((e = readdir(d))) {
		const char *n = e->d_name;

		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, OUTDIR_LOCK) ||
		    !strcmp(n, OUTDIR_MARKER) || g_strv_contains((const char *const *)od->names, n))
			continue;
		if (is_temp(od, n)) {
			unlinkat(od->dfd, n, 0);
			continue;
		}
		if (!foreign)
			foreign = g_strdup(n);
	}
	closedir(d);
	return foreign ? foreign : g_strdup("");
}

/* Open OUTDIR_LOCK, creating it if need be; *created says whether it was
 * there before.  Never follows a symbolic link, never blocks on a FIFO. */
static int open_lock(struct outdir *od, bool *created, GError **error)
{
	const int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	int fd = openat(od->dfd, OUTDIR_LOCK, flags | O_CREAT | O_EXCL, 0666);
	struct stat st;

	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = openat(od->dfd, OUTDIR_LOCK, flags);
	if (fd < 0 && errno == ELOOP) {
		fail(error, ACCELSIM_ERROR_INPUT, "'%s/%s' is a symbolic link: it is not followed",
		     od->path, OUTDIR_LOCK);
		return -1;
	}
	if (fd < 0) {
		fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write into '%s': %s", od->path,
		     g_strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		fail(error, ACCELSIM_ERROR_INPUT, "'%s/%s' is not a regular file", od->path,
		     OUTDIR_LOCK);
		return -1;
	}
	return fd;
}

/* Take the lock, or say who holds it. */
static bool lock(struct outdir *od, GError **error)
{
	if (flock(od->lock_fd, LOCK_EX | LOCK_NB) == 0) {
		g_autofree char *pid = g_strdup_printf("%ld\n", (long)getpid());

		/* for the message a second writer prints */
		if (ftruncate(od->lock_fd, 0) == 0 && pwrite(od->lock_fd, pid, strlen(pid), 0) < 0)
			return fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s/%s': %s",
				    od->path, OUTDIR_LOCK, g_strerror(errno));
		return true;
	}
	if (errno != EWOULDBLOCK)
		return fail(error, ACCELSIM_ERROR_RUNTIME, "cannot lock '%s/%s': %s", od->path,
			    OUTDIR_LOCK, g_strerror(errno));
	char buf[32] = "";
	ssize_t n = pread(od->lock_fd, buf, sizeof(buf) - 1, 0);
	long pid = n > 0 ? strtol(buf, NULL, 10) : 0;

	if (pid > 0)
		return fail(error, ACCELSIM_ERROR_RUNTIME,
			    "cannot write '%s': another accelsim (process %ld) is writing it; wait "
			    "for it to finish, or give another directory",
			    od->path, pid);
	return fail(error, ACCELSIM_ERROR_RUNTIME,
		    "cannot write '%s': another accelsim is writing it; wait for it to finish, or "
		    "give another directory",
		    od->path);
}

/* Create and remove a file: what the run will need to do. */
static bool probe(struct outdir *od, GError **error)
{
	g_autofree char *tmp = NULL;
	int fd = create_temp(od, od->names[0], &tmp);

	if (fd < 0)
		return fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write into '%s': %s", od->path,
			    g_strerror(errno));
	close(fd);
	unlinkat(od->dfd, tmp, 0);
	return true;
}

struct outdir *outdir_open(const char *path, const char *const *names, bool force,
			   GError **error)
{
	g_autoptr(outdir) od = g_new0(struct outdir, 1);
	bool created;

	g_return_val_if_fail(names && names[0], NULL);
	for (const char *const *n = names; *n; n++)
		g_return_val_if_fail(**n && **n != '.' && !strchr(*n, '/'), NULL);
	od->path = g_strdup(path);
	od->names = g_strdupv((char **)names);
	od->dfd = od->lock_fd = -1;

	if (g_mkdir_with_parents(path, 0777) < 0) {
		fail(error, ACCELSIM_ERROR_RUNTIME, "cannot create '%s': %s", path,
		     g_strerror(errno));
		return NULL;
	}
	od->dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (od->dfd < 0) {
		fail(error, errno == ENOTDIR ? ACCELSIM_ERROR_INPUT : ACCELSIM_ERROR_RUNTIME,
		     "cannot write into '%s': %s", path,
		     errno == ENOTDIR ? "not a directory" : g_strerror(errno));
		return NULL;
	}
	od->lock_fd = open_lock(od, &created, error);
	if (od->lock_fd < 0 || !lock(od, error))
		return NULL;

	g_autofree char *foreign = scan(od, error);
	if (!foreign)
		return NULL;
	/* a directory accelsim did not write, with files of someone else's */
	if (created && *foreign && !force) {
		unlinkat(od->dfd, OUTDIR_LOCK, 0);
		fail(error, ACCELSIM_ERROR_INPUT,
		     "'%s' is not empty and was not written by accelsim (it holds '%s'): give a "
		     "new or empty directory, or --force to write into it anyway",
		     path, foreign);
		return NULL;
	}
	if (!created && !probe(od, error))
		return NULL;
	return g_steal_pointer(&od);
}

/* Flush, sync and close f, which holds the new contents of name. */
static bool finish(struct outdir *od, FILE *f, const char *name, GError **error)
{
	int err = 0;

	if (fflush(f) != 0 || ferror(f))
		err = errno ? errno : EIO;
	else if (fsync(fileno(f)) != 0)
		err = errno;
	if (fclose(f) != 0 && !err)
		err = errno;
	if (err)
		return fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s/%s': %s", od->path, name,
			    g_strerror(err));
	return true;
}

/* Write one file of the set under a temporary name (returned in *tmp). */
static bool write_temp(struct outdir *od, const struct outdir_file *file, char **tmp,
		       GError **error)
{
	int fd = create_temp(od, file->name, tmp);

	if (fd < 0)
		return fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s/%s': %s", od->path,
			    file->name, g_strerror(errno));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s/%s': %s", od->path,
			    file->name, g_strerror(errno));
	}
	errno = 0;
	if (!file->write(f, file->data, error)) {
		fclose(f);
		return false;
	}
	return finish(od, f, file->name, error);
}

struct set {
	const struct outdir_file *files;
	size_t n;
};

/* The marker lists the files of the set it vouches for. */
static bool marker_write(FILE *f, const void *data, GError **error)
{
	const struct set *s = data;

	fputs("# accelsim: the files below are one complete set of results\n", f);
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%s\n", s->files[i].name);
	return true;
}

bool outdir_commit(struct outdir *od, const struct outdir_file *files, size_t n, GError **error)
{
	g_autofree char **tmp = g_new0(char *, n + 1);
	g_autofree char *mtmp = NULL;
	bool ok = true;

	for (size_t i = 0; i < n; i++)
		g_return_val_if_fail(g_strv_contains((const char *const *)od->names, files[i].name),
				     false);
	for (size_t i = 0; i < n && ok; i++)
		ok = write_temp(od, &files[i], &tmp[i], error);
	/* the set is about to change: until the marker is back, it is not one */
	if (ok && unlinkat(od->dfd, OUTDIR_MARKER, 0) < 0 && errno != ENOENT)
		ok = fail(error, ACCELSIM_ERROR_RUNTIME, "cannot remove '%s/%s': %s", od->path,
			  OUTDIR_MARKER, g_strerror(errno));
	for (size_t i = 0; i < n && ok; i++) {
		if (renameat(od->dfd, tmp[i], od->dfd, files[i].name) < 0)
			ok = fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s/%s': %s",
				  od->path, files[i].name, g_strerror(errno));
		else
			g_clear_pointer(&tmp[i], g_free);
	}
	if (ok && fsync(od->dfd) < 0 && errno != EINVAL)
		ok = fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s", od->path,
			  g_strerror(errno));
	if (ok) {
		const struct set set = { files, n };
		const struct outdir_file marker = { MARKER_NAME, marker_write, &set };

		ok = write_temp(od, &marker, &mtmp, error);
		if (ok && renameat(od->dfd, mtmp, od->dfd, OUTDIR_MARKER) < 0)
			ok = fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s/%s': %s",
				  od->path, OUTDIR_MARKER, g_strerror(errno));
		else if (ok)
			g_clear_pointer(&mtmp, g_free);
		if (ok && fsync(od->dfd) < 0 && errno != EINVAL)
			ok = fail(error, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s", od->path,
				  g_strerror(errno));
	}
	for (size_t i = 0; i < n; i++)
		if (tmp[i]) {
			unlinkat(od->dfd, tmp[i], 0);
			g_free(tmp[i]);
		}
	if (mtmp)
		unlinkat(od->dfd, mtmp, 0);
	return ok;
}

bool outdir_write_file(const char *path, const char *text, gssize len, GError **error)
{
	g_autoptr(GError) e = NULL;

	if (g_file_set_contents(path, text, len, &e))
		return true;
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "cannot write '%s': %s", path,
		    e->message);
	return false;
}
