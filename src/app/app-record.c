/* Saving a record under its form's rules (app.h), for every front-end. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "xalloc.h"
#include "store-unit.h"

/* An old unit, from its form's values: the unit table has rules of its own
 * (store_unit_add). */
static int app_unit_add(struct store *st, const char *id, const struct store_kv *kv, size_t n,
                        char new_id[STORE_ID_LEN + 1], struct mh_error *err)
{
	if (id)
		return mh_error_set(err, MH_EUSAGE,
		                    _("a unit version is not changed: add the version that follows it"));
	struct store_unit u;
	memset(&u, 0, sizeof u);
	for (size_t i = 0; i < n; i++)
		if (kv[i].val && store_unit_set(&u, kv[i].col, kv[i].val) < 0) {
			mh_error_set(err, MH_EDATA, _("'%s' is too long"), kv[i].val);
			mh_error_where(err, "%s", kv[i].col);
			return -1;
		}
	if (store_unit_add(st, &u, err) < 0) {
		/* name the field the store refused, where it can tell */
		if (!err->where[0])
			mh_error_where(err, "%s", strstr(err->msg, u.code) ? "code" : "parent_code");
		return -1;
	}
	if (new_id)
		snprintf(new_id, STORE_ID_LEN + 1, "%s", u.code);
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
	int *hidden = xalloc_calloc(nf + 1, sizeof *hidden);
	long missing = form ? formdef_rules(form, (const char *const *)vals, hidden) : -1;
	struct store_kv *out = xalloc_calloc(n + nf + 1, sizeof *out);
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		out[m++] = kv[k];
	/* a hidden field holds nothing (a stop day once the point works again) */
	for (size_t i = 0; i < nf; i++) {
		if (!hidden[i])
			continue;
		if (vals[i] && *vals[i] && !given[i])
			out[m++] = (struct store_kv){form->fields[i].id, NULL};
		for (size_t k = 0; k < m; k++)
			if (strcmp(out[k].col, form->fields[i].id) == 0)
				out[k].val = NULL;
	}
	int rc = 0;
	if (missing >= 0) {
		rc = mh_error_set(err, MH_EDATA, _("%s: a value is required"), form->fields[missing].label);
		mh_error_where(err, "%s", form->fields[missing].id);
	}
	if (rc == 0 && strcmp(table, "unit") == 0)
		rc = app_unit_add(st, id, out, m, new_id, err);
	else if (rc == 0)
		rc = id ? store_record_update(st, table, id, out, m, err)
		        : store_record_insert(st, table, out, m, new_id, err);
	for (size_t i = 0; i < nf; i++)
		free(vals[i]);
	free(vals);
	free(given);
	free(hidden);
	free(out);
	return rc;
}
