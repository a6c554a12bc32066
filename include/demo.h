/* The demo data: models of the 2017 Bình Thuận report, with their points and
 * a few evaluations. */
#ifndef MOHINH_DEMO_H
#define MOHINH_DEMO_H

#include "mh-error.h"
#include "store.h"

struct demo_result {
	int models, points, evaluations, units; /* added now */
	int skipped;                            /* there already */
};

/* Loads what lies in this office's area, owned by this office, in one
 * transaction. Loading twice adds nothing: ids derive from the office id. */
int demo_load(struct store *st, struct demo_result *r, struct mh_error *err);

#endif
