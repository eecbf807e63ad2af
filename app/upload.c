/*
 * Uploaded files: multipart/form-data, PDF by content, safe file names.
 *
 * Kore has a multipart parser of its own (http_populate_multipart_form),
 * but it keeps only text fields that a Kore `params` block validates (we
 * validate in our own table, so it would drop them all), drops files of
 * fewer than three bytes (an empty file must be refused with a message,
 * not look like no file) and splits header parameters on ';' without
 * quoting. This one works on the body in memory, keeps every part, and
 * leaves the checks of text fields to qs.c like any other form.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "qs.h"
#include "upload.h"

#define BOUNDARY_MAX	70

static const unsigned char *mem_find(const unsigned char *, size_t,
		    const char *, size_t);
static int	 header_param(const char *, size_t, const char *, char *,
		    size_t, int);
static enum mp_err part_headers(const unsigned char *, size_t,
		    struct mp_part *);

int
mp_boundary(const char *ctype, char *out, size_t outlen)
{
	const char	*p, *end;
	size_t		 len;

	if (ctype == NULL || strncasecmp(ctype, "multipart/form-data", 19) != 0)
		return (-1);
	p = ctype + 19;
	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		if (*p == '"') {
			p++;
			if ((end = strchr(p, '"')) == NULL)
				return (-1);
		} else {
			end = p + strcspn(p, "; \t");
		}
		len = (size_t)(end - p);
		if (len == 0 || len > BOUNDARY_MAX || len + 1 > outlen)
			return (-1);
		memcpy(out, p, len);
		out[len] = '\0';
		if (strchr(out, '\r') != NULL || strchr(out, '\n') != NULL)
			return (-1);
		return (0);
	}
	return (-1);
}

enum mp_err
mp_parse(const char *boundary, const unsigned char *body, size_t len,
    struct mp_form *f)
{
	char			 delim[BOUNDARY_MAX + 5];
	const unsigned char	*p, *end, *hend, *next;
	size_t			 dlen;
	enum mp_err		 e;

	memset(f, 0, sizeof(*f));
	if (strlen(boundary) == 0 || strlen(boundary) > BOUNDARY_MAX)
		return (MP_EBOUNDARY);
	/* The first delimiter may open the body or follow a preamble. */
	dlen = (size_t)snprintf(delim, sizeof(delim), "--%s", boundary);
	end = body + len;
	if (len >= dlen && memcmp(body, delim, dlen) == 0) {
		p = body + dlen;
	} else {
		dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s",
		    boundary);
		if ((p = mem_find(body, len, delim, dlen)) == NULL)
			return (MP_ESYNTAX);
		p += dlen;
	}
	/* From here every delimiter is CRLF "--" boundary. */
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);

	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return (MP_OK);		/* the close delimiter */
		/* Transport padding, then CRLF. */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return (MP_ESYNTAX);
		p += 2;
		if (f->n == MP_MAXPARTS)
			return (MP_ETOOMANY);
		if ((hend = mem_find(p, (size_t)(end - p), "\r\n\r\n", 4)) ==
		    NULL)
			return (MP_ESYNTAX);
		if ((e = part_headers(p, (size_t)(hend - p),
		    &f->parts[f->n])) != MP_OK)
			return (e);
		p = hend + 4;
		if ((next = mem_find(p, (size_t)(end - p), delim, dlen)) ==
		    NULL)
			return (MP_ESYNTAX);
		f->parts[f->n].data = p;
		f->parts[f->n].len = (size_t)(next - p);
		f->n++;
		p = next + dlen;
	}
}

const struct mp_part *
mp_get(const struct mp_form *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->parts[i].name, name) == 0)
			return (&f->parts[i]);
	}
	return (NULL);
}

/* The headers of one part: Content-Disposition: form-data; name=...  */
static enum mp_err
part_headers(const unsigned char *h, size_t len, struct mp_part *part)
{
	const char	*line, *eol, *end;
	int		 found, have_name;

	end = (const char *)h + len;
	have_name = 0;
	for (line = (const char *)h; line < end; line = eol + 2) {
		eol = (const char *)mem_find((const unsigned char *)line,
		    (size_t)(end - line), "\r\n", 2);
		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - line) < 20 ||
		    strncasecmp(line, "content-disposition:", 20) != 0)
			continue;
		line += 20;
		while (line < eol && (*line == ' ' || *line == '\t'))
			line++;
		if ((size_t)(eol - line) < 9 ||
		    strncasecmp(line, "form-data", 9) != 0)
			return (MP_ESYNTAX);
		found = header_param(line, (size_t)(eol - line), "name",
		    part->name, sizeof(part->name), 0);
		if (found != 1 || part->name[0] == '\0')
			return (MP_ENAME);
		have_name = 1;
		found = header_param(line, (size_t)(eol - line), "filename",
		    part->filename, sizeof(part->filename), 1);
		if (found == -1)
			return (MP_ENAME);
		part->is_file = found == 1;
	}
	return (have_name ? MP_OK : MP_ENAME);
}

/*
 * Finds parameter key (`; key=value` or `; key="value"`) in s. Returns 1
 * with the value in out, 0 if absent, -1 if it is broken or does not fit
 * (with truncate, a value too long is cut at a UTF-8 character boundary
 * instead: file names are shortened later anyway).
 */
static int
header_param(const char *s, size_t len, const char *key, char *out,
    size_t outlen, int truncate)
{
	const char	*p, *end, *v;
	size_t		 klen, n;

	end = s + len;
	klen = strlen(key);
	p = s;
	while (p < end) {
		/* To the next ';' outside quotes. */
		while (p < end && *p != ';') {
			if (*p == '"') {
				p++;
				while (p < end && *p != '"')
					p++;
			}
			if (p < end)
				p++;
		}
		if (p >= end)
			return (0);
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) <= klen || strncasecmp(p, key, klen) != 0 ||
		    p[klen] != '=')
			continue;
		v = p + klen + 1;
		if (v < end && *v == '"') {
			v++;
			for (p = v; p < end && *p != '"'; p++)
				;
			if (p >= end)
				return (-1);
		} else {
			for (p = v; p < end && *p != ';' && *p != ' '; p++)
				;
		}
		n = (size_t)(p - v);
		if (n + 1 > outlen) {
			if (!truncate)
				return (-1);
			n = outlen - 1;
			while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
				n--;
		}
		memcpy(out, v, n);
		out[n] = '\0';
		if (strlen(out) != n)
			return (-1);
		return (1);
	}
	return (0);
}

static const unsigned char *
mem_find(const unsigned char *hay, size_t len, const char *needle, size_t nlen)
{
	return (memmem(hay, len, needle, nlen));
}

enum pdf_err
pdf_check(const unsigned char *d, size_t len)
{
	const unsigned char	*tail, *obj;
	size_t			 tlen;

	if (len == 0)
		return (PDF_EEMPTY);
	if (len < 8 || memcmp(d, "%PDF-", 5) != 0 || !isdigit(d[5]) ||
	    d[6] != '.' || !isdigit(d[7]))
		return (PDF_ENOTPDF);
	tlen = len < 1024 ? len : 1024;
	tail = d + len - tlen;
	if (mem_find(tail, tlen, "%%EOF", 5) == NULL)
		return (PDF_EBROKEN);
	if ((obj = mem_find(d, len, " obj", 4)) == NULL ||
	    mem_find(obj, len - (size_t)(obj - d), "endobj", 6) == NULL)
		return (PDF_EBROKEN);
	if (mem_find(d, len, "trailer", 7) == NULL &&
	    mem_find(d, len, "startxref", 9) == NULL &&
	    mem_find(d, len, "/XRef", 5) == NULL)
		return (PDF_EBROKEN);
	return (PDF_OK);
}

void
filename_safe(const char *in, char *out, size_t outlen)
{
	const char	*base, *p;
	char		 buf[MP_FNAME_MAX];
	size_t		 i, k, n, cut, blen;
	unsigned char	 c;

	if (outlen < 13) {
		if (outlen > 0)
			out[0] = '\0';
		return;
	}
	base = in;
	for (p = in; *p != '\0'; p++) {
		if (*p == '/' || *p == '\\')
			base = p + 1;
	}
	/* Copy, replacing what must not appear; invalid UTF-8 too. */
	for (i = n = 0; base[i] != '\0' && n + 4 < sizeof(buf); ) {
		c = (unsigned char)base[i];
		if (c >= 0x80) {
			k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (strlen(base + i) >= k && utf8_valid(base + i, k)) {
				memcpy(buf + n, base + i, k);
				n += k;
				i += k;
			} else {
				buf[n++] = '_';
				i++;
			}
			continue;
		}
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\'' ||
		    c == ';' || c == '%' || c == '*' || c == '<' || c == '>' ||
		    c == '|' || c == '?' || c == ':')
			buf[n++] = '_';
		else
			buf[n++] = (char)c;
		i++;
	}
	buf[n] = '\0';
	/* No leading dots or blanks, no trailing blanks. */
	for (p = buf; *p == '.' || *p == ' '; p++)
		;
	memmove(buf, p, strlen(p) + 1);
	blen = strlen(buf);
	while (blen > 0 && (buf[blen - 1] == ' ' || buf[blen - 1] == '.'))
		buf[--blen] = '\0';
	if (blen >= 4 && strcasecmp(buf + blen - 4, ".pdf") == 0) {
		buf[blen - 4] = '\0';
		blen -= 4;
	}
	/* At most 116 bytes before ".pdf", cut at a character boundary. */
	cut = blen < 116 ? blen : 116;
	if (outlen - 5 < cut)
		cut = outlen - 5;
	while (cut > 0 && cut < blen && ((unsigned char)buf[cut] & 0xc0) == 0x80)
		cut--;
	buf[cut] = '\0';
	while (cut > 0 && buf[cut - 1] == ' ')
		buf[--cut] = '\0';
	if (cut == 0)
		(void)snprintf(out, outlen, "document.pdf");
	else
		(void)snprintf(out, outlen, "%s.pdf", buf);
}

int
content_disposition(const char *name, char *out, size_t outlen)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 o, i;
	unsigned char		 c;
	int			 n;

	n = snprintf(out, outlen, "attachment; filename=\"");
	if (n < 0 || (size_t)n >= outlen)
		return (-1);
	o = (size_t)n;
	for (i = 0; name[i] != '\0'; i++) {
		c = (unsigned char)name[i];
		if (o + 2 >= outlen)
			return (-1);
		out[o++] = (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') ?
		    '_' : (char)c;
	}
	if (o + 30 >= outlen)
		return (-1);
	memcpy(out + o, "\"; filename*=UTF-8''", 20);
	o += 20;
	for (i = 0; name[i] != '\0'; i++) {
		c = (unsigned char)name[i];
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			if (o + 2 >= outlen)
				return (-1);
			out[o++] = (char)c;
		} else {
			if (o + 4 >= outlen)
				return (-1);
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return (0);
}
