/* A unit's history as text: one line a version (code, level, name, parents,
 * the days in force, the legal reference), then an indented line a link
 * (from or to, the other version, the share, the day, the clause). */
#include "unit-text.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "store.h"
#include "strbuf.h"
#include "vn.h"
#include "store-unit.h"

void unit_text_in_sentence(const char *name, struct strbuf *out)
{
	static const char *const types[] = {"Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường",
	                                    "Xã",        "Quận",     "Huyện",  "Tỉnh"};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		size_t n = strlen(types[i]);
		if (strncmp(name, types[i], n) == 0 && name[n] == ' ') {
			vn_lower(types[i], n, out);
			strbuf_adds(out, name + n);
			return;
		}
	}
	strbuf_adds(out, name);
}

void unit_text_name(const char *name, const char *former, struct strbuf *out)
{
	if (!former || !former[0]) {
		strbuf_adds(out, name);
		return;
	}
	struct strbuf old;
	strbuf_init(&old);
	unit_text_in_sentence(former, &old);
	/* TRANSLATORS: a unit found by the name of one it took in: "Xã Vĩnh Hảo (gồm xã Vĩnh Tân cũ)" */
	strbuf_addf(out, _("%s (including the former %s)"), name, old.buf);
	strbuf_release(&old);
}

void unit_text_period(struct strbuf *out, const char *from, const char *to)
{
	if (from[0] || to[0])
		strbuf_addf(out, "%s..%s", from, to);
}

static const char *unit_text_share(const char *share, const char *detail)
{
	static const char *const words[][3] = {
	    {"whole", "", N_("the whole")},
	    {"part", "area", N_("a part of the area")},
	    {"part", "population", N_("a part of the population")},
	    {"part", "", N_("a part")},
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(share, words[i][0]) == 0 && (!words[i][1][0] || strcmp(detail, words[i][1]) == 0))
			return _(words[i][2]);
	return share;
}

static int unit_text_link(const struct store_unit_link *l, void *ud)
{
	struct strbuf *out = ud;
	strbuf_addf(out, "  %s\t%s\t%s\t%s\t", l->share[0] ? l->before ? _("from") : _("to") : _("same code"), l->gso,
	            l->name, l->parent_name);
	unit_text_period(out, l->valid_from, l->valid_to);
	if (l->share[0])
		strbuf_addf(out, "\t%s, %s\t%s", unit_text_share(l->share, l->detail), l->on, l->clause);
	strbuf_addc(out, '\n');
	return 0;
}

struct unit_text {
	struct store *st;
	const char *on;
	struct strbuf *out;
	long n;
	int failed;
	struct mh_error *err;
};

static int unit_text_version(const struct store_unit *u, void *ud)
{
	struct unit_text *t = ud;
	if (t->on && !store_unit_in_force(u, t->on))
		return 0;
	strbuf_addf(t->out, "%s%s\t%d\t%s\t%s\t", t->n++ ? "\n" : "", u->gso, u->level, u->name, u->parent_name);
	unit_text_period(t->out, u->valid_from, u->valid_to);
	strbuf_addf(t->out, "\t%s\n", u->legal_ref);
	t->failed = store_unit_history(t->st, u->code, unit_text_link, t->out, t->err) < 0;
	return t->failed;
}

long unit_text_history(struct store *st, const char *code, const char *on, struct strbuf *out, struct mh_error *err)
{
	struct unit_text t = {st, on, out, 0, 0, err};
	if (store_unit_versions(st, code, unit_text_version, &t, err) < 0 || t.failed)
		return -1;
	return t.n;
}
