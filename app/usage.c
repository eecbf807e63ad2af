/*
 * Usage ingestion: vendors' signing keys, signed usage batches over the
 * API, CSV uploads, monthly availability, and the pages that show what
 * was received (docs/metering.md is the protocol; this is how it is
 * enforced).
 *
 * A batch is refused whole, with nothing stored, when it is not signed
 * by an unrevoked key of the calling vendor over its exact bytes, is not
 * JSON of the documented shape, holds no record or more than 1,000, or is
 * larger than 1 MiB. Otherwise every record gets its own result, and the
 * batch is stored with its accepted records in one statement before the
 * answer is sent, so an acknowledged record is durable.
 *
 * The chain head of a contract must be read before the next link can be
 * computed (BLAKE2b lives here, not in PostgreSQL), and a statement
 * cannot span two async calls. So a batch is taken in two statements: a
 * read of every fact the checks need (the contracts named, records
 * already stored under the same ids, each contract's chain head, a batch
 * id and the server time), the decisions and the marketplace-signed
 * receipt made here, then usage_commit() (sql/0020_usage.sql), which
 * inserts the batch, the records and the chain links plainly. If another
 * batch took the same record id or the same next link in between, the
 * commit fails with a unique violation and the whole batch is decided
 * again from a fresh read (compare-and-swap, bounded retries). Nothing is
 * ever stored from a failed attempt, and a link is never lost or forked.
 *
 * The signed API route reads its own body (route api = 2, see web.c): the
 * signature covers the exact bytes, which the request plumbing would
 * otherwise parse and throw away.
 */

#include <errno.h>
#include <sodium.h>

#include "gureum.h"
#include "i18n.h"
#include "money.h"
#include "sign.h"
#include "usagerec.h"

#define BODY_MAX	(1024 * 1024)	/* bytes of a signed batch */
#define CSV_MAX		(1024 * 1024)	/* bytes of a CSV upload */
#define RECORDS_MAX	1000
#define COMMIT_TRIES	20
#define KEY_NAME_MAX	100
#define KST		"'Asia/Seoul'"
#define SEOUL(c)	"to_char(" c " AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"

/* The marketplace key, read once in the parent (usage_init). */
static unsigned char	mk_sk[SIGN_SKBYTES];
static unsigned char	mk_pk[SIGN_PKBYTES];
static char		mk_b64[SIGN_B64LEN(SIGN_PKBYTES)];
static int		mk_loaded;

enum usage_sql {
	SQL_SIGNING_KEY,
	SQL_PREPARE,
	SQL_COMMIT,
	SQL_MKEYS,
	SQL_KEYS,
	SQL_KEY_REGISTER,
	SQL_KEY_REVOKE,
	SQL_AVAILABILITY,
	SQL_BATCHES,
	SQL_TOTALS,
	SQL_VENDOR_FACTS,
	SQL_BATCH,
	SQL_CONTRACT,
	SQL_CONTRACT_MONTHS,
	SQL_CONTRACT_DAYS,
	SQL_CONTRACT_CHAIN,
	SQL__MAX
};

static const char *const usage_sql[SQL__MAX] = {
	/* SQL_SIGNING_KEY: $1 key_id, $2 vendor. */
	"SELECT id, encode(public_key, 'hex') AS public_key,"
	" revoked_at IS NOT NULL AS revoked FROM usage_signing_keys"
	" WHERE key_id = $1 AND org_id = $2::bigint",

	/*
	 * SQL_PREPARE: $1 vendor, $2 contract ids, $3 record ids. Records
	 * already stored are looked up one id at a time (a lateral join on
	 * the primary key): with statistics lagging a fast-growing table,
	 * "record_id = ANY(...)" was planned as a scan of the vendor's rows.
	 */
	"WITH e AS (SELECT x.id, r.payload_hash, r.batch_id"
	" FROM unnest($3::text[]) AS x(id) CROSS JOIN LATERAL (SELECT"
	"  u.payload_hash, u.batch_id FROM usage_records u"
	"  WHERE u.vendor_id = $1::bigint AND u.record_id = x.id) r)"
	" SELECT nextval('usage_batches_id_seq') AS batch_id,"
	" (extract(epoch FROM now()) * 1000000)::bigint AS now_us,"
	" coalesce((SELECT json_object_agg(c.id::text, json_build_object("
	"  'mine', c.vendor_id = $1::bigint, 'status', c.status,"
	"  'from_us', (extract(epoch FROM c.start_date::timestamp AT TIME ZONE "
	KST ") * 1000000)::bigint,"
	"  'to_us', (extract(epoch FROM (c.end_date + 1)::timestamp AT TIME ZONE "
	KST ") * 1000000)::bigint,"
	"  'tags', to_json(c.tags),"
	"  'dims', coalesce((SELECT json_object_agg(d->>'code',"
	"   d->>'aggregation') FROM jsonb_array_elements(CASE jsonb_typeof("
	"   c.rate_plan->'dimensions') WHEN 'array' THEN"
	"   c.rate_plan->'dimensions' ELSE '[]' END) d), '{}'::json),"
	"  'seq', h.seq, 'head', encode(h.head, 'hex')))"
	"  FROM contracts c LEFT JOIN LATERAL (SELECT u.seq, u.head"
	"  FROM usage_chain u WHERE u.contract_id = c.id"
	"  ORDER BY u.seq DESC LIMIT 1) h ON true"
	"  WHERE c.id = ANY($2::bigint[])), '{}'::json) AS contracts,"
	" coalesce((SELECT json_object_agg(e.id, json_build_array("
	"  encode(e.payload_hash, 'hex'), e.batch_id)) FROM e), '{}'::json)"
	"  AS existing,"
	" coalesce((SELECT json_object_agg(b.id::text, b.receipt)"
	"  FROM usage_batches b WHERE b.id IN (SELECT e.batch_id FROM e)),"
	"  '{}'::json) AS receipts",

	/* SQL_COMMIT: see usage_commit() in sql/0020_usage.sql. */
	"SELECT usage_commit($1::bigint, $2::bigint, $3, $4::bigint,"
	" $5::bigint, $6::bigint, $7, $8, $9, $10::integer, $11::timestamptz,"
	" $12::jsonb, $13::text[], $14::bigint[], $15::text[], $16::bigint[],"
	" $17::timestamptz[], $18::date[], $19::text[], $20::text[],"
	" $21::text[], $22::bigint[], $23::bigint[], $24::text[], $25, $26)"
	" AS outcome",

	/* SQL_MKEYS */
	"SELECT id, encode(public_key, 'base64') AS public_key,"
	" encode(public_key, 'hex') AS public_key_hex,"
	" to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	" AS created_at, to_char(retired_at AT TIME ZONE 'UTC',"
	" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS retired_at,"
	" retired_at IS NULL AS current FROM marketplace_keys ORDER BY id",

	/* SQL_KEYS: $1 vendor. */
	"SELECT k.id, k.key_id, k.name, encode(k.public_key, 'base64')"
	" AS public_key, " SEOUL("k.created_at") " AS created_at,"
	" cu.name AS created_by, " SEOUL("k.revoked_at") " AS revoked_at,"
	" ru.name AS revoked_by, k.revoked_at IS NOT NULL AS revoked,"
	" (SELECT " SEOUL("max(b.received_at)") " FROM usage_batches b"
	"  WHERE b.signing_key_id = k.id) AS last_used_at"
	" FROM usage_signing_keys k JOIN users cu ON cu.id = k.created_by"
	" LEFT JOIN users ru ON ru.id = k.revoked_by"
	" WHERE k.org_id = $1::bigint ORDER BY k.revoked_at IS NOT NULL, k.id DESC",

	/* SQL_KEY_REGISTER: $1 org, $2 user, $3 name, $4 key_id, $5 hex,
	 * $6 rid, $7 addr. */
	"SELECT * FROM usage_key_register($1::bigint, $2::bigint, $3, $4,"
	" decode($5, 'hex'), $6, $7)",

	/* SQL_KEY_REVOKE: $1 id, $2 org, $3 user, $4 rid, $5 addr. */
	"SELECT usage_key_revoke($1::bigint, $2::bigint, $3::bigint, $4, $5)"
	" AS outcome",

	/* SQL_AVAILABILITY: usage_availability_report() in 0020. */
	"SELECT usage_availability_report($1::bigint, $2::bigint, $3::date,"
	" $4::bigint, $5::bigint, $6::bigint, $7::bigint, $8, $9, $10, $11)"
	" AS outcome",

	/* SQL_BATCHES: $1 vendor. */
	"SELECT b.id, b.source, " SEOUL("b.received_at") " AS received_at,"
	" b.records, b.accepted, encode(b.body_hash, 'hex') AS body_hash,"
	" k.key_id, k.name AS key_name, b.filename, u.name AS uploaded_by,"
	" b.receipt FROM usage_batches b"
	" LEFT JOIN usage_signing_keys k ON k.id = b.signing_key_id"
	" LEFT JOIN users u ON u.id = b.uploaded_by"
	" WHERE b.vendor_id = $1::bigint ORDER BY b.id DESC LIMIT 50",

	/* SQL_TOTALS: $1 vendor. */
	"SELECT c.id AS contract_id, c.title, to_char(m.month, 'YYYY-MM')"
	" AS month, q.dimension, q.aggregation, q.quantity_micro, q.records"
	" FROM contracts c CROSS JOIN LATERAL (SELECT DISTINCT r.month"
	"  FROM usage_records r WHERE r.contract_id = c.id) m"
	" CROSS JOIN LATERAL usage_month_quantities(c.id, m.month) q"
	" WHERE c.vendor_id = $1::bigint"
	" ORDER BY c.id DESC, m.month DESC, q.dimension LIMIT 500",

	/* SQL_VENDOR_FACTS: $1 vendor. */
	"SELECT (SELECT count(*) FROM usage_signing_keys WHERE org_id ="
	" $1::bigint AND revoked_at IS NULL) AS active_keys,"
	" (SELECT count(*) FROM usage_signing_keys WHERE org_id = $1::bigint)"
	" AS keys,"
	" coalesce((SELECT json_agg(json_build_object('id', c.id, 'title',"
	"  c.title, 'status', c.status) ORDER BY c.id DESC) FROM contracts c"
	"  WHERE c.vendor_id = $1::bigint AND c.status IN ('active',"
	"  'suspended', 'ended')), '[]') AS contracts,"
	" coalesce((SELECT json_agg(json_build_object('contract_id',"
	"  a.contract_id, 'month', to_char(a.month, 'YYYY-MM'),"
	"  'availability_micro', a.availability_micro, 'reported_at', "
	SEOUL("a.reported_at") ", 'via', CASE WHEN a.api_key_id IS NULL"
	"  THEN 'form' ELSE 'api' END) ORDER BY a.month DESC, a.contract_id"
	"  DESC) FROM usage_availability a JOIN contracts c ON"
	"  c.id = a.contract_id WHERE c.vendor_id = $1::bigint), '[]')"
	" AS availability",

	/* SQL_BATCH: $1 id, $2 vendor. */
	"SELECT b.id, b.source, " SEOUL("b.received_at") " AS received_at,"
	" b.records, b.accepted, encode(b.body_hash, 'hex') AS body_hash,"
	" encode(b.signature, 'base64') AS signature, k.key_id, b.filename,"
	" u.name AS uploaded_by, b.receipt,"
	" coalesce((SELECT json_agg(json_build_object('record_id', r.record_id,"
	"  'contract_id', r.contract_id, 'dimension', r.dimension,"
	"  'quantity_micro', r.quantity_micro, 'time', to_char(r.usage_at"
	"  AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
	"  'allocation', r.allocation, 'subject', r.subject,"
	"  'payload_hash', encode(r.payload_hash, 'hex')) ORDER BY r.record_id)"
	"  FROM usage_records r WHERE r.batch_id = b.id), '[]') AS stored"
	" FROM usage_batches b"
	" LEFT JOIN usage_signing_keys k ON k.id = b.signing_key_id"
	" LEFT JOIN users u ON u.id = b.uploaded_by"
	" WHERE b.id = $1::bigint AND b.vendor_id = $2::bigint",

	/* SQL_CONTRACT: $1 id, $2 org, $3 operator. */
	"SELECT c.id, c.title, c.status, c.vendor_id, c.org_id,"
	" to_char(c.start_date, 'YYYY-MM-DD') AS start_date,"
	" to_char(c.end_date, 'YYYY-MM-DD') AS end_date, to_json(c.tags) AS tags,"
	" coalesce((SELECT json_object_agg(d->>'code', d->>'aggregation')"
	"  FROM jsonb_array_elements(CASE jsonb_typeof(c.rate_plan->"
	"  'dimensions') WHEN 'array' THEN c.rate_plan->'dimensions' ELSE '[]'"
	"  END) d), '{}'::json) AS dims,"
	" to_char(coalesce($4::date, (SELECT max(r.month) FROM usage_records r"
	"  WHERE r.contract_id = c.id), date_trunc('month', now() AT TIME ZONE "
	KST ")::date), 'YYYY-MM') AS month"
	" FROM contracts c WHERE c.id = $1::bigint"
	" AND (c.org_id = $2::bigint OR c.vendor_id = $2::bigint OR $3::boolean)",

	/* SQL_CONTRACT_MONTHS: $1 contract. */
	"SELECT to_char(m.month, 'YYYY-MM') AS month, q.dimension,"
	" q.aggregation, q.quantity_micro, q.records"
	" FROM (SELECT DISTINCT r.month FROM usage_records r"
	"  WHERE r.contract_id = $1::bigint) m"
	" CROSS JOIN LATERAL usage_month_quantities($1::bigint, m.month) q"
	" ORDER BY m.month DESC, q.dimension",

	/* SQL_CONTRACT_DAYS: $1 contract, $2 month (YYYY-MM-01). */
	"SELECT to_char((r.usage_at AT TIME ZONE " KST ")::date, 'YYYY-MM-DD')"
	" AS day, r.dimension, r.allocation, count(*) AS records,"
	" sum(r.quantity_micro)::bigint AS sum_micro,"
	" max(r.quantity_micro) AS max_micro,"
	" (array_agg(r.quantity_micro ORDER BY r.usage_at DESC,"
	"  r.record_id DESC))[1] AS latest_micro,"
	" count(DISTINCT r.subject) AS subjects"
	" FROM usage_records r WHERE r.contract_id = $1::bigint"
	" AND r.month = $2::date GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",

	/* SQL_CONTRACT_CHAIN: $1 contract. */
	"SELECT (SELECT json_build_object('seq', u.seq, 'head',"
	"  encode(u.head, 'hex'), 'batch_id', u.batch_id, 'at', "
	SEOUL("u.at") ") FROM usage_chain u WHERE u.contract_id = $1::bigint"
	"  ORDER BY u.seq DESC LIMIT 1) AS chain,"
	" coalesce((SELECT json_agg(json_build_object('month', to_char(a.month,"
	"  'YYYY-MM'), 'availability_micro', a.availability_micro)"
	"  ORDER BY a.month DESC) FROM usage_availability a"
	"  WHERE a.contract_id = $1::bigint), '[]') AS availability",
};

/* A record's result. */
enum ing_status {
	ING_PENDING,
	ING_ACCEPTED,
	ING_DUPLICATE,
	ING_REJECTED
};

static const char *const ing_status_names[] = {
	"pending",		/* ING_PENDING */
	"accepted",		/* ING_ACCEPTED */
	"duplicate",		/* ING_DUPLICATE */
	"rejected",		/* ING_REJECTED */
};

struct ing_rec {
	struct usagerec	 r;
	int		 line;		/* CSV line, 0 for the API */
	int		 shown_ok;	/* shown holds the id as sent */
	char		 shown[USAGEREC_ID_MAX + 1];
	const char	*code;		/* rejection code, NULL if none yet */
	int		 syntax_bad;	/* rejected before any lookup */
	enum ing_status	 status;
	int64_t		 orig_batch;
	char		 hash[SIGN_HEXLEN(SIGN_HASHBYTES)];
};

/*
 * One batch being taken, kept across the handler's calls in ar->job.
 * The commit's parameters live here because db_call() needs them to stay
 * the same while the statement is in flight.
 */
struct ing_job {
	int		 csv;
	unsigned char	*body;			/* owned */
	size_t		 len;
	char		 body_hex[SIGN_HEXLEN(SIGN_HASHBYTES)];
	unsigned char	 body_hash[SIGN_HASHBYTES];
	unsigned char	 sig[SIGN_SIGBYTES];
	char		 sig_hex[SIGN_HEXLEN(SIGN_SIGBYTES)];
	char		 key_id[80];
	int64_t		 signing_key;
	char		 filename[201];
	struct ing_rec	*recs;
	size_t		 n;
	int		 tries;
	int64_t		 batch_id;
	int64_t		 now_us;
	int		 accepted;
	char		*prep[3];
	char		*commit[26];
	char		 num[8][24];
	json_t		*receipt;
	json_t		*receipts;		/* of duplicates' batches */
};

/* Availability reports arrive signed too; their state. */
struct avail_job {
	unsigned char	*body;
	size_t		 len;
	char		 body_hex[SIGN_HEXLEN(SIGN_HASHBYTES)];
	char		 sig_hex[SIGN_HEXLEN(SIGN_SIGBYTES)];
	unsigned char	 sig[SIGN_SIGBYTES];
	char		 key_id[80];
	int64_t		 signing_key;
	char		 num[6][24];
	char		 month[16];
};

static void	 ing_job_free(void *);
static void	 avail_job_free(void *);
static int	 usage_refuse(struct http_request *, int, const char *,
		    const char *);
static int	 read_body(struct http_request *, unsigned char **, size_t *,
		    size_t);
static int	 signed_headers(struct http_request *, char *, size_t,
		    unsigned char *);
static int	 ing_run(struct http_request *, struct ing_job *);
static int	 ing_parse_json(struct http_request *, struct ing_job *);
static const char *ing_from_json(json_t *, struct ing_rec *);
static const char *ing_from_fields(const char *const *, struct ing_rec *);
static int	 ing_decide(struct http_request *, struct ing_job *, json_t *);
static void	 ing_prepare_params(struct ing_job *);
static int	 ing_answer(struct http_request *, struct ing_job *);
static json_t	*ing_results(struct http_request *, struct ing_job *);
static void	 pg_array_str(struct kore_buf *, const char *);
static void	 ab_put(struct kore_buf *, const void *, size_t);
static char	*buf_str(struct kore_buf *);
static const char *code_message(struct http_request *, const char *,
		    const char *);
static int	 parse_month(const char *, char *, size_t);
static int	 parse_availability(const char *, int64_t *);
static void	 fmt_micro(json_t *, const char *, int64_t);
static int	 upload_page(struct http_request *, int, json_t *);
static int	 upload_refuse(struct http_request *, int, const char *);
static int	 avail_outcome(struct http_request *, const char *, int);
static int	 avail_form_error(struct http_request *, int, const char *,
		    const char *);

/*
 * Reads the marketplace key named by GUREUM_SIGNING_KEY, in the parent
 * before the workers fork (they inherit it; nothing is read under the
 * sandbox). Unset: ingestion answers 503 until it is configured. Set but
 * unreadable or malformed: returns KORE_RESULT_ERROR and the server does
 * not start.
 */
int
usage_init(void)
{
	const char	*path;

	if ((path = getenv("GUREUM_SIGNING_KEY")) == NULL || *path == '\0') {
		kore_log(LOG_WARNING, "GUREUM_SIGNING_KEY is not set: usage "
		    "ingestion answers 503");
		return (KORE_RESULT_OK);
	}
	if (sign_key_load(path, mk_sk, mk_pk) == -1) {
		kore_log(LOG_ERR, "%s: %s (gureumctl keygen makes one)", path,
		    errno == EINVAL ? "not a marketplace key file" : errno_s);
		return (KORE_RESULT_ERROR);
	}
	sign_tob64(mk_pk, sizeof(mk_pk), mk_b64);
	mk_loaded = 1;
	return (KORE_RESULT_OK);
}

/*
 * GET /api/v1/marketplace-keys (public): the marketplace's public keys,
 * which verify receipts and evidence bundles; `current` marks the one
 * this server signs with.
 */
int
usage_marketplace_keys(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*row, *vm;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	rc = db_call(req, &ar->db[0], usage_sql[SQL_MKEYS], 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row) {
		json_object_set_new(row, "signing", json_boolean(mk_loaded &&
		    strcmp(json_string_value(json_object_get(row,
		    "public_key")), mk_b64) == 0));
	}
	vm = json_pack("{s:s, s:O}", "algorithm", "ed25519", "keys",
	    ar->db[0].rows);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_json(req, 200, vm));
}

/*
 * POST /api/v1/usage: a signed batch (docs/metering.md). 200 with the
 * per-record results and the receipt; whole-batch refusals: 401
 * unsigned, bad_signature, unknown_key, revoked_key; 400 malformed_json,
 * empty, too_many_records; 413 payload_too_large; 415; 503 when no
 * marketplace key is configured or the chain stayed contended.
 */
int
usage_ingest(struct http_request *req)
{
	struct app_req	*ar;
	struct ing_job	*j;
	const char	*params[2], *ctype, *pkhex;
	char		 vendor[24];
	unsigned char	 pk[SIGN_PKBYTES];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 0) {
		if (!mk_loaded)
			return (usage_refuse(req, 503, "unavailable", NULL));
		if (!http_request_header(req, "content-type", &ctype) ||
		    strncasecmp(ctype, "application/json", 16) != 0)
			return (web_error(req, APP_EUNSUPPORTED, NULL, NULL));
		j = kore_calloc(1, sizeof(*j));
		ar->job = j;
		ar->job_release = ing_job_free;
		if (!read_body(req, &j->body, &j->len, BODY_MAX))
			return (KORE_RESULT_OK);
		if (!signed_headers(req, j->key_id, sizeof(j->key_id), j->sig))
			return (KORE_RESULT_OK);
		sign_hash(j->body, j->len, j->body_hash);
		sign_tohex(j->body_hash, sizeof(j->body_hash), j->body_hex);
		sign_tohex(j->sig, sizeof(j->sig), j->sig_hex);
		(void)snprintf(j->num[0], sizeof(j->num[0]), "%lld",
		    (long long)ar->who.org_id);
		ar->step = 1;
	}
	j = ar->job;
	if (ar->step == 1) {
		(void)snprintf(vendor, sizeof(vendor), "%lld",
		    (long long)ar->who.org_id);
		params[0] = j->key_id;
		params[1] = vendor;
		rc = db_call(req, &ar->db[0], usage_sql[SQL_SIGNING_KEY], 2,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
			return (usage_refuse(req, 401, "unknown_key",
			    "Gureum-Key-Id"));
		if (json_is_true(json_object_get(row, "revoked")))
			return (usage_refuse(req, 401, "revoked_key",
			    "Gureum-Key-Id"));
		pkhex = json_string_value(json_object_get(row, "public_key"));
		if (pkhex == NULL || sign_fromhex(pkhex, pk, sizeof(pk)) == -1)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		if (sign_verify(j->body, j->len, j->sig, pk) == -1)
			return (usage_refuse(req, 401, "bad_signature",
			    "Gureum-Signature"));
		j->signing_key = json_integer_value(json_object_get(row, "id"));
		if (!ing_parse_json(req, j))
			return (KORE_RESULT_OK);
		ar->step = 2;
	}
	return (ing_run(req, j));
}

/*
 * The shared part of an API batch and a CSV upload, from the read of
 * the facts to the answer (ar->step 2: read, 3: commit).
 */
static int
ing_run(struct http_request *req, struct ing_job *j)
{
	struct app_req	*ar;
	json_t		*row;
	const char	*outcome, *prep[3];
	int		 rc;

	ar = app_req(req);
	for (;;) {
		if (ar->step == 2) {
			if (j->prep[0] == NULL)
				ing_prepare_params(j);
			/*
			 * The first attempt assumes every record is new and
			 * skips looking them up: if one is not, its insert
			 * fails on the primary key and the next attempt looks
			 * them all up. New records are the common case; a
			 * replayed batch pays one failed attempt.
			 */
			prep[0] = j->prep[0];
			prep[1] = j->prep[1];
			prep[2] = j->tries == 0 ? "{}" : j->prep[2];
			rc = db_call(req, &ar->db[1], usage_sql[SQL_PREPARE], 3,
			    prep);
			if (rc == DB_PENDING)
				return (KORE_RESULT_RETRY);
			if (rc == DB_ERROR)
				return (web_db_error(req, &ar->db[1]));
			row = json_array_get(ar->db[1].rows, 0);
			if (row == NULL || !ing_decide(req, j, row))
				return (web_error(req, APP_EINTERNAL, NULL,
				    NULL));
			ar->step = 3;
		}
		rc = db_call(req, &ar->db[2], usage_sql[SQL_COMMIT], 26,
		    (const char **)j->commit);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR) {
			if (strcmp(ar->db[2].sqlstate, "23505") != 0 &&
			    strcmp(ar->db[2].sqlstate, "40P01") != 0)
				return (web_db_error(req, &ar->db[2]));
			/* Another batch got in first: decide again. */
			if (++j->tries >= COMMIT_TRIES)
				return (usage_refuse(req, 503, "busy", NULL));
			db_cleanup(&ar->db[1]);
			db_cleanup(&ar->db[2]);
			ar->step = 2;
			continue;
		}
		break;
	}
	row = json_array_get(ar->db[2].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if (outcome != NULL && strcmp(outcome, "revoked_key") == 0)
		return (usage_refuse(req, 401, "revoked_key", "Gureum-Key-Id"));
	if (outcome == NULL || strcmp(outcome, "stored") != 0)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (ing_answer(req, j));
}

/* Reads the signed body's records into j->recs; 0 when it answered. */
static int
ing_parse_json(struct http_request *req, struct ing_job *j)
{
	json_t		*doc, *recs, *v;
	json_error_t	 jerr;
	const char	*k;
	size_t		 i;

	doc = json_loadb((const char *)j->body, j->len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL || !json_is_object(doc)) {
		json_decref(doc);
		return (!usage_refuse(req, 400, "malformed_json", "body"));
	}
	json_object_foreach(doc, k, v) {
		if (strcmp(k, "records") != 0) {
			(void)usage_refuse(req, 400, "malformed_json", k);
			json_decref(doc);
			return (0);
		}
	}
	recs = json_object_get(doc, "records");
	if (!json_is_array(recs)) {
		json_decref(doc);
		return (!usage_refuse(req, 400, "malformed_json", "records"));
	}
	if (json_array_size(recs) == 0) {
		json_decref(doc);
		return (!usage_refuse(req, 400, "empty", "records"));
	}
	if (json_array_size(recs) > RECORDS_MAX) {
		json_decref(doc);
		return (!usage_refuse(req, 400, "too_many_records", "records"));
	}
	j->n = json_array_size(recs);
	j->recs = kore_calloc(j->n, sizeof(*j->recs));
	json_array_foreach(recs, i, v) {
		j->recs[i].code = ing_from_json(v, &j->recs[i]);
		j->recs[i].syntax_bad = j->recs[i].code != NULL;
	}
	json_decref(doc);
	return (1);
}

/* Checks one JSON record's fields into x; the rejection code or NULL. */
static const char *
ing_from_json(json_t *o, struct ing_rec *x)
{
	static const char *const names[] = { "record_id", "contract_id",
	    "dimension", "quantity", "time", "allocation", "subject" };
	const char	*f[UC__MAX], *k;
	char		 cid[24], qty[40];
	json_t		*v;
	size_t		 i;

	if (!json_is_object(o))
		return ("invalid_record");
	memset(f, 0, sizeof(f));
	v = json_object_get(o, "record_id");
	if (json_is_string(v) && json_string_length(v) <= USAGEREC_ID_MAX &&
	    utf8_valid(json_string_value(v), json_string_length(v)) &&
	    strlen(json_string_value(v)) == json_string_length(v)) {
		(void)kore_strlcpy(x->shown, json_string_value(v),
		    sizeof(x->shown));
		x->shown_ok = 1;
	}
	json_object_foreach(o, k, v) {
		for (i = 0; i < UC__MAX; i++)
			if (strcmp(k, names[i]) == 0)
				break;
		if (i == UC__MAX)
			return ("invalid_record");
		if (json_is_string(v)) {
			if (strlen(json_string_value(v)) !=
			    json_string_length(v))
				f[i] = "\x01";	/* an embedded NUL */
			else
				f[i] = json_string_value(v);
		} else if (json_is_integer(v) && (i == UC_CONTRACT_ID ||
		    i == UC_QUANTITY)) {
			(void)snprintf(i == UC_CONTRACT_ID ? cid : qty,
			    i == UC_CONTRACT_ID ? sizeof(cid) : sizeof(qty),
			    "%lld", (long long)json_integer_value(v));
			f[i] = i == UC_CONTRACT_ID ? cid : qty;
		} else if (json_is_null(v) && (i == UC_ALLOCATION ||
		    i == UC_SUBJECT)) {
			f[i] = NULL;
		} else {
			f[i] = "\x01";		/* wrong type: fails its check */
		}
	}
	return (ing_from_fields(f, x));
}

/*
 * Checks a record's text fields (from JSON or a CSV line; NULL: absent)
 * into x->r and x->hash. Returns the first rejection code, or NULL.
 */
static const char *
ing_from_fields(const char *const *f, struct ing_rec *x)
{
	unsigned char	 h[SIGN_HASHBYTES];
	enum money_err	 me;
	char		*end;
	long long	 id;

	if (f[UC_RECORD_ID] == NULL || !usagerec_id_ok(f[UC_RECORD_ID]))
		return ("invalid_record_id");
	(void)kore_strlcpy(x->r.record_id, f[UC_RECORD_ID],
	    sizeof(x->r.record_id));
	if (f[UC_CONTRACT_ID] == NULL || *f[UC_CONTRACT_ID] < '1' ||
	    *f[UC_CONTRACT_ID] > '9')
		return ("invalid_contract_id");
	errno = 0;
	id = strtoll(f[UC_CONTRACT_ID], &end, 10);
	if (errno != 0 || *end != '\0' || id <= 0)
		return ("invalid_contract_id");
	x->r.contract_id = id;
	if (f[UC_DIMENSION] == NULL || !usagerec_dim_ok(f[UC_DIMENSION]))
		return ("unknown_dimension");
	(void)kore_strlcpy(x->r.dimension, f[UC_DIMENSION],
	    sizeof(x->r.dimension));
	if (f[UC_QUANTITY] == NULL)
		return ("invalid_quantity");
	me = money_parse(f[UC_QUANTITY], 0, &x->r.quantity_micro);
	if (me != MONEY_OK)
		return ("invalid_quantity");
	if (f[UC_TIME] == NULL ||
	    usagerec_time_parse(f[UC_TIME], &x->r.at_us) == -1)
		return ("invalid_time");
	if (f[UC_ALLOCATION] != NULL) {
		if (!usagerec_text_ok(f[UC_ALLOCATION]))
			return ("invalid_allocation");
		(void)kore_strlcpy(x->r.allocation, f[UC_ALLOCATION],
		    sizeof(x->r.allocation));
	}
	if (f[UC_SUBJECT] != NULL) {
		if (!usagerec_text_ok(f[UC_SUBJECT]))
			return ("invalid_subject");
		(void)kore_strlcpy(x->r.subject, f[UC_SUBJECT],
		    sizeof(x->r.subject));
	}
	usagerec_hash(&x->r, h);
	sign_tohex(h, sizeof(h), x->hash);
	return (NULL);
}

/* The read's parameters: vendor, contract ids and record ids. */
static void
ing_prepare_params(struct ing_job *j)
{
	struct kore_buf	 c, r;
	size_t		 i, nc, nr;
	int64_t		 last;
	char		 n[24];

	last = 0;
	kore_buf_init(&c, 1024);
	kore_buf_init(&r, 4096);
	ab_put(&c, "{", 1);
	ab_put(&r, "{", 1);
	for (i = nc = nr = 0; i < j->n; i++) {
		if (j->recs[i].syntax_bad)
			continue;
		/* Batches are mostly for one contract: skip repeats in a row. */
		if (nc == 0 || j->recs[i].r.contract_id != last) {
			(void)snprintf(n, sizeof(n), "%s%lld", nc++ ? "," : "",
			    (long long)j->recs[i].r.contract_id);
			ab_put(&c, n, strlen(n));
			last = j->recs[i].r.contract_id;
		}
		if (nr++)
			ab_put(&r, ",", 1);
		pg_array_str(&r, j->recs[i].r.record_id);
	}
	ab_put(&c, "}", 1);
	ab_put(&r, "}", 1);
	j->prep[0] = kore_strdup(j->num[0]);
	j->prep[1] = buf_str(&c);
	j->prep[2] = buf_str(&r);
}

/* Every record's outcome from the facts read; the commit's parameters. */
static int
ing_decide(struct http_request *req, struct ing_job *j, json_t *facts)
{
	struct app_req		*ar;
	struct usagerec_head	*heads;
	struct usagerec_receipt	 rc;
	struct ing_rec		*x;
	struct kore_buf		 b[12];
	json_t			*contracts, *existing, *seen, *c, *e, *dims;
	json_t			*tags, *t, *hl;
	const char		*agg, *ehash, *head_hex;
	char			 n[64], tm[USAGEREC_TIME_LEN], key[24];
	char			*text, sigb64[SIGN_B64LEN(SIGN_SIGBYTES)];
	unsigned char		 prev[SIGN_HASHBYTES], next[SIGN_HASHBYTES];
	unsigned char		 sig[SIGN_SIGBYTES];
	size_t			 i, k, nheads, seen_idx;
	int			 found;

	ar = app_req(req);
	j->batch_id = json_integer_value(json_object_get(facts, "batch_id"));
	j->now_us = json_integer_value(json_object_get(facts, "now_us"));
	contracts = json_object_get(facts, "contracts");
	existing = json_object_get(facts, "existing");
	if (j->receipts != NULL)
		json_decref(j->receipts);
	j->receipts = json_incref(json_object_get(facts, "receipts"));
	if ((seen = json_object()) == NULL)
		return (0);
	heads = kore_calloc(j->n + 1, sizeof(*heads));
	nheads = 0;
	j->accepted = 0;

	for (i = 0; i < j->n; i++) {
		x = &j->recs[i];
		if (x->syntax_bad) {
			x->status = ING_REJECTED;
			continue;
		}
		x->code = NULL;
		x->status = ING_PENDING;
		x->orig_batch = 0;
		/* The same id earlier in this batch. */
		if ((e = json_object_get(seen, x->r.record_id)) != NULL) {
			seen_idx = (size_t)json_integer_value(e);
			if (strcmp(j->recs[seen_idx].hash, x->hash) == 0 &&
			    j->recs[seen_idx].status != ING_REJECTED) {
				x->status = ING_DUPLICATE;
				x->orig_batch = j->recs[seen_idx].status ==
				    ING_ACCEPTED ? j->batch_id :
				    j->recs[seen_idx].orig_batch;
			} else {
				x->code = strcmp(j->recs[seen_idx].hash,
				    x->hash) == 0 ? j->recs[seen_idx].code :
				    "conflict";
			}
			goto done;
		}
		json_object_set_new(seen, x->r.record_id, json_integer(i));
		if ((e = json_object_get(existing, x->r.record_id)) != NULL) {
			ehash = json_string_value(json_array_get(e, 0));
			if (ehash != NULL && strcmp(ehash, x->hash) == 0) {
				x->status = ING_DUPLICATE;
				x->orig_batch = json_integer_value(
				    json_array_get(e, 1));
			} else {
				x->code = "conflict";
			}
			goto done;
		}
		(void)snprintf(key, sizeof(key), "%lld",
		    (long long)x->r.contract_id);
		if ((c = json_object_get(contracts, key)) == NULL) {
			x->code = "unknown_contract";
			goto done;
		}
		if (!json_is_true(json_object_get(c, "mine"))) {
			x->code = "not_your_contract";
			goto done;
		}
		t = json_object_get(c, "status");
		if (strcmp(json_string_value(t), "active") != 0 &&
		    strcmp(json_string_value(t), "suspended") != 0 &&
		    strcmp(json_string_value(t), "ended") != 0) {
			x->code = "contract_not_billable";
			goto done;
		}
		dims = json_object_get(c, "dims");
		if ((agg = json_string_value(json_object_get(dims,
		    x->r.dimension))) == NULL) {
			x->code = "unknown_dimension";
			goto done;
		}
		if (strcmp(agg, "unique_count") == 0 && x->r.subject[0] == '\0') {
			x->code = "subject_required";
			goto done;
		}
		if (x->r.at_us > j->now_us + USAGEREC_FUTURE_US) {
			x->code = "in_future";
			goto done;
		}
		if (x->r.at_us < json_integer_value(json_object_get(c,
		    "from_us")) || x->r.at_us >= json_integer_value(
		    json_object_get(c, "to_us"))) {
			x->code = "outside_contract_period";
			goto done;
		}
		if (x->r.allocation[0] != '\0') {
			tags = json_object_get(c, "tags");
			found = 0;
			json_array_foreach(tags, k, t)
				if (strcmp(json_string_value(t),
				    x->r.allocation) == 0)
					found = 1;
			if (!found) {
				x->code = "unknown_allocation";
				goto done;
			}
		}
		x->status = ING_ACCEPTED;
		j->accepted++;
		for (k = 0; k < nheads; k++)
			if (heads[k].contract_id == x->r.contract_id)
				break;
		if (k == nheads) {
			heads[nheads].contract_id = x->r.contract_id;
			/* seq is the head read; the new one is made below. */
			heads[nheads].seq = json_integer_value(
			    json_object_get(c, "seq"));
			head_hex = json_string_value(json_object_get(c,
			    "head"));
			(void)kore_strlcpy(heads[nheads].head, head_hex != NULL ?
			    head_hex : "", sizeof(heads[nheads].head));
			nheads++;
		}
done:
		if (x->status == ING_PENDING)
			x->status = ING_REJECTED;
	}
	json_decref(seen);

	/* Sort the heads by contract and make the new links. */
	for (i = 1; i < nheads; i++)
		for (k = i; k > 0 && heads[k - 1].contract_id >
		    heads[k].contract_id; k--) {
			heads[j->n] = heads[k];
			heads[k] = heads[k - 1];
			heads[k - 1] = heads[j->n];
		}
	for (i = 0; i < nheads; i++) {
		if (heads[i].head[0] != '\0') {
			if (sign_fromhex(heads[i].head, prev, sizeof(prev)) ==
			    -1) {
				kore_free(heads);
				return (0);
			}
			sign_chain_next(prev, j->body_hash, next);
		} else {
			sign_chain_next(NULL, j->body_hash, next);
		}
		heads[i].seq++;
		sign_tohex(next, sizeof(next), heads[i].head);
	}

	/* The receipt, signed by the marketplace. */
	memset(&rc, 0, sizeof(rc));
	rc.batch_id = j->batch_id;
	rc.vendor_id = ar->who.org_id;
	rc.source = j->csv ? "csv" : "api";
	(void)kore_strlcpy(rc.body_hash, j->body_hex, sizeof(rc.body_hash));
	rc.server_us = j->now_us;
	rc.records = (int)j->n;
	rc.accepted = j->accepted;
	rc.heads = heads;
	rc.nheads = nheads;
	rc.marketplace_key = mk_b64;
	if ((text = usagerec_receipt_text(&rc)) == NULL) {
		kore_free(heads);
		return (0);
	}
	sign_detached(text, strlen(text), mk_sk, sig);
	sign_tob64(sig, sizeof(sig), sigb64);
	usagerec_time_format(j->now_us, tm);
	if ((hl = json_array()) == NULL) {
		free(text);
		kore_free(heads);
		return (0);
	}
	for (i = 0; i < nheads; i++)
		json_array_append_new(hl, json_pack("{s:I, s:I, s:s}",
		    "contract_id", (json_int_t)heads[i].contract_id, "seq",
		    (json_int_t)heads[i].seq, "head", heads[i].head));
	if (j->receipt != NULL)
		json_decref(j->receipt);
	j->receipt = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:i, s:i, "
	    "s:o, s:s, s:s, s:s}", "version", "gureum-receipt-v1",
	    "batch_id", (json_int_t)j->batch_id, "vendor_id",
	    (json_int_t)ar->who.org_id, "source", rc.source, "body_hash",
	    j->body_hex, "server_time", tm, "records", (int)j->n, "accepted",
	    j->accepted, "heads", hl, "marketplace_key", mk_b64, "message",
	    text, "signature", sigb64);
	free(text);
	if (j->receipt == NULL) {
		kore_free(heads);
		return (0);
	}

	/* The commit's parameters. */
	for (i = 0; i < 26; i++) {
		kore_free(j->commit[i]);
		j->commit[i] = NULL;
	}
	(void)snprintf(j->num[1], sizeof(j->num[1]), "%lld",
	    (long long)j->batch_id);
	(void)snprintf(j->num[2], sizeof(j->num[2]), "%lld",
	    (long long)j->signing_key);
	(void)snprintf(j->num[3], sizeof(j->num[3]), "%lld",
	    (long long)ar->who.key_id);
	(void)snprintf(j->num[4], sizeof(j->num[4]), "%lld",
	    (long long)ar->who.user_id);
	(void)snprintf(j->num[5], sizeof(j->num[5]), "%zu", j->n);
	j->commit[0] = kore_strdup(j->num[1]);
	j->commit[1] = kore_strdup(j->num[0]);
	j->commit[2] = kore_strdup(j->csv ? "csv" : "api");
	j->commit[3] = j->csv ? NULL : kore_strdup(j->num[2]);
	j->commit[4] = j->csv ? NULL : kore_strdup(j->num[3]);
	j->commit[5] = j->csv ? kore_strdup(j->num[4]) : NULL;
	j->commit[6] = kore_strdup(j->body_hex);
	j->commit[7] = j->csv ? NULL : kore_strdup(j->sig_hex);
	j->commit[8] = kore_strdup(j->filename);
	j->commit[9] = kore_strdup(j->num[5]);
	j->commit[10] = kore_strdup(tm);
	j->commit[11] = json_dumps(j->receipt, JSON_COMPACT);
	if (j->commit[11] == NULL) {
		kore_free(heads);
		return (0);
	}
	/* json_dumps() uses malloc: keep the kore_free pairing. */
	text = j->commit[11];
	j->commit[11] = kore_strdup(text);
	free(text);

	for (k = 0; k < 12; k++) {
		kore_buf_init(&b[k], 4096);
		ab_put(&b[k], "{", 1);
	}
	found = 0;
	for (i = 0; i < j->n; i++) {
		x = &j->recs[i];
		if (x->status != ING_ACCEPTED)
			continue;
		for (k = 0; found && k < 9; k++)
			ab_put(&b[k], ",", 1);
		found = 1;
		pg_array_str(&b[0], x->r.record_id);
		(void)snprintf(n, sizeof(n), "%lld",
		    (long long)x->r.contract_id);
		ab_put(&b[1], n, strlen(n));
		pg_array_str(&b[2], x->r.dimension);
		(void)snprintf(n, sizeof(n), "%lld",
		    (long long)x->r.quantity_micro);
		ab_put(&b[3], n, strlen(n));
		usagerec_time_format(x->r.at_us, tm);
		ab_put(&b[4], tm, strlen(tm));
		/* The Korea-time month: UTC+9 all year. */
		usagerec_time_format(x->r.at_us + 9LL * 3600 * 1000000, tm);
		ab_put(&b[5], tm, 7);
		ab_put(&b[5], "-01", 3);
		pg_array_str(&b[6], x->r.allocation);
		pg_array_str(&b[7], x->r.subject);
		ab_put(&b[8], x->hash, strlen(x->hash));
	}
	for (i = 0; i < nheads; i++) {
		(void)snprintf(n, sizeof(n), "%s%lld", i ? "," : "",
		    (long long)heads[i].contract_id);
		ab_put(&b[9], n, strlen(n));
		(void)snprintf(n, sizeof(n), "%s%lld", i ? "," : "",
		    (long long)heads[i].seq);
		ab_put(&b[10], n, strlen(n));
		if (i)
			ab_put(&b[11], ",", 1);
		ab_put(&b[11], heads[i].head, strlen(heads[i].head));
	}
	for (k = 0; k < 12; k++) {
		ab_put(&b[k], "}", 1);
		j->commit[12 + k] = buf_str(&b[k]);
	}
	j->commit[24] = kore_strdup(ar->rid);
	j->commit[25] = kore_strdup(web_client_addr(req, n, sizeof(n)));
	kore_free(heads);
	return (1);
}

/* The answer to a stored batch: results, receipt, original receipts. */
static int
ing_answer(struct http_request *req, struct ing_job *j)
{
	struct app_req	*ar;
	json_t		*vm, *orig, *r;
	size_t		 i;
	int		 dup, rej;
	char		 key[24];

	ar = app_req(req);
	dup = rej = 0;
	if ((orig = json_object()) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	for (i = 0; i < j->n; i++) {
		if (j->recs[i].status == ING_DUPLICATE) {
			dup++;
			(void)snprintf(key, sizeof(key), "%lld",
			    (long long)j->recs[i].orig_batch);
			if (j->recs[i].orig_batch == j->batch_id)
				json_object_set(orig, key, j->receipt);
			else if ((r = json_object_get(j->receipts, key)) !=
			    NULL)
				json_object_set(orig, key, r);
		} else if (j->recs[i].status == ING_REJECTED) {
			rej++;
		}
	}
	vm = json_pack("{s:I, s:i, s:i, s:i, s:i, s:o, s:O, s:o}",
	    "batch_id", (json_int_t)j->batch_id, "records", (int)j->n,
	    "accepted", j->accepted, "duplicates", dup, "rejected", rej,
	    "results", ing_results(req, j), "receipt", j->receipt,
	    "original_receipts", orig);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (j->csv) {
		json_object_set_new(vm, "filename", json_string(j->filename));
		return (upload_page(req, 200, vm));
	}
	ar->vm = vm;
	return (web_json(req, 200, vm));
}

/* The per-record results, in the order sent. */
static json_t *
ing_results(struct http_request *req, struct ing_job *j)
{
	struct ing_rec	*x;
	json_t		*out, *o;
	size_t		 i;

	if ((out = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < j->n; i++) {
		x = &j->recs[i];
		o = json_pack("{s:i, s:s?, s:s}", "index", (int)i, "record_id",
		    x->shown_ok ? x->shown : NULL, "status",
		    ing_status_names[x->status]);
		if (o == NULL)
			continue;
		if (j->csv)
			json_object_set_new(o, "line", json_integer(x->line));
		if (x->status == ING_REJECTED && x->code != NULL) {
			json_object_set_new(o, "code", json_string(x->code));
			json_object_set_new(o, "message",
			    json_string(code_message(req, x->code, NULL)));
			if (j->csv) {
				json_object_set_new(o, "message_ko", json_string(
				    code_message(req, x->code, "ko")));
				json_object_set_new(o, "message_en", json_string(
				    code_message(req, x->code, "en")));
			}
		}
		if (x->status == ING_DUPLICATE)
			json_object_set_new(o, "original_batch",
			    json_integer(x->orig_batch));
		if (x->status != ING_REJECTED)
			json_object_set_new(o, "payload_hash",
			    json_string(x->hash));
		json_array_append_new(out, o);
	}
	return (out);
}

/* GET /vendor/usage/upload: the CSV form. */
int
usage_upload_page(struct http_request *req)
{
	struct app_req	*ar;

	ar = app_req(req);
	ar->vm = json_object();
	return (upload_page(req, 200, ar->vm));
}

/*
 * POST /vendor/usage/upload (multipart, field file): a CSV file through
 * the same rules as a signed batch, answered with the per-line report.
 * The file is refused whole (400, nothing stored) when it is empty, not
 * UTF-8 CSV, lacks a required column, names an unknown one or has more
 * than 1,000 lines; 413 above 1 MiB.
 */
int
usage_upload(struct http_request *req)
{
	struct app_req		*ar;
	struct ing_job		*j;
	struct usagerec_csv	 csv;
	const unsigned char	*data;
	const char		*fname, *code, *f[UC__MAX];
	enum usagerec_csv_err	 ce;
	size_t			 i, len;
	int			 k;

	ar = app_req(req);
	if (ar->step == 0) {
		if (!mk_loaded)
			return (usage_refuse(req, 503, "unavailable", NULL));
		if (!web_file(req, "file", &data, &len, &fname) || len == 0)
			return (upload_refuse(req, 400, "empty"));
		if (len > CSV_MAX)
			return (upload_refuse(req, 413, "payload_too_large"));
		ce = usagerec_csv_read((const char *)data, len, RECORDS_MAX,
		    &csv);
		code = NULL;
		switch (ce) {
		case UCSV_OK:
			if (csv.nrows == 0)
				code = "empty";
			break;
		case UCSV_EMPTY:
			code = "empty";
			break;
		case UCSV_HEADER:
			code = "csv_header";
			break;
		case UCSV_TOO_MANY:
			code = "too_many_records";
			break;
		default:
			code = "malformed_csv";
			break;
		}
		if (code != NULL) {
			usagerec_csv_free(&csv);
			return (upload_refuse(req, 400, code));
		}
		j = kore_calloc(1, sizeof(*j));
		ar->job = j;
		ar->job_release = ing_job_free;
		j->csv = 1;
		if (fname != NULL && utf8_valid(fname, strlen(fname)))
			(void)kore_strlcpy(j->filename, fname,
			    sizeof(j->filename) - 3);
		j->filename[utf8_prefix(j->filename, strlen(j->filename),
		    200)] = '\0';
		sign_hash(data, len, j->body_hash);
		sign_tohex(j->body_hash, sizeof(j->body_hash), j->body_hex);
		j->n = csv.nrows;
		j->recs = kore_calloc(j->n, sizeof(*j->recs));
		for (i = 0; i < csv.nrows; i++) {
			j->recs[i].line = csv.rows[i].line;
			for (k = 0; k < UC__MAX; k++)
				f[k] = csv.rows[i].field[k];
			if (f[UC_RECORD_ID] != NULL &&
			    strlen(f[UC_RECORD_ID]) <= USAGEREC_ID_MAX) {
				(void)kore_strlcpy(j->recs[i].shown,
				    f[UC_RECORD_ID], sizeof(j->recs[i].shown));
				j->recs[i].shown_ok = 1;
			}
			/* An empty optional cell is the empty value. */
			if (csv.rows[i].nfields != csv.ncols)
				j->recs[i].code = "invalid_line";
			else
				j->recs[i].code = ing_from_fields(f,
				    &j->recs[i]);
			j->recs[i].syntax_bad = j->recs[i].code != NULL;
		}
		usagerec_csv_free(&csv);
		(void)snprintf(j->num[0], sizeof(j->num[0]), "%lld",
		    (long long)ar->who.org_id);
		ar->step = 2;
	}
	return (ing_run(req, ar->job));
}

/* The CSV page: the form, and the report when vm has results. */
static int
upload_page(struct http_request *req, int status, json_t *vm)
{
	struct app_req	*ar;
	json_t		*r;
	size_t		 i;
	const char	*st;

	ar = app_req(req);
	if (ar->vm != vm) {
		if (ar->vm != NULL)
			json_decref(ar->vm);
		ar->vm = vm;
	}
	if (ar->json)
		return (web_json(req, status, vm));
	json_object_set_new(vm, "title",
	    json_string(web_str(req, "usage.upload_title")));
	json_array_foreach(json_object_get(vm, "results"), i, r) {
		st = json_string_value(json_object_get(r, "status"));
		json_object_set_new(r, "accepted", json_boolean(st != NULL &&
		    strcmp(st, "accepted") == 0));
		json_object_set_new(r, "duplicate", json_boolean(st != NULL &&
		    strcmp(st, "duplicate") == 0));
		json_object_set_new(r, "status_label", json_string(web_str(req,
		    st != NULL && strcmp(st, "accepted") == 0 ?
		    "usage.st_accepted" : st != NULL && strcmp(st,
		    "duplicate") == 0 ? "usage.st_duplicate" :
		    "usage.st_rejected")));
	}
	return (web_page(req, status, "usage_upload", vm));
}

/* A refused file: the JSON error, or the form again with it. */
static int
upload_refuse(struct http_request *req, int status, const char *code)
{
	struct app_req	*ar;
	json_t		*vm;

	ar = app_req(req);
	if (ar->json)
		return (usage_refuse(req, status, code, "file"));
	vm = json_pack("{s:{s:s, s:s, s:s}, s:{s:s}}", "error", "code", code,
	    "message", code_message(req, code, NULL), "field", "file",
	    "invalid", "file", code_message(req, code, NULL));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (upload_page(req, status, vm));
}

/*
 * POST /api/v1/usage/availability: a signed report
 * {"contract_id", "month": "YYYY-MM", "availability": "99.95"} (percent,
 * up to 6 decimals, 0 to 100). 200 {outcome stored|replaced}; the batch
 * refusals as for usage; 400 naming a bad field; 404 unknown contract;
 * 403 not_your_contract; 409 contract_not_billable,
 * outside_contract_period, in_future, month_invoiced.
 */
int
usage_availability_api(struct http_request *req)
{
	struct app_req	*ar;
	struct avail_job *j;
	const char	*params[11], *ctype, *pkhex, *s;
	char		 vendor[24], addr[64];
	unsigned char	 pk[SIGN_PKBYTES];
	json_t		*row, *doc, *v;
	json_error_t	 jerr;
	const char	*k;
	int64_t		 micro, cid;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 0) {
		if (!http_request_header(req, "content-type", &ctype) ||
		    strncasecmp(ctype, "application/json", 16) != 0)
			return (web_error(req, APP_EUNSUPPORTED, NULL, NULL));
		j = kore_calloc(1, sizeof(*j));
		ar->job = j;
		ar->job_release = avail_job_free;
		if (!read_body(req, &j->body, &j->len, 64 * 1024))
			return (KORE_RESULT_OK);
		if (!signed_headers(req, j->key_id, sizeof(j->key_id), j->sig))
			return (KORE_RESULT_OK);
		sign_tohex(j->sig, sizeof(j->sig), j->sig_hex);
		ar->step = 1;
	}
	j = ar->job;
	(void)snprintf(vendor, sizeof(vendor), "%lld", (long long)ar->who.org_id);
	if (ar->step == 1) {
		params[0] = j->key_id;
		params[1] = vendor;
		rc = db_call(req, &ar->db[0], usage_sql[SQL_SIGNING_KEY], 2,
		    params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
			return (usage_refuse(req, 401, "unknown_key",
			    "Gureum-Key-Id"));
		if (json_is_true(json_object_get(row, "revoked")))
			return (usage_refuse(req, 401, "revoked_key",
			    "Gureum-Key-Id"));
		pkhex = json_string_value(json_object_get(row, "public_key"));
		if (pkhex == NULL || sign_fromhex(pkhex, pk, sizeof(pk)) == -1)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		if (sign_verify(j->body, j->len, j->sig, pk) == -1)
			return (usage_refuse(req, 401, "bad_signature",
			    "Gureum-Signature"));
		j->signing_key = json_integer_value(json_object_get(row, "id"));
		doc = json_loadb((const char *)j->body, j->len,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (doc == NULL || !json_is_object(doc)) {
			json_decref(doc);
			return (usage_refuse(req, 400, "malformed_json", "body"));
		}
		json_object_foreach(doc, k, v) {
			if (strcmp(k, "contract_id") != 0 &&
			    strcmp(k, "month") != 0 &&
			    strcmp(k, "availability") != 0) {
				(void)usage_refuse(req, 400,
				    "malformed_json", k);
				json_decref(doc);
				return (KORE_RESULT_OK);
			}
		}
		v = json_object_get(doc, "contract_id");
		cid = json_is_integer(v) ? json_integer_value(v) : 0;
		if (cid <= 0) {
			json_decref(doc);
			return (usage_refuse(req, 400, "invalid_contract_id",
			    "contract_id"));
		}
		s = json_string_value(json_object_get(doc, "month"));
		if (s == NULL || !parse_month(s, j->month, sizeof(j->month))) {
			json_decref(doc);
			return (usage_refuse(req, 400, "invalid_month", "month"));
		}
		s = json_string_value(json_object_get(doc, "availability"));
		if (s == NULL || !parse_availability(s, &micro)) {
			json_decref(doc);
			return (usage_refuse(req, 400, "invalid_availability",
			    "availability"));
		}
		json_decref(doc);
		sign_hash(j->body, j->len, pk);
		sign_tohex(pk, SIGN_HASHBYTES, j->body_hex);
		(void)snprintf(j->num[0], sizeof(j->num[0]), "%lld",
		    (long long)cid);
		(void)snprintf(j->num[1], sizeof(j->num[1]), "%lld",
		    (long long)micro);
		(void)snprintf(j->num[2], sizeof(j->num[2]), "%lld",
		    (long long)ar->who.key_id);
		(void)snprintf(j->num[3], sizeof(j->num[3]), "%lld",
		    (long long)j->signing_key);
		ar->step = 2;
	}
	params[0] = vendor;
	params[1] = j->num[0];
	params[2] = j->month;
	params[3] = j->num[1];
	params[4] = NULL;
	params[5] = j->num[2];
	params[6] = j->num[3];
	params[7] = j->body_hex;
	params[8] = j->sig_hex;
	params[9] = ar->rid;
	params[10] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[1], usage_sql[SQL_AVAILABILITY], 11, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	row = json_array_get(ar->db[1].rows, 0);
	return (avail_outcome(req, json_string_value(json_object_get(row,
	    "outcome")), 1));
}

/* Answers an availability outcome (api: JSON always). */
static int
avail_outcome(struct http_request *req, const char *outcome, int api)
{
	struct app_req	*ar;
	json_t		*vm;

	ar = app_req(req);
	if (outcome == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (strcmp(outcome, "stored") == 0 || strcmp(outcome, "replaced") == 0) {
		if (!api && !ar->json)
			return (web_redirect(req, "/vendor/usage?done="
			    "availability"));
		vm = json_pack("{s:s}", "outcome", outcome);
		ar->vm = vm;
		return (web_json(req, 200, vm));
	}
	if (strcmp(outcome, "revoked_key") == 0)
		return (usage_refuse(req, 401, "revoked_key", "Gureum-Key-Id"));
	if (!api)
		return (avail_form_error(req, strcmp(outcome, "not_found") ==
		    0 ? 404 : strcmp(outcome, "not_your_contract") == 0 ? 403 :
		    409, strcmp(outcome, "not_found") == 0 ? "unknown_contract" :
		    outcome, strcmp(outcome, "not_found") == 0 ||
		    strcmp(outcome, "not_your_contract") == 0 ||
		    strcmp(outcome, "contract_not_billable") == 0 ? "contract" :
		    "month"));
	if (strcmp(outcome, "not_found") == 0)
		return (usage_refuse(req, 404, "unknown_contract",
		    "contract_id"));
	if (strcmp(outcome, "not_your_contract") == 0)
		return (usage_refuse(req, 403, outcome, "contract_id"));
	return (usage_refuse(req, 409, outcome, strcmp(outcome,
	    "contract_not_billable") == 0 ? "contract_id" : "month"));
}

/*
 * POST /vendor/usage/availability (contract, month, availability): the
 * same report from the vendor's page, recorded with the user. 303 back
 * to /vendor/usage; errors as for the API (the page shows them).
 */
int
usage_availability_form(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[11], *s;
	char		 vendor[24], user[24], month[16], micro[24], cstr[24];
	char		 addr[64];
	int64_t		 cid, m;
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 10)
		return (usage_vendor(req));	/* the page again, with its error */
	if (web_input_id(req, "contract", &cid) != 1)
		return (avail_form_error(req, 400, "invalid_contract_id",
		    "contract"));
	if ((s = web_input(req, "month")) == NULL ||
	    !parse_month(s, month, sizeof(month)))
		return (avail_form_error(req, 400, "invalid_month", "month"));
	if ((s = web_input(req, "availability")) == NULL ||
	    !parse_availability(s, &m))
		return (avail_form_error(req, 400, "invalid_availability",
		    "availability"));
	(void)snprintf(vendor, sizeof(vendor), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	(void)snprintf(micro, sizeof(micro), "%lld", (long long)m);
	(void)snprintf(cstr, sizeof(cstr), "%lld", (long long)cid);
	params[0] = vendor;
	params[1] = cstr;
	params[2] = month;
	params[3] = micro;
	params[4] = user;
	params[5] = NULL;
	params[6] = NULL;
	params[7] = NULL;
	params[8] = NULL;
	params[9] = ar->rid;
	params[10] = web_client_addr(req, addr, sizeof(addr));
	/* db[3]: the page may be rendered again with db[0..2]. */
	rc = db_call(req, &ar->db[3], usage_sql[SQL_AVAILABILITY], 11, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));
	row = json_array_get(ar->db[3].rows, 0);
	return (avail_outcome(req, json_string_value(json_object_get(row,
	    "outcome")), 0));
}

/*
 * A refused availability form: JSON as the API answers it, or the
 * vendor's page again with the error, the field marked and the input
 * kept (usage_vendor() renders it).
 */
static int
avail_form_error(struct http_request *req, int status, const char *code,
    const char *field)
{
	struct app_req	*ar;
	const char	*msg;

	ar = app_req(req);
	if (ar->json)
		return (usage_refuse(req, status, code, field));
	msg = code_message(req, code, NULL);
	if (ar->vm != NULL)
		json_decref(ar->vm);
	ar->vm = json_pack("{s:i, s:{s:s, s:s, s:s}, s:{s:s}, s:{s:s?, s:s?, "
	    "s:s?}}", "status", status, "error", "code", code, "message", msg,
	    "field", field, "invalid", field, msg, "form", "contract",
	    web_input(req, "contract"), "month", web_input(req, "month"),
	    "availability", web_input(req, "availability"));
	ar->step = 10;
	return (usage_vendor(req));
}

/*
 * GET /vendor/usage and GET /api/v1/usage: the vendor's recent batches
 * with their receipts, totals per contract, month and dimension, its
 * signing-key status, the availability reported, and the contracts it
 * may report on.
 */
int
usage_vendor(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1], *done, *sel;
	char		 vendor[24];
	json_t		*vm, *facts, *row, *prev;
	size_t		 i;
	int		 rc, k, status;

	ar = app_req(req);
	(void)snprintf(vendor, sizeof(vendor), "%lld", (long long)ar->who.org_id);
	params[0] = vendor;
	rc = DB_OK;
	for (k = 0; k < 3; k++) {
		rc = db_call(req, &ar->db[k], usage_sql[k == 0 ? SQL_BATCHES :
		    k == 1 ? SQL_TOTALS : SQL_VENDOR_FACTS], 1, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[k]));
	}
	facts = json_array_get(ar->db[2].rows, 0);
	/* A refused availability form: its error and input (ar->step 10). */
	prev = ar->step == 10 ? ar->vm : NULL;
	ar->vm = NULL;
	json_array_foreach(ar->db[1].rows, i, row)
		fmt_micro(row, "quantity", json_integer_value(json_object_get(row,
		    "quantity_micro")));
	json_array_foreach(json_object_get(facts, "availability"), i, row)
		fmt_micro(row, "availability", json_integer_value(
		    json_object_get(row, "availability_micro")));
	json_array_foreach(ar->db[0].rows, i, row)
		json_object_set_new(row, "csv", json_boolean(strcmp(
		    json_string_value(json_object_get(row, "source")), "csv") == 0));
	vm = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:b, s:s?}",
	    "title", web_str(req, "usage.vendor_title"),
	    "batches", ar->db[0].rows, "totals", ar->db[1].rows,
	    "active_keys", json_object_get(facts, "active_keys"),
	    "keys", json_object_get(facts, "keys"),
	    "contracts", json_object_get(facts, "contracts"),
	    "availability", json_object_get(facts, "availability"),
	    "marketplace_key_loaded", mk_loaded,
	    "marketplace_key", mk_loaded ? mk_b64 : NULL);
	if (vm == NULL) {
		json_decref(prev);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	ar->vm = vm;
	status = 200;
	if (prev != NULL) {
		status = (int)json_integer_value(json_object_get(prev, "status"));
		json_object_set(vm, "error", json_object_get(prev, "error"));
		json_object_set(vm, "invalid", json_object_get(prev, "invalid"));
		json_object_set(vm, "form", json_object_get(prev, "form"));
		sel = json_string_value(json_object_get(json_object_get(prev,
		    "form"), "contract"));
		json_array_foreach(json_object_get(vm, "contracts"), i, row) {
			(void)snprintf(vendor, sizeof(vendor), "%lld", (long long)
			    json_integer_value(json_object_get(row, "id")));
			json_object_set_new(row, "selected", json_boolean(
			    sel != NULL && strcmp(sel, vendor) == 0));
		}
		json_decref(prev);
	}
	if (!ar->json) {
		json_object_set_new(vm, "no_keys", json_boolean(
		    json_integer_value(json_object_get(facts, "active_keys")) == 0));
		if ((done = qs_get(&ar->qs, "done")) != NULL &&
		    strcmp(done, "availability") == 0)
			json_object_set_new(vm, "notice", json_string(
			    web_str(req, "usage.availability_saved")));
	}
	return (web_page(req, status, "usage_vendor", vm));
}

/* GET /vendor/usage/batches/:id and the API twin: one batch, its receipt
 * and its stored records. 404 for another vendor's batch. */
int
usage_batch(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 id[24], vendor[24];
	json_t		*row, *vm, *r;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(vendor, sizeof(vendor), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = vendor;
	rc = db_call(req, &ar->db[0], usage_sql[SQL_BATCH], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	json_array_foreach(json_object_get(row, "stored"), i, r)
		fmt_micro(r, "quantity", json_integer_value(json_object_get(r,
		    "quantity_micro")));
	if (ar->json)
		return (web_json(req, 200, row));
	vm = json_pack("{s:s, s:O, s:s?}", "title",
	    web_str(req, "usage.batch_title"), "batch", row, "receipt_text",
	    json_string_value(json_object_get(json_object_get(row, "receipt"),
	    "message")));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "usage_batch", vm));
}

/*
 * GET /vendor/usage-keys and GET /api/v1/usage/keys: the vendor's
 * signing keys (admins register and revoke, staff read).
 */
int
usage_keys(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1], *done;
	char		 vendor[24];
	json_t		*vm;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(vendor, sizeof(vendor), "%lld", (long long)ar->who.org_id);
	params[0] = vendor;
	rc = db_call(req, &ar->db[0], usage_sql[SQL_KEYS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if (ar->vm == NULL)
		ar->vm = json_object();
	vm = ar->vm;
	json_object_set_new(vm, "title", json_string(web_str(req,
	    "usage.keys_title")));
	json_object_set(vm, "keys", ar->db[0].rows);
	json_object_set_new(vm, "can_manage", json_boolean(
	    ar->who.role == ROLE_VADMIN));
	if (!ar->json && (done = qs_get(&ar->qs, "done")) != NULL) {
		if (strcmp(done, "registered") == 0)
			json_object_set_new(vm, "notice", json_string(
			    web_str(req, "usage.key_registered")));
		else if (strcmp(done, "revoked") == 0)
			json_object_set_new(vm, "notice", json_string(
			    web_str(req, "usage.key_revoked")));
	}
	if (ar->json)
		return (web_json(req, 200, vm));
	if (json_object_get(vm, "status") != NULL)
		return (web_page(req, (int)json_integer_value(
		    json_object_get(vm, "status")), "usage_keys", vm));
	return (web_page(req, 200, "usage_keys", vm));
}

/*
 * POST /vendor/usage-keys and /api/v1/usage/keys (name, public_key: the
 * Ed25519 public key, standard base64 of 32 bytes): registers a signing
 * key under a generated key id. 303 to the list (201 JSON with key_id);
 * 400 naming the field; 409 duplicate_key when that public key is
 * registered already (by anyone).
 */
int
usage_key_register(struct http_request *req)
{
	struct app_req	*ar;
	const char	*name, *pub, *params[7], *outcome, *field, *code;
	char		 org[24], user[24], addr[64], kid[40];
	char		 hex[SIGN_HEXLEN(SIGN_PKBYTES)];
	unsigned char	 pk[SIGN_PKBYTES], rnd[8];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 10)
		return (usage_keys(req));	/* the form again, with its error */
	name = web_input(req, "name");
	pub = web_input(req, "public_key");
	field = code = NULL;
	if (!web_text_ok(name, KEY_NAME_MAX, 1) ||
	    name[strcspn(name, "\t\r\n\x01\x02\x03\x04\x05\x06\x07\x08"
	    "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
	    "\x1a\x1b\x1c\x1d\x1e\x1f\x7f")] != '\0') {
		field = "name";
		code = "invalid_key_name";
	} else if (pub == NULL || *pub == '\0' ||
	    sign_fromb64(pub, pk, sizeof(pk)) == -1) {
		field = "public_key";
		code = "invalid_public_key";
	} else if (crypto_core_ed25519_is_valid_point(pk) != 1) {
		field = "public_key";
		code = "invalid_public_key";
	}
	if (code != NULL) {
		if (ar->json)
			return (usage_refuse(req, 400, code, field));
		ar->vm = json_pack("{s:s?, s:s?, s:{s:s, s:s, s:s}, s:{s:s}}",
		    "name", name, "public_key", pub, "error", "code", code,
		    "message", code_message(req, code, NULL), "field", field,
		    "invalid", field, code_message(req, code, NULL));
		json_object_set_new(ar->vm, "status", json_integer(400));
		ar->step = 10;
		return (usage_keys(req));
	}
	if (ar->step == 0) {
		randombytes_buf(rnd, sizeof(rnd));
		sign_tohex(rnd, sizeof(rnd), hex);
		ar->step = 1;
		ar->job = NULL;
		(void)snprintf(kid, sizeof(kid), "usk_%s", hex);
		json_decref(ar->vm);
		ar->vm = json_pack("{s:s}", "key_id", kid);
	}
	(void)kore_strlcpy(kid, json_string_value(json_object_get(ar->vm,
	    "key_id")), sizeof(kid));
	sign_tohex(pk, sizeof(pk), hex);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = org;
	params[1] = user;
	params[2] = name;
	params[3] = kid;
	params[4] = hex;
	params[5] = ar->rid;
	params[6] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[1], usage_sql[SQL_KEY_REGISTER], 7, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	row = json_array_get(ar->db[1].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if (outcome == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (strcmp(outcome, "duplicate") == 0) {
		if (ar->json)
			return (usage_refuse(req, 409, "duplicate_key",
			    "public_key"));
		json_decref(ar->vm);
		ar->vm = json_pack("{s:s, s:s, s:i, s:{s:s, s:s, s:s}, s:{s:s}}",
		    "name", name, "public_key", pub, "status", 409, "error",
		    "code", "duplicate_key", "message",
		    code_message(req, "duplicate_key", NULL), "field",
		    "public_key", "invalid", "public_key",
		    code_message(req, "duplicate_key", NULL));
		ar->step = 10;
		return (usage_keys(req));
	}
	if (ar->json)
		return (web_json(req, 201, row));
	return (web_redirect(req, "/vendor/usage-keys?done=registered"));
}

/*
 * POST /vendor/usage-keys/:id/revoke and the API twin: revokes a signing
 * key; batches it signed keep their proof. 303 (200 JSON); 404 for
 * another vendor's key; 409 already_revoked.
 */
int
usage_key_revoke(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5], *outcome;
	char		 id[24], org[24], user[24], addr[64];
	json_t		*row, *vm;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = id;
	params[1] = org;
	params[2] = user;
	params[3] = ar->rid;
	params[4] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], usage_sql[SQL_KEY_REVOKE], 5, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if (outcome == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (strcmp(outcome, "not_found") == 0)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (strcmp(outcome, "already_revoked") == 0)
		return (usage_refuse(req, 409, "already_revoked", NULL));
	if (ar->json) {
		vm = json_pack("{s:s, s:I}", "outcome", outcome, "id",
		    (json_int_t)ar->id);
		ar->vm = vm;
		return (web_json(req, 200, vm));
	}
	return (web_redirect(req, "/vendor/usage-keys?done=revoked"));
}

/*
 * GET /contracts/:id/usage and GET /api/v1/usage/contracts/:id (month
 * YYYY-MM, default the latest month with usage): for the buyer, the
 * vendor and the office, the month totals by the plan's aggregation,
 * daily totals per dimension and allocation tag in the chosen month, the
 * chain head and the availability reported. 404 for anyone else.
 */
int
usage_contract(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[4], *m, *agg;
	char		 id[24], org[24], month[16], first[16];
	json_t		*c, *vm, *row, *dims, *chain;
	size_t		 i;
	int		 rc;
	int64_t		 v;

	ar = app_req(req);
	month[0] = '\0';
	if ((m = qs_get(&ar->qs, "month")) != NULL && *m != '\0' &&
	    !parse_month(m, month, sizeof(month)))
		return (web_error(req, APP_EINVAL, "month", NULL));
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	params[3] = month[0] != '\0' ? month : NULL;
	rc = db_call(req, &ar->db[0], usage_sql[SQL_CONTRACT], 4, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((c = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	(void)snprintf(first, sizeof(first), "%s-01",
	    json_string_value(json_object_get(c, "month")));
	rc = db_call(req, &ar->db[1], usage_sql[SQL_CONTRACT_MONTHS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	params[1] = first;
	rc = db_call(req, &ar->db[2], usage_sql[SQL_CONTRACT_DAYS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));
	rc = db_call(req, &ar->db[3], usage_sql[SQL_CONTRACT_CHAIN], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));

	dims = json_object_get(c, "dims");
	json_array_foreach(ar->db[1].rows, i, row)
		fmt_micro(row, "quantity", json_integer_value(json_object_get(row,
		    "quantity_micro")));
	json_array_foreach(ar->db[2].rows, i, row) {
		agg = json_string_value(json_object_get(dims, json_string_value(
		    json_object_get(row, "dimension"))));
		if (agg == NULL)
			agg = "sum";
		if (strcmp(agg, "max") == 0)
			v = json_integer_value(json_object_get(row, "max_micro"));
		else if (strcmp(agg, "latest") == 0)
			v = json_integer_value(json_object_get(row,
			    "latest_micro"));
		else if (strcmp(agg, "unique_count") == 0)
			v = json_integer_value(json_object_get(row, "subjects")) *
			    1000000;
		else
			v = json_integer_value(json_object_get(row, "sum_micro"));
		json_object_set_new(row, "aggregation", json_string(agg));
		json_object_set_new(row, "quantity_micro", json_integer(v));
		fmt_micro(row, "quantity", v);
	}
	row = json_array_get(ar->db[3].rows, 0);
	chain = json_object_get(row, "chain");
	json_array_foreach(json_object_get(row, "availability"), i, c) {
		fmt_micro(c, "availability", json_integer_value(
		    json_object_get(c, "availability_micro")));
	}
	c = json_array_get(ar->db[0].rows, 0);
	vm = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O}", "title",
	    web_str(req, "usage.contract_title"), "contract", c,
	    "months", ar->db[1].rows, "days", ar->db[2].rows,
	    "chain", chain != NULL ? chain : json_null(), "availability",
	    json_object_get(row, "availability"));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	json_object_set(vm, "month", json_object_get(c, "month"));
	ar->vm = vm;
	return (web_page(req, 200, "usage_contract", vm));
}

/*
 * Answers a usage error: {"error": {"code", "message", "field"}} with
 * status, or the error page for browsers. The codes are this feature's
 * own (docs/metering.md), their messages usage.code.<code>.
 */
static int
usage_refuse(struct http_request *req, int status, const char *code,
    const char *field)
{
	struct app_req	*ar;
	json_t		*vm;

	ar = app_req(req);
	if (ar->json) {
		vm = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code,
		    "message", code_message(req, code, NULL), "field", field);
		if (vm == NULL)
			return (web_json(req, 500, json_null()));
		(void)web_json(req, status, vm);
		json_decref(vm);
		return (KORE_RESULT_OK);
	}
	vm = json_pack("{s:i, s:s, s:s, s:s?, s:s}", "status", status,
	    "code", code, "message", code_message(req, code, NULL), "field",
	    field, "title", code_message(req, code, NULL));
	if (vm == NULL)
		return (web_json(req, 500, json_null()));
	if (ar->vm != NULL)
		json_decref(ar->vm);
	ar->vm = vm;
	return (web_page(req, status, "error", vm));
}

/* The message of a code in lang (NULL: the request's). Never NULL. */
static const char *
code_message(struct http_request *req, const char *code, const char *lang)
{
	char		 key[96];
	const char	*s;

	(void)snprintf(key, sizeof(key), "usage.code.%s", code);
	if (lang == NULL)
		return (web_str(req, key));
	s = i18n_get(app_strings, key, lang);
	return (s != NULL ? s : code);
}

/*
 * Reads the request body (at most max bytes) into a kore_malloc'd buffer.
 * Returns 1, or 0 when it answered (413, 400).
 */
static int
read_body(struct http_request *req, unsigned char **out, size_t *len,
    size_t max)
{
	struct kore_buf	 b;
	char		 chunk[16384];
	ssize_t		 n;

	if (req->content_length > max)
		return (!usage_refuse(req, 413, "payload_too_large", "body"));
	kore_buf_init(&b, req->content_length > 0 ? req->content_length :
	    1024);
	for (;;) {
		n = http_body_read(req, chunk, sizeof(chunk));
		if (n == -1) {
			kore_buf_cleanup(&b);
			return (!usage_refuse(req, 400, "malformed_json",
			    "body"));
		}
		if (n == 0)
			break;
		kore_buf_append(&b, chunk, (size_t)n);
		if (b.offset > max) {
			kore_buf_cleanup(&b);
			return (!usage_refuse(req, 413, "payload_too_large",
			    "body"));
		}
	}
	*len = b.offset;
	*out = kore_buf_release(&b, len);
	return (1);
}

/*
 * The Gureum-Key-Id and Gureum-Signature headers. Returns 1, or 0 when
 * it answered: 401 unsigned (either missing), bad_signature (not base64
 * of 64 bytes), unknown_key (not a key id's shape).
 */
static int
signed_headers(struct http_request *req, char *kid, size_t kidlen,
    unsigned char *sig)
{
	const char	*k, *s;
	size_t		 len;

	if (!http_request_header(req, "gureum-key-id", &k) ||
	    !http_request_header(req, "gureum-signature", &s) || *k == '\0' ||
	    *s == '\0')
		return (!usage_refuse(req, 401, "unsigned", NULL));
	if (sign_fromb64(s, sig, SIGN_SIGBYTES) == -1)
		return (!usage_refuse(req, 401, "bad_signature",
		    "Gureum-Signature"));
	len = strlen(k);
	if (len == 0 || len >= kidlen || len > 64 || strspn(k,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") != len)
		return (!usage_refuse(req, 401, "unknown_key",
		    "Gureum-Key-Id"));
	(void)kore_strlcpy(kid, k, kidlen);
	return (1);
}

/*
 * Appends len bytes to b, growing it by doubling: kore_buf_append()
 * grows a buffer by exactly what is appended, so the thousands of small
 * appends of a batch's array literals reallocated on every call (10 ms
 * of a batch's 40, found by the benchmark).
 */
static void
ab_put(struct kore_buf *b, const void *d, size_t len)
{
	size_t	want;

	if (b->offset + len > b->length) {
		want = b->length * 2;
		if (want < b->offset + len)
			want = b->offset + len;
		b->data = kore_realloc(b->data, want);
		b->length = want;
	}
	memcpy(b->data + b->offset, d, len);
	b->offset += len;
}

/* Appends s as a quoted element of a PostgreSQL array literal. */
static void
pg_array_str(struct kore_buf *b, const char *s)
{
	size_t	n;

	ab_put(b, "\"", 1);
	while (*s != '\0') {
		n = strcspn(s, "\"\\");
		ab_put(b, s, n);
		s += n;
		if (*s != '\0') {
			ab_put(b, "\\", 1);
			ab_put(b, s, 1);
			s++;
		}
	}
	ab_put(b, "\"", 1);
}

/* The buffer's bytes as a kore_malloc'd string; the buffer is spent. */
static char *
buf_str(struct kore_buf *b)
{
	size_t	len;

	ab_put(b, "", 1);
	return ((char *)kore_buf_release(b, &len));
}

/* "YYYY-MM" into "YYYY-MM-01"; 1 or 0. */
static int
parse_month(const char *s, char *out, size_t len)
{
	int	y, m;

	if (strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789-") != 7 ||
	    sscanf(s, "%4d-%2d", &y, &m) != 2 || y < 2000 || y > 2100 ||
	    m < 1 || m > 12)
		return (0);
	(void)snprintf(out, len, "%04d-%02d-01", y, m);
	return (1);
}

/* A percentage 0..100 with up to 6 decimals into micro-percent. */
static int
parse_availability(const char *s, int64_t *micro)
{
	if (money_parse(s, 0, micro) != MONEY_OK)
		return (0);
	return (*micro <= 100000000);
}

/* row[name] = the canonical decimal of micro. */
static void
fmt_micro(json_t *row, const char *name, int64_t micro)
{
	char	buf[MONEY_FMT_MAX];

	if (money_format_micro(micro, 0, buf, sizeof(buf)) != MONEY_OK)
		buf[0] = '\0';
	json_object_set_new(row, name, json_string(buf));
}

static void
ing_job_free(void *arg)
{
	struct ing_job	*j = arg;
	size_t		 i;

	kore_free(j->body);
	kore_free(j->recs);
	for (i = 0; i < 3; i++)
		kore_free(j->prep[i]);
	for (i = 0; i < 26; i++)
		kore_free(j->commit[i]);
	if (j->receipt != NULL)
		json_decref(j->receipt);
	if (j->receipts != NULL)
		json_decref(j->receipts);
	kore_free(j);
}

static void
avail_job_free(void *arg)
{
	struct avail_job	*j = arg;

	kore_free(j->body);
	kore_free(j);
}
