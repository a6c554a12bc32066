/* The office database (SQLite): opening it, settings, this office, records,
 * the check and the audit log. Every function that changes data is one
 * transaction: it changes everything it should, or nothing. The rest of the
 * store, by module: store-unit.h (units and their lineage), store-list.h
 * (the lists), store-user.h (accounts and review), store-sync.h (keys,
 * offices, bundles, conflicts), store-csv.h (spreadsheets). */
#ifndef MOHINH_STORE_H
#define MOHINH_STORE_H
#include <stddef.h>

#include "mh-error.h"
#include "strbuf.h"

#define STORE_SCHEMA_VERSION 8
#define STORE_ID_LEN         36 /* a UUID as text */

struct store;

enum store_open_flags {
	STORE_READ = 0,   /* read only; the database must exist */
	STORE_WRITE = 1,  /* read and write; the database must exist */
	STORE_CREATE = 2, /* create a new database (must not exist yet) */
	STORE_WRITE_CHECKED =
	    3, /* read and write, after PRAGMA quick_check: at the start of the screens and of imports */
};

/* Opens the database at path. Refuses (with a message for the user) a file
 * that is not a mohinh database, one of a newer schema, a read-only file for
 * writing, and one held for writing by another mohinh. */
struct store *store_open(const char *path, enum store_open_flags flags, struct mh_error *err);
void store_free(struct store *st);
/* The schema version the file is at (PRAGMA user_version). */
int store_schema_version(struct store *st);
/* Migrates from the file's version to `target` (tests use it step by step). */
int store_migrate(struct store *st, int target, struct mh_error *err);
/* Who is acting: recorded as created_by / updated_by and in the audit log. */
void store_set_user(struct store *st, const char *user);
/* Borrowed until store_set_user or store_free. */
const char *store_user(struct store *st);

/* --- settings and drafts ------------------------------------------------------ */
/* A setting's value as a new string, or NULL. */
char *store_setting_get(struct store *st, const char *key);
int store_setting_put(struct store *st, const char *key, const char *value, struct mh_error *err);
/* A form left unsaved, kept per form, record ("new" for a new one) and user:
 * its fields as "id=value" lines (values escaped by the caller). */
int store_draft_put(struct store *st, const char *form, const char *record, const char *fields, struct mh_error *err);
/* The draft (a new string) and when it was saved, or NULL. */
char *store_draft_get(struct store *st, const char *form, const char *record, char saved_at[21]);
int store_draft_delete(struct store *st, const char *form, const char *record, struct mh_error *err);

struct formdef_set;
/* Brings the choice lists of the form files into the database: labels
 * updated, new codes added, none removed (records may hold them). */
int store_choice_sync(struct store *st, const struct formdef_set *forms, struct mh_error *err);
/* Marks the choices of the form files that the office above dropped
 * (choice.active = 0): no longer offered, still shown where used. */
int store_choice_mark_inactive(struct store *st, struct formdef_set *forms, struct mh_error *err);
struct formdef_files;
struct formdef_errors;
/* The form files in use: the folder's, each replaced by the one of the
 * same name that the office above sent (reference data), and its others. */
int store_forms_files(struct store *st, const char *dir, struct formdef_files *files, struct formdef_errors *errs);
struct formdef_set *store_forms_load(struct store *st, const char *dir, struct formdef_errors *errs);

/* Savepoint-based transactions: nest freely; store_end commits when ok,
 * rolls back otherwise, and returns ok ? 0 : -1. */
int store_begin(struct store *st, struct mh_error *err);
int store_end(struct store *st, int ok, struct mh_error *err);

/* --- this office ----------------------------------------------------------- */
struct store_office {
	char id[STORE_ID_LEN + 1];
	char unit_code[24];
	char name[256];
};
/* Loads the units and records this office (once, on a new database): the
 * version of unit_code in force on the day `on`, or (on NULL) the version
 * whose key is unit_code. */
int store_office_init(struct store *st, const char *unit_code, const char *on, const char *name, struct mh_error *err);
/* This office, or NULL if the database has none yet. Borrowed until store_free. */
const struct store_office *store_office_get(struct store *st);

/* How the file is kept at rest: on an encrypted device (1, 0, -1: cannot
 * tell, mh_file_encrypted) and its mode (others' bits: any account of the
 * PC may read the office's secret keys). */
struct store_at_rest {
	const char *path; /* the database's (owned by the store) */
	int encrypted;
	unsigned mode;
};
void store_at_rest(struct store *st, struct store_at_rest *r);

/* --- records: models, points, evaluations ----------------------------------- */
struct store_kv {
	const char *col;
	const char *val; /* NULL: no value */
};
/* Inserts a record; id is given in kv as "id" or made at random. Values are
 * checked against the column's type (integer, date YYYY-MM-DD, yes/no 0/1,
 * choice list, unit, record). The new id is written to id_out. */
int store_record_insert(struct store *st, const char *table, const struct store_kv *kv, size_t n,
                        char id_out[STORE_ID_LEN + 1], struct mh_error *err);
int store_record_update(struct store *st, const char *table, const char *id, const struct store_kv *kv, size_t n,
                        struct mh_error *err);
/* Marks a record deleted (a tombstone); it is never removed. */
int store_record_delete(struct store *st, const char *table, const char *id, struct mh_error *err);
/* 1 if a record with that id exists (deleted or not), 0 if not. */
int store_record_exists(struct store *st, const char *table, const char *id);
/* The value of one column as a new string (NULL if none or no such record). */
char *store_record_value(struct store *st, const char *table, const char *id, const char *col);

/* What a form field may fill: 1 if `col` of `table` (model, point,
 * evaluation, unit) can be edited on a form, with its kind: "text",
 * "longtext", "integer", "date", "yesno", "choice" (and its list), "unit"
 * or "record". The strings are constants. */
int store_form_column(const char *table, const char *col, const char **kind, const char **list);
/* 1 if a form may fill records of the table. */
int store_form_table(const char *table);
/* The forms against the tables they fill (every field a column of its kind
 * and choice list): each misfit is added to errs with file:line. Run
 * wherever forms load: a set with errors is not fit for use. */
void store_forms_check(const struct formdef_set *set, struct formdef_errors *errs);

/* How many rows of a table are not deleted. */
long store_count(struct store *st, const char *table);

/* --- check ------------------------------------------------------------------ */
struct store_check_report {
	char integrity[256]; /* "ok" or SQLite's first complaint */
	int foreign_key_errors;
	int schema_version;
	long units, models, points, evaluations, audit;
	char audit_broken[256]; /* the first audit entry whose hash does not follow, or "" */
};
int store_check(struct store *st, struct store_check_report *r, struct mh_error *err);

/* --- the audit log ------------------------------------------------------------ */
/* Recomputes the hash chain: broken gets the first entry that does not
 * follow ("" if every one does). */
int store_audit_verify(struct store *st, char *broken, size_t cap, struct mh_error *err);
struct store_history_row {
	long long seq;
	const char *at, *user, *action, *field, *old, *now;
};
typedef int (*store_history_fn)(const struct store_history_row *h, void *ud);
/* Every audit entry of a record, oldest first. */
int store_history(struct store *st, const char *id, store_history_fn fn, void *ud, struct mh_error *err);
/* Who last changed a field of a record, and when (from the audit log): -1 if nobody did. */
int store_field_changed(struct store *st, const char *id, const char *field, char who[64], char at[21]);

/* --- helpers ---------------------------------------------------------------- */
/* A random (version 4) UUID. */
void store_uuid(char out[STORE_ID_LEN + 1]);
/* Now, in UTC, as 2026-01-31T08:00:00Z. */
void store_now(char out[21]);
/* Today (UTC), YYYY-MM-DD. */
void store_today(char out[11]);
/* 1 if s is a real date written YYYY-MM-DD. */
int store_date_valid(const char *s);

#endif
