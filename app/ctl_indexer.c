/*
 * `gureumctl indexer`: keeps the live search index in step with
 * PostgreSQL.
 *
 * Listing changes leave rows in search_outbox in the same transaction and
 * NOTIFY 'search' (sql/0006_search_outbox.sql). The indexer LISTENs, and on
 * each notification (or every second, in case one was missed while it was
 * busy or reconnecting) applies the outbox to the index with
 * ctl_index_apply(). Web workers reopen the index at most a second later,
 * so a published, suspended or withdrawn listing shows in search within
 * about two seconds. If the indexer stops, search keeps answering from the
 * last index and /healthz reports it stale (the outbox grows).
 *
 * A certificate stops being in force when the Korean date passes its
 * expiry date, before the expiry job marks it: when the date changes (and
 * once at start) the indexer queues the listings showing such certificates
 * (search_outbox_lapsed(), sql/0024_search_facets.sql), so "valid today"
 * filters and badges follow at midnight.
 */

#include <sys/select.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

static volatile sig_atomic_t	stop;

/*
 * Queues the listings whose certificates lapsed since *day (YYYY-MM-DD,
 * Korea time; "" at start: since yesterday) when the date has changed,
 * and remembers today in day.
 */
static void
lapsed(PGconn *db, char *day, size_t len)
{
	PGresult	*res;
	const char	*params[1];
	char		 today[16];

	res = PQexec(db, "SELECT kst_today()::text");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(res);
		return;
	}
	(void)snprintf(today, sizeof(today), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (strcmp(today, day) == 0)
		return;
	params[0] = day[0] != '\0' ? day : NULL;
	res = PQexecParams(db, "SELECT search_outbox_lapsed(coalesce($1::date,"
	    " kst_today() - 1))", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		if (strcmp(PQgetvalue(res, 0, 0), "0") != 0)
			printf("indexer: %s listings with certificates lapsed"
			    " since %s queued\n", PQgetvalue(res, 0, 0),
			    day[0] != '\0' ? day : "yesterday");
		(void)snprintf(day, len, "%s", today);
	} else {
		fprintf(stderr, "gureumctl: indexer: %s", PQerrorMessage(db));
	}
	PQclear(res);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Runs until SIGTERM or SIGINT (once set: one pass). Reconnects when the
 * database goes away. Returns 0 on a clean stop, -1 on a failure it
 * cannot retry.
 */
int
ctl_indexer(PGconn *db, const char *index, int once)
{
	struct sigaction	 sa;
	struct timeval		 tv;
	PGnotify		*n;
	PGresult		*res;
	fd_set			 fds;
	int			 fd, applied;
	char			 day[16];

	applied = 0;
	day[0] = '\0';

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);

	res = PQexec(db, "LISTEN search");
	PQclear(res);
	if (!once)
		printf("indexer: following changes into %s\n", index);
	fflush(stdout);

	while (!stop) {
		lapsed(db, day, sizeof(day));
		if ((applied = ctl_index_apply(db, index)) > 0) {
			printf("indexer: %d listings applied\n", applied);
			fflush(stdout);
		}
		if (once)
			break;
		if (PQstatus(db) != CONNECTION_OK) {
			/* PostgreSQL restarted: try again in a second. */
			sleep(1);
			PQreset(db);
			if (PQstatus(db) == CONNECTION_OK) {
				res = PQexec(db, "LISTEN search");
				PQclear(res);
			}
			continue;
		}
		fd = PQsocket(db);
		FD_ZERO(&fds);
		FD_SET(fd, &fds);
		tv.tv_sec = 1;
		tv.tv_usec = 0;
		if (select(fd + 1, &fds, NULL, NULL, &tv) == -1 &&
		    errno != EINTR)
			return (-1);
		(void)PQconsumeInput(db);
		while ((n = PQnotifies(db)) != NULL)
			PQfreemem(n);
	}
	return (applied < 0 && once ? -1 : 0);
}
