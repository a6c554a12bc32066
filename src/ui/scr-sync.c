/* "Đồng bộ": what went up and what came in (mohinh sync), and from here a
 * bundle written for the office above (x) onto a USB stick, or bundles and
 * receipts imported (i): each shown first as a preview (counts, refused
 * rows, conflicts), applied on F2. Both show a progress bar, and Esc
 * cancels them with nothing changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "app.h"
#include "i18n.h"
#include "store.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "xalloc.h"
#include "store-sync.h"

struct scr_sync {
	struct strbuf text;
	char *pending; /* a bundle previewed, waiting for F2 (NULL: none) */
	int top;
	long long conflict; /* the conflict shown side by side (c), 0: the status */
};

static void scr_sync_status(struct ui *ui, struct scr_sync *s, const char *first)
{
	strbuf_reset(&s->text);
	if (first)
		strbuf_addf(&s->text, "%s\n\n", first);
	struct mh_error err;
	struct store_sync_status status;
	if (store_sync_status(ui->st, &status, &err) < 0) {
		strbuf_addf(&s->text, "%s\n", err.msg);
	} else {
		app_sync_status_text(&status, &s->text);
		store_sync_status_free(&status);
	}
	strbuf_adds(&s->text, "\n");
	ui_keys_hint(&scr_sync, (const enum ui_action[]){UI_ACT_EXPORT, UI_ACT_IMPORT, UI_ACT_CONFLICTS, UI_ACT_NONE},
	             &s->text);
	strbuf_adds(&s->text, "\n");
	s->conflict = 0;
}

struct scr_sync_next {
	long long after, found;
	int n;
	char *label;
};

static int scr_sync_next_conflict(const struct store_conflict *c, void *ud)
{
	struct scr_sync_next *x = ud;
	x->n++;
	if (!x->found && c->id > x->after) {
		x->found = c->id;
		x->label = xalloc_printf("%s %s: %s (%s)", store_table_label(c->table), c->label, c->office, c->at);
	}
	return 0;
}

/* The next waiting conflict after the one shown (the first again at the end), both versions side by side. */
static void scr_sync_conflict(struct ui *ui, struct scr_sync *s, const char *first)
{
	struct mh_error err;
	struct scr_sync_next x = {s->conflict, 0, 0, NULL};
	if (store_conflict_list(ui->st, 0, scr_sync_next_conflict, &x, &err) == 0 && !x.found && x.n) {
		x.after = 0;
		x.n = 0;
		store_conflict_list(ui->st, 0, scr_sync_next_conflict, &x, &err);
	}
	if (!x.found) {
		scr_sync_status(ui, s, first ? first : _("No conflict is waiting."));
		return;
	}
	strbuf_reset(&s->text);
	s->top = 0;
	s->conflict = x.found;
	if (first)
		strbuf_addf(&s->text, "%s\n\n", first);
	strbuf_addf(&s->text, _("Conflict %lld of %d waiting: %s\n"), x.found, x.n, x.label);
	strbuf_addf(&s->text, "%s\n\n",
	            _("Two PCs of that office changed this record apart. Nothing was overwritten."));
	int w = COLS - 24;
	if (app_conflict_table(ui->st, x.found, (size_t)(w > 20 ? w / 2 : 10), &s->text, &err) < 0)
		strbuf_addf(&s->text, "%s\n", err.msg);
	free(x.label);
	strbuf_adds(&s->text, "\n");
	ui_keys_hint(&scr_sync,
	             (const enum ui_action[]){UI_ACT_KEEP_OURS, UI_ACT_TAKE_THEIRS, UI_ACT_TAKE_FIELDS,
	                                      UI_ACT_NEXT_ITEM, UI_ACT_STATUS, UI_ACT_NONE},
	             &s->text);
	strbuf_adds(&s->text, "\n");
}

/* The fields that differ, as a list to mark: their name, ours → theirs. */
static int scr_sync_field(const struct store_conflict_field *f, void *ud)
{
	struct formdef_list *l = ud;
	if (!f->differs)
		return 0;
	l->items = xalloc_realloc(l->items, (l->n + 1) * sizeof *l->items);
	l->items[l->n].inactive = 0;
	l->items[l->n].code = xalloc_strdup(f->name);
	l->items[l->n].label =
	    xalloc_printf("%s: %s → %s", f->name, f->ours ? f->ours : "—", f->theirs ? f->theirs : "—");
	l->n++;
	return 0;
}

static void scr_sync_resolve(struct ui *ui, struct scr_sync *s, enum ui_action act)
{
	char *fields = NULL;
	if (act == UI_ACT_TAKE_FIELDS) {
		struct formdef_list l = {(char *)"fields", NULL, NULL, 0};
		struct mh_error e;
		store_conflict_show(ui->st, s->conflict, scr_sync_field, &l, &e);
		fields = ui_pick_choices(ui, &l, _("Fields to take from the other PC (Space marks, F2 ends)"), NULL);
		for (size_t i = 0; i < l.n; i++) {
			free(l.items[i].code);
			free(l.items[i].label);
		}
		free(l.items);
		if (!fields || !fields[0]) {
			free(fields);
			return;
		}
	}
	struct mh_error err;
	const char *take = act == UI_ACT_KEEP_OURS ? NULL : act == UI_ACT_TAKE_THEIRS ? "*" : fields;
	long long id = s->conflict;
	int rc = store_conflict_resolve(ui->st, id, take, &err);
	free(fields);
	if (rc < 0) {
		ui_message(ui, "%s", err.msg);
		return;
	}
	ui->data_changed++;
	char *done = xalloc_printf(_("Conflict %lld resolved."), id);
	s->conflict = 0;
	scr_sync_conflict(ui, s, done);
	free(done);
}

static void *scr_sync_enter(struct ui *ui, void *arg)
{
	(void)arg;
	struct scr_sync *s = xalloc_calloc(1, sizeof *s);
	strbuf_init(&s->text);
	scr_sync_status(ui, s, NULL);
	return s;
}

static void scr_sync_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_sync *s = state;
	strbuf_release(&s->text);
	free(s->pending);
	free(s);
}

static void scr_sync_draw(struct ui *ui, void *state, WINDOW *win)
{
	(void)ui;
	struct scr_sync *s = state;
	ui_text_draw(win, s->text.buf, s->top);
}

/* The bar on the last line while the store works, in a window of its own
 * (the screen under it stays); Esc asks the store to stop. */
static int scr_sync_progress(void *ud, int percent)
{
	const char *what = ud;
	static int last; /* -1: no new figure, only a look at the keys */
	percent = percent < 0 ? last : percent;
	last = percent;
	WINDOW *w = newwin(1, COLS, LINES - 1, 0);
	if (!w)
		return 0;
	int width = COLS - 40 < 10 ? 10 : COLS - 40 > 50 ? 50 : COLS - 40, fill = percent * width / 100;
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	char *line = xalloc_printf("%s [%s] %3d%%  %s", what, bar, percent, _("Esc: cancel"));
	ui_put(w, 0, 0, line, COLS);
	free(line);
	wrefresh(w);
	nodelay(w, TRUE);
	int ch, stop = 0;
	while ((ch = wgetch(w)) != ERR)
		stop |= ch == 27;
	delwin(w);
	return stop;
}

static void scr_sync_export(struct ui *ui, struct scr_sync *s)
{
	struct mh_error err;
	struct store_keys above;
	if (store_keys_above(ui->st, &above, &err) < 0) {
		ui_message(ui, "%s", err.msg);
		return;
	}
	char *dir = ui_pick_file(ui, _("Where to write the bundle (a USB stick)"), NULL, 1);
	if (!dir)
		return;
	struct bundle_header h;
	char *path;
	long long len;
	store_set_progress(ui->st, scr_sync_progress, (void *)_("Writing the bundle"));
	int rc = store_bundle_write(ui->st, above.unit_code, dir, &path, &len, &h, &err);
	store_set_progress(ui->st, NULL, NULL);
	if (rc < 0) {
		ui_message(ui, "%s", err.msg);
	} else {
		char *done = xalloc_printf(_("%s: bundle %lld, %lld bytes, checked. Safe to remove the USB stick."),
		                           path, h.seq, len);
		scr_sync_status(ui, s, done);
		free(done);
	}
	free(path);
	free(dir);
}

static int scr_sync_ask(void *ud, const char *question)
{
	return ui_confirm(ud, question);
}

/* Imports (or previews) one file; the screen shows what it did. */
static void scr_sync_import(struct ui *ui, struct scr_sync *s, const char *path, int dry)
{
	char *was = s->pending; /* path may be it */
	s->pending = NULL;
	store_set_progress(ui->st, scr_sync_progress, (void *)(dry ? _("Reading the bundle") : _("Importing")));
	struct app_import out;
	app_bundle_import(ui->st, ui->forms, path, dry, NULL, scr_sync_ask, ui, &out);
	store_set_progress(ui->st, NULL, NULL);
	if (out.failed)
		strbuf_addf(&out.said, "%s\n", out.err.msg);
	if (out.can_apply) {
		s->pending = xalloc_strdup(path);
		strbuf_addf(&out.said, "\n%s", _("F2: import this bundle. Nothing has changed yet."));
	} else if (!dry && !out.failed) {
		ui->data_changed++;
	}
	scr_sync_status(ui, s, out.said.buf);
	app_import_release(&out);
	free(was);
}

static int scr_sync_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_sync *s = state;
	if (ui_text_scroll(&s->top, act))
		return UI_HANDLED;
	switch (act) {
	case UI_ACT_CONFLICTS: scr_sync_conflict(ui, s, NULL); return UI_HANDLED | UI_REDRAW;
	case UI_ACT_NEXT_ITEM:
	case UI_ACT_KEEP_OURS:
	case UI_ACT_TAKE_THEIRS:
	case UI_ACT_TAKE_FIELDS:
	case UI_ACT_STATUS:
		if (!s->conflict)
			return UI_HANDLED; /* only with a conflict shown */
		if (act == UI_ACT_NEXT_ITEM)
			scr_sync_conflict(ui, s, NULL);
		else if (act == UI_ACT_STATUS)
			scr_sync_status(ui, s, NULL);
		else
			scr_sync_resolve(ui, s, act);
		return UI_HANDLED | UI_REDRAW;
	case UI_ACT_EXPORT: scr_sync_export(ui, s); return UI_HANDLED | UI_REDRAW;
	case UI_ACT_IMPORT: {
		char *path = ui_pick_file(ui, _("Bundle or receipt"), ".mhb .receipt", 0);
		if (path) {
			/* a receipt is small and changes nothing of the data: taken at once */
			size_t len = strlen(path);
			scr_sync_import(ui, s, path, !(len > 8 && strcmp(path + len - 8, ".receipt") == 0));
			free(path);
		}
		return UI_HANDLED | UI_REDRAW;
	}
	default: break;
	}
	if (act == UI_ACT_SAVE) {
		if (!s->pending)
			ui_message(ui, "%s", _("Choose a bundle first (i): it is shown before anything is imported."));
		else
			scr_sync_import(ui, s, s->pending, 0);
		return UI_HANDLED | UI_REDRAW;
	}
	return 0;
}

static const struct ui_binding scr_sync_bindings[] = {
    {KEY_F(2), 1, UI_ACT_SAVE, "F2", N_("Import the bundle shown")},
    {'x', 0, UI_ACT_EXPORT, "x", N_("Write a bundle")},
    {'i', 0, UI_ACT_IMPORT, "i", N_("Import a file")},
    {'c', 0, UI_ACT_CONFLICTS, "c", N_("Conflicts")},
    {'o', 0, UI_ACT_KEEP_OURS, "o", N_("Keep the version here")},
    {'t', 0, UI_ACT_TAKE_THEIRS, "t", N_("Take the other PC's")},
    {'f', 0, UI_ACT_TAKE_FIELDS, "f", N_("Take some fields")},
    {'n', 0, UI_ACT_NEXT_ITEM, "n", N_("Next conflict")},
    {'s', 0, UI_ACT_STATUS, "s", N_("Back to the status")},
    {0, 0, UI_ACT_NONE, NULL, NULL},
};
static const enum ui_action scr_sync_bar[] = {UI_ACT_EXPORT, UI_ACT_IMPORT, UI_ACT_SAVE, UI_ACT_CONFLICTS, UI_ACT_NONE};
static const enum ui_action scr_sync_keys[] = {UI_ACT_UP,   UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN,
                                               UI_ACT_HOME, UI_ACT_SAVE, UI_ACT_NONE};

const struct ui_screen scr_sync = {
    .title = N_("Sync"),
    .enter = scr_sync_enter,
    .draw = scr_sync_draw,
    .action = scr_sync_action,
    .leave = scr_sync_leave,
    .bar = scr_sync_bar,
    .keys = scr_sync_keys,
    .bindings = scr_sync_bindings,
};
