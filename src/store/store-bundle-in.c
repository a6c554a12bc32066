/* Sync, a bundle in: the file copied off the stick, its envelope checked
 * and opened, the manifest compared, the rows applied, the receipt written;
 * receipts and journals. */
#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "mh-file.h"
#include "utf8.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

/* The payload opened read-only and defensively, its tables checked. */
sqlite3 *store_bundle_payload(const char *path, struct mh_error *err)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
		return NULL;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 64);
	sqlite3_stmt *stmt = NULL;
	int ok = sqlite3_exec(db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL) == SQLITE_OK &&
	         sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
	         sqlite3_step(stmt) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0;
	sqlite3_finalize(stmt);
	stmt = NULL; /* not finalized twice when the check above failed */
	/* only the tables a bundle has: no index, trigger or view */
	ok = ok && sqlite3_prepare_v2(db, "SELECT type, name FROM sqlite_schema", -1, &stmt, NULL) == SQLITE_OK;
	int tables = 0;
	while (ok && sqlite3_step(stmt) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(stmt, 0),
		           *name = (const char *)sqlite3_column_text(stmt, 1);
		int known = strcmp(name, "manifest") == 0 || strcmp(name, "audit") == 0;
		for (int i = 0; i < STORE_BUNDLE_NTABLES; i++)
			known |= strcmp(name, store_bundle_tables[i]) == 0;
		ok = strcmp(type, "table") == 0 && known;
		tables++;
	}
	sqlite3_finalize(stmt);
	if (!ok || tables != 6) {
		sqlite3_close(db);
		mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
		return NULL;
	}
	return db;
}

/* The audit entries of the sender's offices, each once, keeping their chain. */
static int store_bundle_audit(struct store *st, sqlite3 *pdb, const char *owners, struct mh_error *err)
{
	st->audit_office[0] = '\0'; /* chains written here: store_audit reads its own again */
	static const char cols[] = "id, at, office, user, tbl, record_id, action, field, old, new, prev, hash";
	sqlite3_stmt *in, *out = NULL;
	if (sqlite3_prepare_v2(pdb,
	                       "SELECT id, at, office, user, tbl, record_id, action, field, old, new, prev, hash"
	                       " FROM audit ORDER BY seq",
	                       -1, &in, NULL) != SQLITE_OK)
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	char *sql =
	    xalloc_printf("INSERT OR IGNORE INTO main.audit (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cols);
	int ok = store_prepare(st, sql, &out, err) == 0;
	free(sql);
	while (ok && sqlite3_step(in) == SQLITE_ROW) {
		const char *office = (const char *)sqlite3_column_text(in, 2);
		if (!office || !store_bundle_owner_ok(office, owners))
			continue;
		sqlite3_reset(out);
		for (int i = 0; i < 12; i++)
			sqlite3_bind_value(out, i + 1, sqlite3_column_value(in, i));
		int rc = sqlite3_step(out);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_finalize(in);
	sqlite3_finalize(out);
	return ok ? 0 : -1;
}

/* An office that ended sends nothing more: its records passed to its successor. */
static int store_bundle_ended(struct store *st, const struct store_keys *sender, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "SELECT o.valid_to, coalesce(s.name, o.successor) FROM office o"
	                  " LEFT JOIN office s ON s.id = o.successor WHERE o.id = ? AND o.successor IS NOT NULL",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, sender->office_id, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		rc = mh_error_set(err, MH_EDATA, _("the office %s ended on %s: its records passed to %s"), sender->name,
		                  store_text(stmt, 0), store_text(stmt, 1));
	sqlite3_finalize(stmt);
	return rc;
}

/* Checks the sender (registered, below this office for data, above it for a
 * receipt) and the recipient, and reads the keys to open its bundle with. */
static int store_bundle_sender(struct store *st, struct store_bundle_result *r, struct store_keys *sender,
                               unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES],
                               unsigned char box_pk[crypto_box_PUBLICKEYBYTES],
                               unsigned char box_sk[crypto_box_SECRETKEYBYTES], struct mh_error *err)
{
	if (!st->have_office || strcmp(r->h.recipient, st->office.id) != 0)
		return mh_error_set(err, MH_EDATA, _("the bundle was made for another office"));
	if (store_keys_get(st, r->h.sender_unit, sender, NULL) < 0 || strcmp(sender->office_id, r->h.sender) != 0)
		return mh_error_set(err, MH_EDATA,
		                    _("the bundle comes from an office that is not registered here (unit %s)"),
		                    r->h.sender_unit);
	if (sender->revoked[0])
		return mh_error_set(err, MH_EDATA, _("the key of %s was revoked on %.10s: its bundles are refused"),
		                    sender->name, sender->revoked);
	if (store_bundle_ended(st, sender, err) < 0)
		return -1;
	int down = strcmp(r->h.kind, "data") != 0;
	const char *below = down ? st->office.unit_code : sender->unit_code;
	const char *above = down ? sender->unit_code : st->office.unit_code;
	if (strcmp(below, above) == 0 || !store_unit_within(st, below, above))
		return mh_error_set(
		    err, MH_EDATA,
		    down ? _("receipts, reference data and handed records come from the office above this one")
		         : _("data bundles come from the offices below this one"));
	store_copy(r->sender_name, sizeof r->sender_name, sender->name);
	struct store_keys self;
	if (store_bundle_hex(sender->sign_pk, sign_pk, crypto_sign_PUBLICKEYBYTES) < 0 ||
	    store_keys_get(st, NULL, &self, err) < 0 ||
	    store_bundle_hex(self.box_pk, box_pk, crypto_box_PUBLICKEYBYTES) < 0 ||
	    store_bundle_secret(st, "box_sk", box_sk, crypto_box_SECRETKEYBYTES, err) < 0)
		return -1;
	return 0;
}

/* The sender checked, then a small bundle (a receipt, reference data) opened into memory (*text). */
static int store_bundle_unseal(struct store *st, FILE *file, struct store_bundle_result *r, struct store_keys *sender,
                               char **text, size_t *tlen, struct mh_error *err)
{
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES],
	    box_sk[crypto_box_SECRETKEYBYTES];
	*text = NULL;
	if (store_bundle_sender(st, r, sender, sign_pk, box_pk, box_sk, err) == 0)
		*text = store_bundle_small(file, sign_pk, box_pk, box_sk, &r->h, tlen, err);
	sodium_memzero(box_sk, sizeof box_sk);
	return *text ? 0 : -1;
}

int store_bundle_take_data(struct store *st, FILE *in, struct store_bundle_result *r, struct store_keys *sender,
                           char hash[65], char **tmp, struct mh_error *err)
{
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES],
	    box_sk[crypto_box_SECRETKEYBYTES], digest[32];
	*tmp = NULL;
	int rc = store_bundle_sender(st, r, sender, sign_pk, box_pk, box_sk, err);
	FILE *out = rc == 0 ? store_bundle_tmp(st, "payload", tmp, err) : NULL;
	if (out) {
		rc = bundle_take(in, sign_pk, box_pk, box_sk, &r->h, digest, out, err);
		sodium_bin2hex(hash, 65, digest, sizeof digest);
		if (fclose(out) != 0 && rc == 0)
			rc = mh_error_set(err, MH_EIO, _("cannot write the bundle's content: %s"), strerror(errno));
	} else {
		rc = -1;
	}
	sodium_memzero(box_sk, sizeof box_sk);
	if (rc < 0) {
		store_bundle_tmp_done(NULL, *tmp);
		*tmp = NULL;
	}
	return rc;
}

/* A receipt: what the office above says arrived of one of our bundles. */
static int store_bundle_receipt_in(struct store *st, struct store_bundle_result *r, const char *text, size_t plen,
                                   int dry_run, struct mh_error *err)
{
	r->is_receipt = 1;
	if (strlen(text) != plen || !utf8_valid(text, plen, NULL))
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	char now[21];
	store_now(now);
	sqlite3_stmt *stmt;
	int ok = store_begin(st, err) == 0;
	if (ok && store_prepare(st, "INSERT OR REPLACE INTO receipt_log VALUES (?, ?, ?, ?)", &stmt, err) == 0) {
		sqlite3_bind_int64(stmt, 1, r->h.seq);
		sqlite3_bind_text(stmt, 2, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, r->h.sender, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, text, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	} else if (ok) {
		ok = 0;
	}
	store_copy(r->receipt_text, sizeof r->receipt_text, text);
	if (dry_run) {
		store_end(st, 0, NULL);
		return ok ? 0 : -1;
	}
	return store_end(st, ok, err);
}

/* The receipt of a data bundle, sealed to its sender and signed here. */
static void store_bundle_receipt_out(struct store *st, struct store_bundle_result *r, const char *hash,
                                     const struct store_keys *sender)
{
	struct strbuf text;
	strbuf_init(&text);
	strbuf_addf(&text, _("bundle %lld (%.16s): %ld new, %ld updated, %ld unchanged, %ld refused\n"), r->h.seq, hash,
	            r->added, r->updated, r->unchanged, r->refused);
	for (size_t i = 0; i < r->nproblems; i++)
		strbuf_addf(&text, "  %s\n", r->problems[i]);
	struct bundle_header h;
	struct store_keys self;
	memset(&self, 0, sizeof self);
	store_copy(self.office_id, sizeof self.office_id, st->office.id);
	store_copy(self.unit_code, sizeof self.unit_code, st->office.unit_code);
	store_bundle_head(&h, "receipt", &self, sender->office_id);
	h.seq = r->h.seq;
	h.payload_len = (long long)text.len;
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
	char *buf = NULL;
	size_t n = 0;
	FILE *in = fmemopen(text.buf, text.len, "rb"), *out = open_memstream(&buf, &n);
	if (in && out && store_bundle_secret(st, "sign_sk", sign_sk, sizeof sign_sk, NULL) == 0 &&
	    store_bundle_hex(sender->box_pk, box_pk, sizeof box_pk) == 0 &&
	    bundle_seal(&h, in, sign_sk, box_pk, out, NULL) == 0 && fflush(out) == 0)
		strbuf_add(&r->receipt, buf, n);
	sodium_memzero(sign_sk, sizeof sign_sk);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	free(buf);
	strbuf_release(&text);
}

/* A refused import leaves the database as it was, byte for byte: it is
 * recorded in a journal beside it (<db>-sync/refused.log) instead. */
static void store_bundle_journal(struct store *st, const char *path, const char *hash, const char *why)
{
	char *dir = store_side_dir(st, "-sync", NULL);
	if (!dir)
		return;
	char *file = xalloc_printf("%s/refused.log", dir), now[21];
	store_now(now);
	FILE *f = fopen(file, "a");
	if (f) {
		fprintf(f, "%s\t%s\t%s\t%s\t%s\n", now, st->user, path, hash[0] ? hash : "-", why);
		fclose(f);
	}
	free(file);
	free(dir);
}

/* The file read to its end a chunk at a time and hashed, each chunk written
 * to out unless NULL. */
static int store_bundle_read(FILE *in, long long size, FILE *out, const char *copy, char hash[65], struct mh_error *err)
{
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, 32);
	unsigned char *buf = xalloc_malloc(65536);
	long long got = 0;
	size_t n;
	int ok = 1;
	while (ok && (n = fread(buf, 1, 65536, in)) > 0) {
		crypto_generichash_update(&hs, buf, n);
		ok = !out || fwrite(buf, 1, n, out) == n;
		got += (long long)n;
	}
	if (!ok)
		mh_error_set(err, MH_EIO, _("cannot write %s: %s"), copy, strerror(errno));
	else if (ferror(in) || got != size)
		ok = mh_error_set(err, MH_EIO,
		                  _("the file could not be read to its end (the USB stick was pulled out?): nothing "
		                    "was changed")) == 0;
	free(buf);
	unsigned char digest[32];
	crypto_generichash_final(&hs, digest, sizeof digest);
	sodium_bin2hex(hash, 65, digest, sizeof digest);
	return ok ? 0 : -1;
}

/* The file (in, of size bytes) copied into the work folder a chunk at a
 * time and hashed, so that the stick can be pulled and the file cannot
 * change under us. */
static FILE *store_bundle_copy(struct store *st, FILE *in, long long size, char **copy, char hash[65],
                               struct mh_error *err)
{
	FILE *out = store_bundle_tmp(st, "in", copy, err);
	rewind(in);
	int ok = out && store_bundle_read(in, size, out, *copy, hash, err) == 0;
	if (out && (!ok || fflush(out) != 0)) {
		store_bundle_tmp_done(out, *copy);
		*copy = NULL;
		return NULL;
	}
	return out;
}

/* The same file imported before? (r->already) */
static int store_bundle_already(struct store *st, const char *hash, struct store_bundle_result *r, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT 1 FROM import_log WHERE hash = ?", &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	r->already = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	return 0;
}

/* The manifest agrees with the signed header, and its schema is one this
 * program reads: its own or the one before. */
static int store_bundle_manifest_check(sqlite3 *pdb, struct store_bundle_result *r, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(pdb, "SELECT key, value FROM manifest", -1, &stmt, NULL) != SQLITE_OK)
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	int schema = 0, agree = 1;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(stmt, 0),
		           *v = (const char *)sqlite3_column_text(stmt, 1);
		if (!k || !v)
			continue;
		if (strcmp(k, "schema") == 0)
			schema = atoi(v);
		else if (strcmp(k, "sender") == 0)
			agree &= strcmp(v, r->h.sender) == 0;
		else if (strcmp(k, "seq") == 0)
			agree &= atoll(v) == r->h.seq;
		else if (strcmp(k, "device") == 0)
			store_copy(r->device, sizeof r->device, v);
		else if (strcmp(k, "generation") == 0)
			store_copy(r->generation, sizeof r->generation, v);
		else if (strcmp(k, "models") == 0 || strcmp(k, "points") == 0 || strcmp(k, "evaluations") == 0)
			r->total += atol(v);
	}
	sqlite3_finalize(stmt);
	if (!agree)
		return mh_error_set(err, MH_EDATA, _("the bundle's manifest does not match its signed header"));
	if (schema != STORE_SCHEMA_VERSION && schema != STORE_SCHEMA_VERSION - 1)
		return mh_error_set(err, MH_EDATA,
		                    schema > STORE_SCHEMA_VERSION
		                        ? _("the bundle's data is of schema version %d: this mohinh reads versions %d "
		                            "and %d; install the mohinh of the office that sent it (schema %d) first")
		                        : _("the bundle's data is of schema version %d: this mohinh reads versions %d "
		                            "and %d; the office that sent it must update its mohinh (schema %d)"),
		                    schema, STORE_SCHEMA_VERSION - 1, STORE_SCHEMA_VERSION,
		                    schema > STORE_SCHEMA_VERSION ? schema : STORE_SCHEMA_VERSION - 1);
	return 0;
}

/* The successions a data bundle's manifest states ("succeeded": "id day"):
 * an office registered here, within the sender's area, ended and handed its
 * records to the sender, whose versions of them replace those of the ended
 * office. */
static int store_bundle_successions(struct store *st, sqlite3 *pdb, const struct store_keys *sender,
                                    struct mh_error *err)
{
	sqlite3_stmt *in, *out = NULL;
	if (sqlite3_prepare_v2(pdb, "SELECT value FROM manifest WHERE key = 'succeeded'", -1, &in, NULL) != SQLITE_OK)
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	int ok = store_prepare(st,
	                       "UPDATE office SET valid_to = ?2, successor = ?3 WHERE id = ?1 AND this = 0"
	                       " AND successor IS NULL AND unit_code IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                           "sub", "?4") " SELECT c FROM sub)",
	                       &out, err) == 0;
	while (ok && sqlite3_step(in) == SQLITE_ROW) {
		char id[STORE_ID_LEN + 1], day[16]; /* an id longer than that leaves no valid day */
		if (sscanf(store_text(in, 0), "%36s %15s", id, day) != 2 || !store_date_valid(day))
			continue;
		sqlite3_reset(out);
		sqlite3_bind_text(out, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(out, 2, day, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(out, 3, sender->office_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(out, 4, sender->unit_code, -1, SQLITE_STATIC);
		int rc = sqlite3_step(out);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
		if (ok && sqlite3_changes(st->db) > 0)
			ok = store_audit(st, "office", id, "update", "successor", NULL, sender->office_id, err) == 0;
	}
	sqlite3_finalize(in);
	sqlite3_finalize(out);
	return ok ? 0 : -1;
}

/* The offices whose rows a bundle from sender may carry: the sender and the
 * registered offices below it, as ",id,id,". */
static void store_bundle_owners(struct store *st, const char *unit, struct strbuf *owners)
{
	strbuf_adds(owners, ",");
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "SELECT id FROM office WHERE unit_code IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                      "sub", "?1") " SELECT c FROM sub) AND this = 0",
	                  &stmt, NULL) == 0) {
		sqlite3_bind_text(stmt, 1, unit, -1, SQLITE_STATIC);
		while (sqlite3_step(stmt) == SQLITE_ROW)
			strbuf_addf(owners, "%s,", store_text(stmt, 0));
		sqlite3_finalize(stmt);
	}
}

static int store_bundle_log_import(struct store *st, const struct store_bundle_result *r, const char *hash,
                                   struct mh_error *err)
{
	char now[21];
	store_now(now);
	sqlite3_stmt *stmt;
	if (store_prepare(st, "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err) < 0)
		return -1;
	const char *t[] = {hash, now, r->h.sender, r->h.kind};
	for (int i = 0; i < 4; i++)
		sqlite3_bind_text(stmt, i + 1, t[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, r->h.seq);
	sqlite3_bind_text(stmt, 6, r->h.created, -1, SQLITE_STATIC);
	long v[] = {r->added, r->updated, r->unchanged, r->refused};
	for (int i = 0; i < 4; i++)
		sqlite3_bind_int64(stmt, 7 + i, v[i]);
	sqlite3_bind_text(stmt, 11, r->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 12, r->generation, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 13, r->conflicts);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_fail(st, step, err);
	char summary[160];
	snprintf(summary, sizeof summary, "seq %lld: +%ld ~%ld =%ld !%ld x%ld", r->h.seq, r->added, r->updated,
	         r->unchanged, r->refused, r->conflicts);
	return store_audit(st, "bundle", hash, "insert", "import", NULL, summary, err);
}

/* A data bundle from an office below, or the records handed down by the
 * office above, opened into pdb: applied in one transaction (rolled back for
 * a preview or when cancelled). */
static int store_bundle_data_in(struct store *st, sqlite3 *pdb, const struct store_keys *sender, const char *hash,
                                int dry_run, struct store_bundle_result *r, struct mh_error *err)
{
	if (store_bundle_manifest_check(pdb, r, err) < 0)
		return -1;
	if (!dry_run && store_bundle_backup(st, err) < 0)
		return -1;
	/* handed down: rows this office now owns, each audited here as it arrives */
	int handed = strcmp(r->h.kind, "handed") == 0;
	struct strbuf owners;
	strbuf_init(&owners);
	if (handed)
		strbuf_addf(&owners, ",%s,", st->office.id);
	else
		store_bundle_owners(st, sender->unit_code, &owners);
	/* one transaction over many rows: a page cache that holds the indexes
	 * they go into (64 MB at most), not 2 MB read again and again */
	sqlite3_exec(st->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	/* the payload, checked through pdb, is also attached here: the rows taken
	 * are copied by SQLite itself (ATTACH cannot be done in a transaction) */
	char *attach = sqlite3_mprintf("ATTACH %Q AS incoming", sqlite3_db_filename(pdb, "main"));
	int ok = store_exec(st, attach, err) == 0;
	sqlite3_free(attach);
	int attached = ok;
	/* the references are checked a table at a time before its copy (store_bundle_orphans), not
	 * again by SQLite for each row copied (a tenth of the import's time) */
	ok = ok && store_exec(st, "PRAGMA foreign_keys = OFF", err) == 0;
	int journal = ok && r->total >= STORE_BULK_ROWS && store_journal_bulk(st, 1);
	/* the payload's rows not taken, by rowid; the updates taken, by key (store_bundle_table) */
	ok = ok &&
	     store_exec(st,
	                "CREATE TEMP TABLE IF NOT EXISTS bundle_skip (r INTEGER PRIMARY KEY);"
	                " CREATE TEMP TABLE IF NOT EXISTS bundle_seen (k TEXT PRIMARY KEY)",
	                err) == 0 &&
	     store_begin(st, err) == 0;
	int begun = ok;
	ok = ok && (handed || store_bundle_successions(st, pdb, sender, err) == 0);
	for (int i = 0; ok && i < STORE_BUNDLE_NTABLES; i++)
		ok = store_bundle_table(st, pdb, store_bundle_tables[i], owners.buf, hash,
		                        handed ? sender->office_id : NULL, r, err) == 0;
	/* the search texts of the models it brings or whose points it brings, in one pass */
	ok = ok &&
	     store_exec(
	         st,
	         "UPDATE main.model SET search_all = " STORE_MODEL_SEARCH_ALL(
	             "model") " WHERE id IN (SELECT id FROM incoming.model UNION SELECT model_id FROM incoming.point)",
	         err) == 0;
	ok = ok && (handed || store_bundle_audit(st, pdb, owners.buf, err) == 0);
	strbuf_release(&owners);
	ok = ok && store_bundle_log_import(st, r, hash, err) == 0;
	if (begun && ok && dry_run) /* a preview: the counts, and nothing kept */
		store_end(st, 0, NULL);
	else if (begun)
		ok = store_end(st, ok, err) == 0;
	if (attached)
		sqlite3_exec(st->db, "PRAGMA foreign_keys = ON; DETACH incoming", NULL, NULL, NULL);
	if (journal)
		store_journal_bulk(st, 0);
	sqlite3_exec(st->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	if (!ok)
		return -1;
	if (!dry_run && !handed)
		store_bundle_receipt_out(st, r, hash, sender);
	return 0;
}

/* A data bundle, or records handed down: read once from the stick (no copy of
 * hundreds of MB first), then applied. */
static int store_bundle_data_file(struct store *st, FILE *in, int dry_run, struct store_bundle_result *r, char hash[65],
                                  struct mh_error *err)
{
	struct store_keys sender;
	char *tmp = NULL;
	int rc = -1;
	if (store_bundle_progress(st, 10))
		mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
	else if (store_bundle_take_data(st, in, r, &sender, hash, &tmp, err) < 0 ||
	         store_bundle_already(st, hash, r, err) < 0)
		; /* said */
	else if (r->already)
		rc = 0;
	else {
		sqlite3 *pdb = store_bundle_payload(tmp, err);
		if (pdb && store_bundle_progress(st, 30))
			mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
		else if (pdb)
			rc = store_bundle_data_in(st, pdb, &sender, hash, dry_run, r, err);
		sqlite3_close(pdb);
	}
	store_bundle_tmp_done(NULL, tmp);
	return rc;
}

static int store_bundle_import_locked(struct store *st, const char *path, int dry_run, const char *fingerprint,
                                      struct store_bundle_result *r, struct mh_error *err)
{
	if (store_user_gate(st, err) < 0)
		return -1;
	char hash[65] = "", *copy = NULL, *text = NULL;
	long long size;
	FILE *in = mh_file_open_regular(path, BUNDLE_MAX, &size, err), *file = NULL;
	int rc = -1;
	struct store_keys sender;
	size_t tlen = 0;
	if (!in) {
		/* not a file to read */
	} else if (bundle_header_read(in, &r->h, err) < 0) {
		/* not a bundle */
	} else if (strcmp(r->h.kind, "data") == 0 || strcmp(r->h.kind, "handed") == 0) {
		rc = store_bundle_data_file(st, in, dry_run, r, hash, err);
	} else if (!(file = store_bundle_copy(st, in, size, &copy, hash, err))) {
		/* the small kinds: copied off the stick first */
	} else if (store_bundle_progress(st, 10)) {
		mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
	} else if (bundle_header_read(file, &r->h, err) < 0) {
		/* changed since */
	} else if (strcmp(r->h.kind, "setup") == 0) {
		rc = store_bundle_setup_in(st, file, dry_run ? NULL : fingerprint, r, err);
	} else if (strcmp(r->h.kind, "receipt") != 0 && strcmp(r->h.kind, "ref") != 0) {
		mh_error_set(err, MH_EDATA, _("this mohinh cannot import a bundle of the kind '%s'"), r->h.kind);
	} else if (store_bundle_unseal(st, file, r, &sender, &text, &tlen, err) == 0) {
		rc = strcmp(r->h.kind, "receipt") == 0 ? store_bundle_receipt_in(st, r, text, tlen, dry_run, err)
		                                       : store_bundle_ref_in(st, r, text, tlen, 0, dry_run, err);
	}
	/* a bundle refused before it was read whole is still named by its hash; a file that cannot be
	 * read to its end (the stick pulled out) is refused for that first */
	struct mh_error why;
	if (rc < 0 && in && !hash[0]) {
		rewind(in);
		if (store_bundle_read(in, size, NULL, NULL, hash, &why) < 0)
			*err = why;
	}
	if (in)
		fclose(in);
	free(text);
	store_bundle_tmp_done(file, copy);
	if (rc == 0)
		store_bundle_progress(st, 100);
	else
		store_bundle_journal(st, path, hash, err->msg);
	return rc;
}

int store_bundle_import(struct store *st, const char *path, int dry_run, const char *fingerprint,
                        struct store_bundle_result *r, struct mh_error *err)
{
	memset(r, 0, sizeof *r);
	strbuf_init(&r->receipt);
	if (store_sync_lock(st, err) < 0)
		return -1;
	int rc = store_bundle_import_locked(st, path, dry_run, fingerprint, r, err);
	store_sync_unlock(st);
	return rc;
}

void store_bundle_result_free(struct store_bundle_result *r)
{
	strbuf_release(&r->receipt);
	for (size_t i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	memset(r, 0, sizeof *r);
}
