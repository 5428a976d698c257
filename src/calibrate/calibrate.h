/* calibrate.h: `accelsim real calibrate` and `accelsim real validate`.
 *
 * Both drive real mode and the simulator as programs: measurements are
 * `accelsim real measure ... -o DIR`, predictions `accelsim run MIRROR -o
 * DIR` (this very binary, /proc/self/exe), and both are read back as
 * result files.  So calibration never links real mode's internals, real
 * mode never sees the model it is checked against, every figure fitted or
 * compared is a file a user can open (--keep), and a prediction is exactly
 * what `accelsim run` gives on the mirroring scenario.  Why not
 * engine_run_forked(): it would save a process start per simulation (a few
 * milliseconds against a quarter-second simulation) and lose that last
 * property.  docs/validation.md has the conditions, the fit and a run.
 */
#ifndef ACCELSIM_CALIBRATE_H
#define ACCELSIM_CALIBRATE_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

/* Where to measure: the emulated paths, or hardware interfaces. */
struct calib_target {
	bool emulate;
	const char *vf, *via, *peer;
};

struct calibrate_opts {
	struct calib_target target;
	const char *out;	/* model file to write */
	const char *keep;	/* keep the measurements here; NULL: a temporary
				 * directory, removed at the end */
	bool quick;		/* shorter measurements (tests): less precise */
};

/* Measure, fit and write o->out (and its wake-up table beside it); the
 * fitted values are printed to out.  ACCELSIM_ERROR_INPUT for bad options,
 * UNSUPPORTED where real mode cannot run here, RUNTIME when a measurement
 * or a write fails or a signal stops it. */
bool real_calibrate(const struct calibrate_opts *o, FILE *out, GError **error);

/* Figures validation compares; each can have a threshold. */
enum vfig { VFIG_P50, VFIG_P99, VFIG_JITTER, VFIG_SATURATION, VFIG_CPU, VFIG_COUNT };

extern const char *const vfig_names[VFIG_COUNT];	/* "p50", ..., "cpu" */

struct validate_opts {
	struct calib_target target;
	const char *model;	/* model file or shipped name */
	const char *plot_dir;	/* NULL: no plots */
	const char *keep;	/* as for calibrate */
	double max_error[VFIG_COUNT]; /* relative; <= 0: reported, not judged */
	bool quick;
};

/* The defaults: 15 % on p50 and saturation pps, 30 % on p99, jitter and
 * CPU per packet reported without a threshold. */
void validate_opts_init(struct validate_opts *o);

/* Parse --max-error: "20%" for every judged figure, or "FIGURE=PCT"
 * (p50, p99, jitter, saturation, cpu; "off" to only report). */
bool validate_parse_max_error(struct validate_opts *o, const char *text, GError **error);

/* Measure at conditions calibration does not use, simulate their mirrors,
 * print predicted vs measured with relative errors and the verdict to out;
 * *passed says whether every judged figure was within its threshold.
 * Errors as real_calibrate(). */
bool real_validate(const struct validate_opts *o, FILE *out, bool *passed, GError **error);

#endif
