/*
 * The route table: every path Gureum answers, its methods, its handler,
 * the parameters it accepts and who may call it. The dispatcher (web.c)
 * reads only this table; Kore's configuration sends every path here.
 *
 * Access is decided here and nowhere else: `access` is ACCESS_PUBLIC,
 * ACCESS_ANON_ONLY (sign-in and sign-up forms; a signed-in browser is sent
 * home) or a mask of ROLE_* bits; a row without one is refused at start.
 * `own` names the ownership rule the handler's SQL applies with the
 * caller's organisation (a row of another organisation answers 404, so its
 * existence is not disclosed). `scope` is the API-key scope that may call
 * the route; API keys cannot call a route without one.
 * tests/integration/access.test.mjs walks every row as every role.
 */

#include "gureum.h"

#define KEYS	(ROLE_KEY_AGENCY | ROLE_KEY_VENDOR)
#define OPS_READ (ROLE_REVIEWER | ROLE_AUDITOR | ROLE_ADMIN)
#define OPS_WRITE (ROLE_REVIEWER | ROLE_ADMIN)
#define BUYERS_OPS (ROLES_AGENCY | ROLES_OPERATOR)
#define SEARCH	"q page per_page type sort category cert csap valid domestic size" \
		" trial availability price_min price_max runs_on deploy"
#define SYSTEMF	"name nature data csap_grade description*"
#define CONTRACTF "decision title start end ceiling_won fy_split* tags rounding" \
		" handover* data_end notice_days deviations* token quote"
#define PARTIES	(ROLES_AGENCY | ROLES_VENDOR | ROLES_OPERATOR)
#define QPARTIES (ROLES_AGENCY | ROLES_VENDOR)
#define QUOTEF	"listing shortlist kind dimension quantity quantities" \
		" desired_price_won vat_included delivery_date deadline message* token"
#define PARTIES_ACT (ROLES_AGENCY | ROLE_VADMIN | ROLE_REVIEWER | ROLE_ADMIN)
#define AUDITQ	"actor org action object from to page"
#define RPTQ	"from to fy agency vendor type agency_type"
#define PUBQ	"from to fy type agency_type"
#define CERTF	"listing_id scheme csap_type grade number issuer issue_date expiry_date evidence"

const struct route routes[] = {
	/* path			methods	handler		params	api access	own	scope */

	/* The public catalog. */
	{ "/",			M_GET,	search_page,	SEARCH,	0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/search",		M_GET,	search_page,	SEARCH,	0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/search",	M_GET,	search_api,	SEARCH,	1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/services/:id",	M_GET,	catalog_service, "",	0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/services/:id", M_GET, catalog_service, "",	1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/healthz",		M_GET,	health_check,	"",	1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/lang",		M_GET,	lang_switch,	"set next", 0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/static/gureum.css",	M_GET,	static_serve,	"v",	0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/static/gureum.js",	M_GET,	static_serve,	"v",	0, ACCESS_PUBLIC, OWN_NONE, 0 },

	/* Signing in and out (auth.c). */
	{ "/login",		M_GET,	auth_login_page, "next signed_out", 0, ACCESS_ANON_ONLY, OWN_NONE, 0 },
	{ "/login",		M_POST,	auth_login,	"email password next", 0, ACCESS_ANON_ONLY, OWN_NONE, 0 },
	{ "/logout",		M_POST,	auth_logout,	"",	0, ROLES_USERS, OWN_NONE, 0 },
	{ "/logout-all",	M_POST,	auth_logout_all, "",	0, ROLES_USERS, OWN_NONE, 0 },
	{ "/home",		M_GET,	auth_home,	"",	0, ROLES_USERS, OWN_NONE, 0 },
	{ "/api/v1/sessions",	M_POST,	auth_api_session, "",	1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/logout",	M_POST,	auth_logout,	"",	1, ROLES_USERS, OWN_NONE, 0 },
	{ "/api/v1/me",		M_GET,	auth_me,	"",	1, ROLES_USERS | KEYS, OWN_NONE, SCOPE_READ },

	/*
	 * Buyers' shortlists and saved searches (shortlist.c). Lists belong
	 * to an agency (another agency's answers 404); the procurement
	 * office reads them all and changes none.
	 */
	{ "/shortlists",	M_GET,	shortlist_list,	"done",	0, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/api/v1/shortlists",	M_GET,	shortlist_list,	"",	1, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/shortlists",	M_POST,	shortlist_create, "project_name note*", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/api/v1/shortlists",	M_POST,	shortlist_create, "project_name note*", 1, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/shortlists/add",	M_GET,	shortlist_add_page, "listing search", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/shortlists/:id",	M_GET,	shortlist_show,	"done",	0, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/api/v1/shortlists/:id", M_GET, shortlist_show, "",	1, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/shortlists/:id/items", M_POST, shortlist_add, "listing search", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/api/v1/shortlists/:id/items", M_POST, shortlist_add, "listing search", 1, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/shortlists/:id/lock", M_POST, shortlist_lock, "",	0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/shortlists/:id/export.csv", M_GET, shortlist_csv, "", 0, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/shortlist-items/:id", M_POST, shortlist_decide, "decision note*", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/shortlist-items/:id/remove", M_POST, shortlist_remove, "", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/searches",		M_GET,	shortlist_searches, "query done", 0, ROLES_AGENCY, OWN_USER, 0 },
	{ "/api/v1/searches",	M_GET,	shortlist_searches, "",	1, ROLES_AGENCY, OWN_USER, 0 },
	{ "/searches",		M_POST,	shortlist_search_save, "name query", 0, ROLES_AGENCY, OWN_USER, 0 },
	{ "/searches/:id/delete", M_POST, shortlist_search_delete, "", 0, ROLES_AGENCY, OWN_USER, 0 },

	/*
	 * Eligibility (eligcheck.c): the agency's systems and its decisions
	 * (another agency's answer 404; the office reads all), and the rule
	 * sets, which only platform admins add to.
	 */
	{ "/systems",		M_GET,	eligcheck_systems, "",	0, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/api/v1/systems",	M_GET,	eligcheck_systems, "",	1, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/systems",		M_POST,	eligcheck_system_create, SYSTEMF, 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/api/v1/systems",	M_POST,	eligcheck_system_create, SYSTEMF, 1, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/systems/:id",	M_GET,	eligcheck_system, "done", 0, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/api/v1/systems/:id", M_GET,	eligcheck_system, "",	1, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/systems/:id",	M_POST,	eligcheck_system_update, SYSTEMF, 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/eligibility/new",	M_GET,	eligcheck_new,	"listing", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/eligibility",	M_GET,	eligcheck_decisions, "", 0, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/api/v1/eligibility", M_GET,	eligcheck_decisions, "", 1, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/eligibility",	M_POST,	eligcheck_decide, "system listing start", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/api/v1/eligibility", M_POST, eligcheck_decide, "system listing start", 1, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/eligibility/:id",	M_GET,	eligcheck_decision, "",	0, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/api/v1/eligibility/:id", M_GET, eligcheck_decision, "", 1, BUYERS_OPS, OWN_AGENCY, 0 },
	{ "/eligibility/:id/justify", M_POST, eligcheck_justify, "choice justification*", 0, ROLE_APPROVER, OWN_AGENCY, 0 },
	{ "/admin/rules",	M_GET,	eligcheck_rules, "done", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/admin/rules", M_GET,	eligcheck_rules, "",	1, OPS_READ, OWN_NONE, 0 },
	{ "/admin/rules",	M_POST,	eligcheck_rules_create, "rules*", 0, ROLE_ADMIN, OWN_NONE, 0 },

	/*
	 * Contracts (contract.c): seen by their agency, their vendor and
	 * the office; each step's role is checked by contract_step() in
	 * SQL. The inbox is every user's own; transition cases the office's.
	 */
	{ "/quotes",		M_GET,	quote_list,	"shortlist", 0, QPARTIES, OWN_PARTY, 0 },
	{ "/api/v1/quotes",	M_GET,	quote_list,	"shortlist", 1, QPARTIES, OWN_PARTY, 0 },
	{ "/quotes/new",	M_GET,	quote_new,	"listing shortlist kind", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/quotes",		M_POST,	quote_create,	QUOTEF,	0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/api/v1/quotes",	M_POST,	quote_create,	QUOTEF,	1, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/quotes/:id",	M_GET,	quote_show,	"",	0, QPARTIES, OWN_PARTY, 0 },
	{ "/api/v1/quotes/:id",	M_GET,	quote_show,	"",	1, QPARTIES, OWN_PARTY, 0 },
	{ "/quotes/:id/step",	M_POST,	quote_step,	"step price_won vat_included text* deadline", 0, QPARTIES, OWN_PARTY, 0 },
	{ "/api/v1/quotes/:id/step", M_POST, quote_step, "step price_won vat_included text* deadline", 1, QPARTIES, OWN_PARTY, 0 },
	{ "/contracts",		M_GET,	contract_list,	"",	0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/contracts",	M_GET,	contract_list,	"",	1, PARTIES, OWN_PARTY, 0 },
	{ "/contracts/new",	M_GET,	contract_new,	"decision quote", 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/contracts",		M_POST,	contract_create, CONTRACTF, 0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/api/v1/contracts",	M_POST,	contract_create, CONTRACTF, 1, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/contracts/:id",	M_GET,	contract_show,	"",	0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/contracts/:id", M_GET, contract_show, "",	1, PARTIES, OWN_PARTY, 0 },
	{ "/contracts/:id/listing", M_GET, contract_pinned, "",	0, PARTIES, OWN_PARTY, 0 },
	{ "/contracts/:id/document.pdf", M_GET, contract_document, "", 0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/contracts/:id/listing", M_GET, contract_pinned, "", 1, PARTIES, OWN_PARTY, 0 },
	{ "/contracts/:id/step", M_POST, contract_step, "step reason*", 0, PARTIES_ACT, OWN_PARTY, 0 },
	{ "/api/v1/contracts/:id/step", M_POST, contract_step, "step reason*", 1, PARTIES_ACT, OWN_PARTY, 0 },
	{ "/contracts/:id/amendments", M_POST, contract_amend, "ceiling_won end fy_split* reason*", 0, ROLE_APPROVER | ROLE_VADMIN, OWN_PARTY, 0 },
	{ "/api/v1/contracts/:id/amendments", M_POST, contract_amend, "ceiling_won end fy_split* reason*", 1, ROLE_APPROVER | ROLE_VADMIN, OWN_PARTY, 0 },
	{ "/contract-amendments/:id", M_POST, contract_amend_decide, "decision note*", 0, ROLE_APPROVER | ROLE_VADMIN, OWN_PARTY, 0 },
	{ "/inbox",		M_GET,	contract_inbox,	"",	0, ROLES_USERS, OWN_USER, 0 },
	{ "/api/v1/inbox",	M_GET,	contract_inbox,	"",	1, ROLES_USERS, OWN_USER, 0 },
	{ "/inbox/read",	M_POST,	contract_inbox_read, "id", 0, ROLES_USERS, OWN_USER, 0 },
	{ "/admin/transitions",	M_GET,	contract_transitions, "status", 0, OPS_READ, OWN_NONE, 0 },
	{ "/admin/transitions/:id/close", M_POST, contract_transition_close, "status note*", 0, OPS_WRITE, OWN_NONE, 0 },

	/* Sign-up, invitations, users and API keys (orgadmin.c). */
	/* ROUTES:ORGADMIN */
	{ "/signup",		M_GET,	orgadmin_signup, "",	0, ACCESS_ANON_ONLY, OWN_NONE, 0 },
	{ "/signup/agency",	M_GET,	orgadmin_signup_agency_page, "agency", 0, ACCESS_ANON_ONLY, OWN_NONE, 0 },
	{ "/signup/agency",	M_POST,	orgadmin_signup_agency, "agency name email password", 0, ACCESS_ANON_ONLY, OWN_NONE, 0 },
	{ "/signup/vendor",	M_GET,	orgadmin_signup_vendor_page, "", 0, ACCESS_ANON_ONLY, OWN_NONE, 0 },
	{ "/signup/vendor",	M_POST,	orgadmin_signup_vendor,
	    "name_ko name_en biz_no company_size address contact_name contact_phone website admin_name email password",
	    0, ACCESS_ANON_ONLY, OWN_NONE, 0 },
	{ "/invitation",		M_GET,	orgadmin_invitation_page, "token", 0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/invitation",		M_POST,	orgadmin_invitation_accept, "token name password", 0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/org/users",		M_GET,	orgadmin_users,	"done",	0, ROLES_ORG_ADMIN, OWN_NONE, 0 },
	{ "/api/v1/org/users",	M_GET,	orgadmin_users,	"",	1, ROLES_ORG_ADMIN, OWN_NONE, 0 },
	{ "/org/users/new",	M_GET,	orgadmin_invite_page, "", 0, ROLES_ORG_ADMIN, OWN_NONE, 0 },
	{ "/org/users",		M_POST,	orgadmin_invite, "email name role", 0, ROLES_ORG_ADMIN, OWN_NONE, 0 },
	{ "/org/users/:id/role", M_POST, orgadmin_user_role, "role", 0, ROLES_ORG_ADMIN, OWN_ORG_USER, 0 },
	{ "/org/users/:id/deactivate", M_POST, orgadmin_user_deactivate, "", 0, ROLES_ORG_ADMIN, OWN_ORG_USER, 0 },
	{ "/org/users/:id/unlock", M_POST, orgadmin_user_unlock, "", 0, ROLES_ORG_ADMIN, OWN_ORG_USER, 0 },
	{ "/org/keys",		M_GET,	orgadmin_keys,	"done",	0, ROLES_ORG_ADMIN, OWN_NONE, 0 },
	{ "/org/keys/new",	M_GET,	orgadmin_key_page, "",	0, ROLES_ORG_ADMIN, OWN_NONE, 0 },
	{ "/org/keys",		M_POST,	orgadmin_key_create, "name scope", 0, ROLES_ORG_ADMIN, OWN_NONE, 0 },
	{ "/org/keys/:id/revoke", M_POST, orgadmin_key_revoke, "", 0, ROLES_ORG_ADMIN, OWN_ORG_KEY, 0 },

	/* Vendor review and the audit log (operator.c). */
	/* ROUTES:OPERATOR */
	{ "/admin/vendors",	M_GET,	admin_vendors,	"status page", 0, OPS_READ, OWN_NONE, 0 },
	{ "/admin/vendors/:id",	M_GET,	admin_vendor,	"done",	0, OPS_READ, OWN_NONE, 0 },
	{ "/admin/vendors/:id/approve", M_POST, admin_vendor_approve, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/admin/vendors/:id/reject", M_POST, admin_vendor_reject, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/admin/vendors/:id/suspend", M_POST, admin_vendor_suspend, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors", M_GET, admin_vendors, "status page", 1, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id", M_GET, admin_vendor, "", 1, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id/approve", M_POST, admin_vendor_approve, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id/reject", M_POST, admin_vendor_reject, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id/suspend", M_POST, admin_vendor_suspend, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/audit",		M_GET,	audit_page,	AUDITQ " until", 0, OPS_READ, OWN_NONE, 0 },
	{ "/audit.csv",		M_GET,	audit_csv,	"actor org action object from to", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/audit",	M_GET,	audit_page,	AUDITQ " until", 1, OPS_READ, OWN_NONE, 0 },

	/* Vendors' listings, versions and the listing review (listing.c, review.c). */
	/* ROUTES:LISTINGS */
	{ "/vendor/listings",	M_GET,	listing_index,	"",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings", M_GET, listing_index, "",	1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ },
	{ "/vendor/listings/new", M_GET, listing_new,	"type",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/listings",	M_POST,	listing_create,	listing_form_params, 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings", M_POST, listing_create, "", 1, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/listings/:id", M_GET, listing_show,	"done",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings/:id", M_GET, listing_show, "", 1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ },
	{ "/vendor/listings/:id/edit", M_GET, listing_edit, "",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/listings/:id", M_POST, listing_save,	listing_form_params, 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings/:id", M_POST, listing_save, "", 1, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/listings/:id/submit", M_POST, listing_submit, "", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings/:id/submit", M_POST, listing_submit, "", 1, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/listings/:id/versions", M_GET, listing_versions, "", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings/:id/versions", M_GET, listing_versions, "", 1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ },
	{ "/vendor/listings/:id/diff", M_GET, listing_diff, "from to", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings/:id/diff", M_GET, listing_diff, "from to", 1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ },
	{ "/review",		M_GET,	review_queue,	"kind",	0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/review",	M_GET,	review_queue,	"kind",	1, OPS_READ, OWN_NONE, 0 },
	{ "/review/listings/:id", M_GET, review_listing, "done", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/review/listings/:id", M_GET, review_listing, "", 1, OPS_READ, OWN_NONE, 0 },
	{ "/review/listings/:id/decide", M_POST, review_decide, review_decide_params, 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/listings/:id/decide", M_POST, review_decide, "", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/listings/:id/status", M_POST, review_status, "action reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/listings/:id/status", M_POST, review_status, "", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/listings/:id/versions", M_GET, listing_versions, "", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/review/listings/:id/versions", M_GET, listing_versions, "", 1, OPS_READ, OWN_NONE, 0 },
	{ "/review/listings/:id/diff", M_GET, listing_diff, "from to", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/review/listings/:id/diff", M_GET, listing_diff, "from to", 1, OPS_READ, OWN_NONE, 0 },
	{ "/review/checklists",	M_GET,	review_checklists, "kind done", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/review/checklists", M_GET, review_checklists, "kind", 1, OPS_READ, OWN_NONE, 0 },
	{ "/review/checklists",	M_POST,	review_checklist_add, review_checklist_params, 0, ROLE_ADMIN, OWN_NONE, 0 },
	{ "/api/v1/review/checklists", M_POST, review_checklist_add, "", 1, ROLE_ADMIN, OWN_NONE, 0 },

	/* Certificates: submission, verification, expiry (cert.c). */
	/* ROUTES:CERTS */
	{ "/vendor/certificates", M_GET, cert_vendor_list, "done", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/certificates", M_GET, cert_vendor_list, "", 1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ },
	{ "/vendor/certificates/new", M_GET, cert_vendor_new, "listing", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/certificates", M_POST, cert_vendor_submit, CERTF, 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/certificates", M_POST, cert_vendor_submit, CERTF, 1, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/certificates/:id", M_GET, cert_vendor_show, "", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/certificates/:id", M_GET, cert_vendor_show, "", 1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ },
	{ "/review/certificates", M_GET, cert_review_list, "status", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/review/certificates", M_GET, cert_review_list, "status", 1, OPS_READ, OWN_NONE, 0 },
	{ "/review/certificates/:id", M_GET, cert_review_show, "done", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id", M_GET, cert_review_show, "", 1, OPS_READ, OWN_NONE, 0 },
	{ "/review/certificates/:id/verify", M_POST, cert_review_verify, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/reject", M_POST, cert_review_reject, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/suspend", M_POST, cert_review_suspend, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/reinstate", M_POST, cert_review_reinstate, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/revoke", M_POST, cert_review_revoke, "reason*", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/verify", M_POST, cert_review_verify, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/reject", M_POST, cert_review_reject, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/suspend", M_POST, cert_review_suspend, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/reinstate", M_POST, cert_review_reinstate, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/revoke", M_POST, cert_review_revoke, "reason*", 1, OPS_WRITE, OWN_NONE, 0 },
	/* Listing documents and downloads (document.c). */
	{ "/vendor/listings/:id/documents", M_GET, doc_listing_list, "done", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings/:id/documents", M_GET, doc_listing_list, "", 1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ },
	{ "/vendor/listings/:id/documents", M_POST, doc_listing_upload, "kind file", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/listings/:id/documents", M_POST, doc_listing_upload, "kind file", 1, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/documents/:id/delete", M_POST, doc_delete, "", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/vendor/documents/:id/delete", M_POST, doc_delete, "", 1, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/documents/:id",	M_GET,	doc_download,	"", 0, ACCESS_PUBLIC, OWN_NONE, 0 },

	/* The public catalog: service pages, vendors, comparison (catalog.c). */
	/* ROUTES:PUBLIC */
	{ "/services/:id/print", M_GET, catalog_service_print, "", 0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/vendors",		M_GET,	catalog_vendors, "",	0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/vendors",	M_GET,	catalog_vendors, "",	1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/vendors/:id",	M_GET,	catalog_vendor,	"",	0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/vendors/:id", M_GET,	catalog_vendor,	"",	1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/compare",		M_GET,	catalog_compare, "ids",	0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/compare",	M_GET,	catalog_compare, "ids",	1, ACCESS_PUBLIC, OWN_NONE, 0 },
	/* ROUTES:SEARCH */
	{ "/shortlists/:id/export.xlsx", M_GET, shortlist_xlsx, "", 0, BUYERS_OPS, OWN_AGENCY, 0 },

	/* ROUTES:USAGE */
	/*
	 * Usage ingestion (usage.c). The signed routes (api 2) read their
	 * own body: the vendor's signature covers its exact bytes. Vendor
	 * pages answer the caller's organisation only; a contract's usage
	 * its parties and the office.
	 */
	{ "/api/v1/marketplace-keys", M_GET, usage_marketplace_keys, "", 1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/usage",	M_POST,	usage_ingest,	"",	2, ROLE_KEY_VENDOR, OWN_NONE, SCOPE_USAGE_WRITE },
	{ "/api/v1/usage/availability", M_POST, usage_availability_api, "", 2, ROLE_KEY_VENDOR, OWN_NONE, SCOPE_USAGE_WRITE },
	{ "/api/v1/usage",	M_GET,	usage_vendor,	"",	1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ | SCOPE_USAGE_WRITE },
	{ "/vendor/usage",	M_GET,	usage_vendor,	"done",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/usage/availability", M_POST, usage_availability_form, "contract month availability", 0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/usage/upload", M_GET, usage_upload_page, "",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/usage/upload", M_POST, usage_upload,	"file",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/vendor/usage/batches/:id", M_GET, usage_batch, "",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/usage/batches/:id", M_GET, usage_batch, "",	1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ | SCOPE_USAGE_WRITE },
	{ "/vendor/usage-keys",	M_GET,	usage_keys,	"done",	0, ROLES_VENDOR, OWN_NONE, 0 },
	{ "/api/v1/usage/keys",	M_GET,	usage_keys,	"",	1, ROLES_VENDOR | ROLE_KEY_VENDOR, OWN_NONE, SCOPE_READ | SCOPE_USAGE_WRITE },
	{ "/vendor/usage-keys",	M_POST,	usage_key_register, "name public_key", 0, ROLE_VADMIN, OWN_NONE, 0 },
	{ "/api/v1/usage/keys",	M_POST,	usage_key_register, "name public_key", 1, ROLE_VADMIN, OWN_NONE, 0 },
	{ "/vendor/usage-keys/:id/revoke", M_POST, usage_key_revoke, "", 0, ROLE_VADMIN, OWN_NONE, 0 },
	{ "/api/v1/usage/keys/:id/revoke", M_POST, usage_key_revoke, "", 1, ROLE_VADMIN, OWN_NONE, 0 },
	{ "/contracts/:id/usage", M_GET, usage_contract, "month", 0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/usage/contracts/:id", M_GET, usage_contract, "month", 1, PARTIES | KEYS, OWN_PARTY, SCOPE_READ | SCOPE_INVOICES_READ },

	/* ROUTES:INVOICE */
	/*
	 * Invoices (invoice.c): seen by their agency, their vendor and the
	 * office, and by API keys with the invoices:read scope; each step's
	 * role is checked again in SQL. The dashboard is the agency's.
	 */
	{ "/invoices",		M_GET,	invoice_list,	"month status contract", 0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/invoices",	M_GET,	invoice_list,	"month status contract", 1, PARTIES | KEYS, OWN_PARTY, SCOPE_INVOICES_READ },
	{ "/invoices/:id",	M_GET,	invoice_show,	"",	0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/invoices/:id", M_GET, invoice_show,	"",	1, PARTIES | KEYS, OWN_PARTY, SCOPE_INVOICES_READ },
	{ "/invoices/:id/lines/review", M_POST, invoice_review, "line decision reason*", 0, ROLES_AGENCY, OWN_PARTY, 0 },
	{ "/api/v1/invoices/:id/lines/review", M_POST, invoice_review, "line decision reason*", 1, ROLES_AGENCY, OWN_PARTY, 0 },
	{ "/invoices/:id/lines/answer", M_POST, invoice_answer, "line answer*", 0, ROLES_VENDOR, OWN_PARTY, 0 },
	{ "/api/v1/invoices/:id/lines/answer", M_POST, invoice_answer, "line answer*", 1, ROLES_VENDOR, OWN_PARTY, 0 },
	{ "/invoices/:id/payments", M_POST, invoice_payment, "amount_won paid_on reference", 0, ROLE_APPROVER, OWN_PARTY, 0 },
	{ "/api/v1/invoices/:id/payments", M_POST, invoice_payment, "amount_won paid_on reference", 1, ROLE_APPROVER, OWN_PARTY, 0 },
	{ "/invoices/:id/credit-notes", M_POST, invoice_credit_note, "line amount_won reason*", 0, ROLE_VADMIN, OWN_PARTY, 0 },
	{ "/api/v1/invoices/:id/credit-notes", M_POST, invoice_credit_note, "line amount_won reason* lines", 1, ROLE_VADMIN, OWN_PARTY, 0 },
	{ "/dashboard",		M_GET,	invoice_dashboard, "",	0, ROLES_AGENCY, OWN_AGENCY, 0 },
	{ "/api/v1/dashboard",	M_GET,	invoice_dashboard, "",	1, ROLES_AGENCY, OWN_AGENCY, 0 },

	/* ROUTES:EVIDENCE */
	/*
	 * An invoice's signed evidence bundle and its PDF (evidence.c): its
	 * agency and vendor and the office; API keys with invoices:read
	 * (agencies) or read (vendors). Other organisations get 404.
	 */
	{ "/invoices/:id/evidence.json", M_GET, evidence_json, "", 0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/invoices/:id/evidence.json", M_GET, evidence_json, "", 1, PARTIES | KEYS, OWN_PARTY, SCOPE_READ | SCOPE_INVOICES_READ },
	{ "/invoices/:id/invoice.pdf", M_GET, evidence_pdf, "", 0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/invoices/:id/invoice.pdf", M_GET, evidence_pdf, "", 1, PARTIES | KEYS, OWN_PARTY, SCOPE_READ | SCOPE_INVOICES_READ },

	/* ROUTES:REPORTS */
	/*
	 * Reports (report.c): the office reads all, an agency or vendor its
	 * own slice (forced in SQL); the transparency page is public.
	 */
	{ "/reports",		M_GET,	report_index,	"",	0, PARTIES, OWN_NONE, 0 },
	{ "/api/v1/reports",	M_GET,	report_index,	"",	1, PARTIES | KEYS, OWN_NONE, SCOPE_READ | SCOPE_INVOICES_READ },
	{ "/reports/spend",	M_GET,	report_spend,	RPTQ,	0, PARTIES, OWN_NONE, 0 },
	{ "/reports/spend.csv", M_GET, report_spend_csv, RPTQ " table", 0, PARTIES, OWN_NONE, 0 },
	{ "/api/v1/reports/spend", M_GET, report_spend, RPTQ,	1, PARTIES | KEYS, OWN_NONE, SCOPE_READ | SCOPE_INVOICES_READ },
	{ "/reports/sme",	M_GET,	report_sme,	RPTQ,	0, PARTIES, OWN_NONE, 0 },
	{ "/reports/sme.csv", M_GET, report_sme_csv, RPTQ " table", 0, PARTIES, OWN_NONE, 0 },
	{ "/api/v1/reports/sme", M_GET, report_sme, RPTQ,	1, PARTIES | KEYS, OWN_NONE, SCOPE_READ | SCOPE_INVOICES_READ },
	{ "/reports/contracts",	M_GET,	report_contracts,	RPTQ,	0, PARTIES, OWN_NONE, 0 },
	{ "/reports/contracts.csv", M_GET, report_contracts_csv, RPTQ " table", 0, PARTIES, OWN_NONE, 0 },
	{ "/api/v1/reports/contracts", M_GET, report_contracts, RPTQ,	1, PARTIES | KEYS, OWN_NONE, SCOPE_READ | SCOPE_INVOICES_READ },
	{ "/reports/ceilings",	M_GET,	report_ceilings,	RPTQ,	0, PARTIES, OWN_NONE, 0 },
	{ "/reports/ceilings.csv", M_GET, report_ceilings_csv, RPTQ " table", 0, PARTIES, OWN_NONE, 0 },
	{ "/api/v1/reports/ceilings", M_GET, report_ceilings, RPTQ,	1, PARTIES | KEYS, OWN_NONE, SCOPE_READ | SCOPE_INVOICES_READ },
	{ "/reports/certificates",	M_GET,	report_certificates,	RPTQ,	0, PARTIES, OWN_NONE, 0 },
	{ "/reports/certificates.csv", M_GET, report_certificates_csv, RPTQ " table", 0, PARTIES, OWN_NONE, 0 },
	{ "/api/v1/reports/certificates", M_GET, report_certificates, RPTQ,	1, PARTIES | KEYS, OWN_NONE, SCOPE_READ | SCOPE_INVOICES_READ },
	{ "/reports/catalog",	M_GET,	report_catalog,	RPTQ,	0, OPS_READ, OWN_NONE, 0 },
	{ "/reports/catalog.csv", M_GET, report_catalog_csv, RPTQ " table", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/reports/catalog", M_GET, report_catalog, RPTQ,	1, OPS_READ, OWN_NONE, 0 },
	{ "/vendor/stats",	M_GET,	report_vendor_stats, RPTQ, 0, ROLES_VENDOR | OPS_READ, OWN_NONE, 0 },
	{ "/vendor/stats.csv",	M_GET,	report_vendor_stats_csv, RPTQ " table", 0, ROLES_VENDOR | OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/vendor/stats", M_GET, report_vendor_stats, RPTQ, 1, ROLES_VENDOR | ROLE_KEY_VENDOR | OPS_READ, OWN_NONE, SCOPE_READ },
	{ "/transparency",	M_GET,	report_transparency, PUBQ, 0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/transparency.json",	M_GET,	report_transparency_json, PUBQ, 1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/transparency.csv",	M_GET,	report_transparency_csv, PUBQ " table", 0, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/api/v1/transparency", M_GET, report_transparency, PUBQ, 1, ACCESS_PUBLIC, OWN_NONE, 0 },
	{ "/contracts/:id/usage-certificate.pdf", M_GET, report_usage_certificate, "", 0, PARTIES, OWN_PARTY, 0 },
	{ "/api/v1/contracts/:id/usage-certificate", M_GET, report_usage_certificate, "", 1, PARTIES | KEYS, OWN_PARTY, SCOPE_READ | SCOPE_INVOICES_READ },
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
