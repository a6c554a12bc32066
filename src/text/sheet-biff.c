/* The few things of an .xls file that freexl does not give: merged cells
 * and each cell's font. The file is an OLE2 compound file ([MS-CFB]) whose
 * stream "Workbook" holds BIFF8 records ([MS-XLS]): FONT and XF records in
 * the globals, then each sheet's MERGEDCELLS and cell records. Every read is
 * bounded; a file that does not hold together gives nothing. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sheet-internal.h"
#include "sheet.h"
#include "strbuf.h"
#include "xalloc.h"

static uint16_t biff_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t biff_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct cfb {
	const unsigned char *b;
	size_t len;
	size_t ssz;    /* sector size */
	uint32_t *fat; /* next sector of each */
	size_t nfat;
};

/* A stream's bytes by following its chain of sectors from start (size bytes). */
static int cfb_stream(const struct cfb *c, uint32_t start, size_t size, struct strbuf *out)
{
	size_t guard = 0;
	for (uint32_t s = start; out->len < size; s = c->fat[s]) {
		size_t off = ((size_t)s + 1) * c->ssz;
		if (s >= c->nfat || off + c->ssz > c->len || ++guard > c->nfat)
			return -1;
		size_t n = size - out->len < c->ssz ? size - out->len : c->ssz;
		strbuf_add(out, (const char *)c->b + off, n);
	}
	return 0;
}

/* The stream "Workbook" (or "Book", BIFF5) of the compound file. Streams
 * under 4096 bytes live in the mini stream: a workbook is never so small
 * that it matters, so those are not read. */
static int cfb_workbook(const char *bytes, size_t len, struct strbuf *wb)
{
	struct cfb c = {(const unsigned char *)bytes, len, 0, NULL, 0};
	if (len < 512)
		return -1;
	unsigned shift = biff_u16(c.b + 0x1E);
	if (shift != 9 && shift != 12)
		return -1;
	c.ssz = (size_t)1 << shift;
	size_t nsect = len / c.ssz;
	/* the FAT: its sectors are listed in the header (109) and in DIFAT sectors */
	uint32_t nfat_sect = biff_u32(c.b + 0x2C);
	if (nfat_sect > nsect)
		return -1;
	c.fat = xalloc_calloc((size_t)nfat_sect * (c.ssz / 4) + 1, sizeof *c.fat);
	uint32_t difat = biff_u32(c.b + 0x44);
	size_t got = 0, guard = 0;
	for (size_t i = 0; i < 109 && got < nfat_sect; i++, got++) {
		uint32_t s = biff_u32(c.b + 0x4C + 4 * i);
		size_t off = ((size_t)s + 1) * c.ssz;
		if (off + c.ssz > len)
			goto fail;
		for (size_t k = 0; k < c.ssz / 4; k++)
			c.fat[c.nfat++] = biff_u32(c.b + off + 4 * k);
	}
	while (got < nfat_sect && difat < 0xFFFFFFFA) {
		size_t doff = ((size_t)difat + 1) * c.ssz;
		if (doff + c.ssz > len || ++guard > nsect)
			goto fail;
		for (size_t i = 0; i + 1 < c.ssz / 4 && got < nfat_sect; i++, got++) {
			uint32_t s = biff_u32(c.b + doff + 4 * i);
			size_t off = ((size_t)s + 1) * c.ssz;
			if (off + c.ssz > len)
				goto fail;
			for (size_t k = 0; k < c.ssz / 4; k++)
				c.fat[c.nfat++] = biff_u32(c.b + off + 4 * k);
		}
		difat = biff_u32(c.b + doff + c.ssz - 4);
	}
	/* the directory: 128-byte entries, names in UTF-16 */
	struct strbuf dir;
	strbuf_init(&dir);
	size_t dguard = 0;
	for (uint32_t s = biff_u32(c.b + 0x30); s < c.nfat && s < 0xFFFFFFFA && ++dguard <= c.nfat; s = c.fat[s]) {
		size_t off = ((size_t)s + 1) * c.ssz;
		if (off + c.ssz > len)
			break;
		strbuf_add(&dir, bytes + off, c.ssz);
	}
	int rc = -1;
	for (size_t e = 0; e + 128 <= dir.len && rc < 0; e += 128) {
		const unsigned char *d = (const unsigned char *)dir.buf + e;
		char name[32] = "";
		size_t nl = biff_u16(d + 64) / 2;
		for (size_t k = 0; k + 1 < nl && k < sizeof name - 1; k++)
			name[k] = d[2 * k + 1] ? '?' : (char)d[2 * k];
		if (d[66] != 2 || (strcmp(name, "Workbook") != 0 && strcmp(name, "Book") != 0))
			continue;
		size_t size = biff_u32(d + 120);
		if (size >= 4096 && size <= len)
			rc = cfb_stream(&c, biff_u32(d + 116), size, wb);
	}
	strbuf_release(&dir);
	free(c.fat);
	return rc;
fail:
	free(c.fat);
	return -1;
}

enum charset_enc sheet_font_encoding(const char *name)
{
	if (strncasecmp(name, ".vn", 3) == 0)
		return CHARSET_TCVN3;
	if (strncasecmp(name, "vni", 3) == 0)
		return CHARSET_VNI;
	return CHARSET_AUTO;
}

/* A BIFF8 string's first characters (8- or 16-bit), enough to tell a font. */
static void biff_name(const unsigned char *p, size_t avail, size_t cch, int wide, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < cch && k + 1 < cap; i++) {
		size_t at = wide ? 2 * i : i;
		if (at + (wide ? 2u : 1u) > avail)
			break;
		out[k++] = wide && p[at + 1] ? '?' : (char)p[at];
	}
	out[k] = '\0';
}

static int biff_formula_cmp(const void *a, const void *b)
{
	const struct sheet_biff_formula *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* row, column and encoding in one number, ordered by row and column */
static uint64_t biff_key(unsigned row, unsigned col, enum charset_enc enc)
{
	return (uint64_t)row << 24 | (uint64_t)(col & 0xFFFF) << 8 | (uint64_t)enc;
}

static int biff_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a >> 8, y = *(const uint64_t *)b >> 8;
	return x < y ? -1 : x > y;
}

int sheet_biff_encrypted(const char *bytes, size_t len)
{
	struct strbuf wb;
	strbuf_init(&wb);
	int found = 0;
	if (cfb_workbook(bytes, len, &wb) == 0) {
		const unsigned char *s = (const unsigned char *)wb.buf;
		for (size_t at = 0; at + 4 <= wb.len && !found;) {
			uint16_t type = biff_u16(s + at);
			if (type == 0x000A)
				break;
			found = type == 0x002F; /* FILEPASS */
			at += 4 + (size_t)biff_u16(s + at + 2);
		}
	}
	strbuf_release(&wb);
	return found;
}

void sheet_biff_scan(const char *bytes, size_t len, const char *sheet, struct sheet_biff *b)
{
	memset(b, 0, sizeof *b);
	struct strbuf wb;
	strbuf_init(&wb);
	if (cfb_workbook(bytes, len, &wb) < 0) {
		strbuf_release(&wb);
		return;
	}
	const unsigned char *s = (const unsigned char *)wb.buf;
	size_t n = wb.len;
	uint8_t *font_enc = NULL, *xf_enc = NULL, *xf_date = NULL;
	struct {
		int id, date;
	} *fmts = NULL;
	size_t nfont = 0, nxf = 0, nfmts = 0, sheet_at = 0;
	int date1904 = 0;
	int found = 0;
	/* the globals: fonts, cell formats (each naming a font), the sheets' places */
	for (size_t at = 0; at + 4 <= n;) {
		uint16_t type = biff_u16(s + at), rl = biff_u16(s + at + 2);
		const unsigned char *r = s + at + 4;
		if (at + 4 + rl > n)
			break;
		if (type == 0x0031 && rl >= 16 &&
		    nfont < 65536) { /* FONT; the fifth is never written, index 4 is skipped */
			char name[40];
			biff_name(r + 16, rl - 16, r[14], r[15] & 1, name, sizeof name);
			if (nfont == 4) {
				font_enc = sheet_grow(font_enc, nfont, 1);
				font_enc[nfont++] = CHARSET_AUTO;
			}
			font_enc = sheet_grow(font_enc, nfont, 1);
			font_enc[nfont++] = (uint8_t)sheet_font_encoding(name);
		} else if (type == 0x041E && rl >= 5 && nfmts < 1024) { /* FORMAT: a number format's code */
			char code[256];
			biff_name(r + 5, rl - 5, biff_u16(r + 2), r[4] & 1, code, sizeof code);
			fmts = sheet_grow(fmts, nfmts, sizeof *fmts);
			fmts[nfmts].id = biff_u16(r);
			fmts[nfmts++].date = sheet_date_format(0, code);
		} else if (type == 0x0022 && rl >= 2) { /* DATE1904 */
			date1904 = biff_u16(r) == 1;
		} else if (type == 0x00E0 && rl >= 4 && nxf < 65536) { /* XF: its font and its number format */
			uint16_t f = biff_u16(r), fmt = biff_u16(r + 2);
			xf_enc = sheet_grow(xf_enc, nxf, 1);
			xf_date = sheet_grow(xf_date, nxf, 1);
			xf_enc[nxf] = f < nfont ? font_enc[f] : CHARSET_AUTO;
			xf_date[nxf] = (uint8_t)sheet_date_format(fmt, NULL);
			for (size_t i = 0; i < nfmts; i++)
				if (fmts[i].id == fmt)
					xf_date[nxf] = (uint8_t)fmts[i].date;
			nxf++;
		} else if (type == 0x0085 && rl >= 8) { /* BOUNDSHEET8 */
			char name[256];
			biff_name(r + 8, rl - 8, r[6], r[7] & 1, name, sizeof name);
			if (!found && sheet && strcmp(name, sheet) == 0)
				sheet_at = biff_u32(r), found = 1;
		} else if (type == 0x000A) { /* EOF of the globals */
			break;
		}
		at += 4 + (size_t)rl;
	}
	/* the sheet: merged ranges, and the cells of text with their format */
	for (size_t at = sheet_at; found && at + 4 <= n;) {
		uint16_t type = biff_u16(s + at), rl = biff_u16(s + at + 2);
		const unsigned char *r = s + at + 4;
		if (at + 4 + rl > n || (type == 0x000A && at > sheet_at))
			break;
		if (type == 0x00E5 && rl >= 2) { /* MERGEDCELLS */
			size_t cm = biff_u16(r);
			for (size_t i = 0; i < cm && 2 + 8 * (i + 1) <= rl; i++) {
				const unsigned char *ref = r + 2 + 8 * i;
				long r1 = biff_u16(ref), r2 = biff_u16(ref + 2);
				if (r2 > r1) {
					b->merges = sheet_grow(b->merges, b->nmerges, sizeof *b->merges);
					b->merges[b->nmerges++] =
					    (struct sheet_merge){r1 + 1, r2 + 1, biff_u16(ref + 4)};
				}
			}
		} else if (type == 0x0006 && rl >= 14) { /* FORMULA: the value saved with it */
			uint16_t xf = biff_u16(r + 4);
			char *v = NULL;
			if (biff_u16(r + 12) != 0xFFFF) { /* a number */
				double d;
				uint64_t bits = (uint64_t)biff_u32(r + 6) | (uint64_t)biff_u32(r + 10) << 32;
				memcpy(&d, &bits, sizeof d);
				char buf[32];
				if (!(xf < nxf && xf_date[xf] && sheet_serial_date(d, date1904, buf)))
					sheet_number(d, buf);
				v = xalloc_strdup(buf);
			} else if (r[6] == 0) { /* text: in the STRING record that follows */
				size_t next = at + 4 + rl;
				if (next + 7 <= n && biff_u16(s + next) == 0x0207) {
					size_t sl = biff_u16(s + next + 2);
					const unsigned char *t = s + next + 4;
					if (next + 4 + sl <= n && sl >= 3) {
						size_t cch = biff_u16(t);
						int wide = t[2] & 1;
						struct strbuf u;
						strbuf_init(&u);
						for (size_t i = 0; i < cch && 3 + (wide ? 2 * i + 1 : i) < sl; i++) {
							unsigned cp = wide ? biff_u16(t + 3 + 2 * i) : t[3 + i];
							char e[4];
							size_t k = 0;
							if (cp < 0x80)
								e[k++] = (char)cp;
							else if (cp < 0x800)
								e[k++] = (char)(0xC0 | cp >> 6),
								e[k++] = (char)(0x80 | (cp & 0x3F));
							else if (cp < 0xD800 || cp > 0xDFFF)
								e[k++] = (char)(0xE0 | cp >> 12),
								e[k++] = (char)(0x80 | ((cp >> 6) & 0x3F)),
								e[k++] = (char)(0x80 | (cp & 0x3F));
							strbuf_add(&u, e, k);
						}
						v = strbuf_detach(&u, NULL);
					}
				}
			} else if (r[6] == 1) { /* a yes or no */
				v = xalloc_strdup(r[8] ? "TRUE" : "FALSE");
			}
			b->formulas = sheet_grow(b->formulas, b->nformulas, sizeof *b->formulas);
			b->formulas[b->nformulas++] = (struct sheet_biff_formula){biff_u16(r), biff_u16(r + 2), v};
			if (xf < nxf && xf_enc[xf] != CHARSET_AUTO) {
				b->legacy = sheet_grow(b->legacy, b->nlegacy, sizeof *b->legacy);
				b->legacy[b->nlegacy++] =
				    biff_key(biff_u16(r), biff_u16(r + 2), (enum charset_enc)xf_enc[xf]);
			}
		} else if ((type == 0x00FD || type == 0x0204 || type == 0x00D6) && rl >= 6) {
			/* LABELSST, LABEL, RSTRING: row, column, format */
			uint16_t xf = biff_u16(r + 4);
			if (xf < nxf && xf_enc[xf] != CHARSET_AUTO) {
				b->legacy = sheet_grow(b->legacy, b->nlegacy, sizeof *b->legacy);
				b->legacy[b->nlegacy++] =
				    biff_key(biff_u16(r), biff_u16(r + 2), (enum charset_enc)xf_enc[xf]);
			}
		}
		at += 4 + (size_t)rl;
	}
	if (b->nlegacy) /* (qsort and bsearch want an array, even of none) */
		qsort(b->legacy, b->nlegacy, sizeof *b->legacy, biff_cmp);
	if (b->nformulas)
		qsort(b->formulas, b->nformulas, sizeof *b->formulas, biff_formula_cmp);
	free(font_enc);
	free(xf_enc);
	free(xf_date);
	free(fmts);
	strbuf_release(&wb);
}

enum charset_enc sheet_biff_font(const struct sheet_biff *b, unsigned row, unsigned col)
{
	uint64_t key = biff_key(row, col, CHARSET_AUTO);
	const uint64_t *hit = b->nlegacy ? bsearch(&key, b->legacy, b->nlegacy, sizeof *b->legacy, biff_cmp) : NULL;
	return hit ? (enum charset_enc)(*hit & 0xFF) : CHARSET_AUTO;
}

const char *sheet_biff_formula(const struct sheet_biff *b, unsigned row, unsigned col)
{
	struct sheet_biff_formula key = {row, col, NULL};
	const struct sheet_biff_formula *hit =
	    b->nformulas ? bsearch(&key, b->formulas, b->nformulas, sizeof *b->formulas, biff_formula_cmp) : NULL;
	return !hit ? NULL : hit->value ? hit->value : "";
}

void sheet_biff_free(struct sheet_biff *b)
{
	for (size_t i = 0; i < b->nformulas; i++)
		free(b->formulas[i].value);
	free(b->formulas);
	free(b->merges);
	free(b->legacy);
	memset(b, 0, sizeof *b);
}
