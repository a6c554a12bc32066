/* The review queue: the records waiting for a leader, oldest first. a
 * approves, r returns with a reason, n/p move to the next/previous record,
 * d shows what changed since the last approval, v the history, Enter the
 * record itself. The record is approved as it was when shown: if someone
 * changed it since, the leader is told and sees it again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "i18n.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "vn.h"
#include "xalloc.h"
#include "store-user.h"

struct scr_review {
	struct store_review_row *rows;
	int n, cap, cursor, top;
	unsigned seen;
};

static int scr_review_row(const struct store_review_row *r, void *ud)
{
	struct scr_review *s = ud;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->rows = xalloc_realloc(s->rows, (size_t)s->cap * sizeof *s->rows);
	}
	s->rows[s->n++] = *r;
	return 0;
}

static void scr_review_load(struct ui *ui, struct scr_review *s)
{
	s->n = 0;
	struct mh_error err;
	if (store_review_list(ui->st, "submitted", scr_review_row, s, &err) < 0)
		ui_message(ui, "%s", err.msg);
	if (s->cursor >= s->n)
		s->cursor = s->n ? s->n - 1 : 0;
	s->seen = ui->data_changed;
}

static void *scr_review_enter(struct ui *ui, void *arg)
{
	(void)arg;
	struct scr_review *s = xalloc_calloc(1, sizeof *s);
	scr_review_load(ui, s);
	return s;
}

static void scr_review_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_review *s = state;
	free(s->rows);
	free(s);
}

static const char *scr_review_kind(const char *table)
{
	return strcmp(table, "model") == 0 ? _("Model") : strcmp(table, "point") == 0 ? _("Point") : _("Evaluation");
}

/* One line of the list: kind, record, who prepared it, when it was sent. */
static void scr_review_line(WINDOW *win, int y, int w, const char *kind, const char *title, const char *by,
                            const char *sent)
{
	int tw = w - 48 > 10 ? w - 48 : 10;
	ui_put(win, y, 0, " ", 1);
	ui_put(win, y, 1, kind, 11);
	ui_put(win, y, 12, title, tw + 1);
	ui_put(win, y, 13 + tw, by, 13);
	ui_put(win, y, 26 + tw, sent, w - 26 - tw);
}

static void scr_review_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_review *s = state;
	if (s->seen != ui->data_changed)
		scr_review_load(ui, s);
	int h = getmaxy(win) - 3, w = getmaxx(win);
	attron(A_BOLD);
	scr_review_line(win, 0, w, _("Kind"), _("Record"), _("Prepared by"), _("Sent on"));
	attroff(A_BOLD);
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (s->cursor >= s->top + h)
		s->top = s->cursor - h + 1;
	for (int i = s->top; i < s->n && i - s->top < h; i++) {
		const struct store_review_row *r = &s->rows[i];
		char sent[11];
		snprintf(sent, sizeof sent, "%.10s", r->prepared_at);
		if (i == s->cursor)
			wattron(win, ui->colors ? COLOR_PAIR(2) : A_REVERSE);
		scr_review_line(win, 1 + i - s->top, w, scr_review_kind(r->table), r->title, r->prepared_by, sent);
		if (i == s->cursor)
			wattroff(win, ui->colors ? COLOR_PAIR(2) : A_REVERSE);
	}
	if (s->n == 0)
		ui_put(win, 2, 2, _("Nothing waits for review."), w - 4);
	struct strbuf line;
	strbuf_init(&line);
	strbuf_addf(&line, _(" %d waiting for review"), s->n);
	ui_keys_hint(&scr_review, (const enum ui_action[]){UI_ACT_NEXT_ITEM, UI_ACT_PREV_ITEM, UI_ACT_NONE}, &line);
	wattron(win, A_BOLD);
	ui_put(win, getmaxy(win) - 1, 0, line.buf, w);
	wattroff(win, A_BOLD);
	strbuf_release(&line);
}

/* The record as its form shows it: label and value, one a line. */
static void scr_review_card(struct ui *ui, const struct store_review_row *r, struct strbuf *out)
{
	strbuf_addf(out, "%s: %s\n", scr_review_kind(r->table), r->title);
	strbuf_addf(out, _("State: %s; prepared by %s on %s\n\n"), store_state_label(r->state), r->prepared_by,
	            r->prepared_at);
	const struct formdef_form *form = formdef_form(ui->forms, r->table);
	for (size_t i = 0; form && i < form->nfields; i++) {
		const struct formdef_field *f = &form->fields[i];
		char *v = store_record_value(ui->st, r->table, r->id, f->id);
		char *shown = formdef_display(f, v);
		const struct formdef_list *l = f->list ? formdef_list(ui->forms, f->list) : NULL;
		for (size_t k = 0; v && l && k < l->n; k++)
			if (strcmp(l->items[k].code, v) == 0) {
				free(shown);
				shown = xalloc_strdup(l->items[k].label);
			}
		strbuf_addf(out, "%s: %s\n", f->label, shown);
		free(shown);
		free(v);
	}
}

/* Approves, returns or shows the changes of the record under the cursor. */
static int scr_review_act(struct ui *ui, struct store_review_row *r, enum ui_action act)
{
	struct mh_error err;
	switch (act) {
	case UI_ACT_APPROVE:
		if (!ui_confirm(ui, _("Approve this record? (c/k)")))
			return UI_HANDLED;
		if (store_review_approve(ui->st, r->id, r->rev, &err) < 0)
			ui_message(ui, "%s", err.msg);
		else
			ui_message(ui, _("Approved: %s"), r->title);
		ui->data_changed++;
		return UI_HANDLED | UI_REDRAW;
	case UI_ACT_RETURN: {
		char reason[4096];
		if (!ui_prompt(ui, _("Why is it returned? (F9: typing)"), reason, sizeof reason))
			return UI_HANDLED | UI_REDRAW;
		if (store_review_return(ui->st, r->id, reason, r->rev, &err) < 0)
			ui_message(ui, "%s", err.msg);
		else
			ui_message(ui, _("Returned: %s"), r->title);
		ui->data_changed++;
		return UI_HANDLED | UI_REDRAW;
	}
	default: {
		struct strbuf text;
		strbuf_init(&text);
		strbuf_addf(&text, "%s\n\n", r->title);
		if (store_review_diff(ui->st, r->id, &text, &err) < 0)
			strbuf_addf(&text, "%s\n", err.msg);
		struct scr_text_arg a = {_("What changed since the last approval"), text.buf};
		ui_push(ui, &scr_text, &a);
		strbuf_release(&text);
		return UI_HANDLED;
	}
	}
}

static int scr_review_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_review *s = state;
	switch (act) {
	case UI_ACT_UP: s->cursor = s->cursor > 0 ? s->cursor - 1 : 0; return UI_HANDLED;
	case UI_ACT_DOWN: s->cursor = s->cursor + 1 < s->n ? s->cursor + 1 : s->cursor; return UI_HANDLED;
	case UI_ACT_HOME: s->cursor = 0; return UI_HANDLED;
	case UI_ACT_END: s->cursor = s->n ? s->n - 1 : 0; return UI_HANDLED;
	case UI_ACT_NEXT_ITEM: return scr_review_action(ui, state, UI_ACT_DOWN);
	case UI_ACT_PREV_ITEM: return scr_review_action(ui, state, UI_ACT_UP);
	case UI_ACT_APPROVE:
	case UI_ACT_RETURN:
	case UI_ACT_DIFF: return s->n ? scr_review_act(ui, &s->rows[s->cursor], act) : UI_HANDLED;
	case UI_ACT_OPEN:
	case UI_ACT_HISTORY: {
		if (s->n == 0)
			return UI_HANDLED;
		const struct store_review_row *r = &s->rows[s->cursor];
		if (act == UI_ACT_HISTORY) {
			ui_history_show(ui, r->id, r->title);
			return UI_HANDLED;
		}
		struct strbuf text;
		strbuf_init(&text);
		scr_review_card(ui, r, &text);
		struct scr_text_arg a = {_("The record"), text.buf};
		ui_push(ui, &scr_text, &a);
		strbuf_release(&text);
		return UI_HANDLED;
	}
	default: return 0;
	}
}

static const struct ui_binding scr_review_bindings[] = {
    {'a', 0, UI_ACT_APPROVE, "a", N_("Approve")},    {'r', 0, UI_ACT_RETURN, "r", N_("Return")},
    {'d', 0, UI_ACT_DIFF, "d", N_("Changes")},       {'n', 0, UI_ACT_NEXT_ITEM, "n", N_("Next")},
    {'p', 0, UI_ACT_PREV_ITEM, "p", N_("Previous")}, {0, 0, UI_ACT_NONE, NULL, NULL},
};
static const enum ui_action scr_review_bar[] = {UI_ACT_OPEN, UI_ACT_APPROVE, UI_ACT_RETURN,
                                                UI_ACT_DIFF, UI_ACT_HISTORY, UI_ACT_NONE};
static const enum ui_action scr_review_keys[] = {UI_ACT_UP,   UI_ACT_DOWN,    UI_ACT_HOME, UI_ACT_END,
                                                 UI_ACT_OPEN, UI_ACT_HISTORY, UI_ACT_NONE};

const struct ui_screen scr_review = {
    .title = N_("Review"),
    .enter = scr_review_enter,
    .draw = scr_review_draw,
    .action = scr_review_action,
    .leave = scr_review_leave,
    .bar = scr_review_bar,
    .keys = scr_review_keys,
    .bindings = scr_review_bindings,
};
