/* mohinh settings [KEY [VALUE]]: the office's settings for its documents
 * (report.*): listed, one shown, or one set ("" puts the default back). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "report.h"
#include "store.h"

static int cli_settings_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_arg args[] = {CLI_END};
	int first;
	int rc = cli_args(&cli_settings_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (argc - first > 2)
		return cli_usage(&cli_settings_command);
	const char *key = first < argc ? argv[first] : NULL, *value = first + 1 < argc ? argv[first + 1] : NULL;
	int known = 0;
	for (size_t i = 0; key && report_settings[i].key; i++)
		known |= strcmp(key, report_settings[i].key) == 0;
	if (key && !known) {
		fprintf(stderr, "mohinh: %s '%s'; %s:", _("no such setting"), key, _("the settings are"));
		for (size_t i = 0; report_settings[i].key; i++)
			fprintf(stderr, " %s", report_settings[i].key);
		fputc('\n', stderr);
		return MH_EUSAGE;
	}
	struct store *st;
	rc = cli_open(ctx, value ? STORE_WRITE : STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	if (value) {
		if (store_setting_put(st, key, value, &err) < 0)
			rc = cli_report(&err);
	} else {
		for (size_t i = 0; report_settings[i].key; i++) {
			if (key && strcmp(key, report_settings[i].key) != 0)
				continue;
			char *v = store_setting_get(st, report_settings[i].key);
			if (key)
				printf("%s\n", v ? v : "");
			else
				printf("%s = %s\n    %s\n", report_settings[i].key, v && *v ? v : _("(default)"),
				       _(report_settings[i].help));
			free(v);
		}
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_settings_command = {
    "settings",
    N_("[KEY [VALUE]]"),
    N_("the office's settings for its reports as documents: who signs, the number, the recipients"),
    cli_settings_run,
};
