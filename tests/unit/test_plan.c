/*
 * test_plan.c - unit tests for app/plan.c: the stored JSON form read and
 * written back unchanged, the reference price of the documented example,
 * every kind of malformed document refused with its place, validation
 * errors passed through from rating_validate(), and the comparison the
 * published-listing change rules use.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"

/* The example of docs/catalog-data.md §2. */
static const char *const doc_example =
    "{\"dimensions\": [{\"code\": \"active_user\", \"unit_ko\": \"사용자\","
    " \"unit_en\": \"user\", \"aggregation\": \"unique_count\","
    " \"model\": \"graduated\", \"charge_at_zero\": true, \"tiers\": ["
    "{\"up_to\": \"50\", \"unit_price\": \"7643\", \"flat_fee\": \"126282.8\"},"
    "{\"up_to\": null, \"unit_price\": \"5350.1\", \"flat_fee\": \"0\"}],"
    " \"reference_quantity\": \"100\"}],"
    " \"credits\": [{\"below\": \"99.9\", \"share\": \"10\"},"
    " {\"below\": \"99.5\", \"share\": \"25\"}]}";

static const char *const all_models =
    "{\"dimensions\": ["
    "{\"code\": \"base\", \"unit_ko\": \"월\", \"unit_en\": \"month\","
    " \"aggregation\": \"max\", \"model\": \"flat\", \"fee\": \"100000\","
    " \"reference_quantity\": \"1\"},"
    "{\"code\": \"vcpu_hour\", \"unit_ko\": \"vCPU·시간\", \"unit_en\": \"vCPU hour\","
    " \"aggregation\": \"sum\", \"model\": \"per_unit\", \"unit_price\": \"12.5\","
    " \"reference_quantity\": \"1440\"},"
    "{\"code\": \"storage_gb\", \"unit_ko\": \"GB\", \"unit_en\": \"GB\","
    " \"aggregation\": \"latest\", \"model\": \"volume\", \"charge_at_zero\": false,"
    " \"tiers\": [{\"up_to\": \"1000\", \"unit_price\": \"30\", \"flat_fee\": \"0\"},"
    " {\"up_to\": null, \"unit_price\": \"20\", \"flat_fee\": \"0\"}],"
    " \"reference_quantity\": \"500\"},"
    "{\"code\": \"sms\", \"unit_ko\": \"건\", \"unit_en\": \"message\","
    " \"aggregation\": \"sum\", \"model\": \"package\", \"package_size\": \"1000\","
    " \"package_price\": \"9000\", \"package_rounding\": \"up\","
    " \"reference_quantity\": \"2500\"}],"
    " \"credits\": []}";

static json_t *
load(const char *s)
{
	json_t	*j;

	j = json_loads(s, 0, NULL);
	assert_non_null(j);
	return (j);
}

static void
parse_ok(const char *s, struct plan *p)
{
	struct plan_perr	 e;
	json_t			*j;

	j = load(s);
	assert_int_equal(plan_parse(j, p, &e), 0);
	json_decref(j);
}

static void
test_doc_example_price(void **state)
{
	struct plan	 p;
	int64_t		 won;

	(void)state;
	parse_ok(doc_example, &p);
	assert_int_equal(p.ndims, 1);
	assert_int_equal(p.ncredits, 2);
	assert_string_equal(p.unit_ko[0], "사용자");
	assert_int_equal(p.dims[0].ntiers, 2);
	assert_int_equal(p.dims[0].tiers[1].up_to, RATING_UP_TO_INF);
	assert_int_equal(plan_check(&p, &won, NULL, 0), 0);
	/*
	 * Graduated at 100 users: 50 x 7643 + 126282.8 + 50 x 5350.1 =
	 * 382150 + 126282.8 + 267505 = 775937.8 -> 775938 won.
	 */
	assert_int_equal(won, 775938);
}

static void
round_trip(const char *s)
{
	struct plan	 p, q;
	json_t		*j, *out;
	char		*a, *b;

	j = load(s);
	parse_ok(s, &p);
	assert_non_null(out = plan_json(&p));
	a = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	b = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(a, b);
	/* And once more through the parser: the same struct. */
	free(b);
	b = json_dumps(out, 0);
	parse_ok(b, &q);
	assert_memory_equal(&p, &q, sizeof(p));
	free(a);
	free(b);
	json_decref(j);
	json_decref(out);
}

static void
test_round_trip(void **state)
{
	(void)state;
	round_trip(doc_example);
	round_trip(all_models);
}

static void
test_all_models_price(void **state)
{
	struct plan	 p;
	int64_t		 won;

	(void)state;
	parse_ok(all_models, &p);
	assert_int_equal(plan_check(&p, &won, NULL, 0), 0);
	/* 100000 + 1440 x 12.5 + 500 x 30 + 3 x 9000 */
	assert_int_equal(won, 100000 + 18000 + 15000 + 27000);
}

/* Each bad document and where the error must point. */
struct bad_row {
	const char		*doc;
	enum plan_perr_code	 code;
	int			 dimension;
	int			 tier;
	int			 credit;
	const char		*key;
};

#define D0 "\"code\": \"a\", \"unit_ko\": \"건\", \"aggregation\": \"sum\", "
static const struct bad_row bad_rows[] = {
	{ "[]", PLAN_PE_TYPE, -1, -1, -1, "rate_plan" },
	{ "{}", PLAN_PE_MISSING, -1, -1, -1, "dimensions" },
	{ "{\"dimensions\": {}}", PLAN_PE_TYPE, -1, -1, -1, "dimensions" },
	{ "{\"dimensions\": [], \"extra\": 1}", PLAN_PE_UNKNOWN_KEY, -1, -1, -1,
	    "extra" },
	{ "{\"dimensions\": [1]}", PLAN_PE_TYPE, 0, -1, -1, "" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"per_unit\", \"unit_price\": 1.5}]}",
	    PLAN_PE_DECIMAL, 0, -1, -1, "unit_price" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"per_unit\", \"unit_price\": \"1.0000001\"}]}",
	    PLAN_PE_DECIMAL, 0, -1, -1, "unit_price" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"per_unit\", \"unit_price\": \"1e3\"}]}",
	    PLAN_PE_DECIMAL, 0, -1, -1, "unit_price" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"tiered\"}]}", PLAN_PE_NAME, 0,
	    -1, -1, "model" },
	{ "{\"dimensions\": [{\"code\": \"a\", \"unit_ko\": \"건\", \"model\": \"flat\"}]}",
	    PLAN_PE_MISSING, 0, -1, -1, "aggregation" },
	{ "{\"dimensions\": [{\"code\": \"a\", \"aggregation\": \"sum\", \"model\": \"flat\"}]}",
	    PLAN_PE_MISSING, 0, -1, -1, "unit_ko" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"flat\", \"colour\": \"red\"}]}",
	    PLAN_PE_UNKNOWN_KEY, 0, -1, -1, "colour" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"graduated\", \"tiers\": "
	    "[{\"up_to\": \"10\", \"unit_price\": \"1\"}, {\"unit_price\": \"1\"}]}]}",
	    PLAN_PE_MISSING, 0, 1, -1, "up_to" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"graduated\", \"tiers\": "
	    "[{\"up_to\": \"ten\", \"unit_price\": \"1\"}]}]}",
	    PLAN_PE_DECIMAL, 0, 0, -1, "up_to" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"flat\", \"charge_at_zero\": \"yes\"}]}",
	    PLAN_PE_TYPE, 0, -1, -1, "charge_at_zero" },
	{ "{\"dimensions\": [], \"credits\": [{\"below\": \"99\"}]}",
	    PLAN_PE_MISSING, -1, -1, 0, "share" },
	{ "{\"dimensions\": [{" D0 "\"model\": \"package\", \"package_rounding\": \"sideways\"}]}",
	    PLAN_PE_NAME, 0, -1, -1, "package_rounding" },
};

static void
test_bad_documents(void **state)
{
	struct plan_perr	 e;
	struct plan		 p;
	json_t			*j;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		j = json_loads(bad_rows[i].doc, JSON_DECODE_ANY, NULL);
		assert_non_null(j);
		assert_int_equal(plan_parse(j, &p, &e), -1);
		assert_int_equal(e.code, bad_rows[i].code);
		assert_int_equal(e.dimension, bad_rows[i].dimension);
		assert_int_equal(e.tier, bad_rows[i].tier);
		assert_int_equal(e.credit, bad_rows[i].credit);
		assert_string_equal(e.key, bad_rows[i].key);
		json_decref(j);
	}
}

static void
test_too_long_unit(void **state)
{
	struct plan_perr	 e;
	struct plan		 p;
	json_t			*j;
	char			 unit[PLAN_UNIT_MAX + 2];

	(void)state;
	memset(unit, 'x', sizeof(unit) - 1);
	unit[sizeof(unit) - 1] = '\0';
	j = json_pack("{s:[{s:s, s:s, s:s, s:s}]}", "dimensions", "code", "a",
	    "unit_ko", unit, "aggregation", "sum", "model", "flat");
	assert_int_equal(plan_parse(j, &p, &e), -1);
	assert_int_equal(e.code, PLAN_PE_TOO_LONG);
	assert_string_equal(e.key, "unit_ko");
	json_decref(j);
}

/* Parses fine, but rating_validate() refuses it. */
static void
test_invalid_tiers(void **state)
{
	struct rating_error	 errs[4];
	struct plan		 p;
	int64_t			 won;

	(void)state;
	/* Descending limits, and a negative price. */
	parse_ok("{\"dimensions\": [{" D0 "\"model\": \"graduated\", \"tiers\": "
	    "[{\"up_to\": \"100\", \"unit_price\": \"1\"},"
	    " {\"up_to\": \"50\", \"unit_price\": \"-2\"},"
	    " {\"up_to\": null, \"unit_price\": \"1\"}]}]}", &p);
	assert_true(plan_check(&p, &won, errs, 4) >= 2);
	assert_int_equal(errs[0].tier, 1);
	assert_int_equal(errs[0].code, RATING_E_UP_TO_ORDER);
	/* No open last tier. */
	parse_ok("{\"dimensions\": [{" D0 "\"model\": \"volume\", \"tiers\": "
	    "[{\"up_to\": \"100\", \"unit_price\": \"1\"}]}]}", &p);
	assert_int_equal(plan_check(&p, &won, errs, 4), 1);
	assert_int_equal(errs[0].code, RATING_E_LAST_NOT_OPEN);
	/* No dimensions at all. */
	parse_ok("{\"dimensions\": []}", &p);
	assert_int_equal(plan_check(&p, &won, errs, 4), 1);
	assert_int_equal(errs[0].code, RATING_E_REQUIRED);
}

static void
test_compare(void **state)
{
	struct plan	 a, b;

	(void)state;
	parse_ok(all_models, &a);
	b = a;
	assert_int_equal(plan_compare(&a, &b), PLAN_SAME);
	b.dims[1].unit_price -= 500000;		/* 12.5 -> 12 */
	assert_int_equal(plan_compare(&a, &b), PLAN_LOWER);
	b.dims[2].tiers[0].unit_price += 1;	/* and one a micro-won up */
	assert_int_equal(plan_compare(&a, &b), PLAN_OTHER);
	b = a;
	b.dims[2].tiers[0].up_to = 2000 * 1000000LL;	/* new limit */
	assert_int_equal(plan_compare(&a, &b), PLAN_OTHER);
	b = a;
	b.ndims = 3;				/* a dimension removed */
	assert_int_equal(plan_compare(&a, &b), PLAN_OTHER);
	b = a;
	(void)strcpy(b.unit_ko[0], "일");	/* a unit relabelled */
	assert_int_equal(plan_compare(&a, &b), PLAN_OTHER);
	b = a;
	b.dims[3].package_price = 0;		/* free messages */
	assert_int_equal(plan_compare(&a, &b), PLAN_LOWER);

	parse_ok(doc_example, &a);
	b = a;
	b.credits[1].share = 30 * 1000000LL;	/* a bigger credit: better */
	assert_int_equal(plan_compare(&a, &b), PLAN_LOWER);
	b.credits[0].share = 5 * 1000000LL;	/* a smaller one: worse */
	assert_int_equal(plan_compare(&a, &b), PLAN_OTHER);
	assert_int_equal(plan_compare(NULL, NULL), PLAN_SAME);
	assert_int_equal(plan_compare(NULL, &a), PLAN_OTHER);
	assert_int_equal(plan_compare(&a, NULL), PLAN_OTHER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_example_price),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_all_models_price),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_too_long_unit),
		cmocka_unit_test(test_invalid_tiers),
		cmocka_unit_test(test_compare),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
