/* load.c: background load on a host's cores ([load] sections).
 *
 * One thread per core of the host, each alternating a job (an execute of
 * its length at full speed) and an idle spell of exponential length, so
 * that jobs take the load's share of the time; the jobs compete with the
 * stages for the cores, which is what makes that host's stages run in
 * exact mode.  Two activities per job.
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>

#include "engine/internal.h"

struct load {
	struct sim *sim;
	const struct load_spec *spec;
	struct eres *res;
	struct rng rng;
};

static GPtrArray *loads;

static void load_main(int argc, char **argv)
{
	struct load *ld = sg_actor_self_get_data();
	const struct load_spec *sp = ld->spec;
	const double mean = dist_mean(&sp->job);
	/* idle spells such that jobs take utilisation of the time */
	const double idle = mean * (1 - MIN(sp->utilisation, 0.999)) / MIN(sp->utilisation, 0.999);
	const double end = ld->sim->duration;

	sg_actor_sleep_until(rng_exp(&ld->rng, idle));
	while (simgrid_get_clock() < end) {
		sg_actor_execute(dist_sample(&sp->job, &ld->rng) * ld->res->freq);
		ld->sim->stats.activities++;
		if (simgrid_get_clock() >= end)
			break;
		sg_actor_sleep_for(rng_exp(&ld->rng, idle));
		ld->sim->stats.activities++;
	}
}

void loads_start(struct sim *sim)
{
	const struct scenario *sc = sim->sc;

	loads = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < sc->loads->len; i++) {
		const struct load_spec *sp = &g_array_index(sc->loads, struct load_spec, i);

		for (int p = 0; p < PATH_COUNT; p++) {
			if (sp->path != PATHSEL_BOTH && (sp->path == PATHSEL_NORMAL) != (p == PATH_NORMAL))
				continue;
			/* on = vm: the first compared VM's vCPUs */
			struct eres *res = sp->where == LOAD_VSWITCH ? &sim->paths[p].res[RES_VSWITCH]
								      : &sim->paths[p].vmres[sc->primary];

			for (unsigned core = 0; core < res->cores; core++) {
				struct load *ld = g_new0(struct load, 1);
				g_autofree char *name =
					g_strdup_printf("%s.%s#%u", path_name(p), sp->name, core);

				ld->sim = sim;
				ld->spec = sp;
				ld->res = res;
				/* the same jobs on both paths' hosts */
				rng_seed(&ld->rng, sc->seed, 0x10ad0000u + i * 4096 + core);
				g_ptr_array_add(loads, ld);
				sg_actor_t a = sg_actor_init(name, res->host);
				sg_actor_set_data(a, ld);
				sg_actor_start(a, load_main, 0, NULL);
				sg_actor_daemonize(a);
			}
		}
	}
}

void loads_free(void)
{
	if (loads)
		g_ptr_array_unref(loads);
	loads = NULL;
}
