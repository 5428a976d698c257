/* testutil.h: what the tests of the built program share: its path,
 * running it and capturing what it prints, a temporary folder per test
 * program, reading a file whole.  A helper that cannot do its part fails
 * the calling cmocka test. */
#ifndef ACCELSIM_TESTUTIL_H
#define ACCELSIM_TESTUTIL_H

#include <glib.h>
#include <stdbool.h>

/* A NULL-terminated argument vector: ARGS("run", "quickstart"). */
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The accelsim program of this build tree.  Caller frees. */
char *tu_bin(void);

/* Whether that program is built; when it is not, a line that says the
 * test is skipped. */
bool tu_bin_built(void);

/* Run accelsim with args (NULL-terminated) in folder cwd, with environment
 * env (NULL: this process's), standard input inherited; what it printed
 * into *out and *err (either may be NULL; caller frees); its exit status.
 * A program that cannot start or that a signal ends fails the test. */
int tu_run(const char *cwd, char **env, const char *const *args, char **out, char **err);

/* Remove dir and everything below it (a link is removed, not followed). */
void tu_remove_tree(const char *dir);

/* A cmocka set-up's body: a new temporary folder named after tmpl (ending
 * in XXXXXX) into *dir; 0, or -1 when none could be made. */
int tu_tmpdir_setup(char **dir, const char *tmpl);

/* The teardown's body: tu_remove_tree(*dir), then free it; 0. */
int tu_tmpdir_teardown(char **dir);

/* How many times slower than natively programs run here: TEST_TIME_FACTOR
 * (make check-valgrind sets it), or 1 when it is unset or below 1.  Time
 * limits and waits stretch by it. */
int tu_time_factor(void);

/* The tests' data folder: TEST_DATADIR, or the source tree's tests/data
 * when it is unset or empty. */
const char *tu_datadir(void);

/* The text of file name in dir (name NULL: dir is the file), or NULL when
 * it cannot be read.  Caller frees. */
char *tu_read(const char *dir, const char *name);

#endif
