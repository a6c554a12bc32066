/* The main menu (libmenuw). */
#include <menu.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scr-edit.h"
#include "ui-internal.h"

struct scr_menu_entry {
	const char *label; /* message id */
	const struct ui_screen *screen;
	int quit;
	void *arg;
	int (*run)(struct ui *ui); /* an action rather than a screen */
};

/* "Danh mục" opens the form of a unit no longer in the GSO list. */
static const struct scr_edit_arg scr_menu_unit_form = {.form = "unit", .draft_key = "new"};

static const struct scr_menu_entry scr_menu_entries[] = {
    {.label = N_("Models"), .screen = &scr_models},
    {.label = N_("Model points"), .screen = &scr_points},
    {.label = N_("Evaluations"), .screen = &scr_evals},
    {.label = N_("Review"), .screen = &scr_review},
    {.label = N_("Reports"), .screen = &scr_report},
    {.label = N_("Import from a spreadsheet"), .screen = &scr_import},
    {.label = N_("Sync"), .screen = &scr_sync},
    {.label = N_("Administrative units"), .run = ui_units_history},
    {.label = N_("Points of divided communes"), .run = ui_units_unresolved},
    {.label = N_("Reference lists"), .screen = &scr_edit, .arg = (void *)&scr_menu_unit_form},
    {.label = N_("Switch user"), .run = ui_login},
    {.label = N_("Quit"), .quit = 1},
};

#define SCR_MENU_N (sizeof scr_menu_entries / sizeof *scr_menu_entries)

struct scr_menu {
	int current;
	ITEM *items[SCR_MENU_N + 1];
	MENU *menu;
	WINDOW *sub;
};

static void *scr_menu_enter(struct ui *ui, void *arg)
{
	(void)ui;
	(void)arg;
	return calloc(1, sizeof(struct scr_menu));
}

static void scr_menu_detach(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_menu *m = state;
	if (!m->menu)
		return;
	unpost_menu(m->menu);
	free_menu(m->menu);
	for (size_t i = 0; i < SCR_MENU_N; i++)
		free_item(m->items[i]);
	delwin(m->sub);
	m->menu = NULL;
}

static void scr_menu_leave(struct ui *ui, void *state)
{
	scr_menu_detach(ui, state);
	free(state);
}

static void scr_menu_draw(struct ui *ui, void *state, WINDOW *win)
{
	struct scr_menu *m = state;
	int h = (int)SCR_MENU_N, w = 36;
	int top = (getmaxy(win) - h) / 2, left = (getmaxx(win) - w) / 2;
	if (!m->menu) {
		for (size_t i = 0; i < SCR_MENU_N; i++)
			m->items[i] = new_item(_(scr_menu_entries[i].label), "");
		m->items[SCR_MENU_N] = NULL;
		m->menu = new_menu(m->items);
		m->sub = derwin(win, h, w, top, left);
		set_menu_win(m->menu, win);
		set_menu_sub(m->menu, m->sub);
		set_menu_mark(m->menu, "> ");
		set_menu_fore(m->menu, ui->colors ? COLOR_PAIR(2) | A_BOLD : A_REVERSE);
	} else {
		unpost_menu(m->menu);
	}
	ui_put(win, top - 2, left, _("Community security models"), w);
	post_menu(m->menu);
	set_current_item(m->menu, m->items[m->current]);
}

static int scr_menu_action(struct ui *ui, void *state, enum ui_action act)
{
	struct scr_menu *m = state;
	int n = (int)SCR_MENU_N;
	switch (act) {
	case UI_ACT_UP: m->current = (m->current + n - 1) % n; return UI_HANDLED;
	case UI_ACT_DOWN: m->current = (m->current + 1) % n; return UI_HANDLED;
	case UI_ACT_HOME: m->current = 0; return UI_HANDLED;
	case UI_ACT_END: m->current = n - 1; return UI_HANDLED;
	case UI_ACT_BACK: return UI_HANDLED; /* the main menu stays */
	case UI_ACT_OPEN: {
		const struct scr_menu_entry *e = &scr_menu_entries[m->current];
		if (e->quit)
			return UI_HANDLED | UI_QUIT;
		if (e->run)
			return e->run(ui) ? UI_HANDLED | UI_REDRAW : UI_HANDLED | UI_QUIT;
		ui_push(ui, e->screen, e->arg);
		return UI_HANDLED;
	}
	default: return 0;
	}
}

static const enum ui_action scr_menu_bar[] = {UI_ACT_UP, UI_ACT_DOWN, UI_ACT_OPEN, UI_ACT_NONE};

const struct ui_screen scr_menu = {
    .title = N_("Main menu"),
    .enter = scr_menu_enter,
    .draw = scr_menu_draw,
    .action = scr_menu_action,
    .leave = scr_menu_leave,
    .detach = scr_menu_detach,
    .bar = scr_menu_bar,
};
