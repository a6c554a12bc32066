/* mohinh export-sheet models|points|evaluations [--unit CODE] [--year Y] [--format csv|xlsx] [--no-bom] [-o FILE]
 * mohinh import-sheet models|points|evaluations FILE [--sheet S] [--encoding E] [--map H=F,…] [--dry-run]
 *        [--keep-duplicates]
 * (export-csv and import-csv, their names before workbooks, still work) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "charset.h"
#include "cli.h"
#include "formdef.h"
#include "i18n.h"
#include "store-csv.h"
#include "store.h"
#include "strbuf.h"
#include "store-unit.h"

/* "models" → "model"; NULL if not a list */
static const char *cli_csv_table(const char *list)
{
	static const char *const names[][2] = {{"models", "model"}, {"points", "point"}, {"evaluations", "evaluation"}};
	for (size_t i = 0; i < 3; i++)
		if (strcmp(list, names[i][0]) == 0)
			return names[i][1];
	return NULL;
}

static int cli_csv_export_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct store_csv_filter f = {0};
	const char *output = "-", *format = NULL;
	int bom = 1, first;
	const struct cli_arg args[] = {
	    CLI_TEXT("unit", &f.unit),
	    CLI_YEAR("year", &f.year, N_("--year takes a year such as 2017, not '%s'")),
	    CLI_ONE_OF("format", &format, "csv|xlsx", N_("--format is csv or xlsx, not '%s'")),
	    CLI_FLAG("no-bom", &bom, 0),
	    {.name = "output", .kind = CLI_ARG_TEXT, .dst = &output, .letter = 'o'},
	    CLI_END,
	};
	int rc = cli_args(&cli_export_sheet_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first + 1 != argc)
		return cli_usage(&cli_export_sheet_command);
	if (!cli_csv_table(argv[first]))
		return cli_fail(MH_EUSAGE, _("the lists are models, points and evaluations, not '%s'"), argv[first]);
	struct store *st;
	rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct formdef_set *forms = cli_forms(st);
	if (!forms) {
		store_free(st);
		return MH_EFAIL;
	}
	struct mh_error err;
	long rows = 0;
	struct store_unit u;
	static const char *const formats[] = {"csv", "xlsx", NULL};
	if (!format)
		format = app_format_of(output, formats);
	if (f.unit && store_unit_find(st, f.unit, &u, &err) < 0)
		rc = cli_report(&err);
	else if (f.unit && !(f.unit = u.code))
		rc = MH_EFAIL;
	else if (app_list_export(st, forms, cli_csv_table(argv[first]), &f, format, bom, output, &rows, &err) < 0)
		rc = cli_report(&err);
	else if (strcmp(output, "-") != 0)
		printf(_("%s: %ld rows\n"), output, rows);
	store_free(st);
	formdef_free(forms);
	return rc;
}

const struct cli_command cli_export_sheet_command = {
    "export-sheet",
    N_("models|points|evaluations [--unit CODE] [--year Y] [--format csv|xlsx] [--no-bom] [-o FILE]"),
    N_("a list for spreadsheets, as the file's name says (.xlsx, else CSV in UTF-8 with a BOM): every field, "
       "units by code and name (export-csv is its old name)"),
    cli_csv_export_run,
};

static int cli_csv_encoding(void *dst, const char *value)
{
	int e = charset_parse(value);
	if (e < 0 || e == CHARSET_VIQR)
		return -1;
	*(int *)dst = e;
	return 0;
}

static int cli_csv_import_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct store_csv_opts o = {CHARSET_AUTO, NULL, 0, 0, NULL};
	const struct cli_arg args[] = {
	    CLI_TEXT("sheet", &o.sheet),
	    CLI_FN("encoding", &o.encoding, cli_csv_encoding,
	           N_("--encoding is auto, utf-8, cp1258, tcvn3, vni, viscii or tcvn5712-1, not '%s'")),
	    CLI_TEXT("map", &o.map),
	    CLI_FLAG("dry-run", &o.dry_run, 1),
	    CLI_FLAG("keep-duplicates", &o.keep_duplicates, 1),
	    CLI_END,
	};
	int first;
	int rc = cli_args(&cli_import_sheet_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first + 2 != argc)
		return cli_usage(&cli_import_sheet_command);
	if (!cli_csv_table(argv[first]))
		return cli_fail(MH_EUSAGE, _("the lists are models, points and evaluations, not '%s'"), argv[first]);
	const char *path = argv[first + 1];
	struct mh_error err;
	struct store *st = NULL;
	rc = cli_open(ctx, STORE_WRITE, &st); /* a dry run inserts, then rolls back */
	struct formdef_set *forms = rc == 0 ? cli_forms(st) : NULL;
	if (rc == 0 && !forms)
		rc = MH_EFAIL;
	if (rc == 0) {
		struct store_csv_result res;
		int ok = app_sheet_import(st, forms, cli_csv_table(argv[first]), path, &o, &res, &err) == 0;
		struct strbuf text;
		strbuf_init(&text);
		app_csv_result_text(&res, o.dry_run, ok, &text);
		fputs(text.buf, stdout);
		strbuf_release(&text);
		if (!ok)
			rc = cli_report(&err);
		store_csv_result_free(&res);
	}
	store_free(st);
	formdef_free(forms);
	return rc;
}

const struct cli_command cli_import_sheet_command = {
    "import-sheet",
    N_("models|points|evaluations FILE [--sheet NAME|N] [--encoding E] [--map HEADER=FIELD,...] [--dry-run] "
       "[--keep-duplicates]"),
    N_("reads a list from a spreadsheet (.xlsx, .xls, or CSV in UTF-8 or a legacy encoding): every row checked, "
       "all or nothing (import-csv is its old name)"),
    cli_csv_import_run,
};
