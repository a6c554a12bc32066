/* The one edit screen, drawn from a form definition. */
#ifndef MOHINH_SCR_EDIT_H
#define MOHINH_SCR_EDIT_H

#include "store.h"

struct scr_edit_arg {
	const char *form; /* form id: model, point, evaluation */
	const char *id;   /* the record to edit, or NULL for a new one */
	/* values set by where the form was opened from (not shown): a point's
	 * model, a replication's source point, an evaluation's point */
	struct store_kv fixed[3];
	int nfixed;
	/* values to start a new record with (a replication, the previous
	 * evaluation of the same point) */
	struct store_kv prefill[16];
	int nprefill;
	const char *draft_key; /* where an unsaved form is kept ("new" by default) */
};

#endif
