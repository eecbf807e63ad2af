/*
 * test_demo_plans.c - the rate plans of the demo catalog, checked with the
 * rating engine without a database.
 *
 * sql/demo/0003_catalog_details.sql writes one plan per line as
 * "(id, reference_won, '{"dimensions": ...}')". This reads those lines (run
 * from the repository root, as tests/run.sh does), parses each plan by the
 * format of docs/catalog-data.md §2, validates it with rating_validate(),
 * prices every dimension at its reference quantity with rating_price(),
 * rounds each line half up and compares the sum with the stated reference
 * monthly price. It also checks that the demo set uses every pricing
 * model and aggregation, so the pages show each kind of price table.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "money.h"
#include "rating.h"

#define DEMO_FILE	"sql/demo/0003_catalog_details.sql"
#define PLANS_MAX	64

struct demo_plan {
	int		 id;
	long long	 won;
	char		*json;
};

static struct demo_plan	plans[PLANS_MAX];
static size_t		nplans;

/* A decimal string field (absent: 0). Returns 0, or -1 if malformed. */
static int
micro(json_t *o, const char *key, int64_t *v)
{
	json_t	*j;

	*v = 0;
	if ((j = json_object_get(o, key)) == NULL)
		return (0);
	if (!json_is_string(j) ||
	    money_parse(json_string_value(j), 0, v) != MONEY_OK)
		return (-1);
	return (0);
}

/* One stored dimension into *d and its reference quantity into *ref. */
static int
dimension(json_t *dj, struct rating_dimension *d, int64_t *ref)
{
	json_t		*t, *u;
	const char	*s;
	size_t		 i;

	memset(d, 0, sizeof(*d));
	if ((s = json_string_value(json_object_get(dj, "code"))) == NULL ||
	    strlen(s) > RATING_CODE_MAX)
		return (-1);
	(void)snprintf(d->code, sizeof(d->code), "%s", s);
	if (rating_aggregation_from_name(json_string_value(json_object_get(dj,
	    "aggregation")), &d->aggregation) != MONEY_OK ||
	    rating_model_from_name(json_string_value(json_object_get(dj,
	    "model")), &d->model) != MONEY_OK ||
	    micro(dj, "fee", &d->fee) || micro(dj, "unit_price",
	    &d->unit_price) || micro(dj, "package_size", &d->package_size) ||
	    micro(dj, "package_price", &d->package_price) ||
	    micro(dj, "reference_quantity", ref))
		return (-1);
	if (json_object_get(dj, "reference_quantity") == NULL ||
	    !json_is_string(json_object_get(dj, "unit_ko")) ||
	    !json_is_string(json_object_get(dj, "unit_en")))
		return (-1);
	if (json_object_get(dj, "package_rounding") != NULL &&
	    rating_package_rounding_from_name(json_string_value(
	    json_object_get(dj, "package_rounding")), &d->package_rounding) !=
	    MONEY_OK)
		return (-1);
	d->charge_at_zero = json_is_true(json_object_get(dj,
	    "charge_at_zero"));
	json_array_foreach(json_object_get(dj, "tiers"), i, t) {
		if (i >= RATING_TIERS_MAX ||
		    (u = json_object_get(t, "up_to")) == NULL)
			return (-1);
		if (json_is_null(u))
			d->tiers[i].up_to = RATING_UP_TO_INF;
		else if (micro(t, "up_to", &d->tiers[i].up_to))
			return (-1);
		if (micro(t, "unit_price", &d->tiers[i].unit_price) ||
		    micro(t, "flat_fee", &d->tiers[i].flat_fee))
			return (-1);
		d->ntiers = i + 1;
	}
	return (0);
}

static int
setup(void **state)
{
	FILE	*f;
	char	*line, *q, *end;
	size_t	 cap;
	ssize_t	 len;
	int	 id;
	long long won;

	(void)state;
	if ((f = fopen(DEMO_FILE, "r")) == NULL)
		return (-1);
	line = NULL;
	cap = 0;
	while ((len = getline(&line, &cap, f)) != -1) {
		if (sscanf(line, "(%d, %lld, '", &id, &won) != 2 ||
		    (q = strchr(line, '\'')) == NULL ||
		    (end = strrchr(line, '\'')) == NULL || end == q ||
		    strncmp(q + 1, "{\"dimensions\"", 13) != 0)
			continue;
		if (nplans == PLANS_MAX)
			break;
		plans[nplans].id = id;
		plans[nplans].won = won;
		plans[nplans].json = strndup(q + 1, end - q - 1);
		nplans++;
	}
	free(line);
	fclose(f);
	return (0);
}

static int
teardown(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nplans; i++)
		free(plans[i].json);
	return (0);
}

/* The 23 demo listings each have a plan line. */
static void
test_every_listing_has_a_plan(void **state)
{
	int	seen[24] = { 0 };
	size_t	i;

	(void)state;
	assert_int_equal(nplans, 23);
	for (i = 0; i < nplans; i++) {
		assert_in_range(plans[i].id, 1, 23);
		assert_int_equal(seen[plans[i].id], 0);
		seen[plans[i].id] = 1;
	}
}

/* Valid plans whose reference price is what the engine computes. */
static void
test_reference_prices(void **state)
{
	struct rating_dimension	 dims[RATING_DIMENSIONS_MAX];
	struct rating_credit	 credits[RATING_CREDITS_MAX];
	struct rating_plan	 rp;
	struct rating_result	 res;
	struct rating_error	 err;
	json_error_t		 jerr;
	json_t			*plan, *dj, *c;
	int64_t			 ref[RATING_DIMENSIONS_MAX], line, sum;
	size_t			 i, j, n;
	char			 msg[256];

	(void)state;
	for (i = 0; i < nplans; i++) {
		plan = json_loads(plans[i].json, 0, &jerr);
		if (plan == NULL)
			fail_msg("listing %d: %s", plans[i].id, jerr.text);
		n = 0;
		json_array_foreach(json_object_get(plan, "dimensions"), j, dj) {
			assert_true(n < RATING_DIMENSIONS_MAX);
			if (dimension(dj, &dims[n], &ref[n]) == -1)
				fail_msg("listing %d: dimension %zu malformed",
				    plans[i].id, j + 1);
			n++;
		}
		rp.dims = dims;
		rp.ndims = n;
		rp.ncredits = 0;
		assert_true(json_is_array(json_object_get(plan, "credits")));
		json_array_foreach(json_object_get(plan, "credits"), j, c) {
			assert_true(j < RATING_CREDITS_MAX);
			assert_int_equal(micro(c, "below", &credits[j].below), 0);
			assert_int_equal(micro(c, "share", &credits[j].share), 0);
			rp.ncredits = j + 1;
		}
		rp.credits = credits;
		if (rating_validate(&rp, &err, 1) > 0) {
			(void)rating_error_format(&err, "en", msg, sizeof(msg));
			fail_msg("listing %d: %s", plans[i].id, msg);
		}
		sum = 0;
		for (j = 0; j < n; j++) {
			assert_int_equal(rating_price(&dims[j], ref[j], NULL,
			    &res), MONEY_OK);
			assert_int_equal(money_round_exact(res.amount,
			    MONEY_ROUND_HALF_UP, &line), MONEY_OK);
			sum += line;
		}
		if (sum != plans[i].won)
			fail_msg("listing %d: %lld won stated, %lld computed",
			    plans[i].id, plans[i].won, (long long)sum);
		json_decref(plan);
	}
}

/* Every model, aggregation and package rounding occurs. */
static void
test_every_kind_is_shown(void **state)
{
	struct rating_dimension	 d;
	json_t			*plan, *dj;
	int64_t			 ref;
	int			 models[RATING_MODEL__MAX] = { 0 };
	int			 aggs[RATING_AGG__MAX] = { 0 };
	int			 rounding[RATING_PACKAGE__MAX] = { 0 };
	int			 zero_flat = 0, credits_none = 0;
	size_t			 i, j, k;

	(void)state;
	for (i = 0; i < nplans; i++) {
		plan = json_loads(plans[i].json, 0, NULL);
		assert_non_null(plan);
		if (json_array_size(json_object_get(plan, "credits")) == 0)
			credits_none++;
		json_array_foreach(json_object_get(plan, "dimensions"), j, dj) {
			assert_int_equal(dimension(dj, &d, &ref), 0);
			models[d.model]++;
			aggs[d.aggregation]++;
			if (d.model == RATING_MODEL_PACKAGE)
				rounding[d.package_rounding]++;
			for (k = 0; k < d.ntiers; k++)
				if (d.charge_at_zero && d.tiers[k].flat_fee > 0)
					zero_flat++;
		}
		json_decref(plan);
	}
	for (i = 0; i < RATING_MODEL__MAX; i++)
		assert_true(models[i] > 0);
	for (i = 0; i < RATING_AGG__MAX; i++)
		assert_true(aggs[i] > 0);
	for (i = 0; i < RATING_PACKAGE__MAX; i++)
		assert_true(rounding[i] > 0);
	assert_true(zero_flat > 0);
	assert_true(credits_none > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_listing_has_a_plan),
		cmocka_unit_test(test_reference_prices),
		cmocka_unit_test(test_every_kind_is_shown),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
