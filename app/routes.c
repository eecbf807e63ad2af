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

	/* The public catalog: service pages, vendors, comparison (catalog.c). */
	/* ROUTES:PUBLIC */
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
