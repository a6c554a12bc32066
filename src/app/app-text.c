/* What the store returns, written for people: the same text on the screens
 * and on the command line (as report.c writes a report). */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "store-csv.h"
#include "vn.h"

static void app_csv_problems(struct strbuf *out, const char *title, const struct store_csv_problem *p, size_t n)
{
	if (n)
		strbuf_addf(out, "%s\n", title);
	for (size_t i = 0; i < n; i++) {
		if (p[i].column)
			strbuf_addf(out, _("  line %ld, column '%s': %s\n"), p[i].line, p[i].column, p[i].msg);
		else
			strbuf_addf(out, _("  line %ld: %s\n"), p[i].line, p[i].msg);
	}
}

void app_csv_result_text(const struct store_csv_result *res, int dry_run, int ok, struct strbuf *out)
{
	if (res->encoding)
		strbuf_addf(out, res->detected ? _("Encoding: %s (detected)\n") : _("Encoding: %s\n"), res->encoding);
	for (size_t i = 0; i < res->nnotes; i++)
		strbuf_addf(out, "%s\n", res->notes[i]);
	if (res->header_line > 1)
		strbuf_addf(out, _("Header line: line %ld (the lines above it are left out)\n"), res->header_line);
	for (size_t i = 0; i < res->nmapping; i++)
		strbuf_addf(out, _("Column: %s\n"), res->mapping[i]);
	for (size_t i = 0; i < res->nignored; i++)
		strbuf_addf(out, _("Column not taken: %s\n"), res->ignored[i]);
	for (size_t i = 0; i < res->npreview; i++)
		strbuf_addf(out, _("Preview: %s\n"), res->preview[i]);
	app_csv_problems(out, _("Refused:"), res->refused, res->nrefused);
	app_csv_problems(out, _("Duplicates (skipped):"), res->duplicates, res->nduplicates);
	if (ok)
		strbuf_addf(out,
		            dry_run
		                ? _("%ld rows read: %ld would be added, %zu duplicates skipped; nothing changed yet.\n")
		                : _("%ld rows read: %ld added, %zu duplicates skipped.\n"),
		            res->rows, res->added, res->nduplicates);
}

struct app_conflict_cols {
	struct strbuf *out;
	size_t width;
};

static void app_conflict_cells(struct app_conflict_cols *c, char mark, const char *name, const char *ours,
                               const char *theirs)
{
	strbuf_addf(c->out, "%c ", mark);
	vn_fit(name, strlen(name), 14, 1, c->out);
	strbuf_adds(c->out, " | ");
	ours = ours ? ours : "—";
	theirs = theirs ? theirs : "—";
	vn_fit(ours, strlen(ours), c->width, 1, c->out);
	strbuf_adds(c->out, " | ");
	vn_fit(theirs, strlen(theirs), c->width, 0, c->out);
	strbuf_adds(c->out, "\n");
}

static int app_conflict_row(const struct store_conflict_field *f, void *ud)
{
	app_conflict_cells(ud, f->differs ? '*' : ' ', f->name, f->ours, f->theirs);
	return 0;
}

int app_conflict_table(struct store *st, long long id, size_t width, struct strbuf *out, struct mh_error *err)
{
	struct app_conflict_cols c = {out, width};
	app_conflict_cells(&c, ' ', _("field"), _("here now"), _("from the other PC"));
	return store_conflict_show(st, id, app_conflict_row, &c, err);
}

int app_at_rest_text(const struct store_at_rest *r, struct strbuf *out)
{
	int n = 0;
	if (r->encrypted == 0 && ++n)
		strbuf_addf(out,
		            _("Warning: the database %s lies on a disk that is not encrypted: whoever takes this PC "
		              "reads the records and the office's keys. Encrypt the disk with LUKS (man mohinh: DATA "
		              "AT REST).\n"),
		            r->path);
	if ((r->mode & 0007) && ++n)
		strbuf_addf(out,
		            _("Warning: every account of this PC may read the database %s (mode %04o) and the office's "
		              "secret keys in it: chmod o-rwx %s\n"),
		            r->path, r->mode, r->path);
	return n;
}
