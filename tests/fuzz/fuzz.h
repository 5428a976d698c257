/* fuzz.h: the fuzz targets' entry points and what they share.
 *
 * Each target is one function of (data, size), so the same code runs under
 * libFuzzer (make fuzz, which adds LLVMFuzzerTestOneInput) and in make check,
 * where test_units and test_config replay every saved crashing input in
 * tests/data/fuzz-regressions/.  A target returns 0, or aborts when an input
 * breaks one of the properties it checks; the sanitizers catch the rest.
 */
#ifndef ACCELSIM_FUZZ_H
#define ACCELSIM_FUZZ_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* units_parse, units_parse_uint and dist_parse on one string.  Input: two
 * bytes of unit-kind mask (little-endian, 0: every kind), the string up to
 * the first newline, and after it the text of an empirical table that
 * "empirical(t.txt)" reads. */
int fuzz_units_one(const uint8_t *data, size_t size);

/* kf_load_data on the text, then model_load of it as a file, and the
 * shipped default model with the text as an override layer. */
int fuzz_model_one(const uint8_t *data, size_t size);

/* scenario_load of the text as a file (next to a valid model m.ini); the
 * lines after a line "--" are --set arguments. */
int fuzz_scenario_one(const uint8_t *data, size_t size);

/* A private directory for the files the targets write, created on first
 * use and removed at exit. Static string. */
const char *fuzz_tmpdir(void);

/* Write size bytes to name in fuzz_tmpdir(); returns the path (caller
 * frees). Aborts on I/O errors: they are the harness's, not the input's. */
char *fuzz_write(const char *name, const void *data, size_t size);

/* Check the shape every loader error must have: a non-empty message of
 * non-empty lines, each starting with one of the locations in prefixes
 * (NULL-terminated) followed by ':' (an option, "--set", may also be
 * followed by " KEY: "), or with any existing file when any_file (a
 * scenario may name any file as its model). Aborts with the message when
 * it does not. */
void fuzz_check_error(const GError *error, const char *const *prefixes, bool any_file);

/* Abort with a message when cond is false: the fuzzer saves the input. */
#define FUZZ_CHECK(cond, ...)                                                                   \
	do {                                                                                    \
		if (!(cond))                                                                    \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                      \
	} while (0)
G_NORETURN void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
