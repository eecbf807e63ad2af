/*
 * The shared header of the Kore side of Gureum: the per-request state every
 * handler uses, the domain error codes and their single table, and the
 * prototypes of each file grouped by file. Pure modules (tmpl, i18n, qs,
 * money, rating) have their own headers and know nothing of Kore.
 */

#ifndef GUREUM_H
#define GUREUM_H

#include <sys/types.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include <jansson.h>
#include <stdint.h>

#include "qs.h"

struct web_upload;	/* web.c: a multipart body and its parts */

/*
 * Domain errors. Functions return one of these; web_error() turns it into
 * an HTTP status and a stable error code through one table (web.c).
 */
enum app_err {
	APP_OK,			/* 200 */
	APP_EINVAL,		/* 400 invalid_parameter */
	APP_EUNKNOWNPARAM,	/* 400 unknown_parameter */
	APP_EUTF8,		/* 400 invalid_utf8 */
	APP_ETOOLONG,		/* 400 too_long */
	APP_EUNAUTH,		/* 401 unauthenticated */
	APP_ECREDENTIALS,	/* 401 invalid_credentials */
	APP_ECSRF,		/* 403 csrf_failed */
	APP_EFORBIDDEN,		/* 403 forbidden */
	APP_ENOTFOUND,		/* 404 not_found */
	APP_EMETHOD,		/* 405 method_not_allowed */
	APP_ECONFLICT,		/* 409 conflict */
	APP_ETOOLARGE,		/* 413 payload_too_large */
	APP_EUNSUPPORTED,	/* 415 unsupported_media_type */
	APP_EREFERENCE,		/* 422 invalid_reference */
	APP_ELOCKED,		/* 423 account_locked */
	APP_EINTERNAL,		/* 500 internal */
	APP_EUNAVAIL,		/* 503 unavailable */
	APP_ERR__MAX
};

/* Route methods, a bit mask of Kore's HTTP_METHOD_* values. */
#define M_GET		(HTTP_METHOD_GET | HTTP_METHOD_HEAD)
#define M_POST		HTTP_METHOD_POST

/*
 * Roles, one bit each, so that a route's access is a mask. A principal has
 * exactly one (an API key acts with its organisation's kind: ROLE_KEY_*).
 */
#define ROLE_BUYER		0x0001	/* agency */
#define ROLE_APPROVER		0x0002	/* agency: contracts, budget, org admin */
#define ROLE_VADMIN		0x0004	/* vendor: org admin */
#define ROLE_VSTAFF		0x0008	/* vendor */
#define ROLE_REVIEWER		0x0010	/* operator */
#define ROLE_AUDITOR		0x0020	/* operator: read-only, everything */
#define ROLE_ADMIN		0x0040	/* operator: platform admin */
#define ROLE_KEY_AGENCY		0x0100	/* API key of an agency */
#define ROLE_KEY_VENDOR		0x0200	/* API key of a vendor */

#define ROLES_AGENCY		(ROLE_BUYER | ROLE_APPROVER)
#define ROLES_VENDOR		(ROLE_VADMIN | ROLE_VSTAFF)
#define ROLES_OPERATOR		(ROLE_REVIEWER | ROLE_AUDITOR | ROLE_ADMIN)
#define ROLES_USERS		(ROLES_AGENCY | ROLES_VENDOR | ROLES_OPERATOR)
#define ROLES_ORG_ADMIN		(ROLE_APPROVER | ROLE_VADMIN | ROLE_ADMIN)

/* The caller is the procurement office (reads every organisation's data). */
#define APP_IS_OPERATOR(ar)	(((ar)->who.role & ROLES_OPERATOR) != 0)

/* Route access: anyone, or a mask of roles. 0 is "unset" and refused. */
#define ACCESS_PUBLIC		0x8000
#define ACCESS_ANON_ONLY	0x4000	/* sign-in and sign-up forms */

/* API key scopes. */
#define SCOPE_READ		0x01
#define SCOPE_USAGE_WRITE	0x02
#define SCOPE_INVOICES_READ	0x04

/* Ownership rules a route adds to its role mask. */
enum own_rule {
	OWN_NONE,		/* the role is enough */
	OWN_ORG_USER,		/* :id is a user of the caller's organisation */
	OWN_ORG_KEY,		/* :id is an API key of the caller's organisation */
	OWN_AGENCY,		/* :id belongs to the caller's agency (operators read all) */
	OWN_USER,		/* :id belongs to the caller */
	OWN_PARTY		/* :id is a contract of the caller's agency or vendor */
};

/*
 * One row of the route table (routes.c). A path is matched exactly, or
 * segment by segment when it holds ":id" (a positive decimal integer that
 * lands in app_req->id). `params` names the query (or form) parameters the
 * route accepts, space separated; any other is refused with 400. `access`
 * says who may call it, `own` adds an ownership rule the handler's SQL
 * enforces with the caller's organisation, `scope` which API-key scope (if
 * any) may call it. Every state-changing request from a browser session
 * carries a CSRF token.
 */
struct route {
	const char	*path;
	int		 methods;
	int		(*handler)(struct http_request *);
	const char	*params;
	int		 api;		/* under /api/v1: always JSON; 2: the
					   handler reads the body itself */
	int		 access;
	enum own_rule	 own;
	int		 scope;
};

/* Who is asking; filled by the dispatcher before the handler runs. */
struct principal {
	int64_t		 user_id;	/* 0: anonymous or an API key */
	int64_t		 org_id;
	int64_t		 session_id;
	int64_t		 key_id;
	int		 role;		/* one ROLE_* bit, 0 when anonymous */
	int		 scopes;	/* API keys */
	char		 org_kind[16];
	char		 org_status[16];
	int64_t		 unread;	/* unread notifications (sessions) */
	char		 key_public[16];	/* an API key's id part */
	char		 session_hash[65];	/* for the CSRF token */
	char		 csrf[65];
};

extern const struct route	routes[];
extern const size_t		routes_len;

/* One asynchronous statement; see db.c. */
enum db_state {
	DB_IDLE,
	DB_SETUP,
	DB_WAIT,
	DB_FINISHED
};

struct db_call {
	enum db_state		 state;
	int			 inited;
	int			 failed;
	struct kore_pgsql	 sql;
	json_t			*rows;		/* array of row objects */
	char			 sqlstate[6];
	char			*error;
};

#define DB_OK		0
#define DB_PENDING	1
#define DB_ERROR	2

#define APP_DB_CALLS	4

/*
 * Per-request state, created by the dispatcher on the first call of a
 * request and freed by Kore with the request (also when the client goes
 * away mid-query). Handlers keep their progress in `step` and `vm`.
 */
struct app_req {
	char			 rid[33];	/* request id */
	const struct route	*route;
	int64_t			 id;		/* :id from the path */
	int			 json;		/* answer JSON, not HTML */
	const char		*lang;		/* "ko" or "en" */
	struct qs		 qs;		/* query string */
	struct qs		 form;		/* url-encoded POST body */
	json_t			*body;		/* JSON POST body */
	struct web_upload	*upload;	/* multipart POST body */
	struct principal	 who;
	int			 auth_state;
	int			 gated;		/* access and body checked */
	struct db_call		 authdb;
	struct kore_task	 task;
	int			 task_inited;
	void			*job;		/* shared with a task thread */
	void			(*job_release)(void *);
	int			 step;
	json_t			*vm;		/* the page's view model */
	struct db_call		 db[APP_DB_CALLS];
};

/* app.c */
extern struct tmpl_lib	*app_templates;
extern struct i18n	*app_strings;
extern int		 app_demo;
int		 app_init(int);
const char	*app_index_path(void);

/* web.c */
int		 app_dispatch(struct http_request *);
struct app_req	*app_req(struct http_request *);
int		 web_json(struct http_request *, int, json_t *);
int		 web_page(struct http_request *, int, const char *, json_t *);
int		 web_error(struct http_request *, enum app_err, const char *,
		    const char *);
int		 web_db_error(struct http_request *, struct db_call *);
int		 web_redirect(struct http_request *, const char *);
void		 web_headers(struct http_request *);
const char	*web_str(struct http_request *, const char *);
const char	*web_client_addr(struct http_request *, char *, size_t);
const char	*web_form(struct http_request *, const char *);
const char	*web_input(struct http_request *, const char *);
const char	*web_pick(struct http_request *, json_t *, const char *,
		    const char *);
int		 web_input_id(struct http_request *, const char *, int64_t *);
int		 web_text_ok(const char *, size_t, int);
void		 web_set_cookie(struct http_request *, const char *,
		    const char *, int);
int		 web_form_page(struct http_request *, int, const char *,
		    json_t *, enum app_err, const char *, const char *);
void		 web_log(struct http_request *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 web_param_int(struct http_request *, const char *, int64_t,
		    int64_t, int64_t, int64_t *);
void		 web_csv_cell(struct kore_buf *, const char *, int);

/* db.c */
int		 db_call(struct http_request *, struct db_call *, const char *,
		    int, const char **);
void		 db_cleanup(struct db_call *);

/* search.c */
int		 search_page(struct http_request *);
int		 search_api(struct http_request *);
int		 search_index_status(json_t **);

/* auth.c */
int		 auth_login_page(struct http_request *);
int		 auth_login(struct http_request *);
int		 auth_logout(struct http_request *);
int		 auth_logout_all(struct http_request *);
int		 auth_api_session(struct http_request *);
int		 auth_me(struct http_request *);
int		 auth_home(struct http_request *);
int		 auth_identify(struct http_request *, struct app_req *);
int		 auth_csrf_ok(struct app_req *, const char *);
const char	*auth_role_name(int);
int		 auth_role_from_name(const char *);

/* orgadmin.c */
/* PROTOTYPES:ORGADMIN */
int		 orgadmin_signup(struct http_request *);
int		 orgadmin_signup_agency_page(struct http_request *);
int		 orgadmin_signup_agency(struct http_request *);
int		 orgadmin_signup_vendor_page(struct http_request *);
int		 orgadmin_signup_vendor(struct http_request *);
int		 orgadmin_invitation_page(struct http_request *);
int		 orgadmin_invitation_accept(struct http_request *);
int		 orgadmin_users(struct http_request *);
int		 orgadmin_invite_page(struct http_request *);
int		 orgadmin_invite(struct http_request *);
int		 orgadmin_user_role(struct http_request *);
int		 orgadmin_user_deactivate(struct http_request *);
int		 orgadmin_user_unlock(struct http_request *);
int		 orgadmin_keys(struct http_request *);
int		 orgadmin_key_page(struct http_request *);
int		 orgadmin_key_create(struct http_request *);
int		 orgadmin_key_revoke(struct http_request *);

/* operator.c */
/* PROTOTYPES:OPERATOR */
int		 admin_vendors(struct http_request *);
int		 admin_vendor(struct http_request *);
int		 admin_vendor_approve(struct http_request *);
int		 admin_vendor_reject(struct http_request *);
int		 admin_vendor_suspend(struct http_request *);
int		 audit_page(struct http_request *);
int		 audit_csv(struct http_request *);

/* shortlist.c */
int		 shortlist_list(struct http_request *);
int		 shortlist_create(struct http_request *);
int		 shortlist_add_page(struct http_request *);
int		 shortlist_show(struct http_request *);
int		 shortlist_add(struct http_request *);
int		 shortlist_decide(struct http_request *);
int		 shortlist_remove(struct http_request *);
int		 shortlist_lock(struct http_request *);
int		 shortlist_csv(struct http_request *);
int		 shortlist_searches(struct http_request *);
int		 shortlist_search_save(struct http_request *);
int		 shortlist_search_delete(struct http_request *);

/* eligcheck.c */
int		 eligcheck_systems(struct http_request *);
int		 eligcheck_system_create(struct http_request *);
int		 eligcheck_system(struct http_request *);
int		 eligcheck_system_update(struct http_request *);
int		 eligcheck_new(struct http_request *);
int		 eligcheck_decide(struct http_request *);
int		 eligcheck_decision(struct http_request *);
int		 eligcheck_decisions(struct http_request *);
int		 eligcheck_justify(struct http_request *);
int		 eligcheck_rules(struct http_request *);
int		 eligcheck_rules_create(struct http_request *);
int		 eligcheck_preview(struct http_request *, struct db_call *,
		    int64_t, json_t **);
int		 eligcheck_preview_many(struct http_request *,
		    struct db_call *, const char *, json_t **);

/* quote.c */
int		 quote_list(struct http_request *);
int		 quote_new(struct http_request *);
int		 quote_create(struct http_request *);
int		 quote_show(struct http_request *);
int		 quote_step(struct http_request *);

/* contract.c */
int		 contract_list(struct http_request *);
int		 contract_new(struct http_request *);
int		 contract_create(struct http_request *);
int		 contract_show(struct http_request *);
int		 contract_step(struct http_request *);
int		 contract_amend(struct http_request *);
int		 contract_pinned(struct http_request *);
int		 contract_document(struct http_request *);
int		 contract_amend_decide(struct http_request *);
int		 contract_inbox(struct http_request *);
int		 contract_inbox_read(struct http_request *);
int		 contract_transitions(struct http_request *);
int		 contract_transition_close(struct http_request *);

/* listing.c, review.c */
/* PROTOTYPES:LISTINGS */
extern const char listing_form_params[];
extern const char review_decide_params[];
extern const char review_checklist_params[];
int		 listing_index(struct http_request *);
int		 listing_new(struct http_request *);
int		 listing_create(struct http_request *);
int		 listing_show(struct http_request *);
int		 listing_edit(struct http_request *);
int		 listing_save(struct http_request *);
int		 listing_submit(struct http_request *);
int		 listing_versions(struct http_request *);
int		 listing_diff(struct http_request *);
json_t		*listing_diff_rows(struct http_request *, json_t *, json_t *);
void		 listing_decorate_row(struct http_request *, json_t *);
int		 review_queue(struct http_request *);
int		 review_listing(struct http_request *);
int		 review_decide(struct http_request *);
int		 review_status(struct http_request *);
int		 review_checklists(struct http_request *);
int		 review_checklist_add(struct http_request *);

/* cert.c */
/* PROTOTYPES:CERTS */
int		 cert_vendor_list(struct http_request *);
int		 cert_vendor_show(struct http_request *);
int		 cert_vendor_new(struct http_request *);
int		 cert_vendor_submit(struct http_request *);
int		 cert_review_list(struct http_request *);
int		 cert_review_show(struct http_request *);
int		 cert_review_verify(struct http_request *);
int		 cert_review_reject(struct http_request *);
int		 cert_review_suspend(struct http_request *);
int		 cert_review_reinstate(struct http_request *);
int		 cert_review_revoke(struct http_request *);
int		 cert_err_status(enum app_err);
int		 doc_listing_list(struct http_request *);
int		 doc_listing_upload(struct http_request *);
int		 doc_delete(struct http_request *);
int		 doc_download(struct http_request *);
int		 web_file(struct http_request *, const char *,
		    const unsigned char **, size_t *, const char **);

/* catalog.c */
/* PROTOTYPES:PUBLIC */
int		 catalog_service_print(struct http_request *);
int		 catalog_vendors(struct http_request *);
int		 catalog_vendor(struct http_request *);
int		 catalog_compare(struct http_request *);
void		 catalog_card_signals(struct http_request *, json_t *,
		    json_t *);
int		 catalog_service(struct http_request *);

/* PROTOTYPES:SEARCH */
int		 shortlist_xlsx(struct http_request *);

/* PROTOTYPES:USAGE */
/* usage.c */
int		 usage_init(void);
int		 usage_marketplace_keys(struct http_request *);
int		 usage_ingest(struct http_request *);
int		 usage_availability_api(struct http_request *);
int		 usage_availability_form(struct http_request *);
int		 usage_vendor(struct http_request *);
int		 usage_batch(struct http_request *);
int		 usage_upload_page(struct http_request *);
int		 usage_upload(struct http_request *);
int		 usage_keys(struct http_request *);
int		 usage_key_register(struct http_request *);
int		 usage_key_revoke(struct http_request *);
int		 usage_contract(struct http_request *);

/* PROTOTYPES:INVOICE */
/* invoice.c */
int		 invoice_list(struct http_request *);
int		 invoice_show(struct http_request *);
int		 invoice_review(struct http_request *);
int		 invoice_answer(struct http_request *);
int		 invoice_payment(struct http_request *);
int		 invoice_credit_note(struct http_request *);
int		 invoice_dashboard(struct http_request *);

/* PROTOTYPES:EVIDENCE */
/* evidence.c */
int		 evidence_json(struct http_request *);
int		 evidence_pdf(struct http_request *);

/* PROTOTYPES:REPORTS */
/* report.c */
int		 report_index(struct http_request *);
int		 report_spend(struct http_request *);
int		 report_spend_csv(struct http_request *);
int		 report_sme(struct http_request *);
int		 report_sme_csv(struct http_request *);
int		 report_contracts(struct http_request *);
int		 report_contracts_csv(struct http_request *);
int		 report_ceilings(struct http_request *);
int		 report_ceilings_csv(struct http_request *);
int		 report_certificates(struct http_request *);
int		 report_certificates_csv(struct http_request *);
int		 report_catalog(struct http_request *);
int		 report_catalog_csv(struct http_request *);
int		 report_vendor_stats(struct http_request *);
int		 report_vendor_stats_csv(struct http_request *);
int		 report_transparency(struct http_request *);
int		 report_transparency_json(struct http_request *);
int		 report_transparency_csv(struct http_request *);
int		 report_usage_certificate(struct http_request *);

/* pdfjob.c: a PDF rendered in a Kore task (contract, invoice, certificate) */
#define PDFJOB_FONT	"/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
typedef int	(*pdfjob_render_fn)(const json_t *, const char *,
		    unsigned char **, size_t *, char *, size_t);
int		 pdfjob_start(struct http_request *, json_t *,
		    pdfjob_render_fn);
int		 pdfjob_finish(struct http_request *, const char *,
		    const char *);

/* health.c */
int		 health_check(struct http_request *);

/* static.c */
int		 static_load(const char *);
int		 static_serve(struct http_request *);
int		 lang_switch(struct http_request *);

#endif
