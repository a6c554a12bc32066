/* What the steps of sync share (store-bundle*.c): the tables a bundle
 * carries, the offices whose rows it may hold, and the helpers each step
 * calls in another. Private to the store. */
#ifndef MOHINH_STORE_BUNDLE_INTERNAL_H
#define MOHINH_STORE_BUNDLE_INTERNAL_H
#include <stdio.h>

#include "store-internal.h"

/* the tables a bundle carries, in the order they are applied */
extern const char *const store_bundle_tables[];
#define STORE_BUNDLE_NTABLES 4
/* the office ?1 ended and handed its records to ?2 */
extern const char store_bundle_handed_sql[];
extern const char store_bundle_link_sql[];

/* the offices whose rows a bundle from `unit` carries: the office of that
 * unit and the registered offices below it (?1: the unit) */
#define STORE_BUNDLE_OWNERS                                                                \
	"(SELECT id FROM main.office WHERE unit_code IN (WITH RECURSIVE " STORE_UNIT_AREA( \
	    "sub", "?1") " SELECT c FROM sub) AND sign_pk IS NOT NULL)"

/* One of this office's secret keys (name: sign_sk, box_sk). */
int store_bundle_secret(struct store *st, const char *name, unsigned char *out, size_t n, struct mh_error *err);

/* n bytes from hex; -1 if it is not that. */
int store_bundle_hex(const char *hex, unsigned char *out, size_t n);

/* A row refused, and why (the first hundred said; the count says the rest). */
void store_bundle_problem(struct store_bundle_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A copy of the database before this process's first import changes it. */
int store_bundle_backup(struct store *st, struct mh_error *err);

/* A bundle's header from this office (self) to recipient. */
void store_bundle_head(struct bundle_header *h, const char *kind, const struct store_keys *self, const char *recipient);

/* One bundle made or taken in at a time on a database, whatever the number of
 * copies open on it (the screens, a nightly export): an flock on
 * <db>-sync/.lock, waited for 3 s. Taking it removes what a killed run left
 * in the folder. Nests. */
int store_sync_lock(struct store *st, struct mh_error *err);
void store_sync_unlock(struct store *st);

/* A new empty file in the folder <db>-sync, for what an import or export
 * works on (never on the stick; left-overs of a killed run are removed by
 * the next store_sync_lock). path: a new string. */
FILE *store_bundle_tmp(struct store *st, const char *what, char **path, struct mh_error *err);

/* Closes and removes a file of store_bundle_tmp. */
void store_bundle_tmp_done(FILE *f, char *path);

/* Tells the progress callback; nonzero when the person cancelled. */
int store_bundle_progress(struct store *st, int percent);

/* A form file on one line: backslash, tab and line break escaped. */
void store_bundle_escape(struct strbuf *out, const char *s);

/* The reverse of store_bundle_escape: a new string. */
char *store_bundle_unescape(const char *s);

/* The payload of a small bundle (setup, receipt), opened into memory. */
char *store_bundle_small(FILE *in, const unsigned char *sign_pk, const unsigned char *box_pk,
                         const unsigned char *box_sk, struct bundle_header *h, size_t *len, struct mh_error *err);

/* Seals the payload file to the office `to` as h says, into path (through
 * path.part), checked as it is written. */
int store_bundle_put(struct store *st, struct bundle_header *h, FILE *payload, const struct store_keys *to,
                     const char *path, long long *size, struct mh_error *err);

/* Reference data from the office above: applied only if newer than what
 * was applied before (a setup bundle's always); a choice no longer in the
 * lists is kept, inactive. */
int store_bundle_ref_in(struct store *st, struct store_bundle_result *r, const char *text, size_t len, int setup,
                        int dry_run, struct mh_error *err);

/* A setup bundle from the office above: its keys (in the header) are taken
 * only when the fingerprint a person checked matches them; then the office
 * is registered and its choice lists applied. */
int store_bundle_setup_in(struct store *st, FILE *file, const char *fingerprint, struct store_bundle_result *r,
                          struct mh_error *err);

/* 1 if owner is one of the office ids listed in owners. */
int store_bundle_owner_ok(const char *owner, const char *owners);

/* Applies one table of the payload; the key is `code` for units, `id` for
 * the rest. A row is taken where it is new, or newer than ours and made
 * from ours; two PCs' versions made apart are a conflict. Rows handed down
 * by the office `from` are audited as they are taken. */
int store_bundle_table(struct store *st, sqlite3 *pdb, const char *table, const char *owners, const char *hash,
                       const char *from, struct store_bundle_result *r, struct mh_error *err);

/* The payload opened read-only and defensively, its tables checked. */
sqlite3 *store_bundle_payload(const char *path, struct mh_error *err);

/* The sender checked (registered, not revoked; below this office for data,
 * above it for handed records), then the bundle read once from in
 * (bundle_take): its hash, and its payload in a file of the work folder
 * (*tmp). */
int store_bundle_take_data(struct store *st, FILE *in, struct store_bundle_result *r, struct store_keys *sender,
                           char hash[65], char **tmp, struct mh_error *err);

#endif
