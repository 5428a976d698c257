/* null.c: a stage that costs nothing.  Kept, as fio keeps its null engine,
 * to test accelsim itself: a pipeline of null stages measures the engine's
 * own overhead, and a null stage in a route changes no figure. */
#include "model/component.h"

static void null_process(struct component *c, enum comp_dir dir, struct pkt_batch *b, double now)
{
	for (unsigned i = 0; i < b->n; i++) {
		b->service[i] = 0;
		b->latency[i] = 0;
	}
	b->batch_service = 0;
}

static void null_bounds(const struct component *c, enum comp_dir dir, double size,
			struct cost_bounds *out)
{
	*out = (struct cost_bounds){ 0 };
}

const struct component_ops null_ops = {
	.kind = "null",
	.place = PLACE_HW,
	.runs_on = "nothing",
	.summary = "costs nothing; for testing the engine",
	.bounds = null_bounds,
	.process = null_process,
};
