/* real.h: real mode, what the rest of accelsim may call.
 *
 * Real mode measures the two data paths on actual network devices: an SR-IOV
 * VF against a path through the host's switch, or, where there is no such
 * hardware, a stand-in made of network namespaces (see topology.h).  The
 * figures come back in the simulator's struct run_result (source
 * "measurement"), so every report prints them alike.  Details and the safety
 * rules kept: docs/real-mode.md.
 */
#ifndef ACCELSIM_REAL_H
#define ACCELSIM_REAL_H

#include <glib.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/result.h"
#include "sweep/results.h"

struct real_measure_opts {
	bool emulate;		/* namespace stand-in; else vf/via/peer */
	const char *vf, *via, *peer;	/* hardware interfaces (borrowed) */
	int vswitch_rules;	/* nftables rules on the emulated bridge */
	uint64_t count;		/* measured ping-pong messages per path */
	uint64_t warmup;	/* excluded messages, first round of each path */
	int rounds;		/* the paths alternate this many times */
	size_t size;		/* UDP payload, bytes */
	double flood_s;		/* flood length per path, seconds */
	uint64_t flood_count;	/* flood bound in packets per path */
	int batch;		/* sendmmsg/recvmmsg batch */
	int window;		/* flood: most packets sent and not yet received
				 * (0: unbounded, what the scheduler lets through) */
	double rate_pps;	/* > 0: measure under load at this offered rate */
	double rate_frac;	/* > 0: ... at this fraction of the saturation
				 * rate of the slower path, measured first */
	int cpu;		/* client core, -1 to choose */
	bool separate_cores;	/* server on another core than the client */
	bool no_pin;		/* let the scheduler place both threads */
	int busy_poll_us;	/* 0: blocking receives */
	double time_limit_s;	/* bound on the whole measurement */
};

/* The defaults: 20000 messages after 2000 of warm-up, 10 rounds, 64 bytes,
 * a 1 s flood in batches of 32 with at most 64 packets in flight, both
 * threads on one core, 60 s at most. */
void real_measure_opts_init(struct real_measure_opts *o);

/* Build the paths, measure both, remove everything, and return the
 * figures.  A run cut short by --time-limit or by SIGINT, SIGTERM or SIGHUP
 * returns the figures so far with partial set and a note saying why.
 * Errors: ACCELSIM_ERROR_UNSUPPORTED without root or network namespaces,
 * INPUT for bad options or interfaces, RUNTIME when the measurement fails,
 * or when it was cut short before anything was measured.  Before building,
 * removes the namespaces of dead runs (topology_sweep_stale) and notes it
 * in the result.  The caller frees the result. */
struct run_result *real_measure(const struct real_measure_opts *o, GError **error);

/* A load range for real_measure_sweep(): from, to and step either as
 * fractions of the slower path's saturation rate ("10%..100%/10%") or in
 * packets per second ("10kpps..200kpps/10kpps"). */
struct real_rates {
	double from, to, step;
	bool of_saturation;	/* fractions, not packets per second */
};

/* Parse "FROM..TO/STEP" with percentages or packet rates (one kind for all
 * three).  ACCELSIM_ERROR_INPUT naming what was expected. */
bool real_rates_parse(const char *text, struct real_rates *out, GError **error);

/* The offered loads of rates, in order: fractions or pps as written.  At
 * most 1000 points. */
GArray *real_rates_points(const struct real_rates *rates);

/* Latency under load, a curve: measure the saturation rate of both paths
 * (the windowed flood), then at each load of rates a paced stream over
 * each path (o->rate_* are ignored), and return the points as the
 * results of a sweep (sweep/results.h, the shape `accelsim sweep` writes)
 * that varies "load_pct" (percent of the slower path's saturation) and
 * "rate_pps": one run per point, marked as its point, and the note
 * sweep.saturation on each.  Errors and partial runs as real_measure();
 * a run cut short returns the points so far, the rest listed as missing
 * and the sweep partial, with a note sweep.partial saying why.  The
 * caller frees the results. */
struct sweep_results *real_measure_sweep(const struct real_measure_opts *o,
					 const struct real_rates *rates, GError **error);

/* Remove leftovers of dead runs; how many went, their names appended to
 * removed (may be NULL). */
guint real_cleanup_stale(GPtrArray *removed, GError **error);

struct real_check_opts {
	const char *dev;	/* report only this device, in detail; NULL for all */
	const char *sysfs;	/* sysfs root, NULL for /sys (a copy, offline) */
	const char *replies;	/* read recorded ethtool replies from here, not the ioctl */
	const char *save;	/* also write the ethtool replies read here */
};

/* `real check`: print to out what this machine offers: SR-IOV functions and
 * their VFs, synthetic devices with a VF beneath them and whether
 * accelerated networking carries traffic, from sysfs and read-only ethtool
 * ioctls.  Finding nothing is a plain message, not an error.  Fails with
 * ACCELSIM_ERROR_INPUT for a --dev that does not exist, RUNTIME when sysfs
 * cannot be read.  Recorded replies are files DEV.drvinfo, DEV.gstrings and
 * DEV.gstats (see ethtool.h for the layout). */
bool real_check(FILE *out, const struct real_check_opts *o, GError **error);

#endif
