/* The lists of models, points and evaluations, a page at a time (keyset). */
#ifndef MOHINH_STORE_LIST_H
#define MOHINH_STORE_LIST_H
#include "store.h"

/* --- lists ------------------------------------------------------------------ */
enum store_model_sort { STORE_SORT_NAME, STORE_SORT_DATE, STORE_SORT_UNIT };
struct store_model_filter {
	const char *search;         /* words, accent- and case-free */
	const char *unit_code;      /* models with a point in this unit's subtree */
	int year;                   /* launched in this year; 0 for any */
	const char *field;          /* a code of the field list */
	const char *state;          /* draft, submitted, approved, returned */
	enum store_model_sort sort; /* Vietnamese name order, launch date, unit */
	const char *due_before;     /* YYYY-MM-DD: models with a running point not evaluated since */
};
/* The rows of the lists below hold their texts whole, never cut: the
 * pointers lead into one block the row owns (mem), which
 * store_row_release frees. A row copied is the same row: one release. */
struct store_model_row {
	char *mem;
	char id[STORE_ID_LEN + 1];
	char *code;
	char *name;
	char *unit_name;
	char *field;
	int points;
	char launched_on[11];
	char state[16];
	char *last_rating; /* of its latest rated evaluation */
	char *key;         /* its place in the list, for keyset paging */
};
/* Frees the texts of n rows of any list below (each begins with mem). */
void store_rows_release(void *rows, size_t n, size_t row_size);

/* Up to `limit` models after (forward) or before (backward) the row whose
 * key is given (NULL for the start or the end), in the filter's order.
 * Rows come back in list order. Returns the count or -1. */
int store_model_page(struct store *st, const struct store_model_filter *f, const char *after_key, int backward,
                     struct store_model_row *rows, int limit, struct mh_error *err);

struct store_point_row {
	char *mem;
	char id[STORE_ID_LEN + 1];
	char model_id[STORE_ID_LEN + 1];
	char *model_name;
	char *unit_code;
	char *unit_name;
	char *place;
	char launched_on[11];
	char *teams, *members;
	char *status; /* the label */
	char replicated_from[STORE_ID_LEN + 1];
	char *from_unit; /* the unit of the point it was replicated from */
	char state[16];
	char last_evaluated[11]; /* the end of its latest evaluation's period */
	char *key;               /* its place in the list, for keyset paging */
};
/* Gets each row in turn; it may keep one by taking r->mem (leaving NULL). */
typedef int (*store_point_fn)(struct store_point_row *r, void *ud);
struct store_point_filter {
	const char *model_id;   /* one model's points */
	const char *search;     /* words, accent- and case-free, over the point, its unit and its model */
	const char *unit_code;  /* a unit's subtree */
	const char *due_before; /* YYYY-MM-DD: only points still running whose latest evaluation
	                           ended before it (or that have none), longest unevaluated first */
};
/* Points in order of model name, then unit name (due: oldest evaluation first). */
int store_point_list(struct store *st, const struct store_point_filter *f, store_point_fn fn, void *ud,
                     struct mh_error *err);
/* The same a page at a time: up to limit rows after (or before) the row
 * whose key is given (NULL: from the start or the end), in list order. */
int store_point_page(struct store *st, const struct store_point_filter *f, const char *after_key, int backward,
                     struct store_point_row *rows, int limit, struct mh_error *err);
/* The first day of the half-year that `date` (YYYY-MM-DD) is in. */
void store_half_year_start(const char *date, char out[11]);

struct store_evaluation_row {
	char *mem;
	char id[STORE_ID_LEN + 1];
	char model_id[STORE_ID_LEN + 1];
	char point_id[STORE_ID_LEN + 1]; /* empty: the whole model */
	char *model_name;
	char *unit_name;
	char *kind, *period_kind, *rating; /* labels */
	char period_from[11], period_to[11], reviewed_on[11];
	char *reviewer;
	int replicate;
	char state[16];
	char *key; /* its place in the list, for keyset paging */
};
/* Gets each row in turn; it may keep one by taking r->mem (leaving NULL). */
typedef int (*store_evaluation_fn)(struct store_evaluation_row *r, void *ud);
/* Every evaluation, latest period first, a page at a time (after or before
 * the row whose key is given); words search the model and point. */
int store_evaluation_page(struct store *st, const char *search, const char *after_key, int backward,
                          struct store_evaluation_row *rows, int limit, struct mh_error *err);
/* Evaluations of a model (all its points and itself) or of one point,
 * latest period first. */
int store_evaluation_list(struct store *st, const char *model_id, const char *point_id, store_evaluation_fn fn,
                          void *ud, struct mh_error *err);

#endif
