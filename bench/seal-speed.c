/* The cost of the envelope alone: sealing (encryption and signature) and
 * opening (signature check and decryption) of a payload of N MB, through
 * files as export and import do, in MB/s.
 *   seal-speed MB FOLDER */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle.h"

static double seal_speed_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3 || sodium_init() < 0)
		return 2;
	long mb = atol(argv[1]);
	char plain[512], sealed[512], opened[512];
	snprintf(plain, sizeof plain, "%s/plain", argv[2]);
	snprintf(sealed, sizeof sealed, "%s/sealed", argv[2]);
	snprintf(opened, sizeof opened, "%s/opened", argv[2]);
	FILE *f = fopen(plain, "wb");
	unsigned char *buf = malloc(1 << 20);
	for (long i = 0; f && i < mb; i++) {
		randombytes_buf(buf, 1 << 20);
		fwrite(buf, 1, 1 << 20, f);
	}
	if (!f || fclose(f) != 0)
		return 1;
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES], sign_sk[crypto_sign_SECRETKEYBYTES];
	unsigned char box_pk[crypto_box_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
	crypto_sign_keypair(sign_pk, sign_sk);
	crypto_box_keypair(box_pk, box_sk);
	struct bundle_header h = {.format = 1,
	                          .kind = "data",
	                          .sender = "s",
	                          .sender_unit = "001",
	                          .recipient = "r",
	                          .seq = 1,
	                          .created = "2026-01-01T00:00:00Z",
	                          .payload_len = mb << 20};
	struct mh_error err;
	FILE *in = fopen(plain, "rb"), *out = fopen(sealed, "wb");
	double t0 = seal_speed_now();
	int rc = bundle_seal(&h, in, sign_sk, box_pk, out, &err);
	fclose(out);
	double t1 = seal_speed_now();
	fclose(in);
	in = fopen(sealed, "rb");
	out = fopen(opened, "wb");
	double t2 = seal_speed_now();
	rc |= bundle_open(in, sign_pk, box_pk, box_sk, &h, out, &err);
	fclose(out);
	double t3 = seal_speed_now();
	fclose(in);
	if (rc) {
		fprintf(stderr, "seal-speed: %s\n", err.msg);
		return 1;
	}
	printf("seal (encrypt + sign) %ld MB: %.2f s, %.0f MB/s, %.1f ms per MB\n", mb, t1 - t0, (double)mb / (t1 - t0),
	       (t1 - t0) * 1000 / (double)mb);
	printf("open (verify + decrypt) %ld MB: %.2f s, %.0f MB/s, %.1f ms per MB\n", mb, t3 - t2,
	       (double)mb / (t3 - t2), (t3 - t2) * 1000 / (double)mb);
	remove(plain);
	remove(sealed);
	remove(opened);
	free(buf);
	return 0;
}
