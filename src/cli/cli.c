/* cli.c: the command-line checks the subcommands share (see cli.h). */
#include "cli/cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/msg.h"

bool cli_parse(GOptionContext *ctx, int *argc, char ***argv, const char *usage)
{
	g_autoptr(GError) err = NULL;

	if (g_option_context_parse(ctx, argc, argv, &err))
		return true;
	/* GLib capitalises its messages; ours start lowercase */
	err->message[0] = g_ascii_tolower(err->message[0]);
	msg_error("%s", err->message);
	if (usage)
		msg_usage("%s", usage);
	return false;
}

bool cli_one_scenario(int argc, char *const *argv, const char *what, const char *usage)
{
	if (argc == 2)
		return true;
	if (argc < 2)
		msg_error("expected a scenario (%s), got none", what);
	else
		msg_error("expected one scenario, got '%s' and '%s'", argv[1], argv[2]);
	msg_usage("%s", usage);
	return false;
}

bool cli_sets_ok(char *const *sets, const char *value, const char *usage)
{
	for (char *const *p = sets; p && *p; p++) {
		if (strchr(*p, '='))
			continue;
		if (value)
			msg_error("--set: expected section.key=value, got '%s' (did you mean "
				  "--set %s=%s?)", *p, *p, value);
		else
			msg_error("--set: expected section.key=value, got '%s'", *p);
		msg_usage("%s", usage);
		return false;
	}
	return true;
}

bool cli_seed_ok(gint64 seed)
{
	if (seed >= -1 && seed <= (gint64)UINT32_MAX)
		return true;
	msg_error("--seed: expected a number from 0 to %u, got %" G_GINT64_FORMAT, UINT32_MAX,
		  seed);
	return false;
}

bool cli_seeds_ok(gint64 seeds)
{
	if (seeds >= 1 && seeds <= 10000)
		return true;
	msg_error("--seeds: expected a number of runs from 1 to 10000, got %" G_GINT64_FORMAT,
		  seeds);
	return false;
}

bool cli_want_colour(void)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}
