/*
 * test_i18n.c - unit tests for the string table and language negotiation
 * (app/i18n.c).
 *
 * Load errors are checked by their exact message, since the message is
 * what an operator sees when a deploy is refused.  Negotiation is checked
 * against a table of real browser headers, then against malformed and
 * hostile ones, and finally against random bytes, where the only
 * requirement is an answer of "ko" or "en" and no crash.
 *
 * Build: cc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror -g -Iapp
 *	-fsanitize=address,undefined -o /tmp/test_i18n tests/unit/test_i18n.c
 *	app/tmpl.c app/i18n.c -lcmocka -ljansson
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "i18n.h"
#include "tmpl.h"

static const char table[] =
    "{\"search.title\": {\"ko\": \"서비스 검색\", \"en\": \"Search services\"},"
    " \"nav.home\": {\"en\": \"Home\", \"ko\": \"홈\"},"
    " \"xss\": {\"ko\": \"<b>굵게</b>\", \"en\": \"<b>bold</b>\"}}";

static struct i18n *
load_ok(void)
{
	struct i18n	*t;
	char		 err[256];

	if ((t = i18n_load(table, strlen(table), err, sizeof(err))) == NULL)
		fail_msg("load: %s", err);
	return (t);
}

/* Loads json, expects failure; returns the message (static buffer). */
static const char *
load_error(const char *json)
{
	static char	 err[256];

	err[0] = '\0';
	assert_null(i18n_load(json, strlen(json), err, sizeof(err)));
	return (err);
}

#define CHECK_LOAD_ERR(json, want)					\
	assert_string_equal(load_error(json), (want))

/* --- loading --- */

static void
test_load_ok(void **state)
{
	struct i18n	*t;

	(void)state;
	t = load_ok();
	assert_int_equal(i18n_count(t), 3);
	i18n_free(t);
	i18n_free(NULL);
	assert_int_equal(i18n_count(NULL), 0);
}

static void
test_load_empty_table(void **state)
{
	struct i18n	*t;

	(void)state;
	assert_non_null(t = i18n_load("{}", 2, NULL, 0));
	assert_int_equal(i18n_count(t), 0);
	assert_null(i18n_get(t, "x", "ko"));
	i18n_free(t);
}

static void
test_load_len_respected(void **state)
{
	struct i18n	*t;

	(void)state;
	/* Only the first 2 bytes count; the rest would be invalid. */
	assert_non_null(t = i18n_load("{}garbage", 2, NULL, 0));
	i18n_free(t);
}

static void
test_load_missing_en(void **state)
{
	(void)state;
	CHECK_LOAD_ERR("{\"a\": {\"ko\": \"가\", \"en\": \"A\"},"
	    " \"b\": {\"ko\": \"나\"}}", "key 'b': missing English (en) text");
}

static void
test_load_missing_ko(void **state)
{
	(void)state;
	CHECK_LOAD_ERR("{\"menu.help\": {\"en\": \"Help\"}}",
	    "key 'menu.help': missing Korean (ko) text");
}

static void
test_load_empty_texts(void **state)
{
	(void)state;
	CHECK_LOAD_ERR("{\"k\": {\"ko\": \"\", \"en\": \"x\"}}",
	    "key 'k': missing Korean (ko) text");
	CHECK_LOAD_ERR("{\"k\": {\"ko\": \"x\", \"en\": \"\"}}",
	    "key 'k': missing English (en) text");
}

static void
test_load_wrong_types(void **state)
{
	(void)state;
	CHECK_LOAD_ERR("{\"k\": {\"ko\": 1, \"en\": \"x\"}}",
	    "key 'k': missing Korean (ko) text");
	CHECK_LOAD_ERR("{\"k\": {\"ko\": \"x\", \"en\": null}}",
	    "key 'k': missing English (en) text");
	CHECK_LOAD_ERR("{\"k\": {\"ko\": [\"x\"], \"en\": \"x\"}}",
	    "key 'k': missing Korean (ko) text");
	CHECK_LOAD_ERR("{\"k\": \"just a string\"}", "key 'k': not an object");
	CHECK_LOAD_ERR("{\"k\": [\"가\", \"a\"]}", "key 'k': not an object");
}

static void
test_load_nul_in_text(void **state)
{
	const char	*err;

	(void)state;
	err = load_error("{\"k\": {\"ko\": \"가\\u0000\", \"en\": \"x\"}}");
	assert_non_null(strstr(err, "line 1: "));
	err = load_error("{\"k\\u0000\": {\"ko\": \"가\", \"en\": \"x\"}}");
	assert_non_null(strstr(err, "line 1: "));
}

static void
test_load_unknown_language(void **state)
{
	(void)state;
	CHECK_LOAD_ERR("{\"k\": {\"ko\": \"가\", \"en\": \"a\", \"kr\": \"가\"}}",
	    "key 'k': unknown language 'kr'");
}

static void
test_load_bad_keys(void **state)
{
	(void)state;
	CHECK_LOAD_ERR("{\"\": {\"ko\": \"가\", \"en\": \"a\"}}",
	    "empty key");
	assert_non_null(strstr(load_error("{\"k\": {\"ko\": \"가\", \"en\": \"a\"},"
	    " \"k\": {\"ko\": \"나\", \"en\": \"b\"}}"), "duplicate"));
}

static void
test_load_not_object(void **state)
{
	(void)state;
	CHECK_LOAD_ERR("[]", "string table is not a JSON object");
	CHECK_LOAD_ERR("[{\"ko\":\"가\",\"en\":\"a\"}]",
	    "string table is not a JSON object");
	CHECK_LOAD_ERR("\"x\"", "string table is not a JSON object");
	CHECK_LOAD_ERR("42", "string table is not a JSON object");
	CHECK_LOAD_ERR("null", "string table is not a JSON object");
}

static void
test_load_invalid_json(void **state)
{
	const char	*err;

	(void)state;
	err = load_error("{\"k\": {\"ko\": \"가\", \"en\": \"a\"}");
	assert_int_equal(strncmp(err, "line 1: ", 8), 0);
	err = load_error("{\n\"k\": {\"ko\": \"가\",\n \"en\" \"a\"}}");
	assert_int_equal(strncmp(err, "line 3: ", 8), 0);
	err = load_error("");
	assert_int_equal(strncmp(err, "line ", 5), 0);
	err = load_error("\xff\xfe{}");
	assert_int_equal(strncmp(err, "line ", 5), 0);
	/* Invalid UTF-8 inside a string is refused by jansson. */
	err = load_error("{\"k\": {\"ko\": \"\xc3\x28\", \"en\": \"a\"}}");
	assert_int_equal(strncmp(err, "line ", 5), 0);
}

static void
test_load_null_and_no_err_buffer(void **state)
{
	char	 err[8];

	(void)state;
	assert_null(i18n_load(NULL, 0, NULL, 0));
	assert_null(i18n_load("[", 1, NULL, 0));
	assert_null(i18n_load("{\"k\":1}", 7, err, sizeof(err)));
	assert_int_equal(strlen(err), sizeof(err) - 1);	/* truncated, terminated */
}

/* --- lookups --- */

static void
test_get(void **state)
{
	struct i18n	*t;

	(void)state;
	t = load_ok();
	assert_string_equal(i18n_get(t, "search.title", "ko"), "서비스 검색");
	assert_string_equal(i18n_get(t, "search.title", "en"), "Search services");
	assert_string_equal(i18n_get(t, "nav.home", "ko"), "홈");
	assert_string_equal(i18n_get(t, "nav.home", "en"), "Home");
	i18n_free(t);
}

static void
test_get_unknown_lang_is_ko(void **state)
{
	struct i18n	*t;

	(void)state;
	t = load_ok();
	assert_string_equal(i18n_get(t, "nav.home", "fr"), "홈");
	assert_string_equal(i18n_get(t, "nav.home", ""), "홈");
	assert_string_equal(i18n_get(t, "nav.home", NULL), "홈");
	assert_string_equal(i18n_get(t, "nav.home", "EN"), "홈");
	i18n_free(t);
}

static void
test_get_unknown_key(void **state)
{
	struct i18n	*t;

	(void)state;
	t = load_ok();
	assert_null(i18n_get(t, "nope", "ko"));
	assert_null(i18n_get(t, "", "en"));
	assert_null(i18n_get(t, NULL, "en"));
	assert_null(i18n_get(NULL, "nav.home", "en"));
	assert_null(i18n_get(t, "search", "ko"));	/* no prefix matching */
	i18n_free(t);
}

static void
test_strfn(void **state)
{
	struct i18n_ctx	 c;
	const char	*key;

	(void)state;
	c.t = load_ok();
	c.lang = "en";
	assert_string_equal(i18n_strfn("nav.home", &c), "Home");
	c.lang = "ko";
	assert_string_equal(i18n_strfn("nav.home", &c), "홈");
	key = "missing.key";
	assert_ptr_equal(i18n_strfn(key, &c), key);
	assert_ptr_equal(i18n_strfn(key, NULL), key);
	i18n_free(c.t);
	c.t = NULL;
	assert_ptr_equal(i18n_strfn(key, &c), key);
}

/* The two modules together, as the server uses them. */
static void
test_strfn_in_template(void **state)
{
	struct i18n_ctx	 c;
	struct tmpl_lib	*lib;
	char		*out, err[256];
	static const char src[] = "<h1>{{_search.title}}</h1>{{_xss}}{{_x.y}}";

	(void)state;
	c.t = load_ok();
	c.lang = "ko";
	assert_non_null(lib = tmpl_lib_new());
	assert_int_equal(tmpl_lib_add(lib, "t", src, sizeof(src) - 1, err,
	    sizeof(err)), 0);
	assert_int_equal(tmpl_render(lib, "t", NULL, i18n_strfn, &c, &out,
	    NULL, err, sizeof(err)), 0);
	assert_string_equal(out,
	    "<h1>서비스 검색</h1>&lt;b&gt;굵게&lt;/b&gt;x.y");
	free(out);
	c.lang = "en";
	assert_int_equal(tmpl_render(lib, "t", NULL, i18n_strfn, &c, &out,
	    NULL, err, sizeof(err)), 0);
	assert_string_equal(out,
	    "<h1>Search services</h1>&lt;b&gt;bold&lt;/b&gt;x.y");
	free(out);
	tmpl_lib_free(lib);
	i18n_free(c.t);
}

/* --- negotiation --- */

struct neg_case {
	const char	*header;
	const char	*cookie;
	const char	*want;
};

static void
run_cases(const struct neg_case *cases, size_t n)
{
	size_t		 i;
	const char	*got;

	for (i = 0; i < n; i++) {
		got = i18n_negotiate(cases[i].header, cases[i].cookie);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("header '%s' cookie '%s': got %s, want %s",
			    cases[i].header ? cases[i].header : "(null)",
			    cases[i].cookie ? cases[i].cookie : "(null)",
			    got, cases[i].want);
	}
}

#define RUN_CASES(c)	run_cases((c), sizeof(c) / sizeof((c)[0]))

static void
test_negotiate_browsers(void **state)
{
	static const struct neg_case cases[] = {
		{ "en-US,en;q=0.9,ko;q=0.8", NULL, "en" },
		{ "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", NULL, "ko" },
		{ "ko-KR", NULL, "ko" },
		{ "ko", NULL, "ko" },
		{ "en", NULL, "en" },
		{ "en-GB", NULL, "en" },
		{ "fr", NULL, "ko" },
		{ "fr-FR,fr;q=0.9", NULL, "ko" },
		{ "fr-FR,fr;q=0.9,en;q=0.5", NULL, "en" },
		{ "ja,ko;q=0.3,en;q=0.2", NULL, "ko" },
		{ "zh-Hant-TW,en;q=0.1", NULL, "en" },
		{ "de-CH-1901,en;q=0.5", NULL, "en" },
	};

	(void)state;
	RUN_CASES(cases);
}

static void
test_negotiate_cookie(void **state)
{
	static const struct neg_case cases[] = {
		{ "ko-KR", "en", "en" },
		{ "en-US", "ko", "ko" },
		{ NULL, "en", "en" },
		{ NULL, "ko", "ko" },
		{ "en", "", "en" },		/* empty cookie: header decides */
		{ "en", "fr", "en" },
		{ "en", "EN", "en" },
		{ "ko", "EN", "ko" },		/* only exact values count */
		{ "ko", "en ", "ko" },
		{ "ko", "english", "ko" },
		{ "ko", "en\n", "ko" },
		{ NULL, NULL, "ko" },
		{ "", NULL, "ko" },
	};

	(void)state;
	RUN_CASES(cases);
}

static void
test_negotiate_qvalues(void **state)
{
	static const struct neg_case cases[] = {
		{ "ko;q=0.5,en;q=0.5", NULL, "ko" },	/* tie: first wins */
		{ "en;q=0.5,ko;q=0.5", NULL, "en" },
		{ "en,ko", NULL, "en" },
		{ "ko,en", NULL, "ko" },
		{ "ko;q=0.4,en;q=0.5", NULL, "en" },
		{ "en;q=0.001,ko;q=0", NULL, "en" },
		{ "ko;q=1.0,en;q=1", NULL, "ko" },
		{ "en;q=1.000,ko", NULL, "en" },
		{ "ko;q=0.999,en;q=1", NULL, "en" },
		{ "en;Q=0.5,ko;q=0.6", NULL, "ko" },	/* Q is case-blind */
		{ "en ; q=0.5 , ko ;q=0.4", NULL, "en" },
		{ "en;level=1;q=0.5,ko;q=0.4", NULL, "en" },
		{ "en-US;q=0.2,en;q=0.9,ko;q=0.5", NULL, "en" },  /* best en */
		{ "en;q=0.9;q=0.1,ko;q=0.5", NULL, "ko" },  /* last q wins */
	};

	(void)state;
	RUN_CASES(cases);
}

static void
test_negotiate_q_zero(void **state)
{
	static const struct neg_case cases[] = {
		{ "en;q=0", NULL, "ko" },
		{ "en;q=0.000", NULL, "ko" },
		{ "ko;q=0", NULL, "en" },	/* Korean refused, English not */
		{ "fr,ko;q=0", NULL, "en" },
		{ "ko;q=0,en;q=0", NULL, "ko" },	/* nothing acceptable */
		{ "en;q=0,ko;q=0", NULL, "ko" },
		{ "ko;q=0,en;q=0.1", NULL, "en" },
		{ "en;q=0,*", NULL, "ko" },
		{ "ko;q=0,*", NULL, "en" },
	};

	(void)state;
	RUN_CASES(cases);
}

static void
test_negotiate_wildcard(void **state)
{
	static const struct neg_case cases[] = {
		{ "*", NULL, "ko" },
		{ "*;q=0.5,ko;q=0.1", NULL, "en" },
		{ "ko;q=0.1,*", NULL, "en" },
		{ "ko,*", NULL, "ko" },
		{ "*;q=0", NULL, "ko" },
		{ "en;q=0.3,*;q=0.5", NULL, "ko" },	/* ko via * at 0.5 */
	};

	(void)state;
	RUN_CASES(cases);
}

static void
test_negotiate_malformed(void **state)
{
	static const struct neg_case cases[] = {
		{ ",,,", NULL, "ko" },
		{ ";;;", NULL, "ko" },
		{ ",en", NULL, "en" },
		{ "en,", NULL, "en" },
		{ "   en   ", NULL, "en" },
		{ "\ten\t", NULL, "en" },
		{ "en;q=", NULL, "ko" },		/* bad q: entry ignored */
		{ "en;q", NULL, "ko" },
		{ "en;", NULL, "ko" },
		{ "en;=0.5", NULL, "ko" },
		{ "en;q=2", NULL, "ko" },
		{ "en;q=1.5", NULL, "ko" },
		{ "en;q=1.0001", NULL, "ko" },
		{ "en;q=0.5555", NULL, "ko" },
		{ "en;q=-1", NULL, "ko" },
		{ "en;q=.5", NULL, "ko" },
		{ "en;q=0.9x", NULL, "ko" },
		{ "en;q=0,5", NULL, "ko" },		/* "5" is no range */
		{ "en_US", NULL, "ko" },
		{ "english", NULL, "ko" },
		{ "e", NULL, "ko" },
		{ "enx", NULL, "ko" },
		{ "abcdefghi,en", NULL, "en" },
		{ "en-abcdefghi", NULL, "ko" },
		{ "en-", NULL, "ko" },
		{ "-en", NULL, "ko" },
		{ "en--US", NULL, "ko" },
		{ "**", NULL, "ko" },
		{ "en en", NULL, "ko" },
		{ "\xff\xfe,en", NULL, "en" },
		{ "한국어,en;q=0.1", NULL, "en" },
		{ "en\r\nX-Injected: 1", NULL, "ko" },
		{ "ko;q=0.5;,en", NULL, "en" },
	};

	(void)state;
	RUN_CASES(cases);
}

static void
test_negotiate_long_header(void **state)
{
	char	*h;
	size_t	 i, len;

	(void)state;
	len = 1024 * 1024;
	assert_non_null(h = malloc(len + 16));
	for (i = 0; i + 9 <= len; i += 9)
		memcpy(h + i, "fr;q=0.1,", 9);
	strcpy(h + i, "en;q=0.2");
	assert_string_equal(i18n_negotiate(h, NULL), "en");
	memset(h, ' ', len);
	strcpy(h + len, "en");
	assert_string_equal(i18n_negotiate(h, NULL), "en");
	memset(h, ',', len);
	h[len] = '\0';
	assert_string_equal(i18n_negotiate(h, NULL), "ko");
	free(h);
}

static void
test_negotiate_random_bytes(void **state)
{
	char		 h[64];
	const char	*got;
	uint64_t	 x;
	size_t		 i, n;
	int		 it;
	static const char alpha[] = "enko;q=0.15,*- \t\xff";

	(void)state;
	x = 0x243f6a8885a308d3ULL;
	for (it = 0; it < 200000; it++) {
		n = (size_t)(x % sizeof(h));
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			h[i] = (it % 2) ? (char)(x >> 24) :
			    alpha[(x >> 24) % (sizeof(alpha) - 1)];
			if (h[i] == '\0')
				h[i] = 'x';
		}
		h[n] = '\0';
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		got = i18n_negotiate(h, (it % 3 == 0) ? h : NULL);
		assert_true(strcmp(got, "ko") == 0 || strcmp(got, "en") == 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_ok),
		cmocka_unit_test(test_load_empty_table),
		cmocka_unit_test(test_load_len_respected),
		cmocka_unit_test(test_load_missing_en),
		cmocka_unit_test(test_load_missing_ko),
		cmocka_unit_test(test_load_empty_texts),
		cmocka_unit_test(test_load_wrong_types),
		cmocka_unit_test(test_load_nul_in_text),
		cmocka_unit_test(test_load_unknown_language),
		cmocka_unit_test(test_load_bad_keys),
		cmocka_unit_test(test_load_not_object),
		cmocka_unit_test(test_load_invalid_json),
		cmocka_unit_test(test_load_null_and_no_err_buffer),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_get_unknown_lang_is_ko),
		cmocka_unit_test(test_get_unknown_key),
		cmocka_unit_test(test_strfn),
		cmocka_unit_test(test_strfn_in_template),
		cmocka_unit_test(test_negotiate_browsers),
		cmocka_unit_test(test_negotiate_cookie),
		cmocka_unit_test(test_negotiate_qvalues),
		cmocka_unit_test(test_negotiate_q_zero),
		cmocka_unit_test(test_negotiate_wildcard),
		cmocka_unit_test(test_negotiate_malformed),
		cmocka_unit_test(test_negotiate_long_header),
		cmocka_unit_test(test_negotiate_random_bytes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
