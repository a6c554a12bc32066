#include <string.h>

#include "fuzz.h"
#include "strbuf.h"
#include "vn.h"

const char *const fuzz_name = "fuzz-sortkey";
const char *const fuzz_seeds[] = {"Phan Thi\xE1\xBA\xBFt", "b\xE1\xBA\xA1", "\xE4\xB8\xAD\x01\x7f", NULL};

void fuzz_one(const uint8_t *data, size_t n)
{
	struct strbuf key;
	strbuf_init(&key);
	vn_sortkey((const char *)data, n, &key);
	for (size_t i = 0; i < key.len; i++)
		FUZZ_CHECK(key.buf[i] >= 0x21 && key.buf[i] <= 0x7E);
	FUZZ_CHECK(strlen(key.buf) == key.len);
	strbuf_release(&key);
}
