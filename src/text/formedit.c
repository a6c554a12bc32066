/* The edit screen's model (formedit.h): text as code points, a cursor, the
 * input method, the limit; and the layout a screen draws. */
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <uniwidth.h>

#include "formedit.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"

static int formedit_width(uint32_t cp)
{
	int w = uc_width(cp, "UTF-8");
	return w < 0 ? 1 : w;
}

int formedit_picked(const struct formdef_field *f)
{
	return f->type == FORMDEF_CHOICE || f->type == FORMDEF_CHOICES || f->type == FORMDEF_UNIT;
}

void formedit_init(struct formedit *fe, const struct formdef_form *form, enum vn_ime_method method)
{
	memset(fe, 0, sizeof *fe);
	fe->form = form;
	fe->f = xalloc_calloc(form->nfields + 1, sizeof *fe->f);
	vn_ime_init(&fe->ime, method, 0);
	fe->cur = 0;
	while (fe->cur < form->nfields && !formedit_visible(fe, fe->cur))
		fe->cur++;
	if (fe->cur >= form->nfields)
		fe->cur = 0;
}

void formedit_release(struct formedit *fe)
{
	for (size_t i = 0; fe->f && i < fe->form->nfields; i++)
		free(fe->f[i].cp);
	free(fe->f);
	fe->f = NULL;
}

char *formedit_text(const struct formedit *fe, size_t i)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (size_t k = 0; k < fe->f[i].len; k++)
		strbuf_addcp(&sb, fe->f[i].cp[k]);
	return strbuf_detach(&sb, NULL);
}

size_t formedit_length(const struct formedit *fe, size_t i)
{
	return fe->f[i].len;
}

static void formedit_splice(struct formedit_field *f, size_t pos, size_t del, const uint32_t *ins, size_t n)
{
	if (pos > f->len)
		pos = f->len;
	if (del > f->len - pos)
		del = f->len - pos;
	size_t len = f->len - del + n;
	if (len + 1 > f->cap) {
		f->cap = len + 16;
		f->cp = xalloc_realloc(f->cp, f->cap * sizeof *f->cp);
	}
	memmove(f->cp + pos + n, f->cp + pos + del, (f->len - pos - del) * sizeof *f->cp);
	if (n)
		memcpy(f->cp + pos, ins, n * sizeof *ins);
	f->len = len;
}

/* UTF-8 as code points, NFC; controls dropped but line breaks in a long
 * text (a tab, or a break in a one-line field, is a space). */
static uint32_t *formedit_decode(const char *utf8, int multiline, size_t *n)
{
	char *nfc = vn_nfc_dup(utf8 ? utf8 : "");
	struct strbuf repaired;
	strbuf_init(&repaired);
	if (!nfc) { /* not UTF-8: what can be read of it */
		vn_nfc_repair(utf8, strlen(utf8), &repaired);
		nfc = strbuf_detach(&repaired, NULL);
	}
	strbuf_release(&repaired);
	size_t blen = strlen(nfc), k = 0;
	uint32_t *out = xalloc_calloc(blen + 1, sizeof *out);
	for (size_t pos = 0; pos < blen;) {
		uint32_t cp;
		int len = utf8_decode(nfc + pos, blen - pos, &cp);
		pos += len > 0 ? (size_t)len : 1;
		if (len <= 0 || cp == '\r')
			continue;
		if (cp == '\n' && multiline) {
			out[k++] = cp;
			continue;
		}
		if (cp == '\t' || cp == '\n')
			cp = ' ';
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			continue;
		out[k++] = cp;
	}
	free(nfc);
	*n = k;
	return out;
}

void formedit_set(struct formedit *fe, size_t i, const char *utf8)
{
	size_t n;
	uint32_t *cp = formedit_decode(utf8, fe->form->fields[i].type == FORMDEF_LONGTEXT, &n);
	struct formedit_field *f = &fe->f[i];
	f->len = 0;
	formedit_splice(f, 0, 0, cp, n);
	f->cursor = f->len;
	f->scroll = 0;
	free(cp);
	if (i == fe->cur) {
		vn_ime_reset(&fe->ime);
		fe->last = 0;
	}
}

int formedit_find(const struct formedit *fe, const char *id)
{
	for (size_t i = 0; i < fe->form->nfields; i++)
		if (strcmp(fe->form->fields[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* A condition of the form (formdef_cond_holds) on the text as typed: a
 * code, for a choice. */
static int formedit_holds(const struct formedit *fe, const struct formdef_cond *c)
{
	if (!c->field)
		return 1;
	int i = formedit_find(fe, c->field);
	if (i < 0 || fe->f[i].len == 0)
		return 0;
	char *v = formedit_text(fe, (size_t)i);
	int holds = !c->value || strcmp(v, c->value) == 0;
	free(v);
	return holds;
}

int formedit_visible(const struct formedit *fe, size_t i)
{
	return formedit_holds(fe, &fe->form->fields[i].show_when);
}

int formedit_required(const struct formedit *fe, size_t i)
{
	const struct formdef_field *f = &fe->form->fields[i];
	return f->required || (f->required_when.field && formedit_holds(fe, &f->required_when));
}

static void formedit_moved(struct formedit *fe)
{
	vn_ime_reset(&fe->ime);
	fe->last = 0;
}

void formedit_goto(struct formedit *fe, size_t i)
{
	if (i < fe->form->nfields)
		fe->cur = i;
	formedit_moved(fe);
}

int formedit_step(struct formedit *fe, int dir)
{
	for (size_t i = fe->cur; dir > 0 ? i + 1 < fe->form->nfields : i > 0;) {
		i = dir > 0 ? i + 1 : i - 1;
		if (formedit_visible(fe, i)) {
			formedit_goto(fe, i);
			return 1;
		}
	}
	return 0;
}

void formedit_set_method(struct formedit *fe, enum vn_ime_method method)
{
	vn_ime_init(&fe->ime, method, 0);
	fe->last = 0;
}

/* Inserts n characters at the cursor, as many as the limit lets in. */
static int formedit_insert(struct formedit *fe, const uint32_t *cp, size_t n)
{
	const struct formdef_field *d = &fe->form->fields[fe->cur];
	struct formedit_field *f = &fe->f[fe->cur];
	int rc = 0;
	if (d->maxlen > 0 && f->len + n > (size_t)d->maxlen) {
		n = f->len < (size_t)d->maxlen ? (size_t)d->maxlen - f->len : 0;
		rc = FORMEDIT_FULL;
	}
	formedit_splice(f, f->cursor, 0, cp, n);
	f->cursor += n;
	return rc | (n ? FORMEDIT_CHANGED : 0);
}

/* An edit of the input method: del characters before the cursor, then ins. */
static int formedit_apply(struct formedit *fe, const struct vn_ime_edit *ed)
{
	struct formedit_field *f = &fe->f[fe->cur];
	size_t del = ed->del < f->cursor ? ed->del : f->cursor;
	formedit_splice(f, f->cursor - del, del, NULL, 0);
	f->cursor -= del;
	size_t n;
	uint32_t *cp = formedit_decode(ed->ins, 0, &n);
	int rc = formedit_insert(fe, cp, n) | (del ? FORMEDIT_CHANGED : 0);
	free(cp);
	if (rc & FORMEDIT_FULL) /* the word is no longer what the input method thinks */
		formedit_moved(fe);
	return rc;
}

int formedit_char(struct formedit *fe, uint32_t cp)
{
	const struct formdef_field *d = &fe->form->fields[fe->cur];
	struct formedit_field *f = &fe->f[fe->cur];
	if (formedit_picked(d) || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	fe->dirty = 1;
	if (uc_is_general_category(cp, UC_NON_SPACING_MARK)) {
		/* a mark typed after its letter (a system input method, a terminal that sends NFD) */
		if (!fe->last || f->cursor == 0)
			return 0;
		uint32_t pair[2] = {f->cp[f->cursor - 1], cp}, out[4];
		size_t n = 4;
		uint32_t *r = u32_normalize(UNINORM_NFC, pair, 2, out, &n);
		if (!r || n != 1)
			return 0;
		f->cp[f->cursor - 1] = out[0];
		fe->last = out[0];
		vn_ime_reset(&fe->ime);
		return FORMEDIT_CHANGED;
	}
	struct vn_ime_edit ed;
	vn_ime_key(&fe->ime, cp, &ed);
	fe->last = cp;
	return formedit_apply(fe, &ed);
}

int formedit_paste(struct formedit *fe, const char *utf8)
{
	const struct formdef_field *d = &fe->form->fields[fe->cur];
	if (formedit_picked(d))
		return 0;
	size_t n;
	uint32_t *cp = formedit_decode(utf8, d->type == FORMDEF_LONGTEXT, &n);
	fe->dirty = 1;
	formedit_moved(fe);
	int rc = formedit_insert(fe, cp, n);
	free(cp);
	return rc;
}

/* The rows of a long text in width columns: rows[k] is where row k starts;
 * a row breaks after the last space that lets its word fit, or where it is
 * full, and after each line break. */
static size_t formedit_wrap(const struct formedit_field *f, int width, size_t **starts)
{
	size_t n = 1, cap = 8;
	*starts = xalloc_malloc(cap * sizeof **starts);
	(*starts)[0] = 0;
	size_t row = 0, space = (size_t)-1;
	int w = 0;
	for (size_t k = 0; k < f->len; k++) {
		size_t next = (size_t)-1;
		if (f->cp[k] == '\n') {
			next = k + 1;
		} else {
			int cw = formedit_width(f->cp[k]);
			if (w + cw > width && k > row) {
				next = space != (size_t)-1 ? space + 1 : k;
			} else {
				w += cw;
				if (f->cp[k] == ' ')
					space = k;
				continue;
			}
		}
		if (n == cap) {
			cap *= 2;
			*starts = xalloc_realloc(*starts, cap * sizeof **starts);
		}
		(*starts)[n++] = next;
		row = next;
		space = (size_t)-1;
		w = 0;
		k = next - 1; /* the loop goes on from the row's start */
	}
	return n;
}

/* The row a character index is on. */
static size_t formedit_row_of(const size_t *starts, size_t n, size_t at)
{
	size_t r = 0;
	while (r + 1 < n && starts[r + 1] <= at)
		r++;
	return r;
}

static int formedit_cols(const struct formedit_field *f, size_t from, size_t to)
{
	int w = 0;
	for (size_t k = from; k < to && k < f->len; k++)
		w += f->cp[k] == '\n' ? 0 : formedit_width(f->cp[k]);
	return w;
}

/* The end of row r: before its line break or the next row. */
static size_t formedit_row_end(const struct formedit_field *f, const size_t *starts, size_t n, size_t r)
{
	if (r + 1 >= n)
		return f->len;
	size_t end = starts[r + 1];
	return end > starts[r] && (f->cp[end - 1] == '\n' || end - 1 > starts[r]) ? end - 1 : end;
}

/* Up or down one row in a long text, to the same column. */
static int formedit_row_step(struct formedit_field *f, int width, int dir)
{
	size_t *starts;
	size_t n = formedit_wrap(f, width, &starts);
	size_t r = formedit_row_of(starts, n, f->cursor);
	int rc = 0;
	if ((dir < 0 && r == 0) || (dir > 0 && r + 1 >= n)) {
		rc = FORMEDIT_OUT;
	} else {
		int col = formedit_cols(f, starts[r], f->cursor);
		size_t t = dir < 0 ? r - 1 : r + 1, at = starts[t], end = formedit_row_end(f, starts, n, t);
		while (at < end && formedit_cols(f, starts[t], at + 1) <= col)
			at++;
		f->cursor = at;
	}
	free(starts);
	return rc;
}

int formedit_key(struct formedit *fe, enum formedit_key key, int width)
{
	const struct formdef_field *d = &fe->form->fields[fe->cur];
	struct formedit_field *f = &fe->f[fe->cur];
	int longtext = d->type == FORMDEF_LONGTEXT;
	if (width < 1)
		width = 1;
	if (key != FORMEDIT_BACKSPACE)
		formedit_moved(fe);
	switch (key) {
	case FORMEDIT_LEFT:
		if (f->cursor > 0)
			f->cursor--;
		return 0;
	case FORMEDIT_RIGHT:
		if (f->cursor < f->len)
			f->cursor++;
		return 0;
	case FORMEDIT_HOME:
		while (f->cursor > 0 && !(longtext && f->cp[f->cursor - 1] == '\n'))
			f->cursor--;
		return 0;
	case FORMEDIT_END:
		while (f->cursor < f->len && !(longtext && f->cp[f->cursor] == '\n'))
			f->cursor++;
		return 0;
	case FORMEDIT_DELETE:
		if (f->cursor >= f->len || formedit_picked(d))
			return 0;
		formedit_splice(f, f->cursor, 1, NULL, 0);
		fe->dirty = 1;
		return FORMEDIT_CHANGED;
	case FORMEDIT_BACKSPACE: {
		fe->dirty = 1;
		if (formedit_picked(d)) { /* a choice is cleared whole */
			int had = f->len > 0;
			formedit_set(fe, fe->cur, "");
			return had ? FORMEDIT_CHANGED : 0;
		}
		if (f->cursor == 0)
			return 0;
		struct vn_ime_edit ed;
		vn_ime_key(&fe->ime, VN_IME_BACKSPACE, &ed);
		if (ed.del == 0 && !ed.ins[0])
			ed.del = 1;
		fe->last = 0;
		return formedit_apply(fe, &ed);
	}
	case FORMEDIT_UP:
	case FORMEDIT_DOWN:
		if (!longtext)
			return FORMEDIT_OUT;
		return formedit_row_step(f, width, key == FORMEDIT_UP ? -1 : 1);
	case FORMEDIT_NEWLINE: {
		if (!longtext)
			return 0;
		fe->dirty = 1;
		uint32_t nl = '\n';
		return formedit_insert(fe, &nl, 1);
	}
	}
	return 0;
}

/* The characters from..to as UTF-8, at most width columns. */
static char *formedit_row_text(const struct formedit_field *f, size_t from, size_t to, int width)
{
	struct strbuf sb;
	strbuf_init(&sb);
	int w = 0;
	for (size_t k = from; k < to && k < f->len; k++) {
		if (f->cp[k] == '\n')
			break;
		int cw = formedit_width(f->cp[k]);
		if (w + cw > width)
			break;
		w += cw;
		strbuf_addcp(&sb, f->cp[k]);
	}
	return strbuf_detach(&sb, NULL);
}

void formedit_view(struct formedit *fe, size_t i, int width, int height, struct formedit_view *v)
{
	struct formedit_field *f = &fe->f[i];
	memset(v, 0, sizeof *v);
	if (width < 1)
		width = 1;
	if (height < 1)
		height = 1;
	if (f->cursor > f->len)
		f->cursor = f->len;
	if (fe->form->fields[i].type != FORMDEF_LONGTEXT) {
		/* sideways: the cursor in sight, with room for it at the end */
		if (f->scroll > f->cursor)
			f->scroll = f->cursor;
		while (f->scroll < f->cursor && formedit_cols(f, f->scroll, f->cursor) >= width)
			f->scroll++;
		v->rows = xalloc_calloc(2, sizeof *v->rows);
		v->rows[0] = formedit_row_text(f, f->scroll, f->len, width);
		v->nrows = 1;
		v->cursor_col = formedit_cols(f, f->scroll, f->cursor);
		return;
	}
	size_t *starts;
	size_t n = formedit_wrap(f, width, &starts);
	size_t r = formedit_row_of(starts, n, f->cursor);
	if (f->scroll > r)
		f->scroll = r;
	if (r >= f->scroll + (size_t)height)
		f->scroll = r - (size_t)height + 1;
	if (f->scroll >= n)
		f->scroll = 0;
	v->rows = xalloc_calloc((size_t)height + 1, sizeof *v->rows);
	for (size_t k = f->scroll; k < n && v->nrows < height; k++)
		v->rows[v->nrows++] = formedit_row_text(f, starts[k], k + 1 < n ? starts[k + 1] : f->len, width);
	v->cursor_row = (int)(r - f->scroll);
	v->cursor_col = formedit_cols(f, starts[r], f->cursor);
	if (v->cursor_col >= width)
		v->cursor_col = width - 1;
	free(starts);
}

void formedit_view_release(struct formedit_view *v)
{
	for (int k = 0; k < v->nrows; k++)
		free(v->rows[k]);
	free(v->rows);
	v->rows = NULL;
	v->nrows = 0;
}
