/*
 * Catalog search: the page at / and /search, and GET /api/v1/search.
 *
 * Searches run against the Xapian index, not PostgreSQL: each hit carries
 * the few fields a result card needs in its document data, so a search
 * costs no database round trip. The index is built by `gureumctl reindex`
 * beside the live one and swapped in by renaming a symlink; each worker
 * looks at the symlink at most once a second and opens the new index when
 * it changed, or reopens the current one to see the indexer's commits.
 *
 * Slots and terms written by the indexer (app/ctl_index.c) and read here
 * are defined in search_slots.h so that both sides agree.
 */

#include <sodium.h>

#include "gureum.h"
#include "search_slots.h"
#include "xsearch.h"

#define SEARCH_Q_MAX_CHARS	200
#define SEARCH_PER_PAGE		20
#define SEARCH_PAGE_MAX		10000
#define SEARCH_RECHECK_MS	1000

static struct xs_db	*sdb;
static char		 sdb_target[PATH_MAX];
static u_int64_t	 sdb_checked;

static const char *service_types[] = {
	"iaas", "paas", "saas", "daas", "support"
};
#define SERVICE_TYPES	(sizeof(service_types) / sizeof(service_types[0]))

static struct xs_db	*search_db(char *, size_t);
static json_t		*search_card(struct http_request *, const struct xs_hit *);
static char		*search_url(const char *, const char **, size_t, int64_t,
			    const char *);

/* The orders besides relevance, by their ?sort= names. */
static const struct {
	const char	*name;
	unsigned	 slot;
	int		 desc;
} sorts[] = {
	{ "price_asc", SEARCH_SLOT_PRICE_ASC, 0 },
	{ "price_desc", SEARCH_SLOT_PRICE_DESC, 1 },
	{ "newest", SEARCH_SLOT_NEWEST, 1 },
};
static const char	*search_type_label(struct http_request *, const char *);

/*
 * The worker's index handle, opened or refreshed as needed. Returns NULL
 * with a reason in err when there is no usable index.
 */
static struct xs_db *
search_db(char *err, size_t errlen)
{
	struct xs_db	*ndb;
	const char	*path, *slash;
	char		 target[PATH_MAX], full[PATH_MAX];
	ssize_t		 n;
	u_int64_t	 now;

	now = kore_time_ms();
	if (sdb != NULL && now - sdb_checked < SEARCH_RECHECK_MS)
		return (sdb);
	sdb_checked = now;

	path = app_index_path();
	if ((n = readlink(path, target, sizeof(target) - 1)) == -1) {
		/* Not a symlink: an index directory given directly. */
		(void)kore_strlcpy(full, path, sizeof(full));
	} else {
		target[n] = '\0';
		if (target[0] == '/' || (slash = strrchr(path, '/')) == NULL) {
			(void)kore_strlcpy(full, target, sizeof(full));
		} else {
			(void)snprintf(full, sizeof(full), "%.*s/%s",
			    (int)(slash - path), path, target);
		}
	}

	if (sdb != NULL && strcmp(full, sdb_target) == 0) {
		if (xs_reopen(sdb, err, errlen) < 0)
			kore_log(LOG_NOTICE, "search: reopen: %s", err);
		return (sdb);
	}
	if ((ndb = xs_open(full, err, errlen)) == NULL) {
		if (sdb != NULL)
			kore_log(LOG_NOTICE, "search: keeping old index: %s",
			    err);
		return (sdb);
	}
	xs_close(sdb);
	sdb = ndb;
	(void)kore_strlcpy(sdb_target, full, sizeof(sdb_target));
	return (sdb);
}

/*
 * For /healthz: fills *out with the index state. Returns 1 when the index
 * can answer searches.
 */
int
search_index_status(json_t **out)
{
	struct xs_db	*db;
	char		 err[256];

	err[0] = '\0';
	if ((db = search_db(err, sizeof(err))) == NULL) {
		*out = json_pack("{s:s, s:s}", "status", "missing",
		    "error", err[0] != '\0' ? err : "no index");
		return (0);
	}
	*out = json_pack("{s:s, s:I}", "status", "ok",
	    "documents", (json_int_t)xs_doccount(db));
	return (1);
}

int
search_api(struct http_request *req)
{
	return (search_page(req));
}

/* GET / , /search, /api/v1/search: q, page, per_page, type (repeatable). */
int
search_page(struct http_request *req)
{
	struct app_req		*ar;
	struct xs_db		*db;
	struct xs_query		 q;
	struct xs_result	*res, *fres, *facet;
	struct xs_prefix	 prefixes[] = {
		{ "vendor", SEARCH_PREFIX_VENDOR },
		{ "name", SEARCH_PREFIX_NAME },
	};
	struct xs_filter	 group;
	const char		*types[SERVICE_TYPES], *text, *v;
	char			 terms[SERVICE_TYPES][16], err[256], *qtext;
	const char		*termp[SERVICE_TYPES];
	unsigned		 facet_slots[] = { SEARCH_SLOT_TYPE };
	json_t			*vm, *results, *card, *facets, *pages, *pg;
	int64_t			 page, per_page, npages, n;
	size_t			 i, j, ntypes, len, cut;
	int			 truncated, rc;
	char			*url;
	const char		*sort;
	size_t			 si;

	ar = app_req(req);

	if (!web_param_int(req, "page", 1, 1, SEARCH_PAGE_MAX, &page))
		return (KORE_RESULT_OK);
	if (!web_param_int(req, "per_page", SEARCH_PER_PAGE, 1, 100, &per_page))
		return (KORE_RESULT_OK);

	/* sort: relevance (default), price_asc, price_desc, newest. */
	sort = qs_get(&ar->qs, "sort");
	si = 0;
	if (sort != NULL && *sort != '\0' && strcmp(sort, "relevance") != 0) {
		for (si = 0; si < sizeof(sorts) / sizeof(sorts[0]); si++)
			if (strcmp(sorts[si].name, sort) == 0)
				break;
		if (si == sizeof(sorts) / sizeof(sorts[0]))
			return (web_error(req, APP_EINVAL, "sort",
			    "error.invalid_value"));
		sort = sorts[si].name;
	} else {
		sort = NULL;
	}

	ntypes = 0;
	for (i = 0; (v = qs_nth(&ar->qs, "type", i)) != NULL; i++) {
		for (j = 0; j < SERVICE_TYPES; j++) {
			if (strcmp(v, service_types[j]) == 0)
				break;
		}
		if (j == SERVICE_TYPES)
			return (web_error(req, APP_EINVAL, "type",
			    "error.invalid_value"));
		if (ntypes < SERVICE_TYPES) {
			types[ntypes] = service_types[j];
			(void)snprintf(terms[ntypes], sizeof(terms[ntypes]),
			    "%s%s", SEARCH_PREFIX_TYPE, service_types[j]);
			termp[ntypes] = terms[ntypes];
			ntypes++;
		}
	}

	if ((text = qs_get(&ar->qs, "q")) == NULL)
		text = "";
	len = strlen(text);
	truncated = 0;
	/* At most SEARCH_Q_MAX_CHARS characters and XS_QUERY_MAX bytes. */
	cut = utf8_prefix(text, len, SEARCH_Q_MAX_CHARS);
	if (cut > XS_QUERY_MAX) {
		cut = XS_QUERY_MAX;
		while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
			cut--;
	}
	if (cut < len) {
		qtext = kore_malloc(cut + 1);
		memcpy(qtext, text, cut);
		qtext[cut] = '\0';
		truncated = 1;
	} else {
		qtext = kore_strdup(text);
	}

	err[0] = '\0';
	if ((db = search_db(err, sizeof(err))) == NULL) {
		web_log(req, "search: no index: %s", err);
		kore_free(qtext);
		return (web_error(req, APP_EUNAVAIL, NULL,
		    "error.index_unavailable"));
	}

	xs_query_init(&q);
	q.text = qtext;
	q.prefixes = prefixes;
	q.nprefixes = sizeof(prefixes) / sizeof(prefixes[0]);
	group.terms = termp;
	group.nterms = ntypes;
	q.groups = &group;
	q.ngroups = ntypes > 0 ? 1 : 0;
	q.offset = (unsigned)((page - 1) * per_page);
	q.limit = (unsigned)per_page;
	q.sort = XS_SORT_RELEVANCE;
	q.tiebreak_slot = SEARCH_SLOT_TIEBREAK;
	if (sort != NULL) {
		q.sort = XS_SORT_VALUE;
		q.sort_slot = sorts[si].slot;
		q.sort_desc = sorts[si].desc;
	}
	q.facet_slots = facet_slots;
	q.nfacets = 1;
	q.snippet_slot = strcmp(ar->lang, "en") == 0 ?
	    SEARCH_SLOT_SNIPPET_EN : SEARCH_SLOT_SNIPPET_KO;
	q.snippet_len = 160;

	res = NULL;
	if ((rc = xs_search(db, &q, &res, err, sizeof(err))) != XS_OK) {
		web_log(req, "search: %s", err);
		kore_free(qtext);
		if (rc == XS_EQUERY)
			return (web_error(req, APP_ETOOLONG, "q", NULL));
		return (web_error(req, APP_EUNAVAIL, NULL,
		    "error.index_unavailable"));
	}

	/*
	 * Facet counts say what clicking would give, so the type facet is
	 * counted with the type selection removed: one more query, hits off.
	 */
	fres = NULL;
	if (ntypes > 0) {
		q.ngroups = 0;
		q.offset = 0;
		q.limit = 0;
		q.snippet_slot = XS_NOSLOT;
		if (xs_search(db, &q, &fres, err, sizeof(err)) != XS_OK) {
			web_log(req, "search: facets: %s", err);
			fres = NULL;
		}
		q.offset = (unsigned)((page - 1) * per_page);
	}
	facet = fres != NULL ? fres : res;

	npages = (res->total + per_page - 1) / per_page;
	vm = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
	    "q", qtext,
	    "searched", strcmp(req->path, "/") != 0 || qtext[0] != '\0',
	    "total", (json_int_t)res->total,
	    "page", (json_int_t)page,
	    "per_page", (json_int_t)per_page,
	    "pages", (json_int_t)npages,
	    "from", (json_int_t)(res->nhits > 0 ? q.offset + 1 : 0),
	    "to", (json_int_t)(q.offset + res->nhits),
	    "query_truncated", truncated);
	if (vm == NULL) {
		xs_result_free(res);
		xs_result_free(fres);
		kore_free(qtext);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	ar->vm = vm;
	{
		json_t	*opts;
		char	 key[48];

		opts = json_array();
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", "relevance", "label", web_str(req,
		    "search.sort.relevance"), "selected", sort == NULL));
		for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
			(void)snprintf(key, sizeof(key), "search.sort.%s",
			    sorts[i].name);
			json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
			    "value", sorts[i].name, "label", web_str(req, key),
			    "selected", sort != NULL && strcmp(sort,
			    sorts[i].name) == 0));
		}
		json_object_set_new(vm, "sort", json_string(sort != NULL ?
		    sort : "relevance"));
		json_object_set_new(vm, "sorts", opts);
		/* "Save this search" (shortlist.c keeps the query string). */
		url = search_url(qtext, types, ntypes, 1, sort);
		{
			char	enc[SEARCH_Q_MAX_CHARS * 4 * 3 * 3 + 64];

			if (qs_encode(url + strlen("/search?"), enc,
			    sizeof(enc)) == 0)
				json_object_set_new(vm, "save_url",
				    json_sprintf("/searches?query=%s", enc));
		}
		kore_free(url);
	}

	results = json_array();
	for (i = 0; i < res->nhits; i++) {
		if ((card = search_card(req, &res->hits[i])) != NULL)
			json_array_append_new(results, card);
	}
	json_object_set_new(vm, "results", results);

	facets = json_array();
	for (i = 0; facet->nfacets > 0 && i < facet->facets[0].nvalues; i++) {
		v = facet->facets[0].values[i].value;
		for (j = 0; j < ntypes; j++) {
			if (strcmp(types[j], v) == 0)
				break;
		}
		json_array_append_new(facets, json_pack("{s:s, s:s, s:I, s:b}",
		    "value", v, "label", search_type_label(req, v),
		    "count", (json_int_t)facet->facets[0].values[i].count,
		    "selected", j < ntypes));
	}
	json_object_set_new(vm, "facets", json_pack("{s:o}", "type", facets));

	if (page > npages && res->total > 0) {
		url = search_url(qtext, types, ntypes, npages, sort);
		json_object_set_new(vm, "notice",
		    json_string(web_str(req, "search.notice_past_last_page")));
		json_object_set_new(vm, "notice_code",
		    json_string("past_last_page"));
		json_object_set_new(vm, "last_page_url", json_string(url));
		kore_free(url);
	} else if (truncated) {
		json_object_set_new(vm, "notice",
		    json_string(web_str(req, "search.notice_query_truncated")));
		json_object_set_new(vm, "notice_code",
		    json_string("query_truncated"));
	}

	/* Pagination links: a window of pages around the current one. */
	pages = json_array();
	for (n = page - 4 < 1 ? 1 : page - 4; n <= npages && n <= page + 4;
	    n++) {
		url = search_url(qtext, types, ntypes, n, sort);
		pg = json_pack("{s:I, s:s, s:b}", "n", (json_int_t)n,
		    "url", url, "current", n == page);
		kore_free(url);
		json_array_append_new(pages, pg);
	}
	url = search_url(qtext, types, ntypes, page - 1, sort);
	json_object_set_new(vm, "pagination", json_pack("{s:s?, s:s?, s:o}",
	    "prev_url", page > 1 && page <= npages ? url : NULL,
	    "next_url", NULL, "pages", pages));
	kore_free(url);
	if (page < npages) {
		url = search_url(qtext, types, ntypes, page + 1, sort);
		json_object_set_new(json_object_get(vm, "pagination"),
		    "next_url", json_string(url));
		kore_free(url);
	}

	json_object_set_new(vm, "title", json_string(qtext[0] != '\0' ?
	    qtext : web_str(req, "search.title")));

	xs_result_free(res);
	xs_result_free(fres);
	kore_free(qtext);

	/*
	 * A buyer sees, on each card, how many of its systems may contract
	 * the service (eligcheck.c): one statement for the page. The search
	 * runs again when the statement wakes the request; it is cheap.
	 */
	if ((ar->who.role & ROLES_AGENCY) && json_array_size(results) > 0) {
		struct kore_buf	 ids;
		json_t		*elig, *counts;
		char		 key[24];
		int		 erc;

		kore_buf_init(&ids, 128);
		kore_buf_append(&ids, "{", 1);
		json_array_foreach(results, i, card)
			kore_buf_appendf(&ids, "%s%lld", i ? "," : "",
			    (long long)json_integer_value(json_object_get(card,
			    "id")));
		kore_buf_append(&ids, "}", 2);
		erc = eligcheck_preview_many(req, &ar->db[0],
		    (const char *)ids.data, &elig);
		kore_buf_cleanup(&ids);
		if (erc == DB_PENDING) {
			json_decref(ar->vm);
			ar->vm = NULL;
			return (KORE_RESULT_RETRY);
		}
		if (erc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		json_array_foreach(results, i, card) {
			(void)snprintf(key, sizeof(key), "%lld", (long long)
			    json_integer_value(json_object_get(card, "id")));
			if ((counts = json_object_get(elig, key)) != NULL)
				json_object_set(card, "my_eligibility", counts);
		}
		json_decref(elig);
	}
	return (web_page(req, 200, "search", vm));
}

/*
 * One result card from a hit's stored data, in the request's language,
 * with the card signals the indexer stored (catalog.c labels them).
 */
static json_t *
search_card(struct http_request *req, const struct xs_hit *hit)
{
	struct app_req	*ar;
	json_t		*d, *card;
	const char	*type, *name, *alt, *summary, *vendor;
	char		 url[64];
	int		 en;

	ar = app_req(req);
	if ((d = json_loadb(hit->data, hit->datalen, 0, NULL)) == NULL) {
		web_log(req, "search: bad document data for %lld",
		    (long long)hit->id);
		return (NULL);
	}
	en = strcmp(ar->lang, "en") == 0;
	type = json_string_value(json_object_get(d, "type"));
	name = json_string_value(json_object_get(d, en ? "name_en" : "name_ko"));
	alt = json_string_value(json_object_get(d, en ? "name_ko" : "name_en"));
	summary = json_string_value(json_object_get(d,
	    en ? "summary_en" : "summary_ko"));
	vendor = json_string_value(json_object_get(d,
	    en ? "vendor_en" : "vendor_ko"));
	/* English text may be missing: fall back to Korean. */
	if (name == NULL || *name == '\0') {
		name = alt;
		alt = "";
	}
	/* Imported listings carry the English name in both columns. */
	if (name != NULL && alt != NULL && strcmp(name, alt) == 0)
		alt = "";
	if (summary == NULL || *summary == '\0')
		summary = json_string_value(json_object_get(d, "summary_ko"));
	if (vendor == NULL || *vendor == '\0')
		vendor = json_string_value(json_object_get(d, "vendor_ko"));
	(void)snprintf(url, sizeof(url), "/services/%lld", (long long)hit->id);

	card = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
	    "s:s?, s:i}",
	    "id", (json_int_t)hit->id, "url", url,
	    "name", name, "name_alt", alt, "summary", summary,
	    "snippet", hit->snippet, "vendor", vendor,
	    "service_type", type,
	    "service_type_label", search_type_label(req, type),
	    "score", hit->percent);
	/* The signals the indexer stored (catalog_card()), as labels. */
	if (card != NULL)
		catalog_card_signals(req, json_object_get(d, "card"), card);
	json_decref(d);
	return (card);
}

/* "/search?q=..&type=..&page=n", kore_malloc'd. */
static char *
search_url(const char *q, const char **types, size_t ntypes, int64_t page,
    const char *sort)
{
	struct kore_buf	 buf;
	char		 enc[SEARCH_Q_MAX_CHARS * 4 * 3 + 1];
	size_t		 i, len;

	kore_buf_init(&buf, 128);
	if (qs_encode(q, enc, sizeof(enc)) == -1)
		enc[0] = '\0';
	kore_buf_appendf(&buf, "/search?q=%s", enc);
	for (i = 0; i < ntypes; i++)
		kore_buf_appendf(&buf, "&type=%s", types[i]);
	if (sort != NULL)
		kore_buf_appendf(&buf, "&sort=%s", sort);
	if (page > 1)
		kore_buf_appendf(&buf, "&page=%lld", (long long)page);
	kore_buf_append(&buf, "", 1);
	return ((char *)kore_buf_release(&buf, &len));
}

/* The translated label of a service type ("type.saas" in the strings). */
static const char *
search_type_label(struct http_request *req, const char *type)
{
	char	key[32];

	if (type == NULL)
		return (NULL);
	(void)snprintf(key, sizeof(key), "type.%s", type);
	return (web_str(req, key));
}
