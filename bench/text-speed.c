/* Text engine speed: folding and sort keys over 1,000,000 real names (the
 * GSO unit names and the word table, cycled), next to ICU's ucol_getSortKey
 * on the same names in the same run; and the Telex engine's cost per key.
 *   text-speed UNITS.csv WORDS.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "strbuf.h"
#include "utf8.h"
#include "vn-ime.h"
#include "vn.h"
#include "xalloc.h"

#define NAMES 1000000

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char **read_lines(const char *path, int csv_name, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	char **v = NULL;
	size_t cap = 0, count = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		const char *name = line;
		if (csv_name) {
			name = strrchr(line, ',');
			if (!name)
				continue;
			name++;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 4096;
			v = xalloc_realloc(v, cap * sizeof *v);
		}
		v[count++] = xalloc_strdup(name);
	}
	free(line);
	fclose(f);
	*n = count;
	return v;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: text-speed UNITS.csv WORDS.txt\n");
		return 2;
	}
	size_t nu, nw;
	char **units = read_lines(argv[1], 1, &nu), **words = read_lines(argv[2], 0, &nw);
	const char **names = xalloc_malloc(NAMES * sizeof *names);
	size_t bytes = 0;
	for (size_t i = 0; i < NAMES; i++) {
		names[i] = i % 2 ? units[1 + (i / 2) % (nu - 1)] : words[(i / 2) % nw];
		bytes += strlen(names[i]);
	}
	double mb = (double)bytes / 1e6;

	struct strbuf sb;
	strbuf_init(&sb);
	/* the best of three runs of each, so that a busy moment of the machine
	 * does not decide the ratio */
	double t0, ours = 1e9, icu = 1e9;
	size_t sink = 0;
	for (int rep = 0; rep < 3; rep++) {
		t0 = now();
		for (size_t i = 0; i < NAMES; i++) {
			strbuf_reset(&sb);
			vn_fold(names[i], strlen(names[i]), &sb);
			sink += sb.len;
			strbuf_reset(&sb);
			vn_sortkey(names[i], strlen(names[i]), &sb);
			sink += sb.len;
		}
		if (now() - t0 < ours)
			ours = now() - t0;
	}

	UErrorCode e = U_ZERO_ERROR;
	UCollator *col = ucol_open("vi", &e);
	UChar **u16 = xalloc_malloc(NAMES * sizeof *u16);
	int32_t *u16len = xalloc_malloc(NAMES * sizeof *u16len);
	for (size_t i = 0; i < NAMES; i++) {
		UChar buf[1024];
		e = U_ZERO_ERROR;
		u_strFromUTF8(buf, 1024, &u16len[i], names[i], -1, &e);
		u16[i] = xalloc_malloc((size_t)(u16len[i] + 1) * sizeof(UChar));
		memcpy(u16[i], buf, (size_t)u16len[i] * sizeof(UChar));
	}
	uint8_t key[4096];
	for (int rep = 0; rep < 3; rep++) {
		t0 = now();
		for (size_t i = 0; i < NAMES; i++)
			sink += (size_t)ucol_getSortKey(col, u16[i], u16len[i], key, sizeof key);
		if (now() - t0 < icu)
			icu = now() - t0;
	}
	printf("text: fold + sort key over %d names (%.1f MB), best of 3: %.3f s, %.1f MB/s\n", NAMES, mb, ours,
	       mb / ours);
	printf("text: ICU ucol_getSortKey alone (UTF-16 prepared beforehand), best of 3: %.3f s, %.1f MB/s\n", icu,
	       mb / icu);
	printf("text: ratio, ICU time / ours = %.2f (aim >= 3)\n", icu / ours);

	/* the Telex engine: every word of the table typed key by key */
	struct strbuf keys;
	strbuf_init(&keys);
	static const char *const telex_tone = "\0frxsj";
	for (size_t i = 0; i < nw; i++) {
		const char *w = words[i];
		size_t n = strlen(w), k = 0;
		int tone = 0;
		while (k < n) {
			uint32_t cp;
			int len = utf8_decode(w + k, n - k, &cp);
			struct vn_letter l;
			k += len > 0 ? (size_t)len : 1;
			if (len < 0 || !vn_letter_of(cp, &l)) {
				if (tone)
					strbuf_addc(&keys, telex_tone[tone]);
				tone = 0;
				strbuf_addc(&keys, ' ');
				continue;
			}
			strbuf_addc(&keys, l.upper ? (char)(l.base - 32) : l.base);
			if (l.mark)
				strbuf_addc(&keys, l.mark == '^' || l.mark == '-' ? l.base : 'w');
			if (l.tone)
				tone = l.tone;
		}
		if (tone)
			strbuf_addc(&keys, telex_tone[tone]);
		strbuf_addc(&keys, ' ');
	}
	struct vn_ime ime;
	vn_ime_init(&ime, VN_IME_TELEX, 0);
	struct vn_ime_edit edit;
	long nkeys = 0;
	t0 = now();
	for (int rep = 0; rep < 3; rep++)
		for (size_t i = 0; i < keys.len; i++, nkeys++) {
			vn_ime_key(&ime, (unsigned char)keys.buf[i], &edit);
			sink += edit.del;
		}
	double typing = now() - t0;
	printf("typing: Telex engine, %ld keys: %.3f us per key (aim < 1)\n", nkeys, typing * 1e6 / (double)nkeys);
	ucol_close(col);
	return sink == 0;
}
