/*
 * Unit tests of app/eligrules.c: the built-in rule sets survive a round
 * trip through JSON unchanged, the rows sql/0013_eligibility.sql stores
 * are exactly the built-in sets, and every kind of broken rule set is
 * refused with the key that is wrong.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eligrules.h"

static void
test_round_trip(void **state)
{
	struct eligibility_ruleset	 rs;
	json_t				*v, *w;
	char				 bad[128];
	size_t				 i;

	(void)state;
	for (i = 0; i < eligibility_nbuiltin; i++) {
		v = eligrules_to_json(&eligibility_builtin[i]);
		assert_non_null(v);
		assert_int_equal(eligrules_from_json(v, &rs, bad,
		    sizeof(bad)), 0);
		assert_memory_equal(&rs, &eligibility_builtin[i], sizeof(rs));
		w = eligrules_to_json(&rs);
		assert_true(json_equal(v, w));
		json_decref(v);
		json_decref(w);
	}
}

/* The JSON literals of the migration's INSERT, in order. */
static void
test_migration_holds_builtins(void **state)
{
	FILE		*f;
	char		*buf, *p, *end;
	long		 len;
	size_t		 n;
	json_t		*v, *want;
	json_error_t	 err;

	(void)state;
	f = fopen("sql/0013_eligibility.sql", "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), (size_t)len);
	fclose(f);

	n = 0;
	for (p = buf; (p = strstr(p, "'{\"csap_fit\"")) != NULL; p = end) {
		p++;
		end = strstr(p, "}'");
		assert_non_null(end);
		end[1] = '\0';
		v = json_loads(p, 0, &err);
		assert_non_null(v);
		assert_true(n < eligibility_nbuiltin);
		want = eligrules_to_json(&eligibility_builtin[n]);
		assert_true(json_equal(v, want));
		json_decref(v);
		json_decref(want);
		n++;
		end += 2;
	}
	assert_int_equal(n, eligibility_nbuiltin);
	free(buf);
}

/* Applies one edit to the JSON of rule set 2 and expects bad == key. */
static void
expect_bad(const char *path, json_t *value, const char *key)
{
	struct eligibility_ruleset	 rs;
	json_t				*v, *o;
	char				 bad[128], part[64];
	const char			*p, *dot;

	v = eligrules_to_json(&eligibility_builtin[1]);
	assert_non_null(v);
	o = v;
	for (p = path; (dot = strchr(p, '.')) != NULL; p = dot + 1) {
		(void)snprintf(part, sizeof(part), "%.*s", (int)(dot - p), p);
		o = json_object_get(o, part);
		assert_non_null(o);
	}
	if (value == NULL)
		json_object_del(o, p);
	else
		json_object_set_new(o, p, value);
	bad[0] = '\0';
	assert_int_equal(eligrules_from_json(v, &rs, bad, sizeof(bad)), -1);
	assert_string_equal(bad, key);
	json_decref(v);
}

static void
test_refused(void **state)
{
	(void)state;
	expect_bad("version", json_integer(0), "version");
	expect_bad("version", json_string("2"), "version");
	expect_bad("version", NULL, "version");
	expect_bad("effective", json_string("2023-02-30"), "effective");
	expect_bad("effective", json_string("20230131"), "effective");
	expect_bad("name_ko", json_string(""), "name_ko");
	expect_bad("name_en", json_integer(1), "name_en");
	expect_bad("excluded_data", json_pack("[s]", "weather"),
	    "excluded_data");
	expect_bad("excluded_data", json_pack("[s,s]", "pia", "pia"),
	    "excluded_data");
	expect_bad("internal.central", json_string("maybe"),
	    "internal.central");
	expect_bad("internal.central", NULL, "internal");
	expect_bad("internal.mars", json_string("eligible"), "internal");
	expect_bad("csap_required.saas", json_integer(1),
	    "csap_required.saas");
	expect_bad("iaas_required.daas", NULL, "iaas_required");
	expect_bad("csap_fit.saas.daas", json_string("yes"),
	    "csap_fit.saas.daas");
	expect_bad("csap_fit.saas", NULL, "csap_fit");
	expect_bad("csap_fit.saas", json_string("x"), "csap_fit.saas");
	expect_bad("grades", json_integer(1), "grades");
	expect_bad("default_grade", json_string("medium"), "default_grade");
	expect_bad("legacy_grade.iaas", json_string("top"),
	    "legacy_grade.iaas");
	expect_bad("surprise", json_true(), "surprise");
}

static void
test_not_an_object(void **state)
{
	struct eligibility_ruleset	 rs;
	json_t				*v;
	char				 bad[16];

	(void)state;
	v = json_array();
	assert_int_equal(eligrules_from_json(v, &rs, bad, sizeof(bad)), -1);
	assert_int_equal(eligrules_from_json(NULL, &rs, NULL, 0), -1);
	json_decref(v);
}

static void
test_certs(void **state)
{
	struct eligibility_cert	 c[4];
	json_error_t		 err;
	json_t			*v;
	size_t			 n;

	(void)state;
	v = json_loads("[{\"scheme\":\"csap\",\"csap_type\":\"saas_standard\","
	    "\"grade\":\"medium\",\"status\":\"valid\",\"issue_date\":"
	    "\"2024-01-02\",\"expiry_date\":\"2027-01-01\",\"since\":null},"
	    "{\"scheme\":\"csap\",\"csap_type\":\"iaas\",\"grade\":null,"
	    "\"status\":\"revoked\",\"issue_date\":\"2020-01-01\","
	    "\"expiry_date\":\"2025-01-01\",\"since\":\"2024-06-30\"},"
	    "{\"scheme\":\"csap\",\"csap_type\":\"daas\",\"grade\":\"high\","
	    "\"status\":\"valid\",\"issue_date\":null,\"expiry_date\":null},"
	    "{\"scheme\":\"iso27001\"}]", 0, &err);
	assert_non_null(v);
	assert_int_equal(eligrules_certs_from_json(v, c, 4, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].type, ELIGIBILITY_CSAP_SAAS_STANDARD);
	assert_int_equal(c[0].grade, ELIGIBILITY_GRADE_MID);
	assert_int_equal(c[0].status, ELIGIBILITY_CERT_VALID);
	assert_int_equal(c[0].issued, 20240102);
	assert_int_equal(c[0].expires, 20270101);
	assert_int_equal(c[1].grade, ELIGIBILITY_GRADE_NONE);
	assert_int_equal(c[1].status, ELIGIBILITY_CERT_REVOKED);
	assert_int_equal(c[1].status_since, 20240630);
	/* In force without dates: cannot be judged, read as pending. */
	assert_int_equal(c[2].status, ELIGIBILITY_CERT_PENDING);
	assert_int_equal(c[2].issued, 0);
	assert_int_equal(c[3].scheme, ELIGIBILITY_SCHEME_ISO27001);
	/* More than fit, and broken entries, are refused. */
	assert_int_equal(eligrules_certs_from_json(v, c, 3, &n), -1);
	json_decref(v);
	v = json_loads("[{\"scheme\":\"csap\",\"csap_type\":\"iaas\","
	    "\"grade\":\"mid\",\"status\":\"valid\"}]", 0, &err);
	assert_int_equal(eligrules_certs_from_json(v, c, 4, &n), -1);
	json_decref(v);
	v = json_loads("[{\"scheme\":\"csap\",\"csap_type\":\"iaas\","
	    "\"status\":\"valid\",\"issue_date\":\"2024-13-01\"}]", 0, &err);
	assert_int_equal(eligrules_certs_from_json(v, c, 4, &n), -1);
	json_decref(v);
	v = json_loads("{}", 0, &err);
	assert_int_equal(eligrules_certs_from_json(v, c, 4, &n), -1);
	json_decref(v);
}

/* A real decision's reasons survive storage and render the same. */
static void
test_reasons_round_trip(void **state)
{
	struct eligibility_decision	 d;
	struct eligibility_facts	 f;
	struct eligibility_cert		 c;
	struct eligibility_reason	 r;
	json_t				*v;
	char				 a[ELIGIBILITY_MSG_MAX], b[ELIGIBILITY_MSG_MAX];
	size_t				 i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.scheme = ELIGIBILITY_SCHEME_CSAP;
	c.type = ELIGIBILITY_CSAP_IAAS;
	c.grade = ELIGIBILITY_GRADE_LOW;
	c.status = ELIGIBILITY_CERT_VALID;
	c.issued = 20230301;
	c.expires = 20260301;
	memset(&f, 0, sizeof(f));
	f.agency = ELIGIBILITY_AGENCY_CENTRAL;
	f.nature = ELIGIBILITY_NATURE_INTERNAL;
	f.data = ELIGIBILITY_DATA_BIT(ELIGIBILITY_DATA_PIA);
	f.service = ELIGIBILITY_SERVICE_IAAS;
	f.start = 20261201;
	f.need = ELIGIBILITY_GRADE_HIGH;
	f.vendor = ELIGIBILITY_VENDOR_SUSPENDED;
	f.certs = &c;
	f.ncerts = 1;
	assert_int_equal(eligibility_decide(eligibility_builtin,
	    eligibility_nbuiltin, &f, &d), ELIGIBILITY_OK);
	assert_int_equal(d.outcome, ELIGIBILITY_NOT_ELIGIBLE);
	assert_true(d.nreasons >= 4);
	v = eligrules_reasons_to_json(&d);
	assert_non_null(v);
	assert_int_equal(json_array_size(v), d.nreasons);
	for (i = 0; i < d.nreasons; i++) {
		assert_int_equal(eligrules_reason_from_json(json_array_get(v, i),
		    &r), 0);
		assert_int_equal(r.code, d.reasons[i].code);
		assert_int_equal(eligibility_reason_format(&r, "ko", a,
		    sizeof(a)), ELIGIBILITY_OK);
		assert_int_equal(eligibility_reason_format(&d.reasons[i], "ko",
		    b, sizeof(b)), ELIGIBILITY_OK);
		assert_string_equal(a, b);
	}
	json_decref(v);
	v = json_pack("{s:s}", "code", "no_such_code");
	assert_int_equal(eligrules_reason_from_json(v, &r), -1);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_migration_holds_builtins),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_certs),
		cmocka_unit_test(test_reasons_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
