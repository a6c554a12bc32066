/* The use cases both front-ends share: a record saved under its form's rules
 * whoever saves it (the screen, mohinh edit). */
#include "testutil.h"

#include "app.h"

struct fx {
	char *dir;
	struct store *st;
	struct formdef_set *forms;
	char model[STORE_ID_LEN + 1];
};

static int setup(void **state)
{
	struct fx *f = xalloc_calloc(1, sizeof *f);
	f->dir = testutil_tmpdir();
	char *path = xalloc_printf("%s/office.db", f->dir);
	struct mh_error err;
	f->st = testutil_office_create(path, "60", "2017-01-01", NULL, &err);
	free(path);
	if (!f->st)
		fail_msg("%s", err.msg);
	struct formdef_errors errs = {0};
	f->forms = formdef_load(getenv("MOHINH_FORMS") ? getenv("MOHINH_FORMS") : "forms", &errs);
	formdef_errors_release(&errs);
	assert_non_null(f->forms);
	INSERT(f->st, "model", f->model, {"name", "Tổ tự quản"}, {"field", "khac"}, {"unit_code", "595"});
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	formdef_free(f->forms);
	store_free(f->st);
	testutil_rmdir(f->dir);
	free(f);
	return 0;
}

static void test_required_when_and_hidden(void **state)
{
	struct fx *f = *state;
	struct mh_error err;
	char id[STORE_ID_LEN + 1];
	const struct store_kv point[] = {
	    {"model_id", f->model}, {"unit_code", "22984"}, {"status", "hoat-dong"}, {"launched_on", "2017-03-01"}};
	assert_int_equal(app_record_save(f->st, f->forms, "point", NULL, point, 4, id, &err), 0);
	/* stopped: the day it stopped is required, as on the form */
	const struct store_kv stop[] = {{"status", "dung"}};
	assert_int_equal(app_record_save(f->st, f->forms, "point", id, stop, 1, NULL, &err), -1);
	assert_string_equal(err.where, "status_on");
	char *v = store_record_value(f->st, "point", id, "status");
	assert_string_equal(v, "hoat-dong"); /* nothing changed */
	free(v);
	const struct store_kv stopped[] = {{"status", "dung"}, {"status_on", "2018-05-01"}};
	assert_int_equal(app_record_save(f->st, f->forms, "point", id, stopped, 2, NULL, &err), 0);
	/* working again: the stop day is hidden, so it holds nothing */
	const struct store_kv again[] = {{"status", "hoat-dong"}};
	assert_int_equal(app_record_save(f->st, f->forms, "point", id, again, 1, NULL, &err), 0);
	v = store_record_value(f->st, "point", id, "status_on");
	assert_true(v == NULL || *v == '\0');
	free(v);
	/* a hidden field given a value holds nothing either */
	const struct store_kv hidden[] = {{"status_on", "2019-01-01"}};
	assert_int_equal(app_record_save(f->st, f->forms, "point", id, hidden, 1, NULL, &err), 0);
	v = store_record_value(f->st, "point", id, "status_on");
	assert_true(v == NULL || *v == '\0');
	free(v);
}

static void test_required_on_insert(void **state)
{
	struct fx *f = *state;
	struct mh_error err;
	char id[STORE_ID_LEN + 1];
	const struct store_kv no_name[] = {{"field", "khac"}, {"unit_code", "595"}};
	assert_int_equal(app_record_save(f->st, f->forms, "model", NULL, no_name, 2, id, &err), -1);
	assert_string_equal(err.where, "name");
	/* without forms, the store's own checks */
	const struct store_kv named[] = {{"name", "Camera"}, {"field", "khac"}, {"unit_code", "595"}};
	assert_int_equal(app_record_save(f->st, NULL, "model", NULL, named, 3, id, &err), 0);
}

/* An old unit from its form: the form's rules first (the name it lacks is
 * named), then the unit table's own (its code, its parent). */
static void test_old_unit(void **state)
{
	struct fx *f = *state;
	struct mh_error err;
	char code[STORE_ID_LEN + 1] = "";
	const struct store_kv nameless[] = {{"code", "22949"}, {"parent_code", "593"}, {"type", "Phường"}};
	assert_int_equal(app_record_save(f->st, f->forms, "unit", NULL, nameless, 3, code, &err), -1);
	assert_string_equal(err.where, "name");
	const struct store_kv twice[] = {
	    {"code", "595"}, {"parent_code", "593"}, {"type", "Phường"}, {"name", "Phường Đức Thắng"}};
	assert_int_equal(app_record_save(f->st, f->forms, "unit", NULL, twice, 4, code, &err), -1);
	assert_string_equal(err.where, "code");
	const struct store_kv old[] = {{"code", "22949"},
	                               {"parent_code", "593"},
	                               {"type", "Phường"},
	                               {"name", "Phường Đức Thắng"},
	                               {"valid_to", "2024-10-31"}};
	assert_int_equal(app_record_save(f->st, f->forms, "unit", NULL, old, 5, code, &err), 0);
	assert_string_equal(code, "22949");
	assert_int_equal(app_record_save(f->st, f->forms, "unit", "22949", old, 1, NULL, &err), -1);
}

/* Two officers on one file: each saves over what the other saved while the
 * form was open; a field both changed is given back, both versions. */
static void test_save_over(void **state)
{
	struct fx *f = *state;
	struct mh_error err;
	char *path = xalloc_printf("%s/office.db", f->dir);
	struct store *other = store_open(path, STORE_WRITE, &err);
	free(path);
	assert_non_null(other);
	store_set_user(other, "binh");
	const struct formdef_form *form = formdef_form(f->forms, "model");
	char **base = xalloc_calloc(form->nfields, sizeof *base);
	struct store_kv *kv = xalloc_calloc(form->nfields, sizeof *kv);
	for (size_t i = 0; i < form->nfields; i++) {
		base[i] = store_record_value(f->st, "model", f->model, form->fields[i].id);
		kv[i] = (struct store_kv){form->fields[i].id, base[i]};
	}
	int desc = -1;
	for (size_t i = 0; i < form->nfields; i++)
		if (strcmp(form->fields[i].id, "description") == 0)
			desc = (int)i;
	assert_true(desc >= 0);
	/* the other renames it; this one, its form still open, writes the description */
	const struct store_kv rename[] = {{"name", "Tổ tự quản an ninh"}};
	assert_int_equal(app_record_save(other, f->forms, "model", f->model, rename, 1, NULL, &err), 0);
	kv[desc].val = "Họp mỗi tháng";
	struct app_clashes c;
	assert_int_equal(
	    app_record_save_over(f->st, f->forms, "model", f->model, base, kv, form->nfields, NULL, &c, &err), 0);
	assert_int_equal(c.n, 0);
	char *v = store_record_value(f->st, "model", f->model, "name");
	assert_string_equal(v, "Tổ tự quản an ninh"); /* theirs kept */
	free(v);
	v = store_record_value(f->st, "model", f->model, "description");
	assert_string_equal(v, "Họp mỗi tháng"); /* and mine */
	free(v);
	/* both change the description: nothing saved, both given */
	for (size_t i = 0; i < form->nfields; i++) {
		free(base[i]);
		base[i] = store_record_value(f->st, "model", f->model, form->fields[i].id);
		kv[i].val = base[i];
	}
	const struct store_kv theirs[] = {{"description", "Họp mỗi quý"}};
	assert_int_equal(app_record_save(other, f->forms, "model", f->model, theirs, 1, NULL, &err), 0);
	kv[desc].val = "Họp mỗi tuần";
	assert_int_equal(
	    app_record_save_over(f->st, f->forms, "model", f->model, base, kv, form->nfields, NULL, &c, &err), -1);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].field, "description");
	assert_string_equal(c.v[0].theirs, "Họp mỗi quý");
	assert_string_equal(c.v[0].mine, "Họp mỗi tuần");
	assert_string_equal(c.v[0].who, "binh"); /* who saved theirs, whoever changed the record last */
	assert_string_equal(err.where, "description");
	v = store_record_value(f->st, "model", f->model, "description");
	assert_string_equal(v, "Họp mỗi quý");
	free(v);
	/* seen both, this person keeps theirs as the base and saves again: mine wins, theirs is in the history */
	free(base[desc]);
	base[desc] = xalloc_strdup(c.v[0].theirs);
	app_clashes_release(&c);
	assert_int_equal(
	    app_record_save_over(f->st, f->forms, "model", f->model, base, kv, form->nfields, NULL, &c, &err), 0);
	v = store_record_value(other, "model", f->model, "description");
	assert_string_equal(v, "Họp mỗi tuần");
	free(v);
	struct store_check_report r;
	assert_int_equal(store_check(other, &r, &err), 0);
	assert_string_equal(r.audit_broken, "");
	for (size_t i = 0; i < form->nfields; i++)
		free(base[i]);
	free(base);
	free(kv);
	store_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_required_when_and_hidden, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_old_unit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_save_over, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_required_on_insert, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
