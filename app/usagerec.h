/*
 * usagerec.h - the rules of one usage record, written once (pure).
 *
 * A vendor signs the bytes it sends, and the marketplace keeps, per
 * record, a BLAKE2b-256 hash of a canonical form, so that the same record
 * sent again (even spelt "1.50" instead of "1.5", or with +09:00 instead
 * of Z) is recognised as a duplicate and a different one under the same
 * record_id as a conflict.  The grammar of each field, the canonical form,
 * the receipt text the marketplace signs and the CSV reader live here so
 * that the web app, gureumctl and the unit tests agree.  docs/metering.md
 * is the vendor-facing description of the same rules.  No Kore, libpq or
 * jansson; libcsv for the CSV reader.
 */

#ifndef USAGEREC_H
#define USAGEREC_H

#include <stddef.h>
#include <stdint.h>

#define USAGEREC_ID_MAX		64	/* record_id bytes (ASCII) */
#define USAGEREC_DIM_MAX	64	/* dimension code bytes (ASCII) */
#define USAGEREC_TEXT_MAX	64	/* allocation, subject: characters */
#define USAGEREC_TEXT_BYTES	(USAGEREC_TEXT_MAX * 4)
#define USAGEREC_TIME_LEN	28	/* "2026-10-01T00:00:00.000000Z" + NUL */
#define USAGEREC_CANON_MAX	1024
#define USAGEREC_FUTURE_US	(5LL * 60 * 1000000)	/* 5 minutes */

/* One record in the form it is checked, hashed and stored. */
struct usagerec {
	char		 record_id[USAGEREC_ID_MAX + 1];
	int64_t		 contract_id;
	char		 dimension[USAGEREC_DIM_MAX + 1];
	int64_t		 quantity_micro;
	int64_t		 at_us;		/* microseconds since the epoch, UTC */
	char		 allocation[USAGEREC_TEXT_BYTES + 1];
	char		 subject[USAGEREC_TEXT_BYTES + 1];
};

/*
 * 1 if s is a valid record_id: 1 to 64 of A-Z a-z 0-9 and . _ : -
 * (UUIDs, ULIDs and "host:seq" ids fit; nothing that needs escaping).
 */
int	usagerec_id_ok(const char *s);

/*
 * 1 if s is a valid dimension code as rate plans spell them: 1 to 64 of
 * a-z 0-9 _ . -, starting with a letter or digit.
 */
int	usagerec_dim_ok(const char *s);

/*
 * 1 if s is acceptable free text for allocation or subject: valid UTF-8,
 * at most USAGEREC_TEXT_MAX characters, no control characters (so the
 * newline-separated canonical form stays unambiguous).  "" is fine.
 */
int	usagerec_text_ok(const char *s);

/*
 * Parses an RFC 3339 time: YYYY-MM-DDTHH:MM:SS, optionally '.' and 1 to 6
 * digits, then 'Z' or +HH:MM / -HH:MM ('t' and 'z' also accepted, a space
 * is not).  Leap seconds (:60) are refused.  Returns 0 with *us the UTC
 * microseconds since the epoch, or -1.
 */
int	usagerec_time_parse(const char *s, int64_t *us);

/* Formats us as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (USAGEREC_TIME_LEN bytes). */
void	usagerec_time_format(int64_t us, char out[USAGEREC_TIME_LEN]);

/*
 * The canonical form of r (docs/metering.md): the line
 * "gureum-usage-record-v1" then record_id, contract_id, dimension,
 * quantity (money_format_micro: "1.5", "0"), time (usagerec_time_format),
 * allocation and subject, each on its own line ending in "\n".  Returns
 * its length, or 0 if buf (len bytes, USAGEREC_CANON_MAX is enough) is
 * too small.
 */
size_t	usagerec_canonical(const struct usagerec *r, char *buf, size_t len);

/* BLAKE2b-256 of the canonical form (sodium_init() must have run). */
void	usagerec_hash(const struct usagerec *r, unsigned char out[32]);

/* One chain head of a receipt. */
struct usagerec_head {
	int64_t		 contract_id;
	int64_t		 seq;
	char		 head[65];	/* lowercase hex */
};

/* What the marketplace signs for a batch (docs/metering.md, receipts). */
struct usagerec_receipt {
	int64_t			 batch_id;
	int64_t			 vendor_id;
	const char		*source;	/* "api" or "csv" */
	char			 body_hash[65];	/* lowercase hex */
	int64_t			 server_us;
	int			 records;
	int			 accepted;
	const struct usagerec_head *heads;	/* by contract_id, ascending */
	size_t			 nheads;
	const char		*marketplace_key;	/* base64 */
};

/*
 * The receipt text: "gureum-receipt-v1\n", then "batch N\n", "vendor N\n",
 * "source S\n", "body_hash HEX\n", "server_time T\n", "records N\n",
 * "accepted N\n", one "head CONTRACT SEQ HEX\n" per head, and
 * "marketplace_key B64\n".  Returns a malloc'd NUL-terminated string the
 * caller frees, or NULL on allocation failure.
 */
char	*usagerec_receipt_text(const struct usagerec_receipt *r);

/*
 * A CSV upload read into rows of text fields.  Columns are named by the
 * header line (required; names case-insensitive, any order; record_id,
 * contract_id, dimension, quantity and time required, allocation and
 * subject optional, nothing else).  A UTF-8 byte-order mark and CRLF
 * line ends are accepted; blank lines are skipped.
 */
enum usagerec_col {
	UC_RECORD_ID,
	UC_CONTRACT_ID,
	UC_DIMENSION,
	UC_QUANTITY,
	UC_TIME,
	UC_ALLOCATION,
	UC_SUBJECT,
	UC__MAX
};

struct usagerec_csv_row {
	int		 line;			/* where the row starts, 1-based */
	int		 nfields;		/* fields found on the line */
	char		*field[UC__MAX];	/* NULL: column absent */
};

struct usagerec_csv {
	struct usagerec_csv_row	*rows;		/* data rows, header excluded */
	size_t			 nrows;
	size_t			 cap;
	int			 ncols;		/* columns in the header */
	int			 col[16];	/* header column -> UC_*, -1 */
	/* Parser state. */
	int			 line;
	int			 row_line;
	int			 fieldno;
	int			 header_done;
	int			 failed;
	size_t			 max_rows;
	struct usagerec_csv_row	 cur;
};

enum usagerec_csv_err {
	UCSV_OK,
	UCSV_EMPTY,		/* no header line */
	UCSV_HEADER,		/* an unknown, repeated or missing column */
	UCSV_MALFORMED,		/* broken quoting or not UTF-8 */
	UCSV_TOO_MANY,		/* more than max_rows data rows */
	UCSV_NOMEM
};

/*
 * Reads len bytes of CSV at buf into c (zeroed by the call), keeping at
 * most max_rows data rows.  Free c with usagerec_csv_free() whatever
 * the result.
 */
enum usagerec_csv_err usagerec_csv_read(const char *buf, size_t len,
	    size_t max_rows, struct usagerec_csv *c);
void	usagerec_csv_free(struct usagerec_csv *c);

/* The name of a column as the header spells it ("record_id"). */
const char *usagerec_col_name(enum usagerec_col c);

#endif
