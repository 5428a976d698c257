/* outdir.h: write a set of result files into a directory, whole or not at
 * all.
 *
 * outdir_open() takes the directory before the work that produces the
 * files, so that a wrong or busy directory fails at once: it creates the
 * directory if missing, locks it against a second writer (the lock dies
 * with the process), checks that files can be created there, and refuses a
 * directory holding files that are not accelsim's unless told to force.
 * outdir_commit() then writes every file of the set to a temporary name in
 * the directory and, once all are written and synced, removes the previous
 * set's marker, renames each into place, and writes the marker last.
 *
 * What a reader can rely on: each file is whole (the old one or the new
 * one, never a mix or a truncation, whatever kills the writer); the files
 * are one set when the marker exists, and the marker lists them.  A file is
 * never opened for writing where it already exists: a symbolic link in the
 * directory is replaced, never followed, and so is a FIFO.
 *
 * Files of the directory that are accelsim's: OUTDIR_LOCK (the lock, which
 * stays, and marks the directory as written by accelsim), OUTDIR_MARKER,
 * and temporary ".NAME.tmp-XXXXXX" files, which outdir_open removes when a
 * writer died before renaming them.
 */
#ifndef ACCELSIM_OUTDIR_H
#define ACCELSIM_OUTDIR_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#define OUTDIR_LOCK ".accelsim.lock"
#define OUTDIR_MARKER ".accelsim.done"

/* Write one file's contents on f.  Return false with error for a failure
 * of the writer's own; write errors on f are outdir's to find. */
typedef bool (*outdir_write_fn)(FILE *f, const void *data, GError **error);

struct outdir_file {
	const char *name;	/* a plain name in the directory: no '/', not hidden */
	outdir_write_fn write;
	const void *data;	/* passed to write */
};

struct outdir;
typedef struct outdir outdir;

/* Take the directory at path for writing the files named in names
 * (NULL-terminated): create it (and its parents) if missing, lock it, and
 * check it is writable.  A directory that holds anything but those names
 * and accelsim's own files, and was not written by accelsim (no
 * OUTDIR_LOCK), is refused unless force.  Errors: ACCELSIM_ERROR_INPUT for
 * a directory refused as not accelsim's or not a directory,
 * ACCELSIM_ERROR_RUNTIME for the rest (cannot create, cannot write, locked
 * by another process, which the message names).  Free with outdir_close(),
 * which releases the lock. */
struct outdir *outdir_open(const char *path, const char *const *names, bool force,
			   GError **error);

/* Write files[0..n) as one set (see above).  Each name must be one given
 * to outdir_open.  On failure (ACCELSIM_ERROR_RUNTIME, naming the file and
 * why) nothing of the new set is left under its final names unless the
 * failure came while renaming, and then the marker is absent. */
bool outdir_commit(struct outdir *od, const struct outdir_file *files, size_t n, GError **error);

void outdir_close(struct outdir *od);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(outdir, outdir_close)

/* One file on its own, whole or not at all (g_file_set_contents): len
 * bytes of text (len -1: up to its NUL) into path.  FALSE on failure, with
 * an ACCELSIM_ERROR_RUNTIME error "cannot write 'PATH': why". */
bool outdir_write_file(const char *path, const char *text, gssize len, GError **error);

#endif
