/* Between offices (sync.md): keys, the offices below, bundles, conflicts. */
#ifndef MOHINH_STORE_SYNC_H
#define MOHINH_STORE_SYNC_H
#include "bundle.h"
#include "store.h"

/* --- keys and the offices below ---------------------------------------------------- */
struct store_keys {
	char office_id[STORE_ID_LEN + 1];
	char unit_code[24];
	char name[256];
	char sign_pk[65], box_pk[65]; /* Ed25519 and X25519 public keys, hex */
	char fingerprint[24];         /* "ABCD-EF01-2345-6789": read aloud or on paper */
	char revoked[21];             /* when the key was revoked ("": in use) */
	char ended[11];               /* the day the office ended, its records handed on ("": working) */
};
/* The keys of this office (unit_code NULL) or of the office registered for a unit. */
int store_keys_get(struct store *st, const char *unit_code, struct store_keys *k, struct mh_error *err);
/* The nearest registered office above this one. */
int store_keys_above(struct store *st, struct store_keys *k, struct mh_error *err);
/* This office first, then the registered ones by unit code. */
int store_keys_list(struct store *st, int (*fn)(const struct store_keys *k, void *ud), void *ud, struct mh_error *err);
/* The public-key file of an office (mohinh keys export). */
void store_keys_file(const struct store_keys *k, struct strbuf *out);
/* Registers an office below this one from its public-key file (an admin's
 * act); k gets what was registered, with its fingerprint. */
int store_office_add(struct store *st, const char *unit_code, const char *key_file, struct store_keys *k,
                     struct mh_error *err);

/* Long imports and exports call fn with how far they are (0-100); a
 * non-zero answer cancels, and nothing is changed. */
void store_set_progress(struct store *st, int (*fn)(void *ud, int percent), void *ud);
/* The forms whose rules the rows of a bundle must meet, as any record saved
 * here (a required field with a value): a row that breaks them is refused
 * and said, the others applied. NULL: the store's own checks only. */
void store_set_forms(struct store *st, const struct formdef_set *forms);

/* An office below that ended (a district police on 2025-02-28, a province
 * merged on 2025-06-30) hands its records to this office, its successor: one
 * audited change of owner for each, a new revision, so that this office's
 * next bundle carries them (with the succession, in its manifest). The
 * ended office is then refused as a sender. Admins only. */
int store_office_succeed(struct store *st, const char *unit, const char *ended_on, long *moved, struct mh_error *err);
/* Hands down to the registered office of `unit` below this one (a commune
 * police of today) the models of this office whose points all lie in its
 * area today, with their points and evaluations: each record audited, sent
 * in the next bundle for that office (store_bundle_write). */
struct store_hand_down {
	char office[256];                 /* the office below */
	long models, points, evaluations; /* handed */
	long spread;                      /* models kept: points in other communes too */
	long waiting;                     /* models kept: a point of a divided commune, no successor chosen */
};
int store_office_hand_down(struct store *st, const char *unit, struct store_hand_down *h, struct mh_error *err);
/* Revokes the key registered for a unit (lost or stolen): bundles it signed
 * are refused from now on; `office add` then takes that office's new key. */
int store_office_revoke(struct store *st, const char *unit_code, struct store_keys *k, struct mh_error *err);

/* --- bundles ------------------------------------------------------------------- */
/* Writes a data bundle for the office registered for to_unit (NULL: the
 * nearest registered office above) into dir: every row this office owns or
 * forwards, their audit entries, a manifest; written as .part, renamed, read
 * back and its signature checked, then logged. path: the file (a new string). */
int store_bundle_write(struct store *st, const char *to_unit, const char *dir, char **path, long long *size,
                       struct bundle_header *h, struct mh_error *err);
/* What went up and what came in (app_sync_status_text says it): each bundle
 * sent and its receipt; per office below, its last bundle, when, and the
 * sequence numbers missing; the conflicts waiting. */
struct store_sync_sent {
	long long seq;
	char at[11], receipt_at[11]; /* receipt_at "": no receipt yet */
	char *to, *file, *receipt;   /* the receipt's summary */
};
struct store_sync_below {
	char *name, *unit;
	long long last;           /* 0: no bundle received yet */
	char made[11];            /* the last bundle's day */
	long long *missing;       /* the sequence numbers below last that never came */
	size_t nmissing;          /* all of them (missing holds the first STORE_SYNC_MISSING) */
	long long new_generation; /* its database restored or copied since this bundle (0: never) */
	int devices;              /* the PCs its bundles come from */
};
#define STORE_SYNC_MISSING 64
struct store_sync_status {
	struct store_sync_sent *sent;
	size_t nsent;
	struct store_sync_below *below;
	size_t nbelow;
	int conflicts; /* waiting for a person */
};
int store_sync_status(struct store *st, struct store_sync_status *s, struct mh_error *err);
void store_sync_status_free(struct store_sync_status *s);
struct store_bundle_result {
	struct bundle_header h;
	char sender_name[256];
	int already; /* the same file was imported before: nothing changed */
	long added, updated, unchanged, refused, conflicts;
	long total;                      /* rows in the bundle, for progress */
	char device[40], generation[40]; /* of the sender's PC and database */
	char **problems;                 /* the first refused rows, and why */
	size_t nproblems;
	struct strbuf receipt;              /* a data bundle imported: its receipt file, for the sender */
	int is_receipt;                     /* the file was a receipt of one of our bundles */
	int is_setup;                       /* a setup bundle: its sender's keys and reference data */
	int is_ref;                         /* reference data from above */
	long long ref_version, ref_applied; /* of that bundle, and the one applied before */
	long inactive;                      /* choices gone from the lists above */
	long choices;                       /* choices a setup or reference bundle brought */
	char fingerprint[24];               /* of the keys a setup bundle carries */
	char receipt_text[1024];
};
/* Imports a data bundle from an office below (dry_run: counts only, nothing
 * kept), a receipt from the office above, or a setup bundle from the office
 * above: that one only with the fingerprint a person compared (NULL: only
 * r->fingerprint is filled, nothing changes). */
int store_bundle_import(struct store *st, const char *path, int dry_run, const char *fingerprint,
                        struct store_bundle_result *r, struct mh_error *err);
/* A setup bundle for an office below: this office's public keys (to be
 * checked by fingerprint) and the reference data (the choice lists). */
int store_bundle_setup(struct store *st, const char *for_unit, const char *forms_dir, const char *dir, char **path,
                       struct bundle_header *h, struct mh_error *err);
/* A reference bundle for an office below (to_unit), written into dir: the
 * units, the choice lists, the form files in use (forms_dir and those from
 * above), the registry of office keys, the receipts of its bundles and the
 * oldest program version that may use them. Applied below only if newer
 * than what it has; a choice gone from the lists becomes inactive there. */
int store_bundle_ref(struct store *st, const char *to_unit, const char *forms_dir, const char *dir, char **path,
                     struct bundle_header *h, struct mh_error *err);
void store_bundle_result_free(struct store_bundle_result *r);
/* The manifest of a data bundle meant for this office, its signature
 * checked, without importing anything: the counts it declares (-1: not
 * declared; app_manifest_text says them). */
struct store_manifest {
	long long models, points, evaluations, audit, schema;
};
int store_bundle_manifest(struct store *st, const char *path, struct store_manifest *m, struct mh_error *err);

/* A table's name for people: "mô hình" for model. */
const char *store_table_label(const char *table);

/* --- conflicts: two PCs of one office changed one record ------------------------ */
struct store_conflict {
	long long id;
	const char *at, *table, *record_id, *office, *label;
	const char *resolution, *resolved_by; /* "" while it waits */
};
typedef int (*store_conflict_fn)(const struct store_conflict *c, void *ud);
/* The conflicts waiting (all: the resolved ones too), oldest first. */
int store_conflict_list(struct store *st, int all, store_conflict_fn fn, void *ud, struct mh_error *err);
struct store_conflict_field {
	const char *name, *ours, *theirs; /* NULL: no value */
	int differs;
};
typedef int (*store_conflict_field_fn)(const struct store_conflict_field *f, void *ud);
/* Both versions side by side, field by field. */
int store_conflict_show(struct store *st, long long id, store_conflict_field_fn fn, void *ud, struct mh_error *err);
/* Settles a conflict: take NULL keeps ours, "*" takes theirs whole, "a,b"
 * takes those fields of theirs; the result is a new version, audited. */
int store_conflict_resolve(struct store *st, long long id, const char *take, struct mh_error *err);

#endif
