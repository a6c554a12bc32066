/* mohinh models [--search Q] [--unit CODE] [--year Y] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "xalloc.h"

#define CLI_MODELS_PAGE 256

static int cli_models_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"search", required_argument, NULL, 's'}, {"unit", required_argument, NULL, 'u'},
	    {"year", required_argument, NULL, 'y'},   {"limit", required_argument, NULL, 'l'},
	    {"field", required_argument, NULL, 'f'},  {"state", required_argument, NULL, 'S'},
	    {"sort", required_argument, NULL, 'o'},   {NULL, 0, NULL, 0}};
	struct store_model_filter f = {0};
	long limit = -1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		switch (c) {
		case 's': f.search = optarg; break;
		case 'u': f.unit_code = optarg; break;
		case 'y':
			f.year = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || f.year < 1900 || f.year > 2200)
				return cli_fail(MH_EUSAGE, _("--year takes a year such as 2017, not '%s'"), optarg);
			break;
		case 'l':
			limit = strtol(optarg, &end, 10);
			if (!*optarg || *end || limit < 0)
				return cli_fail(MH_EUSAGE, _("--limit takes a number of rows, not '%s'"), optarg);
			break;
		case 'f': f.field = optarg; break;
		case 'S':
			if (strcmp(optarg, "draft") && strcmp(optarg, "submitted") && strcmp(optarg, "approved") &&
			    strcmp(optarg, "returned"))
				return cli_fail(MH_EUSAGE,
				                _("--state is draft, submitted, approved or returned, not '%s'"),
				                optarg);
			f.state = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "name") == 0)
				f.sort = STORE_SORT_NAME;
			else if (strcmp(optarg, "date") == 0)
				f.sort = STORE_SORT_DATE;
			else if (strcmp(optarg, "unit") == 0)
				f.sort = STORE_SORT_UNIT;
			else
				return cli_fail(MH_EUSAGE, _("--sort is name, date or unit, not '%s'"), optarg);
			break;
		default: return cli_usage(&cli_models_command);
		}
	}
	if (optind != argc)
		return cli_usage(&cli_models_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct store_unit u;
	if (f.unit_code && store_unit_find(st, f.unit_code, &u, &err) < 0) {
		rc = cli_report(&err);
		goto out;
	}
	if (f.unit_code)
		f.unit_code = u.code;
	struct store_model_row *rows = xalloc_malloc(CLI_MODELS_PAGE * sizeof *rows);
	printf("id\tcode\tname\tunit\tfield\tpoints\tlaunched_on\tstate\n");
	char *key = NULL; /* the last row's, whole */
	long printed = 0;
	for (;;) {
		int want = CLI_MODELS_PAGE;
		if (limit >= 0 && limit - printed < want)
			want = (int)(limit - printed);
		if (want == 0)
			break;
		int n = store_model_page(st, &f, key, 0, rows, want, &err);
		if (n < 0) {
			rc = cli_report(&err);
			break;
		}
		for (int i = 0; i < n; i++)
			printf("%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", rows[i].id, rows[i].code, rows[i].name,
			       rows[i].unit_name, rows[i].field, rows[i].points, rows[i].launched_on, rows[i].state);
		printed += n;
		free(key);
		key = n == want ? xalloc_strdup(rows[n - 1].key) : NULL;
		store_rows_release(rows, (size_t)n, sizeof *rows);
		if (!key)
			break;
	}
	free(key);
	free(rows);
out:
	store_free(st);
	return rc;
}

const struct cli_command cli_models_command = {
    "models",
    N_("[--search WORDS] [--unit CODE] [--year YEAR] [--field CODE] [--state STATE] [--sort name|date|unit] [--limit "
       "N]"),
    N_("models in Vietnamese name order, tab-separated with a header line"),
    cli_models_run,
};
