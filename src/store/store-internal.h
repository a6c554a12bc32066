/* Shared by the store's files only (they alone include sqlite3.h). */
#ifndef MOHINH_STORE_INTERNAL_H
#define MOHINH_STORE_INTERNAL_H
#include <sqlite3.h>

#include "store-list.h"
#include "store-sync.h"
#include "store-unit.h"
#include "store-user.h"
#include "store.h"

struct store {
	sqlite3 *db;
	char *path;
	int sync_fd, sync_depth; /* the flock of <db>-sync/.lock while a bundle is made or taken in */
	int depth;               /* transaction nesting: BEGIN IMMEDIATE, then savepoints */
	int bulk;                /* an action all or nothing (an import): no savepoint inside its transaction */
	/* the last hash of an office's audit chain, known while a transaction that
	 * appended it is open (store_audit); "" when it must be read */
	char audit_office[STORE_ID_LEN + 1], audit_prev[65];
	char user[64];
	int logged_in;  /* user is an account that gave its password */
	unsigned roles; /* STORE_ROLE_* of that account */
	struct store_office office;
	int have_office;
	/* this PC, and this copy of its database (renewed when the file was
	 * restored from a backup or copied): in each bundle's manifest */
	char device[STORE_ID_LEN + 1], generation[STORE_ID_LEN + 1];
	int resolving; /* a person settles a conflict: another office's row may change */
	int backed_up; /* a copy was made before this process's first import */
	int (*progress)(void *ud, int percent);
	void *progress_ud;
	const struct formdef_set *forms; /* whose rules rows from a bundle must meet (NULL: none) */
	struct store_unit_memo *memo;    /* while bulk: units asked for again and again (store_unit_memo) */
	/* statements kept prepared for the paths run once per field or row */
	struct {
		const void *sql; /* compared by address: a string constant */
		sqlite3_stmt *stmt;
	} cache[32];
	/* statements built for a filter (the lists), kept by their text: a screen
	 * asks the same few again at each key; the least recently used goes */
	struct {
		char *sql;
		sqlite3_stmt *stmt;
		unsigned long used;
	} built[16];
	unsigned long built_clock;
};

/* How long a write waits for another program's to end, in ms. */
#define STORE_BUSY_MS 5000

/* A change made on this PC (:dev, bound after the parameters before it, is st->device): the revision
 * goes up; base keeps the other PC's version this one was made from. */
#define STORE_DEVICE_BUMP \
	"base = CASE WHEN device IS :dev THEN base ELSE device || ':' || rev END, device = :dev, rev = rev + 1"

/* A model's search_all: its own words and those of its points. */
#define STORE_MODEL_SEARCH_ALL(m)                                                       \
	m ".search || coalesce((SELECT ' ' || group_concat(p.search, ' ') FROM point p" \
	  " WHERE p.model_id = " m ".id AND p.deleted = 0), '')"

/* Column types of the synced record tables. */
enum store_coltype {
	STORE_COL_TEXT,
	STORE_COL_LONGTEXT,
	STORE_COL_INT,
	STORE_COL_DATE,
	STORE_COL_BOOL,
	STORE_COL_CHOICE,
	STORE_COL_UNIT,
	STORE_COL_MODEL,
	STORE_COL_POINT,
	STORE_COL_CHOICES, /* several codes of a list, "a,b" in list order */
};

struct store_column {
	const char *name;
	enum store_coltype type;
	int required;
	int maxchars;       /* for text; 0: no limit */
	const char *choice; /* list name for STORE_COL_CHOICE(S) */
};

struct store_table {
	const char *name;
	const struct store_column *cols;
	size_t ncols;
	const char *name_col;       /* folded and keyed into name_fold / name_key, or NULL */
	const char *search_cols[6]; /* folded together into `search` */
};

const struct store_table *store_schema_table(const char *name);
/* The migration steps: SQL to go from version i to i + 1 is store_schema_steps[i]. */
extern const char *const store_schema_steps[];
extern const int store_schema_nsteps;

/* Runs SQL with no result; on error fills err (MH_EIO, or MH_EDATA for a
 * constraint) and returns -1. */
int store_exec(struct store *st, const char *sql, struct mh_error *err);
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt, struct mh_error *err);
/* The same kept prepared for the next call: sql must be a string constant,
 * and the statement is given back with sqlite3_reset, never finalized. */
int store_prepare_kept(struct store *st, const char *sql, sqlite3_stmt **stmt, struct mh_error *err);
/* A statement built at run time (a list's query for its filter), kept under
 * its text for the next call with the same text unless the one kept is still
 * stepping; given back with store_unprepare. */
int store_prepare_built(struct store *st, const char *sql, sqlite3_stmt **stmt, struct mh_error *err);
/* Resets a statement of store_prepare_built that is kept, finalizes one that is not. */
void store_unprepare(struct store *st, sqlite3_stmt *stmt);
/* An action all or nothing on many rows (an import), between its begin and
 * end: no savepoint for each row inside (a refused row rolls all back), temp
 * storage and a 16 MB page cache in memory. Off: as before. */
void store_bulk(struct store *st, int on);
/* The rows from which an import (a bundle, a CSV list) is written with a rollback journal. */
#define STORE_BULK_ROWS 10000
/* For an import of many rows: the database in a rollback journal while it
 * lasts (on), where each page it adds is written once, not twice as in WAL
 * (to the log, then back); WAL again after (off). Meanwhile another copy
 * waits to read as it waits to write; one reading at the start keeps WAL.
 * On: 1 if the journal is now rollback. */
int store_journal_bulk(struct store *st, int on);
/* While a bulk action runs (its units do not change), each answer about a
 * unit (kind 'g' by code, 'a' on a day, 'w' within another) is kept by its
 * question: the rows of an import name the same units again and again. */
struct store_unit_memo {
	char key[64]; /* the question; "" for none */
	int found;
	struct store_unit u;
};
enum { STORE_UNIT_MEMO = 128 };
struct store_unit_memo *store_unit_memo(struct store *st, char kind, const char *a, const char *b, char key[64]);
/* The same for a statement made at run time from a constant part: key is
 * that constant's address (store_unit_each's condition). */
int store_prepare_keyed(struct store *st, const void *key, const char *sql, sqlite3_stmt **stmt, struct mh_error *err);
/* The statement kept under key, reset, or NULL if none is yet. */
sqlite3_stmt *store_kept(struct store *st, const void *key);
/* Maps a SQLite failure to a message and code. */
int store_fail(struct store *st, int rc, struct mh_error *err);
/* Appends an audit entry, chained to the one before by its hash. */
int store_audit(struct store *st, const char *table, const char *id, const char *action, const char *field,
                const char *old, const char *now, struct mh_error *err);
int store_audit_new(struct store *st, const struct store_table *t, const char *id, char *const *values,
                    struct mh_error *err);
/* The text of column i, or "" for NULL. */
const char *store_text(sqlite3_stmt *stmt, int i);
void store_copy(char *dst, size_t cap, const char *src);
/* Copies the texts of columns cols[0..n) of the statement's row into one
 * block, and points each *fields[i] at its copy; returns the block. */
char *store_row_texts(sqlite3_stmt *stmt, char **const *fields, const int *cols, size_t n);
/* Refuses a change when the database has accounts and nobody logged in. */
int store_user_gate(struct store *st, struct mh_error *err);
/* "ABCD-EF01-2345-6789" of a pair of public keys (hex). */
/* The folder <db><suffix> beside the database (-sync, -backup), made if
 * missing (a new string). */
char *store_side_dir(struct store *st, const char *suffix, struct mh_error *err);
/* A copy of the database (VACUUM INTO) in the folder <db>-backup, named
 * what-YYYYMMDD-HHMMSS.db; the last three of each kind are kept. */
int store_backup(struct store *st, const char *what, struct mh_error *err);
/* Writes this PC's identity file (store.c) after a bundle was sent. */
int store_identity_save(struct store *st, struct mh_error *err);
void store_keys_fingerprint(const char *sign_pk, const char *box_pk, char out[24]);
/* Records another office and its public keys (checked by the caller). */
struct store_keys;
int store_keys_register(struct store *st, const struct store_keys *k, struct mh_error *err);
/* Makes this office's key pairs if it has none yet. */
int store_keys_make(struct store *st, struct mh_error *err);
/* Fills prev and hash of every audit entry in order (schema 5). */
int store_audit_rechain(struct store *st, struct mh_error *err);
/* The units of the 2025-03 list with the units of 2025-07 and the links
 * between them (store_unit_load_gso); the latter alone, on a database that
 * has the former (store_unit_load_reform, at the upgrade to schema 7). */
int store_unit_load_gso(struct store *st, struct mh_error *err);
int store_unit_load_reform(struct store *st, struct mh_error *err);
/* The unit picker's covering indexes (indexes only: a database of schema 7
 * made before them gains them when opened for writing): over all versions in
 * the order shown, and on a day from the versions in force then. */
int store_unit_indexes(struct store *st, struct mh_error *err);
/* temp.unit_area (code, area): each unit version and the area of a report
 * of root ("" the country) on the day it is counted in: one of the root's
 * children then, the root itself, or '?' and its code for a divided commune
 * whose successor is not chosen. historic: the root's subtree as it was,
 * links not followed. Dropped by store_unit_areas_drop. */
int store_unit_areas(struct store *st, const char *root, const char *day, int historic, struct mh_error *err);
void store_unit_areas_drop(struct store *st);
void store_office_reload(struct store *st);
/* A recursive table `name(c)` of the unit versions of an area (p: the SQL
 * of its key): its subtree, and the versions those came from (a 2017
 * commune of Bình Thuận lies in the Lâm Đồng of today; xã Phong Phú, divided,
 * in both of its successors). */
#define STORE_UNIT_AREA(name, p)                                                                              \
	name "(c) AS (SELECT " p " UNION SELECT code FROM main.unit, " name " WHERE parent_code = " name ".c" \
	     " UNION SELECT from_code FROM main.unit_link, " name " WHERE to_code = " name ".c)"
/* 1 if the query (a string constant: its statement is kept prepared) with
 * ?1 = a and ?2 = b (if not NULL) has a row. */
int store_exists(struct store *st, const char *sql, const char *a, const char *b);
/* The integer a PRAGMA answers (-1: none). */
int store_pragma_int(struct store *st, const char *sql);
/* Folded text and sort key of s, as new strings. */
char *store_fold(const char *s);
char *store_key(const char *s);

#endif
