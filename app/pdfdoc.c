/*
 * Simple documents as PDF with libharu (see pdfdoc.h): A4, a title, then
 * sections of label/value rows and wrapped paragraphs, a footer and the
 * page number on every page. Lines are broken where the next character
 * would not fit (Korean has no spaces to wait for), never inside a UTF-8
 * sequence; a page ends where the next line would cross the bottom
 * margin.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "pdfdoc.h"

#define PAGE_W		595.0f
#define PAGE_H		842.0f
#define MARGIN		50.0f
#define BOTTOM		60.0f
#define LABEL_W		140.0f

struct pd {
	HPDF_Doc	 pdf;
	HPDF_Page	 page;
	HPDF_Font	 font;
	const char	*footer;
	float		 y;
	int		 npage;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static void	pd_error(HPDF_STATUS, HPDF_STATUS, void *);
static int	pd_page(struct pd *);
static int	pd_need(struct pd *, float);
static int	pd_wrap(struct pd *, float, float, float, float, const char *);
static size_t	pd_fit(struct pd *, const char *, size_t, float);

int
pdfdoc_render(const json_t *doc, const char *font_path, unsigned char **out,
    size_t *outlen, char *err, size_t errlen)
{
	struct pd	 d;
	const char	*name, *s;
	json_t		*sec, *row;
	size_t		 i, j;
	float		 top;
	HPDF_UINT32	 size;
	unsigned char	*buf;

	*out = NULL;
	*outlen = 0;
	memset(&d, 0, sizeof(d));
	d.err = err;
	d.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (!json_is_object(doc)) {
		(void)snprintf(err, errlen, "document: not an object");
		return (-1);
	}
	if ((d.pdf = HPDF_New(pd_error, &d)) == NULL) {
		(void)snprintf(err, errlen, "libharu: out of memory");
		return (-1);
	}
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d.pdf);
	HPDF_SetCurrentEncoder(d.pdf, "UTF-8");
	if ((name = HPDF_LoadTTFontFromFile(d.pdf, font_path, HPDF_TRUE)) ==
	    NULL || (d.font = HPDF_GetFont(d.pdf, name, "UTF-8")) == NULL) {
		if (err != NULL && err[0] == '\0')
			(void)snprintf(err, errlen, "font %s", font_path);
		HPDF_Free(d.pdf);
		return (-1);
	}
	s = json_string_value(json_object_get(doc, "title"));
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_TITLE, s != NULL ? s : "");
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_CREATOR, "Gureum");
	d.footer = json_string_value(json_object_get(doc, "footer"));
	if (pd_page(&d) == -1)
		goto fail;

	if (s != NULL && pd_wrap(&d, MARGIN, PAGE_W - 2 * MARGIN, 18, 24, s) ==
	    -1)
		goto fail;
	if ((s = json_string_value(json_object_get(doc, "subtitle"))) != NULL &&
	    pd_wrap(&d, MARGIN, PAGE_W - 2 * MARGIN, 10, 14, s) == -1)
		goto fail;
	d.y -= 8;

	json_array_foreach(json_object_get(doc, "sections"), i, sec) {
		if ((s = json_string_value(json_object_get(sec, "heading"))) !=
		    NULL) {
			d.y -= 10;
			if (pd_need(&d, 40) == -1 || pd_wrap(&d, MARGIN,
			    PAGE_W - 2 * MARGIN, 13, 18, s) == -1)
				goto fail;
			HPDF_Page_SetLineWidth(d.page, 0.5f);
			HPDF_Page_MoveTo(d.page, MARGIN, d.y - 2);
			HPDF_Page_LineTo(d.page, PAGE_W - MARGIN, d.y - 2);
			HPDF_Page_Stroke(d.page);
			d.y -= 10;
		}
		json_array_foreach(json_object_get(sec, "rows"), j, row) {
			const char	*label, *value;
			float		 after;

			label = json_string_value(json_array_get(row, 0));
			value = json_string_value(json_array_get(row, 1));
			if (pd_need(&d, 14) == -1)
				goto fail;
			top = d.y;
			if (pd_wrap(&d, MARGIN, LABEL_W - 8, 10, 14,
			    label != NULL ? label : "") == -1)
				goto fail;
			after = d.y;
			d.y = top;
			if (pd_wrap(&d, MARGIN + LABEL_W, PAGE_W - 2 * MARGIN -
			    LABEL_W, 10, 14, value != NULL ? value : "") == -1)
				goto fail;
			if (after < d.y)
				d.y = after;
			d.y -= 3;
		}
		if ((s = json_string_value(json_object_get(sec, "text"))) !=
		    NULL && pd_wrap(&d, MARGIN, PAGE_W - 2 * MARGIN, 10, 14,
		    s) == -1)
			goto fail;
	}

	if (d.failed || HPDF_SaveToStream(d.pdf) != HPDF_OK)
		goto fail;
	size = HPDF_GetStreamSize(d.pdf);
	if ((buf = malloc(size > 0 ? size : 1)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (HPDF_ReadFromStream(d.pdf, buf, &size) != HPDF_OK &&
	    HPDF_GetError(d.pdf) != HPDF_STREAM_EOF) {
		free(buf);
		goto fail;
	}
	HPDF_Free(d.pdf);
	*out = buf;
	*outlen = size;
	return (0);
fail:
	if (err != NULL && err[0] == '\0')
		(void)snprintf(err, errlen, "libharu: error %04X",
		    (unsigned)HPDF_GetError(d.pdf));
	HPDF_Free(d.pdf);
	return (-1);
}

/* libharu's error handler: keeps the first error. */
static void
pd_error(HPDF_STATUS code, HPDF_STATUS detail, void *arg)
{
	struct pd	*d = arg;

	if (!d->failed && d->err != NULL && d->errlen > 0)
		(void)snprintf(d->err, d->errlen, "libharu: error %04X "
		    "(detail %u)", (unsigned)code, (unsigned)detail);
	d->failed = 1;
}

/* Starts a page, with the footer and page number at its bottom. */
static int
pd_page(struct pd *d)
{
	char	num[32];

	if ((d->page = HPDF_AddPage(d->pdf)) == NULL)
		return (-1);
	HPDF_Page_SetSize(d->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	d->npage++;
	(void)snprintf(num, sizeof(num), "%d", d->npage);
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, d->font, 8);
	if (d->footer != NULL)
		HPDF_Page_TextOut(d->page, MARGIN, 30, d->footer);
	HPDF_Page_TextOut(d->page, PAGE_W - MARGIN - 20, 30, num);
	HPDF_Page_EndText(d->page);
	d->y = PAGE_H - MARGIN;
	return (d->failed ? -1 : 0);
}

/* A new page when less than h points are left above the bottom. */
static int
pd_need(struct pd *d, float h)
{
	if (d->y - h < BOTTOM)
		return (pd_page(d));
	return (0);
}

/*
 * Sets text at x in a column width wide, size points, lead points per
 * line, from d->y down, breaking at line feeds and where it no longer
 * fits; moves d->y below it (to new pages as needed).
 */
static int
pd_wrap(struct pd *d, float x, float width, float size, float lead,
    const char *text)
{
	const char	*p, *nl;
	char		 line[1024];
	size_t		 len, n;

	for (p = text; ; p = nl + 1) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		do {
			if (pd_need(d, lead) == -1)
				return (-1);
			HPDF_Page_SetFontAndSize(d->page, d->font, size);
			n = len > 0 ? pd_fit(d, p, len, width) : 0;
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			while (n > 0 && n < len &&
			    ((unsigned char)p[n] & 0xc0) == 0x80)
				n--;
			memcpy(line, p, n);
			line[n] = '\0';
			d->y -= lead;
			HPDF_Page_BeginText(d->page);
			HPDF_Page_TextOut(d->page, x, d->y + (lead - size) / 2,
			    line);
			HPDF_Page_EndText(d->page);
			if (d->failed)
				return (-1);
			p += n;
			len -= n;
		} while (len > 0);
		if (nl == NULL)
			break;
	}
	return (0);
}

/* How many bytes of s (len) fit in width at the current font size. */
static size_t
pd_fit(struct pd *d, const char *s, size_t len, float width)
{
	char		 buf[1024];
	HPDF_UINT	 n;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	n = HPDF_Page_MeasureText(d->page, buf, width, HPDF_FALSE, NULL);
	if (n == 0) {
		/* At least one character, so a line always moves on. */
		n = 1;
		while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
	}
	return (n);
}
