/* (Messages are not translated here: the tests see the English ids.)
 * Workbooks: the files LibreOffice wrote (tests/data/sheets: the same models
 * in Unicode, in a TCVN3 font and in a VNI font, with a title, a merged unit,
 * a formula and an empty row), the .xlsx reader on parts given by hand (each
 * thing a writer may do), Excel's day numbers, and a workbook written by
 * sheet_out read back. */
#include "testutil.h"

#include "charset.h"
#include "csv.h"
#include "mh-file.h"
#include "sheet.h"

static const char *cell(const struct csv_table *t, size_t r, size_t c)
{
	return r < t->n && c < t->r[r].n ? t->r[r].f[c] : "(none)";
}

/* --- the files LibreOffice wrote ----------------------------------------------------- */

static void read_fixture(const char *name, const char *sheet, struct csv_table *t, struct sheet_info *info)
{
	struct strbuf sb;
	strbuf_init(&sb);
	char *rel = xalloc_printf("sheets/%s", name), *path = xalloc_printf("%s/%s", testutil_data_dir(), rel);
	testutil_read(rel, &sb);
	struct mh_error err;
	if (sheet_read(path, sb.buf, sb.len, sheet, CHARSET_AUTO, t, info, &err) < 0)
		fail_msg("%s %s: %s", name, sheet, err.msg);
	free(rel);
	free(path);
	strbuf_release(&sb);
}

static void check_models(const struct csv_table *t)
{
	/* the title (merged over three cells), the header on row 4, the empty row 7 left out */
	assert_int_equal(t->n, 6);
	assert_int_equal(t->r[0].line, 1);
	assert_string_equal(cell(t, 0, 0), "CÔNG AN TỈNH BÌNH THUẬN");
	assert_string_equal(cell(t, 1, 0), "DANH SÁCH MÔ HÌNH TỰ PHÒNG, TỰ QUẢN NĂM 2017");
	assert_int_equal(t->r[2].line, 4);
	assert_string_equal(cell(t, 2, 1), "Tên mô hình");
	assert_string_equal(cell(t, 2, 3), "Đơn vị xây dựng");
	assert_string_equal(cell(t, 3, 0), "1"); /* a number */
	assert_string_equal(cell(t, 3, 1), "Tổ tự quản đường làng, ngõ xóm");
	assert_string_equal(cell(t, 3, 3), "Huyện Tuy Phong");
	assert_string_equal(cell(t, 3, 4), "2017-03-15"); /* a date cell */
	/* the unit merged down two rows is there in the second; the formula's saved date */
	assert_string_equal(cell(t, 4, 3), "Huyện Tuy Phong");
	assert_string_equal(cell(t, 4, 4), "2017-06-01");
	assert_string_equal(cell(t, 4, 5), "Có");
	assert_string_equal(cell(t, 4, 6), "0252 3850 111");
	assert_int_equal(t->r[5].line, 8);
	assert_string_equal(cell(t, 5, 1), "Đội thanh niên tình nguyện giữ gìn trật tự");
	assert_string_equal(cell(t, 5, 5), "không");
}

static void test_libreoffice_files(void **state)
{
	(void)state;
	static const char *const files[] = {"models.xlsx", "models.xls"};
	static const char *const sheets[] = {"Unicode", "TCVN3", "VNI"};
	for (int f = 0; f < 2; f++) {
		for (int s = 0; s < 3; s++) {
			struct csv_table t;
			struct sheet_info info;
			read_fixture(files[f], sheets[s], &t, &info);
			check_models(&t);
			assert_int_equal(info.format, f == 0 ? SHEET_XLSX : SHEET_XLS);
			assert_int_equal(info.nnames, 3);
			assert_int_equal(info.chosen, (size_t)s);
			assert_int_equal(info.formulas, 1);
			assert_string_equal(info.formula_cell, "E6");
			/* every legacy cell told by its font, none guessed */
			assert_int_equal(info.font_tcvn3, s == 1 ? 19 : 0);
			assert_int_equal(info.font_vni, s == 2 ? 19 : 0);
			assert_int_equal(info.guessed, 0);
			csv_free(&t);
			sheet_info_free(&info);
		}
	}
	/* a sheet by its number, and one that is not there */
	struct csv_table t;
	struct sheet_info info;
	read_fixture("models.xlsx", "2", &t, &info);
	assert_int_equal(info.chosen, 1);
	csv_free(&t);
	sheet_info_free(&info);
	struct strbuf sb;
	strbuf_init(&sb);
	testutil_read("sheets/models.xlsx", &sb);
	struct mh_error err;
	assert_int_equal(sheet_read("x.xlsx", sb.buf, sb.len, "Nope", CHARSET_AUTO, &t, &info, &err), -1);
	assert_string_equal(err.msg, "the workbook has no sheet 'Nope'; its sheets: 1. Unicode, 2. TCVN3, 3. VNI");
	sheet_info_free(&info);
	strbuf_release(&sb);
}

static void test_bad_files(void **state)
{
	(void)state;
	struct csv_table t;
	struct sheet_info info;
	struct mh_error err;
	struct strbuf sb;
	strbuf_init(&sb);
	/* LibreOffice saved it with a password to open it */
	char *path = xalloc_printf("%s/sheets/password.xls", testutil_data_dir());
	testutil_read("sheets/password.xls", &sb);
	assert_int_equal(sheet_read(path, sb.buf, sb.len, NULL, CHARSET_AUTO, &t, &info, &err), -1);
	assert_non_null(strstr(err.msg, "protected by a password"));
	sheet_info_free(&info);
	free(path);
	/* cut short */
	strbuf_reset(&sb);
	testutil_read("sheets/models.xlsx", &sb);
	assert_int_equal(sheet_read("cut.xlsx", sb.buf, sb.len / 2, NULL, CHARSET_AUTO, &t, &info, &err), -1);
	assert_non_null(strstr(err.msg, "damaged"));
	sheet_info_free(&info);
	/* a web page named .xls, and text named .xlsx */
	const char *html = "\xEF\xBB\xBF\r\n<html><table><tr><td>A</td></tr></table></html>";
	assert_int_equal(sheet_read("old.xls", html, strlen(html), NULL, CHARSET_AUTO, &t, &info, &err), -1);
	assert_non_null(strstr(err.msg, "web page (HTML)"));
	sheet_info_free(&info);
	assert_int_equal(sheet_read("list.xlsx", "a,b\n1,2\n", 8, NULL, CHARSET_AUTO, &t, &info, &err), -1);
	assert_non_null(strstr(err.msg, "not a workbook"));
	sheet_info_free(&info);
	strbuf_release(&sb);
	/* which format by the first bytes, else the name */
	assert_int_equal(sheet_format_of("a.csv", "PK\3\4", 4), SHEET_XLSX);
	assert_int_equal(sheet_format_of("a.csv", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), SHEET_XLS);
	assert_int_equal(sheet_format_of("a.XLSX", "<", 1), SHEET_XLSX);
	assert_int_equal(sheet_format_of("a.txt", "a,b", 3), SHEET_CSV);
}

/* --- the .xlsx reader, on parts given by hand ------------------------------------------ */

struct parts {
	const char *name[6], *text[6];
};

static int feed(void *ud, const char *name, int (*sink)(void *, const char *, size_t, struct mh_error *), void *s,
                struct mh_error *e)
{
	const struct parts *p = ud;
	for (int i = 0; i < 6 && p->name[i]; i++) {
		if (strcmp(p->name[i], name) != 0)
			continue;
		/* in pieces of 7 bytes, as a stream comes: the parser must not care */
		size_t n = strlen(p->text[i]);
		for (size_t at = 0; at < n; at += 7)
			if (sink(s, p->text[i] + at, n - at < 7 ? n - at : 7, e) < 0)
				return -1;
		return 1;
	}
	return 0;
}

#define WB                                                                                                   \
	"<workbook xmlns:r=\"r\"><workbookPr date1904=\"%s\"/><sheets><sheet name=\"Một\" r:id=\"rId7\"/>" \
	"<sheet name=\"Hai\" r:id=\"rId8\"/></sheets></workbook>"
#define RELS                                                                     \
	"<Relationships><Relationship Id=\"rId7\" Target=\"worksheets/a.xml\"/>" \
	"<Relationship Id=\"rId8\" Target=\"/xl/worksheets/b.xml\"/></Relationships>"

static int read_parts(const char *date1904, const char *styles, const char *strings, const char *sheet_a,
                      const char *sheet, struct csv_table *t, struct sheet_info *info, struct mh_error *err)
{
	char *wb = xalloc_printf(WB, date1904);
	struct parts p = {{"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml",
	                   "xl/worksheets/a.xml", "xl/worksheets/b.xml"},
	                  {wb, RELS, styles, strings, sheet_a, "<worksheet><sheetData/></worksheet>"}};
	if (!styles)
		p.name[2] = "none";
	if (!strings)
		p.name[3] = "none";
	struct sheet_parts sp = {feed, &p};
	memset(info, 0, sizeof *info);
	int rc = sheet_xlsx_read(&sp, sheet, CHARSET_AUTO, t, info, err);
	free(wb);
	return rc;
}

static void test_xlsx_parts(void **state)
{
	(void)state;
	/* styles: a custom date format, a built-in one (14), a number, a TCVN3 font and a VNI font */
	const char *styles =
	    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy;@\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"&quot;ngày&quot; 0\"/></numFmts>"
	    "<fonts><font><name val=\"Calibri\"/></font><font><name val=\".VnTime\"/></font>"
	    "<font><name val=\"VNI-Times\"/></font></fonts>"
	    "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
	    "<cellXfs><xf numFmtId=\"0\" fontId=\"0\"/><xf numFmtId=\"164\" fontId=\"0\"/><xf numFmtId=\"14\"/>"
	    "<xf numFmtId=\"165\"/><xf numFmtId=\"0\" fontId=\"1\"/><xf numFmtId=\"0\" fontId=\"2\"/></cellXfs>"
	    "<dxfs><dxf><font><name val=\".VnArial\"/></font></dxf></dxfs></styleSheet>";
	/* shared strings: plain, rich runs (one in a TCVN3 font), a phonetic run to leave out, an entity */
	const char *strings =
	    "<sst><si><t>Tên mô hình</t></si>"
	    "<si><r><t>Xã </t></r><r><rPr><rFont val=\".VnTime\"/></rPr><t>V\xC3\x9Cnh T\xC2\xA9n</t></r>"
	    "</si><si><t>C\xC2\xABng an</t><rPh><t>phonetic</t></rPh></si>"
	    "<si><t xml:space=\"preserve\"> A &amp; B </t></si></sst>";
	/* with a prefix on every element, as some writers do */
	const char *sheet =
	    "<x:worksheet xmlns:x=\"m\"><x:sheetData>"
	    "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"C2\" t=\"s\"><x:v>1</x:v></x:c></x:row>"
	    "<x:row r=\"3\"><x:c r=\"A3\" s=\"1\"><x:v>42809</x:v></x:c><x:c s=\"2\"><x:v>42809.75</x:v></x:c>"
	    "<x:c s=\"3\"><x:v>12</x:v></x:c><x:c><x:v>3.5</x:v></x:c><x:c t=\"b\"><x:v>1</x:v></x:c>"
	    "<x:c t=\"e\"><x:v>#N/A</x:v></x:c></x:row>"
	    "<x:row r=\"4\"><x:c r=\"A4\" t=\"s\" s=\"4\"><x:v>2</x:v></x:c><x:c r=\"B4\" t=\"inlineStr\" s=\"5\">"
	    "<x:is><x:t>Kho\xC3\xA2ng</x:t></x:is></x:c><x:c r=\"C4\" t=\"str\"><x:f>A1&amp;\"x\"</x:f>"
	    "<x:v>kết quả</x:v></x:c><x:c r=\"D4\" t=\"s\"><x:v>3</x:v></x:c></x:row>"
	    "<x:row r=\"5\"><x:c r=\"A5\"/><x:c r=\"B5\" t=\"inlineStr\"><x:is><x:t></x:t></x:is></x:c></x:row>"
	    "<x:row r=\"6\"><x:c r=\"A6\" t=\"s\"><x:v>0</x:v></x:c></x:row>"
	    "<x:row r=\"8\"><x:c r=\"B8\"><x:v>1</x:v></x:c></x:row>"
	    "</x:sheetData><x:mergeCells><x:mergeCell ref=\"A6:A8\"/><x:mergeCell ref=\"A2:B2\"/></x:mergeCells>"
	    "</x:worksheet>";
	struct csv_table t;
	struct sheet_info info;
	struct mh_error err;
	if (read_parts("0", styles, strings, sheet, NULL, &t, &info, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(t.n, 5); /* row 5 holds nothing */
	assert_int_equal(t.r[0].line, 2);
	assert_string_equal(cell(&t, 0, 0), "Tên mô hình");
	assert_string_equal(cell(&t, 0, 1), ""); /* merged across: left empty */
	assert_string_equal(cell(&t, 0, 2), "Xã Vĩnh Tân");
	assert_string_equal(cell(&t, 1, 0), "2017-03-15"); /* dd/mm/yyyy */
	assert_string_equal(cell(&t, 1, 1), "2017-03-15"); /* built-in 14, a time of day dropped */
	assert_string_equal(cell(&t, 1, 2), "12");         /* a format with a day in quotes is no date */
	assert_string_equal(cell(&t, 1, 3), "3.5");
	assert_string_equal(cell(&t, 1, 4), "TRUE");
	assert_string_equal(cell(&t, 1, 5), "#N/A");
	assert_string_equal(cell(&t, 2, 0), "Công an"); /* TCVN3 by the cell's font, the phonetic run left out */
	assert_string_equal(cell(&t, 2, 1), "Không");   /* VNI by the cell's font */
	assert_string_equal(cell(&t, 2, 2), "kết quả"); /* a formula's saved text */
	assert_string_equal(cell(&t, 2, 3), " A & B ");
	/* the merged A6:A8 down to row 8 */
	assert_int_equal(t.r[4].line, 8);
	assert_string_equal(cell(&t, 4, 0), "Tên mô hình");
	assert_string_equal(cell(&t, 4, 1), "1");
	assert_int_equal(info.formulas, 1);
	assert_string_equal(info.formula_cell, "C4");
	assert_int_equal(info.font_tcvn3, 2); /* the run and the cell */
	assert_int_equal(info.font_vni, 1);
	assert_int_equal(info.nnames, 2);
	csv_free(&t);
	sheet_info_free(&info);

	/* the second sheet, by its name: an absolute target */
	if (read_parts("0", NULL, NULL, sheet, "Hai", &t, &info, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(t.n, 0);
	assert_int_equal(info.chosen, 1);
	csv_free(&t);
	sheet_info_free(&info);

	/* the 1904 date system */
	const char *dates = "<worksheet><sheetData><row><c s=\"1\"><v>0</v></c><c s=\"1\"><v>41347</v></c>"
	                    "</row></sheetData></worksheet>";
	if (read_parts("1", styles, NULL, dates, NULL, &t, &info, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(cell(&t, 0, 0), "0"); /* day 0 is no date here */
	assert_string_equal(cell(&t, 0, 1), "2017-03-15");
	csv_free(&t);
	sheet_info_free(&info);
}

/* Text whose font says nothing: by its letters, unless the encoding is given
 * (an old program's sheet in Arial, typed in TCVN3). */
static void test_declared_encoding(void **state)
{
	(void)state;
	/* "Cã" is TCVN3 for "Có", and a word of its own too: the letters alone cannot tell */
	const char *sheet =
	    "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>C\xC3\xA3</t></is></c>"
	    "<c t=\"inlineStr\"><is><t>C\xC2\xABng an huy\xC3\x96n</t></is></c></row></sheetData></worksheet>";
	static const struct {
		int encoding;
		const char *first, *second;
		long declared, guessed;
	} cases[] = {{CHARSET_AUTO, "Cã", "Công an huyện", 0, 1},
	             {CHARSET_TCVN3, "Có", "Công an huyện", 2, 0},
	             {CHARSET_UTF8, "Cã", "C«ng an huyÖn", 0, 0}};
	for (size_t i = 0; i < 3; i++) {
		char *wb = xalloc_printf(WB, "0");
		struct parts p = {{"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/a.xml"},
		                  {wb, RELS, sheet}};
		struct sheet_parts sp = {feed, &p};
		struct csv_table t;
		struct sheet_info info = {0};
		struct mh_error err;
		if (sheet_xlsx_read(&sp, NULL, cases[i].encoding, &t, &info, &err) < 0)
			fail_msg("%s", err.msg);
		assert_string_equal(cell(&t, 0, 0), cases[i].first);
		assert_string_equal(cell(&t, 0, 1), cases[i].second);
		assert_int_equal(info.declared, cases[i].declared);
		assert_int_equal(info.guessed, cases[i].guessed);
		csv_free(&t);
		sheet_info_free(&info);
		free(wb);
	}
}

static void test_xlsx_damaged(void **state)
{
	(void)state;
	static const struct {
		const char *sheet, *msg;
	} cases[] = {
	    {"<worksheet><sheetData><row r=\"3\"/><row r=\"2\"/></sheetData></worksheet>", "out of order"},
	    {"<worksheet><sheetData><row r=\"1\"><c r=\"A2\"><v>1</v></c></row></sheetData></worksheet>",
	     "no valid place"},
	    {"<worksheet><sheetData><row><c t=\"s\"><v>9</v></c></row></sheetData></worksheet>", "shared string"},
	    {"<worksheet><sheetData><row><c><v>1</v></c></row>", "damaged: xl/worksheets/a.xml, line 1"},
	    {"<worksheet><sheetData><row><c r=\"IW1\"><v>1</v></c></row></sheetData></worksheet>", "past column 256"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct csv_table t;
		struct sheet_info info;
		struct mh_error err;
		assert_int_equal(
		    read_parts("0", NULL, "<sst><si><t>a</t></si></sst>", cases[i].sheet, NULL, &t, &info, &err), -1);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: %s", i, err.msg);
		assert_int_equal(err.code, MH_EDATA);
		sheet_info_free(&info);
	}
}

/* A sheet with more rows than are read stops there, whatever its size. */
static void test_xlsx_too_many_rows(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, "<worksheet><sheetData>");
	for (long r = 1; r <= SHEET_MAX_ROWS + 1; r++)
		strbuf_addf(&sb, "<row r=\"%ld\"><c><v>%ld</v></c></row>", r, r);
	strbuf_adds(&sb, "</sheetData></worksheet>");
	struct csv_table t;
	struct sheet_info info;
	struct mh_error err;
	assert_int_equal(read_parts("0", NULL, NULL, sb.buf, NULL, &t, &info, &err), -1);
	assert_non_null(strstr(err.msg, "more than 300000 rows"));
	sheet_info_free(&info);
	strbuf_release(&sb);
}

/* --- numbers, dates, legacy text ------------------------------------------------------- */

static void test_serial_dates(void **state)
{
	(void)state;
	char d[11];
	static const struct {
		double serial;
		int date1904;
		const char *want;
	} cases[] = {{1, 0, "1900-01-01"},     {59, 0, "1900-02-28"},       {61, 0, "1900-03-01"},
	             {42736, 0, "2017-01-01"}, {42809.99, 0, "2017-03-15"}, {2958465, 0, "9999-12-31"},
	             {41347, 1, "2017-03-15"}, {1, 1, "1904-01-02"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(sheet_serial_date(cases[i].serial, cases[i].date1904, d), 1);
		assert_string_equal(d, cases[i].want);
	}
	/* Excel's 29 February 1900 never was; nor are days before 1 or after 9999 */
	assert_int_equal(sheet_serial_date(60, 0, d), 0);
	assert_int_equal(sheet_serial_date(0, 0, d), 0);
	assert_int_equal(sheet_serial_date(-3, 0, d), 0);
	assert_int_equal(sheet_serial_date(2958466, 0, d), 0);
	char n[32];
	sheet_number(12, n);
	assert_string_equal(n, "12");
	sheet_number(-3.5, n);
	assert_string_equal(n, "-3.5");
	sheet_number(0.1 + 0.2, n);
	assert_string_equal(n, "0.30000000000000004");
	sheet_number(1e20, n);
	assert_string_equal(n, "1e+20");
}

static void test_legacy_repair(void **state)
{
	(void)state;
	struct strbuf out;
	strbuf_init(&out);
	/* TCVN3 "Công an" read as Windows-1252: « is 0xAB */
	assert_int_equal(charset_repair("C\xC2\xABng an", 8, CHARSET_TCVN3, &out), CHARSET_TCVN3);
	assert_string_equal(out.buf, "Công an");
	strbuf_reset(&out);
	assert_int_equal(charset_repair("C\xC2\xABng an", 8, CHARSET_AUTO, &out), CHARSET_TCVN3);
	assert_string_equal(out.buf, "Công an");
	strbuf_reset(&out);
	/* real Unicode stays as it is, even in a legacy font: ộ has no Windows-1252 byte */
	assert_int_equal(charset_repair("Cộng", strlen("Cộng"), CHARSET_TCVN3, &out), CHARSET_UTF8);
	assert_string_equal(out.buf, "Cộng");
	strbuf_reset(&out);
	/* Latin-1 letters that are good Vietnamese already: kept when nothing says otherwise */
	assert_int_equal(charset_repair("Hàm Liêm", strlen("Hàm Liêm"), CHARSET_AUTO, &out), CHARSET_UTF8);
	assert_string_equal(out.buf, "Hàm Liêm");
	strbuf_reset(&out);
	/* VNI by the cell's font: "Khoâng" (â is 0xE2) is "Không" */
	assert_int_equal(charset_repair("Kho\xC3\xA2ng", 7, CHARSET_VNI, &out), CHARSET_VNI);
	assert_string_equal(out.buf, "Không");
	/* without a font, a sentence is enough to tell: the fixtures' sentences as a
	 * spreadsheet holds them (each byte read as Windows-1252) */
	static const struct {
		const char *file;
		enum charset_enc enc;
	} legacy[] = {{"sentences.tcvn3-abc.txt", CHARSET_TCVN3}, {"sentences.vni-win.txt", CHARSET_VNI}};
	struct strbuf want;
	strbuf_init(&want);
	testutil_read("sentences.utf8-nfc.txt", &want);
	for (int k = 0; k < 2; k++) {
		struct strbuf raw, u;
		strbuf_init(&raw);
		strbuf_init(&u);
		testutil_read(legacy[k].file, &raw);
		/* the first line, each byte as its Windows-1252 letter */
		for (size_t i = 0; i < raw.len && raw.buf[i] != '\n'; i++) {
			unsigned char b = (unsigned char)raw.buf[i];
			static const char *const high[32] = {
			    "€", "\xC2\x81", "‚",        "ƒ", "„",        "…",        "†", "‡",        "ˆ", "‰", "Š",
			    "‹", "Œ",        "\xC2\x8D", "Ž", "\xC2\x8F", "\xC2\x90", "‘", "’",        "“", "”", "•",
			    "–", "—",        "˜",        "™", "š",        "›",        "œ", "\xC2\x9D", "ž", "Ÿ"};
			if (b < 0x80)
				strbuf_addc(&u, (char)b);
			else if (b < 0xA0)
				strbuf_adds(&u, high[b - 0x80]);
			else
				strbuf_addc(&u, (char)(0xC0 | b >> 6)), strbuf_addc(&u, (char)(0x80 | (b & 0x3F)));
		}
		strbuf_reset(&out);
		assert_int_equal(charset_repair(u.buf, u.len, CHARSET_AUTO, &out), legacy[k].enc);
		size_t line = strcspn(want.buf, "\n");
		assert_int_equal(out.len, line);
		assert_memory_equal(out.buf, want.buf, line);
		strbuf_release(&raw);
		strbuf_release(&u);
	}
	strbuf_release(&want);
	strbuf_release(&out);
}

/* --- a workbook written, then read back --------------------------------------------------- */

static void test_write_read_back(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir();
	char *path = xalloc_printf("%s/out.xlsx", dir);
	struct mh_error err;
	struct sheet_out *o = sheet_out_new(&err);
	assert_non_null(o);
	sheet_out_sheet(o, "Danh sách");
	sheet_out_line(o, "CÔNG AN TỈNH BÌNH THUẬN", 1);
	const char *head[] = {"Tên", "Số thành viên", "Ngày ra mắt"};
	sheet_out_head(o, head, 3);
	struct sheet_cell row1[] = {
	    {"=1+1 không phải công thức", SHEET_TEXT}, {"24", SHEET_NUMBER}, {"2017-03-15", SHEET_DATE}};
	struct sheet_cell row2[] = {{"Xã Vĩnh Tân", SHEET_TEXT}, {"", SHEET_NUMBER}, {"không rõ", SHEET_DATE}};
	sheet_out_row(o, row1, 3, SHEET_PLAIN);
	sheet_out_row(o, row2, 3, SHEET_TOTAL);
	sheet_out_sheet(o, "Hai");
	assert_int_equal(sheet_out_save(o, path, &err), 0);
	struct strbuf sb;
	strbuf_init(&sb);
	char *bytes;
	size_t len;
	assert_int_equal(mh_file_read(path, 1 << 20, &bytes, &len, &err), 0);
	struct csv_table t;
	struct sheet_info info;
	if (sheet_read(path, bytes, len, NULL, CHARSET_AUTO, &t, &info, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(info.nnames, 2);
	assert_string_equal(info.names[0], "Danh sách");
	assert_int_equal(t.n, 4);
	assert_string_equal(cell(&t, 0, 0), "CÔNG AN TỈNH BÌNH THUẬN");
	assert_string_equal(cell(&t, 1, 1), "Số thành viên");
	assert_string_equal(cell(&t, 2, 0), "=1+1 không phải công thức");
	assert_string_equal(cell(&t, 2, 1), "24");
	assert_string_equal(cell(&t, 2, 2), "2017-03-15");
	assert_string_equal(cell(&t, 3, 0), "Xã Vĩnh Tân");
	assert_string_equal(cell(&t, 3, 2), "không rõ"); /* not a date: written as text */
	assert_int_equal(info.formulas, 0);
	csv_free(&t);
	sheet_info_free(&info);
	free(bytes);
	strbuf_release(&sb);
	free(path);
	testutil_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_libreoffice_files), cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_xlsx_parts),        cmocka_unit_test(test_declared_encoding),
	    cmocka_unit_test(test_xlsx_damaged),      cmocka_unit_test(test_xlsx_too_many_rows),
	    cmocka_unit_test(test_serial_dates),      cmocka_unit_test(test_legacy_repair),
	    cmocka_unit_test(test_write_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
