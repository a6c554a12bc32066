/* Sync, the rows in: each row of a bundle checked (owner, text, length, the
 * forms' rules), then those taken applied in one statement; two PCs' versions
 * made apart wait as a conflict. */
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "i18n.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

/* --- import ------------------------------------------------------------------ */

/* A text value from another office: UTF-8 in NFC, no control character but
 * line breaks and tabs in long texts. */
static int store_bundle_text_ok(const unsigned char *s, int n)
{
	if (!s)
		return 1;
	if (!utf8_valid((const char *)s, (size_t)n, NULL))
		return 0;
	for (int i = 0; i < n; i++)
		if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return 0;
	struct strbuf nfc;
	strbuf_init(&nfc);
	int same = vn_nfc((const char *)s, (size_t)n, &nfc, NULL) == 0 && nfc.len == (size_t)n &&
	           memcmp(nfc.buf, s, (size_t)n) == 0;
	strbuf_release(&nfc);
	return same;
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
	sqlite3_stmt *mine, *theirs;
	int ok = sqlite3_prepare_v2(st->db, sql, -1, &mine, NULL) == SQLITE_OK;
	ok = ok && sqlite3_prepare_v2(pdb, sql, -1, &theirs, NULL) == SQLITE_OK;
	free(sql);
	int n = 0;
	struct strbuf have;
	strbuf_init(&have);
	while (ok && sqlite3_step(theirs) == SQLITE_ROW)
		strbuf_addf(&have, ",%s,", (const char *)sqlite3_column_text(theirs, 0));
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
	if (ok)
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
 * newer and of the same owner. */
static void store_bundle_upsert(struct strbuf *sql, const char *table, const char *key, const char *cols)
{
	strbuf_addf(sql, " ON CONFLICT(%s) DO UPDATE SET ", key);
	char *copy = xalloc_strdup(cols), *save = NULL;
	int k = 0;
	for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save), k++)
		strbuf_addf(sql, "%s%s = excluded.%s", k ? ", " : "", c, c);
	free(copy);
	strbuf_addf(sql,
	            " WHERE excluded.rev > %s.rev AND (excluded.owner = %s.owner"
	            " OR %s.owner IN (SELECT id FROM main.office WHERE successor = excluded.owner))",
	            table, table, table);
}

/* Esc during the one long statement of an import. */
static int store_bundle_interrupt(void *ud)
{
	struct store *st = ud;
	return store_bundle_progress(st, -1);
}

/* A row taken whose reference (a foreign key: its model, point, unit) names
 * a row neither here nor taken with it is refused before the copy, with its
 * reason, and so are those that name it in turn: the copy of all the others
 * stays one statement (one broken reference would make SQLite run it whole,
 * undo it, and go row by row). */
static int store_bundle_orphans(struct store *st, const char *table, const char *key, struct store_bundle_result *r,
                                struct mh_error *err)
{
	char *sql = xalloc_printf("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('%s')", table);
	sqlite3_stmt *fk;
	int ok = store_prepare(st, sql, &fk, err) == 0;
	free(sql);
	struct strbuf q;
	strbuf_init(&q);
	while (ok && sqlite3_step(fk) == SQLITE_ROW) {
		const char *from = store_text(fk, 0), *parent = store_text(fk, 1), *to = store_text(fk, 2);
		strbuf_addf(
		    &q,
		    "%sSELECT i.%s, '%s', i.%s FROM incoming.%s i WHERE i.%s IN (SELECT k FROM temp.bundle_take)"
		    " AND i.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.%s p WHERE p.%s = i.%s)",
		    q.len ? " UNION ALL " : "SELECT * FROM (", key, from, from, table, key, from, parent, to, from);
		if (strcmp(parent, table) == 0)
			strbuf_addf(&q, " AND i.%s NOT IN (SELECT k FROM temp.bundle_take)", from);
	}
	if (ok)
		sqlite3_finalize(fk);
	sqlite3_stmt *find = NULL, *drop = NULL, *here = NULL;
	char *was = xalloc_printf("SELECT 1 FROM main.%s WHERE %s = ?", table, key);
	if (q.len)
		strbuf_adds(&q, ") GROUP BY 1"); /* a row with two broken references is said once */
	ok = ok && (!q.len || (store_prepare(st, q.buf, &find, err) == 0 &&
	                       store_prepare(st, "DELETE FROM temp.bundle_take WHERE k = ?", &drop, err) == 0 &&
	                       store_prepare(st, was, &here, err) == 0));
	free(was);
	strbuf_release(&q);
	/* until none is left: a refused row's own referrers are found on the next pass */
	for (int found = 1; ok && find && found;) {
		char **ids = NULL;
		size_t n = 0;
		sqlite3_reset(find);
		while (sqlite3_step(find) == SQLITE_ROW) {
			const char *id = store_text(find, 0);
			store_bundle_problem(r, _("%s %s: %s = %s names a record that is not here"),
			                     store_table_label(table), id, store_text(find, 1), store_text(find, 2));
			ids = xalloc_realloc(ids, (n + 1) * sizeof *ids);
			ids[n++] = xalloc_strdup(id);
		}
		for (size_t i = 0; i < n; i++) {
			sqlite3_reset(here);
			sqlite3_bind_text(here, 1, ids[i], -1, SQLITE_STATIC);
			*(sqlite3_step(here) == SQLITE_ROW ? &r->updated : &r->added) -= 1;
			sqlite3_reset(drop);
			sqlite3_bind_text(drop, 1, ids[i], -1, SQLITE_STATIC);
			int rc = sqlite3_step(drop);
			if (rc != SQLITE_DONE)
				ok = store_fail(st, rc, err) == 0;
			free(ids[i]);
		}
		free(ids);
		found = n > 0;
	}
	sqlite3_finalize(find);
	sqlite3_finalize(drop);
	sqlite3_finalize(here);
	return ok ? 0 : -1;
}

/* The rows taken (temp.bundle_take) copied from the payload (attached as
 * incoming) in one statement, as fast as SQLite copies; should one of them
 * break a constraint, row by row, each refused with its reason. */
static int store_bundle_apply(struct store *st, const char *table, const char *key, const char *cols, sqlite3_stmt *out,
                              struct store_bundle_result *r, struct mh_error *err)
{
	if (store_bundle_orphans(st, table, key, r, err) < 0)
		return -1;
	struct strbuf bulk;
	strbuf_init(&bulk);
	strbuf_addf(&bulk,
	            "INSERT INTO main.%s (%s) SELECT %s FROM incoming.%s WHERE %s IN (SELECT k FROM temp.bundle_take)",
	            table, cols, cols, table, key);
	store_bundle_upsert(&bulk, table, key, cols);
	sqlite3_progress_handler(st->db, 100000, store_bundle_interrupt, st);
	int rc = sqlite3_exec(st->db, bulk.buf, NULL, NULL, NULL);
	sqlite3_progress_handler(st->db, 0, NULL, NULL);
	strbuf_release(&bulk);
	if (rc == SQLITE_OK)
		return 0;
	if (rc == SQLITE_INTERRUPT)
		return mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
	/* one row breaks a rule of this database: find it, keep the others */
	char *sql =
	    xalloc_printf("SELECT %s FROM incoming.%s WHERE %s IN (SELECT k FROM temp.bundle_take)", cols, table, key);
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
		}
	}
	if (ok && rc != SQLITE_DONE)
		ok = store_fail(st, rc, err) == 0;
	sqlite3_finalize(in);
	sqlite3_finalize(look);
	return ok ? 0 : -1;
}

/* One audit entry for each row taken from the office above that handed it
 * down: its owner was that office, and is now this one. */
static int store_bundle_handed_audit(struct store *st, const char *table, const char *key, const char *from,
                                     struct mh_error *err)
{
	char *sql = xalloc_printf("SELECT k FROM temp.bundle_take WHERE k IN (SELECT %s FROM main.%s WHERE owner = ?)",
	                          key, table);
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

/* Applies one table of the payload; the key is `code` for units, `id` for
 * the rest. A row is taken where it is new, or newer than ours and made
 * from ours; two PCs' versions made apart are a conflict. Rows handed down
 * by the office `from` are audited as they are taken. */
int store_bundle_table(struct store *st, sqlite3 *pdb, const char *table, const char *owners, const char *hash,
                       const char *from, struct store_bundle_result *r, struct mh_error *err)
{
	const char *key = strcmp(table, "unit") == 0 ? "code" : "id";
	const struct store_table *t = store_schema_table(table);
	struct strbuf cols;
	strbuf_init(&cols);
	int n = store_bundle_columns(st, pdb, table, &cols);
	if (n <= 0 || !strstr(cols.buf, "owner") || !strstr(cols.buf, "rev")) {
		strbuf_release(&cols);
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	}
	struct strbuf ins, js;
	strbuf_init(&ins);
	strbuf_init(&js);
	strbuf_addf(&ins, "INSERT INTO main.%s (%s) VALUES (", table, cols.buf);
	for (int i = 0; i < n; i++)
		strbuf_adds(&ins, i ? ", ?" : "?");
	strbuf_adds(&ins, ")");
	store_bundle_upsert(&ins, table, key, cols.buf);
	strbuf_adds(&js, "SELECT json_object(");
	char *copy = xalloc_strdup(cols.buf), *save = NULL;
	int k = 0;
	for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save), k++)
		strbuf_addf(&js, "%s'%s', ?", k ? ", " : "", c);
	free(copy);
	strbuf_adds(&js, ")");
	char *sel = xalloc_printf("SELECT %s FROM main.%s", cols.buf, table);
	char *mine = xalloc_printf("SELECT %s FROM main.%s WHERE %s = ?", cols.buf, table, key);
	int has_device = strstr(cols.buf, "device") != NULL;
	char *local = xalloc_printf("SELECT owner, rev, %s FROM main.%s WHERE %s = ?",
	                            has_device ? "device, base" : "NULL, NULL", table, key);
	sqlite3_stmt *in = NULL, *out = NULL, *look = NULL, *same = NULL, *json = NULL, *take = NULL;
	int ok = sqlite3_prepare_v2(pdb, sel, -1, &in, NULL) == SQLITE_OK &&
	         store_prepare(st, ins.buf, &out, err) == 0 && store_prepare(st, local, &look, err) == 0 &&
	         store_prepare(st, mine, &same, err) == 0 && store_prepare(st, js.buf, &json, err) == 0 &&
	         store_exec(st, "DELETE FROM temp.bundle_take", err) == 0 &&
	         store_prepare(st, "INSERT OR IGNORE INTO temp.bundle_take VALUES (?)", &take, err) == 0;
	free(sel);
	free(local);
	free(mine);
	strbuf_release(&ins);
	strbuf_release(&js);
	/* the positions of key, owner, rev, device and base among the columns */
	int ikey = -1, iowner = -1, irev = -1, idev = -1, ibase = -1;
	for (int i = 0; ok && i < n; i++) {
		const char *name = sqlite3_column_name(in, i);
		ikey = strcmp(name, key) == 0 ? i : ikey;
		iowner = strcmp(name, "owner") == 0 ? i : iowner;
		irev = strcmp(name, "rev") == 0 ? i : irev;
		idev = strcmp(name, "device") == 0 ? i : idev;
		ibase = strcmp(name, "base") == 0 ? i : ibase;
	}
	ok = ok && ikey >= 0 && iowner >= 0 && irev >= 0;
	/* the longest text each column may hold (0: not checked, derived) */
	size_t *maxchars = xalloc_calloc((size_t)n + 1, sizeof *maxchars);
	for (int i = 0; ok && i < n; i++)
		maxchars[i] = store_bundle_content_col(sqlite3_column_name(in, i))
		                  ? store_bundle_max_chars(t, sqlite3_column_name(in, i))
		                  : 0;
	/* the form's rules (app_record_save's): each field's column, and the deletion mark */
	const struct formdef_form *form =
	    st->forms && strcmp(table, "unit") != 0 ? formdef_form(st->forms, table) : NULL;
	size_t nf = form ? form->nfields : 0;
	int *fcol = xalloc_calloc(nf + 1, sizeof *fcol), *hidden = xalloc_calloc(nf + 1, sizeof *hidden), idel = -1;
	const char **vals = xalloc_calloc(nf + 1, sizeof *vals);
	for (size_t f = 0; f < nf; f++) {
		fcol[f] = -1;
		for (int i = 0; ok && i < n; i++)
			if (strcmp(sqlite3_column_name(in, i), form->fields[f].id) == 0)
				fcol[f] = i;
	}
	for (int i = 0; ok && i < n; i++)
		idel = strcmp(sqlite3_column_name(in, i), "deleted") == 0 ? i : idel;
	long rows = 0;
	int said = 0;
	while (ok && sqlite3_step(in) == SQLITE_ROW) {
		/* the rows of the tables before count too: the bar only moves on */
		long done = r->added + r->updated + r->unchanged + r->refused + r->conflicts;
		if ((++rows & 1023) == 0 && store_bundle_progress(st, 30 + (int)(done * 60 / (r->total + 1)))) {
			ok = mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed")) == 0;
			said = 1;
			break;
		}
		const char *id = (const char *)sqlite3_column_text(in, ikey);
		const char *owner = (const char *)sqlite3_column_text(in, iowner);
		long long rev = sqlite3_column_int64(in, irev);
		if (!id || !owner) {
			store_bundle_problem(r, _("%s: a row without id or owner"), store_table_label(table));
			continue;
		}
		if (!store_bundle_owner_ok(owner, owners)) {
			store_bundle_problem(r, _("%s %s: owned by an office that is not the sender or below it"),
			                     store_table_label(table), id);
			continue;
		}
		int bad = 0;
		for (int i = 0; i < n && !bad; i++)
			if (sqlite3_column_type(in, i) == SQLITE_TEXT)
				bad = !store_bundle_text_ok(sqlite3_column_text(in, i), sqlite3_column_bytes(in, i));
		if (bad) {
			store_bundle_problem(r, _("%s %s: a text that is not clean UTF-8 in NFC"),
			                     store_table_label(table), id);
			continue;
		}
		for (int i = 0; i < n && !bad; i++)
			bad = maxchars[i] && sqlite3_column_type(in, i) == SQLITE_TEXT &&
			      utf8_nchars((const char *)sqlite3_column_text(in, i),
			                  (size_t)sqlite3_column_bytes(in, i)) > maxchars[i];
		if (bad) {
			store_bundle_problem(r, _("%s %s: a text longer than its field allows"),
			                     store_table_label(table), id);
			continue;
		}
		if (nf && !(idel >= 0 && sqlite3_column_int(in, idel))) {
			/* a field the bundle does not carry (an older sender) is not judged */
			for (size_t f = 0; f < nf; f++)
				vals[f] = fcol[f] < 0 ? "?" : (const char *)sqlite3_column_text(in, fcol[f]);
			long missing = formdef_rules(form, vals, hidden);
			if (missing >= 0) {
				store_bundle_problem(r, _("%s %s: %s: a value is required"), store_table_label(table),
				                     id, form->fields[missing].label);
				continue;
			}
		}
		sqlite3_reset(look);
		sqlite3_bind_text(look, 1, id, -1, SQLITE_TRANSIENT);
		int exists = sqlite3_step(look) == SQLITE_ROW;
		if (exists && strcmp(store_text(look, 0), owner) != 0 &&
		    !store_exists(st, store_bundle_handed_sql, store_text(look, 0), owner)) {
			store_bundle_problem(r, _("%s %s: here it belongs to another office"), store_table_label(table),
			                     id);
			continue;
		}
		long long lrev = exists ? sqlite3_column_int64(look, 1) : 0;
		const char *ldev = exists ? (const char *)sqlite3_column_text(look, 2) : NULL;
		const char *tdev = idev >= 0 ? (const char *)sqlite3_column_text(in, idev) : NULL;
		const char *tbase = ibase >= 0 ? (const char *)sqlite3_column_text(in, ibase) : NULL;
		if (exists && ldev && tdev && strcmp(ldev, tdev) != 0 &&
		    !store_bundle_descends(tdev, rev, tbase, ldev, lrev)) {
			const char *lbase = (const char *)sqlite3_column_text(look, 3);
			sqlite3_reset(same);
			sqlite3_bind_text(same, 1, id, -1, SQLITE_TRANSIENT);
			if (store_bundle_descends(ldev, lrev, lbase, tdev, rev) || store_bundle_same(same, in, n)) {
				r->unchanged++;
				continue;
			}
			int waiting = store_bundle_conflict(st, table, id, hash, json, in, n, err);
			ok = waiting >= 0;
			said = !ok;
			if (waiting > 0)
				r->conflicts++;
			else
				r->unchanged++;
			continue;
		}
		if (exists && lrev >= rev) {
			r->unchanged++;
			continue;
		}
		/* taken: applied below, with all the others, in one statement */
		sqlite3_reset(take);
		sqlite3_bind_text(take, 1, id, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(take);
		if (rc != SQLITE_DONE) {
			ok = store_fail(st, rc, err) == 0;
			said = 1;
		} else if (sqlite3_changes(st->db) == 0) {
			store_bundle_problem(r, _("%s %s: it is in the bundle twice"), store_table_label(table), id);
		} else if (exists) {
			r->updated++;
		} else {
			r->added++;
		}
	}
	sqlite3_finalize(in);
	if (ok && store_bundle_apply(st, table, key, cols.buf, out, r, err) < 0) {
		ok = 0;
		said = 1;
	}
	if (ok && from && store_bundle_handed_audit(st, table, key, from, err) < 0) {
		ok = 0;
		said = 1;
	}
	sqlite3_finalize(take);
	sqlite3_finalize(out);
	sqlite3_finalize(look);
	sqlite3_finalize(same);
	sqlite3_finalize(json);
	free(maxchars);
	free(fcol);
	free(hidden);
	free(vals);
	strbuf_release(&cols);
	if (!ok && !said)
		mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	return ok ? 0 : -1;
}
