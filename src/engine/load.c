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
	double utilisation;
	const struct dist *job;
	double start, stop;	/* it works from start to stop */
	struct eres *res;
	struct rng rng;
};

static GPtrArray *loads;

static void load_main(int argc, char **argv)
{
	struct load *ld = sg_actor_self_get_data();
	const double u = MIN(ld->utilisation, 0.999);
	const double mean = dist_mean(ld->job);
	/* idle spells such that jobs take utilisation of the time */
	const double idle = mean * (1 - u) / u;
	const double end = MIN(ld->stop, ld->sim->duration);

	sg_actor_sleep_until(ld->start + rng_exp(&ld->rng, idle));
	while (simgrid_get_clock() < end) {
		sg_actor_execute(dist_sample(ld->job, &ld->rng) * ld->res->freq);
		ld->sim->stats.activities++;
		if (simgrid_get_clock() >= end)
			break;
		sg_actor_sleep_for(rng_exp(&ld->rng, idle));
		ld->sim->stats.activities++;
	}
}

/* One thread per core of res on path p, named after what it is. */
static void start_threads(struct sim *sim, int p, struct eres *res, const char *name,
			  double utilisation, const struct dist *job, double start, double stop,
			  uint32_t stream)
{
	for (unsigned core = 0; core < res->cores; core++) {
		struct load *ld = g_new0(struct load, 1);
		g_autofree char *aname = g_strdup_printf("%s.%s#%u", path_name(p), name, core);

		ld->sim = sim;
		ld->utilisation = utilisation;
		ld->job = job;
		ld->start = start;
		ld->stop = stop;
		ld->res = res;
		/* the same jobs on both paths' hosts */
		rng_seed(&ld->rng, sim->sc->seed, stream + core);
		g_ptr_array_add(loads, ld);
		sg_actor_t a = sg_actor_init(aname, res->host);
		sg_actor_set_data(a, ld);
		sg_actor_start(a, load_main, 0, NULL);
		sg_actor_daemonize(a);
	}
}

static bool on_path(int sel, int p)
{
	return sel == PATHSEL_BOTH || (sel == PATHSEL_NORMAL) == (p == PATH_NORMAL);
}

void loads_start(struct sim *sim)
{
	const struct scenario *sc = sim->sc;

	loads = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < sc->loads->len; i++) {
		const struct load_spec *sp = &g_array_index(sc->loads, struct load_spec, i);

		for (int p = 0; p < PATH_COUNT; p++) {
			if (!on_path(sp->path, p))
				continue;
			/* on = vm: the first compared VM's vCPUs */
			struct eres *res = sp->where == LOAD_VSWITCH ? &sim->paths[p].res[RES_VSWITCH]
								      : &sim->paths[p].vmres[sc->primary];

			start_threads(sim, p, res, sp->name, sp->utilisation, &sp->job, 0, INFINITY,
				      0x10ad0000u + i * 4096);
		}
	}
	/* other host work for a while: the vSwitch's cores from at to until */
	for (guint i = 0; i < sc->events->len; i++) {
		const struct event_spec *e = &g_array_index(sc->events, struct event_spec, i);

		if (e->action != EV_HOST_LOAD)
			continue;
		for (int p = 0; p < PATH_COUNT; p++)
			if (on_path(e->path, p))
				start_threads(sim, p, &sim->paths[p].res[RES_VSWITCH], e->name,
					      e->utilisation, &e->job, e->at, e->until,
					      0x10ae0000u + i * 4096);
	}
}

void loads_free(void)
{
	if (loads)
		g_ptr_array_unref(loads);
	loads = NULL;
}
