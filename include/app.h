/* Use cases both front-ends share (architecture.md, "app.h"): what the
 * screens and the command line do the same way, whatever asked. */
#ifndef MOHINH_APP_H
#define MOHINH_APP_H
#include <stddef.h>

#include "formdef.h"
#include "mh-error.h"
#include "store.h"

/* Saves a record of a model, point or evaluation (id NULL: a new one, its id
 * into new_id) under the rules of its form: the values given (as stored:
 * codes, YYYY-MM-DD; NULL clears) with the record's others; a field the form
 * hides then holds nothing; a field required, or required when another has a
 * value, must have one (err names it). Then the store's checks, in one
 * transaction. Without a form for the table, the store's checks alone. */
int app_record_save(struct store *st, const struct formdef_set *forms, const char *table, const char *id,
                    const struct store_kv *kv, size_t n, char new_id[STORE_ID_LEN + 1], struct mh_error *err);

#endif
