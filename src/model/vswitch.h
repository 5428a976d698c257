/* vswitch.h: parameters of the host virtual switch (see vswitch.c). */
#ifndef ACCELSIM_VSWITCH_H
#define ACCELSIM_VSWITCH_H

#include <stdbool.h>

#include "core/dist.h"

struct component;

struct vswitch_params {
	unsigned cores;
	struct dist cycles;
	double batch_cycles;
	double flow_miss_cycles;
	unsigned flow_table;
	double flow_timeout_s;
	unsigned batch;
	int dispatch;
	double contention;	/* USL sigma: added cost per further busy core */
	unsigned emc_entries;	/* exact-match cache in front of the flow table, 0: none */
	double emc_miss_cycles;
	bool poll;		/* poll-mode cores (OVS-DPDK's PMD threads) */
	double housekeeping_period;	/* one stretch of host work per core per period, 0: none */
	struct dist housekeeping;	/* its length */
	unsigned softirq_budget;	/* packets before deferring to ksoftirqd, 0: never */
	struct dist ksoftirqd_latency;
};

/* The factor contention puts on a packet's cycles in a batch of vSwitch
 * component c that starts at now (seconds): 1 + contention x (n - 1),
 * where n is the mean number of busy switch cores two epochs before; 1
 * with contention off or before any load was seen. */
double vswitch_contention_factor(const struct component *c, double now);

#endif
