/* rtnl.c: rtnetlink requests through libmnl (see rtnl.h).  Every request
 * asks for an acknowledgement and reads replies until the kernel's ACK or
 * NLMSG_DONE, so a failure comes back as the errno of that very request. */
#define _GNU_SOURCE
#include "real/rtnl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/msg.h"
#include "real/netns.h"

struct rtnl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char *buf;		/* MNL_SOCKET_BUFFER_SIZE bytes, requests and replies */
};

struct rtnl *rtnl_new(int ns_fd, GError **error)
{
	int fd = netns_socket(ns_fd, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, error);
	struct mnl_socket *sock;

	if (fd < 0)
		return NULL;
	sock = mnl_socket_fdopen(fd);
	if (!sock || mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot open rtnetlink socket: %s", g_strerror(errno));
		if (sock)
			mnl_socket_close(sock);
		else
			close(fd);
		return NULL;
	}

	struct rtnl *nl = g_new0(struct rtnl, 1);
	nl->sock = sock;
	nl->portid = mnl_socket_get_portid(sock);
	nl->seq = (unsigned int)time(NULL);
	nl->buf = g_malloc(MNL_SOCKET_BUFFER_SIZE);
	return nl;
}

void rtnl_free(struct rtnl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	g_free(nl->buf);
	g_free(nl);
}

static struct nlmsghdr *msg_start(struct rtnl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	/* libmnl leaves attribute padding as it finds it: send zeros, not old replies */
	memset(nl->buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(nl->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/* Send nlh and run cb over the replies until the ACK (or NLMSG_DONE). */
static bool transact(struct rtnl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		     const char *what, GError **error)
{
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		goto fail;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, MNL_SOCKET_BUFFER_SIZE);
		if (n < 0)
			goto fail;
		ret = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid, cb, data);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		goto fail;
	return true;

fail:
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
		    "rtnetlink: cannot %s: %s", what, g_strerror(errno));
	return false;
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int index)
{
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = index;
	return ifm;
}

struct link_query {
	struct rtnl_link *out;
	GPtrArray *names;
	bool found;
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int info_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFLA_INFO_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_query *q = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, tb);
	if (q->names) {
		if (tb[IFLA_IFNAME])
			g_ptr_array_add(q->names, g_strdup(mnl_attr_get_str(tb[IFLA_IFNAME])));
		return MNL_CB_OK;
	}
	q->found = true;
	q->out->index = ifm->ifi_index;
	q->out->flags = ifm->ifi_flags;
	if (tb[IFLA_MASTER])
		q->out->master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(q->out->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *info[IFLA_INFO_MAX + 1] = { 0 };

		mnl_attr_parse_nested(tb[IFLA_LINKINFO], info_attr_cb, info);
		if (info[IFLA_INFO_KIND])
			g_strlcpy(q->out->kind, mnl_attr_get_str(info[IFLA_INFO_KIND]),
				  sizeof(q->out->kind));
	}
	return MNL_CB_OK;
}

struct addr_count {
	int index;
	int n;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_count *c = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWADDR && (int)ifa->ifa_index == c->index &&
	    ifa->ifa_scope != RT_SCOPE_LINK)
		c->n++;
	return MNL_CB_OK;
}

bool rtnl_link_get(struct rtnl *nl, const char *name, struct rtnl_link *out,
		   GError **error)
{
	struct link_query q = { .out = out };
	struct nlmsghdr *nlh = msg_start(nl, RTM_GETLINK, 0);
	g_autofree char *what = g_strdup_printf("find link '%s'", name);

	memset(out, 0, sizeof(*out));
	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (!transact(nl, nlh, link_cb, &q, what, error))
		return false;
	if (!q.found) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "rtnetlink: no link '%s'", name);
		return false;
	}

	struct addr_count c = { .index = out->index };
	nlh = msg_start(nl, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	if (!transact(nl, nlh, addr_cb, &c, "list addresses", error))
		return false;
	out->addresses = c.n;
	return true;
}

char **rtnl_link_names(struct rtnl *nl, GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	struct link_query q = { .names = names };
	struct nlmsghdr *nlh = msg_start(nl, RTM_GETLINK, NLM_F_DUMP);

	put_ifinfo(nlh, 0);
	if (!transact(nl, nlh, link_cb, &q, "list links", error))
		return NULL;
	g_ptr_array_add(names, NULL);
	g_ptr_array_set_free_func(names, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

bool rtnl_veth_add(struct rtnl *nl, const char *name, const uint8_t mac[6],
		   const char *peer, const uint8_t peer_mac[6], int peer_ns_fd,
		   GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *linkinfo, *data, *peer_nest;
	g_autofree char *what = g_strdup_printf("create veth pair '%s'/'%s'", name, peer);

	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, peer_mac);
	if (peer_ns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_ns_fd);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return transact(nl, nlh, NULL, NULL, what, error);
}

bool rtnl_bridge_add(struct rtnl *nl, const char *name, GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *linkinfo;
	g_autofree char *what = g_strdup_printf("create bridge '%s'", name);

	put_ifinfo(nlh, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, linkinfo);
	return transact(nl, nlh, NULL, NULL, what, error);
}

bool rtnl_link_del(struct rtnl *nl, int index, GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_DELLINK, 0);

	put_ifinfo(nlh, index);
	return transact(nl, nlh, NULL, NULL, "delete link", error);
}

bool rtnl_link_set_up(struct rtnl *nl, int index, bool up, GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = put_ifinfo(nlh, index);

	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	return transact(nl, nlh, NULL, NULL, up ? "set link up" : "set link down", error);
}

bool rtnl_link_set_master(struct rtnl *nl, int index, int master, GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_NEWLINK, 0);

	put_ifinfo(nlh, index);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	return transact(nl, nlh, NULL, NULL, "attach link to bridge", error);
}

bool rtnl_link_move(struct rtnl *nl, int index, int ns_fd, const char *new_name,
		    GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_NEWLINK, 0);

	put_ifinfo(nlh, index);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)ns_fd);
	if (new_name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
	return transact(nl, nlh, NULL, NULL, "move link to another namespace", error);
}

bool rtnl_addr_add(struct rtnl *nl, int index, uint32_t addr, int prefix,
		   GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned int)index;
	mnl_attr_put_u32(nlh, IFA_LOCAL, addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, addr);
	return transact(nl, nlh, NULL, NULL, "add address", error);
}

bool rtnl_neigh_add(struct rtnl *nl, int index, uint32_t addr, const uint8_t mac[6],
		    GError **error)
{
	struct nlmsghdr *nlh = msg_start(nl, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = index;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put_u32(nlh, NDA_DST, addr);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return transact(nl, nlh, NULL, NULL, "add neighbour entry", error);
}
