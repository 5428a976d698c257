/* nft.h: the "vSwitch policy" of the emulated normal path, as nftables
 * rules on the bridge's forward hook inside the host namespace.
 *
 * The rules are loaded by the nft binary (see docs/real-mode.md for why not
 * libnftables), found by absolute path (never through $PATH), run with its
 * network namespace switched to the host namespace before exec, so they
 * exist only there and vanish with it, and killed if accelsim dies first.
 */
#ifndef ACCELSIM_REAL_NFT_H
#define ACCELSIM_REAL_NFT_H

#include <glib.h>
#include <stdbool.h>

#define NFT_MAX_RULES 100000

/* The ruleset text: a bridge table whose forward chain holds n rules that
 * every packet is tested against and none matches (destinations in
 * 198.19.0.0/16, never used), then policy accept.  The caller frees it. */
char *nft_vswitch_ruleset(int n);

/* Load nft_vswitch_ruleset(n) into namespace ns_fd.  ACCELSIM_ERROR_UNSUPPORTED
 * when there is no usable nft in /usr/sbin or /sbin, RUNTIME when nft fails
 * (its stderr quoted). */
bool nft_load_vswitch_rules(int ns_fd, int n, GError **error);

#endif
