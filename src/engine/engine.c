/* engine.c: engine_run's lifecycle: set up both paths, load the platform,
 * start the driver, the exact-mode actors and background load, run
 * SimGrid, collect the figures, tear down.
 *
 * The parts, each in its own file: stage.c (the FIFO-server rules both
 * modes share), window.c (the window-mode driver), exact.c (actors on
 * shared cores), load.c (background load), build.c (stages from the
 * pipelines), collect.c (results), fork.c (a run in a child process).
 * docs/engine.md explains the whole.
 */
#include "engine/engine.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/plugins/live_migration.h>
#include <simgrid/semaphore.h>
#include <xbt/log.h>

#include "core/msg.h"
#include "engine/internal.h"
#include "pipeline/platform.h"

struct engine_stats engine_stats_last;

/* SIGINT, SIGTERM, SIGHUP: ask the driver to stop (the figures so far are
 * reported, marked partial); a second one ends the process. */
static volatile sig_atomic_t *stop_flag;

static void on_stop_signal(int sig)
{
	if (stop_flag)
		*stop_flag = 1;
	signal(sig, SIG_DFL);
}

const struct engine_stats *engine_last_stats(void)
{
	return &engine_stats_last;
}

bool engine_run(const struct scenario *s, const struct engine_opts *o, struct run_result *out,
		GError **error)
{
	static bool used;
	struct sim *sim = g_new0(struct sim, 1);
	bool ok = false;

	if (used) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "one simulation per process: use engine_run_forked()");
		g_free(sim);
		return false;
	}
	used = true;
	sim->sc = s;
	sim->opts = o;
	sim->tracer = o ? o->tracer : NULL;
	sim->warmup = s->warmup_s;
	sim->duration = s->duration_s;
	sim->window = s->window_s;
	sim->charge_period = 1e-3;
	sim->wall_start = g_get_monotonic_time();

	int argc = 1;
	char *argv[] = { (char *)"accelsim", NULL };
	simgrid_init(&argc, argv);
	xbt_log_control_set("root.thres:critical");
	/* SimGrid installs its own SIGINT handler, which ends the process:
	 * put ours back, so Ctrl-C (or a polite kill, or a hang-up) stops the
	 * run and keeps the figures */
	if (o && o->stop) {
		static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
		struct sigaction sa = { .sa_handler = on_stop_signal };

		stop_flag = o->stop;
		sigemptyset(&sa.sa_mask);
		for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++)
			sigaction(sigs[i], &sa, NULL);
	}

	for (int p = 0; p < PATH_COUNT; p++)
		if (!build_path(sim, &sim->paths[p], p, out, error))
			goto out;

	for (int p = 0; p < PATH_COUNT; p++)
		build_edges(sim, &sim->paths[p]);
	sim->stats.window_s = sim->window;
	series_init(sim, o ? o->interval_s : 0);
	events_init(sim);
	if (!build_check(sim, error))
		goto out;

	sg_host_t hosts[PATH_COUNT][RES_COUNT];
	sg_host_t vm_hosts[PATH_COUNT][SCENARIO_MAX_VMS];
	/* a migration needs the plugin before the VMs exist */
	if (sim->paths[0].pl->has_dst)
		sg_vm_live_migration_plugin_init();
	if (!platform_load(s, (const struct pipeline *[]){ sim->paths[0].pl, sim->paths[1].pl },
			   hosts, vm_hosts, error))
		goto out;
	for (int p = 0; p < PATH_COUNT; p++) {
		for (int r = 0; r < RES_COUNT; r++)
			sim->paths[p].res[r].host = hosts[p][r];
		for (unsigned v = 0; v < sim->paths[p].nvms; v++)
			sim->paths[p].vmres[v].host = vm_hosts[p][v];
		if (sim->paths[p].pl->has_dst) {
			g_autofree char *dst = g_strdup_printf("%s.dst", path_name(p));

			sim->paths[p].dst_pm = sg_host_by_name(dst);
		}
	}

	sim->driver_sem = sg_sem_init(0);
	sg_actor_t driver = sg_actor_init("driver", sg_host_by_name("control"));
	sg_actor_set_data(driver, sim);
	sg_actor_start(driver, window_driver_main, 0, NULL);
	if (sim->any_exact)
		exact_start(sim);
	loads_start(sim);
	migrations_start(sim);
	simgrid_run();
	if (sim->stuck) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "traffic loops back through stages that can take no time at all, so "
			    "the engine cannot advance (see docs/engine.md): give one of them a "
			    "positive least cost");
		goto out;
	}

	collect_results(sim, out);
	migrations_report(sim, out);
	out->seed = s->seed;
	g_free(out->scenario);
	out->scenario = g_strdup(s->name);
	g_free(out->model);
	out->model = g_strdup(s->model->name);
	g_free(out->source);
	out->source = g_strdup("simulation");
	ok = true;
out:
	if (sim->driver_sem)
		sg_sem_destroy(sim->driver_sem);
	engine_stats_last = sim->stats;
	build_teardown(sim);
	g_free(sim);
	return ok;
}

