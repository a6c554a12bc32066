/* mohinh units [QUERY] [--on DATE] | units history CODE [--on DATE]
 *       | units unresolved | units successor POINT CODE */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "strbuf.h"
#include "unit-text.h"
#include "store-unit.h"

static int cli_units_print(const struct store_unit *u, void *ud)
{
	(*(long *)ud)++;
	struct strbuf name, period;
	strbuf_init(&name);
	strbuf_init(&period);
	unit_text_name(u->name, u->former, &name);
	unit_text_period(&period, u->valid_from, u->valid_to);
	printf("%s\t%d\t%s\t%s\t%s\t%s\n", u->gso, u->level, u->type, name.buf, u->parent_name, period.buf);
	strbuf_release(&name);
	strbuf_release(&period);
	return 0;
}

static int cli_units_unresolved_row(const struct store_unresolved *p, void *ud)
{
	if ((*(long *)ud)++ == 0)
		printf("%s\t%s\t%s\t%s\t%s\n", _("point"), _("model"), _("unit (former)"), _("place"), _("successors"));
	printf("%s\t%s\t%s %s, %s\t%s\t%s\n", p->point_id, p->model, p->unit_code, p->unit_name, p->parent_name,
	       p->place, p->successors);
	return 0;
}

/* the worklist of points in divided communes, and the choice of a successor */
static int cli_units_lineage(struct cli_ctx *ctx, int argc, char **argv)
{
	int choose = strcmp(argv[0], "successor") == 0;
	if (argc != (choose ? 3 : 1))
		return cli_usage(&cli_units_command);
	struct store *st;
	int rc = cli_open(ctx, choose ? STORE_WRITE : STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	long n = 0;
	if (choose ? store_record_successor(st, argv[1], argv[2], &err) < 0
	           : store_record_unresolved(st, cli_units_unresolved_row, &n, &err) < 0)
		rc = cli_report(&err);
	else if (!choose && n == 0)
		printf("%s\n", _("Every point of a divided commune has its successor."));
	store_free(st);
	return rc;
}

static int cli_units_run(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "unresolved") == 0 || strcmp(argv[1], "successor") == 0))
		return cli_units_lineage(ctx, argc - 1, argv + 1);
	const char *on = NULL;
	const struct cli_arg args[] = {CLI_TEXT("on", &on), CLI_END};
	int first;
	int rc = cli_args(&cli_units_command, args, argc, argv, &first);
	if (rc)
		return rc;
	int history = first < argc && strcmp(argv[first], "history") == 0;
	if (history ? argc - first != 2 : argc - first > 1)
		return cli_usage(&cli_units_command);
	if (on && !store_date_valid(on))
		return cli_fail(MH_EUSAGE, _("a date must be a real date, written YYYY-MM-DD: %s"), on);
	struct store *st;
	rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	if (history) {
		/* every version of the code (or the one in force on the day), each with its links */
		struct strbuf out;
		strbuf_init(&out);
		long n = unit_text_history(st, argv[first + 1], on, &out, &err);
		fputs(out.buf, stdout);
		strbuf_release(&out);
		if (n < 0)
			rc = cli_report(&err);
		else if (n == 0)
			rc = cli_fail(MH_EDATA, _("no unit has the code %s"), argv[first + 1]);
		store_free(st);
		return rc;
	}
	long n = 0;
	struct store_unit_filter f = {.query = first < argc ? argv[first] : "", .on = on};
	if (store_unit_list(st, &f, cli_units_print, &n, &err) < 0)
		rc = cli_report(&err);
	store_free(st);
	return rc;
}

const struct cli_command cli_units_command = {
    "units",
    N_("[QUERY] [--on DATE] | history CODE [--on DATE] | unresolved | successor POINT CODE"),
    N_("administrative units whose name contains the words (accents and case ignored): "
       "code, level, type, name, parents, the days in force; history: where a unit came from and went; "
       "unresolved: the points of divided communes without a successor; successor: choose it"),
    cli_units_run,
};
