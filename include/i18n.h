/* Messages: English ids, translated through gettext (domain "mohinh"). */
#ifndef MOHINH_I18N_H
#define MOHINH_I18N_H
#include <libintl.h>

#define _(s)  dgettext("mohinh", s)
#define N_(s) s

/* Chooses the UI language: "en" or "vi" (NULL: Vietnamese unless LANGUAGE
 * asks for English) and binds the message catalogue found in localedir. */
void i18n_init(const char *lang, const char *localedir);
/* The language in force: "vi" or "en". */
const char *i18n_lang(void);

#endif
