/* Writes a national-scale database, deterministically: at scale 1, about
 * 4,000 models, 124,000 points and 1,000,000 evaluations with realistic
 * Vietnamese text on real unit codes. Rows go in with plain SQL in one
 * transaction (a bulk load: no audit entries), with the folded search text
 * and the sort keys computed by the text engine as the store does.
 *   gen-national DB [SCALE]                                               */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

static uint64_t gen_state = 0x2017201720172017ULL;

static uint64_t gen_rand(void)
{
	gen_state ^= gen_state << 13;
	gen_state ^= gen_state >> 7;
	gen_state ^= gen_state << 17;
	return gen_state;
}

#define PICK(a) (a[gen_rand() % (sizeof a / sizeof *a)])

static const char *const gen_prefix[] = {
    "Tổ",      "Câu lạc bộ",     "Thôn",      "Khu dân cư", "Dòng họ", "Tổ tự quản", "Tổ liên gia", "Tổ hòa giải",
    "Chi hội", "Đội thanh niên", "Tổ phụ nữ", "Cụm dân cư", "Ấp",      "Giáo xứ",    "Chùa",        "Trường học"};
static const char *const gen_topic[] = {"phòng, chống ma túy",
                                        "tự phòng, tự quản",
                                        "bảo vệ an ninh trật tự",
                                        "an toàn giao thông",
                                        "phòng, chống tội phạm",
                                        "chống trộm cắp tài sản",
                                        "hòa giải ở cơ sở",
                                        "camera an ninh",
                                        "ánh sáng an ninh",
                                        "không có tội phạm và tệ nạn xã hội",
                                        "tuần tra ban đêm",
                                        "nông dân với pháp luật",
                                        "giúp người lầm lỗi hoàn lương",
                                        "phòng cháy, chữa cháy",
                                        "bảo vệ đường biên, cột mốc",
                                        "đoàn kết, tương trợ"};
static const char *const gen_fields[] = {"ma-tuy",     "ton-giao",    "dong-toc",   "giao-thong", "toi-pham", "camera",
                                         "chieu-sang", "nong-nghiep", "khu-dan-cu", "phap-luat",  "khac"};
static const char *const gen_sectors[] = {"khu-dan-cu", "doan-the", "co-quan", "doanh-nghiep",
                                          "truong-hoc", "ton-giao", "dong-ho"};
static const char *const gen_good[] = {"Người dân tích cực tham gia, tố giác nhiều vụ việc",
                                       "Tình hình an ninh trật tự địa bàn ổn định, không phát sinh tụ điểm phức tạp",
                                       "Phối hợp chặt chẽ với Công an xã, duy trì sinh hoạt đều đặn",
                                       "Được cấp ủy, chính quyền quan tâm, hỗ trợ kinh phí",
                                       "Giảm rõ rệt các vụ trộm cắp tài sản, cướp giật",
                                       "Thành viên nhiệt tình, có uy tín trong cộng đồng dân cư"};
static const char *const gen_bad[] = {
    "Kinh phí hoạt động còn hạn chế",   "Một số thành viên lớn tuổi, tham gia chưa đều",
    "Phương tiện, trang bị còn thiếu",  "Chế độ báo cáo chưa kịp thời",
    "Chưa có quy chế phối hợp rõ ràng", "Nội dung sinh hoạt còn đơn điệu"};
static const char *const gen_fix[] = {"Đề nghị UBND xã hỗ trợ kinh phí", "Kiện toàn, bổ sung lực lượng trẻ",
                                      "Tập huấn nghiệp vụ định kỳ", "Xây dựng quy chế phối hợp",
                                      "Vận động doanh nghiệp tài trợ phương tiện"};
static const char *const gen_given[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng", "Huỳnh", "Phan",  "Vũ",
                                        "Võ",     "Đặng", "Bùi", "Đỗ",   "Hồ",    "Ngô",   "Dương", "Lý"};
static const char *const gen_middle[] = {"Văn", "Thị", "Hữu", "Minh", "Đức", "Thanh", "Quốc", "Ngọc"};
static const char *const gen_first[] = {"An",  "Bình", "Cường", "Dũng", "Hạnh", "Hoa",   "Hùng", "Lan", "Long", "Mai",
                                        "Nam", "Phúc", "Quang", "Sơn",  "Tâm",  "Thắng", "Thủy", "Tú",  "Vinh", "Yến"};

struct gen_unit {
	char code[8];
	char name[160];      /* with its district and province */
	char short_name[64]; /* "Vĩnh Tân" */
	char province[4];
	char key[200]; /* its name's sort key */
};

static char *gen_fold(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	vn_fold(s, strlen(s), &sb);
	return strbuf_detach(&sb, NULL);
}

static char *gen_key(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	vn_sortkey(s, strlen(s), &sb);
	return strbuf_detach(&sb, NULL);
}

/* Version 7, as the store makes them (store_uuid): a fixed day's milliseconds
 * counted up one per id, then random bits; made in order, they sort in order. */
static void gen_uuid(char out[37])
{
	static uint64_t ms = 1751241600000ULL; /* 2025-06-30 */
	unsigned char b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (unsigned char)gen_rand();
	ms++;
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x70);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
	         b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void gen_date(char out[11], int y0, int y1)
{
	snprintf(out, 11, "%04d-%02d-%02d", y0 + (int)(gen_rand() % (uint64_t)(y1 - y0 + 1)),
	         1 + (int)(gen_rand() % 12), 1 + (int)(gen_rand() % 28));
}

static void gen_die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "gen-national: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void gen_step(sqlite3 *db, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		gen_die(db, "insert");
	sqlite3_reset(s);
}

static double gen_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen-national DB [SCALE]\n");
		return 2;
	}
	double scale = argc > 2 ? atof(argv[2]) : 1.0;
	long nmodels = (long)(4000 * scale), npoints = (long)(124000 * scale), nevals = (long)(1000000 * scale);
	if (nmodels < 1)
		nmodels = 1;
	double t0 = gen_now();
	struct mh_error err;
	struct store *st = store_open(argv[1], STORE_CREATE, &err);
	if (!st || store_office_init(st, "01", NULL, "Bộ Công an (dữ liệu thử)", &err) < 0) {
		fprintf(stderr, "gen-national: %s\n", err.msg);
		return 1;
	}
	char office[64];
	snprintf(office, sizeof office, "%s", store_office_get(st)->id);
	store_free(st);

	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		gen_die(db, "open");
	/* no journal (a file made anew: a failure leaves nothing worth keeping, and WAL again after), the
	 * statement journals and the pages of the one transaction in memory, not spilled row by row */
	sqlite3_exec(db,
	             "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;"
	             " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144; BEGIN",
	             NULL, NULL, NULL);

	/* a bulk load: the record tables' indexes made again after it, each in one sorted pass, rather
	 * than kept up row by row; what the triggers of an insert keep (a point's sort key and last
	 * evaluation, a model's search text) written here at once, the triggers made again after */
	struct strbuf indexes, drops;
	strbuf_init(&indexes);
	strbuf_init(&drops);
	sqlite3_stmt *ix;
	sqlite3_prepare_v2(db,
	                   "SELECT name, sql, type FROM sqlite_schema WHERE (type = 'index' AND sql IS NOT NULL"
	                   " AND tbl_name IN ('model', 'point', 'evaluation')) OR (type = 'trigger' AND name IN"
	                   " ('point_sort_insert', 'point_search_insert', 'point_last_insert'))",
	                   -1, &ix, NULL);
	while (sqlite3_step(ix) == SQLITE_ROW) {
		strbuf_addf(&indexes, "%s;", (const char *)sqlite3_column_text(ix, 1));
		strbuf_addf(&drops, "DROP %s \"%s\";", (const char *)sqlite3_column_text(ix, 2),
		            (const char *)sqlite3_column_text(ix, 0));
	}
	sqlite3_finalize(ix);
	if (sqlite3_exec(db, drops.buf, NULL, NULL, NULL) != SQLITE_OK)
		gen_die(db, "drop index");
	strbuf_release(&drops);

	/* the communes, with their full names for the search text */
	struct gen_unit *units = NULL;
	size_t nunits = 0, cap = 0;
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db,
	                   "SELECT c.code, c.name || ' ' || d.name || ' ' || p.name, p.code,"
	                   " substr(c.name, length(c.type) + 2), c.name_key FROM unit c"
	                   " JOIN unit d ON d.code = c.parent_code JOIN unit p ON p.code = d.parent_code"
	                   " WHERE c.level = 3 ORDER BY c.code",
	                   -1, &q, NULL);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (nunits == cap) {
			cap = cap ? cap * 2 : 1024;
			units = xalloc_realloc(units, cap * sizeof *units);
		}
		snprintf(units[nunits].code, sizeof units[nunits].code, "%s", sqlite3_column_text(q, 0));
		snprintf(units[nunits].name, sizeof units[nunits].name, "%s", sqlite3_column_text(q, 1));
		snprintf(units[nunits].province, sizeof units[nunits].province, "%s", sqlite3_column_text(q, 2));
		snprintf(units[nunits].short_name, sizeof units[nunits].short_name, "%s", sqlite3_column_text(q, 3));
		snprintf(units[nunits].key, sizeof units[nunits].key, "%s", sqlite3_column_text(q, 4));
		nunits++;
	}
	sqlite3_finalize(q);

	const char *now = "2025-06-30T00:00:00Z";
	sqlite3_stmt *im, *ip, *ie, *last, *all;
	if (sqlite3_prepare_v2(
	        db,
	        "INSERT INTO model (id, code, name, name_fold, name_key, field, host_sector, lead_agency,"
	        " unit_code, launched_on, is_pilot, description, search, search_all, state, owner, created_at,"
	        " created_by, updated_at, updated_by)"
	        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?13,'approved',?,?,'gen',?,'gen')",
	        -1, &im, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
	        db,
	        "INSERT INTO point (id, model_id, unit_code, place, launched_on, teams, members, leader,"
	        " status, replicated_from, search, state, owner, created_at, created_by, updated_at,"
	        " updated_by, sort_key, status_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,'approved',?,?,'gen',?,'gen',?,?)",
	        -1, &ip, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "INSERT INTO evaluation (id, model_id, point_id, kind, period_kind, period_from,"
	                       " period_to, reviewer, reviewed_on, rating, strengths, shortcomings, remedies,"
	                       " replicate, search, state, owner, created_at, created_by, updated_at, updated_by)"
	                       " VALUES (?,?,?,?,'nam',?,?,?,?,?,?,?,?,?,?,'approved',?,?,'gen',?,'gen')",
	                       -1, &ie, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE point SET last_evaluated = ?2 WHERE id = ?1", -1, &last, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE model SET search_all = ?2 WHERE id = ?1", -1, &all, NULL) != SQLITE_OK)
		gen_die(db, "prepare");

	long points_done = 0, evals_done = 0;
	char mid[37], pid[37], first_pid[37], eid[37], date[11], buf[512], text[1024];
	for (long m = 0; m < nmodels; m++) {
		const struct gen_unit *home = &units[gen_rand() % nunits];
		snprintf(buf, sizeof buf, "%s %s %s", PICK(gen_prefix), PICK(gen_topic), home->short_name);
		gen_uuid(mid);
		char code[48];
		snprintf(code, sizeof code, "MH-%s-%04ld", home->province, m);
		char *fold = gen_fold(buf), *key = gen_key(buf);
		snprintf(text, sizeof text, "%s %s %s", code, buf, home->name);
		char *search = gen_fold(text);
		gen_date(date, 2005, 2024);
		sqlite3_bind_text(im, 1, mid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(im, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(im, 3, buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(im, 4, fold, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(im, 5, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(im, 6, PICK(gen_fields), -1, SQLITE_STATIC);
		sqlite3_bind_text(im, 7, PICK(gen_sectors), -1, SQLITE_STATIC);
		sqlite3_bind_text(im, 8, "Công an xã", -1, SQLITE_STATIC);
		sqlite3_bind_text(im, 9, home->code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(im, 10, date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(im, 11, gen_rand() % 20 == 0);
		sqlite3_bind_text(im, 12,
		                  "Mô hình do quần chúng nhân dân tự quản, có sự hướng dẫn của lực lượng Công an.", -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(im, 13, search, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(im, 14, office, -1, SQLITE_STATIC);
		sqlite3_bind_text(im, 15, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(im, 16, now, -1, SQLITE_STATIC);
		gen_step(db, im);
		struct strbuf search_all; /* the model's words, then its points' */
		strbuf_init(&search_all);
		strbuf_adds(&search_all, search);
		free(fold);
		free(search);
		/* this model's share of the points, in communes of its province */
		long want_points = (npoints * (m + 1)) / nmodels - points_done;
		for (long p = 0; p < want_points; p++) {
			const struct gen_unit *u = home;
			for (int tries = 0; p > 0 && tries < 8; tries++) {
				u = &units[gen_rand() % nunits];
				if (strcmp(u->province, home->province) == 0)
					break;
			}
			gen_uuid(pid);
			if (p == 0)
				memcpy(first_pid, pid, sizeof pid);
			char leader[96];
			snprintf(leader, sizeof leader, "%s %s %s", PICK(gen_given), PICK(gen_middle), PICK(gen_first));
			snprintf(text, sizeof text, "Thôn %d %s %s", 1 + (int)(gen_rand() % 12), leader, u->name);
			search = gen_fold(text);
			gen_date(date, 2005, 2025);
			sqlite3_bind_text(ip, 1, pid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ip, 2, mid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ip, 3, u->code, -1, SQLITE_TRANSIENT);
			snprintf(buf, sizeof buf, "Thôn %d", 1 + (int)(gen_rand() % 12));
			sqlite3_bind_text(ip, 4, buf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ip, 5, date, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(ip, 6, 1 + (int)(gen_rand() % 5));
			sqlite3_bind_int(ip, 7, 5 + (int)(gen_rand() % 60));
			sqlite3_bind_text(ip, 8, leader, -1, SQLITE_TRANSIENT);
			const char *status = gen_rand() % 10 ? "hoat-dong" : (gen_rand() % 2 ? "cung-co" : "dung");
			sqlite3_bind_text(ip, 9, status, -1, SQLITE_STATIC);
			char stopped
			    [11]; /* a point that stopped says when (the form asks it): a year's end, after its launch */
			int launched = atoi(date);
			snprintf(stopped, sizeof stopped, "%04d-12-31",
			         launched + (int)(gen_rand() % (uint64_t)(2026 - launched)));
			if (strcmp(status, "dung") == 0)
				sqlite3_bind_text(ip, 16, stopped, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(ip, 16);
			if (p > 0)
				sqlite3_bind_text(ip, 10, first_pid, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(ip, 10);
			sqlite3_bind_text(ip, 11, search, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ip, 12, office, -1, SQLITE_STATIC);
			sqlite3_bind_text(ip, 13, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(ip, 14, now, -1, SQLITE_STATIC);
			char *sort_key = xalloc_printf("%s %s %s %s", key, mid, u->key, pid);
			sqlite3_bind_text(ip, 15, sort_key, -1, SQLITE_TRANSIENT);
			gen_step(db, ip);
			free(sort_key);
			strbuf_addc(&search_all, ' ');
			strbuf_adds(&search_all, search);
			free(search);
			points_done++;
			char last_to[11] = "";
			long want_evals = (nevals * points_done) / (npoints ? npoints : 1) - evals_done;
			for (long e = 0; e < want_evals; e++) {
				int year = 2010 + (int)(gen_rand() % 15);
				char from[11], to[11], on[11];
				snprintf(from, sizeof from, "%04d-01-01", year);
				snprintf(to, sizeof to, "%04d-12-31", year);
				snprintf(on, sizeof on, "%04d-12-%02d", year, 10 + (int)(gen_rand() % 20));
				const char *good = PICK(gen_good), *bad = PICK(gen_bad), *fix = PICK(gen_fix);
				snprintf(text, sizeof text, "Công an huyện %s. %s. %s.", good, bad, fix);
				search = gen_fold(text);
				gen_uuid(eid);
				sqlite3_bind_text(ie, 1, eid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ie, 2, mid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ie, 3, pid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ie, 4, gen_rand() % 3 ? "so-ket" : "tong-ket", -1, SQLITE_STATIC);
				sqlite3_bind_text(ie, 5, from, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ie, 6, to, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ie, 7, "Công an huyện", -1, SQLITE_STATIC);
				sqlite3_bind_text(ie, 8, on, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ie, 9, gen_rand() % 5 ? "hieu-qua" : "chua-hieu-qua", -1,
				                  SQLITE_STATIC);
				sqlite3_bind_text(ie, 10, good, -1, SQLITE_STATIC);
				sqlite3_bind_text(ie, 11, bad, -1, SQLITE_STATIC);
				sqlite3_bind_text(ie, 12, fix, -1, SQLITE_STATIC);
				sqlite3_bind_int(ie, 13, gen_rand() % 4 == 0);
				sqlite3_bind_text(ie, 14, search, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(ie, 15, office, -1, SQLITE_STATIC);
				sqlite3_bind_text(ie, 16, now, -1, SQLITE_STATIC);
				sqlite3_bind_text(ie, 17, now, -1, SQLITE_STATIC);
				gen_step(db, ie);
				free(search);
				evals_done++;
				if (strcmp(to, last_to) > 0)
					memcpy(last_to, to, sizeof last_to);
			}
			if (*last_to) {
				sqlite3_bind_text(last, 1, pid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(last, 2, last_to, -1, SQLITE_TRANSIENT);
				gen_step(db, last);
			}
		}
		sqlite3_bind_text(all, 1, mid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(all, 2, search_all.buf, -1, SQLITE_TRANSIENT);
		gen_step(db, all);
		strbuf_release(&search_all);
		free(key);
	}
	if (sqlite3_exec(db, indexes.buf, NULL, NULL, NULL) != SQLITE_OK)
		gen_die(db, "create index");
	strbuf_release(&indexes);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		gen_die(db, "commit");
	sqlite3_finalize(im);
	sqlite3_finalize(ip);
	sqlite3_finalize(ie);
	sqlite3_finalize(last);
	sqlite3_finalize(all);
	sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	sqlite3_close(db);
	free(units);
	double dt = gen_now() - t0;
	long rows = nmodels + points_done + evals_done;
	printf("generated %ld models, %ld points, %ld evaluations in %.1f s: %.0f rows/s\n", nmodels, points_done,
	       evals_done, dt, (double)rows / dt);
	return 0;
}
