/* Units as people read them: a unit's history (the versions of its code
 * and the links to and from each), written for the command line and the
 * screens alike. */
#ifndef MOHINH_UNIT_TEXT_H
#define MOHINH_UNIT_TEXT_H

#include "mh-error.h"

struct store;
struct strbuf;

/* The days a version is in force: "2025-07-01..", "..2025-06-30", or nothing. */
void unit_text_period(struct strbuf *out, const char *from, const char *to);
/* A unit's name as written inside a sentence: "Xã Vĩnh Tân" -> "xã Vĩnh Tân". */
void unit_text_in_sentence(const char *name, struct strbuf *out);
/* A unit's name with the former one the search found: "Xã Vĩnh Hảo (gồm xã Vĩnh Tân cũ)". */
void unit_text_name(const char *name, const char *former, struct strbuf *out);
/* Every version of code (or only the one in force on `on`, if not NULL),
 * each with where it came from and where it went, tab-separated. Returns
 * how many versions were written, or -1. */
long unit_text_history(struct store *st, const char *code, const char *on, struct strbuf *out, struct mh_error *err);

#endif
