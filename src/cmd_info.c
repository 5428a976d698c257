/* cmd_info.c: the commands that tell what ships: models, scenarios,
 * check-size, and `help model|scenario` (the key tables). */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config/effective.h"
#include "config/model.h"
#include "config/scenario.h"
#include "core/datadir.h"
#include "core/msg.h"

/* description = ... of group in a shipped file, or "". */
static char *describe(const char *subdir, const char *name, const char *group)
{
	g_autofree char *path = datadir_find(subdir, name, ".ini");
	g_autoptr(GKeyFile) k = g_key_file_new();

	if (!path || !g_key_file_load_from_file(k, path, G_KEY_FILE_NONE, NULL))
		return g_strdup("");
	char *d = g_key_file_get_string(k, group, "description", NULL);
	return d ? d : g_strdup("");
}

static int parse(GOptionContext *ctx, int *argc, char ***argv)
{
	g_autoptr(GError) err = NULL;

	if (!g_option_context_parse(ctx, argc, argv, &err)) {
		msg_error("%s", err->message);
		return EXIT_INPUT;
	}
	return -1;
}

static int list(const char *subdir, const char *group)
{
	g_autoptr(GPtrArray) names = datadir_list(subdir, ".ini");
	guint shown = 0;

	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];

		if (!strcmp(n, "sizes"))
			continue;
		g_autofree char *d = describe(subdir, n, group);
		printf("  %-20s %s\n", n, d);
		shown++;
	}
	if (!shown)
		printf("  (none found under %s/%s)\n", datadir_get(), subdir);
	return EXIT_OK;
}

static int print_sizes(void)
{
	g_autoptr(GError) err = NULL;
	GArray *sizes = vm_sizes_load(&err);

	if (!sizes)
		return msg_fail(g_steal_pointer(&err));
	printf("  %-18s %6s %12s  %s\n", "size", "vCPUs", "bandwidth", "accelerated networking");
	for (guint i = 0; i < sizes->len; i++) {
		const struct vm_size *s = &g_array_index(sizes, struct vm_size, i);
		const char *why;
		bool ok = vm_size_supports_an(s, &why);
		char bw[32] = "-";

		if (s->bandwidth_bps > 0)
			snprintf(bw, sizeof(bw), "%.0f Mbit/s", s->bandwidth_bps / 1e6);
		printf("  %-18s %6u %12s  %s (%s)\n", s->name, s->vcpus, bw, ok ? "yes" : "no", why);
	}
	g_array_unref(sizes);
	return EXIT_OK;
}

/* `help model`: every key with its built-in default beside the value in
 * model_arg, or in the shipped default model when model_arg is NULL (the
 * plain table if that cannot be found). */
static int help_model(const char *model_arg)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(model) m = model_load(model_arg ? model_arg : "default", NULL, 0, &err);
	g_autoptr(effective) e = m ? effective_new_model(m, &err) : NULL;

	if (!e && model_arg)
		return msg_fail(g_steal_pointer(&err));
	if (!e) {
		model_print_help(stdout, false);
		return EXIT_OK;
	}
	effective_print_model_help(stdout, e);
	return EXIT_OK;
}

int cmd_models(int argc, char **argv)
{
	gboolean sizes = FALSE, markdown = FALSE;
	g_autofree char *model_arg = NULL;
	GOptionEntry entries[] = {
		{ "sizes", 's', 0, G_OPTION_ARG_NONE, &sizes, "List VM sizes instead", NULL },
		{ "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
		  "With 'help model|scenario': print the key reference as Markdown", NULL },
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "With 'help model': show this model's values beside the built-in defaults "
		  "(default: the shipped model 'default')",
		  "NAME" },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	const bool help_topic = !strcmp(argv[0], "help");
	int rc;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, help_topic ? "Every key of model or scenario files, "
						       "with default, unit and meaning."
						     : "List the shipped models.");
	if ((rc = parse(ctx, &argc, &argv)) >= 0)
		return rc;
	if (help_topic) {
		if (!strcmp(argv[1], "model") && !markdown)
			return help_model(model_arg);
		if (!strcmp(argv[1], "model"))
			model_print_help(stdout, markdown);
		else
			scenario_print_help(stdout, markdown);
		return EXIT_OK;
	}
	if (argc > 1) {
		msg_usage("accelsim models [--sizes]");
		return EXIT_INPUT;
	}
	if (sizes)
		return print_sizes();
	printf("Shipped models (%s/models):\n", datadir_get());
	return list("models", "model");
}

int cmd_scenarios(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	int rc;

	g_option_context_set_summary(ctx, "List the shipped scenarios; run one with "
					  "'accelsim run NAME'.");
	if ((rc = parse(ctx, &argc, &argv)) >= 0)
		return rc;
	if (argc > 1) {
		msg_usage("accelsim scenarios");
		return EXIT_INPUT;
	}
	printf("Shipped scenarios (%s/scenarios):\n", datadir_get());
	return list("scenarios", "scenario");
}

int cmd_check_size(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("NAME");
	g_autoptr(GError) err = NULL;
	int rc;

	g_option_context_set_summary(ctx, "Say whether a VM size supports accelerated "
					  "networking, and its network bandwidth.");
	if ((rc = parse(ctx, &argc, &argv)) >= 0)
		return rc;
	if (argc != 2) {
		msg_usage("accelsim check-size <name>");
		return EXIT_INPUT;
	}
	GArray *sizes = vm_sizes_load(&err);
	if (!sizes)
		return msg_fail(g_steal_pointer(&err));
	const struct vm_size *s = vm_sizes_find(sizes, argv[1]);
	if (!s) {
		g_autoptr(GPtrArray) names = g_ptr_array_new();

		for (guint i = 0; i < sizes->len; i++)
			g_ptr_array_add(names, g_array_index(sizes, struct vm_size, i).name);
		const char *near = kf_nearest(argv[1], (const char *const *)names->pdata,
					      names->len);
		if (near)
			msg_error("unknown VM size '%s' (did you mean '%s'?)", argv[1], near);
		else
			msg_error("unknown VM size '%s'; see 'accelsim models --sizes'", argv[1]);
		g_array_unref(sizes);
		return EXIT_INPUT;
	}
	const char *why;
	bool ok = vm_size_supports_an(s, &why);
	printf("%s: %u vCPUs%s, ", s->name, s->vcpus, s->hyperthreaded ? " (hyperthreads)" : "");
	if (s->bandwidth_bps > 0)
		printf("%.0f Mbit/s expected bandwidth\n", s->bandwidth_bps / 1e6);
	else
		printf("bandwidth not published\n");
	printf("accelerated networking: %s (%s)\n", ok ? "yes" : "no", why);
	if (s->source && *s->source)
		printf("source: %s\n", s->source);
	g_array_unref(sizes);
	return EXIT_OK;
}
