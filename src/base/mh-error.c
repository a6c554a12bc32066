#include "mh-error.h"

#include <stdarg.h>
#include <stdio.h>

int mh_error_set(struct mh_error *err, enum mh_code code, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->code = code;
	err->where[0] = '\0';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void mh_error_where(struct mh_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->where, sizeof err->where, fmt, ap);
	va_end(ap);
}
