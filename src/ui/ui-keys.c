/* Keys are data: one table of default bindings with their labels, from which
 * the key bar and the help screen are drawn. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui-internal.h"
#include "xalloc.h"

static const struct ui_binding ui_keys_bindings[] = {
    {KEY_F(1), 1, UI_ACT_HELP, "F1", N_("Help")},
    {'\n', 0, UI_ACT_OPEN, "Enter", N_("Open")},
    {KEY_ENTER, 1, UI_ACT_OPEN, "Enter", N_("Open")},
    {'\r', 0, UI_ACT_OPEN, "Enter", N_("Open")},
    {27, 0, UI_ACT_BACK, "Esc", N_("Back")},
    {KEY_F(10), 1, UI_ACT_QUIT, "F10", N_("Quit")},
    {'q', 0, UI_ACT_QUIT, "q", N_("Quit")},
    {KEY_UP, 1, UI_ACT_UP, "↑", N_("Up")},
    {'k', 0, UI_ACT_UP, "k", N_("Up")},
    {KEY_DOWN, 1, UI_ACT_DOWN, "↓", N_("Down")},
    {'j', 0, UI_ACT_DOWN, "j", N_("Down")},
    {KEY_PPAGE, 1, UI_ACT_PGUP, "PgUp", N_("Page up")},
    {KEY_NPAGE, 1, UI_ACT_PGDN, "PgDn", N_("Page down")},
    {KEY_HOME, 1, UI_ACT_HOME, "Home", N_("First")},
    {KEY_END, 1, UI_ACT_END, "End", N_("Last")},
    {KEY_F(2), 1, UI_ACT_SAVE, "F2", N_("Save")},
    {0x13, 0, UI_ACT_SAVE, "Ctrl-S", N_("Save")},
    {KEY_F(9), 1, UI_ACT_IME, "F9", N_("Typing")},
    {'\t', 0, UI_ACT_NEXT, "Tab", N_("Next field")},
    {KEY_BTAB, 1, UI_ACT_PREV, "Shift-Tab", N_("Previous field")},
    {KEY_IC, 1, UI_ACT_NEW, "Insert", N_("New")},
    {'n', 0, UI_ACT_NEW, "n", N_("New")},
    {KEY_F(4), 1, UI_ACT_EDIT, "F4", N_("Edit")},
    {'e', 0, UI_ACT_EDIT, "e", N_("Edit")},
    {'/', 0, UI_ACT_SEARCH, "/", N_("Search")},
    {'r', 0, UI_ACT_REPLICATE, "r", N_("Replicate")},
    {'d', 0, UI_ACT_EVALUATE, "d", N_("Evaluate")},
    {'u', 0, UI_ACT_FILTER_UNIT, "u", N_("Unit")},
    {'l', 0, UI_ACT_FILTER_FIELD, "l", N_("Field")},
    {'y', 0, UI_ACT_FILTER_YEAR, "y", N_("Year")},
    {'s', 0, UI_ACT_FILTER_STATE, "s", N_("State")},
    {'o', 0, UI_ACT_SORT, "o", N_("Sort")},
    {'x', 0, UI_ACT_CLEAR, "x", N_("No filter")},
    {'h', 0, UI_ACT_DUE, "h", N_("Due")},
    {'p', 0, UI_ACT_PERIOD, "p", N_("Period")},
    {'v', 0, UI_ACT_HISTORY, "v", N_("History")},
    {'g', 0, UI_ACT_SUBMIT, "g", N_("Submit")},
};

#define UI_KEYS_N (sizeof ui_keys_bindings / sizeof *ui_keys_bindings)

/* The first binding that fits (a key, or an action when by_act), the
 * screen's own first. */
static const struct ui_binding *ui_keys_find(const struct ui_screen *s, int by_act, enum ui_action act, int is_key,
                                             wint_t ch)
{
	for (const struct ui_binding *b = s ? s->bindings : NULL; b && b->act != UI_ACT_NONE; b++)
		if (by_act ? b->act == act : b->is_key == is_key && (wint_t)b->code == ch)
			return b;
	for (size_t i = 0; i < UI_KEYS_N; i++) {
		const struct ui_binding *b = &ui_keys_bindings[i];
		if (by_act ? b->act == act : b->is_key == is_key && (wint_t)b->code == ch)
			return b;
	}
	return NULL;
}

enum ui_action ui_keys_action(const struct ui_screen *s, int is_key_code, wint_t ch)
{
	const struct ui_binding *b = ui_keys_find(s, 0, UI_ACT_NONE, is_key_code, ch);
	return b ? b->act : UI_ACT_NONE;
}

const char *ui_keys_label(const struct ui_screen *s, enum ui_action act)
{
	const struct ui_binding *b = ui_keys_find(s, 1, act, 0, 0);
	return b ? b->key_label : "";
}

const char *ui_keys_action_label(const struct ui_screen *s, enum ui_action act)
{
	const struct ui_binding *b = ui_keys_find(s, 1, act, 0, 0);
	return b ? _(b->label) : "";
}

void ui_keys_hint(const struct ui_screen *s, const enum ui_action *acts, struct strbuf *out)
{
	for (; *acts != UI_ACT_NONE; acts++)
		strbuf_addf(out, "%s%s %s", out->len ? "   " : "", ui_keys_label(s, *acts),
		            ui_keys_action_label(s, *acts));
}

static int ui_keys_of_screen(const struct ui_screen *screen, enum ui_action act)
{
	if (act == UI_ACT_HELP || act == UI_ACT_QUIT || act == UI_ACT_BACK)
		return 1;
	for (const enum ui_action *a = screen->keys ? screen->keys : screen->bar; *a != UI_ACT_NONE; a++)
		if (*a == act)
			return 1;
	return 0;
}

void ui_keys_help(struct ui *ui, const struct ui_screen *screen)
{
	(void)ui;
	/* every key of the screen, its own first, in two columns when one does not fit */
	size_t own = 0;
	while (screen->bindings && screen->bindings[own].act != UI_ACT_NONE)
		own++;
	const struct ui_binding **shown = xalloc_calloc(own + UI_KEYS_N + 1, sizeof *shown);
	int n = 0;
	for (size_t i = 0; i < own; i++)
		shown[n++] = &screen->bindings[i];
	for (size_t i = 0; i < UI_KEYS_N; i++) {
		const struct ui_binding *b = &ui_keys_bindings[i];
		if (!ui_keys_of_screen(screen, b->act) ||
		    ui_keys_find(screen, 0, UI_ACT_NONE, b->is_key, (wint_t)b->code) != b)
			continue; /* not a key of this screen, or the screen's own binding of it wins */
		if (i > 0 && ui_keys_bindings[i - 1].act == b->act &&
		    strcmp(ui_keys_bindings[i - 1].key_label, b->key_label) == 0)
			continue;
		shown[n++] = b;
	}
	int rows_max = LINES - 6 > 4 ? LINES - 6 : 4;
	int cols = n > rows_max ? 2 : 1;
	int rows = (n + cols - 1) / cols;
	int cw = 36, w = cols * cw + 3, h = rows + 4;
	if (w > COLS)
		w = COLS;
	WINDOW *win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	box(win, 0, 0);
	ui_put(win, 0, 2, _(" Keys "), 30);
	for (int k = 0; k < n; k++) {
		const struct ui_binding *b = shown[k];
		int x = 2 + (k / rows) * cw, y = 1 + k % rows;
		ui_put(win, y, x, b->key_label, 10);
		ui_put(win, y, x + 11, _(b->label), cw - 12);
	}
	ui_put(win, h - 2, 2, _("Press any key"), w - 4);
	wrefresh(win);
	wint_t ch;
	ui_read_key(win, &ch);
	delwin(win);
	free(shown);
}
