/* The built-in Vietnamese input method (Telex and VNI): a pure state machine.
 * For every key it answers: delete `del` characters before the cursor, then
 * insert `ins` — exactly what a screen applies to a field. */
#ifndef MOHINH_VN_IME_H
#define MOHINH_VN_IME_H
#include <stddef.h>
#include <stdint.h>

#include "vn-syllable.h"

#define VN_IME_BACKSPACE 0x08u

enum vn_ime_method { VN_IME_OFF, VN_IME_TELEX, VN_IME_VNI };

struct vn_ime_edit {
	size_t del;    /* characters to delete before the cursor */
	char ins[160]; /* UTF-8 NFC text to insert, NUL-terminated */
};

struct vn_ime_letter {
	struct vn_letter l;   /* tone unused: the word's tone is kept apart */
	unsigned char from_w; /* an ư typed as a lone w */
};

#define VN_IME_WORD_MAX  24
#define VN_IME_SHOWN_MAX 128

struct vn_ime {
	enum vn_ime_method method;
	int modern; /* tone on the second vowel of open oa, oe, uy */
	/* the word before the cursor */
	struct vn_ime_letter w[VN_IME_WORD_MAX];
	int nw;
	int tone;
	int literal;                  /* the keys cannot make a syllable: typed as is */
	int plain_circumflex;         /* a circumflex undone (Telex ooo): a, e, o are letters now */
	char base[VN_IME_SHOWN_MAX];  /* the word as it stood when keys began */
	char raw[VN_IME_SHOWN_MAX];   /* the keys typed since then */
	char shown[VN_IME_SHOWN_MAX]; /* what the word shows now */
	int overflow;                 /* the word is longer than shown can hold */
};

void vn_ime_init(struct vn_ime *ime, enum vn_ime_method method, int modern);
/* Forgets the word before the cursor (the cursor moved, the field changed). */
void vn_ime_reset(struct vn_ime *ime);
/* Takes the text before the cursor, so that keys continue its last word. */
void vn_ime_set_context(struct vn_ime *ime, const char *before, size_t nbytes);
/* Applies one key (a code point, or VN_IME_BACKSPACE). */
void vn_ime_key(struct vn_ime *ime, uint32_t key, struct vn_ime_edit *edit);
/* The name of a method, "off", "telex" or "vni"; and back (-1 if unknown). */
const char *vn_ime_method_name(enum vn_ime_method m);
int vn_ime_method_parse(const char *name);

#endif
