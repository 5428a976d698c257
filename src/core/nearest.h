/* nearest.h: "did you mean ...?": the known word closest to a mistyped one. */
#ifndef ACCELSIM_NEAREST_H
#define ACCELSIM_NEAREST_H

#include <stddef.h>

/* The word of known[0..n) closest to word: within an edit distance of 3
 * (case ignored) and less than word's length, or one it abbreviates or
 * extends; NULL if none is close. */
const char *nearest_word(const char *word, const char *const *known, size_t n);

/* Edit distance (Levenshtein, case ignored) between a and b. */
size_t nearest_distance(const char *a, const char *b);

#endif
