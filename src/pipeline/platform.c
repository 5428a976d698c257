/* platform.c: write, load and populate the SimGrid platform (platform.h).
 * The only file that creates hosts and VMs. */
#include "pipeline/platform.h"

#include <glib/gstdio.h>
#include <simgrid/engine.h>
#include <simgrid/vm.h>
#include <unistd.h>

#include "core/msg.h"

char *platform_xml(const struct scenario *s, const struct pipeline *const pls[PATH_COUNT])
{
	const struct model *m = s->model;
	GString *x = g_string_new(NULL);

	const bool dst = pls[0]->has_dst || pls[1]->has_dst;
	g_autoptr(GString) links = g_string_new(NULL);
	g_autoptr(GString) routes = g_string_new(NULL);

	/* a live migration copies memory between hosts: a link and a route */
	g_string_append_printf(x, "<?xml version='1.0'?>\n"
				  "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
				  "<platform version=\"4.1\">\n"
				  "  <zone id=\"accelsim\" routing=\"%s\">\n"
				  "    <host id=\"control\" speed=\"1Gf\"/>\n",
			       dst ? "Full" : "None");
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct pipeline *pl = pls[p];
		unsigned vs = MAX(pl->vswitch_cores, 1u);
		unsigned rest = m->host.cores > vs ? m->host.cores - vs : 1;
		const char *sides[] = { "", "peer." };

		for (int side = 0; side < (pl->has_peer ? 2 : 1); side++) {
			/* cycles are flops: a host's speed is its clock */
			g_string_append_printf(x,
					       "    <host id=\"%s.%svswitch\" speed=\"%.6ff\" "
					       "core=\"%u\"/>\n"
					       "    <host id=\"%s.%shost\" speed=\"%.6ff\" core=\"%u\"/>\n",
					       path_name(p), sides[side], m->host.freq_hz, vs,
					       path_name(p), sides[side], m->host.freq_hz, rest);
		}
		/* the host a VM migrates to: the same model, over a link of
		 * host.migration_rate */
		if (dst) {
			g_string_append_printf(x,
					       "    <host id=\"%s.dst.vswitch\" speed=\"%.6ff\" core=\"%u\"/>\n"
					       "    <host id=\"%s.dst\" speed=\"%.6ff\" core=\"%u\"/>\n",
					       path_name(p), m->host.freq_hz, vs, path_name(p),
					       m->host.freq_hz, rest);
			/* links and routes come after every host */
			g_string_append_printf(links,
					       "    <link id=\"%s.migration\" bandwidth=\"%.6fBps\" "
					       "latency=\"0s\"/>\n",
					       path_name(p), m->host.migration_bps / 8);
			g_string_append_printf(routes,
					       "    <route src=\"%s.host\" dst=\"%s.dst\">"
					       "<link_ctn id=\"%s.migration\"/></route>\n",
					       path_name(p), path_name(p), path_name(p));
		}
	}
	g_string_append(x, links->str);
	g_string_append(x, routes->str);
	g_string_append(x, "  </zone>\n</platform>\n");
	return g_string_free(x, FALSE);
}

bool platform_load(const struct scenario *s, const struct pipeline *const pls[PATH_COUNT],
		   sg_host_t hosts[PATH_COUNT][RES_COUNT],
		   sg_host_t vm_hosts[PATH_COUNT][SCENARIO_MAX_VMS], GError **error)
{
	g_autofree char *xml = platform_xml(s, pls);
	g_autofree char *path = NULL;
	g_autoptr(GError) e = NULL;
	int fd = g_file_open_tmp("accelsim-platform-XXXXXX.xml", &path, &e);

	if (fd < 0) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot write the SimGrid platform: %s", e->message);
		return false;
	}
	close(fd);
	if (!g_file_set_contents(path, xml, -1, &e)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot write the SimGrid platform: %s", e->message);
		g_unlink(path);
		return false;
	}
	simgrid_load_platform(path);
	g_unlink(path);

	for (int p = 0; p < PATH_COUNT; p++) {
		const char *sides[] = { "", "peer." };

		for (int r = 0; r < RES_COUNT; r++)
			hosts[p][r] = NULL;
		for (int side = 0; side < (pls[p]->has_peer ? 2 : 1); side++) {
			g_autofree char *vs = g_strdup_printf("%s.%svswitch", path_name(p), sides[side]);
			g_autofree char *pm = g_strdup_printf("%s.%shost", path_name(p), sides[side]);
			hosts[p][side ? RES_PEER_VSWITCH : RES_VSWITCH] = sg_host_by_name(vs);
			if (pls[p]->has_dst && !side) {
				g_autofree char *d = g_strdup_printf("%s.dst.vswitch", path_name(p));

				hosts[p][RES_DST_VSWITCH] = sg_host_by_name(d);
			}
			if (side) {
				g_autofree char *vm = g_strdup_printf("%s.peer.vm", path_name(p));
				sg_vm_t v = sg_vm_create_multicore(sg_host_by_name(pm), vm,
								   s->model->vm.vcpus);

				sg_vm_start(v);
				hosts[p][RES_PEER_VM] = (sg_host_t)v;
				continue;
			}
			/* the host's VMs: "normal.vm", or "normal.vm.NAME" for each
			 * [vm NAME] */
			for (guint i = 0; i < s->vms->len; i++) {
				const struct vm_spec *spec = &g_array_index(s->vms, struct vm_spec, i);
				g_autofree char *vm =
					spec->name ? g_strdup_printf("%s.vm.%s", path_name(p), spec->name)
						   : g_strdup_printf("%s.vm", path_name(p));
				sg_vm_t v = sg_vm_create_multicore(sg_host_by_name(pm), vm, spec->vcpus);

				sg_vm_start(v);
				vm_hosts[p][i] = (sg_host_t)v;
			}
		}
	}
	return true;
}
