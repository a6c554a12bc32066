/* The loop: a stack of screens, the title line and the key bar, resizing,
 * and a clear message when the terminal is too small. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "ui-vlist.h"
#include "utf8.h"
#include "ui.h"
#include "vn-ime.h"
#include "vn.h"
#include "store-user.h"

void ui_put(WINDOW *win, int y, int x, const char *text, int ncols)
{
	if (ncols <= 0)
		return;
	struct strbuf sb;
	strbuf_init(&sb);
	size_t len = strlen(text), n = (size_t)ncols;
	if (n > 1 && vn_width(text, len) > n) {
		/* cut between two letters, and said to be cut */
		size_t w = vn_fit(text, len, n - 1, 0, &sb);
		strbuf_adds(&sb, "…");
		for (; w + 1 < n; w++)
			strbuf_addc(&sb, ' ');
	} else {
		vn_fit(text, len, n, 1, &sb);
	}
	mvwaddstr(win, y, x, sb.buf);
	strbuf_release(&sb);
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	/* a message cut by its room ends between two characters */
	size_t len = strlen(ui->message);
	if (len == sizeof ui->message - 1) {
		size_t at = len;
		while (at > 0 && ((unsigned char)ui->message[at - 1] & 0xC0) == 0x80)
			at--;
		if (at > 0 && (unsigned char)ui->message[at - 1] >= 0xC0)
			ui->message[at - 1] = '\0';
	}
}

void ui_push(struct ui *ui, const struct ui_screen *screen, void *arg)
{
	if (ui->depth == UI_STACK_MAX)
		return;
	ui->screen[ui->depth] = screen;
	ui->state[ui->depth] = screen->enter ? screen->enter(ui, arg) : NULL;
	ui->depth++;
}

static void ui_pop(struct ui *ui)
{
	ui->depth--;
	if (ui->screen[ui->depth]->detach)
		ui->screen[ui->depth]->detach(ui, ui->state[ui->depth]);
	if (ui->screen[ui->depth]->leave)
		ui->screen[ui->depth]->leave(ui, ui->state[ui->depth]);
}

int ui_too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
}

int ui_put_wrapped(WINDOW *win, int y, int x, const char *text, int ncols, int maxrows)
{
	int rows = 0;
	const char *p = text;
	while (*p && rows < maxrows && ncols > 0) {
		/* as many words as fit; a word longer than the line is cut where the line ends */
		size_t fit = 0, at = 0, len = strlen(p);
		while (at < len) {
			size_t next = at + strcspn(p + at, " ");
			if (vn_width(p, next) > (size_t)ncols)
				break;
			fit = next;
			at = next + (p[next] == ' ');
		}
		if (fit == 0) { /* one word longer than the line: cut between two characters */
			while (fit < len) {
				uint32_t cp;
				int n = utf8_decode(p + fit, len - fit, &cp);
				size_t next = fit + (n > 0 ? (size_t)n : 1);
				if (vn_width(p, next) > (size_t)ncols)
					break;
				fit = next;
			}
			if (fit == 0)
				break;
		}
		if (win)
			mvwaddnstr(win, y + rows, x, p, (int)fit);
		rows++;
		p += fit;
		while (*p == ' ')
			p++;
	}
	return rows;
}

static void ui_draw_small(void)
{
	erase();
	char said[320];
	int n = snprintf(said, sizeof said, _("The window is too small: mohinh needs at least %dx%d (now %dx%d)."),
	                 UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
	if (n > 0 && (size_t)n < sizeof said)
		snprintf(said + n, sizeof said - (size_t)n, " %s", _("Make the window larger, or press q to quit."));
	ui_put_wrapped(stdscr, LINES > 6 ? LINES / 2 - 2 : 0, 0, said, COLS, LINES);
	refresh();
}

static void ui_draw_bars(struct ui *ui, const struct ui_screen *s)
{
	attr_t bar = ui->colors ? COLOR_PAIR(1) : A_REVERSE;
	attron(bar);
	char title[512];
	snprintf(title, sizeof title, " mohinh — %s — %s%s%s", ui->office ? ui->office->name : "", _(s->title),
	         ui->logged_in ? " — " : "", ui->logged_in ? store_user(ui->st) : "");
	ui_put(stdscr, 0, 0, title, COLS);
	attroff(bar);

	/* the key bar: F1 help, the screen's keys, F10 quit */
	move(LINES - 1, 0);
	clrtoeol();
	int x = 0;
	enum ui_action acts[16];
	int n = 0;
	acts[n++] = UI_ACT_HELP;
	for (const enum ui_action *a = s->bar; *a != UI_ACT_NONE && n < 14; a++)
		acts[n++] = *a;
	acts[n++] = ui->depth > 1 ? UI_ACT_BACK : UI_ACT_QUIT;
	if (ui->depth > 1)
		acts[n++] = UI_ACT_QUIT;
	for (int i = 0; i < n; i++) {
		const char *key = ui_keys_label(s, acts[i]), *label = ui_keys_action_label(s, acts[i]);
		char ime[64];
		if (acts[i] == UI_ACT_IME) {
			snprintf(ime, sizeof ime, _("Typing: %s"),
			         ui->ime_method == VN_IME_TELEX ? "Telex"
			         : ui->ime_method == VN_IME_VNI ? "VNI"
			                                        : _("off"));
			label = ime;
		}
		int kw = (int)vn_width(key, strlen(key)), lw = (int)vn_width(label, strlen(label));
		if (x + kw + lw + 3 > COLS)
			break;
		attron(A_BOLD);
		ui_put(stdscr, LINES - 1, x, key, kw + 1);
		attroff(A_BOLD);
		attron(bar);
		ui_put(stdscr, LINES - 1, x + kw + 1, label, lw);
		attroff(bar);
		x += kw + lw + 3;
	}
}

/* The message above the key bar, over as many lines as it needs (up to a
 * third of the screen), drawn last over the body. */
static void ui_draw_message(struct ui *ui)
{
	if (!ui->message[0])
		return;
	int rows = ui_put_wrapped(NULL, 0, 0, ui->message, COLS, LINES / 3);
	if (rows < 1)
		rows = 1;
	WINDOW *m = newwin(rows, COLS, LINES - 1 - rows, 0);
	if (!m)
		return;
	wattron(m, A_BOLD);
	ui_put_wrapped(m, 0, 0, ui->message, COLS, rows);
	wnoutrefresh(m);
	delwin(m);
}

static void ui_draw(struct ui *ui)
{
	if (ui_too_small()) {
		ui_draw_small();
		return;
	}
	erase();
	const struct ui_screen *s = ui->screen[ui->depth - 1];
	ui_draw_bars(ui, s);
	wnoutrefresh(stdscr);
	if (!ui->body || getmaxx(ui->body) != COLS || getmaxy(ui->body) != LINES - 3) {
		for (int i = 0; i < ui->depth; i++)
			if (ui->screen[i]->detach)
				ui->screen[i]->detach(ui, ui->state[i]);
		if (ui->body)
			delwin(ui->body);
		ui->body = newwin(LINES - 3, COLS, 1, 0);
	}
	werase(ui->body); /* every screen draws all of its body from its state */
	s->draw(ui, ui->state[ui->depth - 1], ui->body);
	wnoutrefresh(ui->body);
	ui_draw_message(ui);
	doupdate();
}

void ui_redraw(struct ui *ui)
{
	if (ui && ui->depth > 0)
		ui_draw(ui);
}

int ui_read_key(WINDOW *win, wint_t *ch)
{
	int c = wgetch(win);
	if (c == ERR)
		return ERR;
	if (c >= KEY_MIN) {
		*ch = (wint_t)c;
		return KEY_CODE_YES;
	}
	if (c < 0x80) {
		*ch = (wint_t)c;
		return OK;
	}
	/* a UTF-8 sequence: its bytes arrive together */
	char buf[4] = {(char)c};
	int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
	int n = 1;
	if (need > 1) {
		bool was = is_nodelay(win);
		nodelay(win, TRUE);
		while (n < need) {
			int d = wgetch(win);
			if (d == ERR)
				break;
			if ((d & 0xC0) != 0x80 || d >= KEY_MIN) {
				ungetch(d); /* not a continuation: it is a key of its own */
				break;
			}
			buf[n++] = (char)d;
		}
		nodelay(win, was);
	}
	uint32_t cp;
	if (n == need && utf8_decode(buf, (size_t)n, &cp) == n) {
		*ch = (wint_t)cp;
		return OK;
	}
	return ERR; /* not UTF-8: dropped */
}

/* An Esc followed at once by more keys is an escape sequence the terminal
 * did not name (pasted, or a key of another terminal): it is dropped whole,
 * never taken as Esc and letters. Returns 1 if it was one. */
static int ui_swallow_sequence(void)
{
	wint_t c;
	nodelay(stdscr, TRUE);
	int r = ui_read_key(stdscr, &c);
	if (r == ERR) {
		nodelay(stdscr, FALSE);
		return 0; /* Esc alone */
	}
	if (r == OK && (c == '[' || c == 'O')) {
		/* CSI or SS3: parameters, then a final byte from @ to ~ */
		for (int n = 0; n < 64 && ui_read_key(stdscr, &c) == OK; n++)
			if (c >= 0x40 && c <= 0x7E)
				break;
	}
	/* Alt and a key: the key is dropped with it */
	nodelay(stdscr, FALSE);
	return 1;
}

/* 1 if another key is already waiting to be read. */
static int ui_key_pending(void)
{
	nodelay(stdscr, TRUE);
	int c = wgetch(stdscr);
	nodelay(stdscr, FALSE);
	if (c == ERR)
		return 0;
	ungetch(c);
	return 1;
}

static void ui_loop(struct ui *ui)
{
	ui_draw(ui);
	while (ui->depth > 0) {
		wint_t ch;
		int r = ui_read_key(stdscr, &ch);
		if (r == ERR)
			continue;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			ui_draw(ui);
			continue;
		}
		if (r == OK && ch == 27 && ui_swallow_sequence())
			continue;
		const struct ui_screen *s = ui->screen[ui->depth - 1];
		enum ui_action act = ui_keys_action(s, r == KEY_CODE_YES, ch);
		if (ui_too_small()) {
			if (act == UI_ACT_QUIT)
				break;
			continue;
		}
		ui->message[0] = '\0'; /* a message lasts until the next key */
		int flags = s->key ? s->key(ui, ui->state[ui->depth - 1], r == KEY_CODE_YES, ch) : 0;
		if (!flags)
			flags = act == UI_ACT_NONE ? 0 : s->action(ui, ui->state[ui->depth - 1], act);
		if (!(flags & UI_HANDLED) && act == UI_ACT_IME) {
			ui_next_ime(ui);
			flags |= UI_HANDLED;
		}
		if (!(flags & UI_HANDLED)) {
			if (act == UI_ACT_HELP) {
				ui_keys_help(ui, s);
			} else if (act == UI_ACT_QUIT) {
				flags |= UI_QUIT;
			} else if (act == UI_ACT_BACK) {
				flags |= UI_POP;
			}
		}
		if (flags & UI_QUIT)
			break;
		if (flags & UI_POP)
			ui_pop(ui);
		/* a paste arrives as a flood of keys: draw once it has been read */
		if (ui->depth > 0 && !ui_key_pending())
			ui_draw(ui);
	}
	while (ui->depth > 0)
		ui_pop(ui);
}

int ui_list_move(struct ui_vlist *l, enum ui_action act)
{
	int page = l->cap > 1 ? l->cap - 1 : 1;
	switch (act) {
	case UI_ACT_UP: ui_vlist_move(l, -1); return UI_HANDLED;
	case UI_ACT_DOWN: ui_vlist_move(l, 1); return UI_HANDLED;
	case UI_ACT_PGUP: ui_vlist_move(l, -page); return UI_HANDLED;
	case UI_ACT_PGDN: ui_vlist_move(l, page); return UI_HANDLED;
	case UI_ACT_HOME: ui_vlist_first(l); return UI_HANDLED;
	case UI_ACT_END: ui_vlist_last(l); return UI_HANDLED;
	default: return 0;
	}
}

int ui_search_key(int *searching, struct strbuf *words, int is_key, wint_t ch)
{
	if (!*searching)
		return 0;
	if (!is_key && (ch == '\n' || ch == '\r')) {
		*searching = 0;
		return 1;
	}
	if (!is_key && ch == 27) {
		*searching = 0;
		strbuf_reset(words);
	} else if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 0x7f || ch == 0x08))) {
		strbuf_truncate(words, utf8_last_start(words->buf, words->len));
	} else if (!is_key && ch >= 0x20 && words->len < 200) {
		strbuf_addcp(words, (uint32_t)ch);
	} else {
		return 0;
	}
	return 2;
}

void ui_search_show(struct ui *ui, int searching, const struct strbuf *words, const char *extra)
{
	struct strbuf line;
	strbuf_init(&line);
	if (searching || words->len)
		strbuf_addf(&line, "%s %s%s  ", _("Find:"), words->buf, searching ? "_" : "");
	strbuf_adds(&line, extra ? extra : "");
	if (line.len && !ui->message[0]) {
		attron(A_BOLD);
		ui_put(stdscr, LINES - 2, 0, line.buf, COLS);
		attroff(A_BOLD);
	}
	strbuf_release(&line);
}

int ui_confirm(struct ui *ui, const char *question)
{
	flushinp(); /* keys typed or pasted before the question do not answer it */
	for (;;) {
		attron(A_BOLD);
		ui_put(stdscr, LINES - 2, 0, question, COLS);
		attroff(A_BOLD);
		refresh();
		wint_t ch;
		int r = ui_read_key(stdscr, &ch);
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) /* the screen behind, at its new size */
			ui_redraw(ui);
		if (r == OK && (ch == 'c' || ch == 'C' || ch == 'y' || ch == 'Y'))
			return 1;
		if (r == OK && (ch == 'k' || ch == 'K' || ch == 'n' || ch == 'N' || ch == 27))
			return 0;
		/* anything else (a paste, a resize) leaves the question open */
	}
}

void ui_next_ime(struct ui *ui)
{
	ui->ime_method = (ui->ime_method + 1) % 3;
	char key[96];
	snprintf(key, sizeof key, "ime:%s", store_user(ui->st));
	store_setting_put(ui->st, key, vn_ime_method_name((enum vn_ime_method)ui->ime_method), NULL);
}

/* The input method this user last chose. */
static void ui_load_ime(struct ui *ui)
{
	char key[96];
	snprintf(key, sizeof key, "ime:%s", store_user(ui->st));
	char *ime = store_setting_get(ui->st, key);
	ui->ime_method = ime && vn_ime_method_parse(ime) >= 0 ? vn_ime_method_parse(ime) : VN_IME_OFF;
	free(ime);
}

int ui_login(struct ui *ui)
{
	if (store_user_count(ui->st) <= 0)
		return 1; /* the office is being set up: no accounts yet */
	char name[128], password[1100];
	const char *why = "";
	for (;;) {
		erase();
		char title[512];
		snprintf(title, sizeof title, " mohinh — %s — %s", ui->office ? ui->office->name : "", _("Log in"));
		attron(ui->colors ? COLOR_PAIR(1) | A_BOLD : A_REVERSE);
		ui_put(stdscr, 0, 0, title, COLS);
		attroff(ui->colors ? COLOR_PAIR(1) | A_BOLD : A_REVERSE);
		ui_put(stdscr, 2, 2, _("Type your user name and password (Esc: quit)."), COLS - 4);
		ui_put(stdscr, 4, 2, why, COLS - 4);
		refresh();
		if (!ui_prompt(ui, _("User name:"), name, sizeof name))
			return 0;
		if (!name[0])
			continue;
		if (!ui_prompt_secret(ui, _("Password:"), password, sizeof password))
			continue;
		struct mh_error err;
		ui_put(stdscr, 4, 2, _("Checking…"), COLS - 4);
		refresh();
		int ok = store_login(ui->st, name, password, &err) == 0;
		memset(password, 0, sizeof password);
		if (ok)
			break;
		snprintf(ui->message, sizeof ui->message, "%.200s", err.msg);
		why = ui->message;
	}
	ui->message[0] = '\0';
	ui->logged_in = 1;
	ui_load_ime(ui);
	ui->data_changed++;
	return 1;
}

int ui_main(const char *db_path, const char *forms_dir)
{
	struct mh_error err;
	struct store *st = store_open(db_path, STORE_WRITE_CHECKED, &err);
	if (!st) {
		fprintf(stderr, "mohinh: %s\n", err.msg);
		return err.code;
	}
	struct ui ui;
	memset(&ui, 0, sizeof ui);
	ui.st = st;
	ui.office = store_office_get(st);
	struct formdef_errors ferrs = {NULL, 0};
	ui.forms = store_forms_load(st, forms_dir, &ferrs);
	if (ferrs.n) {
		for (size_t i = 0; i < ferrs.n; i++)
			fprintf(stderr, "%s\n", ferrs.msgs[i]);
		fprintf(stderr, "mohinh: %s\n", _("the form files have errors: run mohinh check-forms"));
		formdef_errors_release(&ferrs);
		formdef_free(ui.forms);
		store_free(st);
		return MH_EDATA;
	}
	if (store_choice_sync(st, ui.forms, &err) < 0 || store_choice_mark_inactive(st, ui.forms, &err) < 0) {
		fprintf(stderr, "mohinh: %s\n", err.msg);
		formdef_free(ui.forms);
		store_free(st);
		return err.code;
	}
	ui_load_ime(&ui);
	/* Esc alone must answer at once, not after a second */
	setenv("ESCDELAY", "25", 0);
	initscr();
	raw();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);
		init_pair(2, COLOR_BLACK, COLOR_CYAN);
		init_pair(3, COLOR_RED, -1); /* a refused field */
		ui.colors = 1;
	}
	if (ui_login(&ui)) {
		ui_push(&ui, &scr_menu, NULL);
		/* said on the first screen at every start until the disk is encrypted */
		struct store_at_rest rest;
		struct strbuf warn;
		strbuf_init(&warn);
		store_at_rest(st, &rest);
		if (app_at_rest_text(&rest, &warn)) {
			strbuf_truncate(&warn, warn.len - 1);
			ui_message(&ui, "%s", warn.buf);
		}
		strbuf_release(&warn);
		ui_loop(&ui);
	}
	if (ui.body)
		delwin(ui.body);
	endwin();
	formdef_free(ui.forms);
	store_free(st);
	return MH_OK;
}
