/* mohinh review list [--state S] | submit ID | approve ID | return ID --reason TEXT | reopen ID --reason TEXT
 * mohinh history ID */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "strbuf.h"
#include "store-user.h"

static int cli_review_print(const struct store_review_row *r, void *ud)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->table, r->id, r->state, r->title, r->prepared_by, r->prepared_at,
	       r->reason);
	return 0;
}

static int cli_review_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *state = NULL, *reason = NULL;
	const struct cli_arg args[] = {
	    CLI_ONE_OF("state", &state, "draft|submitted|approved|returned",
	               N_("--state is draft, submitted, approved or returned, not '%s'")),
	    CLI_TEXT("reason", &reason),
	    CLI_END,
	};
	int first;
	int rc = cli_args(&cli_review_command, args, argc, argv, &first);
	if (rc)
		return rc;
	const char *verb = first < argc ? argv[first] : "";
	const char *id = first + 1 < argc ? argv[first + 1] : NULL;
	int list = strcmp(verb, "list") == 0;
	int needs_reason = strcmp(verb, "return") == 0 || strcmp(verb, "reopen") == 0;
	if ((list && (id || reason)) || (!list && (!id || first + 2 != argc)) || (!list && state) ||
	    (reason && !needs_reason) || (!list && strcmp(verb, "submit") && strcmp(verb, "approve") && !needs_reason))
		return cli_usage(&cli_review_command);
	if (needs_reason && !reason)
		return cli_fail(MH_EUSAGE, _("a reason is required: --reason TEXT"));
	struct store *st;
	rc = cli_open(ctx, list ? STORE_READ : STORE_WRITE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	int r;
	if (list)
		r = store_review_list(st, state, cli_review_print, NULL, &err);
	else if (strcmp(verb, "submit") == 0)
		r = store_review_submit(st, id, &err);
	else if (strcmp(verb, "approve") == 0)
		r = store_review_approve(st, id, 0, &err);
	else if (strcmp(verb, "return") == 0)
		r = store_review_return(st, id, reason, 0, &err);
	else
		r = store_review_reopen(st, id, reason, &err);
	if (r < 0) {
		rc = cli_report(&err);
	} else if (!list) {
		struct store_review_row row;
		if (store_review_get(st, id, &row, &err) == 0)
			printf(_("%s %s: %s\n"), row.table, row.id, store_state_label(row.state));
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_review_command = {
    "review",
    N_("list [--state S] | submit ID | approve ID | return ID --reason TEXT | reopen ID --reason TEXT"),
    N_("the review of records: officers submit, leaders approve or return (never their own)"),
    cli_review_run,
};

static int cli_history_print(const struct store_history_row *h, void *ud)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s\t%s\t%s\n", h->at, h->user, h->action, h->field, h->old, h->now);
	return 0;
}

static int cli_history_run(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(&cli_history_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct store_review_row row;
	if (store_review_get(st, argv[1], &row, &err) < 0 ||
	    store_history(st, argv[1], cli_history_print, NULL, &err) < 0)
		rc = cli_report(&err);
	store_free(st);
	return rc;
}

const struct cli_command cli_history_command = {
    "history",
    N_("ID"),
    N_("every change of a record: when, who, what, old and new value, state changes and reasons"),
    cli_history_run,
};
