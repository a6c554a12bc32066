/* What a spreadsheet file is, and the numbers and dates of its cells as
 * text: what the program needs of workbooks without their libraries (the
 * reading and writing are a module, src/modules.c). */
#include "sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int sheet_ends_with(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n >= e && strcasecmp(path + n - e, ext) == 0;
}

enum sheet_format sheet_format_of(const char *path, const char *bytes, size_t len)
{
	if (len >= 4 && memcmp(bytes, "PK\3\4", 4) == 0)
		return SHEET_XLSX;
	if (len >= 8 && memcmp(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return SHEET_XLS;
	if (path && sheet_ends_with(path, ".xlsx"))
		return SHEET_XLSX;
	if (path && sheet_ends_with(path, ".xls"))
		return SHEET_XLS;
	return SHEET_CSV;
}

/* Days from 1970-01-01 to a civil date and back (H. Hinnant's algorithms). */
static void sheet_civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int sheet_serial_date(double serial, int date1904, char out[11])
{
	if (!(serial >= 1 && serial < 2958466)) /* 1900-01-01 .. 9999-12-31 */
		return 0;
	long days = (long)floor(serial);
	/* 1900: day 1 is 1900-01-01 and Excel counts a 29 February 1900 (day 60) that never was */
	long unix_days = date1904 ? days - 24107 : days - (days < 60 ? 25568 : 25569);
	if (!date1904 && days == 60)
		return 0;
	int y, m, d;
	sheet_civil(unix_days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 1;
}

void sheet_number(double v, char out[32])
{
	if (isfinite(v) && fabs(v) < 1e15 && v == floor(v)) {
		snprintf(out, 32, "%.0f", v);
		return;
	}
	snprintf(out, 32, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, 32, "%.17g", v);
	for (char *c = out; *c; c++)
		if (*c == ',') /* whatever LC_NUMERIC says */
			*c = '.';
}

void sheet_info_free(struct sheet_info *info)
{
	for (size_t i = 0; i < info->nnames; i++)
		free(info->names[i]);
	free(info->names);
	memset(info, 0, sizeof *info);
}
