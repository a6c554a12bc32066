/* Bundle envelope, format 1:
 *   "MOHINHB1", u32 header length (little-endian), the header as
 *   "key value" lines; the stream key sealed to the recipient (80 bytes);
 *   the secretstream header (24 bytes); chunks of u32 length + ciphertext
 *   (at most 64 KiB of payload each, the header text as additional data,
 *   the last tagged FINAL); the Ed25519 signature (64 bytes) over the
 *   BLAKE2b-512 hash of every byte before it. */
#include "bundle.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "strbuf.h"
#include "xalloc.h"

#define BUNDLE_MAGIC     "MOHINHB1"
#define BUNDLE_HEAD_MAX  4096
#define BUNDLE_CHUNK     65536
#define BUNDLE_SEALED    (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)
#define BUNDLE_SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES

static void bundle_u32(struct strbuf *out, size_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	strbuf_add(out, b, 4);
}

static size_t bundle_get_u32(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

static int bundle_bad(struct mh_error *err)
{
	return mh_error_set(err, MH_EDATA, _("the file is not a mohinh bundle, or it is damaged"));
}

int bundle_seal(const struct bundle_header *h, const unsigned char *payload, size_t len, const unsigned char *sign_sk,
                const unsigned char *box_pk, struct strbuf *out, struct mh_error *err)
{
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	size_t start = out->len;
	struct strbuf head;
	strbuf_init(&head);
	strbuf_addf(&head,
	            "format 1\nkind %s\nsender %s\nsender_unit %s\nrecipient %s\nseq %lld\ncreated %s\npayload %zu\n",
	            h->kind, h->sender, h->sender_unit, h->recipient, h->seq, h->created, len);
	if (h->sign_pk[0])
		strbuf_addf(&head, "sign_pk %s\nbox_pk %s\n", h->sign_pk, h->box_pk);
	strbuf_adds(out, BUNDLE_MAGIC);
	bundle_u32(out, head.len);
	strbuf_add(out, head.buf, head.len);
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[BUNDLE_SEALED];
	crypto_secretstream_xchacha20poly1305_keygen(key);
	crypto_box_seal(sealed, key, sizeof key, box_pk);
	strbuf_add(out, sealed, sizeof sealed);
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char ssh[BUNDLE_SS_HEADER];
	crypto_secretstream_xchacha20poly1305_init_push(&ss, ssh, key);
	sodium_memzero(key, sizeof key);
	strbuf_add(out, ssh, sizeof ssh);
	size_t at = 0;
	do {
		size_t n = len - at < BUNDLE_CHUNK ? len - at : BUNDLE_CHUNK;
		int last = at + n == len;
		size_t clen = n + crypto_secretstream_xchacha20poly1305_ABYTES;
		bundle_u32(out, clen);
		strbuf_grow(out, clen);
		crypto_secretstream_xchacha20poly1305_push(&ss, (unsigned char *)out->buf + out->len, NULL,
		                                           payload + at, n, (const unsigned char *)head.buf, head.len,
		                                           last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		out->len += clen;
		at += n;
	} while (at < len);
	strbuf_release(&head);
	unsigned char hash[crypto_generichash_BYTES_MAX], sig[crypto_sign_BYTES];
	crypto_generichash(hash, sizeof hash, (const unsigned char *)out->buf + start, out->len - start, NULL, 0);
	crypto_sign_detached(sig, NULL, hash, sizeof hash, sign_sk);
	strbuf_add(out, sig, sizeof sig);
	return 0;
}

/* The header's "key value" lines into h. */
static int bundle_parse_head(const char *p, size_t n, struct bundle_header *h)
{
	memset(h, 0, sizeof *h);
	char *text = xalloc_strndup(p, n), *save = NULL;
	int seen = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, ' ');
		if (!v)
			continue;
		*v++ = '\0';
		if (strcmp(line, "format") == 0)
			h->format = atoi(v), seen |= 1;
		else if (strcmp(line, "kind") == 0)
			snprintf(h->kind, sizeof h->kind, "%s", v), seen |= 2;
		else if (strcmp(line, "sender") == 0)
			snprintf(h->sender, sizeof h->sender, "%s", v), seen |= 4;
		else if (strcmp(line, "sender_unit") == 0)
			snprintf(h->sender_unit, sizeof h->sender_unit, "%s", v);
		else if (strcmp(line, "recipient") == 0)
			snprintf(h->recipient, sizeof h->recipient, "%s", v), seen |= 8;
		else if (strcmp(line, "seq") == 0)
			h->seq = atoll(v);
		else if (strcmp(line, "created") == 0)
			snprintf(h->created, sizeof h->created, "%s", v);
		else if (strcmp(line, "payload") == 0)
			h->payload_len = atoll(v), seen |= 16;
		else if (strcmp(line, "sign_pk") == 0)
			snprintf(h->sign_pk, sizeof h->sign_pk, "%s", v);
		else if (strcmp(line, "box_pk") == 0)
			snprintf(h->box_pk, sizeof h->box_pk, "%s", v);
	}
	free(text);
	return seen == 31 && h->payload_len >= 0 ? 0 : -1;
}

int bundle_header_read(const unsigned char *file, size_t len, struct bundle_header *h, struct mh_error *err)
{
	if (len > BUNDLE_MAX)
		return mh_error_set(err, MH_EDATA, _("the file is too big to be a bundle"));
	if (len < 12 || memcmp(file, BUNDLE_MAGIC, 8) != 0)
		return bundle_bad(err);
	size_t hl = bundle_get_u32(file + 8);
	if (hl > BUNDLE_HEAD_MAX || 12 + hl > len || bundle_parse_head((const char *)file + 12, hl, h) < 0)
		return bundle_bad(err);
	if (h->format != 1)
		return mh_error_set(err, MH_EDATA, _("the bundle is of format %d, which this mohinh cannot read"),
		                    h->format);
	return 0;
}

int bundle_verify(const unsigned char *file, size_t len, const unsigned char *sign_pk, struct bundle_header *h,
                  struct mh_error *err)
{
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	if (bundle_header_read(file, len, h, err) < 0)
		return -1;
	size_t hl = bundle_get_u32(file + 8), body = 12 + hl;
	if (len < body + BUNDLE_SEALED + BUNDLE_SS_HEADER + crypto_sign_BYTES)
		return bundle_bad(err);
	size_t signed_len = len - crypto_sign_BYTES;
	unsigned char hash[crypto_generichash_BYTES_MAX];
	crypto_generichash(hash, sizeof hash, file, signed_len, NULL, 0);
	if (crypto_sign_verify_detached(file + signed_len, hash, sizeof hash, sign_pk) != 0)
		return mh_error_set(
		    err, MH_EDATA,
		    _("the signature does not hold: the bundle was changed, cut, or not made by the office "
		      "it names"));
	return 0;
}

int bundle_open(const unsigned char *file, size_t len, const unsigned char *sign_pk, const unsigned char *box_pk,
                const unsigned char *box_sk, struct bundle_header *h, unsigned char **payload, size_t *plen,
                struct mh_error *err)
{
	*payload = NULL;
	*plen = 0;
	if (sodium_init() < 0)
		return mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start"));
	/* the signature first: nothing else is read from a file that fails it */
	if (bundle_verify(file, len, sign_pk, h, err) < 0)
		return -1;
	size_t hl = bundle_get_u32(file + 8), body = 12 + hl, signed_len = len - crypto_sign_BYTES;
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	if (crypto_box_seal_open(key, file + body, BUNDLE_SEALED, box_pk, box_sk) != 0)
		return mh_error_set(err, MH_EDATA, _("the bundle was made for another office"));
	crypto_secretstream_xchacha20poly1305_state ss;
	int ok = crypto_secretstream_xchacha20poly1305_init_pull(&ss, file + body + BUNDLE_SEALED, key) == 0;
	sodium_memzero(key, sizeof key);
	if (!ok || h->payload_len > (long long)len)
		return bundle_bad(err);
	unsigned char *out = xalloc_malloc((size_t)h->payload_len + 1);
	size_t at = body + BUNDLE_SEALED + BUNDLE_SS_HEADER, got = 0;
	unsigned char tag = 0;
	while (ok && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		if (at + 4 > signed_len) {
			ok = 0;
			break;
		}
		size_t clen = bundle_get_u32(file + at);
		at += 4;
		size_t n = clen - crypto_secretstream_xchacha20poly1305_ABYTES;
		unsigned long long m;
		ok = clen >= crypto_secretstream_xchacha20poly1305_ABYTES && at + clen <= signed_len &&
		     got + n <= (size_t)h->payload_len &&
		     crypto_secretstream_xchacha20poly1305_pull(&ss, out + got, &m, &tag, file + at, clen, file + 12,
		                                                hl) == 0;
		at += clen;
		got += n;
	}
	if (!ok || at != signed_len || got != (size_t)h->payload_len) {
		free(out);
		return bundle_bad(err);
	}
	*payload = out;
	*plen = got;
	return 0;
}
