/* Counting a report: one pass of aggregate SQL per kind of record, grouped
 * by area (the unit one level below the root that a record's unit lies in)
 * and by field. The rules are in the README ("Reports"). */
#include <sqlite3.h>
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

/* The points of each model, counted in one pass over the points (?2 the
 * period's end): those begun by then, those of them still working, with their
 * teams and members, and the last day one stopped. */
static const char store_report_per_model_sql[] =
    "CREATE TEMP TABLE report_model AS"
    " WITH p AS (SELECT model_id, teams, members, status, status_on,"
    "  coalesce(launched_on, substr(created_at, 1, 10)) <= ?2 AS begun,"
    "  coalesce(launched_on, substr(created_at, 1, 10)) <= ?2"
    "   AND NOT (status = 'dung' AND coalesce(status_on, '') <= ?2) AS live"
    "  FROM point WHERE deleted = 0)"
    " SELECT model_id AS id, sum(begun) AS points, sum(live) AS live,"
    "  sum(teams) FILTER (WHERE live) AS teams, sum(members) FILTER (WHERE live) AS members,"
    "  max(status_on) FILTER (WHERE status = 'dung') AS stopped"
    " FROM p GROUP BY model_id";

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

static const char store_report_points_sql[] =
    "WITH p AS (SELECT a.area, m.field, p.replicated_from, p.teams, p.members,"
    "  coalesce(p.launched_on, substr(p.created_at, 1, 10)) AS start,"
    "  p.status = 'dung' AND coalesce(p.status_on, '') <= ?2 AS gone,"
    "  p.status = 'dung' AND p.status_on BETWEEN ?1 AND ?2 AS stopped"
    " FROM point p JOIN temp.unit_area a ON a.code = coalesce(iif(?3 IS NULL, p.unit_successor, NULL), p.unit_code)"
    " JOIN model m ON m.id = p.model_id"
    " WHERE p.deleted = 0 AND m.deleted = 0)"
    " SELECT area, field,"
    "  sum(start BETWEEN ?1 AND ?2),"
    "  sum(start BETWEEN ?1 AND ?2 AND replicated_from IS NOT NULL),"
    "  sum(start <= ?2 AND NOT gone),"
    "  sum(stopped),"
    "  sum(CASE WHEN start <= ?2 AND NOT gone THEN coalesce(teams, 0) END),"
    "  sum(CASE WHEN start <= ?2 AND NOT gone THEN coalesce(members, 0) END)"
    " FROM p GROUP BY area, field";

static const char store_report_evals_sql[] =
    "SELECT a.area, m.field, count(*),"
    "  sum(e.rating IN ('hieu-qua', 'tot', 'kha')), sum(e.replicate)"
    " FROM evaluation e JOIN model m ON m.id = e.model_id"
    " LEFT JOIN point p ON p.id = e.point_id"
    " JOIN temp.unit_area a ON a.code = coalesce(iif(?3 IS NULL, p.unit_successor, NULL), p.unit_code, m.unit_code)"
    " WHERE e.deleted = 0 AND m.deleted = 0"
    "  AND coalesce(e.reviewed_on, e.period_to) BETWEEN ?1 AND ?2"
    " GROUP BY a.area, m.field";

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
static int store_report_add(struct store *st, struct report *r, const char *sql, int first, int historic,
                            struct mh_error *err)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, sql, &stmt, err) < 0)
		return -1;
	sqlite3_bind_text(stmt, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, r->to, -1, SQLITE_STATIC);
	/* a historical area counts a point where it was made, not in the successor chosen since */
	if (historic)
		sqlite3_bind_text(stmt, 3, "", -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *code = store_text(stmt, 0);
		struct report_row *area = store_report_find(r->areas, r->nareas, code);
		if (!area && code[0] == '?')
			area = store_report_undetermined(st, r, code);
		struct report_row *field = store_report_find(r->fields, r->nfields, store_text(stmt, 1));
		for (int c = 2; c < sqlite3_column_count(stmt); c++) {
			long v = (long)sqlite3_column_int64(stmt, c);
			int col = first + c - 2;
			if (area)
				area->v[col] += v;
			if (field)
				field->v[col] += v;
			r->total.v[col] += v;
		}
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
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
	char now[21];
	store_now(now);
	store_copy(r->date, sizeof r->date, p->date ? p->date : now);
	r->preparer = xalloc_strdup(store_user(st));

	if (store_report_rows(st, r, level, historic, err) < 0)
		goto fail;
	if (store_exec(st, "SAVEPOINT report", err) < 0)
		goto fail;
	int ok = store_unit_areas(st, r->root, r->to, historic, err) == 0 &&
	         store_exec(st, "DROP TABLE IF EXISTS temp.report_model", err) == 0;
	sqlite3_stmt *per_model = NULL;
	ok = ok && store_prepare(st, store_report_per_model_sql, &per_model, err) == 0;
	if (ok) {
		sqlite3_bind_text(per_model, 2, r->to, -1, SQLITE_STATIC);
		int rc = sqlite3_step(per_model);
		ok = rc == SQLITE_DONE || store_fail(st, rc, err) == 0;
	}
	sqlite3_finalize(per_model);
	ok = ok && store_report_add(st, r, store_report_models_sql, REPORT_MODELS_NEW, historic, err) == 0 &&
	     store_report_add(st, r, store_report_points_sql, REPORT_POINTS_NEW, historic, err) == 0 &&
	     store_report_add(st, r, store_report_evals_sql, REPORT_EVALS, historic, err) == 0 &&
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
	return 0;
fail:
	report_free(r);
	return -1;
}
