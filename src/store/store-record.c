/* Models, points and evaluations through one generic path: values are
 * normalised (NFC, trimmed) and checked against the table's columns, derived
 * columns (folded search text, sort key) are computed, and every changed
 * field leaves an audit entry, all in one transaction. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"

struct store_record_values {
	const struct store_table *t;
	char *v[16]; /* one per column; NULL for no value */
};

static void store_record_values_free(struct store_record_values *rv)
{
	for (size_t i = 0; i < rv->t->ncols; i++)
		free(rv->v[i]);
}

static int store_record_col(const struct store_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* "field: what is wrong", with err->where = the field */
static int store_record_bad(struct mh_error *err, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int store_record_bad(struct mh_error *err, const char *col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	mh_error_set(err, MH_EDATA, "%s: %s", col, msg);
	mh_error_where(err, "%s", col);
	return -1;
}

/* NFC, trailing and leading blanks trimmed; "" becomes NULL. */
static int store_record_clean(const char *in, char **out, const char *col, struct mh_error *err)
{
	*out = NULL;
	if (!in)
		return 0;
	struct strbuf sb;
	strbuf_init(&sb);
	if (vn_nfc(in, strlen(in), &sb, err) < 0) {
		strbuf_release(&sb);
		return store_record_bad(err, col, _("the text is not valid UTF-8"));
	}
	size_t a = 0, b = sb.len;
	while (a < b && strchr(" \t\r\n", sb.buf[a]))
		a++;
	while (b > a && strchr(" \t\r\n", sb.buf[b - 1]))
		b--;
	if (b > a)
		*out = xalloc_strndup(sb.buf + a, b - a);
	strbuf_release(&sb);
	return 0;
}

/* 1 if code is more than once in the list "a,b,c". */
static int store_record_twice(const char *list, const char *code)
{
	size_t len = strlen(code), n = 0;
	for (const char *p = list; *p;) {
		size_t w = strcspn(p, ",");
		n += w == len && strncmp(p, code, len) == 0;
		p += w + (p[w] == ',');
	}
	return n > 1;
}

/* Several codes of one list, "a,b": each in the list, none twice. */
static int store_record_check_choices(struct store *st, const struct store_column *c, const char *v,
                                      struct mh_error *err)
{
	char *codes = xalloc_strdup(v), *save = NULL;
	int rc = 0;
	size_t n = 0;
	for (char *code = strtok_r(codes, ",", &save); code && rc == 0; code = strtok_r(NULL, ",", &save), n++) {
		if (!store_exists(st, "SELECT 1 FROM choice WHERE list = ?2 AND code = ?1", code, c->choice))
			rc = store_record_bad(err, c->name, _("'%s' is not in the list"), code);
		else if (store_record_twice(v, code))
			rc = store_record_bad(err, c->name, _("'%s' is chosen twice"), code);
	}
	if (rc == 0 && (n == 0 || v[0] == ',' || v[strlen(v) - 1] == ',' || strstr(v, ",,")))
		rc = store_record_bad(err, c->name, _("'%s' is not a list of codes separated by commas"), v);
	free(codes);
	return rc;
}

/* A unit typed as its code (or a version's key) becomes the version in force
 * on the record's date (its launch; today when it has none): 22981 is xã
 * Vĩnh Hảo of 2017 for a 2017 point and Xã Vĩnh Hảo of 2025 for a new one.
 * A record without a date keeps the version it names. */
static int store_record_unit(struct store *st, struct store_record_values *rv, size_t i, struct mh_error *err)
{
	const struct store_column *c = &rv->t->cols[i];
	int d = store_record_col(rv->t, "launched_on");
	const char *on = d >= 0 && rv->v[d] && store_date_valid(rv->v[d]) ? rv->v[d] : NULL;
	struct store_unit u;
	char today[11];
	struct mh_error why;
	if (on || store_unit_get(st, rv->v[i], &u, NULL) < 0) {
		if (!on) {
			store_today(today);
			on = today;
		}
		if (store_unit_at(st, rv->v[i], on, &u, &why) < 0)
			return store_record_bad(err, c->name, "%s", why.msg);
	}
	if (!store_unit_within(st, u.code, st->office.unit_code))
		return store_record_bad(err, c->name, _("the unit %s is outside this office's area"), rv->v[i]);
	free(rv->v[i]);
	rv->v[i] = xalloc_strdup(u.code);
	return 0;
}

static int store_record_check(struct store *st, struct store_record_values *rv, struct mh_error *err)
{
	const struct store_table *t = rv->t;
	for (size_t i = 0; i < t->ncols; i++) {
		const struct store_column *c = &t->cols[i];
		const char *v = rv->v[i];
		if (!v) {
			if (c->required)
				return store_record_bad(err, c->name, _("a value is required"));
			continue;
		}
		switch (c->type) {
		case STORE_COL_TEXT:
		case STORE_COL_LONGTEXT:
			if (c->maxchars && utf8_nchars(v, strlen(v)) > (size_t)c->maxchars) {
				return store_record_bad(err, c->name, _("at most %d characters"), c->maxchars);
			}
			if (c->type == STORE_COL_TEXT && strpbrk(v, "\n\r\t"))
				return store_record_bad(err, c->name, _("one line only"));
			break;
		case STORE_COL_INT:
			if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
				return store_record_bad(err, c->name, _("'%s' is not a whole number"), v);
			break;
		case STORE_COL_DATE:
			if (!store_date_valid(v))
				return store_record_bad(err, c->name, _("'%s' is not a real date (YYYY-MM-DD)"), v);
			break;
		case STORE_COL_BOOL:
			if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
				return store_record_bad(err, c->name, _("'%s' is not yes (1) or no (0)"), v);
			break;
		case STORE_COL_CHOICE:
			if (!store_exists(st, "SELECT 1 FROM choice WHERE list = ?2 AND code = ?1", v, c->choice))
				return store_record_bad(err, c->name, _("'%s' is not in the list"), v);
			break;
		case STORE_COL_CHOICES:
			if (store_record_check_choices(st, c, v, err) < 0)
				return -1;
			break;
		case STORE_COL_UNIT:
			if (store_record_unit(st, rv, i, err) < 0)
				return -1;
			break;
		case STORE_COL_MODEL:
			if (!store_exists(st, "SELECT 1 FROM model WHERE id = ? AND deleted = 0", v, NULL))
				return store_record_bad(err, c->name, _("no model has the id %s"), v);
			break;
		case STORE_COL_POINT:
			if (!store_exists(st, "SELECT 1 FROM point WHERE id = ? AND deleted = 0", v, NULL))
				return store_record_bad(err, c->name, _("no point has the id %s"), v);
			break;
		}
	}
	/* a point replicates a point of the same model; an evaluation of a
	 * point is an evaluation of that point's model */
	int model = store_record_col(t, "model_id");
	int point = store_record_col(t, strcmp(t->name, "point") == 0 ? "replicated_from" : "point_id");
	if (model >= 0 && point >= 0 && rv->v[point] &&
	    !store_exists(st, "SELECT 1 FROM point WHERE id = ? AND model_id = ?", rv->v[point], rv->v[model]))
		return store_record_bad(err, t->cols[point].name, _("the point %s belongs to another model"),
		                        rv->v[point]);
	int unit = store_record_col(t, "unit_code");
	if (strcmp(t->name, "point") == 0 && point >= 0 && rv->v[point] && unit >= 0 && rv->v[unit] &&
	    store_exists(st, "SELECT 1 FROM point WHERE id = ? AND unit_code = ?", rv->v[point], rv->v[unit]))
		return store_record_bad(err, "unit_code",
		                        _("a replication goes to another unit than the point it comes from"));
	int from = store_record_col(t, "period_from"), to = store_record_col(t, "period_to");
	if (from >= 0 && to >= 0 && rv->v[from] && rv->v[to] && strcmp(rv->v[from], rv->v[to]) > 0)
		return store_record_bad(err, "period_to", _("the period ends before it begins"));
	return 0;
}

/* The folded text searched for this record: its text fields and the names
 * of its unit and the unit's parents. */
static char *store_record_search(struct store *st, const struct store_record_values *rv)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int k = 0; rv->t->search_cols[k]; k++) {
		int i = store_record_col(rv->t, rv->t->search_cols[k]);
		if (i >= 0 && rv->v[i]) {
			strbuf_adds(&sb, rv->v[i]);
			strbuf_addc(&sb, ' ');
		}
	}
	int u = store_record_col(rv->t, "unit_code");
	struct store_unit unit;
	if (u >= 0 && rv->v[u] && store_unit_get(st, rv->v[u], &unit, NULL) == 0)
		strbuf_addf(&sb, "%s %s", unit.name, unit.parent_name);
	char *fold = store_fold(sb.buf);
	strbuf_release(&sb);
	return fold;
}

static int store_record_load(struct store *st, struct store_record_values *rv, const char *id, char *owner,
                             size_t owner_cap, int *deleted, struct mh_error *err)
{
	struct strbuf sql;
	strbuf_init(&sql);
	strbuf_adds(&sql, "SELECT owner, deleted");
	for (size_t i = 0; i < rv->t->ncols; i++)
		strbuf_addf(&sql, ", %s", rv->t->cols[i].name);
	strbuf_addf(&sql, " FROM %s WHERE id = ?", rv->t->name);
	sqlite3_stmt *stmt;
	int rc = store_prepare(st, sql.buf, &stmt, err);
	strbuf_release(&sql);
	if (rc < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		store_copy(owner, owner_cap, store_text(stmt, 0));
		*deleted = sqlite3_column_int(stmt, 1);
		for (size_t i = 0; i < rv->t->ncols; i++)
			rv->v[i] = sqlite3_column_type(stmt, (int)i + 2) == SQLITE_NULL
			               ? NULL
			               : xalloc_strdup(store_text(stmt, (int)i + 2));
		rc = 0;
	} else if (step == SQLITE_DONE) {
		rc = mh_error_set(err, MH_EDATA, _("no %s has the id %s"), rv->t->name, id);
	} else {
		rc = store_fail(st, step, err);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int store_record_set(struct store_record_values *rv, const struct store_kv *kv, size_t n, const char **given_id,
                            struct mh_error *err)
{
	for (size_t k = 0; k < n; k++) {
		if (given_id && strcmp(kv[k].col, "id") == 0) {
			*given_id = kv[k].val;
			continue;
		}
		int i = store_record_col(rv->t, kv[k].col);
		if (i < 0) {
			mh_error_set(err, MH_EUSAGE, _("%s has no field %s"), rv->t->name, kv[k].col);
			mh_error_where(err, "%s", kv[k].col);
			return -1;
		}
		free(rv->v[i]);
		if (store_record_clean(kv[k].val, &rv->v[i], kv[k].col, err) < 0)
			return -1;
	}
	return 0;
}

/* A yes/no left empty is no. */
static void store_record_defaults(struct store_record_values *rv)
{
	for (size_t i = 0; i < rv->t->ncols; i++)
		if (rv->t->cols[i].type == STORE_COL_BOOL && !rv->v[i])
			rv->v[i] = xalloc_strdup("0");
}

/* v stays until the statement has run: SQLite does not copy it */
static void store_record_bind(sqlite3_stmt *stmt, int pos, const char *v)
{
	if (v)
		sqlite3_bind_text(stmt, pos, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, pos);
}

static int store_record_valid_id(const char *id)
{
	if (strlen(id) != STORE_ID_LEN)
		return 0;
	for (int i = 0; i < STORE_ID_LEN; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? id[i] != '-' : !strchr("0123456789abcdef", id[i]))
			return 0;
	}
	return 1;
}

/* The insert of a table's rows: one statement per table, kept (an import
 * inserts row after row). Its parameters: the 8 columns every record has,
 * the name's folded and sort forms if it has a name, then the table's. */
static int store_record_insert_stmt(struct store *st, const struct store_table *t, sqlite3_stmt **stmt,
                                    struct mh_error *err)
{
	if ((*stmt = store_kept(st, t)))
		return 0;
	struct strbuf cols, qs;
	strbuf_init(&cols);
	strbuf_init(&qs);
	strbuf_adds(&cols, "id, search, owner, created_at, created_by, updated_at, updated_by, device");
	strbuf_adds(&qs, "?, ?, ?, ?, ?, ?, ?, ?");
	if (strcmp(t->name, "model") == 0) { /* a new model has no points: its search text is its own */
		strbuf_adds(&cols, ", search_all");
		strbuf_adds(&qs, ", ?2");
	}
	if (t->name_col) {
		strbuf_adds(&cols, ", name_fold, name_key");
		strbuf_adds(&qs, ", ?, ?");
	}
	for (size_t i = 0; i < t->ncols; i++) {
		strbuf_addf(&cols, ", %s", t->cols[i].name);
		strbuf_adds(&qs, ", ?");
	}
	char *sql = xalloc_printf("INSERT INTO %s (%s) VALUES (%s)", t->name, cols.buf, qs.buf);
	strbuf_release(&cols);
	strbuf_release(&qs);
	int rc = store_prepare_keyed(st, t, sql, stmt, err);
	free(sql);
	return rc;
}

int store_record_insert(struct store *st, const char *table, const struct store_kv *kv, size_t n,
                        char id_out[STORE_ID_LEN + 1], struct mh_error *err)
{
	struct store_record_values rv = {store_schema_table(table), {0}};
	if (!rv.t)
		return mh_error_set(err, MH_EUSAGE, _("no such table: %s"), table);
	if (!st->have_office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	if (store_user_gate(st, err) < 0)
		return -1;
	const char *given = NULL;
	char id[STORE_ID_LEN + 1], now[21];
	int rc = store_record_set(&rv, kv, n, &given, err);
	store_record_defaults(&rv);
	if (rc == 0 && given && !store_record_valid_id(given))
		rc = mh_error_set(err, MH_EDATA, _("'%s' is not a record id"), given);
	if (rc == 0)
		rc = store_record_check(st, &rv, err);
	if (rc < 0) {
		store_record_values_free(&rv);
		return -1;
	}
	if (given)
		store_copy(id, sizeof id, given);
	else
		store_uuid(id);
	store_now(now);

	sqlite3_stmt *stmt = NULL;
	int extra = rv.t->name_col ? 10 : 8;
	int ok = store_begin(st, err) == 0;
	if (!ok)
		goto out;
	ok = store_record_insert_stmt(st, rv.t, &stmt, err) == 0;
	if (ok) {
		char *search = store_record_search(st, &rv), *fold = NULL, *key = NULL;
		store_record_bind(stmt, 1, id);
		store_record_bind(stmt, 2, search);
		store_record_bind(stmt, 3, st->office.id);
		store_record_bind(stmt, 4, now);
		store_record_bind(stmt, 5, st->user);
		store_record_bind(stmt, 6, now);
		store_record_bind(stmt, 7, st->user);
		store_record_bind(stmt, 8, st->device);
		if (rv.t->name_col) {
			const char *name = rv.v[store_record_col(rv.t, rv.t->name_col)];
			fold = store_fold(name), key = store_key(name);
			store_record_bind(stmt, 9, fold);
			store_record_bind(stmt, 10, key);
		}
		for (size_t i = 0; i < rv.t->ncols; i++)
			store_record_bind(stmt, extra + 1 + (int)i, rv.v[i]);
		int step = sqlite3_step(stmt);
		ok = step == SQLITE_DONE || store_fail(st, step, err) == 0;
		sqlite3_clear_bindings(stmt);
		free(search);
		free(fold);
		free(key);
	}
	ok = ok && store_audit_new(st, rv.t, id, rv.v, err) == 0;
	ok = store_end(st, ok, err) == 0;
out:
	if (stmt)
		sqlite3_reset(stmt);
	store_record_values_free(&rv);
	if (ok && id_out)
		memcpy(id_out, id, sizeof id);
	return ok ? 0 : -1;
}

static int store_record_writable(struct store *st, const char *table, const char *id, const char *owner, int deleted,
                                 struct mh_error *err)
{
	if (deleted)
		return mh_error_set(err, MH_EDATA, _("the %s %s has been deleted"), table, id);
	if (store_user_gate(st, err) < 0)
		return -1;
	static const char *const locked[] = {"SELECT 1 FROM model WHERE id = ? AND state = 'approved'",
	                                     "SELECT 1 FROM point WHERE id = ? AND state = 'approved'",
	                                     "SELECT 1 FROM evaluation WHERE id = ? AND state = 'approved'"};
	int t = strcmp(table, "model") == 0 ? 0 : strcmp(table, "point") == 0 ? 1 : 2;
	if (store_exists(st, locked[t], id, NULL))
		return mh_error_set(err, MH_EFAIL, _("the %s %s is approved and locked: a leader must reopen it first"),
		                    table, id);
	if (strcmp(owner, st->office.id) != 0 && !st->resolving)
		return mh_error_set(
		    err, MH_EFAIL, _("the %s %s belongs to another office: only that office may change it"), table, id);
	return 0;
}

static int store_record_bump(struct store *st, const char *table, const char *id, const char *set, const char **vals,
                             int nvals, struct mh_error *err)
{
	char now[21];
	store_now(now);
	char *sql =
	    xalloc_printf("UPDATE %s SET %s%s" STORE_DEVICE_BUMP ", updated_at = ?, updated_by = ? WHERE id = ?", table,
	                  set, *set ? ", " : "");
	sqlite3_stmt *stmt;
	int rc = store_prepare(st, sql, &stmt, err);
	free(sql);
	if (rc < 0)
		return -1;
	for (int i = 0; i < nvals; i++)
		store_record_bind(stmt, i + 1, vals[i]);
	store_record_bind(stmt, nvals + 1, st->device);
	store_record_bind(stmt, nvals + 2, now);
	store_record_bind(stmt, nvals + 3, st->user);
	store_record_bind(stmt, nvals + 4, id);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(st, step, err);
}

int store_record_update(struct store *st, const char *table, const char *id, const struct store_kv *kv, size_t n,
                        struct mh_error *err)
{
	struct store_record_values old = {store_schema_table(table), {0}}, now = old;
	if (!old.t)
		return mh_error_set(err, MH_EUSAGE, _("no such table: %s"), table);
	if (!st->have_office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	char owner[STORE_ID_LEN + 8];
	int deleted = 0, ok = 0;
	if (store_record_load(st, &old, id, owner, sizeof owner, &deleted, err) < 0)
		return -1;
	for (size_t i = 0; i < old.t->ncols; i++)
		now.v[i] = old.v[i] ? xalloc_strdup(old.v[i]) : NULL;
	if (store_record_writable(st, table, id, owner, deleted, err) < 0 ||
	    store_record_set(&now, kv, n, NULL, err) < 0)
		goto out;
	store_record_defaults(&now);
	if (store_record_check(st, &now, err) < 0)
		goto out;

	struct strbuf set;
	strbuf_init(&set);
	const char *vals[20];
	int nvals = 0;
	char *search = store_record_search(st, &now), *fold = NULL, *key = NULL;
	int changed = 0;
	for (size_t i = 0; i < old.t->ncols; i++) {
		const char *a = old.v[i], *b = now.v[i];
		if ((!a && !b) || (a && b && strcmp(a, b) == 0))
			continue;
		changed = 1;
		strbuf_addf(&set, "%s%s = ?", nvals ? ", " : "", old.t->cols[i].name);
		vals[nvals++] = b;
		if (old.t->name_col && strcmp(old.t->cols[i].name, old.t->name_col) == 0) {
			fold = store_fold(b);
			key = store_key(b);
			strbuf_adds(&set, ", name_fold = ?, name_key = ?");
			vals[nvals++] = fold;
			vals[nvals++] = key;
		}
	}
	ok = 1;
	if (changed) {
		strbuf_adds(&set, ", search = ?");
		vals[nvals++] = search;
		ok = store_begin(st, err) == 0;
		if (ok) {
			ok = store_record_bump(st, table, id, set.buf, vals, nvals, err) == 0;
			for (size_t i = 0; ok && i < old.t->ncols; i++) {
				const char *a = old.v[i], *b = now.v[i];
				if ((!a && !b) || (a && b && strcmp(a, b) == 0))
					continue;
				ok = store_audit(st, table, id, "update", old.t->cols[i].name, a, b, err) == 0;
			}
			ok = store_end(st, ok, err) == 0;
		}
	}
	free(search);
	free(fold);
	free(key);
	strbuf_release(&set);
out:
	store_record_values_free(&old);
	store_record_values_free(&now);
	return ok ? 0 : -1;
}

/* Tombstones a record and what hangs from it: a model's points and
 * evaluations, a point's evaluations. */
static int store_record_tombstone(struct store *st, const char *table, const char *id, struct mh_error *err)
{
	if (store_record_bump(st, table, id, "deleted = 1", NULL, 0, err) < 0 ||
	    store_audit(st, table, id, "delete", "deleted", "0", "1", err) < 0)
		return -1;
	const char *children[2][2] = {{NULL, NULL}, {NULL, NULL}};
	if (strcmp(table, "model") == 0) {
		children[0][0] = "point";
		children[0][1] = "SELECT id FROM point WHERE model_id = ? AND deleted = 0";
		children[1][0] = "evaluation";
		children[1][1] = "SELECT id FROM evaluation WHERE model_id = ? AND deleted = 0";
	} else if (strcmp(table, "point") == 0) {
		children[0][0] = "evaluation";
		children[0][1] = "SELECT id FROM evaluation WHERE point_id = ? AND deleted = 0";
	}
	for (int k = 0; k < 2 && children[k][0]; k++) {
		sqlite3_stmt *stmt;
		if (store_prepare(st, children[k][1], &stmt, err) < 0)
			return -1;
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		int rc = 0, step;
		while (rc == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
			char child[STORE_ID_LEN + 1];
			store_copy(child, sizeof child, store_text(stmt, 0));
			rc = store_record_tombstone(st, children[k][0], child, err);
		}
		sqlite3_finalize(stmt);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int store_record_delete(struct store *st, const char *table, const char *id, struct mh_error *err)
{
	struct store_record_values rv = {store_schema_table(table), {0}};
	if (!rv.t)
		return mh_error_set(err, MH_EUSAGE, _("no such table: %s"), table);
	if (!st->have_office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	char owner[STORE_ID_LEN + 8];
	int deleted = 0;
	int rc = store_record_load(st, &rv, id, owner, sizeof owner, &deleted, err);
	store_record_values_free(&rv);
	if (rc < 0 || store_record_writable(st, table, id, owner, deleted, err) < 0)
		return -1;
	if (store_begin(st, err) < 0)
		return -1;
	return store_end(st, store_record_tombstone(st, table, id, err) == 0, err);
}

int store_record_exists(struct store *st, const char *table, const char *id)
{
	static const char *const sql[] = {"SELECT 1 FROM model WHERE id = ?", "SELECT 1 FROM point WHERE id = ?",
	                                  "SELECT 1 FROM evaluation WHERE id = ?"};
	if (!store_schema_table(table))
		return 0;
	int t = strcmp(table, "model") == 0 ? 0 : strcmp(table, "point") == 0 ? 1 : 2;
	return store_exists(st, sql[t], id, NULL);
}

char *store_record_value(struct store *st, const char *table, const char *id, const char *col)
{
	const struct store_table *t = store_schema_table(table);
	static const char *const meta[] = {"owner",      "rev",        "deleted",   "state",
	                                   "search",     "name_fold",  "name_key",  "created_at",
	                                   "created_by", "updated_at", "updated_by"};
	int known = t && store_record_col(t, col) >= 0;
	for (size_t i = 0; t && !known && i < sizeof meta / sizeof *meta; i++)
		known = strcmp(meta[i], col) == 0;
	if (!known)
		return NULL;
	char *sql = xalloc_printf("SELECT %s FROM %s WHERE id = ?", col, table);
	sqlite3_stmt *stmt;
	char *v = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
			v = xalloc_strdup(store_text(stmt, 0));
		sqlite3_finalize(stmt);
	}
	free(sql);
	return v;
}

int store_record_successor(struct store *st, const char *point_id, const char *unit, struct mh_error *err)
{
	if (!st->have_office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT owner, deleted, unit_code, unit_successor FROM point WHERE id = ?", &stmt, err) <
	    0)
		return -1;
	sqlite3_bind_text(stmt, 1, point_id, -1, SQLITE_STATIC);
	char owner[STORE_ID_LEN + 8] = "", from[24] = "", was[24] = "";
	int deleted = 0, found = sqlite3_step(stmt) == SQLITE_ROW;
	if (found) {
		store_copy(owner, sizeof owner, store_text(stmt, 0));
		deleted = sqlite3_column_int(stmt, 1);
		store_copy(from, sizeof from, store_text(stmt, 2));
		store_copy(was, sizeof was, store_text(stmt, 3));
	}
	sqlite3_finalize(stmt);
	if (!found)
		return mh_error_set(err, MH_EDATA, _("no point has the id %s"), point_id);
	if (store_record_writable(st, "point", point_id, owner, deleted, err) < 0)
		return -1;
	/* the successors of the point's divided unit, as a GSO code or a version's key */
	if (store_prepare(st,
	                  "SELECT l.to_code FROM unit_link l JOIN unit u ON u.code = l.to_code"
	                  " WHERE l.from_code = ?1 AND l.share = 'part' AND (u.code = ?2 OR u.gso = ?2)",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, unit, -1, SQLITE_STATIC);
	char to[24] = "";
	if (sqlite3_step(stmt) == SQLITE_ROW)
		store_copy(to, sizeof to, store_text(stmt, 0));
	sqlite3_finalize(stmt);
	struct store_unit u;
	if (!to[0])
		return mh_error_set(err, MH_EDATA, _("%s is not one of the units %s was divided into"), unit,
		                    store_unit_get(st, from, &u, NULL) == 0 ? u.name : from);
	if (strcmp(to, was) == 0)
		return 0;
	const char *vals[] = {to};
	if (store_begin(st, err) < 0)
		return -1;
	int ok = store_record_bump(st, "point", point_id, "unit_successor = ?", vals, 1, err) == 0 &&
	         store_audit(st, "point", point_id, "update", "unit_successor", was[0] ? was : NULL, to, err) == 0;
	return store_end(st, ok, err);
}

int store_record_unresolved(struct store *st, store_unresolved_fn fn, void *ud, struct mh_error *err)
{
	/* the points of this office's area in a divided unit, no successor chosen */
	static const char sql[] =
	    "SELECT p.id, m.name, u.code, u.name, coalesce(pu.name, ''), coalesce(p.place, ''),"
	    "  (SELECT group_concat(s.gso || ' ' || s.name, '; ') FROM unit_link l JOIN unit s ON s.code = l.to_code"
	    "   WHERE l.from_code = u.code)"
	    " FROM point p JOIN model m ON m.id = p.model_id JOIN unit u ON u.code = p.unit_code"
	    " LEFT JOIN unit pu ON pu.code = u.parent_code"
	    " WHERE p.deleted = 0 AND p.unit_successor IS NULL"
	    "  AND EXISTS (SELECT 1 FROM unit_link l WHERE l.from_code = p.unit_code AND l.share = 'part')"
	    " ORDER BY u.name_key, m.name_key, p.id";
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_unresolved p;
		p.point_id = store_text(stmt, 0);
		p.model = store_text(stmt, 1);
		p.unit_code = store_text(stmt, 2);
		p.unit_name = store_text(stmt, 3);
		p.parent_name = store_text(stmt, 4);
		p.place = store_text(stmt, 5);
		p.successors = store_text(stmt, 6);
		if (fn(&p, ud))
			break;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}
