/* Sync between two databases, step by step, without the command line: keys
 * exchanged, a setup bundle down, data bundles up with their receipts, the
 * status each side reads (bundles missing, found again), a bundle's manifest,
 * a row breaking the forms' rules here refused while the others are taken. */
#include "testutil.h"

#include "formdef.h"
#include "store-sync.h"

struct fx {
	char *dir;
	struct store *p, *d; /* the province (60) and a district (595) */
};

static struct store *office(const char *dir, const char *name, const char *unit)
{
	char *path = xalloc_printf("%s/%s.db", dir, name);
	struct mh_error err;
	struct store *st = store_open(path, STORE_CREATE, &err);
	free(path);
	if (!st || store_office_init(st, unit, "2017-01-01", NULL, &err) < 0)
		fail_msg("%s", err.msg);
	return st;
}

/* Writes a bundle of the district, for the province; its path (a new string). */
static char *district_bundle(struct fx *f)
{
	struct mh_error err;
	struct bundle_header h;
	char *path = NULL;
	long long size;
	if (store_bundle_write(f->d, NULL, f->dir, &path, &size, &h, &err) < 0)
		fail_msg("%s", err.msg);
	return path;
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
	char *b = district_bundle(f);
	store_set_forms(f->p, forms);
	struct store_bundle_result r;
	import(f->p, b, NULL, &r);
	store_set_forms(f->p, NULL);
	assert_int_equal(r.added, 1);
	assert_int_equal(r.refused, 1);
	assert_int_equal(r.nproblems, 1);
	assert_non_null(strstr(r.problems[0], without));
	assert_int_equal(count(f->p, "model"), 1);
	store_bundle_result_free(&r);
	formdef_free(forms);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_up_receipt_and_gaps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rows_meet_the_forms_here, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
