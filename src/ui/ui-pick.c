#include "ui-pick.h"

#include <dirent.h>
#include <menu.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "formdef.h"
#include "i18n.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "unit-text.h"
#include "utf8.h"
#include "vn-ime.h"
#include "vn.h"
#include "xalloc.h"
#include "store-unit.h"

#define UI_PICK_MAX 200

static void ui_pick_items_release(struct ui_pick_item *items, int n)
{
	for (int i = 0; i < n; i++) {
		free(items[i].label);
		free(items[i].detail);
		free(items[i].value);
	}
}

struct ui_pick_level {
	char *parent;
	char *label;
};

static int ui_pick_marked(const struct strbuf *marks, const char *value)
{
	char key[256];
	snprintf(key, sizeof key, ",%s,", value);
	return strstr(marks->buf, key) != NULL;
}

static void ui_pick_toggle(struct strbuf *marks, const char *value)
{
	char key[256];
	snprintf(key, sizeof key, ",%s,", value);
	char *at = strstr(marks->buf, key);
	if (at)
		strbuf_splice(marks, (size_t)(at - marks->buf), strlen(key) - 1, "");
	else
		strbuf_adds(marks, key + 1);
}

char *ui_pick(struct ui *ui, const char *title, const struct ui_pick_source *src, const char *typed)
{
	struct strbuf filter;
	strbuf_init(&filter);
	strbuf_adds(&filter, typed ? typed : "");
	struct ui_pick_level path[8];
	int depth = 0;
	struct ui_pick_item items[UI_PICK_MAX];
	int n = 0, current = 0, reload = 1;
	char *chosen = NULL;
	int done = 0;
	while (!done) {
		if (ui_too_small()) { /* the screen says so; the list comes back with the room for it */
			ui_redraw(ui);
			wint_t ch;
			int r = ui_read_key(stdscr, &ch);
			if (r == OK && ch == 27)
				done = 1;
			else if (r == KEY_CODE_YES && ch == KEY_RESIZE)
				ui_redraw(ui);
			continue;
		}
		int h = LINES - 6 < 22 ? LINES - 6 : 22, w = COLS - 10 < 76 ? COLS - 10 : 76;
		if (h < 6 || w < 30)
			h = 6, w = 30;
		if (reload) {
			ui_pick_items_release(items, n);
			struct strbuf fold;
			strbuf_init(&fold);
			vn_fold(filter.buf, filter.len, &fold);
			n = src->fetch(src->ctx, fold.buf, depth ? path[depth - 1].parent : NULL, items, UI_PICK_MAX);
			strbuf_release(&fold);
			current = 0;
			reload = 0;
		}
		WINDOW *win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
		keypad(win, TRUE);
		box(win, 0, 0);
		char head[256];
		snprintf(head, sizeof head, " %s%s%s ", title, depth ? " — " : "", depth ? path[depth - 1].label : "");
		ui_put(win, 0, 2, head, w - 4);
		char line[512];
		snprintf(line, sizeof line, "%s %s_", _("Find:"), filter.buf);
		ui_put(win, 1, 2, line, w - 4);
		ITEM **mi = xalloc_calloc((size_t)n + 1, sizeof *mi);
		struct strbuf *texts = xalloc_calloc((size_t)n + 1, sizeof *texts);
		for (int i = 0; i < n; i++) {
			strbuf_init(&texts[i]);
			vn_fit(items[i].label, strlen(items[i].label), (size_t)(w - 8), 0, &texts[i]);
			if (items[i].has_children && src->cascade)
				strbuf_adds(&texts[i], " ›");
			if (src->marks)
				strbuf_splice(&texts[i], 0, 0,
				              ui_pick_marked(src->marks, items[i].value) ? "[x] " : "[ ] ");
			mi[i] = new_item(texts[i].buf, items[i].detail ? items[i].detail : "");
		}
		MENU *menu = NULL;
		WINDOW *sub = derwin(win, h - 4, w - 4, 2, 2);
		if (n > 0) {
			menu = new_menu(mi);
			set_menu_win(menu, win);
			set_menu_sub(menu, sub);
			set_menu_format(menu, h - 4, 1);
			set_menu_mark(menu, "> ");
			set_menu_fore(menu, ui->colors ? COLOR_PAIR(2) | A_BOLD : A_REVERSE);
			menu_opts_off(menu, O_SHOWDESC);
			post_menu(menu);
			set_current_item(menu, mi[current < n ? current : 0]);
		} else {
			ui_put(sub, 0, 0, _("Nothing matches."), w - 4);
		}
		ui_put(win, h - 1, 2,
		       src->marks     ? _(" Space/Enter mark  F2 done  Esc cancel ")
		       : src->cascade ? _(" Enter choose  → open  ← back  Esc cancel ")
		                      : _(" Enter choose  Esc cancel "),
		       w - 4);
		wrefresh(win);
		wint_t ch;
		int r = ui_read_key(win, &ch);
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			ui_redraw(ui);
		if (r == KEY_CODE_YES) {
			switch (ch) {
			case KEY_UP: current = current > 0 ? current - 1 : 0; break;
			case KEY_DOWN: current = current + 1 < n ? current + 1 : current; break;
			case KEY_PPAGE: current = current > h - 4 ? current - (h - 4) : 0; break;
			case KEY_NPAGE: current = current + h - 4 < n ? current + h - 4 : (n ? n - 1 : 0); break;
			case KEY_ENTER: goto choose;
			case KEY_F(2):
				if (src->marks) {
					chosen = xalloc_strdup("");
					done = 1;
				}
				break;
			case KEY_RIGHT:
				if (src->cascade && n > 0 && items[current].has_children && depth < 8) {
					path[depth].parent = xalloc_strdup(items[current].value);
					path[depth].label = xalloc_strdup(items[current].label);
					depth++;
					strbuf_reset(&filter);
					reload = 1;
				}
				break;
			case KEY_LEFT:
				if (depth > 0) {
					depth--;
					free(path[depth].parent);
					free(path[depth].label);
					strbuf_reset(&filter);
					reload = 1;
				}
				break;
			case KEY_BACKSPACE:
				if (filter.len) {
					strbuf_truncate(&filter, utf8_last_start(filter.buf, filter.len));
					reload = 1;
				}
				break;
			default: break;
			}
		} else if (r == OK) {
			if (ch == 27) {
				done = 1;
			} else if (src->marks && ch == 0x13) { /* Ctrl-S */
				chosen = xalloc_strdup("");
				done = 1;
			} else if (src->marks && (ch == ' ' || ch == '\n' || ch == '\r')) {
			toggle:
				if (n > 0)
					ui_pick_toggle(src->marks, items[current].value);
			} else if (ch == '\n' || ch == '\r') {
			choose:
				if (src->marks)
					goto toggle;
				if (n > 0) {
					chosen = xalloc_strdup(items[current].value);
					done = 1;
				}
			} else if (ch == 0x7f || ch == 0x08) {
				if (filter.len) {
					strbuf_truncate(&filter, utf8_last_start(filter.buf, filter.len));
					reload = 1;
				}
			} else if (ch >= 0x20 && filter.len < 120) {
				strbuf_addcp(&filter, (uint32_t)ch);
				reload = 1;
			}
		}
		if (menu) {
			unpost_menu(menu);
			free_menu(menu);
		}
		for (int i = 0; i < n; i++) {
			free_item(mi[i]);
			strbuf_release(&texts[i]);
		}
		free(mi);
		free(texts);
		delwin(sub);
		delwin(win);
		touchwin(stdscr);
		refresh();
	}
	while (depth > 0) {
		depth--;
		free(path[depth].parent);
		free(path[depth].label);
	}
	ui_pick_items_release(items, n);
	strbuf_release(&filter);
	return chosen;
}

static int ui_pick_words(const char *label, const char *filter)
{
	struct strbuf fold;
	strbuf_init(&fold);
	vn_fold(label, strlen(label), &fold);
	int ok = 1;
	char *words = xalloc_strdup(filter), *save = NULL;
	for (char *w = strtok_r(words, " ", &save); w && ok; w = strtok_r(NULL, " ", &save))
		ok = strstr(fold.buf, w) != NULL;
	free(words);
	strbuf_release(&fold);
	return ok;
}

static int ui_pick_fetch_choice(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items, int max)
{
	(void)parent;
	const struct formdef_list *l = ctx;
	int n = 0;
	for (size_t k = 0; l && k < l->n && n < max; k++) {
		if (l->items[k].inactive || !ui_pick_words(l->items[k].label, filter))
			continue;
		items[n].label = xalloc_strdup(l->items[k].label);
		items[n].detail = NULL;
		items[n].value = xalloc_strdup(l->items[k].code);
		items[n].has_children = 0;
		n++;
	}
	return n;
}

char *ui_pick_choice(struct ui *ui, const struct formdef_list *list, const char *title, const char *typed)
{
	struct ui_pick_source src = {ui_pick_fetch_choice, (void *)list, 0, NULL};
	return ui_pick(ui, title, &src, typed);
}

char *ui_pick_choices(struct ui *ui, const struct formdef_list *list, const char *title, const char *codes)
{
	struct strbuf marks;
	strbuf_init(&marks);
	strbuf_addf(&marks, ",%s%s", codes ? codes : "", codes && *codes ? "," : "");
	struct ui_pick_source src = {ui_pick_fetch_choice, (void *)list, 0, &marks};
	char *done = ui_pick(ui, title, &src, NULL);
	if (done) {
		/* in the list's order */
		struct strbuf out;
		strbuf_init(&out);
		for (size_t k = 0; list && k < list->n; k++)
			if (ui_pick_marked(&marks, list->items[k].code))
				strbuf_addf(&out, "%s%s", out.len ? "," : "", list->items[k].code);
		free(done);
		done = strbuf_detach(&out, NULL);
	}
	strbuf_release(&marks);
	return done;
}

struct ui_pick_units {
	struct ui_pick_item *items;
	int n, max;
};

/* What the unit picker offers: the units of this office's area in force on
 * a day (every version when on is NULL). */
struct ui_pick_unit_ctx {
	struct ui *ui;
	const char *on;
};

static int ui_pick_unit_row(const struct store_unit *u, void *ud)
{
	struct ui_pick_units *r = ud;
	if (r->n == r->max)
		return 1;
	struct ui_pick_item *it = &r->items[r->n++];
	struct strbuf name;
	strbuf_init(&name);
	unit_text_name(u->name, u->former, &name);
	if (u->parent_name[0])
		strbuf_addf(&name, " — %s", u->parent_name);
	it->label = strbuf_detach(&name, NULL);
	it->detail = NULL;
	it->value = xalloc_strdup(u->code);
	it->has_children = u->level < 3;
	return 0;
}

static int ui_pick_fetch_unit(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items, int max)
{
	struct ui_pick_unit_ctx *c = ctx;
	struct ui *ui = c->ui;
	struct ui_pick_units r = {items, 0, max};
	const char *area = ui->office->unit_code;
	/* typed words search the whole area; otherwise one level of the tree */
	struct store_unit_filter f = {.query = filter,
	                              .within = area,
	                              .parent = *filter  ? NULL
	                                        : parent ? parent
	                                                 : area,
	                              .on = c->on,
	                              .limit = max};
	if (!*filter && !parent) {
		struct store_unit self;
		if (store_unit_get(ui->st, area, &self, NULL) == 0)
			ui_pick_unit_row(&self, &r);
	}
	store_unit_list(ui->st, &f, ui_pick_unit_row, &r, NULL);
	return r.n;
}

char *ui_pick_unit(struct ui *ui, const char *title, const char *typed, const char *on)
{
	char today[11];
	struct store_unit self;
	if (on && !on[0]) {
		/* today; for an office of the past (re-entering old data), the last day of its unit */
		store_today(today);
		on = today;
		if (store_unit_get(ui->st, ui->office->unit_code, &self, NULL) == 0 && self.valid_to[0] &&
		    strcmp(self.valid_to, today) < 0)
			on = self.valid_to;
	}
	struct ui_pick_unit_ctx c = {ui, on};
	struct ui_pick_source src = {ui_pick_fetch_unit, &c, 1, NULL};
	return ui_pick(ui, title, &src, typed);
}

/* Deletes n characters at the end of sb. */
static void ui_prompt_delete(struct strbuf *sb, size_t n)
{
	while (n-- > 0 && sb->len > 0)
		strbuf_truncate(sb, utf8_last_start(sb->buf, sb->len));
}

static int ui_prompt_read(struct ui *ui, const char *question, char *buf, size_t cap, int secret)
{
	struct strbuf sb;
	strbuf_init(&sb);
	struct vn_ime ime;
	vn_ime_init(&ime, secret ? VN_IME_OFF : (enum vn_ime_method)ui->ime_method, 0);
	int ok = -1;
	while (ok < 0) {
		struct strbuf line;
		strbuf_init(&line);
		strbuf_addf(&line, "%s ", question);
		if (secret)
			for (size_t i = utf8_nchars(sb.buf, sb.len); i > 0; i--)
				strbuf_addc(&line, '*');
		else
			strbuf_add(&line, sb.buf, sb.len);
		strbuf_addc(&line, '_');
		attron(A_BOLD);
		ui_put(stdscr, LINES - 2, 0, line.buf, COLS);
		attroff(A_BOLD);
		strbuf_release(&line);
		refresh();
		wint_t ch;
		int r = ui_read_key(stdscr, &ch);
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			ui_redraw(ui);
		struct vn_ime_edit ed = {0, ""};
		if (r == OK && ch == 27) {
			ok = 0;
		} else if (r == OK && (ch == '\n' || ch == '\r')) {
			ok = 1;
		} else if ((r == KEY_CODE_YES && ch == KEY_BACKSPACE) || (r == OK && (ch == 0x7f || ch == 0x08))) {
			vn_ime_key(&ime, VN_IME_BACKSPACE, &ed);
		} else if (r == KEY_CODE_YES && ch == KEY_F(9) && !secret) {
			ui_next_ime(ui);
			vn_ime_init(&ime, (enum vn_ime_method)ui->ime_method, 0);
			vn_ime_set_context(&ime, sb.buf, sb.len);
		} else if (r == OK && ch >= 0x20 && sb.len + 8 < cap) {
			vn_ime_key(&ime, (uint32_t)ch, &ed);
		}
		ui_prompt_delete(&sb, ed.del);
		if (sb.len + strlen(ed.ins) < cap)
			strbuf_adds(&sb, ed.ins);
	}
	snprintf(buf, cap, "%s", ok ? sb.buf : "");
	strbuf_release(&sb);
	return ok;
}

struct ui_pick_names {
	const char *const *names;
	size_t n;
};

static int ui_pick_fetch_name(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items, int max)
{
	(void)parent;
	const struct ui_pick_names *p = ctx;
	int n = 0;
	for (size_t i = 0; i < p->n && n < max; i++) {
		if (!ui_pick_words(p->names[i], filter))
			continue;
		items[n].label = xalloc_strdup(p->names[i]);
		items[n].detail = NULL;
		items[n].value = xalloc_printf("%zu", i);
		items[n++].has_children = 0;
	}
	return n;
}

int ui_pick_name(struct ui *ui, const char *title, const char *const *names, size_t n)
{
	struct ui_pick_names p = {names, n};
	struct ui_pick_source src = {ui_pick_fetch_name, &p, 0, NULL};
	char *v = ui_pick(ui, title, &src, NULL);
	int k = v ? atoi(v) : -1;
	free(v);
	return k;
}

/* --- files and folders -------------------------------------------------------- */

struct ui_pick_files {
	const char *suffixes; /* ".csv", ".mhb .receipt"; NULL: folders */
};

static int ui_pick_suffix(const char *name, const char *suffixes)
{
	size_t len = strlen(name);
	char *copy = xalloc_strdup(suffixes), *save = NULL;
	int ok = 0;
	for (char *sfx = strtok_r(copy, " ", &save); sfx && !ok; sfx = strtok_r(NULL, " ", &save))
		ok = len > strlen(sfx) && strcasecmp(name + len - strlen(sfx), sfx) == 0;
	free(copy);
	return ok;
}

static void ui_pick_add(struct ui_pick_item *items, int *n, const char *label, const char *value)
{
	items[*n].label = xalloc_strdup(label);
	items[*n].detail = NULL;
	items[*n].value = xalloc_strdup(value);
	items[*n].has_children = 0;
	(*n)++;
}

/* Files with a suffix (or folders) below dir, down to depth levels. */
static void ui_pick_find(const char *dir, int depth, const struct ui_pick_files *want, struct ui_pick_item *items,
                         int *n, int max, const char *filter)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && *n < max) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xalloc_printf("%s/%s", dir, e->d_name);
		struct stat sb;
		int is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
		int take = want->suffixes ? !is_dir && S_ISREG(sb.st_mode) && ui_pick_suffix(e->d_name, want->suffixes)
		                          : is_dir;
		if (take && ui_pick_words(path, filter))
			ui_pick_add(items, n, path, path);
		if (is_dir && depth > 0)
			ui_pick_find(path, depth - 1, want, items, n, max, filter);
		free(path);
	}
	closedir(d);
}

static int ui_pick_fetch_files(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items, int max)
{
	(void)parent;
	const struct ui_pick_files *want = ctx;
	int n = 0;
	ui_pick_add(items, &n, _("Type a path…"), "");
	const char *home = getenv("HOME");
	/* USB sticks first: they are mounted under /media or /run/media */
	ui_pick_find("/media", want->suffixes ? 3 : 1, want, items, &n, max, filter);
	ui_pick_find("/run/media", want->suffixes ? 3 : 1, want, items, &n, max, filter);
	if (home && !want->suffixes && n < max && ui_pick_words(home, filter))
		ui_pick_add(items, &n, home, home);
	if (home && want->suffixes)
		ui_pick_find(home, 2, want, items, &n, max, filter);
	return n;
}

char *ui_pick_file(struct ui *ui, const char *title, const char *suffixes, int folder)
{
	struct ui_pick_files want = {folder ? NULL : suffixes};
	struct ui_pick_source src = {ui_pick_fetch_files, &want, 0, NULL};
	char *path = ui_pick(ui, title, &src, NULL);
	if (path && !*path) {
		free(path);
		char typed[512];
		path = ui_prompt(ui, folder ? _("Path of the folder:") : _("Path of the file:"), typed, sizeof typed) &&
		               typed[0]
		           ? xalloc_strdup(typed)
		           : NULL;
	}
	return path;
}

int ui_prompt(struct ui *ui, const char *question, char *buf, size_t cap)
{
	return ui_prompt_read(ui, question, buf, cap, 0);
}

int ui_prompt_secret(struct ui *ui, const char *question, char *buf, size_t cap)
{
	return ui_prompt_read(ui, question, buf, cap, 1);
}
