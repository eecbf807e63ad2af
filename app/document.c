/*
 * Documents: a listing's price sheet (가격표), SLA and manual (매뉴얼), and
 * the evidence files of certificates (cert.c stores those).
 *
 * Files are PDF only, checked by content (upload.c: the %PDF- header, an
 * object, a trailer and %%EOF), never by the name or the Content-Type the
 * client sent; at most 3 MiB (413 above, with the limit in the message).
 * They are stored in PostgreSQL (documents.content, bytea) with their
 * SHA-256, size and a sanitised original name, so a file is written in the
 * same transaction as its audit event and its row's access rules, and a
 * backup holds it. db_call() passes text only, so the bytes travel as hex.
 *
 * A listing has at most one document of each kind; an upload of a kind it
 * has replaces it in place (same id and link, audited as replaced with the
 * old hash). Downloads (/documents/:id) are public for the documents of a
 * published listing; everything else (evidence, documents of listings not
 * published) only for the owning vendor and the procurement office; for
 * anyone else the document does not exist (404). They are sent as
 * application/pdf, attachment with a safe file name, nosniff, no caching
 * by shared caches.
 */

#include <sodium.h>

#include "gureum.h"
#include "upload.h"

#define KST		"'Asia/Seoul'"

enum doc_sql {
	SQL_LISTING,
	SQL_DOCS,
	SQL_UPLOAD,
	SQL_DELETE,
	SQL_GET,
	SQL__MAX
};

static const char *const doc_sql[SQL__MAX] = {
	/* SQL_LISTING: $1 listing, $2 vendor */
	"SELECT id, name_ko, name_en, status, service_type FROM listings"
	" WHERE id = $1 AND vendor_id = $2",
	/* SQL_DOCS: $1 listing, $2 vendor */
	"SELECT id, kind, filename, size_bytes, sha256,"
	" to_char(created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS uploaded_at FROM documents"
	" WHERE listing_id = $1 AND vendor_id = $2 AND kind <> 'evidence'"
	" ORDER BY array_position(ARRAY['price_sheet', 'sla', 'manual'], kind)",
	/*
	 * SQL_UPLOAD: $1 listing, $2 vendor, $3 kind, $4 hex, $5 file name,
	 * $6 actor, $7 request id, $8 address. No d.id: not the vendor's
	 * listing.
	 */
	"WITH l AS (SELECT id FROM listings WHERE id = $1 AND vendor_id = $2),"
	" b AS (SELECT decode($4, 'hex') AS c),"
	" old AS (SELECT id, filename, sha256, size_bytes FROM documents"
	"  WHERE listing_id = $1 AND vendor_id = $2 AND kind = $3),"
	" d AS (INSERT INTO documents (vendor_id, listing_id, kind, filename,"
	"  size_bytes, sha256, content, created_by)"
	"  SELECT $2, l.id, $3, $5, octet_length(b.c),"
	"  encode(sha256(b.c), 'hex'), b.c, $6 FROM l, b"
	"  ON CONFLICT (listing_id, kind) WHERE kind <> 'evidence' DO UPDATE"
	"  SET filename = EXCLUDED.filename, size_bytes = EXCLUDED.size_bytes,"
	"  sha256 = EXCLUDED.sha256, content = EXCLUDED.content,"
	"  created_at = now(), created_by = EXCLUDED.created_by"
	"  RETURNING id, filename, size_bytes, sha256),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $6, $2, CASE WHEN EXISTS (SELECT 1 FROM old)"
	"  THEN 'document_replaced' ELSE 'document_uploaded' END,"
	"  'document', d.id::text, jsonb_build_object('listing_id',"
	"  $1::bigint, 'kind', $3::text, 'filename', d.filename, 'size',"
	"  d.size_bytes, 'sha256', d.sha256) || coalesce((SELECT"
	"  jsonb_build_object('replaced', jsonb_build_object('filename',"
	"  old.filename, 'sha256', old.sha256, 'size', old.size_bytes))"
	"  FROM old), '{}'::jsonb), $7, $8 FROM d RETURNING id)"
	" SELECT d.id, d.filename, d.size_bytes, d.sha256,"
	" EXISTS (SELECT 1 FROM old) AS replaced FROM (SELECT 1) x"
	" LEFT JOIN d ON true",
	/* SQL_DELETE: $1 document, $2 vendor, $3 actor, $4 rid, $5 addr */
	"WITH d AS (DELETE FROM documents WHERE id = $1 AND vendor_id = $2"
	"  AND kind <> 'evidence'"
	"  RETURNING id, listing_id, kind, filename, sha256, size_bytes),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $3, $2, 'document_deleted', 'document', d.id::text,"
	"  jsonb_build_object('listing_id', d.listing_id, 'kind', d.kind,"
	"  'filename', d.filename, 'sha256', d.sha256, 'size',"
	"  d.size_bytes), $4, $5 FROM d)"
	" SELECT id, listing_id, kind FROM d",
	/*
	 * SQL_GET: $1 document, $2 the caller's vendor organisation (NULL
	 * if not a vendor), $3 'true' for the procurement office.
	 */
	"SELECT d.id, d.kind, d.filename, d.size_bytes, d.sha256, d.content"
	" FROM documents d LEFT JOIN listings l ON l.id = d.listing_id"
	" WHERE d.id = $1 AND ((d.kind <> 'evidence'"
	"  AND l.status = 'published') OR d.vendor_id = $2::bigint"
	"  OR $3::boolean)",
};

static const char *const doc_kinds[] = { "price_sheet", "sla", "manual" };

#define NKINDS	(sizeof(doc_kinds) / sizeof(doc_kinds[0]))

static int	 doc_render(struct http_request *, int, enum app_err,
		    const char *, const char *);

/*
 * GET /vendor/listings/:id/documents and the API form: the listing's
 * documents and, in the page, the upload form. 404 for a listing that is
 * not the caller's.
 */
int
doc_listing_list(struct http_request *req)
{
	return (doc_render(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /vendor/listings/:id/documents (multipart: kind, file): adds the
 * document of that kind or replaces it. 400 kind or file (missing,
 * empty), 413 over 3 MiB, 415 not a PDF by content, 404 not the caller's
 * listing; else 303 to the list or 201 {id, filename, size_bytes, sha256,
 * replaced}.
 */
int
doc_listing_upload(struct http_request *req)
{
	struct app_req		*ar;
	const unsigned char	*data;
	const char		*kind, *fname, *params[8], *field, *key;
	char			 lid[24], org[24], uid[24], addr[64];
	char			 safe[200], url[128], *hex;
	size_t			 i, len;
	enum app_err		 err;
	enum pdf_err		 pe;
	json_t			*row;
	int			 rc;

	ar = app_req(req);
	if (ar->step == 1)
		return (doc_render(req, 0, APP_OK, NULL, NULL));

	err = APP_OK;
	field = key = NULL;
	kind = web_form(req, "kind");
	for (i = 0; kind != NULL && i < NKINDS; i++) {
		if (strcmp(kind, doc_kinds[i]) == 0)
			break;
	}
	if (kind == NULL || i == NKINDS) {
		err = APP_EINVAL;
		field = "kind";
		key = "doc.error.kind";
	} else if (!web_file(req, "file", &data, &len, &fname)) {
		err = APP_EINVAL;
		field = "file";
		key = "doc.error.file_required";
	} else if (len > UPLOAD_MAX) {
		err = APP_ETOOLARGE;
		field = "file";
		key = "doc.error.too_large";
	} else if ((pe = pdf_check(data, len)) != PDF_OK) {
		err = pe == PDF_EEMPTY ? APP_EINVAL : APP_EUNSUPPORTED;
		field = "file";
		key = pe == PDF_EEMPTY ? "doc.error.empty" :
		    pe == PDF_ENOTPDF ? "doc.error.not_pdf" :
		    "doc.error.broken_pdf";
	}
	if (err != APP_OK) {
		if (ar->json)
			return (web_error(req, err, field, key));
		ar->step = 1;
		return (doc_render(req, cert_err_status(err), err, field, key));
	}

	filename_safe(fname, safe, sizeof(safe));
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	params[0] = lid;
	params[1] = org;
	params[2] = kind;
	params[4] = safe;
	params[5] = uid;
	params[6] = ar->rid;
	params[7] = web_client_addr(req, addr, sizeof(addr));
	hex = NULL;
	if (ar->db[0].state == DB_IDLE || ar->db[0].state == DB_SETUP) {
		hex = kore_malloc(len * 2 + 1);
		sodium_bin2hex(hex, len * 2 + 1, data, len);
	}
	params[3] = hex != NULL ? hex : "";
	rc = db_call(req, &ar->db[0], doc_sql[SQL_UPLOAD], 8, params);
	kore_free(hex);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	if (row == NULL || json_is_null(json_object_get(row, "id")))
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	web_log(req, "document %lld (%s) of listing %s uploaded",
	    (long long)json_integer_value(json_object_get(row, "id")), kind,
	    lid);
	if (ar->json)
		return (web_json(req, 201, row));
	(void)snprintf(url, sizeof(url),
	    "/vendor/listings/%s/documents?done=%s", lid,
	    json_is_true(json_object_get(row, "replaced")) ? "replaced" :
	    "uploaded");
	return (web_redirect(req, url));
}

/*
 * POST /vendor/documents/:id/delete and the API form: removes a listing
 * document of the caller's organisation (evidence files stay with their
 * certificate). 404 otherwise; else 303 to the list or 200 {id,
 * listing_id, kind}.
 */
int
doc_delete(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5];
	char		 id[24], org[24], uid[24], addr[64], url[128];
	json_t		*row;
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
	rc = db_call(req, &ar->db[0], doc_sql[SQL_DELETE], 5, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (ar->json)
		return (web_json(req, 200, row));
	(void)snprintf(url, sizeof(url),
	    "/vendor/listings/%lld/documents?done=deleted", (long long)
	    json_integer_value(json_object_get(row, "listing_id")));
	return (web_redirect(req, url));
}

/*
 * GET /documents/:id: the PDF, to whoever may see it (see the head
 * comment); 404 for anyone else.
 */
int
doc_download(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[3], *hexs, *name;
	char		 id[24], org[24], cd[1024];
	unsigned char	*bin;
	size_t		 binlen, hexlen;
	json_t		*row;
	int		 rc, vendor;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	vendor = (ar->who.role & (ROLES_VENDOR | ROLE_KEY_VENDOR)) != 0;
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = vendor ? org : NULL;
	params[2] = (ar->who.role & ROLES_OPERATOR) ? "true" : "false";
	rc = db_call(req, &ar->db[0], doc_sql[SQL_GET], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));

	/* bytea arrives in PostgreSQL's hex output: "\x" and two digits a byte. */
	hexs = json_string_value(json_object_get(row, "content"));
	hexlen = hexs != NULL ? json_string_length(json_object_get(row,
	    "content")) : 0;
	if (hexlen < 2 || hexs[0] != '\\' || hexs[1] != 'x')
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	bin = kore_malloc(hexlen / 2 + 1);
	if (sodium_hex2bin(bin, hexlen / 2 + 1, hexs + 2, hexlen - 2, NULL,
	    &binlen, NULL) != 0) {
		kore_free(bin);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	name = json_string_value(json_object_get(row, "filename"));
	if (content_disposition(name != NULL ? name : "document.pdf", cd,
	    sizeof(cd)) == -1)
		(void)kore_strlcpy(cd, "attachment; filename=\"document.pdf\"",
		    sizeof(cd));
	web_headers(req);
	http_response_header(req, "content-type", "application/pdf");
	http_response_header(req, "content-disposition", cd);
	http_response_header(req, "cache-control", "private, no-cache");
	http_response_header(req, "x-content-sha256",
	    json_string_value(json_object_get(row, "sha256")));
	http_response(req, 200, bin, binlen);
	kore_free(bin);
	return (KORE_RESULT_OK);
}

/*
 * The documents page, also after a refused upload (err): the listing, its
 * documents with links, and the upload form with the kind chosen.
 */
static int
doc_render(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[2], *done, *kind, *name;
	char		 lid[24], org[24], k[64];
	json_t		*vm, *listing, *docs, *row, *kinds, *body;
	size_t		 i, j;
	int		 rc, have;

	ar = app_req(req);
	if (ar->vm == NULL) {
		ar->vm = json_pack("{s:i, s:i, s:s?, s:s?}", "_status",
		    status != 0 ? status : 200, "_err", (int)err,
		    "_field", field, "_key", key);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	vm = ar->vm;
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = lid;
	params[1] = org;
	rc = db_call(req, &ar->db[1], doc_sql[SQL_LISTING], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	if ((listing = json_array_get(ar->db[1].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[2], doc_sql[SQL_DOCS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));

	status = (int)json_integer_value(json_object_get(vm, "_status"));
	err = (enum app_err)json_integer_value(json_object_get(vm, "_err"));
	field = json_string_value(json_object_get(vm, "_field"));
	key = json_string_value(json_object_get(vm, "_key"));

	docs = ar->db[2].rows;
	json_array_foreach(docs, i, row) {
		(void)snprintf(k, sizeof(k), "doc.kind.%s",
		    json_string_value(json_object_get(row, "kind")));
		json_object_set_new(row, "kind_label",
		    json_string(web_str(req, k)));
		(void)snprintf(k, sizeof(k), "/documents/%lld", (long long)
		    json_integer_value(json_object_get(row, "id")));
		json_object_set_new(row, "url", json_string(k));
		(void)snprintf(k, sizeof(k), "%.1f", (double)json_integer_value(
		    json_object_get(row, "size_bytes")) / 1024.0);
		json_object_set_new(row, "size_kib", json_string(k));
	}
	if (ar->json && err == APP_OK) {
		if ((body = json_pack("{s:O, s:O}", "listing", listing,
		    "documents", docs)) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_json(req, 200, body);
		json_decref(body);
		return (KORE_RESULT_OK);
	}
	kind = web_form(req, "kind");
	kinds = json_array();
	for (i = 0; i < NKINDS; i++) {
		have = 0;
		json_array_foreach(docs, j, row) {
			if (strcmp(json_string_value(json_object_get(row,
			    "kind")), doc_kinds[i]) == 0)
				have = 1;
		}
		(void)snprintf(k, sizeof(k), "doc.kind.%s", doc_kinds[i]);
		json_array_append_new(kinds, json_pack("{s:s, s:s, s:b, s:b}",
		    "value", doc_kinds[i], "label", web_str(req, k),
		    "selected", kind != NULL && strcmp(kind, doc_kinds[i]) == 0,
		    "present", have));
	}
	name = json_string_value(json_object_get(listing,
	    strcmp(ar->lang, "en") == 0 ? "name_en" : "name_ko"));
	json_object_set_new(listing, "name", json_string(name != NULL ?
	    name : ""));
	json_object_set_new(vm, "title", json_string(web_str(req,
	    "doc.title")));
	json_object_set(vm, "listing", listing);
	json_object_set(vm, "documents", docs);
	json_object_set_new(vm, "kinds", kinds);
	if ((done = qs_get(&ar->qs, "done")) != NULL &&
	    (strcmp(done, "uploaded") == 0 || strcmp(done, "replaced") == 0 ||
	    strcmp(done, "deleted") == 0)) {
		(void)snprintf(k, sizeof(k), "doc.done.%s", done);
		json_object_set_new(vm, "done_notice",
		    json_string(web_str(req, k)));
	}
	if (field != NULL) {
		(void)snprintf(k, sizeof(k), "err_%s", field);
		json_object_set_new(vm, k, json_true());
	}
	return (web_form_page(req, status, "doc_list", vm, err, field, key));
}
