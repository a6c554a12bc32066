/* The list of models, a page at a time (keyset: after a (name_key, id)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "strbuf.h"
#include "xalloc.h"

int store_model_page(struct store *st, const struct store_model_filter *f, const char *after_key, int backward,
                     struct store_model_row *rows, int limit, struct mh_error *err)
{
	char *fold = store_fold(f && f->search ? f->search : "");
	char *words[16];
	int nwords = 0;
	for (char *save = NULL, *w = strtok_r(fold, " \t", &save); w && nwords < 16; w = strtok_r(NULL, " \t", &save))
		words[nwords++] = w;
	enum store_model_sort sort = f ? f->sort : STORE_SORT_NAME;
	/* the key of a row: what it sorts by, then the id; a space (below every
	 * key byte) between the parts keeps the order of the parts */
	static const char *const keys[] = {
	    "m.name_key || ' ' || m.id",
	    "coalesce(m.launched_on, '0000-00-00') || ' ' || m.name_key || ' ' || m.id",
	    "u.name_key || ' ' || m.name_key || ' ' || m.id",
	};
	char *after_name = NULL;
	const char *after_id = "";
	if (after_key && sort == STORE_SORT_NAME) {
		const char *sp = strrchr(after_key, ' ');
		after_name = xalloc_strdup(after_key);
		if (sp) {
			after_name[sp - after_key] = '\0';
			after_id = sp + 1;
		}
	}
	struct strbuf sql;
	strbuf_init(&sql);
	int unit = f && f->unit_code && *f->unit_code;
	if (unit)
		strbuf_adds(&sql, "WITH RECURSIVE " STORE_UNIT_AREA("sub", "?1") " ");
	strbuf_adds(&sql, "SELECT m.id, coalesce(m.code, ''), m.name, u.name, coalesce(c.label, m.field),"
	                  " (SELECT count(*) FROM point p WHERE p.model_id = m.id AND p.deleted = 0),"
	                  " coalesce(m.launched_on, ''), m.state,"
	                  " coalesce((SELECT coalesce(r.label, e.rating) FROM evaluation e LEFT JOIN choice r"
	                  " ON r.list = 'rating' AND r.code = e.rating WHERE e.model_id = m.id AND e.deleted = 0"
	                  " AND e.rating IS NOT NULL ORDER BY e.period_to DESC LIMIT 1), ''), ");
	strbuf_adds(&sql, keys[sort]);
	strbuf_adds(&sql, " FROM model m JOIN unit u ON u.code = m.unit_code"
	                  " LEFT JOIN choice c ON c.list = 'field' AND c.code = m.field"
	                  " WHERE m.deleted = 0");
	/* search_all: the model's words and its points' (kept by triggers) */
	for (int i = 0; i < nwords; i++)
		strbuf_addf(&sql, " AND instr(m.search_all, ?%d) > 0", 10 + i);
	if (unit)
		strbuf_adds(&sql, " AND (m.unit_code IN sub OR EXISTS (SELECT 1 FROM point p WHERE"
		                  " p.model_id = m.id AND p.deleted = 0 AND p.unit_code IN sub))");
	if (f && f->year)
		strbuf_adds(&sql, " AND substr(m.launched_on, 1, 4) = printf('%04d', ?2)");
	if (f && f->field)
		strbuf_adds(&sql, " AND m.field = ?6");
	if (f && f->state)
		strbuf_adds(&sql, " AND m.state = ?7");
	if (f && f->due_before)
		strbuf_adds(&sql, " AND EXISTS (SELECT 1 FROM point p WHERE p.model_id = m.id AND p.deleted = 0"
		                  " AND p.status <> 'dung' AND coalesce(p.last_evaluated, '0000-00-00') < ?8)");
	const char *dir = backward ? "DESC" : "ASC";
	if (after_key && sort == STORE_SORT_NAME)
		strbuf_addf(&sql, " AND (m.name_key, m.id) %s (?3, ?4)", backward ? "<" : ">");
	else if (after_key)
		strbuf_addf(&sql, " AND %s %s ?3", keys[sort], backward ? "<" : ">");
	if (sort == STORE_SORT_NAME) /* the index model_key serves this order */
		strbuf_addf(&sql, " ORDER BY m.name_key %s, m.id %s LIMIT ?5", dir, dir);
	else
		strbuf_addf(&sql, " ORDER BY %s %s LIMIT ?5", keys[sort], dir);

	sqlite3_stmt *stmt;
	int count = -1;
	if (store_prepare_built(st, sql.buf, &stmt, err) == 0) {
		if (unit)
			sqlite3_bind_text(stmt, 1, f->unit_code, -1, SQLITE_STATIC);
		if (f && f->year)
			sqlite3_bind_int(stmt, 2, f->year);
		if (after_key && sort == STORE_SORT_NAME) {
			sqlite3_bind_text(stmt, 3, after_name, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 4, after_id, -1, SQLITE_STATIC);
		} else if (after_key) {
			sqlite3_bind_text(stmt, 3, after_key, -1, SQLITE_STATIC);
		}
		sqlite3_bind_int(stmt, 5, limit);
		if (f && f->field)
			sqlite3_bind_text(stmt, 6, f->field, -1, SQLITE_STATIC);
		if (f && f->state)
			sqlite3_bind_text(stmt, 7, f->state, -1, SQLITE_STATIC);
		if (f && f->due_before)
			sqlite3_bind_text(stmt, 8, f->due_before, -1, SQLITE_STATIC);
		for (int i = 0; i < nwords; i++)
			sqlite3_bind_text(stmt, 10 + i, words[i], -1, SQLITE_STATIC);
		int step = SQLITE_DONE;
		count = 0;
		while (count < limit && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct store_model_row *r = &rows[count++];
			store_copy(r->id, sizeof r->id, store_text(stmt, 0));
			r->mem = store_row_texts(
			    stmt,
			    (char **const[]){&r->code, &r->name, &r->unit_name, &r->field, &r->last_rating, &r->key},
			    (const int[]){1, 2, 3, 4, 8, 9}, 6);
			r->points = sqlite3_column_int(stmt, 5);
			store_copy(r->launched_on, sizeof r->launched_on, store_text(stmt, 6));
			store_copy(r->state, sizeof r->state, store_text(stmt, 7));
		}
		if (count < limit && step != SQLITE_DONE) {
			store_rows_release(rows, (size_t)count, sizeof *rows);
			count = store_fail(st, step, err);
		}
		store_unprepare(st, stmt);
	}
	if (backward && count > 1) {
		for (int i = 0, j = count - 1; i < j; i++, j--) {
			struct store_model_row tmp = rows[i];
			rows[i] = rows[j];
			rows[j] = tmp;
		}
	}
	strbuf_release(&sql);
	free(fold);
	free(after_name);
	return count;
}
