/*
 * gureumctl seal-invoices and verify-invoice: the marketplace's signature
 * on every issued invoice, and the offline check of one.
 *
 * An issued invoice must carry evidence a buyer or an auditor can check
 * without trusting the marketplace's database (docs/evidence.md).
 * Sealing runs here, as the owner, never in a web worker, because it
 * needs the marketplace's secret key ($GUREUM_SIGNING_KEY, a file the web
 * server never reads). For each issued invoice or credit note without a
 * bundle, in (vendor, seq) order, so that each contract's chain of
 * prev_hash links follows the numbering: one statement gathers the
 * inputs (evidence_bundle_input() in sql/0022_evidence.sql), bundle.c
 * completes them and re-rates them (an invoice the rating engine cannot
 * reproduce is never signed: it is reported and left unsealed, and so
 * are that contract's later invoices, so the chain has no hole), the
 * bundle is signed, and one UPDATE ... WHERE bundle IS NULL stores
 * bundle, hash, signature and prev_hash together with the audit event.
 * A session advisory lock keeps two sealers from interleaving; the WHERE
 * clause makes a second run, or a rerun after a crash, change nothing.
 *
 * verify-invoice reads an evidence file (as served by
 * /invoices/:id/evidence.json) and runs bundle_verify(): no database.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle.h"
#include "ctl.h"
#include "sign.h"

#define SEAL_LOCK	"4711022"	/* pg_advisory_lock key */
#define SEAL_CHUNK	500		/* invoices read and stored at once */
#define SEAL_CHUNK_S	"500"
#define SEAL_EVERY	60		/* seconds between passes (--follow) */

static volatile sig_atomic_t	seal_stop;
static int			seal_quiet;	/* --follow: idle passes say nothing */

/* Pending invoices after ($1 vendor, $2 seq), in sealing order. */
static const char *sql_pending =
    "SELECT i.id, i.contract_id, coalesce(i.number, ''), i.vendor_id, i.seq,"
    " evidence_bundle_input(i.id)::text"
    " FROM invoices i WHERE i.bundle IS NULL AND i.status <> 'draft'"
    " AND (i.vendor_id, i.seq) > ($1::bigint, $2::integer)"
    " ORDER BY i.vendor_id, i.seq LIMIT " SEAL_CHUNK_S;

static const char *sql_key =
    "SELECT retired_at IS NULL FROM marketplace_keys"
    " WHERE public_key = decode($1, 'base64')";

/*
 * A chunk's seals in one statement: $1 ids, $2 bundles, $3 hashes (hex),
 * $4 signatures (base64), $5 previous hashes (hex or NULL), each with
 * its audit event; answers the ids it sealed.
 */
static const char *sql_store =
    "WITH v AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[],"
    "  $4::text[], $5::text[]) AS v(id, bundle, hash, sig, prev)),"
    " s AS (UPDATE invoices i SET bundle = v.bundle::jsonb,"
    "  bundle_hash = decode(v.hash, 'hex'),"
    "  signature = decode(v.sig, 'base64'), prev_hash = decode(v.prev, 'hex')"
    "  FROM v WHERE i.id = v.id AND i.bundle IS NULL AND i.status <> 'draft'"
    "  RETURNING i.id, i.vendor_id, i.number, v.hash, v.prev),"
    " a AS (INSERT INTO audit_events (actor_id, org_id, action,"
    "  object_type, object_id, summary)"
    "  SELECT NULL, s.vendor_id, 'invoice_sealed', 'invoice', s.id::text,"
    "  jsonb_build_object('number', s.number, 'bundle_hash', s.hash,"
    "  'prev_hash', s.prev) FROM s)"
    " SELECT id FROM s ORDER BY id";

/* int64 -> hash (hex, or "" for "failed"), open addressing. */
struct hmap {
	int64_t		*keys;
	char		(*vals)[SIGN_HEXLEN(SIGN_HASHBYTES)];
	size_t		 cap;
	size_t		 n;
};

/* A growable PostgreSQL array literal. */
struct alit {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 n;
	int	 bad;
};

/* A chunk being sealed. */
struct chunk {
	struct alit	 ids, bundles, hashes, sigs, prevs;
	char		 numbers[SEAL_CHUNK][64];
	char		 idtext[SEAL_CHUNK][24];
	char		 hashtext[SEAL_CHUNK][SIGN_HEXLEN(SIGN_HASHBYTES)];
	size_t		 n;
};

static int	 seal_one(FILE *, const char *, const char *, const char *,
		    struct hmap *, struct hmap *, const unsigned char *,
		    const unsigned char *, struct chunk *);
static int	 store_chunk(PGconn *, FILE *, struct chunk *, int *);
static char	*read_file(const char *, size_t *);
static const char *bv(const json_t *, const char *, const char *);
static int	 verify_links(json_t **, char **, int);
static void	 seal_signal(int);
static int	 seal_wait(PGconn *);
static const char *hmap_get(const struct hmap *, int64_t);
static int	 hmap_put(struct hmap *, int64_t, const char *);
static void	 hmap_free(struct hmap *);
static void	 alit_add(struct alit *, const char *);
static const char *alit_done(struct alit *);
static void	 alit_free(struct alit *);

static const char *
hmap_get(const struct hmap *m, int64_t k)
{
	size_t	i;

	if (m->cap == 0)
		return (NULL);
	for (i = (size_t)(k * 0x9E3779B97F4A7C15ULL) & (m->cap - 1);
	    m->keys[i] != 0; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == k)
			return (m->vals[i]);
	return (NULL);
}

/* Keys are positive ids (0 marks a free slot). Returns 0, -1 (memory). */
static int
hmap_put(struct hmap *m, int64_t k, const char *v)
{
	struct hmap	 g;
	size_t		 i;

	if ((m->n + 1) * 2 > m->cap) {
		memset(&g, 0, sizeof(g));
		g.cap = m->cap > 0 ? m->cap * 2 : 1024;
		if ((g.keys = calloc(g.cap, sizeof(*g.keys))) == NULL ||
		    (g.vals = calloc(g.cap, sizeof(*g.vals))) == NULL) {
			free(g.keys);
			return (-1);
		}
		for (i = 0; i < m->cap; i++)
			if (m->keys[i] != 0)
				(void)hmap_put(&g, m->keys[i], m->vals[i]);
		hmap_free(m);
		*m = g;
	}
	for (i = (size_t)(k * 0x9E3779B97F4A7C15ULL) & (m->cap - 1);
	    m->keys[i] != 0 && m->keys[i] != k; i = (i + 1) & (m->cap - 1))
		;
	if (m->keys[i] == 0)
		m->n++;
	m->keys[i] = k;
	(void)snprintf(m->vals[i], sizeof(m->vals[i]), "%s", v);
	return (0);
}

static void
hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* Appends an element (NULL: SQL NULL), quoted and escaped. */
static void
alit_add(struct alit *a, const char *s)
{
	size_t	 need, cap;
	char	*p;

	need = (s != NULL ? strlen(s) * 2 : 4) + 4;
	if (a->bad)
		return;
	if (a->len + need + 2 > a->cap) {
		cap = a->cap > 0 ? a->cap : 4096;
		while (cap < a->len + need + 2)
			cap *= 2;
		if ((p = realloc(a->p, cap)) == NULL) {
			a->bad = 1;
			return;
		}
		a->p = p;
		a->cap = cap;
	}
	a->p[a->len++] = a->n++ == 0 ? '{' : ',';
	if (s == NULL) {
		memcpy(a->p + a->len, "NULL", 4);
		a->len += 4;
		return;
	}
	a->p[a->len++] = '"';
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			a->p[a->len++] = '\\';
		a->p[a->len++] = *s;
	}
	a->p[a->len++] = '"';
}

/* The literal, closed (NULL if memory ran out). */
static const char *
alit_done(struct alit *a)
{
	if (a->n == 0)
		alit_add(a, "");
	if (a->bad || a->p == NULL)
		return (NULL);
	a->p[a->len] = '}';
	a->p[a->len + 1] = '\0';
	return (a->p);
}

static void
alit_free(struct alit *a)
{
	free(a->p);
	memset(a, 0, sizeof(*a));
}

/*
 * Seals every issued invoice and credit note whose bundle IS NULL (see
 * the file comment), writing one line per invoice to log (may be NULL).
 * Returns 0 when none is left unsealed, -1 when the key or the database
 * failed or an invoice could not be sealed (the reason is logged).
 */
int
evidence_seal_pending(PGconn *db, FILE *log)
{
	struct hmap	 last, sealed_ids;
	struct chunk	*ck;
	PGresult	*res, *r;
	const char	*path, *params[2];
	unsigned char	 sk[SIGN_SKBYTES], pk[SIGN_PKBYTES];
	char		 b64[SIGN_B64LEN(SIGN_PKBYTES)], vendor[24], seq[24];
	int		 i, n, rc, sealed, seen, stored;

	if (log == NULL)
		log = stderr;
	if (sodium_init() == -1) {
		fprintf(log, "seal: sodium_init failed\n");
		return (-1);
	}
	if ((path = getenv("GUREUM_SIGNING_KEY")) == NULL || *path == '\0') {
		fprintf(log, "seal: GUREUM_SIGNING_KEY is not set\n");
		return (-1);
	}
	if (sign_key_load(path, sk, pk) == -1) {
		fprintf(log, "seal: key %s: %s\n", path, strerror(errno));
		return (-1);
	}
	sign_tob64(pk, SIGN_PKBYTES, b64);
	params[0] = b64;
	r = PQexecParams(db, sql_key, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 ||
	    strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
		fprintf(log, "seal: the key in %s (%s) is not a current "
		    "marketplace key (marketplace_keys)%s%s\n", path, b64,
		    PQresultStatus(r) != PGRES_TUPLES_OK ? ": " : "",
		    PQresultStatus(r) != PGRES_TUPLES_OK ?
		    PQerrorMessage(db) : "");
		PQclear(r);
		sodium_memzero(sk, sizeof(sk));
		return (-1);
	}
	PQclear(r);
	if ((ck = calloc(1, sizeof(*ck))) == NULL) {
		sodium_memzero(sk, sizeof(sk));
		return (-1);
	}
	r = PQexec(db, "SELECT pg_advisory_lock(" SEAL_LOCK ")");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(log, "seal: lock: %s", PQerrorMessage(db));
		PQclear(r);
		free(ck);
		sodium_memzero(sk, sizeof(sk));
		return (-1);
	}
	PQclear(r);

	/* The contracts' last hashes in this pass ("" once one failed). */
	memset(&last, 0, sizeof(last));
	memset(&sealed_ids, 0, sizeof(sealed_ids));
	rc = 0;
	sealed = seen = 0;
	(void)snprintf(vendor, sizeof(vendor), "0");
	(void)snprintf(seq, sizeof(seq), "0");
	for (;;) {
		params[0] = vendor;
		params[1] = seq;
		res = PQexecParams(db, sql_pending, 2, NULL, params, NULL,
		    NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(log, "seal: %s", PQerrorMessage(db));
			PQclear(res);
			rc = -1;
			break;
		}
		n = PQntuples(res);
		seen += n;
		memset(ck, 0, sizeof(*ck));
		for (i = 0; i < n; i++) {
			if (seal_one(log, PQgetvalue(res, i, 0), PQgetvalue(res,
			    i, 1), PQgetvalue(res, i, 5), &last, &sealed_ids,
			    sk, pk, ck) == -1)
				rc = -1;
		}
		if (n > 0) {
			(void)snprintf(vendor, sizeof(vendor), "%s",
			    PQgetvalue(res, n - 1, 3));
			(void)snprintf(seq, sizeof(seq), "%s",
			    PQgetvalue(res, n - 1, 4));
		}
		PQclear(res);
		if (ck->n > 0) {
			if (store_chunk(db, log, ck, &stored) == -1) {
				rc = -1;
				break;
			}
			sealed += stored;
		}
		alit_free(&ck->ids);
		alit_free(&ck->bundles);
		alit_free(&ck->hashes);
		alit_free(&ck->sigs);
		alit_free(&ck->prevs);
		if (n < SEAL_CHUNK)
			break;
	}
	alit_free(&ck->ids);
	alit_free(&ck->bundles);
	alit_free(&ck->hashes);
	alit_free(&ck->sigs);
	alit_free(&ck->prevs);
	free(ck);
	hmap_free(&last);
	hmap_free(&sealed_ids);
	r = PQexec(db, "SELECT pg_advisory_unlock(" SEAL_LOCK ")");
	PQclear(r);
	sodium_memzero(sk, sizeof(sk));
	if (!seal_quiet || seen > 0)
		fprintf(log, "seal: %d sealed, %d pending before this run\n",
		    sealed, seen);
	return (rc);
}

/*
 * Prepares the seal of invoice id (contract, assembled input) into the
 * chunk. Its prev_hash is the last hash this pass gave its contract, if
 * any (the database cannot know it yet), and a credit note's corrected
 * hash likewise. Returns 0 (added), -1 when it cannot be sealed (logged;
 * the contract's later invoices are then held back).
 */
static int
seal_one(FILE *log, const char *id, const char *contract, const char *input,
    struct hmap *last, struct hmap *sealed_ids, const unsigned char *sk,
    const unsigned char *pk, struct chunk *ck)
{
	struct bundle_report	 rep;
	const char		*prev, *v;
	char			 sig64[SIGN_B64LEN(SIGN_SIGBYTES)], err[600];
	char			*canon;
	unsigned char		 hash[SIGN_HASHBYTES], sig[SIGN_SIGBYTES];
	json_t			*b, *doc, *corr;
	json_error_t		 jerr;
	int64_t			 cid, iid;
	size_t			 len;

	cid = strtoll(contract, NULL, 10);
	iid = strtoll(id, NULL, 10);
	if ((prev = hmap_get(last, cid)) != NULL && prev[0] == '\0') {
		fprintf(log, "seal: invoice %s held back: an earlier invoice "
		    "of contract %s is not sealed\n", id, contract);
		return (-1);
	}
	b = json_loads(input, 0, &jerr);
	if (b == NULL) {
		fprintf(log, "seal: invoice %s: %s\n", id, jerr.text);
		goto failed;
	}
	if (bundle_take_checks(b, err, sizeof(err)) == -1) {
		fprintf(log, "seal: invoice %s not sealed: %s\n", id, err);
		goto failed;
	}
	if (prev != NULL)
		json_object_set_new(b, "prev_hash", json_string(prev));
	corr = json_object_get(b, "corrects");
	if (json_is_object(corr) && (v = hmap_get(sealed_ids, strtoll(
	    json_string_value(json_object_get(corr, "id")) ?
	    json_string_value(json_object_get(corr, "id")) : "0", NULL,
	    10))) != NULL)
		json_object_set_new(corr, "bundle_hash", json_string(v));
	if (bundle_finish(b, pk, err, sizeof(err)) == -1) {
		fprintf(log, "seal: invoice %s not sealed: %s\n", id, err);
		goto failed;
	}
	if (bundle_check(b, &rep) == -1) {
		fprintf(log, "seal: invoice %s not sealed: it does not follow "
		    "from its inputs: %s\n", id, rep.reason);
		goto failed;
	}
	if ((doc = bundle_seal(b, sk, hash, sig)) == NULL ||
	    bundle_canonical(b, &canon, &len) == -1) {
		fprintf(log, "seal: invoice %s: no memory\n", id);
		json_decref(doc);
		goto failed;
	}
	/* Never store what would not verify. */
	if (bundle_verify(doc, pk, &rep) == -1) {
		fprintf(log, "seal: invoice %s: sealed bundle does not verify: "
		    "%s\n", id, rep.reason);
		free(canon);
		json_decref(doc);
		goto failed;
	}
	sign_tohex(hash, sizeof(hash), ck->hashtext[ck->n]);
	sign_tob64(sig, sizeof(sig), sig64);
	(void)snprintf(ck->idtext[ck->n], sizeof(ck->idtext[ck->n]), "%s", id);
	(void)snprintf(ck->numbers[ck->n], sizeof(ck->numbers[ck->n]), "%s",
	    json_string_value(json_object_get(json_object_get(b, "invoice"),
	    "number")));
	alit_add(&ck->ids, id);
	alit_add(&ck->bundles, canon);
	alit_add(&ck->hashes, ck->hashtext[ck->n]);
	alit_add(&ck->sigs, sig64);
	alit_add(&ck->prevs, json_string_value(json_object_get(b,
	    "prev_hash")));
	free(canon);
	if (hmap_put(last, cid, ck->hashtext[ck->n]) == -1 ||
	    hmap_put(sealed_ids, iid, ck->hashtext[ck->n]) == -1) {
		json_decref(doc);
		json_decref(b);
		return (-1);
	}
	ck->n++;
	json_decref(doc);
	json_decref(b);
	return (0);
failed:
	json_decref(b);
	(void)hmap_put(last, cid, "");
	return (-1);
}

/* Stores a chunk's seals; *stored says how many. -1 on a database error. */
static int
store_chunk(PGconn *db, FILE *log, struct chunk *ck, int *stored)
{
	PGresult	*r;
	const char	*params[5];
	size_t		 i;
	int		 j, n;

	*stored = 0;
	params[0] = alit_done(&ck->ids);
	params[1] = alit_done(&ck->bundles);
	params[2] = alit_done(&ck->hashes);
	params[3] = alit_done(&ck->sigs);
	params[4] = alit_done(&ck->prevs);
	for (i = 0; i < 5; i++) {
		if (params[i] == NULL) {
			fprintf(log, "seal: no memory\n");
			return (-1);
		}
	}
	r = PQexecParams(db, sql_store, 5, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(log, "seal: storing %zu seals: %s", ck->n,
		    PQerrorMessage(db));
		PQclear(r);
		return (-1);
	}
	n = PQntuples(r);
	for (i = 0; i < ck->n; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(PQgetvalue(r, j, 0), ck->idtext[i]) == 0)
				break;
		if (j < n)
			fprintf(log, "seal: invoice %s %s sealed, hash %s\n",
			    ck->idtext[i], ck->numbers[i], ck->hashtext[i]);
		else
			fprintf(log, "seal: invoice %s was sealed meanwhile\n",
			    ck->idtext[i]);
	}
	*stored = n;
	PQclear(r);
	return (0);
}

static void
seal_signal(int sig)
{
	(void)sig;
	seal_stop = 1;
}

/*
 * Waits up to SEAL_EVERY seconds for a NOTIFY invoice_issued (or a
 * signal), then drains the notifications. Returns 0, or -1 if the
 * connection failed.
 */
static int
seal_wait(PGconn *db)
{
	struct pollfd	 pfd;
	PGnotify	*n;
	int		 i, got;

	for (i = got = 0; i < SEAL_EVERY && !got && !seal_stop; i++) {
		if ((pfd.fd = PQsocket(db)) == -1)
			return (-1);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) == -1 && errno != EINTR)
			return (-1);
		if (!PQconsumeInput(db))
			return (-1);
		while ((n = PQnotifies(db)) != NULL) {
			got = 1;
			PQfreemem(n);
		}
	}
	return (0);
}

/*
 * gureumctl seal-invoices [--follow]: one pass, or (follow) a pass at
 * start, on every NOTIFY invoice_issued (the trigger in 0022 sends one
 * when an invoice or credit note leaves draft) and at least every
 * SEAL_EVERY seconds, until SIGTERM or SIGINT, surviving a lost
 * connection. Returns 0, or -1 when a single pass left an invoice
 * unsealed.
 */
int
ctl_seal_invoices(PGconn *db, int follow)
{
	struct sigaction	 sa;
	PGresult		*r;

	if (!follow)
		return (evidence_seal_pending(db, stdout) == 0 ? 0 : -1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = seal_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1)
		return (-1);
	seal_quiet = 1;
	printf("seal: following (pid %ld)\n", (long)getpid());
	fflush(stdout);
	while (!seal_stop) {
		if (PQstatus(db) != CONNECTION_OK) {
			sleep(1);
			PQreset(db);
			continue;
		}
		r = PQexec(db, "LISTEN invoice_issued");
		PQclear(r);
		(void)evidence_seal_pending(db, stdout);
		fflush(stdout);
		(void)seal_wait(db);
	}
	printf("seal: stopped\n");
	fflush(stdout);
	return (0);
}

/* The whole of a file, NUL-terminated; NULL (errno set) on failure. */
static char *
read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf, *p;
	size_t	 cap, n;

	if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	cap = 65536;
	n = 0;
	if ((buf = malloc(cap)) == NULL) {
		fclose(f);
		return (NULL);
	}
	for (;;) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (ferror(f)) {
			free(buf);
			fclose(f);
			return (NULL);
		}
		if (feof(f))
			break;
		if (cap >= (64u << 20)) {
			free(buf);
			fclose(f);
			errno = EFBIG;
			return (NULL);
		}
		if ((p = realloc(buf, cap * 2)) == NULL) {
			free(buf);
			fclose(f);
			return (NULL);
		}
		buf = p;
		cap *= 2;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return (buf);
}

/* A string member of a member of the bundle in doc ("" if absent). */
static const char *
bv(const json_t *doc, const char *section, const char *key)
{
	const char	*v;
	json_t		*b;

	b = json_object_get(doc, "bundle");
	if (section != NULL)
		b = json_object_get(b, section);
	v = json_string_value(json_object_get(b, key));
	return (v != NULL ? v : "");
}

/*
 * The links between several verified files: for each contract, files
 * in seq order must follow each other (prev_hash is the previous file's
 * hash, so the files given must be consecutive for their contract), and a
 * credit note must name the hash, number and total of the invoice it
 * corrects when that invoice's file is among them. Returns 0 or -1 after
 * printing the first broken link.
 */
static int
verify_links(json_t **docs, char **names, int n)
{
	const json_t	*a, *b, *t;
	int		 i, j, prev;
	long long	 sa, sb, best;

	for (i = 0; i < n; i++) {
		a = docs[i];
		/* One invoice, one bundle. */
		for (j = 0; j < i; j++) {
			if (strcmp(bv(a, "invoice", "id"), bv(docs[j],
			    "invoice", "id")) == 0 && strcmp(
			    json_string_value(json_object_get(a, "hash")),
			    json_string_value(json_object_get(docs[j],
			    "hash"))) != 0) {
				fprintf(stderr, "INVALID: %s: invoice %s has "
				    "another signed bundle in %s: two versions "
				    "of one invoice\n", names[i], bv(a, "invoice",
				    "id"), names[j]);
				return (-1);
			}
		}
		/* The file of the same contract just before this one. */
		prev = -1;
		best = -1;
		sa = atoll(bv(a, "invoice", "seq"));
		for (j = 0; j < n; j++) {
			b = docs[j];
			sb = atoll(bv(b, "invoice", "seq"));
			if (j == i || strcmp(bv(a, "contract", "id"),
			    bv(b, "contract", "id")) != 0 || sb >= sa)
				continue;
			if (sb > best) {
				best = sb;
				prev = j;
			}
		}
		if (prev != -1) {
			t = json_object_get(json_object_get(a, "bundle"),
			    "prev_hash");
			if (!json_is_string(t) || strcmp(json_string_value(t),
			    json_string_value(json_object_get(docs[prev],
			    "hash"))) != 0) {
				fprintf(stderr, "INVALID: %s: prev_hash: not the "
				    "hash of %s, the contract's previous invoice "
				    "among the files (expected %s, found %s): a "
				    "link is missing or was changed\n", names[i],
				    names[prev], json_string_value(json_object_get(
				    docs[prev], "hash")), json_is_string(t) ?
				    json_string_value(t) : "null");
				return (-1);
			}
		}
		if (strcmp(bv(a, "invoice", "kind"), "credit_note") != 0)
			continue;
		for (j = 0; j < n; j++) {
			b = docs[j];
			if (strcmp(bv(b, "invoice", "id"), bv(a, "corrects",
			    "id")) != 0)
				continue;
			if (strcmp(bv(a, "corrects", "bundle_hash"),
			    json_string_value(json_object_get(b, "hash"))) != 0 ||
			    strcmp(bv(a, "corrects", "number"), bv(b, "invoice",
			    "number")) != 0 || strcmp(bv(a, "corrects",
			    "total_won"), bv(b, "totals", "total_won")) != 0) {
				fprintf(stderr, "INVALID: %s: corrects: not the "
				    "hash, number and total of %s (expected %s, "
				    "%s, %s; found %s, %s, %s)\n", names[i],
				    names[j], json_string_value(json_object_get(b,
				    "hash")), bv(b, "invoice", "number"),
				    bv(b, "totals", "total_won"),
				    bv(a, "corrects", "bundle_hash"),
				    bv(a, "corrects", "number"),
				    bv(a, "corrects", "total_won"));
				return (-1);
			}
		}
	}
	return (0);
}

/*
 * gureumctl verify-invoice FILE... [--key PUBKEY_B64]: verifies each
 * evidence file (bundle_verify()), then, given several, the links between
 * them (verify_links(): order, corrections, one bundle per invoice). Exit 0 with one summary line per file, 1 with
 * the first failure, 2 on a usage error. No database.
 */
int
ctl_verify_invoice(int argc, char *argv[])
{
	struct bundle_report	 rep;
	const char		*key;
	unsigned char		 pin[SIGN_PKBYTES];
	char			*text, **names;
	json_t			**docs;
	json_error_t		 jerr;
	size_t			 len;
	int			 i, n, rc;

	key = NULL;
	if ((names = calloc(argc > 0 ? argc : 1, sizeof(*names))) == NULL ||
	    (docs = calloc(argc > 0 ? argc : 1, sizeof(*docs))) == NULL) {
		free(names);
		return (1);
	}
	for (i = n = 0; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc && key == NULL)
			key = argv[++i];
		else if (argv[i][0] != '-')
			names[n++] = argv[i];
		else {
			n = 0;		/* an unknown option: usage */
			break;
		}
	}
	rc = 2;
	if (n <= 0)
		goto out;
	rc = 1;
	if (sodium_init() == -1) {
		fprintf(stderr, "verify-invoice: sodium_init failed\n");
		goto out;
	}
	if (key != NULL && sign_fromb64(key, pin, sizeof(pin)) == -1) {
		fprintf(stderr, "verify-invoice: --key: not an Ed25519 public "
		    "key in base64 (44 characters)\n");
		rc = 2;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((text = read_file(names[i], &len)) == NULL) {
			fprintf(stderr, "verify-invoice: %s: %s\n", names[i],
			    strerror(errno));
			goto out;
		}
		docs[i] = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
		free(text);
		if (docs[i] == NULL) {
			fprintf(stderr, "INVALID: %s: not JSON (line %d: %s)\n",
			    names[i], jerr.line, jerr.text);
			goto out;
		}
		if (bundle_verify(docs[i], key != NULL ? pin : NULL, &rep) ==
		    -1) {
			fprintf(stderr, "INVALID: %s: %s\n", names[i],
			    rep.reason);
			goto out;
		}
		printf("OK: %s: %s\n", names[i], rep.reason);
	}
	if (n > 1) {
		if (verify_links(docs, names, n) == -1)
			goto out;
		printf("OK: %d files: every contract's files are linked in "
		    "order by prev_hash, and every credit note names the "
		    "invoice it corrects\n", n);
	}
	rc = 0;
out:
	for (i = 0; i < argc; i++)
		json_decref(docs[i]);
	free(docs);
	free(names);
	return (rc);
}
