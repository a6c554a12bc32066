/* The Telex and VNI engine: every rule of the issue, the edit protocol, and
 * a round trip over a large table of syllables (word -> keys -> word). */
#include "testutil.h"

#include "utf8.h"
#include "vn-ime.h"

/* Types keys ("<BackSpace>" is the backspace key) and returns the text. */
static char *type(enum vn_ime_method m, int modern, const char *keys)
{
	struct vn_ime ime;
	vn_ime_init(&ime, m, modern);
	struct strbuf text;
	strbuf_init(&text);
	size_t n = strlen(keys), i = 0;
	while (i < n) {
		uint32_t key;
		if (strncmp(keys + i, "<BackSpace>", 11) == 0) {
			key = VN_IME_BACKSPACE;
			i += 11;
		} else {
			int len = utf8_decode(keys + i, n - i, &key);
			assert_true(len > 0);
			i += (size_t)len;
		}
		struct vn_ime_edit e;
		vn_ime_key(&ime, key, &e);
		for (size_t d = 0; d < e.del && text.len > 0; d++) /* a backspace at the start deletes nothing */
			strbuf_truncate(&text, utf8_last_start(text.buf, text.len));
		strbuf_adds(&text, e.ins);
		if (key == VN_IME_BACKSPACE)
			vn_ime_set_context(&ime, text.buf, text.len);
	}
	return strbuf_detach(&text, NULL);
}

static void expect(enum vn_ime_method m, int modern, const char *keys, const char *want)
{
	char *got = type(m, modern, keys);
	if (strcmp(got, want) != 0)
		fail_msg("%s %s: keys \"%s\" gave \"%s\", want \"%s\"", m == VN_IME_TELEX ? "telex" : "vni",
		         modern ? "modern" : "traditional", keys, got, want);
	free(got);
}

static void test_telex_rules(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    /* modifiers and tones */
	    {"tieengs", "tiếng"},
	    {"Vieejt", "Việt"},
	    {"nawm", "năm"},
	    {"dduwowngf", "đường"},
	    {"tw", "tư"},
	    {"w", "ư"},
	    {"vieetj", "việt"},
	    {"toansz", "toan"},
	    /* modifiers later in the syllable */
	    {"nguoiwf", "người"},
	    {"truongwf", "trường"},
	    {"did", "đi"},
	    {"thuowr", "thuở"},
	    {"thuowng", "thương"},
	    /* repeating undoes and types the letter */
	    {"ass", "as"},
	    {"aaa", "aa"},
	    {"ddd", "dd"},
	    {"ww", "w"},
	    {"asf", "à"},
	    /* tone placement, re-placed as the syllable grows */
	    {"toasn", "toán"},
	    {"hoafng", "hoàng"},
	    {"quys", "quý"},
	    {"gieets", "giết"},
	    {"gif", "gì"},
	    {"hoaf", "hòa"},
	    {"thuys", "thúy"},
	    {"khoer", "khỏe"},
	    {"huyfnh", "huỳnh"},
	    {"muaw", "mưa"},
	    {"hoawjc", "hoặc"},
	    {"ruwowuj", "rượu"},
	    {"nguwowif", "người"},
	    {"giuwx", "giữ"},
	    /* c, ch, p, t take only sắc and nặng */
	    {"cacs", "các"},
	    {"cacj", "cạc"},
	    {"cacf", "cacf"},
	    {"sachx", "sachx"},
	    /* case */
	    {"DDUWCS", "ĐỨC"},
	    {"DDaf", "Đà"},
	    {"VIEETJ NAM", "VIỆT NAM"},
	    /* not Vietnamese: left as typed */
	    {"VietGap", "VietGap"},
	    {"ASEAN", "ASEAN"},
	    {"email@x.vn", "email@x.vn"},
	    {"3G", "3G"},
	    {"fix", "fix"},
	    /* whole phrases */
	    {"Thoon tuwj quanr choongs ma tuys", "Thôn tự quản chống ma túy"},
	    {"Coong an huyeenj Tuy Phong", "Công an huyện Tuy Phong"},
	    /* backspace removes the last character shown, the word goes on */
	    {"vieet<BackSpace>ts", "viết"},
	    {"tieengs<BackSpace>", "tiến"},
	    {"ab<BackSpace><BackSpace><BackSpace>c", "c"},
	    {"Vieet <BackSpace>j", "Việt"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		expect(VN_IME_TELEX, 0, cases[i][0], cases[i][1]);
	/* a circumflex undone doubles the letter, and the tone after it still applies */
	static const char *const doubled[][2] = {
	    {"cooocs", "coóc"},  {"booongs", "boóng"}, {"chooongf", "choòng"},
	    {"xooong", "xoong"}, {"coooo", "coooo"},   {"khoong", "không"},
	};
	for (size_t i = 0; i < sizeof doubled / sizeof *doubled; i++)
		expect(VN_IME_TELEX, 0, doubled[i][0], doubled[i][1]);
}

static void test_modern_style(void **state)
{
	(void)state;
	expect(VN_IME_TELEX, 1, "hoaf", "hoà");
	expect(VN_IME_TELEX, 1, "thuys", "thuý");
	expect(VN_IME_TELEX, 1, "khoer", "khoẻ");
	expect(VN_IME_TELEX, 1, "hoafng", "hoàng"); /* closed: the same in both styles */
	expect(VN_IME_TELEX, 1, "muaf", "mùa");
}

static void test_vni_rules(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
	    {"tie61ng", "tiếng"},
	    {"Vie65t", "Việt"},
	    {"nguo72i", "người"},
	    {"d9u7o72ng", "đường"},
	    {"a11", "a1"},
	    {"a12", "à"},
	    {"toan10", "toan"},
	    {"na8m", "năm"},
	    {"Ha2 No65i", "Hà Nội"},
	    {"3G", "3G"},
	    {"D9U71C", "ĐỨC"},
	    {"hoa2", "hòa"},
	    /* a word of two syllables: the mark goes to its last */
	    {"pala8ng", "palăng"},
	    {"ABC1", "ABC1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		expect(VN_IME_VNI, 0, cases[i][0], cases[i][1]);
}

static void test_edit_protocol(void **state)
{
	(void)state;
	struct vn_ime ime;
	vn_ime_init(&ime, VN_IME_TELEX, 0);
	struct vn_ime_edit e;
	const char *keys = "toasn";
	static const struct {
		size_t del;
		const char *ins;
	} want[] = {{0, "t"}, {0, "o"}, {0, "a"}, {2, "óa"}, {2, "oán"}};
	for (int i = 0; keys[i]; i++) {
		vn_ime_key(&ime, (uint32_t)keys[i], &e);
		assert_int_equal(e.del, want[i].del);
		assert_string_equal(e.ins, want[i].ins);
	}
	vn_ime_key(&ime, VN_IME_BACKSPACE, &e);
	assert_int_equal(e.del, 1);
	assert_string_equal(e.ins, "");
	/* off: every key is itself */
	vn_ime_init(&ime, VN_IME_OFF, 0);
	vn_ime_key(&ime, 's', &e);
	assert_string_equal(e.ins, "s");
}

/* Keys for a syllable: letters with their modifier keys, the tone key last. */
static int keys_of(const char *word, enum vn_ime_method m, struct strbuf *keys)
{
	static const char *const telex_tone = "\0frxsj", *const vni_tone = "\0"
	                                                                   "23415";
	size_t n = strlen(word), i = 0;
	int tone = 0;
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(word + i, n - i, &cp);
		struct vn_letter l;
		if (len < 0 || !vn_letter_of(cp, &l))
			return -1;
		i += (size_t)len;
		char base = (char)(l.upper ? l.base - 32 : l.base);
		strbuf_addc(keys, base);
		if (l.tone)
			tone = l.tone;
		if (l.mark && m == VN_IME_TELEX)
			strbuf_addc(keys, l.mark == '^' || l.mark == '-' ? base : (char)(l.upper ? 'W' : 'w'));
		else if (l.mark)
			strbuf_addc(keys, l.mark == '^' ? '6' : l.mark == '+' ? '7' : l.mark == '(' ? '8' : '9');
	}
	if (tone)
		strbuf_addc(keys, (m == VN_IME_TELEX ? telex_tone : vni_tone)[tone]);
	return 0;
}

static void round_trip(enum vn_ime_method m)
{
	struct strbuf all, keys;
	strbuf_init(&all);
	strbuf_init(&keys);
	testutil_read("words.txt", &all);
	long words = 0, bad = 0;
	char *save = NULL;
	for (char *w = strtok_r(all.buf, " \n-0123456789", &save); w; w = strtok_r(NULL, " \n-0123456789", &save)) {
		strbuf_reset(&keys);
		if (keys_of(w, m, &keys) < 0)
			continue;
		/* traditional placement, or modern for the words written so (hoà) */
		char *got = type(m, 0, keys.buf);
		if (strcmp(got, w) != 0) {
			free(got);
			got = type(m, 1, keys.buf);
		}
		words++;
		if (strcmp(got, w) != 0 && bad++ < 10)
			fprintf(stderr, "round trip: %s -> %s -> %s\n", w, keys.buf, got);
		free(got);
	}
	strbuf_release(&all);
	strbuf_release(&keys);
	fprintf(stderr, "round trip (%s): %ld words, %ld wrong\n", m == VN_IME_TELEX ? "telex" : "vni", words, bad);
	assert_true(words > 40000);
	assert_int_equal(bad, 0);
}

static void test_round_trip_telex(void **state)
{
	(void)state;
	round_trip(VN_IME_TELEX);
}

static void test_round_trip_vni(void **state)
{
	(void)state;
	round_trip(VN_IME_VNI);
}

static void test_hostile_keys(void **state)
{
	(void)state;
	struct vn_ime ime;
	vn_ime_init(&ime, VN_IME_TELEX, 0);
	struct vn_ime_edit e;
	/* a very long word, control keys, other scripts, backspace into nothing */
	for (int i = 0; i < 5000; i++)
		vn_ime_key(&ime, (uint32_t) "aswfjdzo"[i % 8], &e);
	vn_ime_key(&ime, 0x1b, &e);
	vn_ime_key(&ime, 0x4E2D, &e);
	assert_string_equal(e.ins, "中");
	for (int i = 0; i < 10; i++)
		vn_ime_key(&ime, VN_IME_BACKSPACE, &e);
	vn_ime_set_context(&ime, "\xFF\xFE", 2);
	vn_ime_key(&ime, 'a', &e);
	assert_string_equal(e.ins, "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_telex_rules),      cmocka_unit_test(test_modern_style),
	    cmocka_unit_test(test_vni_rules),        cmocka_unit_test(test_edit_protocol),
	    cmocka_unit_test(test_round_trip_telex), cmocka_unit_test(test_round_trip_vni),
	    cmocka_unit_test(test_hostile_keys),
	};
	return cmocka_run_group_tests_name("ime", tests, NULL, NULL);
}
