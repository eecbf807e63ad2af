/*
 * test_sign.c - unit tests for app/sign.c.
 *
 * Pinned to outside values: the BLAKE2b-256 of "abc" and two chain links
 * computed with Python's hashlib.blake2b(digest_size=32), and RFC 8032's
 * Ed25519 test vectors 1 and 2, so the formats cannot drift without a
 * failing test and a verifier in another language can use the same
 * vectors.  Then every flipped bit of a message, signature and key fails
 * verification, and the hex, base64 and key-file codecs refuse what they
 * should.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "sign.h"

static void
unhex(const char *hex, unsigned char *b, size_t n)
{
	assert_int_equal(sign_fromhex(hex, b, n), 0);
}

static void
test_hash_and_chain(void **state)
{
	unsigned char	h[SIGN_HASHBYTES], b1[SIGN_HASHBYTES];
	unsigned char	b2[SIGN_HASHBYTES], h1[SIGN_HASHBYTES];
	unsigned char	h2[SIGN_HASHBYTES], zero[SIGN_HASHBYTES];
	char		hex[SIGN_HEXLEN(SIGN_HASHBYTES)];

	(void)state;
	sign_hash("abc", 3, h);
	sign_tohex(h, sizeof(h), hex);
	assert_string_equal(hex,
	    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");

	sign_hash("batch-1", 7, b1);
	sign_hash("batch-2", 7, b2);
	sign_chain_next(NULL, b1, h1);
	sign_tohex(h1, sizeof(h1), hex);
	assert_string_equal(hex,
	    "97cd47fb52cb8f9c2904b3252b6f5db5a0bf27be9636d4f67f914053cce90fdf");
	sign_chain_next(h1, b2, h2);
	sign_tohex(h2, sizeof(h2), hex);
	assert_string_equal(hex,
	    "94f31fe6aed3a55fbb7c6c91c772211110b5f9dfb8d9b21af135eccf75fc5f6f");

	/* NULL is h_0: the same as 32 zero bytes. */
	memset(zero, 0, sizeof(zero));
	sign_chain_next(zero, b1, h);
	assert_memory_equal(h, h1, sizeof(h));
	/* Order matters. */
	sign_chain_next(NULL, b2, h);
	sign_chain_next(h, b1, h);
	assert_memory_not_equal(h, h2, sizeof(h));
}

/* RFC 8032 section 7.1, tests 1 and 2. */
static const struct {
	const char	*seed, *pk, *msg, *sig;
} rfc[] = {
	{ "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "",
	  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
	{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
	  "72",
	  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
};

static void
test_rfc8032(void **state)
{
	unsigned char	seed[32], pk[SIGN_PKBYTES], sk[SIGN_SKBYTES];
	unsigned char	want_pk[SIGN_PKBYTES], sig[SIGN_SIGBYTES];
	unsigned char	want_sig[SIGN_SIGBYTES], msg[16];
	size_t		i, mlen, bit;

	(void)state;
	for (i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
		unhex(rfc[i].seed, seed, sizeof(seed));
		unhex(rfc[i].pk, want_pk, sizeof(want_pk));
		unhex(rfc[i].sig, want_sig, sizeof(want_sig));
		mlen = strlen(rfc[i].msg) / 2;
		if (mlen > 0)
			unhex(rfc[i].msg, msg, mlen);
		assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
		assert_memory_equal(pk, want_pk, sizeof(pk));
		sign_detached(msg, mlen, sk, sig);
		assert_memory_equal(sig, want_sig, sizeof(sig));
		assert_int_equal(sign_verify(msg, mlen, sig, pk), 0);

		/* Every flipped bit of the signature or key fails. */
		for (bit = 0; bit < SIGN_SIGBYTES * 8; bit++) {
			sig[bit / 8] ^= 1 << (bit % 8);
			assert_int_equal(sign_verify(msg, mlen, sig, pk), -1);
			sig[bit / 8] ^= 1 << (bit % 8);
		}
		for (bit = 0; bit < SIGN_PKBYTES * 8; bit++) {
			pk[bit / 8] ^= 1 << (bit % 8);
			assert_int_equal(sign_verify(msg, mlen, sig, pk), -1);
			pk[bit / 8] ^= 1 << (bit % 8);
		}
		/* So does a message one byte longer. */
		msg[mlen] = 0;
		assert_int_equal(sign_verify(msg, mlen + 1, sig, pk), -1);
	}
}

static void
test_message_bits(void **state)
{
	unsigned char	pk[SIGN_PKBYTES], sk[SIGN_SKBYTES];
	unsigned char	sig[SIGN_SIGBYTES];
	char		body[] = "{\"records\":[{\"record_id\":\"r-1\","
			    "\"quantity\":\"12.5\"}]}";
	size_t		bit, len;

	(void)state;
	crypto_sign_keypair(pk, sk);
	len = strlen(body);
	sign_detached(body, len, sk, sig);
	assert_int_equal(sign_verify(body, len, sig, pk), 0);
	for (bit = 0; bit < len * 8; bit++) {
		body[bit / 8] ^= 1 << (bit % 8);
		assert_int_equal(sign_verify(body, len, sig, pk), -1);
		body[bit / 8] ^= 1 << (bit % 8);
	}
}

static void
test_hex_b64(void **state)
{
	unsigned char	b[4] = { 0x00, 0xab, 0xff, 0x10 }, out[4];
	char		hex[SIGN_HEXLEN(4)], b64[SIGN_B64LEN(4)];

	(void)state;
	sign_tohex(b, 4, hex);
	assert_string_equal(hex, "00abff10");
	assert_int_equal(sign_fromhex("00ABff10", out, 4), 0);
	assert_memory_equal(out, b, 4);
	assert_int_equal(sign_fromhex("00abff1", out, 4), -1);
	assert_int_equal(sign_fromhex("00abff100", out, 4), -1);
	assert_int_equal(sign_fromhex("00abff1g", out, 4), -1);
	assert_int_equal(sign_fromhex("", out, 4), -1);
	assert_int_equal(sign_fromhex(" 0abff10", out, 4), -1);

	sign_tob64(b, 4, b64);
	assert_string_equal(b64, "AKv/EA==");
	assert_int_equal(sign_fromb64("AKv/EA==", out, 4), 0);
	assert_memory_equal(out, b, 4);
	assert_int_equal(sign_fromb64("AKv/EA=", out, 4), -1);
	assert_int_equal(sign_fromb64("AKv/EA", out, 4), -1);
	assert_int_equal(sign_fromb64("AKv_EA==", out, 4), -1);
	assert_int_equal(sign_fromb64("AKv/EA==\n", out, 4), -1);
	assert_int_equal(sign_fromb64("AKv/EAAA", out, 4), -1);
	assert_int_equal(sign_fromb64("AKv/", out, 4), -1);
}

static void
test_keyfile(void **state)
{
	char		path[] = "/tmp/test_sign.XXXXXX";
	unsigned char	sk[SIGN_SKBYTES], pk[SIGN_PKBYTES];
	unsigned char	sk2[SIGN_SKBYTES], pk2[SIGN_PKBYTES];
	unsigned char	sig[SIGN_SIGBYTES];
	FILE		*f;
	int		fd;

	(void)state;
	assert_int_not_equal(fd = mkstemp(path), -1);
	(void)close(fd);
	/* Never overwrites. */
	assert_int_equal(sign_key_create(path, sk, pk), -1);
	assert_int_equal(errno, EEXIST);
	/* An empty file is malformed. */
	assert_int_equal(sign_key_load(path, sk, pk), -1);
	assert_int_equal(errno, EINVAL);
	(void)unlink(path);

	assert_int_equal(sign_key_create(path, sk, pk), 0);
	assert_int_equal(sign_key_load(path, sk2, pk2), 0);
	assert_memory_equal(pk, pk2, sizeof(pk));
	assert_memory_equal(sk, sk2, sizeof(sk));
	sign_detached("x", 1, sk2, sig);
	assert_int_equal(sign_verify("x", 1, sig, pk), 0);

	/* A trailing byte, a missing newline, a non-hex seed: refused. */
	assert_non_null(f = fopen(path, "a"));
	(void)fputc('x', f);
	(void)fclose(f);
	assert_int_equal(sign_key_load(path, sk2, pk2), -1);
	assert_non_null(f = fopen(path, "w"));
	(void)fputs("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac"
	    "031cae7f60", f);
	(void)fclose(f);
	assert_int_equal(sign_key_load(path, sk2, pk2), -1);
	assert_non_null(f = fopen(path, "w"));
	(void)fputs("zz61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac"
	    "031cae7f60\n", f);
	(void)fclose(f);
	assert_int_equal(sign_key_load(path, sk2, pk2), -1);
	/* The RFC seed gives the RFC key. */
	assert_non_null(f = fopen(path, "w"));
	(void)fputs("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac"
	    "031cae7f60\n", f);
	(void)fclose(f);
	assert_int_equal(sign_key_load(path, sk2, pk2), 0);
	unhex(rfc[0].pk, pk, sizeof(pk));
	assert_memory_equal(pk, pk2, sizeof(pk));
	(void)unlink(path);
	assert_int_equal(sign_key_load(path, sk2, pk2), -1);
	assert_int_equal(errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_and_chain),
		cmocka_unit_test(test_rfc8032),
		cmocka_unit_test(test_message_bits),
		cmocka_unit_test(test_hex_b64),
		cmocka_unit_test(test_keyfile),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
