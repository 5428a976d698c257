/* platform.h: the SimGrid platform a run needs, built from the model.
 *
 * Per path: the host's vSwitch cores as one host, the rest of its cores as
 * another carrying the VM, and the same for a peer VM when traffic has one;
 * plus a one-core "control" host for the engine's driver.  Hardware (wire,
 * NIC, DMA) is timed directly and needs no SimGrid resource.  SimGrid 3.32's
 * C API reads platforms only from XML: the description is written to a
 * private temporary file, loaded, and removed. */
#ifndef ACCELSIM_PLATFORM_H
#define ACCELSIM_PLATFORM_H

#include <glib.h>
#include <simgrid/host.h>

#include "config/scenario.h"
#include "pipeline/pipeline.h"

/* Load the platform for both pipelines and fill hosts[path][resource]
 * (NULL where a pipeline has no such resource; RES_VM always) and
 * vm_hosts[path][v], the SimGrid VM of each of the scenario's VMs. */
bool platform_load(const struct scenario *s, const struct pipeline *const pls[PATH_COUNT],
		   sg_host_t hosts[PATH_COUNT][RES_COUNT],
		   sg_host_t vm_hosts[PATH_COUNT][SCENARIO_MAX_VMS], GError **error);

/* The XML that platform_load() loads (for tests and `accelsim explain`).
 * Caller frees. */
char *platform_xml(const struct scenario *s, const struct pipeline *const pls[PATH_COUNT]);

#endif
