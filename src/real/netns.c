/* netns.c: named network namespaces, made and removed as `ip netns` does
 * (see netns.h).  The namespace is created with unshare(CLONE_NEWNET) on the
 * calling thread, pinned by a bind mount on /run/netns/NAME, and the thread
 * goes straight back to its own namespace. */
#define _GNU_SOURCE
#include "real/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/msg.h"

#define SELF_NETNS "/proc/thread-self/ns/net"

#define RUN_TAG_DIGITS 8

char *netns_name(const char *run_id, const char *role)
{
	return g_strdup_printf(NETNS_PREFIX "%s-%s", run_id, role);
}

/* Length of the run id "<pid>-<8 hex>" at the start of p, 0 if none. */
static size_t run_id_len(const char *p)
{
	size_t n = 0;

	if (p[0] == '0')
		return 0;
	while (g_ascii_isdigit(p[n]))
		n++;
	if (n == 0 || n > 10 || p[n] != '-')
		return 0;
	n++;
	for (int i = 0; i < RUN_TAG_DIGITS; i++, n++)
		if (!g_ascii_isxdigit(p[n]) || g_ascii_isupper(p[n]))
			return 0;
	return n;
}

bool netns_name_parse(const char *name, char **run_id, char **role)
{
	const char *p = name;
	size_t n;

	if (!g_str_has_prefix(p, NETNS_PREFIX))
		return false;
	p += strlen(NETNS_PREFIX);
	n = run_id_len(p);
	if (!n || p[n] != '-' || !p[n + 1] || strchr(p + n + 1, '/'))
		return false;
	if (run_id)
		*run_id = g_strndup(p, n);
	if (role)
		*role = g_strdup(p + n + 1);
	return true;
}

static char *lock_path(const char *run_id)
{
	g_autofree char *file = g_strdup_printf("%s.lock", run_id);

	return g_build_filename(NETNS_LOCK_DIR, file, NULL);
}

struct netns_run *netns_run_begin(GError **error)
{
	g_autofree char *id = g_strdup_printf("%ld-%08" G_GINT32_MODIFIER "x", (long)getpid(),
					      g_random_int());
	g_autofree char *path = lock_path(id);
	g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
	int fd, e;

	if (g_mkdir_with_parents(NETNS_LOCK_DIR, 0755) != 0) {
		e = errno;
		g_set_error(error, ACCELSIM_ERROR,
			    e == EACCES || e == EPERM || e == EROFS ? ACCELSIM_ERROR_UNSUPPORTED :
			    ACCELSIM_ERROR_RUNTIME,
			    "cannot create %s: %s", NETNS_LOCK_DIR, g_strerror(e));
		return NULL;
	}
	/* locked before it has its name: nobody can find it unlocked */
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0 || rename(tmp, path) != 0) {
		e = errno;
		if (fd >= 0) {
			unlink(tmp);
			close(fd);
		}
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot create the run's lock file %s: %s", path, g_strerror(e));
		return NULL;
	}

	struct netns_run *run = g_new0(struct netns_run, 1);
	run->id = g_steal_pointer(&id);
	run->lock_fd = fd;
	return run;
}

void netns_run_abandon(struct netns_run *run)
{
	if (!run)
		return;
	if (run->lock_fd >= 0)
		close(run->lock_fd);
	g_free(run->id);
	g_free(run);
}

void netns_run_end(struct netns_run *run)
{
	if (!run)
		return;
	if (run->lock_fd >= 0) {
		g_autofree char *path = lock_path(run->id);

		unlink(path);
		close(run->lock_fd);
	}
	g_free(run->id);
	g_free(run);
}

static char *netns_path(const char *name)
{
	return g_build_filename(NETNS_RUN_DIR, name, NULL);
}

/* Make /run/netns a shared mount point, as iproute2 does, so the bind mounts
 * under it are seen from every mount namespace. */
static bool make_run_dir(GError **error)
{
	bool made_mount = false;

	if (g_mkdir_with_parents(NETNS_RUN_DIR, 0755) != 0) {
		int e = errno;
		g_set_error(error, ACCELSIM_ERROR,
			    e == EACCES || e == EPERM || e == EROFS ?
			    ACCELSIM_ERROR_UNSUPPORTED : ACCELSIM_ERROR_RUNTIME,
			    "cannot create %s: %s", NETNS_RUN_DIR, g_strerror(e));
		return false;
	}
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) != 0) {
		int e = errno;
		if (e != EINVAL || made_mount) {
			g_set_error(error, ACCELSIM_ERROR,
				    e == EPERM ? ACCELSIM_ERROR_UNSUPPORTED : ACCELSIM_ERROR_RUNTIME,
				    "cannot make %s a shared mount: %s", NETNS_RUN_DIR,
				    g_strerror(e));
			return false;
		}
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) != 0) {
			e = errno;
			g_set_error(error, ACCELSIM_ERROR,
				    e == EPERM ? ACCELSIM_ERROR_UNSUPPORTED : ACCELSIM_ERROR_RUNTIME,
				    "cannot bind-mount %s: %s", NETNS_RUN_DIR, g_strerror(e));
			return false;
		}
		made_mount = true;
	}
	return true;
}

/* Return to the namespace saved in fd.  Failing here would leave this thread
 * inside a namespace about to be removed; nothing sensible can follow. */
static void netns_return(int saved)
{
	if (setns(saved, CLONE_NEWNET) != 0)
		g_error("cannot return to the original network namespace: %s",
			g_strerror(errno));
	close(saved);
}

struct netns *netns_create(const char *name, GError **error)
{
	g_autofree char *path = netns_path(name);
	int saved, fd, e;

	if (!make_run_dir(error))
		return NULL;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		g_set_error(error, ACCELSIM_ERROR,
			    e == EACCES || e == EPERM ? ACCELSIM_ERROR_UNSUPPORTED :
			    ACCELSIM_ERROR_RUNTIME,
			    "cannot create %s: %s", path, g_strerror(e));
		return NULL;
	}
	close(fd);

	saved = open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		e = errno;
		unlink(path);
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "cannot open %s: %s (no network namespaces in this kernel?)",
			    SELF_NETNS, g_strerror(e));
		return NULL;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		e = errno;
		close(saved);
		unlink(path);
		g_set_error(error, ACCELSIM_ERROR,
			    e == EPERM || e == EINVAL ? ACCELSIM_ERROR_UNSUPPORTED :
			    ACCELSIM_ERROR_RUNTIME,
			    "cannot create network namespace '%s': %s", name, g_strerror(e));
		return NULL;
	}
	if (mount(SELF_NETNS, path, "none", MS_BIND, NULL) != 0) {
		e = errno;
		netns_return(saved);
		unlink(path);
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot bind-mount network namespace on %s: %s", path,
			    g_strerror(e));
		return NULL;
	}
	fd = open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
	e = errno;
	netns_return(saved);
	if (fd < 0) {
		netns_delete(name, NULL);
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot open network namespace '%s': %s", name, g_strerror(e));
		return NULL;
	}

	struct netns *ns = g_new0(struct netns, 1);
	ns->name = g_strdup(name);
	ns->fd = fd;
	return ns;
}

void netns_free(struct netns *ns)
{
	if (!ns)
		return;
	if (ns->fd >= 0)
		close(ns->fd);
	g_free(ns->name);
	g_free(ns);
}

int netns_open(const char *name, GError **error)
{
	g_autofree char *path = netns_path(name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot open %s: %s", path, g_strerror(errno));
	return fd;
}

bool netns_delete(const char *name, GError **error)
{
	g_autofree char *path = netns_path(name);

	if (umount2(path, MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot unmount %s: %s", path, g_strerror(errno));
		return false;
	}
	if (unlink(path) != 0 && errno != ENOENT) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot remove %s: %s", path, g_strerror(errno));
		return false;
	}
	return true;
}

int netns_socket(int ns_fd, int domain, int type, int protocol, GError **error)
{
	int saved = -1, s, e;

	if (ns_fd >= 0) {
		saved = open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
		if (saved < 0 || setns(ns_fd, CLONE_NEWNET) != 0) {
			e = errno;
			if (saved >= 0)
				close(saved);
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
				    "cannot enter network namespace: %s", g_strerror(e));
			return -1;
		}
	}
	s = socket(domain, type | SOCK_CLOEXEC, protocol);
	e = errno;
	if (saved >= 0)
		netns_return(saved);
	if (s < 0)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot open socket: %s", g_strerror(e));
	return s;
}

static void stale_free(gpointer data)
{
	struct netns_stale *s = data;

	if (s->lock_fd >= 0)
		close(s->lock_fd);
	g_ptr_array_unref(s->names);
	g_free(s->run_id);
	g_free(s);
}

/* Lock the lock file at path without waiting: its descriptor if nobody
 * held it, -1 if somebody does (or it is gone). */
static int claim(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static gint name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *netns_stale_claim(void)
{
	GPtrArray *runs = g_ptr_array_new_with_free_func(stale_free);
	g_autoptr(GHashTable) by_id = g_hash_table_new(g_str_hash, g_str_equal);
	DIR *d = opendir(NETNS_LOCK_DIR);
	struct dirent *de;

	if (!d)
		return runs;
	while ((de = readdir(d))) {
		size_t n = run_id_len(de->d_name);
		g_autofree char *path = NULL;
		int fd;

		if (!n)
			continue;
		path = g_build_filename(NETNS_LOCK_DIR, de->d_name, NULL);
		if (!strcmp(de->d_name + n, ".lock.tmp")) {
			/* a run killed between creating and naming its lock file
			 * made no namespace yet; a minute spares one that is
			 * between open() and flock() right now */
			struct stat st;

			if (stat(path, &st) == 0 && st.st_mtime < time(NULL) - 60 &&
			    (fd = claim(path)) >= 0) {
				unlink(path);
				close(fd);
			}
			continue;
		}
		if (strcmp(de->d_name + n, ".lock") || (fd = claim(path)) < 0)
			continue;

		struct netns_stale *s = g_new0(struct netns_stale, 1);
		s->run_id = g_strndup(de->d_name, n);
		s->lock_fd = fd;
		s->names = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(runs, s);
		g_hash_table_insert(by_id, s->run_id, s);
	}
	closedir(d);
	if (runs->len && (d = opendir(NETNS_RUN_DIR))) {
		while ((de = readdir(d))) {
			g_autofree char *id = NULL;
			struct netns_stale *s;

			if (netns_name_parse(de->d_name, &id, NULL) &&
			    (s = g_hash_table_lookup(by_id, id)))
				g_ptr_array_add(s->names, g_strdup(de->d_name));
		}
		closedir(d);
	}
	for (guint i = 0; i < runs->len; i++)
		g_ptr_array_sort(((struct netns_stale *)runs->pdata[i])->names, name_cmp);
	return runs;
}

void netns_stale_done(struct netns_stale *s)
{
	g_autofree char *path = lock_path(s->run_id);

	/* unlinked while still locked: a cleaner that opened it before sees
	 * it locked, one that opens it after finds nothing */
	unlink(path);
	close(s->lock_fd);
	s->lock_fd = -1;
}

bool netns_supported(GError **error)
{
	int saved, e;

	if (geteuid() != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "network namespaces need root (running as uid %ld)",
			    (long)geteuid());
		return false;
	}
	if (access(SELF_NETNS, F_OK) != 0 ||
	    (saved = open(SELF_NETNS, O_RDONLY | O_CLOEXEC)) < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "this kernel has no network namespaces (%s: %s)", SELF_NETNS,
			    g_strerror(errno));
		return false;
	}
	/* Probe on this thread, as netns_create() makes one: the namespace
	 * dies when the thread goes back to its own, nothing holding it.  Not
	 * in a forked child whose exit status answers: a checker may replace
	 * that status (memcheck exits a child with its error code when the
	 * child's copy of the heap seems to leak, as the other threads' memory
	 * does once only the forking thread is copied). */
	if (unshare(CLONE_NEWNET) != 0) {
		e = errno;
		close(saved);
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "cannot create a network namespace here (unshare(CLONE_NEWNET) "
			    "failed: %s: in a container without CAP_SYS_ADMIN?)",
			    g_strerror(e));
		return false;
	}
	netns_return(saved);
	return true;
}
