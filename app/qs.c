/*
 * Decoding of query strings and url-encoded forms.
 *
 * Kore's own argument parser silently drops parameters that have no
 * validator, which turns a typo in a filter into an unfiltered answer. We
 * parse the raw query string ourselves so that every parameter is seen:
 * the dispatcher refuses unknown names and broken bytes with a 400 that
 * names the parameter.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qs.h"

static int	hexval(int);
static void	copy_bad(char *, size_t, const char *, size_t);

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Copies a (possibly undecoded) name for the error message, printable only. */
static void
copy_bad(char *bad, size_t badlen, const char *s, size_t len)
{
	size_t	i, o;

	if (bad == NULL || badlen == 0)
		return;
	for (i = o = 0; i < len && o + 1 < badlen; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			bad[o++] = '?';
		else
			bad[o++] = s[i];
	}
	bad[o] = '\0';
}

/*
 * Decodes s[0..len) into out, which has room for len + 1 bytes. Returns
 * the decoded length or -1 on a broken escape.
 */
static long
decode(const char *s, size_t len, char *out)
{
	size_t	i, o;
	int	h, l;

	for (i = o = 0; i < len; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= len)
				return (-1);
			if ((h = hexval((unsigned char)s[i + 1])) == -1 ||
			    (l = hexval((unsigned char)s[i + 2])) == -1)
				return (-1);
			out[o++] = (char)(h << 4 | l);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return ((long)o);
}

static int
has_control(const char *s, size_t len, int multiline)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (multiline && (s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r'))
			continue;
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return (1);
	}
	return (0);
}

static enum qs_err	 qs_parse_any(struct qs *, const char *, size_t,
			    char *, size_t, int);

enum qs_err
qs_parse(struct qs *q, const char *s, size_t len, char *bad, size_t badlen)
{
	return (qs_parse_any(q, s, len, bad, badlen, 0));
}

enum qs_err
qs_parse_form(struct qs *q, const char *s, size_t len, char *bad,
    size_t badlen)
{
	return (qs_parse_any(q, s, len, bad, badlen, 1));
}

static enum qs_err
qs_parse_any(struct qs *q, const char *s, size_t len, char *bad,
    size_t badlen, int multiline)
{
	const char	*p, *end, *amp, *eq;
	char		*o;
	long		 nl, vl;

	memset(q, 0, sizeof(*q));
	if (bad != NULL && badlen > 0)
		bad[0] = '\0';
	if (s == NULL || len == 0)
		return (QS_OK);
	/* Decoding never grows: two terminators per pair at most. */
	if ((q->buf = malloc(len * 2 + 2)) == NULL)
		return (QS_ETOOMANY);
	o = q->buf;
	p = s;
	end = s + len;

	while (p < end) {
		if ((amp = memchr(p, '&', end - p)) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		if (eq == p) {
			copy_bad(bad, badlen, p, amp - p);
			return (QS_EEMPTYNAME);
		}
		if (q->n == QS_MAX) {
			copy_bad(bad, badlen, p, eq - p);
			return (QS_ETOOMANY);
		}
		if ((nl = decode(p, eq - p, o)) == -1) {
			copy_bad(bad, badlen, p, eq - p);
			return (QS_EESCAPE);
		}
		if (!utf8_valid(o, nl) || has_control(o, nl, 0)) {
			copy_bad(bad, badlen, p, eq - p);
			return (utf8_valid(o, nl) ? QS_ECONTROL : QS_EUTF8);
		}
		q->p[q->n].name = o;
		o += nl + 1;
		if (eq == amp) {
			*o = '\0';
			vl = 0;
		} else if ((vl = decode(eq + 1, amp - eq - 1, o)) == -1) {
			copy_bad(bad, badlen, q->p[q->n].name, nl);
			return (QS_EESCAPE);
		}
		if (!utf8_valid(o, vl)) {
			copy_bad(bad, badlen, q->p[q->n].name, nl);
			return (QS_EUTF8);
		}
		if (has_control(o, vl, multiline)) {
			copy_bad(bad, badlen, q->p[q->n].name, nl);
			return (QS_ECONTROL);
		}
		q->p[q->n].value = o;
		q->p[q->n].vlen = vl;
		o += vl + 1;
		q->n++;
		p = amp;
	}
	return (QS_OK);
}

void
qs_free(struct qs *q)
{
	free(q->buf);
	q->buf = NULL;
	q->n = 0;
}

const char *
qs_get(const struct qs *q, const char *name)
{
	return (qs_nth(q, name, 0));
}

size_t
qs_count(const struct qs *q, const char *name)
{
	size_t	i, n;

	for (i = n = 0; i < q->n; i++) {
		if (strcmp(q->p[i].name, name) == 0)
			n++;
	}
	return (n);
}

const char *
qs_nth(const struct qs *q, const char *name, size_t nth)
{
	size_t	i;

	for (i = 0; i < q->n; i++) {
		if (strcmp(q->p[i].name, name) == 0 && nth-- == 0)
			return (q->p[i].value);
	}
	return (NULL);
}

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i, n, k;
	uint32_t		 cp;

	for (i = 0; i < len; i += n) {
		if (s[i] < 0x80) {
			n = 1;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 2;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 3;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 4;
			cp = s[i] & 0x07;
		} else {
			return (0);
		}
		if (i + n > len)
			return (0);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
	}
	return (1);
}

size_t
utf8_len(const char *s, size_t len)
{
	size_t	i, n;

	for (i = n = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

size_t
utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t	i, n;

	for (i = n = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == max)
				return (i);
			n++;
		}
	}
	return (len);
}

int
qs_encode(const char *s, char *out, size_t outlen)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 o;
	unsigned char		 c;

	for (o = 0; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			if (o + 1 >= outlen)
				return (-1);
			out[o++] = c;
		} else {
			if (o + 3 >= outlen)
				return (-1);
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		}
	}
	if (o >= outlen)
		return (-1);
	out[o] = '\0';
	return (0);
}
