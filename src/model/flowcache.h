/* flowcache.h: an exact-match flow table with idle timeout, as a vSwitch's
 * unified flow table (VFP's UFT) or a NIC's hardware table (GFT) keeps.
 *
 * Flows are dense numbers handed out by the traffic generators, so the table
 * is direct-mapped on the flow number (offset per traffic source): a lookup
 * is one index, no hashing on the per-packet path.  Two live flows that map to one slot evict each
 * other, as a full table would.  An entry installed at time t serves packets
 * from t + ready on (a rule being written into hardware is not yet live). */
#ifndef ACCELSIM_FLOWCACHE_H
#define ACCELSIM_FLOWCACHE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct flowcache {
	uint32_t *tag;		/* flow + 1; 0: empty */
	double *last;		/* last packet seen */
	double *ready;		/* when the entry starts to serve */
	uint32_t size;
	double timeout;
};

void flowcache_init(struct flowcache *fc, uint32_t size, double timeout);
void flowcache_clear(struct flowcache *fc);

/* Look flow up at time now; on a miss, install it, live from now + ready.
 * Returns TRUE on a hit. */
static inline bool flowcache_lookup(struct flowcache *fc, uint32_t flow, double now, double ready)
{
	/* each traffic source numbers its flows from index x 2^24
	 * (SOURCE_FLOW_SPAN): give each source its own offset, or flow k of
	 * every source would share slot k of any table of 2^24 or fewer */
	uint32_t i = (flow + (flow >> 24) * UINT32_C(0x9e3779b1)) % fc->size;

	if (fc->tag[i] == flow + 1 && now - fc->last[i] <= fc->timeout && now >= fc->ready[i]) {
		fc->last[i] = now;
		return true;
	}
	if (fc->tag[i] != flow + 1 || now - fc->last[i] > fc->timeout) {
		fc->tag[i] = flow + 1;
		fc->ready[i] = now + ready;
	}
	fc->last[i] = now;
	return false;
}

#endif
