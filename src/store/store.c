/* Opening a database: its file checked, locked, migrated, its identity and
 * office read. The primitives it and every store file use are in store-db.c. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "mh-file.h"
#include "store-internal.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

#define STORE_APPLICATION_ID 0x4D484E48 /* "MHNH" */

static long long store_exported(struct store *st)
{
	sqlite3_stmt *stmt;
	long long n = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(seq), 0) FROM export_log", -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

int store_identity_save(struct store *st, struct mh_error *err)
{
	char *dir = store_side_dir(st, "-sync", err);
	if (!dir)
		return -1;
	char *file = xalloc_printf("%s/.identity", dir);
	char *text =
	    xalloc_printf("device %s\ngeneration %s\nexported %lld\n", st->device, st->generation, store_exported(st));
	int rc = mh_file_write(file, text, strlen(text), err);
	free(text);
	free(dir);
	free(file);
	return rc;
}

/* This PC and this copy of the database. A small file next to the database
 * (in its -sync folder) remembers both, and the last bundle sent: when the
 * database no longer matches it, the file was copied from elsewhere (a new
 * device) or restored from a backup (bundles sent that it does not know
 * of): it gets a new generation, and the office above is told by the next
 * bundle's manifest. */
static void store_identity_read(struct store *st)
{
	char *dev = store_setting_get(st, "device"), *gen = store_setting_get(st, "generation");
	store_copy(st->device, sizeof st->device, dev ? dev : "");
	store_copy(st->generation, sizeof st->generation, gen ? gen : "");
	free(dev);
	free(gen);
}

/* 2: the file beside the database names this device and this copy; 1: this
 * device only; 0: neither. */
static int store_identity_same(struct store *st)
{
	char *file = xalloc_printf("%s-sync/.identity", st->path);
	char kd[STORE_ID_LEN + 1] = "", kg[STORE_ID_LEN + 1] = "";
	long long exported = 0;
	FILE *f = fopen(file, "r");
	if (f) {
		if (fscanf(f, "device %36s generation %36s exported %lld", kd, kg, &exported) != 3)
			kd[0] = kg[0] = '\0';
		fclose(f);
	}
	free(file);
	if (!st->device[0] || strcmp(kd, st->device) != 0)
		return 0;
	return st->generation[0] && strcmp(kg, st->generation) == 0 && exported <= store_exported(st) ? 2 : 1;
}

static int store_identity(struct store *st, int writable, struct mh_error *err)
{
	store_identity_read(st);
	if (!writable || store_identity_same(st) == 2)
		return 0;
	/* decided again under the write lock: another copy opening at the same time may just have done it */
	if (store_begin(st, err) < 0)
		return -1;
	store_identity_read(st);
	int same = store_identity_same(st), ok = 1;
	if (same == 0)
		store_uuid(st->device); /* new, or copied from another PC */
	if (same < 2) {
		store_uuid(st->generation); /* new, copied, or restored from a backup */
		ok = store_setting_put(st, "device", st->device, err) == 0 &&
		     store_setting_put(st, "generation", st->generation, err) == 0 && store_identity_save(st, err) == 0;
	}
	return store_end(st, ok, err);
}

static int store_damaged(struct store *st, struct mh_error *err);

/* PRAGMA quick_check: a damaged database is named, with where its backups are. */
static int store_quick_check(struct store *st, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	int ok = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &stmt, NULL) == SQLITE_OK &&
	         sqlite3_step(stmt) == SQLITE_ROW && strcmp(store_text(stmt, 0), "ok") == 0;
	sqlite3_finalize(stmt);
	return ok ? 0 : store_damaged(st, err);
}

static int store_damaged(struct store *st, struct mh_error *err)
{
	return mh_error_set(err, MH_EDATA,
	                    _("the database %s is damaged: nothing was changed; restore the last good copy "
	                      "(the folder %s-backup holds those made before each import and upgrade)"),
	                    st->path, st->path);
}

/* Nonzero when a foreign key of the database points nowhere. */
static int store_foreign_keys_broken(struct store *st)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
		return 1;
	int broken = sqlite3_step(stmt) != SQLITE_DONE;
	sqlite3_finalize(stmt);
	return broken;
}

int store_migrate(struct store *st, int target, struct mh_error *err)
{
	int v = store_schema_version(st);
	if (v < 0)
		return store_fail(st, SQLITE_NOTADB, err);
	if (target > store_schema_nsteps)
		target = store_schema_nsteps;
	if (v >= target)
		return 0;
	if (v > 0 && store_backup(st, "before-upgrade", err) < 0)
		return -1;
	/* schema 7 rebuilds the unit table: foreign keys are checked once, at the end */
	if (store_exec(st, "PRAGMA foreign_keys = OFF", err) < 0 || store_begin(st, err) < 0)
		return -1;
	/* another copy may have upgraded the file while this one waited for it */
	v = store_schema_version(st);
	int ok = v >= 0;
	for (; ok && v < target; v++) {
		char sql[96];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d", v + 1,
		         STORE_APPLICATION_ID);
		ok = store_exec(st, store_schema_steps[v], err) == 0 && store_exec(st, sql, err) == 0 &&
		     (v + 1 != 5 || (store_audit_rechain(st, err) == 0 && store_keys_make(st, err) == 0)) &&
		     (v + 1 != 7 || store_count(st, "unit") == 0 || store_unit_load_reform(st, err) == 0);
	}
	if (ok && store_foreign_keys_broken(st))
		ok = mh_error_set(err, MH_EDATA, _("the database upgrade leaves a record without its unit")) == 0;
	ok = store_end(st, ok, err) == 0;
	return store_exec(st, "PRAGMA foreign_keys = ON", ok ? err : NULL) == 0 && ok ? 0 : -1;
}

static void store_default_user(struct store *st)
{
	const char *u = getenv("MOHINH_USER");
	if (!u || !*u) {
		struct passwd *pw = getpwuid(getuid());
		u = pw ? pw->pw_name : "?";
	}
	store_set_user(st, u);
}

static void store_load_office(struct store *st)
{
	sqlite3_stmt *stmt;
	st->have_office = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT id, unit_code, name FROM office WHERE this = 1", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return;
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		store_copy(st->office.id, sizeof st->office.id, store_text(stmt, 0));
		store_copy(st->office.unit_code, sizeof st->office.unit_code, store_text(stmt, 1));
		store_copy(st->office.name, sizeof st->office.name, store_text(stmt, 2));
		st->have_office = 1;
	}
	sqlite3_finalize(stmt);
}

const struct store_office *store_office_get(struct store *st)
{
	return st->have_office ? &st->office : NULL;
}

void store_office_reload(struct store *st)
{
	store_load_office(st);
}

/* Checks the file before SQLite touches it: nothing is created or changed
 * by opening the wrong file. */
static int store_check_file(const char *path, enum store_open_flags flags, struct mh_error *err)
{
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	char *dir = xalloc_strdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	int rc = 0;
	if (flags == STORE_CREATE) {
		struct stat db;
		if (exists)
			rc = mh_error_set(err, MH_EFAIL, _("a database already exists at %s"), path);
		else if (stat(dir, &db) != 0 || !S_ISDIR(db.st_mode))
			rc = mh_error_set(err, MH_EIO, _("the folder %s does not exist"), dir);
		else if (access(dir, W_OK) != 0)
			rc = mh_error_set(err, MH_EIO, _("the folder %s is read-only"), dir);
		free(dir);
		return rc;
	}
	if (!exists) {
		rc = mh_error_set(err, MH_EIO, _("no database at %s; create one with: mohinh init --unit CODE"), path);
	} else if (!S_ISREG(sb.st_mode)) {
		rc = mh_error_set(err, MH_EDATA, _("%s is not a mohinh database"), path);
	} else {
		char head[16] = {0};
		FILE *f = fopen(path, "rb");
		if (!f)
			rc = mh_error_set(err, MH_EIO, _("cannot read %s: %s"), path, strerror(errno));
		else {
			size_t n = fread(head, 1, sizeof head, f);
			fclose(f);
			if (n != sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
				rc = mh_error_set(err, MH_EDATA, _("%s is not a mohinh database"), path);
		}
		/* root passes access(W_OK) on a file without write bits: look at them too */
		int ro = access(path, W_OK) != 0 || access(dir, W_OK) != 0 || (sb.st_mode & 0222) == 0;
		if (rc == 0 && (flags == STORE_WRITE || flags == STORE_WRITE_CHECKED) && ro)
			rc = mh_error_set(err, MH_EIO, _("the database %s is read-only"), path);
	}
	free(dir);
	return rc;
}

/* The office's secret keys are in the file: an account outside its group never
 * reads it. A new file is made 0660 less the umask and others' bits (SQLite
 * gives its -wal and -shm the same mode); one that others may read is
 * tightened when this account owns it (store_at_rest says so otherwise). */
static int store_private(const char *path, enum store_open_flags flags, struct mh_error *err)
{
	if (flags == STORE_CREATE) {
		mode_t mask = umask(0);
		umask(mask);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660 & ~(mask | 0007));
		if (fd < 0)
			return mh_error_set(err, MH_EIO, _("cannot write %s: %s"), path, strerror(errno));
		close(fd);
		return 0;
	}
	struct stat sb;
	if (flags == STORE_READ || stat(path, &sb) != 0 || !(sb.st_mode & 0007) || sb.st_uid != geteuid())
		return 0;
	static const char *const sides[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
		char *p = xalloc_printf("%s%s", path, sides[i]);
		if (stat(p, &sb) == 0 && sb.st_uid == geteuid())
			chmod(p, sb.st_mode & 07770);
		free(p);
	}
	return 0;
}

void store_at_rest(struct store *st, struct store_at_rest *r)
{
	struct stat sb;
	r->path = st->path;
	r->encrypted = mh_file_encrypted(st->path);
	r->mode = stat(st->path, &sb) == 0 ? (unsigned)(sb.st_mode & 07777) : 0;
}

struct store *store_open(const char *path, enum store_open_flags flags, struct mh_error *err)
{
	if (store_check_file(path, flags, err) < 0)
		return NULL;
	struct store *st = xalloc_calloc(1, sizeof *st);
	st->path = xalloc_strdup(path);
	st->sync_fd = -1;
	store_default_user(st);
	int oflags = flags == STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags == STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (store_private(path, flags, err) < 0)
		goto fail;
	int rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		store_fail(st, rc, err);
		goto fail;
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	sqlite3_extended_result_codes(st->db, 1);
	int version = store_schema_version(st);
	if (version < 0) {
		/* the file starts as SQLite's do (store_check_file): damaged inside */
		if ((sqlite3_errcode(st->db) & 0xff) == SQLITE_CORRUPT || sqlite3_errcode(st->db) == SQLITE_NOTADB)
			store_damaged(st, err);
		else
			mh_error_set(err, MH_EDATA, _("%s is not a mohinh database"), path);
		goto fail;
	}
	if (flags != STORE_CREATE && store_pragma_int(st, "PRAGMA application_id") != STORE_APPLICATION_ID) {
		mh_error_set(err, MH_EDATA, _("%s is not a mohinh database"), path);
		goto fail;
	}
	/* a damaged file is named before anything is written to it */
	if (flags == STORE_WRITE_CHECKED && store_quick_check(st, err) < 0)
		goto fail;
	if (version > STORE_SCHEMA_VERSION) {
		mh_error_set(err, MH_EDATA,
		             _("the database %s has schema version %d, newer than this program's (%d): "
		               "use a newer mohinh"),
		             path, version, STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (store_exec(st, "PRAGMA foreign_keys = ON", err) < 0)
		goto fail;
	if (flags != STORE_READ) {
		if (store_exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", err) < 0 ||
		    store_migrate(st, STORE_SCHEMA_VERSION, err) < 0 || store_unit_indexes(st, err) < 0)
			goto fail;
	} else if (version < STORE_SCHEMA_VERSION) {
		mh_error_set(err, MH_EDATA, _("the database %s must be upgraded: open it once for writing"), path);
		goto fail;
	}
	if (store_identity(st, flags != STORE_READ, err) < 0)
		goto fail;
	store_load_office(st);
	return st;
fail:
	store_free(st);
	if (flags == STORE_CREATE)
		unlink(path);
	return NULL;
}

void store_free(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < sizeof st->cache / sizeof *st->cache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	for (size_t i = 0; i < sizeof st->built / sizeof *st->built; i++) {
		sqlite3_finalize(st->built[i].stmt);
		free(st->built[i].sql);
	}
	if (st->db)
		sqlite3_close(st->db);
	if (st->sync_fd >= 0)
		close(st->sync_fd);
	free(st->memo);
	free(st->path);
	free(st);
}
