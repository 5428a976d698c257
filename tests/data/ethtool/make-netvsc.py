#!/usr/bin/env python3
# make-netvsc.py: write the hv_netvsc ethtool replies in this directory.
#
# No Azure VM was at hand to record from, so these replies are built byte
# for byte in the layout the kernel returns (struct ethtool_drvinfo,
# struct ethtool_gstrings + 32-byte names, struct ethtool_stats + u64
# values; x86-64, little-endian), with the statistic names and their order
# taken from drivers/net/hyperv/netvsc_drv.c (netvsc_stats, vf_stats, eight
# per channel, eight per present CPU): a VM with 2 channels and 2 CPUs.
# Run it from anywhere; it rewrites netvsc-vf/ and netvsc-novf/.
import os
import struct

ETHTOOL_GDRVINFO = 0x03
ETHTOOL_GSTRINGS = 0x1b
ETHTOOL_GSTATS = 0x1d
ETH_SS_STATS = 1

GLOBAL = ["tx_scattered", "tx_no_memory", "tx_no_space", "tx_too_big", "tx_busy",
          "tx_send_full", "rx_comp_busy", "rx_no_memory", "stop_queue", "wake_queue",
          "vlan_error"]
VF = ["vf_rx_packets", "vf_rx_bytes", "vf_tx_packets", "vf_tx_bytes", "vf_tx_dropped"]
QUEUE = ["tx_queue_%u_packets", "tx_queue_%u_bytes", "tx_queue_%u_xdp_xmit",
         "rx_queue_%u_packets", "rx_queue_%u_bytes", "rx_queue_%u_xdp_drop",
         "rx_queue_%u_xdp_redirect", "rx_queue_%u_xdp_tx"]
PCPU = ["cpu%u_rx_packets", "cpu%u_rx_bytes", "cpu%u_tx_packets", "cpu%u_tx_bytes",
        "cpu%u_vf_rx_packets", "cpu%u_vf_rx_bytes", "cpu%u_vf_tx_packets",
        "cpu%u_vf_tx_bytes"]


def names(channels, cpus):
    out = GLOBAL + VF
    for q in range(channels):
        out += [n % q for n in QUEUE]
    for c in range(cpus):
        out += [n % c for n in PCPU]
    return out


def values(vf):
    """Counters of a VM whose traffic goes through the VF (vf) or not."""
    v = dict.fromkeys(names(2, 2), 0)
    # the synthetic path still carries a little: DHCP, link-local, the
    # packets of the moment the VF was being added
    v.update({"tx_queue_0_packets": 1811, "tx_queue_0_bytes": 254362,
              "rx_queue_0_packets": 91312, "rx_queue_0_bytes": 64734440,
              "tx_queue_1_packets": 0, "rx_queue_1_packets": 90945,
              "rx_queue_1_bytes": 66515649, "wake_queue": 3, "stop_queue": 3})
    if vf:
        v.update({"vf_rx_packets": 267511, "vf_rx_bytes": 595165196,
                  "vf_tx_packets": 5483500, "vf_tx_bytes": 1433581380,
                  "cpu0_vf_rx_packets": 762, "cpu0_vf_rx_bytes": 1730037,
                  "cpu0_vf_tx_packets": 2307011, "cpu0_vf_tx_bytes": 996614053,
                  "cpu1_vf_rx_packets": 266749, "cpu1_vf_rx_bytes": 593435159,
                  "cpu1_vf_tx_packets": 3176489, "cpu1_vf_tx_bytes": 436967327})
    return v


def drvinfo(n_stats):
    # cmd, driver[32], version[32], fw_version[32], bus_info[32],
    # erom_version[32], reserved2[12], n_priv_flags, n_stats, testinfo_len,
    # eedump_len, regdump_len
    return struct.pack("<I32s32s32s32s32s12sIIIII", ETHTOOL_GDRVINFO, b"hv_netvsc",
                       b"6.8.0-1015-azure", b"N/A", b"", b"", b"", 0, n_stats, 0, 0, 0)


def write(dirname, vf):
    here = os.path.dirname(os.path.abspath(__file__))
    d = os.path.join(here, dirname)
    os.makedirs(d, exist_ok=True)
    ns = names(2, 2)
    v = values(vf)
    with open(os.path.join(d, "eth0.drvinfo"), "wb") as f:
        f.write(drvinfo(len(ns)))
    with open(os.path.join(d, "eth0.gstrings"), "wb") as f:
        f.write(struct.pack("<III", ETHTOOL_GSTRINGS, ETH_SS_STATS, len(ns)))
        for n in ns:
            f.write(struct.pack("32s", n.encode()))
    with open(os.path.join(d, "eth0.gstats"), "wb") as f:
        f.write(struct.pack("<II", ETHTOOL_GSTATS, len(ns)))
        for n in ns:
            f.write(struct.pack("<Q", v[n]))


write("netvsc-vf", True)
write("netvsc-novf", False)
