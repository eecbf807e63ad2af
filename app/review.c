/*
 * The review (심사) of listings, and the reviewer's queue of everything
 * waiting: listing submissions, changes of published listings that need
 * review, text edits published at once and waiting to be acknowledged
 * (post-moderation), vendor registrations and certificates vendors
 * submitted. Oldest first, with the time each has waited; vendors and
 * certificates link to their own review pages.
 *
 * A listing decision (approve, reject with reasons, request changes) is
 * scored with the current review checklist of kind 'listing': the
 * reviewer ticks the items met, app/checklist.c computes the result (at
 * least the checklist's threshold of items and every mandatory one), and
 * approving needs a pass. The scores, the checklist version and the
 * reasons are stored with the decision by listing_decide() in one
 * statement with its audit event; the vendor reads the reasons on its
 * listing page. Reviewers and platform admins also suspend, reinstate and
 * withdraw listings with a reason. Checklists are versioned data: the
 * platform admin adds a version (audited); decisions keep pointing at the
 * version they were scored with. Auditors read every page and decide
 * nothing (the route table gives them no POST here).
 */

#include "gureum.h"
#include "checklist.h"

#define KST		"'Asia/Seoul'"
#define REASONS_MAX	2000	/* characters */
#define NOTE_MAX	1000
#define QUEUE_MAX	500

#define I4(a) " item_" #a "0 item_" #a "1 item_" #a "2 item_" #a "3" \
	" item_" #a "4 item_" #a "5 item_" #a "6 item_" #a "7 item_" #a "8" \
	" item_" #a "9"
const char review_decide_params[] = "decision reasons* checklist_id"
    " item_0 item_1 item_2 item_3 item_4 item_5 item_6 item_7 item_8 item_9"
    I4(1) I4(2) I4(3);

#define R(n) " i" #n "_code i" #n "_criterion i" #n "_label_ko" \
	" i" #n "_label_en i" #n "_mandatory"
#define R10(a) R(a##0) R(a##1) R(a##2) R(a##3) R(a##4) R(a##5) R(a##6) \
	R(a##7) R(a##8) R(a##9)
const char review_checklist_params[] = "kind threshold note*"
    R(0) R(1) R(2) R(3) R(4) R(5) R(6) R(7) R(8) R(9) R10(1) R10(2) R10(3);

#define CL_FORM_ROWS	40

static const char *const kinds[] = { "vendor", "listing", "certificate",
	NULL };
static const char *const criteria[] = { "finance", "sanctions", "security",
	"stability", "support", NULL };
static const char *const queue_kinds[] = { "listing_submission",
	"listing_change", "listing_text_edit", "vendor", "certificate", NULL };

enum review_sql {
	SQL_QUEUE,
	SQL_LISTING,
	SQL_HISTORY,
	SQL_CHECKLIST,
	SQL_DECIDE,
	SQL_STATUS,
	SQL_CHECKLISTS,
	SQL_CHECKLIST_ADD,
	SQL__MAX
};

static const char *const review_sql[SQL__MAX] = {
	/* SQL_QUEUE: $1 kind (NULL: all), $2 limit */
	"SELECT q.kind, q.item_id, q.object_id, q.name_ko, q.name_en,"
	" q.vendor_ko, q.vendor_en, q.url, q.detail,"
	" to_char(q.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS waiting_since,"
	" floor(extract(epoch FROM now() - q.created_at))::bigint"
	" AS waited_seconds FROM ("
	"  SELECT 'listing_' || r.kind AS kind, r.id AS item_id,"
	"  l.id AS object_id, l.name_ko, l.name_en, o.name_ko AS vendor_ko,"
	"  o.name_en AS vendor_en, '/review/listings/' || l.id AS url,"
	"  array_to_string(CASE r.kind WHEN 'change' THEN r.review_reasons"
	"  ELSE r.changed END, ',') AS detail,"
	"  r.created_at"
	"  FROM listing_reviews r JOIN listings l ON l.id = r.listing_id"
	"  JOIN organisations o ON o.id = l.vendor_id"
	"  WHERE r.decided_at IS NULL AND l.status <> 'withdrawn'"
	" UNION ALL"
	"  SELECT 'vendor', o.id, o.id, o.name_ko, o.name_en, o.name_ko,"
	"  o.name_en, '/admin/vendors/' || o.id, coalesce(o.biz_no, ''),"
	"  o.created_at FROM organisations o"
	"  WHERE o.kind = 'vendor' AND o.status = 'applied'"
	" UNION ALL"
	"  SELECT 'certificate', c.id, c.id,"
	"  coalesce(l.name_ko, v.name_ko), coalesce(l.name_en, v.name_en),"
	"  v.name_ko, v.name_en, '/review/certificates/' || c.id,"
	"  c.scheme || CASE WHEN c.number <> '' THEN ' ' || c.number"
	"  ELSE '' END, c.created_at"
	"  FROM certificates c JOIN organisations v ON v.id = c.vendor_id"
	"  LEFT JOIN listings l ON l.id = c.listing_id"
	"  WHERE c.status = 'pending' AND c.external_ref IS NULL"
	" ) q WHERE $1::text IS NULL OR q.kind = $1"
	" ORDER BY q.created_at, q.kind, q.item_id LIMIT $2",
	/*
	 * SQL_LISTING: $1 id. The listing, its vendor, the open review (a
	 * submission or change, else the oldest text edit) and the two
	 * sides of what is to be reviewed: before and after.
	 */
	"WITH r AS (SELECT * FROM listing_reviews WHERE listing_id = $1"
	"  AND decided_at IS NULL ORDER BY kind = 'text_edit', id LIMIT 1)"
	" SELECT l.id, l.status, l.service_type, l.name_ko, l.name_en,"
	" l.summary_ko, l.summary_en, l.current_version,"
	" l.reference_monthly_price_won, o.id AS vendor_id,"
	" o.name_ko AS vendor_name_ko, o.name_en AS vendor_name_en,"
	" o.status AS vendor_status,"
	" (SELECT count(*) FROM listing_reviews x WHERE x.listing_id = $1"
	"  AND x.decided_at IS NULL AND x.kind = 'text_edit') AS open_edits,"
	" r.id AS review_id, r.kind AS review_kind, r.version AS review_version,"
	" to_jsonb(r.changed) AS review_changed,"
	" to_jsonb(r.review_reasons) AS review_reasons,"
	" to_char(r.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS review_created_kst,"
	" CASE WHEN r.kind = 'change' THEN jsonb_build_object('document',"
	"  listing_document(l), 'rate_plan', l.rate_plan)"
	"  ELSE (SELECT jsonb_build_object('document', v.document,"
	"  'rate_plan', v.rate_plan) FROM listing_versions v"
	"  WHERE v.listing_id = $1 AND v.version = r.version - 1) END AS before,"
	" CASE WHEN r.kind = 'change' THEN jsonb_build_object('document',"
	"  listing_document(jsonb_populate_record(l, r.proposal->'fields')),"
	"  'rate_plan', r.proposal->'rate_plan')"
	"  ELSE (SELECT jsonb_build_object('document', v.document,"
	"  'rate_plan', v.rate_plan) FROM listing_versions v"
	"  WHERE v.listing_id = $1 AND v.version = r.version) END AS after"
	" FROM listings l JOIN organisations o ON o.id = l.vendor_id"
	" LEFT JOIN r ON true WHERE l.id = $1",
	/* SQL_HISTORY: $1 id */
	"SELECT r.id, r.kind, r.version, r.decision, r.reasons,"
	" r.score_met, r.score_total, r.score_percent, r.passed,"
	" c.version AS checklist_version, u.email AS decided_by,"
	" to_char(r.decided_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS decided_kst"
	" FROM listing_reviews r LEFT JOIN users u ON u.id = r.decided_by"
	" LEFT JOIN review_checklists c ON c.id = r.checklist_id"
	" WHERE r.listing_id = $1 AND r.decided_at IS NOT NULL"
	" ORDER BY r.id DESC LIMIT 50",
	/* SQL_CHECKLIST: $1 kind, $2 id (NULL: the current version) */
	"SELECT id, kind, version, threshold, items, note,"
	" to_char(created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_kst FROM review_checklists WHERE kind = $1"
	" AND ($2::bigint IS NULL OR id = $2::bigint)"
	" ORDER BY version DESC LIMIT 1",
	/* SQL_DECIDE */
	"SELECT listing_decide($1, $2, $3, $4::bigint, $5::jsonb, $6::integer,"
	" $7::integer, $8::integer, $9::boolean, $10, $11, $12, $13) AS r",
	/* SQL_STATUS */
	"SELECT listing_set_status($1, $2, $3, $4, $5, $6, $7) AS r",
	/* SQL_CHECKLISTS: $1 kind */
	"SELECT c.id, c.version, c.threshold, jsonb_array_length(c.items)"
	" AS item_count, c.note, u.email AS created_by,"
	" to_char(c.created_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS created_kst FROM review_checklists c"
	" LEFT JOIN users u ON u.id = c.created_by WHERE c.kind = $1"
	" ORDER BY c.version DESC",
	/* SQL_CHECKLIST_ADD */
	"SELECT review_checklist_add($1, $2::integer, $3::jsonb, $4, $5, $6,"
	" $7, $8) AS r",
};

static const struct {
	const char	*verb;
	int		 reasons_required;
} decisions[] = {
	{ "approve", 0 },
	{ "reject", 1 },
	{ "request_changes", 1 },
	{ "acknowledge", 0 },
};

static int	 review_render(struct http_request *, int, const char *,
		    const char *);
static const char *text_in(struct http_request *, const char *, size_t,
		    char *, size_t, enum app_err *);
static const char *rstr(json_t *, const char *);
static char	*waited(struct http_request *, int64_t);
static int	 fail(struct http_request *, enum app_err, const char *,
		    const char *);
static void	 checklist_decorate(struct http_request *, json_t *);
static json_t	*field_labels(struct http_request *, const char *);

/* A string field of o, or "". */
static const char *
rstr(json_t *o, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(o, key));
	return (s != NULL ? s : "");
}

/* "3일 4시간" / "3 days 4 hours"; kore_malloc'd. */
static char *
waited(struct http_request *req, int64_t secs)
{
	struct kore_buf	 b;
	const char	*fmt, *p;
	char		 d[24], h[24], m[24];
	size_t		 len;

	if (secs < 0)
		secs = 0;
	(void)snprintf(d, sizeof(d), "%lld", (long long)(secs / 86400));
	(void)snprintf(h, sizeof(h), "%lld", (long long)(secs / 3600 % 24));
	(void)snprintf(m, sizeof(m), "%lld", (long long)(secs / 60 % 60));
	fmt = web_str(req, secs >= 86400 ? "review.waited_days" :
	    secs >= 3600 ? "review.waited_hours" : "review.waited_minutes");
	kore_buf_init(&b, 32);
	for (p = fmt; *p != '\0'; p++) {
		if (strncmp(p, "{d}", 3) == 0) {
			kore_buf_appendf(&b, "%s", d);
			p += 2;
		} else if (strncmp(p, "{h}", 3) == 0) {
			kore_buf_appendf(&b, "%s", h);
			p += 2;
		} else if (strncmp(p, "{m}", 3) == 0) {
			kore_buf_appendf(&b, "%s", m);
			p += 2;
		} else {
			kore_buf_append(&b, p, 1);
		}
	}
	kore_buf_append(&b, "", 1);
	return ((char *)kore_buf_release(&b, &len));
}

/* "summary_ko,rate_plan" as "요약(국문), 요금제": a new value. */
static json_t *
field_labels(struct http_request *req, const char *list)
{
	struct kore_buf	 b;
	json_t		*out;
	const char	*p, *s;
	char		 key[96];
	size_t		 n;

	kore_buf_init(&b, 64);
	for (p = list; *p != '\0'; p += n) {
		if (*p == ',')
			p++;
		n = strcspn(p, ",");
		if (n == 0)
			continue;
		(void)snprintf(key, sizeof(key), "listing.field.%.*s", (int)n, p);
		s = web_str(req, key);
		if (b.offset > 0)
			kore_buf_append(&b, ", ", 2);
		if (strcmp(s, key) == 0)
			kore_buf_append(&b, p, n);
		else
			kore_buf_append(&b, s, strlen(s));
	}
	out = json_stringn((const char *)b.data, b.offset);
	kore_buf_cleanup(&b);
	return (out);
}

/*
 * GET /review and /api/v1/review (?kind): everything waiting for a
 * reviewer, oldest first, with the time each has waited. 400 naming kind
 * when it is not one of the queue's kinds.
 */
int
review_queue(struct http_request *req)
{
	struct app_req	*ar;
	const char	*kind, *params[2];
	char		 limit[16], key[64], *w;
	json_t		*row, *counts, *tabs;
	size_t		 i, j;
	int64_t		 n;
	int		 rc;

	ar = app_req(req);
	kind = qs_get(&ar->qs, "kind");
	if (kind != NULL && *kind == '\0')
		kind = NULL;
	if (kind != NULL) {
		for (i = 0; queue_kinds[i] != NULL; i++) {
			if (strcmp(queue_kinds[i], kind) == 0)
				break;
		}
		if (queue_kinds[i] == NULL)
			return (web_error(req, APP_EINVAL, "kind", NULL));
	}
	(void)snprintf(limit, sizeof(limit), "%d", QUEUE_MAX);
	params[0] = NULL;
	params[1] = limit;
	rc = db_call(req, &ar->db[0], review_sql[SQL_QUEUE], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));

	counts = json_object();
	tabs = json_array();
	for (i = 0; queue_kinds[i] != NULL; i++) {
		n = 0;
		json_array_foreach(ar->db[0].rows, j, row) {
			if (strcmp(rstr(row, "kind"), queue_kinds[i]) == 0)
				n++;
		}
		json_object_set_new(counts, queue_kinds[i], json_integer(n));
		(void)snprintf(key, sizeof(key), "review.kind.%s",
		    queue_kinds[i]);
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:I, s:b}",
		    "kind", queue_kinds[i], "label", web_str(req, key),
		    "count", (json_int_t)n, "current", kind != NULL &&
		    strcmp(kind, queue_kinds[i]) == 0));
	}
	/* Filter after counting: the tabs show every kind's count. */
	for (i = json_array_size(ar->db[0].rows); i > 0; i--) {
		row = json_array_get(ar->db[0].rows, i - 1);
		if (kind != NULL && strcmp(rstr(row, "kind"), kind) != 0) {
			json_array_remove(ar->db[0].rows, i - 1);
			continue;
		}
		(void)snprintf(key, sizeof(key), "review.kind.%s",
		    rstr(row, "kind"));
		json_object_set_new(row, "kind_label",
		    json_string(web_str(req, key)));
		if (strncmp(rstr(row, "kind"), "listing_", 8) == 0)
			json_object_set_new(row, "detail",
			    field_labels(req, rstr(row, "detail")));
		w = waited(req, json_integer_value(json_object_get(row,
		    "waited_seconds")));
		json_object_set_new(row, "waited", json_string(w));
		kore_free(w);
		json_object_set_new(row, "name", json_string(
		    strcmp(ar->lang, "en") == 0 && *rstr(row, "name_en") !=
		    '\0' ? rstr(row, "name_en") : rstr(row, "name_ko")));
		json_object_set_new(row, "vendor", json_string(
		    strcmp(ar->lang, "en") == 0 && *rstr(row, "vendor_en") !=
		    '\0' ? rstr(row, "vendor_en") : rstr(row, "vendor_ko")));
	}
	ar->vm = json_pack("{s:s, s:O, s:o, s:o, s:s?, s:I}", "title",
	    web_str(req, "review.queue_title"), "items", ar->db[0].rows,
	    "counts", counts, "tabs", tabs, "kind", kind, "total",
	    (json_int_t)json_array_size(ar->db[0].rows));
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (web_page(req, 200, "review_queue", ar->vm));
}

/*
 * GET /review/listings/:id and /api/v1/review/listings/:id: a listing
 * under review: what changed (field by field), the checklist to score,
 * the decisions its state allows, and the decisions so far. 404 if none.
 */
int
review_listing(struct http_request *req)
{
	return (review_render(req, 200, NULL, NULL));
}

/* Labels of a checklist row and its items (in the request's language). */
static void
checklist_decorate(struct http_request *req, json_t *cl)
{
	struct app_req	*ar;
	json_t		*it;
	size_t		 i;
	char		 key[64];

	ar = app_req(req);
	json_array_foreach(json_object_get(cl, "items"), i, it) {
		json_object_set_new(it, "i", json_integer((json_int_t)i));
		json_object_set_new(it, "label", json_string(strcmp(ar->lang,
		    "en") == 0 && *rstr(it, "label_en") != '\0' ?
		    rstr(it, "label_en") : rstr(it, "label_ko")));
		(void)snprintf(key, sizeof(key), "review.criterion.%s",
		    rstr(it, "criterion"));
		json_object_set_new(it, "criterion_label",
		    json_string(web_str(req, key)));
	}
}

/*
 * The review page, also after a refused decision (status, field and the
 * message key; the typed reasons and ticks are kept). db[1] the listing,
 * db[2] its decisions, db[3] the checklist (the one posted, else the
 * current one).
 */
static int
review_render(struct http_request *req, int status, const char *field,
    const char *key)
{
	struct app_req	*ar;
	const char	*params[2], *st, *kind, *done, *cid;
	char		 id[24], dkey[96], fbuf[64], kbuf[96];
	json_t		*row, *cl, *h, *vm, *rows, *it;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	/* field and key may point into ar->vm, which is replaced below. */
	if (field != NULL) {
		(void)snprintf(fbuf, sizeof(fbuf), "%s", field);
		field = fbuf;
	}
	if (key != NULL) {
		(void)snprintf(kbuf, sizeof(kbuf), "%s", key);
		key = kbuf;
	}
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	rc = db_call(req, &ar->db[1], review_sql[SQL_LISTING], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	if ((row = json_array_get(ar->db[1].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[2], review_sql[SQL_HISTORY], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));
	params[0] = "listing";
	cid = ar->body != NULL ? NULL : web_form(req, "checklist_id");
	params[1] = cid != NULL && *cid != '\0' && strspn(cid,
	    "0123456789") == strlen(cid) && strlen(cid) < 16 ? cid : NULL;
	rc = db_call(req, &ar->db[3], review_sql[SQL_CHECKLIST], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));
	cl = json_array_get(ar->db[3].rows, 0);

	if (ar->json && field == NULL && key == NULL) {
		vm = json_pack("{s:O, s:O, s:O*}", "listing", row, "decisions",
		    ar->db[2].rows, "checklist", cl);
		if (vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		rows = json_is_object(json_object_get(row, "after")) ?
		    listing_diff_rows(req, json_is_object(json_object_get(row,
		    "before")) ? json_object_get(row, "before") : NULL,
		    json_object_get(row, "after")) : json_array();
		json_object_set_new(vm, "changes", rows);
		ar->vm = vm;
		return (web_json(req, 200, vm));
	}

	st = rstr(row, "status");
	kind = rstr(row, "review_kind");
	listing_decorate_row(req, row);
	{
		struct kore_buf	 rb;
		json_t		*x;

		kore_buf_init(&rb, 64);
		json_array_foreach(json_object_get(row, "review_reasons"), i,
		    x) {
			if (json_is_string(x))
				kore_buf_appendf(&rb, "%s%s", rb.offset > 0 ?
				    "," : "", json_string_value(x));
		}
		kore_buf_append(&rb, "", 1);
		json_object_set_new(row, "review_reasons_label",
		    field_labels(req, (const char *)rb.data));
		kore_buf_cleanup(&rb);
	}
	if (*kind != '\0') {
		(void)snprintf(dkey, sizeof(dkey), "review.kind.listing_%s",
		    kind);
		json_object_set_new(row, "review_kind_label",
		    json_string(web_str(req, dkey)));
	}
	json_array_foreach(ar->db[2].rows, i, h) {
		(void)snprintf(dkey, sizeof(dkey), "listing.decision.%s",
		    rstr(h, "decision"));
		json_object_set_new(h, "decision_label",
		    json_string(web_str(req, dkey)));
		(void)snprintf(dkey, sizeof(dkey), "listing.kind.%s",
		    rstr(h, "kind"));
		json_object_set_new(h, "kind_label",
		    json_string(web_str(req, dkey)));
	}
	if (cl != NULL) {
		checklist_decorate(req, cl);
		/* Keep the ticks of a refused decision. */
		json_array_foreach(json_object_get(cl, "items"), i, it) {
			(void)snprintf(dkey, sizeof(dkey), "item_%zu", i);
			json_object_set_new(it, "checked", json_boolean(
			    web_form(req, dkey) != NULL));
		}
	}
	rows = json_is_object(json_object_get(row, "after")) ?
	    listing_diff_rows(req, json_is_object(json_object_get(row,
	    "before")) ? json_object_get(row, "before") : NULL,
	    json_object_get(row, "after")) : json_array();
	vm = json_pack("{s:s, s:O, s:O, s:O*, s:o, s:b, s:b, s:b, s:b, s:b, "
	    "s:b, s:b, s:s}",
	    "title", web_str(req, "review.listing_title"), "listing", row,
	    "decisions", ar->db[2].rows, "checklist", cl, "changes", rows,
	    "can_decide", (ar->who.role & (ROLE_REVIEWER | ROLE_ADMIN)) != 0,
	    "decidable", strcmp(kind, "submission") == 0 ||
	    strcmp(kind, "change") == 0,
	    "acknowledgeable", json_integer_value(json_object_get(row,
	    "open_edits")) > 0,
	    "can_suspend", strcmp(st, "published") == 0,
	    "can_reinstate", strcmp(st, "suspended") == 0,
	    "can_withdraw", strcmp(st, "published") == 0 ||
	    strcmp(st, "suspended") == 0,
	    "is_change", strcmp(kind, "change") == 0,
	    "reasons", web_form(req, "reasons") != NULL ?
	    web_form(req, "reasons") : "");
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if ((done = qs_get(&ar->qs, "done")) != NULL && *done != '\0') {
		(void)snprintf(dkey, sizeof(dkey), "review.done.%s", done);
		if (strcmp(web_str(req, dkey), dkey) != 0)
			json_object_set_new(vm, "done_notice",
			    json_string(web_str(req, dkey)));
	}
	if (ar->vm != NULL)
		json_decref(ar->vm);
	ar->vm = vm;
	if (field != NULL || key != NULL)
		return (web_form_page(req, status, "review_listing", vm,
		    status == 409 ? APP_ECONFLICT : status == 404 ?
		    APP_ENOTFOUND : APP_EINVAL, field, key));
	return (web_page(req, status, "review_listing", vm));
}

/*
 * Answers a refused decision: JSON, or the review page again with the
 * message (ar->step 9 remembers it across the page's statements).
 */
static int
fail(struct http_request *req, enum app_err err, const char *field,
    const char *key)
{
	struct app_req	*ar;

	ar = app_req(req);
	if (ar->json)
		return (web_error(req, err, field, key));
	ar->step = 9;
	json_decref(ar->vm);
	ar->vm = json_pack("{s:i, s:s?, s:s?}", "_status", err == APP_ECONFLICT ?
	    409 : err == APP_ENOTFOUND ? 404 : 400, "_field", field,
	    "_key", key);
	return (review_render(req, err == APP_ECONFLICT ? 409 :
	    err == APP_ENOTFOUND ? 404 : 400, field, key));
}

/*
 * A text parameter (form or JSON body) trimmed into buf: at most max
 * characters, no control characters but line breaks and tabs. *err is
 * APP_OK, APP_EINVAL or APP_ETOOLONG. Returns buf ("" when absent).
 */
static const char *
text_in(struct http_request *req, const char *name, size_t max, char *buf,
    size_t len, enum app_err *err)
{
	struct app_req	*ar;
	json_t		*v;
	const char	*s, *end;
	size_t		 i, n;

	ar = app_req(req);
	*err = APP_OK;
	buf[0] = '\0';
	s = NULL;
	if (ar->body != NULL) {
		v = json_object_get(ar->body, name);
		if (v != NULL && !json_is_null(v)) {
			if (!json_is_string(v) || json_string_length(v) !=
			    strlen(json_string_value(v))) {
				*err = APP_EINVAL;
				return (buf);
			}
			s = json_string_value(v);
		}
	} else {
		s = web_form(req, name);
	}
	if (s == NULL)
		return (buf);
	n = strlen(s);
	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n' &&
		    s[i] != '\r' && s[i] != '\t') || s[i] == 0x7f) {
			*err = APP_EINVAL;
			return (buf);
		}
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	n = (size_t)(end - s);
	if (utf8_len(s, n) > max || n >= len) {
		*err = APP_ETOOLONG;
		return (buf);
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (buf);
}

/*
 * POST /review/listings/:id/decide (and the API): decision approve,
 * reject, request_changes (the open submission or change) or acknowledge
 * (the oldest open text edit), with reasons (required to reject or ask
 * for changes) and the checklist items met (form: item_N; JSON: answers
 * {code: true}). Approving needs the checklist passed. 400 naming the
 * field, 404, 409 when nothing of that kind is open or the state forbids
 * it; else 303 to the page or 200 with the outcome.
 */
int
review_decide(struct http_request *req)
{
	struct app_req		*ar;
	struct checklist_item	 items[CHECKLIST_ITEMS_MAX];
	struct checklist_result	 res;
	enum app_err		 err;
	const char		*decision, *reasons, *params[13], *o;
	char			 rbuf[REASONS_MAX * 4 + 1], id[24], uid[24];
	char			 oid[24], addr[64], url[128], met[16];
	char			 total[16], pct[16], cid[24], name[32];
	char			*answers_s;
	json_t			*cl, *answers, *it, *v, *r;
	size_t			 i, d, n;
	int			 rc;

	ar = app_req(req);
	if (ar->step == 9)
		return (review_render(req, (int)json_integer_value(
		    json_object_get(ar->vm, "_status")),
		    json_string_value(json_object_get(ar->vm, "_field")),
		    json_string_value(json_object_get(ar->vm, "_key"))));

	if (ar->body != NULL)
		decision = json_string_value(json_object_get(ar->body,
		    "decision"));
	else
		decision = web_form(req, "decision");
	for (d = 0; d < sizeof(decisions) / sizeof(decisions[0]); d++) {
		if (decision != NULL && strcmp(decisions[d].verb, decision) ==
		    0)
			break;
	}
	if (d == sizeof(decisions) / sizeof(decisions[0]))
		return (fail(req, APP_EINVAL, "decision",
		    "review.error_decision"));
	reasons = text_in(req, "reasons", REASONS_MAX, rbuf, sizeof(rbuf),
	    &err);
	if (err != APP_OK)
		return (fail(req, err, "reasons", err == APP_ETOOLONG ?
		    "review.error_reasons_long" : NULL));
	if (decisions[d].reasons_required && *reasons == '\0')
		return (fail(req, APP_EINVAL, "reasons",
		    "review.error_reasons_required"));

	/* The checklist: the version the reviewer saw, else the current. */
	if (ar->body != NULL) {
		v = json_object_get(ar->body, "checklist_id");
		if (v != NULL && !json_is_integer(v))
			return (fail(req, APP_EINVAL, "checklist_id", NULL));
		if (json_is_integer(v))
			(void)snprintf(cid, sizeof(cid), "%lld",
			    (long long)json_integer_value(v));
		else
			cid[0] = '\0';
	} else {
		o = web_form(req, "checklist_id");
		(void)snprintf(cid, sizeof(cid), "%s", o != NULL ? o : "");
		if (strspn(cid, "0123456789") != strlen(cid))
			return (fail(req, APP_EINVAL, "checklist_id", NULL));
	}
	params[0] = "listing";
	params[1] = cid[0] != '\0' ? cid : NULL;
	rc = db_call(req, &ar->db[3], review_sql[SQL_CHECKLIST], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[3]));
	if ((cl = json_array_get(ar->db[3].rows, 0)) == NULL)
		return (fail(req, APP_EINVAL, "checklist_id",
		    "review.error_checklist"));

	answers = json_object();
	n = 0;
	json_array_foreach(json_object_get(cl, "items"), i, it) {
		if (i >= CHECKLIST_ITEMS_MAX)
			break;
		items[i].mandatory = json_is_true(json_object_get(it,
		    "mandatory"));
		if (ar->body != NULL) {
			v = json_object_get(json_object_get(ar->body,
			    "answers"), rstr(it, "code"));
			items[i].met = json_is_true(v);
		} else {
			(void)snprintf(name, sizeof(name), "item_%zu", i);
			items[i].met = web_form(req, name) != NULL;
		}
		json_object_set_new(answers, rstr(it, "code"),
		    json_boolean(items[i].met));
		n = i + 1;
	}
	if (ar->body != NULL && json_object_get(ar->body, "answers") != NULL &&
	    !json_is_object(json_object_get(ar->body, "answers"))) {
		json_decref(answers);
		return (fail(req, APP_EINVAL, "answers", NULL));
	}
	memset(&res, 0, sizeof(res));
	if (strcmp(decisions[d].verb, "acknowledge") != 0 &&
	    checklist_evaluate(items, n, (int)json_integer_value(
	    json_object_get(cl, "threshold")), &res) == -1) {
		json_decref(answers);
		return (fail(req, APP_EINVAL, "checklist_id",
		    "review.error_checklist"));
	}
	if (strcmp(decisions[d].verb, "approve") == 0 && !res.pass) {
		json_decref(answers);
		return (fail(req, APP_EINVAL, "checklist",
		    res.mandatory_missed > 0 ? "review.error_mandatory" :
		    "review.error_threshold"));
	}

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	(void)snprintf(oid, sizeof(oid), "%lld", (long long)ar->who.org_id);
	(void)snprintf(cid, sizeof(cid), "%lld", (long long)
	    json_integer_value(json_object_get(cl, "id")));
	(void)snprintf(met, sizeof(met), "%zu", res.met);
	(void)snprintf(total, sizeof(total), "%zu", res.total);
	(void)snprintf(pct, sizeof(pct), "%d", res.percent);
	answers_s = json_dumps(answers, JSON_COMPACT);
	json_decref(answers);
	params[0] = id;
	params[1] = decisions[d].verb;
	params[2] = reasons;
	params[3] = strcmp(decisions[d].verb, "acknowledge") != 0 ? cid : NULL;
	params[4] = strcmp(decisions[d].verb, "acknowledge") != 0 ?
	    answers_s : NULL;
	params[5] = res.total > 0 ? met : NULL;
	params[6] = res.total > 0 ? total : NULL;
	params[7] = res.total > 0 ? pct : NULL;
	params[8] = res.total > 0 ? (res.pass ? "true" : "false") : NULL;
	params[9] = uid;
	params[10] = oid;
	params[11] = ar->rid;
	params[12] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], review_sql[SQL_DECIDE], 13, params);
	free(answers_s);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	r = json_object_get(json_array_get(ar->db[0].rows, 0), "r");
	o = rstr(r, "outcome");
	if (strcmp(o, "not_found") == 0)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (strcmp(o, "nothing_open") == 0)
		return (fail(req, APP_ECONFLICT, NULL,
		    "review.error_nothing_open"));
	if (strcmp(o, "wrong_state") == 0)
		return (fail(req, APP_ECONFLICT, NULL, "review.error_state"));
	if (strcmp(o, "decided") != 0)
		return (fail(req, APP_EINVAL, "checklist",
		    "review.error_checklist"));
	web_log(req, "listing %s: %s by user %s (%d%%)", id,
	    rstr(r, "decision"), uid, res.percent);
	if (ar->json) {
		json_object_set_new(r, "score", json_pack("{s:I, s:I, s:i, "
		    "s:b}", "met", (json_int_t)res.met, "total",
		    (json_int_t)res.total, "percent", res.percent,
		    "passed", res.pass));
		return (web_json(req, 200, r));
	}
	(void)snprintf(url, sizeof(url), "/review/listings/%s?done=%s", id,
	    rstr(r, "decision"));
	return (web_redirect(req, url));
}

/*
 * POST /review/listings/:id/status (and the API): action suspend,
 * reinstate or withdraw, with a reason (required). 400, 404, 409 from a
 * state the action does not start from; else 303 or 200.
 */
int
review_status(struct http_request *req)
{
	struct app_req	*ar;
	enum app_err	 err;
	const char	*action, *reason, *params[7], *o;
	char		 rbuf[REASONS_MAX * 4 + 1], id[24], uid[24], oid[24];
	char		 addr[64], url[128];
	json_t		*r;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 9)
		return (review_render(req, (int)json_integer_value(
		    json_object_get(ar->vm, "_status")),
		    json_string_value(json_object_get(ar->vm, "_field")),
		    json_string_value(json_object_get(ar->vm, "_key"))));
	action = ar->body != NULL ? json_string_value(json_object_get(
	    ar->body, "action")) : web_form(req, "action");
	if (action == NULL || (strcmp(action, "suspend") != 0 &&
	    strcmp(action, "reinstate") != 0 &&
	    strcmp(action, "withdraw") != 0))
		return (fail(req, APP_EINVAL, "action", NULL));
	reason = text_in(req, "reason", 1000, rbuf, sizeof(rbuf), &err);
	if (err != APP_OK)
		return (fail(req, err, "reason", err == APP_ETOOLONG ?
		    "review.error_reasons_long" : NULL));
	if (*reason == '\0')
		return (fail(req, APP_EINVAL, "reason",
		    "review.error_reasons_required"));
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	(void)snprintf(oid, sizeof(oid), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = action;
	params[2] = reason;
	params[3] = uid;
	params[4] = oid;
	params[5] = ar->rid;
	params[6] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], review_sql[SQL_STATUS], 7, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	r = json_object_get(json_array_get(ar->db[0].rows, 0), "r");
	o = rstr(r, "outcome");
	if (strcmp(o, "not_found") == 0)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (strcmp(o, "done") != 0)
		return (fail(req, APP_ECONFLICT, NULL, "review.error_state"));
	web_log(req, "listing %s: %s by user %s", id, action, uid);
	if (ar->json)
		return (web_json(req, 200, r));
	(void)snprintf(url, sizeof(url), "/review/listings/%s?done=%s", id,
	    action);
	return (web_redirect(req, url));
}

/*
 * GET /review/checklists and /api/v1/review/checklists (?kind, default
 * listing): the current checklist of a kind with its items, and every
 * version; platform admins get the form for a new version.
 */
int
review_checklists(struct http_request *req)
{
	struct app_req	*ar;
	const char	*kind, *params[2], *done;
	char		 key[64];
	json_t		*cl, *tabs, *rows, *it, *crit, *c;
	size_t		 i, j, n;
	int		 rc;

	ar = app_req(req);
	kind = qs_get(&ar->qs, "kind");
	if (kind == NULL || *kind == '\0')
		kind = "listing";
	for (i = 0; kinds[i] != NULL; i++) {
		if (strcmp(kinds[i], kind) == 0)
			break;
	}
	if (kinds[i] == NULL)
		return (web_error(req, APP_EINVAL, "kind", NULL));
	params[0] = kind;
	params[1] = NULL;
	rc = db_call(req, &ar->db[0], review_sql[SQL_CHECKLIST], 2, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	rc = db_call(req, &ar->db[1], review_sql[SQL_CHECKLISTS], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	cl = json_array_get(ar->db[0].rows, 0);
	if (ar->json) {
		ar->vm = json_pack("{s:s, s:O*, s:O}", "kind", kind,
		    "current", cl, "versions", ar->db[1].rows);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		return (web_json(req, 200, ar->vm));
	}
	if (cl != NULL)
		checklist_decorate(req, cl);
	tabs = json_array();
	for (i = 0; kinds[i] != NULL; i++) {
		(void)snprintf(key, sizeof(key), "review.checklist_kind.%s",
		    kinds[i]);
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}",
		    "kind", kinds[i], "label", web_str(req, key), "current",
		    strcmp(kinds[i], kind) == 0));
	}
	/* The edit form: the current items, then blank rows. */
	rows = json_array();
	n = cl != NULL ? json_array_size(json_object_get(cl, "items")) : 0;
	for (i = 0; i < n + 3 && i < CL_FORM_ROWS; i++) {
		it = json_array_get(json_object_get(cl, "items"), i);
		it = it != NULL ? json_deep_copy(it) : json_object();
		json_object_set_new(it, "i", json_integer((json_int_t)i));
		json_object_set_new(it, "n", json_integer((json_int_t)i + 1));
		crit = json_array();
		for (j = 0; criteria[j] != NULL; j++) {
			(void)snprintf(key, sizeof(key), "review.criterion.%s",
			    criteria[j]);
			c = json_pack("{s:s, s:s, s:b}", "value", criteria[j],
			    "label", web_str(req, key), "selected",
			    strcmp(rstr(it, "criterion"), criteria[j]) == 0);
			json_array_append_new(crit, c);
		}
		json_object_set_new(it, "criteria", crit);
		json_array_append_new(rows, it);
	}
	(void)snprintf(key, sizeof(key), "review.checklist_kind.%s", kind);
	ar->vm = json_pack("{s:s, s:s, s:s, s:O*, s:O, s:o, s:o, s:b}",
	    "title", web_str(req, "review.checklists_title"), "kind", kind,
	    "kind_label", web_str(req, key), "current", cl, "versions",
	    ar->db[1].rows, "tabs", tabs, "rows", rows, "can_edit",
	    (ar->who.role & ROLE_ADMIN) != 0);
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if ((done = qs_get(&ar->qs, "done")) != NULL && strcmp(done,
	    "saved") == 0)
		json_object_set_new(ar->vm, "done_notice",
		    json_string(web_str(req, "review.done.checklist")));
	return (web_page(req, 200, "review_checklists", ar->vm));
}

/*
 * POST /review/checklists and /api/v1/review/checklists (platform admin):
 * a new version of a kind's checklist: kind, threshold (1..100), items
 * (form rows iN_code, iN_criterion, iN_label_ko, iN_label_en,
 * iN_mandatory; blank rows ignored; JSON: items [{code, criterion,
 * label_ko, label_en, mandatory}]) and a note. 400 naming the field;
 * 303 to the checklist page or 201 {id, kind, version}.
 */
int
review_checklist_add(struct http_request *req)
{
	struct app_req	*ar;
	enum app_err	 err;
	const char	*kind, *params[8], *s;
	char		 name[32], thr[16], note[NOTE_MAX * 4 + 1], uid[24];
	char		 oid[24], addr[64], url[96], *items_s;
	json_t		*items, *src, *it, *x, *r, *out;
	int64_t		 threshold;
	size_t		 i, j, k, n;
	int		 rc;
	static const char *const keys[] = { "code", "criterion", "label_ko",
		"label_en", "mandatory" };

	ar = app_req(req);
	if (ar->body != NULL) {
		kind = json_string_value(json_object_get(ar->body, "kind"));
		x = json_object_get(ar->body, "threshold");
		threshold = json_is_integer(x) ? json_integer_value(x) : -1;
	} else {
		kind = web_form(req, "kind");
		s = web_form(req, "threshold");
		threshold = s != NULL && *s != '\0' && strlen(s) < 4 &&
		    strspn(s, "0123456789") == strlen(s) ? atoi(s) : -1;
	}
	for (i = 0; kinds[i] != NULL; i++) {
		if (kind != NULL && strcmp(kinds[i], kind) == 0)
			break;
	}
	if (kinds[i] == NULL)
		return (web_error(req, APP_EINVAL, "kind", NULL));
	if (threshold < 1 || threshold > 100)
		return (web_error(req, APP_EINVAL, "threshold",
		    "review.error_threshold_range"));
	(void)text_in(req, "note", NOTE_MAX, note, sizeof(note), &err);
	if (err != APP_OK)
		return (web_error(req, err, "note", NULL));

	/* The items, as rows of the form or the JSON array. */
	items = json_array();
	if (ar->body != NULL) {
		src = json_object_get(ar->body, "items");
		if (!json_is_array(src)) {
			json_decref(items);
			return (web_error(req, APP_EINVAL, "items", NULL));
		}
		json_array_foreach(src, i, x)
			json_array_append(items, x);
	} else {
		for (i = 0; i < CL_FORM_ROWS; i++) {
			it = json_object();
			n = 0;
			for (k = 0; k < 5; k++) {
				(void)snprintf(name, sizeof(name), "i%zu_%s",
				    i, keys[k]);
				s = web_form(req, name);
				if (k == 4) {
					json_object_set_new(it, keys[k],
					    json_boolean(s != NULL));
					continue;
				}
				if (s != NULL && *s != '\0' && k != 1)
					n++;
				json_object_set_new(it, keys[k],
				    json_string(s != NULL ? s : ""));
			}
			if (n == 0)
				json_decref(it);
			else
				json_array_append_new(items, it);
		}
	}
	n = json_array_size(items);
	if (n == 0 || n > CHECKLIST_ITEMS_MAX) {
		json_decref(items);
		return (web_error(req, n == 0 ? APP_EINVAL : APP_ETOOLONG,
		    "items", "review.error_items_count"));
	}
	out = json_array();
	json_array_foreach(items, i, it) {
		(void)snprintf(name, sizeof(name), "i%zu_code", i);
		s = rstr(it, "code");
		if (!json_is_object(it) || *s < 'a' || *s > 'z' ||
		    strlen(s) > 40 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789_") != strlen(s))
			goto bad_item;
		for (j = 0; j < i; j++) {
			if (strcmp(rstr(json_array_get(items, j), "code"), s) ==
			    0)
				goto bad_item;
		}
		(void)snprintf(name, sizeof(name), "i%zu_criterion", i);
		for (k = 0; criteria[k] != NULL; k++) {
			if (strcmp(criteria[k], rstr(it, "criterion")) == 0)
				break;
		}
		if (criteria[k] == NULL)
			goto bad_item;
		(void)snprintf(name, sizeof(name), "i%zu_label_ko", i);
		s = rstr(it, "label_ko");
		if (*s == '\0' || utf8_len(s, strlen(s)) > 300 ||
		    s[strcspn(s, "\r\n\t")] != '\0')
			goto bad_item;
		(void)snprintf(name, sizeof(name), "i%zu_label_en", i);
		s = rstr(it, "label_en");
		if (utf8_len(s, strlen(s)) > 300 ||
		    s[strcspn(s, "\r\n\t")] != '\0')
			goto bad_item;
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:b}", "code", rstr(it, "code"), "criterion",
		    rstr(it, "criterion"), "label_ko", rstr(it, "label_ko"),
		    "label_en", rstr(it, "label_en"), "mandatory",
		    json_is_true(json_object_get(it, "mandatory"))));
	}
	json_decref(items);

	(void)snprintf(thr, sizeof(thr), "%lld", (long long)threshold);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	(void)snprintf(oid, sizeof(oid), "%lld", (long long)ar->who.org_id);
	items_s = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	params[0] = kind;
	params[1] = thr;
	params[2] = items_s;
	params[3] = note;
	params[4] = uid;
	params[5] = oid;
	params[6] = ar->rid;
	params[7] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], review_sql[SQL_CHECKLIST_ADD], 8, params);
	free(items_s);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	r = json_object_get(json_array_get(ar->db[0].rows, 0), "r");
	web_log(req, "checklist %s: version %lld by user %s", kind,
	    (long long)json_integer_value(json_object_get(r, "version")), uid);
	if (ar->json)
		return (web_json(req, 201, r));
	(void)snprintf(url, sizeof(url), "/review/checklists?kind=%s&done=saved",
	    kind);
	return (web_redirect(req, url));

bad_item:
	json_decref(items);
	json_decref(out);
	if (ar->body != NULL)
		(void)snprintf(name, sizeof(name), "items");
	return (web_error(req, APP_EINVAL, name, "review.error_item"));
}
