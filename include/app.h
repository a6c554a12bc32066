/* Use cases both front-ends share (architecture.md, "app.h"): what the
 * screens and the command line do the same way, whatever asked. */
#ifndef MOHINH_APP_H
#define MOHINH_APP_H
#include <stddef.h>

#include "formdef.h"
#include "mh-error.h"
#include "store-sync.h"
#include "store.h"
#include "strbuf.h"

/* Saves a record of a model, point or evaluation, or adds an old unit
 * version (id NULL: a new one, its id or code into new_id) under the rules of its form: the values given (as stored:
 * codes, YYYY-MM-DD; NULL clears) with the record's others; a field the form
 * hides then holds nothing; a field required, or required when another has a
 * value, must have one (err names it). Then the store's checks, in one
 * transaction. Without a form for the table, the store's checks alone. */
int app_record_save(struct store *st, const struct formdef_set *forms, const char *table, const char *id,
                    const struct store_kv *kv, size_t n, char new_id[STORE_ID_LEN + 1], struct mh_error *err);

/* Several officers on one database: a form opened on a record keeps each
 * field's stored value (base, one per field of the form, NULL for none) and
 * saves over it. A field someone else changed meanwhile and this person did
 * not keeps theirs; one both changed, to different values, is a clash: none
 * is saved, each is given (label, theirs, mine, who saved theirs and when),
 * and err says so. The caller shows both; saving again with base set
 * to theirs keeps mine. A new record (id NULL) has nothing to clash with. */
struct app_clash {
	const char *field, *label; /* the form's */
	char *theirs, *mine;       /* as stored */
	char who[64], at[21];      /* who saved theirs, when (UTC) */
};
struct app_clashes {
	struct app_clash *v;
	size_t n;
};
int app_record_save_over(struct store *st, const struct formdef_set *forms, const char *table, const char *id,
                         char *const *base, const struct store_kv *kv, size_t n, char new_id[STORE_ID_LEN + 1],
                         struct app_clashes *clashes, struct mh_error *err);
void app_clashes_release(struct app_clashes *c);

/* Asks a person a yes/no question: 1 yes, 0 no, -1 cannot ask (no terminal). */
typedef int (*app_ask_fn)(void *ud, const char *question);

/* What importing one file did, said the same way on the screen and on the
 * command line. */
struct app_import {
	struct strbuf said;  /* lines, each naming its file ("FILE: ...") */
	int failed;          /* err says what went wrong (a bundle refused changes nothing) */
	struct mh_error err; /* its message begins with the file's name */
	long refused;        /* rows refused (the rest was applied) */
	long conflicts;      /* rows waiting for a person */
	int can_apply;       /* a preview of a bundle that would change something */
};
/* Imports (dry: previews) a bundle, a receipt or a setup bundle; its rows
 * meet the rules of forms as any record saved here. A setup bundle without a
 * fingerprint is taken only once a person, asked through ask, confirms the
 * fingerprint read out by the office above. A data bundle imported leaves
 * its receipt beside it (FILE.receipt). */
void app_bundle_import(struct store *st, const struct formdef_set *forms, const char *path, int dry,
                       const char *fingerprint, app_ask_fn ask, void *ud, struct app_import *out);
void app_import_release(struct app_import *out);

/* What went up and came in, as a person reads it (mohinh sync, the sync screen). */
void app_sync_status_text(const struct store_sync_status *s, struct strbuf *out);
/* A bundle's manifest: "what: count" lines. */
void app_manifest_text(const struct store_manifest *m, struct strbuf *out);
/* Warnings on how the database is kept at rest (store_at_rest): not on an
 * encrypted disk, readable by any account. 0 when there is nothing to say. */
int app_at_rest_text(const struct store_at_rest *r, struct strbuf *out);
/* A conflict's two versions side by side as a table of text, the values cut
 * to width columns, the fields that differ marked '*'. */
int app_conflict_table(struct store *st, long long id, size_t width, struct strbuf *out, struct mh_error *err);
/* What an import of a spreadsheet did or would do (dry_run), as lines. */
struct store_csv_result;
void app_csv_result_text(const struct store_csv_result *res, int dry_run, int ok, struct strbuf *out);
/* Imports a list from a file of any kind a spreadsheet writes: CSV, .xlsx
 * or .xls (by its first bytes, else its name); o->sheet chooses a workbook's
 * sheet. res says what was found, with notes on the sheets, formulas and
 * legacy fonts. All or nothing, as store_csv_import. */
struct store_csv_opts;
/* Writes a list (store_list_export) to path ("-": standard output) as CSV
 * (with a BOM unless bom is 0) or, format "xlsx", as a workbook: one sheet,
 * its header row frozen, numbers and dates as such. */
struct store_csv_filter;
int app_list_export(struct store *st, const struct formdef_set *forms, const char *table,
                    const struct store_csv_filter *f, const char *format, int bom, const char *path, long *rows,
                    struct mh_error *err);
/* The format a file's name ends with, among formats (NULL-terminated);
 * the first if none. */
const char *app_format_of(const char *path, const char *const *formats);
/* Writes a report to path ("-": standard output) in a format of
 * app_report_formats (NULL: by the file's name, else txt). */
struct report;
extern const char *const app_report_formats[];
int app_report_write(const struct report *r, const char *format, int bom, const char *path, struct mh_error *err);
/* The sheets of a workbook (*n = 0 for a CSV file), to choose one. */
int app_sheet_names(const char *path, char ***names, size_t *n, struct mh_error *err);
int app_sheet_import(struct store *st, const struct formdef_set *forms, const char *table, const char *path,
                     const struct store_csv_opts *o, struct store_csv_result *res, struct mh_error *err);

#endif
