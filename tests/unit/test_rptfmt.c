/*
 * test_rptfmt.c - unit tests for app/rptfmt.c: per mille rounding at its
 * edges and signs, the month filter's strict grammar, and SVG charts
 * whose text is escaped and whose bars scale to the largest value.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rptfmt.h"

static void
test_permille_rounds_half_up(void **state)
{
	int64_t	pm;

	(void)state;
	assert_int_equal(rpt_permille(1, 3, &pm), 0);
	assert_int_equal(pm, 333);
	assert_int_equal(rpt_permille(2, 3, &pm), 0);
	assert_int_equal(pm, 667);
	/* 1/2000 = 0.5 per mille: half rounds up. */
	assert_int_equal(rpt_permille(1, 2000, &pm), 0);
	assert_int_equal(pm, 1);
	assert_int_equal(rpt_permille(1, 2001, &pm), 0);
	assert_int_equal(pm, 0);
	assert_int_equal(rpt_permille(5, 5, &pm), 0);
	assert_int_equal(pm, 1000);
	assert_int_equal(rpt_permille(0, 7, &pm), 0);
	assert_int_equal(pm, 0);
}

static void
test_permille_signs_and_range(void **state)
{
	int64_t	pm = 42;

	(void)state;
	assert_int_equal(rpt_permille(-1, 2000, &pm), 0);
	assert_int_equal(pm, -1);
	assert_int_equal(rpt_permille(-1, -4, &pm), 0);
	assert_int_equal(pm, 250);
	/* More than the whole: credit notes can make shares exceed 100%. */
	assert_int_equal(rpt_permille(3, 2, &pm), 0);
	assert_int_equal(pm, 1500);
	pm = 42;
	assert_int_equal(rpt_permille(1, 0, &pm), -1);
	assert_int_equal(pm, 42);
	assert_int_equal(rpt_permille(1000000000000001LL, 1, &pm), -1);
	assert_int_equal(rpt_permille(1, -1000000000000001LL, &pm), -1);
	assert_int_equal(rpt_permille(1000000000000000LL,
	    1000000000000000LL, &pm), 0);
	assert_int_equal(pm, 1000);
}

static void
test_permille_text(void **state)
{
	char	buf[24];

	(void)state;
	rpt_permille_text(123, buf, sizeof(buf));
	assert_string_equal(buf, "12.3%");
	rpt_permille_text(0, buf, sizeof(buf));
	assert_string_equal(buf, "0.0%");
	rpt_permille_text(1000, buf, sizeof(buf));
	assert_string_equal(buf, "100.0%");
	rpt_permille_text(-5, buf, sizeof(buf));
	assert_string_equal(buf, "-0.5%");
	rpt_permille_text(INT64_MIN, buf, sizeof(buf));
	assert_string_equal(buf, "-922337203685477580.8%");
}

static void
test_month_parse(void **state)
{
	int	y = 0, m = 0;

	(void)state;
	assert_int_equal(rpt_month_parse("2025-01", &y, &m), 0);
	assert_int_equal(y, 2025);
	assert_int_equal(m, 1);
	assert_int_equal(rpt_month_parse("2099-12", &y, &m), 0);
	assert_int_equal(rpt_month_parse("2025-13", &y, &m), -1);
	assert_int_equal(rpt_month_parse("2025-00", &y, &m), -1);
	assert_int_equal(rpt_month_parse("1999-12", &y, &m), -1);
	assert_int_equal(rpt_month_parse("2025-1", &y, &m), -1);
	assert_int_equal(rpt_month_parse("2025-01-01", &y, &m), -1);
	assert_int_equal(rpt_month_parse("2025/01", &y, &m), -1);
	assert_int_equal(rpt_month_parse("+025-01", &y, &m), -1);
	assert_int_equal(rpt_month_parse(" 025-01", &y, &m), -1);
	assert_int_equal(rpt_month_parse("", &y, &m), -1);
	assert_int_equal(rpt_month_parse(NULL, &y, &m), -1);
}

static char *
chart(const struct rpt_bar *bars, size_t n)
{
	struct tmpl_buf	b;

	tmpl_buf_init(&b);
	assert_int_equal(rpt_svg_bars(&b, "지출 <by> \"month\"", bars, n), 0);
	return (tmpl_buf_release(&b, NULL));
}

static void
test_svg_escapes_and_scales(void **state)
{
	struct rpt_bar	 bars[3] = {
		{ "<script>alert(1)</script>", 100, "100원" },
		{ "중앙부처 & 기관", 50, "50" },
		{ "zero", 0, "0" },
	};
	char		*s;

	(void)state;
	s = chart(bars, 3);
	assert_non_null(s);
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "중앙부처 &amp; 기관"));
	assert_non_null(strstr(s, "aria-label=\"지출 &lt;by&gt; &quot;month"
	    "&quot;\""));
	/* The span is 720 - 220 - 130 - 16 = 354: full, half, none. */
	assert_non_null(strstr(s, "width=\"354\""));
	assert_non_null(strstr(s, "width=\"177\""));
	assert_non_null(strstr(s, "width=\"0\""));
	assert_null(strstr(s, "<line"));
	assert_int_equal(strncmp(s, "<svg ", 5), 0);
	assert_int_equal(strcmp(s + strlen(s) - 6, "</svg>"), 0);
	free(s);
}

static void
test_svg_negative_and_tiny(void **state)
{
	struct rpt_bar	 bars[3] = {
		{ "a", 1000000000, "big" },
		{ "b", 1, "tiny" },
		{ "credit", -500000000, "neg" },
	};
	char		*s;

	(void)state;
	s = chart(bars, 3);
	assert_non_null(s);
	/* A zero line, and a nonzero value never disappears. */
	assert_non_null(strstr(s, "<line"));
	assert_non_null(strstr(s, "width=\"1\""));
	assert_non_null(strstr(s, "fill=\"#b3261e\""));
	free(s);
	s = chart(NULL, 0);
	assert_non_null(s);
	assert_non_null(strstr(s, "viewBox=\"0 0 720 16\""));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permille_rounds_half_up),
		cmocka_unit_test(test_permille_signs_and_range),
		cmocka_unit_test(test_permille_text),
		cmocka_unit_test(test_month_parse),
		cmocka_unit_test(test_svg_escapes_and_scales),
		cmocka_unit_test(test_svg_negative_and_tiny),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
