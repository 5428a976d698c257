/* Light runs: the test suite under memcheck or another slow checker.
 *
 * Tests that are statistical oracles (closed forms, calibration targets,
 * every shipped scenario) simulate for seconds.  Under memcheck, 20 to 50
 * times slower, they would take an hour and exercise no code that the
 * short tests do not, so make check-valgrind sets ACCELSIM_TEST_LIGHT and
 * they skip, saying why.  make check always runs them. */
#ifndef ACCELSIM_TESTS_LIGHT_H
#define ACCELSIM_TESTS_LIGHT_H

#include <stdlib.h>

#define SKIP_IF_LIGHT()                                                                      \
	do {                                                                                 \
		const char *light_ = getenv("ACCELSIM_TEST_LIGHT");                          \
		if (light_ && *light_) {                                                     \
			print_message("  skipped in a light run (ACCELSIM_TEST_LIGHT): a long " \
				      "statistical run, which make check runs\n");           \
			skip();                                                              \
		}                                                                            \
	} while (0)

#endif
