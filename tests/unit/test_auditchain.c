/*
 * test_auditchain.c - unit tests for app/auditchain.c.
 *
 * The canonical form and two chain links are pinned to values computed
 * independently in Python (hashlib.blake2b over the bytes the header
 * describes), so the format cannot drift without a failing test; an
 * offline verifier can be checked against the same vectors.  Injectivity
 * is shown by decoding: a small parser here splits 20,000 random events
 * made of separator-like bytes back into their fields, and hand-made
 * pairs that a separator-based format would confuse all differ.  Then a
 * chain of 1,000 events verifies, and every field of every event, changed
 * in every way that applies, breaks it exactly at that event; deletions,
 * swaps, insertions and bad stored hashes break where the header says;
 * truncation and a rewritten tail do not, which the header also says.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auditchain.h"

#define N		1000
#define NFIELDS		10

/* The example of the header, and a second link after it. */
static const struct audit_event ex1 = {
	7, "2024-05-01T09:00:00Z", 12, 0, "login", NULL, "", NULL, NULL,
	"10.0.0.1"
};
static const struct audit_event ex2 = {
	8, "2024-05-01T09:00:01Z", 0, 34, "order.create", "order", "A-7",
	"{\"amount_won\":1000,\"memo\":\"한글\"}", "r-01", "2001:db8::1"
};
#define EX1_CANON	"15:gureum.audit.v11:720:2024-05-01T09:00:00Z2:121:0" \
			"5:login-0:--8:10.0.0.1"
#define EX2_CANON	"15:gureum.audit.v11:820:2024-05-01T09:00:01Z1:02:34" \
			"12:order.create5:order3:A-7" \
			"35:{\"amount_won\":1000,\"memo\":\"한글\"}" \
			"4:r-0111:2001:db8::1"
#define EX1_HASH	"e2c22bc74616af7df7e5641cb7248132" \
			"9d1d12ebbd22381ddde4a7e6bea3bd20"
#define EX2_HASH	"4b0bd405ff32dd9c88b2d707251d1495" \
			"b326691b3b967484c7ce9755ee6e3051"

/* Storage for the strings of generated events. */
struct ev_store {
	char	at[32];
	char	action[32];
	char	otype[16];
	char	oid[32];
	char	summary[96];
	char	rid[40];
	char	addr[48];
};

struct chain {
	struct audit_event	 ev[N];
	struct ev_store		 st[N];
	unsigned char		 h[N][AUDITCHAIN_HASHBYTES];
	char			 hex[N][AUDITCHAIN_HEXBUFSZ];
	const char		*stored[N];
};

static char *
canon(const struct audit_event *ev)
{
	size_t	 len;
	char	*s;

	len = auditchain_canonical(ev, NULL, 0);
	s = malloc(len + 1);
	assert_non_null(s);
	assert_int_equal(auditchain_canonical(ev, s, len + 1), len);
	return (s);
}

/* A field of an event, by number, as a pointer to the pointer or int. */
static const char **
str_field(struct audit_event *ev, int f)
{
	switch (f) {
	case 1:
		return (&ev->at);
	case 4:
		return (&ev->action);
	case 5:
		return (&ev->object_type);
	case 6:
		return (&ev->object_id);
	case 7:
		return (&ev->summary);
	case 8:
		return (&ev->request_id);
	case 9:
		return (&ev->client_addr);
	default:
		return (NULL);
	}
}

static int64_t *
int_field(struct audit_event *ev, int f)
{
	switch (f) {
	case 0:
		return (&ev->id);
	case 2:
		return (&ev->actor_id);
	case 3:
		return (&ev->org_id);
	default:
		return (NULL);
	}
}

static void
make_chain(struct chain *c)
{
	struct audit_event	*e;
	struct ev_store		*s;
	size_t			 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < N; i++) {
		e = &c->ev[i];
		s = &c->st[i];
		snprintf(s->at, sizeof(s->at),
		    "2024-05-%02zuT%02zu:%02zu:%02zu.%06zuZ", 1 + i / 86400 % 28, i / 3600 % 24, i / 60 % 60,
		    i % 60, i * 7919 % 1000000);
		snprintf(s->action, sizeof(s->action), "%s",
		    (const char *[]){ "login", "listing.update",
		    "contract.sign", "invoice.issue", "apikey.revoke" }[i % 5]);
		snprintf(s->otype, sizeof(s->otype), "%s",
		    (const char *[]){ "user", "listing", "contract",
		    "invoice" }[i % 4]);
		snprintf(s->oid, sizeof(s->oid), "%zu", i * 31 + 1);
		snprintf(s->summary, sizeof(s->summary),
		    "{\"n\":%zu,\"note\":\"변경 %zu\"}", i, i % 13);
		snprintf(s->rid, sizeof(s->rid), "req-%08zx", i * 2654435761u);
		snprintf(s->addr, sizeof(s->addr), i % 2 ? "10.0.%zu.%zu" :
		    "2001:db8::%zx:%zx", i / 256, i % 256);
		e->id = (int64_t)i + 1;
		e->at = s->at;
		e->actor_id = i % 6 == 0 ? 0 : (int64_t)(i % 50) + 1;
		e->org_id = i % 4 == 0 ? 0 : (int64_t)(i % 9) + 100;
		e->action = s->action;
		e->object_type = i % 10 == 0 ? NULL : s->otype;
		e->object_id = i % 10 == 0 ? NULL : s->oid;
		e->summary = i % 3 == 0 ? "{}" : s->summary;
		e->request_id = i % 7 == 0 ? NULL : s->rid;
		e->client_addr = i % 11 == 0 ? "" : s->addr;
		assert_int_equal(auditchain_hash(i == 0 ? NULL : c->h[i - 1],
		    e, c->h[i]), 0);
		auditchain_tohex(c->h[i], c->hex[i]);
		c->stored[i] = c->hex[i];
	}
}

static struct chain *
new_chain(void)
{
	struct chain	*c;

	c = malloc(sizeof(*c));
	assert_non_null(c);
	make_chain(c);
	return (c);
}

/* Pinned vectors. */

static void
test_vectors(void **state)
{
	unsigned char	h1[AUDITCHAIN_HASHBYTES], h2[AUDITCHAIN_HASHBYTES];
	char		hex[AUDITCHAIN_HEXBUFSZ], hex2[AUDITCHAIN_HEXBUFSZ];
	char		*s;
	const char	*stored[2];
	struct audit_event evs[2];
	size_t		bad;

	(void)state;
	s = canon(&ex1);
	assert_string_equal(s, EX1_CANON);
	free(s);
	s = canon(&ex2);
	assert_string_equal(s, EX2_CANON);
	free(s);

	assert_int_equal(auditchain_hash(NULL, &ex1, h1), 0);
	auditchain_tohex(h1, hex);
	assert_string_equal(hex, EX1_HASH);
	memset(h2, 0, sizeof(h2));
	assert_int_equal(auditchain_hash(h2, &ex1, h2), 0);	/* aliasing */
	assert_memory_equal(h1, h2, sizeof(h1));
	assert_int_equal(auditchain_hash(h1, &ex2, h2), 0);
	auditchain_tohex(h2, hex);
	assert_string_equal(hex, EX2_HASH);

	assert_int_equal(auditchain_hash_hex(NULL, &ex1, hex), 0);
	assert_string_equal(hex, EX1_HASH);
	assert_int_equal(auditchain_hash_hex(EX1_HASH, &ex2, hex2), 0);
	assert_string_equal(hex2, EX2_HASH);

	evs[0] = ex1;
	evs[1] = ex2;
	stored[0] = EX1_HASH;
	stored[1] = EX2_HASH;
	assert_int_equal(auditchain_verify(evs, stored, 2, NULL, &bad), 1);
	assert_int_equal(bad, 2);
}

static void
test_canonical_buffer(void **state)
{
	char	buf[256];
	size_t	len, i;

	(void)state;
	len = strlen(EX1_CANON);
	assert_int_equal(auditchain_canonical(&ex1, NULL, 0), len);
	for (i = 1; i <= len + 1; i++) {
		memset(buf, 'X', sizeof(buf));
		assert_int_equal(auditchain_canonical(&ex1, buf, i), len);
		assert_int_equal(strlen(buf), i - 1 < len ? i - 1 : len);
		assert_memory_equal(buf, EX1_CANON, strlen(buf));
		assert_int_equal(buf[i], 'X');
	}
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(auditchain_canonical(&ex1, buf, 0), len);
	assert_int_equal(buf[0], 'X');
	assert_int_equal(auditchain_canonical(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void
test_null_args(void **state)
{
	unsigned char	h[AUDITCHAIN_HASHBYTES];
	char		hex[AUDITCHAIN_HEXBUFSZ];
	size_t		bad = 99;

	(void)state;
	assert_int_equal(auditchain_hash(NULL, NULL, h), -1);
	assert_int_equal(auditchain_hash(NULL, &ex1, NULL), -1);
	assert_int_equal(auditchain_hash_hex(NULL, NULL, hex), -1);
	assert_int_equal(auditchain_hash_hex(NULL, &ex1, NULL), -1);
	assert_int_equal(auditchain_hash_hex("00", &ex1, hex), -1);
	assert_int_equal(auditchain_verify(NULL, NULL, 0, NULL, &bad), 1);
	assert_int_equal(bad, 0);
	assert_int_equal(auditchain_verify(NULL, NULL, 0, NULL, NULL), 1);
	bad = 99;
	assert_int_equal(auditchain_verify(NULL, NULL, 3, NULL, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(auditchain_verify(&ex1, NULL, 1, NULL, &bad), 0);
	assert_int_equal(auditchain_verify(&ex1, NULL, 1, NULL, NULL), 0);
}

static void
test_hex(void **state)
{
	static const char *const bad[] = {
		"",
		"00",
		EX1_HASH "0",
		"E2C22BC74616AF7DF7E5641CB7248132"
		    "9D1D12EBBD22381DDDE4A7E6BEA3BD20",
		"e2c22bc74616af7df7e5641cb7248132"
		    "9d1d12ebbd22381ddde4a7e6bea3bd2g",
		" 2c22bc74616af7df7e5641cb7248132"
		    "9d1d12ebbd22381ddde4a7e6bea3bd20",
		"e2c22bc74616af7df7e5641cb7248132"
		    "9d1d12ebbd22381ddde4a7e6bea3bd2\n",
		"0xc22bc74616af7df7e5641cb7248132"
		    "9d1d12ebbd22381ddde4a7e6bea3bd20",
	};
	unsigned char	h[AUDITCHAIN_HASHBYTES], g[AUDITCHAIN_HASHBYTES];
	char		hex[AUDITCHAIN_HEXBUFSZ];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(h); i++)
		h[i] = (unsigned char)(i * 37 + 5);
	auditchain_tohex(h, hex);
	assert_int_equal(strlen(hex), AUDITCHAIN_HEXLEN);
	assert_int_equal(strspn(hex, "0123456789abcdef"), AUDITCHAIN_HEXLEN);
	assert_int_equal(auditchain_fromhex(hex, g), 0);
	assert_memory_equal(h, g, sizeof(h));
	memset(h, 0, sizeof(h));
	auditchain_tohex(h, hex);
	assert_string_equal(hex, "0000000000000000000000000000000000000000"
	    "000000000000000000000000");
	memset(h, 0xff, sizeof(h));
	auditchain_tohex(h, hex);
	assert_int_equal(auditchain_fromhex(hex, g), 0);
	assert_memory_equal(h, g, sizeof(h));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(auditchain_fromhex(bad[i], g), -1);
	assert_int_equal(auditchain_fromhex(NULL, g), -1);
	assert_int_equal(auditchain_fromhex(EX1_HASH, NULL), -1);
}

/* Injectivity. */

struct decoded {
	int	 isnull[11];
	char	*f[11];
};

static void
decoded_free(struct decoded *d)
{
	int	i;

	for (i = 0; i < 11; i++)
		free(d->f[i]);
}

/* Splits a canonical form into its eleven fields; -1 if it cannot. */
static int
decode(const char *s, size_t len, struct decoded *d)
{
	size_t	p, n;
	int	i;

	memset(d, 0, sizeof(*d));
	for (p = 0, i = 0; i < 11; i++) {
		if (p < len && s[p] == '-') {
			d->isnull[i] = 1;
			p++;
			continue;
		}
		if (p >= len || s[p] < '0' || s[p] > '9')
			return (-1);
		if (s[p] == '0' && p + 1 < len && s[p + 1] != ':')
			return (-1);		/* leading zero */
		for (n = 0; p < len && s[p] >= '0' && s[p] <= '9'; p++)
			n = n * 10 + (size_t)(s[p] - '0');
		if (p >= len || s[p] != ':' || len - p - 1 < n)
			return (-1);
		p++;
		d->f[i] = malloc(n + 1);
		assert_non_null(d->f[i]);
		memcpy(d->f[i], s + p, n);
		d->f[i][n] = '\0';
		p += n;
	}
	return (p == len ? 0 : -1);
}

/* 1 if d holds exactly ev's fields. */
static int
decoded_is(const struct decoded *d, const struct audit_event *ev)
{
	struct audit_event	 e = *ev;
	const char		**sp;
	int64_t			*ip;
	char			 num[32];
	int			 f;

	if (d->isnull[0] || strcmp(d->f[0], AUDITCHAIN_LABEL) != 0)
		return (0);
	for (f = 0; f < NFIELDS; f++) {
		if ((ip = int_field(&e, f)) != NULL) {
			snprintf(num, sizeof(num), "%lld", (long long)*ip);
			if (d->isnull[f + 1] || strcmp(d->f[f + 1], num) != 0)
				return (0);
			continue;
		}
		sp = str_field(&e, f);
		if (*sp == NULL) {
			if (!d->isnull[f + 1])
				return (0);
		} else if (d->isnull[f + 1] || strcmp(d->f[f + 1], *sp) != 0)
			return (0);
	}
	return (1);
}

/* A short string of bytes a naive format would trip on, or NULL. */
static const char *
nasty(char *buf, size_t buflen)
{
	static const char *const atoms[] = {
		"-", ":", "0", "1", "9", "|", ",", "\"", "\\", "0:", "1:",
		"-1", "가", " ", "\t", "15:gureum.audit.v1", "a", "{}",
	};
	size_t	n, i, o;
	const char	*a;

	if (rand() % 5 == 0)
		return (NULL);
	n = (size_t)(rand() % 6);
	buf[0] = '\0';
	for (i = o = 0; i < n; i++) {
		a = atoms[rand() % (int)(sizeof(atoms) / sizeof(atoms[0]))];
		if (o + strlen(a) + 1 > buflen)
			break;
		memcpy(buf + o, a, strlen(a) + 1);
		o += strlen(a);
	}
	return (buf);
}

static int64_t
nasty_int(void)
{
	static const int64_t	v[] = {
		0, 1, -1, 9, 10, 11, 15, 100, -100, INT64_MAX, INT64_MIN,
		INT64_MAX - 1, INT64_MIN + 1, 123456789012345LL,
	};

	if (rand() % 3 == 0)
		return (((int64_t)rand() << 31 | rand()) - (1LL << 50));
	return (v[rand() % (int)(sizeof(v) / sizeof(v[0]))]);
}

static void
test_decode_round_trip(void **state)
{
	char			bufs[7][128];
	struct audit_event	e;
	struct decoded		d;
	char			*s;
	int			n;

	(void)state;
	srand(424242);
	for (n = 0; n < 20000; n++) {
		e.id = nasty_int();
		e.at = nasty(bufs[0], sizeof(bufs[0]));
		e.actor_id = nasty_int();
		e.org_id = nasty_int();
		e.action = nasty(bufs[1], sizeof(bufs[1]));
		e.object_type = nasty(bufs[2], sizeof(bufs[2]));
		e.object_id = nasty(bufs[3], sizeof(bufs[3]));
		e.summary = nasty(bufs[4], sizeof(bufs[4]));
		e.request_id = nasty(bufs[5], sizeof(bufs[5]));
		e.client_addr = nasty(bufs[6], sizeof(bufs[6]));
		s = canon(&e);
		if (decode(s, strlen(s), &d) != 0 || !decoded_is(&d, &e))
			fail_msg("event %d does not decode: %s", n, s);
		decoded_free(&d);
		free(s);
	}
}

/* Pairs a separator-based or unprefixed format would confuse. */
static void
test_crafted_pairs(void **state)
{
	struct pair {
		struct audit_event	a, b;
	} pairs[] = {
		{ { 1, "t", 0, 0, "a|b", "", NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a", "|b", NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "a|b", NULL, NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a", "b", NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "ab", NULL, NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a", "b", NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "a", "1:b", NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a1:b", "", NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "x", "1:y", "", NULL, NULL, NULL },
		  { 1, "t", 0, 0, "x1:y", "0:", NULL, NULL, NULL, NULL } },
		{ { 12, "3t", 0, 0, "a", NULL, NULL, NULL, NULL, NULL },
		  { 1, "23t", 0, 0, "a", NULL, NULL, NULL, NULL, NULL } },
		{ { 1, "t", 1, 23, "a", NULL, NULL, NULL, NULL, NULL },
		  { 1, "t", 12, 3, "a", NULL, NULL, NULL, NULL, NULL } },
		{ { 1, "t", 5, 0, "a", NULL, NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 5, "a", NULL, NULL, NULL, NULL, NULL } },
		{ { -1, "t", 0, 0, "a", NULL, NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a", NULL, NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "a", NULL, "-", NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a", NULL, NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "a", NULL, "0:", NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a", NULL, "", NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "a", NULL, NULL, NULL, "1.2.3.4", NULL },
		  { 1, "t", 0, 0, "a", NULL, NULL, NULL, NULL, "1.2.3.4" } },
		{ { 1, "t", 0, 0, "a", NULL, NULL, "{}", NULL, NULL },
		  { 1, "t", 0, 0, "a", NULL, NULL, "{ }", NULL, NULL } },
		{ { 1, "t", 0, 0, "", NULL, NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 0, NULL, "", NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "--", NULL, NULL, NULL, NULL, NULL },
		  { 1, "t", 0, 0, NULL, NULL, NULL, NULL, NULL, NULL } },
		{ { 1, "t", 0, 0, "a", "-", "-", NULL, NULL, NULL },
		  { 1, "t", 0, 0, "a", NULL, NULL, "2:--", NULL, NULL } },
		{ { 0, "", 0, 0, "", "", "", "", "", "" },
		  { 0, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL } },
	};
	unsigned char	ha[AUDITCHAIN_HASHBYTES], hb[AUDITCHAIN_HASHBYTES];
	char		*sa, *sb;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		sa = canon(&pairs[i].a);
		sb = canon(&pairs[i].b);
		if (strcmp(sa, sb) == 0)
			fail_msg("pair %zu serialises the same: %s", i, sa);
		assert_int_equal(auditchain_hash(NULL, &pairs[i].a, ha), 0);
		assert_int_equal(auditchain_hash(NULL, &pairs[i].b, hb), 0);
		assert_memory_not_equal(ha, hb, sizeof(ha));
		free(sa);
		free(sb);
	}
}

/* NULL and "" differ in every string field, and both differ from "x". */
static void
test_null_vs_empty(void **state)
{
	struct audit_event	e1, e2, e3;
	const char		**p1, **p2, **p3;
	char			*s1, *s2, *s3;
	int			f;

	(void)state;
	for (f = 0; f < NFIELDS; f++) {
		if (int_field(&e1, f) != NULL)
			continue;
		e1 = e2 = e3 = ex2;
		p1 = str_field(&e1, f);
		p2 = str_field(&e2, f);
		p3 = str_field(&e3, f);
		*p1 = NULL;
		*p2 = "";
		*p3 = "-";
		s1 = canon(&e1);
		s2 = canon(&e2);
		s3 = canon(&e3);
		assert_string_not_equal(s1, s2);
		assert_string_not_equal(s1, s3);
		assert_string_not_equal(s2, s3);
		assert_non_null(strstr(s2, "0:"));
		free(s1);
		free(s2);
		free(s3);
	}
}

/* Chains. */

static void
test_chain_verifies(void **state)
{
	struct chain	*c;
	unsigned char	 g[AUDITCHAIN_HASHBYTES];
	size_t		 bad, k;

	(void)state;
	c = new_chain();
	assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL, &bad),
	    1);
	assert_int_equal(bad, N);
	memset(g, 0, sizeof(g));
	assert_int_equal(auditchain_verify(c->ev, c->stored, N, g, &bad), 1);
	/* Any prefix, and any suffix from its predecessor's hash. */
	for (k = 0; k <= N; k += 37) {
		assert_int_equal(auditchain_verify(c->ev, c->stored, k, NULL,
		    &bad), 1);
		assert_int_equal(bad, k);
		if (k == 0 || k == N)
			continue;
		assert_int_equal(auditchain_verify(c->ev + k, c->stored + k,
		    N - k, c->h[k - 1], &bad), 1);
		assert_int_equal(bad, N - k);
	}
	/* Another genesis breaks the first link. */
	g[31] = 1;
	assert_int_equal(auditchain_verify(c->ev, c->stored, N, g, &bad), 0);
	assert_int_equal(bad, 0);
	/* All hashes distinct. */
	for (k = 1; k < N; k++)
		assert_string_not_equal(c->hex[k - 1], c->hex[k]);
	free(c);
}

/*
 * Applies mutation kind m (0..2) to field f of e, using buf for a changed
 * string.  Returns 0 if the kind does not apply to the field's value.
 */
static int
mutate(struct audit_event *e, int f, int m, char *buf, size_t buflen)
{
	const char	**sp;
	int64_t		 *ip;

	if ((ip = int_field(e, f)) != NULL) {
		if (m == 0)
			(*ip)++;
		else if (m == 1)
			*ip = -*ip - 1;
		else
			*ip = *ip == 0 ? 1 : 0;
		return (1);
	}
	sp = str_field(e, f);
	switch (m) {
	case 0:			/* NULL <-> "" */
		*sp = *sp == NULL ? "" : (**sp == '\0' ? NULL : "");
		return (1);
	case 1:			/* flip one bit of the last byte */
		if (*sp == NULL || **sp == '\0')
			return (0);
		snprintf(buf, buflen, "%s", *sp);
		buf[strlen(buf) - 1] ^= 1;
		*sp = buf;
		return (1);
	default:		/* append a byte */
		snprintf(buf, buflen, "%s ", *sp == NULL ? "" : *sp);
		*sp = buf;
		return (1);
	}
}

/*
 * Every applicable change of every field of every event breaks the chain
 * at that event.  Checked on the segment from the event's predecessor
 * (each check costs two hashes, so all 30,000 fit in a fraction of a
 * second), and on the whole chain for one change of every 7th event and
 * the last (7 is prime to 10, so every field gets its turn).
 */
static void
test_every_field_every_event(void **state)
{
	struct chain		*c;
	struct audit_event	 saved;
	char			 buf[128];
	size_t			 i, s, bad;
	int			 f, m, checks = 0;

	(void)state;
	c = new_chain();
	for (i = 0; i < N; i++) {
		s = i == 0 ? 0 : i - 1;
		for (f = 0; f < NFIELDS; f++) {
			for (m = 0; m < 3; m++) {
				saved = c->ev[i];
				if (!mutate(&c->ev[i], f, m, buf, sizeof(buf)))
					continue;
				if (auditchain_verify(c->ev + s, c->stored + s,
				    N - s, s == 0 ? NULL : c->h[s - 1],
				    &bad) != 0 || bad != i - s)
					fail_msg("event %zu field %d change "
					    "%d: bad at %zu", i, f, m, bad + s);
				c->ev[i] = saved;
				checks++;
			}
		}
		/* The whole chain, every 7th event, each field in turn. */
		if (i % 7 != 0 && i != N - 1)
			continue;
		saved = c->ev[i];
		assert_int_equal(mutate(&c->ev[i], (int)(i % NFIELDS), 2, buf,
		    sizeof(buf)), 1);
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, i);
		c->ev[i] = saved;
	}
	assert_true(checks > N * 25);
	assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL, &bad),
	    1);
	free(c);
}

/* Removes element k of the event and stored arrays. */
static void
delete_at(struct chain *c, size_t k, size_t n)
{
	memmove(&c->ev[k], &c->ev[k + 1], (n - k - 1) * sizeof(c->ev[0]));
	memmove(&c->stored[k], &c->stored[k + 1],
	    (n - k - 1) * sizeof(c->stored[0]));
}

static void
test_delete(void **state)
{
	static const size_t	ks[] = { 0, 1, 2, 499, 500, 997, 998 };
	struct chain		*c;
	size_t			 i, bad;

	(void)state;
	c = new_chain();
	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		make_chain(c);
		delete_at(c, ks[i], N);
		assert_int_equal(auditchain_verify(c->ev, c->stored, N - 1,
		    NULL, &bad), 0);
		assert_int_equal(bad, ks[i]);
	}
	/* The event alone deleted, its hash left: the same place. */
	make_chain(c);
	memmove(&c->ev[300], &c->ev[301], (N - 301) * sizeof(c->ev[0]));
	assert_int_equal(auditchain_verify(c->ev, c->stored, N - 1, NULL,
	    &bad), 0);
	assert_int_equal(bad, 300);
	/* Cutting events off the end is invisible to the chain itself. */
	make_chain(c);
	assert_int_equal(auditchain_verify(c->ev, c->stored, N - 1, NULL,
	    &bad), 1);
	assert_int_equal(auditchain_verify(c->ev, c->stored, 1, NULL, &bad),
	    1);
	free(c);
}

static void
test_swap(void **state)
{
	static const size_t	sw[][2] = {
		{ 0, 1 }, { 0, 999 }, { 10, 11 }, { 123, 456 }, { 998, 999 },
	};
	struct chain		*c;
	struct audit_event	 t;
	const char		*ts;
	size_t			 i, a, b, bad;

	(void)state;
	c = new_chain();
	for (i = 0; i < sizeof(sw) / sizeof(sw[0]); i++) {
		a = sw[i][0];
		b = sw[i][1];
		/* Events and their hashes swapped together. */
		make_chain(c);
		t = c->ev[a];
		c->ev[a] = c->ev[b];
		c->ev[b] = t;
		ts = c->stored[a];
		c->stored[a] = c->stored[b];
		c->stored[b] = ts;
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, a);
		/* Events only. */
		make_chain(c);
		t = c->ev[a];
		c->ev[a] = c->ev[b];
		c->ev[b] = t;
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, a);
		/* Hashes only. */
		make_chain(c);
		ts = c->stored[a];
		c->stored[a] = c->stored[b];
		c->stored[b] = ts;
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, a);
	}
	free(c);
}

/*
 * An event inserted with a correct hash of its own is caught at the next
 * event; rewriting every hash from there on is not caught at all, which
 * is why the head hash must be kept elsewhere too.
 */
static void
test_insert_and_rewrite(void **state)
{
	struct chain		*c;
	struct audit_event	*ev;
	const char		**st;
	char			(*hex)[AUDITCHAIN_HEXBUFSZ];
	unsigned char		 h[AUDITCHAIN_HASHBYTES];
	size_t			 k = 400, i, bad;

	(void)state;
	c = new_chain();
	ev = calloc(N + 1, sizeof(*ev));
	st = calloc(N + 1, sizeof(*st));
	hex = calloc(N + 1, sizeof(*hex));
	assert_non_null(ev);
	assert_non_null(st);
	assert_non_null(hex);

	memcpy(ev, c->ev, k * sizeof(*ev));
	memcpy(st, c->stored, k * sizeof(*st));
	ev[k] = ex1;
	assert_int_equal(auditchain_hash(c->h[k - 1], &ev[k], h), 0);
	auditchain_tohex(h, hex[k]);
	st[k] = hex[k];
	memcpy(ev + k + 1, c->ev + k, (N - k) * sizeof(*ev));
	memcpy(st + k + 1, c->stored + k, (N - k) * sizeof(*st));
	assert_int_equal(auditchain_verify(ev, st, N + 1, NULL, &bad), 0);
	assert_int_equal(bad, k + 1);

	/* Rewrite the tail: the chain holds again. */
	for (i = k + 1; i <= N; i++) {
		assert_int_equal(auditchain_hash(h, &ev[i], h), 0);
		auditchain_tohex(h, hex[i]);
		st[i] = hex[i];
	}
	assert_int_equal(auditchain_verify(ev, st, N + 1, NULL, &bad), 1);
	/* But the head no longer matches the one kept elsewhere. */
	assert_string_not_equal(st[N], c->stored[N - 1]);

	free(ev);
	free(st);
	free(hex);
	free(c);
}

static void
test_bad_stored(void **state)
{
	static const size_t	ks[] = { 0, 1, 500, 999 };
	struct chain		*c;
	char			 up[AUDITCHAIN_HEXBUFSZ];
	size_t			 i, j, k, bad;

	(void)state;
	c = new_chain();
	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		k = ks[i];
		c->stored[k] = NULL;
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, k);
		/* The same digest in upper case is not how we store it. */
		for (j = 0; j < AUDITCHAIN_HEXBUFSZ; j++)
			up[j] = (c->hex[k][j] >= 'a' && c->hex[k][j] <= 'f') ?
			    c->hex[k][j] - 32 : c->hex[k][j];
		c->stored[k] = up;
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, k);
		c->stored[k] = "";
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, k);
		c->stored[k] = c->hex[(k + 1) % N];
		assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL,
		    &bad), 0);
		assert_int_equal(bad, k);
		c->stored[k] = c->hex[k];
	}
	assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL, NULL),
	    1);
	c->stored[N / 2] = NULL;
	assert_int_equal(auditchain_verify(c->ev, c->stored, N, NULL, NULL),
	    0);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_canonical_buffer),
		cmocka_unit_test(test_null_args),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_decode_round_trip),
		cmocka_unit_test(test_crafted_pairs),
		cmocka_unit_test(test_null_vs_empty),
		cmocka_unit_test(test_chain_verifies),
		cmocka_unit_test(test_every_field_every_event),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_insert_and_rewrite),
		cmocka_unit_test(test_bad_stored),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
