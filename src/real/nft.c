/* nft.c: load the emulated vSwitch's nftables rules into the host namespace
 * by running `/usr/sbin/nft -f -` there (see nft.h). */
#define _GNU_SOURCE
#include "real/nft.h"

#include <errno.h>
#include <gio/gio.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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

struct child_setup {
	int ns_fd;
	pid_t parent;
};

/* Runs in the child between fork and exec: only async-signal-safe calls.
 * nft dies with accelsim: a SIGKILLed run must not leave it loading rules
 * into a namespace nobody will delete (the check after prctl covers a
 * parent that died before it). */
static void child_setup(gpointer data)
{
	const struct child_setup *c = data;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != c->parent)
		_exit(127);
	if (setns(c->ns_fd, CLONE_NEWNET) != 0)
		_exit(127);
}

/* Where Debian and other distributions install nft.  Never looked up in
 * $PATH: accelsim runs as root here, and a PATH entry the user can write
 * would run their program with root's privileges inside our namespace. */
static const char *const nft_paths[] = { "/usr/sbin/nft", "/sbin/nft" };

/* The first of nft_paths that is an executable owned by root and writable
 * by nobody else; NULL if none (why in *why, static). */
static const char *find_nft(const char **why)
{
	*why = "found none in /usr/sbin or /sbin";
	for (size_t i = 0; i < G_N_ELEMENTS(nft_paths); i++) {
		struct stat st;

		if (stat(nft_paths[i], &st) != 0 || !S_ISREG(st.st_mode) ||
		    access(nft_paths[i], X_OK) != 0)
			continue;
		if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
			*why = "found one not owned by root or writable by others, refusing it";
			continue;
		}
		return nft_paths[i];
	}
	return NULL;
}

bool nft_load_vswitch_rules(int ns_fd, int n, GError **error)
{
	const char *why;
	const char *nft = find_nft(&why);
	struct child_setup setup = { .ns_fd = ns_fd, .parent = getpid() };
	g_autofree char *rules = NULL;
	g_autofree char *err_text = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	GError *err = NULL;

	if (!nft) {
		g_set_error(error, ACCELSIM_ERROR, ACCELSIM_ERROR_UNSUPPORTED,
			    "--vswitch-rules needs the nft program (Debian package nftables): %s",
			    why);
		return false;
	}
	rules = nft_vswitch_ruleset(n);
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
					     G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
					     G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_child_setup(launcher, child_setup, &setup, NULL);
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
