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
 *
 * Each document's data carries what a result card shows, so a search costs
 * no database round trip: names, summaries, vendor, and the card signals
 * of catalog_card() (sql/0009_public_catalog.sql: CSAP grade in force and
 * its earliest expiry, data centre, SME vendor, free trial, reference
 * price), computed here from PostgreSQL each time a listing is indexed.
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

/* What a search document is made of; one place for both queries below. */
#define INDEX_SELECT \
    "SELECT l.id, l.service_type, l.name_ko, l.name_en, l.summary_ko," \
    " l.summary_en, v.name_ko AS vendor_ko, v.name_en AS vendor_en," \
    " catalog_card(l.id)::text AS card," \
    " coalesce(l.reference_monthly_price_won::text, '') AS price," \
    " extract(epoch FROM coalesce((SELECT lv.created_at FROM" \
    "  listing_versions lv WHERE lv.listing_id = l.id" \
    "  AND lv.version = l.current_version), l.created_at))::bigint::text" \
    " AS newest," \
    " search_listing_facets(l.id)::text AS facets," \
    " l.description_ko, l.description_en" \
    " FROM listings l JOIN organisations v ON v.id = l.vendor_id" \
    " WHERE l.status = 'published' AND v.status = 'approved'"

static const char *index_sql = INDEX_SELECT " ORDER BY l.id";

/* The outbox rows up to $1: their listings, published or not. */
static const char *index_changed_sql = INDEX_SELECT
    " AND l.id IN (SELECT listing_id FROM search_outbox WHERE id <= $1)";
static const char *index_gone_sql =
    "SELECT DISTINCT listing_id FROM search_outbox WHERE id <= $1";

/* Bytes of summary and description that snippets are cut from. */
#define SNIPPET_SRC	2048

/* One indexer at a time, and never during a rebuild's snapshot. */
#define INDEX_LOCK	"4711003"

enum {
	COL_ID, COL_TYPE, COL_NAME_KO, COL_NAME_EN, COL_SUMMARY_KO,
	COL_SUMMARY_EN, COL_VENDOR_KO, COL_VENDOR_EN, COL_CARD, COL_PRICE,
	COL_NEWEST, COL_FACETS, COL_DESC_KO, COL_DESC_EN, COL__MAX
};

static int	index_row(struct xs_writer *, PGresult *, int);
static int	index_facets(struct xs_doc *, const char *, const char *,
		    char *, size_t);
static int	ctl_reindex_build(PGresult *, const char *, char *,
		    const char *, const char *);
static int	ctl_exec(PGconn *, const char *);
static int	rm_tree(const char *);
static void	prune(const char *, const char *, const char *);

int
ctl_reindex(PGconn *db, const char *index)
{
	PGresult		*res;
	char			 dir[PATH_MAX], name[64];
	const char		*base;
	int			 rc;

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

	/*
	 * The outbox rows older than this snapshot are covered by it: delete
	 * them in the same transaction. Later ones wait for the indexer, which
	 * applies them to the new generation once it is swapped in.
	 */
	if (!ctl_exec(db, "SELECT pg_advisory_lock(" INDEX_LOCK ")") ||
	    !ctl_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ") ||
	    !ctl_exec(db, "DELETE FROM search_outbox")) {
		(void)ctl_exec(db, "ROLLBACK");
		(void)ctl_exec(db, "SELECT pg_advisory_unlock(" INDEX_LOCK ")");
		return (-1);
	}
	res = PQexec(db, index_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: reindex: %s", PQerrorMessage(db));
		PQclear(res);
		(void)ctl_exec(db, "ROLLBACK");
		(void)ctl_exec(db, "SELECT pg_advisory_unlock(" INDEX_LOCK ")");
		return (-1);
	}
	rc = ctl_reindex_build(res, index, dir, name, base);
	PQclear(res);
	if (rc == 0 && !ctl_exec(db, "COMMIT"))
		rc = -1;
	if (rc != 0)
		(void)ctl_exec(db, "ROLLBACK");
	(void)ctl_exec(db, "SELECT pg_advisory_unlock(" INDEX_LOCK ")");
	return (rc);
}

/* Writes the rows of res into a new generation dir and swaps it in. */
static int
ctl_reindex_build(PGresult *res, const char *index, char *dir,
    const char *name, const char *base)
{
	struct xs_writer	*w;
	char			 tmp[PATH_MAX], prev[PATH_MAX], err[256];
	ssize_t			 n;
	int			 i, rows;

	if ((w = xs_writer_open(dir, 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "gureumctl: reindex: %s\n", err);
		return (-1);
	}
	rows = PQntuples(res);
	for (i = 0; i < rows; i++) {
		if (index_row(w, res, i) == -1) {
			xs_writer_close(w, err, sizeof(err));
			return (-1);
		}
	}
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
	(void)snprintf(dir, PATH_MAX, "%s.d/%s", base, name);
	if (symlink(dir, tmp) == -1 || rename(tmp, index) == -1) {
		fprintf(stderr, "gureumctl: reindex: swap: %s\n",
		    strerror(errno));
		return (-1);
	}
	prune(index, name, prev);
	printf("reindex: %d listings indexed into %s\n", rows, dir);
	return (0);
}

/*
 * The text a snippet is cut from: the summary, then the description's
 * beginning, at most SNIPPET_SRC - 1 bytes, cut on a UTF-8 boundary
 * (snippet cost grows with the text: search/README.md).
 */
static void
snippet_src(char *out, const char *summary, const char *desc)
{
	size_t	n;

	n = (size_t)snprintf(out, SNIPPET_SRC, "%s\n%s", summary, desc);
	if (n >= SNIPPET_SRC) {
		n = SNIPPET_SRC - 1;
		while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80)
			n--;
		out[n] = '\0';
	}
	/* The description is CommonMark: its emphasis and heading marks
	 * would show in a snippet as they are. */
	for (n = strlen(summary); out[n] != '\0'; n++)
		if (out[n] == '*' || out[n] == '#' || out[n] == '`' ||
		    out[n] == '_' || (out[n] == '>' && out[n - 1] == '\n'))
			out[n] = ' ';
}

static int
index_row(struct xs_writer *w, PGresult *res, int i)
{
	struct xs_doc	*doc;
	json_t		*data, *card;
	char		*js, err[256], names[1024], text[4096], tb[17], term[32];
	char		 snip_ko[SNIPPET_SRC], snip_en[SNIPPET_SRC];
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
	/*
	 * Names weigh three times a description's words, summaries twice,
	 * vendors once. Snippets are cut from the summary and the start of
	 * the description, so a match in either is shown.
	 */
	snippet_src(snip_ko, v[COL_SUMMARY_KO], v[COL_DESC_KO]);
	snippet_src(snip_en, v[COL_SUMMARY_EN], v[COL_DESC_EN]);
	(void)snprintf(names, sizeof(names), "%s %s", v[COL_NAME_KO],
	    v[COL_NAME_EN]);
	(void)snprintf(text, sizeof(text), "%s\n%s", v[COL_SUMMARY_KO],
	    v[COL_SUMMARY_EN]);
	(void)snprintf(term, sizeof(term), "%s%s", SEARCH_PREFIX_TYPE,
	    v[COL_TYPE]);
	crypto_generichash(h, sizeof(h), (unsigned char *)v[COL_ID],
	    strlen(v[COL_ID]), NULL, 0);
	sodium_bin2hex(tb, sizeof(tb), h, sizeof(h));

	/* Card signals as catalog_card() gives them (an object). */
	if ((card = json_loads(v[COL_CARD], 0, NULL)) == NULL ||
	    !json_is_object(card)) {
		json_decref(card);
		card = json_object();
	}
	data = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
	    "id", (json_int_t)id, "type", v[COL_TYPE],
	    "name_ko", v[COL_NAME_KO], "name_en", v[COL_NAME_EN],
	    "summary_ko", v[COL_SUMMARY_KO], "summary_en", v[COL_SUMMARY_EN],
	    "vendor_ko", v[COL_VENDOR_KO], "vendor_en", v[COL_VENDOR_EN],
	    "card", card);
	js = data != NULL ? json_dumps(data, JSON_COMPACT) : NULL;
	json_decref(data);

	rc = js == NULL ||
	    xs_doc_text(doc, SEARCH_PREFIX_NAME, names, 3, err, sizeof(err)) ||
	    xs_doc_text(doc, SEARCH_PREFIX_SUMMARY, text, 2, err, sizeof(err)) ||
	    xs_doc_text(doc, NULL, v[COL_DESC_KO], 1, err, sizeof(err)) ||
	    xs_doc_text(doc, NULL, v[COL_DESC_EN], 1, err, sizeof(err)) ||
	    xs_doc_text(doc, SEARCH_PREFIX_VENDOR, v[COL_VENDOR_KO], 1, err,
	    sizeof(err)) ||
	    xs_doc_text(doc, SEARCH_PREFIX_VENDOR, v[COL_VENDOR_EN], 1, err,
	    sizeof(err)) ||
	    xs_doc_term(doc, term, err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_TIEBREAK, tb, 16, err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_SNIPPET_KO, snip_ko,
	    strlen(snip_ko), err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_SNIPPET_EN, snip_en,
	    strlen(snip_en), err, sizeof(err)) ||
	    xs_doc_value(doc, SEARCH_SLOT_TYPE, v[COL_TYPE],
	    strlen(v[COL_TYPE]), err, sizeof(err)) ||
	    /* Sort keys only (doubles compare as numbers; won never is one). */
	    xs_doc_value_num(doc, SEARCH_SLOT_PRICE_ASC, v[COL_PRICE][0] ?
	    strtod(v[COL_PRICE], NULL) : 1e18, err, sizeof(err)) ||
	    xs_doc_value_num(doc, SEARCH_SLOT_PRICE_DESC, v[COL_PRICE][0] ?
	    strtod(v[COL_PRICE], NULL) : -1, err, sizeof(err)) ||
	    xs_doc_value_num(doc, SEARCH_SLOT_NEWEST, strtod(v[COL_NEWEST],
	    NULL), err, sizeof(err)) ||
	    xs_doc_data(doc, js, strlen(js), err, sizeof(err)) ||
	    index_facets(doc, v[COL_FACETS], v[COL_PRICE], err, sizeof(err)) ||
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

/*
 * One facet's values (a JSON array of strings, or of objects whose key
 * and labels are named) into its slot, joined by XS_MV_SEP, and as boolean
 * terms prefix + key. A string value stands for a one-element list, null
 * or false for none, true for "1".
 */
static int
index_list(struct xs_doc *doc, unsigned slot, const char *prefix,
    json_t *list, const char *key, const char *l1, const char *l2,
    char *err, size_t errlen)
{
	char		 buf[4096], term[XS_TERM_MAX + 1], k[64];
	const char	*s, *a, *b;
	json_t		*one, *v;
	size_t		 i, len;
	int		 n;

	one = NULL;
	if (json_is_string(list) || json_is_true(list)) {
		one = json_array();
		json_array_append_new(one, json_string(json_is_true(list) ?
		    "1" : json_string_value(list)));
		list = one;
	}
	len = 0;
	buf[0] = '\0';
	json_array_foreach(list, i, v) {
		if (key != NULL && json_is_object(v)) {
			if (json_is_integer(json_object_get(v, key))) {
				(void)snprintf(k, sizeof(k), "%lld", (long long)
				    json_integer_value(json_object_get(v, key)));
				s = k;
			} else
				s = json_string_value(json_object_get(v, key));
			a = json_string_value(json_object_get(v, l1));
			b = json_string_value(json_object_get(v, l2));
		} else {
			s = json_string_value(v);
			a = b = NULL;
		}
		if (s == NULL || *s == '\0')
			continue;
		n = snprintf(buf + len, sizeof(buf) - len, "%s%s%s%s%s%s",
		    len > 0 ? "\x1f" : "", s, a != NULL ? "\t" : "",
		    a != NULL ? a : "", b != NULL ? "\t" : "", b != NULL ? b : "");
		if (n < 0 || (size_t)n >= sizeof(buf) - len) {
			buf[len] = '\0';	/* keep the values that fit */
			break;
		}
		len += (size_t)n;
		(void)snprintf(term, sizeof(term), "%s%s", prefix, s);
		if (xs_doc_term(doc, term, err, errlen) != XS_OK) {
			json_decref(one);
			return (-1);
		}
	}
	json_decref(one);
	if (len == 0)
		return (0);
	return (xs_doc_value(doc, slot, buf, len, err, errlen) != XS_OK ?
	    -1 : 0);
}

/*
 * The facets of search_listing_facets() (sql/0024_search_facets.sql) and
 * the reference price as slots and terms (search_slots.h).
 */
static int
index_facets(struct xs_doc *doc, const char *facets, const char *price,
    char *err, size_t errlen)
{
	static const unsigned packed[] = { SEARCH_SLOT_TYPE,
	    SEARCH_SLOT_CATEGORY, SEARCH_SLOT_CERT, SEARCH_SLOT_CERT_VALID,
	    SEARCH_SLOT_CSAP, SEARCH_SLOT_CSAP_VALID, SEARCH_SLOT_VALID,
	    SEARCH_SLOT_DOMESTIC, SEARCH_SLOT_SIZE, SEARCH_SLOT_TRIAL,
	    SEARCH_SLOT_AVAIL, SEARCH_SLOT_PRICE, SEARCH_SLOT_RUNS_ON,
	    SEARCH_SLOT_DEPLOY };
	json_t		*f, *a;
	int		 rc;

	if ((f = json_loads(facets, 0, NULL)) == NULL || !json_is_object(f)) {
		json_decref(f);
		(void)snprintf(err, errlen, "no facets");
		return (-1);
	}
	rc = index_list(doc, SEARCH_SLOT_CATEGORY, SEARCH_PREFIX_CATEGORY,
	    json_object_get(f, "category"), "code", "name_ko", "name_en",
	    err, errlen) ||
	    index_list(doc, SEARCH_SLOT_CERT, SEARCH_PREFIX_CERT,
	    json_object_get(f, "cert"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_CERT_VALID, SEARCH_PREFIX_CERT_VALID,
	    json_object_get(f, "cert_valid"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_CSAP, SEARCH_PREFIX_CSAP,
	    json_object_get(f, "csap"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_CSAP_VALID, SEARCH_PREFIX_CSAP_VALID,
	    json_object_get(f, "csap_valid"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_VALID, SEARCH_PREFIX_VALID,
	    json_object_get(f, "valid"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_DOMESTIC, SEARCH_PREFIX_DOMESTIC,
	    json_object_get(f, "domestic"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_SIZE, SEARCH_PREFIX_SIZE,
	    json_object_get(f, "size"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_TRIAL, SEARCH_PREFIX_TRIAL,
	    json_object_get(f, "trial"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_DEPLOY, SEARCH_PREFIX_DEPLOY,
	    json_object_get(f, "deploy"), NULL, NULL, NULL, err, errlen) ||
	    index_list(doc, SEARCH_SLOT_RUNS_ON, SEARCH_PREFIX_RUNS_ON,
	    json_object_get(f, "runs_on"), "id", "name_ko", "name_en",
	    err, errlen);
	/*
	 * Numbers for ranges: the SLA target (numeric(9,6), at most 100) and
	 * whole won below 10^15 are exact as doubles, so comparisons with
	 * the bounds a buyer types (parsed the same way) are exact.
	 */
	if (rc == 0 && json_is_string(a = json_object_get(f, "availability")))
		rc = xs_doc_value_num(doc, SEARCH_SLOT_AVAIL,
		    strtod(json_string_value(a), NULL), err, errlen) != XS_OK;
	if (rc == 0 && price[0] != '\0')
		rc = xs_doc_value_num(doc, SEARCH_SLOT_PRICE,
		    strtod(price, NULL), err, errlen) != XS_OK;
	if (rc == 0)
		rc = xs_doc_value_num(doc, SEARCH_SLOT_CONTRACTS, (double)
		    json_integer_value(json_object_get(f, "contracts")), err,
		    errlen) != XS_OK;
	/* All of them in one value: facet counting reads one per document. */
	if (rc == 0)
		rc = xs_doc_pack(doc, SEARCH_SLOT_FACETS, packed,
		    sizeof(packed) / sizeof(packed[0]), err, errlen) != XS_OK;
	json_decref(f);
	return (rc != 0 ? -1 : 0);
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

/*
 * The indexer's step: applies the search outbox to the live index (the
 * generation INDEX points at). Listings still published are rewritten,
 * the others deleted; then the applied outbox rows are deleted. A crash in
 * between only means the same rows are applied again. Returns the number
 * of listings applied, or -1.
 */
int
ctl_index_apply(PGconn *db, const char *index)
{
	PGresult		*res, *gone;
	struct xs_writer	*w;
	const char		*params[1];
	char			 target[PATH_MAX], dir[PATH_MAX], err[256], hi[32];
	const char		*slash;
	ssize_t			 n;
	int			 i, applied;

	applied = -1;
	w = NULL;
	res = gone = NULL;
	if (!ctl_exec(db, "SELECT pg_advisory_lock(" INDEX_LOCK ")"))
		return (-1);
	if (!ctl_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ"))
		goto out;
	res = PQexec(db, "SELECT coalesce(max(id), 0) FROM search_outbox");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		goto fail;
	(void)snprintf(hi, sizeof(hi), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if (strcmp(hi, "0") == 0) {
		applied = 0;
		(void)ctl_exec(db, "COMMIT");
		goto out;
	}

	/* The live generation: the directory the symlink points at now. */
	if ((n = readlink(index, target, sizeof(target) - 1)) == -1) {
		fprintf(stderr, "gureumctl: indexer: %s: %s\n", index,
		    strerror(errno));
		goto fail;
	}
	target[n] = '\0';
	if (target[0] == '/' || (slash = strrchr(index, '/')) == NULL)
		(void)snprintf(dir, sizeof(dir), "%s", target);
	else
		(void)snprintf(dir, sizeof(dir), "%.*s/%s",
		    (int)(slash - index), index, target);

	params[0] = hi;
	res = PQexecParams(db, index_changed_sql, 1, NULL, params, NULL, NULL, 0);
	gone = PQexecParams(db, index_gone_sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK ||
	    PQresultStatus(gone) != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: indexer: %s", PQerrorMessage(db));
		goto fail;
	}
	if ((w = xs_writer_open(dir, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "gureumctl: indexer: %s\n", err);
		goto fail;
	}
	/* Delete every changed listing, then put back the published ones. */
	for (i = 0; i < PQntuples(gone); i++) {
		if (xs_writer_delete(w, strtoll(PQgetvalue(gone, i, 0), NULL,
		    10), err, sizeof(err)) != XS_OK) {
			fprintf(stderr, "gureumctl: indexer: %s\n", err);
			goto fail;
		}
	}
	for (i = 0; i < PQntuples(res); i++) {
		if (index_row(w, res, i) == -1)
			goto fail;
	}
	if (xs_writer_commit(w, err, sizeof(err)) != XS_OK) {
		fprintf(stderr, "gureumctl: indexer: %s\n", err);
		goto fail;
	}
	applied = PQntuples(gone);
	PQclear(res);
	res = PQexecParams(db, "DELETE FROM search_outbox WHERE id <= $1",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK || !ctl_exec(db, "COMMIT")) {
		applied = -1;
		goto fail;
	}
	goto out;

fail:
	(void)ctl_exec(db, "ROLLBACK");
out:
	if (w != NULL)
		(void)xs_writer_close(w, err, sizeof(err));
	PQclear(res);
	PQclear(gone);
	(void)ctl_exec(db, "SELECT pg_advisory_unlock(" INDEX_LOCK ")");
	return (applied);
}

static int
ctl_exec(PGconn *db, const char *sql)
{
	PGresult	*res;
	int		 st;

	res = PQexec(db, sql);
	st = PQresultStatus(res);
	PQclear(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "gureumctl: %s: %s", sql, PQerrorMessage(db));
		return (0);
	}
	return (1);
}
