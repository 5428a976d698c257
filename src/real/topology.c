/* topology.c: build and remove the two measured paths (see topology.h).
 *
 * Order matters for cleanliness: every namespace name is recorded before
 * the namespace exists, and links are created inside namespaces, never in
 * the machine's own; so removing the recorded namespaces removes everything,
 * whatever step failed or was interrupted.
 */
#define _GNU_SOURCE
#include "real/topology.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/msg.h"
#include "real/netns.h"
#include "real/nft.h"
#include "real/rtnl.h"

#define ROLE_CLIENT "cli"
#define ROLE_SERVER "srv"
#define ROLE_HOST "host"
#define ROLE_HW_CLIENT "hwcli"
#define ROLE_HW_SERVER "hwsrv"

#define UDP_PORT 7207

/* A hardware interface moved into one of our namespaces. */
struct moved_link {
	char *name;
	int ns_fd;		/* borrowed from the topology's namespace */
	bool was_up;
};

struct topology {
	struct netns_run *run;	/* the lock that says this run is alive */
	GPtrArray *names;	/* namespaces this run created, to delete */
	struct netns *cli, *srv, *host;
	int root_fd;		/* the machine's namespace, for giving links back */
	GArray *moved;		/* struct moved_link */
	uint32_t cli_addr[PATH_COUNT], srv_addr[PATH_COUNT];	/* network order */
	char *describe[PATH_COUNT];
	bool torn_down;
	bool left_behind;	/* a namespace could not be deleted */
};

static uint32_t addr(int subnet, int host)
{
	return htonl((198u << 24) | (18u << 16) | ((uint32_t)subnet << 8) | (uint32_t)host);
}

/* Locally administered MACs that name their address: 02:00:c6:12:subnet:host. */
static void mac_for(uint8_t mac[6], int subnet, int host)
{
	const uint8_t m[6] = { 0x02, 0x00, 198, 18, (uint8_t)subnet, (uint8_t)host };

	memcpy(mac, m, 6);
}

static struct topology *topology_alloc(GError **error)
{
	struct netns_run *run = netns_run_begin(error);
	struct topology *t;

	if (!run)
		return NULL;
	t = g_new0(struct topology, 1);
	t->run = run;
	t->names = g_ptr_array_new_with_free_func(g_free);
	t->moved = g_array_new(FALSE, TRUE, sizeof(struct moved_link));
	t->root_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	for (int p = 0; p < PATH_COUNT; p++) {
		t->cli_addr[p] = addr(p == PATH_ACCEL ? 1 : 2, 1);
		t->srv_addr[p] = addr(p == PATH_ACCEL ? 1 : 2, 2);
	}
	return t;
}

/* Recorded once created, not before: a name that already exists (another
 * run's, whatever its state) fails with EEXIST and must not be deleted by
 * this run's teardown.  No signal can come between creation and recording:
 * the handlers only set a flag. */
static struct netns *make_ns(struct topology *t, const char *role, GError **error)
{
	char *name = netns_name(t->run->id, role);
	struct netns *ns = netns_create(name, error);

	if (ns)
		g_ptr_array_add(t->names, name);
	else
		g_free(name);
	return ns;
}

static bool check_interrupt(volatile const sig_atomic_t *interrupted, GError **error)
{
	if (interrupted && *interrupted) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "interrupted by a signal while building the paths: removed the "
			    "namespaces it made");
		return false;
	}
	return true;
}

/* Bring a link up by name, optionally with an address. */
static bool link_up(struct rtnl *nl, const char *name, uint32_t a, int prefix, int *index,
		    GError **error)
{
	struct rtnl_link l;

	if (!rtnl_link_get(nl, name, &l, error))
		return false;
	if (a && !rtnl_addr_add(nl, l.index, a, prefix, error))
		return false;
	if (!rtnl_link_set_up(nl, l.index, true, error))
		return false;
	if (index)
		*index = l.index;
	return true;
}

static bool neigh(struct rtnl *nl, const char *dev, uint32_t a, const uint8_t mac[6],
		  GError **error)
{
	struct rtnl_link l;

	return rtnl_link_get(nl, dev, &l, error) && rtnl_neigh_add(nl, l.index, a, mac, error);
}

static bool build_emulated(struct topology *t, int rules, volatile const sig_atomic_t *interrupted,
			   GError **error)
{
	uint8_t cli_acc[6], srv_acc[6], cli_nrm[6], srv_nrm[6], host_c[6], host_s[6];
	g_autoptr(rtnl) cli = NULL;
	g_autoptr(rtnl) srv = NULL;
	g_autoptr(rtnl) host = NULL;
	struct rtnl_link br;
	int c0, s0;

	mac_for(cli_acc, 1, 1);
	mac_for(srv_acc, 1, 2);
	mac_for(cli_nrm, 2, 1);
	mac_for(srv_nrm, 2, 2);
	mac_for(host_c, 2, 11);
	mac_for(host_s, 2, 12);

	if (!(t->cli = make_ns(t, ROLE_CLIENT, error)) ||
	    !(t->host = make_ns(t, ROLE_HOST, error)) ||
	    !(t->srv = make_ns(t, ROLE_SERVER, error)) ||
	    !check_interrupt(interrupted, error))
		return false;
	if (!(cli = rtnl_new(t->cli->fd, error)) || !(srv = rtnl_new(t->srv->fd, error)) ||
	    !(host = rtnl_new(t->host->fd, error)))
		return false;

	/* accelerated: one veth straight between the endpoints */
	if (!rtnl_veth_add(cli, "acc0", cli_acc, "acc0", srv_acc, t->srv->fd, error) ||
	    !link_up(cli, "acc0", t->cli_addr[PATH_ACCEL], 24, NULL, error) ||
	    !link_up(srv, "acc0", t->srv_addr[PATH_ACCEL], 24, NULL, error))
		return false;

	/* normal: client -> veth -> bridge in the host namespace -> veth -> server */
	if (!rtnl_bridge_add(host, "br0", error) ||
	    !rtnl_veth_add(cli, "nrm0", cli_nrm, "c0", host_c, t->host->fd, error) ||
	    !rtnl_veth_add(srv, "nrm0", srv_nrm, "s0", host_s, t->host->fd, error) ||
	    !rtnl_link_get(host, "br0", &br, error) ||
	    !link_up(host, "c0", 0, 0, &c0, error) || !link_up(host, "s0", 0, 0, &s0, error) ||
	    !rtnl_link_set_master(host, c0, br.index, error) ||
	    !rtnl_link_set_master(host, s0, br.index, error) ||
	    !rtnl_link_set_up(host, br.index, true, error) ||
	    !link_up(cli, "nrm0", t->cli_addr[PATH_NORMAL], 24, NULL, error) ||
	    !link_up(srv, "nrm0", t->srv_addr[PATH_NORMAL], 24, NULL, error) ||
	    !link_up(cli, "lo", 0, 0, NULL, error) || !link_up(srv, "lo", 0, 0, NULL, error))
		return false;

	if (!neigh(cli, "acc0", t->srv_addr[PATH_ACCEL], srv_acc, error) ||
	    !neigh(srv, "acc0", t->cli_addr[PATH_ACCEL], cli_acc, error) ||
	    !neigh(cli, "nrm0", t->srv_addr[PATH_NORMAL], srv_nrm, error) ||
	    !neigh(srv, "nrm0", t->cli_addr[PATH_NORMAL], cli_nrm, error) ||
	    !check_interrupt(interrupted, error))
		return false;

	if (rules > 0 && !nft_load_vswitch_rules(t->host->fd, rules, error))
		return false;

	t->describe[PATH_ACCEL] = g_strdup("veth pair straight between client and server "
					   "namespaces");
	t->describe[PATH_NORMAL] = g_strdup_printf("veth, Linux bridge in a host namespace "
						   "(%d nftables rules), veth", rules);
	return check_interrupt(interrupted, error);
}

struct topology *topology_new_emulated(int vswitch_rules, volatile const sig_atomic_t *interrupted,
				       GError **error)
{
	struct topology *t = topology_alloc(error);
	GError *err = NULL;

	if (!t)
		return NULL;

	if (!build_emulated(t, vswitch_rules, interrupted, &err)) {
		topology_teardown(t, NULL);
		topology_free(t);
		g_propagate_error(error, err);
		return NULL;
	}
	return t;
}

/* Refuse what is not ours to move: missing, enslaved, addressed or virtual
 * plumbing of the machine. */
static bool hw_check(struct rtnl *root, const char *name, struct rtnl_link *l,
		     GError **error)
{
	GError *err = NULL;

	if (!rtnl_link_get(root, name, l, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "no interface '%s' in this namespace (%s)", name, err->message);
		g_error_free(err);
		return false;
	}
	if (!strcmp(name, "lo") || l->master || l->addresses ||
	    !strcmp(l->kind, "bridge") || !strcmp(l->kind, "openvswitch")) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "interface '%s' is in use (%s): expected a spare one without "
			    "addresses or master, refusing to move it",
			    name, l->master ? "enslaved to another device" :
			    l->addresses ? "it carries addresses" : "it is a bridge or loopback");
		return false;
	}
	return true;
}

bool topology_hardware_usable(const char *vf, const char *via, const char *peer,
			      GError **error)
{
	struct rtnl_link l;
	g_autoptr(rtnl) root = rtnl_new(-1, error);

	return root && hw_check(root, vf, &l, error) && hw_check(root, via, &l, error) &&
	       hw_check(root, peer, &l, error);
}

static bool hw_move(struct topology *t, struct rtnl *root, const char *name,
		    const struct rtnl_link *l, struct netns *ns, GError **error)
{
	struct moved_link m = {
		.name = g_strdup(name),
		.ns_fd = ns->fd,
		.was_up = l->flags & IFF_UP,
	};

	if (!rtnl_link_move(root, l->index, ns->fd, NULL, error)) {
		g_free(m.name);
		return false;
	}
	g_array_append_val(t->moved, m);
	return true;
}

static bool build_hardware(struct topology *t, const char *vf, const char *via,
			   const char *peer, volatile const sig_atomic_t *interrupted, GError **error)
{
	struct rtnl_link lvf, lvia, lpeer;
	g_autoptr(rtnl) root = NULL;
	g_autoptr(rtnl) cli = NULL;
	g_autoptr(rtnl) srv = NULL;

	if (!(root = rtnl_new(-1, error)) || !hw_check(root, vf, &lvf, error) ||
	    !hw_check(root, via, &lvia, error) || !hw_check(root, peer, &lpeer, error))
		return false;

	if (!(t->cli = make_ns(t, ROLE_HW_CLIENT, error)) ||
	    !(t->srv = make_ns(t, ROLE_HW_SERVER, error)) ||
	    !check_interrupt(interrupted, error))
		return false;
	if (!hw_move(t, root, vf, &lvf, t->cli, error) ||
	    !hw_move(t, root, via, &lvia, t->cli, error) ||
	    !hw_move(t, root, peer, &lpeer, t->srv, error))
		return false;
	if (!(cli = rtnl_new(t->cli->fd, error)) || !(srv = rtnl_new(t->srv->fd, error)))
		return false;

	int peer_index;
	if (!link_up(cli, vf, t->cli_addr[PATH_ACCEL], 24, NULL, error) ||
	    !link_up(cli, via, t->cli_addr[PATH_NORMAL], 24, NULL, error) ||
	    !link_up(srv, peer, t->srv_addr[PATH_ACCEL], 24, &peer_index, error) ||
	    !rtnl_addr_add(srv, peer_index, t->srv_addr[PATH_NORMAL], 24, error) ||
	    !link_up(cli, "lo", 0, 0, NULL, error) || !link_up(srv, "lo", 0, 0, NULL, error))
		return false;
	if (!neigh(cli, vf, t->srv_addr[PATH_ACCEL], lpeer.mac, error) ||
	    !neigh(cli, via, t->srv_addr[PATH_NORMAL], lpeer.mac, error) ||
	    !neigh(srv, peer, t->cli_addr[PATH_ACCEL], lvf.mac, error) ||
	    !neigh(srv, peer, t->cli_addr[PATH_NORMAL], lvia.mac, error))
		return false;

	t->describe[PATH_ACCEL] = g_strdup_printf("%s (VF) to %s", vf, peer);
	t->describe[PATH_NORMAL] = g_strdup_printf("%s (through the host's switch) to %s",
						   via, peer);
	return check_interrupt(interrupted, error);
}

struct topology *topology_new_hardware(const char *vf, const char *via, const char *peer,
				       volatile const sig_atomic_t *interrupted, GError **error)
{
	struct topology *t = topology_alloc(error);
	GError *err = NULL;

	if (!t)
		return NULL;

	if (!build_hardware(t, vf, via, peer, interrupted, &err)) {
		topology_teardown(t, NULL);
		topology_free(t);
		g_propagate_error(error, err);
		return NULL;
	}
	return t;
}

/* Keep the first error, drop the rest: teardown tries every step. */
static void keep_first(GError **first, GError *err)
{
	if (!*first)
		*first = err;
	else
		g_error_free(err);
}

/* Give every non-loopback link in namespace ns_fd back to root_fd; with
 * known, only those named there (and bring up the ones that were up). */
static void give_back(int ns_fd, int root_fd, GArray *known, GError **first)
{
	GError *err = NULL;
	g_autoptr(rtnl) nl = rtnl_new(ns_fd, &err);
	g_autoptr(rtnl) root = NULL;
	g_auto(GStrv) names = NULL;

	if (!nl || !(names = rtnl_link_names(nl, &err))) {
		keep_first(first, err);
		return;
	}
	for (char **n = names; *n; n++) {
		struct rtnl_link l;
		bool was_up = false, listed = !known;

		if (!strcmp(*n, "lo"))
			continue;
		for (guint i = 0; known && i < known->len; i++) {
			struct moved_link *m = &g_array_index(known, struct moved_link, i);
			if (m->ns_fd == ns_fd && !strcmp(m->name, *n)) {
				listed = true;
				was_up = m->was_up;
			}
		}
		if (!listed)
			continue;
		if (!rtnl_link_get(nl, *n, &l, &err) ||
		    !rtnl_link_set_up(nl, l.index, false, &err) ||
		    !rtnl_link_move(nl, l.index, root_fd, NULL, &err)) {
			keep_first(first, err);
			err = NULL;
			continue;
		}
		if (!was_up)
			continue;
		if (!root && !(root = rtnl_new(root_fd, &err))) {
			keep_first(first, err);
			err = NULL;
			continue;
		}
		if (!rtnl_link_get(root, *n, &l, &err) ||
		    !rtnl_link_set_up(root, l.index, true, &err)) {
			keep_first(first, err);
			err = NULL;
		}
	}
}

bool topology_teardown(struct topology *t, GError **error)
{
	GError *first = NULL, *err = NULL;

	if (t->torn_down)
		return true;
	t->torn_down = true;
	if (t->moved->len) {
		give_back(t->cli->fd, t->root_fd, t->moved, &first);
		give_back(t->srv->fd, t->root_fd, t->moved, &first);
	}
	g_clear_pointer(&t->cli, netns_free);
	g_clear_pointer(&t->srv, netns_free);
	g_clear_pointer(&t->host, netns_free);
	for (guint i = 0; i < t->names->len; i++) {
		if (!netns_delete(g_ptr_array_index(t->names, i), &err)) {
			keep_first(&first, err);
			err = NULL;
			t->left_behind = true;
		}
	}
	if (first) {
		g_propagate_error(error, first);
		return false;
	}
	return true;
}

void topology_free(struct topology *t)
{
	GError *err = NULL;

	if (!t)
		return;
	if (!topology_teardown(t, &err)) {
		msg_warning("cleanup: %s", err->message);
		g_error_free(err);
	}
	for (guint i = 0; i < t->moved->len; i++)
		g_free(g_array_index(t->moved, struct moved_link, i).name);
	g_array_free(t->moved, TRUE);
	g_ptr_array_unref(t->names);
	if (t->root_fd >= 0)
		close(t->root_fd);
	for (int p = 0; p < PATH_COUNT; p++)
		g_free(t->describe[p]);
	/* with a namespace left, the lock file stays for a later cleanup */
	if (t->left_behind)
		netns_run_abandon(t->run);
	else
		netns_run_end(t->run);
	g_free(t);
}

int topology_socket(struct topology *t, enum path_id p, bool server, GError **error)
{
	struct netns *ns = server ? t->srv : t->cli;
	struct sockaddr_in self = { .sin_family = AF_INET };
	struct sockaddr_in peer = { .sin_family = AF_INET };
	int fd;

	g_assert(ns && p < PATH_COUNT);
	self.sin_addr.s_addr = server ? t->srv_addr[p] : t->cli_addr[p];
	self.sin_port = htons(server ? UDP_PORT : 0);
	peer.sin_addr.s_addr = t->srv_addr[p];
	peer.sin_port = htons(UDP_PORT);

	fd = netns_socket(ns->fd, AF_INET, SOCK_DGRAM, 0, error);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&self, sizeof(self)) != 0 ||
	    (!server && connect(fd, (struct sockaddr *)&peer, sizeof(peer)) != 0)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot %s UDP socket for the %s path: %s",
			    server ? "bind" : "connect", path_name(p), g_strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

const char *topology_describe(struct topology *t, enum path_id p)
{
	return t->describe[p] ? t->describe[p] : "";
}

guint topology_sweep_stale(GPtrArray *removed, GError **error)
{
	g_autoptr(GPtrArray) runs = netns_stale_claim();
	GError *first = NULL, *err = NULL;
	int root_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	guint n = 0;

	for (guint r = 0; r < runs->len; r++) {
		struct netns_stale *run = g_ptr_array_index(runs, r);
		bool all = true;

		for (guint i = 0; i < run->names->len; i++) {
			const char *name = g_ptr_array_index(run->names, i);
			g_autofree char *role = NULL;

			netns_name_parse(name, NULL, &role);
			if (g_str_has_prefix(role, "hw")) {
				/* a killed hardware run: its interfaces are the machine's */
				GError *back = NULL;
				int fd = netns_open(name, &back);

				if (fd >= 0) {
					give_back(fd, root_fd, NULL, &back);
					close(fd);
				}
				if (back) {
					/* deleting it now could destroy a veth of the user's */
					keep_first(&first, back);
					all = false;
					continue;
				}
			}
			if (!netns_delete(name, &err)) {
				keep_first(&first, err);
				err = NULL;
				all = false;
				continue;
			}
			n++;
			if (removed)
				g_ptr_array_add(removed, g_strdup(name));
		}
		if (all)
			netns_stale_done(run);
	}
	if (root_fd >= 0)
		close(root_fd);
	if (first)
		g_propagate_error(error, first);
	return n;
}
