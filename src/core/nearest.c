/* nearest.c: edit distance for suggestions (see nearest.h). */
#include "core/nearest.h"

#include <glib.h>
#include <string.h>

size_t nearest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	g_autofree size_t *row = g_new(size_t, lb + 1);

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
			size_t best = MIN(row[j] + 1, row[j - 1] + 1);

			row[j] = MIN(best, diag + cost);
			diag = up;
		}
	}
	return row[lb];
}

const char *nearest_word(const char *word, const char *const *known, size_t n)
{
	const char *best = NULL;
	size_t best_d = 4;

	for (size_t i = 0; i < n; i++) {
		size_t d = nearest_distance(word, known[i]);

		if (d < best_d && d < strlen(word)) {
			best = known[i];
			best_d = d;
		}
		/* a known name that the word abbreviates or extends */
		if (!best && strlen(word) >= 3 &&
		    (g_str_has_prefix(known[i], word) || g_str_has_prefix(word, known[i])))
			best = known[i];
	}
	return best;
}

