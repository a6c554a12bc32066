/* Legacy Vietnamese encodings to and from UTF-8 (NFC). */
#ifndef MOHINH_CHARSET_H
#define MOHINH_CHARSET_H
#include <stddef.h>

#include "mh-error.h"
#include "strbuf.h"

enum charset_enc {
	CHARSET_UTF8,
	CHARSET_CP1258,
	CHARSET_VISCII,
	CHARSET_TCVN5712,
	CHARSET_TCVN3,
	CHARSET_VNI,
	CHARSET_VIQR,
	CHARSET_AUTO,
};

/* "utf-8", "cp1258", "viscii", "tcvn5712-1", "tcvn3", "vni", "viqr", "auto";
 * -1 if unknown. */
int charset_parse(const char *name);
const char *charset_name(enum charset_enc enc);

/* Appends the text decoded to UTF-8 NFC. A byte the encoding does not define
 * is an error (MH_EDATA, err->where = its offset); out is then unchanged. */
int charset_decode(enum charset_enc enc, const char *in, size_t nbytes, struct strbuf *out, struct mh_error *err);
/* Guesses the encoding of bytes: valid UTF-8 is UTF-8; otherwise each legacy
 * decoding is scored by the share of real Vietnamese syllables it makes. */
enum charset_enc charset_detect(const char *in, size_t nbytes);
/* Appends UTF-8 text in a legacy encoding that iconv can write (cp1258,
 * viscii, tcvn5712-1) or utf-8. A character it cannot hold is an error. */
int charset_encode(enum charset_enc enc, const char *utf8, size_t nbytes, struct strbuf *out, struct mh_error *err);

/* Text a spreadsheet stored as Unicode although it was typed in a legacy
 * font: each letter is the Windows-1252 reading of a byte of TCVN3 or VNI.
 * hint is CHARSET_TCVN3 or CHARSET_VNI when the cell's font says so, or
 * CHARSET_AUTO to decide by which reading makes more Vietnamese words.
 * Appends the text decoded, or as it was (real Unicode text, or nothing
 * better), and returns the encoding it was read in (CHARSET_UTF8: as it was). */
enum charset_enc charset_repair(const char *utf8, size_t n, enum charset_enc hint, struct strbuf *out);

#endif
