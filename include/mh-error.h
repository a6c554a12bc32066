/* Errors returned by the core: a code (the CLI's exit code), a message already
 * translated, and where it happened (a field, or file:line). */
#ifndef MOHINH_MH_ERROR_H
#define MOHINH_MH_ERROR_H

enum mh_code {
	MH_OK = 0,
	MH_EFAIL = 1,  /* the action failed */
	MH_EUSAGE = 2, /* wrong use of the command line */
	MH_EDATA = 3,  /* invalid data */
	MH_EIO = 4,    /* storage or I/O */
};

struct mh_error {
	enum mh_code code;
	char msg[512];
	char where[128]; /* a field id, file:line, or empty */
};

/* Sets err (if not NULL) and returns -1, so that `return mh_error_set(...)` works. */
int mh_error_set(struct mh_error *err, enum mh_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void mh_error_where(struct mh_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
