/* The points of every model, paged; the same list in "due" mode shows the
 * points not evaluated in the current half-year, longest waiting first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scr-list.h"
#include "xalloc.h"
#include "store-list.h"

struct scr_points {
	int due;
	char due_before[11];
	struct store_point_filter filter;
};

static int scr_points_page(void *ctx, const void *boundary, int backward, void *rows, int limit)
{
	struct scr_list *l = ctx;
	struct scr_points *s = l->ctx;
	const struct store_point_row *b = boundary;
	struct mh_error err;
	int n = store_point_page(l->ui->st, &s->filter, b ? b->key : NULL, backward, rows, limit, &err);
	if (n < 0)
		ui_message(l->ui, "%s", err.msg);
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
	const struct scr_points *s = ((struct scr_list *)ctx)->ctx;
	scr_points_line(win, y, width, _("Model"), _("Unit"), s->due ? _("Evaluated") : _("Launched"), _("Status"));
}

static void scr_points_row(void *ctx, WINDOW *win, int y, int width, const void *row)
{
	const struct scr_points *s = ((struct scr_list *)ctx)->ctx;
	const struct store_point_row *r = row;
	char date[11];
	scr_points_date(s->due ? r->last_evaluated : r->launched_on, date);
	scr_points_line(win, y, width, r->model_name, r->unit_name, date, r->status);
}

static void scr_points_enter_list(struct scr_list *l, void *arg)
{
	struct scr_points *s = xalloc_calloc(1, sizeof *s);
	s->due = arg != NULL;
	if (s->due) {
		char today[21];
		store_now(today);
		store_half_year_start(today, s->due_before);
		s->filter.due_before = s->due_before;
	}
	l->ctx = s;
}

static void scr_points_leave(struct scr_list *l)
{
	free(l->ctx);
}

static void scr_points_searched(struct scr_list *l)
{
	struct scr_points *s = l->ctx;
	s->filter.search = l->search.len ? l->search.buf : NULL;
}

static const char *scr_points_empty(const struct scr_list *l)
{
	const struct scr_points *s = l->ctx;
	return l->search.len ? _("No point matches the search.")
	       : s->due      ? _("Every running point has been evaluated this half-year.")
	                     : _("No point yet.");
}

static int scr_points_action(struct ui *ui, struct scr_list *l, enum ui_action act)
{
	if (act != UI_ACT_OPEN)
		return 0;
	const struct store_point_row *r = ui_vlist_current(&l->list);
	if (r)
		ui_push(ui, &scr_model, (void *)r->model_id);
	return UI_HANDLED;
}

static const struct scr_list_source scr_points_source = {
    .rows = {sizeof(struct store_point_row), store_rows_release, scr_points_page, scr_points_header, scr_points_row},
    .enter = scr_points_enter_list,
    .leave = scr_points_leave,
    .searched = scr_points_searched,
    .empty = scr_points_empty,
    .action = scr_points_action,
};

static void *scr_points_enter(struct ui *ui, void *arg)
{
	return scr_list_enter(ui, &scr_points_source, arg);
}

static const enum ui_action scr_points_bar[] = {UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_PGDN, UI_ACT_NONE};

static const enum ui_action scr_points_keys[] = {UI_ACT_UP,  UI_ACT_DOWN, UI_ACT_PGUP,   UI_ACT_PGDN, UI_ACT_HOME,
                                                 UI_ACT_END, UI_ACT_OPEN, UI_ACT_SEARCH, UI_ACT_NONE};

const struct ui_screen scr_points = {
    .title = N_("Model points"),
    .enter = scr_points_enter,
    .draw = scr_list_draw,
    .action = scr_list_action,
    .leave = scr_list_leave,
    .bar = scr_points_bar,
    .keys = scr_points_keys,
    .key = scr_list_key,
};

const struct ui_screen scr_due = {
    .title = N_("Points due for evaluation"),
    .enter = scr_points_enter,
    .draw = scr_list_draw,
    .action = scr_list_action,
    .leave = scr_list_leave,
    .bar = scr_points_bar,
    .keys = scr_points_keys,
    .key = scr_list_key,
};
