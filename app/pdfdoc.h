/*
 * pdfdoc.h - simple Korean documents as PDF (libharu), for the contract
 * document and, later, invoices and usage certificates.
 *
 * A document is described as a jansson value, so the web side can build
 * it from a view model:
 *
 *	{"title": "...", "subtitle": "...", "footer": "...",
 *	 "sections": [{"heading": "...",
 *	               "rows": [["label", "value"], ...],
 *	               "text": "paragraphs\nwith line breaks"}]}
 *
 * Text is UTF-8 and set in the TrueType font given (NanumGothic from
 * Debian's fonts-nanum), embedded so the text stays text: it can be
 * searched and copied, and never shows as boxes. Pure C: no Kore, no
 * libpq; thread-safe (every call has its own libharu document), so it
 * runs in a Kore task.
 */

#ifndef PDFDOC_H
#define PDFDOC_H

#include <stddef.h>

#include <jansson.h>

/*
 * Renders doc with the font at font_path. Returns 0 with *out (malloc'd,
 * the caller frees) and *outlen, or -1 with err (errlen bytes) saying
 * what failed (a bad description, the font, libharu).
 */
int	 pdfdoc_render(const json_t *doc, const char *font_path,
	    unsigned char **out, size_t *outlen, char *err, size_t errlen);

#endif /* PDFDOC_H */
