/* mohinh: locale, language, then the command line or the screens. */
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "ui.h"
#include "xalloc.h"

/* The message catalogues: $MOHINH_LOCALEDIR, else locale/ beside the program
 * (the build tree), else ../share/locale of an installed tree wherever it was
 * put (make install), else the system's. */
static char *main_localedir(void)
{
	const char *env = getenv("MOHINH_LOCALEDIR");
	if (env && *env)
		return xalloc_strdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* the catalogue itself is looked for: /usr/bin/locale is a program */
			static const char *const tries[] = {"%s/locale/vi/LC_MESSAGES/mohinh.mo",
			                                    "%s/../share/locale/vi/LC_MESSAGES/mohinh.mo"};
			for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
				char *dir = xalloc_printf(tries[i], exe);
				if (access(dir, R_OK) == 0) {
					*strstr(dir, "/vi/LC_MESSAGES/") = '\0'; /* its locale folder */
					return dir;
				}
				free(dir);
			}
		}
	}
	return xalloc_strdup("/usr/share/locale");
}

int main(int argc, char **argv)
{
	/* The screens need a UTF-8 locale: take the user's, else C.UTF-8. */
	if (!setlocale(LC_ALL, "") || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_ALL, "C.UTF-8");
	const char *lang = NULL;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0) {
			lang = argv[i + 1];
			break;
		}
		if (argv[i][0] != '-')
			break;
	}
	char *localedir = main_localedir();
	i18n_init(lang, localedir);
	free(localedir);
	return cli_main(argc, argv, ui_main);
}
