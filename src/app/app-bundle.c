/* Importing a bundle (app.h): the one conversation of the screen and the
 * command line, from the checks to the receipt left on the stick. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "mh-file.h"
#include "xalloc.h"
#include "store-sync.h"

static void app_bundle_failed(struct app_import *out, const char *path, const struct mh_error *err)
{
	out->failed = 1;
	out->err = *err;
	/* the file's name first, once */
	if (strncmp(err->msg, path, strlen(path)) != 0)
		mh_error_set(&out->err, err->code, "%s: %s", path, err->msg);
}

/* A setup bundle is taken only with the fingerprint a person compared. */
static int app_bundle_setup(struct store *st, const char *path, app_ask_fn ask, void *ud, struct store_bundle_result *r,
                            struct app_import *out, struct mh_error *err)
{
	char *q = xalloc_printf(_("%s sends its keys with the fingerprint %s. Is it the one they read out? (c/k)"),
	                        r->sender_name, r->fingerprint);
	int yes = ask ? ask(ud, q) : -1;
	free(q);
	if (yes < 0) {
		strbuf_addf(&out->said, _("%s: a setup bundle from %s, whose keys have the fingerprint %s.\n"), path,
		            r->sender_name, r->fingerprint);
		return mh_error_set(err, MH_EFAIL, _("compare the fingerprint, then import with --fingerprint FP"));
	}
	if (!yes)
		return mh_error_set(err, MH_EFAIL, _("not confirmed: nothing was changed"));
	char fp[sizeof r->fingerprint];
	memcpy(fp, r->fingerprint, sizeof fp);
	store_bundle_result_free(r);
	return store_bundle_import(st, path, 0, fp, r, err);
}

void app_bundle_import(struct store *st, const struct formdef_set *forms, const char *path, int dry,
                       const char *fingerprint, app_ask_fn ask, void *ud, struct app_import *out)
{
	memset(out, 0, sizeof *out);
	strbuf_init(&out->said);
	struct mh_error err;
	struct store_bundle_result r;
	store_set_forms(st, forms);
	int ok = store_bundle_import(st, path, dry, fingerprint, &r, &err) == 0;
	if (ok && r.is_setup && !fingerprint && !dry)
		ok = app_bundle_setup(st, path, ask, ud, &r, out, &err) == 0;
	store_set_forms(st, NULL);
	struct strbuf *s = &out->said;
	const char *preview = dry ? _(" (preview: nothing changed)") : "";
	if (!ok) {
		app_bundle_failed(out, path, &err);
	} else if (r.is_setup && dry) {
		strbuf_addf(s, _("%s: a setup bundle from %s, whose keys have the fingerprint %s.\n"), path,
		            r.sender_name, r.fingerprint);
	} else if (r.is_setup) {
		strbuf_addf(s, _("%s: %s is registered as the office above (fingerprint %s); %ld choices taken.\n"),
		            path, r.sender_name, r.fingerprint, r.choices);
	} else if (r.is_ref && r.already) {
		strbuf_addf(
		    s, _("%s: reference data version %lld from %s: version %lld is already here, nothing changed.\n"),
		    path, r.ref_version, r.sender_name, r.ref_applied);
	} else if (r.is_ref) {
		strbuf_addf(
		    s,
		    _("%s: reference data version %lld from %s: %ld choices new or changed, %ld no longer in use, "
		      "%ld units%s\n"),
		    path, r.ref_version, r.sender_name, r.added, r.inactive, r.updated, preview);
		out->can_apply = dry;
	} else if (r.is_receipt) {
		strbuf_addf(s, _("%s: the receipt of bundle %lld from %s: %s"), path, r.h.seq, r.sender_name,
		            r.receipt_text);
	} else if (r.already) {
		strbuf_addf(s, _("%s: already imported (from %s, bundle %lld): nothing changed.\n"), path,
		            r.sender_name, r.h.seq);
	} else {
		strbuf_addf(
		    s,
		    _("%s: from %s, bundle %lld of %s: %ld new, %ld updated, %ld unchanged, %ld refused, %ld in "
		      "conflict%s\n"),
		    path, r.sender_name, r.h.seq, r.h.created, r.added, r.updated, r.unchanged, r.refused, r.conflicts,
		    preview);
		out->refused = r.refused;
		out->conflicts = r.conflicts;
		out->can_apply = dry;
	}
	for (size_t k = 0; ok && k < r.nproblems; k++)
		strbuf_addf(s, "  %s\n", r.problems[k]);
	/* the receipt goes back on the same stick */
	if (ok && r.receipt.len && !dry) {
		char *receipt = xalloc_printf("%s.receipt", path);
		if (mh_file_write(receipt, r.receipt.buf, r.receipt.len, &err) == 0)
			strbuf_addf(s, _("%s: the receipt for %s\n"), receipt, r.sender_name);
		else
			app_bundle_failed(out, path, &err); /* the import stands */
		free(receipt);
	}
	store_bundle_result_free(&r);
}

void app_import_release(struct app_import *out)
{
	strbuf_release(&out->said);
}

void app_sync_status_text(const struct store_sync_status *s, struct strbuf *out)
{
	size_t was = out->len;
	for (size_t i = 0; i < s->nsent; i++) {
		const struct store_sync_sent *e = &s->sent[i];
		if (i == 0)
			strbuf_addf(out, "%s\n", _("Bundles sent:"));
		strbuf_addf(out, _("  %lld  %.10s  to %s  %s\n"), e->seq, e->at, e->to, e->file);
		if (!e->receipt_at[0])
			strbuf_addf(out, "      %s\n", _("no receipt yet"));
		else
			strbuf_addf(out, _("      received (receipt of %.10s): %s"), e->receipt_at, e->receipt);
	}
	for (size_t i = 0; i < s->nbelow; i++) {
		const struct store_sync_below *b = &s->below[i];
		if (i == 0)
			strbuf_addf(out, "%s\n", _("Offices below:"));
		if (!b->last) {
			strbuf_addf(out, _("  %s (%s): no bundle received yet\n"), b->name, b->unit);
			continue;
		}
		strbuf_addf(out, _("  %s (%s): last bundle %lld, made %.10s\n"), b->name, b->unit, b->last, b->made);
		if (b->nmissing) {
			struct strbuf list;
			strbuf_init(&list);
			for (size_t k = 0; k < b->nmissing && k < STORE_SYNC_MISSING; k++)
				strbuf_addf(&list, "%s%lld", k ? ", " : "", b->missing[k]);
			if (b->nmissing > STORE_SYNC_MISSING)
				strbuf_addf(&list, ", … (%zu)", b->nmissing);
			strbuf_addf(out, _("      missing: %s\n"), list.buf);
			strbuf_release(&list);
		}
		if (b->new_generation)
			strbuf_addf(out,
			            _("      its database was restored from a backup or copied (a new generation since "
			              "bundle %lld): check with that office\n"),
			            b->new_generation);
		if (b->devices > 1)
			strbuf_addf(out, _("      its bundles come from %d PCs\n"), b->devices);
	}
	if (s->conflicts > 0)
		strbuf_addf(out, _("Conflicts waiting for a person: %d (mohinh conflicts)\n"), s->conflicts);
	if (out->len == was)
		strbuf_addf(out, "%s\n", _("No bundle sent or received yet."));
}

void app_manifest_text(const struct store_manifest *m, struct strbuf *out)
{
	/* the counts, under the names mohinh check uses */
	const struct {
		const char *label;
		long long n;
	} lines[] = {{N_("models"), m->models},
	             {N_("points"), m->points},
	             {N_("evaluations"), m->evaluations},
	             {N_("audit entries"), m->audit},
	             {N_("schema version"), m->schema}};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		if (lines[i].n >= 0)
			strbuf_addf(out, "%s: %lld\n", _(lines[i].label), lines[i].n);
}
