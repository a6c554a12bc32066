/* This office: its unit, a random id, its name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-internal.h"
#include "strbuf.h"
#include "vn.h"

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
