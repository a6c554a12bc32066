/* Shared by the readers of workbooks (sheet.c, sheet-xlsx.c, sheet-biff.c). */
#ifndef MOHINH_SHEET_INTERNAL_H
#define MOHINH_SHEET_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "charset.h"
#include "csv.h"
#include "mh-error.h"

struct sheet_info;
/* Sets info->chosen to the sheet named so, or numbered so from 1 (NULL: the
 * first); -1 with err (listing the sheets) if there is none. */
int sheet_choose(struct sheet_info *info, const char *sheet, struct mh_error *err);

/* Room for one more item in an array of n that grows by doubling (rows,
 * strings and cells come by the hundred thousand). */
void *sheet_grow(void *array, size_t n, size_t size);

/* A range of merged cells: rows r1..r2 (from 1), its first column c (from 0). */
struct sheet_merge {
	long r1, r2, c;
};

/* Each merged range's value down every row it spans, in its first column
 * (a unit written once for several models); t's rows are in order. */
void sheet_fill_merges(struct csv_table *t, const struct sheet_merge *m, size_t n);

/* What freexl does not say of an .xls sheet, read from its BIFF records:
 * the merged ranges, and which cells are in a legacy font. */
struct sheet_biff {
	struct sheet_merge *merges;
	size_t nmerges;
	uint64_t *legacy; /* each cell in a legacy font: row << 24 | column << 8 | encoding, in order */
	size_t nlegacy;
	struct sheet_biff_formula {
		unsigned row, col;
		char *value; /* the value saved with it: a number, a date YYYY-MM-DD, text */
	} * formulas;        /* in order */
	size_t nformulas;
};

/* The workbook is encrypted (saved with a password to open it). */
int sheet_biff_encrypted(const char *bytes, size_t len);
/* Reads them for the sheet of that name; nothing found is no error (the
 * file is then read without them). */
void sheet_biff_scan(const char *bytes, size_t len, const char *sheet, struct sheet_biff *b);
/* The encoding the font of cell (row, col from 0) says: CHARSET_TCVN3,
 * CHARSET_VNI, or CHARSET_AUTO. */
enum charset_enc sheet_biff_font(const struct sheet_biff *b, unsigned row, unsigned col);
/* The value saved with a formula cell, or NULL if the cell holds none. */
const char *sheet_biff_formula(const struct sheet_biff *b, unsigned row, unsigned col);
void sheet_biff_free(struct sheet_biff *b);

/* "C5" for column 2 (from 0), row 5 */
void sheet_cell_name(long col, long row, char out[16]);

/* A number format shows a date: a built-in one by its id (code NULL), or
 * by its code ("dd/mm/yyyy": a day, month or year outside quotes). */
int sheet_date_format(int id, const char *code);

struct sheet_info;
struct strbuf;
/* A cell's text decoded by its font, else by the encoding asked for (hint),
 * and counted in info by how it was read. */
void sheet_decode(const char *s, size_t n, enum charset_enc font, enum charset_enc hint, struct sheet_info *info,
                  struct strbuf *out);

/* A font's name as an encoding: ".VnTime" TCVN3, "VNI-Times" VNI, else CHARSET_AUTO. */
enum charset_enc sheet_font_encoding(const char *name);

#endif
