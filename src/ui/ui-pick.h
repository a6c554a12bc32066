/* A list to choose from in a box over the screen (libmenuw), filtered as the
 * officer types (accent- and case-free). */
#ifndef MOHINH_UI_PICK_H
#define MOHINH_UI_PICK_H
#include <stddef.h>

struct ui;
struct strbuf;

struct ui_pick_item {
	char *label;  /* shown */
	char *detail; /* shown after the label, dimmer; may be NULL */
	char *value;  /* what choosing it gives */
	int has_children;
};

struct ui_pick_source {
	/* Fills items for the filter (folded text) at the level `parent` (NULL:
	 * the top); returns the count (at most max). */
	int (*fetch)(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items, int max);
	void *ctx;
	int cascade; /* → opens an item's children, ← goes back up */
	/* Several choices: Space or Enter marks or unmarks an item, F2 ends.
	 * The marked values are kept here as ",a,b," (NULL: one choice). */
	struct strbuf *marks;
};

/* Runs the box until Enter (returns the chosen value, a new string; with
 * marks, F2 returns "") or Esc (NULL). `typed` is the first key's text, already in the filter. */
char *ui_pick(struct ui *ui, const char *title, const struct ui_pick_source *src, const char *typed);

struct formdef_list;
/* A code of a choice list, or NULL. */
char *ui_pick_choice(struct ui *ui, const struct formdef_list *list, const char *title, const char *typed);
/* Several codes of a choice list: `codes` ("a,b" or NULL) are marked at
 * the start; returns the codes marked at the end, in list order ("" for
 * none), or NULL if Esc. */
char *ui_pick_choices(struct ui *ui, const struct formdef_list *list, const char *title, const char *codes);
/* A unit of this office's area (the office's own unit first), or NULL: those
 * in force on the day `on` ("" for today, or the last day of the office's
 * unit if it ended; NULL: every version), found by their names or by those
 * of the units they took in. */
char *ui_pick_unit(struct ui *ui, const char *title, const char *typed, const char *on);
/* One of n names (a workbook's sheets, kinds of lists), filtered as typed:
 * its index, or -1 if Esc. */
int ui_pick_name(struct ui *ui, const char *title, const char *const *names, size_t n);
/* A file ending with one of the suffixes (".mhb .receipt"), or a folder:
 * those on USB sticks (/media, /run/media) and in the home folder are
 * offered, or a path is typed; NULL if Esc. */
char *ui_pick_file(struct ui *ui, const char *title, const char *suffixes, int folder);
/* A line typed in the message area (at most cap - 1 bytes), with the input
 * method (F9 switches it); 0 if Esc. */
int ui_prompt(struct ui *ui, const char *question, char *buf, size_t cap);
/* The same shown as stars, without the input method (a password). */
int ui_prompt_secret(struct ui *ui, const char *question, char *buf, size_t cap);

#endif
