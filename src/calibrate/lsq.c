/* lsq.c: Householder QR least squares (see lsq.h). */
#include "calibrate/lsq.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"

void lsq_init(struct lsq *s, int p)
{
	g_assert(p > 0 && p <= LSQ_MAX_PARAMS);
	s->p = p;
	s->x = g_array_new(FALSE, FALSE, sizeof(double));
	s->y = g_array_new(FALSE, FALSE, sizeof(double));
	s->w = g_array_new(FALSE, FALSE, sizeof(double));
}

void lsq_clear(struct lsq *s)
{
	g_array_unref(s->x);
	g_array_unref(s->y);
	g_array_unref(s->w);
}

void lsq_add(struct lsq *s, const double *x, double y, double w)
{
	g_assert(w > 0);
	g_array_append_vals(s->x, x, (guint)s->p);
	g_array_append_val(s->y, y);
	g_array_append_val(s->w, w);
}

bool lsq_solve(const struct lsq *s, struct lsq_fit *out, GError **error)
{
	const int n = (int)s->y->len, p = s->p;
	g_autofree double *a = NULL, *y = NULL;
	double r_inv[LSQ_MAX_PARAMS][LSQ_MAX_PARAMS] = { { 0 } };
	double scale = 0;

	memset(out, 0, sizeof(*out));
	out->p = p;
	out->n = n;
	if (n < p) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
			    "least squares: %d observations for %d parameters", n, p);
		return false;
	}
	/* the weighted system, column-major for the reflections */
	a = g_new(double, (gsize)n * p);
	y = g_new(double, n);
	for (int i = 0; i < n; i++) {
		double sw = sqrt(g_array_index(s->w, double, i));

		for (int j = 0; j < p; j++)
			a[j * n + i] = sw * g_array_index(s->x, double, i * p + j);
		y[i] = sw * g_array_index(s->y, double, i);
	}
	for (int j = 0; j < p; j++)
		for (int i = 0; i < n; i++)
			scale = MAX(scale, fabs(a[j * n + i]));

	/* Householder: column k is reflected onto e_k, the same to y */
	for (int k = 0; k < p; k++) {
		double *col = a + k * n, norm = 0, alpha, vtv = 0;

		for (int i = k; i < n; i++)
			norm += col[i] * col[i];
		norm = sqrt(norm);
		if (norm <= 1e-12 * scale) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "least squares: parameter %d cannot be told apart from the "
				    "others with these measurements", k + 1);
			return false;
		}
		alpha = col[k] > 0 ? -norm : norm;
		col[k] -= alpha;	/* v = x - alpha e_k, kept in col[k..] */
		for (int i = k; i < n; i++)
			vtv += col[i] * col[i];
		for (int j = k + 1; j < p; j++) {
			double *cj = a + j * n, d = 0;

			for (int i = k; i < n; i++)
				d += col[i] * cj[i];
			d = 2 * d / vtv;
			for (int i = k; i < n; i++)
				cj[i] -= d * col[i];
		}
		double d = 0;
		for (int i = k; i < n; i++)
			d += col[i] * y[i];
		d = 2 * d / vtv;
		for (int i = k; i < n; i++)
			y[i] -= d * col[i];
		col[k] = alpha;	/* R's diagonal; v is no longer needed */
	}
	/* back substitution: R b = (Q'y)[0..p) */
	for (int k = p - 1; k >= 0; k--) {
		double v = y[k];

		for (int j = k + 1; j < p; j++)
			v -= a[j * n + k] * out->b[j];
		out->b[k] = v / a[k * n + k];
	}
	for (int i = p; i < n; i++)
		out->rss += y[i] * y[i];
	/* (X'WX)^-1 = R^-1 R^-T */
	for (int c = 0; c < p; c++) {
		for (int k = p - 1; k >= 0; k--) {
			double v = k == c ? 1 : 0;

			for (int j = k + 1; j < p; j++)
				v -= a[j * n + k] * r_inv[j][c];
			r_inv[k][c] = v / a[k * n + k];
		}
	}
	double sigma2 = n > p ? out->rss / (n - p) : 0;
	for (int j = 0; j < p; j++) {
		double v = 0;

		for (int c = 0; c < p; c++)
			v += r_inv[j][c] * r_inv[j][c];
		out->se[j] = sqrt(sigma2 * v);
	}
	double ss = 0;
	for (int i = 0; i < n; i++) {
		double pred = 0;

		for (int j = 0; j < p; j++)
			pred += g_array_index(s->x, double, i * p + j) * out->b[j];
		ss += (pred - g_array_index(s->y, double, i)) *
		      (pred - g_array_index(s->y, double, i));
	}
	out->rms = sqrt(ss / n);
	return true;
}
