/* Whole files in and out, so that a file is either all there or not at all. */
#ifndef MOHINH_MH_FILE_H
#define MOHINH_MH_FILE_H
#include <stddef.h>
#include <stdio.h>

#include "mh-error.h"

/* Writes data to path through path.part: written, fsynced, renamed over
 * path, the folder fsynced. "-" writes to standard output. */
int mh_file_write(const char *path, const char *data, size_t len, struct mh_error *err);
/* The same in steps, for what is too big to hold in memory: a FILE on
 * path.part; committed (flushed, fsynced, renamed, the folder fsynced) or
 * abandoned (closed and removed). Errors name a full, read-only or pulled
 * stick. */
FILE *mh_file_part_open(const char *path, struct mh_error *err);
int mh_file_part_commit(FILE *f, const char *path, struct mh_error *err);
void mh_file_part_abandon(FILE *f, const char *path);
/* Says why path cannot be written (errno e): a full, read-only or pulled-out stick by name. */
int mh_file_error(struct mh_error *err, const char *path, int e);
/* Opens a regular file of 1 to max bytes, never through a symbolic link,
 * a FIFO or a device. */
FILE *mh_file_open_regular(const char *path, size_t max, long long *size, struct mh_error *err);
/* Reads a whole file ("-": standard input) into a new buffer (NUL-ended),
 * refusing one over max bytes. */
int mh_file_read(const char *path, size_t max, char **data, size_t *len, struct mh_error *err);
/* Whether the file system holding path lies on an encrypted block device
 * (dm-crypt, as LUKS makes: a dm/uuid starting "CRYPT-" on the device, the
 * disk of its partition, or a device it is built on, as LVM on LUKS): 1
 * yes, 0 no, -1 cannot tell (no block device: tmpfs, a network file system).
 * The second looks at the device major:minor under the sysfs root sys. */
int mh_file_encrypted(const char *path);
int mh_file_block_encrypted(unsigned major, unsigned minor, const char *sys);

#endif
