/* Lists of models, points and evaluations to and from spreadsheets (CSV).
 * The columns are the form's fields, headed by their labels; units go by
 * code and by name; choices by label. Importing is all or nothing. */
#ifndef MOHINH_STORE_CSV_H
#define MOHINH_STORE_CSV_H
#include <stddef.h>

#include "mh-error.h"

struct store;
struct strbuf;
struct formdef_set;

struct store_csv_filter {
	const char *unit; /* only this unit's subtree (NULL: all) */
	int year;         /* only records of this year (0: all): launched, or evaluated */
};

/* Every live record of table (model, point, evaluation), a row at a time:
 * fn(ud, cells, n, 1) for the header row, then fn(ud, cells, n, 0) for each
 * record (a choice by its label, a date YYYY-MM-DD, a number as a number).
 * fn returns non-zero to stop (an error). */
struct sheet_cell;
typedef int (*store_list_fn)(void *ud, const struct sheet_cell *cells, size_t n, int head);
int store_list_export(struct store *st, const struct formdef_set *forms, const char *table,
                      const struct store_csv_filter *f, store_list_fn fn, void *ud, long *rows, struct mh_error *err);
/* Appends every live record of table (model, point, evaluation) as CSV. */
int store_csv_export(struct store *st, const struct formdef_set *forms, const char *table,
                     const struct store_csv_filter *f, int bom, struct strbuf *out, long *rows, struct mh_error *err);

struct store_csv_problem {
	long line;    /* the line of the file */
	char *column; /* its header, or NULL for the whole row */
	char *msg;
};

struct store_csv_opts {
	int encoding;        /* enum charset_enc; CHARSET_AUTO to detect */
	const char *map;     /* "Header=field,Header2=field2" when the headers differ */
	int dry_run;         /* check and preview only */
	int keep_duplicates; /* import rows that look like records already there */
	const char *sheet;   /* a workbook's sheet, by name or number from 1 (NULL: the first) */
};

struct store_csv_result {
	const char *encoding; /* used: "utf-8", "tcvn3"… */
	int detected;         /* 1 if found by looking at the bytes */
	char **mapping;       /* "Header → field" for each column taken */
	size_t nmapping;
	char **ignored; /* headers of columns not taken */
	size_t nignored;
	char **preview; /* the first rows, as "field=value; …" */
	size_t npreview;
	long header_line; /* the line (or row) of the header; rows above it are left */
	char **notes;     /* what else a person should know: the sheets, formulas, fonts */
	size_t nnotes;
	long rows, added, refused_rows;
	struct store_csv_problem *refused, *duplicates;
	size_t nrefused, nduplicates;
};

/* Reads the bytes of a CSV file into table, in one transaction: every row
 * is checked; if one is refused (or dry_run), nothing is kept. Returns 0 if
 * the rows were imported (or would be), -1 with err otherwise (res then
 * says which rows and why). */
int store_csv_import(struct store *st, const struct formdef_set *forms, const char *table, const char *bytes,
                     size_t len, const struct store_csv_opts *o, struct store_csv_result *res, struct mh_error *err);
/* The same with rows already read (from a workbook, by sheet_read). */
struct csv_table;
int store_csv_import_rows(struct store *st, const struct formdef_set *forms, const char *table, struct csv_table *t,
                          const struct store_csv_opts *o, struct store_csv_result *res, struct mh_error *err);
/* What an import found, as lines for a person: encoding, columns, preview,
 * refused rows and duplicates, and the counts (if ok). */
void store_csv_result_free(struct store_csv_result *res);

#endif
