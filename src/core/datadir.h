/* datadir.h: where the shipped models, scenarios and plot templates live.
 *
 * In order: $ACCELSIM_DATADIR if set; the source tree when the running
 * binary sits in the build tree (so accelsim works uninstalled); otherwise
 * $(pkgdatadir), where `make install` puts them.
 *
 * A shipped file is named by its path under subdir without ext: "quickstart"
 * is scenarios/quickstart.ini, "calibration/servicing" is
 * scenarios/calibration/servicing.ini.  A folder is a group of files. */
#ifndef ACCELSIM_DATADIR_H
#define ACCELSIM_DATADIR_H

#include <glib.h>

/* The data directory (static string; do not free). */
const char *datadir_get(void);

/* Path of a shipped file: datadir/subdir/name (name given with or without
 * ext; "group/name" for a file in a folder).  NULL if there is no such
 * file, or if name is absolute or has an empty, "." or ".." component.
 * Caller frees. */
char *datadir_find(const char *subdir, const char *name, const char *ext);

/* Sorted names (without ext) of the shipped files directly in
 * datadir/subdir.  Caller frees (g_ptr_array_unref). */
GPtrArray *datadir_list(const char *subdir, const char *ext);

/* Like datadir_list, then the files one folder down, as "group/name",
 * sorted by group and name: every name datadir_find accepts.  Caller frees. */
GPtrArray *datadir_list_all(const char *subdir, const char *ext);

#endif
