#include <string.h>

#include "fuzz.h"
#include "mh-file.h"
#include "sheet-internal.h"
#include "sheet.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* The .xlsx reader on its parts: the input is the workbook, its
 * relationships, the styles, the shared strings and the sheet, \x01
 * between them (a part left out is a valid one). An input starting with
 * '~' patches LibreOffice's .xls and .xlsx files instead, two bytes a patch
 * (where, what), for the compound-file and BIFF reader and the zip path. */
const char *const fuzz_name = "fuzz-sheet";
const char *const fuzz_seeds[] = {
    "<workbook xmlns:r=\"r\"><workbookPr date1904=\"1\"/><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets>"
    "</workbook>\x01<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
    "\x01<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts><fonts><font><name "
    "val=\".VnTime\"/></font></fonts><cellXfs><xf numFmtId=\"164\" fontId=\"0\"/></cellXfs></styleSheet>\x01<sst>"
    "<si><t>C\xC2\xABng</t></si><si><r><rPr><rFont val=\"VNI-Times\"/></rPr><t>Kho\xC3\xA2ng</t></r><rPh><t>x</t>"
    "</rPh></si></sst>\x01<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\" s=\"0\"><v>0</v></c><c t=\"s\"><v>1"
    "</v></c><c s=\"0\"><v>42809</v></c><c t=\"inlineStr\"><is><t>a</t></is></c><c t=\"str\"><f>A1</f><v>b</v></c>"
    "</row><row r=\"3\"><c r=\"B3\" t=\"b\"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref=\"B1:B3\"/>"
    "</mergeCells></worksheet>",
    "\x01\x01\x01\x01<worksheet><sheetData><row><c t=\"e\"><v>#N/A</v></c><c r=\"XFD1\"><v>1e308</v></c></row>"
    "</sheetData></worksheet>",
    "~\x20\x01\x44\xFF\x30\x02\x1E\x0C", "~\x80\x00\x81\x10\xF0\x31", NULL};

struct fuzz_parts {
	const char *part[5];
	size_t len[5];
};

static int fuzz_feed(void *ud, const char *name, int (*sink)(void *, const char *, size_t, struct mh_error *), void *s,
                     struct mh_error *e)
{
	static const char *const names[5] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
	                                     "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
	const struct fuzz_parts *p = ud;
	for (int i = 0; i < 5; i++)
		if (strcmp(name, names[i]) == 0)
			return sink(s, p->part[i], p->len[i], e) < 0 ? -1 : 1;
	return 0;
}

static void fuzz_check(const struct csv_table *t, const struct sheet_info *info)
{
	long last = 0;
	for (size_t r = 0; r < t->n; r++) {
		FUZZ_CHECK(t->r[r].line > last && t->r[r].n > 0 && t->r[r].n <= SHEET_MAX_COLS);
		last = t->r[r].line;
		for (size_t c = 0; c < t->r[r].n; c++)
			FUZZ_CHECK(utf8_valid(t->r[r].f[c], strlen(t->r[r].f[c]), NULL));
	}
	FUZZ_CHECK(info->chosen < info->nnames || info->nnames == 0);
}

static char *fuzz_file(const char *name, size_t *len)
{
	const char *dir = getenv("MOHINH_TEST_DATA");
	char *path = xalloc_printf("%s/sheets/%s", dir && *dir ? dir : "tests/data", name);
	char *bytes = NULL;
	if (mh_file_read(path, 1 << 20, &bytes, len, NULL) < 0)
		fuzz_fail("the fixtures are missing (MOHINH_TEST_DATA)", __FILE__, __LINE__);
	free(path);
	return bytes;
}

static void fuzz_patched(const uint8_t *data, size_t n)
{
	static char *xls, *xlsx;
	static size_t xls_len, xlsx_len;
	if (!xls) {
		xls = fuzz_file("models.xls", &xls_len);
		xlsx = fuzz_file("models.xlsx", &xlsx_len);
	}
	for (int k = 0; k < 2; k++) {
		size_t len = k ? xlsx_len : xls_len;
		char *copy = xalloc_malloc(len);
		memcpy(copy, k ? xlsx : xls, len);
		/* each patch: a place in the first 8 KiB (headers, FAT, directory, records), scaled, and a byte */
		for (size_t i = 1; i + 1 < n; i += 2)
			copy[((size_t)data[i] * 37 + i * 131) % (len < 8192 ? len : 8192)] = (char)data[i + 1];
		if (k == 0) {
			struct sheet_biff b;
			sheet_biff_scan(copy, len, "TCVN3", &b);
			for (size_t i = 0; i < b.nmerges; i++)
				FUZZ_CHECK(b.merges[i].r2 > b.merges[i].r1);
			for (size_t i = 0; i < b.nformulas; i++)
				FUZZ_CHECK(!b.formulas[i].value ||
				           utf8_valid(b.formulas[i].value, strlen(b.formulas[i].value), NULL));
			(void)sheet_biff_font(&b, 3, 1);
			(void)sheet_biff_formula(&b, 5, 4);
			(void)sheet_biff_encrypted(copy, len);
			sheet_biff_free(&b);
		} else {
			struct csv_table t;
			struct sheet_info info;
			if (sheet_read("f.xlsx", copy, len, NULL, CHARSET_AUTO, &t, &info, NULL) == 0) {
				fuzz_check(&t, &info);
				csv_free(&t);
			}
			sheet_info_free(&info);
		}
		free(copy);
	}
}

void fuzz_one(const uint8_t *data, size_t n)
{
	if (n && data[0] == '~') {
		fuzz_patched(data, n);
		return;
	}
	static const char *const valid[5] = {
	    "<workbook><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>",
	    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
	    "<styleSheet/>", "<sst/>", "<worksheet><sheetData/></worksheet>"};
	struct fuzz_parts p;
	const char *at = (const char *)data, *end = at + n;
	for (int i = 0; i < 5; i++) {
		const char *cut = at < end ? memchr(at, '\x01', (size_t)(end - at)) : NULL;
		if (at >= end || (cut == at && i < 4 && cut + 1 >= end)) {
			p.part[i] = valid[i];
			p.len[i] = strlen(valid[i]);
		} else {
			p.part[i] = at;
			p.len[i] = (size_t)((cut && i < 4 ? cut : end) - at);
		}
		at = cut && i < 4 ? cut + 1 : end;
	}
	struct sheet_parts sp = {fuzz_feed, &p};
	struct csv_table t;
	struct sheet_info info = {0};
	struct mh_error err;
	if (sheet_xlsx_read(&sp, NULL, n % 3 ? CHARSET_AUTO : CHARSET_TCVN3, &t, &info, &err) == 0) {
		fuzz_check(&t, &info);
		csv_free(&t);
	} else {
		FUZZ_CHECK(err.msg[0] && utf8_valid(err.msg, strlen(err.msg), NULL));
	}
	sheet_info_free(&info);
}
