/*
 * Database chores of gureumctl: connecting, forward-only migrations and
 * demo data.
 *
 * Migrations are the files sql/NNNN_name.sql, applied in name order. Each
 * runs in its own transaction together with the row that records it in
 * schema_migrations, so a failing file leaves no trace and the next run
 * starts again from it. An advisory lock keeps two migrators (two
 * `make run`s, a test run beside a server) from racing. Applied files are
 * never edited: a new file corrects an old one.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define CTL_MIGRATE_LOCK	"4711002"	/* pg_advisory_lock key */
#define CTL_MAX_FILES		1000

static char	*read_file(const char *);
static int	 list_sql(const char *, int, char ***, size_t *);
static int	 exec_ok(PGconn *, const char *, const char *);
static int	 cmpstr(const void *, const void *);

/*
 * Connects to GUREUM_DATABASE (or libpq's own environment if unset).
 * Returns the connection or NULL after printing why.
 */
PGconn *
ctl_connect(void)
{
	PGconn		*db;
	const char	*ci;

	if ((ci = getenv("GUREUM_DATABASE")) == NULL)
		ci = "";
	db = PQconnectdb(ci);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "gureumctl: cannot connect: %s",
		    PQerrorMessage(db));
		PQfinish(db);
		return (NULL);
	}
	if (!exec_ok(db, "SET client_min_messages = warning", "connect")) {
		PQfinish(db);
		return (NULL);
	}
	return (db);
}

/* Applies the migrations in dir that schema_migrations does not list. */
int
ctl_migrate(PGconn *db, const char *dir)
{
	PGresult	*res;
	char		**files, *sql, *base;
	const char	*params[1];
	size_t		 i, n, applied;
	int		 rc;

	rc = -1;
	files = NULL;
	n = applied = 0;

	if (!exec_ok(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version text PRIMARY KEY, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", "migrate"))
		return (-1);
	if (!exec_ok(db, "SELECT pg_advisory_lock(" CTL_MIGRATE_LOCK ")",
	    "migrate"))
		return (-1);
	if (list_sql(dir, 1, &files, &n) == -1)
		goto out;

	for (i = 0; i < n; i++) {
		base = strrchr(files[i], '/') + 1;
		params[0] = base;
		res = PQexecParams(db,
		    "SELECT 1 FROM schema_migrations WHERE version = $1",
		    1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "gureumctl: migrate: %s",
			    PQerrorMessage(db));
			PQclear(res);
			goto out;
		}
		if (PQntuples(res) == 1) {
			PQclear(res);
			continue;
		}
		PQclear(res);

		if ((sql = read_file(files[i])) == NULL)
			goto out;
		if (!exec_ok(db, "BEGIN", base)) {
			free(sql);
			goto out;
		}
		if (!exec_ok(db, sql, base)) {
			free(sql);
			(void)exec_ok(db, "ROLLBACK", base);
			goto out;
		}
		free(sql);
		res = PQexecParams(db,
		    "INSERT INTO schema_migrations (version) VALUES ($1)",
		    1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "gureumctl: %s: %s", base,
			    PQerrorMessage(db));
			PQclear(res);
			(void)exec_ok(db, "ROLLBACK", base);
			goto out;
		}
		PQclear(res);
		if (!exec_ok(db, "COMMIT", base))
			goto out;
		printf("migrate: applied %s\n", base);
		applied++;
	}
	printf("migrate: %zu applied, %zu already there\n", applied,
	    n - applied);
	rc = 0;

out:
	(void)exec_ok(db, "SELECT pg_advisory_unlock(" CTL_MIGRATE_LOCK ")",
	    "migrate");
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return (rc);
}

/* Loads every .sql file of dir in name order, each in one transaction. */
int
ctl_seed(PGconn *db, const char *dir)
{
	char		**files;
	size_t		 i, n;
	int		 rc;

	files = NULL;
	n = 0;
	if (list_sql(dir, 0, &files, &n) == -1)
		return (-1);
	rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		if (ctl_exec_file(db, files[i], "seed") == -1)
			rc = -1;
		else
			printf("seed: loaded %s\n", strrchr(files[i], '/') + 1);
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return (rc);
}

/* Runs one SQL file inside a transaction. Returns 0 or -1. */
int
ctl_exec_file(PGconn *db, const char *path, const char *what)
{
	char	*sql;

	if ((sql = read_file(path)) == NULL)
		return (-1);
	if (!exec_ok(db, "BEGIN", what) || !exec_ok(db, sql, path)) {
		(void)exec_ok(db, "ROLLBACK", what);
		free(sql);
		return (-1);
	}
	free(sql);
	return (exec_ok(db, "COMMIT", what) ? 0 : -1);
}

static int
exec_ok(PGconn *db, const char *sql, const char *what)
{
	PGresult	*res;
	int		 st;

	res = PQexec(db, sql);
	st = PQresultStatus(res);
	PQclear(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: %s: %s", what, PQerrorMessage(db));
		return (0);
	}
	return (1);
}

/*
 * Lists the .sql files of dir sorted by name into a malloc'd array of malloc'd paths.
 * With numbered set, only NNNN_*.sql names count (migrations).
 */
static int
list_sql(const char *dir, int numbered, char ***out, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**v;
	size_t		 len, cnt;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "gureumctl: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	if ((v = calloc(CTL_MAX_FILES, sizeof(*v))) == NULL) {
		closedir(d);
		return (-1);
	}
	cnt = 0;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		if (numbered && (len < 9 || strspn(de->d_name, "0123456789") != 4 ||
		    de->d_name[4] != '_'))
			continue;
		if (cnt == CTL_MAX_FILES) {
			fprintf(stderr, "gureumctl: too many files in %s\n", dir);
			break;
		}
		if (asprintf(&v[cnt], "%s/%s", dir, de->d_name) == -1)
			break;
		cnt++;
	}
	closedir(d);
	qsort(v, cnt, sizeof(*v), cmpstr);
	*out = v;
	*n = cnt;
	return (0);
}

static int
cmpstr(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Reads a whole file into a NUL-terminated malloc'd string. */
static char *
read_file(const char *path)
{
	FILE		*fp;
	struct stat	 st;
	char		*buf;

	if ((fp = fopen(path, "r")) == NULL || fstat(fileno(fp), &st) == -1) {
		fprintf(stderr, "gureumctl: %s: %s\n", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return (NULL);
	}
	if ((buf = malloc(st.st_size + 1)) == NULL ||
	    fread(buf, 1, st.st_size, fp) != (size_t)st.st_size) {
		fprintf(stderr, "gureumctl: %s: read failed\n", path);
		free(buf);
		fclose(fp);
		return (NULL);
	}
	buf[st.st_size] = '\0';
	fclose(fp);
	return (buf);
}
