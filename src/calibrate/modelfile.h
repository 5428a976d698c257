/* modelfile.h: the model of the namespace stand-in, as calibration fits it
 * and writes it.
 *
 * What the stand-in is in the simulator's terms (docs/validation.md):
 *   - the "vSwitch" is the normal path's extra hop: veth into the host
 *     namespace, the bridge with its nftables rules, veth out; one core;
 *   - the "guest" is both endpoints' stacks: a one-way packet's sender
 *     transmit and receiver receive work are charged together as
 *     guest.cycles_per_packet on the receiving side (a round trip's reply
 *     as guest.tx_cycles_per_packet), plus guest.poll_cycles per batch (the
 *     system calls and wake-up bookkeeping a batch shares), and a recv
 *     copy per byte (app.copy_rate);
 *   - guest.wakeup_latency is the blocked thread's wake-up (an empirical
 *     table from the measured round trips), wire.propagation half a
 *     median wake-up (the client's, which the simulator does not model);
 *   - the NIC, the VF, the wire and the vNIC hand-off take no time.
 * Per-rule cost has no model key (the model charges the vSwitch one cost
 * per packet): it is written in the header's fitted block as
 * vswitch.rule_cycles, and a scenario mirroring a run with N rules sets
 * vswitch.cycles_per_packet to the base plus N times it (mirror.h).
 *
 * The header's fitted block has one line per parameter,
 *   "#   KEY = VALUE ± ERROR  what it is"
 * with VALUE and ERROR in the unit of the key; modelfile_fitted() reads it.
 */
#ifndef ACCELSIM_CALIBRATE_MODELFILE_H
#define ACCELSIM_CALIBRATE_MODELFILE_H

#include <glib.h>
#include <stdbool.h>

struct fitted_value {
	double value, se;	/* estimate and its standard error */
};

struct standin {
	char *name;			/* [model] name */
	double hz;			/* core clock */
	unsigned cores;			/* cores of this machine */
	struct fitted_value host_packet; /* vSwitch cycles per packet, 0 rules */
	struct fitted_value host_byte;	/* vSwitch cycles per frame byte */
	struct fitted_value host_rule;	/* vSwitch cycles per nftables rule */
	struct fitted_value guest_packet; /* both endpoints' stacks, per packet */
	struct fitted_value guest_byte;	/* endpoints' cycles per frame byte */
	struct fitted_value wake_s;	/* median wake-up, seconds */
	GArray *wake_values;		/* wake-up table: seconds, ascending */
	GArray *wake_weights;		/* and their weights */
	double host_rms, guest_rms;	/* fits' rms residuals, cycles */
	int host_n, guest_n;		/* observations in each fit */
	unsigned app_queue;		/* datagrams the receive buffer holds */
	char *provenance;		/* what was measured, when, on what: comment lines */
};

void standin_clear(struct standin *m);

/* Write the model to path and its wake-up table beside it (path with
 * ".ini" replaced by ".wakeup.txt"), each file whole.  RUNTIME error
 * naming the file when a write fails. */
bool standin_write(const char *path, const struct standin *m, GError **error);

/* The fitted value of key from the header of the model file at path.
 * FALSE (no error) when the header has no such line; RUNTIME error when
 * the file cannot be read. */
bool modelfile_fitted(const char *path, const char *key, double *value, GError **error);

#endif
