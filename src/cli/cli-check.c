/* mohinh check */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "store-unit.h"

static void cli_check_unit(const char *what, void *ud)
{
	(void)ud;
	printf("  %s\n", what);
}

static int cli_check_run(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cli_check_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct store_check_report r;
	if (store_check(st, &r, &err) < 0) {
		rc = cli_report(&err);
	} else {
		const struct store_office *o = store_office_get(st);
		printf("%s: %s\n", _("integrity"), r.integrity);
		printf("%s: %d\n", _("foreign key errors"), r.foreign_key_errors);
		printf("%s: %d\n", _("schema version"), r.schema_version);
		char gso[12];
		printf("%s: %s (%s)\n", _("office"), o ? o->name : "-", o ? store_unit_gso(o->unit_code, gso) : "-");
		printf("%s: %ld\n%s: %ld\n%s: %ld\n%s: %ld\n%s: %ld\n", _("units"), r.units, _("models"), r.models,
		       _("points"), r.points, _("evaluations"), r.evaluations, _("audit entries"), r.audit);
		printf("%s: %s\n", _("audit chain"), r.audit_broken[0] ? _("broken") : "ok");
		if (r.audit_broken[0])
			printf(_("the first audit entry that does not follow the one before: %s\n"), r.audit_broken);
		/* the invariants of unit versions and links (units.md) */
		long bad = store_unit_check(st, NULL, NULL, &err);
		if (bad < 0)
			return cli_report(&err);
		printf("%s: %s\n", _("unit versions and links"), bad ? _("broken") : "ok");
		if (bad > 0)
			store_unit_check(st, cli_check_unit, NULL, &err);
		/* how the file is kept: said, not a failure of the data */
		struct store_at_rest rest;
		store_at_rest(st, &rest);
		printf("%s: %s\n", _("encrypted disk"),
		       rest.encrypted > 0    ? _("yes")
		       : rest.encrypted == 0 ? _("no")
		                             : _("cannot tell"));
		printf("%s: %04o\n", _("file mode"), rest.mode);
		struct strbuf warn;
		strbuf_init(&warn);
		if (app_at_rest_text(&rest, &warn))
			fputs(warn.buf, stderr);
		strbuf_release(&warn);
		if (strcmp(r.integrity, "ok") != 0 || r.foreign_key_errors || r.audit_broken[0] || bad)
			rc = MH_EDATA;
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_check_command = {
    "check",
    "",
    N_("check the database: integrity, schema version, counts, the audit chain, unit versions and links"),
    cli_check_run,
};
