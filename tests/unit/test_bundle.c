/*
 * test_bundle.c - unit tests for app/bundle.c, the invoice evidence
 * bundle (docs/evidence.md).
 *
 * The canonical form is pinned to exact bytes (and to the BLAKE2b-256 a
 * Python one-liner gives, so another implementation can check itself).
 * A bundle is assembled as the sealer's SQL does, with line amounts
 * computed by hand from docs/billing.md's rules (graduated tiers with
 * flat fees, a decimal unit price, a prorated flat fee, an SLA credit,
 * an adjustment, a fiscal-year split; a ceiling cap; a credit note),
 * completed, signed and verified. Then every leaf of the file is changed
 * in turn and the file must fail; and every number that enters a
 * computation is changed and the bundle re-signed with the right key, so
 * only the re-rating can catch it: it must, naming a field.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "bundle.h"

static unsigned char	sk[SIGN_SKBYTES], pk[SIGN_PKBYTES];

#include "bundle_fixtures.h"

/* A sealed evidence document from an input; the test owns it. */
static json_t *
sealed(const char *input)
{
	json_t		*b, *doc;
	json_error_t	 e;
	char		 err[300];

	b = json_loads(input, 0, &e);
	if (b == NULL)
		fail_msg("input: line %d: %s", e.line, e.text);
	if (bundle_finish(b, pk, err, sizeof(err)) != 0)
		fail_msg("finish: %s", err);
	doc = bundle_seal(b, sk, NULL, NULL);
	assert_non_null(doc);
	json_decref(b);
	return (doc);
}

/* Verifies and fails the test with the reason if the document does not. */
static void
assert_verifies(const json_t *doc)
{
	struct bundle_report	rep;

	if (bundle_verify(doc, pk, &rep) != 0)
		fail_msg("does not verify: %s", rep.reason);
	assert_non_null(strstr(rep.reason, "valid:"));
}

static void
test_canonical_form(void **state)
{
	json_t		*v;
	char		*s;
	size_t		 n;
	unsigned char	 h[SIGN_HASHBYTES];
	char		 hex[SIGN_HEXLEN(SIGN_HASHBYTES)];

	(void)state;
	v = json_loads("{\"b\": \"1\", \"a\": [\"x\\n\\\"\\\\\\u0001\\t/\","
	    " true, false, null, {}], \"가\": \"한글 é\", \"B\": []}", 0,
	    NULL);
	assert_non_null(v);
	assert_int_equal(bundle_canonical(v, &s, &n), 0);
	assert_string_equal(s, "{\"B\":[],\"a\":[\"x\\n\\\"\\\\\\u0001\\t/\","
	    "true,false,null,{}],\"b\":\"1\",\"가\":\"한글 é\"}");
	assert_int_equal(n, strlen(s));
	free(s);
	/*
	 * python3 -c 'import json,hashlib; print(hashlib.blake2b(json.dumps(
	 * {"b":"1","a":["x\n\"\\\u0001\t/",True,False,None,{}],"가":"한글 é",
	 * "B":[]}, sort_keys=True, separators=(",",":"), ensure_ascii=False)
	 * .encode(), digest_size=32).hexdigest())'
	 */
	assert_int_equal(bundle_hash(v, h), 0);
	sign_tohex(h, sizeof(h), hex);
	assert_string_equal(hex,
	    "1265cf19e1ba6e0282d0cc052c9eda1761a2d47bda2867764ab4dc5c1db32830");
	json_decref(v);

	/* Numbers have no canonical form: every number is a string. */
	v = json_pack("{s:i}", "n", 1);
	assert_int_equal(bundle_canonical(v, &s, &n), -1);
	assert_null(s);
	json_decref(v);
	v = json_pack("[s, f]", "x", 1.5);
	assert_int_equal(bundle_canonical(v, &s, &n), -1);
	json_decref(v);
}

static void
test_good_bundles_verify(void **state)
{
	struct bundle_report	 rep;
	json_t			*doc, *b, *bd;
	const char		*inputs[3];
	size_t			 i;

	(void)state;
	inputs[0] = invoice_input;
	inputs[1] = capped_input;
	inputs[2] = credit_input;
	for (i = 0; i < 3; i++) {
		doc = sealed(inputs[i]);
		assert_verifies(doc);
		/* Without a pinned key it verifies and says so. */
		assert_int_equal(bundle_verify(doc, NULL, &rep), 0);
		assert_non_null(strstr(rep.reason, "not pinned"));
		json_decref(doc);
	}

	/* What bundle_finish() filled in: the plan's stored form, breakdown. */
	doc = sealed(invoice_input);
	b = json_object_get(doc, "bundle");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_object_get(b, "rate_plan"), "dimensions"), 2),
	    "fee")), "100000");
	bd = json_object_get(json_array_get(json_object_get(b, "lines"), 0),
	    "breakdown");
	assert_int_equal(json_array_size(bd), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(bd,
	    2), "amount")), "8");
	assert_string_equal(json_string_value(json_object_get(json_array_get(bd,
	    2), "tier")), "3");
	bd = json_object_get(json_array_get(json_object_get(b, "lines"), 2),
	    "breakdown");
	assert_string_equal(json_string_value(json_object_get(json_array_get(bd,
	    0), "amount")), "67741.935483870967");
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(b, "lines"), 3), "breakdown")), 0);
	assert_string_equal(json_string_value(json_object_get(b,
	    "marketplace_key")), json_string_value(json_object_get(b,
	    "marketplace_key")));
	json_decref(doc);
}

/* Changes one leaf: numbers by one in their last digit, text otherwise. */
static void
alter(json_t *parent, const char *key, size_t index)
{
	json_t		*v;
	char		 buf[1024];
	const char	*s;
	size_t		 n;

	v = key != NULL ? json_object_get(parent, key) :
	    json_array_get(parent, index);
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = strlen(s);
		assert_true(n + 2 < sizeof(buf));
		memcpy(buf, s, n + 1);
		if (n > 0 && buf[n - 1] >= '0' && buf[n - 1] <= '8')
			buf[n - 1]++;
		else if (n > 0 && buf[n - 1] == '9')
			buf[n - 1] = '8';
		else if (n > 0 && buf[n - 1] >= 'a' && buf[n - 1] <= 'e')
			buf[n - 1]++;
		else if (n > 0 && buf[n - 1] == 'f')
			buf[n - 1] = 'e';
		else {
			buf[n] = 'x';
			buf[n + 1] = '\0';
		}
		v = json_string(buf);
	} else if (json_is_true(v))
		v = json_false();
	else if (json_is_false(v))
		v = json_true();
	else if (json_is_null(v))
		v = json_string("1");
	else
		fail_msg("not a leaf");
	if (key != NULL)
		json_object_set_new(parent, key, v);
	else
		json_array_set_new(parent, index, v);
}

/* A leaf: its container, key or index, and its path. */
struct leaf {
	char	path[200];
	char	key[80];
	size_t	index;
	int	in_array;
};

#define LEAVES_MAX	1024

static void
collect(json_t *v, const char *path, struct leaf *out, size_t *n)
{
	const char	*k;
	json_t		*x;
	size_t		 i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			if (json_is_object(x) || json_is_array(x)) {
				char	p[200];

				(void)snprintf(p, sizeof(p), "%s.%s", path, k);
				collect(x, p, out, n);
				continue;
			}
			assert_true(*n < LEAVES_MAX);
			(void)snprintf(out[*n].path, sizeof(out[*n].path),
			    "%s.%s", path, k);
			(void)snprintf(out[*n].key, sizeof(out[*n].key), "%s", k);
			out[*n].in_array = 0;
			(*n)++;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (json_is_object(x) || json_is_array(x)) {
				char	p[200];

				(void)snprintf(p, sizeof(p), "%s[%zu]", path, i);
				collect(x, p, out, n);
				continue;
			}
			assert_true(*n < LEAVES_MAX);
			(void)snprintf(out[*n].path, sizeof(out[*n].path),
			    "%s[%zu]", path, i);
			out[*n].index = i;
			out[*n].in_array = 1;
			(*n)++;
		}
	}
}

/* The container of a leaf path in doc ("$.bundle.lines[2].amount_won"). */
static json_t *
container(json_t *doc, const char *path)
{
	char	 buf[200], *p, *end, *last;
	json_t	*v;

	(void)snprintf(buf, sizeof(buf), "%s", path + 2);
	/* Cut the last component. */
	last = strrchr(buf, '.');
	end = strrchr(buf, '[');
	if (end != NULL && (last == NULL || end > last))
		last = end;
	if (last == NULL)
		return (doc);
	*last = '\0';
	v = doc;
	for (p = buf; *p != '\0' && v != NULL; ) {
		size_t	n = strcspn(p, ".[");
		char	name[80];

		if (n > 0) {
			memcpy(name, p, n);
			name[n] = '\0';
			v = json_object_get(v, name);
			p += n;
		}
		if (*p == '[') {
			v = json_array_get(v, strtoul(p + 1, &end, 10));
			p = end + 1;
		}
		if (*p == '.')
			p++;
	}
	return (v);
}

/*
 * Leaves that enter no computation: only the signature protects them
 * (docs/evidence.md lists them). An adjustment line's quantity is the
 * re-rated month's total, shown for information: the amount is the
 * input (the difference of lines in earlier sealed bundles). A credit
 * note's month and its lines' quantities are its own information; its
 * amounts do not depend on them.
 */
static int
signature_only(const char *path, int credit_note)
{
	static const char *const only[] = {
		"$.bundle.invoice.id", "$.bundle.invoice.number",
		"$.bundle.invoice.seq", "$.bundle.invoice.issued_at",
		"$.bundle.usage.chain_head", "$.bundle.usage.chain_seq",
		"$.bundle.prev_hash", "$.bundle.corrects.id",
		"$.bundle.corrects.number", "$.bundle.corrects.bundle_hash",
		"$.bundle.corrects.total_won",
		NULL
	};
	size_t	i;

	for (i = 0; only[i] != NULL; i++)
		if (strcmp(path, only[i]) == 0)
			return (1);
	if (strcmp(path, "$.bundle.lines[4].quantity") == 0 && !credit_note)
		return (1);	/* the adjustment line of invoice_input */
	if (credit_note && (strcmp(path, "$.bundle.invoice.month") == 0 ||
	    strcmp(path, "$.bundle.lines[0].quantity") == 0))
		return (1);
	/* Texts: labels; record counts (checked by the sealer, online). */
	return (strstr(path, ".label_") != NULL ||
	    strstr(path, ".records") != NULL);
}

static void
walk(const char *input)
{
	struct bundle_report	 rep;
	struct leaf		*leaves;
	json_t			*doc, *copy, *c, *resealed;
	size_t			 n, i, semantic;

	doc = sealed(input);
	assert_verifies(doc);
	leaves = calloc(LEAVES_MAX, sizeof(*leaves));
	assert_non_null(leaves);
	n = 0;
	collect(doc, "$", leaves, &n);
	assert_true(n > 40);
	semantic = 0;
	for (i = 0; i < n; i++) {
		/* 1. Any change to the file, as sealed, fails. */
		copy = json_deep_copy(doc);
		c = container(copy, leaves[i].path);
		assert_non_null(c);
		alter(c, leaves[i].in_array ? NULL : leaves[i].key,
		    leaves[i].index);
		if (bundle_verify(copy, pk, &rep) == 0)
			fail_msg("%s changed, and it still verifies",
			    leaves[i].path);
		assert_true(rep.reason[0] != '\0');
		assert_true(rep.path[0] != '\0');

		/*
		 * 2. Changed and signed again with the marketplace key: the
		 * content checks alone must catch it, naming a field.
		 */
		if (strncmp(leaves[i].path, "$.bundle.", 9) == 0 &&
		    !signature_only(leaves[i].path, strstr(input,
		    "\"credit_note\"") != NULL) &&
		    strcmp(leaves[i].path, "$.bundle.marketplace_key") != 0) {
			resealed = bundle_seal(json_object_get(copy, "bundle"),
			    sk, NULL, NULL);
			assert_non_null(resealed);
			if (bundle_verify(resealed, pk, &rep) == 0)
				fail_msg("%s changed and re-signed: re-rating "
				    "does not notice", leaves[i].path);
			if (strcmp(rep.path, "hash") == 0 ||
			    strcmp(rep.path, "signature") == 0)
				fail_msg("%s: only the signature noticed: %s",
				    leaves[i].path, rep.reason);
			semantic++;
			json_decref(resealed);
		}
		json_decref(copy);
	}
	assert_true(semantic > 30);
	free(leaves);
	json_decref(doc);
}

static void
test_walk_invoice(void **state)
{
	(void)state;
	walk(invoice_input);
}

static void
test_walk_capped(void **state)
{
	(void)state;
	walk(capped_input);
}

static void
test_walk_credit_note(void **state)
{
	(void)state;
	walk(credit_input);
}

/* Changes a field and re-signs; returns the report of the check. */
static void
reason_of(const char *input, const char *path, const char *value,
    struct bundle_report *rep)
{
	json_t	*doc, *c, *re;
	char	 key[80];

	doc = sealed(input);
	c = container(doc, path);
	assert_non_null(c);
	(void)snprintf(key, sizeof(key), "%s", strrchr(path, '.') + 1);
	json_object_set_new(c, key, json_string(value));
	re = bundle_seal(json_object_get(doc, "bundle"), sk, NULL, NULL);
	assert_int_equal(bundle_verify(re, pk, rep), -1);
	json_decref(re);
	json_decref(doc);
}

static void
test_reasons(void **state)
{
	struct bundle_report	 rep;
	json_t			*doc, *b;
	unsigned char		 sk2[SIGN_SKBYTES], pk2[SIGN_PKBYTES];
	char			 b64[SIGN_B64LEN(SIGN_PKBYTES)];

	(void)state;
	reason_of(invoice_input, "$.bundle.lines[0].amount_won", "164", &rep);
	assert_string_equal(rep.path, "lines[0].amount_won");
	assert_string_equal(rep.expected, "163");
	assert_string_equal(rep.found, "164");
	assert_non_null(strstr(rep.reason, "lines[0].amount_won: re-rating "
	    "gives another amount (expected 163, found 164)"));

	reason_of(invoice_input, "$.bundle.totals.vat_won", "6230", &rep);
	assert_string_equal(rep.path, "totals.vat_won");
	assert_string_equal(rep.expected, "6229");

	reason_of(invoice_input, "$.bundle.usage.dimensions[1].quantity",
	    "13", &rep);
	assert_string_equal(rep.path, "lines[1].amount_won");
	assert_string_equal(rep.expected, "1307");	/* 13 x 100.5 = 1306.5 */

	reason_of(invoice_input, "$.bundle.availability", "98.9", &rep);
	assert_string_equal(rep.path, "sla_share");
	assert_string_equal(rep.expected, "25");

	reason_of(invoice_input, "$.bundle.lines[1].quantity", "12.50", &rep);
	assert_string_equal(rep.path, "lines[1].quantity");
	assert_non_null(strstr(rep.reason, "canonical"));

	reason_of(invoice_input, "$.bundle.ceiling.fy_invoiced_won", "1",
	    &rep);
	assert_string_equal(rep.path, "ceiling.remaining_won");
	assert_string_equal(rep.expected, "59999999");
	reason_of(invoice_input, "$.bundle.ceiling.fy_invoiced_won",
	    "40000001", &rep);
	assert_string_equal(rep.path, "ceiling.fy_invoiced_won");

	reason_of(capped_input, "$.bundle.ceiling.invoiced_won", "780000", &rep);
	assert_string_equal(rep.path, "ceiling.remaining_won");

	reason_of(credit_input, "$.bundle.corrects.credited_won", "-68000",
	    &rep);
	assert_string_equal(rep.path, "totals.total_won");
	assert_non_null(strstr(rep.reason, "credits more"));

	reason_of(invoice_input, "$.bundle.contract.end", "2027-12-30", &rep);
	assert_string_equal(rep.path, "contract_hash");

	reason_of(invoice_input, "$.bundle.invoice.fiscal_year", "2027", &rep);
	assert_string_equal(rep.path, "invoice.fiscal_year");

	/* Not re-signed: a label change is caught by the hash. */
	doc = sealed(invoice_input);
	b = json_object_get(doc, "bundle");
	json_object_set_new(json_array_get(json_object_get(b, "lines"), 0),
	    "label_ko", json_string("<script>"));
	assert_int_equal(bundle_verify(doc, pk, &rep), -1);
	assert_string_equal(rep.path, "hash");
	json_decref(doc);

	/* An extra field, a JSON number, a missing field. */
	doc = sealed(invoice_input);
	json_object_set_new(json_object_get(doc, "bundle"), "note",
	    json_string("x"));
	assert_int_equal(bundle_verify(doc, pk, &rep), -1);
	assert_string_equal(rep.path, "bundle.note");
	json_decref(doc);
	doc = sealed(invoice_input);
	json_object_set_new(json_object_get(json_object_get(doc, "bundle"),
	    "totals"), "vat_won", json_integer(6229));
	assert_int_equal(bundle_verify(doc, pk, &rep), -1);
	assert_string_equal(rep.path, "totals.vat_won");
	json_decref(doc);
	doc = sealed(invoice_input);
	json_object_del(json_object_get(doc, "bundle"), "prev_hash");
	assert_int_equal(bundle_verify(doc, pk, &rep), -1);
	assert_string_equal(rep.path, "bundle.prev_hash");
	json_decref(doc);

	/* Signed by someone else: refused with the pinned key. */
	crypto_sign_keypair(pk2, sk2);
	doc = sealed(invoice_input);
	b = json_deep_copy(json_object_get(doc, "bundle"));
	sign_tob64(pk2, sizeof(pk2), b64);
	json_object_set_new(b, "marketplace_key", json_string(b64));
	json_decref(doc);
	doc = bundle_seal(b, sk2, NULL, NULL);
	assert_int_equal(bundle_verify(doc, NULL, &rep), 0);
	assert_int_equal(bundle_verify(doc, pk, &rep), -1);
	assert_string_equal(rep.path, "marketplace_key");
	json_decref(doc);
	/* ... and a bundle naming our key but signed by another. */
	sign_tob64(pk, sizeof(pk), b64);
	json_object_set_new(b, "marketplace_key", json_string(b64));
	doc = bundle_seal(b, sk2, NULL, NULL);
	assert_int_equal(bundle_verify(doc, pk, &rep), -1);
	assert_string_equal(rep.path, "signature");
	json_decref(doc);
	json_decref(b);
}

static void
test_finish_refuses(void **state)
{
	json_t	*b;
	char	 err[300];

	(void)state;
	b = json_loads(invoice_input, 0, NULL);
	json_object_set_new(json_object_get(json_object_get(b, "rate_plan"),
	    "dimensions"), "x", json_null());
	json_object_set_new(json_object_get(b, "rate_plan"), "bogus",
	    json_true());
	assert_int_equal(bundle_finish(b, pk, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bogus"));
	json_decref(b);

	/* A usage line of a dimension the plan does not have. */
	b = json_loads(invoice_input, 0, NULL);
	json_object_set_new(json_array_get(json_object_get(b, "lines"), 0),
	    "dimension", json_string("gpu_hour"));
	assert_int_equal(bundle_finish(b, pk, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "gpu_hour"));
	json_decref(b);

	/* bundle_check() before signing: a wrong line is reported. */
	b = json_loads(invoice_input, 0, NULL);
	json_object_set_new(json_object_get(b, "totals"), "total_won",
	    json_string("68525"));
	assert_int_equal(bundle_finish(b, pk, err, sizeof(err)), 0);
	{
		struct bundle_report	rep;

		assert_int_equal(bundle_check(b, &rep), -1);
		assert_string_equal(rep.path, "totals.total_won");
	}
	json_decref(b);
}

/* Proration follows the contract's dates; February of a leap year. */
static void
test_period_from_dates(void **state)
{
	struct bundle_report	 rep;
	json_t			*b;
	char			 err[300];

	(void)state;
	/* Ending on the 20th: 10 days (11th to 20th) of 31: 32,258. */
	b = json_loads(invoice_input, 0, NULL);
	json_object_set_new(json_object_get(b, "contract"), "end",
	    json_string("2026-10-20"));
	assert_int_equal(bundle_finish(b, pk, err, sizeof(err)), 0);
	assert_int_equal(bundle_check(b, &rep), -1);
	assert_string_equal(rep.path, "lines[2].amount_won");
	assert_string_equal(rep.expected, "32258");
	json_decref(b);
	/* Outside the period altogether. */
	b = json_loads(invoice_input, 0, NULL);
	json_object_set_new(json_object_get(b, "contract"), "start",
	    json_string("2026-11-01"));
	assert_int_equal(bundle_finish(b, pk, err, sizeof(err)), 0);
	assert_int_equal(bundle_check(b, &rep), -1);
	assert_string_equal(rep.path, "invoice.month");
	json_decref(b);
	/* 2028-02: 29 days, the whole month: the full fee. */
	b = json_loads(invoice_input, 0, NULL);
	json_object_set_new(json_object_get(b, "invoice"), "month",
	    json_string("2028-02"));
	json_object_set_new(json_object_get(b, "invoice"), "fiscal_year",
	    json_string("2028"));
	json_object_set_new(json_object_get(b, "contract"), "end",
	    json_string("2028-12-31"));
	json_object_set_new(json_object_get(b, "contract"), "fy_split",
	    json_object());
	json_object_set_new(json_object_get(b, "ceiling"), "fy_ceiling_won",
	    json_null());
	json_object_set_new(json_object_get(b, "ceiling"), "remaining_won",
	    json_string("60000000"));
	json_object_set_new(b, "adjustments", json_array());
	json_array_remove(json_object_get(b, "lines"), 4);
	assert_int_equal(bundle_finish(b, pk, err, sizeof(err)), 0);
	assert_int_equal(bundle_check(b, &rep), -1);
	assert_string_equal(rep.path, "lines[2].amount_won");
	assert_string_equal(rep.expected, "100000");
	json_decref(b);
}

/* The database's cross-checks are compared, then removed. */
static void
test_take_checks(void **state)
{
	json_t	*b, *d;
	char	 err[300];
	size_t	 i;

	(void)state;
	b = json_loads(invoice_input, 0, NULL);
	json_array_foreach(json_object_get(json_object_get(b, "usage"),
	    "dimensions"), i, d)
		json_object_set(d, "chain_quantity", json_object_get(d,
		    "quantity"));
	d = json_array_get(json_object_get(json_object_get(b, "usage"),
	    "dimensions"), 0);
	json_object_set_new(b, "_head_found", json_true());
	assert_int_equal(bundle_take_checks(b, err, sizeof(err)), 0);
	assert_null(json_object_get(d, "chain_quantity"));
	assert_null(json_object_get(b, "_head_found"));
	json_array_foreach(json_object_get(json_object_get(b, "usage"),
	    "dimensions"), i, d)
		json_object_set(d, "chain_quantity", json_object_get(d,
		    "quantity"));
	d = json_array_get(json_object_get(json_object_get(b, "usage"),
	    "dimensions"), 0);
	json_object_set_new(d, "chain_quantity", json_string("20.5"));
	assert_int_equal(bundle_take_checks(b, err, sizeof(err)), -1);
	assert_string_equal(err, "usage totals disagree: vcpu_hour: invoiced "
	    "21, the chain up to its head gives 20.5");
	assert_null(json_object_get(d, "chain_quantity"));
	json_object_set_new(b, "_head_found", json_false());
	assert_int_equal(bundle_take_checks(b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a head of the contract's usage "
	    "chain"));
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_form),
		cmocka_unit_test(test_good_bundles_verify),
		cmocka_unit_test(test_walk_invoice),
		cmocka_unit_test(test_walk_capped),
		cmocka_unit_test(test_walk_credit_note),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_finish_refuses),
		cmocka_unit_test(test_period_from_dates),
		cmocka_unit_test(test_take_checks),
	};

	if (sodium_init() == -1)
		return (1);
	crypto_sign_keypair(pk, sk);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
