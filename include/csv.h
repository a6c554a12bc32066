/* CSV as spreadsheets write it (RFC 4180): fields split by commas (or
 * semicolons, as Excel writes them under some locales), quoted with double
 * quotes, records ended by CRLF or LF. */
#ifndef MOHINH_CSV_H
#define MOHINH_CSV_H
#include <stddef.h>

#include "mh-error.h"

struct strbuf;

struct csv_record {
	char **f;
	size_t n;
	long line; /* the line of the file it starts on (from 1) */
};

struct csv_table {
	struct csv_record *r;
	size_t n;
	char sep;
};

/* Parses UTF-8 text (a BOM is skipped); blank lines are skipped. A quote
 * left open is an error naming its line (MH_EDATA). */
int csv_parse(const char *s, size_t len, struct csv_table *t, struct mh_error *err);
void csv_free(struct csv_table *t);
/* Appends one field, quoted when it must be. A field a spreadsheet would
 * run as a formula or cut (starting with =, +, -, @, tab or CR), or starting
 * with the quote itself, gets a leading ' : Excel and LibreOffice show it as
 * text. */
void csv_field(struct strbuf *out, const char *s);
/* Takes that quote off a field read back (in place): the same text again. */
void csv_text(char *cell);

#endif
