/*
 * Uploaded files, pure C: a multipart/form-data parser (RFC 7578) over a
 * body held in memory, the PDF check by content, and file names made safe
 * to store and to send back in Content-Disposition. No Kore: the unit tests
 * (tests/unit/test_upload.c) drive it with hostile bodies.
 */

#ifndef GUREUM_UPLOAD_H
#define GUREUM_UPLOAD_H

#include <stddef.h>

/*
 * The largest file accepted (PDF documents and certificate evidence).
 * Kore's http_body_max (conf/gureum.conf.in, 4 MiB) bounds the whole
 * body and answers a bare 413 above it; this limit stays below it so that
 * a file too large gets our 413 with a message.
 */
#define UPLOAD_MAX	(3 * 1024 * 1024)

#define MP_MAXPARTS	32
#define MP_NAME_MAX	64
#define MP_FNAME_MAX	512

enum mp_err {
	MP_OK,
	MP_EBOUNDARY,	/* no usable boundary in the Content-Type */
	MP_ESYNTAX,	/* a part without headers, end or boundary */
	MP_ETOOMANY,	/* more than MP_MAXPARTS parts */
	MP_ENAME	/* a part without a (short enough) name */
};

struct mp_part {
	char			 name[MP_NAME_MAX];
	char			 filename[MP_FNAME_MAX];
	int			 is_file;	/* it had filename="..." */
	const unsigned char	*data;		/* points into the body */
	size_t			 len;
};

struct mp_form {
	struct mp_part	 parts[MP_MAXPARTS];
	size_t		 n;
};

/*
 * The boundary of a "multipart/form-data; boundary=..." Content-Type
 * (quoted or not, 1-70 characters) into out. Returns 0, or -1 if ctype is
 * not multipart/form-data or has no valid boundary.
 */
int		 mp_boundary(const char *, char *, size_t);

/*
 * Parses len bytes of body with boundary into f; parts point into body,
 * which must outlive f. Returns MP_OK or the first error.
 */
enum mp_err	 mp_parse(const char *, const unsigned char *, size_t,
		    struct mp_form *);

/* The first part named name, or NULL. */
const struct mp_part *mp_get(const struct mp_form *, const char *);

enum pdf_err {
	PDF_OK,
	PDF_EEMPTY,	/* no bytes */
	PDF_ENOTPDF,	/* does not start with %PDF-n.n */
	PDF_EBROKEN	/* starts like one, but lacks objects, trailer or %%EOF */
};

/*
 * Whether data is a PDF by its content: the "%PDF-1.x" header at offset 0,
 * at least one "obj ... endobj", a trailer or cross-reference stream
 * ("trailer", "startxref" or "/XRef") and "%%EOF" in the last 1,024 bytes.
 * Not a full parse: enough to refuse images, text and truncated files.
 */
enum pdf_err	 pdf_check(const unsigned char *, size_t);

/*
 * A file name safe to store and show: the last path component of in,
 * without control characters, quotes, backslashes or invalid UTF-8 (each
 * becomes '_'), leading dots and blanks removed, at most 120 bytes cut at
 * a character boundary, ending in ".pdf". Never empty ("document.pdf").
 */
void		 filename_safe(const char *, char *, size_t);

/*
 * The Content-Disposition value for a safe name: attachment with an ASCII
 * fallback (other bytes become '_') and the UTF-8 name percent-encoded
 * (RFC 6266 filename*). Returns 0, or -1 if out is too small.
 */
int		 content_disposition(const char *, char *, size_t);

#endif
