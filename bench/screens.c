/* The screens' lookups on the national-scale database, as the screens make
 * them through the core, next to the same lookups in plain SQL: the first
 * page of the models list (from opening the file), each keystroke of a
 * search, a page down, each keystroke of the unit picker; and peak memory.
 *   screens DB */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "store.h"
#include "store-list.h"
#include "store-unit.h"

#define PAGE 21

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, double *v, int n, double *raw, int nraw)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	qsort(raw, (size_t)nraw, sizeof *raw, cmp_double);
	double p50 = v[n / 2], p99 = v[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	double r50 = raw[nraw / 2];
	printf("%-34s p50 %7.2f ms  p99 %7.2f ms   raw SQLite p50 %7.2f ms   ratio %.2f\n", what, p50, p99, r50,
	       r50 > 0 ? p50 / r50 : 0);
}

static int unit_row(const struct store_unit *u, void *ud)
{
	(void)u;
	(*(int *)ud)++;
	return 0;
}

/* the columns the list shows, as the core reads them */
#define RAW_COLUMNS                                                                                               \
	"SELECT m.id, coalesce(m.code, ''), m.name, u.name, coalesce(c.label, m.field),"                          \
	" (SELECT count(*) FROM point p WHERE p.model_id = m.id AND p.deleted = 0), coalesce(m.launched_on, '')," \
	" m.state, m.name_key FROM model m JOIN unit u ON u.code = m.unit_code"                                   \
	" LEFT JOIN choice c ON c.list = 'field' AND c.code = m.field WHERE m.deleted = 0"

/* the same SQL as the core, without it */
static double raw_query(sqlite3 *db, const char *sql, const char *a, const char *b)
{
	double t0 = now_ms();
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "screens: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	if (a)
		sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW)
		;
	sqlite3_finalize(s);
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: screens DB\n");
		return 2;
	}
	struct mh_error err;
	struct store_model_row rows[PAGE];
	enum { RUNS = 30 };
	double t[RUNS * 8], r[RUNS * 8];

	/* open + first page, as the models screen does on entry */
	for (int i = 0; i < RUNS; i++) {
		double t0 = now_ms();
		struct store *st = store_open(argv[1], STORE_READ, &err);
		struct store_model_filter none = {0};
		if (!st || store_model_page(st, &none, NULL, 0, rows, PAGE, &err) != PAGE) {
			fprintf(stderr, "screens: %s\n", err.msg);
			return 1;
		}
		t[i] = now_ms() - t0;
		store_rows_release(rows, PAGE, sizeof *rows);
		store_free(st);
		t0 = now_ms();
		sqlite3 *db;
		sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL);
		raw_query(db,
		          "SELECT m.id, m.name, u.name, (SELECT count(*) FROM point p WHERE p.model_id = m.id AND "
		          "p.deleted = 0)"
		          " FROM model m JOIN unit u ON u.code = m.unit_code WHERE m.deleted = 0"
		          " ORDER BY m.name_key, m.id LIMIT 21",
		          NULL, NULL);
		r[i] = now_ms() - t0;
		sqlite3_close(db);
	}
	report("open + first page of models", t, RUNS, r, RUNS);

	struct store *st = store_open(argv[1], STORE_READ, &err);
	sqlite3 *db;
	sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL);

	/* a search typed key by key */
	static const char *const typed[] = {"t", "th", "tho", "thon",   "thon ", "thon t", "thon tu", "thon tuan",
	                                    "c", "ca", "cam", "camera", "ma",    "ma t",   "ma tu",   "ma tuy"};
	int n = 0;
	for (int rep = 0; rep < 4; rep++)
		for (size_t k = 0; k < sizeof typed / sizeof *typed; k++, n++) {
			struct store_model_filter f = {.search = typed[k]};
			double t0 = now_ms();
			int got = store_model_page(st, &f, NULL, 0, rows, PAGE, &err);
			t[n] = now_ms() - t0;
			store_rows_release(rows, got > 0 ? (size_t)got : 0, sizeof *rows);
			r[n] = raw_query(db,
			                 "SELECT m.id FROM model m WHERE m.deleted = 0 AND instr(m.search_all, ?1) > 0"
			                 " ORDER BY m.name_key, m.id LIMIT 21",
			                 typed[k], NULL);
		}
	report("search keystroke (models)", t, n, r, n);

	/* page down through the list */
	struct store_model_filter none = {0};
	store_model_page(st, &none, NULL, 0, rows, PAGE, &err);
	for (int i = 0; i < RUNS * 4; i++) {
		char *key = strdup(rows[PAGE - 1].key), id[sizeof rows[0].id];
		memcpy(id, rows[PAGE - 1].id, sizeof id);
		store_rows_release(rows, PAGE, sizeof *rows);
		double t0 = now_ms();
		store_model_page(st, &none, key, 0, rows, PAGE, &err);
		t[i] = now_ms() - t0;
		r[i] = raw_query(
		    db, RAW_COLUMNS " AND (m.name_key, m.id) > (?1, ?2) ORDER BY m.name_key, m.id LIMIT 21", key, id);
		free(key);
	}
	store_rows_release(rows, PAGE, sizeof *rows);
	report("page down (models)", t, RUNS * 4, r, RUNS * 4);

	/* the unit picker, key by key, over all 14,161 unit versions */
	static const char *const unit_typed[] = {"v",       "vi",       "vin",      "vinh",      "vinh ", "vinh h",
	                                         "vinh ha", "vinh hao", "p",        "ph",        "pha",   "phan",
	                                         "phan t",  "phan th",  "phan thi", "phan thiet"};
	n = 0;
	for (int rep = 0; rep < 4; rep++)
		for (size_t k = 0; k < sizeof unit_typed / sizeof *unit_typed; k++, n++) {
			int count = 0;
			struct store_unit_filter uf = {.query = unit_typed[k], .limit = 200};
			double t0 = now_ms();
			store_unit_list(st, &uf, unit_row, &count, &err);
			t[n] = now_ms() - t0;
			r[n] =
			    raw_query(db,
			              "SELECT u.code, u.name, p.name, g.name FROM unit u LEFT JOIN unit p ON p.code ="
			              " u.parent_code LEFT JOIN unit g ON g.code = p.parent_code WHERE u.deleted = 0"
			              " AND instr(u.name_fold, ?1) > 0 ORDER BY u.name_key LIMIT 200",
			              unit_typed[k], NULL);
		}
	report("unit picker keystroke", t, n, r, n);

	/* the same keys on a day, over all 14,161 versions: the units in force then, found by the names of
	 * the units they took in too (Xã Vĩnh Hảo for "vinh tan"), next to the plain lookup on the day */
	n = 0;
	for (int rep = 0; rep < 4; rep++)
		for (size_t k = 0; k < sizeof unit_typed / sizeof *unit_typed; k++, n++) {
			int count = 0;
			struct store_unit_filter uf = {.query = unit_typed[k], .on = "2026-06-01", .limit = 200};
			double t0 = now_ms();
			store_unit_list(st, &uf, unit_row, &count, &err);
			t[n] = now_ms() - t0;
			r[n] = raw_query(
			    db,
			    "SELECT u.code, u.name, p.name, g.name FROM unit u LEFT JOIN unit p ON p.code ="
			    " u.parent_code LEFT JOIN unit g ON g.code = p.parent_code WHERE u.deleted = 0"
			    " AND coalesce(u.valid_from, '') <= '2026-06-01' AND coalesce(u.valid_to, '9999') >="
			    " '2026-06-01' AND instr(u.name_fold, ?1) > 0 ORDER BY u.name_key LIMIT 200",
			    unit_typed[k], NULL);
		}
	report("unit picker keystroke, 2026 lineage", t, n, r, n);

	/* the first page of the other lists */
	static const char *const lists[] = {"points list, first page", "due list, first page",
	                                    "evaluations list, first page"};
	for (int l = 0; l < 3; l++) {
		for (int i = 0; i < RUNS; i++) {
			double t0 = now_ms();
			if (l == 2) {
				struct store_evaluation_row ev[PAGE];
				int got = store_evaluation_page(st, NULL, NULL, 0, ev, PAGE, &err);
				store_rows_release(ev, got > 0 ? (size_t)got : 0, sizeof *ev);
			} else {
				struct store_point_row pt[PAGE];
				struct store_point_filter pf = {0};
				pf.due_before = l == 1 ? "2025-01-01" : NULL;
				int got = store_point_page(st, &pf, NULL, 0, pt, PAGE, &err);
				store_rows_release(pt, got > 0 ? (size_t)got : 0, sizeof *pt);
			}
			t[i] = now_ms() - t0;
			static const char *const raw[] = {
			    "SELECT p.id, m.name, u.name, p.sort_key FROM point p JOIN model m ON m.id = p.model_id"
			    " JOIN unit u ON u.code = p.unit_code WHERE p.deleted = 0 ORDER BY p.sort_key LIMIT 21",
			    "SELECT p.id, m.name, u.name FROM point p JOIN model m ON m.id = p.model_id JOIN unit u"
			    " ON u.code = p.unit_code WHERE p.deleted = 0 AND p.status <> 'dung' AND"
			    " coalesce(p.last_evaluated, '0000-00-00') < '2025-01-01' ORDER BY "
			    "coalesce(p.last_evaluated,"
			    " '0000-00-00'), coalesce(p.launched_on, '0000-00-00'), p.id LIMIT 21",
			    "SELECT e.id, m.name, u.name FROM evaluation e JOIN model m ON m.id = e.model_id LEFT JOIN "
			    "point p"
			    " ON p.id = e.point_id LEFT JOIN unit u ON u.code = p.unit_code WHERE e.deleted = 0"
			    " ORDER BY e.period_to DESC, e.period_from DESC, e.id DESC LIMIT 21"};
			r[i] = raw_query(db, raw[l], NULL, NULL);
		}
		report(lists[l], t, RUNS, r, RUNS);
	}

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory of this process (core + SQLite page cache): %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
	sqlite3_close(db);
	store_free(st);
	return 0;
}
