/* mohinh export [--for UNIT] [--to DIR] | import FILE... [--dry-run] | bundle show FILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "bundle.h"
#include "cli.h"
#include "i18n.h"
#include "mh-file.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"
#include "store-sync.h"

static int cli_export_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *to_unit = NULL, *dir = ".";
	const struct cli_arg args[] = {CLI_TEXT("for", &to_unit), CLI_TEXT("to", &dir), CLI_END};
	int first;
	int rc = cli_args(&cli_export_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first != argc)
		return cli_usage(&cli_export_command);
	struct store *st;
	rc = cli_open(ctx, STORE_WRITE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct bundle_header h;
	char *path;
	long long len;
	if (store_bundle_write(st, to_unit, dir, &path, &len, &h, &err) < 0)
		rc = cli_report(&err);
	else
		printf(_("%s: bundle %lld, %lld bytes, checked. Safe to remove the USB stick.\n"), path, h.seq, len);
	free(path);
	store_free(st);
	return rc;
}

const struct cli_command cli_export_command = {
    "export",
    N_("[--for UNIT] [--to DIR]"),
    N_("a bundle of this office's data for the office above (signed, encrypted to it)"),
    cli_export_run,
};

/* The fingerprint of a setup bundle, compared by a person on a terminal. */
static int cli_import_ask(void *ud, const char *question)
{
	(void)ud;
	if (!isatty(STDIN_FILENO))
		return -1;
	printf("%s ", question);
	fflush(stdout);
	char answer[16];
	return fgets(answer, sizeof answer, stdin) && (answer[0] == 'c' || answer[0] == 'C' || answer[0] == 'y');
}

static int cli_import_run(struct cli_ctx *ctx, int argc, char **argv)
{
	int dry = 0;
	const char *fingerprint = NULL;
	const struct cli_arg args[] = {CLI_FLAG("dry-run", &dry, 1), CLI_TEXT("fingerprint", &fingerprint), CLI_END};
	int first;
	int rc = cli_args(&cli_import_command, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first == argc)
		return cli_usage(&cli_import_command);
	struct store *st;
	/* a preview too runs the import, then rolls it back */
	rc = cli_open(ctx, STORE_WRITE_CHECKED, &st);
	if (rc)
		return rc;
	/* the rows meet the forms' rules, as on the screens */
	struct formdef_set *forms = cli_forms(st);
	for (int i = first; forms && i < argc; i++) {
		struct app_import out;
		app_bundle_import(st, forms, argv[i], dry, fingerprint, cli_import_ask, NULL, &out);
		fputs(out.said.buf, stdout);
		if (out.failed) {
			fprintf(stderr, "mohinh: %s\n", out.err.msg);
			rc = out.err.code;
		} else if (out.refused) { /* the rest is applied; the receipt tells the sender what was not */
			rc = MH_EDATA;
		}
		if (out.conflicts && !dry)
			printf(_("  the conflicts wait for a person: mohinh conflicts\n"));
		app_import_release(&out);
	}
	if (!forms)
		rc = MH_EDATA; /* the forms' errors are said */
	formdef_free(forms);
	store_free(st);
	return rc;
}

const struct cli_command cli_import_command = {
    "import",
    N_("FILE... [--dry-run] [--fingerprint FP]"),
    N_("bundles from the offices below, and receipts and setup bundles from above: checked, then applied in one "
       "transaction where newer, each row refused said"),
    cli_import_run,
};

static int cli_bundle_run(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "show") != 0)
		return cli_usage(&cli_bundle_command);
	struct mh_error err;
	long long len;
	struct bundle_header h;
	FILE *f = mh_file_open_regular(argv[2], BUNDLE_MAX, &len, &err);
	if (!f)
		return cli_report(&err);
	int rc = bundle_header_read(f, &h, &err) < 0 ? cli_report(&err) : 0;
	fclose(f);
	if (rc)
		return rc;
	printf(_("Kind: %s\nSender: office %s (unit %s)\nRecipient: office %s\nSequence: %lld\nMade: %s\n"), h.kind,
	       h.sender, h.sender_unit, h.recipient, h.seq, h.created);
	printf(_("Size: %lld bytes, %lld of them data\n"), len, h.payload_len);
	/* for the office it is meant for: what it holds */
	struct store *st = store_open(ctx->db_path, STORE_READ, &err);
	const struct store_office *o = st ? store_office_get(st) : NULL;
	if (o && strcmp(o->id, h.recipient) == 0 && strcmp(h.kind, "data") == 0) {
		struct store_manifest m;
		struct strbuf manifest;
		strbuf_init(&manifest);
		if (store_bundle_manifest(st, argv[2], &m, &err) < 0) {
			rc = cli_report(&err);
		} else {
			app_manifest_text(&m, &manifest);
			printf("%s\n%s", _("Manifest:"), manifest.buf);
		}
		strbuf_release(&manifest);
	}
	store_free(st);
	return rc;
}

/* setup-bundle and ref-bundle: --for UNIT [--to DIR] */
static int cli_down_run(struct cli_ctx *ctx, int argc, char **argv, const struct cli_command *cmd)
{
	const char *for_unit = NULL, *dir = ".";
	const struct cli_arg args[] = {CLI_TEXT("for", &for_unit), CLI_TEXT("to", &dir), CLI_END};
	int first;
	int rc = cli_args(cmd, args, argc, argv, &first);
	if (rc)
		return rc;
	if (first != argc || !for_unit)
		return cli_usage(cmd);
	int setup = cmd == &cli_setup_command;
	struct store *st;
	rc = cli_open(ctx, setup ? STORE_READ : STORE_WRITE, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct bundle_header h;
	struct store_keys self;
	char *path;
	if ((setup ? store_bundle_setup(st, for_unit, cli_forms_dir(), dir, &path, &h, &err)
	           : store_bundle_ref(st, for_unit, cli_forms_dir(), dir, &path, &h, &err)) < 0 ||
	    store_keys_get(st, NULL, &self, &err) < 0)
		rc = cli_report(&err);
	else if (setup)
		printf(_("%s: the setup bundle for the unit %s. Read out this office's fingerprint to them: %s\n"),
		       path, for_unit, self.fingerprint);
	else
		printf(_("%s: reference data version %lld for the unit %s, checked. Safe to remove the USB stick.\n"),
		       path, h.seq, for_unit);
	free(path);
	store_free(st);
	return rc;
}

static int cli_setup_run(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_down_run(ctx, argc, argv, &cli_setup_command);
}

static int cli_ref_run(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_down_run(ctx, argc, argv, &cli_ref_command);
}

const struct cli_command cli_ref_command = {
    "ref-bundle",
    N_("--for UNIT [--to DIR]"),
    N_("reference data for an office below: units, choice lists, office keys, receipts; taken there only if "
       "newer"),
    cli_ref_run,
};

const struct cli_command cli_setup_command = {
    "setup-bundle",
    N_("--for UNIT [--to DIR]"),
    N_("a setup bundle for an office below: this office's keys and the reference lists"),
    cli_setup_run,
};

static int cli_sync_run(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cli_sync_command);
	struct store *st;
	int rc = cli_open(ctx, STORE_READ, &st);
	if (rc)
		return rc;
	struct mh_error err;
	struct store_sync_status s;
	if (store_sync_status(st, &s, &err) < 0) {
		rc = cli_report(&err);
	} else {
		struct strbuf out;
		strbuf_init(&out);
		app_sync_status_text(&s, &out);
		fputs(out.buf, stdout);
		strbuf_release(&out);
		store_sync_status_free(&s);
	}
	store_free(st);
	return rc;
}

const struct cli_command cli_sync_command = {
    "sync",
    "",
    N_("bundles sent and their receipts; per office below, its last bundle and the ones missing"),
    cli_sync_run,
};

const struct cli_command cli_bundle_command = {
    "bundle",
    N_("show FILE"),
    N_("the header of a bundle file, and its manifest for the office it is meant for, without importing it"),
    cli_bundle_run,
};
