/* Whole files in and out, so that a file is either all there or not at all. */
#ifndef MOHINH_MH_FILE_H
#define MOHINH_MH_FILE_H
#include <stddef.h>

#include "mh-error.h"

/* Writes data to path through path.part: written, fsynced, renamed over
 * path, the folder fsynced. "-" writes to standard output. */
int mh_file_write(const char *path, const char *data, size_t len, struct mh_error *err);
/* Reads a whole file ("-": standard input) into a new buffer (NUL-ended),
 * refusing one over max bytes. */
int mh_file_read(const char *path, size_t max, char **data, size_t *len, struct mh_error *err);

#endif
