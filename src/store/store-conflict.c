/* Conflicts: two PCs of one office changed the same record apart. Their
 * version waits here, beside ours, until a person keeps one or takes
 * fields of theirs; nothing is overwritten silently. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "store.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

int store_conflict_list(struct store *st, int all, store_conflict_fn fn, void *ud, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "SELECT c.id, c.at, c.tbl, c.record_id, coalesce(o.name, json_extract(c.theirs, '$.owner')),"
	                  " coalesce(json_extract(c.theirs, '$.name'), json_extract(c.theirs, '$.place'),"
	                  " json_extract(c.theirs, '$.period_from'), ''), c.resolution, c.resolved_by"
	                  " FROM conflict c LEFT JOIN office o ON o.id = json_extract(c.theirs, '$.owner')"
	                  " WHERE ?1 OR c.resolved_at IS NULL ORDER BY c.id",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_int(stmt, 1, all);
	int rc = 0;
	while (rc == 0 && sqlite3_step(stmt) == SQLITE_ROW) {
		struct store_conflict c = {sqlite3_column_int64(stmt, 0), store_text(stmt, 1), store_text(stmt, 2),
		                           store_text(stmt, 3),           store_text(stmt, 4), store_text(stmt, 5),
		                           store_text(stmt, 6),           store_text(stmt, 7)};
		rc = fn(&c, ud);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* The table, record and their version of a conflict still waiting. */
static int store_conflict_get(struct store *st, long long id, char *table, size_t tcap, char **record, char **theirs,
                              int *resolved, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT tbl, record_id, theirs, resolved_at IS NOT NULL FROM conflict WHERE id = ?",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = 0;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		store_copy(table, tcap, store_text(stmt, 0));
		*record = xalloc_strdup(store_text(stmt, 1));
		*theirs = xalloc_strdup(store_text(stmt, 2));
		*resolved = sqlite3_column_int(stmt, 3);
	} else {
		rc = mh_error_set(err, MH_EUSAGE, _("there is no conflict number %lld"), id);
	}
	sqlite3_finalize(stmt);
	return rc;
}

int store_conflict_show(struct store *st, long long id, store_conflict_field_fn fn, void *ud, struct mh_error *err)
{
	char table[16], *record, *theirs;
	int resolved;
	if (store_conflict_get(st, id, table, sizeof table, &record, &theirs, &resolved, err) < 0)
		return -1;
	const struct store_table *t = store_schema_table(table);
	int rc = t ? 0 : mh_error_set(err, MH_EDATA, _("no such table: %s"), table);
	sqlite3_stmt *stmt = NULL;
	/* the fields a person reads, then who made each version */
	for (size_t i = 0; rc == 0 && t && i <= t->ncols + 2; i++) {
		const char *col = i < t->ncols        ? t->cols[i].name
		                  : i == t->ncols     ? "updated_at"
		                  : i == t->ncols + 1 ? "updated_by"
		                                      : "rev";
		char *sql =
		    xalloc_printf("SELECT %s, json_extract(?2, '$.%s') FROM main.%s WHERE id = ?1", col, col, table);
		rc = store_prepare(st, sql, &stmt, err);
		free(sql);
		if (rc < 0)
			break;
		sqlite3_bind_text(stmt, 1, record, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, theirs, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			const char *a = (const char *)sqlite3_column_text(stmt, 0),
			           *b = (const char *)sqlite3_column_text(stmt, 1);
			struct store_conflict_field f = {
			    col, a, b, i < t->ncols && !((!a && !b) || (a && b && strcmp(a, b) == 0))};
			rc = fn(&f, ud);
		}
		sqlite3_finalize(stmt);
	}
	free(record);
	free(theirs);
	return rc;
}

int store_conflict_resolve(struct store *st, long long id, const char *take, struct mh_error *err)
{
	if (store_user_gate(st, err) < 0)
		return -1;
	char table[16], *record, *theirs;
	int resolved;
	if (store_conflict_get(st, id, table, sizeof table, &record, &theirs, &resolved, err) < 0)
		return -1;
	const struct store_table *t = store_schema_table(table);
	int ok = 1;
	if (resolved)
		ok = mh_error_set(err, MH_EFAIL, _("the conflict %lld was already resolved"), id) == 0;
	/* the fields taken from their version: all, some, or none (ours kept) */
	struct store_kv kv[24];
	char *vals[24] = {0};
	size_t n = 0;
	for (size_t i = 0; ok && t && take && i < t->ncols && n < 24; i++) {
		const char *col = t->cols[i].name;
		size_t cl = strlen(col);
		int wanted = strcmp(take, "*") == 0;
		for (const char *p = take; !wanted && (p = strstr(p, col)); p += cl)
			wanted = (p == take || p[-1] == ',') && (p[cl] == ',' || p[cl] == '\0');
		if (!wanted)
			continue;
		sqlite3_stmt *stmt;
		char *sql = xalloc_printf("SELECT json_extract(?, '$.%s')", col);
		ok = store_prepare(st, sql, &stmt, err) == 0;
		free(sql);
		if (!ok)
			break;
		sqlite3_bind_text(stmt, 1, theirs, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
			vals[n] = xalloc_strdup((const char *)sqlite3_column_text(stmt, 0));
		sqlite3_finalize(stmt);
		kv[n].col = col;
		kv[n].val = vals[n];
		n++;
	}
	if (ok && take && strcmp(take, "*") != 0 && n == 0)
		ok = mh_error_set(err, MH_EUSAGE, _("none of the fields '%s' is a field of the %s"), take, table) == 0;
	ok = ok && store_begin(st, err) == 0;
	if (ok && n) {
		st->resolving = 1;
		ok = store_record_update(st, table, record, kv, n, err) == 0;
		st->resolving = 0;
	}
	if (ok) {
		char now[21];
		store_now(now);
		const char *how = !take ? "ours" : strcmp(take, "*") == 0 ? "theirs" : take;
		sqlite3_stmt *stmt;
		ok = store_prepare(st,
		                   "UPDATE conflict SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
		                   &stmt, err) == 0;
		if (ok) {
			sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, st->user, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 3, how, -1, SQLITE_STATIC);
			sqlite3_bind_int64(stmt, 4, id);
			int rc = sqlite3_step(stmt);
			sqlite3_finalize(stmt);
			ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
		}
		ok = ok && store_audit(st, table, record, "update", "conflict", NULL, how, err) == 0;
		ok = store_end(st, ok, err) == 0;
	}
	for (size_t i = 0; i < n; i++)
		free(vals[i]);
	free(record);
	free(theirs);
	return ok ? 0 : -1;
}
