/*
 * test_jsonout.c - app/jsonout.c writes exactly what json_dumps(v,
 * JSON_COMPACT) writes: on hand-made values covering every type and
 * every character that needs escaping, and on 3,000 random trees of
 * random UTF-8 text, numbers and nesting.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"

static void
same(json_t *v)
{
	char	*a, *b;
	size_t	 len;

	assert_non_null(v);
	a = json_dumps(v, JSON_COMPACT);
	b = jsonout_dumps(v, &len);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(b, a);
	assert_int_equal(len, strlen(a));
	free(a);
	free(b);
	json_decref(v);
}

static void
test_types(void **state)
{
	json_t	*o;
	char	 ctl[40];
	int	 i;

	(void)state;
	same(json_object());
	same(json_array());
	same(json_pack("{s:s, s:i, s:I, s:I, s:b, s:b, s:n, s:f, s:f, s:f}",
	    "s", "x", "i", -7, "max", (json_int_t)INT64_MAX,
	    "min", (json_int_t)INT64_MIN, "t", 1, "f", 0, "z",
	    "r", 1.5, "big", 1e300, "tenth", 0.1));
	same(json_pack("[[], {}, [[[i]]], {s:{s:[]}}]", 1, "a", "b"));
	for (i = 0; i < 32; i++)
		ctl[i] = (char)(i + 1 == 32 ? 0x7f : i + 1);
	ctl[32] = '\0';
	same(json_pack("{s:s, s:s, s:s}", "ctl", ctl,
	    "quote\"key\\", "a\"b\\c/d</script>",
	    "한국어 키", "클라우드 ☁ \xf0\x9f\x98\x80 é"));
	/* An embedded NUL (json_stringn) becomes \u0000. */
	o = json_object();
	json_object_set_new(o, "nul", json_stringn("a\0b", 3));
	same(o);
	/* Insertion order, also after a key is replaced and one removed. */
	o = json_pack("{s:i, s:i, s:i}", "z", 1, "a", 2, "m", 3);
	json_object_set_new(o, "a", json_integer(4));
	json_object_del(o, "z");
	json_object_set_new(o, "b", json_true());
	same(o);
	assert_null(jsonout_dumps(json_integer(1), NULL));
}

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((unsigned)(rng % n));
}

/* Random valid UTF-8 of up to 12 code points, controls included. */
static void
rnd_text(char *out)
{
	unsigned	cp, n = rnd(13), i;
	char		*p = out;

	for (i = 0; i < n; i++) {
		switch (rnd(5)) {
		case 0:
			cp = rnd(0x20);
			if (cp == 0)
				cp = 0x1f;
			break;
		case 1:
			cp = 0x20 + rnd(0x60);
			break;
		case 2:
			cp = 0xac00 + rnd(11172);	/* Hangul */
			break;
		case 3:
			cp = 0x80 + rnd(0x780);
			break;
		default:
			cp = 0x10000 + rnd(0x10000);
			break;
		}
		if (cp < 0x80) {
			*p++ = (char)cp;
		} else if (cp < 0x800) {
			*p++ = (char)(0xc0 | (cp >> 6));
			*p++ = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*p++ = (char)(0xe0 | (cp >> 12));
			*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*p++ = (char)(0x80 | (cp & 0x3f));
		} else {
			*p++ = (char)(0xf0 | (cp >> 18));
			*p++ = (char)(0x80 | ((cp >> 12) & 0x3f));
			*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*p++ = (char)(0x80 | (cp & 0x3f));
		}
	}
	*p = '\0';
}

static json_t *
rnd_value(int depth)
{
	char	 text[64];
	json_t	*v;
	unsigned n, i;

	switch (depth > 4 ? 2 + rnd(5) : rnd(7)) {
	case 0:
		v = json_object();
		n = rnd(6);
		for (i = 0; i < n; i++) {
			rnd_text(text);
			json_object_set_new(v, text, rnd_value(depth + 1));
		}
		return (v);
	case 1:
		v = json_array();
		n = rnd(6);
		for (i = 0; i < n; i++)
			json_array_append_new(v, rnd_value(depth + 1));
		return (v);
	case 2:
	case 3:
		rnd_text(text);
		return (json_string(text));
	case 4:
		return (json_integer((json_int_t)rnd(2000000) - 1000000));
	case 5:
		return (json_real((double)rnd(100000) / 7.0));
	default:
		return (rnd(3) == 0 ? json_null() : json_boolean(rnd(2)));
	}
}

static void
test_random(void **state)
{
	json_t	*v;
	int	 i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		v = json_array();
		json_array_append_new(v, rnd_value(0));
		same(v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_random),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
