/*
 * invoicepdf.h - the Korean PDF of an invoice or credit note, laid out
 * like a 세금계산서: supplier and buyer boxes with their registration
 * numbers, the invoice number and month, 공급가액 / 세액 / 합계금액, the
 * lines with their tier breakdown, and the evidence hash that ties the
 * paper to the signed bundle (docs/evidence.md).
 *
 * The input is the evidence bundle itself (bundle.h; for a draft or an
 * invoice not sealed yet, the bundle the sealer would sign, completed
 * without a key), so the PDF can only show what the evidence says.
 * Labels are Korean first with an English line under each. libharu with
 * an embedded TrueType font (NanumGothic), so Korean stays searchable
 * text. Pure: no Kore, no libpq; thread-safe, so it runs in a Kore task.
 */

#ifndef INVOICEPDF_H
#define INVOICEPDF_H

#include <stddef.h>

#include <jansson.h>

/*
 * Renders bundle as a PDF with the font at font_path.  meta gives what
 * the bundle cannot: {"status": "draft"|"issued"|..., "bundle_hash":
 * hex or null (not sealed yet)}.  Returns 0 with *out (malloc'd, the
 * caller frees) and *outlen, or -1 with err (errlen bytes) saying why.
 */
int	 invoicepdf_render(const json_t *bundle, const json_t *meta,
	    const char *font_path, unsigned char **out, size_t *outlen,
	    char *err, size_t errlen);

#endif /* INVOICEPDF_H */
