/* Settings (the input method of each user...), drafts of unsaved forms, and
 * the choice lists of the form files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "i18n.h"
#include "store-internal.h"
#include "xalloc.h"

char *store_setting_get(struct store *st, const char *key)
{
	sqlite3_stmt *stmt;
	char *v = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM setting WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = xalloc_strdup(store_text(stmt, 0));
	sqlite3_finalize(stmt);
	return v;
}

/* Runs one statement with text parameters (NULL ends the list). */
static int store_setting_exec(struct store *st, const char *sql, struct mh_error *err, const char *a, const char *b,
                              const char *c, const char *d, const char *e)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	const char *v[] = {a, b, c, d, e};
	for (int i = 0; i < 5 && v[i]; i++)
		sqlite3_bind_text(stmt, i + 1, v[i], -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

int store_setting_put(struct store *st, const char *key, const char *value, struct mh_error *err)
{
	return store_setting_exec(st,
	                          "INSERT INTO setting (key, value) VALUES (?, ?)"
	                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                          err, key, value, NULL, NULL, NULL);
}

int store_draft_put(struct store *st, const char *form, const char *record, const char *fields, struct mh_error *err)
{
	char now[21];
	store_now(now);
	return store_setting_exec(st,
	                          "INSERT INTO draft (form, record, user, fields, saved_at) VALUES (?, ?, ?, ?, ?)"
	                          " ON CONFLICT (form, record, user) DO UPDATE SET fields = excluded.fields,"
	                          " saved_at = excluded.saved_at",
	                          err, form, record, st->user, fields, now);
}

char *store_draft_get(struct store *st, const char *form, const char *record, char saved_at[21])
{
	sqlite3_stmt *stmt;
	char *v = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT fields, saved_at FROM draft WHERE form = ? AND record = ? AND user = ?",
	                       -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(stmt, 1, form, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, record, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, st->user, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		v = xalloc_strdup(store_text(stmt, 0));
		store_copy(saved_at, 21, store_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	return v;
}

int store_draft_delete(struct store *st, const char *form, const char *record, struct mh_error *err)
{
	return store_setting_exec(st, "DELETE FROM draft WHERE form = ? AND record = ? AND user = ?", err, form, record,
	                          st->user, NULL, NULL);
}

int store_choice_sync(struct store *st, const struct formdef_set *forms, struct mh_error *err)
{
	if (store_begin(st, err) < 0)
		return -1;
	int ok = 1;
	for (size_t i = 0; ok && i < forms->nlists; i++) {
		const struct formdef_list *l = &forms->lists[i];
		for (size_t k = 0; ok && k < l->n; k++) {
			char ord[24];
			snprintf(ord, sizeof ord, "%zu", k + 1);
			ok = store_setting_exec(
			         st,
			         "INSERT INTO choice (list, code, label, ord) VALUES (?, ?, ?, ?)"
			         " ON CONFLICT (list, code) DO UPDATE SET label = excluded.label,"
			         " ord = excluded.ord WHERE label <> excluded.label OR ord <> excluded.ord",
			         err, l->name, l->items[k].code, l->items[k].label, ord, NULL) == 0;
		}
	}
	return store_end(st, ok, err);
}

int store_choice_mark_inactive(struct store *st, struct formdef_set *forms, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT active FROM choice WHERE list = ? AND code = ?", &stmt, err) < 0)
		return -1;
	for (size_t i = 0; i < forms->nlists; i++)
		for (size_t k = 0; k < forms->lists[i].n; k++) {
			struct formdef_choice *c = &forms->lists[i].items[k];
			sqlite3_reset(stmt);
			sqlite3_bind_text(stmt, 1, forms->lists[i].name, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, c->code, -1, SQLITE_STATIC);
			c->inactive = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) == 0;
		}
	sqlite3_finalize(stmt);
	return 0;
}

int store_forms_files(struct store *st, const char *dir, struct formdef_files *files, struct formdef_errors *errs)
{
	if (formdef_read_dir(dir, files, errs) < 0)
		return -1;
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(st->db, "SELECT name, text FROM form_text ORDER BY name", -1, &stmt, NULL) != SQLITE_OK)
		return 0; /* a database from before schema 6, read only: the folder's alone */
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char *name = xalloc_printf("%s/%s", _("(from the office above)"), store_text(stmt, 0));
		formdef_files_put(files, name, store_text(stmt, 1));
		free(name);
	}
	sqlite3_finalize(stmt);
	return 0;
}

struct formdef_set *store_forms_load(struct store *st, const char *dir, struct formdef_errors *errs)
{
	struct formdef_files files;
	if (store_forms_files(st, dir, &files, errs) < 0)
		return NULL;
	struct formdef_set *set =
	    formdef_load_texts((const char *const *)files.names, (const char *const *)files.texts, files.n, errs);
	formdef_files_release(&files);
	store_forms_check(set, errs);
	return set;
}
