/* Global options and dispatch. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <termios.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "i18n.h"
#include "store.h"
#include "xalloc.h"
#include "store-user.h"

static const struct cli_command *const cli_commands[] = {
    &cli_init_command,        &cli_demo_command,     &cli_units_command,        &cli_unit_add_command,
    &cli_models_command,      &cli_points_command,   &cli_evaluations_command,  &cli_check_command,
    &cli_check_forms_command, &cli_report_command,   &cli_export_sheet_command, &cli_import_sheet_command,
    &cli_user_command,        &cli_review_command,   &cli_history_command,      &cli_keys_command,
    &cli_office_command,      &cli_export_command,   &cli_import_command,       &cli_bundle_command,
    &cli_sync_command,        &cli_setup_command,    &cli_ref_command,          &cli_conflicts_command,
    &cli_edit_command,        &cli_settings_command, &cli_text_command,
};

int cli_report(const struct mh_error *err)
{
	if (err->where[0] && err->code != MH_EDATA)
		fprintf(stderr, "mohinh: %s (%s)\n", err->msg, err->where);
	else
		fprintf(stderr, "mohinh: %s\n", err->msg);
	return err->code ? (int)err->code : MH_EFAIL;
}

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mohinh: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

int cli_password(const char *prompt, char *buf, size_t cap)
{
	buf[0] = '\0';
	FILE *in = stdin;
	struct termios saved, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (tty) {
		fprintf(stderr, "%s ", prompt);
		quiet = saved;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	int ok = fgets(buf, (int)cap, in) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fputc('\n', stderr);
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

int cli_new_password(const char *prompt, char *buf, size_t cap)
{
	if (!cli_password(prompt, buf, cap) || !buf[0])
		return cli_fail(MH_EFAIL, _("no password was given"));
	if (isatty(STDIN_FILENO)) {
		char again[1100];
		int same = cli_password(_("The same password again:"), again, sizeof again) && strcmp(again, buf) == 0;
		memset(again, 0, sizeof again);
		if (!same)
			return cli_fail(MH_EDATA, _("the two passwords differ: nothing changed"));
	}
	return 0;
}

int cli_open(struct cli_ctx *ctx, int flags, struct store **st)
{
	struct mh_error err;
	*st = store_open(ctx->db_path, (enum store_open_flags)flags, &err);
	if (!*st)
		return cli_report(&err);
	if (!(flags & STORE_WRITE) || store_user_count(*st) <= 0)
		return MH_OK;
	/* a database with accounts: nothing changes without a login */
	char password[1100];
	int rc = MH_OK;
	if (!ctx->user || !*ctx->user)
		rc = cli_fail(MH_EFAIL,
		              _("this database has accounts: say who you are with --user NAME (or MOHINH_USER)"));
	else if (!cli_password(_("Password:"), password, sizeof password))
		rc = cli_fail(MH_EFAIL, _("no password was given"));
	else if (store_login(*st, ctx->user, password, &err) < 0)
		rc = cli_report(&err);
	memset(password, 0, sizeof password);
	if (rc) {
		store_free(*st);
		*st = NULL;
	}
	return rc;
}

/* gettext of "" is the catalogue's header: keep empty texts empty */
static const char *cli_tr(const char *s)
{
	return *s ? _(s) : s;
}

int cli_usage(const struct cli_command *cmd)
{
	fprintf(stderr, "%s: mohinh %s %s\n", _("usage"), cmd->name, cli_tr(cmd->args));
	return MH_EUSAGE;
}

static void cli_help(FILE *f)
{
	fprintf(f, "%s: mohinh [--db FILE] [--user NAME] [--lang vi|en] [COMMAND [ARGS]]\n\n", _("usage"));
	fprintf(f, "%s\n\n", _("Community security models: data entry, review, sync and reports."));
	fprintf(f, "%s\n", _("Without a command, mohinh opens its screens."));
	fprintf(f, "\n%s:\n", _("Commands"));
	for (size_t i = 0; i < sizeof cli_commands / sizeof *cli_commands; i++)
		fprintf(f, "  %-8s %s\n           %s\n", cli_commands[i]->name, cli_tr(cli_commands[i]->args),
		        cli_tr(cli_commands[i]->summary));
	fprintf(f, "\n%s:\n", _("Options"));
	fprintf(f, "  --db FILE     %s\n", _("the database (default $XDG_DATA_HOME/mohinh/mohinh.db, or $MOHINH_DB)"));
	fprintf(f, "  --user NAME   %s\n", _("who a command that changes data acts as (or $MOHINH_USER)"));
	fprintf(f, "  --lang vi|en  %s\n",
	        _("language of messages (default Vietnamese; LANGUAGE=en also gives English)"));
	fprintf(f, "  --help        %s\n", _("this help"));
	fprintf(f, "  --version     %s\n", _("the version"));
	fprintf(f, "\n%s:\n", _("Exit codes"));
	fprintf(f, "  0 %s\n  1 %s\n  2 %s\n  3 %s\n  4 %s\n", _("ok"), _("failed"), _("wrong usage"),
	        _("invalid data"), _("storage or I/O error"));
}

/* The installed forms: the build tree's, or those of an installed tree
 * wherever it was put (make install), or the system's. */
static void cli_forms_installed(char *dir, size_t cap)
{
	char exe[PATH_MAX / 2];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		/* a folder of forms, not a file or folder that happens to be named so */
		static const char *const tries[] = {"%s/forms", "%s/../forms", "%s/../share/mohinh/forms"};
		for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
			snprintf(dir, cap, tries[i], exe);
			char *form = xalloc_printf("%s/model.form", dir);
			int found = access(form, R_OK) == 0;
			free(form);
			if (found)
				return;
		}
	}
	snprintf(dir, cap, "/usr/share/mohinh/forms");
}

const char *cli_forms_dir(void)
{
	static char path[3 * PATH_MAX];
	if (path[0])
		return path;
	char dir[PATH_MAX];
	const char *env = getenv("MOHINH_FORMS");
	if (env && *env)
		snprintf(dir, sizeof dir, "%s", env);
	else
		cli_forms_installed(dir, sizeof dir);
	/* then the office's own, each over the one before (formdef_read_dir): the
	 * technician's for the PC, then the officer's in the data folder */
	const char *etc = getenv("MOHINH_SYSCONFDIR"), *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char data[PATH_MAX];
	if (xdg && *xdg)
		snprintf(data, sizeof data, "%s/mohinh/forms", xdg);
	else
		snprintf(data, sizeof data, "%s/.local/share/mohinh/forms", home && *home ? home : ".");
	snprintf(path, sizeof path, "%s:%s/forms:%s", dir, etc && *etc ? etc : "/etc/mohinh", data);
	return path;
}

/* $XDG_DATA_HOME/mohinh/mohinh.db, or ~/.local/share/mohinh/mohinh.db */
static char *cli_default_db(void)
{
	const char *env = getenv("MOHINH_DB");
	if (env && *env)
		return xalloc_strdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return xalloc_printf("%s/mohinh/mohinh.db", xdg);
	const char *home = getenv("HOME");
	return xalloc_printf("%s/.local/share/mohinh/mohinh.db", home && *home ? home : ".");
}

/* The name a command had before (import-csv, export-csv), as it is now. */
static const char *cli_alias(const char *name)
{
	static const char *const old[][2] = {{"import-csv", "import-sheet"}, {"export-csv", "export-sheet"}};
	for (size_t i = 0; i < sizeof old / sizeof *old; i++)
		if (strcmp(name, old[i][0]) == 0)
			return old[i][1];
	return "";
}

int cli_main(int argc, char **argv, int (*screens)(const char *db_path, const char *forms_dir))
{
	char *db = NULL;
	const char *user = getenv("MOHINH_USER");
	int i = 1;
	int rc;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			free(db);
			db = xalloc_strdup(argv[++i]);
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			free(db);
			db = xalloc_strdup(argv[i] + 5);
		} else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
			user = argv[++i];
		} else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			i++; /* taken by main() */
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_help(stdout);
			free(db);
			return MH_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("mohinh %s\n", MOHINH_VERSION);
			free(db);
			return MH_OK;
		} else {
			fprintf(stderr, "mohinh: %s '%s' (mohinh --help)\n", _("unknown option"), argv[i]);
			free(db);
			return MH_EUSAGE;
		}
	}
	int db_default = !db && !(getenv("MOHINH_DB") && *getenv("MOHINH_DB"));
	if (!db)
		db = cli_default_db();
	struct cli_ctx ctx = {db, db_default, user};
	if (i == argc) {
		rc = screens(db, cli_forms_dir());
		free(db);
		return rc;
	}
	for (size_t k = 0; k < sizeof cli_commands / sizeof *cli_commands; k++) {
		if (strcmp(cli_commands[k]->name, argv[i]) == 0 ||
		    strcmp(cli_alias(argv[i]), cli_commands[k]->name) == 0) {
			rc = cli_commands[k]->run(&ctx, argc - i, argv + i);
			free(db);
			return rc;
		}
	}
	fprintf(stderr, "mohinh: %s '%s' (mohinh --help)\n", _("unknown command"), argv[i]);
	free(db);
	return MH_EUSAGE;
}

struct formdef_set *cli_forms(struct store *st)
{
	struct formdef_errors errs = {0};
	struct formdef_set *forms = store_forms_load(st, cli_forms_dir(), &errs);
	if (errs.n) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		fprintf(stderr, "mohinh: %s\n", _("the form files have errors: run mohinh check-forms"));
		formdef_free(forms);
		forms = NULL;
	}
	formdef_errors_release(&errs);
	return forms;
}
