/* This office: its unit, a random id, its name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

/* "Huyện Tuy Phong" -> "Công an huyện Tuy Phong" */
static void store_office_default_name(const struct store_unit *u, char *out, size_t cap)
{
	size_t tlen = strlen(u->type);
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, "Công an ");
	if (strncmp(u->name, u->type, tlen) == 0) {
		vn_lower(u->type, tlen, &sb);
		strbuf_adds(&sb, u->name + tlen);
	} else {
		strbuf_adds(&sb, u->name);
	}
	store_copy(out, cap, sb.buf);
	strbuf_release(&sb);
}

int store_office_init(struct store *st, const char *unit_code, const char *on, const char *name, struct mh_error *err)
{
	if (st->have_office)
		return mh_error_set(err, MH_EFAIL, _("this database already belongs to %s"), st->office.name);
	if (store_begin(st, err) < 0)
		return -1;
	int ok = 1;
	if (store_count(st, "unit") == 0)
		ok = store_unit_load_gso(st, err) == 0;
	struct store_unit u;
	ok = ok && (on ? store_unit_at(st, unit_code, on, &u, err) : store_unit_get(st, unit_code, &u, err)) == 0;
	char office_name[256];
	if (ok && name && *name) {
		char *nfc = vn_nfc_dup(name);
		if (!nfc)
			ok = mh_error_set(err, MH_EDATA, _("the office name is not valid UTF-8")) == 0;
		else
			store_copy(office_name, sizeof office_name, nfc);
		free(nfc);
	} else if (ok) {
		store_office_default_name(&u, office_name, sizeof office_name);
	}
	char id[STORE_ID_LEN + 1], now[21];
	store_uuid(id);
	store_now(now);
	sqlite3_stmt *stmt = NULL;
	ok =
	    ok && store_prepare(st, "INSERT INTO office (id, unit_code, name, created_at, this) VALUES (?, ?, ?, ?, 1)",
	                        &stmt, err) == 0;
	if (ok) {
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, u.code, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, office_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_finalize(stmt);
	if (ok) {
		store_office_reload(st);
		ok = store_audit(st, "office", id, "insert", "name", NULL, office_name, err) == 0 &&
		     store_keys_make(st, err) == 0;
	}
	if (store_end(st, ok, err) < 0) {
		store_office_reload(st);
		return -1;
	}
	return 0;
}

/* Moves the records of `table` that `where` picks (its :old the owner they
 * have now) to the owner :new, each one audited as a new revision. */
static int store_office_move(struct store *st, const char *table, const char *where, const char *from, const char *to,
                             long *moved, struct mh_error *err)
{
	char *sql = xalloc_printf("SELECT %s FROM %s WHERE owner = :old AND %s", strcmp(table, "unit") ? "id" : "code",
	                          table, where);
	sqlite3_stmt *stmt;
	int ok = store_prepare(st, sql, &stmt, err) == 0;
	free(sql);
	if (!ok)
		return -1;
	sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":old"), from, -1, SQLITE_STATIC);
	while (ok && sqlite3_step(stmt) == SQLITE_ROW) {
		ok = store_audit(st, table, store_text(stmt, 0), "update", "owner", from, to, err) == 0;
		(*moved)++;
	}
	sqlite3_finalize(stmt);
	char now[21];
	store_now(now);
	sql = xalloc_printf("UPDATE %s SET owner = :new, " STORE_DEVICE_BUMP
	                    ", updated_at = :now, updated_by = :user WHERE owner = :old AND %s",
	                    table, where);
	ok = ok && store_prepare(st, sql, &stmt, err) == 0;
	free(sql);
	if (!ok)
		return -1;
	sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":new"), to, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":dev"), st->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":now"), now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":user"), st->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":old"), from, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* The checks both hand-overs share: an admin's step, and the registered
 * office of `unit` (not this one, not ended) in k. */
static int store_office_other(struct store *st, const char *unit, struct store_keys *k, const char *admin_only,
                              struct mh_error *err)
{
	if (!st->have_office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	if (store_user_gate(st, err) < 0)
		return -1;
	if (store_user_count(st) > 0 && !store_has_role(st, STORE_ROLE_ADMIN))
		return mh_error_set(err, MH_EFAIL, "%s", admin_only);
	/* the registered office, found by its unit's code or its version's key */
	if (store_keys_get(st, unit, k, NULL) < 0 || strcmp(k->office_id, st->office.id) == 0)
		return mh_error_set(err, MH_EDATA, _("no office of the unit %s is registered here"), unit);
	if (k->ended[0])
		return mh_error_set(err, MH_EDATA,
		                    _("the office of the unit %s has ended already: its records passed on"), unit);
	return 0;
}

int store_office_succeed(struct store *st, const char *unit, const char *ended_on, long *moved, struct mh_error *err)
{
	*moved = 0;
	struct store_keys k;
	if (store_office_other(st, unit, &k, _("only an admin may hand an office's records on"), err) < 0)
		return -1;
	if (!store_date_valid(ended_on))
		return mh_error_set(err, MH_EDATA, _("a date must be a real date, written YYYY-MM-DD"));
	/* the successor's area takes in the ended office's unit (Huyện Tuy Phong lies in Lâm Đồng of today) */
	if (!store_unit_within(st, k.unit_code, st->office.unit_code))
		return mh_error_set(err, MH_EDATA, _("the unit %s is outside this office's area"), unit);
	static const char *const tables[] = {"unit", "model", "point", "evaluation"};
	if (store_begin(st, err) < 0)
		return -1;
	int ok = 1;
	for (size_t t = 0; ok && t < sizeof tables / sizeof *tables; t++)
		ok = store_office_move(st, tables[t], "1", k.office_id, st->office.id, moved, err) == 0;
	sqlite3_stmt *stmt;
	ok = ok && store_prepare(st, "UPDATE office SET valid_to = ?, successor = ? WHERE id = ?", &stmt, err) == 0;
	if (ok) {
		sqlite3_bind_text(stmt, 1, ended_on, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, st->office.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, k.office_id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = (rc == SQLITE_DONE || store_fail(st, rc, err) == 0) &&
		     store_audit(st, "office", k.office_id, "update", "successor", NULL, st->office.id, err) == 0;
	}
	return store_end(st, ok, err);
}

/* The models of this office whose every point lies, today, in the area of
 * the office below (temp.unit_area, a point of a divided commune by the
 * successor chosen for it), with a point there or, without points, a model
 * of a unit there: temp.hand_down. The models that have points there and
 * elsewhere stay; of them, those waiting for a successor to be chosen. */
static const char *const store_office_hand_sql[] = {
    "DROP TABLE IF EXISTS temp.hand_down",
    "CREATE TEMP TABLE hand_down (id TEXT PRIMARY KEY) WITHOUT ROWID",
    "INSERT INTO temp.hand_down SELECT m.id FROM model m WHERE m.owner = ?1"
    " AND NOT EXISTS (SELECT 1 FROM point p WHERE p.model_id = m.id AND p.deleted = 0"
    "  AND coalesce(p.unit_successor, p.unit_code) NOT IN (SELECT code FROM temp.unit_area))"
    " AND (EXISTS (SELECT 1 FROM point p WHERE p.model_id = m.id AND p.deleted = 0)"
    "  OR m.unit_code IN (SELECT code FROM temp.unit_area))",
};
static const char store_office_kept_sql[] =
    "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM point p JOIN unit_link l"
    "  ON l.from_code = p.unit_code AND l.share = 'part' JOIN temp.unit_area a ON a.code = l.to_code"
    "  WHERE p.model_id = m.id AND p.deleted = 0 AND p.unit_successor IS NULL))"
    " FROM model m WHERE m.owner = ?1 AND m.id NOT IN temp.hand_down"
    " AND EXISTS (SELECT 1 FROM point p WHERE p.model_id = m.id AND p.deleted = 0"
    "  AND (coalesce(p.unit_successor, p.unit_code) IN (SELECT code FROM temp.unit_area)"
    "   OR (p.unit_successor IS NULL AND EXISTS (SELECT 1 FROM unit_link l JOIN temp.unit_area a"
    "    ON a.code = l.to_code WHERE l.from_code = p.unit_code AND l.share = 'part'))))";

int store_office_hand_down(struct store *st, const char *unit, struct store_hand_down *h, struct mh_error *err)
{
	memset(h, 0, sizeof *h);
	struct store_keys k;
	if (store_office_other(st, unit, &k, _("only an admin may hand records down"), err) < 0)
		return -1;
	store_copy(h->office, sizeof h->office, k.name);
	struct store_unit u;
	char today[11];
	store_today(today);
	if (strcmp(k.unit_code, st->office.unit_code) == 0 || !store_unit_within(st, k.unit_code, st->office.unit_code))
		return mh_error_set(err, MH_EDATA, _("the office %s is not below this one"), k.name);
	if (store_unit_get(st, k.unit_code, &u, err) < 0)
		return -1;
	if (!store_unit_in_force(&u, today))
		return mh_error_set(err, MH_EDATA,
		                    _("the unit of %s is no longer in force: records go to offices of today"), k.name);
	if (store_begin(st, err) < 0)
		return -1;
	int ok = store_unit_areas(st, k.unit_code, today, 0, err) == 0;
	for (size_t i = 0; ok && i < sizeof store_office_hand_sql / sizeof *store_office_hand_sql; i++) {
		sqlite3_stmt *stmt;
		ok = store_prepare(st, store_office_hand_sql[i], &stmt, err) == 0;
		if (!ok)
			break;
		if (sqlite3_bind_parameter_count(stmt) > 0)
			sqlite3_bind_text(stmt, 1, st->office.id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_stmt *stmt;
	ok = ok && store_prepare(st, store_office_kept_sql, &stmt, err) == 0;
	if (ok) {
		sqlite3_bind_text(stmt, 1, st->office.id, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			h->waiting = sqlite3_column_int64(stmt, 1);
			h->spread = sqlite3_column_int64(stmt, 0) - h->waiting;
		}
		sqlite3_finalize(stmt);
	}
	ok = ok &&
	     store_office_move(st, "model", "id IN temp.hand_down", st->office.id, k.office_id, &h->models, err) == 0 &&
	     store_office_move(st, "point", "model_id IN temp.hand_down", st->office.id, k.office_id, &h->points,
	                       err) == 0 &&
	     store_office_move(st, "evaluation", "model_id IN temp.hand_down", st->office.id, k.office_id,
	                       &h->evaluations, err) == 0;
	if (ok && h->models > 0) {
		char n[64];
		snprintf(n, sizeof n, "%ld", h->models + h->points + h->evaluations);
		ok = store_audit(st, "office", k.office_id, "update", "handed", NULL, n, err) == 0;
	}
	sqlite3_exec(st->db, "DROP TABLE IF EXISTS temp.hand_down", NULL, NULL, NULL);
	store_unit_areas_drop(st);
	return store_end(st, ok, err);
}
