#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"

static const uint8_t *fuzz_current;
static size_t fuzz_current_n;

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s: check failed: %s (%s:%d)\ninput:", fuzz_name, what, file, line);
	for (size_t i = 0; i < fuzz_current_n; i++)
		fprintf(stderr, " %02x", fuzz_current[i]);
	fputc('\n', stderr);
	abort();
}

static void fuzz_run(const uint8_t *data, size_t n)
{
	fuzz_current = data;
	fuzz_current_n = n;
	fuzz_one(data, n);
}

static uint64_t fuzz_state = 0x9E3779B97F4A7C15ULL;

static uint64_t fuzz_rand(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 7;
	fuzz_state ^= fuzz_state << 17;
	return fuzz_state;
}

/* Byte sequences that break text code: UTF-8 lead bytes, marks, overlongs,
 * surrogates, controls, legacy high bytes. */
static const char *const fuzz_dict[] = {
    "\xCC\x81",     "\xCC\xA3\xCC\x82",
    "\xE1\xBB\x87", "\xC3",
    "\xE1\xBA",     "\xF4\x90\x80\x80",
    "\xED\xA0\x80", "\xC0\xAF",
    "\x00",         "\x1b[2J",
    "\x08",         "\xFF",
    "\x80",         "\xEF\xBB\xBF",
    "\xC4\x91",     "\xC6\xB0",
    "aa",           "ww",
    "dd",           "uow",
    "<BackSpace>",  "\xF0\x9F\x98\x80",
    "\xE4\xB8\xAD", "^'",
    "+`",           "\\",
};

static size_t fuzz_mutate(uint8_t *buf, size_t n, size_t cap)
{
	int rounds = 1 + (int)(fuzz_rand() % 4);
	for (int r = 0; r < rounds; r++) {
		switch (fuzz_rand() % 6) {
		case 0: /* flip a bit */
			if (n)
				buf[fuzz_rand() % n] ^= (uint8_t)(1u << (fuzz_rand() % 8));
			break;
		case 1: /* a random byte */
			if (n)
				buf[fuzz_rand() % n] = (uint8_t)fuzz_rand();
			break;
		case 2: { /* insert a dictionary word */
			const char *w = fuzz_dict[fuzz_rand() % (sizeof fuzz_dict / sizeof *fuzz_dict)];
			size_t wl = w[0] ? strlen(w) : 1, at = n ? fuzz_rand() % (n + 1) : 0;
			if (n + wl <= cap) {
				memmove(buf + at + wl, buf + at, n - at);
				memcpy(buf + at, w, wl);
				n += wl;
			}
			break;
		}
		case 3: /* delete a run */
			if (n) {
				size_t at = fuzz_rand() % n, len = 1 + fuzz_rand() % 8;
				if (at + len > n)
					len = n - at;
				memmove(buf + at, buf + at + len, n - at - len);
				n -= len;
			}
			break;
		case 4: /* duplicate a run */
			if (n) {
				size_t at = fuzz_rand() % n, len = 1 + fuzz_rand() % 32;
				if (at + len > n)
					len = n - at;
				if (n + len <= cap) {
					memmove(buf + at + len, buf + at, n - at);
					n += len;
				}
			}
			break;
		default: /* truncate */
			if (n)
				n = fuzz_rand() % n;
			break;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0;
	enum { CAP = 4096 };
	uint8_t work[CAP];
	size_t nseeds = 0;
	while (fuzz_seeds[nseeds])
		nseeds++;
	/* every seed as it is, then mutations until the time is up */
	for (size_t i = 0; i < nseeds; i++) {
		size_t n = strlen(fuzz_seeds[i]);
		uint8_t *copy = malloc(n ? n : 1); /* exact size: ASan sees any over-read */
		memcpy(copy, fuzz_seeds[i], n);
		fuzz_run(copy, n);
		free(copy);
	}
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long runs = 0;
	for (;;) {
		const char *seed = fuzz_seeds[fuzz_rand() % nseeds];
		size_t n = strlen(seed);
		if (n > CAP)
			n = CAP;
		memcpy(work, seed, n);
		n = fuzz_mutate(work, n, CAP);
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, work, n);
		fuzz_run(copy, n);
		free(copy);
		runs++;
		if ((runs & 255) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 >= seconds)
				break;
		}
	}
	printf("%s: %ld inputs, no failure\n", fuzz_name, runs);
	return 0;
}
