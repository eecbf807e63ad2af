/*
 * gureumctl close-month YYYY-MM [--now RFC3339]
 * gureumctl close-month --follow SECONDS
 *
 * The month close: one invoice per contract in force during the month
 * (active, suspended or ended, its period overlapping the month), rated
 * with the contract's pinned plan by app/rating.c through
 * app/invoicecalc.c. During the grace period (until the third day after
 * the month's end, 24:00 Korea time) the invoice is a draft, recomputed
 * by every run; the first run after it issues it with the vendor's next
 * number. docs/invoicing.md has every rule.
 *
 * Why it is built this way:
 *  - Speed: the month's usage is aggregated by one streaming GROUP BY
 *    over usage_records (sum and max together, the same scan the bare
 *    query does); latest dimensions are one index probe each and
 *    unique_count an index-only scan of just their records (two indexes
 *    of sql/0021_invoicing.sql).
 *    Rating happens here in C; invoices are written in batches of
 *    BATCH contracts, each batch one statement (invoice_close_batch()
 *    in sql/0021_invoicing.sql).
 *  - Idempotence: an issued invoice is never touched; a draft whose
 *    computation (calc) did not change is not written. A second run
 *    changes nothing.
 *  - Crashes: a batch is one statement, so a contract's invoice is
 *    either as before or as computed, and numbers are taken in the same
 *    statement; a rerun computes the same invoices for the rest. The
 *    test hook GUREUM_CLOSE_CRASH_AFTER=N exits (status 70) right after
 *    the batch that reaches N contracts.
 *  - Late usage: records of a month already issued are billed on this
 *    month's invoice as adjustment lines: that month is re-rated with
 *    every record it has now and the difference from what was billed for
 *    it (its invoice plus earlier adjustments) is billed. The late
 *    records are found in the same scan as the month's.
 */

#include <errno.h>
#include <time.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ctl.h"
#include "invoicecalc.h"
#include "money.h"
#include "plan.h"
#include "rating.h"

#define BATCH		500
#define CLOSE_CRASH_EXIT	70

/* One contract in force during the month. */
struct cc {
	int64_t		 id;
	int		 start, end;		/* YYYYMMDD */
	char		*rate_plan;
	enum money_rounding rounding;
	int64_t		 ceiling, invoiced, fy_invoiced, fy_ceiling;
	int		 has_fy;
	int		 has_avail;
	int64_t		 avail;
	int		 kept;			/* its invoice is issued */
	json_t		*draft_calc;		/* its draft's calc, or NULL */
	int		 bad;			/* plan unusable */
	size_t		 ndims;
	char		 codes[RATING_DIMENSIONS_MAX][RATING_CODE_MAX + 1];
	enum rating_aggregation aggs[RATING_DIMENSIONS_MAX];
	int64_t		 sum[RATING_DIMENSIONS_MAX];
	int64_t		 max[RATING_DIMENSIONS_MAX];
	int64_t		 other[RATING_DIMENSIONS_MAX];	/* latest, unique */
	int		 overflow;
	json_t		*adj;		/* [{month, dim, amount}] */
};

/* Parsed plans by their stored text: contracts of a listing share one. */
#define PLAN_CACHE	512

struct plan_slot {
	char		*text;
	struct plan	*plan;		/* NULL: the text is not a valid plan */
};

/* A batch being written on one of the two connections. */
struct inflight {
	PGconn		*conn;
	char		*text;
	int		 busy;
	unsigned long	 sent;		/* order of sending */
};

struct close_run {
	PGconn		*db;
	struct inflight	 w[2];		/* batch writers: db and a second */
	unsigned long	 nsent;
	struct plan_slot cache[PLAN_CACHE];
	size_t		 ncache;
	char		 month[11];		/* YYYY-MM-01 */
	int		 y, m;
	char		 now[64];		/* the run's timestamp */
	int		 issue;
	char		 grace_last[11];
	struct cc	*cs;
	size_t		 n;
	long		 crash_after;
	int		 errors;
	json_t		*late;		/* [[contract, month, received]] */
	int		 timing;		/* GUREUM_CLOSE_TIMING */
	struct timespec	 t0;
	double		 t_rate, t_write;
	/* counts by outcome */
	long		 drafted, same, issued, kept, alerts;
};

static volatile sig_atomic_t	stop;

static void	 on_signal(int);
static int	 close_once(PGconn *, const char *, const char *, int);
static int	 load_contracts(struct close_run *);
static int	 aggregate(struct close_run *);
static int	 unique_count(struct close_run *);
static int	 latest(struct close_run *);
static int	 adjustments(struct close_run *);
static int	 adjust_one(struct close_run *, struct cc *, const char *,
		    int64_t, int);
static int	 rate_and_write(struct close_run *);
static json_t	*rate_one(struct close_run *, struct cc *);
static json_t	*breakdown(const struct rating_result *);
static int	 write_batch(struct close_run *, json_t *);
static int	 ceiling_alerts(struct close_run *);
static struct cc *find(struct close_run *, int64_t);
static int	 dim_index(const struct cc *, const char *);
static int	 load_plan(const char *, struct plan *);
static const struct plan *plan_of(struct close_run *, const char *,
		    struct plan *);
static int	 collect(struct close_run *, struct inflight *);
static int	 flush_writes(struct close_run *);
static int	 parse_i64(const char *, int64_t *);
static int	 ymd(const char *);
static void	 fmt_micro(int64_t, char *, size_t);
static int	 cmp_cc(const void *, const void *);
static int	 lap(struct close_run *, const char *);
static double	 since(struct timespec *);

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Parses the arguments after "close-month" and runs. Returns 0, 1 on a
 * database or rating error (the contracts concerned are named on
 * stderr, the others are closed), 2 on a usage error.
 */
int
ctl_close(PGconn *db, int argc, char *argv[])
{
	struct sigaction	 sa;
	PGresult		*res;
	const char		*month, *now;
	char			*end, mbuf[11];
	long			 every;
	int			 i, j, rc, y, m, d;

	month = NULL;
	now = NULL;
	every = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
			now = argv[++i];
			if (strlen(now) < 10 || strlen(now) > 40 ||
			    strspn(now, "0123456789-:TZ.+ ") != strlen(now)) {
				fprintf(stderr, "gureumctl: close-month: --now "
				    "wants an RFC 3339 time\n");
				return (2);
			}
		} else if (strcmp(argv[i], "--follow") == 0 && i + 1 < argc) {
			errno = 0;
			every = strtol(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || every < 1 ||
			    every > 86400) {
				fprintf(stderr, "gureumctl: close-month: "
				    "--follow wants 1-86400 seconds\n");
				return (2);
			}
		} else if (month == NULL && argv[i][0] != '-') {
			month = argv[i];
			if (strlen(month) != 7 ||
			    icalc_parse_date(month, &y, &m, &d) == -1) {
				fprintf(stderr, "gureumctl: close-month: the "
				    "month is YYYY-MM, not %s\n", month);
				return (2);
			}
		} else {
			fprintf(stderr, "gureumctl: close-month: unknown "
			    "argument %s\n", argv[i]);
			return (2);
		}
	}
	if ((every == 0) == (month == NULL) || (every != 0 && now != NULL)) {
		fprintf(stderr, "usage: gureumctl close-month YYYY-MM "
		    "[--now RFC3339]\n       gureumctl close-month --follow "
		    "SECONDS\n");
		return (2);
	}
	if (every == 0)
		return (close_once(db, month, now, 0));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	printf("close-month: every %ld s\n", every);
	fflush(stdout);
	while (!stop) {
		if (PQstatus(db) != CONNECTION_OK)
			PQreset(db);
		/*
		 * The month before (its grace period, then its issue), the
		 * month in progress (the draft the dashboard shows), and any
		 * month of the last twelve still holding drafts (after a
		 * downtime; older ones are closed by hand).
		 */
		res = PQexec(db, "SELECT DISTINCT to_char(m, 'YYYY-MM') FROM ("
		    " SELECT (date_trunc('month', now() AT TIME ZONE"
		    " 'Asia/Seoul') - interval '1 month')::date AS m"
		    " UNION SELECT date_trunc('month', now() AT TIME ZONE"
		    " 'Asia/Seoul')::date"
		    " UNION SELECT month FROM invoices WHERE status = 'draft'"
		    " AND kind = 'invoice' AND month >= (date_trunc('month',"
		    " now() AT TIME ZONE 'Asia/Seoul') - interval '12 months')"
		    ") x ORDER BY 1");
		if (PQresultStatus(res) == PGRES_TUPLES_OK) {
			for (j = 0; j < PQntuples(res) && !stop; j++) {
				(void)snprintf(mbuf, sizeof(mbuf), "%s",
				    PQgetvalue(res, j, 0));
				rc = close_once(db, mbuf, NULL, 1);
				(void)rc;
			}
		} else
			fprintf(stderr, "close-month: %s", PQerrorMessage(db));
		PQclear(res);
		fflush(stdout);
		for (i = 0; i < every && !stop; i++)
			sleep(1);
	}
	return (0);
}

/* One close of month "YYYY-MM". Returns 0, 1 or 2 as ctl_close(). */
static int
close_once(PGconn *db, const char *month, const char *now, int quiet)
{
	struct close_run	 r;
	PGresult		*res;
	const char		*params[2];
	const char		*crash;
	char			 mfirst[11];
	size_t			 i;
	int			 d, rc;

	memset(&r, 0, sizeof(r));
	r.db = db;
	(void)icalc_parse_date(month, &r.y, &r.m, &d);
	(void)snprintf(mfirst, sizeof(mfirst), "%04d-%02d-01", r.y, r.m);
	(void)snprintf(r.month, sizeof(r.month), "%s", mfirst);
	if ((crash = getenv("GUREUM_CLOSE_CRASH_AFTER")) != NULL)
		r.crash_after = strtol(crash, NULL, 10);
	(void)since(&r.t0);

	params[0] = r.month;
	params[1] = now;
	res = PQexecParams(db, "SELECT coalesce($2::timestamptz, now())::text,"
	    " coalesce($2::timestamptz, now()) >= (($1::date"
	    " + interval '1 month' + interval '3 days')::timestamp"
	    " AT TIME ZONE 'Asia/Seoul'),"
	    " coalesce($2::timestamptz, now()) < ($1::date::timestamp"
	    " AT TIME ZONE 'Asia/Seoul'),"
	    " to_char($1::date + interval '1 month' + interval '2 days',"
	    " 'YYYY-MM-DD')", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: %s",
		    PQerrorMessage(db));
		PQclear(res);
		return (now != NULL ? 2 : 1);
	}
	(void)snprintf(r.now, sizeof(r.now), "%s", PQgetvalue(res, 0, 0));
	r.issue = PQgetvalue(res, 0, 1)[0] == 't';
	(void)snprintf(r.grace_last, sizeof(r.grace_last), "%s",
	    PQgetvalue(res, 0, 3));
	if (PQgetvalue(res, 0, 2)[0] == 't') {
		PQclear(res);
		fprintf(stderr, "gureumctl: close-month: %.7s has not "
		    "started yet\n", r.month);
		return (2);
	}
	PQclear(res);

	rc = 1;
	r.timing = getenv("GUREUM_CLOSE_TIMING") != NULL;
	if (load_contracts(&r) == -1 || lap(&r, "contracts") ||
	    aggregate(&r) == -1 || lap(&r, "aggregate") ||
	    latest(&r) == -1 || lap(&r, "latest") ||
	    unique_count(&r) == -1 || lap(&r, "unique_count") ||
	    adjustments(&r) == -1 || lap(&r, "adjustments") ||
	    rate_and_write(&r) == -1 || lap(&r, "rate+write"))
		goto done;
	/*
	 * Seal what was just issued (docs/evidence.md), so an invoice's
	 * evidence exists as soon as the close that issued it returns. The
	 * invoice-sealer job does the same on NOTIFY; whichever comes first
	 * seals, the other finds nothing. A failure (no key configured, an
	 * invoice that does not re-rate) is reported, not fatal to the close:
	 * the invoices stay issued and unsealed, and the evidence routes
	 * answer 409 until a sealer succeeds.
	 */
	if (r.issued > 0 && getenv("GUREUM_SIGNING_KEY") != NULL &&
	    evidence_seal_pending(r.db, stdout) == -1)
		fprintf(stderr, "gureumctl: close-month: sealing failed; "
		    "see above, rerun gureumctl seal-invoices\n");
	if (ceiling_alerts(&r) == -1 || lap(&r, "alerts"))
		goto done;
	rc = r.errors > 0 ? 1 : 0;
	if (!quiet || r.drafted > 0 || r.issued > 0 || r.alerts > 0)
		printf("close-month %.7s: %zu contracts, %ld drafts written, "
		    "%ld unchanged, %ld issued, %ld already issued, %d failed,"
		    " %ld ceiling alerts (%s; grace period until %s 24:00 "
		    "KST)\n", r.month, r.n, r.drafted, r.same, r.issued,
		    r.kept, r.errors, r.alerts, r.issue ? "issued" :
		    "drafts", r.grace_last);
done:
	for (i = 0; i < r.n; i++) {
		free(r.cs[i].rate_plan);
		json_decref(r.cs[i].adj);
		json_decref(r.cs[i].draft_calc);
	}
	free(r.cs);
	json_decref(r.late);
	for (i = 0; i < r.ncache; i++) {
		free(r.cache[i].text);
		free(r.cache[i].plan);
	}
	if (r.w[1].conn != NULL)
		PQfinish(r.w[1].conn);
	fflush(stdout);
	return (rc);
}

/*
 * The contracts in force during the month, with what the rating needs:
 * the pinned plan, rounding, period, ceiling and what was invoiced
 * (VAT included, drafts never, this month's own invoice left out), the
 * fiscal year's share and invoices, the month's availability, and
 * whether this month's invoice is issued already.
 */
static int
load_contracts(struct close_run *r)
{
	PGresult	*res;
	const char	*params[1];
	const struct plan *cp;
	struct plan	*p;
	struct cc	*c;
	int		 i, j, n;

	params[0] = r->month;
	res = PQexecParams(r->db,
	    "SELECT c.id, to_char(c.start_date, 'YYYYMMDD'),"
	    " to_char(c.end_date, 'YYYYMMDD'), c.rate_plan::text, c.rounding,"
	    " c.ceiling_won, coalesce(v.invoiced, 0), coalesce(v.fy, 0),"
	    " c.fy_split <> '{}'::jsonb,"
	    " coalesce(c.fy_split->>to_char($1::date, 'YYYY'), '0'),"
	    " a.availability_micro, i.status IS NOT NULL AND"
	    " i.status <> 'draft', CASE WHEN i.status = 'draft' THEN"
	    " i.calc::text END"
	    " FROM contracts c"
	    " LEFT JOIN usage_availability a ON a.contract_id = c.id"
	    "  AND a.month = $1::date"
	    " LEFT JOIN invoices i ON i.contract_id = c.id"
	    "  AND i.month = $1::date AND i.kind = 'invoice'"
	    " LEFT JOIN (SELECT contract_id, sum(total_won) AS invoiced,"
	    "  sum(total_won) FILTER (WHERE fiscal_year ="
	    "  extract(year FROM $1::date)) AS fy FROM invoices"
	    "  WHERE status <> 'draft' AND NOT (kind = 'invoice'"
	    "  AND month = $1::date) GROUP BY contract_id) v"
	    "  ON v.contract_id = c.id"
	    " WHERE c.status IN ('active', 'suspended', 'ended')"
	    " AND c.start_date < ($1::date + interval '1 month')"
	    " AND c.end_date >= $1::date ORDER BY c.id",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: contracts: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		return (-1);
	}
	n = PQntuples(res);
	if ((r->cs = calloc(n > 0 ? n : 1, sizeof(*r->cs))) == NULL ||
	    (p = malloc(sizeof(*p))) == NULL) {
		fprintf(stderr, "gureumctl: close-month: out of memory\n");
		PQclear(res);
		return (-1);
	}
	r->n = n;
	for (i = 0; i < n; i++) {
		c = &r->cs[i];
		c->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		c->start = ymd(PQgetvalue(res, i, 1));
		c->end = ymd(PQgetvalue(res, i, 2));
		c->rate_plan = strdup(PQgetvalue(res, i, 3));
		if (money_rounding_from_name(PQgetvalue(res, i, 4),
		    &c->rounding) != MONEY_OK)
			c->bad = 1;
		if (parse_i64(PQgetvalue(res, i, 5), &c->ceiling) == -1 ||
		    parse_i64(PQgetvalue(res, i, 6), &c->invoiced) == -1 ||
		    parse_i64(PQgetvalue(res, i, 7), &c->fy_invoiced) == -1 ||
		    parse_i64(PQgetvalue(res, i, 9), &c->fy_ceiling) == -1)
			c->bad = 1;
		c->has_fy = PQgetvalue(res, i, 8)[0] == 't';
		if (!PQgetisnull(res, i, 10)) {
			c->has_avail = 1;
			c->avail = strtoll(PQgetvalue(res, i, 10), NULL, 10);
		}
		c->kept = PQgetvalue(res, i, 11)[0] == 't';
		if (!PQgetisnull(res, i, 12))
			c->draft_calc = json_loads(PQgetvalue(res, i, 12), 0,
			    NULL);
		if ((c->adj = json_array()) == NULL || c->rate_plan == NULL) {
			fprintf(stderr, "gureumctl: close-month: out of "
			    "memory\n");
			free(p);
			PQclear(res);
			return (-1);
		}
		if ((cp = plan_of(r, c->rate_plan, p)) == NULL) {
			c->bad = 1;
			continue;
		}
		c->ndims = cp->ndims;
		for (j = 0; j < (int)cp->ndims; j++) {
			memcpy(c->codes[j], cp->dims[j].code,
			    sizeof(c->codes[j]));
			c->aggs[j] = cp->dims[j].aggregation;
		}
	}
	free(p);
	PQclear(res);
	return (0);
}

/*
 * The one scan: sum and max of every (contract, dimension) of the month,
 * read row by row as the server sends them. The same pass finds late
 * usage: records of earlier months received after the oldest of the
 * contracts' last issues (less 10 minutes), grouped by contract and
 * month with their latest receipt; adjustments() decides which of those
 * months are to be re-rated. Without an index on month the bare
 * aggregation is a sequential scan too, so the second condition costs no
 * second pass.
 */
static int
aggregate(struct close_run *r)
{
	PGresult	*res;
	const char	*params[2];
	struct cc	*c;
	char		*ids, *p, since[64];
	int64_t		 v;
	size_t		 i;
	int		 k, ok;

	if ((ids = malloc(r->n * 24 + 3)) == NULL)
		return (-1);
	p = ids;
	*p++ = '{';
	for (i = 0; i < r->n; i++)
		if (!r->cs[i].bad && !r->cs[i].kept)
			p += sprintf(p, "%s%lld", p[-1] == '{' ? "" : ",",
			    (long long)r->cs[i].id);
	*p++ = '}';
	*p = '\0';
	params[0] = r->month;
	params[1] = ids;
	res = PQexecParams(r->db, "SELECT (min(last) - interval '10 minutes')"
	    "::text FROM (SELECT max(issued_at) AS last FROM invoices"
	    " WHERE kind = 'invoice' AND status <> 'draft' AND month < $1::date"
	    " AND contract_id = ANY ($2::bigint[]) GROUP BY contract_id) x",
	    2, NULL, params, NULL, NULL, 0);
	free(ids);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: usage: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		return (-1);
	}
	since[0] = '\0';
	if (!PQgetisnull(res, 0, 0))
		(void)snprintf(since, sizeof(since), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((r->late = json_array()) == NULL)
		return (-1);

	/* No issued month before: nothing can be late, the bare shape. */
	params[0] = r->month;
	params[1] = since;
	if (!PQsendQueryParams(r->db, since[0] == '\0' ?
	    "SELECT contract_id, dimension, true, sum(quantity_micro),"
	    " max(quantity_micro), NULL, NULL FROM usage_records"
	    " WHERE month = $1::date GROUP BY contract_id, dimension" :
	    "SELECT contract_id, dimension,"
	    " month = $1::date, sum(quantity_micro), max(quantity_micro),"
	    " to_char(month, 'YYYY-MM-DD'),"
	    " (max(received_at) FILTER (WHERE month < $1::date))::text"
	    " FROM usage_records WHERE month = $1::date OR (month < $1::date"
	    " AND received_at > $2::timestamptz)"
	    " GROUP BY contract_id, month, dimension", since[0] == '\0' ? 1 : 2,
	    NULL, params, NULL, NULL, 0) || !PQsetSingleRowMode(r->db)) {
		fprintf(stderr, "gureumctl: close-month: usage: %s",
		    PQerrorMessage(r->db));
		return (-1);
	}
	ok = 1;
	while ((res = PQgetResult(r->db)) != NULL) {
		if (PQresultStatus(res) == PGRES_SINGLE_TUPLE) {
			c = find(r, strtoll(PQgetvalue(res, 0, 0), NULL, 10));
			if (c == NULL || c->bad) {
				/* not in force this month, or unreadable */
			} else if (PQgetvalue(res, 0, 2)[0] != 't') {
				json_array_append_new(r->late, json_pack(
				    "[I, s, s]", (json_int_t)c->id,
				    PQgetvalue(res, 0, 5), PQgetvalue(res, 0,
				    6)));
			} else if ((k = dim_index(c, PQgetvalue(res, 0, 1))) >=
			    0) {
				if (parse_i64(PQgetvalue(res, 0, 3), &v) == -1)
					c->overflow = 1;
				else
					c->sum[k] = v;
				c->max[k] = strtoll(PQgetvalue(res, 0, 4),
				    NULL, 10);
			}
		} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "gureumctl: close-month: usage: %s",
			    PQresultErrorMessage(res));
			ok = 0;
		}
		PQclear(res);
	}
	return (ok ? 0 : -1);
}

/*
 * The month's quantity of every latest dimension: the quantity of the
 * record with the greatest usage_at, ties broken by the greatest
 * record_id in byte order. One probe per (contract, dimension) into
 * usage_records_latest_idx, which is in exactly that order and holds the
 * quantity, so it costs the number of such dimensions, not the month.
 */
static int
latest(struct close_run *r)
{
	PGresult	*res;
	struct cc	*c;
	const char	*params[3];
	char		*ids, *dims, *p, *q;
	size_t		 i, j, n;
	int		 k;

	n = 0;
	for (i = 0; i < r->n; i++)
		for (j = 0; j < r->cs[i].ndims; j++)
			if (r->cs[i].aggs[j] == RATING_AGG_LATEST)
				n++;
	if (n == 0)
		return (0);
	if ((ids = malloc(n * 24 + 3)) == NULL ||
	    (dims = malloc(n * (RATING_CODE_MAX + 1) + 3)) == NULL) {
		free(ids);
		return (-1);
	}
	p = ids;
	q = dims;
	*p++ = '{';
	*q++ = '{';
	for (i = 0; i < r->n; i++) {
		c = &r->cs[i];
		if (c->bad || c->kept)
			continue;
		for (j = 0; j < c->ndims; j++) {
			if (c->aggs[j] != RATING_AGG_LATEST)
				continue;
			/* Codes are [a-z][a-z0-9_]*: no quoting needed. */
			p += sprintf(p, "%s%lld", p[-1] == '{' ? "" : ",",
			    (long long)c->id);
			q += sprintf(q, "%s%s", q[-1] == '{' ? "" : ",",
			    c->codes[j]);
		}
	}
	*p++ = '}';
	*p = '\0';
	*q++ = '}';
	*q = '\0';
	params[0] = r->month;
	params[1] = ids;
	params[2] = dims;
	res = PQexecParams(r->db, "SELECT x.c, x.d, u.quantity_micro"
	    " FROM unnest($2::bigint[], $3::text[]) AS x(c, d)"
	    " CROSS JOIN LATERAL (SELECT quantity_micro FROM usage_records"
	    "  WHERE contract_id = x.c AND month = $1::date AND dimension = x.d"
	    "  ORDER BY usage_at DESC, record_id COLLATE \"C\" DESC LIMIT 1) u",
	    3, NULL, params, NULL, NULL, 0);
	free(ids);
	free(dims);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: usage: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		return (-1);
	}
	for (i = 0; i < (size_t)PQntuples(res); i++) {
		c = find(r, strtoll(PQgetvalue(res, i, 0), NULL, 10));
		if (c != NULL && (k = dim_index(c, PQgetvalue(res, i, 1))) >= 0)
			c->other[k] = strtoll(PQgetvalue(res, i, 2), NULL, 10);
	}
	PQclear(res);
	return (0);
}

/*
 * The distinct subjects of every (contract, dimension) of the month.
 * Only unique_count records carry a subject, and the partial index
 * usage_records_subject_idx holds exactly those rows in (month,
 * contract, dimension, subject) order: an index-only scan of them, not
 * of the month.
 */
static int
unique_count(struct close_run *r)
{
	PGresult	*res;
	struct cc	*c;
	const char	*params[1];
	int		 i, k;

	params[0] = r->month;
	res = PQexecParams(r->db, "SELECT contract_id, dimension, count(*)"
	    " FROM (SELECT DISTINCT contract_id, dimension, subject"
	    " FROM usage_records WHERE month = $1::date AND subject <> '') x"
	    " GROUP BY contract_id, dimension", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: usage: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		return (-1);
	}
	for (i = 0; i < PQntuples(res); i++) {
		c = find(r, strtoll(PQgetvalue(res, i, 0), NULL, 10));
		if (c == NULL || (k = dim_index(c, PQgetvalue(res, i, 1))) < 0 ||
		    c->aggs[k] != RATING_AGG_UNIQUE_COUNT)
			continue;
		/* A count of subjects: whole units, in micro. */
		c->other[k] = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		if (c->other[k] > INT64_MAX / MONEY_MICRO)
			c->overflow = 1;
		else
			c->other[k] *= MONEY_MICRO;
	}
	PQclear(res);
	return (0);
}

/*
 * Which earlier months to re-rate: an issued month of a contract with a
 * record received after (10 minutes before) the last issue that could
 * have included it, the latest issued invoice of the contract for that
 * month or later. Records that came in before were in that invoice, as
 * the month itself or as its adjustment. Each such month is re-rated
 * and its difference becomes adjustment lines of this month.
 */
static int
adjustments(struct close_run *r)
{
	PGresult	*res;
	const char	*params[4];
	struct cc	*c;
	json_t		*x;
	char		*cs, *ms, *rs, *p, *q, *t;
	size_t		 i, n;
	int		 j, rc;

	n = json_array_size(r->late);
	if (n == 0)
		return (0);
	cs = malloc(n * 24 + 3);
	ms = malloc(n * 12 + 3);
	rs = malloc(n * 40 + 3);
	if (cs == NULL || ms == NULL || rs == NULL) {
		free(cs);
		free(ms);
		free(rs);
		return (-1);
	}
	p = cs;
	q = ms;
	t = rs;
	*p++ = *q++ = *t++ = '{';
	json_array_foreach(r->late, i, x) {
		p += sprintf(p, "%s%lld", i > 0 ? "," : "", (long long)
		    json_integer_value(json_array_get(x, 0)));
		q += sprintf(q, "%s%.10s", i > 0 ? "," : "",
		    json_string_value(json_array_get(x, 1)));
		t += sprintf(t, "%s\"%.32s\"", i > 0 ? "," : "",
		    json_string_value(json_array_get(x, 2)));
	}
	*p++ = *q++ = *t++ = '}';
	*p = *q = *t = '\0';
	params[0] = cs;
	params[1] = ms;
	params[2] = rs;
	params[3] = r->month;
	res = PQexecParams(r->db, "SELECT x.c, to_char(x.m, 'YYYY-MM-DD'),"
	    " min(i.availability_micro)"
	    " FROM unnest($1::bigint[], $2::date[], $3::timestamptz[])"
	    "  AS x(c, m, r)"
	    " JOIN invoices i ON i.contract_id = x.c AND i.month = x.m"
	    "  AND i.kind = 'invoice' AND i.status <> 'draft'"
	    " WHERE x.r > (SELECT max(j.issued_at) FROM invoices j"
	    "  WHERE j.contract_id = x.c AND j.kind = 'invoice'"
	    "  AND j.status <> 'draft' AND j.month >= x.m"
	    "  AND j.month < $4::date) - interval '10 minutes'"
	    " GROUP BY x.c, x.m ORDER BY x.c, x.m", 4, NULL, params, NULL,
	    NULL, 0);
	free(cs);
	free(ms);
	free(rs);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: late usage: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		return (-1);
	}
	rc = 0;
	for (j = 0; j < PQntuples(res); j++) {
		c = find(r, strtoll(PQgetvalue(res, j, 0), NULL, 10));
		if (c == NULL || c->kept || c->bad)
			continue;
		if (adjust_one(r, c, PQgetvalue(res, j, 1),
		    PQgetisnull(res, j, 2) ? -1 :
		    strtoll(PQgetvalue(res, j, 2), NULL, 10),
		    !PQgetisnull(res, j, 2)) == -1)
			rc = -1;
	}
	PQclear(res);
	return (rc);
}

/*
 * Re-rates earlier month pm of contract c with the records it has now
 * and adds the differences to c->adj: one per dimension that changed
 * and one for the SLA credit (that month's availability, as invoiced).
 */
static int
adjust_one(struct close_run *r, struct cc *c, const char *pm, int64_t avail,
    int has_avail)
{
	PGresult		*res;
	struct plan		*p;
	struct rating_plan	 rp;
	struct rating_period	 per;
	struct rating_result	 rr;
	const char		*params[2];
	char			 id[24], msg[160];
	int64_t			 qty, now_won[RATING_DIMENSIONS_MAX];
	int64_t			 billed[RATING_DIMENSIONS_MAX];
	int64_t			 dim_adj[RATING_DIMENSIONS_MAX];
	int64_t			 billed_credit, credit_adj, share, v;
	int			 y, m, d, k, i;
	enum money_err		 rv;

	if ((p = malloc(sizeof(*p))) == NULL)
		return (-1);
	if (load_plan(c->rate_plan, p) == -1) {
		free(p);
		return (0);
	}
	plan_rating(p, &rp);
	(void)icalc_parse_date(pm, &y, &m, &d);
	icalc_period(y, m, c->start, c->end, &per);
	(void)snprintf(id, sizeof(id), "%lld", (long long)c->id);
	params[0] = id;
	params[1] = pm;
	res = PQexecParams(r->db, "SELECT dimension, sum(quantity_micro),"
	    " max(quantity_micro), count(DISTINCT nullif(subject, '')),"
	    " (array_agg(quantity_micro ORDER BY usage_at DESC,"
	    " record_id COLLATE \"C\" DESC))[1] FROM usage_records"
	    " WHERE contract_id = $1 AND month = $2::date GROUP BY dimension",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: late usage: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		free(p);
		return (-1);
	}
	memset(now_won, 0, sizeof(now_won));
	memset(billed, 0, sizeof(billed));
	for (k = 0; k < (int)p->ndims; k++) {
		qty = 0;
		for (i = 0; i < PQntuples(res); i++) {
			if (strcmp(PQgetvalue(res, i, 0), p->dims[k].code) != 0)
				continue;
			switch (p->dims[k].aggregation) {
			case RATING_AGG_SUM:
				if (parse_i64(PQgetvalue(res, i, 1), &qty) == -1)
					c->overflow = 1;
				break;
			case RATING_AGG_MAX:
				qty = strtoll(PQgetvalue(res, i, 2), NULL, 10);
				break;
			case RATING_AGG_UNIQUE_COUNT:
				qty = strtoll(PQgetvalue(res, i, 3), NULL, 10) *
				    MONEY_MICRO;
				break;
			default:
				qty = strtoll(PQgetvalue(res, i, 4), NULL, 10);
				break;
			}
		}
		if ((rv = rating_price(&p->dims[k], qty, &per, &rr)) !=
		    MONEY_OK || (rv = money_round_exact(rr.amount,
		    c->rounding, &now_won[k])) != MONEY_OK) {
			fprintf(stderr, "gureumctl: close-month: contract %lld "
			    "%s: %s\n", (long long)c->id, pm, money_err_name(rv));
			c->overflow = 1;
		}
	}
	PQclear(res);

	/* What was billed for pm: its usage and credit lines, and every
	 * adjustment for it on an issued invoice since. */
	res = PQexecParams(r->db, "SELECT l.dimension, sum(l.amount_won)"
	    " FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id"
	    " WHERE i.contract_id = $1 AND i.kind = 'invoice'"
	    " AND i.status <> 'draft' AND ((i.month = $2::date AND l.kind IN"
	    " ('usage', 'sla_credit')) OR (l.kind = 'adjustment'"
	    " AND l.adjusts_month = $2::date)) GROUP BY l.dimension",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: billed: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		free(p);
		return (-1);
	}
	billed_credit = 0;
	for (i = 0; i < PQntuples(res); i++) {
		if (parse_i64(PQgetvalue(res, i, 1), &v) == -1)
			continue;
		if (PQgetisnull(res, i, 0)) {
			billed_credit = v;
			continue;
		}
		for (k = 0; k < (int)p->ndims; k++)
			if (strcmp(PQgetvalue(res, i, 0), p->dims[k].code) == 0)
				billed[k] = v;
	}
	PQclear(res);

	share = 0;
	if (has_avail && rating_sla_share(&rp, avail, &share) != MONEY_OK)
		share = 0;
	rv = icalc_adjust(now_won, billed, p->ndims, share, c->rounding,
	    billed_credit, dim_adj, &credit_adj);
	if (rv != MONEY_OK) {
		fprintf(stderr, "gureumctl: close-month: contract %lld %s: "
		    "%s\n", (long long)c->id, pm, money_err_name(rv));
		c->overflow = 1;
		free(p);
		return (0);
	}
	for (k = 0; k < (int)p->ndims; k++) {
		if (dim_adj[k] == 0)
			continue;
		(void)snprintf(msg, sizeof(msg), "%.7s", pm);
		json_array_append_new(c->adj, json_pack("{s:s, s:i, s:I, s:s,"
		    " s:s}", "month", pm, "dim", k, "amount",
		    (json_int_t)dim_adj[k], "unit_ko", p->unit_ko[k],
		    "unit_en", p->unit_en[k][0] != '\0' ? p->unit_en[k] :
		    p->unit_ko[k]));
	}
	if (credit_adj != 0)
		json_array_append_new(c->adj, json_pack("{s:s, s:i, s:I}",
		    "month", pm, "dim", -1, "amount", (json_int_t)credit_adj));
	free(p);
	return (0);
}

/* Rates every contract and writes the invoices, BATCH per statement. */
static int
rate_and_write(struct close_run *r)
{
	json_t		*batch, *inv;
	struct timespec	 t;
	size_t		 i, written, limit;

	if ((batch = json_array()) == NULL)
		return (-1);
	written = 0;
	limit = BATCH;
	if (r->crash_after > 0 && (size_t)r->crash_after < limit)
		limit = r->crash_after;
	for (i = 0; i < r->n; i++) {
		if (r->cs[i].kept) {
			r->kept++;
			continue;
		}
		(void)since(&t);
		inv = rate_one(r, &r->cs[i]);
		r->t_rate += since(&t);
		if (inv == NULL) {
			r->errors++;
			continue;
		}
		/*
		 * The calc determines the lines: a draft computed the same
		 * is not sent again, only named when it is to be issued.
		 */
		if (r->cs[i].draft_calc != NULL && json_equal(
		    r->cs[i].draft_calc, json_object_get(inv, "calc"))) {
			json_decref(inv);
			if (!r->issue) {
				r->same++;
				continue;
			}
			inv = json_pack("{s:I, s:b}", "contract_id",
			    (json_int_t)r->cs[i].id, "same", 1);
		}
		json_array_append_new(batch, inv);
		if (json_array_size(batch) >= limit) {
			if (write_batch(r, batch) == -1) {
				json_decref(batch);
				(void)flush_writes(r);
				return (-1);
			}
			written += json_array_size(batch);
			json_array_clear(batch);
			if (r->crash_after > 0 &&
			    written >= (size_t)r->crash_after) {
				fprintf(stderr, "gureumctl: close-month: "
				    "GUREUM_CLOSE_CRASH_AFTER=%ld: exiting "
				    "after %zu contracts\n", r->crash_after,
				    written);
				fflush(stdout);
				_exit(CLOSE_CRASH_EXIT);
			}
			if (r->crash_after > 0 && (size_t)r->crash_after -
			    written < limit)
				limit = r->crash_after - written;
		}
	}
	if (json_array_size(batch) > 0 && write_batch(r, batch) == -1) {
		json_decref(batch);
		(void)flush_writes(r);
		return (-1);
	}
	json_decref(batch);
	return (flush_writes(r));
}

/*
 * One contract's invoice as invoice_close_batch() takes it, or NULL
 * (named on stderr) when its plan or arithmetic fails.
 */
static json_t *
rate_one(struct close_run *r, struct cc *c)
{
	const struct plan	*p;
	struct plan		*tmp;
	struct rating_plan	 rp;
	struct icalc_in		 in;
	struct icalc_out	*out;
	int64_t			 qty[RATING_DIMENSIONS_MAX];
	int64_t			 adjw[ICALC_ADJ_MAX];
	const struct rating_line *ln;
	json_t			*inv, *lines, *qs, *a, *line;
	char			 buf[MONEY_FMT_MAX], ko[300], en[300];
	char			 mon[8];
	const char		*kind;
	enum money_err		 rv;
	size_t			 i, nadj;
	int			 k;

	if (c->bad || c->overflow) {
		fprintf(stderr, "gureumctl: close-month: contract %lld: %s\n",
		    (long long)c->id, c->bad ? "its rate plan, rounding or "
		    "ceiling cannot be read" : "a quantity is out of range");
		return (NULL);
	}
	if ((tmp = malloc(sizeof(*tmp))) == NULL ||
	    (out = malloc(sizeof(*out))) == NULL) {
		free(tmp);
		return (NULL);
	}
	if ((p = plan_of(r, c->rate_plan, tmp)) == NULL) {
		free(tmp);
		free(out);
		return (NULL);
	}
	plan_rating(p, &rp);
	memset(&in, 0, sizeof(in));
	for (k = 0; k < (int)p->ndims; k++) {
		switch (p->dims[k].aggregation) {
		case RATING_AGG_SUM:
			qty[k] = c->sum[k];
			break;
		case RATING_AGG_MAX:
			qty[k] = c->max[k];
			break;
		default:
			qty[k] = c->other[k];
			break;
		}
	}
	nadj = json_array_size(c->adj);
	if (nadj > ICALC_ADJ_MAX) {
		fprintf(stderr, "gureumctl: close-month: contract %lld: %zu "
		    "adjustment lines, more than %d\n", (long long)c->id, nadj,
		    ICALC_ADJ_MAX);
		free(tmp);
		free(out);
		return (NULL);
	}
	for (i = 0; i < nadj; i++)
		adjw[i] = json_integer_value(json_object_get(
		    json_array_get(c->adj, i), "amount"));
	in.dims = p->dims;
	in.ndims = p->ndims;
	in.plan = &rp;
	in.qty = qty;
	icalc_period(r->y, r->m, c->start, c->end, &in.period);
	in.has_availability = c->has_avail;
	in.availability = c->avail;
	in.rounding = c->rounding;
	in.adjust_won = adjw;
	in.nadjust = nadj;
	rv = icalc_remaining(c->ceiling, c->invoiced, c->has_fy,
	    c->fy_ceiling, c->fy_invoiced, &in.remaining_won);
	if (rv == MONEY_OK)
		rv = icalc_month(&in, out);
	if (rv != MONEY_OK) {
		fprintf(stderr, "gureumctl: close-month: contract %lld: %s%s\n",
		    (long long)c->id, money_err_name(rv), rv == MONEY_EINVAL ?
		    " (plan, or invoiced beyond the ceiling)" : "");
		free(tmp);
		free(out);
		return (NULL);
	}

	lines = json_array();
	for (i = 0; i < out->inv.nlines; i++) {
		ln = &out->lines[i];
		kind = rating_line_name(ln->kind);
		line = json_pack("{s:I, s:s, s:I}", "line_no",
		    (json_int_t)(i + 1), "kind", kind, "amount_won",
		    (json_int_t)ln->amount_won);
		switch (ln->kind) {
		case RATING_LINE_USAGE:
			k = (int)ln->source;
			(void)snprintf(ko, sizeof(ko), "%s (%s)",
			    p->unit_ko[k], p->dims[k].code);
			(void)snprintf(en, sizeof(en), "%s (%s)",
			    p->unit_en[k][0] != '\0' ? p->unit_en[k] :
			    p->unit_ko[k], p->dims[k].code);
			json_object_set_new(line, "dimension",
			    json_string(p->dims[k].code));
			json_object_set_new(line, "quantity_micro",
			    json_integer(qty[k]));
			json_object_set_new(line, "breakdown",
			    breakdown(&out->res[k]));
			break;
		case RATING_LINE_ADJUSTMENT:
			a = json_array_get(c->adj, ln->source);
			(void)snprintf(mon, sizeof(mon), "%.7s",
			    json_string_value(json_object_get(a, "month")));
			k = json_integer_value(json_object_get(a, "dim"));
			if (k >= 0) {
				(void)snprintf(ko, sizeof(ko), "%s 사용량 정산: "
				    "%s", mon, json_string_value(
				    json_object_get(a, "unit_ko")));
				(void)snprintf(en, sizeof(en), "%s adjustment: "
				    "%s", mon, json_string_value(
				    json_object_get(a, "unit_en")));
				json_object_set_new(line, "dimension",
				    json_string(p->dims[k].code));
			} else {
				(void)snprintf(ko, sizeof(ko), "%s SLA 크레딧 "
				    "정산", mon);
				(void)snprintf(en, sizeof(en), "%s SLA credit "
				    "adjustment", mon);
			}
			json_object_set(line, "adjusts_month",
			    json_object_get(a, "month"));
			break;
		case RATING_LINE_SLA_CREDIT:
			fmt_micro(c->avail, buf, sizeof(buf));
			(void)snprintf(ko, sizeof(ko), "%s (가용률 %s%%)",
			    rating_line_label(ln->kind, "ko"), buf);
			(void)snprintf(en, sizeof(en), "%s (availability %s%%)",
			    rating_line_label(ln->kind, "en"), buf);
			break;
		default:
			(void)snprintf(ko, sizeof(ko), "%s",
			    rating_line_label(ln->kind, "ko"));
			(void)snprintf(en, sizeof(en), "%s",
			    rating_line_label(ln->kind, "en"));
			break;
		}
		json_object_set_new(line, "label_ko", json_string(ko));
		json_object_set_new(line, "label_en", json_string(en));
		json_array_append_new(lines, line);
	}

	qs = json_object();
	for (k = 0; k < (int)p->ndims; k++) {
		fmt_micro(qty[k], buf, sizeof(buf));
		json_object_set_new(qs, p->dims[k].code, json_string(buf));
	}
	fmt_micro(out->sla_share, buf, sizeof(buf));
	inv = json_pack("{s:I, s:I, s:I, s:I, s:i, s:s, s:o, s:o, s:{s:i, s:i,"
	    " s:I, s:I, s:I, s:I, s:I, s:s, s:o, s:o, s:O}}",
	    "contract_id", (json_int_t)c->id,
	    "supply_won", (json_int_t)out->inv.supply_won,
	    "vat_won", (json_int_t)out->inv.vat_won,
	    "total_won", (json_int_t)out->inv.total_won,
	    "fiscal_year", r->y,
	    "rounding", money_rounding_name(c->rounding),
	    "availability_micro", c->has_avail ? json_integer(c->avail) :
	    json_null(),
	    "lines", lines,
	    "calc", "days_active", in.period.days_active,
	    "days_in_month", in.period.days_in_month,
	    "flat_won", (json_int_t)out->flat_won,
	    "charge_won", (json_int_t)out->inv.charge_won,
	    "supply_won", (json_int_t)out->inv.supply_won,
	    "vat_won", (json_int_t)out->inv.vat_won,
	    "remaining_won", (json_int_t)in.remaining_won,
	    "sla_share", buf, "quantities", qs,
	    "availability_micro", c->has_avail ? json_integer(c->avail) :
	    json_null(), "adjustments", c->adj);
	free(tmp);
	free(out);
	return (inv);
}

/* The tier breakdown of a line: a row per part, decimals as strings. */
static json_t *
breakdown(const struct rating_result *res)
{
	const struct rating_part	*pt;
	json_t				*a;
	char				 q[MONEY_FMT_MAX], u[MONEY_FMT_MAX];
	char				 f[MONEY_FMT_MAX], x[MONEY_FMT_MAX];
	size_t				 i;

	a = json_array();
	for (i = 0; i < res->nparts; i++) {
		pt = &res->parts[i];
		fmt_micro(pt->quantity, q, sizeof(q));
		fmt_micro(pt->unit_price, u, sizeof(u));
		fmt_micro(pt->flat_fee, f, sizeof(f));
		if (money_format_exact(pt->amount, 0, x, sizeof(x)) != MONEY_OK)
			x[0] = '\0';
		json_array_append_new(a, json_pack("{s:o, s:s, s:I, s:s, s:s,"
		    " s:s}", "tier", pt->tier >= 0 ? json_integer(pt->tier + 1) :
		    json_null(), "quantity", q, "packages",
		    (json_int_t)pt->packages, "unit_price", u, "flat_fee", f,
		    "amount", x));
	}
	return (a);
}

/*
 * Sends a batch of invoices as one statement on a free writer: the
 * command's own connection or a second one, so that the server writes
 * one batch while the next is rated and sent (the machine's second
 * core). Batches touch disjoint contracts; numbers are taken under the
 * vendor's invoice_sequences row lock, in vendor order, so two writers
 * wait for each other there and never deadlock. With the crash hook the
 * write is waited for at once.
 */
static int
write_batch(struct close_run *r, json_t *batch)
{
	struct inflight	*w;
	const char	*params[4];
	struct timespec	 t;

	(void)since(&t);
	if (r->w[0].conn == NULL) {
		r->w[0].conn = r->db;
		if (r->crash_after == 0 && r->n > BATCH)
			r->w[1].conn = ctl_connect();
	}
	w = !r->w[0].busy ? &r->w[0] : (r->w[1].conn != NULL &&
	    !r->w[1].busy) ? &r->w[1] : NULL;
	if (w == NULL) {
		/* Both busy: wait for the one sent first. */
		w = r->w[0].sent < r->w[1].sent ? &r->w[0] : &r->w[1];
		if (collect(r, w) == -1)
			return (-1);
	}
	if ((w->text = json_dumps(batch, JSON_COMPACT)) == NULL)
		return (-1);
	params[0] = r->month;
	params[1] = r->issue ? "true" : "false";
	params[2] = r->now;
	params[3] = w->text;
	if (!PQsendQueryParams(w->conn, "SELECT contract_id, invoice_id,"
	    " outcome, number FROM invoice_close_batch($1::date, $2::boolean,"
	    " $3::timestamptz, $4::json)", 4, NULL, params, NULL, NULL, 0)) {
		fprintf(stderr, "gureumctl: close-month: write: %s",
		    PQerrorMessage(w->conn));
		free(w->text);
		w->text = NULL;
		return (-1);
	}
	w->busy = 1;
	w->sent = ++r->nsent;
	r->t_write += since(&t);
	if (r->w[1].conn == NULL || r->crash_after > 0)
		return (collect(r, w));
	return (0);
}

/* Waits for a writer's batch and counts its outcomes. 0, or -1. */
static int
collect(struct close_run *r, struct inflight *w)
{
	PGresult	*res;
	struct timespec	 t;
	const char	*o;
	int		 i, ok;

	if (!w->busy)
		return (0);
	(void)since(&t);
	ok = 1;
	while ((res = PQgetResult(w->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "gureumctl: close-month: write: %s",
			    PQresultErrorMessage(res));
			ok = 0;
			PQclear(res);
			continue;
		}
		for (i = 0; i < PQntuples(res); i++) {
			o = PQgetvalue(res, i, 2);
			if (strcmp(o, "issued") == 0) {
				r->issued++;
				if (r->n <= 100)
					printf("issued invoice %s (#%s) for "
					    "contract %s\n", PQgetvalue(res, i,
					    3), PQgetvalue(res, i, 1),
					    PQgetvalue(res, i, 0));
			} else if (strcmp(o, "draft") == 0)
				r->drafted++;
			else if (strcmp(o, "same") == 0)
				r->same++;
			else
				r->kept++;
		}
		PQclear(res);
	}
	free(w->text);
	w->text = NULL;
	w->busy = 0;
	r->t_write += since(&t);
	return (ok ? 0 : -1);
}

/* Waits for every batch still being written. */
static int
flush_writes(struct close_run *r)
{
	int	rc;

	rc = collect(r, &r->w[0]);
	if (collect(r, &r->w[1]) == -1)
		rc = -1;
	return (rc);
}

/* Ceiling alerts of every contract of the month, once each. */
static int
ceiling_alerts(struct close_run *r)
{
	PGresult	*res;
	const char	*params[1];
	char		*ids, *p;
	size_t		 i;

	if (r->n == 0)
		return (0);
	if ((ids = malloc(r->n * 24 + 3)) == NULL)
		return (-1);
	p = ids;
	*p++ = '{';
	for (i = 0; i < r->n; i++)
		p += sprintf(p, "%s%lld", i > 0 ? "," : "",
		    (long long)r->cs[i].id);
	*p++ = '}';
	*p = '\0';
	params[0] = ids;
	res = PQexecParams(r->db, "SELECT contract_id, threshold, used_won"
	    " FROM ceiling_check($1::bigint[])", 1, NULL, params, NULL, NULL,
	    0);
	free(ids);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: close-month: ceiling alerts: %s",
		    PQerrorMessage(r->db));
		PQclear(res);
		return (-1);
	}
	for (i = 0; i < (size_t)PQntuples(res); i++)
		printf("ceiling alert: contract %s reached %s%% (%s won)\n",
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2));
	r->alerts = PQntuples(res);
	PQclear(res);
	return (0);
}

/* Seconds since *t, and *t set to now. */
static double
since(struct timespec *t)
{
	struct timespec	now;
	double		d;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	d = (now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
	*t = now;
	return (d);
}

/* With GUREUM_CLOSE_TIMING, the time of a step on stderr. Returns 0. */
static int
lap(struct close_run *r, const char *what)
{
	double	d;

	d = since(&r->t0);
	if (r->timing)
		fprintf(stderr, "close-month: %-14s %.3f s\n", what, d);
	if (r->timing && strcmp(what, "rate+write") == 0)
		fprintf(stderr, "close-month:   of which rating %.3f s, "
		    "writing %.3f s\n", r->t_rate, r->t_write);
	return (0);
}

static int
cmp_cc(const void *a, const void *b)
{
	const int64_t	*x = a;
	const struct cc	*c = b;

	return (*x < c->id ? -1 : *x > c->id);
}

static struct cc *
find(struct close_run *r, int64_t id)
{
	return (bsearch(&id, r->cs, r->n, sizeof(*r->cs), cmp_cc));
}

static int
dim_index(const struct cc *c, const char *code)
{
	size_t	i;

	for (i = 0; i < c->ndims; i++)
		if (strcmp(c->codes[i], code) == 0)
			return ((int)i);
	return (-1);
}

/*
 * The parsed plan of a stored text: from the cache, or parsed (and
 * cached while there is room; otherwise into *tmp). NULL for a text that
 * is not a valid plan.
 */
static const struct plan *
plan_of(struct close_run *r, const char *text, struct plan *tmp)
{
	struct plan_slot	*sl;
	struct plan		*p;
	size_t			 i;

	for (i = 0; i < r->ncache; i++)
		if (strcmp(r->cache[i].text, text) == 0)
			return (r->cache[i].plan);
	if (r->ncache == PLAN_CACHE)
		return (load_plan(text, tmp) == -1 ? NULL : tmp);
	if ((p = malloc(sizeof(*p))) == NULL)
		return (load_plan(text, tmp) == -1 ? NULL : tmp);
	sl = &r->cache[r->ncache];
	if ((sl->text = strdup(text)) == NULL) {
		free(p);
		return (load_plan(text, tmp) == -1 ? NULL : tmp);
	}
	if (load_plan(text, p) == -1) {
		free(p);
		p = NULL;
	}
	sl->plan = p;
	r->ncache++;
	return (p);
}

/* Parses a stored plan; -1 if it is not a valid plan. */
static int
load_plan(const char *text, struct plan *p)
{
	struct plan_perr	 e;
	struct rating_plan	 rp;
	json_t			*doc;
	int			 rc;

	if ((doc = json_loads(text, 0, NULL)) == NULL)
		return (-1);
	rc = plan_parse(doc, p, &e);
	json_decref(doc);
	if (rc == -1)
		return (-1);
	plan_rating(p, &rp);
	if (rating_validate(&rp, NULL, 0) != 0)
		return (-1);
	return (0);
}

/* A decimal integer that fits int64_t (sums come back as numeric). */
static int
parse_i64(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return (-1);
	*out = v;
	return (0);
}

static int
ymd(const char *s)
{
	return ((int)strtol(s, NULL, 10));
}

static void
fmt_micro(int64_t v, char *buf, size_t len)
{
	if (money_format_micro(v, 0, buf, len) != MONEY_OK && len > 0)
		buf[0] = '\0';
}
