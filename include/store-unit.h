/* The units of 2025 and before: versions, lineage, the areas reports count (units.md). */
#ifndef MOHINH_STORE_UNIT_H
#define MOHINH_STORE_UNIT_H
#include "store.h"

/* --- units ----------------------------------------------------------------- */
/* A unit version (units.md): code is its key (the GSO code for the versions
 * of the 2025-03 list and before, "CODE@YYYY-MM-DD" for a later version of a
 * code), gso the code as people write it. */
struct store_unit {
	char code[24];
	char gso[12];
	char parent_code[24];
	int level;
	char type[64];
	char name[192];
	char parent_name[192];
	char valid_from[11];
	char valid_to[11];
	char replaced_by[24];
	char legal_ref[96];
	char former[192]; /* the name of a version it came from that the search found ("Xã Vĩnh Tân"), or "" */
};
typedef int (*store_unit_fn)(const struct store_unit *u, void *ud);
struct store_unit_filter {
	const char *query;  /* every word in the folded name (words typed together come first) */
	const char *within; /* only this unit's subtree (itself excluded) */
	const char *parent; /* only the children of this unit */
	const char *on;     /* only the versions in force on this day (NULL: every version); the words
	                     * then also find a unit by the names of the versions it came from */
	int limit;          /* at most so many; 0 for all */
};
/* Units in Vietnamese order; fn returns non-zero to stop. */
int store_unit_list(struct store *st, const struct store_unit_filter *f, store_unit_fn fn, void *ud,
                    struct mh_error *err);
/* The version whose key is code. */
int store_unit_get(struct store *st, const char *code, struct store_unit *u, struct mh_error *err);
/* 1 if the version is in force on the day (YYYY-MM-DD). */
int store_unit_in_force(const struct store_unit *u, const char *on);
/* The version of a code in force on a day (YYYY-MM-DD): a GSO code is
 * looked up among its versions, a version key taken as it is and checked;
 * a clear error when the code meant nothing that day. */
int store_unit_at(struct store *st, const char *code, const char *on, struct store_unit *u, struct mh_error *err);
/* The code as people write it of a version's key ("22978@2025-07-01" -> "22978"), in out. */
const char *store_unit_gso(const char *key, char out[12]);
/* A code as typed where no day is given: the version in force today, or the
 * last version of a code no longer used (a historical area), or the version
 * whose key it is. */
int store_unit_find(struct store *st, const char *code, struct store_unit *u, struct mh_error *err);
/* Every version of a code (or the version whose key it is), oldest first. */
int store_unit_versions(struct store *st, const char *code, store_unit_fn fn, void *ud, struct mh_error *err);
/* 1 if `code` is `ancestor` or lies below it, itself or through the
 * versions that followed it (a 2017 commune lies in the province of today). */
int store_unit_within(struct store *st, const char *code, const char *ancestor);
/* Sets a field of u by its column name (code, parent_code, type, name,
 * valid_from, valid_to, replaced_by); -1 if there is no such column or the
 * value is too long for it. */
int store_unit_set(struct store_unit *u, const char *col, const char *val);
/* A link of a version's history, seen from that version: its predecessor
 * (before = 1) or its successor. */
struct store_unit_link {
	int before;
	char code[24], gso[12];
	char name[192], parent_name[192];
	char valid_from[11], valid_to[11];
	char share[8], detail[20], on[11];
	char clause[96];
};
typedef int (*store_unit_link_fn)(const struct store_unit_link *l, void *ud);
/* The versions a unit came from and those it went to, then the other
 * versions of its GSO code (share "" for those). */
int store_unit_history(struct store *st, const char *code, store_unit_link_fn fn, void *ud, struct mh_error *err);
/* Counts the breaches of the invariants of units.md, each described to fn:
 * versions of one code overlapping, a whole link beside another, a divided
 * version with one link, an ended commune or province without a successor, a
 * link back in time, a version outside its parent's time. */
long store_unit_check(struct store *st, void (*fn)(const char *what, void *ud), void *ud, struct mh_error *err);
/* A point of a divided commune (units.md): which of its successors it lies
 * in is a person's choice, never a guess; until then it is unresolved. */
struct store_unresolved {
	const char *point_id, *model;
	const char *unit_code, *unit_name, *parent_name, *place;
	const char *successors; /* "22978 Xã Tuy Phong; 22972 Xã Phan Rí Cửa" */
};
typedef int (*store_unresolved_fn)(const struct store_unresolved *p, void *ud); /* strings valid during the call */
/* The worklist: points in a divided unit without a successor chosen. */
int store_record_unresolved(struct store *st, store_unresolved_fn fn, void *ud, struct mh_error *err);
/* Chooses the successor of a point's divided unit (one of those it was
 * divided into, by GSO code or key); audited, a new revision of the point. */
int store_record_successor(struct store *st, const char *point_id, const char *unit, struct mh_error *err);
/* Adds a unit that is not in the GSO list any more (dates as YYYY-MM-DD). */
int store_unit_add(struct store *st, const struct store_unit *u, struct mh_error *err);

#endif
