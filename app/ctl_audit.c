/*
 * gureumctl audit seal|verify: the hash chain over the audit log.
 *
 * The web server only INSERTs audit events (as gureum_app, which can do
 * nothing else to them), and BLAKE2b is not available inside PostgreSQL,
 * so the chain is written here, as the owner, after the fact: `seal`
 * takes the events no chain row names yet, in id order, computes
 * h = BLAKE2b(h_prev || canonical(event)) with app/auditchain.c and
 * appends (seq, event_id, hash) rows to audit_chain, one transaction per
 * batch under a transaction-scoped advisory lock so that two sealers
 * never fork the chain. The chain is in sealing order: an event whose
 * transaction committed late (its id lower than one already sealed) is
 * sealed when it becomes visible, with the next seq. `seal --follow`
 * keeps going, woken by NOTIFY audit (the insert trigger) and by a
 * one-second poll, until SIGTERM or SIGINT.
 *
 * `verify` walks audit_chain by seq in one REPEATABLE READ snapshot,
 * recomputes every link from the events and names the first broken one:
 * a chain row missing, an event missing (deleted), an event altered or a
 * chain hash altered (told apart by whether the next link was computed
 * from the stored hash or from the recomputed one). Events never sealed
 * are counted and reported; recent ones are normal (the sealer runs
 * behind), old ones mean the sealer is not running and fail the check.
 *
 * Both read an event through one SELECT list (AUDIT_EVENT_COLS), so the
 * sealer and the verifier hash the same bytes: the time formatted as UTC
 * with microseconds, the summary as jsonb's text output (canonical: the
 * same value always prints the same), NULL actor and organisation as 0.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auditchain.h"
#include "ctl.h"

#define AUDIT_LOCK	"4711003"	/* pg_advisory_xact_lock key */
#define AUDIT_BATCH	5000		/* events sealed per transaction */
#define AUDIT_BATCH_S	"5000"
#define AUDIT_FETCH	"10000"		/* chain rows read per FETCH */
#define AUDIT_WINDOW	10000		/* ids below the newest sealed one
					   a quick pass looks back */
#define AUDIT_SWEEP	60		/* seconds between full passes */
#define AUDIT_STALE	"1 hour"	/* unsealed for longer: a failure */

/*
 * The one text form of an event; columns 0..AUDIT_EVENT_NCOLS-1 of every
 * statement that hashes events, read by ev_read().
 */
#define AUDIT_EVENT_COLS \
	"e.id, to_char(e.at AT TIME ZONE 'UTC'," \
	" 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at," \
	" coalesce(e.actor_id, 0) AS actor_id, coalesce(e.org_id, 0) AS org_id," \
	" e.action, e.object_type, e.object_id, e.summary::text AS summary," \
	" e.request_id, e.client_addr"
#define AUDIT_EVENT_NCOLS	10

/* $1: only events with a greater id (0 for all). */
static const char *sql_unsealed =
    "SELECT " AUDIT_EVENT_COLS " FROM audit_events e"
    " WHERE e.id > $1::bigint AND NOT EXISTS"
    " (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)"
    " ORDER BY e.id LIMIT " AUDIT_BATCH_S;

static const char *sql_chain_insert =
    "INSERT INTO audit_chain (seq, event_id, hash)"
    " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])";

/* Event columns first, then the chain row's. */
static const char *sql_chain_cursor =
    "DECLARE chain NO SCROLL CURSOR FOR"
    " SELECT " AUDIT_EVENT_COLS ", c.seq, c.event_id, c.hash,"
    "  to_char(c.sealed_at AT TIME ZONE 'UTC',"
    "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS sealed_at"
    " FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id"
    " ORDER BY c.seq";

static const char *sql_unsealed_count =
    "SELECT count(*),"
    " count(*) FILTER (WHERE e.at < now() - interval '" AUDIT_STALE "'),"
    " coalesce(min(e.id), 0)"
    " FROM audit_events e WHERE NOT EXISTS"
    " (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)";

/* A growable text buffer for the array literals of one batch. */
struct abuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

/* The link the verifier could not settle yet (see verify_row()). */
struct pending {
	int		 set;
	int64_t		 seq;
	int64_t		 event_id;
	char		 stored[AUDITCHAIN_HEXBUFSZ];
	char		 recomputed[AUDITCHAIN_HEXBUFSZ];
};

static volatile sig_atomic_t	audit_stop;
static int			audit_following;

static void	 on_signal(int);
static int	 exec_ok(PGconn *, const char *);
static int	 prepare(PGconn *);
static int	 seal_pass(PGconn *, int, size_t *);
static int	 seal_all(PGconn *, int);
static int	 follow_wait(PGconn *);
static void	 ev_read(PGresult *, int, int, struct audit_event *);
static int64_t	 num(PGresult *, int, int);
static int	 abuf_add(struct abuf *, const char *, const char *);
static void	 abuf_free(struct abuf *);

static void
on_signal(int sig)
{
	(void)sig;
	audit_stop = 1;
}

/*
 * Seals every event not in the chain yet. With follow, keeps sealing as
 * events arrive until SIGTERM or SIGINT, surviving a lost connection.
 * Returns 0, or -1 after printing why (never in follow mode, once going).
 */
int
ctl_audit_seal(PGconn *db, int follow)
{
	struct sigaction	 sa;
	time_t			 last_full, now;
	int			 full;

	if (sodium_init() == -1) {
		fprintf(stderr, "gureumctl: audit: sodium_init failed\n");
		return (-1);
	}
	if (prepare(db) == -1)
		return (-1);
	if (!follow)
		return (seal_all(db, 1));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1) {
		fprintf(stderr, "gureumctl: audit: sigaction: %s\n",
		    strerror(errno));
		return (-1);
	}
	if (!exec_ok(db, "LISTEN audit"))
		return (-1);
	audit_following = 1;
	printf("audit: sealer following (pid %ld)\n", (long)getpid());
	fflush(stdout);

	last_full = 0;
	while (!audit_stop) {
		now = time(NULL);
		full = now - last_full >= AUDIT_SWEEP;
		if (seal_all(db, full) == 0) {
			if (full)
				last_full = now;
		} else if (PQstatus(db) == CONNECTION_BAD) {
			/* The database went away: try again each second. */
			sleep(1);
			PQreset(db);
			if (PQstatus(db) == CONNECTION_OK &&
			    (prepare(db) == -1 || !exec_ok(db, "LISTEN audit")))
				PQreset(db);
			last_full = 0;
			continue;
		}
		if (follow_wait(db) == -1 && PQstatus(db) == CONNECTION_BAD)
			continue;
	}
	printf("audit: sealer stopped\n");
	fflush(stdout);
	return (0);
}

/*
 * Waits up to a second for a NOTIFY audit (or a signal), then drains the
 * notifications. Returns 0, or -1 if the connection failed.
 */
static int
follow_wait(PGconn *db)
{
	struct pollfd	 pfd;
	PGnotify	*n;

	if ((pfd.fd = PQsocket(db)) == -1)
		return (-1);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) == -1 && errno != EINTR)
		return (-1);
	if (!PQconsumeInput(db))
		return (-1);
	while ((n = PQnotifies(db)) != NULL)
		PQfreemem(n);
	return (0);
}

/* Sealing passes until one seals less than a full batch. */
static int
seal_all(PGconn *db, int full)
{
	size_t	n, total;

	total = 0;
	do {
		if (seal_pass(db, full, &n) == -1)
			return (-1);
		total += n;
	} while (n == AUDIT_BATCH && !audit_stop);
	if (total > 0 || (full && !audit_following)) {
		printf("audit: sealed %zu event%s\n", total,
		    total == 1 ? "" : "s");
		fflush(stdout);
	}
	return (0);
}

/*
 * One transaction: the lock, the chain's last link, up to AUDIT_BATCH
 * unsealed events in id order, their links. A full pass considers every
 * event; a quick one only ids above the newest sealed id minus
 * AUDIT_WINDOW (a late commit further back waits for the next full pass).
 * Sets *n to the number sealed. Returns 0 or -1 (rolled back, printed).
 */
static int
seal_pass(PGconn *db, int full, size_t *n)
{
	PGresult		*res, *ev;
	struct audit_event	 e;
	struct abuf		 seqs, ids, hashes;
	const char		*params[3];
	char			 prev[AUDITCHAIN_HEXBUFSZ], h[AUDITCHAIN_HEXBUFSZ];
	char			 floor[32], num1[32], num2[32];
	unsigned char		 bin[AUDITCHAIN_HASHBYTES];
	int64_t			 seq, lo;
	int			 i, rows, have_prev, rc;

	*n = 0;
	rc = -1;
	ev = NULL;
	memset(&seqs, 0, sizeof(seqs));
	memset(&ids, 0, sizeof(ids));
	memset(&hashes, 0, sizeof(hashes));

	if (!exec_ok(db, "BEGIN") ||
	    !exec_ok(db, "SELECT pg_advisory_xact_lock(" AUDIT_LOCK ")"))
		goto out;

	res = PQexec(db, "SELECT seq, hash, (SELECT coalesce(max(event_id), 0)"
	    " FROM audit_chain) FROM audit_chain ORDER BY seq DESC LIMIT 1");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: audit seal: %s",
		    PQerrorMessage(db));
		PQclear(res);
		goto out;
	}
	have_prev = PQntuples(res) == 1;
	seq = have_prev ? num(res, 0, 0) : 0;
	lo = have_prev ? num(res, 0, 2) : 0;
	if (have_prev)
		(void)snprintf(prev, sizeof(prev), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	if (have_prev && auditchain_fromhex(prev, bin) == -1) {
		fprintf(stderr, "gureumctl: audit seal: the hash of seq %"
		    PRId64 " is malformed; run gureumctl audit verify\n", seq);
		goto out;
	}

	lo = full || lo < AUDIT_WINDOW ? 0 : lo - AUDIT_WINDOW;
	(void)snprintf(floor, sizeof(floor), "%" PRId64, lo);
	params[0] = floor;
	ev = PQexecParams(db, sql_unsealed, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(ev) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: audit seal: %s",
		    PQerrorMessage(db));
		goto out;
	}
	rows = PQntuples(ev);
	if (rows == 0) {
		rc = exec_ok(db, "COMMIT") ? 0 : -1;
		goto out;
	}

	for (i = 0; i < rows; i++) {
		ev_read(ev, i, 0, &e);
		if (auditchain_hash_hex(have_prev ? prev : NULL, &e, h) == -1) {
			fprintf(stderr, "gureumctl: audit seal: cannot hash "
			    "event %" PRId64 "\n", e.id);
			goto out;
		}
		seq++;
		(void)snprintf(num1, sizeof(num1), "%" PRId64, seq);
		(void)snprintf(num2, sizeof(num2), "%" PRId64, e.id);
		if (abuf_add(&seqs, num1, i == 0 ? "{" : ",") == -1 ||
		    abuf_add(&ids, num2, i == 0 ? "{" : ",") == -1 ||
		    abuf_add(&hashes, h, i == 0 ? "{" : ",") == -1) {
			fprintf(stderr, "gureumctl: audit seal: out of "
			    "memory\n");
			goto out;
		}
		memcpy(prev, h, sizeof(prev));
		have_prev = 1;
	}
	if (abuf_add(&seqs, "}", "") == -1 || abuf_add(&ids, "}", "") == -1 ||
	    abuf_add(&hashes, "}", "") == -1) {
		fprintf(stderr, "gureumctl: audit seal: out of memory\n");
		goto out;
	}

	params[0] = seqs.p;
	params[1] = ids.p;
	params[2] = hashes.p;
	res = PQexecParams(db, sql_chain_insert, 3, NULL, params, NULL, NULL,
	    0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "gureumctl: audit seal: %s",
		    PQerrorMessage(db));
		PQclear(res);
		goto out;
	}
	PQclear(res);
	if (!exec_ok(db, "COMMIT"))
		goto out;
	*n = (size_t)rows;
	rc = 0;
out:
	if (rc == -1 && PQtransactionStatus(db) != PQTRANS_IDLE)
		(void)exec_ok(db, "ROLLBACK");
	PQclear(ev);
	abuf_free(&seqs);
	abuf_free(&ids);
	abuf_free(&hashes);
	return (rc);
}

/*
 * Settles a pending mismatch with the row after it: the next link was
 * computed from the stored hash (the event was altered) or from the
 * recomputed one (the stored hash was altered). Prints the verdict.
 */
static void
report_pending(const struct pending *p, const struct audit_event *next,
    const char *next_stored)
{
	char		 h[AUDITCHAIN_HEXBUFSZ];
	const char	*why;

	why = "hash mismatch: the event or its chain hash was altered";
	if (next != NULL && next_stored != NULL) {
		if (auditchain_hash_hex(p->stored, next, h) == 0 &&
		    strcmp(h, next_stored) == 0)
			why = "hash mismatch: event altered";
		else if (auditchain_hash_hex(p->recomputed, next, h) == 0 &&
		    strcmp(h, next_stored) == 0)
			why = "hash mismatch: chain hash altered";
	}
	printf("audit: broken at seq %" PRId64 " (event %" PRId64 "): %s\n",
	    p->seq, p->event_id, why);
}

/*
 * Recomputes the whole chain from the events. Prints "audit: N events,
 * chain intact" and the head, or "audit: broken at seq S (event E):
 * reason". Returns 0 when intact (and no event is unsealed for longer
 * than AUDIT_STALE), 1 when broken or stale, -1 on a database error.
 */
int
ctl_audit_verify(PGconn *db)
{
	PGresult		*res;
	struct audit_event	 e;
	struct pending		 pend;
	char			 prev[AUDITCHAIN_HEXBUFSZ], h[AUDITCHAIN_HEXBUFSZ];
	char			 head_at[32];
	unsigned char		 bin[AUDITCHAIN_HASHBYTES];
	const char		*stored;
	int64_t			 seq, want, event_id, n, unsealed, stale, oldest;
	int			 i, rows, c, have_prev, rc;

	if (sodium_init() == -1) {
		fprintf(stderr, "gureumctl: audit: sodium_init failed\n");
		return (-1);
	}
	if (prepare(db) == -1)
		return (-1);
	if (!exec_ok(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") ||
	    !exec_ok(db, sql_chain_cursor)) {
		(void)exec_ok(db, "ROLLBACK");
		return (-1);
	}

	rc = -1;
	res = NULL;
	memset(&pend, 0, sizeof(pend));
	have_prev = 0;
	n = 0;
	want = 1;
	head_at[0] = '\0';
	c = AUDIT_EVENT_NCOLS;
	for (;;) {
		res = PQexec(db, "FETCH " AUDIT_FETCH " FROM chain");
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "gureumctl: audit verify: %s",
			    PQerrorMessage(db));
			goto out;
		}
		if ((rows = PQntuples(res)) == 0)
			break;
		for (i = 0; i < rows; i++) {
			seq = num(res, i, c);
			event_id = num(res, i, c + 1);
			stored = PQgetvalue(res, i, c + 2);
			if (PQgetisnull(res, i, 0)) {
				if (pend.set) {
					report_pending(&pend, NULL, NULL);
					rc = 1;
					goto out;
				}
				printf("audit: broken at seq %" PRId64
				    " (event %" PRId64 "): event missing "
				    "(deleted)\n", seq, event_id);
				rc = 1;
				goto out;
			}
			ev_read(res, i, 0, &e);
			if (pend.set) {
				report_pending(&pend, &e, stored);
				rc = 1;
				goto out;
			}
			if (seq != want) {
				printf("audit: broken at seq %" PRId64
				    " (event unknown): chain row missing "
				    "(deleted); the chain goes on at seq %"
				    PRId64 " (event %" PRId64 ")\n", want,
				    seq, event_id);
				rc = 1;
				goto out;
			}
			if (auditchain_fromhex(stored, bin) == -1) {
				printf("audit: broken at seq %" PRId64
				    " (event %" PRId64 "): chain hash "
				    "malformed (altered)\n", seq, event_id);
				rc = 1;
				goto out;
			}
			if (auditchain_hash_hex(have_prev ? prev : NULL, &e,
			    h) == -1) {
				fprintf(stderr, "gureumctl: audit verify: "
				    "cannot hash event %" PRId64 "\n", e.id);
				goto out;
			}
			if (strcmp(h, stored) != 0) {
				/* The next row tells which side changed. */
				pend.set = 1;
				pend.seq = seq;
				pend.event_id = event_id;
				(void)snprintf(pend.stored,
				    sizeof(pend.stored), "%s", stored);
				memcpy(pend.recomputed, h, sizeof(h));
			}
			/* Go on from the stored hash, as the sealer did. */
			(void)snprintf(prev, sizeof(prev), "%s", stored);
			(void)snprintf(head_at, sizeof(head_at), "%s",
			    PQgetvalue(res, i, c + 3));
			have_prev = 1;
			want = seq + 1;
			n++;
		}
		PQclear(res);
		res = NULL;
	}
	if (pend.set) {
		report_pending(&pend, NULL, NULL);
		rc = 1;
		goto out;
	}
	PQclear(res);

	res = PQexec(db, sql_unsealed_count);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: audit verify: %s",
		    PQerrorMessage(db));
		goto out;
	}
	unsealed = num(res, 0, 0);
	stale = num(res, 0, 1);
	oldest = num(res, 0, 2);

	printf("audit: %" PRId64 " event%s, chain intact\n", n,
	    n == 1 ? "" : "s");
	if (have_prev)
		printf("audit: head seq %" PRId64 " hash %s sealed %s "
		    "(keep a copy outside the database)\n", want - 1, prev,
		    head_at);
	rc = 0;
	if (unsealed > 0) {
		printf("audit: %" PRId64 " event%s not sealed yet (lowest id %"
		    PRId64 "); gureumctl audit seal seals them\n", unsealed,
		    unsealed == 1 ? "" : "s", oldest);
	}
	if (stale > 0) {
		printf("audit: %" PRId64 " of them older than " AUDIT_STALE
		    ": is the sealer running?\n", stale);
		rc = 1;
	}
out:
	PQclear(res);
	(void)exec_ok(db, "ROLLBACK");
	return (rc);
}

/* The session settings the text forms depend on. */
static int
prepare(PGconn *db)
{
	return (exec_ok(db, "SET client_encoding = 'UTF8'") &&
	    exec_ok(db, "SET client_min_messages = warning") ? 0 : -1);
}

/*
 * Points ev at the event in columns off.. of row (borrowed from res, valid
 * until PQclear). NULL columns become NULL strings.
 */
static void
ev_read(PGresult *res, int row, int off, struct audit_event *ev)
{
	const char	**s[] = { &ev->at, &ev->action, &ev->object_type,
			    &ev->object_id, &ev->summary, &ev->request_id,
			    &ev->client_addr };
	static const int col[] = { 1, 4, 5, 6, 7, 8, 9 };
	size_t		  i;

	ev->id = num(res, row, off);
	ev->actor_id = num(res, row, off + 2);
	ev->org_id = num(res, row, off + 3);
	for (i = 0; i < sizeof(col) / sizeof(col[0]); i++)
		*s[i] = PQgetisnull(res, row, off + col[i]) ? NULL :
		    PQgetvalue(res, row, off + col[i]);
}

static int64_t
num(PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return (0);
	return (strtoll(PQgetvalue(res, row, col), NULL, 10));
}

static int
exec_ok(PGconn *db, const char *sql)
{
	PGresult	*res;
	int		 st;

	res = PQexec(db, sql);
	st = PQresultStatus(res);
	PQclear(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: audit: %s", PQerrorMessage(db));
		return (0);
	}
	return (1);
}

/* Appends sep then s. Returns 0 or -1 (out of memory). */
static int
abuf_add(struct abuf *b, const char *s, const char *sep)
{
	size_t	 need;
	char	*p;

	need = b->len + strlen(sep) + strlen(s) + 1;
	if (need > b->cap) {
		if ((p = realloc(b->p, need * 2)) == NULL)
			return (-1);
		b->p = p;
		b->cap = need * 2;
	}
	b->len += (size_t)sprintf(b->p + b->len, "%s%s", sep, s);
	return (0);
}

static void
abuf_free(struct abuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
