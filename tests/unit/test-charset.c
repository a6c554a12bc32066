/* Legacy encodings: the shared fixtures byte for byte, every letter of the
 * letter table, detection, writing, and bad bytes. */
#include "testutil.h"

#include "charset.h"
#include "utf8.h"
#include "vn.h"

static const struct {
	const char *file;
	enum charset_enc enc;
} fixtures[] = {
    {"sentences.cp1258.txt", CHARSET_CP1258},       {"sentences.viscii.txt", CHARSET_VISCII},
    {"sentences.tcvn5712-1.txt", CHARSET_TCVN5712}, {"sentences.tcvn3-abc.txt", CHARSET_TCVN3},
    {"sentences.vni-win.txt", CHARSET_VNI},         {"sentences.utf8-nfd.txt", CHARSET_UTF8},
    {"sentences.utf8-nfc.txt", CHARSET_UTF8},
};

static void test_fixtures_decode_exactly(void **state)
{
	(void)state;
	struct strbuf want, in, out;
	strbuf_init(&want);
	testutil_read("sentences.utf8-nfc.txt", &want);
	for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
		strbuf_init(&in);
		strbuf_init(&out);
		testutil_read(fixtures[i].file, &in);
		struct mh_error err;
		if (charset_decode(fixtures[i].enc, in.buf, in.len, &out, &err) < 0)
			fail_msg("%s: %s", fixtures[i].file, err.msg);
		if (strcmp(out.buf, want.buf) != 0)
			fail_msg("%s decodes to:\n%s", fixtures[i].file, out.buf);
		/* and auto picks the encoding */
		assert_int_equal(charset_detect(in.buf, in.len), fixtures[i].enc);
		strbuf_reset(&out);
		assert_int_equal(charset_decode(CHARSET_AUTO, in.buf, in.len, &out, NULL), 0);
		assert_string_equal(out.buf, want.buf);
		strbuf_release(&in);
		strbuf_release(&out);
	}
	strbuf_release(&want);
}

static int hexbytes(const char *hex, char *out)
{
	int n = 0;
	for (char *end; *hex; hex = end) {
		long v = strtol(hex, &end, 16);
		if (end == hex)
			break;
		out[n++] = (char)v;
	}
	return n;
}

/* letters.tsv: letter, utf8, viscii, tcvn5712-1, cp1258, tcvn3, vni */
static void test_every_letter(void **state)
{
	(void)state;
	static const enum charset_enc cols[] = {CHARSET_UTF8,   CHARSET_VISCII, CHARSET_TCVN5712,
	                                        CHARSET_CP1258, CHARSET_TCVN3,  CHARSET_VNI};
	struct strbuf tsv;
	strbuf_init(&tsv);
	testutil_read("letters.tsv", &tsv);
	int letters = 0;
	char *save = NULL;
	strtok_r(tsv.buf, "\n", &save); /* header */
	for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[7], *s2 = NULL;
		int nf = 0;
		for (char *p = strtok_r(line, "\t", &s2); p && nf < 7; p = strtok_r(NULL, "\t", &s2))
			f[nf++] = p;
		assert_int_equal(nf, 7);
		letters++;
		for (int c = 0; c < 6; c++) {
			char bytes[8];
			int n = hexbytes(f[c + 1], bytes);
			struct strbuf out;
			strbuf_init(&out);
			struct mh_error err;
			if (charset_decode(cols[c], bytes, (size_t)n, &out, &err) < 0)
				fail_msg("%s in %s: %s", f[0], charset_name(cols[c]), err.msg);
			if (cols[c] == CHARSET_TCVN3 && strcmp(out.buf, f[0]) != 0) {
				/* TCVN3 has no upper-case toned letters: alone, they read lower case */
				struct strbuf lower;
				strbuf_init(&lower);
				vn_lower(f[0], strlen(f[0]), &lower);
				assert_string_equal(out.buf, lower.buf);
				strbuf_release(&lower);
			} else if (strcmp(out.buf, f[0]) != 0) {
				fail_msg("%s in %s decodes to %s", f[0], charset_name(cols[c]), out.buf);
			}
			strbuf_release(&out);
		}
	}
	assert_int_equal(letters, 146);
	strbuf_release(&tsv);
}

static void test_tcvn3_capitals_inside_capital_words(void **state)
{
	(void)state;
	struct strbuf out;
	strbuf_init(&out);
	/* "ủY BAN" and "TỉNH" as typed with the .VnTimeH fonts; "Ủy" alone cannot be told */
	const char in[] = "\xf1Y BAN T\xd8NH \xf1y";
	assert_int_equal(charset_decode(CHARSET_TCVN3, in, sizeof in - 1, &out, NULL), 0);
	assert_string_equal(out.buf, "ỦY BAN TỈNH ủy");
	strbuf_release(&out);
}

static void test_viqr(void **state)
{
	(void)state;
	struct strbuf out;
	strbuf_init(&out);
	const char *in = "Tie^'ng Vie^.t, DDu+o+`ng pho^'. Ha\\.";
	assert_int_equal(charset_decode(CHARSET_VIQR, in, strlen(in), &out, NULL), 0);
	assert_string_equal(out.buf, "Tiếng Việt, Đường phố. Ha.");
	assert_int_equal(charset_detect(in, strlen(in)), CHARSET_VIQR);
	assert_int_equal(charset_detect("plain ASCII text.", 17), CHARSET_UTF8);
	strbuf_release(&out);
}

static void test_encode_writes_the_fixture_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		enum charset_enc enc;
	} out_fixtures[] = {{"sentences.cp1258.txt", CHARSET_CP1258},
	                    {"sentences.viscii.txt", CHARSET_VISCII},
	                    {"sentences.tcvn5712-1.txt", CHARSET_TCVN5712}};
	struct strbuf nfc, nfd;
	strbuf_init(&nfc);
	strbuf_init(&nfd);
	testutil_read("sentences.utf8-nfc.txt", &nfc);
	testutil_read("sentences.utf8-nfd.txt", &nfd);
	for (size_t i = 0; i < 3; i++) {
		struct strbuf want, out, out2;
		strbuf_init(&want);
		strbuf_init(&out);
		strbuf_init(&out2);
		testutil_read(out_fixtures[i].file, &want);
		assert_int_equal(charset_encode(out_fixtures[i].enc, nfc.buf, nfc.len, &out, NULL), 0);
		assert_int_equal(out.len, want.len);
		assert_memory_equal(out.buf, want.buf, want.len);
		/* NFD input is composed first (glibc's iconv fails on it otherwise) */
		assert_int_equal(charset_encode(out_fixtures[i].enc, nfd.buf, nfd.len, &out2, NULL), 0);
		assert_memory_equal(out2.buf, want.buf, want.len);
		strbuf_release(&want);
		strbuf_release(&out);
		strbuf_release(&out2);
	}
	strbuf_release(&nfc);
	strbuf_release(&nfd);
}

static void test_bad_bytes_and_characters(void **state)
{
	(void)state;
	struct strbuf out;
	strbuf_init(&out);
	struct mh_error err;
	assert_int_equal(charset_decode(CHARSET_VNI, "ab\x80", 3, &out, &err), -1);
	assert_int_equal(err.code, MH_EDATA);
	assert_string_equal(err.where, "2");
	assert_int_equal(out.len, 0);
	assert_int_equal(charset_decode(CHARSET_TCVN3, "\xa0", 1, &out, &err), -1);
	assert_int_equal(charset_decode(CHARSET_CP1258, "x\x81", 2, &out, &err), -1);
	assert_string_equal(err.where, "1");
	assert_int_equal(charset_decode(CHARSET_UTF8, "\xC3", 1, &out, &err), -1);
	assert_int_equal(charset_encode(CHARSET_CP1258, "Việt 中", strlen("Việt 中"), &out, &err), -1);
	assert_int_equal(err.code, MH_EDATA);
	assert_int_equal(charset_encode(CHARSET_VNI, "a", 1, &out, &err), -1);
	assert_int_equal(err.code, MH_EUSAGE);
	assert_int_equal(charset_parse("tcvn3"), CHARSET_TCVN3);
	assert_int_equal(charset_parse("klingon"), -1);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_decode_exactly),
	    cmocka_unit_test(test_every_letter),
	    cmocka_unit_test(test_tcvn3_capitals_inside_capital_words),
	    cmocka_unit_test(test_viqr),
	    cmocka_unit_test(test_encode_writes_the_fixture_bytes),
	    cmocka_unit_test(test_bad_bytes_and_characters),
	};
	return cmocka_run_group_tests_name("charset", tests, NULL, NULL);
}
