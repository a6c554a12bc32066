/* A growable byte string, always NUL-terminated. */
#ifndef MOHINH_STRBUF_H
#define MOHINH_STRBUF_H
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf; /* never NULL after strbuf_init */
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *p, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
/* Appends the UTF-8 form of a code point (must be a valid scalar value). */
void strbuf_addcp(struct strbuf *sb, uint32_t cp);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_truncate(struct strbuf *sb, size_t len);
/* Replaces the `del` bytes at pos with the string s. */
void strbuf_splice(struct strbuf *sb, size_t pos, size_t del, const char *s);
/* Hands the buffer to the caller and re-initialises sb. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
