/*
 * test_rating.c - unit tests for app/rating.c.
 *
 * Every worked example of shared/docs/billing.md is one row of a table
 * and one test, named after the plan and the quantity, and so are the
 * tier boundaries (exactly at up_to and 0.000001 above it).  Quantities
 * are written as strings and go through money_parse(), and amounts are
 * compared as canonical decimal strings, so a row reads like the table
 * in the rules.  Then come the breakdown rows, flat proration, overflow,
 * validation with its messages, SLA credit shares, and invoices from the
 * ceiling-cap example to a whole month from quantities to 합계.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "money.h"
#include "rating.h"

#define M		MONEY_MICRO
#define W(n)		((int64_t)(n) * MONEY_MICRO)
#define INF		RATING_UP_TO_INF
#define PCT(n)		((int64_t)(n) * MONEY_MICRO)

/* graduated, flats, charge_at_zero */
static const struct rating_dimension d_grad_flats = {
	.code = "api_call", .model = RATING_MODEL_GRADUATED,
	.charge_at_zero = 1, .ntiers = 3,
	.tiers = { { W(10), W(10), W(2) }, { W(20), W(5), W(3) },
	    { INF, W(5), W(3) } },
};

/* the same without charge_at_zero */
static const struct rating_dimension d_grad_flats_nz = {
	.code = "api_call", .model = RATING_MODEL_GRADUATED, .ntiers = 3,
	.tiers = { { W(10), W(10), W(2) }, { W(20), W(5), W(3) },
	    { INF, W(5), W(3) } },
};

/* graduated, decimals */
static const struct rating_dimension d_grad_dec = {
	.code = "gb_transfer", .model = RATING_MODEL_GRADUATED, .ntiers = 3,
	.tiers = { { 100000, W(10), 0 }, { W(1), W(5), 0 },
	    { INF, W(2), 0 } },
};

/* volume, charge_at_zero */
static const struct rating_dimension d_vol_caz = {
	.code = "active_user", .aggregation = RATING_AGG_UNIQUE_COUNT,
	.model = RATING_MODEL_VOLUME, .charge_at_zero = 1, .ntiers = 3,
	.tiers = { { W(100), W(2), W(10) }, { W(200), W(1), 0 },
	    { INF, 500000, W(50) } },
};

static const struct rating_dimension d_vol_nz = {
	.code = "active_user", .aggregation = RATING_AGG_UNIQUE_COUNT,
	.model = RATING_MODEL_VOLUME, .ntiers = 3,
	.tiers = { { W(100), W(2), W(10) }, { W(200), W(1), 0 },
	    { INF, 500000, W(50) } },
};

/* volume cliff */
static const struct rating_dimension d_vol_cliff = {
	.code = "seat", .aggregation = RATING_AGG_MAX,
	.model = RATING_MODEL_VOLUME, .ntiers = 4,
	.tiers = { { W(5), 0, W(100) }, { W(10), 0, W(150) },
	    { W(15), W(10), 0 }, { INF, W(5), 0 } },
};

/* graduated over the cliff's tiers */
static const struct rating_dimension d_grad_cliff = {
	.code = "seat", .aggregation = RATING_AGG_MAX,
	.model = RATING_MODEL_GRADUATED, .ntiers = 4,
	.tiers = { { W(5), 0, W(100) }, { W(10), 0, W(50) },
	    { W(15), W(5), 0 }, { INF, W(1), 0 } },
};

/* package: 100 per package of 10, rounded up */
static const struct rating_dimension d_pkg = {
	.code = "sms", .model = RATING_MODEL_PACKAGE,
	.package_size = W(10), .package_price = W(100),
	.package_rounding = RATING_PACKAGE_UP,
};

static const struct rating_dimension d_pkg_down = {
	.code = "sms", .model = RATING_MODEL_PACKAGE,
	.package_size = W(10), .package_price = W(100),
	.package_rounding = RATING_PACKAGE_DOWN,
};

/* volume and graduated over (0,5]: 7; (5,10]: 6.5; (10,inf): 6 */
static const struct rating_dimension d_vol7 = {
	.code = "vcpu_hour", .model = RATING_MODEL_VOLUME, .ntiers = 3,
	.tiers = { { W(5), W(7), 0 }, { W(10), 6500000, 0 },
	    { INF, W(6), 0 } },
};

static const struct rating_dimension d_grad7 = {
	.code = "vcpu_hour", .model = RATING_MODEL_GRADUATED, .ntiers = 3,
	.tiers = { { W(5), W(7), 0 }, { W(10), 6500000, 0 },
	    { INF, W(6), 0 } },
};

/* per unit: 0.05 won */
static const struct rating_dimension d_unit = {
	.code = "request", .model = RATING_MODEL_PER_UNIT, .unit_price = 50000,
};

/* flat: 100,000 won a month */
static const struct rating_dimension d_flat = {
	.code = "support", .aggregation = RATING_AGG_LATEST,
	.model = RATING_MODEL_FLAT, .fee = W(100000),
};

struct price_row {
	const char			*plan;
	const struct rating_dimension	*dim;
	const char			*qty;
	const char			*exact;		/* canonical amount */
	int64_t				 half_up;	/* line, 반올림 */
	int64_t				 down;		/* line, 절사 */
	size_t				 nparts;
};

static const struct price_row price_rows[] = {
	/* The worked examples of the billing rules. */
	{ "graduated flats caz", &d_grad_flats, "0", "2", 2, 2, 1 },
	{ "graduated flats caz", &d_grad_flats, "1", "12", 12, 12, 1 },
	{ "graduated flats caz", &d_grad_flats, "10", "102", 102, 102, 1 },
	{ "graduated flats caz", &d_grad_flats, "11", "110", 110, 110, 2 },
	{ "graduated flats caz", &d_grad_flats, "12", "115", 115, 115, 2 },
	{ "graduated flats caz", &d_grad_flats, "21", "163", 163, 163, 3 },
	{ "graduated decimals", &d_grad_dec, "0.05", "0.5", 1, 0, 1 },
	{ "graduated decimals", &d_grad_dec, "0.5", "3", 3, 3, 2 },
	{ "volume caz", &d_vol_caz, "0", "10", 10, 10, 1 },
	{ "volume caz", &d_vol_caz, "1", "12", 12, 12, 1 },
	{ "volume caz", &d_vol_caz, "100", "210", 210, 210, 1 },
	{ "volume caz", &d_vol_caz, "101", "101", 101, 101, 1 },
	{ "volume caz", &d_vol_caz, "200", "200", 200, 200, 1 },
	{ "volume caz", &d_vol_caz, "210", "155", 155, 155, 1 },
	{ "volume caz", &d_vol_caz, "300", "200", 200, 200, 1 },
	{ "volume cliff", &d_vol_cliff, "3", "100", 100, 100, 1 },
	{ "volume cliff", &d_vol_cliff, "5", "100", 100, 100, 1 },
	{ "volume cliff", &d_vol_cliff, "14", "140", 140, 140, 1 },
	{ "volume cliff", &d_vol_cliff, "15", "150", 150, 150, 1 },
	{ "volume cliff", &d_vol_cliff, "16", "80", 80, 80, 1 },
	{ "volume cliff", &d_vol_cliff, "100", "500", 500, 500, 1 },
	{ "graduated cliff", &d_grad_cliff, "22", "182", 182, 182, 4 },
	{ "package up", &d_pkg, "121", "1300", 1300, 1300, 1 },
	{ "volume 7/6.5/6", &d_vol7, "1", "7", 7, 7, 1 },
	{ "volume 7/6.5/6", &d_vol7, "5", "35", 35, 35, 1 },
	{ "volume 7/6.5/6", &d_vol7, "6", "39", 39, 39, 1 },
	{ "volume 7/6.5/6", &d_vol7, "20", "120", 120, 120, 1 },
	{ "volume 7/6.5/6", &d_vol7, "25", "150", 150, 150, 1 },
	{ "graduated 7/6.5/6", &d_grad7, "5", "35", 35, 35, 1 },
	{ "graduated 7/6.5/6", &d_grad7, "6", "41.5", 42, 41, 2 },
	{ "graduated 7/6.5/6", &d_grad7, "20", "127.5", 128, 127, 3 },
	{ "graduated 7/6.5/6", &d_grad7, "25", "157.5", 158, 157, 3 },
	/* Zero usage without charge_at_zero: never a flat fee. */
	{ "graduated flats no caz", &d_grad_flats_nz, "0", "0", 0, 0, 0 },
	{ "volume no caz", &d_vol_nz, "0", "0", 0, 0, 0 },
	{ "volume cliff", &d_vol_cliff, "0", "0", 0, 0, 0 },
	{ "graduated cliff", &d_grad_cliff, "0", "0", 0, 0, 0 },
	{ "graduated flats no caz", &d_grad_flats_nz, "1", "12", 12, 12, 1 },
	/* Tier boundaries: at up_to, and 0.000001 above. */
	{ "graduated flats caz", &d_grad_flats, "10.000001", "105.000005",
	    105, 105, 2 },
	{ "graduated flats caz", &d_grad_flats, "20", "155", 155, 155, 2 },
	{ "graduated flats caz", &d_grad_flats, "20.000001", "158.000005",
	    158, 158, 3 },
	{ "graduated decimals", &d_grad_dec, "0.1", "1", 1, 1, 1 },
	{ "graduated decimals", &d_grad_dec, "0.100001", "1.000005", 1, 1, 2 },
	{ "graduated decimals", &d_grad_dec, "1.000001", "5.500002", 6, 5, 3 },
	{ "volume caz", &d_vol_caz, "100.000001", "100.000001", 100, 100, 1 },
	{ "volume caz", &d_vol_caz, "200.000001", "150.0000005", 150, 150, 1 },
	{ "volume cliff", &d_vol_cliff, "5.000001", "150", 150, 150, 1 },
	{ "volume cliff", &d_vol_cliff, "10", "150", 150, 150, 1 },
	{ "volume cliff", &d_vol_cliff, "10.000001", "100.00001", 100, 100, 1 },
	{ "volume cliff", &d_vol_cliff, "15.000001", "75.000005", 75, 75, 1 },
	{ "volume 7/6.5/6", &d_vol7, "5.000001", "32.5000065", 33, 32, 1 },
	{ "volume 7/6.5/6", &d_vol7, "10", "65", 65, 65, 1 },
	{ "volume 7/6.5/6", &d_vol7, "10.000001", "60.000006", 60, 60, 1 },
	{ "graduated 7/6.5/6", &d_grad7, "10", "67.5", 68, 67, 2 },
	{ "graduated 7/6.5/6", &d_grad7, "10.000001", "67.500006", 68, 67, 3 },
	{ "graduated 7/6.5/6", &d_grad7, "0.000001", "0.000007", 0, 0, 1 },
	/* Packages. */
	{ "package up", &d_pkg, "0", "0", 0, 0, 0 },
	{ "package up", &d_pkg, "0.000001", "100", 100, 100, 1 },
	{ "package up", &d_pkg, "10", "100", 100, 100, 1 },
	{ "package up", &d_pkg, "10.000001", "200", 200, 200, 1 },
	{ "package up", &d_pkg, "120", "1200", 1200, 1200, 1 },
	{ "package down", &d_pkg_down, "121", "1200", 1200, 1200, 1 },
	{ "package down", &d_pkg_down, "9.999999", "0", 0, 0, 1 },
	{ "package down", &d_pkg_down, "130", "1300", 1300, 1300, 1 },
	/* Per unit. */
	{ "per unit 0.05", &d_unit, "0", "0", 0, 0, 0 },
	{ "per unit 0.05", &d_unit, "3.5", "0.175", 0, 0, 1 },
	{ "per unit 0.05", &d_unit, "10", "0.5", 1, 0, 1 },
	{ "per unit 0.05", &d_unit, "1234.567891", "61.72839455", 62, 61, 1 },
	{ "per unit 0.05", &d_unit, "29.99998", "1.499999", 1, 1, 1 },
	/* Flat, whole month: the quantity does not matter. */
	{ "flat 100000", &d_flat, "0", "100000", 100000, 100000, 1 },
	{ "flat 100000", &d_flat, "7", "100000", 100000, 100000, 1 },
};

static int64_t
qty(const char *s)
{
	int64_t	v;

	assert_int_equal(money_parse(s, 0, &v), MONEY_OK);
	return (v);
}

static void
assert_exact(money_exact v, const char *want)
{
	char	buf[MONEY_FMT_MAX];

	assert_int_equal(money_format_exact(v, 0, buf, sizeof(buf)), MONEY_OK);
	assert_string_equal(buf, want);
}

static void
test_price_row(void **state)
{
	const struct price_row	*r = *state;
	struct rating_result	 res;
	money_exact		 sum;
	int64_t			 won;
	size_t			 i;

	assert_int_equal(rating_price(r->dim, qty(r->qty), NULL, &res),
	    MONEY_OK);
	assert_exact(res.amount, r->exact);
	assert_int_equal(res.nparts, r->nparts);
	sum = 0;
	for (i = 0; i < res.nparts; i++)
		sum += res.parts[i].amount;
	assert_true(sum == res.amount);
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == r->half_up);
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_DOWN, &won),
	    MONEY_OK);
	assert_true(won == r->down);
}

static void
assert_part(const struct rating_part *p, int tier, const char *q,
    int64_t price, int64_t flat, const char *amount)
{
	assert_int_equal(p->tier, tier);
	assert_true(p->quantity == qty(q));
	assert_true(p->unit_price == price);
	assert_true(p->flat_fee == flat);
	assert_exact(p->amount, amount);
}

static void
test_breakdown_graduated(void **state)
{
	struct rating_result	res;

	(void)state;
	assert_int_equal(rating_price(&d_grad_flats, W(21), NULL, &res),
	    MONEY_OK);
	assert_int_equal(res.nparts, 3);
	assert_part(&res.parts[0], 0, "10", W(10), W(2), "102");
	assert_part(&res.parts[1], 1, "10", W(5), W(3), "53");
	assert_part(&res.parts[2], 2, "1", W(5), W(3), "8");

	assert_int_equal(rating_price(&d_grad_cliff, W(22), NULL, &res),
	    MONEY_OK);
	assert_int_equal(res.nparts, 4);
	assert_part(&res.parts[0], 0, "5", 0, W(100), "100");
	assert_part(&res.parts[1], 1, "5", 0, W(50), "50");
	assert_part(&res.parts[2], 2, "5", W(5), 0, "25");
	assert_part(&res.parts[3], 3, "7", W(1), 0, "7");

	assert_int_equal(rating_price(&d_grad_dec, 500000, NULL, &res),
	    MONEY_OK);
	assert_part(&res.parts[0], 0, "0.1", W(10), 0, "1");
	assert_part(&res.parts[1], 1, "0.4", W(5), 0, "2");
}

static void
test_breakdown_volume(void **state)
{
	struct rating_result	res;

	(void)state;
	assert_int_equal(rating_price(&d_vol_caz, W(210), NULL, &res),
	    MONEY_OK);
	assert_int_equal(res.nparts, 1);
	assert_part(&res.parts[0], 2, "210", 500000, W(50), "155");
	assert_int_equal(rating_price(&d_vol_cliff, W(3), NULL, &res),
	    MONEY_OK);
	assert_part(&res.parts[0], 0, "3", 0, W(100), "100");
}

static void
test_breakdown_charge_at_zero(void **state)
{
	struct rating_result	res;

	(void)state;
	/* Zero lies at the bottom of the first tier: its flat fee only. */
	assert_int_equal(rating_price(&d_grad_flats, 0, NULL, &res), MONEY_OK);
	assert_int_equal(res.nparts, 1);
	assert_part(&res.parts[0], 0, "0", W(10), W(2), "2");
	assert_int_equal(rating_price(&d_vol_caz, 0, NULL, &res), MONEY_OK);
	assert_part(&res.parts[0], 0, "0", W(2), W(10), "10");
}

static void
test_charge_at_zero_without_flat(void **state)
{
	struct rating_dimension	d = d_grad7;
	struct rating_result	res;

	(void)state;
	d.charge_at_zero = 1;
	assert_int_equal(rating_price(&d, 0, NULL, &res), MONEY_OK);
	assert_true(res.amount == 0);
	assert_int_equal(res.nparts, 0);
}

static void
test_breakdown_package(void **state)
{
	struct rating_result	res;

	(void)state;
	assert_int_equal(rating_price(&d_pkg, W(121), NULL, &res), MONEY_OK);
	assert_int_equal(res.nparts, 1);
	assert_int_equal(res.parts[0].tier, -1);
	assert_true(res.parts[0].quantity == W(121));
	assert_true(res.parts[0].packages == 13);
	assert_true(res.parts[0].unit_price == W(100));
	assert_int_equal(rating_price(&d_pkg_down, W(121), NULL, &res),
	    MONEY_OK);
	assert_true(res.parts[0].packages == 12);
}

static void
test_package_decimal_size(void **state)
{
	struct rating_dimension	d = d_pkg;
	struct rating_result	res;

	(void)state;
	d.package_size = 500000;	/* 0.5 GB packages at 100 won */
	assert_int_equal(rating_price(&d, qty("1.2"), NULL, &res), MONEY_OK);
	assert_true(res.parts[0].packages == 3);
	assert_exact(res.amount, "300");
	d.package_price = 1;		/* 0.000001 won a package */
	assert_int_equal(rating_price(&d, qty("1.2"), NULL, &res), MONEY_OK);
	assert_exact(res.amount, "0.000003");
}

static void
test_flat_proration(void **state)
{
	static const struct {
		int		 active;
		int		 days;
		const char	*exact;
		int64_t		 half_up;
		int64_t		 down;
	} rows[] = {
		{ 30, 30, "100000", 100000, 100000 },
		{ 31, 31, "100000", 100000, 100000 },
		{ 15, 30, "50000", 50000, 50000 },
		{ 10, 31, "32258.064516129032", 32258, 32258 },
		{ 1, 28, "3571.428571428571", 3571, 3571 },
		{ 14, 28, "50000", 50000, 50000 },
		{ 1, 31, "3225.806451612903", 3226, 3225 },
	};
	struct rating_period	p;
	struct rating_result	res;
	int64_t			won;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p.days_active = rows[i].active;
		p.days_in_month = rows[i].days;
		assert_int_equal(rating_price(&d_flat, 0, &p, &res), MONEY_OK);
		assert_exact(res.amount, rows[i].exact);
		assert_int_equal(res.nparts, 1);
		assert_true(res.parts[0].flat_fee == W(100000));
		assert_int_equal(money_round_exact(res.amount,
		    MONEY_ROUND_HALF_UP, &won), MONEY_OK);
		assert_true(won == rows[i].half_up);
		assert_int_equal(money_round_exact(res.amount,
		    MONEY_ROUND_DOWN, &won), MONEY_OK);
		assert_true(won == rows[i].down);
	}
}

static void
test_flat_proration_half(void **state)
{
	struct rating_dimension	d = d_flat;
	struct rating_period	p = { 15, 30 };
	struct rating_result	res;
	int64_t			won;

	(void)state;
	/* 101 won for half a month is exactly 50.5: 반올림 51, 절사 50. */
	d.fee = W(101);
	assert_int_equal(rating_price(&d, 0, &p, &res), MONEY_OK);
	assert_exact(res.amount, "50.5");
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == 51);
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_DOWN, &won),
	    MONEY_OK);
	assert_true(won == 50);
}

static void
test_flat_no_days(void **state)
{
	struct rating_period	p = { 0, 30 };
	struct rating_result	res;

	(void)state;
	assert_int_equal(rating_price(&d_flat, 0, &p, &res), MONEY_OK);
	assert_true(res.amount == 0);
	assert_int_equal(res.nparts, 0);
}

static void
test_period_invalid(void **state)
{
	static const struct rating_period bad[] = {
		{ 31, 30 }, { -1, 30 }, { 1, 27 }, { 1, 32 }, { 0, 0 },
	};
	struct rating_result	res;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rating_price(&d_flat, 0, &bad[i], &res),
		    MONEY_EINVAL);
		assert_int_equal(rating_price(&d_unit, W(1), &bad[i], &res),
		    MONEY_EINVAL);
	}
}

static void
test_period_ignored_by_usage(void **state)
{
	struct rating_period	p = { 3, 30 };
	struct rating_result	res;

	(void)state;
	assert_int_equal(rating_price(&d_grad7, W(25), &p, &res), MONEY_OK);
	assert_exact(res.amount, "157.5");
}

static void
test_rounding_probe(void **state)
{
	struct rating_dimension	d = d_unit;
	struct rating_result	res;
	int64_t			won;

	(void)state;
	/* 0.499999 and 0.5, then 1.4999995 (0.5 x 2.999999). */
	d.unit_price = 499999;
	assert_int_equal(rating_price(&d, W(1), NULL, &res), MONEY_OK);
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == 0);
	d.unit_price = 500000;
	assert_int_equal(rating_price(&d, W(1), NULL, &res), MONEY_OK);
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == 1);
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_DOWN, &won),
	    MONEY_OK);
	assert_true(won == 0);
	d.unit_price = 2999999;
	assert_int_equal(rating_price(&d, 500000, NULL, &res), MONEY_OK);
	assert_exact(res.amount, "1.4999995");
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == 1);
	/* 0.000001 x 0.000001 = 10^-12 won is still exact. */
	d.unit_price = 1;
	assert_int_equal(rating_price(&d, 1, NULL, &res), MONEY_OK);
	assert_true(res.amount == 1);
}

static void
test_overflow_per_unit(void **state)
{
	struct rating_dimension	d = d_unit;
	struct rating_result	res;
	int64_t			won;

	(void)state;
	d.unit_price = INT64_MAX;
	assert_int_equal(rating_price(&d, INT64_MAX, NULL, &res),
	    MONEY_EOVERFLOW);
	/* 999,999,999 units at 1,000,000 won: just inside the range. */
	d.unit_price = W(1000000);
	assert_int_equal(rating_price(&d, W(999999999), NULL, &res), MONEY_OK);
	assert_int_equal(money_round_exact(res.amount, MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == 999999999000000LL);
	/* 10^9 units: 10^15 won is past MONEY_WON_MAX. */
	assert_int_equal(rating_price(&d, W(1000000000), NULL, &res),
	    MONEY_EOVERFLOW);
}

static void
test_overflow_package(void **state)
{
	struct rating_dimension	d = d_pkg;
	struct rating_result	res;

	(void)state;
	d.package_size = 1;
	d.package_price = INT64_MAX;
	assert_int_equal(rating_price(&d, INT64_MAX, NULL, &res),
	    MONEY_EOVERFLOW);
	d.package_price = W(1000000);
	assert_int_equal(rating_price(&d, 1000000000, NULL, &res),
	    MONEY_EOVERFLOW);
	assert_int_equal(rating_price(&d, 999999999, NULL, &res), MONEY_OK);
}

static void
test_overflow_tier_sum(void **state)
{
	struct rating_dimension	d = d_grad7;
	struct rating_result	res;

	(void)state;
	/* Each tier part fits; their sum does not. */
	d.tiers[0].up_to = W(600000000);
	d.tiers[1].up_to = W(1200000000);
	d.tiers[0].unit_price = d.tiers[1].unit_price = W(1000000);
	d.tiers[2].unit_price = 0;
	assert_int_equal(rating_price(&d, W(600000000), NULL, &res), MONEY_OK);
	assert_int_equal(rating_price(&d, W(1200000000), NULL, &res),
	    MONEY_EOVERFLOW);
	/* Huge flat fees and prices with a huge quantity in volume. */
	d.model = RATING_MODEL_VOLUME;
	d.tiers[2].unit_price = INT64_MAX;
	d.tiers[2].flat_fee = INT64_MAX;
	assert_int_equal(rating_price(&d, INT64_MAX, NULL, &res),
	    MONEY_EOVERFLOW);
}

static void
test_flat_huge_fee(void **state)
{
	struct rating_dimension	d = d_flat;
	struct rating_period	p = { 31, 31 };
	struct rating_result	res;

	(void)state;
	d.fee = INT64_MAX;
	assert_int_equal(rating_price(&d, 0, &p, &res), MONEY_OK);
	assert_exact(res.amount, "9223372036854.775807");
}

static void
test_price_bad_input(void **state)
{
	struct rating_dimension	d = d_grad7;
	struct rating_result	res;

	(void)state;
	assert_int_equal(rating_price(&d_grad7, -1, NULL, &res),
	    MONEY_ENEGATIVE);
	d.tiers[1].up_to = W(5);	/* not ascending */
	assert_int_equal(rating_price(&d, W(1), NULL, &res), MONEY_EINVAL);
	d = d_grad7;
	d.model = (enum rating_model)42;
	assert_int_equal(rating_price(&d, W(1), NULL, &res), MONEY_EINVAL);
	d = d_grad7;
	d.ntiers = RATING_TIERS_MAX + 1;
	assert_int_equal(rating_price(&d, W(1), NULL, &res), MONEY_EINVAL);
	d = d_pkg;
	d.package_size = 0;
	assert_int_equal(rating_price(&d, W(1), NULL, &res), MONEY_EINVAL);
}

/*
 * Validation.
 */

static size_t
validate_one(const struct rating_dimension *d, struct rating_error *errs,
    size_t max)
{
	struct rating_plan	plan;

	memset(&plan, 0, sizeof(plan));
	plan.dims = d;
	plan.ndims = 1;
	return (rating_validate(&plan, errs, max));
}

static void
assert_error(const struct rating_error *e, enum rating_errcode code,
    enum rating_field field, int dim, int tier, int credit)
{
	assert_int_equal(e->code, code);
	assert_int_equal(e->field, field);
	assert_int_equal(e->dimension, dim);
	assert_int_equal(e->tier, tier);
	assert_int_equal(e->credit, credit);
}

static void
assert_message(const struct rating_error *e, const char *lang,
    const char *want)
{
	char	buf[256];

	assert_int_equal(rating_error_format(e, lang, buf, sizeof(buf)),
	    MONEY_OK);
	assert_string_equal(buf, want);
}

static void
test_validate_examples_ok(void **state)
{
	const struct rating_dimension	*all[] = {
		&d_grad_flats, &d_grad_flats_nz, &d_grad_dec, &d_vol_caz,
		&d_vol_nz, &d_vol_cliff, &d_grad_cliff, &d_pkg, &d_pkg_down,
		&d_vol7, &d_grad7, &d_unit, &d_flat,
	};
	size_t				 i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		assert_int_equal(validate_one(all[i], NULL, 0), 0);
}

static void
test_validate_up_to_order(void **state)
{
	struct rating_dimension	d = d_grad_flats;
	struct rating_error	e[4];

	(void)state;
	d.tiers[1].up_to = W(10);
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_UP_TO_ORDER, RATING_F_UP_TO, 0, 1, -1);
	assert_true(e[0].value == W(10));
	assert_message(&e[0], "en",
	    "tier 2: up_to must be greater than tier 1's (10)");
	assert_message(&e[0], "ko",
	    "2구간: 상한 값은 1구간의 상한(10)보다 커야 합니다");
	assert_string_equal(rating_errcode_name(e[0].code), "up_to_order");
	assert_string_equal(rating_field_name(e[0].field), "up_to");

	d.tiers[1].up_to = 9999999;	/* 9.999999: below, decimals shown */
	d.tiers[0].up_to = 10500000;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_message(&e[0], "en",
	    "tier 2: up_to must be greater than tier 1's (10.5)");
}

static void
test_validate_last_not_open(void **state)
{
	struct rating_dimension	d = d_grad7;
	struct rating_error	e[4];

	(void)state;
	d.tiers[2].up_to = W(20);
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_LAST_NOT_OPEN, RATING_F_UP_TO, 0, 2, -1);
	assert_message(&e[0], "en",
	    "tier 3: the last tier must be open-ended (it has up_to 20)");
}

static void
test_validate_open_not_last(void **state)
{
	struct rating_dimension	d = d_grad7;
	struct rating_error	e[4];

	(void)state;
	d.tiers[1].up_to = INF;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_OPEN_NOT_LAST, RATING_F_UP_TO, 0, 1, -1);
	assert_message(&e[0], "en",
	    "tier 2: only the last tier may be open-ended");
}

static void
test_validate_first_up_to(void **state)
{
	struct rating_dimension	d = d_grad7;
	struct rating_error	e[4];

	(void)state;
	d.tiers[0].up_to = 0;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_NOT_POSITIVE, RATING_F_UP_TO, 0, 0, -1);
	assert_message(&e[0], "en", "tier 1: up_to must be greater than 0");
	d.tiers[0].up_to = -5;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_int_equal(e[0].code, RATING_E_NOT_POSITIVE);
}

static void
test_validate_negative_prices(void **state)
{
	struct rating_dimension	d = d_grad_flats;
	struct rating_error	e[4];

	(void)state;
	d.tiers[1].unit_price = -1;
	d.tiers[2].flat_fee = -1;
	assert_int_equal(validate_one(&d, e, 4), 2);
	assert_error(&e[0], RATING_E_NEGATIVE, RATING_F_TIER_UNIT_PRICE, 0, 1,
	    -1);
	assert_error(&e[1], RATING_E_NEGATIVE, RATING_F_TIER_FLAT_FEE, 0, 2,
	    -1);
	assert_message(&e[0], "en", "tier 2: unit price must not be negative");
	assert_message(&e[1], "ko", "3구간: 구간 고정 요금 값은 0 이상이어야 "
	    "합니다");
}

static void
test_validate_tier_counts(void **state)
{
	struct rating_dimension	d = d_grad7;
	struct rating_error	e[4];
	size_t			i;

	(void)state;
	d.ntiers = 0;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_REQUIRED, RATING_F_TIERS, 0, -1, -1);

	memset(d.tiers, 0, sizeof(d.tiers));
	for (i = 0; i < RATING_TIERS_MAX; i++)
		d.tiers[i].up_to = W(i + 1);
	d.tiers[RATING_TIERS_MAX - 1].up_to = INF;
	d.ntiers = RATING_TIERS_MAX;
	assert_int_equal(validate_one(&d, e, 4), 0);
	d.ntiers = RATING_TIERS_MAX + 1;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_TOO_MANY, RATING_F_TIERS, 0, -1, -1);
	assert_true(e[0].value == RATING_TIERS_MAX);
	assert_message(&e[0], "en", "tiers: at most 16 are allowed");
}

static void
test_validate_single_open_tier(void **state)
{
	struct rating_dimension	d = d_grad7;

	(void)state;
	d.ntiers = 1;
	d.tiers[0].up_to = INF;
	assert_int_equal(validate_one(&d, NULL, 0), 0);
	d.model = RATING_MODEL_VOLUME;
	assert_int_equal(validate_one(&d, NULL, 0), 0);
}

static void
test_validate_package(void **state)
{
	struct rating_dimension	d = d_pkg;
	struct rating_error	e[4];

	(void)state;
	d.package_size = 0;
	d.package_price = -1;
	assert_int_equal(validate_one(&d, e, 4), 2);
	assert_error(&e[0], RATING_E_NOT_POSITIVE, RATING_F_PACKAGE_SIZE, 0,
	    -1, -1);
	assert_error(&e[1], RATING_E_NEGATIVE, RATING_F_PACKAGE_PRICE, 0, -1,
	    -1);
	assert_message(&e[0], "en", "package size must be greater than 0");
	d = d_pkg;
	d.package_size = -10;
	assert_int_equal(validate_one(&d, e, 4), 1);
	d = d_pkg;
	d.package_rounding = (enum rating_package_rounding)7;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_UNKNOWN, RATING_F_PACKAGE_ROUNDING, 0, -1,
	    -1);
}

static void
test_validate_unused_fields(void **state)
{
	struct rating_dimension	d;
	struct rating_error	e[8];

	(void)state;
	d = d_unit;
	d.ntiers = 1;
	d.tiers[0].up_to = INF;
	d.charge_at_zero = 1;
	d.fee = W(5);
	assert_int_equal(validate_one(&d, e, 8), 3);
	assert_error(&e[0], RATING_E_UNUSED, RATING_F_FEE, 0, -1, -1);
	assert_error(&e[1], RATING_E_UNUSED, RATING_F_CHARGE_AT_ZERO, 0, -1,
	    -1);
	assert_error(&e[2], RATING_E_UNUSED, RATING_F_TIERS, 0, -1, -1);
	assert_message(&e[0], "en",
	    "monthly fee is not used by this pricing model; leave it empty");

	d = d_grad7;
	d.unit_price = W(1);
	d.package_size = W(1);
	d.package_price = W(1);
	d.package_rounding = RATING_PACKAGE_DOWN;
	assert_int_equal(validate_one(&d, e, 8), 4);
	assert_int_equal(e[0].field, RATING_F_UNIT_PRICE);
	assert_int_equal(e[3].field, RATING_F_PACKAGE_ROUNDING);

	d = d_flat;
	d.unit_price = W(1);
	assert_int_equal(validate_one(&d, e, 8), 1);
	assert_int_equal(e[0].code, RATING_E_UNUSED);
}

static void
test_validate_negative_scalars(void **state)
{
	struct rating_dimension	d;
	struct rating_error	e[4];

	(void)state;
	d = d_flat;
	d.fee = -1;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_NEGATIVE, RATING_F_FEE, 0, -1, -1);
	d = d_unit;
	d.unit_price = -1;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_NEGATIVE, RATING_F_UNIT_PRICE, 0, -1, -1);
	/* Zero prices are allowed: a free dimension is still metered. */
	d.unit_price = 0;
	assert_int_equal(validate_one(&d, e, 4), 0);
}

static void
test_validate_enums(void **state)
{
	struct rating_dimension	d;
	struct rating_error	e[4];

	(void)state;
	d = d_grad7;
	d.model = RATING_MODEL__MAX;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_UNKNOWN, RATING_F_MODEL, 0, -1, -1);
	assert_message(&e[0], "en", "pricing model is not a known value");
	d = d_grad7;
	d.aggregation = (enum rating_aggregation)-1;
	assert_int_equal(validate_one(&d, e, 4), 1);
	assert_error(&e[0], RATING_E_UNKNOWN, RATING_F_AGGREGATION, 0, -1, -1);
}

static void
test_validate_codes(void **state)
{
	static const char *const bad[] = {
		"", "Vcpu", "1abc", "_a", "a-b", "a b", "a.b", "가",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaa",	/* 65 bytes */
	};
	struct rating_dimension	d;
	struct rating_error	e[4];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = d_unit;
		memset(d.code, 0, sizeof(d.code));
		memcpy(d.code, bad[i], strlen(bad[i]) < sizeof(d.code) ?
		    strlen(bad[i]) : sizeof(d.code));
		assert_int_equal(validate_one(&d, e, 4), 1);
		assert_error(&e[0], RATING_E_CODE_INVALID, RATING_F_CODE, 0,
		    -1, -1);
	}
	/* 64 bytes is the most; a code without its NUL is refused. */
	d = d_unit;
	memset(d.code, 'a', RATING_CODE_MAX);
	d.code[RATING_CODE_MAX] = '\0';
	assert_int_equal(validate_one(&d, e, 4), 0);
	memset(d.code, 'a', sizeof(d.code));
	assert_int_equal(validate_one(&d, e, 4), 1);
	d = d_unit;
	strcpy(d.code, "storage_gb_month2");
	assert_int_equal(validate_one(&d, e, 4), 0);
}

static void
test_validate_plan_dimensions(void **state)
{
	struct rating_dimension	dims[RATING_DIMENSIONS_MAX + 1];
	struct rating_plan	plan;
	struct rating_error	e[4];
	size_t			i;

	(void)state;
	memset(&plan, 0, sizeof(plan));
	assert_int_equal(rating_validate(&plan, e, 4), 1);
	assert_error(&e[0], RATING_E_REQUIRED, RATING_F_DIMENSIONS, -1, -1,
	    -1);
	assert_message(&e[0], "en", "dimensions: at least one is required");

	for (i = 0; i < RATING_DIMENSIONS_MAX + 1; i++) {
		dims[i] = d_unit;
		snprintf(dims[i].code, sizeof(dims[i].code), "dim%zu", i);
	}
	plan.dims = dims;
	plan.ndims = RATING_DIMENSIONS_MAX;
	assert_int_equal(rating_validate(&plan, e, 4), 0);
	plan.ndims = RATING_DIMENSIONS_MAX + 1;
	assert_int_equal(rating_validate(&plan, e, 4), 1);
	assert_error(&e[0], RATING_E_TOO_MANY, RATING_F_DIMENSIONS, -1, -1,
	    -1);
}

static void
test_validate_duplicate_codes(void **state)
{
	struct rating_dimension	dims[3];
	struct rating_plan	plan;
	struct rating_error	e[4];

	(void)state;
	dims[0] = d_unit;
	dims[1] = d_flat;
	dims[2] = d_grad7;
	strcpy(dims[2].code, dims[0].code);
	memset(&plan, 0, sizeof(plan));
	plan.dims = dims;
	plan.ndims = 3;
	assert_int_equal(rating_validate(&plan, e, 4), 1);
	assert_error(&e[0], RATING_E_CODE_DUPLICATE, RATING_F_CODE, 2, -1, -1);
	assert_true(e[0].value == 0);
	assert_message(&e[0], "en", "code is already used by dimension 1");
	assert_message(&e[0], "ko", "코드가 1번째 과금 항목과 겹칩니다");
}

static void
test_validate_errors_in_order_and_counted(void **state)
{
	struct rating_dimension	dims[2];
	struct rating_plan	plan;
	struct rating_error	e[2];

	(void)state;
	dims[0] = d_grad7;
	dims[0].tiers[1].up_to = W(1);		/* tier 2 */
	dims[0].tiers[0].unit_price = -1;	/* tier 1 */
	dims[1] = d_pkg;
	dims[1].package_size = 0;
	memset(&plan, 0, sizeof(plan));
	plan.dims = dims;
	plan.ndims = 2;
	/* Three errors, two stored, all counted. */
	assert_int_equal(rating_validate(&plan, e, 2), 3);
	assert_error(&e[0], RATING_E_NEGATIVE, RATING_F_TIER_UNIT_PRICE, 0, 0,
	    -1);
	assert_error(&e[1], RATING_E_UP_TO_ORDER, RATING_F_UP_TO, 0, 1, -1);
	assert_int_equal(rating_validate(&plan, NULL, 0), 3);
	assert_int_equal(rating_validate(&plan, NULL, 5), 3);
}

static const struct rating_credit credits_std[] = {
	{ PCT(99) + 500000, PCT(10) },		/* below 99.5% -> 10% */
	{ PCT(99), PCT(25) },			/* below 99.0% -> 25% */
	{ PCT(95), PCT(50) },			/* below 95.0% -> 50% */
};

static void
test_validate_credits(void **state)
{
	struct rating_credit	c[RATING_CREDITS_MAX + 1];
	struct rating_plan	plan;
	struct rating_error	e[4];
	size_t			i;

	(void)state;
	memset(&plan, 0, sizeof(plan));
	plan.dims = &d_unit;
	plan.ndims = 1;
	plan.credits = credits_std;
	plan.ncredits = 3;
	assert_int_equal(rating_validate(&plan, e, 4), 0);

	memcpy(c, credits_std, sizeof(credits_std));
	plan.credits = c;
	c[1].below = c[0].below;
	assert_int_equal(rating_validate(&plan, e, 4), 1);
	assert_error(&e[0], RATING_E_BELOW_ORDER, RATING_F_CREDIT_BELOW, -1,
	    -1, 1);
	assert_message(&e[0], "en", "credit step 2: availability threshold "
	    "must be lower than step 1's (99.5%)");
	assert_message(&e[0], "ko", "크레딧 2단계: 가용성 기준 값은 1단계의 "
	    "기준(99.5%)보다 낮아야 합니다");

	memcpy(c, credits_std, sizeof(credits_std));
	c[2].share = PCT(25);
	assert_int_equal(rating_validate(&plan, e, 4), 1);
	assert_error(&e[0], RATING_E_SHARE_ORDER, RATING_F_CREDIT_SHARE, -1,
	    -1, 2);
	assert_message(&e[0], "en",
	    "credit step 3: credit share must be greater than step 2's (25%)");

	memcpy(c, credits_std, sizeof(credits_std));
	c[0].below = PCT(100) + 1;
	c[1].share = 0;
	c[2].below = 0;
	assert_int_equal(rating_validate(&plan, e, 4), 3);
	assert_error(&e[0], RATING_E_PERCENT_RANGE, RATING_F_CREDIT_BELOW, -1,
	    -1, 0);
	assert_error(&e[1], RATING_E_PERCENT_RANGE, RATING_F_CREDIT_SHARE, -1,
	    -1, 1);
	assert_error(&e[2], RATING_E_PERCENT_RANGE, RATING_F_CREDIT_BELOW, -1,
	    -1, 2);
	assert_message(&e[1], "en", "credit step 2: credit share must be "
	    "greater than 0% and at most 100%");

	for (i = 0; i < RATING_CREDITS_MAX + 1; i++) {
		c[i].below = PCT(100) - (int64_t)i * M;
		c[i].share = PCT(i + 1);
	}
	plan.ncredits = RATING_CREDITS_MAX;
	assert_int_equal(rating_validate(&plan, e, 4), 0);
	plan.ncredits = RATING_CREDITS_MAX + 1;
	assert_int_equal(rating_validate(&plan, e, 4), 1);
	assert_error(&e[0], RATING_E_TOO_MANY, RATING_F_CREDITS, -1, -1, -1);
}

static void
test_error_messages_complete(void **state)
{
	struct rating_error	e;
	char			buf[512];
	int			c, f, lang;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.dimension = -1;
	for (c = 0; c < RATING_E__MAX; c++) {
		assert_non_null(rating_errcode_name(c));
		for (f = 0; f < RATING_F__MAX; f++) {
			assert_non_null(rating_field_name(f));
			for (lang = 0; lang < 2; lang++) {
				e.code = c;
				e.field = f;
				e.tier = 1;
				e.credit = -1;
				assert_int_equal(rating_error_format(&e,
				    lang ? "en" : "ko", buf, sizeof(buf)),
				    MONEY_OK);
				assert_true(strlen(buf) > 8);
				/* Only %% may leave a '%' behind. */
				if (c != RATING_E_PERCENT_RANGE &&
				    c != RATING_E_BELOW_ORDER &&
				    c != RATING_E_SHARE_ORDER)
					assert_null(strchr(buf, '%'));
			}
		}
	}
	assert_null(rating_errcode_name(RATING_E__MAX));
	assert_null(rating_field_name(RATING_F__MAX));
}

static void
test_error_format_bad(void **state)
{
	struct rating_error	e;
	char			buf[12];

	(void)state;
	memset(&e, 0, sizeof(e));
	e.code = RATING_E_UP_TO_ORDER;
	e.field = RATING_F_UP_TO;
	e.tier = 1;
	e.credit = -1;
	e.value = W(10);
	assert_int_equal(rating_error_format(&e, "en", buf, sizeof(buf)),
	    MONEY_EINVAL);
	assert_string_equal(buf, "tier 2: up_");
	assert_int_equal(rating_error_format(&e, "en", buf, 0), MONEY_EINVAL);
	assert_int_equal(rating_error_format(NULL, "en", buf, sizeof(buf)),
	    MONEY_EINVAL);
	assert_string_equal(buf, "");
	e.code = RATING_E__MAX;
	assert_int_equal(rating_error_format(&e, "en", buf, sizeof(buf)),
	    MONEY_EINVAL);
}

static void
test_names(void **state)
{
	enum rating_model		m;
	enum rating_aggregation		a;
	enum rating_package_rounding	r;
	int				i;

	(void)state;
	for (i = 0; i < RATING_MODEL__MAX; i++) {
		assert_int_equal(rating_model_from_name(rating_model_name(i),
		    &m), MONEY_OK);
		assert_int_equal(m, i);
	}
	for (i = 0; i < RATING_AGG__MAX; i++) {
		assert_int_equal(rating_aggregation_from_name(
		    rating_aggregation_name(i), &a), MONEY_OK);
		assert_int_equal(a, i);
	}
	for (i = 0; i < RATING_PACKAGE__MAX; i++) {
		assert_int_equal(rating_package_rounding_from_name(
		    rating_package_rounding_name(i), &r), MONEY_OK);
		assert_int_equal(r, i);
	}
	assert_string_equal(rating_model_name(RATING_MODEL_GRADUATED),
	    "graduated");
	assert_string_equal(rating_aggregation_name(RATING_AGG_UNIQUE_COUNT),
	    "unique_count");
	assert_null(rating_model_name(RATING_MODEL__MAX));
	assert_null(rating_model_name((enum rating_model)-1));
	m = RATING_MODEL_FLAT;
	assert_int_equal(rating_model_from_name("Graduated", &m), MONEY_EINVAL);
	assert_int_equal(rating_model_from_name(NULL, &m), MONEY_EINVAL);
	assert_int_equal(m, RATING_MODEL_FLAT);
	assert_int_equal(rating_aggregation_from_name("avg", &a),
	    MONEY_EINVAL);
	assert_int_equal(rating_package_rounding_from_name("nearest", &r),
	    MONEY_EINVAL);
	assert_string_equal(rating_line_name(RATING_LINE_CEILING_CAP),
	    "ceiling_cap");
	assert_string_equal(rating_line_label(RATING_LINE_CEILING_CAP, "ko"),
	    "계약금액 한도 초과분 차감");
	assert_string_equal(rating_line_label(RATING_LINE_CEILING_CAP, "en"),
	    "ceiling cap");
	assert_string_equal(rating_line_label(RATING_LINE_SLA_CREDIT, NULL),
	    "SLA 미달 크레딧");
	assert_null(rating_line_label(RATING_LINE__MAX, "en"));
	assert_null(rating_line_name(RATING_LINE__MAX));
}

/*
 * SLA credit share.
 */

static void
test_sla_share(void **state)
{
	static const struct {
		const char	*avail;
		int64_t		 share;
	} rows[] = {
		{ "100", 0 }, { "99.9", 0 }, { "99.5", 0 },
		{ "99.499999", PCT(10) }, { "99.2", PCT(10) },
		{ "99", PCT(10) }, { "98.999999", PCT(25) },
		{ "95", PCT(25) }, { "94.999999", PCT(50) }, { "0", PCT(50) },
	};
	struct rating_plan	plan;
	int64_t			share;
	size_t			i;

	(void)state;
	memset(&plan, 0, sizeof(plan));
	plan.dims = &d_unit;
	plan.ndims = 1;
	plan.credits = credits_std;
	plan.ncredits = 3;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		share = -1;
		assert_int_equal(rating_sla_share(&plan, qty(rows[i].avail),
		    &share), MONEY_OK);
		assert_true(share == rows[i].share);
	}
}

static void
test_sla_share_bad(void **state)
{
	struct rating_credit	c[3];
	struct rating_plan	plan;
	int64_t			share = 77;

	(void)state;
	memset(&plan, 0, sizeof(plan));
	plan.credits = credits_std;
	plan.ncredits = 3;
	assert_int_equal(rating_sla_share(&plan, -1, &share), MONEY_EINVAL);
	assert_int_equal(rating_sla_share(&plan, PCT(100) + 1, &share),
	    MONEY_EINVAL);
	memcpy(c, credits_std, sizeof(c));
	c[2].below = PCT(99) + 1;
	plan.credits = c;
	assert_int_equal(rating_sla_share(&plan, PCT(50), &share),
	    MONEY_EINVAL);
	assert_true(share == 77);
	/* No schedule: no credit. */
	plan.credits = NULL;
	plan.ncredits = 0;
	assert_int_equal(rating_sla_share(&plan, 0, &share), MONEY_OK);
	assert_true(share == 0);
}

/*
 * Invoices.
 */

static void
assert_line(const struct rating_line *l, enum rating_line_kind kind,
    size_t source, int64_t amount)
{
	assert_int_equal(l->kind, kind);
	assert_int_equal(l->source, source);
	assert_true(l->amount_won == amount);
}

static void
test_invoice_cap_example(void **state)
{
	static const int64_t		usage[] = { 500000 };
	struct rating_invoice_in	in;
	struct rating_line		lines[RATING_INVOICE_LINES(1, 0)];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.remaining_won = 1100000 - 770000;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 2);
	assert_line(&lines[0], RATING_LINE_USAGE, 0, 500000);
	assert_line(&lines[1], RATING_LINE_CEILING_CAP, 0, -200000);
	assert_true(inv.cap_won == -200000);
	assert_true(inv.supply_won == 300000);
	assert_true(inv.vat_won == 30000);
	assert_true(inv.total_won == 330000);
}

static void
test_invoice_vat_example(void **state)
{
	static const int64_t		usage[] = { 1234567 };
	struct rating_invoice_in	in;
	struct rating_line		lines[3];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.remaining_won = 10000000;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 1);
	assert_true(inv.supply_won == 1234567);
	assert_true(inv.vat_won == 123456);
	assert_true(inv.total_won == 1358023);
	assert_true(inv.cap_won == 0 && inv.sla_credit_won == 0);
}

static void
test_invoice_cap_boundary(void **state)
{
	int64_t				usage[1];
	struct rating_invoice_in	in;
	struct rating_line		lines[3];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.remaining_won = 330000;
	/* Exactly at the ceiling: no cap line. */
	usage[0] = 300000;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 1);
	assert_true(inv.total_won == 330000);
	/* One won more would pass it by one won. */
	usage[0] = 300001;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 2);
	assert_line(&lines[1], RATING_LINE_CEILING_CAP, 0, -1);
	assert_true(inv.total_won == 330000);
	/* 300,009 has VAT 30,000 too, so it still fits 330,009. */
	usage[0] = 300009;
	in.remaining_won = 330009;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 1);
	assert_true(inv.total_won == 330009);
	/* Nothing left: everything is capped. */
	usage[0] = 1000;
	in.remaining_won = 0;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_line(&lines[1], RATING_LINE_CEILING_CAP, 0, -1000);
	assert_true(inv.supply_won == 0 && inv.total_won == 0);
}

static void
test_invoice_sla_credit(void **state)
{
	static const int64_t		usage[] = { 600000, 400000 };
	struct rating_invoice_in	in;
	struct rating_line		lines[4];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 2;
	in.sla_share = PCT(10);
	in.remaining_won = MONEY_WON_MAX;
	assert_int_equal(rating_invoice(&in, lines, 4, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 3);
	assert_line(&lines[0], RATING_LINE_USAGE, 0, 600000);
	assert_line(&lines[1], RATING_LINE_USAGE, 1, 400000);
	assert_line(&lines[2], RATING_LINE_SLA_CREDIT, 0, -100000);
	assert_true(inv.charge_won == 1000000);
	assert_true(inv.supply_won == 900000);
	assert_true(inv.vat_won == 90000);
	assert_true(inv.total_won == 990000);
}

static void
test_invoice_sla_credit_rounding(void **state)
{
	int64_t				usage[1];
	struct rating_invoice_in	in;
	struct rating_line		lines[3];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.remaining_won = MONEY_WON_MAX;
	in.sla_share = PCT(10);
	/* 10% of 15 is 1.5: -2 by 반올림, -1 by 절사. */
	usage[0] = 15;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_true(inv.sla_credit_won == -2);
	in.rounding = MONEY_ROUND_DOWN;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_true(inv.sla_credit_won == -1);
	/* 10% of 14 is 1.4: -1 either way. */
	usage[0] = 14;
	in.rounding = MONEY_ROUND_HALF_UP;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_true(inv.sla_credit_won == -1);
	/* 0.000001% of 1,000,000 is 0.01: rounds to nothing, no line. */
	usage[0] = 1000000;
	in.sla_share = 1;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_true(inv.sla_credit_won == 0);
	assert_int_equal(inv.nlines, 1);
	/* 100% credits the whole charge. */
	in.sla_share = PCT(100);
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_true(inv.sla_credit_won == -1000000);
	assert_true(inv.supply_won == 0 && inv.total_won == 0);
}

static void
test_invoice_credit_before_cap(void **state)
{
	static const int64_t		usage[] = { 500000 };
	struct rating_invoice_in	in;
	struct rating_line		lines[3];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.sla_share = PCT(10);
	in.remaining_won = 330000;
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 3);
	assert_line(&lines[1], RATING_LINE_SLA_CREDIT, 0, -50000);
	assert_line(&lines[2], RATING_LINE_CEILING_CAP, 0, -150000);
	assert_true(inv.supply_won == 300000);
	assert_true(inv.total_won == 330000);
	/* A credit that brings the month under the ceiling: no cap. */
	in.sla_share = PCT(50);
	assert_int_equal(rating_invoice(&in, lines, 3, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 2);
	assert_true(inv.supply_won == 250000);
	assert_true(inv.total_won == 275000);
}

static void
test_invoice_adjustments(void **state)
{
	static const int64_t		usage[] = { 100000 };
	static const int64_t		adj[] = { -30000, 5000 };
	struct rating_invoice_in	in;
	struct rating_line		lines[RATING_INVOICE_LINES(1, 2)];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.adjust_won = adj;
	in.nadjust = 2;
	in.sla_share = PCT(10);
	in.remaining_won = MONEY_WON_MAX;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 4);
	assert_line(&lines[0], RATING_LINE_USAGE, 0, 100000);
	/* The credit is on this month's usage, not on the adjustments. */
	assert_line(&lines[1], RATING_LINE_SLA_CREDIT, 0, -10000);
	assert_line(&lines[2], RATING_LINE_ADJUSTMENT, 0, -30000);
	assert_line(&lines[3], RATING_LINE_ADJUSTMENT, 1, 5000);
	assert_true(inv.adjust_won == -25000);
	assert_true(inv.supply_won == 65000);
	assert_true(inv.vat_won == 6500);
	assert_true(inv.total_won == 71500);
}

static void
test_invoice_adjustment_capped(void **state)
{
	static const int64_t		usage[] = { 200000 };
	static const int64_t		adj[] = { 150000 };
	struct rating_invoice_in	in;
	struct rating_line		lines[4];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.adjust_won = adj;
	in.nadjust = 1;
	in.remaining_won = 330000;
	assert_int_equal(rating_invoice(&in, lines, 4, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 3);
	assert_line(&lines[2], RATING_LINE_CEILING_CAP, 0, -50000);
	assert_true(inv.total_won == 330000);
}

static void
test_invoice_negative_supply(void **state)
{
	static const int64_t		usage[] = { 0 };
	static const int64_t		adj[] = { -12345 };
	struct rating_invoice_in	in;
	struct rating_line		lines[RATING_INVOICE_LINES(1, 1)];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 1;
	in.adjust_won = adj;
	in.nadjust = 1;
	in.sla_share = PCT(50);
	in.remaining_won = 0;
	assert_int_equal(rating_invoice(&in, lines, 4, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 2);
	assert_true(inv.supply_won == -12345);
	assert_true(inv.vat_won == -1234);
	assert_true(inv.total_won == -13579);
	assert_true(inv.cap_won == 0);
}

static void
test_invoice_zero_lines_kept(void **state)
{
	static const int64_t		usage[] = { 0, 0 };
	struct rating_invoice_in	in;
	struct rating_line		lines[4];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 2;
	in.sla_share = PCT(25);
	in.remaining_won = 100;
	assert_int_equal(rating_invoice(&in, lines, 4, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 2);
	assert_line(&lines[1], RATING_LINE_USAGE, 1, 0);
	assert_true(inv.total_won == 0);
	/* No lines at all is an empty invoice, not an error. */
	in.nusage = 0;
	in.usage_won = NULL;
	assert_int_equal(rating_invoice(&in, lines, 2, &inv), MONEY_OK);
	assert_int_equal(inv.nlines, 0);
	assert_true(inv.total_won == 0);
}

static void
test_invoice_bad_input(void **state)
{
	int64_t				usage[2] = { 100, 200 };
	int64_t				adj[1] = { 5 };
	struct rating_invoice_in	in, ok;
	struct rating_line		lines[5];
	struct rating_invoice		inv;

	(void)state;
	memset(&ok, 0, sizeof(ok));
	ok.usage_won = usage;
	ok.nusage = 2;
	ok.adjust_won = adj;
	ok.nadjust = 1;
	ok.remaining_won = 1000;
	assert_int_equal(rating_invoice(&ok, lines, 5, &inv), MONEY_OK);
	/* Lines array one short. */
	assert_int_equal(rating_invoice(&ok, lines, 4, &inv), MONEY_EINVAL);
	assert_int_equal(rating_invoice(&ok, NULL, 5, &inv), MONEY_EINVAL);
	in = ok;
	in.remaining_won = -1;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_EINVAL);
	in = ok;
	in.remaining_won = MONEY_WON_MAX + 1;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_EOVERFLOW);
	in = ok;
	in.sla_share = PCT(100) + 1;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_EINVAL);
	in.sla_share = -1;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_EINVAL);
	in = ok;
	in.rounding = MONEY_ROUND__MAX;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_EINVAL);
	in = ok;
	in.usage_won = NULL;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_EINVAL);
	in = ok;
	in.adjust_won = NULL;
	assert_int_equal(rating_invoice(&in, lines, 5, &inv), MONEY_EINVAL);
	/* A usage line is never negative: corrections are adjustments. */
	usage[1] = -1;
	assert_int_equal(rating_invoice(&ok, lines, 5, &inv), MONEY_EINVAL);
}

static void
test_invoice_overflow(void **state)
{
	int64_t				usage[2] = { MONEY_WON_MAX, 1 };
	int64_t				adj[2] = { 0, 0 };
	struct rating_invoice_in	in;
	struct rating_line		lines[6];
	struct rating_invoice		inv;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 2;
	in.remaining_won = MONEY_WON_MAX;
	assert_int_equal(rating_invoice(&in, lines, 6, &inv), MONEY_EOVERFLOW);
	usage[0] = INT64_MAX;
	assert_int_equal(rating_invoice(&in, lines, 6, &inv), MONEY_EOVERFLOW);
	/* The largest month is fine, and capped to what VAT leaves. */
	usage[0] = MONEY_WON_MAX;
	usage[1] = 0;
	assert_int_equal(rating_invoice(&in, lines, 6, &inv), MONEY_OK);
	assert_true(inv.supply_won + inv.vat_won <= MONEY_WON_MAX);
	/* Adjustments beyond the range, alone or summed. */
	in.adjust_won = adj;
	in.nadjust = 2;
	usage[0] = 0;
	adj[0] = INT64_MIN;
	assert_int_equal(rating_invoice(&in, lines, 6, &inv), MONEY_EOVERFLOW);
	adj[0] = -MONEY_WON_MAX;
	adj[1] = -1;
	assert_int_equal(rating_invoice(&in, lines, 6, &inv), MONEY_EOVERFLOW);
	/* Usage at the top plus a positive adjustment passes the range. */
	usage[0] = MONEY_WON_MAX;
	adj[0] = 1;
	adj[1] = 0;
	assert_int_equal(rating_invoice(&in, lines, 6, &inv), MONEY_EOVERFLOW);
}

/*
 * A whole month, from aggregated quantities to 합계, the way the month
 * close and the offline verifier run it.
 */
static void
test_invoice_whole_month(void **state)
{
	struct rating_dimension		dims[3];
	struct rating_plan		plan;
	struct rating_period		period = { 15, 30 };
	struct rating_result		res;
	struct rating_invoice_in	in;
	struct rating_line		lines[RATING_INVOICE_LINES(3, 0)];
	struct rating_invoice		inv;
	const char			*q[3] = { "150.5", "1000.1", "1" };
	int64_t				usage[3], share;
	size_t				i;

	(void)state;
	memset(dims, 0, sizeof(dims));
	strcpy(dims[0].code, "vcpu_hour");
	dims[0].model = RATING_MODEL_GRADUATED;
	dims[0].ntiers = 2;
	dims[0].tiers[0].up_to = W(100);
	dims[0].tiers[0].unit_price = W(50);
	dims[0].tiers[1].up_to = INF;
	dims[0].tiers[1].unit_price = W(40);
	strcpy(dims[1].code, "storage_gb_month");
	dims[1].aggregation = RATING_AGG_MAX;
	dims[1].model = RATING_MODEL_PER_UNIT;
	dims[1].unit_price = 12345000;		/* 12.345 won */
	strcpy(dims[2].code, "support");
	dims[2].aggregation = RATING_AGG_LATEST;
	dims[2].model = RATING_MODEL_FLAT;
	dims[2].fee = W(300000);
	memset(&plan, 0, sizeof(plan));
	plan.dims = dims;
	plan.ndims = 3;
	plan.credits = credits_std;
	plan.ncredits = 3;
	assert_int_equal(rating_validate(&plan, NULL, 0), 0);

	for (i = 0; i < 3; i++) {
		assert_int_equal(rating_price(&dims[i], qty(q[i]), &period,
		    &res), MONEY_OK);
		assert_int_equal(money_round_exact(res.amount,
		    MONEY_ROUND_HALF_UP, &usage[i]), MONEY_OK);
	}
	assert_true(usage[0] == 7020);		/* 100 x 50 + 50.5 x 40 */
	assert_true(usage[1] == 12346);		/* 12,346.2345 */
	assert_true(usage[2] == 150000);	/* half of 300,000 */

	assert_int_equal(rating_sla_share(&plan, qty("99.2"), &share),
	    MONEY_OK);
	memset(&in, 0, sizeof(in));
	in.usage_won = usage;
	in.nusage = 3;
	in.sla_share = share;
	in.rounding = MONEY_ROUND_HALF_UP;
	in.remaining_won = 1000000;
	assert_int_equal(rating_invoice(&in, lines, sizeof(lines) /
	    sizeof(lines[0]), &inv), MONEY_OK);
	assert_true(inv.charge_won == 169366);
	assert_true(inv.sla_credit_won == -16937);	/* 16,936.6 */
	assert_true(inv.supply_won == 152429);
	assert_true(inv.vat_won == 15242);
	assert_true(inv.total_won == 167671);
	assert_int_equal(inv.nlines, 4);
}

#define NPRICE	(sizeof(price_rows) / sizeof(price_rows[0]))

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_breakdown_graduated),
		cmocka_unit_test(test_breakdown_volume),
		cmocka_unit_test(test_breakdown_charge_at_zero),
		cmocka_unit_test(test_charge_at_zero_without_flat),
		cmocka_unit_test(test_breakdown_package),
		cmocka_unit_test(test_package_decimal_size),
		cmocka_unit_test(test_flat_proration),
		cmocka_unit_test(test_flat_proration_half),
		cmocka_unit_test(test_flat_no_days),
		cmocka_unit_test(test_period_invalid),
		cmocka_unit_test(test_period_ignored_by_usage),
		cmocka_unit_test(test_rounding_probe),
		cmocka_unit_test(test_overflow_per_unit),
		cmocka_unit_test(test_overflow_package),
		cmocka_unit_test(test_overflow_tier_sum),
		cmocka_unit_test(test_flat_huge_fee),
		cmocka_unit_test(test_price_bad_input),
		cmocka_unit_test(test_validate_examples_ok),
		cmocka_unit_test(test_validate_up_to_order),
		cmocka_unit_test(test_validate_last_not_open),
		cmocka_unit_test(test_validate_open_not_last),
		cmocka_unit_test(test_validate_first_up_to),
		cmocka_unit_test(test_validate_negative_prices),
		cmocka_unit_test(test_validate_tier_counts),
		cmocka_unit_test(test_validate_single_open_tier),
		cmocka_unit_test(test_validate_package),
		cmocka_unit_test(test_validate_unused_fields),
		cmocka_unit_test(test_validate_negative_scalars),
		cmocka_unit_test(test_validate_enums),
		cmocka_unit_test(test_validate_codes),
		cmocka_unit_test(test_validate_plan_dimensions),
		cmocka_unit_test(test_validate_duplicate_codes),
		cmocka_unit_test(test_validate_errors_in_order_and_counted),
		cmocka_unit_test(test_validate_credits),
		cmocka_unit_test(test_error_messages_complete),
		cmocka_unit_test(test_error_format_bad),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sla_share),
		cmocka_unit_test(test_sla_share_bad),
		cmocka_unit_test(test_invoice_cap_example),
		cmocka_unit_test(test_invoice_vat_example),
		cmocka_unit_test(test_invoice_cap_boundary),
		cmocka_unit_test(test_invoice_sla_credit),
		cmocka_unit_test(test_invoice_sla_credit_rounding),
		cmocka_unit_test(test_invoice_credit_before_cap),
		cmocka_unit_test(test_invoice_adjustments),
		cmocka_unit_test(test_invoice_adjustment_capped),
		cmocka_unit_test(test_invoice_negative_supply),
		cmocka_unit_test(test_invoice_zero_lines_kept),
		cmocka_unit_test(test_invoice_bad_input),
		cmocka_unit_test(test_invoice_overflow),
		cmocka_unit_test(test_invoice_whole_month),
	};
	static char		names[NPRICE][96];
	struct CMUnitTest	tests[sizeof(fixed) / sizeof(fixed[0]) +
				    NPRICE];
	size_t			i, n;

	/* One test per worked-example row, named after plan and quantity. */
	n = 0;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		tests[n++] = fixed[i];
	for (i = 0; i < NPRICE; i++) {
		snprintf(names[i], sizeof(names[i]), "%s: %s -> %s",
		    price_rows[i].plan, price_rows[i].qty, price_rows[i].exact);
		tests[n].name = names[i];
		tests[n].test_func = test_price_row;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n++].initial_state = (void *)&price_rows[i];
	}
	return (cmocka_run_group_tests_name("rating", tests, NULL, NULL));
}
