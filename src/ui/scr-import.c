/* Importing a list from a spreadsheet: Enter picks a file (CSV, .xlsx or
 * .xls: those found in the home folder and on USB sticks, or a path typed),
 * a workbook's sheet, and the kind of list; the file is checked at once and what would happen is shown (the
 * encoding, the columns, the first rows, every row refused and why); F2
 * imports it, all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "charset.h"
#include "i18n.h"
#include "store-csv.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "vn.h"
#include "xalloc.h"

struct scr_import {
	char path[512];
	char sheet[128]; /* a workbook's sheet, or "" */
	const char *table;
	int checked; /* the preview is for path and table, and F2 may import */
	struct strbuf text;
	int top;
};

static void *scr_import_enter(struct ui *ui, void *arg)
{
	(void)ui;
	(void)arg;
	struct scr_import *s = xalloc_calloc(1, sizeof *s);
	strbuf_init(&s->text);
	strbuf_adds(&s->text, _("Enter: choose a spreadsheet file (.xlsx, .xls or .csv: in the home folder, on a USB "
	                        "stick, or a path typed) and"
	                        " the kind of list. The file is checked first; nothing changes before F2."));
	return s;
}

static void scr_import_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_import *s = state;
	strbuf_release(&s->text);
	free(s);
}

static void scr_import_draw(struct ui *ui, void *state, WINDOW *win)
{
	(void)ui;
	struct scr_import *s = state;
	ui_text_draw(win, s->text.buf, s->top);
}

/* Checks (dry_run) or imports the file; the screen shows what happened. */
static void scr_import_run(struct ui *ui, struct scr_import *s, int dry_run)
{
	strbuf_reset(&s->text);
	s->top = 0;
	struct mh_error err;
	struct store_csv_opts o = {CHARSET_AUTO, NULL, dry_run, 0, s->sheet[0] ? s->sheet : NULL};
	struct store_csv_result res;
	int ok = app_sheet_import(ui->st, ui->forms, s->table, s->path, &o, &res, &err) == 0;
	strbuf_addf(&s->text, "%s\n\n", s->path);
	app_csv_result_text(&res, dry_run, ok, &s->text);
	if (!ok)
		strbuf_addf(&s->text, "\n%s\n", err.msg);
	else if (dry_run)
		strbuf_addf(&s->text, "\n%s\n", _("F2: import these rows (all or nothing)."));
	s->checked = ok && dry_run;
	if (ok && !dry_run) {
		ui->data_changed++;
		ui_message(ui, _("Imported: %ld rows."), res.added);
	}
	store_csv_result_free(&res);
}

/* The sheet to read: asked when a workbook has several; 0 if Esc. */
static int scr_import_sheet(struct ui *ui, struct scr_import *s, const char *path)
{
	char **names;
	size_t n;
	struct mh_error err;
	s->sheet[0] = '\0';
	if (app_sheet_names(path, &names, &n, &err) < 0) {
		ui_message(ui, "%s", err.msg);
		return 0;
	}
	int ok = 1;
	if (n > 1) {
		int k = ui_pick_name(ui, _("Sheet"), (const char *const *)names, n);
		ok = k >= 0;
		if (ok)
			snprintf(s->sheet, sizeof s->sheet, "%d", k + 1);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ok;
}

static int scr_import_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_import *s = state;
	if (ui_text_scroll(&s->top, act))
		return UI_HANDLED;
	switch (act) {
	case UI_ACT_OPEN: {
		char *path = ui_pick_file(ui, _("Spreadsheet file"), ".xlsx .xls .csv", 0);
		if (!path)
			return UI_HANDLED | UI_REDRAW;
		if (!scr_import_sheet(ui, s, path)) {
			free(path);
			return UI_HANDLED | UI_REDRAW;
		}
		static const char *const tables[] = {"model", "point", "evaluation"};
		const char *kinds[] = {_("Models"), _("Model points"), _("Evaluations")};
		int k = ui_pick_name(ui, _("Kind of list"), kinds, 3);
		if (k >= 0) {
			snprintf(s->path, sizeof s->path, "%s", path);
			s->table = tables[k];
			scr_import_run(ui, s, 1);
		}
		free(path);
		return UI_HANDLED | UI_REDRAW;
	}
	case UI_ACT_SAVE:
		if (!s->checked)
			ui_message(ui, "%s",
			           _("Choose a file first (Enter): it is checked before anything is imported."));
		else if (ui_confirm(ui, _("Import every row of this file?")))
			scr_import_run(ui, s, 0);
		return UI_HANDLED | UI_REDRAW;
	default: return 0;
	}
}

static const enum ui_action scr_import_bar[] = {UI_ACT_OPEN, UI_ACT_SAVE, UI_ACT_PGDN, UI_ACT_NONE};
static const enum ui_action scr_import_keys[] = {UI_ACT_UP,   UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN,
                                                 UI_ACT_HOME, UI_ACT_OPEN, UI_ACT_SAVE, UI_ACT_NONE};

const struct ui_screen scr_import = {
    .title = N_("Import from a spreadsheet"),
    .enter = scr_import_enter,
    .draw = scr_import_draw,
    .action = scr_import_action,
    .leave = scr_import_leave,
    .bar = scr_import_bar,
    .keys = scr_import_keys,
};
