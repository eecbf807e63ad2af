/*
 * The procurement office's pages: vendor registration review and the
 * audit log.
 *
 * Vendor review: reviewers (and platform admins) approve or reject an
 * application and suspend an approved vendor; auditors see the same queue
 * read-only. Each decision is one statement that changes the
 * organisation's status only from the state the decision starts from
 * (approve and reject from applied, suspend from approved) and writes its
 * audit event, reason included, in the same statement; from any other
 * state nothing changes and the answer is 409. The audit log is the record
 * of decisions: the queue shows the latest vendor_* event of each vendor
 * (who, when, why) rather than copying it onto the organisation.
 *
 * The audit log: operators browse it with filters (actor id or e-mail,
 * organisation, action, object, dates in Korea time), newest first by id,
 * paginated under a fixed upper id (`until`, set by the first page) so
 * that events arriving meanwhile do not shift later pages; the same
 * filters export it as CSV (BOM, CRLF, every cell quoted, cells that a
 * spreadsheet would take for a formula prefixed with a quote). An export
 * is itself audited: it carries personal data (e-mails, addresses). Each
 * row says whether `gureumctl audit seal` has chained it yet.
 */

#include <time.h>

#include "gureum.h"

#define VENDORS_PER_PAGE	50
#define AUDIT_PER_PAGE		50
#define AUDIT_CSV_MAX		50000
#define AUDIT_PAGE_MAX		100000
#define REASON_MAX		1000	/* characters */
#define KST			"'Asia/Seoul'"

/* A vendor's columns, shared by the queue and the vendor page. */
#define VENDOR_COLS \
	"o.id, o.name_ko, o.name_en, o.biz_no, o.company_size, o.address," \
	" o.contact_name, o.contact_email, o.contact_phone, o.website," \
	" o.status, to_char(o.created_at AT TIME ZONE " KST "," \
	" 'YYYY-MM-DD HH24:MI') AS applied_at," \
	" floor(extract(epoch FROM now() - o.created_at))::bigint" \
	" AS waited_seconds, d.action AS decision," \
	" d.reason AS decision_reason, to_char(d.at AT TIME ZONE " KST "," \
	" 'YYYY-MM-DD HH24:MI') AS decided_at, d.email AS decided_by"

/* The latest decision about each vendor, from the audit log. */
#define VENDOR_FROM \
	" FROM organisations o LEFT JOIN LATERAL (SELECT e.action," \
	"  e.summary->>'reason' AS reason, e.at, u.email" \
	"  FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id" \
	"  WHERE e.object_type = 'organisation'" \
	"  AND e.object_id = o.id::text AND e.action IN" \
	"  ('vendor_approved', 'vendor_rejected', 'vendor_suspended')" \
	"  ORDER BY e.id DESC LIMIT 1) d ON true"

/*
 * The audit filters, $1..$9: actor id, actor e-mail, organisation, action,
 * object type, object id, from and to (dates, Korea time, inclusive), and
 * the highest id (NULL: the newest now). NULL means "any".
 */
#define AUDIT_WHERE \
	" WHERE ($1::bigint IS NULL OR e.actor_id = $1::bigint)" \
	" AND ($2::text IS NULL OR e.actor_id IN" \
	"  (SELECT id FROM users WHERE lower(email) = lower($2::text)))" \
	" AND ($3::bigint IS NULL OR e.org_id = $3::bigint)" \
	" AND ($4::text IS NULL OR e.action = $4::text)" \
	" AND ($5::text IS NULL OR e.object_type = $5::text)" \
	" AND ($6::text IS NULL OR e.object_id = $6::text)" \
	" AND ($7::date IS NULL OR" \
	"  e.at >= ($7::date::timestamp AT TIME ZONE " KST "))" \
	" AND ($8::date IS NULL OR" \
	"  e.at < (($8::date + 1)::timestamp AT TIME ZONE " KST "))" \
	" AND e.id <= coalesce($9::bigint," \
	"  (SELECT max(id) FROM audit_events), 0)"

/* An event's columns as the page, the API and the CSV show them. */
#define AUDIT_COLS \
	"e.id, to_char(e.at AT TIME ZONE " KST "," \
	" 'YYYY-MM-DD HH24:MI:SS') AS at_kst," \
	" to_char(e.at AT TIME ZONE " KST "," \
	" 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+09:00\"') AS at," \
	" e.actor_id, u.email AS actor_email, u.name AS actor_name," \
	" e.org_id, o.name_ko AS org_name_ko, o.name_en AS org_name_en," \
	" e.action, e.object_type, e.object_id, e.summary, e.request_id," \
	" e.client_addr, c.seq AS chain_seq" \
	" FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id" \
	" LEFT JOIN organisations o ON o.id = e.org_id" \
	" LEFT JOIN audit_chain c ON c.event_id = e.id"

enum op_sql {
	SQL_VENDOR_COUNTS,
	SQL_VENDORS,
	SQL_VENDOR,
	SQL_VENDOR_HISTORY,
	SQL_DECIDE,
	SQL_AUDIT_COUNT,
	SQL_AUDIT_PAGE,
	SQL_AUDIT_CSV,
	SQL__MAX
};

static const char *const op_sql[SQL__MAX] = {
	/* SQL_VENDOR_COUNTS */
	"SELECT status, count(*) AS n FROM organisations"
	" WHERE kind = 'vendor' GROUP BY status",
	/* SQL_VENDORS: $1 status, $2 limit, $3 offset */
	"SELECT " VENDOR_COLS VENDOR_FROM
	" WHERE o.kind = 'vendor' AND o.status = $1"
	" ORDER BY CASE WHEN $1 = 'applied' THEN o.created_at END,"
	" d.at DESC NULLS LAST, o.id LIMIT $2 OFFSET $3",
	/* SQL_VENDOR: $1 id */
	"SELECT " VENDOR_COLS VENDOR_FROM
	" WHERE o.kind = 'vendor' AND o.id = $1",
	/* SQL_VENDOR_HISTORY: $1 id (text) */
	"SELECT e.id, to_char(e.at AT TIME ZONE " KST ","
	" 'YYYY-MM-DD HH24:MI:SS') AS at_kst, e.action,"
	" u.email AS actor_email, e.summary->>'reason' AS reason"
	" FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id"
	" WHERE e.object_type = 'organisation' AND e.object_id = $1"
	" ORDER BY e.id DESC LIMIT 50",
	/*
	 * SQL_DECIDE: $1 vendor, $2 from status, $3 to status, $4 action,
	 * $5 reason ('' for none), $6 actor, $7 actor's organisation,
	 * $8 request id, $9 client address. No row: no such vendor; a row
	 * with status NULL: not in state $2 (was says where it is).
	 */
	"WITH cur AS (SELECT id, status FROM organisations"
	"  WHERE id = $1 AND kind = 'vendor'),"
	" o AS (UPDATE organisations SET status = $3, updated_at = now()"
	"  WHERE id = $1 AND kind = 'vendor' AND status = $2"
	"  RETURNING id, name_ko, status),"
	" a AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  SELECT $6, $7, $4, 'organisation', o.id::text,"
	"  jsonb_build_object('name', o.name_ko, 'from', $2::text,"
	"  'to', o.status) || CASE WHEN $5::text = '' THEN '{}'::jsonb"
	"  ELSE jsonb_build_object('reason', $5::text) END, $8, $9 FROM o"
	"  RETURNING id)"
	" SELECT cur.id, cur.status AS was, o.status,"
	" (SELECT id FROM a) AS event_id FROM cur LEFT JOIN o ON true",
	/* SQL_AUDIT_COUNT: the filters; the upper id and the total */
	"SELECT coalesce($9::bigint, (SELECT max(id) FROM audit_events), 0)"
	" AS until, count(*) AS total FROM audit_events e" AUDIT_WHERE,
	/* SQL_AUDIT_PAGE: the filters, $10 limit, $11 offset */
	"SELECT " AUDIT_COLS AUDIT_WHERE
	" ORDER BY e.id DESC LIMIT $10 OFFSET $11",
	/*
	 * SQL_AUDIT_CSV: the filters, $10 limit; records the export with
	 * $11 actor, $12 organisation, $13 filters (JSON), $14 request id,
	 * $15 client address.
	 */
	"WITH x AS (INSERT INTO audit_events (actor_id, org_id, action,"
	"  object_type, object_id, summary, request_id, client_addr)"
	"  VALUES ($11, $12, 'audit_exported', 'audit_log', '',"
	"  $13::jsonb, $14, $15))"
	" SELECT " AUDIT_COLS AUDIT_WHERE
	" ORDER BY e.id DESC LIMIT $10",
};

enum op_decision {
	DEC_APPROVE,
	DEC_REJECT,
	DEC_SUSPEND,
	DEC__MAX
};

static const struct {
	const char	*verb;		/* in the path, and ?done= after it */
	const char	*from;
	const char	*to;
	const char	*action;	/* audit action */
	int		 reason_required;
	const char	*state_key;	/* 409 message */
} decisions[DEC__MAX] = {
	{ "approve", "applied", "approved", "vendor_approved", 0,
	    "admin.error_not_applied" },		/* DEC_APPROVE */
	{ "reject", "applied", "rejected", "vendor_rejected", 1,
	    "admin.error_not_applied" },		/* DEC_REJECT */
	{ "suspend", "approved", "suspended", "vendor_suspended", 1,
	    "admin.error_not_approved" },		/* DEC_SUSPEND */
};

/* The statuses the queue lists, with the tag each shows as. */
static const struct {
	const char	*status;
	const char	*tag;
} vendor_statuses[] = {
	{ "applied", "tag--warning" },
	{ "approved", "tag--valid" },
	{ "rejected", "tag--revoked" },
	{ "suspended", "tag--revoked" },
};

#define NSTATUSES	(sizeof(vendor_statuses) / sizeof(vendor_statuses[0]))

/* The filters of the audit log, as they arrived and as SQL parameters. */
struct audit_filter {
	const char	*raw[6];	/* actor org action object from to */
	const char	*params[15];
	char		 actor_id[24];
	char		 org[24];
	char		 otype[40];
	char		 until[24];
	char		 limit[24];
	char		 offset[24];
	int64_t		 page;
};

static const char *const audit_filter_names[6] = {
	"actor", "org", "action", "object", "from", "to"
};

/* The columns of the CSV export: header key and row field. */
static const struct {
	const char	*key;
	const char	*field;
} audit_csv_cols[] = {
	{ "audit.col.id", "id" },
	{ "audit.col.at", "at_kst" },
	{ "audit.col.actor_id", "actor_id" },
	{ "audit.col.actor", "actor_email" },
	{ "audit.col.org_id", "org_id" },
	{ "audit.col.org", "org_name" },
	{ "audit.col.action", "action" },
	{ "audit.col.object_type", "object_type" },
	{ "audit.col.object_id", "object_id" },
	{ "audit.col.summary", "summary" },
	{ "audit.col.request_id", "request_id" },
	{ "audit.col.client_addr", "client_addr" },
	{ "audit.col.chain_seq", "chain_seq" },
};

static int	 op_decide(struct http_request *, enum op_decision);
static json_t	*op_pagination(const char *, const char *, int64_t, int64_t);
static int	 op_vendor_render(struct http_request *, int, enum app_err,
		    const char *, const char *);
static void	 op_vendor_decorate(struct http_request *, json_t *);
static char	*op_waited(struct http_request *, int64_t);
static char	*op_subst(const char *, const char *, const char *);
static const char *op_reason(struct http_request *, char *, size_t,
		    enum app_err *);
static enum app_err audit_filter_parse(struct http_request *,
		    struct audit_filter *, const char **);
static int	 audit_bad(struct http_request *, enum app_err, const char *);
static json_t	*audit_filter_echo(struct app_req *);
static void	 audit_qs(struct app_req *, char *, size_t);
static void	 audit_decorate(struct http_request *, json_t *, int);
static int	 valid_date(const char *);
static int	 parse_id(const char *, int64_t, char *, size_t);

/*
 * GET /admin/vendors and /api/v1/admin/vendors (?status, ?page): the
 * vendors in one status (applied by default), applications oldest first
 * with the time each has waited, decided ones newest decision first.
 * Answers 400 naming status or page when they are not valid.
 */
int
admin_vendors(struct http_request *req)
{
	struct app_req	*ar;
	const char	*status, *params[3];
	char		 limit[24], offset[24], url[128], key[64];
	json_t		*vm, *tabs, *counts, *row, *list;
	int64_t		 page, total, n;
	size_t		 i, idx;
	int		 rc;

	ar = app_req(req);
	status = qs_get(&ar->qs, "status");
	if (status == NULL || *status == '\0')
		status = "applied";
	for (i = 0; i < NSTATUSES; i++) {
		if (strcmp(vendor_statuses[i].status, status) == 0)
			break;
	}
	if (i == NSTATUSES)
		return (web_error(req, APP_EINVAL, "status", NULL));
	if (!web_param_int(req, "page", 1, 1, AUDIT_PAGE_MAX, &page))
		return (KORE_RESULT_OK);

	rc = db_call(req, &ar->db[0], op_sql[SQL_VENDOR_COUNTS], 0, NULL);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));

	(void)snprintf(limit, sizeof(limit), "%d", VENDORS_PER_PAGE);
	(void)snprintf(offset, sizeof(offset), "%lld",
	    (long long)(page - 1) * VENDORS_PER_PAGE);
	params[0] = status;
	params[1] = limit;
	params[2] = offset;
	rc = db_call(req, &ar->db[1], op_sql[SQL_VENDORS], 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	counts = json_object();
	tabs = json_array();
	total = 0;
	for (i = 0; i < NSTATUSES; i++) {
		n = 0;
		json_array_foreach(ar->db[0].rows, idx, row) {
			if (strcmp(json_string_value(json_object_get(row,
			    "status")), vendor_statuses[i].status) == 0)
				n = json_integer_value(json_object_get(row,
				    "n"));
		}
		if (strcmp(vendor_statuses[i].status, status) == 0)
			total = n;
		json_object_set_new(counts, vendor_statuses[i].status,
		    json_integer(n));
		(void)snprintf(url, sizeof(url), "/admin/vendors?status=%s",
		    vendor_statuses[i].status);
		(void)snprintf(key, sizeof(key), "admin.status.%s",
		    vendor_statuses[i].status);
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:I, s:s, "
		    "s:b}", "status", vendor_statuses[i].status, "label",
		    web_str(req, key), "count", (json_int_t)n, "url", url,
		    "current", strcmp(vendor_statuses[i].status, status) == 0));
	}

	list = ar->db[1].rows;
	json_array_foreach(list, idx, row)
		op_vendor_decorate(req, row);

	(void)snprintf(key, sizeof(key), "admin.status.%s", status);
	vm = json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:i, s:O, s:o, s:o}",
	    "title", web_str(req, "admin.vendors_title"),
	    "status", status, "status_label", web_str(req, key),
	    "queue", strcmp(status, "applied") == 0,
	    "total", (json_int_t)total, "page", (json_int_t)page,
	    "per_page", VENDORS_PER_PAGE, "vendors", list,
	    "counts", counts, "tabs", tabs);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	if (!ar->json) {
		(void)snprintf(url, sizeof(url), "/admin/vendors?status=%s&",
		    status);
		json_object_set_new(vm, "pagination", op_pagination(url, "",
		    page, (total + VENDORS_PER_PAGE - 1) / VENDORS_PER_PAGE));
	}
	return (web_page(req, 200, "admin_vendors", vm));
}

/*
 * GET /admin/vendors/:id and /api/v1/admin/vendors/:id: one vendor's
 * registration, its history in the audit log and, for reviewers, the
 * decisions its status allows. 404 if :id is not a vendor.
 */
int
admin_vendor(struct http_request *req)
{
	return (op_vendor_render(req, 200, APP_OK, NULL, NULL));
}

/*
 * POST /admin/vendors/:id/approve (and the API form): applied → approved.
 * An optional reason is kept as a note. 409 from any other state.
 */
int
admin_vendor_approve(struct http_request *req)
{
	return (op_decide(req, DEC_APPROVE));
}

/* POST /admin/vendors/:id/reject: applied → rejected; reason required. */
int
admin_vendor_reject(struct http_request *req)
{
	return (op_decide(req, DEC_REJECT));
}

/* POST /admin/vendors/:id/suspend: approved → suspended; reason required. */
int
admin_vendor_suspend(struct http_request *req)
{
	return (op_decide(req, DEC_SUSPEND));
}

/*
 * The pagination partial's model: a window of pages around page (of np),
 * each linked as prefix "page=N" suffix. Returns a new value.
 */
static json_t *
op_pagination(const char *prefix, const char *suffix, int64_t page,
    int64_t np)
{
	json_t	*pages, *pg;
	char	 url[3000];
	int64_t	 p;

	pages = json_array();
	for (p = page - 4 < 1 ? 1 : page - 4; p <= np && p <= page + 4; p++) {
		(void)snprintf(url, sizeof(url), "%spage=%lld%s", prefix,
		    (long long)p, suffix);
		json_array_append_new(pages, json_pack("{s:I, s:s, s:b}", "n",
		    (json_int_t)p, "url", url, "current", p == page));
	}
	pg = json_pack("{s:o}", "pages", pages);
	if (pg != NULL && page > 1 && page <= np) {
		(void)snprintf(url, sizeof(url), "%spage=%lld%s", prefix,
		    (long long)page - 1, suffix);
		json_object_set_new(pg, "prev_url", json_string(url));
	}
	if (pg != NULL && page < np) {
		(void)snprintf(url, sizeof(url), "%spage=%lld%s", prefix,
		    (long long)page + 1, suffix);
		json_object_set_new(pg, "next_url", json_string(url));
	}
	return (pg);
}

/*
 * One decision. Steps: 0 check the reason; 1 the statement (status and
 * audit event together); 2 a browser's error: the vendor page again with
 * the message and the reason as typed. Answers 400 (reason missing or
 * longer than REASON_MAX), 404 (no such vendor), 409 (wrong state), else
 * 303 to the vendor page or 200 {id, was, status, event_id}.
 */
static int
op_decide(struct http_request *req, enum op_decision d)
{
	struct app_req	*ar;
	enum app_err	 err;
	const char	*reason, *params[9], *key;
	char		 rbuf[REASON_MAX * 4 + 1], id[24], uid[24], oid[24];
	char		 addr[64], url[128];
	json_t		*row;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 2)
		return (op_vendor_render(req, 0, APP_OK, NULL, NULL));

	reason = op_reason(req, rbuf, sizeof(rbuf), &err);
	key = err == APP_ETOOLONG ? "admin.error_reason_long" : NULL;
	if (err == APP_OK && decisions[d].reason_required && *reason == '\0') {
		err = APP_EINVAL;
		key = "admin.error_reason_required";
	}
	if (err != APP_OK) {
		if (ar->json)
			return (web_error(req, err, "reason", key));
		ar->step = 2;
		return (op_vendor_render(req, 400, err, "reason", key));
	}

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	(void)snprintf(oid, sizeof(oid), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = decisions[d].from;
	params[2] = decisions[d].to;
	params[3] = decisions[d].action;
	params[4] = reason;
	params[5] = uid;
	params[6] = oid;
	params[7] = ar->rid;
	params[8] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], op_sql[SQL_DECIDE], 9, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));

	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if (json_is_null(json_object_get(row, "status"))) {
		web_log(req, "vendor %s: %s refused in state %s", id,
		    decisions[d].verb, json_string_value(json_object_get(row,
		    "was")));
		if (ar->json)
			return (web_error(req, APP_ECONFLICT, NULL,
			    decisions[d].state_key));
		ar->step = 2;
		return (op_vendor_render(req, 409, APP_ECONFLICT, NULL,
		    decisions[d].state_key));
	}
	web_log(req, "vendor %s: %s by user %s", id, decisions[d].to, uid);
	if (ar->json)
		return (web_json(req, 200, row));
	(void)snprintf(url, sizeof(url), "/admin/vendors/%s?done=%s", id,
	    decisions[d].verb);
	return (web_redirect(req, url));
}

/*
 * The reason of a decision from the form or the JSON body, trimmed, in
 * buf. Sets *err to APP_OK, APP_EINVAL (not a string, control
 * characters) or APP_ETOOLONG (over REASON_MAX characters). Returns buf.
 */
static const char *
op_reason(struct http_request *req, char *buf, size_t len, enum app_err *err)
{
	struct app_req	*ar;
	json_t		*v;
	const char	*s, *end;
	size_t		 i, n;

	ar = app_req(req);
	*err = APP_OK;
	buf[0] = '\0';
	s = NULL;
	n = 0;
	if (ar->body != NULL) {
		v = json_object_get(ar->body, "reason");
		if (v != NULL && !json_is_null(v)) {
			if (!json_is_string(v)) {
				*err = APP_EINVAL;
				return (buf);
			}
			s = json_string_value(v);
			n = json_string_length(v);
			if (n != strlen(s)) {
				*err = APP_EINVAL;
				return (buf);
			}
		}
	} else if ((s = web_form(req, "reason")) != NULL) {
		n = strlen(s);
	}
	if (s == NULL)
		return (buf);
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' &&
		    s[i] != '\r' && s[i] != '\t') {
			*err = APP_EINVAL;
			return (buf);
		}
	}
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	end = s + n;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	n = (size_t)(end - s);
	if (utf8_len(s, n) > REASON_MAX || n >= len) {
		*err = APP_ETOOLONG;
		return (buf);
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (buf);
}

/*
 * The vendor page (also after a refused decision, with err): vendor,
 * history, which forms to show. The reason typed is kept in the form.
 */
static int
op_vendor_render(struct http_request *req, int status, enum app_err err,
    const char *field, const char *key)
{
	struct app_req	*ar;
	const char	*params[1], *done, *typed;
	char		 id[24], dkey[64];
	json_t		*vm, *vendor, *h, *body;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	if (ar->vm == NULL) {
		/* Remember the outcome across the statements below. */
		ar->vm = json_pack("{s:i, s:i, s:s?, s:s?}", "_status",
		    status != 0 ? status : 200, "_err", (int)err,
		    "_field", field, "_key", key);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	vm = ar->vm;

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	rc = db_call(req, &ar->db[1], op_sql[SQL_VENDOR], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));
	if ((vendor = json_array_get(ar->db[1].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	rc = db_call(req, &ar->db[2], op_sql[SQL_VENDOR_HISTORY], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[2]));

	status = (int)json_integer_value(json_object_get(vm, "_status"));
	err = (enum app_err)json_integer_value(json_object_get(vm, "_err"));
	field = json_string_value(json_object_get(vm, "_field"));
	key = json_string_value(json_object_get(vm, "_key"));

	op_vendor_decorate(req, vendor);
	json_object_set_new(vm, "title", json_string(json_string_value(
	    json_object_get(vendor, "name"))));
	json_object_set(vm, "vendor", vendor);
	json_object_set(vm, "history", ar->db[2].rows);
	json_array_foreach(ar->db[2].rows, i, h) {
		(void)snprintf(dkey, sizeof(dkey), "admin.action.%s",
		    json_string_value(json_object_get(h, "action")));
		json_object_set_new(h, "action_label", json_string(
		    strcmp(web_str(req, dkey), dkey) != 0 ? web_str(req, dkey) :
		    json_string_value(json_object_get(h, "action"))));
	}
	json_object_set_new(vm, "can_decide", json_boolean(ar->who.role &
	    (ROLE_REVIEWER | ROLE_ADMIN)));
	(void)snprintf(dkey, sizeof(dkey), "/audit?object=organisation%%3A%s",
	    id);
	json_object_set_new(vm, "audit_url", json_string(dkey));

	if ((done = qs_get(&ar->qs, "done")) != NULL) {
		for (i = 0; i < DEC__MAX; i++) {
			if (strcmp(decisions[i].verb, done) != 0)
				continue;
			(void)snprintf(dkey, sizeof(dkey), "admin.done.%s",
			    done);
			json_object_set_new(vm, "done_notice",
			    json_string(web_str(req, dkey)));
		}
	}
	typed = web_form(req, "reason");
	if (typed != NULL)
		json_object_set_new(vm, "reason", json_string(typed));

	if (ar->json && err == APP_OK) {
		if ((body = json_pack("{s:O, s:O}", "vendor", vendor,
		    "history", ar->db[2].rows)) == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		(void)web_json(req, 200, body);
		json_decref(body);
		return (KORE_RESULT_OK);
	}
	/* field and key point into vm: it outlives the answer. */
	return (web_form_page(req, status, "admin_vendor", vm, err, field,
	    key));
}

/* Adds the labels a vendor row is shown with (in the request's language). */
static void
op_vendor_decorate(struct http_request *req, json_t *row)
{
	struct app_req	*ar;
	const char	*s, *name, *alt;
	char		 key[64], *w;
	size_t		 i;

	ar = app_req(req);
	name = json_string_value(json_object_get(row, "name_ko"));
	alt = json_string_value(json_object_get(row, "name_en"));
	if (strcmp(ar->lang, "en") == 0 && alt != NULL && *alt != '\0') {
		json_object_set_new(row, "name", json_string(alt));
		json_object_set_new(row, "name_alt", json_string(name));
	} else {
		json_object_set_new(row, "name", json_string(name));
		json_object_set_new(row, "name_alt", json_string(alt != NULL ?
		    alt : ""));
	}
	if ((s = json_string_value(json_object_get(row, "company_size"))) !=
	    NULL) {
		(void)snprintf(key, sizeof(key), "admin.size.%s", s);
		json_object_set_new(row, "size_label",
		    json_string(web_str(req, key)));
		json_object_set_new(row, "sme", json_boolean(strcmp(s,
		    "sme") == 0));
	}
	if ((s = json_string_value(json_object_get(row, "status"))) != NULL) {
		(void)snprintf(key, sizeof(key), "admin.status.%s", s);
		json_object_set_new(row, "status_label",
		    json_string(web_str(req, key)));
		json_object_set_new(row, "status_tag",
		    json_string("tag--neutral"));
		for (i = 0; i < NSTATUSES; i++) {
			if (strcmp(vendor_statuses[i].status, s) == 0)
				json_object_set_new(row, "status_tag",
				    json_string(vendor_statuses[i].tag));
		}
		json_object_set_new(row, "is_applied",
		    json_boolean(strcmp(s, "applied") == 0));
		json_object_set_new(row, "is_approved",
		    json_boolean(strcmp(s, "approved") == 0));
		if (strcmp(s, "applied") == 0) {
			w = op_waited(req, json_integer_value(
			    json_object_get(row, "waited_seconds")));
			json_object_set_new(row, "waited", json_string(w));
			kore_free(w);
		}
	}
	if ((s = json_string_value(json_object_get(row, "decision"))) !=
	    NULL) {
		(void)snprintf(key, sizeof(key), "admin.action.%s", s);
		json_object_set_new(row, "decision_label",
		    json_string(web_str(req, key)));
	}
}

/* "3일 4시간" / "3 days 4 hours": kore_malloc'd, caller frees. */
static char *
op_waited(struct http_request *req, int64_t secs)
{
	char	 d[24], h[24], m[24], *a, *b, *c;

	if (secs < 0)
		secs = 0;
	(void)snprintf(d, sizeof(d), "%lld", (long long)(secs / 86400));
	(void)snprintf(h, sizeof(h), "%lld", (long long)(secs / 3600 % 24));
	(void)snprintf(m, sizeof(m), "%lld", (long long)(secs / 60 % 60));
	if (secs >= 86400)
		a = op_subst(web_str(req, "admin.waited_days"), "{d}", d);
	else if (secs >= 3600)
		a = op_subst(web_str(req, "admin.waited_hours"), "{h}", h);
	else
		a = op_subst(web_str(req, "admin.waited_minutes"), "{m}", m);
	b = op_subst(a, "{h}", h);
	c = op_subst(b, "{m}", m);
	kore_free(a);
	kore_free(b);
	return (c);
}

/* s with every needle replaced by with; kore_malloc'd, caller frees. */
static char *
op_subst(const char *s, const char *needle, const char *with)
{
	struct kore_buf	 buf;
	const char	*p;
	size_t		 len;

	kore_buf_init(&buf, 64);
	while ((p = strstr(s, needle)) != NULL) {
		kore_buf_append(&buf, s, p - s);
		kore_buf_append(&buf, with, strlen(with));
		s = p + strlen(needle);
	}
	kore_buf_append(&buf, s, strlen(s) + 1);
	return ((char *)kore_buf_release(&buf, &len));
}

/*
 * GET /audit and /api/v1/audit: the audit log, filtered, newest first,
 * AUDIT_PER_PAGE a page under a fixed upper id. Answers 400 naming the
 * first bad filter.
 */
int
audit_page(struct http_request *req)
{
	struct app_req		*ar;
	struct audit_filter	 f;
	enum app_err		 err;
	const char		*field;
	char			 qs[2048], url[2600], suffix[40];
	json_t			*row, *vm, *events;
	int64_t			 until, total;
	size_t			 i;
	int			 rc;

	ar = app_req(req);
	if ((err = audit_filter_parse(req, &f, &field)) != APP_OK)
		return (audit_bad(req, err, field));

	rc = db_call(req, &ar->db[0], op_sql[SQL_AUDIT_COUNT], 9, f.params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	until = json_integer_value(json_object_get(row, "until"));
	total = json_integer_value(json_object_get(row, "total"));

	(void)snprintf(f.until, sizeof(f.until), "%lld", (long long)until);
	(void)snprintf(f.limit, sizeof(f.limit), "%d", AUDIT_PER_PAGE);
	(void)snprintf(f.offset, sizeof(f.offset), "%lld",
	    (long long)(f.page - 1) * AUDIT_PER_PAGE);
	f.params[8] = f.until;
	f.params[9] = f.limit;
	f.params[10] = f.offset;
	rc = db_call(req, &ar->db[1], op_sql[SQL_AUDIT_PAGE], 11, f.params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	events = ar->db[1].rows;
	json_array_foreach(events, i, row)
		audit_decorate(req, row, 0);

	audit_qs(ar, qs, sizeof(qs));
	(void)snprintf(url, sizeof(url), "/audit.csv%s%s", qs[0] != '\0' ?
	    "?" : "", qs);
	vm = json_pack("{s:s, s:o, s:I, s:I, s:i, s:I, s:O, s:s}",
	    "title", web_str(req, "audit.title"),
	    "filters", audit_filter_echo(ar),
	    "total", (json_int_t)total, "page", (json_int_t)f.page,
	    "per_page", AUDIT_PER_PAGE, "until", (json_int_t)until,
	    "events", events, "csv_url", url);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;

	if (ar->json) {
		json_object_del(vm, "csv_url");
	} else {
		(void)snprintf(url, sizeof(url), "/audit?%s%s", qs,
		    qs[0] != '\0' ? "&" : "");
		(void)snprintf(suffix, sizeof(suffix), "&until=%lld",
		    (long long)until);
		json_object_set_new(vm, "pagination", op_pagination(url,
		    suffix, f.page, (total + AUDIT_PER_PAGE - 1) /
		    AUDIT_PER_PAGE));
	}
	return (web_page(req, 200, "audit", vm));
}

/*
 * GET /audit.csv: the same filters, every matching event (at most
 * AUDIT_CSV_MAX, else 400 too_long on `from`: narrower dates) as CSV: UTF-8 with
 * a BOM, a header row in the request's language, CRLF, every cell quoted,
 * formula-like cells prefixed with a quote. The export is audited.
 */
int
audit_csv(struct http_request *req)
{
	struct app_req		*ar;
	struct audit_filter	 f;
	struct kore_buf		 buf;
	enum app_err		 err;
	const char		*field, *s;
	char			 num[32], name[64], uid[24], oid[24], addr[64];
	char			 limit[24], *filters;
	json_t			*row, *v, *echo;
	struct tm		 tm;
	time_t			 now;
	size_t			 i, j;
	int			 rc;

	ar = app_req(req);
	if ((err = audit_filter_parse(req, &f, &field)) != APP_OK)
		return (audit_bad(req, err, field));

	/* Count first: refuse a too large export before reading it. */
	rc = db_call(req, &ar->db[0], op_sql[SQL_AUDIT_COUNT], 9, f.params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	if (json_integer_value(json_object_get(row, "total")) > AUDIT_CSV_MAX)
		return (audit_bad(req, APP_ETOOLONG, "from"));
	(void)snprintf(f.until, sizeof(f.until), "%lld", (long long)
	    json_integer_value(json_object_get(row, "until")));
	f.params[8] = f.until;

	echo = audit_filter_echo(ar);
	filters = json_dumps(echo, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(echo);
	if (filters == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	(void)snprintf(limit, sizeof(limit), "%d", AUDIT_CSV_MAX);
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)ar->who.user_id);
	(void)snprintf(oid, sizeof(oid), "%lld", (long long)ar->who.org_id);
	f.params[9] = limit;
	f.params[10] = uid;
	f.params[11] = oid;
	f.params[12] = filters;
	f.params[13] = ar->rid;
	f.params[14] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[1], op_sql[SQL_AUDIT_CSV], 15, f.params);
	free(filters);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[1]));

	kore_buf_init(&buf, 4096);
	kore_buf_append(&buf, "\xef\xbb\xbf", 3);
	for (j = 0; j < sizeof(audit_csv_cols) / sizeof(audit_csv_cols[0]);
	    j++)
		web_csv_cell(&buf, web_str(req, audit_csv_cols[j].key), j == 0);
	kore_buf_append(&buf, "\r\n", 2);
	json_array_foreach(ar->db[1].rows, i, row) {
		audit_decorate(req, row, 1);
		for (j = 0; j < sizeof(audit_csv_cols) /
		    sizeof(audit_csv_cols[0]); j++) {
			v = json_object_get(row, strcmp(audit_csv_cols[j].field,
			    "summary") == 0 ? "summary_text" :
			    audit_csv_cols[j].field);
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

	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(name, sizeof(name), "attachment; filename="
	    "\"gureum-audit-%Y%m%d-%H%M%S.csv\"", &tm);
	web_headers(req);
	http_response_header(req, "content-type", "text/csv; charset=utf-8");
	http_response_header(req, "content-disposition", name);
	http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, buf.data, buf.offset);
	kore_buf_cleanup(&buf);
	return (KORE_RESULT_OK);
}

/*
 * Reads and checks the filters into f (strings borrowed from the query).
 * Returns APP_OK, or the error with *field naming the parameter.
 */
static enum app_err
audit_filter_parse(struct http_request *req, struct audit_filter *f,
    const char **field)
{
	struct app_req	*ar;
	const char	*s, *colon;
	char		 buf[24];
	size_t		 i, len;

	ar = app_req(req);
	memset(f, 0, sizeof(*f));
	for (i = 0; i < 6; i++) {
		f->raw[i] = qs_get(&ar->qs, audit_filter_names[i]);
		if (f->raw[i] != NULL && *f->raw[i] == '\0')
			f->raw[i] = NULL;
		if (f->raw[i] != NULL && strlen(f->raw[i]) > 254) {
			*field = audit_filter_names[i];
			return (APP_ETOOLONG);
		}
	}

	/* actor: a user id, or an e-mail address. */
	if ((s = f->raw[0]) != NULL) {
		if (strchr(s, '@') != NULL) {
			f->params[1] = s;
		} else if (parse_id(s, INT64_MAX, f->actor_id,
		    sizeof(f->actor_id)) == 0) {
			f->params[0] = f->actor_id;
		} else {
			*field = "actor";
			return (APP_EINVAL);
		}
	}
	if ((s = f->raw[1]) != NULL) {
		if (parse_id(s, INT64_MAX, f->org, sizeof(f->org)) == -1) {
			*field = "org";
			return (APP_EINVAL);
		}
		f->params[2] = f->org;
	}
	/* action: a name as the code writes them (signin, vendor_approved). */
	if ((s = f->raw[2]) != NULL) {
		len = strlen(s);
		if (len > 64 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789_.:-") != len) {
			*field = "action";
			return (APP_EINVAL);
		}
		f->params[3] = s;
	}
	/* object: "type" or "type:id" (organisation:11). */
	if ((s = f->raw[3]) != NULL) {
		colon = strchr(s, ':');
		len = colon != NULL ? (size_t)(colon - s) : strlen(s);
		if (len == 0 || len >= sizeof(f->otype) ||
		    strspn(s, "abcdefghijklmnopqrstuvwxyz_") < len ||
		    (colon != NULL && colon[1] == '\0')) {
			*field = "object";
			return (APP_EINVAL);
		}
		memcpy(f->otype, s, len);
		f->otype[len] = '\0';
		f->params[4] = f->otype;
		if (colon != NULL)
			f->params[5] = colon + 1;
	}
	for (i = 4; i < 6; i++) {
		if (f->raw[i] == NULL)
			continue;
		if (!valid_date(f->raw[i])) {
			*field = audit_filter_names[i];
			return (APP_EINVAL);
		}
		f->params[2 + i] = f->raw[i];
	}
	if (f->raw[4] != NULL && f->raw[5] != NULL &&
	    strcmp(f->raw[4], f->raw[5]) > 0) {
		*field = "to";
		return (APP_EINVAL);
	}

	f->page = 1;
	if ((s = qs_get(&ar->qs, "page")) != NULL && *s != '\0') {
		if (parse_id(s, AUDIT_PAGE_MAX, buf, sizeof(buf)) == -1) {
			*field = "page";
			return (APP_EINVAL);
		}
		f->page = strtoll(buf, NULL, 10);
	}
	if ((s = qs_get(&ar->qs, "until")) != NULL && *s != '\0') {
		if (parse_id(s, INT64_MAX, f->until, sizeof(f->until)) == -1) {
			*field = "until";
			return (APP_EINVAL);
		}
		f->params[8] = f->until;
	}
	return (APP_OK);
}

/* Answers a bad filter: the page with its filters kept, or JSON. */
static int
audit_bad(struct http_request *req, enum app_err err, const char *field)
{
	struct app_req	*ar;
	const char	*key;

	ar = app_req(req);
	key = err == APP_ETOOLONG && strcmp(field, "from") == 0 &&
	    strcmp(req->path, "/audit.csv") == 0 ? "audit.error_csv_too_many" :
	    NULL;
	if (ar->json || strcmp(req->path, "/audit.csv") == 0)
		return (web_error(req, err, field, key));
	if (ar->vm == NULL)
		ar->vm = json_pack("{s:s, s:o, s:[]}", "title",
		    web_str(req, "audit.title"), "filters",
		    audit_filter_echo(ar), "events");
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	json_object_set_new(ar->vm, "bad_filter", json_true());
	json_object_set_new(ar->vm, "filter_error", json_pack("{s:b}", field,
	    1));
	return (web_form_page(req, 400, "audit", ar->vm, err, field, key));
}

/* The filters as given ({actor, org, ...}, absent ones ""): a new value. */
static json_t *
audit_filter_echo(struct app_req *ar)
{
	json_t		*o;
	const char	*s;
	size_t		 i;

	o = json_object();
	for (i = 0; i < 6; i++) {
		s = qs_get(&ar->qs, audit_filter_names[i]);
		json_object_set_new(o, audit_filter_names[i],
		    json_string(s != NULL ? s : ""));
	}
	return (o);
}

/* The non-empty filters as a query string ("actor=...&from=..."). */
static void
audit_qs(struct app_req *ar, char *out, size_t len)
{
	const char	*s;
	char		 enc[800];
	size_t		 i, off;
	int		 n;

	out[0] = '\0';
	off = 0;
	for (i = 0; i < 6; i++) {
		s = qs_get(&ar->qs, audit_filter_names[i]);
		if (s == NULL || *s == '\0' ||
		    qs_encode(s, enc, sizeof(enc)) == -1)
			continue;
		n = snprintf(out + off, len - off, "%s%s=%s", off > 0 ? "&" :
		    "", audit_filter_names[i], enc);
		if (n < 0 || (size_t)n >= len - off) {
			out[off] = '\0';
			return;
		}
		off += (size_t)n;
	}
}

/*
 * Adds what an event row is shown with: organisation name, actor, object,
 * sealed, and the summary as text (csv) or as key/value pairs (HTML).
 */
static void
audit_decorate(struct http_request *req, json_t *row, int csv)
{
	struct app_req	*ar;
	struct kore_buf	 b;
	const char	*en, *ko, *k;
	char		*s, actor[32];
	json_t		*v, *pairs, *x;

	ar = app_req(req);
	ko = json_string_value(json_object_get(row, "org_name_ko"));
	en = json_string_value(json_object_get(row, "org_name_en"));
	json_object_set_new(row, "org_name", json_string(
	    strcmp(ar->lang, "en") == 0 && en != NULL && *en != '\0' ? en :
	    ko != NULL ? ko : ""));
	v = json_object_get(row, "summary");
	if (csv && v != NULL &&
	    (s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL) {
		json_object_set_new(row, "summary_text", json_string(s));
		free(s);
	} else if (!csv && !ar->json && json_is_object(v)) {
		pairs = json_array();
		json_object_foreach(v, k, x) {
			if (json_is_string(x)) {
				json_array_append_new(pairs, json_pack("{s:s, "
				    "s:O}", "k", k, "v", x));
			} else if ((s = json_dumps(x, JSON_ENCODE_ANY)) !=
			    NULL) {
				json_array_append_new(pairs, json_pack("{s:s, "
				    "s:s}", "k", k, "v", s));
				free(s);
			}
		}
		json_object_set_new(row, "summary_pairs", pairs);
	}
	json_object_set_new(row, "sealed", json_boolean(!json_is_null(
	    json_object_get(row, "chain_seq"))));
	if (json_is_string(json_object_get(row, "actor_email"))) {
		json_object_set(row, "actor_label", json_object_get(row,
		    "actor_email"));
	} else if (json_integer_value(json_object_get(row, "actor_id")) > 0) {
		(void)snprintf(actor, sizeof(actor), "#%lld", (long long)
		    json_integer_value(json_object_get(row, "actor_id")));
		json_object_set_new(row, "actor_label", json_string(actor));
	} else {
		json_object_set_new(row, "actor_label",
		    json_string(web_str(req, "audit.no_actor")));
	}
	/* "organisation:11", the form the object filter takes. */
	ko = json_string_value(json_object_get(row, "object_type"));
	en = json_string_value(json_object_get(row, "object_id"));
	kore_buf_init(&b, 64);
	if (ko != NULL && *ko != '\0')
		kore_buf_appendf(&b, "%s%s%s", ko, en != NULL && *en != '\0' ?
		    ":" : "", en != NULL ? en : "");
	json_object_set_new(row, "object", json_stringn((const char *)b.data,
	    b.offset));
	kore_buf_cleanup(&b);
}

/* 1 if s is a calendar date YYYY-MM-DD between 1900 and 9999. */
static int
valid_date(const char *s)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			 y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (0);
	}
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return (0);
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return (0);
	return (1);
}

/*
 * Checks that s is a positive decimal integer no greater than max, with
 * no sign, spaces or leading zeros, and copies it to out. Returns 0 or -1.
 */
static int
parse_id(const char *s, int64_t max, char *out, size_t len)
{
	char		*end;
	long long	 v;

	if (*s < '1' || *s > '9' || strlen(s) >= len)
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > max)
		return (-1);
	(void)snprintf(out, len, "%lld", v);
	return (0);
}
