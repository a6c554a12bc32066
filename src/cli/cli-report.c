/* mohinh report --year Y[-Y2] [--half 1|2] [--unit CODE|VN] [--format txt|csv|html|pdf|xlsx] [--no-bom] [-o FILE]
 * (the format follows the file's name when --format is not given) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "i18n.h"
#include "report.h"
#include "store.h"

/* "2017" or "2015-2017" */
static int cli_report_years(const char *s, struct report_params *p)
{
	char *end;
	p->year = (int)strtol(s, &end, 10);
	p->year_to = 0;
	if (*end == '-' && end[1])
		p->year_to = (int)strtol(end + 1, &end, 10);
	return *s && !*end && p->year >= 1900 && p->year <= 2200 &&
	       (!p->year_to || (p->year_to > p->year && p->year_to <= 2200));
}

static int cli_report_year(void *dst, const char *value)
{
	return cli_report_years(value, dst) ? 0 : -1;
}

static int cli_report_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct report_params p = {0};
	const char *format = NULL, *output = "-", *half = NULL;
	int bom = 1;
	const struct cli_arg args[] = {
	    CLI_FN("year", &p, cli_report_year,
	           N_("--year takes a year (2017) or a range of years (2015-2017), not '%s'")),
	    CLI_ONE_OF("half", &half, "1|2", N_("--half is 1 or 2, not '%s'")),
	    CLI_TEXT("unit", &p.unit),
	    CLI_ONE_OF("format", &format, "txt|csv|html|pdf|xlsx",
	               N_("--format is txt, csv, html, pdf or xlsx, not '%s'")),
	    CLI_FLAG("no-bom", &bom, 0),
	    {.name = "output", .kind = CLI_ARG_TEXT, .dst = &output, .letter = 'o'},
	    CLI_TEXT("date", &p.date),
	    CLI_END,
	};
	int first;
	int rc = cli_args(&cli_report_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (half)
		p.half = half[0] - '0';
	if (first != argc || !p.year)
		return cli_usage(&cli_report_command);
	if (p.half && p.year_to)
		return cli_fail(MH_EUSAGE, _("--half goes with one year, not a range"));
	struct store *st;
	rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct report r;
	if (store_report_compute(st, &p, &r, &err) < 0) {
		rc = cli_report(&err);
	} else {
		if (app_report_write(&r, format, bom, output, &err) < 0)
			rc = cli_report(&err);
		else if (strcmp(output, "-") != 0)
			printf("%s\n", output);
		report_free(&r);
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_report_command = {
    "report",
    N_("--year Y[-Y2] [--half 1|2] [--unit CODE|VN] [--format txt|csv|html|pdf|xlsx] [--no-bom] [--date YYYY-MM-DD] "
       "[-o FILE]"),
    N_("the report of models, points and evaluations of a unit's area for a year, a half-year or years"),
    cli_report_run,
};
