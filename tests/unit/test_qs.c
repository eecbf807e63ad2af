/*
 * Unit tests of app/qs.c: query-string decoding and UTF-8 checks, with the
 * hostile inputs the dispatcher must refuse cleanly.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qs.h"

static enum qs_err
parse(struct qs *q, const char *s, char *bad)
{
	return (qs_parse(q, s, strlen(s), bad, 64));
}

static void
test_basic(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(parse(&q, "q=%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C&page=2", bad), QS_OK);
	assert_int_equal(q.n, 2);
	assert_string_equal(qs_get(&q, "q"), "클라우드");
	assert_string_equal(qs_get(&q, "page"), "2");
	assert_null(qs_get(&q, "nope"));
	qs_free(&q);
}

static void
test_plus_and_empty(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(parse(&q, "q=a+b&&x=&y", bad), QS_OK);
	assert_string_equal(qs_get(&q, "q"), "a b");
	assert_string_equal(qs_get(&q, "x"), "");
	assert_string_equal(qs_get(&q, "y"), "");
	assert_int_equal(q.n, 3);
	qs_free(&q);
	assert_int_equal(parse(&q, "", bad), QS_OK);
	assert_int_equal(q.n, 0);
	qs_free(&q);
	assert_int_equal(qs_parse(&q, NULL, 0, bad, sizeof(bad)), QS_OK);
	qs_free(&q);
}

static void
test_repeated(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(parse(&q, "type=saas&type=iaas&q=x", bad), QS_OK);
	assert_int_equal(qs_count(&q, "type"), 2);
	assert_string_equal(qs_nth(&q, "type", 0), "saas");
	assert_string_equal(qs_nth(&q, "type", 1), "iaas");
	assert_null(qs_nth(&q, "type", 2));
	qs_free(&q);
}

static void
test_bad_escape(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(parse(&q, "q=%G1", bad), QS_EESCAPE);
	assert_string_equal(bad, "q");
	qs_free(&q);
	assert_int_equal(parse(&q, "q=%", bad), QS_EESCAPE);
	qs_free(&q);
	assert_int_equal(parse(&q, "q=%4", bad), QS_EESCAPE);
	qs_free(&q);
	assert_int_equal(parse(&q, "a%=1", bad), QS_EESCAPE);
	qs_free(&q);
}

static void
test_bad_utf8(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(parse(&q, "page=1&q=%FF", bad), QS_EUTF8);
	assert_string_equal(bad, "q");
	qs_free(&q);
	/* Overlong '/', a lone continuation byte, a surrogate, truncated. */
	assert_int_equal(parse(&q, "q=%C0%AF", bad), QS_EUTF8);
	qs_free(&q);
	assert_int_equal(parse(&q, "q=%80", bad), QS_EUTF8);
	qs_free(&q);
	assert_int_equal(parse(&q, "q=%ED%A0%80", bad), QS_EUTF8);
	qs_free(&q);
	assert_int_equal(parse(&q, "q=%ED%95", bad), QS_EUTF8);
	qs_free(&q);
	assert_int_equal(parse(&q, "%FF=1", bad), QS_EUTF8);
	assert_string_equal(bad, "%FF");
	qs_free(&q);
}

static void
test_control(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(parse(&q, "q=a%00b", bad), QS_ECONTROL);
	qs_free(&q);
	assert_int_equal(parse(&q, "q=a%0Ab", bad), QS_ECONTROL);
	qs_free(&q);
	assert_int_equal(parse(&q, "=x", bad), QS_EEMPTYNAME);
	qs_free(&q);
}

/* Forms keep a textarea's line breaks and tabs, nothing else. */
static void
test_form_lines(void **state)
{
	struct qs	q;
	char		bad[64];
	const char	*s;

	(void)state;
	s = "note=a%0D%0Ab%09c&x=1";
	assert_int_equal(qs_parse_form(&q, s, strlen(s), bad, sizeof(bad)),
	    QS_OK);
	assert_string_equal(qs_get(&q, "note"), "a\r\nb\tc");
	qs_free(&q);
	s = "note=a%00b";
	assert_int_equal(qs_parse_form(&q, s, strlen(s), bad, sizeof(bad)),
	    QS_ECONTROL);
	assert_string_equal(bad, "note");
	qs_free(&q);
	s = "note=a%1Bb";
	assert_int_equal(qs_parse_form(&q, s, strlen(s), bad, sizeof(bad)),
	    QS_ECONTROL);
	qs_free(&q);
	s = "no%0Ate=a";
	assert_int_equal(qs_parse_form(&q, s, strlen(s), bad, sizeof(bad)),
	    QS_ECONTROL);
	qs_free(&q);
	s = "note=%7F";
	assert_int_equal(qs_parse_form(&q, s, strlen(s), bad, sizeof(bad)),
	    QS_ECONTROL);
	qs_free(&q);
}

static void
test_too_many(void **state)
{
	struct qs	q;
	char		bad[64], buf[QS_MAX * 8 + 16];
	size_t		i, o;

	(void)state;
	for (i = o = 0; i <= QS_MAX; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "a%zu=1&", i);
	assert_int_equal(parse(&q, buf, bad), QS_ETOOMANY);
	qs_free(&q);
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("abc", 3));
	assert_true(utf8_valid("한글", strlen("한글")));
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));		/* overlong */
	assert_false(utf8_valid("\xc3", 1));
	assert_int_equal(utf8_len("한글a", strlen("한글a")), 3);
	assert_int_equal(utf8_prefix("한글a", strlen("한글a"), 1), 3);
	assert_int_equal(utf8_prefix("한글a", strlen("한글a"), 2), 6);
	assert_int_equal(utf8_prefix("한글a", strlen("한글a"), 9), 7);
	assert_int_equal(utf8_prefix("abc", 3, 0), 0);
}

static void
test_encode(void **state)
{
	char	out[64];

	(void)state;
	assert_int_equal(qs_encode("/search?q=a b&x=한", out, sizeof(out)), 0);
	assert_string_equal(out, "%2Fsearch%3Fq%3Da%20b%26x%3D%ED%95%9C");
	assert_int_equal(qs_encode("abcdef", out, 4), -1);
	assert_int_equal(qs_encode("abc", out, 4), 0);
	assert_int_equal(qs_encode("한", out, 9), -1);
	assert_int_equal(qs_encode("한", out, 10), 0);
}

/* Random bytes never crash the parser, and what it accepts is valid. */
static void
test_random(void **state)
{
	struct qs	q;
	char		bad[64], buf[256];
	size_t		i, j, len;
	enum qs_err	e;

	(void)state;
	srand(42);
	for (i = 0; i < 20000; i++) {
		len = (size_t)rand() % sizeof(buf);
		for (j = 0; j < len; j++) {
			buf[j] = "ab=&%+F0\xed\x95\x9c\x80\xff"[rand() % 13];
		}
		e = qs_parse(&q, buf, len, bad, sizeof(bad));
		if (e == QS_OK) {
			for (j = 0; j < q.n; j++) {
				assert_true(utf8_valid(q.p[j].name,
				    strlen(q.p[j].name)));
				assert_true(utf8_valid(q.p[j].value,
				    q.p[j].vlen));
			}
		}
		qs_free(&q);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_plus_and_empty),
		cmocka_unit_test(test_repeated),
		cmocka_unit_test(test_bad_escape),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_form_lines),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_random),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
