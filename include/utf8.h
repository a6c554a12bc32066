/* UTF-8 decoding and encoding, strict: no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
#ifndef MOHINH_UTF8_H
#define MOHINH_UTF8_H
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes one character from s (n bytes available, n > 0). Returns the number
 * of bytes it takes, or -1 if the sequence is invalid (the caller skips 1 byte). */
int utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Writes cp (a scalar value) into out, returns its length (1..4). */
size_t utf8_encode(uint32_t cp, char out[4]);
/* 1 if s[0..n) is valid UTF-8 with no NUL byte; else 0 and *bad (if not NULL)
 * is the offset of the first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad);
/* Number of characters (an invalid byte counts as one). */
size_t utf8_nchars(const char *s, size_t n);
/* Byte offset of the start of the last character in s[0..n) (0 if n == 0). */
size_t utf8_last_start(const char *s, size_t n);

#endif
