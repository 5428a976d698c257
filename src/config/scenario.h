/* scenario.h: a scenario file, loaded and checked.
 *
 * A scenario names its model, how long to run, the seed, one or more traffic
 * sources ([traffic] or [traffic NAME]), timed events ([event NAME]) and
 * background host work ([load NAME]); it may override model keys by
 * repeating their sections.  Times in seconds, as everywhere. */
#ifndef ACCELSIM_SCENARIO_H
#define ACCELSIM_SCENARIO_H

#include <glib.h>
#include <stdbool.h>

#include "config/keyfile.h"
#include "config/model.h"
#include "core/dist.h"
#include "core/units.h"

/* Frame sizes a source sends, FCS included: Ethernet's least frame, and
 * the largest jumbo frame the model's NICs take.  Smaller draws are padded
 * up to the least, as a NIC pads a runt. */
#define TRAFFIC_MIN_FRAME 64
#define TRAFFIC_MAX_FRAME 9216
/* The largest packet a source sends when the model segments (wire.mtu
 * set): a TSO/GSO segment of 64 KiB, the most Linux's TCP hands a NIC
 * (GSO_MAX_SIZE, before BIG TCP) and what GRO builds on receive. */
#define TRAFFIC_MAX_SEGMENT 65536

/* A packet's flow number is 32 bits (struct pkt): each source numbers its
 * flows in a range of its own, 2^24 wide, so at most 256 sources fit. */
#define TRAFFIC_FLOW_BITS 24
#define TRAFFIC_MAX_SOURCES (1u << (32 - TRAFFIC_FLOW_BITS))

enum traffic_pattern { PAT_CONSTANT, PAT_POISSON, PAT_ONOFF, PAT_REQRESP, PAT_TRACE, PAT_TCP };
enum tcp_congestion { TCP_RENO, TCP_FIXED };
enum traffic_dir { TDIR_RX, TDIR_TX };
enum traffic_peer { PEER_EXTERNAL, PEER_VM };
enum traffic_vm { TVM_SELF, TVM_NEIGHBOUR };
enum path_sel { PATHSEL_BOTH, PATHSEL_NORMAL, PATHSEL_ACCEL };

/* Accelerated networking of a VM, fixed when its NIC is created: compared
 * (the normal world runs it on the normal path, the accelerated world on
 * its VF), or on or off in both worlds. */
enum an_mode { AN_COMPARE, AN_ON, AN_OFF };
extern const char *const an_mode_names[];

/* Most VMs a scenario may place on the host. */
#define SCENARIO_MAX_VMS 64

/* A VM on the host: a [vm NAME] section, or the model's one VM when the
 * scenario has none. */
struct vm_spec {
	char *name;		/* NAME of [vm NAME]; NULL for the model's one VM */
	char *size;		/* VM size (models/sizes.ini) */
	unsigned vcpus;
	double bandwidth_bps;	/* network allowance; 0: none published */
	int an;			/* enum an_mode */
	double memory_bytes;	/* live migration: what it copies */
	double dirty_bps;	/* ... bytes written per second of vCPU work */
};

struct traffic_spec {
	char *name;		/* "traffic" or "traffic NAME" */
	int pattern;		/* enum traffic_pattern */
	int direction;		/* enum traffic_dir */
	int peer;		/* enum traffic_peer */
	int vm;			/* enum traffic_vm */
	unsigned vm_index;	/* TVM_SELF: which of the scenario's VMs */
	struct quantity rate;	/* pps, bps, or % of the normal path's capacity */
	struct dist size;	/* frame bytes, or a segment's above wire.mtu */
	struct dist response_size;
	uint32_t max_size;	/* largest packet: TRAFFIC_MAX_FRAME, or
				 * TRAFFIC_MAX_SEGMENT when the model segments
				 * (0: TRAFFIC_MAX_FRAME); larger draws are cut */
	unsigned flows;		/* flows at once */
	unsigned train;		/* consecutive packets of one flow (a TSO burst) */
	struct dist flow_size;	/* packets per flow; constant(0): endless */
	bool syn;		/* a flow's first packet is a TCP SYN */
	struct dist on, off;	/* on/off bursts */
	unsigned concurrency;	/* request/response: outstanding requests, 0: open loop */
	struct dist think;	/* request/response: pause before the next request */
	double rto_s;		/* closed loop: a lost request is sent again after this */
	double window_bytes;	/* tcp: most bytes a connection has in flight */
	int congestion;		/* tcp: enum tcp_congestion */
	unsigned init_window;	/* tcp: segments in flight at the start (reno) */
	char *trace;		/* trace replay: CSV or pcap file (resolved path) */
	double start, stop;	/* active from start to stop (0: the end) */
};

struct event_spec {
	char *name;
	double at;
	int action;		/* enum event_action */
	int path;		/* enum path_sel */
	int vm;			/* the VM it acts on, -1: every VM (or the host) */
	double until;		/* host_load: when it stops */
	double utilisation;	/* host_load: share of each vSwitch core */
	struct dist job;	/* host_load: one job's length */
};

enum event_action { EV_VF_REMOVE, EV_VF_ADD, EV_HOST_LOAD, EV_LINK_DOWN, EV_LINK_UP, EV_MIGRATE };
extern const char *const event_action_names[];

enum load_where { LOAD_VSWITCH, LOAD_VM };

struct load_spec {
	char *name;
	int where;		/* enum load_where */
	double utilisation;	/* fraction of the cores it runs on */
	struct dist job;	/* length of one job at full speed */
	int path;		/* enum path_sel */
};

struct scenario {
	char *path;
	char *sha256;		/* of the file's text as read */
	char *name;		/* file base name */
	char *description;
	char *model_ref;	/* as written */
	struct model *model;
	double duration_s;
	double warmup_s;
	uint64_t seed;
	double window_s;	/* engine window (docs/engine.md) */
	bool force_exact;	/* mode = exact: every CPU stage as actors */
	GArray *traffic;	/* struct traffic_spec */
	GArray *events;		/* struct event_spec, sorted by time */
	GArray *loads;		/* struct load_spec */
	/* the VMs on the host, at least one: the [vm NAME] sections in file
	 * order, or the model's VM when there are none (named_vms FALSE) */
	GArray *vms;		/* struct vm_spec */
	bool named_vms;
	unsigned primary;	/* the first VM whose accelerated networking is
				 * compared: its figures are the run's "paths" */
};

/* Load a scenario: path, the name of a shipped one, or "-" for standard
 * input (see kf_load).  model_override
 * (a path or name, or NULL) replaces the scenario's model; sets (or NULL)
 * holds --set overrides as a kf whose groups are model sections.  Every
 * error is collected; nothing is returned half-loaded.  A scenario whose
 * run would need more than SCENARIO_MAX_MEMORY by scenario_memory_estimate
 * is refused, at the key behind the largest part. */
struct scenario *scenario_load(const char *path_or_name, const char *model_override,
			       const struct kf *sets, GError **error);
/* The same with a memory limit of max_memory bytes (run --max-memory). */
struct scenario *scenario_load_limited(const char *path_or_name, const char *model_override,
				       const struct kf *sets, uint64_t max_memory,
				       GError **error);

/* The memory limit unless the user raises it: 2 GiB. */
#define SCENARIO_MAX_MEMORY (UINT64_C(2) << 30)

/* Bytes a run of s is estimated to need, from what its input decides
 * (docs/file-formats.md, "Limits"): the program itself, traffic sources'
 * flows and connections, packets born per engine window, empirical tables
 * and the model's flow tables.  detail (may be NULL) gets the parts, as
 * "flow state 384.0 MiB, ...". */
uint64_t scenario_memory_estimate(const struct scenario *s, GString *detail);
void scenario_free(struct scenario *s);
typedef struct scenario scenario;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(scenario, scenario_free)

/* Free what a traffic spec owns (name, trace, distributions) and clear
 * those fields; t itself is the caller's. */
void traffic_spec_clear(struct traffic_spec *t);

/* Resolve a scenario reference (path, shipped name, or "-" returned as
 * is). Caller frees. */
char *scenario_resolve(const char *ref, GError **error);

/* Build a kf from "section.key=value" strings given with --set. */
struct kf *scenario_sets_from_args(char **sets, GError **error);

/* The prefix of VM v's stages and components: "" for the model's one VM,
 * "NAME." for [vm NAME].  Caller frees. */
char *scenario_vm_prefix(const struct scenario *s, unsigned v);

/* The index in s->vms of the [vm NAME] section called name, or -1 when s
 * places no VM of that name (always -1 when s places none of its own: the
 * model's one VM has no name). */
int scenario_vm_index(const struct scenario *s, const char *name);

/* For a name scenario_vm_index() did not find: the names of the VMs s
 * places, "a, b, c" (caller frees; "" when it places none of its own), and
 * into *near the one closest to name, or NULL (did you mean). */
char *scenario_vm_names(const struct scenario *s, const char *name, const char **near);

/* The key table of scenario section group ("scenario", "traffic [NAME]",
 * "event NAME", "load NAME", "vm NAME"), its length in *n; NULL for any
 * other group. */
const struct key_spec *scenario_section_keys(const char *group, size_t *n);

/* Print the scenario keys (help text or Markdown). */
void scenario_print_help(FILE *f, bool markdown);

#endif
