/*
 * test_checklist.c - unit tests for app/checklist.c: the 70% rule at and
 * around its edge, mandatory items, and refused input.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checklist.h"

static void
fill(struct checklist_item *it, size_t n, size_t met, size_t mandatory)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		it[i].met = i < met;
		it[i].mandatory = i < mandatory;
	}
}

static void
test_seven_of_ten_passes(void **state)
{
	struct checklist_item	it[10];
	struct checklist_result	r;

	(void)state;
	fill(it, 10, 7, 3);
	assert_int_equal(checklist_evaluate(it, 10, 70, &r), 0);
	assert_true(r.pass);
	assert_int_equal(r.met, 7);
	assert_int_equal(r.percent, 70);
	assert_int_equal(r.mandatory_missed, 0);
}

static void
test_six_of_ten_fails(void **state)
{
	struct checklist_item	it[10];
	struct checklist_result	r;

	(void)state;
	fill(it, 10, 6, 0);
	assert_int_equal(checklist_evaluate(it, 10, 70, &r), 0);
	assert_false(r.pass);
	assert_int_equal(r.percent, 60);
}

static void
test_edge_not_rounded(void **state)
{
	struct checklist_item	it[33];
	struct checklist_result	r;

	(void)state;
	/* 23/33 = 69.69...%: below 70 even though it rounds to 70. */
	fill(it, 33, 23, 0);
	assert_int_equal(checklist_evaluate(it, 33, 70, &r), 0);
	assert_false(r.pass);
	assert_int_equal(r.percent, 69);
	fill(it, 33, 24, 0);
	assert_int_equal(checklist_evaluate(it, 33, 70, &r), 0);
	assert_true(r.pass);
	assert_int_equal(r.percent, 72);
}

static void
test_mandatory_missed_fails(void **state)
{
	struct checklist_item	it[10];
	struct checklist_result	r;

	(void)state;
	fill(it, 10, 10, 0);
	it[9].met = 0;
	it[9].mandatory = 1;
	assert_int_equal(checklist_evaluate(it, 10, 70, &r), 0);
	assert_false(r.pass);
	assert_int_equal(r.met, 9);
	assert_int_equal(r.mandatory_missed, 1);
}

static void
test_all_met(void **state)
{
	struct checklist_item	it[5];
	struct checklist_result	r;

	(void)state;
	fill(it, 5, 5, 5);
	assert_int_equal(checklist_evaluate(it, 5, 100, &r), 0);
	assert_true(r.pass);
	assert_int_equal(r.percent, 100);
}

static void
test_bad_input(void **state)
{
	struct checklist_item	it[CHECKLIST_ITEMS_MAX + 1];
	struct checklist_result	r;

	(void)state;
	fill(it, CHECKLIST_ITEMS_MAX + 1, 0, 0);
	assert_int_equal(checklist_evaluate(it, 0, 70, &r), -1);
	assert_false(r.pass);
	assert_int_equal(checklist_evaluate(NULL, 3, 70, &r), -1);
	assert_int_equal(checklist_evaluate(it, 3, 0, &r), -1);
	assert_int_equal(checklist_evaluate(it, 3, 101, &r), -1);
	assert_int_equal(checklist_evaluate(it, CHECKLIST_ITEMS_MAX + 1, 70,
	    &r), -1);
	assert_int_equal(checklist_evaluate(it, CHECKLIST_ITEMS_MAX, 70, &r),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seven_of_ten_passes),
		cmocka_unit_test(test_six_of_ten_fails),
		cmocka_unit_test(test_edge_not_rounded),
		cmocka_unit_test(test_mandatory_missed_fails),
		cmocka_unit_test(test_all_met),
		cmocka_unit_test(test_bad_input),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
