/* Administrative units: the GSO list (embedded in the program) and the
 * historic units an office adds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

extern const char mohinh_units_csv[];
extern const char mohinh_units_csv_end[];

static const char store_unit_insert_sql[] =
    "INSERT INTO unit (code, parent_code, level, type, name, name_fold, name_key, valid_from, valid_to,"
    " replaced_by, owner, created_at, created_by, updated_at, updated_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, ?13)";

static int store_unit_insert(struct store *st, sqlite3_stmt *stmt, const struct store_unit *u, const char *owner,
                             const char *now, struct mh_error *err)
{
	char *fold = store_fold(u->name), *key = store_key(u->name);
	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, u->code, -1, SQLITE_STATIC);
	if (u->parent_code[0])
		sqlite3_bind_text(stmt, 2, u->parent_code, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 2);
	sqlite3_bind_int(stmt, 3, u->level);
	sqlite3_bind_text(stmt, 4, u->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, key, -1, SQLITE_STATIC);
	const char *opt[3] = {u->valid_from, u->valid_to, u->replaced_by};
	for (int i = 0; i < 3; i++) {
		if (opt[i][0])
			sqlite3_bind_text(stmt, 8 + i, opt[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(stmt, 8 + i);
	}
	sqlite3_bind_text(stmt, 11, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 12, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 13, st->user, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	free(fold);
	free(key);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* Reads the embedded CSV: code,parent_code,level,type,name */
int store_unit_load_gso(struct store *st, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, store_unit_insert_sql, &stmt, err) < 0)
		return -1;
	char now[21];
	store_now(now);
	char saved_user[64];
	store_copy(saved_user, sizeof saved_user, st->user);
	store_set_user(st, "gso");
	const char *p = mohinh_units_csv, *end = mohinh_units_csv_end;
	int rc = 0, line = 0;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		line++;
		size_t len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (line > 1 && len > 0) {
			char buf[512];
			store_copy(buf, sizeof buf, "");
			if (len < sizeof buf) {
				memcpy(buf, p, len);
				buf[len] = '\0';
			}
			char *f[5] = {0};
			char *s = buf;
			for (int k = 0; k < 5; k++)
				f[k] = strsep(&s, ",");
			if (!f[4] || s) {
				rc = mh_error_set(err, MH_EDATA, _("units list, line %d: 5 fields expected"), line);
				break;
			}
			struct store_unit u;
			memset(&u, 0, sizeof u);
			store_copy(u.code, sizeof u.code, f[0]);
			store_copy(u.parent_code, sizeof u.parent_code, f[1]);
			u.level = atoi(f[2]);
			store_copy(u.type, sizeof u.type, f[3]);
			store_copy(u.name, sizeof u.name, f[4]);
			rc = store_unit_insert(st, stmt, &u, "gso", now, err);
		}
		p = nl + 1;
	}
	sqlite3_finalize(stmt);
	store_set_user(st, saved_user);
	return rc;
}

static const char store_unit_select[] =
    "SELECT u.code, coalesce(u.parent_code, ''), u.level, u.type, u.name,"
    " coalesce(p.name || coalesce(', ' || g.name, ''), ''), coalesce(u.valid_from, ''),"
    " coalesce(u.valid_to, ''), coalesce(u.replaced_by, '')"
    " FROM unit u LEFT JOIN unit p ON p.code = u.parent_code LEFT JOIN unit g ON g.code = p.parent_code ";

static void store_unit_row(sqlite3_stmt *stmt, struct store_unit *u)
{
	store_copy(u->code, sizeof u->code, store_text(stmt, 0));
	store_copy(u->parent_code, sizeof u->parent_code, store_text(stmt, 1));
	u->level = sqlite3_column_int(stmt, 2);
	store_copy(u->type, sizeof u->type, store_text(stmt, 3));
	store_copy(u->name, sizeof u->name, store_text(stmt, 4));
	store_copy(u->parent_name, sizeof u->parent_name, store_text(stmt, 5));
	store_copy(u->valid_from, sizeof u->valid_from, store_text(stmt, 6));
	store_copy(u->valid_to, sizeof u->valid_to, store_text(stmt, 7));
	store_copy(u->replaced_by, sizeof u->replaced_by, store_text(stmt, 8));
}

int store_unit_list(struct store *st, const struct store_unit_filter *f, store_unit_fn fn, void *ud,
                    struct mh_error *err)
{
	const char *query = f->query ? f->query : "";
	char *fold = store_fold(query), *phrase = store_fold(query);
	struct strbuf sql;
	strbuf_init(&sql);
	if (f->within)
		strbuf_adds(&sql, "WITH RECURSIVE sub(c) AS (SELECT ?20 UNION ALL"
		                  " SELECT code FROM unit, sub WHERE parent_code = sub.c) ");
	strbuf_adds(&sql, store_unit_select);
	strbuf_adds(&sql, "WHERE u.deleted = 0");
	if (f->within)
		strbuf_adds(&sql, " AND u.code IN sub AND u.code <> ?20");
	if (f->parent)
		strbuf_adds(&sql, " AND u.parent_code = ?21");
	char *words[16];
	int nwords = 0;
	for (char *save = NULL, *w = strtok_r(fold, " \t", &save); w && nwords < 16; w = strtok_r(NULL, " \t", &save)) {
		words[nwords++] = w;
		strbuf_addf(&sql, " AND instr(u.name_fold, ?%d) > 0", nwords);
	}
	/* the words as typed, together and in order, come first */
	strbuf_adds(&sql, " ORDER BY instr(u.name_fold, ?19) = 0, u.name_key, u.code");
	if (f->limit > 0)
		strbuf_addf(&sql, " LIMIT %d", f->limit);
	sqlite3_stmt *stmt;
	int rc = store_prepare(st, sql.buf, &stmt, err);
	if (rc == 0) {
		for (int i = 0; i < nwords; i++)
			sqlite3_bind_text(stmt, i + 1, words[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 19, phrase, -1, SQLITE_STATIC);
		if (f->within)
			sqlite3_bind_text(stmt, 20, f->within, -1, SQLITE_STATIC);
		if (f->parent)
			sqlite3_bind_text(stmt, 21, f->parent, -1, SQLITE_STATIC);
		int step;
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct store_unit u;
			store_unit_row(stmt, &u);
			if (fn(&u, ud))
				break;
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = store_fail(st, step, err);
		sqlite3_finalize(stmt);
	}
	strbuf_release(&sql);
	free(fold);
	free(phrase);
	return rc;
}

int store_unit_get(struct store *st, const char *code, struct store_unit *u, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	char sql[sizeof store_unit_select + 32];
	snprintf(sql, sizeof sql, "%sWHERE u.code = ?", store_unit_select);
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		store_unit_row(stmt, u);
	sqlite3_finalize(stmt);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return mh_error_set(err, MH_EDATA, _("no unit has the code %s"), code);
	return store_fail(st, rc, err);
}

int store_unit_within(struct store *st, const char *code, const char *ancestor)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(st->db,
	                       "WITH RECURSIVE up(c) AS (SELECT ?1 UNION SELECT parent_code FROM unit, up"
	                       " WHERE unit.code = up.c AND parent_code IS NOT NULL)"
	                       " SELECT 1 FROM up WHERE c = ?2",
	                       -1, &stmt, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, ancestor, -1, SQLITE_STATIC);
	int in = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	return in;
}

int store_unit_set(struct store_unit *u, const char *col, const char *val)
{
	struct {
		const char *col;
		char *dst;
		size_t cap;
	} map[] = {{"code", u->code, sizeof u->code},
	           {"parent_code", u->parent_code, sizeof u->parent_code},
	           {"type", u->type, sizeof u->type},
	           {"name", u->name, sizeof u->name},
	           {"valid_from", u->valid_from, sizeof u->valid_from},
	           {"valid_to", u->valid_to, sizeof u->valid_to},
	           {"replaced_by", u->replaced_by, sizeof u->replaced_by}};
	for (size_t k = 0; k < sizeof map / sizeof *map; k++) {
		if (strcmp(col, map[k].col) != 0)
			continue;
		if (strlen(val) >= map[k].cap)
			return -1;
		memcpy(map[k].dst, val, strlen(val) + 1);
		return 0;
	}
	return -1;
}

int store_unit_add(struct store *st, const struct store_unit *in, struct mh_error *err)
{
	struct store_unit u = *in, parent;
	size_t len = strlen(u.code);
	if (len < 2 || len > 10 || strspn(u.code, "0123456789") != len)
		return mh_error_set(err, MH_EDATA, _("a unit code is 2 to 10 digits: '%s'"), u.code);
	if (store_unit_get(st, u.code, &parent, NULL) == 0)
		return mh_error_set(err, MH_EDATA, _("the unit code %s is already used by %s"), u.code, parent.name);
	if (u.parent_code[0]) {
		if (store_unit_get(st, u.parent_code, &parent, err) < 0)
			return -1;
		u.level = parent.level + 1;
	}
	if (u.level < 1 || u.level > 3)
		return mh_error_set(err, MH_EDATA, _("a unit is a province, a district or a commune"));
	char *name = vn_nfc_dup(u.name);
	if (!name || !name[0] || !u.type[0]) {
		free(name);
		return mh_error_set(err, MH_EDATA, _("a unit needs a type and a name"));
	}
	store_copy(u.name, sizeof u.name, name);
	free(name);
	if ((u.valid_from[0] && !store_date_valid(u.valid_from)) || (u.valid_to[0] && !store_date_valid(u.valid_to)))
		return mh_error_set(err, MH_EDATA, _("a date must be a real date, written YYYY-MM-DD"));
	if (u.valid_from[0] && u.valid_to[0] && strcmp(u.valid_from, u.valid_to) > 0)
		return mh_error_set(err, MH_EDATA, _("the unit ends before it begins"));
	if (u.replaced_by[0] && store_unit_get(st, u.replaced_by, &parent, err) < 0)
		return -1;
	if (!st->have_office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	if (!u.parent_code[0] || !store_unit_within(st, u.parent_code, st->office.unit_code))
		return mh_error_set(err, MH_EDATA, _("the unit %s is outside this office's area"), u.code);
	sqlite3_stmt *stmt;
	if (store_begin(st, err) < 0)
		return -1;
	int ok = store_prepare(st, store_unit_insert_sql, &stmt, err) == 0;
	if (ok) {
		char now[21];
		store_now(now);
		ok = store_unit_insert(st, stmt, &u, st->office.id, now, err) == 0 &&
		     store_audit(st, "unit", u.code, "insert", NULL, NULL, NULL, err) == 0;
		sqlite3_finalize(stmt);
	}
	return store_end(st, ok, err);
}
