/*
 * test_money.c - unit tests for app/money.c.
 *
 * The parser gets one test per good and per bad string, from two tables,
 * so a failure names the exact input.  Rounding is probed at .5 and just
 * below it, for both signs and both rules; VAT and the ceiling cap at the
 * worked examples of the billing rules; and the cap is compared, for
 * every remaining ceiling from 0 to 100,000 won, with a brute-force
 * answer computed from the definition.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "money.h"

#define M		MONEY_MICRO
#define PICO		MONEY_PICO_PER_MICRO
#define NEG		MONEY_PARSE_NEGATIVE

struct parse_row {
	const char	*s;
	int		 flags;
	enum money_err	 err;
	int64_t		 want;		/* when err is MONEY_OK */
};

static const struct parse_row parse_rows[] = {
	/* Good. */
	{ "0", 0, MONEY_OK, 0 },
	{ "12", 0, MONEY_OK, 12 * M },
	{ "0.5", 0, MONEY_OK, 500000 },
	{ "1234.000001", 0, MONEY_OK, 1234 * M + 1 },
	{ "0.000001", 0, MONEY_OK, 1 },
	{ "1.50", 0, MONEY_OK, 1500000 },
	{ "1.000000", 0, MONEY_OK, M },
	{ "0.0", 0, MONEY_OK, 0 },
	{ "100", 0, MONEY_OK, 100 * M },
	{ "10.1", 0, MONEY_OK, 10100000 },
	{ "9223372036854.775807", 0, MONEY_OK, INT64_MAX },
	{ "-1.5", NEG, MONEY_OK, -1500000 },
	{ "-0", NEG, MONEY_OK, 0 },
	{ "-0.000001", NEG, MONEY_OK, -1 },
	{ "-9223372036854.775807", NEG, MONEY_OK, -INT64_MAX },
	{ "7", NEG, MONEY_OK, 7 * M },
	/* Malformed. */
	{ "", 0, MONEY_EINVAL, 0 },
	{ "-", 0, MONEY_EINVAL, 0 },
	{ "-", NEG, MONEY_EINVAL, 0 },
	{ "1e5", 0, MONEY_EINVAL, 0 },
	{ "1E5", 0, MONEY_EINVAL, 0 },
	{ "1.2.3", 0, MONEY_EINVAL, 0 },
	{ " 1", 0, MONEY_EINVAL, 0 },
	{ "1 ", 0, MONEY_EINVAL, 0 },
	{ "1\n", 0, MONEY_EINVAL, 0 },
	{ "+1", 0, MONEY_EINVAL, 0 },
	{ "+1", NEG, MONEY_EINVAL, 0 },
	{ "NaN", 0, MONEY_EINVAL, 0 },
	{ "nan", 0, MONEY_EINVAL, 0 },
	{ "inf", 0, MONEY_EINVAL, 0 },
	{ "Infinity", 0, MONEY_EINVAL, 0 },
	{ "-inf", NEG, MONEY_EINVAL, 0 },
	{ "01", 0, MONEY_EINVAL, 0 },
	{ "00", 0, MONEY_EINVAL, 0 },
	{ "00.5", 0, MONEY_EINVAL, 0 },
	{ "-01", NEG, MONEY_EINVAL, 0 },
	{ ".5", 0, MONEY_EINVAL, 0 },
	{ "5.", 0, MONEY_EINVAL, 0 },
	{ ".", 0, MONEY_EINVAL, 0 },
	{ "-.5", NEG, MONEY_EINVAL, 0 },
	{ "1.-5", NEG, MONEY_EINVAL, 0 },
	{ "--1", NEG, MONEY_EINVAL, 0 },
	{ "1,000", 0, MONEY_EINVAL, 0 },
	{ "1_000", 0, MONEY_EINVAL, 0 },
	{ "0x10", 0, MONEY_EINVAL, 0 },
	{ "1.5e", 0, MONEY_EINVAL, 0 },
	{ "\xd9\xa1", 0, MONEY_EINVAL, 0 },	/* Arabic-Indic one */
	{ "１", 0, MONEY_EINVAL, 0 },		/* full-width one */
	{ "12abc", 0, MONEY_EINVAL, 0 },
	/* Sign not allowed. */
	{ "-1", 0, MONEY_ENEGATIVE, 0 },
	{ "-0", 0, MONEY_ENEGATIVE, 0 },
	{ "-0.5", 0, MONEY_ENEGATIVE, 0 },
	/* Too precise. */
	{ "1.0000001", 0, MONEY_EPRECISION, 0 },
	{ "0.0000001", 0, MONEY_EPRECISION, 0 },
	{ "1.0000000", 0, MONEY_EPRECISION, 0 },
	{ "-0.1234567", NEG, MONEY_EPRECISION, 0 },
	/* Too large. */
	{ "9223372036854.775808", 0, MONEY_EOVERFLOW, 0 },
	{ "9223372036855", 0, MONEY_EOVERFLOW, 0 },
	{ "-9223372036854.775808", NEG, MONEY_EOVERFLOW, 0 },
	{ "99999999999999999999", 0, MONEY_EOVERFLOW, 0 },
	{ "18446744073709551616", 0, MONEY_EOVERFLOW, 0 },
	{ "340282366920938463463374607431768211456", 0, MONEY_EOVERFLOW, 0 },
};

static const struct parse_row parse_won_rows[] = {
	{ "0", 0, MONEY_OK, 0 },
	{ "1234567", 0, MONEY_OK, 1234567 },
	{ "999999999999999", 0, MONEY_OK, MONEY_WON_MAX },
	{ "-5", NEG, MONEY_OK, -5 },
	{ "-999999999999999", NEG, MONEY_OK, -MONEY_WON_MAX },
	{ "1000000000000000", 0, MONEY_EOVERFLOW, 0 },
	{ "-1000000000000000", NEG, MONEY_EOVERFLOW, 0 },
	{ "1.0", 0, MONEY_EPRECISION, 0 },
	{ "1.5", 0, MONEY_EPRECISION, 0 },
	{ "1,000", 0, MONEY_EINVAL, 0 },
	{ "", 0, MONEY_EINVAL, 0 },
	{ "1.", 0, MONEY_EINVAL, 0 },
	{ "-5", 0, MONEY_ENEGATIVE, 0 },
	{ "007", 0, MONEY_EINVAL, 0 },
};

/* Test names show the input; control bytes would garble the report. */
static void
name_clean(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20)
			*s = '?';
}

static void
test_parse_row(void **state)
{
	const struct parse_row	*r = *state;
	int64_t			 v = 424242;

	assert_int_equal(money_parse(r->s, r->flags, &v), r->err);
	if (r->err == MONEY_OK)
		assert_true(v == r->want);
	else
		assert_true(v == 424242);	/* untouched on error */
}

static void
test_parse_won_row(void **state)
{
	const struct parse_row	*r = *state;
	int64_t			 v = 424242;

	assert_int_equal(money_parse_won(r->s, r->flags, &v), r->err);
	if (r->err == MONEY_OK)
		assert_true(v == r->want);
	else
		assert_true(v == 424242);
}

static void
test_parse_null(void **state)
{
	int64_t	v = 1;

	(void)state;
	assert_int_equal(money_parse(NULL, 0, &v), MONEY_EINVAL);
	assert_int_equal(money_parse_won(NULL, NEG, &v), MONEY_EINVAL);
	assert_true(v == 1);
}

static void
test_parse_long_strings(void **state)
{
	char	buf[2048];
	int64_t	v;

	(void)state;
	/* A thousand nines overflow; they never wrap into a value. */
	memset(buf, '9', 1000);
	buf[1000] = '\0';
	assert_int_equal(money_parse(buf, 0, &v), MONEY_EOVERFLOW);
	/* ...but a syntax error later in the string wins. */
	buf[999] = 'x';
	assert_int_equal(money_parse(buf, 0, &v), MONEY_EINVAL);
	/* Many zero decimals are still too many. */
	memcpy(buf, "1.", 2);
	memset(buf + 2, '0', 1000);
	buf[1002] = '\0';
	assert_int_equal(money_parse(buf, 0, &v), MONEY_EPRECISION);
}

static void
test_format_micro(void **state)
{
	static const struct {
		int64_t		 v;
		int		 flags;
		const char	*want;
	} rows[] = {
		{ 3 * M, 0, "3" },
		{ 500000, 0, "0.5" },
		{ 1, 0, "0.000001" },
		{ 0, 0, "0" },
		{ -1500000, 0, "-1.5" },
		{ -1, 0, "-0.000001" },
		{ 1234 * M + 1, 0, "1234.000001" },
		{ 10100000, 0, "10.1" },
		{ 1234567 * M, MONEY_FMT_GROUP, "1,234,567" },
		{ 1234567 * M + 500000, MONEY_FMT_GROUP, "1,234,567.5" },
		{ -1234 * M, MONEY_FMT_GROUP, "-1,234" },
		{ INT64_MAX, 0, "9223372036854.775807" },
		{ INT64_MIN, 0, "-9223372036854.775808" },
		{ INT64_MAX, MONEY_FMT_GROUP, "9,223,372,036,854.775807" },
	};
	char	buf[MONEY_FMT_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(money_format_micro(rows[i].v, rows[i].flags,
		    buf, sizeof(buf)), MONEY_OK);
		assert_string_equal(buf, rows[i].want);
	}
}

static void
test_format_won(void **state)
{
	static const struct {
		int64_t		 v;
		int		 flags;
		const char	*want;
	} rows[] = {
		{ 1234567, MONEY_FMT_GROUP, "1,234,567" },
		{ 1234567, 0, "1234567" },
		{ 0, MONEY_FMT_GROUP, "0" },
		{ 999, MONEY_FMT_GROUP, "999" },
		{ 1000, MONEY_FMT_GROUP, "1,000" },
		{ 100000, MONEY_FMT_GROUP, "100,000" },
		{ 1358023, MONEY_FMT_GROUP, "1,358,023" },
		{ -200000, MONEY_FMT_GROUP, "-200,000" },
		{ -1, MONEY_FMT_GROUP, "-1" },
		{ MONEY_WON_MAX, MONEY_FMT_GROUP, "999,999,999,999,999" },
		{ INT64_MIN, MONEY_FMT_GROUP, "-9,223,372,036,854,775,808" },
	};
	char	buf[MONEY_FMT_MAX];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(money_format_won(rows[i].v, rows[i].flags,
		    buf, sizeof(buf)), MONEY_OK);
		assert_string_equal(buf, rows[i].want);
	}
}

static void
test_format_exact(void **state)
{
	char		buf[MONEY_FMT_MAX];
	money_exact	big;

	(void)state;
	assert_int_equal(money_format_exact((money_exact)1575 * 100000000000LL,
	    0, buf, sizeof(buf)), MONEY_OK);
	assert_string_equal(buf, "157.5");
	assert_int_equal(money_format_exact(1, 0, buf, sizeof(buf)), MONEY_OK);
	assert_string_equal(buf, "0.000000000001");
	assert_int_equal(money_format_exact(-1, 0, buf, sizeof(buf)), MONEY_OK);
	assert_string_equal(buf, "-0.000000000001");
	assert_int_equal(money_format_exact(MONEY_EXACT_MAX, MONEY_FMT_GROUP,
	    buf, sizeof(buf)), MONEY_OK);
	assert_string_equal(buf, "999,999,999,999,999");
	assert_int_equal(money_format_exact((money_exact)1234 *
	    MONEY_EXACT_PER_WON + 500000000000LL, MONEY_FMT_GROUP, buf,
	    sizeof(buf)), MONEY_OK);
	assert_string_equal(buf, "1,234.5");
	/* The widest values still fit MONEY_FMT_MAX. */
	big = ((money_exact)1 << 126) - 1 + ((money_exact)1 << 126);
	assert_int_equal(money_format_exact(-big, MONEY_FMT_GROUP, buf,
	    sizeof(buf)), MONEY_OK);
	assert_string_equal(buf,
	    "-170,141,183,460,469,231,731,687,303.715884105727");
}

static void
test_format_small_buffer(void **state)
{
	char	buf[8];

	(void)state;
	/* "1,234,567" needs 10 bytes. */
	assert_int_equal(money_format_won(1234567, MONEY_FMT_GROUP, buf,
	    sizeof(buf)), MONEY_EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(money_format_won(1234567, 0, buf, sizeof(buf)),
	    MONEY_OK);
	assert_string_equal(buf, "1234567");	/* exactly 8 with the NUL */
	assert_int_equal(money_format_won(12345678, 0, buf, sizeof(buf)),
	    MONEY_EINVAL);
	assert_int_equal(money_format_won(1, 0, NULL, 10), MONEY_EINVAL);
	assert_int_equal(money_format_won(1, 0, buf, 0), MONEY_EINVAL);
}

static void
test_format_parse_roundtrip(void **state)
{
	char		buf[MONEY_FMT_MAX];
	uint64_t	x;
	int64_t		v, back;
	int		i;

	(void)state;
	/* A fixed LCG: the same values on every run. */
	x = 88172645463325252ULL;
	for (i = 0; i < 20000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		v = (int64_t)(x >> (i % 60));
		if (i & 1)
			v = -v;
		if (v == INT64_MIN)
			v = 0;
		assert_int_equal(money_format_micro(v, 0, buf, sizeof(buf)),
		    MONEY_OK);
		assert_int_equal(money_parse(buf, NEG, &back), MONEY_OK);
		assert_true(back == v);
	}
}

static void
test_round_half_up(void **state)
{
	static const struct {
		int64_t	micro;
		int64_t	want;
	} rows[] = {
		{ 2500000, 3 }, { 2499999, 2 }, { 2500001, 3 },
		{ 500000, 1 }, { 499999, 0 }, { 0, 0 }, { 3 * M, 3 },
		{ -2500000, -3 }, { -2499999, -2 }, { -500000, -1 },
		{ -499999, 0 }, { -3 * M, -3 }, { 1, 0 }, { -1, 0 },
		{ 1574999999, 1575 }, { 157500000, 158 },
	};
	int64_t	won;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(money_round_exact((money_exact)rows[i].micro *
		    PICO, MONEY_ROUND_HALF_UP, &won), MONEY_OK);
		assert_true(won == rows[i].want);
	}
}

static void
test_round_down(void **state)
{
	static const struct {
		int64_t	micro;
		int64_t	want;
	} rows[] = {
		{ 2500000, 2 }, { 2999999, 2 }, { 2499999, 2 }, { 3 * M, 3 },
		{ 999999, 0 }, { 0, 0 }, { -2500000, -2 }, { -2999999, -2 },
		{ -3 * M, -3 }, { -999999, 0 },
	};
	int64_t	won;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(money_round_exact((money_exact)rows[i].micro *
		    PICO, MONEY_ROUND_DOWN, &won), MONEY_OK);
		assert_true(won == rows[i].want);
	}
}

static void
test_round_pico_edges(void **state)
{
	money_exact	half = MONEY_EXACT_PER_WON / 2;
	int64_t		won;

	(void)state;
	/* 0.499999999999 and 0.5 exactly, in 10^-12 won. */
	assert_int_equal(money_round_exact(half - 1, MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == 0);
	assert_int_equal(money_round_exact(half, MONEY_ROUND_HALF_UP, &won),
	    MONEY_OK);
	assert_true(won == 1);
	assert_int_equal(money_round_exact(-half, MONEY_ROUND_HALF_UP, &won),
	    MONEY_OK);
	assert_true(won == -1);
	assert_int_equal(money_round_exact(-(half - 1), MONEY_ROUND_HALF_UP,
	    &won), MONEY_OK);
	assert_true(won == 0);
	assert_int_equal(money_round_exact(MONEY_EXACT_PER_WON - 1,
	    MONEY_ROUND_DOWN, &won), MONEY_OK);
	assert_true(won == 0);
}

static void
test_round_symmetric(void **state)
{
	int64_t	a, b, micro;
	int	mode;

	(void)state;
	for (mode = 0; mode < MONEY_ROUND__MAX; mode++) {
		for (micro = 0; micro < 5 * M; micro += 1237) {
			assert_int_equal(money_round_exact((money_exact)micro *
			    PICO, mode, &a), MONEY_OK);
			assert_int_equal(money_round_exact(-(money_exact)micro *
			    PICO, mode, &b), MONEY_OK);
			assert_true(a == -b);
		}
	}
}

static void
test_round_limits(void **state)
{
	int64_t	won = 7;

	(void)state;
	assert_int_equal(money_round_exact(MONEY_EXACT_MAX,
	    MONEY_ROUND_HALF_UP, &won), MONEY_OK);
	assert_true(won == MONEY_WON_MAX);
	assert_int_equal(money_round_exact(-MONEY_EXACT_MAX, MONEY_ROUND_DOWN,
	    &won), MONEY_OK);
	assert_true(won == -MONEY_WON_MAX);
	won = 7;
	assert_int_equal(money_round_exact(MONEY_EXACT_MAX + 1,
	    MONEY_ROUND_HALF_UP, &won), MONEY_EOVERFLOW);
	assert_int_equal(money_round_exact(-MONEY_EXACT_MAX - 1,
	    MONEY_ROUND_DOWN, &won), MONEY_EOVERFLOW);
	assert_int_equal(money_round_exact(0, MONEY_ROUND__MAX, &won),
	    MONEY_EINVAL);
	assert_int_equal(money_round_exact(0, (enum money_rounding)-1, &won),
	    MONEY_EINVAL);
	assert_true(won == 7);
}

static void
test_vat_example(void **state)
{
	int64_t	vat;

	(void)state;
	assert_int_equal(money_vat(1234567, &vat), MONEY_OK);
	assert_true(vat == 123456);
	assert_true(1234567 + vat == 1358023);
	assert_int_equal(money_vat(300000, &vat), MONEY_OK);
	assert_true(vat == 30000);
}

static void
test_vat_small_and_negative(void **state)
{
	static const struct {
		int64_t	supply;
		int64_t	vat;
	} rows[] = {
		{ 0, 0 }, { 1, 0 }, { 9, 0 }, { 10, 1 }, { 19, 1 }, { 20, 2 },
		{ -9, 0 }, { -10, -1 }, { -19, -1 }, { -1234567, -123456 },
		{ MONEY_WON_MAX, 99999999999999LL },
		{ -MONEY_WON_MAX, -99999999999999LL },
	};
	int64_t	vat;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(money_vat(rows[i].supply, &vat), MONEY_OK);
		assert_true(vat == rows[i].vat);
	}
}

static void
test_vat_mirrors(void **state)
{
	int64_t	s, a, b;

	(void)state;
	for (s = 0; s < 100000; s += 7) {
		assert_int_equal(money_vat(s, &a), MONEY_OK);
		assert_int_equal(money_vat(-s, &b), MONEY_OK);
		assert_true(a == s * 10 / 100 && b == -a);
	}
}

static void
test_vat_overflow(void **state)
{
	int64_t	vat = 5;

	(void)state;
	assert_int_equal(money_vat(MONEY_WON_MAX + 1, &vat), MONEY_EOVERFLOW);
	assert_int_equal(money_vat(-MONEY_WON_MAX - 1, &vat), MONEY_EOVERFLOW);
	assert_int_equal(money_vat(INT64_MAX, &vat), MONEY_EOVERFLOW);
	assert_int_equal(money_vat(INT64_MIN, &vat), MONEY_EOVERFLOW);
	assert_true(vat == 5);
}

static void
test_cap_example(void **state)
{
	int64_t	s;

	(void)state;
	/* Ceiling 1,100,000 with 770,000 invoiced leaves 330,000. */
	assert_int_equal(money_cap_supply(1100000 - 770000, &s), MONEY_OK);
	assert_true(s == 300000);
	assert_true(500000 - s == 200000);
}

static void
test_cap_small(void **state)
{
	static const struct {
		int64_t	remaining;
		int64_t	supply;
	} rows[] = {
		{ 0, 0 }, { 1, 1 }, { 9, 9 }, { 10, 9 }, { 11, 10 },
		{ 12, 11 }, { 20, 19 }, { 21, 19 }, { 22, 20 }, { 110, 100 },
		{ 109, 99 }, { 1358023, 1234567 },
	};
	int64_t	s;
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(money_cap_supply(rows[i].remaining, &s),
		    MONEY_OK);
		assert_true(s == rows[i].supply);
	}
}

/*
 * Brute force from the definition: for every S, f(S) = S + floor(S/10)
 * computed independently; best[R] is the largest S with f(S) <= R.
 */
static void
test_cap_brute_force(void **state)
{
	enum { N = 100000 };
	static int64_t	best[N + 1];
	int64_t		r, s, f, got, vat;

	(void)state;
	for (r = 0; r <= N; r++)
		best[r] = -1;
	for (s = 0; s <= N; s++) {
		f = s + (s * 10) / 100;
		if (f <= N && s > best[f])
			best[f] = s;
	}
	for (r = 1; r <= N; r++) {
		if (best[r - 1] > best[r])
			best[r] = best[r - 1];
	}
	for (r = 0; r <= N; r++) {
		assert_int_equal(money_cap_supply(r, &got), MONEY_OK);
		assert_true(got == best[r]);
		assert_int_equal(money_vat(got, &vat), MONEY_OK);
		assert_true(got + vat <= r);
		assert_int_equal(money_vat(got + 1, &vat), MONEY_OK);
		assert_true(got + 1 + vat > r);
	}
}

static void
test_cap_limits(void **state)
{
	int64_t	s = 3, vat;

	(void)state;
	assert_int_equal(money_cap_supply(-1, &s), MONEY_EINVAL);
	assert_int_equal(money_cap_supply(MONEY_WON_MAX + 1, &s),
	    MONEY_EOVERFLOW);
	assert_true(s == 3);
	assert_int_equal(money_cap_supply(MONEY_WON_MAX, &s), MONEY_OK);
	assert_int_equal(money_vat(s, &vat), MONEY_OK);
	assert_true(s + vat <= MONEY_WON_MAX);
	assert_int_equal(money_vat(s + 1, &vat), MONEY_OK);
	assert_true(s + 1 + vat > MONEY_WON_MAX);
}

static void
test_names(void **state)
{
	enum money_rounding	r;
	int			i;

	(void)state;
	assert_string_equal(money_rounding_name(MONEY_ROUND_HALF_UP),
	    "half_up");
	assert_string_equal(money_rounding_name(MONEY_ROUND_DOWN), "down");
	assert_null(money_rounding_name(MONEY_ROUND__MAX));
	for (i = 0; i < MONEY_ROUND__MAX; i++) {
		assert_int_equal(money_rounding_from_name(
		    money_rounding_name(i), &r), MONEY_OK);
		assert_int_equal(r, i);
	}
	r = MONEY_ROUND_DOWN;
	assert_int_equal(money_rounding_from_name("HALF_UP", &r),
	    MONEY_EINVAL);
	assert_int_equal(money_rounding_from_name("", &r), MONEY_EINVAL);
	assert_int_equal(money_rounding_from_name(NULL, &r), MONEY_EINVAL);
	assert_int_equal(r, MONEY_ROUND_DOWN);
	assert_string_equal(money_err_name(MONEY_OK), "ok");
	assert_string_equal(money_err_name(MONEY_EOVERFLOW), "overflow");
	assert_string_equal(money_err_name(MONEY_ERR__MAX), "unknown");
	for (i = 0; i < MONEY_ERR__MAX; i++)
		assert_string_not_equal(money_err_name(i), "unknown");
}

#define NPARSE	(sizeof(parse_rows) / sizeof(parse_rows[0]))
#define NWON	(sizeof(parse_won_rows) / sizeof(parse_won_rows[0]))

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_parse_null),
		cmocka_unit_test(test_parse_long_strings),
		cmocka_unit_test(test_format_micro),
		cmocka_unit_test(test_format_won),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_format_small_buffer),
		cmocka_unit_test(test_format_parse_roundtrip),
		cmocka_unit_test(test_round_half_up),
		cmocka_unit_test(test_round_down),
		cmocka_unit_test(test_round_pico_edges),
		cmocka_unit_test(test_round_symmetric),
		cmocka_unit_test(test_round_limits),
		cmocka_unit_test(test_vat_example),
		cmocka_unit_test(test_vat_small_and_negative),
		cmocka_unit_test(test_vat_mirrors),
		cmocka_unit_test(test_vat_overflow),
		cmocka_unit_test(test_cap_example),
		cmocka_unit_test(test_cap_small),
		cmocka_unit_test(test_cap_brute_force),
		cmocka_unit_test(test_cap_limits),
		cmocka_unit_test(test_names),
	};
	static char		names[NPARSE + NWON][96];
	struct CMUnitTest	tests[sizeof(fixed) / sizeof(fixed[0]) +
				    NPARSE + NWON];
	size_t			i, n;

	/* One test per table row, named after its input. */
	n = 0;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		tests[n++] = fixed[i];
	for (i = 0; i < NPARSE; i++) {
		snprintf(names[i], sizeof(names[i]), "parse \"%s\"%s -> %s",
		    parse_rows[i].s, parse_rows[i].flags ? " (neg ok)" : "",
		    money_err_name(parse_rows[i].err));
		name_clean(names[i]);
		tests[n].name = names[i];
		tests[n].test_func = test_parse_row;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n++].initial_state = (void *)&parse_rows[i];
	}
	for (i = 0; i < NWON; i++) {
		snprintf(names[NPARSE + i], sizeof(names[0]),
		    "parse_won \"%s\"%s -> %s", parse_won_rows[i].s,
		    parse_won_rows[i].flags ? " (neg ok)" : "",
		    money_err_name(parse_won_rows[i].err));
		name_clean(names[NPARSE + i]);
		tests[n].name = names[NPARSE + i];
		tests[n].test_func = test_parse_won_row;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n++].initial_state = (void *)&parse_won_rows[i];
	}
	return (cmocka_run_group_tests_name("money", tests, NULL, NULL));
}
