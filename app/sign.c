/*
 * sign.c - hashes, chains and Ed25519 signatures (see sign.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "sign.h"

#define SEEDBYTES	32
#define KEYFILE_LEN	(SEEDBYTES * 2 + 1)	/* hex seed and a newline */

void
sign_hash(const void *m, size_t len, unsigned char out[SIGN_HASHBYTES])
{
	crypto_generichash(out, SIGN_HASHBYTES, m, len, NULL, 0);
}

void
sign_chain_next(const unsigned char *prev,
    const unsigned char batch[SIGN_HASHBYTES],
    unsigned char out[SIGN_HASHBYTES])
{
	crypto_generichash_state	st;
	unsigned char			zero[SIGN_HASHBYTES];

	memset(zero, 0, sizeof(zero));
	crypto_generichash_init(&st, NULL, 0, SIGN_HASHBYTES);
	crypto_generichash_update(&st, prev != NULL ? prev : zero,
	    SIGN_HASHBYTES);
	crypto_generichash_update(&st, batch, SIGN_HASHBYTES);
	crypto_generichash_final(&st, out, SIGN_HASHBYTES);
}

void
sign_detached(const void *m, size_t len, const unsigned char sk[SIGN_SKBYTES],
    unsigned char sig[SIGN_SIGBYTES])
{
	crypto_sign_detached(sig, NULL, m, len, sk);
}

int
sign_verify(const void *m, size_t len, const unsigned char sig[SIGN_SIGBYTES],
    const unsigned char pk[SIGN_PKBYTES])
{
	return (crypto_sign_verify_detached(sig, m, len, pk) == 0 ? 0 : -1);
}

int
sign_key_load(const char *path, unsigned char sk[SIGN_SKBYTES],
    unsigned char pk[SIGN_PKBYTES])
{
	char		buf[KEYFILE_LEN + 1];
	unsigned char	seed[SEEDBYTES];
	ssize_t		n;
	int		fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	n = read(fd, buf, sizeof(buf));
	(void)close(fd);
	if (n != KEYFILE_LEN || buf[KEYFILE_LEN - 1] != '\n') {
		errno = EINVAL;
		return (-1);
	}
	buf[KEYFILE_LEN - 1] = '\0';
	if (sign_fromhex(buf, seed, sizeof(seed)) == -1) {
		errno = EINVAL;
		return (-1);
	}
	rc = crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(buf, sizeof(buf));
	return (rc == 0 ? 0 : -1);
}

int
sign_key_create(const char *path, unsigned char sk[SIGN_SKBYTES],
    unsigned char pk[SIGN_PKBYTES])
{
	char		buf[KEYFILE_LEN + 1];
	unsigned char	seed[SEEDBYTES];
	int		fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1)
		return (-1);
	randombytes_buf(seed, sizeof(seed));
	sign_tohex(seed, sizeof(seed), buf);
	buf[KEYFILE_LEN - 1] = '\n';
	ok = write(fd, buf, KEYFILE_LEN) == KEYFILE_LEN && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (ok)
		ok = crypto_sign_seed_keypair(pk, sk, seed) == 0;
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(buf, sizeof(buf));
	if (!ok) {
		(void)unlink(path);
		return (-1);
	}
	return (0);
}

void
sign_tohex(const unsigned char *b, size_t n, char *out)
{
	(void)sodium_bin2hex(out, n * 2 + 1, b, n);
}

int
sign_fromhex(const char *hex, unsigned char *b, size_t n)
{
	size_t	len;

	if (strlen(hex) != n * 2)
		return (-1);
	if (sodium_hex2bin(b, n, hex, n * 2, NULL, &len, NULL) != 0 ||
	    len != n)
		return (-1);
	return (0);
}

void
sign_tob64(const unsigned char *b, size_t n, char *out)
{
	(void)sodium_bin2base64(out, SIGN_B64LEN(n), b, n,
	    sodium_base64_VARIANT_ORIGINAL);
}

int
sign_fromb64(const char *b64, unsigned char *b, size_t n)
{
	const char	*end;
	size_t		 len, slen;

	slen = strlen(b64);
	if (slen != SIGN_B64LEN(n) - 1)
		return (-1);
	if (sodium_base642bin(b, n, b64, slen, NULL, &len, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || len != n ||
	    *end != '\0')
		return (-1);
	return (0);
}
