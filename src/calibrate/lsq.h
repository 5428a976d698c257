/* lsq.h: linear least squares with standard errors, for calibration.
 *
 * Solves min ||W^(1/2) (X b - y)|| for b, X being n rows by p columns
 * (n > p), by Householder QR of the weighted system: numerically sound
 * where the normal equations square the condition number, and small
 * enough to keep here rather than add a library (GSL is not in the stack).
 * The calibration model is linear in its parameters (cycles per packet,
 * per byte, per rule...), so no iterative optimiser is needed.
 *
 * Standard errors are the usual ones: sigma^2 (X'WX)^-1 with sigma^2 the
 * weighted residual sum of squares over n - p.
 */
#ifndef ACCELSIM_LSQ_H
#define ACCELSIM_LSQ_H

#include <glib.h>
#include <stdbool.h>

#define LSQ_MAX_PARAMS 8

struct lsq_fit {
	int p;				/* parameters */
	int n;				/* observations */
	double b[LSQ_MAX_PARAMS];	/* estimates */
	double se[LSQ_MAX_PARAMS];	/* standard errors (0 when n == p) */
	double rss;			/* weighted residual sum of squares */
	double rms;			/* unweighted root-mean-square residual */
};

/* A system being built: rows added one at a time. */
struct lsq {
	int p;
	GArray *x;	/* doubles, row-major, p per row */
	GArray *y;
	GArray *w;
};

void lsq_init(struct lsq *s, int p);
void lsq_clear(struct lsq *s);

/* Add an observation y = x . b with weight w (> 0; 1/variance when known). */
void lsq_add(struct lsq *s, const double *x, double y, double w);

/* Fit.  FALSE and an ACCELSIM_ERROR_INPUT error when there are fewer
 * observations than parameters or the columns are linearly dependent
 * (a parameter the measurements cannot tell apart from the others). */
bool lsq_solve(const struct lsq *s, struct lsq_fit *out, GError **error);

#endif
