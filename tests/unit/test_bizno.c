/*
 * test_bizno.c - unit tests for app/bizno.c.
 *
 * Valid numbers were computed by hand with the NTS algorithm (220-81-62517,
 * the example most often cited, checks out: 2+6+0+8+3+42+2+15+5 = 83,
 * floor(1*5/10) = 0, (10 - 3) % 10 = 7).  Bad inputs come from one table
 * per error so a failure names the input.  The claim that the check digit
 * catches every single-digit error is tested both on every mutation of
 * the known numbers and on the algorithm itself, position by position;
 * the claim that it does not catch every transposition is tested too, so
 * the header stays honest.  An oracle written from the formula in the
 * brief, not from bizno.c, checks a million random prefixes.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bizno.h"

/* Independent oracle: digits as ints, the formula as written in the brief. */
static int
oracle(const int d[9])
{
	static const int	w[9] = { 1, 3, 7, 1, 3, 7, 1, 3, 5 };
	int			i, s = 0;

	for (i = 0; i < 9; i++)
		s += d[i] * w[i];
	s += (d[8] * 5) / 10;
	return ((10 - s % 10) % 10);
}

struct good_row {
	const char	*in;
	const char	*want;
};

static const struct good_row good_rows[] = {
	{ "220-81-62517", "220-81-62517" },
	{ "2208162517", "220-81-62517" },
	{ "101-81-00001", "101-81-00001" },
	{ "1018100001", "101-81-00001" },
	{ "123-45-67891", "123-45-67891" },	/* 165 + 4 = 169 -> 1 */
	{ "1234567891", "123-45-67891" },
	{ "214-87-00518", "214-87-00518" },
	{ "999-99-99997", "999-99-99997" },	/* 9 * 31 + 4 = 283 -> 7 */
	{ "106-81-01233", "106-81-01233" },
	{ "1208123456", "120-81-23456" },
	{ "000-00-00000", "000-00-00000" },	/* passes: checksum only */
	{ "0000000000", "000-00-00000" },
};

static const char *const format_rows[] = {
	"",
	"1",
	"220816251",			/* nine digits */
	"22081625170",			/* eleven */
	"220-81-6251",
	"220-81-625170",
	"220-81-62517-",
	"-220-81-62517",
	"220-816-2517",
	"22-081-62517",
	"2208-1-62517",
	"220-8162517",
	"22081-62517",
	"220--8162517",
	"220-81--2517",
	"22-0816-2517",
	"2208162-517",
	"220 81 62517",
	"220.81.62517",
	"220/81/62517",
	"220_81_62517",
	"220+81+62517",
	" 2208162517",
	"2208162517 ",
	" 220-81-62517",
	"220-81-62517 ",
	"220-81-62517\n",
	"\t2208162517",
	"2208162517\r",
	"220\xe2\x80\x93" "81\xe2\x80\x93" "62517",	/* en dash */
	"220\xe2\x88\x92" "81\xe2\x88\x92" "62517",	/* minus sign */
	"220\xef\xbc\x8d" "81\xef\xbc\x8d" "62517",	/* full-width hyphen */
	"\xef\xbc\x92\xef\xbc\x92\xef\xbc\x90\xef\xbc\x98\xef\xbc\x91"
	    "\xef\xbc\x96\xef\xbc\x92\xef\xbc\x95\xef\xbc\x91\xef\xbc\x97",
	"\xd9\xa2\xd9\xa2\xd9\xa0\xd9\xa8\xd9\xa1\xd9\xa6\xd9\xa2\xd9\xa5"
	    "\xd9\xa1\xd9\xa7",			/* Arabic-Indic digits */
	"22O8162517",			/* letter O */
	"22o8162517",
	"220816251l",			/* letter l */
	"abcdefghij",
	"abc-de-fghij",
	"+220816251",
	"-220816251",
	"220816251.",
	"0x20816251",
	"220,81,62517",
	"220-81-6251\xff",
	"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6",
	"220-81-6251%37",
	"2208162517\x7f",
	"22081\x80" "62517",
	"------------",
	"1234567890-",
	"123-45-6789a",
	"a23-45-67890",
	"사업자등록번호",
	"220-81-62517220-81-62517",
};

static const char *const check_rows[] = {
	"220-81-62510",
	"220-81-62518",
	"2208162516",
	"220-81-62527",			/* one digit changed */
	"120-81-62517",
	"220-18-62517",			/* 81 -> 18: weights 1,7 differ by 6 */
	"123-45-67890",
	"1234567890",
	"111-11-11111",
	"999-99-99999",
	"000-00-00001",
};

static void
test_good(void **state)
{
	char	out[BIZNO_BUFSZ];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(good_rows) / sizeof(good_rows[0]); i++) {
		memset(out, 'X', sizeof(out));
		if (bizno_parse(good_rows[i].in, out) != BIZNO_OK)
			fail_msg("rejected \"%s\"", good_rows[i].in);
		assert_string_equal(out, good_rows[i].want);
		/* The canonical form parses to itself. */
		assert_int_equal(bizno_parse(out, out), BIZNO_OK);
		assert_string_equal(out, good_rows[i].want);
		/* out may be NULL. */
		assert_int_equal(bizno_parse(good_rows[i].in, NULL), BIZNO_OK);
	}
}

static void
test_format(void **state)
{
	char	out[BIZNO_BUFSZ];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(format_rows) / sizeof(format_rows[0]); i++) {
		memset(out, 'X', sizeof(out));
		if (bizno_parse(format_rows[i], out) != BIZNO_EFORMAT)
			fail_msg("row %zu: \"%s\" is not EFORMAT", i,
			    format_rows[i]);
		/* out is not touched on failure. */
		assert_memory_equal(out, "XXXXXXXXXXXXX", sizeof(out));
	}
	assert_int_equal(bizno_parse(NULL, out), BIZNO_EFORMAT);
	assert_int_equal(bizno_parse(NULL, NULL), BIZNO_EFORMAT);
}

static void
test_check(void **state)
{
	char	out[BIZNO_BUFSZ];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(check_rows) / sizeof(check_rows[0]); i++) {
		memset(out, 'X', sizeof(out));
		if (bizno_parse(check_rows[i], out) != BIZNO_ECHECK)
			fail_msg("\"%s\" is not ECHECK", check_rows[i]);
		assert_memory_equal(out, "XXXXXXXXXXXXX", sizeof(out));
	}
}

/* A megabyte of digits: refused as a format error, without a crash. */
static void
test_huge(void **state)
{
	char	*s;
	size_t	 n = 1 << 20;

	(void)state;
	s = malloc(n + 1);
	assert_non_null(s);
	memset(s, '1', n);
	s[n] = '\0';
	assert_int_equal(bizno_parse(s, NULL), BIZNO_EFORMAT);
	/* Thirteen bytes is one too many even in the hyphen layout. */
	memcpy(s, "220-81-62517", BIZNO_LEN);
	s[BIZNO_LEN + 1] = '\0';
	assert_int_equal(bizno_parse(s, NULL), BIZNO_EFORMAT);
	s[BIZNO_LEN] = '\0';
	assert_int_equal(bizno_parse(s, NULL), BIZNO_OK);
	free(s);
}

/*
 * Every single-digit change of every good number, in both layouts, is
 * caught, and caught as ECHECK (the shape is still right).
 */
static void
test_single_digit_mutations(void **state)
{
	char	s[BIZNO_BUFSZ];
	size_t	i, p;
	char	c;

	(void)state;
	for (i = 0; i < sizeof(good_rows) / sizeof(good_rows[0]); i++) {
		for (p = 0; good_rows[i].in[p] != '\0'; p++) {
			if (good_rows[i].in[p] == '-')
				continue;
			for (c = '0'; c <= '9'; c++) {
				if (c == good_rows[i].in[p])
					continue;
				strcpy(s, good_rows[i].in);
				s[p] = c;
				if (bizno_parse(s, NULL) != BIZNO_ECHECK)
					fail_msg("mutation \"%s\" of \"%s\" "
					    "accepted", s, good_rows[i].in);
			}
		}
	}
}

/*
 * The reason the above holds for every number, not just these: each of
 * the nine positions adds a contribution to the sum that takes ten
 * different values mod 10 as its digit goes 0..9 (weights 1, 3 and 7 are
 * prime to 10; the ninth adds 5d + floor(5d/10), which is 0,5,1,6,2,7,3,
 * 8,4,9 mod 10), so changing one digit always changes the check digit.
 */
static void
test_single_digit_proof(void **state)
{
	static const int	w[9] = { 1, 3, 7, 1, 3, 7, 1, 3, 5 };
	int			p, a, b, ca, cb;

	(void)state;
	for (p = 0; p < 9; p++) {
		for (a = 0; a < 10; a++) {
			for (b = 0; b < 10; b++) {
				if (a == b)
					continue;
				ca = a * w[p] + (p == 8 ? a * 5 / 10 : 0);
				cb = b * w[p] + (p == 8 ? b * 5 / 10 : 0);
				assert_int_not_equal(ca % 10, cb % 10);
			}
		}
	}
}

/* Random valid numbers: every single-digit change is still caught. */
static void
test_single_digit_random(void **state)
{
	char	s[BIZNO_DIGITS + 1], t[BIZNO_DIGITS + 1];
	int	d[9];
	int	n, p, k;
	char	c;

	(void)state;
	srand(20240501);
	for (n = 0; n < 20000; n++) {
		for (k = 0; k < 9; k++) {
			d[k] = rand() % 10;
			s[k] = (char)('0' + d[k]);
		}
		s[9] = (char)('0' + oracle(d));
		s[10] = '\0';
		assert_int_equal(bizno_parse(s, NULL), BIZNO_OK);
		for (p = 0; p < BIZNO_DIGITS; p++) {
			for (c = '0'; c <= '9'; c++) {
				if (c == s[p])
					continue;
				memcpy(t, s, sizeof(t));
				t[p] = c;
				assert_int_equal(bizno_parse(t, NULL),
				    BIZNO_ECHECK);
			}
		}
	}
}

/*
 * Transpositions are not all caught: swapping the first two digits when
 * they differ by 5 changes the sum by 2 * 5 = 10.  Asserted so nobody
 * documents the opposite.
 */
static void
test_transposition_not_always_caught(void **state)
{
	char	s[BIZNO_DIGITS + 1];
	int	d[9] = { 1, 6, 0, 8, 1, 6, 2, 5, 1 };
	int	a, k;

	(void)state;
	for (a = 0; a < 5; a++) {
		d[0] = a;
		d[1] = a + 5;
		for (k = 0; k < 9; k++)
			s[k] = (char)('0' + d[k]);
		s[9] = (char)('0' + oracle(d));
		s[10] = '\0';
		assert_int_equal(bizno_parse(s, NULL), BIZNO_OK);
		s[0] = (char)('0' + a + 5);
		s[1] = (char)('0' + a);
		assert_int_equal(bizno_parse(s, NULL), BIZNO_OK);
	}
	/* A swap of digits that do not differ by 5 there is caught. */
	assert_int_equal(bizno_parse("2208162517", NULL), BIZNO_OK);
	assert_int_equal(bizno_parse("2028162517", NULL), BIZNO_ECHECK);
}

static void
test_check_digit(void **state)
{
	char	s[10];
	int	d[9];
	int	n, k;

	(void)state;
	assert_int_equal(bizno_check_digit("220816251"), 7);
	assert_int_equal(bizno_check_digit("2208162517"), 7);
	assert_int_equal(bizno_check_digit("123456789"), 1);
	assert_int_equal(bizno_check_digit("999999999"), 7);
	assert_int_equal(bizno_check_digit("000000000"), 0);
	assert_int_equal(bizno_check_digit(NULL), -1);
	assert_int_equal(bizno_check_digit(""), -1);
	assert_int_equal(bizno_check_digit("22081625"), -1);
	assert_int_equal(bizno_check_digit("220-81-62"), -1);
	assert_int_equal(bizno_check_digit("22081625x"), -1);
	assert_int_equal(bizno_check_digit("x20816251"), -1);

	srand(7);
	for (n = 0; n < 1000000; n++) {
		for (k = 0; k < 9; k++) {
			d[k] = rand() % 10;
			s[k] = (char)('0' + d[k]);
		}
		s[9] = '\0';
		if (bizno_check_digit(s) != oracle(d))
			fail_msg("check digit of %s", s);
	}
}

/* Exactly one of the ten final digits is right, for every prefix tried. */
static void
test_exactly_one_check_digit(void **state)
{
	char	s[BIZNO_DIGITS + 1];
	int	n, k, ok;
	char	c;

	(void)state;
	srand(11);
	for (n = 0; n < 5000; n++) {
		for (k = 0; k < 9; k++)
			s[k] = (char)('0' + rand() % 10);
		s[10] = '\0';
		ok = 0;
		for (c = '0'; c <= '9'; c++) {
			s[9] = c;
			if (bizno_parse(s, NULL) == BIZNO_OK)
				ok++;
			else
				assert_int_equal(bizno_parse(s, NULL),
				    BIZNO_ECHECK);
		}
		assert_int_equal(ok, 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_single_digit_mutations),
		cmocka_unit_test(test_single_digit_proof),
		cmocka_unit_test(test_single_digit_random),
		cmocka_unit_test(test_transposition_not_always_caught),
		cmocka_unit_test(test_check_digit),
		cmocka_unit_test(test_exactly_one_check_digit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
