/* The points of every model, paged; the same list in "due" mode shows the
 * points not evaluated in the current half-year, longest waiting first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-vlist.h"
#include "utf8.h"
#include "xalloc.h"

struct scr_points {
	struct ui *ui;
	unsigned seen;
	int due;
	char due_before[11];
	int searching;
	struct strbuf search;
	struct store_point_filter filter;
	struct ui_vlist list;
};

static int scr_points_page(void *ctx, const void *boundary, int backward, void *rows, int limit)
{
	struct scr_points *s = ctx;
	const struct store_point_row *b = boundary;
	struct mh_error err;
	int n = store_point_page(s->ui->st, &s->filter, b ? b->key : NULL, backward, rows, limit, &err);
	if (n < 0)
		ui_message(s->ui, "%s", err.msg);
	return n;
}

static void scr_points_date(const char *iso, char out[11])
{
	if (strlen(iso) == 10)
		snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, 11, "—");
}

static void scr_points_line(WINDOW *win, int y, int width, const char *model, const char *unit, const char *date,
                            const char *status)
{
	int uw = width >= 100 ? 26 : 20, dw = 11, sw = width >= 100 ? 22 : 16;
	int mw = width - uw - dw - sw - 1;
	ui_put(win, y, 0, " ", 1);
	ui_put(win, y, 1, model, mw - 1);
	ui_put(win, y, 1 + mw, unit, uw - 1);
	ui_put(win, y, 1 + mw + uw, date, dw - 1);
	ui_put(win, y, 1 + mw + uw + dw, status, width - (1 + mw + uw + dw));
}

static void scr_points_header(void *ctx, WINDOW *win, int y, int width)
{
	struct scr_points *s = ctx;
	scr_points_line(win, y, width, _("Model"), _("Unit"), s->due ? _("Evaluated") : _("Launched"), _("Status"));
}

static void scr_points_row(void *ctx, WINDOW *win, int y, int width, const void *row)
{
	struct scr_points *s = ctx;
	const struct store_point_row *r = row;
	char date[11];
	scr_points_date(s->due ? r->last_evaluated : r->launched_on, date);
	scr_points_line(win, y, width, r->model_name, r->unit_name, date, r->status);
}

static const struct ui_vlist_source scr_points_source = {
    sizeof(struct store_point_row), store_rows_release, scr_points_page, scr_points_header, scr_points_row,
};

static void *scr_points_enter(struct ui *ui, void *arg)
{
	struct scr_points *s = xalloc_calloc(1, sizeof *s);
	s->ui = ui;
	s->due = arg != NULL;
	if (s->due) {
		char today[21];
		store_now(today);
		store_half_year_start(today, s->due_before);
		s->filter.due_before = s->due_before;
	}
	strbuf_init(&s->search);
	ui_vlist_init(&s->list, &scr_points_source, s);
	s->seen = ui->data_changed;
	return s;
}

static void scr_points_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_points *s = state;
	ui_vlist_release(&s->list);
	strbuf_release(&s->search);
	free(s);
}

static void scr_points_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_points *s = state;
	if (s->seen != ui->data_changed) {
		s->seen = ui->data_changed;
		ui_vlist_reload(&s->list);
	}
	ui_vlist_draw(&s->list, win, ui->colors ? COLOR_PAIR(2) : A_REVERSE);
	if (s->list.n == 0 && !s->list.failed)
		ui_put(win, 2, 2,
		       s->due ? _("Every running point has been evaluated this half-year.") : _("No point yet."),
		       getmaxx(win) - 4);
	ui_search_show(ui, s->searching, &s->search, NULL);
}

static int scr_points_key(struct ui *ui, void *state, int is_key, wint_t ch)
{
	(void)ui;
	struct scr_points *s = state;
	int r = ui_search_key(&s->searching, &s->search, is_key, ch);
	if (r == 2) {
		s->filter.search = s->search.len ? s->search.buf : NULL;
		ui_vlist_first(&s->list);
	}
	return r ? UI_HANDLED : 0;
}

static int scr_points_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_points *s = state;
	if (ui_list_move(&s->list, act))
		return UI_HANDLED;
	switch (act) {
	case UI_ACT_SEARCH: s->searching = 1; return UI_HANDLED;
	case UI_ACT_OPEN: {
		const struct store_point_row *r = ui_vlist_current(&s->list);
		if (r)
			ui_push(ui, &scr_model, (void *)r->model_id);
		return UI_HANDLED;
	}
	default: return 0;
	}
}

static const enum ui_action scr_points_bar[] = {UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_PGDN, UI_ACT_NONE};

static const enum ui_action scr_points_keys[] = {UI_ACT_UP,  UI_ACT_DOWN, UI_ACT_PGUP,   UI_ACT_PGDN, UI_ACT_HOME,
                                                 UI_ACT_END, UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_NONE};

const struct ui_screen scr_points = {
    .title = N_("Model points"),
    .enter = scr_points_enter,
    .draw = scr_points_draw,
    .action = scr_points_action,
    .leave = scr_points_leave,
    .bar = scr_points_bar,
    .keys = scr_points_keys,
    .key = scr_points_key,
};

const struct ui_screen scr_due = {
    .title = N_("Points due for evaluation"),
    .enter = scr_points_enter,
    .draw = scr_points_draw,
    .action = scr_points_action,
    .leave = scr_points_leave,
    .bar = scr_points_bar,
    .keys = scr_points_keys,
    .key = scr_points_key,
};
