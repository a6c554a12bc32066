/* A small mutation fuzzer (no coverage feedback, no extra toolchain): each
 * harness defines its seeds and fuzz_one(); the driver mutates the seeds
 * for a while, deterministically, under ASan+UBSan in `make check`. The
 * same fuzz_one() can be linked to libFuzzer for longer runs. */
#ifndef MOHINH_FUZZ_H
#define MOHINH_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern const char *const fuzz_name;
extern const char *const fuzz_seeds[]; /* NULL-terminated */
void fuzz_one(const uint8_t *data, size_t n);
/* Prints the input being tried (in hex) and aborts. */
void fuzz_fail(const char *what, const char *file, int line) __attribute__((noreturn));

#define FUZZ_CHECK(cond)                                      \
	do {                                                  \
		if (!(cond))                                  \
			fuzz_fail(#cond, __FILE__, __LINE__); \
	} while (0)

#endif
