/* provenance.h: where a result came from, so that two results from
 * different runs can always be told apart and either can be run again.
 *
 * A run_result carries one (result.h: provenance, NULL for a result made
 * by hand); `accelsim run` fills it from the scenario it loaded, and every
 * output prints it: JSON and CSV in full, result.ini losslessly, the table
 * as a footer.  All strings are owned.  Only started and wall_s differ
 * between two runs of the same inputs.
 */
#ifndef ACCELSIM_PROVENANCE_H
#define ACCELSIM_PROVENANCE_H

#include <glib.h>
#include <stdbool.h>

/* What the latency figures of a run measure, from its counted traffic. */
enum latency_kind {
	LATENCY_UNKNOWN,	/* not said (a result made by hand) */
	LATENCY_ONE_WAY_RX,	/* wire arrival to the application */
	LATENCY_ONE_WAY_TX,	/* application send to the wire */
	LATENCY_ROUND_TRIP,	/* request/response: round trip seen by the client */
	LATENCY_MIXED,		/* sources of more than one kind feed one figure */
	LATENCY_ONE_WAY_APP,	/* application send to the receiving application
				 * (real mode under load: both ends measured) */
	LATENCY_KIND_COUNT,
};

struct provenance {
	char *version;		/* accelsim version that produced the result */
	char *command;		/* the command line, quoted for a POSIX shell */
	char *scenario_path;	/* the scenario file read */
	char *scenario_sha256;	/* SHA-256 of its bytes, lowercase hex */
	char *model_path;	/* the model file read */
	char *model_sha256;
	char *mode;		/* scenario.mode as run: "auto" or "exact" */
	unsigned exact_stages;	/* stages the engine ran as SimGrid actors */
	char *started;		/* start of the run, UTC, ISO 8601 to the microsecond */
	double wall_s;		/* wall-clock seconds it took */
	enum latency_kind latency;
	bool requests;		/* every counted source is request/response: packet
				 * counts and rates count requests */
	GPtrArray *sets;	/* char *: every --set, as given, in order */
	GPtrArray *keys;	/* char *: "group.key" of the effective configuration */
	GPtrArray *values;	/* char *: its value, in file form */
};

typedef struct provenance provenance;
/* An empty provenance (empty arrays, NULL strings); free with
 * provenance_free(). */
struct provenance *provenance_new(void);
void provenance_free(struct provenance *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(provenance, provenance_free)

/* A deep copy. */
struct provenance *provenance_copy(const struct provenance *p);

/* Append one effective key and its value (both copied). */
void provenance_add_key(struct provenance *p, const char *key, const char *value);

/* "one-way rx", "one-way tx", "round trip", "mixed", "one-way", "unknown". */
const char *latency_kind_name(enum latency_kind k);
/* What it spans, for the table header: "wire arrival at the NIC to the
 * application". */
const char *latency_kind_span(enum latency_kind k);

/* The current time, UTC, as "2026-12-01T08:31:18.123456Z" (caller frees). */
char *provenance_now(void);

/* argv quoted for a POSIX shell and joined by spaces (caller frees). */
char *provenance_command(int argc, char *const *argv);

/* Into k: group [provenance] and group [effective] (one key per effective
 * key: "vswitch.cores = 8"), losslessly. */
void provenance_store(GKeyFile *k, const struct provenance *p);
/* From k, if it has a [provenance] group: a new provenance in *out (NULL
 * when k has none).  FALSE and error when the group is malformed. */
bool provenance_load(GKeyFile *k, struct provenance **out, GError **error);

#endif
