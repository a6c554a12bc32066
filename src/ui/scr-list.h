/* One list screen for every paged list (models, points, evaluations): what
 * differs is its source; the search line, the refill after a change, the
 * moves and the empty list are written once in scr-list.c. */
#ifndef MOHINH_SCR_LIST_H
#define MOHINH_SCR_LIST_H
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-vlist.h"

struct scr_list;

struct scr_list_source {
	/* the rows; their functions get the struct scr_list as ctx */
	struct ui_vlist_source rows;
	/* the source's own state (its filters) into l->ctx; may be NULL */
	void (*enter)(struct scr_list *l, void *arg);
	void (*leave)(struct scr_list *l);
	/* the words typed in the search line changed (l->search) */
	void (*searched)(struct scr_list *l);
	/* what an empty list says */
	const char *(*empty)(const struct scr_list *l);
	/* what the list is limited to, said beside the search line; may be NULL */
	void (*status)(const struct scr_list *l, struct strbuf *line);
	/* the actions beyond moving and searching (Enter and the others) */
	int (*action)(struct ui *ui, struct scr_list *l, enum ui_action act);
};

struct scr_list {
	struct ui *ui;
	const struct scr_list_source *src;
	void *ctx; /* the source's */
	unsigned seen;
	int searching;
	struct strbuf search; /* the words typed */
	struct ui_vlist list;
};

/* The ui_screen functions of a list screen; enter takes its source. */
void *scr_list_enter(struct ui *ui, const struct scr_list_source *src, void *arg);
void scr_list_leave(struct ui *ui, void *state);
void scr_list_draw(struct ui *ui, void *state, WINDOW *win);
int scr_list_action(struct ui *ui, void *state, enum ui_action act);
int scr_list_key(struct ui *ui, void *state, int is_key, wint_t ch);

#endif
