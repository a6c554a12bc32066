/* mohinh units [QUERY] */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "strbuf.h"
#include "i18n.h"

static int cli_units_print(const struct store_unit *u, void *ud)
{
	(*(long *)ud)++;
	printf("%s\t%d\t%s\t%s\t%s\n", u->code, u->level, u->type, u->name, u->parent_name);
	return 0;
}

static int cli_units_run(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return cli_usage(&cli_units_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	long n = 0;
	struct store_unit_filter f = {argc == 2 ? argv[1] : "", NULL, NULL, 0};
	if (store_unit_list(st, &f, cli_units_print, &n, &err) < 0)
		rc = cli_report(&err);
	store_free(st);
	return rc;
}

const struct cli_command cli_units_command = {
    "units",
    N_("[QUERY]"),
    N_("administrative units whose name contains the words (accents and case ignored): "
       "code, level, type, name, parents"),
    cli_units_run,
};
