/* Accounts and review: every state transition and permission, the locked
 * approved record, a record changed while open for review, the audit chain. */
#include "testutil.h"

#include <sqlite3.h>

#include "store.h"
#include "store-user.h"

struct fixture {
	char *dir, *path;
	struct store *st;
	char model[STORE_ID_LEN + 1];
};

static void must(int rc, const struct mh_error *err)
{
	if (rc < 0)
		fail_msg("%s", err->msg);
}

static void login(struct fixture *f, const char *name, const char *password)
{
	struct mh_error err;
	must(store_login(f->st, name, password, &err), &err);
}

static int setup(void **state)
{
	struct fixture *f = xalloc_calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	f->path = xalloc_printf("%s/office.db", f->dir);
	struct mh_error err;
	f->st = testutil_office_create(f->path, "595", NULL, NULL, &err);
	if (!f->st)
		fail_msg("%s", err.msg);
	/* the first account is the admin; it adds the others */
	struct store_kv kv[] = {{"name", "Camera an ninh"}, {"field", "camera"}, {"unit_code", "595"}};
	must(store_record_insert(f->st, "model", kv, 3, f->model, &err), &err);
	assert_int_equal(store_user_add(f->st, "an", "officer", "mat-khau-an", &err), -1); /* not an admin */
	must(store_user_add(f->st, "admin", "admin", "mat-khau-admin", &err), &err);
	assert_int_equal(store_user_add(f->st, "an", "officer", "mat-khau-an", &err), -1); /* nobody logged in */
	login(f, "admin", "mat-khau-admin");
	must(store_user_add(f->st, "an", "officer", "mat-khau-an", &err), &err);
	must(store_user_add(f->st, "binh", "officer,leader", "mat-khau-binh", &err), &err);
	must(store_user_add(f->st, "chi", "leader", "mat-khau-chi", &err), &err);
	store_logout(f->st);
	*state = f;
	return 0;
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

static const char *state_of(struct fixture *f)
{
	static struct store_review_row r;
	struct mh_error err;
	must(store_review_get(f->st, f->model, &r, &err), &err);
	return r.state;
}

static void test_accounts(void **state)
{
	struct fixture *f = *state;
	struct mh_error err;
	assert_int_equal(store_user_count(f->st), 4);
	/* wrong password, unknown user: the same message; a weak password refused */
	assert_int_equal(store_login(f->st, "an", "sai-mat-khau", &err), -1);
	assert_int_equal(err.code, MH_EFAIL);
	char wrong[512];
	snprintf(wrong, sizeof wrong, "%s", err.msg);
	assert_int_equal(store_login(f->st, "khong-co", "sai-mat-khau", &err), -1);
	assert_string_equal(err.msg, wrong);
	login(f, "admin", "mat-khau-admin");
	assert_int_equal(store_user_add(f->st, "dung", "officer", "ngan", &err), -1);
	assert_int_equal(store_user_add(f->st, "an", "officer", "mat-khau-moi", &err), -1); /* taken */
	assert_int_equal(store_user_add(f->st, "co space", "officer", "mat-khau-moi", &err), -1);
	assert_int_equal(store_user_add(f->st, "dung", "chief", "mat-khau-moi", &err), -1);
	must(store_user_disable(f->st, "chi", &err), &err);
	assert_int_equal(store_user_disable(f->st, "admin", &err), -1); /* not oneself */
	store_logout(f->st);
	assert_int_equal(store_login(f->st, "chi", "mat-khau-chi", &err), -1); /* disabled */
	/* the password is stored only as an Argon2id hash */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT pwhash FROM account WHERE name = 'an'", -1, &stmt, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_memory_equal(sqlite3_column_text(stmt, 0), "$argon2id$", 10);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	/* with accounts, nothing changes without a login */
	struct store_kv kv[] = {{"name", "Khác"}, {"field", "khac"}, {"unit_code", "595"}};
	assert_int_equal(store_record_insert(f->st, "model", kv, 3, NULL, &err), -1);
	assert_int_equal(store_record_update(f->st, "model", f->model, kv, 1, &err), -1);
}

static void test_states_and_permissions(void **state)
{
	struct fixture *f = *state;
	struct mh_error err;
	/* an officer cannot approve; a draft cannot be approved */
	login(f, "an", "mat-khau-an");
	assert_int_equal(store_review_approve(f->st, f->model, 0, &err), -1);
	must(store_review_submit(f->st, f->model, &err), &err);
	assert_string_equal(state_of(f), "submitted");
	assert_int_equal(store_review_submit(f->st, f->model, &err), -1); /* already */
	/* a leader returns it with a reason (an empty one, or one too long, refused) */
	login(f, "chi", "mat-khau-chi");
	assert_int_equal(store_review_return(f->st, f->model, "   ", 0, &err), -1);
	char *huge = xalloc_calloc(1, 10u << 20);
	memset(huge, 'a', (10u << 20) - 1);
	assert_int_equal(store_review_return(f->st, f->model, huge, 0, &err), -1);
	free(huge);
	must(store_review_return(f->st, f->model, "Thiếu ngày ra mắt", 0, &err), &err);
	assert_string_equal(state_of(f), "returned");
	/* a returned record cannot be approved before it is submitted again */
	assert_int_equal(store_review_approve(f->st, f->model, 0, &err), -1);
	login(f, "binh", "mat-khau-binh");
	struct store_kv date[] = {{"launched_on", "2017-10-20"}};
	must(store_record_update(f->st, "model", f->model, date, 1, &err), &err);
	must(store_review_submit(f->st, f->model, &err), &err);
	/* nobody approves a record they prepared */
	assert_int_equal(store_review_approve(f->st, f->model, 0, &err), -1);
	assert_int_equal(err.code, MH_EFAIL);
	/* a record changed while open for review: the reviewer is told */
	login(f, "chi", "mat-khau-chi");
	struct store_review_row seen;
	must(store_review_get(f->st, f->model, &seen, &err), &err);
	login(f, "binh", "mat-khau-binh");
	struct store_kv pilot[] = {{"is_pilot", "1"}};
	must(store_record_update(f->st, "model", f->model, pilot, 1, &err), &err);
	login(f, "chi", "mat-khau-chi");
	assert_int_equal(store_review_approve(f->st, f->model, seen.rev, &err), -1);
	must(store_review_get(f->st, f->model, &seen, &err), &err);
	struct strbuf diff;
	strbuf_init(&diff);
	must(store_review_diff(f->st, f->model, &diff, &err), &err);
	if (!strstr(diff.buf, "is_pilot: ∅ → 1"))
		fail_msg("diff: %s (%s)", diff.buf, err.msg);
	must(store_review_approve(f->st, f->model, seen.rev, &err), &err);
	must(store_review_get(f->st, f->model, &seen, &err), &err);
	assert_string_equal(seen.state, "approved");
	assert_string_equal(seen.prepared_by, "binh");
	assert_string_equal(seen.approved_by, "chi");
	/* approved: locked until a leader reopens it with a reason */
	assert_int_equal(store_record_update(f->st, "model", f->model, date, 1, &err), -1);
	assert_int_equal(store_record_delete(f->st, "model", f->model, &err), -1);
	assert_int_equal(store_review_reopen(f->st, f->model, "", &err), -1);
	must(store_review_reopen(f->st, f->model, "Cập nhật số liệu", &err), &err);
	assert_string_equal(state_of(f), "returned");
	strbuf_reset(&diff);
	must(store_review_diff(f->st, f->model, &diff, &err), &err);
	assert_string_equal(diff.buf, "nothing changed since it was approved\n");
	strbuf_release(&diff);
}

static void test_audit_chain(void **state)
{
	struct fixture *f = *state;
	struct mh_error err;
	char broken[256];
	must(store_audit_verify(f->st, broken, sizeof broken, &err), &err);
	assert_string_equal(broken, "");
	/* an entry edited behind the program's back, then one deleted */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "CREATE TEMP TABLE was AS SELECT new FROM audit WHERE seq = 2", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE audit SET new = 'Camera' WHERE seq = 2", NULL, NULL, NULL),
	                 SQLITE_OK);
	must(store_audit_verify(f->st, broken, sizeof broken, &err), &err);
	assert_memory_equal(broken, "entry 2 ", 8);
	/* put back, then an entry deleted */
	assert_int_equal(
	    sqlite3_exec(db, "UPDATE audit SET new = (SELECT new FROM temp.was) WHERE seq = 2", NULL, NULL, NULL),
	    SQLITE_OK);
	must(store_audit_verify(f->st, broken, sizeof broken, &err), &err);
	assert_string_equal(broken, "");
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 3", NULL, NULL, NULL), SQLITE_OK);
	must(store_audit_verify(f->st, broken, sizeof broken, &err), &err);
	assert_memory_equal(broken, "entry 4 ", 8);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_states_and_permissions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
