/* Byte tables of the legacy encodings that glibc's iconv does not know. */
#ifndef MOHINH_CHARSET_TABLES_H
#define MOHINH_CHARSET_TABLES_H
#include <stddef.h>
#include <stdint.h>

/* TCVN3 (ABC): code point of each byte 0x80..0xFF, 0 where none. */
extern const uint16_t charset_tcvn3_high[128];

/* VNI-Windows: byte sequences, longest first. */
struct charset_vni_seq {
	unsigned char bytes[2];
	unsigned char len;
	uint16_t cp;
};
extern const struct charset_vni_seq charset_vni[];
extern const size_t charset_vni_count;

#endif
