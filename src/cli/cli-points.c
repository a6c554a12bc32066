/* mohinh points and mohinh evaluations: tab-separated, with a header line. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "store-list.h"
#include "store-unit.h"

static int cli_points_row(struct store_point_row *r, void *ud)
{
	(void)ud;
	char gso[12];
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->id, r->model_name, store_unit_gso(r->unit_code, gso),
	       r->unit_name, r->place, r->launched_on, r->teams, r->members, r->status, r->from_unit, r->state);
	return 0;
}

/* --due [DATE]: the points not evaluated in the half-year of the date (today by default) */
struct cli_points_due {
	char *due;
	struct store_point_filter *f;
};

static int cli_points_due(void *dst, const char *value)
{
	struct cli_points_due *d = dst;
	char today[11];
	store_today(today);
	const char *on = value ? value : today;
	if (!store_date_valid(on))
		return -1;
	store_half_year_start(on, d->due);
	d->f->due_before = d->due;
	return 0;
}

static int cli_points_run(struct cli_ctx *ctx, int argc, char **argv)
{
	char due[11] = "";
	struct store_point_filter f = {.due_before = NULL};
	struct cli_points_due d = {due, &f};
	const struct cli_arg args[] = {
	    CLI_TEXT("model", &f.model_id),
	    CLI_TEXT("search", &f.search),
	    CLI_TEXT("unit", &f.unit_code),
	    {.name = "due",
	     .kind = CLI_ARG_FN,
	     .dst = &d,
	     .fn = cli_points_due,
	     .bad = N_("--due takes a date written YYYY-MM-DD, not '%s'"),
	     .optional = 1},
	    CLI_END,
	};
	int first;
	int rc = cli_args(&cli_points_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first != argc)
		return cli_usage(&cli_points_command);
	struct store *st;
	rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct store_unit u;
	if (f.unit_code && store_unit_find(st, f.unit_code, &u, &err) < 0) {
		rc = cli_report(&err);
	} else {
		if (f.unit_code)
			f.unit_code = u.code;
		printf("id\tmodel\tunit_code\tunit\tplace\tlaunched_on\tteams\tmembers\tstatus\treplicated_from_"
		       "unit\tstate\n");
		if (store_point_list(st, &f, cli_points_row, NULL, &err) < 0)
			rc = cli_report(&err);
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_points_command = {
    "points",
    N_("[--model ID] [--search WORDS] [--unit CODE]"),
    N_("model points (the places where models run), tab-separated with a header line"),
    cli_points_run,
};

static int cli_evaluations_row(struct store_evaluation_row *r, void *ud)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->id, r->model_name, r->unit_name, r->kind, r->period_from,
	       r->period_to, r->reviewer, r->rating, r->replicate ? "1" : "0", r->state);
	return 0;
}

static int cli_evaluations_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *model = NULL, *point = NULL;
	const struct cli_arg args[] = {CLI_TEXT("model", &model), CLI_TEXT("point", &point), CLI_END};
	int first;
	int rc = cli_args(&cli_evaluations_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first != argc)
		return cli_usage(&cli_evaluations_command);
	struct store *st;
	rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	printf("id\tmodel\tunit\tkind\tperiod_from\tperiod_to\treviewer\trating\treplicate\tstate\n");
	if (store_evaluation_list(st, model, point, cli_evaluations_row, NULL, &err) < 0)
		rc = cli_report(&err);
	store_free(st);
	return rc;
}

const struct cli_command cli_evaluations_command = {
    "evaluations",
    N_("[--model ID] [--point ID]"),
    N_("evaluations, latest period first, tab-separated with a header line"),
    cli_evaluations_run,
};
