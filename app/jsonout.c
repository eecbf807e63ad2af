/*
 * jsonout.c - json_dumps(JSON_COMPACT) without its per-container cost.
 *
 * Why: jansson 2.14 guards every object and array it dumps against
 * cycles with a hashtable keyed by the container's address printed with
 * snprintf("%p"), inserted and removed once per container. A search
 * answer has hundreds to thousands of small objects (cards, facet
 * values: every runs-on host), and the guard was a quarter of a small
 * search request's time (perf, docs/benchmarks.md "Search at scale").
 * The view models handed to the web layer are trees built by our own
 * handlers, which never contain cycles, so this writer walks them
 * without the guard and writes the same bytes json_dumps(v,
 * JSON_COMPACT) writes: keys in insertion order, strings as UTF-8 with
 * only '"', '\\' and control characters escaped, reals formatted by
 * jansson itself. tests/unit/test_jsonout.c compares the two.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"

struct jbuf {
	char	*p;
	size_t	 len, cap;
	int	 failed;
};

static void
jb_put(struct jbuf *b, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap != 0 ? b->cap : 1024;
		while (b->len + n + 1 > ncap)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
jb_string(struct jbuf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, run;
	unsigned char		 c;
	char			 esc[6];

	jb_put(b, "\"", 1);
	run = 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jb_put(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			jb_put(b, "\\\"", 2);
			break;
		case '\\':
			jb_put(b, "\\\\", 2);
			break;
		case '\b':
			jb_put(b, "\\b", 2);
			break;
		case '\f':
			jb_put(b, "\\f", 2);
			break;
		case '\n':
			jb_put(b, "\\n", 2);
			break;
		case '\r':
			jb_put(b, "\\r", 2);
			break;
		case '\t':
			jb_put(b, "\\t", 2);
			break;
		default:
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			jb_put(b, esc, 6);
			break;
		}
	}
	jb_put(b, s + run, n - run);
	jb_put(b, "\"", 1);
}

static void
jb_value(struct jbuf *b, const json_t *v)
{
	const char	*key;
	json_t		*x;
	char		 num[32], *r;
	size_t		 i;
	int		 first;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jb_put(b, "{", 1);
		first = 1;
		json_object_foreach((json_t *)v, key, x) {
			if (!first)
				jb_put(b, ",", 1);
			first = 0;
			jb_string(b, key, strlen(key));
			jb_put(b, ":", 1);
			jb_value(b, x);
		}
		jb_put(b, "}", 1);
		break;
	case JSON_ARRAY:
		jb_put(b, "[", 1);
		for (i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				jb_put(b, ",", 1);
			jb_value(b, json_array_get(v, i));
		}
		jb_put(b, "]", 1);
		break;
	case JSON_STRING:
		jb_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		jb_put(b, num, strlen(num));
		break;
	case JSON_REAL:
		/* Rare in our answers: jansson's own formatting. */
		if ((r = json_dumps(v, JSON_ENCODE_ANY)) == NULL) {
			b->failed = 1;
			return;
		}
		jb_put(b, r, strlen(r));
		free(r);
		break;
	case JSON_TRUE:
		jb_put(b, "true", 4);
		break;
	case JSON_FALSE:
		jb_put(b, "false", 5);
		break;
	case JSON_NULL:
		jb_put(b, "null", 4);
		break;
	}
}

char *
jsonout_dumps(const json_t *v, size_t *len)
{
	struct jbuf	b;

	memset(&b, 0, sizeof(b));
	if (v == NULL || (!json_is_object(v) && !json_is_array(v)))
		return (NULL);
	jb_value(&b, v);
	if (b.failed) {
		free(b.p);
		return (NULL);
	}
	if (len != NULL)
		*len = b.len;
	return (b.p);
}
