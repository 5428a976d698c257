/* scenario.c: load and check scenario files (see scenario.h). */
#include "config/scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/datadir.h"
#include "core/msg.h"
#include "model/component.h"
#include "model/vswitch.h"
#include "model/wire.h"

struct scenario_info {
	char *description;
	char *model;
	double duration_s;
	double warmup_s;
	unsigned seed;
	double window_s;
	int mode;
};

static const char *const mode_choices[] = { "auto", "exact", NULL };

static const struct key_spec scenario_keys[] = {
	KS_STR(struct scenario_info, description, "description", "", "what the scenario shows"),
	KS_STR(struct scenario_info, model, "model", "default",
	       "model file (relative to this file) or name of a shipped model"),
	KS_QTY(struct scenario_info, duration_s, "duration", UNIT_TIME, NULL, KS_ABOVE_ZERO, 1e6,
	       "simulated time, warm-up included"),
	KS_QTY(struct scenario_info, warmup_s, "warmup", UNIT_TIME, "0s", 0, 1e6,
	       "leading time left out of every figure"),
	KS_UINT(struct scenario_info, seed, "seed", "1", 0, UINT32_MAX,
		"random seed: same seed, same figures"),
	KS_QTY(struct scenario_info, window_s, "window", UNIT_TIME, "50us", 1e-6, 0.01,
	       "engine window: how far the engine advances at once (docs/engine.md)"),
	KS_ENUM(struct scenario_info, mode, "mode", mode_choices, "auto",
		"engine mode: auto runs CPU stages as SimGrid actors only where cores are "
		"shared; exact does so everywhere (slower; for validation)"),
};

static const char *const pattern_choices[] = { "constant", "poisson", "onoff", "reqresp",
					       "trace", "tcp", NULL };
static const char *const congestion_choices[] = { "reno", "fixed", NULL };
static const char *const direction_choices[] = { "rx", "tx", NULL };
static const char *const peer_choices[] = { "external", "vm", NULL };
const char *const an_mode_names[] = { "compare", "on", "off", NULL };
static const char *const path_choices[] = { "both", "normal", "accelerated", NULL };
const char *const event_action_names[] = { "vf_remove", "vf_add",  "host_load",
					   "link_down", "link_up", "migrate", NULL };
static const char *const load_where_choices[] = { "vswitch", "vm", NULL };

/* rate is read by hand: it takes three kinds of unit. */
struct traffic_row {
	int pattern, direction, peer;
	char *vm;
	char *rate;
	struct dist size, response_size, flow_size, on, off, think;
	unsigned flows, train, concurrency;
	bool syn;
	char *trace;
	double start, stop, rto, window;
	int congestion;
	unsigned init_window;
};

static const struct key_spec traffic_keys[] = {
	KS_ENUM(struct traffic_row, pattern, "pattern", pattern_choices, "poisson",
		"arrival process: constant, poisson, onoff bursts, reqresp, trace replay, tcp "
		"(a window-limited connection per flow)"),
	KS_ENUM(struct traffic_row, direction, "direction", direction_choices, "rx",
		"rx: into the VM's application; tx: from it to the wire"),
	KS_ENUM(struct traffic_row, peer, "peer", peer_choices, "external",
		"the other end: an external host, or a VM of the same model and path (VM-to-VM)"),
	KS_STR(struct traffic_row, vm, "vm", "self",
	       "whose traffic: self (the model's one VM), the NAME of a [vm NAME] section, or "
	       "neighbour (another VM's, loading shared stages, never measured)"),
	KS_STR(struct traffic_row, rate, "rate", "",
	       "offered load: packets/s (reqresp: requests/s too, e.g. 20krps), bits/s of "
	       "frames, or % of the normal path's capacity"),
	KS_DIST_MAX(struct traffic_row, size, "size", UNIT_SIZE, "64B", TRAFFIC_MIN_FRAME,
		    TRAFFIC_MAX_SEGMENT,
		    "frame size, FCS included (a distribution, or imix); above 9216 B, a TSO "
		    "segment of up to 64 KiB, for a model with wire.mtu"),
	KS_DIST_MAX(struct traffic_row, response_size, "response_size", UNIT_SIZE, "64B",
		    TRAFFIC_MIN_FRAME, TRAFFIC_MAX_SEGMENT,
		    "reqresp: frame size of the response (above 9216 B as size)"),
	KS_UINT(struct traffic_row, flows, "flows", "1", 1, 1u << TRAFFIC_FLOW_BITS,
		"flows active at once"),
	KS_UINT(struct traffic_row, train, "train", "1", 1, 65536,
		"consecutive packets of one flow before another flow's (a TCP sender's TSO "
		"burst: 44 frames of 1500 bytes make 64 KiB)"),
	KS_DIST(struct traffic_row, flow_size, "flow_size", UNIT_COUNT, "0", 0,
		"packets per flow before it ends and a new flow starts (0: flows never end)"),
	KS_BOOL(struct traffic_row, syn, "syn", "false",
		"each flow opens with a TCP SYN (inbound SYNs take the synthetic path)"),
	KS_DIST(struct traffic_row, on, "on", UNIT_TIME, "exp(1ms)", 0, "onoff: burst length"),
	KS_DIST(struct traffic_row, off, "off", UNIT_TIME, "exp(1ms)", 0, "onoff: silence length"),
	KS_UINT(struct traffic_row, concurrency, "concurrency", "0", 0, 1u << 20,
		"reqresp: requests outstanding at once (closed loop); 0: open loop at rate"),
	KS_DIST(struct traffic_row, think, "think", UNIT_TIME, "0s", 0,
		"reqresp closed loop: pause between a response and the next request"),
	KS_QTY(struct traffic_row, rto, "rto", UNIT_TIME, "200ms", KS_ABOVE_ZERO, 100,
	       "reqresp closed loop: a lost request or response is sent again after this"),
	KS_QTY(struct traffic_row, window, "window", UNIT_SIZE, "64KiB", 64, 1e9,
	       "tcp: most bytes a connection has in flight (the receive window)"),
	KS_ENUM(struct traffic_row, congestion, "congestion", congestion_choices, "reno",
		"tcp: reno: slow start, then AIMD, halving on a loss; fixed: the whole window "
		"at once, always"),
	KS_UINT(struct traffic_row, init_window, "init_window", "10", 1, 65536,
		"tcp, reno: segments a connection sends before its first ACK (RFC 6928)"),
	KS_STR(struct traffic_row, trace, "trace", "",
	       "trace replay: CSV (time,size,flow) or pcap file, relative to the scenario"),
	KS_QTY(struct traffic_row, start, "start", UNIT_TIME, "0s", 0, 1e6, "when the source starts"),
	KS_QTY(struct traffic_row, stop, "stop", UNIT_TIME, "0s", 0, 1e6,
	       "when it stops (0s: at the end)"),
};

struct event_row {
	double at;
	int action, path;
	char *vm;
	double until, utilisation;
	struct dist job;
};

static const struct key_spec event_keys[] = {
	KS_QTY(struct event_row, at, "at", UNIT_TIME, NULL, 0, 1e6, "when it happens"),
	KS_ENUM(struct event_row, action, "action", event_action_names, NULL,
		"vf_remove: the VF is hot-removed (host servicing), traffic falls back to the "
		"synthetic path; vf_add: it returns (used after the VM's failover); host_load: "
		"other host work takes the vSwitch's cores from at until until; link_down, "
		"link_up: the host's link; migrate: live migration of vm to another host "
		"(its VF detached first, one attached there after)"),
	KS_ENUM(struct event_row, path, "path", path_choices, "both", "which pipeline"),
	KS_STR(struct event_row, vm, "vm", "",
	       "vf_remove, vf_add, migrate: the NAME of a [vm NAME] (empty: every VM)"),
	KS_QTY(struct event_row, until, "until", UNIT_TIME, "0s", 0, 1e6,
	       "host_load: when the other work stops"),
	KS_QTY(struct event_row, utilisation, "utilisation", UNIT_PERCENT, "0%", 0, 1,
	       "host_load: share of each vSwitch core it keeps busy"),
	KS_DIST(struct event_row, job, "job", UNIT_TIME, "exp(100us)", 0,
		"host_load: length of one of its jobs at full speed"),
};

struct load_row {
	int where;
	double utilisation;
	struct dist job;
	int path;
};

static const struct key_spec load_keys[] = {
	KS_ENUM(struct load_row, where, "on", load_where_choices, "vswitch",
		"cores it competes for: the vSwitch's host cores, or the VM's vCPUs"),
	KS_QTY(struct load_row, utilisation, "utilisation", UNIT_PERCENT, NULL, KS_ABOVE_ZERO, 1,
	       "share of each core it keeps busy: a thread per core alternates a job and an "
	       "idle spell"),
	KS_DIST(struct load_row, job, "job", UNIT_TIME, "exp(20us)", 0,
		"length of one job at full speed"),
	KS_ENUM(struct load_row, path, "path", path_choices, "both", "which pipeline's host"),
};

/* [vm NAME]: a VM placed on the host.  What it leaves out comes from the
 * model's [vm] section and the size table, as for the model's one VM. */
struct vm_row {
	char *size;
	unsigned vcpus;
	double bandwidth;
	int an;
	double memory, dirty;
};

static const struct key_spec vm_keys[] = {
	KS_STR(struct vm_row, size, "size", "",
	       "VM size (see `accelsim models --sizes`); empty: the model's vm.size"),
	KS_UINT(struct vm_row, vcpus, "vcpus", "0", 0, 4096, "vCPUs of the VM (0: the size's)"),
	KS_QTY(struct vm_row, bandwidth, "bandwidth", UNIT_BITRATE, "0bps", 0, 0,
	       "network allowance of the VM (0bps: the size's, if published)"),
	KS_ENUM(struct vm_row, an, "accelerated_networking", an_mode_names, "compare",
		"fixed when its NIC is created: compare: the normal path in the normal world "
		"and its VF in the accelerated one; on, off: the same in both worlds"),
	KS_QTY(struct vm_row, memory, "memory", UNIT_SIZE, "0B", 0, 0,
	       "memory of the VM: what a live migration copies (0B: the model's vm.memory)"),
	KS_QTY(struct vm_row, dirty, "dirty_rate", UNIT_BYTERATE, "0B/s", 0, 0,
	       "bytes it writes per second of its vCPUs' work (0B/s: the model's vm.dirty_rate)"),
};

void traffic_spec_clear(struct traffic_spec *t)
{
	g_clear_pointer(&t->name, g_free);
	g_clear_pointer(&t->trace, g_free);
	dist_clear(&t->size);
	dist_clear(&t->response_size);
	dist_clear(&t->flow_size);
	dist_clear(&t->on);
	dist_clear(&t->off);
	dist_clear(&t->think);
}

static void traffic_clear(gpointer data)
{
	traffic_spec_clear(data);
}

static void event_clear(gpointer data)
{
	struct event_spec *e = data;

	g_free(e->name);
	dist_clear(&e->job);
}

static void vm_clear(gpointer data)
{
	struct vm_spec *v = data;

	g_free(v->name);
	g_free(v->size);
}

static void load_clear(gpointer data)
{
	struct load_spec *l = data;

	g_free(l->name);
	dist_clear(&l->job);
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	g_free(s->path);
	g_free(s->sha256);
	g_free(s->name);
	g_free(s->description);
	g_free(s->model_ref);
	model_free(s->model);
	if (s->traffic)
		g_array_unref(s->traffic);
	if (s->events)
		g_array_unref(s->events);
	if (s->loads)
		g_array_unref(s->loads);
	if (s->vms)
		g_array_unref(s->vms);
	g_free(s);
}

char *scenario_resolve(const char *ref, GError **error)
{
	if (!strcmp(ref, "-") || g_file_test(ref, G_FILE_TEST_IS_REGULAR))
		return g_strdup(ref);
	char *shipped = datadir_find("scenarios", ref, ".ini");
	if (shipped)
		return shipped;

	g_autoptr(GPtrArray) names = datadir_list_all("scenarios", ".ini");
	const char *near = kf_nearest(ref, (const char *const *)names->pdata, names->len);
	if (near)
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "cannot find scenario '%s' (did you mean '%s'?)", ref, near);
	else
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "cannot find scenario '%s': no such file, and no shipped scenario by "
			    "that name (see `accelsim scenarios`)",
			    ref);
	return NULL;
}

/* "traffic" or "traffic NAME" (likewise event, load): the prefix matches. */
static bool group_is(const char *group, const char *kind)
{
	size_t n = strlen(kind);

	return !strncmp(group, kind, n) && (group[n] == '\0' || group[n] == ' ');
}

/* The NAME of "kind NAME" may neither be empty nor start or end with
 * white space: "[traffic ]" next to "[traffic]" would be a second source
 * that looks like the first. */
static bool group_name_ok(const char *group, const char *kind)
{
	const char *name = group + strlen(kind);

	if (!*name)
		return true;
	name++;
	return *name && !g_ascii_isspace(name[0]) && !g_ascii_isspace(name[strlen(name) - 1]);
}

/* The topmost layer that sets group.key, so that a message points at the
 * --set or the line the value came from; the scenario file when none does. */
static const struct kf *origin(const struct kf_stack *st, const char *group, const char *key)
{
	for (int i = 0; i < st->n; i++)
		if (st->layer[i] && g_key_file_has_key(st->layer[i]->keys, group, key, NULL))
			return st->layer[i];
	return st->layer[st->n - 1];
}

/* diag_add about group.key, located where its value came from. */
static void diag_at(struct diag *d, const struct kf_stack *st, const char *group, const char *key,
		    const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void diag_at(struct diag *d, const struct kf_stack *st, const char *group, const char *key,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	diag_add(d, origin(st, group, key), group, key, "%s", m);
}

/* An on/off source steps through its periods one by one, silent ones
 * too, so the number of periods is work of its own: at most this many, or
 * one per packet when there are more packets. */
#define ONOFF_MAX_PERIODS 1e7

/* Check that an on/off source's periods can be stepped through: each
 * resolvable in double seconds at the end of the run (below 2^-40 of it,
 * about 4000 times the spacing of doubles there, adding a period might not
 * move the time at all), and not too many (on = off = 1e-300s once looped
 * for ever). */
static void check_onoff(const struct traffic_row *row, const struct traffic_spec *t,
			double duration, const struct kf_stack *st, const char *group,
			struct diag *d)
{
	double on = dist_mean(&row->on), period = on + dist_mean(&row->off);
	double end = row->stop > 0 ? MIN(row->stop, duration) : duration;
	double active = end - row->start;
	char pbuf[32], abuf[32];

	if (!(on > 0)) {
		diag_at(d, st, group, "on", "expected bursts longer than 0s on average");
		return;
	}
	if (!(active > 0))
		return;
	units_format(period, UNIT_TIME, pbuf, sizeof(pbuf));
	units_format(active, UNIT_TIME, abuf, sizeof(abuf));
	if (!(period >= end * 0x1p-40)) {
		diag_at(d, st, group, "on",
			"expected on and off periods of %.3gs or more together, got %.3gs on "
			"average: shorter ones cannot be told apart in a run of %s",
			end * 0x1p-40, period, abuf);
		return;
	}
	double packets = 0;
	if (t->rate.kind == UNIT_PKTRATE)
		packets = t->rate.value * active * on / period;
	else if (t->rate.kind == UNIT_BITRATE)
		packets = t->rate.value / (8 * dist_mean(&row->size)) * active * on / period;
	double periods = active / period;
	if (periods > MAX(ONOFF_MAX_PERIODS, packets))
		diag_at(d, st, group, "on",
			"on and off periods of %s on average make %.3g of them in %s, expected "
			"at most %.3g (or one per packet): each costs the simulator work, sent "
			"packets or not; make them longer",
			pbuf, periods, abuf, MAX(ONOFF_MAX_PERIODS, packets));
}

/* Whose traffic a source is: "neighbour" (anonymous), "self" (the model's
 * one VM, when the scenario places none of its own), or a [vm NAME]. */
static void resolve_vm(const struct scenario *s, const struct kf_stack *st, const char *group,
		       const char *name, struct traffic_spec *t, struct diag *d)
{
	if (!strcmp(name, "neighbour")) {
		t->vm = TVM_NEIGHBOUR;
		return;
	}
	t->vm = TVM_SELF;
	t->vm_index = 0;
	if (!s->named_vms) {
		if (strcmp(name, "self"))
			diag_at(d, st, group, "vm",
				"expected self or neighbour, got '%s' (no [vm %s] section places such "
				"a VM on the host)",
				name, name);
		return;
	}
	const int i = scenario_vm_index(s, name);

	if (i >= 0) {
		t->vm_index = (unsigned)i;
		return;
	}
	const char *near;
	g_autofree char *all = scenario_vm_names(s, name, &near);

	if (!strcmp(name, "self"))
		diag_at(d, st, group, "vm",
			"expected the NAME of a [vm NAME] section (%s) or neighbour: this scenario "
			"places its own VMs, so a source names the one it belongs to",
			all);
	else if (near)
		diag_at(d, st, group, "vm", "no [vm %s] section (did you mean '%s'?)", name, near);
	else
		diag_at(d, st, group, "vm",
			"expected the NAME of a [vm NAME] section (%s) or neighbour, got '%s'", all,
			name);
}

static void load_traffic(struct scenario *s, const struct kf_stack *st, const char *group,
			 double duration, struct diag *d)
{
	struct traffic_row row = { 0 };
	unsigned before = d->count;

	if (!kf_parse_section(st, group, traffic_keys, G_N_ELEMENTS(traffic_keys), &row, d))
		goto out;

	struct traffic_spec t = {
		.name = g_strdup(group),
		.pattern = row.pattern,
		.direction = row.direction,
		.peer = row.peer,
		.vm = TVM_SELF,
		.flows = row.flows,
		.train = row.train,
		.syn = row.syn,
		.concurrency = row.concurrency,
		.start = row.start,
		.stop = row.stop,
		.rto_s = row.rto,
		.window_bytes = row.window,
		.congestion = row.congestion,
		.init_window = row.init_window,
	};
	const bool needs_rate = row.pattern == PAT_CONSTANT || row.pattern == PAT_POISSON ||
				row.pattern == PAT_ONOFF ||
				(row.pattern == PAT_REQRESP && row.concurrency == 0);

	/* a request is one packet: reqresp takes its rate in requests/s too */
	const bool reqresp = row.pattern == PAT_REQRESP;
	const unsigned rate_kinds =
		UNIT_PKTRATE | (reqresp ? UNIT_REQRATE : 0) | UNIT_BITRATE | UNIT_PERCENT;

	if (*row.rate) {
		g_autoptr(GError) e = NULL;
		struct quantity rq;

		if (!units_parse(row.rate, rate_kinds, &t.rate, &e)) {
			if (units_parse(row.rate, UNIT_REQRATE, &rq, NULL))
				diag_at(d, st, group, "rate",
					"expected a packet rate, a bit rate or a percentage for "
					"pattern '%s', got '%s' (requests/s are for pattern = reqresp)",
					pattern_choices[row.pattern], row.rate);
			else
				diag_at(d, st, group, "rate", "%s", e->message);
		} else if (t.rate.value <= 0)
			diag_at(d, st, group, "rate", "expected a rate above zero, got '%s'",
				row.rate);
		else if (!needs_rate)
			diag_at(d, st, group, "rate", "not used by pattern '%s'%s",
				pattern_choices[row.pattern],
				row.pattern == PAT_REQRESP ? " with concurrency > 0 (closed loop)"
							    : "");
	} else if (needs_rate) {
		diag_at(d, st, group, "rate",
			"missing: pattern '%s' needs a rate (e.g. %s, 10Gbps or 50%%)",
			pattern_choices[row.pattern], reqresp ? "20krps" : "100kpps");
	}
	if (t.rate.kind == UNIT_REQRATE)
		t.rate.kind = UNIT_PKTRATE;
	if (row.pattern == PAT_TRACE) {
		if (!*row.trace) {
			diag_at(d, st, group, "trace", "missing: pattern 'trace' needs a trace file");
		} else {
			t.trace = g_path_is_absolute(row.trace)
					  ? g_strdup(row.trace)
					  : g_build_filename(origin(st, group, "trace")->dir,
							     row.trace, NULL);
			if (!g_file_test(t.trace, G_FILE_TEST_IS_REGULAR))
				diag_at(d, st, group, "trace", "cannot read trace file '%s'",
					t.trace);
		}
	} else if (*row.trace) {
		diag_at(d, st, group, "trace", "only used by pattern 'trace', not '%s'",
			pattern_choices[row.pattern]);
	}
	if (row.concurrency && row.pattern != PAT_REQRESP)
		diag_at(d, st, group, "concurrency", "only used by pattern 'reqresp'");
	if (row.stop && row.stop <= row.start)
		diag_at(d, st, group, "stop", "expected a time after start");
	resolve_vm(s, st, group, row.vm, &t, d);
	if (row.peer == PEER_VM && t.vm == TVM_NEIGHBOUR)
		diag_at(d, st, group, "peer", "a neighbour's traffic has no VM peer in this model");
	if (row.pattern == PAT_REQRESP && row.direction == TDIR_TX)
		diag_at(d, st, group, "direction",
			"request/response traffic is answered by the VM: use direction = rx");
	if (row.pattern == PAT_TCP && t.vm == TVM_NEIGHBOUR)
		diag_at(d, st, group, "vm", "tcp: only a measured VM's connections, not a neighbour's");
	if (row.pattern == PAT_TCP && row.window < dist_mean(&row.size))
		diag_at(d, st, group, "window",
			"expected at least one segment (size, %g B on average), got '%g B'",
			dist_mean(&row.size), row.window);

	if (row.pattern == PAT_ONOFF && d->count == before)
		check_onoff(&row, &t, duration, st, group, d);

	if (d->count != before) {
		traffic_spec_clear(&t);
		goto out;
	}
	dist_copy(&t.size, &row.size);
	dist_copy(&t.response_size, &row.response_size);
	dist_copy(&t.flow_size, &row.flow_size);
	dist_copy(&t.on, &row.on);
	dist_copy(&t.off, &row.off);
	dist_copy(&t.think, &row.think);
	g_array_append_val(s->traffic, t);
out:
	kf_clear_section(traffic_keys, G_N_ELEMENTS(traffic_keys), &row);
}

/* Accelerated networking is fixed when a VM's NIC is created (Azure:
 * "must be set at NIC creation, cannot toggle live"): an event that would
 * turn it on or off names the rule.  Words such an action is written
 * with. */
static bool an_toggle(const char *action)
{
	static const char *const words[] = { "an_on", "an_off", "enable_an", "disable_an",
					     "an", "sriov_on", "sriov_off", NULL };
	g_autofree char *low = g_ascii_strdown(action, -1);

	return strstr(low, "accelerated") || strstr(low, "acceleration") ||
	       g_strv_contains(words, low);
}

#define AN_RULE                                                                            \
	"accelerated networking is fixed when a VM's NIC is created: a running VM cannot turn " \
	"it on or off (only the platform takes a VF away and gives it back: vf_remove, "        \
	"vf_add); set accelerated_networking in its [vm NAME] section instead"

/* The VM an event names (vm = NAME), or -1 for every VM (vm empty). */
static int event_vm(const struct scenario *s, const struct kf_stack *st, const char *group,
		    const char *name, struct diag *d)
{
	if (!*name)
		return -1;
	const int i = scenario_vm_index(s, name);

	if (i >= 0)
		return i;
	if (!s->named_vms)
		diag_at(d, st, group, "vm",
			"expected no vm (the scenario's one VM): no [vm %s] section places such a VM "
			"on the host",
			name);
	else
		diag_at(d, st, group, "vm", "no [vm %s] section places such a VM on the host", name);
	return -2;
}

/* [event NAME]: when, what, on which path and VM; what each action takes
 * and refuses. */
static void load_event(struct scenario *s, const struct kf_stack *st, const char *group,
		       double duration, struct diag *d)
{
	struct event_row row = { 0 };
	const struct kf *from;
	g_autofree char *action = kf_stack_value(st, group, "action", &from);
	g_autofree char *toggle = kf_stack_value(st, group, "accelerated_networking", &from);

	/* the rule first: "unknown key" or "expected one of" would hide it */
	if (toggle) {
		diag_at(d, st, group, "accelerated_networking", AN_RULE ", got '%s'", toggle);
		return;
	}
	if (action && an_toggle(action)) {
		diag_at(d, st, group, "action", AN_RULE ", got '%s'", action);
		return;
	}
	if (!kf_parse_section(st, group, event_keys, G_N_ELEMENTS(event_keys), &row, d)) {
		kf_clear_section(event_keys, G_N_ELEMENTS(event_keys), &row);
		return;
	}
	const unsigned before = d->count;
	const int a = row.action;
	const bool vf = a == EV_VF_REMOVE || a == EV_VF_ADD;
	const int vm = event_vm(s, st, group, row.vm, d);
	struct event_spec e = { .name = g_strdup(group),
				.at = row.at,
				.action = a,
				.path = row.path,
				.vm = vm,
				.until = row.until,
				.utilisation = row.utilisation };

	if (duration > 0 && row.at > duration)
		diag_at(d, st, group, "at", "expected a time within the duration, got %gs", row.at);
	if (vm >= 0 && (vf || a == EV_MIGRATE) &&
	    g_array_index(s->vms, struct vm_spec, vm).an == AN_OFF)
		diag_at(d, st, group, "vm",
			"%s acts on a VM's VF, and vm %s has accelerated networking off: it has none",
			event_action_names[a], row.vm);
	/* the engine would skip it: say so rather than run without the event
	 * the user asked for (a VM with accelerated networking on has its VF
	 * in the normal world too) */
	bool any_on = false;
	for (guint i = 0; i < s->vms->len; i++)
		any_on |= (vm < 0 || (int)i == vm) &&
			  g_array_index(s->vms, struct vm_spec, i).an == AN_ON;
	if (vf && row.path == PATHSEL_NORMAL && !any_on)
		diag_at(d, st, group, "path",
			"%s acts on the VF, which only the accelerated path has: expected "
			"accelerated or both, got 'normal'",
			event_action_names[a]);
	if (*row.vm && !(vf || a == EV_MIGRATE))
		diag_at(d, st, group, "vm", "%s acts on the host, not on one VM: expected no vm",
			event_action_names[a]);
	if (a == EV_MIGRATE && vm == -1 && s->named_vms)
		diag_at(d, st, group, "vm",
			"missing: migrate moves one VM: expected the NAME of a [vm NAME] section");
	if (a == EV_MIGRATE && vm == -1)
		e.vm = 0; /* the scenario's one VM */
	for (guint i = 0; a == EV_MIGRATE && i < s->events->len; i++) {
		const struct event_spec *o = &g_array_index(s->events, struct event_spec, i);

		if (o->action == EV_MIGRATE && o->vm == e.vm)
			diag_at(d, st, group, "action",
				"a VM migrates at most once in a run (%s moves it already)", o->name);
	}
	if (a == EV_MIGRATE && row.path != PATHSEL_BOTH)
		diag_at(d, st, group, "path",
			"a migration moves the VM in both worlds: expected both, got '%s'",
			path_choices[row.path]);
	/* host_load's own keys, for host_load only (at their defaults they
	 * say nothing: accelsim config writes every key) */
	if (a != EV_HOST_LOAD && row.until > 0)
		diag_at(d, st, group, "until", "only used by action host_load, not %s",
			event_action_names[a]);
	if (a != EV_HOST_LOAD && row.utilisation > 0)
		diag_at(d, st, group, "utilisation", "only used by action host_load, not %s",
			event_action_names[a]);
	if (a == EV_HOST_LOAD) {
		if (!(row.until > row.at))
			diag_at(d, st, group, "until", "expected a time after at (%gs), got %gs", row.at,
				row.until);
		else if (duration > 0 && row.until > duration)
			diag_at(d, st, group, "until", "expected a time within the duration, got %gs",
				row.until);
		if (!(row.utilisation > 0))
			diag_at(d, st, group, "utilisation",
				"expected the share of each vSwitch core the work keeps busy, above 0%%");
		if (!(dist_mean(&row.job) > 0))
			diag_at(d, st, group, "job", "expected jobs of positive length");
	}
	if (d->count == before) {
		dist_copy(&e.job, &row.job);
		g_array_append_val(s->events, e);
	} else {
		g_free(e.name);
	}
	kf_clear_section(event_keys, G_N_ELEMENTS(event_keys), &row);
}

/* A VM's name becomes part of its stages' and components' names
 * ("web.guest"), of SimGrid host names and of report keys: letters,
 * digits, '_' and '-' only, and none of the words that mean something
 * there already. */
static bool vm_name_ok(const char *name)
{
	static const char *const taken[] = { "self", "neighbour", "peer", "host", "vm", NULL };

	if (!*name || strlen(name) > 32 || g_strv_contains(taken, name))
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
			return false;
	return true;
}

/* [vm NAME]: its keys now; its size is resolved once the model is loaded
 * (resolve_vms), since what it leaves out comes from the model's [vm]. */
static void load_vm(struct scenario *s, const struct kf_stack *st, const struct kf *k,
		    const char *group, struct diag *d)
{
	const char *name = group + 2;
	struct vm_row row = { 0 };

	s->named_vms = true;
	if (*name)
		name++;
	if (!vm_name_ok(name)) {
		diag_add(d, k, group, NULL,
			 "expected [vm NAME] with a NAME of at most 32 letters, digits, '_' or '-', "
			 "other than self, neighbour, peer, host and vm, got '[%s]'",
			 group);
		return;
	}
	if (s->vms->len == SCENARIO_MAX_VMS) {
		diag_add(d, k, group, NULL, "expected at most %u [vm NAME] sections",
			 SCENARIO_MAX_VMS);
		return;
	}
	/* kept even when a key is wrong (that is reported): sources and
	 * events naming it should not add errors of their own */
	kf_parse_section(st, group, vm_keys, G_N_ELEMENTS(vm_keys), &row, d);
	struct vm_spec v = { .name = g_strdup(name),
			     .size = g_strdup(row.size ? row.size : ""),
			     .vcpus = row.vcpus,
			     .bandwidth_bps = row.bandwidth,
			     .an = row.an,
			     .memory_bytes = row.memory,
			     .dirty_bps = row.dirty };

	g_array_append_val(s->vms, v);
	kf_clear_section(vm_keys, G_N_ELEMENTS(vm_keys), &row);
}

/* Fill each VM's size, vCPUs and bandwidth from the model's [vm] and the
 * size table; check that its size offers what its accelerated_networking
 * asks, and that the VMs fit beside the vSwitch (Azure does not overcommit
 * the cores of the sizes it lists).  With no [vm NAME] section, the
 * model's one VM. */
/* Packets above the largest frame are segments: the model must say how
 * the link carries them (wire.mtu); then sources may draw up to a 64 KiB
 * segment. */
static void check_segments(struct scenario *s, const struct kf_stack *st, struct diag *d)
{
	const struct wire_params *w = model_params(s->model, "wire");
	const bool segments = w->mtu_bytes > 0;

	for (guint i = 0; i < s->traffic->len; i++) {
		struct traffic_spec *t = &g_array_index(s->traffic, struct traffic_spec, i);
		const struct {
			const char *key;
			const struct dist *d;
		} sizes[] = { { "size", &t->size }, { "response_size", &t->response_size } };

		t->max_size = segments ? TRAFFIC_MAX_SEGMENT : TRAFFIC_MAX_FRAME;
		for (size_t k = 0; k < G_N_ELEMENTS(sizes) && !segments; k++) {
			const double top = dist_max(sizes[k].d);

			if (top > TRAFFIC_MAX_FRAME && isfinite(top)) {
				g_autofree char *txt = g_key_file_get_value(
					origin(st, t->name, sizes[k].key)->keys, t->name,
					sizes[k].key, NULL);

				diag_at(d, st, t->name, sizes[k].key,
					"expected at most %d B, the largest frame: a larger packet is "
					"a TSO segment, which needs the model's wire.mtu (the frames "
					"the link carries it as), got '%s'",
					TRAFFIC_MAX_FRAME, txt);
			}
		}
	}
}

static void resolve_vms(struct scenario *s, const struct kf_stack *st, const struct kf *k,
			struct diag *d)
{
	const struct model *m = s->model;

	if (!s->named_vms) {
		struct vm_spec v = { .size = g_strdup(m->vm.size),
				     .vcpus = m->vm.vcpus,
				     .bandwidth_bps = m->vm.bandwidth_bps,
				     .an = AN_COMPARE,
				     .memory_bytes = m->vm.memory_bytes,
				     .dirty_bps = m->vm.dirty_bps };

		g_array_append_val(s->vms, v);
		return;
	}
	g_autoptr(GError) err = NULL;
	GArray *sizes = vm_sizes_load(&err);

	if (!sizes) {
		diag_add(d, NULL, NULL, NULL, "%s", err->message);
		return;
	}
	const struct vswitch_params *vsw = model_params(m, "vswitch");
	const unsigned room = m->host.cores > vsw->cores ? m->host.cores - vsw->cores : 0;
	unsigned used = 0;
	bool primary = false;

	for (guint i = 0; i < s->vms->len; i++) {
		struct vm_spec *v = &g_array_index(s->vms, struct vm_spec, i);
		g_autofree char *group = g_strdup_printf("vm %s", v->name);
		const bool own_size = *v->size;
		const struct vm_size *z;

		if (!own_size) {
			g_free(v->size);
			v->size = g_strdup(m->vm.size);
		}
		z = vm_sizes_find(sizes, v->size);
		if (!z && v->vcpus == 0) {
			diag_at(d, st, group, own_size ? "size" : "vcpus",
				"unknown VM size '%s': give vcpus and bandwidth yourself, or see "
				"`accelsim models --sizes`",
				v->size);
			continue;
		}
		if (v->memory_bytes == 0)
			v->memory_bytes = m->vm.memory_bytes;
		if (v->dirty_bps == 0)
			v->dirty_bps = m->vm.dirty_bps;
		if (v->vcpus == 0)
			v->vcpus = own_size ? z->vcpus : m->vm.vcpus;
		if (v->bandwidth_bps == 0)
			v->bandwidth_bps = own_size ? (z ? z->bandwidth_bps : 0) : m->vm.bandwidth_bps;
		const char *why = NULL;

		if (z && v->an != AN_OFF && !vm_size_supports_an(z, &why))
			diag_at(d, st, group, "accelerated_networking",
				"size %s does not offer accelerated networking (%s): expected off, "
				"got '%s'",
				v->size, why, an_mode_names[v->an]);
		else if (z && v->an == AN_OFF && z->accelerated == -1)
			diag_at(d, st, group, "accelerated_networking",
				"size %s requires accelerated networking: expected compare or on, "
				"got 'off'",
				v->size);
		if (!primary && v->an == AN_COMPARE) {
			s->primary = i;
			primary = true;
		}
		used += v->vcpus;
		if (used > room && used - v->vcpus <= room)
			diag_add(d, k, group, NULL,
				 "the VMs' vCPUs up to this one (%u) do not fit on the %u host cores "
				 "beside the vSwitch (host.cores %u - vswitch.cores %u): Azure does not "
				 "overcommit the cores of these sizes; give [host] more cores or the "
				 "VMs fewer vCPUs",
				 used, room, m->host.cores, vsw->cores);
	}
	g_array_unref(sizes);
}

char *scenario_vm_prefix(const struct scenario *s, unsigned v)
{
	const struct vm_spec *vm = &g_array_index(s->vms, struct vm_spec, v);

	return vm->name ? g_strdup_printf("%s.", vm->name) : g_strdup("");
}

int scenario_vm_index(const struct scenario *s, const char *name)
{
	for (guint i = 0; s->named_vms && i < s->vms->len; i++)
		if (!strcmp(g_array_index(s->vms, struct vm_spec, i).name, name))
			return (int)i;
	return -1;
}

char *scenario_vm_names(const struct scenario *s, const char *name, const char **near)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();

	for (guint i = 0; s->named_vms && i < s->vms->len; i++)
		g_ptr_array_add(names, g_array_index(s->vms, struct vm_spec, i).name);
	*near = kf_nearest(name, (const char *const *)names->pdata, names->len);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(", ", (char **)names->pdata);
}

static gint event_cmp(gconstpointer a, gconstpointer b)
{
	const struct event_spec *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

/* Why arg (a --set argument) cannot be read as section.key=value, or NULL
 * when it can; eq and dot point into arg.  The key file built from the
 * arguments would refuse the same things, but with the lines of a text
 * the user never saw. */
static char *set_arg_problem(const char *arg, const char *eq, const char *dot)
{
	if (!g_utf8_validate(arg, -1, NULL)) {
		g_autofree char *shown = g_strescape(arg, NULL);

		return g_strdup_printf("expected UTF-8 text, got '%s'", shown);
	}
	/* a line break would smuggle more lines into the key file */
	if (strpbrk(arg, "\r\n")) {
		g_autofree char *shown = g_strescape(arg, NULL);

		return g_strdup_printf("expected section.key=value on one line, got '%s'", shown);
	}
	if (!eq || !dot || dot == arg || dot + 1 == eq)
		return g_strdup_printf("expected section.key=value, got '%s'", arg);
	for (const char *p = arg; p < dot; p++)
		if (*p == '[' || *p == ']' || g_ascii_iscntrl(*p))
			return g_strdup_printf("expected a section name without '[', ']' or control "
					       "characters, got '%.*s' in '%s'",
					       (int)(dot - arg), arg, arg);
	for (const char *p = dot + 1; p < eq; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return g_strdup_printf("expected a key of letters, digits and '_', got '%.*s' "
					       "in '%s'",
					       (int)(eq - dot - 1), dot + 1, arg);
	return NULL;
}

struct kf *scenario_sets_from_args(char **sets, GError **error)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GPtrArray) used = g_ptr_array_new();	/* the argument of each two lines */

	for (char **p = sets; p && *p; p++) {
		const char *eq = strchr(*p, '=');
		const char *dot = eq ? memchr(*p, '.', eq - *p) : NULL;
		g_autofree char *problem = set_arg_problem(*p, eq, dot);

		if (problem) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "--set: %s", problem);
			return NULL;
		}
		/* a key given again replaces the earlier one, as on most command
		 * lines: keep only the last */
		bool later = false;
		for (char **q = p + 1; *q; q++) {
			const char *qe = strchr(*q, '=');

			later |= qe && qe - *q == eq - *p && !strncmp(*q, *p, eq - *p);
		}
		if (later)
			continue;
		g_string_append_printf(text, "[%.*s]\n%.*s = %s\n", (int)(dot - *p), *p,
				       (int)(eq - dot - 1), dot + 1, eq + 1);
		g_ptr_array_add(used, *p);
	}
	g_autoptr(GError) e = NULL;
	struct kf *k = kf_load_data("--set", text->str, &e);

	if (!k) {
		/* what the checks above missed: name the argument, not a line of
		 * text: "--set:3: msg" comes from the second argument */
		const char *colon = strchr(e->message, ':');
		int line = colon ? atoi(colon + 1) : 0;
		const char *msg = colon ? strchr(colon + 1, ':') : NULL;

		if (line >= 1 && (guint)(line - 1) / 2 < used->len && msg)
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "--set: %s in '%s'",
				    msg + 2, (char *)used->pdata[(line - 1) / 2]);
		else
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT, "--set: %s",
				    e->message);
		return NULL;
	}
	/* the lines are those of text, which the user never saw: messages
	 * name the option and the key ("--set vswitch.cores: ...") */
	g_hash_table_remove_all(k->lines);
	return k;
}

/* The section of the scenario k or of any model closest to a --set
 * section that neither has: "vswtich" -> "vswitch".  NULL if none is
 * close; caller frees. */
static char *set_section_nearest(const struct kf *k, const char *group)
{
	g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) groups = g_key_file_get_groups(k->keys, NULL);

	for (const char *const *f = model_fixed_groups; *f; f++)
		g_ptr_array_add(known, g_strdup(*f));
	for (size_t i = 0; i < component_registry_len; i++)
		g_ptr_array_add(known, g_strdup(component_registry[i]->kind));
	for (char **g = groups; *g; g++)
		g_ptr_array_add(known, g_strdup(*g));
	const char *near = kf_nearest(group, (const char *const *)known->pdata, known->len);

	return g_strdup(near);
}

/* ---- memory ---- */

/* What a source keeps, for each of the two paths, per active flow
 * (traffic.c: flow_of, 4 bytes, and flow_left, 8) and per closed-loop
 * connection (a heap entry of 16 bytes and an opened flag); a packet in
 * flight (struct pkt and a queue's pointer to it); an entry of a flow
 * table (model/flowcache.h: tag, last, ready); the program itself, with
 * SimGrid and the model, as measured on a short run (38 to 42 MiB). */
#define PATHS 2
#define FLOW_BYTES 12.0
#define CONN_BYTES 17.0
#define PKT_BYTES ((double)sizeof(struct pkt) + sizeof(void *))
#define FLOW_ENTRY_BYTES 20.0
#define BASE_BYTES (48.0 * (1 << 20))

/* One kind of state, and the key behind its largest share. */
struct mem_term {
	const char *what;
	double bytes;
	const char *group, *key;	/* NULL for the program itself */
	bool in_model;			/* group.key is a model key */
	double top;			/* the largest share */
	char *why;			/* how that share comes about */
};

enum { MEM_BASE, MEM_FLOWS, MEM_CONNS, MEM_PACKETS, MEM_TABLES, MEM_FLOW_TABLES, MEM_N };

static void term_add(struct mem_term *t, double bytes, const char *group, const char *key,
		     bool in_model, char *why)
{
	t->bytes += bytes;
	if (bytes > t->top || !t->group) {
		t->top = bytes;
		t->group = group;
		t->key = key;
		t->in_model = in_model;
		g_free(t->why);
		t->why = why;
	} else {
		g_free(why);
	}
}

/* "15.0 GiB" (g_format_size puts a no-break space there, which a search
 * for the text would miss). */
static char *size_text(double bytes)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;

	while (bytes >= 1024 && u < (int)G_N_ELEMENTS(unit) - 1) {
		bytes /= 1024;
		u++;
	}
	return u ? g_strdup_printf("%.1f %s", bytes, unit[u])
		 : g_strdup_printf("%.0f %s", bytes, unit[u]);
}

/* Packets a source offers per second, where the file says (a rate in % of
 * the normal path's capacity is known only once the pipeline is built,
 * and is at most what the model can serve). */
static double offered_pps(const struct traffic_spec *t)
{
	if (t->pattern == PAT_TRACE || t->pattern == PAT_TCP ||
	    (t->pattern == PAT_REQRESP && t->concurrency))
		return 0;
	if (t->rate.kind == UNIT_PKTRATE)
		return t->rate.value;
	if (t->rate.kind == UNIT_BITRATE)
		return t->rate.value / (8 * dist_mean(&t->size));
	return 0;
}

static void tables_of(struct mem_term *t, const struct key_spec *keys, size_t nkeys,
		      const void *params, const char *group, bool in_model)
{
	for (size_t i = 0; i < nkeys; i++) {
		const struct dist *d = (const struct dist *)((const char *)params + keys[i].offset);

		if (keys[i].type == KEY_DIST && d->n > 3)
			term_add(t, d->n * 2.0 * sizeof(double), group, keys[i].name, in_model,
				 g_strdup_printf("a table of %zu values", d->n));
	}
}

static void memory_terms(const struct scenario *s, struct mem_term t[MEM_N])
{
	static const char *const what[MEM_N] = { "the program",	   "flow state",
						 "connection state", "packets in flight",
						 "empirical tables", "flow tables" };
	bool peer = false;

	memset(t, 0, MEM_N * sizeof(*t));
	for (int i = 0; i < MEM_N; i++)
		t[i].what = what[i];
	t[MEM_BASE].bytes = BASE_BYTES;
	for (guint i = 0; i < s->traffic->len; i++) {
		const struct traffic_spec *ts = &g_array_index(s->traffic, struct traffic_spec, i);
		double pps = offered_pps(ts);

		peer |= ts->peer == PEER_VM;
		term_add(&t[MEM_FLOWS], ts->flows * FLOW_BYTES * PATHS, ts->name, "flows", false,
			 g_strdup_printf("%u flows at once, %g bytes each on each path", ts->flows,
					 FLOW_BYTES));
		if (ts->concurrency)
			term_add(&t[MEM_CONNS], ts->concurrency * CONN_BYTES * PATHS, ts->name,
				 "concurrency", false,
				 g_strdup_printf("%u connections, %g bytes each on each path",
						 ts->concurrency, CONN_BYTES));
		/* the engine creates a window's packets at once */
		if (pps > 0)
			term_add(&t[MEM_PACKETS], pps * s->window_s * PKT_BYTES * PATHS, ts->name,
				 "rate", false,
				 g_strdup_printf("%.3g packets born per engine window of %gus, %g "
						 "bytes each on each path",
						 pps * s->window_s, s->window_s * 1e6, PKT_BYTES));
		const struct dist *ds[] = { &ts->size, &ts->response_size, &ts->flow_size,
					    &ts->on,   &ts->off,	   &ts->think };
		const char *keys[] = { "size", "response_size", "flow_size", "on", "off", "think" };
		for (size_t k = 0; k < G_N_ELEMENTS(ds); k++)
			if (ds[k]->n > 3)
				term_add(&t[MEM_TABLES], ds[k]->n * 2.0 * sizeof(double), ts->name,
					 keys[k], false,
					 g_strdup_printf("a table of %zu values", ds[k]->n));
	}
	for (guint i = 0; s->model && i < s->model->sections->len; i++) {
		const struct model_section *ms = s->model->sections->pdata[i];

		tables_of(&t[MEM_TABLES], ms->ops->keys, ms->ops->nkeys, ms->params, ms->name, true);
		for (size_t k = 0; k < ms->ops->nkeys; k++) {
			const struct key_spec *ks = &ms->ops->keys[k];
			unsigned entries;

			if (ks->type != KEY_UINT || strcmp(ks->name, "flow_table"))
				continue;
			entries = *(const unsigned *)((const char *)ms->params + ks->offset);
			/* one table per path, and the peer VM's path its own; each
			 * VM's VF its own */
			const unsigned vfs = !strcmp(ms->name, "vf") && s->vms->len > 1 ? s->vms->len : 1;
			term_add(&t[MEM_FLOW_TABLES],
				 entries * FLOW_ENTRY_BYTES * PATHS * (peer ? 2 : 1) * vfs, ms->name,
				 "flow_table", true,
				 g_strdup_printf("%u entries, %g bytes each, one table per path%s%s",
						 entries, FLOW_ENTRY_BYTES, peer ? " and peer" : "",
						 vfs > 1 ? " and VM" : ""));
		}
	}
}

static void memory_terms_clear(struct mem_term t[MEM_N])
{
	for (int i = 0; i < MEM_N; i++)
		g_free(t[i].why);
}

uint64_t scenario_memory_estimate(const struct scenario *s, GString *detail)
{
	struct mem_term t[MEM_N];
	double total = 0;

	memory_terms(s, t);
	for (int i = 0; i < MEM_N; i++) {
		total += t[i].bytes;
		if (detail && t[i].bytes > 0) {
			g_autofree char *b = size_text(t[i].bytes);

			g_string_append_printf(detail, "%s%s %s", detail->len ? ", " : "", t[i].what, b);
		}
	}
	memory_terms_clear(t);
	return total >= (double)UINT64_MAX ? UINT64_MAX : (uint64_t)total;
}

/* Refuse s when its estimate is above max_memory: at the key behind the
 * largest part, which is where the user can do most about it. */
static void check_memory(const struct scenario *s, uint64_t max_memory, const struct kf_stack *st,
			 struct diag *d)
{
	struct mem_term t[MEM_N];
	double total = 0;
	int big = MEM_FLOWS;

	memory_terms(s, t);
	for (int i = 0; i < MEM_N; i++) {
		total += t[i].bytes;
		if (i != MEM_BASE && t[i].bytes > t[big].bytes)
			big = i;
	}
	if (total > (double)max_memory && t[big].group) {
		g_autofree char *part = size_text(t[big].bytes), *all = size_text(total);
		g_autofree char *limit = size_text((double)max_memory);
		g_autofree char *msg = g_strdup_printf(
			"%s: %s, %s in all, is the largest part of an estimated %s for this run, "
			"above the memory limit of %s: make it smaller, or raise the limit with "
			"--max-memory",
			t[big].why, t[big].what, part, all, limit);
		const struct kf *from = origin(st, t[big].group, t[big].key);

		if (t[big].in_model && !g_key_file_has_key(from->keys, t[big].group, t[big].key, NULL))
			diag_add(d, NULL, NULL, NULL, "%s: %s.%s: %s", s->model->path, t[big].group,
				 t[big].key, msg);
		else
			diag_add(d, from, t[big].group, t[big].key, "%s", msg);
	}
	memory_terms_clear(t);
}

struct scenario *scenario_load(const char *path_or_name, const char *model_override,
			       const struct kf *sets, GError **error)
{
	return scenario_load_limited(path_or_name, model_override, sets, SCENARIO_MAX_MEMORY,
				     error);
}

struct scenario *scenario_load_limited(const char *path_or_name, const char *model_override,
				       const struct kf *sets, uint64_t max_memory,
				       GError **error)
{
	g_autofree char *path = scenario_resolve(path_or_name, error);
	g_autoptr(kf) k = NULL;
	g_autoptr(scenario) s = NULL;
	struct scenario_info info = { 0 };
	struct kf_stack st;
	struct diag d;

	if (!path)
		return NULL;
	k = kf_load(path, error);
	if (!k)
		return NULL;

	s = g_new0(struct scenario, 1);
	s->path = g_strdup(path);
	s->sha256 = g_strdup(k->sha256);
	g_autofree char *base = g_path_get_basename(path);
	s->name = !strcmp(path, "-") ? g_strdup("stdin")
				     : g_strndup(base, g_str_has_suffix(base, ".ini") ? strlen(base) - 4
										: strlen(base));
	s->traffic = g_array_new(FALSE, TRUE, sizeof(struct traffic_spec));
	g_array_set_clear_func(s->traffic, traffic_clear);
	s->events = g_array_new(FALSE, TRUE, sizeof(struct event_spec));
	g_array_set_clear_func(s->events, event_clear);
	s->loads = g_array_new(FALSE, TRUE, sizeof(struct load_spec));
	g_array_set_clear_func(s->loads, load_clear);
	s->vms = g_array_new(FALSE, TRUE, sizeof(struct vm_spec));
	g_array_set_clear_func(s->vms, vm_clear);

	diag_init(&d);
	st = (struct kf_stack){ .n = 0 };
	if (sets)
		st.layer[st.n++] = sets;
	st.layer[st.n++] = k;
	if (sets) {
		g_auto(GStrv) sg = g_key_file_get_groups(sets->keys, NULL);

		for (char **g = sg; *g; g++)
			if (strcmp(*g, "scenario") && !model_is_section(*g) &&
			    !g_key_file_has_group(k->keys, *g)) {
				g_autofree char *near = set_section_nearest(k, *g);

				if (near)
					diag_add(&d, sets, *g, NULL,
						 "no such section in the scenario or the model "
						 "(did you mean [%s]?)", near);
				else
					diag_add(&d, sets, *g, NULL,
						 "no such section in the scenario or the model");
			}
	}
	if (!g_key_file_has_group(k->keys, "scenario"))
		diag_add(&d, k, NULL, NULL,
			 "expected a [scenario] section (with at least duration = ...)");
	else
		kf_parse_section(&st, "scenario", scenario_keys, G_N_ELEMENTS(scenario_keys), &info,
				 &d);

	g_auto(GStrv) groups = g_key_file_get_groups(k->keys, NULL);
	unsigned nsources = 0, ntraffic = 0;

	for (char **g = groups; *g; g++)
		ntraffic += group_is(*g, "traffic");
	/* the VMs first: sources and events name them */
	for (char **g = groups; *g; g++)
		if (!model_is_section(*g) && group_is(*g, "vm"))
			load_vm(s, &st, k, *g, &d);
	for (char **g = groups; *g; g++) {
		if (!strcmp(*g, "scenario") || model_is_section(*g) || group_is(*g, "vm"))
			continue;
		const char *kind = group_is(*g, "traffic") ? "traffic"
				   : group_is(*g, "event") ? "event"
				   : group_is(*g, "load")  ? "load"
							   : NULL;
		if (kind && !group_name_ok(*g, kind)) {
			diag_add(&d, k, *g, NULL,
				 "expected [%s] or [%s NAME], with a name that neither starts nor ends "
				 "with a space, got '[%s]'",
				 kind, kind, *g);
			continue;
		}
		/* reported once, at the first source too many */
		if (group_is(*g, "traffic") && ++nsources > TRAFFIC_MAX_SOURCES) {
			if (nsources == TRAFFIC_MAX_SOURCES + 1)
				diag_add(&d, k, *g, NULL,
					 "expected at most %u traffic sources, got %u: each numbers its "
					 "flows in a range of its own, 2^%u wide, of a 32-bit flow number",
					 TRAFFIC_MAX_SOURCES, ntraffic, TRAFFIC_FLOW_BITS);
			continue;
		}
		if (group_is(*g, "traffic")) {
			load_traffic(s, &st, *g, info.duration_s, &d);
		} else if (group_is(*g, "event")) {
			load_event(s, &st, *g, info.duration_s, &d);
		} else if (group_is(*g, "load")) {
			struct load_row row = { 0 };

			if (kf_parse_section(&st, *g, load_keys, G_N_ELEMENTS(load_keys), &row, &d)) {
				struct load_spec l = { .name = g_strdup(*g),
						       .where = row.where,
						       .utilisation = row.utilisation,
						       .path = row.path };

				dist_copy(&l.job, &row.job);
				if (!(dist_mean(&row.job) > 0))
					diag_at(&d, &st, *g, "job", "expected jobs of positive length");
				g_array_append_val(s->loads, l);
			}
			kf_clear_section(load_keys, G_N_ELEMENTS(load_keys), &row);
		} else {
			static const char *const known[] = { "scenario", "traffic", "event", "load" };
			const char *near = kf_nearest(*g, known, G_N_ELEMENTS(known));

			if (near)
				diag_add(&d, k, *g, NULL, "unknown section (did you mean [%s]?)", near);
			else
				diag_add(&d, k, *g, NULL,
					 "unknown section: expected [scenario], [traffic NAME], "
					 "[event NAME], [load NAME], [vm NAME] or a model section to "
					 "override");
		}
	}
	if (!s->traffic->len && d.count == 0)
		diag_add(&d, k, NULL, NULL, "expected at least one [traffic] section");
	if (info.warmup_s >= info.duration_s && info.duration_s > 0)
		diag_at(&d, &st, "scenario", "warmup", "expected less than the duration (%gs)",
			info.duration_s);

	s->description = g_steal_pointer(&info.description);
	s->model_ref = g_strdup(model_override ? model_override : info.model);
	s->duration_s = info.duration_s;
	s->warmup_s = info.warmup_s;
	s->seed = info.seed;
	s->window_s = info.window_s;
	s->force_exact = info.mode == 1;
	g_array_sort(s->events, event_cmp);

	/* NULL only when [scenario] is missing, which is reported already; an
	 * empty name is an error like any name that finds no model */
	if (s->model_ref) {
		/* the model, with this file's and --set's overrides above it;
		 * loaded even when the scenario has errors, to report all */
		const struct kf *layers[2] = { sets, k };
		g_autoptr(GError) e = NULL;
		g_autofree char *model_path =
			model_resolve(s->model_ref, model_override ? NULL : k->dir, &e);

		if (!model_path && model_override)
			diag_add(&d, NULL, NULL, NULL, "--model: %s", e->message);
		else if (!model_path)
			diag_add(&d, origin(&st, "scenario", "model"), "scenario", "model", "%s",
				 e->message);
		else if (!(s->model = model_load(model_path, layers, 2, &e)))
			diag_add(&d, NULL, NULL, NULL, "%s", e->message);
	}
	kf_clear_section(scenario_keys, G_N_ELEMENTS(scenario_keys), &info);
	/* the VMs' sizes and room wait for their keys to be right */
	if (s->model && (!s->named_vms || d.count == 0))
		resolve_vms(s, &st, k, &d);
	if (s->model)
		check_segments(s, &st, &d);
	if (d.count == 0)
		check_memory(s, max_memory, &st, &d);

	if (!diag_finish(&d, error)) {
		diag_clear(&d);
		return NULL;
	}
	diag_clear(&d);
	return g_steal_pointer(&s);
}

const struct key_spec *scenario_section_keys(const char *group, size_t *n)
{
	static const struct {
		const char *kind;
		const struct key_spec *keys;
		size_t n;
	} tables[] = {
		{ "scenario", scenario_keys, G_N_ELEMENTS(scenario_keys) },
		{ "traffic", traffic_keys, G_N_ELEMENTS(traffic_keys) },
		{ "event", event_keys, G_N_ELEMENTS(event_keys) },
		{ "load", load_keys, G_N_ELEMENTS(load_keys) },
		{ "vm", vm_keys, G_N_ELEMENTS(vm_keys) },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
		/* "vm" alone is the model's section, "vm NAME" a VM of the scenario */
		if (i ? group_is(group, tables[i].kind) && (strcmp(tables[i].kind, "vm") || group[2])
		      : !strcmp(group, tables[i].kind)) {
			*n = tables[i].n;
			return tables[i].keys;
		}
	*n = 0;
	return NULL;
}

void scenario_print_help(FILE *f, bool markdown)
{
	void (*print)(FILE *, const char *, const struct key_spec *, size_t) =
		markdown ? kf_print_markdown : kf_print_help;

	print(f, "scenario", scenario_keys, G_N_ELEMENTS(scenario_keys));
	print(f, "traffic NAME", traffic_keys, G_N_ELEMENTS(traffic_keys));
	print(f, "event NAME", event_keys, G_N_ELEMENTS(event_keys));
	print(f, "load NAME", load_keys, G_N_ELEMENTS(load_keys));
	print(f, "vm NAME", vm_keys, G_N_ELEMENTS(vm_keys));
}
