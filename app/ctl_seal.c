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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bundle.h"
#include "ctl.h"
#include "sign.h"

#define SEAL_LOCK	"4711022"	/* pg_advisory_lock key */
#define SEAL_FAILED_MAX	1024		/* contracts held back in one pass */

static const char *sql_pending =
    "SELECT id, contract_id, coalesce(number, '') FROM invoices"
    " WHERE bundle IS NULL AND status <> 'draft'"
    " ORDER BY vendor_id, seq, id";

static const char *sql_key =
    "SELECT retired_at IS NULL FROM marketplace_keys"
    " WHERE public_key = decode($1, 'base64')";

static const char *sql_mismatch =
    "SELECT mismatch FROM evidence_usage_mismatch($1::bigint) AS mismatch"
    " WHERE mismatch IS NOT NULL";

static const char *sql_input =
    "SELECT evidence_bundle_input($1::bigint)::text";

/* $1 id, $2 bundle, $3 hash hex, $4 signature b64, $5 prev hash hex. */
static const char *sql_store =
    "WITH s AS (UPDATE invoices SET bundle = $2::jsonb,"
    "  bundle_hash = decode($3, 'hex'), signature = decode($4, 'base64'),"
    "  prev_hash = decode($5, 'hex')"
    "  WHERE id = $1::bigint AND bundle IS NULL AND status <> 'draft'"
    "  RETURNING id, vendor_id, number),"
    " a AS (INSERT INTO audit_events (actor_id, org_id, action,"
    "  object_type, object_id, summary)"
    "  SELECT NULL, s.vendor_id, 'invoice_sealed', 'invoice', s.id::text,"
    "  jsonb_build_object('number', s.number, 'bundle_hash', $3::text,"
    "  'prev_hash', $5::text) FROM s)"
    " SELECT count(*) FROM s";

static int	 seal_one(PGconn *, FILE *, const char *,
		    const unsigned char *, const unsigned char *);
static char	*read_file(const char *, size_t *);
static const char *bv(const json_t *, const char *, const char *);
static int	 verify_links(json_t **, char **, int);

/*
 * Seals every issued invoice and credit note whose bundle IS NULL (see
 * the file comment), writing one line per invoice to log (may be NULL).
 * Returns 0 when none is left unsealed, -1 when the key or the database
 * failed or an invoice could not be sealed (the reason is logged).
 */
int
evidence_seal_pending(PGconn *db, FILE *log)
{
	PGresult	*res, *r;
	const char	*path, *params[1], *id, *contract;
	unsigned char	 sk[SIGN_SKBYTES], pk[SIGN_PKBYTES];
	char		 b64[SIGN_B64LEN(SIGN_PKBYTES)];
	char		*failed[SEAL_FAILED_MAX];
	size_t		 nfailed, k;
	int		 i, n, rc, sealed, bad;

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

	r = PQexec(db, "SELECT pg_advisory_lock(" SEAL_LOCK ")");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(log, "seal: lock: %s", PQerrorMessage(db));
		PQclear(r);
		sodium_memzero(sk, sizeof(sk));
		return (-1);
	}
	PQclear(r);

	rc = 0;
	sealed = 0;
	nfailed = 0;
	res = PQexec(db, sql_pending);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(log, "seal: %s", PQerrorMessage(db));
		rc = -1;
		n = 0;
	} else
		n = PQntuples(res);
	for (i = 0; i < n; i++) {
		id = PQgetvalue(res, i, 0);
		contract = PQgetvalue(res, i, 1);
		for (bad = 0, k = 0; k < nfailed; k++)
			if (strcmp(failed[k], contract) == 0)
				bad = 1;
		if (bad) {
			fprintf(log, "seal: invoice %s (%s) held back: an "
			    "earlier invoice of contract %s is not sealed\n",
			    id, PQgetvalue(res, i, 2), contract);
			rc = -1;
			continue;
		}
		switch (seal_one(db, log, id, sk, pk)) {
		case 1:
			sealed++;
			break;
		case 0:
			break;
		default:
			rc = -1;
			if (nfailed < SEAL_FAILED_MAX &&
			    (failed[nfailed] = strdup(contract)) != NULL)
				nfailed++;
			break;
		}
	}
	PQclear(res);
	for (k = 0; k < nfailed; k++)
		free(failed[k]);
	r = PQexec(db, "SELECT pg_advisory_unlock(" SEAL_LOCK ")");
	PQclear(r);
	sodium_memzero(sk, sizeof(sk));
	fprintf(log, "seal: %d sealed, %d pending before this run\n", sealed,
	    n);
	return (rc);
}

/*
 * Seals invoice id. Returns 1 when sealed, 0 when someone else sealed it
 * meanwhile, -1 when it cannot be sealed (logged).
 */
static int
seal_one(PGconn *db, FILE *log, const char *id, const unsigned char *sk,
    const unsigned char *pk)
{
	struct bundle_report	 rep;
	PGresult		*r;
	const char		*params[5];
	char			 hex[SIGN_HEXLEN(SIGN_HASHBYTES)];
	char			 sig64[SIGN_B64LEN(SIGN_SIGBYTES)], err[300];
	char			*canon;
	unsigned char		 hash[SIGN_HASHBYTES], sig[SIGN_SIGBYTES];
	json_t			*b, *doc;
	json_error_t		 jerr;
	size_t			 len;
	int			 rc;

	params[0] = id;
	r = PQexecParams(db, sql_mismatch, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(log, "seal: invoice %s: %s", id, PQerrorMessage(db));
		PQclear(r);
		return (-1);
	}
	if (PQntuples(r) > 0) {
		fprintf(log, "seal: invoice %s not sealed: usage totals "
		    "disagree: %s\n", id, PQgetvalue(r, 0, 0));
		PQclear(r);
		return (-1);
	}
	PQclear(r);

	r = PQexecParams(db, sql_input, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 ||
	    PQgetisnull(r, 0, 0)) {
		fprintf(log, "seal: invoice %s: no input: %s\n", id,
		    PQresultStatus(r) != PGRES_TUPLES_OK ? PQerrorMessage(db) :
		    "not an issued invoice");
		PQclear(r);
		return (-1);
	}
	b = json_loads(PQgetvalue(r, 0, 0), 0, &jerr);
	PQclear(r);
	if (b == NULL) {
		fprintf(log, "seal: invoice %s: %s\n", id, jerr.text);
		return (-1);
	}
	if (bundle_finish(b, pk, err, sizeof(err)) == -1) {
		fprintf(log, "seal: invoice %s not sealed: %s\n", id, err);
		json_decref(b);
		return (-1);
	}
	if (bundle_check(b, &rep) == -1) {
		fprintf(log, "seal: invoice %s not sealed: it does not follow "
		    "from its inputs: %s\n", id, rep.reason);
		json_decref(b);
		return (-1);
	}
	if ((doc = bundle_seal(b, sk, hash, sig)) == NULL ||
	    bundle_canonical(b, &canon, &len) == -1) {
		fprintf(log, "seal: invoice %s: no memory\n", id);
		json_decref(doc);
		json_decref(b);
		return (-1);
	}
	/* Never store what would not verify. */
	if (bundle_verify(doc, pk, &rep) == -1) {
		fprintf(log, "seal: invoice %s: sealed bundle does not verify: "
		    "%s\n", id, rep.reason);
		free(canon);
		json_decref(doc);
		json_decref(b);
		return (-1);
	}
	sign_tohex(hash, sizeof(hash), hex);
	sign_tob64(sig, sizeof(sig), sig64);
	params[1] = canon;
	params[2] = hex;
	params[3] = sig64;
	params[4] = json_string_value(json_object_get(b, "prev_hash"));
	r = PQexecParams(db, sql_store, 5, NULL, params, NULL, NULL, 0);
	free(canon);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(log, "seal: invoice %s: %s", id, PQerrorMessage(db));
		rc = -1;
	} else if (strcmp(PQgetvalue(r, 0, 0), "1") == 0) {
		fprintf(log, "seal: invoice %s %s sealed, hash %s\n", id,
		    json_string_value(json_object_get(json_object_get(b,
		    "invoice"), "number")), hex);
		rc = 1;
	} else
		rc = 0;
	PQclear(r);
	json_decref(doc);
	json_decref(b);
	return (rc);
}

/* gureumctl seal-invoices */
int
ctl_seal_invoices(PGconn *db)
{
	return (evidence_seal_pending(db, stdout) == 0 ? 0 : -1);
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
 * them (verify_links()). Exit 0 with one summary line per file, 1 with
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
