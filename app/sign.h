/*
 * sign.h - hashes, chains and Ed25519 signatures for metering evidence.
 *
 * Usage batches are signed by the vendor (Ed25519 over the exact body
 * bytes); the marketplace signs batch receipts and invoice evidence
 * bundles with its own key.  Each contract's accepted batches form a
 * chain h_n = BLAKE2b-256(h_{n-1} || body_hash) with h_0 all zero bytes
 * (../shared/docs/billing.md).  This module is the one place those rules
 * are written, so the web app, gureumctl and the offline verifier agree.
 * libsodium only: no Kore, libpq or jansson.
 *
 * The marketplace secret key is a file holding the 32-byte Ed25519 seed
 * as 64 lowercase hex characters and a newline, mode 0600; the public key
 * is derived from it.  sodium_init() must have succeeded before any call.
 */

#ifndef SIGN_H
#define SIGN_H

#include <stddef.h>

#define SIGN_HASHBYTES	32	/* BLAKE2b-256 */
#define SIGN_PKBYTES	32	/* Ed25519 public key */
#define SIGN_SKBYTES	64	/* Ed25519 secret key (seed || public key) */
#define SIGN_SIGBYTES	64	/* Ed25519 detached signature */
#define SIGN_HEXLEN(n)	((n) * 2 + 1)	/* hex of n bytes with its NUL */
/* Standard base64 with padding of n bytes, with its NUL. */
#define SIGN_B64LEN(n)	((((n) + 2) / 3) * 4 + 1)

/* BLAKE2b-256 of len bytes at m into out. */
void	sign_hash(const void *m, size_t len,
	    unsigned char out[SIGN_HASHBYTES]);

/*
 * The next chain head: BLAKE2b-256(prev || batch).  prev NULL means h_0
 * (32 zero bytes), the head before a contract's first batch.
 */
void	sign_chain_next(const unsigned char *prev,
	    const unsigned char batch[SIGN_HASHBYTES],
	    unsigned char out[SIGN_HASHBYTES]);

/* Signs len bytes at m with sk into sig. */
void	sign_detached(const void *m, size_t len,
	    const unsigned char sk[SIGN_SKBYTES],
	    unsigned char sig[SIGN_SIGBYTES]);

/* Returns 0 if sig is pk's signature of those bytes, -1 if not. */
int	sign_verify(const void *m, size_t len,
	    const unsigned char sig[SIGN_SIGBYTES],
	    const unsigned char pk[SIGN_PKBYTES]);

/*
 * Reads the key file at path into sk and pk.  Returns 0, or -1 if the
 * file cannot be read or does not hold exactly one hex seed and a
 * newline (errno is then EINVAL for a malformed file).
 */
int	sign_key_load(const char *path, unsigned char sk[SIGN_SKBYTES],
	    unsigned char pk[SIGN_PKBYTES]);

/*
 * Creates a new key file at path (mode 0600, never overwriting: -1 with
 * errno EEXIST if it exists) and returns its keys in sk and pk.
 */
int	sign_key_create(const char *path, unsigned char sk[SIGN_SKBYTES],
	    unsigned char pk[SIGN_PKBYTES]);

/* Lowercase hex of n bytes into out (SIGN_HEXLEN(n) bytes). */
void	sign_tohex(const unsigned char *b, size_t n, char *out);

/*
 * Decodes exactly n bytes from a hex string of exactly 2n characters
 * (either case).  Returns 0, or -1 for any other length or character.
 */
int	sign_fromhex(const char *hex, unsigned char *b, size_t n);

/* Standard padded base64 of n bytes into out (SIGN_B64LEN(n) bytes). */
void	sign_tob64(const unsigned char *b, size_t n, char *out);

/*
 * Decodes standard padded base64 that holds exactly n bytes.  Returns 0,
 * or -1 for anything else (bad characters, whitespace, another length).
 */
int	sign_fromb64(const char *b64, unsigned char *b, size_t n);

#endif
