/* The frame shared by the screens: a stack of screens on one loop, keys as
 * data, the title and function-key bars. Only src/ui includes curses. */
#ifndef MOHINH_UI_INTERNAL_H
#define MOHINH_UI_INTERNAL_H
#include <curses.h>

#include "formdef.h"
#include "store.h"
#include "strbuf.h"

#define UI_MIN_COLS  80
#define UI_MIN_LINES 24

enum ui_action {
	UI_ACT_NONE,
	UI_ACT_UP,
	UI_ACT_DOWN,
	UI_ACT_PGUP,
	UI_ACT_PGDN,
	UI_ACT_HOME,
	UI_ACT_END,
	UI_ACT_OPEN,
	UI_ACT_BACK,
	UI_ACT_HELP,
	UI_ACT_QUIT,
	UI_ACT_SAVE,
	UI_ACT_IME,
	UI_ACT_NEXT,
	UI_ACT_PREV,
	UI_ACT_NEW,
	UI_ACT_EDIT,
	UI_ACT_SEARCH,
	UI_ACT_REPLICATE,
	UI_ACT_EVALUATE,
	UI_ACT_FILTER_UNIT,
	UI_ACT_FILTER_FIELD,
	UI_ACT_FILTER_YEAR,
	UI_ACT_FILTER_STATE,
	UI_ACT_SORT,
	UI_ACT_CLEAR,
	UI_ACT_DUE,
	UI_ACT_PERIOD,
	UI_ACT_HISTORY,
	UI_ACT_SUBMIT,
	/* review */
	UI_ACT_APPROVE,
	UI_ACT_RETURN,
	UI_ACT_NEXT_ITEM,
	UI_ACT_PREV_ITEM,
	UI_ACT_DIFF,
	/* sync */
	UI_ACT_EXPORT,
	UI_ACT_IMPORT,
	UI_ACT_CONFLICTS,
	UI_ACT_KEEP_OURS,
	UI_ACT_TAKE_THEIRS,
	UI_ACT_TAKE_FIELDS,
	UI_ACT_STATUS,
};

/* A key and what it does, with the labels of the key bar and of F1. */
struct ui_binding {
	int code;   /* a curses key code, or a character */
	int is_key; /* code is a KEY_* value */
	enum ui_action act;
	const char *key_label;
	const char *label; /* message id */
};

/* What an action handler asks the loop to do. */
enum ui_result {
	UI_HANDLED = 1,
	UI_REDRAW = 2,
	UI_POP = 4,
	UI_QUIT = 8,
};

struct ui;

struct ui_screen {
	const char *title; /* message id */
	void *(*enter)(struct ui *ui, void *arg);
	void (*draw)(struct ui *ui, void *state, WINDOW *win);
	int (*action)(struct ui *ui, void *state, enum ui_action act);
	void (*leave)(struct ui *ui, void *state);
	/* lets go of windows made inside the body (before it is remade); may be NULL */
	void (*detach)(struct ui *ui, void *state);
	const enum ui_action *bar;  /* actions shown in the key bar, ending with UI_ACT_NONE */
	const enum ui_action *keys; /* every action of the screen, for F1 (NULL: the bar's) */
	/* the screen's own keys, looked at before the common ones (a letter may
	 * mean something else here); they are all listed by F1. May be NULL;
	 * else it ends with UI_ACT_NONE */
	const struct ui_binding *bindings;
	/* sees every key first (a screen that takes typing); returns 0 to let
	 * the key table map it to an action; may be NULL */
	int (*key)(struct ui *ui, void *state, int is_key_code, wint_t ch);
};

#define UI_STACK_MAX 8

struct ui {
	struct store *st;
	const struct store_office *office;
	int depth;
	const struct ui_screen *screen[UI_STACK_MAX];
	void *state[UI_STACK_MAX];
	WINDOW *body;       /* between the title line and the key bar */
	char message[2048]; /* shown once above the key bar, wrapped */
	int colors;
	int ime_method; /* enum vn_ime_method, remembered per user */
	int logged_in;
	unsigned data_changed; /* raised by every save: lists refill */
	struct formdef_set *forms;
};

void ui_push(struct ui *ui, const struct ui_screen *screen, void *arg);
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes UTF-8 text padded, or cut between two letters and ended with "…",
 * to exactly ncols columns. */
void ui_put(WINDOW *win, int y, int x, const char *text, int ncols);
/* The key label and action label of the first binding of act on a screen
 * (its own bindings first, then the common ones). */
const char *ui_keys_label(const struct ui_screen *s, enum ui_action act);
const char *ui_keys_action_label(const struct ui_screen *s, enum ui_action act);
enum ui_action ui_keys_action(const struct ui_screen *s, int is_key_code, wint_t ch);
/* "key label  key label ..." for the actions acts (ending with UI_ACT_NONE). */
void ui_keys_hint(const struct ui_screen *s, const enum ui_action *acts, struct strbuf *out);
/* Draws a help box listing the keys of a screen, waits for a key. */
void ui_keys_help(struct ui *ui, const struct ui_screen *screen);

/* The search line of a list: while *searching, typed keys change the words
 * (Enter keeps them, Esc drops them). Returns 0 if the key is not the
 * search's, 1 if it was taken, 2 if the words changed (read the list again). */
struct strbuf;
int ui_search_key(int *searching, struct strbuf *words, int is_key_code, wint_t ch);
/* Shows the search line (and more, in extra) above the key bar. */
void ui_search_show(struct ui *ui, int searching, const struct strbuf *words, const char *extra);

/* Reads one key from win: a curses key code (returns KEY_CODE_YES) or a
 * character (OK), decoding UTF-8 itself so that a byte that is not UTF-8
 * never swallows the keys after it (it is dropped: returns ERR). */
int ui_read_key(WINDOW *win, wint_t *ch);

/* Draws text from its line `top` on, long lines wrapped at the width. */
void ui_text_draw(WINDOW *win, const char *text, int top);
/* Moves top for the arrows, pages and Home; UI_HANDLED if it did. */
int ui_text_scroll(int *top, enum ui_action act);
/* A text to read, scrolled (history, differences): ui_push(ui, &scr_text, &arg). */
struct scr_text_arg {
	const char *title;
	const char *text;
};
/* The history of a record in a text view. */
void ui_history_show(struct ui *ui, const char *id, const char *title);

struct ui_vlist;
/* Moves a list for the arrows, pages, Home and End; UI_HANDLED if it did. */
int ui_list_move(struct ui_vlist *list, enum ui_action act);

/* Asks for a user name and password until they are right (when the
 * database has accounts); 0 if Esc. */
int ui_login(struct ui *ui);
/* Asks a yes/no question in the message line; 1 for yes. */
int ui_confirm(struct ui *ui, const char *question);
/* The screens at the terminal's size now: a dialog's loop calls it on a
 * resize, so that what lies behind the dialog is drawn again from its model. */
void ui_redraw(struct ui *ui);
/* The terminal is smaller than the screens need (they say so instead). */
int ui_too_small(void);
/* text at (y, x) wrapped at words to ncols columns, on at most maxrows rows:
 * the rows written (win NULL: the rows it would take, nothing drawn) */
int ui_put_wrapped(WINDOW *win, int y, int x, const char *text, int ncols, int maxrows);
/* A unit picked from every version, its history shown (scr-units.c); 1. */
int ui_units_history(struct ui *ui);
/* The points of divided communes without a successor: one picked, then its
 * new commune (scr-units.c); 1. */
int ui_units_unresolved(struct ui *ui);
/* Cycles the input method off -> Telex -> VNI and remembers it. */
void ui_next_ime(struct ui *ui);

extern const struct ui_screen scr_menu;
extern const struct ui_screen scr_models;
extern const struct ui_screen scr_edit;
extern const struct ui_screen scr_model;
extern const struct ui_screen scr_points;
extern const struct ui_screen scr_due;
extern const struct ui_screen scr_report;
extern const struct ui_screen scr_import;
extern const struct ui_screen scr_review;
extern const struct ui_screen scr_sync;
extern const struct ui_screen scr_text;
extern const struct ui_screen scr_evals;

#endif
