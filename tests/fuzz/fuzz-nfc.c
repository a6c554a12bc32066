#include "fuzz.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"

const char *const fuzz_name = "fuzz-nfc";
const char *const fuzz_seeds[] = {"Ti\x65\xCC\x82\xCC\x81ng Vi\xE1\xBB\x87t", "\xC3\xAA\xCC\x81", "abc", "", NULL};

void fuzz_one(const uint8_t *data, size_t n)
{
	struct strbuf out;
	strbuf_init(&out);
	struct mh_error err;
	int valid = utf8_valid((const char *)data, n, NULL);
	int rc = vn_nfc((const char *)data, n, &out, &err);
	FUZZ_CHECK((rc == 0) == valid);
	if (rc == 0)
		FUZZ_CHECK(utf8_valid(out.buf, out.len, NULL) || n == 0);
	strbuf_reset(&out);
	vn_nfc_repair((const char *)data, n, &out);
	FUZZ_CHECK(utf8_valid(out.buf, out.len, NULL) || out.len == 0);
	strbuf_release(&out);
}
