/* mohinh models [--search Q] [--unit CODE] [--year Y] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "xalloc.h"
#include "store-list.h"
#include "store-unit.h"

#define CLI_MODELS_PAGE 256

static int cli_models_sort(void *dst, const char *value)
{
	static const char *const sorts[] = {
	    [STORE_SORT_NAME] = "name", [STORE_SORT_DATE] = "date", [STORE_SORT_UNIT] = "unit"};
	for (size_t i = 0; i < sizeof sorts / sizeof *sorts; i++)
		if (strcmp(value, sorts[i]) == 0) {
			*(enum store_model_sort *)dst = (enum store_model_sort)i;
			return 0;
		}
	return -1;
}

static int cli_models_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct store_model_filter f = {0};
	long limit = -1;
	const struct cli_arg args[] = {
	    CLI_TEXT("search", &f.search),
	    CLI_TEXT("unit", &f.unit_code),
	    CLI_YEAR("year", &f.year, N_("--year takes a year such as 2017, not '%s'")),
	    CLI_COUNT("limit", &limit, N_("--limit takes a number of rows, not '%s'")),
	    CLI_TEXT("field", &f.field),
	    CLI_ONE_OF("state", &f.state, "draft|submitted|approved|returned",
	               N_("--state is draft, submitted, approved or returned, not '%s'")),
	    CLI_FN("sort", &f.sort, cli_models_sort, N_("--sort is name, date or unit, not '%s'")),
	    CLI_END,
	};
	int first;
	int rc = cli_args(&cli_models_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first != argc)
		return cli_usage(&cli_models_command);
	struct store *st;
	rc = cli_open(ctx, STORE_READ, &st);
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
