/* The list screen (scr-list.h). */
#include "scr-list.h"

#include <stdlib.h>

#include "xalloc.h"

void *scr_list_enter(struct ui *ui, const struct scr_list_source *src, void *arg)
{
	struct scr_list *l = xalloc_calloc(1, sizeof *l);
	l->ui = ui;
	l->src = src;
	l->seen = ui->data_changed;
	strbuf_init(&l->search);
	ui_vlist_init(&l->list, &src->rows, l);
	if (src->enter)
		src->enter(l, arg);
	return l;
}

void scr_list_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_list *l = state;
	ui_vlist_release(&l->list);
	if (l->src->leave)
		l->src->leave(l);
	strbuf_release(&l->search);
	free(l);
}

void scr_list_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_list *l = state;
	if (l->seen != ui->data_changed) { /* a save somewhere: the rows again */
		l->seen = ui->data_changed;
		ui_vlist_reload(&l->list);
	}
	ui_vlist_draw(&l->list, win, ui->colors ? COLOR_PAIR(2) : A_REVERSE);
	if (l->list.n == 0 && !l->list.failed)
		ui_put(win, 2, 2, l->src->empty(l), getmaxx(win) - 4);
	struct strbuf line;
	strbuf_init(&line);
	if (l->src->status)
		l->src->status(l, &line);
	ui_search_show(ui, l->searching, &l->search, line.buf);
	strbuf_release(&line);
}

int scr_list_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_list *l = state;
	if (ui_list_move(&l->list, act))
		return UI_HANDLED;
	if (act == UI_ACT_SEARCH) {
		l->searching = 1;
		return UI_HANDLED;
	}
	return l->src->action(ui, l, act);
}

int scr_list_key(struct ui *ui, void *state, int is_key, wint_t ch)
{
	(void)ui;
	struct scr_list *l = state;
	int r = ui_search_key(&l->searching, &l->search, is_key, ch);
	if (r == 2) {
		if (l->src->searched)
			l->src->searched(l);
		ui_vlist_first(&l->list);
	}
	return r ? UI_HANDLED : 0;
}
