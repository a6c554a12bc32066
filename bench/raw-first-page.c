/* The baseline for `mohinh models --limit 50`: the same first page read by a
 * plain SQLite program (same query, same order), for the ratio in make bench.
 *   raw-first-page DB */
#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	sqlite3 *db;
	if (argc != 2 || sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 1;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db,
	                       "SELECT m.id, coalesce(m.code, ''), m.name, u.name, coalesce(c.label, m.field),"
	                       " (SELECT count(*) FROM point p WHERE p.model_id = m.id AND p.deleted = 0),"
	                       " coalesce(m.launched_on, ''), m.state FROM model m JOIN unit u ON u.code = m.unit_code"
	                       " LEFT JOIN choice c ON c.list = 'field' AND c.code = m.field WHERE m.deleted = 0"
	                       " ORDER BY m.name_key, m.id LIMIT 50",
	                       -1, &s, NULL) != SQLITE_OK)
		return 1;
	while (sqlite3_step(s) == SQLITE_ROW)
		printf("%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
		       sqlite3_column_text(s, 2), sqlite3_column_text(s, 3), sqlite3_column_text(s, 4),
		       sqlite3_column_int(s, 5), sqlite3_column_text(s, 6), sqlite3_column_text(s, 7));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return 0;
}
