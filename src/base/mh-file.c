#include "mh-file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

/* A message that says what to do about the usual failures of a stick. */
int mh_file_error(struct mh_error *err, const char *path, int e)
{
	if (e == ENOSPC || e == EDQUOT || e == EFBIG)
		return mh_error_set(err, MH_EIO, _("cannot write %s: the disk or USB stick is full"), path);
	if (e == EROFS || e == EACCES || e == EPERM)
		return mh_error_set(err, MH_EIO, _("cannot write %s: the disk or USB stick is read-only"), path);
	if (e == EIO || e == ENODEV || e == ENXIO)
		return mh_error_set(err, MH_EIO, _("cannot write %s: the USB stick was pulled out or is damaged"),
		                    path);
	return mh_error_set(err, MH_EIO, _("cannot write %s: %s"), path, strerror(e));
}

FILE *mh_file_part_open(const char *path, struct mh_error *err)
{
	char *part = xalloc_printf("%s.part", path);
	int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	free(part);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		mh_file_error(err, path, errno);
		if (fd >= 0)
			close(fd);
	}
	return f;
}

void mh_file_part_abandon(FILE *f, const char *path)
{
	char *part = xalloc_printf("%s.part", path);
	if (f)
		fclose(f);
	unlink(part);
	free(part);
}

int mh_file_part_commit(FILE *f, const char *path, struct mh_error *err)
{
	char *part = xalloc_printf("%s.part", path);
	int rc = 0;
	errno = 0;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = mh_file_error(err, path, errno ? errno : EIO);
		fclose(f);
		unlink(part);
	} else if (fclose(f) != 0 || rename(part, path) != 0) {
		rc = mh_file_error(err, path, errno ? errno : EIO);
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

int mh_file_write(const char *path, const char *data, size_t len, struct mh_error *err)
{
	if (strcmp(path, "-") == 0) {
		if (mh_file_all(STDOUT_FILENO, data, len) < 0)
			return mh_error_set(err, MH_EIO, _("cannot write to standard output: %s"), strerror(errno));
		return 0;
	}
	FILE *f = mh_file_part_open(path, err);
	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len) {
		int e = errno;
		mh_file_part_abandon(f, path);
		return mh_file_error(err, path, e ? e : EIO);
	}
	return mh_file_part_commit(f, path, err);
}

FILE *mh_file_open_regular(const char *path, size_t max, long long *size, struct mh_error *err)
{
	/* O_NONBLOCK: a FIFO must not hang the open; O_NOFOLLOW: a link is not followed */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ELOOP)
			mh_error_set(err, MH_EDATA, _("%s is a symbolic link: not read"), path);
		else
			mh_error_set(err, MH_EIO, _("cannot read %s: %s"), path, strerror(errno));
		return NULL;
	}
	struct stat info;
	FILE *f = NULL;
	if (fstat(fd, &info) < 0 || !S_ISREG(info.st_mode))
		mh_error_set(err, MH_EDATA, _("%s is not a regular file"), path);
	else if ((unsigned long long)info.st_size > max)
		mh_error_set(err, MH_EDATA, _("%s is too big to be a bundle"), path);
	else if (info.st_size == 0)
		mh_error_set(err, MH_EDATA, _("%s is empty"), path);
	else if (!(f = fdopen(fd, "rb")))
		mh_error_set(err, MH_EIO, _("cannot read %s: %s"), path, strerror(errno));
	if (!f) {
		close(fd);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*size = (long long)info.st_size;
	return f;
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

/* The block device dir (under sys) of dev, its partition's disk, or the
 * devices it is built on (dm, md: slaves/), searched for a dm-crypt layer. */
static int mh_file_crypt_dir(const char *dir, int depth)
{
	if (depth > 8)
		return 0;
	char *p = xalloc_printf("%s/dm/uuid", dir);
	char uuid[16] = "";
	FILE *f = fopen(p, "r");
	free(p);
	if (f) {
		if (!fgets(uuid, sizeof uuid, f))
			uuid[0] = '\0';
		fclose(f);
	}
	if (strncmp(uuid, "CRYPT-", 6) == 0)
		return 1;
	p = xalloc_printf("%s/partition", dir);
	int part = access(p, F_OK) == 0;
	free(p);
	if (part) {
		p = xalloc_printf("%s/..", dir);
		int rc = mh_file_crypt_dir(p, depth + 1);
		free(p);
		return rc;
	}
	p = xalloc_printf("%s/slaves", dir);
	DIR *d = opendir(p);
	struct dirent *e;
	int rc = 0;
	while (d && !rc && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			char *s = xalloc_printf("%s/%s", p, e->d_name);
			rc = mh_file_crypt_dir(s, depth + 1);
			free(s);
		}
	if (d)
		closedir(d);
	free(p);
	return rc;
}

int mh_file_block_encrypted(unsigned major, unsigned minor, const char *sys)
{
	char *dir = xalloc_printf("%s/dev/block/%u:%u", sys, major, minor);
	int rc = major == 0 || access(dir, F_OK) != 0 ? -1 : mh_file_crypt_dir(dir, 0);
	free(dir);
	return rc;
}

int mh_file_encrypted(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return -1;
	return mh_file_block_encrypted(major(sb.st_dev), minor(sb.st_dev), "/sys");
}
