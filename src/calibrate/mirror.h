/* mirror.h: a scenario that mirrors a real-mode measurement, so that
 * `accelsim run` on it predicts the measured figures with a model of the
 * stand-in (models/netns-standin.ini, or one `real calibrate` wrote).
 *
 * The traffic follows what real mode sent (docs/validation.md):
 *   - round trip (a ping-pong): request/response with an external client,
 *     one request at a time, frames of the payload plus 46 bytes; the
 *     simulated VM gets two vCPUs because the engine cannot yet combine a
 *     loop with shared cores, which one request at a time never contends
 *     for anyway;
 *   - stream (a paced --rate run): the same bursts replayed from a trace
 *     written beside the scenario (FILE.trace.csv): `batch` frames at each
 *     departure time, batch / rate apart, as sendmmsg() sent them;
 *   - saturation (the windowed flood): a constant stream well above what
 *     the paths carry, whose delivered rate is the model's saturation.
 * A run with N nftables rules sets vswitch.cycles_per_packet to the
 * model's fitted base plus N times its fitted vswitch.rule_cycles (the
 * model file's header, modelfile.h); a model without them cannot mirror
 * a run with rules.
 */
#ifndef ACCELSIM_CALIBRATE_MIRROR_H
#define ACCELSIM_CALIBRATE_MIRROR_H

#include <glib.h>
#include <stdbool.h>

#include "calibrate/measurement.h"

enum mirror_kind {
	MIRROR_ROUND_TRIP,
	MIRROR_STREAM,
	MIRROR_SATURATION,
};

/* Write the scenario mirroring a measurement under c to path (and, for a
 * stream, its trace beside it), naming model (a shipped model's name or a
 * path; a relative path is written absolute).  rate_pps is the stream's
 * rate or the saturation run's offered rate (ignored for a round trip).
 * ACCELSIM_ERROR_INPUT when the model cannot mirror c (rules without a
 * fitted per-rule cost), RUNTIME when a file cannot be written. */
bool mirror_write(const char *path, const char *model, const struct conditions *c,
		  enum mirror_kind kind, double rate_pps, GError **error);

/* The kind that mirrors a measurement with conditions c: a stream for a
 * one-way (paced) run, a round trip otherwise. */
enum mirror_kind mirror_kind_of(const struct conditions *c);

#endif
