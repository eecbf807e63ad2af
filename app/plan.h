/*
 * plan.h - the stored form of a rate plan (docs/catalog-data.md §2): the
 * JSON codec between a listing's rate_plan column and struct rating_plan,
 * the derived reference monthly price, and the comparison of two plans
 * the published-listing change rules need ("is this only a price cut?").
 *
 * Shared by gureumctl (the generator writes and checks plans) and the web
 * app (the vendor's form and API).  jansson is in the interface by design,
 * as in tmpl: a plan arrives and leaves as JSON.  No Kore, no libpq.
 */

#ifndef PLAN_H
#define PLAN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "rating.h"

#define PLAN_UNIT_MAX		100	/* bytes in a unit label */

/* A plan with what rating.h leaves out: unit labels, reference usage. */
struct plan {
	struct rating_dimension	 dims[RATING_DIMENSIONS_MAX];
	char			 unit_ko[RATING_DIMENSIONS_MAX][PLAN_UNIT_MAX + 1];
	char			 unit_en[RATING_DIMENSIONS_MAX][PLAN_UNIT_MAX + 1];
	int64_t			 ref_qty[RATING_DIMENSIONS_MAX];  /* micro */
	size_t			 ndims;
	struct rating_credit	 credits[RATING_CREDITS_MAX];
	size_t			 ncredits;
};

/* Why plan_parse() refused a document. */
enum plan_perr_code {
	PLAN_PE_TYPE,		/* not an object / array where one is needed */
	PLAN_PE_UNKNOWN_KEY,	/* a key the format does not have */
	PLAN_PE_MISSING,	/* a required key is absent */
	PLAN_PE_DECIMAL,	/* not an exact decimal string (or integer) */
	PLAN_PE_NAME,		/* an unknown aggregation/model/rounding */
	PLAN_PE_TOO_LONG,	/* a unit label or code over its limit */
	PLAN_PE_TOO_MANY,	/* more dimensions, tiers or steps than allowed */
	PLAN_PE__MAX
};

/* Where: indexes are -1 when not inside a dimension, tier or step. */
struct plan_perr {
	enum plan_perr_code	 code;
	int			 dimension;
	int			 tier;
	int			 credit;
	char			 key[32];	/* the JSON key concerned */
};

enum plan_cmp {
	PLAN_SAME,		/* every price and term equal */
	PLAN_LOWER,		/* same structure, no price higher, one lower */
	PLAN_OTHER		/* anything else: a raise or a new structure */
};

/* Empties p. */
void		 plan_init(struct plan *p);

/* The borrowed rating.h view of p (valid while p lives). */
void		 plan_rating(const struct plan *p, struct rating_plan *out);

/*
 * Reads the stored JSON form into p.  Decimals are strings parsed with
 * money_parse() (JSON integers are accepted too; JSON reals never, they
 * are not exact); unknown keys are refused; fields a model does not use
 * are read all the same, so rating_validate() reports them.  unit_ko is
 * required and non-empty, unit_en optional.  Returns 0, or -1 with *e
 * saying what and where.
 */
int		 plan_parse(const json_t *doc, struct plan *p,
		    struct plan_perr *e);

/*
 * The stored form of p: decimals as canonical strings, only the fields of
 * each dimension's model, the open tier's up_to null.  Returns a new
 * reference, or NULL on allocation failure.
 */
json_t		*plan_json(const struct plan *p);

/*
 * Validates p with rating_validate() (up to maxerrs errors into errs) and,
 * if valid, prices every dimension at its reference quantity, each line
 * rounded half up as an invoice line: the reference monthly price in
 * whole won into *won.  Returns the number of validation errors (0: *won
 * is set), or (size_t)-1 when the plan is valid but cannot be priced at
 * its reference quantities (overflow).
 */
size_t		 plan_check(const struct plan *p, int64_t *won,
		    struct rating_error *errs, size_t maxerrs);

/*
 * Compares a published plan with a proposed one for the change rules:
 * PLAN_LOWER only if both have the same dimensions (code, unit labels,
 * aggregation, model, tier limits, package size and rounding, charge at
 * zero, reference quantity) and the same credit thresholds, no price or
 * fee is higher, no credit share is smaller, and something differs.  With
 * the structure fixed, every charge is non-decreasing in each price, so
 * no buyer pays more at any usage.  Either may be NULL (no plan): two
 * NULLs are PLAN_SAME, one NULL PLAN_OTHER.
 */
enum plan_cmp	 plan_compare(const struct plan *old, const struct plan *new);

/* A short English name of an error code ("unknown_key", "decimal"). */
const char	*plan_perr_name(enum plan_perr_code c);

#endif /* PLAN_H */
