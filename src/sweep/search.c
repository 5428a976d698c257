/* search.c: where the normal path's drops begin (see search.h). */
#include "sweep/search.h"

#include <math.h>
#include <string.h>

#include "core/msg.h"
#include "sweep/pool.h"
#include "sweep/results.h"

/* The probe's command line: base, the rates of factor, the seed, a note
 * saying it is a probe, -q -o dir. */
static struct sweep_job *probe_job(const GPtrArray *base, const struct sweep_load *l,
				   double factor, guint64 seed, const char *dir, unsigned n)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) sets = sweep_load_sets(l, factor);
	g_autofree char *sub = g_strdup_printf("probe-%02u", n);
	g_autofree char *out = g_build_filename(dir, sub, NULL);
	g_autofree char *label = g_strdup_printf("saturation search, run %u", n);

	for (guint i = 0; i < base->len; i++)
		g_ptr_array_add(argv, g_strdup(base->pdata[i]));
	for (guint i = 0; i < sets->len; i++) {
		g_ptr_array_add(argv, g_strdup("--set"));
		g_ptr_array_add(argv, g_strdup(sets->pdata[i]));
	}
	g_ptr_array_add(argv, g_strdup("--seed"));
	g_ptr_array_add(argv, g_strdup_printf("%" G_GUINT64_FORMAT, seed));
	g_ptr_array_add(argv, g_strdup("--note"));
	g_ptr_array_add(argv, g_strdup_printf(SWEEP_NOTE_PROBE "=load factor %.10g", factor));
	g_ptr_array_add(argv, g_strdup("-q"));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup(out));
	g_ptr_array_add(argv, NULL);
	return sweep_job_new((const char *const *)argv->pdata, out, label);
}

/* Did the probe in dir drop more than its share on the normal path? */
static bool probe_drops(const char *dir, bool *drops, GError **error)
{
	g_autofree char *file = g_build_filename(dir, "result.ini", NULL);
	g_autoptr(GKeyFile) k = g_key_file_new();
	g_autoptr(run_result) r = run_result_new();

	if (!g_key_file_load_from_file(k, file, G_KEY_FILE_NONE, error) ||
	    !run_result_from_keyfile(k, r, error))
		return false;
	const struct path_result *p = &r->paths[PATH_NORMAL];
	*drops = (double)p->dropped_packets > SWEEP_DROP_SHARE * (double)p->offered_packets;
	return true;
}

/* The loads of the next round: beyond the bracket while it is open, else
 * evenly spread (geometrically) inside it. */
static void next_round(double lo, double hi, double guess, unsigned jobs, double *f)
{
	for (unsigned i = 0; i < jobs; i++) {
		if (lo == 0 && isinf(hi))
			f[i] = guess * pow(2, i);
		else if (isinf(hi))
			f[i] = lo * pow(2, i + 1);
		else if (lo == 0)
			f[i] = hi / pow(2, i + 1);
		else
			f[i] = lo * pow(hi / lo, (i + 1.0) / (jobs + 1.0));
	}
}

bool sweep_find_saturation(const GPtrArray *base, const struct sweep_load *l, double guess,
			   guint64 seed, const char *dir, unsigned jobs, bool progress,
			   struct sweep_saturation *out, bool *interrupted, GError **error)
{
	double lo = 0, hi = INFINITY;
	const double far = 4096;	/* 2^12 either way of the guess */
	unsigned n = 0;

	*interrupted = false;
	if (!(guess > 0) || !isfinite(guess))
		guess = 1;
	jobs = MAX(jobs, 1u);
	while (lo == 0 || isinf(hi) || hi / lo > SWEEP_SATURATION_PRECISION) {
		g_autofree double *f = g_new(double, jobs);
		g_autoptr(GPtrArray) js = g_ptr_array_new_with_free_func((GDestroyNotify)sweep_job_free);
		const struct sweep_pool_opts po = { .jobs = jobs, .progress = progress,
						    .what = "saturation runs" };

		if (lo > guess * far || hi < guess / far) {
			g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT,
				    "--load: cannot find where the normal path's drops begin: it %s "
				    "(runs in %s); give the load as absolute rates instead",
				    lo > 0 ? "never drops, even at 4096 times the capacity formula's load"
					   : "drops even at 1/4096 of the capacity formula's load",
				    dir);
			return false;
		}
		next_round(lo, hi, guess, jobs, f);
		for (unsigned i = 0; i < jobs; i++)
			g_ptr_array_add(js, probe_job(base, l, f[i], seed, dir, ++n));
		g_autofree bool *drops = g_new0(bool, jobs);

		if ((*interrupted = sweep_pool_run(js, &po)))
			return false;
		for (unsigned i = 0; i < jobs; i++) {
			const struct sweep_job *j = js->pdata[i];

			if (j->state != JOB_DONE) {
				g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
					    "saturation search: the run at load factor %.4g failed: %s",
					    f[i], j->error ? j->error : "no result");
				return false;
			}
			if (!probe_drops(j->dir, &drops[i], error))
				return false;
			if (drops[i])
				hi = MIN(hi, f[i]);
		}
		/* the highest load without drops below the lowest with them */
		for (unsigned i = 0; i < jobs; i++)
			if (!drops[i] && f[i] < hi)
				lo = MAX(lo, f[i]);
	}
	out->lo = lo;
	out->hi = hi;
	out->factor = sqrt(lo * hi);
	out->pps = out->factor * l->base_pps;
	out->runs = n;
	return true;
}
