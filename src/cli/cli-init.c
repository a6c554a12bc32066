/* mohinh init --unit CODE [--on DATE] [--name TEXT] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "xalloc.h"
#include "store-unit.h"
#include "store-user.h"

/* mkdir -p for the folder of the default database */
static void cli_init_make_dirs(const char *path)
{
	char *dir = xalloc_strdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	free(dir);
}

/* A database not made leaves nothing behind: the file, its journals, and the
 * identity the opening wrote beside it. */
static void cli_init_remove(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal", "-sync/.identity"};
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		char *p = xalloc_printf("%s%s", path, suffix[i]);
		unlink(p);
		free(p);
	}
	char *dir = xalloc_printf("%s-sync", path);
	rmdir(dir);
	free(dir);
}

static int cli_init_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *unit = NULL, *name = NULL, *on = NULL;
	const struct cli_arg args[] = {CLI_TEXT("unit", &unit), CLI_TEXT("name", &name), CLI_TEXT("on", &on), CLI_END};
	int first;
	int rc = cli_args(&cli_init_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (!unit || first != argc)
		return cli_usage(&cli_init_command);
	/* the office of a unit in force today; a past one (an office re-entering old data) with --on */
	char today[11];
	if (!on) {
		store_today(today);
		on = today;
	} else if (!store_date_valid(on)) {
		return cli_fail(MH_EUSAGE, _("a date must be a real date, written YYYY-MM-DD: %s"), on);
	}
	if (ctx->db_default)
		cli_init_make_dirs(ctx->db_path);
	struct store *st;
	rc = cli_open(ctx, STORE_CREATE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	if (store_office_init(st, unit, on, name, &err) < 0) {
		store_free(st);
		cli_init_remove(ctx->db_path);
		return cli_report(&err);
	}
	const struct store_office *o = store_office_get(st);
	char gso[12];
	printf(_("Created %s for %s (unit %s), office id %s.\n"), ctx->db_path, o->name,
	       store_unit_gso(o->unit_code, gso), o->id);
	/* on a terminal, the first run makes the admin account; a script adds it
	 * later with mohinh user add (until then the office is being set up) */
	if (isatty(STDIN_FILENO)) {
		char pw[1100];
		printf("%s\n", _("The admin account 'admin' is made now (Enter alone: later, with mohinh user add)."));
		int r;
		/* asked again while the two differ or the password is refused; Enter alone stops */
		while ((r = cli_new_password(_("Password for 'admin' (at least 8 characters):"), pw, sizeof pw)) !=
		       MH_EFAIL) {
			if (r != 0)
				continue;
			if (store_user_add(st, "admin", "admin", pw, &err) == 0) {
				printf(_("The account '%s' is added.\n"), "admin");
				break;
			}
			cli_report(&err);
		}
		memset(pw, 0, sizeof pw);
	}
	store_free(st);
	return MH_OK;
}

const struct cli_command cli_init_command = {
    "init",
    N_("--unit CODE [--on DATE] [--name TEXT]"),
    N_("create the database of this office (a province or commune in force today; a past unit, "
       "for an office re-entering old data, with --on)"),
    cli_init_run,
};
