/*
 * The public service page: GET /services/:id and /api/v1/services/:id.
 *
 * The thin slice of the catalog issue: one statement reads the published
 * listing with its vendor; the page shows it in the reader's language with
 * the other language beside it. Drafts, suspended and withdrawn listings
 * answer 404 here, as they are absent from search. Versions, rate plans
 * and certificates come with the catalog issue.
 */

#include "gureum.h"

static const char *catalog_sql =
    "SELECT l.id, l.service_type, l.name_ko, l.name_en, l.summary_ko,"
    " l.summary_en, v.name_ko AS vendor_ko, v.name_en AS vendor_en,"
    " to_char(l.updated_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD')"
    " AS updated"
    " FROM listings l JOIN organisations v ON v.id = l.vendor_id"
    " WHERE l.id = $1 AND l.status = 'published'";

int
catalog_service(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*row, *vm;
	const char	*params[1], *type;
	char		 id[24], key[32];
	int		 rc, en;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	if ((rc = db_call(req, &ar->db[0], catalog_sql, 1, params)) ==
	    DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));

	en = strcmp(ar->lang, "en") == 0;
	type = json_string_value(json_object_get(row, "service_type"));
	(void)snprintf(key, sizeof(key), "type.%s", type != NULL ? type : "");
	vm = json_pack("{s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:O}",
	    "id", json_object_get(row, "id"),
	    "service_type", json_object_get(row, "service_type"),
	    "service_type_label", web_str(req, key),
	    "name_ko", json_object_get(row, "name_ko"),
	    "name_en", json_object_get(row, "name_en"),
	    "summary_ko", json_object_get(row, "summary_ko"),
	    "summary_en", json_object_get(row, "summary_en"),
	    "vendor_ko", json_object_get(row, "vendor_ko"),
	    "vendor_en", json_object_get(row, "vendor_en"),
	    "updated", json_object_get(row, "updated"));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	if (!ar->json) {
		/* What the page shows first, with Korean as the fallback. */
		json_object_set(vm, "name", json_object_get(vm,
		    en && json_string_length(json_object_get(vm, "name_en")) ?
		    "name_en" : "name_ko"));
		json_object_set(vm, "name_alt", json_object_get(vm,
		    en ? "name_ko" : "name_en"));
		json_object_set(vm, "summary", json_object_get(vm,
		    en && json_string_length(json_object_get(vm, "summary_en")) ?
		    "summary_en" : "summary_ko"));
		json_object_set(vm, "vendor", json_object_get(vm,
		    en && json_string_length(json_object_get(vm, "vendor_en")) ?
		    "vendor_en" : "vendor_ko"));
		json_object_set(vm, "title", json_object_get(vm, "name"));
	}
	return (web_page(req, 200, "service", vm));
}
