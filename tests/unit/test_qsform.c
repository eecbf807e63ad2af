/*
 * test_qsform.c - unit tests for qs_parse_form() (app/qs.c): a form body's
 * values may carry the line breaks and tabs a textarea sends; names never;
 * every other control character is still refused; a query string keeps
 * refusing them all. Which fields may be multi-line is the route table's
 * business (web.c), tested over HTTP in tests/integration/listing.test.mjs.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "qs.h"

static enum qs_err
form(struct qs *q, const char *s, char *bad)
{
	return (qs_parse_form(q, s, strlen(s), bad, 64));
}

static void
test_line_breaks_in_values(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(form(&q, "d=a%0D%0Ab%09c&n=1", bad), QS_OK);
	assert_string_equal(qs_get(&q, "d"), "a\r\nb\tc");
	assert_string_equal(qs_get(&q, "n"), "1");
	qs_free(&q);
	/* The same in a query string: refused. */
	assert_int_equal(qs_parse(&q, "d=a%0Ab", 7, bad, sizeof(bad)),
	    QS_ECONTROL);
	qs_free(&q);
}

static void
test_still_refused(void **state)
{
	struct qs	q;
	char		bad[64];

	(void)state;
	assert_int_equal(form(&q, "d=a%00b", bad), QS_ECONTROL);
	assert_string_equal(bad, "d");
	qs_free(&q);
	assert_int_equal(form(&q, "d=a%1Bb", bad), QS_ECONTROL);
	qs_free(&q);
	assert_int_equal(form(&q, "d=a%7Fb", bad), QS_ECONTROL);
	qs_free(&q);
	assert_int_equal(form(&q, "a%0Ab=1", bad), QS_ECONTROL);
	qs_free(&q);
	assert_int_equal(form(&q, "d=%FF", bad), QS_EUTF8);
	qs_free(&q);
}

static void
test_many_fields(void **state)
{
	struct qs	q;
	char		bad[64], buf[QS_MAX * 8 + 16];
	size_t		i, o;

	(void)state;
	o = 0;
	for (i = 0; i < QS_MAX; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%sf%zu=1",
		    i > 0 ? "&" : "", i);
	assert_int_equal(qs_parse_form(&q, buf, o, bad, sizeof(bad)), QS_OK);
	assert_int_equal(q.n, QS_MAX);
	qs_free(&q);
	o += (size_t)snprintf(buf + o, sizeof(buf) - o, "&x=1");
	assert_int_equal(qs_parse_form(&q, buf, o, bad, sizeof(bad)),
	    QS_ETOOMANY);
	qs_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_breaks_in_values),
		cmocka_unit_test(test_still_refused),
		cmocka_unit_test(test_many_fields),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
