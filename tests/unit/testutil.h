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

/* A new database at path, as store_open(path, STORE_CREATE) makes one: the
 * first made once per test program, the others copies of it opened anew
 * (each with its own device and copy, as a copied file gets). Loading the
 * units takes a third of a second, several under the sanitizers. */
static char *testutil_template_dir;

static inline void testutil_template_gone(void)
{
	testutil_rmdir(testutil_template_dir);
}

static inline struct store *testutil_copy_open(const char *from, const char *path, struct mh_error *err)
{
	FILE *in = fopen(from, "rb"), *out = fopen(path, "wbx");
	char buf[65536];
	size_t n;
	while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			fail_msg("cannot copy the template database to %s", path);
	if (!in || !out || fclose(out) != 0)
		fail_msg("cannot copy the template database to %s", path);
	fclose(in);
	return store_open(path, STORE_WRITE, err);
}

/* The empty database every other is a copy of (NULL with err). */
static inline const char *testutil_template(struct mh_error *err)
{
	static char *tmpl;
	if (!tmpl) {
		testutil_template_dir = testutil_tmpdir();
		atexit(testutil_template_gone);
		char *t = xalloc_printf("%s/template.db", testutil_template_dir);
		struct store *st = store_open(t, STORE_CREATE, err);
		if (!st) {
			free(t);
			return NULL;
		}
		store_free(st); /* its write-ahead log folded in: one file */
		tmpl = t;
	}
	return tmpl;
}

static inline struct store *testutil_store_create(const char *path, struct mh_error *err)
{
	const char *tmpl = testutil_template(err);
	return tmpl ? testutil_copy_open(tmpl, path, err) : NULL;
}

/* A new database at path with its office, as store_office_init(unit, on)
 * makes it with user at work (NULL: the login's): the first of each made
 * once per test program (its units loaded), the others copies of it, as
 * the PCs of one office are. */
static inline struct store *testutil_office_create(const char *path, const char *unit, const char *on, const char *user,
                                                   struct mh_error *err)
{
	static char *made[16], *tmpl[16];
	char *key = xalloc_printf("%s|%s|%s", unit, on ? on : "", user ? user : "");
	int i = 0;
	while (i < 16 && made[i] && strcmp(made[i], key) != 0)
		i++;
	if (i == 16)
		fail_msg("more than 16 offices made by one test program");
	if (made[i]) {
		free(key);
	} else {
		if (!testutil_template(err)) {
			free(key);
			return NULL;
		}
		char *t = xalloc_printf("%s/office-%d.db", testutil_template_dir, i);
		struct store *st = testutil_store_create(t, err);
		if (st && user)
			store_set_user(st, user);
		int rc = st ? store_office_init(st, unit, on, NULL, err) : -1;
		store_free(st);
		if (rc < 0) {
			free(t);
			free(key);
			return NULL;
		}
		made[i] = key;
		tmpl[i] = t;
	}
	struct store *st = testutil_copy_open(tmpl[i], path, err);
	if (st && user)
		store_set_user(st, user);
	return st;
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
