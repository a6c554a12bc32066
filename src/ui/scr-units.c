/* Units from the main menu: a unit's history (its versions, where it came
 * from and went), and the worklist of points in divided communes, where a
 * person chooses the successor (units.md). Both are pickers over the core. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store.h"
#include "strbuf.h"
#include "ui-internal.h"
#include "ui-pick.h"
#include "unit-text.h"
#include "xalloc.h"
#include "store-unit.h"

int ui_units_history(struct ui *ui)
{
	char *code = ui_pick_unit(ui, _("Administrative units"), "", NULL);
	if (!code)
		return 1;
	struct store_unit u;
	struct strbuf text;
	strbuf_init(&text);
	struct mh_error err;
	/* every version of its code, each with its links both ways */
	if (store_unit_get(ui->st, code, &u, &err) < 0 || unit_text_history(ui->st, u.gso, NULL, &text, &err) < 0)
		strbuf_addf(&text, "%s\n", err.msg);
	/* its columns apart by two spaces, for reading */
	struct strbuf shown;
	strbuf_init(&shown);
	for (const char *p = text.buf; *p; p++)
		if (*p == '\t')
			strbuf_adds(&shown, "  ");
		else
			strbuf_addc(&shown, *p);
	struct scr_text_arg a = {_("History of the unit"), shown.buf};
	ui_push(ui, &scr_text, &a);
	strbuf_release(&shown);
	strbuf_release(&text);
	free(code);
	return 1;
}

struct ui_units_rows {
	struct ui_pick_item *items;
	int n, max;
	const char *filter;
};

static int ui_units_unresolved_row(const struct store_unresolved *p, void *ud)
{
	struct ui_units_rows *r = ud;
	if (r->n == r->max)
		return 1;
	struct ui_pick_item *it = &r->items[r->n++];
	/* where first, to choose the new commune by: the old commune, the place, then the model */
	it->label = xalloc_printf("%s, %s — %s%s%s", p->unit_name, p->parent_name, p->place, p->place[0] ? " — " : "",
	                          p->model);
	it->detail = NULL;
	it->value = xalloc_printf("%s\t%s", p->point_id, p->unit_code);
	it->has_children = 0;
	return 0;
}

static int ui_units_fetch_unresolved(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items,
                                     int max)
{
	(void)parent;
	(void)filter;
	struct ui *ui = ctx;
	struct ui_units_rows r = {items, 0, max, filter};
	store_record_unresolved(ui->st, ui_units_unresolved_row, &r, NULL);
	return r.n;
}

static int ui_units_successor_row(const struct store_unit_link *l, void *ud)
{
	struct ui_units_rows *r = ud;
	if (l->before || strcmp(l->share, "part") != 0 || r->n == r->max)
		return 0;
	struct ui_pick_item *it = &r->items[r->n++];
	it->label = xalloc_printf("%s — %s", l->name, l->parent_name);
	it->detail = NULL;
	it->value = xalloc_strdup(l->code);
	it->has_children = 0;
	return 0;
}

struct ui_units_divided {
	struct ui *ui;
	const char *unit;
};

static int ui_units_fetch_successors(void *ctx, const char *filter, const char *parent, struct ui_pick_item *items,
                                     int max)
{
	(void)parent;
	struct ui_units_divided *d = ctx;
	struct ui_units_rows r = {items, 0, max, filter};
	store_unit_history(d->ui->st, d->unit, ui_units_successor_row, &r, NULL);
	return r.n;
}

int ui_units_unresolved(struct ui *ui)
{
	for (;;) {
		struct ui_pick_source points = {ui_units_fetch_unresolved, ui, 0, NULL};
		char *chosen = ui_pick(ui, _("Points of divided communes, no new commune chosen"), &points, NULL);
		if (!chosen)
			return 1;
		char *tab = strchr(chosen, '\t');
		*tab = '\0';
		struct ui_units_divided d = {ui, tab + 1};
		struct ui_pick_source successors = {ui_units_fetch_successors, &d, 0, NULL};
		char *to = ui_pick(ui, _("The new commune the point lies in"), &successors, NULL);
		struct mh_error err;
		if (to && store_record_successor(ui->st, chosen, to, &err) < 0)
			ui_message(ui, "%s", err.msg);
		else if (to)
			ui_message(ui, "%s", _("Saved: the point counts in its new commune."));
		free(to);
		free(chosen);
	}
}
