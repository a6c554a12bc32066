/* (Messages are not translated here: the tests see the English ids.)
 * Units as dated versions with lineage (units.md): the published counts,
 * the invariants, the hard cases of the 2025 reform, the version of a code
 * on a day, and reports that follow the links across the boundary. */
#include <sqlite3.h>

#include "testutil.h"

#include "report.h"
#include "store.h"
#include "store-sync.h"
#include "store-unit.h"

struct fixture {
	char *dir;
	struct store *st;
	sqlite3 *db; /* the same file, for looking at it as the sqlite3 shell would */
};

static struct fixture *open_office(const char *unit, const char *on)
{
	struct fixture *f = xalloc_calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	char *path = xalloc_printf("%s/office.db", f->dir);
	struct mh_error err;
	f->st = testutil_office_create(path, unit, on, NULL, &err);
	if (!f->st)
		fail_msg("%s", err.msg);
	store_set_user(f->st, "can_bo_a");
	if (sqlite3_open_v2(path, &f->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("cannot open %s", path);
	free(path);
	return f;
}

/* Công an tỉnh Lâm Đồng, the province of today */
static int setup_today(void **state)
{
	*state = open_office("68", "2026-01-01");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sqlite3_close(f->db);
	store_free(f->st);
	testutil_rmdir(f->dir);
	free(f);
	return 0;
}

static long sql_int(struct fixture *f, const char *sql)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(f->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(f->db));
	long v = sqlite3_step(stmt) == SQLITE_ROW ? (long)sqlite3_column_int64(stmt, 0) : -1;
	sqlite3_finalize(stmt);
	return v;
}

/* 1 if the link from -> to is there with this share and detail */
static int link_is(struct fixture *f, const char *from, const char *to, const char *share, const char *detail)
{
	char *sql = sqlite3_mprintf("SELECT count(*) FROM unit_link WHERE from_code = %Q AND to_code = %Q"
	                            " AND share = %Q AND detail = %Q AND clause <> ''",
	                            from, to, share, detail);
	long n = sql_int(f, sql);
	sqlite3_free(sql);
	return n == 1;
}

static long links_from(struct fixture *f, const char *from)
{
	char *sql = sqlite3_mprintf("SELECT count(*) FROM unit_link WHERE from_code = %Q", from);
	long n = sql_int(f, sql);
	sqlite3_free(sql);
	return n;
}

static void test_published_counts(void **state)
{
	struct fixture *f = *state;
	/* 34 provinces; 2,621 xã, 687 phường and 13 đặc khu from 2025-07-01 */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE valid_from = '2025-07-01' AND level = 1"), 34);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE valid_from = '2025-07-01' AND type = 'Xã'"), 2621);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE valid_from = '2025-07-01' AND type = 'Phường'"),
	                 687);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE valid_from = '2025-07-01' AND type = 'Đặc khu'"),
	                 13);
	/* the 2025-03 list ends the day before: 63 provinces, 696 districts, 10,047 communes */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE valid_to = '2025-06-30' AND level = 1"), 63);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE valid_to = '2025-06-30' AND level = 2"), 696);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE valid_to = '2025-06-30' AND level = 3"), 10047);
	/* every commune and province of 2025-03 has its successors, each link its clause */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit u WHERE u.level <> 2 AND u.valid_to = '2025-06-30'"
	                            " AND NOT EXISTS (SELECT 1 FROM unit_link l WHERE l.from_code = u.code)"),
	                 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit_link WHERE clause = ''"), 0);
	/* every new unit has a predecessor */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit u WHERE u.valid_from = '2025-07-01'"
	                            " AND NOT EXISTS (SELECT 1 FROM unit_link l WHERE l.to_code = u.code)"),
	                 0);
	/* the new communes' names clean: one line, a capitalised type */
	assert_int_equal(
	    sql_int(f, "SELECT count(*) FROM unit WHERE level = 3 AND valid_from = '2025-07-01' AND"
	               " (instr(name, char(10)) > 0 OR name <> trim(name) OR substr(name, 1, length(type)) <> type"
	               " OR instr(name, '  ') > 0)"),
	    0);
	assert_int_equal(
	    sql_int(f, "SELECT count(*) FROM unit WHERE name = 'Phường Hoàn Kiếm' AND valid_from IS NOT NULL"),
	    1); /* "Phường \nHoàn Kiếm" in the source */
}

static void test_invariants(void **state)
{
	struct fixture *f = *state;
	struct mh_error err;
	assert_int_equal(store_unit_check(f->st, NULL, NULL, &err), 0);
	/* a version overlapping another of its code is named */
	sqlite3 *db;
	char *path = xalloc_printf("%s/office.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	free(path);
	assert_int_equal(
	    sqlite3_exec(db,
	                 "UPDATE unit SET valid_to = '2025-07-05' WHERE code = '22981';"
	                 "INSERT INTO unit_link SELECT '22984', '22978@2025-07-01', 'whole', 'area', on_date,"
	                 " clause, owner, created_at, created_by FROM unit_link WHERE from_code = '22984'",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	/* 22981 overlaps its successor, links back in time and outlives its district; 22984 has two whole links */
	assert_int_equal(store_unit_check(f->st, NULL, NULL, &err), 4);
}

static void test_hard_cases(void **state)
{
	struct fixture *f = *state;
	/* Vĩnh Tân + Vĩnh Hảo -> Xã Vĩnh Hảo 22981, the whole of each (1671/NQ-UBTVQH15, clause 41) */
	assert_true(link_is(f, "22984", "22981@2025-07-01", "whole", "area+population"));
	assert_true(link_is(f, "22981", "22981@2025-07-01", "whole", "area+population"));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit_link WHERE to_code = '22981@2025-07-01'"
	                            " AND clause = '1671/NQ-UBTVQH15, khoản 41 Điều 1'"),
	                 2);
	/* Phong Phú -> Xã Tuy Phong 22978 (its code reused) and Xã Phan Rí Cửa, parts */
	assert_true(link_is(f, "22978", "22978@2025-07-01", "part", "area+population"));
	assert_true(link_is(f, "22978", "22972@2025-07-01", "part", "area+population"));
	assert_int_equal(links_from(f, "22978"), 2);
	/* Hòa Thắng: a part of its area alone to Hồng Thái (clause 46), the rest to Xã Hòa Thắng (clause 51) */
	assert_true(link_is(f, "23053", "23041@2025-07-01", "part", "area"));
	assert_true(link_is(f, "23053", "23053@2025-07-01", "part", "area+population"));
	/* Ia Mơ is 23938 in the signed list; Ba Chẽ is 06970 */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE code = '23938@2025-07-01' AND name = 'Xã Ia Mơ'"),
	                 1);
	assert_true(link_is(f, "23938", "23938@2025-07-01", "whole", "area+population"));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE code = '06970@2025-07-01' AND name = 'Xã Ba Chẽ'"),
	                 1);
	/* the 5 island districts without communes -> their đặc khu, new codes */
	const char *islands[][2] = {{"318", "11948@2025-07-01"},
	                            {"471", "19742@2025-07-01"},
	                            {"498", "20333@2025-07-01"},
	                            {"536", "21548@2025-07-01"},
	                            {"755", "26732@2025-07-01"}};
	for (size_t i = 0; i < 5; i++)
		assert_true(link_is(f, islands[i][0], islands[i][1], "whole", "retype"));
	/* new Bắc Ninh is 24, the old code of Bắc Giang; old Bắc Ninh 27 goes into it */
	assert_int_equal(
	    sql_int(f, "SELECT count(*) FROM unit WHERE code = '24@2025-07-01' AND name = 'Tỉnh Bắc Ninh'"), 1);
	assert_true(link_is(f, "24", "24@2025-07-01", "whole", "area+population"));
	assert_true(link_is(f, "27", "24@2025-07-01", "whole", "area+population"));
	/* Bình Thuận 60 and Đắk Nông 67 are retired into Lâm Đồng 68 */
	assert_true(link_is(f, "60", "68@2025-07-01", "whole", "area+population"));
	assert_true(link_is(f, "67", "68@2025-07-01", "whole", "area+population"));
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE gso IN ('60', '67') AND valid_from IS NOT NULL"),
	                 0);
}

static int count_unit(const struct store_unit *u, void *ud)
{
	(void)u;
	(*(long *)ud)++;
	return 0;
}

static void test_version_on_a_day(void **state)
{
	struct fixture *f = *state;
	struct store_unit u;
	struct mh_error err;
	/* one code, two meanings */
	assert_int_equal(store_unit_at(f->st, "22978", "2017-05-01", &u, &err), 0);
	assert_string_equal(u.code, "22978");
	assert_string_equal(u.name, "Xã Phong Phú");
	assert_int_equal(store_unit_at(f->st, "22978", "2026-05-01", &u, &err), 0);
	assert_string_equal(u.code, "22978@2025-07-01");
	assert_string_equal(u.gso, "22978");
	assert_string_equal(u.name, "Xã Tuy Phong");
	assert_string_equal(u.legal_ref, "1671/NQ-UBTVQH15");
	/* a code that ended, a code not yet in force, a code never used */
	assert_int_equal(store_unit_at(f->st, "22984", "2026-05-01", &u, &err), -1);
	assert_string_equal(err.msg,
	                    "the unit 22984 (Xã Vĩnh Tân) ended on 2025-06-30: it is not in force on 2026-05-01");
	assert_int_equal(store_unit_at(f->st, "11948", "2017-05-01", &u, &err), -1);
	assert_string_equal(
	    err.msg, "the unit 11948 (Đặc khu Bạch Long Vĩ) began on 2025-07-01: it did not exist on 2017-05-01");
	assert_int_equal(store_unit_at(f->st, "99999", "2017-05-01", &u, &err), -1);
	assert_string_equal(err.msg, "no unit has the code 99999");
	/* the versions in force on a day */
	struct store_unit_filter on17 = {.query = "vinh hao", .on = "2017-05-01"},
	                         on26 = {.query = "vinh hao", .on = "2026-05-01"};
	long n17 = 0, n26 = 0;
	assert_int_equal(store_unit_list(f->st, &on17, count_unit, &n17, &err), 0);
	assert_int_equal(store_unit_list(f->st, &on26, count_unit, &n26, &err), 0);
	assert_int_equal(n17, 4); /* xã Vĩnh Hảo of huyện Tuy Phong, two others and a Vĩnh Hào */
	assert_int_equal(n26, 4); /* Xã Vĩnh Hảo of Lâm Đồng, and three that took in a xã Vĩnh Hảo (or Vĩnh Hào) */
}

static void test_offices_of_today_and_of_the_past(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir();
	struct mh_error err;
	const char *cases[][3] = {
	    /* unit, day, the office's unit version or the error */
	    {"68", "2026-01-01", "68@2025-07-01"},
	    {"22981", "2026-01-01", "22981@2025-07-01"},
	    {"60", "2017-01-01", "60"},
	    {"60", "2026-01-01", "the unit 60 (Tỉnh Bình Thuận) ended on 2025-06-30: it is not in force on 2026-01-01"},
	    {"595", "2026-01-01",
	     "the unit 595 (Huyện Tuy Phong) ended on 2025-06-30: it is not in force on 2026-01-01"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *path = xalloc_printf("%s/o%zu.db", dir, i);
		struct store *st = testutil_store_create(path, &err);
		assert_non_null(st);
		int rc = store_office_init(st, cases[i][0], cases[i][1], NULL, &err);
		if (strchr(cases[i][2], ' ')) {
			assert_int_equal(rc, -1);
			assert_string_equal(err.msg, cases[i][2]);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(store_office_get(st)->unit_code, cases[i][2]);
		}
		store_free(st);
		free(path);
	}
	testutil_rmdir(dir);
}

static void test_record_takes_the_version_of_its_date(void **state)
{
	struct fixture *f = *state;
	char m[STORE_ID_LEN + 1], p[STORE_ID_LEN + 1];
	INSERT(f->st, "model", m, {"name", "Mô hình"}, {"field", "ma-tuy"}, {"unit_code", "22981"},
	       {"launched_on", "2017-03-01"});
	INSERT(f->st, "point", p, {"model_id", m}, {"unit_code", "22981"}, {"status", "hoat-dong"},
	       {"launched_on", "2026-03-01"});
	assert_int_equal(sql_int(f, "SELECT count(*) FROM model WHERE unit_code = '22981'"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM point WHERE unit_code = '22981@2025-07-01'"), 1);
	struct mh_error err;
	const struct store_kv ended[] = {
	    {"model_id", m}, {"unit_code", "22984"}, {"status", "hoat-dong"}, {"launched_on", "2026-03-01"}};
	assert_int_equal(store_record_insert(f->st, "point", ended, 4, NULL, &err), -1);
	assert_string_equal(err.where, "unit_code");
	assert_string_equal(
	    err.msg, "unit_code: the unit 22984 (Xã Vĩnh Tân) ended on 2025-06-30: it is not in force on 2026-03-01");
	const struct store_kv early[] = {
	    {"model_id", m}, {"unit_code", "23272"}, {"status", "hoat-dong"}, {"launched_on", "2016-03-01"}};
	assert_int_equal(store_record_insert(f->st, "point", early, 4, NULL, &err), 0); /* xã Tam Thanh then */
	const struct store_kv before[] = {
	    {"model_id", m}, {"unit_code", "11948"}, {"status", "hoat-dong"}, {"launched_on", "2016-03-01"}};
	assert_int_equal(store_record_insert(f->st, "point", before, 4, NULL, &err), -1);
	assert_string_equal(
	    err.msg,
	    "unit_code: the unit 11948 (Đặc khu Bạch Long Vĩ) began on 2025-07-01: it did not exist on 2016-03-01");
	/* outside Lâm Đồng, then and now */
	const struct store_kv outside[] = {
	    {"model_id", m}, {"unit_code", "00004"}, {"status", "hoat-dong"}, {"launched_on", "2026-03-01"}};
	assert_int_equal(store_record_insert(f->st, "point", outside, 4, NULL, &err), -1);
	assert_string_equal(err.msg, "unit_code: the unit 00004 is outside this office's area");
}

/* Lâm Đồng of today: points of 2017 in Vĩnh Tân and Vĩnh Hảo, two points of
 * the divided Phong Phú (one with its successor chosen), and 2026 points. */
struct lineage {
	char m[STORE_ID_LEN + 1], b[STORE_ID_LEN + 1];
	char vinhtan[STORE_ID_LEN + 1], phongphu[STORE_ID_LEN + 1], chosen[STORE_ID_LEN + 1];
};

static void lineage_data(struct fixture *f, struct lineage *l)
{
	struct store *st = f->st;
	INSERT(st, "model", l->m, {"name", "Khu dân cư"}, {"field", "khu-dan-cu"}, {"unit_code", "595"},
	       {"launched_on", "2017-03-01"});
	INSERT(st, "point", l->vinhtan, {"model_id", l->m}, {"unit_code", "22984"}, {"status", "hoat-dong"},
	       {"launched_on", "2017-03-01"}, {"teams", "1"});
	INSERT(st, "point", NULL, {"model_id", l->m}, {"unit_code", "22981"}, {"status", "hoat-dong"},
	       {"launched_on", "2017-05-01"}, {"teams", "2"});
	INSERT(st, "point", l->phongphu, {"model_id", l->m}, {"unit_code", "22978"}, {"status", "hoat-dong"},
	       {"launched_on", "2019-05-01"}, {"teams", "4"});
	INSERT(st, "point", l->chosen, {"model_id", l->m}, {"unit_code", "22978"}, {"status", "hoat-dong"},
	       {"launched_on", "2018-05-01"}, {"teams", "8"});
	INSERT(st, "point", NULL, {"model_id", l->m}, {"unit_code", "22981"}, {"status", "hoat-dong"},
	       {"launched_on", "2026-03-10"}, {"teams", "16"});
	INSERT(st, "model", l->b, {"name", "Camera"}, {"field", "camera"}, {"unit_code", "22978"},
	       {"launched_on", "2026-04-15"});
	INSERT(st, "point", NULL, {"model_id", l->b}, {"unit_code", "22972"}, {"status", "hoat-dong"},
	       {"launched_on", "2026-04-15"}, {"teams", "32"});
	struct mh_error err;
	if (store_record_successor(st, l->chosen, "22978", &err) < 0)
		fail_msg("%s", err.msg);
}

static const struct report_row *row_of(const struct report *r, const char *code)
{
	for (size_t i = 0; i < r->nareas; i++)
		if (strcmp(r->areas[i].code, code) == 0)
			return &r->areas[i];
	return NULL;
}

static int count_unresolved(const struct store_unresolved *p, void *ud)
{
	(void)p;
	(*(long *)ud)++;
	return 0;
}

static void test_report_follows_the_links(void **state)
{
	struct fixture *f = *state;
	struct lineage l;
	lineage_data(f, &l);
	struct mh_error err;
	struct report r;
	struct report_params p = {.year = 2026};
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	assert_string_equal(r.root, "68@2025-07-01");
	assert_string_equal(r.root_name, "Tỉnh Lâm Đồng");
	/* old Vĩnh Tân and Vĩnh Hảo points and the new one, in Xã Vĩnh Hảo */
	const struct report_row *vh = row_of(&r, "22981@2025-07-01"), *tp = row_of(&r, "22978@2025-07-01"),
	                        *prc = row_of(&r, "22972@2025-07-01"), *und = row_of(&r, "?22978");
	assert_non_null(vh);
	assert_int_equal(vh->v[REPORT_POINTS], 3);
	assert_int_equal(vh->v[REPORT_TEAMS], 1 + 2 + 16);
	assert_string_equal(vh->name, "Xã Vĩnh Hảo"); /* the name valid at the period's end */
	/* the Phong Phú point with its successor chosen, in Xã Tuy Phong; the other on its own line */
	assert_int_equal(tp->v[REPORT_TEAMS], 8);
	assert_int_equal(tp->v[REPORT_MODELS_NEW], 1);
	assert_int_equal(prc->v[REPORT_TEAMS], 32);
	assert_non_null(und);
	assert_int_equal(und->v[REPORT_TEAMS], 4);
	assert_string_equal(und->name, "undetermined new commune (xã Phong Phú, former)");
	assert_int_equal(r.total.v[REPORT_POINTS], 6);
	assert_int_equal(r.total.v[REPORT_TEAMS], 1 + 2 + 4 + 8 + 16 + 32);
	/* a former unit in the detail lines */
	int former = 0;
	for (size_t i = 0; i < r.nmodels; i++)
		former += strcmp(r.models[i].unit, "Huyện Tuy Phong (former)") == 0;
	assert_int_equal(former, 1);
	report_free(&r);

	/* the whole country: Phong Phú's successors are both in Lâm Đồng */
	p.unit = "VN";
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	assert_int_equal(row_of(&r, "68@2025-07-01")->v[REPORT_POINTS], 6);
	assert_null(row_of(&r, "?22978"));
	assert_null(row_of(&r, "60")); /* retired, nothing counts there */
	report_free(&r);

	/* a commune: the Phong Phú point with no successor chosen may lie in Xã Tuy Phong or in
	 * Xã Phan Rí Cửa, so neither counts it (never twice, never guessed) */
	p.unit = "22978";
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	assert_null(row_of(&r, "?22978"));
	assert_int_equal(r.total.v[REPORT_TEAMS], 8);
	report_free(&r);
	p.unit = "22972";
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	assert_int_equal(r.total.v[REPORT_TEAMS], 32);
	report_free(&r);

	/* 2017: Bình Thuận as it was, its 2017 points in Huyện Tuy Phong */
	struct report_params p17 = {.year = 2017, .unit = "60"};
	assert_int_equal(store_report_compute(f->st, &p17, &r, &err), 0);
	assert_string_equal(r.root, "60");
	assert_int_equal(row_of(&r, "595")->v[REPORT_POINTS], 2);
	assert_int_equal(r.total.v[REPORT_POINTS], 2);
	report_free(&r);

	/* the historical area on request: the old huyện Tuy Phong in 2026, its points where they were made */
	struct report_params hist = {.year = 2026, .unit = "595"};
	assert_int_equal(store_report_compute(f->st, &hist, &r, &err), 0);
	assert_string_equal(r.root_name, "Huyện Tuy Phong");
	assert_int_equal(r.total.v[REPORT_POINTS], 4);
	report_free(&r);

	/* a unit that did not exist then */
	struct report_params none = {.year = 2017, .unit = "11948"};
	assert_int_equal(store_report_compute(f->st, &none, &r, &err), -1);
	assert_string_equal(
	    err.msg, "the unit 11948 (Đặc khu Bạch Long Vĩ) began on 2025-07-01: it did not exist on 2017-12-31");
}

static void test_successor_chosen_by_a_person(void **state)
{
	struct fixture *f = *state;
	struct lineage l;
	lineage_data(f, &l);
	struct mh_error err;
	long n = 0;
	assert_int_equal(store_record_unresolved(f->st, count_unresolved, &n, &err), 0);
	assert_int_equal(n, 1);
	/* outside the divided commune's successors, or a commune not divided: refused, nothing changed */
	assert_int_equal(store_record_successor(f->st, l.phongphu, "22981", &err), -1);
	assert_string_equal(err.msg, "22981 is not one of the units Xã Phong Phú was divided into");
	assert_int_equal(store_record_successor(f->st, l.vinhtan, "22981", &err), -1);
	assert_int_equal(store_record_successor(f->st, "00000000-0000-4000-8000-000000000000", "22972", &err), -1);
	assert_string_equal(err.msg, "no point has the id 00000000-0000-4000-8000-000000000000");
	long audit = sql_int(f, "SELECT count(*) FROM audit");
	assert_int_equal(store_record_successor(f->st, l.phongphu, "22972", &err), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), audit + 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE field = 'unit_successor'"
	                            " AND new = '22972@2025-07-01' AND action = 'update'"),
	                 1);
	n = 0;
	assert_int_equal(store_record_unresolved(f->st, count_unresolved, &n, &err), 0);
	assert_int_equal(n, 0);
	struct report r;
	struct report_params p = {.year = 2026};
	assert_int_equal(store_report_compute(f->st, &p, &r, &err), 0);
	assert_null(row_of(&r, "?22978"));
	assert_int_equal(row_of(&r, "22972@2025-07-01")->v[REPORT_TEAMS], 32 + 4);
	report_free(&r);
}

/* A commune police of today takes the models whose points all lie in its commune now. */
static void test_hand_down(void **state)
{
	struct fixture *f = *state;
	struct lineage l;
	lineage_data(f, &l);
	char only[STORE_ID_LEN + 1], none[STORE_ID_LEN + 1];
	INSERT(f->st, "model", only, {"name", "Tuần tra"}, {"field", "khac"}, {"unit_code", "22981"},
	       {"launched_on", "2026-03-01"});
	INSERT(f->st, "point", NULL, {"model_id", only}, {"unit_code", "22984"}, {"status", "hoat-dong"},
	       {"launched_on", "2017-03-01"}); /* xã Vĩnh Tân then, Xã Vĩnh Hảo now */
	INSERT(f->st, "evaluation", NULL, {"model_id", only}, {"period_kind", "nam"}, {"period_from", "2026-01-01"},
	       {"period_to", "2026-12-31"}, {"kind", "so-ket"}, {"rating", "tot"});
	INSERT(f->st, "model", none, {"name", "Chưa có điểm"}, {"field", "khac"}, {"unit_code", "22981"},
	       {"launched_on", "2026-03-01"});
	struct mh_error err;
	struct store_hand_down h;
	/* no office of that commune registered yet, or not below */
	assert_int_equal(store_office_hand_down(f->st, "22981", &h, &err), -1);
	assert_string_equal(err.msg, "no office of the unit 22981 is registered here");
	struct fixture *c = open_office("22981", "2026-01-01"); /* Công an xã Vĩnh Hảo, its keys registered here */
	struct store_keys k;
	struct strbuf file;
	strbuf_init(&file);
	assert_int_equal(store_keys_get(c->st, NULL, &k, &err), 0);
	store_keys_file(&k, &file);
	assert_int_equal(store_office_add(f->st, "22981", file.buf, &k, &err), 0);
	strbuf_release(&file);
	teardown((void **)&c);
	long audit = sql_int(f, "SELECT count(*) FROM audit");
	if (store_office_hand_down(f->st, "22981", &h, &err) < 0)
		fail_msg("%s", err.msg);
	/* the model of 2017 has points in Phong Phú too: it stays */
	assert_int_equal(h.models, 2);
	assert_int_equal(h.points, 1);
	assert_int_equal(h.evaluations, 1);
	assert_int_equal(h.spread, 1);
	assert_int_equal(h.waiting, 0);
	char *sql =
	    sqlite3_mprintf("SELECT count(*) FROM model WHERE owner = %Q AND id IN (%Q, %Q)", k.office_id, only, none);
	assert_int_equal(sql_int(f, sql), 2);
	sqlite3_free(sql);
	/* each record audited, and the step itself */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), audit + 4 + 1);
	sql = sqlite3_mprintf("SELECT count(*) FROM audit WHERE field = 'owner' AND new = %Q", k.office_id);
	assert_int_equal(sql_int(f, sql), 4);
	sqlite3_free(sql);
	/* again: nothing more to hand */
	assert_int_equal(store_office_hand_down(f->st, "22981", &h, &err), 0);
	assert_int_equal(h.models + h.points + h.evaluations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_published_counts, setup_today, teardown),
	    cmocka_unit_test_setup_teardown(test_invariants, setup_today, teardown),
	    cmocka_unit_test_setup_teardown(test_hard_cases, setup_today, teardown),
	    cmocka_unit_test_setup_teardown(test_version_on_a_day, setup_today, teardown),
	    cmocka_unit_test(test_offices_of_today_and_of_the_past),
	    cmocka_unit_test_setup_teardown(test_record_takes_the_version_of_its_date, setup_today, teardown),
	    cmocka_unit_test_setup_teardown(test_report_follows_the_links, setup_today, teardown),
	    cmocka_unit_test_setup_teardown(test_successor_chosen_by_a_person, setup_today, teardown),
	    cmocka_unit_test_setup_teardown(test_hand_down, setup_today, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
