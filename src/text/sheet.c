/* Spreadsheet files read: .xlsx parts out of their zip (libzip, with the
 * inflated size counted), .xls with freexl. Part of the workbook module
 * (src/modules.c). */
#include "sheet.h"

#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "charset.h"
#include "sheet-internal.h"
#include "i18n.h"
#include "strbuf.h"
#include "xalloc.h"

/* A format code showing a day, a month or a year (not inside quotes or [colour]). */
static int sheet_date_code(const char *code)
{
	for (const char *c = code; *c; c++) {
		if (*c == '"') {
			const char *end = strchr(c + 1, '"');
			if (!end)
				return 0;
			c = end;
		} else if (*c == '[') {
			const char *end = strchr(c, ']');
			if (!end)
				return 0;
			c = end;
		} else if (*c == '\\' && c[1]) {
			c++;
		} else if (strchr("dDyY", *c)) {
			return 1;
		}
	}
	return 0;
}

int sheet_date_format(int id, const char *code)
{
	if (code)
		return sheet_date_code(code);
	/* Excel's built-in number formats that show dates */
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

void sheet_cell_name(long col, long row, char out[16])
{
	char letters[8];
	int n = 0;
	for (long c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
		letters[n++] = (char)('A' + (c - 1) % 26);
	int k = 0;
	while (n > 0)
		out[k++] = letters[--n];
	snprintf(out + k, (size_t)(16 - k), "%ld", row);
}

int sheet_choose(struct sheet_info *info, const char *sheet, struct mh_error *err)
{
	char *end = NULL;
	long k = sheet ? strtol(sheet, &end, 10) : 1;
	for (size_t i = 0; sheet && i < info->nnames; i++)
		if (strcmp(info->names[i], sheet) == 0) {
			info->chosen = i;
			return 0;
		}
	if ((!sheet || (*sheet && !*end)) && k >= 1 && (size_t)k <= info->nnames) {
		info->chosen = (size_t)k - 1;
		return 0;
	}
	struct strbuf names;
	strbuf_init(&names);
	for (size_t i = 0; i < info->nnames; i++)
		strbuf_addf(&names, "%s%zu. %s", i ? ", " : "", i + 1, info->names[i]);
	mh_error_set(err, MH_EUSAGE, _("the workbook has no sheet '%s'; its sheets: %s"), sheet ? sheet : "1",
	             names.buf);
	strbuf_release(&names);
	return -1;
}

void *sheet_grow(void *array, size_t n, size_t size)
{
	if (n == 0)
		return xalloc_realloc(array, 16 * size);
	if (n >= 16 && (n & (n - 1)) == 0)
		return xalloc_realloc(array, 2 * n * size);
	return array;
}

void sheet_decode(const char *s, size_t n, enum charset_enc font, enum charset_enc hint, struct sheet_info *info,
                  struct strbuf *out)
{
	if (font == CHARSET_AUTO && hint == CHARSET_UTF8) {
		strbuf_add(out, s, n);
		return;
	}
	enum charset_enc want = font != CHARSET_AUTO ? font : hint;
	enum charset_enc used = charset_repair(s, n, want, out);
	if (used == CHARSET_UTF8)
		return;
	if (font != CHARSET_AUTO)
		used == CHARSET_TCVN3 ? info->font_tcvn3++ : info->font_vni++;
	else if (hint != CHARSET_AUTO)
		info->declared++;
	else
		info->guessed++, used == CHARSET_TCVN3 ? info->guessed_tcvn3++ : info->guessed_vni++;
}

void sheet_fill_merges(struct csv_table *t, const struct sheet_merge *m, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		/* the first row at or after the range's first (rows are in order) */
		size_t lo = 0, hi = t->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (t->r[mid].line < m[k].r1)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == t->n || t->r[lo].line != m[k].r1 || (size_t)m[k].c >= t->r[lo].n || !t->r[lo].f[m[k].c][0])
			continue;
		const char *v = t->r[lo].f[m[k].c];
		size_t c = (size_t)m[k].c;
		for (size_t i = lo + 1; i < t->n && t->r[i].line <= m[k].r2; i++) {
			struct csv_record *rec = &t->r[i];
			if (c >= rec->n) {
				rec->f = xalloc_realloc(rec->f, (c + 1) * sizeof *rec->f);
				while (rec->n <= c)
					rec->f[rec->n++] = xalloc_strdup("");
			}
			if (!rec->f[c][0]) {
				free(rec->f[c]);
				rec->f[c] = xalloc_strdup(v);
			}
		}
	}
}

/* --- .xlsx: parts out of the zip ---------------------------------------------------------- */

static int sheet_zip_feed(void *ud, const char *name, int (*sink)(void *, const char *, size_t, struct mh_error *),
                          void *s, struct mh_error *e)
{
	zip_t *z = ud;
	zip_int64_t i = zip_name_locate(z, name, ZIP_FL_NOCASE);
	if (i < 0)
		return 0;
	zip_stat_t zs;
	if (zip_stat_index(z, (zip_uint64_t)i, 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE) && zs.size > SHEET_MAX_PART)
		goto bomb;
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
	if (!f) {
		int code = zip_error_code_zip(zip_get_error(z));
		if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
			return mh_error_set(
			    e, MH_EDATA, "%s",
			    _("the workbook is protected by a password: open it in Excel or LibreOffice, "
			      "take the password off, save it, and import it again"));
		return mh_error_set(e, MH_EDATA, _("the workbook is damaged: %s: %s"), name, zip_strerror(z));
	}
	static char buf[1 << 16];
	zip_uint64_t total = 0;
	int rc = 1;
	for (;;) {
		zip_int64_t n = zip_fread(f, buf, sizeof buf);
		if (n < 0) {
			rc =
			    mh_error_set(e, MH_EDATA, _("the workbook is damaged: %s: %s"), name, zip_file_strerror(f));
			break;
		}
		if (n == 0)
			break;
		total += (zip_uint64_t)n;
		if (total > SHEET_MAX_PART) {
			zip_fclose(f);
			goto bomb;
		}
		if (sink(s, buf, (size_t)n, e) < 0) {
			rc = -1;
			break;
		}
	}
	zip_fclose(f);
	return rc;
bomb:
	return mh_error_set(e, MH_EDATA,
	                    _("the workbook's part %s inflates past %u MiB: refused (a damaged file, or a zip bomb)"),
	                    name, SHEET_MAX_PART >> 20);
}

/* An OLE2 file that holds an encrypted Office Open XML package, not a workbook of 1997-2003. */
static int sheet_encrypted_ooxml(const char *bytes, size_t len)
{
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	return memmem(bytes, len, name, sizeof name - 1) != NULL;
}

static int sheet_password(struct mh_error *err)
{
	return mh_error_set(err, MH_EDATA, "%s",
	                    _("the workbook is protected by a password: open it in Excel or LibreOffice, take the "
	                      "password off, save it, and import it again"));
}

static int sheet_read_xlsx(const char *bytes, size_t len, const char *sheet, int hint, struct csv_table *t,
                           struct sheet_info *info, struct mh_error *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!z) {
		int rc = mh_error_set(err, MH_EDATA, _("the workbook is damaged or is not an .xlsx file (zip: %s)"),
		                      zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	struct sheet_parts parts = {sheet_zip_feed, z};
	int rc = sheet_xlsx_read(&parts, sheet, hint, t, info, err);
	zip_discard(z);
	return rc;
}

/* --- .xls (BIFF, 1997-2003) with freexl ------------------------------------------------------ */

static int sheet_xls_fail(int code, struct mh_error *err)
{
	if (code == FREEXL_FILE_NOT_FOUND)
		return mh_error_set(err, MH_EIO, "%s", _("the file cannot be opened"));
	if (code == FREEXL_INSUFFICIENT_MEMORY)
		return mh_error_set(err, MH_EFAIL, "%s", _("out of memory"));
	return mh_error_set(err, MH_EDATA, _("the .xls workbook is damaged or of a kind not read (freexl error %d)"),
	                    code);
}

static int sheet_read_xls(const char *path, const char *bytes, size_t len, const char *sheet, enum charset_enc hint,
                          struct csv_table *t, struct sheet_info *info, struct mh_error *err)
{
	if (sheet_encrypted_ooxml(bytes, len) || sheet_biff_encrypted(bytes, len))
		return sheet_password(err);
	const void *h = NULL;
	int rc = freexl_open(path, &h);
	unsigned int v = 0;
	if (rc == FREEXL_OK && freexl_get_info(h, FREEXL_BIFF_PASSWORD, &v) == FREEXL_OK &&
	    v == FREEXL_BIFF_OBFUSCATED) {
		freexl_close(h);
		return sheet_password(err);
	}
	if (rc != FREEXL_OK) {
		if (h)
			freexl_close(h);
		return sheet_xls_fail(rc, err);
	}
	unsigned int count = 0;
	freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count);
	if (count == 0) {
		freexl_close(h);
		return mh_error_set(err, MH_EDATA, "%s", _("the workbook has no sheet"));
	}
	for (unsigned int i = 0; i < count; i++) {
		const char *name = NULL;
		freexl_get_worksheet_name(h, (unsigned short)i, &name);
		info->names = sheet_grow(info->names, info->nnames, sizeof *info->names);
		info->names[info->nnames++] = xalloc_strdup(name ? name : "");
	}
	if (!t) { /* the names only */
		freexl_close(h);
		return 0;
	}
	if (sheet_choose(info, sheet, err) < 0) {
		freexl_close(h);
		return -1;
	}
	struct sheet_biff biff;
	sheet_biff_scan(bytes, len, info->names[info->chosen], &biff);
	unsigned int rows = 0;
	unsigned short cols = 0;
	rc = freexl_select_active_worksheet(h, (unsigned short)info->chosen);
	if (rc == FREEXL_OK)
		rc = freexl_worksheet_dimensions(h, &rows, &cols);
	memset(t, 0, sizeof *t);
	t->sep = ',';
	if (cols > SHEET_MAX_COLS)
		cols = SHEET_MAX_COLS;
	for (unsigned int r = 0; rc == FREEXL_OK && r < rows; r++) {
		char **cells = xalloc_calloc(cols ? cols : 1, sizeof *cells);
		long last = -1;
		for (unsigned short c = 0; rc == FREEXL_OK && c < cols; c++) {
			FreeXL_CellValue cv;
			rc = freexl_get_cell_value(h, r, c, &cv);
			if (rc != FREEXL_OK)
				break;
			char num[32];
			struct strbuf s;
			strbuf_init(&s);
			switch (cv.type) {
			case FREEXL_CELL_INT:
				snprintf(num, sizeof num, "%d", cv.value.int_value), strbuf_adds(&s, num);
				break;
			case FREEXL_CELL_DOUBLE: sheet_number(cv.value.double_value, num), strbuf_adds(&s, num); break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
				sheet_decode(cv.value.text_value, strlen(cv.value.text_value),
				             sheet_biff_font(&biff, r, c), hint, info, &s);
				break;
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME: strbuf_adds(&s, cv.value.text_value); break;
			default: break;
			}
			const char *saved = sheet_biff_formula(&biff, r, c);
			if (saved) { /* freexl leaves a formula's value out: the one saved with it */
				if (!info->formulas++)
					sheet_cell_name(c, (long)r + 1, info->formula_cell);
				if (s.len == 0)
					sheet_decode(saved, strlen(saved), sheet_biff_font(&biff, r, c), hint, info,
					             &s);
			}
			cells[c] = strbuf_detach(&s, NULL);
			if (cells[c][0])
				last = c;
		}
		if (rc == FREEXL_OK && last >= 0 && (long)t->n >= SHEET_MAX_ROWS)
			rc = 1;
		if (rc == FREEXL_OK && last >= 0) {
			t->r = sheet_grow(t->r, t->n, sizeof *t->r);
			t->r[t->n++] = (struct csv_record){cells, (size_t)last + 1, (long)r + 1};
			for (long c = last + 1; c < cols; c++)
				free(cells[c]);
		} else {
			for (long c = 0; c < cols; c++)
				free(cells[c]);
			free(cells);
		}
	}
	freexl_close(h);
	if (rc == FREEXL_OK)
		sheet_fill_merges(t, biff.merges, biff.nmerges);
	sheet_biff_free(&biff);
	if (rc == 1) {
		csv_free(t);
		return mh_error_set(err, MH_EDATA,
		                    _("the sheet has more than %ld rows with data: split it into several files"),
		                    SHEET_MAX_ROWS);
	}
	if (rc != FREEXL_OK) {
		csv_free(t);
		return sheet_xls_fail(rc, err);
	}
	return 0;
}

/* An HTML page (old programs export "Excel" files so) */
static int sheet_is_html(const char *bytes, size_t len)
{
	size_t i = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < len && strchr(" \t\r\n", bytes[i]))
		i++;
	return i < len && bytes[i] == '<';
}

int sheet_read(const char *path, const char *bytes, size_t len, const char *sheet, int encoding, struct csv_table *t,
               struct sheet_info *info, struct mh_error *err)
{
	memset(info, 0, sizeof *info);
	if (t)
		memset(t, 0, sizeof *t);
	info->format = sheet_format_of(path, bytes, len);
	if (info->format == SHEET_XLSX && len >= 4 && memcmp(bytes, "PK\3\4", 4) == 0)
		return sheet_read_xlsx(bytes, len, sheet, encoding, t, info, err);
	if (info->format == SHEET_XLS && len >= 8 && memcmp(bytes, "\xD0\xCF\x11\xE0", 4) == 0)
		return sheet_read_xls(path, bytes, len, sheet, (enum charset_enc)encoding, t, info, err);
	if (sheet_is_html(bytes, len))
		return mh_error_set(
		    err, MH_EDATA, "%s",
		    _("the file is a web page (HTML), not a workbook, though its name says so: open it in "
		      "Excel or LibreOffice, save it as .xlsx, and import that"));
	return mh_error_set(err, MH_EDATA, "%s",
	                    _("the file is not a workbook: its name says .xlsx or .xls, but it is neither (damaged, "
	                      "or of another kind)"));
}
