/* keyspec.h: a table row describing one key of a model or scenario section.
 *
 * A section is a struct; its table of key_spec rows (name, type, unit,
 * offset into the struct, default, range, help) drives parsing, validation,
 * help text and the effective-configuration dump, as fio's options table
 * does.  Leaf code: model/ declares its tables with it and config/ parses
 * them, so neither includes the other.
 */
#ifndef ACCELSIM_KEYSPEC_H
#define ACCELSIM_KEYSPEC_H

#include <stddef.h>

enum key_type {
	KEY_UINT,	/* unsigned, no unit: stored as unsigned int */
	KEY_QTY,	/* quantity with unit: stored as double, base units */
	KEY_DIST,	/* distribution: stored as struct dist */
	KEY_STRING,	/* stored as char * (owned) */
	KEY_ENUM,	/* one of choices: stored as int (index) */
	KEY_BOOL,	/* true/false/yes/no/on/off: stored as bool */
};

struct key_spec {
	const char *name;
	enum key_type type;
	unsigned units;		/* QTY, DIST: enum unit_kind mask */
	size_t offset;		/* into the section struct */
	const char *def;	/* default, written as in a file; NULL: required */
	double min, max;	/* QTY (base units), UINT, DIST; max 0 means no bound */
	const char *const *choices; /* ENUM, NULL-terminated */
	const char *help;
};

/* Rows of a key table for struct st (designated initialisers). */
#define KS_ABOVE_ZERO 1e-300
#define KS_QTY(st_, f_, nm_, u_, def_, lo_, hi_, h_)                                            \
	{ .name = nm_, .type = KEY_QTY, .units = u_, .offset = offsetof(st_, f_), .def = def_,   \
	  .min = lo_, .max = hi_, .help = h_ }
#define KS_DIST(st_, f_, nm_, u_, def_, lo_, h_)                                               \
	{ .name = nm_, .type = KEY_DIST, .units = u_, .offset = offsetof(st_, f_), .def = def_,  \
	  .min = lo_, .help = h_ }
/* A distribution whose values must also stay at most hi_: refused when
 * its largest value is above (constant, uniform, imix, empirical); exp and
 * lognormal have none, and their draws are the user's to keep in range. */
#define KS_DIST_MAX(st_, f_, nm_, u_, def_, lo_, hi_, h_)                                      \
	{ .name = nm_, .type = KEY_DIST, .units = u_, .offset = offsetof(st_, f_), .def = def_,  \
	  .min = lo_, .max = hi_, .help = h_ }
#define KS_UINT(st_, f_, nm_, def_, lo_, hi_, h_)                                              \
	{ .name = nm_, .type = KEY_UINT, .offset = offsetof(st_, f_), .def = def_, .min = lo_,   \
	  .max = hi_, .help = h_ }
#define KS_ENUM(st_, f_, nm_, ch_, def_, h_)                                                  \
	{ .name = nm_, .type = KEY_ENUM, .offset = offsetof(st_, f_), .def = def_,              \
	  .choices = ch_, .help = h_ }
#define KS_STR(st_, f_, nm_, def_, h_)                                                       \
	{ .name = nm_, .type = KEY_STRING, .offset = offsetof(st_, f_), .def = def_, .help = h_ }
#define KS_BOOL(st_, f_, nm_, def_, h_)                                                      \
	{ .name = nm_, .type = KEY_BOOL, .offset = offsetof(st_, f_), .def = def_, .help = h_ }

#endif
