/*
 * `gureumctl reindex`: builds the search index from PostgreSQL.
 *
 * PostgreSQL is the truth; the index is derived and can always be rebuilt.
 * A rebuild writes a new index directory beside the live one
 * (INDEX.d/<time>-<pid>) and then points the symlink INDEX at it with an
 * atomic rename, so searches never see a half-built index. Workers notice
 * the new target within a second (search.c). The previous directory is
 * kept for workers still reading it; older ones are removed.
 *
 * Only published listings are indexed: drafts, suspended and withdrawn
 * listings must never be found.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "search_slots.h"
#include "xsearch.h"

static const char *index_sql =
    "SELECT l.id, l.service_type, l.name_ko, l.name_en, l.summary_ko,"
    " l.summary_en, v.name_ko AS vendor_ko, v.name_en AS vendor_en"
    " FROM listings l JOIN organisations v ON v.id = l.vendor_id"
    " WHERE l.status = 'published' ORDER BY l.id";

enum {
	COL_ID, COL_TYPE, COL_NAME_KO, COL_NAME_EN, COL_SUMMARY_KO,
	COL_SUMMARY_EN, COL_VENDOR_KO, COL_VENDOR_EN, COL__MAX
};

static int	index_row(struct xs_writer *, PGresult *, int);
static int	rm_tree(const char *);
static void	prune(const char *, const char *, const char *);

int
ctl_reindex(PGconn *db, const char *index)
{
	PGresult		*res;
	struct xs_writer	*w;
	char			 dir[PATH_MAX], name[64], tmp[PATH_MAX];
	char			 prev[PATH_MAX], err[256];
	const char		*base;
	ssize_t			 n;
	int			 i, rows;

	if (sodium_init() == -1)
		return (-1);
	base = strrchr(index, '/') != NULL ? strrchr(index, '/') + 1 : index;
	(void)snprintf(name, sizeof(name), "%lld-%d", (long long)time(NULL),
	    (int)getpid());
	(void)snprintf(dir, sizeof(dir), "%s.d", index);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "gureumctl: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	(void)snprintf(dir, sizeof(dir), "%s.d/%s", index, name);

	res = PQexec(db, index_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: reindex: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	if ((w = xs_writer_open(dir, 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "gureumctl: reindex: %s\n", err);
		PQclear(res);
		return (-1);
	}
	rows = PQntuples(res);
	for (i = 0; i < rows; i++) {
		if (index_row(w, res, i) == -1) {
			xs_writer_close(w, err, sizeof(err));
			PQclear(res);
			return (-1);
		}
	}
	PQclear(res);
	if (xs_writer_commit(w, err, sizeof(err)) != XS_OK ||
	    xs_writer_close(w, err, sizeof(err)) != XS_OK) {
		fprintf(stderr, "gureumctl: reindex: %s\n", err);
		return (-1);
	}

	/* Swap: a new symlink renamed over the old one is atomic. */
	prev[0] = '\0';
	if ((n = readlink(index, prev, sizeof(prev) - 1)) >= 0)
		prev[n] = '\0';
	else if (errno != ENOENT && errno != EINVAL)
		prev[0] = '\0';
	if (n == -1 && errno == EINVAL) {
		/* An old plain directory from elsewhere: move it aside. */
		(void)snprintf(tmp, sizeof(tmp), "%s.old", index);
		(void)rm_tree(tmp);
		(void)rename(index, tmp);
	}
	(void)snprintf(tmp, sizeof(tmp), "%s.new", index);
	(void)unlink(tmp);
	(void)snprintf(dir, sizeof(dir), "%s.d/%s", base, name);
	if (symlink(dir, tmp) == -1 || rename(tmp, index) == -1) {
		fprintf(stderr, "gureumctl: reindex: swap: %s\n",
		    strerror(errno));
		return (-1);
	}
	prune(index, name, prev);
	printf("reindex: %d listings indexed into %s\n", rows, dir);
	return (0);
}

static int
index_row(struct xs_writer *w, PGresult *res, int i)
{
	struct xs_doc	*doc;
	json_t		*data;
	char		*js, err[256], names[1024], text[4096], tb[17], term[32];
	unsigned char	 h[8];
	const char	*v[COL__MAX];
	long long	 id;
	int		 c, rc;

	for (c = 0; c < COL__MAX; c++)
		v[c] = PQgetvalue(res, i, c);
	id = strtoll(v[COL_ID], NULL, 10);

	if ((doc = xs_doc_new(id, err, sizeof(err))) == NULL) {
		fprintf(stderr, "gureumctl: reindex: %s\n", err);
		return (-1);
	}
	/* Names weigh three times a summary's words, vendors once. */
	(void)snprintf(names, sizeof(names), "%s %s", v[COL_NAME_KO],
	    v[COL_NAME_EN]);
	(void)snprintf(text, sizeof(text), "%s\n%s", v[COL_SUMMARY_KO],
	    v[COL_SUMMARY_EN]);
	(void)snprintf(term, sizeof(term), "%s%s", SEARCH_PREFIX_TYPE,
	    v[COL_TYPE]);
	crypto_generichash(h, sizeof(h), (unsigned char *)v[COL_ID],
	    strlen(v[COL_ID]), NULL, 0);
	sodium_bin2hex(tb, sizeof(tb), h, sizeof(h));

	data = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "id", (json_int_t)id, "type", v[COL_TYPE],
	    "name_ko", v[COL_NAME_KO], "name_en", v[COL_NAME_EN],
	    "summary_ko", v[COL_SUMMARY_KO], "summary_en", v[COL_SUMMARY_EN],
	    "vendor_ko", v[COL_VENDOR_KO], "vendor_en", v[COL_VENDOR_EN]);
	js = data != NULL ? json_dumps(data, JSON_COMPACT) : NULL;
	json_decref(data);

	rc = js == NULL ||
	    xs_doc_text(doc, SEARCH_PREFIX_NAME, names, 3, err, sizeof(err)) ||
	    xs_doc_text(doc, SEARCH_PREFIX_SUMMARY, text, 1, err, sizeof(err)) ||
	    xs_doc_text(doc, SEARCH_PREFIX_VENDOR, v[COL_VENDOR_KO], 1, err,
	    sizeof(err)) ||
	    xs_doc_text(doc, SEARCH_PREFIX_VENDOR, v[COL_VENDOR_EN], 1, err,
	    sizeof(err)) ||
	    xs_doc_term(doc, term, err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_TIEBREAK, tb, 16, err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_SNIPPET_KO, v[COL_SUMMARY_KO],
	    strlen(v[COL_SUMMARY_KO]), err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_SNIPPET_EN, v[COL_SUMMARY_EN],
	    strlen(v[COL_SUMMARY_EN]), err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_TYPE, v[COL_TYPE],
	    strlen(v[COL_TYPE]), err, sizeof(err)) ||
	    xs_doc_data(doc, js, strlen(js), err, sizeof(err)) ||
	    xs_writer_put(w, doc, err, sizeof(err));
	free(js);
	xs_doc_free(doc);
	if (rc != 0) {
		fprintf(stderr, "gureumctl: reindex: listing %lld: %s\n", id,
		    err[0] != '\0' ? err : "out of memory");
		return (-1);
	}
	return (0);
}

/* Removes index generations other than the new one and the previous one. */
static void
prune(const char *index, const char *keep, const char *prev)
{
	DIR		*d;
	struct dirent	*de;
	char		 dir[PATH_MAX], path[PATH_MAX];
	const char	*pbase;

	(void)snprintf(dir, sizeof(dir), "%s.d", index);
	pbase = strrchr(prev, '/') != NULL ? strrchr(prev, '/') + 1 : prev;
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, keep) == 0 ||
		    strcmp(de->d_name, pbase) == 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		(void)rm_tree(path);
	}
	closedir(d);
}

/* rm -r for an index directory (files only, one level). */
static int
rm_tree(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[PATH_MAX];

	if ((d = opendir(path)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		(void)snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		(void)unlink(p);
	}
	closedir(d);
	return (rmdir(path));
}
