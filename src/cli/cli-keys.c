/* mohinh keys show | keys export FILE
 * mohinh office add --unit CODE --key FILE | office revoke --unit CODE | office list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "mh-file.h"
#include "store.h"
#include "strbuf.h"
#include "store-sync.h"

static int cli_keys_run(struct cli_ctx *ctx, int argc, char **argv)
{
	int show = argc == 2 && strcmp(argv[1], "show") == 0;
	int export = argc == 3 && strcmp(argv[1], "export") == 0;
	if (!show && !export)
		return cli_usage(&cli_keys_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct store_keys k;
	if (store_keys_get(st, NULL, &k, &err) < 0) {
		rc = cli_report(&err);
	} else if (show) {
		printf(_("Office: %s (unit %s, id %s)\n"), k.name, k.unit_code, k.office_id);
		printf(_("Signing key (Ed25519): %s\n"), k.sign_pk);
		printf(_("Receiving key (X25519): %s\n"), k.box_pk);
		printf(_("Fingerprint: %s\n"), k.fingerprint);
	} else {
		struct strbuf out;
		strbuf_init(&out);
		store_keys_file(&k, &out);
		if (mh_file_write(argv[2], out.buf, out.len, &err) < 0)
			rc = cli_report(&err);
		else
			printf(_("%s: the public keys of %s, fingerprint %s\n"), argv[2], k.name, k.fingerprint);
		strbuf_release(&out);
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_keys_command = {
    "keys",
    N_("show | export FILE"),
    N_("this office's public keys and their fingerprint, to compare aloud or on paper"),
    cli_keys_run,
};

static int cli_office_print(const struct store_keys *k, void *ud)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s", k->unit_code, k->name, k->fingerprint, k->office_id);
	if (k->revoked[0])
		printf(_("\trevoked on %.10s"), k->revoked);
	if (k->ended[0])
		printf(_("\tended on %s, its records handed on"), k->ended);
	putchar('\n');
	return 0;
}

static int cli_office_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *unit = NULL, *key = NULL, *ended = NULL;
	const struct cli_arg args[] = {CLI_TEXT("unit", &unit), CLI_TEXT("key", &key), CLI_TEXT("ended", &ended),
	                               CLI_END};
	int first;
	int rc = cli_args(&cli_office_command, args, argc, argv, &first);
	if (rc)
		return rc;
	const char *verb = first < argc ? argv[first] : "";
	int list = strcmp(verb, "list") == 0 && !unit && !key;
	int add = strcmp(verb, "add") == 0 && unit && key;
	int revoke = strcmp(verb, "revoke") == 0 && unit && !key;
	int succeed = strcmp(verb, "succeed") == 0 && unit && !key;
	int hand = strcmp(verb, "hand-down") == 0 && unit && !key;
	if (first + 1 != argc || (!list && !add && !revoke && !succeed && !hand) || (ended && !succeed))
		return cli_usage(&cli_office_command);
	char today[11];
	if (succeed && !ended) {
		store_today(today);
		ended = today;
	}
	struct mh_error err;
	char *text = NULL;
	size_t len;
	if (add && mh_file_read(key, 64 << 10, &text, &len, &err) < 0)
		return cli_report(&err);
	struct store *st;
	rc = cli_open(ctx, list ? STORE_READ : STORE_WRITE, &st);
	if (rc == 0) {
		struct store_keys k;
		if (list) {
			if (store_keys_list(st, cli_office_print, NULL, &err) < 0)
				rc = cli_report(&err);
		} else if (succeed) {
			long moved;
			if (store_office_succeed(st, unit, ended, &moved, &err) < 0)
				rc = cli_report(&err);
			else
				printf(
				    _("The office of the unit %s ended on %s: its %ld records are now this office's, "
				      "and go up with its next bundle.\n"),
				    unit, ended, moved);
		} else if (hand) {
			struct store_hand_down h;
			if (store_office_hand_down(st, unit, &h, &err) < 0) {
				rc = cli_report(&err);
			} else {
				printf(
				    _("Handed down to %s: %ld models, %ld points, %ld evaluations; they go in the next "
				      "bundle for it (mohinh export --for %s).\n"),
				    h.office, h.models, h.points, h.evaluations, unit);
				if (h.spread)
					printf(_("Kept here: %ld models with points in other communes too.\n"),
					       h.spread);
				if (h.waiting)
					printf(_("Kept here: %ld models with a point in a divided commune whose new "
					         "commune is "
					         "not chosen yet (mohinh units unresolved).\n"),
					       h.waiting);
			}
		} else if (revoke) {
			if (store_office_revoke(st, unit, &k, &err) < 0)
				rc = cli_report(&err);
			else
				printf(
				    _("The key of %s (fingerprint %s) is revoked: its bundles are refused from now on. "
				      "Register its new key with office add.\n"),
				    k.name, k.fingerprint);
		} else if (store_office_add(st, unit, text, &k, &err) < 0) {
			rc = cli_report(&err);
		} else {
			printf(_("Registered: %s (unit %s), fingerprint %s. Compare it with the one the office reads "
			         "out.\n"),
			       k.name, k.unit_code, k.fingerprint);
		}
		store_free(st);
	}
	free(text);
	return rc;
}

const struct cli_command cli_office_command = {
    "office",
    N_("add --unit CODE --key FILE | revoke --unit CODE | succeed --unit CODE [--ended DATE] | hand-down --unit "
       "CODE | list"),
    N_("the offices below this one and their public keys (from mohinh keys export); succeed: an office that "
       "ended hands its records to this one; hand-down: the models whose points all lie in the area of an "
       "office below go to it"),
    cli_office_run,
};
