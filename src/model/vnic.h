/* vnic.h: parameters of the synthetic vNIC channel (see vnic.c); the
 * pipeline reads workers and worker_cores to place its host side. */
#ifndef ACCELSIM_VNIC_H
#define ACCELSIM_VNIC_H

#include "core/dist.h"

enum { VNIC_PINNED, VNIC_FLOATING };

struct vnic_params {
	double copy_rate_Bps;
	double copy_cycles;
	struct dist notify_latency;
	unsigned ring;
	unsigned workers;	/* host threads of their own, 0: on the vSwitch's core */
	int worker_cores;	/* VNIC_PINNED or VNIC_FLOATING */
	struct dist worker_wakeup;
	unsigned worker_queue;
	unsigned worker_batch;
	double exit_cycles;	/* per interrupt into the guest */
	double kick_cycles;	/* per doorbell exit of the guest */
	double halt_poll_s;
	struct dist halt_wakeup;
};

#endif
