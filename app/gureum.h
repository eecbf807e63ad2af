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

#include <jansson.h>
#include <stdint.h>

#include "qs.h"

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
	APP_EFORBIDDEN,		/* 403 forbidden */
	APP_ENOTFOUND,		/* 404 not_found */
	APP_EMETHOD,		/* 405 method_not_allowed */
	APP_ECONFLICT,		/* 409 conflict */
	APP_ETOOLARGE,		/* 413 payload_too_large */
	APP_EREFERENCE,		/* 422 invalid_reference */
	APP_EINTERNAL,		/* 500 internal */
	APP_EUNAVAIL,		/* 503 unavailable */
	APP_ERR__MAX
};

/* Route methods, a bit mask of Kore's HTTP_METHOD_* values. */
#define M_GET		(HTTP_METHOD_GET | HTTP_METHOD_HEAD)
#define M_POST		HTTP_METHOD_POST

/*
 * One row of the route table (routes.c). A path is matched exactly, or
 * segment by segment when it holds ":id" (a positive decimal integer that
 * lands in app_req->id). `params` names the query parameters the route
 * accepts, space separated; any other is refused with 400.
 */
struct route {
	const char	*path;
	int		 methods;
	int		(*handler)(struct http_request *);
	const char	*params;
	int		 api;		/* under /api/v1: always JSON */
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
void		 web_log(struct http_request *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 web_param_int(struct http_request *, const char *, int64_t,
		    int64_t, int64_t, int64_t *);

/* db.c */
int		 db_call(struct http_request *, struct db_call *, const char *,
		    int, const char **);
void		 db_cleanup(struct db_call *);

/* search.c */
int		 search_page(struct http_request *);
int		 search_api(struct http_request *);
int		 search_index_status(json_t **);

/* catalog.c */
int		 catalog_service(struct http_request *);

/* health.c */
int		 health_check(struct http_request *);

/* static.c */
int		 static_load(const char *);
int		 static_serve(struct http_request *);
int		 lang_switch(struct http_request *);

#endif
