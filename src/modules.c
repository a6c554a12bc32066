/* The program's report_pdf: pango on cairo draws the PDF, and its thirty-odd
 * libraries (glib, fontconfig, harfbuzz, X11…) cost every start of the
 * program about 9 ms to load, for a file made now and then. So the drawing
 * (src/text/report-pdf.c) is built apart, as mohinh-pdf.so, and loaded the
 * first time a PDF is asked for: beside the program (the build tree), else in
 * ../lib/mohinh of an installed tree wherever it was put. The tests and tools
 * link the drawing itself. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "report.h"

typedef int report_pdf_fn(const struct report *r, struct strbuf *out, struct mh_error *err);

static report_pdf_fn *pdf_module_load(struct mh_error *err)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = '\0';
	char *slash = n > 0 ? strrchr(exe, '/') : NULL;
	if (!slash) {
		mh_error_set(err, MH_EFAIL, _("cannot make a PDF: %s"), _("the program's folder is unknown"));
		return NULL;
	}
	*slash = '\0';
	static const char *const places[] = {"%s/mohinh-pdf.so", "%s/../lib/mohinh/mohinh-pdf.so"};
	const char *why = NULL;
	for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
		snprintf(path, sizeof path, places[i], exe);
		if (access(path, R_OK) != 0)
			continue;
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		report_pdf_fn *fn = h ? (report_pdf_fn *)dlsym(h, "report_pdf") : NULL;
		if (fn)
			return fn;
		why = dlerror();
		break;
	}
	mh_error_set(err, MH_EFAIL, _("cannot make a PDF: %s"),
	             why ? why : _("mohinh-pdf.so is not installed beside the program"));
	return NULL;
}

int report_pdf(const struct report *r, struct strbuf *out, struct mh_error *err)
{
	static report_pdf_fn *draw;
	if (!draw && !(draw = pdf_module_load(err)))
		return -1;
	return draw(r, out, err);
}
