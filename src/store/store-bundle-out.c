/* Sync, the way out: a data bundle of this office's rows (and those it
 * forwards) for the office above, written and sealed. */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "mh-file.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

static int store_bundle_exec_unit(struct store *st, const char *sql, const char *unit, int flag, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	if (sqlite3_bind_parameter_count(stmt) >= 1)
		sqlite3_bind_text(stmt, 1, unit, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqlite3_bind_int(stmt, 2, flag);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, rc, err);
}

/* Seals the payload file to the office `to` as h says, into path (through
 * path.part), checked as it is written: signed with the key whose public
 * half the other offices hold, every byte written and synced (no second
 * read of the whole file: one read back through the page cache would see
 * what was written, not what the stick holds). */
int store_bundle_put(struct store *st, struct bundle_header *h, FILE *payload, const struct store_keys *to,
                     const char *path, long long *size, struct mh_error *err)
{
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
	if (store_bundle_hex(to->box_pk, box_pk, sizeof box_pk) < 0)
		return mh_error_set(err, MH_EDATA, _("the registered key of %s is damaged"), to->name);
	if (fseeko(payload, 0, SEEK_END) != 0 || (h->payload_len = ftello(payload)) < 0 ||
	    fseeko(payload, 0, SEEK_SET) != 0)
		return mh_error_set(err, MH_EIO, _("cannot read the data to put in the bundle"));
	struct store_keys self;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], mine[crypto_sign_PUBLICKEYBYTES];
	if (store_keys_get(st, NULL, &self, err) < 0 ||
	    store_bundle_secret(st, "sign_sk", sign_sk, sizeof sign_sk, err) < 0)
		return -1;
	/* a bundle the office above could not verify is never written */
	crypto_sign_ed25519_sk_to_pk(mine, sign_sk);
	if (store_bundle_hex(self.sign_pk, pk, sizeof pk) < 0 || sodium_memcmp(pk, mine, sizeof pk) != 0) {
		sodium_memzero(sign_sk, sizeof sign_sk);
		return mh_error_set(err, MH_EDATA, _("the registered key of %s is damaged"), self.name);
	}
	FILE *out = mh_file_part_open(path, err);
	errno = 0;
	int ok = out && bundle_seal(h, payload, sign_sk, box_pk, out, err) == 0;
	long long written = ok ? ftello(out) : -1;
	if (out && !ok && err->code == MH_EIO && errno)
		mh_file_error(err, path, errno); /* the stick is full, read-only or gone */
	sodium_memzero(sign_sk, sizeof sign_sk);
	if (out && !ok)
		mh_file_part_abandon(out, path);
	ok = ok && mh_file_part_commit(out, path, err) == 0;
	if (!ok)
		return -1;
	struct stat sb;
	if (stat(path, &sb) != 0 || sb.st_size != written) {
		unlink(path);
		return mh_error_set(err, MH_EIO, _("cannot write the bundle: %s"), strerror(EIO));
	}
	*size = written;
	return 0;
}

/* A data bundle: for the office above, the rows of this office and of the
 * offices below it (and their audit); for an office below (handed), the rows
 * handed down to it (store_office_hand_down), which it audits on arrival. */
static int store_bundle_export(struct store *st, const struct store_keys *to, const struct store_keys *self, int handed,
                               const char *dir, char **path, long long *size, struct bundle_header *h,
                               struct mh_error *err)
{
	/* the next of this office's bundles: taken only once one is written and
	 * checked (export_log), so a failed export leaves no gap */
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT coalesce(max(seq), 0) + 1 FROM export_log", &stmt, err) < 0)
		return -1;
	long long seq = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 1;
	sqlite3_finalize(stmt);
	store_bundle_head(h, handed ? "handed" : "data", self, to->office_id);
	h->seq = seq;
	char *tmp;
	FILE *f = store_bundle_tmp(st, "payload", &tmp, err);
	if (!f)
		return -1;
	char *attach = sqlite3_mprintf("ATTACH %Q AS payload", tmp);
	int ok = store_exec(st, attach, err) == 0;
	sqlite3_free(attach);
	static const char *const steps[] = {
	    "PRAGMA payload.page_size = 16384",
	    "PRAGMA payload.journal_mode = OFF",
	    "PRAGMA payload.synchronous = OFF",
	    "CREATE TABLE payload.manifest (key TEXT NOT NULL, value TEXT NOT NULL)",
	    "CREATE TABLE payload.unit AS SELECT * FROM main.unit WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.model AS SELECT * FROM main.model WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.point AS SELECT * FROM main.point WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.evaluation AS SELECT * FROM main.evaluation WHERE owner IN " STORE_BUNDLE_OWNERS,
	    "CREATE TABLE payload.audit AS SELECT * FROM main.audit WHERE office IN " STORE_BUNDLE_OWNERS
	    " AND NOT ?2 ORDER BY seq",
	};
	size_t nsteps = sizeof steps / sizeof *steps;
	for (size_t i = 0; ok && i < nsteps; i++) {
		ok = store_bundle_exec_unit(st, steps[i], handed ? to->unit_code : self->unit_code, handed, err) == 0;
		if (ok && store_bundle_progress(st, (int)(70 * (i + 1) / nsteps)))
			ok = mh_error_set(err, MH_EFAIL, _("cancelled: nothing was written")) == 0;
	}
	if (ok && handed &&
	    store_count(st, "payload.model") + store_count(st, "payload.point") +
	            store_count(st, "payload.evaluation") ==
	        0)
		ok =
		    mh_error_set(err, MH_EDATA, _("no record was handed down to %s: run mohinh office hand-down first"),
		                 to->name) == 0;
	if (ok) {
		char *manifest = sqlite3_mprintf(
		    "INSERT INTO payload.manifest VALUES ('format', '1'), ('schema', '%d'), ('sender', %Q),"
		    " ('sender_unit', %Q), ('seq', '%lld'), ('created', %Q), ('device', %Q), ('generation', %Q),"
		    " ('models', (SELECT count(*) FROM payload.model)), ('points', (SELECT count(*) FROM "
		    "payload.point)),"
		    " ('evaluations', (SELECT count(*) FROM payload.evaluation)),"
		    " ('audit', (SELECT count(*) FROM payload.audit));"
		    /* the offices that ended and handed their records to the sender: "id day" */
		    "INSERT INTO payload.manifest SELECT 'succeeded', id || ' ' || valid_to FROM main.office"
		    " WHERE successor = %Q AND valid_to IS NOT NULL AND NOT %d ORDER BY id",
		    STORE_SCHEMA_VERSION, self->office_id, self->unit_code, seq, h->created, st->device, st->generation,
		    self->office_id, handed);
		ok = store_exec(st, manifest, err) == 0;
		sqlite3_free(manifest);
	}
	sqlite3_exec(st->db, "DETACH payload", NULL, NULL, NULL);
	if (ok) {
		/* named by the codes as people write them: mohinh-22981-20261202-1.mhb up,
		 * mohinh-68-22981-20261202-2.mhb down */
		char gso[12], down[16] = "";
		if (handed)
			snprintf(down, sizeof down, "-%s", store_unit_gso(to->unit_code, gso));
		*path = xalloc_printf("%s/mohinh-%s%s-%.4s%.2s%.2s-%lld.mhb", dir, store_unit_gso(h->sender_unit, gso),
		                      down, h->created, h->created + 5, h->created + 8, h->seq);
		ok = store_bundle_put(st, h, f, to, *path, size, err) == 0;
	}
	store_bundle_tmp_done(f, tmp);
	return ok ? 0 : -1;
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

/* What a stick pulled out mid-export left behind. */
static void store_bundle_clean_parts(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, "mohinh-", 7) == 0 && n > 9 && strcmp(e->d_name + n - 9, ".mhb.part") == 0) {
			char *f = xalloc_printf("%s/%s", dir, e->d_name);
			unlink(f);
			free(f);
		}
	}
	if (d)
		closedir(d);
}

static int store_bundle_write_locked(struct store *st, const char *to_unit, const char *dir, char **path,
                                     long long *size, struct bundle_header *h, struct mh_error *err)
{
	struct store_keys to, self;
	int rc = to_unit ? store_keys_get(st, to_unit, &to, err) : store_keys_above(st, &to, err);
	if (rc < 0 || store_keys_get(st, NULL, &self, err) < 0)
		return -1;
	if (to.revoked[0])
		return mh_error_set(err, MH_EDATA, _("the key of %s was revoked on %.10s: register its new key first"),
		                    to.name, to.revoked);
	store_bundle_clean_parts(dir);
	/* an office below takes what was handed down to it */
	int handed = strcmp(to.unit_code, self.unit_code) != 0 && store_unit_within(st, to.unit_code, self.unit_code);
	if (store_bundle_export(st, &to, &self, handed, dir, path, size, h, err) < 0 ||
	    store_bundle_log_export(st, h, *path, (size_t)*size, err) < 0 || store_identity_save(st, err) < 0) {
		free(*path);
		*path = NULL;
		return -1;
	}
	return 0;
}

int store_bundle_write(struct store *st, const char *to_unit, const char *dir, char **path, long long *size,
                       struct bundle_header *h, struct mh_error *err)
{
	*path = NULL;
	if (store_sync_lock(st, err) < 0)
		return -1;
	int rc = store_bundle_write_locked(st, to_unit, dir, path, size, h, err);
	store_sync_unlock(st);
	return rc;
}
