/* Telex and VNI. The word before the cursor is kept as letters (base and
 * mark) plus one tone; each key either transforms that word (a tone, a mark,
 * đ), undoes the same transformation (and is then typed as itself), or adds a
 * letter. As soon as the keys cannot make a Vietnamese syllable the word is
 * shown exactly as typed. The tone is placed afresh after every key. */
#include "vn-ime.h"

#include <stdio.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

enum vn_ime_result { VN_IME_NA, VN_IME_DONE, VN_IME_UNDONE };

static void vn_ime_clear(struct vn_ime *ime)
{
	ime->nw = 0;
	ime->tone = 0;
	ime->literal = 0;
	ime->plain_circumflex = 0;
	ime->overflow = 0;
	ime->base[0] = ime->raw[0] = ime->shown[0] = '\0';
}

void vn_ime_init(struct vn_ime *ime, enum vn_ime_method method, int modern)
{
	memset(ime, 0, sizeof *ime);
	ime->method = method;
	ime->modern = modern;
}

void vn_ime_reset(struct vn_ime *ime)
{
	vn_ime_clear(ime);
}

const char *vn_ime_method_name(enum vn_ime_method m)
{
	return m == VN_IME_TELEX ? "telex" : m == VN_IME_VNI ? "vni" : "off";
}

int vn_ime_method_parse(const char *name)
{
	if (strcmp(name, "off") == 0)
		return VN_IME_OFF;
	if (strcmp(name, "telex") == 0)
		return VN_IME_TELEX;
	if (strcmp(name, "vni") == 0)
		return VN_IME_VNI;
	return -1;
}

static int vn_ime_check(const struct vn_ime *ime, struct vn_syllable_parts *parts)
{
	struct vn_letter l[VN_IME_WORD_MAX];
	for (int i = 0; i < ime->nw; i++) {
		l[i] = ime->w[i].l;
		l[i].tone = 0;
	}
	return vn_syllable_check(l, ime->nw, ime->tone, VN_SYLLABLE_PREFIX, parts);
}

/* Writes the word as letters into out; 0 if some letter has no code point. */
static int vn_ime_render(const struct vn_ime *ime, char *out, size_t cap)
{
	struct vn_syllable_parts parts;
	if (ime->nw == 0) {
		out[0] = '\0';
		return 1;
	}
	if (!vn_ime_check(ime, &parts))
		return 0;
	struct vn_letter l[VN_IME_WORD_MAX];
	for (int i = 0; i < ime->nw; i++)
		l[i] = ime->w[i].l;
	int pos = ime->tone ? vn_syllable_tone_pos(l, ime->nw, &parts, ime->modern) : -1;
	struct strbuf sb;
	strbuf_init(&sb);
	int ok = 1;
	for (int i = 0; i < ime->nw && ok; i++) {
		l[i].tone = (unsigned char)(i == pos ? ime->tone : 0);
		uint32_t cp = vn_letter_compose(&l[i]);
		ok = cp != 0;
		strbuf_addcp(&sb, cp);
	}
	ok = ok && sb.len < cap;
	if (ok)
		memcpy(out, sb.buf, sb.len + 1);
	strbuf_release(&sb);
	return ok;
}

/* Where the vowel cluster lies (onset excluded: the u of qu, the i of gi). */
static void vn_ime_cluster(const struct vn_ime *ime, int *from, int *to)
{
	struct vn_syllable_parts parts;
	if (vn_ime_check(ime, &parts)) {
		*from = parts.onset_len;
		*to = parts.onset_len + parts.vowel_len;
	} else {
		*from = *to = 0;
	}
}

static int vn_ime_last(const struct vn_ime *ime, int from, int to, const char *bases)
{
	for (int i = to - 1; i >= from; i--)
		if (strchr(bases, ime->w[i].l.base))
			return i;
	return -1;
}

/* uơ and ưo followed by more letters are always ươ (thuow -> thuơ, but
 * thuowng -> thương; nguwoif -> người). */
static void vn_ime_fix_uo(struct vn_ime *ime)
{
	for (int i = 0; i + 2 < ime->nw; i++) {
		struct vn_letter *u = &ime->w[i].l, *o = &ime->w[i + 1].l;
		if (u->base != 'u' || o->base != 'o' || (i > 0 && ime->w[i - 1].l.base == 'q'))
			continue;
		if (u->mark == '+' && o->mark == 0)
			o->mark = '+';
		else if (u->mark == 0 && o->mark == '+')
			u->mark = '+';
	}
}

static enum vn_ime_result vn_ime_tone(struct vn_ime *ime, int tone)
{
	int from, to;
	vn_ime_cluster(ime, &from, &to);
	if (from == to)
		return VN_IME_NA;
	if (ime->tone == tone) {
		ime->tone = 0;
		return VN_IME_UNDONE;
	}
	ime->tone = tone;
	return VN_IME_DONE;
}

static enum vn_ime_result vn_ime_clear_tone(struct vn_ime *ime)
{
	if (!ime->tone)
		return VN_IME_NA;
	ime->tone = 0;
	return VN_IME_DONE;
}

static enum vn_ime_result vn_ime_mark(struct vn_ime *ime, const char *bases, char mark)
{
	int from, to;
	vn_ime_cluster(ime, &from, &to);
	int i = vn_ime_last(ime, from, to, bases);
	if (i < 0)
		return VN_IME_NA;
	if (ime->w[i].l.mark == mark) {
		ime->w[i].l.mark = 0;
		return VN_IME_UNDONE;
	}
	ime->w[i].l.mark = mark;
	return VN_IME_DONE;
}

/* The horn (Telex w, VNI 7) and, for Telex w, the breve. */
static enum vn_ime_result vn_ime_horn(struct vn_ime *ime, int breve_too, int lone)
{
	int from, to;
	vn_ime_cluster(ime, &from, &to);
	int targets[2], nt = 0;
	for (int i = from; i + 1 < to && !nt; i++)
		if (ime->w[i].l.base == 'u' && ime->w[i + 1].l.base == 'o') {
			/* uo at the end of the word takes the horn on o alone (thuở);
			 * with more letters after it becomes ươ */
			int alone = i + 2 == ime->nw && ime->w[i].l.mark == 0;
			targets[0] = alone ? i + 1 : i;
			targets[1] = i + 1;
			nt = alone ? 1 : 2;
		}
	if (!nt) {
		/* first u, then o, then a: the first that makes a valid cluster */
		const char *order = breve_too ? "uoa" : "uo";
		for (const char *b = order; *b && !nt; b++) {
			for (int i = from; i < to && !nt; i++) {
				if (ime->w[i].l.base != *b)
					continue;
				struct vn_ime t = *ime;
				t.w[i].l.mark = *b == 'a' ? '(' : '+';
				if (vn_ime_check(&t, NULL) || ime->w[i].l.mark == t.w[i].l.mark) {
					targets[0] = i;
					nt = 1;
				}
			}
		}
	}
	if (!nt) {
		if (!lone || from != to || ime->nw + 1 >= VN_IME_WORD_MAX)
			return VN_IME_NA;
		/* Telex: a lone w is ư */
		struct vn_ime_letter *l = &ime->w[ime->nw++];
		l->l = (struct vn_letter){'u', '+', 0, 0};
		l->from_w = 1;
		return VN_IME_DONE;
	}
	int all = 1;
	for (int k = 0; k < nt; k++) {
		char want = ime->w[targets[k]].l.base == 'a' ? '(' : '+';
		all = all && ime->w[targets[k]].l.mark == want;
	}
	if (all) {
		for (int k = nt - 1; k >= 0; k--) {
			int i = targets[k];
			if (ime->w[i].from_w) {
				memmove(&ime->w[i], &ime->w[i + 1], (size_t)(ime->nw - i - 1) * sizeof ime->w[0]);
				ime->nw--;
			} else {
				ime->w[i].l.mark = 0;
			}
		}
		return VN_IME_UNDONE;
	}
	for (int k = 0; k < nt; k++)
		ime->w[targets[k]].l.mark = ime->w[targets[k]].l.base == 'a' ? '(' : '+';
	return VN_IME_DONE;
}

static enum vn_ime_result vn_ime_stroke(struct vn_ime *ime)
{
	if (ime->nw == 0 || ime->w[0].l.base != 'd')
		return VN_IME_NA;
	if (ime->w[0].l.mark == '-') {
		ime->w[0].l.mark = 0;
		return VN_IME_UNDONE;
	}
	ime->w[0].l.mark = '-';
	return VN_IME_DONE;
}

static enum vn_ime_result vn_ime_transform(struct vn_ime *ime, char k)
{
	if (ime->method == VN_IME_TELEX) {
		switch (k) {
		case 's': return vn_ime_tone(ime, VN_TONE_SAC);
		case 'f': return vn_ime_tone(ime, VN_TONE_HUYEN);
		case 'r': return vn_ime_tone(ime, VN_TONE_HOI);
		case 'x': return vn_ime_tone(ime, VN_TONE_NGA);
		case 'j': return vn_ime_tone(ime, VN_TONE_NANG);
		case 'z': return vn_ime_clear_tone(ime);
		case 'a':
		case 'e':
		case 'o': return ime->plain_circumflex ? VN_IME_NA : vn_ime_mark(ime, (char[]){k, 0}, '^');
		case 'w': return vn_ime_horn(ime, 1, 1);
		case 'd': return vn_ime_stroke(ime);
		default: return VN_IME_NA;
		}
	}
	switch (k) {
	case '1': return vn_ime_tone(ime, VN_TONE_SAC);
	case '2': return vn_ime_tone(ime, VN_TONE_HUYEN);
	case '3': return vn_ime_tone(ime, VN_TONE_HOI);
	case '4': return vn_ime_tone(ime, VN_TONE_NGA);
	case '5': return vn_ime_tone(ime, VN_TONE_NANG);
	case '0': return vn_ime_clear_tone(ime);
	case '6': return vn_ime_mark(ime, "aeo", '^');
	case '7': return vn_ime_horn(ime, 0, 0);
	case '8': return vn_ime_mark(ime, "a", '(');
	case '9': return vn_ime_stroke(ime);
	default: return VN_IME_NA;
	}
}

static void vn_ime_append_shown(struct vn_ime *ime, uint32_t key)
{
	char tmp[4];
	size_t n = utf8_encode(key, tmp), len = strlen(ime->shown);
	if (len + n + 1 > sizeof ime->shown) {
		ime->overflow = 1;
		return;
	}
	memcpy(ime->shown + len, tmp, n);
	ime->shown[len + n] = '\0';
}

static void vn_ime_go_literal(struct vn_ime *ime, const char *text)
{
	ime->literal = 1;
	if (strlen(text) < sizeof ime->shown)
		memcpy(ime->shown, text, strlen(text) + 1);
	else
		ime->overflow = 1;
}

/* One key of the word (a letter, or a VNI digit) in structure mode. */
static void vn_ime_word_key(struct vn_ime *ime, uint32_t key)
{
	char k = (char)(key >= 'A' && key <= 'Z' ? key + 32 : key);
	size_t rl = strlen(ime->raw);
	if (rl + 2 > sizeof ime->raw || strlen(ime->base) + rl + 2 > sizeof ime->shown) {
		vn_ime_go_literal(ime, ime->shown);
		vn_ime_append_shown(ime, key);
		return;
	}
	ime->raw[rl] = (char)key;
	ime->raw[rl + 1] = '\0';

	struct vn_ime t = *ime;
	enum vn_ime_result r = vn_ime_transform(&t, k);
	char text[VN_IME_SHOWN_MAX];
	if (r == VN_IME_DONE) {
		vn_ime_fix_uo(&t);
		if (vn_ime_render(&t, text, sizeof text)) {
			*ime = t;
			memcpy(ime->shown, text, strlen(text) + 1);
			return;
		}
	} else if (r == VN_IME_UNDONE && ime->method == VN_IME_TELEX && strchr("aeo", k) &&
	           t.nw + 1 < VN_IME_WORD_MAX) {
		/* a circumflex undone (cooo): the letter doubled, and the word goes on, its tone
		 * still to come (cooocs -> coóc, booongs -> boóng) */
		struct vn_ime d = t;
		d.w[d.nw].l = (struct vn_letter){k, 0, 0, (unsigned char)(key >= 'A' && key <= 'Z')};
		d.w[d.nw].from_w = 0;
		d.nw++;
		d.plain_circumflex = 1;
		if (vn_ime_render(&d, text, sizeof text)) {
			*ime = d;
			memcpy(ime->shown, text, strlen(text) + 1);
			return;
		}
	}
	if (r == VN_IME_UNDONE) {
		/* the key undid its own effect: it is typed as itself, and the
		 * word is no longer transformed */
		if (!vn_ime_render(&t, text, sizeof text))
			memcpy(text, t.shown, strlen(t.shown) + 1);
		*ime = t;
		vn_ime_go_literal(ime, text);
		vn_ime_append_shown(ime, key);
		return;
	}
	/* a plain letter */
	t = *ime;
	if (k >= 'a' && k <= 'z' && t.nw + 1 < VN_IME_WORD_MAX) {
		t.w[t.nw].l = (struct vn_letter){k, 0, 0, (unsigned char)(key >= 'A' && key <= 'Z')};
		t.w[t.nw].from_w = 0;
		t.nw++;
		vn_ime_fix_uo(&t);
		if (vn_ime_render(&t, text, sizeof text)) {
			*ime = t;
			memcpy(ime->shown, text, strlen(text) + 1);
			return;
		}
	}
	/* not Vietnamese: the word as typed */
	char typed[2 * VN_IME_SHOWN_MAX];
	snprintf(typed, sizeof typed, "%s%s", ime->base, ime->raw);
	vn_ime_go_literal(ime, typed);
}

static int vn_ime_is_word_char(uint32_t cp)
{
	struct vn_letter l;
	return vn_letter_of(cp, &l) && l.base;
}

void vn_ime_set_context(struct vn_ime *ime, const char *before, size_t n)
{
	vn_ime_clear(ime);
	/* the trailing word: letters back to the first non-letter */
	size_t start = n;
	while (start > 0) {
		size_t prev = utf8_last_start(before, start);
		uint32_t cp;
		if (utf8_decode(before + prev, start - prev, &cp) < 0 || !vn_ime_is_word_char(cp))
			break;
		start = prev;
		if (n - start >= sizeof ime->shown - 1) {
			ime->literal = 1;
			ime->overflow = 1;
			return;
		}
	}
	const char *word = before + start;
	size_t len = n - start;
	memcpy(ime->shown, word, len);
	ime->shown[len] = '\0';
	memcpy(ime->base, word, len + 1);
	if (len == 0)
		return;
	size_t i = 0;
	int tones = 0;
	while (i < len) {
		uint32_t cp;
		int cl = utf8_decode(word + i, len - i, &cp);
		struct vn_letter l;
		if (cl < 0 || !vn_letter_of(cp, &l) || ime->nw + 1 >= VN_IME_WORD_MAX) {
			ime->literal = 1;
			return;
		}
		if (l.tone) {
			tones++;
			ime->tone = l.tone;
			l.tone = 0;
		}
		ime->w[ime->nw].l = l;
		ime->w[ime->nw].from_w = 0;
		ime->nw++;
		i += (size_t)cl;
	}
	if (tones > 1 || !vn_ime_check(ime, NULL)) {
		ime->nw = 0;
		ime->tone = 0;
		ime->literal = 1;
	}
}

static void vn_ime_diff(const char *old, const char *now, struct vn_ime_edit *e)
{
	size_t i = 0, common = 0;
	while (old[i] && old[i] == now[i])
		i++;
	/* back to a character boundary */
	while (i > 0 && ((unsigned char)old[i] & 0xC0) == 0x80)
		i--;
	common = i;
	e->del = utf8_nchars(old + common, strlen(old + common));
	snprintf(e->ins, sizeof e->ins, "%s", now + common);
}

/* A VNI mark on a word that is not one syllable (pala8ng): it goes to the
 * longest end of the word that is a syllable and takes it (la -> lă, then
 * palăng); the word's start stays as typed. 0 when no end takes it. */
static int vn_ime_tail_key(struct vn_ime *ime, uint32_t key, struct vn_ime_edit *e)
{
	size_t len = strlen(ime->shown);
	for (size_t start = 0; start < len;) {
		struct vn_ime t;
		vn_ime_init(&t, ime->method, ime->modern);
		vn_ime_set_context(&t, ime->shown + start, len - start);
		uint32_t cp;
		int cl = utf8_decode(ime->shown + start, len - start, &cp);
		size_t next = start + (cl > 0 ? (size_t)cl : 1);
		if (t.literal || t.nw == 0) {
			start = next;
			continue;
		}
		char old[VN_IME_SHOWN_MAX];
		memcpy(old, t.shown, sizeof old);
		vn_ime_word_key(&t, key);
		if (!t.literal && !t.overflow && strcmp(old, t.shown) != 0) {
			vn_ime_diff(old, t.shown, e);
			*ime = t;
			return 1;
		}
		start = next;
	}
	return 0;
}

void vn_ime_key(struct vn_ime *ime, uint32_t key, struct vn_ime_edit *e)
{
	e->del = 0;
	e->ins[0] = '\0';
	if (key == VN_IME_BACKSPACE) {
		e->del = 1;
		if (ime->overflow || ime->shown[0] == '\0') {
			int keep = ime->overflow;
			vn_ime_clear(ime);
			ime->literal = ime->overflow = keep;
			return;
		}
		char word[VN_IME_SHOWN_MAX];
		size_t len = strlen(ime->shown);
		memcpy(word, ime->shown, len + 1);
		vn_ime_set_context(ime, word, utf8_last_start(word, len));
		return;
	}
	char tmp[5] = {0};
	utf8_encode(key, tmp);
	int letter = key < 0x80 && ((key | 0x20) >= 'a' && (key | 0x20) <= 'z');
	int digit = key >= '0' && key <= '9';
	int in_word = ime->method != VN_IME_OFF &&
	              (letter || (digit && ime->method == VN_IME_VNI && (ime->nw > 0 || ime->literal)));
	if (!in_word) {
		vn_ime_clear(ime);
		snprintf(e->ins, sizeof e->ins, "%s", tmp);
		return;
	}
	if (ime->literal && !ime->overflow && digit && ime->method == VN_IME_VNI && vn_ime_tail_key(ime, key, e))
		return;
	if (ime->literal || ime->overflow) {
		if (!ime->overflow)
			vn_ime_append_shown(ime, key);
		snprintf(e->ins, sizeof e->ins, "%s", tmp);
		return;
	}
	char old[VN_IME_SHOWN_MAX];
	memcpy(old, ime->shown, sizeof old);
	vn_ime_word_key(ime, key);
	if (ime->overflow) {
		snprintf(e->ins, sizeof e->ins, "%s", tmp);
		return;
	}
	vn_ime_diff(old, ime->shown, e);
}
