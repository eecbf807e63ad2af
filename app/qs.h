/*
 * Query strings and url-encoded forms, decoded and checked: percent
 * escapes, '+' for space, strict UTF-8, no control characters. Pure C, no
 * Kore: the unit tests drive it with hostile bytes.
 */

#ifndef GUREUM_QS_H
#define GUREUM_QS_H

#include <stddef.h>

#define QS_MAX		256	/* a listing form with its rate plan rows */

enum qs_err {
	QS_OK,
	QS_EESCAPE,	/* a broken %xx escape */
	QS_EUTF8,	/* not UTF-8 after decoding */
	QS_ECONTROL,	/* a control character */
	QS_ETOOMANY,	/* more than QS_MAX parameters */
	QS_EEMPTYNAME	/* "=x" */
};

struct qs_param {
	const char	*name;
	const char	*value;
	size_t		 vlen;
};

struct qs {
	struct qs_param	 p[QS_MAX];
	size_t		 n;
	char		*buf;
};

/*
 * Parses len bytes of s ("a=1&b=%ED%95%9C"). On success returns QS_OK and
 * fills q, whose strings live in q->buf until qs_free(). On failure returns
 * the error and copies the offending parameter's name (as far as it could
 * be decoded) into bad. Empty pairs ("a=1&&b=2") are skipped.
 */
enum qs_err	 qs_parse(struct qs *, const char *, size_t, char *, size_t);

/*
 * The same for an url-encoded form body, except that values may hold tab,
 * line feed and carriage return (what a textarea sends); names never.
 * Which fields may be multi-line is the route's business (web.c).
 */
enum qs_err	 qs_parse_form(struct qs *, const char *, size_t, char *,
		    size_t);
void		 qs_free(struct qs *);

/* The first value of name, or NULL. */
const char	*qs_get(const struct qs *, const char *);

/* How many times name occurs. */
size_t		 qs_count(const struct qs *, const char *);

/* The nth value (0-based) of name, or NULL. */
const char	*qs_nth(const struct qs *, const char *, size_t);

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int		 utf8_valid(const char *, size_t);

/* Number of code points in valid UTF-8. */
size_t		 utf8_len(const char *, size_t);

/* Byte length of the first max code points of valid UTF-8. */
size_t		 utf8_prefix(const char *, size_t, size_t);

/* Appends the percent-encoding of s to out (size outlen); returns 0 or -1. */
int		 qs_encode(const char *, char *, size_t);

#endif
