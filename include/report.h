/* The report of a unit subtree over a period: counted once into one table
 * (store_report_compute, in store-report.c), then written as text, CSV or
 * HTML (report.c) or drawn on the screen. Counting rules: README, "Reports". */
#ifndef MOHINH_REPORT_H
#define MOHINH_REPORT_H
#include <stddef.h>

#include "mh-error.h"

struct store;
struct strbuf;

enum report_col {
	REPORT_MODELS_NEW,     /* launched in the period */
	REPORT_MODELS,         /* operating at the period's end */
	REPORT_PILOTS,         /* of those, pilot models */
	REPORT_MODELS_STOPPED, /* every point stopped, the last in the period */
	REPORT_POINTS_NEW,     /* launched in the period */
	REPORT_REPLICATIONS,   /* of those, replicated from another point */
	REPORT_POINTS,         /* operating at the period's end */
	REPORT_POINTS_STOPPED, /* stopped in the period */
	REPORT_TEAMS,          /* teams and members of the operating points */
	REPORT_MEMBERS,
	REPORT_EVALS,       /* evaluations made in the period */
	REPORT_EFFECTIVE,   /* judged effective (hiệu quả, tốt, khá) */
	REPORT_RECOMMENDED, /* recommending replication */
	REPORT_NCOLS
};

struct report_row {
	char code[24]; /* unit version or field code; "" for the total; "?" and a divided unit's code */
	char *name;
	long v[REPORT_NCOLS];
};

/* An operating model with its points and teams at the period's end. */
struct report_model {
	char *name, *unit, *field;
	int pilot;
	long points, teams, members;
};

struct report {
	char root[24];         /* the unit version whose subtree is counted; "" for the whole country */
	char *root_name;       /* "Tỉnh Bình Thuận", "Toàn quốc" */
	char from[24], to[24]; /* YYYY-MM-DD */
	char *period;          /* "năm 2017", "6 tháng đầu năm 2017", "giai đoạn 2015 - 2017" */
	char *office, *place;  /* "Công an tỉnh Bình Thuận", "Bình Thuận" */
	char date[11];         /* the report's date, YYYY-MM-DD */
	char *preparer;        /* who made it (the user) */
	/* the administrative document (Nghị định 30/2020/NĐ-CP), from the office's
	 * settings (report.above, report.number, report.signer_title,
	 * report.signer, report.recipients) or what they default to */
	char *above;              /* the office above: "Bộ Công an", "Công an tỉnh Bình Thuận" */
	char *number;             /* "Số:      /BC-CAT" */
	char *signer_title;       /* "Giám đốc" */
	char *signer;             /* the name under the signature, or "" */
	char *recipients;         /* "Nơi nhận" lines, ';' between them */
	struct report_row *areas; /* the units one level down (and the root's own level) */
	size_t nareas;
	struct report_row *fields; /* the fields of the choice list "field" */
	size_t nfields;
	struct report_row total;
	struct report_model *models; /* in Vietnamese name order */
	size_t nmodels;
};

struct report_params {
	const char *unit;  /* NULL: this office's unit; "VN": the whole country */
	int year, year_to; /* year_to: last year of a range (0: one year) */
	int half;          /* 1 or 2 for a half-year, 0 for the whole year(s) */
	const char *date;  /* the report's date (NULL: today) */
};

/* Counts everything into r (released with report_free). */
int store_report_compute(struct store *st, const struct report_params *p, struct report *r, struct mh_error *err);
void report_free(struct report *r);

/* The i-th model's number in the list and its counts, as text. */
struct report_model_text {
	char no[24], points[24], teams[24], members[24];
};
void report_model_text(const struct report *r, size_t i, struct report_model_text *t);

/* The column's heading, translated. */
const char *report_col_name(int col);
/* The summary sentence ("Trong năm 2017, xây dựng mới 14 mô hình, ..."). */
void report_summary(const struct report *r, struct strbuf *out);
/* Columns aligned by display width. */
void report_txt(const struct report *r, struct strbuf *out);
/* RFC 4180, UTF-8, with a BOM unless bom is 0; one section a table. */
void report_csv(const struct report *r, int bom, struct strbuf *out);
/* One self-contained page for A4, in the layout of an official report. */
void report_html(const struct report *r, struct strbuf *out);
/* The same document as a PDF (cairo and pango): A4, the margins, fonts and
 * blocks of Nghị định 30/2020/NĐ-CP, tables whose header row repeats on
 * each page, page numbers from page 2. */
int report_pdf(const struct report *r, struct strbuf *out, struct mh_error *err);
/* The report as a workbook: the header block and one sheet per table. */
int report_xlsx(const struct report *r, const char *path, struct mh_error *err);
/* The office settings of the document (report.above, then the blocks in the
 * order of struct report: number, signer_title, signer, recipients), each
 * with a line of help and what it is when not set (a message id; NULL for
 * report.above, derived from the office's unit). */
struct report_setting {
	const char *key, *help, *fallback;
};
extern const struct report_setting report_settings[];

#endif
