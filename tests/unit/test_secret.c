/*
 * test_secret.c - unit tests for app/secret.c.
 *
 * The password policy is one table of inputs and expected codes, so a
 * failure names the input.  Argon2 runs at libsodium's minimum cost (one
 * pass, 8 KiB) except in the first test, which checks once that the
 * default is the INTERACTIVE cost production uses.  Hash strings are
 * tampered with at every position and truncated at every length.  Tokens
 * are drawn 10,000 times and checked for length, alphabet, decoding and
 * uniqueness; token hashes and CSRF tokens are pinned to vectors computed
 * independently with Python's hashlib.blake2b, so a silent change of the
 * derivation (which would log everybody out) fails here first.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "secret.h"

#define CHEAP_OPS	crypto_pwhash_argon2id_OPSLIMIT_MIN
#define CHEAP_MEM	crypto_pwhash_argon2id_MEMLIMIT_MIN

#define B64URL	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
		"abcdefghijklmnopqrstuvwxyz0123456789-_"
#define CROCKFORD	"0123456789abcdefghjkmnpqrstvwxyz"

#define NTOKENS		10000

static void
cheap(void)
{
	assert_int_equal(secret_set_pwhash_cost(CHEAP_OPS, CHEAP_MEM),
	    SECRET_OK);
}

/* Fills s with n copies of the UTF-8 string u and a NUL. */
static char *
repeat(char *s, const char *u, size_t n)
{
	size_t	i, ul = strlen(u);

	for (i = 0; i < n; i++)
		memcpy(s + i * ul, u, ul);
	s[n * ul] = '\0';
	return (s);
}

/* Password policy. */

struct pw_row {
	const char	*pw;
	const char	*login;
	enum secret_err	 want;
};

static const struct pw_row pw_rows[] = {
	/* Good: length is all that counts, classes do not. */
	{ "correct horse battery staple", NULL, SECRET_OK },
	{ "abcdefghik", NULL, SECRET_OK },		/* exactly 10 */
	{ "zzzzzzzzzz", NULL, SECRET_OK },
	{ "가나다라마바사아자카", NULL, SECRET_OK },	/* 10 code points */
	{ "조달청 클라우드 장터", NULL, SECRET_OK },
	{ "emoji \xf0\x9f\x94\x91 key!", NULL, SECRET_OK },
	{ "kim.minsu.secret", "kim.minsu@agency.go.kr", SECRET_OK },
	{ "kim.minsu@agency.go", "kim.minsu@agency.go.kr", SECRET_OK },
	{ "Gureum-is-fine-2024", "", SECRET_OK },
	{ "password1234567", NULL, SECRET_OK },	/* not on the list */
	/* Too short, counted in code points. */
	{ "", NULL, SECRET_ETOOSHORT },
	{ "a", NULL, SECRET_ETOOSHORT },
	{ "abcdefghi", NULL, SECRET_ETOOSHORT },	/* 9 */
	{ "가나다라마바사아자", NULL, SECRET_ETOOSHORT },	/* 27 B, 9 */
	{ "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91", NULL,
	    SECRET_ETOOSHORT },
	{ "qwer1234!", NULL, SECRET_ETOOSHORT },	/* common, but short */
	{ "1q2w3e4r!", NULL, SECRET_ETOOSHORT },
	/* Invalid: NULL, controls, broken UTF-8. */
	{ NULL, NULL, SECRET_EINVAL },
	{ "correct\thorse battery", NULL, SECRET_EINVAL },
	{ "correct horse battery\n", NULL, SECRET_EINVAL },
	{ "correct horse\rbattery", NULL, SECRET_EINVAL },
	{ "\x1b[31mred password", NULL, SECRET_EINVAL },
	{ "delete\x7f" "character", NULL, SECRET_EINVAL },
	{ "next\xc2\x85line char", NULL, SECRET_EINVAL },	/* C1 NEL */
	{ "csi\xc2\x9b" "character", NULL, SECRET_EINVAL },	/* C1 CSI */
	{ "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c", NULL, SECRET_EINVAL },
	{ "latin1 caf\xe9 password", NULL, SECRET_EINVAL },
	{ "overlong \xc0\xaf slash!", NULL, SECRET_EINVAL },
	{ "overlong \xe0\x80\xaf slash", NULL, SECRET_EINVAL },
	{ "surrogate \xed\xa0\x80 half", NULL, SECRET_EINVAL },
	{ "too big \xf4\x90\x80\x80 code", NULL, SECRET_EINVAL },
	{ "five byte \xf8\x88\x80\x80\x80 x", NULL, SECRET_EINVAL },
	{ "truncated at end \xed\x95", NULL, SECRET_EINVAL },
	{ "lone continuation \x80 byte", NULL, SECRET_EINVAL },
	{ "\xff\xfe password utf16", NULL, SECRET_EINVAL },
	/* The login, or its e-mail local part, without ASCII case. */
	{ "kim.minsu@agency.go.kr", "kim.minsu@agency.go.kr",
	    SECRET_ESAMEASLOGIN },
	{ "KIM.MINSU@AGENCY.GO.KR", "kim.minsu@agency.go.kr",
	    SECRET_ESAMEASLOGIN },
	{ "kimminsu1234", "kimminsu1234@agency.go.kr", SECRET_ESAMEASLOGIN },
	{ "KimMinsu1234", "kimminsu1234@agency.go.kr", SECRET_ESAMEASLOGIN },
	{ "a@b@example", "a@b@example@x.kr", SECRET_ESAMEASLOGIN },
	{ "procurement01", "procurement01", SECRET_ESAMEASLOGIN },
	{ "조달청담당자계정입니다", "조달청담당자계정입니다",
	    SECRET_ESAMEASLOGIN },
	/* Common passwords, without ASCII case. */
	{ "password123", NULL, SECRET_ECOMMON },
	{ "Password123", NULL, SECRET_ECOMMON },
	{ "PASSWORD123", NULL, SECRET_ECOMMON },
	{ "password1234", NULL, SECRET_ECOMMON },
	{ "qwer1234!@", NULL, SECRET_ECOMMON },
	{ "QWER1234!@", NULL, SECRET_ECOMMON },
	{ "1q2w3e4r5t", NULL, SECRET_ECOMMON },
	{ "1q2w3e4r!@", NULL, SECRET_ECOMMON },
	{ "gureum1234", NULL, SECRET_ECOMMON },
	{ "Gureum1234!", NULL, SECRET_ECOMMON },
	{ "1234567890", NULL, SECRET_ECOMMON },
	{ "qwertyuiop", NULL, SECRET_ECOMMON },
	{ "administrator", NULL, SECRET_ECOMMON },
	{ "tkfkdgo123", NULL, SECRET_ECOMMON },
	{ "가나다라마바사아자차", NULL, SECRET_ECOMMON },
	{ "비밀번호123456", NULL, SECRET_ECOMMON },
	{ "password123", "someone@x.kr", SECRET_ECOMMON },
};

static void
test_policy_table(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(pw_rows) / sizeof(pw_rows[0]); i++) {
		if (secret_password_check(pw_rows[i].pw, pw_rows[i].login) !=
		    pw_rows[i].want)
			fail_msg("row %zu \"%s\": got %d, want %d", i,
			    pw_rows[i].pw ? pw_rows[i].pw : "(null)",
			    secret_password_check(pw_rows[i].pw,
			    pw_rows[i].login), pw_rows[i].want);
	}
}

/* The limits are exact, in bytes at the top and code points at the bottom. */
static void
test_policy_limits(void **state)
{
	char	s[1024];

	(void)state;
	assert_int_equal(secret_password_check(repeat(s, "x",
	    SECRET_PW_MAX_BYTES), NULL), SECRET_OK);
	assert_int_equal(secret_password_check(repeat(s, "x",
	    SECRET_PW_MAX_BYTES + 1), NULL), SECRET_ETOOLONG);
	assert_int_equal(secret_password_check(repeat(s, "x", 1000), NULL),
	    SECRET_ETOOLONG);
	/* 85 syllables are 255 bytes, 86 are 258. */
	assert_int_equal(secret_password_check(repeat(s, "한", 85), NULL),
	    SECRET_OK);
	assert_int_equal(secret_password_check(repeat(s, "한", 86), NULL),
	    SECRET_ETOOLONG);
	assert_int_equal(secret_password_check(repeat(s, "한", 10), NULL),
	    SECRET_OK);
	assert_int_equal(secret_password_check(repeat(s, "한", 9), NULL),
	    SECRET_ETOOSHORT);
	/* Length is checked before validity: a huge broken string is long. */
	assert_int_equal(secret_password_check(repeat(s, "\xff", 300), NULL),
	    SECRET_ETOOLONG);
	assert_int_equal(secret_password_check(repeat(s, "\xff", 30), NULL),
	    SECRET_EINVAL);
	/* Invalid beats short. */
	assert_int_equal(secret_password_check("\t", NULL), SECRET_EINVAL);
	/* Short beats same-as-login and common. */
	assert_int_equal(secret_password_check("kim", "kim"),
	    SECRET_ETOOSHORT);
}

/* Argon2id. */

/* Runs first: the default cost is libsodium's INTERACTIVE for Argon2id. */
static void
test_default_cost(void **state)
{
	char	h[SECRET_PWHASH_BUFSZ];

	(void)state;
	assert_int_equal(secret_hash_password("correct horse battery", h),
	    SECRET_OK);
	assert_true(strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
	assert_int_equal(secret_needs_rehash(h), 0);
	cheap();
	assert_int_equal(secret_needs_rehash(h), 1);
	/* An old hash still verifies after the cost changes. */
	assert_int_equal(secret_verify_password(h, "correct horse battery"),
	    1);
}

static void
test_set_cost(void **state)
{
	char	h[SECRET_PWHASH_BUFSZ];

	(void)state;
	cheap();
	assert_int_equal(secret_set_pwhash_cost(0, CHEAP_MEM), SECRET_EINVAL);
	assert_int_equal(secret_set_pwhash_cost(CHEAP_OPS, 0), SECRET_EINVAL);
	assert_int_equal(secret_set_pwhash_cost(CHEAP_OPS, CHEAP_MEM - 1),
	    SECRET_EINVAL);
	assert_int_equal(secret_set_pwhash_cost(
	    crypto_pwhash_argon2id_OPSLIMIT_MAX + 1ULL, CHEAP_MEM),
	    SECRET_EINVAL);
	/* The refused calls left the cheap cost in place. */
	assert_int_equal(secret_hash_password("correct horse battery", h),
	    SECRET_OK);
	assert_true(strncmp(h, "$argon2id$v=19$m=8,t=1,p=1$", 27) == 0);
}

static void
test_hash_round_trip(void **state)
{
	char	h1[SECRET_PWHASH_BUFSZ], h2[SECRET_PWHASH_BUFSZ];

	(void)state;
	cheap();
	assert_int_equal(secret_hash_password("correct horse battery", h1),
	    SECRET_OK);
	assert_int_equal(secret_hash_password("correct horse battery", h2),
	    SECRET_OK);
	assert_true(strlen(h1) < SECRET_PWHASH_BUFSZ);
	assert_true(strncmp(h1, "$argon2id$", 10) == 0);
	/* A fresh salt each time. */
	assert_string_not_equal(h1, h2);
	assert_int_equal(secret_verify_password(h1, "correct horse battery"),
	    1);
	assert_int_equal(secret_verify_password(h2, "correct horse battery"),
	    1);
	assert_int_equal(secret_needs_rehash(h1), 0);

	assert_int_equal(secret_hash_password("조달청 클라우드 장터", h1),
	    SECRET_OK);
	assert_int_equal(secret_verify_password(h1, "조달청 클라우드 장터"), 1);
	assert_int_equal(secret_verify_password(h1, "조달청 클라우드 장터 "),
	    0);

	/* The empty password hashes (the policy, not this, refuses it). */
	assert_int_equal(secret_hash_password("", h1), SECRET_OK);
	assert_int_equal(secret_verify_password(h1, ""), 1);
	assert_int_equal(secret_verify_password(h1, " "), 0);

	assert_int_equal(secret_hash_password(NULL, h1), SECRET_EINVAL);
	assert_int_equal(secret_hash_password("x", NULL), SECRET_EINVAL);
}

static void
test_wrong_password(void **state)
{
	static const char *const wrong[] = {
		"", "correct horse batter", "correct horse battery ",
		"Correct horse battery", "correct horse batterz",
		" correct horse battery", "correct horse battery\n",
		"correct horse battery correct horse battery",
	};
	char	h[SECRET_PWHASH_BUFSZ];
	size_t	i;

	(void)state;
	cheap();
	assert_int_equal(secret_hash_password("correct horse battery", h),
	    SECRET_OK);
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		assert_int_equal(secret_verify_password(h, wrong[i]), 0);
	assert_int_equal(secret_verify_password(h, NULL), 0);
	assert_int_equal(secret_verify_password(NULL, "x"), 0);
	assert_int_equal(secret_verify_password(NULL, NULL), 0);
}

/* Any change of any single character of the string breaks it. */
static void
test_tampered_hash(void **state)
{
	static const char	repl[] = "Aa0$=,+/9zZ";
	char			h[SECRET_PWHASH_BUFSZ], t[SECRET_PWHASH_BUFSZ];
	const char		*last;
	size_t			i, len, k;

	(void)state;
	cheap();
	assert_int_equal(secret_hash_password("correct horse battery", h),
	    SECRET_OK);
	len = strlen(h);
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(repl) - 1; k++) {
			if (repl[k] == h[i])
				continue;
			memcpy(t, h, sizeof(t));
			t[i] = repl[k];
			if (secret_verify_password(t,
			    "correct horse battery") != 0)
				fail_msg("tampered at %zu with '%c' verifies: "
				    "%s", i, repl[k], t);
		}
	}
	/*
	 * Every truncation fails to verify.  needs_rehash reads only the
	 * parameters, and Argon2 allows tags shorter than 32 bytes, so it
	 * says 1 only while the cut is in the header or the salt.
	 */
	last = strrchr(h, '$');
	assert_non_null(last);
	for (i = 0; i < len; i++) {
		memcpy(t, h, i);
		t[i] = '\0';
		assert_int_equal(secret_verify_password(t,
		    "correct horse battery"), 0);
		if (h + i <= last)
			assert_int_equal(secret_needs_rehash(t), 1);
	}
	/* Something appended. */
	memcpy(t, h, len);
	t[len] = 'A';
	t[len + 1] = '\0';
	assert_int_equal(secret_verify_password(t, "correct horse battery"),
	    0);
}

static void
test_hash_garbage(void **state)
{
	char	big[512];

	(void)state;
	cheap();
	assert_int_equal(secret_verify_password("", "x"), 0);
	assert_int_equal(secret_verify_password("$argon2id$", "x"), 0);
	assert_int_equal(secret_verify_password("$2b$12$abcdefghijklmnop"
	    "qrstuuVbSEaHlPKd2qNiO8Z2lURE5FvMWsK", "x"), 0);
	assert_int_equal(secret_verify_password("plaintext", "plaintext"), 0);
	/* No NUL within SECRET_PWHASH_BUFSZ bytes. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(secret_verify_password(big, "x"), 0);
	assert_int_equal(secret_needs_rehash(big), 1);
	assert_int_equal(secret_needs_rehash(NULL), 1);
	assert_int_equal(secret_needs_rehash(""), 1);
	assert_int_equal(secret_needs_rehash("garbage"), 1);
}

/* An Argon2i hash (an older algorithm) verifies but asks to be redone. */
static void
test_rehash_argon2i(void **state)
{
	char	h[SECRET_PWHASH_BUFSZ];

	(void)state;
	cheap();
	assert_int_equal(crypto_pwhash_str_alg(h, "old password 1", 14,
	    crypto_pwhash_argon2i_OPSLIMIT_MIN, CHEAP_MEM,
	    crypto_pwhash_ALG_ARGON2I13), 0);
	assert_true(strncmp(h, "$argon2i$", 9) == 0);
	assert_int_equal(secret_verify_password(h, "old password 1"), 1);
	assert_int_equal(secret_verify_password(h, "old password 2"), 0);
	assert_int_equal(secret_needs_rehash(h), 1);
}

static void
test_rehash_cost(void **state)
{
	char	h[SECRET_PWHASH_BUFSZ];

	(void)state;
	cheap();
	assert_int_equal(secret_hash_password("correct horse battery", h),
	    SECRET_OK);
	assert_int_equal(secret_needs_rehash(h), 0);
	assert_int_equal(secret_set_pwhash_cost(CHEAP_OPS + 1, CHEAP_MEM),
	    SECRET_OK);
	assert_int_equal(secret_needs_rehash(h), 1);
	assert_int_equal(secret_set_pwhash_cost(CHEAP_OPS, CHEAP_MEM * 2),
	    SECRET_OK);
	assert_int_equal(secret_needs_rehash(h), 1);
	cheap();
	assert_int_equal(secret_needs_rehash(h), 0);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

/*
 * The dummy never matches, and costs about what a real verification
 * costs (medians of nine, at 1 MiB so the work dwarfs the noise; the
 * bound is loose on purpose, this is not a benchmark).
 */
static void
test_dummy_verify(void **state)
{
	char	h[SECRET_PWHASH_BUFSZ];
	double	td[9], tv[9], t0;
	int	i;

	(void)state;
	cheap();
	assert_int_equal(secret_dummy_verify("correct horse battery"), 0);
	assert_int_equal(secret_dummy_verify(""), 0);
	assert_int_equal(secret_dummy_verify(NULL), 0);

	assert_int_equal(secret_set_pwhash_cost(1, 1 << 20), SECRET_OK);
	assert_int_equal(secret_hash_password("correct horse battery", h),
	    SECRET_OK);
	(void)secret_dummy_verify("warm up: makes the dummy at this cost");
	for (i = 0; i < 9; i++) {
		t0 = now();
		assert_int_equal(secret_dummy_verify("guess number one"), 0);
		td[i] = now() - t0;
		t0 = now();
		assert_int_equal(secret_verify_password(h,
		    "guess number one"), 0);
		tv[i] = now() - t0;
	}
	qsort(td, 9, sizeof(double), cmp_double);
	qsort(tv, 9, sizeof(double), cmp_double);
	if (td[4] < tv[4] / 3 || td[4] > tv[4] * 3)
		fail_msg("dummy %.6f s vs verify %.6f s", td[4], tv[4]);
	cheap();
	assert_int_equal(secret_dummy_verify("correct horse battery"), 0);
}

/* Tokens. */

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp((const char *)a, (const char *)b));
}

static void
test_token_format_and_uniqueness(void **state)
{
	char		(*t)[SECRET_TOKEN_BUFSZ];
	unsigned char	 bin[SECRET_TOKEN_BYTES + 8];
	int		 seen[256];
	size_t		 i, k, binlen;
	const char	*end;

	(void)state;
	t = calloc(NTOKENS, sizeof(*t));
	assert_non_null(t);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NTOKENS; i++) {
		assert_int_equal(secret_token(t[i], sizeof(t[i])), SECRET_OK);
		assert_int_equal(strlen(t[i]), SECRET_TOKEN_LEN);
		for (k = 0; k < SECRET_TOKEN_LEN; k++) {
			assert_non_null(strchr(B64URL, t[i][k]));
			if (k < SECRET_TOKEN_LEN - 1)
				seen[(unsigned char)t[i][k]]++;
		}
		assert_int_equal(sodium_base642bin(bin, sizeof(bin), t[i],
		    SECRET_TOKEN_LEN, NULL, &binlen, &end,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
		assert_int_equal(binlen, SECRET_TOKEN_BYTES);
		assert_ptr_equal(end, t[i] + SECRET_TOKEN_LEN);
	}
	/* Every letter of the alphabet turns up. */
	for (k = 0; k < 64; k++)
		assert_true(seen[(unsigned char)B64URL[k]] > 0);
	qsort(t, NTOKENS, sizeof(*t), cmp_str);
	for (i = 1; i < NTOKENS; i++)
		assert_string_not_equal(t[i - 1], t[i]);
	free(t);
}

static void
test_token_buffers(void **state)
{
	char	buf[SECRET_TOKEN_BUFSZ + 10];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(secret_token(buf, SECRET_TOKEN_BUFSZ - 1),
	    SECRET_EINVAL);
	assert_int_equal(buf[0], 'X');
	assert_int_equal(secret_token(NULL, 100), SECRET_EINVAL);
	assert_int_equal(secret_token(buf, 0), SECRET_EINVAL);
	assert_int_equal(secret_token(buf, sizeof(buf)), SECRET_OK);
	assert_int_equal(strlen(buf), SECRET_TOKEN_LEN);
	assert_int_equal(secret_token(buf, SECRET_TOKEN_BUFSZ), SECRET_OK);
	assert_int_equal(strlen(buf), SECRET_TOKEN_LEN);
}

static const unsigned char key0[SECRET_KEY_BYTES] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
};

static void
test_token_hash(void **state)
{
	char		a[SECRET_HASH_BUFSZ], b[SECRET_HASH_BUFSZ];
	char		t1[SECRET_TOKEN_BUFSZ], t2[SECRET_TOKEN_BUFSZ];
	unsigned char	key1[SECRET_KEY_BYTES];
	size_t		i;

	(void)state;
	/* hashlib.blake2b(b"abc", digest_size=32), plain and keyed. */
	assert_int_equal(secret_token_hash("abc", NULL, a), SECRET_OK);
	assert_string_equal(a, "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	assert_int_equal(secret_token_hash("abc", key0, a), SECRET_OK);
	assert_string_equal(a, "d63a32d3e44738d7907f964316c241ad"
	    "aba0abfeabc32349677578a15a203f7f");

	for (i = 0; i < 1000; i++) {
		assert_int_equal(secret_token(t1, sizeof(t1)), SECRET_OK);
		assert_int_equal(secret_token(t2, sizeof(t2)), SECRET_OK);
		assert_int_equal(secret_token_hash(t1, key0, a), SECRET_OK);
		assert_int_equal(secret_token_hash(t1, key0, b), SECRET_OK);
		assert_string_equal(a, b);		/* stable */
		assert_int_equal(strlen(a), SECRET_HASH_HEXLEN);
		assert_int_equal(strspn(a, "0123456789abcdef"),
		    SECRET_HASH_HEXLEN);
		assert_int_equal(secret_token_hash(t2, key0, b), SECRET_OK);
		assert_string_not_equal(a, b);		/* per token */
		assert_int_equal(secret_token_hash(t1, NULL, b), SECRET_OK);
		assert_string_not_equal(a, b);		/* pepper counts */
	}
	memcpy(key1, key0, sizeof(key1));
	key1[31] ^= 1;
	assert_int_equal(secret_token_hash("abc", key1, b), SECRET_OK);
	assert_int_equal(secret_token_hash("abc", key0, a), SECRET_OK);
	assert_string_not_equal(a, b);

	assert_int_equal(secret_token_hash(NULL, NULL, a), SECRET_EINVAL);
	assert_int_equal(secret_token_hash("", NULL, a), SECRET_EINVAL);
	assert_int_equal(secret_token_hash("abc", NULL, NULL), SECRET_EINVAL);
	/* Hostile cookie values hash; they just match nothing. */
	assert_int_equal(secret_token_hash("\xff\x01'; DROP TABLE", NULL, a),
	    SECRET_OK);
}

/* API keys. */

static void
test_api_key_format(void **state)
{
	char	k[SECRET_API_KEY_BUFSZ], id[SECRET_API_ID_BUFSZ];
	char	id2[SECRET_API_ID_BUFSZ];
	char	(*ids)[SECRET_API_ID_BUFSZ];
	int	seen[256];
	size_t	i, j;

	(void)state;
	ids = calloc(1000, sizeof(*ids));
	assert_non_null(ids);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 1000; i++) {
		assert_int_equal(secret_api_key(k, sizeof(k), id, sizeof(id)),
		    SECRET_OK);
		assert_int_equal(strlen(k), SECRET_API_KEY_LEN);
		assert_int_equal(strlen(k), 61);
		assert_true(strncmp(k, "gur_live_", 9) == 0);
		assert_int_equal(strlen(id), SECRET_API_ID_LEN);
		assert_memory_equal(k + 9, id, SECRET_API_ID_LEN);
		for (j = 0; j < SECRET_API_ID_LEN; j++) {
			assert_non_null(strchr(CROCKFORD, id[j]));
			seen[(unsigned char)id[j]]++;
		}
		assert_int_equal(k[17], '_');
		assert_int_equal(strspn(k + 18, B64URL), SECRET_TOKEN_LEN);
		assert_int_equal(secret_api_key_parse(k, id2, sizeof(id2)),
		    SECRET_OK);
		assert_string_equal(id, id2);
		memcpy(ids[i], id, sizeof(id));
	}
	for (j = 0; j < 32; j++)
		assert_true(seen[(unsigned char)CROCKFORD[j]] > 0);
	qsort(ids, 1000, sizeof(*ids), cmp_str);
	for (i = 1; i < 1000; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);

	assert_int_equal(secret_api_key(k, SECRET_API_KEY_BUFSZ - 1, id,
	    sizeof(id)), SECRET_EINVAL);
	assert_int_equal(secret_api_key(k, sizeof(k), id,
	    SECRET_API_ID_BUFSZ - 1), SECRET_EINVAL);
	assert_int_equal(secret_api_key(NULL, sizeof(k), id, sizeof(id)),
	    SECRET_EINVAL);
	assert_int_equal(secret_api_key(k, sizeof(k), NULL, sizeof(id)),
	    SECRET_EINVAL);
}

#define GOOD_SECRET	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define UND_SECRET	"__________________________________________w"

static const char *const bad_keys[] = {
	"",
	"gur_live_",
	"gur_live_abcdefgh",
	"gur_live_abcdefgh_",
	"gur_test_abcdefgh_" GOOD_SECRET,
	"GUR_LIVE_abcdefgh_" GOOD_SECRET,
	"gur-live-abcdefgh_" GOOD_SECRET,
	"gur_live_ABCDEFGH_" GOOD_SECRET,	/* upper-case id */
	"gur_live_abcdefgi_" GOOD_SECRET,	/* i */
	"gur_live_abcdefgl_" GOOD_SECRET,	/* l */
	"gur_live_abcdefgo_" GOOD_SECRET,	/* o */
	"gur_live_abcdefgu_" GOOD_SECRET,	/* u */
	"gur_live_abc_efgh_" GOOD_SECRET,
	"gur_live_abcdefgh-" GOOD_SECRET,
	"gur_live_abcdefg_A" GOOD_SECRET,
	"gur_live_abcdefghh" GOOD_SECRET,
	"gur_live_abcdefgh_" GOOD_SECRET "A",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAA",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_",
	" gur_live_abcdefgh_" GOOD_SECRET,
	"gur_live_abcdefgh_" GOOD_SECRET "\n",
	"gur_live_abcdefgh_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\xc3",
	"gur_live_\xea\xb0\x80\xea\xb0\x80x_" GOOD_SECRET,
	"Bearer gur_live_abcdefgh_" GOOD_SECRET,
};

static void
test_api_key_parse(void **state)
{
	char	id[SECRET_API_ID_BUFSZ];
	size_t	i;

	(void)state;
	assert_int_equal(secret_api_key_parse("gur_live_abcdefgh_"
	    GOOD_SECRET, id, sizeof(id)), SECRET_OK);
	assert_string_equal(id, "abcdefgh");
	/* '_' and '-' inside the secret are fine: the layout is fixed. */
	assert_int_equal(secret_api_key_parse("gur_live_0123zzzz_"
	    UND_SECRET, id, sizeof(id)), SECRET_OK);
	assert_string_equal(id, "0123zzzz");
	assert_int_equal(secret_api_key_parse("gur_live_0123zzzz_"
	    "-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_w", id, sizeof(id)),
	    SECRET_OK);

	for (i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
		memset(id, 'X', sizeof(id));
		if (secret_api_key_parse(bad_keys[i], id, sizeof(id)) !=
		    SECRET_EINVAL)
			fail_msg("accepted bad key \"%s\"", bad_keys[i]);
		assert_memory_equal(id, "XXXXXXXXX", sizeof(id));
	}
	assert_int_equal(secret_api_key_parse(NULL, id, sizeof(id)),
	    SECRET_EINVAL);
	assert_int_equal(secret_api_key_parse("gur_live_abcdefgh_"
	    GOOD_SECRET, NULL, sizeof(id)), SECRET_EINVAL);
	assert_int_equal(secret_api_key_parse("gur_live_abcdefgh_"
	    GOOD_SECRET, id, SECRET_API_ID_BUFSZ - 1), SECRET_EINVAL);
}

/* The whole key is what gets hashed and compared. */
static void
test_api_key_storage(void **state)
{
	char	k[SECRET_API_KEY_BUFSZ], id[SECRET_API_ID_BUFSZ];
	char	stored[SECRET_HASH_BUFSZ], presented[SECRET_HASH_BUFSZ];

	(void)state;
	assert_int_equal(secret_api_key(k, sizeof(k), id, sizeof(id)),
	    SECRET_OK);
	assert_int_equal(secret_token_hash(k, key0, stored), SECRET_OK);
	assert_int_equal(secret_token_hash(k, key0, presented), SECRET_OK);
	assert_int_equal(secret_equal(stored, presented), 1);
	k[SECRET_API_KEY_LEN - 5] ^= 1;
	assert_int_equal(secret_token_hash(k, key0, presented), SECRET_OK);
	assert_int_equal(secret_equal(stored, presented), 0);
}

/* Comparison. */

static void
test_equal(void **state)
{
	char	a[SECRET_HASH_BUFSZ], b[SECRET_HASH_BUFSZ];
	size_t	i;

	(void)state;
	assert_int_equal(secret_token_hash("abc", NULL, a), SECRET_OK);
	memcpy(b, a, sizeof(b));
	assert_int_equal(secret_equal(a, b), 1);
	for (i = 0; i < SECRET_HASH_HEXLEN; i++) {
		memcpy(b, a, sizeof(b));
		b[i] = b[i] == '0' ? '1' : '0';
		assert_int_equal(secret_equal(a, b), 0);
	}
	memcpy(b, a, sizeof(b));
	b[SECRET_HASH_HEXLEN - 1] = '\0';
	assert_int_equal(secret_equal(a, b), 0);	/* a prefix */
	assert_int_equal(secret_equal(b, a), 0);
	assert_int_equal(secret_equal("abc", "abc"), 1);
	assert_int_equal(secret_equal("abc", "abcd"), 0);
	assert_int_equal(secret_equal("", ""), 0);
	assert_int_equal(secret_equal("", "a"), 0);
	assert_int_equal(secret_equal(NULL, "a"), 0);
	assert_int_equal(secret_equal("a", NULL), 0);
	assert_int_equal(secret_equal(NULL, NULL), 0);
}

/* CSRF. */

#define SESS	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

static void
test_csrf(void **state)
{
	char		t[SECRET_HASH_BUFSZ], u[SECRET_HASH_BUFSZ];
	char		s2[SECRET_HASH_BUFSZ], th[SECRET_HASH_BUFSZ];
	unsigned char	key1[SECRET_KEY_BYTES];
	size_t		i;

	(void)state;
	/* hashlib.blake2b(b"gureum.csrf.v1\0" + SESS, key=key0, 32). */
	assert_int_equal(secret_csrf(SESS, key0, t), SECRET_OK);
	assert_string_equal(t, "afdc2b0dc09f7f0114b3487d81837df0"
	    "570e455ea5d8d3c4dc3ceecc56d290e7");
	assert_int_equal(secret_csrf(SESS, key0, u), SECRET_OK);
	assert_string_equal(t, u);
	assert_int_equal(secret_csrf_check(SESS, key0, t), 1);

	/* Not the keyed token hash of the session hash. */
	assert_int_equal(secret_token_hash(SESS, key0, th), SECRET_OK);
	assert_string_not_equal(t, th);
	assert_int_equal(secret_csrf_check(SESS, key0, th), 0);

	/* Another session. */
	memcpy(s2, SESS, sizeof(s2));
	s2[0] = '1';
	assert_int_equal(secret_csrf(s2, key0, u), SECRET_OK);
	assert_string_not_equal(t, u);
	assert_int_equal(secret_csrf_check(s2, key0, t), 0);
	assert_int_equal(secret_csrf_check(s2, key0, u), 1);

	/* Another key. */
	memcpy(key1, key0, sizeof(key1));
	key1[0] ^= 0x80;
	assert_int_equal(secret_csrf_check(SESS, key1, t), 0);

	/* Any one character off. */
	for (i = 0; i < SECRET_HASH_HEXLEN; i++) {
		memcpy(u, t, sizeof(u));
		u[i] = u[i] == 'a' ? 'b' : 'a';
		assert_int_equal(secret_csrf_check(SESS, key0, u), 0);
	}
	/* Upper case, truncated, extended. */
	for (i = 0; i < SECRET_HASH_HEXLEN; i++)
		u[i] = (t[i] >= 'a' && t[i] <= 'f') ? t[i] - 32 : t[i];
	u[SECRET_HASH_HEXLEN] = '\0';
	assert_int_equal(secret_csrf_check(SESS, key0, u), 0);
	memcpy(u, t, sizeof(u));
	u[SECRET_HASH_HEXLEN - 1] = '\0';
	assert_int_equal(secret_csrf_check(SESS, key0, u), 0);
	assert_int_equal(secret_csrf_check(SESS, key0, SESS), 0);
}

static void
test_csrf_bad_inputs(void **state)
{
	static const char *const bad_sess[] = {
		"",
		"0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcde",		/* 63 */
		"0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef0",	/* 65 */
		"0123456789ABCDEF0123456789abcdef"
		    "0123456789abcdef0123456789abcdef",		/* upper */
		"0123456789abcdeg0123456789abcdef"
		    "0123456789abcdef0123456789abcdef",		/* 'g' */
		" 123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef",
		"0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcde\n",
	};
	char	t[SECRET_HASH_BUFSZ];
	size_t	i;

	(void)state;
	assert_int_equal(secret_csrf(SESS, key0, t), SECRET_OK);
	for (i = 0; i < sizeof(bad_sess) / sizeof(bad_sess[0]); i++) {
		assert_int_equal(secret_csrf(bad_sess[i], key0, t),
		    SECRET_EINVAL);
		assert_int_equal(secret_csrf_check(bad_sess[i], key0, t), 0);
	}
	assert_int_equal(secret_csrf(SESS, key0, t), SECRET_OK);
	assert_int_equal(secret_csrf(NULL, key0, t), SECRET_EINVAL);
	assert_int_equal(secret_csrf(SESS, NULL, t), SECRET_EINVAL);
	assert_int_equal(secret_csrf(SESS, key0, NULL), SECRET_EINVAL);
	assert_int_equal(secret_csrf_check(NULL, key0, t), 0);
	assert_int_equal(secret_csrf_check(SESS, NULL, t), 0);
	assert_int_equal(secret_csrf_check(SESS, key0, NULL), 0);
	assert_int_equal(secret_csrf_check(SESS, key0, ""), 0);
	assert_int_equal(secret_csrf_check("", key0, ""), 0);
	assert_int_equal(secret_csrf_check(SESS, key0, t), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_cost),	/* must run first */
		cmocka_unit_test(test_policy_table),
		cmocka_unit_test(test_policy_limits),
		cmocka_unit_test(test_set_cost),
		cmocka_unit_test(test_hash_round_trip),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_tampered_hash),
		cmocka_unit_test(test_hash_garbage),
		cmocka_unit_test(test_rehash_argon2i),
		cmocka_unit_test(test_rehash_cost),
		cmocka_unit_test(test_dummy_verify),
		cmocka_unit_test(test_token_format_and_uniqueness),
		cmocka_unit_test(test_token_buffers),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_api_key_format),
		cmocka_unit_test(test_api_key_parse),
		cmocka_unit_test(test_api_key_storage),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_csrf_bad_inputs),
	};

	if (sodium_init() == -1)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
