/* remote.h: parameters of the remote end of a round trip (see remote.c). */
#ifndef ACCELSIM_REMOTE_H
#define ACCELSIM_REMOTE_H

#include <stdbool.h>

#include "core/dist.h"

struct remote_params {
	struct dist tx_cycles;
	struct dist rx_cycles;
	double freq_hz;
	struct dist wakeup_latency;
	double nic_latency_s;
	unsigned threads;
};

/* Whether the remote end costs anything: if not, its stages are left
 * out of the routes. */
bool remote_enabled(const struct remote_params *r);

#endif
