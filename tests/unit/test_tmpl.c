/*
 * test_tmpl.c - unit tests for the template renderer (app/tmpl.c).
 *
 * One small case per syntax element, per falsy/truthy value, per dangerous
 * character and per parse error, then large inputs and the work limits,
 * and finally a deterministic fuzz loop.  The fuzz loop checks the one
 * property the renderer exists for: a template made of escaped tags and
 * harmless text never emits < > " ' however hostile the context is, and
 * every & it emits opens one of the escaper's own character references.
 *
 * Build: cc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror -g -Iapp
 *	-fsanitize=address,undefined -o /tmp/test_tmpl tests/unit/test_tmpl.c
 *	app/tmpl.c app/i18n.c -lcmocka -ljansson
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "tmpl.h"

#define FUZZ_ITERATIONS	20000

/* The {{_key}} table used by every render in this file. */
static const char *
test_strfn(const char *key, void *arg)
{
	(void)arg;
	if (strcmp(key, "greeting") == 0)
		return ("안녕하세요 <b>\"&'");
	if (strcmp(key, "search.title") == 0)
		return ("서비스 검색");
	return (NULL);
}

/* Compiles src as "t", renders it against ctxjson (may be NULL); returns malloc'd output. */
static char *
render(const char *src, const char *ctxjson)
{
	struct tmpl_lib	*lib;
	json_t		*ctx;
	char		 err[256], *out;
	size_t		 len;

	ctx = NULL;
	assert_non_null(lib = tmpl_lib_new());
	if (tmpl_lib_add(lib, "t", src, strlen(src), err, sizeof(err)) != 0)
		fail_msg("compile '%s': %s", src, err);
	if (ctxjson != NULL &&
	    (ctx = json_loads(ctxjson, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    NULL)) == NULL)
		fail_msg("bad test json: %s", ctxjson);
	if (tmpl_render(lib, "t", ctx, test_strfn, NULL, &out, &len, err,
	    sizeof(err)) != 0)
		fail_msg("render '%s': %s", src, err);
	assert_int_equal(len, strlen(out));
	json_decref(ctx);
	tmpl_lib_free(lib);
	return (out);
}

#define CHECK(src, ctx, want) do {					\
	char *o_ = render((src), (ctx));				\
	assert_string_equal(o_, (want));				\
	free(o_);							\
} while (0)

/* Compiles src, expects failure; returns the message (static buffer). */
static const char *
compile_error(const char *src)
{
	static char	 err[256];
	struct tmpl_lib	*lib;

	assert_non_null(lib = tmpl_lib_new());
	err[0] = '\0';
	assert_int_equal(tmpl_lib_add(lib, "t", src, strlen(src), err,
	    sizeof(err)), -1);
	assert_false(tmpl_lib_has(lib, "t"));
	tmpl_lib_free(lib);
	return (err);
}

#define CHECK_ERR(src, want)						\
	assert_string_equal(compile_error(src), (want))

/* Renders template name of lib against ctxjson, expects failure; returns the message. */
static const char *
render_error(struct tmpl_lib *lib, const char *name, const char *ctxjson)
{
	static char	 err[256];
	json_t		*ctx;
	char		*out;

	ctx = ctxjson ? json_loads(ctxjson, JSON_DECODE_ANY, NULL) : NULL;
	err[0] = '\0';
	out = (char *)1;
	assert_int_equal(tmpl_render(lib, name, ctx, NULL, NULL, &out, NULL,
	    err, sizeof(err)), -1);
	assert_null(out);
	json_decref(ctx);
	return (err);
}

static void
add_ok(struct tmpl_lib *lib, const char *name, const char *src)
{
	char	 err[256];

	if (tmpl_lib_add(lib, name, src, strlen(src), err, sizeof(err)) != 0)
		fail_msg("compile %s: %s", name, err);
}

/* --- plain text and variables --- */

static void
test_text_only(void **state)
{
	(void)state;
	CHECK("hello <b>world</b> & co", NULL, "hello <b>world</b> & co");
}

static void
test_empty_template(void **state)
{
	(void)state;
	CHECK("", "{}", "");
}

static void
test_single_braces(void **state)
{
	(void)state;
	CHECK("a { b } c }} d", "{}", "a { b } c }} d");
}

static void
test_var_string(void **state)
{
	(void)state;
	CHECK("Hi {{name}}!", "{\"name\":\"Kim\"}", "Hi Kim!");
}

static void
test_var_whitespace(void **state)
{
	(void)state;
	CHECK("{{ name }}|{{\tname\n}}|{{{ name }}}|{{& name }}",
	    "{\"name\":\"x\"}", "x|x|x|x");
}

static void
test_var_integer(void **state)
{
	(void)state;
	CHECK("{{a}} {{b}} {{c}} {{d}}",
	    "{\"a\":0,\"b\":-42,\"c\":9223372036854775807,\"d\":1500000}",
	    "0 -42 9223372036854775807 1500000");
}

static void
test_var_real(void **state)
{
	(void)state;
	CHECK("{{a}} {{b}} {{c}}", "{\"a\":1.5,\"b\":-0.25,\"c\":1e300}",
	    "1.5 -0.25 1e+300");
}

static void
test_var_booleans_null(void **state)
{
	(void)state;
	CHECK("[{{t}}][{{f}}][{{n}}][{{missing}}]",
	    "{\"t\":true,\"f\":false,\"n\":null}", "[true][][][]");
}

static void
test_var_object_array_print_nothing(void **state)
{
	(void)state;
	CHECK("[{{o}}][{{a}}][{{{o}}}]", "{\"o\":{\"x\":1},\"a\":[1,2]}",
	    "[][][]");
}

static void
test_var_null_context(void **state)
{
	(void)state;
	CHECK("[{{a}}][{{.}}][{{#a}}x{{/a}}][{{^a}}y{{/a}}]", NULL,
	    "[][][][y]");
}

static void
test_var_scalar_root(void **state)
{
	(void)state;
	CHECK("[{{.}}][{{a}}]", "\"<root>\"", "[&lt;root&gt;][]");
}

/* --- escaping --- */

static void
test_escape_each_char(void **state)
{
	static const struct {
		const char	*json;
		const char	*want;
	} cases[] = {
		{ "{\"v\":\"&\"}", "&amp;" },
		{ "{\"v\":\"<\"}", "&lt;" },
		{ "{\"v\":\">\"}", "&gt;" },
		{ "{\"v\":\"\\\"\"}", "&quot;" },
		{ "{\"v\":\"'\"}", "&#39;" },
		{ "{\"v\":\"`\"}", "&#96;" },
		{ "{\"v\":\"=\"}", "&#61;" },
		{ "{\"v\":\"a&b<c>d\\\"e'f`g=h\"}",
		    "a&amp;b&lt;c&gt;d&quot;e&#39;f&#96;g&#61;h" },
		{ "{\"v\":\"&amp;\"}", "&amp;amp;" },
		{ "{\"v\":\"<script>alert(1)</script>\"}",
		    "&lt;script&gt;alert(1)&lt;/script&gt;" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK("{{v}}", cases[i].json, cases[i].want);
}

static void
test_escape_nul_dropped(void **state)
{
	(void)state;
	CHECK("{{v}}", "{\"v\":\"a\\u0000b\"}", "ab");
}

static void
test_raw_not_escaped(void **state)
{
	(void)state;
	CHECK("{{{v}}}|{{&v}}", "{\"v\":\"<b>&\"}", "<b>&|<b>&");
}

static void
test_escape_in_section_value(void **state)
{
	(void)state;
	CHECK("{{#xs}}<li>{{.}}</li>{{/xs}}", "{\"xs\":[\"<a>\",\"'\"]}",
	    "<li>&lt;a&gt;</li><li>&#39;</li>");
}

/* --- sections --- */

static void
test_section_array_of_objects(void **state)
{
	(void)state;
	CHECK("{{#items}}<{{name}}>{{/items}}",
	    "{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]}",
	    "<a><b><c>");
}

static void
test_section_array_of_scalars(void **state)
{
	(void)state;
	CHECK("{{#xs}}[{{.}}]{{/xs}}", "{\"xs\":[\"서울\",1,2.5,true,null,false]}",
	    "[서울][1][2.5][true][][]");
}

static void
test_section_empty_array(void **state)
{
	(void)state;
	CHECK("a{{#xs}}X{{/xs}}b", "{\"xs\":[]}", "ab");
}

static void
test_section_object_pushes(void **state)
{
	(void)state;
	CHECK("{{#user}}{{name}} ({{role}}){{/user}}",
	    "{\"user\":{\"name\":\"Lee\"},\"role\":\"admin\"}", "Lee (admin)");
}

static void
test_section_empty_object_truthy(void **state)
{
	(void)state;
	CHECK("{{#o}}yes{{/o}}{{^o}}no{{/o}}", "{\"o\":{}}", "yes");
}

static void
test_section_scalar_pushes_dot(void **state)
{
	(void)state;
	CHECK("{{#title}}<h2>{{.}}</h2>{{/title}}", "{\"title\":\"<T>\"}",
	    "<h2>&lt;T&gt;</h2>");
	CHECK("{{#flag}}{{name}}{{/flag}}", "{\"flag\":true,\"name\":\"n\"}",
	    "n");
}

/* Section and inverted section are exact complements for every value. */
static void
test_truthiness_table(void **state)
{
	static const struct {
		const char	*json;
		int		 truthy;
	} cases[] = {
		{ "{}", 0 },			/* missing */
		{ "{\"v\":null}", 0 },
		{ "{\"v\":false}", 0 },
		{ "{\"v\":\"\"}", 0 },
		{ "{\"v\":0}", 0 },
		{ "{\"v\":0.0}", 0 },
		{ "{\"v\":[]}", 0 },
		{ "{\"v\":true}", 1 },
		{ "{\"v\":\"0\"}", 1 },
		{ "{\"v\":\" \"}", 1 },
		{ "{\"v\":1}", 1 },
		{ "{\"v\":-1}", 1 },
		{ "{\"v\":0.5}", 1 },
		{ "{\"v\":{}}", 1 },
		{ "{\"v\":[0]}", 1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK("{{#v}}S{{/v}}{{^v}}I{{/v}}", cases[i].json,
		    cases[i].truthy ? "S" : "I");
	}
}

static void
test_inverted_nonempty_array(void **state)
{
	(void)state;
	CHECK("{{^xs}}none{{/xs}}{{#xs}}{{.}}{{/xs}}", "{\"xs\":[1,2]}", "12");
}

static void
test_nested_sections_outer_lookup(void **state)
{
	(void)state;
	CHECK("{{#cats}}{{cat}}:{{#items}}{{name}}/{{cat}}/{{site}} {{/items}};"
	    "{{/cats}}",
	    "{\"site\":\"G\",\"cats\":[{\"cat\":\"A\",\"items\":[{\"name\":\"x\"},"
	    "{\"name\":\"y\",\"cat\":\"Z\"}]},{\"cat\":\"B\",\"items\":[]}]}",
	    "A:x/A/G y/Z/G ;B:;");
}

static void
test_nested_same_name(void **state)
{
	(void)state;
	CHECK("{{#a}}{{#a}}{{a}}{{/a}}{{/a}}", "{\"a\":{\"a\":{\"a\":\"deep\"}}}",
	    "deep");
}

static void
test_section_inside_inverted(void **state)
{
	(void)state;
	CHECK("{{^off}}{{#xs}}{{.}}{{/xs}}{{/off}}", "{\"off\":false,\"xs\":[1,2]}",
	    "12");
}

/* --- paths --- */

static void
test_dotted_path(void **state)
{
	(void)state;
	CHECK("{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "deep");
	CHECK("[{{a.x.c}}]", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "[]");
	CHECK("[{{a.b.c.d}}]", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "[]");
	CHECK("[{{s.len}}]", "{\"s\":\"str\"}", "[]");
}

static void
test_dotted_first_segment_from_outer(void **state)
{
	(void)state;
	CHECK("{{#xs}}{{org.name}}{{/xs}}",
	    "{\"org\":{\"name\":\"NIA\"},\"xs\":[1,2]}", "NIANIA");
}

static void
test_dotted_no_fallback_after_first(void **state)
{
	(void)state;
	/* Inner "b" is found, so "b.c" does not fall back to the outer b. */
	CHECK("{{#a}}[{{b.c}}]{{/a}}",
	    "{\"a\":{\"b\":{}},\"b\":{\"c\":\"outer\"}}", "[]");
}

static void
test_dotted_section(void **state)
{
	(void)state;
	CHECK("{{#page.items}}{{.}},{{/page.items}}",
	    "{\"page\":{\"items\":[1,2,3]}}", "1,2,3,");
}

static void
test_array_index_path(void **state)
{
	(void)state;
	CHECK("{{xs.0}} {{xs.2.n}} [{{xs.9}}] [{{xs.x}}] [{{xs.-1}}]",
	    "{\"xs\":[\"a\",\"b\",{\"n\":\"c\"}]}", "a c [] [] []");
}

/* --- loop variables --- */

static void
test_index_first_last(void **state)
{
	(void)state;
	CHECK("{{#xs}}{{@index}}{{#@first}}F{{/@first}}{{#@last}}L{{/@last}} "
	    "{{/xs}}", "{\"xs\":[\"a\",\"b\",\"c\"]}", "0F 1 2L ");
}

static void
test_comma_list(void **state)
{
	(void)state;
	CHECK("{{#xs}}{{.}}{{^@last}}, {{/@last}}{{/xs}}",
	    "{\"xs\":[\"a\",\"b\",\"c\"]}", "a, b, c");
	CHECK("{{#xs}}{{.}}{{^@last}}, {{/@last}}{{/xs}}", "{\"xs\":[\"a\"]}",
	    "a");
}

static void
test_index_outside_loop(void **state)
{
	(void)state;
	CHECK("[{{@index}}][{{@last}}]{{^@first}}n{{/@first}}", "{}", "[][]n");
}

static void
test_index_innermost_loop(void **state)
{
	(void)state;
	CHECK("{{#a}}{{#b}}{{@index}}{{/b}}|{{#o}}{{@index}}{{/o}};{{/a}}",
	    "{\"a\":[{\"b\":[1,1,1],\"o\":{}},{\"b\":[1],\"o\":{}}]}",
	    "012|0;0|1;");
}

static void
test_index_not_from_json(void **state)
{
	(void)state;
	CHECK("[{{@index}}]", "{\"@index\":\"spoof\"}", "[]");
}

/* --- partials --- */

static void
test_partial_basic(void **state)
{
	struct tmpl_lib	*lib;
	char		*out, err[256];
	json_t		*ctx;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "page", "<ul>{{#xs}}{{>item}}{{/xs}}</ul>");
	add_ok(lib, "item", "<li>{{name}}@{{site}}</li>");
	ctx = json_pack("{s:s, s:[{s:s},{s:s}]}", "site", "G", "xs", "name",
	    "<a>", "name", "b");
	assert_non_null(ctx);
	assert_int_equal(tmpl_render(lib, "page", ctx, NULL, NULL, &out, NULL,
	    err, sizeof(err)), 0);
	assert_string_equal(out,
	    "<ul><li>&lt;a&gt;@G</li><li>b@G</li></ul>");
	free(out);
	json_decref(ctx);
	tmpl_lib_free(lib);
}

static void
test_partial_added_later_and_replaced(void **state)
{
	struct tmpl_lib	*lib;
	char		*out, err[256];

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "page", "[{{>p}}]");
	assert_string_equal(render_error(lib, "page", "{}"),
	    "template 'page' line 1: unknown partial 'p'");
	add_ok(lib, "p", "one");
	assert_int_equal(tmpl_render(lib, "page", NULL, NULL, NULL, &out, NULL,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "[one]");
	free(out);
	add_ok(lib, "p", "two");
	assert_int_equal(tmpl_render(lib, "page", NULL, NULL, NULL, &out, NULL,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "[two]");
	free(out);
	tmpl_lib_free(lib);
}

static void
test_partial_recursion_guard(void **state)
{
	struct tmpl_lib	*lib;
	const char	*err;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "a", "x{{>b}}");
	add_ok(lib, "b", "y{{>a}}");
	err = render_error(lib, "a", "{}");
	assert_non_null(strstr(err, "partials nested deeper than 32"));
	add_ok(lib, "self", "{{>self}}");
	err = render_error(lib, "self", NULL);
	assert_non_null(strstr(err, "partials nested deeper than 32"));
	tmpl_lib_free(lib);
}

static void
test_partial_bounded_recursion_tree(void **state)
{
	struct tmpl_lib	*lib;
	char		*out, err[256];
	json_t		*ctx;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "node", "({{name}}{{#kids}}{{>node}}{{/kids}})");
	/*
	 * Every node needs its own "kids": a leaf without one would find its
	 * parent's through the context stack and recurse until the guard.
	 */
	ctx = json_loads("{\"name\":\"r\",\"kids\":[{\"name\":\"a\",\"kids\":"
	    "[{\"name\":\"c\",\"kids\":[]}]},{\"name\":\"b\",\"kids\":[]}]}",
	    0, NULL);
	assert_non_null(ctx);
	assert_int_equal(tmpl_render(lib, "node", ctx, NULL, NULL, &out, NULL,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "(r(a(c))(b))");
	free(out);
	json_decref(ctx);
	tmpl_lib_free(lib);
}

static void
test_partial_leaf_inherits_kids(void **state)
{
	struct tmpl_lib	*lib;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "node", "({{name}}{{#kids}}{{>node}}{{/kids}})");
	assert_non_null(strstr(render_error(lib, "node",
	    "{\"name\":\"r\",\"kids\":[{\"name\":\"leaf\"}]}"),
	    "nested deeper than 32"));
	tmpl_lib_free(lib);
}

static void
test_partial_depth_exactly_at_limit(void **state)
{
	struct tmpl_lib	*lib;
	char		 name[16], src[32], *out, err[256];
	int		 i;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	/* p0 -> p1 -> ... -> p32: 32 nested partials is allowed. */
	for (i = 0; i < 32; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(src, sizeof(src), "{{>p%d}}", i + 1);
		add_ok(lib, name, src);
	}
	add_ok(lib, "p32", "end");
	assert_int_equal(tmpl_render(lib, "p0", NULL, NULL, NULL, &out, NULL,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "end");
	free(out);
	add_ok(lib, "p32", "{{>p33}}");
	add_ok(lib, "p33", "end");
	assert_non_null(strstr(render_error(lib, "p0", NULL),
	    "nested deeper than 32"));
	tmpl_lib_free(lib);
}

/* --- translations and comments --- */

static void
test_translation(void **state)
{
	(void)state;
	CHECK("<h1>{{_search.title}}</h1>", "{}", "<h1>서비스 검색</h1>");
	CHECK("{{_greeting}}", "{}", "안녕하세요 &lt;b&gt;&quot;&amp;&#39;");
	CHECK("[{{_no.such.key}}]", "{}", "[no.such.key]");
	CHECK("{{ _search.title }}|{{_ search.title}}", "{}",
	    "서비스 검색|서비스 검색");
}

static void
test_translation_without_strfn(void **state)
{
	struct tmpl_lib	*lib;
	char		*out, err[256];

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "t", "{{_a.b}}|{{_<x>}}");
	assert_int_equal(tmpl_render(lib, "t", NULL, NULL, NULL, &out, NULL,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "a.b|&lt;x&gt;");
	free(out);
	tmpl_lib_free(lib);
}

static void
test_comment(void **state)
{
	(void)state;
	CHECK("a{{! a comment }}b{{!\nmulti\nline\n}}c", "{}", "abc");
	CHECK("a{{ ! {{x}} b", "{}", "a b");
}

static void
test_whitespace_before_sigil(void **state)
{
	(void)state;
	CHECK("{{ # xs }}{{ . }}{{ / xs }}{{ ^ xs }}none{{ /xs }}",
	    "{\"xs\":[1,2]}", "12");
	CHECK("{{ & v }}", "{\"v\":\"<b>\"}", "<b>");
}

/* --- parse errors --- */

static void
test_err_unclosed_tag(void **state)
{
	(void)state;
	CHECK_ERR("hello {{name", "line 1: unclosed tag");
	CHECK_ERR("a\nb\n{{name}", "line 3: unclosed tag");
	CHECK_ERR("{{{name}}", "line 1: unclosed tag");
	CHECK_ERR("{{", "line 1: unclosed tag");
}

static void
test_err_unclosed_section(void **state)
{
	(void)state;
	CHECK_ERR("x\n\n{{#items}}\n{{name}}\n", "line 3: unclosed section 'items'");
	CHECK_ERR("{{#a}}{{#b}}{{/b}}", "line 1: unclosed section 'a'");
	CHECK_ERR("{{^a}}", "line 1: unclosed section 'a'");
}

static void
test_err_mismatched_close(void **state)
{
	(void)state;
	CHECK_ERR("{{#a}}\n{{#b}}\n{{/a}}{{/b}}", "line 3: close 'a' does not "
	    "match section 'b' opened on line 2");
}

static void
test_err_stray_close(void **state)
{
	(void)state;
	CHECK_ERR("a\n{{/a}}", "line 2: unexpected close 'a'");
	CHECK_ERR("{{#a}}{{/a}}{{/a}}", "line 1: unexpected close 'a'");
}

static void
test_err_empty_tags(void **state)
{
	(void)state;
	CHECK_ERR("{{}}", "line 1: empty tag");
	CHECK_ERR("{{ }}", "line 1: empty tag");
	CHECK_ERR("{{#}}", "line 1: empty tag");
	CHECK_ERR("{{{}}}", "line 1: empty tag");
	CHECK_ERR("{{>}}", "line 1: empty tag");
	CHECK_ERR("{{_ }}", "line 1: empty tag");
	CHECK_ERR("{{/}}", "line 1: empty tag");
}

static void
test_err_bad_names(void **state)
{
	(void)state;
	CHECK_ERR("{{a..b}}", "line 1: bad name 'a..b'");
	CHECK_ERR("{{.a}}", "line 1: bad name '.a'");
	CHECK_ERR("{{a.}}", "line 1: bad name 'a.'");
	CHECK_ERR("{{#..}}{{/..}}", "line 1: bad name '..'");
	CHECK_ERR("{{@foo}}", "line 1: bad name '@foo'");
	CHECK_ERR("{{@index.x}}", "line 1: bad name '@index.x'");
}

static void
test_err_set_delimiter(void **state)
{
	(void)state;
	CHECK_ERR("{{=<% %>=}}", "line 1: set-delimiter tags are not supported");
}

static void
test_err_nesting(void **state)
{
	char	 src[64 * 16 + 64];
	size_t	 i, len;

	(void)state;
	len = 0;
	for (i = 0; i < TMPL_MAX_NESTING + 1; i++)
		len += snprintf(src + len, sizeof(src) - len, "{{#a}}");
	assert_string_equal(compile_error(src),
	    "line 1: sections nested deeper than 64");
}

static void
test_err_line_numbers(void **state)
{
	(void)state;
	CHECK_ERR("1\n2\n{{! 3\n4 }}\n5{{#x}}\n6\n{{/y}}",
	    "line 7: close 'y' does not match section 'x' opened on line 5");
}

static void
test_err_keeps_old_template(void **state)
{
	struct tmpl_lib	*lib;
	char		 err[256], *out;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "t", "old");
	assert_int_equal(tmpl_lib_add(lib, "t", "{{#x}}", 6, err, sizeof(err)),
	    -1);
	assert_true(tmpl_lib_has(lib, "t"));
	assert_int_equal(tmpl_render(lib, "t", NULL, NULL, NULL, &out, NULL,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "old");
	free(out);
	tmpl_lib_free(lib);
}

static void
test_err_null_args(void **state)
{
	struct tmpl_lib	*lib;
	char		 err[64];

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	assert_int_equal(tmpl_lib_add(lib, NULL, "x", 1, err, sizeof(err)), -1);
	assert_int_equal(tmpl_lib_add(lib, "t", NULL, 1, err, sizeof(err)), -1);
	assert_int_equal(tmpl_lib_add(lib, "t", NULL, 0, NULL, 0), 0);
	assert_int_equal(tmpl_lib_add(NULL, "t", "x", 1, NULL, 0), -1);
	assert_false(tmpl_lib_has(NULL, "t"));
	assert_false(tmpl_lib_has(lib, NULL));
	tmpl_lib_free(lib);
	tmpl_lib_free(NULL);
}

static void
test_unknown_template(void **state)
{
	struct tmpl_lib	*lib;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "a", "x");
	assert_true(tmpl_lib_has(lib, "a"));
	assert_false(tmpl_lib_has(lib, "b"));
	assert_string_equal(render_error(lib, "b", NULL),
	    "unknown template 'b'");
	tmpl_lib_free(lib);
}

/* --- unicode, embedded bytes, sizes, limits --- */

static void
test_korean_passthrough(void **state)
{
	(void)state;
	CHECK("<p>클라우드 {{name}} — {{{raw}}}</p>",
	    "{\"name\":\"구름 \\\"마켓\\\"\",\"raw\":\"<em>공공</em>\"}",
	    "<p>클라우드 구름 &quot;마켓&quot; — <em>공공</em></p>");
	CHECK("{{이름}}", "{\"이름\":\"홍길동\"}", "홍길동");
}

static void
test_template_with_nul_bytes(void **state)
{
	struct tmpl_lib	*lib;
	char		 err[256], *out;
	size_t		 len;
	static const char src[] = "a\0b{{x}}\0";

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	assert_int_equal(tmpl_lib_add(lib, "t", src, sizeof(src) - 1, err,
	    sizeof(err)), 0);
	assert_int_equal(tmpl_render(lib, "t", NULL, NULL, NULL, &out, &len,
	    err, sizeof(err)), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "a\0b\0", 5);
	free(out);
	tmpl_lib_free(lib);
}

static void
test_large_template(void **state)
{
	struct tmpl_lib	*lib;
	char		*src, *out, err[256];
	size_t		 i, len, outlen;
	json_t		*ctx;

	(void)state;
	/* 1 MiB of "ab{{v}}\n" repeated. */
	len = 1024 * 1024;
	assert_non_null(src = malloc(len));
	for (i = 0; i + 8 <= len; i += 8)
		memcpy(src + i, "ab{{v}}\n", 8);
	assert_non_null(lib = tmpl_lib_new());
	assert_int_equal(tmpl_lib_add(lib, "t", src, len, err, sizeof(err)), 0);
	assert_non_null(ctx = json_pack("{s:s}", "v", "<"));
	assert_int_equal(tmpl_render(lib, "t", ctx, NULL, NULL, &out, &outlen,
	    err, sizeof(err)), 0);
	assert_int_equal(outlen, (len / 8) * 7);
	assert_memory_equal(out, "ab&lt;\n", 7);
	free(out);
	free(src);
	json_decref(ctx);
	tmpl_lib_free(lib);
}

static void
test_large_array(void **state)
{
	struct tmpl_lib	*lib;
	char		*out, err[256];
	size_t		 i, outlen;
	json_t		*ctx, *xs;

	(void)state;
	assert_non_null(xs = json_array());
	for (i = 0; i < 100000; i++)
		assert_int_equal(json_array_append_new(xs, json_integer(i % 10)),
		    0);
	assert_non_null(ctx = json_pack("{s:o}", "xs", xs));
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "t", "{{#xs}}{{.}}{{/xs}}");
	assert_int_equal(tmpl_render(lib, "t", ctx, NULL, NULL, &out, &outlen,
	    err, sizeof(err)), 0);
	assert_int_equal(outlen, 100000);
	assert_memory_equal(out, "0123456789", 10);
	free(out);
	json_decref(ctx);
	tmpl_lib_free(lib);
}

static void
test_output_limit(void **state)
{
	struct tmpl_lib	*lib;
	char		*big, *out, err[256];
	size_t		 len;
	json_t		*ctx;

	(void)state;
	len = 1024 * 1024;
	assert_non_null(big = malloc(len + 1));
	memset(big, 'x', len);
	big[len] = '\0';
	assert_non_null(ctx = json_pack("{s:s, s:[iiiiiiiiiiiiiiiiiiii]}", "big",
	    big, "xs", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
	    18, 19, 20));
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "t", "{{#xs}}{{big}}{{/xs}}");
	assert_int_equal(tmpl_render(lib, "t", ctx, NULL, NULL, &out, NULL, err,
	    sizeof(err)), -1);
	assert_null(out);
	assert_non_null(strstr(err, "output larger than"));
	free(big);
	json_decref(ctx);
	tmpl_lib_free(lib);
}

static void
test_step_limit(void **state)
{
	struct tmpl_lib	*lib;
	json_t		*ctx, *xs;
	char		 err[256], *out;
	size_t		 i;

	(void)state;
	/* 300^4 empty iterations: must stop on the step budget, not hang. */
	assert_non_null(xs = json_array());
	for (i = 0; i < 300; i++)
		json_array_append_new(xs, json_true());
	assert_non_null(ctx = json_pack("{s:o}", "xs", xs));
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "t", "{{#xs}}{{#xs}}{{#xs}}{{#xs}}{{/xs}}{{/xs}}{{/xs}}"
	    "{{/xs}}");
	assert_int_equal(tmpl_render(lib, "t", ctx, NULL, NULL, &out, NULL,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "steps"));
	json_decref(ctx);
	tmpl_lib_free(lib);
}

static void
test_render_many_times(void **state)
{
	struct tmpl_lib	*lib;
	json_t		*ctx;
	char		*out, err[256], want[32];
	int		 i;

	(void)state;
	assert_non_null(lib = tmpl_lib_new());
	add_ok(lib, "t", "<i>{{n}}</i>");
	for (i = 0; i < 1000; i++) {
		assert_non_null(ctx = json_pack("{s:i}", "n", i));
		assert_int_equal(tmpl_render(lib, "t", ctx, NULL, NULL, &out,
		    NULL, err, sizeof(err)), 0);
		snprintf(want, sizeof(want), "<i>%d</i>", i);
		assert_string_equal(out, want);
		free(out);
		json_decref(ctx);
	}
	tmpl_lib_free(lib);
}

/* --- tmpl_buf --- */

static void
test_buf(void **state)
{
	struct tmpl_buf	 b;
	char		*s, big[1000];
	size_t		 len;

	(void)state;
	tmpl_buf_init(&b);
	assert_non_null(s = tmpl_buf_release(&b, &len));
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	assert_int_equal(tmpl_buf_appendstr(&b, "a"), 0);
	assert_int_equal(tmpl_buf_append(&b, "bcd", 2), 0);
	assert_int_equal(tmpl_buf_escape(&b, "<'>", 3), 0);
	assert_int_equal(tmpl_buf_printf(&b, "[%d:%s]", 42, "x"), 0);
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(tmpl_buf_printf(&b, "%s", big), 0);
	assert_int_equal(b.len, 1 + 2 + 13 + 6 + 999);
	assert_non_null(s = tmpl_buf_release(&b, NULL));
	assert_memory_equal(s, "abc&lt;&#39;&gt;[42:x]zzz", 25);
	assert_int_equal(strlen(s), 1 + 2 + 13 + 6 + 999);
	free(s);
	assert_null(b.data);

	tmpl_buf_appendstr(&b, "x");
	tmpl_buf_free(&b);
	assert_int_equal(b.len, 0);
	tmpl_buf_free(&b);

	b.failed = 1;
	assert_int_equal(tmpl_buf_appendstr(&b, "x"), -1);
	assert_null(tmpl_buf_release(&b, NULL));
}

/* --- fuzz loop --- */

static uint64_t	 rng_state;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return ((uint32_t)(rng_state >> 11));
}

static const char *
pick(const char *const *v, size_t n)
{
	return (v[rng() % n]);
}

#define PICK(v)	pick((v), sizeof(v) / sizeof((v)[0]))

static const char *const hostile[] = {
	"<", ">", "\"", "'", "&", "`", "=", "<script>", "&amp;", "a", "한글",
	"{{x}}", " ", "\n", "\\", "</b>", "\"><img src=x onerror=1>",
};
static const char *const keys[] = { "a", "b", "c", "@x", "." };

static json_t *
rand_json(int depth)
{
	json_t	*v;
	char	 s[128];
	size_t	 i, n;

	switch (rng() % (depth > 0 ? 9 : 6)) {
	case 0:
		return (json_null());
	case 1:
		return (rng() % 2 ? json_true() : json_false());
	case 2:
		return (json_integer((json_int_t)(rng() % 5) - 2));
	case 3:
		return (json_real((double)(rng() % 100) / 8.0));
	case 4:
	case 5:
		s[0] = '\0';
		n = rng() % 4;
		for (i = 0; i < n; i++)
			strcat(s, PICK(hostile));
		if (rng() % 8 == 0)	/* an embedded NUL byte */
			return (json_stringn(s, strlen(s) + 1));
		return (json_string(s));
	case 6:
	case 7:
		v = json_object();
		n = rng() % 4;
		for (i = 0; i < n; i++)
			json_object_set_new(v, PICK(keys), rand_json(depth - 1));
		return (v);
	default:
		v = json_array();
		n = rng() % 4;
		for (i = 0; i < n; i++)
			json_array_append_new(v, rand_json(depth - 1));
		return (v);
	}
}

/* Hostile strfn: translations are full of markup too. */
static const char *
hostile_strfn(const char *key, void *arg)
{
	(void)arg;
	if (key[0] == 'a')
		return ("<b title=\"x\">&'`</b>");
	return (NULL);
}

/*
 * Builds a template of escaped tags, balanced sections and harmless text,
 * with {{>p}} and {{>q}} if partials is set.  Returns bytes written.
 */
static size_t
rand_safe_tmpl(char *buf, size_t cap, int depth, int partials)
{
	static const char *const text[] = {
		"x", " ", "\n", "한국", "}", "-", "#", "/", ".", "@",
	};
	static const char *const names[] = {
		"a", "b", "c", "a.b", "b.c.a", ".", "@index", "@last", "@first",
		"a.0", "x",
	};
	size_t		 len, n, i;
	const char	*name;
	int		 kind;

	len = 0;
	n = rng() % 6;
	for (i = 0; i < n && len + 200 < cap; i++) {
		kind = rng() % 8;
		name = PICK(names);
		switch (kind) {
		case 0:
		case 1:
			len += snprintf(buf + len, cap - len, "%s", PICK(text));
			break;
		case 2:
		case 3:
			len += snprintf(buf + len, cap - len, "{{ %s }}", name);
			break;
		case 4:
			len += snprintf(buf + len, cap - len, "{{_%s}}",
			    rng() % 2 ? "a.k" : "<k>");
			break;
		case 5:
			if (partials)
				len += snprintf(buf + len, cap - len, "{{>%s}}",
				    rng() % 2 ? "p" : "q");
			break;
		default:
			if (depth <= 0)
				break;
			len += snprintf(buf + len, cap - len, "{{%c%s}}",
			    rng() % 2 ? '#' : '^', name);
			len += rand_safe_tmpl(buf + len, cap - len - 64,
			    depth - 1, partials);
			len += snprintf(buf + len, cap - len, "{{/%s}}", name);
			break;
		}
	}
	buf[len] = '\0';
	return (len);
}

/*
 * Random bytes biased towards template syntax, for crash hunting.  It may
 * include the partial p but never t, so there is no recursion here: a
 * recursive partial that fans out is only stopped by the step budget,
 * which is correct but too slow for 20,000 iterations.
 */
static size_t
rand_chaos_tmpl(char *buf, size_t cap)
{
	static const char *const bits[] = {
		"{{", "}}", "{{{", "}}}", "#", "^", "/", ">", "&", "!", "_",
		"=", ".", "a", "b", "@index", "@last", " ", "\n", "p", "<", "\0",
		"{{#a}}", "{{/a}}", "{{>p}}", "{{.}}",
	};
	size_t		 len, n, i, blen;
	const char	*b;

	len = 0;
	n = rng() % 24;
	for (i = 0; i < n; i++) {
		b = PICK(bits);
		blen = (b[0] == '\0') ? 1 : strlen(b);
		if (len + blen >= cap)
			break;
		memcpy(buf + len, b, blen);
		len += blen;
	}
	return (len);
}

/*
 * Returns 1 if out has no < > " ' and every & opens one of the character
 * references tmpl_buf_escape() writes.
 */
static int
markup_free(const char *out, size_t len)
{
	static const char *const ents[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#96;", "&#61;",
	};
	size_t	 i, k;

	for (i = 0; i < len; i++) {
		if (out[i] == '<' || out[i] == '>' || out[i] == '"' ||
		    out[i] == '\'')
			return (0);
		if (out[i] != '&')
			continue;
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			if (strncmp(out + i, ents[k], strlen(ents[k])) == 0)
				break;
		}
		if (k == sizeof(ents) / sizeof(ents[0]))
			return (0);
	}
	return (1);
}

static void
test_fuzz_loop(void **state)
{
	struct tmpl_lib	*lib;
	json_t		*ctx;
	char		 src[4096], err[256], *out;
	size_t		 len, outlen, j;
	int		 it, ok, rendered;
	clock_t		 start;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	rendered = 0;
	start = clock();
	assert_non_null(lib = tmpl_lib_new());
	for (it = 0; it < FUZZ_ITERATIONS; it++) {
		ctx = rand_json(4);
		if (it % 2 == 0) {
			/* Safe templates: must compile, must never leak markup. */
			for (j = 0; j < 3; j++) {
				len = rand_safe_tmpl(src, sizeof(src), 3,
				    j == 0);
				if (tmpl_lib_add(lib, j == 0 ? "t" :
				    j == 1 ? "p" : "q", src, len, err,
				    sizeof(err)) != 0)
					fail_msg("safe template failed: %s: %s",
					    src, err);
			}
			if (tmpl_render(lib, "t", ctx, hostile_strfn, NULL,
			    &out, &outlen, err, sizeof(err)) != 0)
				fail_msg("safe render failed: %s: %s", src, err);
			rendered++;
			if (!markup_free(out, outlen))
				fail_msg("markup leaked: '%s' from '%s'", out,
				    src);
			free(out);
		} else {
			/* Chaos templates: any outcome but a crash. */
			len = rand_chaos_tmpl(src, sizeof(src));
			ok = tmpl_lib_add(lib, "t", src, len, err, sizeof(err));
			assert_true(ok == 0 || strncmp(err, "line ", 5) == 0);
			if (tmpl_render(lib, "t", ctx, hostile_strfn, NULL,
			    &out, &outlen, err, sizeof(err)) == 0)
				free(out);
		}
		json_decref(ctx);
	}
	tmpl_lib_free(lib);
	assert_int_equal(rendered, FUZZ_ITERATIONS / 2);
	print_message("fuzz: %d iterations, %d safe renders, %.2fs\n",
	    FUZZ_ITERATIONS, rendered,
	    (double)(clock() - start) / CLOCKS_PER_SEC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_only),
		cmocka_unit_test(test_empty_template),
		cmocka_unit_test(test_single_braces),
		cmocka_unit_test(test_var_string),
		cmocka_unit_test(test_var_whitespace),
		cmocka_unit_test(test_var_integer),
		cmocka_unit_test(test_var_real),
		cmocka_unit_test(test_var_booleans_null),
		cmocka_unit_test(test_var_object_array_print_nothing),
		cmocka_unit_test(test_var_null_context),
		cmocka_unit_test(test_var_scalar_root),
		cmocka_unit_test(test_escape_each_char),
		cmocka_unit_test(test_escape_nul_dropped),
		cmocka_unit_test(test_raw_not_escaped),
		cmocka_unit_test(test_escape_in_section_value),
		cmocka_unit_test(test_section_array_of_objects),
		cmocka_unit_test(test_section_array_of_scalars),
		cmocka_unit_test(test_section_empty_array),
		cmocka_unit_test(test_section_object_pushes),
		cmocka_unit_test(test_section_empty_object_truthy),
		cmocka_unit_test(test_section_scalar_pushes_dot),
		cmocka_unit_test(test_truthiness_table),
		cmocka_unit_test(test_inverted_nonempty_array),
		cmocka_unit_test(test_nested_sections_outer_lookup),
		cmocka_unit_test(test_nested_same_name),
		cmocka_unit_test(test_section_inside_inverted),
		cmocka_unit_test(test_dotted_path),
		cmocka_unit_test(test_dotted_first_segment_from_outer),
		cmocka_unit_test(test_dotted_no_fallback_after_first),
		cmocka_unit_test(test_dotted_section),
		cmocka_unit_test(test_array_index_path),
		cmocka_unit_test(test_index_first_last),
		cmocka_unit_test(test_comma_list),
		cmocka_unit_test(test_index_outside_loop),
		cmocka_unit_test(test_index_innermost_loop),
		cmocka_unit_test(test_index_not_from_json),
		cmocka_unit_test(test_partial_basic),
		cmocka_unit_test(test_partial_added_later_and_replaced),
		cmocka_unit_test(test_partial_recursion_guard),
		cmocka_unit_test(test_partial_bounded_recursion_tree),
		cmocka_unit_test(test_partial_leaf_inherits_kids),
		cmocka_unit_test(test_partial_depth_exactly_at_limit),
		cmocka_unit_test(test_translation),
		cmocka_unit_test(test_translation_without_strfn),
		cmocka_unit_test(test_comment),
		cmocka_unit_test(test_whitespace_before_sigil),
		cmocka_unit_test(test_err_unclosed_tag),
		cmocka_unit_test(test_err_unclosed_section),
		cmocka_unit_test(test_err_mismatched_close),
		cmocka_unit_test(test_err_stray_close),
		cmocka_unit_test(test_err_empty_tags),
		cmocka_unit_test(test_err_bad_names),
		cmocka_unit_test(test_err_set_delimiter),
		cmocka_unit_test(test_err_nesting),
		cmocka_unit_test(test_err_line_numbers),
		cmocka_unit_test(test_err_keeps_old_template),
		cmocka_unit_test(test_err_null_args),
		cmocka_unit_test(test_unknown_template),
		cmocka_unit_test(test_korean_passthrough),
		cmocka_unit_test(test_template_with_nul_bytes),
		cmocka_unit_test(test_large_template),
		cmocka_unit_test(test_large_array),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_step_limit),
		cmocka_unit_test(test_render_many_times),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_fuzz_loop),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
