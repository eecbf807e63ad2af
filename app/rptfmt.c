/*
 * rptfmt.c - shares, months and SVG bar charts for the reports; see
 * rptfmt.h. Integer arithmetic only: a share printed on a report is the
 * same on every machine and adds up the way its figures do.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rptfmt.h"

#define RPT_RANGE	1000000000000000LL	/* 10^15 */

/* Chart geometry, in SVG user units. */
#define SVG_W		720
#define SVG_LABEL	220	/* label column */
#define SVG_VALUE	130	/* value text column */
#define SVG_ROW		26
#define SVG_BAR		16
#define SVG_PAD		8

int
rpt_permille(int64_t part, int64_t whole, int64_t *out)
{
	int64_t	 num, q, r;
	int	 neg;

	if (whole == 0 || part > RPT_RANGE || part < -RPT_RANGE ||
	    whole > RPT_RANGE || whole < -RPT_RANGE)
		return (-1);
	neg = (part < 0) != (whole < 0);
	if (part < 0)
		part = -part;
	if (whole < 0)
		whole = -whole;
	/* part * 1000 <= 10^18 < INT64_MAX. */
	num = part * 1000;
	q = num / whole;
	r = num % whole;
	if (r * 2 >= whole)
		q++;
	*out = neg ? -q : q;
	return (0);
}

void
rpt_permille_text(int64_t pm, char *buf, size_t len)
{
	uint64_t	a;

	a = pm < 0 ? (uint64_t)0 - (uint64_t)pm : (uint64_t)pm;
	(void)snprintf(buf, len, "%s%llu.%llu%%", pm < 0 ? "-" : "",
	    (unsigned long long)(a / 10), (unsigned long long)(a % 10));
}

int
rpt_month_parse(const char *s, int *y, int *m)
{
	int	i, yy, mm;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return (-1);
	for (i = 0; i < 7; i++) {
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return (-1);
	}
	yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	mm = (s[5] - '0') * 10 + (s[6] - '0');
	if (yy < 2000 || yy > 2099 || mm < 1 || mm > 12)
		return (-1);
	*y = yy;
	*m = mm;
	return (0);
}

int
rpt_svg_bars(struct tmpl_buf *b, const char *title,
    const struct rpt_bar *bars, size_t n)
{
	uint64_t	 max, a;
	int64_t		 span, zero, w, x;
	size_t		 i;
	int		 h, y, neg;

	max = 0;
	neg = 0;
	for (i = 0; i < n; i++) {
		a = bars[i].value < 0 ? (uint64_t)0 - (uint64_t)bars[i].value :
		    (uint64_t)bars[i].value;
		if (a > max)
			max = a;
		if (bars[i].value < 0)
			neg = 1;
	}
	span = SVG_W - SVG_LABEL - SVG_VALUE - 2 * SVG_PAD;
	/* With negatives, a quarter of the span lies left of zero. */
	zero = SVG_LABEL + SVG_PAD + (neg ? span / 4 : 0);
	if (neg)
		span -= span / 4;
	h = (int)n * SVG_ROW + 2 * SVG_PAD;
	tmpl_buf_printf(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/"
	    "2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	    "aria-label=\"", SVG_W, h);
	tmpl_buf_escape(b, title, strlen(title));
	tmpl_buf_appendstr(b, "\"><title>");
	tmpl_buf_escape(b, title, strlen(title));
	tmpl_buf_appendstr(b, "</title>");
	for (i = 0; i < n; i++) {
		y = SVG_PAD + (int)i * SVG_ROW;
		a = bars[i].value < 0 ? (uint64_t)0 - (uint64_t)bars[i].value :
		    (uint64_t)bars[i].value;
		/* a <= 2^63 and span < 2^10: the product fits. */
		w = max == 0 ? 0 : (int64_t)((a * (uint64_t)span + max / 2) /
		    max);
		if (w == 0 && a != 0)
			w = 1;
		x = bars[i].value < 0 ? zero - w : zero;
		tmpl_buf_printf(b, "<g><text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\" font-size=\"13\" fill=\"#1d1d1f\">",
		    SVG_LABEL, y + SVG_BAR - 3);
		tmpl_buf_escape(b, bars[i].label, strlen(bars[i].label));
		tmpl_buf_printf(b, "</text><rect x=\"%lld\" y=\"%d\" "
		    "width=\"%lld\" height=\"%d\" fill=\"%s\"></rect>",
		    (long long)x, y, (long long)w, SVG_BAR,
		    bars[i].value < 0 ? "#b3261e" : "#1a5fb4");
		tmpl_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"13\" "
		    "fill=\"#1d1d1f\">", SVG_W - SVG_VALUE, y + SVG_BAR - 3);
		tmpl_buf_escape(b, bars[i].text, strlen(bars[i].text));
		tmpl_buf_appendstr(b, "</text></g>");
	}
	if (neg)
		tmpl_buf_printf(b, "<line x1=\"%lld\" y1=\"0\" x2=\"%lld\" "
		    "y2=\"%d\" stroke=\"#1d1d1f\"></line>", (long long)zero,
		    (long long)zero, h);
	return (tmpl_buf_appendstr(b, "</svg>"));
}
