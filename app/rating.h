/*
 * rating.h - rate plans, their validation, rating and the month's invoice.
 *
 * A rate plan is a list of metered dimensions plus an SLA credit schedule.
 * This module checks a plan the way a vendor's form needs it checked
 * (every error, each with the tier or step it is about), prices one
 * dimension's aggregated monthly quantity exactly, with the tier breakdown
 * an invoice shows, and turns a month's rounded lines into an invoice:
 * SLA credit, prior-period adjustments, ceiling cap, 공급가액, VAT, 합계.
 * Aggregating raw usage records into a quantity happens elsewhere (in
 * SQL); the aggregation kind is carried here only so a plan is complete.
 *
 * Scales follow money.h: quantities, prices and percentages in micro
 * (10^-6), exact amounts in money_exact (10^-12 won), lines in whole won.
 * Structures are plain values the caller owns; nothing is allocated.  The
 * module uses libc only and is shared by the web app, the month-close
 * command and the offline invoice verifier.  Every rule it implements is
 * written down, with the reason, in docs/billing.md.
 */

#ifndef RATING_H
#define RATING_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"

#define RATING_CODE_MAX		64	/* bytes in a dimension code */
#define RATING_TIERS_MAX	16	/* tiers per dimension */
#define RATING_DIMENSIONS_MAX	32	/* dimensions per plan */
#define RATING_CREDITS_MAX	8	/* steps in an SLA credit schedule */
#define RATING_UP_TO_INF	(-1)	/* up_to of the open-ended last tier */
#define RATING_PERCENT_100	(100 * MONEY_MICRO)	/* 100% in micro */

/* How raw usage becomes the month's quantity (done in SQL, not here). */
enum rating_aggregation {
	RATING_AGG_SUM,
	RATING_AGG_MAX,
	RATING_AGG_LATEST,
	RATING_AGG_UNIQUE_COUNT,
	RATING_AGG__MAX
};

enum rating_model {
	RATING_MODEL_FLAT,		/* monthly fee, prorated by days */
	RATING_MODEL_PER_UNIT,		/* quantity x unit price */
	RATING_MODEL_GRADUATED,		/* each tier prices what is inside it */
	RATING_MODEL_VOLUME,		/* the total's tier prices all of it */
	RATING_MODEL_PACKAGE,		/* whole packages x package price */
	RATING_MODEL__MAX
};

enum rating_package_rounding {
	RATING_PACKAGE_UP = 0,		/* a started package is charged */
	RATING_PACKAGE_DOWN,		/* only full packages are charged */
	RATING_PACKAGE__MAX
};

/* One tier: the half-open range (previous up_to, up_to]. */
struct rating_tier {
	int64_t		up_to;		/* micro-units, or RATING_UP_TO_INF */
	int64_t		unit_price;	/* micro-won per unit */
	int64_t		flat_fee;	/* micro-won, once per tier reached */
};

/*
 * One metered dimension.  Only the fields of its model may be set; the
 * others must be zero (rating_validate() says so otherwise), so a stored
 * plan never carries a price that does not apply.
 */
struct rating_dimension {
	char			 code[RATING_CODE_MAX + 1];
	enum rating_aggregation	 aggregation;
	enum rating_model	 model;
	/* flat: the monthly fee, micro-won */
	int64_t			 fee;
	/* per_unit: micro-won per unit */
	int64_t			 unit_price;
	/* package: size in micro-units, price in micro-won, rounding */
	int64_t			 package_size;
	int64_t			 package_price;
	enum rating_package_rounding package_rounding;
	/* graduated and volume */
	int			 charge_at_zero;
	size_t			 ntiers;
	struct rating_tier	 tiers[RATING_TIERS_MAX];
};

/* An SLA credit step: availability below `below` credits `share`. */
struct rating_credit {
	int64_t		below;		/* micro-percent: 99.5% is 99500000 */
	int64_t		share;		/* micro-percent of the charge */
};

/* A plan.  Both arrays are borrowed from the caller. */
struct rating_plan {
	const struct rating_dimension	*dims;
	size_t				 ndims;
	const struct rating_credit	*credits;	/* highest first */
	size_t				 ncredits;
};

/* Validation error codes.  rating_errcode_name() gives the stable name. */
enum rating_errcode {
	RATING_E_CODE_INVALID,		/* code: [a-z][a-z0-9_]*, 1..64 bytes */
	RATING_E_CODE_DUPLICATE,	/* value: index of the first user */
	RATING_E_UNKNOWN,		/* enum value outside its range */
	RATING_E_NEGATIVE,		/* a price or fee below zero */
	RATING_E_NOT_POSITIVE,		/* must be > 0 */
	RATING_E_UNUSED,		/* set, but the model does not use it */
	RATING_E_REQUIRED,		/* no tiers, no dimensions */
	RATING_E_TOO_MANY,		/* value: the maximum */
	RATING_E_UP_TO_ORDER,		/* value: the previous tier's up_to */
	RATING_E_OPEN_NOT_LAST,		/* open-ended tier before the last */
	RATING_E_LAST_NOT_OPEN,		/* value: the last tier's up_to */
	RATING_E_PERCENT_RANGE,		/* must be in (0, 100] */
	RATING_E_BELOW_ORDER,		/* value: the previous threshold */
	RATING_E_SHARE_ORDER,		/* value: the previous step's share */
	RATING_E__MAX
};

/* The field an error is about, for the form to highlight. */
enum rating_field {
	RATING_F_CODE,
	RATING_F_AGGREGATION,
	RATING_F_MODEL,
	RATING_F_FEE,
	RATING_F_UNIT_PRICE,
	RATING_F_PACKAGE_SIZE,
	RATING_F_PACKAGE_PRICE,
	RATING_F_PACKAGE_ROUNDING,
	RATING_F_CHARGE_AT_ZERO,
	RATING_F_TIERS,
	RATING_F_UP_TO,
	RATING_F_TIER_UNIT_PRICE,
	RATING_F_TIER_FLAT_FEE,
	RATING_F_DIMENSIONS,
	RATING_F_CREDITS,
	RATING_F_CREDIT_BELOW,
	RATING_F_CREDIT_SHARE,
	RATING_F__MAX
};

struct rating_error {
	enum rating_errcode	code;
	enum rating_field	field;
	int			dimension;	/* index in plan->dims, or -1 */
	int			tier;		/* index in the tiers, or -1 */
	int			credit;		/* index in credits, or -1 */
	int64_t			value;		/* see enum rating_errcode */
};

/* One row of a line's breakdown. */
struct rating_part {
	int		tier;		/* index in tiers, -1 if untiered */
	int64_t		quantity;	/* micro-units priced by this row */
	int64_t		packages;	/* package: packages charged, else 0 */
	int64_t		unit_price;	/* micro-won per unit (per package) */
	int64_t		flat_fee;	/* micro-won: tier flat fee, or the
					   full monthly fee before proration */
	money_exact	amount;		/* exact amount of this row */
};

/* The exact price of one dimension for one month. */
struct rating_result {
	money_exact		amount;		/* sum of the parts, exact */
	size_t			nparts;
	struct rating_part	parts[RATING_TIERS_MAX];
};

/* Days of the month the contract is in force, for the flat model. */
struct rating_period {
	int		days_active;	/* 0 .. days_in_month */
	int		days_in_month;	/* 28 .. 31 */
};

enum rating_line_kind {
	RATING_LINE_USAGE,		/* one per dimension */
	RATING_LINE_SLA_CREDIT,		/* negative */
	RATING_LINE_ADJUSTMENT,		/* prior-period re-rating, any sign */
	RATING_LINE_CEILING_CAP,	/* negative */
	RATING_LINE__MAX
};

struct rating_line {
	enum rating_line_kind	kind;
	size_t			source;		/* usage: index in usage_won;
						   adjustment: in adjust_won */
	int64_t			amount_won;
};

/* What the month close knows; arrays are borrowed. */
struct rating_invoice_in {
	const int64_t		*usage_won;	/* rounded lines, >= 0 */
	size_t			 nusage;
	const int64_t		*adjust_won;	/* prior-period differences */
	size_t			 nadjust;
	int64_t			 sla_share;	/* from rating_sla_share() */
	enum money_rounding	 rounding;	/* the contract's rule */
	int64_t			 remaining_won;	/* ceiling left, VAT incl. */
};

struct rating_invoice {
	size_t		nlines;
	int64_t		charge_won;	/* sum of usage lines: the SLA base */
	int64_t		sla_credit_won;	/* <= 0 */
	int64_t		adjust_won;	/* sum of adjustment lines */
	int64_t		cap_won;	/* <= 0 */
	int64_t		supply_won;	/* 공급가액 */
	int64_t		vat_won;	/* 부가세 */
	int64_t		total_won;	/* 합계 */
};

/* Room rating_invoice() needs in its lines array. */
#define RATING_INVOICE_LINES(nusage, nadjust)	((nusage) + (nadjust) + 2)

/*
 * Stable names for storage and JSON ("graduated", "unique_count", "up",
 * "up_to_order", "unit_price", "ceiling_cap", ...).  Each returns a static
 * string, or NULL for a value outside its enum.  The *_from_name()
 * functions take exactly those spellings and return MONEY_EINVAL for
 * anything else, NULL included, leaving *out untouched.
 */
const char	*rating_model_name(enum rating_model m);
enum money_err	 rating_model_from_name(const char *name,
		    enum rating_model *out);
const char	*rating_aggregation_name(enum rating_aggregation a);
enum money_err	 rating_aggregation_from_name(const char *name,
		    enum rating_aggregation *out);
const char	*rating_package_rounding_name(enum rating_package_rounding r);
enum money_err	 rating_package_rounding_from_name(const char *name,
		    enum rating_package_rounding *out);
const char	*rating_errcode_name(enum rating_errcode c);
const char	*rating_field_name(enum rating_field f);
const char	*rating_line_name(enum rating_line_kind k);

/*
 * Returns the invoice label of a line kind in Korean, or in English when
 * lang is "en" ("계약금액 한도 초과분 차감" / "ceiling cap"); NULL for a
 * kind outside the enum.  Usage lines are labelled by the caller with the
 * dimension's own unit label; this gives only the generic "사용료".
 */
const char	*rating_line_label(enum rating_line_kind k, const char *lang);

/*
 * Checks a whole plan and stores up to maxerrs errors in errs (which may
 * be NULL when maxerrs is 0), in plan order: dimensions, their tiers,
 * then credit steps.  Returns the number of errors found, which may be
 * more than were stored; 0 means the plan is valid.  Rules: at least one
 * and at most RATING_DIMENSIONS_MAX dimensions with distinct valid codes;
 * known enums; prices and fees >= 0; only the model's own fields set;
 * graduated and volume: 1..RATING_TIERS_MAX tiers, up_to > 0 and strictly
 * ascending, only the last open-ended and the last always; package: size
 * > 0; credit steps (at most RATING_CREDITS_MAX, none is fine):
 * thresholds and shares in (0, 100%], thresholds strictly descending,
 * shares strictly ascending.
 */
size_t		 rating_validate(const struct rating_plan *plan,
		    struct rating_error *errs, size_t maxerrs);

/*
 * Writes the message for one validation error into buf (len bytes), in
 * Korean, or in English when lang is "en", prefixed with the tier or
 * step it is about: "tier 2: up_to must be greater than tier 1's (10)".
 * Returns MONEY_EINVAL if buf is too small (the message is cut, still
 * NUL-terminated) or e is out of range.
 */
enum money_err	 rating_error_format(const struct rating_error *e,
		    const char *lang, char *buf, size_t len);

/*
 * Prices one dimension for one month.  quantity is the aggregated
 * quantity in micro-units (>= 0).  period gives the days in force for
 * the flat model's proration, NULL meaning the whole month; the other
 * models only check it, since their usage already reflects the days.
 * Fills *out with the exact amount and its breakdown: for graduated and
 * volume one part per tier that holds quantity or charges a flat fee, for
 * the other models one part whenever there is quantity (flat: whenever a
 * day is active).  Zero usage without charge_at_zero gives amount 0 and
 * no parts.  The line amount is money_round_exact(out->amount, rule).
 * Returns MONEY_EINVAL for a dimension rating_validate() would reject or
 * a bad period, MONEY_ENEGATIVE for a negative quantity, and
 * MONEY_EOVERFLOW if any amount passes MONEY_EXACT_MAX.  *out is
 * meaningful only on MONEY_OK.
 */
enum money_err	 rating_price(const struct rating_dimension *dim,
		    int64_t quantity, const struct rating_period *period,
		    struct rating_result *out);

/*
 * The SLA credit share for a month's availability (micro-percent,
 * 0 .. 100%): the share of the lowest threshold the availability is
 * strictly below, or 0 if it meets every threshold or the plan has no
 * schedule.  With "below 99.5% -> 10%", 99.5% gives 0 and 99.499999%
 * gives 10%.  Returns MONEY_EINVAL for an availability out of range or
 * a schedule rating_validate() would reject.
 */
enum money_err	 rating_sla_share(const struct rating_plan *plan,
		    int64_t availability, int64_t *share);

/*
 * Computes a month's invoice.  Order: usage lines; the SLA credit, which
 * is -round(charge x share) with charge the sum of the usage lines and
 * the contract's rounding rule; the adjustment lines; then, if supply
 * plus its VAT would pass remaining_won, a ceiling-cap line bringing the
 * supply down to money_cap_supply(remaining_won); finally VAT and total.
 * Zero-amount credit and cap lines are left out; usage lines are kept as
 * given, zeros included.  lines (maxlines entries, at least
 * RATING_INVOICE_LINES(nusage, nadjust)) receives the lines in that
 * order; *out the totals.  Returns MONEY_EINVAL for a negative usage
 * line, a share outside [0, 100%], remaining_won < 0, an unknown rounding
 * rule or too small a lines array; MONEY_EOVERFLOW if a line or a sum
 * passes MONEY_WON_MAX.  lines and *out are meaningful only on MONEY_OK.
 */
enum money_err	 rating_invoice(const struct rating_invoice_in *in,
		    struct rating_line *lines, size_t maxlines,
		    struct rating_invoice *out);

#endif /* RATING_H */
