/*
 * The one asynchronous database runner. Kore's async pgsql is a state
 * machine (queue for a connection, send, wait, read results, drain); it is
 * written here once and every handler drives it with a single call:
 *
 *	switch (db_call(req, &ar->db[0], SQL, nparams, params)) {
 *	case DB_PENDING:
 *		return (KORE_RESULT_RETRY);
 *	case DB_ERROR:
 *		return (web_db_error(req, &ar->db[0]));
 *	}
 *	... ar->db[0].rows is a JSON array of row objects ...
 *
 * The handler returns KORE_RESULT_RETRY while the statement is in flight;
 * Kore wakes the request when the connection has something and calls the
 * handler again, which calls db_call again with the same arguments and
 * gets the next state. Rows become JSON as they are read: integers, bools
 * and json/jsonb columns keep their type, everything else is a string, and
 * NULL is null. Kore returns the connection to the pool after every
 * statement, so a business operation is one statement (CTE or function).
 */

#include <libpq-fe.h>

#include "gureum.h"

/* PostgreSQL type oids (catalog/pg_type.h is not installed). */
#define OID_BOOL	16
#define OID_INT8	20
#define OID_INT2	21
#define OID_INT4	23
#define OID_JSON	114
#define OID_JSONB	3802

static int	db_read_rows(struct http_request *, struct db_call *);
static void	db_fail(struct db_call *, const char *, const char *);

/*
 * Advances the statement held by c. The first call queues it; later calls
 * (made after Kore woke the request) read its progress. Returns DB_PENDING
 * (return KORE_RESULT_RETRY and wait), DB_OK (c->rows holds the rows,
 * owned by c) or DB_ERROR (c->sqlstate and c->error say why; logged once).
 * sql and params must stay the same across calls for one c.
 */
int
db_call(struct http_request *req, struct db_call *c, const char *sql,
    int nparams, const char **params)
{
	PGresult	*res;

	for (;;) {
		switch (c->state) {
		case DB_IDLE:
			kore_pgsql_init(&c->sql);
			kore_pgsql_bind_request(&c->sql, req);
			c->inited = 1;
			c->state = DB_SETUP;
			if ((c->rows = json_array()) == NULL) {
				db_fail(c, "XX000", "out of memory");
				c->state = DB_FINISHED;
				break;
			}
			/* FALLTHROUGH */
		case DB_SETUP:
			if (!kore_pgsql_setup(&c->sql, "db", KORE_PGSQL_ASYNC)) {
				/* INIT means queued for a free connection. */
				if (c->sql.state == KORE_PGSQL_STATE_INIT)
					return (DB_PENDING);
				db_fail(c, "08000", c->sql.error);
				c->state = DB_FINISHED;
				break;
			}
			if (!kore_pgsql_query_param_fields(&c->sql, sql, 0,
			    nparams, params, NULL, NULL)) {
				db_fail(c, "08000", c->sql.error);
				c->state = DB_FINISHED;
				break;
			}
			c->state = DB_WAIT;
			break;
		case DB_WAIT:
			switch (c->sql.state) {
			case KORE_PGSQL_STATE_WAIT:
				return (DB_PENDING);
			case KORE_PGSQL_STATE_COMPLETE:
				c->state = DB_FINISHED;
				break;
			case KORE_PGSQL_STATE_ERROR:
				res = c->sql.result;
				if (res == NULL) {
					/* The connection itself failed. */
					db_fail(c, "08006", c->sql.error);
					c->state = DB_FINISHED;
					break;
				}
				db_fail(c, PQresultErrorField(res,
				    PG_DIAG_SQLSTATE), PQresultErrorMessage(res));
				kore_pgsql_continue(&c->sql);
				break;
			case KORE_PGSQL_STATE_RESULT:
				if (db_read_rows(req, c) == -1)
					db_fail(c, "XX000", "out of memory");
				kore_pgsql_continue(&c->sql);
				break;
			default:
				kore_pgsql_continue(&c->sql);
				break;
			}
			break;
		case DB_FINISHED:
			if (c->failed) {
				web_log(req, "db: %s %s", c->sqlstate,
				    c->error != NULL ? c->error : "");
				return (DB_ERROR);
			}
			return (DB_OK);
		}
	}
}

/* Releases what c holds; safe on a zeroed or finished call. */
void
db_cleanup(struct db_call *c)
{
	if (c->inited)
		kore_pgsql_cleanup(&c->sql);
	if (c->rows != NULL)
		json_decref(c->rows);
	kore_free(c->error);
	memset(c, 0, sizeof(*c));
}

static void
db_fail(struct db_call *c, const char *sqlstate, const char *msg)
{
	if (c->failed)
		return;
	c->failed = 1;
	if (sqlstate == NULL)
		sqlstate = "XX000";
	(void)kore_strlcpy(c->sqlstate, sqlstate, sizeof(c->sqlstate));
	c->error = kore_strdup(msg != NULL ? msg : "unknown error");
	c->error[strcspn(c->error, "\n")] = '\0';
}

static int
db_read_rows(struct http_request *req, struct db_call *c)
{
	PGresult	*res;
	json_t		*row, *v;
	const char	*s;
	int		 i, j, nrows, ncols;
	Oid		 type;

	res = c->sql.result;
	nrows = PQntuples(res);
	ncols = PQnfields(res);
	for (i = 0; i < nrows; i++) {
		if ((row = json_object()) == NULL)
			return (-1);
		for (j = 0; j < ncols; j++) {
			if (PQgetisnull(res, i, j)) {
				v = json_null();
			} else {
				s = PQgetvalue(res, i, j);
				type = PQftype(res, j);
				switch (type) {
				case OID_INT2:
				case OID_INT4:
				case OID_INT8:
					v = json_integer(strtoll(s, NULL, 10));
					break;
				case OID_BOOL:
					v = json_boolean(s[0] == 't');
					break;
				case OID_JSON:
				case OID_JSONB:
					v = json_loadb(s, PQgetlength(res, i, j),
					    JSON_DECODE_ANY | JSON_ALLOW_NUL,
					    NULL);
					if (v == NULL)
						web_log(req, "db: bad json in "
						    "column %s", PQfname(res, j));
					break;
				default:
					v = json_stringn(s,
					    PQgetlength(res, i, j));
					break;
				}
			}
			if (v == NULL ||
			    json_object_set_new(row, PQfname(res, j), v) == -1) {
				json_decref(row);
				return (-1);
			}
		}
		if (json_array_append_new(c->rows, row) == -1)
			return (-1);
	}
	return (0);
}
