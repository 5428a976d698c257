/* units.h: one parser for every quantity written in accelsim's files.
 *
 * Every value is returned in its SI base unit as a double: seconds, bits per
 * second, packets per second, requests per second, bytes, bytes per second,
 * hertz, cycles, or a fraction (50% -> 0.5).  Numbers are read with the C locale ("1.5", "2e3");
 * a space between number and unit is allowed ("25 Gbps").  The unit is
 * case-sensitive where case carries meaning (B is a byte, b a bit).
 * A missing or unknown unit, a negative, infinite or NaN value is an error
 * whose message says what was expected and what was found, without a file
 * location (the config loaders add that).
 */
#ifndef ACCELSIM_UNITS_H
#define ACCELSIM_UNITS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum unit_kind {
	UNIT_TIME = 1u << 0,	  /* ns us µs ms s -> seconds */
	UNIT_BITRATE = 1u << 1,	  /* bps kbps Mbps Gbps Tbps -> bit/s */
	UNIT_PKTRATE = 1u << 2,	  /* pps kpps Mpps -> packets/s */
	UNIT_SIZE = 1u << 3,	  /* B KB KiB MB MiB GB GiB -> bytes */
	UNIT_BYTERATE = 1u << 4,  /* B/s KB/s MB/s GB/s KiB/s MiB/s GiB/s -> bytes/s */
	UNIT_FREQ = 1u << 5,	  /* Hz kHz MHz GHz -> Hz */
	UNIT_CYCLES = 1u << 6,	  /* cycles kcycles -> cycles */
	UNIT_PERCENT = 1u << 7,	  /* % -> fraction */
	UNIT_COUNT = 1u << 8,	  /* a bare number, no unit */
	UNIT_REQRATE = 1u << 9,	  /* rps krps Mrps -> requests/s */
};

/* A parsed value and the kind its unit belongs to. */
struct quantity {
	double value;
	enum unit_kind kind;
};

/* Parse s as one of the kinds in the mask kinds (an OR of enum unit_kind).
 * Returns FALSE and sets error if s is not a finite, non-negative number
 * followed by a unit of one of those kinds.  For an unknown unit, the
 * message suggests up to three units of those kinds, preferring the kinds
 * in which the number is a plausible value ("150k": kpps before kbps). */
bool units_parse(const char *s, unsigned kinds, struct quantity *out, GError **error);

/* Shorthand for a single kind: the value in base units. */
bool units_parse_kind(const char *s, enum unit_kind kind, double *out, GError **error);

/* Parse a non-negative integer without unit, in [min, max]. */
bool units_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, GError **error);

/* What a kind mask expects, for messages: "a time (ns, us, µs, ms, s)".
 * Returns a static string for a single kind; for masks, a newly allocated
 * one that the caller frees. Use units_describe_dup() to always own it. */
char *units_describe_dup(unsigned kinds);

/* Format a value of a kind with a readable unit ("12.5us", "25Gbps") into
 * buf (at least 32 bytes); returns buf. */
char *units_format(double value, enum unit_kind kind, char *buf, size_t len);

#endif
