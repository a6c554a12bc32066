/* mohinh points and mohinh evaluations: tab-separated, with a header line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"

static int cli_points_row(struct store_point_row *r, void *ud)
{
	(void)ud;
	char gso[12];
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->id, r->model_name, store_unit_gso(r->unit_code, gso),
	       r->unit_name, r->place, r->launched_on, r->teams, r->members, r->status, r->from_unit, r->state);
	return 0;
}

static int cli_points_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {{"model", required_argument, NULL, 'm'},
	                                     {"search", required_argument, NULL, 's'},
	                                     {"unit", required_argument, NULL, 'u'},
	                                     {"due", optional_argument, NULL, 'd'},
	                                     {NULL, 0, NULL, 0}};
	char due[11] = "";
	struct store_point_filter f = {0};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'm')
			f.model_id = optarg;
		else if (c == 's')
			f.search = optarg;
		else if (c == 'u')
			f.unit_code = optarg;
		else if (c == 'd') {
			/* --due: not evaluated in the half-year of the date given (today by default) */
			char today[11];
			store_today(today);
			const char *on = optarg ? optarg : today;
			if (!store_date_valid(on))
				return cli_fail(MH_EUSAGE, _("--due takes a date written YYYY-MM-DD, not '%s'"), on);
			store_half_year_start(on, due);
			f.due_before = due;
		} else
			return cli_usage(&cli_points_command);
	}
	if (optind != argc)
		return cli_usage(&cli_points_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
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
	static const struct option opts[] = {
	    {"model", required_argument, NULL, 'm'}, {"point", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
	const char *model = NULL, *point = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'm')
			model = optarg;
		else if (c == 'p')
			point = optarg;
		else
			return cli_usage(&cli_evaluations_command);
	}
	if (optind != argc)
		return cli_usage(&cli_evaluations_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
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
