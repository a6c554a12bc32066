/* The audit log: one entry per new record, per changed field and per change
 * of state, each carrying the SHA-256 of the office's entry before it and its
 * own, so that an entry edited or deleted behind the program's back breaks
 * the chain.
 * Each office has its own chain: entries imported from an office below keep
 * theirs, and can be checked where they arrive. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

#define STORE_AUDIT_COLS "id, at, office, user, tbl, record_id, action, field, old, new"

/* hex SHA-256 of prev and the ten columns, each ended by 0x1F (NULL: 0x1E) */
static void store_audit_hash(const char *prev, const char *const v[10], char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)prev, strlen(prev));
	for (int i = 0; i < 10; i++) {
		const char *s = v[i] ? v[i] : "\x1e";
		crypto_hash_sha256_update(&h, (const unsigned char *)s, strlen(s));
		crypto_hash_sha256_update(&h, (const unsigned char *)"\x1f", 1);
	}
	unsigned char bin[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, bin);
	sodium_bin2hex(out, 65, bin, sizeof bin);
}

static const char store_audit_last_sql[] =
    "SELECT coalesce(hash, '') FROM audit WHERE office = ? ORDER BY seq DESC LIMIT 1";
static const char store_audit_insert_sql[] =
    "INSERT INTO audit (" STORE_AUDIT_COLS ", prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static void store_audit_last(struct store *st, const char *office, char prev[65])
{
	sqlite3_stmt *stmt;
	prev[0] = '\0';
	if (store_prepare_kept(st, store_audit_last_sql, &stmt, NULL) < 0)
		return;
	sqlite3_bind_text(stmt, 1, office, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		store_copy(prev, 65, store_text(stmt, 0));
	sqlite3_reset(stmt);
}

int store_audit(struct store *st, const char *table, const char *id, const char *action, const char *field,
                const char *old, const char *now, struct mh_error *err)
{
	char uuid[STORE_ID_LEN + 1], at[21], prev[65], hash[65];
	store_uuid(uuid);
	store_now(at);
	const char *office = st->have_office ? st->office.id : "-";
	if (st->depth && strcmp(st->audit_office, office) == 0)
		memcpy(prev, st->audit_prev, sizeof prev); /* appended by this transaction */
	else
		store_audit_last(st, office, prev);
	const char *v[10] = {uuid, at, office, st->user, table, id, action, field, old, now};
	store_audit_hash(prev, v, hash);
	sqlite3_stmt *stmt;
	if (store_prepare_kept(st, store_audit_insert_sql, &stmt, err) < 0)
		return -1;
	for (int i = 0; i < 10; i++) /* all here until it has run: not copied by SQLite */
		sqlite3_bind_text(stmt, i + 1, v[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 11, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 12, hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE) {
		st->audit_office[0] = '\0';
		return store_fail(st, rc, err);
	}
	if (st->depth) {
		store_copy(st->audit_office, sizeof st->audit_office, office);
		memcpy(st->audit_prev, hash, sizeof hash);
	}
	return 0;
}

/* A new record's entry: one row, its values a JSON object ({"name": "…", …},
 * the fields given, in the table's order), which the view audit_field shows
 * field by field. */
int store_audit_new(struct store *st, const struct store_table *t, const char *id, char *const *values,
                    struct mh_error *err)
{
	struct strbuf js;
	strbuf_init(&js);
	strbuf_addc(&js, '{');
	for (size_t i = 0; i < t->ncols; i++) {
		if (!values[i])
			continue;
		strbuf_adds(&js, js.len > 1 ? ", \"" : "\"");
		strbuf_adds(&js, t->cols[i].name);
		strbuf_adds(&js, "\": \"");
		for (const char *c = values[i]; *c;) {
			size_t plain = 0; /* the bytes written as they are */
			while ((unsigned char)c[plain] >= 0x20 && c[plain] != 0x7F && c[plain] != '"' &&
			       c[plain] != '\\')
				plain++;
			strbuf_add(&js, c, plain);
			c += plain;
			if (*c == '"' || *c == '\\')
				strbuf_addf(&js, "\\%c", *c++);
			else if (*c == '\n')
				strbuf_adds(&js, "\\n"), c++;
			else if (*c)
				strbuf_addf(&js, "\\u%04x", (unsigned char)*c++);
		}
		strbuf_addc(&js, '"');
	}
	strbuf_addc(&js, '}');
	int rc = store_audit(st, t->name, id, "insert", NULL, NULL, js.buf, err);
	strbuf_release(&js);
	return rc;
}

/* Walks the log in order: fix (rechain) writes the hashes, otherwise the
 * first entry whose hashes do not follow is named in broken. */
static int store_audit_walk(struct store *st, int fix, char *broken, size_t cap, struct mh_error *err)
{
	sqlite3_stmt *stmt, *up = NULL;
	if (store_prepare(st,
	                  "SELECT seq, " STORE_AUDIT_COLS
	                  ", coalesce(prev, ''), coalesce(hash, '') FROM audit ORDER BY office, seq",
	                  &stmt, err) < 0)
		return -1;
	if (fix && store_prepare(st, "UPDATE audit SET prev = ?, hash = ? WHERE seq = ?", &up, err) < 0) {
		sqlite3_finalize(stmt);
		return -1;
	}
	char prev[65] = "", hash[65], office[64] = "";
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *v[10];
		for (int i = 0; i < 10; i++)
			v[i] = (const char *)sqlite3_column_text(stmt, i + 1);
		if (strcmp(office, store_text(stmt, 3)) != 0) { /* the first entry of an office's chain */
			store_copy(office, sizeof office, store_text(stmt, 3));
			prev[0] = '\0';
		}
		store_audit_hash(prev, v, hash);
		if (fix) {
			sqlite3_bind_text(up, 1, prev, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(up, 2, hash, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(up, 3, sqlite3_column_int64(stmt, 0));
			int u = sqlite3_step(up);
			sqlite3_reset(up);
			if (u != SQLITE_DONE) {
				rc = u;
				break;
			}
		} else if (strcmp(store_text(stmt, 11), prev) != 0 || strcmp(store_text(stmt, 12), hash) != 0) {
			snprintf(broken, cap, _("entry %lld (%s, %s %s %s, by %s)"),
			         (long long)sqlite3_column_int64(stmt, 0), store_text(stmt, 2), store_text(stmt, 7),
			         store_text(stmt, 5), store_text(stmt, 6), store_text(stmt, 4));
			rc = SQLITE_DONE;
			break;
		}
		store_copy(prev, sizeof prev, hash);
	}
	sqlite3_finalize(stmt);
	sqlite3_finalize(up);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

int store_audit_rechain(struct store *st, struct mh_error *err)
{
	st->audit_office[0] = '\0';
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	return store_audit_walk(st, 1, NULL, 0, err);
}

int store_audit_verify(struct store *st, char *broken, size_t cap, struct mh_error *err)
{
	broken[0] = '\0';
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	return store_audit_walk(st, 0, broken, cap, err);
}

int store_history(struct store *st, const char *id, store_history_fn fn, void *ud, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "SELECT seq, at, user, action, coalesce(field, ''), coalesce(old, ''), coalesce(new, '')"
	                  " FROM audit_field WHERE record_id = ? ORDER BY seq, part",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_history_row h;
		h.seq = sqlite3_column_int64(stmt, 0);
		h.at = store_text(stmt, 1);
		h.user = store_text(stmt, 2);
		h.action = store_text(stmt, 3);
		h.field = store_text(stmt, 4);
		h.old = store_text(stmt, 5);
		h.now = store_text(stmt, 6);
		if (fn(&h, ud))
			break;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, rc, err);
}

int store_field_changed(struct store *st, const char *id, const char *field, char who[64], char at[21])
{
	sqlite3_stmt *stmt;
	if (store_prepare(
	        st, "SELECT user, at FROM audit_field WHERE record_id = ? AND field = ? ORDER BY seq DESC LIMIT 1",
	        &stmt, NULL) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, field, -1, SQLITE_STATIC);
	int found = sqlite3_step(stmt) == SQLITE_ROW;
	if (found) {
		store_copy(who, 64, store_text(stmt, 0));
		store_copy(at, 21, store_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	return found ? 0 : -1;
}
