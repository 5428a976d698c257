/* migrate.c: live migration of a VM, by SimGrid's live-migration plugin.
 *
 * An event `migrate` takes the VM's VF away at its time (the platform
 * detaches it first: an SR-IOV device cannot move with the VM, so the
 * guest's bond falls back to the synthetic path), then, host.vf_detach
 * later, SimGrid's plugin copies the VM's memory to a second host of the
 * same model (pre-copy: all of it, then what the VM wrote meanwhile, round
 * after round, then a short stop-and-copy), over a link of
 * host.migration_rate.  How long that takes is SimGrid's to compute: it
 * depends on the memory, the link, and how much the VM writes while it
 * runs, vm.dirty_rate bytes per second of its vCPUs' work (the plugin
 * counts the work done on the VM: here the guest stack and application the
 * engine charges to it).  Once there, the VM's traffic crosses the new
 * host's link, NIC and vSwitch ("dst." stages), and host.vf_attach later
 * a VF is attached there; the guest uses it vm.failover after that.
 *
 * Each world migrates its own copy of the VM (the normal world's does
 * more work on its vCPUs, so it may write more and take longer).  The
 * changes a migration makes once it ends go on the timeline at its end, or
 * at the end of the engine window it ends in when the engine has computed
 * that far already (at most one window, 50 us by default, late).  While
 * SimGrid stops the VM for the last copy (at most 30 ms, the plugin's
 * max_downtime), a VM whose stages run in exact mode stops too; in window
 * mode its stages do not see the pause.
 */
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/plugins/live_migration.h>
#include <simgrid/vm.h>
#include <stdio.h>

#include "engine/internal.h"

struct migration {
	struct sim *sim;
	const struct event_spec *ev;
	enum path_id path;
	double start, end, vf_on;	/* the copy, and the VF in use again */
};

static GPtrArray *migrations;

static void migration_main(int argc, char **argv)
{
	struct migration *m = sg_actor_self_get_data();
	struct sim *sim = m->sim;
	const struct model *md = sim->sc->model;
	struct epath *ep = &sim->paths[m->path];
	const int v = m->ev->vm;
	const int sel = m->path == PATH_NORMAL ? PATHSEL_NORMAL : PATHSEL_ACCEL;

	sg_actor_sleep_until(m->ev->at + md->host.vf_detach_s);
	m->start = simgrid_get_clock();
	sg_vm_migrate((sg_vm_t)ep->vmres[v].host, ep->dst_pm);
	m->end = simgrid_get_clock();
	/* nothing may change before what the engine has computed already;
	 * the phases follow the world where the VM has a VF */
	const bool vf = ep->pl->vm_vf[v];

	events_insert(sim, MAX(m->end, sim->horizon), TL_MOVE, v, sel, vf);
	m->vf_on = MAX(m->end + md->host.vf_attach_s + md->vm.failover_s, sim->horizon);
	if (vf)
		events_insert(sim, m->vf_on, TL_VF_ON, v, sel, true);
}

void migrations_start(struct sim *sim)
{
	const struct scenario *sc = sim->sc;
	bool any = false;

	for (guint i = 0; i < sc->events->len; i++)
		any |= g_array_index(sc->events, struct event_spec, i).action == EV_MIGRATE;
	if (!any)
		return;
	migrations = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < sc->events->len; i++) {
		const struct event_spec *ev = &g_array_index(sc->events, struct event_spec, i);

		if (ev->action != EV_MIGRATE)
			continue;
		for (int p = 0; p < PATH_COUNT; p++) {
			struct epath *ep = &sim->paths[p];
			struct migration *m = g_new0(struct migration, 1);
			sg_vm_t vm = (sg_vm_t)ep->vmres[ev->vm].host;
			g_autofree char *name = g_strdup_printf("%s.%s", path_name(p), ev->name);
			const double rate = sc->model->host.migration_bps / 8;
			const struct vm_spec *vs = &g_array_index(sc->vms, struct vm_spec, ev->vm);

			m->sim = sim;
			m->ev = ev;
			m->path = p;
			m->start = m->end = m->vf_on = NAN;
			g_ptr_array_add(migrations, m);
			/* what it copies, and how much it writes per flop: SimGrid
			 * takes the rate per flop as the migration speed times an
			 * intensity over the host's speed */
			sg_vm_set_ramsize(vm, (size_t)vs->memory_bytes);
			sg_vm_set_migration_speed(vm, rate);
			sg_vm_set_dirty_page_intensity(vm, vs->dirty_bps / rate);
			/* the most a round can have to send again: the plugin's
			 * own choice for its migratable VMs, 90 % of the memory */
			sg_vm_set_working_set_memory(vm, (sg_size_t)(vs->memory_bytes * 0.9));
			/* not a daemon: the run waits for a migration to end.  On
			 * the host the VM leaves: the plugin's last word comes
			 * back from the new host over the migration link */
			g_autofree char *pm = g_strdup_printf("%s.host", path_name(p));
			sg_actor_t a = sg_actor_init(name, sg_host_by_name(pm));
			sg_actor_set_data(a, m);
			sg_actor_start(a, migration_main, 0, NULL);
		}
	}
}

/* A VM that has arrived: its sources send on the routes through the new
 * host from now on (packets on their way keep theirs). */
void migrate_move(struct sim *sim, const struct tl_event *e)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		struct epath *ep = &sim->paths[p];

		if (e->path != PATHSEL_BOTH && (e->path == PATHSEL_NORMAL) != (p == PATH_NORMAL))
			continue;
		for (unsigned i = 0; i < ep->nsources; i++)
			if (ep->sources[i].vm == e->vm && ep->sources[i].dst_route >= 0)
				ep->sources[i].route = ep->sources[i].dst_route;
	}
}

void migrations_report(struct sim *sim, struct run_result *out)
{
	for (guint i = 0; migrations && i < migrations->len; i++) {
		const struct migration *m = migrations->pdata[i];
		const struct vm_spec *vs = &g_array_index(sim->sc->vms, struct vm_spec, m->ev->vm);
		g_autofree char *key = g_strdup_printf("migration %s %s", vs->name ? vs->name : "vm",
						       path_name(m->path));

		if (isnan(m->end) || !sim->paths[m->path].pl->vm_vf[m->ev->vm])
			run_result_note(out, key,
					isnan(m->end) ? "the copy began at %.9g s and had not ended by "
							"the end of the run"
						      : "no VF in this world; memory copied from %.9g s "
							"to %.9g s (SimGrid: %.9g s)",
					m->start, m->end, m->end - m->start);
		else if (isnan(m->end))
			run_result_note(out, key, "VF detached at %.9g s; the copy began at %.9g s and had "
						  "not ended by the end of the run",
					m->ev->at, m->start);
		else
			run_result_note(out, key,
					"VF detached at %.9g s; memory copied from %.9g s to %.9g s "
					"(SimGrid: %.9g s); VF in use from %.9g s: %.9g s on the "
					"synthetic path",
					m->ev->at, m->start, m->end, m->end - m->start, m->vf_on,
					m->vf_on - m->ev->at);
	}
}

void migrations_free(void)
{
	if (migrations)
		g_ptr_array_unref(migrations);
	migrations = NULL;
}
