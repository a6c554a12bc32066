/* Sync, what a person reads: the status of the exchanges, and a bundle's
 * manifest. */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "formdef.h"
#include "i18n.h"
#include "mh-file.h"
#include "store.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

int store_sync_status(struct store *st, struct strbuf *out, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	/* up: each bundle sent, and its receipt */
	if (store_prepare(st,
	                  "SELECT e.seq, e.at, coalesce(o.name, e.recipient), e.file, r.at, r.summary FROM export_log e"
	                  " LEFT JOIN office o ON o.id = e.recipient LEFT JOIN receipt_log r ON r.seq = e.seq"
	                  " ORDER BY e.seq",
	                  &stmt, err) < 0)
		return -1;
	int n = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (n++ == 0)
			strbuf_addf(out, "%s\n", _("Bundles sent:"));
		strbuf_addf(out, _("  %lld  %.10s  to %s  %s\n"), (long long)sqlite3_column_int64(stmt, 0),
		            store_text(stmt, 1), store_text(stmt, 2), store_text(stmt, 3));
		if (sqlite3_column_type(stmt, 4) == SQLITE_NULL)
			strbuf_addf(out, "      %s\n", _("no receipt yet"));
		else
			strbuf_addf(out, _("      received (receipt of %.10s): %s"), store_text(stmt, 4),
			            store_text(stmt, 5));
	}
	sqlite3_finalize(stmt);
	/* in: per office below, its bundles and the gaps between them */
	if (store_prepare(st,
	                  "SELECT o.name, o.unit_code, max(l.seq), max(l.created), count(l.seq),"
	                  " group_concat(l.seq), count(DISTINCT l.generation), count(DISTINCT l.device),"
	                  " (SELECT min(x.seq) FROM import_log x WHERE x.sender = o.id AND x.generation <>"
	                  " (SELECT y.generation FROM import_log y WHERE y.sender = o.id AND y.generation IS NOT NULL"
	                  " ORDER BY y.seq, y.at LIMIT 1))"
	                  " FROM office o LEFT JOIN import_log l ON l.sender = o.id"
	                  " WHERE o.this = 0 AND o.unit_code IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                      "sub", "?1") " SELECT c FROM sub)"
	                                   " GROUP BY o.id ORDER BY o.unit_code",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, st->office.unit_code, -1, SQLITE_STATIC);
	n = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (n++ == 0)
			strbuf_addf(out, "%s\n", _("Offices below:"));
		long long last = sqlite3_column_int64(stmt, 2);
		if (sqlite3_column_type(stmt, 2) == SQLITE_NULL) {
			strbuf_addf(out, _("  %s (%s): no bundle received yet\n"), store_text(stmt, 0),
			            store_text(stmt, 1));
			continue;
		}
		strbuf_addf(out, _("  %s (%s): last bundle %lld, made %.10s\n"), store_text(stmt, 0),
		            store_text(stmt, 1), last, store_text(stmt, 3));
		/* the sequence numbers below the last that never arrived */
		char have[4096];
		snprintf(have, sizeof have, ",%s,", store_text(stmt, 5));
		struct strbuf missing;
		strbuf_init(&missing);
		for (long long q = 1; q < last && missing.len < 200; q++) {
			char key[32];
			snprintf(key, sizeof key, ",%lld,", q);
			if (!strstr(have, key))
				strbuf_addf(&missing, "%s%lld", missing.len ? ", " : "", q);
		}
		if (missing.len)
			strbuf_addf(out, _("      missing: %s\n"), missing.buf);
		strbuf_release(&missing);
		if (sqlite3_column_int(stmt, 6) > 1)
			strbuf_addf(out,
			            _("      its database was restored from a backup or copied (a new generation since "
			              "bundle %lld): check with that office\n"),
			            (long long)sqlite3_column_int64(stmt, 8));
		if (sqlite3_column_int(stmt, 7) > 1)
			strbuf_addf(out, _("      its bundles come from %d PCs\n"), sqlite3_column_int(stmt, 7));
	}
	sqlite3_finalize(stmt);
	if (store_prepare(st, "SELECT count(*) FROM conflict WHERE resolved_at IS NULL", &stmt, err) < 0)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0)
		strbuf_addf(out, _("Conflicts waiting for a person: %d (mohinh conflicts)\n"),
		            sqlite3_column_int(stmt, 0));
	sqlite3_finalize(stmt);
	if (out->len == 0)
		strbuf_addf(out, "%s\n", _("No bundle sent or received yet."));
	return 0;
}

int store_bundle_manifest(struct store *st, const char *path, struct strbuf *out, struct mh_error *err)
{
	struct store_bundle_result r;
	memset(&r, 0, sizeof r);
	struct store_keys sender;
	char hash[65], *copy = NULL, *tmp = NULL;
	FILE *file = store_bundle_take(st, path, &copy, hash, err);
	if (!file)
		return -1;
	int ok = bundle_header_read(file, &r.h, err) == 0;
	if (ok && strcmp(r.h.kind, "data") != 0)
		ok = mh_error_set(err, MH_EDATA, _("only a data bundle has a manifest")) == 0;
	ok = ok && store_bundle_unseal(st, file, &r, &sender, NULL, NULL, &tmp, err) == 0;
	store_bundle_tmp_done(file, copy);
	sqlite3 *pdb = ok ? store_bundle_payload(tmp, err) : NULL;
	store_bundle_tmp_done(NULL, tmp);
	if (!pdb)
		return -1;
	sqlite3_stmt *stmt;
	/* the counts, under the names mohinh check uses */
	static const char *const keys[][2] = {{"models", N_("models")},
	                                      {"points", N_("points")},
	                                      {"evaluations", N_("evaluations")},
	                                      {"audit", N_("audit entries")},
	                                      {"schema", N_("schema version")}};
	if (sqlite3_prepare_v2(pdb, "SELECT value FROM manifest WHERE key = ?", -1, &stmt, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
			sqlite3_reset(stmt);
			sqlite3_bind_text(stmt, 1, keys[i][0], -1, SQLITE_STATIC);
			if (sqlite3_step(stmt) == SQLITE_ROW)
				strbuf_addf(out, "%s: %s\n", _(keys[i][1]), (const char *)sqlite3_column_text(stmt, 0));
		}
		sqlite3_finalize(stmt);
	}
	sqlite3_close(pdb);
	return 0;
}
