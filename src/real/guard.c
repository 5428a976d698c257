/* guard.c: signals to a cleanup flag (see guard.h). */
#define _GNU_SOURCE
#include "real/guard.h"

#include <string.h>

static const int guarded[] = { SIGINT, SIGTERM, SIGHUP };
#define NGUARDED (sizeof(guarded) / sizeof(guarded[0]))

static volatile sig_atomic_t caught;
static struct sigaction saved[NGUARDED];

static void on_signal(int sig)
{
	caught = sig;
}

void guard_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocked receive returns EINTR */
	caught = 0;
	for (unsigned int i = 0; i < NGUARDED; i++)
		sigaction(guarded[i], &sa, &saved[i]);
}

void guard_restore(void)
{
	for (unsigned int i = 0; i < NGUARDED; i++)
		sigaction(guarded[i], &saved[i], NULL);
}

volatile const sig_atomic_t *guard_flag(void)
{
	return &caught;
}

int guard_signal(void)
{
	return caught;
}
