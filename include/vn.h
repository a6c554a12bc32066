/* Vietnamese text: normal form, display width, accent-free folding, sort keys,
 * case. Every function takes UTF-8 and never reads past n bytes. */
#ifndef MOHINH_VN_H
#define MOHINH_VN_H
#include <stddef.h>
#include <stdint.h>

#include "mh-error.h"
#include "strbuf.h"

/* Tones in the order Vietnamese sorts them. */
enum vn_tone { VN_TONE_NONE, VN_TONE_HUYEN, VN_TONE_HOI, VN_TONE_NGA, VN_TONE_SAC, VN_TONE_NANG };

/* Appends the NFC form of s to out. Invalid UTF-8 (or a NUL byte) is an error
 * (MH_EDATA, err->where = byte offset); out is then left as it was. */
int vn_nfc(const char *s, size_t nbytes, struct strbuf *out, struct mh_error *err);
/* s is valid UTF-8 in NFC already. */
int vn_is_nfc(const char *s, size_t nbytes);
/* Like vn_nfc, but replaces each invalid byte with U+FFFD; returns how many. */
size_t vn_nfc_repair(const char *s, size_t nbytes, struct strbuf *out);
/* A new NFC string, or NULL if s is not valid UTF-8. */
char *vn_nfc_dup(const char *s);

/* Display columns of s as the screens draw it: a letter with its combining
 * marks is one column, a control character or an invalid byte is drawn as one
 * replacement character. */
size_t vn_width(const char *s, size_t nbytes);
/* Appends s cut to at most ncols columns without splitting a character (or a
 * letter from its marks), with controls and invalid bytes replaced by U+FFFD;
 * pads with spaces to exactly ncols if pad. Returns the columns written. */
size_t vn_fit(const char *s, size_t nbytes, size_t ncols, int pad, struct strbuf *out);

/* Appends the search form: diacritics removed, đ → d, lower case. */
void vn_fold(const char *s, size_t nbytes, struct strbuf *out);
/* Appends a sort key of printable ASCII bytes: byte order of keys is the
 * Vietnamese (CLDR "vi") order of the strings. */
void vn_sortkey(const char *s, size_t nbytes, struct strbuf *out);
/* Compares at primary strength (letters only: tones and case ignored). */
int vn_compare_primary(const char *a, const char *b);

/* Case mapping (full Unicode), appended to out. */
void vn_lower(const char *s, size_t nbytes, struct strbuf *out);
void vn_upper(const char *s, size_t nbytes, struct strbuf *out);

/* Facts about one code point, for the typing engine and the decoders:
 * base is the lower-case ASCII letter ('d' for đ), mark is one of
 * 0, '^' (circumflex), '(' (breve), '+' (horn), '-' (đ's stroke). */
struct vn_letter {
	char base;
	char mark;
	unsigned char tone; /* enum vn_tone */
	unsigned char upper;
};
/* 1 if cp is a Latin letter of Vietnamese (or an ASCII letter), filling *l. */
int vn_letter_of(uint32_t cp, struct vn_letter *l);
/* The code point of a letter (base, mark, tone, case), or 0 if none exists. */
uint32_t vn_letter_compose(const struct vn_letter *l);

#endif
