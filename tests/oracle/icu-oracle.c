/* The test oracle for Vietnamese order: sorts standard input's lines with
 * ICU's "vi" collator (ties broken by bytes, as `mohinh text sort` does).
 * Only the tests link ICU; mohinh itself does not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>

static UCollator *oracle_col;

static int oracle_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	UErrorCode e = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8(oracle_col, x, -1, y, -1, &e);
	if (U_FAILURE(e)) {
		fprintf(stderr, "icu-oracle: %s\n", u_errorName(e));
		exit(1);
	}
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : strcmp(x, y);
}

int main(void)
{
	UErrorCode e = U_ZERO_ERROR;
	oracle_col = ucol_open("vi", &e);
	if (U_FAILURE(e)) {
		fprintf(stderr, "icu-oracle: ucol_open: %s\n", u_errorName(e));
		return 1;
	}
	size_t n = 0, cap = 1024;
	char **lines = malloc(cap * sizeof *lines);
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, stdin)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (n == cap)
			lines = realloc(lines, (cap *= 2) * sizeof *lines);
		lines[n++] = strdup(line);
	}
	qsort(lines, n, sizeof *lines, oracle_cmp);
	for (size_t i = 0; i < n; i++) {
		puts(lines[i]);
		free(lines[i]);
	}
	free(lines);
	free(line);
	ucol_close(oracle_col);
	return 0;
}
