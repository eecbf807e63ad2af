/*
 * The audit log's hash chain: canonical form, link hash, verification.
 *
 * A single emitter writes the canonical form either into a buffer or
 * straight into the hash state, so the bytes the tests and an offline
 * verifier can look at are by construction the bytes that are hashed.
 * Fields are length-prefixed rather than separated because audit fields
 * carry user text (an object id, a JSON summary) that may contain any
 * separator one could pick.  The format carries a version label so that
 * a future change can be recognised rather than reported as tampering.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auditchain.h"

/* Where the emitter sends bytes: a hash state, a buffer, or both. */
struct sink {
	crypto_generichash_state	*st;
	char				*buf;
	size_t				 buflen;
	size_t				 off;	/* bytes emitted so far */
};

static const unsigned char	zero_genesis[AUDITCHAIN_HASHBYTES];

static void	put(struct sink *, const void *, size_t);
static void	put_str(struct sink *, const char *);
static void	put_int(struct sink *, int64_t);
static void	emit(struct sink *, const struct audit_event *);

static void
put(struct sink *k, const void *p, size_t len)
{
	size_t	room;

	if (k->st != NULL)
		crypto_generichash_update(k->st, p, len);
	if (k->buf != NULL && k->off + 1 < k->buflen) {
		room = k->buflen - 1 - k->off;
		memcpy(k->buf + k->off, p, len < room ? len : room);
	}
	k->off += len;
}

static void
put_str(struct sink *k, const char *s)
{
	char	pfx[32];
	size_t	len;
	int	n;

	if (s == NULL) {
		put(k, "-", 1);
		return;
	}
	len = strlen(s);
	n = snprintf(pfx, sizeof(pfx), "%zu:", len);
	put(k, pfx, (size_t)n);
	put(k, s, len);
}

static void
put_int(struct sink *k, int64_t v)
{
	char	num[32];

	(void)snprintf(num, sizeof(num), "%" PRId64, v);
	put_str(k, num);
}

/* The field order is the format: see auditchain_canonical() in the header. */
static void
emit(struct sink *k, const struct audit_event *ev)
{
	put_str(k, AUDITCHAIN_LABEL);
	put_int(k, ev->id);
	put_str(k, ev->at);
	put_int(k, ev->actor_id);
	put_int(k, ev->org_id);
	put_str(k, ev->action);
	put_str(k, ev->object_type);
	put_str(k, ev->object_id);
	put_str(k, ev->summary);
	put_str(k, ev->request_id);
	put_str(k, ev->client_addr);
}

size_t
auditchain_canonical(const struct audit_event *ev, char *buf, size_t buflen)
{
	struct sink	k;

	if (buf != NULL && buflen > 0)
		buf[0] = '\0';
	if (ev == NULL)
		return (0);
	memset(&k, 0, sizeof(k));
	k.buf = buf;
	k.buflen = buf == NULL ? 0 : buflen;
	emit(&k, ev);
	if (k.buflen > 0)
		buf[k.off < k.buflen ? k.off : k.buflen - 1] = '\0';
	return (k.off);
}

int
auditchain_hash(const unsigned char prev[AUDITCHAIN_HASHBYTES],
    const struct audit_event *ev, unsigned char out[AUDITCHAIN_HASHBYTES])
{
	crypto_generichash_state	st;
	struct sink			k;

	if (ev == NULL || out == NULL)
		return (-1);
	if (prev == NULL)
		prev = zero_genesis;
	crypto_generichash_init(&st, NULL, 0, AUDITCHAIN_HASHBYTES);
	crypto_generichash_update(&st, prev, AUDITCHAIN_HASHBYTES);
	memset(&k, 0, sizeof(k));
	k.st = &st;
	emit(&k, ev);
	crypto_generichash_final(&st, out, AUDITCHAIN_HASHBYTES);
	return (0);
}

int
auditchain_hash_hex(const char *prev_hex, const struct audit_event *ev,
    char out[AUDITCHAIN_HEXBUFSZ])
{
	unsigned char	prev[AUDITCHAIN_HASHBYTES], h[AUDITCHAIN_HASHBYTES];

	if (ev == NULL || out == NULL)
		return (-1);
	if (prev_hex == NULL)
		memset(prev, 0, sizeof(prev));
	else if (auditchain_fromhex(prev_hex, prev) == -1)
		return (-1);
	if (auditchain_hash(prev, ev, h) == -1)
		return (-1);
	auditchain_tohex(h, out);
	return (0);
}

void
auditchain_tohex(const unsigned char h[AUDITCHAIN_HASHBYTES],
    char out[AUDITCHAIN_HEXBUFSZ])
{
	sodium_bin2hex(out, AUDITCHAIN_HEXBUFSZ, h, AUDITCHAIN_HASHBYTES);
}

int
auditchain_fromhex(const char *hex, unsigned char out[AUDITCHAIN_HASHBYTES])
{
	size_t	i;
	int	hi = 0, lo, c;

	if (hex == NULL || out == NULL)
		return (-1);
	if (strnlen(hex, AUDITCHAIN_HEXLEN + 1) != AUDITCHAIN_HEXLEN)
		return (-1);
	for (i = 0; i < AUDITCHAIN_HEXLEN; i++) {
		c = (unsigned char)hex[i];
		if (c >= '0' && c <= '9')
			lo = c - '0';
		else if (c >= 'a' && c <= 'f')
			lo = c - 'a' + 10;
		else
			return (-1);
		if (i % 2 == 0)
			hi = lo;
		else
			out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (0);
}

int
auditchain_verify(const struct audit_event *evs, const char *const *stored,
    size_t n, const unsigned char genesis[AUDITCHAIN_HASHBYTES],
    size_t *first_bad)
{
	unsigned char	prev[AUDITCHAIN_HASHBYTES], h[AUDITCHAIN_HASHBYTES];
	unsigned char	want[AUDITCHAIN_HASHBYTES];
	size_t		i;

	if (first_bad != NULL)
		*first_bad = 0;
	if (n > 0 && (evs == NULL || stored == NULL))
		return (0);
	memcpy(prev, genesis == NULL ? zero_genesis : genesis, sizeof(prev));
	for (i = 0; i < n; i++) {
		if (auditchain_fromhex(stored[i], want) == -1 ||
		    auditchain_hash(prev, &evs[i], h) == -1 ||
		    memcmp(h, want, sizeof(h)) != 0) {
			if (first_bad != NULL)
				*first_bad = i;
			return (0);
		}
		memcpy(prev, h, sizeof(prev));
	}
	if (first_bad != NULL)
		*first_bad = n;
	return (1);
}
