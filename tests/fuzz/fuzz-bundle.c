/* The bundle reader: header, envelope and payload validation, through the
 * import a province runs (as a preview, so its database stays as it is).
 * The first byte chooses what the rest changes:
 *   0: bytes of a real bundle file (patched), or the input itself as a file;
 *   1: bytes of a real payload (a SQLite file), then sealed and signed
 *      properly, so that the defensive opening and row checks are reached;
 *   2: the input as the text of a reference, setup or receipt bundle.
 * A changed bundle file must never be taken; nothing may crash. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "demo.h"
#include "fuzz.h"
#include "mh-file.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"
#include "store-sync.h"

const char *const fuzz_name = "fuzz-bundle";
const char *const fuzz_seeds[] = {
    "\x01\x01\x02\x03",
    "\x01\x10\x20\x30\x40\x50\x60",
    "\x02\x01mohinh-ref 1\nversion\t9\nmin_program\t0.0.1\nchoice\trating\tx\tX\t1\n",
    "\x02\x02mohinh-ref 1\nversion\t0\nmin_program\t0.1.0\nname\tX\nunit\t99\t60\t2\tHuyện\tX\t\t\t\tz\t2\t0\n",
    "\x02\x03bundle 1: 1 new\n",
    "\x03\x07\x07\x07",
    "\x04MOHINHB1",
    NULL};

static struct store *fz_p, *fz_d;
static char *fz_dir, *fz_file;
static char *fz_bundle, *fz_payload; /* a real bundle file, and its payload */
static size_t fz_bundle_len, fz_payload_len;
/* the district's signing key and the province's receiving key, and the other way round */
static unsigned char fz_sign_sk[crypto_sign_SECRETKEYBYTES], fz_box_pk[crypto_box_PUBLICKEYBYTES];
static unsigned char fz_up_sign_sk[crypto_sign_SECRETKEYBYTES], fz_down_box_pk[crypto_box_PUBLICKEYBYTES];
static struct bundle_header fz_head;

static void fz_hex(const char *db, const char *name, unsigned char *out, size_t n)
{
	sqlite3 *h;
	sqlite3_stmt *stmt;
	size_t got = 0;
	FUZZ_CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	FUZZ_CHECK(sqlite3_prepare_v2(h, "SELECT value FROM secret WHERE name = ?", -1, &stmt, NULL) == SQLITE_OK);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	FUZZ_CHECK(sqlite3_step(stmt) == SQLITE_ROW);
	FUZZ_CHECK(sodium_hex2bin(out, n, (const char *)sqlite3_column_text(stmt, 0),
	                          (size_t)sqlite3_column_bytes(stmt, 0), NULL, &got, NULL) == 0 &&
	           got == n);
	sqlite3_finalize(stmt);
	sqlite3_close(h);
}

static struct store *fz_office(const char *name, const char *unit)
{
	struct mh_error err;
	char *path = xalloc_printf("%s/%s", fz_dir, name);
	struct store *st = store_open(path, STORE_CREATE, &err);
	FUZZ_CHECK(st && store_office_init(st, unit, NULL, NULL, &err) == 0);
	free(path);
	return st;
}

static void fz_cleanup(void)
{
	store_free(fz_p);
	store_free(fz_d);
	char *cmd = xalloc_printf("rm -rf '%s'", fz_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fz_dir);
	free(cmd);
	free(fz_dir);
	free(fz_file);
	free(fz_bundle);
	free(fz_payload);
}

/* A province (60) and a district (595) that know each other, and one real
 * data bundle of the district's demo data. */
static void fz_setup(void)
{
	char tmpl[] = "/tmp/mohinh-fuzz-XXXXXX";
	fz_dir = xalloc_strdup(mkdtemp(tmpl));
	fz_file = xalloc_printf("%s/f.mhb", fz_dir);
	atexit(fz_cleanup);
	struct mh_error err;
	fz_p = fz_office("p.db", "60");
	struct store *d = fz_d = fz_office("d.db", "595");
	struct demo_result dr;
	FUZZ_CHECK(demo_load(d, &dr, &err) == 0);
	struct store_keys kd, kp;
	struct strbuf key;
	strbuf_init(&key);
	FUZZ_CHECK(store_keys_get(d, NULL, &kd, &err) == 0 && store_keys_get(fz_p, NULL, &kp, &err) == 0);
	store_keys_file(&kd, &key);
	char *path = NULL;
	FUZZ_CHECK(store_office_add(fz_p, "595", key.buf, &kd, &err) == 0);
	struct bundle_header h;
	FUZZ_CHECK(store_bundle_setup(fz_p, "595", NULL, fz_dir, &path, &h, &err) == 0);
	struct store_bundle_result r;
	FUZZ_CHECK(store_bundle_import(d, path, 0, kp.fingerprint, &r, &err) == 0);
	store_bundle_result_free(&r);
	free(path);
	long long size;
	FUZZ_CHECK(store_bundle_write(d, NULL, fz_dir, &path, &size, &fz_head, &err) == 0);
	FUZZ_CHECK(mh_file_read(path, 1 << 26, &fz_bundle, &fz_bundle_len, &err) == 0);
	/* the payload, opened with the province's key */
	char *pdb = xalloc_printf("%s/p.db", fz_dir), *ddb = xalloc_printf("%s/d.db", fz_dir);
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
	fz_hex(pdb, "box_sk", box_sk, sizeof box_sk);
	fz_hex(ddb, "sign_sk", fz_sign_sk, sizeof fz_sign_sk);
	fz_hex(pdb, "sign_sk", fz_up_sign_sk, sizeof fz_up_sign_sk);
	unsigned char d_box_sk[crypto_box_SECRETKEYBYTES];
	fz_hex(ddb, "box_sk", d_box_sk, sizeof d_box_sk);
	crypto_scalarmult_base(fz_down_box_pk, d_box_sk);
	crypto_scalarmult_base(fz_box_pk, box_sk);
	crypto_sign_ed25519_sk_to_pk(sign_pk, fz_sign_sk);
	FILE *in = fmemopen(fz_bundle, fz_bundle_len, "rb"), *out = open_memstream(&fz_payload, &fz_payload_len);
	FUZZ_CHECK(bundle_open(in, sign_pk, fz_box_pk, box_sk, &h, out, &err) == 0);
	fclose(in);
	fclose(out);
	free(pdb);
	free(ddb);
	free(path);
	strbuf_release(&key);
}

/* Changes bytes of buf: each 3 input bytes name a place and a new value. */
static int fz_patch(char *buf, size_t len, const uint8_t *data, size_t n)
{
	int changed = 0;
	for (size_t i = 0; i + 3 <= n; i += 3) {
		size_t at = ((size_t)data[i] << 16 | (size_t)data[i + 1] << 8 | data[i + 2]) * 2654435761u % len;
		char v = (char)(data[i] ^ data[i + 2] ^ 0x5A);
		changed |= buf[at] != v;
		buf[at] = v;
	}
	return changed;
}

static int fz_import(struct store *st, const char *bytes, size_t len)
{
	struct mh_error err;
	struct store_bundle_result r;
	if (mh_file_write(fz_file, bytes, len, &err) < 0)
		return -1;
	int rc = store_bundle_import(st, fz_file, 1, NULL, &r, &err);
	store_bundle_result_free(&r);
	return rc;
}

/* Seals a payload of the given kind as the district would for the province
 * (data), or the province for the district (the rest), and imports it. */
static void fz_sealed(const char *kind, const char *payload, size_t len)
{
	int up = strcmp(kind, "data") == 0;
	struct bundle_header h = fz_head;
	snprintf(h.kind, sizeof h.kind, "%s", kind);
	if (!up) {
		const struct store_office *p = store_office_get(fz_p), *d = store_office_get(fz_d);
		snprintf(h.sender, sizeof h.sender, "%s", p->id);
		snprintf(h.sender_unit, sizeof h.sender_unit, "%s", p->unit_code);
		snprintf(h.recipient, sizeof h.recipient, "%s", d->id);
	}
	h.payload_len = (long long)len;
	static char none[1];
	FILE *in = fmemopen(len ? (char *)payload : none, len ? len : 1, "rb");
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	struct mh_error err;
	FUZZ_CHECK(bundle_seal(&h, in, up ? fz_sign_sk : fz_up_sign_sk, up ? fz_box_pk : fz_down_box_pk, out, &err) ==
	           0);
	fclose(in);
	fclose(out);
	fz_import(up ? fz_p : fz_d, buf, n);
	free(buf);
}

void fuzz_one(const uint8_t *data, size_t n)
{
	if (!fz_p)
		fz_setup();
	int mode = n ? data[0] % 5 : 4;
	if (mode == 0 || mode == 3) { /* a real bundle, changed or cut: never taken */
		char *b = xalloc_malloc(fz_bundle_len);
		memcpy(b, fz_bundle, fz_bundle_len);
		int changed = fz_patch(b, fz_bundle_len, data + 1, n - 1);
		size_t len = fz_bundle_len;
		if (mode == 3 && n > 1) {
			len -= 1 + data[1] % 255;
			changed = 1;
		}
		FUZZ_CHECK(!changed || fz_import(fz_p, b, len) < 0);
		free(b);
	} else if (mode == 1) { /* a real payload, changed, properly sealed */
		char *p = xalloc_malloc(fz_payload_len);
		memcpy(p, fz_payload, fz_payload_len);
		fz_patch(p, fz_payload_len, data + 1, n - 1);
		fz_sealed("data", p, fz_payload_len);
		free(p);
	} else if (mode == 2 && n > 1) { /* the text of the small kinds */
		static const char *const kinds[] = {"ref", "setup", "receipt", "data"};
		fz_sealed(kinds[data[1] % 4], (const char *)data + 2, n - 2);
	} else { /* the input itself as a file */
		if (n)
			fz_import(fz_p, (const char *)data, n);
	}
}
