/* mohinh conflicts [--all] | show N | keep N ours|theirs | take N FIELD,... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "strbuf.h"
#include "store-sync.h"

static int cli_conflicts_row(const struct store_conflict *c, void *ud)
{
	(void)ud;
	printf("%lld\t%.10s\t%s\t%s\t%s\t%s", c->id, c->at, store_table_label(c->table), c->office, c->label,
	       c->record_id);
	if (c->resolution[0])
		printf(_("\tresolved by %s: %s"), c->resolved_by, c->resolution);
	putchar('\n');
	return 0;
}

static int cli_conflicts_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "list";
	int all = argc == 2 && strcmp(verb, "--all") == 0;
	if (all)
		verb = "list";
	int list = strcmp(verb, "list") == 0, show = strcmp(verb, "show") == 0, keep = strcmp(verb, "keep") == 0,
	    take = strcmp(verb, "take") == 0;
	if (!(list && argc <= 2) && !(show && argc == 3) && !((keep || take) && argc == 4))
		return cli_usage(&cli_conflicts_command);
	long long id = argc > 2 ? atoll(argv[2]) : 0;
	if (keep && strcmp(argv[3], "ours") != 0 && strcmp(argv[3], "theirs") != 0)
		return cli_usage(&cli_conflicts_command);
	struct store *st;
	int rc = cli_open(ctx, keep || take ? STORE_WRITE : STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	if (list) {
		if (store_conflict_list(st, all, cli_conflicts_row, NULL, &err) < 0)
			rc = cli_report(&err);
	} else if (show) {
		struct strbuf out;
		strbuf_init(&out);
		if (app_conflict_table(st, id, 30, &out, &err) < 0)
			rc = cli_report(&err);
		else
			fputs(out.buf, stdout);
		strbuf_release(&out);
	} else {
		const char *what = keep ? (strcmp(argv[3], "ours") == 0 ? NULL : "*") : argv[3];
		if (store_conflict_resolve(st, id, what, &err) < 0)
			rc = cli_report(&err);
		else
			printf(_("conflict %lld resolved: %s\n"), id,
			       !what  ? _("the version here is kept")
			       : take ? argv[3]
			              : _("their version is taken"));
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_conflicts_command = {
    "conflicts",
    N_("[--all] | show N | keep N ours|theirs | take N FIELD,..."),
    N_("records two PCs of one office changed apart: both versions side by side, settled by a person"),
    cli_conflicts_run,
};
