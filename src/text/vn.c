/* Vietnamese text. Normalisation and case mapping come from libunistring (a
 * full, current Unicode implementation); folding and sort keys come from one
 * table of the Latin code points, derived at first use from libunistring's
 * canonical decompositions, so that the hot paths are a table look-up. */
#include "vn.h"

#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uniwidth.h>
#include <uninorm.h>

#include "utf8.h"
#include "xalloc.h"

/* Sort key bytes. Every weight is above the level separator. */
#define W_SEP          0x21
#define W_PUNCT0       0x22 /* space and ASCII punctuation: 33 weights */
#define W_OTHER_SYM    0x43 /* other symbols: followed by the code point */
#define W_DIGIT0       0x44 /* 0..9 */
#define W_LETTER0      0x4E /* the 33 letters below */
#define W_OTHER_LETTER 0x7E /* other scripts: followed by the code point */

/* ICU's root order of space and ASCII punctuation (measured with ucol "vi"). */
static const char vn_punct_order[] = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
/* Vietnamese letter order; a mark character after a letter makes a new letter. */
static const char vn_letter_order[] = "a a(a^b c d d-e e^f g h i j k l m n o o^o+p q r s t u u+v w x y z ";

#define VN_TABLE_LOW  0x250  /* 0000..024F */
#define VN_TABLE_EXT0 0x1E00 /* 1E00..1EFF */
#define VN_TABLE_EXT1 0x1F00

struct vn_cpinfo {
	unsigned char prim;  /* primary weight; 0: ignorable (controls) */
	unsigned char sec;   /* 0 none, 1..5 tones, 6 another diacritic */
	unsigned char upper; /* 1 for capital letters */
	char fold;           /* folded ASCII letter, or 0 to copy the character */
	struct vn_letter letter;
	unsigned char is_letter;
};

static struct vn_cpinfo vn_low[VN_TABLE_LOW];
static struct vn_cpinfo vn_ext[VN_TABLE_EXT1 - VN_TABLE_EXT0];
/* [base a..z][mark index][tone][upper] -> code point */
static uint32_t vn_compose_table[26][5][6][2];
static int vn_ready;

static int vn_mark_index(char mark)
{
	switch (mark) {
	case '^': return 1;
	case '(': return 2;
	case '+': return 3;
	case '-': return 4;
	default: return 0;
	}
}

static unsigned char vn_letter_weight(char base, char mark)
{
	for (size_t i = 0; vn_letter_order[i]; i += 2) {
		char m = vn_letter_order[i + 1] == ' ' ? 0 : vn_letter_order[i + 1];
		if (vn_letter_order[i] == base && m == mark)
			return (unsigned char)(W_LETTER0 + i / 2);
	}
	return 0;
}

static int vn_decompose(uint32_t cp, uint32_t *out, int max)
{
	uint32_t tmp[UC_DECOMPOSITION_MAX_LENGTH];
	int n = uc_canonical_decomposition(cp, tmp);
	if (n < 0) {
		out[0] = cp;
		return 1;
	}
	int len = vn_decompose(tmp[0], out, max);
	for (int i = 1; i < n && len < max; i++)
		out[len++] = tmp[i];
	return len;
}

static void vn_fill(uint32_t cp, struct vn_cpinfo *info)
{
	memset(info, 0, sizeof *info);
	if (cp < 0x80) {
		if (cp < 0x20 || cp == 0x7F)
			return; /* ignorable */
		const char *p = strchr(vn_punct_order, (int)cp);
		if (p) {
			info->prim = (unsigned char)(W_PUNCT0 + (p - vn_punct_order));
			return;
		}
		if (cp >= '0' && cp <= '9') {
			info->prim = (unsigned char)(W_DIGIT0 + cp - '0');
			return;
		}
	}
	uint32_t d[8];
	int n = vn_decompose(cp, d, 8);
	uint32_t base = d[0];
	char mark = 0;
	int upper = 0;
	if (cp == 0x110 || cp == 0x111) { /* Đ đ: no decomposition */
		base = cp == 0x110 ? 'D' : 'd';
		mark = '-';
	}
	if (!((base >= 'a' && base <= 'z') || (base >= 'A' && base <= 'Z'))) {
		if (cp >= 0x80 && cp < 0xA0)
			return; /* C1 controls: ignorable */
		info->prim = uc_is_property_white_space(cp) ? W_PUNCT0 : 0;
		return; /* not a Latin letter: handled generically */
	}
	if (base <= 'Z') {
		upper = 1;
		base += 'a' - 'A';
	}
	int tone = 0, other = 0;
	for (int i = 1; i < n; i++) {
		switch (d[i]) {
		case 0x0300: tone = VN_TONE_HUYEN; break;
		case 0x0309: tone = VN_TONE_HOI; break;
		case 0x0303: tone = VN_TONE_NGA; break;
		case 0x0301: tone = VN_TONE_SAC; break;
		case 0x0323: tone = VN_TONE_NANG; break;
		case 0x0302:
			if (strchr("aeo", (int)base) && !mark)
				mark = '^';
			else
				other = 1;
			break;
		case 0x0306:
			if (base == 'a' && !mark)
				mark = '(';
			else
				other = 1;
			break;
		case 0x031B:
			if (strchr("ou", (int)base) && !mark)
				mark = '+';
			else
				other = 1;
			break;
		default: other = 1; break;
		}
	}
	info->prim = vn_letter_weight((char)base, mark);
	info->sec = (unsigned char)(other ? 6 : tone);
	info->upper = (unsigned char)upper;
	info->fold = (char)base;
	if (!other) {
		info->is_letter = 1;
		info->letter.base = (char)base;
		info->letter.mark = mark;
		info->letter.tone = (unsigned char)tone;
		info->letter.upper = (unsigned char)upper;
		uint32_t *slot = &vn_compose_table[base - 'a'][vn_mark_index(mark)][tone][upper];
		if (!*slot)
			*slot = cp;
	}
}

static void vn_init(void)
{
	if (vn_ready)
		return;
	for (uint32_t cp = 0; cp < VN_TABLE_LOW; cp++)
		vn_fill(cp, &vn_low[cp]);
	for (uint32_t cp = VN_TABLE_EXT0; cp < VN_TABLE_EXT1; cp++)
		vn_fill(cp, &vn_ext[cp - VN_TABLE_EXT0]);
	vn_ready = 1;
}

/* utf8_decode, with the two- and three-byte forms of Vietnamese letters
 * decoded inline (E1..EC leads have neither overlong forms nor surrogates). */
static inline int vn_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0];
	if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	if (c >= 0xE1 && c <= 0xEC && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		return 3;
	}
	return utf8_decode(str, n, cp);
}

static inline const struct vn_cpinfo *vn_info(uint32_t cp)
{
	if (cp < VN_TABLE_LOW)
		return &vn_low[cp];
	if (cp >= VN_TABLE_EXT0 && cp < VN_TABLE_EXT1)
		return &vn_ext[cp - VN_TABLE_EXT0];
	return NULL;
}

int vn_letter_of(uint32_t cp, struct vn_letter *l)
{
	vn_init();
	const struct vn_cpinfo *info = vn_info(cp);
	if (!info || !info->is_letter)
		return 0;
	*l = info->letter;
	return 1;
}

uint32_t vn_letter_compose(const struct vn_letter *l)
{
	vn_init();
	if (l->base < 'a' || l->base > 'z' || l->tone > VN_TONE_NANG)
		return 0;
	return vn_compose_table[l->base - 'a'][vn_mark_index(l->mark)][l->tone][l->upper ? 1 : 0];
}

static int vn_is_mark(uint32_t cp)
{
	return cp >= 0x300 && cp < 0x370;
}

/* 1 if the text is certainly NFC already: every character below U+0300 or
 * in Latin Extended Additional, and no invalid byte. */
static int vn_quick_nfc(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		int len = c ? vn_decode(s + i, n - i, &cp) : -1;
		if (len < 0)
			return 0;
		if (cp >= 0x300 && !(cp >= 0x1E00 && cp < 0x1F00))
			return 0;
		i += (size_t)len;
	}
	return 1;
}

static void vn_normalize_into(const char *s, size_t n, struct strbuf *out)
{
	size_t len = 0;
	uint8_t *r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &len);
	if (!r) {
		strbuf_add(out, s, n); /* cannot happen on valid input short of memory */
		return;
	}
	strbuf_add(out, r, len);
	free(r);
}

int vn_nfc(const char *s, size_t n, struct strbuf *out, struct mh_error *err)
{
	size_t bad = 0;
	if (vn_quick_nfc(s, n)) {
		strbuf_add(out, s, n);
		return 0;
	}
	if (!utf8_valid(s, n, &bad)) {
		mh_error_set(err, MH_EDATA, "invalid UTF-8 at byte %zu", bad);
		mh_error_where(err, "%zu", bad);
		return -1;
	}
	vn_normalize_into(s, n, out);
	return 0;
}

int vn_is_nfc(const char *s, size_t n)
{
	if (vn_quick_nfc(s, n))
		return 1;
	if (!utf8_valid(s, n, NULL))
		return 0;
	size_t len = 0;
	uint8_t *r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &len);
	int same = r && len == n && memcmp(r, s, n) == 0;
	free(r);
	return same;
}

size_t vn_nfc_repair(const char *s, size_t n, struct strbuf *out)
{
	if (vn_quick_nfc(s, n)) {
		strbuf_add(out, s, n);
		return 0;
	}
	struct strbuf clean;
	strbuf_init(&clean);
	size_t nbad = 0, i = 0;
	while (i < n) {
		uint32_t cp;
		int len = s[i] ? utf8_decode(s + i, n - i, &cp) : -1;
		if (len < 0) {
			strbuf_addcp(&clean, UTF8_REPLACEMENT);
			nbad++;
			i++;
		} else {
			strbuf_add(&clean, s + i, (size_t)len);
			i += (size_t)len;
		}
	}
	vn_normalize_into(clean.buf, clean.len, out);
	strbuf_release(&clean);
	return nbad;
}

char *vn_nfc_dup(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	if (vn_nfc(s, strlen(s), &sb, NULL) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static int vn_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

/* Columns of one code point as drawn (controls as U+FFFD). */
static int vn_cp_width(uint32_t cp)
{
	if (cp < 0x7F)
		return 1;
	if (vn_is_control(cp))
		return 1;
	int w = uc_width(cp, "UTF-8");
	return w < 0 ? 1 : w;
}

size_t vn_width(const char *s, size_t n)
{
	size_t i = 0, cols = 0;
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			cols++;
			i++;
			continue;
		}
		cols += (size_t)vn_cp_width(cp);
		i += (size_t)len;
	}
	return cols;
}

size_t vn_fit(const char *s, size_t n, size_t ncols, int pad, struct strbuf *out)
{
	size_t i = 0, cols = 0;
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0 || vn_is_control(cp)) {
			cp = UTF8_REPLACEMENT;
			len = len < 0 ? 1 : len;
		}
		int w = vn_cp_width(cp);
		if (cols + (size_t)w > ncols)
			break;
		/* a base character is written with the marks that follow it */
		strbuf_addcp(out, cp);
		i += (size_t)len;
		cols += (size_t)w;
		while (i < n) {
			uint32_t m;
			int mlen = utf8_decode(s + i, n - i, &m);
			if (mlen < 0 || vn_cp_width(m) != 0 || vn_is_control(m))
				break;
			strbuf_add(out, s + i, (size_t)mlen);
			i += (size_t)mlen;
		}
	}
	while (pad && cols < ncols) {
		strbuf_addc(out, ' ');
		cols++;
	}
	return cols;
}

/* One character of folded output for a code point outside the fast path. */
static void vn_fold_other(uint32_t cp, struct strbuf *out)
{
	if (vn_is_mark(cp) || uc_is_general_category(cp, UC_CATEGORY_M))
		return;
	uint32_t d[8];
	vn_decompose(cp, d, 8);
	if (!uc_is_general_category(d[0], UC_CATEGORY_M)) /* some decompose to a mark */
		strbuf_addcp(out, uc_tolower(d[0]));
}

void vn_fold(const char *s, size_t n, struct strbuf *out)
{
	vn_init();
	strbuf_grow(out, n);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			/* room was made for n bytes: ASCII folds to one byte */
			out->buf[out->len++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
			i++;
			continue;
		}
		uint32_t cp;
		int len = vn_decode(s + i, n - i, &cp);
		if (len < 0) {
			out->buf[out->len] = '\0';
			strbuf_addcp(out, UTF8_REPLACEMENT);
			strbuf_grow(out, n - i);
			i++;
			continue;
		}
		i += (size_t)len;
		const struct vn_cpinfo *info = vn_info(cp);
		if (info && info->fold) {
			out->buf[out->len++] = info->fold; /* shorter than the 2 or 3 bytes it replaces */
			continue;
		}
		out->buf[out->len] = '\0';
		vn_fold_other(cp, out);
		strbuf_grow(out, n - i);
	}
	out->buf[out->len] = '\0';
}

/* Appends the escape form of a code point: 4 bytes that sort as cp does. */
static char *vn_key_escape(char *o, unsigned char group, uint32_t cp)
{
	o[0] = (char)group;
	o[1] = (char)(0x30 + ((cp >> 18) & 0x3F));
	o[2] = (char)(0x30 + ((cp >> 12) & 0x3F));
	o[3] = (char)(0x30 + ((cp >> 6) & 0x3F));
	o[4] = (char)(0x30 + (cp & 0x3F));
	return o + 5;
}

static char *vn_key_level(char *o, unsigned char *digits, size_t n)
{
	while (n > 0 && digits[n - 1] == 0)
		n--;
	*o++ = W_SEP;
	for (size_t k = 0; k < n; k++)
		*o++ = (char)('0' + digits[k]);
	return o;
}

/* Writes the primary weight of cp at *o and its secondary and tertiary
 * digits; returns 0 for a character that sorts as nothing (a control). */
static inline int vn_key_char(uint32_t cp, char **o, unsigned char *sv, unsigned char *tv)
{
	const struct vn_cpinfo *info = cp < VN_TABLE_LOW ? &vn_low[cp] : vn_info(cp);
	if (info && info->prim) {
		*(*o)++ = (char)info->prim;
		*sv = info->sec;
		*tv = info->upper;
		return 1;
	}
	*sv = *tv = 0;
	if (cp < 0xA0) {
		return 0;
	} else if (uc_is_property_white_space(cp)) {
		*(*o)++ = W_PUNCT0;
	} else if (uc_is_alpha(cp)) {
		uint32_t lower = uc_tolower(cp);
		*o = vn_key_escape(*o, W_OTHER_LETTER, lower);
		*tv = lower != cp;
	} else {
		*o = vn_key_escape(*o, W_OTHER_SYM, cp);
	}
	return 1;
}

/* The key of NFC text; returns 0 if it meets a character that needs
 * normalising first (then out is left as it was). */
static int vn_sortkey_nfc(const char *s, size_t n, struct strbuf *out)
{
	unsigned char stack_sec[256], stack_ter[256];
	unsigned char *sec = stack_sec, *ter = stack_ter;
	if (n > sizeof stack_sec) {
		sec = xalloc_malloc(n);
		ter = xalloc_malloc(n);
	}
	/* a character of k bytes (k >= 1) writes at most 5 primary bytes and
	 * one digit in each of the two other levels */
	strbuf_grow(out, 7 * n + 2);
	char *o = out->buf + out->len;
	size_t nw = 0, i = 0;
	int ok = 1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp = c;
		if (c < 0x80) {
			i++;
		} else {
			int len = vn_decode(s + i, n - i, &cp);
			if (len < 0 || (cp >= 0x300 && (cp < 0x1E00 || cp >= 0x1F00))) {
				ok = 0; /* invalid, or maybe not NFC: take the slow path */
				break;
			}
			i += (size_t)len;
		}
		if (vn_key_char(cp, &o, &sec[nw], &ter[nw]))
			nw++;
	}
	if (ok) {
		o = vn_key_level(o, sec, nw);
		o = vn_key_level(o, ter, nw);
		out->len = (size_t)(o - out->buf);
	}
	out->buf[out->len] = '\0';
	if (sec != stack_sec) {
		free(sec);
		free(ter);
	}
	return ok;
}

/* The general case: NFC first, then marks that stay uncomposed count as a
 * secondary difference of the letter before them. */
static void vn_sortkey_slow(const char *s, size_t n, struct strbuf *out)
{
	struct strbuf nfc;
	strbuf_init(&nfc);
	vn_nfc_repair(s, n, &nfc);
	unsigned char *sec = xalloc_malloc(nfc.len + 1), *ter = xalloc_malloc(nfc.len + 1);
	strbuf_grow(out, 7 * nfc.len + 2);
	char *o = out->buf + out->len;
	size_t nw = 0, i = 0;
	while (i < nfc.len) {
		uint32_t cp;
		int len = utf8_decode(nfc.buf + i, nfc.len - i, &cp);
		if (len < 0) {
			cp = UTF8_REPLACEMENT;
			len = 1;
		}
		i += (size_t)len;
		if (vn_is_mark(cp) || uc_is_general_category(cp, UC_CATEGORY_M)) {
			if (nw > 0)
				sec[nw - 1] = 6; /* a mark left uncomposed */
			continue;
		}
		if (vn_key_char(cp, &o, &sec[nw], &ter[nw]))
			nw++;
	}
	o = vn_key_level(o, sec, nw);
	o = vn_key_level(o, ter, nw);
	out->len = (size_t)(o - out->buf);
	out->buf[out->len] = '\0';
	free(sec);
	free(ter);
	strbuf_release(&nfc);
}

void vn_sortkey(const char *s, size_t n, struct strbuf *out)
{
	vn_init();
	if (!vn_sortkey_nfc(s, n, out))
		vn_sortkey_slow(s, n, out);
}

int vn_compare_primary(const char *a, const char *b)
{
	struct strbuf ka, kb;
	strbuf_init(&ka);
	strbuf_init(&kb);
	vn_sortkey(a, strlen(a), &ka);
	vn_sortkey(b, strlen(b), &kb);
	/* the primary level ends at the first separator */
	size_t la = strcspn(ka.buf, "!"), lb = strcspn(kb.buf, "!");
	int r = memcmp(ka.buf, kb.buf, la < lb ? la : lb);
	if (r == 0)
		r = (la > lb) - (la < lb);
	strbuf_release(&ka);
	strbuf_release(&kb);
	return r < 0 ? -1 : r > 0;
}

static void vn_case(const char *s, size_t n, struct strbuf *out, int upper)
{
	struct strbuf clean;
	strbuf_init(&clean);
	vn_nfc_repair(s, n, &clean);
	size_t len = 0;
	uint8_t *r =
	    (upper ? u8_toupper : u8_tolower)((const uint8_t *)clean.buf, clean.len, NULL, UNINORM_NFC, NULL, &len);
	if (r) {
		strbuf_add(out, r, len);
		free(r);
	} else {
		strbuf_add(out, clean.buf, clean.len);
	}
	strbuf_release(&clean);
}

void vn_lower(const char *s, size_t n, struct strbuf *out)
{
	vn_case(s, n, out, 0);
}

void vn_upper(const char *s, size_t n, struct strbuf *out)
{
	vn_case(s, n, out, 1);
}
