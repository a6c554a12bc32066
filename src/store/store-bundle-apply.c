/* Sync, the rows in: each row of a bundle checked (owner, text, length, the
 * forms' rules), then those taken applied in one statement; two PCs' versions
 * made apart wait as a conflict. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formdef.h"
#include "i18n.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

/* --- import ------------------------------------------------------------------ */

/* A text value from another office: UTF-8 in NFC, no control character but
 * line breaks and tabs; at most max characters (0: not checked). 0 if so,
 * else STORE_TEXT_UNCLEAN or STORE_TEXT_LONG. */
enum { STORE_TEXT_LONG = 1, STORE_TEXT_UNCLEAN = 2 };
static int store_bundle_text_check(const unsigned char *s, int n, size_t max)
{
	size_t chars = 0;
	unsigned char high = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return STORE_TEXT_UNCLEAN;
		high |= s[i];
		chars += (s[i] & 0xC0) != 0x80; /* the first byte of each character, once it is valid */
	}
	if (high >= 0x80 && !vn_is_nfc((const char *)s, (size_t)n))
		return STORE_TEXT_UNCLEAN;
	return max && chars > max ? STORE_TEXT_LONG : 0;
}

/* The most characters a text of the column may have: its field's limit, or 8000. */
static size_t store_bundle_max_chars(const struct store_table *t, const char *col)
{
	for (size_t i = 0; t && i < t->ncols; i++)
		if (strcmp(t->cols[i].name, col) == 0 && t->cols[i].maxchars)
			return (size_t)t->cols[i].maxchars;
	return 8000;
}

/* The columns a payload table shares with this database's table. */
static int store_bundle_columns(struct store *st, sqlite3 *pdb, const char *table, struct strbuf *cols)
{
	char *sql = xalloc_printf("SELECT name FROM pragma_table_info('%s')", table);
	sqlite3_stmt *mine = NULL, *theirs = NULL;
	int ok = sqlite3_prepare_v2(st->db, sql, -1, &mine, NULL) == SQLITE_OK &&
	         sqlite3_prepare_v2(pdb, sql, -1, &theirs, NULL) == SQLITE_OK;
	free(sql);
	int n = 0;
	struct strbuf have;
	strbuf_init(&have);
	/* a column named as the rowid would hide it: the rows skipped are told by their rowid */
	while (ok && sqlite3_step(theirs) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(theirs, 0);
		if (strcasecmp(name, "rowid") == 0 || strcasecmp(name, "oid") == 0 || strcasecmp(name, "_rowid_") == 0)
			ok = 0;
		strbuf_addf(&have, ",%s,", name);
	}
	while (ok && sqlite3_step(mine) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(mine, 0);
		char key[96];
		snprintf(key, sizeof key, ",%s,", name);
		if (strstr(have.buf, key)) {
			strbuf_addf(cols, "%s%s", n ? ", " : "", name);
			n++;
		}
	}
	strbuf_release(&have);
	sqlite3_finalize(mine);
	sqlite3_finalize(theirs);
	return ok ? n : -1;
}

int store_bundle_owner_ok(const char *owner, const char *owners)
{
	char key[64];
	snprintf(key, sizeof key, ",%s,", owner);
	return strstr(owners, key) != NULL;
}

/* Whether version x (device, rev, base) was made from version y or after
 * it: on the same PC with a revision as high, or on another PC starting from
 * y or a later version of y's PC. */
static int store_bundle_descends(const char *xdev, long long xrev, const char *xbase, const char *ydev, long long yrev)
{
	if (strcmp(xdev, ydev) == 0)
		return xrev >= yrev;
	const char *colon = xbase ? strrchr(xbase, ':') : NULL;
	return colon && (size_t)(colon - xbase) == strlen(ydev) && strncmp(xbase, ydev, strlen(ydev)) == 0 &&
	       atoll(colon + 1) >= yrev;
}

/* The columns a version of a row is made of, beside its bookkeeping. */
static int store_bundle_content_col(const char *name)
{
	static const char *const skip[] = {"rev",    "device",     "base",      "updated_at", "updated_by",
	                                   "search", "search_all", "name_fold", "name_key"};
	for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
		if (strcmp(name, skip[i]) == 0)
			return 0;
	return 1;
}

/* The same content here and in the payload's current row? */
static int store_bundle_same(sqlite3_stmt *mine, sqlite3_stmt *in, int n)
{
	if (sqlite3_step(mine) != SQLITE_ROW)
		return 0;
	for (int i = 0; i < n; i++) {
		if (!store_bundle_content_col(sqlite3_column_name(in, i)))
			continue;
		int t = sqlite3_column_type(in, i);
		if (t != sqlite3_column_type(mine, i))
			return 0;
		if (t == SQLITE_NULL)
			continue;
		if (t == SQLITE_INTEGER ? sqlite3_column_int64(in, i) != sqlite3_column_int64(mine, i)
		                        : sqlite3_column_bytes(in, i) != sqlite3_column_bytes(mine, i) ||
		                              memcmp(sqlite3_column_blob(in, i), sqlite3_column_blob(mine, i),
		                                     (size_t)sqlite3_column_bytes(in, i)) != 0)
			return 0;
	}
	return 1;
}

/* Two PCs of one office changed the row: their version waits for a person
 * (once, however often it comes again). 1: it waits; 0: settled before. */
static int store_bundle_conflict(struct store *st, const char *table, const char *id, const char *hash,
                                 sqlite3_stmt *json, sqlite3_stmt *in, int n, struct mh_error *err)
{
	sqlite3_reset(json);
	for (int i = 0; i < n; i++)
		sqlite3_bind_value(json, i + 1, sqlite3_column_value(in, i));
	if (sqlite3_step(json) != SQLITE_ROW)
		return store_fail(st, sqlite3_errcode(st->db), err);
	char now[21];
	store_now(now);
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "INSERT INTO conflict (at, tbl, record_id, bundle, theirs) VALUES (?, ?, ?, ?, ?)"
	                  " ON CONFLICT DO NOTHING",
	                  &stmt, err) < 0)
		return -1;
	const char *v[] = {now, table, id, hash, (const char *)sqlite3_column_text(json, 0)};
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(stmt, i + 1, v[i], -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt), added = sqlite3_changes(st->db);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err);
	if (added)
		return 1;
	/* that version came before: it waits still, or a person has settled it */
	if (store_prepare(st, "SELECT resolved_at IS NULL FROM conflict WHERE tbl = ? AND record_id = ? AND theirs = ?",
	                  &stmt, err) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		sqlite3_bind_text(stmt, i + 1, i == 2 ? v[4] : v[i + 1], -1, SQLITE_TRANSIENT);
	int waiting = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return waiting;
}

/* The end of an insert of a payload's row: it replaces ours only where
 * newer and of the same owner, and never a row this import inserted (rowid
 * above last, the highest before it): the same new row twice in the
 * bundle is kept once, the first. */
static void store_bundle_upsert(struct strbuf *sql, const char *table, const char *key, const char *cols,
                                long long last)
{
	strbuf_addf(sql, " ON CONFLICT(%s) DO UPDATE SET ", key);
	char *copy = xalloc_strdup(cols), *save = NULL;
	int k = 0;
	for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save), k++)
		strbuf_addf(sql, "%s%s = excluded.%s", k ? ", " : "", c, c);
	free(copy);
	strbuf_addf(
	    sql,
	    " WHERE excluded.rev > %s.rev AND (excluded.owner = %s.owner"
	    " OR %s.owner IN (SELECT id FROM main.office WHERE successor = excluded.owner)) AND %s.rowid <= %lld",
	    table, table, table, table, last);
}

/* Esc during the one long statement of an import. */
static int store_bundle_interrupt(void *ud)
{
	struct store *st = ud;
	return store_bundle_progress(st, -1);
}

/* The rows of the payload (attached as incoming) taken: all but those whose
 * rowid is in temp.bundle_skip. */
#define STORE_BUNDLE_TAKEN(alias) alias ".rowid NOT IN (SELECT r FROM temp.bundle_skip)"

/* One table of a payload being judged, a row at a time. */
struct store_bundle_judge {
	struct store *st;
	const char *table, *key, *owners, *hash;
	sqlite3_stmt *in, *look, *same, *json, *seen, *skip;
	int n; /* columns shared with ours; the payload's rowid comes after them */
	int ikey, iowner, irev, idev, ibase, idel;
	size_t *maxchars;                /* the longest text each column may hold (0: not checked, derived) */
	const struct formdef_form *form; /* the form's rules (app_record_save's), or NULL */
	int *fcol, *hidden;              /* each field's column; scratch for formdef_rules */
	const char **vals;
	long skipped; /* rows in temp.bundle_skip */
};

/* Not taken: the row's rowid into temp.bundle_skip. */
static int store_bundle_skip(struct store_bundle_judge *j, long long rowid, struct mh_error *err)
{
	sqlite3_reset(j->skip);
	sqlite3_bind_int64(j->skip, 1, rowid);
	int rc = sqlite3_step(j->skip);
	if (rc != SQLITE_DONE)
		return store_fail(j->st, rc, err);
	j->skipped++;
	return 0;
}

/* A row taken whose reference (a foreign key: its model, point, unit) names
 * a row neither here nor taken with it is refused before the copy, with its
 * reason, and so are those that name it in turn: the copy of all the others
 * stays one statement (one broken reference would make SQLite run it whole,
 * undo it, and go row by row). */
static int store_bundle_orphans(struct store_bundle_judge *j, struct store_bundle_result *r, struct mh_error *err)
{
	struct store *st = j->st;
	const char *table = j->table, *key = j->key;
	char *sql = xalloc_printf("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('%s')", table);
	sqlite3_stmt *fk;
	int ok = store_prepare(st, sql, &fk, err) == 0;
	free(sql);
	struct strbuf q;
	strbuf_init(&q);
	while (ok && sqlite3_step(fk) == SQLITE_ROW) {
		const char *from = store_text(fk, 0), *parent = store_text(fk, 1), *to = store_text(fk, 2);
		strbuf_addf(&q,
		            "%sSELECT i.rowid, i.%s, '%s', i.%s FROM incoming.%s i WHERE " STORE_BUNDLE_TAKEN(
		                "i") " AND i.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.%s p WHERE p.%s = i.%s)",
		            q.len ? " UNION ALL " : "SELECT * FROM (", key, from, from, table, from, parent, to, from);
		if (strcmp(parent, table) == 0)
			strbuf_addf(
			    &q, " AND i.%s NOT IN (SELECT t.%s FROM incoming.%s t WHERE " STORE_BUNDLE_TAKEN("t") ")",
			    from, key, table);
	}
	if (ok)
		sqlite3_finalize(fk);
	sqlite3_stmt *find = NULL, *here = NULL;
	char *was = xalloc_printf("SELECT 1 FROM main.%s WHERE %s = ?", table, key);
	if (q.len)
		strbuf_adds(&q, ") GROUP BY 1"); /* a row with two broken references is said once */
	ok = ok && (!q.len || (store_prepare(st, q.buf, &find, err) == 0 && store_prepare(st, was, &here, err) == 0));
	free(was);
	strbuf_release(&q);
	/* until none is left: a refused row's own referrers are found on the next pass */
	for (int found = 1; ok && find && found;) {
		long long *rowids = NULL;
		size_t n = 0;
		sqlite3_reset(find);
		while (sqlite3_step(find) == SQLITE_ROW) {
			const char *id = store_text(find, 1);
			store_bundle_problem(r, _("%s %s: %s = %s names a record that is not here"),
			                     store_table_label(table), id, store_text(find, 2), store_text(find, 3));
			sqlite3_reset(here);
			sqlite3_bind_text(here, 1, id, -1, SQLITE_TRANSIENT);
			*(sqlite3_step(here) == SQLITE_ROW ? &r->updated : &r->added) -= 1;
			rowids = xalloc_realloc(rowids, (n + 1) * sizeof *rowids);
			rowids[n++] = sqlite3_column_int64(find, 0);
		}
		for (size_t i = 0; ok && i < n; i++)
			ok = store_bundle_skip(j, rowids[i], err) == 0;
		free(rowids);
		found = n > 0;
	}
	sqlite3_finalize(find);
	sqlite3_finalize(here);
	return ok ? 0 : -1;
}

/* The same new row more than once among those taken: the copy kept the
 * first (store_bundle_upsert); the others are said and not counted. */
static int store_bundle_twice(struct store_bundle_judge *j, struct store_bundle_result *r, struct mh_error *err)
{
	char *sql = xalloc_printf("SELECT i.%s, count(*) FROM incoming.%s i WHERE " STORE_BUNDLE_TAKEN(
	                              "i") " GROUP BY i.%s HAVING count(*) > 1",
	                          j->key, j->table, j->key);
	sqlite3_stmt *stmt;
	int ok = store_prepare(j->st, sql, &stmt, err) == 0;
	free(sql);
	while (ok && sqlite3_step(stmt) == SQLITE_ROW)
		for (long k = sqlite3_column_int(stmt, 1); k > 1; k--) {
			store_bundle_problem(r, _("%s %s: it is in the bundle twice"), store_table_label(j->table),
			                     store_text(stmt, 0));
			r->added--;
		}
	if (ok)
		sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

/* The rows taken copied from the payload in one statement, as fast as
 * SQLite copies; should one of them break a constraint, row by row, each
 * refused with its reason. taken: how many the judging took. */
static int store_bundle_apply(struct store_bundle_judge *j, const char *cols, sqlite3_stmt *out, long taken,
                              long long last, struct store_bundle_result *r, struct mh_error *err)
{
	struct store *st = j->st;
	const char *table = j->table, *key = j->key;
	struct strbuf bulk;
	strbuf_init(&bulk);
	strbuf_addf(&bulk, "INSERT INTO main.%s (%s) SELECT %s FROM incoming.%s i%s", table, cols, cols, table,
	            j->skipped ? " WHERE " STORE_BUNDLE_TAKEN("i") : " WHERE true"); /* WHERE: the upsert's parse */
	store_bundle_upsert(&bulk, table, key, cols, last);
	sqlite3_progress_handler(st->db, 100000, store_bundle_interrupt, st);
	int rc = sqlite3_exec(st->db, bulk.buf, NULL, NULL, NULL);
	sqlite3_progress_handler(st->db, 0, NULL, NULL);
	strbuf_release(&bulk);
	if (rc == SQLITE_OK)
		return sqlite3_changes64(st->db) == taken ? 0 : store_bundle_twice(j, r, err);
	if (rc == SQLITE_INTERRUPT)
		return mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
	/* one row breaks a rule of this database: find it, keep the others */
	char *sql = xalloc_printf("SELECT %s FROM incoming.%s i WHERE " STORE_BUNDLE_TAKEN("i"), cols, table);
	char *was = xalloc_printf("SELECT 1 FROM main.%s WHERE %s = ?", table, key);
	sqlite3_stmt *in = NULL, *look = NULL;
	int ok = store_prepare(st, sql, &in, err) == 0 && store_prepare(st, was, &look, err) == 0;
	free(sql);
	free(was);
	int n = ok ? sqlite3_column_count(in) : 0, ikey = 0;
	for (int i = 0; i < n; i++)
		ikey = strcmp(sqlite3_column_name(in, i), key) == 0 ? i : ikey;
	while (ok && (rc = sqlite3_step(in)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(in, ikey);
		sqlite3_reset(look);
		sqlite3_bind_text(look, 1, id, -1, SQLITE_TRANSIENT);
		int exists = sqlite3_step(look) == SQLITE_ROW;
		sqlite3_reset(out);
		for (int i = 0; i < n; i++)
			sqlite3_bind_value(out, i + 1, sqlite3_column_value(in, i));
		if (sqlite3_step(out) != SQLITE_DONE) {
			store_bundle_problem(r, _("%s %s: %s"), store_table_label(table), id, sqlite3_errmsg(st->db));
			*(exists ? &r->updated : &r->added) -= 1;
		} else if (sqlite3_changes(st->db) == 0) { /* a new row a second time */
			store_bundle_problem(r, _("%s %s: it is in the bundle twice"), store_table_label(table), id);
			r->added--;
		}
	}
	if (ok && rc != SQLITE_DONE)
		ok = store_fail(st, rc, err) == 0;
	sqlite3_finalize(in);
	sqlite3_finalize(look);
	/* SQLite does not check the references during an import (store_bundle_data_in): a row taken
	 * that names another of the bundle refused just now is one the checks before did not see */
	char *check = xalloc_printf("SELECT count(*) FROM pragma_foreign_key_check('%s')", table);
	ok = ok && store_prepare(st, check, &in, err) == 0;
	free(check);
	if (ok) {
		int broken = sqlite3_step(in) == SQLITE_ROW && sqlite3_column_int(in, 0) > 0;
		sqlite3_finalize(in);
		if (broken)
			ok = mh_error_set(err, MH_EDATA,
			                  _("%s: rows of the bundle name records it also brings that were refused: "
			                    "nothing was changed"),
			                  store_table_label(table)) == 0;
	}
	return ok ? 0 : -1;
}

/* One audit entry for each row taken from the office above that handed it
 * down: its owner was that office, and is now this one. */
static int store_bundle_handed_audit(struct store *st, const char *table, const char *key, const char *from,
                                     struct mh_error *err)
{
	char *sql = xalloc_printf("SELECT DISTINCT i.%s FROM incoming.%s i WHERE " STORE_BUNDLE_TAKEN(
	                              "i") " AND i.%s IN (SELECT %s FROM main.%s WHERE owner = ?)",
	                          key, table, key, key, table);
	sqlite3_stmt *stmt;
	int ok = store_prepare(st, sql, &stmt, err) == 0;
	free(sql);
	if (!ok)
		return -1;
	sqlite3_bind_text(stmt, 1, st->office.id, -1, SQLITE_STATIC);
	while (ok && sqlite3_step(stmt) == SQLITE_ROW)
		ok = store_audit(st, table, store_text(stmt, 0), "update", "owner", from, st->office.id, err) == 0;
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

/* The judgement of the payload's current row: 1 taken (new here), 2 taken
 * (newer than ours), 0 not (refused, unchanged or a conflict: counted and
 * said here), -1 with err. */
static int store_bundle_judge_row(struct store_bundle_judge *j, struct store_bundle_result *r, struct mh_error *err)
{
	sqlite3_stmt *in = j->in;
	const char *label = store_table_label(j->table);
	const char *id = (const char *)sqlite3_column_text(in, j->ikey);
	const char *owner = (const char *)sqlite3_column_text(in, j->iowner);
	long long rev = sqlite3_column_int64(in, j->irev);
	if (!id || !owner) {
		store_bundle_problem(r, _("%s: a row without id or owner"), label);
		return 0;
	}
	if (!store_bundle_owner_ok(owner, j->owners)) {
		store_bundle_problem(r, _("%s %s: owned by an office that is not the sender or below it"), label, id);
		return 0;
	}
	int bad = 0;
	for (int i = 0; i < j->n; i++)
		if (sqlite3_column_type(in, i) == SQLITE_TEXT)
			bad |= store_bundle_text_check(sqlite3_column_text(in, i), sqlite3_column_bytes(in, i),
			                               j->maxchars[i]);
	if (bad & STORE_TEXT_UNCLEAN) {
		store_bundle_problem(r, _("%s %s: a text that is not clean UTF-8 in NFC"), label, id);
		return 0;
	}
	if (bad) {
		store_bundle_problem(r, _("%s %s: a text longer than its field allows"), label, id);
		return 0;
	}
	if (j->form && !(j->idel >= 0 && sqlite3_column_int(in, j->idel))) {
		/* a field the bundle does not carry (an older sender) is not judged */
		for (size_t f = 0; f < j->form->nfields; f++)
			j->vals[f] = j->fcol[f] < 0 ? "?" : (const char *)sqlite3_column_text(in, j->fcol[f]);
		long missing = formdef_rules(j->form, j->vals, j->hidden);
		if (missing >= 0) {
			store_bundle_problem(r, _("%s %s: %s: a value is required"), label, id,
			                     j->form->fields[missing].label);
			return 0;
		}
	}
	sqlite3_reset(j->look);
	sqlite3_bind_text(j->look, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(j->look) != SQLITE_ROW)
		return 1;
	if (strcmp(store_text(j->look, 0), owner) != 0 &&
	    !store_exists(j->st, store_bundle_handed_sql, store_text(j->look, 0), owner)) {
		store_bundle_problem(r, _("%s %s: here it belongs to another office"), label, id);
		return 0;
	}
	long long lrev = sqlite3_column_int64(j->look, 1);
	const char *ldev = (const char *)sqlite3_column_text(j->look, 2);
	const char *tdev = j->idev >= 0 ? (const char *)sqlite3_column_text(in, j->idev) : NULL;
	const char *tbase = j->ibase >= 0 ? (const char *)sqlite3_column_text(in, j->ibase) : NULL;
	if (ldev && tdev && strcmp(ldev, tdev) != 0 && !store_bundle_descends(tdev, rev, tbase, ldev, lrev)) {
		const char *lbase = (const char *)sqlite3_column_text(j->look, 3);
		sqlite3_reset(j->same);
		sqlite3_bind_text(j->same, 1, id, -1, SQLITE_TRANSIENT);
		if (store_bundle_descends(ldev, lrev, lbase, tdev, rev) || store_bundle_same(j->same, in, j->n)) {
			r->unchanged++;
			return 0;
		}
		int waiting = store_bundle_conflict(j->st, j->table, id, j->hash, j->json, in, j->n, err);
		if (waiting < 0)
			return -1;
		*(waiting ? &r->conflicts : &r->unchanged) += 1;
		return 0;
	}
	if (lrev >= rev) {
		r->unchanged++;
		return 0;
	}
	/* newer than ours: the same row twice is told here (a new one by the copy) */
	sqlite3_reset(j->seen);
	sqlite3_bind_text(j->seen, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(j->seen);
	if (rc != SQLITE_DONE)
		return store_fail(j->st, rc, err);
	if (sqlite3_changes(j->st->db) == 0) {
		store_bundle_problem(r, _("%s %s: it is in the bundle twice"), label, id);
		return 0;
	}
	return 2;
}

/* Applies one table of the payload; the key is `code` for units, `id` for
 * the rest. A row is taken where it is new, or newer than ours and made
 * from ours; two PCs' versions made apart are a conflict. Each row is
 * judged in C, those not taken noted by rowid, and all the others copied
 * by one statement. Rows handed down by the office `from` are audited as
 * they are taken. */
int store_bundle_table(struct store *st, sqlite3 *pdb, const char *table, const char *owners, const char *hash,
                       const char *from, struct store_bundle_result *r, struct mh_error *err)
{
	struct store_bundle_judge j = {.st = st, .table = table, .owners = owners, .hash = hash, .idel = -1};
	j.key = strcmp(table, "unit") == 0 ? "code" : "id";
	const struct store_table *t = store_schema_table(table);
	struct strbuf cols;
	strbuf_init(&cols);
	int n = j.n = store_bundle_columns(st, pdb, table, &cols);
	if (n <= 0 || !strstr(cols.buf, "owner") || !strstr(cols.buf, "rev")) {
		strbuf_release(&cols);
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	}
	/* the highest rowid before: a row above it was inserted by this import */
	char *sql = xalloc_printf("SELECT coalesce(max(rowid), 0) FROM main.%s", table);
	sqlite3_stmt *stmt;
	long long last = 0;
	int ok = store_prepare(st, sql, &stmt, err) == 0;
	free(sql);
	if (ok) {
		last = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
		sqlite3_finalize(stmt);
	}
	struct strbuf ins, js;
	strbuf_init(&ins);
	strbuf_init(&js);
	strbuf_addf(&ins, "INSERT INTO main.%s (%s) VALUES (", table, cols.buf);
	for (int i = 0; i < n; i++)
		strbuf_adds(&ins, i ? ", ?" : "?");
	strbuf_adds(&ins, ")");
	store_bundle_upsert(&ins, table, j.key, cols.buf, last);
	strbuf_adds(&js, "SELECT json_object(");
	char *copy = xalloc_strdup(cols.buf), *save = NULL;
	int k = 0;
	for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save), k++)
		strbuf_addf(&js, "%s'%s', ?", k ? ", " : "", c);
	free(copy);
	strbuf_adds(&js, ")");
	char *sel = xalloc_printf("SELECT %s, rowid FROM main.%s", cols.buf, table);
	char *mine = xalloc_printf("SELECT %s FROM main.%s WHERE %s = ?", cols.buf, table, j.key);
	int has_device = strstr(cols.buf, "device") != NULL;
	char *local = xalloc_printf("SELECT owner, rev, %s FROM main.%s WHERE %s = ?",
	                            has_device ? "device, base" : "NULL, NULL", table, j.key);
	sqlite3_stmt *out = NULL;
	ok = ok && sqlite3_prepare_v2(pdb, sel, -1, &j.in, NULL) == SQLITE_OK &&
	     store_prepare(st, ins.buf, &out, err) == 0 && store_prepare(st, local, &j.look, err) == 0 &&
	     store_prepare(st, mine, &j.same, err) == 0 && store_prepare(st, js.buf, &j.json, err) == 0 &&
	     store_exec(st, "DELETE FROM temp.bundle_skip; DELETE FROM temp.bundle_seen", err) == 0 &&
	     store_prepare(st, "INSERT INTO temp.bundle_skip VALUES (?)", &j.skip, err) == 0 &&
	     store_prepare(st, "INSERT OR IGNORE INTO temp.bundle_seen VALUES (?)", &j.seen, err) == 0;
	free(sel);
	free(local);
	free(mine);
	strbuf_release(&ins);
	strbuf_release(&js);
	/* the positions of key, owner, rev, device, base and the deletion mark among the columns */
	j.ikey = j.iowner = j.irev = j.idev = j.ibase = -1;
	for (int i = 0; ok && i < n; i++) {
		const char *name = sqlite3_column_name(j.in, i);
		j.ikey = strcmp(name, j.key) == 0 ? i : j.ikey;
		j.iowner = strcmp(name, "owner") == 0 ? i : j.iowner;
		j.irev = strcmp(name, "rev") == 0 ? i : j.irev;
		j.idev = strcmp(name, "device") == 0 ? i : j.idev;
		j.ibase = strcmp(name, "base") == 0 ? i : j.ibase;
		j.idel = strcmp(name, "deleted") == 0 ? i : j.idel;
	}
	ok = ok && j.ikey >= 0 && j.iowner >= 0 && j.irev >= 0;
	j.maxchars = xalloc_calloc((size_t)n + 1, sizeof *j.maxchars);
	for (int i = 0; ok && i < n; i++)
		j.maxchars[i] = store_bundle_content_col(sqlite3_column_name(j.in, i))
		                    ? store_bundle_max_chars(t, sqlite3_column_name(j.in, i))
		                    : 0;
	j.form = st->forms && strcmp(table, "unit") != 0 ? formdef_form(st->forms, table) : NULL;
	size_t nf = j.form ? j.form->nfields : 0;
	j.fcol = xalloc_calloc(nf + 1, sizeof *j.fcol);
	j.hidden = xalloc_calloc(nf + 1, sizeof *j.hidden);
	j.vals = xalloc_calloc(nf + 1, sizeof *j.vals);
	for (size_t f = 0; f < nf; f++) {
		j.fcol[f] = -1;
		for (int i = 0; ok && i < n; i++)
			if (strcmp(sqlite3_column_name(j.in, i), j.form->fields[f].id) == 0)
				j.fcol[f] = i;
	}
	long rows = 0, before = r->added + r->updated;
	int said = 0;
	while (ok && sqlite3_step(j.in) == SQLITE_ROW) {
		/* the rows of the tables before count too: the bar only moves on */
		long done = r->added + r->updated + r->unchanged + r->refused + r->conflicts;
		if ((++rows & 1023) == 0 && store_bundle_progress(st, 30 + (int)(done * 60 / (r->total + 1)))) {
			ok = mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed")) == 0;
			said = 1;
			break;
		}
		int taken = store_bundle_judge_row(&j, r, err);
		if (taken > 0)
			*(taken == 2 ? &r->updated : &r->added) += 1;
		else if (taken < 0 || store_bundle_skip(&j, sqlite3_column_int64(j.in, n), err) < 0)
			ok = 0, said = 1;
	}
	sqlite3_finalize(j.in);
	if (ok && (store_bundle_orphans(&j, r, err) < 0 ||
	           store_bundle_apply(&j, cols.buf, out, r->added + r->updated - before, last, r, err) < 0 ||
	           (from && store_bundle_handed_audit(st, table, j.key, from, err) < 0))) {
		ok = 0;
		said = 1;
	}
	sqlite3_finalize(out);
	sqlite3_finalize(j.look);
	sqlite3_finalize(j.same);
	sqlite3_finalize(j.json);
	sqlite3_finalize(j.skip);
	sqlite3_finalize(j.seen);
	free(j.maxchars);
	free(j.fcol);
	free(j.hidden);
	free(j.vals);
	strbuf_release(&cols);
	if (!ok && !said)
		mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	return ok ? 0 : -1;
}
