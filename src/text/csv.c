#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "strbuf.h"
#include "xalloc.h"

/* What a spreadsheet takes for a formula (=, +, -, @) or strips (tab, CR),
 * and the quote that marks such a cell as text. */
static int csv_risky(char c)
{
	return c && strchr("=+-@\t\r'", c) != NULL;
}

void csv_field(struct strbuf *out, const char *s)
{
	int risky = csv_risky(s[0]);
	if (!risky && !strpbrk(s, ",;\"\r\n")) {
		strbuf_adds(out, s);
		return;
	}
	strbuf_addc(out, '"');
	if (risky) /* shown as text, never run (OWASP's advice); csv_text takes it off */
		strbuf_addc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addc(out, '"');
		strbuf_addc(out, *s);
	}
	strbuf_addc(out, '"');
}

static void csv_push_field(struct csv_record *rec, struct strbuf *field)
{
	rec->f = xalloc_realloc(rec->f, (rec->n + 1) * sizeof *rec->f);
	rec->f[rec->n++] = strbuf_detach(field, NULL);
}

static void csv_record_free(struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		free(rec->f[i]);
	free(rec->f);
}

/* The separator: the one of ',' and ';' more frequent outside quotes on the first line. */
static char csv_separator(const char *s, size_t len)
{
	size_t commas = 0, semis = 0;
	int quoted = 0;
	for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			commas += s[i] == ',', semis += s[i] == ';';
	}
	return semis > commas ? ';' : ',';
}

int csv_parse(const char *s, size_t len, struct csv_table *t, struct mh_error *err)
{
	memset(t, 0, sizeof *t);
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, len -= 3;
	t->sep = csv_separator(s, len);
	size_t cap = 0, i = 0;
	long line = 1;
	struct strbuf field;
	strbuf_init(&field);
	while (i < len) {
		struct csv_record rec = {NULL, 0, line};
		long quote_line = 0;
		int end = 0;
		while (!end) {
			/* one field */
			if (i < len && s[i] == '"') {
				quote_line = line;
				i++;
				for (;;) {
					if (i >= len) {
						strbuf_release(&field);
						csv_record_free(&rec);
						csv_free(t);
						mh_error_where(err, "%ld", quote_line);
						return mh_error_set(err, MH_EDATA,
						                    _("line %ld: a quote opened here is never closed"),
						                    quote_line);
					}
					if (s[i] == '"') {
						if (i + 1 < len && s[i + 1] == '"') {
							strbuf_addc(&field, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					size_t run = i; /* up to the next quote, at once */
					while (run < len && s[run] != '"')
						line += s[run++] == '\n';
					strbuf_add(&field, s + i, run - i);
					i = run;
				}
			}
			/* what follows, quoted or not, up to the separator or the end of the line */
			size_t run = i;
			while (run < len && s[run] != t->sep && s[run] != '\n' && s[run] != '\r')
				run++;
			strbuf_add(&field, s + i, run - i);
			i = run;
			csv_push_field(&rec, &field);
			if (i < len && s[i] == t->sep) {
				i++;
				continue;
			}
			if (i < len && s[i] == '\r')
				i++;
			if (i < len && s[i] == '\n')
				i++;
			line++;
			end = 1;
		}
		int blank = rec.n == 1 && rec.f[0][0] == '\0';
		if (blank) {
			csv_record_free(&rec);
			continue;
		}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->r = xalloc_realloc(t->r, cap * sizeof *t->r);
		}
		t->r[t->n++] = rec;
	}
	strbuf_release(&field);
	return 0;
}

void csv_free(struct csv_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		csv_record_free(&t->r[i]);
	free(t->r);
	memset(t, 0, sizeof *t);
}

void csv_text(char *cell)
{
	if (cell[0] == '\'' && csv_risky(cell[1]))
		memmove(cell, cell + 1, strlen(cell));
}
