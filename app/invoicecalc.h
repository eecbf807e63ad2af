/*
 * invoicecalc.h - one contract's month, from aggregated quantities to the
 * invoice: the glue between the month close and the rating engine.
 *
 * The month close (ctl_close.c) reads quantities from SQL and writes
 * invoices back; everything in between is here, pure (libc and the
 * rating engine only), so that the days a contract is in force, the
 * remaining ceiling with a fiscal-year split and the prior-period
 * adjustments are unit-tested without a database.  Pricing, SLA credit,
 * the cap and VAT are rating.c's (docs/billing.md); this module only
 * decides what to feed it.
 */

#ifndef INVOICECALC_H
#define INVOICECALC_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"
#include "rating.h"

/* Adjustment lines one month close may carry: per dimension and credit,
 * for up to this many earlier months. */
#define ICALC_ADJ_MONTHS	12
#define ICALC_ADJ_MAX	(ICALC_ADJ_MONTHS * (RATING_DIMENSIONS_MAX + 1))

/*
 * Days from 1970-01-01 of a civil date (proleptic Gregorian), and the
 * days of a month (28..31).  No time zone: dates here are Korea-time
 * calendar dates already.
 */
int64_t		 icalc_days(int y, int m, int d);
int		 icalc_month_days(int y, int m);

/*
 * Parses "YYYY-MM-DD" (or "YYYY-MM", day 1) into *y, *m, *d.  Returns 0,
 * or -1 for anything else, a month outside 1..12 or a day outside it.
 */
int		 icalc_parse_date(const char *s, int *y, int *m, int *d);

/*
 * The days of month y-m on which a contract from start to end (both
 * included, YYYYMMDD as y*10000+m*100+d) is in force, for the flat
 * model's proration.  days_active is 0 if the period misses the month.
 */
void		 icalc_period(int y, int m, int start, int end,
		    struct rating_period *out);

/*
 * The ceiling left for a month's invoice, VAT included: the contract's
 * ceiling less what was invoiced, and with a fiscal-year split
 * (has_fy) the smaller of that and the year's share less the year's
 * invoices.  A year the split does not name has a share of 0.  Returns
 * MONEY_EINVAL if the result is negative (the ceiling was already
 * passed, which must be looked at, not capped to zero).
 */
enum money_err	 icalc_remaining(int64_t ceiling, int64_t invoiced, int has_fy,
		    int64_t fy_ceiling, int64_t fy_invoiced, int64_t *out);

/* What one month of one contract needs. */
struct icalc_in {
	const struct rating_dimension *dims;	/* the pinned plan */
	size_t			 ndims;
	const struct rating_plan *plan;		/* for the SLA schedule */
	const int64_t		*qty;		/* per dimension, micro */
	struct rating_period	 period;
	int			 has_availability;
	int64_t			 availability;	/* micro-percent */
	enum money_rounding	 rounding;
	const int64_t		*adjust_won;	/* prior-period lines */
	size_t			 nadjust;
	int64_t			 remaining_won;
};

struct icalc_out {
	struct rating_result	 res[RATING_DIMENSIONS_MAX];
	int64_t			 usage_won[RATING_DIMENSIONS_MAX];
	int64_t			 flat_won;	/* usage lines of flat dims */
	int64_t			 sla_share;
	struct rating_line	 lines[RATING_DIMENSIONS_MAX + ICALC_ADJ_MAX
				    + 2];
	struct rating_invoice	 inv;
};

/*
 * Rates every dimension at its quantity (flat ones prorated by period),
 * rounds each line by the contract's rule, takes the SLA share of the
 * availability (none reported: 0) and computes the invoice with the
 * adjustments and the remaining ceiling.  Returns what rating_price(),
 * rating_sla_share() or rating_invoice() returned on failure.
 */
enum money_err	 icalc_month(const struct icalc_in *in, struct icalc_out *out);

/*
 * Prior-period adjustment of one earlier month: its usage lines as rated
 * now (now_won, ndims of them) against what was billed for it so far
 * (billed_won: its invoice's usage lines plus every adjustment for it
 * since), and the SLA credit recomputed with that month's share on the
 * new charge against the credit billed so far (billed_credit, <= 0).
 * Writes the difference per dimension into dim_adj and the credit's into
 * *credit_adj (both may be 0: no line).  Returns MONEY_EOVERFLOW or
 * MONEY_EINVAL from the arithmetic.
 */
enum money_err	 icalc_adjust(const int64_t *now_won, const int64_t *billed_won,
		    size_t ndims, int64_t share, enum money_rounding rounding,
		    int64_t billed_credit, int64_t *dim_adj,
		    int64_t *credit_adj);

/*
 * The SLA credit of a month's charge: -round(charge x share) by the
 * rule, as rating_invoice() computes it (0 for no share).
 */
enum money_err	 icalc_credit(int64_t charge, int64_t share,
		    enum money_rounding rounding, int64_t *credit);

#endif /* INVOICECALC_H */
