/* Spreadsheet files (.xlsx, .xls) read into rows of UTF-8 text, as a CSV
 * file is: one sheet, empty rows left out, each row with its number in the
 * sheet. Numbers come as numbers ("12", "3.5"), dates as YYYY-MM-DD, a
 * formula as the value the spreadsheet saved with it, a merged cell's value
 * down every row it spans. Text typed in a legacy font (.VnTime is TCVN3,
 * VNI-Times is VNI) is decoded by that font, or else by looking at it.
 *
 * Limits, each a clear error: a part of a workbook inflates to at most
 * SHEET_MAX_PART bytes (a zip bomb stops there), a sheet has at most
 * SHEET_MAX_ROWS rows with data and SHEET_MAX_COLS columns. */
#ifndef MOHINH_SHEET_H
#define MOHINH_SHEET_H
#include <stddef.h>

#include "csv.h"
#include "mh-error.h"

#define SHEET_MAX_PART (256u << 20)
#define SHEET_MAX_ROWS 300000L
#define SHEET_MAX_COLS 256

enum sheet_format { SHEET_CSV, SHEET_XLSX, SHEET_XLS };

/* What was read besides the rows. */
struct sheet_info {
	enum sheet_format format;
	char **names; /* every sheet of the workbook, in order */
	size_t nnames;
	size_t chosen;                   /* the one read */
	long formulas;                   /* cells holding a formula (their saved value is used) */
	char formula_cell[16];           /* the first of them, "C5" */
	long font_tcvn3, font_vni;       /* cells decoded by their font */
	long guessed;                    /* cells decoded by looking at their letters */
	long guessed_tcvn3, guessed_vni; /* ... of which */
	long declared;                   /* cells decoded as the encoding asked for says */
};

/* The format of a file by its first bytes (a zip is .xlsx, an OLE2 file .xls),
 * else by its name; text is CSV. */
enum sheet_format sheet_format_of(const char *path, const char *bytes, size_t len);

/* Reads one sheet of a workbook: sheet is its name or its number from 1 (NULL:
 * the first). encoding says how to read text whose font says nothing of it:
 * CHARSET_AUTO by its letters, CHARSET_UTF8 as it is, CHARSET_TCVN3 or
 * CHARSET_VNI as typed in that encoding (a sheet of an old program in Arial). A password, a damaged file, an HTML page named .xls, a zip bomb
 * or too many rows is an error (MH_EDATA) saying so. bytes, len: the file's
 * contents (path is used by .xls). With t NULL, only the sheets' names are read. */
int sheet_read(const char *path, const char *bytes, size_t len, const char *sheet, int encoding, struct csv_table *t,
               struct sheet_info *info, struct mh_error *err);
void sheet_info_free(struct sheet_info *info);

/* The parts of an .xlsx workbook, however they are stored: feed(ud, name, sink, s, e)
 * gives a part's bytes to sink in pieces, and returns 1, or 0 if there is no
 * such part, or -1 with e (a damaged part, or a sink's error). The zip reader
 * is one; the fuzzer gives parts directly. */
struct sheet_parts {
	int (*feed)(void *ud, const char *name, int (*sink)(void *s, const char *buf, size_t n, struct mh_error *e),
	            void *s, struct mh_error *e);
	void *ud;
};
int sheet_xlsx_read(const struct sheet_parts *parts, const char *sheet, int encoding, struct csv_table *t,
                    struct sheet_info *info, struct mh_error *err);

/* --- writing a workbook (.xlsx, with libxlsxwriter) ------------------------------ */

enum sheet_kind { SHEET_TEXT, SHEET_NUMBER, SHEET_DATE };

struct sheet_cell {
	const char *text;     /* as a person reads it */
	enum sheet_kind kind; /* a number ("12") or a date (YYYY-MM-DD) is written as one */
};

struct sheet_out;
struct sheet_out *sheet_out_new(struct mh_error *err);
/* Starts a sheet: what follows goes in it. */
void sheet_out_sheet(struct sheet_out *o, const char *name);
/* A line of the header block above a table: bold, or italic. */
void sheet_out_line(struct sheet_out *o, const char *text, int bold);
/* The table's header row: bold, framed, and frozen (it stays when scrolling). */
void sheet_out_head(struct sheet_out *o, const char *const *labels, size_t n);
/* A row of the table: SHEET_PLAIN (a list of data: no frame, nothing
 * written for an empty cell, the least to compress), SHEET_FRAMED (a table
 * to print) or SHEET_TOTAL (framed and bold). */
enum sheet_look { SHEET_PLAIN, SHEET_FRAMED, SHEET_TOTAL };
void sheet_out_row(struct sheet_out *o, const struct sheet_cell *cells, size_t n, enum sheet_look look);
/* Sets each column's width by the widest text it holds, writes the workbook
 * to path ("-": standard output) through path.part, and frees o (path
 * NULL: writes nothing). */
int sheet_out_save(struct sheet_out *o, const char *path, struct mh_error *err);

/* Excel's day number (1900 system, or 1904) as YYYY-MM-DD; 0 if out of range. */
int sheet_serial_date(double serial, int date1904, char out[11]);
/* A number as a spreadsheet shows it in general format: "12", "3.5". */
void sheet_number(double v, char out[32]);

#endif
