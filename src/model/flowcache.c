/* flowcache.c: allocation of the flow table (see flowcache.h). */
#include "model/flowcache.h"

void flowcache_init(struct flowcache *fc, uint32_t size, double timeout)
{
	fc->size = size ? size : 1;
	fc->tag = g_new0(uint32_t, fc->size);
	fc->last = g_new0(double, fc->size);
	fc->ready = g_new0(double, fc->size);
	fc->timeout = timeout;
}

void flowcache_clear(struct flowcache *fc)
{
	g_clear_pointer(&fc->tag, g_free);
	g_clear_pointer(&fc->last, g_free);
	g_clear_pointer(&fc->ready, g_free);
}
