/* Form definitions. The parser keeps going after an error so that one run
 * reports every problem with its file:line. */
#include "formdef.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"

static const char *const formdef_types[] = {"text",   "longtext", "integer", "date",
                                            "choice", "choices",  "unit",    "yesno"};

void formdef_error(struct formdef_errors *errs, const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	errs->msgs = xalloc_realloc(errs->msgs, (errs->n + 1) * sizeof *errs->msgs);
	errs->msgs[errs->n++] = line ? xalloc_printf("%s:%d: %s", file, line, msg) : xalloc_printf("%s: %s", file, msg);
}

void formdef_errors_release(struct formdef_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		free(errs->msgs[i]);
	free(errs->msgs);
	errs->msgs = NULL;
	errs->n = 0;
}

static int formdef_is_id(const char *s, const char *extra)
{
	if (!*s || !islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr(extra, *s))
			return 0;
	return 1;
}

static int formdef_number(const char *s, long *v)
{
	char *end;
	if (!*s)
		return 0;
	*v = strtol(s, &end, 10);
	return *end == '\0';
}

/* "FIELD = VALUE" or "FIELD" */
static int formdef_parse_cond(const char *text, struct formdef_cond *c)
{
	char *copy = xalloc_strdup(text);
	char *eq = strchr(copy, '=');
	char *field = copy, *value = NULL;
	if (eq) {
		*eq = '\0';
		value = eq + 1;
		while (*value == ' ')
			value++;
	}
	size_t len = strlen(field);
	while (len > 0 && field[len - 1] == ' ')
		field[--len] = '\0';
	int ok = formdef_is_id(field, "_") && (!value || *value);
	if (ok) {
		c->field = xalloc_strdup(field);
		c->value = value ? xalloc_strdup(value) : NULL;
	}
	free(copy);
	return ok;
}

static void formdef_field_free(struct formdef_field *f)
{
	free(f->id);
	free(f->label);
	free(f->help);
	free(f->list);
	free(f->show_when.field);
	free(f->show_when.value);
	free(f->required_when.field);
	free(f->required_when.value);
}

static void formdef_form_free(struct formdef_form *f)
{
	for (size_t i = 0; i < f->nfields; i++)
		formdef_field_free(&f->fields[i]);
	free(f->fields);
	free(f->id);
	free(f->file);
	free(f->table);
	free(f->title);
}

void formdef_free(struct formdef_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->nforms; i++)
		formdef_form_free(&set->forms[i]);
	for (size_t i = 0; i < set->nlists; i++) {
		for (size_t k = 0; k < set->lists[i].n; k++) {
			free(set->lists[i].items[k].code);
			free(set->lists[i].items[k].label);
		}
		free(set->lists[i].items);
		free(set->lists[i].name);
		free(set->lists[i].file);
	}
	free(set->forms);
	free(set->lists);
	free(set);
}

/* Calls fn(line number, keyword, rest) for each line that is not blank or
 * a comment; the rest is NFC, trimmed. Invalid UTF-8 is an error. */
static void formdef_lines(const char *file, const char *text, size_t n, struct formdef_errors *errs,
                          void (*fn)(void *ud, int line, char *key, char *rest), void *ud)
{
	int line = 0;
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (text + i)) : n - i;
		line++;
		struct strbuf sb;
		strbuf_init(&sb);
		if (vn_nfc(text + i, len, &sb, NULL) < 0) {
			formdef_error(errs, file, line, _("the line is not valid UTF-8"));
		} else {
			char *s = sb.buf;
			while (*s == ' ' || *s == '\t')
				s++;
			size_t sl = strlen(s);
			while (sl > 0 && strchr(" \t\r", s[sl - 1]))
				s[--sl] = '\0';
			if (*s && *s != '#') {
				char *rest = s + strcspn(s, " \t");
				if (*rest) {
					*rest++ = '\0';
					rest += strspn(rest, " \t");
				}
				fn(ud, line, s, rest);
			}
		}
		strbuf_release(&sb);
		i += len + 1;
	}
}

struct formdef_parse {
	struct formdef_errors *errs;
	const char *file;
	struct formdef_form *form;
	struct formdef_list *list;
	struct formdef_field *field; /* the field being read, or NULL */
};

static void formdef_form_line(void *ud, int line, char *key, char *rest)
{
	struct formdef_parse *p = ud;
	struct formdef_form *form = p->form;
	struct formdef_field *f = p->field;
	long v;
	if (strcmp(key, "form") == 0) {
		if (form->id)
			formdef_error(p->errs, p->file, line, _("a second 'form' line"));
		else if (!formdef_is_id(rest, "_"))
			formdef_error(p->errs, p->file, line, _("a form id is lower-case ASCII: '%s'"), rest);
		else
			form->id = xalloc_strdup(rest);
	} else if (strcmp(key, "version") == 0 && !f) {
		if (!formdef_number(rest, &v) || v < 1)
			formdef_error(p->errs, p->file, line, _("the version is a whole number from 1: '%s'"), rest);
		else
			form->version = (int)v;
	} else if (strcmp(key, "table") == 0 && !f) {
		free(form->table);
		form->table = xalloc_strdup(rest);
	} else if (strcmp(key, "title") == 0 && !f) {
		free(form->title);
		form->title = xalloc_strdup(rest);
	} else if (strcmp(key, "field") == 0) {
		if (!formdef_is_id(rest, "_")) {
			formdef_error(p->errs, p->file, line, _("a field id is lower-case ASCII: '%s'"), rest);
			rest = "invalid";
		}
		for (size_t i = 0; i < form->nfields; i++)
			if (strcmp(form->fields[i].id, rest) == 0)
				formdef_error(p->errs, p->file, line, _("the field '%s' is already defined at line %d"),
				              rest, form->fields[i].line);
		form->fields = xalloc_realloc(form->fields, (form->nfields + 1) * sizeof *form->fields);
		f = p->field = &form->fields[form->nfields++];
		memset(f, 0, sizeof *f);
		f->id = xalloc_strdup(rest);
		f->line = line;
		f->type = (enum formdef_type) - 1;
		f->lines = 4;
	} else if (!f) {
		formdef_error(p->errs, p->file, line, _("unknown line '%s' (before any 'field')"), key);
	} else if (strcmp(key, "label") == 0) {
		free(f->label);
		f->label = xalloc_strdup(rest);
	} else if (strcmp(key, "help") == 0) {
		free(f->help);
		f->help = xalloc_strdup(rest);
	} else if (strcmp(key, "type") == 0) {
		size_t t = 0;
		while (t < sizeof formdef_types / sizeof *formdef_types && strcmp(formdef_types[t], rest) != 0)
			t++;
		if (t == sizeof formdef_types / sizeof *formdef_types)
			formdef_error(
			    p->errs, p->file, line,
			    _("unknown type '%s': text, longtext, integer, date, choice, choices, unit or yesno"),
			    rest);
		else
			f->type = (enum formdef_type)t;
	} else if (strcmp(key, "required") == 0 && !*rest) {
		f->required = 1;
	} else if (strcmp(key, "min") == 0 || strcmp(key, "max") == 0 || strcmp(key, "maxlen") == 0 ||
	           strcmp(key, "lines") == 0) {
		int positive = strcmp(key, "maxlen") == 0 || strcmp(key, "lines") == 0;
		if (!formdef_number(rest, &v) || (positive && v < 1))
			formdef_error(p->errs, p->file, line, _("'%s' takes a whole number, not '%s'"), key, rest);
		else if (strcmp(key, "min") == 0)
			f->min = v, f->has_min = 1;
		else if (strcmp(key, "max") == 0)
			f->max = v, f->has_max = 1;
		else if (strcmp(key, "maxlen") == 0)
			f->maxlen = (int)v;
		else
			f->lines = (int)v;
	} else if (strcmp(key, "choices") == 0) {
		free(f->list);
		f->list = xalloc_strdup(rest);
	} else if (strcmp(key, "show-when") == 0 || strcmp(key, "required-when") == 0) {
		struct formdef_cond *c = key[0] == 's' ? &f->show_when : &f->required_when;
		free(c->field);
		free(c->value);
		c->field = c->value = NULL;
		if (!formdef_parse_cond(rest, c))
			formdef_error(p->errs, p->file, line, _("a condition is 'FIELD' or 'FIELD = VALUE', not '%s'"),
			              rest);
	} else {
		formdef_error(p->errs, p->file, line, _("unknown line '%s'"), key);
	}
}

static void formdef_list_line(void *ud, int line, char *key, char *rest)
{
	struct formdef_parse *p = ud;
	struct formdef_list *l = p->list;
	/* code = label */
	if (rest[0] != '=' || (rest[1] != ' ' && rest[1] != '\0')) {
		formdef_error(p->errs, p->file, line, _("a choice is 'code = label'"));
		return;
	}
	const char *label = rest + 1 + strspn(rest + 1, " ");
	if (!formdef_is_id(key, "-_"))
		formdef_error(p->errs, p->file, line, _("a choice code is lower-case ASCII: '%s'"), key);
	else if (!*label)
		formdef_error(p->errs, p->file, line, _("the choice '%s' has no label"), key);
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].code, key) == 0)
			formdef_error(p->errs, p->file, line, _("the choice '%s' is there twice"), key);
	l->items = xalloc_realloc(l->items, (l->n + 1) * sizeof *l->items);
	l->items[l->n].inactive = 0;
	l->items[l->n].code = xalloc_strdup(key);
	l->items[l->n].label = xalloc_strdup(label);
	l->n++;
}

/* What can be seen only with the whole form and every list. */
static void formdef_check_form(struct formdef_set *set, struct formdef_form *form, struct formdef_errors *errs)
{
	if (!form->id)
		formdef_error(errs, form->file, 0, _("no 'form' line"));
	if (!form->version)
		formdef_error(errs, form->file, 0, _("no 'version' line"));
	if (!form->table)
		formdef_error(errs, form->file, 0, _("no 'table' line"));
	if (!form->title)
		formdef_error(errs, form->file, 0, _("no 'title' line"));
	if (form->nfields == 0)
		formdef_error(errs, form->file, 0, _("no field"));
	for (size_t i = 0; i < form->nfields; i++) {
		struct formdef_field *f = &form->fields[i];
		if (!f->label)
			formdef_error(errs, form->file, f->line, _("the field '%s' has no label"), f->id);
		if ((int)f->type < 0) {
			formdef_error(errs, form->file, f->line, _("the field '%s' has no type"), f->id);
			continue;
		}
		int choice = f->type == FORMDEF_CHOICE || f->type == FORMDEF_CHOICES;
		if (choice && !f->list)
			formdef_error(errs, form->file, f->line, _("the choice field '%s' names no 'choices' list"),
			              f->id);
		if (!choice && f->list)
			formdef_error(errs, form->file, f->line, _("'choices' is only for a choice field ('%s')"),
			              f->id);
		if (f->list && !formdef_list(set, f->list))
			formdef_error(errs, form->file, f->line, _("no choice list '%s' (a file %s.choices)"), f->list,
			              f->list);
		if ((f->has_min || f->has_max) && f->type != FORMDEF_INTEGER)
			formdef_error(errs, form->file, f->line, _("min and max are only for an integer ('%s')"),
			              f->id);
		if (f->has_min && f->has_max && f->min > f->max)
			formdef_error(errs, form->file, f->line, _("min is above max in '%s'"), f->id);
		if (f->maxlen && f->type != FORMDEF_TEXT && f->type != FORMDEF_LONGTEXT)
			formdef_error(errs, form->file, f->line, _("maxlen is only for text ('%s')"), f->id);
		const struct formdef_cond *conds[2] = {&f->show_when, &f->required_when};
		for (int k = 0; k < 2; k++) {
			if (!conds[k]->field)
				continue;
			size_t j = 0;
			while (j < form->nfields && strcmp(form->fields[j].id, conds[k]->field) != 0)
				j++;
			if (j == form->nfields)
				formdef_error(errs, form->file, f->line, _("the condition of '%s' names no field '%s'"),
				              f->id, conds[k]->field);
			else if (j == i)
				formdef_error(errs, form->file, f->line, _("the field '%s' depends on itself"), f->id);
		}
	}
}

static const char *formdef_base(const char *name, const char *ext, char *out, size_t cap)
{
	const char *slash = strrchr(name, '/');
	const char *b = slash ? slash + 1 : name;
	size_t bl = strlen(b), el = strlen(ext);
	if (bl <= el || strcmp(b + bl - el, ext) != 0)
		return NULL;
	snprintf(out, cap, "%.*s", (int)(bl - el), b);
	return out;
}

struct formdef_set *formdef_load_texts(const char *const *names, const char *const *texts, size_t n,
                                       struct formdef_errors *errs)
{
	struct formdef_set *set = xalloc_calloc(1, sizeof *set);
	/* the lists first: forms refer to them */
	for (size_t i = 0; i < n; i++) {
		char base[256];
		if (!formdef_base(names[i], ".choices", base, sizeof base))
			continue;
		set->lists = xalloc_realloc(set->lists, (set->nlists + 1) * sizeof *set->lists);
		struct formdef_list *l = &set->lists[set->nlists++];
		memset(l, 0, sizeof *l);
		l->name = xalloc_strdup(base);
		l->file = xalloc_strdup(names[i]);
		struct formdef_parse p = {errs, names[i], NULL, l, NULL};
		formdef_lines(names[i], texts[i], strlen(texts[i]), errs, formdef_list_line, &p);
		if (l->n == 0)
			formdef_error(errs, names[i], 0, _("the list has no choice"));
	}
	for (size_t i = 0; i < n; i++) {
		char base[256];
		if (!formdef_base(names[i], ".form", base, sizeof base))
			continue;
		set->forms = xalloc_realloc(set->forms, (set->nforms + 1) * sizeof *set->forms);
		struct formdef_form *form = &set->forms[set->nforms++];
		memset(form, 0, sizeof *form);
		form->file = xalloc_strdup(names[i]);
		struct formdef_parse p = {errs, names[i], form, NULL, NULL};
		formdef_lines(names[i], texts[i], strlen(texts[i]), errs, formdef_form_line, &p);
		if (form->id && strcmp(form->id, base) != 0)
			formdef_error(errs, names[i], 0, _("the form '%s' must be in a file named %s.form"), form->id,
			              form->id);
	}
	for (size_t i = 0; i < set->nforms; i++)
		formdef_check_form(set, &set->forms[i], errs);
	return set;
}

static int formdef_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int formdef_read_one(const char *dir, struct formdef_files *files, struct formdef_errors *errs)
{
	memset(files, 0, sizeof *files);
	DIR *d = opendir(dir);
	if (!d) {
		formdef_error(errs, dir, 0, _("cannot read the forms folder"));
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char base[256];
		if (!formdef_base(e->d_name, ".form", base, sizeof base) &&
		    !formdef_base(e->d_name, ".choices", base, sizeof base))
			continue;
		files->names = xalloc_realloc(files->names, (files->n + 1) * sizeof *files->names);
		files->names[files->n++] = xalloc_printf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(files->names, files->n, sizeof *files->names, formdef_name_cmp);
	files->texts = xalloc_calloc(files->n ? files->n : 1, sizeof *files->texts);
	for (size_t i = 0; i < files->n; i++) {
		FILE *f = fopen(files->names[i], "rb");
		struct strbuf sb;
		strbuf_init(&sb);
		if (f) {
			char buf[4096];
			size_t got;
			while ((got = fread(buf, 1, sizeof buf, f)) > 0)
				strbuf_add(&sb, buf, got);
			fclose(f);
		} else {
			formdef_error(errs, files->names[i], 0, _("cannot read the file"));
		}
		if (memchr(sb.buf, '\0', sb.len))
			formdef_error(errs, files->names[i], 0, _("the file holds a NUL byte"));
		files->texts[i] = strbuf_detach(&sb, NULL);
	}
	return 0;
}

int formdef_read_dir(const char *path, struct formdef_files *files, struct formdef_errors *errs)
{
	char *dirs = xalloc_strdup(path), *next = dirs;
	char *dir = strsep(&next, ":");
	int rc = formdef_read_one(dir, files, errs);
	/* the office's own, over the installed ones: folders that exist */
	while (rc == 0 && (dir = strsep(&next, ":"))) {
		struct formdef_files over;
		struct stat sb;
		if (!*dir || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) || formdef_read_one(dir, &over, errs) < 0)
			continue;
		for (size_t i = 0; i < over.n; i++)
			formdef_files_put(files, over.names[i], over.texts[i]);
		formdef_files_release(&over);
	}
	free(dirs);
	return rc;
}

void formdef_files_put(struct formdef_files *files, const char *name, const char *text)
{
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	for (size_t i = 0; i < files->n; i++) {
		const char *b = strrchr(files->names[i], '/') ? strrchr(files->names[i], '/') + 1 : files->names[i];
		if (strcmp(b, base) == 0) {
			free(files->names[i]);
			free(files->texts[i]);
			files->names[i] = xalloc_strdup(name);
			files->texts[i] = xalloc_strdup(text);
			return;
		}
	}
	files->names = xalloc_realloc(files->names, (files->n + 1) * sizeof *files->names);
	files->texts = xalloc_realloc(files->texts, (files->n + 1) * sizeof *files->texts);
	files->names[files->n] = xalloc_strdup(name);
	files->texts[files->n++] = xalloc_strdup(text);
}

void formdef_files_release(struct formdef_files *files)
{
	for (size_t i = 0; i < files->n; i++) {
		free(files->names[i]);
		free(files->texts[i]);
	}
	free(files->names);
	free(files->texts);
	memset(files, 0, sizeof *files);
}

struct formdef_set *formdef_load(const char *dir, struct formdef_errors *errs)
{
	struct formdef_files files;
	if (formdef_read_dir(dir, &files, errs) < 0)
		return NULL;
	struct formdef_set *set =
	    formdef_load_texts((const char *const *)files.names, (const char *const *)files.texts, files.n, errs);
	formdef_files_release(&files);
	return set;
}

const struct formdef_form *formdef_form(const struct formdef_set *set, const char *id)
{
	for (size_t i = 0; set && i < set->nforms; i++)
		if (set->forms[i].id && strcmp(set->forms[i].id, id) == 0)
			return &set->forms[i];
	return NULL;
}

const struct formdef_list *formdef_list(const struct formdef_set *set, const char *name)
{
	for (size_t i = 0; set && i < set->nlists; i++)
		if (strcmp(set->lists[i].name, name) == 0)
			return &set->lists[i];
	return NULL;
}

int formdef_cond_holds(const struct formdef_cond *c, const char *(*value_of)(void *ud, const char *field), void *ud)
{
	if (!c->field)
		return 1;
	const char *v = value_of(ud, c->field);
	if (!v || !*v)
		return 0;
	return !c->value || strcmp(v, c->value) == 0;
}

struct formdef_record {
	const struct formdef_form *form;
	const char *const *vals;
};

static const char *formdef_record_value(void *ud, const char *field)
{
	const struct formdef_record *r = ud;
	for (size_t i = 0; i < r->form->nfields; i++)
		if (strcmp(r->form->fields[i].id, field) == 0)
			return r->vals[i];
	return NULL;
}

long formdef_rules(const struct formdef_form *form, const char *const *vals, int *hidden)
{
	struct formdef_record r = {form, vals};
	long missing = -1;
	for (size_t i = 0; i < form->nfields; i++) {
		const struct formdef_field *f = &form->fields[i];
		hidden[i] = !formdef_cond_holds(&f->show_when, formdef_record_value, &r);
		if (missing < 0 && !hidden[i] && (!vals[i] || !*vals[i]) &&
		    (f->required ||
		     (f->required_when.field && formdef_cond_holds(&f->required_when, formdef_record_value, &r))))
			missing = (long)i;
	}
	return missing;
}

static int formdef_bad(struct mh_error *err, const struct formdef_field *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int formdef_bad(struct mh_error *err, const struct formdef_field *f, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	mh_error_set(err, MH_EDATA, "%s: %s", f->label ? f->label : f->id, msg);
	mh_error_where(err, "%s", f->id);
	return -1;
}

/* Up to max digits of s at *pos: their value, or -1 when none. */
static int formdef_digits(const char *s, size_t *pos, int max, int *count)
{
	int v = 0, n = 0;
	while (n < max && s[*pos] >= '0' && s[*pos] <= '9')
		v = v * 10 + (s[(*pos)++] - '0'), n++;
	*count = n;
	return n ? v : -1;
}

/* A day as officers type it, to YYYY-MM-DD: d/m/yyyy or dd/mm/yyyy (also
 * with - or .), ddmmyyyy, ddmmyy; a two-digit year is 20yy (1/7/25 is
 * 01/07/2025). */
static int formdef_date(const char *s, char out[11])
{
	size_t len = strlen(s), pos = 0;
	int d, m, y, nd, nm, ny;
	if ((len == 8 || len == 6) && strspn(s, "0123456789") == len) {
		d = formdef_digits(s, &pos, 2, &nd);
		m = formdef_digits(s, &pos, 2, &nm);
		y = formdef_digits(s, &pos, 4, &ny);
	} else {
		d = formdef_digits(s, &pos, 2, &nd);
		char sep = s[pos];
		if (d < 0 || !sep || !strchr("/-.", sep))
			return 0;
		pos++;
		m = formdef_digits(s, &pos, 2, &nm);
		if (m < 0 || s[pos] != sep)
			return 0;
		pos++;
		y = formdef_digits(s, &pos, 4, &ny);
		if (s[pos] || (ny != 2 && ny != 4))
			return 0;
	}
	if (ny == 2)
		y += 2000;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return 0;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	return 1;
}

int formdef_value(const struct formdef_field *f, const char *typed, char **stored, struct mh_error *err)
{
	*stored = NULL;
	struct strbuf sb;
	strbuf_init(&sb);
	if (vn_nfc(typed ? typed : "", typed ? strlen(typed) : 0, &sb, NULL) < 0) {
		strbuf_release(&sb);
		return formdef_bad(err, f, _("the text is not valid UTF-8"));
	}
	/* trimmed; a one-line field keeps no line break */
	char *v = sb.buf;
	while (*v && strchr(" \t\r\n", *v))
		v++;
	size_t len = strlen(v);
	while (len > 0 && strchr(" \t\r\n", v[len - 1]))
		v[--len] = '\0';
	int rc = 0;
	char buf[32];
	if (!*v) {
		/* required-ness is the caller's: it depends on the other fields */
	} else if (f->type == FORMDEF_TEXT && strpbrk(v, "\r\n\t")) {
		rc = formdef_bad(err, f, _("one line only"));
	} else if ((f->type == FORMDEF_TEXT || f->type == FORMDEF_LONGTEXT) && f->maxlen &&
	           utf8_nchars(v, len) > (size_t)f->maxlen) {
		rc = formdef_bad(err, f, _("at most %d characters (now %zu)"), f->maxlen, utf8_nchars(v, len));
	} else if (f->type == FORMDEF_INTEGER) {
		long n;
		if (!formdef_number(v, &n) || strspn(v, "0123456789-") != len || len > 10)
			rc = formdef_bad(err, f, _("'%s' is not a whole number"), v);
		else if (f->has_min && n < f->min)
			rc = formdef_bad(err, f, _("at least %ld"), f->min);
		else if (f->has_max && n > f->max)
			rc = formdef_bad(err, f, _("at most %ld"), f->max);
		else
			snprintf(buf, sizeof buf, "%ld", n), v = buf;
	} else if (f->type == FORMDEF_DATE) {
		if (!formdef_date(v, buf))
			rc = formdef_bad(err, f, _("'%s' is not a real date, written dd/mm/yyyy"), v);
		else
			v = buf;
	} else if (f->type == FORMDEF_YESNO) {
		struct strbuf fold;
		strbuf_init(&fold);
		vn_fold(v, len, &fold);
		if (strcmp(fold.buf, "1") == 0 || strcmp(fold.buf, "co") == 0 || strcmp(fold.buf, "c") == 0 ||
		    strcmp(fold.buf, "x") == 0)
			v = "1";
		else if (strcmp(fold.buf, "0") == 0 || strcmp(fold.buf, "khong") == 0 || strcmp(fold.buf, "k") == 0)
			v = "0";
		else
			rc = formdef_bad(err, f, _("answer yes (có, c, 1) or no (không, k, 0)"));
		strbuf_release(&fold);
	} else if (f->type == FORMDEF_UNIT && strspn(v, "0123456789") != len &&
	           !(strspn(v, "0123456789") == strcspn(v, "@") && strlen(v + strcspn(v, "@")) == 11)) {
		/* a code, or a version's key: 22978@2025-07-01 */
		rc = formdef_bad(err, f, _("'%s' is not a unit code"), v);
	}
	if (rc == 0 && *v)
		*stored = xalloc_strdup(v);
	strbuf_release(&sb);
	return rc;
}

char *formdef_display(const struct formdef_field *f, const char *stored)
{
	if (!stored)
		return xalloc_strdup("");
	if (f->type == FORMDEF_DATE && strlen(stored) == 10 && stored[4] == '-')
		return xalloc_printf("%.2s/%.2s/%.4s", stored + 8, stored + 5, stored);
	if (f->type == FORMDEF_YESNO)
		return xalloc_strdup(strcmp(stored, "1") == 0 ? _("yes") : _("no"));
	return xalloc_strdup(stored);
}
