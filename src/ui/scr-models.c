/* The list of models. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui-internal.h"
#include "scr-edit.h"
#include "ui-pick.h"
#include "strbuf.h"
#include "scr-list.h"
#include "xalloc.h"
#include "store-list.h"
#include "store-unit.h"
#include "store-user.h"

struct scr_models {
	struct store_model_filter filter;
	/* the filters' values and what the line above the key bar says of them */
	char *unit, *field, *unit_name, *field_name;
	char due[11];
};

static int scr_models_page(void *ctx, const void *boundary, int backward, void *rows, int limit)
{
	struct scr_list *l = ctx;
	struct scr_models *s = l->ctx;
	const struct store_model_row *b = boundary;
	struct mh_error err;
	int n = store_model_page(l->ui->st, &s->filter, b ? b->key : NULL, backward, rows, limit, &err);
	if (n < 0)
		ui_message(l->ui, "%s", err.msg);
	return n;
}

/* Column widths for a window width: name takes what is left. */
static void scr_models_cols(int width, int *unit, int *field)
{
	*unit = width >= 100 ? 26 : 20;
	*field = width >= 110 ? 26 : 0;
}

/* the latest rating, where the screen is wide enough */
static int scr_models_rating_width(int width)
{
	return width >= 130 ? 20 : 0;
}

static void scr_models_line(WINDOW *win, int y, int width, const char *code, const char *name, const char *unit,
                            const char *field, const char *points, const char *date, const char *rating,
                            const char *state)
{
	int uw, fw, rw = scr_models_rating_width(width), cw = width >= 120 ? 14 : 0;
	scr_models_cols(width, &uw, &fw);
	int fixed = cw + uw + fw + 7 + 11 + rw + 10 + 1;
	int nw = width - fixed;
	int x = 1;
	ui_put(win, y, 0, " ", 1);
	if (cw) {
		ui_put(win, y, x, code, cw - 1);
		x += cw;
	}
	ui_put(win, y, x, name, nw - 1);
	x += nw;
	ui_put(win, y, x, unit, uw - 1);
	x += uw;
	if (fw) {
		ui_put(win, y, x, field, fw - 1);
		x += fw;
	}
	char pts[16];
	snprintf(pts, sizeof pts, "%6s ", points);
	ui_put(win, y, x, pts, 7);
	x += 7;
	ui_put(win, y, x, date, 11);
	x += 11;
	if (rw) {
		ui_put(win, y, x, rating, rw - 1);
		x += rw;
	}
	ui_put(win, y, x, state, width - x);
}

static void scr_models_header(void *ctx, WINDOW *win, int y, int width)
{
	(void)ctx;
	scr_models_line(win, y, width, _("Code"), _("Model"), _("Unit"), _("Field"), _("Points"), _("Launched"),
	                _("Last rating"), _("State"));
}

static void scr_models_row(void *ctx, WINDOW *win, int y, int width, const void *row)
{
	(void)ctx;
	const struct store_model_row *r = row;
	char pts[12], date[16] = "";
	snprintf(pts, sizeof pts, "%d", r->points);
	if (strlen(r->launched_on) == 10) /* shown dd/mm/yyyy */
		snprintf(date, sizeof date, "%.2s/%.2s/%.4s", r->launched_on + 8, r->launched_on + 5, r->launched_on);
	scr_models_line(win, y, width, r->code, r->name, r->unit_name, r->field, pts, date, r->last_rating,
	                store_state_label(r->state));
}

static void scr_models_enter_list(struct scr_list *l, void *arg)
{
	(void)arg;
	l->ctx = xalloc_calloc(1, sizeof(struct scr_models));
}

static void scr_models_leave(struct scr_list *l)
{
	struct scr_models *s = l->ctx;
	free(s->unit);
	free(s->unit_name);
	free(s->field);
	free(s->field_name);
	free(s);
}

static void scr_models_searched(struct scr_list *l)
{
	struct scr_models *s = l->ctx;
	s->filter.search = l->search.len ? l->search.buf : NULL;
}

static const char *scr_models_empty(const struct scr_list *l)
{
	return l->search.len ? _("No model matches the search.") : _("No models yet.");
}

/* what the list is limited to, and how it is sorted */
static void scr_models_status(const struct scr_list *l, struct strbuf *line)
{
	const struct scr_models *s = l->ctx;
	if (s->filter.unit_code)
		strbuf_addf(line, "[%s]  ", s->unit_name);
	if (s->filter.field)
		strbuf_addf(line, "[%s]  ", s->field_name);
	if (s->filter.year)
		strbuf_addf(line, "[%s %d]  ", _("year"), s->filter.year);
	if (s->filter.state)
		strbuf_addf(line, "[%s]  ", store_state_label(s->filter.state));
	if (s->filter.due_before)
		strbuf_addf(line, "[%s]  ", _("due for evaluation"));
	if (s->filter.sort != STORE_SORT_NAME)
		strbuf_addf(line, "%s %s", _("sorted by"),
		            s->filter.sort == STORE_SORT_DATE ? _("launch date") : _("unit"));
}

/* Replaces *dst with a copy of src. */
static void scr_models_set(char **dst, const char *src)
{
	free(*dst);
	*dst = xalloc_strdup(src);
}

static int scr_models_action(struct ui *ui, struct scr_list *l, enum ui_action act)
{
	struct scr_models *s = l->ctx;
	switch (act) {
	case UI_ACT_OPEN: {
		const struct store_model_row *r = ui_vlist_current(&l->list);
		if (r)
			ui_push(ui, &scr_model, (void *)r->id);
		return UI_HANDLED;
	}
	case UI_ACT_FILTER_UNIT: {
		char *code = ui_pick_unit(ui, _("Models in the unit"), "", NULL);
		if (code) {
			struct store_unit u;
			scr_models_set(&s->unit_name, store_unit_get(ui->st, code, &u, NULL) == 0 ? u.name : code);
			free(s->unit);
			s->filter.unit_code = s->unit = code;
			ui_vlist_first(&l->list);
		}
		return UI_HANDLED;
	}
	case UI_ACT_FILTER_FIELD: {
		const struct formdef_list *fl = formdef_list(ui->forms, "field");
		char *code = ui_pick_choice(ui, fl, _("Models of the field"), "");
		if (code) {
			scr_models_set(&s->field_name, code);
			for (size_t k = 0; fl && k < fl->n; k++)
				if (strcmp(fl->items[k].code, code) == 0)
					scr_models_set(&s->field_name, fl->items[k].label);
			free(s->field);
			s->filter.field = s->field = code;
			ui_vlist_first(&l->list);
		}
		return UI_HANDLED;
	}
	case UI_ACT_FILTER_YEAR: {
		char year[16];
		if (ui_prompt(ui, _("Launched in the year (empty: any):"), year, sizeof year)) {
			int y = atoi(year);
			if (!*year || (y >= 1900 && y <= 2200 && strspn(year, "0123456789") == strlen(year))) {
				s->filter.year = *year ? y : 0;
				ui_vlist_first(&l->list);
			} else {
				ui_message(ui, _("'%s' is not a year"), year);
			}
		}
		return UI_HANDLED;
	}
	case UI_ACT_FILTER_STATE: {
		/* all -> draft -> submitted -> approved -> returned -> all */
		static const char *const states[] = {NULL, "draft", "submitted", "approved", "returned"};
		size_t k = 0;
		if (s->filter.state)
			for (k = 1; k < 4 && strcmp(states[k], s->filter.state) != 0; k++)
				;
		s->filter.state = states[(k + 1) % 5];
		ui_vlist_first(&l->list);
		return UI_HANDLED;
	}
	case UI_ACT_DUE: {
		/* models with a point not evaluated this half-year, or all again */
		char today[21];
		store_now(today);
		store_half_year_start(today, s->due);
		s->filter.due_before = s->filter.due_before ? NULL : s->due;
		ui_vlist_first(&l->list);
		return UI_HANDLED;
	}
	case UI_ACT_SORT:
		s->filter.sort = (enum store_model_sort)((s->filter.sort + 1) % 3);
		ui_vlist_first(&l->list);
		return UI_HANDLED;
	case UI_ACT_CLEAR:
		s->filter = (struct store_model_filter){0};
		strbuf_reset(&l->search);
		ui_vlist_first(&l->list);
		return UI_HANDLED;
	case UI_ACT_NEW: {
		struct scr_edit_arg a = {.form = "model"};
		ui_push(ui, &scr_edit, &a);
		return UI_HANDLED;
	}
	case UI_ACT_EDIT: {
		const struct store_model_row *r = ui_vlist_current(&l->list);
		if (r) {
			struct scr_edit_arg a = {.form = "model", .id = r->id};
			ui_push(ui, &scr_edit, &a);
		}
		return UI_HANDLED;
	}
	default: return 0;
	}
}

static const struct scr_list_source scr_models_source = {
    .rows = {sizeof(struct store_model_row), store_rows_release, scr_models_page, scr_models_header, scr_models_row},
    .enter = scr_models_enter_list,
    .leave = scr_models_leave,
    .searched = scr_models_searched,
    .empty = scr_models_empty,
    .status = scr_models_status,
    .action = scr_models_action,
};

static void *scr_models_enter(struct ui *ui, void *arg)
{
	return scr_list_enter(ui, &scr_models_source, arg);
}

static const enum ui_action scr_models_bar[] = {
    UI_ACT_OPEN,        UI_ACT_SEARCH,       UI_ACT_NEW, UI_ACT_EDIT, UI_ACT_FILTER_UNIT, UI_ACT_FILTER_FIELD,
    UI_ACT_FILTER_YEAR, UI_ACT_FILTER_STATE, UI_ACT_DUE, UI_ACT_SORT, UI_ACT_CLEAR,       UI_ACT_NONE};

static const enum ui_action scr_models_keys[] = {
    UI_ACT_UP,          UI_ACT_DOWN,         UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_HOME,        UI_ACT_END,
    UI_ACT_OPEN,        UI_ACT_SEARCH,       UI_ACT_NEW,  UI_ACT_EDIT, UI_ACT_FILTER_UNIT, UI_ACT_FILTER_FIELD,
    UI_ACT_FILTER_YEAR, UI_ACT_FILTER_STATE, UI_ACT_DUE,  UI_ACT_SORT, UI_ACT_CLEAR,       UI_ACT_NONE};

const struct ui_screen scr_models = {
    .title = N_("Models"),
    .enter = scr_models_enter,
    .draw = scr_list_draw,
    .action = scr_list_action,
    .leave = scr_list_leave,
    .bar = scr_models_bar,
    .keys = scr_models_keys,
    .key = scr_list_key,
};
