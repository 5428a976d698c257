/* ethtool.c: read-only ethtool ioctls and the parser of their replies (see
 * ethtool.h).  The ioctls go through a UDP socket that is never bound or
 * used to send: SIOCETHTOOL only needs a socket to name the device. */
#define _GNU_SOURCE
#include "real/ethtool.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/msg.h"

#define GSTRINGS_HDR offsetof(struct ethtool_gstrings, data)
#define GSTATS_HDR offsetof(struct ethtool_stats, data)
#define STATS_SLACK 256

static uint32_t get_u32(const void *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)buf + off, sizeof(v));
	return v;
}

GArray *ethtool_parse_stats(const void *strings, size_t strings_len, const void *stats,
			    size_t stats_len, GError **error)
{
	uint32_t cmd, set, n, n_stats;
	GArray *out;

	if (strings_len < GSTRINGS_HDR) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool strings reply: expected at least %zu bytes, got %zu",
			    GSTRINGS_HDR, strings_len);
		return NULL;
	}
	cmd = get_u32(strings, offsetof(struct ethtool_gstrings, cmd));
	set = get_u32(strings, offsetof(struct ethtool_gstrings, string_set));
	n = get_u32(strings, offsetof(struct ethtool_gstrings, len));
	if (cmd != ETHTOOL_GSTRINGS || set != ETH_SS_STATS) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool strings reply: expected command 0x%x set %d (statistics), "
			    "got command 0x%x set %u", ETHTOOL_GSTRINGS, ETH_SS_STATS, cmd, set);
		return NULL;
	}
	if (n > ETHTOOL_MAX_STATS ||
	    strings_len < GSTRINGS_HDR + (size_t)n * ETH_GSTRING_LEN) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool strings reply: expected %u names in %zu bytes, got %zu bytes",
			    n, GSTRINGS_HDR + (size_t)n * ETH_GSTRING_LEN, strings_len);
		return NULL;
	}
	if (stats_len < GSTATS_HDR) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool stats reply: expected at least %zu bytes, got %zu",
			    GSTATS_HDR, stats_len);
		return NULL;
	}
	cmd = get_u32(stats, offsetof(struct ethtool_stats, cmd));
	n_stats = get_u32(stats, offsetof(struct ethtool_stats, n_stats));
	if (cmd != ETHTOOL_GSTATS) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool stats reply: expected command 0x%x, got 0x%x",
			    ETHTOOL_GSTATS, cmd);
		return NULL;
	}
	if (n_stats != n) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool stats reply: expected %u values (one per name), got %u",
			    n, n_stats);
		return NULL;
	}
	if (stats_len < GSTATS_HDR + (size_t)n * sizeof(uint64_t)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool stats reply: expected %u values in %zu bytes, got %zu bytes",
			    n, GSTATS_HDR + (size_t)n * sizeof(uint64_t), stats_len);
		return NULL;
	}

	out = g_array_sized_new(FALSE, TRUE, sizeof(struct ethtool_stat), n);
	for (uint32_t i = 0; i < n; i++) {
		struct ethtool_stat s = { 0 };
		const char *name = (const char *)strings + GSTRINGS_HDR + (size_t)i * ETH_GSTRING_LEN;

		/* a name may fill all 32 bytes without a terminating NUL */
		memcpy(s.name, name, strnlen(name, ETH_GSTRING_LEN));
		memcpy(&s.value, (const char *)stats + GSTATS_HDR + (size_t)i * sizeof(uint64_t),
		       sizeof(uint64_t));
		g_array_append_val(out, s);
	}
	return out;
}

static void copy_field(char *dst, size_t dst_size, const char *src, size_t src_size)
{
	size_t n = strnlen(src, src_size);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool ethtool_parse_drvinfo(const void *reply, size_t len, struct ethtool_driver *out,
			   GError **error)
{
	struct ethtool_drvinfo d;

	if (len < sizeof(d)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool driver reply: expected %zu bytes, got %zu", sizeof(d), len);
		return false;
	}
	memcpy(&d, reply, sizeof(d));
	if (d.cmd != ETHTOOL_GDRVINFO) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "ethtool driver reply: expected command 0x%x, got 0x%x",
			    ETHTOOL_GDRVINFO, d.cmd);
		return false;
	}
	memset(out, 0, sizeof(*out));
	copy_field(out->driver, sizeof(out->driver), d.driver, sizeof(d.driver));
	copy_field(out->version, sizeof(out->version), d.version, sizeof(d.version));
	copy_field(out->bus_info, sizeof(out->bus_info), d.bus_info, sizeof(d.bus_info));
	out->n_stats = d.n_stats;
	return true;
}

bool ethtool_stat_find(const GArray *stats, const char *name, uint64_t *value)
{
	for (guint i = 0; i < stats->len; i++) {
		const struct ethtool_stat *s = &g_array_index(stats, struct ethtool_stat, i);

		if (!strcmp(s->name, name)) {
			*value = s->value;
			return true;
		}
	}
	return false;
}

enum ethtool_an ethtool_an_state(const GArray *stats)
{
	uint64_t rx = 0, tx = 0;
	bool has_rx = ethtool_stat_find(stats, "vf_rx_packets", &rx);
	bool has_tx = ethtool_stat_find(stats, "vf_tx_packets", &tx);

	if (!has_rx && !has_tx)
		return ETHTOOL_AN_NO_COUNTERS;
	return rx + tx > 0 ? ETHTOOL_AN_ACTIVE : ETHTOOL_AN_IDLE;
}

/* One SIOCETHTOOL request on ifname; data is both request and reply. */
static bool ethtool_ioctl(const char *ifname, void *data, const char *what, GError **error)
{
	struct ifreq ifr;
	int fd, e = 0;

	if (strlen(ifname) >= IFNAMSIZ) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "interface name: expected at most %d characters, got '%s'",
			    IFNAMSIZ - 1, ifname);
		return false;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_data = data;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr) != 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	if (e) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "%s: ethtool %s: %s", ifname, what, g_strerror(e));
		return false;
	}
	return true;
}

GBytes *ethtool_read_drvinfo_raw(const char *ifname, GError **error)
{
	struct ethtool_drvinfo d = { .cmd = ETHTOOL_GDRVINFO };

	if (!ethtool_ioctl(ifname, &d, "GDRVINFO", error))
		return NULL;
	return g_bytes_new(&d, sizeof(d));
}

bool ethtool_read_drvinfo(const char *ifname, struct ethtool_driver *out, GError **error)
{
	g_autoptr(GBytes) raw = ethtool_read_drvinfo_raw(ifname, error);
	gsize len;
	const void *data;

	if (!raw)
		return false;
	data = g_bytes_get_data(raw, &len);
	return ethtool_parse_drvinfo(data, len, out, error);
}

bool ethtool_read_stats_raw(const char *ifname, GBytes **strings, GBytes **stats,
			    GError **error)
{
	/* struct ethtool_sset_info and room for one count after it */
	uint64_t buf[(sizeof(struct ethtool_sset_info) + sizeof(uint32_t) + 7) / 8] = { 0 };
	struct ethtool_sset_info *info = (struct ethtool_sset_info *)buf;
	struct ethtool_gstrings *gs;
	struct ethtool_stats *st;
	size_t gs_len, st_len, room;
	uint32_t n;

	info->cmd = ETHTOOL_GSSET_INFO;
	info->sset_mask = UINT64_C(1) << ETH_SS_STATS;
	if (!ethtool_ioctl(ifname, info, "GSSET_INFO", error))
		return false;
	n = (info->sset_mask & (UINT64_C(1) << ETH_SS_STATS)) ? info->data[0] : 0;
	if (n > ETHTOOL_MAX_STATS) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "%s: ethtool GSSET_INFO: expected at most %d statistics, got %u",
			    ifname, ETHTOOL_MAX_STATS, n);
		return false;
	}
	/* The kernel writes as many entries as the driver has now, not as many
	 * as asked for: room to spare for a count that grew meanwhile (a
	 * netvsc channel added), which the parser then reports as a mismatch. */
	room = (size_t)n + STATS_SLACK;
	gs = g_malloc0(GSTRINGS_HDR + room * ETH_GSTRING_LEN);
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = n;
	st = g_malloc0(GSTATS_HDR + room * sizeof(uint64_t));
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	if (n && (!ethtool_ioctl(ifname, gs, "GSTRINGS", error) ||
		  !ethtool_ioctl(ifname, st, "GSTATS", error))) {
		g_free(gs);
		g_free(st);
		return false;
	}
	gs_len = GSTRINGS_HDR + MIN((size_t)gs->len, room) * ETH_GSTRING_LEN;
	st_len = GSTATS_HDR + MIN((size_t)st->n_stats, room) * sizeof(uint64_t);
	*strings = g_bytes_new_take(gs, gs_len);
	*stats = g_bytes_new_take(st, st_len);
	return true;
}

GArray *ethtool_read_stats(const char *ifname, GError **error)
{
	g_autoptr(GBytes) strings = NULL;
	g_autoptr(GBytes) stats = NULL;
	gsize sl, tl;
	const void *s, *t;

	if (!ethtool_read_stats_raw(ifname, &strings, &stats, error))
		return NULL;
	s = g_bytes_get_data(strings, &sl);
	t = g_bytes_get_data(stats, &tl);
	return ethtool_parse_stats(s, sl, t, tl, error);
}
