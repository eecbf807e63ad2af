/*
 * The buyers' working tools: shortlists (이용희망목록) and saved searches.
 *
 * A shortlist belongs to an agency and is named after the project it is
 * for. Buyers add services to it from search results and service pages
 * (GET /shortlists/add?listing=N&search=... asks which list), each with
 * the listing version current at that moment and the search that found
 * it; they compare the services of one type side by side (/compare, at
 * most four, same type only), record for each whether it was kept or
 * dropped and why, and lock the list when every service is decided and at
 * least one kept. A locked list never changes: it is the evidence a
 * direct award (수의계약) needs, exported as CSV with the versions at
 * adding and at locking and the searches that produced them.
 *
 * Any buyer or approver of the agency works on the agency's lists;
 * another agency's list answers 404 (its existence is not disclosed). The
 * procurement office's reviewers, auditors and admins read every list and
 * change none. Every change is one SQL function of sql/0012_buyer_tools.sql
 * that checks ownership and state, changes and writes the audit event
 * together, and answers an outcome word mapped by outcomes[] below.
 *
 * A saved search is a query string of the search page kept under a name
 * for the user who saved it; re-running it is following a link.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "gureum.h"
#include "money.h"

#define PROJECT_MAX	200	/* characters */
#define NOTE_MAX	1000
#define LIST_NOTE_MAX	2000
#define QUERY_MAX	2000	/* bytes */
#define SEARCH_NAME_MAX	100
#define COMPARE_MAX	4
#define KST		"'Asia/Seoul'"

enum sl_sql {
	SQL_LISTS,
	SQL_LIST,
	SQL_ITEMS,
	SQL_CREATE,
	SQL_ADD,
	SQL_DECIDE,
	SQL_REMOVE,
	SQL_LOCK,
	SQL_ADD_PAGE_LISTING,
	SQL_OPEN_LISTS,
	SQL_SEARCHES,
	SQL_SEARCH_SAVE,
	SQL_SEARCH_DELETE,
	SQL_ITEM_LIST,
	SQL__MAX
};

static const char *const sl_sql[SQL__MAX] = {
	/* SQL_LISTS: $1 organisation, $2 all (operators) */
	"SELECT s.id, s.project_name, s.note, o.name_ko AS agency_ko,"
	" o.name_en AS agency_en, u.name AS created_by,"
	" to_char(s.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD') AS created_at,"
	" to_char(s.updated_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS updated_at, s.locked_at IS NOT NULL AS locked,"
	" to_char(s.locked_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS locked_at,"
	" (SELECT count(*) FROM shortlist_items i WHERE i.shortlist_id = s.id)"
	" AS items,"
	" (SELECT count(*) FROM shortlist_items i WHERE i.shortlist_id = s.id"
	"  AND i.decision = 'kept') AS kept"
	" FROM shortlists s JOIN organisations o ON o.id = s.org_id"
	" JOIN users u ON u.id = s.created_by"
	" WHERE s.org_id = $1 OR $2::boolean"
	" ORDER BY s.locked_at IS NOT NULL, s.updated_at DESC, s.id DESC"
	" LIMIT 500",
	/* SQL_LIST: $1 id, $2 organisation, $3 all */
	"SELECT s.id, s.project_name, s.note, s.org_id,"
	" o.name_ko AS agency_ko, o.name_en AS agency_en,"
	" u.name AS created_by,"
	" to_char(s.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_at, s.locked_at IS NOT NULL AS locked,"
	" to_char(s.locked_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS locked_at, lu.name AS locked_by"
	" FROM shortlists s JOIN organisations o ON o.id = s.org_id"
	" JOIN users u ON u.id = s.created_by"
	" LEFT JOIN users lu ON lu.id = s.locked_by"
	" WHERE s.id = $1 AND (s.org_id = $2 OR $3::boolean)",
	/* SQL_ITEMS: $1 shortlist (already checked to be the caller's) */
	"SELECT i.id, i.listing_id, l.name_ko, l.name_en, l.service_type,"
	" l.status AS listing_status, v.name_ko AS vendor_ko,"
	" v.name_en AS vendor_en, v.company_size,"
	" i.added_version, i.locked_version, l.current_version,"
	" l.reference_monthly_price_won AS reference_price_won,"
	" i.search_query, i.decision, i.note, au.name AS added_by,"
	" to_char(i.added_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS added_at, du.name AS decided_by,"
	" to_char(i.decided_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS decided_at"
	" FROM shortlist_items i JOIN listings l ON l.id = i.listing_id"
	" JOIN organisations v ON v.id = l.vendor_id"
	" JOIN users au ON au.id = i.added_by"
	" LEFT JOIN users du ON du.id = i.decided_by"
	" WHERE i.shortlist_id = $1"
	" ORDER BY array_position(ARRAY['iaas','paas','saas','daas','support'],"
	" l.service_type), i.id",
	/* SQL_CREATE: $1 org, $2 user, $3 name, $4 note, $5 rid, $6 addr */
	"SELECT shortlist_create($1, $2, $3, $4, $5, $6) AS id",
	/* SQL_ADD: $1 list, $2 org, $3 user, $4 listing, $5 search, $6 rid, $7 addr */
	"SELECT outcome, item_id FROM shortlist_add($1, $2, $3, $4, $5, $6, $7)",
	/* SQL_DECIDE: $1 item, $2 org, $3 user, $4 decision, $5 note, $6 rid, $7 addr */
	"SELECT outcome, shortlist_id"
	" FROM shortlist_decide($1, $2, $3, $4, $5, $6, $7)",
	/* SQL_REMOVE: $1 item, $2 org, $3 user, $4 rid, $5 addr */
	"SELECT outcome, shortlist_id FROM shortlist_remove($1, $2, $3, $4, $5)",
	/* SQL_LOCK: $1 list, $2 org, $3 user, $4 rid, $5 addr */
	"SELECT outcome FROM shortlist_lock($1, $2, $3, $4, $5)",
	/* SQL_ADD_PAGE_LISTING: $1 listing */
	"SELECT l.id, l.name_ko, l.name_en, l.service_type,"
	" v.name_ko AS vendor_ko, v.name_en AS vendor_en"
	" FROM listings l JOIN organisations v ON v.id = l.vendor_id"
	" WHERE l.id = $1 AND l.status = 'published'",
	/* SQL_OPEN_LISTS: $1 org, $2 listing */
	"SELECT s.id, s.project_name, EXISTS (SELECT 1 FROM shortlist_items i"
	"  WHERE i.shortlist_id = s.id AND i.listing_id = $2) AS has_it"
	" FROM shortlists s WHERE s.org_id = $1 AND s.locked_at IS NULL"
	" ORDER BY s.updated_at DESC, s.id DESC LIMIT 200",
	/* SQL_SEARCHES: $1 user */
	"SELECT id, name, query,"
	" to_char(created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_at FROM saved_searches WHERE user_id = $1"
	" ORDER BY id DESC LIMIT 200",
	/* SQL_SEARCH_SAVE: $1 org, $2 user, $3 name, $4 query, $5 rid, $6 addr */
	"SELECT saved_search_save($1, $2, $3, $4, $5, $6) AS id",
	/* SQL_SEARCH_DELETE: $1 id, $2 user, $3 org, $4 rid, $5 addr */
	"SELECT saved_search_delete($1, $2, $3, $4, $5) AS deleted",
	/* SQL_ITEM_LIST: $1 item, $2 organisation: the item's list */
	"SELECT i.shortlist_id FROM shortlist_items i"
	" JOIN shortlists s ON s.id = i.shortlist_id"
	" WHERE i.id = $1 AND s.org_id = $2",
};

/* What each outcome of the SQL functions answers. */
static const struct {
	const char	*outcome;
	int		 status;	/* 0: success, see done */
	enum app_err	 err;
	const char	*key;		/* message (errors) or ?done= word */
} outcomes[] = {
	{ "added", 0, APP_OK, "added" },
	{ "exists", 0, APP_OK, "exists" },
	{ "ok", 0, APP_OK, NULL },
	{ "no_list", 404, APP_ENOTFOUND, NULL },
	{ "no_item", 404, APP_ENOTFOUND, NULL },
	{ "locked", 409, APP_ECONFLICT, "shortlist.error_locked" },
	{ "no_listing", 422, APP_EREFERENCE, "shortlist.error_listing" },
	{ "empty", 409, APP_ECONFLICT, "shortlist.error_empty" },
	{ "undecided", 409, APP_ECONFLICT, "shortlist.error_undecided" },
	{ "none_kept", 409, APP_ECONFLICT, "shortlist.error_none_kept" },
};

#define NOUTCOMES	(sizeof(outcomes) / sizeof(outcomes[0]))

/* A decision's bad inputs: the step that records each, and its answer. */
#define BAD_DECISION	10
#define BAD_NOTE	11
#define BAD_NOTE_LONG	12

static const struct {
	int		 step;
	enum app_err	 err;
	const char	*field;
	const char	*key;
} bad_inputs[] = {
	{ BAD_DECISION, APP_EINVAL, "decision", "shortlist.error_decision" },
	{ BAD_NOTE, APP_EINVAL, "note", "shortlist.error_note" },
	{ BAD_NOTE_LONG, APP_ETOOLONG, "note", "shortlist.error_note_long" },
};

#define NBAD	(sizeof(bad_inputs) / sizeof(bad_inputs[0]))

/* The notices a page shows after a redirect (?done=). */
static const char *const done_words[] = {
	"created", "added", "exists", "decided", "removed", "locked",
	"saved", "deleted"
};

/* The CSV columns: header key and item field ("" for list fields). */
static const struct {
	const char	*key;
	const char	*field;
} csv_cols[] = {
	{ "shortlist.csv.project", "project_name" },
	{ "shortlist.csv.agency", "agency" },
	{ "shortlist.csv.listing_id", "listing_id" },
	{ "shortlist.csv.service", "name" },
	{ "shortlist.csv.vendor", "vendor" },
	{ "shortlist.csv.vendor_size", "company_size_label" },
	{ "shortlist.csv.type", "service_type_label" },
	{ "shortlist.csv.added_version", "added_version" },
	{ "shortlist.csv.locked_version", "locked_version" },
	{ "shortlist.csv.current_version", "current_version" },
	{ "shortlist.csv.reference_price", "reference_price_won" },
	{ "shortlist.csv.decision", "decision_label" },
	{ "shortlist.csv.note", "note" },
	{ "shortlist.csv.decided_by", "decided_by" },
	{ "shortlist.csv.decided_at", "decided_at" },
	{ "shortlist.csv.added_by", "added_by" },
	{ "shortlist.csv.added_at", "added_at" },
	{ "shortlist.csv.search", "search_text" },
	{ "shortlist.csv.locked_by", "locked_by" },
	{ "shortlist.csv.locked_at", "locked_at" },
};

static void	 sl_ids(struct http_request *, char *, char *, char *,
		    char *, size_t);
static int	 sl_outcome(struct http_request *, json_t *, const char *);
static int	 sl_list_page(struct http_request *, int, enum app_err,
		    const char *, const char *);
static int	 sl_show_page(struct http_request *, int64_t, int,
		    enum app_err, const char *, const char *, int64_t);
static void	 sl_decorate_item(struct http_request *, json_t *);
static json_t	*sl_groups(struct http_request *, json_t *, int);
static void	 sl_done(struct http_request *, json_t *);
static int	 sl_query_clean(const char *, char *, size_t);
static json_t	*sl_query_text(const char *);
static int	 sl_searches_page(struct http_request *, int, enum app_err,
		    const char *, const char *);

/*
 * GET /shortlists and /api/v1/shortlists: the agency's lists (open ones
 * first, most recently changed first) and the form for a new one; for the
 * procurement office every agency's lists, read-only.
 */
int
shortlist_list(struct http_request *req)
{
	return (sl_list_page(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /shortlists (project_name, note) and /api/v1/shortlists: a new
 * list. Answers 303 to it (201 {id} for JSON); 400 naming the field; 409
 * when the agency already has a list of that project name.
 */
int
shortlist_create(struct http_request *req)
{
	struct app_req	*ar;
	const char	*name, *note, *params[6];
	char		 org[24], user[24], id[24], addr[64], url[64];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	name = web_input(req, "project_name");
	note = web_input(req, "note");
	if (note == NULL)
		note = "";
	if (!web_text_ok(name, PROJECT_MAX, 1))
		return (sl_list_page(req, 400, APP_EINVAL, "project_name",
		    "shortlist.error_project"));
	if (!web_text_ok(note, LIST_NOTE_MAX, 0))
		return (sl_list_page(req, 400, APP_ETOOLONG, "note",
		    "shortlist.error_list_note"));

	sl_ids(req, org, user, id, addr, sizeof(org));
	params[0] = org;
	params[1] = user;
	params[2] = name;
	params[3] = note;
	params[4] = ar->rid;
	params[5] = addr;
	rc = db_call(req, &ar->db[2], sl_sql[SQL_CREATE], 6, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR) {
		if (strcmp(ar->db[2].sqlstate, "23505") == 0)
			return (sl_list_page(req, 409, APP_ECONFLICT,
			    "project_name", "shortlist.error_project_taken"));
		return (web_db_error(req, &ar->db[2]));
	}
	row = json_array_get(ar->db[2].rows, 0);
	if (ar->json)
		return (web_json(req, 201, row));
	(void)snprintf(url, sizeof(url), "/shortlists/%lld?done=created",
	    (long long)json_integer_value(json_object_get(row, "id")));
	return (web_redirect(req, url));
}

/*
 * GET /shortlists/add?listing=N&search=QS: which of the agency's open
 * lists a published service goes on (or a new list). 400 naming listing
 * when it is not an id; 404 when it is not a published service.
 */
int
shortlist_add_page(struct http_request *req)
{
	struct app_req	*ar;
	const char	*search, *params[2];
	char		 org[24], lid[24], clean[QUERY_MAX + 1];
	int64_t		 listing;
	json_t		*row, *vm;
	int		 rc;

	ar = app_req(req);
	if (!web_param_int(req, "listing", 0, 1, INT64_MAX, &listing))
		return (KORE_RESULT_OK);
	if (listing == 0)
		return (web_error(req, APP_EINVAL, "listing", NULL));
	search = qs_get(&ar->qs, "search");
	if (search == NULL)
		search = "";
	if (!sl_query_clean(search, clean, sizeof(clean)))
		return (web_error(req, APP_EINVAL, "search", NULL));

	(void)snprintf(lid, sizeof(lid), "%lld", (long long)listing);
	params[0] = lid;
	rc = db_call(req, &ar->db[0], sl_sql[SQL_ADD_PAGE_LISTING], 1,
	    params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, "listing", NULL));

	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	params[1] = lid;
	rc = db_call(req, &ar->db[1], sl_sql[SQL_OPEN_LISTS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	vm = json_pack("{s:s, s:O, s:s, s:s, s:s, s:o, s:O}",
	    "title", web_str(req, "shortlist.add_title"),
	    "listing", json_object_get(row, "id"),
	    "name", web_pick(req, row, "name_ko", "name_en"),
	    "vendor", web_pick(req, row, "vendor_ko", "vendor_en"),
	    "search", clean,
	    "back", clean[0] != '\0' ? json_sprintf("/search?%s", clean) :
	    json_sprintf("/services/%lld", (long long)listing),
	    "lists", ar->db[1].rows);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "shortlist_add", vm));
}

/*
 * GET /shortlists/:id and /api/v1/shortlists/:id: the list with its
 * services grouped by type, the decision forms while it is open, links
 * to compare each type and to export. 404 for another agency's list.
 */
int
shortlist_show(struct http_request *req)
{
	return (sl_show_page(req, app_req(req)->id, 200, APP_OK, NULL, NULL,
	    0));
}

/*
 * POST /shortlists/:id/items (listing, search) and the API twin: adds a
 * published service. Adding one that is already there answers the same
 * as the first time (303 ?done=exists; 200 for JSON, 201 when added).
 * 400 naming listing or search; 404 (list); 409 locked; 422 when the
 * listing is not a published service.
 */
int
shortlist_add(struct http_request *req)
{
	struct app_req	*ar;
	const char	*search, *params[7];
	char		 org[24], user[24], id[24], addr[64], lid[24];
	char		 clean[QUERY_MAX + 1];
	int64_t		 listing;
	json_t		*row;

	ar = app_req(req);
	if (web_input_id(req, "listing", &listing) != 1)
		return (web_error(req, APP_EINVAL, "listing", NULL));
	search = web_input(req, "search");
	if (search == NULL)
		search = "";
	if (!sl_query_clean(search, clean, sizeof(clean)))
		return (web_error(req, APP_EINVAL, "search", NULL));

	sl_ids(req, org, user, id, addr, sizeof(org));
	(void)snprintf(lid, sizeof(lid), "%lld", (long long)listing);
	params[0] = id;
	params[1] = org;
	params[2] = user;
	params[3] = lid;
	params[4] = clean;
	params[5] = ar->rid;
	params[6] = addr;
	switch (db_call(req, &ar->db[2], sl_sql[SQL_ADD], 7, params)) {
	case DB_PENDING:
		return (KORE_RESULT_RETRY);
	case DB_ERROR:
		return (web_db_error(req, &ar->db[2]));
	}
	row = json_array_get(ar->db[2].rows, 0);
	return (sl_outcome(req, row, id));
}

/*
 * POST /shortlist-items/:id (decision kept|dropped, note): why a service
 * was kept or dropped. A reason is required for both. 400 naming the
 * field (the list again with the input kept); 404; 409 locked.
 */
int
shortlist_decide(struct http_request *req)
{
	struct app_req	*ar;
	const char	*decision, *note, *params[7];
	char		 org[24], user[24], id[24], addr[64], list[24];
	json_t		*row;
	int64_t		 sid;
	size_t		 i;

	ar = app_req(req);
	decision = web_input(req, "decision");
	note = web_input(req, "note");
	sl_ids(req, org, user, id, addr, sizeof(org));
	params[0] = id;
	params[1] = org;
	params[2] = user;
	params[3] = decision != NULL ? decision : "";
	params[4] = note != NULL ? note : "";
	params[5] = ar->rid;
	params[6] = addr;

	/* Step 0 validates; a browser's error needs the item's list. */
	if (ar->step == 0) {
		if (decision == NULL || (strcmp(decision, "kept") != 0 &&
		    strcmp(decision, "dropped") != 0))
			ar->step = BAD_DECISION;
		else if (note == NULL || strspn(note, " \t\r\n") ==
		    strlen(note))
			ar->step = BAD_NOTE;
		else if (!web_text_ok(note, NOTE_MAX, 1))
			ar->step = BAD_NOTE_LONG;
		else
			ar->step = 1;
	}
	if (ar->step != 1) {
		for (i = 0; i < NBAD; i++)
			if (bad_inputs[i].step == ar->step)
				break;
		if (ar->json)
			return (web_error(req, bad_inputs[i].err,
			    bad_inputs[i].field, bad_inputs[i].key));
		/* The list again, through the same ownership rule. */
		switch (db_call(req, &ar->db[3], sl_sql[SQL_ITEM_LIST], 2,
		    params)) {
		case DB_PENDING:
			return (KORE_RESULT_RETRY);
		case DB_ERROR:
			return (web_db_error(req, &ar->db[3]));
		}
		if ((row = json_array_get(ar->db[3].rows, 0)) == NULL)
			return (web_error(req, APP_ENOTFOUND, NULL, NULL));
		sid = json_integer_value(json_object_get(row, "shortlist_id"));
		return (sl_show_page(req, sid, 400, bad_inputs[i].err,
		    bad_inputs[i].field, bad_inputs[i].key, ar->id));
	}

	switch (db_call(req, &ar->db[2], sl_sql[SQL_DECIDE], 7, params)) {
	case DB_PENDING:
		return (KORE_RESULT_RETRY);
	case DB_ERROR:
		return (web_db_error(req, &ar->db[2]));
	}
	row = json_array_get(ar->db[2].rows, 0);
	(void)snprintf(list, sizeof(list), "%lld", (long long)
	    json_integer_value(json_object_get(row, "shortlist_id")));
	return (sl_outcome(req, row, list));
}

/* POST /shortlist-items/:id/remove: off an open list. 404; 409 locked. */
int
shortlist_remove(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5];
	char		 org[24], user[24], id[24], addr[64], list[24];
	json_t		*row;

	ar = app_req(req);
	sl_ids(req, org, user, id, addr, sizeof(org));
	params[0] = id;
	params[1] = org;
	params[2] = user;
	params[3] = ar->rid;
	params[4] = addr;
	switch (db_call(req, &ar->db[2], sl_sql[SQL_REMOVE], 5, params)) {
	case DB_PENDING:
		return (KORE_RESULT_RETRY);
	case DB_ERROR:
		return (web_db_error(req, &ar->db[2]));
	}
	row = json_array_get(ar->db[2].rows, 0);
	json_object_set_new(row, "done", json_string("removed"));
	(void)snprintf(list, sizeof(list), "%lld", (long long)
	    json_integer_value(json_object_get(row, "shortlist_id")));
	return (sl_outcome(req, row, list));
}

/*
 * POST /shortlists/:id/lock: freezes the list once every service is
 * decided and one at least is kept (409 saying which is missing).
 */
int
shortlist_lock(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5];
	char		 org[24], user[24], id[24], addr[64];
	json_t		*row;

	ar = app_req(req);
	sl_ids(req, org, user, id, addr, sizeof(org));
	params[0] = id;
	params[1] = org;
	params[2] = user;
	params[3] = ar->rid;
	params[4] = addr;
	switch (db_call(req, &ar->db[2], sl_sql[SQL_LOCK], 5, params)) {
	case DB_PENDING:
		return (KORE_RESULT_RETRY);
	case DB_ERROR:
		return (web_db_error(req, &ar->db[2]));
	}
	row = json_array_get(ar->db[2].rows, 0);
	json_object_set_new(row, "done", json_string("locked"));
	return (sl_outcome(req, row, id));
}

/*
 * GET /shortlists/:id/export.csv: the list as evidence: one row per
 * service with the versions at adding, at locking and now, the decision
 * and its reason, who and when, and the search that found it. UTF-8 with
 * a BOM (spreadsheets then read Korean correctly), CRLF, every cell
 * quoted, formula-like cells defused.
 */
int
shortlist_csv(struct http_request *req)
{
	struct app_req	*ar;
	struct kore_buf	 buf;
	const char	*params[3], *s;
	char		 id[24], org[24], num[32], name[96];
	json_t		*list, *row, *v;
	size_t		 i, j;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], sl_sql[SQL_LIST], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((list = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], sl_sql[SQL_ITEMS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	json_object_set_new(list, "agency", json_string(web_pick(req, list,
	    "agency_ko", "agency_en")));
	kore_buf_init(&buf, 4096);
	kore_buf_append(&buf, "\xef\xbb\xbf", 3);
	for (j = 0; j < sizeof(csv_cols) / sizeof(csv_cols[0]); j++)
		web_csv_cell(&buf, web_str(req, csv_cols[j].key), j == 0);
	kore_buf_append(&buf, "\r\n", 2);
	json_array_foreach(ar->db[1].rows, i, row) {
		sl_decorate_item(req, row);
		for (j = 0; j < sizeof(csv_cols) / sizeof(csv_cols[0]); j++) {
			v = json_object_get(row, csv_cols[j].field);
			if (v == NULL)
				v = json_object_get(list, csv_cols[j].field);
			if (json_is_integer(v)) {
				(void)snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(v));
				s = num;
			} else if ((s = json_string_value(v)) == NULL) {
				s = "";
			}
			web_csv_cell(&buf, s, j == 0);
		}
		kore_buf_append(&buf, "\r\n", 2);
	}

	(void)snprintf(name, sizeof(name), "attachment; filename="
	    "\"gureum-shortlist-%s.csv\"", id);
	web_headers(req);
	http_response_header(req, "content-type", "text/csv; charset=utf-8");
	http_response_header(req, "content-disposition", name);
	http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, buf.data, buf.offset);
	kore_buf_cleanup(&buf);
	return (KORE_RESULT_OK);
}

/*
 * GET /shortlists/:id/export.xlsx: the same evidence as the CSV, the same
 * columns, as a spreadsheet (libxlsxwriter, Debian's libxlsxwriter-dev):
 * numbers are numbers, text is never read as a formula. libxlsxwriter
 * 1.1 writes to a file only, so the workbook goes to a private temporary
 * file that is read back and removed before answering.
 */
int
shortlist_xlsx(struct http_request *req)
{
	struct app_req		*ar;
	struct kore_buf		 buf;
	lxw_workbook_options	 opt = { .constant_memory = LXW_FALSE,
				    .tmpdir = NULL };
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*bold;
	const char		*params[3], *s, *tmp;
	char			 id[24], org[24], name[96], path[PATH_MAX];
	char			 chunk[8192];
	json_t			*list, *row, *v;
	size_t			 i, j;
	ssize_t			 n;
	int			 rc, fd;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], sl_sql[SQL_LIST], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((list = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], sl_sql[SQL_ITEMS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	json_object_set_new(list, "agency", json_string(web_pick(req, list,
	    "agency_ko", "agency_en")));

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	(void)snprintf(path, sizeof(path), "%s/gureum-xlsx-XXXXXX", tmp);
	if ((fd = mkstemp(path)) == -1) {
		web_log(req, "xlsx: mkstemp: %s", strerror(errno));
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	(void)close(fd);
	opt.tmpdir = (char *)tmp;
	if ((wb = workbook_new_opt(path, &opt)) == NULL ||
	    (ws = workbook_add_worksheet(wb, NULL)) == NULL) {
		if (wb != NULL)
			(void)workbook_close(wb);
		(void)unlink(path);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (j = 0; j < sizeof(csv_cols) / sizeof(csv_cols[0]); j++)
		(void)worksheet_write_string(ws, 0, (lxw_col_t)j,
		    web_str(req, csv_cols[j].key), bold);
	json_array_foreach(ar->db[1].rows, i, row) {
		sl_decorate_item(req, row);
		for (j = 0; j < sizeof(csv_cols) / sizeof(csv_cols[0]); j++) {
			v = json_object_get(row, csv_cols[j].field);
			if (v == NULL)
				v = json_object_get(list, csv_cols[j].field);
			if (json_is_integer(v)) {
				(void)worksheet_write_number(ws,
				    (lxw_row_t)(i + 1), (lxw_col_t)j,
				    (double)json_integer_value(v), NULL);
				continue;
			}
			if ((s = json_string_value(v)) == NULL || *s == '\0')
				continue;
			(void)worksheet_write_string(ws, (lxw_row_t)(i + 1),
			    (lxw_col_t)j, s, NULL);
		}
	}
	(void)worksheet_freeze_panes(ws, 1, 0);
	if (workbook_close(wb) != LXW_NO_ERROR ||
	    (fd = open(path, O_RDONLY)) == -1) {
		web_log(req, "xlsx: could not write %s", path);
		(void)unlink(path);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	kore_buf_init(&buf, 16384);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		kore_buf_append(&buf, chunk, (size_t)n);
	(void)close(fd);
	(void)unlink(path);
	if (n < 0) {
		kore_buf_cleanup(&buf);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}

	(void)snprintf(name, sizeof(name), "attachment; filename="
	    "\"gureum-shortlist-%s.xlsx\"", id);
	web_headers(req);
	http_response_header(req, "content-type", "application/"
	    "vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	http_response_header(req, "content-disposition", name);
	http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, buf.data, buf.offset);
	kore_buf_cleanup(&buf);
	return (KORE_RESULT_OK);
}

/*
 * GET /searches (?query= prefills the form) and /api/v1/searches: the
 * user's saved searches, each with its link to run it again.
 */
int
shortlist_searches(struct http_request *req)
{
	return (sl_searches_page(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /searches (name, query): saves a search page query (q, type and
 * the other filters of /search; page numbers are dropped). 400 naming the
 * field, with the form kept.
 */
int
shortlist_search_save(struct http_request *req)
{
	struct app_req	*ar;
	const char	*name, *query, *params[6];
	char		 org[24], user[24], id[24], addr[64];
	char		 clean[QUERY_MAX + 1];
	int		 rc;

	ar = app_req(req);
	name = web_input(req, "name");
	query = web_input(req, "query");
	if (!web_text_ok(name, SEARCH_NAME_MAX, 1))
		return (sl_searches_page(req, 400, APP_EINVAL, "name",
		    "shortlist.error_search_name"));
	if (query == NULL || !sl_query_clean(query, clean, sizeof(clean)))
		return (sl_searches_page(req, 400, APP_EINVAL, "query",
		    "shortlist.error_query"));

	sl_ids(req, org, user, id, addr, sizeof(org));
	params[0] = org;
	params[1] = user;
	params[2] = name;
	params[3] = clean;
	params[4] = ar->rid;
	params[5] = addr;
	rc = db_call(req, &ar->db[2], sl_sql[SQL_SEARCH_SAVE], 6, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));
	if (ar->json)
		return (web_json(req, 201, json_array_get(ar->db[2].rows, 0)));
	return (web_redirect(req, "/searches?done=saved"));
}

/* POST /searches/:id/delete: one of the caller's own; 404 otherwise. */
int
shortlist_search_delete(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5];
	char		 org[24], user[24], id[24], addr[64];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	sl_ids(req, org, user, id, addr, sizeof(org));
	params[0] = id;
	params[1] = user;
	params[2] = org;
	params[3] = ar->rid;
	params[4] = addr;
	rc = db_call(req, &ar->db[2], sl_sql[SQL_SEARCH_DELETE], 5, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));
	row = json_array_get(ar->db[2].rows, 0);
	if (!json_is_true(json_object_get(row, "deleted")))
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (ar->json)
		return (web_json(req, 200, row));
	return (web_redirect(req, "/searches?done=deleted"));
}

/* The caller's organisation and user, :id and the client, as text. */
static void
sl_ids(struct http_request *req, char *org, char *user, char *id, char *addr,
    size_t len)
{
	struct app_req	*ar;

	ar = app_req(req);
	(void)snprintf(org, len, "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, len, "%lld", (long long)ar->who.user_id);
	(void)snprintf(id, len, "%lld", (long long)ar->id);
	(void)web_client_addr(req, addr, 64);
}

/*
 * Answers an outcome row of a change on list `list`: JSON with the row
 * (201 when something was added), or 303 to the list with ?done=; an
 * error outcome through web_error().
 */
static int
sl_outcome(struct http_request *req, json_t *row, const char *list)
{
	struct app_req	*ar;
	const char	*outcome, *done;
	char		 url[96];
	size_t		 i;

	ar = app_req(req);
	outcome = json_string_value(json_object_get(row, "outcome"));
	for (i = 0; outcome != NULL && i < NOUTCOMES; i++) {
		if (strcmp(outcomes[i].outcome, outcome) == 0)
			break;
	}
	if (outcome == NULL || i == NOUTCOMES)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (outcomes[i].status != 0)
		return (web_error(req, outcomes[i].err, NULL, outcomes[i].key));
	if (ar->json)
		return (web_json(req, strcmp(outcome, "added") == 0 ? 201 : 200,
		    row));
	done = json_string_value(json_object_get(row, "done"));
	if (done == NULL)
		done = outcomes[i].key != NULL ? outcomes[i].key : "decided";
	(void)snprintf(url, sizeof(url), "/shortlists/%s?done=%s", list, done);
	return (web_redirect(req, url));
}

/*
 * The lists page, also after a failed create (status, err, field and key
 * then say what is wrong; the input is kept).
 */
static int
sl_list_page(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[2], *v;
	char		 org[24];
	json_t		*vm, *row, *inv;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	params[1] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], sl_sql[SQL_LISTS], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));

	json_array_foreach(ar->db[0].rows, i, row) {
		json_object_set_new(row, "agency", json_string(web_pick(req,
		    row, "agency_ko", "agency_en")));
		json_object_set_new(row, "url", json_sprintf("/shortlists/%lld",
		    (long long)json_integer_value(json_object_get(row, "id"))));
	}
	vm = json_pack("{s:s, s:O, s:b, s:b}",
	    "title", web_str(req, "shortlist.list_title"),
	    "shortlists", ar->db[0].rows,
	    "can_edit", (ar->who.role & ROLES_AGENCY) != 0,
	    "all_agencies", APP_IS_OPERATOR(ar));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	sl_done(req, vm);
	if (err != APP_OK) {
		if ((v = web_input(req, "project_name")) != NULL)
			json_object_set_new(vm, "project_name", json_string(v));
		if ((v = web_input(req, "note")) != NULL)
			json_object_set_new(vm, "note", json_string(v));
		if ((inv = json_object()) != NULL) {
			json_object_set_new(inv, field, json_string(web_str(req,
			    key)));
			json_object_set_new(vm, "invalid", inv);
		}
	}
	return (web_form_page(req, status, "shortlists", vm, err, field, key));
}

/*
 * One list's page (list id), also after a failed decision on item
 * `item` (status, err, field and key say what is wrong; the input is
 * kept in that item's form).
 */
static int
sl_show_page(struct http_request *req, int64_t list, int status,
    enum app_err err, const char *field, const char *key, int64_t item)
{
	struct app_req	*ar;
	const char	*params[3], *v;
	char		 id[24], org[24];
	json_t		*vm, *head, *row, *groups;
	size_t		 i;
	int		 rc, locked, edit;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)list);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], sl_sql[SQL_LIST], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((head = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[1], sl_sql[SQL_ITEMS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	locked = json_is_true(json_object_get(head, "locked"));
	edit = !locked && (ar->who.role & ROLES_AGENCY) != 0 &&
	    json_integer_value(json_object_get(head, "org_id")) ==
	    ar->who.org_id;
	json_object_set_new(head, "agency", json_string(web_pick(req, head,
	    "agency_ko", "agency_en")));
	json_array_foreach(ar->db[1].rows, i, row) {
		sl_decorate_item(req, row);
		json_object_set_new(row, "editable", json_boolean(edit));
		if (item != 0 && json_integer_value(json_object_get(row,
		    "id")) == item) {
			if ((v = web_input(req, "decision")) != NULL)
				json_object_set_new(row, "decision_input",
				    json_string(v));
			if ((v = web_input(req, "note")) != NULL)
				json_object_set_new(row, "note_input",
				    json_string(v));
			json_object_set_new(row, "invalid", json_pack("{s:s}",
			    field, web_str(req, key)));
		}
	}
	groups = sl_groups(req, ar->db[1].rows, edit);
	vm = json_pack("{s:O, s:O, s:O, s:o, s:b, s:b, s:I}",
	    "title", json_object_get(head, "project_name"),
	    "shortlist", head,
	    "items", ar->db[1].rows,
	    "groups", groups,
	    "editable", edit,
	    "locked", locked,
	    "count", (json_int_t)json_array_size(ar->db[1].rows));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	sl_done(req, vm);
	return (web_form_page(req, status, "shortlist", vm, err, field, key));
}

/*
 * Adds to an item row what pages and the export show: names in the
 * reader's language, labels, the reference price with separators, the
 * re-run link of its search and whether the listing changed since.
 */
static void
sl_decorate_item(struct http_request *req, json_t *row)
{
	const char	*s;
	char		 key[48], won[MONEY_FMT_MAX];
	json_t		*v;

	json_object_set_new(row, "name", json_string(web_pick(req, row,
	    "name_ko", "name_en")));
	json_object_set_new(row, "vendor", json_string(web_pick(req, row,
	    "vendor_ko", "vendor_en")));
	s = json_string_value(json_object_get(row, "service_type"));
	(void)snprintf(key, sizeof(key), "type.%s", s != NULL ? s : "");
	json_object_set_new(row, "service_type_label",
	    json_string(web_str(req, key)));
	s = json_string_value(json_object_get(row, "decision"));
	(void)snprintf(key, sizeof(key), "shortlist.decision.%s",
	    s != NULL ? s : "undecided");
	json_object_set_new(row, "decision_label",
	    json_string(web_str(req, key)));
	json_object_set_new(row, "is_kept", json_boolean(s != NULL &&
	    strcmp(s, "kept") == 0));
	json_object_set_new(row, "is_dropped", json_boolean(s != NULL &&
	    strcmp(s, "dropped") == 0));
	json_object_set_new(row, "sme", json_boolean((s = json_string_value(
	    json_object_get(row, "company_size"))) != NULL &&
	    strcmp(s, "sme") == 0));
	s = json_string_value(json_object_get(row, "listing_status"));
	json_object_set_new(row, "available", json_boolean(s != NULL &&
	    strcmp(s, "published") == 0));
	json_object_set_new(row, "url", json_sprintf("/services/%lld",
	    (long long)json_integer_value(json_object_get(row,
	    "listing_id"))));
	v = json_object_get(row, "reference_price_won");
	if (json_is_integer(v) && money_format_won(json_integer_value(v),
	    MONEY_FMT_GROUP, won, sizeof(won)) == MONEY_OK)
		json_object_set_new(row, "reference_price", json_string(won));
	json_object_set_new(row, "changed", json_boolean(
	    json_integer_value(json_object_get(row, "added_version")) !=
	    json_integer_value(json_object_get(row, "current_version"))));
	s = json_string_value(json_object_get(row, "company_size"));
	(void)snprintf(key, sizeof(key), "signup.size_%s",
	    s != NULL ? s : "");
	json_object_set_new(row, "company_size_label",
	    json_string(s != NULL ? web_str(req, key) : ""));
	s = json_string_value(json_object_get(row, "search_query"));
	if (s != NULL && *s != '\0') {
		json_object_set_new(row, "search_url",
		    json_sprintf("/search?%s", s));
		json_object_set_new(row, "search_text", sl_query_text(s));
	}
}

/*
 * The stored (percent-encoded) search query as people read it:
 * "q=클라우드&type=iaas". Returns a new string value.
 */
static json_t *
sl_query_text(const char *enc)
{
	struct qs	 qs;
	struct kore_buf	 buf;
	char		 bad[64];
	json_t		*out;
	size_t		 i;

	memset(&qs, 0, sizeof(qs));
	if (qs_parse(&qs, enc, strlen(enc), bad, sizeof(bad)) != QS_OK) {
		qs_free(&qs);
		return (json_string(enc));
	}
	kore_buf_init(&buf, 128);
	for (i = 0; i < qs.n; i++) {
		if (i > 0)
			kore_buf_append(&buf, "&", 1);
		kore_buf_appendf(&buf, "%s=%s", qs.p[i].name, qs.p[i].value);
	}
	kore_buf_append(&buf, "", 1);
	out = json_string((char *)buf.data);
	kore_buf_cleanup(&buf);
	qs_free(&qs);
	return (out);
}

/*
 * The items grouped by service type, in the order SQL_ITEMS gives, each
 * group with a comparison link of its first COMPARE_MAX services
 * (CEART's rule: only services of one type are compared).
 */
static json_t *
sl_groups(struct http_request *req, json_t *items, int edit)
{
	json_t		*groups, *g, *row, *list;
	const char	*type, *cur;
	char		 ids[256];
	size_t		 i, n, len;

	(void)req;
	groups = json_array();
	g = NULL;
	cur = NULL;
	json_array_foreach(items, i, row) {
		type = json_string_value(json_object_get(row, "service_type"));
		if (type == NULL)
			continue;
		if (cur == NULL || strcmp(cur, type) != 0) {
			g = json_pack("{s:s, s:O, s:[]}", "service_type", type,
			    "service_type_label", json_object_get(row,
			    "service_type_label"), "items");
			if (g == NULL)
				continue;
			json_array_append_new(groups, g);
			cur = type;
		}
		json_array_append(json_object_get(g, "items"), row);
	}
	json_array_foreach(groups, i, g) {
		list = json_object_get(g, "items");
		ids[0] = '\0';
		len = 0;
		for (n = 0; n < json_array_size(list) && n < COMPARE_MAX; n++) {
			len += snprintf(ids + len, sizeof(ids) - len, "%s%lld",
			    n ? "," : "", (long long)json_integer_value(
			    json_object_get(json_array_get(list, n),
			    "listing_id")));
			if (len >= sizeof(ids))
				break;
		}
		json_object_set_new(g, "count",
		    json_integer(json_array_size(list)));
		if (json_array_size(list) >= 2 && len < sizeof(ids))
			json_object_set_new(g, "compare_url",
			    json_sprintf("/compare?ids=%s", ids));
		json_object_set_new(g, "more_than_compare",
		    json_boolean(json_array_size(list) > COMPARE_MAX));
		json_object_set_new(g, "editable", json_boolean(edit));
	}
	return (groups);
}

/* Sets vm.notice from a known ?done= word. */
static void
sl_done(struct http_request *req, json_t *vm)
{
	struct app_req	*ar;
	const char	*done;
	char		 key[48];
	size_t		 i;

	ar = app_req(req);
	if ((done = qs_get(&ar->qs, "done")) == NULL)
		return;
	for (i = 0; i < sizeof(done_words) / sizeof(done_words[0]); i++) {
		if (strcmp(done, done_words[i]) == 0) {
			(void)snprintf(key, sizeof(key), "shortlist.done.%s",
			    done);
			json_object_set_new(vm, "notice",
			    json_string(web_str(req, key)));
			return;
		}
	}
}

/*
 * Checks a search query string (as the search page's URL has it, with or
 * without a leading '?' or "/search?") and writes it back normalised into
 * out: only parameters the search page accepts, page numbers dropped,
 * percent-encoded. Returns 0 when it is not a query of the search page.
 */
static int
sl_query_clean(const char *q, char *out, size_t len)
{
	struct qs		 qs;
	const struct route	*r;
	const char		*allowed, *p;
	char			 bad[64], enc[QUERY_MAX * 3 + 1];
	size_t			 i, n, off, nl;

	out[0] = '\0';
	if (strncmp(q, "/search", 7) == 0)
		q += 7;
	if (*q == '?')
		q++;
	if (strlen(q) > QUERY_MAX)
		return (0);
	allowed = NULL;
	for (i = 0; i < routes_len; i++) {
		r = &routes[i];
		if (strcmp(r->path, "/search") == 0) {
			allowed = r->params;
			break;
		}
	}
	if (allowed == NULL)
		return (0);
	memset(&qs, 0, sizeof(qs));
	if (qs_parse(&qs, q, strlen(q), bad, sizeof(bad)) != QS_OK) {
		qs_free(&qs);
		return (0);
	}
	off = 0;
	for (i = 0; i < qs.n; i++) {
		if (strcmp(qs.p[i].name, "page") == 0 ||
		    strcmp(qs.p[i].name, "per_page") == 0)
			continue;
		nl = strlen(qs.p[i].name);
		for (p = allowed; (p = strstr(p, qs.p[i].name)) != NULL;
		    p += nl) {
			if ((p == allowed || p[-1] == ' ') &&
			    (p[nl] == ' ' || p[nl] == '\0'))
				break;
		}
		if (p == NULL) {
			qs_free(&qs);
			return (0);
		}
		if (qs.p[i].value[0] == '\0')
			continue;
		if (qs_encode(qs.p[i].value, enc, sizeof(enc)) != 0) {
			qs_free(&qs);
			return (0);
		}
		n = snprintf(out + off, len - off, "%s%s=%s", off ? "&" : "",
		    qs.p[i].name, enc);
		if (n >= len - off) {
			qs_free(&qs);
			out[0] = '\0';
			return (0);
		}
		off += n;
	}
	qs_free(&qs);
	return (1);
}

/* The saved searches page, also after a failed save (input kept). */
static int
sl_searches_page(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[1], *v, *q;
	char		 user[24], clean[QUERY_MAX + 1];
	json_t		*vm, *row, *inv;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	params[0] = user;
	rc = db_call(req, &ar->db[0], sl_sql[SQL_SEARCHES], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row) {
		q = json_string_value(json_object_get(row, "query"));
		json_object_set_new(row, "url", json_sprintf("/search%s%s",
		    q != NULL && *q != '\0' ? "?" : "", q != NULL ? q : ""));
	}
	vm = json_pack("{s:s, s:O}", "title",
	    web_str(req, "shortlist.searches_title"), "searches",
	    ar->db[0].rows);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	sl_done(req, vm);
	if (err == APP_OK) {
		/* ?query= from a search page's "save this search" link. */
		q = qs_get(&ar->qs, "query");
		if (q != NULL && sl_query_clean(q, clean, sizeof(clean)))
			json_object_set_new(vm, "query", json_string(clean));
	} else {
		if ((v = web_input(req, "name")) != NULL)
			json_object_set_new(vm, "name", json_string(v));
		if ((v = web_input(req, "query")) != NULL)
			json_object_set_new(vm, "query", json_string(v));
		if ((inv = json_object()) != NULL) {
			json_object_set_new(inv, field, json_string(web_str(req,
			    key)));
			json_object_set_new(vm, "invalid", inv);
		}
	}
	return (web_form_page(req, status, "searches", vm, err, field, key));
}

