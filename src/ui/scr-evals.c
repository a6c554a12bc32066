/* Every evaluation, latest period first, paged; h opens the due list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scr-edit.h"
#include "scr-list.h"
#include "store-list.h"

static int scr_evals_page(void *ctx, const void *boundary, int backward, void *rows, int limit)
{
	struct scr_list *l = ctx;
	const struct store_evaluation_row *b = boundary;
	struct mh_error err;
	int n = store_evaluation_page(l->ui->st, l->search.len ? l->search.buf : NULL, b ? b->key : NULL, backward,
	                              rows, limit, &err);
	if (n < 0)
		ui_message(l->ui, "%s", err.msg);
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

static const char *scr_evals_empty(const struct scr_list *l)
{
	return l->search.len ? _("No evaluation matches the search.") : _("No evaluation yet.");
}

static int scr_evals_action(struct ui *ui, struct scr_list *l, enum ui_action act)
{
	switch (act) {
	case UI_ACT_DUE: ui_push(ui, &scr_due, (void *)"due"); return UI_HANDLED;
	case UI_ACT_OPEN: {
		const struct store_evaluation_row *r = ui_vlist_current(&l->list);
		if (r) {
			struct scr_edit_arg a = {.form = "evaluation", .id = r->id};
			ui_push(ui, &scr_edit, &a);
		}
		return UI_HANDLED;
	}
	default: return 0;
	}
}

static const struct scr_list_source scr_evals_source = {
    .rows = {sizeof(struct store_evaluation_row), store_rows_release, scr_evals_page, scr_evals_header, scr_evals_row},
    .empty = scr_evals_empty,
    .action = scr_evals_action,
};

static void *scr_evals_enter(struct ui *ui, void *arg)
{
	return scr_list_enter(ui, &scr_evals_source, arg);
}

static const enum ui_action scr_evals_bar[] = {UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_DUE, UI_ACT_PGDN, UI_ACT_NONE};
static const enum ui_action scr_evals_keys[] = {UI_ACT_UP,  UI_ACT_DOWN, UI_ACT_PGUP,   UI_ACT_PGDN, UI_ACT_HOME,
                                                UI_ACT_END, UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_DUE,  UI_ACT_NONE};

const struct ui_screen scr_evals = {
    .title = N_("Evaluations"),
    .enter = scr_evals_enter,
    .draw = scr_list_draw,
    .action = scr_list_action,
    .leave = scr_list_leave,
    .bar = scr_evals_bar,
    .keys = scr_evals_keys,
    .key = scr_list_key,
};
