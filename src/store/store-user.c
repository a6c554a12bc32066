/* Accounts: names, roles, Argon2id password hashes (libsodium), logins. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "store-internal.h"
#include "store.h"
#include "utf8.h"
#include "xalloc.h"

int store_roles_parse(const char *s)
{
	static const char *const names[] = {"officer", "leader", "admin"};
	int roles = 0;
	char *copy = xalloc_strdup(s), *save = NULL;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		int found = -1;
		for (int i = 0; i < 3; i++)
			if (strcmp(w, names[i]) == 0)
				found = i;
		if (found < 0) {
			free(copy);
			return -1;
		}
		roles |= 1 << found;
	}
	free(copy);
	return roles;
}

long store_user_count(struct store *st)
{
	return store_count(st, "account");
}

int store_user_gate(struct store *st, struct mh_error *err)
{
	/* asked before every change: kept, and stops at the first account */
	if (!st->logged_in && store_exists(st, "SELECT 1 FROM account LIMIT 1", NULL, NULL))
		return mh_error_set(err, MH_EFAIL, _("this database has accounts: log in first"));
	return 0;
}

int store_has_role(struct store *st, enum store_role role)
{
	return st->logged_in && (st->roles & (unsigned)role);
}

static int store_user_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64 || !utf8_valid(name, n, NULL))
		return 0;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == ',' || *p == 0x7f)
			return 0;
	return 1;
}

static int store_user_hash(const char *password, char out[crypto_pwhash_STRBYTES], struct mh_error *err)
{
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	if (utf8_nchars(password, strlen(password)) < 8)
		return mh_error_set(err, MH_EDATA, _("a password has at least 8 characters"));
	if (strlen(password) > 1024)
		return mh_error_set(err, MH_EDATA, _("a password has at most 1024 bytes"));
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return mh_error_set(err, MH_EFAIL, _("not enough memory to hash the password"));
	return 0;
}

static int store_user_exec(struct store *st, const char *sql, const char *const *v, int n, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(stmt, i + 1, v[i], -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err);
	return sqlite3_changes(st->db);
}

/* Account changes: by an admin, or anyone while there is no account yet. */
static int store_user_admin(struct store *st, struct mh_error *err)
{
	if (store_user_count(st) > 0 && !store_has_role(st, STORE_ROLE_ADMIN))
		return mh_error_set(err, MH_EFAIL, _("only an admin may change accounts"));
	return 0;
}

int store_user_add(struct store *st, const char *name, const char *roles, const char *password, struct mh_error *err)
{
	char hash[crypto_pwhash_STRBYTES], now[21];
	if (!store_user_name_ok(name))
		return mh_error_set(err, MH_EDATA, _("'%s' is not a user name (1 to 64 characters, no space or comma)"),
		                    name);
	int r = store_roles_parse(roles);
	if (r <= 0)
		return mh_error_set(err, MH_EDATA, _("the roles are officer, leader and admin, not '%s'"), roles);
	if (store_user_count(st) == 0 && !(r & STORE_ROLE_ADMIN))
		return mh_error_set(err, MH_EDATA, _("the first account must be an admin"));
	if (store_user_admin(st, err) < 0 || store_user_hash(password, hash, err) < 0)
		return -1;
	store_now(now);
	const char *v[] = {name, hash, roles, now};
	if (store_begin(st, err) < 0)
		return -1;
	int rc =
	    store_user_exec(st, "INSERT INTO account (name, pwhash, roles, created_at) VALUES (?, ?, ?, ?)", v, 4, err);
	if (rc < 0 && err->code == MH_EDATA)
		mh_error_set(err, MH_EDATA, _("there is already an account named '%s'"), name);
	int ok = rc == 1 && store_audit(st, "account", name, "insert", "roles", NULL, roles, err) == 0;
	sodium_memzero(hash, sizeof hash);
	return store_end(st, ok, err);
}

int store_user_passwd(struct store *st, const char *name, const char *password, struct mh_error *err)
{
	/* one's own password, or any as admin */
	if (!(st->logged_in && strcmp(st->user, name) == 0) && store_user_admin(st, err) < 0)
		return -1;
	char hash[crypto_pwhash_STRBYTES];
	if (store_user_hash(password, hash, err) < 0)
		return -1;
	const char *v[] = {hash, name};
	if (store_begin(st, err) < 0)
		return -1;
	int rc = store_user_exec(st, "UPDATE account SET pwhash = ?, failures = 0 WHERE name = ?", v, 2, err);
	if (rc == 0)
		mh_error_set(err, MH_EDATA, _("no account is named '%s'"), name);
	int ok = rc == 1 && store_audit(st, "account", name, "update", "password", NULL, NULL, err) == 0;
	sodium_memzero(hash, sizeof hash);
	return store_end(st, ok, err);
}

int store_user_disable(struct store *st, const char *name, struct mh_error *err)
{
	if (store_user_admin(st, err) < 0)
		return -1;
	if (st->logged_in && strcmp(st->user, name) == 0)
		return mh_error_set(err, MH_EDATA, _("an admin cannot disable their own account"));
	const char *v[] = {name};
	if (store_begin(st, err) < 0)
		return -1;
	int rc = store_user_exec(st, "UPDATE account SET disabled = 1 WHERE name = ?", v, 1, err);
	if (rc == 0)
		mh_error_set(err, MH_EDATA, _("no account is named '%s'"), name);
	int ok = rc == 1 && store_audit(st, "account", name, "update", "disabled", "0", "1", err) == 0;
	return store_end(st, ok, err);
}

int store_user_list(struct store *st, int (*fn)(const struct store_user_row *u, void *ud), void *ud,
                    struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT name, roles, created_at, disabled, failures FROM account ORDER BY name", &stmt,
	                  err) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_user_row u = {store_text(stmt, 0), store_text(stmt, 1), store_text(stmt, 2),
		                           sqlite3_column_int(stmt, 3), sqlite3_column_int(stmt, 4)};
		if (fn(&u, ud))
			break;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, rc, err);
}

static void store_login_log(struct store *st, const char *name, int ok, int failures)
{
	char now[21], n[16];
	store_now(now);
	snprintf(n, sizeof n, "%d", failures);
	const char *v[] = {now, name, ok ? "1" : "0"};
	store_user_exec(st, "INSERT INTO login (at, name, ok) VALUES (?, ?, ?)", v, 3, NULL);
	const char *u[] = {ok ? "0" : n, name};
	store_user_exec(st, "UPDATE account SET failures = ? WHERE name = ?", u, 2, NULL);
}

int store_login(struct store *st, const char *name, const char *password, struct mh_error *err)
{
	store_logout(st);
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT pwhash, roles, disabled, failures FROM account WHERE name = ?", &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	char hash[crypto_pwhash_STRBYTES] = "", roles[64] = "";
	int found = sqlite3_step(stmt) == SQLITE_ROW, disabled = 0, failures = 0;
	if (found) {
		store_copy(hash, sizeof hash, store_text(stmt, 0));
		store_copy(roles, sizeof roles, store_text(stmt, 1));
		disabled = sqlite3_column_int(stmt, 2);
		failures = sqlite3_column_int(stmt, 3);
	}
	sqlite3_finalize(stmt);
	/* repeated failures wait longer before the next try: 1, 2, 4… up to 30 seconds */
	if (failures >= 3) {
		int wait = 1 << (failures - 3 < 5 ? failures - 3 : 5);
		sleep((unsigned)(wait < 30 ? wait : 30));
	}
	/* an unknown name costs the same as a wrong password */
	int ok = found && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	if (!found) {
		char dummy[crypto_pwhash_STRBYTES];
		if (crypto_pwhash_str(dummy, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		                      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
			sodium_memzero(dummy, sizeof dummy);
	}
	sodium_memzero(hash, sizeof hash);
	if (found && !ok)
		failures++;
	if (store_begin(st, NULL) == 0) {
		store_login_log(st, name, ok && !disabled, failures);
		store_end(st, 1, NULL);
	}
	if (!ok)
		return mh_error_set(err, MH_EFAIL, _("wrong user name or password"));
	if (disabled)
		return mh_error_set(err, MH_EFAIL, _("the account '%s' is disabled"), name);
	store_set_user(st, name);
	st->logged_in = 1;
	st->roles = (unsigned)store_roles_parse(roles);
	return 0;
}

void store_logout(struct store *st)
{
	st->logged_in = 0;
	st->roles = 0;
}
