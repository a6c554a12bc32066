/* Data bundles between offices (sync.md). The payload is a small SQLite
 * database: every row this office owns or forwards (tombstones included),
 * the audit entries of those offices, and a manifest. Importing verifies the
 * envelope, opens the payload read-only and defensively, checks every row,
 * and applies it in one transaction where its revision is newer and its
 * owner lies in the sender's subtree. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bundle.h"
#include "i18n.h"
#include "mh-file.h"
#include "store-internal.h"
#include "store.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"

static const char *const store_bundle_tables[] = {"unit", "model", "point", "evaluation"};
#define STORE_BUNDLE_NTABLES 4

/* the offices whose rows a bundle from `unit` carries: the office of that
 * unit and the registered offices below it (?1: the unit) */
#define STORE_BUNDLE_OWNERS                                                                             \
	"(SELECT id FROM main.office WHERE unit_code IN (WITH RECURSIVE sub(c) AS (SELECT ?1 UNION ALL" \
	" SELECT code FROM main.unit, sub WHERE parent_code = sub.c) SELECT c FROM sub) AND sign_pk IS NOT NULL)"

static int store_bundle_secret(struct store *st, const char *name, unsigned char *out, size_t n, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT value FROM secret WHERE name = ?", &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	size_t got = 0;
	int ok = sqlite3_step(stmt) == SQLITE_ROW &&
	         sodium_hex2bin(out, n, store_text(stmt, 0), strlen(store_text(stmt, 0)), NULL, &got, NULL) == 0 &&
	         got == n;
	sqlite3_finalize(stmt);
	return ok ? 0 : mh_error_set(err, MH_EFAIL, _("this office has no keys yet"));
}

static int store_bundle_hex(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	return sodium_hex2bin(out, n, hex, strlen(hex), NULL, &got, NULL) == 0 && got == n ? 0 : -1;
}

/* --- export ------------------------------------------------------------------ */

static void store_bundle_head(struct bundle_header *h, const char *kind, const struct store_keys *self,
                              const char *recipient)
{
	memset(h, 0, sizeof *h);
	h->format = 1;
	store_copy(h->kind, sizeof h->kind, kind);
	store_copy(h->sender, sizeof h->sender, self->office_id);
	store_copy(h->sender_unit, sizeof h->sender_unit, self->unit_code);
	store_copy(h->recipient, sizeof h->recipient, recipient);
	store_now(h->created);
}

static int store_bundle_exec_unit(struct store *st, const char *sql, const char *unit, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	if (sqlite3_bind_parameter_count(stmt) >= 1)
		sqlite3_bind_text(stmt, 1, unit, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

static int store_bundle_export(struct store *st, const char *to_unit, struct strbuf *file, struct bundle_header *h,
                               struct mh_error *err)
{
	struct store_keys to, self;
	if (store_keys_get(st, NULL, &self, err) < 0 || store_keys_get(st, to_unit, &to, err) < 0)
		return -1;
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
	if (store_bundle_hex(to.box_pk, box_pk, sizeof box_pk) < 0)
		return mh_error_set(err, MH_EDATA, _("the registered key of %s is damaged"), to.name);
	/* the next of this office's bundles: taken only once one is written and
	 * checked (export_log), so a failed export leaves no gap */
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT coalesce(max(seq), 0) + 1 FROM export_log", &stmt, err) < 0)
		return -1;
	long long seq = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 1;
	sqlite3_finalize(stmt);
	char now[21];
	store_now(now);
	store_bundle_head(h, "data", &self, to.office_id);
	h->seq = seq;

	static const char *const steps[] = {
	    "ATTACH ':memory:' AS payload",
	    "CREATE TABLE payload.manifest (key TEXT NOT NULL, value TEXT NOT NULL)",
	    "CREATE TABLE payload.unit AS SELECT * FROM main.unit WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.model AS SELECT * FROM main.model WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.point AS SELECT * FROM main.point WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.evaluation AS SELECT * FROM main.evaluation WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.audit AS SELECT * FROM main.audit WHERE office IN " STORE_BUNDLE_OWNERS
	    " ORDER BY seq",
	};
	int ok = 1;
	for (size_t i = 0; ok && i < sizeof steps / sizeof *steps; i++)
		ok = store_bundle_exec_unit(st, steps[i], self.unit_code, err) == 0;
	if (ok) {
		char *manifest = xalloc_printf(
		    "INSERT INTO payload.manifest VALUES ('format', '1'), ('schema', '%d'), ('sender', '%s'),"
		    " ('sender_unit', '%s'), ('seq', '%lld'), ('created', '%s'),"
		    " ('models', (SELECT count(*) FROM payload.model)), ('points', (SELECT count(*) FROM "
		    "payload.point)),"
		    " ('evaluations', (SELECT count(*) FROM payload.evaluation)),"
		    " ('audit', (SELECT count(*) FROM payload.audit))",
		    STORE_SCHEMA_VERSION, self.office_id, self.unit_code, seq, now);
		ok = store_exec(st, manifest, err) == 0;
		free(manifest);
	}
	sqlite3_int64 size = 0;
	unsigned char *bytes = ok ? sqlite3_serialize(st->db, "payload", &size, 0) : NULL;
	if (ok && !bytes)
		ok = mh_error_set(err, MH_EFAIL, _("not enough memory to make the bundle")) == 0;
	sqlite3_exec(st->db, "DETACH payload", NULL, NULL, NULL);
	if (ok)
		ok = store_bundle_secret(st, "sign_sk", sign_sk, sizeof sign_sk, err) == 0 &&
		     bundle_seal(h, bytes, (size_t)size, sign_sk, box_pk, file, err) == 0;
	h->payload_len = size;
	sodium_memzero(sign_sk, sizeof sign_sk);
	sqlite3_free(bytes);
	return ok ? 0 : -1;
}

int store_bundle_setup(struct store *st, const char *for_unit, struct strbuf *file, struct bundle_header *h,
                       struct mh_error *err)
{
	struct store_keys to, self;
	if (store_keys_get(st, NULL, &self, err) < 0 || store_keys_get(st, for_unit, &to, err) < 0)
		return -1;
	if (strcmp(for_unit, self.unit_code) == 0 || !store_unit_within(st, for_unit, self.unit_code))
		return mh_error_set(err, MH_EDATA, _("a setup bundle is for an office below this one"));
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
	if (store_bundle_hex(to.box_pk, box_pk, sizeof box_pk) < 0)
		return mh_error_set(err, MH_EDATA, _("the registered key of %s is damaged"), to.name);
	/* the reference data: the choice lists */
	struct strbuf text;
	strbuf_init(&text);
	strbuf_addf(&text, "mohinh-setup 1\nname\t%s\n", self.name);
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT list, code, label, ord FROM choice ORDER BY list, ord", &stmt, err) < 0) {
		strbuf_release(&text);
		return -1;
	}
	while (sqlite3_step(stmt) == SQLITE_ROW)
		strbuf_addf(&text, "choice\t%s\t%s\t%s\t%d\n", store_text(stmt, 0), store_text(stmt, 1),
		            store_text(stmt, 2), sqlite3_column_int(stmt, 3));
	sqlite3_finalize(stmt);
	store_bundle_head(h, "setup", &self, to.office_id);
	store_copy(h->sign_pk, sizeof h->sign_pk, self.sign_pk);
	store_copy(h->box_pk, sizeof h->box_pk, self.box_pk);
	int ok = store_bundle_secret(st, "sign_sk", sign_sk, sizeof sign_sk, err) == 0 &&
	         bundle_seal(h, (const unsigned char *)text.buf, text.len, sign_sk, box_pk, file, err) == 0;
	h->payload_len = (long long)text.len;
	sodium_memzero(sign_sk, sizeof sign_sk);
	strbuf_release(&text);
	return ok ? 0 : -1;
}

/* A setup bundle from the office above: its keys (in the header) are taken
 * only when the fingerprint a person checked matches them; then the office
 * is registered and its choice lists applied. */
static int store_bundle_setup_in(struct store *st, const unsigned char *file, size_t len, const char *fingerprint,
                                 struct store_bundle_result *r, struct mh_error *err)
{
	r->is_setup = 1;
	if (!st->have_office || strcmp(r->h.recipient, st->office.id) != 0)
		return mh_error_set(err, MH_EDATA, _("the bundle was made for another office"));
	if (strcmp(r->h.sender_unit, st->office.unit_code) == 0 ||
	    !store_unit_within(st, st->office.unit_code, r->h.sender_unit))
		return mh_error_set(err, MH_EDATA, _("a setup bundle comes from the office above this one"));
	store_keys_fingerprint(r->h.sign_pk, r->h.box_pk, r->fingerprint);
	struct store_unit u;
	if (store_unit_get(st, r->h.sender_unit, &u, err) < 0)
		return -1;
	store_copy(r->sender_name, sizeof r->sender_name, u.name);
	if (!fingerprint)
		return 0; /* a person compares r->fingerprint first */
	if (strcasecmp(fingerprint, r->fingerprint) != 0)
		return mh_error_set(
		    err, MH_EDATA,
		    _("the fingerprint %s is not the bundle's (%s): nothing was changed; ask the office above"),
		    fingerprint, r->fingerprint);
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES],
	    box_sk[crypto_box_SECRETKEYBYTES];
	struct store_keys self;
	if (store_bundle_hex(r->h.sign_pk, sign_pk, sizeof sign_pk) < 0 || store_keys_get(st, NULL, &self, err) < 0 ||
	    store_bundle_hex(self.box_pk, box_pk, sizeof box_pk) < 0 ||
	    store_bundle_secret(st, "box_sk", box_sk, sizeof box_sk, err) < 0)
		return mh_error_set(err, MH_EDATA, _("the file is not a mohinh bundle, or it is damaged"));
	unsigned char *payload;
	size_t plen;
	int rc = bundle_open(file, len, sign_pk, box_pk, box_sk, &r->h, &payload, &plen, err);
	sodium_memzero(box_sk, sizeof box_sk);
	if (rc < 0)
		return -1;
	char *text = xalloc_strndup((const char *)payload, plen);
	free(payload);
	if (strncmp(text, "mohinh-setup 1\n", 15) != 0 || !utf8_valid(text, strlen(text), NULL)) {
		free(text);
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	}
	struct store_keys above, old;
	memset(&above, 0, sizeof above);
	store_copy(above.office_id, sizeof above.office_id, r->h.sender);
	store_copy(above.unit_code, sizeof above.unit_code, r->h.sender_unit);
	store_copy(above.name, sizeof above.name, u.name);
	store_copy(above.sign_pk, sizeof above.sign_pk, r->h.sign_pk);
	store_copy(above.box_pk, sizeof above.box_pk, r->h.box_pk);
	store_copy(above.fingerprint, sizeof above.fingerprint, r->fingerprint);
	const char *name = strstr(text, "\nname\t");
	if (name) {
		name += 6;
		size_t nl = strcspn(name, "\n");
		if (nl < sizeof above.name) {
			memcpy(above.name, name, nl);
			above.name[nl] = '\0';
			store_copy(r->sender_name, sizeof r->sender_name, above.name);
		}
	}
	int known = store_keys_get(st, r->h.sender_unit, &old, NULL) == 0;
	if (known && strcmp(old.sign_pk, above.sign_pk) != 0) {
		free(text);
		return mh_error_set(
		    err, MH_EDATA,
		    _("another key (%s) is registered for the unit %s: a changed key is not replaced silently"),
		    old.fingerprint, r->h.sender_unit);
	}
	int ok = store_begin(st, err) == 0 && (known || store_keys_register(st, &above, err) == 0);
	sqlite3_stmt *stmt = NULL;
	ok = ok &&
	     store_prepare(st,
	                   "INSERT INTO choice (list, code, label, ord) VALUES (?, ?, ?, ?) ON CONFLICT (list, code)"
	                   " DO UPDATE SET label = excluded.label, ord = excluded.ord",
	                   &stmt, err) == 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); ok && line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5] = {0};
		int n = 0;
		for (char *p = line; n < 5; n++) {
			f[n] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (n != 4 || strcmp(f[0], "choice") != 0)
			continue; /* the name line is read before */
		sqlite3_reset(stmt);
		for (int i = 0; i < 3; i++)
			sqlite3_bind_text(stmt, i + 1, f[i + 1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 4, atoi(f[4]));
		int step = sqlite3_step(stmt);
		ok = step == SQLITE_DONE || store_fail(st, step, err) == 0;
		r->added += ok;
	}
	sqlite3_finalize(stmt);
	free(text);
	ok = ok && store_audit(st, "bundle", r->h.sender, "insert", "setup", NULL, r->fingerprint, err) == 0;
	return store_end(st, ok, err);
}

static int store_bundle_log_export(struct store *st, const struct bundle_header *h, const char *path, size_t size,
                                   struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "INSERT OR REPLACE INTO export_log VALUES (?, ?, ?, ?, ?)", &stmt, err) < 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, h->seq);
	sqlite3_bind_text(stmt, 2, h->created, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, h->recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)size);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

static int store_bundle_verify_own(struct store *st, const unsigned char *file, size_t len, struct mh_error *err)
{
	struct store_keys self;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	struct bundle_header h;
	if (store_keys_get(st, NULL, &self, err) < 0 || store_bundle_hex(self.sign_pk, pk, sizeof pk) < 0)
		return -1;
	return bundle_verify(file, len, pk, &h, err);
}

int store_bundle_write(struct store *st, const char *to_unit, const char *dir, char **path, size_t *size,
                       struct bundle_header *h, struct mh_error *err)
{
	*path = NULL;
	struct store_keys above;
	if (!to_unit) {
		if (store_keys_above(st, &above, err) < 0)
			return -1;
		to_unit = above.unit_code;
	}
	struct strbuf file;
	strbuf_init(&file);
	char *back = NULL;
	int ok = store_bundle_export(st, to_unit, &file, h, err) == 0;
	if (ok) {
		*path = xalloc_printf("%s/mohinh-%s-%.4s%.2s%.2s-%lld.mhb", dir, h->sender_unit, h->created,
		                      h->created + 5, h->created + 8, h->seq);
		/* written, then read back and its signature checked before the stick may be pulled */
		ok = mh_file_write(*path, file.buf, file.len, err) == 0 &&
		     mh_file_read(*path, BUNDLE_MAX, &back, size, err) == 0 &&
		     store_bundle_verify_own(st, (const unsigned char *)back, *size, err) == 0 &&
		     store_bundle_log_export(st, h, *path, *size, err) == 0;
	}
	free(back);
	strbuf_release(&file);
	if (!ok) {
		free(*path);
		*path = NULL;
	}
	return ok ? 0 : -1;
}

/* --- import ------------------------------------------------------------------ */

static void store_bundle_problem(struct store_bundle_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void store_bundle_problem(struct store_bundle_result *r, const char *fmt, ...)
{
	r->refused++;
	if (r->nproblems >= 100)
		return; /* the count says the rest */
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->problems = xalloc_realloc(r->problems, (r->nproblems + 1) * sizeof *r->problems);
	r->problems[r->nproblems++] = xalloc_strdup(buf);
}

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

/* The payload opened from memory, read-only and defensive, its tables checked. */
static sqlite3 *store_bundle_payload(const unsigned char *bytes, size_t len, struct mh_error *err)
{
	sqlite3 *db;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		mh_error_set(err, MH_EFAIL, _("not enough memory to read the bundle"));
		return NULL;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	unsigned char *copy = sqlite3_malloc64(len);
	if (!copy) {
		sqlite3_close(db);
		mh_error_set(err, MH_EFAIL, _("not enough memory to read the bundle"));
		return NULL;
	}
	memcpy(copy, bytes, len);
	int rc = sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
	                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	sqlite3_stmt *stmt = NULL;
	int ok = rc == SQLITE_OK && sqlite3_exec(db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL) == SQLITE_OK &&
	         sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
	         sqlite3_step(stmt) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0;
	sqlite3_finalize(stmt);
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

static int store_bundle_owner_ok(const char *owner, const char *owners)
{
	char key[64];
	snprintf(key, sizeof key, ",%s,", owner);
	return strstr(owners, key) != NULL;
}

/* Applies one table of the payload; the key is `code` for units, `id` for the rest. */
static int store_bundle_table(struct store *st, sqlite3 *pdb, const char *table, const char *owners,
                              struct store_bundle_result *r, struct mh_error *err)
{
	const char *key = strcmp(table, "unit") == 0 ? "code" : "id";
	struct strbuf cols;
	strbuf_init(&cols);
	int n = store_bundle_columns(st, pdb, table, &cols);
	if (n <= 0 || !strstr(cols.buf, "owner") || !strstr(cols.buf, "rev")) {
		strbuf_release(&cols);
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	}
	struct strbuf ins;
	strbuf_init(&ins);
	strbuf_addf(&ins, "INSERT INTO main.%s (%s) VALUES (", table, cols.buf);
	for (int i = 0; i < n; i++)
		strbuf_adds(&ins, i ? ", ?" : "?");
	strbuf_addf(&ins, ") ON CONFLICT(%s) DO UPDATE SET ", key);
	char *copy = xalloc_strdup(cols.buf), *save = NULL;
	int k = 0;
	for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save))
		strbuf_addf(&ins, "%s%s = excluded.%s", k++ ? ", " : "", c, c);
	free(copy);
	strbuf_addf(&ins, " WHERE excluded.rev > %s.rev AND excluded.owner = %s.owner", table, table);
	char *sel = xalloc_printf("SELECT %s FROM main.%s", cols.buf, table);
	char *local = xalloc_printf("SELECT owner, rev FROM main.%s WHERE %s = ?", table, key);
	sqlite3_stmt *in = NULL, *out = NULL, *look = NULL;
	int ok = sqlite3_prepare_v2(pdb, sel, -1, &in, NULL) == SQLITE_OK &&
	         store_prepare(st, ins.buf, &out, err) == 0 && store_prepare(st, local, &look, err) == 0;
	free(sel);
	free(local);
	strbuf_release(&ins);
	/* the positions of key, owner and rev among the columns */
	int ikey = -1, iowner = -1, irev = -1;
	for (int i = 0; ok && i < n; i++) {
		const char *name = sqlite3_column_name(in, i);
		ikey = strcmp(name, key) == 0 ? i : ikey;
		iowner = strcmp(name, "owner") == 0 ? i : iowner;
		irev = strcmp(name, "rev") == 0 ? i : irev;
	}
	ok = ok && ikey >= 0 && iowner >= 0 && irev >= 0;
	while (ok && sqlite3_step(in) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(in, ikey);
		const char *owner = (const char *)sqlite3_column_text(in, iowner);
		long long rev = sqlite3_column_int64(in, irev);
		if (!id || !owner) {
			store_bundle_problem(r, _("%s: a row without id or owner"), table);
			continue;
		}
		if (!store_bundle_owner_ok(owner, owners)) {
			store_bundle_problem(r, _("%s %s: owned by an office that is not the sender or below it"),
			                     table, id);
			continue;
		}
		int bad = 0;
		for (int i = 0; i < n && !bad; i++)
			if (sqlite3_column_type(in, i) == SQLITE_TEXT)
				bad = !store_bundle_text_ok(sqlite3_column_text(in, i), sqlite3_column_bytes(in, i));
		if (bad) {
			store_bundle_problem(r, _("%s %s: a text that is not clean UTF-8 in NFC"), table, id);
			continue;
		}
		sqlite3_reset(look);
		sqlite3_bind_text(look, 1, id, -1, SQLITE_TRANSIENT);
		int exists = sqlite3_step(look) == SQLITE_ROW;
		if (exists && strcmp(store_text(look, 0), owner) != 0) {
			store_bundle_problem(r, _("%s %s: here it belongs to another office"), table, id);
			continue;
		}
		if (exists && sqlite3_column_int64(look, 1) >= rev) {
			r->unchanged++;
			continue;
		}
		sqlite3_reset(out);
		for (int i = 0; i < n; i++)
			sqlite3_bind_value(out, i + 1, sqlite3_column_value(in, i));
		int rc = sqlite3_step(out);
		if (rc != SQLITE_DONE) {
			store_bundle_problem(r, _("%s %s: %s"), table, id, sqlite3_errmsg(st->db));
			continue;
		}
		if (exists)
			r->updated++;
		else
			r->added++;
	}
	sqlite3_finalize(in);
	sqlite3_finalize(out);
	sqlite3_finalize(look);
	strbuf_release(&cols);
	return ok ? 0 : mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
}

/* The audit entries of the sender's offices, each once, keeping their chain. */
static int store_bundle_audit(struct store *st, sqlite3 *pdb, const char *owners, struct mh_error *err)
{
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

/* Checks the sender (registered, below this office for data, above it for a
 * receipt), the signature and the recipient, and decrypts. */
static int store_bundle_unseal(struct store *st, const unsigned char *file, size_t len, struct store_bundle_result *r,
                               struct store_keys *sender, unsigned char **payload, size_t *plen, struct mh_error *err)
{
	if (!st->have_office || strcmp(r->h.recipient, st->office.id) != 0)
		return mh_error_set(err, MH_EDATA, _("the bundle was made for another office"));
	if (store_keys_get(st, r->h.sender_unit, sender, NULL) < 0 || strcmp(sender->office_id, r->h.sender) != 0)
		return mh_error_set(err, MH_EDATA,
		                    _("the bundle comes from an office that is not registered here (unit %s)"),
		                    r->h.sender_unit);
	int receipt = strcmp(r->h.kind, "receipt") == 0;
	const char *below = receipt ? st->office.unit_code : sender->unit_code;
	const char *above = receipt ? sender->unit_code : st->office.unit_code;
	if (strcmp(below, above) == 0 || !store_unit_within(st, below, above))
		return mh_error_set(err, MH_EDATA,
		                    receipt ? _("receipts come from the office above this one")
		                            : _("data bundles come from the offices below this one"));
	store_copy(r->sender_name, sizeof r->sender_name, sender->name);
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES],
	    box_sk[crypto_box_SECRETKEYBYTES];
	struct store_keys self;
	if (store_bundle_hex(sender->sign_pk, sign_pk, sizeof sign_pk) < 0 ||
	    store_keys_get(st, NULL, &self, err) < 0 || store_bundle_hex(self.box_pk, box_pk, sizeof box_pk) < 0 ||
	    store_bundle_secret(st, "box_sk", box_sk, sizeof box_sk, err) < 0)
		return -1;
	int rc = bundle_open(file, len, sign_pk, box_pk, box_sk, &r->h, payload, plen, err);
	sodium_memzero(box_sk, sizeof box_sk);
	return rc;
}

/* A receipt: what the office above says arrived of one of our bundles. */
static int store_bundle_receipt_in(struct store *st, struct store_bundle_result *r, const unsigned char *payload,
                                   size_t plen, int dry_run, struct mh_error *err)
{
	r->is_receipt = 1;
	char *text = xalloc_strndup((const char *)payload, plen);
	if (strlen(text) != plen || !utf8_valid(text, plen, NULL)) {
		free(text);
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	}
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
	free(text);
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
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
	if (store_bundle_secret(st, "sign_sk", sign_sk, sizeof sign_sk, NULL) == 0 &&
	    store_bundle_hex(sender->box_pk, box_pk, sizeof box_pk) == 0)
		bundle_seal(&h, (const unsigned char *)text.buf, text.len, sign_sk, box_pk, &r->receipt, NULL);
	sodium_memzero(sign_sk, sizeof sign_sk);
	strbuf_release(&text);
}

int store_bundle_import(struct store *st, const unsigned char *file, size_t len, int dry_run, const char *fingerprint,
                        struct store_bundle_result *r, struct mh_error *err)
{
	memset(r, 0, sizeof *r);
	strbuf_init(&r->receipt);
	if (store_user_gate(st, err) < 0 || bundle_header_read(file, len, &r->h, err) < 0)
		return -1;
	if (strcmp(r->h.kind, "setup") == 0)
		return store_bundle_setup_in(st, file, len, dry_run ? NULL : fingerprint, r, err);
	struct store_keys sender;
	unsigned char *payload;
	size_t plen;
	if (store_bundle_unseal(st, file, len, r, &sender, &payload, &plen, err) < 0)
		return -1;
	if (strcmp(r->h.kind, "receipt") == 0) {
		int rc = store_bundle_receipt_in(st, r, payload, plen, dry_run, err);
		free(payload);
		return rc;
	}
	if (strcmp(r->h.kind, "data") != 0) {
		free(payload);
		return mh_error_set(err, MH_EDATA, _("this mohinh cannot import a bundle of the kind '%s'"), r->h.kind);
	}

	/* the same file twice changes nothing */
	unsigned char digest[32];
	char hash[65];
	crypto_generichash(digest, sizeof digest, file, len, NULL, 0);
	sodium_bin2hex(hash, sizeof hash, digest, sizeof digest);
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT 1 FROM import_log WHERE hash = ?", &stmt, err) < 0) {
		free(payload);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
	r->already = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	if (r->already) {
		free(payload);
		return 0;
	}
	sqlite3 *pdb = store_bundle_payload(payload, plen, err);
	free(payload);
	if (!pdb)
		return -1;
	/* rows may belong to the sender and to the registered offices below it */
	struct strbuf owners;
	strbuf_init(&owners);
	strbuf_adds(&owners, ",");
	if (store_prepare(st,
	                  "SELECT id FROM office WHERE unit_code IN (WITH RECURSIVE sub(c) AS (SELECT ?1 UNION ALL"
	                  " SELECT code FROM unit, sub WHERE parent_code = sub.c) SELECT c FROM sub) AND this = 0",
	                  &stmt, err) == 0) {
		sqlite3_bind_text(stmt, 1, sender.unit_code, -1, SQLITE_STATIC);
		while (sqlite3_step(stmt) == SQLITE_ROW)
			strbuf_addf(&owners, "%s,", store_text(stmt, 0));
		sqlite3_finalize(stmt);
	}
	int ok = store_begin(st, err) == 0;
	for (int i = 0; ok && i < STORE_BUNDLE_NTABLES; i++)
		ok = store_bundle_table(st, pdb, store_bundle_tables[i], owners.buf, r, err) == 0;
	ok = ok && store_bundle_audit(st, pdb, owners.buf, err) == 0;
	sqlite3_close(pdb);
	strbuf_release(&owners);
	if (ok) {
		char now[21], summary[160];
		store_now(now);
		snprintf(summary, sizeof summary, "seq %lld: +%ld ~%ld =%ld !%ld", r->h.seq, r->added, r->updated,
		         r->unchanged, r->refused);
		ok = store_prepare(st, "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err) == 0;
		if (ok) {
			const char *t[] = {hash, now, r->h.sender, r->h.kind};
			for (int i = 0; i < 4; i++)
				sqlite3_bind_text(stmt, i + 1, t[i], -1, SQLITE_STATIC);
			sqlite3_bind_int64(stmt, 5, r->h.seq);
			sqlite3_bind_text(stmt, 6, r->h.created, -1, SQLITE_STATIC);
			long v[] = {r->added, r->updated, r->unchanged, r->refused};
			for (int i = 0; i < 4; i++)
				sqlite3_bind_int64(stmt, 7 + i, v[i]);
			int step = sqlite3_step(stmt);
			sqlite3_finalize(stmt);
			ok = step == SQLITE_DONE || store_fail(st, step, err) == 0;
		}
		ok = ok && store_audit(st, "bundle", hash, "insert", "import", NULL, summary, err) == 0;
	}
	if (ok && dry_run) { /* a preview: the counts, and nothing kept */
		store_end(st, 0, NULL);
		return 0;
	}
	if (store_end(st, ok, err) < 0)
		return -1;
	store_bundle_receipt_out(st, r, hash, &sender);
	return 0;
}

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
	                  " group_concat(l.seq) FROM office o LEFT JOIN import_log l ON l.sender = o.id"
	                  " WHERE o.this = 0 AND o.unit_code IN (WITH RECURSIVE sub(c) AS (SELECT ?1 UNION ALL"
	                  " SELECT code FROM unit, sub WHERE parent_code = sub.c) SELECT c FROM sub)"
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
	}
	sqlite3_finalize(stmt);
	if (out->len == 0)
		strbuf_addf(out, "%s\n", _("No bundle sent or received yet."));
	return 0;
}

int store_bundle_manifest(struct store *st, const unsigned char *file, size_t len, struct strbuf *out,
                          struct mh_error *err)
{
	struct store_bundle_result r;
	memset(&r, 0, sizeof r);
	struct store_keys sender;
	unsigned char *payload;
	size_t plen;
	if (bundle_header_read(file, len, &r.h, err) < 0)
		return -1;
	if (strcmp(r.h.kind, "data") != 0)
		return mh_error_set(err, MH_EDATA, _("only a data bundle has a manifest"));
	if (store_bundle_unseal(st, file, len, &r, &sender, &payload, &plen, err) < 0)
		return -1;
	sqlite3 *pdb = store_bundle_payload(payload, plen, err);
	free(payload);
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

void store_bundle_result_free(struct store_bundle_result *r)
{
	strbuf_release(&r->receipt);
	for (size_t i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	memset(r, 0, sizeof *r);
}
