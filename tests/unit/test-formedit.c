/* The edit screen's model without a terminal: typing (Telex, VNI, marks,
 * paste, the limit), moving, long texts, conditions; and the views a screen
 * draws from it, made and thrown away between any two keys, change nothing. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "formedit.h"
#include "utf8.h"

struct fx {
	struct formdef_set *set;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct formdef_errors errs = {0};
	const char *dir = getenv("MOHINH_FORMS") ? getenv("MOHINH_FORMS") : "forms";
	f->set = formdef_load(dir, &errs);
	if (!f->set)
		fail_msg("the forms of %s do not load", dir);
	formdef_errors_release(&errs);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	formdef_free(f->set);
	free(f);
	return 0;
}

static void type(struct formedit *fe, const char *keys)
{
	for (const char *p = keys; *p;) {
		uint32_t cp;
		int n = utf8_decode(p, strlen(p), &cp);
		formedit_char(fe, cp);
		p += n > 0 ? n : 1;
	}
}

static void assert_text(const struct formedit *fe, size_t i, const char *want)
{
	char *t = formedit_text(fe, i);
	assert_string_equal(t, want);
	free(t);
}

static void test_typing(void **state)
{
	struct fx *x = *state;
	const struct formdef_form *form = formdef_form(x->set, "model");
	struct formedit fe;
	formedit_init(&fe, form, VN_IME_TELEX);
	int name = formedit_find(&fe, "name");
	assert_true(name >= 0);
	formedit_goto(&fe, (size_t)name);
	type(&fe, "Camera an ninh xax Hamf Lieem");
	assert_text(&fe, (size_t)name, "Camera an ninh xã Hàm Liêm");
	assert_true(fe.dirty);
	/* backspace undoes the last letter; a move starts a new word */
	formedit_key(&fe, FORMEDIT_BACKSPACE, 80);
	assert_text(&fe, (size_t)name, "Camera an ninh xã Hàm Liê");
	formedit_key(&fe, FORMEDIT_HOME, 80);
	type(&fe, "Mooj ");
	assert_text(&fe, (size_t)name, "Mộ Camera an ninh xã Hàm Liê");
	formedit_key(&fe, FORMEDIT_DELETE, 80);
	assert_text(&fe, (size_t)name, "Mộ amera an ninh xã Hàm Liê");
	/* a combining mark after its letter, from a terminal that sends NFD */
	formedit_key(&fe, FORMEDIT_END, 80);
	formedit_set_method(&fe, VN_IME_OFF);
	type(&fe, "m a\xcc\x81");
	assert_text(&fe, (size_t)name, "Mộ amera an ninh xã Hàm Liêm á");
	/* paste: NFC, controls gone, a line break a space in a one-line field */
	formedit_set(&fe, (size_t)name, "");
	formedit_paste(&fe, "Vie\xcc\xa3\xcc\x82t\tNam\nm\x01o\xcc\x9b\xcc\x81i");
	assert_text(&fe, (size_t)name, "Việt Nam mới");
	formedit_release(&fe);
	/* VNI */
	formedit_init(&fe, form, VN_IME_VNI);
	formedit_goto(&fe, (size_t)name);
	type(&fe, "Vie65t Nam");
	assert_text(&fe, (size_t)name, "Việt Nam");
	formedit_release(&fe);
}

static void test_limit(void **state)
{
	struct fx *x = *state;
	const struct formdef_form *form = formdef_form(x->set, "point");
	struct formedit fe;
	formedit_init(&fe, form, VN_IME_TELEX);
	int leader = formedit_find(&fe, "leader");
	assert_true(leader >= 0 && form->fields[leader].maxlen == 120);
	formedit_goto(&fe, (size_t)leader);
	char full[200];
	memset(full, 'a', 119);
	full[119] = '\0';
	assert_int_equal(formedit_paste(&fe, full), FORMEDIT_CHANGED);
	/* one more fits; then nothing, said */
	assert_int_equal(formedit_char(&fe, 'b'), FORMEDIT_CHANGED);
	assert_int_equal(formedit_char(&fe, 'c'), FORMEDIT_FULL);
	assert_int_equal(formedit_length(&fe, (size_t)leader), 120);
	/* a mark on the last letter still goes on: no character more */
	formedit_key(&fe, FORMEDIT_BACKSPACE, 80);
	type(&fe, "ee");
	assert_int_equal(formedit_length(&fe, (size_t)leader), 120);
	char *t = formedit_text(&fe, (size_t)leader);
	assert_string_equal(t + strlen(t) - 2, "ê");
	free(t);
	formedit_release(&fe);
}

static void test_long_text(void **state)
{
	struct fx *x = *state;
	const struct formdef_form *form = formdef_form(x->set, "point");
	struct formedit fe;
	formedit_init(&fe, form, VN_IME_OFF);
	int note = formedit_find(&fe, "note");
	formedit_goto(&fe, (size_t)note);
	type(&fe, "one two three four");
	formedit_key(&fe, FORMEDIT_NEWLINE, 10);
	type(&fe, "five");
	assert_text(&fe, (size_t)note, "one two three four\nfive");
	struct formedit_view v;
	formedit_view(&fe, (size_t)note, 10, 5, &v);
	/* wrapped at the words that fit */
	assert_int_equal(v.nrows, 3);
	assert_string_equal(v.rows[0], "one two ");
	assert_string_equal(v.rows[1], "three four");
	assert_string_equal(v.rows[2], "five");
	assert_int_equal(v.cursor_row, 2);
	assert_int_equal(v.cursor_col, 4);
	formedit_view_release(&v);
	/* up keeps the column; up from the first row leaves the field */
	assert_int_equal(formedit_key(&fe, FORMEDIT_UP, 10), 0);
	assert_int_equal(fe.f[note].cursor, strlen("one two thre"));
	formedit_key(&fe, FORMEDIT_UP, 10);
	assert_int_equal(fe.f[note].cursor, 4);
	assert_int_equal(formedit_key(&fe, FORMEDIT_UP, 10), FORMEDIT_OUT);
	/* two rows shown: the view follows the cursor down */
	formedit_key(&fe, FORMEDIT_DOWN, 10);
	formedit_key(&fe, FORMEDIT_DOWN, 10);
	formedit_view(&fe, (size_t)note, 10, 2, &v);
	assert_int_equal(v.nrows, 2);
	assert_string_equal(v.rows[1], "five");
	assert_int_equal(v.cursor_row, 1);
	formedit_view_release(&v);
	assert_int_equal(formedit_key(&fe, FORMEDIT_DOWN, 10), FORMEDIT_OUT);
	formedit_release(&fe);
}

static void test_one_line_scrolls(void **state)
{
	struct fx *x = *state;
	const struct formdef_form *form = formdef_form(x->set, "model");
	struct formedit fe;
	formedit_init(&fe, form, VN_IME_TELEX);
	int name = formedit_find(&fe, "name");
	formedit_goto(&fe, (size_t)name);
	type(&fe, "Khu daan cuw tuwj quanr");
	struct formedit_view v;
	formedit_view(&fe, (size_t)name, 8, 1, &v);
	/* the cursor at the end, in sight, with a column for it */
	assert_string_equal(v.rows[0], "tự quản");
	assert_int_equal(v.cursor_col, 7);
	formedit_view_release(&v);
	formedit_key(&fe, FORMEDIT_HOME, 8);
	formedit_view(&fe, (size_t)name, 8, 1, &v);
	assert_string_equal(v.rows[0], "Khu dân ");
	assert_int_equal(v.cursor_col, 0);
	formedit_view_release(&v);
	formedit_release(&fe);
}

static void test_conditions(void **state)
{
	struct fx *x = *state;
	const struct formdef_form *form = formdef_form(x->set, "point");
	struct formedit fe;
	formedit_init(&fe, form, VN_IME_TELEX);
	int status = formedit_find(&fe, "status"), on = formedit_find(&fe, "status_on");
	assert_false(formedit_visible(&fe, (size_t)on));
	formedit_set(&fe, (size_t)status, "dung");
	assert_true(formedit_visible(&fe, (size_t)on));
	assert_true(formedit_required(&fe, (size_t)on));
	/* stepping skips the hidden fields */
	formedit_set(&fe, (size_t)status, "hoat-dong");
	formedit_goto(&fe, (size_t)status);
	assert_true(formedit_step(&fe, 1));
	assert_int_not_equal(fe.cur, (size_t)on);
	/* a choice takes no typing; backspace clears it whole */
	formedit_set(&fe, (size_t)status, "dung");
	formedit_goto(&fe, (size_t)status);
	assert_int_equal(formedit_char(&fe, 'x'), 0);
	assert_int_equal(formedit_key(&fe, FORMEDIT_BACKSPACE, 40), FORMEDIT_CHANGED);
	assert_int_equal(formedit_length(&fe, (size_t)status), 0);
	formedit_release(&fe);
}

/* The same keys into two models, views of every size made (and freed)
 * before each key of the second: the texts and cursors end the same, for
 * every field of every form. */
static void test_views_change_nothing(void **state)
{
	struct fx *x = *state;
	static const char *const forms[] = {"model", "point", "evaluation", "unit"};
	static const char keys[] = "Mootj hai ba\rboons nawm saur ddaay\x7f\x7fq\x02\x03 tamf";
	for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
		const struct formdef_form *form = formdef_form(x->set, forms[k]);
		assert_non_null(form);
		for (size_t i = 0; i < form->nfields; i++) {
			struct formedit a, b;
			formedit_init(&a, form, VN_IME_TELEX);
			formedit_init(&b, form, VN_IME_TELEX);
			formedit_goto(&a, i);
			formedit_goto(&b, i);
			int size = 0;
			for (const char *p = keys; *p; p++) {
				struct formedit_view v;
				for (int w = 0; w < 3; w++, size++) {
					formedit_view(&b, i, size % 41, size % 7, &v);
					formedit_view_release(&v);
				}
				struct formedit *m[] = {&a, &b};
				for (int j = 0; j < 2; j++) {
					if (*p == '\r')
						formedit_key(m[j], FORMEDIT_NEWLINE, 20);
					else if (*p == '\x7f')
						formedit_key(m[j], FORMEDIT_BACKSPACE, 20);
					else if (*p == '\x02')
						formedit_key(m[j], FORMEDIT_LEFT, 20);
					else if (*p == '\x03')
						formedit_key(m[j], FORMEDIT_UP, 20);
					else
						formedit_char(m[j], (unsigned char)*p);
				}
			}
			char *ta = formedit_text(&a, i), *tb = formedit_text(&b, i);
			assert_string_equal(ta, tb);
			assert_int_equal(a.f[i].cursor, b.f[i].cursor);
			free(ta);
			free(tb);
			formedit_release(&a);
			formedit_release(&b);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_typing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_line_scrolls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_conditions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_views_change_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
