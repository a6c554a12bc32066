/* The edit screen's model: what a person typed into a form, held apart from
 * any window. For each field its text (NFC code points), the cursor and the
 * first column shown; pure functions apply a key (the Telex/VNI input method,
 * a combining mark composed with the letter before it, the field's length
 * limit, paste) and lay a field out in a width. A screen draws from it and
 * may be destroyed between any two keys: nothing is lost. */
#ifndef MOHINH_FORMEDIT_H
#define MOHINH_FORMEDIT_H
#include <stddef.h>
#include <stdint.h>

#include "formdef.h"
#include "vn-ime.h"

struct formedit_field {
	uint32_t *cp; /* the text, NFC; a long text's lines end with '\n' */
	size_t len, cap;
	size_t cursor; /* in characters */
	size_t scroll; /* one line: the first character shown; a long text: the first row */
};

struct formedit {
	const struct formdef_form *form;
	struct formedit_field *f; /* one per field of the form */
	size_t cur;               /* the field with the cursor */
	int dirty;                /* typed into since loaded */
	struct vn_ime ime;
	uint32_t last; /* the character just typed, for a combining mark after it */
};

/* What a key did. */
enum {
	FORMEDIT_CHANGED = 1, /* the text changed */
	FORMEDIT_FULL = 2,    /* the field is full: what did not fit was not taken */
	FORMEDIT_OUT = 4,     /* up on the first row or down on the last: the caller moves on */
};

enum formedit_key {
	FORMEDIT_LEFT,
	FORMEDIT_RIGHT,
	FORMEDIT_HOME,
	FORMEDIT_END,
	FORMEDIT_DELETE,
	FORMEDIT_BACKSPACE,
	FORMEDIT_UP, /* a long text: the row above (width: the view's) */
	FORMEDIT_DOWN,
	FORMEDIT_NEWLINE, /* a long text only */
};

void formedit_init(struct formedit *fe, const struct formdef_form *form, enum vn_ime_method method);
void formedit_release(struct formedit *fe);
/* The text of field i as UTF-8 (a new string); and set, NFC, the cursor at its end. */
char *formedit_text(const struct formedit *fe, size_t i);
void formedit_set(struct formedit *fe, size_t i, const char *utf8);
size_t formedit_length(const struct formedit *fe, size_t i);
/* The field whose id is `id` (-1: none), for the form's conditions. */
int formedit_find(const struct formedit *fe, const char *id);
int formedit_visible(const struct formedit *fe, size_t i);
/* 1 if the field's value is picked from a list (a choice, choices, a unit),
 * not typed. */
int formedit_picked(const struct formdef_field *f);
int formedit_required(const struct formedit *fe, size_t i);
/* The cursor to field i (the input method starts a new word); to the next
 * or previous shown field (dir 1 or -1): 0 when there is none that way. */
void formedit_goto(struct formedit *fe, size_t i);
int formedit_step(struct formedit *fe, int dir);
void formedit_set_method(struct formedit *fe, enum vn_ime_method method);

/* Keys to the current field; `width` is the columns a long text is shown in. */
int formedit_key(struct formedit *fe, enum formedit_key key, int width);
int formedit_char(struct formedit *fe, uint32_t cp);
int formedit_paste(struct formedit *fe, const char *utf8);

/* Field i laid out in width columns and at most height rows: the rows (UTF-8,
 * each a new string, freed by formedit_view_release) and where the cursor
 * is. One-line fields scroll sideways to keep the cursor in sight; long texts
 * wrap at words that fit and scroll down. The scroll is kept in the model. */
struct formedit_view {
	char **rows;
	int nrows;
	int cursor_row, cursor_col;
};
void formedit_view(struct formedit *fe, size_t i, int width, int height, struct formedit_view *v);
void formedit_view_release(struct formedit_view *v);

#endif
