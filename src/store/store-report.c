/* Counting a report, by area (the unit one level below the root that a
 * record's unit lies in, store_unit_areas) and by field: the units, the
 * models and the period's evaluations read once into sets found by key; one
 * read of the points alone, each counted here in its area and field and in
 * its model, with its evaluations; then one pass of aggregate SQL for the
 * models. The rules are in the README ("Reports"). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "store-internal.h"
#include "store.h"
#include "strbuf.h"
#include "unit-text.h"
#include "xalloc.h"

/* Every point once (?3 set: a historical area, where the point was made):
 * its model, its area (NULL: outside the report), the field, its start, and
 * what the counts need. */
static const char store_report_points_sql[] =
    "SELECT p.model_id, coalesce(iif(?3 IS NULL, p.unit_successor, NULL), p.unit_code),"
    "  coalesce(p.launched_on, substr(p.created_at, 1, 10)), p.replicated_from IS NOT NULL, p.status = 'dung',"
    "  coalesce(p.status_on, ''), coalesce(p.teams, 0), coalesce(p.members, 0), p.id"
    " FROM point p WHERE p.deleted = 0";

/* ?1 from, ?2 to; each row: area, field, then the counts */
static const char store_report_models_sql[] =
    "WITH m AS (SELECT m.field, m.is_pilot, a.area,"
    "  coalesce(m.launched_on, substr(m.created_at, 1, 10)) AS start,"
    "  coalesce(x.points, 0) AS points, coalesce(x.live, 0) AS live, x.stopped"
    " FROM model m JOIN temp.unit_area a ON a.code = m.unit_code LEFT JOIN temp.report_model x ON x.id = m.id"
    " WHERE m.deleted = 0)"
    " SELECT area, field,"
    "  sum(start BETWEEN ?1 AND ?2),"
    "  sum(start <= ?2 AND (points = 0 OR live > 0)),"
    "  sum(start <= ?2 AND (points = 0 OR live > 0) AND is_pilot),"
    "  sum(start <= ?2 AND points > 0 AND live = 0 AND stopped BETWEEN ?1 AND ?2)"
    " FROM m GROUP BY area, field";

/* The evaluations of the period, counted per point (or per model, for a
 * model's own): a whole country's year is 666,000 of them, 53,000 groups.
 * The points' pass counts each group in its point's area (store_report_points:
 * one look-up in memory, not one in the file); what it did not meet (a
 * model's own evaluations, a deleted point's) is placed by the second query. */
static const char store_report_evals_sql[] =
    "SELECT coalesce(point_id, ''), model_id, rating IN ('hieu-qua', 'tot', 'kha'), replicate"
    " FROM evaluation WHERE coalesce(reviewed_on, period_to) BETWEEN ?1 AND ?2 AND deleted = 0";
static const char store_report_eval_place_sql[] =
    "SELECT a.area, m.field FROM model m LEFT JOIN point p ON p.id = ?2"
    " JOIN temp.unit_area a ON a.code = coalesce(iif(?3 IS NULL, p.unit_successor, NULL), p.unit_code, m.unit_code)"
    " WHERE m.id = ?1 AND m.deleted = 0";

/* the operating models with their operating points */
static const char store_report_list_sql[] =
    "SELECT m.name, u.name || CASE WHEN u.valid_to < ?2 THEN ?3 ELSE '' END, coalesce(c.label, m.field),"
    "  m.is_pilot, coalesce(x.live, 0), coalesce(x.teams, 0), coalesce(x.members, 0)"
    " FROM model m JOIN temp.unit_area a ON a.code = m.unit_code JOIN unit u ON u.code = m.unit_code"
    " LEFT JOIN choice c ON c.list = 'field' AND c.code = m.field"
    " LEFT JOIN temp.report_model x ON x.id = m.id"
    " WHERE m.deleted = 0 AND coalesce(m.launched_on, substr(m.created_at, 1, 10)) <= ?2"
    "  AND (coalesce(x.live, 0) > 0 OR coalesce(x.points, 0) = 0)"
    " ORDER BY m.name_key, m.id";
// clang-format on

static struct report_row *store_report_find(struct report_row *rows, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].code, code) == 0)
			return &rows[i];
	return NULL;
}

static void store_report_push(struct report_row **rows, size_t *n, const char *code, const char *name);

/* The line of a divided unit's records whose successor is not chosen:
 * counted in the total and in no area ("?" and the old unit's code). */
static int store_report_code_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_row *)a)->code, ((const struct report_row *)b)->code);
}

static struct report_row *store_report_undetermined(struct store *st, struct report *r, const char *code)
{
	struct store_unit u;
	if (store_unit_get(st, code + 1, &u, NULL) < 0)
		return NULL;
	struct strbuf old;
	strbuf_init(&old);
	unit_text_in_sentence(u.name, &old);
	char *name = xalloc_printf(_("undetermined new commune (%s, former)"), old.buf);
	strbuf_release(&old);
	store_report_push(&r->areas, &r->nareas, code, name);
	free(name);
	return &r->areas[r->nareas - 1];
}

/* Runs one aggregate query and adds its counts (from column 2 on) into
 * columns first.. of the area, field and total rows. */
/* n counts from the column `first` on, added to the area's row (made for an
 * undetermined commune, '?' and its code), the field's and the total. */
static void store_report_add_at(struct report *r, int area, int field, int first, const long *v, int n)
{
	for (int c = 0; c < n; c++) {
		if (area >= 0)
			r->areas[area].v[first + c] += v[c];
		if (field >= 0)
			r->fields[field].v[first + c] += v[c];
		r->total.v[first + c] += v[c];
	}
}

static void store_report_count(struct store *st, struct report *r, const char *code, const char *fcode, int first,
                               const long *v, int n)
{
	struct report_row *area = store_report_find(r->areas, r->nareas, code);
	if (!area && code[0] == '?')
		area = store_report_undetermined(st, r, code);
	struct report_row *field = store_report_find(r->fields, r->nfields, fcode);
	store_report_add_at(r, area ? (int)(area - r->areas) : -1, field ? (int)(field - r->fields) : -1, first, v, n);
}

/* A statement over the points: a historical area (?3 set) counts a point
 * where it was made, not in the successor chosen since. */
static int store_report_prepare(struct store *st, const char *sql, int historic, sqlite3_stmt **stmt,
                                struct mh_error *err)
{
	if (store_prepare(st, sql, stmt, err) < 0)
		return -1;
	if (historic)
		sqlite3_bind_text(*stmt, 3, "", -1, SQLITE_STATIC);
	return 0;
}

static int store_report_add(struct store *st, struct report *r, const char *sql, int first, int historic,
                            struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_report_prepare(st, sql, historic, &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, r->to, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long v[REPORT_NCOLS];
		int n = sqlite3_column_count(stmt) - 2;
		for (int c = 0; c < n; c++)
			v[c] = (long)sqlite3_column_int64(stmt, c + 2);
		store_report_count(st, r, store_text(stmt, 0), store_text(stmt, 1), first, v, n);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* A set of records found by their key (a string their element begins with):
 * an array, and an index over it by open addressing, never half full. */
struct report_set {
	char *elems;
	size_t size, keysize, n, room;
	uint32_t *slot; /* 1 + the element's place, or 0 */
	size_t cap;     /* a power of two */
};

/* The slot of key: its element's, or the empty one where it goes. */
static uint32_t *report_set_slot(const struct report_set *s, const char *key)
{
	size_t h = 5381;
	for (const char *c = key; *c; c++)
		h = h * 33 + (unsigned char)*c;
	for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
		if (!s->slot[i] || strcmp(s->elems + (s->slot[i] - 1) * s->size, key) == 0)
			return &s->slot[i];
}

/* The element of key, or NULL. */
static void *report_set_find(const struct report_set *s, const char *key)
{
	uint32_t k = s->n ? *report_set_slot(s, key) : 0;
	return k ? s->elems + (k - 1) * s->size : NULL;
}

/* The element of key, added (zeroed, with its key) if it was not there. */
static void *report_set_add(struct report_set *s, const char *key)
{
	void *e = report_set_find(s, key);
	if (e)
		return e;
	if (s->n == s->room) {
		s->room = s->room ? 2 * s->room : 1024;
		s->elems = xalloc_realloc(s->elems, s->room * s->size);
	}
	if (2 * (s->n + 1) > s->cap) { /* the index made again, twice as large */
		free(s->slot);
		s->cap = s->cap ? 2 * s->cap : 2048;
		s->slot = xalloc_calloc(s->cap, sizeof *s->slot);
		for (size_t i = 0; i < s->n; i++)
			*report_set_slot(s, s->elems + i * s->size) = (uint32_t)(i + 1);
	}
	char *elem = s->elems + s->n * s->size;
	memset(elem, 0, s->size);
	store_copy(elem, s->keysize, key);
	*report_set_slot(s, elem) = (uint32_t)++s->n;
	return elem;
}

static void report_set_free(struct report_set *s)
{
	free(s->elems);
	free(s->slot);
}

/* What the one pass over the points looks up, each loaded once: the units
 * with their areas, the models with their fields, and the period's
 * evaluations by point and model. */
struct report_unit {
	char code[32], area[32];
	int row; /* the area's row: -2 not looked for yet, -1 none */
};
struct report_per_model { /* and each model's points, for the models' columns and the list */
	char id[STORE_ID_LEN + 1];
	int field, seen; /* the field's row, or -1; whether a point names it */
	long points, live, teams, members;
	char stopped[11];
};
struct report_eval {
	char key[2 * STORE_ID_LEN + 2]; /* the point's id (none: the model's own), a tab, the model's id */
	long v[3];                      /* made, effective, recommending replication */
	int placed;
};
struct report_lookups {
	struct report_set units, models, evals;
};
#define REPORT_SET_OF(type, key)                                                        \
	{                                                                               \
		.size = sizeof(struct type), .keysize = sizeof(((struct type *)0)->key) \
	}

/* A point's or a model's evaluations: its key. */
static void store_report_eval_key(char key[2 * STORE_ID_LEN + 2], const char *point, const char *model)
{
	snprintf(key, 2 * STORE_ID_LEN + 2, "%.*s\t%.*s", STORE_ID_LEN, point, STORE_ID_LEN, model);
}

/* The units (temp.unit_area, store_unit_areas), the models, and the period's
 * evaluations counted in C as they come (no sort for a GROUP BY). */
static int store_report_lookups(struct store *st, struct report *r, struct report_lookups *l, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	int rc;
	if (store_prepare(st, "SELECT code, area FROM temp.unit_area", &stmt, err) < 0)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct report_unit *u = report_set_add(&l->units, store_text(stmt, 0));
		store_copy(u->area, sizeof u->area, store_text(stmt, 1));
		u->row = -2;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE || store_prepare(st, "SELECT id, field FROM model WHERE deleted = 0", &stmt, err) < 0)
		return rc != SQLITE_DONE ? store_fail(st, rc, err) : -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct report_per_model *m = report_set_add(&l->models, store_text(stmt, 0));
		struct report_row *field = store_report_find(r->fields, r->nfields, store_text(stmt, 1));
		m->field = field ? (int)(field - r->fields) : -1;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE || store_prepare(st, store_report_evals_sql, &stmt, err) < 0)
		return rc != SQLITE_DONE ? store_fail(st, rc, err) : -1;
	sqlite3_bind_text(stmt, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, r->to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		char key[2 * STORE_ID_LEN + 2];
		store_report_eval_key(key, store_text(stmt, 0), store_text(stmt, 1));
		struct report_eval *e = report_set_add(&l->evals, key);
		e->v[0]++;
		e->v[1] += sqlite3_column_int(stmt, 2);
		e->v[2] += sqlite3_column_int(stmt, 3);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* The row of a unit's area (made for an undetermined commune), or -1. */
static int store_report_area_row(struct store *st, struct report *r, struct report_unit *u)
{
	if (u->row == -2) {
		struct report_row *area = store_report_find(r->areas, r->nareas, u->area);
		if (!area && u->area[0] == '?')
			area = store_report_undetermined(st, r, u->area);
		u->row = area ? (int)(area - r->areas) : -1;
	}
	return u->row;
}

/* The groups the points' pass did not place: a model's own evaluations, and
 * those of a point deleted since, where the point or the model lies. */
static int store_report_evals_rest(struct store *st, struct report *r, struct report_lookups *l, int historic,
                                   struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_report_prepare(st, store_report_eval_place_sql, historic, &stmt, err) < 0)
		return -1;
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < l->evals.n && (rc == SQLITE_DONE || rc == SQLITE_ROW); i++) {
		const struct report_eval *e = (const struct report_eval *)l->evals.elems + i;
		if (e->placed)
			continue;
		const char *tab = strchr(e->key, '\t');
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, tab + 1, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, e->key, (int)(tab - e->key), SQLITE_STATIC);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			store_report_count(st, r, store_text(stmt, 0), store_text(stmt, 1), REPORT_EVALS, e->v, 3);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, rc, err);
}

/* The one pass over the points: each counted in its area and field, and in
 * its model (temp.report_model). A point begun by the period's end and not
 * stopped by then operates; a point stopped with no date is stopped already. */
static int store_report_points(struct store *st, struct report *r, struct report_lookups *l, int historic,
                               struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_report_prepare(st, store_report_points_sql, historic, &stmt, err) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct report_per_model *m = report_set_find(&l->models, store_text(stmt, 0));
		if (!m)
			continue; /* its model deleted */
		struct report_unit *u = report_set_find(&l->units, store_text(stmt, 1));
		int area = u ? store_report_area_row(st, r, u) : -1;
		const char *start = store_text(stmt, 2), *on = store_text(stmt, 5);
		int begun = strcmp(start, r->to) <= 0, fresh = begun && strcmp(start, r->from) >= 0;
		int dung = sqlite3_column_int(stmt, 4), live = begun && !(dung && strcmp(on, r->to) <= 0);
		long teams = (long)sqlite3_column_int64(stmt, 6), members = (long)sqlite3_column_int64(stmt, 7);
		if (u) { /* in the report */
			long v[] = {fresh,
			            fresh && sqlite3_column_int(stmt, 3),
			            live,
			            dung && on[0] && strcmp(on, r->from) >= 0 && strcmp(on, r->to) <= 0,
			            live ? teams : 0,
			            live ? members : 0};
			store_report_add_at(r, area, m->field, REPORT_POINTS_NEW, v, 6);
		}
		/* the point's evaluations of the period, in its area (outside the report: in none) */
		char key[2 * STORE_ID_LEN + 2];
		store_report_eval_key(key, store_text(stmt, 8), m->id);
		struct report_eval *e = report_set_find(&l->evals, key);
		if (e) {
			e->placed = 1;
			if (u)
				store_report_add_at(r, area, m->field, REPORT_EVALS, e->v, 3);
		}
		m->seen = 1;
		m->points += begun;
		m->live += live;
		m->teams += live ? teams : 0;
		m->members += live ? members : 0;
		if (dung && strcmp(on, m->stopped) > 0)
			store_copy(m->stopped, sizeof m->stopped, on);
	}
	sqlite3_finalize(stmt);
	int ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	stmt = NULL;
	ok = ok &&
	     store_exec(st,
	                "DROP TABLE IF EXISTS temp.report_model;"
	                "CREATE TEMP TABLE report_model (id TEXT PRIMARY KEY, points INTEGER, live INTEGER,"
	                " teams INTEGER, members INTEGER, stopped TEXT) WITHOUT ROWID",
	                err) == 0 &&
	     store_prepare(st, "INSERT INTO temp.report_model VALUES (?, ?, ?, ?, ?, nullif(?, ''))", &stmt, err) == 0;
	for (size_t i = 0; ok && i < l->models.n; i++) {
		const struct report_per_model *m = (const struct report_per_model *)l->models.elems + i;
		if (!m->seen)
			continue;
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, m->id, -1, SQLITE_STATIC);
		long v[] = {m->points, m->live, m->teams, m->members};
		for (int c = 0; c < 4; c++)
			sqlite3_bind_int64(stmt, c + 2, v[c]);
		sqlite3_bind_text(stmt, 6, m->stopped, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

static void store_report_push(struct report_row **rows, size_t *n, const char *code, const char *name)
{
	*rows = xalloc_realloc(*rows, (*n + 1) * sizeof **rows);
	struct report_row *row = &(*rows)[(*n)++];
	memset(row, 0, sizeof *row);
	store_copy(row->code, sizeof row->code, code);
	row->name = xalloc_strdup(name);
}

/* The areas (children of the root, in code order, the root's own level first)
 * and the fields (in list order). */
static int store_report_rows(struct store *st, struct report *r, int level, int historic, struct mh_error *err)
{
	static const char *const own[] = {N_("Ministry level"), N_("Province level"), N_("District level"),
	                                  N_("Commune level")};
	if (r->root[0])
		store_report_push(&r->areas, &r->nareas, r->root, _(own[level]));
	sqlite3_stmt *stmt;
	if (store_prepare(st,
	                  "SELECT code, name FROM unit WHERE parent_code IS nullif(?1, '') AND deleted = 0"
	                  " AND (?3 OR (coalesce(valid_from, '') <= ?2 AND coalesce(valid_to, '9999') >= ?2))"
	                  " ORDER BY gso",
	                  &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, r->root, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, r->to, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, historic);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		store_report_push(&r->areas, &r->nareas, store_text(stmt, 0), store_text(stmt, 1));
	sqlite3_finalize(stmt);
	if (store_prepare(st, "SELECT code, label FROM choice WHERE list = 'field' ORDER BY ord, code", &stmt, err) < 0)
		return -1;
	while (sqlite3_step(stmt) == SQLITE_ROW)
		store_report_push(&r->fields, &r->nfields, store_text(stmt, 0), store_text(stmt, 1));
	sqlite3_finalize(stmt);
	r->total.name = xalloc_strdup(_("Total"));
	return 0;
}

static int store_report_list(struct store *st, struct report *r, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, store_report_list_sql, &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 2, r->to, -1, SQLITE_STATIC);
	/* TRANSLATORS: after a unit's name in a report, when it is no longer in force */
	sqlite3_bind_text(stmt, 3, _(" (former)"), -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (r->nmodels == cap) {
			cap = cap ? cap * 2 : 64;
			r->models = xalloc_realloc(r->models, cap * sizeof *r->models);
		}
		struct report_model *m = &r->models[r->nmodels++];
		m->name = xalloc_strdup(store_text(stmt, 0));
		m->unit = xalloc_strdup(store_text(stmt, 1));
		m->field = xalloc_strdup(store_text(stmt, 2));
		m->pilot = sqlite3_column_int(stmt, 3);
		m->points = sqlite3_column_int64(stmt, 4);
		m->teams = sqlite3_column_int64(stmt, 5);
		m->members = sqlite3_column_int64(stmt, 6);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

/* "Tỉnh Bình Thuận" → "Bình Thuận": the place line of the report. */
static char *store_report_place(const char *name)
{
	static const char *const types[] = {"Thành phố ", "Tỉnh ",   "Quận ", "Huyện ",
	                                    "Thị xã ",    "Phường ", "Xã ",   "Thị trấn "};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strncmp(name, types[i], strlen(types[i])) == 0)
			return xalloc_strdup(name + strlen(types[i]));
	return xalloc_strdup(name);
}

int store_report_compute(struct store *st, const struct report_params *p, struct report *r, struct mh_error *err)
{
	memset(r, 0, sizeof *r);
	const struct store_office *office = store_office_get(st);
	if (p->year < 1900 || p->year > 2200 || (p->year_to && (p->year_to < p->year || p->year_to > 2200)) ||
	    p->half < 0 || p->half > 2 || (p->half && p->year_to))
		return mh_error_set(err, MH_EUSAGE,
		                    _("the period is not right: a year (2017), a range (2015-2017) or"
		                      " a half of one year (--half 1 or 2)"));
	int last = p->year_to ? p->year_to : p->year;
	snprintf(r->from, sizeof r->from, "%04d-%s", p->year, p->half == 2 ? "07-01" : "01-01");
	snprintf(r->to, sizeof r->to, "%04d-%s", last, p->half == 1 ? "06-30" : "12-31");
	/* the root is the unit in force at the period's end; a code that meant
	 * nothing then, but names a version, is that historical area */
	int level = 0, historic = 0;
	if (p->unit && strcmp(p->unit, "VN") == 0) {
		r->root_name = xalloc_strdup(_("the whole country"));
	} else {
		struct store_unit u;
		struct mh_error why;
		const char *code = p->unit ? p->unit : "";
		if (!p->unit && office) {
			/* this office's unit, or the version of its code in force then */
			code = office->unit_code;
			if (store_unit_get(st, code, &u, NULL) == 0 && store_unit_at(st, u.gso, r->to, &u, NULL) == 0)
				code = u.code;
		}
		if (store_unit_at(st, code, r->to, &u, &why) < 0) {
			if (store_unit_get(st, code, &u, NULL) < 0)
				return mh_error_set(err, MH_EDATA, "%s", why.msg);
			historic = 1;
		}
		store_copy(r->root, sizeof r->root, u.code);
		r->root_name = xalloc_strdup(u.name);
		level = u.level;
	}
	r->period = p->year_to ? xalloc_printf(_("the years %d - %d"), p->year, p->year_to)
	            : p->half
	                ? xalloc_printf(p->half == 1 ? _("the first half of %d") : _("the second half of %d"), p->year)
	                : xalloc_printf(_("the year %d"), p->year);
	r->office = xalloc_strdup(office ? office->name : "");
	struct store_unit ou;
	r->place = xalloc_strdup("");
	if (office && store_unit_get(st, office->unit_code, &ou, NULL) == 0) {
		free(r->place);
		r->place = store_report_place(ou.level == 3 && ou.parent_name[0] ? ou.parent_name : ou.name);
	}
	/* the document's blocks: the office's settings, or what they are for most offices */
	char *set = store_setting_get(st, "report.above");
	if (set && *set)
		r->above = set;
	else if (office && store_unit_get(st, office->unit_code, &ou, NULL) == 0 && ou.level > 1 && ou.parent_name[0]) {
		free(set);
		char parent[sizeof ou.parent_name];
		store_copy(parent, sizeof parent, ou.parent_name);
		if (parent[0] >= 'A' && parent[0] <= 'Z') /* "Tỉnh Bình Thuận" → "tỉnh Bình Thuận" */
			parent[0] = (char)(parent[0] - 'A' + 'a');
		r->above = xalloc_printf(_("Police of %s"), parent);
	} else {
		free(set);
		r->above = xalloc_strdup(_("Ministry of Public Security"));
	}
	char **fields[] = {&r->number, &r->signer_title, &r->signer, &r->recipients}; /* report_settings[1..] */
	for (size_t i = 0; i < 4; i++) {
		const struct report_setting *s = &report_settings[i + 1];
		char *v = store_setting_get(st, s->key);
		*fields[i] = v && *v ? v : xalloc_strdup(*s->fallback ? _(s->fallback) : "");
		if (!(v && *v))
			free(v);
	}
	char now[21];
	store_now(now);
	store_copy(r->date, sizeof r->date, p->date ? p->date : now);
	r->preparer = xalloc_strdup(store_user(st));

	if (store_report_rows(st, r, level, historic, err) < 0)
		goto fail;
	if (store_exec(st, "SAVEPOINT report", err) < 0)
		goto fail;
	struct report_lookups l = {REPORT_SET_OF(report_unit, code), REPORT_SET_OF(report_per_model, id),
	                           REPORT_SET_OF(report_eval, key)};
	int ok = store_unit_areas(st, r->root, r->to, historic, err) == 0 &&
	         store_report_lookups(st, r, &l, err) == 0 && store_report_points(st, r, &l, historic, err) == 0 &&
	         store_report_evals_rest(st, r, &l, historic, err) == 0;
	report_set_free(&l.units);
	report_set_free(&l.models);
	report_set_free(&l.evals);
	ok = ok && store_report_add(st, r, store_report_models_sql, REPORT_MODELS_NEW, historic, err) == 0 &&
	     store_report_list(st, r, err) == 0;
	store_unit_areas_drop(st);
	store_exec(st, "DROP TABLE IF EXISTS temp.report_model; RELEASE report", NULL);
	if (!ok)
		goto fail;
	/* units no longer in force are shown only when something counts there */
	size_t keep = 0;
	for (size_t i = 0; i < r->nareas; i++) {
		long any = 0;
		for (int c = 0; c < REPORT_NCOLS; c++)
			any |= r->areas[i].v[c];
		struct store_unit u;
		int old = !historic && store_unit_get(st, r->areas[i].code, &u, NULL) == 0 && u.valid_to[0] &&
		          strcmp(u.valid_to, r->to) < 0 && strcmp(r->areas[i].code, r->root) != 0;
		if (any || (!old && strcmp(r->areas[i].code, r->root) != 0))
			r->areas[keep++] = r->areas[i];
		else
			free(r->areas[i].name);
	}
	r->nareas = keep;
	/* the undetermined communes, after the areas, by their former code */
	size_t first = 0;
	while (first < r->nareas && r->areas[first].code[0] != '?')
		first++;
	qsort(r->areas + first, r->nareas - first, sizeof *r->areas, store_report_code_cmp);
	return 0;
fail:
	report_free(r);
	return -1;
}
