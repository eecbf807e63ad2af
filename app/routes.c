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
#define SEARCH	"q page per_page type"
#define AUDITQ	"actor org action object from to page"
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
	{ "/admin/vendors/:id/approve", M_POST, admin_vendor_approve, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/admin/vendors/:id/reject", M_POST, admin_vendor_reject, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/admin/vendors/:id/suspend", M_POST, admin_vendor_suspend, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors", M_GET, admin_vendors, "status page", 1, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id", M_GET, admin_vendor, "", 1, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id/approve", M_POST, admin_vendor_approve, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id/reject", M_POST, admin_vendor_reject, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/admin/vendors/:id/suspend", M_POST, admin_vendor_suspend, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/audit",		M_GET,	audit_page,	AUDITQ " until", 0, OPS_READ, OWN_NONE, 0 },
	{ "/audit.csv",		M_GET,	audit_csv,	"actor org action object from to", 0, OPS_READ, OWN_NONE, 0 },
	{ "/api/v1/audit",	M_GET,	audit_page,	AUDITQ " until", 1, OPS_READ, OWN_NONE, 0 },

	/* Vendors' listings, versions and the listing review (listing.c, review.c). */
	/* ROUTES:LISTINGS */

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
	{ "/review/certificates/:id/verify", M_POST, cert_review_verify, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/reject", M_POST, cert_review_reject, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/suspend", M_POST, cert_review_suspend, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/reinstate", M_POST, cert_review_reinstate, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/review/certificates/:id/revoke", M_POST, cert_review_revoke, "reason", 0, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/verify", M_POST, cert_review_verify, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/reject", M_POST, cert_review_reject, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/suspend", M_POST, cert_review_suspend, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/reinstate", M_POST, cert_review_reinstate, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
	{ "/api/v1/review/certificates/:id/revoke", M_POST, cert_review_revoke, "reason", 1, OPS_WRITE, OWN_NONE, 0 },
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
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
