/* (Messages are not translated here: the tests see the English ids.)
 * The counting rules of the report, on hand-made cases: a model with points
 * in two districts, a replicated point, stopped points, a stopped model, a
 * model without points, a deleted point, records outside the period. */
#include "testutil.h"

#include "csv.h"
#include "report.h"
#include "store.h"
#include "vn.h"

struct fixture {
	char *dir;
	struct store *st;
	char a[STORE_ID_LEN + 1], b[STORE_ID_LEN + 1], p1[STORE_ID_LEN + 1], p2[STORE_ID_LEN + 1];
};

static int setup(void **state)
{
	struct fixture *f = xalloc_calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	char *path = xalloc_printf("%s/province.db", f->dir);
	struct mh_error err;
	f->st = testutil_office_create(path, "60", NULL, "can_bo_a", &err);
	free(path);
	if (!f->st)
		fail_msg("%s", err.msg);
	struct store *st = f->st;
	/* A: built in Tuy Phong (595) in 2017; points in Vĩnh Tân (Tuy Phong), a
	 * replication to Phan Thanh (Bắc Bình, 596), an older point in Vĩnh Hảo
	 * stopped in October 2017, and a deleted point */
	INSERT(st, "model", f->a, {"name", "Mô hình A"}, {"field", "ma-tuy"}, {"unit_code", "595"},
	       {"launched_on", "2017-03-01"});
	INSERT(st, "point", f->p1, {"model_id", f->a}, {"unit_code", "22984"}, {"status", "hoat-dong"},
	       {"launched_on", "2017-03-01"}, {"teams", "2"}, {"members", "20"});
	INSERT(st, "point", f->p2, {"model_id", f->a}, {"unit_code", "23038"}, {"status", "hoat-dong"},
	       {"launched_on", "2017-08-01"}, {"teams", "3"}, {"members", "30"}, {"replicated_from", f->p1});
	INSERT(st, "point", NULL, {"model_id", f->a}, {"unit_code", "22981"}, {"status", "dung"},
	       {"status_on", "2017-10-01"}, {"launched_on", "2016-05-01"}, {"teams", "7"});
	char gone[STORE_ID_LEN + 1];
	INSERT(st, "point", gone, {"model_id", f->a}, {"unit_code", "22990"}, {"status", "hoat-dong"},
	       {"launched_on", "2017-05-01"}, {"teams", "9"});
	if (store_record_delete(st, "point", gone, &err) < 0)
		fail_msg("%s", err.msg);
	/* B: built in Bắc Bình in 2016, its only point stopped in May 2017 */
	INSERT(st, "model", f->b, {"name", "Mô hình B"}, {"field", "ton-giao"}, {"unit_code", "596"},
	       {"launched_on", "2016-01-01"});
	INSERT(st, "point", NULL, {"model_id", f->b}, {"unit_code", "23035"}, {"status", "dung"},
	       {"status_on", "2017-05-01"}, {"launched_on", "2016-01-01"}, {"teams", "4"});
	/* C: a pilot of the province itself, no point yet; D: launched in 2018 */
	INSERT(st, "model", NULL, {"name", "Mô hình C"}, {"field", "camera"}, {"unit_code", "60"},
	       {"launched_on", "2017-12-31"}, {"is_pilot", "1"});
	INSERT(st, "model", NULL, {"name", "Mô hình D"}, {"field", "camera"}, {"unit_code", "595"},
	       {"launched_on", "2018-01-02"});
	/* evaluations: of the replication in 2017 (effective, to replicate), of
	 * the first point in 2018 */
	INSERT(st, "evaluation", NULL, {"model_id", f->a}, {"point_id", f->p2}, {"kind", "so-ket"},
	       {"period_kind", "nam"}, {"period_from", "2017-01-01"}, {"period_to", "2017-12-31"},
	       {"reviewed_on", "2017-12-20"}, {"rating", "hieu-qua"}, {"replicate", "1"});
	INSERT(st, "evaluation", NULL, {"model_id", f->a}, {"point_id", f->p1}, {"kind", "so-ket"},
	       {"period_kind", "nam"}, {"period_from", "2017-01-01"}, {"period_to", "2017-12-31"},
	       {"reviewed_on", "2018-01-10"}, {"rating", "chua-hieu-qua"});
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_free(f->st);
	testutil_rmdir(f->dir);
	free(f);
	return 0;
}

static const struct report_row *row(const struct report_row *rows, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].code, code) == 0)
			return &rows[i];
	fail_msg("no row %s", code);
	return NULL;
}

/* the counts of a row, in column order */
static void expect(const struct report_row *r, const long want[REPORT_NCOLS])
{
	for (int c = 0; c < REPORT_NCOLS; c++)
		if (r->v[c] != want[c])
			fail_msg("%s, column %s: %ld, want %ld", r->name, report_col_name(c), r->v[c], want[c]);
}

static void test_year(void **state)
{
	struct fixture *f = *state;
	struct report r;
	struct mh_error err;
	struct report_params p = {.year = 2017};
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	assert_string_equal(r.from, "2017-01-01");
	assert_string_equal(r.to, "2017-12-31");
	/*                           new  ops pil stop | pnew repl pts pstop teams memb | ev eff rec */
	expect(&r.total, (long[]){2, 2, 1, 1, 2, 1, 2, 2, 5, 50, 1, 1, 1});
	/* the province's own model is counted at its own level */
	expect(row(r.areas, r.nareas, "60"), (long[]){1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
	/* a model is counted where it was built, a point where it runs */
	expect(row(r.areas, r.nareas, "595"), (long[]){1, 1, 0, 0, 1, 0, 1, 1, 2, 20, 0, 0, 0});
	expect(row(r.areas, r.nareas, "596"), (long[]){0, 0, 0, 1, 1, 1, 1, 1, 3, 30, 1, 1, 1});
	expect(row(r.fields, r.nfields, "ton-giao"), (long[]){0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0});
	/* every district of the province is listed, even with nothing */
	assert_int_equal(r.nareas, 11);
	/* the models operating at the end: A with its two live points, C without any */
	assert_int_equal(r.nmodels, 2);
	assert_string_equal(r.models[0].name, "Mô hình A");
	assert_int_equal(r.models[0].points, 2);
	assert_int_equal(r.models[0].teams, 5);
	assert_string_equal(r.models[1].name, "Mô hình C");
	assert_int_equal(r.models[1].points, 0);
	assert_int_equal(r.models[1].pilot, 1);
	struct strbuf sb;
	strbuf_init(&sb);
	report_summary(&r, &sb);
	assert_non_null(
	    strstr(sb.buf, "In the year 2017, Tỉnh Bình Thuận built 2 new models; 2 models operate in all"));
	strbuf_release(&sb);
	report_free(&r);
}

static void test_half_and_subtree(void **state)
{
	struct fixture *f = *state;
	struct report r;
	struct mh_error err;
	/* the first half of 2017: the replication (August) and the October stop are later */
	struct report_params p = {.year = 2017, .half = 1};
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	assert_string_equal(r.to, "2017-06-30");
	expect(&r.total, (long[]){1, 1, 0, 1, 1, 0, 2, 1, 9, 20, 0, 0, 0});
	report_free(&r);
	/* one district: its communes are the rows */
	struct report_params d = {.year = 2017, .unit = "595"};
	assert_int_equal(store_report_compute(f->st, &d, &r, &err), 0);
	expect(&r.total, (long[]){1, 1, 0, 0, 1, 0, 1, 1, 2, 20, 0, 0, 0});
	expect(row(r.areas, r.nareas, "595"), (long[]){1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
	expect(row(r.areas, r.nareas, "22984"), (long[]){0, 0, 0, 0, 1, 0, 1, 0, 2, 20, 0, 0, 0});
	expect(row(r.areas, r.nareas, "22981"), (long[]){0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0});
	report_free(&r);
	/* a range of years */
	struct report_params y = {.year = 2016, .year_to = 2018};
	assert_int_equal(store_report_compute(f->st, &y, &r, &err), 0);
	assert_string_equal(r.from, "2016-01-01");
	assert_string_equal(r.to, "2018-12-31");
	assert_int_equal(r.total.v[REPORT_MODELS_NEW], 4);
	assert_int_equal(r.total.v[REPORT_EVALS], 2);
	report_free(&r);
	/* bad input */
	struct report_params bad = {.year = 2017, .unit = "99999"};
	assert_int_equal(store_report_compute(f->st, &bad, &r, &err), -1);
	assert_int_equal(err.code, MH_EDATA);
	struct report_params worse = {.year = 2017, .year_to = 2016};
	assert_int_equal(store_report_compute(f->st, &worse, &r, &err), -1);
	assert_int_equal(err.code, MH_EUSAGE);
}

static void test_formats(void **state)
{
	struct fixture *f = *state;
	struct report r;
	struct mh_error err;
	struct report_params p = {.year = 2017, .date = "2018-01-15"};
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	struct strbuf sb;
	strbuf_init(&sb);
	/* text: every line of a table as wide on screen, whatever its letters */
	report_txt(&r, &sb);
	char *unit = strstr(sb.buf, "1. By unit\n");
	assert_non_null(unit);
	char *line = strchr(unit, '\n') + 1;
	size_t width = 0;
	for (int i = 0; i < 14; i++) {
		char *end = strchr(line, '\n');
		size_t w = vn_width(line, (size_t)(end - line));
		if (i == 0)
			width = w;
		else
			assert_int_equal(w, width);
		line = end + 1;
	}
	strbuf_reset(&sb);
	/* CSV: BOM, CRLF, quoted fields */
	report_csv(&r, 1, &sb);
	assert_memory_equal(sb.buf,
	                    "\xEF\xBB\xBF"
	                    "Code,Unit,New models",
	                    23);
	assert_non_null(strstr(sb.buf, "\r\n596,Huyện Bắc Bình,0,0,0,1,1,1,1,1,3,30,1,1,1\r\n"));
	assert_non_null(strstr(sb.buf, "\r\nma-tuy,\"Phòng, chống ma túy\",1,"));
	strbuf_reset(&sb);
	report_csv(&r, 0, &sb);
	assert_memory_equal(sb.buf, "Code,", 5);
	strbuf_reset(&sb);
	csv_field(&sb, "a \"b\", c");
	assert_string_equal(sb.buf, "\"a \"\"b\"\", c\"");
	/* cells a spreadsheet would run or cut are written as text, and read back the same */
	static const char *const risky[][2] = {
	    {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
	    {"+84 252 3850 111", "\"'+84 252 3850 111\""},
	    {"-2+3", "\"'-2+3\""},
	    {"@SUM(A1)", "\"'@SUM(A1)\""},
	    {"\tTab", "\"'\tTab\""},
	    {"\rCR", "\"'\rCR\""},
	    {"'=quoted", "\"''=quoted\""},
	    {"'plain", "\"''plain\""},
	    {"Tổ tự quản = tốt", "Tổ tự quản = tốt"},
	};
	for (size_t i = 0; i < sizeof risky / sizeof *risky; i++) {
		strbuf_reset(&sb);
		csv_field(&sb, risky[i][0]);
		assert_string_equal(sb.buf, risky[i][1]);
		struct csv_table t;
		struct mh_error e;
		strbuf_adds(&sb, "\r\n");
		assert_int_equal(csv_parse(sb.buf, sb.len, &t, &e), 0);
		assert_int_equal(t.n, 1);
		csv_text(t.r[0].f[0]);
		assert_string_equal(t.r[0].f[0], risky[i][0]);
		csv_free(&t);
	}
	strbuf_release(&sb);
	report_free(&r);
}

/* Evaluations counted where they belong: a model's own where the model was
 * built (placed after the points' pass), a point's where the point is; a
 * deleted point's went with it. */
static void test_evaluations_placed(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	struct mh_error err;
	INSERT(st, "evaluation", NULL, {"model_id", f->b}, {"kind", "tong-ket"}, {"period_kind", "nam"},
	       {"period_from", "2017-01-01"}, {"period_to", "2017-12-31"}, {"reviewed_on", "2017-12-28"},
	       {"rating", "tot"});
	char gone[STORE_ID_LEN + 1];
	INSERT(st, "point", gone, {"model_id", f->a}, {"unit_code", "22990"}, {"status", "hoat-dong"},
	       {"launched_on", "2017-02-01"});
	INSERT(st, "evaluation", NULL, {"model_id", f->a}, {"point_id", gone}, {"kind", "so-ket"},
	       {"period_kind", "nua-nam"}, {"period_from", "2017-01-01"}, {"period_to", "2017-06-30"},
	       {"reviewed_on", "2017-07-05"}, {"rating", "yeu"}, {"replicate", "1"});
	if (store_record_delete(st, "point", gone, &err) < 0)
		fail_msg("%s", err.msg);
	struct report r;
	struct report_params p = {.year = 2017};
	assert_int_equal(store_report_compute(st, &p, &r, &err), 0);
	/* the replication's (in Bắc Bình) and B's own (built in Bắc Bình); not the deleted point's */
	expect(&r.total, (long[]){2, 2, 1, 1, 2, 1, 2, 2, 5, 50, 2, 2, 1});
	assert_int_equal(row(r.areas, r.nareas, "596")->v[REPORT_EVALS], 2);
	assert_int_equal(row(r.areas, r.nareas, "596")->v[REPORT_EFFECTIVE], 2);
	assert_int_equal(row(r.areas, r.nareas, "595")->v[REPORT_EVALS], 0);
	assert_int_equal(row(r.fields, r.nfields, "ton-giao")->v[REPORT_EVALS], 1);
	assert_int_equal(row(r.fields, r.nfields, "ma-tuy")->v[REPORT_EVALS], 1);
	report_free(&r);
}

/* The PDF: A4, the same bytes each time (the report's date is the file's),
 * two in one process (the screens write several). */
static void test_pdf(void **state)
{
	struct fixture *f = *state;
	struct report r;
	struct mh_error err;
	struct report_params p = {.year = 2017, .date = "2018-01-15"};
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	struct strbuf a, b;
	strbuf_init(&a);
	strbuf_init(&b);
	assert_int_equal(report_pdf(&r, &a, &err), 0);
	assert_int_equal(report_pdf(&r, &b, &err), 0);
	assert_memory_equal(a.buf, "%PDF-1.", 7);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	assert_non_null(memmem(a.buf, a.len, "/MediaBox [ 0 0 595.275591 841.889764 ]", 39));
	assert_non_null(memmem(a.buf, a.len, "/CreationDate (20180115000000)", 30));
	assert_non_null(memmem(a.buf, a.len, "+LiberationSerif", 16));
	strbuf_release(&a);
	strbuf_release(&b);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_year, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_half_and_subtree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_evaluations_placed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pdf, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
