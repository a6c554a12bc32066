/* The edit screen: one libformw field per field of the form file, labels
 * beside them, pages when the form is taller than the screen. Typing goes
 * through the built-in input method (F9) or arrives as UTF-8 and is composed
 * to NFC before the form library sees it. F2 saves in one transaction; a
 * refused value gets its message and the cursor, and nothing typed is lost.
 * The form is kept as a draft after each field. */
#include <form.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>

#include "formdef.h"
#include "i18n.h"
#include "scr-edit.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "utf8.h"
#include "vn-ime.h"
#include "vn.h"
#include "xalloc.h"

#define SCR_EDIT_LABEL 24

struct scr_edit {
	struct ui *ui;
	const struct formdef_form *form;
	char id[STORE_ID_LEN + 1]; /* empty for a new record */
	struct store_kv fixed[3];
	int nfixed;
	char draft_key[96];
	/* the values as stored (codes for choices and units, dd/mm/yyyy as
	 * typed for dates), one per form field; text fields are read back from
	 * the form library on every change of field */
	char **values;
	int dirty;
	/* the form library's part, remade when the window changes */
	FORM *fm;
	FIELD **fields; /* one per form field (NULL where hidden) */
	FIELD **list;   /* the shown ones, as the form library holds them */
	WINDOW *sub;
	int current; /* form field with the cursor */
	struct vn_ime ime;
	uint32_t last_cp; /* the character just typed, for composing marks */
	int bad;          /* the field refused by the last F2 (-1: none) */
	char bad_msg[512];
};

static const char *scr_edit_value_of(void *ud, const char *field)
{
	struct scr_edit *e = ud;
	for (size_t i = 0; i < e->form->nfields; i++)
		if (strcmp(e->form->fields[i].id, field) == 0)
			return e->values[i];
	return NULL;
}

static int scr_edit_required(struct scr_edit *e, const struct formdef_field *f)
{
	return f->required || (f->required_when.field && formdef_cond_holds(&f->required_when, scr_edit_value_of, e));
}

static int scr_edit_picked(const struct formdef_field *f)
{
	return f->type == FORMDEF_CHOICE || f->type == FORMDEF_CHOICES || f->type == FORMDEF_UNIT;
}

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

/* Copies what the form library holds back into values. */
static void scr_edit_read_back(struct scr_edit *e)
{
	if (!e->fm)
		return;
	form_driver(e->fm, REQ_VALIDATION);
	for (size_t i = 0; i < e->form->nfields; i++) {
		const struct formdef_field *f = &e->form->fields[i];
		if (scr_edit_picked(f) || !e->fields[i])
			continue;
		const char *buf = field_buffer(e->fields[i], 0);
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_adds(&sb, buf ? buf : "");
		if (f->type == FORMDEF_LONGTEXT) {
			/* the library pads every row to the width: rows become lines */
			int drows, cols, dmax;
			dynamic_field_info(e->fields[i], &drows, &cols, &dmax);
			struct strbuf lines;
			strbuf_init(&lines);
			size_t pos = 0;
			while (pos < sb.len) {
				struct strbuf row;
				strbuf_init(&row);
				size_t start = pos;
				int c = 0;
				while (pos < sb.len && c < cols) {
					uint32_t cp;
					int len = utf8_decode(sb.buf + pos, sb.len - pos, &cp);
					pos += len > 0 ? (size_t)len : 1;
					c++;
				}
				strbuf_add(&row, sb.buf + start, pos - start);
				while (row.len && row.buf[row.len - 1] == ' ')
					strbuf_truncate(&row, row.len - 1);
				if (lines.len || row.len)
					strbuf_addf(&lines, "%s%s", lines.len ? "\n" : "", row.buf);
				strbuf_release(&row);
			}
			while (lines.len && lines.buf[lines.len - 1] == '\n')
				strbuf_truncate(&lines, lines.len - 1);
			strbuf_release(&sb);
			sb = lines;
		}
		while (sb.len && sb.buf[sb.len - 1] == ' ')
			strbuf_truncate(&sb, sb.len - 1);
		free(e->values[i]);
		e->values[i] = strbuf_detach(&sb, NULL);
	}
}

/* "id=value" lines, with \ and line breaks escaped */
static char *scr_edit_serialize(struct scr_edit *e)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (size_t i = 0; i < e->form->nfields; i++) {
		if (!e->values[i] || !*e->values[i])
			continue;
		strbuf_addf(&sb, "%s=", e->form->fields[i].id);
		for (const char *p = e->values[i]; *p; p++) {
			if (*p == '\\')
				strbuf_adds(&sb, "\\\\");
			else if (*p == '\n')
				strbuf_adds(&sb, "\\n");
			else
				strbuf_addc(&sb, *p);
		}
		strbuf_addc(&sb, '\n');
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
			free(e->values[i]);
			e->values[i] = strbuf_detach(&v, NULL);
		}
	}
	free(copy);
}

static void scr_edit_save_draft(struct scr_edit *e)
{
	if (!e->dirty)
		return;
	scr_edit_read_back(e);
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
	e->values = xalloc_calloc(e->form->nfields + 1, sizeof *e->values);
	e->fields = xalloc_calloc(e->form->nfields + 1, sizeof *e->fields);
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
		for (int k = 0; !a->id && k < a->nprefill; k++)
			if (strcmp(a->prefill[k].col, f->id) == 0 && a->prefill[k].val)
				stored = xalloc_strdup(a->prefill[k].val);
		/* dates and yes/no are edited as typed: dd/mm/yyyy, Có/Không */
		if (stored && (f->type == FORMDEF_DATE || f->type == FORMDEF_YESNO)) {
			char *shown = formdef_display(f, stored);
			free(stored);
			stored = shown;
		}
		e->values[i] = stored ? stored : xalloc_strdup("");
	}
	char at[21];
	char *draft = store_draft_get(ui->st, e->form->id, e->draft_key, at);
	if (draft) {
		char q[256];
		snprintf(q, sizeof q, _("Restore the draft of %.5s, %.2s/%.2s/%.4s (UTC)? (c = yes, k = no)"), at + 11,
		         at + 8, at + 5, at);
		if (ui_confirm(ui, q)) {
			scr_edit_restore(e, draft);
			e->dirty = 1;
		} else {
			store_draft_delete(ui->st, e->form->id, e->draft_key, NULL);
		}
		free(draft);
	}
	vn_ime_init(&e->ime, (enum vn_ime_method)ui->ime_method, 0);
	e->bad = -1;
	return e;
}

static void scr_edit_detach(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_edit *e = state;
	if (!e->fm)
		return;
	scr_edit_read_back(e);
	e->current = field_index(current_field(e->fm));
	unpost_form(e->fm);
	free_form(e->fm);
	free(e->list);
	e->list = NULL;
	e->fm = NULL;
	for (size_t i = 0; i < e->form->nfields; i++) {
		if (e->fields[i])
			free_field(e->fields[i]);
		e->fields[i] = NULL;
	}
	delwin(e->sub);
	e->sub = NULL;
}

static void scr_edit_leave(struct ui *ui, void *state)
{
	struct scr_edit *e = state;
	scr_edit_detach(ui, e);
	for (size_t i = 0; i < e->form->nfields; i++)
		free(e->values[i]);
	for (int i = 0; i < e->nfixed; i++)
		free((char *)e->fixed[i].val);
	free(e->values);
	free(e->fields);
	free(e);
}

static int scr_edit_visible(struct scr_edit *e, size_t i)
{
	return formdef_cond_holds(&e->form->fields[i].show_when, scr_edit_value_of, e);
}

/* Builds the form library's fields for the window, page by page. */
static void scr_edit_build(struct scr_edit *e, WINDOW *win)
{
	int h = getmaxy(win), w = getmaxx(win);
	int lw = w >= 100 ? 30 : SCR_EDIT_LABEL;
	int fw = w - lw - 3;
	int row = 1, page_rows = h - 2;
	FIELD **list = xalloc_calloc(e->form->nfields + 1, sizeof *list);
	int n = 0;
	for (size_t i = 0; i < e->form->nfields; i++) {
		const struct formdef_field *f = &e->form->fields[i];
		if (!scr_edit_visible(e, i))
			continue;
		int fh = f->type == FORMDEF_LONGTEXT ? f->lines : 1;
		if (fh > page_rows - 1)
			fh = page_rows - 1;
		int new_page = n > 0 && row + fh > page_rows;
		if (new_page)
			row = 1;
		FIELD *fd = new_field(fh, fw, row, lw + 2, 0, 0);
		set_field_back(fd, A_UNDERLINE);
		field_opts_off(fd, O_AUTOSKIP | O_BLANK);
		if (f->type == FORMDEF_LONGTEXT) {
			field_opts_off(fd, O_STATIC);
			set_max_field(fd, f->maxlen ? f->maxlen / (fw > 0 ? fw : 1) + fh + 2 : 0);
		} else if (!scr_edit_picked(f)) {
			field_opts_off(fd, O_STATIC);
			set_max_field(fd, f->maxlen > fw ? f->maxlen : 0);
		} else {
			field_opts_off(fd, O_EDIT);
		}
		if (new_page)
			set_new_page(fd, TRUE);
		set_field_userptr(fd, (void *)e->form->fields[i].id);
		char *shown = scr_edit_picked(f) ? scr_edit_shown(e, f, e->values[i]) : xalloc_strdup(e->values[i]);
		if (f->type == FORMDEF_LONGTEXT) {
			/* each line starts a row of the field */
			struct strbuf sb;
			strbuf_init(&sb);
			for (char *line = shown, *nl; line; line = nl ? nl + 1 : NULL) {
				nl = strchr(line, '\n');
				size_t len = nl ? (size_t)(nl - line) : strlen(line);
				vn_fit(line, len, (size_t)fw * (len / (size_t)fw + 1), nl != NULL, &sb);
			}
			set_field_buffer(fd, 0, sb.buf);
			strbuf_release(&sb);
		} else {
			set_field_buffer(fd, 0, shown);
		}
		free(shown);
		e->fields[i] = fd;
		list[n++] = fd;
		row += fh + (f->type == FORMDEF_LONGTEXT ? 1 : 0);
	}
	e->fm = new_form(list); /* the form keeps the array: freed with it */
	e->list = list;
	/* backspace at a field's start, Enter at its end: never leave the field */
	form_opts_off(e->fm, O_BS_OVERLOAD | O_NL_OVERLOAD);
	e->sub = derwin(win, h, w, 0, 0);
	set_form_win(e->fm, win);
	set_form_sub(e->fm, e->sub);
	post_form(e->fm);
	if (e->current >= 0 && e->current < field_count(e->fm))
		set_current_field(e->fm, form_fields(e->fm)[e->current]);
}

static int scr_edit_index(struct scr_edit *e, FIELD *fd)
{
	for (size_t i = 0; i < e->form->nfields; i++)
		if (e->fields[i] == fd)
			return (int)i;
	return -1;
}

static void scr_edit_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_edit *e = state;
	if (!e->fm) {
		werase(win);
		scr_edit_build(e, win);
	}
	int lw = getmaxx(win) >= 100 ? 30 : SCR_EDIT_LABEL;
	int page = form_page(e->fm);
	/* the labels of the page shown (the form library draws the fields) */
	for (int y = 0; y < getmaxy(win); y++)
		ui_put(win, y, 0, "", lw + 1);
	for (size_t i = 0; i < e->form->nfields; i++) {
		FIELD *fd = e->fields[i];
		if (!fd)
			continue;
		int frow, fcol, rows, cols, nrow, nbuf;
		field_info(fd, &rows, &cols, &frow, &fcol, &nrow, &nbuf);
		/* the page a field is on: count the page breaks before it */
		int fpage = 0;
		for (size_t k = 0; k <= i; k++)
			if (e->fields[k] && new_page(e->fields[k]) && k > 0)
				fpage++;
		if (fpage != page)
			continue;
		const struct formdef_field *f = &e->form->fields[i];
		char label[256];
		snprintf(label, sizeof label, "%s%s%s", (int)i == e->bad ? "! " : "", f->label,
		         scr_edit_required(e, f) ? " *" : "");
		if ((int)i == e->bad)
			wattron(win, A_BOLD | (ui->colors ? COLOR_PAIR(3) : A_REVERSE));
		ui_put(win, frow, 1, label, lw);
		if ((int)i == e->bad)
			wattroff(win, A_BOLD | (ui->colors ? COLOR_PAIR(3) : A_REVERSE));
	}
	FIELD *cur = current_field(e->fm);
	int ci = scr_edit_index(e, cur);
	char info[320];
	snprintf(info, sizeof info, "%s%s", e->id[0] ? _("Edit: ") : _("New: "), e->form->title);
	wattron(win, A_BOLD);
	ui_put(win, 0, 1, info, getmaxx(win) - 2);
	wattroff(win, A_BOLD);
	if (ci >= 0) {
		const struct formdef_field *f = &e->form->fields[ci];
		const char *help = f->help                       ? f->help
		                   : scr_edit_picked(f)          ? _("Enter or a letter opens the list")
		                   : f->type == FORMDEF_LONGTEXT ? _("Enter starts a new line")
		                                                 : "";
		/* in the refused field, what was wrong stays in sight */
		if (!ui->message[0] && ci == e->bad) {
			attron(A_BOLD);
			ui_put(stdscr, LINES - 2, 0, e->bad_msg, COLS);
			attroff(A_BOLD);
		} else if (!ui->message[0]) {
			ui_put(stdscr, LINES - 2, 0, help, COLS);
		}
	}
	curs_set(1);
	pos_form_cursor(e->fm);
	wnoutrefresh(win);
	wnoutrefresh(stdscr);
	/* the body window is refreshed after draw by the loop; keep the cursor there */
}

/* Inserts one character, composing a combining mark with the one before. */
static int scr_edit_insert(struct scr_edit *e, uint32_t cp)
{
	if (cp >= 0x300 && cp < 0x370 && e->last_cp) {
		uint32_t pair[2] = {e->last_cp, cp}, out[4];
		size_t n = 4;
		uint32_t *r = u32_normalize(UNINORM_NFC, pair, 2, out, &n);
		if (r && n == 1) {
			form_driver_w(e->fm, KEY_CODE_YES, REQ_DEL_PREV);
			e->last_cp = out[0];
			return form_driver_w(e->fm, OK, (wchar_t)out[0]);
		}
		return E_OK; /* a mark that composes with nothing: the form library would lose it */
	}
	e->last_cp = cp;
	return form_driver_w(e->fm, OK, (wchar_t)cp);
}

static void scr_edit_apply(struct scr_edit *e, const struct vn_ime_edit *ed)
{
	for (size_t d = 0; d < ed->del; d++)
		form_driver_w(e->fm, KEY_CODE_YES, REQ_DEL_PREV);
	const char *p = ed->ins;
	size_t n = strlen(p);
	int refused = 0;
	while (*p) {
		uint32_t cp;
		int len = utf8_decode(p, n - (size_t)(p - ed->ins), &cp);
		if (len < 0)
			break;
		if (scr_edit_insert(e, cp) != E_OK)
			refused = 1;
		p += len;
	}
	if (refused) { /* said again at every refused key: each key clears the message line */
		int ci = scr_edit_index(e, current_field(e->fm));
		const struct formdef_field *f = ci >= 0 ? &e->form->fields[ci] : NULL;
		ui_message(e->ui, _("%s is full (at most %d characters): the rest was not taken."), f ? f->label : "",
		           f ? f->maxlen : 0);
	}
}

static void scr_edit_moved(struct scr_edit *e)
{
	vn_ime_reset(&e->ime);
	e->last_cp = 0;
}

/* After leaving a field: conditions may show or hide fields, and the
 * form is kept as a draft. */
static int scr_edit_field_done(struct scr_edit *e)
{
	scr_edit_moved(e);
	scr_edit_read_back(e);
	scr_edit_save_draft(e);
	int changed = 0;
	for (size_t i = 0; i < e->form->nfields; i++)
		changed |= (e->fields[i] != NULL) != scr_edit_visible(e, i);
	if (changed) {
		e->current = field_index(current_field(e->fm));
		scr_edit_detach(e->ui, e);
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_HANDLED;
}

/* The day the record speaks of (its launch date, as typed so far), into
 * day; "" when the form has none or it is not a date yet: then today. */
static void scr_edit_day(struct scr_edit *e, char day[11])
{
	day[0] = '\0';
	scr_edit_read_back(e);
	for (size_t i = 0; i < e->form->nfields; i++) {
		const struct formdef_field *f = &e->form->fields[i];
		char *stored = NULL;
		struct mh_error err;
		if (strcmp(f->id, "launched_on") == 0 && e->values[i] &&
		    formdef_value(f, e->values[i], &stored, &err) == 0 && stored && strlen(stored) == 10)
			memcpy(day, stored, 11);
		free(stored);
	}
}

static int scr_edit_open_pick(struct scr_edit *e, int ci, const char *typed)
{
	const struct formdef_field *f = &e->form->fields[ci];
	const struct formdef_list *l = f->list ? formdef_list(e->ui->forms, f->list) : NULL;
	char day[11];
	if (f->type == FORMDEF_UNIT)
		scr_edit_day(e, day);
	char *v = f->type == FORMDEF_UNIT      ? ui_pick_unit(e->ui, f->label, typed, day[0] ? day : "")
	          : f->type == FORMDEF_CHOICES ? ui_pick_choices(e->ui, l, f->label, e->values[ci])
	                                       : ui_pick_choice(e->ui, l, f->label, typed);
	if (v && !*v) { /* no choice marked */
		free(v);
		v = NULL;
		free(e->values[ci]);
		e->values[ci] = NULL;
		e->dirty = 1;
		set_field_buffer(e->fields[ci], 0, "");
		return scr_edit_field_done(e);
	}
	if (v) {
		free(e->values[ci]);
		e->values[ci] = v;
		e->dirty = 1;
		char *shown = scr_edit_shown(e, f, v);
		set_field_buffer(e->fields[ci], 0, shown);
		free(shown);
		return scr_edit_field_done(e);
	}
	return UI_HANDLED;
}

static int scr_edit_key(struct ui *ui, void *state, int is_key, wint_t ch)
{
	(void)ui;
	struct scr_edit *e = state;
	if (!e->fm)
		return 0;
	int ci = scr_edit_index(e, current_field(e->fm));
	const struct formdef_field *f = ci >= 0 ? &e->form->fields[ci] : NULL;
	if (is_key) {
		int req = 0;
		switch (ch) {
		case KEY_LEFT: req = REQ_LEFT_CHAR; break;
		case KEY_RIGHT: req = REQ_RIGHT_CHAR; break;
		case KEY_HOME: req = REQ_BEG_LINE; break;
		case KEY_END: req = REQ_END_LINE; break;
		case KEY_DC: req = REQ_DEL_CHAR; break;
		case KEY_BACKSPACE: break;
		case KEY_UP:
			if (f && f->type == FORMDEF_LONGTEXT && form_driver(e->fm, REQ_UP_CHAR) == E_OK)
				return UI_HANDLED;
			form_driver(e->fm, REQ_PREV_FIELD);
			return scr_edit_field_done(e);
		case KEY_DOWN:
			if (f && f->type == FORMDEF_LONGTEXT && form_driver(e->fm, REQ_DOWN_CHAR) == E_OK)
				return UI_HANDLED;
			form_driver(e->fm, REQ_NEXT_FIELD);
			return scr_edit_field_done(e);
		case KEY_NPAGE: form_driver(e->fm, REQ_NEXT_PAGE); return scr_edit_field_done(e);
		case KEY_PPAGE: form_driver(e->fm, REQ_PREV_PAGE); return scr_edit_field_done(e);
		case KEY_ENTER:
			ch = '\n';
			is_key = 0;
			break;
		default: return 0; /* function keys: the key table */
		}
		if (req) {
			form_driver(e->fm, req);
			scr_edit_moved(e);
			return UI_HANDLED;
		}
		if (ch == KEY_BACKSPACE)
			ch = 0x7f, is_key = 0;
	}
	if (ch == 0x7f || ch == 0x08) {
		if (f && scr_edit_picked(f)) {
			free(e->values[ci]);
			e->values[ci] = xalloc_strdup("");
			set_field_buffer(e->fields[ci], 0, "");
			e->dirty = 1;
			return UI_HANDLED;
		}
		struct vn_ime_edit ed;
		vn_ime_key(&e->ime, VN_IME_BACKSPACE, &ed);
		scr_edit_apply(e, &ed);
		e->last_cp = 0;
		e->dirty = 1;
		return UI_HANDLED;
	}
	if (ch == '\n' || ch == '\r') {
		if (f && scr_edit_picked(f))
			return scr_edit_open_pick(e, ci, "");
		if (f && f->type == FORMDEF_LONGTEXT) {
			form_driver(e->fm, REQ_NEW_LINE);
			scr_edit_moved(e);
			e->dirty = 1;
			return UI_HANDLED;
		}
		form_driver(e->fm, REQ_NEXT_FIELD);
		return scr_edit_field_done(e);
	}
	if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
		return 0; /* controls: keys of the table (Esc, Tab, Ctrl-S) or nothing */
	if (f && scr_edit_picked(f)) {
		char typed[8] = {0};
		utf8_encode((uint32_t)ch, typed);
		return scr_edit_open_pick(e, ci, typed);
	}
	struct vn_ime_edit ed;
	vn_ime_key(&e->ime, (uint32_t)ch, &ed);
	scr_edit_apply(e, &ed);
	e->dirty = 1;
	return UI_HANDLED;
}

/* A historic unit: the unit table has its own rules (store_unit_add). */
static int scr_edit_save_unit(struct scr_edit *e, const struct store_kv *kv, size_t n, char *id, struct mh_error *err)
{
	struct store_unit u;
	memset(&u, 0, sizeof u);
	for (size_t i = 0; i < n; i++)
		if (kv[i].val)
			store_unit_set(&u, kv[i].col, kv[i].val); /* the form's maxlen keeps values in size */
	if (store_unit_add(e->ui->st, &u, err) < 0) {
		/* name the field the store refused, where it can tell */
		if (!err->where[0])
			mh_error_where(err, "%s", strstr(err->msg, u.code) ? "code" : "parent_code");
		return -1;
	}
	snprintf(id, STORE_ID_LEN + 1, "%s", u.code);
	return 0;
}

/* F2: every field checked, the first refused one gets the cursor and its
 * message; then one transaction. */
static int scr_edit_save(struct scr_edit *e)
{
	scr_edit_read_back(e);
	struct store_kv kv[32];
	char *stored[32] = {0};
	size_t n = 0;
	struct mh_error err;
	int bad = -1;
	for (size_t i = 0; i < e->form->nfields && bad < 0; i++) {
		const struct formdef_field *f = &e->form->fields[i];
		if (!scr_edit_visible(e, i)) {
			kv[n].col = f->id;
			kv[n++].val = NULL; /* a hidden field holds nothing */
			continue;
		}
		if (formdef_value(f, e->values[i], &stored[n], &err) < 0) {
			bad = (int)i;
			break;
		}
		if (scr_edit_required(e, f) && !stored[n]) {
			mh_error_set(&err, MH_EDATA, _("%s: a value is required"), f->label);
			bad = (int)i;
			break;
		}
		kv[n].col = f->id;
		kv[n].val = stored[n];
		n++;
	}
	if (bad < 0) {
		for (int k = 0; k < e->nfixed; k++)
			kv[n++] = e->fixed[k];
		char id[STORE_ID_LEN + 1] = "";
		int rc = strcmp(e->form->table, "unit") == 0 ? scr_edit_save_unit(e, kv, n, id, &err)
		         : e->id[0] ? store_record_update(e->ui->st, e->form->table, e->id, kv, n, &err)
		                    : store_record_insert(e->ui->st, e->form->table, kv, n, id, &err);
		if (rc == 0 && !e->id[0])
			memcpy(e->id, id, sizeof id);
		if (rc < 0) {
			for (size_t i = 0; i < e->form->nfields; i++)
				if (strcmp(e->form->fields[i].id, err.where) == 0)
					bad = (int)i;
			if (bad < 0)
				bad = e->current >= 0 ? e->current : 0;
		}
	}
	for (size_t i = 0; i < n && i < 32; i++)
		free(stored[i]);
	if (bad >= 0) {
		if (e->fields[bad]) {
			set_current_field(e->fm, e->fields[bad]);
			form_driver(e->fm, REQ_END_LINE); /* after what was typed, to mend it */
		}
		scr_edit_moved(e);
		e->bad = bad;
		snprintf(e->bad_msg, sizeof e->bad_msg, "%s", err.msg);
		ui_message(e->ui, "%s", err.msg);
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
	case UI_ACT_NEXT: form_driver(e->fm, REQ_NEXT_FIELD); return scr_edit_field_done(e);
	case UI_ACT_PREV: form_driver(e->fm, REQ_PREV_FIELD); return scr_edit_field_done(e);
	case UI_ACT_IME:
		ui_next_ime(ui);
		vn_ime_init(&e->ime, (enum vn_ime_method)ui->ime_method, 0);
		return UI_HANDLED;
	case UI_ACT_BACK:
	case UI_ACT_QUIT:
		scr_edit_read_back(e);
		if (e->dirty && !ui_confirm(ui, _("Leave without saving what was typed? (c = yes, k = no)")))
			return UI_HANDLED;
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
    .detach = scr_edit_detach,
    .bar = scr_edit_bar,
    .keys = scr_edit_keys,
    .key = scr_edit_key,
    .keeps_body = 1,
};
