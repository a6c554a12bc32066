/* The program's doors to its two modules. Drawing a PDF (pango on cairo:
 * glib, fontconfig, harfbuzz, X11…) and reading and writing workbooks
 * (libzip, expat, freexl, libxlsxwriter, and through them libcrypto) need
 * forty-odd libraries that would cost every start of the program about 12 ms
 * to load, for files made now and then. So that code is built apart, as
 * mohinh-pdf.so (src/text/report-pdf.c) and mohinh-sheet.so (the sheet files
 * and src/text/report-xlsx.c), and loaded the first time it is asked for:
 * beside the program (the build tree), else in ../lib/mohinh of an installed
 * tree wherever it was put. The functions here stand in for theirs; the
 * tests and tools link the code itself. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "report.h"
#include "sheet.h"

/* The module's handle, opened on first use; NULL with err if it is not there. */
static void *module_open(const char *file, void **handle, struct mh_error *err)
{
	if (*handle)
		return *handle;
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = '\0';
	char *slash = n > 0 ? strrchr(exe, '/') : NULL;
	if (!slash) {
		mh_error_set(err, MH_EFAIL, "%s", _("the program's folder is unknown"));
		return NULL;
	}
	*slash = '\0';
	static const char *const places[] = {"%s/%s", "%s/../lib/mohinh/%s"};
	for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
		snprintf(path, sizeof path, places[i], exe, file);
		if (access(path, R_OK) != 0)
			continue;
		if (!(*handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)))
			mh_error_set(err, MH_EFAIL, "%s", dlerror());
		return *handle;
	}
	mh_error_set(err, MH_EFAIL, _("%s is not installed beside the program"), file);
	return NULL;
}

/* Every function named in names, from the module, into fns (in order); -1
 * with err saying what cannot be done (what, a message with one %s) and why. */
static int module_load(const char *file, void **handle, const char *const *names, void **fns, size_t n,
                       const char *what, struct mh_error *err)
{
	struct mh_error why = {0};
	if (module_open(file, handle, &why))
		for (size_t i = 0; i < n; i++)
			if (!(fns[i] = dlsym(*handle, names[i]))) {
				mh_error_set(&why, MH_EFAIL, "%s", dlerror());
				break;
			}
	if (why.code == 0)
		return 0;
	return mh_error_set(err, MH_EFAIL, what, why.msg);
}

static void *pdf_handle;
static int (*pdf_draw)(const struct report *r, struct strbuf *out, struct mh_error *err);

int report_pdf(const struct report *r, struct strbuf *out, struct mh_error *err)
{
	void *fn;
	if (!pdf_draw) {
		if (module_load("mohinh-pdf.so", &pdf_handle, (const char *const[]){"report_pdf"}, &fn, 1,
		                _("cannot make a PDF: %s"), err) < 0)
			return -1;
		pdf_draw = (__typeof__(pdf_draw))fn;
	}
	return pdf_draw(r, out, err);
}

/* the workbook module's functions the program calls */
static void *sheet_handle;
static struct sheet_fns {
	int (*read)(const char *, const char *, size_t, const char *, int, struct csv_table *, struct sheet_info *,
	            struct mh_error *);
	int (*report)(const struct report *, const char *, struct mh_error *);
	struct sheet_out *(*out_new)(struct mh_error *);
	void (*out_sheet)(struct sheet_out *, const char *);
	void (*out_head)(struct sheet_out *, const char *const *, size_t);
	void (*out_row)(struct sheet_out *, const struct sheet_cell *, size_t, enum sheet_look);
	int (*out_save)(struct sheet_out *, const char *, struct mh_error *);
} sheet;

static int sheet_module(struct mh_error *err)
{
	static const char *const names[] = {"sheet_read",     "report_xlsx",   "sheet_out_new", "sheet_out_sheet",
	                                    "sheet_out_head", "sheet_out_row", "sheet_out_save"};
	void *fn[sizeof names / sizeof *names];
	if (sheet.read)
		return 0;
	if (module_load("mohinh-sheet.so", &sheet_handle, names, fn, sizeof names / sizeof *names,
	                _("cannot read or write spreadsheets: %s"), err) < 0)
		return -1;
	sheet.report = (__typeof__(sheet.report))fn[1];
	sheet.out_new = (__typeof__(sheet.out_new))fn[2];
	sheet.out_sheet = (__typeof__(sheet.out_sheet))fn[3];
	sheet.out_head = (__typeof__(sheet.out_head))fn[4];
	sheet.out_row = (__typeof__(sheet.out_row))fn[5];
	sheet.out_save = (__typeof__(sheet.out_save))fn[6];
	sheet.read = (__typeof__(sheet.read))fn[0]; /* last: the others are set when it is */
	return 0;
}

int sheet_read(const char *path, const char *bytes, size_t len, const char *name, int encoding, struct csv_table *t,
               struct sheet_info *info, struct mh_error *err)
{
	return sheet_module(err) < 0 ? -1 : sheet.read(path, bytes, len, name, encoding, t, info, err);
}

int report_xlsx(const struct report *r, const char *path, struct mh_error *err)
{
	return sheet_module(err) < 0 ? -1 : sheet.report(r, path, err);
}

struct sheet_out *sheet_out_new(struct mh_error *err)
{
	return sheet_module(err) < 0 ? NULL : sheet.out_new(err);
}

/* the rest are called only on what sheet_out_new gave: the module is there */
void sheet_out_sheet(struct sheet_out *o, const char *name)
{
	sheet.out_sheet(o, name);
}

void sheet_out_head(struct sheet_out *o, const char *const *labels, size_t n)
{
	sheet.out_head(o, labels, n);
}

void sheet_out_row(struct sheet_out *o, const struct sheet_cell *cells, size_t n, enum sheet_look look)
{
	sheet.out_row(o, cells, n, look);
}

int sheet_out_save(struct sheet_out *o, const char *path, struct mh_error *err)
{
	return sheet.out_save(o, path, err);
}
