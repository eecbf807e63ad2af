/*
 * `gureumctl import fedramp FILE`: loads the US FedRAMP Marketplace data
 * (../shared/data/fedramp) into the catalog, the closest real thing to it.
 *
 * Products become published listings, their providers (csp) vendors, the
 * FedRAMP status and impact level a certificate of scheme fedramp,
 * leveraged systems "runs on" links, agencies agency organisations, and
 * the ATO and reuse mappings historical authorisations. Every mapping
 * decision is written down, with the reason, in docs/catalog-data.md.
 *
 * The import is idempotent: each row it writes carries an external_ref
 * naming its source ('fedramp:product:<id>', 'fedramp:csp:<name>', ...),
 * and every write is an upsert that changes a row only when a value the
 * import owns differs, so a second run of the same file creates and
 * updates nothing. Korean text columns are filled from the English on
 * creation and never overwritten, so a translation made in Gureum survives
 * a re-import; the listing's status, category and the agency type are
 * Gureum's once created. A listing created or changed by the run gets its
 * next version in listing_versions.
 *
 * The source is real data with holes: empty strings, "Not Active" where a
 * date should be, ids with trailing blanks, mappings naming products or
 * agencies that are not in the file, duplicate rows. None of that stops
 * the run: a record that cannot be imported is skipped and named on
 * stderr with the reason, a value that is not a date becomes NULL (the
 * historical records keep the source row as it was). Everything happens
 * in one transaction under an advisory lock; the run ends with one audit
 * event (catalog_imported) and one summary line on stdout.
 */

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define IMPORT_LOCK		"4711005"	/* pg_advisory_xact_lock key */
#define IMPORT_SUMMARY_MAX	300	/* bytes of a summary cut from a text */
#define IMPORT_SENTENCE_MIN	40	/* bytes in the shortest summary */
#define IMPORT_NAME_MAX		200	/* name_en of listings, organisations */
#define IMPORT_TEXT_MAX		20000	/* listings.description_en */
#define IMPORT_URL_MAX		300	/* website columns */
#define IMPORT_REF_MAX		300	/* external_ref columns */

/* The cleaning clean() does. */
#define CLEAN_TRIM	0x00		/* leading and trailing blanks; CRLF */
#define CLEAN_COLLAPSE	0x01		/* and each run of blanks to a space */

/*
 * The answer of an upsert: the row's id and what happened to it, 'c'
 * (created), 'u' (updated) or 'n' (nothing: unchanged). The first SELECT
 * sees the row the INSERT wrote or changed; the second, for a row the
 * WHERE left alone, the row as it was.
 */
#define UPSERT_ANSWER(table, ref)					\
	" SELECT id, CASE WHEN created THEN 'c' ELSE 'u' END FROM up"	\
	" UNION ALL SELECT id, 'n' FROM " table				\
	" WHERE external_ref = " ref " AND NOT EXISTS (SELECT 1 FROM up)"

enum imp_stmt {
	IMP_CATEGORIES,
	IMP_VENDOR,
	IMP_AGENCY,
	IMP_LISTING,
	IMP_LINK,
	IMP_LINK_PRUNE,
	IMP_CERT,
	IMP_AUTH,
	IMP_VERSION,
	IMP_AUDIT,
	IMP__MAX
};

static const struct imp_sql {
	const char	*name;
	int		 nparams;
	const char	*sql;
} imp_sql[IMP__MAX] = {
	/* IMP_CATEGORIES */
	{ "imp_categories", 0, "SELECT id, code FROM categories" },
	/* IMP_VENDOR: name, company size, website, ref */
	{ "imp_vendor", 4,
	    "WITH up AS (INSERT INTO organisations AS o (kind, name_ko,"
	    " name_en, company_size, website, status, external_ref)"
	    " VALUES ('vendor', $1, $1, $2, $3, 'approved', $4)"
	    " ON CONFLICT (external_ref) DO UPDATE SET"
	    " name_en = EXCLUDED.name_en,"
	    " company_size = EXCLUDED.company_size, website = EXCLUDED.website,"
	    " updated_at = now()"
	    " WHERE (o.name_en, o.company_size, o.website) IS DISTINCT FROM"
	    " (EXCLUDED.name_en, EXCLUDED.company_size, EXCLUDED.website)"
	    " RETURNING o.id, o.xmax = 0 AS created)"
	    UPSERT_ANSWER("organisations", "$4") },
	/* IMP_AGENCY: name, parent id, website, ref */
	{ "imp_agency", 4,
	    "WITH up AS (INSERT INTO organisations AS o (kind, name_ko,"
	    " name_en, agency_type, parent_id, website, status, external_ref)"
	    " VALUES ('agency', $1, $1, 'central', $2::bigint, $3, 'approved',"
	    " $4)"
	    " ON CONFLICT (external_ref) DO UPDATE SET"
	    " name_en = EXCLUDED.name_en, parent_id = EXCLUDED.parent_id,"
	    " website = EXCLUDED.website,"
	    " updated_at = now()"
	    " WHERE (o.name_en, o.parent_id, o.website) IS DISTINCT FROM"
	    " (EXCLUDED.name_en, EXCLUDED.parent_id, EXCLUDED.website)"
	    " RETURNING o.id, o.xmax = 0 AS created)"
	    UPSERT_ANSWER("organisations", "$4") },
	/*
	 * IMP_LISTING: vendor id, type, other types, name, summary,
	 * description, deployment model, website, category id, ref.
	 * FedRAMP authorises US cloud services only: an overseas data
	 * centre in the United States.
	 */
	{ "imp_listing", 10,
	    "WITH up AS (INSERT INTO listings AS l (vendor_id, service_type,"
	    " other_service_types, name_ko, name_en, summary_ko, summary_en,"
	    " description_ko, description_en, deployment_model, dc_location,"
	    " dc_region, website, category_id, status, external_ref)"
	    " VALUES ($1::bigint, $2, $3::text[], $4, $4, $5, $5, $6, $6, $7,"
	    " 'overseas', 'United States', $8, $9::integer, 'published', $10)"
	    " ON CONFLICT (external_ref) DO UPDATE SET"
	    " vendor_id = EXCLUDED.vendor_id,"
	    " service_type = EXCLUDED.service_type,"
	    " other_service_types = EXCLUDED.other_service_types,"
	    " name_en = EXCLUDED.name_en, summary_en = EXCLUDED.summary_en,"
	    " description_en = EXCLUDED.description_en,"
	    " deployment_model = EXCLUDED.deployment_model,"
	    " dc_location = EXCLUDED.dc_location,"
	    " dc_region = EXCLUDED.dc_region, website = EXCLUDED.website,"
	    " category_id = CASE WHEN l.service_type = EXCLUDED.service_type"
	    " THEN l.category_id ELSE EXCLUDED.category_id END,"
	    " updated_at = now()"
	    " WHERE (l.vendor_id, l.service_type, l.other_service_types,"
	    " l.name_en, l.summary_en, l.description_en, l.deployment_model,"
	    " l.dc_location, l.dc_region, l.website) IS DISTINCT FROM"
	    " (EXCLUDED.vendor_id, EXCLUDED.service_type,"
	    " EXCLUDED.other_service_types, EXCLUDED.name_en,"
	    " EXCLUDED.summary_en, EXCLUDED.description_en,"
	    " EXCLUDED.deployment_model, EXCLUDED.dc_location,"
	    " EXCLUDED.dc_region, EXCLUDED.website)"
	    " RETURNING l.id, l.xmax = 0 AS created)"
	    UPSERT_ANSWER("listings", "$10") },
	/* IMP_LINK: listing id, the listing it runs on */
	{ "imp_link", 2,
	    "INSERT INTO listing_runs_on (listing_id, runs_on_id, source)"
	    " VALUES ($1::bigint, $2::bigint, 'import')"
	    " ON CONFLICT DO NOTHING RETURNING 1" },
	/*
	 * IMP_LINK_PRUNE: the imported listings, then the links of this run
	 * as two arrays. Removes the import's own links the file no longer
	 * has; a vendor's links are not the import's to remove.
	 */
	{ "imp_link_prune", 3,
	    "DELETE FROM listing_runs_on r WHERE r.source = 'import'"
	    " AND r.listing_id = ANY ($1::bigint[])"
	    " AND (r.listing_id, r.runs_on_id) NOT IN"
	    " (SELECT * FROM unnest($2::bigint[], $3::bigint[]))"
	    " RETURNING r.listing_id" },
	/*
	 * IMP_CERT: vendor id, listing id, impact level, number, issuer,
	 * issue date, status, evidence, details, ref.
	 */
	{ "imp_cert", 10,
	    "WITH up AS (INSERT INTO certificates AS c (vendor_id, listing_id,"
	    " scheme, fedramp_impact, number, issuer, issue_date, status,"
	    " evidence_ref, details, external_ref)"
	    " VALUES ($1::bigint, $2::bigint, 'fedramp', $3, $4, $5, $6::date,"
	    " $7, $8, $9::jsonb, $10)"
	    " ON CONFLICT (external_ref) DO UPDATE SET"
	    " vendor_id = EXCLUDED.vendor_id, listing_id = EXCLUDED.listing_id,"
	    " fedramp_impact = EXCLUDED.fedramp_impact,"
	    " number = EXCLUDED.number, issuer = EXCLUDED.issuer,"
	    " issue_date = EXCLUDED.issue_date, status = EXCLUDED.status,"
	    " evidence_ref = EXCLUDED.evidence_ref, details = EXCLUDED.details,"
	    " updated_at = now()"
	    " WHERE (c.vendor_id, c.listing_id, c.fedramp_impact, c.number,"
	    " c.issuer, c.issue_date, c.status, c.evidence_ref, c.details)"
	    " IS DISTINCT FROM (EXCLUDED.vendor_id, EXCLUDED.listing_id,"
	    " EXCLUDED.fedramp_impact, EXCLUDED.number, EXCLUDED.issuer,"
	    " EXCLUDED.issue_date, EXCLUDED.status, EXCLUDED.evidence_ref,"
	    " EXCLUDED.details)"
	    " RETURNING c.id, c.xmax = 0 AS created)"
	    UPSERT_ANSWER("certificates", "$10") },
	/*
	 * IMP_AUTH: agency id, listing id, kind, ATO date, authorisation
	 * date, expiry date, source row, ref.
	 */
	{ "imp_auth", 8,
	    "WITH up AS (INSERT INTO historical_authorisations AS h (agency_id,"
	    " listing_id, kind, ato_date, auth_date, expiry_date, source,"
	    " source_row, external_ref)"
	    " VALUES ($1::bigint, $2::bigint, $3, $4::date, $5::date, $6::date,"
	    " 'fedramp', $7::jsonb, $8)"
	    " ON CONFLICT (external_ref) DO UPDATE SET"
	    " agency_id = EXCLUDED.agency_id, listing_id = EXCLUDED.listing_id,"
	    " kind = EXCLUDED.kind, ato_date = EXCLUDED.ato_date,"
	    " auth_date = EXCLUDED.auth_date,"
	    " expiry_date = EXCLUDED.expiry_date,"
	    " source_row = EXCLUDED.source_row, updated_at = now()"
	    " WHERE (h.agency_id, h.listing_id, h.kind, h.ato_date,"
	    " h.auth_date, h.expiry_date, h.source_row) IS DISTINCT FROM"
	    " (EXCLUDED.agency_id, EXCLUDED.listing_id, EXCLUDED.kind,"
	    " EXCLUDED.ato_date, EXCLUDED.auth_date, EXCLUDED.expiry_date,"
	    " EXCLUDED.source_row)"
	    " RETURNING h.id, h.xmax = 0 AS created)"
	    UPSERT_ANSWER("historical_authorisations", "$8") },
	/* IMP_VERSION: listing id, reason */
	{ "imp_version", 2,
	    "SELECT listing_version_create($1::bigint, NULL, $2)" },
	/* IMP_AUDIT: object id, summary */
	{ "imp_audit", 2,
	    "INSERT INTO audit_events (action, object_type, object_id, summary)"
	    " VALUES ('catalog_imported', 'catalog_source', $1, $2::jsonb)" },
};

/* What the summary counts, per kind of record. */
enum imp_kind {
	K_PRODUCT,
	K_VENDOR,
	K_AGENCY,
	K_CERT,
	K_AUTH,
	K_LINK,
	K__MAX
};

static const char *const imp_kind_name[K__MAX] = {
	"products",		/* K_PRODUCT */
	"vendors",		/* K_VENDOR */
	"agencies",		/* K_AGENCY */
	"certificates",		/* K_CERT */
	"authorisations",	/* K_AUTH */
	"runs-on links",	/* K_LINK */
};

struct tally {
	long	created;
	long	updated;
	long	unchanged;
	long	skipped;
	long	removed;	/* links only */
};

/* A string-keyed map (open addressing); it owns copies of its keys. */
struct map_ent {
	char		*key;
	int64_t		 val;
};

struct map {
	struct map_ent	*v;
	size_t		 cap;
	size_t		 n;
};

/* A product that passed the checks; strings are owned by the import. */
struct product {
	json_t		*src;		/* borrowed from the document */
	const char	*pid;
	size_t		 vendor;	/* index in import.vends */
	const char	*name;
	const char	*summary;
	const char	*description;
	const char	*website;
	const char	*type;		/* iaas, paas, saas */
	char		 others[32];	/* text[] literal: "{paas,saas}" */
	const char	*deployment;	/* NULL if unknown */
	int		 category;	/* 0: none */
	int64_t		 listing_id;
	char		 action;	/* c, u, n */
};

struct vendor {
	const char	*key;
	const char	*name;
	const char	*website;
	int		 sme;		/* every product says small business */
	int64_t		 id;
};

struct import {
	PGconn		*db;
	const char	*file;
	json_t		*root;
	char		**owned;	/* strings to free at the end */
	size_t		 nowned;
	size_t		 capowned;
	struct product	*prods;
	size_t		 nprods;
	struct vendor	*vends;
	size_t		 nvends;
	struct map	 pmap;		/* product id -> index in prods */
	struct map	 vmap;		/* vendor key -> index in vends */
	struct map	 amap;		/* agency id -> organisation id */
	struct map	 seen;		/* authorisation refs of this run */
	struct map	 cats;		/* category code -> id */
	struct map	 changed;	/* listing id -> links changed */
	struct tally	 t[K__MAX];
	long		 versions;
	long		 notes;
};

/*
 * FedRAMP business functions and the category each stands for, by the
 * service type of the listing; a product takes the category most of its
 * functions point to (of equals, the one that got there first).
 */
static const struct bf_map {
	const char	*function;
	const char	*code;
} bf_map[] = {
	{ "Accounting", "saas.finance" },
	{ "Finance", "saas.finance" },
	{ "Grant Management", "saas.finance" },
	{ "Analytics", "saas.analytics" },
	{ "Research", "saas.analytics" },
	{ "Data Management", "saas.analytics" },
	{ "Collaboration", "saas.collaboration" },
	{ "Communication", "saas.collaboration" },
	{ "Contact Center", "saas.crm" },
	{ "Customer Relations Management (CRM)", "saas.crm" },
	{ "Customer Service", "saas.crm" },
	{ "Marketing & Sales", "saas.crm" },
	{ "Content Management System (CMS)", "saas.cms" },
	{ "Cybersecurity & Risk Management", "saas.security" },
	{ "Mobile Device Management (MDM)", "saas.security" },
	{ "Virtual Private Network (VPN)", "saas.security" },
	{ "Government Risk and Compliance (GRC)", "saas.legal" },
	{ "Legal & Policy", "saas.legal" },
	{ "Law Enforcement", "saas.legal" },
	{ "Design & Multimedia", "saas.video" },
	{ "Media", "saas.video" },
	{ "Education & Training", "saas.education" },
	{ "Learning Management", "saas.education" },
	{ "Talent Development", "saas.education" },
	{ "Human Resources", "saas.hr" },
	{ "Talent Management", "saas.hr" },
	{ "Health & Wellness", "saas.health" },
	{ "Construction", "saas.operations" },
	{ "Fleet Management", "saas.operations" },
	{ "Operations Management", "saas.operations" },
	{ "Travel Management", "saas.operations" },
	{ "Development Tools", "saas.it_management" },
	{ "Network Management", "saas.it_management" },
	{ "System Administration", "saas.it_management" },
	{ "Development Tools", "paas.devtools" },
	{ "Analytics", "paas.analytics" },
	{ "Data Management", "paas.analytics" },
	{ "Research", "paas.analytics" },
	{ "Communication", "paas.messaging" },
	{ "Storage", "iaas.storage" },
	{ "Data Management", "iaas.storage" },
	{ "Network Management", "iaas.network" },
	{ "Virtual Private Network (VPN)", "iaas.network" },
	{ "Cybersecurity & Risk Management", "iaas.security" },
	{ "System Administration", "iaas.compute" },
};

/* FedRAMP's words and ours. */
static const struct word_map {
	const char	*from;
	const char	*to;
} impact_map[] = {
	{ "Low", "low" },
	{ "LI-SaaS", "li_saas" },
	{ "Moderate", "moderate" },
	{ "High", "high" },
	{ "20x Low", "20x_low" },
	{ "20x Moderate", "20x_moderate" },
}, deployment_map[] = {
	{ "Government Community Cloud", "community" },
	{ "Public Cloud", "public" },
	{ "Hybrid Cloud", "hybrid" },
	{ "Private Cloud", "private" },
}, model_map[] = {		/* in order of preference */
	{ "IaaS", "iaas" },
	{ "PaaS", "paas" },
	{ "SaaS", "saas" },
};

static void	 nomem(void) __attribute__((noreturn));
static void	*xalloc(void *);
static char	*own(struct import *, char *);
static const char *jstr(json_t *, const char *);
static char	*clean(struct import *, const char *, int);
static const char *summary_of(struct import *, const char *);
static int	 parse_date(const char *, char [11]);
static int	 digits(const char *, size_t);
static const char *lookup(const struct word_map *, size_t, const char *);
static size_t	 map_hash(const char *);
static int	 map_get(const struct map *, const char *, int64_t *);
static int	 map_put(struct map *, const char *, int64_t);
static void	 map_free(struct map *);
static void	 skip(struct import *, enum imp_kind, const char *, size_t,
		    const char *, const char *, ...)
		    __attribute__((format(printf, 6, 7)));
static void	 note(struct import *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	 exec_ok(PGconn *, const char *);
static PGresult	*run(struct import *, enum imp_stmt, const char *const *);
static int	 upsert(struct import *, enum imp_stmt, const char *const *,
		    enum imp_kind, int64_t *, char *);
static int	 prepare(struct import *);
static int	 load_categories(struct import *);
static int	 read_products(struct import *, json_t *);
static int	 category_of(struct import *, json_t *, const char *);
static int	 write_vendors(struct import *);
static int	 write_agencies(struct import *, json_t *);
static int	 write_listings(struct import *);
static void	 links_changed(struct import *, int64_t);
static int	 write_links(struct import *);
static int	 write_certificates(struct import *);
static int	 write_authorisations(struct import *, json_t *, const char *);
static int	 write_versions(struct import *);
static int	 write_audit(struct import *, json_t *);
static void	 import_free(struct import *);

/*
 * Imports the FedRAMP Marketplace JSON file at path into the database, in
 * one transaction. Prints skipped records and notes on stderr and one
 * summary line on stdout. Returns 0, or -1 after printing why (the file
 * cannot be read or is not the expected document, or a database error,
 * which rolls everything back).
 */
int
ctl_import_fedramp(PGconn *db, const char *path)
{
	struct import	 im;
	json_error_t	 jerr;
	json_t		*data, *products, *agencies, *ato, *reuse;
	const char	*base;
	int		 rc;

	memset(&im, 0, sizeof(im));
	im.db = db;
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	im.file = base;
	rc = -1;

	if ((im.root = json_load_file(path, 0, &jerr)) == NULL) {
		fprintf(stderr, "gureumctl: import: %s:%d:%d: %s\n", path,
		    jerr.line, jerr.column, jerr.text);
		return (-1);
	}
	data = json_object_get(im.root, "data");
	products = json_object_get(data, "Products");
	agencies = json_object_get(data, "Agencies");
	ato = json_object_get(data, "AtoMapping");
	reuse = json_object_get(data, "ReuseMapping");
	if (!json_is_array(products) || !json_is_array(agencies)) {
		fprintf(stderr, "gureumctl: import: %s: not a FedRAMP "
		    "Marketplace file (no data.Products and data.Agencies "
		    "arrays)\n", path);
		goto out;
	}

	if (!exec_ok(db, "BEGIN"))
		goto out;
	/* The history rows of certificate status changes say why. */
	if (!exec_ok(db, "SELECT pg_advisory_xact_lock(" IMPORT_LOCK ")") ||
	    !exec_ok(db, "SELECT set_config('gureum.reason', "
	    "'FedRAMP import', true)") ||
	    prepare(&im) == -1 ||
	    load_categories(&im) == -1 ||
	    read_products(&im, products) == -1 ||
	    write_vendors(&im) == -1 ||
	    write_agencies(&im, agencies) == -1 ||
	    write_listings(&im) == -1 ||
	    write_links(&im) == -1 ||
	    write_certificates(&im) == -1 ||
	    write_authorisations(&im, ato, "ato") == -1 ||
	    write_authorisations(&im, reuse, "reuse") == -1 ||
	    write_versions(&im) == -1 ||
	    write_audit(&im, json_object_get(im.root, "meta")) == -1)
		goto rollback;
	if (!exec_ok(db, "COMMIT"))
		goto out;

#define TALLY(k)	(im.t[k].created + im.t[k].updated + im.t[k].unchanged)
	printf("import: products %ld (created %ld, updated %ld, skipped %ld), "
	    "vendors %ld (created %ld, updated %ld), "
	    "agencies %ld (created %ld, updated %ld, skipped %ld), "
	    "certificates %ld (created %ld, updated %ld, skipped %ld), "
	    "authorisations %ld (created %ld, updated %ld, skipped %ld), "
	    "runs-on links %ld (created %ld, removed %ld, skipped %ld), "
	    "versions %ld\n",
	    TALLY(K_PRODUCT), im.t[K_PRODUCT].created, im.t[K_PRODUCT].updated,
	    im.t[K_PRODUCT].skipped,
	    TALLY(K_VENDOR), im.t[K_VENDOR].created, im.t[K_VENDOR].updated,
	    TALLY(K_AGENCY), im.t[K_AGENCY].created, im.t[K_AGENCY].updated,
	    im.t[K_AGENCY].skipped,
	    TALLY(K_CERT), im.t[K_CERT].created, im.t[K_CERT].updated,
	    im.t[K_CERT].skipped,
	    TALLY(K_AUTH), im.t[K_AUTH].created, im.t[K_AUTH].updated,
	    im.t[K_AUTH].skipped,
	    TALLY(K_LINK), im.t[K_LINK].created, im.t[K_LINK].removed,
	    im.t[K_LINK].skipped, im.versions);
#undef TALLY
	rc = 0;
	goto out;

rollback:
	(void)exec_ok(db, "ROLLBACK");
out:
	import_free(&im);
	return (rc);
}

/* Out of memory in a command: give up (the transaction rolls back). */
static void
nomem(void)
{
	fprintf(stderr, "gureumctl: import: out of memory\n");
	exit(1);
}

/* Returns p, which a function that may fail allocated, or gives up. */
static void *
xalloc(void *p)
{
	if (p == NULL)
		nomem();
	return (p);
}

/* Takes p (malloc'd) to be freed with the import; returns it. */
static char *
own(struct import *im, char *p)
{
	if (im->nowned == im->capowned) {
		im->capowned = im->capowned == 0 ? 1024 : im->capowned * 2;
		im->owned = xalloc(reallocarray(im->owned, im->capowned,
		    sizeof(*im->owned)));
	}
	im->owned[im->nowned++] = xalloc(p);
	return (p);
}

/* The string under key k of o, or "" for anything else (absent, null, 7). */
static const char *
jstr(json_t *o, const char *k)
{
	const char	*s;

	s = json_string_value(json_object_get(o, k));
	return (s != NULL ? s : "");
}

/*
 * Returns an owned copy of s without leading and trailing blanks, with
 * CRLF as LF, and with CLEAN_COLLAPSE every run of blanks (newlines
 * included) as one space.
 */
static char *
clean(struct import *im, const char *s, int flags)
{
	char	*out, *p;
	size_t	 len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	out = p = own(im, malloc(len + 1));
	while (len > 0) {
		if ((flags & CLEAN_COLLAPSE) && isspace((unsigned char)*s)) {
			while (len > 0 && isspace((unsigned char)*s)) {
				s++;
				len--;
			}
			*p++ = ' ';
			continue;
		}
		if (*s == '\r' && len > 1 && s[1] == '\n') {
			s++;
			len--;
			continue;
		}
		*p++ = *s++;
		len--;
	}
	*p = '\0';
	return (out);
}

/*
 * A listing summary from a description: the whole text if it is short,
 * else its first sentence if that is neither trivially short nor too
 * long, else the text cut at a word boundary with an ellipsis. At most
 * IMPORT_SUMMARY_MAX bytes, never a broken UTF-8 sequence.
 */
static const char *
summary_of(struct import *im, const char *desc)
{
	const char	*s;
	char		*out;
	size_t		 len, i, cut;

	s = clean(im, desc, CLEAN_COLLAPSE);
	len = strlen(s);
	if (len <= IMPORT_SUMMARY_MAX)
		return (s);
	for (i = IMPORT_SENTENCE_MIN; i < IMPORT_SUMMARY_MAX; i++) {
		if ((s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?') &&
		    s[i] == ' ')
			return (own(im, strndup(s, i)));
	}
	/* Room for " ..." as U+2026 (3 bytes). */
	cut = IMPORT_SUMMARY_MAX - 3;
	for (i = cut; i > IMPORT_SUMMARY_MAX / 2; i--) {
		if (s[i] == ' ')
			break;
	}
	if (s[i] == ' ')
		cut = i;
	else
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ',' ||
	    s[cut - 1] == ';' || s[cut - 1] == ':'))
		cut--;
	out = own(im, malloc(cut + 4));
	memcpy(out, s, cut);
	memcpy(out + cut, "\xe2\x80\xa6", 4);
	return (out);
}

/*
 * Reads a date as FedRAMP writes them: "2017-02-02T20:00:00.000Z" (the
 * US calendar date is the part before the T: 20:00Z is afternoon in every
 * US time zone) or "2/29/2023" (month/day/year). Returns 1 with
 * YYYY-MM-DD in out, 0 for no date at all (empty, "Not Active", "No FRR
 * Date": nothing with a digit), -1 for something else, including
 * impossible dates such as 2023-02-29.
 */
static int
parse_date(const char *s, char out[11])
{
	static const int mdays[12] =
	    { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char	*p;
	int		 y, m, d;

	while (isspace((unsigned char)*s))
		s++;
	if (strpbrk(s, "0123456789") == NULL)
		return (0);
	if (digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
	    digits(s + 8, 2) && (s[10] == '\0' || s[10] == 'T')) {
		y = atoi(s);
		m = atoi(s + 5);
		d = atoi(s + 8);
	} else {
		/* M/D/YYYY, one or two digits for month and day. */
		p = s;
		m = atoi(p);
		p += digits(p, 2) ? 2 : digits(p, 1) ? 1 : 0;
		if (p == s || *p++ != '/')
			return (-1);
		s = p;
		d = atoi(p);
		p += digits(p, 2) ? 2 : digits(p, 1) ? 1 : 0;
		if (p == s || *p++ != '/' || !digits(p, 4) || p[4] != '\0')
			return (-1);
		y = atoi(p);
	}
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return (-1);
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return (-1);
	(void)snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return (1);
}

/* 1 if s starts with n ASCII digits. */
static int
digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return (0);
	return (1);
}

/* Our word for s (compared without case, blanks around ignored). */
static const char *
lookup(const struct word_map *map, size_t n, const char *s)
{
	size_t		 i, len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	for (i = 0; i < n; i++)
		if (strlen(map[i].from) == len &&
		    strncasecmp(map[i].from, s, len) == 0)
			return (map[i].to);
	return (NULL);
}

/* FNV-1a. */
static size_t
map_hash(const char *s)
{
	uint64_t	h;

	h = 14695981039346656037ULL;
	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return ((size_t)h);
}

/* 1 and *val if key is in the map, else 0. */
static int
map_get(const struct map *m, const char *key, int64_t *val)
{
	size_t	i;

	if (m->cap == 0)
		return (0);
	for (i = map_hash(key) & (m->cap - 1); m->v[i].key != NULL;
	    i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->v[i].key, key) == 0) {
			if (val != NULL)
				*val = m->v[i].val;
			return (1);
		}
	}
	return (0);
}

/* Adds key (copied) with val. Returns 0 if the key was already there. */
static int
map_put(struct map *m, const char *key, int64_t val)
{
	struct map_ent	*old;
	size_t		 i, oldcap;

	if (map_get(m, key, NULL))
		return (0);
	if ((m->n + 1) * 2 > m->cap) {
		old = m->v;
		oldcap = m->cap;
		m->cap = m->cap == 0 ? 256 : m->cap * 2;
		m->v = xalloc(calloc(m->cap, sizeof(*m->v)));
		m->n = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i].key != NULL) {
				(void)map_put(m, old[i].key, old[i].val);
				free(old[i].key);
			}
		}
		free(old);
	}
	for (i = map_hash(key) & (m->cap - 1); m->v[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		;
	m->v[i].key = xalloc(strdup(key));
	m->v[i].val = val;
	m->n++;
	return (1);
}

static void
map_free(struct map *m)
{
	size_t	i;

	for (i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* Counts a skipped record of kind k and says which and why on stderr. */
static void
skip(struct import *im, enum imp_kind k, const char *what, size_t index,
    const char *id, const char *fmt, ...)
{
	va_list	ap;

	im->t[k].skipped++;
	fprintf(stderr, "gureumctl: import: skipped %s #%zu%s%s%s: ", what,
	    index, id[0] != '\0' ? " (" : "", id, id[0] != '\0' ? ")" : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Something odd that was imported anyway. */
static void
note(struct import *im, const char *fmt, ...)
{
	va_list	ap;

	im->notes++;
	fprintf(stderr, "gureumctl: import: note: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
exec_ok(PGconn *db, const char *sql)
{
	PGresult	*res;
	int		 st;

	res = PQexec(db, sql);
	st = PQresultStatus(res);
	PQclear(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: import: %s", PQerrorMessage(db));
		return (0);
	}
	return (1);
}

/* Runs a prepared statement; the result (caller clears) or NULL. */
static PGresult *
run(struct import *im, enum imp_stmt s, const char *const *params)
{
	PGresult	*res;
	int		 st;

	res = PQexecPrepared(im->db, imp_sql[s].name, imp_sql[s].nparams,
	    params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: import: %s: %s", imp_sql[s].name,
		    PQerrorMessage(im->db));
		PQclear(res);
		return (NULL);
	}
	return (res);
}

/* Runs an upsert, counts what it did under kind k, gives the row's id. */
static int
upsert(struct import *im, enum imp_stmt s, const char *const *params,
    enum imp_kind k, int64_t *id, char *action)
{
	PGresult	*res;
	char		 a;

	if ((res = run(im, s, params)) == NULL)
		return (-1);
	if (PQntuples(res) != 1) {
		fprintf(stderr, "gureumctl: import: %s: %d rows\n",
		    imp_sql[s].name, PQntuples(res));
		PQclear(res);
		return (-1);
	}
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	a = PQgetvalue(res, 0, 1)[0];
	PQclear(res);
	if (a == 'c')
		im->t[k].created++;
	else if (a == 'u')
		im->t[k].updated++;
	else
		im->t[k].unchanged++;
	if (action != NULL)
		*action = a;
	return (0);
}

/* Prepares every statement of imp_sql[] on the connection. */
static int
prepare(struct import *im)
{
	PGresult	*res;
	int		 s, st;

	for (s = 0; s < IMP__MAX; s++) {
		res = PQprepare(im->db, imp_sql[s].name, imp_sql[s].sql,
		    imp_sql[s].nparams, NULL);
		st = PQresultStatus(res);
		PQclear(res);
		if (st != PGRES_COMMAND_OK) {
			fprintf(stderr, "gureumctl: import: %s: %s",
			    imp_sql[s].name, PQerrorMessage(im->db));
			return (-1);
		}
	}
	return (0);
}

static int
load_categories(struct import *im)
{
	PGresult	*res;
	int		 i;

	if ((res = run(im, IMP_CATEGORIES, NULL)) == NULL)
		return (-1);
	for (i = 0; i < PQntuples(res); i++)
		(void)map_put(&im->cats, PQgetvalue(res, i, 1),
		    strtoll(PQgetvalue(res, i, 0), NULL, 10));
	PQclear(res);
	return (0);
}

/*
 * Checks every product and keeps those that can be imported, with their
 * vendors. A product needs an id (unique in the file), a provider and a
 * name, and a service model we know. The vendor is the provider's name
 * with blanks collapsed, compared without case (the file spells one
 * provider "stackArmor" and "StackArmor"); its display name and website
 * are those of its first product, and it is an SME only if every one of
 * its products says small business (the file disagrees with itself for a
 * few providers; an SME share must not be overstated).
 */
static int
read_products(struct import *im, json_t *products)
{
	struct product	*p;
	struct vendor	*v;
	json_t		*src, *models, *m;
	const char	*pid, *csp, *name, *type;
	char		*key, *c;
	int64_t		 vi;
	size_t		 i, j, k, olen;
	int		 has[3];

	im->prods = xalloc(calloc(json_array_size(products) + 1,
	    sizeof(*im->prods)));
	im->vends = xalloc(calloc(json_array_size(products) + 1,
	    sizeof(*im->vends)));
	json_array_foreach(products, i, src) {
		if (!json_is_object(src)) {
			skip(im, K_PRODUCT, "product", i, "", "not an object");
			continue;
		}
		pid = clean(im, jstr(src, "id"), CLEAN_COLLAPSE);
		csp = clean(im, jstr(src, "csp"), CLEAN_COLLAPSE);
		name = clean(im, jstr(src, "cso"), CLEAN_COLLAPSE);
		if (name[0] == '\0')
			name = clean(im, jstr(src, "service_offering"),
			    CLEAN_COLLAPSE);
		if (pid[0] == '\0' || strlen(pid) > 100) {
			skip(im, K_PRODUCT, "product", i, "", "no usable id");
			continue;
		}
		if (map_get(&im->pmap, pid, NULL)) {
			skip(im, K_PRODUCT, "product", i, pid,
			    "the id appears earlier in the file");
			continue;
		}
		if (csp[0] == '\0' || strlen(csp) > IMPORT_NAME_MAX) {
			skip(im, K_PRODUCT, "product", i, pid,
			    "no usable provider (csp)");
			continue;
		}
		if (name[0] == '\0' || strlen(name) > IMPORT_NAME_MAX) {
			skip(im, K_PRODUCT, "product", i, pid,
			    "no usable name (cso)");
			continue;
		}
		memset(has, 0, sizeof(has));
		models = json_object_get(src, "service_model");
		json_array_foreach(models, j, m) {
			for (k = 0; k < 3; k++)
				if (lookup(&model_map[k], 1,
				    json_string_value(m) != NULL ?
				    json_string_value(m) : "") != NULL)
					has[k] = 1;
		}
		type = NULL;
		p = &im->prods[im->nprods];
		olen = 0;
		p->others[olen++] = '{';
		for (k = 0; k < 3; k++) {
			if (!has[k])
				continue;
			if (type == NULL) {
				type = model_map[k].to;
				continue;
			}
			olen += snprintf(p->others + olen,
			    sizeof(p->others) - olen, "%s%s",
			    olen > 1 ? "," : "", model_map[k].to);
		}
		(void)snprintf(p->others + olen, sizeof(p->others) - olen, "}");
		if (type == NULL) {
			skip(im, K_PRODUCT, "product", i, pid,
			    "no known service model (IaaS, PaaS, SaaS)");
			continue;
		}

		p->src = src;
		p->pid = pid;
		p->type = type;
		p->name = name;
		p->description = clean(im, jstr(src, "service_desc"),
		    CLEAN_TRIM);
		if (strlen(p->description) > IMPORT_TEXT_MAX) {
			note(im, "product %s: description cut to %d bytes", pid,
			    IMPORT_TEXT_MAX);
			c = (char *)p->description;
			k = IMPORT_TEXT_MAX;
			while (k > 0 && ((unsigned char)c[k] & 0xc0) == 0x80)
				k--;
			c[k] = '\0';
		}
		p->summary = summary_of(im, p->description);
		p->website = clean(im, jstr(src, "website"), CLEAN_COLLAPSE);
		if (strlen(p->website) > IMPORT_URL_MAX) {
			note(im, "product %s: website too long, left out", pid);
			p->website = "";
		}
		p->deployment = lookup(deployment_map, sizeof(deployment_map) /
		    sizeof(deployment_map[0]), jstr(src, "deployment_model"));
		if (p->deployment == NULL && jstr(src, "deployment_model")[0])
			note(im, "product %s: deployment model \"%s\" unknown, "
			    "left empty", pid, jstr(src, "deployment_model"));
		p->category = category_of(im, src, type);

		/* The vendor. */
		key = own(im, xalloc(strdup(csp)));
		for (c = key; *c != '\0'; c++)
			*c = tolower((unsigned char)*c);
		if (!map_get(&im->vmap, key, &vi)) {
			vi = (int64_t)im->nvends++;
			(void)map_put(&im->vmap, key, vi);
			v = &im->vends[vi];
			v->key = key;
			v->name = csp;
			v->website = p->website;
			v->sme = 1;
		}
		v = &im->vends[vi];
		if (v->website[0] == '\0')
			v->website = p->website;
		if (strcasecmp(jstr(src, "small_business"), "Yes") != 0)
			v->sme = 0;
		p->vendor = (size_t)vi;
		(void)map_put(&im->pmap, pid, (int64_t)im->nprods);
		im->nprods++;
	}
	return (0);
}

/* The category id for a product's business functions, or 0. */
static int
category_of(struct import *im, json_t *src, const char *type)
{
	json_t		*f;
	const char	*fn;
	int64_t		 id;
	size_t		 i, j, k, tlen;
	int		 count[sizeof(bf_map) / sizeof(bf_map[0])];
	int		 best;

	memset(count, 0, sizeof(count));
	tlen = strlen(type);
	best = -1;
	json_array_foreach(json_object_get(src, "business_function"), i, f) {
		if ((fn = json_string_value(f)) == NULL)
			continue;
		for (j = 0; j < sizeof(bf_map) / sizeof(bf_map[0]); j++) {
			if (strcmp(bf_map[j].function, fn) != 0 ||
			    strncmp(bf_map[j].code, type, tlen) != 0 ||
			    bf_map[j].code[tlen] != '.')
				continue;
			/* Count under the first entry with this code. */
			for (k = 0; strcmp(bf_map[k].code, bf_map[j].code); k++)
				;
			count[k]++;
			if (best == -1 || count[k] > count[best])
				best = (int)k;
		}
	}
	if (best == -1 || !map_get(&im->cats, bf_map[best].code, &id))
		return (0);
	return ((int)id);
}

static int
write_vendors(struct import *im)
{
	struct vendor	*v;
	const char	*params[4];
	char		 ref[IMPORT_REF_MAX + 1];
	size_t		 i;

	for (i = 0; i < im->nvends; i++) {
		v = &im->vends[i];
		(void)snprintf(ref, sizeof(ref), "fedramp:csp:%s", v->key);
		params[0] = v->name;
		params[1] = v->sme ? "sme" : "large";
		params[2] = v->website;
		params[3] = ref;
		if (upsert(im, IMP_VENDOR, params, K_VENDOR, &v->id,
		    NULL) == -1)
			return (-1);
	}
	return (0);
}

/*
 * Agencies: every FedRAMP agency is a US federal body, which our model
 * calls 'central' (중앙행정기관). A sub-agency's id extends its parent's
 * ("22-008-02" under "22-008"); parents are written first, and a parent
 * missing from the file leaves parent_id empty. The name is the file's
 * full name (parent and sub-agency), as FedRAMP shows it.
 */
static int
write_agencies(struct import *im, json_t *agencies)
{
	json_t		*a;
	const char	*id, *name, *params[4];
	char		 ref[IMPORT_REF_MAX + 1], parent[128], pidbuf[32];
	char		*dash, *ok;
	int64_t		 oid, poid;
	size_t		 i, depth, maxdepth, d;
	const char	*c;

	ok = xalloc(calloc(json_array_size(agencies) + 1, 1));
	maxdepth = 0;
	json_array_foreach(agencies, i, a) {
		id = jstr(a, "id");
		for (d = 0, c = id; *c != '\0'; c++)
			d += *c == '-';
		if (d > maxdepth)
			maxdepth = d;
	}
	for (depth = 0; depth <= maxdepth; depth++) {
		json_array_foreach(agencies, i, a) {
			id = clean(im, jstr(a, "id"), CLEAN_COLLAPSE);
			for (d = 0, c = id; *c != '\0'; c++)
				d += *c == '-';
			if (d != depth || ok[i])
				continue;
			ok[i] = 1;
			if (!json_is_object(a) || id[0] == '\0' ||
			    strlen(id) > 100) {
				skip(im, K_AGENCY, "agency", i, "",
				    "no usable id");
				continue;
			}
			if (map_get(&im->amap, id, NULL)) {
				skip(im, K_AGENCY, "agency", i, id,
				    "the id appears earlier in the file");
				continue;
			}
			name = clean(im, jstr(a, "csp"), CLEAN_COLLAPSE);
			if (name[0] == '\0')
				name = clean(im, jstr(a, "sub")[0] != '\0' ?
				    jstr(a, "sub") : jstr(a, "parent"),
				    CLEAN_COLLAPSE);
			if (name[0] == '\0' || strlen(name) > IMPORT_NAME_MAX) {
				skip(im, K_AGENCY, "agency", i, id,
				    "no usable name");
				continue;
			}
			params[1] = NULL;
			(void)snprintf(parent, sizeof(parent), "%s", id);
			dash = strrchr(parent, '-');
			if (dash != NULL && depth >= 2) {
				*dash = '\0';
				if (map_get(&im->amap, parent, &poid)) {
					(void)snprintf(pidbuf, sizeof(pidbuf),
					    "%lld", (long long)poid);
					params[1] = pidbuf;
				} else
					note(im, "agency %s: parent %s is not "
					    "in the file", id, parent);
			}
			(void)snprintf(ref, sizeof(ref), "fedramp:agency:%s",
			    id);
			params[0] = name;
			params[2] = clean(im, jstr(a, "website"),
			    CLEAN_COLLAPSE);
			if (strlen(params[2]) > IMPORT_URL_MAX)
				params[2] = "";
			params[3] = ref;
			if (upsert(im, IMP_AGENCY, params, K_AGENCY, &oid,
			    NULL) == -1) {
				free(ok);
				return (-1);
			}
			(void)map_put(&im->amap, id, oid);
		}
	}
	free(ok);
	return (0);
}

static int
write_listings(struct import *im)
{
	struct product	*p;
	const char	*params[10];
	char		 ref[IMPORT_REF_MAX + 1], vid[32], cat[16];
	size_t		 i;

	for (i = 0; i < im->nprods; i++) {
		p = &im->prods[i];
		(void)snprintf(vid, sizeof(vid), "%lld",
		    (long long)im->vends[p->vendor].id);
		(void)snprintf(cat, sizeof(cat), "%d", p->category);
		(void)snprintf(ref, sizeof(ref), "fedramp:product:%s", p->pid);
		params[0] = vid;
		params[1] = p->type;
		params[2] = p->others;
		params[3] = p->name;
		params[4] = p->summary;
		params[5] = p->description;
		params[6] = p->deployment;
		params[7] = p->website;
		params[8] = p->category != 0 ? cat : NULL;
		params[9] = ref;
		if (upsert(im, IMP_LISTING, params, K_PRODUCT, &p->listing_id,
		    &p->action) == -1)
			return (-1);
	}
	return (0);
}

/* Marks a listing whose links changed, for write_versions(). */
static void
links_changed(struct import *im, int64_t listing)
{
	char	key[32];

	(void)snprintf(key, sizeof(key), "%lld", (long long)listing);
	(void)map_put(&im->changed, key, 1);
}

/*
 * Runs-on links. FedRAMP lists under a product the systems that leverage
 * it (AWS GovCloud lists the SaaS products built on it), so each entry
 * runs on the product that lists it. An entry naming the product itself,
 * or a product not imported, is skipped. The import's links that the file
 * no longer has are removed.
 */
static int
write_links(struct import *im)
{
	struct product	*host, *user;
	PGresult	*res;
	json_t		*e;
	const char	*lid, *params[3];
	char		*all, *from, *to, pair[64], a[32], b[32];
	size_t		 i, j, alen, flen, tlen;
	int64_t		 ui;
	int		 r;

	all = xalloc(malloc(im->nprods * 21 + 3));
	from = xalloc(malloc(2));
	to = xalloc(malloc(2));
	alen = flen = tlen = 0;
	all[alen++] = '{';
	from[flen++] = '{';
	to[tlen++] = '{';
	for (i = 0; i < im->nprods; i++) {
		host = &im->prods[i];
		alen += sprintf(all + alen, "%s%lld", i > 0 ? "," : "",
		    (long long)host->listing_id);
		json_array_foreach(json_object_get(host->src,
		    "leveraged_systems"), j, e) {
			lid = clean(im, jstr(e, "id"), CLEAN_COLLAPSE);
			if (strcmp(lid, host->pid) == 0) {
				skip(im, K_LINK, "leveraged system", j, lid,
				    "listed under itself");
				continue;
			}
			if (!map_get(&im->pmap, lid, &ui)) {
				skip(im, K_LINK, "leveraged system", j, lid,
				    "of %s: not an imported product",
				    host->pid);
				continue;
			}
			user = &im->prods[ui];
			(void)snprintf(pair, sizeof(pair), "%lld>%lld",
			    (long long)user->listing_id,
			    (long long)host->listing_id);
			if (!map_put(&im->seen, pair, 1)) {
				skip(im, K_LINK, "leveraged system", j, lid,
				    "of %s: listed twice", host->pid);
				continue;
			}
			(void)snprintf(a, sizeof(a), "%lld",
			    (long long)user->listing_id);
			(void)snprintf(b, sizeof(b), "%lld",
			    (long long)host->listing_id);
			params[0] = a;
			params[1] = b;
			if ((res = run(im, IMP_LINK, params)) == NULL)
				goto fail;
			r = PQntuples(res);
			PQclear(res);
			if (r == 1) {
				im->t[K_LINK].created++;
				links_changed(im, user->listing_id);
			} else
				im->t[K_LINK].unchanged++;
			from = xalloc(realloc(from, flen + strlen(a) + 3));
			to = xalloc(realloc(to, tlen + strlen(b) + 3));
			flen += sprintf(from + flen, "%s%s",
			    flen > 1 ? "," : "", a);
			tlen += sprintf(to + tlen, "%s%s",
			    tlen > 1 ? "," : "", b);
		}
	}
	(void)strcpy(all + alen, "}");
	(void)strcpy(from + flen, "}");
	(void)strcpy(to + tlen, "}");
	params[0] = all;
	params[1] = from;
	params[2] = to;
	if ((res = run(im, IMP_LINK_PRUNE, params)) == NULL)
		goto fail;
	for (r = 0; r < PQntuples(res); r++) {
		im->t[K_LINK].removed++;
		links_changed(im, strtoll(PQgetvalue(res, r, 0), NULL, 10));
	}
	PQclear(res);
	free(all);
	free(from);
	free(to);
	return (0);
fail:
	free(all);
	free(from);
	free(to);
	return (-1);
}

/*
 * One certificate per product, scheme fedramp. "FedRAMP Authorized" is
 * valid from its authorisation date; Ready, In Process and Agency In
 * Process are pending (not authorised yet). FedRAMP authorisations do
 * not expire: they are kept up by continuous monitoring and a yearly
 * assessment, whose month and day ("09/30") the file gives without a
 * year, so expiry_date stays empty and the assessment date goes into
 * details with the authorisation type, the assessor and the Ready date.
 */
static int
write_certificates(struct import *im)
{
	struct product	*p;
	json_t		*det;
	const char	*params[10], *impact, *status, *raw, *s;
	char		*js, ref[IMPORT_REF_MAX + 1], vid[32], lid[32];
	char		 issuer[128], evidence[256], date[11], ready[11];
	char		 annual[11];
	int64_t		 cid;
	size_t		 i;
	int		 r, authorised;

	for (i = 0; i < im->nprods; i++) {
		p = &im->prods[i];
		raw = jstr(p->src, "impact_level");
		if ((impact = lookup(impact_map, sizeof(impact_map) /
		    sizeof(impact_map[0]), raw)) == NULL) {
			skip(im, K_CERT, "certificate of product", i, p->pid,
			    "impact level \"%s\" unknown", raw);
			continue;
		}
		status = clean(im, jstr(p->src, "status"), CLEAN_COLLAPSE);
		authorised = strcasecmp(status, "FedRAMP Authorized") == 0;
		if (!authorised && strcasecmp(status, "FedRAMP Ready") != 0 &&
		    strcasecmp(status, "FedRAMP In Process") != 0 &&
		    strcasecmp(status, "Agency In Process") != 0)
			note(im, "product %s: status \"%s\" unknown, taken as "
			    "pending", p->pid, status);
		params[5] = NULL;
		if (authorised) {
			s = jstr(p->src, "auth_date");
			if ((r = parse_date(s, date)) == 0)
				r = parse_date(s = jstr(p->src, "fedramp_auth"),
				    date);
			if (r == 1)
				params[5] = date;
			else
				note(im, "product %s: authorised without an "
				    "authorisation date (\"%s\")", p->pid, s);
		}

		det = json_object();
		if (det == NULL ||
		    json_object_set_new(det, "status", json_string(status)) ||
		    json_object_set_new(det, "impact_level",
		    json_string(raw)))
			goto nomem;
		if (jstr(p->src, "auth_type")[0] != '\0' &&
		    json_object_set_new(det, "auth_type",
		    json_string(jstr(p->src, "auth_type"))))
			goto nomem;
		if (jstr(p->src, "independent_assessor")[0] != '\0' &&
		    json_object_set_new(det, "independent_assessor",
		    json_string(jstr(p->src, "independent_assessor"))))
			goto nomem;
		/* Mostly "MM/DD" (no year); a full date as YYYY-MM-DD. */
		s = jstr(p->src, "annual_assessment");
		if (parse_date(s, annual) == 1)
			s = annual;
		if (strpbrk(s, "0123456789") != NULL &&
		    json_object_set_new(det, "annual_assessment",
		    json_string(s)))
			goto nomem;
		if (parse_date(jstr(p->src, "ready_date"), ready) == 1 &&
		    json_object_set_new(det, "ready_date", json_string(ready)))
			goto nomem;
		if ((js = json_dumps(det, JSON_COMPACT | JSON_SORT_KEYS)) ==
		    NULL)
			goto nomem;
		json_decref(det);
		own(im, js);

		(void)snprintf(issuer, sizeof(issuer), "FedRAMP%s%s%s",
		    jstr(p->src, "auth_type")[0] != '\0' ? " (" : "",
		    jstr(p->src, "auth_type"),
		    jstr(p->src, "auth_type")[0] != '\0' ? ")" : "");
		(void)snprintf(evidence, sizeof(evidence),
		    "https://marketplace.fedramp.gov/products/%s", p->pid);
		(void)snprintf(ref, sizeof(ref), "fedramp:cert:%s", p->pid);
		(void)snprintf(vid, sizeof(vid), "%lld",
		    (long long)im->vends[p->vendor].id);
		(void)snprintf(lid, sizeof(lid), "%lld",
		    (long long)p->listing_id);
		params[0] = vid;
		params[1] = lid;
		params[2] = impact;
		params[3] = p->pid;
		params[4] = issuer;
		params[6] = authorised ? "valid" : "pending";
		params[7] = evidence;
		params[8] = js;
		params[9] = ref;
		if (upsert(im, IMP_CERT, params, K_CERT, &cid, NULL) == -1)
			return (-1);
	}
	return (0);
nomem:
	json_decref(det);
	nomem();
}

/*
 * ATO (kind "ato") and reuse (kind "reuse") mappings. The mapping's id is
 * the product's; the agency is sub_id when a reuse row names one, else
 * agency_id. A row is identified by its kind, product, agency and the
 * three dates as written, so an exact repeat in the file is skipped as a
 * duplicate, and the same agency reusing a product several times on
 * different dates gives several records, as FedRAMP lists them.
 */
static int
write_authorisations(struct import *im, json_t *rows, const char *kind)
{
	json_t		*r;
	const char	*pid, *aid, *params[8], *field[3] =
			    { "ato_date", "auth_date", "exp_date" };
	char		 ref[IMPORT_REF_MAX + 2], what[32], lid[32], oid[32];
	char		 dates[3][11], *js;
	int64_t		 pi, agency, hid;
	size_t		 i, f;
	int		 pr;

	(void)snprintf(what, sizeof(what), "%s mapping", kind);
	if (rows == NULL)
		return (0);
	if (!json_is_array(rows)) {
		note(im, "the %s mappings are not an array: none imported",
		    kind);
		return (0);
	}
	json_array_foreach(rows, i, r) {
		pid = clean(im, jstr(r, "id"), CLEAN_COLLAPSE);
		aid = clean(im, jstr(r, "sub_id"), CLEAN_COLLAPSE);
		if (aid[0] == '\0')
			aid = clean(im, jstr(r, "agency_id"), CLEAN_COLLAPSE);
		if (!json_is_object(r)) {
			skip(im, K_AUTH, what, i, "", "not an object");
			continue;
		}
		if (!map_get(&im->pmap, pid, &pi)) {
			skip(im, K_AUTH, what, i, pid, "product \"%s\" is not "
			    "an imported product", pid);
			continue;
		}
		if (!map_get(&im->amap, aid, &agency)) {
			skip(im, K_AUTH, what, i, pid, "agency \"%s\" is not "
			    "an imported agency", aid);
			continue;
		}
		if ((size_t)snprintf(ref, sizeof(ref),
		    "fedramp:%s:%s:%s:%s:%s:%s", kind, pid, aid,
		    clean(im, jstr(r, field[0]), CLEAN_COLLAPSE),
		    clean(im, jstr(r, field[1]), CLEAN_COLLAPSE),
		    clean(im, jstr(r, field[2]), CLEAN_COLLAPSE)) >
		    IMPORT_REF_MAX) {
			skip(im, K_AUTH, what, i, pid, "fields too long");
			continue;
		}
		if (!map_put(&im->seen, ref, 1)) {
			skip(im, K_AUTH, what, i, pid, "repeats an earlier row "
			    "exactly");
			continue;
		}
		for (f = 0; f < 3; f++) {
			pr = parse_date(jstr(r, field[f]), dates[f]);
			params[3 + f] = pr == 1 ? dates[f] : NULL;
			if (pr == -1)
				note(im, "%s #%zu (%s): %s \"%s\" is not a "
				    "date, stored as NULL", what, i, pid,
				    field[f], jstr(r, field[f]));
		}
		if ((js = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
			nomem();
		own(im, js);
		(void)snprintf(oid, sizeof(oid), "%lld", (long long)agency);
		(void)snprintf(lid, sizeof(lid), "%lld",
		    (long long)im->prods[pi].listing_id);
		params[0] = oid;
		params[1] = lid;
		params[2] = kind;
		params[6] = js;
		params[7] = ref;
		if (upsert(im, IMP_AUTH, params, K_AUTH, &hid, NULL) == -1)
			return (-1);
	}
	return (0);
}

/*
 * A new version for every listing this run created or changed (its own
 * columns or its links), after the links, so the snapshot has them.
 */
static int
write_versions(struct import *im)
{
	struct product	*p;
	PGresult	*res;
	const char	*params[2];
	char		 lid[32];
	size_t		 i;

	for (i = 0; i < im->nprods; i++) {
		p = &im->prods[i];
		(void)snprintf(lid, sizeof(lid), "%lld",
		    (long long)p->listing_id);
		if (p->action == 'n' && map_get(&im->changed, lid, NULL)) {
			/* Only its links changed: an update all the same. */
			p->action = 'u';
			im->t[K_PRODUCT].unchanged--;
			im->t[K_PRODUCT].updated++;
		}
		if (p->action == 'n')
			continue;
		params[0] = lid;
		params[1] = p->action == 'c' ? "FedRAMP import: new listing" :
		    "FedRAMP import: listing changed";
		if ((res = run(im, IMP_VERSION, params)) == NULL)
			return (-1);
		PQclear(res);
		im->versions++;
	}
	return (0);
}

/* One audit event for the run, with the counts. */
static int
write_audit(struct import *im, json_t *meta)
{
	PGresult	*res;
	json_t		*sum, *counts, *c;
	const char	*params[2];
	char		*js;
	size_t		 k;

	if ((counts = json_object()) == NULL)
		nomem();
	for (k = 0; k < K__MAX; k++) {
		c = json_pack("{s:I, s:I, s:I, s:I}",
		    "created", (json_int_t)im->t[k].created,
		    "updated", (json_int_t)im->t[k].updated,
		    "unchanged", (json_int_t)im->t[k].unchanged,
		    "skipped", (json_int_t)im->t[k].skipped);
		if (c == NULL || (k == K_LINK && json_object_set_new(c,
		    "removed", json_integer(im->t[k].removed))) ||
		    json_object_set_new(counts, imp_kind_name[k], c)) {
			json_decref(counts);
			nomem();
		}
	}
	sum = json_pack("{s:s, s:s, s:s, s:o, s:I, s:I}", "source", "fedramp",
	    "file", im->file, "last_change", jstr(meta, "last_change"),
	    "counts", counts, "versions", (json_int_t)im->versions,
	    "notes", (json_int_t)im->notes);
	if (sum == NULL || (js = json_dumps(sum, JSON_COMPACT)) == NULL) {
		json_decref(sum);
		nomem();
	}
	json_decref(sum);
	params[0] = "fedramp";
	params[1] = js;
	res = run(im, IMP_AUDIT, params);
	free(js);
	if (res == NULL)
		return (-1);
	PQclear(res);
	return (0);
}

static void
import_free(struct import *im)
{
	size_t	i;

	for (i = 0; i < im->nowned; i++)
		free(im->owned[i]);
	free(im->owned);
	free(im->prods);
	free(im->vends);
	map_free(&im->pmap);
	map_free(&im->vmap);
	map_free(&im->amap);
	map_free(&im->seen);
	map_free(&im->cats);
	map_free(&im->changed);
	json_decref(im->root);
}
