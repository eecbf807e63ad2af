/*
 * The route table: every path Gureum answers, its methods, its handler and
 * the query parameters it accepts. The dispatcher (web.c) reads only this
 * table; Kore's configuration sends every path here. Later issues add the
 * access rule of each route as a column, so that who may call what is
 * decided in one place.
 */

#include "gureum.h"

const struct route routes[] = {
	/* path			methods	handler		params			api */
	{ "/",			M_GET,	search_page,	"q page per_page type",	0 },
	{ "/search",		M_GET,	search_page,	"q page per_page type",	0 },
	{ "/api/v1/search",	M_GET,	search_api,	"q page per_page type",	1 },
	{ "/services/:id",	M_GET,	catalog_service, "",			0 },
	{ "/api/v1/services/:id", M_GET, catalog_service, "",			1 },
	{ "/healthz",		M_GET,	health_check,	"",			1 },
	{ "/lang",		M_GET,	lang_switch,	"set next",		0 },
	{ "/static/gureum.css",	M_GET,	static_serve,	"v",			0 },
	{ "/static/gureum.js",	M_GET,	static_serve,	"v",			0 },
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
