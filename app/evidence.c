/*
 * The evidence of an invoice: its signed bundle as a file anyone can
 * check offline, and its PDF (docs/evidence.md).
 *
 * GET /invoices/:id/evidence.json answers the bundle exactly as sealed,
 * in the envelope bundle.h describes and in canonical form, so the bytes
 * of "bundle" are the bytes that were hashed and signed, and
 * `gureumctl verify-invoice` (or the by-hand recipe in the docs) can
 * check the download as it is. A draft has no evidence yet (409), nor
 * an issued invoice the sealer has not reached (409, "seal pending").
 *
 * GET /invoices/:id/invoice.pdf renders the Korean invoice from the same
 * bundle (invoicepdf.c) in a Kore task: libharu with an embedded font
 * takes tens of milliseconds, and the worker's event loop goes on. An
 * unsealed invoice (a draft, or issued and waiting for the sealer) is
 * rendered from the bundle the sealer would sign, completed here
 * without a key and marked as such on the page.
 *
 * Both are for the invoice's agency and vendor and the procurement
 * office (operators and auditors); anyone else gets 404. Nothing here
 * writes: sealing is gureumctl's, with a key the web server never reads.
 */

#include "gureum.h"
#include "bundle.h"
#include "invoicepdf.h"

/* Debian's fonts-nanum (conf/deps.sh installs it). */

enum ev_sql {
	SQL_EVIDENCE,
	SQL_PDF,
	SQL__MAX
};

/* $1 invoice, $2 organisation, $3 operator: the invoices one may see. */
#define EV_MINE	" i.id = $1 AND (i.org_id = $2 OR i.vendor_id = $2 OR $3::boolean)"

static const char *const ev_sql[SQL__MAX] = {
	/* SQL_EVIDENCE */
	"SELECT i.id, i.status, coalesce(i.number, '') AS number, i.bundle,"
	" encode(i.bundle_hash, 'hex') AS hash,"
	" replace(encode(i.signature, 'base64'), E'\\n', '') AS signature"
	" FROM invoices i WHERE" EV_MINE,
	/* SQL_PDF: the sealed bundle, or what the sealer would sign */
	"SELECT i.id, i.status, coalesce(i.number, '') AS number,"
	" i.bundle IS NOT NULL AS sealed,"
	" coalesce(i.bundle, evidence_bundle_input(i.id)) AS bundle,"
	" encode(i.bundle_hash, 'hex') AS hash"
	" FROM invoices i WHERE" EV_MINE,
};

/*
 * A PDF rendering shared by the request and its task thread: the
 * document as JSON text in, the PDF out. Two references; whoever drops
 * the last frees it (a client may go away mid-rendering).
 */
static int	 ev_lookup(struct http_request *, enum ev_sql, json_t **);
static int	 ev_pdf_render(const json_t *, const char *, unsigned char **,
		    size_t *, char *, size_t);
static void	 ev_filename(char *, size_t, const char *, json_t *,
		    const char *, const char *);

/*
 * Runs the lookup of the invoice in the path as the caller may see it.
 * Returns DB_OK with *row (borrowed from the call; NULL: not found),
 * DB_PENDING, or DB_ERROR after answering.
 */
static int
ev_lookup(struct http_request *req, enum ev_sql q, json_t **row)
{
	struct app_req	*ar;
	const char	*params[3];
	char		 id[24], org[24];
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], ev_sql[q], 3, params);
	if (rc == DB_ERROR)
		(void)web_db_error(req, &ar->db[0]);
	if (rc != DB_OK)
		return (rc);
	*row = json_array_get(ar->db[0].rows, 0);
	return (DB_OK);
}

/* "attachment; filename=..." for an invoice, by number (or id). */
static void
ev_filename(char *buf, size_t len, const char *how, json_t *row,
    const char *suffix, const char *ext)
{
	const char	*number;

	number = json_string_value(json_object_get(row, "number"));
	if (number != NULL && number[0] != '\0' &&
	    strspn(number, "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
	    strlen(number) && strlen(number) < 64)
		(void)snprintf(buf, len, "%s; filename=\"gureum-invoice-%s%s.%s\"",
		    how, number, suffix, ext);
	else
		(void)snprintf(buf, len, "%s; filename=\"gureum-invoice-%lld%s.%s\"",
		    how, (long long)json_integer_value(json_object_get(row,
		    "id")), suffix, ext);
}

/*
 * GET /invoices/:id/evidence.json and /api/v1/invoices/:id/evidence.json:
 * the sealed bundle {"bundle", "hash", "signature"} in canonical form.
 * 404 for an invoice the caller may not see; 409 for a draft, or for an
 * issued invoice not sealed yet.
 */
int
evidence_json(struct http_request *req)
{
	struct app_req	*ar;
	const char	*status;
	char		 disp[160], *canon;
	size_t		 len;
	json_t		*row, *doc;
	int		 rc;

	ar = app_req(req);
	if ((rc = ev_lookup(req, SQL_EVIDENCE, &row)) == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (KORE_RESULT_OK);
	if (row == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	status = json_string_value(json_object_get(row, "status"));
	if (status != NULL && strcmp(status, "draft") == 0)
		return (web_error(req, APP_ECONFLICT, NULL,
		    "evidence.error_draft"));
	if (!json_is_object(json_object_get(row, "bundle")) ||
	    !json_is_string(json_object_get(row, "hash")) ||
	    !json_is_string(json_object_get(row, "signature")))
		return (web_error(req, APP_ECONFLICT, NULL,
		    "evidence.error_unsealed"));
	doc = json_pack("{s:O, s:O, s:O}", "bundle", json_object_get(row,
	    "bundle"), "hash", json_object_get(row, "hash"), "signature",
	    json_object_get(row, "signature"));
	if (doc == NULL || bundle_canonical(doc, &canon, &len) == -1) {
		web_log(req, "invoice %lld: evidence has no canonical form",
		    (long long)ar->id);
		json_decref(doc);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	json_decref(doc);
	ev_filename(disp, sizeof(disp), ar->route->api ? "inline" :
	    "attachment", row, "-evidence", "json");
	web_headers(req);
	http_response_header(req, "content-type",
	    "application/json; charset=utf-8");
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, canon, len);
	free(canon);
	return (KORE_RESULT_OK);
}

/*
 * GET /invoices/:id/invoice.pdf and /api/v1/invoices/:id/invoice.pdf:
 * the Korean PDF invoice (see the file comment). 404 for an invoice the
 * caller may not see; 409 if its bundle cannot be assembled.
 */
int
evidence_pdf(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*row, *b, *doc;
	char		 disp[160], err[300];
	int		 rc;

	ar = app_req(req);
	if (ar->step == 1) {
		row = json_array_get(ar->db[0].rows, 0);
		ev_filename(disp, sizeof(disp), "inline", row, "", "pdf");
		return (pdfjob_finish(req, "invoice", disp));
	}

	if ((rc = ev_lookup(req, SQL_PDF, &row)) == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (KORE_RESULT_OK);
	if (row == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	b = json_object_get(row, "bundle");
	if (!json_is_object(b))
		return (web_error(req, APP_ECONFLICT, NULL,
		    "evidence.error_render"));
	if (!json_is_true(json_object_get(row, "sealed")))
		(void)bundle_take_checks(b, err, sizeof(err));
	if (!json_is_true(json_object_get(row, "sealed")) &&
	    bundle_finish(b, NULL, err, sizeof(err)) == -1) {
		web_log(req, "invoice %lld: no preview: %s", (long long)ar->id,
		    err);
		return (web_error(req, APP_ECONFLICT, NULL,
		    "evidence.error_render"));
	}
	doc = json_pack("{s:O, s:{s:O, s:O}}", "bundle", b, "meta",
	    "status", json_object_get(row, "status"), "bundle_hash",
	    json_object_get(row, "hash"));
	if (doc == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (pdfjob_start(req, doc, ev_pdf_render));
}

/* The invoice renderer over the {bundle, meta} document of the job. */
static int
ev_pdf_render(const json_t *doc, const char *font, unsigned char **out,
    size_t *outlen, char *err, size_t errlen)
{
	return (invoicepdf_render(json_object_get(doc, "bundle"),
	    json_object_get(doc, "meta"), font, out, outlen, err, errlen));
}
