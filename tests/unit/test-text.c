/* The text engine: UTF-8, NFC, width, fitting, folding, sort keys. */
#include "testutil.h"

#include "utf8.h"
#include "vn.h"

static char *nfc(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	struct mh_error err;
	if (vn_nfc(s, strlen(s), &sb, &err) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static char *fold(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	vn_fold(s, strlen(s), &sb);
	return strbuf_detach(&sb, NULL);
}

static char *key(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	vn_sortkey(s, strlen(s), &sb);
	return strbuf_detach(&sb, NULL);
}

static void test_utf8_rejects_bad_sequences(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "\xC0\xAF",         /* overlong '/' */
	    "\xE0\x80\xAF",     /* overlong */
	    "\xED\xA0\x80",     /* surrogate */
	    "\xF4\x90\x80\x80", /* above U+10FFFF */
	    "\x80",             /* lone continuation */
	    "\xE1\xBA",         /* truncated */
	    "\xFF",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		size_t at = 99;
		assert_false(utf8_valid(bad[i], strlen(bad[i]), &at));
		assert_int_equal(at, 0);
		assert_null(nfc(bad[i]));
	}
	assert_false(utf8_valid("a\0b", 3, NULL)); /* NUL inside text */
	assert_true(utf8_valid("Việt", strlen("Việt"), NULL));
	assert_int_equal(utf8_nchars("Việt", strlen("Việt")), 4);
}

static void test_nfc_composes_every_form(void **state)
{
	(void)state;
	/* NFD, half-composed (ê + acute, as CP1258 writes it), NFC */
	char *a = nfc("Ti\x65\xCC\x82\xCC\x81ng"), *b = nfc("Ti\xC3\xAA\xCC\x81ng"), *c = nfc("Tiếng");
	assert_string_equal(a, "Tiếng");
	assert_string_equal(b, "Tiếng");
	assert_string_equal(c, "Tiếng");
	free(a);
	free(b);
	free(c);
	/* dot below before circumflex in NFD order: ệ = e + U+0323 + U+0302 */
	char *d = nfc("vi\x65\xCC\xA3\xCC\x82t");
	assert_string_equal(d, "việt");
	free(d);
	/* a mark with no base letter stays, and is valid */
	char *e = nfc("\xCC\x81"
	              "abc");
	assert_string_equal(e, "\xCC\x81"
	                       "abc");
	free(e);
}

static void test_nfc_repair_marks_bad_bytes(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb);
	assert_int_equal(vn_nfc_repair("a\xFF"
	                               "b",
	                               3, &sb),
	                 1);
	assert_string_equal(sb.buf, "a\xEF\xBF\xBD"
	                            "b");
	strbuf_release(&sb);
}

/* in NFC already: the check a bundle's texts pass */
static void test_is_nfc(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int nfc;
	} cases[] = {
	    {"", 1},
	    {"Thon 3", 1},
	    {"Thôn tự quản", 1},
	    {"Th\x6F\xCC\x82n", 0},          /* ô as o + combining circumflex */
	    {"Ti\x65\xCC\x82\xCC\x81ng", 0}, /* ế in parts */
	    {"\xC3\x85ngstr\xC3\xB6m", 1},   /* Latin letters outside Vietnamese, precomposed */
	    {"\xE2\x84\xAB", 0},             /* the Angstrom sign: NFC makes it Å */
	    {"K\xC3", 0},                    /* cut in the middle of a letter */
	    {"\xED\xA0\x80", 0},             /* a surrogate */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_int_equal(vn_is_nfc(cases[i].s, strlen(cases[i].s)), cases[i].nfc);
}

static void test_width_counts_letters_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(vn_width("Tiếng Việt", strlen("Tiếng Việt")), 10);
	const char *nfd = "Ti\x65\xCC\x82\xCC\x81ng";
	assert_int_equal(vn_width(nfd, strlen(nfd)), 5);
	assert_int_equal(vn_width("a\x1b[31mb", 7), 7); /* controls drawn as one cell each */
	assert_int_equal(vn_width("中文", strlen("中文")), 4);
}

static void test_fit_never_splits_a_letter(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb);
	const char *nfd = "Vie\xCC\xA3\xCC\x82t Nam";
	assert_int_equal(vn_fit(nfd, strlen(nfd), 3, 0, &sb), 3);
	assert_string_equal(sb.buf, "Vie\xCC\xA3\xCC\x82");
	strbuf_reset(&sb);
	assert_int_equal(vn_fit("Đức", strlen("Đức"), 6, 1, &sb), 6);
	assert_string_equal(sb.buf, "Đức   ");
	strbuf_reset(&sb);
	assert_int_equal(vn_fit("中文", strlen("中文"), 3, 1, &sb), 3); /* a wide letter does not fit: pad */
	assert_string_equal(sb.buf, "中 ");
	strbuf_reset(&sb);
	vn_fit("a\x1b"
	       "b\xFF",
	       4, 10, 0, &sb); /* escape and bad byte never reach the screen */
	assert_string_equal(sb.buf, "a\xEF\xBF\xBD"
	                            "b\xEF\xBF\xBD");
	strbuf_release(&sb);
}

static void test_fold(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"Đức Thắng", "duc thang"},
	    {"NGƯỜI", "nguoi"},
	    {"người", "nguoi"},
	    {"Vĩnh Tân", "vinh tan"},
	    {"ỦY BAN", "uy ban"},
	    {"Hòa hoà", "hoa hoa"},
	    {"Ti\x65\xCC\x82\xCC\x81ng", "tieng"},
	    {"Crème Brûlée", "creme brulee"},
	    {"3G, VietGap", "3g, vietgap"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *f = fold(cases[i][0]);
		assert_string_equal(f, cases[i][1]);
		free(f);
	}
}

static int key_cmp(const char *a, const char *b)
{
	char *ka = key(a), *kb = key(b);
	int r = strcmp(ka, kb);
	free(ka);
	free(kb);
	return r < 0 ? -1 : r > 0;
}

static void test_sortkey_vietnamese_order(void **state)
{
	(void)state;
	/* each is before the next */
	static const char *const order[] = {"a", "à", "ả", "ã", "á", "ạ", "ă", "â", "b", "c", "d", "đ",
	                                    "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ",
	                                    "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y"};
	for (size_t i = 0; i + 1 < sizeof order / sizeof *order; i++)
		assert_int_equal(key_cmp(order[i], order[i + 1]), -1);
	assert_int_equal(key_cmp("bạ", "bac"), -1); /* letters first, tones second */
	assert_int_equal(key_cmp("ba", "Ba"), -1);  /* case last, lower first */
	assert_int_equal(key_cmp("Ba", "bà"), -1);
	assert_int_equal(key_cmp("Phan Thiết", "Phanh"), -1);              /* spaces count */
	assert_int_equal(key_cmp("ắn", "az"), 1);                          /* where glibc's strcoll goes wrong */
	assert_int_equal(key_cmp("hoà", "hòa"), -1);                       /* tones compared left to right */
	assert_int_equal(key_cmp("Ti\x65\xCC\x82\xCC\x81ng", "Tiếng"), 0); /* NFD sorts as NFC */
}

static void test_sortkey_is_printable(void **state)
{
	(void)state;
	char *k = key("Xã Vĩnh Tân, 中文 — \x01 \xFF");
	for (const char *p = k; *p; p++)
		assert_true(*p >= 0x21 && *p <= 0x7E);
	free(k);
}

static void test_compare_primary_ignores_tones_and_case(void **state)
{
	(void)state;
	assert_int_equal(vn_compare_primary("Hòa", "hoà"), 0);
	assert_int_equal(vn_compare_primary("THÚY", "thuý"), 0);
	assert_int_not_equal(vn_compare_primary("Đức", "Duc"), 0); /* đ is a letter of its own */
	assert_int_equal(vn_compare_primary("ba", "bă"), -1);
}

static void test_case_mapping(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb);
	vn_lower("ĐỨC THẮNG", strlen("ĐỨC THẮNG"), &sb);
	assert_string_equal(sb.buf, "đức thắng");
	strbuf_reset(&sb);
	vn_upper("ủy", strlen("ủy"), &sb);
	assert_string_equal(sb.buf, "ỦY");
	strbuf_release(&sb);
}

static void test_long_and_hostile_input(void **state)
{
	(void)state;
	size_t n = 10u << 20; /* a line of 10 MB */
	char *big = xalloc_malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = "Vi\xE1\xBB\x87t \xCC\x81\x1b\x80"[i % 11];
	big[n] = '\0';
	struct strbuf sb;
	strbuf_init(&sb);
	vn_nfc_repair(big, n, &sb);
	assert_true(sb.len >= n / 2);
	strbuf_reset(&sb);
	vn_fold(big, n, &sb);
	strbuf_reset(&sb);
	vn_sortkey(big, n, &sb);
	assert_true(sb.len > 0);
	strbuf_release(&sb);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_rejects_bad_sequences),
	    cmocka_unit_test(test_nfc_composes_every_form),
	    cmocka_unit_test(test_nfc_repair_marks_bad_bytes),
	    cmocka_unit_test(test_is_nfc),
	    cmocka_unit_test(test_width_counts_letters_not_bytes),
	    cmocka_unit_test(test_fit_never_splits_a_letter),
	    cmocka_unit_test(test_fold),
	    cmocka_unit_test(test_sortkey_vietnamese_order),
	    cmocka_unit_test(test_sortkey_is_printable),
	    cmocka_unit_test(test_compare_primary_ignores_tones_and_case),
	    cmocka_unit_test(test_case_mapping),
	    cmocka_unit_test(test_long_and_hostile_input),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
