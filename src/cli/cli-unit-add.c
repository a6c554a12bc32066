/* mohinh unit-add: a unit that is no longer in the GSO list (merged or
 * renamed), so that old records can name it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "store-unit.h"

static int cli_unit_add_run(struct cli_ctx *ctx, int argc, char **argv)
{
	/* each option fills the unit's column of the same meaning */
	static const char *const cols[] = {"code",       "parent_code", "type",       "name",
	                                   "valid_from", "valid_to",    "replaced_by"};
	const char *v[sizeof cols / sizeof *cols] = {NULL};
	const struct cli_arg args[] = {
	    CLI_TEXT("code", &v[0]),        CLI_TEXT("parent", &v[1]),
	    CLI_TEXT("type", &v[2]),        CLI_TEXT("name", &v[3]),
	    CLI_TEXT("valid-from", &v[4]),  CLI_TEXT("valid-to", &v[5]),
	    CLI_TEXT("replaced-by", &v[6]), CLI_END,
	};
	int first;
	int rc = cli_args(&cli_unit_add_command, args, argc, argv, &first);
	if (rc)
		return rc;
	struct store_unit u;
	memset(&u, 0, sizeof u);
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		if (v[i] && store_unit_set(&u, cols[i], v[i]) < 0)
			return cli_fail(MH_EDATA, _("'%s' is too long"), v[i]);
	if (first != argc || !u.code[0] || !u.parent_code[0] || !u.type[0] || !u.name[0])
		return cli_usage(&cli_unit_add_command);
	struct store *st;
	rc = cli_open(ctx, STORE_WRITE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct store_unit added;
	if (store_unit_add(st, &u, &err) < 0 || store_unit_get(st, u.code, &added, &err) < 0)
		rc = cli_report(&err);
	else
		printf("%s\t%d\t%s\t%s\t%s\n", added.code, added.level, added.type, added.name, added.parent_name);
	store_free(st);
	return rc;
}

const struct cli_command cli_unit_add_command = {
    "unit-add",
    N_("--code CODE --parent CODE --type TYPE --name NAME [--valid-from YYYY-MM-DD] [--valid-to YYYY-MM-DD] "
       "[--replaced-by CODE]"),
    N_("add a unit that is no longer in the GSO list (merged or renamed) with its dates"),
    cli_unit_add_run,
};
