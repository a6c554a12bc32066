/* Counting a report, by area (the unit one level below the root that a
 * record's unit lies in, store_unit_areas) and by field: the evaluations of
 * the period grouped by point; one read of the points, each counted here by
 * area and by model with its evaluations; then one pass of aggregate SQL for
 * the models. The rules are in the README
 * ("Reports"). */
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
    "SELECT p.model_id, a.area, m.field, coalesce(p.launched_on, substr(p.created_at, 1, 10)),"
    "  p.replicated_from IS NOT NULL, p.status = 'dung', coalesce(p.status_on, ''), coalesce(p.teams, 0),"
    "  coalesce(p.members, 0), p.id"
    " FROM point p JOIN model m ON m.id = p.model_id"
    " LEFT JOIN temp.unit_area a ON a.code = coalesce(iif(?3 IS NULL, p.unit_successor, NULL), p.unit_code)"
    " WHERE p.deleted = 0 AND m.deleted = 0";

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
    "SELECT point_id, model_id, count(*), sum(rating IN ('hieu-qua', 'tot', 'kha')), sum(replicate)"
    " FROM evaluation WHERE coalesce(reviewed_on, period_to) BETWEEN ?1 AND ?2 AND deleted = 0"
    " GROUP BY point_id, model_id";
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
static void store_report_count(struct store *st, struct report *r, const char *code, const char *fcode, int first,
                               const long *v, int n)
{
	struct report_row *area = store_report_find(r->areas, r->nareas, code);
	if (!area && code[0] == '?')
		area = store_report_undetermined(st, r, code);
	struct report_row *field = store_report_find(r->fields, r->nfields, fcode);
	for (int c = 0; c < n; c++) {
		if (area)
			area->v[first + c] += v[c];
		if (field)
			field->v[first + c] += v[c];
		r->total.v[first + c] += v[c];
	}
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

/* Each model's points, kept while the points are counted (open addressing
 * on the model's id): for the models' columns and the list. */
struct report_per_model {
	char id[STORE_ID_LEN + 1];
	long points, live, teams, members;
	char stopped[11];
};
struct report_models_seen {
	struct report_per_model *slot;
	size_t cap, n;
};

static struct report_per_model *store_report_model_slot(struct report_models_seen *m, const char *id)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		struct report_models_seen bigger = {xalloc_calloc(cap, sizeof *m->slot), cap, 0};
		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i].id[0])
				*store_report_model_slot(&bigger, m->slot[i].id) = m->slot[i];
		free(m->slot);
		*m = bigger;
	}
	size_t h = 5381;
	for (const char *c = id; *c; c++)
		h = h * 33 + (unsigned char)*c;
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slot[i].id[0]) {
			store_copy(m->slot[i].id, sizeof m->slot[i].id, id);
			m->n++;
			return &m->slot[i];
		}
		if (strcmp(m->slot[i].id, id) == 0)
			return &m->slot[i];
	}
}

/* The period's evaluations, one group per point and model (store_report_evals_sql),
 * found by the point's id (open addressing over the groups' indexes). */
struct report_eval {
	char point[STORE_ID_LEN + 1], model[STORE_ID_LEN + 1];
	long v[3]; /* made, effective, recommending replication */
	int placed;
};
struct report_evals {
	struct report_eval *e;
	size_t n;
	uint32_t *index; /* 1 + the group's place in e, or 0; cap a power of two */
	size_t cap;
};

static uint32_t *store_report_eval_slot(const struct report_evals *ev, const char *point)
{
	size_t h = 5381;
	for (const char *c = point; *c; c++)
		h = h * 33 + (unsigned char)*c;
	for (size_t i = h & (ev->cap - 1);; i = (i + 1) & (ev->cap - 1))
		if (!ev->index[i] || strcmp(ev->e[ev->index[i] - 1].point, point) == 0)
			return &ev->index[i];
}

static int store_report_evals_load(struct store *st, struct report *r, struct report_evals *ev, struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, store_report_evals_sql, &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, r->to, -1, SQLITE_STATIC);
	size_t room = 0;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (ev->n == room) {
			room = room ? 2 * room : 1024;
			ev->e = xalloc_realloc(ev->e, room * sizeof *ev->e);
		}
		struct report_eval *e = &ev->e[ev->n++];
		store_copy(e->point, sizeof e->point, store_text(stmt, 0));
		store_copy(e->model, sizeof e->model, store_text(stmt, 1));
		for (int c = 0; c < 3; c++)
			e->v[c] = (long)sqlite3_column_int64(stmt, c + 2);
		e->placed = 0;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err);
	for (ev->cap = 1024; ev->cap < 2 * ev->n; ev->cap *= 2)
		;
	ev->index = xalloc_calloc(ev->cap, sizeof *ev->index);
	for (size_t i = 0; i < ev->n; i++)
		if (ev->e[i].point[0]) /* a point's (a model's own are placed after) */
			*store_report_eval_slot(ev, ev->e[i].point) = (uint32_t)(i + 1);
	return 0;
}

/* The groups the points' pass did not place: a model's own evaluations, and
 * those of a point deleted since, where the point or the model lies. */
static int store_report_evals_rest(struct store *st, struct report *r, struct report_evals *ev, int historic,
                                   struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_report_prepare(st, store_report_eval_place_sql, historic, &stmt, err) < 0)
		return -1;
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < ev->n && (rc == SQLITE_DONE || rc == SQLITE_ROW); i++) {
		const struct report_eval *e = &ev->e[i];
		if (e->placed)
			continue;
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, e->model, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, e->point, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			store_report_count(st, r, store_text(stmt, 0), store_text(stmt, 1), REPORT_EVALS, e->v, 3);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, rc, err);
}

/* The one pass over the points: each counted in its area and field, and in
 * its model (temp.report_model). A point begun by the period's end and not
 * stopped by then operates; a point stopped with no date is stopped already. */
static int store_report_points(struct store *st, struct report *r, struct report_evals *ev, int historic,
                               struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_report_prepare(st, store_report_points_sql, historic, &stmt, err) < 0)
		return -1;
	struct report_models_seen seen = {0};
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *start = store_text(stmt, 3), *on = store_text(stmt, 6);
		int begun = strcmp(start, r->to) <= 0, fresh = begun && strcmp(start, r->from) >= 0;
		int dung = sqlite3_column_int(stmt, 5), live = begun && !(dung && strcmp(on, r->to) <= 0);
		long teams = (long)sqlite3_column_int64(stmt, 7), members = (long)sqlite3_column_int64(stmt, 8);
		if (sqlite3_column_type(stmt, 1) != SQLITE_NULL) {
			long v[] = {fresh,
			            fresh && sqlite3_column_int(stmt, 4),
			            live,
			            dung && on[0] && strcmp(on, r->from) >= 0 && strcmp(on, r->to) <= 0,
			            live ? teams : 0,
			            live ? members : 0};
			store_report_count(st, r, store_text(stmt, 1), store_text(stmt, 2), REPORT_POINTS_NEW, v, 6);
		}
		/* the point's evaluations of the period, in its area (outside the report: in none) */
		uint32_t k = ev->n ? *store_report_eval_slot(ev, store_text(stmt, 9)) : 0;
		if (k && strcmp(ev->e[k - 1].model, store_text(stmt, 0)) == 0) {
			struct report_eval *e = &ev->e[k - 1];
			e->placed = 1;
			if (sqlite3_column_type(stmt, 1) != SQLITE_NULL)
				store_report_count(st, r, store_text(stmt, 1), store_text(stmt, 2), REPORT_EVALS, e->v,
				                   3);
		}
		struct report_per_model *m = store_report_model_slot(&seen, store_text(stmt, 0));
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
	for (size_t i = 0; ok && i < seen.cap; i++) {
		const struct report_per_model *m = &seen.slot[i];
		if (!m->id[0])
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
	free(seen.slot);
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
	struct report_evals ev = {0};
	int ok = store_unit_areas(st, r->root, r->to, historic, err) == 0 &&
	         store_report_evals_load(st, r, &ev, err) == 0 && store_report_points(st, r, &ev, historic, err) == 0 &&
	         store_report_evals_rest(st, r, &ev, historic, err) == 0;
	free(ev.e);
	free(ev.index);
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
