/* Points and evaluations, as lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"
#include "strbuf.h"

/* The list order: the point's sort_key (model name, model, unit name, point),
 * or for the due list the date of its latest evaluation, its launch date and
 * its id; both run down an index (schema 3). The key of a row says where it
 * stands, for keyset paging. */
#define STORE_POINT_DUE_COLS "coalesce(p.last_evaluated, '0000-00-00'), coalesce(p.launched_on, '0000-00-00'), p.id"

struct store_point_collect {
	store_point_fn fn;
	void *ud;
	struct store_point_row *rows;
	int n, limit;
};

static int store_point_query(struct store *st, const struct store_point_filter *f, const char *after_key, int backward,
                             int limit, struct store_point_collect *out, struct mh_error *err)
{
	char last[11] = "", launched[11] = "", id[STORE_ID_LEN + 1] = "";
	if (after_key && f->due_before && sscanf(after_key, "%10s %10s %36s", last, launched, id) != 3)
		return mh_error_set(err, MH_EFAIL, "bad list key");
	char *fold = store_fold(f->search ? f->search : "");
	char *words[16];
	int nwords = 0;
	for (char *save = NULL, *w = strtok_r(fold, " \t", &save); w && nwords < 16; w = strtok_r(NULL, " \t", &save))
		words[nwords++] = w;
	struct strbuf sql;
	strbuf_init(&sql);
	if (f->unit_code)
		strbuf_adds(&sql, "WITH RECURSIVE " STORE_UNIT_AREA("sub", "?3") " ");
	strbuf_adds(&sql,
	            "SELECT p.id, p.model_id, m.name, p.unit_code, u.name, coalesce(p.place, ''),"
	            " coalesce(p.launched_on, ''), coalesce(p.teams, ''), coalesce(p.members, ''),"
	            " coalesce(c.label, p.status), coalesce(p.replicated_from, ''), coalesce(fu.name, ''), p.state,"
	            " coalesce(p.last_evaluated, ''), ");
	strbuf_adds(&sql, f->due_before ? "coalesce(p.last_evaluated, '0000-00-00') || ' ' ||"
	                                  " coalesce(p.launched_on, '0000-00-00') || ' ' || p.id"
	                                : "p.sort_key");
	strbuf_adds(&sql, " FROM point p JOIN model m ON m.id = p.model_id JOIN unit u ON u.code = p.unit_code"
	                  " LEFT JOIN choice c ON c.list = 'point_status' AND c.code = p.status"
	                  " LEFT JOIN point fp ON fp.id = p.replicated_from LEFT JOIN unit fu ON fu.code = fp.unit_code"
	                  " WHERE p.deleted = 0 AND m.deleted = 0");
	if (f->model_id)
		strbuf_adds(&sql, " AND p.model_id = ?1");
	if (f->unit_code)
		strbuf_adds(&sql, " AND p.unit_code IN sub");
	if (f->due_before)
		strbuf_adds(&sql, " AND p.status <> 'dung' AND coalesce(p.last_evaluated, '0000-00-00') < ?4");
	for (int i = 0; i < nwords; i++)
		strbuf_addf(&sql, " AND (instr(p.search, ?%d) > 0 OR instr(m.search, ?%d) > 0)", 10 + i, 10 + i);
	const char *dir = backward ? "DESC" : "ASC";
	if (after_key && f->due_before)
		strbuf_addf(&sql, " AND (%s) %s (?5, ?6, ?7)", STORE_POINT_DUE_COLS, backward ? "<" : ">");
	else if (after_key)
		strbuf_addf(&sql, " AND p.sort_key %s ?5", backward ? "<" : ">");
	if (f->due_before)
		strbuf_addf(
		    &sql,
		    " ORDER BY coalesce(p.last_evaluated, '0000-00-00') %s, coalesce(p.launched_on, '0000-00-00') %s,"
		    " p.id %s",
		    dir, dir, dir);
	else
		strbuf_addf(&sql, " ORDER BY p.sort_key %s", dir);
	if (limit > 0)
		strbuf_addf(&sql, " LIMIT %d", limit);
	sqlite3_stmt *stmt;
	int rc = store_prepare_built(st, sql.buf, &stmt, err);
	if (rc == 0) {
		if (f->model_id)
			sqlite3_bind_text(stmt, 1, f->model_id, -1, SQLITE_STATIC);
		if (f->unit_code)
			sqlite3_bind_text(stmt, 3, f->unit_code, -1, SQLITE_STATIC);
		if (f->due_before)
			sqlite3_bind_text(stmt, 4, f->due_before, -1, SQLITE_STATIC);
		if (after_key && f->due_before) {
			sqlite3_bind_text(stmt, 5, last, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 6, launched, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 7, id, -1, SQLITE_STATIC);
		} else if (after_key) {
			sqlite3_bind_text(stmt, 5, after_key, -1, SQLITE_STATIC);
		}
		for (int i = 0; i < nwords; i++)
			sqlite3_bind_text(stmt, 10 + i, words[i], -1, SQLITE_STATIC);
		int step;
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct store_point_row r;
			store_copy(r.id, sizeof r.id, store_text(stmt, 0));
			store_copy(r.model_id, sizeof r.model_id, store_text(stmt, 1));
			r.mem = store_row_texts(stmt,
			                        (char **const[]){&r.model_name, &r.unit_code, &r.unit_name, &r.place,
			                                         &r.teams, &r.members, &r.status, &r.from_unit, &r.key},
			                        (const int[]){2, 3, 4, 5, 7, 8, 9, 11, 14}, 9);
			store_copy(r.launched_on, sizeof r.launched_on, store_text(stmt, 6));
			store_copy(r.replicated_from, sizeof r.replicated_from, store_text(stmt, 10));
			store_copy(r.state, sizeof r.state, store_text(stmt, 12));
			store_copy(r.last_evaluated, sizeof r.last_evaluated, store_text(stmt, 13));
			if (out->rows) {
				out->rows[out->n++] = r;
				if (out->n == out->limit)
					break;
			} else {
				int stop = out->fn(&r, out->ud);
				free(r.mem);
				if (stop)
					break;
			}
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = store_fail(st, step, err);
		store_unprepare(st, stmt);
	}
	strbuf_release(&sql);
	free(fold);
	return rc;
}

int store_point_list(struct store *st, const struct store_point_filter *f, store_point_fn fn, void *ud,
                     struct mh_error *err)
{
	struct store_point_collect out = {fn, ud, NULL, 0, 0};
	return store_point_query(st, f, NULL, 0, 0, &out, err);
}

int store_point_page(struct store *st, const struct store_point_filter *f, const char *after_key, int backward,
                     struct store_point_row *rows, int limit, struct mh_error *err)
{
	struct store_point_collect out = {NULL, NULL, rows, 0, limit};
	if (store_point_query(st, f, after_key, backward, limit, &out, err) < 0) {
		store_rows_release(rows, (size_t)out.n, sizeof *rows);
		return -1;
	}
	if (backward)
		for (int i = 0, j = out.n - 1; i < j; i++, j--) {
			struct store_point_row tmp = rows[i];
			rows[i] = rows[j];
			rows[j] = tmp;
		}
	return out.n;
}

void store_half_year_start(const char *date, char out[11])
{
	int month = (date[5] - '0') * 10 + (date[6] - '0');
	snprintf(out, 11, "%.4s-%s", date, month <= 6 ? "01-01" : "07-01");
}

/* The key of a row in the paged list: period end, period start, id; the
 * list runs down the index evaluation_period (latest period first). */
#define STORE_EVAL_KEY "e.period_to || ' ' || e.period_from || ' ' || e.id"

struct store_eval_collect {
	store_evaluation_fn fn;
	void *ud;
	struct store_evaluation_row *rows;
	int n, limit;
};

static int store_evaluation_query(struct store *st, const char *model_id, const char *point_id, const char *search,
                                  const char *after_key, int backward, int limit, struct store_eval_collect *out,
                                  struct mh_error *err)
{
	int paged = out->rows != NULL;
	char to[11] = "", from[11] = "", id[STORE_ID_LEN + 1] = "";
	if (after_key && sscanf(after_key, "%10s %10s %36s", to, from, id) != 3)
		return mh_error_set(err, MH_EFAIL, "bad list key");
	char *fold = store_fold(search ? search : "");
	char *words[16];
	int nwords = 0;
	for (char *save = NULL, *w = strtok_r(fold, " \t", &save); w && nwords < 16; w = strtok_r(NULL, " \t", &save))
		words[nwords++] = w;
	struct strbuf sql;
	strbuf_init(&sql);
	strbuf_adds(&sql,
	            "SELECT e.id, e.model_id, coalesce(e.point_id, ''), m.name, coalesce(u.name, ''),"
	            " coalesce(k.label, e.kind), coalesce(pk.label, e.period_kind), coalesce(r.label, e.rating, ''),"
	            " e.period_from, e.period_to, coalesce(e.reviewed_on, ''), coalesce(e.reviewer, ''),"
	            " e.replicate, e.state, " STORE_EVAL_KEY " AS k"
	            " FROM evaluation e JOIN model m ON m.id = e.model_id"
	            " LEFT JOIN point p ON p.id = e.point_id LEFT JOIN unit u ON u.code = p.unit_code"
	            " LEFT JOIN choice k ON k.list = 'eval_kind' AND k.code = e.kind"
	            " LEFT JOIN choice pk ON pk.list = 'period_kind' AND pk.code = e.period_kind"
	            " LEFT JOIN choice r ON r.list = 'rating' AND r.code = e.rating"
	            " WHERE e.deleted = 0");
	if (model_id)
		strbuf_adds(&sql, " AND e.model_id = ?1");
	if (point_id)
		strbuf_adds(&sql, " AND e.point_id = ?2");
	for (int i = 0; i < nwords; i++)
		strbuf_addf(&sql,
		            " AND (instr(m.search, ?%d) > 0 OR instr(coalesce(p.search, ''), ?%d) > 0"
		            " OR instr(e.search, ?%d) > 0)",
		            10 + i, 10 + i, 10 + i);
	if (after_key) /* paged (the screen): forward is down the index */
		strbuf_addf(&sql, " AND (e.period_to, e.period_from, e.id) %s (?3, ?4, ?5)", backward ? ">" : "<");
	if (paged)
		strbuf_addf(&sql, " ORDER BY e.period_to %s, e.period_from %s, e.id %s", backward ? "ASC" : "DESC",
		            backward ? "ASC" : "DESC", backward ? "ASC" : "DESC");
	else /* a whole list (the CLI, a model's detail): names break the ties */
		strbuf_adds(&sql, " ORDER BY e.period_to DESC, e.period_from DESC, m.name_key, u.name_key, e.id");
	if (limit > 0)
		strbuf_addf(&sql, " LIMIT %d", limit);
	sqlite3_stmt *stmt;
	int rc = store_prepare_built(st, sql.buf, &stmt, err);
	if (rc == 0) {
		if (model_id)
			sqlite3_bind_text(stmt, 1, model_id, -1, SQLITE_STATIC);
		if (point_id)
			sqlite3_bind_text(stmt, 2, point_id, -1, SQLITE_STATIC);
		if (after_key) {
			sqlite3_bind_text(stmt, 3, to, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 4, from, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 5, id, -1, SQLITE_STATIC);
		}
		for (int i = 0; i < nwords; i++)
			sqlite3_bind_text(stmt, 10 + i, words[i], -1, SQLITE_STATIC);
		int step;
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct store_evaluation_row r;
			store_copy(r.id, sizeof r.id, store_text(stmt, 0));
			store_copy(r.model_id, sizeof r.model_id, store_text(stmt, 1));
			store_copy(r.point_id, sizeof r.point_id, store_text(stmt, 2));
			r.mem = store_row_texts(stmt,
			                        (char **const[]){&r.model_name, &r.unit_name, &r.kind, &r.period_kind,
			                                         &r.rating, &r.reviewer, &r.key},
			                        (const int[]){3, 4, 5, 6, 7, 11, 14}, 7);
			store_copy(r.period_from, sizeof r.period_from, store_text(stmt, 8));
			store_copy(r.period_to, sizeof r.period_to, store_text(stmt, 9));
			store_copy(r.reviewed_on, sizeof r.reviewed_on, store_text(stmt, 10));
			r.replicate = sqlite3_column_int(stmt, 12);
			store_copy(r.state, sizeof r.state, store_text(stmt, 13));
			if (out->rows) {
				out->rows[out->n++] = r;
				if (out->n == out->limit)
					break;
			} else {
				int stop = out->fn(&r, out->ud);
				free(r.mem);
				if (stop)
					break;
			}
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = store_fail(st, step, err);
		store_unprepare(st, stmt);
	}
	strbuf_release(&sql);
	free(fold);
	return rc;
}

int store_evaluation_list(struct store *st, const char *model_id, const char *point_id, store_evaluation_fn fn,
                          void *ud, struct mh_error *err)
{
	struct store_eval_collect out = {fn, ud, NULL, 0, 0};
	return store_evaluation_query(st, model_id, point_id, NULL, NULL, 0, 0, &out, err);
}

int store_evaluation_page(struct store *st, const char *search, const char *after_key, int backward,
                          struct store_evaluation_row *rows, int limit, struct mh_error *err)
{
	struct store_eval_collect out = {NULL, NULL, rows, 0, limit};
	if (store_evaluation_query(st, NULL, NULL, search, after_key, backward, limit, &out, err) < 0) {
		store_rows_release(rows, (size_t)out.n, sizeof *rows);
		return -1;
	}
	if (backward)
		for (int i = 0, j = out.n - 1; i < j; i++, j--) {
			struct store_evaluation_row tmp = rows[i];
			rows[i] = rows[j];
			rows[j] = tmp;
		}
	return out.n;
}
