/* The list of models, a page at a time (keyset: after a (name_key, id)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "strbuf.h"

int store_model_page(struct store *st, const struct store_model_filter *f, const char *after_key, const char *after_id,
                     int backward, struct store_model_row *rows, int limit, struct mh_error *err)
{
	char *fold = store_fold(f && f->search ? f->search : "");
	char *words[16];
	int nwords = 0;
	for (char *save = NULL, *w = strtok_r(fold, " \t", &save); w && nwords < 16; w = strtok_r(NULL, " \t", &save))
		words[nwords++] = w;

	struct strbuf sql;
	strbuf_init(&sql);
	int unit = f && f->unit_code && *f->unit_code;
	if (unit)
		strbuf_adds(&sql, "WITH RECURSIVE sub(c) AS (SELECT ?1 UNION ALL"
		                  " SELECT code FROM unit, sub WHERE parent_code = sub.c) ");
	strbuf_adds(&sql, "SELECT m.id, coalesce(m.code, ''), m.name, u.name, coalesce(c.label, m.field),"
	                  " (SELECT count(*) FROM point p WHERE p.model_id = m.id AND p.deleted = 0),"
	                  " coalesce(m.launched_on, ''), m.state, m.name_key"
	                  " FROM model m JOIN unit u ON u.code = m.unit_code"
	                  " LEFT JOIN choice c ON c.list = 'field' AND c.code = m.field"
	                  " WHERE m.deleted = 0");
	for (int i = 0; i < nwords; i++)
		strbuf_addf(&sql,
		            " AND (instr(m.search, ?%d) > 0 OR EXISTS (SELECT 1 FROM point p WHERE"
		            " p.model_id = m.id AND p.deleted = 0 AND instr(p.search, ?%d) > 0))",
		            10 + i, 10 + i);
	if (unit)
		strbuf_adds(&sql, " AND (m.unit_code IN sub OR EXISTS (SELECT 1 FROM point p WHERE"
		                  " p.model_id = m.id AND p.deleted = 0 AND p.unit_code IN sub))");
	if (f && f->year)
		strbuf_adds(&sql, " AND substr(m.launched_on, 1, 4) = printf('%04d', ?2)");
	if (after_key && after_id)
		strbuf_addf(&sql, " AND (m.name_key, m.id) %s (?3, ?4)", backward ? "<" : ">");
	strbuf_addf(&sql, " ORDER BY m.name_key %s, m.id %s LIMIT ?5", backward ? "DESC" : "ASC",
	            backward ? "DESC" : "ASC");

	sqlite3_stmt *stmt;
	int count = -1;
	if (store_prepare(st, sql.buf, &stmt, err) == 0) {
		if (unit)
			sqlite3_bind_text(stmt, 1, f->unit_code, -1, SQLITE_STATIC);
		if (f && f->year)
			sqlite3_bind_int(stmt, 2, f->year);
		if (after_key && after_id) {
			sqlite3_bind_text(stmt, 3, after_key, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 4, after_id, -1, SQLITE_STATIC);
		}
		sqlite3_bind_int(stmt, 5, limit);
		for (int i = 0; i < nwords; i++)
			sqlite3_bind_text(stmt, 10 + i, words[i], -1, SQLITE_STATIC);
		int step;
		count = 0;
		while (count < limit && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct store_model_row *r = &rows[count++];
			store_copy(r->id, sizeof r->id, store_text(stmt, 0));
			store_copy(r->code, sizeof r->code, store_text(stmt, 1));
			store_copy(r->name, sizeof r->name, store_text(stmt, 2));
			store_copy(r->unit_name, sizeof r->unit_name, store_text(stmt, 3));
			store_copy(r->field, sizeof r->field, store_text(stmt, 4));
			r->points = sqlite3_column_int(stmt, 5);
			store_copy(r->launched_on, sizeof r->launched_on, store_text(stmt, 6));
			store_copy(r->state, sizeof r->state, store_text(stmt, 7));
			store_copy(r->key, sizeof r->key, store_text(stmt, 8));
		}
		if (count < limit && step != SQLITE_DONE)
			count = store_fail(st, step, err);
		sqlite3_finalize(stmt);
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
	return count;
}
