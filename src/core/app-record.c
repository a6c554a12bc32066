/* Saving a record under its form's rules (app.h), for every front-end. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "xalloc.h"

/* A condition of the form on the values as stored. */
static int app_holds(const struct formdef_form *form, char *const *vals, const struct formdef_cond *c)
{
	if (!c->field)
		return 1;
	for (size_t i = 0; i < form->nfields; i++)
		if (strcmp(form->fields[i].id, c->field) == 0)
			return vals[i] && *vals[i] && (!c->value || strcmp(vals[i], c->value) == 0);
	return 0;
}

int app_record_save(struct store *st, const struct formdef_set *forms, const char *table, const char *id,
                    const struct store_kv *kv, size_t n, char new_id[STORE_ID_LEN + 1], struct mh_error *err)
{
	const struct formdef_form *form = forms ? formdef_form(forms, table) : NULL;
	size_t nf = form ? form->nfields : 0;
	/* each field's value once saved: given, or the record's */
	char **vals = xalloc_calloc(nf + 1, sizeof *vals);
	int *given = xalloc_calloc(nf + 1, sizeof *given);
	for (size_t i = 0; i < nf; i++) {
		for (size_t k = 0; k < n; k++)
			if (strcmp(kv[k].col, form->fields[i].id) == 0) {
				free(vals[i]);
				vals[i] = kv[k].val ? xalloc_strdup(kv[k].val) : NULL;
				given[i] = 1;
			}
		if (!given[i] && id)
			vals[i] = store_record_value(st, table, id, form->fields[i].id);
	}
	struct store_kv *out = xalloc_calloc(n + nf + 1, sizeof *out);
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		out[m++] = kv[k];
	int rc = 0;
	for (size_t i = 0; i < nf && rc == 0; i++) {
		const struct formdef_field *f = &form->fields[i];
		if (!app_holds(form, vals, &f->show_when)) {
			/* hidden: it holds nothing (a stop day once the point works again) */
			if (vals[i] && *vals[i] && !given[i])
				out[m++] = (struct store_kv){f->id, NULL};
			for (size_t k = 0; k < m; k++)
				if (strcmp(out[k].col, f->id) == 0)
					out[k].val = NULL;
			continue;
		}
		if ((!vals[i] || !*vals[i]) &&
		    (f->required || (f->required_when.field && app_holds(form, vals, &f->required_when)))) {
			rc = mh_error_set(err, MH_EDATA, _("%s: a value is required"), f->label);
			mh_error_where(err, "%s", f->id);
		}
	}
	if (rc == 0)
		rc = id ? store_record_update(st, table, id, out, m, err)
		        : store_record_insert(st, table, out, m, new_id, err);
	for (size_t i = 0; i < nf; i++)
		free(vals[i]);
	free(vals);
	free(given);
	free(out);
	return rc;
}
