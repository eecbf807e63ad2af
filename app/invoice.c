/*
 * Invoices (청구서), the buyer's 검수, disputes, credit notes, payments and
 * the buyer's ceiling dashboard.
 *
 * The month close (gureumctl close-month, app/ctl_close.c) makes the
 * invoices; this file shows them and records what people do with them.
 * An invoice is seen by its agency, its vendor and the procurement
 * office (another organisation gets 404). The agency's buyers and
 * approvers accept or dispute each line with a reason, or withdraw a
 * dispute; the vendor answers a dispute and its admin issues credit
 * notes (negative lines, VAT mirrored, numbered in the same gapless
 * sequence); the agency's approver records payments. Each of these is
 * one SQL function of sql/0021_invoicing.sql that checks role and state,
 * writes the change, its audit event and the notices in one statement;
 * the invoice's status follows its lines (invoice_derive_status()).
 * Issued invoices are never edited (a trigger refuses it).
 *
 * The dashboard shows, per contract and fiscal year, what was invoiced
 * (VAT included), what is left, the drafts not yet issued, a projection
 * of the month in progress to its end and the alerts fired, with a chart
 * of spend per month against the ceiling drawn as SVG on the server, so
 * it works without JavaScript.
 */

#include <time.h>

#include "gureum.h"
#include "invoicecalc.h"
#include "money.h"

#define KST		"'Asia/Seoul'"
#define REASON_MAX	2000
#define REF_MAX		100
#define CREDIT_LINES_MAX 64

/* Chart geometry (SVG user units). */
#define CH_W		640
#define CH_H		220
#define CH_LEFT		8
#define CH_TOP		16
#define CH_PLOT_W	(CH_W - 2 * CH_LEFT)
#define CH_PLOT_H	(CH_H - CH_TOP - 28)

enum inv_sql {
	SQL_LIST,
	SQL_ONE,
	SQL_LINES,
	SQL_USAGE,
	SQL_REVIEW,
	SQL_ANSWER,
	SQL_PAY,
	SQL_CREDIT,
	SQL_DASHBOARD,
	SQL__MAX
};

#define INV_COLS \
	"i.id, i.kind, i.contract_id, to_char(i.month, 'YYYY-MM') AS month," \
	" i.status, i.number, i.supply_won, i.vat_won, i.total_won," \
	" i.fiscal_year, i.corrects_id, i.org_id, i.vendor_id, c.title," \
	" a.name_ko AS agency_ko, a.name_en AS agency_en," \
	" v.name_ko AS vendor_ko, v.name_en AS vendor_en," \
	" to_char(i.issued_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')" \
	" AS issued_at"

#define INV_FROM \
	" FROM invoices i JOIN contracts c ON c.id = i.contract_id" \
	" JOIN organisations a ON a.id = i.org_id" \
	" JOIN organisations v ON v.id = i.vendor_id"

static const char *const inv_sql[SQL__MAX] = {
	/* SQL_LIST: $1 org, $2 operator, $3 month, $4 status, $5 contract */
	"SELECT " INV_COLS INV_FROM
	" WHERE (i.org_id = $1 OR i.vendor_id = $1 OR $2::boolean)"
	" AND ($3::date IS NULL OR i.month = $3::date)"
	" AND ($4::text IS NULL OR i.status = $4)"
	" AND ($5::bigint IS NULL OR i.contract_id = $5::bigint)"
	" ORDER BY i.month DESC, i.contract_id DESC, i.id DESC LIMIT 500",
	/* SQL_ONE: $1 id, $2 org, $3 operator */
	"SELECT " INV_COLS ", i.rounding, i.availability_micro, i.reason,"
	" i.calc, v.biz_no, c.ceiling_won, c.tags,"
	" to_char(c.start_date, 'YYYY-MM-DD') AS start,"
	" to_char(c.end_date, 'YYYY-MM-DD') AS \"end\","
	" (SELECT n.number FROM invoices n WHERE n.id = i.corrects_id)"
	" AS corrects_number,"
	" coalesce((SELECT jsonb_agg(jsonb_build_object('id', n.id,"
	"  'number', n.number, 'total_won', n.total_won, 'supply_won',"
	"  n.supply_won, 'vat_won', n.vat_won, 'reason', n.reason,"
	"  'issued_at', to_char(n.issued_at AT TIME ZONE " KST ","
	"  'YYYY-MM-DD')) ORDER BY n.id) FROM invoices n"
	"  WHERE n.corrects_id = i.id AND n.status <> 'draft'), '[]')"
	" AS credit_notes,"
	" coalesce((SELECT jsonb_agg(jsonb_build_object('id', p.id,"
	"  'amount_won', p.amount_won, 'paid_on', to_char(p.paid_on,"
	"  'YYYY-MM-DD'), 'reference', p.reference) ORDER BY p.id)"
	"  FROM payments p WHERE p.invoice_id = i.id), '[]') AS payments,"
	" (i.total_won + coalesce((SELECT sum(n.total_won) FROM invoices n"
	"  WHERE n.corrects_id = i.id AND n.status <> 'draft'), 0)"
	" - coalesce((SELECT sum(p.amount_won) FROM payments p"
	"  WHERE p.invoice_id = i.id), 0))::bigint AS outstanding_won"
	INV_FROM " WHERE i.id = $1"
	" AND (i.org_id = $2 OR i.vendor_id = $2 OR $3::boolean)",
	/* SQL_LINES: $1 invoice (already checked) */
	"SELECT l.line_no, l.kind, l.dimension, l.quantity_micro::text"
	" AS quantity_micro, l.amount_won, to_char(l.adjusts_month,"
	" 'YYYY-MM') AS adjusts_month, l.label_ko, l.label_en, l.breakdown,"
	" l.review, l.dispute_reason, l.dispute_answer, l.resolution,"
	" l.credits_line, u.name AS reviewed_by,"
	" to_char(l.reviewed_at AT TIME ZONE " KST ", 'YYYY-MM-DD HH24:MI')"
	" AS reviewed_at, (SELECT n.number FROM invoices n"
	"  WHERE n.id = l.credit_note_id) AS credit_note,"
	" coalesce((SELECT -sum(c.amount_won) FROM invoice_lines c"
	"  JOIN invoices n ON n.id = c.invoice_id WHERE n.corrects_id ="
	"  l.invoice_id AND c.credits_line = l.line_no), 0)::bigint"
	" AS credited_won"
	" FROM invoice_lines l LEFT JOIN users u ON u.id = l.reviewed_by"
	" WHERE l.invoice_id = $1 ORDER BY l.line_no",
	/* SQL_USAGE: $1 contract, $2 month: by dimension and day, and by
	 * dimension and allocation tag */
	"SELECT dimension, CASE WHEN GROUPING(day) = 0 THEN 'day'"
	" ELSE 'allocation' END AS by, coalesce(day, allocation) AS key,"
	" sum(quantity_micro)::text AS sum_micro, max(quantity_micro)::text"
	" AS max_micro, count(*) AS records"
	" FROM (SELECT dimension, allocation, quantity_micro,"
	"  to_char(usage_at AT TIME ZONE " KST ", 'YYYY-MM-DD') AS day"
	"  FROM usage_records WHERE contract_id = $1"
	"  AND month = ($2 || '-01')::date) r"
	" GROUP BY GROUPING SETS ((dimension, day), (dimension, allocation))"
	" ORDER BY dimension, by DESC, key",
	/* SQL_REVIEW: invoice_review()'s 9 arguments */
	"SELECT outcome, status FROM invoice_review($1, $2, $3, $4,"
	" $5::integer, $6, $7, $8, $9)",
	/* SQL_ANSWER: invoice_answer()'s 8 arguments */
	"SELECT outcome, status FROM invoice_answer($1, $2, $3, $4,"
	" $5::integer, $6, $7, $8)",
	/* SQL_PAY: invoice_pay()'s 9 arguments */
	"SELECT outcome, status, payment_id, outstanding FROM invoice_pay($1,"
	" $2, $3, $4, $5::bigint, $6::date, $7, $8, $9)",
	/* SQL_CREDIT: invoice_credit()'s 8 arguments */
	"SELECT outcome, credit_note_id, number, status FROM invoice_credit($1,"
	" $2, $3, $4, $5::jsonb, $6, $7, $8)",
	/* SQL_DASHBOARD: $1 agency */
	"SELECT c.id, c.title, c.status, c.ceiling_won, c.fy_split,"
	" to_char(c.start_date, 'YYYY-MM-DD') AS start,"
	" to_char(c.end_date, 'YYYY-MM-DD') AS \"end\","
	" v.name_ko AS vendor_ko, v.name_en AS vendor_en,"
	" coalesce((SELECT sum(i.total_won) FROM invoices i"
	"  WHERE i.contract_id = c.id AND i.status <> 'draft'), 0)::bigint"
	" AS invoiced_won,"
	" coalesce((SELECT sum(i.total_won) FROM invoices i"
	"  WHERE i.contract_id = c.id AND i.status = 'draft'), 0)::bigint"
	" AS draft_won,"
	" coalesce((SELECT jsonb_agg(jsonb_build_object('month', m,"
	"  'invoiced', inv, 'draft', dr) ORDER BY m) FROM (SELECT"
	"  to_char(i.month, 'YYYY-MM') AS m, coalesce(sum(i.total_won)"
	"  FILTER (WHERE i.status <> 'draft'), 0) AS inv,"
	"  coalesce(sum(i.total_won) FILTER (WHERE i.status = 'draft'), 0)"
	"  AS dr FROM invoices i WHERE i.contract_id = c.id"
	"  GROUP BY i.month) x), '[]') AS months,"
	" coalesce((SELECT jsonb_agg(jsonb_build_object('fy', fy,"
	"  'invoiced', inv, 'draft', dr) ORDER BY fy) FROM (SELECT"
	"  i.fiscal_year AS fy, coalesce(sum(i.total_won) FILTER (WHERE"
	"  i.status <> 'draft'), 0) AS inv, coalesce(sum(i.total_won)"
	"  FILTER (WHERE i.status = 'draft'), 0) AS dr FROM invoices i"
	"  WHERE i.contract_id = c.id GROUP BY i.fiscal_year) y), '[]')"
	" AS years,"
	" coalesce((SELECT jsonb_agg(jsonb_build_object('threshold',"
	"  t.threshold, 'fired_at', to_char(t.fired_at AT TIME ZONE " KST ","
	"  'YYYY-MM-DD'), 'used_won', t.used_won) ORDER BY t.threshold)"
	"  FROM ceiling_alerts t WHERE t.contract_id = c.id), '[]')"
	" AS alerts,"
	" (SELECT jsonb_build_object('id', i.id, 'supply_won', i.supply_won,"
	"  'total_won', i.total_won, 'calc', i.calc) FROM invoices i"
	"  WHERE i.contract_id = c.id AND i.kind = 'invoice'"
	"  AND i.status = 'draft' AND i.month = date_trunc('month', now()"
	"  AT TIME ZONE " KST ")::date) AS current,"
	" extract(day FROM now() AT TIME ZONE " KST ")::integer AS today,"
	" to_char(now() AT TIME ZONE " KST ", 'YYYY-MM') AS this_month"
	" FROM contracts c JOIN organisations v ON v.id = c.vendor_id"
	" WHERE c.org_id = $1 AND c.status IN ('active', 'suspended', 'ended')"
	" ORDER BY c.id DESC LIMIT 100",
};

/* What each outcome of the SQL functions answers. */
static const struct {
	const char	*outcome;
	enum app_err	 err;
	const char	*key;
	const char	*field;
} outcomes[] = {
	{ "ok", APP_OK, NULL, NULL },
	{ "no_invoice", APP_ENOTFOUND, NULL, NULL },
	{ "forbidden", APP_EFORBIDDEN, "invoice.error_forbidden", NULL },
	{ "state", APP_ECONFLICT, "invoice.error_state", NULL },
	{ "no_line", APP_EINVAL, "invoice.error_line", "line" },
	{ "reason", APP_EINVAL, "invoice.error_reason", "reason" },
	{ "too_much", APP_EINVAL, "invoice.error_too_much", "amount_won" },
	{ "date", APP_EINVAL, "invoice.error_date", "paid_on" },
	{ "amount", APP_EINVAL, "invoice.error_amount", "amount_won" },
	{ "internal", APP_EINTERNAL, NULL, NULL },	/* keep last */
};

#define NOUTCOMES	(sizeof(outcomes) / sizeof(outcomes[0]))

static const char *const statuses[] = {
	"draft", "issued", "accepted", "disputed", "paid"
};

static int	 inv_outcome(struct http_request *, const char *);
static void	 inv_decorate(struct http_request *, json_t *);
static void	 inv_lines(struct http_request *, json_t *, json_t *);
static json_t	*inv_usage(struct http_request *, json_t *);
static void	 inv_won(json_t *, const char *, const char *);
static void	 inv_micro(json_t *, const char *, const char *);
static int	 inv_month_ok(const char *);
static int	 inv_line_no(struct http_request *, char *, size_t);
static int64_t	 inv_won_input(struct http_request *, const char *);
static int	 inv_step(struct http_request *, enum inv_sql, int,
		    const char **);
static int	 inv_render(struct http_request *, int, int, json_t *);
static int	 inv_form_error(struct http_request *, int, enum app_err,
		    const char *, const char *);
static void	 dash_contract(struct http_request *, json_t *);
static json_t	*dash_chart(json_t *, int64_t);

/*
 * GET /invoices and the API twin (?month=YYYY-MM, status, contract): the
 * invoices and credit notes the caller may see, newest month first.
 * 400 naming a bad filter.
 */
int
invoice_list(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[5], *month, *status, *contract;
	char		 org[24], mfirst[16];
	json_t		*vm, *row, *opts;
	size_t		 i;
	int64_t		 cid;
	int		 rc, ok;

	ar = app_req(req);
	month = qs_get(&ar->qs, "month");
	status = qs_get(&ar->qs, "status");
	contract = qs_get(&ar->qs, "contract");
	if (month != NULL && *month == '\0')
		month = NULL;
	if (status != NULL && *status == '\0')
		status = NULL;
	if (contract != NULL && *contract == '\0')
		contract = NULL;
	if (month != NULL && !inv_month_ok(month))
		return (web_error(req, APP_EINVAL, "month",
		    "invoice.error_month"));
	if (status != NULL) {
		for (i = 0, ok = 0; i < sizeof(statuses) / sizeof(statuses[0]);
		    i++)
			ok |= strcmp(status, statuses[i]) == 0;
		if (!ok)
			return (web_error(req, APP_EINVAL, "status", NULL));
	}
	if (contract != NULL && !web_param_int(req, "contract", 0, 1,
	    INT64_MAX, &cid))
		return (KORE_RESULT_OK);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(mfirst, sizeof(mfirst), "%s-01", month != NULL ?
	    month : "");
	params[0] = org;
	params[1] = APP_IS_OPERATOR(ar) ? "true" : "false";
	params[2] = month != NULL ? mfirst : NULL;
	params[3] = status;
	params[4] = contract;
	rc = db_call(req, &ar->db[0], inv_sql[SQL_LIST], 5, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		inv_decorate(req, row);
	opts = json_array();
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		char key[64];

		(void)snprintf(key, sizeof(key), "invoice.status.%s",
		    statuses[i]);
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", statuses[i], "label", web_str(req, key),
		    "selected", status != NULL &&
		    strcmp(status, statuses[i]) == 0));
	}
	vm = json_pack("{s:s, s:O, s:s, s:s, s:o}", "title",
	    web_str(req, "invoice.list_title"), "invoices", ar->db[0].rows,
	    "month", month != NULL ? month : "", "contract",
	    contract != NULL ? contract : "", "status_options", opts);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "invoice_list", vm));
}

/*
 * GET /invoices/:id and the API twin: the invoice with its lines (tier
 * breakdown, 검수 state), totals, the usage behind each line by day and
 * by allocation tag, its credit notes and payments, and what the caller
 * may do. 404 for another organisation's.
 */
int
invoice_show(struct http_request *req)
{
	return (inv_render(req, 0, 200, NULL));
}

/*
 * The invoice page from database slots base .. base + 2 (a form that
 * failed renders it after its own statement in slot 0), with status and,
 * for a form error, err {code, message, field, line, input...}: the
 * error summary on top and the user's input back in the form it came
 * from. Takes err's reference.
 */
static int
inv_render(struct http_request *req, int base, int status, json_t *err)
{
	struct app_req	*ar;
	const char	*params[3];
	char		 id[24], org[24], cid[24];
	json_t		*row, *vm, *l, *input;
	const char	*k;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[base], inv_sql[SQL_ONE], 3, params);
	if (rc == DB_PENDING)
		goto retry;
	if (rc == DB_ERROR) {
		json_decref(err);
		return (web_db_error(req, &ar->db[base]));
	}
	if ((row = json_array_get(ar->db[base].rows, 0)) == NULL) {
		json_decref(err);
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	}
	rc = db_call(req, &ar->db[base + 1], inv_sql[SQL_LINES], 1, params);
	if (rc == DB_PENDING)
		goto retry;
	if (rc == DB_ERROR) {
		json_decref(err);
		return (web_db_error(req, &ar->db[base + 1]));
	}
	(void)snprintf(cid, sizeof(cid), "%lld", (long long)json_integer_value(
	    json_object_get(row, "contract_id")));
	params[0] = cid;
	params[1] = json_string_value(json_object_get(row, "month"));
	rc = db_call(req, &ar->db[base + 2], inv_sql[SQL_USAGE], 2, params);
	if (rc == DB_PENDING)
		goto retry;
	if (rc == DB_ERROR) {
		json_decref(err);
		return (web_db_error(req, &ar->db[base + 2]));
	}

	inv_decorate(req, row);
	inv_lines(req, row, ar->db[base + 1].rows);
	if (strcmp(json_string_value(json_object_get(row, "kind")),
	    "invoice") == 0)
		json_object_set_new(row, "usage", inv_usage(req,
		    ar->db[base + 2].rows));
	if (ar->json) {
		json_decref(err);
		return (web_json(req, 200, row));
	}
	if (err != NULL) {
		/* The input goes back where it was typed. */
		input = json_object_get(err, "input");
		json_array_foreach(json_object_get(row, "lines"), i, l) {
			if (json_integer_value(json_object_get(l, "line_no")) !=
			    json_integer_value(json_object_get(err, "line")))
				continue;
			json_object_foreach(input, k, vm)
				json_object_set(l, k, vm);
		}
		json_object_foreach(input, k, vm)
			if (strncmp(k, "input_pay", 9) == 0)
				json_object_set(row, k, vm);
	}
	vm = json_pack("{s:O, s:O}", "title", json_object_get(row,
	    "title_line"), "invoice", row);
	if (vm == NULL) {
		json_decref(err);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	if (err != NULL)
		json_object_set_new(vm, "error", err);
	json_decref(ar->vm);
	ar->vm = vm;
	return (web_page(req, status, "invoice", vm));
retry:
	json_decref(err);
	return (KORE_RESULT_RETRY);
}

/*
 * A form error: JSON callers get web_error(); browsers get the invoice
 * page again (status 400, 403 or 409) with the message on top, the link
 * to the input (id) and what they typed. base is the first free
 * database slot.
 */
static int
inv_form_error(struct http_request *req, int base, enum app_err e,
    const char *field, const char *key)
{
	struct app_req	*ar;
	json_t		*err, *input;
	const char	*line, *v, *elem;
	char		 idbuf[48];
	int		 status;

	ar = app_req(req);
	if (ar->json || key == NULL || e == APP_ENOTFOUND)
		return (web_error(req, e, field, key));
	status = e == APP_ECONFLICT ? 409 : e == APP_EFORBIDDEN ? 403 : 400;
	line = web_input(req, "line");
	if (line == NULL || strspn(line, "0123456789") != strlen(line) ||
	    strlen(line) > 6)
		line = "";
	input = json_object();
#define KEEP(name, as) if ((v = web_input(req, name)) != NULL) \
	json_object_set_new(input, as, json_string(v))
	if (strstr(req->path, "/payments") != NULL) {
		KEEP("amount_won", "input_pay_amount");
		KEEP("paid_on", "input_pay_date");
		KEEP("reference", "input_pay_reference");
		elem = strcmp(field != NULL ? field : "", "paid_on") == 0 ?
		    "pay-date" : strcmp(field != NULL ? field : "",
		    "reference") == 0 ? "pay-ref" : "pay-amount";
		(void)snprintf(idbuf, sizeof(idbuf), "%s", elem);
	} else if (strstr(req->path, "/credit-notes") != NULL) {
		KEEP("amount_won", "input_amount");
		KEEP("reason", "input_credit_reason");
		(void)snprintf(idbuf, sizeof(idbuf), "%s-%s",
		    strcmp(field != NULL ? field : "", "reason") == 0 ?
		    "credit-reason" : "credit-amount", line);
	} else if (strstr(req->path, "/answer") != NULL) {
		KEEP("answer", "input_answer");
		(void)snprintf(idbuf, sizeof(idbuf), "answer-%s", line);
	} else {
		KEEP("reason", "input_reason");
		(void)snprintf(idbuf, sizeof(idbuf), "reason-%s", line);
	}
#undef KEEP
	err = json_pack("{s:s, s:s, s:s, s:I, s:o}", "code",
	    e == APP_ECONFLICT ? "conflict" : e == APP_EFORBIDDEN ?
	    "forbidden" : "invalid_parameter", "message", web_str(req, key),
	    "field", idbuf, "line", (json_int_t)strtoll(line, NULL, 10),
	    "input", input);
	return (inv_render(req, base, status, err));
}

/*
 * POST /invoices/:id/lines/review (line, decision accept|dispute|
 * withdraw, reason): the agency's 검수 of one line. A dispute needs a
 * reason (at most 2,000 characters). 303 back to the invoice (200 with
 * the new status for JSON). 400 naming the field; 403 for a role other
 * than the agency's buyer or approver; 404; 409 from the wrong state.
 */
int
invoice_review(struct http_request *req)
{
	const char	*decision, *reason, *params[5];
	char		 line[16];

	decision = web_input(req, "decision");
	if (decision == NULL || (strcmp(decision, "accept") != 0 &&
	    strcmp(decision, "dispute") != 0 &&
	    strcmp(decision, "withdraw") != 0))
		return (web_error(req, APP_EINVAL, "decision", NULL));
	if (!inv_line_no(req, line, sizeof(line)))
		return (inv_form_error(req, 0, APP_EINVAL, "line",
		    "invoice.error_line"));
	reason = web_input(req, "reason");
	if (reason == NULL)
		reason = "";
	if (!web_text_ok(reason, REASON_MAX, 0))
		return (inv_form_error(req, 0, APP_ETOOLONG, "reason",
		    "invoice.error_reason_long"));
	if (strcmp(decision, "dispute") == 0 && !web_text_ok(reason,
	    REASON_MAX, 1))
		return (inv_form_error(req, 0, APP_EINVAL, "reason",
		    "invoice.error_reason"));
	params[0] = line;
	params[1] = decision;
	params[2] = reason;
	return (inv_step(req, SQL_REVIEW, 3, params));
}

/*
 * POST /invoices/:id/lines/answer (line, answer): the vendor's answer to
 * an open dispute (admin or staff). 400; 403; 404; 409 when the line has
 * no open dispute.
 */
int
invoice_answer(struct http_request *req)
{
	const char	*answer, *params[2];
	char		 line[16];

	if (!inv_line_no(req, line, sizeof(line)))
		return (inv_form_error(req, 0, APP_EINVAL, "line",
		    "invoice.error_line"));
	answer = web_input(req, "answer");
	if (!web_text_ok(answer, REASON_MAX, 1))
		return (inv_form_error(req, 0, APP_EINVAL, "answer",
		    "invoice.error_answer"));
	params[0] = line;
	params[1] = answer;
	return (inv_step(req, SQL_ANSWER, 2, params));
}

/*
 * POST /invoices/:id/payments (amount_won, paid_on YYYY-MM-DD,
 * reference): the agency's approver records a payment; paid in full
 * (total less credit notes) the invoice is paid. 400 naming the field
 * (more than is outstanding, a date in the future or before the issue);
 * 403; 404; 409 for a draft, a credit note or a paid invoice.
 */
int
invoice_payment(struct http_request *req)
{
	const char	*date, *ref, *params[3];
	char		 amount[24];
	int64_t		 won;
	int		 y, m, d;

	if ((won = inv_won_input(req, "amount_won")) <= 0)
		return (inv_form_error(req, 0, APP_EINVAL, "amount_won",
		    "invoice.error_amount"));
	date = web_input(req, "paid_on");
	if (date == NULL || strlen(date) != 10 ||
	    icalc_parse_date(date, &y, &m, &d) == -1 || y < 2000)
		return (inv_form_error(req, 0, APP_EINVAL, "paid_on",
		    "invoice.error_date"));
	ref = web_input(req, "reference");
	if (ref == NULL)
		ref = "";
	if (!web_text_ok(ref, REF_MAX, 0))
		return (inv_form_error(req, 0, APP_ETOOLONG, "reference",
		    "invoice.error_reference"));
	(void)snprintf(amount, sizeof(amount), "%lld", (long long)won);
	params[0] = amount;
	params[1] = date;
	params[2] = ref;
	return (inv_step(req, SQL_PAY, 3, params));
}

/*
 * POST /invoices/:id/credit-notes (line, amount_won, reason; or in JSON
 * lines: [{line, amount_won}] and reason): the vendor's admin corrects
 * an issued invoice with a credit note of negative lines. amount_won is
 * the supply amount (before VAT) to credit on the line, at most what is
 * left of it. 303 to the invoice (201 with the note for JSON). 400
 * naming the field; 403; 404; 409 for a draft or a credit note.
 */
int
invoice_credit_note(struct http_request *req)
{
	struct app_req	*ar;
	const char	*reason, *params[2];
	char		 line[16], *text;
	json_t		*lines, *x, *l, *a;
	size_t		 i;
	int64_t		 won;
	int		 rc;

	ar = app_req(req);
	reason = web_input(req, "reason");
	if (!web_text_ok(reason, REASON_MAX, 1))
		return (inv_form_error(req, 0, APP_EINVAL, "reason",
		    "invoice.error_reason"));
	lines = json_array();
	x = ar->body != NULL ? json_object_get(ar->body, "lines") : NULL;
	if (x != NULL) {
		if (!json_is_array(x) || json_array_size(x) == 0 ||
		    json_array_size(x) > CREDIT_LINES_MAX) {
			json_decref(lines);
			return (web_error(req, APP_EINVAL, "lines",
			    "invoice.error_line"));
		}
		json_array_foreach(x, i, l) {
			a = json_object_get(l, "amount_won");
			if (!json_is_integer(json_object_get(l, "line")) ||
			    json_integer_value(json_object_get(l, "line")) < 1 ||
			    json_integer_value(json_object_get(l, "line")) >
			    100000 || !json_is_integer(a) ||
			    json_integer_value(a) <= 0 ||
			    json_integer_value(a) > MONEY_WON_MAX) {
				json_decref(lines);
				return (web_error(req, APP_EINVAL, "lines",
				    "invoice.error_amount"));
			}
			json_array_append_new(lines, json_pack("{s:I, s:I}",
			    "line", json_integer_value(json_object_get(l,
			    "line")), "amount_won", json_integer_value(a)));
		}
	} else {
		if (!inv_line_no(req, line, sizeof(line))) {
			json_decref(lines);
			return (inv_form_error(req, 0, APP_EINVAL, "line",
			    "invoice.error_line"));
		}
		if ((won = inv_won_input(req, "amount_won")) <= 0) {
			json_decref(lines);
			return (inv_form_error(req, 0, APP_EINVAL, "amount_won",
			    "invoice.error_amount"));
		}
		json_array_append_new(lines, json_pack("{s:I, s:I}", "line",
		    (json_int_t)strtoll(line, NULL, 10), "amount_won",
		    (json_int_t)won));
	}
	text = json_dumps(lines, JSON_COMPACT);
	json_decref(lines);
	if (text == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	params[0] = text;
	params[1] = reason;
	rc = inv_step(req, SQL_CREDIT, 2, params);
	free(text);
	return (rc);
}

/*
 * The common part of the four steps: the SQL function with the
 * invoice, the caller and the request, then the answer. The step's own
 * params follow (id, org, role, user).
 */
static int
inv_step(struct http_request *req, enum inv_sql q, int n, const char **own)
{
	struct app_req	*ar;
	const char	*params[10], *outcome;
	char		 id[24], org[24], user[24], addr[64], url[64];
	json_t		*row;
	int		 i, k, rc;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	(void)snprintf(user, sizeof(user), "%lld", (long long)ar->who.user_id);
	k = 0;
	params[k++] = id;
	params[k++] = org;
	params[k++] = auth_role_name(ar->who.role);
	params[k++] = user;
	for (i = 0; i < n; i++)
		params[k++] = own[i];
	params[k++] = ar->rid;
	params[k++] = web_client_addr(req, addr, sizeof(addr));
	rc = db_call(req, &ar->db[0], inv_sql[q], k, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	row = json_array_get(ar->db[0].rows, 0);
	outcome = json_string_value(json_object_get(row, "outcome"));
	if ((i = inv_outcome(req, outcome)) >= 0)
		return (inv_form_error(req, 1, outcomes[i].err,
		    outcomes[i].field, outcomes[i].key));
	if (ar->json)
		return (web_json(req, q == SQL_CREDIT || q == SQL_PAY ? 201 :
		    200, row));
	(void)snprintf(url, sizeof(url), "/invoices/%s", id);
	return (web_redirect(req, url));
}

/*
 * -1 for "ok"; otherwise the index in outcomes[] of the error to answer
 * (an unknown outcome is logged and answered as the internal error of
 * the last row).
 */
static int
inv_outcome(struct http_request *req, const char *outcome)
{
	size_t	i;

	for (i = 0; outcome != NULL && i < NOUTCOMES; i++)
		if (strcmp(outcomes[i].outcome, outcome) == 0)
			return (outcomes[i].err == APP_OK ? -1 : (int)i);
	web_log(req, "invoice: unknown outcome %s", outcome ? outcome : "-");
	return ((int)NOUTCOMES - 1);
}

/*
 * GET /dashboard and the API twin: the agency's contracts with their
 * ceiling, invoiced, remaining, drafts, projection, alerts per fiscal
 * year, and a chart of spend per month against the ceiling.
 */
int
invoice_dashboard(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[1];
	char		 org[24];
	json_t		*vm, *row;
	size_t		 i;
	int		 rc;

	ar = app_req(req);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = org;
	rc = db_call(req, &ar->db[0], inv_sql[SQL_DASHBOARD], 1, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	json_array_foreach(ar->db[0].rows, i, row)
		dash_contract(req, row);
	vm = json_pack("{s:s, s:O}", "title", web_str(req,
	    "invoice.dashboard_title"), "contracts", ar->db[0].rows);
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "invoice_dashboard", vm));
}

/*
 * One contract of the dashboard: remaining, the projection of the month
 * in progress, per fiscal year, the chart.
 *
 * Projection (docs/invoicing.md): the current month's draft has flat
 * fees for the whole month already and usage so far; usage is carried
 * on linearly, supply = flat + (supply - flat) x days_in_month /
 * days_elapsed (today included), VAT added as on an invoice.
 */
static void
dash_contract(struct http_request *req, json_t *row)
{
	json_t		*cur, *calc, *years, *y, *split, *fy;
	int64_t		 ceiling, invoiced, drafts, used, supply, flat;
	int64_t		 proj, vat, share, pct, projected;
	int64_t		 days, today;
	size_t		 i;
	char		 key[8];

	ceiling = json_integer_value(json_object_get(row, "ceiling_won"));
	invoiced = json_integer_value(json_object_get(row, "invoiced_won"));
	drafts = json_integer_value(json_object_get(row, "draft_won"));
	used = invoiced + drafts;
	json_object_set_new(row, "remaining_won", json_integer(ceiling -
	    invoiced));
	json_object_set_new(row, "used_won", json_integer(used));
	pct = ceiling > 0 ? (int64_t)((__int128)used * 1000 / ceiling) : 0;
	json_object_set_new(row, "used_pct", json_sprintf("%lld.%lld",
	    (long long)(pct / 10), (long long)(pct % 10)));
	json_object_set_new(row, "vendor", json_string(web_pick(req, row,
	    "vendor_ko", "vendor_en")));
	json_object_set_new(row, "url", json_sprintf("/contracts/%lld",
	    (long long)json_integer_value(json_object_get(row, "id"))));

	/* Projection of the month in progress. */
	projected = used;
	cur = json_object_get(row, "current");
	if (json_is_object(cur)) {
		calc = json_object_get(cur, "calc");
		supply = json_integer_value(json_object_get(cur, "supply_won"));
		flat = json_integer_value(json_object_get(calc, "flat_won"));
		days = json_integer_value(json_object_get(calc,
		    "days_in_month"));
		today = json_integer_value(json_object_get(row, "today"));
		if (days > 0 && today > 0 && today <= days) {
			proj = flat + (int64_t)((__int128)(supply - flat) *
			    days / today);
			if (money_vat(proj, &vat) != MONEY_OK)
				vat = 0;
			projected = used - json_integer_value(json_object_get(
			    cur, "total_won")) + proj + vat;
			json_object_set_new(row, "projected_month_won",
			    json_integer(proj + vat));
			inv_won(row, "projected_month_won", "projected_month");
		}
	}
	json_object_set_new(row, "projected_won", json_integer(projected));
	pct = ceiling > 0 ? (int64_t)((__int128)projected * 1000 / ceiling) :
	    0;
	json_object_set_new(row, "projected_pct", json_sprintf("%lld.%lld",
	    (long long)(pct / 10), (long long)(pct % 10)));
	json_object_set_new(row, "over", json_boolean(projected > ceiling));

	/* Per fiscal year: the split's share, or the whole ceiling. */
	split = json_object_get(row, "fy_split");
	years = json_object_get(row, "years");
	json_array_foreach(years, i, y) {
		(void)snprintf(key, sizeof(key), "%lld", (long long)
		    json_integer_value(json_object_get(y, "fy")));
		fy = json_object_size(split) > 0 ? json_object_get(split, key) :
		    NULL;
		share = fy != NULL ? json_integer_value(fy) : 0;
		if (json_object_size(split) > 0) {
			json_object_set_new(y, "share_won", json_integer(share));
			json_object_set_new(y, "remaining_won", json_integer(
			    share - json_integer_value(json_object_get(y,
			    "invoiced"))));
			inv_won(y, "share_won", "share");
			inv_won(y, "remaining_won", "remaining");
		} else {
			/* No split: the contract's remaining is above. */
			json_object_set_new(y, "share", json_string(""));
			json_object_set_new(y, "remaining", json_string(""));
		}
		inv_won(y, "invoiced", "invoiced_fmt");
		inv_won(y, "draft", "draft_fmt");
	}
	json_object_set_new(row, "has_split", json_boolean(
	    json_object_size(split) > 0));
	inv_won(row, "ceiling_won", "ceiling");
	inv_won(row, "invoiced_won", "invoiced");
	inv_won(row, "draft_won", "draft");
	inv_won(row, "remaining_won", "remaining");
	inv_won(row, "projected_won", "projected");
	json_object_set_new(row, "chart", dash_chart(json_object_get(row,
	    "months"), ceiling));
	json_object_del(row, "today");
}

/*
 * The chart of one contract: a bar per month (invoiced, and the drafts
 * on top), the cumulative spend as a line, the ceiling as a dashed line;
 * all coordinates computed here, the template only prints them.
 */
static json_t *
dash_chart(json_t *months, int64_t ceiling)
{
	json_t		*bars, *m, *c;
	int64_t		 top, cum, inv, dr, x, w, h1, h2, y;
	size_t		 i, n;
	char		 pts[4096];
	size_t		 off;

	n = json_array_size(months);
	top = ceiling;
	cum = 0;
	json_array_foreach(months, i, m) {
		cum += json_integer_value(json_object_get(m, "invoiced")) +
		    json_integer_value(json_object_get(m, "draft"));
	}
	if (cum > top)
		top = cum;
	if (top <= 0)
		top = 1;
	bars = json_array();
	w = n > 0 ? CH_PLOT_W / (int64_t)(n > 12 ? n : 12) : CH_PLOT_W;
	cum = 0;
	off = 0;
	pts[0] = '\0';
	json_array_foreach(months, i, m) {
		inv = json_integer_value(json_object_get(m, "invoiced"));
		dr = json_integer_value(json_object_get(m, "draft"));
		if (inv < 0)
			inv = 0;
		x = CH_LEFT + (int64_t)i * w;
		h1 = (int64_t)((__int128)inv * CH_PLOT_H / top);
		h2 = (int64_t)((__int128)(dr > 0 ? dr : 0) * CH_PLOT_H / top);
		cum += json_integer_value(json_object_get(m, "invoiced")) + dr;
		y = CH_TOP + CH_PLOT_H - (int64_t)((__int128)(cum > 0 ? cum :
		    0) * CH_PLOT_H / top);
		json_array_append_new(bars, json_pack("{s:I, s:I, s:I, s:I,"
		    " s:I, s:I, s:O, s:I}", "x", (json_int_t)(x + 2), "w",
		    (json_int_t)(w > 6 ? w - 4 : 2), "y", (json_int_t)(CH_TOP +
		    CH_PLOT_H - h1), "h", (json_int_t)h1, "dy",
		    (json_int_t)(CH_TOP + CH_PLOT_H - h1 - h2), "dh",
		    (json_int_t)h2, "month", json_object_get(m, "month"),
		    "lx", (json_int_t)(x + w / 2)));
		if (off < sizeof(pts) - 32)
			off += snprintf(pts + off, sizeof(pts) - off, "%s%lld,%lld",
			    off > 0 ? " " : "", (long long)(x + w / 2),
			    (long long)y);
	}
	c = json_pack("{s:i, s:i, s:o, s:s, s:I, s:i, s:i, s:i}",
	    "w", CH_W, "h", CH_H, "bars", bars, "points", pts,
	    "ceiling_y", (json_int_t)(CH_TOP + CH_PLOT_H -
	    (int64_t)((__int128)ceiling * CH_PLOT_H / top)),
	    "x0", CH_LEFT, "x1", CH_LEFT + CH_PLOT_W, "base", CH_TOP +
	    CH_PLOT_H);
	json_object_set_new(c, "label_y", json_integer(CH_TOP + CH_PLOT_H +
	    16));
	return (c);
}

/* Labels and formatted amounts of an invoice row (list and page). */
static void
inv_decorate(struct http_request *req, json_t *row)
{
	struct app_req	*ar;
	const char	*status, *kind;
	char		 key[64];
	int		 agency, vendor;

	ar = app_req(req);
	status = json_string_value(json_object_get(row, "status"));
	kind = json_string_value(json_object_get(row, "kind"));
	if (status == NULL)
		status = "";
	if (kind == NULL)
		kind = "invoice";
	(void)snprintf(key, sizeof(key), "invoice.status.%s", status);
	json_object_set_new(row, "status_label", json_string(web_str(req,
	    key)));
	(void)snprintf(key, sizeof(key), "invoice.kind.%s", kind);
	json_object_set_new(row, "kind_label", json_string(web_str(req, key)));
	json_object_set_new(row, "is_credit_note", json_boolean(strcmp(kind,
	    "credit_note") == 0));
	json_object_set_new(row, "is_draft", json_boolean(strcmp(status,
	    "draft") == 0));
	json_object_set_new(row, "agency", json_string(web_pick(req, row,
	    "agency_ko", "agency_en")));
	json_object_set_new(row, "vendor", json_string(web_pick(req, row,
	    "vendor_ko", "vendor_en")));
	json_object_set_new(row, "url", json_sprintf("/invoices/%lld",
	    (long long)json_integer_value(json_object_get(row, "id"))));
	json_object_set_new(row, "title_line", json_sprintf("%s %s %s",
	    web_str(req, key), json_is_string(json_object_get(row,
	    "number")) ? json_string_value(json_object_get(row, "number")) :
	    web_str(req, "invoice.status.draft"),
	    json_string_value(json_object_get(row, "month"))));
	inv_won(row, "supply_won", "supply");
	inv_won(row, "vat_won", "vat");
	inv_won(row, "total_won", "total");
	inv_won(row, "outstanding_won", "outstanding");
	inv_won(row, "ceiling_won", "ceiling");
	agency = json_integer_value(json_object_get(row, "org_id")) ==
	    ar->who.org_id && (ar->who.role & ROLES_AGENCY);
	vendor = json_integer_value(json_object_get(row, "vendor_id")) ==
	    ar->who.org_id && (ar->who.role & ROLES_VENDOR);
	json_object_set_new(row, "open_to_review", json_boolean(agency &&
	    strcmp(kind, "invoice") == 0 && (strcmp(status, "issued") == 0 ||
	    strcmp(status, "accepted") == 0 ||
	    strcmp(status, "disputed") == 0)));
	json_object_set_new(row, "can_pay", json_boolean(agency &&
	    ar->who.role == ROLE_APPROVER && strcmp(kind, "invoice") == 0 &&
	    (strcmp(status, "issued") == 0 || strcmp(status, "accepted") ==
	    0 || strcmp(status, "disputed") == 0) &&
	    json_integer_value(json_object_get(row, "outstanding_won")) > 0));
	json_object_set_new(row, "vendor_side", json_boolean(vendor));
	json_object_set_new(row, "can_credit", json_boolean(vendor &&
	    ar->who.role == ROLE_VADMIN && strcmp(kind, "invoice") == 0 &&
	    strcmp(status, "draft") != 0));
	json_object_set_new(row, "has_documents", json_boolean(strcmp(status,
	    "draft") != 0));
	if (json_is_array(json_object_get(row, "credit_notes"))) {
		json_t	*n;
		size_t	 i;

		json_array_foreach(json_object_get(row, "credit_notes"), i, n) {
			inv_won(n, "total_won", "total");
			inv_won(n, "supply_won", "supply");
			inv_won(n, "vat_won", "vat");
			json_object_set_new(n, "url", json_sprintf(
			    "/invoices/%lld", (long long)json_integer_value(
			    json_object_get(n, "id"))));
		}
		json_array_foreach(json_object_get(row, "payments"), i, n)
			inv_won(n, "amount_won", "amount");
	}
}

/* The lines with labels, breakdowns and what the caller may do on each. */
static void
inv_lines(struct http_request *req, json_t *inv, json_t *lines)
{
	struct app_req	*ar;
	json_t		*l, *b, *p;
	const char	*review, *resolution, *kind;
	char		 key[64];
	size_t		 i, j;
	int		 review_ok, credit_ok, vendor, open;
	int64_t		 left;

	ar = app_req(req);
	review_ok = json_is_true(json_object_get(inv, "open_to_review"));
	credit_ok = json_is_true(json_object_get(inv, "can_credit"));
	vendor = json_is_true(json_object_get(inv, "vendor_side"));
	json_array_foreach(lines, i, l) {
		kind = json_string_value(json_object_get(l, "kind"));
		review = json_string_value(json_object_get(l, "review"));
		resolution = json_string_value(json_object_get(l,
		    "resolution"));
		json_object_set_new(l, "label", json_string(web_pick(req, l,
		    "label_ko", "label_en")));
		(void)snprintf(key, sizeof(key), "invoice.line.%s",
		    kind != NULL ? kind : "");
		json_object_set_new(l, "kind_label", json_string(web_str(req,
		    key)));
		inv_won(l, "amount_won", "amount");
		inv_won(l, "credited_won", "credited");
		if (json_is_string(json_object_get(l, "quantity_micro"))) {
			json_t *q = json_integer(strtoll(json_string_value(
			    json_object_get(l, "quantity_micro")), NULL, 10));

			json_object_set_new(l, "quantity_micro", q);
			inv_micro(l, "quantity_micro", "quantity");
		}
		b = json_object_get(l, "breakdown");
		json_array_foreach(b, j, p) {
			json_object_set_new(p, "has_tier", json_boolean(
			    json_is_integer(json_object_get(p, "tier"))));
			json_object_set_new(p, "has_packages", json_boolean(
			    json_integer_value(json_object_get(p,
			    "packages")) > 0));
		}
		open = review != NULL && strcmp(review, "disputed") == 0 &&
		    resolution == NULL;
		(void)snprintf(key, sizeof(key), "invoice.review.%s",
		    resolution != NULL ? resolution : review != NULL ? review :
		    "pending");
		json_object_set_new(l, "review_label", json_string(web_str(req,
		    key)));
		json_object_set_new(l, "review_state", json_string(
		    resolution != NULL ? resolution : review != NULL ? review :
		    "pending"));
		json_object_set_new(l, "dispute_open", json_boolean(open));
		json_object_set_new(l, "can_accept", json_boolean(review_ok &&
		    (review == NULL || strcmp(review, "accepted") != 0) &&
		    (resolution == NULL || strcmp(resolution, "credited") != 0)));
		json_object_set_new(l, "can_dispute", json_boolean(review_ok &&
		    !open && (resolution == NULL || strcmp(resolution,
		    "credited") != 0)));
		json_object_set_new(l, "can_withdraw", json_boolean(review_ok &&
		    open));
		json_object_set_new(l, "can_answer", json_boolean(vendor &&
		    open && strcmp(json_string_value(json_object_get(inv,
		    "status")), "draft") != 0));
		left = json_integer_value(json_object_get(l, "amount_won")) -
		    json_integer_value(json_object_get(l, "credited_won"));
		json_object_set_new(l, "creditable_won", json_integer(left > 0 ?
		    left : 0));
		json_object_set_new(l, "can_credit", json_boolean(credit_ok &&
		    left > 0));
	}
	(void)ar;
	json_object_set(inv, "lines", lines);
}

/*
 * The usage behind the lines: per dimension, its rows by day and by
 * allocation tag (sum, max and count of records, decimals formatted).
 */
static json_t *
inv_usage(struct http_request *req, json_t *rows)
{
	json_t		*out, *dim, *r, *list;
	const char	*d, *prev;
	size_t		 i;

	(void)req;
	out = json_array();
	dim = NULL;
	prev = NULL;
	json_array_foreach(rows, i, r) {
		d = json_string_value(json_object_get(r, "dimension"));
		if (prev == NULL || strcmp(prev, d) != 0) {
			dim = json_pack("{s:s, s:[], s:[]}", "dimension", d,
			    "days", "allocations");
			json_array_append_new(out, dim);
			prev = d;
		}
		json_object_set_new(r, "sum_micro", json_integer(strtoll(
		    json_string_value(json_object_get(r, "sum_micro")), NULL,
		    10)));
		json_object_set_new(r, "max_micro", json_integer(strtoll(
		    json_string_value(json_object_get(r, "max_micro")), NULL,
		    10)));
		inv_micro(r, "sum_micro", "sum");
		inv_micro(r, "max_micro", "max");
		list = json_object_get(dim, strcmp(json_string_value(
		    json_object_get(r, "by")), "day") == 0 ? "days" :
		    "allocations");
		json_array_append(list, r);
	}
	return (out);
}

/* row[to] = row[from] as grouped won, if row[from] is an integer. */
static void
inv_won(json_t *row, const char *from, const char *to)
{
	char	buf[MONEY_FMT_MAX];
	json_t	*v;

	v = json_object_get(row, from);
	if (!json_is_integer(v) || money_format_won(json_integer_value(v),
	    MONEY_FMT_GROUP, buf, sizeof(buf)) != MONEY_OK)
		return;
	json_object_set_new(row, to, json_string(buf));
}

/* row[to] = row[from] (micro-units) as a grouped decimal. */
static void
inv_micro(json_t *row, const char *from, const char *to)
{
	char	buf[MONEY_FMT_MAX];
	json_t	*v;

	v = json_object_get(row, from);
	if (!json_is_integer(v) || money_format_micro(json_integer_value(v),
	    MONEY_FMT_GROUP, buf, sizeof(buf)) != MONEY_OK)
		return;
	json_object_set_new(row, to, json_string(buf));
}

/* YYYY-MM with a real month. */
static int
inv_month_ok(const char *s)
{
	return (strlen(s) == 7 && strspn(s, "0123456789-") == 7 &&
	    s[4] == '-' && strchr(s, '-') == s + 4 && s[5] >= '0' &&
	    s[5] <= '1' && ((s[5] == '0' && s[6] >= '1') || (s[5] == '1' &&
	    s[6] <= '2')) && s[0] >= '1');
}

/* The "line" field as a line number (1..100000) into buf; 0 if bad. */
static int
inv_line_no(struct http_request *req, char *buf, size_t len)
{
	int64_t	n;

	if (web_input_id(req, "line", &n) != 1 || n > 100000)
		return (0);
	(void)snprintf(buf, len, "%lld", (long long)n);
	return (1);
}

/* A whole-won field (JSON integer, or text with optional commas); -1. */
static int64_t
inv_won_input(struct http_request *req, const char *name)
{
	struct app_req	*ar;
	const char	*s, *p;
	char		 buf[32];
	size_t		 n;
	int64_t		 won;
	json_t		*v;

	ar = app_req(req);
	v = ar->body != NULL ? json_object_get(ar->body, name) : NULL;
	if (json_is_integer(v))
		return (json_integer_value(v) > 0 && json_integer_value(v) <=
		    MONEY_WON_MAX ? json_integer_value(v) : -1);
	if ((s = web_input(req, name)) == NULL)
		return (-1);
	n = 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == ',')
			continue;
		if (n >= sizeof(buf) - 1)
			return (-1);
		buf[n++] = *p;
	}
	buf[n] = '\0';
	if (money_parse_won(buf, 0, &won) != MONEY_OK)
		return (-1);
	return (won);
}
