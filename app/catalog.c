/*
 * The public catalog: service pages, the vendor directory and vendor
 * pages, and the side-by-side comparison, each as a page and as JSON
 * (/api/v1/...). See docs/public-catalog.md.
 *
 * Every page is one SQL statement. Only published listings of approved
 * vendors are shown; anything else answers 404, as it is absent from
 * search. Certificates are read from the certificates table with the rule
 * of catalog_cert_state() (sql/0009_public_catalog.sql): in force only if
 * 'valid' and not past its expiry date in Korea; company-wide certificates
 * of the vendor apply to each of its listings. Card signals come from
 * catalog_card(), the same function the search indexer stores, and are
 * turned into labels by catalog_card_signals(), which search.c uses too.
 *
 * Prices are never doubles: the stored rate plan's exact decimal strings
 * are parsed with money_parse(), shown with money_format_*() and priced
 * with rating_price() at each dimension's reference quantity, so the page
 * shows what an invoice line would be. Descriptions are CommonMark,
 * rendered by cmark with CMARK_OPT_SAFE: raw HTML and javascript: links
 * never reach the page.
 */

#include <cmark.h>
#include <time.h>

#include "gureum.h"
#include "money.h"
#include "rating.h"

#define COMPARE_MAX		4
#define COMPARE_MIN		2
#define HOSTED_MAX		50

/* Listing columns the service page and the comparison share. */
#define LISTING_COLS \
    "l.id, l.service_type, l.name_ko, l.name_en, l.summary_ko," \
    " l.summary_en, l.deployment_model, l.dc_location, l.dc_region," \
    " l.availability_target::text AS availability_target," \
    " l.recovery_grade_hours, l.support_hours," \
    " to_json(l.support_channels) AS support_channels, l.free_trial_url," \
    " l.free_trial_terms_ko, l.free_trial_terms_en, l.min_contract_months," \
    " l.contract_unit, l.rate_plan, l.reference_monthly_price_won," \
    " v.id AS vendor_id, v.name_ko AS vendor_ko, v.name_en AS vendor_en," \
    " v.company_size, catalog_card(l.id) AS card"

/* A certificate as pages show it, with the state it is shown with. */
#define CERT_JSON \
    "json_build_object('id', x.id, 'scheme', x.scheme, 'csap_type'," \
    " x.csap_type, 'grade', x.grade, 'fedramp_impact', x.fedramp_impact," \
    " 'number', x.number, 'issuer', x.issuer, 'issue_date'," \
    " x.issue_date::text, 'expiry_date', x.expiry_date::text, 'status'," \
    " x.status, 'state', catalog_cert_state(x.status, x.expiry_date)," \
    " 'company_wide', x.listing_id IS NULL)"
#define CERT_ORDER \
    " ORDER BY catalog_cert_state(x.status, x.expiry_date) <> 'valid'," \
    " x.listing_id IS NULL, x.scheme, x.id"

/* A listing as a card: names, summary, vendor and catalog_card(). */
#define CARD_JSON(t, tv) \
    "json_build_object('id', " t ".id, 'service_type', " t ".service_type," \
    " 'name_ko', " t ".name_ko, 'name_en', " t ".name_en, 'summary_ko', " \
    t ".summary_ko, 'summary_en', " t ".summary_en, 'vendor_ko', " \
    tv ".name_ko, 'vendor_en', " tv ".name_en, 'card', catalog_card(" \
    t ".id))"

/*
 * The listing, and one more view in listing_views (0023, the vendor's
 * statistics) in the same statement: only a count per listing and day.
 */
static const char *service_sql =
    "WITH seen AS (INSERT INTO listing_views AS w (listing_id, day)"
    " SELECT id, (now() AT TIME ZONE 'Asia/Seoul')::date FROM listings"
    " WHERE id = $1 AND status = 'published'"
    " ON CONFLICT (listing_id, day) DO UPDATE SET views = w.views + 1)"
    " SELECT " LISTING_COLS ","
    " l.description_ko, l.description_en,"
    " to_json(l.features_ko) AS features_ko,"
    " to_json(l.features_en) AS features_en,"
    " to_json(l.benefits_ko) AS benefits_ko,"
    " to_json(l.benefits_en) AS benefits_en,"
    " to_json(l.target_customers_ko) AS target_customers_ko,"
    " to_json(l.target_customers_en) AS target_customers_en,"
    " to_json(l.customer_references_ko) AS customer_references_ko,"
    " to_json(l.customer_references_en) AS customer_references_en,"
    " l.website, l.current_version,"
    " (SELECT to_char(lv.created_at AT TIME ZONE 'Asia/Seoul',"
    " 'YYYY-MM-DD') FROM listing_versions lv WHERE lv.listing_id = l.id"
    " AND lv.version = l.current_version) AS version_date,"
    " to_char(l.updated_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD')"
    " AS updated,"
    " c.code AS category_code, c.name_ko AS category_ko,"
    " c.name_en AS category_en, v.website AS vendor_website,"
    " coalesce((SELECT json_agg(" CERT_JSON CERT_ORDER ")"
    " FROM certificates x WHERE x.listing_id = l.id OR"
    " (x.listing_id IS NULL AND x.vendor_id = l.vendor_id)), '[]')"
    " AS certificates,"
    " coalesce((SELECT json_agg(" CARD_JSON("h", "hv") " ORDER BY h.id)"
    " FROM listing_runs_on r JOIN listings h ON h.id = r.runs_on_id"
    " JOIN organisations hv ON hv.id = h.vendor_id"
    " WHERE r.listing_id = l.id AND h.status = 'published'"
    " AND hv.status = 'approved'), '[]') AS runs_on,"
    " coalesce((SELECT json_agg(" CARD_JSON("h", "hv") " ORDER BY h.id)"
    " FROM (SELECT h.* FROM listing_runs_on r"
    " JOIN listings h ON h.id = r.listing_id"
    " JOIN organisations hv ON hv.id = h.vendor_id"
    " WHERE r.runs_on_id = l.id AND h.status = 'published'"
    " AND hv.status = 'approved' ORDER BY h.id LIMIT 50) h"
    " JOIN organisations hv ON hv.id = h.vendor_id), '[]') AS hosts,"
    " (SELECT count(*) FROM listing_runs_on r"
    " JOIN listings h ON h.id = r.listing_id"
    " JOIN organisations hv ON hv.id = h.vendor_id"
    " WHERE r.runs_on_id = l.id AND h.status = 'published'"
    " AND hv.status = 'approved') AS hosts_total,"
    " (SELECT count(*) FROM historical_authorisations a"
    " WHERE a.listing_id = l.id AND a.kind = 'ato') AS hist_ato,"
    " (SELECT count(*) FROM historical_authorisations a"
    " WHERE a.listing_id = l.id AND a.kind = 'reuse') AS hist_reuse,"
    " (SELECT count(DISTINCT a.agency_id) FROM historical_authorisations a"
    " WHERE a.listing_id = l.id) AS hist_agencies,"
    " (SELECT count(*) FROM contracts k WHERE k.listing_id = l.id"
    " AND k.status IN ('active', 'suspended')) AS contracts_active,"
    " (SELECT count(*) FROM contracts k WHERE k.listing_id = l.id"
    " AND k.status IN ('active', 'suspended', 'ended')) AS contracts_signed,"
    " (SELECT count(DISTINCT k.org_id) FROM contracts k"
    " WHERE k.listing_id = l.id AND k.status IN ('active', 'suspended',"
    " 'ended')) AS contracts_agencies,"
    " coalesce((SELECT json_agg(" CARD_JSON("s", "sv") " ORDER BY s.rank,"
    " s.id) FROM (SELECT s.*, (s.category_id IS DISTINCT FROM"
    " l.category_id) AS rank FROM listings s"
    " JOIN organisations sv ON sv.id = s.vendor_id"
    " WHERE s.service_type = l.service_type AND s.id <> l.id"
    " AND s.status = 'published' AND sv.status = 'approved'"
    " ORDER BY rank, s.id LIMIT 4) s"
    " JOIN organisations sv ON sv.id = s.vendor_id), '[]') AS related"
    " FROM listings l JOIN organisations v ON v.id = l.vendor_id"
    " LEFT JOIN categories c ON c.id = l.category_id"
    " WHERE l.id = $1 AND l.status = 'published' AND v.status = 'approved'";

/* Approved vendors with published listings, in the reader's order. */
static const char *vendors_sql =
    "SELECT v.id, v.name_ko, v.name_en, v.company_size,"
    " count(l.id) AS listings"
    " FROM organisations v JOIN listings l ON l.vendor_id = v.id"
    " AND l.status = 'published'"
    " WHERE v.kind = 'vendor' AND v.status = 'approved'"
    " GROUP BY v.id"
    " ORDER BY CASE WHEN $1 = 'en' AND v.name_en <> '' THEN lower(v.name_en)"
    " ELSE lower(v.name_ko) END COLLATE \"C\", v.id";

static const char *vendor_sql =
    "SELECT v.id, v.name_ko, v.name_en, v.company_size, v.website,"
    " coalesce((SELECT json_agg(" CARD_JSON("l", "v")
    " ORDER BY l.service_type, l.id) FROM listings l"
    " WHERE l.vendor_id = v.id AND l.status = 'published'), '[]')"
    " AS listings,"
    " coalesce((SELECT json_agg(" CERT_JSON CERT_ORDER ")"
    " FROM certificates x WHERE x.vendor_id = v.id"
    " AND x.listing_id IS NULL), '[]') AS certificates"
    " FROM organisations v"
    " WHERE v.id = $1 AND v.kind = 'vendor' AND v.status = 'approved'";

static const char *compare_sql =
    "SELECT " LISTING_COLS
    " FROM listings l JOIN organisations v ON v.id = l.vendor_id"
    " WHERE l.id = ANY ($1::bigint[]) AND l.status = 'published'"
    " AND v.status = 'approved'";

static const char	*lbl(struct http_request *, const char *,
			    const char *);
static const char	*pick(json_t *, const char *, int);
static json_t		*pick_list(json_t *, const char *, int);
static void		 today_seoul(char *, size_t);
static char		*render_markdown(const char *);
static json_t		*decimal_str(const char *, int);
static json_t		*won_str(int64_t);
static json_t		*price_table(struct http_request *, json_t *,
			    int64_t *, int *);
static json_t		*credit_rows(struct http_request *, json_t *);
static json_t		*cert_view(struct http_request *, json_t *);
static json_t		*card_from_row(struct http_request *, json_t *);
static json_t		*cards_from(struct http_request *, json_t *);
static json_t		*channel_labels(struct http_request *, json_t *);
static void		 terms_view(struct http_request *, json_t *,
			    json_t *);
static json_t		*initial_group(const char *, int, char *, size_t);
static const char	*safe_url(json_t *);
static int		 get_micro(json_t *, const char *, int64_t *);
static int		 dim_parse(json_t *, struct rating_dimension *,
			    int64_t *);
static int		 service_page(struct http_request *, int);
static int		 compare_refuse(struct http_request *, int,
			    const char *, const char *, json_t *);
static char		*won_text(struct http_request *, int64_t);
static void		 compare_texts(struct http_request *, json_t *);

/*
 * The translated label "catalog.<prefix>.<value>"; the value itself when
 * the table has no such key (a value added later still shows).
 */
static const char *
lbl(struct http_request *req, const char *prefix, const char *value)
{
	const char	*s;
	char		 key[96];

	if (value == NULL)
		return (NULL);
	(void)snprintf(key, sizeof(key), "catalog.%s.%s", prefix, value);
	s = web_str(req, key);
	return (strcmp(s, key) == 0 ? value : s);
}

/* row[key_en] for an English reader when not empty, else row[key_ko]. */
static const char *
pick(json_t *row, const char *base, int en)
{
	const char	*s;
	char		 key[64];

	(void)snprintf(key, sizeof(key), "%s_en", base);
	s = json_string_value(json_object_get(row, key));
	if (en && s != NULL && *s != '\0')
		return (s);
	(void)snprintf(key, sizeof(key), "%s_ko", base);
	s = json_string_value(json_object_get(row, key));
	return (s != NULL ? s : "");
}

/* The list row[base_en] for an English reader when not empty, else _ko. */
static json_t *
pick_list(json_t *row, const char *base, int en)
{
	json_t	*a;
	char	 key[64];

	(void)snprintf(key, sizeof(key), "%s_en", base);
	a = json_object_get(row, key);
	if (en && json_array_size(a) > 0)
		return (a);
	(void)snprintf(key, sizeof(key), "%s_ko", base);
	a = json_object_get(row, key);
	return (json_is_array(a) ? a : NULL);
}

/*
 * A URL a vendor gave, if it is one a link may point at (http or https),
 * else NULL: a website column is only length-checked.
 */
static const char *
safe_url(json_t *j)
{
	const char	*s;

	if ((s = json_string_value(j)) == NULL)
		return (NULL);
	if (strncasecmp(s, "https://", 8) != 0 &&
	    strncasecmp(s, "http://", 7) != 0)
		return (NULL);
	if (strpbrk(s, " \t\r\n\"'<>") != NULL)
		return (NULL);
	return (s);
}

/* Today in Korea (UTC+9, no daylight saving) as YYYY-MM-DD. */
static void
today_seoul(char *buf, size_t len)
{
	struct tm	tm;
	time_t		t;

	t = time(NULL) + 9 * 3600;
	(void)gmtime_r(&t, &tm);
	(void)strftime(buf, len, "%Y-%m-%d", &tm);
}

/*
 * CommonMark to HTML with raw HTML and unsafe links suppressed; headings
 * move down two levels so they sit under the page's own h1 and h2.
 * Returns a malloc'd string (free()), or NULL.
 */
static char *
render_markdown(const char *src)
{
	cmark_node		*doc, *node;
	cmark_iter		*it;
	cmark_event_type	 ev;
	char			*html;
	int			 level;

	if (src == NULL || *src == '\0')
		return (NULL);
	if ((doc = cmark_parse_document(src, strlen(src), CMARK_OPT_SAFE)) ==
	    NULL)
		return (NULL);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_HEADING) {
			level = cmark_node_get_heading_level(node) + 2;
			(void)cmark_node_set_heading_level(node,
			    level > 6 ? 6 : level);
		}
	}
	cmark_iter_free(it);
	html = cmark_render_html(doc, CMARK_OPT_SAFE);
	cmark_node_free(doc);
	return (html);
}

/* An exact decimal string shown with thousands separators, or NULL. */
static json_t *
decimal_str(const char *s, int group)
{
	char	buf[MONEY_FMT_MAX];
	int64_t	v;

	if (s == NULL || money_parse(s, 0, &v) != MONEY_OK ||
	    money_format_micro(v, group ? MONEY_FMT_GROUP : 0, buf,
	    sizeof(buf)) != MONEY_OK)
		return (NULL);
	return (json_string(buf));
}

/* Whole won with thousands separators. */
static json_t *
won_str(int64_t won)
{
	char	buf[MONEY_FMT_MAX];

	if (money_format_won(won, MONEY_FMT_GROUP, buf, sizeof(buf)) !=
	    MONEY_OK)
		return (json_string("?"));
	return (json_string(buf));
}

/* A decimal string field of o (absent: 0); -1 if malformed. */
static int
get_micro(json_t *o, const char *key, int64_t *v)
{
	json_t	*j;

	*v = 0;
	if ((j = json_object_get(o, key)) == NULL)
		return (0);
	if (!json_is_string(j) ||
	    money_parse(json_string_value(j), 0, v) != MONEY_OK)
		return (-1);
	return (0);
}

/*
 * Reads one stored dimension (docs/catalog-data.md §2) into *d and its
 * reference quantity into *ref. Returns 0, or -1 when a field is missing
 * or malformed.
 */
static int
dim_parse(json_t *dj, struct rating_dimension *d, int64_t *ref)
{
	json_t		*tiers, *t, *u;
	const char	*code;
	size_t		 j;

	memset(d, 0, sizeof(*d));
	if ((code = json_string_value(json_object_get(dj, "code"))) == NULL ||
	    strlen(code) > RATING_CODE_MAX)
		return (-1);
	(void)kore_strlcpy(d->code, code, sizeof(d->code));
	if (rating_aggregation_from_name(json_string_value(
	    json_object_get(dj, "aggregation")), &d->aggregation) ||
	    rating_model_from_name(json_string_value(
	    json_object_get(dj, "model")), &d->model) ||
	    get_micro(dj, "fee", &d->fee) ||
	    get_micro(dj, "unit_price", &d->unit_price) ||
	    get_micro(dj, "package_size", &d->package_size) ||
	    get_micro(dj, "package_price", &d->package_price) ||
	    get_micro(dj, "reference_quantity", ref))
		return (-1);
	if (json_object_get(dj, "package_rounding") != NULL &&
	    rating_package_rounding_from_name(json_string_value(
	    json_object_get(dj, "package_rounding")), &d->package_rounding))
		return (-1);
	d->charge_at_zero = json_is_true(json_object_get(dj,
	    "charge_at_zero"));
	tiers = json_object_get(dj, "tiers");
	if (tiers != NULL && (!json_is_array(tiers) ||
	    json_array_size(tiers) > RATING_TIERS_MAX))
		return (-1);
	json_array_foreach(tiers, j, t) {
		if ((u = json_object_get(t, "up_to")) == NULL)
			return (-1);
		if (json_is_null(u))
			d->tiers[j].up_to = RATING_UP_TO_INF;
		else if (get_micro(t, "up_to", &d->tiers[j].up_to))
			return (-1);
		if (get_micro(t, "unit_price", &d->tiers[j].unit_price) ||
		    get_micro(t, "flat_fee", &d->tiers[j].flat_fee))
			return (-1);
		d->ntiers = j + 1;
	}
	return (0);
}

/*
 * The price table of a stored plan: one entry per dimension with its
 * unit, aggregation, model, the rows a buyer reads (exact decimals with
 * separators) and the amount at the reference quantity, priced by the
 * rating engine and rounded half up as an invoice line. *ref_won gets the
 * sum, *ok 0 if the plan cannot be read or fails rating_validate() (the
 * table is then NULL: the page says so rather than show wrong figures).
 */
static json_t *
price_table(struct http_request *req, json_t *plan, int64_t *ref_won,
    int *ok)
{
	struct rating_dimension	*dims;
	struct rating_plan	 rp;
	struct rating_result	 res;
	struct rating_error	 err;
	json_t			*out, *dims_j, *dj, *d, *rows, *t, *row;
	int64_t			 refs[RATING_DIMENSIONS_MAX], line, prev;
	size_t			 i, j, n;
	char			 buf[MONEY_FMT_MAX], from[MONEY_FMT_MAX];
	const char		*lang, *unit;

	*ref_won = 0;
	*ok = 0;
	lang = app_req(req)->lang;
	dims_j = json_object_get(plan, "dimensions");
	if ((n = json_array_size(dims_j)) == 0 || n > RATING_DIMENSIONS_MAX)
		return (NULL);
	dims = kore_calloc(n, sizeof(*dims));
	for (i = 0; i < n; i++) {
		if (dim_parse(json_array_get(dims_j, i), &dims[i],
		    &refs[i]) == -1) {
			kore_free(dims);
			return (NULL);
		}
	}
	rp.dims = dims;
	rp.ndims = n;
	rp.credits = NULL;
	rp.ncredits = 0;
	if (rating_validate(&rp, &err, 1) > 0) {
		(void)rating_error_format(&err, "en", buf, sizeof(buf));
		web_log(req, "catalog: stored plan invalid: %s", buf);
		kore_free(dims);
		return (NULL);
	}

	out = json_array();
	for (i = 0; i < n; i++) {
		dj = json_array_get(dims_j, i);
		unit = json_string_value(json_object_get(dj,
		    strcmp(lang, "en") == 0 ? "unit_en" : "unit_ko"));
		if (unit == NULL || *unit == '\0')
			unit = json_string_value(json_object_get(dj,
			    "unit_ko"));
		if (rating_price(&dims[i], refs[i], NULL, &res) != MONEY_OK ||
		    money_round_exact(res.amount, MONEY_ROUND_HALF_UP,
		    &line) != MONEY_OK) {
			json_decref(out);
			kore_free(dims);
			return (NULL);
		}
		*ref_won += line;

		d = json_pack("{s:s, s:s?, s:O?, s:O?, s:s, s:s, s:s, s:s}",
		    "code", dims[i].code, "unit", unit,
		    "unit_ko", json_object_get(dj, "unit_ko"),
		    "unit_en", json_object_get(dj, "unit_en"),
		    "aggregation", rating_aggregation_name(dims[i].aggregation),
		    "aggregation_label", lbl(req, "agg",
		    rating_aggregation_name(dims[i].aggregation)),
		    "model", rating_model_name(dims[i].model),
		    "model_label", lbl(req, "model",
		    rating_model_name(dims[i].model)));
		if (d == NULL)
			continue;
		(void)snprintf(buf, sizeof(buf), "catalog.model_help.%s",
		    rating_model_name(dims[i].model));
		json_object_set_new(d, "model_help",
		    json_string(web_str(req, buf)));
		json_object_set(d, "reference_quantity",
		    json_object_get(dj, "reference_quantity"));
		json_object_set_new(d, "reference_quantity_display",
		    decimal_str(json_string_value(json_object_get(dj,
		    "reference_quantity")), 1));
		json_object_set_new(d, "reference_amount_won",
		    json_integer(line));
		json_object_set_new(d, "reference_amount_display",
		    won_str(line));

		json_object_set_new(d, "tiered", json_false());
		json_object_set_new(d, "package", json_boolean(dims[i].model ==
		    RATING_MODEL_PACKAGE));
		rows = json_array();
		switch (dims[i].model) {
		case RATING_MODEL_FLAT:
			json_object_set(d, "fee", json_object_get(dj, "fee"));
			json_array_append_new(rows, json_pack("{s:s, s:o?}",
			    "label", web_str(req, "catalog.price.monthly_fee"),
			    "price", decimal_str(json_string_value(
			    json_object_get(dj, "fee")), 1)));
			break;
		case RATING_MODEL_PER_UNIT:
			json_object_set(d, "unit_price",
			    json_object_get(dj, "unit_price"));
			json_array_append_new(rows, json_pack("{s:s, s:o?}",
			    "label", web_str(req, "catalog.price.per_unit"),
			    "price", decimal_str(json_string_value(
			    json_object_get(dj, "unit_price")), 1)));
			break;
		case RATING_MODEL_PACKAGE:
			json_object_set(d, "package_size",
			    json_object_get(dj, "package_size"));
			json_object_set(d, "package_price",
			    json_object_get(dj, "package_price"));
			json_object_set_new(d, "package_rounding", json_string(
			    rating_package_rounding_name(
			    dims[i].package_rounding)));
			json_object_set_new(d, "package_rounding_label",
			    json_string(lbl(req, "rounding",
			    rating_package_rounding_name(
			    dims[i].package_rounding))));
			row = json_pack("{s:s, s:o?, s:o?}", "label",
			    web_str(req, "catalog.price.per_package"),
			    "price", decimal_str(json_string_value(
			    json_object_get(dj, "package_price")), 1),
			    "package_size", decimal_str(json_string_value(
			    json_object_get(dj, "package_size")), 1));
			json_array_append_new(rows, row);
			break;
		default:
			json_object_set(d, "tiers", json_object_get(dj,
			    "tiers"));
			json_object_set_new(d, "charge_at_zero",
			    json_boolean(dims[i].charge_at_zero));
			json_object_set_new(d, "tiered", json_true());
			prev = 0;
			for (j = 0; j < dims[i].ntiers; j++) {
				t = json_array_get(json_object_get(dj,
				    "tiers"), j);
				(void)money_format_micro(prev, MONEY_FMT_GROUP,
				    from, sizeof(from));
				row = json_pack("{s:i, s:s, s:o?, s:o?, s:o?}",
				    "n", (int)j + 1, "from", from,
				    "up_to", dims[i].tiers[j].up_to ==
				    RATING_UP_TO_INF ? NULL :
				    decimal_str(json_string_value(
				    json_object_get(t, "up_to")), 1),
				    "price", decimal_str(json_string_value(
				    json_object_get(t, "unit_price")), 1),
				    "flat_fee", decimal_str(json_string_value(
				    json_object_get(t, "flat_fee")), 1));
				if (row != NULL && dims[i].tiers[j].flat_fee ==
				    0)
					json_object_set_new(row, "flat_fee",
					    json_null());
				if (row != NULL)
					json_object_set_new(row, "first",
					    json_boolean(j == 0));
				json_array_append_new(rows, row);
				prev = dims[i].tiers[j].up_to;
			}
			break;
		}
		json_object_set_new(d, "rows", rows);
		json_array_append_new(out, d);
	}
	kore_free(dims);
	*ok = 1;
	return (out);
}

/* The SLA credit schedule as rows "below X% → Y% of the month". */
static json_t *
credit_rows(struct http_request *req, json_t *plan)
{
	json_t	*out, *c;
	size_t	 i;

	(void)req;
	out = json_array();
	json_array_foreach(json_object_get(plan, "credits"), i, c) {
		json_array_append_new(out, json_pack("{s:O?, s:O?, s:o?, s:o?}",
		    "below", json_object_get(c, "below"),
		    "share", json_object_get(c, "share"),
		    "below_display", decimal_str(json_string_value(
		    json_object_get(c, "below")), 0),
		    "share_display", decimal_str(json_string_value(
		    json_object_get(c, "share")), 0)));
	}
	return (out);
}

/* A certificate with its labels: scheme, type, grade, state. */
static json_t *
cert_view(struct http_request *req, json_t *c)
{
	json_t		*v;
	const char	*state, *grade, *type, *impact;

	v = json_deep_copy(c);
	state = json_string_value(json_object_get(c, "state"));
	grade = json_string_value(json_object_get(c, "grade"));
	type = json_string_value(json_object_get(c, "csap_type"));
	impact = json_string_value(json_object_get(c, "fedramp_impact"));
	json_object_set_new(v, "valid", json_boolean(state != NULL &&
	    strcmp(state, "valid") == 0));
	json_object_set_new(v, "scheme_label", json_string(lbl(req, "scheme",
	    json_string_value(json_object_get(c, "scheme")))));
	json_object_set_new(v, "state_label", json_string(lbl(req, "state",
	    state)));
	if (grade != NULL)
		json_object_set_new(v, "grade_label", json_string(lbl(req,
		    "grade", grade)));
	if (type != NULL)
		json_object_set_new(v, "csap_type_label", json_string(lbl(req,
		    "csap_type", type)));
	if (impact != NULL)
		json_object_set_new(v, "fedramp_impact_label",
		    json_string(lbl(req, "impact", impact)));
	return (v);
}

/*
 * Adds to card the labels of the signals in sig (catalog_card(), from
 * PostgreSQL or the search index): CSAP grade in force (re-checked
 * against today's date, so an index copy older than the expiry never
 * shows it valid), lapsed CSAP, FedRAMP impact level in force (imported
 * listings), domestic data centre, SME vendor, free trial, reference
 * monthly price. sig may be NULL (an old index).
 */
void
catalog_card_signals(struct http_request *req, json_t *sig, json_t *card)
{
	const char	*until, *grade, *region, *s;
	char		 today[16], *t;
	json_t		*price;
	int		 valid;

	/*
	 * Every key is set, false when absent: templates look a missing
	 * key up in the enclosing page, which may have one of that name.
	 */
	json_object_set_new(card, "csap_valid", json_false());
	json_object_set_new(card, "csap_grade", json_string(""));
	json_object_set_new(card, "cert_expired", json_false());
	json_object_set_new(card, "domestic", json_false());
	json_object_set_new(card, "overseas", json_false());
	json_object_set_new(card, "dc_label", json_string(""));
	json_object_set_new(card, "sme", json_false());
	json_object_set_new(card, "free_trial", json_false());
	json_object_set_new(card, "price_display", json_string(""));
	json_object_set_new(card, "fedramp", json_string(""));
	if (!json_is_object(sig))
		return;
	if ((s = json_string_value(json_object_get(sig, "fedramp_impact"))))
		json_object_set_new(card, "fedramp", json_string(lbl(req,
		    "impact", s)));
	today_seoul(today, sizeof(today));
	until = json_string_value(json_object_get(sig, "csap_until"));
	valid = json_is_true(json_object_get(sig, "csap_valid")) &&
	    (until == NULL || strcmp(until, today) >= 0);
	grade = json_string_value(json_object_get(sig, "csap_grade"));
	if (valid) {
		json_object_set_new(card, "csap_valid", json_true());
		if (grade != NULL)
			json_object_set_new(card, "csap_grade",
			    json_string(lbl(req, "grade", grade)));
	} else if (json_is_true(json_object_get(sig, "csap_valid")) ||
	    json_is_true(json_object_get(sig, "csap_lapsed"))) {
		json_object_set_new(card, "cert_expired", json_true());
	}
	region = json_string_value(json_object_get(sig, "dc_region"));
	if (json_is_true(json_object_get(sig, "domestic"))) {
		json_object_set_new(card, "domestic", json_true());
		if (region != NULL && *region != '\0')
			json_object_set_new(card, "dc_label",
			    json_string(lbl(req, "region", region)));
	}
	if (json_is_true(json_object_get(sig, "overseas"))) {
		json_object_set_new(card, "overseas", json_true());
		if (region != NULL && *region != '\0')
			json_object_set_new(card, "dc_label",
			    json_string(lbl(req, "region", region)));
	}
	if (json_is_true(json_object_get(sig, "sme")))
		json_object_set_new(card, "sme", json_true());
	if (json_is_true(json_object_get(sig, "free_trial")))
		json_object_set_new(card, "free_trial", json_true());
	price = json_object_get(sig, "reference_monthly_price_won");
	if (json_is_integer(price)) {
		json_object_set(card, "reference_monthly_price_won", price);
		t = won_text(req, json_integer_value(price));
		json_object_set_new(card, "price_display", json_string(t));
		kore_free(t);
	}
}

/* A card for the service_card template from a CARD_JSON row. */
static json_t *
card_from_row(struct http_request *req, json_t *r)
{
	json_t		*card;
	const char	*type, *alt;
	char		 url[64], key[32];
	int		 en;

	en = strcmp(app_req(req)->lang, "en") == 0;
	type = json_string_value(json_object_get(r, "service_type"));
	(void)snprintf(url, sizeof(url), "/services/%lld",
	    (long long)json_integer_value(json_object_get(r, "id")));
	(void)snprintf(key, sizeof(key), "type.%s", type != NULL ? type : "");
	alt = json_string_value(json_object_get(r, en ? "name_ko" : "name_en"));
	card = json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s?, s:s}",
	    "id", json_object_get(r, "id"), "url", url,
	    "name", pick(r, "name", en), "name_alt",
	    alt != NULL && strcmp(alt, pick(r, "name", en)) != 0 ? alt : "",
	    "summary", pick(r, "summary", en), "vendor", pick(r, "vendor", en),
	    "service_type", type, "service_type_label", web_str(req, key));
	if (card != NULL)
		catalog_card_signals(req, json_object_get(r, "card"), card);
	return (card);
}

static json_t *
cards_from(struct http_request *req, json_t *rows)
{
	json_t	*out, *r, *c;
	size_t	 i;

	out = json_array();
	json_array_foreach(rows, i, r) {
		if ((c = card_from_row(req, r)) != NULL)
			json_array_append_new(out, c);
	}
	return (out);
}

static json_t *
channel_labels(struct http_request *req, json_t *channels)
{
	json_t	*out, *c;
	size_t	 i;

	out = json_array();
	json_array_foreach(channels, i, c)
		json_array_append_new(out, json_string(lbl(req, "channel",
		    json_string_value(c))));
	return (out);
}

/*
 * The terms both the service page and the comparison show, as labels in
 * the reader's language, added to vm from the listing row r.
 */
static void
terms_view(struct http_request *req, json_t *r, json_t *vm)
{
	const char	*s;
	char		 buf[128], *t;
	json_t		*j;
	int		 en;

	en = strcmp(app_req(req)->lang, "en") == 0;
	if ((s = json_string_value(json_object_get(r, "deployment_model"))))
		json_object_set_new(vm, "deployment_label",
		    json_string(lbl(req, "deployment", s)));
	if ((s = json_string_value(json_object_get(r, "dc_location"))))
		json_object_set_new(vm, "dc_location_label",
		    json_string(lbl(req, "dc", s)));
	if ((s = json_string_value(json_object_get(r, "dc_region"))) &&
	    *s != '\0')
		json_object_set_new(vm, "dc_region_label",
		    json_string(lbl(req, "region", s)));
	if ((j = decimal_str(json_string_value(json_object_get(r,
	    "availability_target")), 0)) != NULL)
		json_object_set_new(vm, "availability_display", j);
	if (json_is_integer(json_object_get(r, "recovery_grade_hours"))) {
		(void)snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(json_object_get(r,
		    "recovery_grade_hours")));
		json_object_set_new(vm, "recovery_label",
		    json_string(lbl(req, "recovery", buf)));
	}
	if ((s = json_string_value(json_object_get(r, "support_hours"))))
		json_object_set_new(vm, "support_hours_label",
		    json_string(lbl(req, "hours", s)));
	json_object_set_new(vm, "support_channel_labels", channel_labels(req,
	    json_object_get(r, "support_channels")));
	if ((s = json_string_value(json_object_get(r, "contract_unit"))))
		json_object_set_new(vm, "contract_unit_label",
		    json_string(lbl(req, "unit", s)));
	if ((s = json_string_value(json_object_get(r, "company_size"))))
		json_object_set_new(vm, "company_size_label",
		    json_string(lbl(req, "size", s)));
	s = json_string_value(json_object_get(r, "free_trial_url"));
	json_object_set_new(vm, "free_trial", json_boolean(s != NULL &&
	    *s != '\0'));
	json_object_set_new(vm, "free_trial_terms", json_string(pick(r,
	    "free_trial_terms", en)));
	if (json_is_integer(json_object_get(r,
	    "reference_monthly_price_won"))) {
		t = won_text(req, json_integer_value(json_object_get(r,
		    "reference_monthly_price_won")));
		json_object_set_new(vm, "reference_price_display",
		    json_string(t));
		kore_free(t);
	}
	json_object_set_new(vm, "vendor", json_string(pick(r, "vendor", en)));
}

/* "147,252원" / "KRW 147,252" (catalog.price.won), kore_malloc'd. */
static char *
won_text(struct http_request *req, int64_t won)
{
	struct kore_buf	 b;
	const char	*fmt, *at;
	char		 num[MONEY_FMT_MAX];
	size_t		 len;

	if (money_format_won(won, MONEY_FMT_GROUP, num, sizeof(num)) !=
	    MONEY_OK)
		(void)kore_strlcpy(num, "?", sizeof(num));
	fmt = web_str(req, "catalog.price.won");
	kore_buf_init(&b, 32);
	if ((at = strstr(fmt, "{amount}")) != NULL) {
		kore_buf_append(&b, fmt, at - fmt);
		kore_buf_appendf(&b, "%s%s", num, at + 8);
	} else {
		kore_buf_appendf(&b, "%s %s", num, fmt);
	}
	kore_buf_append(&b, "", 1);
	return ((char *)kore_buf_release(&b, &len));
}

/*
 * The one-line texts of a service's column in the comparison, from the
 * labels terms_view() and catalog_card_signals() put into d.
 */
static void
compare_texts(struct http_request *req, json_t *d)
{
	struct kore_buf	 b;
	json_t		*a, *x;
	const char	*s;
	char		*t;
	size_t		 i, len;

#define TAKE(key) do {							\
	kore_buf_append(&b, "", 1);					\
	t = (char *)kore_buf_release(&b, &len);				\
	json_object_set_new(d, key, json_string(t));			\
	kore_free(t);							\
} while (0)
#define STR(key) (json_string_value(json_object_get(d, key)) != NULL ?	\
	json_string_value(json_object_get(d, key)) : "")

	kore_buf_init(&b, 64);
	if (json_is_true(json_object_get(d, "csap_valid")))
		kore_buf_appendf(&b, "%s %s", web_str(req, "tag.csap"),
		    *STR("csap_grade") != '\0' ? STR("csap_grade") :
		    web_str(req, "catalog.csap_no_grade"));
	else if (json_is_true(json_object_get(d, "cert_expired")))
		kore_buf_appendf(&b, "%s", web_str(req,
		    "catalog.csap_lapsed"));
	else
		kore_buf_appendf(&b, "%s", web_str(req, "catalog.none"));
	TAKE("csap_grade_text");

	kore_buf_init(&b, 64);
	kore_buf_appendf(&b, "%s%s%s", STR("dc_location_label"),
	    *STR("dc_region_label") != '\0' ? " · " : "",
	    STR("dc_region_label"));
	TAKE("dc_text");

	kore_buf_init(&b, 32);
	if (*STR("availability_display") != '\0')
		kore_buf_appendf(&b, "%s%%", STR("availability_display"));
	TAKE("sla_text");

	kore_buf_init(&b, 64);
	kore_buf_appendf(&b, "%s", STR("support_hours_label"));
	a = json_object_get(d, "support_channel_labels");
	json_array_foreach(a, i, x)
		kore_buf_appendf(&b, "%s%s%s", i == 0 ? " (" : ", ",
		    json_string_value(x), i + 1 == json_array_size(a) ?
		    ")" : "");
	TAKE("support_text");

	kore_buf_init(&b, 32);
	if (json_is_integer(json_object_get(d,
	    "reference_monthly_price_won"))) {
		t = won_text(req, json_integer_value(json_object_get(d,
		    "reference_monthly_price_won")));
		kore_buf_appendf(&b, "%s", t);
		kore_free(t);
	}
	TAKE("price_text");

	kore_buf_init(&b, 64);
	a = json_object_get(d, "dimensions");
	json_array_foreach(a, i, x)
		kore_buf_appendf(&b, "%s%s", i > 0 ? ", " : "",
		    json_string_value(x));
	TAKE("dimensions_text");

	kore_buf_init(&b, 64);
	kore_buf_appendf(&b, "%s", STR("vendor"));
	if (*STR("company_size_label") != '\0')
		kore_buf_appendf(&b, " (%s)", STR("company_size_label"));
	TAKE("vendor_text");

	kore_buf_init(&b, 64);
	if (json_is_true(json_object_get(d, "free_trial"))) {
		s = STR("free_trial_terms");
		kore_buf_appendf(&b, "%s%s%s", web_str(req, "catalog.yes"),
		    *s != '\0' ? ": " : "", s);
	} else {
		kore_buf_appendf(&b, "%s", web_str(req, "catalog.none"));
	}
	TAKE("trial_text");

	kore_buf_init(&b, 64);
	if (json_is_integer(json_object_get(d, "min_contract_months"))) {
		t = kore_strdup(web_str(req, "catalog.months"));
		kore_buf_appendf(&b, "%lld%s", (long long)json_integer_value(
		    json_object_get(d, "min_contract_months")), t);
		kore_free(t);
	}
	if (*STR("contract_unit_label") != '\0')
		kore_buf_appendf(&b, "%s%s", b.offset > 0 ? " · " : "",
		    STR("contract_unit_label"));
	TAKE("min_term_text");
#undef TAKE
#undef STR
}

/* GET /services/:id, /api/v1/services/:id. */
int
catalog_service(struct http_request *req)
{
	return (service_page(req, 0));
}

/* GET /services/:id/print: the same page laid out for paper. */
int
catalog_service_print(struct http_request *req)
{
	return (service_page(req, 1));
}

static int
service_page(struct http_request *req, int print)
{
	struct app_req	*ar;
	json_t		*row, *vm, *plan, *table, *certs, *c, *badges;
	const char	*params[1], *type;
	char		 id[24], key[32], *html;
	int64_t		 ref_won, vat;
	size_t		 i;
	int		 rc, en, ok;

	ar = app_req(req);
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	if ((rc = db_call(req, &ar->db[0], service_sql, 1, params)) ==
	    DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));

	en = strcmp(ar->lang, "en") == 0;
	type = json_string_value(json_object_get(row, "service_type"));
	(void)snprintf(key, sizeof(key), "type.%s", type != NULL ? type : "");
	if ((vm = json_deep_copy(row)) == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	json_object_del(vm, "card");
	json_object_set_new(vm, "website_url", safe_url(json_object_get(row,
	    "website")) != NULL ? json_string(safe_url(json_object_get(row,
	    "website"))) : json_null());
	json_object_set_new(vm, "vendor_website_url", safe_url(json_object_get(
	    row, "vendor_website")) != NULL ? json_string(safe_url(
	    json_object_get(row, "vendor_website"))) : json_null());
	json_object_set_new(vm, "service_type_label",
	    json_string(web_str(req, key)));
	json_object_set_new(vm, "vendor_url", json_sprintf("/vendors/%lld",
	    (long long)json_integer_value(json_object_get(row, "vendor_id"))));

	/* Certificates, each with its state; badges are those in force. */
	certs = json_array();
	badges = json_array();
	json_array_foreach(json_object_get(row, "certificates"), i, c) {
		json_array_append_new(certs, cert_view(req, c));
		if (json_is_true(json_object_get(json_array_get(certs, i),
		    "valid")))
			json_array_append(badges, json_array_get(certs, i));
	}
	json_object_set_new(vm, "certificates", certs);
	json_object_set_new(vm, "badges", badges);

	/* Price table, computed from the stored plan by the rating engine. */
	plan = json_object_get(row, "rate_plan");
	table = NULL;
	ok = 0;
	ref_won = 0;
	if (json_is_object(plan))
		table = price_table(req, plan, &ref_won, &ok);
	json_object_set_new(vm, "price_table", table != NULL ? table :
	    json_array());
	json_object_set_new(vm, "price_table_ok", json_boolean(ok));
	json_object_set_new(vm, "has_plan", json_boolean(json_is_object(plan)));
	json_object_set_new(vm, "credits", json_is_object(plan) ?
	    credit_rows(req, plan) : json_array());
	if (ok && json_is_integer(json_object_get(row,
	    "reference_monthly_price_won")) && ref_won !=
	    json_integer_value(json_object_get(row,
	    "reference_monthly_price_won")))
		web_log(req, "catalog: listing %s: reference price %lld "
		    "stored, %lld computed", id, (long long)json_integer_value(
		    json_object_get(row, "reference_monthly_price_won")),
		    (long long)ref_won);
	if (json_is_integer(json_object_get(row,
	    "reference_monthly_price_won")) && money_vat(json_integer_value(
	    json_object_get(row, "reference_monthly_price_won")), &vat) ==
	    MONEY_OK) {
		json_object_set_new(vm, "reference_vat_won", json_integer(vat));
		json_object_set_new(vm, "reference_total_won", json_integer(
		    json_integer_value(json_object_get(row,
		    "reference_monthly_price_won")) + vat));
		html = won_text(req, json_integer_value(json_object_get(row,
		    "reference_monthly_price_won")) + vat);
		json_object_set_new(vm, "reference_total_display",
		    json_string(html));
		kore_free(html);
	}

	/*
	 * Counters: contracts made on Gureum (contracts_* columns, shown
	 * by the template) and, apart from them and named as such, the
	 * historical authorisations imported from FedRAMP.
	 */
	json_object_set_new(vm, "counters", json_pack("[{s:s, s:s, s:O, s:O,"
	    " s:O}]", "kind", "historical_authorisations", "label",
	    web_str(req, "catalog.counter.historical"),
	    "count_ato", json_object_get(row, "hist_ato"),
	    "count_reuse", json_object_get(row, "hist_reuse"),
	    "agencies", json_object_get(row, "hist_agencies")));
	json_object_set_new(vm, "usage_total", json_integer(
	    json_integer_value(json_object_get(row, "hist_ato")) +
	    json_integer_value(json_object_get(row, "hist_reuse"))));

	json_object_set_new(vm, "runs_on", cards_from(req,
	    json_object_get(row, "runs_on")));
	json_object_set_new(vm, "hosts", cards_from(req,
	    json_object_get(row, "hosts")));
	json_object_set_new(vm, "hosts_more", json_boolean(json_integer_value(
	    json_object_get(row, "hosts_total")) > HOSTED_MAX));
	json_object_set_new(vm, "related", cards_from(req,
	    json_object_get(row, "related")));
	terms_view(req, row, vm);

	/* A buyer sees whether each of its systems may contract it. */
	if (ar->who.role & ROLES_AGENCY) {
		json_t	*elig;

		rc = eligcheck_preview(req, &ar->db[1], ar->id, &elig);
		if (rc == DB_PENDING) {
			/* ar->vm is rebuilt on the next call. */
			json_decref(ar->vm);
			ar->vm = NULL;
			return (KORE_RESULT_RETRY);
		}
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[1]));
		json_object_set_new(vm, "eligibility", elig);
		json_object_set_new(vm, "has_systems",
		    json_boolean(json_array_size(elig) > 0));
	}

	if (ar->json)
		return (web_page(req, 200, "service", vm));

	/* What the page shows, in the reader's language. */
	json_object_set_new(vm, "name", json_string(pick(row, "name", en)));
	json_object_set_new(vm, "name_alt", json_string(en ?
	    json_string_value(json_object_get(row, "name_ko")) :
	    json_string_value(json_object_get(row, "name_en"))));
	/* Imported listings carry the English name in both columns. */
	if (strcmp(json_string_value(json_object_get(vm, "name_alt")),
	    json_string_value(json_object_get(vm, "name"))) == 0)
		json_object_set_new(vm, "name_alt", json_string(""));
	json_object_set_new(vm, "summary", json_string(pick(row, "summary",
	    en)));
	json_object_set_new(vm, "category", json_string(pick(row, "category",
	    en)));
	if ((html = render_markdown(pick(row, "description", en))) != NULL) {
		json_object_set_new(vm, "description_html", json_string(html));
		free(html);
	}
	json_object_set(vm, "features", pick_list(row, "features", en));
	json_object_set(vm, "benefits", pick_list(row, "benefits", en));
	json_object_set(vm, "target_customers", pick_list(row,
	    "target_customers", en));
	json_object_set(vm, "customer_references", pick_list(row,
	    "customer_references", en));
	json_object_set_new(vm, "compare_choices", json_deep_copy(
	    json_object_get(vm, "related")));
	json_object_set_new(vm, "compare_possible", json_boolean(
	    json_array_size(json_object_get(vm, "related")) > 0));
	json_object_set(vm, "title", json_object_get(vm, "name"));
	json_object_set_new(vm, "print_url", json_sprintf("/services/%s/print",
	    id));
	json_object_set_new(vm, "page_url", json_sprintf("/services/%s", id));
	return (web_page(req, 200, print ? "service_print" : "service", vm));
}

/*
 * The directory group of a name for the reader's language: Korean groups
 * by initial consonant (ㄱ … ㅎ, tense consonants with their plain ones,
 * as dictionaries do), both languages group Latin letters A–Z, anything
 * else goes under "#". Writes the group into buf; returns its sort rank
 * as a JSON integer (Korean first for Korean readers, A–Z first for
 * English readers).
 */
static json_t *
initial_group(const char *name, int en, char *buf, size_t len)
{
	static const char	*jamo[19] = {
		"ㄱ", "ㄱ", "ㄴ", "ㄷ", "ㄷ", "ㄹ", "ㅁ", "ㅂ", "ㅂ", "ㅅ",
		"ㅅ", "ㅇ", "ㅈ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"
	};
	static const int	 rank[19] = {
		0, 0, 1, 2, 2, 3, 4, 5, 5, 6, 6, 7, 8, 8, 9, 10, 11, 12, 13
	};
	const unsigned char	*p;
	unsigned		 cp;
	int			 r;

	p = (const unsigned char *)name;
	while (*p == ' ' || *p == '(' || *p == '"' || *p == '\'')
		p++;
	if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
		(void)snprintf(buf, len, "%c", *p & ~0x20);
		r = (*p & ~0x20) - 'A';
		return (json_integer(en ? r : 100 + r));
	}
	if ((p[0] & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80) {
		cp = ((p[0] & 0x0f) << 12) | ((p[1] & 0x3f) << 6) |
		    (p[2] & 0x3f);
		if (cp >= 0xac00 && cp <= 0xd7a3) {
			cp = (cp - 0xac00) / 588;
			(void)snprintf(buf, len, "%s", jamo[cp]);
			return (json_integer(en ? 100 + rank[cp] : rank[cp]));
		}
	}
	(void)snprintf(buf, len, "#");
	return (json_integer(200));
}

/* GET /vendors, /api/v1/vendors: the directory A–Z / 가나다. */
int
catalog_vendors(struct http_request *req)
{
	static const char	*ko[14] = { "ㄱ", "ㄴ", "ㄷ", "ㄹ", "ㅁ", "ㅂ",
		"ㅅ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ" };
	struct app_req	*ar;
	json_t		*vm, *groups, *g, *row, *v, *rank, *index;
	const char	*params[1], *name, *s;
	char		 grp[8], url[64], key[32];
	size_t		 i, j, total_listings;
	int		 rc, en;

	ar = app_req(req);
	en = strcmp(ar->lang, "en") == 0;
	params[0] = ar->lang;
	if ((rc = db_call(req, &ar->db[0], vendors_sql, 1, params)) ==
	    DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));

	/* Rows come sorted by name; groups keep that order inside. */
	groups = json_array();
	total_listings = 0;
	json_array_foreach(ar->db[0].rows, i, row) {
		name = pick(row, "name", en);
		rank = initial_group(name, en, grp, sizeof(grp));
		for (j = 0; j < json_array_size(groups); j++) {
			if (strcmp(json_string_value(json_object_get(
			    json_array_get(groups, j), "group")), grp) == 0)
				break;
		}
		if (j == json_array_size(groups)) {
			json_array_append_new(groups, json_pack("{s:s, s:o,"
			    " s:[]}", "group", grp, "rank", rank, "vendors"));
		} else {
			json_decref(rank);
		}
		g = json_array_get(groups, j);
		(void)snprintf(url, sizeof(url), "/vendors/%lld",
		    (long long)json_integer_value(json_object_get(row, "id")));
		v = json_pack("{s:O, s:s, s:s, s:O, s:O, s:O, s:O, s:s?}",
		    "id", json_object_get(row, "id"), "url", url,
		    "name", name, "name_ko", json_object_get(row, "name_ko"),
		    "name_en", json_object_get(row, "name_en"),
		    "company_size", json_object_get(row, "company_size"),
		    "listings", json_object_get(row, "listings"),
		    "company_size_label", lbl(req, "size", json_string_value(
		    json_object_get(row, "company_size"))));
		s = json_string_value(json_object_get(row, "company_size"));
		if (v != NULL && s != NULL && strcmp(s, "sme") == 0)
			json_object_set_new(v, "sme", json_true());
		json_array_append_new(json_object_get(g, "vendors"), v);
		total_listings += json_integer_value(json_object_get(row,
		    "listings"));
	}

	/* Groups in rank order (insertion sort: at most 41 groups). */
	for (i = 1; i < json_array_size(groups); i++) {
		for (j = i; j > 0 && json_integer_value(json_object_get(
		    json_array_get(groups, j - 1), "rank")) >
		    json_integer_value(json_object_get(json_array_get(groups,
		    j), "rank")); j--) {
			g = json_incref(json_array_get(groups, j));
			json_array_set(groups, j, json_array_get(groups,
			    j - 1));
			json_array_set_new(groups, j - 1, g);
		}
	}
	/* The index: every letter of the reader's alphabet, found or not. */
	index = json_array();
	for (i = 0; i < 14 + 26; i++) {
		if (en && i < 14)
			continue;
		if (i < 14)
			(void)snprintf(grp, sizeof(grp), "%s", ko[i]);
		else
			(void)snprintf(grp, sizeof(grp), "%c",
			    (int)('A' + i - 14));
		for (j = 0; j < json_array_size(groups); j++) {
			g = json_array_get(groups, j);
			if (strcmp(json_string_value(json_object_get(g,
			    "group")), grp) == 0)
				break;
		}
		json_array_append_new(index, json_pack("{s:s, s:b, s:i}",
		    "group", grp, "present", j < json_array_size(groups),
		    "count", j < json_array_size(groups) ? (int)
		    json_array_size(json_object_get(json_array_get(groups, j),
		    "vendors")) : 0));
	}
	json_array_foreach(groups, i, g) {
		(void)snprintf(key, sizeof(key), "g%zu", i);
		json_object_set_new(g, "anchor", json_string(key));
		json_object_set_new(g, "count", json_integer(json_array_size(
		    json_object_get(g, "vendors"))));
		json_object_del(g, "rank");
	}
	json_array_foreach(index, i, v) {
		json_array_foreach(groups, j, g) {
			if (strcmp(json_string_value(json_object_get(g,
			    "group")), json_string_value(json_object_get(v,
			    "group"))) == 0)
				json_object_set(v, "anchor",
				    json_object_get(g, "anchor"));
		}
	}

	vm = json_pack("{s:o, s:o, s:I, s:I, s:s}", "groups", groups,
	    "index", index,
	    "total_vendors", (json_int_t)json_array_size(ar->db[0].rows),
	    "total_listings", (json_int_t)total_listings,
	    "title", web_str(req, "catalog.vendors.title"));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	return (web_page(req, 200, "vendors", vm));
}

/* GET /vendors/:id, /api/v1/vendors/:id. */
int
catalog_vendor(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*row, *vm, *certs, *c;
	const char	*params[1];
	char		 id[24];
	size_t		 i;
	int		 rc, en;

	ar = app_req(req);
	en = strcmp(ar->lang, "en") == 0;
	(void)snprintf(id, sizeof(id), "%lld", (long long)ar->id);
	params[0] = id;
	if ((rc = db_call(req, &ar->db[0], vendor_sql, 1, params)) ==
	    DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));
	if ((row = json_array_get(ar->db[0].rows, 0)) == NULL)
		return (web_error(req, APP_ENOTFOUND, NULL, NULL));

	vm = json_pack("{s:O, s:O, s:O, s:O, s:O, s:s, s:s?, s:o, s:I}",
	    "id", json_object_get(row, "id"),
	    "name_ko", json_object_get(row, "name_ko"),
	    "name_en", json_object_get(row, "name_en"),
	    "company_size", json_object_get(row, "company_size"),
	    "website", json_object_get(row, "website"),
	    "name", pick(row, "name", en),
	    "company_size_label", lbl(req, "size", json_string_value(
	    json_object_get(row, "company_size"))),
	    "services", cards_from(req, json_object_get(row, "listings")),
	    "service_count", (json_int_t)json_array_size(json_object_get(row,
	    "listings")));
	if (vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	ar->vm = vm;
	json_object_set_new(vm, "name_alt", json_string(en ?
	    json_string_value(json_object_get(row, "name_ko")) :
	    json_string_value(json_object_get(row, "name_en"))));
	if (strcmp(json_string_value(json_object_get(vm, "name_alt")),
	    json_string_value(json_object_get(vm, "name"))) == 0)
		json_object_set_new(vm, "name_alt", json_string(""));
	json_object_set_new(vm, "website_url", safe_url(json_object_get(row,
	    "website")) != NULL ? json_string(safe_url(json_object_get(row,
	    "website"))) : json_null());
	json_object_set_new(vm, "sme", json_boolean(json_string_value(
	    json_object_get(row, "company_size")) != NULL &&
	    strcmp(json_string_value(json_object_get(row, "company_size")),
	    "sme") == 0));
	certs = json_array();
	json_array_foreach(json_object_get(row, "certificates"), i, c)
		json_array_append_new(certs, cert_view(req, c));
	json_object_set_new(vm, "certificates", certs);
	json_object_set(vm, "title", json_object_get(vm, "name"));
	return (web_page(req, 200, "vendor", vm));
}

/*
 * Answers a refused comparison: {"error": {code, message, field: "ids",
 * ...detail}} as JSON, or the comparison page with the explanation.
 * Takes detail (may be NULL).
 */
static int
compare_refuse(struct http_request *req, int status, const char *code,
    const char *msgkey, json_t *detail)
{
	struct app_req	*ar;
	json_t		*err, *vm;

	ar = app_req(req);
	err = json_pack("{s:s, s:s, s:s}", "code", code, "message",
	    web_str(req, msgkey), "field", "ids");
	if (err == NULL) {
		json_decref(detail);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	if (detail != NULL)
		json_object_update(err, detail);
	json_decref(detail);
	vm = json_pack("{s:o, s:s}", "error", err, "title",
	    web_str(req, msgkey));
	if (ar->vm != NULL)
		json_decref(ar->vm);
	ar->vm = vm;
	return (web_page(req, status, "compare", vm));
}

/*
 * GET /compare?ids=1,2,3 and /api/v1/compare: two to four published
 * services of the same type side by side. ids may also be repeated
 * (ids=1&ids=2, what a form of checkboxes sends).
 */
int
catalog_compare(struct http_request *req)
{
	struct app_req	*ar;
	json_t		*svc, *rows, *cells, *row, *r, *plan, *d, *detail;
	int64_t		 ids[COMPARE_MAX], v;
	const char	*s, *p, *params[1], *type;
	char		 arr[COMPARE_MAX * 24 + 4], key[32], buf[128];
	size_t		 n, i, j, k, len;
	int		 rc, en;

	ar = app_req(req);
	en = strcmp(ar->lang, "en") == 0;
	n = 0;
	for (i = 0; (s = qs_nth(&ar->qs, "ids", i)) != NULL; i++) {
		p = s;
		for (;;) {
			/* A positive decimal id, then ',' or the end. */
			if (*p < '1' || *p > '9')
				return (compare_refuse(req, 400,
				    "invalid_parameter",
				    "catalog.compare.error_ids", NULL));
			v = 0;
			for (len = 0; p[len] >= '0' && p[len] <= '9'; len++) {
				if (len >= 15)
					return (compare_refuse(req, 400,
					    "invalid_parameter",
					    "catalog.compare.error_ids", NULL));
				v = v * 10 + (p[len] - '0');
			}
			p += len;
			if (*p != ',' && *p != '\0')
				return (compare_refuse(req, 400,
				    "invalid_parameter",
				    "catalog.compare.error_ids", NULL));
			if (n == COMPARE_MAX)
				return (compare_refuse(req, 400,
				    "invalid_parameter",
				    "catalog.compare.error_too_many", NULL));
			for (j = 0; j < n; j++) {
				if (ids[j] == v)
					return (compare_refuse(req, 400,
					    "invalid_parameter",
					    "catalog.compare.error_duplicate",
					    json_pack("{s:I}", "duplicate",
					    (json_int_t)v)));
			}
			ids[n++] = v;
			if (*p == '\0')
				break;
			p++;
		}
	}
	if (n < COMPARE_MIN)
		return (compare_refuse(req, 400, "invalid_parameter",
		    n == 0 ? "catalog.compare.error_missing" :
		    "catalog.compare.error_too_few", NULL));

	len = 0;
	arr[len++] = '{';
	for (i = 0; i < n; i++)
		len += snprintf(arr + len, sizeof(arr) - len, "%s%lld",
		    i > 0 ? "," : "", (long long)ids[i]);
	(void)snprintf(arr + len, sizeof(arr) - len, "}");
	params[0] = arr;
	if ((rc = db_call(req, &ar->db[0], compare_sql, 1, params)) ==
	    DB_PENDING)
		return (KORE_RESULT_RETRY);
	if (rc == DB_ERROR)
		return (web_db_error(req, &ar->db[0]));

	/* In the order asked; an id not published is named. */
	svc = json_array();
	for (i = 0; i < n; i++) {
		r = NULL;
		json_array_foreach(ar->db[0].rows, j, row) {
			if (json_integer_value(json_object_get(row, "id")) ==
			    ids[i]) {
				r = row;
				break;
			}
		}
		if (r == NULL) {
			json_decref(svc);
			return (compare_refuse(req, 404, "not_found",
			    "catalog.compare.error_not_found",
			    json_pack("{s:I}", "not_found",
			    (json_int_t)ids[i])));
		}
		json_array_append(svc, r);
	}

	/* CEART's rule: only services of the same type. */
	type = json_string_value(json_object_get(json_array_get(svc, 0),
	    "service_type"));
	json_array_foreach(svc, i, r) {
		if (strcmp(json_string_value(json_object_get(r,
		    "service_type")), type) != 0)
			break;
	}
	if (i < json_array_size(svc)) {
		detail = json_pack("{s:[]}", "services");
		json_array_foreach(svc, i, r) {
			(void)snprintf(key, sizeof(key), "type.%s",
			    json_string_value(json_object_get(r,
			    "service_type")));
			json_array_append_new(json_object_get(detail,
			    "services"), json_pack("{s:O, s:s, s:O, s:s,"
			    " s:s}", "id", json_object_get(r, "id"),
			    "name", pick(r, "name", en), "service_type",
			    json_object_get(r, "service_type"),
			    "service_type_label", web_str(req, key),
			    "url", "/services/"));
			json_object_set_new(json_array_get(json_object_get(
			    detail, "services"), i), "url",
			    json_sprintf("/services/%lld", (long long)
			    json_integer_value(json_object_get(r, "id"))));
		}
		json_decref(svc);
		return (compare_refuse(req, 400, "mixed_types",
		    "catalog.compare.error_types", detail));
	}

	/* Each service's view, then one table row per attribute. */
	json_array_foreach(svc, i, r) {
		d = json_deep_copy(r);
		json_object_del(d, "card");
		terms_view(req, r, d);
		json_object_set_new(d, "name", json_string(pick(r, "name",
		    en)));
		json_object_set_new(d, "url", json_sprintf("/services/%lld",
		    (long long)json_integer_value(json_object_get(r, "id"))));
		(void)snprintf(key, sizeof(key), "type.%s", type);
		json_object_set_new(d, "service_type_label",
		    json_string(web_str(req, key)));
		catalog_card_signals(req, json_object_get(r, "card"), d);
		plan = json_object_get(r, "rate_plan");
		cells = json_array();
		json_array_foreach(json_object_get(plan, "dimensions"), k,
		    row) {
			s = json_string_value(json_object_get(row,
			    en ? "unit_en" : "unit_ko"));
			(void)snprintf(buf, sizeof(buf), "%s (%s)",
			    s != NULL ? s : "", lbl(req, "model",
			    json_string_value(json_object_get(row, "model"))));
			json_array_append_new(cells, json_string(buf));
		}
		json_object_set_new(d, "dimensions", cells);
		json_object_del(d, "rate_plan");
		compare_texts(req, d);
		json_array_set_new(svc, i, d);
	}

	rows = json_array();
#define ROW(labelkey, field) do {					\
	cells = json_array();						\
	json_array_foreach(svc, i, d) {					\
		s = json_string_value(json_object_get(d, field));	\
		json_array_append_new(cells, json_pack("{s:s}", "text",	\
		    s != NULL && *s != '\0' ? s : "—"));		\
	}								\
	json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "key",	\
	    field, "label", web_str(req, labelkey), "cells", cells));	\
} while (0)
	ROW("catalog.service_type", "service_type_label");
	ROW("catalog.csap", "csap_grade_text");
	ROW("catalog.dc", "dc_text");
	ROW("catalog.sla", "sla_text");
	ROW("catalog.recovery", "recovery_label");
	ROW("catalog.support", "support_text");
	ROW("catalog.reference_price", "price_text");
	ROW("catalog.dimensions", "dimensions_text");
	ROW("catalog.vendor", "vendor_text");
	ROW("catalog.free_trial", "trial_text");
	ROW("catalog.min_term", "min_term_text");
#undef ROW
	ar->vm = json_pack("{s:o, s:o, s:s, s:s, s:I}", "services", svc,
	    "rows", rows, "service_type", type,
	    "title", web_str(req, "catalog.compare.title"),
	    "count", (json_int_t)n);
	if (ar->vm == NULL)
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	return (web_page(req, 200, "compare", ar->vm));
}
