/* Sync, reference data down: the units, the choice lists and the forms a
 * setup or reference bundle carries, out and in. */
#include <sodium.h>
#include <string.h>

#include "formdef.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"
#include "store-bundle-internal.h"

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
	*path = NULL;
	if (store_sync_lock(st, err) < 0)
		return -1;
	/* each reference bundle has the next version: a district takes only newer ones */
	char *last = store_setting_get(st, "ref_version");
	long long version = (last ? atoll(last) : 0) + 1;
	free(last);
	char v[24];
	snprintf(v, sizeof v, "%lld", version);
	int rc = store_bundle_down(st, "ref", to_unit, forms_dir, version, dir, path, h, err) < 0 ||
	                 store_setting_put(st, "ref_version", v, err) < 0
	             ? -1
	             : 0;
	store_sync_unlock(st);
	return rc;
}

int store_bundle_setup(struct store *st, const char *for_unit, const char *forms_dir, const char *dir, char **path,
                       struct bundle_header *h, struct mh_error *err)
{
	*path = NULL;
	if (store_sync_lock(st, err) < 0)
		return -1;
	/* the reference data as it is now, at the version last sent (0: none yet) */
	char *last = store_setting_get(st, "ref_version");
	long long version = last ? atoll(last) : 0;
	free(last);
	int rc = store_bundle_down(st, "setup", for_unit, forms_dir, version, dir, path, h, err);
	store_sync_unlock(st);
	return rc;
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
int store_bundle_ref_in(struct store *st, struct store_bundle_result *r, const char *text, size_t len, int setup,
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

/* A setup bundle from the office above: its keys (in the header) are taken
 * only when the fingerprint a person checked matches them; then the office
 * is registered and its choice lists applied. */
int store_bundle_setup_in(struct store *st, FILE *file, const char *fingerprint, struct store_bundle_result *r,
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
