/* The report as a workbook: one sheet per table, each under the header
 * block (the office, the title, the period, the summary), numbers as
 * numbers, the header row frozen. */
#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "report.h"
#include "sheet.h"
#include "strbuf.h"
#include "xalloc.h"

static void report_xlsx_block(struct sheet_out *o, const struct report *r, const char *table)
{
	sheet_out_line(o, r->office, 1);
	char *title = xalloc_printf("%s — %s", _("Report on community security models"), table);
	sheet_out_line(o, title, 1);
	free(title);
	char *period = xalloc_printf("%s — %s", r->period, r->root_name);
	sheet_out_line(o, period, 0);
	free(period);
	struct strbuf sum;
	strbuf_init(&sum);
	report_summary(r, &sum);
	sheet_out_line(o, sum.buf, 0);
	strbuf_release(&sum);
	sheet_out_line(o, "", 0);
}

static void report_xlsx_counts(struct sheet_out *o, const struct report *r, const char *name, const char *first,
                               const struct report_row *rows, size_t n)
{
	sheet_out_sheet(o, name);
	report_xlsx_block(o, r, name);
	const char *head[REPORT_NCOLS + 3] = {_("No."), _("Code"), first};
	for (int c = 0; c < REPORT_NCOLS; c++)
		head[c + 3] = report_col_name(c);
	sheet_out_head(o, head, REPORT_NCOLS + 3);
	char num[REPORT_NCOLS + 1][24];
	struct sheet_cell cells[REPORT_NCOLS + 3];
	for (size_t i = 0; i <= n; i++) {
		const struct report_row *row = i < n ? &rows[i] : &r->total;
		snprintf(num[REPORT_NCOLS], sizeof num[0], "%zu", i + 1);
		cells[0] = (struct sheet_cell){i < n ? num[REPORT_NCOLS] : "", SHEET_NUMBER};
		cells[1] = (struct sheet_cell){row->code, SHEET_TEXT};
		cells[2] = (struct sheet_cell){row->name ? row->name : "", SHEET_TEXT};
		for (int c = 0; c < REPORT_NCOLS; c++) {
			snprintf(num[c], sizeof num[c], "%ld", row->v[c]);
			cells[c + 3] = (struct sheet_cell){num[c], SHEET_NUMBER};
		}
		sheet_out_row(o, cells, REPORT_NCOLS + 3, i == n ? SHEET_TOTAL : SHEET_FRAMED);
	}
}

int report_xlsx(const struct report *r, const char *path, struct mh_error *err)
{
	struct sheet_out *o = sheet_out_new(err);
	if (!o)
		return -1;
	report_xlsx_counts(o, r, _("By unit"), _("Unit"), r->areas, r->nareas);
	report_xlsx_counts(o, r, _("By field"), _("Field"), r->fields, r->nfields);
	sheet_out_sheet(o, _("Models"));
	report_xlsx_block(o, r, _("Models"));
	/* the columns of the CSV report's third table */
	const char *head[8] = {_("No."),         _("Model"),  _("Unit"),  _("Field"),
	                       _("Pilot model"), _("Points"), _("Teams"), _("Members")};
	sheet_out_head(o, head, 8);
	for (size_t i = 0; i < r->nmodels; i++) {
		const struct report_model *m = &r->models[i];
		struct report_model_text n;
		report_model_text(r, i, &n);
		struct sheet_cell cells[8] = {{n.no, SHEET_NUMBER},
		                              {m->name, SHEET_TEXT},
		                              {m->unit, SHEET_TEXT},
		                              {m->field, SHEET_TEXT},
		                              {m->pilot ? _("yes") : "", SHEET_TEXT},
		                              {n.points, SHEET_NUMBER},
		                              {n.teams, SHEET_NUMBER},
		                              {n.members, SHEET_NUMBER}};
		sheet_out_row(o, cells, 8, SHEET_FRAMED);
	}
	return sheet_out_save(o, path, err);
}
