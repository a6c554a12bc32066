/* mohinh export-csv models|points|evaluations [--unit CODE] [--year Y] [--no-bom] [-o FILE]
 * mohinh import-csv models|points|evaluations FILE [--encoding E] [--map H=F,…] [--dry-run] [--keep-duplicates] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "cli.h"
#include "formdef.h"
#include "i18n.h"
#include "mh-file.h"
#include "store-csv.h"
#include "store.h"
#include "strbuf.h"

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
	static const struct option opts[] = {{"unit", required_argument, NULL, 'u'},
	                                     {"year", required_argument, NULL, 'y'},
	                                     {"no-bom", no_argument, NULL, 'b'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {NULL, 0, NULL, 0}};
	struct store_csv_filter f = {0};
	const char *output = "-";
	int bom = 1, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'u': f.unit = optarg; break;
		case 'y':
			f.year = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || f.year < 1900 || f.year > 2200)
				return cli_fail(MH_EUSAGE, _("--year takes a year such as 2017, not '%s'"), optarg);
			break;
		case 'b': bom = 0; break;
		case 'o': output = optarg; break;
		default: return cli_usage(&cli_export_csv_command);
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cli_export_csv_command);
	if (!cli_csv_table(argv[optind]))
		return cli_fail(MH_EUSAGE, _("the lists are models, points and evaluations, not '%s'"), argv[optind]);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
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
	else if (store_csv_export(st, forms, cli_csv_table(argv[optind]), &f, bom, &out, &rows, &err) < 0 ||
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

static int cli_csv_import_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {{"encoding", required_argument, NULL, 'e'},
	                                     {"map", required_argument, NULL, 'm'},
	                                     {"dry-run", no_argument, NULL, 'n'},
	                                     {"keep-duplicates", no_argument, NULL, 'k'},
	                                     {NULL, 0, NULL, 0}};
	struct store_csv_opts o = {CHARSET_AUTO, NULL, 0, 0};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			o.encoding = charset_parse(optarg);
			if (o.encoding < 0 || o.encoding == CHARSET_VIQR)
				return cli_fail(
				    MH_EUSAGE,
				    _("--encoding is auto, utf-8, cp1258, tcvn3, vni, viscii or tcvn5712-1, not '%s'"),
				    optarg);
			break;
		case 'm': o.map = optarg; break;
		case 'n': o.dry_run = 1; break;
		case 'k': o.keep_duplicates = 1; break;
		default: return cli_usage(&cli_import_csv_command);
		}
	}
	if (optind + 2 != argc)
		return cli_usage(&cli_import_csv_command);
	if (!cli_csv_table(argv[optind]))
		return cli_fail(MH_EUSAGE, _("the lists are models, points and evaluations, not '%s'"), argv[optind]);
	const char *path = argv[optind + 1];
	struct mh_error err;
	char *bytes;
	size_t len;
	if (mh_file_read(path, CLI_CSV_MAX, &bytes, &len, &err) < 0)
		return cli_report(&err);
	struct store *st = NULL;
	int rc = cli_open(ctx, o.dry_run ? STORE_READ : STORE_WRITE, &st);
	struct formdef_set *forms = rc == 0 ? cli_forms(st) : NULL;
	if (rc == 0 && !forms)
		rc = MH_EFAIL;
	if (rc == 0) {
		struct store_csv_result res;
		int ok = store_csv_import(st, forms, cli_csv_table(argv[optind]), bytes, len, &o, &res, &err) == 0;
		struct strbuf text;
		strbuf_init(&text);
		store_csv_result_text(&res, o.dry_run, ok, &text);
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
