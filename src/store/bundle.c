/* Bundle envelope, format 1:
 *   "MOHINHB1", u32 header length (little-endian), the header as
 *   "key value" lines; the stream key sealed to the recipient (80 bytes);
 *   the secretstream header (24 bytes); chunks of u32 length + ciphertext
 *   (at most 64 KiB of payload each, the header text as additional data,
 *   the last tagged FINAL); the Ed25519 signature (64 bytes) over the
 *   BLAKE2b-512 hash of every byte before it.
 * Everything streams through FILEs a chunk at a time: a bundle of any size
 * needs a few MB of memory. Sealing runs on two cores: this thread reads and
 * encrypts while a writer hashes and writes what was encrypted before; so
 * does taking a data bundle in, read once: this thread decrypts while the
 * other hashes (bundle_take). */
#define _FILE_OFFSET_BITS 64
#include "bundle.h"

#include <errno.h>
#include <pthread.h>
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
#define BUNDLE_ABYTES    crypto_secretstream_xchacha20poly1305_ABYTES
#define BUNDLE_SEALED    (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)
#define BUNDLE_SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES

static void bundle_set_u32(unsigned char *b, size_t v)
{
	b[0] = (unsigned char)v, b[1] = (unsigned char)(v >> 8), b[2] = (unsigned char)(v >> 16),
	b[3] = (unsigned char)(v >> 24);
}

static size_t bundle_get_u32(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

static int bundle_bad(struct mh_error *err)
{
	return mh_error_set(err, MH_EDATA, _("the file is not a mohinh bundle, or it is damaged"));
}

static int bundle_start(struct mh_error *err)
{
	return sodium_init() < 0 ? mh_error_set(err, MH_EFAIL, _("the cryptography library cannot start")) : 0;
}

/* Writes and hashes; a full or pulled stick shows here. */
static int bundle_put(FILE *out, crypto_generichash_state *hs, const void *p, size_t n, struct mh_error *err)
{
	if (n && fwrite(p, 1, n, out) != n)
		return mh_error_set(err, MH_EIO, _("cannot write the bundle: %s"), strerror(errno ? errno : EIO));
	if (hs)
		crypto_generichash_update(hs, p, n);
	return 0;
}

static int bundle_get(FILE *in, void *p, size_t n)
{
	return fread(p, 1, n, in) == n ? 0 : -1;
}

/* The second core's share: batches written (unless out is NULL) and hashed
 * in order, while this thread makes the next ones. Sealing hands it batches
 * of encrypted chunks; taking a bundle in, the file's blocks as they are
 * decrypted. */
enum { WORKER_SLOTS = 4, WORKER_CHUNKS = 16 };
#define WORKER_BATCH ((size_t)WORKER_CHUNKS * (4 + BUNDLE_CHUNK + BUNDLE_ABYTES))
struct bundle_worker {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *buf[WORKER_SLOTS]; /* of `batch` bytes each */
	size_t batch;
	size_t len[WORKER_SLOTS];
	int head, tail, count, done, failed; /* count: batches filled, not yet written */
	int error;                           /* errno of the write that failed */
	FILE *out;                           /* NULL: the batches are only hashed */
	crypto_generichash_state *hs;        /* over the first `limit` bytes (-1: all) */
	crypto_generichash_state *all;       /* over every byte, or NULL */
	long long limit, hashed;
};

static void *worker_run(void *arg)
{
	struct bundle_worker *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->count == 0 && !w->done)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->count == 0)
			break;
		int i = w->tail, skip = w->failed;
		pthread_mutex_unlock(&w->mu);
		errno = 0;
		int ok = skip || !w->out || fwrite(w->buf[i], 1, w->len[i], w->out) == w->len[i];
		int error = errno ? errno : EIO;
		if (ok && !skip) {
			size_t n = w->len[i];
			if (w->limit >= 0 && (long long)n > w->limit - w->hashed)
				n = w->limit > w->hashed ? (size_t)(w->limit - w->hashed) : 0;
			crypto_generichash_update(w->hs, w->buf[i], n);
			if (w->all)
				crypto_generichash_update(w->all, w->buf[i], w->len[i]);
			w->hashed += (long long)w->len[i];
		}
		pthread_mutex_lock(&w->mu);
		w->tail = (w->tail + 1) % WORKER_SLOTS;
		w->count--;
		if (!ok && !w->failed)
			w->failed = 1, w->error = error;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* The next free batch, or NULL once a write failed. */
static unsigned char *worker_free_batch(struct bundle_worker *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->count == WORKER_SLOTS && !w->failed)
		pthread_cond_wait(&w->cv, &w->mu);
	unsigned char *b = w->failed ? NULL : w->buf[w->head];
	pthread_mutex_unlock(&w->mu);
	return b;
}

/* The batch from worker_free_batch filled with len bytes (NULL: none more). */
static void worker_filled(struct bundle_worker *w, const unsigned char *batch, size_t len)
{
	pthread_mutex_lock(&w->mu);
	if (batch) {
		w->len[w->head] = len;
		w->head = (w->head + 1) % WORKER_SLOTS;
		w->count++;
	} else {
		w->done = 1;
	}
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* The worker's batches and thread; 0 if the thread could not start (worker_stop frees the rest either way). */
static int worker_start(struct bundle_worker *w, pthread_t *thread)
{
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	for (int i = 0; i < WORKER_SLOTS; i++)
		w->buf[i] = xalloc_malloc(w->batch);
	return pthread_create(thread, NULL, worker_run, w) == 0;
}

/* Once the batches handed over are all done: the thread joined, w freed. */
static void worker_stop(struct bundle_worker *w, const pthread_t *thread, int started)
{
	if (started) {
		worker_filled(w, NULL, 0);
		pthread_join(*thread, NULL);
	}
	for (int i = 0; i < WORKER_SLOTS; i++)
		free(w->buf[i]);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
}

int bundle_seal(const struct bundle_header *h, FILE *payload, const unsigned char *sign_sk, const unsigned char *box_pk,
                FILE *out, struct mh_error *err)
{
	if (bundle_start(err) < 0)
		return -1;
	struct strbuf head;
	strbuf_init(&head);
	strbuf_addf(&head,
	            "format 1\nkind %s\nsender %s\nsender_unit %s\nrecipient %s\nseq %lld\ncreated %s\npayload %lld\n",
	            h->kind, h->sender, h->sender_unit, h->recipient, h->seq, h->created, h->payload_len);
	if (h->sign_pk[0])
		strbuf_addf(&head, "sign_pk %s\nbox_pk %s\n", h->sign_pk, h->box_pk);
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, crypto_generichash_BYTES_MAX);
	unsigned char len4[4], key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sealed[BUNDLE_SEALED],
	    ssh[BUNDLE_SS_HEADER];
	bundle_set_u32(len4, head.len);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	crypto_box_seal(sealed, key, sizeof key, box_pk);
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_secretstream_xchacha20poly1305_init_push(&ss, ssh, key);
	sodium_memzero(key, sizeof key);
	int ok = bundle_put(out, &hs, BUNDLE_MAGIC, 8, err) == 0 && bundle_put(out, &hs, len4, 4, err) == 0 &&
	         bundle_put(out, &hs, head.buf, head.len, err) == 0 &&
	         bundle_put(out, &hs, sealed, sizeof sealed, err) == 0 &&
	         bundle_put(out, &hs, ssh, sizeof ssh, err) == 0;
	/* the chunks: encrypted here, written and hashed by the writer */
	struct bundle_worker w = {.out = out, .hs = &hs, .limit = -1, .batch = WORKER_BATCH};
	unsigned char *plain = xalloc_malloc(BUNDLE_CHUNK);
	pthread_t writer;
	int started = worker_start(&w, &writer);
	if (ok && !started)
		ok = mh_error_set(err, MH_EFAIL, _("cannot write the bundle: %s"), strerror(EAGAIN)) == 0;
	long long at = 0;
	for (int last = 0; ok && !last;) {
		unsigned char *batch = worker_free_batch(&w);
		size_t len = 0;
		for (int c = 0; batch && c < WORKER_CHUNKS && !last; c++) {
			size_t n = h->payload_len - at < BUNDLE_CHUNK ? (size_t)(h->payload_len - at) : BUNDLE_CHUNK;
			if (bundle_get(payload, plain, n) < 0) {
				ok = mh_error_set(err, MH_EIO, _("cannot read the data to put in the bundle")) == 0;
				break;
			}
			at += (long long)n;
			last = at == h->payload_len;
			bundle_set_u32(batch + len, n + BUNDLE_ABYTES);
			crypto_secretstream_xchacha20poly1305_push(
			    &ss, batch + len + 4, NULL, plain, n, (const unsigned char *)head.buf, head.len,
			    last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
			len += 4 + n + BUNDLE_ABYTES;
		}
		if (!batch)
			break; /* the writer failed: said below */
		if (ok)
			worker_filled(&w, batch, len);
	}
	worker_stop(&w, &writer, started); /* once all are written */
	if (w.failed && ok)
		ok = mh_error_set(err, MH_EIO, _("cannot write the bundle: %s"), strerror(w.error)) == 0;
	if (w.failed)
		errno = w.error; /* the caller names a full or pulled stick by it */
	free(plain);
	strbuf_release(&head);
	unsigned char hash[crypto_generichash_BYTES_MAX], sig[crypto_sign_BYTES];
	crypto_generichash_final(&hs, hash, sizeof hash);
	crypto_sign_detached(sig, NULL, hash, sizeof hash, sign_sk);
	ok = ok && bundle_put(out, NULL, sig, sizeof sig, err) == 0;
	if (ok && fflush(out) != 0)
		ok = mh_error_set(err, MH_EIO, _("cannot write the bundle: %s"), strerror(errno)) == 0;
	return ok ? 0 : -1;
}

/* The header's "key value" lines into h. */
static int bundle_parse_head(const char *p, size_t n, struct bundle_header *h)
{
	memset(h, 0, sizeof *h);
	if (memchr(p, '\0', n))
		return -1;
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

/* The file's size, and the header's length (after the magic). */
static int bundle_head(FILE *in, struct bundle_header *h, long long *size, size_t *hl, struct mh_error *err)
{
	if (fseeko(in, 0, SEEK_END) != 0 || (*size = ftello(in)) < 0 || fseeko(in, 0, SEEK_SET) != 0)
		return mh_error_set(err, MH_EIO, _("cannot read the bundle: %s"), strerror(errno));
	if (*size > (long long)BUNDLE_MAX)
		return mh_error_set(err, MH_EDATA, _("the file is too big to be a bundle"));
	unsigned char first[12], text[BUNDLE_HEAD_MAX];
	if (*size < 12 || bundle_get(in, first, 12) < 0 || memcmp(first, BUNDLE_MAGIC, 8) != 0)
		return bundle_bad(err);
	*hl = bundle_get_u32(first + 8);
	if (*hl > BUNDLE_HEAD_MAX || 12 + (long long)*hl > *size || bundle_get(in, text, *hl) < 0 ||
	    bundle_parse_head((const char *)text, *hl, h) < 0)
		return bundle_bad(err);
	if (h->format != 1)
		return mh_error_set(err, MH_EDATA, _("the bundle is of format %d, which this mohinh cannot read"),
		                    h->format);
	return 0;
}

int bundle_header_read(FILE *in, struct bundle_header *h, struct mh_error *err)
{
	long long size;
	size_t hl;
	return bundle_head(in, h, &size, &hl, err);
}

/* A bundle read once, a block at a time: each block goes to the worker to be
 * hashed (in order) once its bytes are handed out. */
struct take_reader {
	FILE *in;
	struct bundle_worker *w;
	unsigned char *block;
	size_t len, pos;
	long long left; /* bytes of the file not yet read into a block */
	int broken;     /* a read came short: the file changed, or the stick was pulled */
};

/* The next n bytes of the file into dst (NULL: passed over); -1 at its end. */
static int take_get(struct take_reader *t, unsigned char *dst, size_t n)
{
	while (n > 0) {
		if (t->pos == t->len) {
			if (t->block)
				worker_filled(t->w, t->block, t->len);
			t->block = NULL;
			t->pos = t->len = 0;
			if (t->left == 0 || !(t->block = worker_free_batch(t->w)))
				return -1;
			size_t want = t->left < (long long)t->w->batch ? (size_t)t->left : t->w->batch;
			if (fread(t->block, 1, want, t->in) != want) {
				t->block = NULL;
				t->broken = 1;
				return -1;
			}
			t->len = want;
			t->left -= (long long)want;
		}
		size_t k = n < t->len - t->pos ? n : t->len - t->pos;
		if (dst) {
			memcpy(dst, t->block + t->pos, k);
			dst += k;
		}
		t->pos += k;
		n -= k;
	}
	return 0;
}

int bundle_take(FILE *in, const unsigned char *sign_pk, const unsigned char *box_pk, const unsigned char *box_sk,
                const struct bundle_header *h, unsigned char hash[32], FILE *out, struct mh_error *err)
{
	long long size;
	size_t hl;
	struct bundle_header again;
	if (bundle_start(err) < 0 || bundle_head(in, &again, &size, &hl, err) < 0)
		return -1;
	if (size < 12 + (long long)hl + BUNDLE_SEALED + BUNDLE_SS_HEADER + crypto_sign_BYTES ||
	    fseeko(in, 0, SEEK_SET) != 0)
		return bundle_bad(err);
	crypto_generichash_state hs, all;
	crypto_generichash_init(&hs, NULL, 0, crypto_generichash_BYTES_MAX);
	crypto_generichash_init(&all, NULL, 0, 32);
	/* blocks no larger than the file: a small bundle takes little memory */
	struct bundle_worker w = {.hs = &hs,
	                          .all = hash ? &all : NULL,
	                          .limit = size - crypto_sign_BYTES,
	                          .batch = size < (long long)WORKER_BATCH ? (size_t)size : WORKER_BATCH};
	pthread_t hasher;
	int started = worker_start(&w, &hasher);
	struct take_reader t = {.in = in, .w = &w, .left = size};
	/* the header again, as it was read before the keys were chosen by it */
	unsigned char first[12], head[BUNDLE_HEAD_MAX], sealed[BUNDLE_SEALED], ssh[BUNDLE_SS_HEADER],
	    key[crypto_secretstream_xchacha20poly1305_KEYBYTES], sig[crypto_sign_BYTES];
	int same = started && take_get(&t, first, 12) == 0 && bundle_get_u32(first + 8) == hl &&
	           take_get(&t, head, hl) == 0 && bundle_parse_head((const char *)head, hl, &again) == 0 &&
	           memcmp(&again, h, sizeof again) == 0;
	int read = same && take_get(&t, sealed, sizeof sealed) == 0 && take_get(&t, ssh, sizeof ssh) == 0;
	int mine = read && crypto_box_seal_open(key, sealed, BUNDLE_SEALED, box_pk, box_sk) == 0;
	crypto_secretstream_xchacha20poly1305_state ss;
	int ok = mine && crypto_secretstream_xchacha20poly1305_init_pull(&ss, ssh, key) == 0;
	sodium_memzero(key, sizeof key);
	/* the chunks decrypted here while the hasher hashes the blocks read */
	long long at = 12 + (long long)hl + BUNDLE_SEALED + BUNDLE_SS_HEADER, end = size - crypto_sign_BYTES, got = 0;
	unsigned char *cipher = xalloc_malloc(BUNDLE_CHUNK + BUNDLE_ABYTES), *plain = xalloc_malloc(BUNDLE_CHUNK);
	unsigned char tag = 0;
	int wrote = 1;
	while (ok && wrote && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		unsigned char len4[4];
		ok = at + 4 <= end && take_get(&t, len4, 4) == 0;
		size_t clen = ok ? bundle_get_u32(len4) : 0;
		at += ok ? 4 : 0;
		unsigned long long m = 0;
		ok = ok && clen >= BUNDLE_ABYTES && clen <= BUNDLE_CHUNK + BUNDLE_ABYTES &&
		     at + (long long)clen <= end && take_get(&t, cipher, clen) == 0;
		at += ok ? (long long)clen : 0;
		ok = ok &&
		     crypto_secretstream_xchacha20poly1305_pull(&ss, plain, &m, &tag, cipher, clen, head, hl) == 0 &&
		     got + (long long)m <= h->payload_len;
		got += (long long)m;
		if (ok && m)
			wrote = fwrite(plain, 1, (size_t)m, out) == m;
	}
	int write_error = wrote ? 0 : errno;
	sodium_memzero(plain, BUNDLE_CHUNK);
	free(plain);
	free(cipher);
	/* the rest hashed whatever was found in it: the signature is judged first */
	int whole = same && take_get(&t, NULL, (size_t)(end - at)) == 0 && take_get(&t, sig, sizeof sig) == 0;
	if (t.block)
		worker_filled(&w, t.block, t.len);
	worker_stop(&w, &hasher, started);
	unsigned char digest[crypto_generichash_BYTES_MAX];
	crypto_generichash_final(&hs, digest, sizeof digest);
	if (hash)
		crypto_generichash_final(&all, hash, 32);
	if (!started)
		return mh_error_set(err, MH_EFAIL, _("cannot read the bundle: %s"), strerror(EAGAIN));
	if (t.broken)
		return mh_error_set(err, MH_EIO,
		                    _("the file could not be read to its end (the USB stick was pulled out?): nothing "
		                      "was changed"));
	if (!same)
		return bundle_bad(err);
	if (!whole || crypto_sign_verify_detached(sig, digest, sizeof digest, sign_pk) != 0)
		return mh_error_set(
		    err, MH_EDATA,
		    _("the signature does not hold: the bundle was changed, cut, or not made by the office "
		      "it names"));
	if (read && !mine)
		return mh_error_set(err, MH_EDATA, _("the bundle was made for another office"));
	if (!wrote || fflush(out) != 0)
		return mh_error_set(err, MH_EIO, _("cannot write the bundle's content: %s"),
		                    strerror(write_error ? write_error : errno));
	if (!ok || at != end || got != h->payload_len)
		return bundle_bad(err);
	return 0;
}

int bundle_open(FILE *in, const unsigned char *sign_pk, const unsigned char *box_pk, const unsigned char *box_sk,
                struct bundle_header *h, FILE *out, struct mh_error *err)
{
	return bundle_header_read(in, h, err) < 0 ? -1 : bundle_take(in, sign_pk, box_pk, box_sk, h, NULL, out, err);
}
