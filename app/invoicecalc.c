/*
 * invoicecalc.c - what the month close feeds the rating engine for one
 * contract and month, and what it makes of the answer.
 *
 * Kept apart from ctl_close.c (libpq, JSON) so the decisions it holds
 * can be tested on their own: days in force for proration, the remaining
 * ceiling with a fiscal-year split, and the prior-period difference.  All
 * arithmetic on money goes through money.c and rating.c; nothing here
 * rounds or prices by itself.
 */

#include <string.h>

#include "invoicecalc.h"

int64_t
icalc_days(int y, int m, int d)
{
	int64_t		yy, era, yoe, doy, doe;

	/* H. Hinnant's days_from_civil. */
	yy = (int64_t)y - (m <= 2);
	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

int
icalc_month_days(int y, int m)
{
	static const int	days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return (0);
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

int
icalc_parse_date(const char *s, int *y, int *m, int *d)
{
	size_t	i, len;

	if (s == NULL)
		return (-1);
	len = strlen(s);
	if (len != 7 && len != 10)
		return (-1);
	for (i = 0; i < len; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return (-1);
		} else if (s[i] < '0' || s[i] > '9')
			return (-1);
	}
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = len == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > icalc_month_days(*y, *m))
		return (-1);
	return (0);
}

void
icalc_period(int y, int m, int start, int end, struct rating_period *out)
{
	int64_t		first, last, a, b;

	out->days_in_month = icalc_month_days(y, m);
	first = icalc_days(y, m, 1);
	last = first + out->days_in_month - 1;
	a = icalc_days(start / 10000, start / 100 % 100, start % 100);
	b = icalc_days(end / 10000, end / 100 % 100, end % 100);
	if (a < first)
		a = first;
	if (b > last)
		b = last;
	out->days_active = b < a ? 0 : (int)(b - a + 1);
}

enum money_err
icalc_remaining(int64_t ceiling, int64_t invoiced, int has_fy,
    int64_t fy_ceiling, int64_t fy_invoiced, int64_t *out)
{
	int64_t		r, f;

	if (ceiling < 0 || ceiling > MONEY_WON_MAX ||
	    invoiced < -MONEY_WON_MAX || invoiced > MONEY_WON_MAX)
		return (MONEY_EOVERFLOW);
	r = ceiling - invoiced;
	if (has_fy) {
		if (fy_ceiling < 0 || fy_ceiling > MONEY_WON_MAX ||
		    fy_invoiced < -MONEY_WON_MAX || fy_invoiced > MONEY_WON_MAX)
			return (MONEY_EOVERFLOW);
		f = fy_ceiling - fy_invoiced;
		if (f < r)
			r = f;
	}
	if (r < 0)
		return (MONEY_EINVAL);
	if (r > MONEY_WON_MAX)
		r = MONEY_WON_MAX;
	*out = r;
	return (MONEY_OK);
}

enum money_err
icalc_month(const struct icalc_in *in, struct icalc_out *out)
{
	struct rating_invoice_in	 ri;
	enum money_err			 rv;
	size_t				 i;

	memset(out, 0, sizeof(*out));
	if (in->ndims > RATING_DIMENSIONS_MAX || in->nadjust > ICALC_ADJ_MAX)
		return (MONEY_EINVAL);
	for (i = 0; i < in->ndims; i++) {
		rv = rating_price(&in->dims[i], in->qty[i], &in->period,
		    &out->res[i]);
		if (rv != MONEY_OK)
			return (rv);
		rv = money_round_exact(out->res[i].amount, in->rounding,
		    &out->usage_won[i]);
		if (rv != MONEY_OK)
			return (rv);
		if (in->dims[i].model == RATING_MODEL_FLAT)
			out->flat_won += out->usage_won[i];
	}
	out->sla_share = 0;
	if (in->has_availability) {
		rv = rating_sla_share(in->plan, in->availability,
		    &out->sla_share);
		if (rv != MONEY_OK)
			return (rv);
	}
	memset(&ri, 0, sizeof(ri));
	ri.usage_won = out->usage_won;
	ri.nusage = in->ndims;
	ri.adjust_won = in->adjust_won;
	ri.nadjust = in->nadjust;
	ri.sla_share = out->sla_share;
	ri.rounding = in->rounding;
	ri.remaining_won = in->remaining_won;
	return (rating_invoice(&ri, out->lines, sizeof(out->lines) /
	    sizeof(out->lines[0]), &out->inv));
}

enum money_err
icalc_credit(int64_t charge, int64_t share, enum money_rounding rounding,
    int64_t *credit)
{
	struct rating_invoice_in	 ri;
	struct rating_invoice		 inv;
	struct rating_line		 lines[3];
	enum money_err			 rv;

	if (charge < 0)
		return (MONEY_EINVAL);
	memset(&ri, 0, sizeof(ri));
	ri.usage_won = &charge;
	ri.nusage = 1;
	ri.sla_share = share;
	ri.rounding = rounding;
	ri.remaining_won = MONEY_WON_MAX;
	if ((rv = rating_invoice(&ri, lines, 3, &inv)) != MONEY_OK)
		return (rv);
	*credit = inv.sla_credit_won;
	return (MONEY_OK);
}

enum money_err
icalc_adjust(const int64_t *now_won, const int64_t *billed_won, size_t ndims,
    int64_t share, enum money_rounding rounding, int64_t billed_credit,
    int64_t *dim_adj, int64_t *credit_adj)
{
	enum money_err	rv;
	int64_t		charge, credit;
	size_t		i;

	charge = 0;
	for (i = 0; i < ndims; i++) {
		if (now_won[i] < 0 || now_won[i] > MONEY_WON_MAX ||
		    billed_won[i] < -MONEY_WON_MAX ||
		    billed_won[i] > MONEY_WON_MAX ||
		    charge + now_won[i] > MONEY_WON_MAX)
			return (MONEY_EOVERFLOW);
		charge += now_won[i];
		dim_adj[i] = now_won[i] - billed_won[i];
	}
	if ((rv = icalc_credit(charge, share, rounding, &credit)) != MONEY_OK)
		return (rv);
	if (billed_credit > 0 || billed_credit < -MONEY_WON_MAX)
		return (MONEY_EINVAL);
	*credit_adj = credit - billed_credit;
	return (MONEY_OK);
}
