/* mohinh check-forms [DIR]: every error of the form files, with file:line,
 * and whether each field fits the column it fills. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "formdef.h"
#include "i18n.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

static int cli_check_forms_run(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc > 2)
		return cli_usage(&cli_check_forms_command);
	const char *dir = argc == 2 ? argv[1] : cli_forms_dir();
	struct formdef_errors errs = {NULL, 0};
	struct formdef_set *set = formdef_load(dir, &errs);
	store_forms_check(set, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	int rc = errs.n ? MH_EDATA : MH_OK;
	if (rc == MH_OK) {
		/* the folders read: the first, and the office's that exist */
		struct strbuf used;
		strbuf_init(&used);
		char *dirs = xalloc_strdup(dir), *next = dirs, *one;
		for (int i = 0; (one = strsep(&next, ":")); i++)
			if (i == 0 || access(one, R_OK) == 0)
				strbuf_addf(&used, "%s%s", i ? ":" : "", one);
		printf(_("%s: %zu forms and %zu choice lists, no error.\n"), used.buf, set->nforms, set->nlists);
		strbuf_release(&used);
		free(dirs);
	}
	formdef_errors_release(&errs);
	formdef_free(set);
	return rc;
}

const struct cli_command cli_check_forms_command = {
    "check-forms",
    N_("[DIR]"),
    N_("check the form files (every error, with file:line)"),
    cli_check_forms_run,
};
