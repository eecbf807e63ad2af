/*
 * Quote requests (견적요청) and free-trial requests, before a contract.
 *
 * A buyer asks the vendor of a published service for a price: the
 * quantities it expects per dimension of the listing's rate plan (exact
 * decimals, as the plan's units), the price it hopes for with or without
 * VAT, a delivery date and the deadline for the answer (the end of that
 * day, Korea time). The vendor answers with a price and notes; an answer
 * after the deadline is refused with the deadline in the message. The
 * buyer compares the answers of a shortlist side by side
 * (/quotes?shortlist=N), asks again (a new round with a new deadline) or
 * accepts one, which a contract can then be created from. A trial request
 * sends the listing's trial terms along.
 *
 * Every step is quote_step() in sql/0015_quotes.sql: party, state and
 * deadline checked, the audit event and the other side's notification
 * written together. A request is seen by its agency and its vendor only
 * (404 for anyone else); the procurement office reads through the audit
 * log.
 */

#include <errno.h>
#include <sodium.h>

#include "gureum.h"
#include "money.h"
#include "eligibility.h"

#define TEXT_MAX	2000
#define DIMS_MAX	32
#define KST		"'Asia/Seoul'"

enum qt_sql {
	SQL_LIST,
	SQL_ONE,
	SQL_ANSWERS,
	SQL_LISTING,
	SQL_CREATE,
	SQL_STEP,
	SQL__MAX
};

#define QUOTE_COLS \
	"q.id, q.org_id, q.vendor_id, q.listing_id, q.shortlist_id, q.kind," \
	" q.quantities, q.desired_price_won, q.vat_included," \
	" to_char(q.delivery_date, 'YYYY-MM-DD') AS delivery_date," \
	" to_char(q.deadline AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS deadline, q.message, quote_status(q) AS status, q.round," \
	" to_char(q.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS created_at, l.name_ko AS listing_ko, l.name_en AS listing_en," \
	" l.service_type, l.free_trial_url, l.free_trial_terms_ko," \
	" l.free_trial_terms_en, a.name_ko AS agency_ko," \
	" a.name_en AS agency_en, v.name_ko AS vendor_ko," \
	" v.name_en AS vendor_en, u.name AS created_by," \
	" (SELECT to_jsonb(x) FROM (SELECT qa.round, qa.price_won," \
	"  qa.vat_included, qa.notes, to_char(qa.answered_at AT TIME ZONE " \
	KST ", 'YYYY-MM-DD HH24:MI') AS answered_at FROM quote_answers qa" \
	"  WHERE qa.request_id = q.id ORDER BY qa.round DESC LIMIT 1) x)" \
	" AS latest" \
	" FROM quote_requests q JOIN listings l ON l.id = q.listing_id" \
	" JOIN organisations a ON a.id = q.org_id" \
	" JOIN organisations v ON v.id = q.vendor_id" \
	" JOIN users u ON u.id = q.created_by"

static const char *const qt_sql[SQL__MAX] = {
	/* SQL_LIST: $1 org, $2 shortlist or NULL */
	"SELECT " QUOTE_COLS " WHERE (q.org_id = $1 OR q.vendor_id = $1)"
	" AND ($2::bigint IS NULL OR q.shortlist_id = $2::bigint)"
	" ORDER BY q.id DESC LIMIT 500",
	/* SQL_ONE: $1 id, $2 org */
	"SELECT " QUOTE_COLS " WHERE q.id = $1"
	" AND (q.org_id = $2 OR q.vendor_id = $2)",
	/* SQL_ANSWERS: $1 request (already checked) */
	"SELECT round, price_won, vat_included, notes, u.name AS answered_by,"
	" to_char(answered_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS answered_at FROM quote_answers a JOIN users u"
	" ON u.id = a.answered_by WHERE a.request_id = $1 ORDER BY round",
	/* SQL_LISTING: $1 listing, $2 org: the form's data */
	"SELECT l.id, l.name_ko, l.name_en, l.rate_plan, l.free_trial_url,"
	" l.free_trial_terms_ko, l.free_trial_terms_en,"
	" v.name_ko AS vendor_ko, v.name_en AS vendor_en,"
	" (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id,"
	"  'project_name', s.project_name) ORDER BY s.updated_at DESC), '[]')"
	"  FROM shortlists s WHERE s.org_id = $2 AND s.locked_at IS NULL)"
	" AS shortlists,"
	" to_char((now() AT TIME ZONE " KST ")::date + 7, 'YYYY-MM-DD')"
	" AS deadline"
	" FROM listings l JOIN organisations v ON v.id = l.vendor_id"
	" WHERE l.id = $1 AND l.status = 'published'",
	/*
	 * SQL_CREATE: $1 org, $2 user, $3 listing, $4 shortlist, $5 kind,
	 * $6 quantities, $7 desired, $8 vat, $9 delivery, $10 deadline
	 * (date: the end of that day in Korea), $11 message, $12 rid,
	 * $13 addr, $14 the form's one-time token (NULL: none).
	 */
	"SELECT outcome, request_id FROM quote_create_once($1, $2, $3,"
	" $4::bigint, $5, $6::jsonb, $7::bigint, $8::boolean, $9::date,"
	" (($10::date + 1)::timestamp AT TIME ZONE " KST "), $11, $14, $12,"
	" $13)",
	/*
	 * SQL_STEP: $1 id, $2 org, $3 kind, $4 user, $5 step, $6 price,
	 * $7 vat, $8 text, $9 deadline date or NULL, $10 rid, $11 addr.
	 */
	"SELECT outcome, was FROM quote_step($1, $2, $3, $4, $5, $6::bigint,"
	" $7::boolean, $8, CASE WHEN $9::date IS NULL THEN NULL ELSE"
	" (($9::date + 1)::timestamp AT TIME ZONE " KST ") END, $10, $11)",
};

static const struct {
	const char	*outcome;
	enum app_err	 err;
	const char	*key;
} outcomes[] = {
	{ "created", APP_OK, NULL },
	{ "exists", APP_OK, NULL },
	{ "ok", APP_OK, NULL },
	{ "no_request", APP_ENOTFOUND, NULL },
	{ "no_listing", APP_EREFERENCE, "quote.error_listing" },
	{ "no_trial", APP_ECONFLICT, "quote.error_no_trial" },
	{ "no_list", APP_ENOTFOUND, "quote.error_shortlist" },
	{ "past", APP_EINVAL, "quote.error_deadline" },
	{ "forbidden", APP_EFORBIDDEN, "quote.error_forbidden" },
	{ "state", APP_ECONFLICT, "quote.error_state" },
	{ "late", APP_ECONFLICT, "quote.error_late" },
	{ "listing_unavailable", APP_ECONFLICT, "contract.error_listing" },
	{ "vendor_unavailable", APP_ECONFLICT, "contract.error_vendor" },
	{ "certificate_lost", APP_ECONFLICT, "contract.error_certificate" },
};

#define NOUTCOMES	(sizeof(outcomes) / sizeof(outcomes[0]))

static const char *const qt_steps[] = {
	"answer", "decline", "reask", "accept", "withdraw"
};

static int	 qt_refused(struct http_request *, json_t *);
static void	 qt_decorate(struct http_request *, json_t *);
static int	 qt_won(struct http_request *, const char *, int64_t *);
static json_t	*qt_quantities(struct http_request *, json_t *, const char **);
static int	 qt_quantity(json_t *, json_t *, const char *, const char *,
		    const char **);

/*
 * GET /quotes (?shortlist=N) and the API twin: the agency's requests (or
 * those to the vendor), each with its latest answer; with a shortlist,
 * the answers side by side for comparison.
 */
int
quote_list(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 org[24], sl[24];
	int64_t		 shortlist;
	json_t		*vm, *row;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	if (!web_param_int(req, "shortlist", 0, 1, INT64_MAX, &shortlist))
		return (KORE_RESULT_OK);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(sl, sizeof(sl), "%lld", (long long)shortlist);
	params[0] = org;
	params[1] = shortlist != 0 ? sl : NULL;
	rc = db_call(req, &ar->db[0], qt_sql[SQL_LIST], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		qt_decorate(req, row);
	vm = json_pack("{s:s, s:O, s:b, s:b}", "title",
	    web_str(req, "quote.list_title"), "quotes", ar->db[0].rows,
	    "compare", shortlist != 0,
	    "is_vendor", strcmp(ar->who.org_kind, "vendor") == 0);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "quotes", vm));
}

/*
 * GET /quotes/new?listing=N (&shortlist=M, &kind=trial): the request
 * form with the listing's dimensions (and trial terms).
 */
int
quote_new(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2], *kind;
	char		 lid[24], org[24];
	int64_t		 listing, shortlist;
	json_t		*row, *vm, *dims, *d, *x;
	unsigned char	 rnd[16];
	char		 tok[33];
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	if (!web_param_int(req, "listing", 0, 1, INT64_MAX, &listing) ||
	    !web_param_int(req, "shortlist", 0, 1, INT64_MAX, &shortlist))
		return (KORE_RESULT_OK);
	if (listing == 0)
		return (web_error(req, APP_EINVAL, "listing", NULL));
	kind = qs_get(&ar->qs, "kind");
	if (kind == NULL || *kind == '\0')
		kind = "quote";
	if (strcmp(kind, "quote") != 0 && strcmp(kind, "trial") != 0)
		return (web_error(req, APP_EINVAL, "kind", NULL));
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)listing);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = lid;
	params[1] = org;
	rc = db_call(req, &ar->db[0], qt_sql[SQL_LISTING], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, "listing", NULL));
	dims = json_array();
	json_array_foreach(json_object_get(json_object_get(row, "rate_plan"),
	    "dimensions"), i, d) {
		x = json_pack("{s:O, s:s, s:s}", "code",
		    json_object_get(d, "code"), "unit", web_pick(req, d,
		    "unit_ko", "unit_en"), "reference",
		    json_is_string(json_object_get(d, "reference_quantity")) ?
		    json_string_value(json_object_get(d,
		    "reference_quantity")) : "");
		if (x != NULL)
			json_array_append_new(dims, x);
	}
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(tok, sizeof(tok), rnd, sizeof(rnd));
	vm = json_pack("{s:s, s:s, s:O, s:s, s:s, s:o, s:O, s:O, s:s, s:b, "
	    "s:I, s:O, s:s}", "token", tok,
	    "title", web_str(req, strcmp(kind, "trial") == 0 ?
	    "quote.new_trial_title" : "quote.new_title"),
	    "listing", json_object_get(row, "id"),
	    "name", web_pick(req, row, "name_ko", "name_en"),
	    "vendor", web_pick(req, row, "vendor_ko", "vendor_en"),
	    "dimensions", dims,
	    "shortlists", json_object_get(row, "shortlists"),
	    "deadline", json_object_get(row, "deadline"),
	    "kind", kind, "is_trial", strcmp(kind, "trial") == 0,
	    "shortlist", (json_int_t)shortlist,
	    "free_trial_url", json_object_get(row, "free_trial_url"),
	    "trial_terms", web_pick(req, row, "free_trial_terms_ko",
	    "free_trial_terms_en"));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "quote_new", vm));
}

/*
 * POST /quotes and /api/v1/quotes (listing, shortlist, kind, dimension
 * and quantity repeated or a quantities object, desired_price_won,
 * vat_included, delivery_date, deadline, message). 303 to it (201 for
 * JSON). 400 naming the field (a dimension the plan does not have, a
 * quantity that is not an exact non-negative decimal, a deadline that
 * is not in the future); 404 for another agency's shortlist; 409 for a
 * trial the listing does not offer or a service that may not be sold;
 * 422 for a listing that is not published.
 */
int
quote_create(struct http_request *req)
{
	struct app_req	*ar;
	const char	*kind, *s, *field, *params[14];
	char		 org[24], user[24], lid[24], sl[24], want[24], addr[64];
	char		 url[64], *qj;
	int64_t		 listing, shortlist, desired;
	int		 rc, date, vat;
	json_t		*row, *q, *v;

	ar = app_req(req);
	if (web_input_id(req, "listing", &listing) != 1)
		return (web_error(req, APP_EINVAL, "listing", NULL));
	if (web_input_id(req, "shortlist", &shortlist) == -1)
		return (web_error(req, APP_EINVAL, "shortlist", NULL));
	kind = web_input(req, "kind");
	if (kind == NULL || *kind == '\0')
		kind = "quote";
	if (strcmp(kind, "quote") != 0 && strcmp(kind, "trial") != 0)
		return (web_error(req, APP_EINVAL, "kind", NULL));
	if (!qt_won(req, "desired_price_won", &desired))
		return (web_error(req, APP_EINVAL, "desired_price_won",
		    "quote.error_price"));
	v = ar->body != NULL ? json_object_get(ar->body, "vat_included") :
	    NULL;
	s = v == NULL ? web_input(req, "vat_included") : NULL;
	vat = v != NULL ? json_is_true(v) : (s == NULL || *s == '\0' ||
	    strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
	if ((v != NULL && !json_is_boolean(v)) || (s != NULL && *s != '\0' &&
	    strcmp(s, "true") != 0 && strcmp(s, "false") != 0 &&
	    strcmp(s, "1") != 0 && strcmp(s, "0") != 0))
		return (web_error(req, APP_EINVAL, "vat_included", NULL));
	s = web_input(req, "delivery_date");
	if (s != NULL && *s != '\0' && eligibility_date_parse(s, &date) !=
	    ELIGIBILITY_OK)
		return (web_error(req, APP_EINVAL, "delivery_date",
		    "quote.error_date"));
	s = web_input(req, "deadline");
	if (s == NULL || eligibility_date_parse(s, &date) != ELIGIBILITY_OK)
		return (web_error(req, APP_EINVAL, "deadline",
		    "quote.error_deadline"));
	s = web_input(req, "message");
	if (!web_text_ok(s, TEXT_MAX, 0))
		return (web_error(req, APP_ETOOLONG, "message", NULL));
	s = web_input(req, "token");
	if (s != NULL && *s != '\0' && (strlen(s) < 8 || strlen(s) > 64 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_") != strlen(s)))
		return (web_error(req, APP_EINVAL, "token", NULL));

	/* The listing's plan says which dimensions there are. */
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)listing);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = lid;
	params[1] = org;
	rc = db_call(req, &ar->db[0], qt_sql[SQL_LISTING], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_EREFERENCE, "listing",
		    "quote.error_listing"));
	if ((q = qt_quantities(req, json_object_get(row, "rate_plan"),
	    &field)) == NULL)
		return (web_error(req, APP_EINVAL, field,
		    "quote.error_quantity"));
	qj = json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(q);
	if (qj == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));

	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	(void)snprintf(sl, sizeof(sl), "%lld", (long long)shortlist);
	(void)snprintf(want, sizeof(want), "%lld", (long long)desired);
	params[0] = org;
	params[1] = user;
	params[2] = lid;
	params[3] = shortlist != 0 ? sl : NULL;
	params[4] = kind;
	params[5] = qj;
	params[6] = desired > 0 ? want : NULL;
	params[7] = vat ? "true" : "false";
	s = web_input(req, "delivery_date");
	params[8] = s != NULL && *s != '\0' ? s : NULL;
	params[9] = web_input(req, "deadline");
	s = web_input(req, "message");
	params[10] = s != NULL ? s : "";
	params[11] = ar->rid;
	params[12] = web_client_addr(req, addr, sizeof(addr));
	s = web_input(req, "token");
	params[13] = s != NULL && *s != '\0' ? s : NULL;
	rc = db_call(req, &ar->db[1], qt_sql[SQL_CREATE], 14, params);
	free(qj);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	row = json_array_get(ar->db[1].rows, 0);
	if (qt_refused(req, row))
		return (KORE_RESULT_OK);
	if (ar->json)
		return (web_json(req, strcmp(json_string_value(json_object_get(row,
		    "outcome")), "exists") == 0 ? 200 : 201, row));
	(void)snprintf(url, sizeof(url), "/quotes/%lld", (long long)
	    json_integer_value(json_object_get(row, "request_id")));
	return (web_redirect(req, url));
}

/* GET /quotes/:id and the API twin: a request with every round's answer. */
int
quote_show(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 id[24], org[24];
	json_t		*row, *vm;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	rc = db_call(req, &ar->db[0], qt_sql[SQL_ONE], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], qt_sql[SQL_ANSWERS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	qt_decorate(req, row);
	json_object_set(row, "answers", ar->db[1].rows);
	if (ar->json)
		return (web_json(req, 200, row));
	vm = json_pack("{s:s, s:O}", "title", web_str(req, "quote.title"),
	    "quote", row);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "quote", vm));
}

/*
 * POST /quotes/:id/step (step answer|decline|reask|accept|withdraw,
 * price_won and vat_included for answer, text, deadline for reask) and
 * the API twin. 400 naming the field; 403 for the other party's step;
 * 404; 409 from the wrong state, after the deadline (answer), or when
 * the service may no longer be sold (accept).
 */
int
quote_step(struct http_request *req)
{
	struct app_req	*ar;
	const char	*step, *text, *dl, *params[11];
	char		 id[24], org[24], user[24], price[24], addr[64];
	char		 url[64];
	int64_t		 won;
	json_t		*row, *v;
	size_t		 i;
	int		 rc, date, vat;
	const char	*s;

	ar = app_req(req);
	step = web_input(req, "step");
	for (i = 0; step != NULL && i < sizeof(qt_steps) / sizeof(qt_steps[0]);
	    i++)
		if (strcmp(step, qt_steps[i]) == 0)
			break;
	if (step == NULL || i == sizeof(qt_steps) / sizeof(qt_steps[0]))
		return (web_error(req, APP_EINVAL, "step", NULL));
	text = web_input(req, "text");
	if (!web_text_ok(text, TEXT_MAX, 0))
		return (web_error(req, APP_ETOOLONG, "text", NULL));
	won = -1;
	vat = 1;
	if (strcmp(step, "answer") == 0) {
		v = ar->body != NULL ? json_object_get(ar->body, "price_won") :
		    NULL;
		s = web_input(req, "price_won");
		if ((v == NULL && (s == NULL || *s == '\0')) ||
		    !qt_won(req, "price_won", &won))
			return (web_error(req, APP_EINVAL, "price_won",
			    "quote.error_price"));
		v = ar->body != NULL ? json_object_get(ar->body,
		    "vat_included") : NULL;
		s = v == NULL ? web_input(req, "vat_included") : NULL;
		if (v != NULL)
			vat = json_is_true(v);
		else
			vat = s == NULL || *s == '\0' || strcmp(s, "true") == 0;
	}
	dl = web_input(req, "deadline");
	if (strcmp(step, "reask") == 0 && (dl == NULL ||
	    eligibility_date_parse(dl, &date) != ELIGIBILITY_OK))
		return (web_error(req, APP_EINVAL, "deadline",
		    "quote.error_deadline"));
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	(void)snprintf(price, sizeof(price), "%lld", (long long)won);
	params[0] = id;
	params[1] = org;
	params[2] = ar->who.org_kind;
	params[3] = user;
	params[4] = step;
	params[5] = won >= 0 ? price : NULL;
	params[6] = vat ? "true" : "false";
	params[7] = text != NULL ? text : "";
	params[8] = strcmp(step, "reask") == 0 ? dl : NULL;
	params[9] = ar->rid;
	params[10] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], qt_sql[SQL_STEP], 11, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	if (qt_refused(req, row))
		return (KORE_RESULT_OK);
	if (ar->json)
		return (web_json(req, 200, row));
	(void)snprintf(url, sizeof(url), "/quotes/%s", id);
	return (web_redirect(req, url));
}

/*
 * Answers the error of a refused outcome of row (a "past" deadline names
 * the deadline field) and returns 1; returns 0 when the outcome is a
 * success. An unknown outcome is an internal error.
 */
static int
qt_refused(struct http_request *req, json_t *row)
{
	const char	*outcome;
	size_t		 i;

	outcome = json_string_value(json_object_get(row, "outcome"));
	for (i = 0; outcome != NULL && i < NOUTCOMES; i++) {
		if (strcmp(outcomes[i].outcome, outcome) != 0)
			continue;
		if (outcomes[i].err == APP_OK)
			return (0);
		(void)web_error(req, outcomes[i].err, strcmp(outcome,
		    "past") == 0 ? "deadline" : NULL, outcomes[i].key);
		return (1);
	}
	(void)web_error(req, APP_EINTERNAL, NULL, NULL);
	return (1);
}

/* Names, labels, money with separators, the steps the caller may take. */
static void
qt_decorate(struct http_request *req, json_t *row)
{
	struct app_req	*ar;
	const char	*status;
	char		 key[48], won[MONEY_FMT_MAX];
	json_t		*latest, *steps;
	int		 buyer, vendor;

	ar = app_req(req);
	json_object_set_new(row, "listing_name", json_string(web_pick(req, row,
	    "listing_ko", "listing_en")));
	json_object_set_new(row, "agency", json_string(web_pick(req, row,
	    "agency_ko", "agency_en")));
	json_object_set_new(row, "vendor", json_string(web_pick(req, row,
	    "vendor_ko", "vendor_en")));
	json_object_set_new(row, "trial_terms", json_string(web_pick(req, row,
	    "free_trial_terms_ko", "free_trial_terms_en")));
	json_object_set_new(row, "is_trial", json_boolean(strcmp(
	    json_string_value(json_object_get(row, "kind")), "trial") == 0));
	status = json_string_value(json_object_get(row, "status"));
	if (status == NULL)
		status = "";
	(void)snprintf(key, sizeof(key), "quote.status.%s", status);
	json_object_set_new(row, "status_label", json_string(web_str(req,
	    key)));
	json_object_set_new(row, "url", json_sprintf("/quotes/%lld",
	    (long long)json_integer_value(json_object_get(row, "id"))));
	latest = json_object_get(row, "latest");
	if (json_is_object(latest) && money_format_won(json_integer_value(
	    json_object_get(latest, "price_won")), MONEY_FMT_GROUP, won,
	    sizeof(won)) == MONEY_OK)
		json_object_set_new(latest, "price", json_string(won));
	if (json_is_integer(json_object_get(row, "desired_price_won")) &&
	    money_format_won(json_integer_value(json_object_get(row,
	    "desired_price_won")), MONEY_FMT_GROUP, won, sizeof(won)) ==
	    MONEY_OK)
		json_object_set_new(row, "desired_price", json_string(won));
	buyer = json_integer_value(json_object_get(row, "org_id")) ==
	    ar->who.org_id;
	vendor = json_integer_value(json_object_get(row, "vendor_id")) ==
	    ar->who.org_id;
	steps = json_object();
	json_object_set_new(steps, "answer", json_boolean(vendor &&
	    strcmp(status, "open") == 0));
	json_object_set_new(steps, "decline", json_boolean(vendor &&
	    (strcmp(status, "open") == 0 || strcmp(status, "answered") == 0)));
	json_object_set_new(steps, "reask", json_boolean(buyer &&
	    (strcmp(status, "answered") == 0 || strcmp(status, "expired") ==
	    0)));
	json_object_set_new(steps, "accept", json_boolean(buyer &&
	    strcmp(status, "answered") == 0));
	json_object_set_new(steps, "withdraw", json_boolean(buyer &&
	    (strcmp(status, "open") == 0 || strcmp(status, "answered") == 0 ||
	    strcmp(status, "expired") == 0)));
	json_object_set_new(steps, "contract", json_boolean(buyer &&
	    strcmp(status, "accepted") == 0));
	json_object_set_new(row, "can", steps);
}

/* A whole-won amount (0 when absent; thousands separators allowed). */
static int
qt_won(struct http_request *req, const char *name, int64_t *out)
{
	struct app_req	*ar;
	json_t		*v;
	const char	*s, *p;
	char		 buf[32];
	size_t		 len;

	ar = app_req(req);
	*out = 0;
	v = ar->body != NULL ? json_object_get(ar->body, name) : NULL;
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100000000000000LL)
			return (0);
		*out = json_integer_value(v);
		return (1);
	}
	if ((s = web_input(req, name)) == NULL || *s == '\0')
		return (1);
	for (p = s, len = 0; *p != '\0' && len < sizeof(buf) - 1; p++)
		if (*p != ',')
			buf[len++] = *p;
	buf[len] = '\0';
	if (*p != '\0' || money_parse_won(buf, 0, out) != MONEY_OK ||
	    *out > 100000000000000LL)
		return (0);
	return (1);
}

/*
 * Adds quantity qty of dimension code to out when the plan has that
 * dimension and qty is an exact non-negative decimal (stored in
 * canonical form). Returns 0, or -1 with *field naming what is wrong.
 */
static int
qt_quantity(json_t *dims, json_t *out, const char *code, const char *qty,
    const char **field)
{
	char	 canon[MONEY_FMT_MAX];
	int64_t	 micro;
	json_t	*d;
	size_t	 j;
	int	 known;

	known = 0;
	json_array_foreach(dims, j, d) {
		if (code != NULL && json_is_string(json_object_get(d,
		    "code")) && strcmp(json_string_value(json_object_get(d,
		    "code")), code) == 0)
			known = 1;
	}
	if (!known) {
		*field = "dimension";
		return (-1);
	}
	if (qty == NULL || money_parse(qty, 0, &micro) != MONEY_OK ||
	    money_format_micro(micro, 0, canon, sizeof(canon)) != MONEY_OK) {
		*field = "quantity";
		return (-1);
	}
	json_object_set_new(out, code, json_string(canon));
	return (0);
}

/*
 * The quantities asked for, keyed by the plan's dimension codes: from a
 * JSON object of decimal strings, or from repeated dimension/quantity
 * form fields (empty quantities skipped). Returns a new object, or NULL
 * with *field naming what is wrong.
 */
static json_t *
qt_quantities(struct http_request *req, json_t *plan, const char **field)
{
	struct app_req	*ar;
	json_t		*out, *dims, *in, *x;
	const char	*code, *qty;
	size_t		 i, n;

	ar = app_req(req);
	dims = json_object_get(plan, "dimensions");
	out = json_object();
	in = ar->body != NULL ? json_object_get(ar->body, "quantities") : NULL;
	*field = "quantities";
	if (in != NULL && !json_is_null(in)) {
		if (!json_is_object(in) || json_object_size(in) > DIMS_MAX)
			goto bad;
		json_object_foreach(in, code, x) {
			if (qt_quantity(dims, out, code, json_string_value(x),
			    field) == -1)
				goto bad;
		}
		return (out);
	}
	n = qs_count(&ar->form, "dimension");
	if (n > DIMS_MAX || qs_count(&ar->form, "quantity") != n)
		goto bad;
	for (i = 0; i < n; i++) {
		code = qs_nth(&ar->form, "dimension", i);
		qty = qs_nth(&ar->form, "quantity", i);
		if (qty == NULL || *qty == '\0')
			continue;
		if (qt_quantity(dims, out, code, qty, field) == -1)
			goto bad;
	}
	return (out);
bad:
	json_decref(out);
	return (NULL);
}
