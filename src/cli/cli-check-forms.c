/* mohinh check-forms [DIR]: every error of the form files, with file:line,
 * and whether each field fits the column it fills. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "formdef.h"
#include "i18n.h"
#include "store.h"

/* The kind of column each field type may fill. */
static const char *cli_check_forms_kind(enum formdef_type t)
{
	static const char *const kinds[] = {"text",   "longtext", "integer", "date",
	                                    "choice", "choices",  "unit",    "yesno"};
	return kinds[t];
}

static int cli_check_forms_run(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc > 2)
		return cli_usage(&cli_check_forms_command);
	const char *dir = argc == 2 ? argv[1] : cli_forms_dir();
	struct formdef_errors errs = {NULL, 0};
	struct formdef_set *set = formdef_load(dir, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	size_t misfits = 0;
	for (size_t i = 0; set && i < set->nforms; i++) {
		const struct formdef_form *form = &set->forms[i];
		if (!store_form_table(form->table)) {
			fprintf(stderr, "%s: %s\n", form->file, _("the table is not model, point, evaluation or unit"));
			misfits++;
			continue;
		}
		for (size_t k = 0; k < form->nfields; k++) {
			const struct formdef_field *f = &form->fields[k];
			const char *kind, *list;
			const char *want = cli_check_forms_kind(f->type);
			if (!store_form_column(form->table, f->id, &kind, &list)) {
				fprintf(stderr, "%s:%d: %s\n", form->file, f->line, _("the table has no such field"));
				misfits++;
			} else if (strcmp(kind, want) != 0 &&
			           !(strcmp(kind, "longtext") == 0 && f->type == FORMDEF_TEXT) &&
			           !(strcmp(kind, "text") == 0 && f->type == FORMDEF_LONGTEXT)) {
				fprintf(stderr, "%s:%d: %s\n", form->file, f->line,
				        _("the type does not fit the column"));
				misfits++;
			} else if (strcmp(kind, "choice") == 0 && strcmp(list, f->list) != 0) {
				fprintf(stderr, "%s:%d: %s\n", form->file, f->line,
				        _("the column takes another choice list"));
				misfits++;
			}
		}
	}
	int rc = errs.n || misfits ? MH_EDATA : MH_OK;
	if (rc == MH_OK)
		printf(_("%s: %zu forms and %zu choice lists, no error.\n"), dir, set->nforms, set->nlists);
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
