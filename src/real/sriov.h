/* sriov.h: what sysfs says about this machine's network devices, read only.
 *
 * From /sys/class/net/<dev> (the root is a parameter, so tests and offline
 * diagnosis can point it at a copy): the driver bound to the device, whether
 * it is an SR-IOV physical function (device/sriov_totalvfs, sriov_numvfs,
 * and device/virtfnN for each enabled VF with the netdevs bound to it) or a
 * virtual function (device/physfn), and the devices bonded beneath it
 * (lower_<dev> links: how Azure's hv_netvsc device holds its VF).
 * Virtual devices (no device link: lo, veth, bridges) are left out.
 */
#ifndef ACCELSIM_REAL_SRIOV_H
#define ACCELSIM_REAL_SRIOV_H

#include <glib.h>
#include <stdbool.h>

struct sriov_vf {
	int index;		/* N of virtfnN */
	char *bus;		/* PCI address of the VF; owned */
	char **netdevs;		/* netdevs bound to it, NULL-terminated; owned */
};

struct sriov_dev {
	char *name;		/* netdev name; owned */
	char *driver;		/* bound driver, "" when none; owned */
	char *bus;		/* bus address of the device; owned */
	bool is_pf;
	int total_vfs, num_vfs;	/* PF only */
	GArray *vfs;		/* struct sriov_vf, PF only */
	bool is_vf;
	char *pf_bus;		/* VF only: its PF's address; owned */
	char **lowers;		/* devices bonded beneath, NULL-terminated; owned */
};

/* Scan <sysfs_root>/class/net.  Returns struct sriov_dev pointers sorted by
 * name (the array frees them).  ACCELSIM_ERROR_RUNTIME when the directory
 * cannot be read. */
GPtrArray *sriov_scan(const char *sysfs_root, GError **error);

/* The device of that name in a scan, or NULL. */
const struct sriov_dev *sriov_find(const GPtrArray *devs, const char *name);

#endif
