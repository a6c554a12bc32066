/* The schema: migrations (PRAGMA user_version) and the record tables'
 * columns. Every synced table carries id (a UUID, store_uuid), owner (the office
 * that may change it), rev (raised on every change), deleted (a tombstone),
 * created/updated at (UTC) and by. The database needs nothing but the plain
 * sqlite3 shell to be read and sorted: no custom collation or function. */
#include <string.h>

#include "formdef.h"
#include "i18n.h"
#include "store-internal.h"

#define SYNC_COLUMNS                                                                     \
	"owner TEXT NOT NULL, rev INTEGER NOT NULL DEFAULT 1 CHECK (rev >= 1), "         \
	"deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)), "                 \
	"created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL, " \
	"updated_by TEXT NOT NULL"
#define REVIEW_COLUMNS \
	"state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'approved', 'returned')), "

static const char store_schema_v1[] =
    "CREATE TABLE unit ("
    " code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 10 AND code NOT GLOB '*[^0-9]*'),"
    " parent_code TEXT REFERENCES unit(code),"
    " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
    " type TEXT NOT NULL, name TEXT NOT NULL CHECK (name <> ''),"
    " name_fold TEXT NOT NULL, name_key TEXT NOT NULL,"
    " valid_from TEXT, valid_to TEXT, replaced_by TEXT REFERENCES unit(code), " SYNC_COLUMNS ");"
    "CREATE INDEX unit_parent ON unit(parent_code);"
    "CREATE INDEX unit_key ON unit(name_key);"
    "CREATE TABLE office ("
    " id TEXT PRIMARY KEY, unit_code TEXT NOT NULL REFERENCES unit(code),"
    " name TEXT NOT NULL, created_at TEXT NOT NULL,"
    " this INTEGER NOT NULL DEFAULT 0 CHECK (this IN (0, 1)));"
    "CREATE UNIQUE INDEX office_this ON office(this) WHERE this = 1;"
    "CREATE TABLE choice ("
    " list TEXT NOT NULL, code TEXT NOT NULL, label TEXT NOT NULL, ord INTEGER NOT NULL,"
    " PRIMARY KEY (list, code)) WITHOUT ROWID;"
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE model ("
    " id TEXT PRIMARY KEY, code TEXT,"
    " name TEXT NOT NULL CHECK (name <> ''), name_fold TEXT NOT NULL, name_key TEXT NOT NULL,"
    " field TEXT NOT NULL, host_sector TEXT, lead_agency TEXT,"
    " unit_code TEXT NOT NULL REFERENCES unit(code),"
    " launched_on TEXT, is_pilot INTEGER NOT NULL DEFAULT 0 CHECK (is_pilot IN (0, 1)),"
    " description TEXT, search TEXT NOT NULL, " REVIEW_COLUMNS SYNC_COLUMNS ");"
    "CREATE INDEX model_key ON model(name_key, id);"
    "CREATE INDEX model_unit ON model(unit_code);"
    "CREATE TABLE point ("
    " id TEXT PRIMARY KEY, model_id TEXT NOT NULL REFERENCES model(id),"
    " unit_code TEXT NOT NULL REFERENCES unit(code), place TEXT,"
    " launched_on TEXT, teams INTEGER CHECK (teams >= 0), members INTEGER CHECK (members >= 0),"
    " leader TEXT, status TEXT NOT NULL DEFAULT 'operating', status_on TEXT,"
    " replicated_from TEXT REFERENCES point(id), note TEXT, search TEXT NOT NULL, " REVIEW_COLUMNS SYNC_COLUMNS ");"
    "CREATE INDEX point_model ON point(model_id);"
    "CREATE INDEX point_unit ON point(unit_code);"
    "CREATE TABLE evaluation ("
    " id TEXT PRIMARY KEY, model_id TEXT NOT NULL REFERENCES model(id),"
    " point_id TEXT REFERENCES point(id),"
    " kind TEXT NOT NULL, period_kind TEXT NOT NULL,"
    " period_from TEXT NOT NULL, period_to TEXT NOT NULL CHECK (period_to >= period_from),"
    " reviewer TEXT, reviewed_on TEXT, rating TEXT,"
    " strengths TEXT, shortcomings TEXT, remedies TEXT,"
    " replicate INTEGER NOT NULL DEFAULT 0 CHECK (replicate IN (0, 1)), replicate_where TEXT,"
    " search TEXT NOT NULL, " REVIEW_COLUMNS SYNC_COLUMNS ");"
    "CREATE INDEX evaluation_point ON evaluation(point_id);"
    "CREATE INDEX evaluation_model ON evaluation(model_id);"
    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL,"
    " office TEXT NOT NULL, user TEXT NOT NULL, tbl TEXT NOT NULL, record_id TEXT NOT NULL,"
    " action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'state')),"
    " field TEXT, old TEXT, new TEXT);"
    "CREATE INDEX audit_record ON audit(tbl, record_id);"
    /* the choice lists the forms use */
    "INSERT INTO choice VALUES"
    " ('field','ma-tuy','Phòng, chống ma túy',1),"
    " ('field','ton-giao','Tôn giáo',2),"
    " ('field','dong-toc','Dòng tộc, gia đình',3),"
    " ('field','giao-thong','Trật tự an toàn giao thông',4),"
    " ('field','toi-pham','Phòng, chống tội phạm',5),"
    " ('field','camera','Camera an ninh',6),"
    " ('field','chieu-sang','Chiếu sáng, ánh sáng an ninh',7),"
    " ('field','nong-nghiep','Sản xuất nông nghiệp',8),"
    " ('field','khu-dan-cu','An ninh trật tự khu dân cư',9),"
    " ('field','phap-luat','Tuyên truyền pháp luật',10),"
    " ('field','khac','Khác',99),"
    " ('host_sector','khu-dan-cu','Khu dân cư',1),"
    " ('host_sector','doan-the','Tổ chức chính trị - xã hội',2),"
    " ('host_sector','co-quan','Cơ quan',3),"
    " ('host_sector','doanh-nghiep','Doanh nghiệp',4),"
    " ('host_sector','truong-hoc','Nhà trường',5),"
    " ('host_sector','ton-giao','Cơ sở tôn giáo',6),"
    " ('host_sector','dong-ho','Dòng họ',7),"
    " ('rating','hieu-qua','Hoạt động hiệu quả',1),"
    " ('rating','chua-hieu-qua','Chưa hiệu quả',2),"
    " ('rating','tot','Tốt',3),"
    " ('rating','kha','Khá',4),"
    " ('rating','trung-binh','Trung bình',5),"
    " ('rating','yeu','Yếu',6),"
    " ('eval_kind','so-ket','Sơ kết',1),"
    " ('eval_kind','tong-ket','Tổng kết',2),"
    " ('eval_kind','danh-gia','Đánh giá',3),"
    " ('period_kind','nua-nam','6 tháng',1),"
    " ('period_kind','nam','Năm',2),"
    " ('period_kind','giai-doan','Giai đoạn nhiều năm',3),"
    " ('period_kind','dot-xuat','Đột xuất',4),"
    " ('point_status','hoat-dong','Đang hoạt động',1),"
    " ('point_status','cung-co','Củng cố, kiện toàn',2),"
    " ('point_status','dung','Ngừng hoạt động',3);";

/* 2: forms left unsaved, kept until saved or dropped (the screens' drafts) */
static const char store_schema_v2[] = "CREATE TABLE draft ("
                                      " form TEXT NOT NULL, record TEXT NOT NULL, user TEXT NOT NULL,"
                                      " fields TEXT NOT NULL, saved_at TEXT NOT NULL,"
                                      " PRIMARY KEY (form, record, user)) WITHOUT ROWID;";

/* 3: indexes and derived columns so that every list pages through an index.
 * point.sort_key (model name, model, unit name, point) orders the points list;
 * point.last_evaluated (the end of the point's latest evaluation) orders the
 * due list. Both are kept by triggers: plain SQL, readable by the sqlite3
 * shell, never synced (they are derived). */
// clang-format off
#define STORE_POINT_SORT_KEY(p) \
	"(SELECT m.name_key || ' ' || m.id FROM model m WHERE m.id = " p ".model_id) || ' ' ||" \
	" (SELECT u.name_key FROM unit u WHERE u.code = " p ".unit_code) || ' ' || " p ".id"
#define STORE_POINT_LAST(p) \
	"(SELECT max(e.period_to) FROM evaluation e WHERE e.point_id = " p " AND e.deleted = 0)"

static const char store_schema_v3[] =
	"CREATE INDEX evaluation_period ON evaluation(period_to, period_from, id);"
	"CREATE INDEX evaluation_model_period ON evaluation(model_id, period_to);"
	"ALTER TABLE point ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE point ADD COLUMN last_evaluated TEXT;"
	"UPDATE point SET sort_key = " STORE_POINT_SORT_KEY("point") ","
	" last_evaluated = " STORE_POINT_LAST("point.id") ";"
	"CREATE INDEX point_sort ON point(sort_key);"
	"CREATE INDEX point_due ON point(coalesce(last_evaluated, '0000-00-00'),"
	" coalesce(launched_on, '0000-00-00'), id);"
	"CREATE TRIGGER point_sort_insert AFTER INSERT ON point BEGIN"
	" UPDATE point SET sort_key = " STORE_POINT_SORT_KEY("NEW") " WHERE id = NEW.id; END;"
	"CREATE TRIGGER point_sort_update AFTER UPDATE OF model_id, unit_code ON point BEGIN"
	" UPDATE point SET sort_key = " STORE_POINT_SORT_KEY("NEW") " WHERE id = NEW.id; END;"
	"CREATE TRIGGER point_sort_model AFTER UPDATE OF name_key ON model BEGIN"
	" UPDATE point SET sort_key = " STORE_POINT_SORT_KEY("point") " WHERE model_id = NEW.id; END;"
	"CREATE TRIGGER point_sort_unit AFTER UPDATE OF name_key ON unit BEGIN"
	" UPDATE point SET sort_key = " STORE_POINT_SORT_KEY("point") " WHERE unit_code = NEW.code; END;"
	"CREATE TRIGGER point_last_insert AFTER INSERT ON evaluation WHEN NEW.point_id IS NOT NULL BEGIN"
	" UPDATE point SET last_evaluated = " STORE_POINT_LAST("NEW.point_id") " WHERE id = NEW.point_id; END;"
	"CREATE TRIGGER point_last_update AFTER UPDATE OF period_to, deleted, point_id ON evaluation BEGIN"
	" UPDATE point SET last_evaluated = " STORE_POINT_LAST("point.id")
	" WHERE id IN (NEW.point_id, OLD.point_id); END;";
// clang-format on

/* 4: the forces a model brings together (several choices); models found by
 * their folded name (duplicates on import). */
static const char store_schema_v4[] = "ALTER TABLE model ADD COLUMN forces TEXT;"
                                      "CREATE INDEX model_fold ON model(name_fold, unit_code);"
                                      "INSERT INTO choice VALUES"
                                      " ('force','cong-an','Công an',1),"
                                      " ('force','dan-quan','Dân quân tự vệ',2),"
                                      " ('force','bao-ve-dan-pho','Bảo vệ dân phố',3),"
                                      " ('force','doan-thanh-nien','Đoàn Thanh niên',4),"
                                      " ('force','hoi-phu-nu','Hội Phụ nữ',5),"
                                      " ('force','hoi-nong-dan','Hội Nông dân',6),"
                                      " ('force','cuu-chien-binh','Hội Cựu chiến binh',7),"
                                      " ('force','chuc-sac','Chức sắc tôn giáo',8),"
                                      " ('force','nguoi-uy-tin','Người có uy tín',9),"
                                      " ('force','doanh-nghiep','Doanh nghiệp',10),"
                                      " ('force','nha-truong','Nhà trường',11);";

/* 5: accounts and review. Each record keeps who prepared it and who
 * approved it (two signatures) and why it was returned; each audit entry
 * carries the hash of the one before and its own (filled for the entries
 * already there by store_migrate). */
#define STORE_REVIEW_V5(t)                               \
	"ALTER TABLE " t " ADD COLUMN prepared_by TEXT;" \
	"ALTER TABLE " t " ADD COLUMN prepared_at TEXT;" \
	"ALTER TABLE " t " ADD COLUMN approved_by TEXT;" \
	"ALTER TABLE " t " ADD COLUMN approved_at TEXT;" \
	"ALTER TABLE " t " ADD COLUMN reason TEXT;"      \
	"CREATE INDEX " t "_state ON " t "(state, updated_at);"
// clang-format off
static const char store_schema_v5[] =
	"CREATE TABLE account ("
	" name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),"
	" pwhash TEXT NOT NULL, roles TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
	" failures INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE login (at TEXT NOT NULL, name TEXT NOT NULL, ok INTEGER NOT NULL);"
	/* keys: this office's pairs (secrets apart) and the public keys of the offices below */
	"ALTER TABLE office ADD COLUMN sign_pk TEXT;"
	"ALTER TABLE office ADD COLUMN box_pk TEXT;"
	"CREATE UNIQUE INDEX office_unit ON office(unit_code) WHERE this = 0;"
	"CREATE TABLE secret (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	/* every bundle imported, by the hash of its file */
	"CREATE TABLE import_log (hash TEXT PRIMARY KEY, at TEXT NOT NULL, sender TEXT NOT NULL,"
	" kind TEXT NOT NULL, seq INTEGER NOT NULL, created TEXT NOT NULL, added INTEGER NOT NULL,"
	" updated INTEGER NOT NULL, unchanged INTEGER NOT NULL, refused INTEGER NOT NULL) WITHOUT ROWID;"
	/* the bundles this office wrote, and the receipts that came back for them */
	"CREATE TABLE export_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, recipient TEXT NOT NULL,"
	" file TEXT NOT NULL, size INTEGER NOT NULL);"
	"CREATE TABLE receipt_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, sender TEXT NOT NULL,"
	" summary TEXT NOT NULL);"
	STORE_REVIEW_V5("model") STORE_REVIEW_V5("point") STORE_REVIEW_V5("evaluation")
	"CREATE INDEX audit_record_id ON audit(record_id, seq);"
	/* each new entry reads the last hash of its office's chain */
	"CREATE INDEX audit_office ON audit(office, seq);"
	/* the report counts a period's evaluations from this index alone */
	"CREATE INDEX evaluation_done ON evaluation(coalesce(reviewed_on, period_to), deleted, model_id, point_id,"
	" rating, replicate);"
	"ALTER TABLE audit ADD COLUMN prev TEXT;"
	"ALTER TABLE audit ADD COLUMN hash TEXT;"
	/* search as you type reads one text per model: its own words and its points' */
	"ALTER TABLE model ADD COLUMN search_all TEXT NOT NULL DEFAULT '';"
	"UPDATE model SET search_all = " STORE_MODEL_SEARCH_ALL("model") ";"
	"CREATE TRIGGER model_search_insert AFTER INSERT ON model BEGIN"
	" UPDATE model SET search_all = " STORE_MODEL_SEARCH_ALL("model") " WHERE id = NEW.id; END;"
	"CREATE TRIGGER model_search_update AFTER UPDATE OF search ON model BEGIN"
	" UPDATE model SET search_all = " STORE_MODEL_SEARCH_ALL("model") " WHERE id = NEW.id; END;"
	"CREATE TRIGGER point_search_insert AFTER INSERT ON point BEGIN"
	" UPDATE model SET search_all = " STORE_MODEL_SEARCH_ALL("model") " WHERE id = NEW.model_id; END;"
	"CREATE TRIGGER point_search_update AFTER UPDATE OF search, deleted, model_id ON point BEGIN"
	" UPDATE model SET search_all = " STORE_MODEL_SEARCH_ALL("model") " WHERE id IN (NEW.model_id, OLD.model_id); END;";

/* 6: sync between several PCs of one office and reference data from above:
 * each row says which PC (device) made its version and from which other
 * PC's version it was made (base, "device:rev"), so two PCs changing one
 * record are told apart from one following the other; a choice taken away
 * upstream is kept, inactive; conflicts wait for a person. */
#define STORE_DEVICE_V6(t) "ALTER TABLE " t " ADD COLUMN device TEXT; ALTER TABLE " t " ADD COLUMN base TEXT;"
static const char store_schema_v6[] =
	STORE_DEVICE_V6("unit") STORE_DEVICE_V6("model") STORE_DEVICE_V6("point") STORE_DEVICE_V6("evaluation")
	"ALTER TABLE choice ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));"
	"ALTER TABLE import_log ADD COLUMN device TEXT;"
	"ALTER TABLE import_log ADD COLUMN generation TEXT;"
	"ALTER TABLE import_log ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE conflict (id INTEGER PRIMARY KEY, at TEXT NOT NULL, tbl TEXT NOT NULL,"
	" record_id TEXT NOT NULL, bundle TEXT NOT NULL, theirs TEXT NOT NULL,"
	" resolved_at TEXT, resolved_by TEXT, resolution TEXT);"
	"CREATE UNIQUE INDEX conflict_once ON conflict(tbl, record_id, theirs);"
	/* a key lost or stolen: its bundles are refused from then on */
	"ALTER TABLE office ADD COLUMN revoked_at TEXT;"
	/* the form files the office above sent: they replace this PC's of the same name */
	"CREATE TABLE form_text (name TEXT PRIMARY KEY, text TEXT NOT NULL, ref_version INTEGER NOT NULL) WITHOUT ROWID;";
// clang-format on

/* 7: units as dated versions with lineage (the 2025 reform, units.md). A
 * unit row is one version: `code` is its key, the GSO code itself for the
 * versions of the 2025-03 list and the historic units before them, and
 * "CODE@YYYY-MM-DD" (the day it began) for a later version of a code, so
 * that every record keeps pointing at the version it meant and a reused code
 * never overwrites the old meaning; `gso` is the code as people write it,
 * derived from the key (a bundle of schema 6 has no such column).
 * A link joins a version to its successor: the whole of it or a part (a
 * divided commune), what moved (area and population, area only, population
 * only, a new name, a new type), the day and the clause of the resolution.
 * A point of a divided commune may carry the successor an officer chose.
 * The table is rebuilt (its key's check changes) with foreign keys off:
 * store_migrate checks them all before it commits. */
// clang-format off
#define STORE_UNIT_SEARCH(c) \
	"(SELECT u2.name_fold || coalesce((SELECT group_concat(' ' || p.name_fold, '') FROM unit_link l" \
	" JOIN unit p ON p.code = l.from_code WHERE l.to_code = u2.code), '') FROM unit u2 WHERE u2.code = " c ")"
static const char store_schema_v7[] =
	"CREATE TEMP TABLE unit_v6 AS SELECT * FROM main.unit;"
	"DROP TABLE main.unit;"
	"CREATE TABLE unit ("
	" code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 21 AND code GLOB '[0-9][0-9]*'),"
	" gso TEXT GENERATED ALWAYS AS (substr(code, 1, instr(code || '@', '@') - 1)) STORED"
	"  CHECK (length(gso) BETWEEN 2 AND 10 AND gso NOT GLOB '*[^0-9]*'),"
	" parent_code TEXT REFERENCES unit(code),"
	" level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
	" type TEXT NOT NULL, name TEXT NOT NULL CHECK (name <> ''),"
	" name_fold TEXT NOT NULL, name_key TEXT NOT NULL,"
	" valid_from TEXT, valid_to TEXT, replaced_by TEXT REFERENCES unit(code), legal_ref TEXT, "
	SYNC_COLUMNS ", device TEXT, base TEXT, search TEXT,"
	" CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to));"
	"INSERT INTO unit (code, parent_code, level, type, name, name_fold, name_key, valid_from, valid_to,"
	" replaced_by, owner, rev, deleted, created_at, created_by, updated_at, updated_by, device, base)"
	" SELECT code, parent_code, level, type, name, name_fold, name_key, valid_from, valid_to,"
	" replaced_by, owner, rev, deleted, created_at, created_by, updated_at, updated_by, device, base"
	" FROM temp.unit_v6;"
	"DROP TABLE temp.unit_v6;"
	"CREATE INDEX unit_parent ON unit(parent_code);"
	"CREATE INDEX unit_key ON unit(name_key);"
	"CREATE INDEX unit_gso ON unit(gso, valid_from);"
	"CREATE TRIGGER point_sort_unit AFTER UPDATE OF name_key ON unit BEGIN"
	" UPDATE point SET sort_key = " STORE_POINT_SORT_KEY("point") " WHERE unit_code = NEW.code; END;"
	"CREATE TABLE unit_link ("
	" from_code TEXT NOT NULL REFERENCES unit(code), to_code TEXT NOT NULL REFERENCES unit(code),"
	" share TEXT NOT NULL CHECK (share IN ('whole', 'part')),"
	" detail TEXT NOT NULL CHECK (detail IN ('area+population', 'area', 'population', 'rename', 'retype')),"
	" on_date TEXT NOT NULL, clause TEXT NOT NULL DEFAULT '',"
	" owner TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,"
	" PRIMARY KEY (from_code, to_code), CHECK (from_code <> to_code)) WITHOUT ROWID;"
	"CREATE INDEX unit_link_to ON unit_link(to_code);"
	/* the picker on a day finds a unit by the names of the units it took in too: its own folded
	 * name and theirs in one text (NULL: its name alone), kept by triggers */
	"CREATE TRIGGER unit_link_search_insert AFTER INSERT ON unit_link BEGIN"
	" UPDATE unit SET search = " STORE_UNIT_SEARCH("NEW.to_code") " WHERE code = NEW.to_code; END;"
	"CREATE TRIGGER unit_link_search_delete AFTER DELETE ON unit_link BEGIN"
	" UPDATE unit SET search = " STORE_UNIT_SEARCH("OLD.to_code") " WHERE code = OLD.to_code; END;"
	"CREATE TRIGGER unit_search_name AFTER UPDATE OF name_fold ON unit BEGIN"
	" UPDATE unit SET search = " STORE_UNIT_SEARCH("unit.code")
	" WHERE code IN (SELECT to_code FROM unit_link WHERE from_code = NEW.code)"
	" OR (code = NEW.code AND search IS NOT NULL); END;"
	/* a historic unit's replaced_by becomes its link */
	"INSERT INTO unit_link SELECT code, replaced_by, 'whole', 'area+population',"
	" coalesce(date(valid_to, '+1 day'), ''), '', owner, updated_at, updated_by"
	" FROM unit WHERE replaced_by IS NOT NULL;"
	"ALTER TABLE point ADD COLUMN unit_successor TEXT REFERENCES unit(code);"
	/* an office is dated: it ends and hands its records on */
	"ALTER TABLE office ADD COLUMN valid_to TEXT;"
	"ALTER TABLE office ADD COLUMN successor TEXT;";

/* 8: bulk work at the speed of SQLite. A new record's audit entry is one row
 * holding all its values (field NULL, new a JSON object of them): the view
 * audit_field shows every entry field by field, as the per-field entries of
 * before are. The index on (tbl, record_id) served no query. A new model's
 * search_all is written by its insert (a trigger costs each row of a bulk
 * insert even when it does nothing; a bundle rebuilds the texts of the models
 * it brings once, at its end), and a new point's words are appended to its
 * model's instead of all its points' read again; likewise a new evaluation
 * moves its point's last_evaluated forward only. */
#define STORE_AUDIT_WHOLE(a) \
	a ".field IS NULL AND " a ".action = 'insert' AND coalesce(" a ".new LIKE '{%', 0) AND json_valid(" a ".new)"
static const char store_schema_v8[] =
	"DROP INDEX audit_record;"
	"CREATE VIEW audit_field (seq, part, at, user, tbl, record_id, action, field, old, new) AS"
	" SELECT seq, 0, at, user, tbl, record_id, action, field, old, new FROM audit a"
	"  WHERE NOT (" STORE_AUDIT_WHOLE("a") ")"
	" UNION ALL SELECT a.seq, j.id, a.at, a.user, a.tbl, a.record_id, a.action, j.key, NULL, j.value"
	"  FROM audit a, json_each(a.new) j WHERE " STORE_AUDIT_WHOLE("a") ";"
	"DROP TRIGGER model_search_insert;"
	"DROP TRIGGER point_search_insert;"
	"CREATE TRIGGER point_search_insert AFTER INSERT ON point WHEN NEW.deleted = 0 BEGIN"
	" UPDATE model SET search_all = search_all || ' ' || NEW.search WHERE id = NEW.model_id; END;"
	/* a new evaluation moves its point's last one only if it ends later (no max() over them all) */
	"DROP TRIGGER point_last_insert;"
	"CREATE TRIGGER point_last_insert AFTER INSERT ON evaluation WHEN NEW.point_id IS NOT NULL AND NEW.deleted = 0"
	" BEGIN UPDATE point SET last_evaluated = NEW.period_to"
	" WHERE id = NEW.point_id AND (last_evaluated IS NULL OR last_evaluated < NEW.period_to); END;";
// clang-format on

const char *const store_schema_steps[] = {store_schema_v1, store_schema_v2, store_schema_v3, store_schema_v4,
                                          store_schema_v5, store_schema_v6, store_schema_v7, store_schema_v8};
const int store_schema_nsteps = (int)(sizeof store_schema_steps / sizeof *store_schema_steps);

#define COLS(a) a, sizeof a / sizeof *a

static const struct store_column store_model_cols[] = {
    {"code", STORE_COL_TEXT, 0, 30, NULL},
    {"name", STORE_COL_TEXT, 1, 250, NULL},
    {"field", STORE_COL_CHOICE, 1, 0, "field"},
    {"host_sector", STORE_COL_CHOICE, 0, 0, "host_sector"},
    {"lead_agency", STORE_COL_TEXT, 0, 250, NULL},
    {"unit_code", STORE_COL_UNIT, 1, 0, NULL},
    {"launched_on", STORE_COL_DATE, 0, 0, NULL},
    {"is_pilot", STORE_COL_BOOL, 0, 0, NULL},
    {"description", STORE_COL_LONGTEXT, 0, 4000, NULL},
    {"forces", STORE_COL_CHOICES, 0, 0, "force"},
};

static const struct store_column store_point_cols[] = {
    {"model_id", STORE_COL_MODEL, 1, 0, NULL},   {"unit_code", STORE_COL_UNIT, 1, 0, NULL},
    {"place", STORE_COL_TEXT, 0, 250, NULL},     {"launched_on", STORE_COL_DATE, 0, 0, NULL},
    {"teams", STORE_COL_INT, 0, 0, NULL},        {"members", STORE_COL_INT, 0, 0, NULL},
    {"leader", STORE_COL_TEXT, 0, 120, NULL},    {"status", STORE_COL_CHOICE, 1, 0, "point_status"},
    {"status_on", STORE_COL_DATE, 0, 0, NULL},   {"replicated_from", STORE_COL_POINT, 0, 0, NULL},
    {"note", STORE_COL_LONGTEXT, 0, 4000, NULL},
};

static const struct store_column store_evaluation_cols[] = {
    {"model_id", STORE_COL_MODEL, 1, 0, NULL},           {"point_id", STORE_COL_POINT, 0, 0, NULL},
    {"kind", STORE_COL_CHOICE, 1, 0, "eval_kind"},       {"period_kind", STORE_COL_CHOICE, 1, 0, "period_kind"},
    {"period_from", STORE_COL_DATE, 1, 0, NULL},         {"period_to", STORE_COL_DATE, 1, 0, NULL},
    {"reviewer", STORE_COL_TEXT, 0, 250, NULL},          {"reviewed_on", STORE_COL_DATE, 0, 0, NULL},
    {"rating", STORE_COL_CHOICE, 0, 0, "rating"},        {"strengths", STORE_COL_LONGTEXT, 0, 8000, NULL},
    {"shortcomings", STORE_COL_LONGTEXT, 0, 8000, NULL}, {"remedies", STORE_COL_LONGTEXT, 0, 8000, NULL},
    {"replicate", STORE_COL_BOOL, 0, 0, NULL},           {"replicate_where", STORE_COL_TEXT, 0, 500, NULL},
};

static const struct store_table store_tables[] = {
    {"model", COLS(store_model_cols), "name", {"code", "name", "lead_agency", "description", NULL}},
    {"point", COLS(store_point_cols), NULL, {"place", "leader", "note", NULL}},
    {"evaluation",
     COLS(store_evaluation_cols),
     NULL,
     {"reviewer", "strengths", "shortcomings", "remedies", "replicate_where", NULL}},
};

const struct store_table *store_schema_table(const char *name)
{
	for (size_t i = 0; i < sizeof store_tables / sizeof *store_tables; i++)
		if (strcmp(store_tables[i].name, name) == 0)
			return &store_tables[i];
	return NULL;
}

/* The historic-unit form fills these; the rest of the unit row is derived. */
static const struct store_column store_unit_form_cols[] = {
    {"code", STORE_COL_TEXT, 1, 10, NULL},       {"parent_code", STORE_COL_UNIT, 1, 0, NULL},
    {"type", STORE_COL_TEXT, 1, 40, NULL},       {"name", STORE_COL_TEXT, 1, 150, NULL},
    {"valid_from", STORE_COL_DATE, 0, 0, NULL},  {"valid_to", STORE_COL_DATE, 0, 0, NULL},
    {"replaced_by", STORE_COL_UNIT, 0, 0, NULL},
};

int store_form_column(const char *table, const char *col, const char **kind, const char **list)
{
	static const char *const kinds[] = {"text",   "longtext", "integer", "date",   "yesno",
	                                    "choice", "unit",     "record",  "record", "choices"};
	const struct store_column *cols;
	size_t n;
	const struct store_table *t = store_schema_table(table);
	if (t) {
		cols = t->cols;
		n = t->ncols;
	} else if (strcmp(table, "unit") == 0) {
		cols = store_unit_form_cols;
		n = sizeof store_unit_form_cols / sizeof *store_unit_form_cols;
	} else {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(cols[i].name, col) != 0)
			continue;
		*kind = kinds[cols[i].type];
		*list = cols[i].choice;
		return 1;
	}
	return 0;
}

int store_form_table(const char *table)
{
	return table && (store_schema_table(table) || strcmp(table, "unit") == 0);
}

void store_forms_check(const struct formdef_set *set, struct formdef_errors *errs)
{
	static const char *const kinds[] = {"text",   "longtext", "integer", "date",
	                                    "choice", "choices",  "unit",    "yesno"};
	for (size_t i = 0; set && i < set->nforms; i++) {
		const struct formdef_form *form = &set->forms[i];
		if (!store_form_table(form->table)) {
			formdef_error(errs, form->file, 0, "%s",
			              _("the table is not model, point, evaluation or unit"));
			continue;
		}
		for (size_t k = 0; k < form->nfields; k++) {
			const struct formdef_field *f = &form->fields[k];
			const char *kind, *list;
			const char *want = kinds[f->type];
			if (!store_form_column(form->table, f->id, &kind, &list))
				formdef_error(errs, form->file, f->line, "%s", _("the table has no such field"));
			else if (strcmp(kind, want) != 0 &&
			         !(strcmp(kind, "longtext") == 0 && f->type == FORMDEF_TEXT) &&
			         !(strcmp(kind, "text") == 0 && f->type == FORMDEF_LONGTEXT))
				formdef_error(errs, form->file, f->line, "%s", _("the type does not fit the column"));
			else if (strcmp(kind, "choice") == 0 && strcmp(list, f->list) != 0)
				formdef_error(errs, form->file, f->line, "%s",
				              _("the column takes another choice list"));
		}
	}
}

const char *store_table_label(const char *table)
{
	static const char *const kinds[][2] = {
	    {"model", N_("model")}, {"point", N_("point")}, {"evaluation", N_("evaluation")}, {"unit", N_("unit")}};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (strcmp(table, kinds[i][0]) == 0)
			return _(kinds[i][1]);
	return table;
}
