/* Review: the states of a record and who may move it between them. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "store.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"

static const char *const store_review_tables[] = {"model", "point", "evaluation"};

const char *store_state_label(const char *state)
{
	if (strcmp(state, "draft") == 0)
		return _("Draft");
	if (strcmp(state, "submitted") == 0)
		return _("Submitted");
	if (strcmp(state, "approved") == 0)
		return _("Approved");
	if (strcmp(state, "returned") == 0)
		return _("Returned");
	return state;
}

/* the title a person recognises a record by */
// clang-format off
#define STORE_REVIEW_TITLE(t) \
	(strcmp(t, "model") == 0 ? "r.name" \
	 : strcmp(t, "point") == 0 \
	 ? "(SELECT m.name FROM model m WHERE m.id = r.model_id) || ' — ' || (SELECT u.name FROM unit u WHERE u.code = r.unit_code)" \
	 : "(SELECT m.name FROM model m WHERE m.id = r.model_id) || ' — ' || r.kind || ' ' || r.period_from || '/' || r.period_to")
// clang-format on

/* the columns of store_review_sql, from column b on */
static void store_review_fill(sqlite3_stmt *stmt, int b, const char *table, struct store_review_row *r)
{
	store_copy(r->table, sizeof r->table, table);
	store_copy(r->id, sizeof r->id, store_text(stmt, b));
	store_copy(r->state, sizeof r->state, store_text(stmt, b + 1));
	store_copy(r->title, sizeof r->title, store_text(stmt, b + 2));
	store_copy(r->prepared_by, sizeof r->prepared_by, store_text(stmt, b + 3));
	store_copy(r->prepared_at, sizeof r->prepared_at, store_text(stmt, b + 4));
	store_copy(r->approved_by, sizeof r->approved_by, store_text(stmt, b + 5));
	store_copy(r->approved_at, sizeof r->approved_at, store_text(stmt, b + 6));
	store_copy(r->reason, sizeof r->reason, store_text(stmt, b + 7));
	r->rev = (long)sqlite3_column_int64(stmt, b + 8);
}

static char *store_review_sql(const char *table, const char *where)
{
	return xalloc_printf(
	    "SELECT r.id, r.state, %s, coalesce(r.prepared_by, ''), coalesce(r.prepared_at, ''),"
	    " coalesce(r.approved_by, ''), coalesce(r.approved_at, ''), coalesce(r.reason, ''), r.rev,"
	    " (SELECT max(a.seq) FROM audit a WHERE a.record_id = r.id) FROM %s r WHERE r.deleted = 0 AND %s",
	    STORE_REVIEW_TITLE(table), table, where);
}

int store_review_get(struct store *st, const char *id, struct store_review_row *r, struct mh_error *err)
{
	for (size_t t = 0; t < 3; t++) {
		char *sql = store_review_sql(store_review_tables[t], "r.id = ?");
		sqlite3_stmt *stmt;
		int rc = store_prepare(st, sql, &stmt, err);
		free(sql);
		if (rc < 0)
			return -1;
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		int found = sqlite3_step(stmt) == SQLITE_ROW;
		if (found)
			store_review_fill(stmt, 0, store_review_tables[t], r);
		sqlite3_finalize(stmt);
		if (found)
			return 0;
	}
	return mh_error_set(err, MH_EDATA, _("no model, point or evaluation has the id %s"), id);
}

int store_review_list(struct store *st, const char *state, int (*fn)(const struct store_review_row *r, void *ud),
                      void *ud, struct mh_error *err)
{
	struct strbuf sql;
	strbuf_init(&sql);
	for (size_t t = 0; t < 3; t++) {
		char *one = store_review_sql(store_review_tables[t], "r.state = ?1");
		strbuf_addf(&sql, "%sSELECT '%s', * FROM (%s)", t ? " UNION ALL " : "", store_review_tables[t], one);
		free(one);
	}
	strbuf_adds(&sql, " ORDER BY 11"); /* the oldest change first */
	sqlite3_stmt *stmt;
	int rc = store_prepare(st, sql.buf, &stmt, err);
	strbuf_release(&sql);
	if (rc < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, state ? state : "submitted", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_review_row r;
		char table[16];
		store_copy(table, sizeof table, store_text(stmt, 0));
		store_review_fill(stmt, 1, table, &r);
		if (fn(&r, ud))
			break;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, rc, err);
}

/* A reason typed by a person: NFC, trimmed, 1 to 1000 characters. */
static char *store_review_reason(const char *reason, struct mh_error *err)
{
	struct strbuf sb;
	strbuf_init(&sb);
	if (!reason || vn_nfc(reason, strlen(reason), &sb, err) < 0) {
		strbuf_release(&sb);
		if (reason)
			return NULL;
		mh_error_set(err, MH_EDATA, _("a reason is required"));
		return NULL;
	}
	char *s = sb.buf;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	if (n == 0) {
		strbuf_release(&sb);
		mh_error_set(err, MH_EDATA, _("a reason is required"));
		return NULL;
	}
	size_t chars = utf8_nchars(s, n);
	if (chars > 1000) {
		strbuf_release(&sb);
		mh_error_set(err, MH_EDATA, _("a reason has at most 1000 characters (this one has %zu)"), chars);
		return NULL;
	}
	char *out = xalloc_strndup(s, n);
	strbuf_release(&sb);
	return out;
}

/* Moves a record from one of the states in `from` to `to`, checking the
 * rules; sets the given signature columns. */
static int store_review_move(struct store *st, const char *id, const char *from, const char *to, enum store_role role,
                             const char *reason, long seen_rev, struct mh_error *err)
{
	struct store_review_row r;
	if (store_user_gate(st, err) < 0)
		return -1;
	if (!st->logged_in)
		return mh_error_set(err, MH_EFAIL,
		                    _("review needs accounts: log in (create them with mohinh user add)"));
	if (!store_has_role(st, role))
		return mh_error_set(err, MH_EFAIL,
		                    role == STORE_ROLE_LEADER
		                        ? _("only a leader may approve, return or reopen a record")
		                        : _("only an officer may submit a record"));
	if (store_review_get(st, id, &r, err) < 0)
		return -1;
	if (!strstr(from, r.state))
		return mh_error_set(err, MH_EDATA, _("the record is in the state \"%s\": it cannot become \"%s\""),
		                    store_state_label(r.state), store_state_label(to));
	if (seen_rev && r.rev != seen_rev)
		return mh_error_set(
		    err, MH_EDATA,
		    _("the record was changed (by %s) since you opened it: look at it again before deciding"),
		    r.prepared_by[0] ? r.prepared_by : "?");
	if (strcmp(to, "approved") == 0 && strcmp(r.prepared_by, st->user) == 0)
		return mh_error_set(err, MH_EFAIL, _("nobody approves a record they prepared: another leader must"));
	char *why = NULL;
	if (reason && !(why = store_review_reason(reason, err)))
		return -1;
	char now[21];
	store_now(now);
	const char *set = strcmp(to, "submitted") == 0 ? "state = ?, prepared_by = ?, prepared_at = ?, reason = NULL"
	                  : strcmp(to, "approved") == 0
	                      ? "state = ?, approved_by = ?, approved_at = ?"
	                      : "state = ?, reason = ?, approved_by = NULL, approved_at = NULL";
	char *sql = xalloc_printf(
	    "UPDATE %s SET %s, " STORE_DEVICE_BUMP ", updated_at = ?, updated_by = ? WHERE id = ?", r.table, set);
	int ok = store_begin(st, err) == 0;
	if (!ok) {
		free(sql);
		free(why);
		return -1;
	}
	sqlite3_stmt *stmt;
	ok = store_prepare(st, sql, &stmt, err) == 0;
	free(sql);
	if (ok) {
		int i = 1;
		sqlite3_bind_text(stmt, i++, to, -1, SQLITE_STATIC);
		if (why) {
			sqlite3_bind_text(stmt, i++, why, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(stmt, i++, st->user, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, i++, now, -1, SQLITE_STATIC);
		}
		sqlite3_bind_text(stmt, i++, st->device, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, i++, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, i++, st->user, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, i, id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = rc == SQLITE_DONE ? 1 : store_fail(st, rc, err) == 0;
	}
	ok = ok && store_audit(st, r.table, id, "state", "state", r.state, to, err) == 0 &&
	     (!why || store_audit(st, r.table, id, "state", "reason", NULL, why, err) == 0);
	free(why);
	return store_end(st, ok, err);
}

int store_review_submit(struct store *st, const char *id, struct mh_error *err)
{
	return store_review_move(st, id, "draft returned", "submitted", STORE_ROLE_OFFICER, NULL, 0, err);
}

static int store_review_collect(struct store *st, const char *sql, const char *id, char ***ids, size_t *n)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, NULL) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		*ids = xalloc_realloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = xalloc_strdup(store_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	return 0;
}

int store_review_submit_model(struct store *st, const char *model_id, int *count, struct mh_error *err)
{
	char **ids = NULL;
	size_t n = 0;
	*count = 0;
	store_review_collect(st, "SELECT id FROM model WHERE id = ? AND deleted = 0 AND state IN ('draft', 'returned')",
	                     model_id, &ids, &n);
	store_review_collect(
	    st, "SELECT id FROM point WHERE model_id = ? AND deleted = 0 AND state IN ('draft', 'returned')", model_id,
	    &ids, &n);
	store_review_collect(
	    st, "SELECT id FROM evaluation WHERE model_id = ? AND deleted = 0 AND state IN ('draft', 'returned')",
	    model_id, &ids, &n);
	int ok = store_begin(st, err) == 0;
	for (size_t i = 0; i < n; i++) {
		ok = ok && store_review_submit(st, ids[i], err) == 0;
		free(ids[i]);
	}
	free(ids);
	if (ok && n == 0)
		ok = mh_error_set(err, MH_EDATA,
		                  _("nothing of this model is a draft or returned: nothing to submit")) == 0;
	if (store_end(st, ok, err) < 0)
		return -1;
	*count = (int)n;
	return 0;
}

int store_review_approve(struct store *st, const char *id, long seen_rev, struct mh_error *err)
{
	return store_review_move(st, id, "submitted", "approved", STORE_ROLE_LEADER, NULL, seen_rev, err);
}

int store_review_return(struct store *st, const char *id, const char *reason, long seen_rev, struct mh_error *err)
{
	if (!reason)
		return mh_error_set(err, MH_EDATA, _("a reason is required"));
	return store_review_move(st, id, "submitted", "returned", STORE_ROLE_LEADER, reason, seen_rev, err);
}

int store_review_reopen(struct store *st, const char *id, const char *reason, struct mh_error *err)
{
	if (!reason)
		return mh_error_set(err, MH_EDATA, _("a reason is required"));
	return store_review_move(st, id, "approved", "returned", STORE_ROLE_LEADER, reason, 0, err);
}

int store_review_diff(struct store *st, const char *id, struct strbuf *out, struct mh_error *err)
{
	/* the field changes after the last approval: first old value → last new value */
	sqlite3_stmt *stmt;
	if (store_prepare(
	        st,
	        "SELECT field, (SELECT a2.old FROM audit_field a2 WHERE a2.record_id = ?1 AND a2.field = a.field"
	        "  AND a2.action IN ('insert', 'update') AND a2.seq > ?2 ORDER BY a2.seq LIMIT 1),"
	        " (SELECT a3.new FROM audit_field a3 WHERE a3.record_id = ?1 AND a3.field = a.field"
	        "  AND a3.action IN ('insert', 'update') AND a3.seq > ?2 ORDER BY a3.seq DESC LIMIT 1)"
	        " FROM audit_field a WHERE a.record_id = ?1 AND a.action IN ('insert', 'update') AND a.seq > ?2"
	        " GROUP BY field ORDER BY min(a.seq), min(a.part)",
	        &stmt, err) < 0)
		return -1;
	sqlite3_stmt *last;
	long long after = 0;
	if (store_prepare(st,
	                  "SELECT coalesce(max(seq), 0) FROM audit WHERE record_id = ? AND action = 'state'"
	                  " AND field = 'state' AND new = 'approved'",
	                  &last, err) < 0) {
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_bind_text(last, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(last) == SQLITE_ROW)
		after = sqlite3_column_int64(last, 0);
	sqlite3_finalize(last);
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, after);
	int rc, n = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(stmt, 1),
		           *now = (const char *)sqlite3_column_text(stmt, 2);
		if ((!old && !now) || (old && now && strcmp(old, now) == 0))
			continue;
		strbuf_addf(out, "%s: %s → %s\n", store_text(stmt, 0), old ? old : "∅", now ? now : "∅");
		n++;
	}
	sqlite3_finalize(stmt);
	if (n == 0 && rc == SQLITE_DONE)
		strbuf_addf(out, "%s\n", after ? _("nothing changed since it was approved") : _("nothing changed"));
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}
