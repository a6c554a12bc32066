/* Sync between databases, step by step, without the command line: keys
 * exchanged, a setup bundle down, data bundles up with their receipts, the
 * status each side reads (bundles missing, found again), a bundle's manifest,
 * a row breaking the forms' rules here refused while the others are taken,
 * reference data down, and two PCs of one office changing one record. */
#include "testutil.h"

#include "formdef.h"
#include "store-unit.h"
#include "store-sync.h"

struct fx {
	char *dir;
	struct store *p, *d; /* the province (60) and a district (595) */
};

static struct store *office(const char *dir, const char *name, const char *unit)
{
	char *path = xalloc_printf("%s/%s.db", dir, name);
	struct mh_error err;
	struct store *st = testutil_office_create(path, unit, "2017-01-01", NULL, &err);
	free(path);
	if (!st)
		fail_msg("%s", err.msg);
	return st;
}

/* Writes a bundle of the district, for the province; its path (a new string). */
static char *bundle_of(struct store *st, const char *dir)
{
	struct mh_error err;
	struct bundle_header h;
	char *path = NULL;
	long long size;
	if (store_bundle_write(st, NULL, dir, &path, &size, &h, &err) < 0)
		fail_msg("%s", err.msg);
	return path;
}

static char *district_bundle(struct fx *f)
{
	return bundle_of(f->d, f->dir);
}

static void import(struct store *st, const char *path, const char *fingerprint, struct store_bundle_result *r)
{
	struct mh_error err;
	if (store_bundle_import(st, path, 0, fingerprint, r, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
}

static int setup(void **state)
{
	struct fx *f = xalloc_calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	f->p = office(f->dir, "p", "60");
	f->d = office(f->dir, "d", "595");
	/* the district's public keys registered above, from its key file's text */
	struct store_keys dk, pk, k;
	struct mh_error err;
	struct strbuf file;
	strbuf_init(&file);
	assert_int_equal(store_keys_get(f->d, NULL, &dk, &err), 0);
	store_keys_file(&dk, &file);
	if (store_office_add(f->p, "595", file.buf, &k, &err) < 0)
		fail_msg("%s", err.msg);
	strbuf_release(&file);
	assert_string_equal(k.fingerprint, dk.fingerprint);
	/* the province's keys down in a setup bundle, taken with the fingerprint read out */
	struct bundle_header h;
	char *path;
	if (store_bundle_setup(f->p, "595", NULL, f->dir, &path, &h, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(store_keys_get(f->p, NULL, &pk, &err), 0);
	struct store_bundle_result r;
	assert_int_equal(store_bundle_import(f->d, path, 0, "0000-0000-0000-0000", &r, &err), -1);
	store_bundle_result_free(&r);
	import(f->d, path, pk.fingerprint, &r);
	assert_true(r.is_setup);
	store_bundle_result_free(&r);
	free(path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_free(f->p);
	store_free(f->d);
	testutil_rmdir(f->dir);
	free(f);
	return 0;
}

static long long count(struct store *st, const char *table)
{
	struct store_check_report r;
	struct mh_error err;
	assert_int_equal(store_check(st, &r, &err), 0);
	return strcmp(table, "model") == 0 ? r.models : r.points;
}

static void test_up_receipt_and_gaps(void **state)
{
	struct fx *f = *state;
	char id[STORE_ID_LEN + 1];
	INSERT(f->d, "model", id, {"name", "Tổ tự quản an ninh"}, {"field", "khac"}, {"unit_code", "595"});
	char *b1 = district_bundle(f);
	/* the manifest says what it holds, before anything is imported */
	struct store_manifest m;
	struct mh_error err;
	assert_int_equal(store_bundle_manifest(f->p, b1, &m, &err), 0);
	assert_int_equal(m.models, 1);
	assert_int_equal(m.points, 0);
	struct store_bundle_result r;
	import(f->p, b1, NULL, &r);
	assert_int_equal(r.added, 1);
	assert_int_equal(r.refused, 0);
	assert_true(r.receipt.len > 0);
	assert_int_equal(count(f->p, "model"), 1);
	/* the same file again changes nothing */
	struct store_bundle_result again;
	import(f->p, b1, NULL, &again);
	assert_true(again.already);
	store_bundle_result_free(&again);
	/* the receipt goes down: the district's status says its bundle arrived */
	char *receipt = xalloc_printf("%s.receipt", b1);
	FILE *out = fopen(receipt, "w");
	fwrite(r.receipt.buf, 1, r.receipt.len, out);
	fclose(out);
	store_bundle_result_free(&r);
	import(f->d, receipt, NULL, &r);
	assert_true(r.is_receipt);
	store_bundle_result_free(&r);
	struct store_sync_status s;
	assert_int_equal(store_sync_status(f->d, &s, &err), 0);
	assert_int_equal(s.nsent, 1);
	assert_true(s.sent[0].receipt_at[0] != '\0');
	store_sync_status_free(&s);
	/* bundles 2 and 3; only 3 arrives: 2 is missing above, then found */
	INSERT(f->d, "model", id, {"name", "Camera an ninh"}, {"field", "khac"}, {"unit_code", "595"});
	char *b2 = district_bundle(f);
	INSERT(f->d, "model", id, {"name", "Thôn tự quản"}, {"field", "khac"}, {"unit_code", "595"});
	char *b3 = district_bundle(f);
	import(f->p, b3, NULL, &r);
	store_bundle_result_free(&r);
	assert_int_equal(store_sync_status(f->p, &s, &err), 0);
	assert_int_equal(s.nbelow, 1);
	assert_int_equal(s.below[0].last, 3);
	assert_int_equal(s.below[0].nmissing, 1);
	assert_int_equal(s.below[0].missing[0], 2);
	store_sync_status_free(&s);
	import(f->p, b2, NULL, &r);
	store_bundle_result_free(&r);
	assert_int_equal(store_sync_status(f->p, &s, &err), 0);
	assert_int_equal(s.below[0].nmissing, 0);
	store_sync_status_free(&s);
	assert_int_equal(count(f->p, "model"), 3);
	free(receipt);
	free(b1);
	free(b2);
	free(b3);
}

/* The province's form asks for a model's lead agency; the district's row
 * without one is refused and said, the other row of the bundle taken. */
static void test_rows_meet_the_forms_here(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {"model.form"};
	static const char *const texts[] = {"form model\nversion 1\ntable model\ntitle Mô hình\n"
	                                    "field name\n  label Tên mô hình\n  type text\n  required\n"
	                                    "field lead_agency\n  label Cơ quan chủ trì\n  type text\n  required\n"};
	struct formdef_errors errs = {NULL, 0};
	struct formdef_set *forms = formdef_load_texts(names, texts, 1, &errs);
	assert_int_equal(errs.n, 0);
	char id[STORE_ID_LEN + 1], without[STORE_ID_LEN + 1];
	INSERT(f->d, "model", id, {"name", "Tổ tự quản an ninh"}, {"field", "khac"}, {"unit_code", "595"},
	       {"lead_agency", "Công an xã"});
	INSERT(f->d, "model", without, {"name", "Camera an ninh"}, {"field", "khac"}, {"unit_code", "595"});
	/* the refused model's point, a point replicating that one, and its evaluation go with it: each
	 * refused with its reason before the copy, which stays one statement for the rest */
	char point[STORE_ID_LEN + 1], copy[STORE_ID_LEN + 1], eval[STORE_ID_LEN + 1];
	INSERT(f->d, "point", point, {"model_id", without}, {"unit_code", "22981"}, {"status", "hoat-dong"});
	INSERT(f->d, "point", copy, {"model_id", without}, {"unit_code", "22984"}, {"status", "hoat-dong"},
	       {"replicated_from", point});
	INSERT(f->d, "evaluation", eval, {"model_id", without}, {"point_id", point}, {"kind", "so-ket"},
	       {"period_kind", "nam"}, {"period_from", "2017-01-01"}, {"period_to", "2017-12-31"});
	char *b = district_bundle(f);
	store_set_forms(f->p, forms);
	struct store_bundle_result r;
	import(f->p, b, NULL, &r);
	store_set_forms(f->p, NULL);
	assert_int_equal(r.added, 1);
	assert_int_equal(r.refused, 4);
	assert_int_equal(r.nproblems, 4);
	assert_non_null(strstr(r.problems[0], without));
	char *said = xalloc_printf("%s: model_id = %s names a record that is not here", point, without);
	assert_non_null(strstr(r.problems[1], said));
	free(said);
	assert_non_null(strstr(r.problems[2], copy));
	assert_non_null(strstr(r.problems[3], eval));
	assert_int_equal(count(f->p, "model"), 1);
	assert_int_equal(count(f->p, "point"), 0);
	store_bundle_result_free(&r);
	formdef_free(forms);
	free(b);
}

/* Reference data down: a unit version the province added reaches the
 * district once, and the same version again changes nothing. */
static void test_reference_down(void **state)
{
	struct fx *f = *state;
	struct store_unit u = {.code = "22949",
	                       .parent_code = "593",
	                       .type = "Phường",
	                       .name = "Phường Đức Thắng",
	                       .valid_to = "2024-10-31"};
	struct mh_error err;
	if (store_unit_add(f->p, &u, &err) < 0)
		fail_msg("%s", err.msg);
	struct bundle_header h;
	char *path;
	if (store_bundle_ref(f->p, "595", NULL, f->dir, &path, &h, &err) < 0)
		fail_msg("%s", err.msg);
	struct store_bundle_result r;
	import(f->d, path, NULL, &r);
	assert_true(r.is_ref);
	assert_false(r.already);
	store_bundle_result_free(&r);
	struct store_unit got;
	assert_int_equal(store_unit_get(f->d, "22949", &got, &err), 0);
	assert_string_equal(got.name, "Phường Đức Thắng");
	assert_string_equal(got.valid_to, "2024-10-31");
	import(f->d, path, NULL, &r);
	assert_true(r.already);
	store_bundle_result_free(&r);
	free(path);
}

static int first_conflict(const struct store_conflict *c, void *ud)
{
	long long *id = ud;
	if (!*id)
		*id = c->id;
	return 0;
}

/* Two PCs of the district change one model apart: the second version waits
 * as a conflict, the first stays, until a person takes the other's. */
static void test_two_pcs_conflict(void **state)
{
	struct fx *f = *state;
	char id[STORE_ID_LEN + 1];
	INSERT(f->d, "model", id, {"name", "Khu dân cư tự quản"}, {"field", "khac"}, {"unit_code", "595"});
	char *b1 = district_bundle(f);
	struct store_bundle_result r;
	import(f->p, b1, NULL, &r);
	store_bundle_result_free(&r);
	/* the second PC starts from a copy of the first's database */
	char *d1 = xalloc_printf("%s/d.db", f->dir), *d2 = xalloc_printf("%s/d2.db", f->dir);
	char *pc1 = xalloc_printf("%s/pc1", f->dir), *pc2 = xalloc_printf("%s/pc2", f->dir);
	store_free(f->d);
	char *cp = xalloc_printf("cp '%s' '%s' && mkdir '%s' '%s'", d1, d2, pc1, pc2);
	assert_int_equal(system(cp), 0);
	free(cp);
	struct mh_error err;
	f->d = store_open(d1, STORE_WRITE, &err);
	struct store *second = store_open(d2, STORE_WRITE, &err);
	assert_non_null(f->d);
	assert_non_null(second);
	const struct store_kv a[] = {{"name", "Khu dân cư tự quản an ninh"}}, b[] = {{"name", "Khu dân cư kiểu mẫu"}};
	assert_int_equal(store_record_update(f->d, "model", id, a, 1, &err), 0);
	assert_int_equal(store_record_update(second, "model", id, b, 1, &err), 0);
	char *one = bundle_of(f->d, pc1), *two = bundle_of(second, pc2);
	import(f->p, one, NULL, &r);
	assert_int_equal(r.updated, 1);
	store_bundle_result_free(&r);
	import(f->p, two, NULL, &r);
	assert_int_equal(r.conflicts, 1);
	assert_int_equal(r.updated, 0);
	store_bundle_result_free(&r);
	char *name = store_record_value(f->p, "model", id, "name");
	assert_string_equal(name, "Khu dân cư tự quản an ninh");
	free(name);
	long long conflict = 0;
	assert_int_equal(store_conflict_list(f->p, 0, first_conflict, &conflict, &err), 0);
	assert_true(conflict > 0);
	assert_int_equal(store_conflict_resolve(f->p, conflict, "*", &err), 0);
	name = store_record_value(f->p, "model", id, "name");
	assert_string_equal(name, "Khu dân cư kiểu mẫu");
	free(name);
	assert_int_equal(store_conflict_resolve(f->p, conflict, NULL, &err), -1); /* settled once */
	store_free(second);
	free(one);
	free(two);
	free(b1);
	free(d1);
	free(d2);
	free(pc1);
	free(pc2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_up_receipt_and_gaps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rows_meet_the_forms_here, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reference_down, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_pcs_conflict, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
