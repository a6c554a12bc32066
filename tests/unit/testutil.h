/* Helpers for the cmocka unit tests. */
#ifndef MOHINH_TESTUTIL_H
#define MOHINH_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

/* The test data folder (tests/data), from $MOHINH_TEST_DATA or the default. */
static inline const char *testutil_data_dir(void)
{
	const char *d = getenv("MOHINH_TEST_DATA");
	return d && *d ? d : "tests/data";
}

/* Reads a whole file of the test data into sb; fails the test if missing. */
static inline void testutil_read(const char *name, struct strbuf *sb)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", testutil_data_dir(), name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(sb, buf, n);
	fclose(f);
}

/* A fresh temporary folder for a test's files. */
static inline char *testutil_tmpdir(void)
{
	char tmpl[] = "/tmp/mohinh-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	if (!d)
		fail_msg("mkdtemp failed");
	return xalloc_strdup(d);
}

static inline void testutil_rmdir(char *dir)
{
	char *cmd = xalloc_printf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	free(dir);
}

/* Inserts a record or fails the test with the store's message. */
static inline void testutil_insert(struct store *st, const char *table, const struct store_kv *kv, size_t n, char *id)
{
	struct mh_error err;
	if (store_record_insert(st, table, kv, n, id, &err) < 0)
		fail_msg("%s: %s (%s)", table, err.msg, err.where);
}

/* INSERT(st, "point", id, {"unit_code", "22984"}, ...): id may be NULL */
#define INSERT(st, table, id, ...)                                             \
	do {                                                                   \
		const struct store_kv kv_[] = {__VA_ARGS__};                   \
		testutil_insert(st, table, kv_, sizeof kv_ / sizeof *kv_, id); \
	} while (0)

#endif
