/*
 * usagerec.c - field grammar, canonical form, receipt text and the CSV
 * reader of usage records (see usagerec.h for why they live together).
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "money.h"
#include "qs.h"
#include "sign.h"
#include "usagerec.h"

static const char *const col_names[UC__MAX] = {
	"record_id",		/* UC_RECORD_ID */
	"contract_id",		/* UC_CONTRACT_ID */
	"dimension",		/* UC_DIMENSION */
	"quantity",		/* UC_QUANTITY */
	"time",			/* UC_TIME */
	"allocation",		/* UC_ALLOCATION */
	"subject",		/* UC_SUBJECT */
};

static int64_t	days_from_civil(int64_t, int, int);
static void	civil_from_days(int64_t, int *, int *, int *);
static int	digits(const char *, int, int *);
static void	csv_field(void *, size_t, void *);
static void	csv_row(int, void *);

int
usagerec_id_ok(const char *s)
{
	size_t	len;

	if (s == NULL || (len = strlen(s)) == 0 || len > USAGEREC_ID_MAX)
		return (0);
	return (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._:-") == len);
}

int
usagerec_dim_ok(const char *s)
{
	size_t	len;

	if (s == NULL || (len = strlen(s)) == 0 || len > USAGEREC_DIM_MAX)
		return (0);
	if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
		return (0);
	return (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == len);
}

int
usagerec_text_ok(const char *s)
{
	size_t	len, i;

	if (s == NULL)
		return (0);
	len = strlen(s);
	if (len > USAGEREC_TEXT_BYTES || !utf8_valid(s, len) ||
	    utf8_len(s, len) > USAGEREC_TEXT_MAX)
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return (0);
	/* U+0080..U+009F (C1 controls) are C2 80..C2 9F. */
	for (i = 0; i + 1 < len; i++)
		if ((unsigned char)s[i] == 0xc2 &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			return (0);
	return (1);
}

/* n decimal digits at s into *v; 0 or -1. */
static int
digits(const char *s, int n, int *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}
	return (0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
usagerec_time_parse(const char *s, int64_t *us)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int		 y, mo, d, h, mi, se, oh, om, frac, n, leap;
	int64_t		 t;
	const char	*p;

	if (s == NULL || strlen(s) < 20)
		return (-1);
	if (digits(s, 4, &y) == -1 || s[4] != '-' ||
	    digits(s + 5, 2, &mo) == -1 || s[7] != '-' ||
	    digits(s + 8, 2, &d) == -1 || (s[10] != 'T' && s[10] != 't') ||
	    digits(s + 11, 2, &h) == -1 || s[13] != ':' ||
	    digits(s + 14, 2, &mi) == -1 || s[16] != ':' ||
	    digits(s + 17, 2, &se) == -1)
		return (-1);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 ||
	    se > 59)
		return (-1);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return (-1);
	p = s + 19;
	frac = 0;
	if (*p == '.') {
		p++;
		for (n = 0; p[n] >= '0' && p[n] <= '9'; n++)
			;
		if (n < 1 || n > 6)
			return (-1);
		(void)digits(p, n, &frac);
		for (; n < 6; n++)
			frac *= 10;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	oh = om = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (digits(p + 1, 2, &oh) == -1 || p[3] != ':' ||
		    digits(p + 4, 2, &om) == -1 || oh > 23 || om > 59)
			return (-1);
		if (*p == '-') {
			oh = -oh;
			om = -om;
		}
		p += 6;
	} else {
		return (-1);
	}
	if (*p != '\0')
		return (-1);
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	    (oh * 3600 + om * 60);
	if (t < 0)
		return (-1);
	*us = t * 1000000 + frac;
	return (0);
}

void
usagerec_time_format(int64_t us, char out[USAGEREC_TIME_LEN])
{
	int64_t	secs, days, rem;
	int	y, m, d;

	secs = us / 1000000;
	days = secs / 86400;
	rem = secs % 86400;
	civil_from_days(days, &y, &m, &d);
	(void)snprintf(out, USAGEREC_TIME_LEN,
	    "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", y, m, d,
	    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
	    (int)(us % 1000000));
}

size_t
usagerec_canonical(const struct usagerec *r, char *buf, size_t len)
{
	char	qty[MONEY_FMT_MAX], t[USAGEREC_TIME_LEN];
	int	n;

	if (money_format_micro(r->quantity_micro, 0, qty, sizeof(qty)) !=
	    MONEY_OK)
		return (0);
	usagerec_time_format(r->at_us, t);
	n = snprintf(buf, len, "gureum-usage-record-v1\n%s\n%lld\n%s\n%s\n"
	    "%s\n%s\n%s\n", r->record_id, (long long)r->contract_id,
	    r->dimension, qty, t, r->allocation, r->subject);
	if (n < 0 || (size_t)n >= len)
		return (0);
	return ((size_t)n);
}

void
usagerec_hash(const struct usagerec *r, unsigned char out[32])
{
	char	buf[USAGEREC_CANON_MAX];
	size_t	n;

	n = usagerec_canonical(r, buf, sizeof(buf));
	sign_hash(buf, n, out);
}

char *
usagerec_receipt_text(const struct usagerec_receipt *r)
{
	char	t[USAGEREC_TIME_LEN], *out, *p;
	size_t	len, i;
	int	n;

	len = 512 + strlen(r->marketplace_key) + r->nheads * 120;
	if ((out = malloc(len)) == NULL)
		return (NULL);
	usagerec_time_format(r->server_us, t);
	n = snprintf(out, len, "gureum-receipt-v1\nbatch %lld\nvendor %lld\n"
	    "source %s\nbody_hash %s\nserver_time %s\nrecords %d\n"
	    "accepted %d\n", (long long)r->batch_id, (long long)r->vendor_id,
	    r->source, r->body_hash, t, r->records, r->accepted);
	p = out + n;
	for (i = 0; i < r->nheads; i++) {
		n = snprintf(p, len - (p - out), "head %lld %lld %s\n",
		    (long long)r->heads[i].contract_id,
		    (long long)r->heads[i].seq, r->heads[i].head);
		p += n;
	}
	(void)snprintf(p, len - (p - out), "marketplace_key %s\n",
	    r->marketplace_key);
	return (out);
}

const char *
usagerec_col_name(enum usagerec_col c)
{
	return (c < UC__MAX ? col_names[c] : "");
}

/* libcsv: one field ended. */
static void
csv_field(void *s, size_t len, void *arg)
{
	struct usagerec_csv	*c = arg;
	const char		*f = s != NULL ? s : "";
	size_t			 i;
	int			 col;

	if (c->failed)
		return;
	if (!utf8_valid(f, len) || memchr(f, '\0', len) != NULL) {
		c->failed = UCSV_MALFORMED;
		return;
	}
	if (c->fieldno == 0)
		c->row_line = c->line;
	if (!c->header_done) {
		if (c->fieldno >= (int)(sizeof(c->col) / sizeof(c->col[0]))) {
			c->failed = UCSV_HEADER;
			return;
		}
		col = -1;
		for (i = 0; i < UC__MAX; i++)
			if (strlen(col_names[i]) == len &&
			    strncasecmp(col_names[i], f, len) == 0)
				col = (int)i;
		for (i = 0; col != -1 && i < (size_t)c->fieldno; i++)
			if (c->col[i] == col)
				col = -1;
		if (col == -1) {
			c->failed = UCSV_HEADER;
			return;
		}
		c->col[c->fieldno++] = col;
		return;
	}
	if (c->fieldno < c->ncols && c->cur.field[c->col[c->fieldno]] ==
	    NULL) {
		if ((c->cur.field[c->col[c->fieldno]] = malloc(len + 1)) ==
		    NULL) {
			c->failed = UCSV_NOMEM;
			return;
		}
		memcpy(c->cur.field[c->col[c->fieldno]], f, len);
		c->cur.field[c->col[c->fieldno]][len] = '\0';
	}
	c->fieldno++;
}

/* libcsv: one row ended. */
static void
csv_row(int term, void *arg)
{
	struct usagerec_csv	*c = arg;
	struct usagerec_csv_row	*nr;
	int			 i, have;

	(void)term;
	if (c->failed)
		return;
	if (!c->header_done) {
		c->header_done = 1;
		c->ncols = c->fieldno;
		c->fieldno = 0;
		for (i = 0; i <= UC_TIME; i++) {
			for (have = 0; have < c->ncols; have++)
				if (c->col[have] == i)
					break;
			if (have == c->ncols) {
				c->failed = UCSV_HEADER;
				return;
			}
		}
		return;
	}
	c->cur.line = c->row_line;
	c->cur.nfields = c->fieldno;
	c->fieldno = 0;
	if (c->nrows == c->max_rows) {
		c->failed = UCSV_TOO_MANY;
		goto drop;
	}
	if (c->nrows == c->cap) {
		c->cap = c->cap == 0 ? 64 : c->cap * 2;
		if ((nr = reallocarray(c->rows, c->cap, sizeof(*nr))) == NULL) {
			c->failed = UCSV_NOMEM;
			goto drop;
		}
		c->rows = nr;
	}
	c->rows[c->nrows++] = c->cur;
	memset(&c->cur, 0, sizeof(c->cur));
	return;
drop:
	for (i = 0; i < UC__MAX; i++)
		free(c->cur.field[i]);
	memset(&c->cur, 0, sizeof(c->cur));
}

enum usagerec_csv_err
usagerec_csv_read(const char *buf, size_t len, size_t max_rows,
    struct usagerec_csv *c)
{
	struct csv_parser	 p;
	const char		*line, *end, *nl;
	int			 rc;

	memset(c, 0, sizeof(*c));
	c->max_rows = max_rows;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return (UCSV_NOMEM);
	end = buf + len;
	rc = 0;
	for (line = buf; line < end && !c->failed; line = nl) {
		c->line++;
		nl = memchr(line, '\n', end - line);
		nl = nl != NULL ? nl + 1 : end;
		if (csv_parse(&p, line, nl - line, csv_field, csv_row, c) !=
		    (size_t)(nl - line)) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && !c->failed &&
	    csv_fini(&p, csv_field, csv_row, c) != 0)
		rc = -1;
	csv_free(&p);
	if (c->failed)
		return ((enum usagerec_csv_err)c->failed);
	if (rc == -1)
		return (UCSV_MALFORMED);
	if (!c->header_done)
		return (UCSV_EMPTY);
	return (UCSV_OK);
}

void
usagerec_csv_free(struct usagerec_csv *c)
{
	size_t	i;
	int	j;

	for (i = 0; i < c->nrows; i++)
		for (j = 0; j < UC__MAX; j++)
			free(c->rows[i].field[j]);
	for (j = 0; j < UC__MAX; j++)
		free(c->cur.field[j]);
	free(c->rows);
	memset(c, 0, sizeof(*c));
}
