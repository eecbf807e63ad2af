/*
 * Eligibility in the product: the systems an agency describes, the
 * decision whether it may contract a service for one of them, and the
 * rule sets the procurement office keeps.
 *
 * A buyer first describes its system (대국민 or internal, the data it
 * handles, the CSAP grade it needs). A check (POST /eligibility) reads,
 * in one statement, the system, the agency's type, the service's facts
 * (type, vendor status, its CSAP certificates and those of the IaaS it
 * runs on: eligibility_listing_facts() in sql/0013) and every rule set;
 * the pure engine (eligibility.c) decides with the set in force on the
 * contract's start date, and a second statement stores the decision
 * with the rule-set version, every reason and the facts it was made on,
 * and writes the audit event. The page shows each reason in the reader's
 * language and the other one. Where the rules leave it to the agency, an
 * approver records the agency's own decision (proceed or decline) with a
 * justification, once.
 *
 * Rule sets are data (eligrules.c): platform admins add a version with an
 * effective date of today or later; stored versions never change, so a
 * stored decision can always be explained by the set it names.
 *
 * Systems and decisions belong to the agency (another agency's answer
 * 404); the procurement office reads them all.
 */

#include <errno.h>
#include <time.h>

#include "gureum.h"
#include "eligibility.h"
#include "eligrules.h"

#define SYSTEM_NAME_MAX		200
#define SYSTEM_DESC_MAX		2000
#define JUSTIFY_MAX		2000
#define RULES_MAX_BYTES		65536
#define ELIG_CERTS_MAX		32
#define ELIG_SETS_MAX		64
#define KST			"'Asia/Seoul'"

enum ec_sql {
	SQL_SYSTEMS,
	SQL_SYSTEM,
	SQL_SYSTEM_CREATE,
	SQL_SYSTEM_UPDATE,
	SQL_DECIDE_INPUT,
	SQL_DECISION_INSERT,
	SQL_DECISION,
	SQL_DECISIONS,
	SQL_JUSTIFY,
	SQL_RULESETS,
	SQL_RULESET_INSERT,
	SQL_NEW_LISTING,
	SQL_PREVIEW,
	SQL_PREVIEW_MANY,
	SQL__MAX
};

#define SYSTEM_COLS \
	"s.id, s.name, s.nature, s.data_categories, s.csap_grade," \
	" s.description, s.org_id, o.name_ko AS agency_ko," \
	" o.name_en AS agency_en, u.name AS created_by," \
	" to_char(s.updated_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS updated_at"

#define DECISION_COLS \
	"d.id, d.org_id, d.system_id, s.name AS system_name, d.listing_id," \
	" l.name_ko AS listing_ko, l.name_en AS listing_en, l.service_type," \
	" d.listing_version, to_char(d.start_date, 'YYYY-MM-DD') AS start," \
	" d.ruleset_version, r.rules->>'name_ko' AS ruleset_ko," \
	" r.rules->>'name_en' AS ruleset_en," \
	" to_char(r.effective, 'YYYY-MM-DD') AS ruleset_effective," \
	" d.outcome, d.reasons, d.facts, u.name AS decided_by," \
	" to_char(d.decided_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS decided_at, d.agency_choice, d.justification," \
	" ju.name AS justified_by," \
	" to_char(d.justified_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS justified_at" \
	" FROM eligibility_decisions d" \
	" JOIN agency_systems s ON s.id = d.system_id" \
	" JOIN listings l ON l.id = d.listing_id" \
	" JOIN eligibility_rulesets r ON r.version = d.ruleset_version" \
	" JOIN users u ON u.id = d.decided_by" \
	" LEFT JOIN users ju ON ju.id = d.justified_by"

static const char *const ec_sql[SQL__MAX] = {
	/* SQL_SYSTEMS: $1 org, $2 all */
	"SELECT " SYSTEM_COLS ","
	" (SELECT count(*) FROM eligibility_decisions d"
	"  WHERE d.system_id = s.id) AS decisions"
	" FROM agency_systems s JOIN organisations o ON o.id = s.org_id"
	" JOIN users u ON u.id = s.created_by"
	" WHERE s.org_id = $1 OR $2::boolean ORDER BY s.updated_at DESC, s.id"
	" LIMIT 500",
	/* SQL_SYSTEM: $1 id, $2 org, $3 all */
	"SELECT " SYSTEM_COLS
	" FROM agency_systems s JOIN organisations o ON o.id = s.org_id"
	" JOIN users u ON u.id = s.created_by"
	" WHERE s.id = $1 AND (s.org_id = $2 OR $3::boolean)",
	/*
	 * SQL_SYSTEM_CREATE: $1 org, $2 name, $3 nature, $4 data (array
	 * literal of known names), $5 grade, $6 description, $7 user,
	 * $8 rid, $9 addr. A taken name raises 23505.
	 */
	"WITH s AS (INSERT INTO agency_systems (org_id, name, nature,"
	"  data_categories, csap_grade, description, created_by)"
	"  VALUES ($1, $2, $3, $4::text[], $5, $6, $7) RETURNING id, name),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $7, $1, 'system_created', 'agency_system', s.id::text,"
	"  jsonb_build_object('name', s.name, 'nature', $3::text,"
	"  'data', $4::text[], 'grade', $5::text), $8, $9 FROM s)"
	" SELECT id FROM s",
	/* SQL_SYSTEM_UPDATE: $1 id, the same fields as create otherwise */
	"WITH old AS (SELECT * FROM agency_systems WHERE id = $1"
	"  AND org_id = $2 FOR UPDATE),"
	" s AS (UPDATE agency_systems SET name = $3, nature = $4,"
	"  data_categories = $5::text[], csap_grade = $6, description = $7,"
	"  updated_at = now() WHERE id = $1 AND org_id = $2"
	"  RETURNING id, name, nature, data_categories, csap_grade),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $8, $2, 'system_updated', 'agency_system', s.id::text,"
	"  jsonb_build_object('before', jsonb_build_object('name', old.name,"
	"  'nature', old.nature, 'data', old.data_categories,"
	"  'grade', old.csap_grade), 'after', jsonb_build_object("
	"  'name', s.name, 'nature', s.nature, 'data', s.data_categories,"
	"  'grade', s.csap_grade)), $9, $10 FROM s, old)"
	" SELECT id FROM s",
	/* SQL_DECIDE_INPUT: $1 system, $2 org, $3 listing */
	"SELECT (SELECT to_jsonb(s) - 'description' FROM agency_systems s"
	"  WHERE s.id = $1 AND s.org_id = $2) AS system,"
	" (SELECT agency_type FROM organisations WHERE id = $2) AS agency_type,"
	" eligibility_listing_facts($3) AS facts,"
	" (SELECT jsonb_agg(rules ORDER BY version)"
	"  FROM eligibility_rulesets) AS rulesets",
	/*
	 * SQL_DECISION_INSERT: $1 org, $2 system, $3 listing, $4 version,
	 * $5 start, $6 rule set, $7 outcome, $8 reasons, $9 facts,
	 * $10 user, $11 rid, $12 addr.
	 */
	"WITH d AS (INSERT INTO eligibility_decisions (org_id, system_id,"
	"  listing_id, listing_version, start_date, ruleset_version, outcome,"
	"  reasons, facts, decided_by) VALUES ($1, $2, $3, $4::integer,"
	"  $5::date, $6, $7, $8::jsonb, $9::jsonb, $10) RETURNING id),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $10, $1, 'eligibility_decided', 'eligibility_decision',"
	"  d.id::text, jsonb_build_object('system', $2::bigint,"
	"  'listing', $3::bigint, 'start', $5::text, 'ruleset', $6::integer,"
	"  'outcome', $7::text, 'reasons', (SELECT jsonb_agg(x->>'code')"
	"  FROM jsonb_array_elements($8::jsonb) x)), $11, $12 FROM d)"
	" SELECT id FROM d",
	/* SQL_DECISION: $1 id, $2 org, $3 all */
	"SELECT " DECISION_COLS
	" WHERE d.id = $1 AND (d.org_id = $2 OR $3::boolean)",
	/* SQL_DECISIONS: $1 org, $2 all */
	"SELECT " DECISION_COLS
	" WHERE d.org_id = $1 OR $2::boolean ORDER BY d.id DESC LIMIT 200",
	/*
	 * SQL_JUSTIFY: $1 id, $2 org, $3 user, $4 choice, $5 text, $6 rid,
	 * $7 addr. No row: no such decision; ok false: not one left to the
	 * agency, or already recorded.
	 */
	"WITH cur AS (SELECT id, outcome, agency_choice"
	"  FROM eligibility_decisions WHERE id = $1 AND org_id = $2),"
	" d AS (UPDATE eligibility_decisions SET agency_choice = $4,"
	"  justification = $5, justified_by = $3, justified_at = now()"
	"  WHERE id = $1 AND org_id = $2 AND outcome = 'agency_decision'"
	"  AND agency_choice IS NULL RETURNING id),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $3, $2, 'eligibility_justified', 'eligibility_decision',"
	"  d.id::text, jsonb_build_object('choice', $4::text,"
	"  'justification', $5::text), $6, $7 FROM d)"
	" SELECT cur.id, cur.outcome, (SELECT count(*) FROM d) = 1 AS ok"
	" FROM cur",
	/* SQL_RULESETS */
	"SELECT r.version, to_char(r.effective, 'YYYY-MM-DD') AS effective,"
	" r.rules, u.email AS created_by,"
	" to_char(r.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_at,"
	" (SELECT count(*) FROM eligibility_decisions d"
	"  WHERE d.ruleset_version = r.version) AS decisions,"
	" to_char((now() AT TIME ZONE " KST ")::date, 'YYYY-MM-DD') AS today"
	" FROM eligibility_rulesets r LEFT JOIN users u ON u.id = r.created_by"
	" ORDER BY r.version DESC",
	/*
	 * SQL_RULESET_INSERT: $1 version, $2 effective, $3 rules, $4 user,
	 * $5 org, $6 rid, $7 addr. Inserts only a version above every
	 * stored one, in force from today (Korea) or later.
	 */
	"WITH x AS (INSERT INTO eligibility_rulesets (version, effective,"
	"  rules, created_by) SELECT $1, $2::date, $3::jsonb, $4"
	"  WHERE $1 > (SELECT coalesce(max(version), 0)"
	"  FROM eligibility_rulesets)"
	"  AND $2::date >= (now() AT TIME ZONE " KST ")::date"
	"  RETURNING version),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $4, $5, 'ruleset_created', 'eligibility_ruleset',"
	"  x.version::text, jsonb_build_object('effective', $2::text,"
	"  'name', $3::jsonb->>'name_ko'), $6, $7 FROM x)"
	" SELECT (SELECT version FROM x) AS version",
	/* SQL_NEW_LISTING: $1 listing, $2 org */
	"SELECT l.id, l.name_ko, l.name_en, l.service_type,"
	" (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id,"
	"  'name', s.name) ORDER BY s.name), '[]')"
	"  FROM agency_systems s WHERE s.org_id = $2) AS systems,"
	" to_char((now() AT TIME ZONE " KST ")::date, 'YYYY-MM-DD') AS today"
	" FROM listings l WHERE l.id = $1 AND l.status = 'published'",
	/* SQL_PREVIEW: $1 org, $2 listing */
	"SELECT (SELECT coalesce(jsonb_agg(to_jsonb(s) - 'description'"
	"  ORDER BY s.name), '[]') FROM agency_systems s"
	"  WHERE s.org_id = $1) AS systems,"
	" (SELECT agency_type FROM organisations WHERE id = $1) AS agency_type,"
	" eligibility_listing_facts($2) AS facts,"
	" (SELECT jsonb_agg(rules ORDER BY version)"
	"  FROM eligibility_rulesets) AS rulesets,"
	" to_char((now() AT TIME ZONE " KST ")::date, 'YYYYMMDD')::integer"
	" AS today",
	/* SQL_PREVIEW_MANY: $1 org, $2 listing ids (bigint[]) */
	"SELECT (SELECT coalesce(jsonb_agg(to_jsonb(s) - 'description'"
	"  ORDER BY s.name), '[]') FROM agency_systems s"
	"  WHERE s.org_id = $1) AS systems,"
	" (SELECT agency_type FROM organisations WHERE id = $1) AS agency_type,"
	" (SELECT coalesce(jsonb_agg(eligibility_listing_facts(x)), '[]')"
	"  FROM unnest($2::bigint[]) x) AS facts,"
	" (SELECT jsonb_agg(rules ORDER BY version)"
	"  FROM eligibility_rulesets) AS rulesets,"
	" to_char((now() AT TIME ZONE " KST ")::date, 'YYYYMMDD')::integer"
	" AS today",
};

/* Our agency types (organisations.agency_type) in the engine's terms. */
static const struct {
	const char		*db;
	enum eligibility_agency	 agency;
} ec_agencies[] = {
	{ "central", ELIGIBILITY_AGENCY_CENTRAL },
	{ "metropolitan", ELIGIBILITY_AGENCY_METRO },
	{ "basic", ELIGIBILITY_AGENCY_BASIC },
	{ "institution", ELIGIBILITY_AGENCY_PUBLIC },
};

/* Our vendor statuses in the engine's terms (rejected: not approved). */
static const struct {
	const char		*db;
	enum eligibility_vendor	 vendor;
} ec_vendors[] = {
	{ "applied", ELIGIBILITY_VENDOR_APPLIED },
	{ "rejected", ELIGIBILITY_VENDOR_APPLIED },
	{ "approved", ELIGIBILITY_VENDOR_APPROVED },
	{ "suspended", ELIGIBILITY_VENDOR_SUSPENDED },
	{ "closed", ELIGIBILITY_VENDOR_CLOSED },
};

/* The stored rule sets, read once per request (ec_rules_load()). */
struct ec_rules {
	struct eligibility_ruleset	 sets[ELIG_SETS_MAX];
	size_t				 n;
};

/* What a system is, as a form sends it and the database keeps it. */
struct ec_system {
	const char	*name;
	const char	*nature;
	const char	*grade;
	const char	*description;
	char		 data[80];	/* "{security,pia}" */
};

static enum app_err ec_system_read(struct http_request *, struct ec_system *,
		    const char **, const char **);
static int	 ec_systems_page(struct http_request *, int, enum app_err,
		    const char *, const char *);
static int	 ec_system_page(struct http_request *, int, enum app_err,
		    const char *, const char *);
static json_t	*ec_system_form(struct http_request *, json_t *);
static void	 ec_decorate(struct http_request *, json_t *);
static int	 ec_rules_page(struct http_request *, int, enum app_err,
		    const char *, const char *, const char *);
static int	 ec_today(void);
static int	 ec_rules_load(struct http_request *, json_t *,
		    struct ec_rules *);
static int	 ec_evaluate(struct http_request *, json_t *, json_t *,
		    json_t *, const struct ec_rules *, int,
		    struct eligibility_decision *);
static int	 ec_decision_created(struct http_request *);
static int	 ec_rules_refused(struct http_request *, const char *);

/*
 * GET /systems and /api/v1/systems: the agency's systems and the form to
 * describe a new one; every agency's for the procurement office.
 */
int
eligcheck_systems(struct http_request *req)
{
	return (ec_systems_page(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /systems (name, nature, data (repeatable), csap_grade,
 * description): a new system. 303 to it (201 {id} for JSON); 400 naming
 * the field with the form kept; 409 when the agency has one of that name.
 */
int
eligcheck_system_create(struct http_request *req)
{
	struct app_req		*ar;
	struct ec_system	 s;
	const char		*field, *key, *params[9];
	char			 org[24], user[24], addr[64], url[64];
	enum app_err		 err;
	json_t			*row;
	int			 rc;

	ar = app_req(req);
	if ((err = ec_system_read(req, &s, &field, &key)) != APP_OK)
		return (ec_systems_page(req, 400, err, field, key));
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = org;
	params[1] = s.name;
	params[2] = s.nature;
	params[3] = s.data;
	params[4] = s.grade;
	params[5] = s.description;
	params[6] = user;
	params[7] = ar->rid;
	params[8] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[2], ec_sql[SQL_SYSTEM_CREATE], 9, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR) {
		if (strcmp(ar->db[2].sqlstate, "23505") == 0)
			return (ec_systems_page(req, 409, APP_ECONFLICT,
			    "name", "elig.error_system_taken"));
		return (web_db_error(req, &ar->db[2]));
	}
	row = json_array_get(ar->db[2].rows, 0);
	if (ar->json)
		return (web_json(req, 201, row));
	(void)snprintf(url, sizeof(url), "/systems/%lld?done=created",
	    (long long)json_integer_value(json_object_get(row, "id")));
	return (web_redirect(req, url));
}

/* GET /systems/:id and the API twin: one system, its form, its checks. */
int
eligcheck_system(struct http_request *req)
{
	return (ec_system_page(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /systems/:id: changes what the system is (audited with before and
 * after). Earlier decisions keep the facts they were made on. 400 naming
 * the field; 404 for another agency's; 409 for a taken name.
 */
int
eligcheck_system_update(struct http_request *req)
{
	struct app_req		*ar;
	struct ec_system	 s;
	const char		*field, *key, *params[10];
	char			 id[24], org[24], user[24], addr[64], url[64];
	enum app_err		 err;
	int			 rc;

	ar = app_req(req);
	if ((err = ec_system_read(req, &s, &field, &key)) != APP_OK)
		return (ec_system_page(req, 400, err, field, key));
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = id;
	params[1] = org;
	params[2] = s.name;
	params[3] = s.nature;
	params[4] = s.data;
	params[5] = s.grade;
	params[6] = s.description;
	params[7] = user;
	params[8] = ar->rid;
	params[9] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[2], ec_sql[SQL_SYSTEM_UPDATE], 10, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR) {
		if (strcmp(ar->db[2].sqlstate, "23505") == 0)
			return (ec_system_page(req, 409, APP_ECONFLICT,
			    "name", "elig.error_system_taken"));
		return (web_db_error(req, &ar->db[2]));
	}
	if (json_array_size(ar->db[2].rows) == 0)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (ar->json)
		return (web_json(req, 200, json_array_get(ar->db[2].rows, 0)));
	(void)snprintf(url, sizeof(url), "/systems/%s?done=updated", id);
	return (web_redirect(req, url));
}

/*
 * GET /eligibility/new?listing=N: the form to check a published service
 * for one of the agency's systems from a start date.
 */
int
eligcheck_new(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 lid[24], org[24];
	int64_t		 listing;
	json_t		*row, *vm;
	int		 rc;

	ar = app_req(req);
	if (!web_param_int(req, "listing", 0, 1, INT64_MAX, &listing))
		return (KORE_RESULT_OK);
	if (listing == 0)
		return (web_error(req, APP_EINVAL, "listing", NULL));
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)listing);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = lid;
	params[1] = org;
	rc = db_call(req, &ar->db[0], ec_sql[SQL_NEW_LISTING], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, "listing", NULL));
	vm = json_pack("{s:s, s:O, s:s, s:O, s:O}",
	    "title", web_str(req, "elig.new_title"),
	    "listing", json_object_get(row, "id"),
	    "name", web_pick(req, row, "name_ko", "name_en"),
	    "systems", json_object_get(row, "systems"),
	    "start", json_object_get(row, "today"));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "eligibility_new", vm));
}

/*
 * POST /eligibility and /api/v1/eligibility (system, listing, start
 * YYYY-MM-DD): decides and records. 303 to the decision (201 with it for
 * JSON). 400 naming the field; 404 for a system of another agency or an
 * unknown service; 409 when the service is not published; 422 when no
 * rule set is in force on the start date.
 */
int
eligcheck_decide(struct http_request *req)
{
	struct app_req			*ar;
	struct eligibility_decision	 d;
	struct ec_rules			 rules;
	const char			*s, *params[12];
	char				 sid[24], lid[24], org[24], user[24];
	char				 addr[64], rs[16], ver[16], url[64];
	int64_t				 system, listing;
	json_t				*row, *facts, *sys, *x, *reasons;
	json_t				*snapshot;
	int				 start, rc;
	char				*rj, *fj;

	ar = app_req(req);
	if (web_input_id(req, "system", &system) != 1)
		return (web_error(req, APP_EINVAL, "system",
		    "elig.error_system"));
	if (web_input_id(req, "listing", &listing) != 1)
		return (web_error(req, APP_EINVAL, "listing", NULL));
	s = web_input(req, "start");
	if (s == NULL || eligibility_date_parse(s, &start) != ELIGIBILITY_OK ||
	    start < 20000101 || start > 21001231)
		return (web_error(req, APP_EINVAL, "start", "elig.error_start"));

	(void)snprintf(sid, sizeof(sid), "%lld", (long long)system);
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)listing);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = sid;
	params[1] = org;
	params[2] = lid;
	rc = db_call(req, &ar->db[0], ec_sql[SQL_DECIDE_INPUT], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	sys = json_object_get(row, "system");
	facts = json_object_get(row, "facts");
	if (!json_is_object(sys))
		return (web_error(req, APP_ENOTFOUND, "system",
		    "elig.error_system"));
	if (!json_is_object(facts))
		return (web_error(req, APP_ENOTFOUND, "listing", NULL));
	s = json_string_value(json_object_get(facts, "listing_status"));
	if (s == NULL || strcmp(s, "published") != 0)
		return (web_error(req, APP_ECONFLICT, "listing",
		    "elig.error_not_published"));

	if (ec_rules_load(req, json_object_get(row, "rulesets"), &rules) == -1)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	rc = ec_evaluate(req, json_object_get(row, "agency_type"), sys, facts,
	    &rules, start, &d);
	if (rc == ELIGIBILITY_ENORULES)
		return (web_error(req, APP_EREFERENCE, "start",
		    "elig.error_no_rules"));
	if (rc != ELIGIBILITY_OK)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));

	if ((reasons = eligrules_reasons_to_json(&d)) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	snapshot = json_pack("{s:O, s:O, s:s}", "listing", facts,
	    "system", sys, "agency_type", json_string_value(
	    json_object_get(row, "agency_type")));
	rj = json_dumps(reasons, JSON_COMPACT);
	fj = snapshot != NULL ? json_dumps(snapshot, JSON_COMPACT) : NULL;
	json_decref(reasons);
	json_decref(snapshot);
	if (rj == NULL || fj == NULL) {
		free(rj);
		free(fj);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	(void)snprintf(rs, sizeof(rs), "%d", d.version);
	x = json_object_get(facts, "version");
	(void)snprintf(ver, sizeof(ver), "%lld",
	    (long long)json_integer_value(x));
	params[0] = org;
	params[1] = sid;
	params[2] = lid;
	params[3] = json_is_integer(x) ? ver : NULL;
	params[4] = web_input(req, "start");
	params[5] = rs;
	params[6] = eligibility_name(ELIGIBILITY_K_OUTCOME, d.outcome);
	params[7] = rj;
	params[8] = fj;
	params[9] = user;
	params[10] = ar->rid;
	params[11] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[1], ec_sql[SQL_DECISION_INSERT], 12,
	    params);
	free(rj);
	free(fj);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	ar->id = json_integer_value(json_object_get(json_array_get(
	    ar->db[1].rows, 0), "id"));
	if (!ar->json) {
		(void)snprintf(url, sizeof(url), "/eligibility/%lld",
		    (long long)ar->id);
		return (web_redirect(req, url));
	}
	return (ec_decision_created(req));
}

/*
 * The JSON answer of a new decision: the decision as GET shows it, with
 * 201 (db[3], after the insert on db[1]).
 */
static int
ec_decision_created(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[3];
	char		 id[24], org[24];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = "false";
	rc = db_call(req, &ar->db[3], ec_sql[SQL_DECISION], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));
	row = json_array_get(ar->db[3].rows, 0);
	ec_decorate(req, row);
	return (web_json(req, 201, row));
}

/* GET /eligibility/:id and the API twin: one decision with its reasons. */
int
eligcheck_decision(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[3];
	char		 id[24], org[24];
	json_t		*row, *vm;
	int		 rc, mine;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ec_sql[SQL_DECISION], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	ec_decorate(req, row);
	mine = json_integer_value(json_object_get(row, "org_id")) ==
	    ar->who.org_id;
	json_object_set_new(row, "can_justify", json_boolean(mine &&
	    ar->who.role == ROLE_APPROVER && json_is_true(json_object_get(row,
	    "open_for_agency"))));
	json_object_set_new(row, "can_contract", json_boolean(mine &&
	    (ar->who.role & ROLES_AGENCY) && (json_is_true(json_object_get(row,
	    "is_eligible")) || (json_is_true(json_object_get(row,
	    "is_agency")) && json_is_string(json_object_get(row,
	    "agency_choice")) && strcmp(json_string_value(json_object_get(row,
	    "agency_choice")), "proceed") == 0))));
	if (ar->json)
		return (web_json(req, 200, row));
	vm = json_pack("{s:s, s:O}", "title", web_str(req, "elig.title"),
	    "decision", row);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "eligibility", vm));
}

/* GET /eligibility and the API twin: the agency's decisions, newest first. */
int
eligcheck_decisions(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 org[24];
	json_t		*row, *vm;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	params[1] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ec_sql[SQL_DECISIONS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row) {
		ec_decorate(req, row);
		json_object_del(row, "facts");
	}
	vm = json_pack("{s:s, s:O}", "title",
	    web_str(req, "elig.list_title"), "decisions", ar->db[0].rows);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "eligibility_list", vm));
}

/*
 * POST /eligibility/:id/justify (choice proceed|decline, justification):
 * the agency's own decision where the rules leave it to the agency,
 * recorded once by an approver. 400 naming the field; 404; 409 when the
 * decision is not left to the agency or was already recorded.
 */
int
eligcheck_justify(struct http_request *req)
{
	struct app_req	*ar;
	const char	*choice, *text, *params[7];
	char		 id[24], org[24], user[24], addr[64], url[64];
	json_t		*row;
	size_t		 len;
	int		 rc;

	ar = app_req(req);
	choice = web_input(req, "choice");
	text = web_input(req, "justification");
	if (choice == NULL || (strcmp(choice, "proceed") != 0 &&
	    strcmp(choice, "decline") != 0))
		return (web_error(req, APP_EINVAL, "choice",
		    "elig.error_choice"));
	len = text != NULL ? strlen(text) : 0;
	if (text == NULL || strspn(text, " \t\r\n") == len)
		return (web_error(req, APP_EINVAL, "justification",
		    "elig.error_justification"));
	if (!utf8_valid(text, len) || utf8_len(text, len) > JUSTIFY_MAX)
		return (web_error(req, APP_ETOOLONG, "justification",
		    "elig.error_justification_long"));
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = id;
	params[1] = org;
	params[2] = user;
	params[3] = choice;
	params[4] = text;
	params[5] = ar->rid;
	params[6] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], ec_sql[SQL_JUSTIFY], 7, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (!json_is_true(json_object_get(row, "ok")))
		return (web_error(req, APP_ECONFLICT, NULL,
		    "elig.error_not_open"));
	if (ar->json)
		return (web_json(req, 200, row));
	(void)snprintf(url, sizeof(url), "/eligibility/%s", id);
	return (web_redirect(req, url));
}

/*
 * GET /admin/rules and /api/v1/admin/rules: every rule set, newest
 * first, with how many decisions used each, and for platform admins the
 * form for the next version (the newest set as a starting point).
 */
int
eligcheck_rules(struct http_request *req)
{
	return (ec_rules_page(req, 200, APP_OK, NULL, NULL, NULL));
}

/*
 * POST /admin/rules (rules: the JSON of eligrules.h): a new version.
 * 400 naming the key that is wrong, or the effective date when it is in
 * the past; 409 when the version is not above every stored one.
 */
int
eligcheck_rules_create(struct http_request *req)
{
	struct app_req			*ar;
	struct eligibility_ruleset	 rs;
	json_error_t			 jerr;
	const char			*text, *params[7];
	char				 bad[96], ver[16], eff[ELIGIBILITY_DATE_LEN];
	char				 user[24], org[24], addr[64], *canon;
	json_t				*v;
	int				 rc;

	ar = app_req(req);
	text = web_input(req, "rules");
	if (text == NULL || *text == '\0' || strlen(text) > RULES_MAX_BYTES)
		return (ec_rules_page(req, 400, APP_EINVAL, "rules",
		    "elig.error_rules_json", NULL));
	if ((v = json_loads(text, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return (ec_rules_page(req, 400, APP_EINVAL, "rules",
		    "elig.error_rules_json", NULL));
	if (eligrules_from_json(v, &rs, bad, sizeof(bad)) == -1) {
		json_decref(v);
		return (ec_rules_refused(req, bad));
	}
	json_decref(v);
	if (rs.effective < ec_today())
		return (ec_rules_page(req, 400, APP_EINVAL, "rules",
		    "elig.error_rules_past", NULL));

	/* Store the canonical form, so equal rules read equal. */
	if ((v = eligrules_to_json(&rs)) == NULL ||
	    (canon = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		json_decref(v);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	json_decref(v);
	(void)snprintf(ver, sizeof(ver), "%d", rs.version);
	(void)eligibility_date_format(rs.effective, eff, sizeof(eff));
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = ver;
	params[1] = eff;
	params[2] = canon;
	params[3] = user;
	params[4] = org;
	params[5] = ar->rid;
	params[6] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[2], ec_sql[SQL_RULESET_INSERT], 7, params);
	free(canon);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));
	if (json_is_null(json_object_get(json_array_get(ar->db[2].rows, 0),
	    "version")))
		return (ec_rules_page(req, 409, APP_ECONFLICT, "rules",
		    "elig.error_rules_version", NULL));
	if (ar->json)
		return (web_json(req, 201, json_array_get(ar->db[2].rows, 0)));
	return (web_redirect(req, "/admin/rules?done=created"));
}

/*
 * The eligibility of listing for each of the caller's agency's systems,
 * from today (Korea), as the service page shows it to buyers: a step on
 * c (DB_PENDING, DB_ERROR, or DB_OK with *out a new array of {system_id,
 * system, outcome, outcome_label, tag, reason}; empty when the agency
 * has described no system). Nothing is stored: a decision is recorded
 * with POST /eligibility.
 */
int
eligcheck_preview(struct http_request *req, struct db_call *c,
    int64_t listing, json_t **out)
{
	struct app_req			*ar;
	struct eligibility_decision	 d;
	struct eligibility_reason	 r;
	struct ec_rules			 rules;
	const char			*params[2];
	char				 org[24], lid[24], msg[ELIGIBILITY_MSG_MAX];
	json_t				*row, *sys, *x;
	size_t				 i, j;
	int				 rc, worst;

	ar = app_req(req);
	*out = NULL;
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)listing);
	params[0] = org;
	params[1] = lid;
	if ((rc = db_call(req, c, ec_sql[SQL_PREVIEW], 2, params)) != DB_OK)
		return (rc);
	*out = json_array();
	row = json_array_get(c->rows, 0);
	if (!json_is_object(json_object_get(row, "facts")))
		return (DB_OK);
	if (ec_rules_load(req, json_object_get(row, "rulesets"), &rules) == -1)
		return (DB_OK);
	json_array_foreach(json_object_get(row, "systems"), i, sys) {
		if (ec_evaluate(req, json_object_get(row, "agency_type"), sys,
		    json_object_get(row, "facts"), &rules,
		    (int)json_integer_value(json_object_get(row, "today")),
		    &d) != ELIGIBILITY_OK)
			continue;
		/* The reason to show first: the most severe one. */
		msg[0] = '\0';
		worst = -1;
		for (j = 0; j < d.nreasons; j++) {
			if ((int)eligibility_code_outcome(d.reasons[j].code) <=
			    worst)
				continue;
			r = d.reasons[j];
			if (eligibility_reason_format(&r, ar->lang, msg,
			    sizeof(msg)) == ELIGIBILITY_OK)
				worst = eligibility_code_outcome(r.code);
		}
		x = json_pack("{s:O, s:O, s:s, s:s, s:s, s:s, s:I}",
		    "system_id", json_object_get(sys, "id"),
		    "system", json_object_get(sys, "name"),
		    "outcome", eligibility_name(ELIGIBILITY_K_OUTCOME,
		    d.outcome),
		    "outcome_label", eligibility_label(ELIGIBILITY_K_OUTCOME,
		    d.outcome, ar->lang),
		    "tag", d.outcome == ELIGIBILITY_ELIGIBLE ? "tag--valid" :
		    d.outcome == ELIGIBILITY_AGENCY_DECISION ? "tag--warning" :
		    "tag--revoked",
		    "reason", msg, "ruleset_version", (json_int_t)d.version);
		if (x != NULL)
			json_array_append_new(*out, x);
	}
	return (DB_OK);
}

/*
 * The same for many listings at once (a page of search results): *out
 * becomes a new object keyed by listing id (as text) of {eligible,
 * agency, blocked} counts of the agency's systems, nothing when it has
 * described none. ids is a PostgreSQL array literal ("{1,2,3}").
 */
int
eligcheck_preview_many(struct http_request *req, struct db_call *c,
    const char *ids, json_t **out)
{
	struct app_req			*ar;
	struct eligibility_decision	 d;
	struct ec_rules			 rules;
	const char			*params[2];
	char				 org[24], key[24];
	json_t				*row, *sys, *facts, *counts;
	size_t				 i, j;
	int				 rc, today;

	ar = app_req(req);
	*out = NULL;
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	params[1] = ids;
	if ((rc = db_call(req, c, ec_sql[SQL_PREVIEW_MANY], 2, params)) !=
	    DB_OK)
		return (rc);
	*out = json_object();
	row = json_array_get(c->rows, 0);
	if (json_array_size(json_object_get(row, "systems")) == 0)
		return (DB_OK);
	if (ec_rules_load(req, json_object_get(row, "rulesets"), &rules) == -1)
		return (DB_OK);
	today = (int)json_integer_value(json_object_get(row, "today"));
	json_array_foreach(json_object_get(row, "facts"), i, facts) {
		if (!json_is_object(facts))
			continue;
		counts = json_pack("{s:i, s:i, s:i}", "eligible", 0, "agency",
		    0, "blocked", 0);
		if (counts == NULL)
			continue;
		json_array_foreach(json_object_get(row, "systems"), j, sys) {
			if (ec_evaluate(req, json_object_get(row,
			    "agency_type"), sys, facts, &rules, today, &d) !=
			    ELIGIBILITY_OK)
				continue;
			key[0] = '\0';
			(void)snprintf(key, sizeof(key), "%s",
			    d.outcome == ELIGIBILITY_ELIGIBLE ? "eligible" :
			    d.outcome == ELIGIBILITY_AGENCY_DECISION ? "agency" :
			    "blocked");
			json_object_set_new(counts, key, json_integer(
			    json_integer_value(json_object_get(counts, key)) +
			    1));
		}
		(void)snprintf(key, sizeof(key), "%lld", (long long)
		    json_integer_value(json_object_get(facts, "listing")));
		json_object_set_new(*out, key, counts);
	}
	return (DB_OK);
}

/*
 * Reads the stored rule sets (an array of their JSON) into *rules.
 * Returns 0, or -1 (logged) when one cannot be read.
 */
static int
ec_rules_load(struct http_request *req, json_t *rulesets, struct ec_rules *rules)
{
	json_t	*x;
	char	 bad[96];
	size_t	 i;

	rules->n = 0;
	json_array_foreach(rulesets, i, x) {
		if (rules->n == ELIG_SETS_MAX || eligrules_from_json(x,
		    &rules->sets[rules->n], bad, sizeof(bad)) == -1) {
			web_log(req, "eligibility: stored rule set %zu: %s", i,
			    rules->n == ELIG_SETS_MAX ? "too many" : bad);
			return (-1);
		}
		rules->n++;
	}
	return (0);
}

/*
 * Decides, with the pure engine, whether system sys (a row of
 * agency_systems as JSON) of an agency of agency_type may contract the
 * listing whose facts are given (eligibility_listing_facts()), from
 * start (YYYYMMDD), under rules (ec_rules_load()).
 * Fills *d. Returns ELIGIBILITY_OK, ELIGIBILITY_ENORULES, or
 * ELIGIBILITY_EINVAL for facts or rules it cannot read (logged).
 */
static int
ec_evaluate(struct http_request *req, json_t *agency_type, json_t *sys,
    json_t *facts, const struct ec_rules *rules, int start,
    struct eligibility_decision *d)
{
	struct eligibility_cert		 certs[ELIG_CERTS_MAX];
	struct eligibility_cert		 icerts[ELIG_CERTS_MAX];
	struct eligibility_facts	 f;
	const char			*s;
	char				 lid[24];
	json_t				*x;
	size_t				 i, n;
	int				 e, rc;

	(void)snprintf(lid, sizeof(lid), "%lld", (long long)
	    json_integer_value(json_object_get(facts, "listing")));
	/* The facts, in the engine's terms. */
	memset(&f, 0, sizeof(f));
	s = json_string_value(agency_type);
	for (i = 0; s != NULL && i < sizeof(ec_agencies) /
	    sizeof(ec_agencies[0]); i++)
		if (strcmp(ec_agencies[i].db, s) == 0)
			break;
	if (s == NULL || i == sizeof(ec_agencies) / sizeof(ec_agencies[0]))
		return (ELIGIBILITY_EINVAL);
	f.agency = ec_agencies[i].agency;
	if (eligibility_value(ELIGIBILITY_K_NATURE, json_string_value(
	    json_object_get(sys, "nature")), &e) != ELIGIBILITY_OK)
		return (ELIGIBILITY_EINVAL);
	f.nature = e;
	json_array_foreach(json_object_get(sys, "data_categories"), i, x) {
		if (eligibility_value(ELIGIBILITY_K_DATA, json_string_value(x),
		    &e) != ELIGIBILITY_OK)
			return (ELIGIBILITY_EINVAL);
		f.data |= ELIGIBILITY_DATA_BIT(e);
	}
	if (eligibility_value(ELIGIBILITY_K_GRADE, json_string_value(
	    json_object_get(sys, "csap_grade")), &e) != ELIGIBILITY_OK)
		return (ELIGIBILITY_EINVAL);
	f.need = e;
	if (eligibility_value(ELIGIBILITY_K_SERVICE, json_string_value(
	    json_object_get(facts, "service_type")), &e) != ELIGIBILITY_OK)
		return (ELIGIBILITY_EINVAL);
	f.service = e;
	s = json_string_value(json_object_get(facts, "vendor_status"));
	for (i = 0; s != NULL && i < sizeof(ec_vendors) /
	    sizeof(ec_vendors[0]); i++)
		if (strcmp(ec_vendors[i].db, s) == 0)
			break;
	if (s == NULL || i == sizeof(ec_vendors) / sizeof(ec_vendors[0]))
		return (ELIGIBILITY_EINVAL);
	f.vendor = ec_vendors[i].vendor;
	f.start = start;
	if (eligrules_certs_from_json(json_object_get(facts, "certs"), certs,
	    ELIG_CERTS_MAX, &n) == -1) {
		web_log(req, "eligibility: listing %s: unreadable certificates",
		    lid);
		return (ELIGIBILITY_EINVAL);
	}
	f.certs = certs;
	f.ncerts = n;
	f.iaas_known = json_is_integer(json_object_get(facts, "iaas"));
	if (eligrules_certs_from_json(json_object_get(facts, "iaas_certs"),
	    icerts, ELIG_CERTS_MAX, &n) == -1)
		return (ELIGIBILITY_EINVAL);
	f.iaas_certs = icerts;
	f.niaas_certs = n;

	rc = eligibility_decide(rules->sets, rules->n, &f, d);
	if (rc != ELIGIBILITY_OK && rc != ELIGIBILITY_ENORULES)
		web_log(req, "eligibility: facts refused at %s",
		    d->bad != NULL ? d->bad : "?");
	return (rc);

}

/*
 * Reads a system from the form or JSON body into *s (strings borrowed).
 * Returns APP_OK, or the error with *field and *key (message) set.
 */
static enum app_err
ec_system_read(struct http_request *req, struct ec_system *s,
    const char **field, const char **key)
{
	struct app_req	*ar;
	const char	*d;
	json_t		*arr, *x;
	unsigned int	 bits;
	size_t		 i, n, len;
	int		 e;

	ar = app_req(req);
	memset(s, 0, sizeof(*s));
	s->name = web_input(req, "name");
	s->nature = web_input(req, "nature");
	s->grade = web_input(req, "csap_grade");
	s->description = web_input(req, "description");
	if (s->grade == NULL || *s->grade == '\0')
		s->grade = "none";
	if (s->description == NULL)
		s->description = "";
	if (!web_text_ok(s->name, SYSTEM_NAME_MAX, 1)) {
		*field = "name";
		*key = "elig.error_system_name";
		return (APP_EINVAL);
	}
	if (s->nature == NULL || eligibility_value(ELIGIBILITY_K_NATURE,
	    s->nature, &e) != ELIGIBILITY_OK) {
		*field = "nature";
		*key = "elig.error_nature";
		return (APP_EINVAL);
	}
	if (eligibility_value(ELIGIBILITY_K_GRADE, s->grade, &e) !=
	    ELIGIBILITY_OK) {
		*field = "csap_grade";
		*key = "elig.error_grade";
		return (APP_EINVAL);
	}
	if (!web_text_ok(s->description, SYSTEM_DESC_MAX, 0)) {
		*field = "description";
		*key = "elig.error_description";
		return (APP_ETOOLONG);
	}

	/* data: repeated form fields, or a JSON array of names. */
	bits = 0;
	arr = ar->body != NULL ? json_object_get(ar->body, "data") : NULL;
	n = arr != NULL ? (json_is_array(arr) ? json_array_size(arr) :
	    (size_t)-1) : qs_count(&ar->form, "data");
	if (n == (size_t)-1 || n > ELIGIBILITY_DATA__MAX) {
		*field = "data";
		*key = "elig.error_data";
		return (APP_EINVAL);
	}
	for (i = 0; i < n; i++) {
		if (arr != NULL) {
			x = json_array_get(arr, i);
			d = json_string_value(x);
		} else {
			d = qs_nth(&ar->form, "data", i);
		}
		if (eligibility_value(ELIGIBILITY_K_DATA, d, &e) !=
		    ELIGIBILITY_OK) {
			*field = "data";
			*key = "elig.error_data";
			return (APP_EINVAL);
		}
		bits |= ELIGIBILITY_DATA_BIT(e);
	}
	len = 0;
	s->data[len++] = '{';
	for (e = 0; e < ELIGIBILITY_DATA__MAX; e++) {
		if (!(bits & ELIGIBILITY_DATA_BIT(e)))
			continue;
		len += snprintf(s->data + len, sizeof(s->data) - len, "%s%s",
		    len > 1 ? "," : "", eligibility_name(ELIGIBILITY_K_DATA, e));
	}
	(void)snprintf(s->data + len, sizeof(s->data) - len, "}");
	return (APP_OK);
}

/* The form's model of a system: options with labels, ticks kept. */
static json_t *
ec_system_form(struct http_request *req, json_t *row)
{
	json_t		*natures, *grades, *data, *have;
	const char	*lang, *cur, *v;
	size_t		 j;
	int		 e, on;

	lang = app_req(req)->lang;
	natures = json_array();
	cur = json_string_value(json_object_get(row, "nature"));
	for (e = 0; e < ELIGIBILITY_NATURE__MAX; e++) {
		v = eligibility_name(ELIGIBILITY_K_NATURE, e);
		json_array_append_new(natures, json_pack("{s:s, s:s, s:b}",
		    "value", v, "label", eligibility_label(ELIGIBILITY_K_NATURE,
		    e, lang), "checked", cur != NULL && strcmp(cur, v) == 0));
	}
	grades = json_array();
	cur = json_string_value(json_object_get(row, "csap_grade"));
	for (e = 0; e < ELIGIBILITY_GRADE__MAX; e++) {
		v = eligibility_name(ELIGIBILITY_K_GRADE, e);
		json_array_append_new(grades, json_pack("{s:s, s:s, s:b}",
		    "value", v, "label", eligibility_label(ELIGIBILITY_K_GRADE,
		    e, lang), "selected", cur != NULL ? strcmp(cur, v) == 0 :
		    e == ELIGIBILITY_GRADE_NONE));
	}
	data = json_array();
	have = json_object_get(row, "data_categories");
	for (e = 0; e < ELIGIBILITY_DATA__MAX; e++) {
		v = eligibility_name(ELIGIBILITY_K_DATA, e);
		on = 0;
		for (j = 0; j < json_array_size(have); j++)
			if ((cur = json_string_value(json_array_get(have,
			    j))) != NULL && strcmp(cur, v) == 0)
				on = 1;
		json_array_append_new(data, json_pack("{s:s, s:s, s:b}",
		    "value", v, "label", eligibility_label(ELIGIBILITY_K_DATA,
		    e, lang), "checked", on));
	}
	return (json_pack("{s:o, s:o, s:o}", "natures", natures, "grades",
	    grades, "data", data));
}

/* The systems page (also after a failed create, with the input kept). */
static int
ec_systems_page(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[2], *v;
	char		 org[24];
	json_t		*vm, *row, *input, *arr;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	params[1] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ec_sql[SQL_SYSTEMS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row) {
		ec_decorate(req, row);
		json_object_set_new(row, "agency", json_string(web_pick(req, row,
		    "agency_ko", "agency_en")));
	}

	input = json_object();
	if (err != APP_OK) {
		if ((v = web_input(req, "name")) != NULL)
			json_object_set_new(input, "name", json_string(v));
		if ((v = web_input(req, "nature")) != NULL)
			json_object_set_new(input, "nature", json_string(v));
		if ((v = web_input(req, "csap_grade")) != NULL)
			json_object_set_new(input, "csap_grade", json_string(v));
		if ((v = web_input(req, "description")) != NULL)
			json_object_set_new(input, "description",
			    json_string(v));
		arr = json_array();
		for (i = 0; i < qs_count(&ar->form, "data"); i++)
			json_array_append_new(arr, json_string(qs_nth(&ar->form,
			    "data", i)));
		json_object_set_new(input, "data_categories", arr);
		json_object_set_new(input, "invalid", json_pack("{s:s}", field,
		    web_str(req, key)));
	}
	json_object_update(input, ec_system_form(req, input));
	vm = json_pack("{s:s, s:O, s:o, s:b, s:b}",
	    "title", web_str(req, "elig.systems_title"),
	    "systems", ar->db[0].rows, "form", input,
	    "can_edit", (ar->who.role & ROLES_AGENCY) != 0,
	    "all_agencies", APP_IS_OPERATOR(ar));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_form_page(req, status, "systems", vm, err, field, key));
}

/* One system's page (also after a failed update, the input kept). */
static int
ec_system_page(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[3], *v;
	char		 id[24], org[24];
	json_t		*vm, *row, *form, *arr, *list, *d;
	size_t		 i;
	int		 rc, edit;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ec_sql[SQL_SYSTEM], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], ec_sql[SQL_DECISIONS], 2, params + 1);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	ec_decorate(req, row);
	edit = (ar->who.role & ROLES_AGENCY) != 0 &&
	    json_integer_value(json_object_get(row, "org_id")) ==
	    ar->who.org_id;
	form = json_deep_copy(row);
	if (err != APP_OK) {
		if ((v = web_input(req, "name")) != NULL)
			json_object_set_new(form, "name", json_string(v));
		if ((v = web_input(req, "nature")) != NULL)
			json_object_set_new(form, "nature", json_string(v));
		if ((v = web_input(req, "csap_grade")) != NULL)
			json_object_set_new(form, "csap_grade", json_string(v));
		if ((v = web_input(req, "description")) != NULL)
			json_object_set_new(form, "description",
			    json_string(v));
		arr = json_array();
		for (i = 0; i < qs_count(&ar->form, "data"); i++)
			json_array_append_new(arr, json_string(qs_nth(&ar->form,
			    "data", i)));
		json_object_set_new(form, "data_categories", arr);
		json_object_set_new(form, "invalid", json_pack("{s:s}", field,
		    web_str(req, key)));
	}
	json_object_update(form, ec_system_form(req, form));

	list = json_array();
	json_array_foreach(ar->db[1].rows, i, d) {
		if (json_integer_value(json_object_get(d, "system_id")) !=
		    ar->id)
			continue;
		ec_decorate(req, d);
		json_object_del(d, "facts");
		json_array_append(list, d);
	}
	vm = json_pack("{s:O, s:O, s:o, s:o, s:b}",
	    "title", json_object_get(row, "name"),
	    "system", row, "form", form, "decisions", list,
	    "can_edit", edit);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	if ((v = qs_get(&ar->qs, "done")) != NULL &&
	    (strcmp(v, "created") == 0 || strcmp(v, "updated") == 0))
		json_object_set_new(vm, "notice", json_string(web_str(req,
		    strcmp(v, "created") == 0 ? "elig.done_created" :
		    "elig.done_updated")));
	return (web_form_page(req, status, "system", vm, err, field, key));
}

/*
 * Adds the labels pages show to a system or decision row: nature, data
 * and grade labels; for decisions the outcome, each reason rendered in
 * Korean and English, the rule set's name, the service's name.
 */
static void
ec_decorate(struct http_request *req, json_t *row)
{
	struct eligibility_reason	 r;
	const char			*lang, *other, *s;
	char				 msg[ELIGIBILITY_MSG_MAX];
	char				 alt[ELIGIBILITY_MSG_MAX], key[48];
	json_t				*labels, *x, *reasons, *out;
	size_t				 i;
	int				 e;

	lang = app_req(req)->lang;
	other = strcmp(lang, "en") == 0 ? "ko" : "en";
	if ((s = json_string_value(json_object_get(row, "nature"))) != NULL &&
	    eligibility_value(ELIGIBILITY_K_NATURE, s, &e) == ELIGIBILITY_OK)
		json_object_set_new(row, "nature_label", json_string(
		    eligibility_label(ELIGIBILITY_K_NATURE, e, lang)));
	if ((s = json_string_value(json_object_get(row, "csap_grade"))) !=
	    NULL && eligibility_value(ELIGIBILITY_K_GRADE, s, &e) ==
	    ELIGIBILITY_OK)
		json_object_set_new(row, "grade_label", json_string(
		    eligibility_label(ELIGIBILITY_K_GRADE, e, lang)));
	if ((x = json_object_get(row, "data_categories")) != NULL) {
		labels = json_array();
		for (i = 0; i < json_array_size(x); i++)
			if (eligibility_value(ELIGIBILITY_K_DATA,
			    json_string_value(json_array_get(x, i)), &e) ==
			    ELIGIBILITY_OK)
				json_array_append_new(labels, json_pack("{s:s}",
				    "label", eligibility_label(
				    ELIGIBILITY_K_DATA, e, lang)));
		json_object_set_new(row, "data_labels", labels);
	}
	if ((s = json_string_value(json_object_get(row, "outcome"))) == NULL)
		return;
	if (eligibility_value(ELIGIBILITY_K_OUTCOME, s, &e) == ELIGIBILITY_OK) {
		json_object_set_new(row, "outcome_label", json_string(
		    eligibility_label(ELIGIBILITY_K_OUTCOME, e, lang)));
		json_object_set_new(row, "is_eligible",
		    json_boolean(e == ELIGIBILITY_ELIGIBLE));
		json_object_set_new(row, "is_agency",
		    json_boolean(e == ELIGIBILITY_AGENCY_DECISION));
		json_object_set_new(row, "is_blocked",
		    json_boolean(e == ELIGIBILITY_NOT_ELIGIBLE));
	}
	json_object_set_new(row, "open_for_agency", json_boolean(
	    strcmp(s, "agency_decision") == 0 &&
	    json_is_null(json_object_get(row, "agency_choice"))));
	if ((s = json_string_value(json_object_get(row, "agency_choice"))) !=
	    NULL) {
		(void)snprintf(key, sizeof(key), "elig.choice.%s", s);
		json_object_set_new(row, "choice_label",
		    json_string(web_str(req, key)));
	}
	json_object_set_new(row, "listing_name", json_string(web_pick(req, row,
	    "listing_ko", "listing_en")));
	json_object_set_new(row, "ruleset_name", json_string(web_pick(req, row,
	    "ruleset_ko", "ruleset_en")));
	json_object_set_new(row, "url", json_sprintf("/eligibility/%lld",
	    (long long)json_integer_value(json_object_get(row, "id"))));
	reasons = json_object_get(row, "reasons");
	out = json_array();
	json_array_foreach(reasons, i, x) {
		if (eligrules_reason_from_json(x, &r) == -1 ||
		    eligibility_reason_format(&r, lang, msg, sizeof(msg)) !=
		    ELIGIBILITY_OK ||
		    eligibility_reason_format(&r, other, alt, sizeof(alt)) !=
		    ELIGIBILITY_OK)
			continue;
		e = eligibility_code_outcome(r.code);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s}", "code", eligibility_code_name(r.code),
		    "message", msg, "message_alt", alt,
		    "outcome", eligibility_name(ELIGIBILITY_K_OUTCOME, e),
		    "tag", e == ELIGIBILITY_NOT_ELIGIBLE ? "tag--revoked" :
		    e == ELIGIBILITY_AGENCY_DECISION ? "tag--warning" :
		    "tag--neutral"));
	}
	json_object_set_new(row, "reason_texts", out);
	json_object_set_new(row, "other_lang", json_string(other));
}

/* The rule sets page, also after a refused new version (input kept). */
static int
ec_rules_page(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key, const char *detail)
{
	struct app_req			*ar;
	struct eligibility_ruleset	 rs;
	const char			*v;
	char				 bad[96], *text;
	json_t				*vm, *row, *next;
	size_t				 i;
	int				 rc, t;

	ar = app_req(req);
	rc = db_call(req, &ar->db[0], ec_sql[SQL_RULESETS], 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row) {
		json_object_set_new(row, "name", json_string(web_pick(req,
		    json_object_get(row, "rules"), "name_ko", "name_en")));
		json_object_set_new(row, "rules_text", json_string(""));
		if ((text = json_dumps(json_object_get(row, "rules"),
		    JSON_INDENT(2) | JSON_SORT_KEYS)) != NULL) {
			json_object_set_new(row, "rules_text",
			    json_string(text));
			free(text);
		}
	}
	vm = json_pack("{s:s, s:O, s:b}", "title",
	    web_str(req, "elig.rules_title"), "rulesets", ar->db[0].rows,
	    "can_edit", ar->who.role == ROLE_ADMIN);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;

	/* The next version starts as the newest set, from tomorrow. */
	if (err != APP_OK && (v = web_input(req, "rules")) != NULL) {
		json_object_set_new(vm, "rules", json_string(v));
		json_object_set_new(vm, "invalid", json_pack("{s:s}", field,
		    web_str(req, key)));
		if (detail != NULL)
			json_object_set_new(vm, "bad_key", json_string(detail));
	} else if ((row = json_array_get(ar->db[0].rows, 0)) != NULL &&
	    eligrules_from_json(json_object_get(row, "rules"), &rs, bad,
	    sizeof(bad)) == 0) {
		rs.version++;
		t = ec_today();
		rs.effective = rs.effective > t ? rs.effective : t;
		if ((next = eligrules_to_json(&rs)) != NULL &&
		    (text = json_dumps(next, JSON_INDENT(2) |
		    JSON_SORT_KEYS)) != NULL) {
			json_object_set_new(vm, "rules", json_string(text));
			free(text);
		}
		json_decref(next);
	}
	if ((v = qs_get(&ar->qs, "done")) != NULL &&
	    strcmp(v, "created") == 0)
		json_object_set_new(vm, "notice", json_string(web_str(req,
		    "elig.done_rules")));
	return (web_form_page(req, status, "rules", vm, err, field, key));
}

/* Today in Korea time as YYYYMMDD. */
static int
ec_today(void)
{
	struct tm	tm;
	time_t		now;

	now = time(NULL) + 9 * 3600;
	(void)gmtime_r(&now, &tm);
	return ((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday);
}

/*
 * A rule set that eligrules_from_json() refused at key bad: 400 naming
 * the key, in JSON as error.key, on the page after the message.
 */
static int
ec_rules_refused(struct http_request *req, const char *bad)
{
	struct app_req	*ar;
	json_t		*err;
	int		 rc;

	ar = app_req(req);
	if (ar->json) {
		err = json_pack("{s:{s:s, s:s, s:s, s:s}}", "error", "code",
		    "invalid_parameter", "message",
		    web_str(req, "elig.error_rules_key"), "field", "rules",
		    "key", bad);
		rc = web_json(req, 400, err);
		json_decref(err);
		return (rc);
	}
	return (ec_rules_page(req, 400, APP_EINVAL, "rules",
	    "elig.error_rules_key", bad));
}
