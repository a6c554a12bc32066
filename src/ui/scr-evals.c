/* Every evaluation, latest period first, paged; h opens the due list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scr-edit.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-vlist.h"
#include "xalloc.h"

struct scr_evals {
	struct ui *ui;
	unsigned seen;
	int searching;
	struct strbuf search;
	struct ui_vlist list;
};

static int scr_evals_page(void *ctx, const void *boundary, int backward, void *rows, int limit)
{
	struct scr_evals *s = ctx;
	const struct store_evaluation_row *b = boundary;
	struct mh_error err;
	int n = store_evaluation_page(s->ui->st, s->search.len ? s->search.buf : NULL, b ? b->key : NULL, backward,
	                              rows, limit, &err);
	if (n < 0)
		ui_message(s->ui, "%s", err.msg);
	return n;
}

static void scr_evals_line(WINDOW *win, int y, int width, const char *period, const char *model, const char *unit,
                           const char *kind, const char *rating)
{
	int pw = 22, uw = width >= 100 ? 22 : 16, kw = 10, rw = width >= 100 ? 22 : 14;
	int mw = width - pw - uw - kw - rw - 1;
	int x = 1;
	ui_put(win, y, 0, " ", 1);
	ui_put(win, y, x, period, pw - 1);
	x += pw;
	ui_put(win, y, x, model, mw - 1);
	x += mw;
	ui_put(win, y, x, unit, uw - 1);
	x += uw;
	ui_put(win, y, x, kind, kw - 1);
	x += kw;
	ui_put(win, y, x, rating, width - x);
}

static void scr_evals_header(void *ctx, WINDOW *win, int y, int width)
{
	(void)ctx;
	scr_evals_line(win, y, width, _("Period"), _("Model"), _("Unit"), _("Kind"), _("Result"));
}

static void scr_evals_row(void *ctx, WINDOW *win, int y, int width, const void *row)
{
	(void)ctx;
	const struct store_evaluation_row *r = row;
	char period[32];
	snprintf(period, sizeof period, "%.2s/%.2s/%.4s–%.2s/%.2s/%.4s", r->period_from + 8, r->period_from + 5,
	         r->period_from, r->period_to + 8, r->period_to + 5, r->period_to);
	scr_evals_line(win, y, width, period, r->model_name, r->unit_name[0] ? r->unit_name : _("whole model"), r->kind,
	               r->rating[0] ? r->rating : "—");
}

static const struct ui_vlist_source scr_evals_source = {
    sizeof(struct store_evaluation_row), store_rows_release, scr_evals_page, scr_evals_header, scr_evals_row,
};

static void *scr_evals_enter(struct ui *ui, void *arg)
{
	(void)arg;
	struct scr_evals *s = xalloc_calloc(1, sizeof *s);
	s->ui = ui;
	s->seen = ui->data_changed;
	strbuf_init(&s->search);
	ui_vlist_init(&s->list, &scr_evals_source, s);
	return s;
}

static void scr_evals_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_evals *s = state;
	ui_vlist_release(&s->list);
	strbuf_release(&s->search);
	free(s);
}

static void scr_evals_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_evals *s = state;
	if (s->seen != ui->data_changed) {
		s->seen = ui->data_changed;
		ui_vlist_reload(&s->list);
	}
	ui_vlist_draw(&s->list, win, ui->colors ? COLOR_PAIR(2) : A_REVERSE);
	if (s->list.n == 0 && !s->list.failed)
		ui_put(win, 2, 2, _("No evaluation yet."), getmaxx(win) - 4);
	ui_search_show(ui, s->searching, &s->search, NULL);
}

static int scr_evals_key(struct ui *ui, void *state, int is_key, wint_t ch)
{
	(void)ui;
	struct scr_evals *s = state;
	int r = ui_search_key(&s->searching, &s->search, is_key, ch);
	if (r == 2)
		ui_vlist_first(&s->list);
	return r ? UI_HANDLED : 0;
}

static int scr_evals_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_evals *s = state;
	if (ui_list_move(&s->list, act))
		return UI_HANDLED;
	switch (act) {
	case UI_ACT_SEARCH: s->searching = 1; return UI_HANDLED;
	case UI_ACT_DUE: ui_push(ui, &scr_due, (void *)"due"); return UI_HANDLED;
	case UI_ACT_OPEN: {
		const struct store_evaluation_row *r = ui_vlist_current(&s->list);
		if (r) {
			struct scr_edit_arg a = {.form = "evaluation", .id = r->id};
			ui_push(ui, &scr_edit, &a);
		}
		return UI_HANDLED;
	}
	default: return 0;
	}
}

static const enum ui_action scr_evals_bar[] = {UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_DUE, UI_ACT_PGDN, UI_ACT_NONE};
static const enum ui_action scr_evals_keys[] = {UI_ACT_UP,  UI_ACT_DOWN, UI_ACT_PGUP,   UI_ACT_PGDN, UI_ACT_HOME,
                                                UI_ACT_END, UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_DUE,  UI_ACT_NONE};

const struct ui_screen scr_evals = {
    .title = N_("Evaluations"),
    .enter = scr_evals_enter,
    .draw = scr_evals_draw,
    .action = scr_evals_action,
    .leave = scr_evals_leave,
    .bar = scr_evals_bar,
    .keys = scr_evals_keys,
    .key = scr_evals_key,
};
