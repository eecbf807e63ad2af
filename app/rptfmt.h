/*
 * rptfmt.h - the arithmetic and drawing of the reports (report.c), kept
 * pure so it can be unit-tested: shares in per mille from whole numbers
 * (never floating point), the strict YYYY-MM month of the period
 * filters, and bar charts as SVG text that needs no script and no style
 * sheet (the page's CSP allows neither inline).
 */

#ifndef RPTFMT_H
#define RPTFMT_H

#include <stddef.h>
#include <stdint.h>

#include "tmpl.h"

/*
 * The share part/whole in per mille, rounded half away from zero, into
 * *out. Returns -1 (nothing written) when whole is 0 or an operand is
 * outside +/-10^15 (the money range), else 0.
 */
int	 rpt_permille(int64_t part, int64_t whole, int64_t *out);

/*
 * Writes a per mille value as a percentage with one decimal ("12.3%",
 * "-0.5%", "100.0%") into buf (len bytes, 24 is always enough).
 */
void	 rpt_permille_text(int64_t pm, char *buf, size_t len);

/*
 * Parses a strict "YYYY-MM" (year 2000-2099, month 01-12) into *y, *m.
 * Returns 0, or -1 for anything else (NULL, other lengths, signs,
 * spaces, a day).
 */
int	 rpt_month_parse(const char *s, int *y, int *m);

/* One bar: its label (UTF-8, escaped when drawn), value and value text. */
struct rpt_bar {
	const char	*label;
	int64_t		 value;
	const char	*text;
};

/*
 * Appends a horizontal bar chart of n bars as an <svg> element to b:
 * bars scaled to the largest absolute value, negative values drawn to
 * the left of a zero line, a <title> and aria-label of title, every text
 * escaped. n 0 draws an empty chart. Returns 0, or -1 if b failed.
 */
int	 rpt_svg_bars(struct tmpl_buf *b, const char *title,
	    const struct rpt_bar *bars, size_t n);

#endif /* RPTFMT_H */
