/*
 * Certificates: vendors submit them, reviewers decide them.
 *
 * A vendor (vendor_admin or vendor_staff) submits a certificate for one of
 * its listings, or for the whole company where the scheme allows it (ISO/IEC
 * 27001), with its evidence PDF, as one multipart form; it is pending until
 * a reviewer decides. Every field is checked here with a 400 naming it;
 * what needs the database (the listing is the vendor's, the CSAP type fits
 * its service type) is checked by certificate_submit() in the same
 * statement that stores the file, the certificate, its first history row
 * and the audit event (sql/0008_certificates.sql). Vendors see their
 * certificates with the status each effectively has today and the history
 * with the reviewers' reasons.
 *
 * Reviewers and platform admins open /review/certificates/:id and verify
 * (pending → valid), reject (pending → revoked), suspend (valid →
 * suspended), reinstate (suspended → valid) or revoke (valid or suspended
 * → revoked); every decision but verify needs a reason. Each decision is
 * one call of certificate_decide(), which changes the status only from the
 * states the decision starts from (else 409), never for an imported
 * certificate (its status follows its source) and never verifies one whose
 * expiry date has passed, and writes the history row and the audit event
 * in the same transaction. Auditors see the same page without the forms.
 *
 * Expiry is not decided here: `gureumctl expire-certificates` (ctl_expire.c)
 * does it, and pages show certificate_effective(), so a certificate past
 * its date never shows as valid even before the job has run.
 */

#include <sodium.h>
#include <time.h>

#include "gureum.h"
#include "upload.h"

#define CERT_REASON_MAX		1000	/* characters */
#define CERT_NUMBER_MAX		100
#define CERT_ISSUER_MAX		200
#define CERT_LIST_MAX		200
#define KST			"'Asia/Seoul'"

/* A certificate's columns as every page shows them. */
#define CERT_COLS \
	"c.id, c.vendor_id, c.listing_id, c.scheme, c.csap_type, c.grade," \
	" c.fedramp_impact, c.number, c.issuer, c.issue_date::text" \
	" AS issue_date, c.expiry_date::text AS expiry_date, c.status," \
	" certificate_effective(c) AS effective," \
	" (c.expiry_date - kst_today())::int AS days_left," \
	" c.external_ref IS NOT NULL AS imported," \
	" c.evidence_document_id, d.filename AS evidence_filename," \
	" d.size_bytes AS evidence_size, d.sha256 AS evidence_sha256," \
	" l.name_ko AS listing_name_ko, l.name_en AS listing_name_en," \
	" l.service_type AS listing_type," \
	" o.name_ko AS vendor_name_ko, o.name_en AS vendor_name_en," \
	" to_char(c.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS submitted_at," \
	" floor(extract(epoch FROM now() - c.created_at))::bigint" \
	" AS waited_seconds"

#define CERT_FROM \
	" FROM certificates c JOIN organisations o ON o.id = c.vendor_id" \
	" LEFT JOIN listings l ON l.id = c.listing_id" \
	" LEFT JOIN documents d ON d.id = c.evidence_document_id"

enum cert_sql {
	SQL_VENDOR_LIST,
	SQL_VENDOR_ONE,
	SQL_REVIEW_ONE,
	SQL_HISTORY,
	SQL_LISTINGS,
	SQL_SUBMIT,
	SQL_DECIDE,
	SQL_REVIEW_LIST,
	SQL__MAX
};

static const char *const cert_sql[SQL__MAX] = {
	/* SQL_VENDOR_LIST: $1 vendor; with the latest history row */
	"SELECT " CERT_COLS ", ev.reason AS last_reason,"
	" to_char(ev.at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS last_at" CERT_FROM
	" LEFT JOIN LATERAL (SELECT e.reason, e.at FROM certificate_events e"
	"  WHERE e.certificate_id = c.id ORDER BY e.id DESC LIMIT 1) ev"
	"  ON true"
	" WHERE c.vendor_id = $1 ORDER BY c.id DESC LIMIT 200",
	/* SQL_VENDOR_ONE: $1 id, $2 vendor */
	"SELECT " CERT_COLS CERT_FROM " WHERE c.id = $1 AND c.vendor_id = $2",
	/* SQL_REVIEW_ONE: $1 id */
	"SELECT " CERT_COLS CERT_FROM " WHERE c.id = $1",
	/*
	 * SQL_HISTORY: $1 id. actor_kind tells a vendor that the procurement
	 * office decided (operators also see the e-mail).
	 */
	"SELECT e.id, to_char(e.at AT TIME ZONE " KST ","
	" 'YYYY-MM-DD HH24:MI:SS') AS at_kst, e.from_status, e.to_status,"
	" e.reason, u.email AS actor_email, u.name AS actor_name,"
	" ao.kind AS actor_kind"
	" FROM certificate_events e LEFT JOIN users u ON u.id = e.actor_id"
	" LEFT JOIN organisations ao ON ao.id = u.org_id"
	" WHERE e.certificate_id = $1 ORDER BY e.id DESC LIMIT 100",
	/* SQL_LISTINGS: $1 vendor: what a certificate may name */
	"SELECT id, name_ko, name_en, service_type, status FROM listings"
	" WHERE vendor_id = $1 ORDER BY id",
	/*
	 * SQL_SUBMIT: $1 vendor, $2 actor, $3 listing (NULL), $4 scheme,
	 * $5 csap_type, $6 grade, $7 number, $8 issuer, $9 issue date,
	 * $10 expiry date, $11 file name, $12 hex of the PDF, $13 request
	 * id, $14 client address.
	 */
	"SELECT result, id FROM certificate_submit($1, $2, $3, $4, $5, $6,"
	" $7, $8, $9::date, $10::date, $11, $12, $13, $14)",
	/*
	 * SQL_DECIDE: $1 id, $2 from states (text[]), $3 to, $4 action,
	 * $5 reason, $6 actor, $7 organisation, $8 request id, $9 address.
	 */
	"SELECT id, was, status, event_id FROM certificate_decide($1,"
	" $2::text[], $3, $4, $5, $6, $7, $8, $9)",
	/* SQL_REVIEW_LIST: $1 status; oldest first */
	"SELECT " CERT_COLS CERT_FROM
	" WHERE c.external_ref IS NULL AND ($1 = 'all' OR"
	"  certificate_effective(c) = $1)"
	" ORDER BY c.created_at, c.id LIMIT 200",
};

/* Schemes a vendor may submit, and whether a company-wide one may be. */
static const struct {
	const char	*scheme;
	int		 company_wide;
} cert_schemes[] = {
	{ "csap", 0 },
	{ "quality", 0 },
	{ "iso27001", 1 },
	{ "gs", 0 },
	{ "cc", 0 },
};

#define NSCHEMES	(sizeof(cert_schemes) / sizeof(cert_schemes[0]))

static const char *const csap_types[] = {
	"iaas", "saas_standard", "saas_simple", "daas"
};
static const char *const grades[] = { "high", "medium", "low" };
static const char *const scheme_values[] = {
	"csap", "quality", "iso27001", "gs", "cc"
};
static const char *const statuses[] = {
	"pending", "valid", "expired", "suspended", "revoked"
};

enum cert_decision {
	DEC_VERIFY,
	DEC_REJECT,
	DEC_SUSPEND,
	DEC_REINSTATE,
	DEC_REVOKE,
	DEC__MAX
};

static const struct {
	const char	*verb;		/* in the path and ?done= */
	const char	*from;		/* text[] literal */
	const char	*to;
	const char	*action;	/* audit action */
	int		 reason_required;
	const char	*flag;		/* view-model flag that shows its form */
	const char	*field;		/* its reason's input id (HTML errors) */
} decisions[DEC__MAX] = {
	{ "verify", "{pending}", "valid", "certificate_verified", 0,
	    "can_verify", "reason-verify" },
	{ "reject", "{pending}", "revoked", "certificate_rejected", 1,
	    "can_reject", "reason-reject" },
	{ "suspend", "{valid}", "suspended", "certificate_suspended", 1,
	    "can_suspend", "reason-suspend" },
	{ "reinstate", "{suspended}", "valid", "certificate_reinstated", 1,
	    "can_reinstate", "reason-reinstate" },
	{ "revoke", "{valid,suspended}", "revoked", "certificate_revoked", 1,
	    "can_revoke", "reason-revoke" },
};

/* The fields of the submission form, in the order errors are reported. */
static const char *const form_fields[] = {
	"listing_id", "scheme", "csap_type", "grade", "number", "issuer",
	"issue_date", "expiry_date"
};

#define NFIELDS		(sizeof(form_fields) / sizeof(form_fields[0]))

static int	 cert_decide(struct http_request *, enum cert_decision);
static int	 cert_review_render(struct http_request *, int, enum app_err,
		    const char *, const char *);
static int	 cert_form_render(struct http_request *, int, enum app_err,
		    const char *, const char *);
static void	 cert_decorate(struct http_request *, json_t *);
static void	 cert_history_decorate(struct http_request *, json_t *, int);
static const char *cert_reason(struct http_request *, char *, size_t,
		    enum app_err *);
static int	 cert_text(const char *, size_t, char *, size_t);
static int	 cert_date(const char *);
static void	 cert_today(char *, size_t);
static int	 in_list(const char *, const char *const *, size_t);
static json_t	*cert_select(struct http_request *, const char *,
		    const char *const *, size_t, const char *, const char *);
static char	*cert_waited(struct http_request *, int64_t);

/*
 * GET /vendor/certificates and /api/v1/vendor/certificates: the caller's
 * organisation's certificates, newest first, with the status each has
 * today and the latest history row (the reason of a decision).
 */
int
cert_vendor_list(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1], *done;
	char		 org[24], key[64];
	json_t		*vm, *row;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	rc = db_call(req, &ar->db[0], cert_sql[SQL_VENDOR_LIST], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		cert_decorate(req, row);
	vm = json_pack("{s:s, s:O}", "title",
	    web_str(req, "cert.vendor_title"), "certificates", ar->db[0].rows);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	if ((done = qs_get(&ar->qs, "done")) != NULL &&
	    strcmp(done, "submitted") == 0) {
		(void)snprintf(key, sizeof(key), "cert.done.%s", done);
		json_object_set_new(vm, "done_notice",
		    json_string(web_str(req, key)));
	}
	json_object_set_new(vm, "can_submit",
	    json_boolean(ar->who.user_id != 0));
	return (web_page(req, 200, "cert_list", vm));
}

/*
 * GET /vendor/certificates/:id and /api/v1/vendor/certificates/:id: one
 * certificate of the caller's organisation with its whole history. 404
 * for another organisation's.
 */
int
cert_vendor_show(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[2];
	char		 id[24], org[24];
	json_t		*vm, *cert, *body;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	rc = db_call(req, &ar->db[0], cert_sql[SQL_VENDOR_ONE], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((cert = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], cert_sql[SQL_HISTORY], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	cert_decorate(req, cert);
	cert_history_decorate(req, ar->db[1].rows, 0);
	if (ar->json) {
		if ((body = json_pack("{s:O, s:O}", "certificate", cert,
		    "history", ar->db[1].rows)) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_json(req, 200, body);
		json_decref(body);
		return (KORE_RESULT_OK);
	}
	vm = json_pack("{s:s, s:O, s:O}", "title",
	    json_string_value(json_object_get(cert, "title")),
	    "certificate", cert, "history", ar->db[1].rows);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "cert_show", vm));
}

/* GET /vendor/certificates/new: the submission form. */
int
cert_vendor_new(struct http_request *req)
{
	return (cert_form_render(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /vendor/certificates and /api/v1/vendor/certificates (multipart):
 * a new certificate, pending, with its evidence PDF. Answers 400 naming
 * the first bad field, 413 for an evidence file over 3 MiB, 415 for one
 * that is not a PDF by its content, 422 listing_id for a listing that is
 * not the caller's, 409 number for a certificate already submitted (pending,
 * valid or suspended); else 303 to the list or 201 {id, status}.
 */
int
cert_vendor_submit(struct http_request *req)
{
	struct app_req		*ar;
	const unsigned char	*data;
	const char		*v[NFIELDS], *fname, *params[14], *key, *res;
	const char		*field;
	char			 clean[NFIELDS][CERT_ISSUER_MAX * 4 + 1];
	char			 safe[200], today[16], org[24], uid[24];
	char			 addr[64], *hex;
	size_t			 i, len;
	enum app_err		 err;
	enum pdf_err		 pe;
	json_t			*row;
	int64_t			 lid;
	int			 rc, si, csap;

	ar = app_req(req);
	if (ar->step == 1)
		return (cert_form_render(req, 0, APP_OK, NULL, NULL));

	err = APP_OK;
	field = NULL;
	key = NULL;
	for (i = 0; i < NFIELDS; i++) {
		v[i] = web_form(req, form_fields[i]);
		if (v[i] == NULL)
			v[i] = "";
		if (err == APP_OK && cert_text(v[i], i == 5 ?
		    CERT_ISSUER_MAX : CERT_NUMBER_MAX, clean[i],
		    sizeof(clean[i])) == -1) {
			err = APP_EINVAL;
			field = form_fields[i];
			key = "cert.error.text";
		}
		if (err != APP_OK)
			clean[i][0] = '\0';
		v[i] = clean[i];
	}
	cert_today(today, sizeof(today));
	si = -1;
	for (i = 0; i < NSCHEMES; i++) {
		if (strcmp(cert_schemes[i].scheme, v[1]) == 0)
			si = (int)i;
	}
	csap = si == 0;
	lid = 0;
	if (err != APP_OK) {
		/* the text check above named the field */
	} else if (si == -1) {
		err = APP_EINVAL;
		field = "scheme";
		key = strcmp(v[1], "fedramp") == 0 ?
		    "cert.error.fedramp" : "cert.error.scheme";
	} else if (v[0][0] == '\0' && !cert_schemes[si].company_wide) {
		err = APP_EINVAL;
		field = "listing_id";
		key = "cert.error.listing_required";
	} else if (v[0][0] != '\0' && ((lid = strtoll(v[0], NULL, 10)) <= 0 ||
	    strspn(v[0], "0123456789") != strlen(v[0]) ||
	    strlen(v[0]) > 18)) {
		err = APP_EINVAL;
		field = "listing_id";
		key = "cert.error.listing_required";
	} else if (csap && !in_list(v[2], csap_types, 4)) {
		err = APP_EINVAL;
		field = "csap_type";
		key = "cert.error.csap_type";
	} else if (!csap && v[2][0] != '\0') {
		err = APP_EINVAL;
		field = "csap_type";
		key = "cert.error.csap_only";
	} else if (csap && !in_list(v[3], grades, 3)) {
		err = APP_EINVAL;
		field = "grade";
		key = "cert.error.grade";
	} else if (!csap && v[3][0] != '\0') {
		err = APP_EINVAL;
		field = "grade";
		key = "cert.error.grade_only_csap";
	} else if (v[4][0] == '\0') {
		err = APP_EINVAL;
		field = "number";
		key = "cert.error.number";
	} else if (v[5][0] == '\0') {
		err = APP_EINVAL;
		field = "issuer";
		key = "cert.error.issuer";
	} else if (!cert_date(v[6])) {
		err = APP_EINVAL;
		field = "issue_date";
		key = "cert.error.date";
	} else if (strcmp(v[6], today) > 0) {
		err = APP_EINVAL;
		field = "issue_date";
		key = "cert.error.issue_future";
	} else if (!cert_date(v[7])) {
		err = APP_EINVAL;
		field = "expiry_date";
		key = "cert.error.date";
	} else if (strcmp(v[7], v[6]) < 0) {
		err = APP_EINVAL;
		field = "expiry_date";
		key = "cert.error.expiry_before_issue";
	} else if (strcmp(v[7], today) < 0) {
		err = APP_EINVAL;
		field = "expiry_date";
		key = "cert.error.expired";
	} else if (!web_file(req, "evidence", &data, &len, &fname)) {
		err = APP_EINVAL;
		field = "evidence";
		key = "doc.error.file_required";
	} else if (len > UPLOAD_MAX) {
		err = APP_ETOOLARGE;
		field = "evidence";
		key = "doc.error.too_large";
	} else if ((pe = pdf_check(data, len)) != PDF_OK) {
		err = pe == PDF_EEMPTY ? APP_EINVAL : APP_EUNSUPPORTED;
		field = "evidence";
		key = pe == PDF_EEMPTY ? "doc.error.empty" :
		    pe == PDF_ENOTPDF ? "doc.error.not_pdf" :
		    "doc.error.broken_pdf";
	}
	if (err != APP_OK) {
		if (ar->json)
			return (web_error(req, err, field, key));
		ar->step = 1;
		return (cert_form_render(req, cert_err_status(err), err,
		    field, key));
	}

	filename_safe(fname, safe, sizeof(safe));
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	params[0] = org;
	params[1] = uid;
	params[2] = v[0][0] != '\0' ? v[0] : NULL;
	params[3] = v[1];
	params[4] = csap ? v[2] : NULL;
	params[5] = csap ? v[3] : NULL;
	params[6] = v[4];
	params[7] = v[5];
	params[8] = v[6];
	params[9] = v[7];
	params[10] = safe;
	params[12] = ar->rid;
	params[13] = web_client_addr(req, addr, sizeof(addr));
	/* The file goes as hex text; only built while it will be sent. */
	hex = NULL;
	if (ar->db[0].state == DB_IDLE || ar->db[0].state == DB_SETUP) {
		hex = kore_malloc(len * 2 + 1);
		sodium_bin2hex(hex, len * 2 + 1, data, len);
	}
	params[11] = hex != NULL ? hex : "";
	rc = db_call(req, &ar->db[0], cert_sql[SQL_SUBMIT], 14, params);
	kore_free(hex);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	res = json_string_value(json_object_get(row, "result"));
	if (res == NULL || strcmp(res, "ok") != 0) {
		if (res != NULL && strcmp(res, "type_mismatch") == 0) {
			err = APP_EINVAL;
			field = "csap_type";
			key = "cert.error.type_mismatch";
		} else if (res != NULL && strcmp(res, "duplicate") == 0) {
			err = APP_ECONFLICT;
			field = "number";
			key = "cert.error.duplicate";
		} else {
			err = APP_EREFERENCE;
			field = "listing_id";
			key = "cert.error.listing_not_yours";
		}
		if (ar->json)
			return (web_error(req, err, field, key));
		ar->step = 1;
		return (cert_form_render(req, cert_err_status(err), err, field,
		    key));
	}
	web_log(req, "certificate %lld submitted by user %s",
	    (long long)json_integer_value(json_object_get(row, "id")), uid);
	if (ar->json) {
		json_object_del(row, "result");
		json_object_set_new(row, "status", json_string("pending"));
		return (web_json(req, 201, row));
	}
	return (web_redirect(req, "/vendor/certificates?done=submitted"));
}

/*
 * GET /review/certificates and /api/v1/review/certificates (?status):
 * certificates submitted in Gureum in one effective status (pending by
 * default; "all"), oldest first with the time each has waited.
 */
int
cert_review_list(struct http_request *req)
{
	struct app_req	*ar;
	const char	*status, *params[1];
	char		 key[64], url[96];
	const char	*s;
	json_t		*vm, *row, *tabs;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	status = qs_get(&ar->qs, "status");
	if (status == NULL || *status == '\0')
		status = "pending";
	if (strcmp(status, "all") != 0 && !in_list(status, statuses, 5))
		return (web_error(req, APP_EINVAL, "status", NULL));
	params[0] = status;
	rc = db_call(req, &ar->db[0], cert_sql[SQL_REVIEW_LIST], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		cert_decorate(req, row);
	tabs = json_array();
	for (i = 0; i <= 5; i++) {
		s = i < 5 ? statuses[i] : "all";
		(void)snprintf(key, sizeof(key), "cert.status.%s", s);
		(void)snprintf(url, sizeof(url),
		    "/review/certificates?status=%s", s);
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:s, s:b}",
		    "status", s, "label", web_str(req, key), "url", url,
		    "current", strcmp(s, status) == 0));
	}
	(void)snprintf(key, sizeof(key), "cert.status.%s", status);
	vm = json_pack("{s:s, s:s, s:s, s:O, s:o}", "title",
	    web_str(req, "cert.review_list_title"), "status", status,
	    "status_label", web_str(req, key), "certificates",
	    ar->db[0].rows, "tabs", tabs);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "cert_review_list", vm));
}

/*
 * GET /review/certificates/:id and /api/v1/review/certificates/:id: the
 * certificate, its evidence, its history and, for reviewers, the
 * decisions its status allows. 404 if there is no such certificate.
 */
int
cert_review_show(struct http_request *req)
{
	return (cert_review_render(req, 200, APP_OK, NULL, NULL));
}

/* POST /review/certificates/:id/verify: pending → valid. */
int
cert_review_verify(struct http_request *req)
{
	return (cert_decide(req, DEC_VERIFY));
}

/* POST /review/certificates/:id/reject: pending → revoked; reason. */
int
cert_review_reject(struct http_request *req)
{
	return (cert_decide(req, DEC_REJECT));
}

/* POST /review/certificates/:id/suspend: valid → suspended; reason. */
int
cert_review_suspend(struct http_request *req)
{
	return (cert_decide(req, DEC_SUSPEND));
}

/* POST /review/certificates/:id/reinstate: suspended → valid; reason. */
int
cert_review_reinstate(struct http_request *req)
{
	return (cert_decide(req, DEC_REINSTATE));
}

/* POST /review/certificates/:id/revoke: valid, suspended → revoked. */
int
cert_review_revoke(struct http_request *req)
{
	return (cert_decide(req, DEC_REVOKE));
}

/*
 * One decision: 0 check the reason; 1 the statement; 2 a browser's error
 * page (the certificate again with the message and the reason typed).
 * Answers 400 (reason missing or too long), 404, 409 (wrong state,
 * imported, expired), else 303 to the page or 200 {id, was, status,
 * event_id}.
 */
static int
cert_decide(struct http_request *req, enum cert_decision d)
{
	struct app_req	*ar;
	enum app_err	 err;
	const char	*reason, *params[9], *key, *was;
	char		 rbuf[CERT_REASON_MAX * 4 + 1], id[24], uid[24];
	char		 oid[24], addr[64], url[128];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 2)
		return (cert_review_render(req, 0, APP_OK, NULL, NULL));

	reason = cert_reason(req, rbuf, sizeof(rbuf), &err);
	key = err == APP_ETOOLONG ? "cert.error.reason_long" : NULL;
	if (err == APP_OK && decisions[d].reason_required && *reason == '\0') {
		err = APP_EINVAL;
		key = "cert.error.reason_required";
	}
	if (err != APP_OK) {
		if (ar->json)
			return (web_error(req, err, "reason", key));
		ar->step = 2;
		return (cert_review_render(req, 400, err, decisions[d].field,
		    key));
	}

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	(void)snprintf(oid, sizeof(oid), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = decisions[d].from;
	params[2] = decisions[d].to;
	params[3] = decisions[d].action;
	params[4] = reason;
	params[5] = uid;
	params[6] = oid;
	params[7] = ar->rid;
	params[8] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], cert_sql[SQL_DECIDE], 9, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (json_is_null(json_object_get(row, "status"))) {
		was = json_string_value(json_object_get(row, "was"));
		web_log(req, "certificate %s: %s refused (%s)", id,
		    decisions[d].verb, was != NULL ? was : "?");
		key = was != NULL && strcmp(was, "imported") == 0 ?
		    "cert.error.imported" : was != NULL &&
		    strcmp(was, "expired") == 0 && d == DEC_VERIFY ?
		    "cert.error.verify_expired" : "cert.error.state";
		if (ar->json)
			return (web_error(req, APP_ECONFLICT, NULL, key));
		ar->step = 2;
		return (cert_review_render(req, 409, APP_ECONFLICT, NULL, key));
	}
	web_log(req, "certificate %s: %s by user %s", id, decisions[d].to,
	    uid);
	if (ar->json)
		return (web_json(req, 200, row));
	(void)snprintf(url, sizeof(url), "/review/certificates/%s?done=%s",
	    id, decisions[d].verb);
	return (web_redirect(req, url));
}

/*
 * The reviewer's page, also after a refused decision (err): the
 * certificate, history and the forms its status allows.
 */
static int
cert_review_render(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[1], *done, *typed, *st;
	char		 id[24], dkey[64];
	json_t		*vm, *cert, *body;
	size_t		 i;
	int		 rc, decide, any, ok;

	ar = app_req(req);
	if (ar->vm == NULL) {
		ar->vm = json_pack("{s:i, s:i, s:s?, s:s?}", "_status",
		    status != 0 ? status : 200, "_err", (int)err,
		    "_field", field, "_key", key);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	vm = ar->vm;
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	rc = db_call(req, &ar->db[1], cert_sql[SQL_REVIEW_ONE], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	if ((cert = json_array_get(ar->db[1].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[2], cert_sql[SQL_HISTORY], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));

	status = (int)json_integer_value(json_object_get(vm, "_status"));
	err = (enum app_err)json_integer_value(json_object_get(vm, "_err"));
	field = json_string_value(json_object_get(vm, "_field"));
	key = json_string_value(json_object_get(vm, "_key"));

	cert_decorate(req, cert);
	cert_history_decorate(req, ar->db[2].rows, 1);
	decide = (ar->who.role & (ROLE_REVIEWER | ROLE_ADMIN)) != 0 &&
	    !json_is_true(json_object_get(cert, "imported"));
	st = json_string_value(json_object_get(cert, "status"));
	any = 0;
	for (i = 0; i < DEC__MAX; i++) {
		ok = decide && st != NULL &&
		    strstr(decisions[i].from, st) != NULL;
		if (i == DEC_VERIFY && json_object_get(cert, "effective") &&
		    strcmp(json_string_value(json_object_get(cert,
		    "effective")), "pending") != 0)
			ok = 0;
		json_object_set_new(vm, decisions[i].flag, json_boolean(ok));
		any |= ok;
	}
	json_object_set_new(vm, "can_decide", json_boolean(decide));
	json_object_set_new(vm, "no_decision", json_boolean(decide && !any));
	json_object_set_new(vm, "read_only", json_boolean(
	    (ar->who.role & (ROLE_REVIEWER | ROLE_ADMIN)) == 0));
	json_object_set_new(vm, "title", json_string(json_string_value(
	    json_object_get(cert, "title"))));
	json_object_set(vm, "certificate", cert);
	json_object_set(vm, "history", ar->db[2].rows);
	(void)snprintf(dkey, sizeof(dkey), "/audit?object=certificate%%3A%s",
	    id);
	json_object_set_new(vm, "audit_url", json_string(dkey));
	if ((done = qs_get(&ar->qs, "done")) != NULL) {
		for (i = 0; i < DEC__MAX; i++) {
			if (strcmp(decisions[i].verb, done) != 0)
				continue;
			(void)snprintf(dkey, sizeof(dkey), "cert.done.%s",
			    done);
			json_object_set_new(vm, "done_notice",
			    json_string(web_str(req, dkey)));
		}
	}
	if ((typed = web_form(req, "reason")) != NULL)
		json_object_set_new(vm, "reason", json_string(typed));
	/* The form whose reason was refused shows the error. */
	for (i = 0; field != NULL && i < DEC__MAX; i++) {
		if (strcmp(field, decisions[i].field) == 0) {
			(void)snprintf(dkey, sizeof(dkey), "err_%s",
			    decisions[i].verb);
			json_object_set_new(vm, dkey, json_true());
		}
	}

	if (ar->json && err == APP_OK) {
		if ((body = json_pack("{s:O, s:O}", "certificate", cert,
		    "history", ar->db[2].rows)) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_json(req, 200, body);
		json_decref(body);
		return (KORE_RESULT_OK);
	}
	return (web_form_page(req, status, "cert_review", vm, err, field,
	    key));
}

/*
 * The submission form, also after a refused submission (err): the
 * vendor's listings to choose from and the input as typed.
 */
static int
cert_form_render(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[1], *s, *lang;
	char		 org[24], k[64], idbuf[24];
	json_t		*vm, *input, *opts, *row;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	if (ar->vm == NULL) {
		ar->vm = json_pack("{s:i, s:i, s:s?, s:s?}", "_status",
		    status != 0 ? status : 200, "_err", (int)err,
		    "_field", field, "_key", key);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	vm = ar->vm;
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	rc = db_call(req, &ar->db[1], cert_sql[SQL_LISTINGS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	status = (int)json_integer_value(json_object_get(vm, "_status"));
	err = (enum app_err)json_integer_value(json_object_get(vm, "_err"));
	field = json_string_value(json_object_get(vm, "_field"));
	key = json_string_value(json_object_get(vm, "_key"));

	input = json_object();
	for (i = 0; i < NFIELDS; i++) {
		s = web_form(req, form_fields[i]);
		json_object_set_new(input, form_fields[i],
		    json_string(s != NULL && utf8_valid(s, strlen(s)) ? s : ""));
	}
	/* ?listing= preselects (a link from the listing's pages). */
	if ((s = qs_get(&ar->qs, "listing")) != NULL &&
	    web_form(req, "listing_id") == NULL)
		json_object_set_new(input, "listing_id", json_string(s));

	lang = ar->lang;
	opts = json_array();
	json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "",
	    "label", web_str(req, "cert.company_wide"), "selected",
	    json_string_value(json_object_get(input, "listing_id"))[0] ==
	    '\0'));
	json_array_foreach(ar->db[1].rows, i, row) {
		(void)snprintf(idbuf, sizeof(idbuf), "%lld", (long long)
		    json_integer_value(json_object_get(row, "id")));
		(void)snprintf(k, sizeof(k), "cert.listing_type.%s",
		    json_string_value(json_object_get(row, "service_type")));
		json_array_append_new(opts, json_pack("{s:s, s:s++, s:b}",
		    "value", idbuf, "label", json_string_value(
		    json_object_get(row, strcmp(lang, "en") == 0 ?
		    "name_en" : "name_ko")), " · ", web_str(req, k),
		    "selected", strcmp(idbuf, json_string_value(
		    json_object_get(input, "listing_id"))) == 0));
	}
	json_object_set_new(vm, "listing_options", opts);
	json_object_set_new(vm, "scheme_options", cert_select(req,
	    "cert.scheme.", scheme_values, NSCHEMES, json_string_value(
	    json_object_get(input, "scheme")), "cert.choose"));
	json_object_set_new(vm, "csap_type_options", cert_select(req,
	    "cert.csap_type.", csap_types, 4, json_string_value(
	    json_object_get(input, "csap_type")), "cert.none"));
	json_object_set_new(vm, "grade_options", cert_select(req,
	    "cert.grade.", grades, 3, json_string_value(
	    json_object_get(input, "grade")), "cert.none"));
	json_object_set_new(vm, "input", input);
	json_object_set_new(vm, "title",
	    json_string(web_str(req, "cert.new_title")));
	if (ar->json && err == APP_OK) {
		if ((row = json_pack("{s:O}", "listings", ar->db[1].rows)) ==
		    NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_json(req, 200, row);
		json_decref(row);
		return (KORE_RESULT_OK);
	}
	if (field != NULL) {
		(void)snprintf(k, sizeof(k), "err_%s", field);
		json_object_set_new(vm, k, json_true());
	}
	return (web_form_page(req, status, "cert_new", vm, err, field, key));
}

/* Options of a <select>: value, label (prefix + value), selected. */
static json_t *
cert_select(struct http_request *req, const char *prefix,
    const char *const *values, size_t n, const char *cur, const char *none)
{
	json_t	*a;
	char	 key[64];
	size_t	 i;

	a = json_array();
	if (none != NULL)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value",
		    "", "label", web_str(req, none), "selected",
		    cur == NULL || *cur == '\0'));
	for (i = 0; i < n; i++) {
		(void)snprintf(key, sizeof(key), "%s%s", prefix, values[i]);
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value",
		    values[i], "label", web_str(req, key), "selected",
		    cur != NULL && strcmp(cur, values[i]) == 0));
	}
	return (a);
}

/*
 * The labels a certificate row is shown with: scheme, type, grade and
 * status in the request's language, the tag class of the effective
 * status, the listing's name, a title, the time it waited.
 */
static void
cert_decorate(struct http_request *req, json_t *row)
{
	struct app_req	*ar;
	struct kore_buf	 b;
	const char	*s, *eff, *name;
	char		 key[64], title[400], days[24], *w;

	ar = app_req(req);
	s = json_string_value(json_object_get(row, "scheme"));
	(void)snprintf(key, sizeof(key), "cert.scheme.%s", s ? s : "");
	json_object_set_new(row, "scheme_label", json_string(web_str(req,
	    key)));
	json_object_set_new(row, "is_csap", json_boolean(s != NULL &&
	    strcmp(s, "csap") == 0));
	if ((s = json_string_value(json_object_get(row, "csap_type"))) !=
	    NULL) {
		(void)snprintf(key, sizeof(key), "cert.csap_type.%s", s);
		json_object_set_new(row, "csap_type_label",
		    json_string(web_str(req, key)));
	}
	if ((s = json_string_value(json_object_get(row, "grade"))) != NULL) {
		(void)snprintf(key, sizeof(key), "cert.grade.%s", s);
		json_object_set_new(row, "grade_label",
		    json_string(web_str(req, key)));
	}
	if ((s = json_string_value(json_object_get(row, "fedramp_impact"))) !=
	    NULL) {
		(void)snprintf(key, sizeof(key), "cert.impact.%s", s);
		json_object_set_new(row, "impact_label",
		    json_string(web_str(req, key)));
	}
	eff = json_string_value(json_object_get(row, "effective"));
	if (eff != NULL) {
		(void)snprintf(key, sizeof(key), "cert.status.%s", eff);
		json_object_set_new(row, "status_label",
		    json_string(web_str(req, key)));
		if (strcmp(eff, "valid") == 0 && json_is_integer(
		    json_object_get(row, "days_left")) && json_integer_value(
		    json_object_get(row, "days_left")) <= 90) {
			(void)snprintf(days, sizeof(days), "%lld",
			    (long long)json_integer_value(json_object_get(row,
			    "days_left")));
			kore_buf_init(&b, 64);
			kore_buf_appendf(&b, "%s", web_str(req,
			    "cert.expiring_soon"));
			kore_buf_replace_string(&b, "{n}", days, strlen(days));
			json_object_set_new(row, "expiring_soon", json_stringn(
			    (const char *)b.data, b.offset));
			kore_buf_cleanup(&b);
		}
		json_object_set_new(row, "renewable", json_boolean(
		    strcmp(eff, "expired") == 0 || strcmp(eff, "revoked") == 0));
		json_object_set_new(row, "status_tag", json_string(
		    strcmp(eff, "valid") == 0 ? "tag--valid" :
		    strcmp(eff, "pending") == 0 ? "tag--warning" :
		    strcmp(eff, "expired") == 0 ? "tag--expired" :
		    "tag--revoked"));
	}
	name = json_string_value(json_object_get(row, strcmp(ar->lang,
	    "en") == 0 ? "listing_name_en" : "listing_name_ko"));
	json_object_set_new(row, "listing_name", json_string(name != NULL ?
	    name : web_str(req, "cert.company_wide")));
	name = json_string_value(json_object_get(row, strcmp(ar->lang,
	    "en") == 0 ? "vendor_name_en" : "vendor_name_ko"));
	if (name != NULL)
		json_object_set_new(row, "vendor_name", json_string(name));
	(void)snprintf(title, sizeof(title), "%s %s",
	    json_string_value(json_object_get(row, "scheme_label")),
	    json_string_value(json_object_get(row, "number")) != NULL ?
	    json_string_value(json_object_get(row, "number")) : "");
	json_object_set_new(row, "title", json_string(title));
	if (eff != NULL && strcmp(eff, "pending") == 0) {
		w = cert_waited(req, json_integer_value(json_object_get(row,
		    "waited_seconds")));
		json_object_set_new(row, "waited", json_string(w));
		kore_free(w);
	}
}

/*
 * History rows: status labels and who, as the viewer may see it (an
 * operator sees the e-mail; a vendor sees "the procurement office" for
 * its decisions and the name of its own users).
 */
static void
cert_history_decorate(struct http_request *req, json_t *rows, int ops)
{
	json_t		*h;
	const char	*s, *kind;
	char		 key[64];
	size_t		 i;

	json_array_foreach(rows, i, h) {
		if ((s = json_string_value(json_object_get(h, "from_status")))
		    != NULL) {
			(void)snprintf(key, sizeof(key), "cert.status.%s", s);
			json_object_set_new(h, "from_label",
			    json_string(web_str(req, key)));
		}
		s = json_string_value(json_object_get(h, "to_status"));
		(void)snprintf(key, sizeof(key), "cert.status.%s", s ? s : "");
		json_object_set_new(h, "to_label", json_string(web_str(req,
		    key)));
		kind = json_string_value(json_object_get(h, "actor_kind"));
		if (kind == NULL)
			s = web_str(req, "cert.actor_system");
		else if (strcmp(kind, "operator") == 0 && !ops)
			s = web_str(req, "cert.actor_office");
		else
			s = json_string_value(json_object_get(h, ops ?
			    "actor_email" : "actor_name"));
		json_object_set_new(h, "actor", json_string(s != NULL ? s :
		    ""));
		if (!ops) {
			json_object_del(h, "actor_email");
			if (kind != NULL && strcmp(kind, "operator") == 0)
				json_object_del(h, "actor_name");
		}
	}
}

/*
 * The reason of a decision from the form or the JSON body, trimmed, in
 * buf. *err: APP_OK, APP_EINVAL (not a string, control characters) or
 * APP_ETOOLONG (over CERT_REASON_MAX characters).
 */
static const char *
cert_reason(struct http_request *req, char *buf, size_t len,
    enum app_err *err)
{
	struct app_req	*ar;
	json_t		*v;
	const char	*s;

	ar = app_req(req);
	*err = APP_OK;
	buf[0] = '\0';
	s = NULL;
	if (ar->body != NULL) {
		v = json_object_get(ar->body, "reason");
		if (v != NULL && !json_is_null(v)) {
			if (!json_is_string(v) ||
			    json_string_length(v) != strlen(
			    json_string_value(v))) {
				*err = APP_EINVAL;
				return (buf);
			}
			s = json_string_value(v);
		}
	} else {
		s = web_form(req, "reason");
	}
	if (s == NULL)
		return (buf);
	switch (cert_text(s, CERT_REASON_MAX, buf, len)) {
	case -1:
		*err = APP_EINVAL;
		break;
	case -2:
		*err = APP_ETOOLONG;
		break;
	}
	return (buf);
}

/*
 * Copies s trimmed into out. Returns 0; -1 for control characters (other
 * than tab and line breaks) or invalid UTF-8, -2 for more than max
 * characters.
 */
static int
cert_text(const char *s, size_t max, char *out, size_t outlen)
{
	const char	*end;
	size_t		 i, n;

	n = strlen(s);
	if (!utf8_valid(s, n))
		return (-1);
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' &&
		    s[i] != '\r' && s[i] != '\t')
			return (-1);
		if ((unsigned char)s[i] == 0x7f)
			return (-1);
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	n = (size_t)(end - s);
	if (utf8_len(s, n) > max || n >= outlen)
		return (-2);
	memcpy(out, s, n);
	out[n] = '\0';
	return (0);
}

/* 1 if s is a real date YYYY-MM-DD between 1990 and 2199. */
static int
cert_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	y, m, d, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2 ||
	    strspn(s + 8, "0123456789") != 2)
		return (0);
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1990 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return (0);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return (!(m == 2 && d == 29 && !leap));
}

/* Today in Korea (UTC+9, no daylight saving) as YYYY-MM-DD. */
static void
cert_today(char *buf, size_t len)
{
	struct tm	tm;
	time_t		t;

	t = time(NULL) + 9 * 3600;
	(void)gmtime_r(&t, &tm);
	(void)strftime(buf, len, "%Y-%m-%d", &tm);
}

static int
in_list(const char *s, const char *const *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, list[i]) == 0)
			return (1);
	}
	return (0);
}

/* "3일 4시간" / "3 days 4 hours": kore_malloc'd, caller frees. */
static char *
cert_waited(struct http_request *req, int64_t secs)
{
	struct kore_buf	 b;
	const char	*fmt;
	char		 buf[128], d[24], h[24], m[24];

	if (secs < 0)
		secs = 0;
	(void)snprintf(d, sizeof(d), "%lld", (long long)(secs / 86400));
	(void)snprintf(h, sizeof(h), "%lld", (long long)(secs / 3600 % 24));
	(void)snprintf(m, sizeof(m), "%lld", (long long)(secs / 60 % 60));
	fmt = web_str(req, secs >= 86400 ? "cert.waited_days" :
	    secs >= 3600 ? "cert.waited_hours" : "cert.waited_minutes");
	kore_buf_init(&b, 64);
	kore_buf_append(&b, fmt, strlen(fmt));
	kore_buf_replace_string(&b, "{d}", d, strlen(d));
	kore_buf_replace_string(&b, "{h}", h, strlen(h));
	kore_buf_replace_string(&b, "{m}", m, strlen(m));
	(void)snprintf(buf, sizeof(buf), "%.*s", (int)b.offset, b.data);
	kore_buf_cleanup(&b);
	return (kore_strdup(buf));
}

/* The HTTP status of a domain error, for form pages shown again. */
int
cert_err_status(enum app_err err)
{
	switch (err) {
	case APP_OK:
		return (200);
	case APP_EINVAL:
	case APP_EUTF8:
	case APP_ETOOLONG:
		return (400);
	case APP_ENOTFOUND:
		return (404);
	case APP_ECONFLICT:
		return (409);
	case APP_ETOOLARGE:
		return (413);
	case APP_EUNSUPPORTED:
		return (415);
	case APP_EREFERENCE:
		return (422);
	default:
		return (500);
	}
}
