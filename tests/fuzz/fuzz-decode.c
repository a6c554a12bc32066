#include "charset.h"
#include "fuzz.h"
#include "strbuf.h"
#include "utf8.h"

const char *const fuzz_name = "fuzz-decode";
const char *const fuzz_seeds[] = {"C\xab"
                                  "ng an huy\xd6n",
                                  "Co\xe2ng an huye\xe4n",
                                  "Tie^'ng Vie^.t",
                                  "\xf1Y BAN",
                                  "C\xf4ng an huy\xea\xf2n",
                                  NULL};

void fuzz_one(const uint8_t *data, size_t n)
{
	for (int enc = CHARSET_UTF8; enc <= CHARSET_AUTO; enc++) {
		struct strbuf out;
		strbuf_init(&out);
		struct mh_error err;
		if (charset_decode((enum charset_enc)enc, (const char *)data, n, &out, &err) == 0)
			FUZZ_CHECK(out.len == 0 || utf8_valid(out.buf, out.len, NULL));
		else
			FUZZ_CHECK(out.len == 0 && err.code == MH_EDATA);
		strbuf_release(&out);
	}
	FUZZ_CHECK(charset_detect((const char *)data, n) < CHARSET_AUTO);
}
