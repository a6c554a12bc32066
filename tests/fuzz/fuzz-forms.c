#include <stdlib.h>
#include <string.h>

#include "formdef.h"
#include "fuzz.h"
#include "xalloc.h"

const char *const fuzz_name = "fuzz-forms";
const char *const fuzz_seeds[] = {
    "form x\nversion 1\ntable model\ntitle X\nfield name\n  label T\xC3\xAAn\n  type text\n  required\n  maxlen 9\n"
    "field f\n  label F\n  type choice\n  choices l\n  show-when name = a\n",
    "form x\nversion 2\ntable point\ntitle P\nfield teams\n  type integer\n  min 1\n  max 0\n", NULL};

/* The input is a form; its first line, if it starts with '=', a list. */
void fuzz_one(const uint8_t *data, size_t n)
{
	char *text = xalloc_strndup((const char *)data, n);
	const char *names[] = {"x.form", "l.choices"};
	const char *texts[] = {text, "a = A\nb = B\n"};
	struct formdef_errors errs = {NULL, 0};
	struct formdef_set *set = formdef_load_texts(names, texts, 2, &errs);
	FUZZ_CHECK(set != NULL);
	for (size_t i = 0; i < set->nforms; i++)
		for (size_t k = 0; k < set->forms[i].nfields; k++) {
			char *stored = NULL;
			struct mh_error err;
			if (formdef_value(&set->forms[i].fields[k], text, &stored, &err) == 0)
				free(stored);
		}
	formdef_errors_release(&errs);
	formdef_free(set);
	free(text);
}
