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

int store_office_succeed(struct store *st, const char *unit, const char *ended_on, long *moved, struct mh_error *err)
{
	*moved = 0;
	if (!st->have_office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	if (store_user_gate(st, err) < 0)
		return -1;
	if (store_user_count(st) > 0 && !store_has_role(st, STORE_ROLE_ADMIN))
		return mh_error_set(err, MH_EFAIL, _("only an admin may hand an office's records on"));
	if (!store_date_valid(ended_on))
		return mh_error_set(err, MH_EDATA, _("a date must be a real date, written YYYY-MM-DD"));
	/* the registered office, found by its unit's code or its version's key */
	struct store_keys k;
	if (store_keys_get(st, unit, &k, NULL) < 0 || strcmp(k.office_id, st->office.id) == 0)
		return mh_error_set(err, MH_EDATA, _("no office of the unit %s is registered here"), unit);
	if (k.ended[0])
		return mh_error_set(err, MH_EDATA,
		                    _("the office of the unit %s has ended already: its records passed on"), unit);
	const char *id = k.office_id;
	/* the successor's area takes in the ended office's unit (Huyện Tuy Phong lies in Lâm Đồng of today) */
	if (!store_unit_within(st, k.unit_code, st->office.unit_code))
		return mh_error_set(err, MH_EDATA, _("the unit %s is outside this office's area"), unit);
	static const char *const tables[] = {"unit", "model", "point", "evaluation"};
	if (store_begin(st, err) < 0)
		return -1;
	int ok = 1;
	char now[21];
	store_now(now);
	for (size_t t = 0; ok && t < sizeof tables / sizeof *tables; t++) {
		/* each record: one audited change of owner, a new revision */
		char *sql = xalloc_printf("SELECT %s FROM %s WHERE owner = ?", t ? "id" : "code", tables[t]);
		sqlite3_stmt *stmt;
		ok = store_prepare(st, sql, &stmt, err) == 0;
		free(sql);
		if (!ok)
			break;
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
		while (ok && sqlite3_step(stmt) == SQLITE_ROW) {
			ok = store_audit(st, tables[t], store_text(stmt, 0), "update", "owner", id, st->office.id,
			                 err) == 0;
			(*moved)++;
		}
		sqlite3_finalize(stmt);
		sql = xalloc_printf("UPDATE %s SET owner = :new, " STORE_DEVICE_BUMP
		                    ", updated_at = :now, updated_by = :user WHERE owner = :old",
		                    tables[t]);
		ok = ok && store_prepare(st, sql, &stmt, err) == 0;
		free(sql);
		if (!ok)
			break;
		sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":new"), st->office.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":dev"), st->device, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":now"), now, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":user"), st->user, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":old"), id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_stmt *stmt;
	ok = ok && store_prepare(st, "UPDATE office SET valid_to = ?, successor = ? WHERE id = ?", &stmt, err) == 0;
	if (ok) {
		sqlite3_bind_text(stmt, 1, ended_on, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, st->office.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = (rc == SQLITE_DONE || store_fail(st, rc, err) == 0) &&
		     store_audit(st, "office", id, "update", "successor", NULL, st->office.id, err) == 0;
	}
	return store_end(st, ok, err);
}
