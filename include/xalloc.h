/* Allocation that never returns NULL: out of memory aborts. */
#ifndef MOHINH_XALLOC_H
#define MOHINH_XALLOC_H
#include <stddef.h>

void *xalloc_malloc(size_t n);
void *xalloc_calloc(size_t n, size_t size);
void *xalloc_realloc(void *p, size_t n);
char *xalloc_strdup(const char *s);
char *xalloc_strndup(const char *s, size_t n);
/* printf into a new string. */
char *xalloc_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
