/* msg.c: error, warning and usage reporting (see msg.h). */
#include "core/msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK(accelsim-error-quark, accelsim_error)

int msg_exit_code(const GError *error)
{
	if (error && error->domain == ACCELSIM_ERROR && error->code == ACCELSIM_ERROR_RUNTIME)
		return EXIT_RUNTIME;
	if (error && error->domain == ACCELSIM_ERROR)
		return EXIT_INPUT;
	return EXIT_RUNTIME;
}

/* A line is located when it starts with "something:digits: ". */
static bool is_located(const char *line)
{
	const char *colon = strchr(line, ':');

	if (!colon || colon == line)
		return false;
	const char *p = colon + 1;
	if (!g_ascii_isdigit(*p))
		return false;
	while (g_ascii_isdigit(*p))
		p++;
	return p[0] == ':' && p[1] == ' ';
}

void msg_report_error(const GError *error)
{
	g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);

	for (char **l = lines; *l; l++) {
		if (!**l)
			continue;
		if (is_located(*l))
			fprintf(stderr, "%s\n", *l);
		else
			fprintf(stderr, "accelsim: error: %s\n", *l);
	}
}

static void vreport(const char *prefix, const char *fmt, va_list ap) G_GNUC_PRINTF(2, 0);

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("accelsim: error: ", fmt, ap);
	va_end(ap);
}

void msg_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("accelsim: warning: ", fmt, ap);
	va_end(ap);
}

void msg_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("usage: ", fmt, ap);
	va_end(ap);
}

void msg_conflict(const char *a, const char *b)
{
	msg_error("options '%s' and '%s' cannot be used together", a, b);
}

int msg_fail(GError *error)
{
	int code = msg_exit_code(error);

	msg_report_error(error);
	g_error_free(error);
	return code;
}
