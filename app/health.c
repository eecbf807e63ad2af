/*
 * GET /healthz: is this worker able to serve? It asks PostgreSQL a real
 * question (so a missing schema shows, not only a dead server) and looks at
 * the search index. 200 when both are fine, 503 with what is wrong
 * otherwise; a load balancer or a person with curl reads the same answer.
 * An index that lags behind the database (the indexer is down: its outbox
 * grows) still serves searches, so that is 200 with status "degraded" and
 * the index "stale", not a reason to take the node out of service.
 */

#include "gureum.h"

/* Outbox rows older than this mean the indexer is not keeping up. */
#define HEALTH_STALE_S	10

static const char *health_sql =
    "SELECT (SELECT count(*) FROM listings WHERE status = 'published')"
    " AS published, (SELECT count(*) FROM search_outbox) AS pending,"
    " coalesce(extract(epoch FROM now() - (SELECT min(created_at)"
    " FROM search_outbox)), 0)::int AS lag_s";

int
health_check(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*body, *db, *index, *row;
	int		 rc, ok, stale;

	ar = app_req(req);
	rc = db_call(req, &ar->db[0], health_sql, 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);

	ok = 1;
	stale = 0;
	row = NULL;
	if (rc == DB_OK) {
		row = json_array_get(ar->db[0].rows, 0);
		db = json_pack("{s:s, s:O}", "status", "ok", "published_listings",
		    json_object_get(row, "published"));
		stale = json_integer_value(json_object_get(row, "lag_s")) >
		    HEALTH_STALE_S;
	} else {
		ok = 0;
		db = json_pack("{s:s, s:s, s:s}", "status", "error",
		    "sqlstate", ar->db[0].sqlstate,
		    "error", ar->db[0].error != NULL ? ar->db[0].error : "");
	}
	if (!search_index_status(&index))
		ok = 0;
	if (row != NULL && index != NULL) {
		json_object_set(index, "pending_changes",
		    json_object_get(row, "pending"));
		json_object_set(index, "lag_seconds",
		    json_object_get(row, "lag_s"));
		if (ok && stale)
			json_object_set_new(index, "status",
			    json_string("stale"));
	}

	body = json_pack("{s:s, s:o, s:o}", "status", !ok ? "unavailable" :
	    stale ? "degraded" : "ok",
	    "database", db, "index", index);
	if (body == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	(void)web_json(req, ok ? 200 : 503, body);
	json_decref(body);
	return (KORE_RESULT_OK);
}
