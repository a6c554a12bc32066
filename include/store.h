/* The office database (SQLite). Every function that changes data is one
 * transaction: it changes everything it should, or nothing. */
#ifndef MOHINH_STORE_H
#define MOHINH_STORE_H
#include <stddef.h>

#include "bundle.h"
#include "mh-error.h"
#include "strbuf.h"

#define STORE_SCHEMA_VERSION 7
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

/* --- units ----------------------------------------------------------------- */
/* A unit version (units.md): code is its key (the GSO code for the versions
 * of the 2025-03 list and before, "CODE@YYYY-MM-DD" for a later version of a
 * code), gso the code as people write it. */
struct store_unit {
	char code[24];
	char gso[12];
	char parent_code[24];
	int level;
	char type[64];
	char name[192];
	char parent_name[192];
	char valid_from[11];
	char valid_to[11];
	char replaced_by[24];
	char legal_ref[96];
	char former[192]; /* the name of a version it came from that the search found ("Xã Vĩnh Tân"), or "" */
};
typedef int (*store_unit_fn)(const struct store_unit *u, void *ud);
struct store_unit_filter {
	const char *query;  /* every word in the folded name (words typed together come first) */
	const char *within; /* only this unit's subtree (itself excluded) */
	const char *parent; /* only the children of this unit */
	const char *on;     /* only the versions in force on this day (NULL: every version); the words
	                     * then also find a unit by the names of the versions it came from */
	int limit;          /* at most so many; 0 for all */
};
/* Units in Vietnamese order; fn returns non-zero to stop. */
int store_unit_list(struct store *st, const struct store_unit_filter *f, store_unit_fn fn, void *ud,
                    struct mh_error *err);
/* The version whose key is code. */
int store_unit_get(struct store *st, const char *code, struct store_unit *u, struct mh_error *err);
/* 1 if the version is in force on the day (YYYY-MM-DD). */
int store_unit_in_force(const struct store_unit *u, const char *on);
/* The version of a code in force on a day (YYYY-MM-DD): a GSO code is
 * looked up among its versions, a version key taken as it is and checked;
 * a clear error when the code meant nothing that day. */
int store_unit_at(struct store *st, const char *code, const char *on, struct store_unit *u, struct mh_error *err);
/* The code as people write it of a version's key ("22978@2025-07-01" -> "22978"), in out. */
const char *store_unit_gso(const char *key, char out[12]);
/* A code as typed where no day is given: the version in force today, or the
 * last version of a code no longer used (a historical area), or the version
 * whose key it is. */
int store_unit_find(struct store *st, const char *code, struct store_unit *u, struct mh_error *err);
/* Every version of a code (or the version whose key it is), oldest first. */
int store_unit_versions(struct store *st, const char *code, store_unit_fn fn, void *ud, struct mh_error *err);
/* 1 if `code` is `ancestor` or lies below it, itself or through the
 * versions that followed it (a 2017 commune lies in the province of today). */
int store_unit_within(struct store *st, const char *code, const char *ancestor);
/* Sets a field of u by its column name (code, parent_code, type, name,
 * valid_from, valid_to, replaced_by); -1 if there is no such column or the
 * value is too long for it. */
int store_unit_set(struct store_unit *u, const char *col, const char *val);
/* A link of a version's history, seen from that version: its predecessor
 * (before = 1) or its successor. */
struct store_unit_link {
	int before;
	char code[24], gso[12];
	char name[192], parent_name[192];
	char valid_from[11], valid_to[11];
	char share[8], detail[20], on[11];
	char clause[96];
};
typedef int (*store_unit_link_fn)(const struct store_unit_link *l, void *ud);
/* The versions a unit came from and those it went to, then the other
 * versions of its GSO code (share "" for those). */
int store_unit_history(struct store *st, const char *code, store_unit_link_fn fn, void *ud, struct mh_error *err);
/* Counts the breaches of the invariants of units.md, each described to fn:
 * versions of one code overlapping, a whole link beside another, a divided
 * version with one link, an ended commune or province without a successor, a
 * link back in time, a version outside its parent's time. */
long store_unit_check(struct store *st, void (*fn)(const char *what, void *ud), void *ud, struct mh_error *err);
/* A point of a divided commune (units.md): which of its successors it lies
 * in is a person's choice, never a guess; until then it is unresolved. */
struct store_unresolved {
	const char *point_id, *model;
	const char *unit_code, *unit_name, *parent_name, *place;
	const char *successors; /* "22978 Xã Tuy Phong; 22972 Xã Phan Rí Cửa" */
};
typedef int (*store_unresolved_fn)(const struct store_unresolved *p, void *ud); /* strings valid during the call */
/* The worklist: points in a divided unit without a successor chosen. */
int store_record_unresolved(struct store *st, store_unresolved_fn fn, void *ud, struct mh_error *err);
/* Chooses the successor of a point's divided unit (one of those it was
 * divided into, by GSO code or key); audited, a new revision of the point. */
int store_record_successor(struct store *st, const char *point_id, const char *unit, struct mh_error *err);
/* Adds a unit that is not in the GSO list any more (dates as YYYY-MM-DD). */
int store_unit_add(struct store *st, const struct store_unit *u, struct mh_error *err);
long store_count(struct store *st, const char *table);

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

/* --- lists ------------------------------------------------------------------ */
enum store_model_sort { STORE_SORT_NAME, STORE_SORT_DATE, STORE_SORT_UNIT };
struct store_model_filter {
	const char *search;         /* words, accent- and case-free */
	const char *unit_code;      /* models with a point in this unit's subtree */
	int year;                   /* launched in this year; 0 for any */
	const char *field;          /* a code of the field list */
	const char *state;          /* draft, submitted, approved, returned */
	enum store_model_sort sort; /* Vietnamese name order, launch date, unit */
	const char *due_before;     /* YYYY-MM-DD: models with a running point not evaluated since */
};
/* The rows of the lists below hold their texts whole, never cut: the
 * pointers lead into one block the row owns (mem), which
 * store_row_release frees. A row copied is the same row: one release. */
struct store_model_row {
	char *mem;
	char id[STORE_ID_LEN + 1];
	char *code;
	char *name;
	char *unit_name;
	char *field;
	int points;
	char launched_on[11];
	char state[16];
	char *last_rating; /* of its latest rated evaluation */
	char *key;         /* its place in the list, for keyset paging */
};
/* Frees the texts of n rows of any list below (each begins with mem). */
void store_rows_release(void *rows, size_t n, size_t row_size);

/* Up to `limit` models after (forward) or before (backward) the row whose
 * key is given (NULL for the start or the end), in the filter's order.
 * Rows come back in list order. Returns the count or -1. */
int store_model_page(struct store *st, const struct store_model_filter *f, const char *after_key, int backward,
                     struct store_model_row *rows, int limit, struct mh_error *err);

struct store_point_row {
	char *mem;
	char id[STORE_ID_LEN + 1];
	char model_id[STORE_ID_LEN + 1];
	char *model_name;
	char *unit_code;
	char *unit_name;
	char *place;
	char launched_on[11];
	char *teams, *members;
	char *status; /* the label */
	char replicated_from[STORE_ID_LEN + 1];
	char *from_unit; /* the unit of the point it was replicated from */
	char state[16];
	char last_evaluated[11]; /* the end of its latest evaluation's period */
	char *key;               /* its place in the list, for keyset paging */
};
/* Gets each row in turn; it may keep one by taking r->mem (leaving NULL). */
typedef int (*store_point_fn)(struct store_point_row *r, void *ud);
struct store_point_filter {
	const char *model_id;   /* one model's points */
	const char *search;     /* words, accent- and case-free, over the point, its unit and its model */
	const char *unit_code;  /* a unit's subtree */
	const char *due_before; /* YYYY-MM-DD: only points still running whose latest evaluation
	                           ended before it (or that have none), longest unevaluated first */
};
/* Points in order of model name, then unit name (due: oldest evaluation first). */
int store_point_list(struct store *st, const struct store_point_filter *f, store_point_fn fn, void *ud,
                     struct mh_error *err);
/* The same a page at a time: up to limit rows after (or before) the row
 * whose key is given (NULL: from the start or the end), in list order. */
int store_point_page(struct store *st, const struct store_point_filter *f, const char *after_key, int backward,
                     struct store_point_row *rows, int limit, struct mh_error *err);
/* The first day of the half-year that `date` (YYYY-MM-DD) is in. */
void store_half_year_start(const char *date, char out[11]);

struct store_evaluation_row {
	char *mem;
	char id[STORE_ID_LEN + 1];
	char model_id[STORE_ID_LEN + 1];
	char point_id[STORE_ID_LEN + 1]; /* empty: the whole model */
	char *model_name;
	char *unit_name;
	char *kind, *period_kind, *rating; /* labels */
	char period_from[11], period_to[11], reviewed_on[11];
	char *reviewer;
	int replicate;
	char state[16];
	char *key; /* its place in the list, for keyset paging */
};
/* Gets each row in turn; it may keep one by taking r->mem (leaving NULL). */
typedef int (*store_evaluation_fn)(struct store_evaluation_row *r, void *ud);
/* Every evaluation, latest period first, a page at a time (after or before
 * the row whose key is given); words search the model and point. */
int store_evaluation_page(struct store *st, const char *search, const char *after_key, int backward,
                          struct store_evaluation_row *rows, int limit, struct mh_error *err);
/* Evaluations of a model (all its points and itself) or of one point,
 * latest period first. */
int store_evaluation_list(struct store *st, const char *model_id, const char *point_id, store_evaluation_fn fn,
                          void *ud, struct mh_error *err);

/* --- check ------------------------------------------------------------------ */
struct store_check_report {
	char integrity[256]; /* "ok" or SQLite's first complaint */
	int foreign_key_errors;
	int schema_version;
	long units, models, points, evaluations, audit;
	char audit_broken[256]; /* the first audit entry whose hash does not follow, or "" */
};
int store_check(struct store *st, struct store_check_report *r, struct mh_error *err);

/* --- accounts ------------------------------------------------------------------ */
enum store_role { STORE_ROLE_OFFICER = 1, STORE_ROLE_LEADER = 2, STORE_ROLE_ADMIN = 4 };
/* "officer,leader" → bits; -1 if a word is not a role. */
int store_roles_parse(const char *s);
/* The number of accounts: 0 while the office is being set up (changes are
 * then made as the system user); from the first, every change needs a login. */
long store_user_count(struct store *st);
/* Adds an account; the password (at least 8 characters) is kept only as an
 * Argon2id hash. Needs an admin logged in, except for the very first account. */
int store_user_add(struct store *st, const char *name, const char *roles, const char *password, struct mh_error *err);
int store_user_passwd(struct store *st, const char *name, const char *password, struct mh_error *err);
int store_user_disable(struct store *st, const char *name, struct mh_error *err);
struct store_user_row {
	const char *name, *roles, *created_at;
	int disabled, failures;
};
int store_user_list(struct store *st, int (*fn)(const struct store_user_row *u, void *ud), void *ud,
                    struct mh_error *err);
/* Checks the password (in constant time); after repeated failures each try
 * waits longer; every try is logged. On success the store acts as name. */
int store_login(struct store *st, const char *name, const char *password, struct mh_error *err);
void store_logout(struct store *st);
/* 1 if the logged-in account has the role. */
int store_has_role(struct store *st, enum store_role role);

/* --- review ---------------------------------------------------------------------- */
/* draft → submitted → approved, or returned (with a reason) → submitted again;
 * an approved record is locked until a leader reopens it (with a reason). The
 * table of a record is found from its id. seen_rev: the revision the
 * reviewer saw (0: any); a record changed since is refused. */
/* "submitted" → "Đã gửi duyệt" */
const char *store_state_label(const char *state);
int store_review_submit(struct store *st, const char *id, struct mh_error *err);
/* A model with its points and evaluations that are drafts or returned, in one action. */
int store_review_submit_model(struct store *st, const char *model_id, int *count, struct mh_error *err);
int store_review_approve(struct store *st, const char *id, long seen_rev, struct mh_error *err);
int store_review_return(struct store *st, const char *id, const char *reason, long seen_rev, struct mh_error *err);
int store_review_reopen(struct store *st, const char *id, const char *reason, struct mh_error *err);
struct store_review_row {
	char table[16];
	char id[STORE_ID_LEN + 1];
	char state[16];
	char title[512];
	char prepared_by[64], prepared_at[21], approved_by[64], approved_at[21];
	char reason[256];
	long rev;
};
/* Records of this office's database in a state (NULL: submitted), oldest first. */
int store_review_list(struct store *st, const char *state, int (*fn)(const struct store_review_row *r, void *ud),
                      void *ud, struct mh_error *err);
int store_review_get(struct store *st, const char *id, struct store_review_row *r, struct mh_error *err);
/* What changed since the record was last approved (or since it was made):
 * one line per field, "field: old → new". */
int store_review_diff(struct store *st, const char *id, struct strbuf *out, struct mh_error *err);

/* --- keys and the offices below ---------------------------------------------------- */
struct store_keys {
	char office_id[STORE_ID_LEN + 1];
	char unit_code[24];
	char name[256];
	char sign_pk[65], box_pk[65]; /* Ed25519 and X25519 public keys, hex */
	char fingerprint[24];         /* "ABCD-EF01-2345-6789": read aloud or on paper */
	char revoked[21];             /* when the key was revoked ("": in use) */
	char ended[11];               /* the day the office ended, its records handed on ("": working) */
};
/* The keys of this office (unit_code NULL) or of the office registered for a unit. */
int store_keys_get(struct store *st, const char *unit_code, struct store_keys *k, struct mh_error *err);
/* The nearest registered office above this one. */
int store_keys_above(struct store *st, struct store_keys *k, struct mh_error *err);
/* This office first, then the registered ones by unit code. */
int store_keys_list(struct store *st, int (*fn)(const struct store_keys *k, void *ud), void *ud, struct mh_error *err);
/* The public-key file of an office (mohinh keys export). */
void store_keys_file(const struct store_keys *k, struct strbuf *out);
/* Registers an office below this one from its public-key file (an admin's
 * act); k gets what was registered, with its fingerprint. */
int store_office_add(struct store *st, const char *unit_code, const char *key_file, struct store_keys *k,
                     struct mh_error *err);

/* Long imports and exports call fn with how far they are (0-100); a
 * non-zero answer cancels, and nothing is changed. */
void store_set_progress(struct store *st, int (*fn)(void *ud, int percent), void *ud);
/* The forms whose rules the rows of a bundle must meet, as any record saved
 * here (a required field with a value): a row that breaks them is refused
 * and said, the others applied. NULL: the store's own checks only. */
void store_set_forms(struct store *st, const struct formdef_set *forms);

/* An office below that ended (a district police on 2025-02-28, a province
 * merged on 2025-06-30) hands its records to this office, its successor: one
 * audited change of owner for each, a new revision, so that this office's
 * next bundle carries them (with the succession, in its manifest). The
 * ended office is then refused as a sender. Admins only. */
int store_office_succeed(struct store *st, const char *unit, const char *ended_on, long *moved, struct mh_error *err);
/* Hands down to the registered office of `unit` below this one (a commune
 * police of today) the models of this office whose points all lie in its
 * area today, with their points and evaluations: each record audited, sent
 * in the next bundle for that office (store_bundle_write). */
struct store_hand_down {
	char office[256];                 /* the office below */
	long models, points, evaluations; /* handed */
	long spread;                      /* models kept: points in other communes too */
	long waiting;                     /* models kept: a point of a divided commune, no successor chosen */
};
int store_office_hand_down(struct store *st, const char *unit, struct store_hand_down *h, struct mh_error *err);
/* Revokes the key registered for a unit (lost or stolen): bundles it signed
 * are refused from now on; `office add` then takes that office's new key. */
int store_office_revoke(struct store *st, const char *unit_code, struct store_keys *k, struct mh_error *err);

/* --- bundles ------------------------------------------------------------------- */
/* Writes a data bundle for the office registered for to_unit (NULL: the
 * nearest registered office above) into dir: every row this office owns or
 * forwards, their audit entries, a manifest; written as .part, renamed, read
 * back and its signature checked, then logged. path: the file (a new string). */
int store_bundle_write(struct store *st, const char *to_unit, const char *dir, char **path, long long *size,
                       struct bundle_header *h, struct mh_error *err);
/* What went up and what came in (app_sync_status_text says it): each bundle
 * sent and its receipt; per office below, its last bundle, when, and the
 * sequence numbers missing; the conflicts waiting. */
struct store_sync_sent {
	long long seq;
	char at[11], receipt_at[11]; /* receipt_at "": no receipt yet */
	char *to, *file, *receipt;   /* the receipt's summary */
};
struct store_sync_below {
	char *name, *unit;
	long long last;           /* 0: no bundle received yet */
	char made[11];            /* the last bundle's day */
	long long *missing;       /* the sequence numbers below last that never came */
	size_t nmissing;          /* all of them (missing holds the first STORE_SYNC_MISSING) */
	long long new_generation; /* its database restored or copied since this bundle (0: never) */
	int devices;              /* the PCs its bundles come from */
};
#define STORE_SYNC_MISSING 64
struct store_sync_status {
	struct store_sync_sent *sent;
	size_t nsent;
	struct store_sync_below *below;
	size_t nbelow;
	int conflicts; /* waiting for a person */
};
int store_sync_status(struct store *st, struct store_sync_status *s, struct mh_error *err);
void store_sync_status_free(struct store_sync_status *s);
struct store_bundle_result {
	struct bundle_header h;
	char sender_name[256];
	int already; /* the same file was imported before: nothing changed */
	long added, updated, unchanged, refused, conflicts;
	long total;                      /* rows in the bundle, for progress */
	char device[40], generation[40]; /* of the sender's PC and database */
	char **problems;                 /* the first refused rows, and why */
	size_t nproblems;
	struct strbuf receipt;              /* a data bundle imported: its receipt file, for the sender */
	int is_receipt;                     /* the file was a receipt of one of our bundles */
	int is_setup;                       /* a setup bundle: its sender's keys and reference data */
	int is_ref;                         /* reference data from above */
	long long ref_version, ref_applied; /* of that bundle, and the one applied before */
	long inactive;                      /* choices gone from the lists above */
	long choices;                       /* choices a setup or reference bundle brought */
	char fingerprint[24];               /* of the keys a setup bundle carries */
	char receipt_text[1024];
};
/* Imports a data bundle from an office below (dry_run: counts only, nothing
 * kept), a receipt from the office above, or a setup bundle from the office
 * above: that one only with the fingerprint a person compared (NULL: only
 * r->fingerprint is filled, nothing changes). */
int store_bundle_import(struct store *st, const char *path, int dry_run, const char *fingerprint,
                        struct store_bundle_result *r, struct mh_error *err);
/* A setup bundle for an office below: this office's public keys (to be
 * checked by fingerprint) and the reference data (the choice lists). */
int store_bundle_setup(struct store *st, const char *for_unit, const char *forms_dir, const char *dir, char **path,
                       struct bundle_header *h, struct mh_error *err);
/* A reference bundle for an office below (to_unit), written into dir: the
 * units, the choice lists, the form files in use (forms_dir and those from
 * above), the registry of office keys, the receipts of its bundles and the
 * oldest program version that may use them. Applied below only if newer
 * than what it has; a choice gone from the lists becomes inactive there. */
int store_bundle_ref(struct store *st, const char *to_unit, const char *forms_dir, const char *dir, char **path,
                     struct bundle_header *h, struct mh_error *err);
void store_bundle_result_free(struct store_bundle_result *r);
/* The manifest of a data bundle meant for this office, its signature
 * checked, without importing anything: the counts it declares (-1: not
 * declared; app_manifest_text says them). */
struct store_manifest {
	long long models, points, evaluations, audit, schema;
};
int store_bundle_manifest(struct store *st, const char *path, struct store_manifest *m, struct mh_error *err);

/* A table's name for people: "mô hình" for model. */
const char *store_table_label(const char *table);

/* --- conflicts: two PCs of one office changed one record ------------------------ */
struct store_conflict {
	long long id;
	const char *at, *table, *record_id, *office, *label;
	const char *resolution, *resolved_by; /* "" while it waits */
};
typedef int (*store_conflict_fn)(const struct store_conflict *c, void *ud);
/* The conflicts waiting (all: the resolved ones too), oldest first. */
int store_conflict_list(struct store *st, int all, store_conflict_fn fn, void *ud, struct mh_error *err);
struct store_conflict_field {
	const char *name, *ours, *theirs; /* NULL: no value */
	int differs;
};
typedef int (*store_conflict_field_fn)(const struct store_conflict_field *f, void *ud);
/* Both versions side by side, field by field. */
int store_conflict_show(struct store *st, long long id, store_conflict_field_fn fn, void *ud, struct mh_error *err);
/* Settles a conflict: take NULL keeps ours, "*" takes theirs whole, "a,b"
 * takes those fields of theirs; the result is a new version, audited. */
int store_conflict_resolve(struct store *st, long long id, const char *take, struct mh_error *err);

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
