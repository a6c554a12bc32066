/* Form definitions: the project's own files, every kind of error with its
 * line, and the values typed on a form. */
#include "testutil.h"

#include "formdef.h"

static void test_project_forms_load(void **state)
{
	(void)state;
	struct formdef_errors errs = {NULL, 0};
	const char *dir = getenv("MOHINH_FORMS") ? getenv("MOHINH_FORMS") : "forms";
	struct formdef_set *set = formdef_load(dir, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	assert_non_null(set);
	assert_int_equal(errs.n, 0);
	static const char *const forms[] = {"model", "point", "evaluation", "unit"};
	for (size_t i = 0; i < 4; i++)
		assert_non_null(formdef_form(set, forms[i]));
	const struct formdef_form *point = formdef_form(set, "point");
	assert_string_equal(point->title, "Điểm mô hình");
	const struct formdef_list *status = formdef_list(set, "point_status");
	assert_non_null(status);
	assert_string_equal(status->items[2].code, "dung");
	assert_string_equal(status->items[2].label, "Ngừng hoạt động");
	formdef_free(set);
}

static void test_every_error_with_its_line(void **state)
{
	(void)state;
	const char *names[] = {"f/x.form", "f/l.choices"};
	const char *texts[] = {"form x\nversion 1\ntable model\ntitle X\n"
	                       "field name\n  label Tên\n  type text\n  maxlen 0\n"    /* 8: bad maxlen */
	                       "field b\n  label B\n  type choice\n  choices nolist\n" /* 9: no such list */
	                       "field c\n  label C\n  type date\n  show-when b = x = y\n"
	                       "field c\n  label again\n  type text\n" /* 17: twice */
	                       "colour red\n",                         /* 20: unknown */
	                       "a = A\n"};
	struct formdef_errors errs = {NULL, 0};
	formdef_free(formdef_load_texts(names, texts, 2, &errs));
	static const char *const want[] = {"f/x.form:8: ", "f/x.form:17: ", "f/x.form:20: ", "f/x.form:9: "};
	for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
		int found = 0;
		for (size_t i = 0; i < errs.n; i++)
			found |= strncmp(errs.msgs[i], want[w], strlen(want[w])) == 0;
		if (!found)
			fail_msg("no error at %s", want[w]);
	}
	assert_true(errs.n >= 4);
	formdef_errors_release(&errs);
}

static void test_bad_bytes_and_empty(void **state)
{
	(void)state;
	const char *names[] = {"a.form", "b.choices"};
	const char *texts[] = {"form a\nversion 1\ntable model\ntitle \xC3\n", "# nothing\n"};
	struct formdef_errors errs = {NULL, 0};
	formdef_free(formdef_load_texts(names, texts, 2, &errs));
	assert_true(errs.n >= 3); /* bad UTF-8, no title, no field, empty list */
	formdef_errors_release(&errs);
}

static const struct formdef_field *field(const struct formdef_set *set, const char *form, const char *id)
{
	const struct formdef_form *f = formdef_form(set, form);
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].id, id) == 0)
			return &f->fields[i];
	fail_msg("no field %s", id);
	return NULL;
}

static void typed_as(const struct formdef_field *f, const char *typed, const char *want)
{
	char *stored = NULL;
	struct mh_error err;
	int rc = formdef_value(f, typed, &stored, &err);
	if (!want) {
		if (rc == 0)
			fail_msg("'%s' accepted for %s", typed, f->id);
		assert_string_equal(err.where, f->id);
		assert_null(stored);
		return;
	}
	if (rc != 0)
		fail_msg("'%s' refused for %s: %s", typed, f->id, err.msg);
	assert_string_equal(stored ? stored : "", want);
	free(stored);
}

static void test_values_as_typed(void **state)
{
	(void)state;
	struct formdef_errors errs = {NULL, 0};
	struct formdef_set *set = formdef_load(getenv("MOHINH_FORMS") ? getenv("MOHINH_FORMS") : "forms", &errs);
	assert_int_equal(errs.n, 0);
	const struct formdef_field *date = field(set, "model", "launched_on");
	typed_as(date, "15/03/2017", "2017-03-15");
	typed_as(date, "5/3/2017", "2017-03-05");
	typed_as(date, "29/02/2016", "2016-02-29");
	typed_as(date, "31/02/2017", NULL);
	typed_as(date, "2017-13-01", NULL);
	typed_as(date, "29/02/2017", NULL);
	/* as officers type them: a two-digit year is 20yy */
	typed_as(date, "15/03/17", "2017-03-15");
	typed_as(date, "20102017", "2017-10-20");
	typed_as(date, "20-10-2017", "2017-10-20");
	typed_as(date, "20.10.2017", "2017-10-20");
	typed_as(date, "1/7/25", "2025-07-01");
	typed_as(date, "201017", "2017-10-20");
	typed_as(date, "20/10.2017", NULL);
	typed_as(date, "1/7/125", NULL);
	typed_as(date, "32102017", NULL);
	typed_as(date, "2010201", NULL);
	typed_as(date, "", "");
	const struct formdef_field *teams = field(set, "point", "teams");
	typed_as(teams, "12", "12");
	typed_as(teams, " 7 ", "7");
	typed_as(teams, "12a", NULL);
	typed_as(teams, "-1", NULL);
	typed_as(teams, "10000", NULL);
	const struct formdef_field *name = field(set, "model", "name");
	typed_as(name, "  Thôn tự quản  ", "Thôn tự quản");
	typed_as(name, "Tho\xCC\x82n", "Thôn"); /* NFD is composed */
	typed_as(name, "a\nb", NULL);
	typed_as(name, "\xFF", NULL);
	char long_name[300];
	memset(long_name, 'x', 251);
	long_name[251] = '\0';
	typed_as(name, long_name, NULL);
	const struct formdef_field *pilot = field(set, "model", "is_pilot");
	typed_as(pilot, "Có", "1");
	typed_as(pilot, "KHÔNG", "0");
	typed_as(pilot, "maybe", NULL);
	char *shown = formdef_display(date, "2017-03-15");
	assert_string_equal(shown, "15/03/2017");
	free(shown);
	formdef_free(set);
}

static const char *cond_value(void *ud, const char *f)
{
	(void)f;
	return ud;
}

static void test_conditions(void **state)
{
	(void)state;
	struct formdef_cond c = {"status", "dung"}, any = {"status", NULL}, none = {NULL, NULL};
	assert_true(formdef_cond_holds(&c, cond_value, "dung"));
	assert_false(formdef_cond_holds(&c, cond_value, "hoat-dong"));
	assert_true(formdef_cond_holds(&any, cond_value, "x"));
	assert_false(formdef_cond_holds(&any, cond_value, ""));
	assert_true(formdef_cond_holds(&none, cond_value, NULL));
}

static long field_index(const struct formdef_form *form, const char *id)
{
	for (size_t i = 0; i < form->nfields; i++)
		if (strcmp(form->fields[i].id, id) == 0)
			return (long)i;
	fail_msg("no field %s", id);
	return -1;
}

/* The rules on a point of the project's forms: the stop day shows, and is
 * required, only when the point has stopped. */
static void test_rules(void **state)
{
	(void)state;
	struct formdef_errors errs = {NULL, 0};
	struct formdef_set *set = formdef_load(getenv("MOHINH_FORMS") ? getenv("MOHINH_FORMS") : "forms", &errs);
	assert_int_equal(errs.n, 0);
	const struct formdef_form *point = formdef_form(set, "point");
	const char *vals[64] = {0};
	int hidden[64];
	assert_true(point->nfields <= 64);
	long first_required = -1;
	for (size_t i = 0; i < point->nfields && first_required < 0; i++)
		if (point->fields[i].required)
			first_required = (long)i;
	assert_true(first_required >= 0);
	assert_int_equal(formdef_rules(point, vals, hidden), first_required);
	for (size_t i = 0; i < point->nfields; i++)
		if (point->fields[i].required)
			vals[i] = "x";
	long status = field_index(point, "status"), stop = field_index(point, "status_on");
	vals[status] = "hoat-dong";
	vals[stop] = "2018-03-01";
	assert_int_equal(formdef_rules(point, vals, hidden), -1);
	assert_true(hidden[stop]);
	assert_false(hidden[status]);
	vals[status] = "dung";
	vals[stop] = NULL;
	assert_int_equal(formdef_rules(point, vals, hidden), stop);
	assert_false(hidden[stop]);
	vals[stop] = "";
	assert_int_equal(formdef_rules(point, vals, hidden), stop);
	vals[stop] = "2018-03-01";
	assert_int_equal(formdef_rules(point, vals, hidden), -1);
	formdef_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_project_forms_load),  cmocka_unit_test(test_every_error_with_its_line),
	    cmocka_unit_test(test_bad_bytes_and_empty), cmocka_unit_test(test_values_as_typed),
	    cmocka_unit_test(test_conditions),          cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests_name("formdef", tests, NULL, NULL);
}
