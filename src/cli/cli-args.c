/* The options of every command, read from their table (cli.h): the getopt
 * loop is written once. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "xalloc.h"

/* 1 if value is one of "a|b|c". */
static int cli_args_one_of(const char *choices, const char *value)
{
	size_t len = strlen(value);
	for (const char *p = choices; *p;) {
		size_t n = strcspn(p, "|");
		if (n == len && strncmp(p, value, len) == 0)
			return 1;
		p += n + (p[n] == '|');
	}
	return 0;
}

/* Sets what one option says; 0, or -1 when its value is not good. */
static int cli_args_set(const struct cli_arg *a, const char *value)
{
	char *end = NULL;
	switch (a->kind) {
	case CLI_ARG_TEXT: *(const char **)a->dst = value; return 0;
	case CLI_ARG_FLAG: *(int *)a->dst = a->flag; return 0;
	case CLI_ARG_YEAR: {
		long y = strtol(value, &end, 10);
		if (!*value || *end || y < 1900 || y > 2200)
			return -1;
		*(int *)a->dst = (int)y;
		return 0;
	}
	case CLI_ARG_COUNT: {
		long n = strtol(value, &end, 10);
		if (!*value || *end || n < 0)
			return -1;
		*(long *)a->dst = n;
		return 0;
	}
	case CLI_ARG_ONE_OF:
		if (!cli_args_one_of(a->choices, value))
			return -1;
		*(const char **)a->dst = value;
		return 0;
	case CLI_ARG_FN: return a->fn(a->dst, value) == 0 ? 0 : -1;
	}
	return -1;
}

int cli_args(const struct cli_command *cmd, const struct cli_arg *args, int argc, char **argv, int *first)
{
	size_t n = 0;
	while (args[n].name)
		n++;
	struct option *opts = xalloc_calloc(n + 1, sizeof *opts);
	char *letters = xalloc_calloc(2 * n + 2, 1), *l = letters;
	for (size_t i = 0; i < n; i++) {
		int takes = args[i].kind == CLI_ARG_FLAG                     ? no_argument
		            : args[i].kind == CLI_ARG_FN && args[i].optional ? optional_argument
		                                                             : required_argument;
		opts[i] = (struct option){args[i].name, takes, NULL, 256 + (int)i};
		if (args[i].letter) {
			*l++ = args[i].letter;
			if (takes == required_argument)
				*l++ = ':';
		}
	}
	int rc = 0, c;
	optind = 1;
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, letters, opts, NULL)) != -1) {
		size_t i = n;
		if (c >= 256)
			i = (size_t)c - 256;
		else
			for (size_t k = 0; k < n && i == n; k++)
				i = args[k].letter == c ? k : n;
		if (i == n)
			rc = cli_usage(cmd);
		else if (cli_args_set(&args[i], optarg) < 0)
			rc = args[i].bad ? cli_fail(MH_EUSAGE, _(args[i].bad), optarg ? optarg : "") : cli_usage(cmd);
	}
	*first = optind;
	free(opts);
	free(letters);
	return rc;
}
