/* nic.h: parameters of the physical NIC (see nic.c). */
#ifndef ACCELSIM_NIC_H
#define ACCELSIM_NIC_H

#include <stdbool.h>

#include "core/dist.h"

struct nic_params {
	double latency_s;
	double pcie_rate_bps;
	double pcie_latency_s;
	double pcie_overhead_bytes;	/* link bytes per DMA beyond its data */
	double pcie_dma_rate;		/* most DMAs per second, 0: no limit */
	unsigned buffer;
	unsigned rx_ring;
	unsigned tx_ring;
	double irq_coalesce_s;
	unsigned irq_frames;
	struct dist irq_latency;
	bool irq_adaptive;	/* DIM: the timer follows the packet rate */
};

#endif
