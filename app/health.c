/*
 * GET /healthz: is this worker able to serve? It asks PostgreSQL a real
 * question (so a missing schema shows, not only a dead server) and looks at
 * the search index. 200 when both are fine, 503 with what is wrong
 * otherwise; a load balancer or a person with curl reads the same answer.
 */

#include "gureum.h"

static const char *health_sql =
    "SELECT count(*) AS published FROM listings WHERE status = 'published'";

int
health_check(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*body, *db, *index, *row;
	int		 rc, ok;

	ar = app_req(req);
	rc = db_call(req, &ar->db[0], health_sql, 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);

	ok = 1;
	if (rc == DB_OK) {
		row = json_array_get(ar->db[0].rows, 0);
		db = json_pack("{s:s, s:O}", "status", "ok", "published_listings",
		    json_object_get(row, "published"));
	} else {
		ok = 0;
		db = json_pack("{s:s, s:s, s:s}", "status", "error",
		    "sqlstate", ar->db[0].sqlstate,
		    "error", ar->db[0].error != NULL ? ar->db[0].error : "");
	}
	if (!search_index_status(&index))
		ok = 0;

	body = json_pack("{s:s, s:o, s:o}", "status", ok ? "ok" : "unavailable",
	    "database", db, "index", index);
	if (body == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	(void)web_json(req, ok ? 200 : 503, body);
	json_decref(body);
	return (KORE_RESULT_OK);
}
