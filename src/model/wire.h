/* wire.h: parameters of the Ethernet link (see wire.c). */
#ifndef ACCELSIM_WIRE_H
#define ACCELSIM_WIRE_H

struct wire_params {
	double rate_bps;
	double propagation_s;
	double framing_bytes;
	unsigned queue;
	double mtu_bytes;	/* largest frame; 0: a packet is one frame */
	double header_bytes;	/* headers each further frame repeats */
};

#endif
