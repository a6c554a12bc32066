/* The subcommands: one file each, exporting a constant descriptor. */
#ifndef MOHINH_CLI_H
#define MOHINH_CLI_H

#include <stddef.h>

#include "mh-error.h"

struct cli_ctx {
	const char *db_path; /* --db, MOHINH_DB, or the default */
	int db_default;      /* the default path: its folder may be created */
	const char *user;    /* --user, MOHINH_USER: who a command that changes data acts as */
};

struct store;
/* Opens the database for a command; on failure prints why and returns the
 * exit code (st is then NULL). To write in a database that has accounts,
 * the user logs in: their password is read from the terminal without echo,
 * or as a line of standard input when it is not a terminal. */
int cli_open(struct cli_ctx *ctx, int flags, struct store **st);

struct cli_command {
	const char *name;
	const char *args;    /* synopsis of the arguments (a message id) */
	const char *summary; /* one line (a message id) */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
};

extern const struct cli_command cli_text_command;
extern const struct cli_command cli_init_command;
extern const struct cli_command cli_demo_command;
extern const struct cli_command cli_units_command;
extern const struct cli_command cli_unit_add_command;
extern const struct cli_command cli_models_command;
extern const struct cli_command cli_points_command;
extern const struct cli_command cli_evaluations_command;
extern const struct cli_command cli_check_command;
extern const struct cli_command cli_check_forms_command;
extern const struct cli_command cli_report_command;
extern const struct cli_command cli_export_sheet_command;
extern const struct cli_command cli_import_sheet_command;
extern const struct cli_command cli_user_command;
extern const struct cli_command cli_review_command;
extern const struct cli_command cli_history_command;
extern const struct cli_command cli_keys_command;
extern const struct cli_command cli_office_command;
extern const struct cli_command cli_export_command;
extern const struct cli_command cli_import_command;
extern const struct cli_command cli_bundle_command;
extern const struct cli_command cli_sync_command;
extern const struct cli_command cli_setup_command;
extern const struct cli_command cli_ref_command;
extern const struct cli_command cli_conflicts_command;
extern const struct cli_command cli_edit_command;
extern const struct cli_command cli_settings_command;

/* The forms folders, ':' between them (formdef_read_dir): $MOHINH_FORMS,
 * else forms/ beside the program or one level up (the build tree), else the
 * installed one; then the office's own, each winning over those before:
 * $MOHINH_SYSCONFDIR/forms (/etc/mohinh/forms) and the data folder's
 * ($XDG_DATA_HOME/mohinh/forms). Borrowed, for ever. */
const char *cli_forms_dir(void);
/* The forms in use: the folder's, and those the office above sent; NULL
 * (their errors said on stderr) when they do not load. */
struct formdef_set *cli_forms(struct store *st);
/* Parses the global options and runs a command; without one, opens the
 * screens through `screens` (ui_main: the command line does not know them). */
int cli_main(int argc, char **argv, int (*screens)(const char *db_path, const char *forms_dir));
/* Reads a password (see cli_open) into buf; 0 if none could be read. */
int cli_password(const char *prompt, char *buf, size_t cap);
/* A new password: asked twice on a terminal, read once from a script;
 * 0, or the exit code after saying what is wrong. */
int cli_new_password(const char *prompt, char *buf, size_t cap);
/* Prints "mohinh: message" on standard error and returns err->code. */
int cli_report(const struct mh_error *err);
/* Prints a formatted message on standard error and returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A usage error for a command: prints its synopsis, returns MH_EUSAGE. */
int cli_usage(const struct cli_command *cmd);

/* A command's options as data: one line each, read by cli_args. */
enum cli_arg_kind {
	CLI_ARG_TEXT,   /* --name VALUE: *(const char **)dst = VALUE */
	CLI_ARG_FLAG,   /* --name: *(int *)dst = flag */
	CLI_ARG_YEAR,   /* --name YEAR, 1900 to 2200: *(int *)dst */
	CLI_ARG_COUNT,  /* --name N, 0 or more: *(long *)dst */
	CLI_ARG_ONE_OF, /* --name V, V one of choices ("a|b|c"): *(const char **)dst = V */
	CLI_ARG_FN,     /* --name [VALUE]: fn(dst, VALUE or NULL) is 0, or not a good value */
};
struct cli_arg {
	const char *name;
	enum cli_arg_kind kind;
	void *dst;
	const char *bad;     /* message id for a value not good, with %s for it */
	const char *choices; /* CLI_ARG_ONE_OF */
	int (*fn)(void *dst, const char *value);
	int flag;     /* CLI_ARG_FLAG: the value set */
	int optional; /* CLI_ARG_FN: the value may be left out (--due) */
	char letter;  /* a short form (-o), or 0 */
};
/* The lines of a table, by kind; bad is the message id for a value not good. */
#define CLI_TEXT(n, d)                                        \
	{                                                     \
		.name = (n), .kind = CLI_ARG_TEXT, .dst = (d) \
	}
#define CLI_FLAG(n, d, v)                                                  \
	{                                                                  \
		.name = (n), .kind = CLI_ARG_FLAG, .dst = (d), .flag = (v) \
	}
#define CLI_YEAR(n, d, b)                                                 \
	{                                                                 \
		.name = (n), .kind = CLI_ARG_YEAR, .dst = (d), .bad = (b) \
	}
#define CLI_COUNT(n, d, b)                                                 \
	{                                                                  \
		.name = (n), .kind = CLI_ARG_COUNT, .dst = (d), .bad = (b) \
	}
#define CLI_ONE_OF(n, d, c, b)                                                              \
	{                                                                                   \
		.name = (n), .kind = CLI_ARG_ONE_OF, .dst = (d), .choices = (c), .bad = (b) \
	}
#define CLI_FN(n, d, f, b)                                                         \
	{                                                                          \
		.name = (n), .kind = CLI_ARG_FN, .dst = (d), .fn = (f), .bad = (b) \
	}
#define CLI_END              \
	{                    \
		.name = NULL \
	}
/* Reads argv's options by the table (ending with a NULL name) and sets
 * *first to the first argument that is not an option. Returns 0, or an exit
 * code once the command's usage or the bad value has been said. */
int cli_args(const struct cli_command *cmd, const struct cli_arg *args, int argc, char **argv, int *first);

#endif
