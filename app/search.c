/*
 * Catalog search: the page at / and /search, and GET /api/v1/search.
 *
 * Searches run against the Xapian index, not PostgreSQL: each hit carries
 * the few fields a result card needs in its document data, so a search
 * costs no database round trip. The index is built by `gureumctl reindex`
 * beside the live one and swapped in by renaming a symlink; each worker
 * looks at the symlink at most once a second and opens the new index when
 * it changed, or reopens the current one to see the indexer's commits.
 *
 * Slots and terms written by the indexer (app/ctl_index.c) and read here
 * are defined in search_slots.h so that both sides agree.
 */

#include <sodium.h>

#include "gureum.h"
#include "search_slots.h"
#include "xsearch.h"

#define SEARCH_Q_MAX_CHARS	200
#define SEARCH_PER_PAGE		20
#define SEARCH_PAGE_MAX		10000
#define SEARCH_RECHECK_MS	1000

static struct xs_db	*sdb;
static char		 sdb_target[PATH_MAX];
static u_int64_t	 sdb_checked;


static struct xs_db	*search_db(char *, size_t);
static json_t		*search_card(struct http_request *, const struct xs_hit *);

/* The orders besides relevance, by their ?sort= names. */
static const struct {
	const char	*name;
	unsigned	 slot;
	int		 desc;
} sorts[] = {
	{ "price_asc", SEARCH_SLOT_PRICE_ASC, 0 },
	{ "price_desc", SEARCH_SLOT_PRICE_DESC, 1 },
	{ "newest", SEARCH_SLOT_NEWEST, 1 },
	{ "most_contracted", SEARCH_SLOT_CONTRACTS, 1 },
};
static const char	*search_type_label(struct http_request *, const char *);

/*
 * The worker's index handle, opened or refreshed as needed. Returns NULL
 * with a reason in err when there is no usable index.
 */
static struct xs_db *
search_db(char *err, size_t errlen)
{
	struct xs_db	*ndb;
	const char	*path, *slash;
	char		 target[PATH_MAX], full[PATH_MAX];
	ssize_t		 n;
	u_int64_t	 now;

	now = kore_time_ms();
	if (sdb != NULL && now - sdb_checked < SEARCH_RECHECK_MS)
		return (sdb);
	sdb_checked = now;

	path = app_index_path();
	if ((n = readlink(path, target, sizeof(target) - 1)) == -1) {
		/* Not a symlink: an index directory given directly. */
		(void)kore_strlcpy(full, path, sizeof(full));
	} else {
		target[n] = '\0';
		if (target[0] == '/' || (slash = strrchr(path, '/')) == NULL) {
			(void)kore_strlcpy(full, target, sizeof(full));
		} else {
			(void)snprintf(full, sizeof(full), "%.*s/%s",
			    (int)(slash - path), path, target);
		}
	}

	if (sdb != NULL && strcmp(full, sdb_target) == 0) {
		if (xs_reopen(sdb, err, errlen) < 0)
			kore_log(LOG_NOTICE, "search: reopen: %s", err);
		return (sdb);
	}
	if ((ndb = xs_open(full, err, errlen)) == NULL) {
		if (sdb != NULL)
			kore_log(LOG_NOTICE, "search: keeping old index: %s",
			    err);
		return (sdb);
	}
	xs_close(sdb);
	sdb = ndb;
	(void)kore_strlcpy(sdb_target, full, sizeof(sdb_target));
	return (sdb);
}

/*
 * For /healthz: fills *out with the index state. Returns 1 when the index
 * can answer searches.
 */
int
search_index_status(json_t **out)
{
	struct xs_db	*db;
	char		 err[256];

	err[0] = '\0';
	if ((db = search_db(err, sizeof(err))) == NULL) {
		*out = json_pack("{s:s, s:s}", "status", "missing",
		    "error", err[0] != '\0' ? err : "no index");
		return (0);
	}
	*out = json_pack("{s:s, s:I}", "status", "ok",
	    "documents", (json_int_t)xs_doccount(db));
	return (1);
}

/*
 * Filters and facets. Every filter of the sidebar is one facet group of
 * the index (search_slots.h, struct xs_fgroup): its counts are computed
 * with every other filter applied and its own removed, in one pass
 * (xs_search). docs/search.md gives the exact semantics of each.
 */
enum sf_kind {
	SF_TERMS,	/* repeatable; any of the values */
	SF_ATLEAST,	/* one value of an ordered scale (CSAP grade) */
	SF_FLAG,	/* "1" or nothing */
	SF_MIN,		/* a number: at least (availability) */
	SF_RANGE	/* two numbers: price_min, price_max */
};

static const char *v_type[] = { "iaas", "paas", "saas", "daas", "support",
    NULL };
static const char *v_cert[] = { "csap", "fedramp", "quality", "iso27001",
    "gs", "cc", NULL };
static const char *v_csap[] = { "high", "medium", "low", NULL };
static const char *v_size[] = { "sme", "midsize", "large", NULL };
static const char *v_deploy[] = { "public", "private", "hybrid",
    "community", NULL };

/* Availability facet: at least each of these (percent). */
static const char *avail_steps[] = { "99", "99.5", "99.9", "99.95",
    "99.99" };
#define AVAIL_STEPS	(sizeof(avail_steps) / sizeof(avail_steps[0]))
static double		 avail_lo[AVAIL_STEPS], avail_hi[AVAIL_STEPS];

/* Price facet: reference monthly price bands, whole won, inclusive. */
static const int64_t	 price_band[][2] = {
	{ 0, 99999 }, { 100000, 999999 }, { 1000000, 9999999 },
	{ 10000000, -1 },
};
#define PRICE_BANDS	(sizeof(price_band) / sizeof(price_band[0]))
#define PRICE_MAX	999999999999999LL
static double		 price_lo[PRICE_BANDS], price_hi[PRICE_BANDS];

#define HUGE_NUM	1e300

enum {
	F_TYPE, F_CATEGORY, F_CERT, F_CSAP, F_VALID, F_DOMESTIC, F_SIZE,
	F_TRIAL, F_AVAIL, F_PRICE, F_RUNS_ON, F_DEPLOY, F__MAX
};

static const struct sfilter {
	const char		*name;		/* parameter and facets key */
	enum sf_kind		 kind;
	unsigned		 slot;
	const char		*prefix;
	unsigned		 vslot;		/* with valid=1 */
	const char		*vprefix;
	const char *const	*values;	/* NULL: checked in code */
	const char		*label;		/* value labels: label.<value> */
} sfilters[F__MAX] = {
	{ "type", SF_TERMS, SEARCH_SLOT_TYPE, SEARCH_PREFIX_TYPE, 0, NULL,
	    v_type, "type" },
	{ "category", SF_TERMS, SEARCH_SLOT_CATEGORY, SEARCH_PREFIX_CATEGORY,
	    0, NULL, NULL, NULL },
	{ "cert", SF_TERMS, SEARCH_SLOT_CERT, SEARCH_PREFIX_CERT,
	    SEARCH_SLOT_CERT_VALID, SEARCH_PREFIX_CERT_VALID, v_cert,
	    "catalog.scheme" },
	{ "csap", SF_ATLEAST, SEARCH_SLOT_CSAP, SEARCH_PREFIX_CSAP,
	    SEARCH_SLOT_CSAP_VALID, SEARCH_PREFIX_CSAP_VALID, v_csap,
	    "search.f.csap" },
	{ "valid", SF_FLAG, SEARCH_SLOT_VALID, SEARCH_PREFIX_VALID, 0, NULL,
	    NULL, NULL },
	{ "domestic", SF_FLAG, SEARCH_SLOT_DOMESTIC, SEARCH_PREFIX_DOMESTIC,
	    0, NULL, NULL, NULL },
	{ "size", SF_TERMS, SEARCH_SLOT_SIZE, SEARCH_PREFIX_SIZE, 0, NULL,
	    v_size, "catalog.size" },
	{ "trial", SF_FLAG, SEARCH_SLOT_TRIAL, SEARCH_PREFIX_TRIAL, 0, NULL,
	    NULL, NULL },
	{ "availability", SF_MIN, SEARCH_SLOT_AVAIL, NULL, 0, NULL, NULL,
	    NULL },
	{ "price", SF_RANGE, SEARCH_SLOT_PRICE, NULL, 0, NULL, NULL, NULL },
	{ "runs_on", SF_TERMS, SEARCH_SLOT_RUNS_ON, SEARCH_PREFIX_RUNS_ON, 0,
	    NULL, NULL, NULL },
	{ "deploy", SF_TERMS, SEARCH_SLOT_DEPLOY, SEARCH_PREFIX_DEPLOY, 0,
	    NULL, v_deploy, "catalog.deployment" },
};

#define SEL_MAX		20	/* values of one filter */
#define RUNS_ON_SHOWN	30	/* hosts in the HTML sidebar (JSON: all) */

/* What the request selected. Strings point into the query string. */
struct ssel {
	const char	*v[SEL_MAX];
	size_t		 n;
	double		 lo, hi;	/* SF_MIN, SF_RANGE */
	int		 has;
	char		 lo_s[24], hi_s[24];	/* as given, for URLs */
};

struct sstate {
	const char	*q;
	const char	*sort;
	int64_t		 per_page;	/* kept in links when not the default */
	int		 valid;		/* valid=1: certificates in force */
	struct ssel	 sel[F__MAX];
	const char	*bad;		/* the first parameter refused */
	const char	*raw_min;	/* refused prices, as typed */
	const char	*raw_max;
};

/* The categories (reference data), read once per worker. */
static json_t		*scats;
static const char	*search_cats_sql =
    "SELECT c.code, c.name_ko, c.name_en, p.code AS parent"
    " FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
    " ORDER BY coalesce(c.parent_id, c.id), c.parent_id IS NOT NULL,"
    " c.sort_order, c.code";

static void	 search_parse(struct http_request *, struct sstate *);
static char	*search_href(const struct sstate *, int, const char *, int64_t,
		    int);
static json_t	*search_facets(struct http_request *, const struct sstate *,
		    const struct xs_result *, unsigned, json_t *);
static const char *search_pick(struct http_request *, const char *, size_t,
		    char *, size_t);
static json_t	*search_fv(const char *, const char *, unsigned, int);

/* A decimal like 99.95 (1-3 digits, up to 6 decimals); 1 if it is one. */
static int
search_decimal(const char *s, double *out)
{
	const char	*p;
	size_t		 a, b;

	for (p = s, a = 0; *p >= '0' && *p <= '9'; p++)
		a++;
	b = 0;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			b++;
		if (b == 0)
			return (0);
	}
	if (*p != '\0' || a == 0 || a > 3 || b > 6)
		return (0);
	*out = strtod(s, NULL);
	return (1);
}

/* A canonical positive integer of at most 15 digits; 1 if it is one. */
static int
search_digits(const char *s, int64_t max, int64_t *out)
{
	const char	*p;
	int64_t		 v;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0') || strlen(s) > 15)
		return (0);
	for (p = s, v = 0; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return (0);
		v = v * 10 + (*p - '0');
	}
	if (v > max)
		return (0);
	*out = v;
	return (1);
}

static int
search_in(const char *v, const char *const *list)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(v, list[i]) == 0)
			return (1);
	return (0);
}

static int
search_is_cat(const char *v)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(scats, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "code")),
		    v) == 0)
			return (1);
	}
	return (0);
}

/*
 * A price as people type it: digits with optional thousands separators
 * (commas or spaces) and a 원 or ₩; 1 with the value in *out, else 0.
 */
static int
search_won_in(const char *s, int64_t *out)
{
	char	 d[24];
	size_t	 n;

	for (n = 0; *s != '\0'; s++) {
		if (*s == ',' || *s == ' ')
			continue;
		if (strncmp(s, "\xec\x9b\x90", 3) == 0 && s[3] == '\0')
			break;			/* 원 at the end */
		if (n == 0 && strncmp(s, "\xe2\x82\xa9", 3) == 0) {
			s += 2;			/* ₩ in front */
			continue;
		}
		if (n + 1 >= sizeof(d))
			return (0);
		d[n++] = *s;
	}
	d[n] = '\0';
	return (search_digits(d, PRICE_MAX, out));
}

/*
 * Reads every filter from the query string into st. A value that is not
 * one of the filter's is left out and the first such parameter is named
 * in st->bad (the caller answers 400: JSON at once, HTML as the page with
 * the error and the rest of the search, the input kept).
 */
static void
search_parse(struct http_request *req, struct sstate *st)
{
	struct app_req		*ar;
	const struct sfilter	*f;
	struct ssel		*sl;
	const char		*v, *mn, *mx;
	int64_t			 iv, lo, hi;
	size_t			 i, k, j;
	double			 d;
	int			 okmin, okmax;

#define BAD(name)	do {						\
	if (st->bad == NULL)						\
		st->bad = (name);					\
} while (0)

	ar = app_req(req);
	for (k = 0; k < F__MAX; k++) {
		f = &sfilters[k];
		sl = &st->sel[k];
		switch (f->kind) {
		case SF_TERMS:
		case SF_ATLEAST:
			for (i = 0; (v = qs_nth(&ar->qs, f->name, i)) != NULL;
			    i++) {
				if (*v == '\0')
					continue;
				if (f->values != NULL ? !search_in(v, f->values) :
				    k == F_CATEGORY ? !search_is_cat(v) :
				    !search_digits(v, PRICE_MAX, &iv) || iv < 1) {
					BAD(f->name);
					continue;
				}
				for (j = 0; j < sl->n; j++)
					if (strcmp(sl->v[j], v) == 0)
						break;
				if (j < sl->n)
					continue;
				if (sl->n == SEL_MAX ||
				    (f->kind == SF_ATLEAST && sl->n == 1)) {
					BAD(f->name);
					continue;
				}
				sl->v[sl->n++] = v;
			}
			break;
		case SF_FLAG:
			for (i = 0; (v = qs_nth(&ar->qs, f->name, i)) != NULL;
			    i++) {
				if (strcmp(v, "1") == 0)
					sl->has = 1;
				else if (*v != '\0' && strcmp(v, "0") != 0)
					BAD(f->name);
			}
			if (sl->has) {
				sl->v[0] = "1";
				sl->n = 1;
			}
			break;
		case SF_MIN:
			if ((v = qs_get(&ar->qs, f->name)) == NULL || *v == '\0')
				break;
			if (qs_nth(&ar->qs, f->name, 1) != NULL ||
			    !search_decimal(v, &d) || d <= 0 || d > 100) {
				BAD(f->name);
				break;
			}
			sl->has = 1;
			sl->lo = d;
			sl->hi = HUGE_NUM;
			(void)kore_strlcpy(sl->lo_s, v, sizeof(sl->lo_s));
			break;
		case SF_RANGE:
			mn = qs_get(&ar->qs, "price_min");
			mx = qs_get(&ar->qs, "price_max");
			if (mn != NULL && *mn == '\0')
				mn = NULL;
			if (mx != NULL && *mx == '\0')
				mx = NULL;
			lo = 0;
			hi = -1;
			okmin = mn == NULL || (qs_nth(&ar->qs, "price_min", 1) ==
			    NULL && search_won_in(mn, &lo));
			okmax = mx == NULL || (qs_nth(&ar->qs, "price_max", 1) ==
			    NULL && search_won_in(mx, &hi) && (!okmin || hi >= lo));
			if (!okmin) {
				BAD("price_min");
				st->raw_min = mn;
				mn = NULL;
				lo = 0;
			}
			if (!okmax) {
				BAD("price_max");
				st->raw_max = mx;
				mx = NULL;
				hi = -1;
			}
			if (mn == NULL && mx == NULL)
				break;
			sl->has = 1;
			sl->lo = mn != NULL ? (double)lo : -1;
			sl->hi = hi >= 0 ? (double)hi : HUGE_NUM;
			if (mn != NULL)
				(void)snprintf(sl->lo_s, sizeof(sl->lo_s),
				    "%lld", (long long)lo);
			if (hi >= 0)
				(void)snprintf(sl->hi_s, sizeof(sl->hi_s),
				    "%lld", (long long)hi);
			break;
		}
	}
	st->valid = st->sel[F_VALID].has;
#undef BAD
}

/*
 * Fills g[F__MAX] for the state; valid non-zero reads the certificate
 * filters over certificates in force today.
 */
static void
search_groups(const struct sstate *st, int valid, struct xs_fgroup *g)
{
	const struct sfilter	*f;
	size_t			 k;

	memset(g, 0, sizeof(*g) * F__MAX);
	for (k = 0; k < F__MAX; k++) {
		f = &sfilters[k];
		g[k].slot = valid && f->vslot != 0 ? f->vslot : f->slot;
		g[k].prefix = valid && f->vprefix != NULL ? f->vprefix :
		    f->prefix;
		switch (f->kind) {
		case SF_MIN:
		case SF_RANGE:
			g[k].numeric = 1;
			g[k].has_range = st->sel[k].has;
			g[k].lo = st->sel[k].lo;
			g[k].hi = st->sel[k].hi;
			g[k].blo = k == F_AVAIL ? avail_lo : price_lo;
			g[k].bhi = k == F_AVAIL ? avail_hi : price_hi;
			g[k].nbuckets = k == F_AVAIL ? AVAIL_STEPS : PRICE_BANDS;
			break;
		default:
			g[k].sel = st->sel[k].v;
			g[k].nsel = st->sel[k].n;
			break;
		}
	}
}

/* Appends "&name=value" with value percent-encoded. */
static void
search_arg(struct kore_buf *b, const char *name, const char *value)
{
	char	enc[SEARCH_Q_MAX_CHARS * 4 * 3 + 1];

	if (qs_encode(value, enc, sizeof(enc)) == -1)
		return;
	kore_buf_appendf(b, "%s%s=%s", b->offset > strlen("/search?") ?
	    "&" : "", name, enc);
}

/*
 * "/search?q=..&<filters>&sort=..&page=n", kore_malloc'd, without the
 * selection (skip, skipv) when skip >= 0 (skipv NULL: all of that filter).
 * sort 0 leaves the order out (for the sort form's own hidden fields).
 */
static char *
search_href(const struct sstate *st, int skip, const char *skipv,
    int64_t page, int sort)
{
	struct kore_buf		 b;
	const struct ssel	*sl;
	size_t			 k, i, len;
	char			 n[24];

	kore_buf_init(&b, 256);
	kore_buf_append(&b, "/search?", 8);
	search_arg(&b, "q", st->q);
	for (k = 0; k < F__MAX; k++) {
		sl = &st->sel[k];
		if ((int)k == skip && skipv == NULL)
			continue;
		if (sfilters[k].kind == SF_RANGE) {
			if (sl->lo_s[0] != '\0')
				search_arg(&b, "price_min", sl->lo_s);
			if (sl->hi_s[0] != '\0')
				search_arg(&b, "price_max", sl->hi_s);
			continue;
		}
		if (sfilters[k].kind == SF_MIN) {
			if (sl->has)
				search_arg(&b, sfilters[k].name, sl->lo_s);
			continue;
		}
		for (i = 0; i < sl->n; i++) {
			if ((int)k == skip && strcmp(sl->v[i], skipv) == 0)
				continue;
			search_arg(&b, sfilters[k].name, sl->v[i]);
		}
	}
	if (sort && st->sort != NULL)
		search_arg(&b, "sort", st->sort);
	if (sort && st->per_page != 0 && st->per_page != SEARCH_PER_PAGE) {
		(void)snprintf(n, sizeof(n), "%lld", (long long)st->per_page);
		search_arg(&b, "per_page", n);
	}
	if (page > 1) {
		(void)snprintf(n, sizeof(n), "%lld", (long long)page);
		search_arg(&b, "page", n);
	}
	kore_buf_append(&b, "", 1);
	return ((char *)kore_buf_release(&b, &len));
}

/* The label of a stored "key\tko\ten" value in the reader's language. */
static const char *
search_pick(struct http_request *req, const char *v, size_t len, char *out,
    size_t outlen)
{
	const char	*t1, *t2, *end;

	end = v + len;
	if ((t1 = memchr(v, '\t', len)) == NULL) {
		(void)snprintf(out, outlen, "%.*s", (int)len, v);
		return (out);
	}
	t1++;
	t2 = memchr(t1, '\t', end - t1);
	if (t2 == NULL)
		t2 = end;
	if (strcmp(app_req(req)->lang, "en") == 0 && t2 < end && t2 + 1 < end)
		(void)snprintf(out, outlen, "%.*s", (int)(end - t2 - 1), t2 + 1);
	else
		(void)snprintf(out, outlen, "%.*s", (int)(t2 - t1), t1);
	return (out);
}

/* The count of key among a group's counted values (0 if none). */
static unsigned
search_count(const struct xs_facet *f, const char *key, const char **stored)
{
	size_t	i, kl;

	kl = strlen(key);
	for (i = 0; f != NULL && i < f->nvalues; i++) {
		if (strncmp(f->values[i].value, key, kl) == 0 &&
		    (f->values[i].value[kl] == '\0' ||
		    f->values[i].value[kl] == '\t')) {
			if (stored != NULL)
				*stored = f->values[i].value;
			return (f->values[i].count);
		}
	}
	return (0);
}

static int
search_selected(const struct ssel *sl, const char *v)
{
	size_t	i;

	for (i = 0; i < sl->n; i++)
		if (strcmp(sl->v[i], v) == 0)
			return (1);
	return (0);
}

/* Whole won with thousands separators: "1,000,000원" or "₩1,000,000". */
static void
search_won(char *out, size_t len, const char *digits, int en)
{
	char	 g[40];
	size_t	 n, i, o;

	n = strlen(digits);
	for (i = 0, o = 0; i < n && o + 2 < sizeof(g); i++) {
		if (i > 0 && (n - i) % 3 == 0)
			g[o++] = ',';
		g[o++] = digits[i];
	}
	g[o] = '\0';
	(void)snprintf(out, len, en ? "\xe2\x82\xa9%s" : "%s\xec\x9b\x90", g);
}

/* Adds a chip {filter, label, remove_url} for one selection. */
static void
search_chip(struct http_request *req, json_t *chips, const struct sstate *st,
    int k, const char *v, const char *label)
{
	char	key[64], *url;

	(void)snprintf(key, sizeof(key), "search.f.%s", sfilters[k].name);
	url = search_href(st, k, v, 1, 1);
	json_array_append_new(chips, json_pack("{s:s, s:s?, s:s, s:s, s:s}",
	    "filter", sfilters[k].name, "value", v,
	    "filter_label", web_str(req, key), "label", label,
	    "remove_url", url));
	kore_free(url);
}

/*
 * {value, label, count, selected} of one facet value. The same object as
 * json_pack("{s:s, s:s, s:I, s:b}") gives, built directly: the runs-on
 * facet of a broad search has thousands of them, and parsing the format
 * and checking the constant keys was a fifth of such a request's time.
 */
static json_t *
search_fv(const char *value, const char *label, unsigned count, int sel)
{
	json_t	*o;

	if ((o = json_object()) == NULL)
		return (NULL);
	json_object_set_new_nocheck(o, "value", json_string(value));
	json_object_set_new_nocheck(o, "label", json_string(label));
	json_object_set_new_nocheck(o, "count", json_integer(count));
	json_object_set_new_nocheck(o, "selected", json_boolean(sel));
	return (o);
}

/*
 * The facets object: for each filter its values with counts (what
 * selecting the value would give, the filter's own selection removed) and
 * whether selected; chips get one entry per selection. validcount is the
 * count of valid=1 when it differs from the group's (see search_page).
 */
static json_t *
search_facets(struct http_request *req, const struct sstate *st,
    const struct xs_result *res, unsigned validcount, json_t *chips)
{
	const struct sfilter	*f;
	const struct ssel	*sl;
	const struct xs_facet	*gf;
	const char		*stored, *code, *parent;
	json_t			*facets, *list, *c;
	char			 key[96], lab[256], val[48], *url;
	size_t			 k, i, j;
	unsigned		 n;
	int			 sel, en;

	en = strcmp(app_req(req)->lang, "en") == 0;
	facets = json_object();
	for (k = 0; k < F__MAX; k++) {
		f = &sfilters[k];
		sl = &st->sel[k];
		gf = k < res->ngfacets ? &res->gfacets[k] : NULL;
		list = json_array();
		switch (f->kind) {
		case SF_TERMS:
		case SF_ATLEAST:
			if (f->values != NULL) {
				for (i = 0; f->values[i] != NULL; i++) {
					(void)snprintf(key, sizeof(key), "%s.%s",
					    f->label, f->values[i]);
					n = search_count(gf, f->values[i], NULL);
					sel = search_selected(sl, f->values[i]);
					json_array_append_new(list, json_pack(
					    "{s:s, s:s, s:I, s:b}", "value",
					    f->values[i], "label", web_str(req,
					    key), "count", (json_int_t)n,
					    "selected", sel));
					if (sel)
						search_chip(req, chips, st, k,
						    f->values[i], web_str(req, key));
				}
				break;
			}
			if (k == F_CATEGORY) {
				json_array_foreach(scats, i, c) {
					code = json_string_value(
					    json_object_get(c, "code"));
					parent = json_string_value(
					    json_object_get(c, "parent"));
					n = search_count(gf, code, NULL);
					sel = search_selected(sl, code);
					if (n == 0 && !sel)
						continue;
					json_array_append_new(list, json_pack(
					    "{s:s, s:s, s:s?, s:I, s:b, s:b}",
					    "value", code, "label",
					    json_string_value(json_object_get(c,
					    en ? "name_en" : "name_ko")),
					    "parent", parent, "count",
					    (json_int_t)n, "selected", sel,
					    "child", parent != NULL));
					if (sel)
						search_chip(req, chips, st, k, code,
						    json_string_value(
						    json_object_get(c, en ?
						    "name_en" : "name_ko")));
				}
				break;
			}
			/* runs_on: the hosts counted, then selected ones. */
			for (i = 0; gf != NULL && i < gf->nvalues &&
			    (app_req(req)->json || i < RUNS_ON_SHOWN); i++) {
				stored = gf->values[i].value;
				j = strcspn(stored, "\t");
				(void)snprintf(val, sizeof(val), "%.*s", (int)j,
				    stored);
				sel = search_selected(sl, val);
				json_array_append_new(list, search_fv(val,
				    search_pick(req, stored, strlen(stored), lab,
				    sizeof(lab)), gf->values[i].count, sel));
			}
			for (i = 0; i < sl->n; i++) {
				stored = NULL;
				n = search_count(gf, sl->v[i], &stored);
				for (j = 0; j < json_array_size(list); j++)
					if (strcmp(json_string_value(
					    json_object_get(json_array_get(list,
					    j), "value")), sl->v[i]) == 0)
						break;
				if (stored != NULL)
					(void)search_pick(req, stored,
					    strlen(stored), lab, sizeof(lab));
				else
					(void)snprintf(lab, sizeof(lab), "#%s",
					    sl->v[i]);
				if (j == json_array_size(list))
					json_array_append_new(list, json_pack(
					    "{s:s, s:s, s:I, s:b}", "value",
					    sl->v[i], "label", lab, "count",
					    (json_int_t)n, "selected", 1));
				search_chip(req, chips, st, k, sl->v[i], lab);
			}
			break;
		case SF_FLAG:
			n = search_count(gf, "1", NULL);
			if (k == F_VALID && !st->valid && validcount !=
			    (unsigned)-1)
				n = validcount;
			(void)snprintf(key, sizeof(key), "search.f.%s.1",
			    f->name);
			json_array_append_new(list, json_pack(
			    "{s:s, s:s, s:I, s:b}", "value", "1", "label",
			    web_str(req, key), "count", (json_int_t)n,
			    "selected", sl->has));
			if (sl->has)
				search_chip(req, chips, st, k, "1",
				    web_str(req, key));
			break;
		case SF_MIN:
			for (i = 0; i < AVAIL_STEPS; i++) {
				n = gf != NULL && i < gf->nvalues ?
				    gf->values[i].count : 0;
				sel = sl->has && sl->lo == avail_lo[i];
				(void)snprintf(lab, sizeof(lab), "%s%% %s",
				    avail_steps[i], web_str(req,
				    "search.f.availability.at_least"));
				json_array_append_new(list, json_pack(
				    "{s:s, s:s, s:I, s:b}", "value",
				    avail_steps[i], "label", lab, "count",
				    (json_int_t)n, "selected", sel));
			}
			if (sl->has) {
				(void)snprintf(lab, sizeof(lab), "%s%% %s",
				    sl->lo_s, web_str(req,
				    "search.f.availability.at_least"));
				search_chip(req, chips, st, k, NULL, lab);
			}
			break;
		case SF_RANGE:
			for (i = 0; i < PRICE_BANDS; i++) {
				struct sstate	 t;

				n = gf != NULL && i < gf->nvalues ?
				    gf->values[i].count : 0;
				t = *st;
				(void)snprintf(t.sel[k].lo_s,
				    sizeof(t.sel[k].lo_s), "%lld",
				    (long long)price_band[i][0]);
				t.sel[k].hi_s[0] = '\0';
				if (price_band[i][1] >= 0)
					(void)snprintf(t.sel[k].hi_s,
					    sizeof(t.sel[k].hi_s), "%lld",
					    (long long)price_band[i][1]);
				sel = sl->has && strcmp(sl->lo_s,
				    t.sel[k].lo_s) == 0 && strcmp(sl->hi_s,
				    t.sel[k].hi_s) == 0;
				(void)snprintf(key, sizeof(key),
				    "search.f.price.band%zu", i);
				url = search_href(&t, -1, NULL, 1, 1);
				json_array_append_new(list, json_pack(
				    "{s:s, s:I, s:s, s:I, s:b, s:s}",
				    "value", key + strlen("search.f.price."),
				    "min", (json_int_t)price_band[i][0],
				    "label", web_str(req, key), "count",
				    (json_int_t)n, "selected", sel, "url", url));
				if (price_band[i][1] >= 0)
					json_object_set_new(json_array_get(list,
					    i), "max", json_integer(
					    price_band[i][1]));
				else
					json_object_set_new(json_array_get(list,
					    i), "max", json_null());
				kore_free(url);
			}
			if (sl->has) {
				char	a[48], b[48];

				search_won(a, sizeof(a), sl->lo_s[0] ?
				    sl->lo_s : "0", en);
				b[0] = '\0';
				if (sl->hi_s[0] != '\0')
					search_won(b, sizeof(b), sl->hi_s, en);
				(void)snprintf(lab, sizeof(lab), "%s ~%s%s", a,
				    b[0] != '\0' ? " " : "", b);
				search_chip(req, chips, st, k, NULL, lab);
			}
			break;
		}
		json_object_set_new(facets, f->name, list);
	}
	return (facets);
}

/*
 * Removes words that are only a field prefix ("vendor:", "name:") from q,
 * in place: a user half-way through typing one means no field yet, and
 * Xapian would search for the word "vendor" instead.
 */
static void
search_strip_fields(char *q)
{
	static const char	*fields[] = { "vendor:", "name:" };
	char			*r, *w, *end;
	size_t			 i, len;

	for (r = w = q; *r != '\0'; ) {
		if (*r == ' ' || *r == '\t') {
			*w++ = *r++;
			continue;
		}
		for (end = r; *end != '\0' && *end != ' ' && *end != '\t'; end++)
			;
		len = (size_t)(end - r);
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (len == strlen(fields[i]) &&
			    strncasecmp(r, fields[i], len) == 0)
				break;
		if (i == sizeof(fields) / sizeof(fields[0])) {
			memmove(w, r, len);
			w += len;
		}
		r = end;
	}
	*w = '\0';
}

int
search_api(struct http_request *req)
{
	return (search_page(req));
}

/*
 * GET / , /search, /api/v1/search: q, page, per_page, sort and the
 * filters of sfilters[] (docs/search.md).
 */
int
search_page(struct http_request *req)
{
	struct app_req		*ar;
	struct xs_db		*db;
	struct xs_query		 q;
	struct xs_result	*res, *vres;
	struct xs_prefix	 prefixes[] = {
		{ "vendor", SEARCH_PREFIX_VENDOR },
		{ "name", SEARCH_PREFIX_NAME },
	};
	struct xs_fgroup	 groups[F__MAX];
	struct sstate		 st;
	const char		*text;
	char			 err[256], *qtext, xtext[XS_QUERY_MAX + 1];
	json_t			*vm, *results, *card, *pages, *pg, *chips;
	int64_t			 page, per_page, npages, n;
	size_t			 i, len, cut, si;
	int			 truncated, rc;
	unsigned		 validcount;
	int			 status;
	char			*url;
	const char		*sort;

	ar = app_req(req);
	status = 200;

	/*
	 * The category tree, once per worker: filter values and labels. A
	 * statement once started is read to its end even if another request
	 * loaded the tree meanwhile: a connection left with unread results
	 * would not go back to the pool in a usable state, and a request
	 * queued for a connection that left its turn unused would leave the
	 * requests queued behind it waiting for ever.
	 */
	if (scats == NULL || ar->db[1].state != DB_IDLE) {
		rc = db_call(req, &ar->db[1], search_cats_sql, 0, NULL);
		if (rc == DB_PENDING)
			return (KORE_RESULT_RETRY);
		if (rc == DB_ERROR)
			return (web_db_error(req, &ar->db[1]));
	}
	if (scats == NULL) {
		scats = json_incref(ar->db[1].rows);
		for (i = 0; i < AVAIL_STEPS; i++) {
			avail_lo[i] = strtod(avail_steps[i], NULL);
			avail_hi[i] = HUGE_NUM;
		}
		for (i = 0; i < PRICE_BANDS; i++) {
			price_lo[i] = (double)price_band[i][0];
			price_hi[i] = price_band[i][1] >= 0 ?
			    (double)price_band[i][1] : HUGE_NUM;
		}
	}

	if (!web_param_int(req, "page", 1, 1, SEARCH_PAGE_MAX, &page))
		return (KORE_RESULT_OK);
	if (!web_param_int(req, "per_page", SEARCH_PER_PAGE, 1, 100, &per_page))
		return (KORE_RESULT_OK);

	/* sort: relevance (default) or one of sorts[]. */
	sort = qs_get(&ar->qs, "sort");
	si = 0;
	if (sort != NULL && *sort != '\0' && strcmp(sort, "relevance") != 0) {
		for (si = 0; si < sizeof(sorts) / sizeof(sorts[0]); si++)
			if (strcmp(sorts[si].name, sort) == 0)
				break;
		if (si == sizeof(sorts) / sizeof(sorts[0]))
			return (web_error(req, APP_EINVAL, "sort",
			    "error.invalid_value"));
		sort = sorts[si].name;
	} else {
		sort = NULL;
	}

	memset(&st, 0, sizeof(st));
	search_parse(req, &st);
	if (st.bad != NULL && ar->json)
		return (web_error(req, APP_EINVAL, st.bad,
		    "error.invalid_value"));

	if ((text = qs_get(&ar->qs, "q")) == NULL)
		text = "";
	len = strlen(text);
	truncated = 0;
	/* At most SEARCH_Q_MAX_CHARS characters and XS_QUERY_MAX bytes. */
	cut = utf8_prefix(text, len, SEARCH_Q_MAX_CHARS);
	if (cut > XS_QUERY_MAX) {
		cut = XS_QUERY_MAX;
		while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
			cut--;
	}
	if (cut < len) {
		qtext = kore_malloc(cut + 1);
		memcpy(qtext, text, cut);
		qtext[cut] = '\0';
		truncated = 1;
	} else {
		qtext = kore_strdup(text);
	}
	(void)kore_strlcpy(xtext, qtext, sizeof(xtext));
	search_strip_fields(xtext);
	st.q = qtext;
	st.sort = sort;
	st.per_page = per_page;

	err[0] = '\0';
	if ((db = search_db(err, sizeof(err))) == NULL) {
		web_log(req, "search: no index: %s", err);
		kore_free(qtext);
		return (web_error(req, APP_EUNAVAIL, NULL,
		    "error.index_unavailable"));
	}

	search_groups(&st, st.valid, groups);
	xs_query_init(&q);
	q.text = xtext;
	q.prefixes = prefixes;
	q.nprefixes = sizeof(prefixes) / sizeof(prefixes[0]);
	q.fgroups = groups;
	q.nfgroups = F__MAX;
	q.fcount = 1;
	q.fpack = 1;
	q.fpack_slot = SEARCH_SLOT_FACETS;
	q.offset = (unsigned)((page - 1) * per_page);
	q.limit = (unsigned)per_page;
	q.sort = XS_SORT_RELEVANCE;
	q.tiebreak_slot = SEARCH_SLOT_TIEBREAK;
	q.value_tiebreak = 1;
	if (sort != NULL) {
		q.sort = XS_SORT_VALUE;
		q.sort_slot = sorts[si].slot;
		q.sort_desc = sorts[si].desc;
	}
	q.snippet_slot = strcmp(ar->lang, "en") == 0 ?
	    SEARCH_SLOT_SNIPPET_EN : SEARCH_SLOT_SNIPPET_KO;
	q.snippet_len = 160;

	res = NULL;
	if ((rc = xs_search(db, &q, &res, err, sizeof(err))) != XS_OK) {
		web_log(req, "search: %s", err);
		kore_free(qtext);
		if (rc == XS_EQUERY)
			return (web_error(req, APP_ETOOLONG, "q", NULL));
		return (web_error(req, APP_EUNAVAIL, NULL,
		    "error.index_unavailable"));
	}

	/*
	 * valid=1 also makes the certificate filters count only certificates
	 * in force, so with a certificate filter on and valid off, what
	 * clicking valid would give is one more count under that reading.
	 */
	validcount = (unsigned)-1;
	if (!st.valid && (st.sel[F_CERT].n > 0 || st.sel[F_CSAP].n > 0)) {
		struct xs_fgroup	vg[F__MAX];
		struct xs_query		vq;

		search_groups(&st, 1, vg);
		vg[F_VALID].sel = (const char *const []){ "1" };
		vg[F_VALID].nsel = 1;
		vq = q;
		vq.fgroups = vg;
		vq.fcount = 0;
		vq.offset = 0;
		vq.limit = 0;
		vq.snippet_slot = XS_NOSLOT;
		vres = NULL;
		if (xs_search(db, &vq, &vres, err, sizeof(err)) == XS_OK)
			validcount = vres->total;
		else
			web_log(req, "search: valid count: %s", err);
		xs_result_free(vres);
	}

	npages = (res->total + per_page - 1) / per_page;
	vm = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
	    "q", qtext,
	    "searched", strcmp(req->path, "/") != 0 || qtext[0] != '\0',
	    "total", (json_int_t)res->total,
	    "page", (json_int_t)page,
	    "per_page", (json_int_t)per_page,
	    "pages", (json_int_t)npages,
	    "from", (json_int_t)(res->nhits > 0 ? q.offset + 1 : 0),
	    "to", (json_int_t)(q.offset + res->nhits),
	    "query_truncated", truncated);
	if (vm == NULL) {
		xs_result_free(res);
		kore_free(qtext);
		return (web_error(req, APP_EINTERNAL, NULL, NULL));
	}
	ar->vm = vm;
	{
		json_t	*opts;
		char	 key[48];

		opts = json_array();
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", "relevance", "label", web_str(req,
		    "search.sort.relevance"), "selected", sort == NULL));
		for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
			(void)snprintf(key, sizeof(key), "search.sort.%s",
			    sorts[i].name);
			json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
			    "value", sorts[i].name, "label", web_str(req, key),
			    "selected", sort != NULL && strcmp(sort,
			    sorts[i].name) == 0));
		}
		json_object_set_new(vm, "sort", json_string(sort != NULL ?
		    sort : "relevance"));
		json_object_set_new(vm, "sorts", opts);
		/* "Save this search" (shortlist.c keeps the query string). */
		url = search_href(&st, -1, NULL, 1, 1);
		{
			char	enc[8192];

			if (qs_encode(url + strlen("/search?"), enc,
			    sizeof(enc)) == 0)
				json_object_set_new(vm, "save_url",
				    json_sprintf("/searches?query=%s", enc));
		}
		kore_free(url);
		/* The filters as hidden fields of the query and sort forms. */
		{
			json_t	*hidden;
			struct qs hq;
			char	 bad[64];

			url = search_href(&st, -1, NULL, 1, 0);
			memset(&hq, 0, sizeof(hq));
			hidden = json_array();
			if (qs_parse(&hq, url + strlen("/search?"),
			    strlen(url + strlen("/search?")), bad,
			    sizeof(bad)) == QS_OK) {
				for (i = 0; i < hq.n; i++)
					if (strcmp(hq.p[i].name, "q") != 0)
						json_array_append_new(hidden,
						    json_pack("{s:s, s:s}",
						    "name", hq.p[i].name,
						    "value", hq.p[i].value));
			}
			qs_free(&hq);
			kore_free(url);
			json_object_set_new(vm, "filter_fields", hidden);
		}
	}

	results = json_array();
	for (i = 0; i < res->nhits; i++) {
		if ((card = search_card(req, &res->hits[i])) != NULL)
			json_array_append_new(results, card);
	}
	json_object_set_new(vm, "results", results);
	/*
	 * A buyer adds a result to a shortlist with the search that found
	 * it, which the shortlist keeps as evidence (shortlist.c).
	 */
	if (ar->who.role & ROLES_AGENCY) {
		char	enc[8192];

		url = search_href(&st, -1, NULL, 1, 1);
		if (qs_encode(url + strlen("/search?"), enc, sizeof(enc)) == 0) {
			json_array_foreach(results, i, card)
				json_object_set_new(card, "shortlist_url",
				    json_sprintf("/shortlists/add?listing=%lld"
				    "&search=%s", (long long)json_integer_value(
				    json_object_get(card, "id")), enc));
		}
		kore_free(url);
	}

	chips = json_array();
	json_object_set_new(vm, "facets", search_facets(req, &st, res,
	    validcount, chips));
	if (json_array_size(chips) > 0) {
		struct sstate	none;

		json_object_set_new(vm, "chips", chips);
		memset(&none, 0, sizeof(none));
		none.q = st.q;
		none.sort = st.sort;
		url = search_href(&none, -1, NULL, 1, 1);
		json_object_set_new(vm, "clear_url", json_string(url));
		kore_free(url);
	} else {
		json_decref(chips);
	}
	/* The price inputs keep what was typed. */
	json_object_set_new(vm, "price_min", json_string(st.raw_min != NULL ?
	    st.raw_min : st.sel[F_PRICE].lo_s));
	json_object_set_new(vm, "price_max", json_string(st.raw_max != NULL ?
	    st.raw_max : st.sel[F_PRICE].hi_s));
	/*
	 * A refused filter value on the page: 400 with the message, the
	 * search without that value and the input kept (JSON answered above).
	 */
	if (st.bad != NULL) {
		char	*msg;

		msg = kore_strdup(web_str(req, "error.invalid_value"));
		{
			struct kore_buf	b;
			char		*p, *out, anchor[40];
			size_t		 olen;

			/* On the page the filter is named by its label. */
			(void)snprintf(anchor, sizeof(anchor), "search.f.%s",
			    strcmp(st.bad, "price_min") == 0 ? "price.min" :
			    strcmp(st.bad, "price_max") == 0 ? "price.max" :
			    st.bad);
			kore_buf_init(&b, 128);
			if ((p = strstr(msg, "{field}")) != NULL) {
				kore_buf_append(&b, msg, (size_t)(p - msg));
				if (strncmp(st.bad, "price_", 6) == 0)
					kore_buf_appendf(&b, "%s ",
					    web_str(req, "search.f.price"));
				kore_buf_appendf(&b, "%s", web_str(req, anchor));
				kore_buf_appendf(&b, "%s", p + strlen("{field}"));
			} else {
				kore_buf_appendf(&b, "%s", msg);
			}
			kore_buf_append(&b, "", 1);
			out = (char *)kore_buf_release(&b, &olen);
			/* field: the id of the input the summary links to. */
			(void)snprintf(anchor, sizeof(anchor), "%s%s", st.bad,
			    strcmp(st.bad, "valid") == 0 ||
			    strcmp(st.bad, "domestic") == 0 ||
			    strcmp(st.bad, "trial") == 0 ? "-1" : "");
			json_object_set_new(vm, "error", json_pack("{s:s, s:s, "
			    "s:s, s:s}", "code", "invalid_parameter", "message",
			    out, "field", anchor, "parameter", st.bad));
			json_object_set_new(vm, "price_min_error",
			    json_boolean(st.raw_min != NULL));
			json_object_set_new(vm, "price_max_error",
			    json_boolean(st.raw_max != NULL));
			kore_free(out);
		}
		kore_free(msg);
		status = 400;
	}
	json_object_set_new(vm, "filtered", json_boolean(json_object_get(vm,
	    "chips") != NULL));
	json_object_set_new(vm, "csap_any", json_boolean(st.sel[F_CSAP].n == 0));
	json_object_set_new(vm, "availability_any",
	    json_boolean(!st.sel[F_AVAIL].has));

	if (page > npages && res->total > 0) {
		url = search_href(&st, -1, NULL, npages, 1);
		json_object_set_new(vm, "notice",
		    json_string(web_str(req, "search.notice_past_last_page")));
		json_object_set_new(vm, "notice_code",
		    json_string("past_last_page"));
		json_object_set_new(vm, "last_page_url", json_string(url));
		kore_free(url);
	} else if (truncated) {
		json_object_set_new(vm, "notice",
		    json_string(web_str(req, "search.notice_query_truncated")));
		json_object_set_new(vm, "notice_code",
		    json_string("query_truncated"));
	}
	if (res->relaxed)
		json_object_set_new(vm, "query_relaxed", json_true());

	/* Pagination links: a window of pages around the current one. */
	pages = json_array();
	for (n = page - 4 < 1 ? 1 : page - 4; n <= npages && n <= page + 4;
	    n++) {
		url = search_href(&st, -1, NULL, n, 1);
		pg = json_pack("{s:I, s:s, s:b}", "n", (json_int_t)n,
		    "url", url, "current", n == page);
		kore_free(url);
		json_array_append_new(pages, pg);
	}
	url = search_href(&st, -1, NULL, page - 1, 1);
	json_object_set_new(vm, "pagination", json_pack("{s:s?, s:s?, s:o}",
	    "prev_url", page > 1 && page <= npages ? url : NULL,
	    "next_url", NULL, "pages", pages));
	kore_free(url);
	if (page < npages) {
		url = search_href(&st, -1, NULL, page + 1, 1);
		json_object_set_new(json_object_get(vm, "pagination"),
		    "next_url", json_string(url));
		kore_free(url);
	}

	json_object_set_new(vm, "title", json_string(qtext[0] != '\0' ?
	    qtext : web_str(req, "search.title")));

	xs_result_free(res);
	kore_free(qtext);

	/*
	 * A buyer sees, on each card, how many of its systems may contract
	 * the service (eligcheck.c): one statement for the page. The search
	 * runs again when the statement wakes the request; it is cheap.
	 */
	if ((ar->who.role & ROLES_AGENCY) && json_array_size(results) > 0) {
		struct kore_buf	 ids;
		json_t		*elig, *counts;
		char		 key[24];
		int		 erc;

		kore_buf_init(&ids, 128);
		kore_buf_append(&ids, "{", 1);
		json_array_foreach(results, i, card)
			kore_buf_appendf(&ids, "%s%lld", i ? "," : "",
			    (long long)json_integer_value(json_object_get(card,
			    "id")));
		kore_buf_append(&ids, "}", 2);
		erc = eligcheck_preview_many(req, &ar->db[0],
		    (const char *)ids.data, &elig);
		kore_buf_cleanup(&ids);
		if (erc == DB_PENDING) {
			json_decref(ar->vm);
			ar->vm = NULL;
			return (KORE_RESULT_RETRY);
		}
		if (erc == DB_ERROR)
			return (web_db_error(req, &ar->db[0]));
		json_array_foreach(results, i, card) {
			(void)snprintf(key, sizeof(key), "%lld", (long long)
			    json_integer_value(json_object_get(card, "id")));
			if ((counts = json_object_get(elig, key)) != NULL)
				json_object_set(card, "my_eligibility", counts);
		}
		json_decref(elig);
	}
	return (web_page(req, status, "search", vm));
}

/*
 * One result card from a hit's stored data, in the request's language,
 * with the card signals the indexer stored (catalog.c labels them).
 */
static json_t *
search_card(struct http_request *req, const struct xs_hit *hit)
{
	struct app_req	*ar;
	json_t		*d, *card;
	const char	*type, *name, *alt, *summary, *vendor;
	char		 url[64];
	int		 en;

	ar = app_req(req);
	if ((d = json_loadb(hit->data, hit->datalen, 0, NULL)) == NULL) {
		web_log(req, "search: bad document data for %lld",
		    (long long)hit->id);
		return (NULL);
	}
	en = strcmp(ar->lang, "en") == 0;
	type = json_string_value(json_object_get(d, "type"));
	name = json_string_value(json_object_get(d, en ? "name_en" : "name_ko"));
	alt = json_string_value(json_object_get(d, en ? "name_ko" : "name_en"));
	summary = json_string_value(json_object_get(d,
	    en ? "summary_en" : "summary_ko"));
	vendor = json_string_value(json_object_get(d,
	    en ? "vendor_en" : "vendor_ko"));
	/* English text may be missing: fall back to Korean. */
	if (name == NULL || *name == '\0') {
		name = alt;
		alt = "";
	}
	/* Imported listings carry the English name in both columns. */
	if (name != NULL && alt != NULL && strcmp(name, alt) == 0)
		alt = "";
	if (summary == NULL || *summary == '\0')
		summary = json_string_value(json_object_get(d, "summary_ko"));
	if (vendor == NULL || *vendor == '\0')
		vendor = json_string_value(json_object_get(d, "vendor_ko"));
	(void)snprintf(url, sizeof(url), "/services/%lld", (long long)hit->id);

	card = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
	    "s:s?, s:i}",
	    "id", (json_int_t)hit->id, "url", url,
	    "name", name, "name_alt", alt, "summary", summary,
	    "snippet", hit->snippet, "vendor", vendor,
	    "service_type", type,
	    "service_type_label", search_type_label(req, type),
	    "score", hit->percent);
	/* The signals the indexer stored (catalog_card()), as labels. */
	if (card != NULL)
		catalog_card_signals(req, json_object_get(d, "card"), card);
	json_decref(d);
	return (card);
}

/* The translated label of a service type ("type.saas" in the strings). */
static const char *
search_type_label(struct http_request *req, const char *type)
{
	char	key[32];

	if (type == NULL)
		return (NULL);
	(void)snprintf(key, sizeof(key), "type.%s", type);
	return (web_str(req, key));
}
