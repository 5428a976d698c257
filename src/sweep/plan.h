/* plan.h: what a sweep varies, and the points it runs.
 *
 * An axis is one thing varied over a list of values: the offered load
 * (--load) or a model or scenario key (--vary KEY=...).  Values are
 * written as a list ("1,2,4,8"), an additive range ("10%..120%/10%":
 * from 10 % to 120 % in steps of 10 %) or a geometric one (a factor
 * after the slash, written with a star: from 64B to 1500B with factor 2
 * gives 64, 128, ... 1024, then 1500).  A range always ends on
 * its end value, also when the last step falls short of it.  One axis is a
 * line of points, two make a grid (the first varies slowest).
 *
 * Every value keeps two forms: the text a --set takes ("128B", "4",
 * "exp(2us)") and, where it reads as a quantity, its number in the
 * quantity's base unit (bytes, seconds, packets/s; a percentage as a
 * percent: 50 for 50 %), which the sweep's files and plots use.
 */
#ifndef ACCELSIM_SWEEP_PLAN_H
#define ACCELSIM_SWEEP_PLAN_H

#include <glib.h>
#include <stdbool.h>

#include "core/units.h"

struct sweep_axis {
	char *key;		/* --vary: the key ("vswitch.cores"); --load: NULL */
	GPtrArray *texts;	/* char *: each value as written for --set */
	GArray *values;		/* double: each in base units; NAN for text that is
				 * no quantity ("exp(2us)") */
	enum unit_kind kind;	/* the values' unit kind; 0 when they are text */
};

typedef struct sweep_axis sweep_axis;
void sweep_axis_free(struct sweep_axis *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep_axis, sweep_axis_free)

/* Parse a list or range of values, each of a kind in kinds (an OR of
 * enum unit_kind; a list item that reads as no quantity is kept as text
 * when text_ok).  key is copied into the axis (NULL for --load).  NULL and
 * an ACCELSIM_ERROR_INPUT error ("expected ..., got ...") when spec is
 * malformed, mixes kinds, runs backwards, or would give more than
 * SWEEP_MAX_VALUES values. */
struct sweep_axis *sweep_axis_parse(const char *key, const char *spec, unsigned kinds,
				    bool text_ok, GError **error);

/* At most this many values on one axis, and points in a grid. */
#define SWEEP_MAX_VALUES 1000

/* The text of a number v of kind in base units, as a --set reads it back
 * exactly ("1.5e-06s", "128B", "50%"); caller frees. */
char *sweep_value_text(double v, enum unit_kind kind);

/* The name of kind's base unit ("B", "pps", "%"); "" for a bare number. */
const char *sweep_base_unit(enum unit_kind kind);

#endif
