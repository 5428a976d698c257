/* cmd_info.c: the commands that tell what ships: models, scenarios,
 * check-size, `help model|scenario` (the key tables), and the lists that
 * shell completion reads (`accelsim --list=WHAT`). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
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

/* The shipped files of subdir, a group (folder) after the files at the top,
 * each name as 'accelsim run' takes it, with its description. */
static int list(const char *what, const char *subdir, const char *group)
{
	g_autoptr(GPtrArray) names = datadir_list_all(subdir, ".ini");
	g_autofree char *heading = NULL;
	int width = 0;
	guint shown = 0;

	for (guint i = 0; i < names->len; i++)
		width = MAX(width, (int)strlen(names->pdata[i]));
	printf("Shipped %s (%s/%s):\n", what, datadir_get(), subdir);
	for (guint i = 0; i < names->len; i++) {
		const char *n = names->pdata[i];
		const char *slash = strrchr(n, '/');

		if (!strcmp(n, "sizes"))
			continue;
		if (slash && (!heading || strncmp(heading, n, slash - n + 1))) {
			g_free(heading);
			heading = g_strndup(n, slash - n + 1);
			printf("\n%s\n", heading);
		}
		g_autofree char *d = describe(subdir, n, group);
		/* under the heading "calibration/", a description need not start
		 * with "calibration: " */
		const char *text = d;
		size_t glen = slash ? (size_t)(slash - n) : 0;
		if (glen && !strncmp(d, n, glen) && d[glen] == ':')
			text = g_strchug(d + glen + 1);
		printf("  %-*s  %s\n", width, n, text);
		shown++;
	}
	if (!shown)
		printf("  (none found)\n");
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

int cmd_models(int argc, char **argv)
{
	gboolean sizes = FALSE;
	GOptionEntry entries[] = {
		{ "sizes", 's', 0, G_OPTION_ARG_NONE, &sizes, "List VM sizes instead", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, "List the shipped models, or the VM sizes with their "
					  "bandwidth and whether they\nsupport accelerated "
					  "networking.");
	if (!cli_parse(ctx, &argc, &argv, NULL))
		return EXIT_INPUT;
	if (argc > 1) {
		msg_error("unexpected argument '%s'", argv[1]);
		msg_usage("accelsim models [--sizes]");
		return EXIT_INPUT;
	}
	if (sizes)
		return print_sizes();
	return list("models", "models", "model");
}

/* ---- help model|scenario: the key tables ---- */

/* What `help TOPIC` prints for every section, as text (caller frees). */
/* The help text of topic.  For `help model` (not Markdown), each key's
 * built-in default beside its value in model_arg, or in the shipped
 * default model when model_arg is NULL (the plain table if that cannot be
 * found).  NULL and error if model_arg cannot be loaded. */
static char *topic_text(const char *topic, bool markdown, const char *model_arg,
			GError **error)
{
	char *buf = NULL;
	size_t len = 0;
	g_autoptr(GError) err = NULL;
	g_autoptr(model) m = NULL;
	g_autoptr(effective) e = NULL;

	if (!strcmp(topic, "model") && !markdown) {
		m = model_load(model_arg ? model_arg : "default", NULL, 0, &err);
		e = m ? effective_new_model(m, &err) : NULL;
		if (!e && model_arg) {
			g_propagate_error(error, g_steal_pointer(&err));
			return NULL;
		}
	}
	FILE *f = open_memstream(&buf, &len);

	g_assert(f);
	if (e)
		effective_print_model_help(f, e);
	else if (!strcmp(topic, "model"))
		model_print_help(f, markdown);
	else
		scenario_print_help(f, markdown);
	fclose(f);
	return buf;
}

/* The section a line of topic_text heads ("[vswitch]", "### [traffic NAME]"
 * give "vswitch", "traffic"), or NULL.  Caller frees. */
static char *section_of(const char *line)
{
	const char *p = g_str_has_prefix(line, "### ") ? line + 4 : line;
	size_t n;

	if (*p != '[' || !strchr(p, ']'))
		return NULL;
	p++;
	n = strcspn(p, " ]");
	return g_strndup(p, n);
}

/* A row of a section's table: a key line of the text, a table line of the
 * Markdown. */
static bool is_row(const char *line)
{
	return g_str_has_prefix(line, "  ") || line[0] == '|';
}

/* Every section of topic, in help order. */
static GPtrArray *topic_sections(const char *topic)
{
	g_autofree char *text = topic_text(topic, false, NULL, NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	for (char **l = lines; *l; l++) {
		char *name = section_of(*l);

		if (name)
			g_ptr_array_add(names, name);
	}
	return names;
}

/* Print the part of text about section: its lead-in line (the component's
 * summary), its heading and its table.  FALSE if text has no such section. */
static bool print_section(const char *text, const char *section)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);

	for (guint i = 0; i < n; i++) {
		g_autofree char *name = section_of(lines[i]);
		guint start = i, end = i + 1;

		if (!name || strcmp(name, section))
			continue;
		/* the summary above the heading, maybe with a blank line between */
		guint j = i > 0 && !*lines[i - 1] ? i - 1 : i;
		if (j > 0 && *lines[j - 1] && !is_row(lines[j - 1]) && !section_of(lines[j - 1]))
			start = j - 1;
		while (end < n && (is_row(lines[end]) ||
				   (!*lines[end] && end + 1 < n && is_row(lines[end + 1]))))
			end++;
		for (guint k = start; k < end; k++)
			printf("%s\n", lines[k]);
		return true;
	}
	return false;
}

int cmd_help_topic(int argc, char **argv)
{
	gboolean markdown = FALSE;
	g_autofree char *model_arg = NULL;
	GOptionEntry entries[] = {
		{ "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
		  "Print the key reference as Markdown tables", NULL },
		{ "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_arg,
		  "With 'help model': show this model's values beside the built-in defaults "
		  "(default: the shipped model 'default')",
		  "NAME" },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("[SECTION]");
	g_autoptr(GError) err = NULL;
	const char *topic = argv[0];

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(ctx, !strcmp(topic, "model")
						  ? "Every key of model files, or of one SECTION "
						    "(vswitch, nic, ...), with its\ndefault, unit and "
						    "meaning."
						  : "Every key of scenario files, or of one SECTION "
						    "(scenario, traffic, event, load),\nwith its "
						    "default, unit and meaning.");
	if (!cli_parse(ctx, &argc, &argv, NULL))
		return EXIT_INPUT;
	if (model_arg && strcmp(topic, "model")) {
		msg_error("--model: only with 'help model'");
		return EXIT_INPUT;
	}
	g_autofree char *text = topic_text(topic, markdown, model_arg, &err);
	if (!text)
		return msg_fail(g_steal_pointer(&err));
	if (argc == 1) {
		fputs(text, stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		msg_error("unexpected argument '%s'", argv[2]);
		msg_usage("accelsim help %s [--markdown]%s [<section>]", topic,
			  strcmp(topic, "model") ? "" : " [--model=<name>]");
		return EXIT_INPUT;
	}
	if (print_section(text, argv[1]))
		return EXIT_OK;

	g_autoptr(GPtrArray) names = topic_sections(topic);
	const char *near = kf_nearest(argv[1], (const char *const *)names->pdata, names->len);
	g_ptr_array_add(names, NULL);
	g_autofree char *all = g_strjoinv(", ", (char **)names->pdata);
	if (near)
		msg_error("no %s section '%s' (did you mean '%s'?)", topic, argv[1], near);
	else
		msg_error("no %s section '%s'; %s sections: %s", topic, argv[1], topic, all);
	return EXIT_INPUT;
}

/* ---- accelsim --list=WHAT, for shell completion ---- */

/* Print "section.key" for every key of topic's text. */
static void print_keys(const char *topic)
{
	g_autofree char *text = topic_text(topic, false, NULL, NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *section = NULL;

	for (char **l = lines; *l; l++) {
		char *name = section_of(*l);

		if (name) {
			g_free(section);
			section = name;
		} else if (section && g_str_has_prefix(*l, "  ") && g_ascii_isalpha((*l)[2])) {
			printf("%s.%.*s\n", section, (int)strcspn(*l + 2, " "), *l + 2);
		}
	}
}

int cmd_list(const char *what)
{
	if (!strcmp(what, "scenarios") || !strcmp(what, "models")) {
		g_autoptr(GPtrArray) names = datadir_list_all(what, ".ini");

		for (guint i = 0; i < names->len; i++)
			if (strcmp(names->pdata[i], "sizes"))
				printf("%s\n", (char *)names->pdata[i]);
		return EXIT_OK;
	}
	if (!strcmp(what, "sizes")) {
		g_autoptr(GError) err = NULL;
		GArray *sizes = vm_sizes_load(&err);

		if (!sizes)
			return msg_fail(g_steal_pointer(&err));
		for (guint i = 0; i < sizes->len; i++)
			printf("%s\n", g_array_index(sizes, struct vm_size, i).name);
		g_array_unref(sizes);
		return EXIT_OK;
	}
	if (!strcmp(what, "keys")) {
		print_keys("scenario");
		print_keys("model");
		return EXIT_OK;
	}
	if (!strcmp(what, "sections")) {
		const char *const topics[] = { "scenario", "model" };

		for (size_t t = 0; t < G_N_ELEMENTS(topics); t++) {
			g_autoptr(GPtrArray) names = topic_sections(topics[t]);

			for (guint i = 0; i < names->len; i++)
				printf("%s %s\n", topics[t], (char *)names->pdata[i]);
		}
		return EXIT_OK;
	}
	msg_error("--list: expected commands, scenarios, models, sizes, keys or sections, "
		  "got '%s'", what);
	return EXIT_INPUT;
}

int cmd_scenarios(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);

	g_option_context_set_summary(ctx, "List the shipped scenarios, the calibration targets "
					  "in their own group;\nrun one with 'accelsim run NAME'.");
	if (!cli_parse(ctx, &argc, &argv, NULL))
		return EXIT_INPUT;
	if (argc > 1) {
		msg_error("unexpected argument '%s'", argv[1]);
		msg_usage("accelsim scenarios");
		return EXIT_INPUT;
	}
	return list("scenarios", "scenarios", "scenario");
}

int cmd_check_size(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("NAME");
	g_autoptr(GError) err = NULL;

	g_option_context_set_summary(ctx, "Say whether a VM size supports accelerated "
					  "networking, and its network bandwidth.");
	if (!cli_parse(ctx, &argc, &argv, NULL))
		return EXIT_INPUT;
	if (argc != 2) {
		if (argc < 2)
			msg_error("expected a VM size such as Standard_D2s_v3, got none");
		else
			msg_error("unexpected argument '%s'", argv[2]);
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
