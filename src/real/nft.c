/* nft.c: load the emulated vSwitch's nftables rules into the host namespace
 * by running `nft -f -` there (see nft.h). */
#define _GNU_SOURCE
#include "real/nft.h"

#include <errno.h>
#include <gio/gio.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "core/msg.h"

char *nft_vswitch_ruleset(int n)
{
	GString *s = g_string_new(NULL);

	g_string_append(s, "add table bridge accelsim\n"
			"add chain bridge accelsim vswitch "
			"{ type filter hook forward priority 0; policy accept; }\n");
	/* Distinct destinations, as an ACL of many tenants would have: a rule
	 * set of copies could be folded by a smarter evaluator one day. */
	for (int i = 0; i < n; i++)
		g_string_append_printf(s, "add rule bridge accelsim vswitch "
				       "ip daddr 198.19.%d.%d udp dport %d drop\n",
				       (i / 250) % 256, i % 250 + 1, 1024 + i % 1000);
	return g_string_free(s, FALSE);
}

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void enter_netns(gpointer data)
{
	int fd = GPOINTER_TO_INT(data);

	if (setns(fd, CLONE_NEWNET) != 0)
		_exit(127);
}

static char *find_nft(void)
{
	char *path = g_find_program_in_path("nft");

	if (!path && g_file_test("/usr/sbin/nft", G_FILE_TEST_IS_EXECUTABLE))
		path = g_strdup("/usr/sbin/nft");
	return path;
}

bool nft_load_vswitch_rules(int ns_fd, int n, GError **error)
{
	g_autofree char *nft = find_nft();
	g_autofree char *rules = NULL;
	g_autofree char *err_text = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	GError *err = NULL;

	if (!nft) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "--vswitch-rules needs the nft program (Debian package nftables), "
			    "found none in PATH or /usr/sbin");
		return false;
	}
	rules = nft_vswitch_ruleset(n);
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
					     G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
					     G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_child_setup(launcher, enter_netns,
					      GINT_TO_POINTER(ns_fd), NULL);
	proc = g_subprocess_launcher_spawn(launcher, &err, nft, "-f", "-", NULL);
	if (!proc) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot run %s: %s", nft, err->message);
		g_error_free(err);
		return false;
	}
	if (!g_subprocess_communicate_utf8(proc, rules, NULL, NULL, &err_text, &err)) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "cannot load nftables rules: %s", err->message);
		g_error_free(err);
		return false;
	}
	if (!g_subprocess_get_if_exited(proc) || g_subprocess_get_exit_status(proc) != 0) {
		/* nft's first line names the fault; the rest quotes the input */
		if (!err_text)
			err_text = g_strdup("");
		else if (strchr(err_text, '\n'))
			*strchr(err_text, '\n') = '\0';
		g_strstrip(err_text);
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_RUNTIME,
			    "%s -f - failed loading %d vswitch rules%s%s", nft, n,
			    *err_text ? ": " : "", err_text);
		return false;
	}
	return true;
}
