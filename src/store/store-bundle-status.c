/* Sync, what a person reads: the status of the exchanges, and a bundle's
 * manifest. */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "mh-file.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

/* The sequence numbers of one sender's bundles below its last that never came. */
static int store_sync_missing(struct store *st, const char *sender, struct store_sync_below *b, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT DISTINCT seq FROM import_log WHERE sender = ? AND seq IS NOT NULL ORDER BY seq",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, sender, -1, SQLITE_TRANSIENT);
	b->missing = xalloc_calloc(STORE_SYNC_MISSING, sizeof *b->missing);
	long long want = 1;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(stmt, 0);
		for (; want < seq; want++, b->nmissing++)
			if (b->nmissing < STORE_SYNC_MISSING)
				b->missing[b->nmissing] = want;
		want = seq + 1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

int store_sync_status(struct store *st, struct store_sync_status *s, struct mh_error *err)
{
	memset(s, 0, sizeof *s);
	sqlite3_stmt *stmt;
	/* up: each bundle sent, and its receipt */
	if (store_prepare(st,
	                  "SELECT e.seq, e.at, coalesce(o.name, e.recipient), e.file, r.at, r.summary FROM export_log e"
	                  " LEFT JOIN office o ON o.id = e.recipient LEFT JOIN receipt_log r ON r.seq = e.seq"
	                  " ORDER BY e.seq",
	                  &stmt, err) < 0)
		return -1;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		s->sent = xalloc_realloc(s->sent, (s->nsent + 1) * sizeof *s->sent);
		struct store_sync_sent *e = &s->sent[s->nsent++];
		e->seq = sqlite3_column_int64(stmt, 0);
		store_copy(e->at, sizeof e->at, store_text(stmt, 1));
		e->to = xalloc_strdup(store_text(stmt, 2));
		e->file = xalloc_strdup(store_text(stmt, 3));
		store_copy(e->receipt_at, sizeof e->receipt_at, store_text(stmt, 4));
		e->receipt = xalloc_strdup(store_text(stmt, 5));
	}
	sqlite3_finalize(stmt);
	/* in: per office below, its bundles and the gaps between them */
	if (store_prepare(st,
	                  "SELECT o.name, o.unit_code, max(l.seq), max(l.created), count(DISTINCT l.device),"
	                  " (SELECT min(x.seq) FROM import_log x WHERE x.sender = o.id AND x.generation <>"
	                  " (SELECT y.generation FROM import_log y WHERE y.sender = o.id AND y.generation IS NOT NULL"
	                  " ORDER BY y.seq, y.at LIMIT 1)), o.id"
	                  " FROM office o LEFT JOIN import_log l ON l.sender = o.id"
	                  " WHERE o.this = 0 AND o.unit_code IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                      "sub", "?1") " SELECT c FROM sub)"
	                                   " GROUP BY o.id ORDER BY o.unit_code",
	                  &stmt, err) < 0) {
		store_sync_status_free(s);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, st->office.unit_code, -1, SQLITE_STATIC);
	int ok = 1;
	while (ok && sqlite3_step(stmt) == SQLITE_ROW) {
		s->below = xalloc_realloc(s->below, (s->nbelow + 1) * sizeof *s->below);
		struct store_sync_below *b = &s->below[s->nbelow++];
		memset(b, 0, sizeof *b);
		b->name = xalloc_strdup(store_text(stmt, 0));
		b->unit = xalloc_strdup(store_text(stmt, 1));
		b->last = sqlite3_column_int64(stmt, 2);
		store_copy(b->made, sizeof b->made, store_text(stmt, 3));
		b->devices = sqlite3_column_int(stmt, 4);
		b->new_generation = sqlite3_column_int64(stmt, 5);
		ok = b->last == 0 || store_sync_missing(st, store_text(stmt, 6), b, err) == 0;
	}
	sqlite3_finalize(stmt);
	if (ok && store_prepare(st, "SELECT count(*) FROM conflict WHERE resolved_at IS NULL", &stmt, err) == 0) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			s->conflicts = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	} else {
		ok = 0;
	}
	if (!ok)
		store_sync_status_free(s);
	return ok ? 0 : -1;
}

void store_sync_status_free(struct store_sync_status *s)
{
	for (size_t i = 0; i < s->nsent; i++) {
		free(s->sent[i].to);
		free(s->sent[i].file);
		free(s->sent[i].receipt);
	}
	for (size_t i = 0; i < s->nbelow; i++) {
		free(s->below[i].name);
		free(s->below[i].unit);
		free(s->below[i].missing);
	}
	free(s->sent);
	free(s->below);
	memset(s, 0, sizeof *s);
}

int store_bundle_manifest(struct store *st, const char *path, struct store_manifest *m, struct mh_error *err)
{
	struct store_bundle_result r;
	memset(&r, 0, sizeof r);
	*m = (struct store_manifest){-1, -1, -1, -1, -1};
	struct store_keys sender;
	char hash[65], *tmp = NULL;
	long long size;
	FILE *in = mh_file_open_regular(path, BUNDLE_MAX, &size, err);
	if (!in)
		return -1;
	int ok = bundle_header_read(in, &r.h, err) == 0;
	if (ok && strcmp(r.h.kind, "data") != 0)
		ok = mh_error_set(err, MH_EDATA, _("only a data bundle has a manifest")) == 0;
	ok = ok && store_bundle_take_data(st, in, &r, &sender, hash, &tmp, err) == 0;
	fclose(in);
	sqlite3 *pdb = ok ? store_bundle_payload(tmp, err) : NULL;
	store_bundle_tmp_done(NULL, tmp);
	if (!pdb)
		return -1;
	sqlite3_stmt *stmt;
	struct {
		const char *key;
		long long *into;
	} keys[] = {{"models", &m->models},
	            {"points", &m->points},
	            {"evaluations", &m->evaluations},
	            {"audit", &m->audit},
	            {"schema", &m->schema}};
	if (sqlite3_prepare_v2(pdb, "SELECT value FROM manifest WHERE key = ?", -1, &stmt, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
			sqlite3_reset(stmt);
			sqlite3_bind_text(stmt, 1, keys[i].key, -1, SQLITE_STATIC);
			if (sqlite3_step(stmt) == SQLITE_ROW)
				*keys[i].into = sqlite3_column_int64(stmt, 0);
		}
		sqlite3_finalize(stmt);
	}
	sqlite3_close(pdb);
	return 0;
}
