/* Data bundles between offices (sync.md). The payload is a small SQLite
 * database: every row this office owns or forwards (tombstones included),
 * the audit entries of those offices, and a manifest; an import verifies the
 * envelope, opens the payload read-only and defensively, checks every row and
 * applies it in one transaction where it is newer and its owner lies in the
 * sender's subtree.
 *
 * This file: what the steps share: the office's secret keys, the
 * temporary files, the backups, the problems said, the progress. The steps:
 * store-bundle-out.c (a data bundle written), store-bundle-ref.c (reference
 * data down), store-bundle-in.c (a bundle read in), store-bundle-apply.c (its
 * rows checked and applied), store-bundle-status.c (what a person reads). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

const char *const store_bundle_tables[] = {"unit", "model", "point", "evaluation"};
const char store_bundle_handed_sql[] = "SELECT 1 FROM office WHERE id = ? AND successor = ?";
const char store_bundle_link_sql[] = "SELECT 1 FROM unit_link WHERE from_code = ? AND to_code = ?";

int store_bundle_secret(struct store *st, const char *name, unsigned char *out, size_t n, struct mh_error *err)
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

int store_bundle_hex(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	return sodium_hex2bin(out, n, hex, strlen(hex), NULL, &got, NULL) == 0 && got == n ? 0 : -1;
}

void store_bundle_problem(struct store_bundle_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void store_bundle_problem(struct store_bundle_result *r, const char *fmt, ...)
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

/* A copy of the database before this process's first import changes it. */
int store_bundle_backup(struct store *st, struct mh_error *err)
{
	if (!st->backed_up && store_backup(st, "before-import", err) < 0)
		return -1;
	st->backed_up = 1;
	return 0;
}

/* --- export ------------------------------------------------------------------ */

void store_bundle_head(struct bundle_header *h, const char *kind, const struct store_keys *self, const char *recipient)
{
	memset(h, 0, sizeof *h);
	h->format = 1;
	store_copy(h->kind, sizeof h->kind, kind);
	store_copy(h->sender, sizeof h->sender, self->office_id);
	store_copy(h->sender_unit, sizeof h->sender_unit, self->unit_code);
	store_copy(h->recipient, sizeof h->recipient, recipient);
	store_now(h->created);
}

/* A new empty file in the folder <db>-sync, for what an import or export
 * works on (never on the stick; left-overs of a killed run are removed at
 * the next start). path: a new string. */
FILE *store_bundle_tmp(struct store *st, const char *what, char **path, struct mh_error *err)
{
	char *dir = store_side_dir(st, "-sync", err);
	if (!dir)
		return NULL;
	*path = xalloc_printf("%s/%s-XXXXXX", dir, what);
	free(dir);
	int fd = mkstemp(*path);
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (!f) {
		mh_error_set(err, MH_EIO, _("cannot write %s: %s"), *path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(*path);
		free(*path);
		*path = NULL;
	}
	return f;
}

void store_bundle_tmp_done(FILE *f, char *path)
{
	if (f)
		fclose(f);
	if (path)
		unlink(path);
	free(path);
}

int store_sync_lock(struct store *st, struct mh_error *err)
{
	if (st->sync_depth++)
		return 0;
	char *dir = store_side_dir(st, "-sync", err), *file = dir ? xalloc_printf("%s/.lock", dir) : NULL;
	int fd = file ? open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0660) : -1;
	if (file && fd < 0)
		mh_error_set(err, MH_EIO, _("cannot write %s: %s"), file, strerror(errno));
	/* one bundle at a time on a database: a copy that is closing lets go soon (3 s) */
	for (int tries = 0; fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0; tries++) {
		if (tries == 30) {
			mh_error_set(err, MH_EIO,
			             _("another mohinh is making or taking in a bundle on %s: try again when it has "
			               "finished"),
			             st->path);
			close(fd);
			fd = -1;
			break;
		}
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	/* what a killed run left behind: no one else works in the folder now */
	DIR *d = fd >= 0 ? opendir(dir) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strncmp(e->d_name, "in-", 3) == 0 || strncmp(e->d_name, "payload-", 8) == 0) {
			char *f = xalloc_printf("%s/%s", dir, e->d_name);
			unlink(f);
			free(f);
		}
	if (d)
		closedir(d);
	free(file);
	free(dir);
	if (fd < 0) {
		st->sync_depth = 0;
		return -1;
	}
	st->sync_fd = fd;
	return 0;
}

void store_sync_unlock(struct store *st)
{
	if (st->sync_depth > 0 && --st->sync_depth == 0) {
		close(st->sync_fd);
		st->sync_fd = -1;
	}
}

int store_bundle_progress(struct store *st, int percent)
{
	return st->progress && st->progress(st->progress_ud, percent) != 0;
}

/* The reference data for the office of to_unit, as text (docs/bundle-format.md). */
/* A form file on one line: backslash, tab and line break escaped. */
void store_bundle_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		if (*s == '\\' || *s == '\t' || *s == '\n')
			strbuf_addf(out, "\\%c", *s == '\t' ? 't' : *s == '\n' ? 'n' : '\\');
		else
			strbuf_addc(out, *s);
}

char *store_bundle_unescape(const char *s)
{
	struct strbuf out;
	strbuf_init(&out);
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			strbuf_addc(&out, *s == 't' ? '\t' : *s == 'n' ? '\n' : *s);
		} else {
			strbuf_addc(&out, *s);
		}
	}
	return strbuf_detach(&out, NULL);
}

/* The payload of a small bundle (setup, receipt), opened into memory. */
char *store_bundle_small(FILE *in, const unsigned char *sign_pk, const unsigned char *box_pk,
                         const unsigned char *box_sk, struct bundle_header *h, size_t *len, struct mh_error *err)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	if (!out) {
		mh_error_set(err, MH_EFAIL, _("not enough memory to read the bundle"));
		return NULL;
	}
	int ok = h->payload_len <= (1 << 24) && bundle_open(in, sign_pk, box_pk, box_sk, h, out, err) == 0;
	if (h->payload_len > (1 << 24))
		mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	fclose(out);
	if (!ok) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}
