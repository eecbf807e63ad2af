/*
 * Secrets for accounts: password policy, Argon2id, tokens, API keys, CSRF.
 *
 * The policy follows NIST SP 800-63B: a minimum length, a generous maximum
 * so that passphrases fit, a refusal of the login and of the passwords
 * every guessing list starts with, and no rules about character classes.
 * Lengths are counted in code points because a Korean passphrase of ten
 * syllables is thirty bytes.  The maximum is in bytes because that is what
 * Argon2 and the form parser pay for.
 *
 * Tokens are 256 bits from the system CSPRNG, so a fast hash (BLAKE2b) is
 * enough to store them: nobody can search a 2^256 space, and a slow hash
 * would only cost every request a lookup.  Passwords are guessable, so
 * they get Argon2id.  Everything secret that sits on our stack is wiped
 * with sodium_memzero() before returning.
 */

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "secret.h"

/* The CSRF derivation's domain label: a CSRF token is never a token hash. */
#define CSRF_LABEL	"gureum.csrf.v1"

/* Crockford base32, lowercase: no i, l, o, u to misread. */
static const char	api_id_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

/*
 * Passwords every guessing list tries first, and the ones Korean users
 * pick from the keyboard or from the service's own name.  Entries shorter
 * than SECRET_PW_MIN_CHARS are already refused as too short; they stay so
 * that the list does not depend on the limit.  Lowercase: the comparison
 * folds ASCII letters.
 */
static const char *const common_passwords[] = {
	"password123",
	"password1234",
	"password12",
	"password1!",
	"p@ssw0rd123",
	"passw0rd123",
	"1234567890",
	"0123456789",
	"12345678910",
	"123456789a",
	"a123456789",
	"1111111111",
	"0000000000",
	"qwer1234!",
	"qwer1234!@",
	"qwer1234!@#$",
	"1q2w3e4r!",
	"1q2w3e4r!@",
	"1q2w3e4r5t",
	"1q2w3e4r5t!",
	"q1w2e3r4t5",
	"1qaz2wsx3edc",
	"1qaz2wsx!@",
	"qwerty1234",
	"qwerty123456",
	"qwertyuiop",
	"asdf1234!@",
	"asdfghjkl1",
	"zxcvbnm123",
	"abcd1234!@",
	"abc1234567",
	"abcdefghij",
	"iloveyou12",
	"admin12345",
	"administrator",
	"welcome123",
	"letmein123",
	"gureum1234",
	"gureum1234!",
	"gureum123!",
	"rkskekfk12",		/* 가나다라 on a 2-set keyboard */
	"tkfkdgo123",		/* 사랑해 */
	"dkssud1234",		/* 안녕 */
	"비밀번호123456",
	"가나다라마바사아자차",
};

/* Argon2id cost; see secret_set_pwhash_cost(). */
static unsigned long long	pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t			pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

/* The hash secret_dummy_verify() spends its time on; 0 until made. */
static char			dummy_hash[SECRET_PWHASH_BUFSZ];
static int			dummy_ready;

static int	utf8_check(const unsigned char *, size_t, size_t *);
static int	ascii_caseeq(const char *, size_t, const char *, size_t);
static int	is_lower_hex(const char *, size_t);
static int	in_alphabet(const char *, char);

/*
 * Checks that s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF) without control characters (C0, DEL, C1),
 * and counts its code points.  Returns 1 if so, 0 otherwise.  Kept here
 * rather than borrowed from qs.c so the module stands alone.
 */
static int
utf8_check(const unsigned char *s, size_t len, size_t *ncp)
{
	size_t		i, n, k;
	uint32_t	cp, min;

	*ncp = 0;
	for (i = 0; i < len; i += n) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				return (0);
			n = 1;
			(*ncp)++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 2;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return (0);
		if (len - i < n)
			return (0);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
		if (cp >= 0x80 && cp <= 0x9f)
			return (0);
		(*ncp)++;
	}
	return (1);
}

/* 1 if a[0..alen) and b[0..blen) are equal, folding ASCII letters only. */
static int
ascii_caseeq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;
	int	ca, cb;

	if (alen != blen)
		return (0);
	for (i = 0; i < alen; i++) {
		ca = (unsigned char)a[i];
		cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return (0);
	}
	return (1);
}

static int
is_lower_hex(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	}
	return (1);
}

static int
in_alphabet(const char *alphabet, char c)
{
	return (c != '\0' && strchr(alphabet, c) != NULL);
}

enum secret_err
secret_password_check(const char *pw, const char *login)
{
	const char	*at;
	size_t		 len, ncp, llen, i;

	if (pw == NULL)
		return (SECRET_EINVAL);
	if ((len = strnlen(pw, SECRET_PW_MAX_BYTES + 1)) > SECRET_PW_MAX_BYTES)
		return (SECRET_ETOOLONG);
	if (!utf8_check((const unsigned char *)pw, len, &ncp))
		return (SECRET_EINVAL);
	if (ncp < SECRET_PW_MIN_CHARS)
		return (SECRET_ETOOSHORT);

	if (login != NULL) {
		llen = strlen(login);
		if (ascii_caseeq(pw, len, login, llen))
			return (SECRET_ESAMEASLOGIN);
		if ((at = strrchr(login, '@')) != NULL &&
		    ascii_caseeq(pw, len, login, (size_t)(at - login)))
			return (SECRET_ESAMEASLOGIN);
	}

	for (i = 0; i < sizeof(common_passwords) /
	    sizeof(common_passwords[0]); i++) {
		if (ascii_caseeq(pw, len, common_passwords[i],
		    strlen(common_passwords[i])))
			return (SECRET_ECOMMON);
	}
	return (SECRET_OK);
}

enum secret_err
secret_set_pwhash_cost(unsigned long long opslimit, size_t memlimit)
{
	if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
	    opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
	    memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
	    memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX)
		return (SECRET_EINVAL);
	if (opslimit != pw_ops || memlimit != pw_mem)
		dummy_ready = 0;
	pw_ops = opslimit;
	pw_mem = memlimit;
	return (SECRET_OK);
}

enum secret_err
secret_hash_password(const char *pw, char out[SECRET_PWHASH_BUFSZ])
{
	if (pw == NULL || out == NULL)
		return (SECRET_EINVAL);
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), pw_ops, pw_mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return (SECRET_ENOMEM);
	return (SECRET_OK);
}

int
secret_verify_password(const char *hash, const char *pw)
{
	if (hash == NULL || pw == NULL)
		return (0);
	if (strnlen(hash, SECRET_PWHASH_BUFSZ) == SECRET_PWHASH_BUFSZ)
		return (0);
	return (crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0);
}

int
secret_needs_rehash(const char *hash)
{
	if (hash == NULL)
		return (1);
	if (strnlen(hash, SECRET_PWHASH_BUFSZ) == SECRET_PWHASH_BUFSZ)
		return (1);
	return (crypto_pwhash_str_needs_rehash(hash, pw_ops, pw_mem) != 0);
}

int
secret_dummy_verify(const char *pw)
{
	char	tok[SECRET_TOKEN_BUFSZ];
	int	rc;

	if (!dummy_ready) {
		/* Nobody ever sees this password, so nothing can match. */
		if (secret_token(tok, sizeof(tok)) == SECRET_OK &&
		    secret_hash_password(tok, dummy_hash) == SECRET_OK)
			dummy_ready = 1;
		sodium_memzero(tok, sizeof(tok));
	}
	/* A NULL password still costs the time of a real one. */
	if (pw == NULL)
		pw = "";
	rc = -1;
	if (dummy_ready)
		rc = crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw));
	(void)rc;
	return (0);
}

enum secret_err
secret_token(char *out, size_t outlen)
{
	unsigned char	buf[SECRET_TOKEN_BYTES];

	if (out == NULL || outlen < SECRET_TOKEN_BUFSZ)
		return (SECRET_EINVAL);
	randombytes_buf(buf, sizeof(buf));
	sodium_bin2base64(out, outlen, buf, sizeof(buf),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(buf, sizeof(buf));
	return (SECRET_OK);
}

enum secret_err
secret_token_hash(const char *token, const unsigned char *key,
    char out[SECRET_HASH_BUFSZ])
{
	unsigned char	h[32];

	if (token == NULL || token[0] == '\0' || out == NULL)
		return (SECRET_EINVAL);
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), key, key == NULL ? 0 : SECRET_KEY_BYTES);
	sodium_bin2hex(out, SECRET_HASH_BUFSZ, h, sizeof(h));
	return (SECRET_OK);
}

enum secret_err
secret_api_key(char *out, size_t outlen, char *id_out, size_t idlen)
{
	unsigned char	rnd[5];
	char		tok[SECRET_TOKEN_BUFSZ];
	uint64_t	bits;
	size_t		i;

	if (out == NULL || outlen < SECRET_API_KEY_BUFSZ ||
	    id_out == NULL || idlen < SECRET_API_ID_BUFSZ)
		return (SECRET_EINVAL);

	/* 40 random bits, 5 per character of the id. */
	randombytes_buf(rnd, sizeof(rnd));
	bits = 0;
	for (i = 0; i < sizeof(rnd); i++)
		bits = bits << 8 | rnd[i];
	for (i = 0; i < SECRET_API_ID_LEN; i++) {
		id_out[SECRET_API_ID_LEN - 1 - i] = api_id_alphabet[bits & 31];
		bits >>= 5;
	}
	id_out[SECRET_API_ID_LEN] = '\0';

	(void)secret_token(tok, sizeof(tok));
	memcpy(out, SECRET_API_KEY_PREFIX, SECRET_API_PREFIX_LEN);
	memcpy(out + SECRET_API_PREFIX_LEN, id_out, SECRET_API_ID_LEN);
	out[SECRET_API_PREFIX_LEN + SECRET_API_ID_LEN] = '_';
	memcpy(out + SECRET_API_PREFIX_LEN + SECRET_API_ID_LEN + 1, tok,
	    SECRET_TOKEN_LEN + 1);
	sodium_memzero(tok, sizeof(tok));
	return (SECRET_OK);
}

enum secret_err
secret_api_key_parse(const char *key, char *id_out, size_t idlen)
{
	unsigned char	 bin[SECRET_TOKEN_BYTES + 1];
	const char	*id, *sec, *end;
	size_t		 i, binlen;
	int		 rc;

	if (key == NULL || id_out == NULL || idlen < SECRET_API_ID_BUFSZ)
		return (SECRET_EINVAL);
	if (strnlen(key, SECRET_API_KEY_LEN + 1) != SECRET_API_KEY_LEN)
		return (SECRET_EINVAL);
	if (memcmp(key, SECRET_API_KEY_PREFIX, SECRET_API_PREFIX_LEN) != 0)
		return (SECRET_EINVAL);
	id = key + SECRET_API_PREFIX_LEN;
	for (i = 0; i < SECRET_API_ID_LEN; i++) {
		if (!in_alphabet(api_id_alphabet, id[i]))
			return (SECRET_EINVAL);
	}
	if (id[SECRET_API_ID_LEN] != '_')
		return (SECRET_EINVAL);
	sec = id + SECRET_API_ID_LEN + 1;

	/* libsodium refuses stray characters and non-zero padding bits. */
	end = NULL;
	rc = sodium_base642bin(bin, sizeof(bin), sec, SECRET_TOKEN_LEN, NULL,
	    &binlen, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(bin, sizeof(bin));
	if (rc != 0 || binlen != SECRET_TOKEN_BYTES ||
	    end != sec + SECRET_TOKEN_LEN)
		return (SECRET_EINVAL);

	memcpy(id_out, id, SECRET_API_ID_LEN);
	id_out[SECRET_API_ID_LEN] = '\0';
	return (SECRET_OK);
}

int
secret_equal(const char *a, const char *b)
{
	size_t	alen, blen;

	if (a == NULL || b == NULL)
		return (0);
	alen = strlen(a);
	blen = strlen(b);
	if (alen == 0 || alen != blen)
		return (0);
	return (sodium_memcmp(a, b, alen) == 0);
}

enum secret_err
secret_csrf(const char *session_hash_hex,
    const unsigned char key[SECRET_KEY_BYTES], char out[SECRET_HASH_BUFSZ])
{
	crypto_generichash_state	st;
	unsigned char			h[32];

	if (session_hash_hex == NULL || key == NULL || out == NULL)
		return (SECRET_EINVAL);
	if (strnlen(session_hash_hex, SECRET_HASH_HEXLEN + 1) !=
	    SECRET_HASH_HEXLEN ||
	    !is_lower_hex(session_hash_hex, SECRET_HASH_HEXLEN))
		return (SECRET_EINVAL);

	crypto_generichash_init(&st, key, SECRET_KEY_BYTES, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)CSRF_LABEL,
	    sizeof(CSRF_LABEL));	/* with its NUL, as a separator */
	crypto_generichash_update(&st,
	    (const unsigned char *)session_hash_hex, SECRET_HASH_HEXLEN);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, SECRET_HASH_BUFSZ, h, sizeof(h));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(h, sizeof(h));
	return (SECRET_OK);
}

int
secret_csrf_check(const char *session_hash_hex,
    const unsigned char key[SECRET_KEY_BYTES], const char *token)
{
	char	want[SECRET_HASH_BUFSZ];
	int	ok;

	if (token == NULL)
		return (0);
	if (secret_csrf(session_hash_hex, key, want) != SECRET_OK)
		return (0);
	ok = secret_equal(want, token);
	sodium_memzero(want, sizeof(want));
	return (ok);
}
