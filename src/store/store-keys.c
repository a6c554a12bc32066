/* This office's key pairs (libsodium: Ed25519 to sign, X25519 to receive)
 * and the registry of the public keys of the offices below it. The secret
 * keys stay in this database (table secret); the public ones travel in key
 * files and setup bundles, checked by a fingerprint read aloud. */
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

#define STORE_KEYS_MAGIC "mohinh-public-key 1"

void store_keys_fingerprint(const char *sign_pk, const char *box_pk, char out[24])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state s;
	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, (const unsigned char *)sign_pk, strlen(sign_pk));
	crypto_hash_sha256_update(&s, (const unsigned char *)":", 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)box_pk, strlen(box_pk));
	crypto_hash_sha256_final(&s, h);
	/* 64 bits in four groups, easy to read aloud */
	snprintf(out, 24, "%02X%02X-%02X%02X-%02X%02X-%02X%02X", h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
}

static int store_keys_secret(struct store *st, const char *name, const unsigned char *v, size_t n, struct mh_error *err)
{
	char hex[2 * crypto_sign_SECRETKEYBYTES + 1];
	sodium_bin2hex(hex, sizeof hex, v, n);
	sqlite3_stmt *stmt;
	if (store_prepare(st, "INSERT INTO secret (name, value) VALUES (?, ?)", &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, hex, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	sodium_memzero(hex, sizeof hex);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

int store_keys_make(struct store *st, struct mh_error *err)
{
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT id FROM office WHERE this = 1 AND sign_pk IS NULL", &stmt, err) < 0)
		return -1;
	char id[STORE_ID_LEN + 1] = "";
	if (sqlite3_step(stmt) == SQLITE_ROW)
		store_copy(id, sizeof id, store_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (!id[0])
		return 0; /* no office yet, or it has its keys */
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], sign_sk[crypto_sign_SECRETKEYBYTES];
	unsigned char box_pk[crypto_box_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
	crypto_sign_keypair(sign_pk, sign_sk);
	crypto_box_keypair(box_pk, box_sk);
	char sign_hex[2 * sizeof sign_pk + 1], box_hex[2 * sizeof box_pk + 1];
	sodium_bin2hex(sign_hex, sizeof sign_hex, sign_pk, sizeof sign_pk);
	sodium_bin2hex(box_hex, sizeof box_hex, box_pk, sizeof box_pk);
	int ok = store_keys_secret(st, "sign_sk", sign_sk, sizeof sign_sk, err) == 0 &&
	         store_keys_secret(st, "box_sk", box_sk, sizeof box_sk, err) == 0 &&
	         store_prepare(st, "UPDATE office SET sign_pk = ?, box_pk = ? WHERE id = ?", &stmt, err) == 0;
	sodium_memzero(sign_sk, sizeof sign_sk);
	sodium_memzero(box_sk, sizeof box_sk);
	if (!ok)
		return -1;
	sqlite3_bind_text(stmt, 1, sign_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, box_hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

static int store_keys_row(sqlite3_stmt *stmt, struct store_keys *k)
{
	if (sqlite3_step(stmt) != SQLITE_ROW)
		return -1;
	store_copy(k->office_id, sizeof k->office_id, store_text(stmt, 0));
	store_copy(k->unit_code, sizeof k->unit_code, store_text(stmt, 1));
	store_copy(k->name, sizeof k->name, store_text(stmt, 2));
	store_copy(k->sign_pk, sizeof k->sign_pk, store_text(stmt, 3));
	store_copy(k->box_pk, sizeof k->box_pk, store_text(stmt, 4));
	store_copy(k->revoked, sizeof k->revoked, store_text(stmt, 5));
	store_copy(k->ended, sizeof k->ended, store_text(stmt, 6));
	store_keys_fingerprint(k->sign_pk, k->box_pk, k->fingerprint);
	return 0;
}

int store_keys_get(struct store *st, const char *unit_code, struct store_keys *k, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  unit_code
	                      ? "SELECT id, unit_code, name, sign_pk, box_pk, coalesce(revoked_at, ''), "
	                        "coalesce(valid_to, '') FROM office"
	                        /* by a version's key, or by its code as people write it */
	                        " WHERE (unit_code = ?1 OR substr(unit_code, 1, instr(unit_code || '@', '@') - 1) = ?1)"
	                        " AND sign_pk IS NOT NULL ORDER BY unit_code = ?1 DESC, this DESC LIMIT 1"
	                      : "SELECT id, unit_code, name, sign_pk, box_pk, coalesce(revoked_at, ''), "
	                        "coalesce(valid_to, '') FROM office WHERE this = 1"
	                        " AND sign_pk IS NOT NULL",
	                  &stmt, err) < 0)
		return -1;
	if (unit_code)
		sqlite3_bind_text(stmt, 1, unit_code, -1, SQLITE_STATIC);
	int rc = store_keys_row(stmt, k);
	sqlite3_finalize(stmt);
	if (rc < 0)
		return unit_code ? mh_error_set(err, MH_EDATA, _("no office with keys is registered for the unit %s"),
		                                unit_code)
		                 : mh_error_set(err, MH_EFAIL, _("this office has no keys yet"));
	return 0;
}

int store_keys_list(struct store *st, int (*fn)(const struct store_keys *k, void *ud), void *ud, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "SELECT id, unit_code, name, sign_pk, box_pk, coalesce(revoked_at, ''), coalesce(valid_to, "
	                  "'') FROM office WHERE "
	                  "sign_pk IS NOT NULL"
	                  " ORDER BY this DESC, unit_code",
	                  &stmt, err) < 0)
		return -1;
	struct store_keys k;
	while (store_keys_row(stmt, &k) == 0)
		if (fn(&k, ud))
			break;
	sqlite3_finalize(stmt);
	return 0;
}

struct store_keys_up {
	struct store *st;
	struct store_keys best;
};

static int store_keys_up(const struct store_keys *k, void *ud)
{
	struct store_keys_up *u = ud;
	const char *own = u->st->office.unit_code;
	if (strcmp(k->unit_code, own) != 0 && store_unit_within(u->st, own, k->unit_code) &&
	    (!u->best.unit_code[0] || store_unit_within(u->st, k->unit_code, u->best.unit_code)))
		u->best = *k;
	return 0;
}

int store_keys_above(struct store *st, struct store_keys *k, struct mh_error *err)
{
	struct store_keys_up u;
	memset(&u, 0, sizeof u);
	u.st = st;
	if (store_keys_list(st, store_keys_up, &u, err) < 0)
		return -1;
	if (!u.best.unit_code[0])
		return mh_error_set(
		    err, MH_EFAIL,
		    _("no office above this one is registered: import its setup bundle (or mohinh office add)"));
	*k = u.best;
	return 0;
}

void store_keys_file(const struct store_keys *k, struct strbuf *out)
{
	strbuf_addf(out, STORE_KEYS_MAGIC "\noffice %s\nunit %s\nname %s\nsign %s\nbox %s\n", k->office_id,
	            k->unit_code, k->name, k->sign_pk, k->box_pk);
}

/* "word value" lines of a key file into k; -1 if it is not one. */
static int store_keys_parse(const char *text, struct store_keys *k)
{
	memset(k, 0, sizeof *k);
	if (strncmp(text, STORE_KEYS_MAGIC "\n", sizeof STORE_KEYS_MAGIC) != 0)
		return -1;
	struct {
		const char *word;
		char *dst;
		size_t cap;
	} f[] = {{"office", k->office_id, sizeof k->office_id},
	         {"unit", k->unit_code, sizeof k->unit_code},
	         {"name", k->name, sizeof k->name},
	         {"sign", k->sign_pk, sizeof k->sign_pk},
	         {"box", k->box_pk, sizeof k->box_pk}};
	for (const char *p = text + sizeof STORE_KEYS_MAGIC; *p;) {
		size_t len = strcspn(p, "\n");
		for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
			size_t wl = strlen(f[i].word);
			if (len > wl + 1 && strncmp(p, f[i].word, wl) == 0 && p[wl] == ' ' && len - wl - 1 < f[i].cap)
				memcpy(f[i].dst, p + wl + 1, len - wl - 1), f[i].dst[len - wl - 1] = '\0';
		}
		p += len + (p[len] == '\n');
	}
	unsigned char bin[64];
	size_t n;
	if (sodium_hex2bin(bin, sizeof bin, k->sign_pk, strlen(k->sign_pk), NULL, &n, NULL) != 0 ||
	    n != crypto_sign_PUBLICKEYBYTES ||
	    sodium_hex2bin(bin, sizeof bin, k->box_pk, strlen(k->box_pk), NULL, &n, NULL) != 0 ||
	    n != crypto_box_PUBLICKEYBYTES || strlen(k->office_id) != STORE_ID_LEN || !k->unit_code[0])
		return -1;
	store_keys_fingerprint(k->sign_pk, k->box_pk, k->fingerprint);
	return 0;
}

int store_office_add(struct store *st, const char *unit_code, const char *key_file, struct store_keys *k,
                     struct mh_error *err)
{
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	if (store_user_gate(st, err) < 0)
		return -1;
	if (store_user_count(st) > 0 && !store_has_role(st, STORE_ROLE_ADMIN))
		return mh_error_set(err, MH_EFAIL, _("only an admin may register offices"));
	if (store_keys_parse(key_file, k) < 0)
		return mh_error_set(err, MH_EDATA, _("this is not a mohinh public-key file (mohinh keys export)"));
	/* the code as typed names the version of the key file's office (22981 for 22981@2025-07-01) */
	char gso[12];
	struct store_unit u;
	if (strcmp(store_unit_gso(k->unit_code, gso), unit_code) == 0 &&
	    store_unit_get(st, k->unit_code, &u, NULL) == 0)
		unit_code = u.code;
	if (strcmp(k->unit_code, unit_code) != 0)
		return mh_error_set(err, MH_EDATA, _("the key file is for the unit %s, not %s"), k->unit_code,
		                    unit_code);
	if (!st->have_office || strcmp(k->office_id, st->office.id) == 0 ||
	    strcmp(unit_code, st->office.unit_code) == 0)
		return mh_error_set(err, MH_EDATA, _("this is the key of this office itself"));
	/* the offices below, and the one above that this office sends its bundles to */
	if (!store_unit_within(st, unit_code, st->office.unit_code) &&
	    !store_unit_within(st, st->office.unit_code, unit_code))
		return mh_error_set(err, MH_EDATA,
		                    _("the unit %s is neither below nor above this office: its key has no use here"),
		                    unit_code);
	struct store_keys old;
	int revoked = store_keys_get(st, unit_code, &old, NULL) == 0 && old.revoked[0];
	if (!revoked && store_keys_get(st, unit_code, &old, NULL) == 0) {
		if (strcmp(old.sign_pk, k->sign_pk) == 0 && strcmp(old.box_pk, k->box_pk) == 0)
			return mh_error_set(err, MH_EDATA, _("this key is already registered for %s"), old.name);
		return mh_error_set(
		    err, MH_EDATA,
		    _("another key (%s) is registered for the unit %s: a changed key is not replaced silently"),
		    old.fingerprint, unit_code);
	}
	if (!k->name[0])
		store_copy(k->name, sizeof k->name, u.name);
	if (revoked && (strcmp(old.sign_pk, k->sign_pk) == 0 || strcmp(old.box_pk, k->box_pk) == 0))
		return mh_error_set(err, MH_EDATA,
		                    _("this key of %s was revoked on %.10s: it cannot be registered again"), old.name,
		                    old.revoked);
	/* a revoked key gives way to the new one */
	int ok = store_begin(st, err) == 0;
	sqlite3_stmt *stmt = NULL;
	if (ok && revoked) {
		ok = store_prepare(st, "DELETE FROM office WHERE unit_code = ? AND this = 0", &stmt, err) == 0;
		if (ok) {
			sqlite3_bind_text(stmt, 1, unit_code, -1, SQLITE_STATIC);
			int rc = sqlite3_step(stmt);
			ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
		}
		sqlite3_finalize(stmt);
	}
	ok = ok && store_keys_register(st, k, err) == 0;
	return store_end(st, ok, err);
}

int store_office_revoke(struct store *st, const char *unit_code, struct store_keys *k, struct mh_error *err)
{
	if (store_user_gate(st, err) < 0)
		return -1;
	if (store_user_count(st) > 0 && !store_has_role(st, STORE_ROLE_ADMIN))
		return mh_error_set(err, MH_EFAIL, _("only an admin may register offices"));
	if (!st->have_office || strcmp(unit_code, st->office.unit_code) == 0 ||
	    store_keys_get(st, unit_code, k, err) < 0)
		return mh_error_set(err, MH_EDATA, _("no office with keys is registered for the unit %s"), unit_code);
	if (k->revoked[0])
		return mh_error_set(err, MH_EDATA, _("the key of %s was already revoked on %.10s"), k->name,
		                    k->revoked);
	char now[21];
	store_now(now);
	sqlite3_stmt *stmt;
	int ok = store_begin(st, err) == 0 &&
	         store_prepare(st, "UPDATE office SET revoked_at = ? WHERE id = ? AND this = 0", &stmt, err) == 0;
	if (ok) {
		sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, k->office_id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	ok = ok && store_audit(st, "office", k->office_id, "update", "revoked", NULL, k->fingerprint, err) == 0;
	store_copy(k->revoked, sizeof k->revoked, now);
	return store_end(st, ok, err);
}

int store_keys_register(struct store *st, const struct store_keys *k, struct mh_error *err)
{
	char now[21];
	store_now(now);
	if (store_begin(st, err) < 0)
		return -1;
	sqlite3_stmt *stmt;
	int ok = store_prepare(st,
	                       "INSERT INTO office (id, unit_code, name, created_at, this, sign_pk, box_pk)"
	                       " VALUES (?, ?, ?, ?, 0, ?, ?)",
	                       &stmt, err) == 0;
	if (ok) {
		const char *v[] = {k->office_id, k->unit_code, k->name, now, k->sign_pk, k->box_pk};
		for (int i = 0; i < 6; i++)
			sqlite3_bind_text(stmt, i + 1, v[i], -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	ok = ok && store_audit(st, "office", k->office_id, "insert", "key", NULL, k->fingerprint, err) == 0;
	return store_end(st, ok, err);
}
