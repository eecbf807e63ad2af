/*
 * Procurement reports, vendors' statistics, the public transparency page
 * and the usage-record certificate (이용실적증명서); docs/reports.md says
 * what every figure means.
 *
 * Why one table-driven file: every report is the same thing with other
 * numbers. A report is one SQL statement (so a page is one round trip and
 * its figures come from one snapshot) that returns one row whose jsonb
 * columns are its tables; a table is described here once (columns, their
 * kind, CSV names, chart) and the same description renders the HTML page,
 * its server-side SVG chart, the JSON answer and the CSV export. Nothing
 * is summed in C except the total row a table shows, which the
 * reconciliation test compares with the SQL total and the ledger.
 *
 * Money comes only from report_ledger() (sql/0023_reports.sql): what
 * counts as invoiced is defined there once. The procurement office sees
 * everything; an agency's users see their agency's slice and a vendor's
 * their vendor's (the filter is forced; naming another organisation
 * answers 404, as for every object of another organisation). The
 * transparency page is public and shows organisations (public bodies and
 * companies) but no person.
 */

#include <time.h>

#include "gureum.h"
#include "money.h"
#include "pdfdoc.h"
#include "rptfmt.h"
#include "sign.h"
#include "tmpl.h"

#define KST		"'Asia/Seoul'"
#define HTML_TOP	25	/* rows a long table shows before "others" */
#define YEAR_FIRST	2012	/* G-Cloud's first year; the catalog's default */

/* Column kinds: how a value is shown, exported and summed. */
enum rpt_kind {
	K_KEY,		/* identifier: CSV and JSON only */
	K_LABEL,	/* text; NULL: the key translated with the prefix */
	K_ENUM,		/* a code, shown translated with the prefix */
	K_TEXT,		/* text as is */
	K_WON,		/* whole won, summed in the total row */
	K_INT,		/* a count, summed in the total row */
	K_NUM,		/* a number not summed (days, ages) */
	K_PM,		/* a share in per mille from SQL */
	K_SHARE		/* this row's "total" over the table's, computed */
};

struct rpt_col {
	const char	*key;
	const char	*label;		/* string key */
	const char	*csv;		/* CSV header; NULL: key */
	enum rpt_kind	 kind;
	const char	*prefix;	/* K_LABEL, K_ENUM */
};

struct rpt_table {
	const char		*key;		/* column of the SQL row */
	const char		*caption;	/* string key; note: caption + "_note" */
	const struct rpt_col	*cols;
	size_t			 ncols;
	const char		*chart;		/* column drawn as bars, or NULL */
	int			 sum;		/* a total row (and "others") */
	int			 list;		/* the page shows the first rows */
};

#define RPT_PARTIES	0
#define RPT_OPS		1
#define RPT_PUBLIC	2

struct rpt_def {
	const char		*name;		/* "spend": /reports/spend */
	const char		*path;		/* HTML path */
	const char		*title;
	const char		*sql;
	const struct rpt_table	*tables;
	size_t			 ntables;
	int			 all_years;	/* default period since YEAR_FIRST */
	int			 who;		/* RPT_* */
};

/* Filters, parsed and checked; the SQL gets d0 <= month < d1. */
struct rpt_filter {
	char		 d0[11];
	char		 d1[11];
	char		 agency[24];
	char		 vendor[24];
	const char	*type;
	const char	*atype;
	int		 y0, m0, y1, m1;
};

#define AMT_COLS(k, l, c, pfx) \
	{ "key", "report.col.key", c, K_KEY, NULL }, \
	{ "label", l, k, K_LABEL, pfx }, \
	{ "supply", "report.col.supply", "BilledCost", K_WON, NULL }, \
	{ "vat", "report.col.vat", "x_VatWon", K_WON, NULL }, \
	{ "total", "report.col.total", "x_BilledCostInclVat", K_WON, NULL }, \
	{ "share", "report.col.share", "x_SharePermille", K_SHARE, NULL }, \
	{ "invoices", "report.col.invoices", "x_Invoices", K_INT, NULL }, \
	{ "credit_notes", "report.col.credit_notes", "x_CreditNotes", K_INT, NULL }

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const struct rpt_col c_month[] = { AMT_COLS("BillingPeriodLabel",
    "report.col.month", "BillingPeriodStart", NULL) };
static const struct rpt_col c_quarter[] = { AMT_COLS("x_Quarter",
    "report.col.quarter", "x_QuarterKey", NULL) };
static const struct rpt_col c_fy[] = { AMT_COLS("x_FiscalYear",
    "report.col.fy", "x_FiscalYearKey", NULL) };
static const struct rpt_col c_agency[] = { AMT_COLS("SubAccountName",
    "report.col.agency", "SubAccountId", NULL),
    { "agency_type", "report.col.agency_type", "x_AgencyType", K_ENUM,
    "report.agency_type." } };
static const struct rpt_col c_atype[] = { AMT_COLS("x_AgencyTypeName",
    "report.col.agency_type", "x_AgencyType", "report.agency_type.") };
static const struct rpt_col c_vendor[] = { AMT_COLS("ProviderName",
    "report.col.vendor", "x_ProviderId", NULL),
    { "company_size", "report.col.size", "x_VendorSize", K_ENUM,
    "report.size." } };
static const struct rpt_col c_size[] = { AMT_COLS("x_VendorSizeName",
    "report.col.size", "x_VendorSize", "report.size.") };
static const struct rpt_col c_stype[] = { AMT_COLS("x_ServiceTypeName",
    "report.col.service_type", "x_ServiceType", "report.type.") };
static const struct rpt_col c_cat[] = { AMT_COLS("x_CategoryName",
    "report.col.category", "x_CategoryId", "report.category.") };
static const struct rpt_col c_scheme[] = { AMT_COLS("x_SchemeName",
    "report.col.scheme", "x_Scheme", "report.scheme.") };

static const struct rpt_table t_spend[] = {
	{ "by_month", "report.t.by_month", c_month, N(c_month), "total", 1, 0 },
	{ "by_quarter", "report.t.by_quarter", c_quarter, N(c_quarter), NULL, 1, 0 },
	{ "by_fy", "report.t.by_fy", c_fy, N(c_fy), NULL, 1, 0 },
	{ "by_agency_type", "report.t.by_agency_type", c_atype, N(c_atype),
	    "total", 1, 0 },
	{ "by_agency", "report.t.by_agency", c_agency, N(c_agency), NULL, 1, 0 },
	{ "by_vendor_size", "report.t.by_vendor_size", c_size, N(c_size),
	    "total", 1, 0 },
	{ "by_vendor", "report.t.by_vendor", c_vendor, N(c_vendor), NULL, 1, 0 },
	{ "by_service_type", "report.t.by_service_type", c_stype, N(c_stype),
	    "total", 1, 0 },
	{ "by_category", "report.t.by_category", c_cat, N(c_cat), NULL, 1, 0 },
	{ "by_scheme", "report.t.by_scheme", c_scheme, N(c_scheme), "total", 1, 0 },
};

/* One jsonb row of amounts from the grouping-sets CTE g. */
#define AMTS "'supply', g.supply, 'vat', g.vat, 'total', g.total," \
	" 'invoices', g.invoices, 'credit_notes', g.credit_notes"
#define LEDGER "report_ledger($1::date, $2::date, $3::bigint, $4::bigint," \
	" $5::text, $6::text)"
/*
 * The same ledger as report_ledger(), in two stages for the reports that
 * break it down (a year is ~10^5 invoices): kd, the contracts the filters
 * keep with their dimensions (one row per contract); ci, their invoiced
 * rows of the period (invoices joined to kd only); pc, ci summed per
 * contract. Breakdowns by organisation, type or scheme then group pc
 * (one row per contract), by month ci. The predicate is report_ledger()'s.
 */
#define KD \
    " kd AS MATERIALIZED (SELECT c.id, c.org_id, c.vendor_id, c.listing_id," \
    "  l.service_type, l.category_id, a.agency_type, v.company_size" \
    "  FROM contracts c JOIN listings l ON l.id = c.listing_id" \
    "  JOIN organisations a ON a.id = c.org_id" \
    "  JOIN organisations v ON v.id = c.vendor_id" \
    "  WHERE ($3::bigint IS NULL OR c.org_id = $3::bigint)" \
    "  AND ($4::bigint IS NULL OR c.vendor_id = $4::bigint)" \
    "  AND ($5::text IS NULL OR l.service_type = $5::text)" \
    "  AND ($6::text IS NULL OR a.agency_type = $6::text)),"
#define CI(from) \
    " ci AS MATERIALIZED (SELECT i.contract_id, i.month, i.kind," \
    "  i.supply_won, i.vat_won, i.total_won FROM invoices i" \
    "  JOIN kd ON kd.id = i.contract_id" \
    "  WHERE i.status IN ('issued', 'accepted', 'disputed', 'paid')" \
    "  AND i.month >= " from " AND i.month < $2::date)," \
    " pc AS MATERIALIZED (SELECT contract_id, sum(supply_won)::bigint" \
    "  AS supply, sum(vat_won)::bigint AS vat, sum(total_won)::bigint" \
    "  AS total, count(*) FILTER (WHERE kind = 'invoice') AS invoices," \
    "  count(*) FILTER (WHERE kind = 'credit_note') AS credit_notes" \
    "  FROM ci GROUP BY contract_id),"
/*
 * pc without ci, for the reports that need only sums per contract (and
 * by month or year): a period of whole years ($1 and $2 each a 1 January,
 * the default of every report) reads the per-contract-year sums of
 * report_cfy (sql/0025_report_facts.sql, written with the invoices), any
 * other period the invoices. The organisation filters apply to the rows
 * themselves, service type and agency type through kd; when neither of
 * those two is set the check against kd is folded away.
 */
#define INPERIOD(d) d " >= $1::date AND " d " < $2::date"
#define YEARS "(extract(doy FROM $1::date) = 1 AND extract(doy FROM $2::date) = 1)"
#define FYS(f) f " >= extract(year FROM $1::date)::integer AND " f \
    " < extract(year FROM $2::date)::integer"
#define COUNTED(i) i ".status IN ('issued', 'accepted', 'disputed', 'paid')"
#define KEEP(a) \
    " AND ($3::bigint IS NULL OR " a ".org_id = $3::bigint)" \
    " AND ($4::bigint IS NULL OR " a ".vendor_id = $4::bigint)" \
    " AND ($5::text IS NULL AND $6::text IS NULL" \
    "  OR " a ".contract_id IN (SELECT id FROM kd))"
#define I_SUMS(i) "sum(" i ".supply_won)::bigint, sum(" i ".vat_won)::bigint," \
    " sum(" i ".total_won)::bigint, count(*) FILTER (WHERE " i ".kind =" \
    " 'invoice'), count(*) FILTER (WHERE " i ".kind = 'credit_note')"
#define PC \
    " pc AS MATERIALIZED (SELECT f.contract_id, sum(f.supply)::bigint" \
    "  AS supply, sum(f.vat)::bigint AS vat, sum(f.total)::bigint AS total," \
    "  sum(f.invoices)::bigint AS invoices, sum(f.credit_notes)::bigint" \
    "  AS credit_notes FROM report_cfy f WHERE " YEARS " AND " FYS("f.fy") \
    KEEP("f") " GROUP BY f.contract_id" \
    "  UNION ALL SELECT i.contract_id, " I_SUMS("i") " FROM invoices i" \
    "  WHERE NOT " YEARS " AND " COUNTED("i") " AND " INPERIOD("i.month") \
    KEEP("i") " GROUP BY i.contract_id),"
/* Invoiced per month, the same rows as pc. */
#define BM \
    " bm (month, supply, vat, total, invoices, credit_notes) AS (SELECT" \
    "  i.month, " I_SUMS("i") " FROM invoices i WHERE " \
    COUNTED("i") " AND " INPERIOD("i.month") KEEP("i") " GROUP BY i.month),"

/* Each contracted listing's scheme (report_listing_scheme's rule). */
#define SCH \
    " ls AS (SELECT DISTINCT kd.listing_id, kd.vendor_id FROM kd" \
    "  JOIN pc ON pc.contract_id = kd.id)," \
    " sr AS (SELECT ls.listing_id, report_scheme_rank(c.scheme) AS r" \
    "  FROM ls JOIN certificates c ON c.listing_id = ls.listing_id" \
    "  WHERE report_scheme_counts(c.status) UNION ALL" \
    "  SELECT ls.listing_id, report_scheme_rank(c.scheme) FROM ls" \
    "  JOIN certificates c ON c.listing_id IS NULL" \
    "  AND c.vendor_id = ls.vendor_id WHERE report_scheme_counts(c.status))," \
    " sch AS (SELECT listing_id, report_scheme_of_rank(min(r)) AS scheme" \
    "  FROM sr GROUP BY listing_id),"

#define AGG(dim, obj, from, order) \
	" (SELECT coalesce(jsonb_agg(jsonb_build_object(" obj ", " AMTS ")" \
	" ORDER BY " order "), '[]') FROM g" from " WHERE g.dim = '" dim "')"

static const char spend_sql[] =
    "WITH" KD PC SCH BM
    " g AS (SELECT CASE WHEN GROUPING(b.month) = 0 THEN 'month'"
    "  WHEN GROUPING(x.q) = 0 THEN 'quarter' ELSE 'fy' END AS dim,"
    "  b.month, x.q, x.fy, NULL::bigint AS org_id, NULL::text AS agency_type,"
    "  NULL::bigint AS vendor_id, NULL::text AS company_size,"
    "  NULL::text AS service_type, NULL::integer AS category_id,"
    "  NULL::text AS scheme, sum(b.supply)::bigint AS supply,"
    "  sum(b.vat)::bigint AS vat, sum(b.total)::bigint AS total,"
    "  sum(b.invoices)::bigint AS invoices,"
    "  sum(b.credit_notes)::bigint AS credit_notes FROM bm b"
    "  CROSS JOIN LATERAL (SELECT to_char(b.month, 'YYYY-\"Q\"Q') AS q,"
    "  extract(year FROM b.month)::integer AS fy) x"
    "  GROUP BY GROUPING SETS ((b.month), (x.q), (x.fy))"
    "  UNION ALL"
    "  SELECT CASE WHEN GROUPING(k.org_id) = 0 THEN 'agency'"
    "  WHEN GROUPING(k.agency_type) = 0 THEN 'agency_type'"
    "  WHEN GROUPING(k.vendor_id) = 0 THEN 'vendor'"
    "  WHEN GROUPING(k.company_size) = 0 THEN 'vendor_size'"
    "  WHEN GROUPING(k.service_type) = 0 THEN 'service_type'"
    "  WHEN GROUPING(k.category_id) = 0 THEN 'category'"
    "  WHEN GROUPING(coalesce(sch.scheme, 'none')) = 0 THEN 'scheme'"
    "  ELSE 'total' END, NULL, NULL, NULL, k.org_id, k.agency_type,"
    "  k.vendor_id, k.company_size, k.service_type, k.category_id,"
    "  coalesce(sch.scheme, 'none'), coalesce(sum(p.supply), 0)::bigint,"
    "  coalesce(sum(p.vat), 0)::bigint, coalesce(sum(p.total), 0)::bigint,"
    "  coalesce(sum(p.invoices), 0)::bigint,"
    "  coalesce(sum(p.credit_notes), 0)::bigint"
    "  FROM pc p JOIN kd k ON k.id = p.contract_id"
    "  LEFT JOIN sch ON sch.listing_id = k.listing_id"
    "  GROUP BY GROUPING SETS ((k.org_id), (k.agency_type), (k.vendor_id),"
    "  (k.company_size), (k.service_type), (k.category_id),"
    "  (coalesce(sch.scheme, 'none')), ()))"
    " SELECT"
    AGG("month", "'key', to_char(g.month, 'YYYY-MM-DD'), 'label',"
    " to_char(g.month, 'YYYY-MM')", "", "g.month") " AS by_month,"
    AGG("quarter", "'key', g.q, 'label', g.q", "", "g.q") " AS by_quarter,"
    AGG("fy", "'key', g.fy, 'label', g.fy::text", "", "g.fy") " AS by_fy,"
    AGG("agency_type", "'key', g.agency_type, 'label', NULL", "",
    "g.total DESC, g.agency_type") " AS by_agency_type,"
    AGG("agency", "'key', g.org_id, 'label', report_name(o.name_ko,"
    " o.name_en, $7::text), 'agency_type', o.agency_type",
    " JOIN organisations o ON o.id = g.org_id", "g.total DESC, g.org_id")
    " AS by_agency,"
    AGG("vendor_size", "'key', coalesce(g.company_size, 'unknown'),"
    " 'label', NULL", "", "g.total DESC, g.company_size")
    " AS by_vendor_size,"
    AGG("vendor", "'key', g.vendor_id, 'label', report_name(o.name_ko,"
    " o.name_en, $7::text), 'company_size', coalesce(o.company_size,"
    " 'unknown')", " JOIN organisations o ON o.id = g.vendor_id",
    "g.total DESC, g.vendor_id") " AS by_vendor,"
    AGG("service_type", "'key', g.service_type, 'label', NULL", "",
    "g.total DESC, g.service_type") " AS by_service_type,"
    AGG("category", "'key', coalesce(g.category_id::text, 'none'),"
    " 'label', report_name(c.name_ko, c.name_en, $7::text)",
    " LEFT JOIN categories c ON c.id = g.category_id",
    "g.total DESC, g.category_id") " AS by_category,"
    AGG("scheme", "'key', g.scheme, 'label', NULL", "",
    "g.total DESC, g.scheme") " AS by_scheme,"
    " (SELECT jsonb_build_object(" AMTS ") FROM g WHERE g.dim = 'total')"
    " AS total";

/*
 * The spend ledger in FinOps FOCUS columns, one row per invoice or credit
 * note (x_ columns are ours; FOCUS allows custom columns so prefixed).
 */
static const char spend_focus_sql[] =
    "SELECT to_char(l.month, 'YYYY-MM-DD') AS \"BillingPeriodStart\","
    " to_char(l.month + interval '1 month', 'YYYY-MM-DD')"
    " AS \"BillingPeriodEnd\","
    " to_char(l.month, 'YYYY-MM-DD') AS \"ChargePeriodStart\","
    " to_char(l.month + interval '1 month', 'YYYY-MM-DD')"
    " AS \"ChargePeriodEnd\","
    " l.supply_won AS \"BilledCost\", l.supply_won AS \"EffectiveCost\","
    " 'KRW' AS \"BillingCurrency\","
    " CASE l.kind WHEN 'invoice' THEN 'Usage' ELSE 'Credit' END"
    " AS \"ChargeCategory\","
    " report_name(v.name_ko, v.name_en, $7::text) AS \"ProviderName\","
    " report_name(v.name_ko, v.name_en, $7::text) AS \"PublisherName\","
    " report_name(v.name_ko, v.name_en, $7::text) AS \"InvoiceIssuerName\","
    " i.number AS \"InvoiceId\","
    " report_name(s.name_ko, s.name_en, $7::text) AS \"ServiceName\","
    " CASE WHEN c.code IN ('iaas.storage', 'iaas.backup') THEN 'Storage'"
    " WHEN c.code = 'iaas.network' THEN 'Networking'"
    " WHEN c.code = 'iaas.gpu' THEN 'AI and Machine Learning'"
    " WHEN l.service_type IN ('iaas', 'daas') THEN 'Compute'"
    " WHEN l.service_type = 'paas' THEN 'Developer Tools'"
    " WHEN l.service_type = 'saas' THEN 'Business Applications'"
    " ELSE 'Other' END AS \"ServiceCategory\","
    " l.org_id AS \"SubAccountId\","
    " report_name(a.name_ko, a.name_en, $7::text) AS \"SubAccountName\","
    " l.vat_won AS \"x_VatWon\", l.total_won AS \"x_BilledCostInclVat\","
    " l.contract_id AS \"x_ContractId\", l.kind AS \"x_Kind\","
    " l.agency_type AS \"x_AgencyType\","
    " coalesce(l.company_size, 'unknown') AS \"x_VendorSize\","
    " l.service_type AS \"x_ServiceType\", c.code AS \"x_Category\""
    " FROM " LEDGER " l JOIN invoices i ON i.id = l.invoice_id"
    " JOIN organisations v ON v.id = l.vendor_id"
    " JOIN organisations a ON a.id = l.org_id"
    " JOIN listings s ON s.id = l.listing_id"
    " LEFT JOIN categories c ON c.id = l.category_id"
    " ORDER BY l.month, l.invoice_id";

/* SME share. */
static const struct rpt_col c_sme[] = {
	{ "key", "report.col.key", "measure", K_KEY, NULL },
	{ "label", "report.col.measure", "measure_name", K_LABEL,
	    "report.sme." },
	{ "sme", "report.col.sme", "sme", K_INT, NULL },
	{ "total", "report.col.all", "total", K_INT, NULL },
	{ "pm", "report.col.sme_share", "sme_share_permille", K_PM, NULL },
};
static const struct rpt_col c_sme_size[] = {
	{ "key", "report.col.key", "company_size", K_KEY, NULL },
	{ "label", "report.col.size", "company_size_name", K_LABEL,
	    "report.size." },
	{ "vendors", "report.col.vendors", "vendors", K_INT, NULL },
	{ "listings", "report.col.listings", "listings", K_INT, NULL },
	{ "contracts", "report.col.contracts", "contracts", K_INT, NULL },
	{ "total", "report.col.total", "x_BilledCostInclVat", K_WON, NULL },
	{ "share", "report.col.share", "x_SharePermille", K_SHARE, NULL },
};
static const struct rpt_table t_sme[] = {
	{ "sme", "report.t.sme", c_sme, N(c_sme), NULL, 0, 0 },
	{ "by_size", "report.t.sme_by_size", c_sme_size, N(c_sme_size),
	    "total", 1, 0 },
};

/* Contracts in force during [$1, $2) with the filters, as k. */
#define CONTRACTS_K \
    " k AS MATERIALIZED (SELECT c.id, c.title, c.org_id, c.vendor_id," \
    "  c.status, c.quote_id IS NOT NULL AS via_quote, c.activated_at," \
    "  c.first_request_at, c.created_at, c.start_date, c.end_date," \
    "  c.updated_at, c.ceiling_won, v.company_size, l.service_type," \
    "  (c.activated_at AT TIME ZONE " KST ")::date AS act_day," \
    "  CASE WHEN c.status = 'ended' THEN least(c.end_date," \
    "  (c.updated_at AT TIME ZONE " KST ")::date) END AS end_day," \
    "  CASE WHEN c.activated_at IS NOT NULL THEN floor(extract(epoch FROM" \
    "  c.activated_at - coalesce(c.first_request_at, c.created_at))" \
    "  / 86400)::integer END AS lead," \
    "  (c.activated_at IS NOT NULL AND c.status IN ('active', 'suspended'," \
    "  'ended') AND c.start_date < $2::date AND c.end_date >= $1::date" \
    "  AND (c.activated_at AT TIME ZONE " KST ")::date < $2::date)" \
    "  AS in_force" \
    "  FROM contracts c JOIN listings l ON l.id = c.listing_id" \
    "  JOIN organisations a ON a.id = c.org_id" \
    "  JOIN organisations v ON v.id = c.vendor_id" \
    "  WHERE ($3::bigint IS NULL OR c.org_id = $3::bigint)" \
    "  AND ($4::bigint IS NULL OR c.vendor_id = $4::bigint)" \
    "  AND ($5::text IS NULL OR l.service_type = $5::text)" \
    "  AND ($6::text IS NULL OR a.agency_type = $6::text))"

#define PM(a, b) "CASE WHEN (" b ") <> 0 THEN round((" a ") * 1000::numeric" \
	" / (" b "))::bigint END"

static const char sme_sql[] =
    "WITH" KD PC CONTRACTS_K ","
    " cat AS (SELECT coalesce(v.company_size, 'unknown') AS size,"
    "  count(DISTINCT v.id) AS vendors, count(*) AS listings"
    "  FROM listings l JOIN organisations v ON v.id = l.vendor_id"
    "  WHERE l.status = 'published' AND v.status = 'approved'"
    "  AND ($4::bigint IS NULL OR v.id = $4::bigint)"
    "  AND ($5::text IS NULL OR l.service_type = $5::text)"
    "  AND ($3::bigint IS NULL AND $6::text IS NULL OR EXISTS (SELECT 1"
    "  FROM k WHERE k.in_force AND k.vendor_id = v.id)) GROUP BY 1),"
    " kc AS (SELECT coalesce(company_size, 'unknown') AS size, count(*) AS n"
    "  FROM k WHERE in_force GROUP BY 1),"
    " sp AS (SELECT coalesce(kd.company_size, 'unknown') AS size,"
    "  sum(pc.total)::bigint AS total, count(DISTINCT kd.vendor_id) AS paid"
    "  FROM pc JOIN kd ON kd.id = pc.contract_id GROUP BY 1),"
    " sz AS (SELECT s.size, coalesce(cat.vendors, 0) AS vendors,"
    "  coalesce(cat.listings, 0) AS listings, coalesce(kc.n, 0) AS contracts,"
    "  coalesce(sp.total, 0) AS total, coalesce(sp.paid, 0) AS paid"
    "  FROM (SELECT unnest(ARRAY['sme', 'midsize', 'large', 'unknown'])"
    "  AS size) s LEFT JOIN cat USING (size) LEFT JOIN kc USING (size)"
    "  LEFT JOIN sp USING (size)),"
    " m AS (SELECT x.ord, x.key, x.sme, x.total FROM (SELECT 1 AS ord,"
    "  'vendors' AS key, sum(vendors) FILTER (WHERE size = 'sme') AS sme,"
    "  sum(vendors) AS total FROM sz UNION ALL SELECT 2, 'listings',"
    "  sum(listings) FILTER (WHERE size = 'sme'), sum(listings) FROM sz"
    "  UNION ALL SELECT 3, 'contracts', sum(contracts) FILTER (WHERE size"
    "  = 'sme'), sum(contracts) FROM sz UNION ALL SELECT 4, 'vendors_paid',"
    "  sum(paid) FILTER (WHERE size = 'sme'), sum(paid) FROM sz"
    "  UNION ALL SELECT 5, 'amount', sum(total) FILTER (WHERE size = 'sme'),"
    "  sum(total) FROM sz) x)"
    " SELECT (SELECT jsonb_agg(jsonb_build_object('key', m.key, 'label',"
    "  NULL, 'sme', coalesce(m.sme, 0)::bigint, 'total', coalesce(m.total,"
    "  0)::bigint, 'pm', " PM("m.sme", "m.total") ") ORDER BY m.ord) FROM m)"
    "  AS sme,"
    " (SELECT jsonb_agg(jsonb_build_object('key', sz.size, 'label', NULL,"
    "  'vendors', sz.vendors, 'listings', sz.listings, 'contracts',"
    "  sz.contracts, 'total', sz.total) ORDER BY array_position(ARRAY['sme',"
    "  'midsize', 'large', 'unknown'], sz.size)) FROM sz) AS by_size,"
    " (SELECT jsonb_build_object('total', coalesce(sum(total), 0)::bigint,"
    "  'lang', $7::text) FROM pc) AS total";

/* Contracts. */
static const struct rpt_col c_route[] = {
	{ "key", "report.col.key", "route", K_KEY, NULL },
	{ "label", "report.col.route", "route_name", K_LABEL, "report.route." },
	{ "new", "report.col.new", "new", K_INT, NULL },
	{ "new_ceiling", "report.col.new_ceiling", "new_ceiling_won", K_WON,
	    NULL },
	{ "in_force", "report.col.in_force", "in_force", K_INT, NULL },
	{ "ended", "report.col.ended", "ended", K_INT, NULL },
	{ "cancelled", "report.col.cancelled", "cancelled", K_INT, NULL },
};
static const struct rpt_col c_lead[] = {
	{ "key", "report.col.key", "route", K_KEY, NULL },
	{ "label", "report.col.route", "route_name", K_LABEL, "report.route." },
	{ "n", "report.col.n", "contracts", K_NUM, NULL },
	{ "min", "report.col.min", "min_days", K_NUM, NULL },
	{ "p25", "report.col.p25", "p25_days", K_NUM, NULL },
	{ "median", "report.col.median", "median_days", K_NUM, NULL },
	{ "p75", "report.col.p75", "p75_days", K_NUM, NULL },
	{ "p90", "report.col.p90", "p90_days", K_NUM, NULL },
	{ "max", "report.col.max", "max_days", K_NUM, NULL },
	{ "within_14", "report.col.within_14", "within_14_days_permille", K_PM,
	    NULL },
	{ "under_40", "report.col.under_40", "under_40_days_permille", K_PM,
	    NULL },
};
static const struct rpt_col c_kmonth[] = {
	{ "key", "report.col.key", "month", K_KEY, NULL },
	{ "label", "report.col.month", "month_label", K_LABEL, NULL },
	{ "new", "report.col.new", "new", K_INT, NULL },
	{ "ceiling", "report.col.new_ceiling", "new_ceiling_won", K_WON, NULL },
};
static const struct rpt_col c_kstatus[] = {
	{ "key", "report.col.key", "status", K_KEY, NULL },
	{ "label", "report.col.status", "status_name", K_LABEL,
	    "report.status." },
	{ "n", "report.col.contracts", "contracts", K_INT, NULL },
};
static const struct rpt_table t_contracts[] = {
	{ "by_route", "report.t.by_route", c_route, N(c_route), NULL, 1, 0 },
	{ "lead", "report.t.lead", c_lead, N(c_lead), NULL, 0, 0 },
	{ "by_month", "report.t.contracts_by_month", c_kmonth, N(c_kmonth),
	    "new", 1, 0 },
	{ "by_status", "report.t.by_status", c_kstatus, N(c_kstatus), "n", 1, 0 },
};

static const char contracts_sql[] =
    "WITH" CONTRACTS_K ","
    " r AS (SELECT CASE WHEN via_quote THEN 'quote' ELSE 'direct' END"
    "  AS route, count(*) FILTER (WHERE " INPERIOD("act_day") ") AS new,"
    "  coalesce(sum(ceiling_won) FILTER (WHERE " INPERIOD("act_day") "),"
    "  0)::bigint AS new_ceiling, count(*) FILTER (WHERE in_force)"
    "  AS in_force, count(*) FILTER (WHERE " INPERIOD("end_day") ") AS ended,"
    "  count(*) FILTER (WHERE status = 'cancelled' AND"
    "  " INPERIOD("(updated_at AT TIME ZONE " KST ")::date") ") AS cancelled"
    "  FROM k GROUP BY 1),"
    " lt AS (SELECT CASE WHEN GROUPING(via_quote) = 1 THEN 'all' WHEN"
    "  via_quote THEN 'quote' ELSE 'direct' END AS route, count(*) AS n,"
    "  min(lead) AS min, percentile_disc(0.25) WITHIN GROUP (ORDER BY lead)"
    "  AS p25, percentile_disc(0.5) WITHIN GROUP (ORDER BY lead) AS median,"
    "  percentile_disc(0.75) WITHIN GROUP (ORDER BY lead) AS p75,"
    "  percentile_disc(0.9) WITHIN GROUP (ORDER BY lead) AS p90,"
    "  max(lead) AS max, " PM("count(*) FILTER (WHERE lead <= 14)",
    "count(*)") " AS within_14, " PM("count(*) FILTER (WHERE lead < 40)",
    "count(*)") " AS under_40"
    "  FROM k WHERE " INPERIOD("act_day") " GROUP BY ROLLUP (via_quote)),"
    " mo AS (SELECT date_trunc('month', act_day)::date AS month, count(*)"
    "  AS new, sum(ceiling_won)::bigint AS ceiling FROM k"
    "  WHERE " INPERIOD("act_day") " GROUP BY 1)"
    " SELECT (SELECT jsonb_agg(jsonb_build_object('key', x.route, 'label',"
    "  NULL, 'new', coalesce(r.new, 0), 'new_ceiling', coalesce("
    "  r.new_ceiling, 0), 'in_force', coalesce(r.in_force, 0), 'ended',"
    "  coalesce(r.ended, 0), 'cancelled', coalesce(r.cancelled, 0))"
    "  ORDER BY x.route) FROM (VALUES ('direct'), ('quote')) x (route)"
    "  LEFT JOIN r ON r.route = x.route) AS by_route,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', lt.route,"
    "  'label', NULL, 'n', lt.n, 'min', lt.min, 'p25', lt.p25, 'median',"
    "  lt.median, 'p75', lt.p75, 'p90', lt.p90, 'max', lt.max, 'within_14',"
    "  lt.within_14, 'under_40', lt.under_40) ORDER BY lt.route = 'all',"
    "  lt.route), '[]') FROM lt) AS lead,"
    " (SELECT jsonb_agg(jsonb_build_object('key', to_char(m.month,"
    "  'YYYY-MM-DD'), 'label', to_char(m.month, 'YYYY-MM'), 'new',"
    "  coalesce(mo.new, 0), 'ceiling', coalesce(mo.ceiling, 0))"
    "  ORDER BY m.month) FROM generate_series($1::date, $2::date"
    "  - interval '1 month', interval '1 month') m (month)"
    "  LEFT JOIN mo ON mo.month = m.month) AS by_month,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', s.status,"
    "  'label', NULL, 'n', s.n) ORDER BY array_position(ARRAY['draft',"
    "  'awaiting_approval', 'awaiting_vendor', 'active', 'suspended',"
    "  'ended', 'cancelled'], s.status)), '[]') FROM (SELECT status,"
    "  count(*) AS n FROM k WHERE (created_at AT TIME ZONE " KST ")::date"
    "  < $2::date GROUP BY 1) s) AS by_status,"
    " (SELECT jsonb_build_object('in_force', count(*) FILTER (WHERE"
    "  in_force), 'new', count(*) FILTER (WHERE " INPERIOD("act_day") "),"
    "  'baseline_min_days', 40, 'baseline_max_days', 60, 'lang', $7::text)"
    "  FROM k)"
    " AS total";

/* Ceilings (집행률). */
static const struct rpt_col c_band[] = {
	{ "key", "report.col.key", "band", K_KEY, NULL },
	{ "label", "report.col.band", "band_name", K_LABEL, "report.band." },
	{ "n", "report.col.contracts", "contracts", K_INT, NULL },
	{ "ceiling", "report.col.ceiling", "ceiling_won", K_WON, NULL },
	{ "used", "report.col.used", "used_won", K_WON, NULL },
};
static const struct rpt_col c_cagency[] = {
	{ "key", "report.col.key", "agency_id", K_KEY, NULL },
	{ "label", "report.col.agency", "agency_name", K_LABEL, NULL },
	{ "n", "report.col.contracts", "contracts", K_INT, NULL },
	{ "ceiling", "report.col.ceiling", "ceiling_won", K_WON, NULL },
	{ "used", "report.col.used", "used_won", K_WON, NULL },
	{ "pm", "report.col.utilisation", "utilisation_permille", K_PM, NULL },
	{ "near", "report.col.near", "near_ceiling", K_INT, NULL },
	{ "at", "report.col.at", "at_ceiling", K_INT, NULL },
};
static const struct rpt_col c_ccontract[] = {
	{ "key", "report.col.contract", "contract_id", K_TEXT, NULL },
	{ "label", "report.col.title", "title", K_LABEL, NULL },
	{ "agency", "report.col.agency", "agency_name", K_TEXT, NULL },
	{ "vendor", "report.col.vendor", "vendor_name", K_TEXT, NULL },
	{ "ceiling", "report.col.ceiling", "ceiling_won", K_WON, NULL },
	{ "used", "report.col.used", "used_won", K_WON, NULL },
	{ "remaining", "report.col.remaining", "remaining_won", K_WON, NULL },
	{ "pm", "report.col.utilisation", "utilisation_permille", K_PM, NULL },
	{ "band", "report.col.band", "band", K_ENUM, "report.band." },
};
static const struct rpt_table t_ceilings[] = {
	{ "by_band", "report.t.by_band", c_band, N(c_band), "n", 1, 0 },
	{ "by_agency", "report.t.ceiling_by_agency", c_cagency, N(c_cagency),
	    NULL, 1, 0 },
	{ "by_contract", "report.t.ceiling_by_contract", c_ccontract,
	    N(c_ccontract), NULL, 0, 1 },
};

static const char ceilings_sql[] =
    "WITH" CONTRACTS_K ","
    /* Invoiced before the period's end: report_cfy when it is a 1 January. */
    " u AS (SELECT f.contract_id, sum(f.total)::bigint AS used"
    "  FROM report_cfy f JOIN k ON k.id = f.contract_id AND k.in_force"
    "  WHERE extract(doy FROM $2::date) = 1"
    "  AND f.fy < extract(year FROM $2::date)::integer GROUP BY 1"
    "  UNION ALL SELECT i.contract_id, sum(i.total_won)::bigint"
    "  FROM invoices i JOIN k ON k.id = i.contract_id AND k.in_force"
    "  WHERE extract(doy FROM $2::date) <> 1 AND " COUNTED("i")
    "  AND i.month < $2::date GROUP BY 1),"
    " x AS MATERIALIZED (SELECT k.*, coalesce(u.used, 0) AS used,"
    "  coalesce(u.used, 0) * 1000 / k.ceiling_won AS pm FROM k"
    "  LEFT JOIN u ON u.contract_id = k.id WHERE k.in_force),"
    " b AS (SELECT x.*, CASE WHEN pm >= 1000 THEN 'at' WHEN pm >= 800"
    "  THEN 'near' WHEN pm >= 500 THEN 'half' ELSE 'under' END AS band"
    "  FROM x)"
    " SELECT (SELECT jsonb_agg(jsonb_build_object('key', q.band, 'label',"
    "  NULL, 'n', q.n, 'ceiling', q.ceiling, 'used', q.used) ORDER BY"
    "  q.ord) FROM (SELECT s.ord, s.band, count(b.id) AS n,"
    "  coalesce(sum(b.ceiling_won), 0)::bigint AS ceiling,"
    "  coalesce(sum(b.used), 0)::bigint AS used"
    "  FROM (VALUES (1, 'under'), (2, 'half'), (3, 'near'),"
    "  (4, 'at')) s (ord, band) LEFT JOIN b ON b.band = s.band"
    "  GROUP BY s.ord, s.band) q) AS by_band,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', a.org_id,"
    "  'label', report_name(o.name_ko, o.name_en, $7::text), 'n', a.n,"
    "  'ceiling', a.ceiling, 'used', a.used, 'pm', a.used * 1000"
    "  / a.ceiling, 'near', a.near, 'at', a.at) ORDER BY a.used * 1000"
    "  / a.ceiling DESC, a.org_id), '[]') FROM (SELECT org_id, count(*)"
    "  AS n, sum(ceiling_won)::bigint AS ceiling, sum(used)::bigint AS used,"
    "  count(*) FILTER (WHERE band = 'near') AS near, count(*) FILTER"
    "  (WHERE band = 'at') AS at FROM b GROUP BY org_id) a"
    "  JOIN organisations o ON o.id = a.org_id) AS by_agency,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', t.id::text,"
    "  'label', t.title, 'agency', report_name(a.name_ko, a.name_en,"
    "  $7::text), 'vendor', report_name(v.name_ko, v.name_en, $7::text),"
    "  'ceiling', t.ceiling_won, 'used', t.used, 'remaining',"
    "  t.ceiling_won - t.used, 'pm', t.pm, 'band', t.band) ORDER BY t.pm"
    "  DESC, t.id), '[]') FROM (SELECT * FROM b ORDER BY pm DESC, id"
    "  LIMIT 300) t JOIN organisations a ON a.id = t.org_id"
    "  JOIN organisations v ON v.id = t.vendor_id) AS by_contract,"
    " (SELECT jsonb_build_object('contracts', count(*), 'ceiling',"
    "  coalesce(sum(ceiling_won), 0)::bigint, 'used', coalesce(sum(used),"
    "  0)::bigint) FROM b) AS total";

/* Certificates and transition cases. */
static const struct rpt_col c_cbucket[] = {
	{ "key", "report.col.key", "bucket", K_KEY, NULL },
	{ "label", "report.col.bucket", "bucket_name", K_LABEL,
	    "report.bucket." },
	{ "n", "report.col.certificates", "certificates", K_INT, NULL },
	{ "listings", "report.col.listings", "listings", K_INT, NULL },
	{ "contracts", "report.col.dependent", "dependent_contracts", K_INT,
	    NULL },
};
static const struct rpt_col c_crisk[] = {
	{ "key", "report.col.certificate", "certificate_id", K_TEXT, NULL },
	{ "label", "report.col.scheme", "scheme", K_LABEL, "report.scheme." },
	{ "vendor", "report.col.vendor", "vendor_name", K_TEXT, NULL },
	{ "listing", "report.col.service", "listing_name", K_TEXT, NULL },
	{ "status", "report.col.cert_status", "status", K_ENUM,
	    "report.cert_status." },
	{ "expiry", "report.col.expiry", "expiry_date", K_TEXT, NULL },
	{ "days_left", "report.col.days_left", "days_left", K_NUM, NULL },
	{ "changed", "report.col.changed", "status_since", K_TEXT, NULL },
	{ "contracts", "report.col.dependent", "dependent_contracts", K_NUM,
	    NULL },
};
static const struct rpt_col c_cases[] = {
	{ "key", "report.col.case", "case_id", K_TEXT, NULL },
	{ "label", "report.col.contract", "contract_title", K_LABEL, NULL },
	{ "agency", "report.col.agency", "agency_name", K_TEXT, NULL },
	{ "vendor", "report.col.vendor", "vendor_name", K_TEXT, NULL },
	{ "cause", "report.col.cause", "cause", K_ENUM, "report.cause." },
	{ "opened", "report.col.opened", "opened_on", K_TEXT, NULL },
	{ "age", "report.col.age", "age_days", K_NUM, NULL },
	{ "deadline", "report.col.deadline", "deadline", K_TEXT, NULL },
	{ "overdue", "report.col.overdue", "overdue", K_ENUM, "report.bool." },
};
static const struct rpt_col c_causes[] = {
	{ "key", "report.col.key", "cause", K_KEY, NULL },
	{ "label", "report.col.cause", "cause_name", K_LABEL, "report.cause." },
	{ "n", "report.col.open_cases", "open_cases", K_INT, NULL },
	{ "overdue", "report.col.overdue", "overdue", K_INT, NULL },
	{ "median", "report.col.median_age", "median_age_days", K_NUM, NULL },
	{ "max", "report.col.max_age", "max_age_days", K_NUM, NULL },
};
static const struct rpt_table t_certs[] = {
	{ "by_bucket", "report.t.by_bucket", c_cbucket, N(c_cbucket), "n", 0, 0 },
	{ "at_risk", "report.t.at_risk", c_crisk, N(c_crisk), NULL, 0, 1 },
	{ "by_cause", "report.t.by_cause", c_causes, N(c_causes), "n", 1, 0 },
	{ "cases", "report.t.cases", c_cases, N(c_cases), NULL, 0, 1 },
};

#define TODAY "(now() AT TIME ZONE " KST ")::date"
static const char certs_sql[] =
    "WITH ct AS MATERIALIZED (SELECT x.id, x.scheme, x.status,"
    "  x.expiry_date, x.vendor_id, x.listing_id, x.expiry_date - " TODAY
    "  AS days_left FROM certificates x LEFT JOIN listings l"
    "  ON l.id = x.listing_id"
    "  WHERE x.status IN ('valid', 'suspended', 'revoked', 'expired')"
    "  AND ($4::bigint IS NULL OR x.vendor_id = $4::bigint)"
    "  AND ($5::text IS NULL OR l.service_type = $5::text)),"
    " kc AS MATERIALIZED (SELECT c.id, c.listing_id, c.vendor_id"
    "  FROM contracts c JOIN organisations a ON a.id = c.org_id"
    "  WHERE c.status IN ('active', 'suspended')"
    "  AND ($3::bigint IS NULL OR c.org_id = $3::bigint)"
    "  AND ($6::text IS NULL OR a.agency_type = $6::text)),"
    /* A contract depends on its listing's certificates and on its
     * vendor's company-wide ones: two equi-joins, not one OR. */
    " dc AS MATERIALIZED (SELECT ct.id AS cert_id, kc.id AS contract_id"
    "  FROM ct JOIN kc ON kc.listing_id = ct.listing_id UNION ALL"
    "  SELECT ct.id, kc.id FROM ct JOIN kc ON ct.listing_id IS NULL"
    "  AND kc.vendor_id = ct.vendor_id),"
    " dn AS (SELECT cert_id, count(*) AS n FROM dc GROUP BY 1),"
    " cb AS MATERIALIZED (SELECT ct.*, CASE WHEN ct.status = 'valid' AND"
    "  days_left BETWEEN 0 AND 30 THEN 'expiring_30' WHEN ct.status ="
    "  'valid' AND days_left BETWEEN 31 AND 60 THEN 'expiring_60' WHEN"
    "  ct.status = 'valid' AND days_left BETWEEN 61 AND 90 THEN"
    "  'expiring_90' WHEN ct.status = 'valid' THEN NULL ELSE ct.status END"
    "  AS bucket, coalesce(dn.n, 0) AS contracts FROM ct LEFT JOIN dn"
    "  ON dn.cert_id = ct.id WHERE $3::bigint IS NULL AND $6::text IS NULL"
    "  OR dn.n > 0),"
    " bc AS (SELECT cb.bucket, count(DISTINCT dc.contract_id) AS n"
    "  FROM dc JOIN cb ON cb.id = dc.cert_id GROUP BY 1),"
    " tc AS MATERIALIZED (SELECT t.id, t.cause, t.opened_at, t.deadline,"
    "  c.title, c.org_id, c.vendor_id, floor(extract(epoch FROM now()"
    "  - t.opened_at) / 86400)::integer AS age, t.deadline < " TODAY
    "  AS overdue FROM transition_cases t JOIN contracts c"
    "  ON c.id = t.contract_id JOIN listings l ON l.id = c.listing_id"
    "  JOIN organisations a ON a.id = c.org_id WHERE t.status = 'open'"
    "  AND ($3::bigint IS NULL OR c.org_id = $3::bigint)"
    "  AND ($4::bigint IS NULL OR c.vendor_id = $4::bigint)"
    "  AND ($5::text IS NULL OR l.service_type = $5::text)"
    "  AND ($6::text IS NULL OR a.agency_type = $6::text))"
    " SELECT (SELECT jsonb_agg(jsonb_build_object('key', q.bucket,"
    "  'label', NULL, 'n', q.n, 'listings', q.listings, 'contracts',"
    "  coalesce((SELECT bc.n FROM bc WHERE bc.bucket = q.bucket), 0))"
    "  ORDER BY q.ord)"
    "  FROM (SELECT s.ord, s.bucket, count(cb.id) AS n, count(DISTINCT"
    "  cb.listing_id) AS listings FROM (VALUES (1, 'expiring_30'),"
    "  (2, 'expiring_60'), (3, 'expiring_90'), (4, 'suspended'),"
    "  (5, 'revoked'), (6, 'expired')) s (ord, bucket) LEFT JOIN cb"
    "  ON cb.bucket = s.bucket GROUP BY s.ord, s.bucket) q) AS by_bucket,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', r.id::text,"
    "  'label', NULL, 'vendor', report_name(v.name_ko, v.name_en,"
    "  $7::text), 'listing', coalesce(report_name(l.name_ko, l.name_en,"
    "  $7::text), ''), 'status', r.status, 'expiry', coalesce(to_char("
    "  r.expiry_date, 'YYYY-MM-DD'), ''), 'days_left', r.days_left,"
    "  'changed', coalesce(to_char((SELECT max(e.at) FROM"
    "  certificate_events e WHERE e.certificate_id = r.id AND e.to_status"
    "  = r.status) AT TIME ZONE " KST ", 'YYYY-MM-DD'), ''), 'contracts',"
    "  r.contracts, 'scheme', r.scheme)"
    "  ORDER BY r.status <> 'revoked', r.days_left, r.id), '[]')"
    "  FROM (SELECT * FROM cb WHERE cb.bucket IN ('expiring_30',"
    "  'expiring_60', 'expiring_90', 'suspended', 'revoked')"
    "  OR (cb.bucket = 'expired' AND cb.contracts > 0)"
    "  ORDER BY cb.days_left LIMIT 300) r"
    "  JOIN organisations v ON v.id = r.vendor_id"
    "  LEFT JOIN listings l ON l.id = r.listing_id) AS at_risk,"
    " (SELECT jsonb_agg(to_jsonb(q) ORDER BY q.key) FROM (SELECT"
    "  s.cause AS key, NULL::text AS label, count(tc.id) AS n,"
    "  count(tc.id) FILTER (WHERE tc.overdue) AS overdue,"
    "  percentile_disc(0.5) WITHIN GROUP (ORDER BY tc.age) AS median,"
    "  max(tc.age) AS max FROM (VALUES"
    "  ('certificate_expired'), ('certificate_revoked'),"
    "  ('certificate_suspended'), ('vendor_closed'), ('vendor_suspended'))"
    "  s (cause) LEFT JOIN tc ON tc.cause = s.cause GROUP BY s.cause) q)"
    "  AS by_cause,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', t.id::text,"
    "  'label', t.title, 'agency', report_name(a.name_ko, a.name_en,"
    "  $7::text), 'vendor', report_name(v.name_ko, v.name_en, $7::text),"
    "  'cause', t.cause, 'opened', to_char(t.opened_at AT TIME ZONE " KST
    ", 'YYYY-MM-DD'), 'age', t.age, 'deadline', to_char(t.deadline,"
    "  'YYYY-MM-DD'), 'overdue', CASE WHEN t.overdue THEN 'yes' ELSE 'no'"
    "  END) ORDER BY t.opened_at, t.id), '[]') FROM (SELECT * FROM tc"
    "  ORDER BY opened_at, id LIMIT 300) t JOIN organisations a"
    "  ON a.id = t.org_id JOIN organisations v ON v.id = t.vendor_id)"
    "  AS cases,"
    " (SELECT jsonb_build_object('revoked_in_period', count(*)) FROM"
    "  certificate_events e JOIN ct ON ct.id = e.certificate_id WHERE"
    "  e.to_status = 'revoked' AND (e.at AT TIME ZONE " KST ")::date"
    "  >= $1::date AND (e.at AT TIME ZONE " KST ")::date < $2::date)"
    "  AS total";

/* The catalog in the G-Cloud table's shape, and the review queue. */
static const struct rpt_col c_gcloud[] = {
	{ "key", "report.col.key", "year", K_KEY, NULL },
	{ "label", "report.col.year", "year_label", K_LABEL, NULL },
	{ "suppliers", "report.col.suppliers", "suppliers", K_NUM, NULL },
	{ "sme_pm", "report.col.sme_suppliers", "sme_suppliers_permille", K_PM,
	    NULL },
	{ "services", "report.col.services", "services", K_NUM, NULL },
	{ "contracts", "report.col.new", "contracts_signed", K_INT, NULL },
	{ "total", "report.col.spend", "x_BilledCostInclVat", K_WON, NULL },
};
static const struct rpt_col c_review[] = {
	{ "key", "report.col.key", "month", K_KEY, NULL },
	{ "label", "report.col.month", "month_label", K_LABEL, NULL },
	{ "received", "report.col.received", "received", K_INT, NULL },
	{ "decided", "report.col.decided", "decided", K_INT, NULL },
	{ "approved", "report.col.approved", "approved", K_INT, NULL },
	{ "refused", "report.col.refused", "rejected_or_changes", K_INT, NULL },
	{ "median", "report.col.median_wait", "median_wait_working_days",
	    K_NUM, NULL },
	{ "p90", "report.col.p90_wait", "p90_wait_working_days", K_NUM, NULL },
	{ "within_5", "report.col.within_5", "within_5_working_days_permille",
	    K_PM, NULL },
};
static const struct rpt_col c_backlog[] = {
	{ "key", "report.col.key", "kind", K_KEY, NULL },
	{ "label", "report.col.kind", "kind_name", K_LABEL, "report.review." },
	{ "n", "report.col.waiting", "waiting", K_INT, NULL },
	{ "median", "report.col.median_age", "median_age_working_days", K_NUM,
	    NULL },
	{ "max", "report.col.max_age", "max_age_working_days", K_NUM, NULL },
};
static const struct rpt_table t_catalog[] = {
	{ "gcloud", "report.t.gcloud", c_gcloud, N(c_gcloud), "total", 0, 0 },
	{ "review", "report.t.review", c_review, N(c_review), "received", 1, 0 },
	{ "backlog", "report.t.backlog", c_backlog, N(c_backlog), NULL, 1, 0 },
};

/* Listings on the catalog now, with the day each was first published. */
/*
 * The catalog per year: listings published now with the year each was
 * first published (its first version, else its creation, Korea time);
 * a vendor counts from its first such listing's year. Cumulative counts
 * by year, so every year is one pass.
 */
#define GCLOUD_LS \
    " fv AS (SELECT listing_id, min(created_at) AS at FROM listing_versions" \
    "  GROUP BY listing_id)," \
    " ls AS MATERIALIZED (SELECT l.id, l.vendor_id, v.company_size," \
    "  extract(year FROM coalesce(fv.at, l.created_at) AT TIME ZONE " KST \
    "  )::integer AS y FROM listings l JOIN organisations v" \
    "  ON v.id = l.vendor_id LEFT JOIN fv ON fv.listing_id = l.id" \
    "  WHERE l.status = 'published' AND v.status = 'approved'" \
    "  AND ($4::bigint IS NULL OR l.vendor_id = $4::bigint)" \
    "  AND ($5::text IS NULL OR l.service_type = $5::text)),"
/* Spend per fiscal year: pc's rows, summed by year instead of contract. */
#define GCLOUD_SP \
    " sp AS (SELECT f.fy AS y, sum(f.total)::bigint AS total FROM report_cfy f" \
    "  WHERE " YEARS " AND " FYS("f.fy") KEEP("f") " GROUP BY 1" \
    "  UNION ALL SELECT extract(year FROM i.month)::integer," \
    "  sum(i.total_won)::bigint FROM invoices i WHERE NOT " YEARS \
    " AND " COUNTED("i") " AND " INPERIOD("i.month") KEEP("i") \
    " GROUP BY 1)," GCLOUD_YC
#define GCLOUD_YC \
    " kc AS (SELECT extract(year FROM c.activated_at AT TIME ZONE " KST \
    "  )::integer AS y, count(*) AS n FROM contracts c" \
    "  JOIN kd ON kd.id = c.id WHERE c.activated_at IS NOT NULL" \
    "  AND c.status IN ('active', 'suspended', 'ended') GROUP BY 1)," \
    " vy AS (SELECT vendor_id, min(y) AS y, bool_or(company_size = 'sme')" \
    "  AS sme FROM ls GROUP BY vendor_id)," \
    " yc AS (SELECT y.y, (SELECT count(*) FROM vy WHERE vy.y <= y.y)" \
    "  AS suppliers, (SELECT count(*) FROM vy WHERE vy.y <= y.y AND" \
    "  vy.sme) AS sme, (SELECT count(*) FROM ls WHERE ls.y <= y.y)" \
    "  AS services FROM generate_series(extract(year FROM $1::date)" \
    "  ::integer, extract(year FROM $2::date - 1)::integer) y (y))"
#define GCLOUD_SELECT \
    " (SELECT jsonb_agg(jsonb_build_object('key', yc.y, 'label'," \
    "  yc.y::text, 'suppliers', yc.suppliers, 'sme_pm', " \
    PM("yc.sme", "yc.suppliers") ", 'services', yc.services, 'contracts'," \
    "  coalesce(kc.n, 0), 'total', coalesce(sp.total, 0)) ORDER BY yc.y)" \
    "  FROM yc LEFT JOIN sp ON sp.y = yc.y LEFT JOIN kc ON kc.y = yc.y)" \
    "  AS gcloud"

/* Working days (Monday to Friday) from a to b, dates in Korea time. */
#define WD(a, b) "(SELECT count(*) FROM generate_series((" a " AT TIME ZONE " \
	KST ")::date, (" b " AT TIME ZONE " KST ")::date - 1, interval" \
	" '1 day') d WHERE extract(isodow FROM d) < 6)::integer"

static const char catalog_sql[] =
    "WITH" KD GCLOUD_LS GCLOUD_SP ","
    " rv AS MATERIALIZED (SELECT r.kind, r.created_at, r.decided_at,"
    "  r.decision, CASE WHEN r.decided_at IS NOT NULL THEN "
    WD("r.created_at", "r.decided_at") " END AS wait, CASE WHEN"
    "  r.decided_at IS NULL THEN " WD("r.created_at", "now()") " END"
    "  AS age FROM listing_reviews r JOIN listings l ON l.id = r.listing_id"
    "  WHERE r.kind IN ('submission', 'change')"
    "  AND ($4::bigint IS NULL OR l.vendor_id = $4::bigint)"
    "  AND ($5::text IS NULL OR l.service_type = $5::text)"
    "  AND ($3::bigint IS NULL AND $6::text IS NULL OR false)),"
    " rm AS (SELECT date_trunc('month', created_at AT TIME ZONE " KST ")"
    "  ::date AS month, count(*) AS received, count(decided_at) AS decided,"
    "  count(*) FILTER (WHERE decision = 'approved') AS approved,"
    "  count(*) FILTER (WHERE decision IN ('rejected',"
    "  'changes_requested')) AS refused, percentile_disc(0.5) WITHIN"
    "  GROUP (ORDER BY wait) AS median, percentile_disc(0.9) WITHIN GROUP"
    "  (ORDER BY wait) AS p90, " PM("count(*) FILTER (WHERE wait <= 5)",
    "count(decided_at)") " AS within_5 FROM rv"
    "  WHERE " INPERIOD("(created_at AT TIME ZONE " KST ")::date")
    "  GROUP BY 1)"
    " SELECT" GCLOUD_SELECT ","
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', to_char("
    "  rm.month, 'YYYY-MM-DD'), 'label', to_char(rm.month, 'YYYY-MM'),"
    "  'received', rm.received, 'decided', rm.decided, 'approved',"
    "  rm.approved, 'refused', rm.refused, 'median', rm.median, 'p90',"
    "  rm.p90, 'within_5', rm.within_5) ORDER BY rm.month), '[]') FROM rm)"
    "  AS review,"
    " (SELECT jsonb_agg(to_jsonb(q) ORDER BY q.key) FROM (SELECT"
    "  s.kind AS key, NULL::text AS label, count(rv.kind) AS n,"
    "  percentile_disc(0.5) WITHIN GROUP (ORDER BY rv.age) AS median,"
    "  max(rv.age) AS max FROM (VALUES ('change'), ('submission'))"
    "  s (kind) LEFT JOIN rv ON rv.kind = s.kind AND rv.decided_at IS NULL"
    "  GROUP BY s.kind) q) AS backlog,"
    " (SELECT jsonb_build_object('lang', $7::text)) AS total";

/* Vendors' own statistics. */
static const struct rpt_col c_vmonth[] = {
	{ "key", "report.col.key", "month", K_KEY, NULL },
	{ "label", "report.col.month", "month_label", K_LABEL, NULL },
	{ "views", "report.col.views", "views", K_INT, NULL },
	{ "shortlisted", "report.col.shortlisted", "shortlist_additions", K_INT,
	    NULL },
	{ "quotes", "report.col.quotes", "quote_requests", K_INT, NULL },
	{ "contracts", "report.col.new", "contracts_signed", K_INT, NULL },
	{ "supply", "report.col.supply", "BilledCost", K_WON, NULL },
	{ "total", "report.col.total", "x_BilledCostInclVat", K_WON, NULL },
};
static const struct rpt_col c_vlisting[] = {
	{ "key", "report.col.key", "listing_id", K_KEY, NULL },
	{ "label", "report.col.service", "ServiceName", K_LABEL, NULL },
	{ "views", "report.col.views", "views", K_INT, NULL },
	{ "shortlisted", "report.col.shortlisted", "shortlist_additions", K_INT,
	    NULL },
	{ "quotes", "report.col.quotes", "quote_requests", K_INT, NULL },
	{ "contracts", "report.col.new", "contracts_signed", K_INT, NULL },
	{ "supply", "report.col.supply", "BilledCost", K_WON, NULL },
	{ "total", "report.col.total", "x_BilledCostInclVat", K_WON, NULL },
};
static const struct rpt_table t_vstats[] = {
	{ "by_month", "report.t.vendor_by_month", c_vmonth, N(c_vmonth),
	    "total", 1, 0 },
	{ "by_listing", "report.t.vendor_by_listing", c_vlisting,
	    N(c_vlisting), "views", 1, 0 },
};

static const char vstats_sql[] =
    "WITH" KD CI("$1::date") " ls AS MATERIALIZED (SELECT l.id, l.name_ko, l.name_en FROM"
    "  listings l WHERE ($4::bigint IS NULL OR l.vendor_id = $4::bigint)"
    "  AND ($5::text IS NULL OR l.service_type = $5::text)),"
    " ev AS (SELECT date_trunc('month', v.day)::date AS month, v.listing_id,"
    "  v.views AS views, 0::bigint AS sh, 0::bigint AS qr, 0::bigint AS kc,"
    "  0::bigint AS supply, 0::bigint AS total FROM listing_views v"
    "  JOIN ls ON ls.id = v.listing_id WHERE " INPERIOD("v.day")
    "  AND $3::bigint IS NULL AND $6::text IS NULL"
    "  UNION ALL SELECT date_trunc('month', s.added_at AT TIME ZONE " KST
    "  )::date, s.listing_id, 0, 1, 0, 0, 0, 0 FROM shortlist_items s"
    "  JOIN ls ON ls.id = s.listing_id JOIN shortlists h ON h.id ="
    "  s.shortlist_id JOIN organisations a ON a.id = h.org_id WHERE"
    "  " INPERIOD("(s.added_at AT TIME ZONE " KST ")::date")
    "  AND ($3::bigint IS NULL OR h.org_id = $3::bigint)"
    "  AND ($6::text IS NULL OR a.agency_type = $6::text)"
    "  UNION ALL SELECT date_trunc('month', q.created_at AT TIME ZONE " KST
    "  )::date, q.listing_id, 0, 0, 1, 0, 0, 0 FROM quote_requests q"
    "  JOIN ls ON ls.id = q.listing_id JOIN organisations a ON a.id ="
    "  q.org_id WHERE " INPERIOD("(q.created_at AT TIME ZONE " KST ")::date")
    "  AND ($3::bigint IS NULL OR q.org_id = $3::bigint)"
    "  AND ($6::text IS NULL OR a.agency_type = $6::text)"
    "  UNION ALL SELECT date_trunc('month', c.activated_at AT TIME ZONE "
    KST ")::date, c.listing_id, 0, 0, 0, 1, 0, 0 FROM contracts c"
    "  JOIN ls ON ls.id = c.listing_id JOIN organisations a ON a.id ="
    "  c.org_id WHERE c.activated_at IS NOT NULL AND c.status IN ('active',"
    "  'suspended', 'ended') AND " INPERIOD("(c.activated_at AT TIME ZONE "
    KST ")::date") " AND ($3::bigint IS NULL OR c.org_id = $3::bigint)"
    "  AND ($6::text IS NULL OR a.agency_type = $6::text)"
    "  UNION ALL SELECT ci.month, kd.listing_id, 0, 0, 0, 0, ci.supply_won,"
    "  ci.total_won FROM ci JOIN kd ON kd.id = ci.contract_id"
    "  JOIN ls ON ls.id = kd.listing_id),"
    " bl AS (SELECT listing_id, sum(views)::bigint AS views,"
    "  sum(sh)::bigint AS sh, sum(qr)::bigint AS qr, sum(kc)::bigint AS kc,"
    "  sum(supply)::bigint AS supply, sum(total)::bigint AS total"
    "  FROM ev GROUP BY 1),"
    " bm AS (SELECT month, sum(views)::bigint AS views, sum(sh)::bigint"
    "  AS sh, sum(qr)::bigint AS qr, sum(kc)::bigint AS kc, sum(supply)"
    "  ::bigint AS supply, sum(total)::bigint AS total FROM ev GROUP BY 1)"
    " SELECT (SELECT jsonb_agg(jsonb_build_object('key', to_char(m.month,"
    "  'YYYY-MM-DD'), 'label', to_char(m.month, 'YYYY-MM'), 'views',"
    "  coalesce(bm.views, 0), 'shortlisted', coalesce(bm.sh, 0), 'quotes',"
    "  coalesce(bm.qr, 0), 'contracts', coalesce(bm.kc, 0), 'supply',"
    "  coalesce(bm.supply, 0), 'total', coalesce(bm.total, 0))"
    "  ORDER BY m.month) FROM generate_series($1::date, $2::date"
    "  - interval '1 month', interval '1 month') m (month)"
    "  LEFT JOIN bm ON bm.month = m.month) AS by_month,"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('key', bl.listing_id,"
    "  'label', report_name(ls.name_ko, ls.name_en, $7::text), 'views',"
    "  bl.views, 'shortlisted', bl.sh, 'quotes', bl.qr, 'contracts',"
    "  bl.kc, 'supply', bl.supply, 'total', bl.total) ORDER BY bl.total"
    "  DESC, bl.views DESC, bl.listing_id), '[]') FROM bl"
    "  JOIN ls ON ls.id = bl.listing_id) AS by_listing,"
    " (SELECT jsonb_build_object('views', coalesce(sum(views), 0)::bigint,"
    "  'total', coalesce(sum(total), 0)::bigint) FROM ev) AS total";

/* The public transparency page. */
static const struct rpt_col c_tsum[] = {
	{ "contracts", "report.col.in_force", "contracts_in_force", K_INT,
	    NULL },
	{ "new", "report.col.new", "contracts_signed", K_INT, NULL },
	{ "vendors", "report.col.vendors_paid", "vendors_paid", K_INT, NULL },
	{ "supply", "report.col.supply", "BilledCost", K_WON, NULL },
	{ "vat", "report.col.vat", "x_VatWon", K_WON, NULL },
	{ "total", "report.col.total", "x_BilledCostInclVat", K_WON, NULL },
	{ "sme_pm", "report.col.sme_amount", "sme_amount_permille", K_PM,
	    NULL },
	{ "sme_vendors_pm", "report.col.sme_vendors", "sme_vendors_permille",
	    K_PM, NULL },
};
#define T_COLS(k, l, c, pfx) \
	{ "key", "report.col.key", c, K_KEY, NULL }, \
	{ "label", l, k, K_LABEL, pfx }, \
	{ "contracts", "report.col.contracts", "contracts", K_INT, NULL }, \
	{ "supply", "report.col.supply", "BilledCost", K_WON, NULL }, \
	{ "total", "report.col.total", "x_BilledCostInclVat", K_WON, NULL }, \
	{ "share", "report.col.share", "x_SharePermille", K_SHARE, NULL }
static const struct rpt_col c_tvendor[] = { T_COLS("ProviderName",
    "report.col.vendor", "x_ProviderId", NULL),
    { "company_size", "report.col.size", "x_VendorSize", K_ENUM,
    "report.size." } };
static const struct rpt_col c_tatype[] = { T_COLS("x_AgencyTypeName",
    "report.col.agency_type", "x_AgencyType", "report.agency_type.") };
static const struct rpt_col c_tstype[] = { T_COLS("x_ServiceTypeName",
    "report.col.service_type", "x_ServiceType", "report.type.") };
static const struct rpt_table t_transparency[] = {
	{ "summary", "report.t.summary", c_tsum, N(c_tsum), NULL, 0, 0 },
	{ "by_agency_type", "report.t.by_agency_type", c_tatype, N(c_tatype),
	    "total", 1, 0 },
	{ "by_service_type", "report.t.by_service_type", c_tstype,
	    N(c_tstype), "total", 1, 0 },
	{ "by_vendor", "report.t.by_vendor", c_tvendor, N(c_tvendor), "total",
	    1, 0 },
	{ "gcloud", "report.t.gcloud", c_gcloud, N(c_gcloud), NULL, 0, 0 },
};

#define TAGG(dim, obj, from, order) \
	" (SELECT coalesce(jsonb_agg(jsonb_build_object(" obj ", 'contracts'," \
	" g.contracts, 'supply', g.supply, 'total', g.total) ORDER BY " order \
	"), '[]') FROM g" from " WHERE g.dim = '" dim "')"
static const char transparency_sql[] =
    "WITH" KD PC CONTRACTS_K "," GCLOUD_LS GCLOUD_SP ","
    " g AS (SELECT CASE WHEN GROUPING(k.vendor_id) = 0 THEN 'vendor'"
    "  WHEN GROUPING(k.agency_type) = 0 THEN 'agency_type'"
    "  WHEN GROUPING(k.service_type) = 0 THEN 'service_type' ELSE 'total'"
    "  END AS dim, k.vendor_id, k.agency_type, k.service_type,"
    "  count(*) AS contracts, coalesce(sum(p.supply), 0)::bigint AS supply,"
    "  coalesce(sum(p.vat), 0)::bigint AS vat,"
    "  coalesce(sum(p.total), 0)::bigint AS total,"
    "  coalesce(sum(p.total) FILTER (WHERE k.company_size = 'sme'), 0)"
    "  ::bigint AS sme_total, bool_or(k.company_size = 'sme') AS sme"
    "  FROM pc p JOIN kd k ON k.id = p.contract_id"
    "  GROUP BY GROUPING SETS ((k.vendor_id), (k.agency_type),"
    "  (k.service_type), ()))"
    " SELECT (SELECT jsonb_agg(jsonb_build_object('contracts', (SELECT"
    "  count(*) FROM k WHERE in_force), 'new', (SELECT count(*) FROM k WHERE"
    "  " INPERIOD("act_day") "), 'vendors', x.vendors, 'supply', g.supply,"
    "  'vat', g.vat, 'total', g.total, 'sme_pm', " PM("g.sme_total",
    "g.total") ", 'sme_vendors_pm', " PM("x.sme", "x.vendors") "))"
    /* Vendors paid: one vendor row of g each (no DISTINCT in g's sets). */
    "  FROM g, (SELECT count(*) AS vendors, count(*) FILTER (WHERE sme)"
    "  AS sme FROM g WHERE dim = 'vendor') x WHERE g.dim = 'total')"
    "  AS summary,"
    TAGG("agency_type", "'key', g.agency_type, 'label', NULL", "",
    "g.total DESC, g.agency_type") " AS by_agency_type,"
    TAGG("service_type", "'key', g.service_type, 'label', NULL", "",
    "g.total DESC, g.service_type") " AS by_service_type,"
    TAGG("vendor", "'key', g.vendor_id, 'label', report_name(o.name_ko,"
    " o.name_en, $7::text), 'company_size', coalesce(o.company_size,"
    " 'unknown')", " JOIN organisations o ON o.id = g.vendor_id",
    "g.total DESC, g.vendor_id") " AS by_vendor,"
    GCLOUD_SELECT ","
    " (SELECT jsonb_build_object('supply', g.supply, 'vat', g.vat, 'total',"
    "  g.total, 'contracts', g.contracts) FROM g WHERE g.dim = 'total')"
    " AS total";

/* A report statement through report_cached() (sql/0023_reports.sql). */
static const char rpt_cached_sql[] =
    "SELECT report_cached($8, $9, $1::date, $2::date, $3::bigint,"
    " $4::bigint, $5::text, $6::text, $7::text, $10::text[])";

static const struct rpt_def rpt_defs[] = {
	{ "spend", "/reports/spend", "report.spend", spend_sql, t_spend,
	    N(t_spend), 0, RPT_PARTIES },
	{ "sme", "/reports/sme", "report.sme", sme_sql, t_sme, N(t_sme), 0,
	    RPT_PARTIES },
	{ "contracts", "/reports/contracts", "report.contracts", contracts_sql,
	    t_contracts, N(t_contracts), 0, RPT_PARTIES },
	{ "ceilings", "/reports/ceilings", "report.ceilings", ceilings_sql,
	    t_ceilings, N(t_ceilings), 0, RPT_PARTIES },
	{ "certificates", "/reports/certificates", "report.certificates",
	    certs_sql, t_certs, N(t_certs), 0, RPT_PARTIES },
	{ "catalog", "/reports/catalog", "report.catalog", catalog_sql,
	    t_catalog, N(t_catalog), 1, RPT_OPS },
	{ "vendor_stats", "/vendor/stats", "report.vendor_stats", vstats_sql,
	    t_vstats, N(t_vstats), 0, RPT_PARTIES },
	{ "transparency", "/transparency", "report.transparency",
	    transparency_sql, t_transparency, N(t_transparency), 0,
	    RPT_PUBLIC },
};

/* A principal that sees its own slice: its users and its API keys. */
#define RPT_AGENCY	(ROLES_AGENCY | ROLE_KEY_AGENCY)
#define RPT_VENDOR	(ROLES_VENDOR | ROLE_KEY_VENDOR)

#define D_SPEND		0
#define D_SME		1
#define D_CONTRACTS	2
#define D_CEILINGS	3
#define D_CERTS		4
#define D_CATALOG	5
#define D_VSTATS	6
#define D_TRANSPARENCY	7

static const char *const service_types[] = { "iaas", "paas", "saas", "daas",
    "support" };
static const char *const agency_types[] = { "central", "metropolitan",
    "basic", "institution" };

enum rpt_out { OUT_PAGE, OUT_CSV };

static int	 rpt_run(struct http_request *, const struct rpt_def *,
		    enum rpt_out);
static enum app_err rpt_filter_read(struct http_request *,
		    const struct rpt_def *, struct rpt_filter *,
		    const char **);
static int	 rpt_id(const char *, char *, size_t);
static int	 rpt_oneof(const char *, const char *const *, size_t);
static json_t	*rpt_echo(struct http_request *, const struct rpt_def *);
static void	 rpt_qs(struct http_request *, struct kore_buf *,
		    const char *);
static int	 rpt_form(struct http_request *, const struct rpt_def *,
		    int, enum app_err, const char *, json_t *);
static json_t	*rpt_table_view(struct http_request *,
		    const struct rpt_table *, json_t *, const char *);
static char	*rpt_cell(struct http_request *, const struct rpt_col *,
		    json_t *, int64_t, int);
static int64_t	 rpt_int(json_t *, const char *);
static void	 rpt_json_labels(struct http_request *,
		    const struct rpt_table *, json_t *);
static int	 rpt_csv(struct http_request *, const struct rpt_def *,
		    const struct rpt_table *, json_t *);
static int	 rpt_csv_focus(struct http_request *, json_t *);
static void	 rpt_csv_send(struct http_request *, struct kore_buf *,
		    const char *);
static void	 rpt_csv_num(struct kore_buf *, const char *, int);
static json_t	*rpt_nav(struct http_request *, const struct rpt_def *);
static int	 rpt_allowed(struct app_req *, const struct rpt_def *);
static void	 rpt_today(int *, int *, int *);

/*
 * GET /reports and /api/v1/reports: the reports the caller may open, with
 * what each shows.
 */
int
report_index(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*vm;

	ar = app_req(req);
	vm = json_pack("{s:s, s:o}", "title", web_str(req, "report.index"),
	    "reports", rpt_nav(req, NULL));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "report_index", vm));
}

/*
 * The report pages (HTML, or JSON under /api/v1 or when asked for) and
 * their CSV exports: filters from, to (YYYY-MM), fy (YYYY), agency,
 * vendor (ids), type (service type), agency_type; CSV also table. 400
 * naming the filter that is not valid (the form keeps what was typed);
 * 404 for another organisation's agency or vendor.
 */
int
report_spend(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_SPEND], OUT_PAGE));
}

int
report_spend_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_SPEND], OUT_CSV));
}

int
report_sme(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_SME], OUT_PAGE));
}

int
report_sme_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_SME], OUT_CSV));
}

int
report_contracts(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CONTRACTS], OUT_PAGE));
}

int
report_contracts_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CONTRACTS], OUT_CSV));
}

int
report_ceilings(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CEILINGS], OUT_PAGE));
}

int
report_ceilings_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CEILINGS], OUT_CSV));
}

int
report_certificates(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CERTS], OUT_PAGE));
}

int
report_certificates_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CERTS], OUT_CSV));
}

int
report_catalog(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CATALOG], OUT_PAGE));
}

int
report_catalog_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_CATALOG], OUT_CSV));
}

/* GET /vendor/stats: a vendor's own statistics (the office: any vendor). */
int
report_vendor_stats(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_VSTATS], OUT_PAGE));
}

int
report_vendor_stats_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_VSTATS], OUT_CSV));
}

/*
 * GET /transparency (and /transparency.json, /api/v1/transparency) and
 * /transparency.csv: public, no sign-in; filters from, to, fy, type,
 * agency_type only.
 */
int
report_transparency(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_TRANSPARENCY], OUT_PAGE));
}

int
report_transparency_json(struct http_request *req)
{
	app_req(req)->json = 1;
	return (rpt_run(req, &rpt_defs[D_TRANSPARENCY], OUT_PAGE));
}

int
report_transparency_csv(struct http_request *req)
{
	return (rpt_run(req, &rpt_defs[D_TRANSPARENCY], OUT_CSV));
}

static int
rpt_run(struct http_request *req, const struct rpt_def *def, enum rpt_out out)
{
	struct app_req		*ar;
	struct rpt_filter	 f;
	const struct rpt_table	*t;
	const char		*params[10], *field, *tname;
	enum app_err		 err;
	json_t			*row, *vm, *tables, *list, *tv;
	struct kore_buf		 qb, tb;
	char			 key[256], top[256];
	size_t			 i;
	int			 rc, focus, y, m, d;

	ar = app_req(req);
	if ((err = rpt_filter_read(req, def, &f, &field)) != APP_OK) {
		if (out == OUT_CSV || ar->json || err == APP_ENOTFOUND)
			return (web_error(req, err, field, NULL));
		return (rpt_form(req, def, 400, err, field, NULL));
	}
	t = NULL;
	focus = 0;
	if (out == OUT_CSV) {
		tname = qs_get(&ar->qs, "table");
		if (tname == NULL || *tname == '\0')
			tname = def->tables[0].key;
		if (def == &rpt_defs[D_SPEND] && strcmp(tname, "focus") == 0)
			focus = 1;
		for (i = 0; !focus && i < def->ntables; i++) {
			if (strcmp(def->tables[i].key, tname) == 0)
				t = &def->tables[i];
		}
		if (t == NULL && !focus)
			return (web_error(req, APP_EINVAL, "table", NULL));
	}
	params[0] = f.d0;
	params[1] = f.d1;
	params[2] = f.agency[0] != '\0' ? f.agency : NULL;
	params[3] = f.vendor[0] != '\0' ? f.vendor : NULL;
	params[4] = f.type;
	params[5] = f.atype;
	params[6] = ar->lang;
	rpt_today(&y, &m, &d);
	(void)snprintf(key, sizeof(key), "%s|%s|%s|%s|%s|%s|%s|%s|%04d-%02d-%02d",
	    def->name, f.d0, f.d1, f.agency, f.vendor, f.type != NULL ? f.type :
	    "", f.atype != NULL ? f.atype : "", ar->lang, y, m, d);
	params[7] = key;
	params[8] = def->sql;
	/* The HTML page reads the long tables trimmed (report_trim()). */
	params[9] = NULL;
	if (out == OUT_PAGE && !ar->json) {
		kore_buf_init(&tb, 64);
		for (i = 0; i < def->ntables; i++) {
			if (def->tables[i].sum || def->tables[i].list)
				kore_buf_appendf(&tb, "%s%s%s", tb.offset > 0 ?
				    "," : "{", def->tables[i].sum ? "" : "-",
				    def->tables[i].key);
		}
		kore_buf_appendf(&tb, "%s}", tb.offset > 0 ? "" : "{");
		(void)kore_strlcpy(top, kore_buf_stringify(&tb, NULL),
		    sizeof(top));
		kore_buf_cleanup(&tb);
		params[9] = top;
	}
	/*
	 * Everything but the FOCUS ledger and the sales statistics (their
	 * views change with every service page) goes through the cache.
	 */
	if (focus)
		rc = db_call(req, &ar->db[0], spend_focus_sql, 7, params);
	else if (def == &rpt_defs[D_VSTATS])
		rc = db_call(req, &ar->db[0], def->sql, 7, params);
	else
		rc = db_call(req, &ar->db[0], rpt_cached_sql, 10, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if (focus)
		return (rpt_csv_focus(req, ar->db[0].rows));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (def != &rpt_defs[D_VSTATS]) {
		/* json_is_object() evaluates its argument twice. */
		row = json_object_get(row, "report_cached");
		if (!json_is_object(row))
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	if (out == OUT_CSV)
		return (rpt_csv(req, def, t, json_object_get(row, t->key)));

	if (ar->json) {
		tables = json_object();
		for (i = 0; i < def->ntables; i++) {
			list = json_object_get(row, def->tables[i].key);
			rpt_json_labels(req, &def->tables[i], list);
			json_object_set_new(tables, def->tables[i].key,
			    json_pack("{s:s, s:O}", "caption", web_str(req,
			    def->tables[i].caption), "rows", json_is_array(
			    list) ? list : json_array()));
		}
		vm = json_pack("{s:s, s:s, s:o, s:o, s:O}", "report", def->name,
		    "title", web_str(req, def->title), "filters",
		    rpt_echo(req, def), "tables", tables, "total",
		    json_object_get(row, "total") != NULL ?
		    json_object_get(row, "total") : json_null());
		if (vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		json_object_set_new(json_object_get(vm, "filters"), "from_date",
		    json_string(f.d0));
		json_object_set_new(json_object_get(vm, "filters"), "to_date",
		    json_string(f.d1));
		ar->vm = vm;
		return (web_json(req, 200, vm));
	}

	tables = json_array();
	kore_buf_init(&qb, 128);
	rpt_qs(req, &qb, NULL);
	for (i = 0; i < def->ntables; i++) {
		tv = rpt_table_view(req, &def->tables[i], json_object_get(row,
		    def->tables[i].key), kore_buf_stringify(&qb, NULL));
		if (tv != NULL) {
			json_object_set_new(tv, "csv_url", json_sprintf(
			    "%s.csv?table=%s%s%s", def->path,
			    def->tables[i].key, qb.offset > 0 ? "&" : "",
			    kore_buf_stringify(&qb, NULL)));
			json_array_append_new(tables, tv);
		}
	}
	vm = json_pack("{s:o}", "tables", tables);
	if (def == &rpt_defs[D_SPEND])
		json_object_set_new(vm, "focus_url", json_sprintf(
		    "%s.csv?table=focus%s%s", def->path, qb.offset > 0 ? "&" :
		    "", kore_buf_stringify(&qb, NULL)));
	json_object_set_new(vm, "json_url", json_sprintf("%s%s%s",
	    def == &rpt_defs[D_TRANSPARENCY] ? "/transparency.json" :
	    def == &rpt_defs[D_VSTATS] ? "/api/v1/vendor/stats" : "",
	    qb.offset > 0 ? "?" : "", kore_buf_stringify(&qb, NULL)));
	if (def != &rpt_defs[D_TRANSPARENCY] && def != &rpt_defs[D_VSTATS])
		json_object_set_new(vm, "json_url", json_sprintf(
		    "/api/v1/reports/%s%s%s", def->name, qb.offset > 0 ?
		    "?" : "", kore_buf_stringify(&qb, NULL)));
	kore_buf_cleanup(&qb);
	return (rpt_form(req, def, 200, APP_OK, NULL, vm));
}

/*
 * Renders the report page: the tables of vm (NULL: none, after a bad
 * filter), the filter form with what was typed, the other reports.
 */
static int
rpt_form(struct http_request *req, const struct rpt_def *def, int status,
    enum app_err err, const char *field, json_t *vm)
{
	struct app_req	*ar;
	const char	*s;
	json_t		*fe, *years, *opts;
	char		 key[64];
	size_t		 i;
	int		 y, m, d;

	ar = app_req(req);
	if (vm == NULL)
		vm = json_object();
	ar->vm = vm;
	json_object_set_new(vm, "title", json_string(web_str(req, def->title)));
	(void)snprintf(key, sizeof(key), "%s_intro", def->title);
	json_object_set_new(vm, "intro", json_string(web_str(req, key)));
	json_object_set_new(vm, "report", json_string(def->name));
	json_object_set_new(vm, "action", json_string(def->path));
	json_object_set_new(vm, "filters", rpt_echo(req, def));
	json_object_set_new(vm, "public", json_boolean(def->who ==
	    RPT_PUBLIC));
	json_object_set_new(vm, "nav_reports", def->who == RPT_PUBLIC ?
	    json_array() : rpt_nav(req, def));
	json_object_set_new(vm, "show_agency", json_boolean(def->who !=
	    RPT_PUBLIC && !(ar->who.role & RPT_AGENCY)));
	json_object_set_new(vm, "show_vendor", json_boolean(def->who !=
	    RPT_PUBLIC && !(ar->who.role & RPT_VENDOR)));
	s = qs_get(&ar->qs, "vendor");
	json_object_set_new(vm, "need_vendor", json_boolean(def ==
	    &rpt_defs[D_VSTATS] && !(ar->who.role & RPT_VENDOR) &&
	    (s == NULL || *s == '\0')));

	rpt_today(&y, &m, &d);
	years = json_array();
	for (i = 0; i <= (size_t)(y + 1 - YEAR_FIRST); i++)
		json_array_append_new(years, json_pack("{s:i, s:b}", "year",
		    y + 1 - (int)i, "selected", qs_get(&ar->qs, "fy") != NULL &&
		    atoi(qs_get(&ar->qs, "fy")) == y + 1 - (int)i));
	json_object_set_new(vm, "years", years);
	opts = json_array();
	for (i = 0; i < N(service_types); i++) {
		(void)snprintf(key, sizeof(key), "report.type.%s",
		    service_types[i]);
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", service_types[i], "label", web_str(req, key),
		    "selected", qs_get(&ar->qs, "type") != NULL &&
		    strcmp(qs_get(&ar->qs, "type"), service_types[i]) == 0));
	}
	json_object_set_new(vm, "types", opts);
	opts = json_array();
	for (i = 0; i < N(agency_types); i++) {
		(void)snprintf(key, sizeof(key), "report.agency_type.%s",
		    agency_types[i]);
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", agency_types[i], "label", web_str(req, key),
		    "selected", qs_get(&ar->qs, "agency_type") != NULL &&
		    strcmp(qs_get(&ar->qs, "agency_type"),
		    agency_types[i]) == 0));
	}
	json_object_set_new(vm, "agency_types", opts);
	if (err != APP_OK) {
		fe = json_object();
		json_object_set_new(fe, field, json_true());
		json_object_set_new(vm, "filter_error", fe);
		json_object_set_new(vm, "error", json_pack("{s:s, s:s}",
		    "field", field, "message", web_str(req, "report.bad_filter")));
		json_object_set_new(vm, "errors", json_pack("[{s:s, s:s}]",
		    "field", field, "message", web_str(req,
		    "report.bad_filter")));
	}
	return (web_page(req, status, "report", vm));
}

/* The filters of def as typed, for the form and the JSON answer. */
static json_t *
rpt_echo(struct http_request *req, const struct rpt_def *def)
{
	struct app_req	*ar;
	const char	*names[] = { "from", "to", "fy", "agency", "vendor",
	    "type", "agency_type" };
	const char	*s;
	json_t		*o;
	size_t		 i;

	(void)def;
	ar = app_req(req);
	o = json_object();
	for (i = 0; i < N(names); i++) {
		s = qs_get(&ar->qs, names[i]);
		json_object_set_new(o, names[i], json_string(s != NULL ? s :
		    ""));
	}
	return (o);
}

/* The filters as a query string (escaped), except the one named skip. */
static void
rpt_qs(struct http_request *req, struct kore_buf *b, const char *skip)
{
	struct app_req	*ar;
	const char	*names[] = { "from", "to", "fy", "agency", "vendor",
	    "type", "agency_type" };
	const char	*s;
	char		 enc[256];
	size_t		 i;

	ar = app_req(req);
	for (i = 0; i < N(names); i++) {
		if (skip != NULL && strcmp(skip, names[i]) == 0)
			continue;
		if ((s = qs_get(&ar->qs, names[i])) == NULL || *s == '\0')
			continue;
		if (qs_encode(s, enc, sizeof(enc)) == -1)
			continue;
		kore_buf_appendf(b, "%s%s=%s", b->offset > 0 ? "&" : "",
		    names[i], enc);
	}
}

static enum app_err
rpt_filter_read(struct http_request *req, const struct rpt_def *def,
    struct rpt_filter *f, const char **field)
{
	struct app_req	*ar;
	const char	*s, *fy;
	int		 y, m, d;

	ar = app_req(req);
	memset(f, 0, sizeof(*f));
	*field = NULL;
	rpt_today(&y, &m, &d);
	f->y0 = def->all_years ? YEAR_FIRST : y;
	f->m0 = 1;
	f->y1 = y;
	f->m1 = 12;
	fy = qs_get(&ar->qs, "fy");
	if (fy != NULL && *fy != '\0') {
		*field = "fy";
		if (strlen(fy) != 4 || rpt_month_parse((char [8]){ fy[0], fy[1],
		    fy[2], fy[3], '-', '0', '1', '\0' }, &f->y0, &f->m0) == -1)
			return (APP_EINVAL);
		if ((s = qs_get(&ar->qs, "from")) != NULL && *s != '\0')
			return (APP_EINVAL);
		if ((s = qs_get(&ar->qs, "to")) != NULL && *s != '\0')
			return (APP_EINVAL);
		f->m0 = 1;
		f->y1 = f->y0;
		f->m1 = 12;
	}
	if ((s = qs_get(&ar->qs, "from")) != NULL && *s != '\0') {
		*field = "from";
		if (rpt_month_parse(s, &f->y0, &f->m0) == -1)
			return (APP_EINVAL);
	}
	if ((s = qs_get(&ar->qs, "to")) != NULL && *s != '\0') {
		*field = "to";
		if (rpt_month_parse(s, &f->y1, &f->m1) == -1)
			return (APP_EINVAL);
	}
	if (f->y1 * 12 + f->m1 < f->y0 * 12 + f->m0) {
		*field = "to";
		return (APP_EINVAL);
	}
	(void)snprintf(f->d0, sizeof(f->d0), "%04d-%02d-01", f->y0, f->m0);
	if (f->m1 == 12)
		(void)snprintf(f->d1, sizeof(f->d1), "%04d-01-01", f->y1 + 1);
	else
		(void)snprintf(f->d1, sizeof(f->d1), "%04d-%02d-01", f->y1,
		    f->m1 + 1);

	*field = "type";
	f->type = qs_get(&ar->qs, "type");
	if (f->type != NULL && *f->type == '\0')
		f->type = NULL;
	if (f->type != NULL && !rpt_oneof(f->type, service_types,
	    N(service_types)))
		return (APP_EINVAL);
	*field = "agency_type";
	f->atype = qs_get(&ar->qs, "agency_type");
	if (f->atype != NULL && *f->atype == '\0')
		f->atype = NULL;
	if (f->atype != NULL && !rpt_oneof(f->atype, agency_types,
	    N(agency_types)))
		return (APP_EINVAL);

	*field = "agency";
	if (rpt_id(qs_get(&ar->qs, "agency"), f->agency, sizeof(f->agency))
	    == -1)
		return (APP_EINVAL);
	*field = "vendor";
	if (rpt_id(qs_get(&ar->qs, "vendor"), f->vendor, sizeof(f->vendor))
	    == -1)
		return (APP_EINVAL);
	if (def->who == RPT_PUBLIC) {
		/* The public page has no organisation filters. */
		f->agency[0] = '\0';
		f->vendor[0] = '\0';
	} else if (!rpt_allowed(ar, def)) {
		*field = NULL;
		return (APP_EFORBIDDEN);
	}
	/* An agency or vendor sees its own slice only. */
	if (def->who != RPT_PUBLIC && (ar->who.role & RPT_AGENCY)) {
		*field = "agency";
		if (f->agency[0] != '\0' && strtoll(f->agency, NULL, 10) !=
		    ar->who.org_id)
			return (APP_ENOTFOUND);
		(void)snprintf(f->agency, sizeof(f->agency), "%lld",
		    (long long)ar->who.org_id);
	}
	if (def->who != RPT_PUBLIC && (ar->who.role & RPT_VENDOR)) {
		*field = "vendor";
		if (f->vendor[0] != '\0' && strtoll(f->vendor, NULL, 10) !=
		    ar->who.org_id)
			return (APP_ENOTFOUND);
		(void)snprintf(f->vendor, sizeof(f->vendor), "%lld",
		    (long long)ar->who.org_id);
	}
	/*
	 * Sales statistics are one vendor's: the office names the vendor
	 * (all 25,000 listings' daily views at once would be no statistic).
	 */
	if (def == &rpt_defs[D_VSTATS] && f->vendor[0] == '\0')
		(void)kore_strlcpy(f->vendor, "0", sizeof(f->vendor));
	*field = NULL;
	return (APP_OK);
}

/* A positive decimal id (at most 15 digits) or nothing. */
static int
rpt_id(const char *s, char *out, size_t len)
{
	size_t	i, n;

	out[0] = '\0';
	if (s == NULL || *s == '\0')
		return (0);
	n = strlen(s);
	if (n > 15 || s[0] == '0')
		return (-1);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
	}
	(void)kore_strlcpy(out, s, len);
	return (0);
}

static int
rpt_oneof(const char *s, const char *const *set, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, set[i]) == 0)
			return (1);
	}
	return (0);
}

static int
rpt_allowed(struct app_req *ar, const struct rpt_def *def)
{
	if (def->who == RPT_PUBLIC)
		return (1);
	if (def->who == RPT_OPS)
		return (APP_IS_OPERATOR(ar));
	return (1);
}

/* The reports the caller may open, cur marked. */
static json_t *
rpt_nav(struct http_request *req, const struct rpt_def *cur)
{
	struct app_req	*ar;
	json_t		*list;
	char		 key[64];
	size_t		 i;

	ar = app_req(req);
	list = json_array();
	for (i = 0; i < N(rpt_defs); i++) {
		if (!rpt_allowed(ar, &rpt_defs[i]))
			continue;
		if (i == D_VSTATS && !(ar->who.role & (RPT_VENDOR |
		    ROLES_OPERATOR)))
			continue;
		(void)snprintf(key, sizeof(key), "%s_intro",
		    rpt_defs[i].title);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:b}", "name", rpt_defs[i].name, "url", rpt_defs[i].path,
		    "label", web_str(req, rpt_defs[i].title), "intro",
		    web_str(req, key), "current", &rpt_defs[i] == cur));
	}
	return (list);
}

/*
 * JSON rows keep their codes and get the translated label where the SQL
 * had none (agency types, sizes, schemes ...), as the page shows them.
 */
static void
rpt_json_labels(struct http_request *req, const struct rpt_table *t,
    json_t *rows)
{
	json_t	*row;
	char	*s;
	size_t	 i, j;

	for (j = 0; j < t->ncols; j++) {
		if (t->cols[j].kind != K_LABEL || t->cols[j].prefix == NULL)
			continue;
		json_array_foreach(rows, i, row) {
			if (!json_is_null(json_object_get(row, t->cols[j].key)))
				continue;
			s = rpt_cell(req, &t->cols[j], row, 0, 0);
			json_object_set_new(row, t->cols[j].key, json_string(s));
			kore_free(s);
		}
	}
}

static int64_t
rpt_int(json_t *row, const char *key)
{
	json_t	*v;

	v = json_object_get(row, key);
	if (json_is_integer(v))
		return (json_integer_value(v));
	return (0);
}

/*
 * One table's view model: caption, note, column heads, rows of cells, a
 * total row (the sum of every won and count column) and a chart. A table
 * of sums longer than HTML_TOP shows its top rows and one "others" row, so
 * that what is shown still adds up to the total.
 */
static json_t *
rpt_table_view(struct http_request *req, const struct rpt_table *t,
    json_t *rows, const char *qs)
{
	struct rpt_bar	*bars;
	struct tmpl_buf	 svg;
	json_t		*tv, *heads, *out, *cells, *row, *others, *sums;
	char		 key[96], *s, *svgs;
	int64_t		 grand, v;
	size_t		 i, j, n, nbars;

	(void)qs;
	if (!json_is_array(rows))
		rows = json_array();
	else
		json_incref(rows);
	grand = 0;
	json_array_foreach(rows, i, row)
		grand += rpt_int(row, "total");

	heads = json_array();
	for (j = 0; j < t->ncols; j++) {
		if (t->cols[j].kind == K_KEY)
			continue;
		json_array_append_new(heads, json_pack("{s:s, s:b}", "label",
		    web_str(req, t->cols[j].label), "num", t->cols[j].kind >=
		    K_WON));
	}

	/* Sums over all rows, and the rows folded into "others". */
	sums = json_object();
	others = json_object();
	n = json_array_size(rows);
	for (i = 0; i < n; i++) {
		row = json_array_get(rows, i);
		for (j = 0; j < t->ncols; j++) {
			if (t->cols[j].kind != K_WON &&
			    t->cols[j].kind != K_INT)
				continue;
			v = rpt_int(row, t->cols[j].key);
			json_object_set_new(sums, t->cols[j].key, json_integer(
			    rpt_int(sums, t->cols[j].key) + v));
			if (t->sum && i >= HTML_TOP)
				json_object_set_new(others, t->cols[j].key,
				    json_integer(rpt_int(others,
				    t->cols[j].key) + v));
		}
	}

	out = json_array();
	nbars = 0;
	bars = kore_calloc(n + 1, sizeof(*bars));
	for (i = 0; i < n; i++) {
		if (t->sum && i >= HTML_TOP) {
			if (i == HTML_TOP)
				row = others;
			else
				continue;
		} else {
			row = json_array_get(rows, i);
		}
		cells = json_array();
		for (j = 0; j < t->ncols; j++) {
			if (t->cols[j].kind == K_KEY)
				continue;
			if (row == others && j == 1)
				s = kore_strdup(web_str(req, "report.others"));
			else
				s = rpt_cell(req, &t->cols[j], row, grand, 0);
			json_array_append_new(cells, json_pack("{s:s, s:b}",
			    "text", s, "num", t->cols[j].kind >= K_WON));
			if (t->chart != NULL && strcmp(t->chart,
			    t->cols[j].key) == 0) {
				bars[nbars].value = rpt_int(row,
				    t->cols[j].key);
				bars[nbars].text = json_string_value(
				    json_object_get(json_array_get(cells,
				    json_array_size(cells) - 1), "text"));
			}
			kore_free(s);
		}
		if (t->chart != NULL) {
			/* The label cell: the first visible column. */
			bars[nbars].label = json_string_value(json_object_get(
			    json_array_get(cells, 0), "text"));
			nbars++;
		}
		json_array_append_new(out, json_pack("{s:o}", "cells", cells));
	}

	tv = json_pack("{s:s, s:s, s:o, s:o, s:i}", "key", t->key, "caption",
	    web_str(req, t->caption), "heads", heads, "rows", out, "count",
	    (json_int_t)n);
	(void)snprintf(key, sizeof(key), "%s_note", t->caption);
	json_object_set_new(tv, "note", json_string(web_str(req, key)));
	if (t->sum && n > 0) {
		cells = json_array();
		for (j = 0; j < t->ncols; j++) {
			if (t->cols[j].kind == K_KEY)
				continue;
			if (j == 1) {
				s = kore_strdup(web_str(req, "report.total"));
			} else if (t->cols[j].kind == K_WON ||
			    t->cols[j].kind == K_INT ||
			    t->cols[j].kind == K_SHARE) {
				json_object_set_new(sums, "total",
				    json_integer(grand));
				s = rpt_cell(req, &t->cols[j], sums, grand, 0);
			} else {
				s = kore_strdup("");
			}
			json_array_append_new(cells, json_pack("{s:s, s:b}",
			    "text", s, "num", t->cols[j].kind >= K_WON));
			kore_free(s);
		}
		json_object_set_new(tv, "total", json_pack("{s:o}", "cells",
		    cells));
	}
	if (t->chart != NULL && nbars > 0) {
		tmpl_buf_init(&svg);
		if (rpt_svg_bars(&svg, web_str(req, t->caption), bars,
		    nbars) == 0 && (svgs = tmpl_buf_release(&svg, NULL)) !=
		    NULL) {
			json_object_set_new(tv, "chart", json_string(svgs));
			free(svgs);
		}
		tmpl_buf_free(&svg);
	}
	kore_free(bars);
	json_decref(sums);
	json_decref(others);
	json_decref(rows);
	return (tv);
}

/* A cell's text (kore_malloc'd). csv: raw values for the export. */
static char *
rpt_cell(struct http_request *req, const struct rpt_col *c, json_t *row,
    int64_t grand, int csv)
{
	json_t		*v;
	char		 buf[MONEY_FMT_MAX + 32], key[128];
	const char	*s;
	int64_t		 pm;

	v = json_object_get(row, c->key);
	switch (c->kind) {
	case K_LABEL:
		if (json_is_string(v))
			return (kore_strdup(json_string_value(v)));
		if (json_is_integer(v)) {
			(void)snprintf(buf, sizeof(buf), "%lld",
			    (long long)json_integer_value(v));
			return (kore_strdup(buf));
		}
		v = json_object_get(row, "key");
		/* FALLTHROUGH */
	case K_ENUM:
		if (c->prefix == NULL || (!json_is_string(v) &&
		    !json_is_null(v)))
			break;
		if (csv && c->kind == K_ENUM)
			return (kore_strdup(json_is_string(v) ?
			    json_string_value(v) : ""));
		(void)snprintf(key, sizeof(key), "%s%s", c->prefix,
		    json_is_string(v) ? json_string_value(v) : "none");
		s = web_str(req, key);
		/* A value without a string (an unknown code) shows as is. */
		return (kore_strdup(strcmp(s, key) == 0 && json_is_string(v) ?
		    json_string_value(v) : s));
	case K_WON:
	case K_INT:
		if (!json_is_integer(v))
			return (kore_strdup(csv ? "" : "0"));
		if (csv) {
			(void)snprintf(buf, sizeof(buf), "%lld",
			    (long long)json_integer_value(v));
			return (kore_strdup(buf));
		}
		if (money_format_won(json_integer_value(v), MONEY_FMT_GROUP, buf,
		    sizeof(buf)) != MONEY_OK)
			buf[0] = '\0';
		return (kore_strdup(buf));
	case K_NUM:
		if (!json_is_integer(v))
			return (kore_strdup(csv ? "" : "—"));
		(void)snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
		return (kore_strdup(buf));
	case K_PM:
		if (!json_is_integer(v))
			return (kore_strdup(csv ? "" : "—"));
		pm = json_integer_value(v);
		if (csv)
			(void)snprintf(buf, sizeof(buf), "%lld", (long long)pm);
		else
			rpt_permille_text(pm, buf, sizeof(buf));
		return (kore_strdup(buf));
	case K_SHARE:
		if (rpt_permille(rpt_int(row, "total"), grand, &pm) == -1)
			return (kore_strdup(csv ? "" : "—"));
		if (csv)
			(void)snprintf(buf, sizeof(buf), "%lld", (long long)pm);
		else
			rpt_permille_text(pm, buf, sizeof(buf));
		return (kore_strdup(buf));
	case K_KEY:
	case K_TEXT:
		break;
	}
	if (json_is_string(v))
		return (kore_strdup(json_string_value(v)));
	if (json_is_integer(v)) {
		(void)snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
		return (kore_strdup(buf));
	}
	return (kore_strdup(""));
}

/* One table as CSV: a header of CSV names, then every row. */
static int
rpt_csv(struct http_request *req, const struct rpt_def *def,
    const struct rpt_table *t, json_t *rows)
{
	struct kore_buf	 b;
	json_t		*row;
	char		*s, name[96];
	int64_t		 grand;
	size_t		 i, j;

	kore_buf_init(&b, 4096);
	kore_buf_append(&b, "\xef\xbb\xbf", 3);	/* BOM: Excel reads UTF-8 */
	for (j = 0; j < t->ncols; j++)
		web_csv_cell(&b, t->cols[j].csv != NULL ? t->cols[j].csv :
		    t->cols[j].key, j == 0);
	kore_buf_append(&b, "\r\n", 2);
	grand = 0;
	json_array_foreach(rows, i, row)
		grand += rpt_int(row, "total");
	json_array_foreach(rows, i, row) {
		for (j = 0; j < t->ncols; j++) {
			s = rpt_cell(req, &t->cols[j], row, grand, 1);
			if (t->cols[j].kind >= K_WON)
				rpt_csv_num(&b, s, j == 0);
			else
				web_csv_cell(&b, s, j == 0);
			kore_free(s);
		}
		kore_buf_append(&b, "\r\n", 2);
	}
	(void)snprintf(name, sizeof(name), "gureum-%s-%s.csv", def->name,
	    t->key);
	rpt_csv_send(req, &b, name);
	return (KORE_RESULT_OK);
}

/* The FOCUS ledger: rows whose keys are the FOCUS column names. */
static int
rpt_csv_focus(struct http_request *req, json_t *rows)
{
	static const char *const cols[] = { "BillingPeriodStart",
	    "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd",
	    "BilledCost", "EffectiveCost", "BillingCurrency",
	    "ChargeCategory", "ProviderName", "PublisherName",
	    "InvoiceIssuerName", "InvoiceId", "ServiceName",
	    "ServiceCategory", "SubAccountId", "SubAccountName", "x_VatWon",
	    "x_BilledCostInclVat", "x_ContractId", "x_Kind", "x_AgencyType",
	    "x_VendorSize", "x_ServiceType", "x_Category" };
	struct kore_buf	 b;
	json_t		*row, *v;
	char		 num[32];
	size_t		 i, j;

	kore_buf_init(&b, 65536);
	kore_buf_append(&b, "\xef\xbb\xbf", 3);
	for (j = 0; j < N(cols); j++)
		web_csv_cell(&b, cols[j], j == 0);
	kore_buf_append(&b, "\r\n", 2);
	json_array_foreach(rows, i, row) {
		for (j = 0; j < N(cols); j++) {
			v = json_object_get(row, cols[j]);
			if (json_is_integer(v)) {
				(void)snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(v));
				rpt_csv_num(&b, num, j == 0);
			} else {
				web_csv_cell(&b, json_is_string(v) ?
				    json_string_value(v) : "", j == 0);
			}
		}
		kore_buf_append(&b, "\r\n", 2);
	}
	rpt_csv_send(req, &b, "gureum-spend-focus.csv");
	return (KORE_RESULT_OK);
}

/*
 * A number we formatted ourselves, unquoted: web_csv_cell() would guard a
 * leading '-' (a credit note) as if it were a formula.
 */
static void
rpt_csv_num(struct kore_buf *b, const char *s, int first)
{
	if (!first)
		kore_buf_append(b, ",", 1);
	kore_buf_append(b, s, strlen(s));
}

static void
rpt_csv_send(struct http_request *req, struct kore_buf *b, const char *name)
{
	char	disp[160];

	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	web_headers(req);
	http_response_header(req, "content-type", "text/csv; charset=utf-8");
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, b->data, b->offset);
	kore_buf_cleanup(b);
}

/* Today in Korea time. */
static void
rpt_today(int *y, int *m, int *d)
{
	struct tm	tm;
	time_t		now;

	now = time(NULL) + 9 * 3600;
	(void)gmtime_r(&now, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

/*
 * The usage-record certificate (이용실적증명서): the contract, its parties
 * and period, what was invoiced per month (what counts as invoiced:
 * report_ledger) and in total, the day it was issued and the BLAKE2b-256
 * of its content (the canonical JSON the API twin answers), so a copy can
 * be checked against a fresh one.
 */
static const char cert_sql[] =
    "SELECT c.id, c.title, c.status, to_char(c.start_date, 'YYYY-MM-DD')"
    " AS start, to_char(c.end_date, 'YYYY-MM-DD') AS \"end\","
    " c.ceiling_won, a.name_ko AS agency_ko, a.name_en AS agency_en,"
    " v.name_ko AS vendor_ko, v.name_en AS vendor_en, v.biz_no,"
    " l.name_ko AS listing_ko, l.name_en AS listing_en,"
    " to_char(" TODAY ", 'YYYY-MM-DD') AS issued,"
    " coalesce((SELECT jsonb_agg(jsonb_build_object('month', to_char("
    "  m.month, 'YYYY-MM'), 'supply', m.supply, 'vat', m.vat, 'total',"
    "  m.total, 'documents', m.n, 'invoices', m.docs) ORDER BY m.month)"
    "  FROM (SELECT r.month, sum(r.supply_won)::bigint AS supply,"
    "  sum(r.vat_won)::bigint AS vat, sum(r.total_won)::bigint AS total,"
    "  count(*) AS n, jsonb_agg(jsonb_build_object('number', i.number,"
    "  'kind', r.kind, 'total', r.total_won, 'bundle_hash',"
    "  encode(i.bundle_hash, 'hex')) ORDER BY i.seq) AS docs"
    "  FROM report_ledger('2000-01-01', '2100-01-01', NULL, NULL, NULL,"
    "  NULL) r JOIN invoices i ON i.id = r.invoice_id"
    "  WHERE r.contract_id = c.id GROUP BY r.month) m), '[]') AS months"
    " FROM contracts c JOIN organisations a ON a.id = c.org_id"
    " JOIN organisations v ON v.id = c.vendor_id"
    " JOIN listings l ON l.id = c.listing_id"
    " WHERE c.id = $1 AND (c.org_id = $2 OR c.vendor_id = $2 OR $3::boolean)"
    " AND c.status IN ('active', 'suspended', 'ended')";

/* The certificate's content (canonical) and its hash. */
static json_t *
cert_content(json_t *row, char hex[SIGN_HEXLEN(SIGN_HASHBYTES)])
{
	json_t		*doc, *m;
	unsigned char	 h[SIGN_HASHBYTES];
	char		*s;
	int64_t		 supply, vat, total;
	size_t		 i;

	supply = vat = total = 0;
	json_array_foreach(json_object_get(row, "months"), i, m) {
		supply += rpt_int(m, "supply");
		vat += rpt_int(m, "vat");
		total += rpt_int(m, "total");
	}
	doc = json_pack("{s:s, s:I, s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s?},"
	    " s:{s:s, s:s}, s:{s:s, s:s}, s:I, s:O, s:{s:I, s:I, s:I},"
	    " s:s}", "kind", "usage_certificate", "contract",
	    (json_int_t)rpt_int(row, "id"), "title", json_string_value(
	    json_object_get(row, "title")), "agency", "ko", json_string_value(
	    json_object_get(row, "agency_ko")), "en", json_string_value(
	    json_object_get(row, "agency_en")), "vendor", "ko",
	    json_string_value(json_object_get(row, "vendor_ko")), "en",
	    json_string_value(json_object_get(row, "vendor_en")), "biz_no",
	    json_string_value(json_object_get(row, "biz_no")), "service", "ko",
	    json_string_value(json_object_get(row, "listing_ko")), "en",
	    json_string_value(json_object_get(row, "listing_en")), "period",
	    "start", json_string_value(json_object_get(row, "start")), "end",
	    json_string_value(json_object_get(row, "end")), "ceiling_won",
	    (json_int_t)rpt_int(row, "ceiling_won"), "months",
	    json_object_get(row, "months"), "total", "supply",
	    (json_int_t)supply, "vat", (json_int_t)vat, "total",
	    (json_int_t)total, "issued", json_string_value(json_object_get(row,
	    "issued")));
	if (doc == NULL)
		return (NULL);
	if ((s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		json_decref(doc);
		return (NULL);
	}
	sign_hash(s, strlen(s), h);
	free(s);
	sign_tohex(h, sizeof(h), hex);
	return (doc);
}

/* The PDF's description (pdfdoc.h) in the reader's language. */
static json_t *
cert_pdf_doc(struct http_request *req, json_t *doc, const char *hex)
{
	json_t		*months, *m, *parties, *tot, *docs, *d;
	char		 a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], c[MONEY_FMT_MAX];
	char		 line[256], period[64], ceiling[MONEY_FMT_MAX + 8];
	char		 sub[160];
	const char	*en, *bh;
	size_t		 i, j;

	en = strcmp(app_req(req)->lang, "en") == 0 ? "en" : "ko";
	(void)snprintf(sub, sizeof(sub), "%s %s · %s #%lld",
	    web_str(req, "report.cert.issued"), json_string_value(
	    json_object_get(doc, "issued")), web_str(req,
	    "report.col.contract"), (long long)rpt_int(doc, "contract"));
#define NAME(k) (json_string_value(json_object_get(json_object_get(doc, k), \
	en)) != NULL && *json_string_value(json_object_get(json_object_get(\
	doc, k), en)) != '\0' ? json_string_value(json_object_get( \
	json_object_get(doc, k), en)) : json_string_value(json_object_get( \
	json_object_get(doc, k), "ko")))
	(void)snprintf(period, sizeof(period), "%s ~ %s", json_string_value(
	    json_object_get(json_object_get(doc, "period"), "start")),
	    json_string_value(json_object_get(json_object_get(doc, "period"),
	    "end")));
	(void)money_format_won(rpt_int(doc, "ceiling_won"), MONEY_FMT_GROUP,
	    a, sizeof(a));
	(void)snprintf(ceiling, sizeof(ceiling), "%s%s", a, web_str(req,
	    "report.won"));
	parties = json_pack("[[s,s],[s,s],[s,s],[s,s],[s,s],[s,s],[s,s]]",
	    web_str(req, "report.col.contract"), json_string_value(
	    json_object_get(doc, "title")),
	    web_str(req, "report.col.agency"), NAME("agency"),
	    web_str(req, "report.col.vendor"), NAME("vendor"),
	    web_str(req, "report.cert.biz_no"), json_string_value(
	    json_object_get(json_object_get(doc, "vendor"), "biz_no")) != NULL ?
	    json_string_value(json_object_get(json_object_get(doc, "vendor"),
	    "biz_no")) : "",
	    web_str(req, "report.col.service"), NAME("service"),
	    web_str(req, "report.cert.period"), period,
	    web_str(req, "report.col.ceiling"), ceiling);
#undef NAME
	months = json_array();
	json_array_foreach(json_object_get(doc, "months"), i, m) {
		(void)money_format_won(rpt_int(m, "supply"), MONEY_FMT_GROUP, a,
		    sizeof(a));
		(void)money_format_won(rpt_int(m, "vat"), MONEY_FMT_GROUP, b,
		    sizeof(b));
		(void)money_format_won(rpt_int(m, "total"), MONEY_FMT_GROUP, c,
		    sizeof(c));
		(void)snprintf(line, sizeof(line), "%s %s · %s %s · %s %s",
		    web_str(req, "report.col.supply"), a, web_str(req,
		    "report.col.vat"), b, web_str(req, "report.col.total"), c);
		json_array_append_new(months, json_pack("[s, s]",
		    json_string_value(json_object_get(m, "month")), line));
	}
	if (json_array_size(months) == 0)
		json_array_append_new(months, json_pack("[s, s]", "",
		    web_str(req, "report.cert.none")));
	/*
	 * Each invoice's number and the hash of its signed evidence bundle:
	 * what an auditor checks each month's amount against (evidence.md),
	 * as this server holds no signing key of its own.
	 */
	docs = json_array();
	json_array_foreach(json_object_get(doc, "months"), i, m) {
		json_array_foreach(json_object_get(m, "invoices"), j, d) {
			(void)money_format_won(rpt_int(d, "total"),
			    MONEY_FMT_GROUP, a, sizeof(a));
			bh = json_string_value(json_object_get(d,
			    "bundle_hash"));
			(void)snprintf(line, sizeof(line), "%s%s · %s %s",
			    a, web_str(req, "report.won"), web_str(req,
			    "report.cert.bundle"), bh != NULL ? bh :
			    web_str(req, "report.cert.unsealed"));
			json_array_append_new(docs, json_pack("[s, s]",
			    json_string_value(json_object_get(d, "number")) !=
			    NULL ? json_string_value(json_object_get(d,
			    "number")) : "", line));
		}
	}
	if (json_array_size(docs) == 0)
		json_array_append_new(docs, json_pack("[s, s]", "",
		    web_str(req, "report.cert.none")));
	tot = json_object_get(doc, "total");
	(void)money_format_won(rpt_int(tot, "supply"), MONEY_FMT_GROUP, a,
	    sizeof(a));
	(void)money_format_won(rpt_int(tot, "vat"), MONEY_FMT_GROUP, b,
	    sizeof(b));
	(void)money_format_won(rpt_int(tot, "total"), MONEY_FMT_GROUP, c,
	    sizeof(c));
	return (json_pack("{s:s, s:s, s:s, s:[{s:s, s:o}, {s:s, s:o},"
	    " {s:s, s:[[s,s],[s,s],[s,s]]}, {s:s, s:o, s:s}, {s:s, s:s}]}",
	    "title", web_str(req, "report.cert.title"),
	    "subtitle", sub,
	    "footer", web_str(req, "report.cert.footer"),
	    "sections",
	    "heading", web_str(req, "report.cert.parties"), "rows", parties,
	    "heading", web_str(req, "report.cert.months"), "rows", months,
	    "heading", web_str(req, "report.cert.total"), "rows",
	    web_str(req, "report.col.supply"), a,
	    web_str(req, "report.col.vat"), b,
	    web_str(req, "report.col.total"), c,
	    "heading", web_str(req, "report.cert.evidence"), "rows", docs,
	    "text", web_str(req, "report.cert.evidence_note"),
	    "heading", web_str(req, "report.cert.hash"), "text", hex));
}

/*
 * GET /contracts/:id/usage-certificate.pdf for the contract's agency and
 * vendor (and the office), and /api/v1/contracts/:id/usage-certificate:
 * the same content as JSON with its hash. 404 for another organisation's
 * contract and for one never signed (draft, awaiting, cancelled).
 */
int
report_usage_certificate(struct http_request *req)
{
	struct app_req	*ar;
	const char	*params[3];
	char		 id[24], org[24], name[96];
	char		 hex[SIGN_HEXLEN(SIGN_HASHBYTES)];
	json_t		*row, *doc, *pdf;
	int		 rc;

	ar = app_req(req);
	if (ar->step == 1) {
		(void)snprintf(name, sizeof(name), "attachment; filename="
		    "\"gureum-usage-certificate-%lld.pdf\"", (long long)ar->id);
		return (pdfjob_finish(req, "contract certificate", name));
	}

	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	(void)snprintf(org, sizeof(org), "%lld", (long long)ar->who.org_id);
	params[0] = id;
	params[1] = org;
	params[2] = APP_IS_OPERATOR(ar) ? "true" : "false";
	rc = db_call(req, &ar->db[0], cert_sql, 3, params);
	if (rc == DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));
	if ((doc = cert_content(row, hex)) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	if (ar->json) {
		ar->vm = json_pack("{s:o, s:s}", "certificate", doc, "hash",
		    hex);
		if (ar->vm == NULL)
			return (web_error(req, APP_EINTERNAL, NULL, NULL));
		return (web_json(req, 200, ar->vm));
	}
	pdf = cert_pdf_doc(req, doc, hex);
	json_decref(doc);
	if (pdf == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (pdfjob_start(req, pdf, pdfdoc_render));
}

