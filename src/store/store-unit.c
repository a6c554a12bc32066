/* Administrative units: the GSO list (embedded in the program) and the
 * historic units an office adds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "i18n.h"
#include "store-internal.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

extern const char mohinh_units_csv[], mohinh_units_csv_end[];
extern const char mohinh_units_2025_csv[], mohinh_units_2025_csv_end[];
extern const char mohinh_links_2025_csv[], mohinh_links_2025_csv_end[];

/* The versions of 2025-07-01 and the day before it, when the 2025-03 list ends. */
#define STORE_UNIT_REFORM     "2025-07-01"
#define STORE_UNIT_REFORM_EVE "2025-06-30"

static const char store_unit_insert_sql[] =
    "INSERT INTO unit (code, parent_code, level, type, name, name_fold, name_key, valid_from, valid_to,"
    " replaced_by, legal_ref, owner, created_at, created_by, updated_at, updated_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif(?14, ''), ?11, ?12, ?13, ?12, ?13)";

static void store_unit_bind_opt(sqlite3_stmt *stmt, int i, const char *v)
{
	if (v && v[0])
		sqlite3_bind_text(stmt, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, i);
}

static int store_unit_insert(struct store *st, sqlite3_stmt *stmt, const struct store_unit *u, const char *owner,
                             const char *now, struct mh_error *err)
{
	char *fold = store_fold(u->name), *key = store_key(u->name);
	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, u->code, -1, SQLITE_STATIC);
	store_unit_bind_opt(stmt, 2, u->parent_code);
	sqlite3_bind_int(stmt, 3, u->level);
	sqlite3_bind_text(stmt, 4, u->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, key, -1, SQLITE_STATIC);
	store_unit_bind_opt(stmt, 8, u->valid_from);
	store_unit_bind_opt(stmt, 9, u->valid_to);
	store_unit_bind_opt(stmt, 10, u->replaced_by);
	sqlite3_bind_text(stmt, 11, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 12, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 13, st->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 14, u->legal_ref, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	free(fold);
	free(key);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* One embedded CSV file, its header skipped; each record goes to fn with
 * its fields (exactly nfields of them). */
static int store_unit_each_csv(struct store *st, const char *what, const char *begin, const char *end, size_t nfields,
                               int (*fn)(struct store *, sqlite3_stmt *, char **, const char *, struct mh_error *),
                               const char *sql, struct mh_error *err)
{
	struct csv_table t;
	if (csv_parse(begin, (size_t)(end - begin), &t, err) < 0)
		return -1;
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(st, sql, &stmt, err);
	char now[21];
	store_now(now);
	for (size_t i = 1; rc == 0 && i < t.n; i++) {
		if (t.r[i].n != nfields)
			rc = mh_error_set(err, MH_EDATA, _("%s, line %ld: %zu fields expected"), what, t.r[i].line,
			                  nfields);
		else
			rc = fn(st, stmt, t.r[i].f, now, err);
	}
	sqlite3_finalize(stmt);
	csv_free(&t);
	return rc;
}

/* code,parent_code,level,type,name[,legal_ref]: a version of the 2025-03
 * list keeps its code as key; one of a later list is "code@valid_from". */
static int store_unit_csv_row(struct store *st, sqlite3_stmt *stmt, char **f, const char *now, int later,
                              struct mh_error *err)
{
	struct store_unit u;
	memset(&u, 0, sizeof u);
	if (later) {
		snprintf(u.code, sizeof u.code, "%s@%s", f[0], STORE_UNIT_REFORM);
		if (f[1][0])
			snprintf(u.parent_code, sizeof u.parent_code, "%s@%s", f[1], STORE_UNIT_REFORM);
		store_copy(u.valid_from, sizeof u.valid_from, STORE_UNIT_REFORM);
		store_copy(u.legal_ref, sizeof u.legal_ref, f[5]);
	} else {
		store_copy(u.code, sizeof u.code, f[0]);
		store_copy(u.parent_code, sizeof u.parent_code, f[1]);
		store_copy(u.valid_to, sizeof u.valid_to, STORE_UNIT_REFORM_EVE);
	}
	u.level = atoi(f[2]);
	store_copy(u.type, sizeof u.type, f[3]);
	store_copy(u.name, sizeof u.name, f[4]);
	return store_unit_insert(st, stmt, &u, "gso", now, err);
}

static int store_unit_csv_old(struct store *st, sqlite3_stmt *stmt, char **f, const char *now, struct mh_error *err)
{
	return store_unit_csv_row(st, stmt, f, now, 0, err);
}

static int store_unit_csv_new(struct store *st, sqlite3_stmt *stmt, char **f, const char *now, struct mh_error *err)
{
	return store_unit_csv_row(st, stmt, f, now, 1, err);
}

/* from,to,share,detail,on,clause */
static int store_unit_csv_link(struct store *st, sqlite3_stmt *stmt, char **f, const char *now, struct mh_error *err)
{
	sqlite3_reset(stmt);
	for (int i = 0; i < 6; i++)
		sqlite3_bind_text(stmt, i + 1, f[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

int store_unit_load_reform(struct store *st, struct mh_error *err)
{
	char saved_user[64];
	store_copy(saved_user, sizeof saved_user, st->user);
	store_set_user(st, "gso");
	/* the 2025-03 list ends the day before the reform (a historic unit that ended before keeps its day) */
	int rc = store_exec(st,
	                    "UPDATE unit SET valid_to = '" STORE_UNIT_REFORM_EVE "'"
	                    " WHERE owner = 'gso' AND valid_to IS NULL AND code = gso",
	                    err);
	rc = rc ? rc
	        : store_unit_each_csv(st, "units-2025-07.csv", mohinh_units_2025_csv, mohinh_units_2025_csv_end, 6,
	                              store_unit_csv_new, store_unit_insert_sql, err);
	rc =
	    rc ? rc
	       : store_unit_each_csv(st, "unit-links-2025.csv", mohinh_links_2025_csv, mohinh_links_2025_csv_end, 6,
	                             store_unit_csv_link,
	                             /* (a database that lacks a unit of the 2025-03 list gets no link from it) */
	                             "INSERT INTO unit_link (from_code, to_code, share, detail, on_date, clause, owner,"
	                             " created_at, created_by) SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'gso', ?7, 'gso'"
	                             " WHERE EXISTS (SELECT 1 FROM unit WHERE code = ?1)",
	                             err);
	store_set_user(st, saved_user);
	return rc;
}

int store_unit_indexes(struct store *st, struct mh_error *err)
{
	return store_exec(st,
	                  "CREATE INDEX IF NOT EXISTS unit_find ON unit(deleted, name_key, gso, valid_from DESC,"
	                  " valid_to, parent_code, name_fold, search);"
	                  "CREATE INDEX IF NOT EXISTS unit_find_on ON unit(deleted, coalesce(valid_to, '9999'),"
	                  " valid_from, name_key, gso, code, parent_code, name_fold, search)",
	                  err);
}

int store_unit_load_gso(struct store *st, struct mh_error *err)
{
	char saved_user[64];
	store_copy(saved_user, sizeof saved_user, st->user);
	store_set_user(st, "gso");
	/* the picker's indexes built once the 24,000 rows are in, not row by row */
	int rc = store_exec(st, "DROP INDEX IF EXISTS unit_find; DROP INDEX IF EXISTS unit_find_on", err);
	rc = rc ? rc
	        : store_unit_each_csv(st, "units-vn-2025-03.csv", mohinh_units_csv, mohinh_units_csv_end, 5,
	                              store_unit_csv_old, store_unit_insert_sql, err);
	store_set_user(st, saved_user);
	rc = rc ? rc : store_unit_load_reform(st, err);
	return rc ? rc : store_unit_indexes(st, err);
}

static const char store_unit_select[] =
    "SELECT u.code, coalesce(u.parent_code, ''), u.level, u.type, u.name,"
    " coalesce(p.name || coalesce(', ' || g.name, ''), ''), coalesce(u.valid_from, ''),"
    " coalesce(u.valid_to, ''), coalesce(u.replaced_by, ''), u.gso, coalesce(u.legal_ref, '')"
    " FROM unit u LEFT JOIN unit p ON p.code = u.parent_code LEFT JOIN unit g ON g.code = p.parent_code ";

static void store_unit_row(sqlite3_stmt *stmt, struct store_unit *u)
{
	u->former[0] = '\0';
	store_copy(u->code, sizeof u->code, store_text(stmt, 0));
	store_copy(u->parent_code, sizeof u->parent_code, store_text(stmt, 1));
	u->level = sqlite3_column_int(stmt, 2);
	store_copy(u->type, sizeof u->type, store_text(stmt, 3));
	store_copy(u->name, sizeof u->name, store_text(stmt, 4));
	store_copy(u->parent_name, sizeof u->parent_name, store_text(stmt, 5));
	store_copy(u->valid_from, sizeof u->valid_from, store_text(stmt, 6));
	store_copy(u->valid_to, sizeof u->valid_to, store_text(stmt, 7));
	store_copy(u->replaced_by, sizeof u->replaced_by, store_text(stmt, 8));
	store_copy(u->gso, sizeof u->gso, store_text(stmt, 9));
	store_copy(u->legal_ref, sizeof u->legal_ref, store_text(stmt, 10));
}

int store_unit_list(struct store *st, const struct store_unit_filter *f, store_unit_fn fn, void *ud,
                    struct mh_error *err)
{
	const char *query = f->query ? f->query : "";
	char *fold = store_fold(query), *phrase = store_fold(query);
	/* the units found, sorted and cut to the limit by their keys alone (hit); then their
	 * names and their parents' for those only */
	struct strbuf sql;
	strbuf_init(&sql);
	strbuf_adds(&sql, f->within ? "WITH RECURSIVE " STORE_UNIT_AREA("sub", "?20") ", hit AS MATERIALIZED ("
	                            : "WITH hit AS MATERIALIZED (");
	strbuf_adds(&sql, "SELECT u.code FROM unit u WHERE u.deleted = 0");
	if (f->within)
		strbuf_adds(&sql, " AND u.code IN sub AND u.code <> ?20");
	if (f->parent)
		strbuf_adds(&sql, " AND u.parent_code = ?21");
	if (f->on)
		strbuf_adds(&sql, " AND coalesce(u.valid_from, '') <= ?22 AND coalesce(u.valid_to, '9999') >= ?22");
	char *words[16];
	int nwords = 0;
	struct strbuf own, old, any;
	strbuf_init(&own);
	strbuf_init(&old);
	strbuf_init(&any);
	strbuf_adds(&own, "1");
	strbuf_adds(&old, "1");
	strbuf_adds(&any, "1");
	for (char *save = NULL, *w = strtok_r(fold, " \t", &save); w && nwords < 16; w = strtok_r(NULL, " \t", &save)) {
		words[nwords++] = w;
		strbuf_addf(&own, " AND instr(u.name_fold, ?%d) > 0", nwords);
		strbuf_addf(&old, " AND instr(p.name_fold, ?%d) > 0", nwords);
		strbuf_addf(&any, " AND instr(coalesce(u.search, u.name_fold), ?%d) > 0", nwords);
	}
	/* on a day, "vinh tan" also finds Xã Vĩnh Hảo, which took in xã Vĩnh Tân: the former name comes
	 * along. The text of its name and its predecessors' finds the candidates in one pass; each word
	 * must then be in one name. */
	int former = f->on && nwords;
	if (former && nwords == 1) /* one word has no space: it lies in one of the names */
		strbuf_addf(&sql, " AND %s", any.buf);
	else if (former)
		strbuf_addf(&sql,
		            " AND %s AND (%s OR EXISTS (SELECT 1 FROM unit_link l JOIN unit p ON p.code = l.from_code"
		            " WHERE l.to_code = u.code AND %s))",
		            any.buf, own.buf, old.buf);
	else
		strbuf_addf(&sql, " AND %s", own.buf);
	strbuf_release(&any);
	/* the words as typed, together and in order, come first (one word: all of them); then the
	 * versions in force before the older: the order of the index unit_find */
	const char *order = nwords > 1 ? " ORDER BY instr(u.name_fold, ?19) = 0, u.name_key, u.gso, u.valid_from DESC"
	                               : " ORDER BY u.name_key, u.gso, u.valid_from DESC";
	strbuf_adds(&sql, order);
	if (f->limit > 0)
		strbuf_addf(&sql, " LIMIT %d", f->limit);
	const char *from = strstr(store_unit_select, " FROM unit u ");
	strbuf_addf(&sql, ") %.*s", (int)(from - store_unit_select), store_unit_select);
	if (former)
		strbuf_addf(&sql,
		            ", CASE WHEN %s THEN '' ELSE (SELECT p.name FROM unit_link l JOIN unit p"
		            " ON p.code = l.from_code WHERE l.to_code = u.code AND %s ORDER BY p.name_key LIMIT 1) END",
		            own.buf, old.buf);
	strbuf_addf(&sql, " FROM hit JOIN unit u ON u.code = hit.code %s%s", from + strlen(" FROM unit u "), order);
	strbuf_release(&own);
	strbuf_release(&old);
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
		if (f->on)
			sqlite3_bind_text(stmt, 22, f->on, -1, SQLITE_STATIC);
		int step;
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct store_unit u;
			store_unit_row(stmt, &u);
			if (former)
				store_copy(u.former, sizeof u.former, store_text(stmt, 11));
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

/* Each row of "store_unit_select WHERE cond" (cond a string constant: the
 * statement is kept under its address; ?1 = a, ?2 = b unless NULL)
 * to fn until it returns non-zero; how many rows it was given, or -1. */
static long store_unit_each(struct store *st, const char *cond, const char *a, const char *b, store_unit_fn fn,
                            void *ud, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	char sql[sizeof store_unit_select + 256];
	snprintf(sql, sizeof sql, "%sWHERE %s", store_unit_select, cond);
	/* kept for the next call with the same condition (a constant), unless one
	 * is still stepping further up (a callback that looks up units) */
	int kept = 1;
	for (size_t i = 0; i < sizeof st->cache / sizeof *st->cache && st->cache[i].sql; i++)
		if (st->cache[i].sql == cond && sqlite3_stmt_busy(st->cache[i].stmt))
			kept = 0;
	if ((kept ? store_prepare_keyed(st, cond, sql, &stmt, err) : store_prepare(st, sql, &stmt, err)) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_unit u;
		store_unit_row(stmt, &u);
		n++;
		if (fn(&u, ud))
			break;
	}
	if (kept)
		sqlite3_reset(stmt);
	else
		sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : store_fail(st, rc, err);
}

static int store_unit_first(const struct store_unit *u, void *ud)
{
	*(struct store_unit *)ud = *u;
	return 1;
}

/* The first row of "store_unit_select WHERE cond": 0, 1 if there is none, or -1. */
static int store_unit_one(struct store *st, const char *cond, const char *a, const char *b, struct store_unit *u,
                          struct mh_error *err)
{
	long n = store_unit_each(st, cond, a, b, store_unit_first, u, err);
	return n < 0 ? -1 : n == 0;
}

/* The slot of a question while bulk (NULL otherwise, or for a long one): it
 * holds the answer when its key is the question's. */
struct store_unit_memo *store_unit_memo(struct store *st, char kind, const char *a, const char *b, char key[64])
{
	if (!st->memo || snprintf(key, 64, "%c%s\x1f%s", kind, a, b ? b : "") >= 64)
		return NULL;
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *c = key; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	return &st->memo[h % STORE_UNIT_MEMO];
}

int store_unit_get(struct store *st, const char *code, struct store_unit *u, struct mh_error *err)
{
	char key[64];
	struct store_unit_memo *m = store_unit_memo(st, 'g', code, NULL, key);
	if (m && strcmp(m->key, key) == 0) {
		*u = m->u;
		return 0;
	}
	int rc = store_unit_one(st, "u.code = ?1", code, NULL, u, err);
	if (rc == 1)
		return mh_error_set(err, MH_EDATA, _("no unit has the code %s"), code);
	if (rc == 0 && m) {
		memcpy(m->key, key, sizeof m->key);
		m->u = *u;
	}
	return rc;
}

int store_unit_versions(struct store *st, const char *code, store_unit_fn fn, void *ud, struct mh_error *err)
{
	return store_unit_each(st, "u.gso = ?1 OR u.code = ?1 ORDER BY coalesce(u.valid_from, '')", code, NULL, fn, ud,
	                       err) < 0
	           ? -1
	           : 0;
}

int store_unit_in_force(const struct store_unit *u, const char *on)
{
	return (!u->valid_from[0] || strcmp(u->valid_from, on) <= 0) &&
	       (!u->valid_to[0] || strcmp(on, u->valid_to) <= 0);
}

static int store_unit_at_db(struct store *st, const char *code, const char *on, struct store_unit *u,
                            struct mh_error *err);

int store_unit_at(struct store *st, const char *code, const char *on, struct store_unit *u, struct mh_error *err)
{
	char key[64];
	struct store_unit_memo *m = store_unit_memo(st, 'a', code, on, key);
	if (m && strcmp(m->key, key) == 0) {
		*u = m->u;
		return 0;
	}
	int rc = store_unit_at_db(st, code, on, u, err);
	if (rc == 0 && m) {
		memcpy(m->key, key, sizeof m->key);
		m->u = *u;
	}
	return rc;
}

static int store_unit_at_db(struct store *st, const char *code, const char *on, struct store_unit *u,
                            struct mh_error *err)
{
	if (!store_date_valid(on))
		return mh_error_set(err, MH_EDATA, _("a date must be a real date, written YYYY-MM-DD"));
	int rc = strchr(code, '@') ? store_unit_one(st, "u.code = ?1", code, NULL, u, err)
	                           : store_unit_one(st,
	                                            "u.gso = ?1 AND +u.deleted = 0 AND coalesce(u.valid_from, '') <= ?2"
	                                            " AND coalesce(u.valid_to, '9999') >= ?2",
	                                            code, on, u, err);
	if (rc < 0)
		return -1;
	if (rc == 0 && store_unit_in_force(u, on))
		return 0;
	/* a version's key names that version: when it began or ended */
	if (rc == 0 && strchr(code, '@'))
		return u->valid_from[0] && strcmp(on, u->valid_from) < 0
		           ? mh_error_set(err, MH_EDATA, _("the unit %s (%s) began on %s: it did not exist on %s"),
		                          u->gso, u->name, u->valid_from, on)
		           : mh_error_set(err, MH_EDATA, _("the unit %s (%s) ended on %s: it is not in force on %s"),
		                          u->gso, u->name, u->valid_to, on);
	/* why not: the code's nearest version, before or after the day */
	struct store_unit near;
	const char *gso = rc == 0 ? u->gso : code;
	if (store_unit_one(st, "u.gso = ?1 AND coalesce(u.valid_from, '') > ?2 ORDER BY u.valid_from", gso, on, &near,
	                   NULL) == 0 &&
	    store_unit_one(st, "u.gso = ?1 AND coalesce(u.valid_from, '') <= ?2", gso, on, u, NULL) != 0)
		return mh_error_set(err, MH_EDATA, _("the unit %s (%s) began on %s: it did not exist on %s"), gso,
		                    near.name, near.valid_from, on);
	if (store_unit_one(st, "u.gso = ?1 AND u.valid_to < ?2 ORDER BY u.valid_to DESC", gso, on, &near, NULL) == 0)
		return mh_error_set(err, MH_EDATA, _("the unit %s (%s) ended on %s: it is not in force on %s"), gso,
		                    near.name, near.valid_to, on);
	return mh_error_set(err, MH_EDATA, _("no unit has the code %s"), code);
}

const char *store_unit_gso(const char *key, char out[12])
{
	snprintf(out, 12, "%.*s", (int)strcspn(key, "@"), key);
	return out;
}

int store_unit_find(struct store *st, const char *code, struct store_unit *u, struct mh_error *err)
{
	if (strchr(code, '@'))
		return store_unit_get(st, code, u, err);
	char today[11];
	store_today(today);
	if (store_unit_at(st, code, today, u, NULL) == 0)
		return 0;
	int rc = store_unit_one(st, "u.gso = ?1 ORDER BY coalesce(u.valid_from, '') DESC", code, NULL, u, err);
	return rc == 1 ? mh_error_set(err, MH_EDATA, _("no unit has the code %s"), code) : rc;
}

int store_unit_within(struct store *st, const char *code, const char *ancestor)
{
	static const char sql[] =
	    "WITH RECURSIVE up(c) AS (SELECT ?1"
	    " UNION SELECT parent_code FROM unit, up WHERE unit.code = up.c AND parent_code IS NOT NULL"
	    " UNION SELECT to_code FROM unit_link, up WHERE from_code = up.c)"
	    " SELECT 1 FROM up WHERE c = ?2";
	char key[64];
	struct store_unit_memo *m = store_unit_memo(st, 'w', code, ancestor, key);
	if (m && strcmp(m->key, key) == 0)
		return m->found;
	int found = store_exists(st, sql, code, ancestor);
	if (m) {
		memcpy(m->key, key, sizeof m->key);
		m->found = found;
	}
	return found;
}

int store_unit_history(struct store *st, const char *code, store_unit_link_fn fn, void *ud, struct mh_error *err)
{
	static const char sql[] =
	    "SELECT * FROM (SELECT 1 AS before, u.code, u.gso, u.name, coalesce(p.name, ''),"
	    "  coalesce(u.valid_from, '') AS since, coalesce(u.valid_to, ''), l.share AS share, l.detail, l.on_date,"
	    "  l.clause"
	    " FROM unit_link l JOIN unit u ON u.code = l.from_code LEFT JOIN unit p ON p.code = u.parent_code"
	    " WHERE l.to_code = ?1"
	    " UNION ALL SELECT 0, u.code, u.gso, u.name, coalesce(p.name, ''), coalesce(u.valid_from, ''),"
	    "  coalesce(u.valid_to, ''), l.share, l.detail, l.on_date, l.clause"
	    " FROM unit_link l JOIN unit u ON u.code = l.to_code LEFT JOIN unit p ON p.code = u.parent_code"
	    " WHERE l.from_code = ?1"
	    " UNION ALL SELECT coalesce(u.valid_from, '') < coalesce(o.valid_from, ''), u.code, u.gso, u.name,"
	    "  coalesce(p.name, ''), coalesce(u.valid_from, ''), coalesce(u.valid_to, ''), '', '', '', ''"
	    " FROM unit o JOIN unit u ON u.gso = o.gso AND u.code <> o.code LEFT JOIN unit p ON p.code = u.parent_code"
	    " WHERE o.code = ?1 AND u.code NOT IN (SELECT from_code FROM unit_link WHERE to_code = ?1)"
	    "  AND u.code NOT IN (SELECT to_code FROM unit_link WHERE from_code = ?1))"
	    " ORDER BY share = '', before DESC, gso, since";
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_unit_link l;
		l.before = sqlite3_column_int(stmt, 0);
		store_copy(l.code, sizeof l.code, store_text(stmt, 1));
		store_copy(l.gso, sizeof l.gso, store_text(stmt, 2));
		store_copy(l.name, sizeof l.name, store_text(stmt, 3));
		store_copy(l.parent_name, sizeof l.parent_name, store_text(stmt, 4));
		store_copy(l.valid_from, sizeof l.valid_from, store_text(stmt, 5));
		store_copy(l.valid_to, sizeof l.valid_to, store_text(stmt, 6));
		store_copy(l.share, sizeof l.share, store_text(stmt, 7));
		store_copy(l.detail, sizeof l.detail, store_text(stmt, 8));
		store_copy(l.on, sizeof l.on, store_text(stmt, 9));
		store_copy(l.clause, sizeof l.clause, store_text(stmt, 10));
		if (fn(&l, ud))
			break;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* Each query lists the breaches of one invariant, one text a row. */
static const char *const store_unit_invariants[] = {
    /* versions of one code never overlap in time; the '+' keeps the join on unit_gso (through
     * the picker's index on deleted the join would be quadratic: 15 s on the country's units) */
    "SELECT a.gso || ': ' || a.code || ' / ' || b.code FROM unit a JOIN unit b ON b.gso = a.gso AND a.code < b.code"
    " WHERE +a.deleted = 0 AND +b.deleted = 0 AND coalesce(a.valid_from, '') <= coalesce(b.valid_to, '9999')"
    " AND coalesce(b.valid_from, '') <= coalesce(a.valid_to, '9999')",
    /* a version with a whole link has no other link; a divided one has two parts or more */
    "SELECT from_code FROM unit_link GROUP BY from_code"
    " HAVING (sum(share = 'whole') > 0 AND count(*) > 1) OR (sum(share = 'part') = 1)",
    /* an ended commune or province has a successor (a district ended with its level) */
    "SELECT u.code FROM unit u WHERE u.deleted = 0 AND u.valid_to IS NOT NULL AND u.level <> 2"
    " AND u.owner = 'gso' AND NOT EXISTS (SELECT 1 FROM unit_link l WHERE l.from_code = u.code)",
    /* a link goes forward: the predecessor ends before its successor begins, on the link's day */
    "SELECT l.from_code || ' -> ' || l.to_code FROM unit_link l JOIN unit a ON a.code = l.from_code"
    " JOIN unit b ON b.code = l.to_code WHERE l.on_date <> '' AND (coalesce(a.valid_to, '9999') >= l.on_date"
    " OR coalesce(b.valid_from, '') > l.on_date)",
    /* a version lies within its parent's time */
    "SELECT u.code FROM unit u JOIN unit p ON p.code = u.parent_code WHERE u.deleted = 0"
    " AND (coalesce(u.valid_from, '') < coalesce(p.valid_from, '') OR"
    " coalesce(u.valid_to, '9999') > coalesce(p.valid_to, '9999'))",
};

long store_unit_check(struct store *st, void (*fn)(const char *what, void *ud), void *ud, struct mh_error *err)
{
	static const char *const what[] = {
	    N_("versions of one unit code overlap in time: %s"),
	    N_("a unit's links mix a whole and other links, or divide it in one part: %s"),
	    N_("an ended unit has no successor: %s"),
	    N_("a link goes back in time: %s"),
	    N_("a unit version lies outside its parent's time: %s"),
	};
	long n = 0;
	for (size_t i = 0; i < sizeof store_unit_invariants / sizeof *store_unit_invariants; i++) {
		sqlite3_stmt *stmt;
		if (store_prepare(st, store_unit_invariants[i], &stmt, err) < 0)
			return -1;
		int rc;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			char *msg = xalloc_printf(_(what[i]), store_text(stmt, 0));
			if (fn)
				fn(msg, ud);
			free(msg);
			n++;
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			return store_fail(st, rc, err);
	}
	return n;
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
	/* the unit that replaced it is its successor, the whole of it, from the day after it ended */
	if (ok && u.replaced_by[0] &&
	    store_prepare(st,
	                  "INSERT INTO unit_link SELECT code, replaced_by, 'whole', 'area+population',"
	                  " coalesce(date(valid_to, '+1 day'), ''), '', owner, created_at,"
	                  " created_by FROM unit WHERE code = ?",
	                  &stmt, err) == 0) {
		sqlite3_bind_text(stmt, 1, u.code, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	return store_end(st, ok, err);
}

/* Every unit version with the area it is counted in (temp.unit_area): the
 * root's children in force on the day are areas (temp.unit_target), the root
 * itself is its own area ("its own level"); the root "" is the whole country.
 * A version goes up to its parent, or, when it ended by the day, forward
 * through its links (units.md, "Counting across the boundary"): a 2017
 * commune of Bình Thuận counts in the Lâm Đồng of 2026. The versions a link
 * leads to start branches; a version whose branches in force on the day land
 * in two areas (a divided commune) is counted apart, as '?' and its code; one
 * with a branch in force outside the root's area is not counted: it may not
 * be there. ?1 the root, ?2 the day. */
static const char *const store_unit_areas_sql[] = {
    "DROP TABLE IF EXISTS temp.unit_area",
    "DROP TABLE IF EXISTS temp.unit_target",
    "CREATE TEMP TABLE unit_area (code TEXT PRIMARY KEY, area TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TEMP TABLE unit_target (code TEXT PRIMARY KEY) WITHOUT ROWID",
    "INSERT INTO unit_target SELECT code FROM unit WHERE parent_code IS nullif(?1, '') AND deleted = 0"
    " AND coalesce(valid_from, '') <= ?2 AND coalesce(valid_to, '9999') >= ?2"
    " UNION SELECT code FROM unit WHERE code = ?1",
};

/* The walk of every version, each step done once: where a version's paths
 * end (a target, or none) and through which branch, SELF for the branch of
 * the path that came to it. */
enum { AREA_SELF = -1, AREA_NONE = -1 };
struct area_pair {
	int branch, target;
};
struct area_node {
	char *code;
	int parent;           /* index, -1 */
	int target, in_force; /* an area; in force on the day */
	int ended;            /* ended by the day, with links by then */
	int link0, nlinks;    /* its links among area_walk.to */
	int state;            /* 0 new, 1 being walked, 2 walked */
	struct area_pair *pairs;
	int npairs;
};
struct area_walk {
	struct area_node *n;
	int count;
	int *to; /* the successors of each node's links, in order of their source */
};

static int area_find(const struct area_walk *w, const char *code)
{
	int lo = 0, hi = w->count - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(w->n[mid].code, code);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void area_add(struct area_node *x, int branch, int target)
{
	for (int i = 0; i < x->npairs; i++)
		if (x->pairs[i].branch == branch && x->pairs[i].target == target)
			return;
	x->pairs = xalloc_realloc(x->pairs, (size_t)(x->npairs + 1) * sizeof *x->pairs);
	x->pairs[x->npairs++] = (struct area_pair){branch, target};
}

static void area_walk_node(struct area_walk *w, int i)
{
	struct area_node *x = &w->n[i];
	if (x->state)
		return; /* walked, or a cycle in broken data: nothing more from here */
	x->state = 1;
	if (x->target) {
		area_add(x, AREA_SELF, i);
	} else {
		area_add(x, AREA_SELF, AREA_NONE);
		if (x->ended) {
			for (int k = 0; k < x->nlinks; k++) {
				int y = w->to[x->link0 + k];
				area_walk_node(w, y);
				for (int j = 0; j < w->n[y].npairs; j++) {
					struct area_pair p = w->n[y].pairs[j];
					area_add(&w->n[i], p.branch == AREA_SELF ? y : p.branch, p.target);
				}
			}
		} else if (x->parent >= 0) {
			int y = x->parent;
			area_walk_node(w, y);
			for (int j = 0; j < w->n[y].npairs; j++)
				area_add(&w->n[i], w->n[y].pairs[j].branch, w->n[y].pairs[j].target);
		}
	}
	w->n[i].state = 2;
}

/* The area of version i, into out ("" when it counts nowhere). */
static void area_of(const struct area_walk *w, int i, char *out, size_t cap)
{
	const struct area_node *x = &w->n[i];
	int target = -1, ntargets = 0, inforce = 0, reaching = 0;
	for (int j = 0; j < x->npairs; j++) {
		int b = x->pairs[j].branch == AREA_SELF ? i : x->pairs[j].branch, t = x->pairs[j].target;
		if (t >= 0 && t != target) {
			int seen = 0;
			for (int k = 0; k < j; k++)
				seen |= x->pairs[k].target == t;
			ntargets += !seen;
			target = t;
		}
		/* each branch once: the first pair that names it */
		int first = 1, reaches = 0;
		for (int k = 0; k < x->npairs; k++) {
			int bk = x->pairs[k].branch == AREA_SELF ? i : x->pairs[k].branch;
			if (bk == b) {
				first &= k >= j;
				reaches |= x->pairs[k].target >= 0;
			}
		}
		if (first && w->n[b].in_force) {
			inforce++;
			reaching += reaches;
		}
	}
	if (ntargets == 0 || inforce != reaching)
		*out = '\0';
	else if (ntargets == 1)
		snprintf(out, cap, "%s", w->n[target].code);
	else
		snprintf(out, cap, "?%s", x->code);
}

static int area_walk_load(struct store *st, struct area_walk *w, const char *day, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(
	        st,
	        "SELECT u.code, u.parent_code, u.code IN temp.unit_target, coalesce(u.valid_to, '9999') >= ?1,"
	        " u.valid_to < ?1 AND EXISTS (SELECT 1 FROM unit_link l WHERE l.from_code = u.code"
	        "  AND l.on_date <= ?1)"
	        " FROM unit u ORDER BY u.code",
	        &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, day, -1, SQLITE_STATIC);
	int cap = 0, rc;
	char **parents = NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (w->count == cap) {
			cap = cap ? cap * 2 : 16384;
			w->n = xalloc_realloc(w->n, (size_t)cap * sizeof *w->n);
			parents = xalloc_realloc(parents, (size_t)cap * sizeof *parents);
		}
		struct area_node *x = &w->n[w->count];
		memset(x, 0, sizeof *x);
		x->code = xalloc_strdup(store_text(stmt, 0));
		parents[w->count++] =
		    sqlite3_column_type(stmt, 1) == SQLITE_NULL ? NULL : xalloc_strdup(store_text(stmt, 1));
		x->target = sqlite3_column_int(stmt, 2);
		x->in_force = sqlite3_column_int(stmt, 3);
		x->ended = sqlite3_column_int(stmt, 4);
	}
	sqlite3_finalize(stmt);
	for (int i = 0; i < w->count; i++) {
		w->n[i].parent = parents[i] ? area_find(w, parents[i]) : -1;
		free(parents[i]);
	}
	free(parents);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err);
	if (store_prepare(st, "SELECT from_code, to_code FROM unit_link WHERE on_date <= ?1 ORDER BY from_code", &stmt,
	                  err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, day, -1, SQLITE_STATIC);
	int nto = 0, prev = -1;
	cap = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int from = area_find(w, store_text(stmt, 0)), to = area_find(w, store_text(stmt, 1));
		if (from < 0 || to < 0)
			continue;
		if (nto == cap) {
			cap = cap ? cap * 2 : 16384;
			w->to = xalloc_realloc(w->to, (size_t)cap * sizeof *w->to);
		}
		if (from != prev)
			w->n[from].link0 = nto;
		w->n[from].nlinks++;
		w->to[nto++] = to;
		prev = from;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* temp.unit_area from the walk of every version */
static int store_unit_areas_walk(struct store *st, const char *day, struct mh_error *err)
{
	struct area_walk w = {0};
	int ok = area_walk_load(st, &w, day, err) == 0;
	sqlite3_stmt *ins = NULL;
	ok = ok && store_prepare(st, "INSERT INTO temp.unit_area VALUES (?, ?)", &ins, err) == 0;
	for (int i = 0; ok && i < w.count; i++) {
		area_walk_node(&w, i);
		char area[32];
		area_of(&w, i, area, sizeof area);
		if (!area[0])
			continue;
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, w.n[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, area, -1, SQLITE_STATIC);
		int rc = sqlite3_step(ins);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_finalize(ins);
	for (int i = 0; i < w.count; i++) {
		free(w.n[i].code);
		free(w.n[i].pairs);
	}
	free(w.n);
	free(w.to);
	return ok ? 0 : -1;
}

/* A historical area (a root no longer in force on the day, asked for by its
 * code): its subtree as it was, links not followed. */
static const char *const store_unit_historic_sql[] = {
    "DROP TABLE IF EXISTS temp.unit_area",
    "CREATE TEMP TABLE unit_area (code TEXT PRIMARY KEY, area TEXT NOT NULL) WITHOUT ROWID",
    "INSERT INTO unit_area"
    " WITH RECURSIVE sub(code, area) AS ("
    "  SELECT code, code FROM unit WHERE parent_code IS nullif(?1, '')"
    "  UNION ALL SELECT u.code, s.area FROM unit u JOIN sub s ON u.parent_code = s.code)"
    " SELECT code, area FROM sub",
    "INSERT OR IGNORE INTO unit_area SELECT code, code FROM unit WHERE code = ?1",
};

int store_unit_areas(struct store *st, const char *root, const char *day, int historic, struct mh_error *err)
{
	const char *const *steps = historic ? store_unit_historic_sql : store_unit_areas_sql;
	size_t n =
	    historic ? sizeof store_unit_historic_sql / sizeof *steps : sizeof store_unit_areas_sql / sizeof *steps;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *stmt;
		if (store_prepare(st, steps[i], &stmt, err) < 0)
			return -1;
		if (sqlite3_bind_parameter_count(stmt) > 0)
			sqlite3_bind_text(stmt, 1, root, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(stmt) > 1)
			sqlite3_bind_text(stmt, 2, day, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			return store_fail(st, rc, err);
	}
	return historic ? 0 : store_unit_areas_walk(st, day, err);
}

void store_unit_areas_drop(struct store *st)
{
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.unit_area; DROP TABLE IF EXISTS temp.unit_target", NULL, NULL,
	             NULL);
}
