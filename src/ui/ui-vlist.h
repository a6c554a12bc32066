/* One generic list for every browse screen. It owns no rows beyond one
 * page: it asks a row source for the rows after or before a boundary row
 * (keyset paging), so a list of a million rows costs one page of memory.
 * The rows own their texts: the list releases each row it drops. */
#ifndef MOHINH_UI_VLIST_H
#define MOHINH_UI_VLIST_H
#include <curses.h>
#include <stddef.h>

struct ui_vlist_source {
	size_t row_size;
	/* Frees what n rows own (store_rows_release for the store's rows). */
	void (*release)(void *rows, size_t n, size_t row_size);
	/* Up to limit rows after (or, backward, before) boundary — NULL for the
	 * start (or the end) — in list order. Returns the count or -1. */
	int (*page)(void *ctx, const void *boundary, int backward, void *rows, int limit);
	void (*draw_header)(void *ctx, WINDOW *win, int y, int width);
	void (*draw_row)(void *ctx, WINDOW *win, int y, int width, const void *row);
};

struct ui_vlist {
	const struct ui_vlist_source *src;
	void *ctx;
	char *rows;  /* one page */
	char *spare; /* room for fetching the next page */
	int cap;     /* rows the page can hold */
	int n;       /* rows loaded */
	int cursor;  /* index of the selected row in the page */
	int failed;  /* the source failed */
};

void ui_vlist_init(struct ui_vlist *l, const struct ui_vlist_source *src, void *ctx);
void ui_vlist_release(struct ui_vlist *l);
/* Draws into win (a header line, then rows); fits the page to the height. */
void ui_vlist_draw(struct ui_vlist *l, WINDOW *win, int selected_attr);
void ui_vlist_first(struct ui_vlist *l);
/* Reads the page again from its first row (the rows may have changed). */
void ui_vlist_reload(struct ui_vlist *l);
void ui_vlist_last(struct ui_vlist *l);
void ui_vlist_move(struct ui_vlist *l, int delta); /* +-1 or +-page */
/* The selected row, or NULL. */
const void *ui_vlist_current(const struct ui_vlist *l);

#endif
