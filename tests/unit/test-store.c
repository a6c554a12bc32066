/* The store: creation and migration, records with their audit entries, rev,
 * owner and tombstones, rules and rollback, units, and files that are not
 * what they should be. The test reads the file back with sqlite3 itself. */
#include "testutil.h"

#include "store-internal.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "demo.h"
#include "formdef.h"
#include "store.h"
#include "vn.h"

struct fixture {
	char *dir;
	char *path;
	struct store *st;
};

static int setup_office(void **state, const char *unit)
{
	struct fixture *f = xalloc_calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	f->path = xalloc_printf("%s/office.db", f->dir);
	struct mh_error err;
	f->st = testutil_office_create(f->path, unit, NULL, "can_bo_a", &err);
	if (!f->st)
		fail_msg("%s", err.msg);
	*state = f;
	return 0;
}

static int setup_province(void **state)
{
	return setup_office(state, "60");
}

static int setup_district(void **state)
{
	return setup_office(state, "595");
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_free(f->st);
	testutil_rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* One integer from SQL run on the file itself. */
static long sql_int(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	long v = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static char *sql_text(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	char *v = NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		v = xalloc_strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static void add_model(struct fixture *f, const char *name, char id[STORE_ID_LEN + 1])
{
	struct store_kv kv[] = {
	    {"name", name}, {"field", "ma-tuy"}, {"unit_code", "595"}, {"launched_on", "2017-03-15"}};
	struct mh_error err;
	if (store_record_insert(f->st, "model", kv, 4, id, &err) < 0)
		fail_msg("%s", err.msg);
}

static void test_create_loads_units_and_office(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
	/* 63 provinces, 696 districts and 10,047 communes; then 34 provinces and 3,321 communes */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit"), 10806 + 34 + 3321);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE level = 1 AND valid_to = '2025-06-30'"), 63);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE level = 1 AND valid_from = '2025-07-01'"), 34);
	/* the 2025-03 list until the reform, the 2025-07 list from it */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE level = 3 AND valid_to = '2025-06-30'"), 10047);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit WHERE level = 3 AND valid_from = '2025-07-01'"), 3321);
	char *code = sql_text(f, "SELECT code FROM unit WHERE name = 'Phường Phúc Xá'");
	assert_string_equal(code, "00001"); /* leading zeros kept */
	free(code);
	const struct store_office *o = store_office_get(f->st);
	assert_non_null(o);
	assert_string_equal(o->unit_code, "60");
	assert_string_equal(o->name, "Công an tỉnh Bình Thuận");
	assert_int_equal(strlen(o->id), STORE_ID_LEN);
	assert_int_equal(sql_int(f, "PRAGMA journal_mode = wal"), 0); /* the text 'wal' reads as 0 */
	char *mode = sql_text(f, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	/* the folded column and the sort key are there for the plain sqlite3 shell */
	char *first = sql_text(f, "SELECT name FROM unit WHERE name_fold LIKE '%vinh tan%' ORDER BY name_key LIMIT 1");
	assert_non_null(first);
	free(first);
	struct mh_error err;
	assert_int_equal(store_office_init(f->st, "60", NULL, NULL, &err), -1); /* only once */
}

/* The migration steps (the store's own table of SQL). */
extern const char *const store_schema_steps[];

/* A file at each earlier version, with an office, a model and a unit of its
 * time, opened by this program: migrated to the current version, nothing lost. */
static void test_migrates_from_version_before(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir();
	for (int from = 1; from < STORE_SCHEMA_VERSION; from++) {
		char *path = xalloc_printf("%s/v%d.db", dir, from);
		sqlite3 *db;
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		for (int v = 0; v < from; v++)
			assert_int_equal(sqlite3_exec(db, store_schema_steps[v], NULL, NULL, NULL), SQLITE_OK);
		char sql[512];
		snprintf(
		    sql, sizeof sql,
		    "PRAGMA application_id = %d; PRAGMA user_version = %d;"
		    "INSERT INTO unit (code, level, type, name, name_fold, name_key, owner, created_at, created_by,"
		    " updated_at, updated_by) VALUES ('60', 1, 'Tỉnh', 'Tỉnh Bình Thuận', 'tinh binh thuan', 'x',"
		    " 'gso', 't', 'gso', 't', 'gso');"
		    "INSERT INTO office (id, unit_code, name, created_at, this) VALUES ('o1', '60', 'Công an tỉnh Bình "
		    "Thuận', 't', 1);",
		    0x4D484E48, from);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		struct mh_error err;
		struct store *st = store_open(path, STORE_WRITE, &err);
		if (!st)
			fail_msg("from version %d: %s", from, err.msg);
		assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
		assert_string_equal(store_office_get(st)->name, "Công an tỉnh Bình Thuận");
		struct store_check_report r;
		assert_int_equal(store_check(st, &r, &err), 0);
		assert_string_equal(r.integrity, "ok");
		assert_int_equal(r.foreign_key_errors, 0);
		/* what the new version brings works */
		assert_int_equal(store_draft_put(st, "model", "new", "name=x", &err), 0);
		store_free(st);
		free(path);
	}
	testutil_rmdir(dir);
}

static void test_settings_drafts_and_choices(void **state)
{
	struct fixture *f = *state;
	struct mh_error err;
	assert_null(store_setting_get(f->st, "ime:can_bo_a"));
	assert_int_equal(store_setting_put(f->st, "ime:can_bo_a", "telex", &err), 0);
	assert_int_equal(store_setting_put(f->st, "ime:can_bo_a", "vni", &err), 0);
	char *v = store_setting_get(f->st, "ime:can_bo_a");
	assert_string_equal(v, "vni");
	free(v);
	char at[21];
	assert_null(store_draft_get(f->st, "model", "new", at));
	assert_int_equal(store_draft_put(f->st, "model", "new", "name=Thôn", &err), 0);
	v = store_draft_get(f->st, "model", "new", at);
	assert_string_equal(v, "name=Thôn");
	assert_int_equal(strlen(at), 20);
	free(v);
	store_set_user(f->st, "can_bo_b"); /* drafts are each user's own */
	assert_null(store_draft_get(f->st, "model", "new", at));
	store_set_user(f->st, "can_bo_a");
	assert_int_equal(store_draft_delete(f->st, "model", "new", &err), 0);
	assert_null(store_draft_get(f->st, "model", "new", at));
	/* a list from the form files: labels follow the file, codes are added */
	struct formdef_choice items[] = {{"hoat-dong", "Đang hoạt động tốt", 0}, {"tam-dung", "Tạm dừng", 0}};
	struct formdef_list list = {"point_status", "point_status.choices", items, 2};
	struct formdef_set set = {NULL, 0, &list, 1};
	assert_int_equal(store_choice_sync(f->st, &set, &err), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM choice WHERE list = 'point_status'"), 4);
	char *label = sql_text(f, "SELECT label FROM choice WHERE list = 'point_status' AND code = 'hoat-dong'");
	assert_string_equal(label, "Đang hoạt động tốt");
	free(label);
}

static void test_insert_update_delete_with_audit(void **state)
{
	struct fixture *f = *state;
	char id[STORE_ID_LEN + 1];
	long audit0 = sql_int(f, "SELECT count(*) FROM audit");
	add_model(f, "  Thôn tự quản, chống lây lan ma túy ", id);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT rev FROM model WHERE id = '%s'", id);
	assert_int_equal(sql_int(f, sql), 1);
	snprintf(sql, sizeof sql,
	         "SELECT name || '|' || name_fold || '|' || owner || '|' || state || '|' || created_by FROM model "
	         "WHERE id = '%s'",
	         id);
	char *row = sql_text(f, sql);
	char *want =
	    xalloc_printf("Thôn tự quản, chống lây lan ma túy|thon tu quan, chong lay lan ma tuy|%s|draft|can_bo_a",
	                  store_office_get(f->st)->id);
	assert_string_equal(row, want);
	free(row);
	free(want);
	/* one audit entry for the new record, shown field by field: name, field, unit, date, and is_pilot (no) */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit") - audit0, 1);
	snprintf(sql, sizeof sql,
	         "SELECT group_concat(x, ';') FROM (SELECT field || '=' || new AS x FROM audit_field"
	         " WHERE record_id = '%s' AND action = 'insert' ORDER BY seq, part)",
	         id);
	row = sql_text(f, sql);
	assert_string_equal(row, "name=Thôn tự quản, chống lây lan ma túy;field=ma-tuy;unit_code=595;"
	                         "launched_on=2017-03-15;is_pilot=0");
	free(row);

	struct mh_error err;
	struct store_kv kv[] = {{"name", "Thôn tự quản phòng, chống ma túy"}, {"field", "ma-tuy"}};
	assert_int_equal(store_record_update(f->st, "model", id, kv, 2, &err), 0);
	snprintf(sql, sizeof sql, "SELECT rev FROM model WHERE id = '%s'", id);
	assert_int_equal(sql_int(f, sql), 2);
	snprintf(sql, sizeof sql, "SELECT old || ' -> ' || new FROM audit WHERE record_id = '%s' AND action = 'update'",
	         id);
	char *change = sql_text(f, sql);
	assert_string_equal(change, "Thôn tự quản, chống lây lan ma túy -> Thôn tự quản phòng, chống ma túy");
	free(change);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit") - audit0, 2); /* field unchanged: no entry */
	/* any text comes back from the entry as it was typed: quotes, backslashes, lines, tabs */
	const char *odd = "Tổ \"tự quản\" C:\\thôn\nDòng 2\tcột";
	struct store_kv okv[] = {
	    {"name", "Mô hình khác"}, {"field", "khac"}, {"unit_code", "595"}, {"description", odd}};
	char oid[STORE_ID_LEN + 1];
	assert_int_equal(store_record_insert(f->st, "model", okv, 4, oid, &err), 0);
	snprintf(sql, sizeof sql, "SELECT new FROM audit_field WHERE record_id = '%s' AND field = 'description'", oid);
	row = sql_text(f, sql);
	assert_string_equal(row, odd);
	free(row);
	audit0++;
	/* nothing changed: no new rev */
	assert_int_equal(store_record_update(f->st, "model", id, kv, 2, &err), 0);
	snprintf(sql, sizeof sql, "SELECT rev FROM model WHERE id = '%s'", id);
	assert_int_equal(sql_int(f, sql), 2);

	/* a point and its evaluation go with the model: tombstones, never removed */
	char pid[STORE_ID_LEN + 1], eid[STORE_ID_LEN + 1];
	struct store_kv pkv[] = {{"model_id", id}, {"unit_code", "22984"}, {"status", "hoat-dong"}, {"teams", "3"}};
	assert_int_equal(store_record_insert(f->st, "point", pkv, 4, pid, &err), 0);
	struct store_kv ekv[] = {{"model_id", id},
	                         {"point_id", pid},
	                         {"kind", "so-ket"},
	                         {"period_kind", "nam"},
	                         {"period_from", "2017-01-01"},
	                         {"period_to", "2017-12-31"}};
	assert_int_equal(store_record_insert(f->st, "evaluation", ekv, 6, eid, &err), 0);
	assert_int_equal(store_record_delete(f->st, "model", id, &err), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM model WHERE deleted = 1"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM point WHERE deleted = 1 AND rev = 2"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM evaluation WHERE deleted = 1"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE action = 'delete'"), 3);
	/* a deleted record cannot be changed */
	assert_int_equal(store_record_update(f->st, "model", id, kv, 1, &err), -1);
	assert_int_equal(store_record_delete(f->st, "model", id, &err), -1);
}

static void expect_refused(struct fixture *f, const char *table, const struct store_kv *kv, size_t n, const char *field)
{
	long before = sql_int(f, "SELECT count(*) FROM audit");
	struct mh_error err;
	char id[STORE_ID_LEN + 1];
	assert_int_equal(store_record_insert(f->st, table, kv, n, id, &err), -1);
	assert_int_equal(err.code, MH_EDATA);
	assert_string_equal(err.where, field);
	assert_true(strlen(err.msg) > 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), before);
}

static void test_bad_values_are_refused(void **state)
{
	struct fixture *f = *state;
	char mid[STORE_ID_LEN + 1];
	add_model(f, "Camera an ninh", mid);
	long models = sql_int(f, "SELECT count(*) FROM model");
	struct store_kv no_name[] = {{"name", "   "}, {"field", "camera"}, {"unit_code", "595"}};
	expect_refused(f, "model", no_name, 3, "name");
	struct store_kv bad_date[] = {
	    {"name", "X"}, {"field", "camera"}, {"unit_code", "595"}, {"launched_on", "2017-02-31"}};
	expect_refused(f, "model", bad_date, 4, "launched_on");
	struct store_kv bad_choice[] = {{"name", "X"}, {"field", "bogus"}, {"unit_code", "595"}};
	expect_refused(f, "model", bad_choice, 3, "field");
	struct store_kv no_unit[] = {{"name", "X"}, {"field", "camera"}, {"unit_code", "99999"}};
	expect_refused(f, "model", no_unit, 3, "unit_code");
	struct store_kv outside[] = {{"model_id", mid}, {"unit_code", "23038"}, {"status", "hoat-dong"}};
	expect_refused(f, "point", outside, 3, "unit_code"); /* Phan Thanh is in Bắc Bình, not Tuy Phong */
	struct store_kv letters[] = {
	    {"model_id", mid}, {"unit_code", "22984"}, {"status", "hoat-dong"}, {"teams", "3a"}};
	expect_refused(f, "point", letters, 4, "teams");
	struct store_kv fk[] = {
	    {"model_id", "00000000-0000-4000-8000-000000000000"}, {"unit_code", "22984"}, {"status", "hoat-dong"}};
	expect_refused(f, "point", fk, 3, "model_id");
	struct store_kv period[] = {{"model_id", mid},
	                            {"kind", "so-ket"},
	                            {"period_kind", "nam"},
	                            {"period_from", "2017-12-31"},
	                            {"period_to", "2017-01-01"}};
	expect_refused(f, "evaluation", period, 5, "period_to");
	/* a replication goes to another unit than its source */
	char pid[STORE_ID_LEN + 1];
	struct store_kv first[] = {{"model_id", mid}, {"unit_code", "22984"}, {"status", "hoat-dong"}};
	struct mh_error err;
	assert_int_equal(store_record_insert(f->st, "point", first, 3, pid, &err), 0);
	struct store_kv same[] = {
	    {"model_id", mid}, {"unit_code", "22984"}, {"status", "hoat-dong"}, {"replicated_from", pid}};
	expect_refused(f, "point", same, 4, "unit_code");
	struct store_kv other[] = {
	    {"model_id", mid}, {"unit_code", "22981"}, {"status", "hoat-dong"}, {"replicated_from", pid}};
	assert_int_equal(store_record_insert(f->st, "point", other, 4, NULL, &err), 0);
	struct store_kv bad_utf8[] = {{"name", "Th\xC3"}, {"field", "camera"}, {"unit_code", "595"}};
	expect_refused(f, "model", bad_utf8, 3, "name");
	/* several choices: codes of the list, each once, separated by commas */
	const char *bad_forces[] = {"cong-an,bogus", "cong-an,dan-quan,cong-an", "cong-an,", ",cong-an", "a,,b"};
	for (size_t i = 0; i < sizeof bad_forces / sizeof *bad_forces; i++) {
		struct store_kv forces[] = {
		    {"name", "X"}, {"field", "camera"}, {"unit_code", "595"}, {"forces", bad_forces[i]}};
		expect_refused(f, "model", forces, 4, "forces");
	}
	struct store_kv forces[] = {
	    {"name", "Y"}, {"field", "camera"}, {"unit_code", "595"}, {"forces", "cong-an,hoi-phu-nu,chuc-sac"}};
	assert_int_equal(store_record_insert(f->st, "model", forces, 4, NULL, &err), 0);
	models++;
	assert_int_equal(sql_int(f, "SELECT count(*) FROM model"), models);
}

static void test_failed_action_rolls_back_whole(void **state)
{
	struct fixture *f = *state;
	long models = sql_int(f, "SELECT count(*) FROM model"), audit = sql_int(f, "SELECT count(*) FROM audit");
	struct mh_error err;
	assert_int_equal(store_begin(f->st, &err), 0);
	char mid[STORE_ID_LEN + 1];
	add_model(f, "Tổ liên quân phòng, chống tội phạm", mid);
	struct store_kv bad[] = {{"model_id", mid}, {"unit_code", "22984"}, {"status", "no-such-status"}};
	int ok = store_record_insert(f->st, "point", bad, 3, NULL, &err) == 0;
	assert_false(ok);
	assert_int_equal(store_end(f->st, ok, &err), -1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM model"), models);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), audit);
}

static void test_historic_unit(void **state)
{
	struct fixture *f = *state;
	struct store_unit u;
	memset(&u, 0, sizeof u);
	strcpy(u.code, "22948");
	strcpy(u.parent_code, "593");
	strcpy(u.type, "Phường");
	strcpy(u.name, "Phường Đức Thắng");
	strcpy(u.valid_to, "2024-10-31");
	strcpy(u.replaced_by, "22945");
	struct mh_error err;
	assert_int_equal(store_unit_add(f->st, &u, &err), 0);
	struct store_unit got;
	assert_int_equal(store_unit_get(f->st, "22948", &got, &err), 0);
	assert_int_equal(got.level, 3);
	assert_string_equal(got.parent_name, "Thành phố Phan Thiết, Tỉnh Bình Thuận");
	assert_string_equal(got.valid_to, "2024-10-31");
	assert_true(store_unit_within(f->st, "22948", "60"));
	assert_int_equal(store_unit_add(f->st, &u, &err), -1); /* the code is taken */
	strcpy(u.code, "22949");
	strcpy(u.valid_to, "2024-02-30");
	assert_int_equal(store_unit_add(f->st, &u, &err), -1);
	strcpy(u.code, "2294x");
	assert_int_equal(store_unit_add(f->st, &u, &err), -1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit"), 10806 + 34 + 3321 + 1);
	/* its replacement is its successor: the whole of it, from the day after it ended */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM unit_link WHERE from_code = '22948' AND to_code = '22945'"
	                            " AND share = 'whole' AND on_date = '2024-11-01'"),
	                 1);
}

static void test_demo_province_and_twice(void **state)
{
	struct fixture *f = *state;
	struct demo_result r;
	struct mh_error err;
	assert_int_equal(demo_load(f->st, &r, &err), 0);
	assert_int_equal(r.models, 10);
	assert_int_equal(r.points, 12);
	assert_int_equal(r.evaluations, 5);
	assert_int_equal(r.units, 1);
	long audit = sql_int(f, "SELECT count(*) FROM audit");
	assert_int_equal(demo_load(f->st, &r, &err), 0);
	assert_int_equal(r.models + r.points + r.evaluations + r.units, 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM model"), 10);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), audit);
	/* the replication is linked to the point it came from */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM point WHERE replicated_from IS NOT NULL"), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM point WHERE unit_code = '22948'"), 1);
}

static void test_demo_district_gets_its_own(void **state)
{
	struct fixture *f = *state;
	struct demo_result r;
	struct mh_error err;
	assert_int_equal(demo_load(f->st, &r, &err), 0);
	assert_int_equal(r.models, 3);
	assert_int_equal(r.points, 4);
	assert_int_equal(r.units, 0);
	assert_int_equal(
	    sql_int(
	        f,
	        "SELECT count(*) FROM point WHERE unit_code NOT IN (SELECT code FROM unit WHERE parent_code = '595')"),
	    0);
}

static int cmp_key(const void *a, const void *b)
{
	const struct store_model_row *x = a, *y = b;
	int r = strcmp(x->key, y->key);
	return r ? r : strcmp(x->id, y->id);
}

static void test_model_pages(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {"Ánh sáng", "anh sang", "Bảo vệ", "Camera", "Đường", "Dân", "Ấp", "Ăn",
	                                    "ấp",       "Ơn",       "Ôn",     "On",     "Ưu",    "Uy",  "Zê"};
	size_t n = sizeof names / sizeof *names;
	char id[STORE_ID_LEN + 1];
	for (size_t i = 0; i < n; i++)
		add_model(f, names[i], id);
	struct store_model_row all[32], page[4], seen[32];
	struct mh_error err;
	struct store_model_filter none = {0};
	int total = store_model_page(f->st, &none, NULL, 0, all, 32, &err);
	assert_int_equal(total, (int)n);
	struct store_model_row sorted[32];
	memcpy(sorted, all, sizeof all);
	qsort(sorted, (size_t)total, sizeof *sorted, cmp_key);
	assert_memory_equal(sorted, all, (size_t)total * sizeof *all);
	/* forward four at a time, then backward from the end */
	int got = 0;
	const char *k = NULL;
	for (;;) {
		int c = store_model_page(f->st, &none, k, 0, page, 4, &err);
		memcpy(seen + got, page, (size_t)c * sizeof *page);
		got += c;
		if (c < 4)
			break;
		k = seen[got - 1].key;
	}
	assert_int_equal(got, total);
	for (int j = 0; j < total; j++)
		assert_string_equal(seen[j].id, all[j].id);
	store_rows_release(seen, (size_t)got, sizeof *seen);
	int c = store_model_page(f->st, &none, all[5].key, 1, page, 4, &err);
	assert_int_equal(c, 4);
	assert_string_equal(page[0].id, all[1].id);
	assert_string_equal(page[3].id, all[4].id);
	store_rows_release(page, 4, sizeof *page);
	store_rows_release(all, (size_t)total, sizeof *all);
	/* search: accent-free, words in any order */
	struct store_model_filter s = {.search = "sang ANH"};
	assert_int_equal(store_model_page(f->st, &s, NULL, 0, page, 4, &err), 2);
	store_rows_release(page, 2, sizeof *page);
	struct store_model_filter y = {.year = 2016};
	assert_int_equal(store_model_page(f->st, &y, NULL, 0, page, 4, &err), 0);
}

struct nested {
	struct store *st;
	int outer, inner;
};

static int count_point(struct store_point_row *r, void *ud)
{
	(void)r;
	(*(int *)ud)++;
	return 0;
}

/* a callback that asks for the same list again while the outer one steps */
static int list_again(struct store_point_row *r, void *ud)
{
	struct nested *n = ud;
	n->outer++;
	struct store_point_filter same = {.model_id = r->model_id};
	struct mh_error err;
	assert_int_equal(store_point_list(n->st, &same, count_point, &n->inner, &err), 0);
	return 0;
}

/* The lists' statements are kept by their text for the next call: more
 * shapes than places, the same list asked for inside itself, a list after a
 * change, all answer as a statement made afresh would. */
static void test_list_statements_kept(void **state)
{
	struct fixture *f = *state;
	char mid[STORE_ID_LEN + 1], pid[STORE_ID_LEN + 1];
	add_model(f, "Camera an ninh", mid);
	struct store_kv pkv[] = {{"model_id", mid}, {"unit_code", "22984"}, {"status", "hoat-dong"}};
	struct mh_error err;
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_record_insert(f->st, "point", pkv, 3, pid, &err), 0);
	struct nested n = {f->st, 0, 0};
	struct store_point_filter by_model = {.model_id = mid};
	for (int round = 0; round < 2; round++) {
		n.outer = n.inner = 0;
		assert_int_equal(store_point_list(f->st, &by_model, list_again, &n, &err), 0);
		assert_int_equal(n.outer, 3);
		assert_int_equal(n.inner, 9);
	}
	/* forty searches of as many statements (one to sixteen words, three orders), twice */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 40; i++) {
			char words[128] = "";
			for (int w = 0; w <= i % 16; w++)
				strcat(words, w == 0 && i % 2 ? "zzz " : "an ");
			struct store_model_filter s = {.search = words, .sort = (enum store_model_sort)(i / 16)};
			struct store_model_row rows[4];
			int c = store_model_page(f->st, &s, NULL, 0, rows, 4, &err);
			store_rows_release(rows, c > 0 ? (size_t)c : 0, sizeof *rows);
			assert_int_equal(c, i % 2 ? 0 : 1);
		}
	/* a row added after the statement was kept is in its next answer */
	int before = 0, after = 0;
	assert_int_equal(store_point_list(f->st, &by_model, count_point, &before, &err), 0);
	assert_int_equal(store_record_insert(f->st, "point", pkv, 3, pid, &err), 0);
	assert_int_equal(store_point_list(f->st, &by_model, count_point, &after, &err), 0);
	assert_int_equal(after, before + 1);
}

/* Names as long as a model's name may be (250 characters, most of them
 * letters of three bytes with their sort keys longer still) come back whole,
 * and keyset paging over them ends. */
static void test_long_names_whole(void **state)
{
	struct fixture *f = *state;
	char name[1024] = "";
	for (int i = 0; i < 40; i++)
		strcat(name, "Tổ tự "); /* 6 characters each */
	char id[STORE_ID_LEN + 1];
	for (int i = 0; i < 9; i++) {
		char full[1100];
		snprintf(full, sizeof full, "%s%04d", name, i);
		add_model(f, full, id);
	}
	struct store_model_filter none = {0};
	struct store_model_row page[2];
	struct mh_error err;
	char *key = NULL;
	int got = 0, rounds = 0;
	for (;;) {
		int c = store_model_page(f->st, &none, key, 0, page, 2, &err);
		assert_true(c >= 0);
		for (int i = 0; i < c; i++) {
			assert_int_equal(vn_width(page[i].name, strlen(page[i].name)), 244);
			assert_int_equal(strncmp(page[i].name, name, strlen(name)), 0);
		}
		got += c;
		free(key);
		key = c == 2 ? strdup(page[1].key) : NULL;
		store_rows_release(page, (size_t)c, sizeof *page);
		if (!key || ++rounds > 10)
			break;
	}
	free(key);
	assert_int_equal(got, 9);
}

static void test_files_that_are_not_right(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir();
	struct mh_error err;
	char *p = xalloc_printf("%s/text.db", dir);
	FILE *fp = fopen(p, "w");
	fputs("not a database at all, just some words\n", fp);
	fclose(fp);
	assert_null(store_open(p, STORE_WRITE, &err));
	assert_int_equal(err.code, MH_EDATA);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_size, 39); /* untouched */
	free(p);

	p = xalloc_printf("%s/missing/x.db", dir);
	assert_null(store_open(p, STORE_CREATE, &err));
	assert_int_equal(err.code, MH_EIO);
	free(p);

	p = xalloc_printf("%s/ok.db", dir);
	struct store *st = store_open(p, STORE_CREATE, &err);
	assert_non_null(st);
	assert_int_equal(store_office_init(st, "60", NULL, NULL, &err), 0);
	/* any number of copies write to one file: each change in its own short transaction */
	struct store *other = store_open(p, STORE_WRITE, &err);
	assert_non_null(other);
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_setting_put(st, "a", "1", &err), 0);
	char *seen = store_setting_get(other, "a"); /* a reader goes on, and sees what was committed */
	assert_null(seen);
	assert_int_equal(store_end(st, 1, &err), 0);
	seen = store_setting_get(other, "a");
	assert_string_equal(seen, "1");
	free(seen);
	assert_int_equal(store_setting_put(other, "a", "2", &err), 0);
	store_free(other);
	struct store *reader = store_open(p, STORE_READ, &err);
	assert_non_null(reader);
	seen = store_setting_get(reader, "a");
	assert_string_equal(seen, "2");
	free(seen);
	store_free(reader);
	store_free(st);
	/* a newer schema */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_null(store_open(p, STORE_WRITE, &err));
	assert_int_equal(err.code, MH_EDATA);
	assert_non_null(strstr(err.msg, "99"));
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	char restore[64];
	snprintf(restore, sizeof restore, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
	sqlite3_exec(db, restore, NULL, NULL, NULL);
	sqlite3_close(db);
	/* read-only */
	chmod(p, 0444);
	assert_null(store_open(p, STORE_WRITE, &err));
	assert_int_equal(err.code, MH_EIO);
	st = store_open(p, STORE_READ, &err);
	assert_non_null(st);
	store_free(st);
	free(p);
	/* another SQLite database is not ours */
	p = xalloc_printf("%s/other.db", dir);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_null(store_open(p, STORE_WRITE, &err));
	assert_int_equal(err.code, MH_EDATA);
	free(p);
	testutil_rmdir(dir);
}

/* A text cut to a row's room is cut between two characters, never inside one. */
static void test_copy_cuts_between_characters(void **state)
{
	(void)state;
	char buf[6];
	store_copy(buf, sizeof buf, "Vĩnh Hảo"); /* V ĩ(2) n h: "Vĩnh" is 5 bytes */
	assert_string_equal(buf, "Vĩnh");
	store_copy(buf, 5, "Vĩnh Hảo");
	assert_string_equal(buf, "Vĩn");
	store_copy(buf, 3, "Vĩnh");
	assert_string_equal(buf, "V"); /* not V and half of ĩ */
	store_copy(buf, sizeof buf, NULL);
	assert_string_equal(buf, "");
	store_copy(buf, sizeof buf, "abc");
	assert_string_equal(buf, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_loads_units_and_office, setup_province, teardown),
	    cmocka_unit_test(test_migrates_from_version_before),
	    cmocka_unit_test(test_copy_cuts_between_characters),
	    cmocka_unit_test_setup_teardown(test_settings_drafts_and_choices, setup_district, teardown),
	    cmocka_unit_test_setup_teardown(test_insert_update_delete_with_audit, setup_district, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_values_are_refused, setup_district, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_action_rolls_back_whole, setup_district, teardown),
	    cmocka_unit_test_setup_teardown(test_historic_unit, setup_province, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_province_and_twice, setup_province, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_district_gets_its_own, setup_district, teardown),
	    cmocka_unit_test_setup_teardown(test_list_statements_kept, setup_district, teardown),
	    cmocka_unit_test_setup_teardown(test_long_names_whole, setup_district, teardown),
	    cmocka_unit_test_setup_teardown(test_model_pages, setup_district, teardown),
	    cmocka_unit_test(test_files_that_are_not_right),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
