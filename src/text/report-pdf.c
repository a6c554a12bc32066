/* The report as an administrative document (Nghị định 30/2020/NĐ-CP,
 * appendix I), drawn with pango on a cairo PDF surface: A4 portrait; margins
 * top and bottom 20 mm, left 30 mm, right 15 mm; Liberation Serif (Times New
 * Roman's metrics, with every Vietnamese letter); the agency block top left,
 * the national title and motto top right, the number under the one and the
 * place and date in italics under the other; the title in bold capitals;
 * tables whose header row repeats on each page; page numbers centred at the
 * top from page 2; "Nơi nhận" bottom left and the signature bottom right.
 * Sizes are points: the context's resolution is 72 dpi, so that 13 pt is
 * 13 pt and not 13 × 96/72. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

#define MM     (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define LEFT   (30 * MM)
#define RIGHT  (PAGE_W - 15 * MM)
#define TOP    (20 * MM)
#define BOTTOM (PAGE_H - 20 * MM)
#define FONT   "Liberation Serif"

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoLayout *layout;
	double y;
	int page;
};

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
	strbuf_add(closure, (const char *)data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* Sets the layout to text in a font ("Bold Italic 13"), wrapped to width
 * (points; 0: one line), aligned; returns its height. */
static double pdf_set(struct pdf *p, const char *text, const char *style, double width, PangoAlignment align)
{
	char desc[64];
	snprintf(desc, sizeof desc, FONT " %s", style);
	PangoFontDescription *fd = pango_font_description_from_string(desc);
	pango_layout_set_font_description(p->layout, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(p->layout, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->layout, align);
	pango_layout_set_justify(p->layout, FALSE);
	pango_layout_set_indent(p->layout, 0);
	pango_layout_set_text(p->layout, text, -1);
	int h;
	pango_layout_get_pixel_size(p->layout, NULL, &h);
	return h;
}

static double pdf_width(struct pdf *p, const char *text, const char *style)
{
	pdf_set(p, text, style, 0, PANGO_ALIGN_LEFT);
	PangoRectangle logical;
	pango_layout_get_extents(p->layout, NULL, &logical);
	return (double)logical.width / PANGO_SCALE;
}

static void pdf_show(struct pdf *p, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->layout);
}

/* Text centred in the band [x, x + w) at y; returns its height. */
static double pdf_centred(struct pdf *p, const char *text, const char *style, double x, double w, double y)
{
	double h = pdf_set(p, text, style, w, PANGO_ALIGN_CENTER);
	pdf_show(p, x, y);
	return h;
}

static void pdf_rule(struct pdf *p, double x0, double x1, double y)
{
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, x0, y);
	cairo_line_to(p->cr, x1, y);
	cairo_stroke(p->cr);
}

static char *pdf_upper(const char *s)
{
	struct strbuf up;
	strbuf_init(&up);
	vn_upper(s, strlen(s), &up);
	return strbuf_detach(&up, NULL);
}

/* A new page, numbered at the top from page 2. */
static void pdf_page(struct pdf *p)
{
	if (p->page)
		cairo_show_page(p->cr);
	p->page++;
	p->y = TOP;
	if (p->page > 1) {
		char n[16];
		snprintf(n, sizeof n, "%d", p->page);
		pdf_centred(p, n, "13", LEFT, RIGHT - LEFT, 10 * MM);
	}
}

/* Room for h points more on this page, or a new page. Returns 1 on a new page. */
static int pdf_room(struct pdf *p, double h)
{
	if (p->y + h <= BOTTOM)
		return 0;
	pdf_page(p);
	return 1;
}

/* A paragraph of the body, justified, its first line indented 1 cm. */
static void pdf_paragraph(struct pdf *p, const char *text, const char *style)
{
	pdf_set(p, text, style, RIGHT - LEFT, PANGO_ALIGN_LEFT);
	pango_layout_set_justify(p->layout, TRUE);
	pango_layout_set_indent(p->layout, (int)(10 * MM * PANGO_SCALE));
	/* line by line, so that a long paragraph may go on to the next page */
	PangoLayoutIter *it = pango_layout_get_iter(p->layout);
	double base = p->y;
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double top = (double)r.y / PANGO_SCALE, h = (double)r.height / PANGO_SCALE;
		if (base + top + h > BOTTOM) {
			pdf_page(p);
			base = p->y - top;
		}
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		int baseline = pango_layout_iter_get_baseline(it);
		cairo_move_to(p->cr, LEFT + (double)r.x / PANGO_SCALE, base + (double)baseline / PANGO_SCALE);
		pango_cairo_show_layout_line(p->cr, line);
		p->y = base + top + h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y += 4;
}

/* --- tables ---------------------------------------------------------------------- */

enum { PDF_LEFT, PDF_CENTRE, PDF_NUMBER };

struct pdf_table {
	size_t n;
	const double *width; /* mm */
	const int *align;
	const char *const *head;
};

static double pdf_row_height(struct pdf *p, const struct pdf_table *t, const char *const *cells, const char *style)
{
	double h = 0;
	for (size_t c = 0; c < t->n; c++) {
		double ch = pdf_set(p, cells[c], style, t->width[c] * MM - 4, PANGO_ALIGN_LEFT);
		if (ch > h)
			h = ch;
	}
	return h + 4;
}

static void pdf_row_draw(struct pdf *p, const struct pdf_table *t, const char *const *cells, const char *style,
                         double h, int head)
{
	double x = LEFT;
	cairo_set_line_width(p->cr, 0.5);
	for (size_t c = 0; c < t->n; c++) {
		double w = t->width[c] * MM;
		int a = head ? PDF_CENTRE : t->align[c];
		double ch = pdf_set(p, cells[c], style, w - 4,
		                    a == PDF_LEFT     ? PANGO_ALIGN_LEFT
		                    : a == PDF_CENTRE ? PANGO_ALIGN_CENTER
		                                      : PANGO_ALIGN_RIGHT);
		pdf_show(p, x + 2, p->y + (head ? (h - ch) / 2 : 2));
		cairo_rectangle(p->cr, x, p->y, w, h);
		cairo_stroke(p->cr);
		x += w;
	}
	p->y += h;
}

static void pdf_table_head(struct pdf *p, const struct pdf_table *t)
{
	double h = pdf_row_height(p, t, t->head, "Bold 8");
	pdf_row_draw(p, t, t->head, "Bold 8", h, 1);
}

/* A table's title, then its header row with at least one row under it. */
static void pdf_table_start(struct pdf *p, const struct pdf_table *t, const char *title)
{
	double th = pdf_set(p, title, "Bold 13", RIGHT - LEFT, PANGO_ALIGN_LEFT);
	double hh = pdf_row_height(p, t, t->head, "Bold 8");
	pdf_room(p, 6 + th + 2 + hh + 20);
	p->y += 6;
	pdf_set(p, title, "Bold 13", RIGHT - LEFT, PANGO_ALIGN_LEFT);
	pdf_show(p, LEFT, p->y);
	p->y += th + 2;
	pdf_table_head(p, t);
}

/* A row: on a new page with the header row again if it does not fit. */
static void pdf_table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells, int bold)
{
	const char *style = bold ? "Bold 9.5" : "9.5";
	double h = pdf_row_height(p, t, cells, style);
	if (pdf_room(p, h))
		pdf_table_head(p, t);
	pdf_row_draw(p, t, cells, style, h, 0);
}

static void pdf_counts(struct pdf *p, const char *title, const char *first, const struct report_row *rows, size_t n,
                       const struct report_row *total)
{
	/* 165 mm: the number, the name, twelve counts and the members (the widest) */
	static const double width[REPORT_NCOLS + 2] = {8,   34,  9.2,  9.2, 9.2, 9.2, 9.2, 9.2,
	                                               9.2, 9.2, 12.6, 9.2, 9.2, 9.2, 9.2};
	int align[REPORT_NCOLS + 2];
	const char *head[REPORT_NCOLS + 2];
	align[0] = PDF_CENTRE, align[1] = PDF_LEFT;
	head[0] = _("No."), head[1] = first;
	for (int c = 0; c < REPORT_NCOLS; c++)
		align[c + 2] = PDF_NUMBER, head[c + 2] = report_col_name(c);
	struct pdf_table t = {REPORT_NCOLS + 2, width, align, head};
	pdf_table_start(p, &t, title);
	char num[REPORT_NCOLS + 1][24];
	const char *cells[REPORT_NCOLS + 2];
	for (size_t i = 0; i <= n; i++) {
		const struct report_row *row = i < n ? &rows[i] : total;
		snprintf(num[REPORT_NCOLS], sizeof num[0], "%zu", i + 1);
		cells[0] = i < n ? num[REPORT_NCOLS] : "";
		cells[1] = row->name ? row->name : "";
		for (int c = 0; c < REPORT_NCOLS; c++) {
			snprintf(num[c], sizeof num[c], "%ld", row->v[c]);
			cells[c + 2] = num[c];
		}
		pdf_table_row(p, &t, cells, i == n);
	}
}

static void pdf_models(struct pdf *p, const struct report *r)
{
	static const double width[7] = {8, 60, 35, 30, 10, 10, 12};
	static const int align[7] = {PDF_CENTRE, PDF_LEFT, PDF_LEFT, PDF_LEFT, PDF_NUMBER, PDF_NUMBER, PDF_NUMBER};
	const char *head[7] = {_("No."), _("Model"), _("Unit"), _("Field"), _("Points"), _("Teams"), _("Members")};
	struct pdf_table t = {7, width, align, head};
	pdf_table_start(p, &t, _("3. Models operating at the end of the period"));
	for (size_t i = 0; i < r->nmodels; i++) {
		const struct report_model *m = &r->models[i];
		struct report_model_text n;
		report_model_text(r, i, &n);
		char *name = xalloc_printf("%s%s", m->name, m->pilot ? " (*)" : "");
		const char *cells[7] = {n.no, name, m->unit, m->field, n.points, n.teams, n.members};
		pdf_table_row(p, &t, cells, 0);
		free(name);
	}
	pdf_room(p, 16);
	pdf_set(p, _("(*) pilot model"), "Italic 11", RIGHT - LEFT, PANGO_ALIGN_LEFT);
	pdf_show(p, LEFT, p->y + 2);
	p->y += 16;
}

/* --- the blocks of the document ---------------------------------------------------------- */

static void pdf_heading(struct pdf *p, const struct report *r)
{
	const double lw = 72 * MM, rw = 95 * MM, rx = RIGHT - rw;
	/* the agency: the office above, the office in bold, a rule under it */
	char *above = pdf_upper(r->above), *office = pdf_upper(r->office);
	double y = p->y;
	y += pdf_centred(p, above, "13", LEFT, lw, y);
	y += pdf_centred(p, office, "Bold 13", LEFT, lw, y);
	double ow = pdf_width(p, office, "Bold 13") / 2;
	if (ow > lw / 2)
		ow = lw / 2;
	pdf_rule(p, LEFT + (lw - ow) / 2, LEFT + (lw + ow) / 2, y + 1.5);
	double left_end = y + 4;
	/* the nation and its motto, the rule as long as the motto */
	double ry = p->y;
	ry += pdf_centred(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Bold 12", rx, rw, ry);
	ry += pdf_centred(p, "Độc lập - Tự do - Hạnh phúc", "Bold 13", rx, rw, ry);
	double mw = pdf_width(p, "Độc lập - Tự do - Hạnh phúc", "Bold 13");
	pdf_rule(p, rx + (rw - mw) / 2, rx + (rw + mw) / 2, ry + 1.5);
	y = (left_end > ry + 4 ? left_end : ry + 4) + 4;
	/* the number under the agency, the place and date under the motto */
	pdf_centred(p, r->number, "13", LEFT, lw, y);
	char *place =
	    xalloc_printf(_("%s, day %.2s month %.2s year %.4s"), r->place, r->date + 8, r->date + 5, r->date);
	double h = pdf_centred(p, place, "Italic 13", rx, rw, y);
	p->y = y + h + 14;
	free(place);
	free(above);
	free(office);
	/* the kind of document and what it is about, a short rule under */
	char *kind = pdf_upper(_("Report"));
	p->y += pdf_centred(p, kind, "Bold 14", LEFT, RIGHT - LEFT, p->y);
	char *about = xalloc_printf(_("Results of the community security models in %s"), r->period);
	p->y += pdf_centred(p, about, "Bold 14", LEFT + 10 * MM, RIGHT - LEFT - 20 * MM, p->y);
	p->y += pdf_centred(p, r->root_name, "Bold 14", LEFT, RIGHT - LEFT, p->y);
	pdf_rule(p, (LEFT + RIGHT) / 2 - 20 * MM, (LEFT + RIGHT) / 2 + 20 * MM, p->y + 2);
	p->y += 14;
	free(kind);
	free(about);
}

static void pdf_closing(struct pdf *p, const struct report *r)
{
	/* Nơi nhận and the signature stay together, on a new page if need be */
	size_t lines = 1;
	for (const char *c = r->recipients; *c; c++)
		lines += *c == ';';
	double need = 20 + 14 * (double)lines;
	if (need < 70 * MM)
		need = 70 * MM;
	pdf_room(p, need);
	p->y += 12;
	const double lw = 80 * MM, rw = 80 * MM, rx = RIGHT - rw;
	double y = p->y;
	y += pdf_set(p, _("Recipients:"), "Bold Italic 12", lw, PANGO_ALIGN_LEFT);
	pdf_show(p, LEFT, p->y);
	char *list = xalloc_strdup(r->recipients), *save = NULL;
	size_t k = 0;
	for (char *item = strtok_r(list, ";", &save); item; item = strtok_r(NULL, ";", &save), k++) {
		while (*item == ' ')
			item++;
		char *line = xalloc_printf("- %s%s", item, k + 1 == lines ? "." : ";");
		double h = pdf_set(p, line, "11", lw, PANGO_ALIGN_LEFT);
		pdf_show(p, LEFT, y);
		y += h;
		free(line);
	}
	free(list);
	/* the signature: the position, a hint, room to sign, the name */
	char *title = pdf_upper(r->signer_title);
	double sy = p->y;
	sy += pdf_centred(p, title, "Bold 13", rx, rw, sy);
	sy += pdf_centred(p, _("(Signature and full name)"), "Italic 13", rx, rw, sy);
	sy += 25 * MM;
	if (r->signer[0])
		sy += pdf_centred(p, r->signer, "Bold 13", rx, rw, sy);
	free(title);
	p->y = y > sy ? y : sy;
}

int report_pdf(const struct report *r, struct strbuf *out, struct mh_error *err)
{
	struct pdf p = {0};
	p.surface = cairo_pdf_surface_create_for_stream(pdf_write, out, PAGE_W, PAGE_H);
	/* the document's date is the report's: the same report makes the same file */
	char date[32];
	snprintf(date, sizeof date, "%.10sT00:00:00", r->date);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "mohinh " MOHINH_VERSION);
	char *title = xalloc_printf("%s — %s", _("Report on community security models"), r->period);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, title);
	free(title);
	p.cr = cairo_create(p.surface);
	p.layout = pango_cairo_create_layout(p.cr);
	pango_cairo_context_set_resolution(pango_layout_get_context(p.layout), 72);
	pango_layout_context_changed(p.layout);
	cairo_set_source_rgb(p.cr, 0, 0, 0);

	pdf_page(&p);
	pdf_heading(&p, r);
	struct strbuf sum;
	strbuf_init(&sum);
	report_summary(r, &sum);
	pdf_paragraph(&p, sum.buf, "14");
	strbuf_release(&sum);
	pdf_counts(&p, _("1. By unit"), _("Unit"), r->areas, r->nareas, &r->total);
	pdf_counts(&p, _("2. By field"), _("Field"), r->fields, r->nfields, &r->total);
	pdf_models(&p, r);
	pdf_closing(&p, r);

	g_object_unref(p.layout);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surface);
	cairo_status_t status = cairo_surface_status(p.surface);
	cairo_surface_destroy(p.surface);
	if (status != CAIRO_STATUS_SUCCESS)
		return mh_error_set(err, MH_EFAIL, _("cannot make the PDF: %s"), cairo_status_to_string(status));
	return 0;
}
