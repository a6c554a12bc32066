#include "ui-vlist.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define ROW(l, buf, i) ((buf) + (size_t)(i) * (l)->src->row_size)

void ui_vlist_init(struct ui_vlist *l, const struct ui_vlist_source *src, void *ctx)
{
	memset(l, 0, sizeof *l);
	l->src = src;
	l->ctx = ctx;
}

/* Releases rows [from, from + n) of the page. */
static void ui_vlist_drop(struct ui_vlist *l, int from, int n)
{
	if (n > 0)
		l->src->release(ROW(l, l->rows, from), (size_t)n, l->src->row_size);
}

void ui_vlist_release(struct ui_vlist *l)
{
	ui_vlist_drop(l, 0, l->n);
	free(l->rows);
	free(l->spare);
	l->rows = l->spare = NULL;
	l->cap = l->n = 0;
}

static void ui_vlist_resize(struct ui_vlist *l, int cap)
{
	if (cap < 1)
		cap = 1;
	if (cap == l->cap)
		return;
	if (l->n > cap) {
		ui_vlist_drop(l, cap, l->n - cap);
		l->n = cap;
	}
	l->rows = xalloc_realloc(l->rows, (size_t)cap * l->src->row_size);
	l->spare = xalloc_realloc(l->spare, (size_t)cap * l->src->row_size);
	l->cap = cap;
	if (l->cursor >= l->n)
		l->cursor = l->n > 0 ? l->n - 1 : 0;
}

static int ui_vlist_fetch(struct ui_vlist *l, const void *boundary, int backward, char *into, int limit)
{
	int n = l->src->page(l->ctx, boundary, backward, into, limit);
	if (n < 0) {
		l->failed = 1;
		return 0;
	}
	return n;
}

void ui_vlist_first(struct ui_vlist *l)
{
	ui_vlist_drop(l, 0, l->n);
	l->n = ui_vlist_fetch(l, NULL, 0, l->rows, l->cap);
	l->cursor = 0;
}

void ui_vlist_last(struct ui_vlist *l)
{
	ui_vlist_drop(l, 0, l->n);
	l->n = ui_vlist_fetch(l, NULL, 1, l->rows, l->cap);
	l->cursor = l->n > 0 ? l->n - 1 : 0;
}

/* Refills the page from its first row on (after a change of height). */
void ui_vlist_reload(struct ui_vlist *l)
{
	if (l->cap == 0)
		return; /* not drawn yet: the first draw reads */
	if (l->n == 0) {
		ui_vlist_first(l);
		return;
	}
	char *before = xalloc_malloc(l->src->row_size);
	int cursor = l->cursor;
	int k = ui_vlist_fetch(l, l->rows, 1, before, 1);
	ui_vlist_drop(l, 0, l->n);
	l->n = ui_vlist_fetch(l, k ? before : NULL, 0, l->rows, l->cap);
	if (k)
		l->src->release(before, 1, l->src->row_size);
	free(before);
	/* rows that moved up past the page (renamed here or by another officer)
	 * would leave it short, or empty: topped up from above */
	if (l->n < l->cap) {
		int up = ui_vlist_fetch(l, l->n ? l->rows : NULL, 1, l->spare, l->cap - l->n);
		memmove(ROW(l, l->rows, up), l->rows, (size_t)l->n * l->src->row_size);
		memcpy(l->rows, l->spare, (size_t)up * l->src->row_size);
		l->n += up;
		cursor += up;
	}
	l->cursor = cursor < l->n ? cursor : (l->n > 0 ? l->n - 1 : 0);
}

void ui_vlist_move(struct ui_vlist *l, int delta)
{
	if (l->n == 0)
		return;
	size_t rs = l->src->row_size;
	int target = l->cursor + delta;
	if (target >= 0 && target < l->n) {
		l->cursor = target;
		return;
	}
	if (delta > 0) {
		int want = target - (l->n - 1);
		int k = ui_vlist_fetch(l, ROW(l, l->rows, l->n - 1), 0, l->spare, want < l->cap ? want : l->cap);
		if (k == 0) {
			l->cursor = l->n - 1;
			return;
		}
		/* keep the last rows that still fit, then the new ones */
		int keep = l->n - k;
		if (keep < 0)
			keep = 0;
		ui_vlist_drop(l, 0, l->n - keep);
		memmove(l->rows, ROW(l, l->rows, l->n - keep), (size_t)keep * rs);
		memcpy(ROW(l, l->rows, keep), l->spare, (size_t)k * rs);
		l->n = keep + k;
		l->cursor = k < want ? l->n - 1 : l->cursor + delta - k;
		if (l->cursor >= l->n)
			l->cursor = l->n - 1;
		if (l->cursor < 0)
			l->cursor = 0;
	} else {
		int want = -target;
		int k = ui_vlist_fetch(l, l->rows, 1, l->spare, want < l->cap ? want : l->cap);
		if (k == 0) {
			l->cursor = 0;
			return;
		}
		int keep = l->n < l->cap - k ? l->n : l->cap - k;
		ui_vlist_drop(l, keep, l->n - keep);
		memmove(ROW(l, l->rows, k), l->rows, (size_t)keep * rs);
		memcpy(l->rows, l->spare, (size_t)k * rs);
		l->n = keep + k;
		l->cursor = k < want ? 0 : l->cursor + delta + k;
		if (l->cursor < 0)
			l->cursor = 0;
		if (l->cursor >= l->n)
			l->cursor = l->n - 1;
	}
}

const void *ui_vlist_current(const struct ui_vlist *l)
{
	return l->n > 0 ? ROW(l, l->rows, l->cursor) : NULL;
}

void ui_vlist_draw(struct ui_vlist *l, WINDOW *win, int selected_attr)
{
	int h = getmaxy(win), w = getmaxx(win);
	int cap = h - 1;
	if (cap != l->cap) {
		int had = l->cap;
		ui_vlist_resize(l, cap);
		if (had)
			ui_vlist_reload(l);
		else
			ui_vlist_first(l);
	}
	wattron(win, A_BOLD | A_UNDERLINE);
	l->src->draw_header(l->ctx, win, 0, w);
	wattroff(win, A_BOLD | A_UNDERLINE);
	for (int i = 0; i < l->n; i++) {
		if (i == l->cursor)
			wattron(win, selected_attr);
		l->src->draw_row(l->ctx, win, i + 1, w, ROW(l, l->rows, i));
		if (i == l->cursor)
			wattroff(win, selected_attr);
	}
}
