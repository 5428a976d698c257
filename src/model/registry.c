/* registry.c: every component kind accelsim knows, in the order `accelsim
 * help model` lists them.  A new component is one file and one line here. */
#include <string.h>

#include "model/component.h"

extern const struct component_ops null_ops, wire_ops, nic_ops, shaper_ops, vswitch_ops, vnic_ops,
	vf_ops, guest_ops, app_ops, remote_ops;

const struct component_ops *const component_registry[] = {
	&wire_ops, &nic_ops, &shaper_ops, &vswitch_ops, &vnic_ops, &vf_ops, &guest_ops, &app_ops, &remote_ops, &null_ops,
};

const size_t component_registry_len = G_N_ELEMENTS(component_registry);

const struct component_ops *component_find(const char *kind)
{
	for (size_t i = 0; i < component_registry_len; i++)
		if (!strcmp(component_registry[i]->kind, kind))
			return component_registry[i];
	return NULL;
}
