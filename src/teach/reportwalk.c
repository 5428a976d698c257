/* reportwalk.c: the report page's packet walk (see reportwalk.h).
 *
 * A point's walk: its first run's provenance gives the scenario (a file,
 * whose SHA-256 must still be the one recorded; or, for a scenario read
 * from standard input, the recorded effective configuration written out
 * as a scenario file), the model as the run named it, its --set list and
 * its seed.  The scenario is loaded again the way `run` loaded it, and
 * its effective configuration compared with the recorded one key by key;
 * a difference is said in words, never followed.  Then a child process
 * runs the engine with a follower and writes the walk's HTML
 * (anim_write_fragment) into a pipe; the parent keeps what it reads.
 */
#include "teach/reportwalk.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/effective.h"
#include "config/scenario.h"
#include "core/msg.h"
#include "engine/engine.h"
#include "pipeline/pipeline.h"
#include "plot/plot.h"
#include "report/metrics.h"
#include "teach/anim.h"
#include "teach/follow.h"

/* The recorded value of effective key key ("scenario.seed"), or NULL. */
static const char *recorded(const struct provenance *pv, const char *key)
{
	for (guint i = 0; i < pv->keys->len; i++)
		if (!strcmp(pv->keys->pdata[i], key))
			return pv->values->pdata[i];
	return NULL;
}

/* The recorded effective configuration as a scenario file, path, whose
 * sections are in the order their keys were recorded ("traffic web.rate"
 * is key rate of [traffic web]). */
static bool write_recorded(const struct provenance *pv, const char *path, GError **error)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree char *group = NULL;

	for (guint i = 0; i < pv->keys->len; i++) {
		const char *k = pv->keys->pdata[i];
		const char *dot = strrchr(k, '.');

		if (!dot)
			continue;
		if (!group || strncmp(group, k, dot - k) || group[dot - k]) {
			g_free(group);
			group = g_strndup(k, dot - k);
			g_string_append_printf(text, "%s[%s]\n", text->len ? "\n" : "", group);
		}
		g_string_append_printf(text, "%s = %s\n", dot + 1, (const char *)pv->values->pdata[i]);
	}
	return g_file_set_contents(path, text->str, (gssize)text->len, error);
}

/* Remove dir and the one file name in it. */
static void remove_scratch(const char *dir, const char *name)
{
	g_autofree char *p = g_build_filename(dir, name, NULL);

	g_unlink(p);
	g_rmdir(dir);
}

/* The first key whose value differs between e and what pv recorded (the
 * seed aside: it is set from the record), in words, or NULL when none
 * does.  Caller frees. */
static char *differs(const struct effective *e, const struct provenance *pv)
{
	g_autoptr(GHashTable) now = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < e->keys->len; i++) {
		const struct eff_key *k = e->keys->pdata[i];
		char *key = g_strdup_printf("%s.%s", k->group, k->spec->name);
		const char *was = recorded(pv, key);

		g_hash_table_insert(now, key, k->value);
		if (!strcmp(key, "scenario.seed"))
			continue;
		if (!was)
			return g_strdup_printf("%s has a value now ('%s') and had none", key, k->value);
		if (strcmp(was, k->value))
			return g_strdup_printf("%s is now '%s', was '%s'", key, k->value, was);
	}
	for (guint i = 0; i < pv->keys->len; i++)
		if (!g_hash_table_contains(now, pv->keys->pdata[i]))
			return g_strdup_printf("%s had a value ('%s') and has none now",
					       (const char *)pv->keys->pdata[i],
					       (const char *)pv->values->pdata[i]);
	return NULL;
}

/* Why the recorded configuration, written to path, does not load: msg
 * without the scratch file's name, which means nothing to a reader. */
static char *unloadable_text(const char *msg, const char *path)
{
	g_autoptr(GString) m = g_string_new(msg);

	g_string_replace(m, path, "the recorded configuration", 0);
	return g_strdup_printf("the scenario was read from standard input, and the configuration "
			       "recorded with it does not load as a scenario: %s",
			       m->str);
}

/* The scenario pv records, loaded again and checked against the record;
 * NULL and *why (a sentence without full stop) when it cannot be. */
static struct scenario *reload(const struct provenance *pv, char **why)
{
	const char *model_ref = recorded(pv, "scenario.model");
	const char *seed = recorded(pv, "scenario.seed");
	g_autoptr(GError) err = NULL;
	guint64 seed_n = 0;

	if (!pv->scenario_path || !model_ref || !seed ||
	    !g_ascii_string_to_unsigned(seed, 10, 0, G_MAXUINT32, &seed_n, NULL)) {
		*why = g_strdup("the results do not record their scenario, model and seed");
		return NULL;
	}
	const bool from_text = !strcmp(pv->scenario_path, "-");
	g_autofree char *scratch = NULL, *path = NULL;

	if (from_text) {
		/* read from standard input: its effective configuration */
		if (!(scratch = g_dir_make_tmp("accelsim-walk-XXXXXX", &err))) {
			*why = g_strdup_printf("cannot make a scratch folder: %s", err->message);
			return NULL;
		}
		path = g_build_filename(scratch, "scenario.ini", NULL);
		if (!write_recorded(pv, path, &err)) {
			*why = g_strdup_printf("cannot write the recorded configuration: %s",
					       err->message);
			remove_scratch(scratch, "scenario.ini");
			return NULL;
		}
	} else if (!g_file_test(pv->scenario_path, G_FILE_TEST_IS_REGULAR)) {
		*why = g_strdup_printf("the scenario file %s is gone", pv->scenario_path);
		return NULL;
	} else {
		path = g_strdup(pv->scenario_path);
	}

	g_autoptr(GPtrArray) args = g_ptr_array_new();
	for (guint i = 0; i < pv->sets->len; i++)
		g_ptr_array_add(args, pv->sets->pdata[i]);
	g_ptr_array_add(args, NULL);
	g_autoptr(kf) sets = NULL;
	g_autoptr(scenario) sc = NULL;
	g_autoptr(effective) e = NULL;
	g_autofree char *diff = NULL;

	/* the text holds the model's keys, as run: no model to name */
	if (pv->sets->len && !(sets = scenario_sets_from_args((char **)args->pdata, &err)))
		*why = g_strdup_printf("its --set cannot be read again: %s", err->message);
	else if (!(sc = scenario_load(path, from_text ? NULL : model_ref, sets, &err)))
		*why = from_text ? unloadable_text(err->message, path)
				 : g_strdup_printf("it cannot be loaded again: %s", err->message);
	else if (!from_text && g_strcmp0(sc->sha256, pv->scenario_sha256))
		*why = g_strdup_printf("the scenario file %s has changed since (its SHA-256 "
				       "differs from the one recorded)",
				       pv->scenario_path);
	else if (!from_text && g_strcmp0(sc->model->sha256, pv->model_sha256))
		*why = g_strdup_printf("the model file %s has changed since (its SHA-256 differs "
				       "from the one recorded)",
				       sc->model->path);
	else if (!(e = effective_new(sc, from_text ? NULL : model_ref, sets, &err)))
		*why = g_strdup_printf("its configuration cannot be read again: %s", err->message);
	else if ((diff = differs(e, pv)))
		*why = g_strdup_printf("its configuration is not the one recorded: %s", diff);
	if (scratch)
		remove_scratch(scratch, "scenario.ini");
	if (*why)
		return NULL;
	sc->seed = seed_n;
	return g_steal_pointer(&sc);
}

/* When the followed packets are born: halfway through the measured
 * time. */
static double walk_at(const struct scenario *sc)
{
	return sc->warmup_s + (sc->duration_s - sc->warmup_s) / 2;
}

/* The child's part: follow the packets, write the walk's HTML to fd.
 * Returns its exit status; on failure, the message is what it wrote. */
static int child_walk(int fd, const struct scenario *sc, unsigned packets, const char *prefix,
		      const char *title)
{
	/* halfway through the measured time: under load, queues have formed */
	const struct follow_opts fo = { .packets = packets,
					.at_s = walk_at(sc) };
	struct follow *f = follow_new(sc, &fo);
	struct engine_opts opts = {
		.tracer = follow_tracer(f),
		.stop = follow_stop_flag(f),
		.quiet_simgrid = true,
	};
	struct run_result *r = run_result_new();
	struct pipeline *pl[PATH_COUNT] = { NULL, NULL };
	GError *err = NULL;
	FILE *out = fdopen(fd, "w");
	bool ok = out && engine_run(sc, &opts, r, &err);
	int status = 1;

	for (int p = 0; p < PATH_COUNT && ok; p++)
		ok = (pl[p] = pipeline_build(sc, p, &err)) != NULL;
	if (ok) {
		anim_write_fragment(out, f, sc, (const struct pipeline *const *)pl, prefix, title);
		status = 0;
	} else if (out) {
		fputs(err ? err->message : "the simulation failed", out);
	}
	if (out && fclose(out) != 0)
		status = 1;
	else if (!out)
		close(fd);
	for (int p = 0; p < PATH_COUNT; p++)
		pipeline_free(pl[p]);
	if (err)
		g_error_free(err);
	run_result_free(r);
	follow_free(f);
	return status;
}

/* The walk's HTML, or NULL and *why. */
static char *walk(const struct scenario *sc, unsigned packets, const char *prefix,
		  const char *title, char **why)
{
	int fd[2];

	if (pipe(fd) < 0) {
		*why = g_strdup_printf("pipe: %s", g_strerror(errno));
		return NULL;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		*why = g_strdup_printf("fork: %s", g_strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fd[0]);
		/* _exit skips every cleanup: the child frees what it made */
		_exit(child_walk(fd[1], sc, packets, prefix, title));
	}
	close(fd[1]);
	g_autoptr(GString) buf = g_string_new(NULL);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			g_string_append_len(buf, chunk, n);
	close(fd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && buf->len)
		return g_string_free(g_steal_pointer(&buf), FALSE);
	*why = buf->len ? g_strdup_printf("the simulation failed: %s", buf->str)
			: g_strdup_printf("the simulation process failed (status %d)", status);
	return NULL;
}

static void esc(GString *s, const char *t)
{
	g_autofree char *e = g_markup_escape_text(t, -1);

	g_string_append(s, e);
}

/* One point's walk into s: its heading and the animation, or why not. */
static void point_walk(GString *s, const struct sweep_results *sr, const struct sweep_point *pt,
		       const char *what, const char *prefix, unsigned packets)
{
	const struct run_result *r = pt->runs->pdata[0];
	g_autofree char *where = plot_point_name(sr, pt);
	g_autofree char *title = g_strdup_printf("%s%s%s, seed %" G_GUINT64_FORMAT, what,
						 *what ? ": " : "", where, r->seed);
	g_autofree char *why = NULL;
	g_autoptr(scenario) sc = r->provenance ? reload(r->provenance, &why) : NULL;
	g_autofree char *html = NULL;

	if (!r->provenance)
		why = g_strdup("the results do not say where they came from (made by hand)");
	if (sc) {
		/* a scenario from text is named as the results name it */
		if (r->scenario && !strcmp(r->provenance->scenario_path, "-")) {
			g_free(sc->name);
			sc->name = g_strdup(r->scenario);
		}
		html = walk(sc, packets, prefix, title, &why);
	}
	if (html) {
		g_string_append(s, "<div class=\"walkcard\">");
		g_string_append(s, html);
		g_string_append(s, "</div>");
		return;
	}
	g_string_append(s, "<h3>");
	esc(s, title);
	g_string_append(s, "</h3><p class=\"warn\">Not followed: ");
	esc(s, why);
	g_string_append(s, ".  The rest of this page is read from the results and stands.</p>");
}

/* The point of sr with the lowest offered load (the first of equals). */
static const struct sweep_point *lowest_load(const struct sweep_results *sr)
{
	const struct metric *m = metric_find(&metric_path, "offered_pps");
	const struct sweep_point *best = sr->points->pdata[0];

	g_assert(m);
	for (guint i = 1; i < sr->points->len; i++) {
		const struct sweep_point *pt = sr->points->pdata[i];

		if (metric_value(m, &pt->pooled->paths[PATH_NORMAL]) <
		    metric_value(m, &best->pooled->paths[PATH_NORMAL]))
			best = pt;
	}
	return best;
}

/* The walk card: white in a dark page too, as the plots' cards; the
 * page's table colours and its phone layout do not reach into it. */
static const char style[] =
	"<style>.walkcard{background:#fff;color:#111;color-scheme:light;"
	"border:1px solid var(--line);"
	"border-radius:.5rem;padding:.6rem 1rem;margin:1rem 0 2rem;overflow-x:auto}"
	".walkcard th{background:#f2f2f2;color:#111}"
	".walkcard td,.walkcard th{border-bottom:1px solid #ccc}"
	".walkcard table{min-width:0}"
	/* on a phone: the page's sticky first column stays out of the card,
	 * and the drawing keeps a readable size and scrolls */
	"@media (max-width:700px){.walkcard td:first-child{position:static;background:#fff}"
	".walkcard th:first-child{position:static;background:#f2f2f2}"
	".walkcard svg{min-width:700px}}</style>";

char *reportwalk_section(const struct sweep_results *sr, unsigned packets)
{
	GString *s = g_string_new(NULL);
	const struct sweep_point *low = sr->points->pdata[0], *knee = NULL;

	g_assert(packets >= 1);
	if (sweep_results_is_sweep(sr)) {
		low = lowest_load(sr);
		/* past the knee: the first point whose normal path no longer
		 * carries its load */
		for (guint i = 0; i < sr->points->len && !knee; i++)
			if (!plot_point_carried(sr, sr->points->pdata[i]))
				knee = sr->points->pdata[i];
		if (knee == low)
			knee = NULL;
	}
	g_string_append(s, "<section id=\"walks\">");
	g_string_append(s, style);
	g_string_append_printf(s, "<h2>Packets, followed through both paths</h2><p class=\"lead\">"
				  "To show the paths at work, the report followed %u packet%s on "
				  "each path, born halfway through the run, in a run of its own made "
				  "from what the results record (scenario, model, settings and seed, "
				  "checked key by key): they are packets of the run reported.  ",
			       packets, packets == 1 ? "" : "s");
	if (knee)
		g_string_append(s, "Once where the load is lowest, once at the sweep's first point "
				   "past the knee, where the normal path no longer keeps up and its "
				   "queues fill.  ");
	g_string_append(s, "Press Play or move the slider; hover over a stage for each packet's "
			   "times there.</p>");
	point_walk(s, sr, low, sweep_results_is_sweep(sr) ? "At the lowest load" : "", "walk1",
		   packets);
	if (knee)
		point_walk(s, sr, knee, "Past the knee, where queues fill", "walk2", packets);
	g_string_append(s, "</section>");
	return g_string_free(s, FALSE);
}
