/* netns.h: named network namespaces that accelsim creates, and the
 * leftovers of runs that died without removing theirs.
 *
 * A namespace is made the way `ip netns add` makes one (a bind mount of the
 * namespace on /run/netns/NAME), so `ip netns list` shows it while a run
 * lasts and `ip netns exec` can look inside.  Every name is
 * "accelsim-<pid>-<role>": the prefix says whose it is, the pid which run
 * owns it, so a later run can remove the namespaces of a run whose process
 * is gone (killed with SIGKILL) and leave a live run's alone.
 *
 * Namespaces are per thread: netns_socket() opens a socket inside a
 * namespace by entering it on the calling thread and coming straight back,
 * so the rest of the program never runs inside one.
 */
#ifndef ACCELSIM_REAL_NETNS_H
#define ACCELSIM_REAL_NETNS_H

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#define NETNS_RUN_DIR "/run/netns"
#define NETNS_PREFIX "accelsim-"

typedef struct netns netns;

struct netns {
	char *name;	/* "accelsim-<pid>-<role>"; owned */
	int fd;		/* open on the namespace, -1 once closed */
};

/* "accelsim-<pid>-<role>"; the caller frees it. */
char *netns_name(pid_t pid, const char *role);

/* Parse a name made by netns_name(): TRUE and the pid (and role, which the
 * caller frees, when role is not NULL) if it is one. */
bool netns_name_parse(const char *name, pid_t *pid, char **role);

/* Create the named namespace and open it.  Fails with ACCELSIM_ERROR_UNSUPPORTED
 * when the kernel or the caller's privileges do not allow it, RUNTIME
 * otherwise.  Free with netns_free(), which only closes the descriptor;
 * netns_delete() removes the namespace. */
struct netns *netns_create(const char *name, GError **error);
void netns_free(struct netns *ns);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netns, netns_free)

/* Open an existing named namespace (e.g. a leftover) for reading; -1 and
 * error when it cannot be opened. */
int netns_open(const char *name, GError **error);

/* Remove a named namespace: unmount and unlink /run/netns/NAME.  The kernel
 * destroys the namespace, and the virtual links in it, once nothing holds
 * it any more.  A name that does not exist is not an error. */
bool netns_delete(const char *name, GError **error);

/* A socket(2) opened inside the namespace ns_fd (the caller's own when
 * ns_fd < 0).  Returns the descriptor, or -1 and error. */
int netns_socket(int ns_fd, int domain, int type, int protocol, GError **error);

/* Names in /run/netns made by netns_name() whose owning process is gone.
 * Never fails: an unreadable directory gives an empty list.  The caller
 * frees the array (g_ptr_array_unref); it owns its strings. */
GPtrArray *netns_list_stale(void);

/* Whether this process may create namespaces here: root (CAP_SYS_ADMIN and
 * CAP_NET_ADMIN), a kernel with network namespaces, and /run writable.  FALSE
 * and an ACCELSIM_ERROR_UNSUPPORTED error saying which is missing. */
bool netns_supported(GError **error);

#endif
