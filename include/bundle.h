/* The envelope of a bundle file (sync.md): a plain header, the payload
 * encrypted in chunks (libsodium secretstream, the last chunk tagged FINAL so
 * that a cut file is refused), its key sealed to the receiving office's
 * X25519 key, and the sender's Ed25519 signature over everything before it.
 * Nothing of the payload is looked at before the signature holds. */
#ifndef MOHINH_BUNDLE_H
#define MOHINH_BUNDLE_H
#include <stddef.h>
#include <stdio.h>

#include "mh-error.h"

struct strbuf;

#define BUNDLE_MAX ((size_t)1 << 30) /* a bundle over 1 GiB is refused unread */

struct bundle_header {
	int format;    /* 1 */
	char kind[16]; /* data, setup, receipt, ref */
	char sender[40], sender_unit[24];
	char recipient[40]; /* the receiving office's id */
	long long seq;      /* the sender's export sequence */
	char created[21];   /* UTC */
	long long payload_len;
	/* a setup bundle carries its sender's public keys (hex): the receiver
	 * does not know them yet, and checks their fingerprint with a person */
	char sign_pk[65], box_pk[65];
};

/* Writes the bundle of h->payload_len bytes read from payload to out.
 * sign_sk: the sender's Ed25519 secret key (64 bytes); box_pk: the
 * recipient's X25519 public key (32 bytes). */
int bundle_seal(const struct bundle_header *h, FILE *payload, const unsigned char *sign_sk, const unsigned char *box_pk,
                FILE *out, struct mh_error *err);
/* The header alone, unverified: to find the sender's key, or to show it. */
int bundle_header_read(FILE *in, struct bundle_header *h, struct mh_error *err);
/* Checks the signature with the sender's public key (32 bytes) and
 * decrypts with this office's X25519 pair into out (bundle_take, the header
 * read first). On failure, what was written to out is to be thrown away. */
int bundle_open(FILE *in, const unsigned char *sign_pk, const unsigned char *box_pk, const unsigned char *box_sk,
                struct bundle_header *h, FILE *out, struct mh_error *err);

/* The same in one pass over the file, on two cores: every byte read once,
 * hashed (and into hash unless NULL: the whole file's BLAKE2b-256, its name
 * in the logs) and checked against the signature while it is decrypted
 * into out. h: the header read before (by which the keys were chosen); the
 * file must still begin with it. The signature is judged before anything else that is
 * wrong; on failure, what was written to out is to be thrown away. */
int bundle_take(FILE *in, const unsigned char *sign_pk, const unsigned char *box_pk, const unsigned char *box_sk,
                const struct bundle_header *h, unsigned char hash[32], FILE *out, struct mh_error *err);

#endif
