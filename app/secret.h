/*
 * secret.h - passwords, tokens, API keys and CSRF tokens for accounts.
 *
 * Every secret Gureum handles goes through this module, so that the rules
 * are written once: passwords are checked against a short NIST 800-63B
 * style policy and stored as Argon2id strings; session tokens, password
 * reset tokens and API keys are 32 random bytes shown to their owner once
 * and stored only as a BLAKE2b-256 hash; CSRF tokens are derived from the
 * session they belong to, so they need no storage; every comparison of a
 * secret is constant time.  The interface is plain C strings and byte
 * arrays (libsodium only); the Kore and database layers wrap it.
 *
 * sodium_init() must have succeeded before any function here is called
 * (the Kore module's init and gureumctl do it).  The Argon2 cost and the
 * dummy hash are process-wide state: set the cost once at start-up.  Kore
 * workers are single-threaded processes, so no locking is done.
 */

#ifndef SECRET_H
#define SECRET_H

#include <stddef.h>

#include <sodium.h>

/* Password policy limits; see secret_password_check(). */
#define SECRET_PW_MIN_CHARS	10	/* UTF-8 code points */
#define SECRET_PW_MAX_BYTES	256	/* bytes, not code points */

/* An Argon2id string with its NUL ("$argon2id$v=19$m=...") fits here. */
#define SECRET_PWHASH_BUFSZ	crypto_pwhash_STRBYTES

/* Random tokens: 32 bytes as unpadded base64url, 43 characters. */
#define SECRET_TOKEN_BYTES	32
#define SECRET_TOKEN_LEN	43
#define SECRET_TOKEN_BUFSZ	(SECRET_TOKEN_LEN + 1)

/* A BLAKE2b-256 digest in lowercase hex, and the buffer that holds it. */
#define SECRET_HASH_HEXLEN	64
#define SECRET_HASH_BUFSZ	(SECRET_HASH_HEXLEN + 1)

/* The server pepper for token hashes and the CSRF key are this long. */
#define SECRET_KEY_BYTES	32

/*
 * API keys: "gur_live_" + 8-character id + "_" + 43-character secret,
 * 61 characters.  The id is lowercase Crockford base32 (no i, l, o, u)
 * and the secret is unpadded base64url (which may itself contain '_' and
 * '-'; the layout is fixed-width, so parsing never splits on '_').
 */
#define SECRET_API_KEY_PREFIX	"gur_live_"
#define SECRET_API_PREFIX_LEN	9
#define SECRET_API_ID_LEN	8
#define SECRET_API_ID_BUFSZ	(SECRET_API_ID_LEN + 1)
#define SECRET_API_KEY_LEN	(SECRET_API_PREFIX_LEN + SECRET_API_ID_LEN + \
				    1 + SECRET_TOKEN_LEN)
#define SECRET_API_KEY_BUFSZ	(SECRET_API_KEY_LEN + 1)

enum secret_err {
	SECRET_OK = 0,		/* success */
	SECRET_EINVAL,		/* NULL, not UTF-8, a control character,
				   malformed input, buffer too small */
	SECRET_ETOOSHORT,	/* fewer than SECRET_PW_MIN_CHARS code points */
	SECRET_ETOOLONG,	/* more than SECRET_PW_MAX_BYTES bytes */
	SECRET_ECOMMON,		/* on the built-in list of common passwords */
	SECRET_ESAMEASLOGIN,	/* the login, or the local part of its e-mail */
	SECRET_ENOMEM,		/* Argon2 could not get its memory */
	SECRET_ERR__MAX
};

/*
 * Checks a new password against the policy, in this order, and returns
 * the first failure: SECRET_EINVAL if pw is NULL; SECRET_ETOOLONG if it is
 * longer than SECRET_PW_MAX_BYTES bytes; SECRET_EINVAL if it is not valid
 * UTF-8 or holds a control character (C0, DEL or C1; tab and newline
 * included; spaces are fine); SECRET_ETOOSHORT if it has fewer than
 * SECRET_PW_MIN_CHARS code points; SECRET_ESAMEASLOGIN if it equals login
 * or, when login is an e-mail address, the part before the last '@'
 * (ASCII letters compared without case); SECRET_ECOMMON if it is on the
 * built-in list of common passwords (ASCII letters compared without
 * case).  login may be NULL.  No composition rules, as NIST advises.
 * Nothing is normalised: the bytes checked are the bytes hashed.
 */
enum secret_err	 secret_password_check(const char *pw, const char *login);

/*
 * Sets the Argon2id cost used by secret_hash_password(), checked by
 * secret_needs_rehash() and spent by secret_dummy_verify().  The default
 * is crypto_pwhash_OPSLIMIT_INTERACTIVE / crypto_pwhash_MEMLIMIT_INTERACTIVE
 * (2 passes, 64 MiB); production never goes below it.  The test suites
 * set the minimum (1, 8192) to stay fast.  Returns SECRET_EINVAL, and
 * keeps the old cost, if either value is outside libsodium's limits for
 * Argon2id.
 */
enum secret_err	 secret_set_pwhash_cost(unsigned long long opslimit,
		    size_t memlimit);

/*
 * Hashes pw with Argon2id at the current cost and a fresh random salt,
 * writing the NUL-terminated encoded string (algorithm, cost, salt and
 * hash, under SECRET_PWHASH_BUFSZ bytes) to out, owned by the caller.
 * It does not apply the policy: call secret_password_check() first.
 * Returns SECRET_EINVAL if an argument is NULL, SECRET_ENOMEM if Argon2
 * could not allocate its memory, SECRET_OK otherwise.
 */
enum secret_err	 secret_hash_password(const char *pw,
		    char out[SECRET_PWHASH_BUFSZ]);

/*
 * Returns 1 if pw matches the encoded hash (Argon2id or Argon2i, at the
 * cost written in the string), 0 if it does not or if either is NULL,
 * malformed, tampered with or not NUL-terminated within
 * SECRET_PWHASH_BUFSZ bytes.
 */
int		 secret_verify_password(const char *hash, const char *pw);

/*
 * Returns 1 if hash was made with another algorithm or cost than the
 * current one (or its header is malformed, or it is NULL), 0 if it is
 * current.  Only the algorithm and the parameters are read: call it after
 * a successful secret_verify_password() and store a new hash when it says
 * 1.
 */
int		 secret_needs_rehash(const char *hash);

/*
 * Verifies pw (NULL is taken as "") against a hash of a random password
 * nobody knows, made at the current cost on first use and after each cost
 * change, and returns 0.  The login handler calls it when the user does
 * not exist, so that an unknown login costs the same time as a wrong
 * password.  The first call also pays for making the hash; call it once
 * at start-up, after secret_set_pwhash_cost(), to keep that off a request.
 */
int		 secret_dummy_verify(const char *pw);

/*
 * Writes a new random token, SECRET_TOKEN_LEN unpadded base64url
 * characters and a NUL, to out (outlen bytes, at least SECRET_TOKEN_BUFSZ).
 * Returns SECRET_EINVAL if out is NULL or too small, SECRET_OK otherwise.
 */
enum secret_err	 secret_token(char *out, size_t outlen);

/*
 * Writes the lowercase hex BLAKE2b-256 of the bytes of token to out; this
 * is what the database stores for session tokens, reset tokens and whole
 * API keys.  key is the server pepper (SECRET_KEY_BYTES bytes, borrowed)
 * or NULL for an unkeyed hash; with a pepper, a stolen copy of the table
 * alone does not allow even an offline guess.  Returns SECRET_EINVAL if
 * token is NULL or empty or out is NULL, SECRET_OK otherwise.  token is
 * not checked against the token alphabet: any cookie value may be looked
 * up, and simply matches nothing.
 */
enum secret_err	 secret_token_hash(const char *token,
		    const unsigned char *key, char out[SECRET_HASH_BUFSZ]);

/*
 * Makes a new API key.  Writes the whole key (SECRET_API_KEY_LEN
 * characters and a NUL) to out, outlen bytes, and its id (the 8
 * characters after "gur_live_", and a NUL) to id_out, idlen bytes.  The
 * key is shown once; the database keeps the id in clear (for lookup and
 * for display as "gur_live_<id>...") and the whole key only through
 * secret_token_hash().  Ids carry 40 random bits; the caller retries on a
 * unique-constraint conflict.  Returns SECRET_EINVAL if a buffer is NULL
 * or too small, SECRET_OK otherwise.
 */
enum secret_err	 secret_api_key(char *out, size_t outlen, char *id_out,
		    size_t idlen);

/*
 * Checks that key has the exact API key layout (prefix, id alphabet,
 * separator, a 43-character base64url secret that decodes canonically to
 * 32 bytes, nothing after it) and copies its id and a NUL to id_out
 * (idlen bytes, at least SECRET_API_ID_BUFSZ).  Returns SECRET_EINVAL for
 * a malformed key or a NULL or short buffer (id_out is then left alone),
 * SECRET_OK otherwise.  A well-formed key still has to match its stored
 * hash.
 */
enum secret_err	 secret_api_key_parse(const char *key, char *id_out,
		    size_t idlen);

/*
 * Returns 1 if a and b are equal, 0 otherwise, in time that depends only
 * on their lengths (which are not secret: both are hex digests).  Returns
 * 0 if either is NULL or empty or the lengths differ.
 */
int		 secret_equal(const char *a, const char *b);

/*
 * Writes the CSRF token of a session to out: lowercase hex of
 * BLAKE2b-256 keyed with key (SECRET_KEY_BYTES bytes, borrowed) over a
 * fixed domain label and session_hash_hex, the stored hash of the session
 * token (exactly SECRET_HASH_HEXLEN lowercase hex characters).  The token
 * changes with the session and needs no storage.  Returns SECRET_EINVAL if
 * an argument is NULL or the session hash is malformed, SECRET_OK
 * otherwise.
 */
enum secret_err	 secret_csrf(const char *session_hash_hex,
		    const unsigned char key[SECRET_KEY_BYTES],
		    char out[SECRET_HASH_BUFSZ]);

/*
 * Returns 1 if token is the CSRF token of the session, 0 otherwise
 * (including NULL or empty arguments and a malformed session hash).
 * Constant time in the token's contents.
 */
int		 secret_csrf_check(const char *session_hash_hex,
		    const unsigned char key[SECRET_KEY_BYTES],
		    const char *token);

#endif
