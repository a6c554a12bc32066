#include "fuzz.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"

const char *const fuzz_name = "fuzz-fold";
const char *const fuzz_seeds[] = {"\xC4\x90\xE1\xBB\xA9"
                                  "c Th\xE1\xBA\xAF"
                                  "ng",
                                  "NG\xC6\xAF\xE1\xBB\x9CI", "x", NULL};

void fuzz_one(const uint8_t *data, size_t n)
{
	struct strbuf out;
	strbuf_init(&out);
	vn_fold((const char *)data, n, &out);
	/* folding what is folded changes nothing */
	struct strbuf again;
	strbuf_init(&again);
	vn_fold(out.buf, out.len, &again);
	FUZZ_CHECK(again.len == out.len);
	strbuf_reset(&out);
	size_t cols = vn_fit((const char *)data, n, 17, 1, &out);
	FUZZ_CHECK(cols == 17);
	FUZZ_CHECK(vn_width(out.buf, out.len) == 17);
	strbuf_release(&out);
	strbuf_release(&again);
}
