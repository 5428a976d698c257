/* test_teach.c: workshop mode: trace, its animation and Mermaid diagrams,
 * explain, run --brief, hypothetical paths and the VM size table.
 *
 * Two kinds of test.  In-process ones fork a child that runs the engine
 * with a follower (one simulation per process) and checks its records
 * there, sending any failure back as text: a followed packet's stage
 * times add up to its latency, its stages are its route's, a drop and a
 * diversion are recorded where they happen.  The others run the built
 * binary, as a user does, and check what it prints: 80 columns, parts
 * that add up as printed, colour only on a terminal, diagrams that the
 * real Mermaid renderer and a real browser accept, the VM --vm names on
 * a host of several.  Figures are never pinned: the checks are relations
 * and sums.  The renderers take half a minute: `test_teach --slow`, in
 * make check-slow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pty.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/model.h"
#include "config/scenario.h"
#include "engine/engine.h"
#include "model/component.h"
#include "pipeline/pipeline.h"
#include "report/result.h"
#include "teach/follow.h"
#include "teach/tracetext.h"
#include "testutil.h"

static char *scratch;


/* ---- running the binary ---- */

/* Run accelsim with args in the scratch directory, with the variables of
 * setenv ("K=V", NULL-terminated, or NULL) set and NO_COLOR unset unless
 * given; its exit status. */
static int run_env(const char *const *args, const char *const *setenv_, char **out, char **err)
{
	g_autofree char *bin = tu_bin();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GError) e = NULL;

	g_ptr_array_add(argv, bin);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	g_subprocess_launcher_set_cwd(l, scratch);
	g_subprocess_launcher_unsetenv(l, "NO_COLOR");
	for (const char *const *v = setenv_; v && *v; v++) {
		g_auto(GStrv) kv = g_strsplit(*v, "=", 2);

		g_subprocess_launcher_setenv(l, kv[0], kv[1], TRUE);
	}
	g_autoptr(GSubprocess) p =
		g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &e);
	if (!p || !g_subprocess_communicate_utf8(p, NULL, NULL, out, err, &e))
		fail_msg("cannot run %s: %s", bin, e->message);
	assert_true(g_subprocess_get_if_exited(p));
	return g_subprocess_get_exit_status(p);
}

static int run(const char *const *args, char **out, char **err)
{
	return run_env(args, NULL, out, err);
}

/* Run accelsim on a pseudo-terminal, TERM=xterm, NO_COLOR as no_color
 * says (NULL: unset); what it wrote. */
static char *run_pty(const char *const *args, const char *no_color)
{
	g_autofree char *bin = tu_bin();
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	if (pid < 0)
		fail_msg("forkpty: %s", g_strerror(errno));
	if (pid == 0) {
		g_autoptr(GPtrArray) argv = g_ptr_array_new();

		g_ptr_array_add(argv, bin);
		for (const char *const *a = args; *a; a++)
			g_ptr_array_add(argv, (char *)*a);
		g_ptr_array_add(argv, NULL);
		if (chdir(scratch) != 0)
			_exit(127);
		g_setenv("TERM", "xterm", TRUE);
		if (no_color)
			g_setenv("NO_COLOR", no_color, TRUE);
		else
			g_unsetenv("NO_COLOR");
		execv(bin, (char **)argv->pdata);
		_exit(127);
	}
	GString *out = g_string_new(NULL);
	char buf[4096];
	ssize_t n;
	int status;

	/* the terminal reports EIO once the child has closed its side */
	while ((n = read(master, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			g_string_append_len(out, buf, n);
	close(master);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s on a terminal: exit %d\n%s", args[0], WEXITSTATUS(status), out->str);
	return g_string_free(out, FALSE);
}

/* Every line of text is at most width characters (UTF-8 ones counted
 * as one) and holds no escape; what names the output. */
static void assert_plain_within(const char *text, int width, const char *what)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	if (strchr(text, '\033'))
		fail_msg("%s: escape codes in plain output", what);
	for (char **l = lines; *l; l++)
		if (g_utf8_strlen(*l, -1) > width)
			fail_msg("%s: a line of %ld characters (at most %d):\n%s", what,
				 g_utf8_strlen(*l, -1), width, *l);
}

/* ---- the follower, in a child process ---- */

/* What a check sees, in the child after the run. */
struct traced {
	const struct scenario *s;
	const struct follow *f;
	const struct run_result *r;
	struct pipeline *pl[PATH_COUNT];
	GString *fail;		/* one line per failure */
};

typedef void (*trace_check)(struct traced *t);

static void failf(struct traced *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void failf(struct traced *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_string_append_vprintf(t->fail, fmt, ap);
	va_end(ap);
	g_string_append_c(t->fail, '\n');
}

/* Run scenario name (with sets) following packets as fo says, in a child,
 * and check what was followed there; fail the test with what the check
 * found wrong. */
static void traced_run(const char *name, const char *const *sets, const struct follow_opts *fo,
		       trace_check check)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct traced t = { .fail = g_string_new(NULL) };
		GError *err = NULL;
		struct kf *k = sets ? scenario_sets_from_args((char **)sets, &err) : NULL;
		struct scenario *s = scenario_load(name, NULL, k, &err);
		struct follow *f = NULL;
		struct run_result *r = NULL;
		int rc = 0;

		close(fds[0]);
		if (!s) {
			failf(&t, "%s: %s", name, err->message);
		} else {
			struct engine_opts o = { .quiet_simgrid = true };

			f = follow_new(s, fo);
			o.tracer = follow_tracer(f);
			o.stop = follow_stop_flag(f);
			r = run_result_new();
			if (!engine_run(s, &o, r, &err)) {
				failf(&t, "%s: %s", name, err->message);
			} else {
				t.s = s;
				t.f = f;
				t.r = r;
				for (int p = 0; p < PATH_COUNT; p++)
					t.pl[p] = pipeline_build(s, p, NULL);
				check(&t);
			}
		}
		if (write(fds[1], t.fail->str, t.fail->len) != (ssize_t)t.fail->len)
			rc = 2;
		/* everything freed: a memory checker sees the child's leaks too */
		for (int p = 0; p < PATH_COUNT; p++)
			pipeline_free(t.pl[p]);
		if (r)
			run_result_free(r);
		follow_free(f);
		scenario_free(s);
		if (k)
			kf_free(k);
		g_clear_error(&err);
		g_string_free(t.fail, TRUE);
		close(fds[1]);
		_exit(rc);
	}
	close(fds[1]);
	GString *msg = g_string_new(NULL);
	char buf[1024];
	ssize_t n;
	int status;

	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		g_string_append_len(msg, buf, n);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s: the traced run ended abnormally (status %d): %s", name, status, msg->str);
	if (msg->len)
		fail_msg("%s:\n%s", name, msg->str);
	g_string_free(msg, TRUE);
}

/* For each followed packet delivered: its stages hand it on without a
 * gap (a stage's end + delay is the next one's arrival), its counted
 * parts add up to its latency, and so do its printed parts. */
static void check_sums(struct traced *t)
{
	unsigned delivered = 0;

	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned i = 0; i < follow_count(t->f, p); i++) {
			const struct follow_pkt *fp = follow_get(t->f, p, i);
			double sum = 0, handed = NAN;
			long long ticks = 0;

			if (fp->fate != FOLLOW_DELIVERED)
				continue;
			delivered++;
			for (guint k = 0; k < fp->steps->len; k++) {
				const struct follow_step *st =
					&g_array_index(fp->steps, struct follow_step, k);
				const double o = follow_t0(fp);
				struct follow_parts x;

				if (st->kind != FOLLOW_STAGE)
					continue;
				if (!isnan(handed) && st->arrive != handed)
					failf(t, "%s packet %u: reaches %s at %a, handed on at %a",
					      path_name(p), i, st->stage, st->arrive, handed);
				handed = st->end + st->delay;
				follow_counted_parts(fp, st, &x);
				sum += x.queue + x.wake + x.service + x.delay;
				/* the printed parts: differences of rounded instants */
				const double edge[5] = { st->arrive, st->ready, st->start, st->end,
							 st->end + st->delay };
				for (int e = 0; e < 4; e++) {
					double a = MAX(edge[e], o), b = MIN(edge[e + 1], fp->done);

					if (b > a)
						ticks += trace_ticks(b, o) - trace_ticks(a, o);
				}
			}
			if (fabs(sum - fp->latency) > 1e-9 * fp->latency)
				failf(t, "%s packet %u: parts add up to %.9g s, latency %.9g s",
				      path_name(p), i, sum, fp->latency);
			if (ticks != trace_ticks(fp->done, follow_t0(fp)))
				failf(t, "%s packet %u: printed parts add up to %lld, latency %lld (10 ns)",
				      path_name(p), i, ticks, trace_ticks(fp->done, follow_t0(fp)));
		}
	if (delivered < 2)
		failf(t, "only %u followed packets delivered", delivered);
}

static void test_trace_parts_add_up_to_each_latency(void **state)
{
	const struct follow_opts fo = { .packets = 25, .at_s = 0.01 };
	const struct follow_opts late = { .packets = 25, .at_s = 0.05 };
	const struct follow_opts flow = { .packets = 5, .flow = true };

	traced_run("quickstart", NULL, &fo, check_sums);
	/* under load: queues and batches */
	traced_run("quickstart", ARGS("traffic.rate=800kpps"), &late, check_sums);
	traced_run("web-server", ARGS("scenario.duration=300ms"), &fo, check_sums);
	traced_run("web-server", ARGS("scenario.duration=300ms"), &flow, check_sums);
	traced_run("calibration/vm-latency", ARGS("scenario.duration=300ms"), &fo, check_sums);
	traced_run("trading", ARGS("scenario.duration=300ms"), &fo, check_sums);
	traced_run("calibration/first-packet", ARGS("scenario.duration=300ms"), &fo, check_sums);
	/* the vSwitch's cores shared with other work: its stage in exact mode */
	g_autofree char *shared = g_build_filename(ABS_TOP_SRCDIR, "bench", "shared-core.ini", NULL);
	traced_run(shared, NULL, &late, check_sums);
}

/* The stages a packet left, in order, are the hops of the route its
 * source starts on (and, on request/response, of its response's route),
 * or, after a diversion, those of the route it was diverted to from the
 * hop after the diverting stage. */
static void check_routes(struct traced *t)
{
	unsigned checked = 0;

	for (int p = 0; p < PATH_COUNT; p++) {
		const struct pipeline *pl = t->pl[p];
		const struct traffic_spec *ts = &g_array_index(t->s->traffic, struct traffic_spec, 0);
		const int start = pipeline_route(pl, traffic_route_kind(ts));

		for (unsigned i = 0; i < follow_count(t->f, p); i++) {
			const struct follow_pkt *fp = follow_get(t->f, p, i);
			const struct route *r = pl->routes->pdata[start];
			unsigned h = 0;

			if (fp->fate != FOLLOW_DELIVERED)
				continue;
			for (guint k = 0; k < fp->steps->len; k++) {
				const struct follow_step *st =
					&g_array_index(fp->steps, struct follow_step, k);

				if (st->kind == FOLLOW_DIVERT) {
					/* continue on the route it names, after this stage */
					const struct hop *hp = &r->hops[h - 1];

					if (hp->alt_route < 0 ||
					    strcmp(((struct route *)pl->routes->pdata[hp->alt_route])->name,
						   st->to_route))
						failf(t, "%s packet %u: diverted to %s at %s, a hop "
						      "that diverts to no such route",
						      path_name(p), i, st->to_route, st->stage);
					else {
						h = hp->alt_hop;
						r = pl->routes->pdata[hp->alt_route];
					}
					continue;
				}
				if (st->kind == FOLLOW_RESPOND) {
					r = pl->routes->pdata[r->next_route];
					h = 0;
					continue;
				}
				if (st->kind != FOLLOW_STAGE)
					continue;
				const char *want = h < r->n ? ((struct stage *)pl->stages->pdata[
								      r->hops[h].stage])->name
							    : "(the route's end)";

				if (strcmp(st->stage, want))
					failf(t, "%s packet %u, step %u: left %s, route %s's hop %u is %s",
					      path_name(p), i, k, st->stage, r->name, h, want);
				h++;
			}
			if (h != r->n)
				failf(t, "%s packet %u: %u of route %s's %u hops", path_name(p), i, h,
				      r->name, r->n);
			checked++;
		}
	}
	if (checked < 4)
		failf(t, "only %u packets checked", checked);
}

static void test_trace_stages_are_the_route_s(void **state)
{
	const struct follow_opts fo = { .packets = 10, .at_s = 0.01 };
	const struct follow_opts flow = { .packets = 3, .flow = true };

	traced_run("quickstart", NULL, &fo, check_routes);
	traced_run("web-server", ARGS("scenario.duration=300ms"), &flow, check_routes);
	traced_run("calibration/vm-latency", ARGS("scenario.duration=300ms"), &fo, check_routes);
	traced_run("calibration/first-packet", ARGS("scenario.duration=300ms"), &fo, check_routes);
}

/* A ring of 4 at 3 Mpps: some followed packet is dropped, and its record
 * ends with the drop, at the instant it reached the stage that refused it. */
static void check_drop(struct traced *t)
{
	unsigned drops = 0;

	for (unsigned i = 0; i < follow_count(t->f, PATH_NORMAL); i++) {
		const struct follow_pkt *fp = follow_get(t->f, PATH_NORMAL, i);
		const struct follow_step *last =
			fp->steps->len ? &g_array_index(fp->steps, struct follow_step,
							fp->steps->len - 1) : NULL;

		if (fp->fate != FOLLOW_DROPPED)
			continue;
		drops++;
		if (!last || last->kind != FOLLOW_DROP)
			failf(t, "packet %u dropped, but its last step is %s at %s", i,
			      last ? "not a drop" : "missing", last ? last->stage : "-");
		else if (last->arrive != fp->done)
			failf(t, "packet %u dropped at %a, its drop step at %a", i, fp->done,
			      last->arrive);
	}
	if (!drops)
		failf(t, "none of the %u followed packets was dropped",
		      follow_count(t->f, PATH_NORMAL));
}

static void test_trace_records_a_forced_drop(void **state)
{
	const struct follow_opts fo = { .packets = 20, .at_s = 0.05 };

	traced_run("quickstart", ARGS("traffic.rate=3Mpps", "nic.rx_ring=4", "scenario.duration=80ms"),
		   &fo, check_drop);
}

/* Every packet of first-packet opens a flow: on the accelerated path the
 * VF diverts it to the vSwitch, on the normal path nothing does. */
static void check_divert(struct traced *t)
{
	for (int p = 0; p < PATH_COUNT; p++)
		for (unsigned i = 0; i < follow_count(t->f, p); i++) {
			const struct follow_pkt *fp = follow_get(t->f, p, i);
			const struct follow_step *div = NULL;

			for (guint k = 0; k < fp->steps->len; k++)
				if (g_array_index(fp->steps, struct follow_step, k).kind == FOLLOW_DIVERT)
					div = &g_array_index(fp->steps, struct follow_step, k);
			if (p == PATH_NORMAL && div)
				failf(t, "normal packet %u diverted at %s", i, div->stage);
			if (p == PATH_ACCEL && (!div || strcmp(div->stage, "vf")))
				failf(t, "accelerated packet %u not diverted at the VF", i);
			if (p == PATH_ACCEL && div &&
			    strcmp(trace_divert_reason(t->s, fp, div),
				   "a new flow, the NIC has no entry for it yet"))
				failf(t, "accelerated packet %u: diverted because '%s'", i,
				      trace_divert_reason(t->s, fp, div));
		}
}

static void test_trace_records_a_new_flow_s_diversion(void **state)
{
	const struct follow_opts fo = { .packets = 3, .at_s = 0.2 };

	traced_run("calibration/first-packet", ARGS("scenario.duration=2s"), &fo, check_divert);
}

/* --flow: the first packet followed opens its flow, the others are of
 * the same flow and born after it. */
static void check_flow(struct traced *t)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		if (follow_count(t->f, p) < 2) {
			failf(t, "%s: %u packets followed", path_name(p), follow_count(t->f, p));
			continue;
		}
		const struct follow_pkt *first = follow_get(t->f, p, 0);

		if (!(first->flags & PKT_FIRST))
			failf(t, "%s: the first packet does not open its flow", path_name(p));
		for (unsigned i = 1; i < follow_count(t->f, p); i++) {
			const struct follow_pkt *fp = follow_get(t->f, p, i);

			if (fp->flow != first->flow || fp->born < first->born)
				failf(t, "%s packet %u: flow %u born %g, first: flow %u born %g",
				      path_name(p), i, fp->flow, fp->born, first->flow, first->born);
		}
	}
}

static void test_trace_flow_follows_one_new_flow(void **state)
{
	const struct follow_opts fo = { .packets = 3, .flow = true, .at_s = 0.05 };

	traced_run("quickstart", ARGS("traffic.flow_size=constant(20)"), &fo, check_flow);
	traced_run("web-server", ARGS("scenario.duration=400ms"), &fo, check_flow);
}

/* The follower stops the run once its packets are done: a 200 s
 * scenario ends early, marked partial. */
static void check_stopped(struct traced *t)
{
	if (!t->r->partial)
		failf(t, "the run went on to its end");
	for (int p = 0; p < PATH_COUNT; p++)
		if (follow_count(t->f, p) != 2)
			failf(t, "%s: %u packets followed, 2 asked", path_name(p),
			      follow_count(t->f, p));
}

static void test_trace_stops_the_run_when_its_packets_are_done(void **state)
{
	const struct follow_opts fo = { .packets = 2, .at_s = 1 };

	traced_run("calibration/vm-latency", NULL, &fo, check_stopped);
}

/* ---- the trace as printed ---- */

/* ticks (10 ns) of a printed figure: "12.34" -> 1234, "-" -> 0; -1 for
 * "(x)", a part outside the latency. */
static long long printed_ticks(const char *s)
{
	if (!strcmp(s, "-"))
		return 0;
	if (s[0] == '(')
		return -1;
	g_autofree char *digits = g_strdup(s);
	char *dot = strchr(digits, '.');

	if (!dot || strlen(dot) != 3)
		fail_msg("'%s' is not a figure to 10 ns", s);
	memmove(dot, dot + 1, strlen(dot));
	return g_ascii_strtoll(digits, NULL, 10);
}

/* Each path table of a trace: the parts of its stage rows add up, column
 * by column, to its total row, and the total's first figure is their sum;
 * and that total is the packet's latency as the side-by-side summary
 * prints it (computed there from the delivery alone).  Returns the tables
 * checked. */
static unsigned check_printed_sums(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GArray) totals = g_array_new(FALSE, FALSE, sizeof(long long));
	long long col[4] = { 0 };
	bool in_table = false, summary = false;
	unsigned tables = 0, packet = 0;

	for (char **l = lines; *l; l++) {
		g_autofree char *copy = g_strstrip(g_strdup(*l));
		g_auto(GStrv) tok = g_strsplit_set(copy, " ", -1);
		g_autoptr(GPtrArray) t = g_ptr_array_new();

		for (char **x = tok; *x; x++)
			if (**x)
				g_ptr_array_add(t, *x);
		if (g_str_has_prefix(copy, "side by side:")) {
			summary = true;
			continue;
		}
		if (summary && t->len >= 9 && g_ascii_isdigit(((char *)t->pdata[0])[0])) {
			/* packet, born (2), size (2), normal, cycles, accelerated, cycles */
			for (int p = 0; p < 2; p++) {
				const char *lat = t->pdata[5 + 2 * p];
				long long want = g_ascii_isdigit(lat[0]) ? printed_ticks(lat) : -1;

				if (2 * packet + p >= totals->len ||
				    g_array_index(totals, long long, 2 * packet + p) != want)
					fail_msg("packet %u: the summary's latency %s is not its table's "
						 "total", packet + 1, lat);
			}
			packet++;
			continue;
		}
		if (t->len >= 3 && !strcmp(t->pdata[1], "at") && !strcmp(t->pdata[2], "queue")) {
			long long none = -1;

			g_array_append_val(totals, none);
			in_table = true;
			memset(col, 0, sizeof(col));
			continue;
		}
		/* a dropped packet's table ends at its drop, without a total */
		if (in_table && t->len >= 3 && !strcmp(t->pdata[2], "DROPPED:")) {
			in_table = false;
			continue;
		}
		if (!in_table || t->len < 6 || g_str_has_prefix(t->pdata[0], "->"))
			continue;
		if (!strcmp(t->pdata[0], "total")) {
			long long sum = 0;

			for (int i = 0; i < 4; i++) {
				long long v = printed_ticks(t->pdata[2 + i]);

				if (v != col[i])
					fail_msg("a part column adds up to %lld, its total says %lld:\n%s",
						 col[i], v, *l);
				sum += v;
			}
			if (sum != printed_ticks(t->pdata[1]))
				fail_msg("the parts add up to %lld, the total says %s:\n%s", sum,
					 (char *)t->pdata[1], *l);
			g_array_index(totals, long long, totals->len - 1) = sum;
			in_table = false;
			tables++;
			continue;
		}
		for (int i = 0; i < 4; i++) {
			long long v = printed_ticks(t->pdata[2 + i]);

			if (v > 0)
				col[i] += v;
		}
	}
	if (strstr(text, "its recorded latency"))
		fail_msg("a packet's parts do not add up to its latency:\n%s", text);
	if (2 * packet != totals->len)
		fail_msg("%u packets in the summary, %u path tables", packet, totals->len);
	return tables;
}

static void test_trace_prints_parts_that_add_up_in_80_columns(void **state)
{
	const char *const *cases[] = {
		ARGS("trace", "quickstart"),
		ARGS("trace", "web-server", "--flow", "--packets", "4"),
		ARGS("trace", "quickstart", "--at", "60ms", "--packets", "6", "--set",
		     "traffic.rate=600kpps"),
		ARGS("trace", "trading", "--packets", "2", "--set", "scenario.duration=1s"),
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *out = NULL, *err = NULL;

		if (run(cases[i], &out, &err) != 0)
			fail_msg("%s %s: %s", cases[i][0], cases[i][1], err);
		assert_plain_within(out, 80, cases[i][1]);
		if (check_printed_sums(out) < 2)
			fail_msg("%s: fewer than two path tables:\n%s", cases[i][1], out);
	}
}

static void test_trace_says_drops_diversions_and_fallbacks(void **state)
{
	const struct {
		const char *const *args;
		const char *want;
	} cases[] = {
		{ ARGS("trace", "quickstart", "--at", "50ms", "--packets", "20", "--set",
		       "traffic.rate=3Mpps", "--set", "nic.rx_ring=4", "--set",
		       "scenario.duration=80ms"),
		  "DROPPED: its queue was full" },
		{ ARGS("trace", "calibration/first-packet", "--packets", "1", "--set",
		       "scenario.duration=1s"),
		  "-> diverted to the vSwitch: a new flow, the NIC has no entry for it yet" },
		{ ARGS("trace", "web-server", "--flow", "--packets", "1"),
		  "-> diverted to the vSwitch: an inbound SYN takes the synthetic path" },
		{ ARGS("trace", "web-server", "--flow", "--packets", "1"),
		  "\nthe first packet of the run's first flow\n" },
		{ ARGS("trace", "web-server", "--flow", "--packets", "1", "--at", "100ms"),
		  "\nthe first packet of the first flow that starts at or after 100ms\n" },
		{ ARGS("trace", "calibration/servicing", "--at", "2s", "--packets", "1"),
		  "-> diverted to the vSwitch: the VF is removed (host servicing), a fallback" },
		{ ARGS("trace", "web-server", "--packets", "1"),
		  "-> the application answers: the response goes back" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *out = NULL, *err = NULL;

		if (run(cases[i].args, &out, &err) != 0)
			fail_msg("%s: %s", cases[i].args[1], err);
		if (!strstr(out, cases[i].want))
			fail_msg("%s: no '%s' in\n%s", cases[i].args[1], cases[i].want, out);
	}
}

/* The stage names of the VMs in out that are not vm: "noisy.guest" ...
 * (each VM's own stages carry its name). */
static void expect_only_vm_stages(const char *out, const char *vm, const char *what)
{
	static const char *const vms[] = { "quiet", "noisy", "steady" };

	for (size_t i = 0; i < G_N_ELEMENTS(vms); i++) {
		g_autofree char *stage = g_strdup_printf("%s.guest", vms[i]);

		if (!strcmp(vms[i], vm) ? !strstr(out, stage) : !!strstr(out, stage))
			fail_msg("%s: VM %s's stages %s:\n%s", what, vms[i],
				 strcmp(vms[i], vm) ? "shown" : "missing", out);
	}
}

/* On a host of several VMs, trace, its walk and explain show the VM named
 * by --vm, the first compared one by default, and say which it is. */
static void test_trace_and_explain_show_the_vm_asked_for(void **state)
{
	static const struct {
		const char *vm;		/* NULL: no --vm */
		const char *shown, *an;
	} cases[] = {
		{ NULL, "quiet", "compare" },
		{ "steady", "steady", "off" },
		{ "noisy", "noisy", "off" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *said = g_strdup_printf("VM %s (accelerated networking: %s), one of "
							"the host's 3 VMs",
							cases[i].shown, cases[i].an);
		g_autofree char *out = NULL, *err = NULL, *eout = NULL, *eerr = NULL;
		g_autofree char *page = g_build_filename(scratch, "vm.html", NULL);
		g_autofree char *html = NULL;
		const char *vmval = cases[i].vm ? cases[i].vm : "(none)";
		/* --vm NAME last, when there is one */
		const char *targs[] = { "trace", "noisy-neighbour", "--packets", "3", "--html",
					"vm.html", cases[i].vm ? "--vm" : NULL, cases[i].vm, NULL };
		const char *eargs[] = { "explain", "noisy-neighbour", "--set",
					"scenario.duration=100ms", cases[i].vm ? "--vm" : NULL,
					cases[i].vm, NULL };

		if (run(targs, &out, &err) != 0)
			fail_msg("trace --vm %s: %s", vmval, err);
		assert_plain_within(out, 80, "trace --vm");
		g_autofree char *flat = g_strdelimit(g_strdup(out), "\n", ' ');
		g_autoptr(GRegex) ws = g_regex_new(" +", 0, 0, NULL);
		g_autofree char *words = g_regex_replace_literal(ws, flat, -1, 0, " ", 0, NULL);
		if (!strstr(words, said))
			fail_msg("trace: no '%s' in\n%s", said, out);
		expect_only_vm_stages(out, cases[i].shown, "trace");
		if (check_printed_sums(out) != 6)
			fail_msg("trace --vm %s: not 3 packets on both paths:\n%s", vmval, out);
		assert_true(g_file_get_contents(page, &html, NULL, NULL));
		if (!strstr(html, said))
			fail_msg("the walk does not say '%s'", said);
		expect_only_vm_stages(html, cases[i].shown, "the walk");
		g_unlink(page);

		if (run(eargs, &eout, &eerr) != 0)
			fail_msg("explain --vm %s: %s", vmval, eerr);
		assert_plain_within(eout, 80, "explain --vm");
		g_autofree char *eflat = g_strdelimit(g_strdup(eout), "\n", ' ');
		g_autofree char *ewords = g_regex_replace_literal(ws, eflat, -1, 0, " ", 0, NULL);
		g_autofree char *paths = g_strdup_printf("The paths of %s", said);
		g_autofree char *figs = g_strdup_printf("The figures of %s", said);
		if (!strstr(ewords, paths) || !strstr(ewords, figs))
			fail_msg("explain: no '%s' or '%s' in\n%s", paths, figs, eout);
		expect_only_vm_stages(eout, cases[i].shown, "explain");
		if (!strcmp(cases[i].an, "off") && !strstr(ewords, "this VM has no VF"))
			fail_msg("explain: a VM without accelerated networking drawn with a VF:\n%s",
				 eout);
	}
}

/* A host of one named VM: run, run --brief, run --vm and trace call it the
 * host's only VM and offer no other (there is none). */
static void test_a_host_of_one_vm_offers_no_other(void **state)
{
	static const char ini[] = "[scenario]\nduration = 20ms\nwarmup = 2ms\n"
				  "[vm solo]\naccelerated_networking = compare\n"
				  "[traffic]\nvm = solo\nrate = 5kpps\nsize = 256B\n";
	g_autofree char *path = g_build_filename(scratch, "solo.ini", NULL);
	const struct {
		const char *const *args;
		const char *said;	/* in what it prints, spaces and line breaks as one space */
	} cases[] = {
		{ ARGS("run", "solo.ini", "-q"), "VM solo (accelerated networking: compare), the "
						 "host's only VM; its figures and the host's follow" },
		{ ARGS("run", "solo.ini", "-q", "--brief"),
		  "VM solo, the host's only VM (accelerated networking: compare) " },
		{ ARGS("run", "solo.ini", "-q", "--vm", "solo"),
		  "VM solo (accelerated networking: compare), the host's only VM: its own figures" },
		{ ARGS("trace", "solo.ini", "--packets", "1"),
		  "VM solo (accelerated networking: compare), the host's only VM " },
	};
	g_autoptr(GRegex) ws = g_regex_new("\\s+", 0, 0, NULL);

	assert_true(g_file_set_contents(path, ini, -1, NULL));
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *out = NULL, *err = NULL;

		if (run(cases[i].args, &out, &err) != 0)
			fail_msg("%s %s: %s", cases[i].args[0], cases[i].args[1], err);
		g_autofree char *words = g_regex_replace_literal(ws, out, -1, 0, " ", 0, NULL);
		if (!strstr(words, cases[i].said) || strstr(words, "--vm NAME") ||
		    strstr(words, "one of the host's"))
			fail_msg("case %zu: want '%s' and no other VM offered, got\n%s", i,
				 cases[i].said, out);
	}
	g_unlink(path);
}

static void test_colour_only_on_a_terminal_without_no_color(void **state)
{
	const char *const *cmds[] = { ARGS("trace", "quickstart", "--packets", "1"),
				      ARGS("explain") };

	for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
		g_autofree char *tty = run_pty(cmds[i], NULL);
		g_autofree char *off = run_pty(cmds[i], "1");
		g_autofree char *out = NULL, *err = NULL;

		if (!strstr(tty, "\033["))
			fail_msg("%s on a terminal: no colour", cmds[i][0]);
		if (strchr(off, '\033'))
			fail_msg("%s with NO_COLOR=1: escape codes", cmds[i][0]);
		assert_int_equal(run(cmds[i], &out, &err), 0);
		if (strchr(out, '\033'))
			fail_msg("%s piped: escape codes", cmds[i][0]);
	}
}

static const struct {
	const char *const *args;
	const char *fragment;
} bad_usage[] = {
	{ ARGS("trace"), "expected a scenario (a file, a shipped scenario's name or - for "
			 "standard input), got none" },
	{ ARGS("trace", "a", "b"), "expected one scenario, got 'a' and 'b'" },
	{ ARGS("trace", "quickstart", "--packets", "0"), "--packets: expected a number from 1 to "
							 "1000, got 0" },
	{ ARGS("trace", "quickstart", "--at", "1s"), "--at: expected a time from 0 to before the "
						     "scenario's end (200ms), got '1s'" },
	{ ARGS("trace", "quickstart", "--at", "5 furlongs"), "--at: " },
	{ ARGS("trace", "quickstart", "--bogus"), "unknown option --bogus" },
	{ ARGS("explain", "a", "b"), "expected at most one scenario, got 'a' and 'b'" },
	{ ARGS("explain", "nosuch"), "cannot find scenario 'nosuch'" },
	{ ARGS("trace", "noisy-neighbour", "--vm", "stead"),
	  "--vm: expected one of the VMs noisy-neighbour places (quiet, noisy, steady), got "
	  "'stead' (did you mean 'steady'?)" },
	{ ARGS("explain", "noisy-neighbour", "--vm", "nobody"),
	  "--vm: expected one of the VMs noisy-neighbour places (quiet, noisy, steady), got "
	  "'nobody'" },
	{ ARGS("run", "noisy-neighbour", "--vm", "stead"),
	  "--vm: expected one of the VMs noisy-neighbour places (quiet, noisy, steady), got "
	  "'stead' (did you mean 'steady'?)" },
	{ ARGS("run", "noisy-neighbour", "--vm", "nobody"),
	  "--vm: expected one of the VMs noisy-neighbour places (quiet, noisy, steady), got "
	  "'nobody'" },
	{ ARGS("run", "quickstart", "--vm", "quiet"),
	  "--vm: quickstart places no VMs of its own ([vm NAME]): its one VM's figures are the "
	  "run's, got 'quiet'" },
	{ ARGS("trace", "quickstart", "--vm", "quiet"),
	  "--vm: quickstart places no VMs of its own ([vm NAME]): its one VM is the one shown, "
	  "got 'quiet'" },
	{ ARGS("run", "quickstart", "--brief", "--json"),
	  "options '--json' and '--brief' cannot be used together" },
	{ ARGS("run", "quickstart", "--csv", "--mermaid"),
	  "options '--csv' and '--mermaid' cannot be used together" },
};

static void test_bad_usage_exits_2_and_names_the_fault(void **state)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bad_usage); i++) {
		g_autofree char *out = NULL, *err = NULL;
		int status = run(bad_usage[i].args, &out, &err);

		if (status != 2 || !strstr(err, bad_usage[i].fragment))
			fail_msg("row %zu (%s): expected exit 2 and\n  %s\ngot exit %d and\n  %s", i,
				 bad_usage[i].args[0], bad_usage[i].fragment, status, err);
	}
}

/* ---- Mermaid ---- */

/* The fenced mermaid blocks of a Markdown text. */
static GPtrArray *mermaid_blocks(const char *md)
{
	GPtrArray *blocks = g_ptr_array_new_with_free_func(g_free);
	const char *p = md;

	while ((p = strstr(p, "```mermaid\n"))) {
		const char *start = p + strlen("```mermaid\n");
		const char *end = strstr(start, "\n```");

		assert_non_null(end);
		g_ptr_array_add(blocks, g_strndup(start, (gsize)(end - start)));
		p = end + 4;
	}
	return blocks;
}

/* A sequenceDiagram: every participant used is declared once, there are
 * hops messages, and every message and note carries a time in us. */
static void check_sequence(const char *block, unsigned hops, const char *what)
{
	g_auto(GStrv) lines = g_strsplit(block, "\n", -1);
	g_autoptr(GPtrArray) declared = g_ptr_array_new_with_free_func(g_free);
	unsigned messages = 0;

	if (!g_str_has_prefix(block, "sequenceDiagram\n"))
		fail_msg("%s: not a sequenceDiagram:\n%s", what, block);
	for (char **l = lines + 1; *l && **l; l++) {
		char *s = g_strstrip(g_strdup(*l));
		g_autofree char *own = s;

		if (g_str_has_prefix(s, "participant ")) {
			g_autofree char *id = g_strndup(s + 12, strcspn(s + 12, " "));

			if (g_ptr_array_find_with_equal_func(declared, id, g_str_equal, NULL))
				fail_msg("%s: participant %s declared twice", what, id);
			g_ptr_array_add(declared, g_steal_pointer(&id));
			continue;
		}
		const char *arrow = strstr(s, "->>");

		if (arrow) {
			g_autofree char *from = g_strndup(s, (gsize)(arrow - s));
			g_autofree char *to = g_strndup(arrow + 3, strcspn(arrow + 3, ":"));

			if (!g_ptr_array_find_with_equal_func(declared, from, g_str_equal, NULL) ||
			    !g_ptr_array_find_with_equal_func(declared, to, g_str_equal, NULL))
				fail_msg("%s: a message between undeclared participants: %s", what, s);
			messages++;
		} else if (!g_str_has_prefix(s, "Note ")) {
			fail_msg("%s: neither participant, message nor note: %s", what, s);
		}
		if (!g_regex_match_simple("[0-9]+\\.[0-9]{2} us|on [A-Za-z]", s, 0, 0))
			fail_msg("%s: no simulated time in: %s", what, s);
		if (strpbrk(s, ";#"))
			fail_msg("%s: Mermaid syntax characters in text: %s", what, s);
	}
	if (messages != hops)
		fail_msg("%s: %u messages, %u hops", what, messages, hops);
}

static void test_mermaid_has_one_message_per_hop_and_the_numbers(void **state)
{
	g_autofree char *out = NULL, *err = NULL, *text = NULL, *terr = NULL;

	assert_int_equal(run(ARGS("trace", "quickstart", "--packets", "2", "--mermaid"), &out, &err),
			 0);
	/* the same packets as text: their stages on each path */
	assert_int_equal(run(ARGS("trace", "quickstart", "--packets", "2"), &text, &terr), 0);
	g_autoptr(GPtrArray) b = mermaid_blocks(out);
	assert_int_equal(b->len, 3);
	/* quickstart, received: wire.rx, nic.rx, vswitch, guest, app (4 hops);
	 * wire.rx, nic.rx, vf, guest, app on the accelerated path */
	check_sequence(b->pdata[0], 4, "trace, normal");
	check_sequence(b->pdata[1], 4, "trace, accelerated");
	const char *fc = b->pdata[2];
	if (!g_str_has_prefix(fc, "flowchart LR\n"))
		fail_msg("not a flowchart LR:\n%s", fc);
	const char *const want[] = { "subgraph normal[", "subgraph accelerated[",
				     "n_vswitch[\"vswitch<br/>host cores<br/>", "a_vf[\"vf<br/>NIC",
				     "a_vf -.->|\"new flow, SYN, VF removed\"| a_vswitch",
				     "n_nic_rx -->|\"DMA write 2.00 us\"| n_vswitch", "classDef host" };
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
		if (!strstr(fc, want[i]))
			fail_msg("the flowchart lacks '%s':\n%s", want[i], fc);

	/* the run's diagrams: the budget's stages (nic.rx, vswitch, guest,
	 * app: 3 hops; nic.rx, vf, guest, app on the accelerated path) */
	g_autofree char *rout = NULL, *rerr = NULL;
	assert_int_equal(run(ARGS("run", "quickstart", "-q", "--mermaid", "--set",
				  "scenario.duration=40ms"), &rout, &rerr), 0);
	g_autoptr(GPtrArray) rb = mermaid_blocks(rout);
	assert_int_equal(rb->len, 3);
	check_sequence(rb->pdata[0], 3, "run, normal");
	check_sequence(rb->pdata[1], 3, "run, accelerated");
	if (!strstr(rb->pdata[2], "normal path, mean latency ") ||
	    !strstr(rb->pdata[2], "accelerated path, mean latency "))
		fail_msg("the run's flowchart lacks the paths' mean latency:\n%s",
			 (char *)rb->pdata[2]);
}

/* Where mmdc (mermaid-cli) and Chromium exist, or when the environment
 * says they must (CI installs them), the diagrams render. */
static bool renderers_required(void)
{
	const char *r = g_getenv("ACCELSIM_REQUIRE_RENDERERS");

	return r && *r && strcmp(r, "0");
}

static char *chromium_path(void)
{
	const char *names[] = { "chromium", "chromium-browser", "google-chrome" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *p = g_find_program_in_path(names[i]);

		if (p)
			return p;
	}
	return NULL;
}

/* In the child, before exec: a session of its own, so that a browser
 * ending its process group does not end make's other tests. */
static void own_session(gpointer data)
{
	setsid();
}

/* Run argv in dir; its exit status, its output and errors in *out. */
static int run_tool(const char *dir, const char *const *argv, char **out)
{
	g_autoptr(GError) e = NULL;
	g_autofree char *o = NULL, *er = NULL;
	int status;

	if (!g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, own_session, NULL, &o, &er,
			  &status, &e))
		fail_msg("cannot run %s: %s", argv[0], e->message);
	*out = g_strconcat(o, er, NULL);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_mermaid_renders_with_mermaid_cli(void **state)
{
	g_autofree char *mmdc = g_find_program_in_path("mmdc");
	g_autofree char *chromium = chromium_path();

	if (!mmdc || !chromium) {
		if (renderers_required())
			fail_msg("mmdc or chromium missing, and ACCELSIM_REQUIRE_RENDERERS is set");
		print_message("skipped: %s not installed (npm install -g @mermaid-js/mermaid-cli, "
			      "apt-get install chromium)\n", !mmdc ? "mmdc" : "chromium");
		skip();
	}
	g_autofree char *cfg = g_build_filename(scratch, "puppeteer.json", NULL);
	g_autofree char *cfgtext = g_strdup_printf(
		"{\"executablePath\": \"%s\", \"args\": [\"--no-sandbox\"]}\n", chromium);
	assert_true(g_file_set_contents(cfg, cfgtext, -1, NULL));

	/* a trace's and a run's diagrams, in one file: one start of the
	 * renderer (it takes seconds) */
	const char *const *cmds[] = {
		ARGS("trace", "web-server", "--flow", "--packets", "2", "--mermaid-file", "t.md"),
		ARGS("run", "trading", "-q", "--set", "scenario.duration=300ms", "--mermaid-file",
		     "r.md"),
	};
	g_autoptr(GString) md = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
		g_autofree char *out = NULL, *err = NULL, *text = NULL;
		/* the file is the last argument */
		const char *const *a = cmds[i];
		while (a[1])
			a++;
		g_autofree char *path = g_build_filename(scratch, *a, NULL);

		if (run(cmds[i], &out, &err) != 0)
			fail_msg("%s: %s", cmds[i][0], err);
		assert_true(g_file_get_contents(path, &text, NULL, NULL));
		g_string_append(md, text);
		g_unlink(path);
	}
	g_autoptr(GPtrArray) blocks = mermaid_blocks(md->str);
	assert_int_equal(blocks->len, 6);
	g_autofree char *in = g_build_filename(scratch, "both.md", NULL);
	g_autofree char *log = NULL;
	assert_true(g_file_set_contents(in, md->str, -1, NULL));
	/* through env: valgrind --trace-children=yes with /usr/bin skipped
	 * then follows neither mmdc nor node, wherever npm put them */
	int st = run_tool(scratch,
			  ARGS("/usr/bin/env", mmdc, "-q", "-p", cfg, "-i", "both.md", "-o", "out.md"),
			  &log);
	if (st != 0)
		fail_msg("mmdc: exit %d\n%s", st, log);
	for (guint k = 1; k <= blocks->len; k++) {
		g_autofree char *svg = g_strdup_printf("%s/out-%u.svg", scratch, k);
		g_autofree char *text = NULL;

		if (!g_file_get_contents(svg, &text, NULL, NULL) || !strstr(text, "<svg") ||
		    strstr(text, "Syntax error"))
			fail_msg("mmdc did not render diagram %u:\n%s\n%s", k,
				 (char *)blocks->pdata[k - 1], log);
		g_unlink(svg);
	}
	g_autofree char *outmd = g_build_filename(scratch, "out.md", NULL);
	g_unlink(outmd);
	g_unlink(in);
	g_unlink(cfg);
}

/* ---- the animation ---- */

static void test_animation_loads_and_moves_in_chromium(void **state)
{
	g_autofree char *chromium = chromium_path();
	g_autofree char *out = NULL, *err = NULL;

	assert_int_equal(run(ARGS("trace", "quickstart", "--packets", "6", "--at", "60ms", "--set",
				  "traffic.rate=400kpps", "--html", "walk.html"), &out, &err), 0);
	g_autofree char *page = g_build_filename(scratch, "walk.html", NULL);
	g_autofree char *html = NULL;
	assert_true(g_file_get_contents(page, &html, NULL, NULL));
	/* self-contained: nothing fetched, every id under the prefix */
	if (strstr(html, "src=") || strstr(html, "href=") ||
	    g_regex_match_simple("https?://(?!www\\.w3\\.org/2000/svg)", html, 0, 0))
		fail_msg("the page refers to something outside itself");
	g_autoptr(GRegex) ids = g_regex_new("id=\"([^\"]*)\"", 0, 0, NULL);
	g_autoptr(GMatchInfo) mi = NULL;
	for (g_regex_match(ids, html, 0, &mi); g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
		g_autofree char *id = g_match_info_fetch(mi, 1);

		if (!g_str_has_prefix(id, "walk"))
			fail_msg("id '%s' is not under the fragment's prefix", id);
	}
	if (!chromium) {
		if (renderers_required())
			fail_msg("chromium missing, and ACCELSIM_REQUIRE_RENDERERS is set");
		print_message("skipped: chromium not installed\n");
		skip();
	}
	g_autofree char *url = g_strdup_printf("file://%s", page);
	const char *flags[] = { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
				"--enable-logging=stderr", "--v=0", "--no-first-run",
				"--user-data-dir=profile" };
	g_autoptr(GPtrArray) argv = g_ptr_array_new();

	g_ptr_array_add(argv, chromium);
	for (size_t i = 0; i < G_N_ELEMENTS(flags); i++)
		g_ptr_array_add(argv, (char *)flags[i]);

	/* two moments of the walk look different; the screenshots stay in
	 * tests/teach-shots/, to be looked at */
	g_autofree char *shots = g_build_filename(ABS_TOP_BUILDDIR, "tests", "teach-shots", NULL);
	char *shot[2] = { NULL, NULL };
	gsize shot_len[2] = { 0, 0 };
	const char *at[2] = { "0", "0.5" };
	assert_int_equal(g_mkdir_with_parents(shots, 0777), 0);
	for (int k = 0; k < 2; k++) {
		g_autofree char *png = g_strdup_printf("%s/walk-t%s.png", shots, at[k]);
		g_autofree char *shoturl = g_strdup_printf("%s#t=%s", url, at[k]);
		g_autofree char *shotarg = g_strdup_printf("--screenshot=%s", png);
		g_autofree char *log = NULL;
		argv->len = 1 + G_N_ELEMENTS(flags);
		g_ptr_array_add(argv, (char *)"--window-size=1400,1000");
		g_ptr_array_add(argv, shotarg);
		g_ptr_array_add(argv, shoturl);
		g_ptr_array_add(argv, NULL);
		if (run_tool(scratch, (const char *const *)argv->pdata, &log) != 0)
			fail_msg("chromium --screenshot: %s", log);
		if (strstr(log, ":CONSOLE"))
			fail_msg("the page wrote to the console at t=%s:\n%s", at[k],
				 strstr(log, ":CONSOLE"));
		if (!g_file_get_contents(png, &shot[k], &shot_len[k], NULL) || shot_len[k] < 1000)
			fail_msg("no screenshot at t=%s: %s", at[k], log);
		print_message("screenshot: %s\n", png);
	}
	/* PNG holds NUL bytes: compare lengths and bytes */
	bool same = shot_len[0] == shot_len[1] && !memcmp(shot[0], shot[1], shot_len[0]);

	g_free(shot[0]);
	g_free(shot[1]);
	if (same)
		fail_msg("the screenshots at t=0 and halfway are the same");
	g_unlink(page);
	g_autofree char *profile = g_build_filename(scratch, "profile", NULL);
	g_autofree char *rm = NULL;
	run_tool(scratch, ARGS("rm", "-rf", profile), &rm);
}

/* ---- explain ---- */

static void test_explain_fits_80_columns_and_says_what_it_should(void **state)
{
	static const char *const say[] = { "SR-IOV", "+----------+", "vswitch", "host cycles",
					   "ethtool -S eth0 | grep vf_", "accelsim real check",
					   "GFT", "deallocated", "new flow, inbound SYN, VF removed" };
	const char *const *cmds[] = { ARGS("explain"), ARGS("explain", "--model", "kvm-ovs"),
				      ARGS("explain", "small-app"),
				      ARGS("explain", "trading", "--set", "scenario.duration=500ms") };

	for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
		g_autofree char *out = NULL, *err = NULL;

		if (run(cmds[i], &out, &err) != 0)
			fail_msg("explain %s: %s", cmds[i][1] ? cmds[i][1] : "", err);
		assert_plain_within(out, 80, "explain");
		for (size_t k = 0; k < G_N_ELEMENTS(say); k++)
			if (!strstr(out, say[k]))
				fail_msg("explain %s: no '%s' in\n%s", cmds[i][1] ? cmds[i][1] : "",
					 say[k], out);
	}
	g_autofree char *out = NULL, *err = NULL;
	assert_int_equal(run(ARGS("explain", "small-app"), &out, &err), 0);
	if (!strstr(out, "this scenario: small-app") || !strstr(out, "brings little"))
		fail_msg("explain small-app: no verdict that it brings little:\n%s", out);
}

/* ---- run --brief and hypothetical paths ---- */

/* A scenario whose name makes the heading longer than a line. */
#define LONG_NAME "the-quickstart-scenario-as-room-b-s-projector-shows-it-today"

static void test_brief_fits_80_columns_and_20_lines(void **state)
{
	g_autofree char *src = g_build_filename(ABS_TOP_SRCDIR, "scenarios", "quickstart.ini", NULL);
	g_autofree char *copy = g_build_filename(scratch, LONG_NAME ".ini", NULL);
	g_autofree char *text = NULL;
	const char *const *cmds[] = {
		ARGS("run", "quickstart", "-q", "--brief"),
		ARGS("run", "web-server", "-q", "--brief", "--set", "scenario.duration=300ms"),
		ARGS("run", "quickstart", "-q", "--brief", "--set", "vm.size=Standard_A2_v2"),
		ARGS("run", "quickstart", "-q", "--brief", "--set", "vm.size=Standard_D8s_v5"),
		/* a heading of two lines, a note of three, a column marked */
		ARGS("run", LONG_NAME ".ini", "-q", "--brief", "--set", "vm.size=Standard_A2_v2",
		     "--seed", "4000000000"),
		ARGS("run", LONG_NAME ".ini", "-q", "--brief"),
	};

	assert_true(g_file_get_contents(src, &text, NULL, NULL));
	assert_true(g_file_set_contents(copy, text, -1, NULL));
	static const char *const rows[] = { "latency p50", "latency p99", "latency p99.9",
					    "jitter", "host CPU", "guest CPU",
					    "accelerated networking " };

	for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
		g_autofree char *out = NULL, *err = NULL;

		if (run(cmds[i], &out, &err) != 0)
			fail_msg("%s: %s", cmds[i][1], err);
		assert_plain_within(out, 80, "run --brief");
		g_auto(GStrv) lines = g_strsplit(g_strchomp(out), "\n", -1);
		if (g_strv_length(lines) > 20)
			fail_msg("%u lines:\n%s", g_strv_length(lines), out);
		for (size_t k = 0; k < G_N_ELEMENTS(rows); k++)
			if (!strstr(out, rows[k]))
				fail_msg("run --brief: no '%s' in\n%s", rows[k], out);
		/* the heading says it all, wrapped or not */
		g_autoptr(GRegex) ws = g_regex_new("\\s+", 0, 0, NULL);
		g_autofree char *flat = g_regex_replace_literal(ws, out, -1, 0, " ", 0, NULL);
		if (!strstr(flat, "(model default, seed ") || !strstr(flat, "latency, ") ||
		    (!strcmp(cmds[i][1], LONG_NAME ".ini") &&
		     !g_str_has_prefix(flat, LONG_NAME " (model")))
			fail_msg("run --brief: the heading lost words:\n%s", out);
	}
	g_unlink(copy);
}

static void test_a_size_s_impossible_path_is_hypothetical(void **state)
{
	static const struct {
		const char *size;
		bool hyp[PATH_COUNT];
		const char *note;
	} cases[] = {
		{ "Standard_A2_v2", { false, true }, "the accelerated column is hypothetical" },
		{ "Standard_NC6", { false, true }, "the accelerated column is hypothetical" },
		{ "Standard_D8s_v5", { true, false }, "the normal column is hypothetical" },
		{ "Standard_D3_v2", { false, false }, NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *set = g_strdup_printf("vm.size=%s", cases[i].size);
		g_autofree char *dir = g_build_filename(scratch, "hyp", NULL);
		g_autofree char *out = NULL, *err = NULL;

		if (run(ARGS("run", "quickstart", "-q", "--set", "scenario.duration=30ms", "--set",
			     set, "-o", dir), &out, &err) != 0)
			fail_msg("%s: %s", cases[i].size, err);
		/* above the table, and the column marked */
		const char *table = strstr(out, "  offered ");
		const char *note = cases[i].note ? strstr(out, cases[i].note) : NULL;
		assert_non_null(table);
		if (cases[i].note && (!note || note > table || !strstr(out, "hypothetical\n")))
			fail_msg("%s: no note above the table:\n%s", cases[i].size, out);
		if (!cases[i].note && strstr(out, "hypothetical"))
			fail_msg("%s: hypothetical:\n%s", cases[i].size, out);
		/* kept in result.ini */
		g_autofree char *ini = g_build_filename(dir, "result.ini", NULL);
		g_autoptr(GKeyFile) k = g_key_file_new();
		g_autoptr(GError) e = NULL;
		g_autoptr(run_result) r = run_result_new();
		if (!g_key_file_load_from_file(k, ini, G_KEY_FILE_NONE, &e) ||
		    !run_result_from_keyfile(k, r, &e))
			fail_msg("%s: %s", ini, e->message);
		for (int p = 0; p < PATH_COUNT; p++)
			if (r->paths[p].hypothetical != cases[i].hyp[p])
				fail_msg("%s: %s hypothetical is %d", cases[i].size, path_name(p),
					 r->paths[p].hypothetical);
		g_autofree char *rm = NULL;
		run_tool(scratch, ARGS("rm", "-rf", dir), &rm);
	}
}

/* ---- VM sizes ---- */

static void test_sizes_have_the_v5_families_with_their_support(void **state)
{
	static const struct {
		const char *name;
		unsigned vcpus;
		double mbps;
		int an;		/* 1 supported, -1 required */
	} want[] = {
		{ "Standard_D8s_v5", 8, 12500, -1 },   { "Standard_D96s_v5", 96, 35000, -1 },
		{ "Standard_D2d_v5", 2, 12500, -1 },   { "Standard_D32ds_v5", 32, 16000, -1 },
		{ "Standard_E2s_v5", 2, 12500, -1 },   { "Standard_E104is_v5", 104, 100000, -1 },
		{ "Standard_F2s_v2", 2, 5000, 1 },     { "Standard_F72s_v2", 72, 30000, 1 },
		{ "Standard_L8s_v3", 8, 12500, 1 },    { "Standard_L80s_v3", 80, 32000, 1 },
	};
	g_autoptr(GError) e = NULL;
	g_autoptr(GArray) sizes = vm_sizes_load(&e);

	assert_non_null(sizes);
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		const struct vm_size *s = vm_sizes_find(sizes, want[i].name);
		const char *why;

		if (!s)
			fail_msg("%s missing", want[i].name);
		if (s->vcpus != want[i].vcpus || s->bandwidth_bps != want[i].mbps * 1e6 ||
		    s->accelerated != want[i].an || !vm_size_supports_an(s, &why) ||
		    !g_str_has_prefix(s->source, "learn.microsoft.com"))
			fail_msg("%s: %u vCPUs, %g bit/s, accelerated %d, source '%s'", want[i].name,
				 s->vcpus, s->bandwidth_bps, s->accelerated, s->source);
	}
	/* whole families: Dsv5, Ddv5, Ddsv5 have eight sizes each */
	const char *fam[] = { "s_v5", "d_v5", "ds_v5" };
	for (size_t f = 0; f < G_N_ELEMENTS(fam); f++) {
		unsigned n = 0;

		for (guint i = 0; i < sizes->len; i++) {
			const char *name = g_array_index(sizes, struct vm_size, i).name;

			if (g_str_has_prefix(name, "Standard_D") && g_str_has_suffix(name, fam[f]) &&
			    g_ascii_isdigit(name[strlen(name) - strlen(fam[f]) - 1]))
				n++;
		}
		if (n != 8)
			fail_msg("D*%s: %u sizes, 8 published", fam[f], n);
	}
}

static int setup(void **state)
{
	return tu_bin_built() ? tu_tmpdir_setup(&scratch, "accelsim-teach-XXXXXX") : -1;
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&scratch);
}

/* make check runs the tests but the renderers'; `test_teach --slow`
 * (make check-slow) runs those: mermaid-cli and Chromium take half a
 * minute here. */
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_parts_add_up_to_each_latency),
		cmocka_unit_test(test_trace_stages_are_the_route_s),
		cmocka_unit_test(test_trace_records_a_forced_drop),
		cmocka_unit_test(test_trace_records_a_new_flow_s_diversion),
		cmocka_unit_test(test_trace_flow_follows_one_new_flow),
		cmocka_unit_test(test_trace_stops_the_run_when_its_packets_are_done),
		cmocka_unit_test(test_trace_prints_parts_that_add_up_in_80_columns),
		cmocka_unit_test(test_trace_says_drops_diversions_and_fallbacks),
		cmocka_unit_test(test_trace_and_explain_show_the_vm_asked_for),
		cmocka_unit_test(test_a_host_of_one_vm_offers_no_other),
		cmocka_unit_test(test_colour_only_on_a_terminal_without_no_color),
		cmocka_unit_test(test_bad_usage_exits_2_and_names_the_fault),
		cmocka_unit_test(test_mermaid_has_one_message_per_hop_and_the_numbers),
		cmocka_unit_test(test_explain_fits_80_columns_and_says_what_it_should),
		cmocka_unit_test(test_brief_fits_80_columns_and_20_lines),
		cmocka_unit_test(test_a_size_s_impossible_path_is_hypothetical),
		cmocka_unit_test(test_sizes_have_the_v5_families_with_their_support),
	};
	const struct CMUnitTest slow[] = {
		cmocka_unit_test(test_mermaid_renders_with_mermaid_cli),
		cmocka_unit_test(test_animation_loads_and_moves_in_chromium),
	};

	if (argc > 1 && !strcmp(argv[1], "--slow"))
		return cmocka_run_group_tests_name("slow", slow, setup, teardown);
	return cmocka_run_group_tests(tests, setup, teardown);
}
