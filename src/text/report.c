/* Writing a counted report: text (columns by display width), CSV (RFC 4180)
 * and HTML (an official report's layout, for A4). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "i18n.h"
#include "strbuf.h"
#include "vn.h"
#include "xalloc.h"

static const char *const report_cols[REPORT_NCOLS] = {
    N_("New models"),       N_("Models operating"), N_("Pilot models"),   N_("Models stopped"), N_("New points"),
    N_("Replications"),     N_("Points operating"), N_("Points stopped"), N_("Teams"),          N_("Members"),
    N_("Evaluations made"), N_("Effective"),        N_("To replicate"),
};

const struct report_setting report_settings[] = {
    {"report.above", N_("the office above, at the top left (default: from the office's unit)"), NULL},
    {"report.number", N_("the number and symbol of the document, \"Số: 12/BC-CAT\""), N_("No.:      /BC")},
    {"report.signer_title", N_("the position of whoever signs, \"Giám đốc\""), N_("Head of the office")},
    {"report.signer", N_("the name of whoever signs"), ""},
    {"report.recipients", N_("the recipients (Nơi nhận), ';' between them"), N_("As above; Filed: office records")},
    {NULL, NULL, NULL},
};

const char *report_col_name(int col)
{
	return _(report_cols[col]);
}

void report_free(struct report *r)
{
	free(r->root_name);
	free(r->period);
	free(r->office);
	free(r->place);
	free(r->preparer);
	free(r->above);
	free(r->number);
	free(r->signer_title);
	free(r->signer);
	free(r->recipients);
	for (size_t i = 0; i < r->nareas; i++)
		free(r->areas[i].name);
	free(r->areas);
	for (size_t i = 0; i < r->nfields; i++)
		free(r->fields[i].name);
	free(r->fields);
	free(r->total.name);
	for (size_t i = 0; i < r->nmodels; i++) {
		free(r->models[i].name);
		free(r->models[i].unit);
		free(r->models[i].field);
	}
	free(r->models);
	memset(r, 0, sizeof *r);
}

void report_model_text(const struct report *r, size_t i, struct report_model_text *t)
{
	const struct report_model *m = &r->models[i];
	snprintf(t->no, sizeof t->no, "%zu", i + 1);
	snprintf(t->points, sizeof t->points, "%ld", m->points);
	snprintf(t->teams, sizeof t->teams, "%ld", m->teams);
	snprintf(t->members, sizeof t->members, "%ld", m->members);
}

void report_summary(const struct report *r, struct strbuf *out)
{
	const long *v = r->total.v;
	strbuf_addf(out,
	            _("In %s, %s built %ld new models; %ld models operate in all (%ld of them pilot models), at %ld "
	              "points with %ld teams and %ld members; %ld new points, %ld of them replications. %ld "
	              "evaluations were made: %ld judged effective, %ld recommending replication."),
	            r->period, r->root_name, v[REPORT_MODELS_NEW], v[REPORT_MODELS], v[REPORT_PILOTS], v[REPORT_POINTS],
	            v[REPORT_TEAMS], v[REPORT_MEMBERS], v[REPORT_POINTS_NEW], v[REPORT_REPLICATIONS], v[REPORT_EVALS],
	            v[REPORT_EFFECTIVE], v[REPORT_RECOMMENDED]);
}

/* --- text ------------------------------------------------------------------- */

static void report_txt_cell(struct strbuf *out, const char *s, size_t width, int right)
{
	size_t w = vn_width(s, strlen(s));
	if (right)
		for (size_t i = w; i < width; i++)
			strbuf_addc(out, ' ');
	vn_fit(s, strlen(s), width, !right, out);
}

static void report_txt_table(struct strbuf *out, const char *title, const char *first, const struct report_row *rows,
                             size_t n, const struct report_row *total)
{
	size_t w0 = vn_width(first, strlen(first));
	for (size_t i = 0; i < n; i++) {
		size_t w = vn_width(rows[i].name, strlen(rows[i].name));
		w0 = w > w0 ? w : w0;
	}
	size_t wc[REPORT_NCOLS];
	for (int c = 0; c < REPORT_NCOLS; c++)
		wc[c] = vn_width(report_col_name(c), strlen(report_col_name(c)));
	size_t line = w0;
	for (int c = 0; c < REPORT_NCOLS; c++)
		line += 2 + wc[c];
	strbuf_addf(out, "%s\n", title);
	report_txt_cell(out, first, w0, 0);
	for (int c = 0; c < REPORT_NCOLS; c++) {
		strbuf_adds(out, "  ");
		report_txt_cell(out, report_col_name(c), wc[c], 1);
	}
	strbuf_addc(out, '\n');
	for (size_t i = 0; i < line; i++)
		strbuf_addc(out, '-');
	strbuf_addc(out, '\n');
	for (size_t i = 0; i <= n; i++) {
		const struct report_row *row = i < n ? &rows[i] : total;
		if (i == n) {
			for (size_t k = 0; k < line; k++)
				strbuf_addc(out, '-');
			strbuf_addc(out, '\n');
		}
		report_txt_cell(out, row->name, w0, 0);
		for (int c = 0; c < REPORT_NCOLS; c++) {
			char num[24];
			snprintf(num, sizeof num, "%ld", row->v[c]);
			strbuf_adds(out, "  ");
			report_txt_cell(out, num, wc[c], 1);
		}
		strbuf_addc(out, '\n');
	}
	strbuf_addc(out, '\n');
}

void report_txt(const struct report *r, struct strbuf *out)
{
	strbuf_addf(out, "%s\n", r->office);
	strbuf_addf(out, _("REPORT ON COMMUNITY SECURITY MODELS, %s, %s\n"), r->period, r->root_name);
	strbuf_addf(out, _("From %.2s/%.2s/%.4s to %.2s/%.2s/%.4s\n\n"), r->from + 8, r->from + 5, r->from, r->to + 8,
	            r->to + 5, r->to);
	report_summary(r, out);
	strbuf_adds(out, "\n\n");
	report_txt_table(out, _("1. By unit"), _("Unit"), r->areas, r->nareas, &r->total);
	report_txt_table(out, _("2. By field"), _("Field"), r->fields, r->nfields, &r->total);
	strbuf_addf(out, "%s\n", _("3. Models operating at the end of the period"));
	const char *head[] = {_("Model"), _("Unit"), _("Field"), _("Points"), _("Teams"), _("Members")};
	size_t w[6];
	for (int c = 0; c < 6; c++)
		w[c] = vn_width(head[c], strlen(head[c]));
	for (size_t i = 0; i < r->nmodels; i++) {
		const struct report_model *m = &r->models[i];
		const char *t[3] = {m->name, m->unit, m->field};
		for (int c = 0; c < 3; c++) {
			size_t x = vn_width(t[c], strlen(t[c])) + (c == 0 && m->pilot ? 2 : 0);
			w[c] = x > w[c] ? x : w[c];
		}
	}
	for (int c = 0; c < 3; c++)
		w[c] = w[c] > 60 ? 60 : w[c];
	for (int c = 0; c < 6; c++) {
		strbuf_adds(out, c ? "  " : "");
		report_txt_cell(out, head[c], w[c], c >= 3);
	}
	strbuf_addc(out, '\n');
	for (size_t i = 0; i < r->nmodels; i++) {
		const struct report_model *m = &r->models[i];
		char *name = xalloc_printf("%s%s", m->name, m->pilot ? " *" : "");
		const char *t[3] = {name, m->unit, m->field};
		for (int c = 0; c < 3; c++) {
			strbuf_adds(out, c ? "  " : "");
			report_txt_cell(out, t[c], w[c], 0);
		}
		long n[3] = {m->points, m->teams, m->members};
		for (int c = 0; c < 3; c++) {
			char num[24];
			snprintf(num, sizeof num, "%ld", n[c]);
			strbuf_adds(out, "  ");
			report_txt_cell(out, num, w[c + 3], 1);
		}
		strbuf_addc(out, '\n');
		free(name);
	}
	strbuf_addf(out, "%s\n", _("(*) pilot model"));
	strbuf_addf(out, "%s\n",
	            _("Columns: new models, models operating at the end, pilot models, models stopped; new"
	              " points, replications, points operating at the end, points stopped; teams and members"
	              " of the operating points; evaluations, judged effective, recommending replication."));
}

/* --- CSV -------------------------------------------------------------------- */

static void report_csv_table(struct strbuf *out, const char *first, const struct report_row *rows, size_t n,
                             const struct report_row *total)
{
	strbuf_adds(out, _("Code"));
	strbuf_addc(out, ',');
	csv_field(out, first);
	for (int c = 0; c < REPORT_NCOLS; c++) {
		strbuf_addc(out, ',');
		csv_field(out, report_col_name(c));
	}
	strbuf_adds(out, "\r\n");
	for (size_t i = 0; i <= n; i++) {
		const struct report_row *row = i < n ? &rows[i] : total;
		/* a unit's code as people write it ("22978" of the key "22978@2025-07-01"); none for an
		 * undetermined unit */
		char code[sizeof row->code];
		snprintf(code, sizeof code, "%.*s", row->code[0] == '?' ? 0 : (int)strcspn(row->code, "@"), row->code);
		csv_field(out, code);
		strbuf_addc(out, ',');
		csv_field(out, row->name);
		for (int c = 0; c < REPORT_NCOLS; c++)
			strbuf_addf(out, ",%ld", row->v[c]);
		strbuf_adds(out, "\r\n");
	}
	strbuf_adds(out, "\r\n");
}

void report_csv(const struct report *r, int bom, struct strbuf *out)
{
	if (bom)
		strbuf_adds(out, "\xEF\xBB\xBF");
	report_csv_table(out, _("Unit"), r->areas, r->nareas, &r->total);
	report_csv_table(out, _("Field"), r->fields, r->nfields, &r->total);
	const char *head[] = {_("Model"),  _("Unit"),  _("Field"),  _("Pilot model"),
	                      _("Points"), _("Teams"), _("Members")};
	for (int c = 0; c < 7; c++) {
		strbuf_adds(out, c ? "," : "");
		csv_field(out, head[c]);
	}
	strbuf_adds(out, "\r\n");
	for (size_t i = 0; i < r->nmodels; i++) {
		const struct report_model *m = &r->models[i];
		csv_field(out, m->name);
		strbuf_addc(out, ',');
		csv_field(out, m->unit);
		strbuf_addc(out, ',');
		csv_field(out, m->field);
		strbuf_addf(out, ",%d,%ld,%ld,%ld\r\n", m->pilot, m->points, m->teams, m->members);
	}
}

/* --- HTML ------------------------------------------------------------------- */

static void report_html_text(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': strbuf_adds(out, "&lt;"); break;
		case '>': strbuf_adds(out, "&gt;"); break;
		case '&': strbuf_adds(out, "&amp;"); break;
		case '"': strbuf_adds(out, "&quot;"); break;
		default: strbuf_addc(out, *s);
		}
	}
}

static void report_html_upper(struct strbuf *out, const char *s)
{
	struct strbuf up;
	strbuf_init(&up);
	vn_upper(s, strlen(s), &up);
	report_html_text(out, up.buf);
	strbuf_release(&up);
}

static void report_html_table(struct strbuf *out, const char *title, const char *first, const struct report_row *rows,
                              size_t n, const struct report_row *total)
{
	strbuf_adds(out, "<h2>");
	report_html_text(out, title);
	strbuf_adds(out, "</h2>\n<table>\n<thead><tr><th>");
	report_html_text(out, _("No."));
	strbuf_adds(out, "</th><th>");
	report_html_text(out, first);
	strbuf_adds(out, "</th>");
	for (int c = 0; c < REPORT_NCOLS; c++) {
		strbuf_adds(out, "<th>");
		report_html_text(out, report_col_name(c));
		strbuf_adds(out, "</th>");
	}
	strbuf_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i <= n; i++) {
		const struct report_row *row = i < n ? &rows[i] : total;
		if (i < n)
			strbuf_addf(out, "<tr><td>%zu</td><td class=\"name\">", i + 1);
		else
			strbuf_adds(out, "</tbody>\n<tfoot><tr class=\"total\"><td></td><td class=\"name\">");
		report_html_text(out, row->name);
		strbuf_adds(out, "</td>");
		for (int c = 0; c < REPORT_NCOLS; c++)
			strbuf_addf(out, "<td>%ld</td>", row->v[c]);
		strbuf_adds(out, "</tr>\n");
	}
	strbuf_adds(out, "</tfoot>\n</table>\n");
}

void report_html(const struct report *r, struct strbuf *out)
{
	strbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	report_html_text(out, _("Report on community security models"));
	strbuf_adds(out, " — ");
	report_html_text(out, r->period);
	strbuf_adds(
	    out, "</title>\n<style>\n"
	         /* Nghị định 30/2020/NĐ-CP: A4, margins 20 mm top and bottom, 30 mm left, 15 mm right */
	         "@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm; }\n"
	         "body { font-family: \"Times New Roman\", \"Liberation Serif\", Times, serif; font-size: 14pt;"
	         " color: #000; }\n"
	         ".head { display: flex; justify-content: space-between; text-align: center; }\n"
	         ".head .agency { width: 72mm; } .head .nation { width: 95mm; }\n"
	         ".head p { margin: 0; font-size: 13pt; }\n"
	         ".bold { font-weight: bold; }\n"
	         ".head .nation p.state { font-size: 12pt; font-weight: bold; }\n"
	         ".rule { width: 40%; margin: 2pt auto 6pt; border-top: 1px solid #000; }\n"
	         ".place { font-style: italic; }\n"
	         "h1 { text-align: center; font-size: 14pt; margin: 14pt 0 0; }\n"
	         ".about { text-align: center; font-weight: bold; margin: 0 0 10pt; }\n"
	         ".summary { text-align: justify; text-indent: 10mm; }\n"
	         "h2 { font-size: 13pt; margin: 12pt 0 4pt; }\n"
	         "table { border-collapse: collapse; width: 100%; font-size: 9.5pt; page-break-inside: auto; }\n"
	         "thead { display: table-header-group; }\n"
	         "th, td { border: 1px solid #000; padding: 2pt 3pt; text-align: right; }\n"
	         "th { text-align: center; font-weight: bold; font-size: 8pt; }\n"
	         "td.name { text-align: left; }\n"
	         "tr { page-break-inside: avoid; }\n"
	         "tr.total td { font-weight: bold; }\n"
	         ".end { display: flex; justify-content: space-between; margin-top: 18pt; page-break-inside: avoid; }\n"
	         ".recipients { width: 80mm; font-size: 11pt; }\n"
	         ".recipients p { margin: 0; } .recipients .to { font-size: 12pt; font-weight: bold;"
	         " font-style: italic; }\n"
	         ".sign { width: 80mm; text-align: center; }\n"
	         ".sign p { margin: 0; } .sign .role { font-weight: bold; } .sign .hint { font-style: italic;"
	         " margin-bottom: 25mm; } .sign .name { font-weight: bold; }\n"
	         "</style>\n</head>\n<body>\n");
	/* the agency top left, the nation and its motto top right; the number and the place and date under them */
	strbuf_adds(out, "<div class=\"head\">\n<div class=\"agency\"><p>");
	report_html_upper(out, r->above);
	strbuf_adds(out, "</p><p class=\"bold\">");
	report_html_upper(out, r->office);
	strbuf_adds(out, "</p><div class=\"rule\"></div><p>");
	report_html_text(out, r->number);
	strbuf_adds(out, "</p></div>\n<div class=\"nation\"><p class=\"state\">");
	report_html_text(out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	strbuf_adds(out, "</p><p class=\"bold\">");
	report_html_text(out, "Độc lập - Tự do - Hạnh phúc");
	strbuf_adds(out, "</p><div class=\"rule\" style=\"width: 60%\"></div><p class=\"place\">");
	char *place =
	    xalloc_printf(_("%s, day %.2s month %.2s year %.4s"), r->place, r->date + 8, r->date + 5, r->date);
	report_html_text(out, place);
	free(place);
	strbuf_adds(out, "</p></div>\n</div>\n<h1>");
	report_html_upper(out, _("Report"));
	strbuf_adds(out, "</h1>\n<p class=\"about\">");
	char *about = xalloc_printf(_("Results of the community security models in %s"), r->period);
	report_html_text(out, about);
	free(about);
	strbuf_adds(out, "<br>");
	report_html_text(out, r->root_name);
	strbuf_adds(out, "</p>\n<div class=\"rule\" style=\"width: 25%\"></div>\n<p class=\"summary\">");
	struct strbuf sum;
	strbuf_init(&sum);
	report_summary(r, &sum);
	report_html_text(out, sum.buf);
	strbuf_release(&sum);
	strbuf_adds(out, "</p>\n");
	report_html_table(out, _("1. By unit"), _("Unit"), r->areas, r->nareas, &r->total);
	report_html_table(out, _("2. By field"), _("Field"), r->fields, r->nfields, &r->total);
	strbuf_adds(out, "<h2>");
	report_html_text(out, _("3. Models operating at the end of the period"));
	strbuf_adds(out, "</h2>\n<table>\n<thead><tr>");
	const char *head[] = {_("No."), _("Model"), _("Unit"), _("Field"), _("Points"), _("Teams"), _("Members")};
	for (int c = 0; c < 7; c++) {
		strbuf_adds(out, "<th>");
		report_html_text(out, head[c]);
		strbuf_adds(out, "</th>");
	}
	strbuf_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nmodels; i++) {
		const struct report_model *m = &r->models[i];
		strbuf_addf(out, "<tr><td>%zu</td><td class=\"name\">", i + 1);
		report_html_text(out, m->name);
		strbuf_adds(out, m->pilot ? " (*)</td><td class=\"name\">" : "</td><td class=\"name\">");
		report_html_text(out, m->unit);
		strbuf_adds(out, "</td><td class=\"name\">");
		report_html_text(out, m->field);
		strbuf_addf(out, "</td><td>%ld</td><td>%ld</td><td>%ld</td></tr>\n", m->points, m->teams, m->members);
	}
	strbuf_adds(out, "</tbody>\n</table>\n<p><i>");
	report_html_text(out, _("(*) pilot model"));
	strbuf_adds(out, "</i></p>\n");
	/* Nơi nhận bottom left, the signature bottom right */
	strbuf_adds(out, "<div class=\"end\">\n<div class=\"recipients\"><p class=\"to\">");
	report_html_text(out, _("Recipients:"));
	strbuf_adds(out, "</p>");
	char *list = xalloc_strdup(r->recipients), *save = NULL;
	for (char *item = strtok_r(list, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		while (*item == ' ')
			item++;
		strbuf_adds(out, "<p>- ");
		report_html_text(out, item);
		strbuf_adds(out, save && *save ? ";</p>" : ".</p>");
	}
	free(list);
	strbuf_adds(out, "</div>\n<div class=\"sign\"><p class=\"role\">");
	report_html_upper(out, r->signer_title);
	strbuf_adds(out, "</p><p class=\"hint\">");
	report_html_text(out, _("(Signature and full name)"));
	strbuf_adds(out, "</p><p class=\"name\">");
	report_html_text(out, r->signer);
	strbuf_adds(out, "</p></div>\n</div>\n</body>\n</html>\n");
}
