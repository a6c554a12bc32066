#include "vn-syllable.h"

#include <string.h>

#include "utf8.h"

static const char *const vn_syllable_onsets[] = {"b",  "c",  "ch", "d", "đ", "g",  "gh",  "gi", "h",
                                                 "k",  "kh", "l",  "m", "n", "ng", "ngh", "nh", "p",
                                                 "ph", "qu", "r",  "s", "t", "th", "tr",  "v",  "x"};
static const char *const vn_syllable_finals[] = {"c", "ch", "m", "n", "ng", "nh", "p", "t"};

/* Vowel clusters; the letter after each says whether a final consonant
 * is optional (o), required (r) or impossible (n). */
static const char vn_syllable_clusters[] =
    "a o ă r â r e o ê o i o o o ô o ơ o u o ư o y o "
    "ai n ao n au n ay n âu n ây n eo n êu n ia n iu n oi n ôi n ơi n ui n ưi n ưu n ưa n ua n "
    "iê r yê r oa o oă r oe o oo o uâ r uê o uô r uơ n uy o ươ r "
    "oai n oao n oay n oeo n uây n uôi n ươi n ươu n iêu n yêu n uya n uyu n uyê r ";

#define VN_SYLLABLE_NCLUSTERS 64

struct vn_syllable_cluster {
	struct vn_letter v[3];
	int n;
	char final; /* 'o', 'r', 'n' */
};

static struct vn_syllable_cluster vn_syllable_table[VN_SYLLABLE_NCLUSTERS];
static int vn_syllable_ncl;

/* Reads letters of the UTF-8 string into out; returns the count or -1. */
static int vn_syllable_letters(const char *s, size_t n, struct vn_letter *out, int max)
{
	int count = 0;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0 || count == max || !vn_letter_of(cp, &out[count]))
			return -1;
		count++;
		i += (size_t)len;
	}
	return count;
}

/* The onsets and finals as letters, parsed once. */
struct vn_syllable_part {
	struct vn_letter l[4];
	int n;
};
static struct vn_syllable_part vn_syllable_onset_tab[sizeof vn_syllable_onsets / sizeof *vn_syllable_onsets];
static struct vn_syllable_part vn_syllable_final_tab[sizeof vn_syllable_finals / sizeof *vn_syllable_finals];

static void vn_syllable_parse_parts(const char *const *src, struct vn_syllable_part *dst, size_t n)
{
	for (size_t k = 0; k < n; k++)
		dst[k].n = vn_syllable_letters(src[k], strlen(src[k]), dst[k].l, 4);
}

/* 1 if l[0..n) is one of the parts (or, with prefix, the start of one). */
static void vn_syllable_init(void)
{
	if (vn_syllable_ncl)
		return;
	vn_syllable_parse_parts(vn_syllable_onsets, vn_syllable_onset_tab,
	                        sizeof vn_syllable_onset_tab / sizeof *vn_syllable_onset_tab);
	vn_syllable_parse_parts(vn_syllable_finals, vn_syllable_final_tab,
	                        sizeof vn_syllable_final_tab / sizeof *vn_syllable_final_tab);
	const char *p = vn_syllable_clusters;
	while (*p && vn_syllable_ncl < VN_SYLLABLE_NCLUSTERS) {
		const char *sp = strchr(p, ' ');
		struct vn_syllable_cluster *c = &vn_syllable_table[vn_syllable_ncl++];
		c->n = vn_syllable_letters(p, (size_t)(sp - p), c->v, 3);
		c->final = sp[1];
		p = sp + 3;
	}
}

static int vn_is_vowel(char base)
{
	return base && strchr("aeiouy", base) != NULL;
}

/* Letter equality: base and stroke; in relaxed matching a letter typed without
 * its mark yet matches the marked one. */
static int vn_syllable_same(const struct vn_letter *typed, const struct vn_letter *want, int relaxed)
{
	if (typed->base != want->base)
		return 0;
	return typed->mark == want->mark || (relaxed && typed->mark == 0);
}

static int vn_syllable_match(const struct vn_letter *l, int n, const struct vn_syllable_part *set, size_t nset,
                             int prefix)
{
	for (size_t k = 0; k < nset; k++) {
		if (set[k].n < n || (!prefix && set[k].n != n))
			continue;
		int ok = 1;
		for (int i = 0; i < n && ok; i++)
			ok = l[i].base == set[k].l[i].base && l[i].mark == set[k].l[i].mark;
		if (ok)
			return 1;
	}
	return 0;
}

int vn_syllable_check(const struct vn_letter *l, int n, int tone, enum vn_syllable_mode mode,
                      struct vn_syllable_parts *parts)
{
	vn_syllable_init();
	struct vn_syllable_parts p = {0, 0, 0};
	if (n <= 0 || n > VN_SYLLABLE_MAX)
		return 0;
	int tones = 0;
	for (int i = 0; i < n; i++) {
		if (strchr("fjwz", l[i].base))
			return 0;
		if (l[i].tone) {
			tones++;
			tone = l[i].tone;
		}
	}
	if (tones > 1)
		return 0;
	/* onset: consonants; "qu" takes its u, "gi" its i when a vowel follows */
	int i = 0;
	while (i < n && !vn_is_vowel(l[i].base))
		i++;
	if (i == 1 && l[0].base == 'q' && n > 1) {
		if (l[1].base != 'u' || l[1].mark)
			return 0; /* q is always followed by u */
		i = 2;
	}
	if (i == 1 && l[0].base == 'g' && n > 2 && l[1].base == 'i' && !l[1].mark && !l[1].tone &&
	    vn_is_vowel(l[2].base))
		i = 2;
	for (int k = 0; k < i; k++)
		if (l[k].tone)
			return 0;
	p.onset_len = i;
	int has_vowel = i < n;
	if (p.onset_len > 0 && !vn_syllable_match(l, p.onset_len, vn_syllable_onset_tab,
	                                          sizeof vn_syllable_onset_tab / sizeof *vn_syllable_onset_tab,
	                                          mode == VN_SYLLABLE_PREFIX && !has_vowel))
		return 0;
	while (i < n && vn_is_vowel(l[i].base))
		i++;
	p.vowel_len = i - p.onset_len;
	p.final_len = n - i;
	if (p.vowel_len == 0) {
		if (parts)
			*parts = p;
		return mode == VN_SYLLABLE_PREFIX && tone == 0 && p.final_len == 0;
	}
	if (p.vowel_len > 3)
		return 0;
	const struct vn_letter *f = l + i;
	if (p.final_len > 0) {
		for (int k = 0; k < p.final_len; k++)
			if (vn_is_vowel(f[k].base) || f[k].tone)
				return 0;
		if (!vn_syllable_match(f, p.final_len, vn_syllable_final_tab,
		                       sizeof vn_syllable_final_tab / sizeof *vn_syllable_final_tab, 0))
			return 0;
		char last = f[p.final_len - 1].base;
		int stop = last == 'c' || last == 'p' || last == 't' || (last == 'h' && f[0].base == 'c');
		if (stop && tone != 0 && tone != VN_TONE_SAC && tone != VN_TONE_NANG)
			return 0;
	}
	/* the vowel cluster against the table */
	const struct vn_letter *v = l + p.onset_len;
	int found = 0;
	for (int k = 0; k < vn_syllable_ncl && !found; k++) {
		const struct vn_syllable_cluster *c = &vn_syllable_table[k];
		int relaxed = mode == VN_SYLLABLE_PREFIX;
		if (p.final_len > 0 || mode == VN_SYLLABLE_COMPLETE) {
			if (c->n != p.vowel_len)
				continue;
		} else if (c->n < p.vowel_len) {
			continue;
		}
		int ok = 1;
		for (int j = 0; j < p.vowel_len && ok; j++)
			ok = vn_syllable_same(&v[j], &c->v[j], relaxed);
		if (!ok)
			continue;
		if (p.final_len > 0 && c->final == 'n')
			continue;
		if (mode == VN_SYLLABLE_COMPLETE && p.final_len == 0 && c->final == 'r')
			continue;
		found = 1;
	}
	if (!found)
		return 0;
	if (parts)
		*parts = p;
	return 1;
}

int vn_syllable_tone_pos(const struct vn_letter *l, int n, const struct vn_syllable_parts *p, int modern)
{
	(void)n;
	if (p->vowel_len == 0)
		return -1;
	const struct vn_letter *v = l + p->onset_len;
	for (int k = p->vowel_len - 1; k >= 0; k--)
		if (v[k].mark == '^' || v[k].mark == '(' || v[k].mark == '+')
			return p->onset_len + k;
	if (p->final_len > 0)
		return p->onset_len + p->vowel_len - 1;
	if (p->vowel_len == 3)
		return p->onset_len + 1;
	if (p->vowel_len == 2 && modern) {
		char a = v[0].base, b = v[1].base;
		if ((a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y'))
			return p->onset_len + 1;
	}
	return p->onset_len;
}

int vn_syllable_is_word(const char *s, size_t n)
{
	struct vn_letter l[VN_SYLLABLE_MAX + 1];
	int count = vn_syllable_letters(s, n, l, VN_SYLLABLE_MAX + 1);
	if (count <= 0)
		return 0;
	return vn_syllable_check(l, count, 0, VN_SYLLABLE_COMPLETE, NULL);
}
