/*
 * The request plumbing every handler stands on.
 *
 * Kore routes every path to app_dispatch() (conf/gureum.conf.in has one
 * catch-all route). The dispatcher gives the request an id, decides its language and
 * whether it answers JSON or HTML, parses and checks the query string,
 * finds the route in the one route table (routes.c) and calls its handler.
 * Doing this in our own table rather than in Kore's config gives one place
 * for unknown routes (404) and wrong methods (405) in JSON or HTML, one
 * place for the query-parameter rules, and, later, one place where access
 * is decided.
 *
 * Handlers answer through web_page() (one view model, rendered as JSON or
 * through a template), web_json(), web_error() (one table from domain error
 * to status and code) or web_redirect(). All of them set the same security
 * headers and the request id.
 */

#include <arpa/inet.h>

#include <sodium.h>
#include <stdarg.h>

#include "gureum.h"
#include "i18n.h"
#include "jsonout.h"
#include "tmpl.h"
#include "upload.h"

#define CSP	"default-src 'self'; img-src 'self' data:; object-src 'none'; " \
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static const struct {
	int		 status;
	const char	*code;
	const char	*key;		/* message in the string table */
} app_errors[APP_ERR__MAX] = {
	{ 200, "ok", "error.internal" },			/* APP_OK */
	{ 400, "invalid_parameter", "error.invalid_parameter" },/* APP_EINVAL */
	{ 400, "unknown_parameter", "error.unknown_parameter" },/* APP_EUNKNOWNPARAM */
	{ 400, "invalid_utf8", "error.invalid_utf8" },		/* APP_EUTF8 */
	{ 400, "too_long", "error.too_long" },			/* APP_ETOOLONG */
	{ 401, "unauthenticated", "error.unauthenticated" },	/* APP_EUNAUTH */
	{ 401, "invalid_credentials", "error.invalid_credentials" },/* APP_ECREDENTIALS */
	{ 403, "csrf_failed", "error.csrf_failed" },		/* APP_ECSRF */
	{ 403, "forbidden", "error.forbidden" },		/* APP_EFORBIDDEN */
	{ 404, "not_found", "error.not_found" },		/* APP_ENOTFOUND */
	{ 405, "method_not_allowed", "error.method_not_allowed" },/* APP_EMETHOD */
	{ 409, "conflict", "error.conflict" },			/* APP_ECONFLICT */
	{ 413, "payload_too_large", "error.payload_too_large" },/* APP_ETOOLARGE */
	{ 415, "unsupported_media_type", "error.unsupported_media_type" },/* APP_EUNSUPPORTED */
	{ 422, "invalid_reference", "error.invalid_reference" },/* APP_EREFERENCE */
	{ 423, "account_locked", "error.account_locked" },	/* APP_ELOCKED */
	{ 500, "internal", "error.internal" },			/* APP_EINTERNAL */
	{ 503, "unavailable", "error.unavailable" },		/* APP_EUNAVAIL */
};

static u_int32_t	rid_prefix;
static u_int32_t	rid_counter;

#define WEB_FORM_MAX	65536

/* A multipart body as read, and its parts (web_read_multipart). */
struct web_upload {
	unsigned char	*buf;
	size_t		 len;
	struct mp_form	 form;
};

static void		 app_req_free(struct http_request *);
static int		 web_gate(struct http_request *, struct app_req *);
static int		 web_read_form(struct http_request *, struct app_req *);
static int		 web_read_json(struct http_request *, struct app_req *);
static int		 web_read_multipart(struct http_request *,
			    struct app_req *, const char *);
static int		 web_check_names(struct http_request *, struct app_req *,
			    const struct qs *);
static int		 app_req_setup(struct http_request *, struct app_req *);
static const struct route *route_match(const char *, int, int *, int64_t *);
static int		 path_match(const char *, const char *, int64_t *);
static char		*str_subst(const char *, const char *, const char *);
static void		 web_page_principal(struct http_request *,
			    struct app_req *, json_t *);

/* The entry point of every request (the catch-all route in conf/). */
int
app_dispatch(struct http_request *req)
{
	struct app_req	*ar;

	if ((ar = http_state_get(req)) == NULL) {
		ar = http_state_create(req, sizeof(*ar), app_req_free);
		if (!app_req_setup(req, ar))
			return (KORE_RESULT_OK);
	}
	if (ar->route == NULL)
		return (KORE_RESULT_OK);
	if (!ar->gated) {
		if (auth_identify(req, ar) == KORE_RESULT_RETRY)
			return (KORE_RESULT_RETRY);
		if (ar->route == NULL || !web_gate(req, ar))
			return (KORE_RESULT_OK);
		ar->gated = 1;
	}
	return (ar->route->handler(req));
}

/*
 * Who may call the route, then the request body and its CSRF token.
 * Returns 1 to go on; 0 when it answered (401, 403, 400, 415).
 */
static int
web_gate(struct http_request *req, struct app_req *ar)
{
	const struct route	*r;
	const char		*ctype, *token;
	char			*pre, next[2048], url[2200];

	r = ar->route;
	if (r->access == 0) {
		web_log(req, "route %s has no access rule", r->path);
		(void)web_error(req, APP_EINTERNAL, NULL, NULL);
		return (0);
	}
	if (!(r->access & (ACCESS_PUBLIC | ACCESS_ANON_ONLY))) {
		if (ar->who.role == 0) {
			if (!ar->json && req->method == HTTP_METHOD_GET) {
				(void)snprintf(url, sizeof(url), "%s%s%s",
				    req->path, req->query_string != NULL ?
				    "?" : "", req->query_string != NULL ?
				    req->query_string : "");
				if (qs_encode(url, next, sizeof(next)) == -1)
					next[0] = '\0';
				(void)snprintf(url, sizeof(url),
				    "/login?next=%s", next);
				(void)web_redirect(req, url);
				return (0);
			}
			(void)web_error(req, APP_EUNAUTH, NULL, NULL);
			return (0);
		}
		if (!(r->access & ar->who.role) ||
		    ((ar->who.role & (ROLE_KEY_AGENCY | ROLE_KEY_VENDOR)) &&
		    !(r->scope & ar->who.scopes))) {
			(void)web_error(req, APP_EFORBIDDEN, NULL, NULL);
			return (0);
		}
	}
	if ((r->access & ACCESS_ANON_ONLY) && ar->who.user_id != 0 &&
	    !ar->json && req->method == HTTP_METHOD_GET) {
		(void)web_redirect(req, "/home");
		return (0);
	}

	if (req->method != HTTP_METHOD_POST)
		return (1);
	/*
	 * Signed bodies (usage.c): the handler reads and verifies the exact
	 * bytes itself. Such routes admit API keys only, which browsers do
	 * not send on their own, so there is no CSRF token to check.
	 */
	if (r->api == 2 && ar->who.session_hash[0] == '\0')
		return (1);

	if (!http_request_header(req, "content-type", &ctype))
		ctype = "";
	if (strncasecmp(ctype, "multipart/form-data", 19) == 0) {
		if (!web_read_multipart(req, ar, ctype))
			return (0);
	} else if (strncasecmp(ctype, "application/x-www-form-urlencoded",
	    33) == 0) {
		if (!web_read_form(req, ar))
			return (0);
	} else if (strncasecmp(ctype, "application/json", 16) == 0) {
		if (!web_read_json(req, ar))
			return (0);
	} else {
		(void)web_error(req, APP_EUNSUPPORTED, NULL, NULL);
		return (0);
	}

	/*
	 * A browser session proves the form is ours with its CSRF token; an
	 * anonymous form with the pre-session cookie it was served with.
	 * Bearer tokens and API keys are not sent by browsers on their own,
	 * and JSON bodies need a content type a cross-site form cannot set.
	 */
	token = qs_get(&ar->form, "csrf");
	if (token == NULL && !http_request_header(req, "x-csrf-token", &token))
		token = NULL;
	if (ar->who.session_hash[0] != '\0') {
		if (!auth_csrf_ok(ar, token)) {
			(void)web_error(req, APP_ECSRF, NULL, NULL);
			return (0);
		}
	} else if (ar->body == NULL && ar->who.role == 0) {
		if (!http_request_cookie(req, "csrf_pre", &pre) ||
		    token == NULL || strlen(pre) != strlen(token) ||
		    strlen(pre) < 16 || sodium_memcmp(pre, token,
		    strlen(pre)) != 0) {
			(void)web_error(req, APP_ECSRF, NULL, NULL);
			return (0);
		}
	}
	return (1);
}

/* Reads an url-encoded body into ar->form; 400 names a bad field. */
static int
web_read_form(struct http_request *req, struct app_req *ar)
{
	char		buf[WEB_FORM_MAX + 1], bad[64];
	ssize_t		n;
	size_t		len;
	enum qs_err	qe;

	len = 0;
	for (;;) {
		n = http_body_read(req, buf + len, sizeof(buf) - len);
		if (n == -1) {
			(void)web_error(req, APP_EINVAL, NULL, NULL);
			return (0);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf)) {
			(void)web_error(req, APP_ETOOLARGE, NULL, NULL);
			return (0);
		}
	}
	qe = qs_parse_form(&ar->form, buf, len, bad, sizeof(bad));
	if (qe != QS_OK) {
		(void)web_error(req, qe == QS_EUTF8 ? APP_EUTF8 : APP_EINVAL,
		    bad, NULL);
		return (0);
	}
	return (web_check_names(req, ar, &ar->form));
}

/*
 * Reads a multipart/form-data body: its text fields go into ar->form
 * through the same decoder and checks as an url-encoded form (so the CSRF
 * token, unknown names and UTF-8 rules are the same), its files stay in
 * ar->upload for web_file(). A file field's name is listed in ar->form
 * with an empty value, so web_check_names() knows it too. The body's size
 * is bounded by Kore's http_body_max; the handler bounds each file.
 * 400 names a broken body or field.
 */
static int
web_read_multipart(struct http_request *req, struct app_req *ar,
    const char *ctype)
{
	struct web_upload	*u;
	struct kore_buf		 enc;
	const struct mp_part	*p;
	char			 boundary[80], bad[64], *s, *e;
	ssize_t			 n;
	size_t			 i, elen;
	enum qs_err		 qe;

	if (mp_boundary(ctype, boundary, sizeof(boundary)) == -1) {
		(void)web_error(req, APP_EINVAL, "body",
		    "error.multipart_broken");
		return (0);
	}
	u = kore_calloc(1, sizeof(*u));
	ar->upload = u;
	u->buf = kore_malloc(req->content_length + 1);
	for (;;) {
		n = http_body_read(req, u->buf + u->len,
		    req->content_length + 1 - u->len);
		if (n == -1) {
			(void)web_error(req, APP_EINVAL, NULL, NULL);
			return (0);
		}
		if (n == 0)
			break;
		u->len += (size_t)n;
		if (u->len > req->content_length) {
			(void)web_error(req, APP_ETOOLARGE, NULL, NULL);
			return (0);
		}
	}
	if (mp_parse(boundary, u->buf, u->len, &u->form) != MP_OK) {
		(void)web_error(req, APP_EINVAL, "body",
		    "error.multipart_broken");
		return (0);
	}

	kore_buf_init(&enc, 256);
	for (i = 0; i < u->form.n; i++) {
		p = &u->form.parts[i];
		if ((!p->is_file && p->len > WEB_FORM_MAX) ||
		    enc.offset > WEB_FORM_MAX) {
			kore_buf_cleanup(&enc);
			(void)web_error(req, APP_ETOOLARGE, p->name, NULL);
			return (0);
		}
		if (!p->is_file && memchr(p->data, '\0', p->len) != NULL) {
			kore_buf_cleanup(&enc);
			(void)web_error(req, APP_EINVAL, p->name, NULL);
			return (0);
		}
		elen = strlen(p->name) * 3 + 1;
		e = kore_malloc(elen);
		if (qs_encode(p->name, e, elen) == -1)
			e[0] = '\0';
		if (enc.offset > 0)
			kore_buf_append(&enc, "&", 1);
		kore_buf_append(&enc, e, strlen(e));
		kore_buf_append(&enc, "=", 1);
		kore_free(e);
		if (p->is_file)
			continue;
		s = kore_malloc(p->len + 1);
		memcpy(s, p->data, p->len);
		s[p->len] = '\0';
		elen = p->len * 3 + 1;
		e = kore_malloc(elen);
		if (qs_encode(s, e, elen) == -1)
			e[0] = '\0';
		kore_buf_append(&enc, e, strlen(e));
		kore_free(e);
		kore_free(s);
	}
	qe = qs_parse_form(&ar->form, (const char *)enc.data, enc.offset, bad,
	    sizeof(bad));
	kore_buf_cleanup(&enc);
	if (qe != QS_OK) {
		(void)web_error(req, qe == QS_EUTF8 ? APP_EUTF8 : APP_EINVAL,
		    bad, NULL);
		return (0);
	}
	return (web_check_names(req, ar, &ar->form));
}

/*
 * The file field name of a multipart POST: its bytes and length, and the
 * file name the client gave (unsafe: see filename_safe()). Returns 1, or
 * 0 when the request has no such file field.
 */
int
web_file(struct http_request *req, const char *name,
    const unsigned char **data, size_t *len, const char **filename)
{
	struct app_req		*ar;
	const struct mp_part	*p;

	ar = app_req(req);
	if (ar->upload == NULL ||
	    (p = mp_get(&ar->upload->form, name)) == NULL || !p->is_file)
		return (0);
	*data = p->data;
	*len = p->len;
	*filename = p->filename;
	return (1);
}

/* Reads a JSON object body into ar->body; 400 if it is not one. */
static int
web_read_json(struct http_request *req, struct app_req *ar)
{
	struct kore_buf	 buf;
	char		 chunk[8192];
	json_error_t	 jerr;
	ssize_t		 n;

	kore_buf_init(&buf, 1024);
	for (;;) {
		n = http_body_read(req, chunk, sizeof(chunk));
		if (n == -1) {
			kore_buf_cleanup(&buf);
			(void)web_error(req, APP_EINVAL, NULL, NULL);
			return (0);
		}
		if (n == 0)
			break;
		kore_buf_append(&buf, chunk, (size_t)n);
	}
	ar->body = json_loadb((const char *)buf.data, buf.offset,
	    JSON_REJECT_DUPLICATES, &jerr);
	kore_buf_cleanup(&buf);
	if (ar->body == NULL || !json_is_object(ar->body)) {
		(void)web_error(req, APP_EINVAL, "body", "error.invalid_json");
		return (0);
	}
	return (1);
}

/* Every parameter must be one the route knows (query and form alike). */
static int
web_check_names(struct http_request *req, struct app_req *ar,
    const struct qs *q)
{
	const char	*p;
	size_t		 i, len;

	for (i = 0; i < q->n; i++) {
		if (strcmp(q->p[i].name, "csrf") == 0 && q == &ar->form)
			continue;
		p = ar->route->params;
		len = strlen(q->p[i].name);
		while (p != NULL && *p != '\0') {
			if (strncmp(p, q->p[i].name, len) == 0 &&
			    (p[len] == ' ' || p[len] == '\0' || p[len] == '*'))
				break;
			p = strchr(p, ' ');
			if (p != NULL)
				p++;
		}
		if (p == NULL || *p == '\0') {
			(void)web_error(req, APP_EUNKNOWNPARAM,
			    q->p[i].name, NULL);
			ar->route = NULL;
			return (0);
		}
		/* Only names marked "name*" may be multi-line (textareas). */
		if (p[len] != '*' && q->p[i].value[strcspn(q->p[i].value,
		    "\t\n\r")] != '\0') {
			(void)web_error(req, APP_EINVAL, q->p[i].name, NULL);
			ar->route = NULL;
			return (0);
		}
	}
	return (1);
}

struct app_req *
app_req(struct http_request *req)
{
	return (http_state_get(req));
}

static void
app_req_free(struct http_request *req)
{
	struct app_req	*ar;
	int		 i;

	if ((ar = http_state_get(req)) == NULL)
		return;
	for (i = 0; i < APP_DB_CALLS; i++)
		db_cleanup(&ar->db[i]);
	db_cleanup(&ar->authdb);
	if (ar->vm != NULL)
		json_decref(ar->vm);
	if (ar->body != NULL)
		json_decref(ar->body);
	if (ar->upload != NULL) {
		kore_free(ar->upload->buf);
		kore_free(ar->upload);
	}
	/* A task may still hold the job: it is freed by whoever is last. */
	if (ar->job != NULL && ar->job_release != NULL)
		ar->job_release(ar->job);
	qs_free(&ar->qs);
	qs_free(&ar->form);
}

/*
 * Fills ar for a new request. Returns 1 to go on to the handler, 0 when it
 * already answered (404, 405, 400).
 */
static int
app_req_setup(struct http_request *req, struct app_req *ar)
{
	const char	*hdr, *cookie;
	char		*ck, bad[64], want[256];
	size_t		 len;
	int		 methods;
	enum qs_err	 qe;

	if (rid_prefix == 0) {
		rid_prefix = randombytes_random() | 1;
		rid_counter = randombytes_random();
	}
	if (http_request_header(req, "x-request-id", &hdr) &&
	    (len = strlen(hdr)) > 0 && len < sizeof(ar->rid) &&
	    strspn(hdr, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == len) {
		(void)kore_strlcpy(ar->rid, hdr, sizeof(ar->rid));
	} else {
		(void)snprintf(ar->rid, sizeof(ar->rid), "%08x%08x",
		    rid_prefix, rid_counter++);
	}

	cookie = NULL;
	http_populate_cookies(req);
	if (http_request_cookie(req, "lang", &ck))
		cookie = ck;
	if (!http_request_header(req, "accept-language", &hdr))
		hdr = NULL;
	ar->lang = i18n_negotiate(hdr, cookie);

	if (http_request_header(req, "accept", &hdr) &&
	    strstr(hdr, "application/json") != NULL)
		ar->json = 1;
	if (strncmp(req->path, "/api/", 5) == 0)
		ar->json = 1;

	ar->route = route_match(req->path, req->method, &methods, &ar->id);
	if (ar->route == NULL) {
		if (methods != 0) {
			(void)snprintf(want, sizeof(want), "%s%s%s",
			    (methods & HTTP_METHOD_GET) ? "GET, HEAD" : "",
			    (methods & HTTP_METHOD_GET) &&
			    (methods & HTTP_METHOD_POST) ? ", " : "",
			    (methods & HTTP_METHOD_POST) ? "POST" : "");
			http_response_header(req, "allow", want);
			(void)web_error(req, APP_EMETHOD, NULL, NULL);
		} else {
			(void)web_error(req, APP_ENOTFOUND, NULL, NULL);
		}
		return (0);
	}
	if (ar->route->api)
		ar->json = 1;

	qe = qs_parse(&ar->qs, req->query_string,
	    req->query_string != NULL ? strlen(req->query_string) : 0,
	    bad, sizeof(bad));
	if (qe != QS_OK) {
		ar->route = NULL;
		(void)web_error(req, qe == QS_EUTF8 ? APP_EUTF8 : APP_EINVAL,
		    bad, NULL);
		return (0);
	}

	/* Every parameter must be one the route knows. */
	if (!web_check_names(req, ar, &ar->qs)) {
		ar->route = NULL;
		return (0);
	}
	return (1);
}

/*
 * Finds the route for path and method. When the path exists under another
 * method, returns NULL with those methods in *allowed (for 405).
 */
static const struct route *
route_match(const char *path, int method, int *allowed, int64_t *id)
{
	size_t	i;

	*allowed = 0;
	for (i = 0; i < routes_len; i++) {
		if (!path_match(routes[i].path, path, id))
			continue;
		if (routes[i].methods & method)
			return (&routes[i]);
		*allowed |= routes[i].methods;
	}
	return (NULL);
}

static int
path_match(const char *pat, const char *path, int64_t *id)
{
	const char	*end;
	int64_t		 v;

	while (*pat != '\0') {
		if (strncmp(pat, ":id", 3) == 0) {
			if (*path < '1' || *path > '9')
				return (0);
			v = 0;
			for (end = path; *end >= '0' && *end <= '9'; end++) {
				if (v > (INT64_MAX - 9) / 10)
					return (0);
				v = v * 10 + (*end - '0');
			}
			*id = v;
			path = end;
			pat += 3;
			continue;
		}
		if (*pat++ != *path++)
			return (0);
	}
	return (*path == '\0');
}

/* The security headers and request id every answer carries. */
void
web_headers(struct http_request *req)
{
	struct app_req	*ar;

	http_response_header(req, "content-security-policy", CSP);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "referrer-policy", "same-origin");
	http_response_header(req, "cross-origin-opener-policy", "same-origin");
	http_response_header(req, "permissions-policy",
	    "camera=(), microphone=(), geolocation=()");
	if ((ar = app_req(req)) != NULL)
		http_response_header(req, "x-request-id", ar->rid);
}

/*
 * Sends body as JSON with status. Does not take the caller's reference.
 * Returns KORE_RESULT_OK so handlers can `return (web_json(...))`.
 */
int
web_json(struct http_request *req, int status, json_t *body)
{
	char	*s;
	size_t	 len;

	/* json_dumps' bytes without its per-object cost (app/jsonout.c). */
	if ((s = jsonout_dumps(body, &len)) == NULL) {
		web_log(req, "json_dumps failed");
		web_headers(req);
		http_response_header(req, "content-type", "application/json");
		http_response(req, 500, "{\"error\":{\"code\":\"internal\"}}",
		    29);
		return (KORE_RESULT_OK);
	}
	web_headers(req);
	http_response_header(req, "content-type",
	    "application/json; charset=utf-8");
	http_response_header(req, "cache-control", "no-store");
	http_response(req, status, s, len);
	free(s);
	return (KORE_RESULT_OK);
}

/* The translated string for key in the request's language (never NULL). */
const char *
web_str(struct http_request *req, const char *key)
{
	struct app_req	*ar;
	const char	*s;

	ar = app_req(req);
	s = i18n_get(app_strings, key, ar != NULL ? ar->lang : "ko");
	return (s != NULL ? s : key);
}

/*
 * Answers with the view model vm: JSON when the request asked for JSON,
 * otherwise the template tmpl rendered with the keys every page has.
 * Does not take the caller's reference.
 */
int
web_page(struct http_request *req, int status, const char *tmpl, json_t *vm)
{
	struct app_req		*ar;
	struct i18n_ctx		 ictx;
	char			*out, err[256], next[2048], url[2200];
	const char		*other;
	size_t			 outlen;

	ar = app_req(req);
	if (ar->json)
		return (web_json(req, status, vm));

	other = strcmp(ar->lang, "ko") == 0 ? "en" : "ko";
	(void)snprintf(url, sizeof(url), "%s%s%s", req->path,
	    req->query_string != NULL ? "?" : "",
	    req->query_string != NULL ? req->query_string : "");
	if (qs_encode(url, next, sizeof(next)) == -1)
		(void)kore_strlcpy(next, "%2F", sizeof(next));
	(void)snprintf(url, sizeof(url), "/lang?set=%s&next=%s", other, next);

	json_object_set_new(vm, "lang", json_string(ar->lang));
	json_object_set_new(vm, "other_lang", json_string(other));
	json_object_set_new(vm, "lang_switch_url", json_string(url));
	json_object_set_new(vm, "request_id", json_string(ar->rid));
	json_object_set_new(vm, "demo", json_boolean(app_demo));
	web_page_principal(req, ar, vm);
	if (json_object_get(vm, "title") == NULL)
		json_object_set_new(vm, "title",
		    json_string(web_str(req, "site.name")));

	ictx.t = app_strings;
	ictx.lang = ar->lang;
	if (tmpl_render(app_templates, tmpl, vm, i18n_strfn, &ictx,
	    &out, &outlen, err, sizeof(err)) == -1) {
		web_log(req, "template %s: %s", tmpl, err);
		web_headers(req);
		http_response_header(req, "content-type",
		    "text/plain; charset=utf-8");
		http_response(req, 500, "internal error\n", 15);
		return (KORE_RESULT_OK);
	}
	web_headers(req);
	http_response_header(req, "content-type", "text/html; charset=utf-8");
	http_response_header(req, "cache-control", "no-cache");
	http_response(req, status, out, outlen);
	free(out);
	return (KORE_RESULT_OK);
}

/*
 * Answers a domain error: {"error": {"code", "message", "field"}} with the
 * table's status, or the error page. key overrides the table's message;
 * "{field}" in the message becomes field.
 */
int
web_error(struct http_request *req, enum app_err err, const char *field,
    const char *key)
{
	struct app_req	*ar;
	json_t		*vm;
	char		*msg;
	int		 status;

	if (err <= APP_OK || err >= APP_ERR__MAX)
		err = APP_EINTERNAL;
	status = app_errors[err].status;
	msg = str_subst(web_str(req, key != NULL ? key : app_errors[err].key),
	    "{field}", field != NULL ? field : "");

	ar = app_req(req);
	if (ar == NULL || ar->json) {
		vm = json_pack("{s:{s:s, s:s, s:s?}}", "error",
		    "code", app_errors[err].code, "message", msg,
		    "field", field);
		if (vm == NULL) {
			kore_free(msg);
			return (web_json(req, 500, json_null()));
		}
		kore_free(msg);
		(void)web_json(req, status, vm);
		json_decref(vm);
		return (KORE_RESULT_OK);
	}

	vm = json_pack("{s:i, s:s, s:s, s:s?, s:s}", "status", status,
	    "code", app_errors[err].code, "message", msg, "field", field,
	    "title", msg);
	kore_free(msg);
	if (vm == NULL)
		return (web_json(req, 500, json_null()));
	(void)web_page(req, status, "error", vm);
	json_decref(vm);
	return (KORE_RESULT_OK);
}

/* Maps a failed statement to an answer: 23505 → 409, 23503 → 422, else 503/500. */
int
web_db_error(struct http_request *req, struct db_call *c)
{
	if (strcmp(c->sqlstate, "23505") == 0)
		return (web_error(req, APP_ECONFLICT, NULL, NULL));
	if (strcmp(c->sqlstate, "23503") == 0)
		return (web_error(req, APP_EREFERENCE, NULL, NULL));
	if (strncmp(c->sqlstate, "08", 2) == 0 ||
	    strncmp(c->sqlstate, "57", 2) == 0)
		return (web_error(req, APP_EUNAVAIL, NULL, NULL));
	return (web_error(req, APP_EINTERNAL, NULL, NULL));
}

/* 303 See Other to a local path. */
int
web_redirect(struct http_request *req, const char *to)
{
	web_headers(req);
	http_response_header(req, "location", to);
	http_response(req, 303, NULL, 0);
	return (KORE_RESULT_OK);
}

/*
 * Reads integer parameter name into *out (def when absent). Answers 400
 * naming it and returns 0 when it is not an integer within [min, max].
 */
int
web_param_int(struct http_request *req, const char *name, int64_t def,
    int64_t min, int64_t max, int64_t *out)
{
	struct app_req	*ar;
	const char	*s;
	char		*end;
	long long	 v;

	ar = app_req(req);
	if ((s = qs_get(&ar->qs, name)) == NULL || *s == '\0') {
		*out = def;
		return (1);
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max ||
	    !(*s == '-' || (*s >= '0' && *s <= '9'))) {
		(void)web_error(req, APP_EINVAL, name, NULL);
		return (0);
	}
	*out = v;
	return (1);
}

/*
 * The keys about the caller every page gets: signed_in, me.role and the
 * CSRF token forms carry. An anonymous page gets a pre-session token in a
 * cookie and the same value in its forms (double submit).
 */
static void
web_page_principal(struct http_request *req, struct app_req *ar, json_t *vm)
{
	char	*pre, tok[64], key[64];

	json_object_set_new(vm, "signed_in", json_boolean(ar->who.user_id != 0));
	if (ar->who.user_id != 0) {
		(void)snprintf(key, sizeof(key), "role.%s",
		    auth_role_name(ar->who.role));
		json_object_set_new(vm, "me", json_pack("{s:s, s:s, s:b, s:b, "
		    "s:I}", "role", auth_role_name(ar->who.role),
		    "role_label", web_str(req, key),
		    "buyer", (ar->who.role & ROLES_AGENCY) != 0,
		    "vendor", (ar->who.role & ROLES_VENDOR) != 0,
		    "unread", (json_int_t)ar->who.unread));
		json_object_set_new(vm, "csrf", json_string(ar->who.csrf));
		return;
	}
	if (http_request_cookie(req, "csrf_pre", &pre) && strlen(pre) >= 16 &&
	    strlen(pre) < sizeof(tok)) {
		json_object_set_new(vm, "csrf", json_string(pre));
		return;
	}
	randombytes_buf(key, 24);
	sodium_bin2base64(tok, sizeof(tok), (unsigned char *)key, 24,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	web_set_cookie(req, "csrf_pre", tok, 0);
	json_object_set_new(vm, "csrf", json_string(tok));
}

/* The value of form field name (url-encoded POST body), or NULL. */
const char *
web_form(struct http_request *req, const char *name)
{
	struct app_req	*ar;

	ar = app_req(req);
	return (qs_get(&ar->form, name));
}

/*
 * The value of field name of a POST body: a url-encoded form field, or a
 * string member of a JSON body. NULL when absent (or not a string).
 * Borrowed from the request.
 */
const char *
web_input(struct http_request *req, const char *name)
{
	struct app_req	*ar;
	json_t		*v;

	ar = app_req(req);
	if (ar->body != NULL) {
		v = json_object_get(ar->body, name);
		return (json_is_string(v) ? json_string_value(v) : NULL);
	}
	return (qs_get(&ar->form, name));
}

/*
 * Id field name of a POST body: a JSON integer, or decimal text (a form
 * field or a JSON string). Returns 1 with *out a positive id, 0 when the
 * field is absent, empty or null (*out is 0), -1 for anything else.
 */
int
web_input_id(struct http_request *req, const char *name, int64_t *out)
{
	struct app_req	*ar;
	json_t		*v;
	const char	*s;
	char		*end;
	long long	 n;

	ar = app_req(req);
	*out = 0;
	v = ar->body != NULL ? json_object_get(ar->body, name) : NULL;
	if (json_is_integer(v)) {
		if (json_integer_value(v) <= 0)
			return (-1);
		*out = json_integer_value(v);
		return (1);
	}
	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		return (-1);
	if ((s = web_input(req, name)) == NULL || *s == '\0')
		return (0);
	if (*s < '1' || *s > '9')
		return (-1);
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return (-1);
	*out = n;
	return (1);
}

/*
 * 1 if s is acceptable text of at most max characters: valid UTF-8 (the
 * request plumbing checks forms, this checks JSON strings too) and, when
 * required, present and not blank. An absent s is fine unless required.
 */
int
web_text_ok(const char *s, size_t max, int required)
{
	size_t	len;

	if (s == NULL)
		return (!required);
	len = strlen(s);
	if (!utf8_valid(s, len) || utf8_len(s, len) > max)
		return (0);
	return (!required || strspn(s, " \t\r\n") < len);
}

/*
 * The value of row's key ko or en in the reader's language: en for
 * English readers when it is not empty, else ko (Korean is the fallback
 * of every bilingual column). Borrowed from row; "" when absent.
 */
const char *
web_pick(struct http_request *req, json_t *row, const char *ko,
    const char *en)
{
	const char	*s;

	if (strcmp(app_req(req)->lang, "en") == 0 &&
	    (s = json_string_value(json_object_get(row, en))) != NULL &&
	    *s != '\0')
		return (s);
	s = json_string_value(json_object_get(row, ko));
	return (s != NULL ? s : "");
}

/*
 * Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure when the proxy
 * says the request came over TLS. max_age 0 with an empty value deletes
 * it; max_age 0 otherwise makes a browser-session cookie.
 */
void
web_set_cookie(struct http_request *req, const char *name, const char *value,
    int max_age)
{
	const char	*proto;
	char		 buf[512], age[32];
	int		 secure;

	secure = http_request_header(req, "x-forwarded-proto", &proto) &&
	    strcmp(proto, "https") == 0;
	age[0] = '\0';
	if (max_age > 0 || value[0] == '\0')
		(void)snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
	(void)snprintf(buf, sizeof(buf), "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s%s", name, value, age, secure ? "; Secure" : "");
	http_response_header(req, "set-cookie", buf);
}

/* The client's address as text (the proxy's, behind one). */
const char *
web_client_addr(struct http_request *req, char *buf, size_t len)
{
	struct connection	*c;

	c = req->owner;
	buf[0] = '\0';
	if (c->family == AF_INET)
		(void)inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, buf, len);
	else if (c->family == AF_INET6)
		(void)inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, buf, len);
	return (buf);
}

/*
 * A form page: with err APP_OK renders tmpl with vm; otherwise answers
 * JSON errors as web_error() does, and for browsers renders the same form
 * with status, vm.error = {code, message, field} and the user's input
 * (already in vm) kept.
 */
int
web_form_page(struct http_request *req, int status, const char *tmpl,
    json_t *vm, enum app_err err, const char *field, const char *key)
{
	struct app_req	*ar;
	char		*msg;

	ar = app_req(req);
	if (err == APP_OK)
		return (web_page(req, status, tmpl, vm));
	if (ar->json)
		return (web_error(req, err, field, key));
	msg = str_subst(web_str(req, key != NULL ? key : app_errors[err].key),
	    "{field}", field != NULL ? field : "");
	json_object_set_new(vm, "error", json_pack("{s:s, s:s, s:s?}",
	    "code", app_errors[err].code, "message", msg, "field", field));
	kore_free(msg);
	return (web_page(req, status, tmpl, vm));
}

/*
 * Appends one CSV cell: a comma first unless it is the first, quoted,
 * quotes doubled, and a leading quote when a spreadsheet would read the
 * cell as a formula (= + - @, tab, carriage return).
 */
void
web_csv_cell(struct kore_buf *b, const char *s, int first)
{
	const char	*p;

	if (!first)
		kore_buf_append(b, ",", 1);
	kore_buf_append(b, "\"", 1);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r')
		kore_buf_append(b, "'", 1);
	while ((p = strchr(s, '"')) != NULL) {
		kore_buf_append(b, s, p - s + 1);
		kore_buf_append(b, "\"", 1);
		s = p + 1;
	}
	kore_buf_append(b, s, strlen(s));
	kore_buf_append(b, "\"", 1);
}

/* Logs one line tagged with the request id. */
void
web_log(struct http_request *req, const char *fmt, ...)
{
	struct app_req	*ar;
	va_list		 ap;
	char		 line[1024];

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ar = req != NULL ? app_req(req) : NULL;
	kore_log(LOG_NOTICE, "rid=%s %s", ar != NULL ? ar->rid : "-", line);
}

/* Returns a kore_malloc'd copy of s with every needle replaced by with. */
static char *
str_subst(const char *s, const char *needle, const char *with)
{
	struct kore_buf	 buf;
	const char	*p;
	size_t		 nlen, len;

	kore_buf_init(&buf, 128);
	nlen = strlen(needle);
	while ((p = strstr(s, needle)) != NULL) {
		kore_buf_append(&buf, s, p - s);
		kore_buf_append(&buf, with, strlen(with));
		s = p + nlen;
	}
	kore_buf_append(&buf, s, strlen(s) + 1);
	return ((char *)kore_buf_release(&buf, &len));
}
