/* effective.c: the effective configuration, key by key (see effective.h).
 *
 * Each section is parsed again from the same layers the loaders used, into
 * a scratch struct laid out by its key table, so that every value is the
 * one the run uses, and the default is parsed the same way to tell what
 * changed.  Values are written back from the parsed numbers, not copied
 * from the file, so "2.6GHz" and "2600MHz" print alike and the text reads
 * back to the same bits.
 */
#include "config/effective.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* ---- values back in file form ---- */

/* The fewest significant digits of v that read back to v: its digits
 * (no point, no trailing zeros) and the decimal exponent of the first. */
static void shortest_digits(double v, char *digits, size_t len, int *exp10)
{
	char buf[40];

	for (int prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, v);
		if (g_ascii_strtod(buf, NULL) == v)
			break;
	}
	char *e = strchr(buf, 'e');
	size_t n = 0;

	*exp10 = atoi(e + 1);
	for (const char *p = buf; p < e && n + 1 < len; p++)
		if (g_ascii_isdigit(*p))
			digits[n++] = *p;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
}

/* digits * 10^(exp10 - (len - 1)), written without an exponent where that
 * stays short: "2.6", "1500", "0.0002". */
static char *decimal_text(const char *digits, int exp10)
{
	int n = (int)strlen(digits);

	if (!strcmp(digits, "0"))
		return g_strdup("0");
	if (exp10 < -6 || exp10 > 20)
		return g_strdup_printf("%c%s%se%d", digits[0], n > 1 ? "." : "", digits + 1, exp10);
	if (exp10 >= n - 1) {
		g_autofree char *zeros = g_strnfill(exp10 - (n - 1), '0');

		return g_strconcat(digits, zeros, NULL);
	}
	if (exp10 >= 0)
		return g_strdup_printf("%.*s.%s", exp10 + 1, digits, digits + exp10 + 1);
	g_autofree char *zeros = g_strnfill(-exp10 - 1, '0');
	return g_strconcat("0.", zeros, digits, NULL);
}

/* The unit suffix units_format() picks for value, and its scale. */
static const char *pick_unit(double value, enum unit_kind kind, char *buf, size_t len,
			     double *scale)
{
	const char *p;

	units_format(value, kind, buf, len);
	for (p = buf; *p && (g_ascii_isdigit(*p) || strchr(".e+-", *p)); p++)
		;
	*scale = 1;
	if (*p) {
		g_autofree char *one = g_strconcat("1", p, NULL);
		struct quantity q;

		if (units_parse(one, kind, &q, NULL))
			*scale = q.value;
	}
	return p;
}

/* value in the binary size unit that divides it with the largest scale
 * ("4KiB"), or NULL. */
static char *binary_text(double value, enum unit_kind kind)
{
	static const char *const binary[] = { "GiB", "MiB", "KiB" };

	if ((kind != UNIT_SIZE && kind != UNIT_BYTERATE) || !(value > 0))
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(binary); i++) {
		g_autofree char *unit = g_strconcat(binary[i], kind == UNIT_BYTERATE ? "/s" : "", NULL);
		g_autofree char *one = g_strconcat("1", unit, NULL);
		struct quantity q;

		if (units_parse(one, kind, &q, NULL) && value >= q.value &&
		    fmod(value, q.value) == 0 && value / q.value < 1e15)
			return g_strdup_printf("%.0f%s", value / q.value, unit);
	}
	return NULL;
}

char *effective_quantity_text(double value, enum unit_kind kind)
{
	char digits[40], buf[64];
	int e10;
	double scale;
	/* zero in the base unit ("0s", not "0ns"); cycles as people write
	 * them ("4200cycles", not "4.2kcycles") */
	const char *unit = pick_unit(value == 0 || kind == UNIT_CYCLES ? 1 : MIN(value, 1e300), kind,
				     buf, sizeof(buf), &scale);
	/* a decimal unit's scale is 10^k: shift the digits, exactly */
	int k = (int)lround(log10(scale));

	shortest_digits(value, digits, sizeof(digits), &e10);
	g_autofree char *num = decimal_text(digits, value == 0 ? 0 : e10 - k);
	char *dec = g_strconcat(num, unit, NULL);
	/* "4KiB" rather than "4.096KB", but "8GB/s" rather than "7812500KiB/s" */
	char *bin = binary_text(value, kind);

	if (bin && strlen(bin) < strlen(dec)) {
		g_free(dec);
		return bin;
	}
	g_free(bin);
	return dec;
}

static unsigned first_kind(unsigned mask)
{
	return mask & -mask;
}

/* The file inside "empirical(FILE)", resolved from dir. */
static char *empirical_text(const char *text, const char *dir)
{
	const char *open = text ? strchr(text, '(') : NULL;
	const char *close = text ? strrchr(text, ')') : NULL;

	if (!open || !close || close < open)
		return g_strdup(text ? text : "empirical()");
	g_autofree char *file = g_strstrip(g_strndup(open + 1, close - open - 1));
	/* dir is relative for a file named relative to the working directory */
	g_autofree char *base = dir ? g_canonicalize_filename(dir, NULL) : NULL;
	g_autofree char *abs = g_canonicalize_filename(file, base);
	return g_strdup_printf("empirical(%s)", abs);
}

static char *dist_text(const struct dist *d, const char *text, const char *dir)
{
	g_autofree char *a = NULL, *b = NULL;

	switch (d->kind) {
	case DIST_CONSTANT:
		return effective_quantity_text(d->a, d->unit);
	case DIST_EXP:
		a = effective_quantity_text(d->a, d->unit);
		return g_strdup_printf("exp(%s)", a);
	case DIST_LOGNORMAL:
		a = effective_quantity_text(d->a, d->unit);
		b = effective_quantity_text(d->b, d->unit);
		return g_strdup_printf("lognormal(%s, %s)", a, b);
	case DIST_UNIFORM:
		a = effective_quantity_text(d->a, d->unit);
		b = effective_quantity_text(d->b, d->unit);
		return g_strdup_printf("uniform(%s, %s)", a, b);
	case DIST_IMIX:
		return g_strdup("imix");
	case DIST_EMPIRICAL:
		return empirical_text(text, dir);
	}
	g_assert_not_reached();
}

char *effective_value_text(const struct key_spec *ks, const void *field, const char *text,
			   const char *dir)
{
	switch (ks->type) {
	case KEY_UINT:
		return g_strdup_printf("%u", *(const unsigned *)field);
	case KEY_QTY:
		return effective_quantity_text(*(const double *)field, first_kind(ks->units));
	case KEY_DIST:
		return dist_text(field, text, dir);
	case KEY_STRING: {
		const char *s = *(char *const *)field;

		return g_strdup(s ? s : "");
	}
	case KEY_ENUM:
		return g_strdup(ks->choices[*(const int *)field]);
	case KEY_BOOL:
		return g_strdup(*(const bool *)field ? "true" : "false");
	}
	g_assert_not_reached();
}

bool effective_value_equal(const struct key_spec *ks, const void *a, const void *b)
{
	switch (ks->type) {
	case KEY_UINT:
		return *(const unsigned *)a == *(const unsigned *)b;
	case KEY_QTY:
		return !memcmp(a, b, sizeof(double));
	case KEY_DIST: {
		const struct dist *x = a, *y = b;

		return x->kind == y->kind && x->unit == y->unit && !memcmp(&x->a, &y->a, sizeof(double)) &&
		       !memcmp(&x->b, &y->b, sizeof(double)) && x->n == y->n &&
		       (!x->n || (!memcmp(x->values, y->values, x->n * sizeof(double)) &&
				  !memcmp(x->cdf, y->cdf, x->n * sizeof(double))));
	}
	case KEY_STRING:
		return !g_strcmp0(*(char *const *)a, *(char *const *)b);
	case KEY_ENUM:
		return *(const int *)a == *(const int *)b;
	case KEY_BOOL:
		return *(const bool *)a == *(const bool *)b;
	}
	g_assert_not_reached();
}

/* ---- building ---- */

/* Bytes a struct described by keys needs. */
static size_t section_size(const struct key_spec *keys, size_t n)
{
	size_t size = 1;

	for (size_t i = 0; i < n; i++) {
		size_t f = 0;

		switch (keys[i].type) {
		case KEY_UINT:
			f = sizeof(unsigned);
			break;
		case KEY_QTY:
			f = sizeof(double);
			break;
		case KEY_DIST:
			f = sizeof(struct dist);
			break;
		case KEY_STRING:
			f = sizeof(char *);
			break;
		case KEY_ENUM:
			f = sizeof(int);
			break;
		case KEY_BOOL:
			f = sizeof(bool);
			break;
		}
		size = MAX(size, keys[i].offset + f);
	}
	return size;
}

static void eff_key_free(gpointer data)
{
	struct eff_key *k = data;

	g_free(k->group);
	g_free(k->value);
	g_free(k->written);
	g_free(k->origin);
	g_free(k);
}

void effective_free(struct effective *e)
{
	if (!e)
		return;
	g_free(e->scenario_path);
	g_free(e->model_path);
	g_free(e->model_name);
	if (e->keys)
		g_ptr_array_unref(e->keys);
	g_free(e);
}

static struct effective *effective_alloc(void)
{
	struct effective *e = g_new0(struct effective, 1);

	e->keys = g_ptr_array_new_with_free_func(eff_key_free);
	return e;
}

/* What a builder needs besides the section. */
struct build {
	struct effective *e;
	const struct kf_stack *st;
	const struct kf *sets;
	const struct kf *model_kf;	/* the model file's layer */
	const struct model *model;	/* for values derived from the size table */
	bool is_model;
	struct diag d;
};

/* "FILE:LINE" of group.key in k (the group's line when the key has none);
 * FILE relative to the current directory when it lies below it. */
static char *origin_of(const struct kf *k, const char *group, const char *key)
{
	int line = kf_line(k, group, key);
	g_autofree char *cwd = g_get_current_dir();
	g_autofree char *abs = g_canonicalize_filename(k->path, cwd);
	size_t n = strlen(cwd);
	const char *shown = !strncmp(abs, cwd, n) && abs[n] == '/' ? abs + n + 1 : k->path;

	if (!line)
		line = kf_line(k, group, NULL);
	return line ? g_strdup_printf("%s:%d", shown, line) : g_strdup(shown);
}

/* Scenario keys that name files: absolute, so the dump runs from anywhere. */
static char *resolve_file_key(const char *group, const struct key_spec *ks, const char *value,
			      const struct kf *from)
{
	if (!from || !*value)
		return NULL;
	if (!strcmp(ks->name, "trace") && g_str_has_prefix(group, "traffic")) {
		g_autofree char *base = g_canonicalize_filename(from->dir, NULL);

		return g_canonicalize_filename(value, base);
	}
	if (!strcmp(ks->name, "model") && !strcmp(group, "scenario") &&
	    (strchr(value, '/') || g_str_has_suffix(value, ".ini"))) {
		g_autofree char *path = model_resolve(value, from->dir, NULL);

		return path ? g_canonicalize_filename(path, NULL) : NULL;
	}
	return NULL;
}

static void add_section(struct build *b, const char *group, const struct key_spec *keys,
			size_t n)
{
	const size_t size = section_size(keys, n);
	g_autofree void *val = g_malloc0(size);
	g_autofree void *def = g_malloc0(size);
	g_autoptr(kf) empty = kf_load_data("defaults", "", NULL);
	struct kf_stack none = { .layer = { empty }, .n = 1 };
	struct diag ignore;

	kf_parse_section(b->st, group, keys, n, val, &b->d);
	diag_init(&ignore); /* required keys have no default: "missing" */
	kf_parse_section(&none, group, keys, n, def, &ignore);
	diag_clear(&ignore);

	for (size_t i = 0; i < n; i++) {
		const struct key_spec *ks = &keys[i];
		const void *field = (const char *)val + ks->offset;
		const struct kf *from = NULL;
		g_autofree char *text = kf_stack_value(b->st, group, ks->name, &from);
		struct eff_key *k = g_new0(struct eff_key, 1);

		k->group = g_strdup(group);
		k->spec = ks;
		k->model = b->is_model;
		/* a scenario or --set value over one the model file sets is
		 * kept even when it is the built-in default: the printed
		 * scenario names the model, whose value would come back */
		k->changed = !ks->def ||
			     !effective_value_equal(ks, field, (const char *)def + ks->offset) ||
			     (from && b->model_kf && from != b->model_kf &&
			      kf_line(b->model_kf, group, ks->name) > 0);
		k->written = g_strdup(text ? text : ks->def ? ks->def : "");
		k->value = effective_value_text(ks, field, k->written, from ? from->dir : NULL);
		if (!from) {
			k->source = EFF_DEFAULT;
			k->origin = g_strdup("default");
		} else if (from == b->sets) {
			k->source = EFF_SET;
			k->origin = g_strdup("--set");
		} else {
			k->source = from == b->model_kf ? EFF_MODEL : EFF_SCENARIO;
			k->origin = origin_of(from, group, ks->name);
		}
		char *file = resolve_file_key(group, ks, k->value, from);
		if (file) {
			g_free(k->value);
			k->value = file;
		}
		g_ptr_array_add(b->e->keys, k);
	}
	kf_clear_section(keys, n, val);
	kf_clear_section(keys, n, def);
}

static struct eff_key *find_mut(struct effective *e, const char *group, const char *key)
{
	for (guint i = 0; i < e->keys->len; i++) {
		struct eff_key *k = e->keys->pdata[i];

		if (!strcmp(k->group, group) && !strcmp(k->spec->name, key))
			return k;
	}
	return NULL;
}

const struct eff_key *effective_find(const struct effective *e, const char *group,
				     const char *key)
{
	return find_mut((struct effective *)e, group, key);
}

/* Values the model loader takes from elsewhere when the layers leave them
 * at their default: vm.vcpus and vm.bandwidth from the size table, and
 * model.name from the file's name. */
static void add_derived(struct build *b)
{
	const struct model *m = b->model;
	struct eff_key *vcpus = find_mut(b->e, "vm", "vcpus");
	struct eff_key *bw = find_mut(b->e, "vm", "bandwidth");
	struct eff_key *name = find_mut(b->e, "model", "name");
	g_autofree char *size_origin = g_strdup_printf("vm.size %s (models/sizes.ini)", m->vm.size);

	if (vcpus && !strcmp(vcpus->value, "0") && m->vm.vcpus) {
		g_free(vcpus->value);
		vcpus->value = g_strdup_printf("%u", m->vm.vcpus);
		g_free(vcpus->origin);
		vcpus->origin = g_strdup(size_origin);
		vcpus->source = EFF_DERIVED;
	}
	if (bw && !strcmp(bw->value, "0bps") && m->vm.bandwidth_bps > 0) {
		g_free(bw->value);
		bw->value = effective_quantity_text(m->vm.bandwidth_bps, UNIT_BITRATE);
		g_free(bw->origin);
		bw->origin = g_strdup(size_origin);
		bw->source = EFF_DERIVED;
	}
	if (name && !*name->value && m->name) {
		g_free(name->value);
		name->value = g_strdup(m->name);
		g_free(name->origin);
		name->origin = g_strdup("the model file's name");
		name->source = EFF_DERIVED;
	}
}

static void add_model_sections(struct build *b)
{
	b->is_model = true;
	for (const char *const *g = model_fixed_groups; *g; g++) {
		size_t n;
		const struct key_spec *keys = model_section_keys(*g, &n);

		add_section(b, *g, keys, n);
	}
	for (size_t i = 0; i < component_registry_len; i++) {
		const struct component_ops *ops = component_registry[i];

		if (ops->nkeys)
			add_section(b, ops->kind, ops->keys, ops->nkeys);
	}
	add_derived(b);
}

static bool finish(struct build *b, GError **error)
{
	bool ok = diag_finish(&b->d, error);

	diag_clear(&b->d);
	return ok;
}

struct effective *effective_new(const struct scenario *s, const char *model_override,
				const struct kf *sets, GError **error)
{
	g_autoptr(effective) e = effective_alloc();
	g_autoptr(kf) scen = kf_load(s->path, error);
	g_autoptr(kf) mfile = scen ? kf_load(s->model->path, error) : NULL;
	struct kf_stack st = { .n = 0 };
	struct build b = { .e = e, .st = &st, .sets = sets, .model = s->model };

	if (!mfile)
		return NULL;
	e->scenario_path = strcmp(s->path, "-") ? g_canonicalize_filename(s->path, NULL)
						 : g_strdup("-");
	e->model_path = g_canonicalize_filename(s->model->path, NULL);
	e->model_name = g_strdup(s->model->name);
	diag_init(&b.d);

	if (sets)
		st.layer[st.n++] = sets;
	st.layer[st.n++] = scen;
	size_t n;
	const struct key_spec *keys = scenario_section_keys("scenario", &n);
	add_section(&b, "scenario", keys, n);
	g_auto(GStrv) groups = g_key_file_get_groups(scen->keys, NULL);
	for (char **g = groups; *g; g++)
		if (strcmp(*g, "scenario") && (keys = scenario_section_keys(*g, &n)))
			add_section(&b, *g, keys, n);
	if (model_override) {
		struct eff_key *k = find_mut(e, "scenario", "model");
		bool path = strchr(model_override, '/') || g_str_has_suffix(model_override, ".ini");

		g_free(k->value);
		k->value = path ? g_strdup(e->model_path) : g_strdup(model_override);
		g_free(k->written);
		k->written = g_strdup(model_override);
		g_free(k->origin);
		k->origin = g_strdup("--model");
		k->source = EFF_OPTION;
		k->changed = strcmp(model_override, "default") != 0;
	}

	/* a scenario file's model sections lie between --set and the model */
	st.layer[st.n++] = mfile;
	b.model_kf = mfile;
	add_model_sections(&b);
	if (!finish(&b, error))
		return NULL;
	return g_steal_pointer(&e);
}

struct effective *effective_new_model(const struct model *m, GError **error)
{
	g_autoptr(effective) e = effective_alloc();
	g_autoptr(kf) file = kf_load(m->path, error);
	struct kf_stack st = { .layer = { file }, .n = 1 };
	struct build b = { .e = e, .st = &st, .model = m, .model_kf = file };

	if (!file)
		return NULL;
	e->model_path = g_canonicalize_filename(m->path, NULL);
	e->model_name = g_strdup(m->name);
	diag_init(&b.d);
	add_model_sections(&b);
	if (!finish(&b, error))
		return NULL;
	return g_steal_pointer(&e);
}

bool effective_override(struct effective *e, const char *group, const char *key,
			const char *text, const char *origin, GError **error)
{
	struct eff_key *k = find_mut(e, group, key);
	g_autofree char *ini = g_strdup_printf("[%s]\n%s = %s\n", group, key, text);
	g_autoptr(kf) layer = NULL;

	g_assert(k);
	layer = kf_load_data(origin, ini, error);
	if (!layer)
		return false;
	struct kf_stack st = { .layer = { layer }, .n = 1 };
	struct diag d;
	struct key_spec one = *k->spec;

	one.offset = 0;
	g_autofree void *val = g_malloc0(section_size(&one, 1));
	diag_init(&d);
	kf_parse_section(&st, group, &one, 1, val, &d);
	if (!diag_finish(&d, error)) {
		diag_clear(&d);
		return false;
	}
	diag_clear(&d);
	g_free(k->value);
	k->value = effective_value_text(&one, val, text, NULL);
	g_free(k->written);
	k->written = g_strdup(text);
	g_free(k->origin);
	k->origin = g_strdup(origin);
	k->source = EFF_OPTION;
	k->changed = true;
	kf_clear_section(&one, 1, val);
	return true;
}

/* ---- printing ---- */

void effective_print(FILE *f, const struct effective *e, bool changed_only)
{
	const char *group = NULL;

	if (e->scenario_path)
		fprintf(f, "# accelsim config: the effective configuration of\n#   %s\n",
			strcmp(e->scenario_path, "-") ? e->scenario_path
						      : "the scenario on standard input");
	fprintf(f, "# model %s: %s\n", e->model_name, e->model_path);
	fprintf(f, "# %s, each with where its value comes from:\n"
		   "# default (built in), FILE:LINE, --set, --model, or the VM size table.\n"
		   "# Save it and run it as a scenario.\n",
		changed_only ? "the keys that differ from the built-in defaults" : "every key");
	for (guint i = 0; i < e->keys->len; i++) {
		const struct eff_key *k = e->keys->pdata[i];
		bool show = !changed_only || k->changed;

		/* a scenario section exists whatever its keys: a traffic source */
		if (!group || strcmp(group, k->group)) {
			bool any = !k->model;

			for (guint j = i; !any && j < e->keys->len; j++) {
				const struct eff_key *o = e->keys->pdata[j];

				if (strcmp(o->group, k->group))
					break;
				any = !changed_only || o->changed;
			}
			group = k->group;
			if (any)
				fprintf(f, "\n[%s]\n", k->group);
		}
		if (!show)
			continue;
		/* a value's trailing comment needs a value before it: an empty
		 * one gets its origin on the line above */
		if (*k->value) {
			g_autofree char *kv = g_strdup_printf("%s = %s", k->spec->name, k->value);

			fprintf(f, "%-40s # %s\n", kv, k->origin);
		} else {
			fprintf(f, "# %s: %s, empty\n%s =\n", k->spec->name, k->origin, k->spec->name);
		}
	}
}

void effective_print_model_help(FILE *f, const struct effective *e)
{
	const char *group = NULL;

	fprintf(f, "Every model key: the built-in default, then the value in model '%s'\n"
		   "(%s), '*' where they differ; then what it means and its unit.\n",
		e->model_name, e->model_path);
	for (guint i = 0; i < e->keys->len; i++) {
		const struct eff_key *k = e->keys->pdata[i];
		const struct key_spec *ks = k->spec;
		char buf[160];

		if (!group || strcmp(group, k->group)) {
			const struct component_ops *ops = component_find(k->group);

			group = k->group;
			if (ops)
				fprintf(f, "\n# %s, on %s: %s\n", ops->kind, ops->runs_on, ops->summary);
			else
				fputc('\n', f);
			fprintf(f, "[%s]%*s%-18s   %s\n", k->group, (int)(21 - strlen(k->group)), "",
				"built-in", e->model_name);
		}
		const char *shown = k->source == EFF_DERIVED ? k->value : k->written;
		fprintf(f, "  %-20s %-18s %c %-18s %s [%s]\n", ks->name,
			ks->def ? (*ks->def ? ks->def : "\"\"") : "(required)",
			k->changed ? '*' : ' ', *shown ? shown : "\"\"", ks->help,
			kf_key_unit(ks, "|", buf, sizeof(buf)));
	}
}
