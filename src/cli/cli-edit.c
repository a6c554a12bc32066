/* mohinh edit TABLE ID COLUMN=VALUE... | --delete: changes fields of a
 * model, point or evaluation from a script, through the same checks as the
 * forms (an empty VALUE clears the field), or deletes it (a tombstone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "xalloc.h"

static int cli_edit_run(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 4 || argc - 3 > 32)
		return cli_usage(&cli_edit_command);
	int del = argc == 4 && strcmp(argv[3], "--delete") == 0;
	struct store_kv kv[32];
	for (int i = 3; i < argc && !del; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i])
			return cli_usage(&cli_edit_command);
		*eq = '\0';
		kv[i - 3].col = argv[i];
		kv[i - 3].val = eq[1] ? eq + 1 : NULL;
	}
	struct store *st;
	int rc = cli_open(ctx, STORE_WRITE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	/* the form's rules too (a stopped point needs its stop day), as on the screen */
	struct formdef_set *forms = del ? NULL : cli_forms(st);
	if (!del && !forms)
		rc = MH_EDATA; /* the forms' errors are said */
	else if ((del ? store_record_delete(st, argv[1], argv[2], &err)
	              : app_record_save(st, forms, argv[1], argv[2], kv, (size_t)(argc - 3), NULL, &err)) < 0)
		rc = cli_report(&err);
	formdef_free(forms);
	store_free(st);
	return rc;
}

const struct cli_command cli_edit_command = {
    "edit",
    N_("model|point|evaluation ID COLUMN=VALUE... | --delete"),
    N_("changes fields of a record, checked as on the forms, or deletes it"),
    cli_edit_run,
};
