#include "i18n.h"

#include <stdlib.h>
#include <string.h>

static const char *i18n_current = "vi";

void i18n_init(const char *lang, const char *localedir)
{
	if (!lang) {
		const char *env = getenv("LANGUAGE");
		lang = (env && strncmp(env, "en", 2) == 0) ? "en" : "vi";
	}
	i18n_current = strcmp(lang, "en") == 0 ? "en" : "vi";
	/* Vietnamese is the default whatever the system locale says. */
	setenv("LANGUAGE", i18n_current, 1);
	if (localedir)
		bindtextdomain("mohinh", localedir);
	bind_textdomain_codeset("mohinh", "UTF-8");
}

const char *i18n_lang(void)
{
	return i18n_current;
}
