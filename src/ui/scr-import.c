/* Importing a list from a spreadsheet: Enter picks a CSV file (those found
 * in the home folder and on USB sticks, or a path typed) and the kind of
 * list; the file is checked at once and what would happen is shown (the
 * encoding, the columns, the first rows, every row refused and why); F2
 * imports it, all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "charset.h"
#include "i18n.h"
#include "mh-file.h"
#include "store-csv.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "vn.h"
#include "xalloc.h"

#define SCR_IMPORT_MAX (512u << 20)

struct scr_import {
	char path[512];
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
	strbuf_adds(&s->text, _("Enter: choose a CSV file (in the home folder, on a USB stick, or a path typed) and"
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

static int scr_import_kinds(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items, int max)
{
	(void)ctx;
	(void)filter;
	(void)parent;
	static const char *const kinds[][2] = {
	    {"model", N_("Models")}, {"point", N_("Model points")}, {"evaluation", N_("Evaluations")}};
	int n = 0;
	for (int i = 0; i < 3 && n < max; i++, n++) {
		items[n].label = xalloc_strdup(_(kinds[i][1]));
		items[n].detail = NULL;
		items[n].value = xalloc_strdup(kinds[i][0]);
		items[n].has_children = 0;
	}
	return n;
}

/* Checks (dry_run) or imports the file; the screen shows what happened. */
static void scr_import_run(struct ui *ui, struct scr_import *s, int dry_run)
{
	strbuf_reset(&s->text);
	s->top = 0;
	struct mh_error err;
	char *bytes;
	size_t len;
	if (mh_file_read(s->path, SCR_IMPORT_MAX, &bytes, &len, &err) < 0) {
		strbuf_addf(&s->text, "%s\n", err.msg);
		s->checked = 0;
		return;
	}
	struct store_csv_opts o = {CHARSET_AUTO, NULL, dry_run, 0};
	struct store_csv_result res;
	int ok = store_csv_import(ui->st, ui->forms, s->table, bytes, len, &o, &res, &err) == 0;
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
	free(bytes);
}

static int scr_import_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_import *s = state;
	if (ui_text_scroll(&s->top, act))
		return UI_HANDLED;
	switch (act) {
	case UI_ACT_OPEN: {
		char *path = ui_pick_file(ui, _("CSV file"), ".csv", 0);
		if (!path)
			return UI_HANDLED | UI_REDRAW;
		struct ui_pick_source kinds = {scr_import_kinds, NULL, 0, NULL};
		char *table = ui_pick(ui, _("Kind of list"), &kinds, NULL);
		if (table) {
			snprintf(s->path, sizeof s->path, "%s", path);
			s->table = strcmp(table, "model") == 0   ? "model"
			           : strcmp(table, "point") == 0 ? "point"
			                                         : "evaluation";
			scr_import_run(ui, s, 1);
			free(table);
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
