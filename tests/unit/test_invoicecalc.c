/*
 * test_invoicecalc.c - unit tests for app/invoicecalc.c: the days a
 * contract is in force in a month, the remaining ceiling with a
 * fiscal-year split, one month's invoice from quantities (the worked
 * examples of the rules as whole invoices: SLA credit, the ceiling cap,
 * VAT, proration) and the prior-period difference, which must come back
 * to zero when a month is re-rated with what was billed for it.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "invoicecalc.h"

#define W(n)		((int64_t)(n) * MONEY_MICRO)
#define INF		RATING_UP_TO_INF

/* (0,10]: 10/unit + 2; (10,20]: 5/unit + 3; (20,inf): 5/unit + 3 */
static const struct rating_dimension d_grad = {
	.code = "vcpu_hour", .model = RATING_MODEL_GRADUATED,
	.charge_at_zero = 1, .ntiers = 3,
	.tiers = { { W(10), W(10), W(2) }, { W(20), W(5), W(3) },
	    { INF, W(5), W(3) } },
};
static const struct rating_dimension d_storage = {
	.code = "storage_gb", .aggregation = RATING_AGG_MAX,
	.model = RATING_MODEL_PER_UNIT, .unit_price = 100500000,
};
static const struct rating_dimension d_flat = {
	.code = "base_fee", .model = RATING_MODEL_FLAT, .fee = W(100000),
};
static const struct rating_dimension d_won = {
	.code = "unit", .model = RATING_MODEL_PER_UNIT, .unit_price = W(1),
};
static const struct rating_credit credits[] = {
	{ 99500000, W(10) }, { 99000000, W(25) }, { 95000000, W(50) },
};

static void
test_days(void **state)
{
	(void)state;
	assert_int_equal(icalc_days(1970, 1, 1), 0);
	assert_int_equal(icalc_days(2024, 3, 1) - icalc_days(2024, 2, 1), 29);
	assert_int_equal(icalc_month_days(2024, 2), 29);
	assert_int_equal(icalc_month_days(2100, 2), 28);
	assert_int_equal(icalc_month_days(2000, 2), 29);
	assert_int_equal(icalc_month_days(2026, 10), 31);
	assert_int_equal(icalc_month_days(2026, 13), 0);
}

static void
test_parse_date(void **state)
{
	int	y, m, d;

	(void)state;
	assert_int_equal(icalc_parse_date("2026-10", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20261001);
	assert_int_equal(icalc_parse_date("2024-02-29", &y, &m, &d), 0);
	assert_int_equal(icalc_parse_date("2023-02-29", &y, &m, &d), -1);
	assert_int_equal(icalc_parse_date("2024-02-30", &y, &m, &d), -1);
	assert_int_equal(icalc_parse_date("2024-13", &y, &m, &d), -1);
	assert_int_equal(icalc_parse_date("2024-00", &y, &m, &d), -1);
	assert_int_equal(icalc_parse_date("2024-1-01", &y, &m, &d), -1);
	assert_int_equal(icalc_parse_date("2024/10", &y, &m, &d), -1);
	assert_int_equal(icalc_parse_date("", &y, &m, &d), -1);
	assert_int_equal(icalc_parse_date(NULL, &y, &m, &d), -1);
}

static void
test_period(void **state)
{
	struct rating_period	p;

	(void)state;
	/* The whole month. */
	icalc_period(2026, 10, 20260101, 20271231, &p);
	assert_int_equal(p.days_active, 31);
	assert_int_equal(p.days_in_month, 31);
	/* From the 22nd: 10 of 31 days. */
	icalc_period(2024, 3, 20240322, 20241231, &p);
	assert_int_equal(p.days_active, 10);
	/* Until the 15th of a 30-day month, start and end included. */
	icalc_period(2026, 11, 20250101, 20261115, &p);
	assert_int_equal(p.days_active, 15);
	assert_int_equal(p.days_in_month, 30);
	/* One day. */
	icalc_period(2026, 11, 20261130, 20261130, &p);
	assert_int_equal(p.days_active, 1);
	/* Outside the month. */
	icalc_period(2026, 11, 20261201, 20271130, &p);
	assert_int_equal(p.days_active, 0);
	icalc_period(2026, 11, 20250101, 20261031, &p);
	assert_int_equal(p.days_active, 0);
	/* A leap February. */
	icalc_period(2024, 2, 20240101, 20241231, &p);
	assert_int_equal(p.days_active, 29);
}

static void
test_remaining(void **state)
{
	int64_t	r;

	(void)state;
	assert_int_equal(icalc_remaining(1100000, 770000, 0, 0, 0, &r),
	    MONEY_OK);
	assert_int_equal(r, 330000);
	/* A split: the smaller of the contract's and the year's. */
	assert_int_equal(icalc_remaining(10000000, 2000000, 1, 6000000,
	    2000000, &r), MONEY_OK);
	assert_int_equal(r, 4000000);
	assert_int_equal(icalc_remaining(10000000, 9000000, 1, 6000000,
	    0, &r), MONEY_OK);
	assert_int_equal(r, 1000000);
	/* A year the split does not name has nothing. */
	assert_int_equal(icalc_remaining(10000000, 0, 1, 0, 0, &r), MONEY_OK);
	assert_int_equal(r, 0);
	/* Credit notes (negative) give room back. */
	assert_int_equal(icalc_remaining(1000, 1100 - 200, 0, 0, 0, &r),
	    MONEY_OK);
	assert_int_equal(r, 100);
	/* Already past the ceiling: refused, not capped to zero. */
	assert_int_equal(icalc_remaining(1000, 1001, 0, 0, 0, &r),
	    MONEY_EINVAL);
	assert_int_equal(icalc_remaining(-1, 0, 0, 0, 0, &r), MONEY_EOVERFLOW);
}

static void
test_month_sample(void **state)
{
	struct rating_dimension	 dims[2];
	struct rating_plan	 plan;
	struct icalc_in		 in;
	static struct icalc_out	 out;
	int64_t			 qty[2];

	(void)state;
	dims[0] = d_grad;
	dims[1] = d_storage;
	memset(&plan, 0, sizeof(plan));
	plan.dims = dims;
	plan.ndims = 2;
	plan.credits = credits;
	plan.ncredits = 3;
	memset(&in, 0, sizeof(in));
	qty[0] = W(21);
	qty[1] = W(100);
	in.dims = dims;
	in.ndims = 2;
	in.plan = &plan;
	in.qty = qty;
	icalc_period(2024, 3, 20240101, 20241231, &in.period);
	in.has_availability = 1;
	in.availability = 99200000;
	in.rounding = MONEY_ROUND_HALF_UP;
	in.remaining_won = 100000000;
	assert_int_equal(icalc_month(&in, &out), MONEY_OK);
	assert_int_equal(out.usage_won[0], 163);
	assert_int_equal(out.usage_won[1], 10050);
	assert_int_equal(out.sla_share, W(10));
	assert_int_equal(out.inv.nlines, 3);
	assert_int_equal(out.lines[2].kind, RATING_LINE_SLA_CREDIT);
	assert_int_equal(out.lines[2].amount_won, -1021);
	assert_int_equal(out.inv.supply_won, 9192);
	assert_int_equal(out.inv.vat_won, 919);
	assert_int_equal(out.inv.total_won, 10111);
	assert_int_equal(out.flat_won, 0);

	/* No availability reported: no credit. */
	in.has_availability = 0;
	assert_int_equal(icalc_month(&in, &out), MONEY_OK);
	assert_int_equal(out.inv.nlines, 2);
	assert_int_equal(out.inv.supply_won, 10213);

	/* 99.5% exactly meets the first threshold. */
	in.has_availability = 1;
	in.availability = 99500000;
	assert_int_equal(icalc_month(&in, &out), MONEY_OK);
	assert_int_equal(out.sla_share, 0);
}

static void
test_month_cap_and_flat(void **state)
{
	struct rating_dimension	 dims[2];
	struct rating_plan	 plan;
	struct icalc_in		 in;
	static struct icalc_out	 out;
	int64_t			 qty[2], adj[1];

	(void)state;
	dims[0] = d_won;
	dims[1] = d_flat;
	memset(&plan, 0, sizeof(plan));
	plan.dims = dims;
	plan.ndims = 2;
	memset(&in, 0, sizeof(in));
	qty[0] = W(500000);
	qty[1] = 0;
	in.dims = dims;
	in.ndims = 1;
	in.plan = &plan;
	in.qty = qty;
	icalc_period(2024, 3, 20240101, 20241231, &in.period);
	in.rounding = MONEY_ROUND_HALF_UP;
	/* The rules' cap: 1,100,000 less 770,000 invoiced. */
	assert_int_equal(icalc_remaining(1100000, 770000, 0, 0, 0,
	    &in.remaining_won), MONEY_OK);
	assert_int_equal(icalc_month(&in, &out), MONEY_OK);
	assert_int_equal(out.inv.nlines, 2);
	assert_int_equal(out.lines[1].kind, RATING_LINE_CEILING_CAP);
	assert_int_equal(out.lines[1].amount_won, -200000);
	assert_int_equal(out.inv.supply_won, 300000);
	assert_int_equal(out.inv.vat_won, 30000);
	assert_int_equal(out.inv.total_won, 330000);

	/* An adjustment enters the supply and the cap. */
	adj[0] = 50000;
	in.adjust_won = adj;
	in.nadjust = 1;
	in.remaining_won = 1000000;
	assert_int_equal(icalc_month(&in, &out), MONEY_OK);
	assert_int_equal(out.inv.supply_won, 550000);

	/* Flat 100,000 for 10 of 31 days: 32,258 (flat_won for the
	 * dashboard's projection). */
	in.adjust_won = NULL;
	in.nadjust = 0;
	in.dims = dims + 1;
	in.qty = qty + 1;
	icalc_period(2024, 3, 20240322, 20241231, &in.period);
	assert_int_equal(icalc_month(&in, &out), MONEY_OK);
	assert_int_equal(out.usage_won[0], 32258);
	assert_int_equal(out.flat_won, 32258);
	/* Outside the period: 0, still a line. */
	icalc_period(2024, 2, 20240322, 20241231, &in.period);
	assert_int_equal(icalc_month(&in, &out), MONEY_OK);
	assert_int_equal(out.inv.nlines, 1);
	assert_int_equal(out.inv.total_won, 0);
}

static void
test_adjust(void **state)
{
	int64_t	now[2], billed[2], dim[2], credit;

	(void)state;
	/* One more vCPU hour after March was issued: 163 -> 168, storage
	 * 10,050 as billed; the 10% credit on 10,218 is -1,022, -1 more. */
	now[0] = 168;
	now[1] = 10050;
	billed[0] = 163;
	billed[1] = 10050;
	assert_int_equal(icalc_adjust(now, billed, 2, W(10),
	    MONEY_ROUND_HALF_UP, -1021, dim, &credit), MONEY_OK);
	assert_int_equal(dim[0], 5);
	assert_int_equal(dim[1], 0);
	assert_int_equal(credit, -1);
	/* Re-rated again with the adjustment billed: nothing more. */
	billed[0] = 168;
	assert_int_equal(icalc_adjust(now, billed, 2, W(10),
	    MONEY_ROUND_HALF_UP, -1022, dim, &credit), MONEY_OK);
	assert_int_equal(dim[0], 0);
	assert_int_equal(credit, 0);
	/* A lower re-rating gives a negative adjustment (not rounded again). */
	now[0] = 150;
	assert_int_equal(icalc_adjust(now, billed, 2, 0, MONEY_ROUND_DOWN, 0,
	    dim, &credit), MONEY_OK);
	assert_int_equal(dim[0], -18);
	assert_int_equal(credit, 0);
	/* A positive billed credit cannot be. */
	assert_int_equal(icalc_adjust(now, billed, 2, 0, MONEY_ROUND_DOWN, 5,
	    dim, &credit), MONEY_EINVAL);
}

static void
test_credit(void **state)
{
	int64_t	c;

	(void)state;
	/* 10% of 15 won: -2 rounded half up, -1 rounded down. */
	assert_int_equal(icalc_credit(15, W(10), MONEY_ROUND_HALF_UP, &c),
	    MONEY_OK);
	assert_int_equal(c, -2);
	assert_int_equal(icalc_credit(15, W(10), MONEY_ROUND_DOWN, &c),
	    MONEY_OK);
	assert_int_equal(c, -1);
	assert_int_equal(icalc_credit(0, W(50), MONEY_ROUND_DOWN, &c),
	    MONEY_OK);
	assert_int_equal(c, 0);
	assert_int_equal(icalc_credit(-1, 0, MONEY_ROUND_DOWN, &c),
	    MONEY_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_remaining),
		cmocka_unit_test(test_month_sample),
		cmocka_unit_test(test_month_cap_and_flat),
		cmocka_unit_test(test_adjust),
		cmocka_unit_test(test_credit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
