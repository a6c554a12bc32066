/* Form definitions: forms/NAME.form and their choice lists forms/NAME.choices,
 * a line-oriented text format described in forms/README. Read at run time:
 * changing a label or a choice list needs no recompiling. */
#ifndef MOHINH_FORMDEF_H
#define MOHINH_FORMDEF_H
#include <stddef.h>

#include "mh-error.h"

enum formdef_type {
	FORMDEF_TEXT,
	FORMDEF_LONGTEXT,
	FORMDEF_INTEGER,
	FORMDEF_DATE, /* written dd/mm/yyyy on screen, stored YYYY-MM-DD */
	FORMDEF_CHOICE,
	FORMDEF_CHOICES, /* several choices */
	FORMDEF_UNIT,
	FORMDEF_YESNO,
};

struct formdef_choice {
	char *code;
	char *label;
	int inactive; /* no longer offered (the office above dropped it); still shown where used */
};

struct formdef_list {
	char *name;
	char *file;
	struct formdef_choice *items;
	size_t n;
};

/* "FIELD = VALUE", or "FIELD" alone for "has a value" */
struct formdef_cond {
	char *field; /* NULL: no condition */
	char *value; /* NULL: any value */
};

struct formdef_field {
	char *id;
	char *label;
	char *help;
	enum formdef_type type;
	int required;
	int has_min, has_max;
	long min, max; /* integer range */
	int maxlen;    /* characters; 0: none */
	int lines;     /* height of a long text */
	char *list;    /* choice list of a choice field */
	struct formdef_cond show_when;
	struct formdef_cond required_when;
	int line;
};

struct formdef_form {
	char *id;
	char *file;
	int version;
	char *table;
	char *title;
	struct formdef_field *fields;
	size_t nfields;
};

struct formdef_set {
	struct formdef_form *forms;
	size_t nforms;
	struct formdef_list *lists;
	size_t nlists;
};

/* Every problem found, as "file:line: message". */
struct formdef_errors {
	char **msgs;
	size_t n;
};

/* Form files as texts: a folder's, and those the office above sent. */
struct formdef_files {
	char **names; /* paths; the base name (model.form) is what counts */
	char **texts;
	size_t n;
};
/* Reads every *.form and *.choices of a folder (sorted by name). path may
 * name more folders after the first, ':' between them (as PATH does): the
 * files of each that exists replace those of the same name before them. */
int formdef_read_dir(const char *path, struct formdef_files *files, struct formdef_errors *errs);
/* Puts a file in: it replaces the one of the same base name, or is added. */
void formdef_files_put(struct formdef_files *files, const char *name, const char *text);
void formdef_files_release(struct formdef_files *files);
/* Reads every *.form and *.choices of dir, collecting every error in errs
 * (not just the first). The set is returned even then, for further checks,
 * but is fit for use only when errs->n is 0. */
struct formdef_set *formdef_load(const char *dir, struct formdef_errors *errs);
/* The same from texts in memory (for tests and the fuzzer); names end in
 * .form or .choices. */
struct formdef_set *formdef_load_texts(const char *const *names, const char *const *texts, size_t n,
                                       struct formdef_errors *errs);
void formdef_free(struct formdef_set *set);
void formdef_errors_release(struct formdef_errors *errs);
/* Adds "file:line: message" (or "file: message" for line 0). */
void formdef_error(struct formdef_errors *errs, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

const struct formdef_form *formdef_form(const struct formdef_set *set, const char *id);
const struct formdef_list *formdef_list(const struct formdef_set *set, const char *name);

/* 1 if the condition holds for the values (value_of returns a field's value). */
int formdef_cond_holds(const struct formdef_cond *c, const char *(*value_of)(void *ud, const char *field), void *ud);
/* The form's rules on one record, whatever brings it (a screen, mohinh edit,
 * an import): vals[i] is fields[i]'s value as stored (NULL or "" for none).
 * Sets hidden[i] for each field its show-when hides (it must hold nothing);
 * returns the index of the first shown field that is required (or
 * required-when) and has no value, or -1 when the rules hold. */
long formdef_rules(const struct formdef_form *form, const char *const *vals, int *hidden);
/* Checks one value as typed on the screen and converts it to the stored
 * form (a date dd/mm/yyyy becomes YYYY-MM-DD; yes/no becomes 1/0). Returns
 * a new string (NULL for empty) or sets err (MH_EDATA, where = field id). */
int formdef_value(const struct formdef_field *f, const char *typed, char **stored, struct mh_error *err);
/* The screen form of a stored value (YYYY-MM-DD -> dd/mm/yyyy, 1/0 -> Có/Không). */
char *formdef_display(const struct formdef_field *f, const char *stored);

#endif
