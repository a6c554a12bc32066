/* mohinh export-csv models|points|evaluations [--unit CODE] [--year Y] [--no-bom] [-o FILE]
 * mohinh import-csv models|points|evaluations FILE [--encoding E] [--map H=F,…] [--dry-run] [--keep-duplicates] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "charset.h"
#include "cli.h"
#include "formdef.h"
#include "i18n.h"
#include "mh-file.h"
#include "store-csv.h"
#include "store.h"
#include "strbuf.h"
#include "store-unit.h"

#define CLI_CSV_MAX (512u << 20)

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
	const char *output = "-";
	int bom = 1, first;
	const struct cli_arg args[] = {
	    CLI_TEXT("unit", &f.unit),
	    CLI_YEAR("year", &f.year, N_("--year takes a year such as 2017, not '%s'")),
	    CLI_FLAG("no-bom", &bom, 0),
	    {.name = "output", .kind = CLI_ARG_TEXT, .dst = &output, .letter = 'o'},
	    CLI_END,
	};
	int rc = cli_args(&cli_export_csv_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first + 1 != argc)
		return cli_usage(&cli_export_csv_command);
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
	struct strbuf out;
	strbuf_init(&out);
	long rows = 0;
	struct store_unit u;
	if (f.unit && store_unit_find(st, f.unit, &u, &err) < 0)
		rc = cli_report(&err);
	else if (f.unit && !(f.unit = u.code))
		rc = MH_EFAIL;
	else if (store_csv_export(st, forms, cli_csv_table(argv[first]), &f, bom, &out, &rows, &err) < 0 ||
	         mh_file_write(output, out.buf, out.len, &err) < 0)
		rc = cli_report(&err);
	else if (strcmp(output, "-") != 0)
		printf(_("%s: %ld rows\n"), output, rows);
	strbuf_release(&out);
	store_free(st);
	formdef_free(forms);
	return rc;
}

const struct cli_command cli_export_csv_command = {
    "export-csv",
    N_("models|points|evaluations [--unit CODE] [--year Y] [--no-bom] [-o FILE]"),
    N_("a list as CSV for spreadsheets (UTF-8 with a BOM): every field, units by code and name"),
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
	struct store_csv_opts o = {CHARSET_AUTO, NULL, 0, 0};
	const struct cli_arg args[] = {
	    CLI_FN("encoding", &o.encoding, cli_csv_encoding,
	           N_("--encoding is auto, utf-8, cp1258, tcvn3, vni, viscii or tcvn5712-1, not '%s'")),
	    CLI_TEXT("map", &o.map),
	    CLI_FLAG("dry-run", &o.dry_run, 1),
	    CLI_FLAG("keep-duplicates", &o.keep_duplicates, 1),
	    CLI_END,
	};
	int first;
	int rc = cli_args(&cli_import_csv_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first + 2 != argc)
		return cli_usage(&cli_import_csv_command);
	if (!cli_csv_table(argv[first]))
		return cli_fail(MH_EUSAGE, _("the lists are models, points and evaluations, not '%s'"), argv[first]);
	const char *path = argv[first + 1];
	struct mh_error err;
	char *bytes;
	size_t len;
	if (mh_file_read(path, CLI_CSV_MAX, &bytes, &len, &err) < 0)
		return cli_report(&err);
	struct store *st = NULL;
	rc = cli_open(ctx, o.dry_run ? STORE_READ : STORE_WRITE, &st);
	struct formdef_set *forms = rc == 0 ? cli_forms(st) : NULL;
	if (rc == 0 && !forms)
		rc = MH_EFAIL;
	if (rc == 0) {
		struct store_csv_result res;
		int ok = store_csv_import(st, forms, cli_csv_table(argv[first]), bytes, len, &o, &res, &err) == 0;
		struct strbuf text;
		strbuf_init(&text);
		app_csv_result_text(&res, o.dry_run, ok, &text);
		fputs(text.buf, stdout);
		strbuf_release(&text);
		if (!ok)
			rc = cli_report(&err);
		store_csv_result_free(&res);
	}
	free(bytes);
	store_free(st);
	formdef_free(forms);
	return rc;
}

const struct cli_command cli_import_csv_command = {
    "import-csv",
    N_("models|points|evaluations FILE [--encoding E] [--map HEADER=FIELD,...] [--dry-run] [--keep-duplicates]"),
    N_("reads a list from a CSV file (UTF-8 or a legacy encoding): every row checked, all or nothing"),
    cli_csv_import_run,
};
