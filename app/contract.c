/*
 * Contracts (디지털서비스 전문계약, the direct 수의계약 route), the inbox,
 * and the procurement office's transition cases.
 *
 * A buyer creates a draft from a recorded eligibility decision that
 * allows it (eligcheck.c): the contract pins the listing version and its
 * rate plan, the start date the decision was made for, the ceiling
 * (계약금액, VAT included, whole won) with an optional split by fiscal
 * year, allocation tags, the rounding rule, the hand-over clause, what
 * happens to the data at the end and the vendor's notice period. The
 * standard terms are shown beside it and every deviation is marked.
 * Then: the buyer submits, the agency's approver approves, the vendor's
 * admin accepts (the document's SHA-256 is recorded then) and it is
 * active. Every step is contract_step() in sql/0014_contracts.sql, which
 * checks role, state and that the service may still be sold, and writes
 * the audit event and the notifications of whoever acts next.
 *
 * When a certificate a contract relies on is lost, or its vendor, the
 * database flags the contract, opens a transition case and notifies
 * everyone concerned (triggers in 0014); new contracts and the steps
 * towards signature are refused from that moment. The office tracks each
 * case to remediation, hand-over or termination.
 *
 * Contracts are seen by their agency, their vendor and the office; any
 * other organisation gets 404.
 */

#include <errno.h>
#include <sodium.h>
#include <time.h>

#include "gureum.h"
#include "money.h"
#include "eligibility.h"
#include "pdfdoc.h"

/* Debian's fonts-nanum (conf/deps.sh installs it). */

/*
 * A PDF rendering shared by the request and its task thread: the
 * document as JSON text in, the PDF out. Two references; whoever drops
 * the last frees it, so a client that goes away mid-rendering frees
 * nothing the thread still uses.
 */
#define TITLE_MAX	200
#define HANDOVER_MAX	2000
#define DEVIATIONS_MAX	4000
#define REASON_MAX	1000
#define TAGS_MAX	20
#define TAG_MAX		50
#define FY_MAX		11
#define CEILING_MAX	100000000000000LL	/* 100조 원 */
#define TERM_DAYS_MAX	3660
#define KST		"'Asia/Seoul'"

enum ct_sql {
	SQL_LIST,
	SQL_ONE,
	SQL_HISTORY,
	SQL_CASES,
	SQL_NEW,
	SQL_CREATE,
	SQL_STEP,
	SQL_INBOX,
	SQL_INBOX_READ,
	SQL_TRANSITIONS,
	SQL_TRANSITION_CLOSE,
	SQL_AMENDMENTS,
	SQL_AMEND_PROPOSE,
	SQL_AMEND_ONE,
	SQL_AMEND_DECIDE,
	SQL_PINNED,
	SQL__MAX
};

#define CONTRACT_COLS \
	"c.id, c.org_id, c.vendor_id, c.listing_id, c.listing_version," \
	" c.title, to_char(c.start_date, 'YYYY-MM-DD') AS start," \
	" to_char(c.end_date, 'YYYY-MM-DD') AS \"end\", c.ceiling_won," \
	" c.fy_split, to_jsonb(c.tags) AS tags, c.rounding, c.handover, c.data_end," \
	" c.notice_days, c.deviations, c.status, c.end_reason," \
	" c.document_hash, c.system_id, c.decision_id," \
	" s.name AS system_name, l.name_ko AS listing_ko," \
	" l.name_en AS listing_en, l.service_type," \
	" a.name_ko AS agency_ko, a.name_en AS agency_en," \
	" v.name_ko AS vendor_ko, v.name_en AS vendor_en," \
	" v.company_size, c.flag_reason," \
	" to_char(c.flagged_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS flagged_at," \
	" to_char(c.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS created_at," \
	" to_char(c.activated_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS activated_at," \
	" CASE WHEN c.activated_at IS NOT NULL THEN" \
	"  floor(extract(epoch FROM c.activated_at - coalesce(" \
	"  c.first_request_at, c.created_at)) / 86400)::integer END" \
	" AS days_to_active"

#define CONTRACT_FROM \
	" FROM contracts c JOIN organisations a ON a.id = c.org_id" \
	" JOIN organisations v ON v.id = c.vendor_id" \
	" JOIN listings l ON l.id = c.listing_id" \
	" JOIN agency_systems s ON s.id = c.system_id"

/* $2 organisation, $3 operator: the contracts the caller may see. */
#define CONTRACT_MINE \
	" (c.org_id = $2 OR c.vendor_id = $2 OR $3::boolean)"

static const char *const ct_sql[SQL__MAX] = {
	/* SQL_LIST: $1 unused (NULL), $2 org, $3 operator */
	"SELECT " CONTRACT_COLS CONTRACT_FROM " WHERE ($1::bigint IS NULL)"
	" AND" CONTRACT_MINE " ORDER BY c.id DESC LIMIT 500",
	/* SQL_ONE: $1 id, $2 org, $3 operator */
	"SELECT " CONTRACT_COLS ", c.rate_plan, c.version" CONTRACT_FROM
	" WHERE c.id = $1 AND" CONTRACT_MINE,
	/* SQL_HISTORY: $1 id (text) */
	"SELECT to_char(e.at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS at, e.action, u.name AS actor, e.summary->>'reason' AS reason,"
	" e.summary->>'to' AS \"to\""
	" FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id"
	" WHERE e.object_type = 'contract' AND e.object_id = $1"
	" ORDER BY e.id",
	/* SQL_CASES: $1 contract */
	"SELECT t.id, t.cause, t.status, to_char(t.deadline, 'YYYY-MM-DD')"
	" AS deadline, to_char(t.opened_at AT TIME ZONE " KST ","
	" 'YYYY-MM-DD HH24:MI') AS opened_at, t.note"
	" FROM transition_cases t WHERE t.contract_id = $1 ORDER BY t.id",
	/* SQL_NEW: $1 decision, $2 org */
	"SELECT d.id AS decision, d.outcome, d.agency_choice,"
	" to_char(d.start_date, 'YYYY-MM-DD') AS start,"
	" to_char(d.start_date + interval '1 year' - interval '1 day',"
	" 'YYYY-MM-DD') AS \"end\", s.name AS system_name,"
	" l.id AS listing_id, l.name_ko AS listing_ko,"
	" l.name_en AS listing_en, v.name_ko AS vendor_ko,"
	" v.name_en AS vendor_en, contract_service_ok(l.id) AS service_ok"
	" FROM eligibility_decisions d JOIN agency_systems s"
	" ON s.id = d.system_id JOIN listings l ON l.id = d.listing_id"
	" JOIN organisations v ON v.id = l.vendor_id"
	" WHERE d.id = $1 AND d.org_id = $2",
	/* SQL_CREATE: contract_create()'s 18 arguments */
	"SELECT outcome, contract_id FROM contract_create($1, $2, $3, $4,"
	" $5::date, $6::date, $7::bigint, $8::jsonb, $9::text[], $10, $11,"
	" $12, $13::integer, $14, $15, $16::bigint, $17, $18)",
	/* SQL_STEP: contract_step()'s 10 arguments */
	"SELECT outcome, was FROM contract_step($1, $2, $3, $4, $5, $6, $7,"
	" $8, $9, $10)",
	/* SQL_INBOX: $1 user */
	"SELECT id, kind, subject_ko, subject_en, link,"
	" to_char(created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_at, read_at IS NOT NULL AS read,"
	" (SELECT count(*) FROM notifications n WHERE n.user_id = $1"
	"  AND n.read_at IS NULL) AS unread"
	" FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 200",
	/* SQL_INBOX_READ: $1 user, $2 id or NULL for all */
	"UPDATE notifications SET read_at = now() WHERE user_id = $1"
	" AND read_at IS NULL AND ($2::bigint IS NULL OR id = $2::bigint)"
	" RETURNING id",
	/* SQL_TRANSITIONS: $1 status filter or NULL */
	"SELECT t.id, t.contract_id, t.cause, t.status,"
	" to_char(t.deadline, 'YYYY-MM-DD') AS deadline,"
	" to_char(t.opened_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS opened_at, floor(extract(epoch FROM now() - t.opened_at)"
	" / 86400)::integer AS age_days, t.note, c.title,"
	" a.name_ko AS agency_ko, a.name_en AS agency_en,"
	" v.name_ko AS vendor_ko, v.name_en AS vendor_en"
	" FROM transition_cases t JOIN contracts c ON c.id = t.contract_id"
	" JOIN organisations a ON a.id = c.org_id"
	" JOIN organisations v ON v.id = c.vendor_id"
	" WHERE $1::text IS NULL OR t.status = $1 ORDER BY t.opened_at, t.id"
	" LIMIT 500",
	/* SQL_TRANSITION_CLOSE: $1 id, $2 status, $3 note, $4 user, $5 org, $6 rid, $7 addr */
	"WITH t AS (UPDATE transition_cases SET status = $2, note = $3,"
	"  closed_at = now(), closed_by = $4 WHERE id = $1 AND status = 'open'"
	"  RETURNING id, contract_id),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $4, $5, 'transition_closed', 'contract',"
	"  t.contract_id::text, jsonb_build_object('case', t.id,"
	"  'status', $2::text, 'note', $3::text), $6, $7 FROM t)"
	" SELECT (SELECT id FROM t) AS closed,"
	" EXISTS (SELECT 1 FROM transition_cases WHERE id = $1) AS found",
	/* SQL_AMENDMENTS: $1 contract (already checked) */
	"SELECT a.id, a.proposed_by_org, o.name_ko AS proposer_ko,"
	" o.name_en AS proposer_en, u.name AS proposed_by, a.ceiling_won,"
	" to_char(a.end_date, 'YYYY-MM-DD') AS \"end\", a.fy_split, a.reason,"
	" a.status, a.version, a.document_hash, du.name AS decided_by,"
	" a.decision_note,"
	" to_char(a.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_at,"
	" to_char(a.decided_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS decided_at"
	" FROM contract_amendments a JOIN organisations o"
	" ON o.id = a.proposed_by_org JOIN users u ON u.id = a.proposed_by"
	" LEFT JOIN users du ON du.id = a.decided_by"
	" WHERE a.contract_id = $1 ORDER BY a.id",
	/* SQL_AMEND_PROPOSE: contract_amend_propose()'s 10 arguments */
	"SELECT outcome, amendment_id FROM contract_amend_propose($1, $2, $3,"
	" $4, $5::bigint, $6::date, $7::jsonb, $8, $9, $10)",
	/* SQL_AMEND_ONE: $1 amendment, $2 org: it with its contract */
	"SELECT " CONTRACT_COLS ", c.rate_plan, c.version,"
	" am.ceiling_won AS new_ceiling_won,"
	" to_char(am.end_date, 'YYYY-MM-DD') AS new_end,"
	" am.fy_split AS new_fy_split" CONTRACT_FROM
	" JOIN contract_amendments am ON am.contract_id = c.id"
	" WHERE am.id = $1 AND (c.org_id = $2 OR c.vendor_id = $2)",
	/* SQL_AMEND_DECIDE: contract_amend_decide()'s 9 arguments */
	"SELECT outcome, contract_id FROM contract_amend_decide($1, $2, $3,"
	" $4, $5::boolean, $6, $7, $8, $9)",
	/* SQL_PINNED: $1 contract, $2 org, $3 operator: the version bought */
	"SELECT c.id, c.title, c.listing_id, c.listing_version, l.status"
	" AS listing_status, lv.document, lv.rate_plan,"
	" to_char(lv.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD')"
	" AS version_date"
	" FROM contracts c JOIN listings l ON l.id = c.listing_id"
	" JOIN listing_versions lv ON lv.listing_id = c.listing_id"
	" AND lv.version = c.listing_version"
	" WHERE c.id = $1 AND" CONTRACT_MINE,
};

/* What each outcome of the SQL functions answers. */
static const struct {
	const char	*outcome;
	enum app_err	 err;		/* APP_OK: success */
	const char	*key;
} outcomes[] = {
	{ "created", APP_OK, NULL },
	{ "exists", APP_OK, NULL },
	{ "ok", APP_OK, NULL },
	{ "no_contract", APP_ENOTFOUND, NULL },
	{ "no_decision", APP_ENOTFOUND, "contract.error_decision" },
	{ "no_quote", APP_ECONFLICT, "contract.error_quote" },
	{ "not_allowed", APP_ECONFLICT, "contract.error_not_allowed" },
	{ "forbidden", APP_EFORBIDDEN, "contract.error_forbidden" },
	{ "state", APP_ECONFLICT, "contract.error_state" },
	{ "reason", APP_EINVAL, "contract.error_reason" },
	{ "listing_unavailable", APP_ECONFLICT, "contract.error_listing" },
	{ "vendor_unavailable", APP_ECONFLICT, "contract.error_vendor" },
	{ "certificate_lost", APP_ECONFLICT, "contract.error_certificate" },
	{ "proposed", APP_OK, NULL },
	{ "no_amendment", APP_ENOTFOUND, NULL },
	{ "open", APP_ECONFLICT, "contract.error_amend_open" },
	{ "end", APP_EINVAL, "contract.error_amend_end" },
	{ "same", APP_EINVAL, "contract.error_amend_same" },
	{ "fy_needed", APP_EINVAL, "contract.error_amend_fy" },
};

#define NOUTCOMES	(sizeof(outcomes) / sizeof(outcomes[0]))

/* The steps, as the path's ?step= names them. */
static const char *const steps[] = {
	"submit", "approve", "accept", "return", "cancel", "suspend",
	"resume", "terminate", "hand_over"
};

/* A form of the new contract, as read and checked. */
struct ct_form {
	const char	*title;
	const char	*start;
	const char	*end;
	const char	*handover;
	const char	*deviations;
	const char	*rounding;
	const char	*data_end;
	char		 decision[24];
	char		 ceiling[24];
	char		 notice[16];
	char		 token[72];
	char		 quote[24];
	char		*fy;		/* JSON, malloc'd */
	char		*tags;		/* array literal, malloc'd */
};

static int	 ct_outcome(struct http_request *, const char *,
		    enum app_err *, const char **);
static enum app_err ct_form_read(struct http_request *, struct ct_form *,
		    int64_t *, const char **, const char **);
static void	 ct_form_free(struct ct_form *);
static int	 ct_new_page(struct http_request *, int, enum app_err,
		    const char *, const char *);
static void	 ct_decorate(struct http_request *, json_t *);
static json_t	*ct_terms(struct http_request *, json_t *);
static char	*ct_document(json_t *);
static int	 ct_date(const char *, int *);
static int64_t	 ct_ceiling(struct http_request *);
static json_t	*ct_pdf_doc(struct http_request *, json_t *);
static void	 ct_amendments(struct http_request *, json_t *, json_t *);
static char	*ct_fy(struct http_request *, int, int, int64_t,
		    const char **);
static int	 ct_days(int, int);

/* GET /contracts and the API twin: the caller's contracts and who acts. */
int
contract_list(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[3];
	char		 org[24];
	json_t		*vm, *row;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = NULL;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ct_sql[SQL_LIST], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		ct_decorate(req, row);
	vm = json_pack("{s:s, s:O, s:b}", "title",
	    web_str(req, "contract.list_title"), "contracts", ar->db[0].rows,
	    "is_vendor", strcmp(ar->who.org_kind, "vendor") == 0);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "contracts", vm));
}

/* GET /contracts/new?decision=N: the draft form, standard terms shown. */
int
contract_new(struct http_request *req)
{
	return (ct_new_page(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /contracts and /api/v1/contracts: a draft from a decision (see
 * the file comment for the fields). 303 to it (201 for JSON); the same
 * token twice answers the first contract (200). 400 naming the field;
 * 404 for a decision of another agency; 409 when the decision does not
 * allow it or the service may no longer be sold (the reason given).
 */
int
contract_create(struct http_request *req)
{
	struct app_req	*ar;
	struct ct_form	 f;
	const char	*params[18], *field, *key, *outcome;
	char		 org[24], user[24], addr[64], url[64];
	enum app_err	 err;
	int64_t		 decision;
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if ((err = ct_form_read(req, &f, &decision, &field, &key)) != APP_OK) {
		ct_form_free(&f);
		if (ar->json || decision == 0)
			return (web_error(req, err, field, key));
		return (ct_new_page(req, 400, err, field, key));
	}
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = org;
	params[1] = user;
	params[2] = f.decision;
	params[3] = f.title;
	params[4] = f.start;
	params[5] = f.end;
	params[6] = f.ceiling;
	params[7] = f.fy;
	params[8] = f.tags;
	params[9] = f.rounding;
	params[10] = f.handover;
	params[11] = f.data_end;
	params[12] = f.notice;
	params[13] = f.deviations;
	params[14] = f.token;
	params[15] = f.quote[0] != '\0' ? f.quote : NULL;
	params[16] = ar->rid;
	params[17] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[2], ct_sql[SQL_CREATE], 18, params);
	ct_form_free(&f);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));
	row = json_array_get(ar->db[2].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if (!ct_outcome(req, outcome, &err, &key)) {
		if (ar->json || err == APP_ENOTFOUND)
			return (web_error(req, err, NULL, key));
		return (ct_new_page(req, err == APP_EINVAL ? 400 : 409, err,
		    "decision", key));
	}
	if (ar->json)
		return (web_json(req, strcmp(outcome, "created") == 0 ? 201 :
		    200, row));
	(void)snprintf(url, sizeof(url), "/contracts/%lld", (long long)
	    json_integer_value(json_object_get(row, "contract_id")));
	return (web_redirect(req, url));
}

/*
 * GET /contracts/:id and the API twin: the contract, its terms against
 * the standard ones, who acts next, its history, transition cases and
 * the steps the caller may take.
 */
int
contract_show(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[3];
	char		 id[24], org[24];
	json_t		*row, *vm;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ct_sql[SQL_ONE], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], ct_sql[SQL_HISTORY], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	rc = db_call(req, &ar->db[2], ct_sql[SQL_CASES], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));
	rc = db_call(req, &ar->db[3], ct_sql[SQL_AMENDMENTS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));

	ct_decorate(req, row);
	ct_amendments(req, row, ar->db[3].rows);
	json_object_set(row, "history", ar->db[1].rows);
	json_object_set(row, "cases", ar->db[2].rows);
	json_object_set_new(row, "terms", ct_terms(req, row));
	if (ar->json)
		return (web_json(req, 200, row));
	vm = json_pack("{s:O, s:O}", "title", json_object_get(row, "title"),
	    "contract", row);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "contract", vm));
}

/*
 * POST /contracts/:id/step (step, reason) and the API twin: one step.
 * For accept, the contract document is hashed first (db[0]) and the
 * hash recorded with the step (db[1]). 400 for an unknown step or a
 * missing reason; 403 when it is not the caller's step; 404; 409 from
 * the wrong state (naming the state found) or when the service may no
 * longer be sold.
 */
int
contract_step(struct http_request *req)
{
	struct app_req	*ar;
	const char	*step, *reason, *params[10], *outcome, *key;
	char		 id[24], org[24], user[24], addr[64], url[64];
	char		 hash[crypto_hash_sha256_BYTES * 2 + 1];
	unsigned char	 bin[crypto_hash_sha256_BYTES];
	char		*doc;
	enum app_err	 err;
	json_t		*row;
	size_t		 i, len;
	int		 rc;

	ar = app_req(req);
	step = web_input(req, "step");
	for (i = 0; step != NULL && i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(step, steps[i]) == 0)
			break;
	if (step == NULL || i == sizeof(steps) / sizeof(steps[0]))
		return (web_error(req, APP_EINVAL, "step", NULL));
	reason = web_input(req, "reason");
	if (reason == NULL)
		reason = "";
	len = strlen(reason);
	if (!utf8_valid(reason, len) || utf8_len(reason, len) > REASON_MAX)
		return (web_error(req, APP_ETOOLONG, "reason",
		    "contract.error_reason_long"));

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	hash[0] = '\0';
	if (strcmp(step, "accept") == 0) {
		params[0] = id;
		params[1] = org;
		params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
		rc = db_call(req, &ar->db[0], ct_sql[SQL_ONE], 3, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
			return (web_error(req, APP_ENOTFOUND, NULL, NULL));
		if ((doc = ct_document(row)) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		crypto_hash_sha256(bin, (unsigned char *)doc, strlen(doc));
		free(doc);
		sodium_bin2hex(hash, sizeof(hash), bin, sizeof(bin));
	}
	params[0] = id;
	params[1] = org;
	params[2] = ar->who.org_kind;
	params[3] = auth_role_name(ar->who.role);
	params[4] = user;
	params[5] = step;
	params[6] = reason;
	params[7] = hash[0] != '\0' ? hash : NULL;
	params[8] = ar->rid;
	params[9] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[1], ct_sql[SQL_STEP], 10, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	row = json_array_get(ar->db[1].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if (!ct_outcome(req, outcome, &err, &key))
		return (web_error(req, err, err == APP_EINVAL ? "reason" : NULL,
		    key));
	if (ar->json)
		return (web_json(req, 200, row));
	(void)snprintf(url, sizeof(url), "/contracts/%s", id);
	return (web_redirect(req, url));
}

/*
 * POST /contracts/:id/amendments (ceiling_won, end, fy_split, reason):
 * the agency's approver or the vendor's admin proposes new terms for an
 * active or suspended contract. 303 to the contract (201 for JSON). 400
 * naming the field (a reason is required; the end date may not be before
 * the start or today; a contract with a fiscal-year split needs a new
 * one that adds up); 403; 404; 409 when one is open already, from the
 * wrong state, or when the service may no longer be sold.
 */
int
contract_amend(struct http_request *req)
{
	struct app_req	*ar;
	const char	*reason, *end, *params[10], *outcome, *key;
	char		 id[24], org[24], user[24], addr[64], url[64];
	char		 ceil[24], *fy;
	enum app_err	 err;
	int64_t		 ceiling;
	json_t		*row;
	int		 rc, stop;

	ar = app_req(req);
	if ((ceiling = ct_ceiling(req)) <= 0)
		return (web_error(req, APP_EINVAL, "ceiling_won",
		    "contract.error_ceiling"));
	end = web_input(req, "end");
	if (!ct_date(end, &stop))
		return (web_error(req, APP_EINVAL, "end", "contract.error_end"));
	reason = web_input(req, "reason");
	if (!web_text_ok(reason, REASON_MAX, 1))
		return (web_error(req, APP_EINVAL, "reason",
		    "contract.error_reason"));
	/* The split's years are checked against the new end in SQL terms:
	 * from the year 2000 on, up to the new end's year. */
	if ((fy = ct_fy(req, 20000101, stop, ceiling, &key)) == NULL)
		return (web_error(req, APP_EINVAL, "fy_split", key));

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	(void)snprintf(ceil, sizeof(ceil), "%lld", (long long)ceiling);
	params[0] = id;
	params[1] = org;
	params[2] = auth_role_name(ar->who.role);
	params[3] = user;
	params[4] = ceil;
	params[5] = end;
	params[6] = fy;
	params[7] = reason;
	params[8] = ar->rid;
	params[9] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], ct_sql[SQL_AMEND_PROPOSE], 10, params);
	kore_free(fy);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if (!ct_outcome(req, outcome, &err, &key))
		return (web_error(req, err, err == APP_EINVAL ? (strcmp(outcome,
		    "end") == 0 ? "end" : strcmp(outcome, "fy_needed") == 0 ?
		    "fy_split" : "ceiling_won") : NULL, key));
	if (ar->json)
		return (web_json(req, 201, row));
	(void)snprintf(url, sizeof(url), "/contracts/%s", id);
	return (web_redirect(req, url));
}

/*
 * POST /contract-amendments/:id (decision accept|reject|withdraw, note):
 * the other side accepts or rejects an open amendment, its proposer may
 * withdraw it. Accepting makes the contract's next version and records
 * its document's SHA-256. 400; 403 (not the other side, or not its
 * approver/admin); 404; 409 when it is no longer open.
 */
int
contract_amend_decide(struct http_request *req)
{
	struct app_req	*ar;
	const char	*decision, *note, *params[9], *outcome, *key;
	char		 id[24], org[24], user[24], addr[64], url[64];
	char		 hash[crypto_hash_sha256_BYTES * 2 + 1], *doc;
	unsigned char	 bin[crypto_hash_sha256_BYTES];
	enum app_err	 err;
	json_t		*row, *copy;
	size_t		 len;
	int		 rc;

	ar = app_req(req);
	decision = web_input(req, "decision");
	if (decision == NULL || (strcmp(decision, "accept") != 0 &&
	    strcmp(decision, "reject") != 0 && strcmp(decision, "withdraw") != 0))
		return (web_error(req, APP_EINVAL, "decision", NULL));
	note = web_input(req, "note");
	if (note == NULL)
		note = "";
	len = strlen(note);
	if (!utf8_valid(note, len) || utf8_len(note, len) > REASON_MAX)
		return (web_error(req, APP_ETOOLONG, "note", NULL));
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);

	/* The next version's document, to hash it. */
	params[0] = id;
	params[1] = org;
	rc = db_call(req, &ar->db[0], ct_sql[SQL_AMEND_ONE], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if ((copy = json_deep_copy(row)) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	json_object_set(copy, "ceiling_won", json_object_get(row,
	    "new_ceiling_won"));
	json_object_set(copy, "end", json_object_get(row, "new_end"));
	json_object_set(copy, "fy_split", json_object_get(row,
	    "new_fy_split"));
	json_object_set_new(copy, "version", json_integer(json_integer_value(
	    json_object_get(row, "version")) + 1));
	doc = ct_document(copy);
	json_decref(copy);
	if (doc == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	crypto_hash_sha256(bin, (unsigned char *)doc, strlen(doc));
	free(doc);
	sodium_bin2hex(hash, sizeof(hash), bin, sizeof(bin));

	params[0] = id;
	params[1] = org;
	params[2] = auth_role_name(ar->who.role);
	params[3] = user;
	params[4] = strcmp(decision, "withdraw") == 0 ? NULL :
	    strcmp(decision, "accept") == 0 ? "true" : "false";
	params[5] = note;
	params[6] = hash;
	params[7] = ar->rid;
	params[8] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[1], ct_sql[SQL_AMEND_DECIDE], 9, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	row = json_array_get(ar->db[1].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if (!ct_outcome(req, outcome, &err, &key))
		return (web_error(req, err, NULL, key));
	if (ar->json)
		return (web_json(req, 200, row));
	(void)snprintf(url, sizeof(url), "/contracts/%lld", (long long)
	    json_integer_value(json_object_get(row, "contract_id")));
	return (web_redirect(req, url));
}

/*
 * Adds the amendments to a contract row with what the caller may do: the
 * list, the open one, may it propose, may it decide or withdraw.
 */
static void
ct_amendments(struct http_request *req, json_t *row, json_t *list)
{
	struct app_req	*ar;
	json_t		*a, *open;
	const char	*status;
	char		 won[MONEY_FMT_MAX];
	size_t		 i;
	int		 side, mine;

	ar = app_req(req);
	side = (json_integer_value(json_object_get(row, "org_id")) ==
	    ar->who.org_id && ar->who.role == ROLE_APPROVER) ||
	    (json_integer_value(json_object_get(row, "vendor_id")) ==
	    ar->who.org_id && ar->who.role == ROLE_VADMIN);
	open = NULL;
	json_array_foreach(list, i, a) {
		json_object_set_new(a, "proposer", json_string(web_pick(req, a,
		    "proposer_ko", "proposer_en")));
		if (money_format_won(json_integer_value(json_object_get(a,
		    "ceiling_won")), MONEY_FMT_GROUP, won, sizeof(won)) ==
		    MONEY_OK)
			json_object_set_new(a, "ceiling", json_string(won));
		status = json_string_value(json_object_get(a, "status"));
		if (status != NULL && strcmp(status, "proposed") == 0) {
			open = a;
			mine = json_integer_value(json_object_get(a,
			    "proposed_by_org")) == ar->who.org_id;
			json_object_set_new(a, "can_decide",
			    json_boolean(side && !mine));
			json_object_set_new(a, "can_withdraw",
			    json_boolean(side && mine));
		}
	}
	json_object_set(row, "amendments", list);
	status = json_string_value(json_object_get(row, "status"));
	json_object_set_new(row, "can_amend", json_boolean(side && open ==
	    NULL && status != NULL && (strcmp(status, "active") == 0 ||
	    strcmp(status, "suspended") == 0)));
}

/*
 * GET /contracts/:id/listing and the API twin: the listing as the
 * contract bought it (its pinned version), readable by the contract's
 * parties even after the listing was changed, suspended or withdrawn.
 */
int
contract_pinned(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[3], *st;
	char		 id[24], org[24], key[32];
	json_t		*row, *doc, *vm, *dims, *d, *x;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ct_sql[SQL_PINNED], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (ar->json)
		return (web_json(req, 200, row));
	doc = json_object_get(row, "document");
	st = json_string_value(json_object_get(doc, "service_type"));
	(void)snprintf(key, sizeof(key), "type.%s", st != NULL ? st : "");
	dims = json_array();
	json_array_foreach(json_object_get(json_object_get(row, "rate_plan"),
	    "dimensions"), i, d) {
		x = json_pack("{s:O, s:s, s:O?, s:O?}", "code",
		    json_object_get(d, "code"), "unit", web_pick(req, d,
		    "unit_ko", "unit_en"), "model", json_object_get(d, "model"),
		    "aggregation", json_object_get(d, "aggregation"));
		if (x != NULL)
			json_array_append_new(dims, x);
	}
	vm = json_pack("{s:s, s:O, s:O, s:O, s:O, s:s, s:s, s:s, s:s, s:o, "
	    "s:b}", "title", web_str(req, "contract.pinned_title"),
	    "contract_id", json_object_get(row, "id"),
	    "contract_title", json_object_get(row, "title"),
	    "listing_version", json_object_get(row, "listing_version"),
	    "version_date", json_object_get(row, "version_date"),
	    "name", web_pick(req, doc, "name_ko", "name_en"),
	    "summary", web_pick(req, doc, "summary_ko", "summary_en"),
	    "description", web_pick(req, doc, "description_ko",
	    "description_en"),
	    "service_type_label", web_str(req, key),
	    "dimensions", dims,
	    "published", (st = json_string_value(json_object_get(row,
	    "listing_status"))) != NULL && strcmp(st, "published") == 0);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	json_object_set(vm, "listing_id", json_object_get(row, "listing_id"));
	return (web_page(req, 200, "contract_listing", vm));
}

/*
 * GET /contracts/:id/document.pdf: the contract document as PDF, in the
 * reader's language, for its parties and the office. Rendered in a Kore
 * task (libharu with an embedded Korean font takes tens of
 * milliseconds), so the worker's event loop goes on meanwhile. The
 * SHA-256 recorded on acceptance is printed in it.
 */
int
contract_document(struct http_request *req)
{
	struct app_req		*ar;
	const char		*params[3];
	char			 id[24], org[24], name[96];
	json_t			*row, *doc;
	int			 rc;

	ar = app_req(req);
	if (ar->step == 1) {
		(void)snprintf(name, sizeof(name), "attachment; filename="
		    "\"gureum-contract-%lld.pdf\"", (long long)ar->id);
		return (pdfjob_finish(req, "contract", name));
	}

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ct_sql[SQL_ONE], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	ct_decorate(req, row);
	if ((doc = ct_pdf_doc(req, row)) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (pdfjob_start(req, doc, pdfdoc_render));
}

/* The contract document (pdfdoc.h) from a decorated contract row. */
static json_t *
ct_pdf_doc(struct http_request *req, json_t *row)
{
	json_t		*secs, *parties, *terms, *t, *x;
	char		 sub[160], won[MONEY_FMT_MAX + 8];
	const char	*hash;
	size_t		 i;

	(void)snprintf(sub, sizeof(sub), "%s · %s #%lld · v%lld · %s",
	    web_str(req, "contract.pdf_kind"), web_str(req, "contract.caption"), (long long)json_integer_value(
	    json_object_get(row, "id")), (long long)json_integer_value(
	    json_object_get(row, "version")), json_string_value(
	    json_object_get(row, "status_label")));
	(void)snprintf(won, sizeof(won), "%s%s", json_string_value(
	    json_object_get(row, "ceiling")) ? json_string_value(
	    json_object_get(row, "ceiling")) : "", web_str(req,
	    "shortlist.won"));
	parties = json_pack("[[s,s],[s,s],[s,s],[s,s],[s,s],[s,s]]",
	    web_str(req, "contract.col_agency"), json_string_value(
	    json_object_get(row, "agency")),
	    web_str(req, "contract.col_vendor"), json_string_value(
	    json_object_get(row, "vendor")),
	    web_str(req, "contract.service"), json_string_value(
	    json_object_get(row, "listing_name")),
	    web_str(req, "contract.col_period"), "",
	    web_str(req, "contract.ceiling"), won,
	    web_str(req, "elig.system_caption"), json_string_value(
	    json_object_get(row, "system_name")));
	if (parties == NULL)
		return (NULL);
	x = json_sprintf("%s ~ %s", json_string_value(json_object_get(row,
	    "start")), json_string_value(json_object_get(row, "end")));
	json_array_set_new(json_array_get(parties, 3), 1, x);
	terms = json_array();
	json_array_foreach(ct_terms(req, row), i, t) {
		json_array_append_new(terms, json_pack("[s, s]",
		    json_string_value(json_object_get(t, "label")),
		    json_string_value(json_object_get(t, "value"))));
	}
	hash = json_string_value(json_object_get(row, "document_hash"));
	secs = json_pack("[{s:s, s:o}, {s:s, s:o}, {s:s, s:s}]",
	    "heading", web_str(req, "contract.parties"), "rows", parties,
	    "heading", web_str(req, "contract.terms_title"), "rows", terms,
	    "heading", web_str(req, "contract.document_hash"), "text",
	    hash != NULL ? hash : web_str(req, "contract.not_signed"));
	if (secs == NULL)
		return (NULL);
	return (json_pack("{s:s, s:s, s:s, s:o}",
	    "title", json_string_value(json_object_get(row, "title")),
	    "subtitle", sub, "footer", web_str(req, "contract.pdf_footer"),
	    "sections", secs));
}

/* GET /inbox and the API twin: the caller's notifications, unread count. */
int
contract_inbox(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1];
	char		 user[24];
	json_t		*vm, *row;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = user;
	rc = db_call(req, &ar->db[0], ct_sql[SQL_INBOX], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		json_object_set_new(row, "subject", json_string(web_pick(req,
		    row, "subject_ko", "subject_en")));
	row = json_array_get(ar->db[0].rows, 0);
	vm = json_pack("{s:s, s:O, s:I}", "title",
	    web_str(req, "contract.inbox_title"), "notifications",
	    ar->db[0].rows, "unread", (json_int_t)(row != NULL ?
	    json_integer_value(json_object_get(row, "unread")) : 0));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "inbox", vm));
}

/* POST /inbox/read (id, or none for all): marks notifications read. */
int
contract_inbox_read(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 user[24], idbuf[24];
	int64_t		 id;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = user;
	params[1] = NULL;
	switch (web_input_id(req, "id", &id)) {
	case -1:
		return (web_error(req, APP_EINVAL, "id", NULL));
	case 1:
		(void)snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
		params[1] = idbuf;
		break;
	}
	rc = db_call(req, &ar->db[0], ct_sql[SQL_INBOX_READ], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if (ar->json)
		return (web_json(req, 200, json_pack("{s:I}", "read",
		    (json_int_t)json_array_size(ar->db[0].rows))));
	return (web_redirect(req, "/inbox"));
}

/* GET /admin/transitions (?status): the transition cases, oldest first. */
int
contract_transitions(struct http_request *req)
{
	struct app_req	*ar;
	const char	*status, *params[1];
	json_t		*vm, *row;
	char		 key[64];
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	status = qs_get(&ar->qs, "status");
	if (status == NULL || *status == '\0')
		status = "open";
	if (strcmp(status, "all") != 0 && strcmp(status, "open") != 0 &&
	    strcmp(status, "remediated") != 0 &&
	    strcmp(status, "handed_over") != 0 &&
	    strcmp(status, "terminated") != 0)
		return (web_error(req, APP_EINVAL, "status", NULL));
	params[0] = strcmp(status, "all") == 0 ? NULL : status;
	rc = db_call(req, &ar->db[0], ct_sql[SQL_TRANSITIONS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row) {
		json_object_set_new(row, "agency", json_string(web_pick(req, row,
		    "agency_ko", "agency_en")));
		json_object_set_new(row, "vendor", json_string(web_pick(req, row,
		    "vendor_ko", "vendor_en")));
		(void)snprintf(key, sizeof(key), "contract.cause.%s",
		    json_string_value(json_object_get(row, "cause")));
		json_object_set_new(row, "cause_label",
		    json_string(web_str(req, key)));
		json_object_set_new(row, "is_open", json_boolean(strcmp(
		    json_string_value(json_object_get(row, "status")),
		    "open") == 0));
	}
	vm = json_pack("{s:s, s:s, s:O, s:b}", "title",
	    web_str(req, "contract.transitions_title"), "status", status,
	    "cases", ar->db[0].rows, "can_close",
	    (ar->who.role & (ROLE_REVIEWER | ROLE_ADMIN)) != 0);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "transitions", vm));
}

/*
 * POST /admin/transitions/:id/close (status remediated|handed_over|
 * terminated, note): closes an open case. 400 naming the field; 404; 409
 * when it is closed already.
 */
int
contract_transition_close(struct http_request *req)
{
	struct app_req	*ar;
	const char	*status, *note, *params[7];
	char		 id[24], user[24], org[24], addr[64];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	status = web_input(req, "status");
	note = web_input(req, "note");
	if (status == NULL || (strcmp(status, "remediated") != 0 &&
	    strcmp(status, "handed_over") != 0 &&
	    strcmp(status, "terminated") != 0))
		return (web_error(req, APP_EINVAL, "status", NULL));
	if (!web_text_ok(note, 2000, 1))
		return (web_error(req, APP_EINVAL, "note",
		    "contract.error_note"));
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = status;
	params[2] = note;
	params[3] = user;
	params[4] = org;
	params[5] = ar->rid;
	params[6] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], ct_sql[SQL_TRANSITION_CLOSE], 7, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	if (!json_is_true(json_object_get(row, "found")))
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (json_is_null(json_object_get(row, "closed")))
		return (web_error(req, APP_ECONFLICT, NULL,
		    "contract.error_case_closed"));
	if (ar->json)
		return (web_json(req, 200, row));
	return (web_redirect(req, "/admin/transitions"));
}

/*
 * Looks an outcome up: 1 for a success, 0 with *err and *key for an
 * error (an unknown outcome is an internal error).
 */
static int
ct_outcome(struct http_request *req, const char *outcome, enum app_err *err,
    const char **key)
{
	size_t	i;

	for (i = 0; outcome != NULL && i < NOUTCOMES; i++) {
		if (strcmp(outcomes[i].outcome, outcome) == 0) {
			*err = outcomes[i].err;
			*key = outcomes[i].key;
			return (*err == APP_OK);
		}
	}
	web_log(req, "contract: unknown outcome %s", outcome ? outcome : "-");
	*err = APP_EINTERNAL;
	*key = NULL;
	return (0);
}

/*
 * Reads and checks the new-contract form into *f (*decision is 0 when
 * the decision is not an id). Returns APP_OK or the error with *field
 * and *key. f's malloc'd parts are freed by ct_form_free() either way.
 */
static enum app_err
ct_form_read(struct http_request *req, struct ct_form *f, int64_t *decision,
    const char **field, const char **key)
{
	struct app_req	*ar;
	const char	*s, *p, *comma;
	char		*end;
	struct kore_buf	 tags;
	json_t		*v;
	int64_t		 ceiling, quote;
	long long	 n;
	int		 start, stop, ntags;
	size_t		 len;

	ar = app_req(req);
	memset(f, 0, sizeof(*f));
	*decision = 0;
	*key = NULL;
	if (web_input_id(req, "decision", decision) != 1) {
		*decision = 0;
		*field = "decision";
		*key = "contract.error_decision";
		return (APP_EINVAL);
	}
	(void)snprintf(f->decision, sizeof(f->decision), "%lld",
	    (long long)*decision);

	f->title = web_input(req, "title");
	if (!web_text_ok(f->title, TITLE_MAX, 1)) {
		*field = "title";
		*key = "contract.error_title";
		return (APP_EINVAL);
	}
	f->start = web_input(req, "start");
	f->end = web_input(req, "end");
	if (!ct_date(f->start, &start)) {
		*field = "start";
		*key = "contract.error_start";
		return (APP_EINVAL);
	}
	if (!ct_date(f->end, &stop) || stop < start ||
	    ct_days(start, stop) > TERM_DAYS_MAX) {
		*field = "end";
		*key = "contract.error_end";
		return (APP_EINVAL);
	}

	/* The ceiling: whole won, VAT included; "1,000,000" is accepted. */
	if ((ceiling = ct_ceiling(req)) <= 0) {
		*field = "ceiling_won";
		*key = "contract.error_ceiling";
		return (APP_EINVAL);
	}
	(void)snprintf(f->ceiling, sizeof(f->ceiling), "%lld",
	    (long long)ceiling);

	/* Fiscal-year split: "2026=6000000" lines, or a JSON object. */
	if ((f->fy = ct_fy(req, start, stop, ceiling, key)) == NULL) {
		*field = "fy_split";
		return (APP_EINVAL);
	}

	/* Tags: comma separated, 1-50 characters each, at most 20. */
	kore_buf_init(&tags, 64);
	kore_buf_append(&tags, "{", 1);
	ntags = 0;
	s = web_input(req, "tags");
	for (p = s; p != NULL && *p != '\0'; p = *comma ? comma + 1 : comma) {
		comma = p + strcspn(p, ",");
		while (p < comma && *p == ' ')
			p++;
		len = (size_t)(comma - p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0)
			continue;
		if (!utf8_valid(p, len) || utf8_len(p, len) > TAG_MAX ||
		    memchr(p, '"', len) != NULL || memchr(p, '\\', len) !=
		    NULL || memchr(p, '{', len) || memchr(p, '}', len) ||
		    ++ntags > TAGS_MAX) {
			kore_buf_cleanup(&tags);
			*field = "tags";
			*key = "contract.error_tags";
			return (APP_EINVAL);
		}
		kore_buf_appendf(&tags, "%s\"%.*s\"", ntags > 1 ? "," : "",
		    (int)len, p);
	}
	kore_buf_append(&tags, "}", 2);
	f->tags = kore_strdup((char *)tags.data);
	kore_buf_cleanup(&tags);

	f->rounding = web_input(req, "rounding");
	if (f->rounding == NULL || *f->rounding == '\0')
		f->rounding = "half_up";
	if (strcmp(f->rounding, "half_up") != 0 &&
	    strcmp(f->rounding, "down") != 0) {
		*field = "rounding";
		return (APP_EINVAL);
	}
	f->data_end = web_input(req, "data_end");
	if (f->data_end == NULL || *f->data_end == '\0')
		f->data_end = "return";
	if (strcmp(f->data_end, "return") != 0 &&
	    strcmp(f->data_end, "destroy") != 0) {
		*field = "data_end";
		return (APP_EINVAL);
	}
	v = ar->body != NULL ? json_object_get(ar->body, "notice_days") : NULL;
	if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else if ((s = web_input(req, "notice_days")) == NULL || *s == '\0') {
		n = 30;
	} else {
		errno = 0;
		n = strtoll(s, &end, 10);
		if (errno != 0 || *end != '\0')
			n = -1;
	}
	if (n < 30 || n > 365) {
		*field = "notice_days";
		*key = "contract.error_notice";
		return (APP_EINVAL);
	}
	(void)snprintf(f->notice, sizeof(f->notice), "%lld", n);

	f->handover = web_input(req, "handover");
	if (f->handover == NULL)
		f->handover = "";
	len = strlen(f->handover);
	if (!utf8_valid(f->handover, len) || utf8_len(f->handover, len) >
	    HANDOVER_MAX) {
		*field = "handover";
		return (APP_ETOOLONG);
	}
	f->deviations = web_input(req, "deviations");
	if (f->deviations == NULL)
		f->deviations = "";
	len = strlen(f->deviations);
	if (!utf8_valid(f->deviations, len) || utf8_len(f->deviations, len) >
	    DEVIATIONS_MAX) {
		*field = "deviations";
		return (APP_ETOOLONG);
	}

	/* An accepted quote the contract comes from, optionally. */
	switch (web_input_id(req, "quote", &quote)) {
	case -1:
		*field = "quote";
		return (APP_EINVAL);
	case 1:
		(void)snprintf(f->quote, sizeof(f->quote), "%lld",
		    (long long)quote);
		break;
	}

	/* The form's one-time token makes a double submission one draft. */
	s = web_input(req, "token");
	if (s == NULL || *s == '\0') {
		unsigned char	 rnd[16];

		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(f->token, sizeof(f->token), rnd, sizeof(rnd));
	} else if (strlen(s) < 8 || strlen(s) > 64 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_") != strlen(s)) {
		*field = "token";
		return (APP_EINVAL);
	} else {
		(void)snprintf(f->token, sizeof(f->token), "%s", s);
	}
	return (APP_OK);

}

/*
 * The ceiling field (a JSON integer, or whole won with thousands
 * separators): 1 to CEILING_MAX, else -1.
 */
static int64_t
ct_ceiling(struct http_request *req)
{
	struct app_req	*ar;
	const char	*s, *p;
	char		 buf[64];
	int64_t		 ceiling;
	size_t		 len;
	json_t		*v;

	ar = app_req(req);
	v = ar->body != NULL ? json_object_get(ar->body, "ceiling_won") : NULL;
	if (json_is_integer(v)) {
		ceiling = json_integer_value(v);
	} else {
		s = web_input(req, "ceiling_won");
		len = 0;
		for (p = s; p != NULL && *p != '\0' && len < sizeof(buf) - 1;
		    p++)
			if (*p != ',')
				buf[len++] = *p;
		buf[len] = '\0';
		if (s == NULL || money_parse_won(buf, 0, &ceiling) != MONEY_OK)
			ceiling = -1;
	}
	if (ceiling <= 0 || ceiling > CEILING_MAX)
		return (-1);
	return (ceiling);
}

/*
 * The fiscal-year split field ("2026=6000000" lines, or a JSON object of
 * year: won) for a contract from start to stop (YYYYMMDD) of ceiling
 * won: years within the period, amounts of at least 1 won adding up to
 * the ceiling; absent or empty is no split. Returns the split as JSON
 * text ("{}" for none), kore_malloc'd, or NULL with *key set.
 */
static char *
ct_fy(struct http_request *req, int start, int stop, int64_t ceiling,
    const char **key)
{
	struct app_req	*ar;
	struct kore_buf	 fy;
	const char	*s, *p, *comma, *k;
	char		 buf[64], year[8], *out;
	json_t		*v, *x;
	int64_t		 won, sum;
	size_t		 len;
	int		 y, years;

	ar = app_req(req);
	kore_buf_init(&fy, 64);
	kore_buf_append(&fy, "{", 1);
	sum = 0;
	years = 0;
	*key = "contract.error_fy";
	v = ar->body != NULL ? json_object_get(ar->body, "fy_split") : NULL;
	s = v == NULL ? web_input(req, "fy_split") : NULL;
	if (v != NULL && !json_is_object(v) && !json_is_null(v))
		goto bad;
	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			if (strlen(k) != 4 || strspn(k, "0123456789") != 4 ||
			    !json_is_integer(x))
				goto bad;
			y = atoi(k);
			won = json_integer_value(x);
			if (y < start / 10000 || y > stop / 10000 || won <= 0 ||
			    ++years > FY_MAX)
				goto bad;
			sum += won;
			kore_buf_appendf(&fy, "%s\"%d\":%lld", years > 1 ? "," :
			    "", y, (long long)won);
		}
	} else if (s != NULL) {
		for (p = s; *p != '\0'; p = *comma ? comma + 1 : comma) {
			comma = p + strcspn(p, "\r\n,;");
			if (comma == p)
				continue;
			len = (size_t)(comma - p);
			if (len >= sizeof(buf))
				goto bad;
			memcpy(buf, p, len);
			buf[len] = '\0';
			if (strlen(buf) < 6 || buf[4] != '=' ||
			    strspn(buf, "0123456789") != 4)
				goto bad;
			memcpy(year, buf, 4);
			year[4] = '\0';
			y = atoi(year);
			if (money_parse_won(buf + 5, 0, &won) != MONEY_OK ||
			    won <= 0 || y < start / 10000 || y > stop / 10000 ||
			    ++years > FY_MAX)
				goto bad;
			sum += won;
			kore_buf_appendf(&fy, "%s\"%d\":%lld", years > 1 ? "," :
			    "", y, (long long)won);
		}
	}
	if (years > 0 && sum != ceiling) {
		*key = "contract.error_fy_sum";
		goto bad;
	}
	kore_buf_append(&fy, "}", 2);
	out = kore_strdup((char *)fy.data);
	kore_buf_cleanup(&fy);
	return (out);
bad:
	kore_buf_cleanup(&fy);
	return (NULL);
}

static void
ct_form_free(struct ct_form *f)
{
	kore_free(f->fy);
	kore_free(f->tags);
	f->fy = f->tags = NULL;
}

/* The new-contract page (also after a refused create, the input kept). */
static int
ct_new_page(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	static const char *const fields[] = { "title", "end", "ceiling_won",
	    "fy_split", "tags", "rounding", "data_end", "notice_days",
	    "handover", "deviations", "token" };
	struct app_req	*ar;
	const char	*params[2], *v, *d;
	char		 org[24], tok[33], did[24];
	unsigned char	 rnd[16];
	json_t		*row, *vm;
	size_t		 i;
	int		 rc, ok;

	ar = app_req(req);
	d = qs_get(&ar->qs, "decision");
	if (d == NULL)
		d = web_input(req, "decision");
	if (d == NULL || *d < '1' || *d > '9' || strlen(d) > 18 ||
	    strspn(d, "0123456789") != strlen(d))
		return (web_error(req, APP_EINVAL, "decision",
		    "contract.error_decision"));
	(void)snprintf(did, sizeof(did), "%s", d);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = did;
	params[1] = org;
	rc = db_call(req, &ar->db[0], ct_sql[SQL_NEW], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, "decision",
		    "contract.error_decision"));
	v = json_string_value(json_object_get(row, "outcome"));
	ok = v != NULL && (strcmp(v, "eligible") == 0 ||
	    (strcmp(v, "agency_decision") == 0 && (v = json_string_value(
	    json_object_get(row, "agency_choice"))) != NULL &&
	    strcmp(v, "proceed") == 0));
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(tok, sizeof(tok), rnd, sizeof(rnd));
	vm = json_pack("{s:s, s:O, s:s, s:s, s:s, s:O, s:O, s:s, s:s, s:i, "
	    "s:s, s:b, s:O}",
	    "title", web_str(req, "contract.new_title"),
	    "decision", json_object_get(row, "decision"),
	    "listing_name", web_pick(req, row, "listing_ko", "listing_en"),
	    "vendor", web_pick(req, row, "vendor_ko", "vendor_en"),
	    "contract_title", web_pick(req, row, "listing_ko", "listing_en"),
	    "start", json_object_get(row, "start"),
	    "end", json_object_get(row, "end"),
	    "rounding", "half_up", "data_end", "return", "notice_days", 30,
	    "token", tok, "allowed", ok,
	    "service_ok", json_object_get(row, "service_ok"));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	json_object_set_new(vm, "system_name", json_incref(json_object_get(row,
	    "system_name")));
	if ((v = qs_get(&ar->qs, "quote")) != NULL ||
	    (v = web_input(req, "quote")) != NULL)
		if (*v >= '1' && *v <= '9' && strlen(v) < 19 &&
		    strspn(v, "0123456789") == strlen(v))
			json_object_set_new(vm, "quote", json_string(v));
	if (err != APP_OK) {
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if ((v = web_input(req, fields[i])) != NULL)
				json_object_set_new(vm, strcmp(fields[i],
				    "title") == 0 ? "contract_title" : fields[i],
				    json_string(v));
		json_object_set_new(vm, "invalid", json_pack("{s:s}",
		    field != NULL ? field : "decision", web_str(req,
		    key != NULL ? key : "error.invalid_parameter")));
	}
	json_object_set_new(vm, "is_half_up", json_boolean(strcmp(
	    json_string_value(json_object_get(vm, "rounding")), "down") != 0));
	json_object_set_new(vm, "is_return", json_boolean(strcmp(
	    json_string_value(json_object_get(vm, "data_end")), "destroy") !=
	    0));
	return (web_form_page(req, status, "contract_new", vm, err, field, key));
}

/* Labels, the counterpart, who acts next, money with separators. */
static void
ct_decorate(struct http_request *req, json_t *row)
{
	struct app_req	*ar;
	const char	*status, *waiting;
	char		 key[64], won[MONEY_FMT_MAX];
	json_t		*actions;
	int		 mine_agency, mine_vendor;

	ar = app_req(req);
	status = json_string_value(json_object_get(row, "status"));
	if (status == NULL)
		status = "";
	(void)snprintf(key, sizeof(key), "contract.status.%s", status);
	json_object_set_new(row, "status_label", json_string(web_str(req,
	    key)));
	waiting = strcmp(status, "draft") == 0 ? "buyer" :
	    strcmp(status, "awaiting_approval") == 0 ? "approver" :
	    strcmp(status, "awaiting_vendor") == 0 ? "vendor" : NULL;
	if (waiting != NULL) {
		(void)snprintf(key, sizeof(key), "contract.waiting.%s",
		    waiting);
		json_object_set_new(row, "waiting_on", json_string(waiting));
		json_object_set_new(row, "waiting_label",
		    json_string(web_str(req, key)));
	}
	json_object_set_new(row, "agency", json_string(web_pick(req, row,
	    "agency_ko", "agency_en")));
	json_object_set_new(row, "vendor", json_string(web_pick(req, row,
	    "vendor_ko", "vendor_en")));
	json_object_set_new(row, "listing_name", json_string(web_pick(req, row,
	    "listing_ko", "listing_en")));
	if (money_format_won(json_integer_value(json_object_get(row,
	    "ceiling_won")), MONEY_FMT_GROUP, won, sizeof(won)) == MONEY_OK)
		json_object_set_new(row, "ceiling", json_string(won));
	json_object_set_new(row, "url", json_sprintf("/contracts/%lld",
	    (long long)json_integer_value(json_object_get(row, "id"))));
	json_object_set_new(row, "flagged", json_boolean(!json_is_null(
	    json_object_get(row, "flag_reason")) &&
	    json_object_get(row, "flag_reason") != NULL));
	if (json_is_string(json_object_get(row, "flag_reason"))) {
		(void)snprintf(key, sizeof(key), "contract.cause.%s",
		    json_string_value(json_object_get(row, "flag_reason")));
		json_object_set_new(row, "flag_label",
		    json_string(web_str(req, key)));
	}

	/* The steps this caller may take now. */
	mine_agency = json_integer_value(json_object_get(row, "org_id")) ==
	    ar->who.org_id;
	mine_vendor = json_integer_value(json_object_get(row, "vendor_id")) ==
	    ar->who.org_id;
	actions = json_array();
#define ACT(s, reason) json_array_append_new(actions, json_pack("{s:s, s:s, "\
	"s:b, s:b}", "step", s, "label", web_str(req, "contract.step." s), \
	"reason", reason, "warning", strcmp(s, "cancel") == 0 || \
	strcmp(s, "return") == 0 || strcmp(s, "terminate") == 0 || \
	strcmp(s, "suspend") == 0))
	if (mine_agency && (ar->who.role & ROLES_AGENCY)) {
		if (strcmp(status, "draft") == 0)
			ACT("submit", 0);
		if (strcmp(status, "awaiting_approval") == 0 &&
		    ar->who.role == ROLE_APPROVER) {
			ACT("approve", 0);
			ACT("return", 1);
		}
		if (strcmp(status, "draft") == 0 ||
		    strcmp(status, "awaiting_approval") == 0 ||
		    strcmp(status, "awaiting_vendor") == 0)
			ACT("cancel", 0);
		if ((strcmp(status, "active") == 0 ||
		    strcmp(status, "suspended") == 0) &&
		    ar->who.role == ROLE_APPROVER) {
			ACT("hand_over", 1);
			ACT("terminate", 1);
		}
	}
	if (mine_vendor && ar->who.role == ROLE_VADMIN &&
	    strcmp(status, "awaiting_vendor") == 0) {
		ACT("accept", 0);
		ACT("return", 1);
	}
	if (ar->who.role == ROLE_REVIEWER || ar->who.role == ROLE_ADMIN) {
		if (strcmp(status, "active") == 0)
			ACT("suspend", 1);
		if (strcmp(status, "suspended") == 0)
			ACT("resume", 1);
	}
#undef ACT
	json_object_set_new(row, "actions", actions);
}

/*
 * The terms next to the standard ones (the marketplace's standard
 * contract): each row with the value, the standard value and whether it
 * deviates, so the page can mark every deviation.
 */
static json_t *
ct_terms(struct http_request *req, json_t *row)
{
	json_t		*t;
	const char	*rounding, *data_end, *handover, *dev;
	char		 notice[16];
	int64_t		 nd;

	rounding = json_string_value(json_object_get(row, "rounding"));
	data_end = json_string_value(json_object_get(row, "data_end"));
	handover = json_string_value(json_object_get(row, "handover"));
	dev = json_string_value(json_object_get(row, "deviations"));
	nd = json_integer_value(json_object_get(row, "notice_days"));
	(void)snprintf(notice, sizeof(notice), "%lld", (long long)nd);
	t = json_array();
	json_array_append_new(t, json_pack("{s:s, s:s, s:s, s:b}",
	    "label", web_str(req, "contract.term.rounding"),
	    "value", web_str(req, rounding != NULL && strcmp(rounding,
	    "down") == 0 ? "contract.rounding.down" :
	    "contract.rounding.half_up"),
	    "standard", web_str(req, "contract.rounding.half_up"),
	    "deviates", rounding != NULL && strcmp(rounding, "down") == 0));
	json_array_append_new(t, json_pack("{s:s, s:s, s:s, s:b}",
	    "label", web_str(req, "contract.term.data_end"),
	    "value", web_str(req, data_end != NULL && strcmp(data_end,
	    "destroy") == 0 ? "contract.data_end.destroy" :
	    "contract.data_end.return"),
	    "standard", web_str(req, "contract.data_end.return"),
	    "deviates", data_end != NULL && strcmp(data_end, "destroy") == 0));
	json_array_append_new(t, json_pack("{s:s, s:s, s:s, s:b}",
	    "label", web_str(req, "contract.term.notice"),
	    "value", notice, "standard", "30", "deviates", nd != 30));
	json_array_append_new(t, json_pack("{s:s, s:s, s:s, s:b}",
	    "label", web_str(req, "contract.term.handover"),
	    "value", handover != NULL && *handover != '\0' ? handover :
	    web_str(req, "contract.handover_standard"),
	    "standard", web_str(req, "contract.handover_standard"),
	    "deviates", handover != NULL && *handover != '\0'));
	json_array_append_new(t, json_pack("{s:s, s:s, s:s, s:b}",
	    "label", web_str(req, "contract.term.deviations"),
	    "value", dev != NULL && *dev != '\0' ? dev :
	    web_str(req, "contract.none"),
	    "standard", web_str(req, "contract.none"),
	    "deviates", dev != NULL && *dev != '\0'));
	return (t);
}

/*
 * The contract document whose hash is recorded on acceptance: its terms
 * as canonical JSON (sorted keys, compact). Returns malloc'd text or
 * NULL.
 */
static char *
ct_document(json_t *row)
{
	static const char *const keys[] = { "id", "org_id", "vendor_id",
	    "listing_id", "listing_version", "title", "start", "end",
	    "ceiling_won", "fy_split", "tags", "rounding", "handover",
	    "data_end", "notice_days", "deviations", "system_id",
	    "decision_id", "rate_plan", "version" };
	json_t	*doc;
	char	*s;
	size_t	 i;

	if ((doc = json_object()) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set(doc, keys[i], json_object_get(row, keys[i]) ?
		    json_object_get(row, keys[i]) : json_null());
	json_object_set_new(doc, "terms", json_string("gureum-standard-1"));
	s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	return (s);
}

/* A date "YYYY-MM-DD" between 2000 and 2100 into *out. */
static int
ct_date(const char *s, int *out)
{
	return (s != NULL && eligibility_date_parse(s, out) ==
	    ELIGIBILITY_OK && *out >= 20000101 && *out <= 21001231);
}

/* Days from a to b (YYYYMMDD), by the civil calendar. */
static int
ct_days(int a, int b)
{
	struct tm	ta, tb;

	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	ta.tm_year = a / 10000 - 1900;
	ta.tm_mon = a / 100 % 100 - 1;
	ta.tm_mday = a % 100;
	tb.tm_year = b / 10000 - 1900;
	tb.tm_mon = b / 100 % 100 - 1;
	tb.tm_mday = b % 100;
	return ((int)((timegm(&tb) - timegm(&ta)) / 86400));
}
