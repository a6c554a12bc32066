/* The store's primitives, which every store file calls and which call none of
 * them: statements, transactions, texts out of rows, ids, days and dates, the
 * folders beside the database and its backups. Opening, migrating and the
 * database's identity are above them, in store.c. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
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

void store_copy(char *dst, size_t cap, const char *src)
{
	if (cap == 0)
		return;
	size_t len = src ? strlen(src) : 0;
	if (len >= cap) {
		/* cut before the character that does not fit whole: never half a letter */
		len = cap - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src ? src : "", len);
	dst[len] = '\0';
}

char *store_fold(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	vn_fold(s, strlen(s), &sb);
	return strbuf_detach(&sb, NULL);
}

char *store_key(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	vn_sortkey(s, strlen(s), &sb);
	return strbuf_detach(&sb, NULL);
}

const char *store_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char *t = sqlite3_column_text(stmt, i);
	return t ? (const char *)t : "";
}

char *store_row_texts(sqlite3_stmt *stmt, char **const *fields, const int *cols, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(store_text(stmt, cols[i])) + 1;
	char *mem = xalloc_malloc(len + 1), *p = mem;
	for (size_t i = 0; i < n; i++) {
		const char *t = store_text(stmt, cols[i]);
		size_t l = strlen(t) + 1;
		memcpy(p, t, l);
		*fields[i] = p;
		p += l;
	}
	return mem;
}

void store_rows_release(void *rows, size_t n, size_t row_size)
{
	for (size_t i = 0; i < n; i++) {
		char **mem = (char **)((char *)rows + i * row_size);
		free(*mem);
		*mem = NULL;
	}
}

int store_fail(struct store *st, int rc, struct mh_error *err)
{
	int base = rc & 0xFF;
	const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	if (base == SQLITE_CONSTRAINT)
		return mh_error_set(err, MH_EDATA, _("the data breaks a rule of the database: %s"), msg);
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		return mh_error_set(err, MH_EIO,
		                    _("the database is busy: another program has been writing to it for a while (an "
		                      "import?); nothing was changed here, try again in a moment"));
	if (base == SQLITE_READONLY)
		return mh_error_set(err, MH_EIO, _("the database is read-only"));
	if (base == SQLITE_FULL)
		return mh_error_set(err, MH_EIO, _("the disk is full"));
	if (base == SQLITE_NOTADB || base == SQLITE_CORRUPT)
		return mh_error_set(err, MH_EDATA, _("the file is not a mohinh database, or it is damaged"));
	return mh_error_set(err, MH_EIO, _("database error: %s"), msg);
}

int store_exec(struct store *st, const char *sql, struct mh_error *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(st, rc, err);
}

int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt, struct mh_error *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(st, rc, err);
}

int store_prepare_kept(struct store *st, const char *sql, sqlite3_stmt **stmt, struct mh_error *err)
{
	return store_prepare_keyed(st, sql, sql, stmt, err);
}

sqlite3_stmt *store_kept(struct store *st, const void *key)
{
	for (size_t i = 0; i < sizeof st->cache / sizeof *st->cache && st->cache[i].sql; i++)
		if (st->cache[i].sql == key) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	return NULL;
}

int store_prepare_keyed(struct store *st, const void *key, const char *sql, sqlite3_stmt **stmt, struct mh_error *err)
{
	if ((*stmt = store_kept(st, key)))
		return 0;
	size_t n = sizeof st->cache / sizeof *st->cache, i;
	for (i = 0; i < n && st->cache[i].sql; i++)
		;
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, err);
	if (i == n) { /* more kept statements than places: a program error */
		sqlite3_finalize(*stmt);
		return mh_error_set(err, MH_EFAIL, "store_prepare_kept: no place left for %s", sql);
	}
	st->cache[i].sql = key;
	st->cache[i].stmt = *stmt;
	return 0;
}

int store_prepare_built(struct store *st, const char *sql, sqlite3_stmt **stmt, struct mh_error *err)
{
	size_t n = sizeof st->built / sizeof *st->built, slot = n;
	for (size_t i = 0; i < n; i++) {
		if (st->built[i].sql && strcmp(st->built[i].sql, sql) == 0) {
			if (sqlite3_stmt_busy(st->built[i].stmt)) /* stepping further up: one of its own */
				return store_prepare(st, sql, stmt, err);
			st->built[i].used = ++st->built_clock;
			*stmt = st->built[i].stmt;
			return 0;
		}
		if (!st->built[i].stmt || sqlite3_stmt_busy(st->built[i].stmt))
			continue;
		if (slot == n || st->built[i].used < st->built[slot].used)
			slot = i;
	}
	for (size_t i = 0; i < n; i++)
		if (!st->built[i].stmt) {
			slot = i;
			break;
		}
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, err);
	if (slot < n) { /* else every place holds a statement still stepping: this one is not kept */
		sqlite3_finalize(st->built[slot].stmt);
		free(st->built[slot].sql);
		st->built[slot].sql = xalloc_strdup(sql);
		st->built[slot].stmt = *stmt;
		st->built[slot].used = ++st->built_clock;
	}
	return 0;
}

void store_unprepare(struct store *st, sqlite3_stmt *stmt)
{
	for (size_t i = 0; i < sizeof st->built / sizeof *st->built; i++)
		if (st->built[i].stmt == stmt) {
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return;
		}
	sqlite3_finalize(stmt);
}

int store_exists(struct store *st, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *stmt;
	if (store_prepare_kept(st, sql, &stmt, NULL) < 0)
		return 0;
	sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
	int found = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_reset(stmt);
	return found;
}

int store_pragma_int(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

int store_schema_version(struct store *st)
{
	return store_pragma_int(st, "PRAGMA user_version");
}

long store_count(struct store *st, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *stmt;
	long n = -1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

int store_begin(struct store *st, struct mh_error *err)
{
	/* the outermost takes the write lock first: what it reads to decide a write
	 * (the audit chain's last hash, a record's revision) is what it writes over,
	 * whoever else works on the file (WAL: any number of readers go on) */
	if ((!st->depth || !st->bulk) && store_exec(st, st->depth ? "SAVEPOINT action" : "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st->depth++;
	return 0;
}

void store_bulk(struct store *st, int on)
{
	st->bulk = on;
	free(st->memo);
	st->memo = on ? xalloc_calloc(STORE_UNIT_MEMO, sizeof *st->memo) : NULL;
	/* the statement journals of triggers and the pages of a big transaction
	 * kept in memory (16 MB) while it lasts, not spilled to files row by row */
	sqlite3_exec(st->db,
	             on ? "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384"
	                : "PRAGMA temp_store = DEFAULT; PRAGMA cache_size = -16384",
	             NULL, NULL, NULL);
}

int store_journal_bulk(struct store *st, int on)
{
	sqlite3_stmt *stmt;
	/* into rollback at once or not at all (a copy reading keeps WAL); back to WAL as a write waits */
	sqlite3_busy_timeout(st->db, on ? 0 : STORE_BUSY_MS);
	int ok = sqlite3_prepare_v2(st->db, on ? "PRAGMA main.journal_mode = DELETE" : "PRAGMA main.journal_mode = WAL",
	                            -1, &stmt, NULL) == SQLITE_OK;
	ok = ok && sqlite3_step(stmt) == SQLITE_ROW && strcasecmp(store_text(stmt, 0), on ? "delete" : "wal") == 0;
	sqlite3_finalize(stmt);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	return ok;
}

int store_end(struct store *st, int ok, struct mh_error *err)
{
	st->depth--;
	if (!ok || !st->depth)
		st->audit_office[0] = '\0'; /* the chain's end may be rolled back, or another copy may append */
	if (st->depth && st->bulk)          /* the whole bulk action is kept or rolled back */
		return ok ? 0 : -1;
	if (ok && store_exec(st, st->depth ? "RELEASE action" : "COMMIT", err) == 0)
		return 0;
	/* the outermost action rolls the whole transaction back: not a byte of the file changes */
	sqlite3_exec(st->db, st->depth ? "ROLLBACK TO action; RELEASE action" : "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

void store_set_forms(struct store *st, const struct formdef_set *forms)
{
	st->forms = forms;
}

void store_set_progress(struct store *st, int (*fn)(void *ud, int percent), void *ud)
{
	st->progress = fn;
	st->progress_ud = ud;
}

void store_set_user(struct store *st, const char *user)
{
	store_copy(st->user, sizeof st->user, user);
}

const char *store_user(struct store *st)
{
	return st->user;
}

/* Random bytes from a pool filled by getrandom (one call for 256 ids; the
 * program never forks, so no two processes share a pool). */
static void store_random(unsigned char *out, size_t n)
{
	static unsigned char pool[4096];
	static size_t used = sizeof pool;
	if (used + n > sizeof pool) {
		size_t got = 0;
		while (got < sizeof pool) {
			ssize_t r = getrandom(pool + got, sizeof pool - got, 0);
			if (r > 0)
				got += (size_t)r;
			else if (errno != EINTR)
				abort(); /* no randomness: never make a guessable id */
		}
		used = 0;
	}
	memcpy(out, pool + used, n);
	used += n;
}

/* Version 7 (RFC 9562): the time in milliseconds, then a counter within the
 * millisecond, then 62 random bits. Ids made one after the other sort in that
 * order, so a bulk insert appends to the indexes on ids (a record's, its audit
 * entries') instead of writing all over them. */
void store_uuid(char out[STORE_ID_LEN + 1])
{
	static uint64_t last_ms;
	static unsigned counter;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	unsigned char b[16];
	store_random(b, sizeof b);
	if (ms > last_ms) {
		last_ms = ms;
		counter = (unsigned)(b[6] & 0x07) << 8 | b[7]; /* a random start, room to count up */
	} else if (++counter > 0xFFF) {
		last_ms++; /* 2,048 ids or more in one millisecond: borrow the next one */
		counter = 0;
	}
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(last_ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | counter >> 8);
	b[7] = (unsigned char)counter;
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 0xF];
	}
	*o = '\0';
}

void store_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void store_today(char out[11])
{
	char now[21];
	store_now(now);
	memcpy(out, now, 10);
	out[10] = '\0';
}

int store_date_valid(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

char *store_side_dir(struct store *st, const char *suffix, struct mh_error *err)
{
	char *dir = xalloc_printf("%s%s", st->path, suffix);
	/* the office's group works in it too (several officers on one database) */
	if (mkdir(dir, 0770) != 0 && errno != EEXIST) {
		mh_error_set(err, MH_EIO, _("cannot make the folder %s: %s"), dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

int store_backup(struct store *st, const char *what, struct mh_error *err)
{
	char *dir = store_side_dir(st, "-backup", err);
	if (!dir)
		return -1;
	char now[21];
	store_now(now);
	char *file = xalloc_printf("%s/%s-%.4s%.2s%.2s-%.2s%.2s%.2s.db", dir, what, now, now + 5, now + 8, now + 11,
	                           now + 14, now + 17);
	unlink(file);
	char *sql = sqlite3_mprintf("VACUUM INTO %Q", file);
	int rc = store_exec(st, sql, err);
	sqlite3_free(sql);
	free(file);
	/* the oldest of a kind beyond three go */
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), kept = 0;
	size_t wl = strlen(what);
	for (int i = n - 1; i >= 0; i--) {
		if (strncmp(names[i]->d_name, what, wl) == 0 && names[i]->d_name[wl] == '-' && ++kept > 3) {
			char *old = xalloc_printf("%s/%s", dir, names[i]->d_name);
			unlink(old);
			free(old);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	free(dir);
	return rc;
}
