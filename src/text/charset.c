/* Legacy encodings. glibc's iconv does CP1258, VISCII and TCVN5712-1; TCVN3
 * (ABC), VNI-Windows and VIQR have tables and rules of our own. */
#include "charset.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <iconv.h>
#include <string.h>

#include "charset-tables.h"
#include "i18n.h"
#include "utf8.h"
#include "vn-syllable.h"
#include "vn.h"

static const char *const charset_names[] = {"utf-8", "cp1258", "viscii", "tcvn5712-1", "tcvn3", "vni", "viqr", "auto"};
static const char *const charset_iconv_names[] = {"UTF-8", "CP1258", "VISCII", "TCVN5712-1"};

int charset_parse(const char *name)
{
	for (size_t i = 0; i < sizeof charset_names / sizeof *charset_names; i++)
		if (strcmp(name, charset_names[i]) == 0)
			return (int)i;
	if (strcmp(name, "utf8") == 0)
		return CHARSET_UTF8;
	return -1;
}

const char *charset_name(enum charset_enc enc)
{
	return charset_names[enc];
}

static int charset_bad_byte(struct mh_error *err, size_t at, const char *enc)
{
	mh_error_set(err, MH_EDATA, _("byte %zu is not valid in %s"), at, enc);
	mh_error_where(err, "%zu", at);
	return -1;
}

static int charset_iconv(const char *to, const char *from, const char *in, size_t n, struct strbuf *out,
                         struct mh_error *err, const char *what)
{
	iconv_t cd = iconv_open(to, from);
	if (cd == (iconv_t)-1)
		return mh_error_set(err, MH_EFAIL, _("no converter from %s to %s"), from, to);
	size_t start = out->len;
	char *ip = (char *)in;
	size_t ileft = n;
	int rc = 0;
	while (ileft > 0) {
		strbuf_grow(out, ileft * 4 + 16);
		char *op = out->buf + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
		out->len = (size_t)(op - out->buf);
		out->buf[out->len] = '\0';
		if (r == (size_t)-1 && errno != E2BIG) {
			strbuf_truncate(out, start);
			rc = charset_bad_byte(err, (size_t)(ip - in), what);
			break;
		}
	}
	if (rc == 0) {
		/* flush a pending character (CP1258 and TCVN keep one for composing) */
		strbuf_grow(out, 16);
		char *op = out->buf + out->len;
		size_t oleft = out->cap - out->len - 1;
		iconv(cd, NULL, NULL, &op, &oleft);
		out->len = (size_t)(op - out->buf);
		out->buf[out->len] = '\0';
	}
	iconv_close(cd);
	return rc;
}

/* The letters of the word at *i (moved past it): capitals, plain small
 * letters, toned small letters. */
static void charset_word(const struct strbuf *sb, size_t *i, int *upper, int *lower_plain, int *lower_toned)
{
	*upper = *lower_plain = *lower_toned = 0;
	while (*i < sb->len) {
		uint32_t cp;
		int len = utf8_decode(sb->buf + *i, sb->len - *i, &cp);
		struct vn_letter l;
		if (len < 0 || !vn_letter_of(cp, &l))
			break;
		if (l.upper)
			(*upper)++;
		else if (l.tone)
			(*lower_toned)++;
		else
			(*lower_plain)++;
		*i += (size_t)len;
	}
}

/* 1 if the next word after pos (past spaces and punctuation) is in capitals. */
static int charset_next_caps(const struct strbuf *sb, size_t pos)
{
	while (pos < sb->len && strchr(" ,.-;:()\"'", sb->buf[pos]))
		pos++;
	int upper, lower_plain, lower_toned;
	charset_word(sb, &pos, &upper, &lower_plain, &lower_toned);
	return upper > 0 && lower_plain == 0;
}

/* TCVN3 has no upper-case toned letters: typed in the capital fonts they
 * carry lower-case codes. In a word otherwise in capitals, raise them; a
 * word with one capital ("Xã") only among words in capitals ("XÃ PHAN"). */
static void charset_tcvn3_fixup(struct strbuf *sb)
{
	size_t i = 0;
	int prev_caps = 0;
	while (i < sb->len) {
		size_t start = i, end;
		int upper, lower_plain, lower_toned;
		charset_word(sb, &i, &upper, &lower_plain, &lower_toned);
		end = i;
		int caps = upper > 0 && lower_plain == 0;
		if (caps && lower_toned > 0 && (upper >= 2 || prev_caps || charset_next_caps(sb, end))) {
			struct strbuf up;
			strbuf_init(&up);
			vn_upper(sb->buf + start, end - start, &up);
			if (up.len == end - start)
				memcpy(sb->buf + start, up.buf, up.len);
			strbuf_release(&up);
		}
		if (end > start)
			prev_caps = caps && (upper >= 2 || lower_toned == 0 || prev_caps);
		if (i == start) {
			uint32_t cp;
			int len = utf8_decode(sb->buf + i, sb->len - i, &cp);
			i += len > 0 ? (size_t)len : 1;
		}
	}
}

static int charset_tcvn3(const char *in, size_t n, struct strbuf *out, struct mh_error *err)
{
	size_t start = out->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c < 0x80) {
			strbuf_addc(out, (char)c);
			continue;
		}
		uint16_t cp = charset_tcvn3_high[c - 0x80];
		if (!cp) {
			strbuf_truncate(out, start);
			return charset_bad_byte(err, i, "TCVN3");
		}
		strbuf_addcp(out, cp);
	}
	struct strbuf tail;
	strbuf_init(&tail);
	strbuf_add(&tail, out->buf + start, out->len - start);
	charset_tcvn3_fixup(&tail);
	strbuf_truncate(out, start);
	strbuf_add(out, tail.buf, tail.len);
	strbuf_release(&tail);
	return 0;
}

static int charset_vni_decode(const char *in, size_t n, struct strbuf *out, struct mh_error *err)
{
	size_t start = out->len;
	size_t i = 0;
	while (i < n) {
		const unsigned char *p = (const unsigned char *)in + i;
		size_t k;
		for (k = 0; k < charset_vni_count; k++) {
			const struct charset_vni_seq *s = &charset_vni[k];
			if (s->len <= n - i && memcmp(p, s->bytes, s->len) == 0)
				break;
		}
		if (k < charset_vni_count) {
			strbuf_addcp(out, charset_vni[k].cp);
			i += charset_vni[k].len;
		} else if (*p < 0x80) {
			strbuf_addc(out, (char)*p);
			i++;
		} else {
			strbuf_truncate(out, start);
			return charset_bad_byte(err, i, "VNI");
		}
	}
	return 0;
}

/* VIQR (RFC 1456): a vowel, then ( ^ or +, then ' ` ? ~ or . for the tone;
 * dd is đ; a backslash keeps the next character as it is. */
static int charset_viqr(const char *in, size_t n, struct strbuf *out)
{
	size_t i = 0;
	while (i < n) {
		char c = in[i];
		if (c == '\\' && i + 1 < n) {
			strbuf_addc(out, in[i + 1]);
			i += 2;
			continue;
		}
		int word_start = i == 0 || !((in[i - 1] | 0x20) >= 'a' && (in[i - 1] | 0x20) <= 'z');
		if ((c == 'd' || c == 'D') && i + 1 < n && (in[i + 1] | 0x20) == 'd' && word_start) {
			strbuf_addcp(out, c == 'D' ? 0x110 : 0x111);
			i += 2;
			continue;
		}
		char lc = (char)(c | 0x20);
		if (!strchr("aeiouy", lc) || !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
			strbuf_addc(out, c);
			i++;
			continue;
		}
		struct vn_letter l = {lc, 0, 0, (unsigned char)(c >= 'A' && c <= 'Z')};
		size_t j = i + 1;
		if (j < n) {
			char m = in[j];
			char mark = (m == '^' && strchr("aeo", lc))  ? '^'
			            : (m == '(' && lc == 'a')        ? '('
			            : (m == '+' && strchr("ou", lc)) ? '+'
			                                             : 0;
			if (mark) {
				l.mark = mark;
				j++;
			}
		}
		if (j < n) {
			const char *tones = "`?~'.";
			const char *t = strchr(tones, in[j]);
			int next_letter = j + 1 < n && ((in[j + 1] | 0x20) >= 'a' && (in[j + 1] | 0x20) <= 'z');
			if (t && in[j] && ((in[j] != '.' && in[j] != '?') || next_letter)) {
				l.tone = (unsigned char)(1 + (t - tones));
				j++;
			}
		}
		uint32_t cp = vn_letter_compose(&l);
		strbuf_addcp(out, cp ? cp : (uint32_t)c);
		i = cp ? j : i + 1;
	}
	return 0;
}

int charset_decode(enum charset_enc enc, const char *in, size_t n, struct strbuf *out, struct mh_error *err)
{
	if (enc == CHARSET_AUTO)
		enc = charset_detect(in, n);
	struct strbuf raw;
	strbuf_init(&raw);
	int rc = 0;
	switch (enc) {
	case CHARSET_UTF8:
		if (n >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
			in += 3;
			n -= 3;
		}
		strbuf_add(&raw, in, n);
		break;
	case CHARSET_CP1258:
	case CHARSET_VISCII:
	case CHARSET_TCVN5712:
		rc = charset_iconv("UTF-8", charset_iconv_names[enc], in, n, &raw, err, charset_names[enc]);
		break;
	case CHARSET_TCVN3: rc = charset_tcvn3(in, n, &raw, err); break;
	case CHARSET_VNI: rc = charset_vni_decode(in, n, &raw, err); break;
	case CHARSET_VIQR: rc = charset_viqr(in, n, &raw); break;
	case CHARSET_AUTO: break;
	}
	if (rc == 0)
		rc = vn_nfc(raw.buf, raw.len, out, err);
	strbuf_release(&raw);
	return rc;
}

/* +1 for each word with a non-ASCII letter that is a real syllable, -1 for
 * one that is not, -4 for a control or replacement character. */
static long charset_score(const char *s, size_t n)
{
	long score = 0;
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		int non_ascii = 0, bad = 0;
		while (i < n) {
			uint32_t cp;
			int len = utf8_decode(s + i, n - i, &cp);
			struct vn_letter l;
			if (len < 0)
				len = 1, cp = UTF8_REPLACEMENT;
			if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp < 0xA0) ||
			    cp == UTF8_REPLACEMENT)
				bad++;
			if (!vn_letter_of(cp, &l)) {
				if (i == start)
					i += (size_t)len;
				break;
			}
			non_ascii |= cp >= 0x80;
			i += (size_t)len;
		}
		score -= 4 * bad;
		if (non_ascii && i > start)
			score += vn_syllable_is_word(s + start, i - start) ? 1 : -1;
	}
	return score;
}

static int charset_has_viqr(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (strchr("aeiouyAEIOUY", s[i]) && s[i] && strchr("^(+'`~", s[i + 1]) && s[i + 1])
			return 1;
	return 0;
}

enum charset_enc charset_detect(const char *in, size_t n)
{
	if (utf8_valid(in, n, NULL)) {
		int ascii = 1;
		for (size_t i = 0; i < n && ascii; i++)
			ascii = (unsigned char)in[i] < 0x80;
		if (!ascii || !charset_has_viqr(in, n))
			return CHARSET_UTF8;
		struct strbuf d;
		strbuf_init(&d);
		charset_viqr(in, n, &d);
		long s = charset_score(d.buf, d.len);
		strbuf_release(&d);
		return s > 0 ? CHARSET_VIQR : CHARSET_UTF8;
	}
	static const enum charset_enc order[] = {CHARSET_TCVN3, CHARSET_VNI, CHARSET_CP1258, CHARSET_VISCII,
	                                         CHARSET_TCVN5712};
	enum charset_enc best = CHARSET_CP1258;
	long best_score = 0;
	int have = 0;
	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		struct strbuf d;
		strbuf_init(&d);
		if (charset_decode(order[k], in, n, &d, NULL) == 0) {
			long s = charset_score(d.buf, d.len);
			if (!have || s > best_score) {
				best = order[k];
				best_score = s;
				have = 1;
			}
		}
		strbuf_release(&d);
	}
	return best;
}

int charset_encode(enum charset_enc enc, const char *utf8, size_t n, struct strbuf *out, struct mh_error *err)
{
	if (enc != CHARSET_UTF8 && enc != CHARSET_CP1258 && enc != CHARSET_VISCII && enc != CHARSET_TCVN5712)
		return mh_error_set(err, MH_EUSAGE, _("cannot write %s; choose utf-8, cp1258, viscii or tcvn5712-1"),
		                    charset_names[enc]);
	struct strbuf nfc;
	strbuf_init(&nfc);
	int rc = vn_nfc(utf8, n, &nfc, err);
	if (rc == 0) {
		if (enc == CHARSET_UTF8)
			strbuf_add(out, nfc.buf, nfc.len);
		else
			rc = charset_iconv(charset_iconv_names[enc], "UTF-8", nfc.buf, nfc.len, out, err, "UTF-8");
		if (rc < 0 && err && err->code == MH_EDATA) {
			char at[sizeof err->where];
			memcpy(at, err->where, sizeof at);
			mh_error_set(err, MH_EDATA, _("the character at byte %s cannot be written in %s"), at,
			             charset_names[enc]);
			mh_error_where(err, "%s", at);
		}
	}
	strbuf_release(&nfc);
	return rc;
}

/* Windows-1252's letters at 0x80..0x9F; the five it leaves out stand for themselves. */
static const uint16_t charset_cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* The Windows-1252 bytes of text, 0 if a letter has none; *high: some byte is >= 0x80. */
static int charset_cp1252_bytes(const char *s, size_t n, struct strbuf *bytes, int *high)
{
	*high = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0)
			return 0;
		i += (size_t)len;
		int b = cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF) ? (int)cp : -1;
		for (int k = 0; k < 32 && b < 0; k++)
			if (charset_cp1252_high[k] == cp)
				b = 0x80 + k;
		if (b < 0)
			return 0;
		*high |= b >= 0x80;
		strbuf_addc(bytes, (char)b);
	}
	return 1;
}

enum charset_enc charset_repair(const char *utf8, size_t n, enum charset_enc hint, struct strbuf *out)
{
	struct strbuf bytes, best;
	strbuf_init(&bytes);
	strbuf_init(&best);
	int high;
	enum charset_enc used = CHARSET_UTF8;
	if (charset_cp1252_bytes(utf8, n, &bytes, &high) && high) {
		static const enum charset_enc both[] = {CHARSET_TCVN3, CHARSET_VNI};
		long best_score = hint == CHARSET_AUTO ? charset_score(utf8, n) : LONG_MIN;
		for (int k = 0; k < 2; k++) {
			if (hint != CHARSET_AUTO && hint != both[k])
				continue;
			struct strbuf d;
			strbuf_init(&d);
			if (charset_decode(both[k], bytes.buf, bytes.len, &d, NULL) == 0) {
				long s = charset_score(d.buf, d.len);
				if (s > best_score) {
					best_score = s;
					used = both[k];
					strbuf_release(&best);
					best = d;
					continue;
				}
			}
			strbuf_release(&d);
		}
	}
	if (used == CHARSET_UTF8)
		strbuf_add(out, utf8, n);
	else
		strbuf_add(out, best.buf, best.len);
	strbuf_release(&bytes);
	strbuf_release(&best);
	return used;
}
