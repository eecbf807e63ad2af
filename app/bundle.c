/*
 * bundle.c - canonical JSON, completion, signing and verification of
 * invoice evidence bundles (bundle.h, docs/evidence.md).
 *
 * The verifier trusts nothing in the file: every key set is exact (an
 * extra or missing key is a failure, so nothing unchecked can ride
 * along), every number must be a canonical decimal string (so "1.50"
 * cannot stand for "1.5" next to a signature), and every derived figure
 * is recomputed with the same money.c and rating.c the month close uses,
 * then compared as text.  The first difference is reported with its path
 * ("lines[2].amount_won"), the value expected and the value found.
 * Content is checked before the hash and the signature, so a changed
 * number is named as such rather than as "bad signature".
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "money.h"
#include "plan.h"
#include "rating.h"

#define PATH_MAX_	160
#define ADJUST_MAX	64		/* adjustment inputs per invoice */
#define LINES_MAX	(RATING_DIMENSIONS_MAX + ADJUST_MAX + 2)
#define CN_LINES_MAX	256		/* lines of a credit note */

/* A growable output buffer for the canonical form. */
struct cbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 bad;
};

/* What the checks learn on the way and use further down. */
struct ctx {
	struct bundle_report	*rep;
	int			 credit_note;
	int			 year;
	int			 month;
	enum money_rounding	 rounding;
	struct rating_period	 period;
	struct plan		 plan;
	int64_t			 remaining;
};

static const char *const top_keys[] = {
	"format", "invoice", "contract", "contract_hash", "rate_plan",
	"rate_plan_hash", "usage", "availability", "sla_share", "adjustments",
	"ceiling", "lines", "totals", "corrects", "prev_hash",
	"marketplace_key", NULL
};
static const char *const invoice_keys[] = {
	"id", "kind", "number", "seq", "month", "fiscal_year", "issued_at",
	"rounding", NULL
};
static const char *const contract_keys[] = {
	"id", "version", "title", "agency", "vendor", "start", "end",
	"ceiling_won", "fy_split", "rounding", "listing", "document_sha256",
	NULL
};
static const char *const party_keys[] = {
	"id", "name_ko", "name_en", "biz_no", NULL
};
static const char *const listing_keys[] = { "id", "version", NULL };
static const char *const usage_keys[] = {
	"chain_head", "chain_seq", "dimensions", NULL
};
static const char *const total_keys[] = {
	"code", "aggregation", "quantity", "records", NULL
};
static const char *const adjust_keys[] = {
	"month", "dimension", "amount_won", NULL
};
static const char *const ceiling_keys[] = {
	"contract_won", "invoiced_won", "fy_ceiling_won", "fy_invoiced_won",
	"remaining_won", NULL
};
static const char *const line_keys[] = {
	"no", "kind", "dimension", "quantity", "amount_won", "adjusts_month",
	"label_ko", "label_en", "breakdown", NULL
};
static const char *const part_keys[] = {
	"tier", "quantity", "packages", "unit_price", "flat_fee", "amount",
	NULL
};
static const char *const totals_keys[] = {
	"supply_won", "vat_won", "total_won", NULL
};
static const char *const corrects_keys[] = {
	"id", "number", "total_won", "credited_won", "bundle_hash", NULL
};
static const char *const doc_keys[] = {
	"bundle", "hash", "signature", NULL
};

static void	 cb_add(struct cbuf *, const char *, size_t);
static void	 cb_str(struct cbuf *, const char *, size_t);
static int	 cb_value(struct cbuf *, const json_t *, int);
static int	 keycmp(const void *, const void *);
static int	 fail(struct bundle_report *, const char *, const char *,
		    const char *, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
static void	 subpath(char *, const char *, const char *);
static void	 subindex(char *, const char *, size_t);
static int	 keys_exact(struct bundle_report *, const json_t *,
		    const char *const *, const char *);
static const char *str_of(struct bundle_report *, const json_t *,
		    const char *, const char *, int);
static int	 dec_of(struct bundle_report *, const json_t *, const char *,
		    const char *, int, int, int64_t *, int *);
static int	 won_of(struct bundle_report *, const json_t *, const char *,
		    const char *, int, int, int64_t *, int *);
static int	 id_of(struct bundle_report *, const json_t *, const char *,
		    const char *, int64_t *);
static int	 hex_of(struct bundle_report *, const json_t *, const char *,
		    const char *, int, unsigned char *);
static int	 same(struct bundle_report *, const char *, const char *,
		    const char *, const char *);
static int	 parse_month(const char *, int *, int *);
static int	 parse_date(const char *, int *, int *, int *);
static long	 day_number(int, int, int);
static int	 month_days(int, int);
static int	 period_of(int, int, const char *, const char *,
		    struct rating_period *);
static json_t	*parts_json(const struct rating_result *);
static int	 plan_of(const json_t *, struct plan *, char *, size_t);
static int	 check_invoice(struct ctx *, const json_t *);
static int	 check_contract(struct ctx *, const json_t *);
static int	 check_party(struct ctx *, const json_t *, const char *, int);
static int	 check_ceiling(struct ctx *, const json_t *);
static int	 check_usage_invoice(struct ctx *, const json_t *);
static int	 check_credit_note(struct ctx *, const json_t *);
static int	 check_totals(struct ctx *, const json_t *, int64_t, int64_t,
		    int64_t);

/* Canonical form. */

static void
cb_add(struct cbuf *b, const char *s, size_t n)
{
	char	*p;
	size_t	 cap;

	if (b->bad)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap > 0 ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->bad = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* A string with only '"', '\\' and control characters escaped. */
static void
cb_str(struct cbuf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 esc[7];
	size_t			 i, from;
	unsigned char		 c;

	cb_add(b, "\"", 1);
	for (i = from = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		cb_add(b, s + from, i - from);
		from = i + 1;
		switch (c) {
		case '"':
			cb_add(b, "\\\"", 2);
			break;
		case '\\':
			cb_add(b, "\\\\", 2);
			break;
		case '\b':
			cb_add(b, "\\b", 2);
			break;
		case '\t':
			cb_add(b, "\\t", 2);
			break;
		case '\n':
			cb_add(b, "\\n", 2);
			break;
		case '\f':
			cb_add(b, "\\f", 2);
			break;
		case '\r':
			cb_add(b, "\\r", 2);
			break;
		default:
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			cb_add(b, esc, 6);
			break;
		}
	}
	cb_add(b, s + from, n - from);
	cb_add(b, "\"", 1);
}

static int
keycmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

static int
cb_value(struct cbuf *b, const json_t *v, int depth)
{
	const char	**names, *k;
	json_t		 *x;
	size_t		  i, n;

	if (depth > 64)
		return (-1);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		n = json_object_size(v);
		if ((names = calloc(n > 0 ? n : 1, sizeof(*names))) == NULL)
			return (-1);
		i = 0;
		json_object_foreach((json_t *)v, k, x)
			names[i++] = k;
		qsort(names, n, sizeof(*names), keycmp);
		cb_add(b, "{", 1);
		for (i = 0; i < n; i++) {
			if (i > 0)
				cb_add(b, ",", 1);
			cb_str(b, names[i], strlen(names[i]));
			cb_add(b, ":", 1);
			if (cb_value(b, json_object_get(v, names[i]),
			    depth + 1) == -1) {
				free(names);
				return (-1);
			}
		}
		free(names);
		cb_add(b, "}", 1);
		break;
	case JSON_ARRAY:
		cb_add(b, "[", 1);
		json_array_foreach(v, i, x) {
			if (i > 0)
				cb_add(b, ",", 1);
			if (cb_value(b, x, depth + 1) == -1)
				return (-1);
		}
		cb_add(b, "]", 1);
		break;
	case JSON_STRING:
		cb_str(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_TRUE:
		cb_add(b, "true", 4);
		break;
	case JSON_FALSE:
		cb_add(b, "false", 5);
		break;
	case JSON_NULL:
		cb_add(b, "null", 4);
		break;
	default:
		return (-1);	/* numbers have no canonical form here */
	}
	return (b->bad ? -1 : 0);
}

int
bundle_canonical(const json_t *v, char **out, size_t *len)
{
	struct cbuf	b;

	memset(&b, 0, sizeof(b));
	*out = NULL;
	*len = 0;
	if (v == NULL || cb_value(&b, v, 0) == -1 || b.p == NULL) {
		free(b.p);
		return (-1);
	}
	*out = b.p;
	*len = b.len;
	return (0);
}

int
bundle_hash(const json_t *v, unsigned char out[SIGN_HASHBYTES])
{
	char	*s;
	size_t	 n;

	if (bundle_canonical(v, &s, &n) == -1)
		return (-1);
	sign_hash(s, n, out);
	free(s);
	return (0);
}

/* Reports. */

static int
fail(struct bundle_report *rep, const char *path, const char *expected,
    const char *found, const char *fmt, ...)
{
	va_list	ap;
	char	msg[400];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)snprintf(rep->path, sizeof(rep->path), "%s", path);
	(void)snprintf(rep->expected, sizeof(rep->expected), "%s",
	    expected != NULL ? expected : "");
	(void)snprintf(rep->found, sizeof(rep->found), "%s",
	    found != NULL ? found : "");
	if (expected != NULL && found != NULL)
		(void)snprintf(rep->reason, sizeof(rep->reason),
		    "%s: %s (expected %s, found %s)", path, msg, expected,
		    found);
	else
		(void)snprintf(rep->reason, sizeof(rep->reason), "%s: %s",
		    path, msg);
	return (-1);
}

static void
subpath(char *out, const char *base, const char *key)
{
	(void)snprintf(out, PATH_MAX_, "%s.%s", base, key);
}

static void
subindex(char *out, const char *base, size_t i)
{
	(void)snprintf(out, PATH_MAX_, "%s[%zu]", base, i);
}

/* Every key of allowed present in o, and no other. */
static int
keys_exact(struct bundle_report *rep, const json_t *o,
    const char *const *allowed, const char *path)
{
	const char	*k;
	json_t		*v;
	char		 p[PATH_MAX_];
	size_t		 i;

	if (!json_is_object(o))
		return (fail(rep, path, NULL, NULL, "not an object"));
	for (i = 0; allowed[i] != NULL; i++) {
		if (json_object_get(o, allowed[i]) == NULL) {
			subpath(p, path, allowed[i]);
			return (fail(rep, p, NULL, NULL, "missing"));
		}
	}
	json_object_foreach((json_t *)o, k, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], k) == 0)
				break;
		if (allowed[i] == NULL) {
			subpath(p, path, k);
			return (fail(rep, p, NULL, NULL,
			    "not a field of this format"));
		}
	}
	return (0);
}

/* A string member (nullable: JSON null gives ""), or NULL on failure. */
static const char *
str_of(struct bundle_report *rep, const json_t *o, const char *key,
    const char *path, int nullable)
{
	json_t	*v;
	char	 p[PATH_MAX_];

	subpath(p, path, key);
	v = json_object_get(o, key);
	if (nullable && json_is_null(v))
		return ("");
	if (!json_is_string(v)) {
		(void)fail(rep, p, NULL, NULL, "not a string");
		return (NULL);
	}
	return (json_string_value(v));
}

/* A canonical decimal string in micro-units (nullable: *isnull). */
static int
dec_of(struct bundle_report *rep, const json_t *o, const char *key,
    const char *path, int flags, int nullable, int64_t *out, int *isnull)
{
	const char	*s;
	char		 p[PATH_MAX_], back[MONEY_FMT_MAX];
	enum money_err	 e;

	subpath(p, path, key);
	if (isnull != NULL)
		*isnull = 0;
	if (nullable && json_is_null(json_object_get(o, key))) {
		if (isnull != NULL)
			*isnull = 1;
		*out = 0;
		return (0);
	}
	if ((s = str_of(rep, o, key, path, 0)) == NULL)
		return (-1);
	if ((e = money_parse(s, flags, out)) != MONEY_OK)
		return (fail(rep, p, NULL, NULL, "\"%.60s\" is not a decimal "
		    "(%s)", s, money_err_name(e)));
	if (money_format_micro(*out, 0, back, sizeof(back)) != MONEY_OK ||
	    strcmp(back, s) != 0)
		return (fail(rep, p, back, s, "not in canonical form"));
	return (0);
}

/* A canonical whole-won string (nullable: *isnull). */
static int
won_of(struct bundle_report *rep, const json_t *o, const char *key,
    const char *path, int flags, int nullable, int64_t *out, int *isnull)
{
	const char	*s;
	char		 p[PATH_MAX_], back[MONEY_FMT_MAX];
	enum money_err	 e;

	subpath(p, path, key);
	if (isnull != NULL)
		*isnull = 0;
	if (nullable && json_is_null(json_object_get(o, key))) {
		if (isnull != NULL)
			*isnull = 1;
		*out = 0;
		return (0);
	}
	if ((s = str_of(rep, o, key, path, 0)) == NULL)
		return (-1);
	if ((e = money_parse_won(s, flags, out)) != MONEY_OK)
		return (fail(rep, p, NULL, NULL, "\"%.60s\" is not an amount "
		    "in won (%s)", s, money_err_name(e)));
	if (money_format_won(*out, 0, back, sizeof(back)) != MONEY_OK ||
	    strcmp(back, s) != 0)
		return (fail(rep, p, back, s, "not in canonical form"));
	return (0);
}

/* An identifier or count: a canonical non-negative integer string. */
static int
id_of(struct bundle_report *rep, const json_t *o, const char *key,
    const char *path, int64_t *out)
{
	return (won_of(rep, o, key, path, 0, 0, out, NULL));
}

/* 64 lowercase hex characters into out (nullable: all zero bytes). */
static int
hex_of(struct bundle_report *rep, const json_t *o, const char *key,
    const char *path, int nullable, unsigned char *out)
{
	const char	*s;
	char		 p[PATH_MAX_], back[SIGN_HEXLEN(SIGN_HASHBYTES)];

	subpath(p, path, key);
	if (nullable && json_is_null(json_object_get(o, key))) {
		memset(out, 0, SIGN_HASHBYTES);
		return (1);
	}
	if ((s = str_of(rep, o, key, path, 0)) == NULL)
		return (-1);
	if (sign_fromhex(s, out, SIGN_HASHBYTES) == -1)
		return (fail(rep, p, NULL, NULL, "not a BLAKE2b-256 hash in "
		    "hex"));
	sign_tohex(out, SIGN_HASHBYTES, back);
	if (strcmp(back, s) != 0)
		return (fail(rep, p, back, s, "hex must be lowercase"));
	return (0);
}

/* Compares an expected text with the one found at path. */
static int
same(struct bundle_report *rep, const char *path, const char *expected,
    const char *found, const char *what)
{
	if (strcmp(expected, found) == 0)
		return (0);
	return (fail(rep, path, expected, found, "%s", what));
}

/* Dates, Korea-time calendar days as written. */

static int
parse_month(const char *s, int *y, int *m)
{
	if (s == NULL || strlen(s) != 7 || s[4] != '-' ||
	    strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2)
		return (-1);
	*y = atoi(s);
	*m = atoi(s + 5);
	if (*y < 2000 || *y > 2999 || *m < 1 || *m > 12)
		return (-1);
	return (0);
}

static int
parse_date(const char *s, int *y, int *m, int *d)
{
	char	ym[8];

	if (s == NULL || strlen(s) != 10 || s[7] != '-' ||
	    strspn(s + 8, "0123456789") != 2)
		return (-1);
	memcpy(ym, s, 7);
	ym[7] = '\0';
	if (parse_month(ym, y, m) == -1)
		return (-1);
	*d = atoi(s + 8);
	if (*d < 1 || *d > month_days(*y, *m))
		return (-1);
	return (0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long
day_number(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static int
month_days(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

/* The days of month (y, m) the contract [start, end] is in force. */
static int
period_of(int y, int m, const char *start, const char *end,
    struct rating_period *p)
{
	int	sy, sm, sd, ey, em, ed;
	long	first, last, from, to;

	if (parse_date(start, &sy, &sm, &sd) == -1 ||
	    parse_date(end, &ey, &em, &ed) == -1)
		return (-1);
	p->days_in_month = month_days(y, m);
	first = day_number(y, m, 1);
	last = first + p->days_in_month - 1;
	from = day_number(sy, sm, sd);
	to = day_number(ey, em, ed);
	if (from < first)
		from = first;
	if (to > last)
		to = last;
	p->days_active = to >= from ? (int)(to - from + 1) : 0;
	return (0);
}

/* The breakdown rows of one rated dimension, as the bundle holds them. */
static json_t *
parts_json(const struct rating_result *r)
{
	const struct rating_part	*pt;
	json_t				*a, *o;
	char				 q[MONEY_FMT_MAX], up[MONEY_FMT_MAX];
	char				 ff[MONEY_FMT_MAX], am[MONEY_FMT_MAX];
	char				 tier[16], pk[32];
	size_t				 i;

	if ((a = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < r->nparts; i++) {
		pt = &r->parts[i];
		if (money_format_micro(pt->quantity, 0, q, sizeof(q)) ||
		    money_format_micro(pt->unit_price, 0, up, sizeof(up)) ||
		    money_format_micro(pt->flat_fee, 0, ff, sizeof(ff)) ||
		    money_format_exact(pt->amount, 0, am, sizeof(am))) {
			json_decref(a);
			return (NULL);
		}
		(void)snprintf(tier, sizeof(tier), "%d", pt->tier + 1);
		(void)snprintf(pk, sizeof(pk), "%lld", (long long)pt->packages);
		o = json_pack("{s:s?, s:s, s:s, s:s, s:s, s:s}",
		    "tier", pt->tier >= 0 ? tier : NULL, "quantity", q,
		    "packages", pk, "unit_price", up, "flat_fee", ff,
		    "amount", am);
		if (o == NULL || json_array_append_new(a, o) == -1) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

/* The plan in a bundle (or from the database), validated. */
static int
plan_of(const json_t *doc, struct plan *p, char *err, size_t errlen)
{
	struct plan_perr	pe;
	struct rating_error	re;
	char			msg[200];
	int64_t			won;

	plan_init(p);
	if (plan_parse(doc, p, &pe) == -1) {
		(void)snprintf(err, errlen, "%s at dimension %d, tier %d, "
		    "credit %d, key \"%s\"", plan_perr_name(pe.code),
		    pe.dimension + 1, pe.tier + 1, pe.credit + 1, pe.key);
		return (-1);
	}
	if (plan_check(p, &won, &re, 1) != 0) {
		if (rating_error_format(&re, "en", msg, sizeof(msg)) !=
		    MONEY_OK)
			(void)snprintf(msg, sizeof(msg), "%s",
			    rating_errcode_name(re.code));
		(void)snprintf(err, errlen, "dimension %d: %s",
		    re.dimension + 1, msg);
		return (-1);
	}
	return (0);
}

/* Completion and signing. */

int
bundle_finish(json_t *b, const unsigned char *pk, char *err, size_t errlen)
{
	struct plan		 plan;
	struct rating_plan	 rp;
	struct rating_period	 per;
	struct rating_result	 res;
	const char		*code, *qs, *month;
	json_t			*inv, *ct, *line, *v;
	unsigned char		 h[SIGN_HASHBYTES];
	char			 hex[SIGN_HEXLEN(SIGN_HASHBYTES)];
	char			 b64[SIGN_B64LEN(SIGN_PKBYTES)];
	int64_t			 qty, share;
	size_t			 i, k;
	int			 y, m;

	inv = json_object_get(b, "invoice");
	ct = json_object_get(b, "contract");
	month = json_string_value(json_object_get(inv, "month"));
	if (!json_is_object(b) || !json_is_object(inv) ||
	    !json_is_object(ct) || parse_month(month, &y, &m) == -1) {
		(void)snprintf(err, errlen, "no invoice, contract or month");
		return (-1);
	}
	if (period_of(y, m, json_string_value(json_object_get(ct, "start")),
	    json_string_value(json_object_get(ct, "end")), &per) == -1) {
		(void)snprintf(err, errlen, "contract dates");
		return (-1);
	}
	if (plan_of(json_object_get(b, "rate_plan"), &plan, err,
	    errlen) == -1)
		return (-1);
	if ((v = plan_json(&plan)) == NULL ||
	    json_object_set_new(b, "rate_plan", v) == -1 ||
	    bundle_hash(v, h) == -1) {
		(void)snprintf(err, errlen, "rate plan: no memory");
		return (-1);
	}
	sign_tohex(h, sizeof(h), hex);
	if (json_object_set_new(b, "rate_plan_hash", json_string(hex)) == -1 ||
	    bundle_hash(ct, h) == -1) {
		(void)snprintf(err, errlen, "contract terms have a number");
		return (-1);
	}
	sign_tohex(h, sizeof(h), hex);
	json_object_set_new(b, "contract_hash", json_string(hex));

	/* The SLA share the plan gives for the month's availability. */
	share = 0;
	qs = json_string_value(json_object_get(b, "availability"));
	plan_rating(&plan, &rp);
	if (qs != NULL && (money_parse(qs, 0, &qty) != MONEY_OK ||
	    rating_sla_share(&rp, qty, &share) != MONEY_OK)) {
		(void)snprintf(err, errlen, "availability \"%.32s\"", qs);
		return (-1);
	}
	(void)money_format_micro(share, 0, hex, sizeof(hex));
	json_object_set_new(b, "sla_share", json_string(hex));

	json_array_foreach(json_object_get(b, "lines"), i, line) {
		if (!json_is_object(line))
			continue;
		if (json_object_get(line, "breakdown") == NULL)
			json_object_set_new(line, "breakdown", json_array());
		if (strcmp(json_string_value(json_object_get(line, "kind")) ?
		    json_string_value(json_object_get(line, "kind")) : "",
		    "usage") != 0)
			continue;
		code = json_string_value(json_object_get(line, "dimension"));
		qs = json_string_value(json_object_get(line, "quantity"));
		for (k = 0; k < plan.ndims; k++)
			if (code != NULL && strcmp(plan.dims[k].code, code) == 0)
				break;
		if (k == plan.ndims || money_parse(qs, 0, &qty) != MONEY_OK ||
		    rating_price(&plan.dims[k], qty, &per, &res) != MONEY_OK ||
		    (v = parts_json(&res)) == NULL) {
			(void)snprintf(err, errlen, "line %zu: dimension "
			    "\"%.64s\" quantity \"%.32s\" cannot be rated",
			    i + 1, code ? code : "", qs ? qs : "");
			return (-1);
		}
		json_object_set_new(line, "breakdown", v);
	}
	if (pk != NULL)
		sign_tob64(pk, SIGN_PKBYTES, b64);
	else
		b64[0] = '\0';
	json_object_set_new(b, "marketplace_key", json_string(b64));
	return (0);
}

int
bundle_take_checks(json_t *b, char *err, size_t errlen)
{
	json_t		*u, *d, *cq;
	const char	*q, *c;
	size_t		 i, len;
	int		 rc, found;

	rc = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	found = !json_is_false(json_object_get(b, "_head_found"));
	(void)json_object_del(b, "_head_found");
	u = json_object_get(b, "usage");
	if (!found) {
		(void)snprintf(err, errlen, "usage head %s is not a head of the "
		    "contract's usage chain", json_string_value(
		    json_object_get(u, "chain_head")) ?
		    json_string_value(json_object_get(u, "chain_head")) : "");
		rc = -1;
	}
	json_array_foreach(json_object_get(u, "dimensions"), i, d) {
		cq = json_object_get(d, "chain_quantity");
		q = json_string_value(json_object_get(d, "quantity"));
		c = json_string_value(cq);
		if (rc == 0 && json_is_string(json_object_get(u, "chain_head")) &&
		    (q == NULL || c == NULL || strcmp(q, c) != 0)) {
			len = strlen(err);
			(void)snprintf(err + len, errlen - len, "%s%s: invoiced "
			    "%s, the chain up to its head gives %s",
			    len > 0 ? "; " : "usage totals disagree: ",
			    json_string_value(json_object_get(d, "code")),
			    q != NULL ? q : "?", c != NULL ? c : "?");
		}
		(void)json_object_del(d, "chain_quantity");
	}
	if (err != NULL && err[0] != '\0')
		rc = -1;
	return (rc);
}

json_t *
bundle_seal(const json_t *b, const unsigned char sk[SIGN_SKBYTES],
    unsigned char hash[SIGN_HASHBYTES], unsigned char sig[SIGN_SIGBYTES])
{
	unsigned char	 h[SIGN_HASHBYTES], s[SIGN_SIGBYTES];
	char		 hex[SIGN_HEXLEN(SIGN_HASHBYTES)];
	char		 b64[SIGN_B64LEN(SIGN_SIGBYTES)], *c;
	size_t		 n;
	json_t		*doc;

	if (bundle_canonical(b, &c, &n) == -1)
		return (NULL);
	sign_hash(c, n, h);
	sign_detached(c, n, sk, s);
	free(c);
	sign_tohex(h, sizeof(h), hex);
	sign_tob64(s, sizeof(s), b64);
	doc = json_pack("{s:O, s:s, s:s}", "bundle", (json_t *)b, "hash", hex,
	    "signature", b64);
	if (doc != NULL && hash != NULL)
		memcpy(hash, h, sizeof(h));
	if (doc != NULL && sig != NULL)
		memcpy(sig, s, sizeof(s));
	return (doc);
}

/* Checks. */

static int
check_invoice(struct ctx *x, const json_t *inv)
{
	const char	*kind, *s;
	int64_t		 v, fy;

	if (keys_exact(x->rep, inv, invoice_keys, "invoice") == -1 ||
	    id_of(x->rep, inv, "id", "invoice", &v) == -1 ||
	    id_of(x->rep, inv, "seq", "invoice", &v) == -1 ||
	    (kind = str_of(x->rep, inv, "kind", "invoice", 0)) == NULL ||
	    (s = str_of(x->rep, inv, "number", "invoice", 0)) == NULL ||
	    str_of(x->rep, inv, "issued_at", "invoice", 0) == NULL)
		return (-1);
	if (strcmp(kind, "invoice") != 0 && strcmp(kind, "credit_note") != 0)
		return (fail(x->rep, "invoice.kind", "invoice or credit_note",
		    kind, "unknown kind"));
	x->credit_note = strcmp(kind, "credit_note") == 0;
	if ((s = str_of(x->rep, inv, "month", "invoice", 0)) == NULL)
		return (-1);
	if (parse_month(s, &x->year, &x->month) == -1)
		return (fail(x->rep, "invoice.month", NULL, NULL, "\"%.20s\" "
		    "is not a month (YYYY-MM)", s));
	if (id_of(x->rep, inv, "fiscal_year", "invoice", &fy) == -1)
		return (-1);
	if (fy != x->year) {
		char	e[16], f[24];

		(void)snprintf(e, sizeof(e), "%d", x->year);
		(void)snprintf(f, sizeof(f), "%lld", (long long)fy);
		return (fail(x->rep, "invoice.fiscal_year", e, f, "the Korean "
		    "fiscal year is the calendar year of the month"));
	}
	if ((s = str_of(x->rep, inv, "rounding", "invoice", 0)) == NULL)
		return (-1);
	if (money_rounding_from_name(s, &x->rounding) != MONEY_OK)
		return (fail(x->rep, "invoice.rounding", "half_up or down", s,
		    "unknown rounding rule"));
	return (0);
}

static int
check_party(struct ctx *x, const json_t *p, const char *path, int vendor)
{
	int64_t	 v;

	if (keys_exact(x->rep, p, party_keys, path) == -1 ||
	    id_of(x->rep, p, "id", path, &v) == -1 ||
	    str_of(x->rep, p, "name_ko", path, 0) == NULL ||
	    str_of(x->rep, p, "name_en", path, 0) == NULL ||
	    str_of(x->rep, p, "biz_no", path, !vendor) == NULL)
		return (-1);
	return (0);
}

static int
check_contract(struct ctx *x, const json_t *c)
{
	const char	*start, *end, *s, *k;
	json_t		*fy, *v;
	char		 p[PATH_MAX_];
	int64_t		 n;
	int		 y, m, d;
	enum money_rounding r;

	if (keys_exact(x->rep, c, contract_keys, "contract") == -1 ||
	    id_of(x->rep, c, "id", "contract", &n) == -1 ||
	    id_of(x->rep, c, "version", "contract", &n) == -1 ||
	    str_of(x->rep, c, "title", "contract", 0) == NULL ||
	    check_party(x, json_object_get(c, "agency"), "contract.agency",
	    0) == -1 ||
	    check_party(x, json_object_get(c, "vendor"), "contract.vendor",
	    1) == -1 ||
	    (start = str_of(x->rep, c, "start", "contract", 0)) == NULL ||
	    (end = str_of(x->rep, c, "end", "contract", 0)) == NULL ||
	    won_of(x->rep, c, "ceiling_won", "contract", 0, 0, &n,
	    NULL) == -1 ||
	    str_of(x->rep, c, "document_sha256", "contract", 1) == NULL)
		return (-1);
	if (parse_date(start, &y, &m, &d) == -1)
		return (fail(x->rep, "contract.start", NULL, NULL, "not a date "
		    "(YYYY-MM-DD)"));
	if (parse_date(end, &y, &m, &d) == -1 || strcmp(end, start) < 0)
		return (fail(x->rep, "contract.end", NULL, NULL, "not a date "
		    "on or after the start"));
	if ((s = str_of(x->rep, c, "rounding", "contract", 0)) == NULL)
		return (-1);
	if (money_rounding_from_name(s, &r) != MONEY_OK || r != x->rounding)
		return (fail(x->rep, "contract.rounding",
		    money_rounding_name(x->rounding), s, "the invoice is "
		    "rounded by another rule than the contract's"));
	v = json_object_get(c, "listing");
	if (keys_exact(x->rep, v, listing_keys, "contract.listing") == -1 ||
	    id_of(x->rep, v, "id", "contract.listing", &n) == -1 ||
	    id_of(x->rep, v, "version", "contract.listing", &n) == -1)
		return (-1);
	fy = json_object_get(c, "fy_split");
	if (!json_is_object(fy))
		return (fail(x->rep, "contract.fy_split", NULL, NULL,
		    "not an object"));
	json_object_foreach(fy, k, v) {
		subpath(p, "contract.fy_split", k);
		if (strlen(k) != 4 || strspn(k, "0123456789") != 4)
			return (fail(x->rep, p, NULL, NULL, "not a year"));
		if (won_of(x->rep, fy, k, "contract.fy_split", 0, 0, &n,
		    NULL) == -1)
			return (-1);
	}
	if (period_of(x->year, x->month, start, end, &x->period) == -1)
		return (fail(x->rep, "contract", NULL, NULL, "bad dates"));
	if (x->period.days_active == 0)
		return (fail(x->rep, "invoice.month", NULL, NULL, "the month "
		    "is outside the contract period %s ~ %s", start, end));
	return (0);
}

/* The remaining ceiling before this invoice (docs/billing.md §7). */
static int
check_ceiling(struct ctx *x, const json_t *b)
{
	const json_t	*c, *ct, *fy;
	int64_t		 cw, iw, fcw, fiw, rw, ceiling, want;
	int		 fnull;
	char		 e[32], f[32], year[8];

	c = json_object_get(b, "ceiling");
	ct = json_object_get(b, "contract");
	if (keys_exact(x->rep, c, ceiling_keys, "ceiling") == -1 ||
	    won_of(x->rep, c, "contract_won", "ceiling", 0, 0, &cw,
	    NULL) == -1 ||
	    won_of(x->rep, c, "invoiced_won", "ceiling", MONEY_PARSE_NEGATIVE,
	    0, &iw, NULL) == -1 ||
	    won_of(x->rep, c, "fy_ceiling_won", "ceiling", 0, 1, &fcw,
	    &fnull) == -1 ||
	    won_of(x->rep, c, "fy_invoiced_won", "ceiling",
	    MONEY_PARSE_NEGATIVE, 0, &fiw, NULL) == -1 ||
	    won_of(x->rep, c, "remaining_won", "ceiling", MONEY_PARSE_NEGATIVE,
	    0, &rw, NULL) == -1)
		return (-1);
	(void)money_parse_won(json_string_value(json_object_get(ct,
	    "ceiling_won")), 0, &ceiling);
	if (cw != ceiling) {
		(void)snprintf(e, sizeof(e), "%lld", (long long)ceiling);
		(void)snprintf(f, sizeof(f), "%lld", (long long)cw);
		return (fail(x->rep, "ceiling.contract_won", e, f, "not the "
		    "contract's ceiling"));
	}
	(void)snprintf(year, sizeof(year), "%d", x->year);
	fy = json_object_get(json_object_get(ct, "fy_split"), year);
	if (fy == NULL ? !fnull : (fnull ||
	    strcmp(json_string_value(fy), json_string_value(
	    json_object_get(c, "fy_ceiling_won"))) != 0))
		return (fail(x->rep, "ceiling.fy_ceiling_won", fy != NULL ?
		    json_string_value(fy) : "null", fnull ? "null" :
		    json_string_value(json_object_get(c, "fy_ceiling_won")),
		    "not the contract's split for fiscal year %s", year));
	if (fiw > iw) {
		(void)snprintf(e, sizeof(e), "<= %lld", (long long)iw);
		(void)snprintf(f, sizeof(f), "%lld", (long long)fiw);
		return (fail(x->rep, "ceiling.fy_invoiced_won", e, f, "a fiscal "
		    "year's invoices are part of the contract's"));
	}
	want = cw - iw;
	if (!fnull && fcw - fiw < want)
		want = fcw - fiw;
	if (want != rw) {
		(void)snprintf(e, sizeof(e), "%lld", (long long)want);
		(void)snprintf(f, sizeof(f), "%lld", (long long)rw);
		return (fail(x->rep, "ceiling.remaining_won", e, f, "the "
		    "ceiling minus what was invoiced (the smaller of the "
		    "contract's and the fiscal year's)"));
	}
	x->remaining = rw;
	return (0);
}

/* Lines of an invoice: re-rated from the plan and the usage totals. */
static int
check_usage_invoice(struct ctx *x, const json_t *b)
{
	struct rating_plan	 rp;
	struct rating_result	 res[RATING_DIMENSIONS_MAX];
	struct rating_line	 out[LINES_MAX];
	struct rating_invoice	 ri;
	struct rating_invoice_in in;
	int64_t			 usage_won[RATING_DIMENSIONS_MAX];
	int64_t			 adjust_won[ADJUST_MAX], qty[RATING_DIMENSIONS_MAX];
	int64_t			 v, avail, share;
	const json_t		*u, *dims, *adj, *lines, *line, *o;
	const char		*s, *adim[ADJUST_MAX], *amonth[ADJUST_MAX];
	char			 p[PATH_MAX_], q[PATH_MAX_], e[MONEY_FMT_MAX];
	char			 f[MONEY_FMT_MAX];
	unsigned char		 head[SIGN_HASHBYTES];
	json_t			*want, *wp;
	size_t			 i, j, n, nadj;
	int			 isnull, rc, ym, mm;
	enum money_err		 err;

	if (!json_is_null(json_object_get(b, "corrects")))
		return (fail(x->rep, "corrects", "null", NULL, "an invoice "
		    "corrects nothing; only credit notes do"));
	plan_rating(&x->plan, &rp);

	/* Usage totals, in plan order, and the chain head they come from. */
	u = json_object_get(b, "usage");
	if (keys_exact(x->rep, u, usage_keys, "usage") == -1 ||
	    (rc = hex_of(x->rep, u, "chain_head", "usage", 1, head)) == -1 ||
	    id_of(x->rep, u, "chain_seq", "usage", &v) == -1)
		return (-1);
	if (rc == 1 && v != 0)
		return (fail(x->rep, "usage.chain_seq", "0", json_string_value(
		    json_object_get(u, "chain_seq")), "no chain head, so no "
		    "sequence number"));
	dims = json_object_get(u, "dimensions");
	if (!json_is_array(dims) || json_array_size(dims) != x->plan.ndims) {
		(void)snprintf(e, sizeof(e), "%zu", x->plan.ndims);
		(void)snprintf(f, sizeof(f), "%zu", json_is_array(dims) ?
		    json_array_size(dims) : 0);
		return (fail(x->rep, "usage.dimensions", e, f, "one total per "
		    "dimension of the rate plan"));
	}
	json_array_foreach(dims, i, o) {
		subindex(p, "usage.dimensions", i);
		if (keys_exact(x->rep, o, total_keys, p) == -1 ||
		    (s = str_of(x->rep, o, "code", p, 0)) == NULL)
			return (-1);
		subpath(q, p, "code");
		if (same(x->rep, q, x->plan.dims[i].code, s, "not the rate "
		    "plan's dimension in this place") == -1)
			return (-1);
		if ((s = str_of(x->rep, o, "aggregation", p, 0)) == NULL)
			return (-1);
		subpath(q, p, "aggregation");
		if (same(x->rep, q, rating_aggregation_name(
		    x->plan.dims[i].aggregation), s, "not the rate plan's "
		    "aggregation") == -1 ||
		    dec_of(x->rep, o, "quantity", p, 0, 0, &qty[i],
		    NULL) == -1 ||
		    id_of(x->rep, o, "records", p, &v) == -1)
			return (-1);
	}

	/* Availability and the SLA share it earns. */
	if (dec_of(x->rep, b, "availability", "bundle", 0, 1, &avail,
	    &isnull) == -1)
		return (-1);
	share = 0;
	if (!isnull && (err = rating_sla_share(&rp, avail, &share)) !=
	    MONEY_OK)
		return (fail(x->rep, "availability", NULL, NULL, "cannot be "
		    "used (%s)", money_err_name(err)));
	if (dec_of(x->rep, b, "sla_share", "bundle", 0, 0, &v, NULL) == -1)
		return (-1);
	if (v != share) {
		(void)money_format_micro(share, 0, e, sizeof(e));
		return (fail(x->rep, "sla_share", e, json_string_value(
		    json_object_get(b, "sla_share")), "not the share the plan's "
		    "credit schedule gives for this availability"));
	}

	/* Adjustment inputs. */
	adj = json_object_get(b, "adjustments");
	if (!json_is_array(adj) || json_array_size(adj) > ADJUST_MAX)
		return (fail(x->rep, "adjustments", NULL, NULL, "not an array "
		    "of at most %d", ADJUST_MAX));
	nadj = json_array_size(adj);
	json_array_foreach(adj, i, o) {
		subindex(p, "adjustments", i);
		if (keys_exact(x->rep, o, adjust_keys, p) == -1 ||
		    (amonth[i] = str_of(x->rep, o, "month", p, 0)) == NULL ||
		    (adim[i] = str_of(x->rep, o, "dimension", p, 1)) == NULL ||
		    won_of(x->rep, o, "amount_won", p, MONEY_PARSE_NEGATIVE, 0,
		    &adjust_won[i], NULL) == -1)
			return (-1);
		subpath(q, p, "month");
		if (parse_month(amonth[i], &ym, &mm) == -1 ||
		    ym * 12 + mm >= x->year * 12 + x->month)
			return (fail(x->rep, q, NULL, NULL, "\"%.20s\" is not a "
			    "month before the invoice's", amonth[i]));
	}

	/* Rate every dimension; then the invoice as the month close does. */
	for (i = 0; i < x->plan.ndims; i++) {
		subindex(p, "usage.dimensions", i);
		if ((err = rating_price(&x->plan.dims[i], qty[i], &x->period,
		    &res[i])) != MONEY_OK ||
		    (err = money_round_exact(res[i].amount, x->rounding,
		    &usage_won[i])) != MONEY_OK)
			return (fail(x->rep, p, NULL, NULL, "cannot be rated "
			    "(%s)", money_err_name(err)));
	}
	memset(&in, 0, sizeof(in));
	in.usage_won = usage_won;
	in.nusage = x->plan.ndims;
	in.adjust_won = adjust_won;
	in.nadjust = nadj;
	in.sla_share = share;
	in.rounding = x->rounding;
	in.remaining_won = x->remaining;
	if ((err = rating_invoice(&in, out, LINES_MAX, &ri)) != MONEY_OK)
		return (fail(x->rep, "lines", NULL, NULL, "the invoice cannot "
		    "be computed from these inputs (%s)", money_err_name(err)));

	lines = json_object_get(b, "lines");
	n = json_is_array(lines) ? json_array_size(lines) : 0;
	if (!json_is_array(lines) || n != ri.nlines) {
		(void)snprintf(e, sizeof(e), "%zu", ri.nlines);
		(void)snprintf(f, sizeof(f), "%zu", n);
		return (fail(x->rep, "lines", e, f, "number of lines"));
	}
	for (i = 0; i < n; i++) {
		line = json_array_get(lines, i);
		subindex(p, "lines", i);
		if (keys_exact(x->rep, line, line_keys, p) == -1 ||
		    id_of(x->rep, line, "no", p, &v) == -1)
			return (-1);
		subpath(q, p, "no");
		if (v != (int64_t)i + 1) {
			(void)snprintf(e, sizeof(e), "%zu", i + 1);
			return (fail(x->rep, q, e, json_string_value(
			    json_object_get(line, "no")), "lines are numbered "
			    "from 1 in order"));
		}
		if ((s = str_of(x->rep, line, "kind", p, 0)) == NULL ||
		    str_of(x->rep, line, "label_ko", p, 0) == NULL ||
		    str_of(x->rep, line, "label_en", p, 0) == NULL)
			return (-1);
		subpath(q, p, "kind");
		if (same(x->rep, q, rating_line_name(out[i].kind), s, "not the "
		    "line the rating gives in this place") == -1)
			return (-1);
		if (won_of(x->rep, line, "amount_won", p, MONEY_PARSE_NEGATIVE,
		    0, &v, NULL) == -1)
			return (-1);
		subpath(q, p, "amount_won");
		(void)money_format_won(out[i].amount_won, 0, e, sizeof(e));
		if (same(x->rep, q, e, json_string_value(json_object_get(line,
		    "amount_won")), "re-rating gives another amount") == -1)
			return (-1);
		/* What each kind of line refers to. */
		s = str_of(x->rep, line, "dimension", p, 1);
		if (s == NULL)
			return (-1);
		subpath(q, p, "dimension");
		switch (out[i].kind) {
		case RATING_LINE_USAGE:
			j = out[i].source;
			if (same(x->rep, q, x->plan.dims[j].code, s, "not the "
			    "dimension of this line") == -1 ||
			    dec_of(x->rep, line, "quantity", p, 0, 0, &v,
			    NULL) == -1)
				return (-1);
			subpath(q, p, "quantity");
			if (same(x->rep, q, json_string_value(json_object_get(
			    json_array_get(dims, j), "quantity")),
			    json_string_value(json_object_get(line, "quantity")),
			    "not the usage total of its dimension") == -1)
				return (-1);
			if (!json_is_null(json_object_get(line,
			    "adjusts_month"))) {
				subpath(q, p, "adjusts_month");
				return (fail(x->rep, q, "null", NULL, "a usage "
				    "line adjusts no month"));
			}
			if ((want = parts_json(&res[j])) == NULL)
				return (fail(x->rep, p, NULL, NULL, "no memory"));
			subpath(q, p, "breakdown");
			o = json_object_get(line, "breakdown");
			if (!json_is_array(o) || json_array_size(o) !=
			    json_array_size(want)) {
				(void)snprintf(e, sizeof(e), "%zu rows",
				    json_array_size(want));
				(void)snprintf(f, sizeof(f), "%zu rows",
				    json_is_array(o) ? json_array_size(o) : 0);
				json_decref(want);
				return (fail(x->rep, q, e, f, "tier breakdown"));
			}
			json_array_foreach(want, j, wp) {
				const char	*k, *ws, *fs;
				json_t		*fv;
				char		 r[PATH_MAX_], t[PATH_MAX_];

				subindex(r, q, j);
				fv = json_array_get(o, j);
				if (keys_exact(x->rep, fv, part_keys, r) == -1) {
					json_decref(want);
					return (-1);
				}
				for (k = part_keys[0], rc = 0; k != NULL;
				    k = part_keys[++rc]) {
					ws = json_is_null(json_object_get(wp, k)) ?
					    "null" : json_string_value(
					    json_object_get(wp, k));
					fs = json_is_null(json_object_get(fv, k)) ?
					    "null" : json_string_value(
					    json_object_get(fv, k));
					subpath(t, r, k);
					if (same(x->rep, t, ws, fs != NULL ? fs :
					    "(not a string)", "re-rating gives "
					    "another tier breakdown") == -1) {
						json_decref(want);
						return (-1);
					}
				}
			}
			json_decref(want);
			break;
		case RATING_LINE_ADJUSTMENT:
			j = out[i].source;
			if (same(x->rep, q, adim[j], s, "not the dimension of "
			    "its adjustment") == -1)
				return (-1);
			if ((s = str_of(x->rep, line, "adjusts_month", p,
			    0)) == NULL)
				return (-1);
			subpath(q, p, "adjusts_month");
			if (same(x->rep, q, amonth[j], s, "not the month of "
			    "its adjustment") == -1 ||
			    dec_of(x->rep, line, "quantity", p, 0, 1, &v,
			    &isnull) == -1)
				return (-1);
			if (!json_is_array(json_object_get(line, "breakdown")) ||
			    json_array_size(json_object_get(line,
			    "breakdown")) != 0) {
				subpath(q, p, "breakdown");
				return (fail(x->rep, q, "[]", NULL, "only usage "
				    "lines have a tier breakdown"));
			}
			break;
		default:
			if (s[0] != '\0' || !json_is_null(json_object_get(line,
			    "quantity")) || !json_is_null(json_object_get(line,
			    "adjusts_month")) || !json_is_array(
			    json_object_get(line, "breakdown")) ||
			    json_array_size(json_object_get(line,
			    "breakdown")) != 0)
				return (fail(x->rep, p, NULL, NULL, "a %s line "
				    "has no dimension, quantity, month or "
				    "breakdown", rating_line_name(out[i].kind)));
			break;
		}
	}
	return (check_totals(x, json_object_get(b, "totals"), ri.supply_won,
	    ri.vat_won, ri.total_won));
}

/* A credit note: negative lines correcting one sealed invoice. */
static int
check_credit_note(struct ctx *x, const json_t *b)
{
	const json_t	*c, *lines, *line;
	const char	*s, *kind;
	char		 p[PATH_MAX_], q[PATH_MAX_], e[MONEY_FMT_MAX];
	unsigned char	 h[SIGN_HASHBYTES];
	int64_t		 v, ctotal, credited, supply, vat;
	size_t		 i, n, k;
	int		 ym, mm;

	if (!json_is_null(json_object_get(b, "usage")) ||
	    !json_is_null(json_object_get(b, "availability")) ||
	    !json_is_array(json_object_get(b, "adjustments")) ||
	    json_array_size(json_object_get(b, "adjustments")) != 0)
		return (fail(x->rep, "usage", NULL, NULL, "a credit note has "
		    "no usage, availability or adjustments of its own"));
	if (dec_of(x->rep, b, "sla_share", "bundle", 0, 0, &v, NULL) == -1)
		return (-1);
	if (v != 0)
		return (fail(x->rep, "sla_share", "0", json_string_value(
		    json_object_get(b, "sla_share")), "a credit note earns no "
		    "SLA credit"));
	c = json_object_get(b, "corrects");
	if (keys_exact(x->rep, c, corrects_keys, "corrects") == -1 ||
	    id_of(x->rep, c, "id", "corrects", &v) == -1 ||
	    str_of(x->rep, c, "number", "corrects", 0) == NULL ||
	    won_of(x->rep, c, "total_won", "corrects", MONEY_PARSE_NEGATIVE, 0,
	    &ctotal, NULL) == -1 ||
	    won_of(x->rep, c, "credited_won", "corrects", MONEY_PARSE_NEGATIVE,
	    0, &credited, NULL) == -1 ||
	    hex_of(x->rep, c, "bundle_hash", "corrects", 1, h) == -1)
		return (-1);
	if (credited > 0)
		return (fail(x->rep, "corrects.credited_won", "<= 0",
		    json_string_value(json_object_get(c, "credited_won")),
		    "earlier credit notes are negative"));
	lines = json_object_get(b, "lines");
	n = json_is_array(lines) ? json_array_size(lines) : 0;
	if (n == 0 || n > CN_LINES_MAX)
		return (fail(x->rep, "lines", NULL, NULL, "a credit note has 1 "
		    "to %d lines", CN_LINES_MAX));
	supply = 0;
	for (i = 0; i < n; i++) {
		line = json_array_get(lines, i);
		subindex(p, "lines", i);
		if (keys_exact(x->rep, line, line_keys, p) == -1 ||
		    id_of(x->rep, line, "no", p, &v) == -1)
			return (-1);
		if (v != (int64_t)i + 1) {
			subpath(q, p, "no");
			(void)snprintf(e, sizeof(e), "%zu", i + 1);
			return (fail(x->rep, q, e, json_string_value(
			    json_object_get(line, "no")), "lines are numbered "
			    "from 1 in order"));
		}
		if ((s = str_of(x->rep, line, "dimension", p, 1)) == NULL)
			return (-1);
		for (k = 0; s[0] != '\0' && k < x->plan.ndims; k++)
			if (strcmp(x->plan.dims[k].code, s) == 0)
				break;
		if (s[0] != '\0' && k == x->plan.ndims) {
			subpath(q, p, "dimension");
			return (fail(x->rep, q, NULL, s, "not a dimension of "
			    "the rate plan"));
		}
		if ((kind = str_of(x->rep, line, "kind", p, 0)) == NULL ||
		    (s = str_of(x->rep, line, "adjusts_month", p, 1)) == NULL)
			return (-1);
		if (s[0] != '\0' && parse_month(s, &ym, &mm) == -1) {
			subpath(q, p, "adjusts_month");
			return (fail(x->rep, q, NULL, s, "not a month"));
		}
		if (str_of(x->rep, line, "label_ko", p, 0) == NULL ||
		    str_of(x->rep, line, "label_en", p, 0) == NULL ||
		    dec_of(x->rep, line, "quantity", p, 0, 1, &v, NULL) == -1 ||
		    won_of(x->rep, line, "amount_won", p, MONEY_PARSE_NEGATIVE,
		    0, &v, NULL) == -1)
			return (-1);
		subpath(q, p, "kind");
		if (strcmp(kind, "credit") != 0 &&
		    strcmp(kind, "adjustment") != 0 &&
		    strcmp(kind, "sla_credit") != 0 &&
		    strcmp(kind, "ceiling_cap") != 0)
			return (fail(x->rep, q, "credit, adjustment, sla_credit or "
			    "ceiling_cap", kind, "not a line kind of a credit "
			    "note"));
		subpath(q, p, "amount_won");
		if (v > 0)
			return (fail(x->rep, q, "<= 0", json_string_value(
			    json_object_get(line, "amount_won")), "a credit "
			    "note's lines are negative"));
		if (!json_is_array(json_object_get(line, "breakdown")) ||
		    json_array_size(json_object_get(line, "breakdown")) != 0) {
			subpath(q, p, "breakdown");
			return (fail(x->rep, q, "[]", NULL, "only usage lines "
			    "have a tier breakdown"));
		}
		supply += v;
		if (supply < -MONEY_WON_MAX)
			return (fail(x->rep, "lines", NULL, NULL, "too large"));
	}
	if (supply == 0)
		return (fail(x->rep, "lines", NULL, "0", "a credit note "
		    "credits something"));
	if (money_vat(supply, &vat) != MONEY_OK)
		return (fail(x->rep, "totals", NULL, NULL, "too large"));
	if (check_totals(x, json_object_get(b, "totals"), supply, vat,
	    supply + vat) == -1)
		return (-1);
	if (ctotal + credited + supply + vat < 0) {
		(void)snprintf(e, sizeof(e), ">= %lld",
		    (long long)-(ctotal + credited));
		return (fail(x->rep, "totals.total_won", e, json_string_value(
		    json_object_get(json_object_get(b, "totals"),
		    "total_won")), "credits more than is left of the invoice "
		    "it corrects"));
	}
	return (0);
}

static int
check_totals(struct ctx *x, const json_t *t, int64_t supply, int64_t vat,
    int64_t total)
{
	const int64_t	 want[3] = { supply, vat, total };
	char		 p[PATH_MAX_], e[MONEY_FMT_MAX];
	int64_t		 v;
	size_t		 i;

	if (keys_exact(x->rep, t, totals_keys, "totals") == -1)
		return (-1);
	for (i = 0; i < 3; i++) {
		if (won_of(x->rep, t, totals_keys[i], "totals",
		    MONEY_PARSE_NEGATIVE, 0, &v, NULL) == -1)
			return (-1);
		subpath(p, "totals", totals_keys[i]);
		(void)money_format_won(want[i], 0, e, sizeof(e));
		if (same(x->rep, p, e, json_string_value(json_object_get(t,
		    totals_keys[i])), i == 0 ? "공급가액 is the sum of the lines" :
		    i == 1 ? "부가세 is floor(공급가액 x 10 / 100)" :
		    "합계 is 공급가액 + 부가세") == -1)
			return (-1);
	}
	return (0);
}

int
bundle_check(const json_t *b, struct bundle_report *rep)
{
	struct ctx	 x;
	const char	*s;
	unsigned char	 h[SIGN_HASHBYTES], f[SIGN_HASHBYTES];
	char		 eh[SIGN_HEXLEN(SIGN_HASHBYTES)], err[300];

	memset(rep, 0, sizeof(*rep));
	memset(&x, 0, sizeof(x));
	x.rep = rep;
	if (keys_exact(rep, b, top_keys, "bundle") == -1 ||
	    (s = str_of(rep, b, "format", "bundle", 0)) == NULL)
		return (-1);
	if (same(rep, "format", BUNDLE_FORMAT, s, "unknown format") == -1 ||
	    check_invoice(&x, json_object_get(b, "invoice")) == -1 ||
	    check_contract(&x, json_object_get(b, "contract")) == -1)
		return (-1);

	/* The terms and the plan are what their hashes say. */
	if (bundle_hash(json_object_get(b, "contract"), h) == -1)
		return (fail(rep, "contract", NULL, NULL, "no canonical form"));
	sign_tohex(h, sizeof(h), eh);
	if (hex_of(rep, b, "contract_hash", "bundle", 0, f) == -1 ||
	    same(rep, "contract_hash", eh, json_string_value(json_object_get(b,
	    "contract_hash")), "the contract terms hash otherwise") == -1)
		return (-1);
	if (bundle_hash(json_object_get(b, "rate_plan"), h) == -1)
		return (fail(rep, "rate_plan", NULL, NULL, "no canonical form "
		    "(a JSON number where a decimal string belongs?)"));
	sign_tohex(h, sizeof(h), eh);
	if (hex_of(rep, b, "rate_plan_hash", "bundle", 0, f) == -1 ||
	    same(rep, "rate_plan_hash", eh, json_string_value(
	    json_object_get(b, "rate_plan_hash")), "the rate plan hashes "
	    "otherwise") == -1)
		return (-1);
	if (plan_of(json_object_get(b, "rate_plan"), &x.plan, err,
	    sizeof(err)) == -1)
		return (fail(rep, "rate_plan", NULL, NULL, "%s", err));

	if (check_ceiling(&x, b) == -1)
		return (-1);
	if (x.credit_note ? check_credit_note(&x, b) == -1 :
	    check_usage_invoice(&x, b) == -1)
		return (-1);
	if (hex_of(rep, b, "prev_hash", "bundle", 1, f) == -1 ||
	    str_of(rep, b, "marketplace_key", "bundle", 0) == NULL)
		return (-1);
	return (0);
}

int
bundle_verify(const json_t *doc, const unsigned char *pin,
    struct bundle_report *rep)
{
	const json_t	*b, *inv, *t;
	const char	*s;
	unsigned char	 pk[SIGN_PKBYTES], h[SIGN_HASHBYTES];
	unsigned char	 sig[SIGN_SIGBYTES];
	char		 eh[SIGN_HEXLEN(SIGN_HASHBYTES)];
	char		 pin64[SIGN_B64LEN(SIGN_PKBYTES)], *c;
	size_t		 n;

	memset(rep, 0, sizeof(*rep));
	if (keys_exact(rep, doc, doc_keys, "file") == -1)
		return (-1);
	b = json_object_get(doc, "bundle");
	if (bundle_check(b, rep) == -1)
		return (-1);
	s = json_string_value(json_object_get(b, "marketplace_key"));
	if (s[0] == '\0')
		return (fail(rep, "marketplace_key", NULL, NULL, "empty: an "
		    "unsigned preview, not evidence"));
	if (sign_fromb64(s, pk, sizeof(pk)) == -1)
		return (fail(rep, "marketplace_key", NULL, NULL, "not an "
		    "Ed25519 public key in base64"));
	if (pin != NULL && memcmp(pin, pk, sizeof(pk)) != 0) {
		sign_tob64(pin, SIGN_PKBYTES, pin64);
		return (fail(rep, "marketplace_key", pin64, s, "signed by "
		    "another key than the marketplace's"));
	}
	if (bundle_canonical(b, &c, &n) == -1)
		return (fail(rep, "bundle", NULL, NULL, "no canonical form"));
	sign_hash(c, n, h);
	sign_tohex(h, sizeof(h), eh);
	if ((s = str_of(rep, doc, "hash", "file", 0)) == NULL ||
	    same(rep, "hash", eh, s, "BLAKE2b-256 of the canonical bundle "
	    "differs: the bundle was changed after sealing") == -1) {
		free(c);
		return (-1);
	}
	if ((s = str_of(rep, doc, "signature", "file", 0)) == NULL) {
		free(c);
		return (-1);
	}
	if (sign_fromb64(s, sig, sizeof(sig)) == -1 ||
	    sign_verify(c, n, sig, pk) == -1) {
		free(c);
		return (fail(rep, "signature", NULL, NULL, "not the marketplace "
		    "key's Ed25519 signature of the canonical bundle"));
	}
	free(c);
	inv = json_object_get(b, "invoice");
	t = json_object_get(b, "totals");
	(void)snprintf(rep->reason, sizeof(rep->reason), "valid: %s %s (id %s) "
	    "of contract %s, %s: %zu lines re-rated, supply %s, VAT %s, total "
	    "%s won; hash %s; signed by %s%s",
	    json_string_value(json_object_get(inv, "kind")),
	    json_string_value(json_object_get(inv, "number")),
	    json_string_value(json_object_get(inv, "id")),
	    json_string_value(json_object_get(json_object_get(b, "contract"),
	    "id")), json_string_value(json_object_get(inv, "month")),
	    json_array_size(json_object_get(b, "lines")),
	    json_string_value(json_object_get(t, "supply_won")),
	    json_string_value(json_object_get(t, "vat_won")),
	    json_string_value(json_object_get(t, "total_won")), eh,
	    json_string_value(json_object_get(b, "marketplace_key")),
	    pin != NULL ? " (the pinned key)" : " (key not pinned: pass --key "
	    "to check it is the marketplace's)");
	return (0);
}
