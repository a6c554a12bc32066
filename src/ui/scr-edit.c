/* The edit screen: labels and fields drawn from the form's model (formedit.h),
 * pages when the form is taller than the screen. Nothing typed lives in a
 * window: every key goes to the model, every draw starts from it, so a
 * resize, a redraw or a dialog in between loses nothing. Typing goes through
 * the built-in input method (F9) or arrives as UTF-8, composed to NFC. F2
 * saves in one transaction; a refused value gets its message and the cursor.
 * The form is kept as a draft after each field. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "formdef.h"
#include "formedit.h"
#include "i18n.h"
#include "scr-edit.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"
#include "store-unit.h"

#define SCR_EDIT_LABEL 24

struct scr_edit {
	struct ui *ui;
	const struct formdef_form *form;
	char id[STORE_ID_LEN + 1]; /* empty for a new record */
	struct store_kv fixed[3];
	int nfixed;
	char draft_key[96];
	/* what was typed: codes for choices and units, dd/mm/yyyy as typed for dates */
	struct formedit fe;
	/* the layout of the last draw (derived, remade at every draw): each
	 * field's page (-1: hidden), and the width of the fields */
	int *page;
	int width;
	char **base; /* a record's: each field as stored when opened, to save over (app_record_save_over) */
	int bad;     /* the field refused by the last F2 (-1: none) */
	char bad_msg[2048];
};

/* What the screen shows for a stored value. */
static char *scr_edit_shown(struct scr_edit *e, const struct formdef_field *f, const char *v)
{
	if (!v || !*v)
		return xalloc_strdup("");
	if (f->type == FORMDEF_CHOICE) {
		const struct formdef_list *l = formdef_list(e->ui->forms, f->list);
		for (size_t k = 0; l && k < l->n; k++)
			if (strcmp(l->items[k].code, v) == 0)
				return xalloc_strdup(l->items[k].label);
	}
	if (f->type == FORMDEF_CHOICES) {
		/* labels in the list's order */
		const struct formdef_list *l = formdef_list(e->ui->forms, f->list);
		struct strbuf sb;
		strbuf_init(&sb);
		char key[256];
		for (size_t k = 0; l && k < l->n; k++) {
			snprintf(key, sizeof key, ",%s,", l->items[k].code);
			char *all = xalloc_printf(",%s,", v);
			if (strstr(all, key))
				strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", l->items[k].label);
			free(all);
		}
		return strbuf_detach(&sb, NULL);
	}
	if (f->type == FORMDEF_UNIT) {
		struct store_unit u;
		if (store_unit_get(e->ui->st, v, &u, NULL) == 0)
			return xalloc_printf("%s (%s)", u.name, u.parent_name);
	}
	return xalloc_strdup(v);
}

/* "id=value" lines, with \ and line breaks escaped */
static char *scr_edit_serialize(struct scr_edit *e)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (size_t i = 0; i < e->form->nfields; i++) {
		char *v = formedit_text(&e->fe, i);
		if (*v)
			strbuf_addf(&sb, "%s=", e->form->fields[i].id);
		for (const char *p = v; *p; p++) {
			if (*p == '\\')
				strbuf_adds(&sb, "\\\\");
			else if (*p == '\n')
				strbuf_adds(&sb, "\\n");
			else
				strbuf_addc(&sb, *p);
		}
		if (*v)
			strbuf_addc(&sb, '\n');
		free(v);
	}
	return strbuf_detach(&sb, NULL);
}

static void scr_edit_restore(struct scr_edit *e, const char *text)
{
	char *copy = xalloc_strdup(text), *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		for (size_t i = 0; i < e->form->nfields; i++) {
			if (strcmp(e->form->fields[i].id, line) != 0)
				continue;
			struct strbuf v;
			strbuf_init(&v);
			for (const char *p = eq + 1; *p; p++) {
				if (*p == '\\' && p[1]) {
					p++;
					strbuf_addc(&v, *p == 'n' ? '\n' : *p);
				} else {
					strbuf_addc(&v, *p);
				}
			}
			formedit_set(&e->fe, i, v.buf);
			strbuf_release(&v);
		}
	}
	free(copy);
}

static void scr_edit_save_draft(struct scr_edit *e)
{
	if (!e->fe.dirty)
		return;
	char *text = scr_edit_serialize(e);
	struct mh_error err;
	if (store_draft_put(e->ui->st, e->form->id, e->draft_key, text, &err) < 0)
		ui_message(e->ui, "%s", err.msg);
	free(text);
}

static void *scr_edit_enter(struct ui *ui, void *arg)
{
	const struct scr_edit_arg *a = arg;
	struct scr_edit *e = xalloc_calloc(1, sizeof *e);
	e->ui = ui;
	e->form = formdef_form(ui->forms, a->form);
	formedit_init(&e->fe, e->form, (enum vn_ime_method)ui->ime_method);
	e->page = xalloc_calloc(e->form->nfields + 1, sizeof *e->page);
	e->base = xalloc_calloc(e->form->nfields + 1, sizeof *e->base);
	snprintf(e->id, sizeof e->id, "%s", a->id ? a->id : "");
	for (int i = 0; i < a->nfixed && i < 3; i++) {
		e->fixed[i].col = a->fixed[i].col;
		e->fixed[i].val = xalloc_strdup(a->fixed[i].val);
	}
	e->nfixed = a->nfixed;
	snprintf(e->draft_key, sizeof e->draft_key, "%s", a->id ? a->id : a->draft_key ? a->draft_key : "new");
	for (size_t i = 0; i < e->form->nfields; i++) {
		const struct formdef_field *f = &e->form->fields[i];
		char *stored = a->id ? store_record_value(ui->st, e->form->table, a->id, f->id) : NULL;
		if (a->id)
			e->base[i] = stored ? xalloc_strdup(stored) : NULL;
		for (int k = 0; !a->id && k < a->nprefill; k++)
			if (strcmp(a->prefill[k].col, f->id) == 0 && a->prefill[k].val) {
				free(stored);
				stored = xalloc_strdup(a->prefill[k].val);
			}
		/* dates and yes/no are edited as typed: dd/mm/yyyy, Có/Không */
		if (stored && (f->type == FORMDEF_DATE || f->type == FORMDEF_YESNO)) {
			char *shown = formdef_display(f, stored);
			free(stored);
			stored = shown;
		}
		formedit_set(&e->fe, i, stored ? stored : "");
		free(stored);
	}
	e->fe.dirty = 0;
	char at[21];
	char *draft = store_draft_get(ui->st, e->form->id, e->draft_key, at);
	if (draft) {
		char q[256];
		snprintf(q, sizeof q, _("Restore the draft of %.5s, %.2s/%.2s/%.4s (UTC)? (c = yes, k = no)"), at + 11,
		         at + 8, at + 5, at);
		if (ui_confirm(ui, q)) {
			scr_edit_restore(e, draft);
			e->fe.dirty = 1;
		} else {
			store_draft_delete(ui->st, e->form->id, e->draft_key, NULL);
		}
		free(draft);
	}
	formedit_goto(&e->fe, e->fe.cur);
	e->bad = -1;
	return e;
}

static void scr_edit_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_edit *e = state;
	formedit_release(&e->fe);
	for (int i = 0; i < e->nfixed; i++)
		free((char *)e->fixed[i].val);
	for (size_t i = 0; i < e->form->nfields; i++)
		free(e->base[i]);
	free(e->base);
	free(e->page);
	free(e);
}

static int scr_edit_rows(const struct formdef_field *f, int page_rows)
{
	int fh = f->type == FORMDEF_LONGTEXT ? f->lines : 1;
	return fh > page_rows - 1 ? (page_rows > 1 ? page_rows - 1 : 1) : fh;
}

/* Each shown field's page and row in a window of h rows, into e->page and
 * rows (-1: hidden); the page of the cursor's field is the one shown. */
static void scr_edit_layout(struct scr_edit *e, int h, int *rows)
{
	int row = 1, page = 0, page_rows = h - 2, n = 0;
	for (size_t i = 0; i < e->form->nfields; i++) {
		e->page[i] = rows[i] = -1;
		if (!formedit_visible(&e->fe, i))
			continue;
		const struct formdef_field *f = &e->form->fields[i];
		int fh = scr_edit_rows(f, page_rows);
		if (n++ > 0 && row + fh > page_rows) {
			row = 1;
			page++;
		}
		e->page[i] = page;
		rows[i] = row;
		row += fh + (f->type == FORMDEF_LONGTEXT ? 1 : 0);
	}
}

static void scr_edit_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_edit *e = state;
	int h = getmaxy(win), w = getmaxx(win);
	int lw = w >= 100 ? 30 : SCR_EDIT_LABEL;
	e->width = w - lw - 3 > 1 ? w - lw - 3 : 1;
	if (!formedit_visible(&e->fe, e->fe.cur) && !formedit_step(&e->fe, 1))
		formedit_step(&e->fe, -1);
	int *rows = xalloc_calloc(e->form->nfields + 1, sizeof *rows);
	scr_edit_layout(e, h, rows);
	int page = e->page[e->fe.cur] > 0 ? e->page[e->fe.cur] : 0;
	char info[320];
	snprintf(info, sizeof info, "%s%s", e->id[0] ? _("Edit: ") : _("New: "), e->form->title);
	wattron(win, A_BOLD);
	ui_put(win, 0, 1, info, w - 2);
	wattroff(win, A_BOLD);
	int cy = 0, cx = 0;
	for (size_t i = 0; i < e->form->nfields; i++) {
		if (e->page[i] != page)
			continue;
		const struct formdef_field *f = &e->form->fields[i];
		char label[256];
		snprintf(label, sizeof label, "%s%s%s", (int)i == e->bad ? "! " : "", f->label,
		         formedit_required(&e->fe, i) ? " *" : "");
		int attr = (int)i == e->bad ? A_BOLD | (ui->colors ? COLOR_PAIR(3) : A_REVERSE) : 0;
		wattron(win, attr);
		ui_put(win, rows[i], 1, label, lw);
		wattroff(win, attr);
		int fh = scr_edit_rows(f, h - 2);
		struct formedit_view v = {0};
		if (formedit_picked(f)) {
			char *value = formedit_text(&e->fe, i);
			v.rows = xalloc_calloc(2, sizeof *v.rows);
			v.rows[0] = scr_edit_shown(e, f, value);
			v.nrows = 1;
			free(value);
		} else {
			formedit_view(&e->fe, i, e->width, fh, &v);
		}
		wattron(win, A_UNDERLINE);
		for (int r = 0; r < fh && rows[i] + r < h; r++)
			ui_put(win, rows[i] + r, lw + 2, r < v.nrows ? v.rows[r] : "", e->width);
		wattroff(win, A_UNDERLINE);
		if (i == e->fe.cur) {
			cy = rows[i] + v.cursor_row;
			cx = lw + 2 + v.cursor_col;
		}
		formedit_view_release(&v);
	}
	free(rows);
	const struct formdef_field *f = &e->form->fields[e->fe.cur];
	const char *help =
	    f->help                       ? f->help
	    : formedit_picked(f)          ? _("Enter or a letter opens the list")
	    : f->type == FORMDEF_LONGTEXT ? _("Enter starts a new line")
	    : f->type == FORMDEF_DATE
	        ? _("Day/month/year, e.g. 15/03/2017; also 15032017 or 15/3/17 (a two-digit year is 20xx)")
	        : "";
	/* in the refused field, what was wrong stays in sight */
	if (!ui->message[0] && (int)e->fe.cur == e->bad) {
		attron(A_BOLD);
		ui_put(stdscr, LINES - 2, 0, e->bad_msg, COLS);
		attroff(A_BOLD);
	} else if (!ui->message[0]) {
		ui_put(stdscr, LINES - 2, 0, help, COLS);
	}
	wnoutrefresh(stdscr);
	curs_set(1);
	wmove(win, cy < h ? cy : h - 1, cx < w ? cx : w - 1);
}

/* A field left: a date as typed is shown as the day it reads (20102017 →
 * 20/10/2017); the form is kept as a draft. */
static void scr_edit_left(struct scr_edit *e, size_t from)
{
	const struct formdef_field *f = &e->form->fields[from];
	if (f->type == FORMDEF_DATE) {
		char *typed = formedit_text(&e->fe, from), *stored = NULL;
		struct mh_error err;
		if (*typed && formdef_value(f, typed, &stored, &err) == 0 && stored) {
			char *shown = formdef_display(f, stored);
			if (strcmp(shown, typed) != 0) {
				size_t cur = e->fe.cur;
				formedit_set(&e->fe, from, shown);
				e->fe.cur = cur;
			}
			free(shown);
		}
		free(stored);
		free(typed);
	}
	scr_edit_save_draft(e);
}

/* To the next or previous shown field (dir), or to field `to` (dir 0). */
static int scr_edit_move(struct scr_edit *e, int dir, size_t to)
{
	size_t from = e->fe.cur;
	if (dir)
		formedit_step(&e->fe, dir);
	else
		formedit_goto(&e->fe, to);
	scr_edit_left(e, from);
	return UI_HANDLED;
}

/* The first shown field of the page before or after the cursor's. */
static int scr_edit_page(struct scr_edit *e, int dir)
{
	int want = e->page[e->fe.cur] + dir;
	for (size_t i = 0; i < e->form->nfields; i++)
		if (e->page[i] == want)
			return scr_edit_move(e, 0, i);
	return UI_HANDLED;
}

/* The day the record speaks of (its launch date, as typed so far), into
 * day; "" when the form has none or it is not a date yet: then today. */
static void scr_edit_day(struct scr_edit *e, char day[11])
{
	day[0] = '\0';
	int i = formedit_find(&e->fe, "launched_on");
	if (i < 0)
		return;
	char *typed = formedit_text(&e->fe, (size_t)i), *stored = NULL;
	struct mh_error err;
	if (formdef_value(&e->form->fields[i], typed, &stored, &err) == 0 && stored && strlen(stored) == 10)
		memcpy(day, stored, 11);
	free(stored);
	free(typed);
}

static int scr_edit_open_pick(struct scr_edit *e, const char *typed)
{
	size_t ci = e->fe.cur;
	const struct formdef_field *f = &e->form->fields[ci];
	const struct formdef_list *l = f->list ? formdef_list(e->ui->forms, f->list) : NULL;
	char day[11] = "";
	if (f->type == FORMDEF_UNIT)
		scr_edit_day(e, day);
	char *now = formedit_text(&e->fe, ci);
	char *v = f->type == FORMDEF_UNIT      ? ui_pick_unit(e->ui, f->label, typed, day)
	          : f->type == FORMDEF_CHOICES ? ui_pick_choices(e->ui, l, f->label, now)
	                                       : ui_pick_choice(e->ui, l, f->label, typed);
	free(now);
	if (!v)
		return UI_HANDLED | UI_REDRAW;
	formedit_set(&e->fe, ci, v); /* "": no choice marked */
	e->fe.dirty = 1;
	free(v);
	scr_edit_save_draft(e);
	return UI_HANDLED | UI_REDRAW;
}

static int scr_edit_key(struct ui *ui, void *state, int is_key, wint_t ch)
{
	struct scr_edit *e = state;
	const struct formdef_field *f = &e->form->fields[e->fe.cur];
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: formedit_key(&e->fe, FORMEDIT_LEFT, e->width); return UI_HANDLED;
		case KEY_RIGHT: formedit_key(&e->fe, FORMEDIT_RIGHT, e->width); return UI_HANDLED;
		case KEY_HOME: formedit_key(&e->fe, FORMEDIT_HOME, e->width); return UI_HANDLED;
		case KEY_END: formedit_key(&e->fe, FORMEDIT_END, e->width); return UI_HANDLED;
		case KEY_DC: formedit_key(&e->fe, FORMEDIT_DELETE, e->width); return UI_HANDLED;
		case KEY_UP:
		case KEY_DOWN:
			if (formedit_key(&e->fe, ch == KEY_UP ? FORMEDIT_UP : FORMEDIT_DOWN, e->width) & FORMEDIT_OUT)
				return scr_edit_move(e, ch == KEY_UP ? -1 : 1, 0);
			return UI_HANDLED;
		case KEY_NPAGE: return scr_edit_page(e, 1);
		case KEY_PPAGE: return scr_edit_page(e, -1);
		case KEY_ENTER: ch = '\n'; break;
		case KEY_BACKSPACE: ch = 0x7f; break;
		default: return 0; /* function keys: the key table */
		}
	}
	if (ch == 0x7f || ch == 0x08) {
		formedit_key(&e->fe, FORMEDIT_BACKSPACE, e->width);
		return UI_HANDLED;
	}
	if (ch == '\n' || ch == '\r') {
		if (formedit_picked(f))
			return scr_edit_open_pick(e, "");
		if (f->type == FORMDEF_LONGTEXT) {
			if (formedit_key(&e->fe, FORMEDIT_NEWLINE, e->width) & FORMEDIT_FULL)
				ui_message(ui, _("%s is full (at most %d characters): the rest was not taken."),
				           f->label, f->maxlen);
			return UI_HANDLED;
		}
		return scr_edit_move(e, 1, 0);
	}
	if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
		return 0; /* controls: keys of the table (Esc, Tab, Ctrl-S) or nothing */
	if (formedit_picked(f)) {
		char typed[8] = {0};
		utf8_encode((uint32_t)ch, typed);
		return scr_edit_open_pick(e, typed);
	}
	/* said again at every refused key: each key clears the message line */
	if (formedit_char(&e->fe, (uint32_t)ch) & FORMEDIT_FULL)
		ui_message(ui, _("%s is full (at most %d characters): the rest was not taken."), f->label, f->maxlen);
	return UI_HANDLED;
}

/* Both versions said, what this person typed kept in the form: F2 again saves
 * it over theirs (its base is now theirs), leaving without saving keeps theirs. */
static char *scr_edit_clashes(struct scr_edit *e, const struct app_clashes *c, const struct mh_error *err)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, err->msg);
	for (size_t k = 0; k < c->n; k++) {
		int i = formedit_find(&e->fe, c->v[k].field);
		const struct formdef_field *f = &e->form->fields[i];
		char *theirs = scr_edit_shown(e, f, c->v[k].theirs), *mine = scr_edit_shown(e, f, c->v[k].mine);
		strbuf_addf(&sb, _(". %s: %s saved \"%s\", you typed \"%s\""), c->v[k].label, c->v[k].who, theirs,
		            mine);
		free(theirs);
		free(mine);
		free(e->base[i]);
		e->base[i] = xalloc_strdup(c->v[k].theirs);
	}
	strbuf_adds(&sb, _(". F2 saves yours over theirs; Esc leaves theirs."));
	return strbuf_detach(&sb, NULL);
}

/* F2: every field checked, the first refused one gets the cursor and its
 * message; then one transaction. */
static int scr_edit_save(struct scr_edit *e)
{
	size_t nf = e->form->nfields;
	struct store_kv *kv = xalloc_calloc(nf + 4, sizeof *kv);
	char **stored = xalloc_calloc(nf + 1, sizeof *stored);
	size_t n = 0;
	struct mh_error err;
	int bad = -1;
	char *clash_msg = NULL;
	for (size_t i = 0; i < nf && bad < 0; i++) {
		const struct formdef_field *f = &e->form->fields[i];
		kv[n].col = f->id;
		if (!formedit_visible(&e->fe, i)) {
			kv[n++].val = NULL; /* a hidden field holds nothing */
			continue;
		}
		char *typed = formedit_text(&e->fe, i);
		int rc = formdef_value(f, typed, &stored[i], &err);
		free(typed);
		if (rc < 0) {
			bad = (int)i;
		} else {
			kv[n++].val = stored[i];
		}
	}
	if (bad < 0) {
		for (int k = 0; k < e->nfixed; k++)
			kv[n++] = e->fixed[k];
		char id[STORE_ID_LEN + 1] = "";
		/* the form's rules (required, required when, hidden) as for any front-end,
		 * over what another officer saved while the form was open */
		struct app_clashes clashes;
		int rc = app_record_save_over(e->ui->st, e->ui->forms, e->form->table, e->id[0] ? e->id : NULL, e->base,
		                              kv, n, id, &clashes, &err);
		if (rc == 0 && !e->id[0])
			memcpy(e->id, id, sizeof id);
		if (clashes.n)
			clash_msg = scr_edit_clashes(e, &clashes, &err);
		app_clashes_release(&clashes);
		if (rc < 0) {
			bad = formedit_find(&e->fe, err.where);
			if (bad < 0)
				bad = (int)e->fe.cur;
		}
	}
	for (size_t i = 0; i < nf; i++)
		free(stored[i]);
	free(stored);
	free(kv);
	if (bad >= 0) {
		formedit_goto(&e->fe, (size_t)bad);
		formedit_key(&e->fe, FORMEDIT_END, e->width); /* after what was typed, to mend it */
		e->bad = bad;
		snprintf(e->bad_msg, sizeof e->bad_msg, "%s", clash_msg ? clash_msg : err.msg);
		ui_message(e->ui, "%s", e->bad_msg);
		free(clash_msg);
		return UI_HANDLED;
	}
	store_draft_delete(e->ui->st, e->form->id, e->draft_key, NULL);
	e->ui->data_changed++;
	ui_message(e->ui, _("Saved: %s."), e->form->title);
	curs_set(0);
	return UI_HANDLED | UI_POP;
}

static int scr_edit_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_edit *e = state;
	switch (act) {
	case UI_ACT_SAVE: return scr_edit_save(e);
	case UI_ACT_NEXT: return scr_edit_move(e, 1, 0);
	case UI_ACT_PREV: return scr_edit_move(e, -1, 0);
	case UI_ACT_IME:
		ui_next_ime(ui);
		formedit_set_method(&e->fe, (enum vn_ime_method)ui->ime_method);
		return UI_HANDLED;
	case UI_ACT_BACK:
	case UI_ACT_QUIT:
		if (e->fe.dirty && !ui_confirm(ui, _("Leave without saving what was typed? (c = yes, k = no)")))
			return UI_HANDLED | UI_REDRAW;
		store_draft_delete(ui->st, e->form->id, e->draft_key, NULL);
		curs_set(0);
		return UI_HANDLED | (act == UI_ACT_QUIT ? UI_QUIT : UI_POP);
	default: return 0;
	}
}

static const enum ui_action scr_edit_bar[] = {UI_ACT_SAVE, UI_ACT_NEXT, UI_ACT_IME, UI_ACT_NONE};

static const enum ui_action scr_edit_keys[] = {UI_ACT_SAVE, UI_ACT_NEXT, UI_ACT_PREV, UI_ACT_IME, UI_ACT_NONE};

const struct ui_screen scr_edit = {
    .title = N_("Edit"),
    .enter = scr_edit_enter,
    .draw = scr_edit_draw,
    .action = scr_edit_action,
    .leave = scr_edit_leave,
    .bar = scr_edit_bar,
    .keys = scr_edit_keys,
    .key = scr_edit_key,
};
