/* A text to read: a record's history, what changed since its approval. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "utf8.h"
#include "xalloc.h"
#include "store-user.h"

/* How many bytes of p (len bytes) fill at most cols columns, cut after a
 * space where there is one. */
static size_t ui_text_wrap(const char *p, size_t len, size_t cols)
{
	size_t at = 0, space = 0, n = 0;
	while (at < len) {
		uint32_t cp;
		int l = utf8_decode(p + at, len - at, &cp);
		if (l <= 0)
			l = 1, cp = 0xFFFD;
		int mark = cp >= 0x300 && cp < 0x370;
		if (!mark && n == cols)
			break;
		n += !mark;
		at += (size_t)l;
		if (cp == ' ')
			space = at;
	}
	return at < len && space > 0 ? space : at;
}

void ui_text_draw(WINDOW *win, const char *text, int top)
{
	int h = getmaxy(win), w = getmaxx(win), y = 0, line = 0;
	for (const char *p = text; *p && y < h;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		do {
			size_t used = ui_text_wrap(p, len, (size_t)w - 2);
			char *part = xalloc_strndup(p, used);
			if (line++ >= top && y < h)
				ui_put(win, y++, 1, part, w - 2);
			free(part);
			p += used;
			len -= used;
		} while (len > 0);
		p = end ? end + 1 : p;
	}
}

static int ui_history_row(const struct store_history_row *h, void *ud)
{
	struct strbuf *out = ud;
	if (strcmp(h->action, "state") == 0 && strcmp(h->field, "reason") == 0)
		strbuf_addf(out, "%.10s %.5s  %s  %s: %s\n", h->at, h->at + 11, h->user, _("reason"), h->now);
	else if (strcmp(h->action, "state") == 0)
		strbuf_addf(out, "%.10s %.5s  %s  %s → %s\n", h->at, h->at + 11, h->user, store_state_label(h->old),
		            store_state_label(h->now));
	else
		strbuf_addf(out, "%.10s %.5s  %s  %s: %s → %s\n", h->at, h->at + 11, h->user, h->field,
		            *h->old ? h->old : "∅", *h->now ? h->now : "∅");
	return 0;
}

void ui_history_show(struct ui *ui, const char *id, const char *title)
{
	struct strbuf text;
	strbuf_init(&text);
	strbuf_addf(&text, "%s\n\n", title);
	struct mh_error err;
	if (store_history(ui->st, id, ui_history_row, &text, &err) < 0)
		strbuf_addf(&text, "%s\n", err.msg);
	struct scr_text_arg a = {_("History"), text.buf};
	ui_push(ui, &scr_text, &a);
	strbuf_release(&text);
}

struct scr_text {
	char *title, *text;
	int top;
};

static void *scr_text_enter(struct ui *ui, void *arg)
{
	(void)ui;
	const struct scr_text_arg *a = arg;
	struct scr_text *s = xalloc_calloc(1, sizeof *s);
	s->title = xalloc_strdup(a->title);
	s->text = xalloc_strdup(a->text);
	return s;
}

static void scr_text_leave(struct ui *ui, void *state)
{
	(void)ui;
	struct scr_text *s = state;
	free(s->title);
	free(s->text);
	free(s);
}

static void scr_text_draw(struct ui *ui, void *state, WINDOW *win)
{
	(void)ui;
	struct scr_text *s = state;
	attron(A_BOLD);
	ui_put(win, 0, 1, s->title, getmaxx(win) - 2);
	attroff(A_BOLD);
	WINDOW *sub = derwin(win, getmaxy(win) - 2, getmaxx(win), 2, 0);
	if (sub) {
		ui_text_draw(sub, s->text, s->top);
		delwin(sub);
	}
}

int ui_text_scroll(int *top, enum ui_action act)
{
	switch (act) {
	case UI_ACT_UP: *top = *top > 0 ? *top - 1 : 0; return UI_HANDLED;
	case UI_ACT_DOWN: ++*top; return UI_HANDLED;
	case UI_ACT_PGUP: *top = *top > 10 ? *top - 10 : 0; return UI_HANDLED;
	case UI_ACT_PGDN: *top += 10; return UI_HANDLED;
	case UI_ACT_HOME: *top = 0; return UI_HANDLED;
	default: return 0;
	}
}

static int scr_text_action(struct ui *ui, void *state, enum ui_action act)
{
	(void)ui;
	struct scr_text *s = state;
	return ui_text_scroll(&s->top, act);
}

static const enum ui_action scr_text_bar[] = {UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_NONE};
static const enum ui_action scr_text_keys[] = {UI_ACT_UP,   UI_ACT_DOWN, UI_ACT_PGUP,
                                               UI_ACT_PGDN, UI_ACT_HOME, UI_ACT_NONE};

const struct ui_screen scr_text = {
    .title = N_("History"),
    .enter = scr_text_enter,
    .draw = scr_text_draw,
    .action = scr_text_action,
    .leave = scr_text_leave,
    .bar = scr_text_bar,
    .keys = scr_text_keys,
};
