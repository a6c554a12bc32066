/* A test tool that makes the bundles a hostile or broken sender would:
 *   mkbundle open DB BUNDLE PAYLOAD    decrypts a bundle meant for DB's office
 *   mkbundle seal DB KEYFILE PAYLOAD OUT [key=value...]
 *                                      seals PAYLOAD with DB's signing key to
 *                                      the office of KEYFILE (mohinh keys
 *                                      export), the header as given
 * so that tests can change a real payload (rows owned by another office,
 * triggers, another schema) and sign it with a real key. Not installed. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"

static void mkbundle_die(const char *what)
{
	fprintf(stderr, "mkbundle: %s\n", what);
	exit(2);
}

static void mkbundle_secret(const char *db_path, const char *name, unsigned char *out, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	size_t got = 0;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT value FROM secret WHERE name = ?", -1, &stmt, NULL) != SQLITE_OK)
		mkbundle_die("cannot read the database");
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW ||
	    sodium_hex2bin(out, n, (const char *)sqlite3_column_text(stmt, 0), (size_t)sqlite3_column_bytes(stmt, 0),
	                   NULL, &got, NULL) != 0 ||
	    got != n)
		mkbundle_die("no such key");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* "key value" from a public-key file */
static void mkbundle_keyfile(const char *path, const char *key, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t kl = strlen(key);
	out[0] = '\0';
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ' ') {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, cap, "%s", line + kl + 1);
		}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		mkbundle_die("no libsodium");
	struct mh_error err;
	struct bundle_header h;
	if (argc == 5 && strcmp(argv[1], "open") == 0) {
		unsigned char sign_pk[32], box_pk[32], box_sk[32];
		mkbundle_secret(argv[2], "box_sk", box_sk, sizeof box_sk);
		crypto_scalarmult_base(box_pk, box_sk);
		FILE *in = fopen(argv[3], "rb"), *out = fopen(argv[4], "wb");
		if (!in || !out || bundle_header_read(in, &h, &err) < 0)
			mkbundle_die("cannot read the bundle");
		sqlite3 *db;
		sqlite3_stmt *stmt;
		size_t got = 0;
		if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db, "SELECT sign_pk FROM office WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
			mkbundle_die("cannot read the database");
		sqlite3_bind_text(stmt, 1, h.sender, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_ROW ||
		    sodium_hex2bin(sign_pk, 32, (const char *)sqlite3_column_text(stmt, 0), 64, NULL, &got, NULL) != 0)
			mkbundle_die("the sender is not registered");
		sqlite3_finalize(stmt);
		sqlite3_close(db);
		if (bundle_open(in, sign_pk, box_pk, box_sk, &h, out, &err) < 0)
			mkbundle_die(err.msg);
		fclose(in);
		fclose(out);
		return 0;
	}
	if (argc < 6 || strcmp(argv[1], "seal") != 0)
		mkbundle_die("usage: mkbundle open DB BUNDLE PAYLOAD | seal DB KEYFILE PAYLOAD OUT [key=value...]");
	unsigned char sign_sk[64], box_pk[32];
	mkbundle_secret(argv[2], "sign_sk", sign_sk, sizeof sign_sk);
	char hex[80];
	size_t got = 0;
	mkbundle_keyfile(argv[3], "box", hex, sizeof hex);
	if (sodium_hex2bin(box_pk, 32, hex, strlen(hex), NULL, &got, NULL) != 0 || got != 32)
		mkbundle_die("not a key file");
	memset(&h, 0, sizeof h);
	h.format = 1;
	snprintf(h.kind, sizeof h.kind, "data");
	mkbundle_keyfile(argv[3], "office", h.recipient, sizeof h.recipient);
	snprintf(h.created, sizeof h.created, "2026-01-01T00:00:00Z");
	h.seq = 1;
	/* the sender: this database's office, unless the header says otherwise */
	sqlite3 *db;
	sqlite3_stmt *stmt;
	if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, unit_code FROM office WHERE this = 1", -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW)
		mkbundle_die("cannot read the database");
	snprintf(h.sender, sizeof h.sender, "%s", (const char *)sqlite3_column_text(stmt, 0));
	snprintf(h.sender_unit, sizeof h.sender_unit, "%s", (const char *)sqlite3_column_text(stmt, 1));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	for (int i = 6; i < argc; i++) {
		char *v = strchr(argv[i], '=');
		if (!v)
			mkbundle_die("a header field is key=value");
		*v++ = '\0';
		if (strcmp(argv[i], "kind") == 0)
			snprintf(h.kind, sizeof h.kind, "%s", v);
		else if (strcmp(argv[i], "sender") == 0)
			snprintf(h.sender, sizeof h.sender, "%s", v);
		else if (strcmp(argv[i], "sender_unit") == 0)
			snprintf(h.sender_unit, sizeof h.sender_unit, "%s", v);
		else if (strcmp(argv[i], "recipient") == 0)
			snprintf(h.recipient, sizeof h.recipient, "%s", v);
		else if (strcmp(argv[i], "seq") == 0)
			h.seq = atoll(v);
		else if (strcmp(argv[i], "created") == 0)
			snprintf(h.created, sizeof h.created, "%s", v);
		else
			mkbundle_die("unknown header field");
	}
	FILE *in = fopen(argv[4], "rb"), *out = fopen(argv[5], "wb");
	if (!in || !out || fseek(in, 0, SEEK_END) != 0)
		mkbundle_die("cannot open the files");
	h.payload_len = ftell(in);
	rewind(in);
	if (bundle_seal(&h, in, sign_sk, box_pk, out, &err) < 0)
		mkbundle_die(err.msg);
	fclose(in);
	fclose(out);
	return 0;
}
