/* wire.h: parameters of the Ethernet link (see wire.c). */
#ifndef ACCELSIM_WIRE_H
#define ACCELSIM_WIRE_H

struct wire_params {
	double rate_bps;
	double propagation_s;
	double framing_bytes;
	unsigned queue;
};

#endif
