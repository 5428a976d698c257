/* load.h: the offered load of a scenario, and how a sweep scales it.
 *
 * A load sweep scales every counted source (the measured VM's own
 * traffic, vm = self) that has a rate by one factor, keeping each
 * source's share and unit: "rate = 20krps" at factor 1.5 becomes
 * "30000rps".  A neighbour's traffic stays as written (it is the
 * background the measured VM shares the host with), and so do trace
 * replays and closed-loop request/response sources, which have no rate to
 * scale.  The offered load is the sum of the scaled sources' nominal
 * rates: packets/s (requests/s when every one of them is
 * request/response); a bit rate counts as rate / (8 x mean frame size), a
 * percentage as that share of the normal path's capacity formula
 * (pipeline_capacity_pps). */
#ifndef ACCELSIM_SWEEP_LOAD_H
#define ACCELSIM_SWEEP_LOAD_H

#include <glib.h>
#include <stdbool.h>

#include "config/scenario.h"

struct sweep_load {
	GPtrArray *groups;	/* char *: "traffic" or "traffic NAME" of each scaled source */
	GArray *rates;		/* struct quantity: its rate as written */
	double base_pps;	/* nominal offered packets (requests)/s of them all */
	double base_bps;	/* the same in frame bits/s */
	bool requests;		/* every scaled source is request/response */
};

typedef struct sweep_load sweep_load;
/* The scaled sources of s.  NULL and an ACCELSIM_ERROR_INPUT error when s
 * has none (only trace replays, closed loops or a neighbour's traffic). */
struct sweep_load *sweep_load_new(const struct scenario *s, GError **error);
void sweep_load_free(struct sweep_load *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep_load, sweep_load_free)

/* The factor that makes the offered load value of kind (UNIT_PKTRATE,
 * UNIT_REQRATE or UNIT_BITRATE); NAN and an error when the kind does not
 * fit the traffic (requests/s of packets). */
double sweep_load_factor(const struct sweep_load *l, double value, enum unit_kind kind,
			 GError **error);

/* The --set arguments ("traffic.rate=30000rps", one per scaled source)
 * that scale the load by factor; a new array of strings. */
GPtrArray *sweep_load_sets(const struct sweep_load *l, double factor);

/* The varied column of an absolute load: "rate_pps", "rate_rps" or
 * "rate_bps". */
const char *sweep_load_column(const struct sweep_load *l, enum unit_kind kind);

#endif
