/* netns.h: named network namespaces that accelsim creates, and the
 * leftovers of runs that died without removing theirs.
 *
 * A namespace is made the way `ip netns add` makes one (a bind mount of the
 * namespace on /run/netns/NAME), so `ip netns list` shows it while a run
 * lasts and `ip netns exec` can look inside.  Every name is
 * "accelsim-<run>-<role>", the run id being "<pid>-<8 hex digits>": the
 * prefix says whose it is, the pid which process made it (for people; it
 * means nothing in another PID namespace), the random part makes two runs'
 * names differ even when their pids are equal.
 *
 * Whether a run is alive is decided by a lock, not by its pid: each run
 * holds an flock(2) on /run/accelsim/<run>.lock from before its first
 * namespace until after its last is gone.  The kernel drops the lock when
 * the process dies, however it dies, and the file is seen alike from every
 * PID namespace, so `unshare --pid --fork accelsim real cleanup` still sees
 * a live run as live.  A namespace whose lock file another process can
 * lock is a dead run's; one without a lock file was not made this way and
 * is left alone.
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
#define NETNS_LOCK_DIR "/run/accelsim"
#define NETNS_PREFIX "accelsim-"

typedef struct netns netns;

struct netns {
	char *name;	/* "accelsim-<run>-<role>"; owned */
	int fd;		/* open on the namespace, -1 once closed */
};

/* A run's claim on the namespaces it makes: its id and the descriptor
 * holding the flock on its lock file. */
struct netns_run {
	char *id;	/* "<pid>-<8 hex digits>"; owned */
	int lock_fd;
};
typedef struct netns_run netns_run;

/* Take a new run id and its lock: /run/accelsim/<id>.lock appears already
 * locked (written under a temporary name, locked, then renamed), so no
 * other process ever sees it unlocked while this one lives.
 * ACCELSIM_ERROR_UNSUPPORTED when /run/accelsim cannot be made (not root),
 * RUNTIME otherwise.  Free with netns_run_end() once every namespace named
 * after it is gone: it removes the lock file and drops the lock. */
struct netns_run *netns_run_begin(GError **error);
void netns_run_end(struct netns_run *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netns_run, netns_run_end)
/* Drop the lock but keep the lock file, for a run that could not remove
 * all its namespaces: a later cleanup finds the lock free and retries. */
void netns_run_abandon(struct netns_run *run);

/* "accelsim-<run_id>-<role>"; the caller frees it. */
char *netns_name(const char *run_id, const char *role);

/* Parse a name made by netns_name(): TRUE and the run id and role (each
 * freed by the caller; either pointer may be NULL) if it is one.  Names of
 * other forms, older accelsim's "accelsim-<pid>-<role>" among them, give
 * FALSE. */
bool netns_name_parse(const char *name, char **run_id, char **role);

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

/* A dead run's leftovers, claimed: this process holds its lock (so no
 * other cleaner works on it at the same time) until the list is freed. */
struct netns_stale {
	char *run_id;
	int lock_fd;
	GPtrArray *names;	/* its namespaces in /run/netns, sorted; owned */
};

/* Every dead run with a lock file in /run/accelsim: one whose lock this
 * process could take.  Runs still alive (their lock is held) and
 * namespaces without a lock file are not listed.  Never fails: unreadable
 * directories give an empty list.  Free with g_ptr_array_unref(); each
 * entry is released (lock dropped, file kept) unless netns_stale_done()
 * was called on it. */
GPtrArray *netns_stale_claim(void);

/* All of s's namespaces are gone: remove its lock file, then drop the lock. */
void netns_stale_done(struct netns_stale *s);

/* Whether this process may create namespaces here: root (CAP_SYS_ADMIN and
 * CAP_NET_ADMIN), a kernel with network namespaces, and /run writable.  FALSE
 * and an ACCELSIM_ERROR_UNSUPPORTED error saying which is missing. */
bool netns_supported(GError **error);

#endif
