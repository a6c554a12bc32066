#include "mh-file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "strbuf.h"
#include "xalloc.h"

static int mh_file_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int mh_file_write(const char *path, const char *data, size_t len, struct mh_error *err)
{
	if (strcmp(path, "-") == 0) {
		if (mh_file_all(STDOUT_FILENO, data, len) < 0)
			return mh_error_set(err, MH_EIO, _("cannot write to standard output: %s"), strerror(errno));
		return 0;
	}
	char *part = xalloc_printf("%s.part", path);
	int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = 0;
	if (fd < 0) {
		rc = mh_error_set(err, MH_EIO, _("cannot write %s: %s"), path, strerror(errno));
	} else if (mh_file_all(fd, data, len) < 0 || fsync(fd) < 0) {
		rc = mh_error_set(err, MH_EIO, _("cannot write %s: %s"), path, strerror(errno));
		close(fd);
		unlink(part);
	} else if (close(fd) < 0 || rename(part, path) < 0) {
		rc = mh_error_set(err, MH_EIO, _("cannot write %s: %s"), path, strerror(errno));
		unlink(part);
	} else {
		char *copy = xalloc_strdup(path);
		int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(copy);
	}
	free(part);
	return rc;
}

int mh_file_read(const char *path, size_t max, char **data, size_t *len, struct mh_error *err)
{
	/* O_NONBLOCK: a FIFO must not hang the open */
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return mh_error_set(err, MH_EIO, _("cannot read %s: %s"), path, strerror(errno));
	struct stat info;
	if (fd != STDIN_FILENO && (fstat(fd, &info) < 0 || !S_ISREG(info.st_mode))) {
		close(fd);
		return mh_error_set(err, MH_EDATA, _("%s is not a regular file"), path);
	}
	if (fd != STDIN_FILENO && (size_t)info.st_size > max) {
		close(fd);
		return mh_error_set(err, MH_EDATA, _("%s is too big (more than %zu MB)"), path, max >> 20);
	}
	struct strbuf sb;
	strbuf_init(&sb);
	int rc = 0;
	for (;;) {
		strbuf_grow(&sb, 65536);
		ssize_t n = read(fd, sb.buf + sb.len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = mh_error_set(err, MH_EIO, _("cannot read %s: %s"), path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		sb.buf[sb.len] = '\0';
		if (sb.len > max) {
			rc = mh_error_set(err, MH_EDATA, _("%s is too big (more than %zu MB)"), path, max >> 20);
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc < 0) {
		strbuf_release(&sb);
		return rc;
	}
	*len = sb.len;
	*data = strbuf_detach(&sb, NULL);
	return 0;
}
