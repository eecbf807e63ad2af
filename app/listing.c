/*
 * Vendors' listings: drafts, the form with its rate plan editor, the
 * submission for review, the published-listing change rules, and every
 * listing's version history with a field-by-field difference.
 *
 * One input shape for everything: the JSON API takes a listing object
 * ({service_type, name_ko, ..., features_ko: [...], rate_plan: {...}});
 * the HTML form's fields (lists one item a line, the plan as rows of
 * dimensions, tiers and credit steps, blank rows ignored) are turned into
 * the same object first, so both are validated by listing_validate(), and
 * errors name the form field (d0_t1_up_to) or the JSON path
 * (rate_plan.dimensions[0].tiers[1].up_to). The plan is parsed and
 * checked by plan.c / rating_validate(), and its reference monthly price
 * derived there. What may happen to a listing in which state is decided
 * by the SQL functions of sql/0007_listing_workflow.sql, each of which
 * writes its audit event; C only decides whether a new plan is a price
 * cut (plan_compare), because that needs the rating engine.
 *
 * Another vendor's listing answers 404, like one that does not exist.
 * The description is CommonMark, rendered with cmark in safe mode (raw
 * HTML and javascript: links dropped); everything else is escaped by the
 * templates.
 */

#include <cmark.h>

#include "gureum.h"
#include "money.h"
#include "plan.h"
#include "rating.h"

#define FORM_DIMS	6	/* dimension rows the HTML form offers */
#define FORM_TIERS	6	/* tier rows per dimension */
#define FORM_CREDITS	4	/* credit step rows */
#define RUNS_ON_MAX	10
#define KST		"'Asia/Seoul'"

#define T(d, t) " d" #d "_t" #t "_up_to d" #d "_t" #t "_unit_price" \
	" d" #d "_t" #t "_flat_fee"
#define D(d) " d" #d "_code d" #d "_unit_ko d" #d "_unit_en" \
	" d" #d "_aggregation d" #d "_model d" #d "_fee d" #d "_unit_price" \
	" d" #d "_package_size d" #d "_package_price d" #d "_package_rounding" \
	" d" #d "_charge_at_zero d" #d "_reference_quantity" \
	T(d, 0) T(d, 1) T(d, 2) T(d, 3) T(d, 4) T(d, 5)
#define C(c) " c" #c "_below c" #c "_share"

/* The form's fields; "*" marks those that may hold line breaks. */
const char listing_form_params[] =
    "service_type category_id name_ko name_en summary_ko summary_en"
    " description_ko* description_en* features_ko* features_en*"
    " benefits_ko* benefits_en* target_customers_ko* target_customers_en*"
    " customer_references_ko* customer_references_en* deployment_model"
    " dc_location dc_region runs_on availability_target"
    " recovery_grade_hours support_hours support_channels free_trial_url"
    " free_trial_terms_ko* free_trial_terms_en* min_contract_months"
    " contract_unit website preview more"
    D(0) D(1) D(2) D(3) D(4) D(5) C(0) C(1) C(2) C(3);

/* Text fields: JSON key, maximum characters, required, multi-line. */
static const struct {
	const char	*key;
	size_t		 max;
	int		 required;
} text_fields[] = {
	{ "name_ko", 200, 1 },
	{ "name_en", 200, 0 },
	{ "summary_ko", 1000, 0 },
	{ "summary_en", 1000, 0 },
	{ "description_ko", 20000, 0 },
	{ "description_en", 20000, 0 },
	{ "dc_region", 100, 0 },
	{ "free_trial_terms_ko", 1000, 0 },
	{ "free_trial_terms_en", 1000, 0 },
	{ "free_trial_url", 300, 0 },
	{ "website", 300, 0 },
};

/* Lists: JSON key, most items, characters per item. */
static const struct {
	const char	*key;
	size_t		 items;
	size_t		 len;
} list_fields[] = {
	{ "features_ko", 20, 300 },
	{ "features_en", 20, 300 },
	{ "benefits_ko", 20, 300 },
	{ "benefits_en", 20, 300 },
	{ "target_customers_ko", 10, 100 },
	{ "target_customers_en", 10, 100 },
	{ "customer_references_ko", 20, 300 },
	{ "customer_references_en", 20, 300 },
};

/* Closed vocabularies: JSON key and the values it takes. */
static const char *const service_types[] = { "iaas", "paas", "saas", "daas",
	"support", NULL };
static const char *const deployment_models[] = { "public", "private",
	"hybrid", "community", NULL };
static const char *const dc_locations[] = { "domestic", "overseas", NULL };
static const char *const support_hours_v[] = { "business_hours", "extended",
	"24x7", NULL };
static const char *const support_channels_v[] = { "phone", "email", "web",
	"chat", "remote", "onsite", NULL };
static const char *const contract_units[] = { "monthly", "quarterly",
	"yearly", "usage", NULL };
static const char *const aggregations[] = { "sum", "max", "latest",
	"unique_count", NULL };
static const char *const models[] = { "flat", "per_unit", "graduated",
	"volume", "package", NULL };

static const struct {
	const char		 *key;
	const char *const	 *values;
	int			  required;
} enum_fields[] = {
	{ "service_type", service_types, 1 },
	{ "deployment_model", deployment_models, 0 },
	{ "dc_location", dc_locations, 0 },
	{ "support_hours", support_hours_v, 0 },
	{ "contract_unit", contract_units, 0 },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Every key the JSON input may have. */
static const char *const input_keys[] = {
	"service_type", "category_id", "name_ko", "name_en", "summary_ko",
	"summary_en", "description_ko", "description_en", "features_ko",
	"features_en", "benefits_ko", "benefits_en", "target_customers_ko",
	"target_customers_en", "customer_references_ko",
	"customer_references_en", "deployment_model", "dc_location",
	"dc_region", "runs_on", "availability_target", "recovery_grade_hours",
	"support_hours", "support_channels", "free_trial_url",
	"free_trial_terms_ko", "free_trial_terms_en", "min_contract_months",
	"contract_unit", "website", "rate_plan", NULL
};

/* The listing's columns as the pages show and the form reads them. */
#define LISTING_COLS \
	"l.id, l.vendor_id, l.status, l.service_type, l.category_id," \
	" l.name_ko, l.name_en, l.summary_ko, l.summary_en," \
	" l.description_ko, l.description_en," \
	" to_jsonb(l.features_ko) AS features_ko," \
	" to_jsonb(l.features_en) AS features_en," \
	" to_jsonb(l.benefits_ko) AS benefits_ko," \
	" to_jsonb(l.benefits_en) AS benefits_en," \
	" to_jsonb(l.target_customers_ko) AS target_customers_ko," \
	" to_jsonb(l.target_customers_en) AS target_customers_en," \
	" to_jsonb(l.customer_references_ko) AS customer_references_ko," \
	" to_jsonb(l.customer_references_en) AS customer_references_en," \
	" l.deployment_model, l.dc_location," \
	" l.dc_region, l.availability_target::text AS availability_target," \
	" l.recovery_grade_hours, l.support_hours," \
	" to_jsonb(l.support_channels) AS support_channels," \
	" l.free_trial_url, l.free_trial_terms_ko, l.free_trial_terms_en," \
	" l.min_contract_months, l.contract_unit, l.website, l.rate_plan," \
	" l.reference_monthly_price_won, l.current_version," \
	" to_char(l.updated_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS updated_kst," \
	" coalesce((SELECT jsonb_agg(r.runs_on_id ORDER BY r.runs_on_id)" \
	"  FROM listing_runs_on r WHERE r.listing_id = l.id), '[]')" \
	" AS runs_on, o.status AS vendor_status," \
	" (SELECT kind FROM listing_reviews rv WHERE rv.listing_id = l.id" \
	"  AND rv.decided_at IS NULL AND rv.kind IN ('submission', 'change'))" \
	" AS open_review"

enum listing_sql {
	SQL_CATEGORIES,
	SQL_INDEX,
	SQL_ONE,
	SQL_REVIEWS,
	SQL_CREATE,
	SQL_SAVE,
	SQL_SUBMIT,
	SQL_VERSIONS,
	SQL_DIFF,
	SQL__MAX
};

static const char *const listing_sql[SQL__MAX] = {
	/* SQL_CATEGORIES */
	"SELECT c.id, c.service_type, c.code, c.name_ko, c.name_en"
	" FROM categories c WHERE c.parent_id IS NOT NULL"
	" ORDER BY c.id",
	/* SQL_INDEX: $1 vendor */
	"SELECT l.id, l.name_ko, l.name_en, l.status, l.service_type,"
	" l.current_version, l.reference_monthly_price_won,"
	" to_char(l.updated_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS updated_kst,"
	" (SELECT kind FROM listing_reviews rv WHERE rv.listing_id = l.id"
	"  AND rv.decided_at IS NULL AND rv.kind IN ('submission', 'change'))"
	" AS open_review"
	" FROM listings l WHERE l.vendor_id = $1 ORDER BY l.updated_at DESC,"
	" l.id DESC LIMIT 500",
	/* SQL_ONE: $1 id, $2 vendor (NULL: an operator) */
	"SELECT " LISTING_COLS ", o.name_ko AS vendor_name_ko,"
	" o.name_en AS vendor_name_en"
	" FROM listings l JOIN organisations o ON o.id = l.vendor_id"
	" WHERE l.id = $1 AND ($2::bigint IS NULL OR l.vendor_id = $2)",
	/* SQL_REVIEWS: $1 id, $2 vendor (NULL: an operator) */
	"SELECT r.id, r.kind, r.version, to_jsonb(r.changed) AS changed,"
	" to_jsonb(r.review_reasons) AS review_reasons,"
	" r.decision, r.reasons, r.score_percent, r.passed,"
	" to_char(r.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_kst,"
	" to_char(r.decided_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS decided_kst, r.decided_at IS NULL AS open"
	" FROM listing_reviews r JOIN listings l ON l.id = r.listing_id"
	" WHERE r.listing_id = $1 AND ($2::bigint IS NULL OR l.vendor_id = $2)"
	" ORDER BY r.id DESC LIMIT 50",
	/* SQL_CREATE: vendor, actor, fields, plan, price, runs_on, rid, addr */
	"SELECT listing_create($1, $2, $3::jsonb, $4::jsonb, $5::bigint,"
	" ARRAY(SELECT jsonb_array_elements_text($6::jsonb)::bigint),"
	" $7, $8) AS r",
	/* SQL_SAVE: id, vendor, actor, fields, plan, price, runs_on,
	   expected plan, comparison, rid, addr */
	"SELECT listing_save($1, $2, $3, $4::jsonb, $5::jsonb, $6::bigint,"
	" ARRAY(SELECT jsonb_array_elements_text($7::jsonb)::bigint),"
	" $8::jsonb, $9, $10, $11) AS r",
	/* SQL_SUBMIT: id, vendor, actor, rid, addr */
	"SELECT listing_submit($1, $2, $3, $4, $5) AS r",
	/* SQL_VERSIONS: $1 id, $2 vendor (NULL: an operator) */
	"SELECT l.id AS listing_id, l.name_ko, l.name_en, l.status,"
	" l.current_version, coalesce((SELECT jsonb_agg(jsonb_build_object("
	"  'version', v.version, 'reason', v.reason, 'created_kst',"
	"  to_char(v.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI'),"
	"  'created_by', u.email) ORDER BY v.version DESC)"
	"  FROM listing_versions v LEFT JOIN users u ON u.id = v.created_by"
	"  WHERE v.listing_id = l.id), '[]') AS versions"
	" FROM listings l WHERE l.id = $1"
	" AND ($2::bigint IS NULL OR l.vendor_id = $2)",
	/* SQL_DIFF: $1 id, $2 vendor, $3 from, $4 to */
	"SELECT l.id AS listing_id, l.name_ko, l.name_en, l.current_version,"
	" (SELECT jsonb_build_object('document', v.document, 'rate_plan',"
	"  v.rate_plan) FROM listing_versions v WHERE v.listing_id = l.id"
	"  AND v.version = $3) AS a,"
	" (SELECT jsonb_build_object('document', v.document, 'rate_plan',"
	"  v.rate_plan) FROM listing_versions v WHERE v.listing_id = l.id"
	"  AND v.version = $4) AS b"
	" FROM listings l WHERE l.id = $1"
	" AND ($2::bigint IS NULL OR l.vendor_id = $2)",
};

/* What an outcome of the SQL functions answers. */
static const struct {
	const char	*outcome;
	enum app_err	 err;
	const char	*key;
} outcomes[] = {
	{ "not_found", APP_ENOTFOUND, NULL },
	{ "wrong_state", APP_ECONFLICT, "listing.error_state" },
	{ "pending_change", APP_ECONFLICT, "listing.error_pending_change" },
	{ "stale", APP_ECONFLICT, "listing.error_stale" },
	{ "vendor_not_approved", APP_EFORBIDDEN,
	    "listing.error_vendor_not_approved" },
	{ "incomplete", APP_EINVAL, "listing.error_incomplete" },
	{ "invalid", APP_EINVAL, NULL },
};

/* Status and error code of the errors this file answers itself. */
static const struct {
	enum app_err	 err;
	int		 status;
	const char	*code;
} err_codes[] = {
	{ APP_EINVAL, 400, "invalid_parameter" },
	{ APP_EUNKNOWNPARAM, 400, "unknown_parameter" },
	{ APP_ETOOLONG, 400, "too_long" },
	{ APP_EFORBIDDEN, 403, "forbidden" },
	{ APP_ENOTFOUND, 404, "not_found" },
	{ APP_ECONFLICT, 409, "conflict" },
	{ APP_EREFERENCE, 422, "invalid_reference" },
};

/* A validated listing, ready for the SQL functions. */
struct listing_in {
	json_t		*fields;	/* every editable column */
	json_t		*plan;		/* canonical rate plan, or NULL */
	json_t		*runs_on;	/* array of ids */
	int64_t		 price;		/* reference monthly price, won */
	struct plan	 p;
	int		 has_plan;
};

/* Where the form's plan rows went in the plan (for error fields). */
struct row_map {
	int		 dim[RATING_DIMENSIONS_MAX];
	int		 tier[RATING_DIMENSIONS_MAX][RATING_TIERS_MAX];
	int		 credit[RATING_CREDITS_MAX];
};

static int	 listing_form_page(struct http_request *, int, json_t *);
static int	 listing_fail(struct http_request *, json_t *, enum app_err,
		    const char *, const char *);
static json_t	*form_from_post(struct http_request *);
static json_t	*form_from_row(json_t *);
static json_t	*form_to_input(json_t *, struct row_map *);
static int	 listing_validate(struct http_request *, json_t *,
		    json_t *, struct listing_in *, const struct row_map *,
		    char *, size_t, char *, size_t, enum app_err *);
static void	 listing_in_free(struct listing_in *);
static void	 form_decorate(struct http_request *, json_t *, json_t *);
static const char *row_str(json_t *, const char *);
static char	*md_html(const char *);
static int	 in_set(const char *, const char *const *);
static int	 outcome_answer(struct http_request *, json_t *, json_t *);
static void	 plan_decorate(struct http_request *, json_t *);
static void	 flatten(json_t *, const char *, json_t *);
static const char *label(struct http_request *, const char *,
		    const char *, char *, size_t);
static int	 vendor_param(struct app_req *, char *, size_t,
		    const char **);

/*
 * The vendor organisation's id as text for the ownership checks, or NULL
 * (operators read every listing). *p gets the pointer for params.
 */
static int
vendor_param(struct app_req *ar, char *buf, size_t len, const char **p)
{
	if (ar->who.role & (ROLES_VENDOR | ROLE_KEY_VENDOR)) {
		(void)snprintf(buf, len, "%lld", (long long)ar->who.org_id);
		*p = buf;
		return (1);
	}
	*p = NULL;
	return (0);
}

/*
 * GET /vendor/listings and /api/v1/vendor/listings: the vendor's
 * listings, most recently changed first, with status and version.
 */
int
listing_index(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1];
	char		 org[24];
	json_t		*row;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	rc = db_call(req, &ar->db[0], listing_sql[SQL_INDEX], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		listing_decorate_row(req, row);
	ar->vm = json_pack("{s:s, s:O, s:b, s:s}", "title",
	    web_str(req, "listing.index_title"), "listings", ar->db[0].rows,
	    "vendor_approved", strcmp(ar->who.org_status, "approved") == 0,
	    "vendor_status", ar->who.org_status);
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (web_page(req, 200, "listing_index", ar->vm));
}

/* GET /vendor/listings/new: an empty form (?type preselects a type). */
int
listing_new(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*form;
	const char	*type;

	ar = app_req(req);
	form = json_pack("{s:s}", "service_type", "saas");
	if (form == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if ((type = qs_get(&ar->qs, "type")) != NULL &&
	    in_set(type, service_types))
		json_object_set_new(form, "service_type", json_string(type));
	ar->vm = json_pack("{s:s, s:o, s:b, s:s}", "title",
	    web_str(req, "listing.new_title"), "form", form, "is_new", 1,
	    "action", "/vendor/listings");
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (listing_form_page(req, 200, ar->vm));
}

/*
 * The form page: loads the category tree (db[3]) and renders. vm holds
 * form (the values as typed) and, after an error, error / invalid.
 */
static int
listing_form_page(struct http_request *req, int status, json_t *vm)
{
	struct app_req	*ar;
	int		 rc;

	ar = app_req(req);
	rc = db_call(req, &ar->db[3], listing_sql[SQL_CATEGORIES], 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));
	form_decorate(req, vm, ar->db[3].rows);
	return (web_page(req, status, "listing_form", vm));
}

/*
 * Answers a refused input: JSON {"error": {code, message, field}}, or the
 * form again with the message, the field marked and the input kept.
 * message is either a string-table key (when key) or the text itself.
 */
static int
listing_fail(struct http_request *req, json_t *vm, enum app_err err,
    const char *field, const char *message)
{
	struct app_req	*ar;
	json_t		*e, *inv;
	size_t		 i;
	int		 status;
	const char	*code;

	ar = app_req(req);
	status = 400;
	code = "invalid_parameter";
	for (i = 0; i < NELEM(err_codes); i++) {
		if (err_codes[i].err == err) {
			status = err_codes[i].status;
			code = err_codes[i].code;
		}
	}
	if (!ar->json && vm == NULL) {
		/* No form to show it on: the error page, as web_error(). */
		e = json_pack("{s:i, s:s, s:s, s:s?, s:s}", "status", status,
		    "code", code, "message", message, "field", field, "title",
		    message);
		if (e == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_page(req, status, "error", e);
		json_decref(e);
		return (KORE_RESULT_OK);
	}
	if (ar->json) {
		e = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code,
		    "message", message, "field", field);
		if (e == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_json(req, status, e);
		json_decref(e);
		return (KORE_RESULT_OK);
	}
	json_object_set_new(vm, "error", json_pack("{s:s, s:s, s:s?}", "code",
	    code, "message", message, "field", field));
	if (field != NULL) {
		if ((inv = json_object_get(vm, "invalid")) == NULL) {
			inv = json_object();
			json_object_set_new(vm, "invalid", inv);
		}
		json_object_set_new(inv, field, json_string(message));
	}
	json_object_set_new(vm, "_status", json_integer(status));
	return (listing_form_page(req, status, vm));
}

/*
 * POST /vendor/listings and /api/v1/vendor/listings: creates a draft.
 * 201 {id, status} or 303 to its page; 400 naming the field; with
 * "preview" (form) the form again with the description rendered.
 */
int
listing_create(struct http_request *req)
{
	struct app_req		*ar;
	struct listing_in	 in;
	struct row_map		 map;
	enum app_err		 err;
	const char		*params[8];
	char			 field[96], msg[512], org[24], uid[24];
	char			 price[24], addr[64], url[64];
	char			*fields, *plan, *runs;
	json_t			*input, *form, *r;
	int			 rc;

	ar = app_req(req);
	if (ar->vm != NULL && json_object_get(ar->vm, "_status") != NULL)
		return (listing_form_page(req, (int)json_integer_value(
		    json_object_get(ar->vm, "_status")), ar->vm));
	if (ar->vm == NULL) {
		form = ar->body != NULL ? NULL : form_from_post(req);
		ar->vm = json_pack("{s:s, s:o?, s:b, s:s}", "title",
		    web_str(req, "listing.new_title"), "form", form,
		    "is_new", 1, "action", "/vendor/listings");
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		if (form != NULL && (web_form(req, "preview") != NULL ||
		    web_form(req, "more") != NULL)) {
			json_object_set_new(ar->vm, "_status",
			    json_integer(200));
			return (listing_form_page(req, 200, ar->vm));
		}
	}

	/* Categories first: the category must be one of the type. */
	rc = db_call(req, &ar->db[3], listing_sql[SQL_CATEGORIES], 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));

	memset(&map, 0, sizeof(map));
	form = json_object_get(ar->vm, "form");
	input = ar->body != NULL ? json_incref(ar->body) :
	    form_to_input(form, &map);
	if (input == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	rc = listing_validate(req, input, ar->db[3].rows, &in,
	    ar->body != NULL ? NULL : &map, field, sizeof(field), msg,
	    sizeof(msg), &err);
	json_decref(input);
	if (!rc)
		return (listing_fail(req, ar->vm, err, field, msg));

	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	(void)snprintf(price, sizeof(price), "%lld", (long long)in.price);
	fields = json_dumps(in.fields, JSON_COMPACT);
	plan = in.plan != NULL ? json_dumps(in.plan, JSON_COMPACT) : NULL;
	runs = json_dumps(in.runs_on, JSON_COMPACT);
	params[0] = org;
	params[1] = uid;
	params[2] = fields;
	params[3] = plan;
	params[4] = in.has_plan ? price : NULL;
	params[5] = runs;
	params[6] = ar->rid;
	params[7] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], listing_sql[SQL_CREATE], 8, params);
	free(fields);
	free(plan);
	free(runs);
	listing_in_free(&in);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	r = json_object_get(json_array_get(ar->db[0].rows, 0), "r");
	if (strcmp(row_str(r, "outcome"), "created") != 0)
		return (outcome_answer(req, ar->vm, r));
	web_log(req, "listing %lld created by user %s", (long long)
	    json_integer_value(json_object_get(r, "id")), uid);
	if (ar->json)
		return (web_json(req, 201, r));
	(void)snprintf(url, sizeof(url), "/vendor/listings/%lld?done=created",
	    (long long)json_integer_value(json_object_get(r, "id")));
	return (web_redirect(req, url));
}

/*
 * GET /vendor/listings/:id/edit: the form with the listing's values. 409
 * when its state does not allow edits (submitted, rejected, suspended,
 * withdrawn, or a change of it is waiting for review).
 */
int
listing_edit(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2], *status;
	char		 id[24], org[24], action[64];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if (ar->vm == NULL) {
		(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
		(void)snprintf(org, sizeof(org), "%lld",
		    (long long)ar->who.org_id);
		params[0] = id;
		params[1] = org;
		rc = db_call(req, &ar->db[0], listing_sql[SQL_ONE], 2, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
			return (web_error(req, APP_ENOTFOUND, NULL, NULL));
		status = row_str(row, "status");
		if ((strcmp(status, "draft") != 0 &&
		    strcmp(status, "published") != 0) ||
		    json_is_string(json_object_get(row, "open_review")))
			return (web_error(req, APP_ECONFLICT, NULL,
			    json_is_string(json_object_get(row,
			    "open_review")) ? "listing.error_pending_change" :
			    "listing.error_state"));
		(void)snprintf(action, sizeof(action), "/vendor/listings/%s",
		    id);
		ar->vm = json_pack("{s:s, s:o, s:b, s:s, s:I, s:s, s:b}",
		    "title", web_str(req, "listing.edit_title"),
		    "form", form_from_row(row), "is_new", 0, "action", action,
		    "id", (json_int_t)ar->id, "status", status,
		    "is_published", strcmp(status, "published") == 0);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	if (ar->json)
		return (web_json(req, 200, ar->vm));
	return (listing_form_page(req, 200, ar->vm));
}

/*
 * POST /vendor/listings/:id and /api/v1/vendor/listings/:id: saves the
 * listing. A draft is simply saved; a published one follows the change
 * rules (a price cut alone is published at once, a raise or new type
 * waits for review, other edits are published and queued for the
 * reviewer). 303 to the listing with what happened, or 200 with the
 * outcome; 400 naming the field, 404, 409.
 */
int
listing_save(struct http_request *req)
{
	struct app_req		*ar;
	struct listing_in	 in;
	struct row_map		 map;
	struct plan		 old;
	struct plan_perr	 pe;
	enum app_err		 err;
	const char		*params[11], *status, *cmp;
	char			 field[96], msg[512], id[24], org[24];
	char			 uid[24], price[24], addr[64], url[96];
	char			*fields, *plan, *runs, *expect;
	json_t			*input, *form, *row, *r, *oldplan;
	int			 rc, has_old;

	ar = app_req(req);
	if (ar->vm != NULL && json_object_get(ar->vm, "_status") != NULL)
		return (listing_form_page(req, (int)json_integer_value(
		    json_object_get(ar->vm, "_status")), ar->vm));

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	params[0] = id;
	params[1] = org;
	rc = db_call(req, &ar->db[1], listing_sql[SQL_ONE], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	if ((row = json_array_get(ar->db[1].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	status = row_str(row, "status");

	if (ar->vm == NULL) {
		form = ar->body != NULL ? NULL : form_from_post(req);
		(void)snprintf(url, sizeof(url), "/vendor/listings/%s", id);
		ar->vm = json_pack("{s:s, s:o?, s:b, s:s, s:I, s:s, s:b}",
		    "title", web_str(req, "listing.edit_title"), "form", form,
		    "is_new", 0, "action", url, "id", (json_int_t)ar->id,
		    "status", status, "is_published",
		    strcmp(status, "published") == 0);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		if (form != NULL && (web_form(req, "preview") != NULL ||
		    web_form(req, "more") != NULL)) {
			json_object_set_new(ar->vm, "_status",
			    json_integer(200));
			return (listing_form_page(req, 200, ar->vm));
		}
	}
	if (strcmp(status, "draft") != 0 && strcmp(status, "published") != 0)
		return (listing_fail(req, NULL, APP_ECONFLICT, NULL,
		    web_str(req, "listing.error_state")));

	rc = db_call(req, &ar->db[3], listing_sql[SQL_CATEGORIES], 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));

	memset(&map, 0, sizeof(map));
	form = json_object_get(ar->vm, "form");
	input = ar->body != NULL ? json_incref(ar->body) :
	    form_to_input(form, &map);
	if (input == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	rc = listing_validate(req, input, ar->db[3].rows, &in,
	    ar->body != NULL ? NULL : &map, field, sizeof(field), msg,
	    sizeof(msg), &err);
	json_decref(input);
	if (!rc)
		return (listing_fail(req, ar->vm, err, field, msg));

	/* Is the new plan only cheaper than the stored one? */
	oldplan = json_object_get(row, "rate_plan");
	has_old = json_is_object(oldplan) && plan_parse(oldplan, &old,
	    &pe) == 0;
	if (json_is_object(oldplan) && !has_old)
		cmp = "other";
	else
		switch (plan_compare(has_old ? &old : NULL,
		    in.has_plan ? &in.p : NULL)) {
		case PLAN_SAME:
			cmp = "same";
			break;
		case PLAN_LOWER:
			cmp = "lower";
			break;
		default:
			cmp = "other";
			break;
		}

	(void)snprintf(price, sizeof(price), "%lld", (long long)in.price);
	fields = json_dumps(in.fields, JSON_COMPACT);
	plan = in.plan != NULL ? json_dumps(in.plan, JSON_COMPACT) : NULL;
	runs = json_dumps(in.runs_on, JSON_COMPACT);
	expect = json_is_object(oldplan) ? json_dumps(oldplan, JSON_COMPACT) :
	    NULL;
	params[0] = id;
	params[1] = org;
	params[2] = uid;
	params[3] = fields;
	params[4] = plan;
	params[5] = in.has_plan ? price : NULL;
	params[6] = runs;
	params[7] = expect;
	params[8] = cmp;
	params[9] = ar->rid;
	params[10] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], listing_sql[SQL_SAVE], 11, params);
	free(fields);
	free(plan);
	free(runs);
	free(expect);
	listing_in_free(&in);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	r = json_object_get(json_array_get(ar->db[0].rows, 0), "r");
	if (!in_set(row_str(r, "outcome"), (const char *const[]){ "saved",
	    "unchanged", "change_submitted", "published", NULL }))
		return (outcome_answer(req, ar->vm, r));
	web_log(req, "listing %s: %s by user %s", id, row_str(r, "outcome"),
	    uid);
	if (ar->json)
		return (web_json(req, 200, r));
	(void)snprintf(url, sizeof(url), "/vendor/listings/%s?done=%s", id,
	    strcmp(row_str(r, "outcome"), "published") == 0 &&
	    json_is_true(json_object_get(r, "acknowledge")) ?
	    "published_ack" : row_str(r, "outcome"));
	return (web_redirect(req, url));
}

/* Answers an outcome of a SQL function that is not a success. */
static int
outcome_answer(struct http_request *req, json_t *vm, json_t *r)
{
	const char	*o, *field;
	char		 key[96];
	size_t		 i;

	o = row_str(r, "outcome");
	for (i = 0; i < NELEM(outcomes); i++) {
		if (strcmp(outcomes[i].outcome, o) != 0)
			continue;
		if (outcomes[i].err == APP_ENOTFOUND)
			return (web_error(req, APP_ENOTFOUND, NULL, NULL));
		field = json_string_value(json_object_get(r, "field"));
		if (outcomes[i].key != NULL) {
			const char	*m, *p;
			char		 lbl[128], text[512];

			m = web_str(req, outcomes[i].key);
			if ((p = strstr(m, "{field}")) != NULL) {
				(void)snprintf(text, sizeof(text), "%.*s%s%s",
				    (int)(p - m), m, label(req, field != NULL ?
				    field : "", "listing.field.", lbl,
				    sizeof(lbl)), p + 7);
				m = text;
			}
			return (listing_fail(req, outcomes[i].err ==
			    APP_EINVAL ? vm : NULL, outcomes[i].err, field,
			    m));
		}
		(void)snprintf(key, sizeof(key), "listing.error.%s",
		    field != NULL ? field : "");
		return (listing_fail(req, vm, outcomes[i].err, field,
		    web_str(req, key)));
	}
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/*
 * POST /vendor/listings/:id/submit (and the API): draft → submitted, a
 * new version, a place in the review queue. 403 when the vendor is not
 * approved, 409 from any other state (a second submission too), 400
 * naming the first field a submission still lacks.
 */
int
listing_submit(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5];
	char		 id[24], org[24], uid[24], addr[64], url[96];
	json_t		*r;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	params[0] = id;
	params[1] = org;
	params[2] = uid;
	params[3] = ar->rid;
	params[4] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], listing_sql[SQL_SUBMIT], 5, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	r = json_object_get(json_array_get(ar->db[0].rows, 0), "r");
	if (strcmp(row_str(r, "outcome"), "submitted") != 0)
		return (outcome_answer(req, NULL, r));
	web_log(req, "listing %s submitted by user %s", id, uid);
	if (ar->json)
		return (web_json(req, 200, r));
	(void)snprintf(url, sizeof(url), "/vendor/listings/%s?done=submitted",
	    id);
	return (web_redirect(req, url));
}

/*
 * GET /vendor/listings/:id and /api/v1/vendor/listings/:id: the listing
 * as its vendor sees it: state, every field, the description rendered,
 * the rate plan, the review history with the reviewers' reasons.
 */
int
listing_show(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2], *done, *st;
	char		 id[24], org[24], key[64];
	json_t		*row, *rv, *latest;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	(void)vendor_param(ar, org, sizeof(org), &params[1]);
	rc = db_call(req, &ar->db[0], listing_sql[SQL_ONE], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], listing_sql[SQL_REVIEWS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	if (ar->json) {
		ar->vm = json_pack("{s:O, s:O}", "listing", row, "reviews",
		    ar->db[1].rows);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		return (web_json(req, 200, ar->vm));
	}
	listing_decorate_row(req, row);
	latest = NULL;
	json_array_foreach(ar->db[1].rows, i, rv) {
		(void)snprintf(key, sizeof(key), "listing.kind.%s",
		    row_str(rv, "kind"));
		json_object_set_new(rv, "kind_label",
		    json_string(web_str(req, key)));
		if (json_is_string(json_object_get(rv, "decision"))) {
			(void)snprintf(key, sizeof(key), "listing.decision.%s",
			    row_str(rv, "decision"));
			json_object_set_new(rv, "decision_label",
			    json_string(web_str(req, key)));
			/* Acknowledging an edit is the office's own note. */
			if (latest == NULL && strcmp(row_str(rv, "kind"),
			    "text_edit") != 0)
				latest = rv;
		}
	}
	st = row_str(row, "status");
	ar->vm = json_pack("{s:s, s:O, s:O, s:O*}", "title",
	    web_str(req, "listing.show_title"), "listing", row,
	    "reviews", ar->db[1].rows, "latest_decision",
	    latest != NULL && json_string_length(json_object_get(latest,
	    "reasons")) > 0 ? latest : NULL);
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	json_object_set_new(ar->vm, "can_edit", json_boolean(
	    (strcmp(st, "draft") == 0 || strcmp(st, "published") == 0) &&
	    !json_is_string(json_object_get(row, "open_review"))));
	json_object_set_new(ar->vm, "can_submit", json_boolean(
	    strcmp(st, "draft") == 0));
	json_object_set_new(ar->vm, "vendor_approved", json_boolean(
	    strcmp(row_str(row, "vendor_status"), "approved") == 0));
	if ((done = qs_get(&ar->qs, "done")) != NULL && *done != '\0') {
		(void)snprintf(key, sizeof(key), "listing.done.%s", done);
		if (strcmp(web_str(req, key), key) != 0)
			json_object_set_new(ar->vm, "done_notice",
			    json_string(web_str(req, key)));
	}
	return (web_page(req, 200, "listing_show", ar->vm));
}

/*
 * GET .../listings/:id/versions: every version of the listing, newest
 * first (vendors: their own; operators: any).
 */
int
listing_versions(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 id[24], org[24];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	(void)vendor_param(ar, org, sizeof(org), &params[1]);
	rc = db_call(req, &ar->db[0], listing_sql[SQL_VERSIONS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	ar->vm = json_pack("{s:s, s:O, s:s}", "title",
	    web_str(req, "listing.versions_title"), "listing", row,
	    "base", (ar->who.role & ROLES_VENDOR) ? "/vendor/listings" :
	    "/review/listings");
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (web_page(req, 200, "listing_versions", ar->vm));
}

/*
 * GET .../listings/:id/diff?from=&to=: the difference between two
 * versions, field by field, rate plan included (from=0: everything of
 * `to` as added). Defaults: the current version against the one before.
 * 400 naming from/to when a version does not exist.
 */
int
listing_diff(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[4];
	char		 id[24], org[24], from[24], to[24];
	json_t		*row, *a, *b, *rows;
	int64_t		 f, t;
	int		 rc;

	ar = app_req(req);
	if (!web_param_int(req, "from", -1, 0, 1000000, &f) ||
	    !web_param_int(req, "to", -1, 1, 1000000, &t))
		return (KORE_RESULT_OK);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(from, sizeof(from), "%lld", (long long)f);
	(void)snprintf(to, sizeof(to), "%lld", (long long)t);
	params[0] = id;
	(void)vendor_param(ar, org, sizeof(org), &params[1]);
	params[2] = from;
	params[3] = to;
	if (t == -1 || f == -1) {
		/* First find the current version (same statement, no docs). */
		rc = db_call(req, &ar->db[1], listing_sql[SQL_DIFF], 4, params);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[1]));
		if ((row = json_array_get(ar->db[1].rows, 0)) == NULL)
			return (web_error(req, APP_ENOTFOUND, NULL, NULL));
		if (t == -1)
			t = json_integer_value(json_object_get(row,
			    "current_version"));
		if (t < 1)
			return (web_error(req, APP_EINVAL, "to", NULL));
		if (f == -1)
			f = t - 1;
		(void)snprintf(from, sizeof(from), "%lld", (long long)f);
		(void)snprintf(to, sizeof(to), "%lld", (long long)t);
	}
	rc = db_call(req, &ar->db[0], listing_sql[SQL_DIFF], 4, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	a = json_object_get(row, "a");
	b = json_object_get(row, "b");
	if (f > 0 && !json_is_object(a))
		return (web_error(req, APP_EINVAL, "from", NULL));
	if (!json_is_object(b))
		return (web_error(req, APP_EINVAL, "to", NULL));
	rows = listing_diff_rows(req, json_is_object(a) ? a : NULL, b);
	ar->vm = json_pack("{s:s, s:I, s:s?, s:s?, s:I, s:I, s:o, s:s}",
	    "title", web_str(req, "listing.diff_title"), "listing_id",
	    (json_int_t)ar->id, "name_ko", json_string_value(json_object_get(
	    row, "name_ko")), "name_en", json_string_value(json_object_get(
	    row, "name_en")), "from", (json_int_t)f, "to", (json_int_t)t,
	    "changes", rows, "base", (ar->who.role & ROLES_VENDOR) ?
	    "/vendor/listings" : "/review/listings");
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (web_page(req, 200, "listing_diff", ar->vm));
}

/*
 * The field-by-field difference of two versions {document, rate_plan}
 * (a NULL: nothing before). Returns a new array of {field, label, from,
 * to} for each path whose value differs.
 */
json_t *
listing_diff_rows(struct http_request *req, json_t *a, json_t *b)
{
	json_t		*fa, *fb, *out, *va, *vb;
	const char	*k;
	char		 lbl[256];

	fa = json_object();
	fb = json_object();
	out = json_array();
	if (fa == NULL || fb == NULL || out == NULL) {
		json_decref(fa);
		json_decref(fb);
		return (out);
	}
	if (a != NULL) {
		flatten(json_object_get(a, "document"), "", fa);
		flatten(json_object_get(a, "rate_plan"), "rate_plan", fa);
	}
	flatten(json_object_get(b, "document"), "", fb);
	flatten(json_object_get(b, "rate_plan"), "rate_plan", fb);
	/* Keys of both, in order: jansson keeps insertion order. */
	json_object_foreach(fa, k, va) {
		if (json_object_get(fb, k) == NULL)
			json_object_set_new(fb, k, json_null());
	}
	json_object_foreach(fb, k, vb) {
		if ((va = json_object_get(fa, k)) == NULL)
			va = json_null();
		/* Absent and empty are the same to a reader. */
		if (json_equal(va, vb) || ((json_is_null(va) ||
		    (json_is_string(va) && json_string_length(va) == 0)) &&
		    (json_is_null(vb) || (json_is_string(vb) &&
		    json_string_length(vb) == 0))))
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:O, s:O}",
		    "field", k, "label", label(req, k, "listing.field.", lbl,
		    sizeof(lbl)), "from", va, "to", vb));
	}
	json_decref(fa);
	json_decref(fb);
	return (out);
}

/*
 * Adds every scalar of v under its path to out: objects by key
 * ("dc_region"), arrays by index, or by "code" for arrays of objects
 * that have one (rate_plan.dimensions[active_user].tiers[1].up_to).
 * Scalars become strings (null stays null).
 */
static void
flatten(json_t *v, const char *prefix, json_t *out)
{
	const char	*k, *code;
	char		 path[512], num[64];
	json_t		*x;
	size_t		 i;

	if (v == NULL)
		return;
	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			(void)snprintf(path, sizeof(path), "%s%s%s", prefix,
			    *prefix != '\0' ? "." : "", k);
			flatten(x, path, out);
		}
		return;
	}
	if (json_is_array(v)) {
		if (json_array_size(v) == 0) {
			json_object_set_new(out, prefix, json_string(""));
			return;
		}
		json_array_foreach(v, i, x) {
			code = json_is_object(x) ? json_string_value(
			    json_object_get(x, "code")) : NULL;
			if (code != NULL)
				(void)snprintf(path, sizeof(path), "%s[%s]",
				    prefix, code);
			else
				(void)snprintf(path, sizeof(path), "%s[%zu]",
				    prefix, i + 1);
			flatten(x, path, out);
		}
		return;
	}
	if (json_is_string(v)) {
		json_object_set(out, prefix, v);
	} else if (json_is_integer(v)) {
		(void)snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(v));
		json_object_set_new(out, prefix, json_string(num));
	} else if (json_is_real(v)) {
		(void)snprintf(num, sizeof(num), "%.6f", json_real_value(v));
		json_object_set_new(out, prefix, json_string(num));
	} else if (json_is_boolean(v)) {
		json_object_set_new(out, prefix, json_string(json_is_true(v) ?
		    "true" : "false"));
	} else {
		json_object_set_new(out, prefix, json_null());
	}
}

/*
 * The label of a field path: the string for its first segment
 * (prefix + "summary_ko"), followed by the rest of the path.
 */
static const char *
label(struct http_request *req, const char *path, const char *prefix,
    char *buf, size_t len)
{
	char		 key[128];
	size_t		 n;
	const char	*s;

	n = strcspn(path, ".[");
	(void)snprintf(key, sizeof(key), "%s%.*s", prefix, (int)n, path);
	s = web_str(req, key);
	if (strcmp(s, key) == 0)
		return (path);
	(void)snprintf(buf, len, "%s%s%s", s, path[n] != '\0' ? " " : "",
	    path[n] == '.' ? path + n + 1 : path + n);
	return (buf);
}

/* A string field of o, or "" (never NULL). */
static const char *
row_str(json_t *o, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(o, key));
	return (s != NULL ? s : "");
}

static int
in_set(const char *s, const char *const *set)
{
	size_t	i;

	if (s == NULL)
		return (0);
	for (i = 0; set[i] != NULL; i++) {
		if (strcmp(set[i], s) == 0)
			return (1);
	}
	return (0);
}

/* CommonMark to HTML, raw HTML and unsafe links removed. Caller frees. */
static char *
md_html(const char *s)
{
	return (cmark_markdown_to_html(s, strlen(s), CMARK_OPT_SAFE |
	    CMARK_OPT_NOBREAKS));
}

/*
 * Adds the labels and rendered parts a listing row is shown with (status,
 * type, price, the descriptions as HTML, plan labels), for pages.
 */
void
listing_decorate_row(struct http_request *req, json_t *row)
{
	struct app_req	*ar;
	const char	*s, *name, *alt;
	char		 key[96], *html, won[48];
	json_t		*v;
	size_t		 i;

	ar = app_req(req);
	name = row_str(row, "name_ko");
	alt = row_str(row, "name_en");
	json_object_set_new(row, "name", json_string(strcmp(ar->lang, "en") ==
	    0 && *alt != '\0' ? alt : name));
	s = row_str(row, "status");
	json_object_set_new(row, "is_published",
	    json_boolean(strcmp(s, "published") == 0));
	(void)snprintf(key, sizeof(key), "listing.status.%s", s);
	json_object_set_new(row, "status_label", json_string(web_str(req, key)));
	json_object_set_new(row, "status_tag", json_string(
	    strcmp(s, "published") == 0 ? "tag--valid" :
	    strcmp(s, "submitted") == 0 ? "tag--warning" :
	    strcmp(s, "draft") == 0 ? "tag--neutral" : "tag--revoked"));
	(void)snprintf(key, sizeof(key), "listing.type.%s",
	    row_str(row, "service_type"));
	json_object_set_new(row, "type_label", json_string(web_str(req, key)));
	if (json_is_string(json_object_get(row, "open_review"))) {
		(void)snprintf(key, sizeof(key), "listing.open.%s",
		    row_str(row, "open_review"));
		json_object_set_new(row, "open_label",
		    json_string(web_str(req, key)));
	}
	v = json_object_get(row, "reference_monthly_price_won");
	if (json_is_integer(v) && money_format_won(json_integer_value(v),
	    MONEY_FMT_GROUP, won, sizeof(won)) == MONEY_OK)
		json_object_set_new(row, "price_label", json_string(won));
	if (json_object_get(row, "description_ko") != NULL) {
		html = md_html(row_str(row, "description_ko"));
		json_object_set_new(row, "description_ko_html",
		    json_string(html != NULL ? html : ""));
		free(html);
		html = md_html(row_str(row, "description_en"));
		json_object_set_new(row, "description_en_html",
		    json_string(html != NULL ? html : ""));
		free(html);
	}
	for (i = 0; i < NELEM(enum_fields); i++) {
		if ((s = json_string_value(json_object_get(row,
		    enum_fields[i].key))) == NULL)
			continue;
		(void)snprintf(key, sizeof(key), "listing.%s.%s",
		    enum_fields[i].key, s);
		(void)snprintf(won, sizeof(won), "%s_label",
		    enum_fields[i].key);
		json_object_set_new(row, won, json_string(web_str(req, key)));
	}
	if (json_is_object(json_object_get(row, "rate_plan")))
		plan_decorate(req, json_object_get(row, "rate_plan"));
}

/* Labels for showing a stored plan: model and aggregation names. */
static void
plan_decorate(struct http_request *req, json_t *plan)
{
	json_t	*d;
	size_t	 i;
	char	 key[96];

	json_array_foreach(json_object_get(plan, "dimensions"), i, d) {
		(void)snprintf(key, sizeof(key), "listing.model.%s",
		    row_str(d, "model"));
		json_object_set_new(d, "model_label",
		    json_string(web_str(req, key)));
		(void)snprintf(key, sizeof(key), "listing.aggregation.%s",
		    row_str(d, "aggregation"));
		json_object_set_new(d, "aggregation_label",
		    json_string(web_str(req, key)));
		json_object_set_new(d, "has_tiers", json_boolean(
		    json_array_size(json_object_get(d, "tiers")) > 0));
	}
}

/* Joins a JSON array of strings with newlines (for a textarea). */
static json_t *
lines_of(json_t *arr)
{
	struct kore_buf	 b;
	json_t		*v, *s;
	size_t		 i;

	kore_buf_init(&b, 128);
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			continue;
		if (i > 0)
			kore_buf_append(&b, "\n", 1);
		kore_buf_append(&b, json_string_value(v),
		    json_string_length(v));
	}
	s = json_stringn((const char *)b.data, b.offset);
	kore_buf_cleanup(&b);
	return (s);
}

/* The form model of a stored listing row. Returns a new value. */
static json_t *
form_from_row(json_t *row)
{
	json_t		*f, *v, *dims, *d, *dr, *tiers, *t, *cr, *c, *ids;
	const char	*k;
	char		 buf[512];
	size_t		 i, j, off;

	f = json_object();
	json_object_foreach(row, k, v) {
		if (json_is_string(v))
			json_object_set(f, k, v);
		else if (json_is_integer(v)) {
			(void)snprintf(buf, sizeof(buf), "%lld",
			    (long long)json_integer_value(v));
			json_object_set_new(f, k, json_string(buf));
		}
	}
	for (i = 0; i < NELEM(list_fields); i++)
		json_object_set_new(f, list_fields[i].key,
		    lines_of(json_object_get(row, list_fields[i].key)));
	json_object_set(f, "support_channels",
	    json_object_get(row, "support_channels"));
	/* availability_target: numeric text without trailing zeros. */
	if ((k = json_string_value(json_object_get(row,
	    "availability_target"))) != NULL) {
		(void)snprintf(buf, sizeof(buf), "%s", k);
		if (strchr(buf, '.') != NULL) {
			off = strlen(buf);
			while (off > 0 && buf[off - 1] == '0')
				buf[--off] = '\0';
			if (off > 0 && buf[off - 1] == '.')
				buf[--off] = '\0';
		}
		json_object_set_new(f, "availability_target",
		    json_string(buf));
	}
	ids = json_object_get(row, "runs_on");
	buf[0] = '\0';
	off = 0;
	json_array_foreach(ids, i, v) {
		off += snprintf(buf + off, sizeof(buf) - off, "%s%lld",
		    i > 0 ? ", " : "", (long long)json_integer_value(v));
		if (off >= sizeof(buf))
			break;
	}
	json_object_set_new(f, "runs_on", json_string(buf));

	dims = json_array();
	json_array_foreach(json_object_get(json_object_get(row, "rate_plan"),
	    "dimensions"), i, d) {
		dr = json_object();
		json_object_foreach(d, k, v) {
			if (json_is_string(v))
				json_object_set(dr, k, v);
		}
		if (json_is_true(json_object_get(d, "charge_at_zero")))
			json_object_set_new(dr, "charge_at_zero",
			    json_string("1"));
		tiers = json_array();
		json_array_foreach(json_object_get(d, "tiers"), j, t) {
			json_array_append_new(tiers, json_pack("{s:s, s:s, "
			    "s:s}", "up_to", row_str(t, "up_to"),
			    "unit_price", row_str(t, "unit_price"),
			    "flat_fee", row_str(t, "flat_fee")));
		}
		json_object_set_new(dr, "tiers", tiers);
		json_array_append_new(dims, dr);
	}
	json_object_set_new(f, "dims", dims);
	cr = json_array();
	json_array_foreach(json_object_get(json_object_get(row, "rate_plan"),
	    "credits"), i, c) {
		json_array_append_new(cr, json_pack("{s:s, s:s}", "below",
		    row_str(c, "below"), "share", row_str(c, "share")));
	}
	json_object_set_new(f, "credits", cr);
	return (f);
}

/* The form model of the posted form, as typed. Returns a new value. */
static json_t *
form_from_post(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*f, *dims, *d, *tiers, *cr, *ch, *t;
	const char	*p, *s;
	char		 name[64];
	size_t		 i, j, n;
	static const char *const dkeys[] = { "code", "unit_ko", "unit_en",
		"aggregation", "model", "fee", "unit_price", "package_size",
		"package_price", "package_rounding", "charge_at_zero",
		"reference_quantity", NULL };

	ar = app_req(req);
	f = json_object();
	/* Every plain field of the route's list, as typed. */
	for (p = listing_form_params; *p != '\0'; p += n) {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 0 || n >= sizeof(name) || (p[0] == 'd' &&
		    p[1] >= '0' && p[1] <= '9') || (p[0] == 'c' &&
		    p[1] >= '0' && p[1] <= '9'))
			continue;
		(void)snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (name[strlen(name) - 1] == '*')
			name[strlen(name) - 1] = '\0';
		if (strcmp(name, "support_channels") == 0)
			continue;
		if ((s = qs_get(&ar->form, name)) != NULL)
			json_object_set_new(f, name, json_string(s));
	}
	ch = json_array();
	n = qs_count(&ar->form, "support_channels");
	for (i = 0; i < n; i++)
		json_array_append_new(ch, json_string(qs_nth(&ar->form,
		    "support_channels", i)));
	json_object_set_new(f, "support_channels", ch);

	dims = json_array();
	for (i = 0; i < FORM_DIMS; i++) {
		d = json_object();
		for (j = 0; dkeys[j] != NULL; j++) {
			(void)snprintf(name, sizeof(name), "d%zu_%s", i,
			    dkeys[j]);
			if ((s = qs_get(&ar->form, name)) != NULL)
				json_object_set_new(d, dkeys[j],
				    json_string(s));
		}
		tiers = json_array();
		for (j = 0; j < FORM_TIERS; j++) {
			t = json_object();
			(void)snprintf(name, sizeof(name), "d%zu_t%zu_up_to",
			    i, j);
			json_object_set_new(t, "up_to", json_string(
			    (s = qs_get(&ar->form, name)) != NULL ? s : ""));
			(void)snprintf(name, sizeof(name),
			    "d%zu_t%zu_unit_price", i, j);
			json_object_set_new(t, "unit_price", json_string(
			    (s = qs_get(&ar->form, name)) != NULL ? s : ""));
			(void)snprintf(name, sizeof(name),
			    "d%zu_t%zu_flat_fee", i, j);
			json_object_set_new(t, "flat_fee", json_string(
			    (s = qs_get(&ar->form, name)) != NULL ? s : ""));
			json_array_append_new(tiers, t);
		}
		json_object_set_new(d, "tiers", tiers);
		json_array_append_new(dims, d);
	}
	json_object_set_new(f, "dims", dims);
	cr = json_array();
	for (i = 0; i < FORM_CREDITS; i++) {
		(void)snprintf(name, sizeof(name), "c%zu_below", i);
		s = qs_get(&ar->form, name);
		(void)snprintf(name, sizeof(name), "c%zu_share", i);
		p = qs_get(&ar->form, name);
		json_array_append_new(cr, json_pack("{s:s, s:s}", "below",
		    s != NULL ? s : "", "share", p != NULL ? p : ""));
	}
	json_object_set_new(f, "credits", cr);
	return (f);
}

/* 1 if the string field key of o is absent or only blanks. */
static int
blank(json_t *o, const char *key)
{
	const char	*s;

	s = row_str(o, key);
	return (s[strspn(s, " \t\r\n")] == '\0');
}

/* A trimmed copy of a string value (a new value). */
static json_t *
trimmed(const char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return (json_stringn(s, n));
}

/*
 * The API-shaped input of a form model: lists split into lines (blank
 * ones dropped), numbers kept as text for the validator, the plan's rows
 * without the blank ones; *map records which row became which index.
 * Returns a new value.
 */
static json_t *
form_to_input(json_t *f, struct row_map *map)
{
	json_t		*in, *arr, *dims, *d, *dj, *tiers, *t, *tj, *cr, *c;
	const char	*s, *model, *e;
	char		 line[4096];
	size_t		 i, j, n, nd, nt, nc;
	static const char *const plain[] = { "service_type", "category_id",
		"name_ko", "name_en", "summary_ko", "summary_en",
		"description_ko", "description_en", "deployment_model",
		"dc_location", "dc_region", "availability_target",
		"recovery_grade_hours", "support_hours", "free_trial_url",
		"free_trial_terms_ko", "free_trial_terms_en",
		"min_contract_months", "contract_unit", "website", NULL };

	in = json_object();
	for (i = 0; plain[i] != NULL; i++) {
		s = row_str(f, plain[i]);
		json_object_set_new(in, plain[i], trimmed(s));
	}
	for (i = 0; i < NELEM(list_fields); i++) {
		arr = json_array();
		s = row_str(f, list_fields[i].key);
		while (*s != '\0') {
			n = strcspn(s, "\r\n");
			if (n < sizeof(line)) {
				memcpy(line, s, n);
				line[n] = '\0';
				if (line[strspn(line, " \t")] != '\0')
					json_array_append_new(arr,
					    trimmed(line));
			} else {
				/* Too long for a list item: keep it whole. */
				json_array_append_new(arr, json_stringn(s, n));
			}
			s += n;
			while (*s == '\r' || *s == '\n')
				s++;
		}
		json_object_set_new(in, list_fields[i].key, arr);
	}
	json_object_set(in, "support_channels",
	    json_object_get(f, "support_channels") != NULL ?
	    json_object_get(f, "support_channels") : json_array());
	/* runs_on: ids separated by commas or blanks, kept as text. */
	arr = json_array();
	s = row_str(f, "runs_on");
	while (*s != '\0') {
		s += strspn(s, ", \t");
		n = strcspn(s, ", \t");
		if (n > 0)
			json_array_append_new(arr, json_stringn(s, n));
		s += n;
	}
	json_object_set_new(in, "runs_on", arr);

	/* The plan: rows with a code or any value; blank rows dropped. */
	dims = json_array();
	nd = 0;
	json_array_foreach(json_object_get(f, "dims"), i, d) {
		if (blank(d, "code") && blank(d, "unit_ko") &&
		    blank(d, "fee") && blank(d, "unit_price") &&
		    blank(d, "package_price") && blank(d, "package_size")) {
			nt = 0;
			json_array_foreach(json_object_get(d, "tiers"), j, t) {
				if (!blank(t, "up_to") ||
				    !blank(t, "unit_price") ||
				    !blank(t, "flat_fee"))
					nt++;
			}
			if (nt == 0)
				continue;
		}
		if (nd >= RATING_DIMENSIONS_MAX)
			break;
		map->dim[nd] = (int)i;
		model = row_str(d, "model");
		dj = json_object();
		json_object_set_new(dj, "code", trimmed(row_str(d, "code")));
		json_object_set_new(dj, "unit_ko",
		    trimmed(row_str(d, "unit_ko")));
		json_object_set_new(dj, "unit_en",
		    trimmed(row_str(d, "unit_en")));
		json_object_set_new(dj, "aggregation",
		    json_string(row_str(d, "aggregation")));
		json_object_set_new(dj, "model", json_string(model));
		if (!blank(d, "reference_quantity"))
			json_object_set_new(dj, "reference_quantity",
			    trimmed(row_str(d, "reference_quantity")));
		/* Only the model's own fields: a form keeps all boxes. */
		if (strcmp(model, "flat") == 0) {
			json_object_set_new(dj, "fee",
			    trimmed(blank(d, "fee") ? "0" : row_str(d, "fee")));
		} else if (strcmp(model, "per_unit") == 0) {
			json_object_set_new(dj, "unit_price", trimmed(
			    blank(d, "unit_price") ? "0" :
			    row_str(d, "unit_price")));
		} else if (strcmp(model, "package") == 0) {
			json_object_set_new(dj, "package_size", trimmed(
			    blank(d, "package_size") ? "0" :
			    row_str(d, "package_size")));
			json_object_set_new(dj, "package_price", trimmed(
			    blank(d, "package_price") ? "0" :
			    row_str(d, "package_price")));
			json_object_set_new(dj, "package_rounding",
			    json_string(blank(d, "package_rounding") ? "up" :
			    row_str(d, "package_rounding")));
		} else if (strcmp(model, "graduated") == 0 ||
		    strcmp(model, "volume") == 0) {
			json_object_set_new(dj, "charge_at_zero",
			    json_boolean(!blank(d, "charge_at_zero")));
			tiers = json_array();
			nt = 0;
			json_array_foreach(json_object_get(d, "tiers"), j, t) {
				if (blank(t, "up_to") &&
				    blank(t, "unit_price") &&
				    blank(t, "flat_fee"))
					continue;
				if (nt >= RATING_TIERS_MAX)
					break;
				map->tier[nd][nt++] = (int)j;
				tj = json_object();
				e = row_str(t, "up_to");
				json_object_set_new(tj, "up_to", blank(t,
				    "up_to") ? json_null() : trimmed(e));
				json_object_set_new(tj, "unit_price", trimmed(
				    blank(t, "unit_price") ? "0" :
				    row_str(t, "unit_price")));
				json_object_set_new(tj, "flat_fee", trimmed(
				    blank(t, "flat_fee") ? "0" :
				    row_str(t, "flat_fee")));
				json_array_append_new(tiers, tj);
			}
			json_object_set_new(dj, "tiers", tiers);
		}
		json_array_append_new(dims, dj);
		nd++;
	}
	cr = json_array();
	nc = 0;
	json_array_foreach(json_object_get(f, "credits"), i, c) {
		if (blank(c, "below") && blank(c, "share"))
			continue;
		if (nc >= RATING_CREDITS_MAX)
			break;
		map->credit[nc++] = (int)i;
		json_array_append_new(cr, json_pack("{s:o, s:o}", "below",
		    trimmed(row_str(c, "below")), "share",
		    trimmed(row_str(c, "share"))));
	}
	if (nd == 0 && nc == 0) {
		json_decref(dims);
		json_decref(cr);
		json_object_set_new(in, "rate_plan", json_null());
	} else {
		json_object_set_new(in, "rate_plan", json_pack("{s:o, s:o}",
		    "dimensions", dims, "credits", cr));
	}
	return (in);
}

/* Sets field (form or JSON naming) and message for a plan error. */
static void
plan_field(int form, const struct row_map *map, int d, int t, int c,
    const char *key, char *field, size_t flen)
{
	if (d >= 0 && t >= 0)
		(void)snprintf(field, flen, form ? "d%d_t%d_%s" :
		    "rate_plan.dimensions[%d].tiers[%d].%s", form ?
		    map->dim[d] : d, form ? map->tier[d][t] : t, key);
	else if (d >= 0)
		(void)snprintf(field, flen, form ? "d%d_%s" :
		    "rate_plan.dimensions[%d].%s", form ? map->dim[d] : d,
		    *key != '\0' ? key : "code");
	else if (c >= 0)
		(void)snprintf(field, flen, form ? "c%d_%s" :
		    "rate_plan.credits[%d].%s", form ? map->credit[c] : c,
		    *key != '\0' ? key : "below");
	else
		(void)snprintf(field, flen, form ? "d0_code" : "rate_plan%s%s",
		    *key != '\0' && !form ? "." : "", form ? "" : key);
}

/* "2번째 구간: " / "tier 2: " style place prefix for a plan message. */
static void
plan_place(struct http_request *req, int d, int t, int c, char *buf,
    size_t len)
{
	char	 n[16];
	size_t	 off;

	buf[0] = '\0';
	off = 0;
	if (d >= 0) {
		(void)snprintf(n, sizeof(n), "%d", d + 1);
		off += snprintf(buf, len, web_str(req, "listing.plan.dim_n"),
		    n);
	}
	if (t >= 0 && off < len) {
		(void)snprintf(n, sizeof(n), "%d", t + 1);
		off += snprintf(buf + off, len - off,
		    web_str(req, "listing.plan.tier_n"), n);
	}
	if (c >= 0 && off < len) {
		(void)snprintf(n, sizeof(n), "%d", c + 1);
		(void)snprintf(buf + off, len - off,
		    web_str(req, "listing.plan.credit_n"), n);
	}
}

static void
listing_in_free(struct listing_in *in)
{
	json_decref(in->fields);
	json_decref(in->plan);
	json_decref(in->runs_on);
	in->fields = in->plan = in->runs_on = NULL;
}

/* A message from the string table with {n} replaced. */
static void
msg_n(struct http_request *req, const char *key, size_t n, char *msg,
    size_t mlen)
{
	const char	*s, *p;
	char		 num[24];

	s = web_str(req, key);
	(void)snprintf(num, sizeof(num), "%zu", n);
	if ((p = strstr(s, "{n}")) == NULL) {
		(void)snprintf(msg, mlen, "%s", s);
		return;
	}
	(void)snprintf(msg, mlen, "%.*s%s%s", (int)(p - s), s, num, p + 3);
}

/*
 * Checks an input object (API shape) and builds *in. On a refusal
 * returns 0 with *err, the field (form or JSON naming; map non-NULL for
 * the form) and a message in the request's language. categories is the
 * category tree (rows with id and service_type).
 */
static int
listing_validate(struct http_request *req, json_t *input, json_t *categories,
    struct listing_in *in, const struct row_map *map, char *field,
    size_t flen, char *msg, size_t mlen, enum app_err *err)
{
	struct rating_error	 re;
	struct plan_perr	 pe;
	json_t			*v, *x, *arr, *cat;
	const char		*k, *s, *type;
	char			 key[96], place[128], buf[MONEY_FMT_MAX];
	char			 rmsg[256];
	int64_t			 micro, id;
	size_t			 i, j, n, nerr;
	int			 form, found;

	form = map != NULL;
	memset(in, 0, sizeof(*in));
	*err = APP_EINVAL;
	msg[0] = '\0';
	in->fields = json_object();
	in->runs_on = json_array();
	if (in->fields == NULL || in->runs_on == NULL)
		goto fail_internal;

	json_object_foreach(input, k, v) {
		if (!in_set(k, input_keys)) {
			*err = APP_EUNKNOWNPARAM;
			(void)snprintf(field, flen, "%s", k);
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.error_unknown"));
			goto fail;
		}
	}

	/* Closed vocabularies. */
	for (i = 0; i < NELEM(enum_fields); i++) {
		v = json_object_get(input, enum_fields[i].key);
		(void)snprintf(field, flen, "%s", enum_fields[i].key);
		(void)snprintf(key, sizeof(key), "listing.error.%s",
		    enum_fields[i].key);
		if (v == NULL || json_is_null(v) || (json_is_string(v) &&
		    json_string_length(v) == 0)) {
			if (enum_fields[i].required)
				goto fail_key;
			json_object_set_new(in->fields, enum_fields[i].key,
			    json_null());
			continue;
		}
		if (!json_is_string(v) || !in_set(json_string_value(v),
		    enum_fields[i].values))
			goto fail_key;
		json_object_set(in->fields, enum_fields[i].key, v);
	}
	type = json_string_value(json_object_get(in->fields, "service_type"));

	/* Text. */
	for (i = 0; i < NELEM(text_fields); i++) {
		v = json_object_get(input, text_fields[i].key);
		(void)snprintf(field, flen, "%s", text_fields[i].key);
		if (v != NULL && !json_is_null(v) && !json_is_string(v)) {
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.error_not_text"));
			goto fail;
		}
		s = json_is_string(v) ? json_string_value(v) : "";
		n = json_is_string(v) ? json_string_length(v) : 0;
		if (n != strlen(s)) {
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.error_not_text"));
			goto fail;
		}
		for (j = 0; j < n; j++) {
			if (((unsigned char)s[j] < 0x20 && s[j] != '\n' &&
			    s[j] != '\r' && s[j] != '\t') || s[j] == 0x7f) {
				(void)snprintf(msg, mlen, "%s", web_str(req,
				    "listing.error_control"));
				goto fail;
			}
		}
		if (text_fields[i].required && s[strspn(s, " \t\r\n")] ==
		    '\0') {
			(void)snprintf(key, sizeof(key), "listing.error.%s",
			    text_fields[i].key);
			goto fail_key;
		}
		if (utf8_len(s, n) > text_fields[i].max) {
			*err = APP_ETOOLONG;
			msg_n(req, "listing.error_too_long",
			    text_fields[i].max, msg, mlen);
			goto fail;
		}
		json_object_set_new(in->fields, text_fields[i].key,
		    json_string(s));
	}
	for (i = 0; i < 2; i++) {
		k = i == 0 ? "free_trial_url" : "website";
		s = row_str(in->fields, k);
		if (*s != '\0' && ((strncmp(s, "https://", 8) != 0 &&
		    strncmp(s, "http://", 7) != 0) ||
		    s[strcspn(s, " \t\r\n")] != '\0' || strlen(s) < 10)) {
			(void)snprintf(field, flen, "%s", k);
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.error.url"));
			goto fail;
		}
	}
	if (*row_str(in->fields, "dc_region") != '\0' &&
	    json_is_null(json_object_get(in->fields, "dc_location"))) {
		(void)snprintf(field, flen, "dc_location");
		(void)snprintf(msg, mlen, "%s",
		    web_str(req, "listing.error.region_without_location"));
		goto fail;
	}

	/* Lists. */
	for (i = 0; i < NELEM(list_fields); i++) {
		v = json_object_get(input, list_fields[i].key);
		(void)snprintf(field, flen, "%s", list_fields[i].key);
		if (v == NULL || json_is_null(v)) {
			json_object_set_new(in->fields, list_fields[i].key,
			    json_array());
			continue;
		}
		if (!json_is_array(v)) {
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.error_not_list"));
			goto fail;
		}
		if (json_array_size(v) > list_fields[i].items) {
			*err = APP_ETOOLONG;
			msg_n(req, "listing.error_too_many_items",
			    list_fields[i].items, msg, mlen);
			goto fail;
		}
		json_array_foreach(v, j, x) {
			s = json_string_value(x);
			if (s == NULL || json_string_length(x) != strlen(s) ||
			    *s == '\0' || s[strcspn(s, "\r\n\t")] != '\0') {
				(void)snprintf(msg, mlen, "%s",
				    web_str(req, "listing.error_item"));
				goto fail;
			}
			if (utf8_len(s, strlen(s)) > list_fields[i].len) {
				*err = APP_ETOOLONG;
				msg_n(req, "listing.error_item_too_long",
				    list_fields[i].len, msg, mlen);
				goto fail;
			}
		}
		json_object_set(in->fields, list_fields[i].key, v);
	}

	/* Support channels: a set. */
	v = json_object_get(input, "support_channels");
	arr = json_array();
	json_object_set_new(in->fields, "support_channels", arr);
	(void)snprintf(field, flen, "support_channels");
	if (v != NULL && !json_is_null(v) && !json_is_array(v)) {
		(void)snprintf(msg, mlen, "%s",
		    web_str(req, "listing.error.support_channels"));
		goto fail;
	}
	json_array_foreach(v, i, x) {
		if (!in_set(json_string_value(x), support_channels_v)) {
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.error.support_channels"));
			goto fail;
		}
		for (j = 0; j < i; j++) {
			if (json_equal(json_array_get(v, j), x))
				break;
		}
		if (j == i)
			json_array_append(arr, x);
	}

	/* Numbers: integers or their decimal text. */
	{
		static const struct {
			const char	*key;
			int64_t		 min, max;
		} ints[] = {
			{ "category_id", 1, 2147483647 },
			{ "recovery_grade_hours", 2, 8 },
			{ "min_contract_months", 1, 120 },
		};

		for (i = 0; i < NELEM(ints); i++) {
			v = json_object_get(input, ints[i].key);
			(void)snprintf(field, flen, "%s", ints[i].key);
			(void)snprintf(key, sizeof(key), "listing.error.%s",
			    ints[i].key);
			if (v == NULL || json_is_null(v) ||
			    (json_is_string(v) && json_string_length(v) == 0)) {
				json_object_set_new(in->fields, ints[i].key,
				    json_null());
				continue;
			}
			if (json_is_integer(v)) {
				id = json_integer_value(v);
			} else if (json_is_string(v)) {
				s = json_string_value(v);
				if (strspn(s, "0123456789") != strlen(s) ||
				    strlen(s) > 10)
					goto fail_key;
				id = strtoll(s, NULL, 10);
			} else {
				goto fail_key;
			}
			if (id < ints[i].min || id > ints[i].max ||
			    (i == 1 && id != 2 && id != 4 && id != 8))
				goto fail_key;
			json_object_set_new(in->fields, ints[i].key,
			    json_integer(id));
		}
	}
	/* The category belongs to the type. */
	if (json_is_integer(v = json_object_get(in->fields, "category_id"))) {
		found = 0;
		json_array_foreach(categories, i, cat) {
			if (json_integer_value(json_object_get(cat, "id")) ==
			    json_integer_value(v) && strcmp(row_str(cat,
			    "service_type"), type) == 0)
				found = 1;
		}
		if (!found) {
			(void)snprintf(field, flen, "category_id");
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.error.category_id"));
			goto fail;
		}
	}
	/* availability_target: an exact percentage in (0, 100]. */
	v = json_object_get(input, "availability_target");
	(void)snprintf(field, flen, "availability_target");
	(void)snprintf(key, sizeof(key), "listing.error.availability_target");
	if (v == NULL || json_is_null(v) || (json_is_string(v) &&
	    json_string_length(v) == 0)) {
		json_object_set_new(in->fields, "availability_target",
		    json_null());
	} else {
		if (!json_is_string(v) || money_parse(json_string_value(v), 0,
		    &micro) != MONEY_OK || micro <= 0 ||
		    micro > RATING_PERCENT_100 ||
		    money_format_micro(micro, 0, buf, sizeof(buf)) != MONEY_OK)
			goto fail_key;
		json_object_set_new(in->fields, "availability_target",
		    json_string(buf));
	}
	/* runs_on: published IaaS/PaaS listings (checked in SQL). */
	v = json_object_get(input, "runs_on");
	(void)snprintf(field, flen, "runs_on");
	(void)snprintf(key, sizeof(key), "listing.error.runs_on");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > RUNS_ON_MAX)
			goto fail_key;
		json_array_foreach(v, i, x) {
			if (json_is_integer(x)) {
				id = json_integer_value(x);
			} else if (json_is_string(x) &&
			    strspn(json_string_value(x), "0123456789") ==
			    json_string_length(x) &&
			    json_string_length(x) > 0 &&
			    json_string_length(x) < 16) {
				id = strtoll(json_string_value(x), NULL, 10);
			} else {
				goto fail_key;
			}
			if (id < 1)
				goto fail_key;
			json_array_append_new(in->runs_on, json_integer(id));
		}
	}

	/* The rate plan. */
	v = json_object_get(input, "rate_plan");
	if (v != NULL && !json_is_null(v)) {
		if (plan_parse(v, &in->p, &pe) == -1) {
			plan_field(form, map, pe.dimension, pe.tier, pe.credit,
			    pe.key, field, flen);
			plan_place(req, pe.dimension, pe.tier, pe.credit,
			    place, sizeof(place));
			(void)snprintf(key, sizeof(key), "listing.plan.%s",
			    plan_perr_name(pe.code));
			(void)snprintf(msg, mlen, "%s%s (%s)", place,
			    web_str(req, key), pe.key);
			if (pe.code == PLAN_PE_UNKNOWN_KEY)
				*err = APP_EUNKNOWNPARAM;
			else if (pe.code == PLAN_PE_TOO_LONG ||
			    pe.code == PLAN_PE_TOO_MANY)
				*err = APP_ETOOLONG;
			goto fail;
		}
		nerr = plan_check(&in->p, &in->price, &re, 1);
		if (nerr == (size_t)-1) {
			plan_field(form, map, -1, -1, -1, "", field, flen);
			(void)snprintf(msg, mlen, "%s",
			    web_str(req, "listing.plan.overflow"));
			goto fail;
		}
		if (nerr > 0) {
			(void)snprintf(key, sizeof(key), "%s",
			    rating_field_name(re.field));
			if (strcmp(key, "tier_unit_price") == 0)
				(void)snprintf(key, sizeof(key), "unit_price");
			else if (strcmp(key, "tier_flat_fee") == 0)
				(void)snprintf(key, sizeof(key), "flat_fee");
			else if (strcmp(key, "credit_below") == 0)
				(void)snprintf(key, sizeof(key), "below");
			else if (strcmp(key, "credit_share") == 0)
				(void)snprintf(key, sizeof(key), "share");
			else if (strcmp(key, "tiers") == 0 && re.tier < 0)
				re.tier = 0;
			else if (strcmp(key, "dimensions") == 0 &&
			    re.dimension >= 0)
				(void)snprintf(key, sizeof(key), "code");
			if (strcmp(key, "tiers") == 0)
				(void)snprintf(key, sizeof(key), "up_to");
			plan_field(form, map, re.dimension, form &&
			    re.dimension >= 0 && re.tier >= 0 &&
			    (size_t)re.tier >= in->p.dims[re.dimension].ntiers ?
			    -1 : re.tier, re.credit, key, field, flen);
			if (form && re.dimension < 0 && re.credit < 0)
				(void)snprintf(field, flen, "d0_code");
			(void)rating_error_format(&re, app_req(req)->lang,
			    rmsg, sizeof(rmsg));
			plan_place(req, re.dimension, -1, -1, place,
			    sizeof(place));
			(void)snprintf(msg, mlen, "%s%s", place, rmsg);
			goto fail;
		}
		if ((in->plan = plan_json(&in->p)) == NULL)
			goto fail_internal;
		in->has_plan = 1;
	}
	return (1);

fail_key:
	(void)snprintf(msg, mlen, "%s", web_str(req, key));
fail:
	listing_in_free(in);
	return (0);
fail_internal:
	*err = APP_EINVAL;
	(void)snprintf(field, flen, "body");
	(void)snprintf(msg, mlen, "%s", web_str(req, "error.internal"));
	listing_in_free(in);
	return (0);
}

/*
 * What the form template needs besides the values: option lists with the
 * current choice marked, category groups, blank plan rows to fill, the
 * description previews.
 */
static void
form_decorate(struct http_request *req, json_t *vm, json_t *categories)
{
	json_t		*f, *opts, *groups, *g, *cat, *dims, *d, *rows, *t;
	json_t		*tiers, *cr, *inv, *errs;
	const char	*cur, *name, *k;
	char		 key[96], *html, fname[64];
	size_t		 i, j, n, nd, more;
	struct {
		const char		*key;
		const char *const	*values;
	} sel[] = {
		{ "service_type", service_types },
		{ "deployment_model", deployment_models },
		{ "dc_location", dc_locations },
		{ "support_hours", support_hours_v },
		{ "contract_unit", contract_units },
	};

	f = json_object_get(vm, "form");
	if (f == NULL) {
		f = json_object();
		json_object_set_new(vm, "form", f);
	}
	inv = json_object_get(vm, "invalid");
	for (i = 0; i < NELEM(sel); i++) {
		opts = json_array();
		cur = row_str(f, sel[i].key);
		for (j = 0; sel[i].values[j] != NULL; j++) {
			(void)snprintf(key, sizeof(key), "listing.%s.%s",
			    i == 0 ? "type" : sel[i].key, sel[i].values[j]);
			json_array_append_new(opts, json_pack("{s:s, s:s, "
			    "s:b}", "value", sel[i].values[j], "label",
			    web_str(req, key), "selected",
			    strcmp(cur, sel[i].values[j]) == 0));
		}
		(void)snprintf(key, sizeof(key), "opt_%s", sel[i].key);
		json_object_set_new(vm, key, opts);
	}
	opts = json_array();
	for (j = 0; support_channels_v[j] != NULL; j++) {
		(void)snprintf(key, sizeof(key), "listing.channel.%s",
		    support_channels_v[j]);
		n = 0;
		json_array_foreach(json_object_get(f, "support_channels"), i,
		    t) {
			if (json_is_string(t) && strcmp(json_string_value(t),
			    support_channels_v[j]) == 0)
				n = 1;
		}
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", support_channels_v[j], "label",
		    web_str(req, key), "checked", n));
	}
	json_object_set_new(vm, "opt_support_channels", opts);
	opts = json_array();
	cur = row_str(f, "recovery_grade_hours");
	for (j = 2; j <= 8; j *= 2) {
		(void)snprintf(key, sizeof(key), "%zu", j);
		json_array_append_new(opts, json_pack("{s:s, s:b}", "value",
		    key, "selected", strcmp(cur, key) == 0));
	}
	json_object_set_new(vm, "opt_recovery", opts);

	/* Categories grouped by type (optgroups). */
	groups = json_array();
	cur = row_str(f, "category_id");
	for (i = 0; service_types[i] != NULL; i++) {
		(void)snprintf(key, sizeof(key), "listing.type.%s",
		    service_types[i]);
		opts = json_array();
		json_array_foreach(categories, j, cat) {
			if (strcmp(row_str(cat, "service_type"),
			    service_types[i]) != 0)
				continue;
			name = strcmp(app_req(req)->lang, "en") == 0 ?
			    row_str(cat, "name_en") : row_str(cat, "name_ko");
			(void)snprintf(fname, sizeof(fname), "%lld",
			    (long long)json_integer_value(json_object_get(cat,
			    "id")));
			json_array_append_new(opts, json_pack("{s:s, s:s, "
			    "s:b}", "value", fname, "label", name, "selected",
			    strcmp(cur, fname) == 0));
		}
		g = json_pack("{s:s, s:o}", "label", web_str(req, key),
		    "options", opts);
		json_array_append_new(groups, g);
	}
	json_object_set_new(vm, "category_groups", groups);

	/* Plan rows: what was typed or stored, then blank rows. */
	dims = json_object_get(f, "dims");
	rows = json_array();
	nd = 0;
	json_array_foreach(dims, i, d) {
		if (!blank(d, "code") || !blank(d, "unit_ko"))
			nd = i + 1;
	}
	if (inv != NULL) {
		json_object_foreach(inv, k, t) {
			if (k[0] == 'd' && k[1] >= '0' && k[1] <= '9' &&
			    (size_t)(k[1] - '0') + 1 > nd)
				nd = (size_t)(k[1] - '0') + 1;
		}
	}
	/* "More rows" (a submit button): one more of each, nothing saved. */
	more = web_form(req, "more") != NULL;
	nd = nd + 1 < 2 ? 2 : nd + 1;
	nd = nd + more > FORM_DIMS ? FORM_DIMS : nd + more;
	for (i = 0; i < nd; i++) {
		d = json_array_get(dims, i);
		d = d != NULL ? json_deep_copy(d) : json_object();
		json_object_set_new(d, "i", json_integer((json_int_t)i));
		errs = json_object();
		opts = json_array();
		for (j = 0; aggregations[j] != NULL; j++) {
			(void)snprintf(key, sizeof(key),
			    "listing.aggregation.%s", aggregations[j]);
			json_array_append_new(opts, json_pack("{s:s, s:s, "
			    "s:b}", "value", aggregations[j], "label",
			    web_str(req, key), "selected", strcmp(row_str(d,
			    "aggregation"), aggregations[j]) == 0));
		}
		json_object_set_new(d, "opt_aggregation", opts);
		opts = json_array();
		for (j = 0; models[j] != NULL; j++) {
			(void)snprintf(key, sizeof(key), "listing.model.%s",
			    models[j]);
			json_array_append_new(opts, json_pack("{s:s, s:s, "
			    "s:b}", "value", models[j], "label",
			    web_str(req, key), "selected", strcmp(row_str(d,
			    "model"), models[j]) == 0));
		}
		json_object_set_new(d, "opt_model", opts);
		json_object_set_new(d, "rounding_down", json_boolean(
		    strcmp(row_str(d, "package_rounding"), "down") == 0));
		json_object_set_new(d, "charge_at_zero_checked", json_boolean(
		    !blank(d, "charge_at_zero")));
		tiers = json_array();
		n = 0;
		json_array_foreach(json_object_get(d, "tiers"), j, t) {
			if (!blank(t, "up_to") || !blank(t, "unit_price") ||
			    !blank(t, "flat_fee"))
				n = j + 1;
		}
		n = n + 1 < 3 ? 3 : n + 1;
		n = n + more > FORM_TIERS ? FORM_TIERS : n + more;
		for (j = 0; j < n; j++) {
			t = json_array_get(json_object_get(d, "tiers"), j);
			t = t != NULL ? json_deep_copy(t) : json_object();
			json_object_set_new(t, "i", json_integer((json_int_t)i));
			json_object_set_new(t, "j", json_integer((json_int_t)j));
			json_object_set_new(t, "n", json_integer(
			    (json_int_t)j + 1));
			if (inv != NULL) {
				static const char *const tk[] = { "up_to",
				    "unit_price", "flat_fee" };
				size_t	q;

				for (q = 0; q < 3; q++) {
					(void)snprintf(fname, sizeof(fname),
					    "d%zu_t%zu_%s", i, j, tk[q]);
					if (json_object_get(inv, fname)) {
						(void)snprintf(key,
						    sizeof(key), "err_%s",
						    tk[q]);
						json_object_set(t, key,
						    json_object_get(inv,
						    fname));
					}
				}
			}
			json_array_append_new(tiers, t);
		}
		json_object_set_new(d, "tiers", tiers);
		if (inv != NULL) {
			json_object_foreach(inv, k, t) {
				(void)snprintf(fname, sizeof(fname), "d%zu_", i);
				if (strncmp(k, fname, strlen(fname)) == 0 &&
				    k[strlen(fname)] != 't')
					json_object_set(errs, k +
					    strlen(fname), t);
			}
		}
		json_object_set_new(d, "err", errs);
		json_object_set_new(d, "n", json_integer((json_int_t)i + 1));
		json_array_append_new(rows, d);
	}
	json_object_set_new(vm, "dim_rows", rows);
	cr = json_array();
	n = 0;
	json_array_foreach(json_object_get(f, "credits"), i, t) {
		if (!blank(t, "below") || !blank(t, "share"))
			n = i + 1;
	}
	n = n + 1 < 2 ? 2 : n + 1;
	n = n + more > FORM_CREDITS ? FORM_CREDITS : n + more;
	for (i = 0; i < n; i++) {
		t = json_array_get(json_object_get(f, "credits"), i);
		t = t != NULL ? json_deep_copy(t) : json_object();
		json_object_set_new(t, "i", json_integer((json_int_t)i));
		json_object_set_new(t, "n", json_integer((json_int_t)i + 1));
		(void)snprintf(fname, sizeof(fname), "c%zu_below", i);
		if (inv != NULL && json_object_get(inv, fname) != NULL)
			json_object_set(t, "err_below", json_object_get(inv,
			    fname));
		(void)snprintf(fname, sizeof(fname), "c%zu_share", i);
		if (inv != NULL && json_object_get(inv, fname) != NULL)
			json_object_set(t, "err_share", json_object_get(inv,
			    fname));
		json_array_append_new(cr, t);
	}
	json_object_set_new(vm, "credit_rows", cr);

	/* The previews of the descriptions. */
	for (i = 0; i < 2; i++) {
		k = i == 0 ? "description_ko" : "description_en";
		html = md_html(row_str(f, k));
		(void)snprintf(key, sizeof(key), "%s_html", k);
		json_object_set_new(vm, key, json_string(html != NULL ? html :
		    ""));
		free(html);
	}
	json_object_set_new(vm, "preview", json_boolean(
	    web_form(req, "preview") != NULL));
}
