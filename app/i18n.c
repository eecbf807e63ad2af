/*
 * i18n.c - load the Korean/English string table and negotiate a language.
 *
 * The table is kept as the parsed jansson object: it is read once at
 * startup, validated in full (both languages present, non-empty, no other
 * members) and then only read, so lookups hand out strings
 * borrowed from it.  Negotiation is a small hand-written parser for
 * Accept-Language (RFC 9110 section 12.5.4) that treats anything it does
 * not understand as absent; it never fails, it falls back to Korean.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "i18n.h"

struct i18n {
	json_t		*table;
};

/*
 * Where a language stands after reading Accept-Language.  Doubling q
 * leaves room for 1, "not named": below any q > 0, above an explicit
 * refusal (q=0).  So "fr" leaves both at 1 and Korean wins as the
 * default, while "ko;q=0" lets the unnamed English win.
 */
struct lang_score {
	int		 score;	/* 2 * q (0-2000); 1 if not named */
	size_t		 pos;	/* index of the entry that set score */
};

#define POS_NONE	((size_t)-1)

static void	seterr(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	text_ok(json_t *);
static int	is_ows(char);
static int	is_alpha(char);
static int	is_alnum(char);
static int	lower(char);
static int	qvalue(const char *, size_t);
static int	parse_entry(const char *, size_t, const char **, size_t *,
		    int *);
static void	note(struct lang_score *, int, size_t);

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * A usable text is a non-empty JSON string.  NUL bytes cannot occur:
 * without JSON_ALLOW_NUL jansson refuses \u0000 in strings and keys.
 */
static int
text_ok(json_t *v)
{
	return (json_is_string(v) && json_string_length(v) > 0);
}

struct i18n *
i18n_load(const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t	 jerr;
	json_t		*root, *entry, *v;
	const char	*key, *lang;
	struct i18n	*t;

	if (json == NULL) {
		seterr(err, errlen, "no string table");
		return (NULL);
	}
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &jerr)) == NULL) {
		seterr(err, errlen, "line %d: %s", jerr.line, jerr.text);
		return (NULL);
	}
	if (!json_is_object(root)) {
		seterr(err, errlen, "string table is not a JSON object");
		goto fail;
	}

	json_object_foreach(root, key, entry) {
		if (key[0] == '\0') {
			seterr(err, errlen, "empty key");
			goto fail;
		}
		if (!json_is_object(entry)) {
			seterr(err, errlen, "key '%.64s': not an object", key);
			goto fail;
		}
		if (!text_ok(json_object_get(entry, "ko"))) {
			seterr(err, errlen, "key '%.64s': missing Korean (ko) "
			    "text", key);
			goto fail;
		}
		if (!text_ok(json_object_get(entry, "en"))) {
			seterr(err, errlen, "key '%.64s': missing English (en) "
			    "text", key);
			goto fail;
		}
		json_object_foreach(entry, lang, v) {
			if (strcmp(lang, "ko") != 0 &&
			    strcmp(lang, "en") != 0) {
				seterr(err, errlen, "key '%.64s': unknown "
				    "language '%.16s'", key, lang);
				goto fail;
			}
		}
	}

	if ((t = malloc(sizeof(*t))) == NULL) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	t->table = root;
	return (t);

fail:
	json_decref(root);
	return (NULL);
}

void
i18n_free(struct i18n *t)
{
	if (t == NULL)
		return;
	json_decref(t->table);
	free(t);
}

size_t
i18n_count(const struct i18n *t)
{
	return (t == NULL ? 0 : json_object_size(t->table));
}

const char *
i18n_get(const struct i18n *t, const char *key, const char *lang)
{
	json_t	*entry;

	if (t == NULL || key == NULL)
		return (NULL);
	if ((entry = json_object_get(t->table, key)) == NULL)
		return (NULL);
	if (lang != NULL && strcmp(lang, "en") == 0)
		return (json_string_value(json_object_get(entry, "en")));
	return (json_string_value(json_object_get(entry, "ko")));
}

const char *
i18n_strfn(const char *key, void *arg)
{
	struct i18n_ctx	*c;
	const char	*s;

	c = arg;
	if (c == NULL || (s = i18n_get(c->t, key, c->lang)) == NULL)
		return (key);
	return (s);
}

static int
is_ows(char c)
{
	return (c == ' ' || c == '\t');
}

static int
is_alpha(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static int
is_alnum(char c)
{
	return (is_alpha(c) || (c >= '0' && c <= '9'));
}

/* ASCII only: the C library's tolower() depends on the locale. */
static int
lower(char c)
{
	return ((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
}

/*
 * Parses an RFC 9110 qvalue ("0", "0.5", "1.000") of exactly len bytes.
 * Returns thousandths (0-1000), or -1 if malformed.
 */
static int
qvalue(const char *s, size_t len)
{
	size_t	 i;
	int	 q, scale;

	if (len == 0 || (s[0] != '0' && s[0] != '1') || len > 5)
		return (-1);
	q = (s[0] - '0') * 1000;
	if (len == 1)
		return (q);
	if (s[1] != '.')
		return (-1);
	for (i = 2, scale = 100; i < len; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		q += (s[i] - '0') * scale;
	}
	return (q > 1000 ? -1 : q);
}

/*
 * Parses one comma-separated entry of len bytes, e.g. " en-US ; q=0.8".
 * Sets *tag to its start, *taglen to the length of the primary subtag
 * ("en"), or 1 for "*", and *q to the quality in thousandths.  Returns 0,
 * or -1 for an entry to ignore: empty, malformed range, or malformed q.
 */
static int
parse_entry(const char *s, size_t len, const char **tag, size_t *taglen,
    int *q)
{
	size_t	 i, n, v;

	for (i = 0; i < len && is_ows(s[i]); i++)
		;
	*tag = s + i;
	if (i < len && s[i] == '*') {
		i++;
		*taglen = 1;
	} else {
		for (n = 0; i < len && is_alpha(s[i]); i++)
			n++;
		if (n == 0 || n > 8)
			return (-1);
		*taglen = n;
		while (i < len && s[i] == '-') {
			for (i++, n = 0; i < len && is_alnum(s[i]); i++)
				n++;
			if (n == 0 || n > 8)
				return (-1);
		}
	}

	*q = 1000;
	for (;;) {
		while (i < len && is_ows(s[i]))
			i++;
		if (i == len)
			break;
		if (s[i] != ';')
			return (-1);
		for (i++; i < len && is_ows(s[i]); i++)
			;
		/* Parameter: name=value; only q matters. */
		for (n = i; i < len && s[i] != ';' && s[i] != '=' &&
		    !is_ows(s[i]); i++)
			;
		if (i == n || i == len || s[i] != '=')
			return (-1);
		for (v = ++i; i < len && s[i] != ';' && !is_ows(s[i]); i++)
			;
		if (i - v == 0)
			return (-1);
		if (v - n == 2 && lower(s[n]) == 'q' &&
		    (*q = qvalue(s + v, i - v)) == -1)
			return (-1);
	}
	return (0);
}

static void
note(struct lang_score *ls, int q, size_t pos)
{
	if (ls->pos == POS_NONE || 2 * q > ls->score) {
		ls->score = 2 * q;
		ls->pos = pos;
	}
}

const char *
i18n_negotiate(const char *accept_language, const char *cookie_lang)
{
	struct lang_score	 ko, en, any;
	const char		*p, *e, *tag;
	size_t			 taglen, pos;
	int			 q;

	if (cookie_lang != NULL) {
		if (strcmp(cookie_lang, "ko") == 0)
			return ("ko");
		if (strcmp(cookie_lang, "en") == 0)
			return ("en");
	}
	if (accept_language == NULL)
		return ("ko");

	ko.score = en.score = any.score = 1;
	ko.pos = en.pos = any.pos = POS_NONE;
	for (p = accept_language, pos = 0; *p != '\0'; pos++) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		if (parse_entry(p, e - p, &tag, &taglen, &q) == 0) {
			if (tag[0] == '*')
				note(&any, q, pos);
			else if (taglen == 2 && lower(tag[0]) == 'k' &&
			    lower(tag[1]) == 'o')
				note(&ko, q, pos);
			else if (taglen == 2 && lower(tag[0]) == 'e' &&
			    lower(tag[1]) == 'n')
				note(&en, q, pos);
		}
		p = (*e == ',') ? e + 1 : e;
	}

	/* "*" speaks for every language the header does not name. */
	if (ko.pos == POS_NONE && any.pos != POS_NONE)
		ko = any;
	if (en.pos == POS_NONE && any.pos != POS_NONE)
		en = any;

	if (en.score > ko.score ||
	    (en.score == ko.score && en.score > 0 && en.pos < ko.pos))
		return ("en");
	return ("ko");
}
