/* Workbooks out (.xlsx) with libxlsxwriter, in its constant-memory mode:
 * rows go to a temporary file as they come. The workbook is made in a
 * temporary folder, then written where it goes as every file is (a .part,
 * fsynced, renamed), so that a half-written file never takes its place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "i18n.h"
#include "mh-file.h"
#include "sheet.h"
#include "vn.h"
#include "xalloc.h"

struct sheet_out {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *italic, *head, *cell[3], *date[3]; /* by enum sheet_look */
	char dir[64], path[96];
	lxw_row_t row;
	size_t width[SHEET_MAX_COLS]; /* the current sheet's widest text per column */
	size_t ncols;
	int failed;
};

struct sheet_out *sheet_out_new(struct mh_error *err)
{
	struct sheet_out *o = xalloc_calloc(1, sizeof *o);
	const char *tmp = getenv("TMPDIR");
	snprintf(o->dir, sizeof o->dir, "%s/mohinh-xlsx-XXXXXX", tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(o->dir)) {
		mh_error_set(err, MH_EIO, _("cannot make a temporary folder for the workbook: %s"), o->dir);
		free(o);
		return NULL;
	}
	snprintf(o->path, sizeof o->path, "%s/book.xlsx", o->dir);
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = o->dir};
	o->wb = workbook_new_opt(o->path, &opts);
	if (!o->wb) {
		rmdir(o->dir);
		free(o);
		mh_error_set(err, MH_EFAIL, "%s", _("out of memory"));
		return NULL;
	}
	o->bold = workbook_add_format(o->wb);
	format_set_bold(o->bold);
	o->italic = workbook_add_format(o->wb);
	format_set_italic(o->italic);
	o->head = workbook_add_format(o->wb);
	format_set_bold(o->head);
	format_set_border(o->head, LXW_BORDER_THIN);
	format_set_text_wrap(o->head);
	format_set_align(o->head, LXW_ALIGN_CENTER);
	format_set_align(o->head, LXW_ALIGN_VERTICAL_CENTER);
	for (int look = SHEET_PLAIN; look <= SHEET_TOTAL; look++) {
		o->cell[look] = look == SHEET_PLAIN ? NULL : workbook_add_format(o->wb);
		o->date[look] = workbook_add_format(o->wb);
		format_set_num_format(o->date[look], "dd/mm/yyyy");
		if (look != SHEET_PLAIN) {
			format_set_border(o->cell[look], LXW_BORDER_THIN);
			format_set_border(o->date[look], LXW_BORDER_THIN);
		}
		if (look == SHEET_TOTAL) {
			format_set_bold(o->cell[look]);
			format_set_bold(o->date[look]);
		}
	}
	return o;
}

/* Each column as wide as its widest text (in characters as shown), within reason. */
static void sheet_out_widths(struct sheet_out *o)
{
	for (size_t c = 0; o->ws && c < o->ncols; c++) {
		double w = (double)(o->width[c] < 6 ? 6 : o->width[c] > 60 ? 60 : o->width[c]) + 2;
		worksheet_set_column(o->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
	}
	memset(o->width, 0, sizeof o->width);
	o->ncols = 0;
}

static void sheet_out_measure(struct sheet_out *o, size_t c, const char *s)
{
	if (c >= SHEET_MAX_COLS)
		return;
	size_t w = vn_width(s, strlen(s));
	if (w > o->width[c])
		o->width[c] = w;
	if (c + 1 > o->ncols)
		o->ncols = c + 1;
}

void sheet_out_sheet(struct sheet_out *o, const char *name)
{
	sheet_out_widths(o);
	o->ws = workbook_add_worksheet(o->wb, name);
	o->failed |= !o->ws;
	o->row = 0;
	if (o->ws) {
		worksheet_set_paper(o->ws, 9); /* A4 */
		worksheet_set_landscape(o->ws);
		worksheet_fit_to_pages(o->ws, 1, 0);
	}
}

void sheet_out_line(struct sheet_out *o, const char *text, int bold)
{
	if (o->ws)
		worksheet_write_string(o->ws, o->row, 0, text, bold ? o->bold : o->italic);
	o->row++;
}

void sheet_out_head(struct sheet_out *o, const char *const *labels, size_t n)
{
	for (size_t c = 0; o->ws && c < n && c < SHEET_MAX_COLS; c++) {
		worksheet_write_string(o->ws, o->row, (lxw_col_t)c, labels[c], o->head);
		sheet_out_measure(o, c, labels[c]);
	}
	if (o->ws) {
		worksheet_freeze_panes(o->ws, o->row + 1, 0);
		worksheet_repeat_rows(o->ws, o->row, o->row); /* printed on every page */
	}
	o->row++;
}

void sheet_out_row(struct sheet_out *o, const struct sheet_cell *cells, size_t n, enum sheet_look look)
{
	lxw_format *cell = o->cell[look], *date = o->date[look];
	for (size_t c = 0; o->ws && c < n && c < SHEET_MAX_COLS; c++) {
		const struct sheet_cell *k = &cells[c];
		lxw_col_t col = (lxw_col_t)c;
		int y, m, d;
		char *end;
		double v;
		if (!k->text[0]) {
			if (cell) /* its frame */
				worksheet_write_blank(o->ws, o->row, col, cell);
			continue;
		}
		if (k->kind == SHEET_NUMBER && (v = strtod(k->text, &end), !*end)) {
			worksheet_write_number(o->ws, o->row, col, v, cell);
		} else if (k->kind == SHEET_DATE && sscanf(k->text, "%4d-%2d-%2d", &y, &m, &d) == 3) {
			lxw_datetime dt = {y, m, d, 0, 0, 0};
			worksheet_write_datetime(o->ws, o->row, col, &dt, date);
			sheet_out_measure(o, c, "00/00/0000");
			continue;
		} else {
			worksheet_write_string(o->ws, o->row, col, k->text, cell);
		}
		sheet_out_measure(o, c, k->text);
	}
	o->row++;
}

int sheet_out_save(struct sheet_out *o, const char *path, struct mh_error *err)
{
	sheet_out_widths(o);
	lxw_error e = workbook_close(o->wb);
	int rc = 0;
	if (o->failed || e != LXW_NO_ERROR) {
		rc = mh_error_set(err, MH_EIO, _("cannot write the workbook: %s"),
		                  o->failed ? _("a sheet could not be made") : lxw_strerror(e));
	} else if (path) {
		char *bytes;
		size_t len;
		rc = mh_file_read(o->path, (size_t)1 << 31, &bytes, &len, err);
		if (rc == 0) {
			rc = mh_file_write(path, bytes, len, err);
			free(bytes);
		}
	}
	unlink(o->path);
	rmdir(o->dir);
	free(o);
	return rc;
}
