/* mohinh user add NAME --role ROLE[,ROLE] | passwd NAME | disable NAME | list
 * Passwords: from the terminal without echo (asked twice), or one line each
 * from standard input (after the acting admin's own, when there are accounts). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "store-user.h"

static int cli_user_print(const struct store_user_row *u, void *ud)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s\t%d\n", u->name, u->roles, u->disabled ? _("disabled") : _("active"), u->created_at,
	       u->failures);
	return 0;
}

static int cli_user_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *roles = NULL;
	const struct cli_arg args[] = {CLI_TEXT("role", &roles), CLI_END};
	int first;
	int rc = cli_args(&cli_user_command, args, argc, argv, &first);
	if (rc)
		return rc;
	const char *verb = first < argc ? argv[first] : "";
	const char *name = first + 1 < argc ? argv[first + 1] : NULL;
	int list = strcmp(verb, "list") == 0;
	if ((list && (name || roles)) || (!list && (!name || first + 2 != argc)) ||
	    (strcmp(verb, "add") == 0) != (roles != NULL) ||
	    (!list && strcmp(verb, "add") && strcmp(verb, "passwd") && strcmp(verb, "disable")))
		return cli_usage(&cli_user_command);
	struct store *st;
	rc = cli_open(ctx, list ? STORE_READ : STORE_WRITE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	char password[1100] = "";
	if (list) {
		if (store_user_list(st, cli_user_print, NULL, &err) < 0)
			rc = cli_report(&err);
	} else if (strcmp(verb, "disable") == 0) {
		if (store_user_disable(st, name, &err) < 0)
			rc = cli_report(&err);
		else
			printf(_("The account '%s' is disabled.\n"), name);
	} else if ((rc = cli_new_password(_("New password (at least 8 characters):"), password, sizeof password)) ==
	           0) {
		int r = strcmp(verb, "add") == 0 ? store_user_add(st, name, roles, password, &err)
		                                 : store_user_passwd(st, name, password, &err);
		if (r < 0)
			rc = cli_report(&err);
		else
			printf(strcmp(verb, "add") == 0 ? _("The account '%s' is added.\n")
			                                : _("The password of '%s' is changed.\n"),
			       name);
	}
	memset(password, 0, sizeof password);
	store_free(st);
	return rc;
}

const struct cli_command cli_user_command = {
    "user",
    N_("add NAME --role officer|leader|admin[,...] | passwd NAME | disable NAME | list"),
    N_("accounts: passwords kept as Argon2id hashes; the first account is the admin"),
    cli_user_run,
};
