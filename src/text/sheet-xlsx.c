/* .xlsx (Office Open XML, ECMA-376 part 1): a zip of XML parts, read with
 * expat as they stream out. The parts read: the workbook (the sheets' names
 * and the 1904 date system), its relationships (which part is which sheet),
 * the styles (which cells are dates, which fonts are legacy), the shared
 * strings, and the chosen sheet (its cells and merged ranges). Elements are
 * matched by their local name: some writers put a prefix on every one. */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "i18n.h"
#include "sheet-internal.h"
#include "sheet.h"
#include "strbuf.h"
#include "xalloc.h"

#define XLSX_MAX_CELL   (64u << 10) /* Excel holds 32,767 characters in a cell */
#define XLSX_MAX_STYLES 65536       /* cell formats, fonts, sheets: Excel's own limit is lower; more are left out */

struct xlsx_style {
	int date;              /* its number format shows a date */
	enum charset_enc font; /* CHARSET_TCVN3, CHARSET_VNI, or CHARSET_AUTO */
};

struct xlsx_string {
	char *s;
	int plain; /* no run named its own font: the cell's font applies */
};

struct xlsx {
	struct mh_error *err;
	int failed;
	XML_Parser p;
	/* workbook and relationships */
	char **rids;
	int date1904;
	char *target; /* the chosen sheet's part */
	const char *want_rid;
	/* styles */
	struct {
		int id;
		int date;
	} * fmts;
	size_t nfmts;
	enum charset_enc *fonts;
	size_t nfonts;
	struct xlsx_style *styles;
	size_t nstyles;
	int in_fonts, in_font, in_xfs;
	/* shared strings, and the text of the element being read */
	enum charset_enc hint; /* for text whose font says nothing */
	struct xlsx_string *strings;
	size_t nstrings;
	struct strbuf text, run;
	int in_t, in_phonetic, in_si, in_run, run_font, rich;
	/* the sheet */
	struct csv_table *t;
	struct sheet_info *info;
	long row, col;
	char **cells; /* the row being read, by column */
	long ncells;
	char type[16];
	int style, formula, in_v, in_is;
	struct sheet_merge *merges;
	size_t nmerges;
};

static const char *xlsx_local(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

static const char *xlsx_attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(xlsx_local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static void xlsx_fail(struct xlsx *x, enum mh_code code, const char *msg)
{
	if (!x->failed) {
		x->failed = 1;
		mh_error_set(x->err, code, "%s", msg);
	}
	XML_StopParser(x->p, XML_FALSE);
}

static void xlsx_chars(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;
	if ((x->in_t && !x->in_phonetic) || x->in_v) {
		if (x->text.len + (size_t)len > XLSX_MAX_CELL)
			xlsx_fail(x, MH_EDATA, _("a cell holds more than 65,536 characters: the workbook is damaged"));
		else
			strbuf_add(&x->text, s, (size_t)len);
	}
}

/* "BC12" → column 54 (from 0), row 12; -1 if not a reference */
static int xlsx_ref(const char *ref, long *col, long *row)
{
	long c = 0;
	int letters = 0;
	for (; *ref >= 'A' && *ref <= 'Z' && letters < 4; ref++, letters++)
		c = c * 26 + (*ref - 'A' + 1);
	char *end;
	long r = strtol(ref, &end, 10);
	if (!letters || *end || r < 1 || r > 1048576 || c > 16384)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

/* --- workbook and relationships ------------------------------------------------------ */

static void xlsx_workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = xlsx_local(name);
	if (strcmp(n, "sheet") == 0) {
		const char *sname = xlsx_attr(atts, "name"), *rid = xlsx_attr(atts, "id");
		struct sheet_info *i = x->info;
		if (i->nnames >= XLSX_MAX_STYLES)
			return;
		i->names = sheet_grow(i->names, i->nnames, sizeof *i->names);
		x->rids = sheet_grow(x->rids, i->nnames, sizeof *x->rids);
		i->names[i->nnames] = xalloc_strdup(sname ? sname : "");
		x->rids[i->nnames++] = xalloc_strdup(rid ? rid : "");
	} else if (strcmp(n, "workbookPr") == 0) {
		const char *d = xlsx_attr(atts, "date1904");
		x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	}
}

static void xlsx_rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	if (strcmp(xlsx_local(name), "Relationship") != 0)
		return;
	const char *id = xlsx_attr(atts, "Id"), *target = xlsx_attr(atts, "Target");
	if (id && target && strcmp(id, x->want_rid) == 0 && !x->target)
		x->target = target[0] == '/' ? xalloc_strdup(target + 1) : xalloc_printf("xl/%s", target);
}

/* --- styles ------------------------------------------------------------------------ */

static void xlsx_styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = xlsx_local(name);
	if (strcmp(n, "numFmt") == 0) {
		const char *id = xlsx_attr(atts, "numFmtId"), *code = xlsx_attr(atts, "formatCode");
		if (id && code && x->nfmts < 1024) { /* Excel keeps some 250 */
			x->fmts = sheet_grow(x->fmts, x->nfmts, sizeof *x->fmts);
			x->fmts[x->nfmts].id = atoi(id);
			x->fmts[x->nfmts].date = sheet_date_format(0, code);
			x->nfmts++;
		}
	} else if (strcmp(n, "fonts") == 0) {
		x->in_fonts = 1;
	} else if (strcmp(n, "font") == 0 && x->in_fonts && x->nfonts < XLSX_MAX_STYLES) {
		x->fonts = sheet_grow(x->fonts, x->nfonts, sizeof *x->fonts);
		x->fonts[x->nfonts++] = CHARSET_AUTO;
		x->in_font = 1;
	} else if (strcmp(n, "name") == 0 && x->in_font) {
		const char *v = xlsx_attr(atts, "val");
		if (v)
			x->fonts[x->nfonts - 1] = sheet_font_encoding(v);
	} else if (strcmp(n, "cellXfs") == 0) {
		x->in_xfs = 1;
	} else if (strcmp(n, "xf") == 0 && x->in_xfs && x->nstyles < XLSX_MAX_STYLES) {
		const char *f = xlsx_attr(atts, "numFmtId"), *font = xlsx_attr(atts, "fontId");
		int id = f ? atoi(f) : 0, date = sheet_date_format(id, NULL);
		for (size_t i = 0; i < x->nfmts; i++)
			if (x->fmts[i].id == id)
				date = x->fmts[i].date;
		long fi = font ? atol(font) : -1;
		x->styles = sheet_grow(x->styles, x->nstyles, sizeof *x->styles);
		x->styles[x->nstyles++] =
		    (struct xlsx_style){date, fi >= 0 && (size_t)fi < x->nfonts ? x->fonts[fi] : CHARSET_AUTO};
	}
}

static void xlsx_styles_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *n = xlsx_local(name);
	if (strcmp(n, "fonts") == 0)
		x->in_fonts = 0;
	else if (strcmp(n, "font") == 0)
		x->in_font = 0;
	else if (strcmp(n, "cellXfs") == 0)
		x->in_xfs = 0;
}

/* --- text: shared strings and inline strings, with their runs ------------------------- */

/* Legacy-font text decoded, counted in info. */
static void xlsx_decode(struct xlsx *x, const char *s, size_t n, enum charset_enc font, struct strbuf *out)
{
	sheet_decode(s, n, font, x->hint, x->info, out);
}

/* <t> (direct, or in runs <r> with <rPr><rFont val=".VnTime"/>), never <rPh> */
static int xlsx_text_start(struct xlsx *x, const char *n, const char **atts)
{
	if (strcmp(n, "t") == 0) {
		x->in_t = 1;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_phonetic = 1;
	} else if (strcmp(n, "r") == 0) {
		x->in_run = 1;
		x->run_font = CHARSET_AUTO;
		strbuf_reset(&x->text);
	} else if (strcmp(n, "rFont") == 0 && x->in_run) {
		const char *v = xlsx_attr(atts, "val");
		if (v)
			x->run_font = sheet_font_encoding(v);
		x->rich |= x->run_font != CHARSET_AUTO;
	} else {
		return 0;
	}
	return 1;
}

static int xlsx_text_end(struct xlsx *x, const char *n)
{
	if (strcmp(n, "t") == 0) {
		x->in_t = 0;
		if (!x->in_run && !x->in_phonetic) {
			strbuf_add(&x->run, x->text.buf, x->text.len);
			strbuf_reset(&x->text);
		}
	} else if (strcmp(n, "rPh") == 0) {
		x->in_phonetic = 0;
		strbuf_reset(&x->text);
	} else if (strcmp(n, "r") == 0) {
		x->in_run = 0;
		if (x->run_font != CHARSET_AUTO)
			xlsx_decode(x, x->text.buf, x->text.len, (enum charset_enc)x->run_font, &x->run);
		else
			strbuf_add(&x->run, x->text.buf, x->text.len);
		strbuf_reset(&x->text);
	} else {
		return 0;
	}
	return 1;
}

static void xlsx_strings_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = xlsx_local(name);
	if (strcmp(n, "si") == 0) {
		x->in_si = 1;
		x->rich = 0;
		strbuf_reset(&x->run);
		strbuf_reset(&x->text);
	} else if (x->in_si) {
		xlsx_text_start(x, n, atts);
	}
}

static void xlsx_strings_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *n = xlsx_local(name);
	if (strcmp(n, "si") == 0) {
		x->in_si = 0;
		x->strings = sheet_grow(x->strings, x->nstrings, sizeof *x->strings);
		x->strings[x->nstrings++] = (struct xlsx_string){xalloc_strdup(x->run.buf), !x->rich};
		if (x->run.len > XLSX_MAX_CELL)
			xlsx_fail(x, MH_EDATA, _("a cell holds more than 65,536 characters: the workbook is damaged"));
	} else if (x->in_si) {
		xlsx_text_end(x, n);
	}
}

/* --- the sheet --------------------------------------------------------------------- */

static void xlsx_row_end(struct xlsx *x)
{
	long last = -1;
	for (long c = 0; c < x->ncells; c++)
		if (x->cells[c] && x->cells[c][0])
			last = c;
	if (last >= 0) {
		struct csv_table *t = x->t;
		if ((long)t->n >= SHEET_MAX_ROWS) {
			char msg[256];
			snprintf(msg, sizeof msg,
			         _("the sheet has more than %ld rows with data: split it into several files"),
			         SHEET_MAX_ROWS);
			xlsx_fail(x, MH_EDATA, msg);
		} else {
			t->r = sheet_grow(t->r, t->n, sizeof *t->r);
			struct csv_record *rec = &t->r[t->n++];
			rec->n = (size_t)last + 1;
			rec->line = x->row;
			rec->f = xalloc_calloc(rec->n, sizeof *rec->f);
			for (long c = 0; c <= last; c++) {
				rec->f[c] = x->cells[c] ? x->cells[c] : xalloc_strdup("");
				x->cells[c] = NULL;
			}
		}
	}
	for (long c = 0; c < x->ncells; c++) {
		free(x->cells[c]);
		x->cells[c] = NULL;
	}
}

static void xlsx_sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = xlsx_local(name);
	if (x->in_is) {
		xlsx_text_start(x, n, atts);
	} else if (strcmp(n, "row") == 0) {
		const char *r = xlsx_attr(atts, "r");
		long row = r ? atol(r) : x->row + 1;
		if (row <= x->row || row > 1048576)
			xlsx_fail(x, MH_EDATA, _("the sheet's rows are out of order: the workbook is damaged"));
		x->row = row;
		x->col = -1;
	} else if (strcmp(n, "c") == 0) {
		const char *r = xlsx_attr(atts, "r"), *t = xlsx_attr(atts, "t"), *s = xlsx_attr(atts, "s");
		long col = x->col + 1, row = x->row;
		if (r && (xlsx_ref(r, &col, &row) < 0 || row != x->row))
			xlsx_fail(x, MH_EDATA, _("a cell of the sheet has no valid place: the workbook is damaged"));
		x->col = col;
		snprintf(x->type, sizeof x->type, "%s", t ? t : "n");
		x->style = s ? atoi(s) : 0;
		x->formula = 0;
		strbuf_reset(&x->text);
		strbuf_reset(&x->run);
	} else if (strcmp(n, "v") == 0) {
		x->in_v = 1;
		strbuf_reset(&x->text);
	} else if (strcmp(n, "f") == 0) {
		x->formula = 1;
	} else if (strcmp(n, "is") == 0) {
		x->in_is = 1;
		x->rich = 0;
	} else if (strcmp(n, "mergeCell") == 0) {
		const char *ref = xlsx_attr(atts, "ref");
		char a[16] = "", b[16] = "";
		long c1, r1, c2, r2;
		if (ref && sscanf(ref, "%15[A-Z0-9]:%15[A-Z0-9]", a, b) == 2 && xlsx_ref(a, &c1, &r1) == 0 &&
		    xlsx_ref(b, &c2, &r2) == 0 && r2 > r1) {
			x->merges = sheet_grow(x->merges, x->nmerges, sizeof *x->merges);
			x->merges[x->nmerges++] = (struct sheet_merge){r1, r2, c1};
		}
	}
}

/* The cell just read, as text. */
static char *xlsx_value(struct xlsx *x)
{
	const struct xlsx_style *st = x->style >= 0 && (size_t)x->style < x->nstyles ? &x->styles[x->style] : NULL;
	enum charset_enc font = st ? st->font : CHARSET_AUTO;
	const char *v = x->text.buf;
	struct strbuf out;
	strbuf_init(&out);
	if (strcmp(x->type, "s") == 0) {
		char *end;
		long i = strtol(v, &end, 10);
		if (!*v || *end || i < 0 || (size_t)i >= x->nstrings) {
			xlsx_fail(x, MH_EDATA,
			          _("a cell names a shared string that is not there: the workbook is damaged"));
		} else if (x->strings[i].plain) {
			xlsx_decode(x, x->strings[i].s, strlen(x->strings[i].s), font, &out);
		} else {
			strbuf_adds(&out, x->strings[i].s);
		}
	} else if (strcmp(x->type, "inlineStr") == 0) {
		if (x->rich)
			strbuf_add(&out, x->run.buf, x->run.len);
		else
			xlsx_decode(x, x->run.buf, x->run.len, font, &out);
	} else if (strcmp(x->type, "str") == 0) {
		xlsx_decode(x, v, x->text.len, font, &out);
	} else if (strcmp(x->type, "b") == 0) {
		strbuf_adds(&out, strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
	} else if (strcmp(x->type, "e") == 0 || strcmp(x->type, "d") == 0) {
		strbuf_adds(&out, v); /* #N/A, or an ISO date */
	} else if (*v) {
		char *end;
		double d = strtod(v, &end);
		char buf[32];
		if (*end)
			strbuf_adds(&out, v);
		else if (st && st->date && sheet_serial_date(d, x->date1904, buf))
			strbuf_adds(&out, buf);
		else
			sheet_number(d, buf), strbuf_adds(&out, buf);
	}
	return strbuf_detach(&out, NULL);
}

static void xlsx_sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *n = xlsx_local(name);
	if (x->in_is && strcmp(n, "is") != 0) {
		xlsx_text_end(x, n);
	} else if (strcmp(n, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(n, "v") == 0) {
		x->in_v = 0;
	} else if (strcmp(n, "c") == 0) {
		if (x->col >= SHEET_MAX_COLS) {
			if (x->text.len || x->run.len) {
				char msg[256], cell[16];
				sheet_cell_name(x->col, x->row, cell);
				snprintf(msg, sizeof msg, _("cell %s is past column %d: at most %d columns are read"),
				         cell, SHEET_MAX_COLS, SHEET_MAX_COLS);
				xlsx_fail(x, MH_EDATA, msg);
			}
			return;
		}
		if (x->col >= x->ncells) {
			long want = x->col + 16 > SHEET_MAX_COLS ? SHEET_MAX_COLS : x->col + 16;
			x->cells = xalloc_realloc(x->cells, (size_t)want * sizeof *x->cells);
			memset(x->cells + x->ncells, 0, (size_t)(want - x->ncells) * sizeof *x->cells);
			x->ncells = want;
		}
		free(x->cells[x->col]);
		x->cells[x->col] = xlsx_value(x);
		if (x->formula && !x->info->formulas++)
			sheet_cell_name(x->col, x->row, x->info->formula_cell);
	} else if (strcmp(n, "row") == 0) {
		xlsx_row_end(x);
	}
}

/* --- reading the parts ------------------------------------------------------------- */

static int xlsx_sink(void *ud, const char *buf, size_t n, struct mh_error *e)
{
	struct xlsx *x = ud;
	(void)e;
	while (n > 0 && !x->failed) {
		int piece = n > (1u << 30) ? 1 << 30 : (int)n;
		if (XML_Parse(x->p, buf, piece, XML_FALSE) != XML_STATUS_OK)
			break;
		buf += piece;
		n -= (size_t)piece;
	}
	return x->failed || XML_GetErrorCode(x->p) != XML_ERROR_NONE ? -1 : 0;
}

/* Streams a part through an XML parser with these handlers; 0 if the part is missing. */
static int xlsx_part(struct xlsx *x, const struct sheet_parts *parts, const char *name, XML_StartElementHandler start,
                     XML_EndElementHandler end, int required)
{
	x->p = XML_ParserCreate(NULL);
	if (!x->p)
		return mh_error_set(x->err, MH_EFAIL, "%s", _("out of memory"));
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, xlsx_chars);
	struct mh_error e = {0};
	int rc = parts->feed(parts->ud, name, xlsx_sink, x, &e);
	if (rc == 1 && !x->failed && XML_Parse(x->p, "", 0, XML_TRUE) != XML_STATUS_OK)
		rc = -1;
	if (rc < 0 && !x->failed) {
		x->failed = 1;
		if (e.msg[0] && x->err)
			*x->err = e;
		else
			mh_error_set(x->err, MH_EDATA, _("the workbook is damaged: %s, line %lu: %s"), name,
			             (unsigned long)XML_GetCurrentLineNumber(x->p),
			             XML_ErrorString(XML_GetErrorCode(x->p)));
	} else if (rc == 0 && required) {
		x->failed = 1;
		mh_error_set(x->err, MH_EDATA, _("the workbook is damaged: it has no part %s"), name);
	}
	XML_ParserFree(x->p);
	x->p = NULL;
	x->in_t = x->in_phonetic = x->in_si = x->in_run = x->in_v = x->in_is = 0;
	return x->failed ? -1 : rc;
}

static void xlsx_free(struct xlsx *x)
{
	for (size_t i = 0; i < x->info->nnames; i++)
		free(x->rids ? x->rids[i] : NULL);
	free(x->rids);
	free(x->target);
	free(x->fmts);
	free(x->fonts);
	free(x->styles);
	for (size_t i = 0; i < x->nstrings; i++)
		free(x->strings[i].s);
	free(x->strings);
	strbuf_release(&x->text);
	strbuf_release(&x->run);
	for (long c = 0; c < x->ncells; c++)
		free(x->cells[c]);
	free(x->cells);
	free(x->merges);
}

int sheet_xlsx_read(const struct sheet_parts *parts, const char *sheet, int encoding, struct csv_table *t,
                    struct sheet_info *info, struct mh_error *err)
{
	struct xlsx x = {.err = err, .t = t, .info = info, .hint = (enum charset_enc)encoding};
	strbuf_init(&x.text);
	strbuf_init(&x.run);
	if (t) {
		memset(t, 0, sizeof *t);
		t->sep = ',';
	}
	int rc = xlsx_part(&x, parts, "xl/workbook.xml", xlsx_workbook_start, NULL, 1);
	if (rc > 0 && info->nnames == 0)
		rc = mh_error_set(err, MH_EDATA, "%s", _("the workbook has no sheet"));
	if (rc > 0 && !t) { /* the names only */
		xlsx_free(&x);
		return 0;
	}
	if (rc > 0) {
		rc = sheet_choose(info, sheet, err) < 0 ? -1 : rc;
	}
	if (rc > 0) {
		x.want_rid = x.rids[info->chosen];
		rc = xlsx_part(&x, parts, "xl/_rels/workbook.xml.rels", xlsx_rels_start, NULL, 1);
		if (rc > 0 && !x.target)
			rc = mh_error_set(err, MH_EDATA, _("the workbook is damaged: the sheet '%s' has no part"),
			                  info->names[info->chosen]);
	}
	if (rc > 0)
		rc = xlsx_part(&x, parts, "xl/styles.xml", xlsx_styles_start, xlsx_styles_end, 0);
	if (rc >= 0)
		rc = xlsx_part(&x, parts, "xl/sharedStrings.xml", xlsx_strings_start, xlsx_strings_end, 0);
	if (rc >= 0)
		rc = xlsx_part(&x, parts, x.target, xlsx_sheet_start, xlsx_sheet_end, 1);
	if (rc > 0)
		sheet_fill_merges(t, x.merges, x.nmerges);
	xlsx_free(&x);
	if (rc < 0) {
		csv_free(t);
		return -1;
	}
	return 0;
}
