/* topology.h: the two real paths a measurement runs over, built and torn
 * down by real mode.
 *
 * Both layouts have a client namespace and a server namespace holding one
 * interface per path, so the two paths share their endpoints and differ only
 * in what lies between them:
 *
 *   emulated (--emulate):
 *     accelerated  cli:acc0 (198.18.1.1) --veth-- srv:acc0 (198.18.1.2)
 *     normal       cli:nrm0 (198.18.2.1) --veth-- host:c0 [br0 + nftables]
 *                  host:s0 --veth-- srv:nrm0 (198.18.2.2)
 *   hardware (--vf, --via, --peer): the named interfaces are moved into the
 *     namespaces: the VF and the "via" interface into cli (198.18.1.1 and
 *     198.18.2.1), the peer into srv (198.18.1.2 and 198.18.2.2).  They go
 *     back to the machine's namespace, in the state they were found, at the end.
 *
 * Addresses come only from 198.18.0.0/15 and live only inside namespaces
 * made here; neighbours are static, so no ARP is broadcast.  Each topology
 * holds its run's lock (netns.h) from before its first namespace until
 * after its last is gone: topology_sweep_stale() removes the namespaces of
 * runs whose lock nobody holds, giving any hardware interface back to the
 * machine first.
 */
#ifndef ACCELSIM_REAL_TOPOLOGY_H
#define ACCELSIM_REAL_TOPOLOGY_H

#include <glib.h>
#include <signal.h>
#include <stdbool.h>

#include "report/result.h"

struct topology;
typedef struct topology topology;

/* Build the namespace stand-in; vswitch_rules nftables rules (0 for none)
 * on the bridge's forward hook.  Stops early when *interrupted is set.  On
 * failure everything made so far is removed before returning NULL. */
struct topology *topology_new_emulated(int vswitch_rules, volatile const sig_atomic_t *interrupted,
				       GError **error);

/* Wire real interfaces: vf (the accelerated path's client end), via (the
 * normal path's client end) and peer (the server end both reach).  Refuses
 * (ACCELSIM_ERROR_INPUT) an interface that is missing, enslaved or carries
 * addresses: one in use is not ours to move. */
struct topology *topology_new_hardware(const char *vf, const char *via, const char *peer,
				       volatile const sig_atomic_t *interrupted, GError **error);

/* The checks topology_new_hardware() makes before moving anything, alone:
 * FALSE and an ACCELSIM_ERROR_INPUT error for an interface that is not ours
 * to move.  Changes nothing. */
bool topology_hardware_usable(const char *vf, const char *via, const char *peer,
			      GError **error);

/* Remove everything the topology made and give hardware back; safe to call
 * more than once.  Returns FALSE and the first error, after trying every step. */
bool topology_teardown(struct topology *t, GError **error);

/* Teardown (errors reported as warnings) and free. */
void topology_free(struct topology *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(topology, topology_free)

/* A UDP socket for path p: the server's bound to its address and port, the
 * client's bound and connected to the server.  The caller closes it. */
int topology_socket(struct topology *t, enum path_id p, bool server, GError **error);

/* One line describing path p, e.g. "veth, bridge in host namespace, 0 nftables rules". */
const char *topology_describe(struct topology *t, enum path_id p);

/* Remove the namespaces of dead runs (whose lock nobody holds).  Returns how many
 * were removed, their names appended to removed (may be NULL).  error is set
 * when some could not be removed (the first failure); the others still are. */
guint topology_sweep_stale(GPtrArray *removed, GError **error);

#endif
