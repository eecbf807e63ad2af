/*
 * gureumctl expire-certificates [--as-of YYYY-MM-DD] [--follow SECONDS]
 *
 * Certificates expire by themselves: every certificate still valid whose
 * expiry date is before today in Korea (UTC+9; valid through its expiry
 * date, expired from the day after) becomes expired, with a history row
 * and an audit event `certificate_expired` per certificate, all in one
 * statement (certificate_expire() in sql/0008_certificates.sql). A second
 * run finds nothing, so the job is idempotent and may run as often as
 * wanted; the search outbox triggers refresh the affected cards.
 *
 * Contracts whose end date has passed end the same way, with
 * end_reason 'expired' (contract_expire() in sql/0017_contract_expiry.sql).
 *
 * --as-of counts validity as of another day (a catch-up after downtime is
 * not needed: the job takes every certificate past its date, however long
 * ago); --follow runs it every SECONDS seconds until SIGTERM or SIGINT,
 * which is how `make run` and `make test` keep it going (conf/env.sh).
 * Prints one line per run that expired something and a summary line
 * ("expire-certificates: N expired as of D"); with --follow runs that
 * expire nothing stay quiet.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static volatile sig_atomic_t	stop;

static void	on_signal(int);
static int	expire_once(PGconn *, const char *, int);

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Parses the arguments after "expire-certificates" and runs. Returns 0, 1
 * on a database error, 2 on a usage error (with the reason on stderr).
 */
int
ctl_expire(PGconn *db, int argc, char *argv[])
{
	struct sigaction	 sa;
	const char		*asof;
	char			*end;
	long			 every;
	int			 i, rc;

	asof = NULL;
	every = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc) {
			asof = argv[++i];
			if (strlen(asof) != 10 || asof[4] != '-' ||
			    asof[7] != '-') {
				fprintf(stderr, "gureumctl: expire-certificates:"
				    " --as-of wants YYYY-MM-DD\n");
				return (2);
			}
		} else if (strcmp(argv[i], "--follow") == 0 && i + 1 < argc) {
			errno = 0;
			every = strtol(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || every < 1 ||
			    every > 86400) {
				fprintf(stderr, "gureumctl: expire-certificates:"
				    " --follow wants 1-86400 seconds\n");
				return (2);
			}
		} else {
			fprintf(stderr, "gureumctl: expire-certificates: "
			    "unknown argument %s\n", argv[i]);
			return (2);
		}
	}
	if (every == 0)
		return (expire_once(db, asof, 0) < 0 ? 1 : 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	printf("expire-certificates: every %ld s\n", every);
	fflush(stdout);
	while (!stop) {
		if (PQstatus(db) != CONNECTION_OK)
			PQreset(db);
		rc = expire_once(db, asof, 1);
		(void)rc;
		for (i = 0; i < every && !stop; i++)
			sleep(1);
	}
	return (0);
}

/* One run. Returns the number expired, or -1 (printed). */
static int
expire_once(PGconn *db, const char *asof, int quiet)
{
	PGresult	*res;
	const char	*params[1];
	char		 day[16];
	int		 i, n;

	params[0] = asof;
	res = PQexecParams(db, "SELECT coalesce($1::date, kst_today())::text",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: expire-certificates: %s",
		    PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	(void)snprintf(day, sizeof(day), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = day;
	res = PQexecParams(db, "SELECT id, coalesce(listing_id::text, '-'),"
	    " scheme, number, expiry_date::text"
	    " FROM certificate_expire($1::date)", 1, NULL, params, NULL, NULL,
	    0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: expire-certificates: %s",
		    PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		printf("expired certificate %s (%s %s) of listing %s, "
		    "expiry date %s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 4));
	PQclear(res);
	if (!quiet || n > 0)
		printf("expire-certificates: %d expired as of %s (KST)\n", n,
		    day);

	/* Contracts past their end date end too (contract_expire()). */
	res = PQexecParams(db, "SELECT id, title, end_date::text"
	    " FROM contract_expire($1::date)", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: expire-certificates: contracts: %s",
		    PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	for (i = 0; i < PQntuples(res); i++)
		printf("ended contract %s (%s), end date %s\n",
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2));
	if (!quiet || PQntuples(res) > 0)
		printf("expire-certificates: %d contracts ended as of %s "
		    "(KST)\n", PQntuples(res), day);
	PQclear(res);
	fflush(stdout);
	return (n);
}
