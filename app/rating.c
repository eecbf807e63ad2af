/*
 * rating.c - rate plan validation, rating and the month's invoice.
 *
 * Three jobs, in the order a plan lives through them.  Validation is
 * driven by tables: which fields each pricing model uses, which amounts
 * must be non-negative or positive, and one message template per error
 * code in Korean and English, so adding a rule is adding a row.  Rating
 * prices one dimension exactly in 10^-12 won (a micro quantity times a
 * micro price is exact there), keeping one breakdown row per tier for
 * the invoice.  The invoice step applies the billing rules in a fixed
 * order: usage lines, SLA credit, prior-period adjustments, ceiling cap,
 * VAT.  Rating re-validates the dimension it is given, because the
 * offline verifier feeds it plans from a bundle it does not trust.  See
 * docs/billing.md for every rule and why it is so.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "money.h"
#include "rating.h"

/* Collects validation errors; dim is the dimension being checked or -1. */
struct rating_errs {
	struct rating_error	*v;
	size_t			 max;
	size_t			 n;
	int			 dim;
};

/* A stored name with its Korean and English wording. */
struct rating_words {
	const char	*name;
	const char	*en;
	const char	*ko;
};

#define FIELD_BIT(f)	(1U << (f))

/* The optional fields each model uses; every other one must be zero. */
static const unsigned int rating_model_fields[RATING_MODEL__MAX] = {
	/* RATING_MODEL_FLAT */
	FIELD_BIT(RATING_F_FEE),
	/* RATING_MODEL_PER_UNIT */
	FIELD_BIT(RATING_F_UNIT_PRICE),
	/* RATING_MODEL_GRADUATED */
	FIELD_BIT(RATING_F_CHARGE_AT_ZERO) | FIELD_BIT(RATING_F_TIERS),
	/* RATING_MODEL_VOLUME */
	FIELD_BIT(RATING_F_CHARGE_AT_ZERO) | FIELD_BIT(RATING_F_TIERS),
	/* RATING_MODEL_PACKAGE */
	FIELD_BIT(RATING_F_PACKAGE_SIZE) | FIELD_BIT(RATING_F_PACKAGE_PRICE) |
	    FIELD_BIT(RATING_F_PACKAGE_ROUNDING),
};

#define DIM_OFF(m)	offsetof(struct rating_dimension, m)

/* The dimension's int64 amounts: where they are and what they must be. */
static const struct {
	enum rating_field	field;
	size_t			off;
	int			positive;	/* > 0 rather than >= 0 */
} rating_amount_fields[] = {
	{ RATING_F_FEE,			DIM_OFF(fee),		0 },
	{ RATING_F_UNIT_PRICE,		DIM_OFF(unit_price),	0 },
	{ RATING_F_PACKAGE_SIZE,	DIM_OFF(package_size),	1 },
	{ RATING_F_PACKAGE_PRICE,	DIM_OFF(package_price),	0 },
};

static const char *const rating_model_names[RATING_MODEL__MAX] = {
	"flat",			/* RATING_MODEL_FLAT */
	"per_unit",		/* RATING_MODEL_PER_UNIT */
	"graduated",		/* RATING_MODEL_GRADUATED */
	"volume",		/* RATING_MODEL_VOLUME */
	"package",		/* RATING_MODEL_PACKAGE */
};

static const char *const rating_aggregation_names[RATING_AGG__MAX] = {
	"sum",			/* RATING_AGG_SUM */
	"max",			/* RATING_AGG_MAX */
	"latest",		/* RATING_AGG_LATEST */
	"unique_count",		/* RATING_AGG_UNIQUE_COUNT */
};

static const char *const
rating_package_rounding_names[RATING_PACKAGE__MAX] = {
	"up",			/* RATING_PACKAGE_UP */
	"down",			/* RATING_PACKAGE_DOWN */
};

/*
 * Error names and message templates.  Placeholders: %f the field's
 * label, %p the previous tier's number, %P the previous credit step's
 * number, %v the value as a decimal (micro), %n the value as an integer,
 * %i the value plus one (an index shown 1-based), %% a percent sign.
 */
static const struct rating_words rating_errcodes[RATING_E__MAX] = {
	/* RATING_E_CODE_INVALID */
	{ "code_invalid",
	    "%f must be 1 to 64 characters of a-z, 0-9 and _, starting "
	    "with a letter",
	    "%f는 영문 소문자로 시작하고 영문 소문자, 숫자, _만 쓴 "
	    "1~64자여야 합니다" },
	/* RATING_E_CODE_DUPLICATE */
	{ "code_duplicate",
	    "%f is already used by dimension %i",
	    "%f가 %i번째 과금 항목과 겹칩니다" },
	/* RATING_E_UNKNOWN */
	{ "unknown_value",
	    "%f is not a known value",
	    "%f 값이 올바르지 않습니다" },
	/* RATING_E_NEGATIVE */
	{ "negative",
	    "%f must not be negative",
	    "%f 값은 0 이상이어야 합니다" },
	/* RATING_E_NOT_POSITIVE */
	{ "not_positive",
	    "%f must be greater than 0",
	    "%f 값은 0보다 커야 합니다" },
	/* RATING_E_UNUSED */
	{ "unused",
	    "%f is not used by this pricing model; leave it empty",
	    "이 과금 모델은 %f 항목을 쓰지 않으니 비워 두세요" },
	/* RATING_E_REQUIRED */
	{ "required",
	    "%f: at least one is required",
	    "%f 항목이 하나 이상 있어야 합니다" },
	/* RATING_E_TOO_MANY */
	{ "too_many",
	    "%f: at most %n are allowed",
	    "%f 항목은 최대 %n개까지입니다" },
	/* RATING_E_UP_TO_ORDER */
	{ "up_to_order",
	    "%f must be greater than tier %p's (%v)",
	    "%f 값은 %p구간의 상한(%v)보다 커야 합니다" },
	/* RATING_E_OPEN_NOT_LAST */
	{ "open_tier_not_last",
	    "only the last tier may be open-ended",
	    "마지막 구간만 상한을 비워 둘 수 있습니다" },
	/* RATING_E_LAST_NOT_OPEN */
	{ "last_tier_not_open",
	    "the last tier must be open-ended (it has %f %v)",
	    "마지막 구간은 상한이 없어야 합니다(현재 %v)" },
	/* RATING_E_PERCENT_RANGE */
	{ "percent_range",
	    "%f must be greater than 0%% and at most 100%%",
	    "%f 값은 0%%보다 크고 100%% 이하여야 합니다" },
	/* RATING_E_BELOW_ORDER */
	{ "below_order",
	    "%f must be lower than step %P's (%v%%)",
	    "%f 값은 %P단계의 기준(%v%%)보다 낮아야 합니다" },
	/* RATING_E_SHARE_ORDER */
	{ "share_order",
	    "%f must be greater than step %P's (%v%%)",
	    "%f 값은 %P단계의 비율(%v%%)보다 커야 합니다" },
};

/* Field names (as in JSON and forms) and labels for messages. */
static const struct rating_words rating_fields[RATING_F__MAX] = {
	/* RATING_F_CODE */
	{ "code", "code", "코드" },
	/* RATING_F_AGGREGATION */
	{ "aggregation", "aggregation", "집계 방식" },
	/* RATING_F_MODEL */
	{ "model", "pricing model", "과금 모델" },
	/* RATING_F_FEE */
	{ "fee", "monthly fee", "월 정액" },
	/* RATING_F_UNIT_PRICE */
	{ "unit_price", "unit price", "단가" },
	/* RATING_F_PACKAGE_SIZE */
	{ "package_size", "package size", "묶음 크기" },
	/* RATING_F_PACKAGE_PRICE */
	{ "package_price", "package price", "묶음 가격" },
	/* RATING_F_PACKAGE_ROUNDING */
	{ "package_rounding", "package rounding", "묶음 올림/내림" },
	/* RATING_F_CHARGE_AT_ZERO */
	{ "charge_at_zero", "charge at zero", "0 사용 시 과금" },
	/* RATING_F_TIERS */
	{ "tiers", "tiers", "구간" },
	/* RATING_F_UP_TO */
	{ "up_to", "up_to", "상한" },
	/* RATING_F_TIER_UNIT_PRICE */
	{ "unit_price", "unit price", "단가" },
	/* RATING_F_TIER_FLAT_FEE */
	{ "flat_fee", "flat fee", "구간 고정 요금" },
	/* RATING_F_DIMENSIONS */
	{ "dimensions", "dimensions", "과금 항목" },
	/* RATING_F_CREDITS */
	{ "credits", "credit steps", "크레딧 단계" },
	/* RATING_F_CREDIT_BELOW */
	{ "below", "availability threshold", "가용성 기준" },
	/* RATING_F_CREDIT_SHARE */
	{ "share", "credit share", "크레딧 비율" },
};

/* Invoice line kinds: stored name and labels. */
static const struct rating_words rating_lines[RATING_LINE__MAX] = {
	/* RATING_LINE_USAGE */
	{ "usage", "usage", "사용료" },
	/* RATING_LINE_SLA_CREDIT */
	{ "sla_credit", "SLA credit", "SLA 미달 크레딧" },
	/* RATING_LINE_ADJUSTMENT */
	{ "adjustment", "prior-period adjustment", "전기 사용량 정산" },
	/* RATING_LINE_CEILING_CAP */
	{ "ceiling_cap", "ceiling cap", "계약금액 한도 초과분 차감" },
};

/* Output buffer for rating_error_format(). */
struct rating_out {
	char	*buf;
	size_t	 len;
	size_t	 pos;
	int	 cut;
};

static const char	*rating_name(const char *const *, int, int);
static enum money_err	 rating_lookup(const char *const *, int, const char *,
			    int *);
static void		 rating_err(struct rating_errs *, enum rating_errcode,
			    enum rating_field, int, int, int64_t);
static void		 rating_check_dimension(struct rating_errs *,
			    const struct rating_dimension *);
static void		 rating_check_tiers(struct rating_errs *,
			    const struct rating_dimension *);
static void		 rating_check_credits(struct rating_errs *,
			    const struct rating_plan *);
static int		 rating_code_ok(const char *, size_t);
static void		 rating_puts(struct rating_out *, const char *);
static void		 rating_putnum(struct rating_out *, int64_t);
static void		 rating_expand(struct rating_out *, const char *,
			    const struct rating_error *, int);
static enum money_err	 rating_part(struct rating_result *, int, int64_t,
			    int64_t, int64_t, int64_t, money_exact);
static enum money_err	 rating_price_tiered(const struct rating_dimension *,
			    int64_t, struct rating_result *);
static int		 rating_is_en(const char *);

/*
 * Names.
 */

static const char *
rating_name(const char *const *names, int n, int v)
{
	if (v < 0 || v >= n)
		return (NULL);
	return (names[v]);
}

static enum money_err
rating_lookup(const char *const *names, int n, const char *name, int *out)
{
	int	i;

	if (name == NULL)
		return (MONEY_EINVAL);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0) {
			*out = i;
			return (MONEY_OK);
		}
	}
	return (MONEY_EINVAL);
}

const char *
rating_model_name(enum rating_model m)
{
	return (rating_name(rating_model_names, RATING_MODEL__MAX, (int)m));
}

enum money_err
rating_model_from_name(const char *name, enum rating_model *out)
{
	enum money_err	rv;
	int		i;

	if ((rv = rating_lookup(rating_model_names, RATING_MODEL__MAX,
	    name, &i)) == MONEY_OK)
		*out = (enum rating_model)i;
	return (rv);
}

const char *
rating_aggregation_name(enum rating_aggregation a)
{
	return (rating_name(rating_aggregation_names, RATING_AGG__MAX,
	    (int)a));
}

enum money_err
rating_aggregation_from_name(const char *name, enum rating_aggregation *out)
{
	enum money_err	rv;
	int		i;

	if ((rv = rating_lookup(rating_aggregation_names, RATING_AGG__MAX,
	    name, &i)) == MONEY_OK)
		*out = (enum rating_aggregation)i;
	return (rv);
}

const char *
rating_package_rounding_name(enum rating_package_rounding r)
{
	return (rating_name(rating_package_rounding_names,
	    RATING_PACKAGE__MAX, (int)r));
}

enum money_err
rating_package_rounding_from_name(const char *name,
    enum rating_package_rounding *out)
{
	enum money_err	rv;
	int		i;

	if ((rv = rating_lookup(rating_package_rounding_names,
	    RATING_PACKAGE__MAX, name, &i)) == MONEY_OK)
		*out = (enum rating_package_rounding)i;
	return (rv);
}

const char *
rating_errcode_name(enum rating_errcode c)
{
	if ((unsigned int)c >= RATING_E__MAX)
		return (NULL);
	return (rating_errcodes[c].name);
}

const char *
rating_field_name(enum rating_field f)
{
	if ((unsigned int)f >= RATING_F__MAX)
		return (NULL);
	return (rating_fields[f].name);
}

const char *
rating_line_name(enum rating_line_kind k)
{
	if ((unsigned int)k >= RATING_LINE__MAX)
		return (NULL);
	return (rating_lines[k].name);
}

const char *
rating_line_label(enum rating_line_kind k, const char *lang)
{
	if ((unsigned int)k >= RATING_LINE__MAX)
		return (NULL);
	return (rating_is_en(lang) ? rating_lines[k].en : rating_lines[k].ko);
}

static int
rating_is_en(const char *lang)
{
	return (lang != NULL && strcmp(lang, "en") == 0);
}

/*
 * Validation.
 */

size_t
rating_validate(const struct rating_plan *plan, struct rating_error *errs,
    size_t maxerrs)
{
	struct rating_errs	 ev;
	const char		*ci, *cj;
	size_t			 i, j;

	ev.v = errs;
	ev.max = errs == NULL ? 0 : maxerrs;
	ev.n = 0;
	ev.dim = -1;

	if (plan->ndims == 0 || plan->dims == NULL)
		rating_err(&ev, RATING_E_REQUIRED, RATING_F_DIMENSIONS, -1, -1,
		    0);
	else if (plan->ndims > RATING_DIMENSIONS_MAX)
		rating_err(&ev, RATING_E_TOO_MANY, RATING_F_DIMENSIONS, -1, -1,
		    RATING_DIMENSIONS_MAX);

	for (i = 0; plan->dims != NULL && i < plan->ndims; i++) {
		ev.dim = (int)i;
		rating_check_dimension(&ev, &plan->dims[i]);
		ci = plan->dims[i].code;
		if (!rating_code_ok(ci, strnlen(ci, RATING_CODE_MAX + 1)))
			continue;
		for (j = 0; j < i; j++) {
			cj = plan->dims[j].code;
			if (strncmp(ci, cj, RATING_CODE_MAX + 1) == 0) {
				rating_err(&ev, RATING_E_CODE_DUPLICATE,
				    RATING_F_CODE, -1, -1, (int64_t)j);
				break;
			}
		}
	}

	ev.dim = -1;
	rating_check_credits(&ev, plan);
	return (ev.n);
}

static void
rating_err(struct rating_errs *ev, enum rating_errcode code,
    enum rating_field field, int tier, int credit, int64_t value)
{
	struct rating_error	*e;

	if (ev->n < ev->max) {
		e = &ev->v[ev->n];
		e->code = code;
		e->field = field;
		e->dimension = ev->dim;
		e->tier = tier;
		e->credit = credit;
		e->value = value;
	}
	ev->n++;
}

static int
rating_code_ok(const char *code, size_t len)
{
	size_t	i;

	if (len == 0 || len > RATING_CODE_MAX)
		return (0);
	if (code[0] < 'a' || code[0] > 'z')
		return (0);
	for (i = 1; i < len; i++) {
		if ((code[i] < 'a' || code[i] > 'z') &&
		    (code[i] < '0' || code[i] > '9') && code[i] != '_')
			return (0);
	}
	return (1);
}

static void
rating_check_dimension(struct rating_errs *ev,
    const struct rating_dimension *d)
{
	const int64_t	*vp;
	unsigned int	 uses;
	size_t		 i;

	if (!rating_code_ok(d->code, strnlen(d->code, sizeof(d->code))))
		rating_err(ev, RATING_E_CODE_INVALID, RATING_F_CODE, -1, -1, 0);
	if ((unsigned int)d->aggregation >= RATING_AGG__MAX)
		rating_err(ev, RATING_E_UNKNOWN, RATING_F_AGGREGATION, -1, -1,
		    0);
	if ((unsigned int)d->model >= RATING_MODEL__MAX) {
		/* Which fields belong to the model is unknowable. */
		rating_err(ev, RATING_E_UNKNOWN, RATING_F_MODEL, -1, -1, 0);
		return;
	}
	uses = rating_model_fields[d->model];

	for (i = 0; i < sizeof(rating_amount_fields) /
	    sizeof(rating_amount_fields[0]); i++) {
		vp = (const int64_t *)(const void *)((const char *)d +
		    rating_amount_fields[i].off);
		if (!(uses & FIELD_BIT(rating_amount_fields[i].field))) {
			if (*vp != 0)
				rating_err(ev, RATING_E_UNUSED,
				    rating_amount_fields[i].field, -1, -1, 0);
		} else if (rating_amount_fields[i].positive && *vp <= 0) {
			rating_err(ev, RATING_E_NOT_POSITIVE,
			    rating_amount_fields[i].field, -1, -1, 0);
		} else if (*vp < 0) {
			rating_err(ev, RATING_E_NEGATIVE,
			    rating_amount_fields[i].field, -1, -1, 0);
		}
	}

	if (!(uses & FIELD_BIT(RATING_F_PACKAGE_ROUNDING))) {
		if (d->package_rounding != RATING_PACKAGE_UP)
			rating_err(ev, RATING_E_UNUSED,
			    RATING_F_PACKAGE_ROUNDING, -1, -1, 0);
	} else if ((unsigned int)d->package_rounding >= RATING_PACKAGE__MAX)
		rating_err(ev, RATING_E_UNKNOWN, RATING_F_PACKAGE_ROUNDING,
		    -1, -1, 0);

	if (!(uses & FIELD_BIT(RATING_F_CHARGE_AT_ZERO)) &&
	    d->charge_at_zero != 0)
		rating_err(ev, RATING_E_UNUSED, RATING_F_CHARGE_AT_ZERO, -1, -1,
		    0);

	if (!(uses & FIELD_BIT(RATING_F_TIERS))) {
		if (d->ntiers != 0)
			rating_err(ev, RATING_E_UNUSED, RATING_F_TIERS, -1, -1,
			    0);
	} else
		rating_check_tiers(ev, d);
}

static void
rating_check_tiers(struct rating_errs *ev, const struct rating_dimension *d)
{
	const struct rating_tier	*t, *prev;
	size_t				 i, n;

	n = d->ntiers;
	if (n == 0) {
		rating_err(ev, RATING_E_REQUIRED, RATING_F_TIERS, -1, -1, 0);
		return;
	}
	if (n > RATING_TIERS_MAX) {
		rating_err(ev, RATING_E_TOO_MANY, RATING_F_TIERS, -1, -1,
		    RATING_TIERS_MAX);
		n = RATING_TIERS_MAX;
	}

	for (i = 0; i < n; i++) {
		t = &d->tiers[i];
		prev = i > 0 ? &d->tiers[i - 1] : NULL;
		if (t->up_to == RATING_UP_TO_INF) {
			if (i != n - 1)
				rating_err(ev, RATING_E_OPEN_NOT_LAST,
				    RATING_F_UP_TO, (int)i, -1, 0);
		} else {
			/* After an open tier, its error is enough. */
			if (prev != NULL && prev->up_to != RATING_UP_TO_INF) {
				if (t->up_to <= prev->up_to)
					rating_err(ev, RATING_E_UP_TO_ORDER,
					    RATING_F_UP_TO, (int)i, -1,
					    prev->up_to);
			} else if (t->up_to <= 0)
				rating_err(ev, RATING_E_NOT_POSITIVE,
				    RATING_F_UP_TO, (int)i, -1, 0);
			if (i == n - 1)
				rating_err(ev, RATING_E_LAST_NOT_OPEN,
				    RATING_F_UP_TO, (int)i, -1, t->up_to);
		}
		if (t->unit_price < 0)
			rating_err(ev, RATING_E_NEGATIVE,
			    RATING_F_TIER_UNIT_PRICE, (int)i, -1, 0);
		if (t->flat_fee < 0)
			rating_err(ev, RATING_E_NEGATIVE,
			    RATING_F_TIER_FLAT_FEE, (int)i, -1, 0);
	}
}

static void
rating_check_credits(struct rating_errs *ev, const struct rating_plan *plan)
{
	const struct rating_credit	*c, *prev;
	size_t				 i;

	if (plan->ncredits == 0)
		return;
	if (plan->credits == NULL) {
		rating_err(ev, RATING_E_REQUIRED, RATING_F_CREDITS, -1, -1, 0);
		return;
	}
	if (plan->ncredits > RATING_CREDITS_MAX)
		rating_err(ev, RATING_E_TOO_MANY, RATING_F_CREDITS, -1, -1,
		    RATING_CREDITS_MAX);

	for (i = 0; i < plan->ncredits; i++) {
		c = &plan->credits[i];
		prev = i > 0 ? &plan->credits[i - 1] : NULL;
		if (c->below <= 0 || c->below > RATING_PERCENT_100)
			rating_err(ev, RATING_E_PERCENT_RANGE,
			    RATING_F_CREDIT_BELOW, -1, (int)i, 0);
		else if (prev != NULL && c->below >= prev->below)
			rating_err(ev, RATING_E_BELOW_ORDER,
			    RATING_F_CREDIT_BELOW, -1, (int)i, prev->below);
		if (c->share <= 0 || c->share > RATING_PERCENT_100)
			rating_err(ev, RATING_E_PERCENT_RANGE,
			    RATING_F_CREDIT_SHARE, -1, (int)i, 0);
		else if (prev != NULL && c->share <= prev->share)
			rating_err(ev, RATING_E_SHARE_ORDER,
			    RATING_F_CREDIT_SHARE, -1, (int)i, prev->share);
	}
}

/*
 * Messages.
 */

enum money_err
rating_error_format(const struct rating_error *e, const char *lang,
    char *buf, size_t len)
{
	struct rating_out	 o;
	int			 en;

	if (buf == NULL || len == 0)
		return (MONEY_EINVAL);
	buf[0] = '\0';
	if (e == NULL || (unsigned int)e->code >= RATING_E__MAX ||
	    (unsigned int)e->field >= RATING_F__MAX)
		return (MONEY_EINVAL);

	o.buf = buf;
	o.len = len;
	o.pos = 0;
	o.cut = 0;
	en = rating_is_en(lang);

	if (e->tier >= 0) {
		rating_puts(&o, en ? "tier " : "");
		rating_putnum(&o, (int64_t)e->tier + 1);
		rating_puts(&o, en ? ": " : "구간: ");
	} else if (e->credit >= 0) {
		rating_puts(&o, en ? "credit step " : "크레딧 ");
		rating_putnum(&o, (int64_t)e->credit + 1);
		rating_puts(&o, en ? ": " : "단계: ");
	}
	rating_expand(&o, en ? rating_errcodes[e->code].en :
	    rating_errcodes[e->code].ko, e, en);
	return (o.cut ? MONEY_EINVAL : MONEY_OK);
}

static void
rating_puts(struct rating_out *o, const char *s)
{
	size_t	n;

	n = strlen(s);
	if (o->pos + n + 1 > o->len) {
		n = o->len - o->pos - 1;
		o->cut = 1;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

static void
rating_putnum(struct rating_out *o, int64_t v)
{
	char	num[MONEY_FMT_MAX];

	(void)money_format_won(v, 0, num, sizeof(num));
	rating_puts(o, num);
}

static void
rating_expand(struct rating_out *o, const char *tmpl,
    const struct rating_error *e, int en)
{
	char		 num[MONEY_FMT_MAX], one[2];
	const char	*p;

	one[1] = '\0';
	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			one[0] = *p;
			rating_puts(o, one);
			continue;
		}
		switch (*++p) {
		case 'f':
			rating_puts(o, en ? rating_fields[e->field].en :
			    rating_fields[e->field].ko);
			break;
		case 'p':
			rating_putnum(o, e->tier);
			break;
		case 'P':
			rating_putnum(o, e->credit);
			break;
		case 'v':
			(void)money_format_micro(e->value, 0, num, sizeof(num));
			rating_puts(o, num);
			break;
		case 'n':
			rating_putnum(o, e->value);
			break;
		case 'i':
			rating_putnum(o, e->value + 1);
			break;
		default:
			one[0] = *p;
			rating_puts(o, one);
			break;
		}
	}
}

/*
 * Rating.
 */

enum money_err
rating_price(const struct rating_dimension *dim, int64_t quantity,
    const struct rating_period *period, struct rating_result *out)
{
	struct rating_errs	ev;
	money_exact		amount;
	int64_t			packages;
	int			active, days;

	memset(&ev, 0, sizeof(ev));
	rating_check_dimension(&ev, dim);
	if (ev.n != 0)
		return (MONEY_EINVAL);
	if (quantity < 0)
		return (MONEY_ENEGATIVE);
	active = days = 1;
	if (period != NULL) {
		active = period->days_active;
		days = period->days_in_month;
		if (days < 28 || days > 31 || active < 0 || active > days)
			return (MONEY_EINVAL);
	}

	memset(out, 0, sizeof(*out));
	switch (dim->model) {
	case RATING_MODEL_FLAT:
		if (active == 0)
			return (MONEY_OK);
		/*
		 * Truncated to 10^-12 won: every rounding threshold is a
		 * multiple of that, so the won result is the exact one.
		 */
		amount = (money_exact)dim->fee * MONEY_PICO_PER_MICRO *
		    active / days;
		return (rating_part(out, -1, 0, 0, 0, dim->fee, amount));
	case RATING_MODEL_PER_UNIT:
		if (quantity == 0)
			return (MONEY_OK);
		amount = (money_exact)quantity * dim->unit_price;
		return (rating_part(out, -1, quantity, 0, dim->unit_price, 0,
		    amount));
	case RATING_MODEL_PACKAGE:
		if (quantity == 0)
			return (MONEY_OK);
		packages = quantity / dim->package_size;
		if (dim->package_rounding == RATING_PACKAGE_UP &&
		    quantity % dim->package_size != 0)
			packages++;
		amount = (money_exact)packages * dim->package_price;
		if (amount > MONEY_EXACT_MAX / MONEY_PICO_PER_MICRO)
			return (MONEY_EOVERFLOW);
		amount *= MONEY_PICO_PER_MICRO;
		return (rating_part(out, -1, quantity, packages,
		    dim->package_price, 0, amount));
	case RATING_MODEL_GRADUATED:
	case RATING_MODEL_VOLUME:
		return (rating_price_tiered(dim, quantity, out));
	default:
		return (MONEY_EINVAL);
	}
}

/*
 * Graduated and volume.  A tier is (previous up_to, up_to]; at zero
 * usage only charge_at_zero charges anything, and then only the first
 * tier's flat fee (zero lies at the bottom of the first tier).
 * Graduated charges every tier the quantity reaches into, flat fee
 * included; volume charges the tier holding the total, for all of it.
 */
static enum money_err
rating_price_tiered(const struct rating_dimension *dim, int64_t q,
    struct rating_result *out)
{
	const struct rating_tier	*t;
	enum money_err			 rv;
	int64_t				 lower, upper;
	size_t				 i;

	if (q == 0) {
		t = &dim->tiers[0];
		if (!dim->charge_at_zero || t->flat_fee == 0)
			return (MONEY_OK);
		return (rating_part(out, 0, 0, 0, t->unit_price, t->flat_fee,
		    (money_exact)t->flat_fee * MONEY_PICO_PER_MICRO));
	}

	if (dim->model == RATING_MODEL_VOLUME) {
		for (i = 0; i < dim->ntiers - 1; i++) {
			if (q <= dim->tiers[i].up_to)
				break;
		}
		t = &dim->tiers[i];
		return (rating_part(out, (int)i, q, 0, t->unit_price,
		    t->flat_fee, (money_exact)q * t->unit_price +
		    (money_exact)t->flat_fee * MONEY_PICO_PER_MICRO));
	}

	lower = 0;
	for (i = 0; i < dim->ntiers && q > lower; i++) {
		t = &dim->tiers[i];
		upper = t->up_to == RATING_UP_TO_INF || q < t->up_to ?
		    q : t->up_to;
		rv = rating_part(out, (int)i, upper - lower, 0, t->unit_price,
		    t->flat_fee, (money_exact)(upper - lower) * t->unit_price +
		    (money_exact)t->flat_fee * MONEY_PICO_PER_MICRO);
		if (rv != MONEY_OK)
			return (rv);
		lower = t->up_to;
	}
	return (MONEY_OK);
}

/*
 * Appends a breakdown row and adds its amount to the total.  Amounts
 * reaching here are at most 2^63 * 2^63 + 2^63 * 10^6, inside 128 bits,
 * and the total of two in-range amounts is too, so checking after each
 * step is enough.
 */
static enum money_err
rating_part(struct rating_result *r, int tier, int64_t quantity,
    int64_t packages, int64_t unit_price, int64_t flat_fee,
    money_exact amount)
{
	struct rating_part	*p;

	if (amount > MONEY_EXACT_MAX)
		return (MONEY_EOVERFLOW);
	if (r->amount + amount > MONEY_EXACT_MAX)
		return (MONEY_EOVERFLOW);
	p = &r->parts[r->nparts++];
	p->tier = tier;
	p->quantity = quantity;
	p->packages = packages;
	p->unit_price = unit_price;
	p->flat_fee = flat_fee;
	p->amount = amount;
	r->amount += amount;
	return (MONEY_OK);
}

/*
 * SLA credits and the invoice.
 */

enum money_err
rating_sla_share(const struct rating_plan *plan, int64_t availability,
    int64_t *share)
{
	struct rating_errs	ev;
	int64_t			best;
	size_t			i;

	memset(&ev, 0, sizeof(ev));
	ev.dim = -1;
	rating_check_credits(&ev, plan);
	if (ev.n != 0)
		return (MONEY_EINVAL);
	if (availability < 0 || availability > RATING_PERCENT_100)
		return (MONEY_EINVAL);

	best = 0;
	for (i = 0; i < plan->ncredits; i++) {
		if (availability < plan->credits[i].below &&
		    plan->credits[i].share > best)
			best = plan->credits[i].share;
	}
	*share = best;
	return (MONEY_OK);
}

enum money_err
rating_invoice(const struct rating_invoice_in *in, struct rating_line *lines,
    size_t maxlines, struct rating_invoice *out)
{
	struct rating_invoice	inv;
	enum money_err		rv;
	money_exact		credit;
	int64_t			smax, a;
	size_t			i, n;

	if ((unsigned int)in->rounding >= MONEY_ROUND__MAX ||
	    in->sla_share < 0 || in->sla_share > RATING_PERCENT_100 ||
	    in->remaining_won < 0 ||
	    (in->nusage > 0 && in->usage_won == NULL) ||
	    (in->nadjust > 0 && in->adjust_won == NULL) ||
	    lines == NULL || in->nusage > maxlines ||
	    in->nadjust > maxlines - in->nusage ||
	    maxlines - in->nusage - in->nadjust < 2)
		return (MONEY_EINVAL);
	if (in->remaining_won > MONEY_WON_MAX)
		return (MONEY_EOVERFLOW);

	memset(&inv, 0, sizeof(inv));
	n = 0;

	for (i = 0; i < in->nusage; i++) {
		a = in->usage_won[i];
		if (a < 0)
			return (MONEY_EINVAL);
		if (a > MONEY_WON_MAX || inv.charge_won + a > MONEY_WON_MAX)
			return (MONEY_EOVERFLOW);
		inv.charge_won += a;
		lines[n].kind = RATING_LINE_USAGE;
		lines[n].source = i;
		lines[n++].amount_won = a;
	}

	/* Exact: won x micro-percent x 10^4 is in 10^-12 won. */
	credit = -(money_exact)inv.charge_won * in->sla_share * 10000;
	if ((rv = money_round_exact(credit, in->rounding,
	    &inv.sla_credit_won)) != MONEY_OK)
		return (rv);
	if (inv.sla_credit_won != 0) {
		lines[n].kind = RATING_LINE_SLA_CREDIT;
		lines[n].source = 0;
		lines[n++].amount_won = inv.sla_credit_won;
	}

	for (i = 0; i < in->nadjust; i++) {
		a = in->adjust_won[i];
		if (a > MONEY_WON_MAX || a < -MONEY_WON_MAX ||
		    inv.adjust_won + a > MONEY_WON_MAX ||
		    inv.adjust_won + a < -MONEY_WON_MAX)
			return (MONEY_EOVERFLOW);
		inv.adjust_won += a;
		lines[n].kind = RATING_LINE_ADJUSTMENT;
		lines[n].source = i;
		lines[n++].amount_won = a;
	}

	inv.supply_won = inv.charge_won + inv.sla_credit_won + inv.adjust_won;
	if ((rv = money_vat(inv.supply_won, &inv.vat_won)) != MONEY_OK)
		return (rv);

	if (inv.supply_won + inv.vat_won > in->remaining_won) {
		if ((rv = money_cap_supply(in->remaining_won, &smax)) !=
		    MONEY_OK)
			return (rv);
		inv.cap_won = smax - inv.supply_won;
		inv.supply_won = smax;
		lines[n].kind = RATING_LINE_CEILING_CAP;
		lines[n].source = 0;
		lines[n++].amount_won = inv.cap_won;
		if ((rv = money_vat(inv.supply_won, &inv.vat_won)) != MONEY_OK)
			return (rv);
	}

	inv.total_won = inv.supply_won + inv.vat_won;
	inv.nlines = n;
	*out = inv;
	return (MONEY_OK);
}
