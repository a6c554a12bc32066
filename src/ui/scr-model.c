/* A model's detail: its data, its points, the evaluations of the point
 * under the cursor; from here a point is added, replicated (nhân rộng: a
 * new point in another unit, linked to the one it came from) or evaluated
 * (the form starts from the point's previous evaluation). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scr-edit.h"
#include "ui-internal.h"
#include "xalloc.h"
#include "store-list.h"
#include "store-user.h"

struct scr_model {
	char id[STORE_ID_LEN + 1];
	char *name, *code, *launched, *pilot; /* the model's own data, read with the rest */
	unsigned seen;
	struct store_point_row *points;
	int npoints, cap;
	int cursor, top;
	struct store_evaluation_row evals[8];
	int nevals;
};

static int scr_model_point(struct store_point_row *r, void *ud)
{
	struct scr_model *m = ud;
	if (m->npoints == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->points = xalloc_realloc(m->points, (size_t)m->cap * sizeof *m->points);
	}
	m->points[m->npoints++] = *r;
	r->mem = NULL; /* kept */
	return 0;
}

static int scr_model_eval(struct store_evaluation_row *r, void *ud)
{
	struct scr_model *m = ud;
	m->evals[m->nevals++] = *r;
	r->mem = NULL; /* kept */
	return m->nevals == (int)(sizeof m->evals / sizeof *m->evals);
}

static void scr_model_load_evals(struct ui *ui, struct scr_model *m)
{
	store_rows_release(m->evals, (size_t)m->nevals, sizeof *m->evals);
	m->nevals = 0;
	if (m->cursor < m->npoints)
		store_evaluation_list(ui->st, NULL, m->points[m->cursor].id, scr_model_eval, m, NULL);
}

static void scr_model_load(struct ui *ui, struct scr_model *m)
{
	free(m->name);
	free(m->code);
	free(m->launched);
	free(m->pilot);
	m->name = store_record_value(ui->st, "model", m->id, "name");
	m->code = store_record_value(ui->st, "model", m->id, "code");
	m->launched = store_record_value(ui->st, "model", m->id, "launched_on");
	m->pilot = store_record_value(ui->st, "model", m->id, "is_pilot");
	store_rows_release(m->points, (size_t)m->npoints, sizeof *m->points);
	m->npoints = 0;
	struct store_point_filter f = {.model_id = m->id};
	struct mh_error err;
	if (store_point_list(ui->st, &f, scr_model_point, m, &err) < 0)
		ui_message(ui, "%s", err.msg);
	if (m->cursor >= m->npoints)
		m->cursor = m->npoints ? m->npoints - 1 : 0;
	scr_model_load_evals(ui, m);
	m->seen = ui->data_changed;
}

static void *scr_model_enter(struct ui *ui, void *arg)
{
	struct scr_model *m = xalloc_calloc(1, sizeof *m);
	snprintf(m->id, sizeof m->id, "%s", (const char *)arg);
	scr_model_load(ui, m);
	return m;
}

static void scr_model_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_model *m = state;
	store_rows_release(m->points, (size_t)m->npoints, sizeof *m->points);
	store_rows_release(m->evals, (size_t)m->nevals, sizeof *m->evals);
	free(m->points);
	free(m->name);
	free(m->code);
	free(m->launched);
	free(m->pilot);
	free(m);
}

static void scr_model_date(const char *iso, char out[11])
{
	if (strlen(iso) == 10)
		snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		out[0] = '\0';
}

static void scr_model_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_model *m = state;
	if (m->seen != ui->data_changed)
		scr_model_load(ui, m);
	int w = getmaxx(win), h = getmaxy(win);
	const char *name = m->name, *code = m->code, *launched = m->launched, *pilot = m->pilot;
	char line[1024], date[11];
	wattron(win, A_BOLD);
	snprintf(line, sizeof line, "%s%s%s", name ? name : "", code ? "  " : "", code ? code : "");
	ui_put(win, 0, 1, line, w - 2);
	wattroff(win, A_BOLD);
	scr_model_date(launched ? launched : "", date);
	snprintf(line, sizeof line, "%s: %s%s%s", _("Launched"), date[0] ? date : "—",
	         pilot && strcmp(pilot, "1") == 0 ? "  · " : "",
	         pilot && strcmp(pilot, "1") == 0 ? _("pilot model") : "");
	ui_put(win, 1, 1, line, w - 2);

	int evals_h = m->nevals ? m->nevals + 2 : 2;
	if (evals_h > h / 2)
		evals_h = h / 2;
	int list_h = h - 3 - evals_h - 1;
	snprintf(line, sizeof line, "%s (%d)", _("Points"), m->npoints);
	wattron(win, A_BOLD | A_UNDERLINE);
	ui_put(win, 3, 1, line, w - 2);
	wattroff(win, A_BOLD | A_UNDERLINE);
	if (m->cursor < m->top)
		m->top = m->cursor;
	if (m->cursor >= m->top + list_h)
		m->top = m->cursor - list_h + 1;
	for (int i = m->top; i < m->npoints && i - m->top < list_h; i++) {
		const struct store_point_row *p = &m->points[i];
		scr_model_date(p->launched_on, date);
		if (p->replicated_from[0])
			snprintf(line, sizeof line, " %-s · %s · %s · %s ← %s", p->unit_name,
			         p->place[0] ? p->place : "—", date[0] ? date : "—", p->status, p->from_unit);
		else
			snprintf(line, sizeof line, " %-s · %s · %s · %s", p->unit_name, p->place[0] ? p->place : "—",
			         date[0] ? date : "—", p->status);
		if (i == m->cursor)
			wattron(win, ui->colors ? COLOR_PAIR(2) : A_REVERSE);
		ui_put(win, 4 + i - m->top, 1, line, w - 2);
		if (i == m->cursor)
			wattroff(win, ui->colors ? COLOR_PAIR(2) : A_REVERSE);
	}
	if (!m->npoints)
		ui_put(win, 4, 2, _("No point yet: Insert adds the first place where the model runs."), w - 4);
	int y = h - evals_h;
	wattron(win, A_BOLD | A_UNDERLINE);
	snprintf(line, sizeof line, "%s%s%s", _("Evaluations"), m->npoints ? ": " : "",
	         m->npoints ? m->points[m->cursor].unit_name : "");
	ui_put(win, y++, 1, line, w - 2);
	wattroff(win, A_BOLD | A_UNDERLINE);
	if (!m->nevals && m->npoints)
		ui_put(win, y, 2, _("None yet: d adds one."), w - 4);
	for (int i = 0; i < m->nevals && y < h; i++, y++) {
		char from[11], to[11];
		scr_model_date(m->evals[i].period_from, from);
		scr_model_date(m->evals[i].period_to, to);
		snprintf(line, sizeof line, " %s–%s · %s · %s · %s", from, to, m->evals[i].kind,
		         m->evals[i].rating[0] ? m->evals[i].rating : "—", m->evals[i].reviewer);
		ui_put(win, y, 1, line, w - 2);
	}
}

/* The form of a new evaluation starts from the latest one of the point. */
static void scr_model_evaluate(struct ui *ui, struct scr_model *m)
{
	const struct store_point_row *p = &m->points[m->cursor];
	struct scr_edit_arg a = {.form = "evaluation", .nfixed = 2};
	a.fixed[0] = (struct store_kv){"model_id", m->id};
	a.fixed[1] = (struct store_kv){"point_id", p->id};
	char key[64];
	snprintf(key, sizeof key, "new:%s", p->id);
	a.draft_key = key;
	static const char *const carried[] = {"kind",         "period_kind", "reviewer",  "rating",         "strengths",
	                                      "shortcomings", "remedies",    "replicate", "replicate_where"};
	char *values[sizeof carried / sizeof *carried] = {0};
	if (m->nevals > 0) {
		for (size_t i = 0; i < sizeof carried / sizeof *carried; i++) {
			values[i] = store_record_value(ui->st, "evaluation", m->evals[0].id, carried[i]);
			a.prefill[a.nprefill++] = (struct store_kv){carried[i], values[i]};
		}
	}
	ui_push(ui, &scr_edit, &a);
	for (size_t i = 0; i < sizeof carried / sizeof *carried; i++)
		free(values[i]);
}

static int scr_model_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_model *m = state;
	switch (act) {
	case UI_ACT_UP:
		if (m->cursor > 0)
			m->cursor--;
		scr_model_load_evals(ui, m);
		return UI_HANDLED;
	case UI_ACT_DOWN:
		if (m->cursor + 1 < m->npoints)
			m->cursor++;
		scr_model_load_evals(ui, m);
		return UI_HANDLED;
	case UI_ACT_EDIT: {
		struct scr_edit_arg a = {.form = "model", .id = m->id};
		ui_push(ui, &scr_edit, &a);
		return UI_HANDLED;
	}
	case UI_ACT_OPEN:
		if (m->npoints) {
			struct scr_edit_arg a = {.form = "point", .id = m->points[m->cursor].id};
			ui_push(ui, &scr_edit, &a);
		}
		return UI_HANDLED;
	case UI_ACT_NEW: {
		char key[64];
		snprintf(key, sizeof key, "new:%s", m->id);
		struct scr_edit_arg a = {.form = "point", .nfixed = 1, .draft_key = key};
		a.fixed[0] = (struct store_kv){"model_id", m->id};
		a.prefill[a.nprefill++] = (struct store_kv){"status", "hoat-dong"};
		ui_push(ui, &scr_edit, &a);
		return UI_HANDLED;
	}
	case UI_ACT_REPLICATE: {
		if (!m->npoints)
			return UI_HANDLED;
		const struct store_point_row *p = &m->points[m->cursor];
		char key[64];
		snprintf(key, sizeof key, "replicate:%s", p->id);
		struct scr_edit_arg a = {.form = "point", .nfixed = 2, .draft_key = key};
		a.fixed[0] = (struct store_kv){"model_id", m->id};
		a.fixed[1] = (struct store_kv){"replicated_from", p->id};
		a.prefill[a.nprefill++] = (struct store_kv){"status", "hoat-dong"};
		ui_push(ui, &scr_edit, &a);
		ui_message(ui, _("Replicating the point of %s: choose the new unit."), p->unit_name);
		return UI_HANDLED;
	}
	case UI_ACT_EVALUATE:
		if (m->npoints)
			scr_model_evaluate(ui, m);
		return UI_HANDLED;
	case UI_ACT_HISTORY: ui_history_show(ui, m->id, m->name ? m->name : ""); return UI_HANDLED;
	case UI_ACT_SUBMIT: {
		struct mh_error err;
		int n;
		if (!ui_confirm(ui, _("Submit the model, its points and evaluations for review? (c/k)")))
			return UI_HANDLED;
		if (store_review_submit_model(ui->st, m->id, &n, &err) < 0)
			ui_message(ui, "%s", err.msg);
		else
			ui_message(ui, _("Submitted for review: %d records."), n);
		ui->data_changed++;
		return UI_HANDLED;
	}
	default: return 0;
	}
}

static const enum ui_action scr_model_bar[] = {UI_ACT_OPEN, UI_ACT_NEW,    UI_ACT_REPLICATE, UI_ACT_EVALUATE,
                                               UI_ACT_EDIT, UI_ACT_SUBMIT, UI_ACT_NONE};

static const enum ui_action scr_model_keys[] = {UI_ACT_UP,        UI_ACT_DOWN,     UI_ACT_OPEN, UI_ACT_NEW,
                                                UI_ACT_REPLICATE, UI_ACT_EVALUATE, UI_ACT_EDIT, UI_ACT_SUBMIT,
                                                UI_ACT_HISTORY,   UI_ACT_NONE};

const struct ui_screen scr_model = {
    .title = N_("Model"),
    .enter = scr_model_enter,
    .draw = scr_model_draw,
    .action = scr_model_action,
    .leave = scr_model_leave,
    .bar = scr_model_bar,
    .keys = scr_model_keys,
};
