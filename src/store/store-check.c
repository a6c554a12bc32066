/* mohinh check: SQLite's integrity check, foreign keys, version, counts, the audit chain. */
#include <stdio.h>
#include <string.h>

#include "store-internal.h"

static long store_check_live(struct store *st, const char *table)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE deleted = 0", table);
	sqlite3_stmt *stmt;
	long n = -1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			n = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	return n;
}

int store_check(struct store *st, struct store_check_report *r, struct mh_error *err)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *stmt;
	if (store_prepare(st, "PRAGMA integrity_check", &stmt, err) < 0)
		return -1;
	int step = sqlite3_step(stmt);
	store_copy(r->integrity, sizeof r->integrity, step == SQLITE_ROW ? store_text(stmt, 0) : "?");
	sqlite3_finalize(stmt);
	if (step != SQLITE_ROW)
		return store_fail(st, step, err);
	if (store_prepare(st, "PRAGMA foreign_key_check", &stmt, err) < 0)
		return -1;
	while (sqlite3_step(stmt) == SQLITE_ROW)
		r->foreign_key_errors++;
	sqlite3_finalize(stmt);
	r->schema_version = store_schema_version(st);
	r->units = store_check_live(st, "unit");
	r->models = store_check_live(st, "model");
	r->points = store_check_live(st, "point");
	r->evaluations = store_check_live(st, "evaluation");
	r->audit = store_count(st, "audit");
	return store_audit_verify(st, r->audit_broken, sizeof r->audit_broken, err);
}
