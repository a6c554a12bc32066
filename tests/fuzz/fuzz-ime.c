#include <string.h>

#include "fuzz.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn-ime.h"

const char *const fuzz_name = "fuzz-ime";
const char *const fuzz_seeds[] = {"tieengs Vieejt nguoiwf", "DDUWCS\x08\x08xx", "Ha2 No65i d9u7o72ng", "ww aaa ddd",
                                  NULL};

void fuzz_one(const uint8_t *data, size_t n)
{
	for (int m = VN_IME_OFF; m <= VN_IME_VNI; m++) {
		struct vn_ime ime;
		vn_ime_init(&ime, (enum vn_ime_method)m, (int)(n & 1));
		struct strbuf text;
		strbuf_init(&text);
		size_t i = 0;
		while (i < n) {
			uint32_t key;
			int len = utf8_decode((const char *)data + i, n - i, &key);
			if (len < 0) {
				key = data[i] == 0x08 ? VN_IME_BACKSPACE : 0xFFFD;
				len = 1;
			}
			i += (size_t)len;
			struct vn_ime_edit e;
			vn_ime_key(&ime, key, &e);
			for (size_t d = 0; d < e.del && text.len > 0; d++)
				strbuf_truncate(&text, utf8_last_start(text.buf, text.len));
			FUZZ_CHECK(utf8_valid(e.ins, strlen(e.ins), NULL) || !e.ins[0]);
			strbuf_adds(&text, e.ins);
			if (key == VN_IME_BACKSPACE)
				vn_ime_set_context(&ime, text.buf, text.len);
		}
		strbuf_release(&text);
	}
}
