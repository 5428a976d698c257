/* datadir.h: where the shipped models, scenarios and plot templates live.
 *
 * In order: $ACCELSIM_DATADIR if set; the source tree when the running
 * binary sits in the build tree (so accelsim works uninstalled); otherwise
 * $(pkgdatadir), where `make install` puts them. */
#ifndef ACCELSIM_DATADIR_H
#define ACCELSIM_DATADIR_H

#include <glib.h>

/* The data directory (static string; do not free). */
const char *datadir_get(void);

/* Path of a shipped file: datadir/subdir/name (name given with or without
 * ext). NULL if there is no such file. Caller frees. */
char *datadir_find(const char *subdir, const char *name, const char *ext);

/* Sorted names (without ext) of the shipped files in datadir/subdir. */
GPtrArray *datadir_list(const char *subdir, const char *ext);

#endif
