/*
 * auditchain.h - the hash chain over the append-only audit log.
 *
 * Every state change in Gureum writes one audit event, and each event's
 * row stores h_n = BLAKE2b-256(h_{n-1} || canonical(event_n)), with h_0
 * (the genesis) 32 zero bytes.  Changing, deleting, inserting or
 * reordering a row then breaks the chain at that row, and a command walks
 * the log and names the first broken link.  What the chain cannot see:
 * rows cut off the end, and a chain rewritten from the altered row
 * onwards by someone with write access (there is no key).  Both are
 * caught only by comparing the newest hash with a copy kept elsewhere
 * (an operator's notebook, a second system, a periodic e-mail), which is
 * why the verifier reports the head.
 *
 * The canonical serialisation is length-prefixed so no two events share
 * one (see auditchain_canonical()).  Strings are hashed as the bytes
 * given: the writer and the verifier must produce `at` and `summary` the
 * same way (format `at` explicitly as UTC, and hash the summary text as
 * the database gives it back, not as first built).  Pure C, libsodium
 * only; no database types.
 */

#ifndef AUDITCHAIN_H
#define AUDITCHAIN_H

#include <stddef.h>
#include <stdint.h>

#define AUDITCHAIN_HASHBYTES	32
#define AUDITCHAIN_HEXLEN	64
#define AUDITCHAIN_HEXBUFSZ	(AUDITCHAIN_HEXLEN + 1)

/* The version label that opens every canonical form. */
#define AUDITCHAIN_LABEL	"gureum.audit.v1"

/*
 * One audit event as stored.  The strings are borrowed; any of them may
 * be NULL (SQL NULL), which is hashed differently from "".
 */
struct audit_event {
	int64_t		 id;
	const char	*at;		/* RFC 3339 UTC, as stored */
	int64_t		 actor_id;	/* 0 = none or the system */
	int64_t		 org_id;	/* 0 = none */
	const char	*action;
	const char	*object_type;
	const char	*object_id;
	const char	*summary;	/* JSON text, as stored */
	const char	*request_id;
	const char	*client_addr;
};

/*
 * Writes the canonical form of ev to buf (buflen bytes, owned by the
 * caller; may be NULL when buflen is 0), truncated if it does not fit and
 * NUL-terminated when buflen > 0, and returns its full length without the
 * NUL, like snprintf(); call it once with 0 to size the buffer.  Returns 0
 * if ev is NULL (a real canonical form is never empty).
 *
 * The form is eleven fields, each either "-" for NULL or
 * "<decimal byte length>:<bytes>", back to back with no separators:
 * the label AUDITCHAIN_LABEL, id, at, actor_id, org_id, action,
 * object_type, object_id, summary, request_id, client_addr.  Integers are
 * written in decimal ("-" sign, no leading zeros) and then length-prefixed
 * like strings.  A reader can split it without lookahead, so it is
 * injective.  Example: { 7, "2024-05-01T09:00:00Z", 12, 0, "login", NULL,
 * "", NULL, NULL, "10.0.0.1" } is
 *   15:gureum.audit.v11:720:2024-05-01T09:00:00Z2:121:05:login-0:--8:10.0.0.1
 * (object_type, summary and request_id NULL, object_id empty).
 */
size_t		 auditchain_canonical(const struct audit_event *ev, char *buf,
		    size_t buflen);

/*
 * Computes out = BLAKE2b-256(prev || canonical(ev)).  prev is the previous
 * event's hash, or NULL for the genesis (32 zero bytes).  Returns 0, or
 * -1 if ev or out is NULL.
 */
int		 auditchain_hash(const unsigned char prev[AUDITCHAIN_HASHBYTES],
		    const struct audit_event *ev,
		    unsigned char out[AUDITCHAIN_HASHBYTES]);

/*
 * The same with the hashes in lowercase hex, as the database stores them:
 * prev_hex is the previous row's hash or NULL for the genesis.  Returns 0,
 * or -1 if ev or out is NULL or prev_hex is not valid.
 */
int		 auditchain_hash_hex(const char *prev_hex,
		    const struct audit_event *ev,
		    char out[AUDITCHAIN_HEXBUFSZ]);

/* Writes h as 64 lowercase hex digits and a NUL to out. */
void		 auditchain_tohex(const unsigned char h[AUDITCHAIN_HASHBYTES],
		    char out[AUDITCHAIN_HEXBUFSZ]);

/*
 * Decodes exactly 64 lowercase hex digits (the only spelling the writer
 * makes) into out.  Returns 0, or -1 for NULL, another length, upper case
 * or any other character; out is then unspecified.
 */
int		 auditchain_fromhex(const char *hex,
		    unsigned char out[AUDITCHAIN_HASHBYTES]);

/*
 * Checks n events in log order against their stored hashes (hex strings,
 * borrowed), starting from genesis (NULL for 32 zero bytes; a verified
 * row's hash to check the log in batches).  Returns 1 if every link
 * holds, with *first_bad set to n; otherwise 0 with *first_bad set to the
 * index of the first event whose stored hash is missing, malformed or
 * not the hash of the previous link and the event.  first_bad may be
 * NULL.  With n == 0 it returns 1.  Returns 0 with *first_bad 0 if evs or
 * stored is NULL and n > 0.
 *
 * Where a tampering shows: a changed field, at that event; a deleted
 * event, at the index it had (now held by its successor); two events
 * swapped, at the earlier; an event inserted with a correct hash, at the
 * one after it; events cut off the end, nowhere.
 */
int		 auditchain_verify(const struct audit_event *evs,
		    const char *const *stored, size_t n,
		    const unsigned char genesis[AUDITCHAIN_HASHBYTES],
		    size_t *first_bad);

#endif
