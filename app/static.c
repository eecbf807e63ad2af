/*
 * The few static files (stylesheet, script) served from memory, and the
 * language switch.
 *
 * They are read once at start (app_init) so that workers do no file I/O
 * for them, and they carry a content hash as ETag so browsers revalidate
 * cheaply. A CDN or the reverse proxy can cache them in production.
 */

#include <sodium.h>

#include "gureum.h"

struct static_file {
	const char	*path;		/* URL path */
	const char	*file;		/* under assets/static */
	const char	*type;
	char		*data;
	size_t		 len;
	char		 etag[24];
};

static struct static_file static_files[] = {
	{ "/static/gureum.css", "gureum.css", "text/css; charset=utf-8",
	    NULL, 0, "" },
	{ "/static/gureum.js", "gureum.js",
	    "text/javascript; charset=utf-8", NULL, 0, "" },
};

#define STATIC_N	(sizeof(static_files) / sizeof(static_files[0]))

/* Loads the files from dir; a missing file is an empty one (logged). */
int
static_load(const char *dir)
{
	struct static_file	*f;
	FILE			*fp;
	char			 path[PATH_MAX];
	unsigned char		 h[8];
	size_t			 i, n, cap;

	for (i = 0; i < STATIC_N; i++) {
		f = &static_files[i];
		(void)snprintf(path, sizeof(path), "%s/%s", dir, f->file);
		cap = 4096;
		f->data = kore_malloc(cap);
		f->len = 0;
		if ((fp = fopen(path, "r")) == NULL) {
			kore_log(LOG_NOTICE, "static: %s: %s", path, errno_s);
		} else {
			while ((n = fread(f->data + f->len, 1, cap - f->len,
			    fp)) > 0) {
				f->len += n;
				if (f->len == cap) {
					cap *= 2;
					f->data = kore_realloc(f->data, cap);
				}
			}
			fclose(fp);
		}
		crypto_generichash(h, sizeof(h), (unsigned char *)f->data,
		    f->len, NULL, 0);
		(void)snprintf(f->etag, sizeof(f->etag),
		    "\"%02x%02x%02x%02x%02x%02x%02x%02x\"",
		    h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
	}
	return (1);
}

int
static_serve(struct http_request *req)
{
	struct static_file	*f;
	const char		*inm;
	size_t			 i;

	for (i = 0; i < STATIC_N; i++) {
		f = &static_files[i];
		if (strcmp(req->path, f->path) != 0)
			continue;
		web_headers(req);
		http_response_header(req, "etag", f->etag);
		http_response_header(req, "cache-control",
		    "public, max-age=300");
		if (http_request_header(req, "if-none-match", &inm) &&
		    strcmp(inm, f->etag) == 0) {
			http_response(req, 304, NULL, 0);
			return (KORE_RESULT_OK);
		}
		http_response_header(req, "content-type", f->type);
		http_response(req, 200, f->data, f->len);
		return (KORE_RESULT_OK);
	}
	return (web_error(req, APP_ENOTFOUND, NULL, NULL));
}

/*
 * GET /lang?set=en&next=/search?q=x: remembers the language in a cookie
 * and goes back. `next` must be a local path, so the switch cannot be used
 * to send people elsewhere.
 */
int
lang_switch(struct http_request *req)
{
	struct app_req	*ar;
	const char	*set, *next;
	char		 cookie[64];

	ar = app_req(req);
	set = qs_get(&ar->qs, "set");
	next = qs_get(&ar->qs, "next");
	if (set == NULL || (strcmp(set, "ko") != 0 && strcmp(set, "en") != 0))
		return (web_error(req, APP_EINVAL, "set", NULL));
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strlen(next) > 2000)
		next = "/";
	(void)snprintf(cookie, sizeof(cookie),
	    "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", set);
	http_response_header(req, "set-cookie", cookie);
	return (web_redirect(req, next));
}
