/* test_outdir.c: result files written whole or not at all (core/outdir.h).
 *
 * A set is written with its marker last and replaces the previous one
 * file by file; a symbolic link or a FIFO in the directory is replaced,
 * never written through; a second writer is refused while the first holds
 * the directory; a directory holding someone else's files is refused
 * unless forced; a writer that fails (a file size limit stands in for a
 * full disk) or is killed mid-write leaves the previous set whole, and the
 * next writer clears its temporary files.  Writers that die run in child
 * processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include "core/msg.h"
#include "core/outdir.h"
#include "testutil.h"

static char *tmpdir;

static const char *const names[] = { "a.txt", "b.txt", NULL };

/* A writer of the string it is given; "KILL" kills the process after
 * writing half of it. */
static bool write_text(FILE *f, const void *data, GError **error)
{
	const char *s = data;

	if (!strcmp(s, "KILL")) {
		fputs("KI", f);
		fflush(f);
		kill(getpid(), SIGKILL);
	}
	fputs(s, f);
	return true;
}

static bool write_refusing(FILE *f, const void *data, GError **error)
{
	g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME, "the writer's own failure");
	return false;
}

static char *dir_path(const char *name)
{
	return g_build_filename(tmpdir, name, NULL);
}

static bool commit_texts(struct outdir *od, const char *a, const char *b, GError **error)
{
	const struct outdir_file files[] = { { "a.txt", write_text, a }, { "b.txt", write_text, b } };

	return outdir_commit(od, files, 2, error);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of dir, sorted, joined by spaces. */
static char *listing(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func(g_free);
	const char *n;

	while (d && (n = g_dir_read_name(d)))
		g_ptr_array_add(a, g_strdup(n));
	g_ptr_array_sort(a, by_name);
	g_ptr_array_add(a, NULL);
	return g_strjoinv(" ", (char **)a->pdata);
}

/* A new directory (and its parent) is created; the set lands with its
 * marker listing it, the lock stays; a second set replaces the first. */
static void test_outdir_writes_a_set_and_its_marker(void **state)
{
	g_autofree char *parent = dir_path("new");
	g_autofree char *dir = g_build_filename(parent, "set", NULL);
	g_autoptr(GError) e = NULL;
	g_autoptr(outdir) od = outdir_open(dir, names, false, &e);

	if (!od)
		fail_msg("%s", e->message);
	assert_true(commit_texts(od, "one", "two", &e));
	g_autofree char *a = tu_read(dir, "a.txt"), *b = tu_read(dir, "b.txt");
	g_autofree char *m = tu_read(dir, OUTDIR_MARKER);
	assert_string_equal(a, "one");
	assert_string_equal(b, "two");
	assert_string_equal(m, "# accelsim: the files below are one complete set of results\n"
			       "a.txt\nb.txt\n");
	g_autofree char *ls = listing(dir);
	assert_string_equal(ls, ".accelsim.done .accelsim.lock a.txt b.txt");

	assert_true(commit_texts(od, "three", "four", &e));
	g_autofree char *a2 = tu_read(dir, "a.txt");
	assert_string_equal(a2, "three");
	g_clear_pointer(&od, outdir_close);

	/* the directory is accelsim's now: reopening it needs no --force,
	 * and a file of the user's beside the set is left alone */
	g_autofree char *notes = g_build_filename(dir, "notes.txt", NULL);
	assert_true(g_file_set_contents(notes, "mine", -1, NULL));
	od = outdir_open(dir, names, false, &e);
	if (!od)
		fail_msg("%s", e->message);
	assert_true(commit_texts(od, "five", "six", &e));
	g_autofree char *n2 = tu_read(dir, "notes.txt");
	assert_string_equal(n2, "mine");
	g_clear_pointer(&od, outdir_close);
	tu_remove_tree(dir);
	g_rmdir(parent);
}

/* As root, DIR/a.txt -> precious.txt once overwrote precious.txt; a FIFO
 * named like a result once hung the run after the simulation. */
static void test_outdir_replaces_links_and_fifos_without_following(void **state)
{
	g_autofree char *dir = dir_path("links");
	g_autofree char *precious = dir_path("precious.txt");
	g_autofree char *link = g_build_filename(dir, "a.txt", NULL);
	g_autofree char *fifo = g_build_filename(dir, "b.txt", NULL);
	g_autoptr(GError) e = NULL;
	struct stat st;

	assert_int_equal(g_mkdir(dir, 0700), 0);
	assert_true(g_file_set_contents(precious, "precious", -1, NULL));
	assert_int_equal(symlink(precious, link), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);

	alarm(20);	/* a FIFO opened for writing would wait for a reader */
	g_autoptr(outdir) od = outdir_open(dir, names, false, &e);
	if (!od)
		fail_msg("%s", e->message);
	assert_true(commit_texts(od, "one", "two", &e));
	alarm(0);
	g_autofree char *p = tu_read(tmpdir, "precious.txt");
	assert_string_equal(p, "precious");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	g_clear_pointer(&od, outdir_close);
	tu_remove_tree(dir);

	/* the lock file is not followed either */
	assert_int_equal(g_mkdir(dir, 0700), 0);
	g_autofree char *lock = g_build_filename(dir, OUTDIR_LOCK, NULL);
	assert_int_equal(symlink(precious, lock), 0);
	od = outdir_open(dir, names, false, &e);
	assert_null(od);
	assert_true(g_error_matches(e, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT));
	g_autofree char *want = g_strdup_printf("'%s' is a symbolic link: it is not followed", lock);
	assert_string_equal(e->message, want);
	g_autofree char *p2 = tu_read(tmpdir, "precious.txt");
	assert_string_equal(p2, "precious");
	tu_remove_tree(dir);
	g_unlink(precious);
}

/* Two runs on one directory interleaved their files (invalid JSON in 8 of
 * 150 tries): the second is refused at once, naming the first; the lock
 * goes with the first's outdir_close (or its death). */
static void test_outdir_second_writer_is_refused(void **state)
{
	g_autofree char *dir = dir_path("busy");
	g_autoptr(GError) e = NULL;
	g_autoptr(outdir) first = outdir_open(dir, names, false, &e);

	assert_non_null(first);
	g_autoptr(outdir) second = outdir_open(dir, names, false, &e);
	assert_null(second);
	assert_true(g_error_matches(e, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME));
	g_autofree char *want = g_strdup_printf("cannot write '%s': another accelsim (process %ld) "
						"is writing it; wait for it to finish, or give "
						"another directory",
						dir, (long)getpid());
	assert_string_equal(e->message, want);
	g_clear_error(&e);

	g_clear_pointer(&first, outdir_close);
	second = outdir_open(dir, names, false, &e);
	assert_non_null(second);
	g_clear_pointer(&second, outdir_close);
	tu_remove_tree(dir);
}

/* A directory with files accelsim did not write is refused unless forced,
 * and refusing leaves no trace in it; one holding only files of the set
 * (an older accelsim's output) is taken. */
static void test_outdir_refuses_someone_elses_directory(void **state)
{
	g_autofree char *dir = dir_path("theirs");
	g_autofree char *photo = g_build_filename(dir, "photo.jpg", NULL);
	g_autoptr(GError) e = NULL;

	assert_int_equal(g_mkdir(dir, 0700), 0);
	assert_true(g_file_set_contents(photo, "jpeg", -1, NULL));
	g_autoptr(outdir) od = outdir_open(dir, names, false, &e);
	assert_null(od);
	assert_true(g_error_matches(e, ACCELSIM_ERROR, ACCELSIM_ERROR_INPUT));
	g_autofree char *want = g_strdup_printf("'%s' is not empty and was not written by accelsim "
						"(it holds 'photo.jpg'): give a new or empty "
						"directory, or --force to write into it anyway",
						dir);
	assert_string_equal(e->message, want);
	g_autofree char *ls = listing(dir);
	assert_string_equal(ls, "photo.jpg");
	g_clear_error(&e);

	od = outdir_open(dir, names, true, &e);
	assert_non_null(od);
	assert_true(commit_texts(od, "one", "two", &e));
	g_clear_pointer(&od, outdir_close);
	tu_remove_tree(dir);

	g_autofree char *old = dir_path("old");
	g_autofree char *a = g_build_filename(old, "a.txt", NULL);
	assert_int_equal(g_mkdir(old, 0700), 0);
	assert_true(g_file_set_contents(a, "old", -1, NULL));
	od = outdir_open(old, names, false, &e);
	assert_non_null(od);
	g_clear_pointer(&od, outdir_close);
	tu_remove_tree(old);
}

/* -o /proc/nope failed only after the run: outdir_open is where it fails
 * now, and a file where the directory should be is named. */
static void test_outdir_fails_before_the_work(void **state)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(outdir) od = outdir_open("/proc/nope", names, false, &e);

	assert_null(od);
	assert_true(g_error_matches(e, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME));
	assert_string_equal(e->message, "cannot create '/proc/nope': No such file or directory");
	g_clear_error(&e);

	g_autofree char *file = dir_path("plain");
	assert_true(g_file_set_contents(file, "x", -1, NULL));
	od = outdir_open(file, names, false, &e);
	assert_null(od);
	g_autofree char *want = g_strdup_printf("cannot create '%s': Not a directory", file);
	assert_string_equal(e->message, want);
	g_unlink(file);
}

/* Run commit in a child: the set ("new", new_b) over the set one/two in
 * dir; the child applies limit (bytes) to the size of files it writes
 * when limit > 0.  Returns the child's wait status. */
static int commit_in_child(const char *dir, const char *new_b, rlim_t limit)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		g_autoptr(GError) e = NULL;
		g_autoptr(outdir) od = outdir_open(dir, names, false, &e);

		if (!od)
			_exit(3);
		if (limit) {
			struct rlimit rl = { limit, limit };

			/* EFBIG, as a full disk gives ENOSPC */
			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		if (commit_texts(od, "new", new_b, &e))
			_exit(0);
		fprintf(stderr, "%s\n", e->message);
		_exit(strstr(e->message, "/b.txt': File too large") ? 4 : 5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* A full disk once left a 0-byte result.txt, a SIGTERM a truncated
 * result.json: a failed or killed writer leaves the previous set, files
 * and marker, as it was; the next writer removes its temporary files. */
static void test_outdir_failed_or_killed_writer_leaves_the_old_set(void **state)
{
	g_autofree char *dir = dir_path("whole");
	g_autoptr(GError) e = NULL;
	g_autoptr(outdir) od = outdir_open(dir, names, false, &e);
	g_autofree char *big = g_strnfill(4096, 'x');

	assert_true(commit_texts(od, "one", "two", &e));
	g_clear_pointer(&od, outdir_close);
	g_autofree char *before = listing(dir);

	/* b.txt does not fit: nothing changes */
	int st = commit_in_child(dir, big, 1024);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 4);
	g_autofree char *a = tu_read(dir, "a.txt"), *b = tu_read(dir, "b.txt");
	assert_string_equal(a, "one");
	assert_string_equal(b, "two");
	g_autofree char *after = listing(dir);
	assert_string_equal(after, before);

	/* killed while writing b.txt: the old set and marker stay */
	st = commit_in_child(dir, "KILL", 0);
	assert_true(WIFSIGNALED(st));
	g_autofree char *a2 = tu_read(dir, "a.txt"), *b2 = tu_read(dir, "b.txt");
	g_autofree char *m = tu_read(dir, OUTDIR_MARKER);
	assert_string_equal(a2, "one");
	assert_string_equal(b2, "two");
	assert_non_null(m);
	/* its temporary files are left, and the next writer clears them */
	g_autofree char *killed = listing(dir);
	assert_string_not_equal(killed, before);
	od = outdir_open(dir, names, false, &e);
	assert_non_null(od);
	g_autofree char *cleared = listing(dir);
	assert_string_equal(cleared, before);

	/* a writer's own failure is passed on, and nothing changes either */
	const struct outdir_file files[] = { { "a.txt", write_text, "new" },
					     { "b.txt", write_refusing, NULL } };
	assert_false(outdir_commit(od, files, 2, &e));
	assert_string_equal(e->message, "the writer's own failure");
	g_autofree char *a3 = tu_read(dir, "a.txt");
	assert_string_equal(a3, "one");
	g_autofree char *last = listing(dir);
	assert_string_equal(last, before);
	g_clear_pointer(&od, outdir_close);
	tu_remove_tree(dir);
}

static int setup(void **state)
{
	return tu_tmpdir_setup(&tmpdir, "accelsim-outdir-XXXXXX");
}

static int teardown(void **state)
{
	return tu_tmpdir_teardown(&tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outdir_writes_a_set_and_its_marker),
		cmocka_unit_test(test_outdir_replaces_links_and_fifos_without_following),
		cmocka_unit_test(test_outdir_second_writer_is_refused),
		cmocka_unit_test(test_outdir_refuses_someone_elses_directory),
		cmocka_unit_test(test_outdir_fails_before_the_work),
		cmocka_unit_test(test_outdir_failed_or_killed_writer_leaves_the_old_set),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
