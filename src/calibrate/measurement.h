/* measurement.h: a real-mode measurement read back from its result files,
 * and the conditions it was taken under.
 *
 * Calibration and validation never call real mode's code: they run
 * `accelsim real measure ... -o DIR` and read DIR/result.ini (or, for a
 * curve, DIR/point-NN/result.ini) like any other result, so every figure
 * they fit or compare is one a user can open.  The conditions come from the
 * result's "conditions" note, which real mode writes as key=value pairs
 * (mode, size, rules, batch, window, rate_pps, client_cpu, server_cpu,
 * busy_poll_us, hz), and its "latency kind" note ("round trip" or
 * "one-way").
 */
#ifndef ACCELSIM_CALIBRATE_MEASUREMENT_H
#define ACCELSIM_CALIBRATE_MEASUREMENT_H

#include <glib.h>
#include <stdbool.h>

#include "report/result.h"

/* Ethernet header, IPv4, UDP and FCS around a UDP payload: a payload of
 * s bytes is a frame of s + FRAME_EXTRA bytes in the simulator's terms. */
#define FRAME_EXTRA 46

struct conditions {
	bool emulate;
	int size;		/* UDP payload, bytes */
	int rules;		/* nftables rules on the emulated bridge */
	int batch;		/* datagrams per sendmmsg */
	int window;		/* flood bound on packets in flight, 0: none */
	double rate_pps;	/* paced rate; 0: ping-pong and flood */
	int client_cpu, server_cpu;
	int busy_poll_us;
	double hz;		/* the clock real mode converted cycles with */
	double others;		/* share of the measuring cores other processes
				 * kept busy during the streams */
	bool one_way;		/* latency is one-way (a paced stream) */
};

/* Parse r's notes.  ACCELSIM_ERROR_INPUT naming what is missing when r is
 * not a real-mode measurement (no or a malformed "conditions" note). */
bool conditions_from_result(const struct run_result *r, struct conditions *c, GError **error);

/* The result in DIR/result.ini; the caller frees it.  RUNTIME error when
 * the file cannot be read, INPUT when it is not a result. */
struct run_result *result_load_dir(const char *dir, GError **error);

/* A note's value, or NULL. */
const char *result_note(const struct run_result *r, const char *key);

#endif
