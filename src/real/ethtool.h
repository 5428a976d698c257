/* ethtool.h: driver names and statistics through the ethtool ioctl, read
 * only, and a pure parser of its replies.
 *
 * The evidence that Azure's accelerated networking is active is what
 * `ethtool -S eth0 | grep vf_` shows: the synthetic (hv_netvsc) device
 * counts the packets that went through the VF bonded beneath it in
 * vf_rx_packets / vf_tx_packets.  Reading them takes three requests:
 * ETHTOOL_GSSET_INFO for the number of statistics, ETHTOOL_GSTRINGS for
 * their names and ETHTOOL_GSTATS for their values.  The replies are parsed
 * by ethtool_parse_stats(), a pure function of the reply bytes, so the tests
 * run it on replies recorded on other machines (tests/data/ethtool/).
 *
 * Reply buffers are in the kernel's layout and the host's byte order:
 * struct ethtool_gstrings (cmd, string_set, len) then len names of
 * ETH_GSTRING_LEN bytes; struct ethtool_stats (cmd, n_stats) then n_stats
 * u64 values.
 */
#ifndef ACCELSIM_REAL_ETHTOOL_H
#define ACCELSIM_REAL_ETHTOOL_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETHTOOL_NAME_LEN 32	/* ETH_GSTRING_LEN */
#define ETHTOOL_MAX_STATS 65536	/* more than any driver has; bounds a bad reply */

struct ethtool_stat {
	char name[ETHTOOL_NAME_LEN + 1];
	uint64_t value;
};

struct ethtool_driver {
	char driver[33];
	char version[33];
	char bus_info[33];
	uint32_t n_stats;
};

/* Parse a GSTRINGS(ETH_SS_STATS) reply and a GSTATS reply into an array of
 * struct ethtool_stat, in the driver's order.  Fails with
 * ACCELSIM_ERROR_INPUT naming what is wrong (wrong command, truncated,
 * counts that disagree).  The caller frees the array (g_array_unref). */
GArray *ethtool_parse_stats(const void *strings, size_t strings_len, const void *stats,
			    size_t stats_len, GError **error);

/* Parse a GDRVINFO reply. */
bool ethtool_parse_drvinfo(const void *reply, size_t len, struct ethtool_driver *out,
			   GError **error);

/* The value of the statistic called name: TRUE if present. */
bool ethtool_stat_find(const GArray *stats, const char *name, uint64_t *value);

/* What the vf_* counters say about accelerated networking. */
enum ethtool_an {
	ETHTOOL_AN_NO_COUNTERS,	/* no vf_rx_packets/vf_tx_packets: not a netvsc-like device */
	ETHTOOL_AN_IDLE,	/* counters present, both zero: the VF carries nothing */
	ETHTOOL_AN_ACTIVE,	/* packets went through the VF */
};

enum ethtool_an ethtool_an_state(const GArray *stats);

/* The ioctl side: ifname in the caller's network namespace.  Read only.
 * RUNTIME errors carry the kernel's errno text (EOPNOTSUPP when the driver
 * has no statistics). */
bool ethtool_read_drvinfo(const char *ifname, struct ethtool_driver *out, GError **error);
/* The raw GDRVINFO reply (for recording); the caller frees it. */
GBytes *ethtool_read_drvinfo_raw(const char *ifname, GError **error);

/* The raw GSTRINGS and GSTATS replies, for ethtool_parse_stats() or for
 * recording; the caller frees both. */
bool ethtool_read_stats_raw(const char *ifname, GBytes **strings, GBytes **stats,
			    GError **error);

/* Read and parse; the caller frees the array. */
GArray *ethtool_read_stats(const char *ifname, GError **error);

#endif
