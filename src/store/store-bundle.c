/* Data bundles between offices (sync.md). The payload is a small SQLite
 * database: every row this office owns or forwards (tombstones included),
 * the audit entries of those offices, and a manifest. Importing verifies the
 * envelope, opens the payload read-only and defensively, checks every row,
 * and applies it in one transaction where its revision is newer and its
 * owner lies in the sender's subtree. */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "formdef.h"
#include "i18n.h"
#include "mh-file.h"
#include "store-internal.h"
#include "store.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"

static const char *const store_bundle_tables[] = {"unit", "model", "point", "evaluation"};
/* the office ?1 ended and handed its records to ?2 */
static const char store_bundle_handed_sql[] = "SELECT 1 FROM office WHERE id = ? AND successor = ?";
static const char store_bundle_link_sql[] = "SELECT 1 FROM unit_link WHERE from_code = ? AND to_code = ?";
#define STORE_BUNDLE_NTABLES 4

/* the offices whose rows a bundle from `unit` carries: the office of that
 * unit and the registered offices below it (?1: the unit) */
#define STORE_BUNDLE_OWNERS                                                                \
	"(SELECT id FROM main.office WHERE unit_code IN (WITH RECURSIVE " STORE_UNIT_AREA( \
	    "sub", "?1") " SELECT c FROM sub) AND sign_pk IS NOT NULL)"

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

/* A copy of the database before this process's first import changes it. */
static int store_bundle_backup(struct store *st, struct mh_error *err)
{
	if (!st->backed_up && store_backup(st, "before-import", err) < 0)
		return -1;
	st->backed_up = 1;
	return 0;
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

/* A new empty file in the folder <db>-sync, for what an import or export
 * works on (never on the stick; left-overs of a killed run are removed at
 * the next start). path: a new string. */
static FILE *store_bundle_tmp(struct store *st, const char *what, char **path, struct mh_error *err)
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

static void store_bundle_tmp_done(FILE *f, char *path)
{
	if (f)
		fclose(f);
	if (path)
		unlink(path);
	free(path);
}

void store_bundle_clean(struct store *st)
{
	char *dir = xalloc_printf("%s-sync", st->path);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strncmp(e->d_name, "in-", 3) == 0 || strncmp(e->d_name, "payload-", 8) == 0) {
			char *f = xalloc_printf("%s/%s", dir, e->d_name);
			unlink(f);
			free(f);
		}
	if (d)
		closedir(d);
	free(dir);
}

static int store_bundle_progress(struct store *st, int percent)
{
	return st->progress && st->progress(st->progress_ud, percent) != 0;
}

/* Seals the payload file to the office `to` as h says, into path (through
 * path.part), then reads it back and checks its signature. */
static int store_bundle_put(struct store *st, struct bundle_header *h, FILE *payload, const struct store_keys *to,
                            const char *path, long long *size, struct mh_error *err)
{
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
	if (store_bundle_hex(to->box_pk, box_pk, sizeof box_pk) < 0)
		return mh_error_set(err, MH_EDATA, _("the registered key of %s is damaged"), to->name);
	if (fseeko(payload, 0, SEEK_END) != 0 || (h->payload_len = ftello(payload)) < 0 ||
	    fseeko(payload, 0, SEEK_SET) != 0)
		return mh_error_set(err, MH_EIO, _("cannot read the data to put in the bundle"));
	if (store_bundle_secret(st, "sign_sk", sign_sk, sizeof sign_sk, err) < 0)
		return -1;
	FILE *out = mh_file_part_open(path, err);
	errno = 0;
	int ok = out && bundle_seal(h, payload, sign_sk, box_pk, out, err) == 0;
	if (out && !ok && err->code == MH_EIO && errno)
		mh_file_error(err, path, errno); /* the stick is full, read-only or gone */
	sodium_memzero(sign_sk, sizeof sign_sk);
	if (out && !ok)
		mh_file_part_abandon(out, path);
	ok = ok && mh_file_part_commit(out, path, err) == 0;
	if (!ok)
		return -1;
	/* read back from the stick: only a file that verifies may be carried away */
	struct store_keys self;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	struct bundle_header back;
	FILE *in = mh_file_open_regular(path, BUNDLE_MAX, size, err);
	ok = in && store_keys_get(st, NULL, &self, err) == 0 && store_bundle_hex(self.sign_pk, pk, sizeof pk) == 0 &&
	     bundle_verify(in, pk, &back, err) == 0;
	if (in)
		fclose(in);
	if (!ok)
		unlink(path);
	return ok ? 0 : -1;
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

/* --- reference data down ------------------------------------------------------ */

/* "1.2.10" after "1.2.9" */
static int store_bundle_version_cmp(const char *a, const char *b)
{
	for (int i = 0; i < 3; i++) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a += *a == '.';
		b += *b == '.';
	}
	return 0;
}

/* One query's rows as tab-separated lines after a tag. */
static int store_bundle_lines(struct store *st, const char *tag, const char *sql, const char *param,
                              struct strbuf *text, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	if (param)
		sqlite3_bind_text(stmt, 1, param, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		strbuf_adds(text, tag);
		for (int i = 0; i < sqlite3_column_count(stmt); i++)
			strbuf_addf(text, "\t%s", store_text(stmt, i));
		strbuf_adds(text, "\n");
	}
	sqlite3_finalize(stmt);
	return 0;
}

/* The reference data for the office of to_unit, as text (docs/bundle-format.md). */
/* A form file on one line: backslash, tab and line break escaped. */
static void store_bundle_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		if (*s == '\\' || *s == '\t' || *s == '\n')
			strbuf_addf(out, "\\%c", *s == '\t' ? 't' : *s == '\n' ? 'n' : '\\');
		else
			strbuf_addc(out, *s);
}

static char *store_bundle_unescape(const char *s)
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

static int store_bundle_ref_text(struct store *st, const struct store_keys *self, const char *to_unit,
                                 const char *forms_dir, long long version, struct strbuf *text, struct mh_error *err)
{
	strbuf_addf(text, "mohinh-ref 1\nversion\t%lld\nmin_program\t%s\nname\t%s\n", version, MOHINH_VERSION,
	            self->name);
	/* units this office or those above changed (the GSO list is in every mohinh) */
	int ok =
	    store_bundle_lines(st, "unit",
	                       "SELECT u.code, coalesce(u.parent_code, ''), u.level, u.type, u.name,"
	                       " coalesce(u.valid_from, ''), coalesce(u.valid_to, ''), coalesce(u.replaced_by, ''),"
	                       " u.owner, u.rev, u.deleted, coalesce(u.legal_ref, '') FROM unit u"
	                       " JOIN office o ON o.id = u.owner"
	                       " WHERE o.this = 1 OR o.unit_code NOT IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                           "sub", "?1") " SELECT c FROM sub)"
	                                        " ORDER BY u.level, u.code",
	                       self->unit_code, text, err) == 0 &&
	    /* and the links they made between versions */
	    store_bundle_lines(st, "link",
	                       "SELECT l.from_code, l.to_code, l.share, l.detail, l.on_date, l.clause, l.owner"
	                       " FROM unit_link l JOIN office o ON o.id = l.owner"
	                       " WHERE o.this = 1 OR o.unit_code NOT IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                           "sub", "?1") " SELECT c FROM sub)"
	                                        " ORDER BY l.from_code, l.to_code",
	                       self->unit_code, text, err) == 0 &&
	    store_bundle_lines(st, "choice",
	                       "SELECT list, code, label, ord FROM choice WHERE active = 1 ORDER BY list, ord", NULL,
	                       text, err) == 0 &&
	    store_bundle_lines(st, "office",
	                       "SELECT unit_code, id, name, sign_pk, box_pk FROM office WHERE sign_pk IS NOT NULL"
	                       " ORDER BY unit_code",
	                       NULL, text, err) == 0 &&
	    store_bundle_lines(st, "receipt",
	                       "SELECT l.seq, l.at, l.added || ' + ' || l.updated || ' ~ ' || l.unchanged"
	                       " || ' = ' || l.refused || ' !' FROM import_log l JOIN office o ON o.id = l.sender"
	                       " WHERE o.unit_code = ?1 AND l.kind = 'data' ORDER BY l.seq",
	                       to_unit, text, err) == 0;
	/* the forms this office uses: its folder's, and those from above */
	struct formdef_files files;
	struct formdef_errors errs = {NULL, 0};
	if (ok && forms_dir && store_forms_files(st, forms_dir, &files, &errs) == 0) {
		/* never send what would not open below */
		struct formdef_set *set = formdef_load_texts((const char *const *)files.names,
		                                             (const char *const *)files.texts, files.n, &errs);
		store_forms_check(set, &errs);
		formdef_free(set);
		for (size_t i = 0; i < files.n; i++) {
			const char *base =
			    strrchr(files.names[i], '/') ? strrchr(files.names[i], '/') + 1 : files.names[i];
			strbuf_addf(text, "form\t%s\t", base);
			store_bundle_escape(text, files.texts[i]);
			strbuf_adds(text, "\n");
		}
		formdef_files_release(&files);
	}
	if (ok && errs.n)
		ok = mh_error_set(err, MH_EDATA, "%s", errs.msgs[0]) == 0;
	formdef_errors_release(&errs);
	return ok ? 0 : -1;
}

/* A setup or reference bundle for the office of to_unit, below this one:
 * the reference data as text, sealed to it, written into dir. */
static int store_bundle_down(struct store *st, const char *kind, const char *to_unit, const char *forms_dir,
                             long long version, const char *dir, char **path, struct bundle_header *h,
                             struct mh_error *err)
{
	*path = NULL;
	struct store_keys to, self;
	if (store_keys_get(st, NULL, &self, err) < 0 || store_keys_get(st, to_unit, &to, err) < 0)
		return -1;
	to_unit = to.unit_code; /* the version the office below is registered for */
	if (strcmp(to_unit, self.unit_code) == 0 || !store_unit_within(st, to_unit, self.unit_code))
		return mh_error_set(err, MH_EDATA, _("setup and reference bundles go to an office below this one"));
	char gso[12];
	struct strbuf text;
	strbuf_init(&text);
	int ok = store_bundle_ref_text(st, &self, to_unit, forms_dir, version, &text, err) == 0;
	if (ok) {
		store_bundle_head(h, kind, &self, to.office_id);
		h->seq = version;
		if (strcmp(kind, "setup") == 0) { /* the receiver does not know these keys yet */
			store_copy(h->sign_pk, sizeof h->sign_pk, self.sign_pk);
			store_copy(h->box_pk, sizeof h->box_pk, self.box_pk);
			*path = xalloc_printf("%s/mohinh-setup-%s.mhb", dir, store_unit_gso(to_unit, gso));
		} else {
			*path = xalloc_printf("%s/mohinh-ref-%s-%lld.mhb", dir, store_unit_gso(to_unit, gso), version);
		}
		FILE *payload = fmemopen(text.buf, text.len, "rb");
		long long size;
		ok = payload && store_bundle_put(st, h, payload, &to, *path, &size, err) == 0;
		if (payload)
			fclose(payload);
	}
	strbuf_release(&text);
	if (!ok) {
		free(*path);
		*path = NULL;
	}
	return ok ? 0 : -1;
}

int store_bundle_ref(struct store *st, const char *to_unit, const char *forms_dir, const char *dir, char **path,
                     struct bundle_header *h, struct mh_error *err)
{
	/* each reference bundle has the next version: a district takes only newer ones */
	char *last = store_setting_get(st, "ref_version");
	long long version = (last ? atoll(last) : 0) + 1;
	free(last);
	char v[24];
	snprintf(v, sizeof v, "%lld", version);
	if (store_bundle_down(st, "ref", to_unit, forms_dir, version, dir, path, h, err) < 0)
		return -1;
	return store_setting_put(st, "ref_version", v, err);
}

int store_bundle_setup(struct store *st, const char *for_unit, const char *forms_dir, const char *dir, char **path,
                       struct bundle_header *h, struct mh_error *err)
{
	/* the reference data as it is now, at the version last sent (0: none yet) */
	char *last = store_setting_get(st, "ref_version");
	long long version = last ? atoll(last) : 0;
	free(last);
	return store_bundle_down(st, "setup", for_unit, forms_dir, version, dir, path, h, err);
}

/* Splits a line at tabs: the number of fields. */
static int store_bundle_fields(char *line, char **f, int max)
{
	int n = 0;
	for (char *p = line; n < max;) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

/* A unit from above, taken where it is new here or a newer revision of the
 * same owner's. One key with two meanings in one bundle refuses it whole. */
static int store_bundle_unit_in(struct store *st, char **f, int n, struct store_bundle_result *r, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	struct strbuf line;
	strbuf_init(&line);
	for (int i = 2; i < n; i++)
		strbuf_addf(&line, "%s\t", f[i]);
	if (store_prepare(st,
	                  "INSERT INTO temp.ref_units (code, line) VALUES (?1, ?2) ON CONFLICT DO UPDATE SET twice = 1"
	                  " WHERE line <> excluded.line RETURNING twice",
	                  &stmt, err) < 0) {
		strbuf_release(&line);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, f[1], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, line.buf, -1, SQLITE_STATIC);
	int twice = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	strbuf_release(&line);
	if (twice)
		return mh_error_set(err, MH_EDATA,
		                    _("the unit %s comes twice in the reference data, with two meanings"), f[1]);
	if (store_prepare(st,
	                  "INSERT INTO unit (code, parent_code, level, type, name, name_fold, name_key, valid_from,"
	                  " valid_to, replaced_by, owner, rev, deleted, created_at, created_by, updated_at, updated_by,"
	                  " legal_ref)"
	                  " VALUES (?1, nullif(?2, ''), ?3, ?4, ?5, ?6, ?7, nullif(?8, ''), nullif(?9, ''),"
	                  " nullif(?10, ''), ?11, ?12, ?13, ?14, ?15, ?14, ?15, nullif(?16, '')) ON CONFLICT (code)"
	                  " DO UPDATE SET"
	                  " parent_code = excluded.parent_code, level = excluded.level, type = excluded.type,"
	                  " name = excluded.name, name_fold = excluded.name_fold, name_key = excluded.name_key,"
	                  " valid_from = excluded.valid_from, valid_to = excluded.valid_to,"
	                  " replaced_by = excluded.replaced_by, legal_ref = excluded.legal_ref, rev = excluded.rev,"
	                  " deleted = excluded.deleted,"
	                  " updated_at = excluded.updated_at, updated_by = excluded.updated_by"
	                  " WHERE excluded.rev > unit.rev AND excluded.owner = unit.owner",
	                  &stmt, err) < 0)
		return -1;
	char *fold = store_fold(f[5]), *key = store_key(f[5]), now[21];
	store_now(now);
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(stmt, i + 1, f[i + 1], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, key, -1, SQLITE_STATIC);
	for (int i = 0; i < 4; i++)
		sqlite3_bind_text(stmt, 8 + i, f[6 + i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 12, atoll(f[10]));
	sqlite3_bind_int(stmt, 13, atoi(f[11]) != 0);
	sqlite3_bind_text(stmt, 14, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 15, st->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 16, n > 12 ? f[12] : "", -1, SQLITE_STATIC); /* schema 6 sends no legal reference */
	int rc = sqlite3_step(stmt);
	int changed = sqlite3_changes(st->db);
	sqlite3_finalize(stmt);
	free(fold);
	free(key);
	if (rc != SQLITE_DONE) {
		store_bundle_problem(r, _("unit %s: %s"), f[1], sqlite3_errmsg(st->db));
		return 0;
	}
	if (changed)
		r->updated++;
	return 0;
}

/* Keeps the first breach of the units' invariants that store_unit_check names. */
static void store_bundle_first(const char *what, void *ud)
{
	char **first = ud;
	if (!*first)
		*first = xalloc_strdup(what);
}

/* A link between unit versions from above (from, to, share, detail, day,
 * clause, owner): one to a unit that exists neither here nor in the bundle
 * refuses the bundle whole. */
static int store_bundle_link_in(struct store *st, char **f, struct store_bundle_result *r, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(
	        st,
	        "INSERT INTO unit_link (from_code, to_code, share, detail, on_date, clause, owner, created_at,"
	        " created_by) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9"
	        " WHERE EXISTS (SELECT 1 FROM unit WHERE code = ?1) AND EXISTS (SELECT 1 FROM unit WHERE code = ?2)"
	        " ON CONFLICT (from_code, to_code) DO UPDATE SET share = excluded.share, detail = excluded.detail,"
	        " on_date = excluded.on_date, clause = excluded.clause WHERE owner = excluded.owner",
	        &stmt, err) < 0)
		return -1;
	char now[21];
	store_now(now);
	for (int i = 0; i < 7; i++)
		sqlite3_bind_text(stmt, i + 1, f[i + 1], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, st->user, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt), changed = sqlite3_changes(st->db);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return mh_error_set(err, MH_EDATA, _("the link %s -> %s of the reference data is not valid: %s"), f[1],
		                    f[2], sqlite3_errmsg(st->db));
	if (!changed && !store_exists(st, store_bundle_link_sql, f[1], f[2]))
		return mh_error_set(err, MH_EDATA, _("the reference data links %s to %s: no such unit"), f[1], f[2]);
	r->updated += changed;
	return 0;
}

/* The form files from above, each checked with all the others it came
 * with (mohinh check-forms), then kept for the screens and lists here. */
static int store_bundle_forms_in(struct store *st, const struct formdef_files *forms, long long version,
                                 struct mh_error *err)
{
	struct formdef_errors errs = {NULL, 0};
	struct formdef_set *set =
	    formdef_load_texts((const char *const *)forms->names, (const char *const *)forms->texts, forms->n, &errs);
	store_forms_check(set, &errs);
	formdef_free(set);
	int ok = errs.n == 0;
	if (!ok)
		mh_error_set(err, MH_EDATA, _("the form files sent have errors (%s): nothing was changed"),
		             errs.msgs[0]);
	formdef_errors_release(&errs);
	sqlite3_stmt *stmt = NULL;
	ok = ok && store_prepare(st, "INSERT OR REPLACE INTO form_text VALUES (?, ?, ?)", &stmt, err) == 0;
	for (size_t i = 0; ok && i < forms->n; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, forms->names[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, forms->texts[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, version);
		int rc = sqlite3_step(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

/* Reference data from the office above: applied only if newer than what
 * was applied before (a setup bundle's always); a choice no longer in the
 * lists is kept, inactive. */
static int store_bundle_ref_in(struct store *st, struct store_bundle_result *r, const char *text, size_t len, int setup,
                               int dry_run, struct mh_error *err)
{
	r->is_ref = !setup;
	if (strlen(text) != len || strncmp(text, "mohinh-ref 1\n", 13) != 0 || !utf8_valid(text, len, NULL))
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	char *copy = xalloc_strdup(text), *save = NULL;
	char *have = store_setting_get(st, "ref_applied");
	long long applied = have ? atoll(have) : 0, version = -1;
	free(have);
	const char *min = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "version\t", 8) == 0)
			version = atoll(line + 8);
		else if (strncmp(line, "min_program\t", 12) == 0)
			min = line + 12;
	}
	r->ref_version = version;
	r->ref_applied = applied;
	int rc = 0;
	if (version < (setup ? 0 : 1) || !min)
		rc = mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	else if (store_bundle_version_cmp(MOHINH_VERSION, min) < 0)
		rc = mh_error_set(err, MH_EDATA,
		                  _("this reference data needs mohinh %s or newer (this one is %s): install it "
		                    "first; nothing was changed"),
		                  min, MOHINH_VERSION);
	free(copy);
	if (rc < 0 || (!setup && version <= applied)) {
		r->already = rc == 0; /* older or the same: nothing to do */
		if (rc == 0 && !dry_run) {
			char summary[96];
			snprintf(summary, sizeof summary, "ref %lld <= %lld", version, applied);
			rc = store_audit(st, "bundle", r->h.sender, "insert", "ref-older", NULL, summary, err);
		}
		return rc;
	}
	if (!setup && !dry_run && store_bundle_backup(st, err) < 0)
		return -1;
	copy = xalloc_strdup(text);
	save = NULL;
	struct formdef_files forms = {NULL, NULL, 0};
	/* the unit versions and links here keep the invariants of units.md; a bundle whose
	 * versions or links break one is refused (counted only when it has some) */
	int units = strstr(text, "\nunit\t") || strstr(text, "\nlink\t");
	long broken = units ? store_unit_check(st, NULL, NULL, err) : 0;
	if (broken < 0) {
		free(copy);
		return -1;
	}
	int ok = store_begin(st, err) == 0;
	sqlite3_stmt *choice = NULL, *receipt = NULL;
	ok = ok &&
	     store_prepare(st,
	                   "INSERT INTO choice (list, code, label, ord, active) VALUES (?, ?, ?, ?, 1)"
	                   " ON CONFLICT (list, code) DO UPDATE SET label = excluded.label, ord = excluded.ord,"
	                   " active = 1 WHERE label <> excluded.label OR ord <> excluded.ord OR active = 0",
	                   &choice, err) == 0 &&
	     store_prepare(st, "INSERT OR IGNORE INTO receipt_log VALUES (?, ?, ?, ?)", &receipt, err) == 0 &&
	     store_exec(st,
	                "CREATE TEMP TABLE IF NOT EXISTS ref_lists (list TEXT PRIMARY KEY);"
	                "CREATE TEMP TABLE IF NOT EXISTS ref_choices (list TEXT, code TEXT);"
	                "CREATE TEMP TABLE IF NOT EXISTS ref_units (code TEXT PRIMARY KEY, line TEXT NOT NULL,"
	                " twice INTEGER NOT NULL DEFAULT 0);"
	                "DELETE FROM ref_lists; DELETE FROM ref_choices; DELETE FROM ref_units",
	                err) == 0;
	for (char *line = strtok_r(copy, "\n", &save); ok && line; line = strtok_r(NULL, "\n", &save)) {
		char *f[14];
		int n = store_bundle_fields(line, f, 14);
		if (strcmp(f[0], "choice") == 0 && n == 5) {
			sqlite3_reset(choice);
			for (int i = 0; i < 3; i++)
				sqlite3_bind_text(choice, i + 1, f[i + 1], -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(choice, 4, atoi(f[4]));
			int step = sqlite3_step(choice);
			ok = step == SQLITE_DONE || store_fail(st, step, err) == 0;
			r->added += sqlite3_changes(st->db) > 0;
			r->choices++;
			char *sql = sqlite3_mprintf("INSERT OR IGNORE INTO ref_lists VALUES (%Q);"
			                            "INSERT INTO ref_choices VALUES (%Q, %Q)",
			                            f[1], f[1], f[2]);
			ok = ok && store_exec(st, sql, err) == 0;
			sqlite3_free(sql);
		} else if (strcmp(f[0], "unit") == 0 && (n == 12 || n == 13)) {
			ok = store_bundle_unit_in(st, f, n, r, err) == 0;
		} else if (strcmp(f[0], "link") == 0 && n == 8) {
			ok = store_bundle_link_in(st, f, r, err) == 0;
		} else if (strcmp(f[0], "office") == 0 && n == 6 && strcmp(f[1], st->office.unit_code) != 0) {
			struct store_keys k, old;
			memset(&k, 0, sizeof k);
			store_copy(k.unit_code, sizeof k.unit_code, f[1]);
			store_copy(k.office_id, sizeof k.office_id, f[2]);
			store_copy(k.name, sizeof k.name, f[3]);
			store_copy(k.sign_pk, sizeof k.sign_pk, f[4]);
			store_copy(k.box_pk, sizeof k.box_pk, f[5]);
			store_keys_fingerprint(k.sign_pk, k.box_pk, k.fingerprint);
			if (store_keys_get(st, k.unit_code, &old, NULL) < 0)
				ok = store_keys_register(st, &k, err) == 0;
			else if (strcmp(old.sign_pk, k.sign_pk) != 0)
				store_bundle_problem(
				    r, _("office %s: another key is registered here; it is not replaced"), k.unit_code);
		} else if (strcmp(f[0], "form") == 0 && n == 3) {
			char *form = store_bundle_unescape(f[2]);
			formdef_files_put(&forms, f[1], form);
			free(form);
		} else if (strcmp(f[0], "receipt") == 0 && n == 4) {
			sqlite3_reset(receipt);
			sqlite3_bind_int64(receipt, 1, atoll(f[1]));
			sqlite3_bind_text(receipt, 2, f[2], -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(receipt, 3, r->h.sender, -1, SQLITE_STATIC);
			sqlite3_bind_text(receipt, 4, f[3], -1, SQLITE_TRANSIENT);
			int step = sqlite3_step(receipt);
			ok = step == SQLITE_DONE || store_fail(st, step, err) == 0;
		}
	}
	free(copy);
	sqlite3_finalize(choice);
	sqlite3_finalize(receipt);
	/* the forms sent: kept only if they read without an error */
	if (ok && forms.n)
		ok = store_bundle_forms_in(st, &forms, version, err) == 0;
	formdef_files_release(&forms);
	if (ok && units) {
		char *why = NULL;
		long now = store_unit_check(st, store_bundle_first, &why, err);
		if (now > broken)
			ok = mh_error_set(err, MH_EDATA, _("the reference data's units break a rule: %s"), why) == 0;
		else if (now < 0)
			ok = 0;
		free(why);
	}
	/* a choice the office above no longer has stays for the records that use it, inactive */
	if (ok) {
		ok = store_exec(st,
		                "UPDATE choice SET active = 0 WHERE active = 1 AND list IN (SELECT list FROM ref_lists)"
		                " AND (list, code) NOT IN (SELECT list, code FROM ref_choices)",
		                err) == 0;
		r->inactive = sqlite3_changes(st->db);
	}
	char v[24], summary[96];
	snprintf(v, sizeof v, "%lld", version > applied ? version : applied);
	snprintf(summary, sizeof summary, "ref %lld: choices +%ld -%ld, units %ld", version, r->added, r->inactive,
	         r->updated);
	ok = ok && store_setting_put(st, "ref_applied", v, err) == 0 &&
	     store_audit(st, "bundle", r->h.sender, "insert", "ref", NULL, summary, err) == 0;
	if (dry_run) {
		store_end(st, 0, NULL);
		return ok ? 0 : -1;
	}
	return store_end(st, ok, err);
}

/* The payload of a small bundle (setup, receipt), opened into memory. */
static char *store_bundle_small(FILE *in, const unsigned char *sign_pk, const unsigned char *box_pk,
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

/* A setup bundle from the office above: its keys (in the header) are taken
 * only when the fingerprint a person checked matches them; then the office
 * is registered and its choice lists applied. */
static int store_bundle_setup_in(struct store *st, FILE *file, const char *fingerprint, struct store_bundle_result *r,
                                 struct mh_error *err)
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
	size_t plen;
	char *text = store_bundle_small(file, sign_pk, box_pk, box_sk, &r->h, &plen, err);
	sodium_memzero(box_sk, sizeof box_sk);
	if (!text)
		return -1;
	if (strlen(text) != plen || strncmp(text, "mohinh-ref 1\n", 13) != 0 || !utf8_valid(text, plen, NULL)) {
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
	/* the office above registered, then its reference data, all or nothing */
	int ok = store_begin(st, err) == 0 && (known || store_keys_register(st, &above, err) == 0) &&
	         store_bundle_ref_in(st, r, text, plen, 1, 0, err) == 0 &&
	         store_audit(st, "bundle", r->h.sender, "insert", "setup", NULL, r->fingerprint, err) == 0;
	free(text);
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

int store_bundle_write(struct store *st, const char *to_unit, const char *dir, char **path, long long *size,
                       struct bundle_header *h, struct mh_error *err)
{
	*path = NULL;
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

/* --- import ------------------------------------------------------------------ */

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

/* The most characters a text of the column may have: its field's limit, or 8000. */
static size_t store_bundle_max_chars(const struct store_table *t, const char *col)
{
	for (size_t i = 0; t && i < t->ncols; i++)
		if (strcmp(t->cols[i].name, col) == 0 && t->cols[i].maxchars)
			return (size_t)t->cols[i].maxchars;
	return 8000;
}

/* The payload opened read-only and defensively, its tables checked. */
static sqlite3 *store_bundle_payload(const char *path, struct mh_error *err)
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

/* Whether version x (device, rev, base) was made from version y or after
 * it: on the same PC with a revision as high, or on another PC starting from
 * y or a later version of y's PC. */
static int store_bundle_descends(const char *xdev, long long xrev, const char *xbase, const char *ydev, long long yrev)
{
	if (strcmp(xdev, ydev) == 0)
		return xrev >= yrev;
	const char *colon = xbase ? strrchr(xbase, ':') : NULL;
	return colon && (size_t)(colon - xbase) == strlen(ydev) && strncmp(xbase, ydev, strlen(ydev)) == 0 &&
	       atoll(colon + 1) >= yrev;
}

/* The columns a version of a row is made of, beside its bookkeeping. */
static int store_bundle_content_col(const char *name)
{
	static const char *const skip[] = {"rev",    "device",     "base",      "updated_at", "updated_by",
	                                   "search", "search_all", "name_fold", "name_key"};
	for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
		if (strcmp(name, skip[i]) == 0)
			return 0;
	return 1;
}

/* The same content here and in the payload's current row? */
static int store_bundle_same(sqlite3_stmt *mine, sqlite3_stmt *in, int n)
{
	if (sqlite3_step(mine) != SQLITE_ROW)
		return 0;
	for (int i = 0; i < n; i++) {
		if (!store_bundle_content_col(sqlite3_column_name(in, i)))
			continue;
		int t = sqlite3_column_type(in, i);
		if (t != sqlite3_column_type(mine, i))
			return 0;
		if (t == SQLITE_NULL)
			continue;
		if (t == SQLITE_INTEGER ? sqlite3_column_int64(in, i) != sqlite3_column_int64(mine, i)
		                        : sqlite3_column_bytes(in, i) != sqlite3_column_bytes(mine, i) ||
		                              memcmp(sqlite3_column_blob(in, i), sqlite3_column_blob(mine, i),
		                                     (size_t)sqlite3_column_bytes(in, i)) != 0)
			return 0;
	}
	return 1;
}

/* Two PCs of one office changed the row: their version waits for a person
 * (once, however often it comes again). 1: it waits; 0: settled before. */
static int store_bundle_conflict(struct store *st, const char *table, const char *id, const char *hash,
                                 sqlite3_stmt *json, sqlite3_stmt *in, int n, struct mh_error *err)
{
	sqlite3_reset(json);
	for (int i = 0; i < n; i++)
		sqlite3_bind_value(json, i + 1, sqlite3_column_value(in, i));
	if (sqlite3_step(json) != SQLITE_ROW)
		return store_fail(st, sqlite3_errcode(st->db), err);
	char now[21];
	store_now(now);
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "INSERT INTO conflict (at, tbl, record_id, bundle, theirs) VALUES (?, ?, ?, ?, ?)"
	                  " ON CONFLICT DO NOTHING",
	                  &stmt, err) < 0)
		return -1;
	const char *v[] = {now, table, id, hash, (const char *)sqlite3_column_text(json, 0)};
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(stmt, i + 1, v[i], -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt), added = sqlite3_changes(st->db);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err);
	if (added)
		return 1;
	/* that version came before: it waits still, or a person has settled it */
	if (store_prepare(st, "SELECT resolved_at IS NULL FROM conflict WHERE tbl = ? AND record_id = ? AND theirs = ?",
	                  &stmt, err) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		sqlite3_bind_text(stmt, i + 1, i == 2 ? v[4] : v[i + 1], -1, SQLITE_TRANSIENT);
	int waiting = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return waiting;
}

/* The end of an insert of a payload's row: it replaces ours only where
 * newer and of the same owner. */
static void store_bundle_upsert(struct strbuf *sql, const char *table, const char *key, const char *cols)
{
	strbuf_addf(sql, " ON CONFLICT(%s) DO UPDATE SET ", key);
	char *copy = xalloc_strdup(cols), *save = NULL;
	int k = 0;
	for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save), k++)
		strbuf_addf(sql, "%s%s = excluded.%s", k ? ", " : "", c, c);
	free(copy);
	strbuf_addf(sql,
	            " WHERE excluded.rev > %s.rev AND (excluded.owner = %s.owner"
	            " OR %s.owner IN (SELECT id FROM main.office WHERE successor = excluded.owner))",
	            table, table, table);
}

/* Esc during the one long statement of an import. */
static int store_bundle_interrupt(void *ud)
{
	struct store *st = ud;
	return store_bundle_progress(st, -1);
}

/* The rows taken (temp.bundle_take) copied from the payload (attached as
 * incoming) in one statement, as fast as SQLite copies; should one of them
 * break a constraint, row by row, each refused with its reason. */
static int store_bundle_apply(struct store *st, const char *table, const char *key, const char *cols, sqlite3_stmt *out,
                              struct store_bundle_result *r, struct mh_error *err)
{
	struct strbuf bulk;
	strbuf_init(&bulk);
	strbuf_addf(&bulk,
	            "INSERT INTO main.%s (%s) SELECT %s FROM incoming.%s WHERE %s IN (SELECT k FROM temp.bundle_take)",
	            table, cols, cols, table, key);
	store_bundle_upsert(&bulk, table, key, cols);
	sqlite3_progress_handler(st->db, 100000, store_bundle_interrupt, st);
	int rc = sqlite3_exec(st->db, bulk.buf, NULL, NULL, NULL);
	sqlite3_progress_handler(st->db, 0, NULL, NULL);
	strbuf_release(&bulk);
	if (rc == SQLITE_OK)
		return 0;
	if (rc == SQLITE_INTERRUPT)
		return mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
	/* one row breaks a rule of this database: find it, keep the others */
	char *sql =
	    xalloc_printf("SELECT %s FROM incoming.%s WHERE %s IN (SELECT k FROM temp.bundle_take)", cols, table, key);
	char *was = xalloc_printf("SELECT 1 FROM main.%s WHERE %s = ?", table, key);
	sqlite3_stmt *in = NULL, *look = NULL;
	int ok = store_prepare(st, sql, &in, err) == 0 && store_prepare(st, was, &look, err) == 0;
	free(sql);
	free(was);
	int n = ok ? sqlite3_column_count(in) : 0, ikey = 0;
	for (int i = 0; i < n; i++)
		ikey = strcmp(sqlite3_column_name(in, i), key) == 0 ? i : ikey;
	while (ok && (rc = sqlite3_step(in)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(in, ikey);
		sqlite3_reset(look);
		sqlite3_bind_text(look, 1, id, -1, SQLITE_TRANSIENT);
		int exists = sqlite3_step(look) == SQLITE_ROW;
		sqlite3_reset(out);
		for (int i = 0; i < n; i++)
			sqlite3_bind_value(out, i + 1, sqlite3_column_value(in, i));
		if (sqlite3_step(out) != SQLITE_DONE) {
			store_bundle_problem(r, _("%s %s: %s"), store_table_label(table), id, sqlite3_errmsg(st->db));
			*(exists ? &r->updated : &r->added) -= 1;
		}
	}
	if (ok && rc != SQLITE_DONE)
		ok = store_fail(st, rc, err) == 0;
	sqlite3_finalize(in);
	sqlite3_finalize(look);
	return ok ? 0 : -1;
}

/* One audit entry for each row taken from the office above that handed it
 * down: its owner was that office, and is now this one. */
static int store_bundle_handed_audit(struct store *st, const char *table, const char *key, const char *from,
                                     struct mh_error *err)
{
	char *sql = xalloc_printf("SELECT k FROM temp.bundle_take WHERE k IN (SELECT %s FROM main.%s WHERE owner = ?)",
	                          key, table);
	sqlite3_stmt *stmt;
	int ok = store_prepare(st, sql, &stmt, err) == 0;
	free(sql);
	if (!ok)
		return -1;
	sqlite3_bind_text(stmt, 1, st->office.id, -1, SQLITE_STATIC);
	while (ok && sqlite3_step(stmt) == SQLITE_ROW)
		ok = store_audit(st, table, store_text(stmt, 0), "update", "owner", from, st->office.id, err) == 0;
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

/* Applies one table of the payload; the key is `code` for units, `id` for
 * the rest. A row is taken where it is new, or newer than ours and made
 * from ours; two PCs' versions made apart are a conflict. Rows handed down
 * by the office `from` are audited as they are taken. */
static int store_bundle_table(struct store *st, sqlite3 *pdb, const char *table, const char *owners, const char *hash,
                              const char *from, struct store_bundle_result *r, struct mh_error *err)
{
	const char *key = strcmp(table, "unit") == 0 ? "code" : "id";
	const struct store_table *t = store_schema_table(table);
	struct strbuf cols;
	strbuf_init(&cols);
	int n = store_bundle_columns(st, pdb, table, &cols);
	if (n <= 0 || !strstr(cols.buf, "owner") || !strstr(cols.buf, "rev")) {
		strbuf_release(&cols);
		return mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	}
	struct strbuf ins, js;
	strbuf_init(&ins);
	strbuf_init(&js);
	strbuf_addf(&ins, "INSERT INTO main.%s (%s) VALUES (", table, cols.buf);
	for (int i = 0; i < n; i++)
		strbuf_adds(&ins, i ? ", ?" : "?");
	strbuf_adds(&ins, ")");
	store_bundle_upsert(&ins, table, key, cols.buf);
	strbuf_adds(&js, "SELECT json_object(");
	char *copy = xalloc_strdup(cols.buf), *save = NULL;
	int k = 0;
	for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save), k++)
		strbuf_addf(&js, "%s'%s', ?", k ? ", " : "", c);
	free(copy);
	strbuf_adds(&js, ")");
	char *sel = xalloc_printf("SELECT %s FROM main.%s", cols.buf, table);
	char *mine = xalloc_printf("SELECT %s FROM main.%s WHERE %s = ?", cols.buf, table, key);
	int has_device = strstr(cols.buf, "device") != NULL;
	char *local = xalloc_printf("SELECT owner, rev, %s FROM main.%s WHERE %s = ?",
	                            has_device ? "device, base" : "NULL, NULL", table, key);
	sqlite3_stmt *in = NULL, *out = NULL, *look = NULL, *same = NULL, *json = NULL, *take = NULL;
	int ok = sqlite3_prepare_v2(pdb, sel, -1, &in, NULL) == SQLITE_OK &&
	         store_prepare(st, ins.buf, &out, err) == 0 && store_prepare(st, local, &look, err) == 0 &&
	         store_prepare(st, mine, &same, err) == 0 && store_prepare(st, js.buf, &json, err) == 0 &&
	         store_exec(st, "DELETE FROM temp.bundle_take", err) == 0 &&
	         store_prepare(st, "INSERT OR IGNORE INTO temp.bundle_take VALUES (?)", &take, err) == 0;
	free(sel);
	free(local);
	free(mine);
	strbuf_release(&ins);
	strbuf_release(&js);
	/* the positions of key, owner, rev, device and base among the columns */
	int ikey = -1, iowner = -1, irev = -1, idev = -1, ibase = -1;
	for (int i = 0; ok && i < n; i++) {
		const char *name = sqlite3_column_name(in, i);
		ikey = strcmp(name, key) == 0 ? i : ikey;
		iowner = strcmp(name, "owner") == 0 ? i : iowner;
		irev = strcmp(name, "rev") == 0 ? i : irev;
		idev = strcmp(name, "device") == 0 ? i : idev;
		ibase = strcmp(name, "base") == 0 ? i : ibase;
	}
	ok = ok && ikey >= 0 && iowner >= 0 && irev >= 0;
	/* the longest text each column may hold (0: not checked, derived) */
	size_t *maxchars = xalloc_calloc((size_t)n + 1, sizeof *maxchars);
	for (int i = 0; ok && i < n; i++)
		maxchars[i] = store_bundle_content_col(sqlite3_column_name(in, i))
		                  ? store_bundle_max_chars(t, sqlite3_column_name(in, i))
		                  : 0;
	/* the form's rules (app_record_save's): each field's column, and the deletion mark */
	const struct formdef_form *form =
	    st->forms && strcmp(table, "unit") != 0 ? formdef_form(st->forms, table) : NULL;
	size_t nf = form ? form->nfields : 0;
	int *fcol = xalloc_calloc(nf + 1, sizeof *fcol), *hidden = xalloc_calloc(nf + 1, sizeof *hidden), idel = -1;
	const char **vals = xalloc_calloc(nf + 1, sizeof *vals);
	for (size_t f = 0; f < nf; f++) {
		fcol[f] = -1;
		for (int i = 0; ok && i < n; i++)
			if (strcmp(sqlite3_column_name(in, i), form->fields[f].id) == 0)
				fcol[f] = i;
	}
	for (int i = 0; ok && i < n; i++)
		idel = strcmp(sqlite3_column_name(in, i), "deleted") == 0 ? i : idel;
	long rows = 0;
	int said = 0;
	while (ok && sqlite3_step(in) == SQLITE_ROW) {
		/* the rows of the tables before count too: the bar only moves on */
		long done = r->added + r->updated + r->unchanged + r->refused + r->conflicts;
		if ((++rows & 1023) == 0 && store_bundle_progress(st, 30 + (int)(done * 60 / (r->total + 1)))) {
			ok = mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed")) == 0;
			said = 1;
			break;
		}
		const char *id = (const char *)sqlite3_column_text(in, ikey);
		const char *owner = (const char *)sqlite3_column_text(in, iowner);
		long long rev = sqlite3_column_int64(in, irev);
		if (!id || !owner) {
			store_bundle_problem(r, _("%s: a row without id or owner"), store_table_label(table));
			continue;
		}
		if (!store_bundle_owner_ok(owner, owners)) {
			store_bundle_problem(r, _("%s %s: owned by an office that is not the sender or below it"),
			                     store_table_label(table), id);
			continue;
		}
		int bad = 0;
		for (int i = 0; i < n && !bad; i++)
			if (sqlite3_column_type(in, i) == SQLITE_TEXT)
				bad = !store_bundle_text_ok(sqlite3_column_text(in, i), sqlite3_column_bytes(in, i));
		if (bad) {
			store_bundle_problem(r, _("%s %s: a text that is not clean UTF-8 in NFC"),
			                     store_table_label(table), id);
			continue;
		}
		for (int i = 0; i < n && !bad; i++)
			bad = maxchars[i] && sqlite3_column_type(in, i) == SQLITE_TEXT &&
			      utf8_nchars((const char *)sqlite3_column_text(in, i),
			                  (size_t)sqlite3_column_bytes(in, i)) > maxchars[i];
		if (bad) {
			store_bundle_problem(r, _("%s %s: a text longer than its field allows"),
			                     store_table_label(table), id);
			continue;
		}
		if (nf && !(idel >= 0 && sqlite3_column_int(in, idel))) {
			/* a field the bundle does not carry (an older sender) is not judged */
			for (size_t f = 0; f < nf; f++)
				vals[f] = fcol[f] < 0 ? "?" : (const char *)sqlite3_column_text(in, fcol[f]);
			long missing = formdef_rules(form, vals, hidden);
			if (missing >= 0) {
				store_bundle_problem(r, _("%s %s: %s: a value is required"), store_table_label(table),
				                     id, form->fields[missing].label);
				continue;
			}
		}
		sqlite3_reset(look);
		sqlite3_bind_text(look, 1, id, -1, SQLITE_TRANSIENT);
		int exists = sqlite3_step(look) == SQLITE_ROW;
		if (exists && strcmp(store_text(look, 0), owner) != 0 &&
		    !store_exists(st, store_bundle_handed_sql, store_text(look, 0), owner)) {
			store_bundle_problem(r, _("%s %s: here it belongs to another office"), store_table_label(table),
			                     id);
			continue;
		}
		long long lrev = exists ? sqlite3_column_int64(look, 1) : 0;
		const char *ldev = exists ? (const char *)sqlite3_column_text(look, 2) : NULL;
		const char *tdev = idev >= 0 ? (const char *)sqlite3_column_text(in, idev) : NULL;
		const char *tbase = ibase >= 0 ? (const char *)sqlite3_column_text(in, ibase) : NULL;
		if (exists && ldev && tdev && strcmp(ldev, tdev) != 0 &&
		    !store_bundle_descends(tdev, rev, tbase, ldev, lrev)) {
			const char *lbase = (const char *)sqlite3_column_text(look, 3);
			sqlite3_reset(same);
			sqlite3_bind_text(same, 1, id, -1, SQLITE_TRANSIENT);
			if (store_bundle_descends(ldev, lrev, lbase, tdev, rev) || store_bundle_same(same, in, n)) {
				r->unchanged++;
				continue;
			}
			int waiting = store_bundle_conflict(st, table, id, hash, json, in, n, err);
			ok = waiting >= 0;
			said = !ok;
			if (waiting > 0)
				r->conflicts++;
			else
				r->unchanged++;
			continue;
		}
		if (exists && lrev >= rev) {
			r->unchanged++;
			continue;
		}
		/* taken: applied below, with all the others, in one statement */
		sqlite3_reset(take);
		sqlite3_bind_text(take, 1, id, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(take);
		if (rc != SQLITE_DONE) {
			ok = store_fail(st, rc, err) == 0;
			said = 1;
		} else if (sqlite3_changes(st->db) == 0) {
			store_bundle_problem(r, _("%s %s: it is in the bundle twice"), store_table_label(table), id);
		} else if (exists) {
			r->updated++;
		} else {
			r->added++;
		}
	}
	sqlite3_finalize(in);
	if (ok && store_bundle_apply(st, table, key, cols.buf, out, r, err) < 0) {
		ok = 0;
		said = 1;
	}
	if (ok && from && store_bundle_handed_audit(st, table, key, from, err) < 0) {
		ok = 0;
		said = 1;
	}
	sqlite3_finalize(take);
	sqlite3_finalize(out);
	sqlite3_finalize(look);
	sqlite3_finalize(same);
	sqlite3_finalize(json);
	free(maxchars);
	free(fcol);
	free(hidden);
	free(vals);
	strbuf_release(&cols);
	if (!ok && !said)
		mh_error_set(err, MH_EDATA, _("the bundle's content is not what a mohinh bundle holds"));
	return ok ? 0 : -1;
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
 * receipt) and the recipient, then opens: a receipt into memory (*text), a
 * data bundle into a file in the work folder (*tmp). */
static int store_bundle_unseal(struct store *st, FILE *file, struct store_bundle_result *r, struct store_keys *sender,
                               char **text, size_t *tlen, char **tmp, struct mh_error *err)
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
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES],
	    box_sk[crypto_box_SECRETKEYBYTES];
	struct store_keys self;
	if (store_bundle_hex(sender->sign_pk, sign_pk, sizeof sign_pk) < 0 ||
	    store_keys_get(st, NULL, &self, err) < 0 || store_bundle_hex(self.box_pk, box_pk, sizeof box_pk) < 0 ||
	    store_bundle_secret(st, "box_sk", box_sk, sizeof box_sk, err) < 0)
		return -1;
	int rc = -1;
	if (text) {
		*text = store_bundle_small(file, sign_pk, box_pk, box_sk, &r->h, tlen, err);
		rc = *text ? 0 : -1;
	} else {
		FILE *out = store_bundle_tmp(st, "payload", tmp, err);
		rc = out ? bundle_open(file, sign_pk, box_pk, box_sk, &r->h, out, err) : -1;
		if (out && fclose(out) != 0 && rc == 0)
			rc = mh_error_set(err, MH_EIO, _("cannot write the bundle's content: %s"), strerror(errno));
		if (rc < 0 && *tmp) {
			unlink(*tmp);
			free(*tmp);
			*tmp = NULL;
		}
	}
	sodium_memzero(box_sk, sizeof box_sk);
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

/* The file copied into the work folder a chunk at a time and hashed, so
 * that the stick can be pulled and the file cannot change under us. */
static FILE *store_bundle_take(struct store *st, const char *path, char **copy, char hash[65], struct mh_error *err)
{
	long long size;
	FILE *in = mh_file_open_regular(path, BUNDLE_MAX, &size, err);
	if (!in)
		return NULL;
	FILE *out = store_bundle_tmp(st, "in", copy, err);
	if (!out) {
		fclose(in);
		return NULL;
	}
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, 32);
	unsigned char *buf = xalloc_malloc(65536);
	long long got = 0;
	size_t n;
	int ok = 1;
	while (ok && (n = fread(buf, 1, 65536, in)) > 0) {
		crypto_generichash_update(&hs, buf, n);
		ok = fwrite(buf, 1, n, out) == n;
		got += (long long)n;
	}
	if (!ok)
		mh_error_set(err, MH_EIO, _("cannot write %s: %s"), *copy, strerror(errno));
	else if (ferror(in) || got != size)
		ok = mh_error_set(err, MH_EIO,
		                  _("the file could not be read to its end (the USB stick was pulled out?): nothing "
		                    "was changed")) == 0;
	free(buf);
	fclose(in);
	unsigned char digest[32];
	crypto_generichash_final(&hs, digest, sizeof digest);
	sodium_bin2hex(hash, 65, digest, sizeof digest);
	if (!ok || fflush(out) != 0) {
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
	ok = ok && store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS bundle_take (k TEXT PRIMARY KEY)", err) == 0 &&
	     store_begin(st, err) == 0;
	int begun = ok;
	ok = ok && (handed || store_bundle_successions(st, pdb, sender, err) == 0);
	for (int i = 0; ok && i < STORE_BUNDLE_NTABLES; i++)
		ok = store_bundle_table(st, pdb, store_bundle_tables[i], owners.buf, hash,
		                        handed ? sender->office_id : NULL, r, err) == 0;
	ok = ok && (handed || store_bundle_audit(st, pdb, owners.buf, err) == 0);
	strbuf_release(&owners);
	ok = ok && store_bundle_log_import(st, r, hash, err) == 0;
	if (begun && ok && dry_run) /* a preview: the counts, and nothing kept */
		store_end(st, 0, NULL);
	else if (begun)
		ok = store_end(st, ok, err) == 0;
	if (attached)
		sqlite3_exec(st->db, "DETACH incoming", NULL, NULL, NULL);
	sqlite3_exec(st->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	if (!ok)
		return -1;
	if (!dry_run && !handed)
		store_bundle_receipt_out(st, r, hash, sender);
	return 0;
}

int store_bundle_import(struct store *st, const char *path, int dry_run, const char *fingerprint,
                        struct store_bundle_result *r, struct mh_error *err)
{
	memset(r, 0, sizeof *r);
	strbuf_init(&r->receipt);
	if (store_user_gate(st, err) < 0)
		return -1;
	char hash[65] = "", *copy = NULL, *tmp = NULL, *text = NULL;
	FILE *file = store_bundle_take(st, path, &copy, hash, err);
	if (!file) {
		store_bundle_journal(st, path, hash, err->msg);
		return -1;
	}
	int rc = -1;
	struct store_keys sender;
	size_t tlen = 0;
	if (store_bundle_progress(st, 10)) {
		mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
	} else if (bundle_header_read(file, &r->h, err) < 0) {
		/* not a bundle */
	} else if (strcmp(r->h.kind, "setup") == 0) {
		rc = store_bundle_setup_in(st, file, dry_run ? NULL : fingerprint, r, err);
	} else if (strcmp(r->h.kind, "data") != 0 && strcmp(r->h.kind, "handed") != 0 &&
	           strcmp(r->h.kind, "receipt") != 0 && strcmp(r->h.kind, "ref") != 0) {
		mh_error_set(err, MH_EDATA, _("this mohinh cannot import a bundle of the kind '%s'"), r->h.kind);
	} else if (strcmp(r->h.kind, "receipt") == 0 || strcmp(r->h.kind, "ref") == 0) {
		if (store_bundle_unseal(st, file, r, &sender, &text, &tlen, NULL, err) == 0)
			rc = strcmp(r->h.kind, "receipt") == 0
			         ? store_bundle_receipt_in(st, r, text, tlen, dry_run, err)
			         : store_bundle_ref_in(st, r, text, tlen, 0, dry_run, err);
	} else if (store_bundle_already(st, hash, r, err) < 0) {
		/* cannot read the import log */
	} else if (r->already) {
		if (store_keys_get(st, r->h.sender_unit, &sender, NULL) == 0)
			store_copy(r->sender_name, sizeof r->sender_name, sender.name);
		rc = 0;
	} else if (store_bundle_unseal(st, file, r, &sender, NULL, NULL, &tmp, err) == 0) {
		sqlite3 *pdb = store_bundle_payload(tmp, err);
		if (pdb && store_bundle_progress(st, 30))
			mh_error_set(err, MH_EFAIL, _("cancelled: nothing was changed"));
		else if (pdb)
			rc = store_bundle_data_in(st, pdb, &sender, hash, dry_run, r, err);
		sqlite3_close(pdb);
	}
	free(text);
	store_bundle_tmp_done(NULL, tmp);
	store_bundle_tmp_done(file, copy);
	if (rc == 0)
		store_bundle_progress(st, 100);
	else
		store_bundle_journal(st, path, hash, err->msg);
	return rc;
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
	                  " group_concat(l.seq), count(DISTINCT l.generation), count(DISTINCT l.device),"
	                  " (SELECT min(x.seq) FROM import_log x WHERE x.sender = o.id AND x.generation <>"
	                  " (SELECT y.generation FROM import_log y WHERE y.sender = o.id AND y.generation IS NOT NULL"
	                  " ORDER BY y.seq, y.at LIMIT 1))"
	                  " FROM office o LEFT JOIN import_log l ON l.sender = o.id"
	                  " WHERE o.this = 0 AND o.unit_code IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                      "sub", "?1") " SELECT c FROM sub)"
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
		if (sqlite3_column_int(stmt, 6) > 1)
			strbuf_addf(out,
			            _("      its database was restored from a backup or copied (a new generation since "
			              "bundle %lld): check with that office\n"),
			            (long long)sqlite3_column_int64(stmt, 8));
		if (sqlite3_column_int(stmt, 7) > 1)
			strbuf_addf(out, _("      its bundles come from %d PCs\n"), sqlite3_column_int(stmt, 7));
	}
	sqlite3_finalize(stmt);
	if (store_prepare(st, "SELECT count(*) FROM conflict WHERE resolved_at IS NULL", &stmt, err) < 0)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0)
		strbuf_addf(out, _("Conflicts waiting for a person: %d (mohinh conflicts)\n"),
		            sqlite3_column_int(stmt, 0));
	sqlite3_finalize(stmt);
	if (out->len == 0)
		strbuf_addf(out, "%s\n", _("No bundle sent or received yet."));
	return 0;
}

int store_bundle_manifest(struct store *st, const char *path, struct strbuf *out, struct mh_error *err)
{
	struct store_bundle_result r;
	memset(&r, 0, sizeof r);
	struct store_keys sender;
	char hash[65], *copy = NULL, *tmp = NULL;
	FILE *file = store_bundle_take(st, path, &copy, hash, err);
	if (!file)
		return -1;
	int ok = bundle_header_read(file, &r.h, err) == 0;
	if (ok && strcmp(r.h.kind, "data") != 0)
		ok = mh_error_set(err, MH_EDATA, _("only a data bundle has a manifest")) == 0;
	ok = ok && store_bundle_unseal(st, file, &r, &sender, NULL, NULL, &tmp, err) == 0;
	store_bundle_tmp_done(file, copy);
	sqlite3 *pdb = ok ? store_bundle_payload(tmp, err) : NULL;
	store_bundle_tmp_done(NULL, tmp);
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
