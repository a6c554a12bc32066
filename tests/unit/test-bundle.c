/* The bundle envelope: what was sealed opens unchanged; every cut, every
 * flipped bit, another signer and another recipient are refused. */
#include "testutil.h"

#include <sodium.h>

#include "bundle.h"

struct keys {
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], sign_sk[crypto_sign_SECRETKEYBYTES];
	unsigned char box_pk[crypto_box_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
};

static struct keys district, province, other;

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	struct keys *all[] = {&district, &province, &other};
	for (int i = 0; i < 3; i++) {
		crypto_sign_keypair(all[i]->sign_pk, all[i]->sign_sk);
		crypto_box_keypair(all[i]->box_pk, all[i]->box_sk);
	}
	return 0;
}

static const struct bundle_header head = {.format = 1,
                                          .kind = "data",
                                          .sender = "11111111-1111-4111-8111-111111111111",
                                          .sender_unit = "595",
                                          .recipient = "22222222-2222-4222-8222-222222222222",
                                          .seq = 7,
                                          .created = "2026-11-28T08:00:00Z"};

static void seal(const unsigned char *payload, size_t len, struct strbuf *out)
{
	struct mh_error err;
	struct bundle_header h = head;
	h.payload_len = (long long)len;
	static unsigned char none[1];
	FILE *in = fmemopen(len ? (void *)payload : none, len ? len : 1, "rb");
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_int_equal(bundle_seal(&h, in, district.sign_sk, province.box_pk, f, &err), 0);
	fclose(f);
	fclose(in);
	strbuf_add(out, buf, n);
	free(buf);
}

static int opens(const struct strbuf *b, const struct keys *from, const struct keys *to, unsigned char **p, size_t *n)
{
	struct bundle_header h;
	struct mh_error err;
	FILE *in = fmemopen(b->buf, b->len, "rb");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc = bundle_open(in, from->sign_pk, to->box_pk, to->box_sk, &h, out, &err);
	fclose(out);
	fclose(in);
	if (rc < 0) {
		free(buf);
		return -1;
	}
	*p = (unsigned char *)buf;
	*n = len;
	return 0;
}

static void test_round_trip(void **state)
{
	(void)state;
	size_t sizes[] = {0, 1, 65536, 65537, 200000};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		unsigned char *payload = xalloc_malloc(sizes[k] + 1);
		randombytes_buf(payload, sizes[k]);
		struct strbuf b;
		strbuf_init(&b);
		seal(payload, sizes[k], &b);
		unsigned char *p;
		size_t n;
		assert_int_equal(opens(&b, &district, &province, &p, &n), 0);
		assert_int_equal(n, sizes[k]);
		assert_memory_equal(p, payload, sizes[k]);
		struct bundle_header h;
		struct mh_error err;
		FILE *in = fmemopen(b.buf, b.len, "rb");
		assert_int_equal(bundle_header_read(in, &h, &err), 0);
		fclose(in);
		assert_string_equal(h.sender_unit, "595");
		assert_int_equal(h.seq, 7);
		assert_int_equal(h.payload_len, (long long)sizes[k]);
		free(p);
		free(payload);
		strbuf_release(&b);
	}
}

static void test_damage_refused(void **state)
{
	(void)state;
	const char *text = "hàng của huyện Tuy Phong";
	struct strbuf b;
	strbuf_init(&b);
	seal((const unsigned char *)text, strlen(text), &b);
	unsigned char *p;
	size_t n;
	/* every cut (an empty file is refused before: mh_file_open_regular) */
	for (size_t cut = 1; cut < b.len; cut++) {
		struct strbuf c = {b.buf, cut, 0};
		if (opens(&c, &district, &province, &p, &n) == 0)
			fail_msg("a bundle cut at %zu bytes of %zu opened", cut, b.len);
	}
	/* every bit of every byte */
	for (size_t i = 0; i < b.len; i++)
		for (int bit = 0; bit < 8; bit++) {
			b.buf[i] ^= (char)(1 << bit);
			if (opens(&b, &district, &province, &p, &n) == 0)
				fail_msg("a bundle with bit %d of byte %zu flipped opened", bit, i);
			b.buf[i] ^= (char)(1 << bit);
		}
	/* another signer, another recipient */
	assert_int_equal(opens(&b, &other, &province, &p, &n), -1);
	assert_int_equal(opens(&b, &district, &other, &p, &n), -1);
	assert_int_equal(opens(&b, &district, &province, &p, &n), 0);
	free(p);
	/* not a bundle at all */
	struct strbuf junk = {(char *)"\x89PNG\r\n\x1a\n....", 12, 0};
	assert_int_equal(opens(&junk, &district, &province, &p, &n), -1);
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_damage_refused),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
