/* vswitch.h: parameters of the host virtual switch (see vswitch.c). */
#ifndef ACCELSIM_VSWITCH_H
#define ACCELSIM_VSWITCH_H

#include "core/dist.h"

struct vswitch_params {
	unsigned cores;
	struct dist cycles;
	double batch_cycles;
	double flow_miss_cycles;
	unsigned flow_table;
	double flow_timeout_s;
	unsigned batch;
	int dispatch;
};

#endif
