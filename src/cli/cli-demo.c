/* mohinh demo */
#include <stdio.h>

#include "cli.h"
#include "demo.h"
#include "i18n.h"
#include "store.h"

static int cli_demo_run(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cli_demo_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_WRITE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct demo_result r;
	if (demo_load(st, &r, &err) < 0)
		rc = cli_report(&err);
	else
		printf(_("Demo data: %d models, %d points, %d evaluations and %d historic units added; %d already "
		         "there.\n"),
		       r.models, r.points, r.evaluations, r.units, r.skipped);
	store_free(st);
	return rc;
}

const struct cli_command cli_demo_command = {
    "demo",
    "",
    N_("load the demo data (the 2017 Bình Thuận report) that lies in this office's area"),
    cli_demo_run,
};
