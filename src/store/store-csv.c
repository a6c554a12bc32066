/* Lists to and from CSV. The columns of a table are its form's fields (a
 * unit field gives two: its code and its name) and the links a record has
 * (its id, its model, its point). Headers are matched accent- and case-free
 * against the Vietnamese labels and the English ids. */
#include "store-csv.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "csv.h"
#include "formdef.h"
#include "i18n.h"
#include "sheet.h"
#include "store-internal.h"
#include "store.h"
#include "strbuf.h"
#include "utf8.h"
#include "vn.h"
#include "xalloc.h"

enum store_csv_kind {
	STORE_CSV_ID,        /* the record's id */
	STORE_CSV_LINK,      /* model_id, point_id */
	STORE_CSV_MODEL,     /* the model's name (to find it when its id is not given) */
	STORE_CSV_FIELD,     /* a form field */
	STORE_CSV_UNIT_NAME, /* the name of a unit field's unit */
	STORE_CSV_STATE,     /* the review state (written, never read) */
};

struct store_csv_col {
	enum store_csv_kind kind;
	const char *id; /* the column of the table, or a name of our own */
	char *header;
	const struct formdef_field *f;
};

struct store_csv_cols {
	struct store_csv_col *c;
	size_t n;
	const struct formdef_form *form;
};

static void store_csv_add(struct store_csv_cols *cs, enum store_csv_kind kind, const char *id, char *header,
                          const struct formdef_field *f)
{
	cs->c = xalloc_realloc(cs->c, (cs->n + 1) * sizeof *cs->c);
	cs->c[cs->n++] = (struct store_csv_col){kind, id, header, f};
}

static int store_csv_columns(const struct formdef_set *forms, const char *table, struct store_csv_cols *cs,
                             struct mh_error *err)
{
	memset(cs, 0, sizeof *cs);
	if (strcmp(table, "model") && strcmp(table, "point") && strcmp(table, "evaluation"))
		return mh_error_set(err, MH_EUSAGE, _("the lists are models, points and evaluations, not '%s'"), table);
	cs->form = formdef_form(forms, table);
	if (!cs->form)
		return mh_error_set(err, MH_EFAIL, _("no form '%s' in the forms folder"), table);
	store_csv_add(cs, STORE_CSV_ID, "id", xalloc_strdup(_("Record id")), NULL);
	if (strcmp(table, "model") != 0) {
		store_csv_add(cs, STORE_CSV_LINK, "model_id", xalloc_strdup(_("Model id")), NULL);
		store_csv_add(cs, STORE_CSV_MODEL, "model", xalloc_strdup(_("Model name")), NULL);
	}
	if (strcmp(table, "evaluation") == 0)
		store_csv_add(cs, STORE_CSV_LINK, "point_id", xalloc_strdup(_("Point id")), NULL);
	if (strcmp(table, "point") == 0)
		store_csv_add(cs, STORE_CSV_LINK, "replicated_from", xalloc_strdup(_("Replicated from point id")),
		              NULL);
	for (size_t i = 0; i < cs->form->nfields; i++) {
		const struct formdef_field *f = &cs->form->fields[i];
		if (f->type == FORMDEF_UNIT) {
			store_csv_add(cs, STORE_CSV_FIELD, f->id, xalloc_printf(_("%s (code)"), f->label), f);
			store_csv_add(cs, STORE_CSV_UNIT_NAME, f->id, xalloc_strdup(f->label), f);
		} else {
			store_csv_add(cs, STORE_CSV_FIELD, f->id, xalloc_strdup(f->label), f);
		}
	}
	store_csv_add(cs, STORE_CSV_STATE, "state", xalloc_strdup(_("State")), NULL);
	return 0;
}

static void store_csv_columns_free(struct store_csv_cols *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->c[i].header);
	free(cs->c);
}

static const char *store_csv_label(const struct formdef_set *forms, const struct formdef_field *f, const char *code)
{
	const struct formdef_list *l = f->list ? formdef_list(forms, f->list) : NULL;
	for (size_t k = 0; l && k < l->n; k++)
		if (strcmp(l->items[k].code, code) == 0)
			return l->items[k].label;
	return code;
}

/* --- export ------------------------------------------------------------------- */

/* A cell as a person reads it: a choice by its label, a date as YYYY-MM-DD
 * (kind SHEET_DATE), a number as a number; *tmp holds what must be freed. */
static struct sheet_cell store_csv_cell(const struct formdef_set *forms, const struct store_csv_col *c, const char *v,
                                        char **tmp)
{
	*tmp = NULL;
	if (c->kind != STORE_CSV_FIELD || !*v)
		return (struct sheet_cell){v, SHEET_TEXT};
	switch (c->f->type) {
	case FORMDEF_INTEGER: return (struct sheet_cell){v, SHEET_NUMBER};
	case FORMDEF_DATE: return (struct sheet_cell){v, SHEET_DATE};
	case FORMDEF_CHOICE: return (struct sheet_cell){store_csv_label(forms, c->f, v), SHEET_TEXT};
	case FORMDEF_CHOICES: {
		struct strbuf labels;
		strbuf_init(&labels);
		char *codes = xalloc_strdup(v), *save = NULL;
		for (char *code = strtok_r(codes, ",", &save); code; code = strtok_r(NULL, ",", &save))
			strbuf_addf(&labels, "%s%s", labels.len ? "; " : "", store_csv_label(forms, c->f, code));
		free(codes);
		return (struct sheet_cell){*tmp = strbuf_detach(&labels, NULL), SHEET_TEXT};
	}
	default: return (struct sheet_cell){*tmp = formdef_display(c->f, v), SHEET_TEXT};
	}
}

int store_list_export(struct store *st, const struct formdef_set *forms, const char *table,
                      const struct store_csv_filter *f, store_list_fn fn, void *ud, long *rows, struct mh_error *err)
{
	struct store_csv_cols cs;
	if (store_csv_columns(forms, table, &cs, err) < 0)
		return -1;
	struct strbuf sql;
	strbuf_init(&sql);
	strbuf_adds(&sql, "SELECT ");
	for (size_t i = 0; i < cs.n; i++) {
		const struct store_csv_col *c = &cs.c[i];
		strbuf_adds(&sql, i ? ", " : "");
		if (c->kind == STORE_CSV_MODEL)
			strbuf_adds(&sql, "(SELECT m.name FROM model m WHERE m.id = t.model_id)");
		else if (c->kind == STORE_CSV_UNIT_NAME)
			strbuf_addf(&sql, "(SELECT u.name FROM unit u WHERE u.code = t.%s)", c->id);
		else
			strbuf_addf(&sql, "t.%s", c->id);
	}
	/* the area of a model or a point is its unit's; of an evaluation, its point's or its model's */
	int eval = strcmp(table, "evaluation") == 0;
	const char *unit = eval ? "coalesce((SELECT p.unit_code FROM point p WHERE p.id = t.point_id),"
	                          " (SELECT m.unit_code FROM model m WHERE m.id = t.model_id))"
	                        : "t.unit_code";
	strbuf_addf(&sql,
	            " FROM %s t WHERE t.deleted = 0"
	            " AND (?1 IS NULL OR %s IN (WITH RECURSIVE " STORE_UNIT_AREA(
	                "sub", "?1") " SELECT c FROM sub))"
	                             " AND (?2 = 0 OR substr(%s, 1, 4) = printf('%%04d', ?2))"
	                             " ORDER BY t.rowid",
	            table, unit, eval ? "coalesce(t.reviewed_on, t.period_to)" : "t.launched_on");
	sqlite3_stmt *stmt;
	int rc = store_prepare(st, sql.buf, &stmt, err);
	strbuf_release(&sql);
	if (rc < 0) {
		store_csv_columns_free(&cs);
		return -1;
	}
	if (f && f->unit)
		sqlite3_bind_text(stmt, 1, f->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, f ? f->year : 0);
	struct sheet_cell *cells = xalloc_calloc(cs.n, sizeof *cells);
	char **tmp = xalloc_calloc(cs.n, sizeof *tmp);
	for (size_t i = 0; i < cs.n; i++)
		cells[i] = (struct sheet_cell){cs.c[i].header, SHEET_TEXT};
	int stop = fn(ud, cells, cs.n, 1);
	*rows = 0;
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (size_t i = 0; i < cs.n; i++)
			cells[i] = store_csv_cell(forms, &cs.c[i], store_text(stmt, (int)i), &tmp[i]);
		stop = fn(ud, cells, cs.n, 0);
		for (size_t i = 0; i < cs.n; i++)
			free(tmp[i]);
		(*rows)++;
	}
	sqlite3_finalize(stmt);
	free(cells);
	free(tmp);
	store_csv_columns_free(&cs);
	if (stop)
		return mh_error_set(err, MH_EIO, "%s", _("the list could not be written"));
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
}

static int store_csv_out(void *ud, const struct sheet_cell *cells, size_t n, int head)
{
	struct strbuf *out = ud;
	(void)head;
	for (size_t i = 0; i < n; i++) {
		strbuf_adds(out, i ? "," : "");
		const char *v = cells[i].text;
		if (cells[i].kind == SHEET_DATE && strlen(v) == 10) { /* dd/mm/yyyy, as typed */
			char d[11];
			snprintf(d, sizeof d, "%.2s/%.2s/%.4s", v + 8, v + 5, v);
			csv_field(out, d);
		} else {
			csv_field(out, v);
		}
	}
	strbuf_adds(out, "\r\n");
	return 0;
}

int store_csv_export(struct store *st, const struct formdef_set *forms, const char *table,
                     const struct store_csv_filter *f, int bom, struct strbuf *out, long *rows, struct mh_error *err)
{
	if (bom)
		strbuf_adds(out, "\xEF\xBB\xBF");
	return store_list_export(st, forms, table, f, store_csv_out, out, rows, err);
}

/* --- import ------------------------------------------------------------------- */

static void store_csv_problem(struct store_csv_problem **list, size_t *n, long line, const char *column,
                              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void store_csv_problem(struct store_csv_problem **list, size_t *n, long line, const char *column,
                              const char *fmt, ...)
{
	*list = xalloc_realloc(*list, (*n + 1) * sizeof **list);
	struct store_csv_problem *p = &(*list)[(*n)++];
	p->line = line;
	p->column = column ? xalloc_strdup(column) : NULL;
	va_list ap;
	va_start(ap, fmt);
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	p->msg = xalloc_strdup(buf);
}

static void store_csv_push(char ***list, size_t *n, char *s)
{
	*list = xalloc_realloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = s;
}

/* The bytes as UTF-8. A file mostly in UTF-8 with some lines in another
 * encoding keeps those lines out (each refused); a file declared in a legacy
 * encoding that is in fact UTF-8 is refused whole. */
static int store_csv_decode(const char *bytes, size_t len, const struct store_csv_opts *o, struct store_csv_result *res,
                            struct strbuf *text, struct mh_error *err)
{
	long good = 0, bad = 0;
	for (size_t i = 0; i < len;) {
		size_t end = i;
		while (end < len && bytes[end] != '\n')
			end++;
		int ascii = 1;
		for (size_t k = i; k < end && ascii; k++)
			ascii = (unsigned char)bytes[k] < 0x80;
		if (!ascii)
			utf8_valid(bytes + i, end - i, NULL) ? good++ : bad++;
		i = end + 1;
	}
	int enc = o->encoding;
	res->detected = enc == CHARSET_AUTO;
	if (enc == CHARSET_AUTO)
		enc = bad == 0 || good > 0 ? CHARSET_UTF8 : (int)charset_detect(bytes, len);
	res->encoding = charset_name((enum charset_enc)enc);
	if (enc != CHARSET_UTF8) {
		if (good > 0 && bad == 0)
			return mh_error_set(err, MH_EDATA,
			                    _("the file is written in UTF-8, not %s: import it with --encoding utf-8"),
			                    res->encoding);
		struct mh_error e;
		if (charset_decode((enum charset_enc)enc, bytes, len, text, &e) < 0) {
			long line = 1, at = atol(e.where);
			for (long k = 0; k < at && (size_t)k < len; k++)
				line += bytes[k] == '\n';
			return mh_error_set(err, MH_EDATA, _("line %ld: %s"), line, e.msg);
		}
		return 0;
	}
	if (good == 0 && bad > 0) {
		enum charset_enc guess = charset_detect(bytes, len);
		return mh_error_set(err, MH_EDATA,
		                    _("the file is not UTF-8 (it looks like %s): import it with --encoding %s"),
		                    charset_name(guess), charset_name(guess));
	}
	const char *hint = "";
	long line = 1;
	for (size_t i = 0; i < len; line++) {
		size_t end = i;
		while (end < len && bytes[end] != '\n')
			end++;
		if (utf8_valid(bytes + i, end - i, NULL)) {
			strbuf_add(text, bytes + i, end - i);
		} else {
			if (!*hint)
				hint = charset_name(charset_detect(bytes + i, end - i));
			res->refused_rows++;
			store_csv_problem(
			    &res->refused, &res->nrefused, line, NULL,
			    _("the line is not UTF-8 text (the file mixes encodings; this line looks like %s)"),
			    strcmp(hint, "utf-8") ? hint : "cp1258");
		}
		if (end < len)
			strbuf_addc(text, '\n');
		i = end + 1;
	}
	/* NFC: text from old tools and Macs is often decomposed */
	struct strbuf nfc;
	strbuf_init(&nfc);
	vn_nfc_repair(text->buf, text->len, &nfc);
	strbuf_release(text);
	*text = nfc;
	return 0;
}

/* Folded, with only its letters and digits: "Phòng, chống ma túy" is
 * "phongchongmatuy". */
static char *store_csv_bare(const char *s)
{
	char *f = store_fold(s), *w = f;
	for (char *r = f; *r; r++)
		if ((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9'))
			*w++ = *r;
	*w = '\0';
	return f;
}

/* The same words, whatever the accents, case, spaces and punctuation. */
static int store_csv_same(const char *a, const char *b)
{
	char *fa = store_csv_bare(a), *fb = store_csv_bare(b);
	int same = strcmp(fa, fb) == 0;
	free(fa);
	free(fb);
	return same;
}

/* The field a mapping "Header=field,…" gives the header, or NULL. */
static char *store_csv_mapped(const char *header, const char *map)
{
	char *copy = xalloc_strdup(map ? map : ""), *save = NULL, *want = NULL;
	for (char *pair = strtok_r(copy, ",", &save); pair && !want; pair = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(pair, '=');
		if (eq) {
			*eq = '\0';
			if (store_csv_same(pair, header))
				want = xalloc_strdup(eq + 1);
		}
	}
	free(copy);
	return want;
}

/* Which column a header is: -1 if none. A mapping names a field by its id
 * (a unit field: id for its code, id_name for its name). */
static int store_csv_match(const struct store_csv_cols *cs, const char *header, const char *map)
{
	char *want = store_csv_mapped(header, map);
	int found = -1;
	for (size_t i = 0; i < cs->n && found < 0; i++) {
		const struct store_csv_col *c = &cs->c[i];
		int name = c->kind == STORE_CSV_UNIT_NAME;
		if (want) {
			size_t l = strlen(c->id);
			if (strncmp(want, c->id, l) == 0 && strcmp(want + l, name ? "_name" : "") == 0)
				found = (int)i;
		} else if (store_csv_same(header, c->header) || (!name && store_csv_same(header, c->id))) {
			found = (int)i;
		}
	}
	free(want);
	return found;
}

/* "1.200", "1,200", "1 200" → "1200" */
static void store_csv_number(char *s)
{
	size_t len = strlen(s), digits = 0;
	int grouped = len > 4;
	for (size_t i = 0; i < len && grouped; i++) {
		size_t from_end = len - i;
		if (from_end % 4 == 0)
			grouped = s[i] == '.' || s[i] == ',' || s[i] == ' ';
		else
			grouped = s[i] >= '0' && s[i] <= '9', digits++;
	}
	if (!grouped)
		return;
	char *w = s;
	for (char *r = s; *r; r++)
		if (*r >= '0' && *r <= '9')
			*w++ = *r;
	*w = '\0';
}

/* dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd → dd/mm/yyyy */
static char *store_csv_date(const char *s)
{
	int a, b, c;
	char s1, s2, tail = 0;
	if (sscanf(s, "%4d-%2d-%2d%c", &a, &b, &c, &tail) >= 3 && (strlen(s) == 10 || tail == ' ' || tail == 'T'))
		return xalloc_printf("%02d/%02d/%04d", c, b, a);
	char iso[11];
	if (strlen(s) == 5 && strspn(s, "0123456789") == 5 && sheet_serial_date(atof(s), 0, iso)) /* Excel's day */
		return xalloc_printf("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	if (sscanf(s, "%2d%c%2d%c%4d%c", &a, &s1, &b, &s2, &c, &tail) == 5 && s1 == s2 && strchr("/-.", s1) &&
	    c >= 1000)
		return xalloc_printf("%02d/%02d/%04d", a, b, c);
	return xalloc_strdup(s);
}

/* A choice by its code or its label; NULL if none. */
static const char *store_csv_choice_find(const struct formdef_set *forms, const struct formdef_field *f, const char *v)
{
	const struct formdef_list *l = formdef_list(forms, f->list);
	char *bare = store_csv_bare(v);
	const char *code = NULL;
	for (size_t k = 0; l && k < l->n && !code; k++) {
		char *label = store_csv_bare(l->items[k].label);
		if (strcmp(l->items[k].code, v) == 0 || strcmp(label, bare) == 0)
			code = l->items[k].code;
		free(label);
	}
	free(bare);
	return code;
}

struct store_csv_units {
	struct store_unit u[8];
	int n;
	const char *name, *parent; /* folded */
};

static int store_csv_unit_row(const struct store_unit *u, void *ud)
{
	struct store_csv_units *r = ud;
	char *name = store_csv_bare(u->name), *parent = store_csv_bare(u->parent_name);
	/* the whole name, or the name without its type ("Vĩnh Tân" for "Xã Vĩnh Tân") */
	size_t tl = strlen(u->type);
	char *bare = strncmp(u->name, u->type, tl) == 0 && u->name[tl] == ' ' ? store_csv_bare(u->name + tl + 1) : NULL;
	int match = (strcmp(name, r->name) == 0 || (bare && strcmp(bare, r->name) == 0)) &&
	            (!r->parent || strstr(parent, r->parent));
	if (match && r->n < (int)(sizeof r->u / sizeof *r->u))
		r->u[r->n++] = *u;
	free(name);
	free(parent);
	free(bare);
	return 0;
}

/* A unit of the office's area by its name, with its district after a comma
 * or a dash if the name alone is ambiguous. */
static char *store_csv_unit(struct store *st, const char *v, struct strbuf *why)
{
	char *copy = xalloc_strdup(v);
	char *parent = NULL, *cut = strstr(copy, " — ");
	if (!cut)
		cut = strstr(copy, " - ");
	if (cut)
		*cut = '\0', parent = cut + (cut[1] == '-' ? 3 : 5);
	else if ((cut = strchr(copy, ',')))
		*cut = '\0', parent = cut + 1;
	struct store_csv_units r = {.n = 0};
	char *fname = store_csv_bare(copy), *fparent = parent ? store_csv_bare(parent) : NULL;
	char *words = store_fold(copy);
	r.name = fname;
	r.parent = fparent && *fparent ? fparent : NULL;
	const char *area = st->office.unit_code;
	struct store_unit self;
	if (store_unit_get(st, area, &self, NULL) == 0)
		store_csv_unit_row(&self, &r);
	struct store_unit_filter f = {.query = words, .within = area};
	store_unit_list(st, &f, store_csv_unit_row, &r, NULL);
	/* a unit in force wins over one merged away */
	int current = 0, pick = -1;
	for (int i = 0; i < r.n; i++)
		if (!r.u[i].valid_to[0])
			current++, pick = i;
	char *code = NULL;
	if (r.n == 1 || current == 1) {
		code = xalloc_strdup(r.u[r.n == 1 ? 0 : pick].code);
	} else if (r.n == 0) {
		strbuf_addf(why, _("no unit of this office's area is named '%s'"), v);
	} else {
		strbuf_addf(why, _("several units are named '%s'; write the code or add the district after a comma:"),
		            v);
		for (int i = 0; i < r.n; i++)
			strbuf_addf(why, "%s %s, %s (%s)", i ? ";" : "", r.u[i].name, r.u[i].parent_name, r.u[i].code);
	}
	free(fname);
	free(fparent);
	free(words);
	free(copy);
	return code;
}

/* A record like this one is there already: the same id, or a model of the
 * same name and unit, a point of the same model, unit and place, an
 * evaluation of the same point, kind and period. */
static int store_csv_duplicate(struct store *st, const char *table, const struct store_kv *kv, size_t n)
{
	const char *v[8] = {0};
	static const char *const keys[] = {"id",    "name",     "unit_code", "model_id",
	                                   "place", "point_id", "kind",      "period_from"};
	const char *to = NULL;
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 8; k++)
			if (kv[i].val && strcmp(kv[i].col, keys[k]) == 0)
				v[k] = kv[i].val;
		if (strcmp(kv[i].col, "period_to") == 0)
			to = kv[i].val;
	}
	const char *sql;
	char *fold = NULL;
	sqlite3_stmt *stmt;
	if (v[0]) {
		char *q = xalloc_printf("SELECT 1 FROM %s WHERE id = ?", table);
		int found = store_prepare(st, q, &stmt, NULL) == 0;
		free(q);
		if (found) {
			sqlite3_bind_text(stmt, 1, v[0], -1, SQLITE_STATIC);
			found = sqlite3_step(stmt) == SQLITE_ROW;
			sqlite3_finalize(stmt);
		}
		if (found)
			return 1;
	}
	if (strcmp(table, "model") == 0) {
		sql = "SELECT 1 FROM model WHERE deleted = 0 AND name_fold = ?1 AND unit_code = ?2";
		fold = store_fold(v[1] ? v[1] : "");
	} else if (strcmp(table, "point") == 0) {
		sql = "SELECT 1 FROM point WHERE deleted = 0 AND model_id = ?3 AND unit_code = ?2"
		      " AND coalesce(place, '') = coalesce(?4, '')";
	} else {
		sql = "SELECT 1 FROM evaluation WHERE deleted = 0 AND model_id = ?3 AND point_id IS ?5 AND kind = ?6"
		      " AND period_from = ?7 AND period_to = ?8";
	}
	if (store_prepare_kept(st, sql, &stmt, NULL) < 0) { /* asked for every row */
		free(fold);
		return 0;
	}
	sqlite3_bind_text(stmt, 1, fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, v[2], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, v[3], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, v[4], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, v[5], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, v[6], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, v[7], -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, to, -1, SQLITE_STATIC);
	int dup = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_reset(stmt);
	free(fold);
	return dup;
}

/* A model by its name (when the list gives no id): exactly one must match. */
static char *store_csv_model(struct store *st, const char *name, struct strbuf *why)
{
	sqlite3_stmt *stmt;
	if (store_prepare(st, "SELECT id FROM model WHERE deleted = 0 AND name_fold = ? LIMIT 2", &stmt, NULL) < 0)
		return NULL;
	char *fold = store_fold(name);
	sqlite3_bind_text(stmt, 1, fold, -1, SQLITE_TRANSIENT);
	free(fold);
	char *id = NULL;
	int n = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW && n < 2) {
		if (n++ == 0)
			id = xalloc_strdup(store_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	if (n != 1) {
		free(id);
		id = NULL;
		strbuf_addf(why,
		            n ? _("several models are named '%s': give the model's id") : _("no model is named '%s'"),
		            name);
	}
	return id;
}

/* Units already found by name in this file, and the choices by what was
 * written (files name the same few again and again). */
struct store_csv_cache {
	char *name[128], *code[128];
	int n;
	const struct formdef_field *field[64]; /* a choice: what was written in that field */
	char *written[64];
	const char *choice[64];
	int nchoices;
};

static const char *store_csv_choice(struct store_csv_cache *cache, const struct formdef_set *forms,
                                    const struct formdef_field *f, const char *v)
{
	for (int i = 0; i < cache->nchoices; i++)
		if (cache->field[i] == f && strcmp(cache->written[i], v) == 0)
			return cache->choice[i];
	const char *code = store_csv_choice_find(forms, f, v);
	if (cache->nchoices < 64) {
		cache->field[cache->nchoices] = f;
		cache->written[cache->nchoices] = xalloc_strdup(v);
		cache->choice[cache->nchoices++] = code;
	}
	return code;
}

static char *store_csv_unit_cached(struct store *st, struct store_csv_cache *cache, const char *v, struct strbuf *why)
{
	for (int i = 0; i < cache->n; i++)
		if (strcmp(cache->name[i], v) == 0)
			return xalloc_strdup(cache->code[i]);
	char *code = store_csv_unit(st, v, why);
	if (code && cache->n < 128) {
		cache->name[cache->n] = xalloc_strdup(v);
		cache->code[cache->n++] = xalloc_strdup(code);
	}
	return code;
}

/* The form's rules on a new record's values kv[0..*n): a hidden field's
 * value is dropped, a required one missing is a problem of the row. */
static void store_csv_rules(const struct store_csv_cols *cs, long line, struct store_kv *kv, size_t *n, char **vals,
                            struct store_csv_result *res)
{
	const struct formdef_form *form = cs->form;
	const char **v = xalloc_calloc(form->nfields + 1, sizeof *v);
	int *hidden = xalloc_calloc(form->nfields + 1, sizeof *hidden);
	for (size_t i = 0; i < form->nfields; i++)
		for (size_t k = 0; k < *n; k++)
			if (strcmp(kv[k].col, form->fields[i].id) == 0)
				v[i] = kv[k].val;
	long missing = formdef_rules(form, v, hidden);
	if (missing >= 0) {
		const struct formdef_field *f = &form->fields[missing];
		store_csv_problem(&res->refused, &res->nrefused, line, f->label, "%s", _("a value is required"));
	}
	for (size_t i = 0; i < form->nfields; i++)
		for (size_t k = 0; hidden[i] && k < *n; k++)
			if (strcmp(kv[k].col, form->fields[i].id) == 0) {
				free(vals[k]);
				kv[k] = kv[*n - 1];
				vals[k] = vals[*n - 1];
				(*n)--;
				break;
			}
	free(v);
	free(hidden);
}

/* One row: its values converted (problems added to res), then inserted. */
static void store_csv_row(struct store *st, const struct formdef_set *forms, const char *table,
                          const struct store_csv_cols *cs, const int *col_of, const struct csv_record *rec,
                          const struct store_csv_opts *o, struct store_csv_cache *cache, struct store_csv_result *res)
{
	struct store_kv *kv = xalloc_calloc(cs->n + 2, sizeof *kv);
	char **vals = xalloc_calloc(cs->n + 2, sizeof *vals);
	size_t n = 0;
	size_t before = res->nrefused;
	const char *model_name = NULL;
	const char **unit_name = xalloc_calloc(cs->n + 1, sizeof *unit_name);
	int *have_code = xalloc_calloc(cs->n + 1, sizeof *have_code);
	for (size_t i = 0; i < rec->n; i++) {
		int ci = col_of[i];
		if (ci < 0)
			continue;
		const struct store_csv_col *c = &cs->c[ci];
		char *v = xalloc_strdup(rec->f[i]);
		/* trimmed */
		char *s = v;
		while (*s == ' ' || *s == '\t')
			s++;
		memmove(v, s, strlen(s) + 1);
		for (size_t l = strlen(v); l > 0 && (v[l - 1] == ' ' || v[l - 1] == '\t'); l--)
			v[l - 1] = '\0';
		if (!*v || c->kind == STORE_CSV_STATE) {
			free(v);
			continue;
		}
		if (c->kind == STORE_CSV_MODEL) {
			model_name = rec->f[i];
			free(v);
			continue;
		}
		if (c->kind == STORE_CSV_UNIT_NAME) {
			unit_name[ci - 1] = rec->f[i];
			free(v);
			continue;
		}
		char *stored = NULL;
		if (c->kind == STORE_CSV_ID || c->kind == STORE_CSV_LINK) {
			stored = v;
			v = NULL;
		} else {
			const struct formdef_field *f = c->f;
			struct mh_error e;
			if (f->type == FORMDEF_INTEGER)
				store_csv_number(v);
			if (f->type == FORMDEF_DATE) {
				char *d = store_csv_date(v);
				free(v);
				v = d;
			}
			if (f->type == FORMDEF_CHOICE) {
				const char *code = store_csv_choice(cache, forms, f, v);
				if (code)
					stored = xalloc_strdup(code);
				else
					store_csv_problem(&res->refused, &res->nrefused, rec->line, c->header,
					                  _("'%s' is not in the list"), v);
			} else if (f->type == FORMDEF_CHOICES) {
				struct strbuf codes;
				strbuf_init(&codes);
				char *save = NULL;
				for (char *item = strtok_r(v, ";,", &save); item; item = strtok_r(NULL, ";,", &save)) {
					while (*item == ' ')
						item++;
					const char *code = store_csv_choice(cache, forms, f, item);
					if (!code)
						store_csv_problem(&res->refused, &res->nrefused, rec->line, c->header,
						                  _("'%s' is not in the list"), item);
					else
						strbuf_addf(&codes, "%s%s", codes.len ? "," : "", code);
				}
				stored = strbuf_detach(&codes, NULL);
			} else if (f->type == FORMDEF_UNIT && strspn(v, "0123456789") != strlen(v)) {
				unit_name[ci] = rec->f[i]; /* a name in the code column */
			} else if (formdef_value(f, v, &stored, &e) < 0) {
				store_csv_problem(&res->refused, &res->nrefused, rec->line, c->header, "%s", e.msg);
			}
			if (f->type == FORMDEF_UNIT && stored)
				have_code[ci] = 1;
		}
		free(v);
		if (stored) {
			kv[n].col = c->id;
			kv[n].val = stored;
			vals[n++] = stored;
		}
	}
	/* units given by name only */
	for (size_t ci = 0; ci < cs->n; ci++) {
		if (!unit_name[ci] || have_code[ci] || cs->c[ci].kind != STORE_CSV_FIELD)
			continue;
		struct strbuf why;
		strbuf_init(&why);
		char *code = store_csv_unit_cached(st, cache, unit_name[ci], &why);
		if (code) {
			kv[n].col = cs->c[ci].id;
			kv[n].val = code;
			vals[n++] = code;
		} else {
			store_csv_problem(&res->refused, &res->nrefused, rec->line, cs->c[ci + 1].header, "%s",
			                  why.buf);
		}
		strbuf_release(&why);
	}
	/* the model by its name when its id is not given */
	int has_model = strcmp(table, "model") == 0;
	for (size_t i = 0; i < n; i++)
		has_model |= strcmp(kv[i].col, "model_id") == 0;
	if (!has_model && model_name && *model_name) {
		struct strbuf why;
		strbuf_init(&why);
		char *id = store_csv_model(st, model_name, &why);
		if (id) {
			kv[n].col = "model_id";
			kv[n].val = id;
			vals[n++] = id;
		} else {
			store_csv_problem(&res->refused, &res->nrefused, rec->line, _("Model name"), "%s", why.buf);
		}
		strbuf_release(&why);
	}
	/* the form's rules, as on the screen: what is required is there, what is hidden holds nothing */
	if (res->nrefused == before)
		store_csv_rules(cs, rec->line, kv, &n, vals, res);
	if (res->nrefused != before) {
		res->refused_rows++;
	} else {
		if (res->npreview < 5) {
			struct strbuf p;
			strbuf_init(&p);
			strbuf_addf(&p, _("line %ld:"), rec->line);
			for (size_t i = 0; i < n; i++)
				strbuf_addf(&p, " %s=%s;", kv[i].col, kv[i].val);
			store_csv_push(&res->preview, &res->npreview, strbuf_detach(&p, NULL));
		}
		if (!o->keep_duplicates && store_csv_duplicate(st, table, kv, n)) {
			store_csv_problem(
			    &res->duplicates, &res->nduplicates, rec->line, NULL,
			    _("looks like a record already there (same name and unit, or same id): skipped"));
		} else {
			struct mh_error e;
			if (store_record_insert(st, table, kv, n, NULL, &e) < 0) {
				const char *col = NULL;
				for (size_t i = 0; i < cs->n && !col; i++)
					if (strcmp(cs->c[i].id, e.where) == 0)
						col = cs->c[i].header;
				store_csv_problem(&res->refused, &res->nrefused, rec->line, col, "%s", e.msg);
				res->refused_rows++;
			} else {
				res->added++;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(vals[i]);
	free(kv);
	free(vals);
	free(unit_name);
	free(have_code);
}

/* The header line: of the first rows, the one naming most columns (a sheet
 * often has a title above its table); the first if none names any. */
static size_t store_csv_header(const struct store_csv_cols *cs, const struct csv_table *t, const char *map)
{
	size_t best = 0;
	int best_n = 0;
	for (size_t r = 0; r < t->n && r < 20; r++) {
		int n = 0;
		for (size_t i = 0; i < t->r[r].n; i++)
			n += t->r[r].f[i][0] && store_csv_match(cs, t->r[r].f[i], map) >= 0;
		if (n > best_n)
			best = r, best_n = n;
	}
	return best;
}

int store_csv_import_rows(struct store *st, const struct formdef_set *forms, const char *table, struct csv_table *t,
                          const struct store_csv_opts *o, struct store_csv_result *res, struct mh_error *err)
{
	struct store_csv_cols cs;
	if (store_csv_columns(forms, table, &cs, err) < 0)
		return -1;
	int rc = 0;
	if (!st->have_office)
		rc = mh_error_set(err, MH_EFAIL, _("the database has no office yet: run mohinh init"));
	else if (t->n == 0)
		rc = mh_error_set(err, MH_EDATA, _("the file is empty: no header line, no rows"));
	size_t hr = rc == 0 ? store_csv_header(&cs, t, o->map) : 0;
	const struct csv_record *h = rc == 0 ? &t->r[hr] : NULL;
	int col_of[64];
	if (rc == 0 && h->n > 64)
		rc = mh_error_set(err, MH_EDATA, _("the header line has %zu columns; at most 64 are read"), h->n);
	if (rc == 0) {
		/* the header line: each column matched, none twice; a form's required field must be there */
		res->header_line = h->line;
		int taken[40] = {0};
		for (size_t i = 0; i < h->n; i++) {
			int ci = h->f[i][0] ? store_csv_match(&cs, h->f[i], o->map) : -1;
			if (ci >= 0 && taken[ci]) {
				rc = mh_error_set(err, MH_EDATA, _("the column '%s' is there twice"), h->f[i]);
				break;
			}
			col_of[i] = ci;
			if (ci >= 0) {
				taken[ci] = 1;
				store_csv_push(&res->mapping, &res->nmapping,
				               xalloc_printf("%s → %s", h->f[i], cs.c[ci].header));
			} else if (h->f[i][0]) {
				store_csv_push(&res->ignored, &res->nignored, xalloc_strdup(h->f[i]));
			}
		}
		for (size_t ci = 0; rc == 0 && ci < cs.n; ci++) {
			const struct store_csv_col *c = &cs.c[ci];
			if (c->kind != STORE_CSV_FIELD || !c->f->required || taken[ci])
				continue;
			if (c->f->type == FORMDEF_UNIT && taken[ci + 1])
				continue;
			rc = mh_error_set(
			    err, MH_EDATA,
			    _("no column '%s' in the header line (a required field); the header line is line %ld"),
			    c->header, h->line);
		}
		if (rc == 0 && strcmp(table, "model") != 0 && !taken[1] && !taken[2])
			rc = mh_error_set(err, MH_EDATA, _("no column '%s' or '%s' in the header line"), cs.c[1].header,
			                  cs.c[2].header);
	}
	if (rc == 0) {
		/* all or nothing: a refused row rolls every row back, so rows need no savepoint each */
		store_bulk(st, 1);
		int journal = t->n >= STORE_BULK_ROWS && store_journal_bulk(st, 1);
		if (store_begin(st, err) < 0) {
			rc = -1;
		} else {
			struct store_csv_cache cache = {.n = 0};
			for (size_t r = hr + 1; r < t->n; r++) {
				const struct csv_record *rec = &t->r[r];
				res->rows++;
				if (rec->n > h->n) {
					int extra = 0;
					for (size_t i = h->n; i < rec->n; i++)
						extra |= rec->f[i][0] != '\0';
					if (extra) {
						store_csv_problem(&res->refused, &res->nrefused, rec->line, NULL,
						                  _("%zu cells where the header line has %zu"), rec->n,
						                  h->n);
						res->refused_rows++;
						continue;
					}
				}
				struct csv_record cut = *rec;
				cut.n = rec->n < h->n ? rec->n : h->n;
				for (size_t i = 0; i < cut.n; i++)
					csv_text(cut.f[i]); /* a cell written as text by csv_field */
				store_csv_row(st, forms, table, &cs, col_of, &cut, o, &cache, res);
			}
			for (int i = 0; i < cache.n; i++) {
				free(cache.name[i]);
				free(cache.code[i]);
			}
			for (int i = 0; i < cache.nchoices; i++)
				free(cache.written[i]);
			/* lines refused for their encoding count as rows too */
			int ok = res->nrefused == 0 && !o->dry_run;
			store_end(st, ok, NULL);
			if (res->nrefused)
				rc = mh_error_set(err, MH_EDATA, _("%ld rows refused: nothing was imported"),
				                  res->refused_rows);
		}
		if (journal)
			store_journal_bulk(st, 0);
		store_bulk(st, 0);
	}
	store_csv_columns_free(&cs);
	return rc;
}

int store_csv_import(struct store *st, const struct formdef_set *forms, const char *table, const char *bytes,
                     size_t len, const struct store_csv_opts *o, struct store_csv_result *res, struct mh_error *err)
{
	memset(res, 0, sizeof *res);
	struct strbuf text;
	strbuf_init(&text);
	struct csv_table t = {0};
	int rc = store_csv_decode(bytes, len, o, res, &text, err);
	if (rc == 0)
		rc = csv_parse(text.buf, text.len, &t, err);
	strbuf_release(&text);
	if (rc == 0)
		rc = store_csv_import_rows(st, forms, table, &t, o, res, err);
	csv_free(&t);
	return rc;
}

void store_csv_result_free(struct store_csv_result *res)
{
	for (size_t i = 0; i < res->nmapping; i++)
		free(res->mapping[i]);
	free(res->mapping);
	for (size_t i = 0; i < res->nignored; i++)
		free(res->ignored[i]);
	free(res->ignored);
	for (size_t i = 0; i < res->npreview; i++)
		free(res->preview[i]);
	free(res->preview);
	for (size_t i = 0; i < res->nrefused; i++) {
		free(res->refused[i].column);
		free(res->refused[i].msg);
	}
	free(res->refused);
	for (size_t i = 0; i < res->nduplicates; i++) {
		free(res->duplicates[i].column);
		free(res->duplicates[i].msg);
	}
	free(res->duplicates);
	for (size_t i = 0; i < res->nnotes; i++)
		free(res->notes[i]);
	free(res->notes);
	memset(res, 0, sizeof *res);
}
