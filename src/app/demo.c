/* Demo data. Names, places and the 2017 figures follow the Bình Thuận
 * provincial report; the officers' wording of strengths and shortcomings is
 * written for the demo. The records dated after 2017 (a replication of 2019
 * in xã Phong Phú, since divided; 2026 records in the communes of the new
 * Lâm Đồng) are loaded for an office of today only, so that the 2017
 * report of the office of that time stays as it was. */
#include "demo.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "store-unit.h"

struct demo_point {
	const char *key;
	const char *model;
	const char *unit_code;
	const char *place;
	const char *launched_on;
	const char *teams, *members;
	const char *leader;
	const char *status;
	const char *replicated_from; /* key of another point */
};

struct demo_model {
	const char *key;
	const char *code;
	const char *name;
	const char *field;
	const char *host_sector;
	const char *lead_agency;
	const char *unit_code;
	const char *launched_on;
	const char *is_pilot;
	const char *description;
};

struct demo_eval {
	const char *key;
	const char *model;
	const char *point; /* NULL: the whole model */
	const char *kind, *period_kind, *from, *to;
	const char *reviewer, *reviewed_on, *rating;
	const char *strengths, *shortcomings, *remedies;
	const char *replicate, *replicate_where;
};

static const struct demo_model demo_models[] = {
    {"m-kdc-vinhtan", "TP-2017-01", "Khu dân cư bảo vệ an ninh trật tự", "khu-dan-cu", "khu-dan-cu",
     "Công an huyện Tuy Phong", "595", "2017-03-15", "0",
     "Nhân dân khu dân cư tự quản, tự bảo vệ an ninh trật tự, tố giác tội phạm."},
    {"m-clb-nongdan", "TP-2017-02", "Câu lạc bộ Nông dân với pháp luật", "phap-luat", "doan-the",
     "Hội Nông dân xã Vĩnh Hảo", "595", "2017-05-19", "0",
     "Sinh hoạt hằng tháng, tuyên truyền pháp luật cho hội viên nông dân."},
    {"m-thon-matuy", "TP-2017-03", "Thôn tự quản, chống lây lan ma túy", "ma-tuy", "khu-dan-cu",
     "Công an huyện Tuy Phong", "595", "2017-06-26", "0",
     "Thôn tự quản phòng, chống ma túy; giúp đỡ người sau cai nghiện."},
    {"m-tuantra", "BB-2017-01", "Tổ quần chúng tuần tra đảm bảo an ninh tổ quốc", "khu-dan-cu", "khu-dan-cu",
     "Công an huyện Bắc Bình", "596", "2017-04-10", "0", "Tổ quần chúng tuần tra ban đêm tại các thôn giáp ranh."},
    {"m-chucsac", "BB-2017-02", "Chức sắc tôn giáo tham gia đảm bảo an ninh trật tự", "ton-giao", "ton-giao",
     "Công an huyện Bắc Bình", "596", "2017-08-02", "0",
     "Chức sắc, chức việc các tôn giáo vận động tín đồ chấp hành pháp luật."},
    {"m-lienquan", "PT-2016-01", "Tổ liên quân phòng, chống tội phạm", "toi-pham", "khu-dan-cu",
     "Công an thành phố Phan Thiết", "593", "2016-09-01", "0",
     "Tổ liên quân công an, dân quân, bảo vệ dân phố tuần tra khu trung tâm."},
    {"m-anhsang", "PT-2017-01", "Ánh sáng an ninh", "chieu-sang", "khu-dan-cu", "Công an thành phố Phan Thiết", "593",
     "2017-07-27", "0", "Các hộ gia đình thắp sáng đường hẻm vào ban đêm."},
    {"m-camera", "BT-2017-01", "Camera an ninh", "camera", "khu-dan-cu", "Công an tỉnh Bình Thuận", "60", "2017-10-20",
     "1", "Mô hình điểm: camera giám sát tại các tuyến đường chính của xã, nối về Công an xã."},
    {"m-dongtoc", "HTB-2017-01", "Dòng tộc văn hóa tự phòng, tự quản", "dong-toc", "dong-ho",
     "Công an huyện Hàm Thuận Bắc", "597", "2017-11-12", "0", "Các dòng tộc cam kết con cháu không vi phạm pháp luật."},
    {"m-thanhlong", "HTB-2017-02", "Tổ Thanh long VietGap tự phòng, tự quản về an ninh trật tự", "nong-nghiep",
     "doanh-nghiep", "Công an huyện Hàm Thuận Bắc", "597", "2017-12-05", "0",
     "Tổ hợp tác trồng thanh long VietGap bảo vệ vườn, chống trộm cắp nông sản."},
    {"m-camera-xa", "TP-2026-01", "Camera an ninh kết nối Công an xã", "camera", "khu-dan-cu", "Công an xã Tuy Phong",
     "22978", "2026-04-15", "0", "Camera tại các trục đường chính của xã, hình ảnh truyền về Công an xã."},
};

static const struct demo_point demo_points[] = {
    {"p-kdc-vinhtan", "m-kdc-vinhtan", "22984", "Thôn Vĩnh Phúc", "2017-03-15", "3", "24", "Nguyễn Văn Tư", "hoat-dong",
     NULL},
    {"p-clb-vinhhao", "m-clb-nongdan", "22981", "Thôn Vĩnh Thủy", "2017-05-19", "1", "45", "Trần Thị Hạnh", "hoat-dong",
     NULL},
    {"p-matuy-vinhtan", "m-thon-matuy", "22984", "Thôn Vĩnh Hưng", "2017-06-26", "2", "18", "Lê Văn Sáu", "hoat-dong",
     NULL},
    {"p-matuy-phuocthe", "m-thon-matuy", "22990", "Thôn Thanh Sơn", "2017-09-14", "2", "15", "Phạm Văn Lợi", "cung-co",
     "p-matuy-vinhtan"},
    {"p-tuantra-phanthanh", "m-tuantra", "23038", "Thôn Tân Điền", "2017-04-10", "4", "32", "Võ Văn Mười", "hoat-dong",
     NULL},
    {"p-tuantra-phanhoa", "m-tuantra", "23035", "Thôn Xuân Hòa", "2017-08-21", "3", "21", "Đặng Văn Thành", "hoat-dong",
     "p-tuantra-phanthanh"},
    {"p-chucsac-phanrithanh", "m-chucsac", "23050", "Giáo xứ Phan Rí Thành", "2017-08-02", "1", "12", "Nguyễn Văn Phúc",
     "hoat-dong", NULL},
    {"p-lienquan-ducthang", "m-lienquan", "22948", "Khu phố 2", "2016-09-01", "2", "16", "Huỳnh Văn Cường", "dung",
     NULL},
    {"p-anhsang-phuthuy", "m-anhsang", "22924", "Khu phố 5", "2017-07-27", "1", "60", "Trương Thị Mai", "hoat-dong",
     NULL},
    {"p-camera-hamliem", "m-camera", "23095", "Trục đường ĐT 711", "2017-10-20", "1", "9", "Lê Minh Hoàng", "hoat-dong",
     NULL},
    {"p-dongtoc-hamtri", "m-dongtoc", "23089", "Thôn 2", "2017-11-12", "5", "70", "Nguyễn Hữu Nghĩa", "hoat-dong",
     NULL},
    {"p-thanhlong-hamliem", "m-thanhlong", "23095", "Thôn Ninh Thuận", "2017-12-05", "1", "27", "Phan Văn Đức",
     "hoat-dong", NULL},
    {"p-matuy-phongphu", "m-thon-matuy", "22978", "Thôn Phú Điền", "2019-05-01", "2", "14", "Đỗ Văn Bảy", "hoat-dong",
     "p-matuy-vinhtan"},
    {"p-kdc-vinhhao-2026", "m-kdc-vinhtan", "22981", "Thôn Vĩnh Phúc", "2026-03-10", "2", "20", "Lê Thị Hoa",
     "hoat-dong", "p-kdc-vinhtan"},
    {"p-camera-tuyphong", "m-camera-xa", "22978", "Quốc lộ 1A qua xã", "2026-04-15", "1", "6", "Trần Văn Hùng",
     "hoat-dong", NULL},
    {"p-camera-phuquy", "m-camera-xa", "23272", "Khu vực cảng Phú Quý", "2026-09-01", "1", "5", "Nguyễn Văn Biển",
     "hoat-dong", "p-camera-tuyphong"},
};

static const struct demo_eval demo_evals[] = {
    {"e-kdc-2017", "m-kdc-vinhtan", "p-kdc-vinhtan", "so-ket", "nam", "2017-01-01", "2017-12-31",
     "Công an huyện Tuy Phong", "2017-12-20", "hieu-qua",
     "Người dân tích cực tham gia; tố giác 5 vụ trộm cắp tài sản; không để xảy ra tụ điểm phức tạp.",
     "Kinh phí hoạt động còn thiếu; một số thành viên lớn tuổi, tham gia chưa đều.",
     "Đề nghị UBND xã hỗ trợ kinh phí; bổ sung đoàn viên thanh niên vào tổ.", "1", "Các xã ven biển huyện Tuy Phong"},
    {"e-clb-2017", "m-clb-nongdan", "p-clb-vinhhao", "so-ket", "nam", "2017-01-01", "2017-12-31",
     "Công an huyện Tuy Phong", "2017-12-22", "hieu-qua",
     "Sinh hoạt đều đặn hằng tháng; hội viên hiểu và chấp hành tốt pháp luật về đất đai, môi trường.",
     "Tài liệu tuyên truyền chưa phong phú; nội dung sinh hoạt có lúc trùng lặp.",
     "Phối hợp Phòng Tư pháp biên soạn tài liệu hỏi - đáp.", "1", "Xã Vĩnh Tân, xã Phước Thể"},
    {"e-tuantra-2017", "m-tuantra", "p-tuantra-phanthanh", "so-ket", "nam", "2017-01-01", "2017-12-31",
     "Công an huyện Bắc Bình", "2017-12-18", "hieu-qua",
     "Tuần tra 96 ca đêm; phát hiện, giao Công an xã 3 đối tượng trộm cắp.",
     "Phương tiện, đèn pin, áo phản quang còn thiếu.", "Vận động doanh nghiệp địa phương tài trợ phương tiện.", "1",
     "Xã Phan Hòa"},
    {"e-lienquan-2017", "m-lienquan", "p-lienquan-ducthang", "tong-ket", "giai-doan", "2016-09-01", "2017-12-31",
     "Công an thành phố Phan Thiết", "2017-12-28", "hieu-qua",
     "Tình hình trộm cắp, cướp giật ở khu trung tâm giảm rõ rệt.",
     "Lực lượng bảo vệ dân phố thay đổi nhiều, phải tập huấn lại.", "Tập huấn nghiệp vụ 6 tháng một lần.", "1",
     "Các phường trung tâm thành phố Phan Thiết"},
    {"e-camera-2017", "m-camera", NULL, "danh-gia", "dot-xuat", "2017-10-20", "2017-12-31",
     "Ban Chỉ đạo tỉnh Bình Thuận", "2017-12-29", "hieu-qua",
     "Hình ảnh camera giúp làm rõ 2 vụ tai nạn giao thông và 1 vụ trộm xe máy; người dân đồng tình, "
     "đóng góp kinh phí lắp đặt.",
     "Đường truyền còn chập chờn vào mùa mưa; chưa có người trực màn hình ban đêm.",
     "Nâng cấp đường truyền; phân công dân quân trực luân phiên.", "1", "Toàn tỉnh Bình Thuận"},
    {"e-camera-xa-2026", "m-camera-xa", "p-camera-tuyphong", "so-ket", "nua-nam", "2026-04-15", "2026-06-30",
     "Công an xã Tuy Phong", "2026-07-06", "hieu-qua",
     "Hình ảnh camera giúp xác minh nhanh 3 vụ việc; người dân đóng góp lắp thêm 4 mắt camera.",
     "Chưa có quy chế khai thác hình ảnh thống nhất với các thôn.", "Ban hành quy chế phối hợp khai thác camera.", "1",
     "Đặc khu Phú Quý và các xã ven biển"},
};

/* A record dated after 2017 is for an office of today (see above). */
static int demo_later(const char *date)
{
	return date && strcmp(date, "2017-12-31") > 0;
}

/* A record id made from the office id and the demo key: stable for one
 * office, different between offices (FNV-1a, two lanes). */
static void demo_id(const char *office, const char *key, char out[STORE_ID_LEN + 1])
{
	uint64_t h[2] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
	for (int lane = 0; lane < 2; lane++) {
		for (const char *s = office; *s; s++)
			h[lane] = (h[lane] ^ (unsigned char)*s) * 0x100000001b3ULL;
		h[lane] = (h[lane] ^ (unsigned char)'/') * 0x100000001b3ULL;
		for (const char *s = key; *s; s++)
			h[lane] = (h[lane] ^ (unsigned char)*s) * 0x100000001b3ULL;
	}
	unsigned char b[16];
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h[0] >> (8 * i));
		b[8 + i] = (unsigned char)(h[1] >> (8 * i));
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x80); /* version 8: made by us */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, STORE_ID_LEN + 1, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
	         b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static const struct demo_model *demo_model_of(const char *key)
{
	for (size_t i = 0; i < sizeof demo_models / sizeof *demo_models; i++)
		if (strcmp(demo_models[i].key, key) == 0)
			return &demo_models[i];
	return NULL;
}

/* The unit of the model's first point in the area, or NULL when it has none there. */
static const char *demo_model_in_area(struct store *st, const char *key, const char *area, int today)
{
	for (size_t i = 0; i < sizeof demo_points / sizeof *demo_points; i++)
		if (strcmp(demo_points[i].model, key) == 0 && (today || !demo_later(demo_points[i].launched_on)) &&
		    store_unit_within(st, demo_points[i].unit_code, area))
			return demo_points[i].unit_code;
	return NULL;
}

static int demo_point_in_area(struct store *st, const char *key, const char *area)
{
	for (size_t i = 0; i < sizeof demo_points / sizeof *demo_points; i++)
		if (strcmp(demo_points[i].key, key) == 0)
			return store_unit_within(st, demo_points[i].unit_code, area);
	return 0;
}

/* Phường Đức Thắng (Thành phố Phan Thiết): merged into Phường Lạc Đạo in
 * 2024, not in the 2025 list, named by the 2016-2017 records. */
static int demo_historic_unit(struct store *st, const char *area, struct demo_result *r, struct mh_error *err)
{
	struct store_unit u;
	if (store_unit_get(st, "22948", &u, NULL) == 0 || !store_unit_within(st, "593", area))
		return 0;
	memset(&u, 0, sizeof u);
	snprintf(u.code, sizeof u.code, "22948");
	snprintf(u.parent_code, sizeof u.parent_code, "593");
	snprintf(u.type, sizeof u.type, "Phường");
	snprintf(u.name, sizeof u.name, "Phường Đức Thắng");
	snprintf(u.valid_to, sizeof u.valid_to, "2024-10-31");
	snprintf(u.replaced_by, sizeof u.replaced_by, "22945");
	if (store_unit_add(st, &u, err) < 0)
		return -1;
	r->units++;
	return 0;
}

static int demo_add(struct store *st, const char *table, const char *id, struct store_kv *kv, size_t n, int *added,
                    struct demo_result *r, struct mh_error *err)
{
	if (store_record_exists(st, table, id)) {
		r->skipped++;
		return 0;
	}
	kv[n].col = "id";
	kv[n].val = id;
	if (store_record_insert(st, table, kv, n + 1, NULL, err) < 0)
		return -1;
	(*added)++;
	return 0;
}

int demo_load(struct store *st, struct demo_result *r, struct mh_error *err)
{
	memset(r, 0, sizeof *r);
	const struct store_office *office = store_office_get(st);
	if (!office)
		return mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	const char *area = office->unit_code;
	/* an office of today gets the later records too */
	struct store_unit u;
	char today[11];
	store_today(today);
	int now = store_unit_get(st, area, &u, NULL) == 0 && store_unit_in_force(&u, today);
	char oid[STORE_ID_LEN + 1];
	snprintf(oid, sizeof oid, "%s", office->id);
	if (store_begin(st, err) < 0)
		return -1;
	int ok = demo_historic_unit(st, area, r, err) == 0;
	for (size_t i = 0; ok && i < sizeof demo_models / sizeof *demo_models; i++) {
		const struct demo_model *m = &demo_models[i];
		const char *first =
		    (!now && demo_later(m->launched_on)) ? NULL : demo_model_in_area(st, m->key, area, now);
		if (!first)
			continue;
		char id[STORE_ID_LEN + 1];
		demo_id(oid, m->key, id);
		/* an office keeps the model under its own unit when it was built above it, or,
		 * when that unit did not exist yet (a commune police of today, a 2017 model),
		 * under the unit of its first point then */
		const char *unit = store_unit_within(st, m->unit_code, area)                     ? m->unit_code
		                   : u.valid_from[0] && strcmp(m->launched_on, u.valid_from) < 0 ? first
		                                                                                 : area;
		struct store_kv kv[] = {{"code", m->code},
		                        {"name", m->name},
		                        {"field", m->field},
		                        {"host_sector", m->host_sector},
		                        {"lead_agency", m->lead_agency},
		                        {"unit_code", unit},
		                        {"launched_on", m->launched_on},
		                        {"is_pilot", m->is_pilot},
		                        {"description", m->description},
		                        {NULL, NULL}};
		ok = demo_add(st, "model", id, kv, 9, &r->models, r, err) == 0;
	}
	for (size_t i = 0; ok && i < sizeof demo_points / sizeof *demo_points; i++) {
		const struct demo_point *p = &demo_points[i];
		if ((!now && demo_later(p->launched_on)) || !store_unit_within(st, p->unit_code, area))
			continue;
		char id[STORE_ID_LEN + 1], model[STORE_ID_LEN + 1], from[STORE_ID_LEN + 1];
		demo_id(oid, p->key, id);
		demo_id(oid, p->model, model);
		int has_from = p->replicated_from && demo_point_in_area(st, p->replicated_from, area);
		if (has_from)
			demo_id(oid, p->replicated_from, from);
		struct store_kv kv[] = {{"model_id", model},
		                        {"unit_code", p->unit_code},
		                        {"place", p->place},
		                        {"launched_on", p->launched_on},
		                        {"teams", p->teams},
		                        {"members", p->members},
		                        {"leader", p->leader},
		                        {"status", p->status},
		                        {"status_on", strcmp(p->status, "dung") == 0 ? "2018-06-30" : NULL},
		                        {"replicated_from", has_from ? from : NULL},
		                        {NULL, NULL}};
		ok = demo_add(st, "point", id, kv, 10, &r->points, r, err) == 0;
	}
	for (size_t i = 0; ok && i < sizeof demo_evals / sizeof *demo_evals; i++) {
		const struct demo_eval *e = &demo_evals[i];
		if ((!now && demo_later(e->from)) ||
		    (e->point ? !demo_point_in_area(st, e->point, area) : !demo_model_in_area(st, e->model, area, now)))
			continue;
		const struct demo_model *m = demo_model_of(e->model);
		if (!e->point && m && !store_unit_within(st, m->unit_code, area))
			continue; /* the province's own review of a whole model stays there */
		char id[STORE_ID_LEN + 1], model[STORE_ID_LEN + 1], point[STORE_ID_LEN + 1];
		demo_id(oid, e->key, id);
		demo_id(oid, e->model, model);
		if (e->point)
			demo_id(oid, e->point, point);
		struct store_kv kv[] = {{"model_id", model},
		                        {"point_id", e->point ? point : NULL},
		                        {"kind", e->kind},
		                        {"period_kind", e->period_kind},
		                        {"period_from", e->from},
		                        {"period_to", e->to},
		                        {"reviewer", e->reviewer},
		                        {"reviewed_on", e->reviewed_on},
		                        {"rating", e->rating},
		                        {"strengths", e->strengths},
		                        {"shortcomings", e->shortcomings},
		                        {"remedies", e->remedies},
		                        {"replicate", e->replicate},
		                        {"replicate_where", e->replicate_where},
		                        {NULL, NULL}};
		ok = demo_add(st, "evaluation", id, kv, 14, &r->evaluations, r, err) == 0;
	}
	return store_end(st, ok, err);
}
