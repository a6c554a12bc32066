/* Lists and reports to and from files: CSV as it is, workbooks through
 * sheet_read and sheet_out, reports in every format a person asks for. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "charset.h"
#include "i18n.h"
#include "mh-file.h"
#include "report.h"
#include "sheet.h"
#include "store-csv.h"
#include "strbuf.h"
#include "xalloc.h"

#define APP_SHEET_MAX (512u << 20) /* the largest file read */

static void app_sheet_note(struct store_csv_result *res, char *note)
{
	res->notes = xalloc_realloc(res->notes, (res->nnotes + 1) * sizeof *res->notes);
	res->notes[res->nnotes++] = note;
}

static void app_sheet_notes(const struct sheet_info *info, int encoding, struct store_csv_result *res)
{
	struct strbuf names;
	strbuf_init(&names);
	for (size_t i = 0; i < info->nnames; i++)
		strbuf_addf(&names, "%s%zu. %s%s", i ? ", " : "", i + 1, info->names[i],
		            i == info->chosen ? _(" (read)") : "");
	app_sheet_note(res, xalloc_printf(_("Workbook %s, its sheets: %s"),
	                                  info->format == SHEET_XLSX ? ".xlsx" : ".xls", names.buf));
	strbuf_release(&names);
	if (info->formulas)
		app_sheet_note(res,
		               xalloc_printf(_("%ld cells hold a formula (the first: %s): the value the spreadsheet "
		                               "saved with each is taken"),
		                             info->formulas, info->formula_cell));
	if (info->font_tcvn3 || info->font_vni)
		app_sheet_note(res, xalloc_printf(_("Legacy fonts: %ld cells in a TCVN3 font (.Vn…), %ld in a VNI font "
		                                    "(VNI-…), decoded by their font"),
		                                  info->font_tcvn3, info->font_vni));
	if (info->declared)
		app_sheet_note(res,
		               xalloc_printf(_("Legacy text: %ld cells read as %s, as asked (their font does not say)"),
		                             info->declared, charset_name((enum charset_enc)encoding)));
	if (info->guessed)
		app_sheet_note(res, xalloc_printf(_("Legacy text: %ld cells read as TCVN3 and %ld as VNI by their "
		                                    "letters (their font does not say)"),
		                                  info->guessed_tcvn3, info->guessed_vni));
}

int app_sheet_names(const char *path, char ***names, size_t *n, struct mh_error *err)
{
	*names = NULL;
	*n = 0;
	char *bytes;
	size_t len;
	if (mh_file_read(path, APP_SHEET_MAX, &bytes, &len, err) < 0)
		return -1;
	int rc = 0;
	if (sheet_format_of(path, bytes, len) != SHEET_CSV) {
		struct sheet_info info;
		rc = sheet_read(path, bytes, len, NULL, CHARSET_AUTO, NULL, &info, err);
		*names = info.names;
		*n = info.nnames;
	}
	free(bytes);
	return rc;
}

int app_sheet_import(struct store *st, const struct formdef_set *forms, const char *table, const char *path,
                     const struct store_csv_opts *o, struct store_csv_result *res, struct mh_error *err)
{
	memset(res, 0, sizeof *res);
	char *bytes;
	size_t len;
	if (mh_file_read(path, APP_SHEET_MAX, &bytes, &len, err) < 0)
		return -1;
	int rc;
	if (sheet_format_of(path, bytes, len) == SHEET_CSV) {
		rc = store_csv_import(st, forms, table, bytes, len, o, res, err);
	} else {
		struct csv_table t;
		struct sheet_info info;
		rc = sheet_read(path, bytes, len, o->sheet, o->encoding, &t, &info, err);
		if (rc == 0) {
			app_sheet_notes(&info, o->encoding, res);
			rc = store_csv_import_rows(st, forms, table, &t, o, res, err);
			csv_free(&t);
		}
		sheet_info_free(&info);
	}
	free(bytes);
	return rc;
}

const char *app_format_of(const char *path, const char *const *formats)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && formats[i]; i++)
		if (strcasecmp(dot + 1, formats[i]) == 0)
			return formats[i];
	return formats[0];
}

static int app_list_sheet_row(void *ud, const struct sheet_cell *cells, size_t n, int head)
{
	struct sheet_out *o = ud;
	if (head) {
		const char **labels = xalloc_calloc(n, sizeof *labels);
		for (size_t i = 0; i < n; i++)
			labels[i] = cells[i].text;
		sheet_out_head(o, labels, n);
		free(labels);
	} else {
		sheet_out_row(o, cells, n, SHEET_PLAIN);
	}
	return 0;
}

int app_list_export(struct store *st, const struct formdef_set *forms, const char *table,
                    const struct store_csv_filter *f, const char *format, int bom, const char *path, long *rows,
                    struct mh_error *err)
{
	if (strcmp(format, "xlsx") == 0) {
		struct sheet_out *o = sheet_out_new(err);
		if (!o)
			return -1;
		static const char *const names[][2] = {
		    {"model", N_("Models")}, {"point", N_("Model points")}, {"evaluation", N_("Evaluations")}};
		for (size_t i = 0; i < 3; i++)
			if (strcmp(table, names[i][0]) == 0)
				sheet_out_sheet(o, _(names[i][1]));
		int rc = store_list_export(st, forms, table, f, app_list_sheet_row, o, rows, err);
		if (sheet_out_save(o, rc == 0 ? path : NULL, rc == 0 ? err : NULL) < 0)
			rc = -1;
		return rc;
	}
	struct strbuf out;
	strbuf_init(&out);
	int rc = store_csv_export(st, forms, table, f, bom, &out, rows, err);
	if (rc == 0)
		rc = mh_file_write(path, out.buf, out.len, err);
	strbuf_release(&out);
	return rc;
}

const char *const app_report_formats[] = {"txt", "csv", "html", "pdf", "xlsx", NULL};

int app_report_write(const struct report *r, const char *format, int bom, const char *path, struct mh_error *err)
{
	if (!format) {
		const char *dot = strrchr(path, '.');
		format = dot && strcasecmp(dot, ".htm") == 0 ? "html" : app_format_of(path, app_report_formats);
	}
	if (strcmp(format, "xlsx") == 0)
		return report_xlsx(r, path, err);
	struct strbuf out;
	strbuf_init(&out);
	int rc = 0;
	if (strcmp(format, "pdf") == 0)
		rc = report_pdf(r, &out, err);
	else if (strcmp(format, "csv") == 0)
		report_csv(r, bom, &out);
	else if (strcmp(format, "html") == 0)
		report_html(r, &out);
	else
		report_txt(r, &out);
	if (rc == 0)
		rc = mh_file_write(path, out.buf, out.len, err);
	strbuf_release(&out);
	return rc;
}
