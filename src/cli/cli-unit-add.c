/* mohinh unit-add: a unit that is no longer in the GSO list (merged or
 * renamed), so that old records can name it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"

static int cli_unit_add_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"code", required_argument, NULL, 'c'},        {"parent", required_argument, NULL, 'p'},
	    {"type", required_argument, NULL, 't'},        {"name", required_argument, NULL, 'n'},
	    {"valid-from", required_argument, NULL, 'f'},  {"valid-to", required_argument, NULL, 'u'},
	    {"replaced-by", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
	/* each option fills the unit's column of the same meaning */
	static const char *const cols[] = {
	    ['c'] = "code",       ['p'] = "parent_code", ['t'] = "type",       ['n'] = "name",
	    ['f'] = "valid_from", ['u'] = "valid_to",    ['r'] = "replaced_by"};
	struct store_unit u;
	memset(&u, 0, sizeof u);
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c < 0 || (size_t)c >= sizeof cols / sizeof *cols || !cols[c])
			return cli_usage(&cli_unit_add_command);
		if (store_unit_set(&u, cols[c], optarg) < 0)
			return cli_fail(MH_EDATA, _("'%s' is too long"), optarg);
	}
	if (optind != argc || !u.code[0] || !u.parent_code[0] || !u.type[0] || !u.name[0])
		return cli_usage(&cli_unit_add_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_WRITE, &st);
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
