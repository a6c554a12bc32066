/* Accounts, logins and the review of records. */
#ifndef MOHINH_STORE_USER_H
#define MOHINH_STORE_USER_H
#include "store.h"

/* --- accounts ------------------------------------------------------------------ */
enum store_role { STORE_ROLE_OFFICER = 1, STORE_ROLE_LEADER = 2, STORE_ROLE_ADMIN = 4 };
/* "officer,leader" → bits; -1 if a word is not a role. */
int store_roles_parse(const char *s);
/* The number of accounts: 0 while the office is being set up (changes are
 * then made as the system user); from the first, every change needs a login. */
long store_user_count(struct store *st);
/* Adds an account; the password (at least 8 characters) is kept only as an
 * Argon2id hash. Needs an admin logged in, except for the very first account. */
int store_user_add(struct store *st, const char *name, const char *roles, const char *password, struct mh_error *err);
int store_user_passwd(struct store *st, const char *name, const char *password, struct mh_error *err);
int store_user_disable(struct store *st, const char *name, struct mh_error *err);
struct store_user_row {
	const char *name, *roles, *created_at;
	int disabled, failures;
};
int store_user_list(struct store *st, int (*fn)(const struct store_user_row *u, void *ud), void *ud,
                    struct mh_error *err);
/* Checks the password (in constant time); after repeated failures each try
 * waits longer; every try is logged. On success the store acts as name. */
int store_login(struct store *st, const char *name, const char *password, struct mh_error *err);
void store_logout(struct store *st);
/* 1 if the logged-in account has the role. */
int store_has_role(struct store *st, enum store_role role);

/* --- review ---------------------------------------------------------------------- */
/* draft → submitted → approved, or returned (with a reason) → submitted again;
 * an approved record is locked until a leader reopens it (with a reason). The
 * table of a record is found from its id. seen_rev: the revision the
 * reviewer saw (0: any); a record changed since is refused. */
/* "submitted" → "Đã gửi duyệt" */
const char *store_state_label(const char *state);
int store_review_submit(struct store *st, const char *id, struct mh_error *err);
/* A model with its points and evaluations that are drafts or returned, in one action. */
int store_review_submit_model(struct store *st, const char *model_id, int *count, struct mh_error *err);
int store_review_approve(struct store *st, const char *id, long seen_rev, struct mh_error *err);
int store_review_return(struct store *st, const char *id, const char *reason, long seen_rev, struct mh_error *err);
int store_review_reopen(struct store *st, const char *id, const char *reason, struct mh_error *err);
struct store_review_row {
	char table[16];
	char id[STORE_ID_LEN + 1];
	char state[16];
	char title[512];
	char prepared_by[64], prepared_at[21], approved_by[64], approved_at[21];
	char reason[256];
	long rev;
};
/* Records of this office's database in a state (NULL: submitted), oldest first. */
int store_review_list(struct store *st, const char *state, int (*fn)(const struct store_review_row *r, void *ud),
                      void *ud, struct mh_error *err);
int store_review_get(struct store *st, const char *id, struct store_review_row *r, struct mh_error *err);
/* What changed since the record was last approved (or since it was made):
 * one line per field, "field: old → new". */
int store_review_diff(struct store *st, const char *id, struct strbuf *out, struct mh_error *err);

#endif
