/* result.h: the figures of one run, per path, as every report prints them.
 *
 * Both the simulator and real mode fill a run_result; report.h prints it as
 * a side-by-side table, JSON or CSV.  Times are in seconds (double) unless a
 * name says otherwise; the latency histogram records nanoseconds.
 * Definitions of every figure: docs/metrics.md.
 */
#ifndef ACCELSIM_RESULT_H
#define ACCELSIM_RESULT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/stats.h"
#include "report/provenance.h"

enum path_id { PATH_NORMAL, PATH_ACCEL, PATH_COUNT };

/* Key names used in reports: "normal", "accelerated". */
const char *path_name(enum path_id p);

struct stage_result {
	char *name;		/* "vswitch", "guest", ...; owned */
	char *where;		/* "host cores", "vCPUs", "NIC"; owned */
	uint64_t packets;	/* packets that left the stage */
	uint64_t drops;		/* packets refused because its queue was full */
	double mean_s;		/* mean time from arrival to departure */
	double utilisation;	/* busy time / (servers * measured time) */
	double cycles;		/* CPU cycles spent, 0 for hardware stages */
	double occupancy;	/* time-average packets in the stage (sampled) */
};

/* One row of a path's latency budget: where its counted, delivered packets
 * spent their time, as a mean over those packets (seconds).  A stage row
 * splits into queue wait, wake-up (interrupt moderation, notification) and
 * service; a delay row (propagation, NIC pipeline and PCIe, IOMMU: delays
 * after service that occupy nothing) has only delay_s.  The rows of a path
 * add up to its mean latency. */
struct budget_row {
	char *name;		/* "vswitch", "nic.rx delay"; owned */
	char *where;		/* "host cores", "NIC", "link"; owned */
	double wait_s, wake_s, service_s, delay_s;
};

/* Figures of one interval of a run (run --interval). */
struct interval_row {
	double t0_s, t1_s;		/* measured-time bounds, seconds from start */
	uint64_t delivered, dropped;	/* packets in the interval */
	double delivered_bps;
	double latency_p50_s, latency_p99_s; /* of packets delivered in it; NAN if none */
	double host_cpu_cores, guest_cpu_vcpus;
};

struct path_result {
	uint64_t offered_packets;
	uint64_t delivered_packets;
	uint64_t dropped_packets;
	uint64_t in_flight_packets;
	double offered_pps, offered_bps;
	double delivered_pps, delivered_bps;
	struct stats_hist *latency;	/* ns; owned */
	struct stats_welford latency_w;	/* seconds */
	struct stats_jitter jitter;	/* seconds, RFC 3550 */
	double host_cpu_cores;		/* host cores busy on networking */
	double host_cycles_per_packet;	/* host cycles per delivered packet */
	double host_cycles_per_processed; /* host cycles per packet a host stage
					   * processed (served, whatever became of it) */
	double guest_cpu_vcpus;		/* vCPUs busy in guest stack and app */
	GArray *stages;			/* struct stage_result, pipeline order */
	GArray *budget;			/* struct budget_row, route order */
	GArray *series;			/* struct interval_row, time order; empty
					 * unless run with an interval */
	bool hypothetical;		/* the VM's size cannot have this path (it
					 * does not offer accelerated networking, or
					 * requires it): its figures are what the
					 * path would give; the note "vm size" says why */
	GArray *phases;			/* struct interval_row: the measured time cut
					 * at each event; empty for a run without */
};

/* One VM of a host that carries several ([vm NAME] sections): its own
 * figures on each path, and its share of each stage its traffic crosses
 * (packets, drops, busy time and cycles of its packets only). */
struct vm_result {
	char *name;		/* NAME of [vm NAME]; owned */
	char *an;		/* its accelerated networking: "compare", "on", "off"; owned */
	struct path_result paths[PATH_COUNT];
};

/* The host's own figures, all its VMs and neighbours together. */
struct host_result {
	double host_cpu_cores;		/* host cores busy on networking */
	double host_cycles_per_processed; /* their cycles per packet a host stage served */
};

struct run_result {
	char *scenario;		/* name shown in reports */
	char *model;		/* model name or path */
	uint64_t seed;
	double duration_s;	/* measured time (warm-up excluded) */
	char *source;		/* "simulation" or "measurement" */
	bool partial;		/* interrupted: figures so far */
	double interval_s;	/* length of a series interval; 0: no series */
	double core_year_usd;	/* price of one host core for a year, US dollars, for
				 * what the host cores saved are worth; NAN: not
				 * priced (run_result_new's value) */
	struct path_result paths[PATH_COUNT];	/* with several VMs: the first
						 * compared VM's, and every stage */
	GPtrArray *vms;		/* struct vm_result *; empty unless the scenario
				 * places VMs of its own ([vm NAME]) */
	struct host_result host[PATH_COUNT];	/* with several VMs */
	char *focus;		/* run --vm NAME: paths are VM NAME's own and
				 * vms is empty (run_result_focus()); NULL: none */
	char *focus_an;		/* ... its accelerated networking */
	unsigned host_vms;	/* VMs on the host (focus: before it) */
	GPtrArray *note_keys;	/* free-form facts printed below the table ("vm size":
				 * above it, with the hypothetical path) */
	GPtrArray *note_values;	/* (e.g. "pinning" -> "client and server on cpu 0") */
	struct provenance *provenance; /* where it came from; NULL: not said; owned */
};

/* A run_result with empty histograms and stage lists; free with
 * run_result_free(). */
typedef struct run_result run_result;
struct run_result *run_result_new(void);
void run_result_free(struct run_result *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(run_result, run_result_free)

/* Add VM name (its accelerated networking an) to r, with empty figures;
 * both strings are copied.  Returns it, owned by r. */
struct vm_result *run_result_add_vm(struct run_result *r, const char *name, const char *an);
/* r's VM called name, or NULL. */
const struct vm_result *run_result_vm(const struct run_result *r, const char *name);

/* A copy of r (run_result_free() it) that shows VM name alone: its
 * figures and its share of each stage as the paths, the host's figures,
 * no other VM.  NULL and error when r has no VM called name. */
struct run_result *run_result_focus(const struct run_result *r, const char *name,
				    GError **error);

/* A deep copy of r, through its lossless key-file form. */
struct run_result *run_result_copy(const struct run_result *r);

/* Append a stage row to a path; name and where are copied. Returns the row,
 * valid until the next append. */
struct stage_result *path_result_add_stage(struct path_result *p, const char *name,
					   const char *where);

/* Append a latency-budget row to a path; name and where are copied. */
struct budget_row *path_result_add_budget(struct path_result *p, const char *name,
					  const char *where);

/* Add a note (copied). */
void run_result_note(struct run_result *r, const char *key, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

/* Record one delivered packet's latency (seconds) into histogram, Welford
 * and jitter: the one entry point simulator and real mode share. */
void path_result_record_latency(struct path_result *p, double latency_s);

/* Lossless key-file form of a result (what forked runs and sweep workers
 * hand back). The caller frees the key file. */
GKeyFile *run_result_to_keyfile(const struct run_result *r);
/* Fill r (from run_result_new()) from such a key file. */
bool run_result_from_keyfile(GKeyFile *k, struct run_result *r, GError **error);

#endif
