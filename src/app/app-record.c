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

static int app_same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The values given, less those someone else changed since base while this
 * person did not (theirs stay); the clashes where both did. */
static size_t app_record_merge(struct store *st, const struct formdef_form *form, const char *table, const char *id,
                               char *const *base, const struct store_kv *kv, size_t n, struct store_kv *out,
                               struct app_clashes *c)
{
	size_t m = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = 0;
		while (i < form->nfields && strcmp(form->fields[i].id, kv[k].col) != 0)
			i++;
		char *now = i < form->nfields ? store_record_value(st, table, id, kv[k].col) : NULL;
		int theirs = i < form->nfields && !app_same(now, base[i]);
		if (!theirs || app_same(kv[k].val, now)) {
			out[m++] = kv[k];
		} else if (!app_same(kv[k].val, base[i])) {
			c->v = xalloc_realloc(c->v, (c->n + 1) * sizeof *c->v);
			struct app_clash *x = &c->v[c->n++];
			*x = (struct app_clash){form->fields[i].id,
			                        form->fields[i].label,
			                        xalloc_strdup(now ? now : ""),
			                        xalloc_strdup(kv[k].val ? kv[k].val : ""),
			                        "?",
			                        ""};
			store_field_changed(st, id, x->field, x->who, x->at);
		}
		free(now);
	}
	return m;
}

void app_clashes_release(struct app_clashes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].theirs);
		free(c->v[i].mine);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

int app_record_save_over(struct store *st, const struct formdef_set *forms, const char *table, const char *id,
                         char *const *base, const struct store_kv *kv, size_t n, char new_id[STORE_ID_LEN + 1],
                         struct app_clashes *clashes, struct mh_error *err)
{
	const struct formdef_form *form = forms ? formdef_form(forms, table) : NULL;
	memset(clashes, 0, sizeof *clashes);
	if (!form || !id || !base)
		return app_record_save(st, forms, table, id, kv, n, new_id, err);
	/* what is read here decides what is written: under the write lock */
	if (store_begin(st, err) < 0)
		return -1;
	struct store_kv *mine = xalloc_calloc(n + 1, sizeof *mine);
	size_t m = app_record_merge(st, form, table, id, base, kv, n, mine, clashes);
	int rc;
	if (clashes->n) {
		const struct app_clash *x = &clashes->v[0];
		rc = mh_error_set(err, MH_EFAIL,
		                  _("%s changed this record at %.5s (UTC) while it was open here; nothing was saved"),
		                  x->who, x->at[0] ? x->at + 11 : "?");
		mh_error_where(err, "%s", clashes->v[0].field);
	} else {
		rc = app_record_save(st, forms, table, id, mine, m, new_id, err);
	}
	free(mine);
	return store_end(st, rc == 0, err);
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
