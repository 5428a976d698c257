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
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/msg.h"

#define SELF_NETNS "/proc/thread-self/ns/net"

char *netns_name(pid_t pid, const char *role)
{
	return g_strdup_printf(NETNS_PREFIX "%ld-%s", (long)pid, role);
}

bool netns_name_parse(const char *name, pid_t *pid, char **role)
{
	const char *p = name;
	char *end;

	if (!g_str_has_prefix(p, NETNS_PREFIX))
		return false;
	p += strlen(NETNS_PREFIX);
	if (!g_ascii_isdigit(*p))
		return false;
	errno = 0;
	long v = strtol(p, &end, 10);
	if (errno || v <= 0 || *end != '-' || !end[1])
		return false;
	*pid = (pid_t)v;
	if (role)
		*role = g_strdup(end + 1);
	return true;
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

static bool pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno == EPERM;
}

GPtrArray *netns_list_stale(void)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir(NETNS_RUN_DIR);
	struct dirent *de;

	if (!d)
		return names;
	while ((de = readdir(d))) {
		pid_t pid;

		if (!netns_name_parse(de->d_name, &pid, NULL))
			continue;
		if (pid == getpid() || pid_alive(pid))
			continue;
		g_ptr_array_add(names, g_strdup(de->d_name));
	}
	closedir(d);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	return names;
}

bool netns_supported(GError **error)
{
	pid_t child;
	int status;

	if (geteuid() != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "network namespaces need root (running as uid %ld)",
			    (long)geteuid());
		return false;
	}
	if (access(SELF_NETNS, F_OK) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "this kernel has no network namespaces (%s: %s)", SELF_NETNS,
			    g_strerror(errno));
		return false;
	}
	/* Probe in a child: its namespace dies with it. */
	child = fork();
	if (child == 0)
		_exit(unshare(CLONE_NEWNET) == 0 ? 0 : 1);
	if (child < 0 || waitpid(child, &status, 0) != child ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "cannot create a network namespace here (unshare(CLONE_NEWNET) "
			    "failed: in a container without CAP_SYS_ADMIN?)");
		return false;
	}
	return true;
}
