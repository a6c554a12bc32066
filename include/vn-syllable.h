/* The shape of a Vietnamese syllable: onset, vowel cluster, final consonant
 * and tone, as the typing engine and the encoding detector need it. */
#ifndef MOHINH_VN_SYLLABLE_H
#define MOHINH_VN_SYLLABLE_H
#include <stddef.h>

#include "vn.h"

#define VN_SYLLABLE_MAX 12

enum vn_syllable_mode {
	VN_SYLLABLE_PREFIX,   /* could still grow into a syllable (typing) */
	VN_SYLLABLE_COMPLETE, /* a whole syllable, marks exactly right */
};

struct vn_syllable_parts {
	int onset_len; /* letters of the onset (qu and gi included) */
	int vowel_len; /* letters of the vowel cluster */
	int final_len; /* letters of the final consonant */
};

/* Checks letters[0..n) (tones in letters[].tone, at most one set, or the tone
 * given separately) against the rules. Returns 1 if valid, filling parts. */
int vn_syllable_check(const struct vn_letter *letters, int n, int tone, enum vn_syllable_mode mode,
                      struct vn_syllable_parts *parts);
/* Index of the letter that carries the tone, or -1 if there is no vowel. */
int vn_syllable_tone_pos(const struct vn_letter *letters, int n, const struct vn_syllable_parts *parts, int modern);
/* 1 if the UTF-8 word (NFC) is one real Vietnamese syllable, in any case. */
int vn_syllable_is_word(const char *s, size_t nbytes);

#endif
