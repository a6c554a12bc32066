/* The report on the screen: the same table as `mohinh report`, scrolled
 * with the arrows (← → for the wide tables); y sets the year (or years), p
 * the half-year, u the unit; F2 writes it to a file (.pdf, .xlsx, .txt, .csv
 * or .html: the name says which). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "report.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "xalloc.h"

struct scr_report {
	struct report_params p;
	char unit[16];
	unsigned seen;
	struct report r;
	int have;
	char **lines;
	int nlines;
	int top, left;
};

static void scr_report_free_lines(struct scr_report *s)
{
	for (int i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
}

static void scr_report_load(struct ui *ui, struct scr_report *s)
{
	scr_report_free_lines(s);
	if (s->have)
		report_free(&s->r);
	s->p.unit = s->unit[0] ? s->unit : NULL;
	struct mh_error err;
	s->have = store_report_compute(ui->st, &s->p, &s->r, &err) == 0;
	if (!s->have) {
		ui_message(ui, "%s", err.msg);
		return;
	}
	struct strbuf sb;
	strbuf_init(&sb);
	report_txt(&s->r, &sb);
	for (char *line = sb.buf; *line;) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		s->lines = xalloc_realloc(s->lines, (size_t)(s->nlines + 1) * sizeof *s->lines);
		s->lines[s->nlines++] = xalloc_strndup(line, len);
		line += len + (end != NULL);
	}
	strbuf_release(&sb);
	s->seen = ui->data_changed;
}

static void *scr_report_enter(struct ui *ui, void *arg)
{
	(void)arg;
	struct scr_report *s = xalloc_calloc(1, sizeof *s);
	char now[21];
	store_now(now);
	s->p.year = atoi(now);
	scr_report_load(ui, s);
	return s;
}

static void scr_report_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_report *s = state;
	scr_report_free_lines(s);
	if (s->have)
		report_free(&s->r);
	free(s);
}

/* The part of a line from its `left`-th character on (a Vietnamese letter
 * is one column). */
static const char *scr_report_from(const char *line, int left)
{
	for (; *line && left > 0; left--)
		do
			line++;
		while ((*line & 0xC0) == 0x80);
	return line;
}

static void scr_report_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_report *s = state;
	if (s->seen != ui->data_changed)
		scr_report_load(ui, s);
	int h = getmaxy(win), w = getmaxx(win);
	if (s->top > s->nlines - h)
		s->top = s->nlines - h > 0 ? s->nlines - h : 0;
	for (int y = 0; y < h && s->top + y < s->nlines; y++)
		ui_put(win, y, 1, scr_report_from(s->lines[s->top + y], s->left), w - 2);
}

static int scr_report_key(struct ui *ui, void *state, int is_key, wint_t ch)
{
	(void)ui;
	struct scr_report *s = state;
	if (is_key && ch == KEY_RIGHT) {
		s->left += 20;
		return UI_HANDLED;
	}
	if (is_key && ch == KEY_LEFT) {
		s->left = s->left > 20 ? s->left - 20 : 0;
		return UI_HANDLED;
	}
	return 0;
}

/* F2: the report written to a file; its name says the format. */
static void scr_report_write(struct ui *ui, struct scr_report *s)
{
	char path[512];
	if (!s->have ||
	    !ui_prompt(ui, _("Write the report to (.pdf, .xlsx, .txt, .csv or .html):"), path, sizeof path) || !path[0])
		return;
	struct mh_error err;
	if (app_report_write(&s->r, NULL, 1, path, &err) < 0)
		ui_message(ui, "%s", err.msg);
	else
		ui_message(ui, _("Written: %s"), path);
}

static int scr_report_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_report *s = state;
	int page = getmaxy(ui->body) - 1;
	switch (act) {
	case UI_ACT_UP: s->top = s->top > 0 ? s->top - 1 : 0; return UI_HANDLED;
	case UI_ACT_DOWN: s->top++; return UI_HANDLED;
	case UI_ACT_PGUP: s->top = s->top > page ? s->top - page : 0; return UI_HANDLED;
	case UI_ACT_PGDN: s->top += page; return UI_HANDLED;
	case UI_ACT_HOME: s->top = 0, s->left = 0; return UI_HANDLED;
	case UI_ACT_END: s->top = s->nlines; return UI_HANDLED;
	case UI_ACT_FILTER_YEAR: {
		char buf[32];
		if (ui_prompt(ui, _("Year (2017) or years (2015-2017):"), buf, sizeof buf) && buf[0]) {
			char *end;
			struct report_params p = s->p;
			p.year = (int)strtol(buf, &end, 10);
			p.year_to = *end == '-' ? (int)strtol(end + 1, &end, 10) : 0;
			if (*end || p.year < 1900 || p.year > 2200 || (p.year_to && p.year_to <= p.year)) {
				ui_message(ui, _("'%s' is not a year (2017) or a range of years (2015-2017)."), buf);
				return UI_HANDLED;
			}
			if (p.year_to)
				p.half = 0;
			s->p = p;
			s->top = 0;
			scr_report_load(ui, s);
		}
		return UI_HANDLED;
	}
	case UI_ACT_PERIOD:
		if (s->p.year_to) {
			ui_message(ui, "%s", _("A half-year goes with one year: choose one year first (y)."));
			return UI_HANDLED;
		}
		s->p.half = (s->p.half + 1) % 3;
		s->top = 0;
		scr_report_load(ui, s);
		return UI_HANDLED;
	case UI_ACT_FILTER_UNIT: {
		char *code = ui_pick_unit(ui, _("Unit"), NULL, NULL);
		if (code) {
			snprintf(s->unit, sizeof s->unit, "%s", code);
			free(code);
			s->top = 0;
			scr_report_load(ui, s);
		}
		return UI_HANDLED | UI_REDRAW;
	}
	case UI_ACT_SAVE: scr_report_write(ui, s); return UI_HANDLED;
	default: return 0;
	}
}

static const enum ui_action scr_report_bar[] = {UI_ACT_FILTER_YEAR, UI_ACT_PERIOD, UI_ACT_FILTER_UNIT,
                                                UI_ACT_SAVE,        UI_ACT_PGDN,   UI_ACT_NONE};
static const enum ui_action scr_report_keys[] = {UI_ACT_UP,          UI_ACT_DOWN, UI_ACT_PGUP,        UI_ACT_PGDN,
                                                 UI_ACT_HOME,        UI_ACT_END,  UI_ACT_FILTER_YEAR, UI_ACT_PERIOD,
                                                 UI_ACT_FILTER_UNIT, UI_ACT_SAVE, UI_ACT_NONE};

const struct ui_screen scr_report = {
    .title = N_("Reports"),
    .enter = scr_report_enter,
    .draw = scr_report_draw,
    .action = scr_report_action,
    .leave = scr_report_leave,
    .bar = scr_report_bar,
    .keys = scr_report_keys,
    .key = scr_report_key,
};
