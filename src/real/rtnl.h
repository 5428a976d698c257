/* rtnl.h: the few rtnetlink requests real mode needs, through libmnl.
 *
 * One struct rtnl is a NETLINK_ROUTE socket opened inside one network
 * namespace; every request goes to that namespace.  Links are made where they
 * will live (a veth's peer lands directly in the peer's namespace), so no link
 * real mode creates ever appears in the machine's own namespace.  Addresses
 * are IPv4 in network byte order.  Each call waits for the kernel's
 * acknowledgement and fails with ACCELSIM_ERROR_RUNTIME naming the request
 * and the kernel's errno.
 */
#ifndef ACCELSIM_REAL_RTNL_H
#define ACCELSIM_REAL_RTNL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct rtnl;
typedef struct rtnl rtnl;

/* A route netlink socket inside namespace ns_fd (the caller's own when
 * ns_fd < 0).  Free with rtnl_free(). */
struct rtnl *rtnl_new(int ns_fd, GError **error);
void rtnl_free(struct rtnl *nl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rtnl, rtnl_free)

struct rtnl_link {
	int index;
	unsigned int flags;	/* IFF_UP, ... */
	int master;		/* 0 when none */
	uint8_t mac[6];
	char kind[16];		/* "veth", "bridge", "" for hardware */
	int addresses;		/* IPv4/IPv6 addresses other than link-local */
};

/* Look a link up by name; FALSE and error when there is none. */
bool rtnl_link_get(struct rtnl *nl, const char *name, struct rtnl_link *out,
		   GError **error);

/* Names of every link in the namespace; the caller frees (g_strfreev). */
char **rtnl_link_names(struct rtnl *nl, GError **error);

/* A veth pair: name (MAC mac) here, peer (MAC peer_mac) in namespace
 * peer_ns_fd. */
bool rtnl_veth_add(struct rtnl *nl, const char *name, const uint8_t mac[6],
		   const char *peer, const uint8_t peer_mac[6], int peer_ns_fd,
		   GError **error);

/* A Linux bridge (STP off, the kernel's default). */
bool rtnl_bridge_add(struct rtnl *nl, const char *name, GError **error);

bool rtnl_link_del(struct rtnl *nl, int index, GError **error);

/* Set the link up or down. */
bool rtnl_link_set_up(struct rtnl *nl, int index, bool up, GError **error);

/* Enslave index to the bridge master. */
bool rtnl_link_set_master(struct rtnl *nl, int index, int master, GError **error);

/* Move a link to namespace ns_fd, renaming it to new_name when not NULL. */
bool rtnl_link_move(struct rtnl *nl, int index, int ns_fd, const char *new_name,
		    GError **error);

/* addr/prefix on the link. */
bool rtnl_addr_add(struct rtnl *nl, int index, uint32_t addr, int prefix,
		   GError **error);

/* A permanent neighbour entry addr -> mac on the link: no ARP is needed, and
 * none is broadcast. */
bool rtnl_neigh_add(struct rtnl *nl, int index, uint32_t addr, const uint8_t mac[6],
		    GError **error);

#endif
