/* calibration.h: the calibration targets of ../shared/reference/anchors.md,
 * evaluated against fresh simulations.
 *
 * Shared by bench/calibration.c (`make calibration-report`: full-length
 * runs, the table in docs/calibration.md) and tests/test_calibration.c
 * (`make check`: shorter runs, fails when a figure leaves its band). */
#ifndef ACCELSIM_CALIBRATION_H
#define ACCELSIM_CALIBRATION_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

struct calib_row {
	char *id;		/* "1", "3b" */
	char *what;		/* "accelerated, VM-to-VM latency, mean" */
	char *source;		/* "anchors §1 row 5 (AccelNet §7)" */
	char *model;		/* "default" or "kvm-ovs" */
	double want;		/* the target */
	double lo, hi;		/* the acceptable band */
	double got;		/* what the model gives */
	char *unit;
	char *command;		/* the one command that reproduces it */
	bool pass;
};

/* Which targets to evaluate: all, the AccelNet ones of the default model
 * (and the VM sizes), or the software switch's (the KVM + OVS models). */
enum calib_group {
	CALIB_ALL,
	CALIB_ACCELNET,
	CALIB_OVS,
};

/* Run the calibration scenarios of group and evaluate their targets.
 * quick runs shorter simulations (for make check).  Returns an array of
 * struct calib_row (free with g_array_unref), NULL and error if a run
 * failed. */
GArray *calibration_run(bool quick, enum calib_group group, GError **error);

/* Print rows as the Markdown table of docs/calibration.md. */
void calibration_print(FILE *f, const GArray *rows);

#endif
